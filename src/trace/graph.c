/*
 * trace/graph: the compact time-ordered graph once its rows are read (docs/internals/trace.md):
 * two counting sorts over the global time order give the CSR by sender and the index by
 * receiver, both time-ordered; freeing it; and the accessors the tracer reads it through.
 */
#include "compat.h"

#include "trace_int.h"

#include <sys/mman.h>

static int cmp_rank(const void *a, const void *b, const int64_t *time)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (time[x] != time[y])
        return time[x] < time[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Merge sort of idx[0..n) by (time, index), with tmp of n. */
static void sort_by_time(uint32_t *idx, uint32_t *tmp, size_t n, const int64_t *time)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_by_time(idx, tmp, h, time);
    sort_by_time(idx + h, tmp, n - h, time);
    if (cmp_rank(&idx[h - 1], &idx[h], time) <= 0)
        return;
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_rank(&idx[i], &idx[j], time) <= 0 ? idx[i++] : idx[j++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* ord: the rows in time order (ties in file order). */
static fz_rc time_order(const struct fz__trace_rows *r, uint32_t **out)
{
    uint32_t *ord = fz_mallocarray(r->n ? r->n : 1, sizeof *ord);
    if (!ord)
        return FZ_E(FZ_ENOMEM);
    bool sorted = true;
    for (size_t i = 0; i < r->n; i++) {
        ord[i] = (uint32_t)i;
        if (i && r->time[i] < r->time[i - 1])
            sorted = false;
    }
    if (!sorted) {
        uint32_t *tmp = fz_mallocarray(r->n, sizeof *tmp);
        if (!tmp) {
            fz_free(ord);
            return FZ_E(FZ_ENOMEM);
        }
        sort_by_time(ord, tmp, r->n, r->time);
        fz_free(tmp);
    }
    *out = ord;
    return FZ_OK;
}

#define ALLOC(arr, n)                                                                              \
    do {                                                                                           \
        if (!((arr) = fz__trace_huge(fz_mallocarray((n) ? (n) : 1, sizeof *(arr)),                 \
                                     (n) * sizeof *(arr))))                                        \
            return FZ_E(FZ_ENOMEM);                                                                \
    } while (0)

/* Counting sort by key into CSR offsets off[0..n_acc]: pos[k] receives the place of the k-th
 * row of ord (of row k when ord is NULL); key is indexed by row. */
static fz_rc csr(size_t n_acc, const uint32_t *key, const uint32_t *ord, size_t n, uint32_t **off,
                 uint32_t *pos)
{
    uint32_t *o = fz_calloc(n_acc + 1, sizeof *o);
    if (!o)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < n; i++)
        o[key[i] + 1]++;
    for (size_t a = 0; a < n_acc; a++)
        o[a + 1] += o[a];
    uint32_t *next = fz_mallocarray(n_acc ? n_acc : 1, sizeof *next);
    if (!next) {
        fz_free(o);
        return FZ_E(FZ_ENOMEM);
    }
    memcpy(next, o, n_acc * sizeof *next);
    for (size_t k = 0; k < n; k++)
        pos[k] = next[key[ord ? ord[k] : k]]++;
    fz_free(next);
    *off = o;
    return FZ_OK;
}

static fz_rc build_edges(struct fz_trace_graph *g, const struct fz__trace_rows *r,
                         const uint32_t *ord, uint32_t *pos)
{
    size_t n = r->n;
    g->n_tx = n;
    ALLOC(g->e_from, n);
    ALLOC(g->e_to, n);
    ALLOC(g->e_rank, n);
    ALLOC(g->e_line, n);
    ALLOC(g->e_time, n);
    ALLOC(g->e_amount, n);
    ALLOC(g->e_id_off, n);
    ALLOC(g->e_id_len, n);
    ALLOC(g->e_channel, n);
    for (size_t k = 0; k < n; k++) {
        uint32_t i = ord[k], e = pos[k];
        g->e_from[e] = r->from[i];
        g->e_to[e] = r->to[i];
        g->e_rank[e] = (uint32_t)k;
        g->e_line[e] = r->line[i];
        g->e_time[e] = r->time[i];
        g->e_amount[e] = r->amount[i];
        g->e_id_off[e] = r->id_off[i];
        g->e_id_len[e] = r->id_len[i];
        g->e_channel[e] = r->channel[i];
    }
    /* the index by receiver: the same counting sort over the edges in time order */
    ALLOC(g->by_rank, n);
    uint32_t *by_rank = g->by_rank;
    for (size_t e = 0; e < n; e++)
        by_rank[g->e_rank[e]] = (uint32_t)e;
    uint32_t *to_in_order; /* receivers in time order, for the counting sort */
    ALLOC(to_in_order, n);
    for (size_t k = 0; k < n; k++)
        to_in_order[k] = g->e_to[by_rank[k]];
    fz_rc rc = csr(g->n_acc, to_in_order, NULL, n, &g->in_off, pos);
    fz_free(to_in_order);
    if (!rc && !(g->in_edges = fz_mallocarray(n ? n : 1, sizeof *g->in_edges)))
        rc = FZ_E(FZ_ENOMEM);
    for (size_t k = 0; !rc && k < n; k++)
        g->in_edges[pos[k]] = by_rank[k];
    return rc;
}

fz_rc fz__trace_build(struct fz_trace_graph *g, const struct fz__trace_rows *r)
{
    uint32_t *ord = NULL, *pos = fz_mallocarray(r->n ? r->n : 1, sizeof *pos);
    fz_rc rc = pos ? time_order(r, &ord) : FZ_E(FZ_ENOMEM);
    if (!rc)
        rc = csr(g->n_acc, r->from, ord, r->n, &g->out_off, pos);
    if (!rc)
        rc = build_edges(g, r, ord, pos);
    fz_free(ord);
    fz_free(pos);
    return rc;
}

void fz_trace_free(struct fz_trace_graph *g)
{
    if (!g)
        return;
    if (g->is_mapped)
        munmap(g->data, g->len);
    else
        fz_free(g->data);
    fz_free(g->acc_id);
    fz_free(g->keys);
    fz_free(g->slots);
    fz_free(g->acc_name);
    fz_free(g->acc_bank);
    fz_free(g->banks);
    fz_free(g->out_off);
    fz_free(g->e_from);
    fz_free(g->e_to);
    fz_free(g->e_rank);
    fz_free(g->e_line);
    fz_free(g->e_time);
    fz_free(g->e_amount);
    fz_free(g->e_id_off);
    fz_free(g->e_id_len);
    fz_free(g->e_channel);
    fz_free(g->channels);
    fz_free(g->in_off);
    fz_free(g->in_edges);
    fz_free(g->by_rank);
    fz_free(g);
}

/* ---- accessors ----------------------------------------------------------------------------- */

size_t fz_trace_accounts(const struct fz_trace_graph *g) { return g->n_acc; }
size_t fz_trace_txs(const struct fz_trace_graph *g) { return g->n_tx; }

struct fz_trace_tx fz_trace_tx_at(const struct fz_trace_graph *g, uint32_t e)
{
    return (struct fz_trace_tx){g->e_from[e], g->e_to[e], g->e_time[e], g->e_amount[e]};
}

struct fz_str fz_trace_tx_id(const struct fz_trace_graph *g, uint32_t e)
{
    return (struct fz_str){g->data + g->e_id_off[e], g->e_id_len[e]};
}

struct fz_str fz_trace_tx_channel(const struct fz_trace_graph *g, uint32_t e)
{
    return g->channels[g->e_channel[e]];
}

size_t fz_trace_tx_line(const struct fz_trace_graph *g, uint32_t e) { return g->e_line[e]; }
struct fz_str fz_trace_account(const struct fz_trace_graph *g, uint32_t a) { return g->acc_id[a]; }
struct fz_str fz_trace_account_name(const struct fz_trace_graph *g, uint32_t a)
{
    return g->acc_name[a];
}

void fz_trace_out(const struct fz_trace_graph *g, uint32_t a, uint32_t *begin, uint32_t *end)
{
    *begin = g->out_off[a];
    *end = g->out_off[a + 1];
}

void fz_trace_in(const struct fz_trace_graph *g, uint32_t a, const uint32_t **edges, size_t *n)
{
    *edges = g->in_edges + g->in_off[a];
    *n = g->in_off[a + 1] - g->in_off[a];
}
