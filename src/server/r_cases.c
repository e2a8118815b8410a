/*
 * server/r_cases: typical cases (典型案例) — written, edited, published and withdrawn by officers
 * and analysts in the console; read by every staff role; the published ones listed for anyone on
 * the portal. The rules (roles, the anonymisation check, the workflow) live in the store
 * (include/fangzha/store.h); this file speaks HTTP and, before a case is published, looks once
 * more for personal data with the extractor (personal.c) — bank cards, e-mail addresses, QQ and
 * WeChat IDs and names that the store's check on every save does not know. Text goes out as JSON
 * strings, byte for byte: the pages render it with text nodes.
 */
#include "server_int.h"

#include <string.h>

SRV_ENUM_ARG(arg_status, enum fz_case_status, fz_case_status_parse)

static void json_case(struct fz_json *j, const struct fz_case *k)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, k->id);
    fz_json_key(j, "org_id");
    fz_json_int(j, k->org_id);
    fz_json_key(j, "title");
    fz_json_cstr(j, k->title);
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, fz_fraud_type_name(k->fraud_type));
    fz_json_key(j, "text");
    fz_json_cstr(j, k->text);
    fz_json_key(j, "status");
    fz_json_cstr(j, fz_case_status_name(k->status));
    fz_json_key(j, "version");
    fz_json_int(j, k->version);
    fz_json_key(j, "created_by");
    fz_json_cstr(j, k->created_by);
    srv_json_time(j, "created_at", k->created_ms);
    fz_json_key(j, "updated_by");
    fz_json_cstr(j, k->updated_by);
    srv_json_time(j, "updated_at", k->updated_ms);
    fz_json_key(j, "published_by");
    fz_json_cstr(j, k->published_by);
    srv_json_time(j, "published_at", k->published_ms);
    fz_json_key(j, "withdrawn_by");
    fz_json_cstr(j, k->withdrawn_by);
    srv_json_time(j, "withdrawn_at", k->withdrawn_ms);
    fz_json_key(j, "withdraw_reason");
    fz_json_cstr(j, k->withdraw_reason);
    fz_json_obj_end(j);
}

/* What the portal shows: no organisation, no staff names. */
static void json_public(struct fz_json *j, const struct fz_case *k)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, k->id);
    fz_json_key(j, "title");
    fz_json_cstr(j, k->title);
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, fz_fraud_type_name(k->fraud_type));
    fz_json_key(j, "text");
    fz_json_cstr(j, k->text);
    srv_json_time(j, "published_at", k->published_ms);
    fz_json_obj_end(j);
}

