/*
 * store/sqlite/reports.c: reports, their contacts (personal data) and their values in SQLite.
 *
 * Contacts are returned as stored; store.c masks them. The list is one static statement per
 * order with optional filters as "(?N IS NULL OR ...)" and keyset paging on id.
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <string.h>

static int col_enum(sqlite3_stmt *s, int i, const char *(*name)(int), int n)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    for (int k = 0; t && k < n; k++)
        if (strcmp(t, name(k)) == 0)
            return k;
    return 0;
}

static const char *status_name(int s) { return fz_report_status_name((enum fz_report_status)s); }
static const char *channel_name(int c) { return fz_report_channel_name((enum fz_report_channel)c); }
static const char *kind_name(int k) { return fz_ind_kind_name((enum fz_ind_kind)k); }
static const char *source_name(int k) { return fz_actor_kind_name((enum fz_actor_kind)k); }

fz_rc fz__sq_report_insert(void *conn, const struct fz__report_insert *in,
                           struct fz_report_ref *out)
{
    struct fz__sq *c = conn;
    const struct fz_report_new *r = in->r;
    const struct fz_actor *a = in->a;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_REPORT_DUP, "SELECT id FROM reports WHERE dedupe_key = ?1 ORDER BY id LIMIT 1");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_blob(s, 1, r->dedupe_key, r->dedupe_len);
    int rc = sqlite3_step(s);
    out->duplicate_of = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fz__sq_rc(c, rc);

    s = fz__sq_stmt(c, SQ_REPORT_INSERT,
                    "INSERT INTO reports (tracking_code, org_id, source, source_org_id,"
                    " source_user_id, source_key_id, client_tag, channel, text, loss_fen,"
                    " fraud_type, occurred_ms, verdict_label, verdict_score, duplicate_of,"
                    " dedupe_key, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, in->tracking_code);
    sqlite3_bind_int64(s, 2, in->org_id);
    fz__sq_bind_text(s, 3, fz_actor_kind_name(a->kind));
    fz__sq_bind_id(s, 4, a->org_id);
    fz__sq_bind_id(s, 5, a->kind == FZ_ACTOR_USER ? a->user_id : 0);
    fz__sq_bind_id(s, 6, a->kind == FZ_ACTOR_API_KEY ? a->key_id : 0);
    fz__sq_bind_text(s, 7, a->client_tag[0] ? a->client_tag : NULL);
    fz__sq_bind_text(s, 8, fz_report_channel_name(r->channel));
    sqlite3_bind_text(s, 9, r->text, (int)r->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, r->loss_fen);
    fz__sq_bind_fraud(s, 11, r->fraud_type);
    sqlite3_bind_int64(s, 12, r->occurred_ms);
    fz__sq_bind_text(s, 13, r->verdict_label);
    sqlite3_bind_int(s, 14, r->verdict_score);
    fz__sq_bind_id(s, 15, out->duplicate_of);
    fz__sq_bind_blob(s, 16, r->dedupe_key, r->dedupe_len);
    sqlite3_bind_int64(s, 17, in->now_ms);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return fz__sq_rc(c, rc);
    }
    out->id = sqlite3_column_int64(s, 0);
    fz_rc res = fz__sq_run(c, s);
    if (res != FZ_OK)
        return res;
    snprintf(out->tracking_code, sizeof out->tracking_code, "%s", in->tracking_code);

    bool has_name = r->contact_name && *r->contact_name;
    bool has_phone = r->contact_phone && *r->contact_phone;
    if (has_name || has_phone) {
        s = fz__sq_stmt(c, SQ_REPORT_CONTACT,
                        "INSERT INTO report_contacts (report_id, name, phone) VALUES (?1, ?2, ?3)");
        if (!s)
            return FZ_E(FZ_EIO);
        sqlite3_bind_int64(s, 1, out->id);
        fz__sq_bind_text(s, 2, has_name ? r->contact_name : NULL);
        fz__sq_bind_text(s, 3, has_phone ? r->contact_phone : NULL);
        if ((res = fz__sq_run(c, s)) != FZ_OK)
            return res;
    }
    for (size_t i = 0; i < r->nvalues; i++) {
        s = fz__sq_stmt(c, SQ_REPORT_VALUE,
                        "INSERT INTO report_values (report_id, kind, value, created_ms, org_id)"
                        " SELECT ?1, ?2, ?3, created_ms, org_id FROM reports WHERE id = ?1"
                        " ON CONFLICT DO NOTHING");
        if (!s)
            return FZ_E(FZ_EIO);
        sqlite3_bind_int64(s, 1, out->id);
        fz__sq_bind_text(s, 2, fz_ind_kind_name(r->values[i].kind));
        fz__sq_bind_text(s, 3, r->values[i].value);
        if ((res = fz__sq_run(c, s)) != FZ_OK)
            return res;
    }
    return FZ_OK;
}

/* The row of the query below into *item (a struct fz_report_track); ar is unused. */
static bool track_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_report_track *out = item;
    (void)ar;
    out->status = (enum fz_report_status)col_enum(s, 0, status_name, FZ_REPORT__STATUSES);
    out->created_ms = sqlite3_column_int64(s, 1);
    out->updated_ms = sqlite3_column_int64(s, 2);
    return true;
}

