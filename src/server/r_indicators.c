/*
 * server/r_indicators: the intelligence staff and partners share — create (upsert), search by
 * kind and value (normalized as the engines do), read, change status / TLP / expiry with a
 * reason (clearing one answers an appeal), history, and sightings. Every change that commits
 * is applied to the in-memory index before the answer goes out.
 */
#include "server_int.h"

#include <jansson.h>
#include <string.h>

SRV_ENUM_ARG(arg_kind, enum fz_ind_kind, fz_ind_kind_parse)
SRV_ENUM_ARG(arg_status, enum fz_ind_status, fz_ind_status_parse)

static void json_indicator(struct fz_json *j, const struct fz_indicator *x)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, x->id);
    fz_json_key(j, "kind");
    fz_json_cstr(j, fz_ind_kind_name(x->kind));
    fz_json_key(j, "value");
    fz_json_cstr(j, x->value);
    fz_json_key(j, "status");
    fz_json_cstr(j, fz_ind_status_name(x->status));
    fz_json_key(j, "tlp");
    fz_json_cstr(j, fz_tlp_name(x->tlp));
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, x->fraud_type >= 0 ? fz_fraud_type_name(x->fraud_type) : NULL);
    fz_json_key(j, "score");
    fz_json_int(j, x->score);
    fz_json_key(j, "reports");
    fz_json_int(j, x->n_reports);
    fz_json_key(j, "sightings");
    fz_json_int(j, x->n_sightings);
    srv_json_id_or_null(j, "source_org_id", x->source_org_id);
    srv_json_time(j, "first_seen_at", x->first_seen_ms);
    srv_json_time(j, "last_seen_at", x->last_seen_ms);
    srv_json_time(j, "last_report_at", x->last_report_ms);
    srv_json_time(j, "expires_at", x->expires_ms);
    srv_json_time(j, "updated_at", x->updated_ms);
    fz_json_key(j, "version");
    fz_json_int(j, x->version);
    fz_json_key(j, "note");
    fz_json_cstr(j, x->note);
    fz_json_key(j, "cleared_reason");
    fz_json_cstr(j, x->cleared_reason);
    fz_json_obj_end(j);
}

