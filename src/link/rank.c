/*
 * link/rank.c: the organisers of each cluster. The identifier graph of a cluster has one node
 * per identifier in at least 2 of its cases and 10% of them (hubs left out) and an edge
 * between two identifiers for every case that has both (weight: the number of such cases). An
 * organiser's phone or account sits in many of the gang's cases next to everything else, so
 * it scores high on all three of PageRank (weighted), betweenness (how many shortest paths
 * between the gang's identifiers pass through it) and coreness (k-core: the densest part of
 * the gang). score = 0.5 PR/maxPR + 0.3 B/maxB + 0.2 core/maxcore, each over the cluster
 * (docs/internals/link.md).
 *
 * igraph has a cost per call and a run has tens of thousands of clusters, so the graphs of
 * small clusters are laid side by side, RANK_BATCH_NODES nodes at a time, and each measure
 * runs once per batch: none of them crosses from one connected part to another (PageRank's
 * values in a part are scaled by the part's share of the batch, which the division by the
 * cluster's maximum takes out). Clusters over RANK_EXACT_NODES identifiers get a graph of
 * their own, with betweenness cut off at RANK_CUTOFF steps.
 */
#include "compat.h"

#include "link_int.h"

#include <igraph.h>
#include <stdlib.h>
#include <time.h>

FZ_LOG_MODULE(link);

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Identifiers of one case that enter the graph: more would add edges quadratically. */
#define RANK_IDENTS_PER_CASE 64
/* Over this many identifiers, betweenness only follows paths of at most RANK_CUTOFF steps. */
#define RANK_EXACT_NODES 3000
#define RANK_CUTOFF 4
/* Small clusters are measured together, this many nodes at a time: igraph's betweenness sets
 * up arrays the size of its graph for every source node, so one graph of all clusters would
 * take quadratic time, and one graph per cluster pays igraph's fixed cost per call. */
#define RANK_BATCH_NODES 40
/* The share of a cluster's cases, in percent, an identifier must be in to be ranked. */
#define RANK_MIN_SHARE_PCT 10

