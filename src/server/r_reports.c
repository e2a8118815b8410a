/*
 * server/r_reports: citizens' and partners' reports (举报线索). Intake screens the text, takes
 * the indicators it names (phones, URLs, accounts, QQ, WeChat, e-mail) together with the ones
 * the reporter lists, and stores the report; a resident follows it with the tracking code;
 * staff list, triage, reject, merge and confirm — confirming lists or strengthens its
 * indicators, which the in-memory index then serves to every /check.
 */
#include "server_int.h"

#include <jansson.h>
#include <string.h>

SRV_ENUM_ARG(arg_status, enum fz_report_status, fz_report_status_parse)
SRV_ENUM_ARG(arg_channel, enum fz_report_channel, fz_report_channel_parse)
SRV_ENUM_ARG(arg_kind, enum fz_ind_kind, fz_ind_kind_parse)

/* ---- writing reports ---------------------------------------------------------------------- */

static void json_values(struct fz_json *j, const struct fz_report *rep)
{
    fz_json_key(j, "indicators");
    fz_json_arr(j);
    for (size_t i = 0; i < rep->nvalues; i++) {
        fz_json_obj(j);
        fz_json_key(j, "kind");
        fz_json_cstr(j, fz_ind_kind_name(rep->values[i].kind));
        fz_json_key(j, "value");
        fz_json_cstr(j, rep->values[i].value);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

static void json_report(struct fz_json *j, const struct fz_report *rep, bool with_values)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, rep->id);
    fz_json_key(j, "status");
    fz_json_cstr(j, fz_report_status_name(rep->status));
    fz_json_key(j, "version");
    fz_json_int(j, rep->version);
    fz_json_key(j, "channel");
    fz_json_cstr(j, fz_report_channel_name(rep->channel));
    srv_json_id_or_null(j, "org_id", rep->org_id);
    fz_json_key(j, "source");
    fz_json_cstr(j, fz_actor_kind_name(rep->source));
    fz_json_key(j, "text");
    fz_json_str(j, rep->text, rep->text_len);
    fz_json_key(j, "loss_fen");
    fz_json_int(j, rep->loss_fen);
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, rep->fraud_type >= 0 ? fz_fraud_type_name(rep->fraud_type) : NULL);
    srv_json_time(j, "occurred_at", rep->occurred_ms);
    srv_json_time(j, "created_at", rep->created_ms);
    srv_json_time(j, "updated_at", rep->updated_ms);
    fz_json_key(j, "contact_name");
    fz_json_cstr(j, rep->contact_name);
    fz_json_key(j, "contact_phone");
    fz_json_cstr(j, rep->contact_phone);
    fz_json_key(j, "contact_revealed");
    fz_json_bool(j, rep->contact_revealed);
    fz_json_key(j, "verdict_label");
    fz_json_cstr(j, rep->verdict_label);
    fz_json_key(j, "verdict_score");
    fz_json_int(j, rep->verdict_score);
    srv_json_id_or_null(j, "duplicate_of", rep->duplicate_of);
    fz_json_key(j, "status_reason");
    fz_json_cstr(j, rep->status_reason);
    if (with_values)
        json_values(j, rep);
    fz_json_obj_end(j);
}

static void json_report_row(struct fz_json *j, const struct fz_report *rep)
{
    json_report(j, rep, false);
}

/* ---- intake ------------------------------------------------------------------------------- */

static const struct srv_field report_fields[] = {
    {"channel", SRV_T_STR, true, 1, 16},
    {"text", SRV_T_STR, true, 1, (int64_t)FZ_CAP_REPORT_TEXT},
    {"loss_fen", SRV_T_INT, false, 0, 1000000000000000},
    {"fraud_type", SRV_T_STR, false, 1, 40},
    {"occurred_ms", SRV_T_INT, false, 0, 4102444800000},
    {"contact_name", SRV_T_STR, false, 0, 64},
    {"contact_phone", SRV_T_STR, false, 0, 32},
    {"indicators", SRV_T_ARR, false, 0, 32},
    {NULL, 0, false, 0, 0},
};

