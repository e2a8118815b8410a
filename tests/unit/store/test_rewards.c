/* store rewards (有奖举报): the rule amount and the reward year, the workflow proposed → approved →
 * paid | cancelled with four eyes and optimistic versions, the yearly budget (exceeded, absent,
 * overflow-safe), organisation scope, the ledger export, the audit records, no personal data in
 * reward rows, and the upgrade of a schema-1 database. */
#include "storetest.h"

#include <stdlib.h>

#define Y2026 1767225600000 /* 2026-01-01 00:00 UTC = 08:00 in Beijing */

struct fixture {
    struct st_env e;
    int64_t centre, district;
    struct fz_actor analyst_d, analyst_d2, admin_d, auditor_d, officer_d;
    struct fz_actor analyst_c, admin_c, auditor_c;
    struct fz_arena ar;
    int nreports;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    st_setup(&f->e);
    f->centre = st_org(&f->e, "centre", true);
    f->district = st_org(&f->e, "district", false);
    f->analyst_d = st_user(&f->e, "analyst_d", FZ_ROLE_ANALYST, f->district, false);
    f->analyst_d2 = st_user(&f->e, "analyst_d2", FZ_ROLE_ANALYST, f->district, false);
    f->admin_d = st_user(&f->e, "admin_d", FZ_ROLE_ADMIN, f->district, false);
    f->auditor_d = st_user(&f->e, "auditor_d", FZ_ROLE_AUDITOR, f->district, false);
    f->officer_d = st_user(&f->e, "officer_d", FZ_ROLE_OFFICER, f->district, false);
    f->analyst_c = st_user(&f->e, "analyst_c", FZ_ROLE_ANALYST, f->centre, true);
    f->admin_c = st_user(&f->e, "admin_c", FZ_ROLE_ADMIN, f->centre, true);
    f->auditor_c = st_user(&f->e, "auditor_c", FZ_ROLE_AUDITOR, f->centre, true);
    fz_arena_init(&f->ar, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fz_arena_release(&f->ar);
    st_teardown(&f->e);
    free(f);
    return 0;
}

/* A report of org with loss_fen and nvalues distinct phone numbers; confirmed unless
 * confirm is false (then only triaged). */
static int64_t report(struct fixture *f, int64_t org, int64_t loss_fen, size_t nvalues,
                      bool confirm)
{
    char text[64], phones[4][32];
    struct fz_report_value vals[4];
    int k = ++f->nreports;
    snprintf(text, sizeof text, "冒充客服退款 %d", k);
    for (size_t i = 0; i < nvalues && i < 4; i++) {
        snprintf(phones[i], sizeof phones[i], "+86170%04d%04d", k, (int)i);
        vals[i] = (struct fz_report_value){FZ_IND_PHONE, phones[i]};
    }
    struct fz_report_new r = {
        .channel = FZ_CHANNEL_CALL,
        .text = text,
        .text_len = strlen(text),
        .loss_fen = loss_fen,
        .fraud_type = -1,
        .contact_name = "张三",
        .contact_phone = "13800138000",
        .values = vals,
        .nvalues = nvalues,
        .dedupe_key = text,
        .dedupe_len = strlen(text),
        .org_id = org,
    };
    struct fz_report_ref ref;
    struct fz_err err = {0};
    if (fz_store_report_add(f->e.st, &f->e.cli, &r, &ref, &err) != FZ_OK)
        fail_msg("report add: %s", err.msg);
    int v = 0;
    if (fz_store_report_triage(f->e.st, &f->e.cli, ref.id, 1, &v, &err) != FZ_OK)
        fail_msg("triage: %s", err.msg);
    if (confirm) {
        struct fz_ind_change *ch;
        size_t n;
        if (fz_store_report_confirm(f->e.st, &f->e.cli, ref.id, v, NULL, &f->ar, &ch, &n, &err) !=
            FZ_OK)
            fail_msg("confirm: %s", err.msg);
    }
    return ref.id;
}

static void budget(struct fixture *f, int64_t org, int year, int64_t fen)
{
    struct fz_err err = {0};
    if (fz_store_reward_budget_set(f->e.st, &f->e.cli, org, year, fen, &err) != FZ_OK)
        fail_msg("budget: %s", err.msg);
}

static int64_t propose(struct fixture *f, const struct fz_actor *a, int64_t report_id, int64_t fen)
{
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_reward_propose(f->e.st, a, report_id, fen, fen ? "两次独立举报" : NULL, &id,
                                &err) != FZ_OK)
        fail_msg("propose: %s", err.msg);
    return id;
}

