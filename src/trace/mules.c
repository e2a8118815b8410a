/*
 * trace/mules: scores every account of the graph as a likely money mule from its own traffic
 * (fan-in, fan-out, pass-through, time to forward, age, round and small amounts) and from the
 * graph's structure (membership of a small strongly connected component, found by igraph: money
 * that goes round). docs/trace.md lists the reasons and their points.
 */
#include "compat.h"

#include "trace_int.h"

#include <igraph.h>
#include <stdlib.h>

const char *fz_trace_mule_reason(uint32_t bit)
{
    switch (bit) {
    case FZ_MULE_FAN_IN: return "fan_in";
    case FZ_MULE_FAN_OUT: return "fan_out";
    case FZ_MULE_PASS_THROUGH: return "pass_through";
    case FZ_MULE_FAST_FORWARD: return "fast_forward";
    case FZ_MULE_NEW_ACCOUNT: return "new_account";
    case FZ_MULE_ROUND_AMOUNTS: return "round_amounts";
    case FZ_MULE_CYCLE: return "cycle";
    case FZ_MULE_SMALL_AMOUNTS: return "small_amounts";
    default: return NULL;
    }
}

/* The largest strongly connected component still called a cycle of money; bigger ones are the
 * ordinary economy, where everybody reaches everybody. */
#define MULE_MAX_CYCLE 64
#define FEN_PER_100_YUAN 10000

