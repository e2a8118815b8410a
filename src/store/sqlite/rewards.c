/*
 * store/sqlite/rewards.c: rewards, their ledger (reward_events) and yearly budgets in SQLite
 * (schema 0002).
 *
 * Row-level primitives only: who may, which transition, the rule amount and the budget check live
 * in store/rewards.c. The list is one static statement with optional filters as
 * "(?N IS NULL OR ...)" and keyset paging on id; sums are over integer fen.
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <string.h>

static enum fz_reward_status col_status(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    enum fz_reward_status st = FZ_REWARD_PROPOSED;
    if (t)
        fz_reward_status_parse(t, strlen(t), &st);
    return st;
}

static const char *status_name(enum fz_reward_status s) { return fz_reward_status_name(s); }

/* The row of the query below into *item (a struct fz__reward_report, cleared first); ar is
 * unused. */
static bool reward_report_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__reward_report *out = item;
    const char *t = (const char *)sqlite3_column_text(s, 1);
    (void)ar;
    memset(out, 0, sizeof *out);
    out->org_id = sqlite3_column_int64(s, 0);
    out->status = FZ_REPORT_NEW;
    if (t)
        fz_report_status_parse(t, strlen(t), &out->status);
    out->loss_fen = sqlite3_column_int64(s, 2);
    out->n_confirmed = sqlite3_column_int(s, 3);
    out->active_id = sqlite3_column_int64(s, 4);
    out->active_status = col_status(s, 5);
    return true;
}

static fz_rc sq_reward_report(void *conn, int64_t report_id, int64_t scope,
                              struct fz__reward_report *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_RW_REPORT,
        "SELECT r.org_id, r.status, r.loss_fen,"
        " (SELECT count(*) FROM indicator_reports ir JOIN indicators i ON i.id = ir.indicator_id"
        "  WHERE ir.report_id = r.id AND i.status = 'confirmed'),"
        " w.id, w.status"
        " FROM reports r LEFT JOIN rewards w ON w.report_id = r.id AND w.status <> 'cancelled'"
        " WHERE r.id = ?1 AND (?2 IS NULL OR r.org_id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, report_id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, NULL, reward_report_row, out);
}

static fz_rc sq_reward_insert(void *conn, const struct fz_reward *row, int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_RW_INSERT,
        "INSERT INTO rewards (report_id, org_id, year, amount_fen, by_rule, basis, proposed_by,"
        " proposed_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, row->report_id);
    sqlite3_bind_int64(s, 2, row->org_id);
    sqlite3_bind_int(s, 3, row->year);
    sqlite3_bind_int64(s, 4, row->amount_fen);
    sqlite3_bind_int(s, 5, row->by_rule ? 1 : 0);
    fz__sq_bind_text(s, 6, row->basis);
    fz__sq_bind_text(s, 7, row->proposed_by);
    sqlite3_bind_int64(s, 8, row->proposed_ms);
    return fz__sq_insert_id(c, s, id);
}

#define REWARD_COLS                                                                                \
    "id, report_id, org_id, year, status, version, amount_fen, by_rule, basis, proposed_by,"       \
    " proposed_ms, approved_by, approved_ms, paid_by, paid_ms, payment_ref, cancelled_by,"         \
    " cancelled_ms, cancel_reason, updated_ms FROM rewards"

static bool reward_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_reward *x = item;
    bool ok = true;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(s, 0);
    x->report_id = sqlite3_column_int64(s, 1);
    x->org_id = sqlite3_column_int64(s, 2);
    x->year = sqlite3_column_int(s, 3);
    x->status = col_status(s, 4);
    x->version = sqlite3_column_int(s, 5);
    x->amount_fen = sqlite3_column_int64(s, 6);
    x->by_rule = sqlite3_column_int(s, 7) != 0;
    x->basis = fz__sq_col_text(s, 8, ar, &ok);
    x->proposed_by = fz__sq_col_text(s, 9, ar, &ok);
    x->proposed_ms = sqlite3_column_int64(s, 10);
    x->approved_by = fz__sq_col_text(s, 11, ar, &ok);
    x->approved_ms = sqlite3_column_int64(s, 12);
    x->paid_by = fz__sq_col_text(s, 13, ar, &ok);
    x->paid_ms = sqlite3_column_int64(s, 14);
    x->payment_ref = fz__sq_col_text(s, 15, ar, &ok);
    x->cancelled_by = fz__sq_col_text(s, 16, ar, &ok);
    x->cancelled_ms = sqlite3_column_int64(s, 17);
    x->cancel_reason = fz__sq_col_text(s, 18, ar, &ok);
    x->updated_ms = sqlite3_column_int64(s, 19);
    return ok;
}

