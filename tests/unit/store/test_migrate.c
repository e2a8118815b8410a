/* store migrations: a fresh database gets the whole schema; reopening applies nothing; a
 * database from a newer fangzha and an edited migration are refused with a clear message. */
#include "storetest.h"

static void test_fresh(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    assert_true(fz_store_schema_latest() >= 1);
    assert_int_equal(fz_store_schema_version(e.st), fz_store_schema_latest());
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM schema_migrations"),
                     fz_store_schema_latest());
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM sqlite_master WHERE name = 'reports'"),
                     1);
    /* WAL mode is a property of the file. */
    assert_int_equal(st_sql_int(&e, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    st_teardown(&e);
}

static void test_reopen_noop(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    int64_t applied = st_sql_int(&e, "SELECT applied_ms FROM schema_migrations WHERE version = 1");
    st_org(&e, "centre", true);
    fz_store_close(e.st);
    st_reopen(&e);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM schema_migrations"),
                     fz_store_schema_latest());
    assert_int_equal(st_sql_int(&e, "SELECT applied_ms FROM schema_migrations WHERE version = 1"),
                     applied);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM orgs"), 1);
    st_teardown(&e);
}

static void test_newer_refused(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    fz_store_close(e.st);
    e.st = NULL;
    st_sql(&e, "INSERT INTO schema_migrations VALUES (999, '0999_future', x'00', 0)");
    struct fz_store_opts o;
    st_opts(&e, &o);
    struct fz_err err = {0};
    struct fz_store *st = NULL;
    assert_int_equal(fz_store_open(&o, &st, &err), FZ_EINVAL);
    assert_null(st);
    char want[128];
    snprintf(want, sizeof want,
             "database schema 999 is newer than this fangzha (%d): upgrade fangzha",
             fz_store_schema_latest());
    assert_string_equal(err.msg, want);
    st_teardown(&e);
}

static void test_edited_refused(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    fz_store_close(e.st);
    e.st = NULL;
    st_sql(&e, "UPDATE schema_migrations SET checksum = zeroblob(32) WHERE version = 1");
    struct fz_store_opts o;
    st_opts(&e, &o);
    struct fz_err err = {0};
    struct fz_store *st = NULL;
    assert_int_equal(fz_store_open(&o, &st, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "migration 1 (0001_init) was edited"));
    st_teardown(&e);
}

static void test_bad_path(void **state)
{
    (void)state;
    struct fz_store_opts o = {.path = "/nonexistent/dir/x.db"};
    struct fz_err err = {0};
    struct fz_store *st = NULL;
    assert_int_equal(fz_store_open(&o, &st, &err), FZ_EIO);
    assert_null(st);
    o.path = NULL;
    assert_int_equal(fz_store_open(&o, &st, &err), FZ_EINVAL);
    assert_string_equal(err.field, "path");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh),         cmocka_unit_test(test_reopen_noop),
        cmocka_unit_test(test_newer_refused), cmocka_unit_test(test_edited_refused),
        cmocka_unit_test(test_bad_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
