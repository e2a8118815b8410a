/*
 * store/sqlite/indicators.c: indicators, their history, their evidence and sightings in
 * SQLite.
 *
 * Visibility by TLP is one predicate, "(?S IS NULL OR tlp IN ('clear','green') OR
 * source_org_id = ?S)": the centre's staff pass NULL and see all, everyone else sees clear and
 * green plus its own organisation's amber and red.
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <stdio.h>
#include <string.h>

#define VISIBLE(n) "(?" #n " IS NULL OR tlp IN ('clear', 'green') OR source_org_id = ?" #n ")"

#define IND_COLS                                                                                   \
    "id, kind, value, status, tlp, fraud_type, score, n_reports, n_sightings, source_org_id,"      \
    " first_seen_ms, last_seen_ms, last_report_ms, expires_ms, updated_ms, version, note,"         \
    " cleared_reason"

static int parse_kind(sqlite3_stmt *s, int i)
{
    enum fz_ind_kind k = FZ_IND_PHONE;
    const char *t = (const char *)sqlite3_column_text(s, i);
    if (t)
        fz_ind_kind_parse(t, strlen(t), &k);
    return k;
}

static bool ind_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_indicator *x = item;
    bool ok = true;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(s, 0);
    x->kind = (enum fz_ind_kind)parse_kind(s, 1);
    x->value = fz__sq_col_text(s, 2, ar, &ok);
    const char *t = (const char *)sqlite3_column_text(s, 3);
    enum fz_ind_status st = FZ_IND_SUSPECTED;
    if (t)
        fz_ind_status_parse(t, strlen(t), &st);
    x->status = st;
    t = (const char *)sqlite3_column_text(s, 4);
    enum fz_tlp tlp = FZ_TLP_RED;
    if (t)
        fz_tlp_parse(t, strlen(t), &tlp);
    x->tlp = tlp;
    x->fraud_type = fz__sq_col_fraud(s, 5);
    x->score = sqlite3_column_int(s, 6);
    x->n_reports = sqlite3_column_int(s, 7);
    x->n_sightings = sqlite3_column_int(s, 8);
    x->source_org_id = sqlite3_column_int64(s, 9);
    x->first_seen_ms = sqlite3_column_int64(s, 10);
    x->last_seen_ms = sqlite3_column_int64(s, 11);
    x->last_report_ms = sqlite3_column_int64(s, 12);
    x->expires_ms = sqlite3_column_int64(s, 13);
    x->updated_ms = sqlite3_column_int64(s, 14);
    x->version = sqlite3_column_int(s, 15);
    x->note = fz__sq_col_text(s, 16, ar, &ok);
    x->cleared_reason = fz__sq_col_text(s, 17, ar, &ok);
    return ok;
}

fz_rc fz__sq_ind_find(void *conn, enum fz_ind_kind k, const char *value, struct fz_arena *ar,
                      struct fz_indicator *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_FIND, "SELECT " IND_COLS " FROM indicators WHERE kind = ?1 AND value = ?2");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, fz_ind_kind_name(k));
    fz__sq_bind_text(s, 2, value);
    return fz__sq_one(c, s, ar, ind_row, out);
}

fz_rc fz__sq_ind_get(void *conn, int64_t id, int64_t scope, struct fz_arena *ar,
                     struct fz_indicator *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_GET, "SELECT " IND_COLS " FROM indicators WHERE id = ?1 AND " VISIBLE(2));
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, ar, ind_row, out);
}

fz_rc fz__sq_ind_insert(void *conn, const struct fz_indicator *x, int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_INSERT,
        "INSERT INTO indicators (kind, value, status, tlp, fraud_type, score, n_reports,"
        " n_sightings, source_org_id, first_seen_ms, last_seen_ms, last_report_ms, expires_ms,"
        " note, cleared_reason, created_ms, updated_ms, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
        " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, fz_ind_kind_name(x->kind));
    fz__sq_bind_text(s, 2, x->value);
    fz__sq_bind_text(s, 3, fz_ind_status_name(x->status));
    fz__sq_bind_text(s, 4, fz_tlp_name(x->tlp));
    fz__sq_bind_fraud(s, 5, x->fraud_type);
    sqlite3_bind_int(s, 6, x->score);
    sqlite3_bind_int(s, 7, x->n_reports);
    sqlite3_bind_int(s, 8, x->n_sightings);
    fz__sq_bind_id(s, 9, x->source_org_id);
    sqlite3_bind_int64(s, 10, x->first_seen_ms);
    sqlite3_bind_int64(s, 11, x->last_seen_ms);
    sqlite3_bind_int64(s, 12, x->last_report_ms);
    sqlite3_bind_int64(s, 13, x->expires_ms);
    fz__sq_bind_text(s, 14, x->note);
    fz__sq_bind_text(s, 15, x->cleared_reason);
    sqlite3_bind_int64(s, 16, x->updated_ms);
    sqlite3_bind_int(s, 17, x->version);
    return fz__sq_insert_id(c, s, id);
}

fz_rc fz__sq_ind_update(void *conn, const struct fz_indicator *x)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_UPDATE,
        "UPDATE indicators SET status = ?2, tlp = ?3, fraud_type = ?4, score = ?5,"
        " n_reports = ?6, n_sightings = ?7, last_seen_ms = ?8, last_report_ms = ?9,"
        " expires_ms = ?10, note = ?11, cleared_reason = ?12, updated_ms = ?13, version = ?14"
        " WHERE id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, x->id);
    fz__sq_bind_text(s, 2, fz_ind_status_name(x->status));
    fz__sq_bind_text(s, 3, fz_tlp_name(x->tlp));
    fz__sq_bind_fraud(s, 4, x->fraud_type);
    sqlite3_bind_int(s, 5, x->score);
    sqlite3_bind_int(s, 6, x->n_reports);
    sqlite3_bind_int(s, 7, x->n_sightings);
    sqlite3_bind_int64(s, 8, x->last_seen_ms);
    sqlite3_bind_int64(s, 9, x->last_report_ms);
    sqlite3_bind_int64(s, 10, x->expires_ms);
    fz__sq_bind_text(s, 11, x->note);
    fz__sq_bind_text(s, 12, x->cleared_reason);
    sqlite3_bind_int64(s, 13, x->updated_ms);
    sqlite3_bind_int(s, 14, x->version);
    return fz__sq_update(c, s);
}

fz_rc fz__sq_ind_event(void *conn, int64_t ind, const struct fz_indicator_event *ev)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_EVENT,
        "INSERT INTO indicator_events (indicator_id, at_ms, actor, action, from_value, to_value,"
        " reason, report_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    sqlite3_bind_int64(s, 2, ev->at_ms);
    fz__sq_bind_text(s, 3, ev->actor);
    fz__sq_bind_text(s, 4, ev->action);
    fz__sq_bind_text(s, 5, ev->from);
    fz__sq_bind_text(s, 6, ev->to);
    fz__sq_bind_text(s, 7, ev->reason);
    fz__sq_bind_id(s, 8, ev->report_id);
    return fz__sq_run(c, s);
}

fz_rc fz__sq_ind_link_report(void *conn, int64_t ind, int64_t report)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_IND_LINK,
                                  "INSERT INTO indicator_reports (indicator_id, report_id)"
                                  " VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    sqlite3_bind_int64(s, 2, report);
    return fz__sq_run(c, s);
}

fz_rc fz__sq_ind_evidence(void *conn, int64_t ind, struct fz_ind_evidence *ev)
{
    struct fz__sq *c = conn;
    /* Independent reporters: one per client tag, key, user or (lacking all) report. */
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_IND_EV_REPORTS,
        "SELECT count(DISTINCT coalesce(r.client_tag, 'k' || r.source_key_id,"
        " 'u' || r.source_user_id, 'r' || r.id)),"
        " count(DISTINCT CASE WHEN r.source <> 'anon' THEN coalesce('k' || r.source_key_id,"
        " 'u' || r.source_user_id, 'r' || r.id) END),"
        " coalesce(max(r.created_ms), 0)"
        " FROM indicator_reports ir JOIN reports r ON r.id = ir.report_id"
        " WHERE ir.indicator_id = ?1 AND r.status = 'confirmed'");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return fz__sq_rc(c, rc);
    }
    ev->reports = sqlite3_column_int(s, 0);
    ev->partner_reports = sqlite3_column_int(s, 1);
    ev->last_report_ms = sqlite3_column_int64(s, 2);
    sqlite3_reset(s);
    s = fz__sq_stmt(c, SQ_IND_EV_SIGHTINGS,
                    "SELECT coalesce(sum(count), 0), coalesce(max(seen_ms), 0) FROM sightings"
                    " WHERE indicator_id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return fz__sq_rc(c, rc);
    }
    int64_t n = sqlite3_column_int64(s, 0);
    ev->sightings = n > 1000000 ? 1000000 : (int)n;
    int64_t seen = sqlite3_column_int64(s, 1);
    if (seen > ev->last_report_ms)
        ev->last_report_ms = seen;
    sqlite3_reset(s);
    return FZ_OK;
}