static void reply_case(struct srv_req *r, int64_t id, int status)
{
    struct fz_case k;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_get(r->srv->store, &r->actor, id, &r->arena, &k, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    json_case(&j, &k);
    srv_reply(r, j.rc ? 500 : status);
}

/* ---- writing ------------------------------------------------------------------------------ */

/* Titles are checked in characters by the store; this cap is only their most bytes. */
static const struct srv_field add_fields[] = {
    {"title", SRV_T_STR, true, 1, FZ_CASE_TITLE_MAX * 4},
    {"fraud_type", SRV_T_STR, true, 1, 40},
    {"text", SRV_T_STR, true, 1, FZ_CASE_TEXT_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field update_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"title", SRV_T_STR, false, 1, FZ_CASE_TITLE_MAX * 4},
    {"fraud_type", SRV_T_STR, false, 1, 40},
    {"text", SRV_T_STR, false, 1, FZ_CASE_TEXT_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field publish_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field withdraw_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"reason", SRV_T_STR, true, 1, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};

/* The members of a checked body into c (absent: NULL / -1). false after answering 422 for an
 * unknown fraud type. */
static bool case_of(struct srv_req *r, struct fz_case_new *c)
{
    size_t len;
    c->title = srv_str(r, "title", &len);
    c->text = srv_str(r, "text", &len);
    c->fraud_type = -1;
    const char *ft = srv_str(r, "fraud_type", &len);
    if (ft && (c->fraud_type = fz_fraud_type_index(ft, len)) < 0) {
        srv_error(r, 422, "invalid", "fraud_type", "unknown fraud type");
        return false;
    }
    return true;
}

void srv_h_case_add(struct srv_req *r)
{
    struct fz_case_new c;
    if (!srv_check_fields(r, add_fields) || !case_of(r, &c))
        return;
    int64_t id;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_add(r->srv->store, &r->actor, &c, &id, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_case(r, id, 201);
}

void srv_h_case_update(struct srv_req *r)
{
    struct fz_case_new c;
    if (!srv_check_fields(r, update_fields) || !case_of(r, &c))
        return;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_update(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                                    &c, NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_case(r, r->id, 200);
}

/* Refuses (422, the field and what was found, never the value) a case whose title or text
 * still holds personal data; false then. A case that cannot be read, or whose version is not
 * the one being published, is left to the store to refuse. */
static bool anonymised(struct srv_req *r, int version)
{
    static const struct {
        const char *kind, *what;
    } names[] = {{"phone", "a phone number"},
                 {"id_number", "an ID number"},
                 {"bank_card", "a bank card number"},
                 {"email", "an e-mail address"},
                 {"qq", "a QQ number"},
                 {"wechat", "a WeChat ID"},
                 {"name", "a person's name"}};
    struct fz_case k;
    if (fz_store_case_get(r->srv->store, &r->actor, r->id, &r->arena, &k, NULL) != FZ_OK ||
        k.version != version)
        return true;
    const char *fields[] = {"title", "text"}, *values[] = {k.title, k.text};
    for (int f = 0; f < 2; f++) {
        struct fz_server_personal p;
        const char *s = values[f] ? values[f] : "";
        fz_rc rc = fz_server_personal_find(r->srv->extractor, s, strlen(s), &r->arena, &p);
        if (rc) {
            srv_fail(r, rc, NULL);
            return false;
        }
        if (!p.kind)
            continue;
        size_t at = 0; /* characters before it */
        for (size_t i = 0; i < p.start; i++)
            at += ((unsigned char)s[i] & 0xC0) != 0x80;
        const char *what = p.kind;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (!strcmp(names[i].kind, p.kind))
                what = names[i].what;
        srv_error(r, 422, "invalid", fields[f],
                  "'%s' holds personal data: %s (%s at character %zu); anonymise it (138****5678, "
                  "张某) before publishing",
                  fields[f], p.kind, what, at + 1);
        return false;
    }
    return true;
}

void srv_h_case_publish(struct srv_req *r)
{
    if (!srv_check_fields(r, publish_fields) || !anonymised(r, (int)srv_int(r, "version", 0)))
        return;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_publish(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                                     NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_case(r, r->id, 200);
}

void srv_h_case_withdraw(struct srv_req *r)
{
    if (!srv_check_fields(r, withdraw_fields))
        return;
    size_t len;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_case_withdraw(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                               srv_str(r, "reason", &len), NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_case(r, r->id, 200);
}

/* ---- reading ------------------------------------------------------------------------------ */

void srv_h_case_get(struct srv_req *r) { reply_case(r, r->id, 200); }

void srv_h_case_list(struct srv_req *r)
{
    struct fz_case_filter f;
    fz_case_filter_init(&f);
    int64_t limit = 0, after = 0, org = 0;
    if (!arg_status(r, "status", &f.status) || !srv_arg_int(r, "org_id", 1, INT64_MAX, &org) ||
        !srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after))
        return;
    f.org_id = org;
    f.limit = (int)limit;
    f.after_id = after;
    struct fz_case *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_list(r->srv->store, &r->actor, &f, &r->arena, &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_case, next);
}

void srv_h_case_public(struct srv_req *r)
{
    int64_t limit = 0, after = 0;
    if (!srv_arg_int(r, "limit", 1, FZ_CASE_PUBLIC_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after))
        return;
    struct fz_case *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc = fz_store_case_list_public(r->srv->store, (int)limit, after, &r->arena, &rows, &n,
                                         &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_public, next);
}
