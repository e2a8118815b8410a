/*
 * server/r_rewards: rewards for good tips (有奖举报) — proposed by an analyst for a confirmed
 * report (by rule or by hand), approved by a second person within the organisation's yearly
 * budget, paid by an administrator; the ledger as CSV for auditors. The rules live in the store
 * (include/fangzha/store.h); this file only speaks HTTP.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SRV_ENUM_ARG(arg_status, enum fz_reward_status, fz_reward_status_parse)

static void json_reward(struct fz_json *j, const struct fz_reward *w)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, w->id);
    fz_json_key(j, "report_id");
    fz_json_int(j, w->report_id);
    fz_json_key(j, "org_id");
    fz_json_int(j, w->org_id);
    fz_json_key(j, "year");
    fz_json_int(j, w->year);
    fz_json_key(j, "status");
    fz_json_cstr(j, fz_reward_status_name(w->status));
    fz_json_key(j, "version");
    fz_json_int(j, w->version);
    fz_json_key(j, "amount_fen");
    fz_json_int(j, w->amount_fen);
    fz_json_key(j, "by_rule");
    fz_json_bool(j, w->by_rule);
    fz_json_key(j, "basis");
    fz_json_cstr(j, w->basis);
    fz_json_key(j, "proposed_by");
    fz_json_cstr(j, w->proposed_by);
    srv_json_time(j, "proposed_at", w->proposed_ms);
    fz_json_key(j, "approved_by");
    fz_json_cstr(j, w->approved_by);
    srv_json_time(j, "approved_at", w->approved_ms);
    fz_json_key(j, "paid_by");
    fz_json_cstr(j, w->paid_by);
    srv_json_time(j, "paid_at", w->paid_ms);
    fz_json_key(j, "payment_ref");
    fz_json_cstr(j, w->payment_ref);
    fz_json_key(j, "cancelled_by");
    fz_json_cstr(j, w->cancelled_by);
    srv_json_time(j, "cancelled_at", w->cancelled_ms);
    fz_json_key(j, "cancel_reason");
    fz_json_cstr(j, w->cancel_reason);
    fz_json_obj_end(j);
}

static void reply_reward(struct srv_req *r, int64_t id, int status)
{
    struct fz_reward w;
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_get(r->srv->store, &r->actor, id, &r->arena, &w, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    json_reward(&j, &w);
    srv_reply(r, j.rc ? 500 : status);
}

/* ---- the workflow ------------------------------------------------------------------------- */

static const struct srv_field propose_fields[] = {
    {"amount_fen", SRV_T_INT, false, 0, FZ_REWARD_MAX_FEN},
    {"basis", SRV_T_STR, false, 1, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field approve_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field pay_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"payment_ref", SRV_T_STR, true, 1, FZ_REWARD_REF_MAX},
    {NULL, 0, false, 0, 0},
};
static const struct srv_field cancel_fields[] = {
    {"version", SRV_T_INT, true, 1, INT32_MAX},
    {"reason", SRV_T_STR, true, 1, FZ_STORE_REASON_MAX},
    {NULL, 0, false, 0, 0},
};