/* Scratch for every cluster, reused, and the graph of all clusters. */
struct rank_ws {
    uint32_t *lidx;  /* per identifier of the set: local index + 1, 0 when not in the cluster */
    uint32_t *ids;   /* local index -> identifier */
    uint32_t *lcnt;  /* local index -> cases of the cluster that have it */
    uint64_t *pairs; /* edge keys a << 32 | b of one cluster */
    size_t pairs_cap;
    uint32_t *node_ident; /* node of the whole graph -> identifier */
    size_t nnodes;
    uint32_t *node_start; /* cluster -> its first node (big clusters have none) */
    size_t *edge_start;   /* cluster -> its first edge in ev / 2 */
    struct fz_link_organiser *cand;
    igraph_vector_int_t ev, bev, core; /* edges of the whole graph, of one big cluster */
    igraph_vector_t w, bw, pr, bt;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Counts, in ws->lcnt, the cases of cluster i that have each of its identifiers (hubs left
 * out), listed in ws->ids; returns how many there are. lidx holds local index + 1. */
static size_t count_idents(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                           struct rank_ws *ws)
{
    size_t n = 0;
    for (uint32_t j = r->cl_start[i]; j < r->cl_start[i + 1]; j++) {
        uint32_t c = r->cl_cases[j];
        for (uint32_t q = g->cstart[c]; q < g->cstart[c + 1]; q++) {
            uint32_t id = g->cidents[q];
            if (r->is_hub[id])
                continue;
            if (ws->lidx[id] == 0) {
                ws->ids[n] = id;
                ws->lcnt[n] = 0;
                ws->lidx[id] = (uint32_t)++n;
            }
            ws->lcnt[ws->lidx[id] - 1]++;
        }
    }
    return n;
}

/* Keeps the identifiers in at least min_cases of the cluster's cases, renumbered in ws->ids,
 * ws->lcnt and lidx; the rest get lidx 0. Returns how many are kept. */
static size_t keep_shared(struct rank_ws *ws, size_t n, uint32_t min_cases)
{
    size_t k = 0;
    for (size_t v = 0; v < n; v++) {
        uint32_t id = ws->ids[v], cnt = ws->lcnt[v];
        if (cnt < min_cases) {
            ws->lidx[id] = 0;
            continue;
        }
        ws->ids[k] = id;
        ws->lcnt[k] = cnt;
        ws->lidx[id] = (uint32_t)++k;
    }
    return k;
}

/* Collects the shared identifiers of cluster i and the edge keys between them; returns the
 * edge key count or SIZE_MAX when out of memory. */
static size_t collect(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                      struct rank_ws *ws, size_t *nloc)
{
    size_t np = 0;
    /* An organiser touches many of its gang's cases: identifiers in fewer than 2 cases, or
     * than RANK_MIN_SHARE of a big cluster's, are one victim's own or a passing mule and
     * cannot organise anything; leaving them out keeps the graphs small. */
    uint32_t size = r->cl_start[i + 1] - r->cl_start[i];
    uint32_t min_cases = (uint32_t)(size * RANK_MIN_SHARE_PCT + 99) / 100;
    *nloc = keep_shared(ws, count_idents(r, g, i, ws), min_cases > 2 ? min_cases : 2);
    for (uint32_t j = r->cl_start[i]; j < r->cl_start[i + 1]; j++) {
        uint32_t c = r->cl_cases[j], local[RANK_IDENTS_PER_CASE];
        size_t nl = 0;
        for (uint32_t q = g->cstart[c]; q < g->cstart[c + 1] && nl < RANK_IDENTS_PER_CASE; q++)
            if (ws->lidx[g->cidents[q]])
                local[nl++] = ws->lidx[g->cidents[q]] - 1;
        size_t need = np + nl * (nl - (nl > 0)) / 2;
        if (need > ws->pairs_cap) {
            size_t cap = ws->pairs_cap * 2 > need ? ws->pairs_cap * 2 : need;
            uint64_t *p = fz_realloc(ws->pairs, cap * sizeof *p);
            if (!p)
                return SIZE_MAX;
            ws->pairs = p;
            ws->pairs_cap = cap;
        }
        for (size_t a = 0; a < nl; a++)
            for (size_t b = a + 1; b < nl; b++) {
                uint64_t x = local[a], y = local[b];
                ws->pairs[np++] = x < y ? x << 32 | y : y << 32 | x;
            }
    }
    return np;
}

/* Appends the np sorted-and-merged edge keys of one cluster, its nodes numbered from base,
 * to ev and w (repeated keys add to the weight). */
static fz_rc add_edges(struct rank_ws *ws, size_t np, size_t base, igraph_vector_int_t *ev,
                       igraph_vector_t *w)
{
    if (np > 1)
        qsort(ws->pairs, np, sizeof *ws->pairs, cmp_u64);
    for (size_t k = 0; k < np; k++) {
        if (k && ws->pairs[k] == ws->pairs[k - 1]) {
            VECTOR(*w)[igraph_vector_size(w) - 1] += 1;
            continue;
        }
        if (igraph_vector_int_push_back(ev, (igraph_integer_t)(base + (ws->pairs[k] >> 32))) ||
            igraph_vector_int_push_back(ev,
                                        (igraph_integer_t)(base + (ws->pairs[k] & UINT32_MAX))) ||
            igraph_vector_push_back(w, 1))
            return FZ_E(FZ_ENOMEM);
    }
    return FZ_OK;
}

/* PageRank, betweenness (cut off at cutoff steps, -1: none) and coreness of the graph with n
 * nodes and edges ev, weights w, into ws->pr, ws->bt and ws->core. */
static fz_rc measure(struct rank_ws *ws, size_t n, const igraph_vector_int_t *ev,
                     const igraph_vector_t *w, igraph_real_t cutoff)
{
    igraph_t graph;
    if (igraph_create(&graph, ev, (igraph_integer_t)n, IGRAPH_UNDIRECTED))
        return FZ_E(FZ_EIO);
    fz_rc rc = FZ_OK;
    if (igraph_pagerank(&graph, IGRAPH_PAGERANK_ALGO_PRPACK, &ws->pr, NULL, igraph_vss_all(), false,
                        0.85, w, NULL) ||
        igraph_betweenness_cutoff(&graph, &ws->bt, igraph_vss_all(), false, NULL, cutoff) ||
        igraph_coreness(&graph, &ws->core, IGRAPH_ALL))
        rc = FZ_E(FZ_EIO);
    igraph_destroy(&graph);
    return rc;
}

static int cmp_org(const void *a, const void *b)
{
    const struct fz_link_organiser *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->ident < y->ident ? -1 : x->ident > y->ident;
}

/* Scores nodes [b, e) of the measured graph (identifiers ident[0..e-b)) and writes the best
 * k, best first, to out; returns how many were written. */
static size_t score(struct rank_ws *ws, const uint32_t *ident, size_t b, size_t e,
                    struct fz_link_organiser *out, size_t k)
{
    double mpr = 0, mbt = 0, mco = 0;
    for (size_t v = b; v < e; v++) {
        mpr = VECTOR(ws->pr)[v] > mpr ? VECTOR(ws->pr)[v] : mpr;
        mbt = VECTOR(ws->bt)[v] > mbt ? VECTOR(ws->bt)[v] : mbt;
        mco = (double)VECTOR(ws->core)[v] > mco ? (double)VECTOR(ws->core)[v] : mco;
    }
    for (size_t v = b; v < e; v++) {
        double s = (mpr > 0 ? 0.5 * VECTOR(ws->pr)[v] / mpr : 0) +
                   (mbt > 0 ? 0.3 * VECTOR(ws->bt)[v] / mbt : 0) +
                   (mco > 0 ? 0.2 * (double)VECTOR(ws->core)[v] / mco : 0);
        ws->cand[v - b] = (struct fz_link_organiser){ident[v - b], s};
    }
    qsort(ws->cand, e - b, sizeof *ws->cand, cmp_org);
    size_t n = e - b < k ? e - b : k;
    memcpy(out, ws->cand, n * sizeof *out);
    return n;
}

/* Collects cluster i: a small one joins the whole graph, a big one is ranked now into out.
 * Returns the organisers written (0 for a small one) or SIZE_MAX with *rc set. */
static size_t add_cluster(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                          struct rank_ws *ws, struct fz_link_organiser *out, size_t k, fz_rc *rc)
{
    size_t nloc = 0, np = collect(r, g, i, ws, &nloc), n = 0;
    *rc = np == SIZE_MAX ? FZ_E(FZ_ENOMEM) : FZ_OK;
    ws->node_start[i] = (uint32_t)ws->nnodes;
    ws->edge_start[i] = (size_t)igraph_vector_size(&ws->w);
    if (*rc == FZ_OK && nloc <= RANK_EXACT_NODES) {
        *rc = add_edges(ws, np, ws->nnodes, &ws->ev, &ws->w);
        memcpy(ws->node_ident + ws->nnodes, ws->ids, nloc * sizeof *ws->ids);
        ws->nnodes += nloc;
    } else if (*rc == FZ_OK) {
        igraph_vector_int_clear(&ws->bev);
        igraph_vector_clear(&ws->bw);
        if ((*rc = add_edges(ws, np, 0, &ws->bev, &ws->bw)) == FZ_OK &&
            (*rc = measure(ws, nloc, &ws->bev, &ws->bw, RANK_CUTOFF)) == FZ_OK)
            n = score(ws, ws->ids, 0, nloc, out, k);
    }
    for (size_t v = 0; v < nloc; v++)
        ws->lidx[ws->ids[v]] = 0;
    return *rc ? SIZE_MAX : n;
}

static fz_rc ws_init(struct rank_ws *ws, size_t m, size_t np, size_t ncl)
{
    *ws = (struct rank_ws){0};
    ws->lidx = fz_calloc(m ? m : 1, sizeof *ws->lidx);
    ws->ids = fz_mallocarray(np ? np : 1, sizeof *ws->ids);
    ws->lcnt = fz_mallocarray(np ? np : 1, sizeof *ws->lcnt);
    ws->cand = fz_mallocarray(np ? np : 1, sizeof *ws->cand);
    ws->node_ident = fz_mallocarray(np ? np : 1, sizeof *ws->node_ident);
    ws->node_start = fz_mallocarray(ncl + 1, sizeof *ws->node_start);
    ws->edge_start = fz_mallocarray(ncl + 1, sizeof *ws->edge_start);
    if (!ws->lidx || !ws->ids || !ws->lcnt || !ws->cand || !ws->node_ident || !ws->node_start ||
        !ws->edge_start)
        return FZ_E(FZ_ENOMEM);
    if (igraph_vector_int_init(&ws->ev, 0) || igraph_vector_int_init(&ws->bev, 0) ||
        igraph_vector_int_init(&ws->core, 0) || igraph_vector_init(&ws->w, 0) ||
        igraph_vector_init(&ws->bw, 0) || igraph_vector_init(&ws->pr, 0) ||
        igraph_vector_init(&ws->bt, 0))
        return FZ_E(FZ_ENOMEM);
    return FZ_OK;
}

static void ws_release(struct rank_ws *ws)
{
    fz_free(ws->lidx);
    fz_free(ws->ids);
    fz_free(ws->lcnt);
    fz_free(ws->pairs);
    fz_free(ws->cand);
    fz_free(ws->node_ident);
    fz_free(ws->node_start);
    fz_free(ws->edge_start);
    /* Vectors ws_init did not reach are still zeroed (no storage): skip them. */
    igraph_vector_int_t *iv[] = {&ws->ev, &ws->bev, &ws->core};
    igraph_vector_t *rv[] = {&ws->w, &ws->bw, &ws->pr, &ws->bt};
    for (size_t k = 0; k < sizeof iv / sizeof *iv; k++)
        if (VECTOR(*iv[k]))
            igraph_vector_int_destroy(iv[k]);
    for (size_t k = 0; k < sizeof rv / sizeof *rv; k++)
        if (VECTOR(*rv[k]))
            igraph_vector_destroy(rv[k]);
}

/* Measures clusters [i0, i1) (nodes [b, e) of the whole graph) on a graph of their own. */
static fz_rc measure_batch(struct rank_ws *ws, size_t i0, size_t i1)
{
    size_t b = ws->node_start[i0], e = ws->node_start[i1];
    size_t eb = ws->edge_start[i0], ee = ws->edge_start[i1];
    if (igraph_vector_int_resize(&ws->bev, (igraph_integer_t)(2 * (ee - eb))) ||
        igraph_vector_resize(&ws->bw, (igraph_integer_t)(ee - eb)))
        return FZ_E(FZ_ENOMEM);
    for (size_t k = eb; k < ee; k++) {
        VECTOR(ws->bev)[2 * (k - eb)] = VECTOR(ws->ev)[2 * k] - (igraph_integer_t)b;
        VECTOR(ws->bev)[2 * (k - eb) + 1] = VECTOR(ws->ev)[2 * k + 1] - (igraph_integer_t)b;
        VECTOR(ws->bw)[k - eb] = VECTOR(ws->w)[k];
    }
    return measure(ws, e - b, &ws->bev, &ws->bw, -1);
}

/* Ranks every small cluster (big ones were ranked already: their node range is empty), in
 * batches of about RANK_BATCH_NODES nodes. orgs has room for k per cluster. */
static fz_rc rank_small(struct fz_link_result *r, struct rank_ws *ws, uint32_t *cnt, size_t k)
{
    ws->node_start[r->ncl] = (uint32_t)ws->nnodes;
    ws->edge_start[r->ncl] = (size_t)igraph_vector_size(&ws->w);
    fz_rc rc = FZ_OK;
    for (size_t i0 = 0, i1; rc == FZ_OK && i0 < r->ncl; i0 = i1) {
        for (i1 = i0 + 1;
             i1 < r->ncl && ws->node_start[i1 + 1] - ws->node_start[i0] <= RANK_BATCH_NODES; i1++)
            ;
        if (ws->node_start[i1] == ws->node_start[i0] || (rc = measure_batch(ws, i0, i1)))
            continue;
        for (size_t i = i0, base = ws->node_start[i0]; i < i1; i++) {
            size_t b = ws->node_start[i], e = ws->node_start[i + 1];
            if (b < e)
                cnt[i] =
                    (uint32_t)score(ws, ws->node_ident + b, b - base, e - base, r->orgs + i * k, k);
        }
    }
    return rc;
}

fz_rc fz__link_rank(struct fz_link_result *r, const struct fz__link_csr *g,
                    const struct fz_link_opts *o, struct fz_err *err)
{
    (void)err;
    struct rank_ws ws;
    size_t np = g->cstart[r->set->ncases], k = o->organisers;
    fz_rc rc = ws_init(&ws, r->set->nidents, np, r->ncl);
    uint32_t *cnt = fz_calloc(r->ncl + 1, sizeof *cnt);
    r->org_start = fz_calloc(r->ncl + 1, sizeof *r->org_start);
    r->orgs = fz_mallocarray(r->ncl * k + 1, sizeof *r->orgs);
    if (rc == FZ_OK && (!cnt || !r->org_start || !r->orgs))
        rc = FZ_E(FZ_ENOMEM);
    double t0 = seconds();
    for (size_t i = 0; rc == FZ_OK && i < r->ncl; i++) {
        size_t n = add_cluster(r, g, i, &ws, r->orgs + i * k, k, &rc);
        cnt[i] = rc == FZ_OK ? (uint32_t)n : 0;
    }
    fz_log(FZ_LOG_DEBUG, "organisers: graphs collected in %.3f s", seconds() - t0);
    if (rc == FZ_OK)
        rc = rank_small(r, &ws, cnt, k);
    /* Compact: cluster i's organisers from i * k to org_start[i]. */
    for (size_t i = 0, n = 0; rc == FZ_OK && i < r->ncl; i++) {
        memmove(r->orgs + n, r->orgs + i * k, cnt[i] * sizeof *r->orgs);
        n += cnt[i];
        r->org_start[i + 1] = (uint32_t)n;
    }
    fz_free(cnt);
    ws_release(&ws);
    return rc;
}