/* Answers with the indicator id as the store now has it (status 200 or 201). */
static void reply_indicator(struct srv_req *r, int64_t id, int status)
{
    struct fz_indicator x;
    struct fz_err err = {0};
    fz_rc rc = fz_store_indicator_get(r->srv->store, &r->actor, id, &r->arena, &x, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    json_indicator(&j, &x);
    srv_reply(r, j.rc ? 500 : status);
}

/* A committed change must reach the index, or /check would not see it. */
static bool apply(struct srv_req *r, const struct fz_ind_change *c)
{
    if (srv_intel_apply(r->srv, c, 1) == FZ_OK)
        return true;
    srv_error(r, 500, "internal", NULL, "saved, but the index was not updated");
    return false;
}

/* ---- create ------------------------------------------------------------------------------- */

static const struct srv_field add_fields[] = {
    {"kind", SRV_T_STR, true, 1, 16},
    {"value", SRV_T_STR, true, 1, 2048},
    {"status", SRV_T_STR, false, 1, 16},
    {"tlp", SRV_T_STR, false, 1, 16},
    {"fraud_type", SRV_T_STR, false, 1, 40},
    {"expires_ms", SRV_T_INT, false, 0, INT64_MAX},
    {"note", SRV_T_STR, false, 0, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};

static bool read_new(struct srv_req *r, struct fz_indicator_new *in)
{
    size_t len, vlen;
    const char *kind = srv_str(r, "kind", &len);
    if (!fz_ind_kind_parse(kind, len, &in->kind)) {
        srv_error(r, 422, "invalid", "kind", "unknown indicator kind");
        return false;
    }
    const char *value = srv_str(r, "value", &vlen);
    struct fz_err err = {0};
    fz_rc rc =
        fz_ind_normalize(r->srv->uctx, in->kind, value, vlen, &r->arena, &in->value, NULL, &err);
    if (rc) {
        snprintf(err.field, sizeof err.field, "value");
        srv_fail(r, rc, &err);
        return false;
    }
    const char *s = srv_str(r, "status", &len);
    in->status = FZ_IND_SUSPECTED;
    if (s && (!fz_ind_status_parse(s, len, &in->status) || in->status == FZ_IND_CLEARED)) {
        srv_error(r, 422, "invalid", "status", "'status' must be suspected or confirmed");
        return false;
    }
    const char *tlp = srv_str(r, "tlp", &len);
    in->tlp = FZ_TLP_GREEN;
    if (tlp && !fz_tlp_parse(tlp, len, &in->tlp)) {
        srv_error(r, 422, "invalid", "tlp", "'tlp' must be clear, green, amber or red");
        return false;
    }
    const char *ft = srv_str(r, "fraud_type", &len);
    in->fraud_type = ft ? fz_fraud_type_index(ft, len) : -1;
    if (ft && in->fraud_type < 0) {
        srv_error(r, 422, "invalid", "fraud_type", "unknown fraud type");
        return false;
    }
    in->expires_ms = srv_int(r, "expires_ms", 0);
    in->note = srv_str(r, "note", &len);
    return true;
}

void srv_h_indicator_add(struct srv_req *r)
{
    struct fz_indicator_new in = {0};
    if (!srv_check_fields(r, add_fields) || !read_new(r, &in))
        return;
    int64_t id;
    struct fz_ind_change change;
    struct fz_err err = {0};
    fz_rc rc = fz_store_indicator_add(r->srv->store, &r->actor, &in, &r->arena, &id, &change, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else if (apply(r, &change))
        reply_indicator(r, id, 201);
}

/* ---- search and read ---------------------------------------------------------------------- */

void srv_h_indicator_search(struct srv_req *r)
{
    struct fz_indicator_filter f;
    fz_indicator_filter_init(&f);
    int64_t limit = 0, after = 0;
    const char *value = srv_arg(r, "value"), *prefix = srv_arg(r, "prefix");
    if (!arg_kind(r, "kind", &f.kind) || !arg_status(r, "status", &f.status) ||
        !srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after))
        return;
    f.prefix = prefix && !strcmp(prefix, "true");
    f.value = value;
    /* An exact value of a known kind is looked up as the engines spell it. */
    if (value && f.kind >= 0 && !f.prefix) {
        struct fz_err err = {0};
        if (fz_ind_normalize(r->srv->uctx, (enum fz_ind_kind)f.kind, value, strlen(value),
                             &r->arena, &f.value, NULL, &err) != FZ_OK) {
            snprintf(err.field, sizeof err.field, "value");
            srv_fail(r, FZ_EINVAL, &err);
            return;
        }
    }
    f.limit = (int)limit;
    f.after_id = after;
    struct fz_indicator *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_indicator_search(r->srv->store, &r->actor, &f, &r->arena, &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_indicator, next);
}

void srv_h_indicator_get(struct srv_req *r) { reply_indicator(r, r->id, 200); }

/* ---- change ------------------------------------------------------------------------------- */

static const struct srv_field update_fields[] = {
    {"status", SRV_T_STR, false, 1, 16},
    {"tlp", SRV_T_STR, false, 1, 16},
    {"expires_ms", SRV_T_INT, false, 0, INT64_MAX},
    {"reason", SRV_T_STR, false, 1, FZ_STORE_REASON_MAX},
    {"version", SRV_T_INT, false, 1, INT32_MAX},
    {NULL, 0, false, 0, 0},
};

static bool read_update(struct srv_req *r, struct fz_indicator_update *u)
{
    fz_indicator_update_init(u);
    size_t len;
    const char *s = srv_str(r, "status", &len), *tlp = srv_str(r, "tlp", &len);
    enum fz_ind_status st;
    enum fz_tlp t;
    if (s) {
        if (!fz_ind_status_parse(s, strlen(s), &st)) {
            srv_error(r, 422, "invalid", "status",
                      "'status' must be suspected, confirmed or cleared");
            return false;
        }
        u->status = st;
    }
    if (tlp) {
        if (!fz_tlp_parse(tlp, strlen(tlp), &t)) {
            srv_error(r, 422, "invalid", "tlp", "'tlp' must be clear, green, amber or red");
            return false;
        }
        u->tlp = t;
    }
    u->expires_ms = srv_int(r, "expires_ms", -1);
    u->reason = srv_str(r, "reason", &len);
    u->version = (int)srv_int(r, "version", 0);
    return true;
}

void srv_h_indicator_update(struct srv_req *r)
{
    struct fz_indicator_update u;
    if (!srv_check_fields(r, update_fields) || !read_update(r, &u))
        return;
    struct fz_ind_change change;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_indicator_update(r->srv->store, &r->actor, r->id, &u, &r->arena, &change, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else if (apply(r, &change))
        reply_indicator(r, r->id, 200);
}

static void json_event(struct fz_json *j, const struct fz_indicator_event *ev)
{
    fz_json_obj(j);
    srv_json_time(j, "at", ev->at_ms);
    fz_json_key(j, "actor");
    fz_json_cstr(j, ev->actor);
    fz_json_key(j, "action");
    fz_json_cstr(j, ev->action);
    fz_json_key(j, "from");
    fz_json_cstr(j, ev->from);
    fz_json_key(j, "to");
    fz_json_cstr(j, ev->to);
    fz_json_key(j, "reason");
    fz_json_cstr(j, ev->reason);
    srv_json_id_or_null(j, "report_id", ev->report_id);
    fz_json_obj_end(j);
}

void srv_h_indicator_history(struct srv_req *r)
{
    struct fz_indicator_event *ev;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_indicator_history(r->srv->store, &r->actor, r->id, &r->arena, &ev, &n, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, ev, n, json_event, -1);
}

/* ---- sightings ---------------------------------------------------------------------------- */

static const struct srv_field sighting_fields[] = {
    {"seen_ms", SRV_T_INT, false, 0, INT64_MAX},
    {"channel", SRV_T_STR, false, 1, 32},
    {"count", SRV_T_INT, false, 1, 1000000},
    {"note", SRV_T_STR, false, 0, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};

void srv_h_sighting_add(struct srv_req *r)
{
    if (!srv_check_fields(r, sighting_fields))
        return;
    size_t len;
    struct fz_sighting_new s = {.seen_ms = srv_int(r, "seen_ms", 0),
                                .channel = srv_str(r, "channel", &len),
                                .count = (int)srv_int(r, "count", 1),
                                .note = srv_str(r, "note", &len)};
    int64_t id;
    struct fz_ind_change change;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_sighting_add(r->srv->store, &r->actor, r->id, &s, &r->arena, &id, &change, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else if (apply(r, &change))
        reply_indicator(r, r->id, 201);
}

static void json_sighting(struct fz_json *j, const struct fz_sighting *x)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, x->id);
    srv_json_id_or_null(j, "org_id", x->org_id);
    srv_json_time(j, "seen_at", x->seen_ms);
    fz_json_key(j, "channel");
    fz_json_cstr(j, x->channel);
    fz_json_key(j, "count");
    fz_json_int(j, x->count);
    fz_json_key(j, "note");
    fz_json_cstr(j, x->note);
    fz_json_obj_end(j);
}

void srv_h_sighting_list(struct srv_req *r)
{
    int64_t limit = 50, after = 0;
    if (!srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after))
        return;
    struct fz_sighting *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc = fz_store_sighting_list(r->srv->store, &r->actor, r->id, after, (int)limit, &r->arena,
                                      &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_sighting, next);
}
