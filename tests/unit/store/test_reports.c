/* store reports: intake with dedupe, tracking, masking and audited reveal, the workflow with
 * optimistic versions, organisation scope and keyset paging. */
#include "storetest.h"

struct fixture {
    struct st_env e;
    int64_t centre, district;
    struct fz_actor anon, analyst, officer_d, officer_c, partner_d, auditor;
    struct fz_arena ar;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    st_setup(&f->e);
    f->centre = st_org(&f->e, "centre", true);
    f->district = st_org(&f->e, "district", false);
    f->anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    snprintf(f->anon.client_tag, sizeof f->anon.client_tag, "tagA");
    f->analyst = st_user(&f->e, "analyst", FZ_ROLE_ANALYST, f->centre, true);
    f->officer_d = st_user(&f->e, "officer_d", FZ_ROLE_OFFICER, f->district, false);
    f->officer_c = st_user(&f->e, "officer_c", FZ_ROLE_OFFICER, f->centre, false);
    f->partner_d = st_key(&f->e, FZ_ROLE_PARTNER, f->district);
    f->auditor = st_user(&f->e, "auditor", FZ_ROLE_AUDITOR, f->centre, true);
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

static struct fz_report_ref add(struct fixture *f, const struct fz_actor *a, const char *text,
                                int64_t org)
{
    static const struct fz_report_value vals[] = {{FZ_IND_PHONE, "+8617012345678"},
                                                  {FZ_IND_URL, "http://evil.example/pay"}};
    struct fz_report_new r = {
        .channel = FZ_CHANNEL_SMS,
        .text = text,
        .text_len = strlen(text),
        .loss_fen = 150000,
        .fraud_type = 2,
        .contact_name = "张三",
        .contact_phone = "13800138000",
        .values = vals,
        .nvalues = 2,
        .verdict_label = "fraud",
        .verdict_score = 91,
        .dedupe_key = text,
        .dedupe_len = strlen(text) < 16 ? strlen(text) : 16,
        .org_id = org,
    };
    struct fz_report_ref ref;
    struct fz_err err = {0};
    if (fz_store_report_add(f->e.st, a, &r, &ref, &err) != FZ_OK)
        fail_msg("report add: %s", err.msg);
    return ref;
}

static void test_add_track_dedupe(void **state)
{
    struct fixture *f = *state;
    struct fz_report_ref a = add(f, &f->anon, "您的快递丢失，请加微信理赔", 0);
    assert_true(a.id > 0);
    assert_int_equal(strlen(a.tracking_code), 12);
    assert_int_equal(a.duplicate_of, 0);
    struct fz_report_ref b = add(f, &f->anon, "您的快递丢失，请加微信理赔", 0);
    assert_int_equal(b.duplicate_of, a.id);
    assert_string_not_equal(a.tracking_code, b.tracking_code);

    struct fz_report_track t;
    struct fz_err err = {0};
    assert_int_equal(fz_store_report_track(f->e.st, a.tracking_code, &t, &err), FZ_OK);
    assert_int_equal(t.status, FZ_REPORT_NEW);
    assert_int_equal(t.created_ms, f->e.now_ms);
    assert_int_equal(fz_store_report_track(f->e.st, "ZZZZZZZZZZZZ", &t, &err), FZ_ENOTFOUND);
    assert_int_equal(fz_store_report_track(f->e.st, "short", &t, &err), FZ_ENOTFOUND);

    /* Validation names the field. */
    struct fz_report_new bad = {.channel = FZ_CHANNEL_SMS,
                                .text = "x",
                                .text_len = 1,
                                .loss_fen = -1,
                                .fraud_type = -1,
                                .dedupe_key = "k",
                                .dedupe_len = 1};
    assert_int_equal(fz_store_report_add(f->e.st, &f->anon, &bad, &b, &err), FZ_EINVAL);
    assert_string_equal(err.field, "loss_fen");
    bad.loss_fen = 0;
    bad.text_len = FZ_CAP_REPORT_TEXT + 1;
    assert_int_equal(fz_store_report_add(f->e.st, &f->anon, &bad, &b, &err), FZ_ETOOBIG);
    assert_string_equal(err.field, "text");
    /* Auditors do not file reports. */
    bad.text_len = 1;
    assert_int_equal(fz_store_report_add(f->e.st, &f->auditor, &bad, &b, &err), FZ_EFORBIDDEN);
}

static void test_mask_and_reveal(void **state)
{
    struct fixture *f = *state;
    struct fz_report_ref a = add(f, &f->anon, "冒充公检法，说我涉嫌洗钱", 0);
    struct fz_report r;
    struct fz_err err = {0};
    assert_int_equal(fz_store_report_get(f->e.st, &f->analyst, a.id, false, &f->ar, &r, &err),
                     FZ_OK);
    assert_string_equal(r.contact_name, "张*");
    assert_string_equal(r.contact_phone, "138****8000");
    assert_false(r.contact_revealed);
    assert_int_equal(r.nvalues, 2);
    assert_int_equal(r.loss_fen, 150000);
    assert_int_equal(r.org_id, f->centre);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action='report.reveal'"),
                     0);