fz_rc fz__sq_report_track(void *conn, const char *code, struct fz_report_track *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_REPORT_TRACK,
                    "SELECT status, created_ms, updated_ms FROM reports WHERE tracking_code = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, code);
    return fz__sq_one(c, s, NULL, track_row, out);
}

#define REPORT_COLS                                                                                \
    "r.id, r.tracking_code, r.org_id, r.source, r.source_org_id, r.channel, r.status,"             \
    " r.version, r.text, r.loss_fen, r.fraud_type, r.occurred_ms, r.created_ms, r.updated_ms,"     \
    " c.name, c.phone, r.verdict_label, r.verdict_score, r.duplicate_of, r.status_reason"          \
    " FROM reports r LEFT JOIN report_contacts c ON c.report_id = r.id"

static bool report_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_report *x = item;
    bool ok = true;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(s, 0);
    fz__sq_col_copy(s, 1, x->tracking_code, sizeof x->tracking_code);
    x->org_id = sqlite3_column_int64(s, 2);
    x->source = (enum fz_actor_kind)col_enum(s, 3, source_name, FZ_ACTOR__KINDS);
    x->source_org_id = sqlite3_column_int64(s, 4);
    x->channel = (enum fz_report_channel)col_enum(s, 5, channel_name, FZ_CHANNEL__COUNT);
    x->status = (enum fz_report_status)col_enum(s, 6, status_name, FZ_REPORT__STATUSES);
    x->version = sqlite3_column_int(s, 7);
    x->text = fz__sq_col_text(s, 8, ar, &ok);
    x->text_len = x->text ? strlen(x->text) : 0;
    x->loss_fen = sqlite3_column_int64(s, 9);
    x->fraud_type = fz__sq_col_fraud(s, 10);
    x->occurred_ms = sqlite3_column_int64(s, 11);
    x->created_ms = sqlite3_column_int64(s, 12);
    x->updated_ms = sqlite3_column_int64(s, 13);
    x->contact_name = fz__sq_col_text(s, 14, ar, &ok);
    x->contact_phone = fz__sq_col_text(s, 15, ar, &ok);
    x->verdict_label = fz__sq_col_text(s, 16, ar, &ok);
    x->verdict_score = sqlite3_column_int(s, 17);
    x->duplicate_of = sqlite3_column_int64(s, 18);
    x->status_reason = fz__sq_col_text(s, 19, ar, &ok);
    return ok;
}

/* A row (kind, value) of a report's values into *item (a struct fz_report_value). */
static bool value_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_report_value *v = item;
    bool ok = true;
    v->kind = (enum fz_ind_kind)col_enum(s, 0, kind_name, FZ_IND__COUNT);
    v->value = fz__sq_col_text(s, 1, ar, &ok);
    return ok;
}

static fz_rc load_values(struct fz__sq *c, struct fz_arena *ar, struct fz_report *x)
{
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_REPORT_VALUES,
        "SELECT kind, value FROM report_values WHERE report_id = ?1 ORDER BY kind, value");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, x->id);
    return fz__sq_rows(c, s, ar, sizeof *x->values, value_row, (void **)&x->values, &x->nvalues);
}

fz_rc fz__sq_report_get(void *conn, int64_t id, int64_t scope, struct fz_arena *ar,
                        struct fz_report *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_REPORT_GET,
                                  "SELECT " REPORT_COLS " WHERE r.id = ?1"
                                  " AND (?2 IS NULL OR r.org_id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    fz_rc r = fz__sq_one(c, s, ar, report_row, out);
    if (r == FZ_OK)
        r = load_values(c, ar, out);
    return r;
}

