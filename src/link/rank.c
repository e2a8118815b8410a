/*
 * link/rank.c: the organisers of each cluster. The identifier graph of a cluster has one node
 * per identifier of its cases (hubs left out) and an edge between two identifiers for every
 * case that has both (weight: the number of such cases). An organiser's phone or account sits
 * in many of the gang's cases next to everything else, so it scores high on all three of
 * PageRank (weighted), betweenness (how many shortest paths between the gang's identifiers
 * pass through it) and coreness (k-core: the densest part of the gang). score = 0.5 PR/maxPR +
 * 0.3 B/maxB + 0.2 core/maxcore, each over the cluster; only identifiers in two or more of its
 * cases compete (docs/internals/link.md).
 */
#include "compat.h"

#include "link_int.h"

#include <igraph.h>
#include <stdlib.h>

/* Identifiers of one case that enter the graph: more would add edges quadratically. */
#define RANK_IDENTS_PER_CASE 64
/* Over this many identifiers, betweenness only follows paths of at most RANK_CUTOFF steps. */
#define RANK_EXACT_NODES 3000
#define RANK_CUTOFF 4

/* Scratch for every cluster, reused. */
struct rank_ws {
    uint32_t *lidx;  /* per identifier of the set: local index + 1, 0 when not in the cluster */
    uint32_t *ids;   /* local index -> identifier */
    uint32_t *lcnt;  /* local index -> cases of the cluster that have it */
    uint64_t *pairs; /* edge keys a << 32 | b */
    size_t pairs_cap;
    struct fz_link_organiser *cand;
    igraph_vector_int_t ev, core;
    igraph_vector_t w, pr, bt;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Collects the local identifiers and the edge keys of cluster i; returns the edge key count
 * or SIZE_MAX when out of memory. */
static size_t collect(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                      struct rank_ws *ws, size_t *nloc)
{
    size_t n = 0, np = 0;
    for (uint32_t j = r->cl_start[i]; j < r->cl_start[i + 1]; j++) {
        uint32_t c = r->cl_cases[j], local[RANK_IDENTS_PER_CASE];
        size_t nl = 0;
        for (uint32_t q = g->cstart[c]; q < g->cstart[c + 1] && nl < RANK_IDENTS_PER_CASE; q++) {
            uint32_t id = g->cidents[q];
            if (r->is_hub[id])
                continue;
            if (ws->lidx[id] == 0) {
                ws->ids[n] = id;
                ws->lcnt[n] = 0;
                ws->lidx[id] = (uint32_t)++n;
            }
            ws->lcnt[ws->lidx[id] - 1]++;
            local[nl++] = ws->lidx[id] - 1;
        }
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
    *nloc = n;
    return np;
}

/* Builds the graph from the sorted keys, merging repeated ones into weights. */
static fz_rc build(struct rank_ws *ws, size_t np, size_t nloc, igraph_t *graph)
{
    qsort(ws->pairs, np, sizeof *ws->pairs, cmp_u64);
    size_t ne = 0;
    if (igraph_vector_int_resize(&ws->ev, (igraph_integer_t)(2 * np)) ||
        igraph_vector_resize(&ws->w, (igraph_integer_t)np))
        return FZ_E(FZ_ENOMEM);
    for (size_t k = 0; k < np; k++) {
        if (ne && ws->pairs[k] == ws->pairs[k - 1]) {
            VECTOR(ws->w)[ne - 1] += 1;
            continue;
        }
        VECTOR(ws->ev)[2 * ne] = (igraph_integer_t)(ws->pairs[k] >> 32);
        VECTOR(ws->ev)[2 * ne + 1] = (igraph_integer_t)(ws->pairs[k] & UINT32_MAX);
        VECTOR(ws->w)[ne++] = 1;
    }
    if (igraph_vector_int_resize(&ws->ev, (igraph_integer_t)(2 * ne)) ||
        igraph_vector_resize(&ws->w, (igraph_integer_t)ne))
        return FZ_E(FZ_ENOMEM);
    return igraph_create(graph, &ws->ev, (igraph_integer_t)nloc, IGRAPH_UNDIRECTED) ? FZ_E(FZ_EIO)
                                                                                    : FZ_OK;
}

static double vmax(const igraph_vector_t *v)
{
    double m = 0;
    for (igraph_integer_t k = 0; k < igraph_vector_size(v); k++)
        m = VECTOR(*v)[k] > m ? VECTOR(*v)[k] : m;
    return m;
}

static int cmp_org(const void *a, const void *b)
{
    const struct fz_link_organiser *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->ident < y->ident ? -1 : x->ident > y->ident;
}

/* Scores the candidates of a cluster whose graph is built; returns how many there are in
 * ws->cand, best first. */
static size_t score(struct rank_ws *ws, size_t nloc)
{
    double mpr = vmax(&ws->pr), mbt = vmax(&ws->bt), mco = 0;
    for (size_t v = 0; v < nloc; v++)
        mco = (double)VECTOR(ws->core)[v] > mco ? (double)VECTOR(ws->core)[v] : mco;
    size_t nc = 0, nmulti = 0;
    for (size_t v = 0; v < nloc; v++)
        nmulti += ws->lcnt[v] >= 2;
    for (size_t v = 0; v < nloc; v++) {
        if (nmulti && ws->lcnt[v] < 2)
            continue;
        double s = (mpr > 0 ? 0.5 * VECTOR(ws->pr)[v] / mpr : 0) +
                   (mbt > 0 ? 0.3 * VECTOR(ws->bt)[v] / mbt : 0) +
                   (mco > 0 ? 0.2 * (double)VECTOR(ws->core)[v] / mco : 0);
        ws->cand[nc++] = (struct fz_link_organiser){ws->ids[v], s};
    }
    qsort(ws->cand, nc, sizeof *ws->cand, cmp_org);
    return nc;
}

/* Ranks cluster i into ws->cand; returns the count, or SIZE_MAX with *rc set. */
static size_t rank_cluster(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                           struct rank_ws *ws, fz_rc *rc)
{
    size_t nloc = 0, np = collect(r, g, i, ws, &nloc);
    *rc = np == SIZE_MAX ? FZ_E(FZ_ENOMEM) : FZ_OK;
    igraph_t graph;
    if (*rc == FZ_OK && nloc > 0)
        *rc = build(ws, np, nloc, &graph);
    if (*rc == FZ_OK && nloc > 0) {
        igraph_real_t cutoff = nloc > RANK_EXACT_NODES ? RANK_CUTOFF : -1;
        if (igraph_pagerank(&graph, IGRAPH_PAGERANK_ALGO_PRPACK, &ws->pr, NULL, igraph_vss_all(),
                            false, 0.85, &ws->w, NULL) ||
            igraph_betweenness_cutoff(&graph, &ws->bt, igraph_vss_all(), false, NULL, cutoff) ||
            igraph_coreness(&graph, &ws->core, IGRAPH_ALL))
            *rc = FZ_E(FZ_EIO);
        igraph_destroy(&graph);
    }
    size_t nc = *rc == FZ_OK && nloc > 0 ? score(ws, nloc) : 0;
    for (size_t v = 0; v < nloc; v++)
        ws->lidx[ws->ids[v]] = 0;
    return *rc ? SIZE_MAX : nc;
}

static fz_rc ws_init(struct rank_ws *ws, size_t m, size_t np)
{
    *ws = (struct rank_ws){0};
    ws->lidx = fz_calloc(m ? m : 1, sizeof *ws->lidx);
    ws->ids = fz_mallocarray(np ? np : 1, sizeof *ws->ids);
    ws->lcnt = fz_mallocarray(np ? np : 1, sizeof *ws->lcnt);
    ws->cand = fz_mallocarray(np ? np : 1, sizeof *ws->cand);
    if (!ws->lidx || !ws->ids || !ws->lcnt || !ws->cand)
        return FZ_E(FZ_ENOMEM);
    if (igraph_vector_int_init(&ws->ev, 0) || igraph_vector_int_init(&ws->core, 0) ||
        igraph_vector_init(&ws->w, 0) || igraph_vector_init(&ws->pr, 0) ||
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
    /* igraph's destroy functions accept vectors that were never initialised only when they
     * were zeroed, which ws_init does first. */
    if (VECTOR(ws->ev))
        igraph_vector_int_destroy(&ws->ev);
    if (VECTOR(ws->core))
        igraph_vector_int_destroy(&ws->core);
    if (VECTOR(ws->w))
        igraph_vector_destroy(&ws->w);
    if (VECTOR(ws->pr))
        igraph_vector_destroy(&ws->pr);
    if (VECTOR(ws->bt))
        igraph_vector_destroy(&ws->bt);
}

fz_rc fz__link_rank(struct fz_link_result *r, const struct fz__link_csr *g,
                    const struct fz_link_opts *o, struct fz_err *err)
{
    (void)err;
    struct rank_ws ws;
    size_t np = g->cstart[r->set->ncases];
    fz_rc rc = ws_init(&ws, r->set->nidents, np);
    r->org_start = fz_calloc(r->ncl + 1, sizeof *r->org_start);
    r->orgs = fz_mallocarray((size_t)r->ncl * o->organisers + 1, sizeof *r->orgs);
    if (rc == FZ_OK && (!r->org_start || !r->orgs))
        rc = FZ_E(FZ_ENOMEM);
    size_t n = 0;
    for (size_t i = 0; rc == FZ_OK && i < r->ncl; i++) {
        size_t nc = rank_cluster(r, g, i, &ws, &rc);
        for (size_t k = 0; rc == FZ_OK && k < nc && k < o->organisers; k++)
            r->orgs[n++] = ws.cand[k];
        r->org_start[i + 1] = (uint32_t)n;
    }
    ws_release(&ws);
    return rc;
}
