/* server/config: the settings file of fangzha serve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fangzha/server.h"

#include <string.h>

static fz_rc parse(const char *text, struct fz_server_opts *o, struct fz_arena *a,
                   struct fz_err *err)
{
    memset(err, 0, sizeof *err);
    return fz_server_config_parse(text, strlen(text), o, a, err);
}

static void test_settings(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 1024);
    struct fz_server_opts o = {.threads = 9};
    struct fz_err err;
    const char *text = "# fangzha\n\n  listen = 0.0.0.0:8443 \r\ndb = \"/var/lib/fangzha/fz.db\"\n"
                       "sync = normal\nbody_max = 131072\nrate.check = 0\nrate.report = 7\n";
    assert_int_equal(parse(text, &o, &a, &err), FZ_OK);
    assert_string_equal(o.listen, "0.0.0.0:8443");
    assert_string_equal(o.db_path, "/var/lib/fangzha/fz.db");
    assert_true(o.sync_normal);
    assert_int_equal(o.body_max, 131072);
    assert_int_equal(o.check_per_s, -1); /* 0 turns the limit off */
    assert_int_equal(o.report_per_min, 7);
    assert_int_equal(o.threads, 9); /* untouched */
    fz_arena_release(&a);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        fz_rc rc;
        size_t line;
        const char *field, *msg;
    } cases[] = {
        {"threads = 0\n", FZ_EINVAL, 1, "threads", "1..256"},
        {"\nthreads = 4x\n", FZ_EINVAL, 2, "threads", "not '4x'"},
        {"colour = blue\n", FZ_EINVAL, 1, "", "unknown setting 'colour'"},
        {"listen\n", FZ_EPARSE, 1, "", "name = value"},
        {"db = \"a.db\n", FZ_EPARSE, 1, "db", "quotes"},
        {"db =\n", FZ_EINVAL, 1, "db", "no value"},
        {"sync = sometimes\n", FZ_EINVAL, 1, "sync", "full or normal"},
        {"body_max = 99999999999999999999\n", FZ_EINVAL, 1, "body_max", "1024.."},
        {"db = \xff\n", FZ_EUTF8, 0, "", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_arena a;
        fz_arena_init(&a, 1024);
        struct fz_server_opts o = {0};
        struct fz_err err;
        assert_int_equal(parse(cases[i].text, &o, &a, &err), cases[i].rc);
        assert_int_equal(err.line, cases[i].line);
        assert_string_equal(err.field, cases[i].field);
        assert_non_null(strstr(err.msg, cases[i].msg));
        fz_arena_release(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
