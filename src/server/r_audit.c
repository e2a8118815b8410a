/* server/r_audit: GET /audit — the audit log for auditors (their reads are audited too). */
#include "server_int.h"

#include <string.h>

static void json_audit(struct fz_json *j, const struct fz_audit *a)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, a->id);
    srv_json_time(j, "at", a->at_ms);
    fz_json_key(j, "actor_kind");
    fz_json_cstr(j, fz_actor_kind_name(a->actor_kind));
    srv_json_id_or_null(j, "actor_id", a->actor_id);
    srv_json_id_or_null(j, "org_id", a->org_id);
    fz_json_key(j, "request_id");
    fz_json_cstr(j, a->request_id);
    fz_json_key(j, "client_tag");
    fz_json_cstr(j, a->client_tag);
    fz_json_key(j, "action");
    fz_json_cstr(j, a->action);
    fz_json_key(j, "object_kind");
    fz_json_cstr(j, a->object_kind);
    srv_json_id_or_null(j, "object_id", a->object_id);
    fz_json_key(j, "outcome");
    fz_json_cstr(j, a->outcome);
    fz_json_key(j, "detail");
    fz_json_cstr(j, a->detail);
    fz_json_obj_end(j);
}

void srv_h_audit_list(struct srv_req *r)
{
    struct fz_audit_filter f;
    fz_audit_filter_init(&f);
    int64_t limit = 0, after = 0, since = 0, object_id = 0, actor_id = 0;
    if (!srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after) ||
        !srv_arg_int(r, "since_ms", 0, INT64_MAX, &since) ||
        !srv_arg_int(r, "object_id", 1, INT64_MAX, &object_id) ||
        !srv_arg_int(r, "actor_id", 1, INT64_MAX, &actor_id))
        return;
    f.limit = (int)limit;
    f.after_id = after;
    f.since_ms = since;
    f.object_id = object_id;
    f.actor_id = actor_id;
    f.action = srv_arg(r, "action");
    f.object_kind = srv_arg(r, "object_kind");
    struct fz_audit *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc = fz_store_audit_list(r->srv->store, &r->actor, &f, &r->arena, &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_audit, next);
}