static void get(struct fixture *f, const struct fz_actor *a, int64_t id, struct fz_reward *w)
{
    struct fz_err err = {0};
    if (fz_store_reward_get(f->e.st, a, id, &f->ar, w, &err) != FZ_OK)
        fail_msg("get: %s", err.msg);
}

/* ---- the rule and the year ------------------------------------------------------------------ */

static void test_rule_table(void **state)
{
    (void)state;
    static const struct {
        int64_t loss_fen;
        int n;
        int64_t want;
    } rows[] = {
        {0, 0, 20000},         {999999, 0, 20000},
        {1000000, 0, 50000},   {9999999, 1, 60000},
        {10000000, 0, 100000}, {0, 3, 50000},
        {0, 5, 70000},         {0, 6, 70000},
        {10000000, 5, 150000}, {INT64_MAX, 1 << 30, 150000},
        {-1, -3, 20000},       {INT64_MIN, 0, 20000},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(fz_reward_rule_fen(rows[i].loss_fen, rows[i].n), rows[i].want);

    assert_int_equal(fz_reward_year(Y2026), 2026);
    assert_int_equal(fz_reward_year(Y2026 - 8 * 3600000), 2026);     /* 00:00 in Beijing */
    assert_int_equal(fz_reward_year(Y2026 - 8 * 3600000 - 1), 2025); /* 23:59:59.999 */
    assert_int_equal(fz_reward_year(0), 1970);
    assert_int_equal(fz_reward_year(-8 * 3600000 - 1), 1969);
    assert_int_equal(fz_reward_year(1709222400000), 2024); /* 2024-02-29 16:00 UTC: 03-01 */
    assert_true(fz_reward_year(INT64_MAX) > 30000);
    assert_true(fz_reward_year(INT64_MIN) < -29000);

    const char *names[] = {"proposed", "approved", "paid", "cancelled"};
    for (int i = 0; i < FZ_REWARD__STATUSES; i++) {
        enum fz_reward_status s;
        assert_string_equal(fz_reward_status_name((enum fz_reward_status)i), names[i]);
        assert_true(fz_reward_status_parse(names[i], strlen(names[i]), &s));
        assert_int_equal(s, i);
    }
    assert_null(fz_reward_status_name(FZ_REWARD__STATUSES));
}

/* ---- the workflow -----------------------------------------------------------------------------
 */

static void test_happy_path(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_reward_budget_set(f->e.st, &f->admin_d, f->district, 2026, 100000, &err), FZ_OK);
    /* 15,000 yuan lost and 2 confirmed indicators: 200 + 300 + 2 × 100 yuan. */
    int64_t rep = report(f, f->district, 1500000, 2, true);
    int64_t id = 0;
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, rep, 0, NULL, &id, &err),
                     FZ_OK);
    assert_true(id > 0);
    struct fz_reward w;
    get(f, &f->analyst_d, id, &w);
    assert_int_equal(w.report_id, rep);
    assert_int_equal(w.org_id, f->district);
    assert_int_equal(w.year, 2026);
    assert_int_equal(w.status, FZ_REWARD_PROPOSED);
    assert_int_equal(w.version, 1);
    assert_int_equal(w.amount_fen, 70000);
    assert_true(w.by_rule);
    assert_null(w.basis);
    char who[32];
    snprintf(who, sizeof who, "user:%lld", (long long)f->analyst_d.user_id);
    assert_string_equal(w.proposed_by, who);
    assert_int_equal(w.proposed_ms, Y2026);
    assert_null(w.approved_by);

    f->e.now_ms += 60000;
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, &v, &err), FZ_OK);
    assert_int_equal(v, 2);
    struct fz_reward_budget b;
    assert_int_equal(
        fz_store_reward_budget_get(f->e.st, &f->auditor_d, f->district, 2026, &b, &err), FZ_OK);
    assert_true(b.is_set);
    assert_int_equal(b.budget_fen, 100000);
    assert_int_equal(b.approved_fen, 70000);
    assert_int_equal(b.paid_fen, 0);
    assert_int_equal(b.left_fen, 30000);

    f->e.now_ms += 60000;
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, "WX-2026/000123", &v, &err),
                     FZ_OK);
    assert_int_equal(v, 3);
    get(f, &f->admin_d, id, &w);
    assert_int_equal(w.status, FZ_REWARD_PAID);
    assert_int_equal(w.version, 3);
    assert_int_equal(w.approved_ms, Y2026 + 60000);
    assert_int_equal(w.paid_ms, Y2026 + 120000);
    assert_string_equal(w.payment_ref, "WX-2026/000123");
    snprintf(who, sizeof who, "user:%lld", (long long)f->admin_d.user_id);
    assert_string_equal(w.paid_by, who);
    assert_int_equal(
        fz_store_reward_budget_get(f->e.st, &f->analyst_d, f->district, 2026, &b, &err), FZ_OK);
    assert_int_equal(b.approved_fen, 0);
    assert_int_equal(b.paid_fen, 70000);
    assert_int_equal(b.left_fen, 30000);
    /* Paid is final. */
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->admin_d, id, 3, "重复", NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "reward 1 is paid, cannot become cancelled");

    /* No personal data of the reporter anywhere in the rewards, their ledger or their audit. */
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM rewards r, report_contacts c"
                                       " WHERE instr(r.proposed_by || coalesce(r.basis, '') ||"
                                       " coalesce(r.payment_ref, ''), c.phone) > 0"
                                       " OR instr(coalesce(r.basis, ''), c.name) > 0"),
                     0);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM reward_events e, report_contacts c"
                                       " WHERE instr(coalesce(e.reference, ''), c.phone) > 0"
                                       " OR instr(coalesce(e.reference, ''), c.name) > 0"),
                     0);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action LIKE 'reward.%'"
                                       " AND (detail LIKE '%13800138000%' OR detail LIKE '%张%')"),
                     0);
}

