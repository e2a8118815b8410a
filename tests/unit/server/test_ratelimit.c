/* server/ratelimit: token buckets per class and client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server_int.h"

static void test_buckets(void **state)
{
    (void)state;
    struct srv_ratelimit *rl;
    assert_int_equal(srv_ratelimit_new(&rl), FZ_OK);
    const char a[] = "10.0.0.1", b[] = "10.0.0.2";
    int retry = 0;
    /* a burst of 3, then refused with a wait of at least a second */
    for (int i = 0; i < 3; i++)
        assert_true(srv_ratelimit_take(rl, SRV_RATE_REPORT_C, a, sizeof a, 1, 60000, 3, &retry));
    assert_false(srv_ratelimit_take(rl, SRV_RATE_REPORT_C, a, sizeof a, 1, 60000, 3, &retry));
    assert_true(retry >= 1 && retry <= 60);
    /* another client, and another class of the same client, have their own buckets */
    assert_true(srv_ratelimit_take(rl, SRV_RATE_REPORT_C, b, sizeof b, 1, 60000, 3, &retry));
    assert_true(srv_ratelimit_take(rl, SRV_RATE_CHECK_C, a, sizeof a, 1, 60000, 3, &retry));
    srv_ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
