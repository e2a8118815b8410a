/*
 * Unit tests for src/intel/kinds.c: every kind, status and TLP level has a name that parses
 * back to it; unknown, out-of-range, prefixed and differently cased names are refused.
 */
#include "support.h"

#include "fangzha/intel.h"

#include <string.h>

static void test_kinds_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < FZ_IND__COUNT; k++) {
        const char *name = fz_ind_kind_name((enum fz_ind_kind)k);
        assert_non_null(name);
        enum fz_ind_kind back = FZ_IND__COUNT;
        assert_true(fz_ind_kind_parse(name, strlen(name), &back));
        assert_int_equal(back, k);
    }
    assert_string_equal(fz_ind_kind_name(FZ_IND_BANK_ACCOUNT), "bank_account");
    assert_string_equal(fz_ind_kind_name(FZ_IND_WIFI_BSSID), "wifi_bssid");
    assert_null(fz_ind_kind_name(FZ_IND__COUNT));
    assert_null(fz_ind_kind_name((enum fz_ind_kind) - 1));
}

static void test_kinds_refused(void **state)
{
    (void)state;
    enum fz_ind_kind k = FZ_IND_QQ;
    static const char *const bad[] = {"", "Phone", "PHONE", "phon", "phones", " phone", "tlp:red"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(fz_ind_kind_parse(bad[i], strlen(bad[i]), &k));
    assert_false(fz_ind_kind_parse(NULL, 0, &k));
    assert_int_equal(k, FZ_IND_QQ); /* untouched */
    /* The length counts, not a terminator. */
    assert_true(fz_ind_kind_parse("phone_x", 5, &k));
    assert_int_equal(k, FZ_IND_PHONE);
}

static void test_statuses(void **state)
{
    (void)state;
    static const char *const names[] = {"suspected", "confirmed", "cleared"};
    for (int s = 0; s < FZ_IND__STATUSES; s++) {
        assert_string_equal(fz_ind_status_name((enum fz_ind_status)s), names[s]);
        enum fz_ind_status back;
        assert_true(fz_ind_status_parse(names[s], strlen(names[s]), &back));
        assert_int_equal(back, s);
    }
    assert_null(fz_ind_status_name(FZ_IND__STATUSES));
    enum fz_ind_status st;
    assert_false(fz_ind_status_parse("Confirmed", 9, &st));
    assert_false(fz_ind_status_parse("new", 3, &st));
}

static void test_tlp(void **state)
{
    (void)state;
    static const char *const names[] = {"clear", "green", "amber", "red"};
    for (int t = 0; t < FZ_TLP__COUNT; t++) {
        assert_string_equal(fz_tlp_name((enum fz_tlp)t), names[t]);
        enum fz_tlp back;
        assert_true(fz_tlp_parse(names[t], strlen(names[t]), &back));
        assert_int_equal(back, t);
        char prefixed[16];
        snprintf(prefixed, sizeof prefixed, "tlp:%s", names[t]);
        assert_true(fz_tlp_parse(prefixed, strlen(prefixed), &back));
        assert_int_equal(back, t);
    }
    assert_null(fz_tlp_name(FZ_TLP__COUNT));
    enum fz_tlp t;
    static const char *const bad[] = {"",      "tlp:",        "TLP:RED",
                                      "white", "tlp:tlp:red", "amber+strict"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(fz_tlp_parse(bad[i], strlen(bad[i]), &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_round_trip),
        cmocka_unit_test(test_kinds_refused),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_tlp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
