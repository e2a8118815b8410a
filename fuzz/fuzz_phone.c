/*
 * libFuzzer driver for fz_phone_normalize(): untrusted bytes as they arrive in caller IDs,
 * SMS senders and message text. Asserts properties, not just "no crash": the result's
 * invariants, the shape of e164, and idempotence (normalizing the produced e164, or a short
 * code's digits, gives the same number and class again).
 */
#include "fangzha/phone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* ^\+[1-9][0-9]{6,14}$ */
static bool e164_shaped(const char *s)
{
    size_t n = strlen(s);
    if (n < 8 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return false;
    for (size_t i = 2; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void check_invariants(const struct fz_phone *p)
{
    CHECK(p->valid == (p->cls != FZ_PHONE_INVALID));
    CHECK(p->risk >= 0 && p->risk <= 100);
    CHECK(p->nreasons >= 0 && p->nreasons <= FZ_PHONE_MAX_REASONS);
    int sum = 0;
    for (int i = 0; i < p->nreasons; i++)
        sum += p->reasons[i]->weight;
    CHECK(p->risk == (sum > 100 ? 100 : sum));
    CHECK(memchr(p->e164, '\0', sizeof p->e164) && memchr(p->digits, '\0', sizeof p->digits));
    if (!p->valid) {
        CHECK(!p->e164[0] && !p->digits[0] && p->country_code == 0 && p->flags == 0);
        return;
    }
    CHECK(p->digits[0]);
    CHECK((p->flags >> FZ_PHONE_FLAG_COUNT) == 0);
    if (p->cls == FZ_PHONE_SERVICE || p->cls == FZ_PHONE_SMS_PORT) {
        CHECK(!p->e164[0] && p->country_code == 86);
        return;
    }
    CHECK(e164_shaped(p->e164));
    char want[64];
    snprintf(want, sizeof want, "+%u%s", (unsigned)p->country_code, p->digits);
    CHECK(strcmp(p->e164, want) == 0);
    CHECK((p->country_code == 86) == (p->cls != FZ_PHONE_INTERNATIONAL));
}

static void check_again(const char *s, const struct fz_phone *p)
{
    struct fz_phone q;
    CHECK(fz_phone_normalize(s, strlen(s), &q) == FZ_OK);
    check_invariants(&q);
    CHECK(q.cls == p->cls);
    CHECK(strcmp(q.e164, p->e164) == 0);
    CHECK(strcmp(q.digits, p->digits) == 0);
    CHECK((q.flags & FZ_PHONE_PADDED_SERVICE) == (p->flags & FZ_PHONE_PADDED_SERVICE));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct fz_phone p;
    fz_rc rc = fz_phone_normalize((const char *)data, size, &p);
    CHECK(rc == (size > 256 ? FZ_ETOOBIG : FZ_OK));
    check_invariants(&p);
    if (p.e164[0])
        check_again(p.e164, &p);
    else if (p.valid)
        check_again(p.digits, &p);
    return 0;
}
