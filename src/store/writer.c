/*
 * store/writer.c: the write queue and group commit.
 *
 * One thread owns the only write connection. Callers queue an op (a closure on their stack)
 * and sleep; the writer takes everything queued (at most FZ__BATCH_MAX), opens one transaction,
 * runs each op inside its own savepoint followed by its audit record, commits once and then wakes
 * every caller of the batch. A failed COMMIT gives every op of the batch FZ_EIO: nothing is
 * acknowledged that is not durable. There is no timer: a batch is whatever queued while the
 * previous commit was syncing, so a lone write waits one fsync and load grows the batches.
 */
#include "compat.h"

#include "store_int.h"

#include <sodium.h>
#include <string.h>

FZ_LOG_MODULE(store);

#define FZ__BATCH_MAX 256

static void hash_field(crypto_generichash_state *h, const char *s)
{
    /* Length-prefixed, so "ab" + "c" and "a" + "bc" differ; NULL differs from "". */
    uint32_t len = s ? (uint32_t)strlen(s) : UINT32_MAX;
    uint8_t b[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    crypto_generichash_update(h, b, sizeof b);
    if (s)
        crypto_generichash_update(h, (const uint8_t *)s, strlen(s));
}

static void hash_int(crypto_generichash_state *h, int64_t v)
{
    uint8_t b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(u >> (56 - 8 * i));
    crypto_generichash_update(h, b, sizeof b);
}

void fz__store_audit_hash(const struct fz__audit_row *r, uint8_t *out)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, FZ__HASH_LEN);
    crypto_generichash_update(&h, r->prev_hash, FZ__HASH_LEN);
    hash_int(&h, r->id);
    hash_int(&h, r->at_ms);
    hash_field(&h, fz_actor_kind_name(r->actor_kind));
    hash_int(&h, r->actor_id);
    hash_int(&h, r->org_id);
    hash_field(&h, r->request_id);
    hash_field(&h, r->client_tag);
    hash_field(&h, r->action);
    hash_field(&h, r->object_kind);
    hash_int(&h, r->object_id);
    hash_field(&h, r->outcome);
    hash_field(&h, r->detail);
    crypto_generichash_final(&h, out, FZ__HASH_LEN);
}

fz_rc fz__store_audit_write(struct fz_store *st, void *conn, const struct fz__wop *op)
{
    const struct fz_actor *a = op->actor;
    struct fz__audit_row r = {
        .id = st->audit_id + 1,
        .at_ms = op->now_ms,
        .actor_kind = a->kind,
        .actor_id = a->kind == FZ_ACTOR_API_KEY ? a->key_id : a->user_id,
        .org_id = a->org_id,
        .request_id = a->request_id[0] ? a->request_id : NULL,
        .client_tag = a->client_tag[0] ? a->client_tag : NULL,
        .action = op->action,
        .object_kind = op->object_kind,
        .object_id = op->object_id,
        .outcome = fz_rc_name(op->rc),
        .detail = op->detail[0] ? op->detail : NULL,
    };
    memcpy(r.prev_hash, st->audit_hash, FZ__HASH_LEN);
    fz__store_audit_hash(&r, r.hash);
    fz_rc rc = st->be->audit_insert(conn, &r);
    if (rc == FZ_OK) {
        st->audit_id = r.id;
        memcpy(st->audit_hash, r.hash, FZ__HASH_LEN);
    }
    return rc;
}

/* Runs one op in its savepoint, then its audit record. */
static void run_op(struct fz_store *st, struct fz__wop *op)
{
    void *conn = st->wconn;
    op->now_ms = fz_store_now_ms(st);
    fz_rc rc = st->be->op_begin(conn);
    if (rc != FZ_OK) {
        op->rc = rc;
        fz_err_set(&op->err, rc, "cannot start a write");
        return;
    }
    op->rc = op->fn(st, conn, op);
    bool keep = op->rc == FZ_OK || op->keep;
    if (!keep) {
        st->be->op_end(conn, false); /* undo the op, then record the attempt */
        rc = st->be->op_begin(conn);
        if (rc != FZ_OK) {
            op->rc = rc;
            return;
        }
    }
    if (!op->no_audit && op->action) {
        rc = fz__store_audit_write(st, conn, op);
        if (rc != FZ_OK) {
            st->be->op_end(conn, false);
            if (op->rc == FZ_OK) {
                op->rc = rc;
                fz_err_set(&op->err, rc, "cannot write the audit record");
            }
            return;
        }
    }
    st->be->op_end(conn, true);
}

