/* Unit tests for src/core/log.c: levels, per-module debug switches, and that arguments are
 * not evaluated when a level is off. */
#include "support.h"

#include <string.h>

FZ_LOG_MODULE(testmod);

struct captured {
    int calls;
    enum fz_log_level level;
    char module[32];
    char msg[256];
};

static void capture(void *ud, enum fz_log_level level, const char *module, const char *msg)
{
    struct captured *c = ud;
    c->calls++;
    c->level = level;
    snprintf(c->module, sizeof c->module, "%s", module);
    snprintf(c->msg, sizeof c->msg, "%s", msg);
}

static int evaluated;
static int side_effect(void) { return ++evaluated; }

static void test_levels(void **state)
{
    (void)state;
    struct captured c = {0};
    fz_log_set(capture, &c, FZ_LOG_WARN);
    fz_log(FZ_LOG_ERROR, "disk %s", "full");
    assert_int_equal(c.calls, 1);
    assert_string_equal(c.module, "testmod");
    assert_string_equal(c.msg, "disk full");
    evaluated = 0;
    fz_log(FZ_LOG_INFO, "n=%d", side_effect()); /* off: not evaluated */
    assert_int_equal(c.calls, 1);
    assert_int_equal(evaluated, 0);
    fz_log_set(NULL, NULL, FZ_LOG_DEBUG); /* no sink: nothing, no crash */
    fz_log(FZ_LOG_ERROR, "dropped");
    assert_int_equal(c.calls, 1);
}

static void test_debug_modules(void **state)
{
    (void)state;
    struct captured c = {0};
    fz_log_set(capture, &c, FZ_LOG_DEBUG);
    assert_int_equal(fz_log_set_debug("url,testmod"), FZ_OK);
    assert_true(fz_log_enabled(FZ_LOG_DEBUG, "testmod"));
    assert_true(fz_log_enabled(FZ_LOG_DEBUG, "url"));
    assert_false(fz_log_enabled(FZ_LOG_DEBUG, "text"));
    assert_false(fz_log_enabled(FZ_LOG_DEBUG, "test")); /* whole names only */
    assert_int_equal(fz_log_set_debug("all,-text"), FZ_OK);
    assert_true(fz_log_enabled(FZ_LOG_DEBUG, "phone"));
    assert_false(fz_log_enabled(FZ_LOG_DEBUG, "text"));
    fz_log(FZ_LOG_DEBUG, "seen");
    assert_int_equal(c.calls, 1);
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(fz_log_set_debug(big), FZ_ETOOBIG);
    fz_log_set(NULL, NULL, FZ_LOG_WARN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_debug_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