/* Scratch shared by all accounts: stamps for distinct counterparties, delays and amounts. */
struct scratch {
    uint32_t *seen_in, *seen_out; /* account + 1 that last counted this counterparty */
    int64_t *buf;
    size_t cap;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static fz_rc reserve(struct scratch *s, size_t n)
{
    if (n <= s->cap)
        return FZ_OK;
    int64_t *p = fz_realloc(s->buf, n * sizeof *p);
    if (!p)
        return FZ_E(FZ_ENOMEM);
    s->buf = p;
    s->cap = n;
    return FZ_OK;
}

/* Distinct senders and receivers, sums, round share. */
static void counts(const struct fz_trace_graph *g, uint32_t a, struct scratch *s,
                   struct fz_trace_mule *m)
{
    size_t round = 0, n = 0;
    for (uint32_t i = g->in_off[a]; i < g->in_off[a + 1]; i++, n++) {
        uint32_t e = g->in_edges[i];
        if (s->seen_in[g->e_from[e]] != a + 1) {
            s->seen_in[g->e_from[e]] = a + 1;
            m->senders++;
        }
        m->in_fen = m->in_fen > INT64_MAX - g->e_amount[e] ? INT64_MAX : m->in_fen + g->e_amount[e];
        round += g->e_amount[e] > 0 && g->e_amount[e] % FEN_PER_100_YUAN == 0;
    }
    for (uint32_t e = g->out_off[a]; e < g->out_off[a + 1]; e++, n++) {
        if (s->seen_out[g->e_to[e]] != a + 1) {
            s->seen_out[g->e_to[e]] = a + 1;
            m->receivers++;
        }
        m->out_fen =
            m->out_fen > INT64_MAX - g->e_amount[e] ? INT64_MAX : m->out_fen + g->e_amount[e];
        round += g->e_amount[e] > 0 && g->e_amount[e] % FEN_PER_100_YUAN == 0;
    }
    m->round_share = n ? (double)round / (double)n : 0;
    int64_t lo = m->in_fen < m->out_fen ? m->in_fen : m->out_fen;
    int64_t hi = m->in_fen < m->out_fen ? m->out_fen : m->in_fen;
    m->pass_through = hi ? (double)lo / (double)hi : 0;
}

/* The median delay from the latest arrival to each payment after it, and the account's age. */
static fz_rc timing(const struct fz_trace_graph *g, uint32_t a, struct scratch *s,
                    struct fz_trace_mule *m)
{
    uint32_t i = g->in_off[a], iend = g->in_off[a + 1];
    uint32_t o = g->out_off[a], oend = g->out_off[a + 1];
    fz_rc rc = reserve(s, oend - o + 1);
    if (rc)
        return rc;
    size_t n = 0;
    int64_t last_in = INT64_MIN;
    int64_t first = INT64_MAX, last = INT64_MIN;
    while (i < iend || o < oend) {
        bool is_in = o >= oend || (i < iend && g->e_rank[g->in_edges[i]] < g->e_rank[o]);
        int64_t t = is_in ? g->e_time[g->in_edges[i++]] : g->e_time[o++];
        first = t < first ? t : first;
        last = t > last ? t : last;
        if (is_in)
            last_in = t;
        else if (last_in != INT64_MIN)
            s->buf[n++] = t - last_in;
    }
    m->age_s = first <= last ? last - first : 0;
    m->median_forward_s = -1;
    if (n) {
        qsort(s->buf, n, sizeof *s->buf, cmp_i64);
        m->median_forward_s = s->buf[n / 2];
    }
    return FZ_OK;
}

/* A tenth of the median amount of the graph (over a sample of at most 1 M edges): below it a
 * transfer is "small". */
static fz_rc small_limit(const struct fz_trace_graph *g, struct scratch *s, int64_t *limit)
{
    size_t step = g->n_tx / 1000000 + 1, n = 0;
    fz_rc rc = reserve(s, g->n_tx / step + 1);
    if (rc)
        return rc;
    for (size_t e = 0; e < g->n_tx; e += step)
        s->buf[n++] = g->e_amount[e];
    qsort(s->buf, n, sizeof *s->buf, cmp_i64);
    *limit = n ? s->buf[n / 2] / 10 : 0;
    return FZ_OK;
}

/* Sizes of the strongly connected components (igraph), per account. */
static fz_rc cycles(const struct fz_trace_graph *g, uint32_t *size_of)
{
    igraph_vector_int_t edges, membership, sizes;
    igraph_t ig;
    igraph_error_handler_t *old = igraph_set_error_handler(igraph_error_handler_ignore);
    fz_rc rc = FZ_E(FZ_ENOMEM);
    if (igraph_vector_int_init(&edges, (igraph_integer_t)g->n_tx * 2) != IGRAPH_SUCCESS)
        goto out;
    for (size_t e = 0; e < g->n_tx; e++) {
        VECTOR(edges)[2 * e] = g->e_from[e];
        VECTOR(edges)[2 * e + 1] = g->e_to[e];
    }
    bool ok =
        igraph_create(&ig, &edges, (igraph_integer_t)g->n_acc, IGRAPH_DIRECTED) == IGRAPH_SUCCESS;
    igraph_vector_int_destroy(&edges);
    if (!ok)
        goto out;
    if (igraph_vector_int_init(&membership, 0) == IGRAPH_SUCCESS) {
        if (igraph_vector_int_init(&sizes, 0) == IGRAPH_SUCCESS) {
            igraph_integer_t nc;
            if (igraph_connected_components(&ig, &membership, &sizes, &nc, IGRAPH_STRONG) ==
                IGRAPH_SUCCESS) {
                for (size_t a = 0; a < g->n_acc; a++)
                    size_of[a] = (uint32_t)VECTOR(sizes)[VECTOR(membership)[a]];
                rc = FZ_OK;
            }
            igraph_vector_int_destroy(&sizes);
        }
        igraph_vector_int_destroy(&membership);
    }
    igraph_destroy(&ig);
out:
    igraph_set_error_handler(old);
    return rc;
}

/* Points for a feature: full at `full`, none below `from`, linear between. */
static double ramp(double x, double from, double full)
{
    return x <= from ? 0 : x >= full ? 1 : (x - from) / (full - from);
}

/* Adds up the points (docs/trace.md "Mule scoring"); a reason is named when it earns at least
 * half its points. */
static double score(struct fz_trace_mule *m, int64_t first_seen, int64_t data_start,
                    int64_t data_span)
{
    struct {
        uint32_t bit;
        double max, got;
    } parts[] = {
        {FZ_MULE_FAN_IN, 15, ramp(m->senders, 3, 12)},
        {FZ_MULE_FAN_OUT, 10, ramp(m->receivers, 3, 12)},
        {FZ_MULE_PASS_THROUGH, 15,
         m->in_fen > 0 && m->out_fen > 0 ? ramp(m->pass_through, 0.5, 0.95) : 0},
        {FZ_MULE_FAST_FORWARD, 15,
         m->median_forward_s >= 0 ? 1 - ramp((double)m->median_forward_s, 3600, 3 * 86400) : 0},
        {FZ_MULE_NEW_ACCOUNT, 10,
         first_seen - data_start > data_span / 10
             ? 1 - ramp((double)m->age_s, 7 * 86400, 60 * 86400)
             : 0},
        {FZ_MULE_ROUND_AMOUNTS, 10, ramp(m->round_share, 0.3, 0.8)},
        {FZ_MULE_CYCLE, 15, m->cycle_size > 1 && m->cycle_size <= MULE_MAX_CYCLE},
        {FZ_MULE_SMALL_AMOUNTS, 35, ramp(m->small_txs, 0, 10)},
    };
    double total = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        total += parts[i].max * parts[i].got;
        if (parts[i].got >= 0.5)
            m->reasons |= parts[i].bit;
    }
    return total;
}

