/*
 * link/run.c: from a set of cases to clusters. Steps (docs/internals/link.md): the adjacency
 * lists; hubs (identifiers shared by more cases than the hub limit); union-find over the hard
 * identifiers that are not hubs; a weighted graph of the hard components along the soft
 * identifiers, clustered with Leiden (constant Potts model, components weighted by their
 * case counts); the reported clusters with their links and total loss; then rank.c ranks
 * their organisers.
 */
#include "compat.h"

#include "link_int.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

FZ_LOG_MODULE(link);

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void fz_link_opts_init(struct fz_link_opts *o)
{
    *o = (struct fz_link_opts){
        .hub_cap = 50,
        .hub_floor = 10,
        .hub_ratio = 0.05,
        .resolution = 0.02,
        .w_device = 1.0,
        .w_script = 0.8,
        .w_ip = 0.5,
        .min_cluster = 2,
        .organisers = 5,
        .max_links = 100,
        .seed = 1,
    };
}

static bool finite_nonneg(double x) { return isfinite(x) && x >= 0; }

static fz_rc check_opts(const struct fz_link_opts *o, struct fz_err *err)
{
    if (o->organisers > FZ_LINK_MAX_ORGANISERS)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "at most %d organisers per cluster",
                          FZ_LINK_MAX_ORGANISERS);
    if (o->hub_cap == 0 || !finite_nonneg(o->hub_ratio) || !finite_nonneg(o->resolution) ||
        !finite_nonneg(o->w_device) || !finite_nonneg(o->w_script) || !finite_nonneg(o->w_ip))
        return fz_err_set(err, FZ_E(FZ_EINVAL),
                          "hub cap must be positive; ratio, resolution and weights finite, >= 0");
    return FZ_OK;
}

void fz_link_result_free(struct fz_link_result *r)
{
    if (!r)
        return;
    fz_free(r->deg);
    fz_free(r->is_hub);
    fz_free(r->cl_start);
    fz_free(r->cl_cases);
    fz_free(r->cl_loss);
    fz_free(r->lk_start);
    fz_free(r->links);
    fz_free(r->org_start);
    fz_free(r->orgs);
    fz_free(r->hubs);
    fz_free(r);
}

/* ---- hubs ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* deg, is_hub, hub_limit and the sorted hub list. */
static fz_rc find_hubs(struct fz_link_result *r, const struct fz__link_csr *g,
                       const struct fz_link_opts *o)
{
    size_t n = r->set->ncases, m = r->set->nidents;
    double by_ratio = ceil(o->hub_ratio * (double)n);
    uint32_t limit = by_ratio > (double)o->hub_floor ? (uint32_t)fmin(by_ratio, 4e9) : o->hub_floor;
    r->hub_limit = limit < o->hub_cap ? limit : o->hub_cap;
    r->deg = fz_mallocarray(m ? m : 1, sizeof *r->deg);
    r->is_hub = fz_calloc(m ? m : 1, 1);
    if (!r->deg || !r->is_hub)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < m; i++) {
        r->deg[i] = g->istart[i + 1] - g->istart[i];
        if (r->deg[i] > r->hub_limit || (r->set->idents[i].is_public && r->deg[i] >= 2)) {
            r->is_hub[i] = 1;
            r->nhubs++;
        }
    }
    /* Most shared first, then by identifier: sort (UINT32_MAX - deg, id) as one key. */
    uint64_t *keys = fz_mallocarray(r->nhubs ? r->nhubs : 1, sizeof *keys);
    r->hubs = fz_mallocarray(r->nhubs ? r->nhubs : 1, sizeof *r->hubs);
    if (!keys || !r->hubs) {
        fz_free(keys);
        return FZ_E(FZ_ENOMEM);
    }
    for (size_t i = 0, k = 0; i < m; i++)
        if (r->is_hub[i])
            keys[k++] = (uint64_t)(UINT32_MAX - r->deg[i]) << 32 | i;
    qsort(keys, r->nhubs, sizeof *keys, cmp_u64);
    for (size_t k = 0; k < r->nhubs; k++)
        r->hubs[k] = (uint32_t)keys[k];
    fz_free(keys);
    return FZ_OK;
}

/* ---- union-find over hard identifiers ---- */

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