static void fail_batch(struct fz__wop *batch, fz_rc rc, const char *what)
{
    for (struct fz__wop *op = batch; op; op = op->next) {
        op->rc = rc;
        memset(&op->err, 0, sizeof op->err);
        fz_err_set(&op->err, rc, "%s", what);
    }
}

/* Returns whether the batch committed. */
static bool run_batch(struct fz_store *st, struct fz__wop *batch, size_t n)
{
    int64_t saved_id = st->audit_id;
    uint8_t saved_hash[FZ__HASH_LEN];
    memcpy(saved_hash, st->audit_hash, FZ__HASH_LEN);

    fz_rc rc = st->be->tx_begin(st->wconn, true);
    /* Another process (the CLI, a second server) may have appended to the audit chain since
     * the last batch: its head is read again under the write lock. */
    if (rc == FZ_OK && (rc = st->be->audit_tail(st->wconn, &st->audit_id, st->audit_hash)) != FZ_OK)
        st->be->tx_rollback(st->wconn);
    if (rc != FZ_OK) {
        fail_batch(batch, rc == FZ_EBUSY ? FZ_EBUSY : FZ_EIO, "cannot start a transaction");
        return false;
    }
    for (struct fz__wop *op = batch; op; op = op->next)
        run_op(st, op);
    rc = st->be->tx_commit(st->wconn);
    if (rc != FZ_OK) {
        st->be->tx_rollback(st->wconn);
        st->audit_id = saved_id;
        memcpy(st->audit_hash, saved_hash, FZ__HASH_LEN);
        fail_batch(batch, FZ_EIO, "the transaction did not commit; nothing was written");
        fz_log(FZ_LOG_ERROR, "commit of %zu writes failed", n);
        return false;
    }
    return true;
}

static void *writer_main(void *arg)
{
    struct fz_store *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (!st->head && !st->stopping)
            pthread_cond_wait(&st->wake, &st->mu);
        if (!st->head && st->stopping)
            break;
        /* Take up to FZ__BATCH_MAX ops off the queue. */
        struct fz__wop *batch = st->head, *last = st->head;
        size_t n = 1;
        while (last->next && n < FZ__BATCH_MAX) {
            last = last->next;
            n++;
        }
        st->head = last->next;
        if (!st->head)
            st->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&st->mu);

        bool committed = run_batch(st, batch, n);

        pthread_mutex_lock(&st->mu); /* stats are read under mu (fz_store_stats) */
        if (committed)
            st->stats.commits++;
        else
            st->stats.failed_commits++;
        st->stats.ops += n;
        if (n > st->stats.max_batch)
            st->stats.max_batch = n;
        for (struct fz__wop *op = batch, *next; op; op = next) {
            next = op->next; /* op may vanish once done is seen */
            op->next = NULL;
            op->done = true;
        }
        pthread_cond_broadcast(&st->done_cv);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

fz_rc fz__store_writer_start(struct fz_store *st)
{
    if (pthread_create(&st->thread, NULL, writer_main, st) != 0)
        return FZ_E(FZ_ENOMEM);
    st->thread_started = true;
    return FZ_OK;
}

void fz__store_writer_stop(struct fz_store *st)
{
    if (!st->thread_started)
        return;
    pthread_mutex_lock(&st->mu);
    st->stopping = true;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->mu);
    pthread_join(st->thread, NULL);
    st->thread_started = false;
}

fz_rc fz__store_write(struct fz_store *st, struct fz__wop *op)
{
    op->done = false;
    op->next = NULL;
    op->rc = FZ_OK;
    memset(&op->err, 0, sizeof op->err);
    pthread_mutex_lock(&st->mu);
    if (st->stopping) {
        pthread_mutex_unlock(&st->mu);
        return fz_err_set(&op->err, FZ_EBUSY, "the store is closing");
    }
    if (st->tail)
        st->tail->next = op;
    else
        st->head = op;
    st->tail = op;
    pthread_cond_signal(&st->wake);
    while (!op->done)
        pthread_cond_wait(&st->done_cv, &st->mu);
    pthread_mutex_unlock(&st->mu);
    return op->rc;
}

void fz_store_stats(struct fz_store *st, struct fz_store_stats *out)
{
    pthread_mutex_lock(&st->mu);
    *out = st->stats;
    pthread_mutex_unlock(&st->mu);
}
