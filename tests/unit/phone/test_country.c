/* Unit tests for src/phone/country.c. The .c is included to reach its tables: sorted, no
 * duplicates, prefix-free (so longest-prefix matching is unambiguous). */
#include "support.h"

#include "country.c"

#include <string.h>

static unsigned match(const char *d)
{
    uint16_t cc = 0;
    size_t k = fz__phone_cc_match(d, strlen(d), &cc);
    if (k == 0)
        return 0;
    char s[8];
    snprintf(s, sizeof s, "%u", (unsigned)cc);
    assert_int_equal(strlen(s), k);
    assert_memory_equal(s, d, k);
    return cc;
}

static void test_table(void **state)
{
    (void)state;
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 1; i < n; i++)
        if (codes[i - 1] >= codes[i])
            fail_msg("codes[%zu] = %u is not above %u", i, codes[i], codes[i - 1]);
    for (size_t i = 0; i < n; i++) {
        /* no code is a prefix of another */
        for (size_t j = 0; j < n; j++) {
            unsigned a = codes[i], b = codes[j];
            while (b > a)
                b /= 10;
            if (i != j && a == b)
                fail_msg("%u is a prefix of %u", codes[i], codes[j]);
        }
        char d[16];
        snprintf(d, sizeof d, "%u12345", codes[i]);
        assert_int_equal(match(d), codes[i]);
    }
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        assert_true(has_code(lengths[i].cc));
}

static void test_match(void **state)
{
    (void)state;
    assert_int_equal(match("12125550123"), 1);
    assert_int_equal(match("74951234567"), 7);
    assert_int_equal(match("442079460958"), 44);
    assert_int_equal(match("85221234567"), 852);
    assert_int_equal(match("85328123456"), 853);
    assert_int_equal(match("886223456789"), 886);
    assert_int_equal(match("8613812345678"), 86);
    assert_int_equal(match("2348031234567"), 234);
    assert_int_equal(match("20123"), 20);
    assert_int_equal(match("88161234"), 881);
    /* spare, reserved and withdrawn codes */
    assert_int_equal(match("210123"), 0);
    assert_int_equal(match("2591234"), 0);
    assert_int_equal(match("3841234"), 0);
    assert_int_equal(match("3881234"), 0);
    assert_int_equal(match("8011234"), 0);
    assert_int_equal(match("8881234"), 0);
    assert_int_equal(match("9691234"), 0);
    assert_int_equal(match("9991234"), 0);
    assert_int_equal(match("0123"), 0);
    assert_int_equal(match(""), 0);
    assert_int_equal(match("8"), 0);
    assert_int_equal(match("1"), 1);
}

static bool ok(unsigned cc, const char *nsn)
{
    return fz__phone_intl_ok((uint16_t)cc, nsn, strlen(nsn));
}

static void test_lengths(void **state)
{
    (void)state;
    /* generic: 8..15 digits with the country code */
    assert_true(ok(49, "301234"));
    assert_false(ok(49, "30123"));
    assert_true(ok(49, "3012345678901"));
    assert_false(ok(49, "30123456789012"));
    assert_true(ok(234, "12345"));
    assert_false(ok(234, "1234"));
    assert_false(ok(234, ""));
    /* NANP: 10 digits, area code and exchange start with 2-9 */
    assert_true(ok(1, "2125550123"));
    assert_false(ok(1, "212555012"));
    assert_false(ok(1, "21255501234"));
    assert_false(ok(1, "1125550123"));
    assert_false(ok(1, "2121550123"));
    assert_false(ok(1, "2120550123"));
    /* fixed-length plans */
    assert_true(ok(852, "21234567"));
    assert_false(ok(852, "212345678"));
    assert_true(ok(886, "912345678"));
    assert_true(ok(886, "22345678"));
    assert_false(ok(886, "2234567"));
    assert_true(ok(7, "4951234567"));
    assert_false(ok(7, "495123456"));
    assert_true(ok(44, "2079460958"));
    assert_false(ok(44, "02079460958"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