static void test_roles_and_four_eyes(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    budget(f, f->district, 2026, 1000000);
    int64_t rep = report(f, f->district, 0, 1, true);
    int64_t id = 0;
    /* Officers and admins do not propose. */
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->officer_d, rep, 0, NULL, &id, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->admin_d, rep, 0, NULL, &id, &err),
                     FZ_EFORBIDDEN);
    assert_string_equal(err.msg, "only analysts propose rewards");
    id = propose(f, &f->analyst_d, rep, 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d, id, 1, NULL, &err),
                     FZ_EFORBIDDEN);
    assert_string_equal(err.msg, "the proposer cannot approve their own reward");
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->auditor_d, id, 1, NULL, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->officer_d, id, 1, NULL, &err),
                     FZ_EFORBIDDEN);
    /* Only admins pay; an analyst cannot. */
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->admin_d, id, 1, &v, &err), FZ_OK);
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->analyst_d2, id, v, "REF-1", NULL, &err),
                     FZ_EFORBIDDEN);
    assert_string_equal(err.msg, "this role may not pay a reward");
    /* The centre's admin pays for any organisation. */
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_c, id, v, "REF-1", NULL, &err), FZ_OK);

    /* The command line is one identity: it cannot approve its own proposal either. */
    int64_t rep2 = report(f, f->district, 0, 0, true);
    int64_t id2 = propose(f, &f->e.cli, rep2, 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->e.cli, id2, 1, NULL, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_c, id2, 1, NULL, &err), FZ_OK);
    /* Readers: no officers, no partners, no residents. */
    struct fz_reward w;
    assert_int_equal(fz_store_reward_get(f->e.st, &f->officer_d, id, &f->ar, &w, &err),
                     FZ_EFORBIDDEN);
    struct fz_actor anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    assert_int_equal(fz_store_reward_get(f->e.st, &anon, id, &f->ar, &w, &err), FZ_EFORBIDDEN);
}

