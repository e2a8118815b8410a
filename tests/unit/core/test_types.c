/* Unit tests for src/core/types.c: the fraud-type ids every layer uses. */
#include "support.h"

#include <string.h>

static void test_names_and_indexes(void **state)
{
    (void)state;
    /* The ids of shared/data/canonical/README.md, in its order: a contract with the data. */
    static const char *const ids[FZ_FRAUD_TYPE_COUNT] = {
        "order_brushing",
        "fake_investment",
        "fake_loan",
        "fake_customer_service",
        "impersonate_authority",
        "fake_credit_repair",
        "game_trading",
        "romance",
        "impersonate_acquaintance",
        "impersonate_military_purchase",
        "phishing",
        "other_fraud",
    };
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++) {
        assert_string_equal(fz_fraud_type_name(t), ids[t]);
        assert_int_equal(fz_fraud_type_index(ids[t], strlen(ids[t])), t);
    }
    assert_null(fz_fraud_type_name(-1));
    assert_null(fz_fraud_type_name(FZ_FRAUD_TYPE_COUNT));
    assert_int_equal(fz_fraud_type_index("spam", 4), -1);
    assert_int_equal(fz_fraud_type_index("romance_x", 9), -1);
    assert_int_equal(fz_fraud_type_index("romance_x", 7), 7); /* length, not NUL, ends a name */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_names_and_indexes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