struct intake {
    struct fz_report_new in;
    struct fz_report_value values[FZ_STORE_REPORT_VALUES_MAX];
    uint64_t dedupe;
};

/* Screens the text: the verdict goes with the report, its entities become indicators, and the
 * hash of the normalized text finds resent reports. */
static bool screen_report(struct srv_req *r, struct intake *t)
{
    struct srv_engine *e = srv_engine_acquire(r->srv);
    struct fz_screen_ctx *c = e ? srv_thread_ctx(e) : NULL;
    if (!c) {
        srv_engine_release(e);
        srv_error(r, 503, "unavailable", NULL, "the screening engine is not loaded");
        return false;
    }
    fz_rc rc = fz_server_report_screen(e->screen, c, &t->in, t->values, &t->dedupe, &r->arena);
    srv_engine_release(e);
    if (rc)
        srv_fail(r, rc, NULL);
    return !rc;
}

/* The indicators the reporter lists: [{"kind", "value"}], each normalized. */
static bool listed_values(struct srv_req *r, struct intake *t)
{
    json_t *arr = json_object_get(r->doc, "indicators"), *item;
    size_t i;
    json_array_foreach(arr, i, item)
    {
        json_t *kind = json_object_get(item, "kind"), *value = json_object_get(item, "value");
        enum fz_ind_kind k;
        if (!json_is_object(item) || json_object_size(item) != 2 || !json_is_string(kind) ||
            !json_is_string(value) ||
            !fz_ind_kind_parse(json_string_value(kind), json_string_length(kind), &k)) {
            srv_error(r, 422, "invalid", "indicators",
                      "indicators[%zu] must be {\"kind\", \"value\"} with a known kind", i);
            return false;
        }
        const char *canon;
        struct fz_err err = {0};
        if (fz_ind_normalize(r->srv->uctx, k, json_string_value(value), json_string_length(value),
                             &r->arena, &canon, NULL, &err) != FZ_OK) {
            srv_error(r, 422, "invalid", "indicators", "indicators[%zu]: %s", i, err.msg);
            return false;
        }
        fz_server_report_value(&t->in, t->values, k, canon);
    }
    return true;
}

static bool read_intake(struct srv_req *r, struct intake *t)
{
    size_t len;
    const char *channel = srv_str(r, "channel", &len);
    enum fz_report_channel ch;
    if (!fz_report_channel_parse(channel, len, &ch)) {
        srv_error(r, 422, "invalid", "channel",
                  "'channel' must be sms, call, chat, email, web, app or other");
        return false;
    }
    t->in.channel = ch;
    t->in.text = srv_str(r, "text", &t->in.text_len);
    t->in.loss_fen = srv_int(r, "loss_fen", 0);
    t->in.occurred_ms = srv_int(r, "occurred_ms", 0);
    t->in.fraud_type = -1;
    const char *ft = srv_str(r, "fraud_type", &len);
    if (ft && (t->in.fraud_type = fz_fraud_type_index(ft, len)) < 0) {
        srv_error(r, 422, "invalid", "fraud_type", "unknown fraud type");
        return false;
    }
    t->in.contact_name = srv_str(r, "contact_name", &len);
    t->in.contact_phone = srv_str(r, "contact_phone", &len);
    t->in.values = t->values;
    return listed_values(r, t);
}

void srv_h_report_add(struct srv_req *r)
{
    struct intake t = {0};
    if (!srv_check_fields(r, report_fields) || !read_intake(r, &t) || !screen_report(r, &t))
        return;
    struct fz_report_ref ref;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_add(r->srv->store, &r->actor, &t.in, &ref, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, ref.id);
    fz_json_key(&j, "tracking_code");
    fz_json_cstr(&j, ref.tracking_code);
    fz_json_obj_end(&j);
    srv_reply(r, 201);
}

