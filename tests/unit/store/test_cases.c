/* store cases (典型案例): the anonymisation check from a table, the workflow draft → published ⇄
 * withdrawn with optimistic versions, roles and organisation scope, the staff list and the public
 * list with their paging, the audit records, and text stored byte for byte. */
#include "storetest.h"

#include <stdlib.h>

struct fixture {
    struct st_env e;
    int64_t centre, district;
    struct fz_actor analyst_d, officer_d, admin_d, auditor_d, partner_d, analyst_d2;
    struct fz_actor analyst_c, auditor_c;
    struct fz_arena ar;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    st_setup(&f->e);
    f->centre = st_org(&f->e, "centre", true);
    f->district = st_org(&f->e, "district", false);
    f->analyst_d = st_user(&f->e, "analyst_d", FZ_ROLE_ANALYST, f->district, false);
    f->analyst_d2 = st_user(&f->e, "analyst_d2", FZ_ROLE_ANALYST, f->district, false);
    f->officer_d = st_user(&f->e, "officer_d", FZ_ROLE_OFFICER, f->district, false);
    f->admin_d = st_user(&f->e, "admin_d", FZ_ROLE_ADMIN, f->district, false);
    f->auditor_d = st_user(&f->e, "auditor_d", FZ_ROLE_AUDITOR, f->district, false);
    f->partner_d = st_key(&f->e, FZ_ROLE_PARTNER, f->district);
    f->analyst_c = st_user(&f->e, "analyst_c", FZ_ROLE_ANALYST, f->centre, true);
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

#define TEXT                                                                                       \
    "某市民接到自称“客服”的电话，称其网购商品有质量问题可退款，诱导其下载会议软件共享屏幕。"

static int64_t add(struct fixture *f, const struct fz_actor *a, const char *title)
{
    struct fz_case_new c = {title, fz_fraud_type_index("fake_customer_service", 21), TEXT};
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_case_add(f->e.st, a, &c, &id, &err) != FZ_OK)
        fail_msg("case add: %s", err.msg);
    return id;
}

static void get(struct fixture *f, const struct fz_actor *a, int64_t id, struct fz_case *k)
{
    struct fz_err err = {0};
    if (fz_store_case_get(f->e.st, a, id, &f->ar, k, &err) != FZ_OK)
        fail_msg("case get: %s", err.msg);
}

/* ---- the check ------------------------------------------------------------------------------ */