static void test_budget_exceeded(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    budget(f, f->district, 2026, 100000); /* 1000 yuan */
    int64_t a = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 80000);
    int64_t b = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 30000);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, a, 1, NULL, &err), FZ_OK);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, b, 1, NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "reward 2 of 300.00 yuan exceeds the 2026 budget of 1000.00 "
                                 "yuan: 800.00 yuan approved or paid, 200.00 yuan left");
    struct fz_reward w;
    get(f, &f->analyst_d, b, &w);
    assert_int_equal(w.status, FZ_REWARD_PROPOSED); /* nothing changed */
    assert_int_equal(w.version, 1);
    /* A budget below what is committed is refused; raising it lets the reward through. */
    assert_int_equal(
        fz_store_reward_budget_set(f->e.st, &f->admin_d, f->district, 2026, 50000, &err),
        FZ_ECONFLICT);
    assert_string_equal(err.msg,
                        "the 2026 budget cannot be 500.00 yuan: 800.00 yuan is already approved "
                        "or paid");
    assert_string_equal(err.field, "amount_fen");
    budget(f, f->district, 2026, 110000);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, b, 1, NULL, &err), FZ_OK);
    struct fz_reward_budget bud;
    assert_int_equal(
        fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 2026, &bud, &err), FZ_OK);
    assert_int_equal(bud.approved_fen, 110000);
    assert_int_equal(bud.left_fen, 0);
    /* Cancelling an approved reward frees its amount. */
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->admin_d, a, 2, "举报人放弃", NULL, &err),
                     FZ_OK);
    assert_int_equal(
        fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 2026, &bud, &err), FZ_OK);
    assert_int_equal(bud.approved_fen, 30000);
    assert_int_equal(bud.left_fen, 80000);
}

static void test_budget_absent(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    int64_t id = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "no reward budget for 2026");
    /* A budget for another year or organisation does not count. */
    budget(f, f->district, 2025, 1000000);
    budget(f, f->centre, 2026, 1000000);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, NULL, &err),
                     FZ_ECONFLICT);
    struct fz_reward_budget b;
    assert_int_equal(fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 2026, &b, &err),
                     FZ_OK);
    assert_false(b.is_set);
    assert_int_equal(b.budget_fen, 0);
    assert_int_equal(b.left_fen, 0);
    /* Years out of range. */
    assert_int_equal(fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 1999, &b, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "year");
}

static void test_stale_version(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    budget(f, f->district, 2026, 1000000);
    int64_t id = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 2, NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "reward 1 was changed (version 1, not 2)");
    assert_string_equal(err.field, "version");
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, &v, &err), FZ_OK);
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->admin_d, id, 1, "x", NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "reward 1 was changed (version 2, not 1)");
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->admin_d, id, v, NULL, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "reward 1 is approved, cannot become approved");
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, 1, "R1", NULL, &err),
                     FZ_ECONFLICT);
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, "R1", NULL, &err), FZ_OK);
}