static fz_rc sq_reward_get(void *conn, int64_t id, int64_t scope, struct fz_arena *ar,
                           struct fz_reward *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_RW_GET, "SELECT " REWARD_COLS " WHERE id = ?1 AND (?2 IS NULL OR org_id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, ar, reward_row, out);
}

static fz_rc sq_reward_list(void *conn, const struct fz_reward_filter *f, int64_t scope,
                            struct fz_arena *ar, struct fz_reward **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_RW_LIST,
                                  "SELECT " REWARD_COLS " WHERE id > ?1"
                                  " AND (?2 IS NULL OR org_id = ?2)"
                                  " AND (?3 IS NULL OR org_id = ?3)"
                                  " AND (?4 IS NULL OR status = ?4)"
                                  " AND (?5 IS NULL OR year = ?5)"
                                  " AND (?6 IS NULL OR report_id = ?6)"
                                  " ORDER BY id LIMIT ?7");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, f->after_id);
    fz__sq_bind_id(s, 2, scope);
    fz__sq_bind_id(s, 3, f->org_id);
    fz__sq_bind_text(s, 4, f->status >= 0 ? status_name((enum fz_reward_status)f->status) : NULL);
    fz__sq_bind_id(s, 5, f->year);
    fz__sq_bind_id(s, 6, f->report_id);
    sqlite3_bind_int(s, 7, f->limit);
    return fz__sq_rows(c, s, ar, sizeof **out, reward_row, (void **)out, n);
}

static fz_rc sq_reward_set_status(void *conn, int64_t id, enum fz_reward_status to,
                                  const char *actor, const char *text, int64_t now)
{
    struct fz__sq *c = conn;
    /* ?2 picks the step whose who/when/text columns are written. */
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_RW_SET_STATUS,
                    "UPDATE rewards SET status = ?2, version = version + 1, updated_ms = ?5,"
                    " approved_by = CASE WHEN ?2 = 'approved' THEN ?3 ELSE approved_by END,"
                    " approved_ms = CASE WHEN ?2 = 'approved' THEN ?5 ELSE approved_ms END,"
                    " paid_by = CASE WHEN ?2 = 'paid' THEN ?3 ELSE paid_by END,"
                    " paid_ms = CASE WHEN ?2 = 'paid' THEN ?5 ELSE paid_ms END,"
                    " payment_ref = CASE WHEN ?2 = 'paid' THEN ?4 ELSE payment_ref END,"
                    " cancelled_by = CASE WHEN ?2 = 'cancelled' THEN ?3 ELSE cancelled_by END,"
                    " cancelled_ms = CASE WHEN ?2 = 'cancelled' THEN ?5 ELSE cancelled_ms END,"
                    " cancel_reason = CASE WHEN ?2 = 'cancelled' THEN ?4 ELSE cancel_reason END"
                    " WHERE id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_text(s, 2, status_name(to));
    fz__sq_bind_text(s, 3, actor);
    fz__sq_bind_text(s, 4, text);
    sqlite3_bind_int64(s, 5, now);
    return fz__sq_update(c, s);
}

static fz_rc sq_reward_event(void *conn, const struct fz__reward_event *ev)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_RW_EVENT,
                                  "INSERT INTO reward_events (org_id, year, reward_id, report_id,"
                                  " at_ms, action, amount_fen, actor, reference)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ev->org_id);
    sqlite3_bind_int(s, 2, ev->year);
    fz__sq_bind_id(s, 3, ev->reward_id);
    fz__sq_bind_id(s, 4, ev->report_id);
    sqlite3_bind_int64(s, 5, ev->at_ms);
    fz__sq_bind_text(s, 6, ev->action);
    sqlite3_bind_int64(s, 7, ev->amount_fen);
    fz__sq_bind_text(s, 8, ev->actor);
    fz__sq_bind_text(s, 9, ev->reference);
    return fz__sq_run(c, s);
}