/* The smaller root wins, so a component's root is its first case. */
static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* comp[c]: the hard component of case c, numbered by first case; returns their count. */
static size_t hard_components(const struct fz_link_result *r, const struct fz__link_csr *g,
                              uint32_t *comp)
{
    size_t n = r->set->ncases, m = r->set->nidents;
    for (size_t c = 0; c < n; c++)
        comp[c] = (uint32_t)c;
    for (size_t i = 0; i < m; i++) {
        if (r->is_hub[i] || !fz_link_kind_is_hard(r->set->idents[i].kind))
            continue;
        for (uint32_t j = g->istart[i] + 1; j < g->istart[i + 1]; j++)
            uf_union(comp, g->icases[g->istart[i]], g->icases[j]);
    }
    for (size_t c = 0; c < n; c++)
        comp[c] = uf_find(comp, (uint32_t)c);
    /* Roots are first cases (root <= c), so numbering roots in case order numbers components
     * the same, and a root's number is written before its other cases read it. */
    size_t ncomp = 0;
    for (size_t c = 0; c < n; c++)
        comp[c] = comp[c] == c ? (uint32_t)ncomp++ : comp[comp[c]];
    return ncomp;
}

/* ---- soft links between components ---- */

struct edge {
    uint32_t a, b; /* components, a < b */
    double w;
};

struct edges {
    struct edge *e;
    size_t n, cap;
};

