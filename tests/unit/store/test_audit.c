/* store audit: every write leaves a record in the same transaction; the chain verifies, and an
 * edited, deleted or inserted row is found; the list filters, pages and is itself audited. */
#include "storetest.h"

static void fill(struct st_env *e)
{
    int64_t centre = st_org(e, "centre", true);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "org%d", i);
        st_org(e, name, false);
    }
    st_user(e, "auditor", FZ_ROLE_AUDITOR, centre, true);
}

static void test_chain_ok(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    fill(&e);
    int64_t checked = 0, bad = 0;
    struct fz_err err = {0};
    assert_int_equal(fz_store_audit_verify(e.st, &e.cli, &checked, &bad, &err), FZ_OK);
    assert_int_equal(checked, 7);
    assert_int_equal(bad, 0);
    /* The chain goes on across a reopen. */
    fz_store_close(e.st);
    st_reopen(&e);
    st_org(&e, "after", false);
    assert_int_equal(fz_store_audit_verify(e.st, &e.cli, &checked, &bad, &err), FZ_OK);
    assert_int_equal(checked, 8);
    /* Only the centre's auditors verify. */
    struct fz_actor local = st_actor(FZ_ACTOR_USER, 1, 2, FZ_ROLE_AUDITOR, false);
    assert_int_equal(fz_store_audit_verify(e.st, &local, &checked, &bad, &err), FZ_EFORBIDDEN);
    st_teardown(&e);
}

static void expect_broken(struct st_env *e, const char *sql, int64_t want_bad)
{
    st_sql(e, sql);
    int64_t bad = 0;
    struct fz_err err = {0};
    assert_int_equal(fz_store_audit_verify(e->st, &e->cli, NULL, &bad, &err), FZ_ECONFLICT);
    assert_int_equal(bad, want_bad);
    assert_non_null(strstr(err.msg, "breaks the chain"));
}

static void test_tampered(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    fill(&e);
    expect_broken(&e, "UPDATE audit SET detail = 'nothing happened' WHERE id = 3", 3);
    st_teardown(&e);

    st_setup(&e);
    fill(&e);
    expect_broken(&e, "DELETE FROM audit WHERE id = 4", 5);
    st_teardown(&e);

    st_setup(&e);
    fill(&e);
    expect_broken(&e, "UPDATE audit SET actor_kind = 'system' WHERE id = 2", 2);
    st_teardown(&e);
}

static void test_list(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    fill(&e);
    struct fz_actor auditor = st_actor(FZ_ACTOR_USER, 1, 1, FZ_ROLE_AUDITOR, true);
    struct fz_arena ar;
    fz_arena_init(&ar, 0);
    struct fz_audit_filter q;
    fz_audit_filter_init(&q);
    q.action = "org.add";
    q.limit = 4;
    struct fz_audit *list;
    size_t n;
    int64_t next;
    struct fz_err err = {0};
    assert_int_equal(fz_store_audit_list(e.st, &auditor, &q, &ar, &list, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 4);
    assert_string_equal(list[0].action, "org.add");
    assert_string_equal(list[0].outcome, "ok");
    assert_int_equal(list[0].actor_kind, FZ_ACTOR_CLI);
    assert_string_equal(list[0].request_id, "test");
    assert_int_equal(list[0].object_id, 1);
    q.after_id = next;
    assert_int_equal(fz_store_audit_list(e.st, &auditor, &q, &ar, &list, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(next, 0);
    /* Reading the log is recorded; others may not read it. */
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM audit WHERE action = 'audit.read'"), 2);
    struct fz_actor analyst = st_actor(FZ_ACTOR_USER, 1, 1, FZ_ROLE_ANALYST, true);
    assert_int_equal(fz_store_audit_list(e.st, &analyst, &q, &ar, &list, &n, &next, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM audit WHERE action = 'audit.read'"
                                    " AND outcome = 'forbidden'"),
                     1);
    assert_int_equal(fz_store_audit_verify(e.st, &e.cli, NULL, NULL, &err), FZ_OK);
    fz_arena_release(&ar);
    st_teardown(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_ok),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
