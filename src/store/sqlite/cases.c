/*
 * store/sqlite/cases.c: typical cases (典型案例) in SQLite (schema 0003).
 *
 * Row-level primitives only: who may, which transition and the anonymisation check live in
 * store/cases.c. The staff list is one static statement with optional filters as
 * "(?N IS NULL OR ...)" and keyset paging on id descending; the public list pages on
 * (published_ms, id) descending with the last row's id as the cursor.
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <string.h>

static enum fz_case_status col_status(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    enum fz_case_status st = FZ_CASE_DRAFT;
    if (t)
        fz_case_status_parse(t, strlen(t), &st);
    return st;
}

static fz_rc sq_case_insert(void *conn, const struct fz_case *row, int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_CASE_INSERT,
        "INSERT INTO cases (org_id, title, fraud_type, text, created_by, created_ms, updated_by,"
        " updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, row->org_id);
    fz__sq_bind_text(s, 2, row->title);
    fz__sq_bind_fraud(s, 3, row->fraud_type);
    fz__sq_bind_text(s, 4, row->text);
    fz__sq_bind_text(s, 5, row->created_by);
    sqlite3_bind_int64(s, 6, row->created_ms);
    return fz__sq_insert_id(c, s, id);
}

#define CASE_COLS                                                                                  \
    "id, org_id, title, fraud_type, text, status, version, created_by, created_ms, updated_by,"    \
    " updated_ms, published_by, published_ms, withdrawn_by, withdrawn_ms, withdraw_reason"         \
    " FROM cases"

static bool case_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_case *x = item;
    bool ok = true;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(s, 0);
    x->org_id = sqlite3_column_int64(s, 1);
    x->title = fz__sq_col_text(s, 2, ar, &ok);
    x->fraud_type = fz__sq_col_fraud(s, 3);
    x->text = fz__sq_col_text(s, 4, ar, &ok);
    x->status = col_status(s, 5);
    x->version = sqlite3_column_int(s, 6);
    x->created_by = fz__sq_col_text(s, 7, ar, &ok);
    x->created_ms = sqlite3_column_int64(s, 8);
    x->updated_by = fz__sq_col_text(s, 9, ar, &ok);
    x->updated_ms = sqlite3_column_int64(s, 10);
    x->published_by = fz__sq_col_text(s, 11, ar, &ok);
    x->published_ms = sqlite3_column_int64(s, 12);
    x->withdrawn_by = fz__sq_col_text(s, 13, ar, &ok);
    x->withdrawn_ms = sqlite3_column_int64(s, 14);
    x->withdraw_reason = fz__sq_col_text(s, 15, ar, &ok);
    return ok;
}

static fz_rc sq_case_get(void *conn, int64_t id, int64_t scope, struct fz_arena *ar,
                         struct fz_case *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_CASE_GET, "SELECT " CASE_COLS " WHERE id = ?1 AND (?2 IS NULL OR org_id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, ar, case_row, out);
}

/* Steps s (bound) to the end, each row into an arena array. */
static fz_rc rows(struct fz__sq *c, sqlite3_stmt *s, struct fz_arena *ar, struct fz_case **out,
                  size_t *n)
{
    return fz__sq_rows(c, s, ar, sizeof **out, case_row, (void **)out, n);
}

static fz_rc sq_case_list(void *conn, const struct fz_case_filter *f, int64_t scope,
                          struct fz_arena *ar, struct fz_case **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_CASE_LIST,
                                  "SELECT " CASE_COLS " WHERE (?1 = 0 OR id < ?1)"
                                  " AND (?2 IS NULL OR org_id = ?2)"
                                  " AND (?3 IS NULL OR org_id = ?3)"
                                  " AND (?4 IS NULL OR status = ?4)"
                                  " ORDER BY id DESC LIMIT ?5");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, f->after_id);
    fz__sq_bind_id(s, 2, scope);
    fz__sq_bind_id(s, 3, f->org_id);
    fz__sq_bind_text(s, 4,
                     f->status >= 0 ? fz_case_status_name((enum fz_case_status)f->status) : NULL);
    sqlite3_bind_int(s, 5, f->limit);
    return rows(c, s, ar, out, n);
}

static fz_rc sq_case_list_public(void *conn, int limit, int64_t after_id, struct fz_arena *ar,
                                 struct fz_case **out, size_t *n)
{
    struct fz__sq *c = conn;
    /* The cursor is the last row's id; its published_ms is read back (a case withdrawn since
     * keeps it), so the next page starts right after it in (published_ms, id) order. */
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_CASE_PUBLIC,
                                  "SELECT " CASE_COLS
                                  " WHERE status = 'published' AND (?1 = 0 OR (published_ms, id) <"
                                  " (SELECT published_ms, id FROM cases WHERE id = ?1))"
                                  " ORDER BY published_ms DESC, id DESC LIMIT ?2");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int(s, 2, limit);
    return rows(c, s, ar, out, n);
}

static fz_rc sq_case_set(void *conn, int64_t id, const struct fz__case_set *x)
{
    struct fz__sq *c = conn;
    /* ?5 (the new status) picks the who/when columns of a publication or a withdrawal. */
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_CASE_SET,
        "UPDATE cases SET title = coalesce(?2, title), fraud_type = coalesce(?3, fraud_type),"
        " text = coalesce(?4, text), status = ?5, version = version + 1, updated_by = ?6,"
        " updated_ms = ?7,"
        " published_by = CASE WHEN ?5 = 'published' THEN ?6 ELSE published_by END,"
        " published_ms = CASE WHEN ?5 = 'published' THEN ?7 ELSE published_ms END,"
        " withdrawn_by = CASE WHEN ?5 = 'withdrawn' AND ?8 IS NOT NULL THEN ?6"
        "  ELSE withdrawn_by END,"
        " withdrawn_ms = CASE WHEN ?5 = 'withdrawn' AND ?8 IS NOT NULL THEN ?7"
        "  ELSE withdrawn_ms END,"
        " withdraw_reason = coalesce(?8, withdraw_reason)"
        " WHERE id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_text(s, 2, x->title);
    fz__sq_bind_fraud(s, 3, x->fraud_type);
    fz__sq_bind_text(s, 4, x->text);
    fz__sq_bind_text(s, 5, fz_case_status_name(x->status));
    fz__sq_bind_text(s, 6, x->actor);
    sqlite3_bind_int64(s, 7, x->now_ms);
    fz__sq_bind_text(s, 8, x->reason);
    return fz__sq_update(c, s);
}

const struct fz__store_case_ops fz__store_sqlite_cases = {
    .insert = sq_case_insert,
    .get = sq_case_get,
    .list = sq_case_list,
    .list_public = sq_case_list_public,
    .set = sq_case_set,
};