static void test_check_table(void **state)
{
    (void)state;
    static const struct {
        const char *field, *s;
        fz_rc want;
        size_t line;
    } rows[] = {
        {"text", "受害人王某（手机号已隐去）被骗 5 万元。", FZ_OK, 0},
        {"text", "对方号码 138****5678，自称客服", FZ_OK, 0},
        {"text", "对方号码13800138000，自称客服", FZ_EINVAL, 1},
        {"text", "第一行\n第二行 138 0013 8000", FZ_EINVAL, 2},
        {"text", "号码 138-0013-8000。", FZ_EINVAL, 1},
        {"text", "+86 13800138000", FZ_EINVAL, 1},
        {"text", "+8613800138000", FZ_EINVAL, 1},
        {"text", "00 86 138 0013 8000", FZ_EINVAL, 1},
        {"text", "全角 １３８００１３８０００", FZ_EINVAL, 1},
        {"text", "身份证 11010519491231002X 已核实", FZ_EINVAL, 1},
        {"text", "身份证 110105194912310021", FZ_EINVAL, 1},
        {"text", "身份证 110105********0021", FZ_OK, 0},
        {"text", "固话 010-12345678，金额 12000 元，日期 2024-01-15 10:30", FZ_OK, 0},
        {"text", "订单号 12345678901（不是手机号，首位不是 1）", FZ_OK, 0},
        {"text", "转账 6222021234567890123 到安全账户", FZ_OK, 0},
        {"text", "段落一\n\n段落二\t缩进\r\n", FZ_OK, 0},
        {"text", "bell \a", FZ_EINVAL, 0},
        {"text", "", FZ_EINVAL, 0},
        {"text", "bad \xff utf8", FZ_EUTF8, 0},
        {"title", "冒充客服退款诈骗", FZ_OK, 0},
        {"title", "两行\n标题", FZ_EINVAL, 0},
        {"title", "联系 13912345678", FZ_EINVAL, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct fz_err err = {0};
        fz_rc rc = fz_case_check_text(rows[i].field, rows[i].s, &err);
        if (rc != rows[i].want)
            fail_msg("row %zu '%s': %s, want %s (%s)", i, rows[i].s, fz_rc_name(rc),
                     fz_rc_name(rows[i].want), err.msg);
        if (rc != FZ_OK) {
            assert_string_equal(err.field, rows[i].field);
            assert_null(strstr(err.msg, "13800138000"));
        }
        if (rows[i].line)
            assert_int_equal(err.line, rows[i].line);
    }
    /* The anonymisation message says what to do. */
    struct fz_err err = {0};
    assert_int_equal(fz_case_check_text("text", "电话13800138000", &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "anonymise"));
    assert_non_null(strstr(err.msg, "mobile number"));
    assert_int_equal(fz_case_check_text("text", "身份证11010519491231002X", &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "ID card number"));
}

static void test_limits(void **state)
{
    (void)state;
    /* 100 characters of three bytes each is a title; 101 is not. */
    char title[400];
    for (int i = 0; i < 101; i++)
        memcpy(title + 3 * i, "案", 3);
    title[300] = '\0';
    struct fz_err err = {0};
    assert_int_equal(fz_case_check_text("title", title, &err), FZ_OK);
    title[300] = "案"[0];
    title[303] = '\0';
    assert_int_equal(fz_case_check_text("title", title, &err), FZ_ETOOBIG);
    assert_string_equal(err.field, "title");
    char *text = malloc(FZ_CASE_TEXT_MAX + 2);
    memset(text, 'a', FZ_CASE_TEXT_MAX);
    text[FZ_CASE_TEXT_MAX] = '\0';
    assert_int_equal(fz_case_check_text("text", text, &err), FZ_OK);
    text[FZ_CASE_TEXT_MAX] = 'a';
    text[FZ_CASE_TEXT_MAX + 1] = '\0';
    assert_int_equal(fz_case_check_text("text", text, &err), FZ_ETOOBIG);
    assert_string_equal(err.field, "text");
    free(text);
}

/* ---- the workflow --------------------------------------------------------------------------- */

static void test_flow(void **state)
{
    struct fixture *f = *state;
    f->e.now_ms += 1000;
    int64_t id = add(f, &f->analyst_d, "冒充客服退款");
    struct fz_case k;
    get(f, &f->analyst_d, id, &k);
    assert_int_equal(k.status, FZ_CASE_DRAFT);
    assert_int_equal(k.version, 1);
    assert_int_equal(k.org_id, f->district);
    assert_string_equal(k.text, TEXT);
    assert_string_equal(k.created_by, "user:1");
    assert_int_equal(k.published_ms, 0);

    struct fz_err err = {0};
    int v = 0;
    struct fz_case_new edit = {.title = "冒充电商客服“退款”", .fraud_type = -1};
    assert_int_equal(fz_store_case_update(f->e.st, &f->officer_d, id, 1, &edit, &v, &err), FZ_OK);
    assert_int_equal(v, 2);
    assert_int_equal(fz_store_case_update(f->e.st, &f->officer_d, id, 1, &edit, &v, &err),
                     FZ_ECONFLICT);
    assert_string_equal(err.field, "version");
    f->e.now_ms += 1000;
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d, id, 2, &v, &err), FZ_OK);
    assert_int_equal(v, 3);
    get(f, &f->auditor_d, id, &k);
    assert_int_equal(k.status, FZ_CASE_PUBLISHED);
    assert_string_equal(k.title, "冒充电商客服“退款”");
    assert_string_equal(k.text, TEXT);
    assert_int_equal(k.published_ms, f->e.now_ms);
    /* a published case is not edited in place, nor published twice */
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, id, 3, &edit, &v, &err),
                     FZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "withdraw it"));
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d, id, 3, &v, &err), FZ_ECONFLICT);
    /* withdraw needs a reason */
    assert_int_equal(fz_store_case_withdraw(f->e.st, &f->analyst_d, id, 3, "", &v, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_int_equal(fz_store_case_withdraw(f->e.st, &f->analyst_d, id, 3, "案情有误", &v, &err),
                     FZ_OK);
    get(f, &f->analyst_d, id, &k);
    assert_int_equal(k.status, FZ_CASE_WITHDRAWN);
    assert_string_equal(k.withdraw_reason, "案情有误");
    assert_true(k.published_ms > 0);
    assert_int_equal(fz_store_case_withdraw(f->e.st, &f->analyst_d, id, 4, "again", &v, &err),
                     FZ_ECONFLICT);
    /* edit and publish again */
    struct fz_case_new fix = {.text = "更正后的案情。", .fraud_type = 0};
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, id, 4, &fix, &v, &err), FZ_OK);
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d, id, 5, &v, &err), FZ_OK);
    get(f, &f->analyst_d, id, &k);
    assert_int_equal(k.status, FZ_CASE_PUBLISHED);
    assert_int_equal(k.fraud_type, 0);
    assert_string_equal(k.text, "更正后的案情。");
    assert_int_equal(k.version, 6);
    /* nothing to change; an unknown fraud type; the PII refusal on edits too */
    struct fz_case_new none = {.fraud_type = -1};
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, id, 6, &none, &v, &err),
                     FZ_EINVAL);
    struct fz_case_new bad = {.fraud_type = FZ_FRAUD_TYPE_COUNT};
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, id, 6, &bad, &v, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "fraud_type");
    struct fz_case_new pii = {.text = "电话 13800138000", .fraud_type = -1};
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, id, 6, &pii, &v, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "text");
    assert_false(st_file_has(&f->e, "13800138000"));
    assert_int_equal(fz_store_case_update(f->e.st, &f->analyst_d, 999, 1, &fix, &v, &err),
                     FZ_ENOTFOUND);
}

