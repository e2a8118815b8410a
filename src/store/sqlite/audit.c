/*
 * store/sqlite/audit.c: the audit log in SQLite: append, list, walk.
 *
 * Rows are appended by the writer with ids it assigns (1, 2, 3, ...) and the chain hash it
 * computed (writer.c); nothing here updates or deletes a row.
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <string.h>

static enum fz_actor_kind col_actor_kind(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    for (int k = 0; t && k < FZ_ACTOR__KINDS; k++)
        if (strcmp(t, fz_actor_kind_name((enum fz_actor_kind)k)) == 0)
            return (enum fz_actor_kind)k;
    return FZ_ACTOR__KINDS; /* unknown: hashes differently, so verify reports it */
}

fz_rc fz__sq_audit_tail(void *conn, int64_t *id, uint8_t *hash)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_AUDIT_TAIL, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!s)
        return FZ_E(FZ_EIO);
    *id = 0;
    memset(hash, 0, FZ__HASH_LEN);
    int rc = sqlite3_step(s);
    fz_rc r = FZ_OK;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        if (sqlite3_column_bytes(s, 1) == FZ__HASH_LEN)
            memcpy(hash, sqlite3_column_blob(s, 1), FZ__HASH_LEN);
    } else if (rc != SQLITE_DONE) {
        r = fz__sq_rc(c, rc);
    }
    sqlite3_reset(s);
    return r;
}

fz_rc fz__sq_audit_insert(void *conn, const struct fz__audit_row *r)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_AUDIT_INSERT,
        "INSERT INTO audit (id, at_ms, actor_kind, actor_id, org_id, request_id, client_tag,"
        " action, object_kind, object_id, outcome, detail, prev_hash, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, r->id);
    sqlite3_bind_int64(s, 2, r->at_ms);
    fz__sq_bind_text(s, 3, fz_actor_kind_name(r->actor_kind));
    sqlite3_bind_int64(s, 4, r->actor_id);
    sqlite3_bind_int64(s, 5, r->org_id);
    fz__sq_bind_text(s, 6, r->request_id);
    fz__sq_bind_text(s, 7, r->client_tag);
    fz__sq_bind_text(s, 8, r->action);
    fz__sq_bind_text(s, 9, r->object_kind);
    sqlite3_bind_int64(s, 10, r->object_id);
    fz__sq_bind_text(s, 11, r->outcome);
    fz__sq_bind_text(s, 12, r->detail);
    fz__sq_bind_blob(s, 13, r->prev_hash, FZ__HASH_LEN);
    fz__sq_bind_blob(s, 14, r->hash, FZ__HASH_LEN);
    return fz__sq_run(c, s);
}

#define AUDIT_COLS                                                                                 \
    "id, at_ms, actor_kind, actor_id, org_id, request_id, client_tag, action, object_kind,"        \
    " object_id, outcome, detail, prev_hash, hash"

/* One row of the list below into *item (strings in ar); false when out of memory. */
static bool audit_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_audit *x = item;
    bool ok = true;
    x->id = sqlite3_column_int64(s, 0);
    x->at_ms = sqlite3_column_int64(s, 1);
    x->actor_kind = col_actor_kind(s, 2);
    x->actor_id = sqlite3_column_int64(s, 3);
    x->org_id = sqlite3_column_int64(s, 4);
    x->request_id = fz__sq_col_text(s, 5, ar, &ok);
    x->client_tag = fz__sq_col_text(s, 6, ar, &ok);
    x->action = fz__sq_col_text(s, 7, ar, &ok);
    x->object_kind = fz__sq_col_text(s, 8, ar, &ok);
    x->object_id = sqlite3_column_int64(s, 9);
    x->outcome = fz__sq_col_text(s, 10, ar, &ok);
    x->detail = fz__sq_col_text(s, 11, ar, &ok);
    return ok;
}