#define LIST_WHERE                                                                                 \
    " AND (?2 IS NULL OR r.org_id = ?2)"                                                           \
    " AND (?3 IS NULL OR r.status = ?3)"                                                           \
    " AND (?4 IS NULL OR r.channel = ?4)"                                                          \
    " AND (?5 IS NULL OR r.fraud_type = ?5)"                                                       \
    " AND (?6 IS NULL OR r.created_ms >= ?6)"                                                      \
    " AND (?7 IS NULL OR r.created_ms < ?7)"                                                       \
    " AND (?8 IS NULL OR EXISTS (SELECT 1 FROM report_values v WHERE v.report_id = r.id"           \
    " AND v.value = ?8 AND (?9 IS NULL OR v.kind = ?9)))"

fz_rc fz__sq_report_list(void *conn, const struct fz_report_filter *f, int64_t scope,
                         struct fz_arena *ar, struct fz_report **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        f->newest_first
            ? fz__sq_stmt(c, SQ_REPORT_LIST_DESC,
                          "SELECT " REPORT_COLS " WHERE (?1 = 0 OR r.id < ?1)" LIST_WHERE
                          " ORDER BY r.id DESC LIMIT ?10")
            : fz__sq_stmt(c, SQ_REPORT_LIST,
                          "SELECT " REPORT_COLS " WHERE r.id > ?1" LIST_WHERE
                          " ORDER BY r.id LIMIT ?10");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, f->after_id);
    fz__sq_bind_id(s, 2, scope);
    fz__sq_bind_text(s, 3, f->status >= 0 ? status_name(f->status) : NULL);
    fz__sq_bind_text(s, 4, f->channel >= 0 ? channel_name(f->channel) : NULL);
    fz__sq_bind_fraud(s, 5, f->fraud_type);
    fz__sq_bind_id(s, 6, f->since_ms);
    fz__sq_bind_id(s, 7, f->until_ms);
    fz__sq_bind_text(s, 8, f->value);
    fz__sq_bind_text(s, 9, f->value_kind >= 0 ? kind_name(f->value_kind) : NULL);
    sqlite3_bind_int(s, 10, f->limit);
    return fz__sq_rows(c, s, ar, sizeof **out, report_row, (void **)out, n);
}

/* The row of the query below into *item (a struct fz__report_state); ar is unused. */
static bool state_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__report_state *out = item;
    (void)ar;
    out->org_id = sqlite3_column_int64(s, 0);
    out->status = (enum fz_report_status)col_enum(s, 1, status_name, FZ_REPORT__STATUSES);
    out->version = sqlite3_column_int(s, 2);
    out->fraud_type = fz__sq_col_fraud(s, 3);
    return true;
}

fz_rc fz__sq_report_state(void *conn, int64_t id, int64_t scope, struct fz__report_state *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_REPORT_STATE,
                                  "SELECT org_id, status, version, fraud_type FROM reports"
                                  " WHERE id = ?1 AND (?2 IS NULL OR org_id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, NULL, state_row, out);
}

fz_rc fz__sq_report_set_status(void *conn, int64_t id, enum fz_report_status to, const char *reason,
                               int64_t duplicate_of, int fraud_type, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_REPORT_SET_STATUS,
        "UPDATE reports SET status = ?2, status_reason = coalesce(?3, status_reason),"
        " duplicate_of = coalesce(?4, duplicate_of), fraud_type = coalesce(?5, fraud_type),"
        " version = version + 1, updated_ms = ?6 WHERE id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_text(s, 2, status_name(to));
    fz__sq_bind_text(s, 3, reason);
    fz__sq_bind_id(s, 4, duplicate_of);
    fz__sq_bind_fraud(s, 5, fraud_type);
    sqlite3_bind_int64(s, 6, now);
    return fz__sq_update(c, s);
}

fz_rc fz__sq_report_values_copy(void *conn, int64_t from, int64_t to)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_REPORT_VALUES_COPY,
                                  "INSERT INTO report_values (report_id, kind, value, created_ms,"
                                  " org_id) SELECT ?2, v.kind, v.value, r.created_ms, r.org_id"
                                  " FROM report_values v JOIN reports r ON r.id = ?2"
                                  " WHERE v.report_id = ?1 ON CONFLICT DO NOTHING");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    return fz__sq_run(c, s);
}