struct ranked {
    double score;
    uint32_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static fz_rc score_all(const struct fz_trace_graph *g, struct scratch *s, const uint32_t *scc,
                       struct fz_trace_mule *m, struct ranked *rank)
{
    int64_t start = g->n_tx ? g->e_time[g->by_rank[0]] : 0;
    int64_t span = g->n_tx ? g->e_time[g->by_rank[g->n_tx - 1]] - start : 0, small;
    fz_rc src = small_limit(g, s, &small);
    if (src)
        return src;
    for (uint32_t a = 0; a < g->n_acc; a++) {
        struct fz_trace_mule *x = &m[a];
        *x = (struct fz_trace_mule){.account = a, .cycle_size = scc[a]};
        counts(g, a, s, x);
        fz_rc rc = timing(g, a, s, x);
        if (rc)
            return rc;
        for (uint32_t i = g->in_off[a]; i < g->in_off[a + 1]; i++)
            x->small_txs += g->e_amount[g->in_edges[i]] < small;
        for (uint32_t e = g->out_off[a]; e < g->out_off[a + 1]; e++)
            x->small_txs += g->e_amount[e] < small;
        int64_t first = INT64_MAX;
        if (g->in_off[a] < g->in_off[a + 1])
            first = g->e_time[g->in_edges[g->in_off[a]]];
        if (g->out_off[a] < g->out_off[a + 1] && g->e_time[g->out_off[a]] < first)
            first = g->e_time[g->out_off[a]];
        rank[a] = (struct ranked){score(x, first, start, span), a};
        x->score = (int)(rank[a].score + 0.5);
    }
    return FZ_OK;
}

fz_rc fz_trace_mules(const struct fz_trace_graph *g, struct fz_trace_mule **out, size_t *n)
{
    size_t na = g->n_acc ? g->n_acc : 1;
    struct scratch s = {.seen_in = fz_calloc(na, sizeof(uint32_t)),
                        .seen_out = fz_calloc(na, sizeof(uint32_t))};
    uint32_t *scc = fz_calloc(na, sizeof *scc);
    struct fz_trace_mule *m = fz_calloc(na, sizeof *m), *sorted = fz_calloc(na, sizeof *m);
    struct ranked *rank = fz_calloc(na, sizeof *rank);
    fz_rc rc = FZ_E(FZ_ENOMEM);
    if (s.seen_in && s.seen_out && scc && m && sorted && rank)
        rc = cycles(g, scc);
    if (!rc)
        rc = score_all(g, &s, scc, m, rank);
    if (!rc) {
        qsort(rank, g->n_acc, sizeof *rank, cmp_ranked);
        for (size_t k = 0; k < g->n_acc; k++)
            sorted[k] = m[rank[k].i];
        *out = sorted;
        *n = g->n_acc;
        sorted = NULL;
    }
    fz_free(s.seen_in);
    fz_free(s.seen_out);
    fz_free(s.buf);
    fz_free(scc);
    fz_free(m);
    fz_free(sorted);
    fz_free(rank);
    return rc;
}
