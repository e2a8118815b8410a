/*
 * server/intel: the in-memory index of indicators. Built from the store at start; after a
 * write that changes indicators commits, the change is applied to a copy and the copy is
 * published, so a /check sent after a 2xx already sees it — without a database read on the
 * hot path. Writers of the index are serialized; readers never wait.
 */
#include "server_int.h"

struct load {
    struct fz_ind_change *items;
    size_t n, cap;
    struct fz_arena arena;
    fz_rc rc;
};

static int collect(void *ud, const struct fz_ind_change *c)
{
    struct load *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        struct fz_ind_change *p = fz_realloc(l->items, cap * sizeof *p);
        if (!p) {
            l->rc = FZ_ENOMEM;
            return 1;
        }
        l->items = p;
        l->cap = cap;
    }
    char *v = fz_arena_alloc(&l->arena, c->value_len + 1);
    if (!v) {
        l->rc = FZ_ENOMEM;
        return 1;
    }
    memcpy(v, c->entry.value, c->value_len);
    v[c->value_len] = '\0';
    l->items[l->n] = *c;
    l->items[l->n].entry.value = v;
    l->n++;
    return 0;
}

fz_rc srv_intel_load(struct fz_server *s, struct fz_err *err)
{
    struct load l = {0};
    fz_arena_init(&l.arena, 1 << 16);
    fz_rc rc = fz_store_intel_load(s->store, collect, &l, err);
    if (!rc)
        rc = l.rc;
    struct fz_ind_index *x = NULL;
    pthread_mutex_lock(&s->intel_lock);
    if (!rc)
        rc = fz_ind_index_build(l.items, l.n, ++s->intel_seq, &x);
    if (!rc)
        fz_ind_handle_swap(&s->intel, x);
    pthread_mutex_unlock(&s->intel_lock);
    fz_free(l.items);
    fz_arena_release(&l.arena);
    if (rc && !err->msg[0])
        fz_err_set(err, rc, "cannot build the indicator index: %s", fz_strerror(rc));
    return rc;
}

fz_rc srv_intel_apply(struct fz_server *s, const struct fz_ind_change *c, size_t n)
{
    if (!n)
        return FZ_OK;
    pthread_mutex_lock(&s->intel_lock);
    struct fz_ind_index *cur = fz_ind_handle_acquire(&s->intel), *next = NULL;
    fz_rc rc = fz_ind_index_with(cur, c, n, ++s->intel_seq, &next);
    fz_ind_index_unref(cur);
    if (!rc)
        fz_ind_handle_swap(&s->intel, next);
    pthread_mutex_unlock(&s->intel_lock);
    return rc;
}