static fz_rc sq_reward_committed(void *conn, int64_t org, int year, int64_t *approved,
                                 int64_t *paid)
{
    struct fz__sq *c = conn;
    /* sum() of integers stays an integer (and fails on overflow rather than rounding). */
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_RW_COMMITTED,
        "SELECT coalesce(sum(CASE WHEN status = 'approved' THEN amount_fen END), 0),"
        " coalesce(sum(CASE WHEN status = 'paid' THEN amount_fen END), 0)"
        " FROM rewards WHERE org_id = ?1 AND year = ?2 AND status IN ('approved', 'paid')");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, org);
    sqlite3_bind_int(s, 2, year);
    int rc = sqlite3_step(s);
    fz_rc r = FZ_OK;
    if (rc == SQLITE_ROW) {
        *approved = sqlite3_column_int64(s, 0);
        *paid = sqlite3_column_int64(s, 1);
    } else {
        r = fz__sq_rc(c, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
    }
    sqlite3_reset(s);
    return r;
}

static fz_rc sq_reward_budget_get(void *conn, int64_t org, int year, int64_t *amount)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_RW_BUDGET_GET,
                    "SELECT amount_fen FROM reward_budgets WHERE org_id = ?1 AND year = ?2");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, org);
    sqlite3_bind_int(s, 2, year);
    return fz__sq_one(c, s, NULL, fz__sq_int64_row, amount);
}

static fz_rc sq_reward_budget_set(void *conn, int64_t org, int year, int64_t amount,
                                  const char *actor, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_RW_BUDGET_SET,
                    "INSERT INTO reward_budgets (org_id, year, amount_fen, updated_by, updated_ms)"
                    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (org_id, year) DO UPDATE SET"
                    " amount_fen = excluded.amount_fen, updated_by = excluded.updated_by,"
                    " updated_ms = excluded.updated_ms");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, org);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, amount);
    fz__sq_bind_text(s, 4, actor);
    sqlite3_bind_int64(s, 5, now);
    return fz__sq_run(c, s);
}

static fz_rc sq_reward_ledger_walk(void *conn, int64_t org, int year, fz_store_reward_ledger_cb *cb,
                                   void *ud)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_RW_LEDGER,
                                  "SELECT id, at_ms, org_id, reward_id, report_id, action,"
                                  " amount_fen, actor, reference FROM reward_events"
                                  " WHERE year = ?1 AND (?2 IS NULL OR org_id = ?2)"
                                  " ORDER BY at_ms, id");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int(s, 1, year);
    fz__sq_bind_id(s, 2, org);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct fz_reward_ledger_row r = {
            .id = sqlite3_column_int64(s, 0),
            .at_ms = sqlite3_column_int64(s, 1),
            .org_id = sqlite3_column_int64(s, 2),
            .reward_id = sqlite3_column_int64(s, 3),
            .report_id = sqlite3_column_int64(s, 4),
            .action = (const char *)sqlite3_column_text(s, 5),
            .amount_fen = sqlite3_column_int64(s, 6),
            .actor = (const char *)sqlite3_column_text(s, 7),
            .reference = (const char *)sqlite3_column_text(s, 8),
        };
        if (cb(ud, &r))
            break;
    }
    fz_rc r = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? FZ_OK : fz__sq_rc(c, rc);
    sqlite3_reset(s);
    return r;
}

const struct fz__store_reward_ops fz__store_sqlite_rewards = {
    .report = sq_reward_report,
    .insert = sq_reward_insert,
    .get = sq_reward_get,
    .list = sq_reward_list,
    .set_status = sq_reward_set_status,
    .event = sq_reward_event,
    .committed = sq_reward_committed,
    .budget_get = sq_reward_budget_get,
    .budget_set = sq_reward_budget_set,
    .ledger_walk = sq_reward_ledger_walk,
};
