/*
 * store/sqlite/stats.c: the dashboard's aggregates, counted by SQLite (GROUP BY over the
 * reports of a period; ~tens of ms for 100,000 reports on this machine, docs/internals/store.md).
 * Every query binds ?1 since, ?2 until, ?3 scope (0 = every organisation).
 */
#include "compat.h"

#include "sqlite_int.h"

#define BEIJING_MS 28800000LL /* UTC+8: days start at 00:00 Beijing time */
#define DAY_MS 86400000LL
#define IN_PERIOD " r.created_ms >= ?1 AND r.created_ms < ?2 AND (?3 = 0 OR r.org_id = ?3)"

/* A row (key, key2 | NULL, n) of a counting query into *item (a struct fz_stats_count). */
static bool count_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_stats_count *x = item;
    bool ok = true;
    x->key = fz__sq_col_text(s, 0, ar, &ok);
    x->key2 = fz__sq_col_text(s, 1, ar, &ok);
    x->n = sqlite3_column_int64(s, 2);
    return ok;
}

/* A row (Beijing day, key, n) of a counting query per day into *item. */
static bool day_count_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_stats_count *x = item;
    bool ok = true;
    x->day_ms = sqlite3_column_int64(s, 0) * DAY_MS - BEIJING_MS;
    x->key = fz__sq_col_text(s, 1, ar, &ok);
    x->n = sqlite3_column_int64(s, 2);
    return ok;
}

/* Runs a counting query whose rows are (key, key2 | NULL, n) or, per day, (day, key, n). */
static fz_rc counts(struct fz__sq *c, enum fz__sq_slot slot, const char *sql, bool per_day,
                    const struct fz_dashboard *d, int64_t scope, struct fz_arena *ar,
                    struct fz_stats_count **out, size_t *n)
{
    sqlite3_stmt *s = fz__sq_stmt(c, slot, sql);
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, d->since_ms);
    sqlite3_bind_int64(s, 2, d->until_ms);
    sqlite3_bind_int64(s, 3, scope);
    return fz__sq_rows(c, s, ar, sizeof **out, per_day ? day_count_row : count_row, (void **)out,
                       n);
}

/* One number from a query bound like the others (0 when it gives no row). */
static fz_rc scalar(struct fz__sq *c, enum fz__sq_slot slot, const char *sql,
                    const struct fz_dashboard *d, int64_t scope, int64_t offset, int64_t *out)
{
    sqlite3_stmt *s = fz__sq_stmt(c, slot, sql);
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, d->since_ms);
    sqlite3_bind_int64(s, 2, d->until_ms);
    sqlite3_bind_int64(s, 3, scope);
    sqlite3_bind_int64(s, 4, offset);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? FZ_OK : fz__sq_rc(c, rc);
}

/* The median time from a report (of the period) to its triage, from the audit log. */
#define TRIAGE_DELAYS                                                                              \
    " FROM audit a JOIN reports r ON r.id = a.object_id"                                           \
    " WHERE a.action = 'report.triage' AND a.outcome = 'ok' AND a.object_kind = 'report' "         \
    "AND" IN_PERIOD

static fz_rc median_triage(struct fz__sq *c, const struct fz_dashboard *d, int64_t scope,
                           int64_t *out)
{
    int64_t n = 0;
    fz_rc rc = scalar(c, SQ_ST_TRIAGE_COUNT, "SELECT count(*)" TRIAGE_DELAYS, d, scope, 0, &n);
    if (rc || n == 0) {
        *out = -1;
        return rc;
    }
    return scalar(c, SQ_ST_TRIAGE_MEDIAN,
                  "SELECT a.at_ms - r.created_ms" TRIAGE_DELAYS " ORDER BY 1 LIMIT 1 OFFSET ?4", d,
                  scope, n / 2, out);
}

/* The indicators listed as confirmed or moved to confirmed in the period, by their creators. */
#define NEWLY_CONFIRMED                                                                            \
    " FROM indicator_events e JOIN indicators i ON i.id = e.indicator_id"                          \
    " WHERE e.to_value = 'confirmed' AND e.action IN ('created', 'status')"                        \
    " AND e.at_ms >= ?1 AND e.at_ms < ?2 AND (?3 = 0 OR i.source_org_id = ?3)"

fz_rc fz__sq_dashboard(void *conn, int64_t scope, struct fz_arena *ar, struct fz_dashboard *out)
{
    struct fz__sq *c = conn;
    const struct fz_dashboard *d = out;
    fz_rc rc = counts(c, SQ_ST_PER_DAY,
                      "SELECT (r.created_ms + 28800000) / 86400000, r.channel, count(*)"
                      " FROM reports r WHERE" IN_PERIOD " GROUP BY 1, 2 ORDER BY 1, 2",
                      true, d, scope, ar, &out->per_day, &out->n_per_day);
    if (!rc)
        rc = counts(c, SQ_ST_BY_TYPE,
                    "SELECT r.fraud_type, NULL, count(*) FROM reports r WHERE" IN_PERIOD
                    " GROUP BY 1 ORDER BY 3 DESC",
                    false, d, scope, ar, &out->by_type, &out->n_by_type);
    if (!rc)
        rc = counts(c, SQ_ST_BY_STATUS,
                    "SELECT r.status, NULL, count(*) FROM reports r WHERE" IN_PERIOD
                    " GROUP BY 1 ORDER BY 3 DESC",
                    false, d, scope, ar, &out->by_status, &out->n_by_status);
    if (!rc)
        rc = counts(c, SQ_ST_VERDICTS,
                    "SELECT r.verdict_label, CASE WHEN r.verdict_score >= 80 THEN 'block'"
                    " WHEN r.verdict_score >= 40 THEN 'warn' ELSE 'allow' END, count(*)"
                    " FROM reports r WHERE" IN_PERIOD " AND r.verdict_label IS NOT NULL"
                    " GROUP BY 1, 2 ORDER BY 3 DESC",
                    false, d, scope, ar, &out->verdicts, &out->n_verdicts);
    if (!rc)
        rc = counts(c, SQ_ST_TOP_VALUES,
                    /* r: the value rows carry their report's time and organisation (0004) */
                    "SELECT r.kind, r.value, count(*) FROM report_values r WHERE" IN_PERIOD
                    " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 10",
                    false, d, scope, ar, &out->top_values, &out->n_top_values);
    if (!rc)
        rc = counts(c, SQ_ST_CONFIRMED,
                    "SELECT i.kind, NULL, count(DISTINCT e.indicator_id)" NEWLY_CONFIRMED
                    " GROUP BY 1 ORDER BY 3 DESC, 1",
                    false, d, scope, ar, &out->confirmed_by_kind, &out->n_confirmed_by_kind);
    if (!rc)
        rc = counts(c, SQ_ST_CONFIRMED_DAY,
                    "SELECT (e.at_ms + 28800000) / 86400000, i.kind, count(DISTINCT "
                    "e.indicator_id)" NEWLY_CONFIRMED " GROUP BY 1, 2 ORDER BY 1, 2",
                    true, d, scope, ar, &out->confirmed_per_day, &out->n_confirmed_per_day);
    if (!rc)
        rc = median_triage(c, d, scope, &out->median_triage_ms);
    out->reports = 0;
    for (size_t i = 0; !rc && i < out->n_by_status; i++)
        out->reports += out->by_status[i].n;
    out->indicators_confirmed = 0;
    for (size_t i = 0; !rc && i < out->n_confirmed_by_kind; i++)
        out->indicators_confirmed += out->confirmed_by_kind[i].n;
    return rc;
}
