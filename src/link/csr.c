/*
 * link/csr.c: the two adjacency lists of a set's pairs, case -> identifiers and identifier ->
 * cases, built with two counting sorts (linear in the pairs, no comparison sort), with
 * repeated pairs dropped.
 */
#include "compat.h"

#include "link_int.h"

void fz__link_csr_release(struct fz__link_csr *g)
{
    fz_free(g->cstart);
    fz_free(g->cidents);
    fz_free(g->istart);
    fz_free(g->icases);
    *g = (struct fz__link_csr){0};
}

/* start[0..n] from counts of key[0..np): start[k] is where key k's run begins. */
static void prefix(uint32_t *start, size_t n, const uint32_t *key, size_t np)
{
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < np; i++)
        start[key[i] + 1]++;
    for (size_t k = 0; k < n; k++)
        start[k + 1] += start[k];
}

fz_rc fz__link_csr_build(const struct fz_link_set *s, struct fz__link_csr *g)
{
    size_t n = s->ncases, m = s->nidents, np = s->npairs;
    *g = (struct fz__link_csr){0};
    g->cstart = fz_mallocarray(n + 1, sizeof(uint32_t));
    g->cidents = fz_mallocarray(np ? np : 1, sizeof(uint32_t));
    g->istart = fz_mallocarray(m + 1, sizeof(uint32_t));
    g->icases = fz_mallocarray(np ? np : 1, sizeof(uint32_t));
    uint32_t *fill = fz_mallocarray((n > m ? n : m) + 1, sizeof(uint32_t));
    uint32_t *mark = fz_calloc(m + 1, sizeof(uint32_t));
    if (!g->cstart || !g->cidents || !g->istart || !g->icases || !fill || !mark) {
        fz_free(fill);
        fz_free(mark);
        fz__link_csr_release(g);
        return FZ_E(FZ_ENOMEM);
    }
    /* case -> identifiers, dropping an identifier a case already listed */
    prefix(g->cstart, n, s->pair_case, np);
    memcpy(fill, g->cstart, n * sizeof *fill);
    for (size_t i = 0; i < np; i++)
        g->cidents[fill[s->pair_case[i]]++] = s->pair_ident[i];
    size_t out = 0;
    for (size_t c = 0; c < n; c++) {
        uint32_t b = g->cstart[c], e = g->cstart[c + 1];
        g->cstart[c] = (uint32_t)out;
        for (uint32_t j = b; j < e; j++) {
            uint32_t id = g->cidents[j];
            if (mark[id] != c + 1) {
                mark[id] = (uint32_t)c + 1;
                g->cidents[out++] = id;
            }
        }
    }
    g->cstart[n] = (uint32_t)out;
    /* identifier -> cases, cases ascending (cases are visited in order) */
    prefix(g->istart, m, g->cidents, out);
    memcpy(fill, g->istart, m * sizeof *fill);
    for (size_t c = 0; c < n; c++)
        for (uint32_t j = g->cstart[c]; j < g->cstart[c + 1]; j++)
            g->icases[fill[g->cidents[j]]++] = (uint32_t)c;
    fz_free(fill);
    fz_free(mark);
    return FZ_OK;
}