void srv_h_report_track(struct srv_req *r)
{
    struct fz_report_track t;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_track(r->srv->store, r->code, &t, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "tracking_code");
    fz_json_cstr(&j, r->code);
    fz_json_key(&j, "status");
    fz_json_cstr(&j, fz_report_status_name(t.status));
    srv_json_time(&j, "created_at", t.created_ms);
    srv_json_time(&j, "updated_at", t.updated_ms);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

/* ---- staff: list and read ----------------------------------------------------------------- */

static bool read_filter(struct srv_req *r, struct fz_report_filter *f)
{
    int64_t limit = 0, after = 0, since = 0, until = 0;
    fz_report_filter_init(f);
    const char *ft = srv_arg(r, "fraud_type"), *order = srv_arg(r, "order");
    if (!arg_status(r, "status", &f->status) || !arg_channel(r, "channel", &f->channel) ||
        !arg_kind(r, "kind", &f->value_kind) ||
        !srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after) ||
        !srv_arg_int(r, "since_ms", 0, INT64_MAX, &since) ||
        !srv_arg_int(r, "until_ms", 0, INT64_MAX, &until))
        return false;
    if (ft && (f->fraud_type = fz_fraud_type_index(ft, strlen(ft))) < 0) {
        srv_error(r, 422, "invalid", "fraud_type", "unknown fraud type");
        return false;
    }
    if (order && strcmp(order, "newest") && strcmp(order, "oldest")) {
        srv_error(r, 422, "invalid", "order", "'order' must be newest or oldest");
        return false;
    }
    f->newest_first = order && !strcmp(order, "newest");
    f->value = srv_arg(r, "value");
    f->limit = (int)limit;
    f->after_id = after;
    f->since_ms = since;
    f->until_ms = until;
    return true;
}

void srv_h_report_list(struct srv_req *r)
{
    struct fz_report_filter f;
    if (!read_filter(r, &f))
        return;
    struct fz_report *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_report_list(r->srv->store, &r->actor, &f, &r->arena, &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_report_row, next);
}

static void report_get(struct srv_req *r, bool reveal)
{
    struct fz_report rep;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_get(r->srv->store, &r->actor, r->id, reveal, &r->arena, &rep, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    json_report(&j, &rep, true);
    srv_reply(r, j.rc ? 500 : 200);
}

void srv_h_report_get(struct srv_req *r) { report_get(r, false); }

void srv_h_report_reveal(struct srv_req *r) { report_get(r, true); }

static void json_step(struct fz_json *j, const struct fz_report_event *ev)
{
    fz_json_obj(j);
    srv_json_time(j, "at", ev->at_ms);
    fz_json_key(j, "action");
    fz_json_cstr(j, ev->action);
    fz_json_key(j, "actor_kind");
    fz_json_cstr(j, fz_actor_kind_name(ev->actor_kind));
    srv_json_id_or_null(j, "actor_id", ev->actor_id);
    fz_json_key(j, "actor_name");
    fz_json_cstr(j, ev->actor_name);
    fz_json_key(j, "from");
    fz_json_cstr(j, ev->from >= 0 ? fz_report_status_name((enum fz_report_status)ev->from) : NULL);
    fz_json_key(j, "to");
    fz_json_cstr(j, ev->to >= 0 ? fz_report_status_name((enum fz_report_status)ev->to) : NULL);
    srv_json_id_or_null(j, "into", ev->into_id);
    fz_json_obj_end(j);
}

void srv_h_report_history(struct srv_req *r)
{
    struct fz_report_event *ev;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_history(r->srv->store, &r->actor, r->id, &r->arena, &ev, &n, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, ev, n, json_step, -1);
}

/* ---- staff: workflow ---------------------------------------------------------------------- */

static const struct srv_field version_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field reject_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"reason", SRV_T_STR, true, 1, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field merge_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"into", SRV_T_INT, true, 1, INT64_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field confirm_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"tlp", SRV_T_STR, false, 1, 16},
    {"fraud_type", SRV_T_STR, false, 1, 40},
    {"expires_ms", SRV_T_INT, false, 0, INT64_MAX},
    {NULL, 0, false, 0, 0},
};

