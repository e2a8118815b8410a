/*
 * link internals shared by set.c, json.c, run.c, rank.c and out.c. Not API:
 * include/fangzha/link.h is. Nothing outside src/link and its unit tests includes this file.
 */
#ifndef FZ_LINK_INT_H
#define FZ_LINK_INT_H

#include "fangzha/link.h"
#include "fangzha/text.h"

/* One interned identifier: kind + canonical value (arena memory, NUL-terminated). */
struct fz__link_ident {
    const char *value;
    uint64_t hash; /* of kind and value: the intern table's key */
    uint32_t len;
    uint8_t kind;
    bool is_public; /* a service number or SMS port (95588, 10086, 110): never a link */
};

/* Cases, identifiers and the case-identifier pairs, in the order added. Invariants: every
 * pair's case < ncases and ident < nidents; slots is a power-of-two open-addressing table of
 * ident index + 1 (0 empty), at most half full. */
struct fz_link_set {
    const struct fz_url_ctx *uctx;
    struct fz_arena arena;   /* case ids and identifier values */
    struct fz_arena scratch; /* one value being normalized */
    struct fz_text text;     /* one script being folded */
    /* cases */
    const char **case_ids;
    int8_t *fraud_type;
    int64_t *loss_fen;
    uint32_t *nidents_of; /* pairs added per case, for FZ_LINK_CAP_IDENTS */
    size_t ncases, cases_cap;
    /* identifiers */
    struct fz__link_ident *idents;
    size_t nidents, idents_cap;
    uint32_t *slots;
    size_t slots_cap;
    /* pairs */
    uint32_t *pair_case, *pair_ident;
    size_t npairs, pairs_cap;
};

/* Interns kind + v[0..len) and appends the pair (c, ident) unless it is the last pair of c
 * already seen. FZ_ENOMEM, FZ_ETOOBIG (FZ_LINK_CAP_IDENTS). */
fz_rc fz__link_set_pair(struct fz_link_set *s, uint32_t c, enum fz_link_kind k, const char *v,
                        size_t len, struct fz_err *err);

/* One identifier of a cluster and the number of its cases that have it. */
struct fz__link_link {
    uint32_t ident;
    uint32_t cases;
};

/* The output of fz_link_run. Clusters are numbered 0..ncl; each has a range in cl_cases,
 * links and orgs given by *_start[i] .. *_start[i+1]. */
struct fz_link_result {
    const struct fz_link_set *set;
    uint32_t *deg;   /* per identifier: distinct cases that have it */
    uint8_t *is_hub; /* per identifier */
    uint32_t hub_limit;
    size_t ncomponents, nsoft_edges, nclustered_nodes;
    size_t ncl;
    uint32_t *cl_start, *cl_cases;
    int64_t *cl_loss;
    uint32_t *lk_start;
    struct fz__link_link *links;
    uint32_t *org_start;
    struct fz_link_organiser *orgs;
    uint32_t *hubs;
    size_t nhubs;
};

/* The case -> identifier and identifier -> case lists of a set, without duplicate pairs. */
struct fz__link_csr {
    uint32_t *cstart, *cidents; /* case c: cidents[cstart[c] .. cstart[c+1]) */
    uint32_t *istart, *icases;  /* ident i: icases[istart[i] .. istart[i+1]), cases ascending */
};
fz_rc fz__link_csr_build(const struct fz_link_set *s, struct fz__link_csr *g);
void fz__link_csr_release(struct fz__link_csr *g);

/* Ranks the identifiers of every cluster of r (cl_* and links filled) into org_start/orgs.
 * FZ_ENOMEM, FZ_EIO (igraph). */
fz_rc fz__link_rank(struct fz_link_result *r, const struct fz__link_csr *g,
                    const struct fz_link_opts *o, struct fz_err *err);

#endif