static void test_cancel_and_one_active(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    int64_t rep = report(f, f->district, 0, 0, true);
    int64_t id = propose(f, &f->analyst_d, rep, 0);
    int64_t id2 = 0;
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d2, rep, 0, NULL, &id2, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "report 1 already has reward 1 (proposed)");
    assert_int_equal(id2, 0); /* untouched */
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->analyst_d, id, 1, NULL, NULL, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "reason");
    int v = 0;
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->analyst_d, id, 1, "金额有误", &v, &err),
                     FZ_OK);
    assert_int_equal(v, 2);
    struct fz_reward w;
    get(f, &f->auditor_d, id, &w);
    assert_int_equal(w.status, FZ_REWARD_CANCELLED);
    assert_string_equal(w.cancel_reason, "金额有误");
    assert_int_equal(w.cancelled_ms, Y2026);
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->analyst_d, id, 2, "again", NULL, &err),
                     FZ_ECONFLICT);
    /* A cancelled reward frees the report for a new proposal. */
    id2 = propose(f, &f->analyst_d2, rep, 25000);
    assert_true(id2 > id);
    get(f, &f->analyst_d, id2, &w);
    assert_false(w.by_rule);
    assert_int_equal(w.amount_fen, 25000);
    assert_string_equal(w.basis, "两次独立举报");

    /* Only a confirmed report earns a reward. */
    int64_t triaged = report(f, f->district, 0, 0, false);
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, triaged, 0, NULL, &id2, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.field, "report_id");
    assert_string_equal(err.msg, "report 2 is triaged: only a confirmed report earns a reward");
}

static void test_amount_checks(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    int64_t rep = report(f, f->district, 0, 0, true);
    int64_t id = 0;
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, rep, -1, "x", &id, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "amount_fen");
    assert_int_equal(
        fz_store_reward_propose(f->e.st, &f->analyst_d, rep, FZ_REWARD_MAX_FEN + 1, "x", &id, &err),
        FZ_EINVAL);
    assert_string_equal(err.field, "amount_fen");
    assert_string_equal(err.msg, "'amount_fen' is more than 100000.00 yuan");
    assert_int_equal(
        fz_store_reward_propose(f->e.st, &f->analyst_d, rep, INT64_MAX, "x", &id, &err), FZ_EINVAL);
    /* By hand needs a basis. */
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, rep, 5000, NULL, &id, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "basis");
    assert_int_equal(id, 0);
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, rep, FZ_REWARD_MAX_FEN,
                                             "重大案件线索", &id, &err),
                     FZ_OK);
    /* Payment references: short tokens, never a phone number. */
    budget(f, f->district, 2026, FZ_REWARD_MAX_FEN);
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->admin_d, id, 1, &v, &err), FZ_OK);
    const char *bad[] = {NULL, "", "13800138000", "has space", "a;b", "银行流水"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, bad[i], NULL, &err),
                         FZ_EINVAL);
        assert_string_equal(err.field, "payment_ref");
    }
    char long_ref[FZ_REWARD_REF_MAX + 2];
    memset(long_ref, 'A', sizeof long_ref - 1);
    long_ref[sizeof long_ref - 1] = '\0';
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, long_ref, NULL, &err),
                     FZ_ETOOBIG);
    long_ref[FZ_REWARD_REF_MAX] = '\0';
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, long_ref, NULL, &err), FZ_OK);
}

static void test_scope(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    budget(f, f->centre, 2026, 1000000);
    int64_t crep = report(f, f->centre, 0, 0, true);
    int64_t drep = report(f, f->district, 0, 0, true);
    int64_t id = 0;
    /* A district analyst cannot see the centre's report: not found, not forbidden. */
    assert_int_equal(fz_store_reward_propose(f->e.st, &f->analyst_d, crep, 0, NULL, &id, &err),
                     FZ_ENOTFOUND);
    assert_string_equal(err.msg, "report 1 not found");
    int64_t cid = propose(f, &f->analyst_c, crep, 0);
    int64_t did = propose(f, &f->analyst_c, drep, 0); /* all-orgs analyst */
    struct fz_reward w;
    assert_int_equal(fz_store_reward_get(f->e.st, &f->analyst_d, cid, &f->ar, &w, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->admin_d, cid, 1, NULL, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->analyst_d, cid, 1, "x", NULL, &err),
                     FZ_ENOTFOUND);
    get(f, &f->analyst_d, did, &w);
    assert_int_equal(w.org_id, f->district);

    struct fz_reward_filter q;
    fz_reward_filter_init(&q);
    struct fz_reward *rows;
    size_t n;
    int64_t next;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->auditor_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, did);
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->auditor_c, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 2);

    struct fz_reward_budget b;
    assert_int_equal(fz_store_reward_budget_get(f->e.st, &f->admin_d, f->centre, 2026, &b, &err),
                     FZ_ENOTFOUND);
    assert_string_equal(err.field, "org_id");
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->admin_d, f->centre, 2026, 5, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->analyst_d, f->district, 2026, 5, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->admin_c, f->district, 2026, 5, &err),
                     FZ_OK);
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->e.cli, 999, 2026, 5, &err),
                     FZ_ENOTFOUND);
}

