/*
 * link/out.c: reading a result and writing it as JSON Lines (docs/link.md): one object per
 * cluster, and a summary with the hubs.
 */
#include "compat.h"

#include "link_int.h"

size_t fz_link_result_nclusters(const struct fz_link_result *r) { return r->ncl; }

size_t fz_link_result_cases(const struct fz_link_result *r, size_t i, const uint32_t **cases)
{
    *cases = r->cl_cases + r->cl_start[i];
    return r->cl_start[i + 1] - r->cl_start[i];
}

size_t fz_link_result_organisers(const struct fz_link_result *r, size_t i,
                                 const struct fz_link_organiser **orgs)
{
    *orgs = r->orgs + r->org_start[i];
    return r->org_start[i + 1] - r->org_start[i];
}

size_t fz_link_result_hubs(const struct fz_link_result *r, const uint32_t **idents)
{
    *idents = r->hubs;
    return r->nhubs;
}

struct fz_link_ident fz_link_result_ident(const struct fz_link_result *r, uint32_t id)
{
    const struct fz__link_ident *x = &r->set->idents[id];
    return (struct fz_link_ident){x->kind, x->value, r->deg[id]};
}

static void kind_value(struct fz_json *j, const struct fz_link_result *r, uint32_t id)
{
    const struct fz__link_ident *x = &r->set->idents[id];
    fz_json_key(j, "kind");
    fz_json_cstr(j, fz_link_kind_name((enum fz_link_kind)x->kind));
    fz_json_key(j, "value");
    fz_json_str(j, x->value, x->len);
}

static void links_json(struct fz_json *j, const struct fz_link_result *r, size_t i)
{
    static const char *const why[] = {"hard", "soft", "hub"};
    fz_json_key(j, "links");
    fz_json_arr(j);
    for (uint32_t k = r->lk_start[i]; k < r->lk_start[i + 1]; k++) {
        uint32_t id = r->links[k].ident;
        int w = r->is_hub[id]                                                      ? 2
                : fz_link_kind_is_hard((enum fz_link_kind)r->set->idents[id].kind) ? 0
                                                                                   : 1;
        fz_json_obj(j);
        kind_value(j, r, id);
        fz_json_key(j, "cases");
        fz_json_uint(j, r->links[k].cases);
        fz_json_key(j, "why");
        fz_json_cstr(j, why[w]);
        if (w == 2) {
            fz_json_key(j, "total_cases");
            fz_json_uint(j, r->deg[id]);
        }
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

fz_rc fz_link_cluster_json(const struct fz_link_result *r, size_t i, struct fz_buf *out)
{
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "cluster_id");
    fz_json_uint(&j, i + 1);
    fz_json_key(&j, "size");
    fz_json_uint(&j, r->cl_start[i + 1] - r->cl_start[i]);
    fz_json_key(&j, "cases");
    fz_json_arr(&j);
    for (uint32_t k = r->cl_start[i]; k < r->cl_start[i + 1]; k++)
        fz_json_cstr(&j, r->set->case_ids[r->cl_cases[k]]);
    fz_json_arr_end(&j);
    links_json(&j, r, i);
    fz_json_key(&j, "loss_fen");
    fz_json_int(&j, r->cl_loss[i]);
    fz_json_key(&j, "organisers");
    fz_json_arr(&j);
    for (uint32_t k = r->org_start[i]; k < r->org_start[i + 1]; k++) {
        fz_json_obj(&j);
        kind_value(&j, r, r->orgs[k].ident);
        fz_json_key(&j, "score");
        fz_json_num(&j, r->orgs[k].score, 4);
        fz_json_obj_end(&j);
    }
    fz_json_arr_end(&j);
    fz_json_obj_end(&j);
    return j.rc;
}

fz_rc fz_link_summary_json(const struct fz_link_result *r, struct fz_buf *out)
{
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "summary");
    fz_json_obj(&j);
    fz_json_key(&j, "cases");
    fz_json_uint(&j, r->set->ncases);
    fz_json_key(&j, "identifiers");
    fz_json_uint(&j, r->set->nidents);
    fz_json_key(&j, "pairs");
    fz_json_uint(&j, r->set->npairs);
    fz_json_key(&j, "hard_components");
    fz_json_uint(&j, r->ncomponents);
    fz_json_key(&j, "soft_edges");
    fz_json_uint(&j, r->nsoft_edges);
    fz_json_key(&j, "clusters");
    fz_json_uint(&j, r->ncl);
    size_t clustered = r->ncl ? r->cl_start[r->ncl] : 0;
    fz_json_key(&j, "cases_in_clusters");
    fz_json_uint(&j, clustered);
    fz_json_key(&j, "hub_limit");
    fz_json_uint(&j, r->hub_limit);
    fz_json_obj_end(&j);
    fz_json_key(&j, "hubs");
    fz_json_arr(&j);
    for (size_t k = 0; k < r->nhubs; k++) {
        fz_json_obj(&j);
        kind_value(&j, r, r->hubs[k]);
        fz_json_key(&j, "cases");
        fz_json_uint(&j, r->deg[r->hubs[k]]);
        fz_json_obj_end(&j);
    }
    fz_json_arr_end(&j);
    fz_json_obj_end(&j);
    return j.rc;
}