    assert_int_equal(fz_store_report_get(f->e.st, &f->analyst, a.id, true, &f->ar, &r, &err),
                     FZ_OK);
    assert_string_equal(r.contact_name, "张三");
    assert_string_equal(r.contact_phone, "13800138000");
    assert_true(r.contact_revealed);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'report.reveal' AND object_id = %lld"
             " AND actor_id = 1 AND outcome = 'ok'",
             (long long)a.id);
    assert_int_equal(st_sql_int(&f->e, sql), 1);

    /* An auditor reads but may not reveal. */
    assert_int_equal(fz_store_report_get(f->e.st, &f->auditor, a.id, true, &f->ar, &r, &err),
                     FZ_EFORBIDDEN);
    assert_string_equal(r.contact_phone, "138****8000");
    /* Nothing personal in the audit log. */
    assert_int_equal(
        st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE detail LIKE '%13800138000%'"), 0);
}

static void test_workflow(void **state)
{
    struct fixture *f = *state;
    struct fz_report_ref a = add(f, &f->anon, "刷单返利，先垫付后返还", 0);
    struct fz_err err = {0};
    int v = 0;
    assert_int_equal(fz_store_report_triage(f->e.st, &f->officer_c, a.id, 1, &v, &err), FZ_OK);
    assert_int_equal(v, 2);
    /* Stale version: 409 naming both versions. */
    assert_int_equal(fz_store_report_triage(f->e.st, &f->officer_c, a.id, 1, &v, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.msg, "report 1 was changed (version 2, not 1)");
    /* Officers do not confirm; a reason is needed to reject. */
    struct fz_ind_change *ch;
    size_t n;
    assert_int_equal(
        fz_store_report_confirm(f->e.st, &f->officer_c, a.id, 2, NULL, &f->ar, &ch, &n, &err),
        FZ_EFORBIDDEN);
    assert_int_equal(fz_store_report_reject(f->e.st, &f->analyst, a.id, 2, "", &v, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_int_equal(fz_store_report_reject(f->e.st, &f->analyst, a.id, 2, "不是诈骗", &v, &err),
                     FZ_OK);
    /* rejected → confirmed is not a transition. */
    assert_int_equal(
        fz_store_report_confirm(f->e.st, &f->analyst, a.id, v, NULL, &f->ar, &ch, &n, &err),
        FZ_ECONFLICT);
    assert_string_equal(err.msg, "report 1 is rejected, cannot become confirmed");
    /* Reopen, then confirm. */
    assert_int_equal(fz_store_report_triage(f->e.st, &f->analyst, a.id, v, &v, &err), FZ_OK);
    assert_int_equal(
        fz_store_report_confirm(f->e.st, &f->analyst, a.id, v, NULL, &f->ar, &ch, &n, &err), FZ_OK);
    assert_int_equal(n, 2);
    struct fz_report_track t;
    assert_int_equal(fz_store_report_track(f->e.st, a.tracking_code, &t, &err), FZ_OK);
    assert_int_equal(t.status, FZ_REPORT_CONFIRMED);

    /* Merge: b becomes a duplicate of c, and c gains b's values. */
    struct fz_report_ref b = add(f, &f->anon, "投资理财平台高回报", 0);
    struct fz_report_ref c = add(f, &f->anon, "另一条举报", 0);
    assert_int_equal(fz_store_report_merge(f->e.st, &f->analyst, b.id, 1, b.id, &v, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_report_merge(f->e.st, &f->analyst, b.id, 1, c.id, &v, &err), FZ_OK);
    struct fz_report r;
    assert_int_equal(fz_store_report_get(f->e.st, &f->analyst, b.id, false, &f->ar, &r, &err),
                     FZ_OK);
    assert_int_equal(r.status, FZ_REPORT_DUPLICATE);
    assert_int_equal(r.duplicate_of, c.id);
    assert_int_equal(fz_store_report_merge(f->e.st, &f->analyst, c.id, 1, b.id, &v, &err),
                     FZ_ECONFLICT);
    /* Every transition attempt is audited, failures included. */
    assert_true(st_sql_int(&f->e, "SELECT count(*) FROM audit WHERE action LIKE 'report.%'"
                                  " AND outcome = 'conflict'") >= 3);
}

static void test_scope_and_paging(void **state)
{
    struct fixture *f = *state;
    struct fz_report_ref c = add(f, &f->anon, "centre report", 0);
    struct fz_report_ref d = add(f, &f->officer_d, "district report", 0);
    struct fz_err err = {0};
    struct fz_report r;
    /* The district officer sees its own, not the centre's: 404, not 403. */
    assert_int_equal(fz_store_report_get(f->e.st, &f->officer_d, d.id, false, &f->ar, &r, &err),
                     FZ_OK);
    assert_int_equal(r.org_id, f->district);
    assert_int_equal(fz_store_report_get(f->e.st, &f->officer_d, c.id, false, &f->ar, &r, &err),
                     FZ_ENOTFOUND);
    int v;
    assert_int_equal(fz_store_report_triage(f->e.st, &f->officer_d, c.id, 1, &v, &err),
                     FZ_ENOTFOUND);
    /* The centre's officer has no all-orgs scope either; its analyst has. */
    assert_int_equal(fz_store_report_get(f->e.st, &f->officer_c, d.id, false, &f->ar, &r, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_report_get(f->e.st, &f->analyst, d.id, false, &f->ar, &r, &err),
                     FZ_OK);
    /* Residents only track. */
    assert_int_equal(fz_store_report_get(f->e.st, &f->anon, c.id, false, &f->ar, &r, &err),
                     FZ_EFORBIDDEN);

    for (int i = 0; i < 9; i++) {
        char text[32];
        snprintf(text, sizeof text, "report number %d", i);
        add(f, &f->anon, text, 0);
    }
    /* 10 centre reports, 1 district: pages of 4 for the analyst see all 11. */
    struct fz_report_filter q;
    fz_report_filter_init(&q);
    q.limit = 4;
    int64_t seen = 0, last = 0;
    int pages = 0;
    for (;;) {
        struct fz_report *list;
        size_t n;
        int64_t next;
        assert_int_equal(
            fz_store_report_list(f->e.st, &f->analyst, &q, &f->ar, &list, &n, &next, &err), FZ_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(list[i].id > last);
            last = list[i].id;
            assert_string_equal(list[i].contact_phone, "138****8000");
        }
        seen += (int64_t)n;
        pages++;
        if (!next)
            break;
        q.after_id = next;
    }
    assert_int_equal(seen, 11);
    assert_int_equal(pages, 3);
    /* Filters: the district officer's list, by status, by value, newest first. */
    fz_report_filter_init(&q);
    struct fz_report *list;
    size_t n;
    assert_int_equal(
        fz_store_report_list(f->e.st, &f->officer_d, &q, &f->ar, &list, &n, NULL, &err), FZ_OK);
    assert_int_equal(n, 1);
    q.value = "+8617012345678";
    q.value_kind = FZ_IND_PHONE;
    q.newest_first = true;
    assert_int_equal(fz_store_report_list(f->e.st, &f->analyst, &q, &f->ar, &list, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 11);
    assert_true(list[0].id > list[1].id);
    q.value = "+860000";
    assert_int_equal(fz_store_report_list(f->e.st, &f->analyst, &q, &f->ar, &list, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 0);
    fz_report_filter_init(&q);
    q.limit = 201;
    assert_int_equal(fz_store_report_list(f->e.st, &f->analyst, &q, &f->ar, &list, &n, NULL, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "limit");
}

/* The history: each successful step, who (a user's name) and when; staff only, in scope. */
static void test_history(void **state)
{
    struct fixture *f = *state;
    int64_t t0 = f->e.now_ms;
    struct fz_report_ref a = add(f, &f->anon, "冒充客服退款，请加微信", 0);
    struct fz_report_ref b = add(f, &f->anon, "冒充客服退款，请加QQ", 0);
    struct fz_err err = {0};
    int v = 0;
    f->e.now_ms = t0 + 60000;
    assert_int_equal(fz_store_report_triage(f->e.st, &f->analyst, a.id, 1, &v, &err), FZ_OK);
    /* a refused step (stale version) is not history */
    assert_int_equal(fz_store_report_triage(f->e.st, &f->analyst, a.id, 1, NULL, &err),
                     FZ_ECONFLICT);
    f->e.now_ms = t0 + 120000;
    assert_int_equal(
        fz_store_report_reject(f->e.st, &f->officer_c, a.id, v, "不足以核实", &v, &err), FZ_OK);
    assert_int_equal(fz_store_report_merge(f->e.st, &f->analyst, b.id, 1, a.id, NULL, &err), FZ_OK);
    struct fz_report rep;
    assert_int_equal(fz_store_report_get(f->e.st, &f->analyst, a.id, true, &f->ar, &rep, &err),
                     FZ_OK);

    struct fz_report_event *ev;
    size_t n;
    assert_int_equal(fz_store_report_history(f->e.st, &f->auditor, a.id, &f->ar, &ev, &n, &err),
                     FZ_OK);
    assert_int_equal(n, 4);
    assert_string_equal(ev[0].action, "add");
    assert_int_equal(ev[0].actor_kind, FZ_ACTOR_ANON);
    assert_null(ev[0].actor_name);
    assert_int_equal(ev[0].from, -1);
    assert_int_equal(ev[0].to, FZ_REPORT_NEW);
    assert_int_equal(ev[0].at_ms, t0);
    assert_string_equal(ev[1].action, "triage");
    assert_string_equal(ev[1].actor_name, "analyst");
    assert_int_equal(ev[1].from, FZ_REPORT_NEW);
    assert_int_equal(ev[1].to, FZ_REPORT_TRIAGED);
    assert_int_equal(ev[1].at_ms, t0 + 60000);
    assert_string_equal(ev[2].action, "reject");
    assert_string_equal(ev[2].actor_name, "officer_c");
    assert_int_equal(ev[2].to, FZ_REPORT_REJECTED);
    assert_string_equal(ev[3].action, "reveal");
    assert_int_equal(ev[3].from, -1);
    assert_int_equal(ev[3].to, -1);
    for (size_t i = 0; i < n; i++) /* nothing personal */
        assert_true(!ev[i].actor_name || !strstr(ev[i].actor_name, "13800138000"));

    assert_int_equal(fz_store_report_history(f->e.st, &f->officer_c, b.id, &f->ar, &ev, &n, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].action, "merge");
    assert_int_equal(ev[1].from, FZ_REPORT_NEW);
    assert_int_equal(ev[1].to, FZ_REPORT_DUPLICATE);
    assert_int_equal(ev[1].into_id, a.id);

    /* roles and scope: partners and residents may not; another organisation's officer finds
     * nothing; an unknown report is not found */
    assert_int_equal(fz_store_report_history(f->e.st, &f->partner_d, a.id, &f->ar, &ev, &n, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_report_history(f->e.st, &f->anon, a.id, &f->ar, &ev, &n, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_report_history(f->e.st, &f->officer_d, a.id, &f->ar, &ev, &n, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_report_history(f->e.st, &f->analyst, 999, &f->ar, &ev, &n, &err),
                     FZ_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_track_dedupe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_and_reveal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