void srv_h_reward_propose(struct srv_req *r)
{
    if (!srv_check_fields(r, propose_fields))
        return;
    size_t len;
    int64_t id;
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_propose(r->srv->store, &r->actor, r->id, srv_int(r, "amount_fen", 0),
                                       srv_str(r, "basis", &len), &id, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_reward(r, id, 201);
}

void srv_h_reward_approve(struct srv_req *r)
{
    if (!srv_check_fields(r, approve_fields))
        return;
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_approve(r->srv->store, &r->actor, r->id,
                                       (int)srv_int(r, "version", 0), NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_reward(r, r->id, 200);
}

void srv_h_reward_pay(struct srv_req *r)
{
    if (!srv_check_fields(r, pay_fields))
        return;
    size_t len;
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_pay(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                                   srv_str(r, "payment_ref", &len), NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_reward(r, r->id, 200);
}

void srv_h_reward_cancel(struct srv_req *r)
{
    if (!srv_check_fields(r, cancel_fields))
        return;
    size_t len;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_reward_cancel(r->srv->store, &r->actor, r->id, (int)srv_int(r, "version", 0),
                               srv_str(r, "reason", &len), NULL, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_reward(r, r->id, 200);
}

/* ---- reading ------------------------------------------------------------------------------ */

void srv_h_reward_get(struct srv_req *r) { reply_reward(r, r->id, 200); }

void srv_h_reward_list(struct srv_req *r)
{
    struct fz_reward_filter f;
    fz_reward_filter_init(&f);
    int64_t year = 0, limit = 0, after = 0, report = 0, org = 0;
    if (!arg_status(r, "status", &f.status) ||
        !srv_arg_int(r, "year", FZ_REWARD_YEAR_MIN, FZ_REWARD_YEAR_MAX, &year) ||
        !srv_arg_int(r, "report_id", 1, INT64_MAX, &report) ||
        !srv_arg_int(r, "org_id", 1, INT64_MAX, &org) ||
        !srv_arg_int(r, "limit", 1, FZ_STORE_LIMIT_MAX, &limit) ||
        !srv_arg_int(r, "after", 1, INT64_MAX, &after))
        return;
    f.year = (int)year;
    f.report_id = report;
    f.org_id = org;
    f.limit = (int)limit;
    f.after_id = after;
    struct fz_reward *rows;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_reward_list(r->srv->store, &r->actor, &f, &r->arena, &rows, &n, &next, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    SRV_REPLY_ITEMS(r, rows, n, json_reward, next);
}

/* ---- budget ------------------------------------------------------------------------------- */

/* The year of the path ({year}) or of ?year=, defaulting to this one (Beijing time). */
static bool year_of(struct srv_req *r, const char *s, int *year)
{
    if (!s) {
        *year = fz_reward_year(srv_now_ms());
        return true;
    }
    char *end;
    long y = strtol(s, &end, 10);
    if (*s && !*end && y >= FZ_REWARD_YEAR_MIN && y <= FZ_REWARD_YEAR_MAX) {
        *year = (int)y;
        return true;
    }
    srv_error(r, 422, "invalid", "year", "the year must be %d..%d", FZ_REWARD_YEAR_MIN,
              FZ_REWARD_YEAR_MAX);
    return false;
}

static const struct srv_field budget_fields[] = {
    {"amount_fen", SRV_T_INT, true, 0, FZ_REWARD_BUDGET_MAX_FEN},
    {"org_id", SRV_T_INT, false, 1, INT64_MAX},
    {NULL, 0, false, 0, 0},
};

static void reply_budget(struct srv_req *r, int64_t org, int year)
{
    struct fz_reward_budget b;
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_budget_get(r->srv->store, &r->actor, org, year, &b, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "org_id");
    fz_json_int(&j, org);
    fz_json_key(&j, "year");
    fz_json_int(&j, year);
    fz_json_key(&j, "set");
    fz_json_bool(&j, b.is_set);
    fz_json_key(&j, "budget_fen");
    fz_json_int(&j, b.budget_fen);
    fz_json_key(&j, "approved_fen");
    fz_json_int(&j, b.approved_fen);
    fz_json_key(&j, "paid_fen");
    fz_json_int(&j, b.paid_fen);
    fz_json_key(&j, "left_fen");
    fz_json_int(&j, b.left_fen);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

void srv_h_budget_get(struct srv_req *r)
{
    int year;
    int64_t org = r->who.org_id;
    if (year_of(r, srv_arg(r, "year"), &year) && srv_arg_int(r, "org_id", 1, INT64_MAX, &org))
        reply_budget(r, org, year);
}

void srv_h_budget_set(struct srv_req *r)
{
    int year;
    if (!srv_check_fields(r, budget_fields) || !year_of(r, r->code, &year))
        return;
    int64_t org = srv_int(r, "org_id", r->who.org_id);
    struct fz_err err = {0};
    fz_rc rc = fz_store_reward_budget_set(r->srv->store, &r->actor, org, year,
                                          srv_int(r, "amount_fen", 0), &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        reply_budget(r, org, year);
}

/* ---- the ledger as CSV -------------------------------------------------------------------- */

/* One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading = + -
 * @ gets a ' so a spreadsheet shows it instead of running it as a formula. */
static void csv_field(struct fz_buf *b, const char *s)
{
    if (!s)
        return;
    bool formula = strchr("=+-@", s[0]) && s[0];
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        fz_buf_adds(b, s);
        return;
    }
    fz_buf_addc(b, '"');
    if (formula)
        fz_buf_addc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fz_buf_addc(b, '"');
        fz_buf_addc(b, *p);
    }
    fz_buf_addc(b, '"');
}

static int ledger_row(void *ud, const struct fz_reward_ledger_row *w)
{
    struct fz_buf *b = ud;
    char at[32];
    srv_iso_time(w->at_ms, at);
    fz_buf_addf(b, "%lld,%s,%lld,%lld,%lld,%s,%lld,%lld.%02lld,", (long long)w->id, at,
                (long long)w->org_id, (long long)w->reward_id, (long long)w->report_id, w->action,
                (long long)w->amount_fen, (long long)(w->amount_fen / 100),
                (long long)(w->amount_fen % 100));
    csv_field(b, w->actor);
    fz_buf_addc(b, ',');
    csv_field(b, w->reference);
    return fz_buf_adds(b, "\r\n") == FZ_OK ? 0 : 1;
}

void srv_h_ledger_csv(struct srv_req *r)
{
    int year;
    int64_t org = 0;
    if (!year_of(r, srv_arg(r, "year"), &year) || !srv_arg_int(r, "org_id", 1, INT64_MAX, &org))
        return;
    fz_buf_reset(&r->out);
    /* A BOM so that spreadsheets read the UTF-8 right; then the header. */
    fz_buf_adds(&r->out, "\xEF\xBB\xBFid,at,org_id,reward_id,report_id,action,amount_fen,"
                         "amount_yuan,actor,reference\r\n");
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_reward_ledger(r->srv->store, &r->actor, org, year, ledger_row, &r->out, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    r->content_type = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"ledger-%d.csv\"", year);
    srv_reply(r, 200);
}

void srv_h_ledger_xlsx(struct srv_req *r)
{
    int year;
    int64_t org = 0;
    if (!year_of(r, srv_arg(r, "year"), &year) || !srv_arg_int(r, "org_id", 1, INT64_MAX, &org))
        return;
    struct fz_err err = {0};
    fz_rc rc = srv_ledger_xlsx(r, org, year, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"ledger-%d.xlsx\"",
             year);
    srv_reply(r, 200);
}
