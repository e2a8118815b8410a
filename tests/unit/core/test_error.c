/* Unit tests for src/core/error.c: the error table and struct fz_err. */
#include "support.h"

static void test_rc_table(void **state)
{
    (void)state;
    assert_string_equal(fz_rc_name(FZ_OK), "ok");
    assert_string_equal(fz_rc_name(FZ_ETOOBIG), "too_big");
    assert_string_equal(fz_strerror(FZ_ENOMEM), "out of memory");
    assert_string_equal(fz_rc_name((fz_rc)999), "unknown");
    struct fz_err err = {0};
    assert_int_equal(fz_err_setloc(&err, FZ_EPARSE, 7, "text", "bad '%s'", "x"), FZ_EPARSE);
    assert_int_equal(err.line, 7);
    assert_string_equal(err.field, "text");
    assert_string_equal(err.msg, "bad 'x'");
    assert_int_equal(fz_err_set(NULL, FZ_EINVAL, "ignored"), FZ_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rc_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