fz_rc fz__sq_ind_search(void *conn, const struct fz_indicator_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_indicator **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_IND_SEARCH,
                    "SELECT " IND_COLS " FROM indicators WHERE id > ?1 AND " VISIBLE(
                        2) " AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR status = ?4)"
                           " AND (?5 IS NULL OR value = ?5)"
                           " AND (?6 IS NULL OR substr(value, 1, length(?6)) = ?6)"
                           " ORDER BY id LIMIT ?7");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, f->after_id);
    fz__sq_bind_id(s, 2, scope);
    fz__sq_bind_text(s, 3, f->kind >= 0 ? fz_ind_kind_name((enum fz_ind_kind)f->kind) : NULL);
    fz__sq_bind_text(s, 4,
                     f->status >= 0 ? fz_ind_status_name((enum fz_ind_status)f->status) : NULL);
    fz__sq_bind_text(s, 5, f->prefix ? NULL : f->value);
    fz__sq_bind_text(s, 6, f->prefix ? f->value : NULL);
    sqlite3_bind_int(s, 7, f->limit);
    return fz__sq_rows(c, s, ar, sizeof **out, ind_row, (void **)out, n);
}

/* One row of the list below into *item (strings in ar); false when out of memory. */
static bool indicator_event_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_indicator_event *e = item;
    bool ok = true;
    e->id = sqlite3_column_int64(s, 0);
    e->at_ms = sqlite3_column_int64(s, 1);
    e->actor = fz__sq_col_text(s, 2, ar, &ok);
    e->action = fz__sq_col_text(s, 3, ar, &ok);
    e->from = fz__sq_col_text(s, 4, ar, &ok);
    e->to = fz__sq_col_text(s, 5, ar, &ok);
    e->reason = fz__sq_col_text(s, 6, ar, &ok);
    e->report_id = sqlite3_column_int64(s, 7);
    return ok;
}

