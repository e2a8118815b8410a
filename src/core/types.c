/* core/types: the fraud types every layer names (DESIGN.md), one table for all of them. */
#include "compat.h"

#include "fangzha/core.h"

#include <string.h>

static const char *const fraud_types[FZ_FRAUD_TYPE_COUNT] = {
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

const char *fz_fraud_type_name(int t)
{
    return t >= 0 && t < FZ_FRAUD_TYPE_COUNT ? fraud_types[t] : NULL;
}

int fz_fraud_type_index(const char *name, size_t len)
{
    for (int i = 0; i < FZ_FRAUD_TYPE_COUNT; i++)
        if (strlen(fraud_types[i]) == len && memcmp(fraud_types[i], name, len) == 0)
            return i;
    return -1;
}