/* {"id", "status", "version"} after a workflow step. */
static void reply_state(struct srv_req *r, const char *status, int version)
{
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, r->id);
    fz_json_key(&j, "status");
    fz_json_cstr(&j, status);
    fz_json_key(&j, "version");
    fz_json_int(&j, version);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

void srv_h_report_triage(struct srv_req *r)
{
    if (!srv_check_fields(r, version_fields))
        return;
    int v = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_triage(r->srv->store, &r->actor, r->id,
                                      (int)srv_int(r, "version", 0), &v, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_state(r, "triaged", v);
}

void srv_h_report_reject(struct srv_req *r)
{
    if (!srv_check_fields(r, reject_fields))
        return;
    size_t len;
    const char *reason = srv_str(r, "reason", &len);
    int v = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_reject(r->srv->store, &r->actor, r->id,
                                      (int)srv_int(r, "version", 0), reason, &v, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_state(r, "rejected", v);
}

void srv_h_report_merge(struct srv_req *r)
{
    if (!srv_check_fields(r, merge_fields))
        return;
    if (srv_int(r, "into", 0) == r->id) {
        srv_error(r, 422, "invalid", "into", "a report cannot be merged into itself");
        return;
    }
    int v = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_store_report_merge(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                                     srv_int(r, "into", 0), &v, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_state(r, "duplicate", v);
}

static bool read_confirm(struct srv_req *r, struct fz_report_confirm *c)
{
    fz_report_confirm_init(c);
    size_t len;
    const char *tlp = srv_str(r, "tlp", &len);
    enum fz_tlp t;
    if (tlp) {
        if (!fz_tlp_parse(tlp, len, &t)) {
            srv_error(r, 422, "invalid", "tlp", "'tlp' must be clear, green, amber or red");
            return false;
        }
        c->tlp = t;
    }
    const char *ft = srv_str(r, "fraud_type", &len);
    if (ft && (c->fraud_type = fz_fraud_type_index(ft, len)) < 0) {
        srv_error(r, 422, "invalid", "fraud_type", "unknown fraud type");
        return false;
    }
    c->expires_ms = srv_int(r, "expires_ms", 0);
    return true;
}

void srv_h_report_confirm(struct srv_req *r)
{
    struct fz_report_confirm c;
    if (!srv_check_fields(r, confirm_fields) || !read_confirm(r, &c))
        return;
    struct fz_ind_change *changes;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_report_confirm(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0), &c,
                                &r->arena, &changes, &n, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    /* Committed: the index must follow, or /check would not see what was confirmed. */
    if (srv_intel_apply(r->srv, changes, n) != FZ_OK) {
        srv_error(r, 500, "internal", NULL, "confirmed, but the index was not updated");
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, r->id);
    fz_json_key(&j, "status");
    fz_json_cstr(&j, "confirmed");
    fz_json_key(&j, "indicators");
    fz_json_arr(&j);
    for (size_t i = 0; i < n; i++) {
        fz_json_obj(&j);
        fz_json_key(&j, "id");
        fz_json_int(&j, changes[i].entry.id);
        fz_json_key(&j, "kind");
        fz_json_cstr(&j, fz_ind_kind_name((enum fz_ind_kind)changes[i].entry.kind));
        fz_json_key(&j, "value");
        fz_json_str(&j, changes[i].entry.value, changes[i].value_len);
        fz_json_key(&j, "score");
        fz_json_int(&j, changes[i].entry.score);
        fz_json_obj_end(&j);
    }
    fz_json_arr_end(&j);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}