static void test_list_paging(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    int64_t ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 0);
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->analyst_d, ids[1], 1, "x", NULL, &err),
                     FZ_OK);
    struct fz_reward_filter q;
    fz_reward_filter_init(&q);
    q.limit = 2;
    struct fz_reward *rows;
    size_t n;
    int64_t next = 0;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ids[0]);
    assert_int_equal(next, ids[1]);
    q.after_id = next;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ids[2]);
    q.after_id = next;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(next, 0);
    fz_reward_filter_init(&q);
    q.status = FZ_REWARD_PROPOSED;
    q.year = 2026;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 4);
    q.year = 2027;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 0);
    fz_reward_filter_init(&q);
    q.report_id = 3;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].report_id, 3);
    q.limit = FZ_STORE_LIMIT_MAX + 1;
    assert_int_equal(
        fz_store_reward_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
        FZ_EINVAL);
    assert_string_equal(err.field, "limit");
}

/* ---- the ledger --------------------------------------------------------------------------- */

struct collect {
    size_t n, stop_after;
    int64_t at[16], reward[16], amount[16], org[16];
    char action[16][12], ref[16][40];
    int64_t paid, approved, proposed;
};

static int collect_row(void *ud, const struct fz_reward_ledger_row *r)
{
    struct collect *c = ud;
    if (c->n < 16) {
        c->at[c->n] = r->at_ms;
        c->reward[c->n] = r->reward_id;
        c->amount[c->n] = r->amount_fen;
        c->org[c->n] = r->org_id;
        snprintf(c->action[c->n], sizeof c->action[0], "%s", r->action);
        snprintf(c->ref[c->n], sizeof c->ref[0], "%s", r->reference ? r->reference : "-");
    }
    if (strcmp(r->action, "paid") == 0)
        c->paid += r->amount_fen;
    if (strcmp(r->action, "proposed") == 0)
        c->proposed += r->amount_fen;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void test_ledger(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    budget(f, f->district, 2026, 1000000);                                        /* row 1 */
    int64_t a = propose(f, &f->analyst_d, report(f, f->district, 0, 1, true), 0); /* 2 */
    f->e.now_ms += 1000;
    int64_t b = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 40000); /* 3 */
    f->e.now_ms += 1000;
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, a, 1, &v, &err), FZ_OK);
    f->e.now_ms += 1000;
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, a, v, "TX-1", &v, &err), FZ_OK);
    f->e.now_ms += 1000;
    assert_int_equal(fz_store_reward_cancel(f->e.st, &f->admin_d, b, 1, "重复线索", NULL, &err),
                     FZ_OK);
    /* A centre reward and a reward of 2027: in other ledgers. */
    budget(f, f->centre, 2026, 1000000);
    propose(f, &f->analyst_c, report(f, f->centre, 0, 0, true), 0);
    f->e.now_ms = Y2026 + 366LL * 86400000;
    propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 0);

    struct collect c = {0};
    assert_int_equal(
        fz_store_reward_ledger(f->e.st, &f->auditor_d, f->district, 2026, collect_row, &c, &err),
        FZ_OK);
    assert_int_equal(c.n, 6);
    const char *want[] = {"budget", "proposed", "proposed", "approved", "paid", "cancelled"};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(c.action[i], want[i]);
        if (i)
            assert_true(c.at[i] >= c.at[i - 1]);
        assert_int_equal(c.org[i], f->district);
    }
    assert_int_equal(c.reward[0], 0);
    assert_int_equal(c.amount[0], 1000000);
    assert_int_equal(c.reward[1], a);
    assert_string_equal(c.ref[1], "rule");
    assert_int_equal(c.amount[1], 30000); /* 200 + 1 indicator × 100 yuan */
    assert_string_equal(c.ref[2], "两次独立举报");
    assert_string_equal(c.ref[4], "TX-1");
    assert_string_equal(c.ref[5], "重复线索");
    /* Totals agree with the budget. */
    struct fz_reward_budget bud;
    assert_int_equal(
        fz_store_reward_budget_get(f->e.st, &f->auditor_d, f->district, 2026, &bud, &err), FZ_OK);
    assert_int_equal(c.paid, bud.paid_fen);
    assert_int_equal(c.paid, 30000);
    assert_int_equal(c.proposed, 70000);
    assert_int_equal(bud.left_fen, 1000000 - 30000);

    /* Every organisation: the centre's auditor only. */
    memset(&c, 0, sizeof c);
    assert_int_equal(fz_store_reward_ledger(f->e.st, &f->auditor_c, 0, 2026, collect_row, &c, &err),
                     FZ_OK);
    assert_int_equal(c.n, 8);
    assert_int_equal(fz_store_reward_ledger(f->e.st, &f->auditor_d, 0, 2026, collect_row, &c, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(
        fz_store_reward_ledger(f->e.st, &f->auditor_d, f->centre, 2026, collect_row, &c, &err),
        FZ_ENOTFOUND);
    assert_int_equal(
        fz_store_reward_ledger(f->e.st, &f->analyst_d, f->district, 2026, collect_row, &c, &err),
        FZ_EFORBIDDEN);
    /* The admin of the org may; the walk stops when asked. */
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    assert_int_equal(
        fz_store_reward_ledger(f->e.st, &f->admin_d, f->district, 2026, collect_row, &c, &err),
        FZ_OK);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(
        fz_store_reward_ledger(f->e.st, &f->auditor_d, f->district, 2027, collect_row, &c, &err),
        FZ_OK);
    assert_int_equal(c.n, 1);
    /* Each export is audited, refused ones too. */
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action = 'reward.ledger'"),
                     7);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action = 'reward.ledger'"
                                       " AND outcome = 'forbidden'"),
                     2);
}

