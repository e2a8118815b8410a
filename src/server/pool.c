/*
 * server/pool: the threads that run requests which may block — anything that reads or writes
 * the store, and logins (argon2id takes ~100 ms of CPU on purpose). The HTTP thread suspends
 * the connection, hands the request over and goes on serving checks; the worker runs it and
 * resumes the connection, and the HTTP thread sends the answer. So a slow commit never stalls
 * /check, and as many writes as there are workers wait on one group commit together.
 */
#include "server_int.h"

struct srv_pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct srv_req *head, *tail;
    bool stopping;
    size_t nthreads;
    pthread_t threads[];
};

static void *work(void *arg)
{
    struct srv_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->ready, &p->lock);
        struct srv_req *r = p->head;
        if (r) {
            p->head = r->next;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        if (!r)
            return NULL; /* stopping, and nothing is left */
        srv_run(r);
        r->ran = true;
        MHD_resume_connection(r->conn);
    }
}

fz_rc srv_pool_start(size_t nthreads, struct srv_pool **out)
{
    struct srv_pool *p = fz_calloc(1, sizeof *p + nthreads * sizeof p->threads[0]);
    if (!p)
        return FZ_E(FZ_ENOMEM);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    for (; p->nthreads < nthreads; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, work, p) != 0)
            break;
    if (p->nthreads == 0) {
        srv_pool_stop(p);
        return FZ_E(FZ_ENOMEM);
    }
    *out = p;
    return FZ_OK;
}

void srv_pool_submit(struct srv_pool *p, struct srv_req *r)
{
    r->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = r;
    else
        p->head = r;
    p->tail = r;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

void srv_pool_stop(struct srv_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL); /* each drains the queue before it returns */
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->lock);
    fz_free(p);
}