fz_rc fz__sq_audit_list(void *conn, const struct fz_audit_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_audit **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_AUDIT_LIST,
                                  "SELECT " AUDIT_COLS " FROM audit WHERE id > ?1"
                                  " AND (?2 IS NULL OR org_id = ?2)"
                                  " AND (?3 IS NULL OR actor_kind = ?3)"
                                  " AND (?4 IS NULL OR actor_id = ?4)"
                                  " AND (?5 IS NULL OR action = ?5)"
                                  " AND (?6 IS NULL OR object_kind = ?6)"
                                  " AND (?7 IS NULL OR object_id = ?7)"
                                  " AND (?8 IS NULL OR at_ms >= ?8)"
                                  " ORDER BY id LIMIT ?9");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, f->after_id);
    fz__sq_bind_id(s, 2, scope);
    fz__sq_bind_text(
        s, 3, f->actor_kind >= 0 ? fz_actor_kind_name((enum fz_actor_kind)f->actor_kind) : NULL);
    fz__sq_bind_id(s, 4, f->actor_id);
    fz__sq_bind_text(s, 5, f->action);
    fz__sq_bind_text(s, 6, f->object_kind);
    fz__sq_bind_id(s, 7, f->object_id);
    fz__sq_bind_id(s, 8, f->since_ms);
    sqlite3_bind_int(s, 9, f->limit);
    return fz__sq_rows(c, s, ar, sizeof **out, audit_row, (void **)out, n);
}

static bool history_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__report_history_row *x = item;
    bool ok = audit_row(s, ar, &x->rec);
    x->actor_name = fz__sq_col_text(s, 14, ar, &ok);
    return ok;
}

fz_rc fz__sq_report_history(void *conn, int64_t id, struct fz_arena *ar,
                            struct fz__report_history_row **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_REPORT_HISTORY,
        "SELECT a.id, a.at_ms, a.actor_kind, a.actor_id, a.org_id, a.request_id, a.client_tag,"
        " a.action, a.object_kind, a.object_id, a.outcome, a.detail, a.prev_hash, a.hash, u.name"
        " FROM audit a LEFT JOIN users u ON a.actor_kind = 'user' AND u.id = a.actor_id"
        " WHERE a.object_kind = 'report' AND a.object_id = ?1 AND a.outcome = 'ok'"
        " ORDER BY a.id LIMIT 1000");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    return fz__sq_rows(c, s, ar, sizeof **out, history_row, (void **)out, n);
}

fz_rc fz__sq_audit_walk(void *conn, fz__audit_walk_cb *cb, void *ud)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_AUDIT_WALK, "SELECT " AUDIT_COLS " FROM audit ORDER BY id");
    if (!s)
        return FZ_E(FZ_EIO);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct fz__audit_row r = {
            .id = sqlite3_column_int64(s, 0),
            .at_ms = sqlite3_column_int64(s, 1),
            .actor_kind = col_actor_kind(s, 2),
            .actor_id = sqlite3_column_int64(s, 3),
            .org_id = sqlite3_column_int64(s, 4),
            .request_id = (const char *)sqlite3_column_text(s, 5),
            .client_tag = (const char *)sqlite3_column_text(s, 6),
            .action = (const char *)sqlite3_column_text(s, 7),
            .object_kind = (const char *)sqlite3_column_text(s, 8),
            .object_id = sqlite3_column_int64(s, 9),
            .outcome = (const char *)sqlite3_column_text(s, 10),
            .detail = (const char *)sqlite3_column_text(s, 11),
        };
        if (sqlite3_column_bytes(s, 12) == FZ__HASH_LEN)
            memcpy(r.prev_hash, sqlite3_column_blob(s, 12), FZ__HASH_LEN);
        if (sqlite3_column_bytes(s, 13) == FZ__HASH_LEN)
            memcpy(r.hash, sqlite3_column_blob(s, 13), FZ__HASH_LEN);
        if (cb(ud, &r))
            break;
    }
    fz_rc r = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? FZ_OK : fz__sq_rc(c, rc);
    sqlite3_reset(s);
    return r;
}