fz_rc fz__sq_ind_history(void *conn, int64_t ind, struct fz_arena *ar,
                         struct fz_indicator_event **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_IND_HISTORY,
                                  "SELECT id, at_ms, actor, action, from_value, to_value, reason,"
                                  " report_id FROM indicator_events WHERE indicator_id = ?1"
                                  " ORDER BY id LIMIT 1000");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    return fz__sq_rows(c, s, ar, sizeof **out, indicator_event_row, (void **)out, n);
}

fz_rc fz__sq_sighting_insert(void *conn, int64_t ind, int64_t org, const struct fz_sighting_new *sn,
                             int64_t now, int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_SIGHTING_INSERT,
                                  "INSERT INTO sightings (indicator_id, org_id, seen_ms, channel,"
                                  " count, note, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                  " RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    fz__sq_bind_id(s, 2, org);
    sqlite3_bind_int64(s, 3, sn->seen_ms ? sn->seen_ms : now);
    fz__sq_bind_text(s, 4, sn->channel);
    sqlite3_bind_int(s, 5, sn->count > 0 ? sn->count : 1);
    fz__sq_bind_text(s, 6, sn->note);
    sqlite3_bind_int64(s, 7, now);
    return fz__sq_insert_id(c, s, id);
}

/* One row of the list below into *item (strings in ar); false when out of memory. */
static bool sighting_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_sighting *x = item;
    bool ok = true;
    x->id = sqlite3_column_int64(s, 0);
    x->indicator_id = sqlite3_column_int64(s, 1);
    x->org_id = sqlite3_column_int64(s, 2);
    x->seen_ms = sqlite3_column_int64(s, 3);
    x->channel = fz__sq_col_text(s, 4, ar, &ok);
    x->count = sqlite3_column_int(s, 5);
    x->note = fz__sq_col_text(s, 6, ar, &ok);
    x->created_ms = sqlite3_column_int64(s, 7);
    return ok;
}