/* ---- money at the edges -----------------------------------------------------------------------
 */

static void test_overflow_safe(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_reward_budget_set(f->e.st, &f->e.cli, f->district, 2026, INT64_MAX, &err),
        FZ_EINVAL);
    assert_string_equal(err.field, "amount_fen");
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->e.cli, f->district, 2026, -1, &err),
                     FZ_EINVAL);
    budget(f, f->district, 2026, FZ_REWARD_BUDGET_MAX_FEN);
    int64_t id = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), FZ_REWARD_MAX_FEN);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, NULL, &err), FZ_OK);
    struct fz_reward_budget b;
    assert_int_equal(fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 2026, &b, &err),
                     FZ_OK);
    assert_int_equal(b.left_fen, FZ_REWARD_BUDGET_MAX_FEN - FZ_REWARD_MAX_FEN);

    /* Rows no API call can make (tampered or imported): sums near INT64_MAX must refuse,
     * never wrap around into "budget left". */
    int64_t r1 = report(f, f->district, 0, 0, true), r2 = report(f, f->district, 0, 0, true);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO rewards (report_id, org_id, year, status, amount_fen, proposed_by,"
             " proposed_ms, paid_ms, payment_ref, updated_ms) VALUES (%lld, %lld, 2026, 'paid',"
             " 9223372036854775000, 'cli', 1, 1, 'X', 1)",
             (long long)r1, (long long)f->district);
    st_sql(&f->e, sql);
    int64_t id2 = propose(f, &f->analyst_d, r2, 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id2, 1, NULL, &err),
                     FZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "0.00 yuan left"));
    assert_int_equal(fz_store_reward_budget_get(f->e.st, &f->admin_d, f->district, 2026, &b, &err),
                     FZ_OK);
    assert_true(b.left_fen < 0); /* the truth: more is out than the budget allows */
    assert_int_equal(fz_store_reward_budget_set(f->e.st, &f->e.cli, f->district, 2026,
                                                FZ_REWARD_BUDGET_MAX_FEN, &err),
                     FZ_ECONFLICT);
}