static void test_verbatim(void **state)
{
    struct fixture *f = *state;
    const char *text = "<script>alert(1)</script>\n<img src=x onerror=alert(2)> & \"quotes\" '";
    struct fz_case_new c = {"<b>标题</b>", 3, text};
    int64_t id = 0;
    struct fz_err err = {0};
    assert_int_equal(fz_store_case_add(f->e.st, &f->analyst_d, &c, &id, &err), FZ_OK);
    struct fz_case k;
    get(f, &f->analyst_d, id, &k);
    assert_string_equal(k.text, text);
    assert_string_equal(k.title, "<b>标题</b>");
}

static void test_roles_and_scope(void **state)
{
    struct fixture *f = *state;
    struct fz_case_new c = {"标题", 1, TEXT};
    struct fz_err err = {0};
    int64_t id = 0;
    assert_int_equal(fz_store_case_add(f->e.st, &f->admin_d, &c, &id, &err), FZ_EFORBIDDEN);
    assert_int_equal(fz_store_case_add(f->e.st, &f->auditor_d, &c, &id, &err), FZ_EFORBIDDEN);
    assert_int_equal(fz_store_case_add(f->e.st, &f->partner_d, &c, &id, &err), FZ_EFORBIDDEN);
    struct fz_actor anon = {.kind = FZ_ACTOR_ANON};
    assert_int_equal(fz_store_case_add(f->e.st, &anon, &c, &id, &err), FZ_EFORBIDDEN);
    id = add(f, &f->officer_d, "派出所的案例");
    int64_t cid = add(f, &f->e.cli, "中心的案例"); /* CLI: the centre owns it */
    struct fz_case k;
    get(f, &f->e.cli, cid, &k);
    assert_int_equal(k.org_id, f->centre);
    int v;
    assert_int_equal(fz_store_case_publish(f->e.st, &f->admin_d, id, 1, &v, &err), FZ_EFORBIDDEN);
    assert_int_equal(fz_store_case_get(f->e.st, &f->partner_d, id, &f->ar, &k, &err),
                     FZ_EFORBIDDEN);
    /* admins and auditors read; the district does not see the centre's case; the centre sees all */
    get(f, &f->admin_d, id, &k);
    assert_int_equal(fz_store_case_get(f->e.st, &f->analyst_d, cid, &f->ar, &k, &err),
                     FZ_ENOTFOUND);
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d, cid, 1, &v, &err), FZ_ENOTFOUND);
    get(f, &f->analyst_c, id, &k);
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_c, id, 1, &v, &err), FZ_OK);
    struct fz_case_filter q;
    fz_case_filter_init(&q);
    struct fz_case *rows;
    size_t n;
    assert_int_equal(fz_store_case_list(f->e.st, &f->auditor_d, &q, &f->ar, &rows, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(fz_store_case_list(f->e.st, &f->auditor_c, &q, &f->ar, &rows, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(fz_store_case_list(f->e.st, &f->partner_d, &q, &f->ar, &rows, &n, NULL, &err),
                     FZ_EFORBIDDEN);
}

static void test_lists(void **state)
{
    struct fixture *f = *state;
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        char t[32];
        snprintf(t, sizeof t, "案例 %d", i);
        f->e.now_ms += 1000;
        ids[i] = add(f, &f->analyst_d, t);
    }
    struct fz_err err = {0};
    int v;
    /* published in the order 1, 5, 3, 0 (then 0 is the newest); 2, 4, 6 stay drafts */
    int order[] = {1, 5, 3, 0};
    for (int i = 0; i < 4; i++) {
        f->e.now_ms += 1000;
        assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d, ids[order[i]], 1, &v, &err),
                         FZ_OK);
    }
    /* staff list: newest first, by status, paged */
    struct fz_case_filter q;
    fz_case_filter_init(&q);
    q.limit = 3;
    struct fz_case *rows;
    size_t n;
    int64_t next;
    assert_int_equal(fz_store_case_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, ids[6]);
    assert_int_equal(next, ids[4]);
    q.after_id = next;
    assert_int_equal(fz_store_case_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, ids[3]);
    q.after_id = next;
    assert_int_equal(fz_store_case_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(next, 0);
    fz_case_filter_init(&q);
    q.status = FZ_CASE_DRAFT;
    assert_int_equal(fz_store_case_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 3);
    q.limit = FZ_STORE_LIMIT_MAX + 1;
    assert_int_equal(fz_store_case_list(f->e.st, &f->analyst_d, &q, &f->ar, &rows, &n, &next, &err),
                     FZ_EINVAL);

    /* public list: published only, newest publication first, paged by the last id */
    assert_int_equal(fz_store_case_list_public(f->e.st, 2, 0, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ids[0]);
    assert_int_equal(rows[1].id, ids[3]);
    assert_null(rows[0].created_by);
    assert_int_equal(rows[0].org_id, 0);
    assert_non_null(rows[0].text);
    assert_true(rows[0].published_ms > rows[1].published_ms);
    assert_int_equal(next, ids[3]);
    assert_int_equal(fz_store_case_list_public(f->e.st, 2, next, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ids[5]);
    assert_int_equal(rows[1].id, ids[1]);
    assert_int_equal(next, 0);
    assert_int_equal(fz_store_case_list_public(f->e.st, 51, 0, &f->ar, &rows, &n, &next, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "limit");
    /* a withdrawn case leaves the public list */
    assert_int_equal(fz_store_case_withdraw(f->e.st, &f->analyst_d, ids[3], 2, "过时", &v, &err),
                     FZ_OK);
    assert_int_equal(fz_store_case_list_public(f->e.st, 0, 0, &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(rows[i].id, ids[3]);
    /* a cursor on a case withdrawn since still pages right */
    assert_int_equal(fz_store_case_list_public(f->e.st, 0, ids[3], &f->ar, &rows, &n, &next, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ids[5]);
}

static void test_audit(void **state)
{
    struct fixture *f = *state;
    int64_t id = add(f, &f->analyst_d, "审计");
    struct fz_err err = {0};
    int v;
    assert_int_equal(fz_store_case_publish(f->e.st, &f->admin_d, id, 1, &v, &err), FZ_EFORBIDDEN);
    assert_int_equal(fz_store_case_publish(f->e.st, &f->analyst_d2, id, 1, &v, &err), FZ_OK);
    assert_int_equal(fz_store_case_withdraw(f->e.st, &f->analyst_d, id, 2, "撤回", &v, &err),
                     FZ_OK);
    struct fz_audit_filter q;
    fz_audit_filter_init(&q);
    q.object_kind = "case";
    q.object_id = id;
    struct fz_audit *rows;
    size_t n;
    assert_int_equal(fz_store_audit_list(f->e.st, &f->auditor_c, &q, &f->ar, &rows, &n, NULL, &err),
                     FZ_OK);
    assert_int_equal(n, 4);
    const char *actions[] = {"case.add", "case.publish", "case.publish", "case.withdraw"};
    const char *outcomes[] = {"ok", "forbidden", "ok", "ok"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(rows[i].action, actions[i]);
        assert_string_equal(rows[i].outcome, outcomes[i]);
    }
    assert_string_equal(rows[2].detail, "draft -> published fraud_type=fake_customer_service");
    assert_null(strstr(rows[0].detail, "客服"));
    int64_t checked = 0;
    assert_int_equal(fz_store_audit_verify(f->e.st, &f->auditor_c, &checked, NULL, &err), FZ_OK);
}

static void test_schema(void **state)
{
    struct fixture *f = *state;
    struct st_env *e = &f->e;
    assert_true(fz_store_schema_latest() >= 3);
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM schema_migrations WHERE version = 3"
                                   " AND name = '0003_cases'"),
                     1);
    /* A schema-2 database upgrades in place on open. */
    add(f, &f->analyst_d, "升级前");
    fz_store_close(e->st);
    e->st = NULL;
    st_downgrade(e, 2);
    st_reopen(e);
    assert_int_equal(fz_store_schema_version(e->st), fz_store_schema_latest());
    assert_int_equal(st_sql_int(e, "SELECT count(*) FROM cases"), 0);
    /* The database refuses what the store would never write. */
    st_sql(e, "INSERT INTO cases (org_id, title, fraud_type, text, created_by, created_ms,"
              " updated_by, updated_ms) VALUES (1, 't', 'romance', 'x', 'cli', 1, 'cli', 1)");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE cases SET status = 'published'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_limits),
        cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verbatim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