fz_rc fz__sq_sighting_list(void *conn, int64_t ind, int64_t scope, int64_t after_id, int limit,
                           struct fz_arena *ar, struct fz_sighting **out, size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_SIGHTING_LIST,
                                  "SELECT id, indicator_id, org_id, seen_ms, channel, count, note,"
                                  " created_ms FROM sightings WHERE indicator_id = ?1 AND id > ?2"
                                  " AND (?3 IS NULL OR org_id = ?3) ORDER BY id LIMIT ?4");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, ind);
    sqlite3_bind_int64(s, 2, after_id);
    fz__sq_bind_id(s, 3, scope);
    sqlite3_bind_int(s, 4, limit);
    return fz__sq_rows(c, s, ar, sizeof **out, sighting_row, (void **)out, n);
}

fz_rc fz__sq_intel_walk(void *conn, fz_store_ind_cb *cb, void *ud)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_INTEL_WALK,
                                  "SELECT id, kind, value, status, tlp, fraud_type, score,"
                                  " expires_ms, updated_ms FROM indicators ORDER BY id");
    if (!s)
        return FZ_E(FZ_EIO);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char id_text[24];
        struct fz_ind_change ch;
        memset(&ch, 0, sizeof ch);
        ch.entry.id = sqlite3_column_int64(s, 0);
        ch.entry.kind = (uint8_t)parse_kind(s, 1);
        ch.entry.value = (const char *)sqlite3_column_text(s, 2);
        ch.value_len = (size_t)sqlite3_column_bytes(s, 2);
        const char *t = (const char *)sqlite3_column_text(s, 3);
        enum fz_ind_status st = FZ_IND_SUSPECTED;
        if (t)
            fz_ind_status_parse(t, strlen(t), &st);
        ch.entry.status = (uint8_t)st;
        t = (const char *)sqlite3_column_text(s, 4);
        enum fz_tlp tlp = FZ_TLP_RED;
        if (t)
            fz_tlp_parse(t, strlen(t), &tlp);
        ch.entry.tlp = (uint8_t)tlp;
        ch.entry.fraud_type = (int8_t)fz__sq_col_fraud(s, 5);
        ch.entry.score = (uint8_t)sqlite3_column_int(s, 6);
        ch.entry.expires_ms = sqlite3_column_int64(s, 7);
        ch.entry.scored_ms = sqlite3_column_int64(s, 8);
        snprintf(id_text, sizeof id_text, "%lld", (long long)ch.entry.id);
        ch.entry.id_text = id_text;
        if (!ch.entry.value)
            continue;
        if (cb(ud, &ch))
            break;
    }
    fz_rc r = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? FZ_OK : fz__sq_rc(c, rc);
    sqlite3_reset(s);
    return r;
}