/* ---- audit ------------------------------------------------------------------------------------
 */

static void test_audit(void **state)
{
    struct fixture *f = *state;
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_reward_budget_set(f->e.st, &f->admin_d, f->district, 2026, 100000, &err), FZ_OK);
    int64_t id = propose(f, &f->analyst_d, report(f, f->district, 0, 0, true), 0);
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d, id, 1, NULL, &err),
                     FZ_EFORBIDDEN);
    int v = 0;
    assert_int_equal(fz_store_reward_approve(f->e.st, &f->analyst_d2, id, 1, &v, &err), FZ_OK);
    assert_int_equal(fz_store_reward_pay(f->e.st, &f->admin_d, id, v, "TX-9", &v, &err), FZ_OK);

    struct fz_audit_filter q;
    fz_audit_filter_init(&q);
    q.object_kind = "reward";
    q.object_id = id;
    struct fz_audit *rows;
    size_t n;
    assert_int_equal(fz_store_audit_list(f->e.st, &f->auditor_c, &q, &f->ar, &rows, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 4);
    const char *actions[] = {"reward.propose", "reward.approve", "reward.approve", "reward.pay"};
    const char *outcomes[] = {"ok", "forbidden", "ok", "ok"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(rows[i].action, actions[i]);
        assert_string_equal(rows[i].outcome, outcomes[i]);
    }
    assert_int_equal(rows[0].actor_id, f->analyst_d.user_id);
    assert_string_equal(rows[0].detail,
                        "report=1 year=2026 amount_fen=20000 by_rule=1 loss_fen=0 indicators=0");
    assert_string_equal(rows[3].detail, "approved -> paid report=1 year=2026 amount_fen=20000");
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action = 'reward.budget'"
                                       " AND object_kind = 'org' AND outcome = 'ok'"),
                     1);
    /* The failed approval changed nothing but left its record; the chain holds. */
    assert_int_equal(
        st_sql_int(&f->e, "SELECT count(*) FROM reward_events WHERE action = 'approved'"), 1);
    int64_t checked = 0;
    assert_int_equal(fz_store_audit_verify(f->e.st, &f->auditor_c, &checked, NULL, &err), FZ_OK);
    assert_true(checked > 0);
}

/* ---- schema -----------------------------------------------------------------------------------
 */

static void test_schema_upgrade(void **state)
{
    struct fixture *f = *state;
    struct st_env *e = &f->e;
    assert_true(fz_store_schema_latest() >= 2);
    assert_int_equal(fz_store_schema_version(e->st), fz_store_schema_latest());
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM schema_migrations WHERE version = 2"
                                   " AND name = '0002_rewards'"),
                     1);
    /* Reopening applies nothing. */
    int64_t applied = st_sql_int(e, "SELECT applied_ms FROM schema_migrations WHERE version = 2");
    fz_store_close(e->st);
    st_reopen(e);
    assert_int_equal(st_sql_int(e, "SELECT applied_ms FROM schema_migrations WHERE version = 2"),
                     applied);
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM schema_migrations"),
                     fz_store_schema_latest());

    /* A database as a schema-1 fangzha left it (its data kept) upgrades in place on open. */
    int64_t rep = report(f, f->district, 0, 0, true);
    fz_store_close(e->st);
    e->st = NULL;
    st_downgrade(e, 1);
    assert_int_equal(st_sql_int(e, "SELECT max(version) FROM schema_migrations"), 1);
    st_reopen(e);
    assert_int_equal(fz_store_schema_version(e->st), fz_store_schema_latest());
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                   " name IN ('rewards', 'reward_events', 'reward_budgets')"),
                     3);
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM reports"), 1);
    budget(f, f->district, 2026, 100000);
    int64_t id = propose(f, &f->analyst_d, rep, 0);
    assert_int_equal(id, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test_setup_teardown(test_happy_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_and_four_eyes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget_exceeded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_one_active, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amount_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overflow_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_upgrade, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