static fz_rc push_edge(struct edges *es, uint32_t a, uint32_t b, double w)
{
    if (es->n == es->cap) {
        size_t ncap = es->cap ? es->cap * 2 : 4096;
        struct edge *p = fz_realloc(es->e, ncap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        es->e = p;
        es->cap = ncap;
    }
    es->e[es->n++] = (struct edge){a, b, w};
    return FZ_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_edge(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

static double soft_weight(const struct fz_link_opts *o, uint8_t kind)
{
    return kind == FZ_LINK_DEVICE ? o->w_device : kind == FZ_LINK_IP ? o->w_ip : o->w_script;
}

/* Every pair of distinct components sharing a soft identifier, weights summed per pair. */
static fz_rc soft_edges(const struct fz_link_result *r, const struct fz__link_csr *g,
                        const struct fz_link_opts *o, const uint32_t *comp, struct edges *es)
{
    size_t m = r->set->nidents;
    uint32_t *buf = fz_mallocarray(r->hub_limit + 1, sizeof *buf);
    if (!buf)
        return FZ_E(FZ_ENOMEM);
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < m && rc == FZ_OK; i++) {
        uint8_t kind = r->set->idents[i].kind;
        if (r->is_hub[i] || fz_link_kind_is_hard(kind) || r->deg[i] < 2)
            continue;
        size_t d = 0;
        for (uint32_t j = g->istart[i]; j < g->istart[i + 1]; j++)
            buf[d++] = comp[g->icases[j]];
        qsort(buf, d, sizeof *buf, cmp_u32);
        size_t u = 0;
        for (size_t j = 0; j < d; j++)
            if (u == 0 || buf[u - 1] != buf[j])
                buf[u++] = buf[j];
        double w = soft_weight(o, kind) * 4 / ((double)u * (double)u);
        for (size_t x = 0; x < u && rc == FZ_OK; x++)
            for (size_t y = x + 1; y < u && rc == FZ_OK; y++)
                rc = push_edge(es, buf[x], buf[y], w);
    }
    fz_free(buf);
    if (rc)
        return rc;
    if (es->n > 1)
        qsort(es->e, es->n, sizeof *es->e, cmp_edge);
    size_t u = 0;
    for (size_t j = 0; j < es->n; j++) {
        if (u && es->e[u - 1].a == es->e[j].a && es->e[u - 1].b == es->e[j].b)
            es->e[u - 1].w += es->e[j].w;
        else
            es->e[u++] = es->e[j];
    }
    es->n = u;
    return FZ_OK;
}

/* ---- Leiden over the components that soft links touch ---- */

/* Sets igraph up for one run: errors are returned, never abort; the seed fixes the order. */
static void igraph_setup(uint64_t seed)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
}

struct leiden_in {
    const struct edges *es;
    const uint32_t *comp_size;
    const uint32_t *gnode_comp; /* graph node -> component */
    size_t nnodes;
    const uint32_t *gnode; /* component -> graph node */
};

/* membership[graph node] from Leiden. */
static fz_rc leiden(const struct leiden_in *in, const struct fz_link_opts *o,
                    igraph_vector_int_t *membership)
{
    igraph_vector_int_t ev;
    igraph_vector_t w, nw;
    igraph_t graph;
    size_t ne = in->es->n;
    if (igraph_vector_int_init(&ev, (igraph_integer_t)(2 * ne)))
        return FZ_E(FZ_ENOMEM);
    bool ok = igraph_vector_init(&w, (igraph_integer_t)ne) == IGRAPH_SUCCESS;
    if (!ok) {
        igraph_vector_int_destroy(&ev);
        return FZ_E(FZ_ENOMEM);
    }
    ok = igraph_vector_init(&nw, (igraph_integer_t)in->nnodes) == IGRAPH_SUCCESS;
    for (size_t k = 0; ok && k < ne; k++) {
        VECTOR(ev)[2 * k] = in->gnode[in->es->e[k].a];
        VECTOR(ev)[2 * k + 1] = in->gnode[in->es->e[k].b];
        VECTOR(w)[k] = in->es->e[k].w;
    }
    for (size_t v = 0; ok && v < in->nnodes; v++)
        VECTOR(nw)[v] = in->comp_size[in->gnode_comp[v]];
    fz_rc rc = ok ? FZ_OK : FZ_E(FZ_ENOMEM);
    if (ok && igraph_create(&graph, &ev, (igraph_integer_t)in->nnodes, IGRAPH_UNDIRECTED))
        rc = FZ_E(FZ_EIO);
    if (rc == FZ_OK) {
        igraph_integer_t nb;
        igraph_real_t q;
        if (igraph_community_leiden(&graph, &w, &nw, o->resolution, 0.01, false, 1, membership, &nb,
                                    &q))
            rc = FZ_E(FZ_EIO);
        igraph_destroy(&graph);
    }
    if (ok)
        igraph_vector_destroy(&nw);
    igraph_vector_destroy(&w);
    igraph_vector_int_destroy(&ev);
    return rc;
}

/* cl[comp]: the cluster of each component, named by its first component. */
static fz_rc soft_clusters(struct fz_link_result *r, const struct edges *es,
                           const uint32_t *comp_size, size_t ncomp, const struct fz_link_opts *o,
                           uint32_t *cl)
{
    for (size_t k = 0; k < ncomp; k++)
        cl[k] = UINT32_MAX; /* first: component -> graph node, UINT32_MAX when none */
    for (size_t k = 0; k < es->n; k++)
        cl[es->e[k].a] = cl[es->e[k].b] = 0;
    size_t nn = 0;
    for (size_t k = 0; k < ncomp; k++)
        if (cl[k] == 0)
            nn++;
    r->nclustered_nodes = nn;
    uint32_t *node_comp = fz_mallocarray(nn ? nn : 1, sizeof *node_comp);
    uint32_t *rep = fz_mallocarray(nn ? nn : 1, sizeof *rep);
    igraph_vector_int_t mem;
    if (!node_comp || !rep || igraph_vector_int_init(&mem, 0)) {
        fz_free(node_comp);
        fz_free(rep);
        return FZ_E(FZ_ENOMEM);
    }
    for (size_t k = 0, v = 0; k < ncomp; k++)
        if (cl[k] == 0) {
            node_comp[v] = (uint32_t)k;
            cl[k] = (uint32_t)v++;
        }
    struct leiden_in in = {es, comp_size, node_comp, nn, cl};
    fz_rc rc = nn ? leiden(&in, o, &mem) : FZ_OK;
    if (rc == FZ_OK) {
        for (size_t v = 0; v < nn; v++)
            rep[v] = UINT32_MAX;
        /* Nodes are in component order, so the first node of a community is its first
         * component. */
        for (size_t v = 0; v < nn; v++) {
            igraph_integer_t c = VECTOR(mem)[v];
            if (rep[c] == UINT32_MAX)
                rep[c] = node_comp[v];
        }
        for (size_t k = 0; k < ncomp; k++)
            cl[k] = cl[k] == UINT32_MAX ? (uint32_t)k : UINT32_MAX - 1; /* alone / in graph */
        for (size_t v = 0; v < nn; v++)
            cl[node_comp[v]] = rep[VECTOR(mem)[v]];
    }
    igraph_vector_int_destroy(&mem);
    fz_free(node_comp);
    fz_free(rep);
    return rc;
}

/* ---- reported clusters ---- */

/* cl_start, cl_cases and cl_loss from the cluster of every case (case_cl, named by
 * component), keeping clusters of at least min_cluster cases, largest first. */
static fz_rc gather(struct fz_link_result *r, const uint32_t *case_cl, size_t ncomp,
                    const struct fz_link_opts *o)
{
    size_t n = r->set->ncases;
    uint32_t *size = fz_calloc(ncomp ? ncomp : 1, sizeof *size);
    uint64_t *keys = fz_mallocarray(ncomp ? ncomp : 1, sizeof *keys);
    fz_rc rc = FZ_E(FZ_ENOMEM);
    if (!size || !keys)
        goto out;
    for (size_t c = 0; c < n; c++)
        size[case_cl[c]]++;
    size_t ncl = 0;
    for (size_t k = 0; k < ncomp; k++)
        if (size[k] >= o->min_cluster && size[k] > 0)
            keys[ncl++] = (uint64_t)(UINT32_MAX - size[k]) << 32 | k;
    qsort(keys, ncl, sizeof *keys, cmp_u64);
    r->ncl = ncl;
    r->cl_start = fz_calloc(ncl + 1, sizeof *r->cl_start);
    r->cl_loss = fz_calloc(ncl ? ncl : 1, sizeof *r->cl_loss);
    r->cl_cases = fz_mallocarray(n ? n : 1, sizeof *r->cl_cases);
    if (!r->cl_start || !r->cl_loss || !r->cl_cases)
        goto out;
    /* size[] now maps a cluster's name to its output index + 1 (0: not reported) */
    for (size_t i = 0; i < ncl; i++)
        r->cl_start[i + 1] = r->cl_start[i] + (UINT32_MAX - (uint32_t)(keys[i] >> 32));
    memset(size, 0, ncomp * sizeof *size);
    for (size_t i = 0; i < ncl; i++)
        size[(uint32_t)keys[i]] = (uint32_t)i + 1;
    /* keys is reused as the fill positions */
    for (size_t i = 0; i < ncl; i++)
        keys[i] = r->cl_start[i];
    for (size_t c = 0; c < n; c++) {
        uint32_t i = size[case_cl[c]];
        if (i-- == 0)
            continue;
        r->cl_cases[keys[i]++] = (uint32_t)c;
        int64_t loss = r->set->loss_fen[c];
        r->cl_loss[i] = r->cl_loss[i] > INT64_MAX - loss ? INT64_MAX : r->cl_loss[i] + loss;
    }
    rc = FZ_OK;
out:
    fz_free(size);
    fz_free(keys);
    return rc;
}

/* hard, soft, hub: the order links are listed in. */
static int why_rank(const struct fz_link_result *r, uint32_t id)
{
    return r->is_hub[id] ? 2 : fz_link_kind_is_hard(r->set->idents[id].kind) ? 0 : 1;
}

struct link_key {
    uint64_t key; /* why rank, then most cases first, then identifier */
    struct fz__link_link link;
};

static int cmp_link(const void *a, const void *b)
{
    uint64_t x = ((const struct link_key *)a)->key, y = ((const struct link_key *)b)->key;
    return x < y ? -1 : x > y;
}

/* The links of cluster i: identifiers at least two of its cases share, into lk (appended). */
static size_t cluster_links(const struct fz_link_result *r, const struct fz__link_csr *g, size_t i,
                            uint32_t *lcount, uint32_t *seen, struct link_key *tmp,
                            uint32_t max_links)
{
    size_t nseen = 0, nt = 0;
    for (uint32_t j = r->cl_start[i]; j < r->cl_start[i + 1]; j++) {
        uint32_t c = r->cl_cases[j];
        for (uint32_t q = g->cstart[c]; q < g->cstart[c + 1]; q++)
            if (lcount[g->cidents[q]]++ == 0)
                seen[nseen++] = g->cidents[q];
    }
    for (size_t k = 0; k < nseen; k++) {
        uint32_t id = seen[k];
        if (lcount[id] >= 2)
            tmp[nt++] = (struct link_key){(uint64_t)why_rank(r, id) << 62 |
                                              (uint64_t)(UINT32_MAX - lcount[id]) << 30 | id,
                                          {id, lcount[id]}};
        lcount[id] = 0;
    }
    qsort(tmp, nt, sizeof *tmp, cmp_link);
    return nt < max_links ? nt : max_links;
}

static fz_rc all_links(struct fz_link_result *r, const struct fz__link_csr *g,
                       const struct fz_link_opts *o)
{
    size_t m = r->set->nidents, np = g->cstart[r->set->ncases];
    uint32_t *lcount = fz_calloc(m ? m : 1, sizeof *lcount);
    uint32_t *seen = fz_mallocarray(np ? np : 1, sizeof *seen);
    struct link_key *tmp = fz_mallocarray(np ? np : 1, sizeof *tmp);
    r->lk_start = fz_calloc(r->ncl + 1, sizeof *r->lk_start);
    size_t cap = 1024, n = 0;
    r->links = fz_mallocarray(cap, sizeof *r->links);
    fz_rc rc = FZ_OK;
    if (!lcount || !seen || !tmp || !r->lk_start || !r->links)
        rc = FZ_E(FZ_ENOMEM);
    for (size_t i = 0; rc == FZ_OK && i < r->ncl; i++) {
        size_t k = cluster_links(r, g, i, lcount, seen, tmp, o->max_links);
        if (n + k > cap) {
            while (n + k > cap)
                cap *= 2;
            struct fz__link_link *p = fz_realloc(r->links, cap * sizeof *p);
            if (!p) {
                rc = FZ_E(FZ_ENOMEM);
                break;
            }
            r->links = p;
        }
        for (size_t j = 0; j < k; j++)
            r->links[n++] = tmp[j].link;
        r->lk_start[i + 1] = (uint32_t)n;
    }
    fz_free(lcount);
    fz_free(seen);
    fz_free(tmp);
    return rc;
}

/* ---- the whole run ---- */

/* Components, soft clustering and the reported clusters with their links. */
static fz_rc cluster(struct fz_link_result *r, const struct fz__link_csr *g,
                     const struct fz_link_opts *o)
{
    size_t n = r->set->ncases;
    uint32_t *comp = fz_mallocarray(n ? n : 1, sizeof *comp);
    uint32_t *comp_size = NULL, *cl = NULL;
    struct edges es = {0};
    fz_rc rc = FZ_E(FZ_ENOMEM);
    if (!comp)
        goto out;
    double t0 = seconds();
    size_t ncomp = hard_components(r, g, comp);
    r->ncomponents = ncomp;
    comp_size = fz_calloc(ncomp ? ncomp : 1, sizeof *comp_size);
    cl = fz_mallocarray(ncomp ? ncomp : 1, sizeof *cl);
    if (!comp_size || !cl)
        goto out;
    for (size_t c = 0; c < n; c++)
        comp_size[comp[c]]++;
    double t1 = seconds();
    if ((rc = soft_edges(r, g, o, comp, &es)))
        goto out;
    r->nsoft_edges = es.n;
    double t2 = seconds();
    if ((rc = soft_clusters(r, &es, comp_size, ncomp, o, cl)))
        goto out;
    double t3 = seconds();
    for (size_t c = 0; c < n; c++)
        comp[c] = cl[comp[c]]; /* now the cluster of each case */
    if ((rc = gather(r, comp, ncomp, o)) == FZ_OK)
        rc = all_links(r, g, o);
    fz_log(FZ_LOG_DEBUG,
           "union-find %.3f s (%zu components), soft edges %.3f s (%zu), leiden %.3f s (%zu "
           "nodes), clusters and links %.3f s",
           t1 - t0, ncomp, t2 - t1, es.n, t3 - t2, r->nclustered_nodes, seconds() - t3);
out:
    fz_free(comp);
    fz_free(comp_size);
    fz_free(cl);
    fz_free(es.e);
    return rc;
}

fz_rc fz_link_run(const struct fz_link_set *s, const struct fz_link_opts *o,
                  struct fz_link_result **out, struct fz_err *err)
{
    struct fz_link_opts defaults;
    if (!o) {
        fz_link_opts_init(&defaults);
        o = &defaults;
    }
    fz_rc rc = check_opts(o, err);
    if (rc)
        return rc;
    struct fz_link_result *r = fz_calloc(1, sizeof *r);
    if (!r)
        return fz_err_set(err, FZ_E(FZ_ENOMEM), "out of memory");
    r->set = s;
    igraph_setup(o->seed);
    struct fz__link_csr g;
    double t0 = seconds();
    if ((rc = fz__link_csr_build(s, &g)) == FZ_OK) {
        double t1 = seconds(), t2 = t1;
        if ((rc = find_hubs(r, &g, o)) == FZ_OK && (rc = cluster(r, &g, o)) == FZ_OK) {
            t2 = seconds();
            rc = fz__link_rank(r, &g, o, err);
        }
        fz_log(FZ_LOG_DEBUG, "lists %.3f s, hubs and clusters %.3f s, organisers %.3f s", t1 - t0,
               t2 - t1, seconds() - t2);
        fz__link_csr_release(&g);
    }
    if (rc) {
        fz_link_result_free(r);
        return err && err->code == rc ? rc
                                      : fz_err_set(err, rc, "linking failed: %s", fz_strerror(rc));
    }
    *out = r;
    return FZ_OK;
}
