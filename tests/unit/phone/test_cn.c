/* Unit tests for src/phone/cn.c: the mainland numbering plan, checked over whole prefix ranges
 * against the MIIT allocations restated here from the source, not from cn.c's tables. */
#include "support.h"

#include "phone_int.h"

#include <string.h>

static enum fz_phone_class national(const char *d)
{
    struct fz__phone_num r = {0};
    if (!fz__phone_cn_national(d, strlen(d), &r))
        return FZ_PHONE_INVALID;
    assert_int_equal(r.cc, 86);
    assert_non_null(r.nsn);
    return r.cls;
}

static enum fz_phone_class after_cc(const char *d)
{
    struct fz__phone_num r = {0};
    if (!fz__phone_cn_after_cc(d, strlen(d), &r))
        return FZ_PHONE_INVALID;
    return r.cls;
}

/* MIIT allocations of 11-digit numbers by their first three digits. */
static enum fz_phone_class expected11(int p)
{
    static const int mvno[] = {162, 165, 167, 170, 171};
    static const int data[] = {145, 147, 149};
    for (size_t i = 0; i < sizeof mvno / sizeof mvno[0]; i++)
        if (p == mvno[i])
            return FZ_PHONE_MVNO;
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++)
        if (p == data[i])
            return FZ_PHONE_DATA;
    if (p == 106)
        return FZ_PHONE_SMS_PORT;
    if ((p >= 130 && p <= 139) || (p >= 150 && p <= 159 && p != 154) || p == 166 ||
        (p >= 172 && p <= 178) || (p >= 180 && p <= 199))
        return FZ_PHONE_MOBILE;
    return FZ_PHONE_INVALID;
}

static void test_prefixes11(void **state)
{
    (void)state;
    for (int p = 100; p <= 199; p++) {
        char d[32], d0[40];
        snprintf(d, sizeof d, "%d12345678", p);
        snprintf(d0, sizeof d0, "0%s", d);
        enum fz_phone_class want = expected11(p);
        if (national(d) != want)
            fail_msg("%s is %s, want %s", d, fz_phone_class_name(national(d)),
                     fz_phone_class_name(want));
        assert_int_equal(after_cc(d), want);
        /* a landline dials 0 before another city's mobile; never before a short code */
        bool has_e164 = want != FZ_PHONE_INVALID && want != FZ_PHONE_SMS_PORT;
        assert_int_equal(national(d0), has_e164 ? want : FZ_PHONE_INVALID);
    }
}

/* 13-digit IoT ranges: 140x, 1410, 1440, 1441, 146, 148. */
static void test_iot13(void **state)
{
    (void)state;
    for (int p = 1000; p <= 1999; p++) {
        char d[32];
        snprintf(d, sizeof d, "%d123456789", p);
        bool iot = (p >= 1400 && p <= 1410) || p == 1440 || p == 1441 || (p >= 1460 && p <= 1469) ||
                   (p >= 1480 && p <= 1489);
        enum fz_phone_class want = iot             ? FZ_PHONE_IOT
                                   : p / 10 == 106 ? FZ_PHONE_SMS_PORT
                                                   : FZ_PHONE_INVALID;
        if (national(d) != want)
            fail_msg("%s is %s, want %s", d, fz_phone_class_name(national(d)),
                     fz_phone_class_name(want));
        char d0[40];
        snprintf(d0, sizeof d0, "0%s", d);
        assert_int_equal(national(d0), FZ_PHONE_INVALID);
    }
}

/* Every 3-, 5- and 6-digit string: only real short codes are service numbers. */
static bool is_service(const char *d, size_t n)
{
    static const char *const three[] = {"110", "112", "114", "119", "120", "122"};
    if (n == 3) {
        for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
            if (strcmp(d, three[i]) == 0)
                return true;
        return false;
    }
    if (n == 4)
        return false;
    bool is_95_96 = d[0] == '9' && (d[1] == '5' || d[1] == '6');
    if (n == 6)
        return is_95_96;
    return is_95_96 || strncmp(d, "100", 3) == 0 || strncmp(d, "121", 3) == 0 ||
           strncmp(d, "123", 3) == 0 || strncmp(d, "125", 3) == 0 || strncmp(d, "1118", 4) == 0;
}

static void test_short_codes(void **state)
{
    (void)state;
    static const int lengths[] = {3, 4, 5, 6};
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        int n = lengths[k], max = 1;
        for (int i = 0; i < n; i++)
            max *= 10;
        for (int v = 0; v < max; v++) {
            char d[8];
            snprintf(d, sizeof d, "%0*d", n, v);
            enum fz_phone_class want =
                is_service(d, (size_t)n) ? FZ_PHONE_SERVICE : FZ_PHONE_INVALID;
            if (national(d) != want)
                fail_msg("%s is %s, want %s", d, fz_phone_class_name(national(d)),
                         fz_phone_class_name(want));
        }
    }
}

static void test_padded(void **state)
{
    (void)state;
    struct fz__phone_num r;
    assert_true(fz__phone_cn_national("9558800", 7, &r));
    assert_int_equal(r.cls, FZ_PHONE_SERVICE);
    assert_int_equal(r.flags, FZ_PHONE_PADDED_SERVICE);
    assert_int_equal(r.nsn_len, 7);
    assert_true(fz__phone_cn_national("955880123456", 12, &r));
    assert_int_equal(r.flags, FZ_PHONE_PADDED_SERVICE);
    assert_false(fz__phone_cn_national("9558801234567", 13, &r));
    /* 96 numbers are local; only 95 numbers are imitated with padding */
    assert_false(fz__phone_cn_national("9611000", 7, &r));
    assert_true(fz__phone_cn_national("95588", 5, &r));
    assert_int_equal(r.flags, 0);
}

static void test_landline_and_tollfree(void **state)
{
    (void)state;
    assert_int_equal(national("01065123456"), FZ_PHONE_LANDLINE);
    assert_int_equal(national("010651234"), FZ_PHONE_INVALID);     /* 6-digit subscriber */
    assert_int_equal(national("0311765432"), FZ_PHONE_INVALID);    /* 6-digit subscriber */
    assert_int_equal(national("03117654321"), FZ_PHONE_LANDLINE);  /* 7 digits */
    assert_int_equal(national("031187654321"), FZ_PHONE_LANDLINE); /* 8 digits */
    assert_int_equal(national("0311876543210"), FZ_PHONE_INVALID); /* 9 digits */
    assert_int_equal(national("03111765432"), FZ_PHONE_INVALID);   /* starts with 1 */
    assert_int_equal(national("03110765432"), FZ_PHONE_INVALID);   /* starts with 0 */
    assert_int_equal(national("1065123456"), FZ_PHONE_SMS_PORT);   /* no trunk: not a landline */
    assert_int_equal(after_cc("1065123456"), FZ_PHONE_LANDLINE);   /* after 86 it is */
    assert_int_equal(after_cc("01065123456"), FZ_PHONE_LANDLINE);
    assert_int_equal(after_cc("3117654321"), FZ_PHONE_LANDLINE);
    assert_int_equal(national("3117654321"), FZ_PHONE_INVALID);
    assert_int_equal(national("4001234567"), FZ_PHONE_TOLLFREE);
    assert_int_equal(national("8001234567"), FZ_PHONE_TOLLFREE);
    assert_int_equal(national("400123456"), FZ_PHONE_INVALID);
    assert_int_equal(national("40012345678"), FZ_PHONE_INVALID);
    assert_int_equal(national("04001234567"), FZ_PHONE_INVALID);
    assert_int_equal(national("5001234567"), FZ_PHONE_INVALID);
    assert_int_equal(national(""), FZ_PHONE_INVALID);
    assert_int_equal(after_cc(""), FZ_PHONE_INVALID);
    assert_int_equal(national("0"), FZ_PHONE_INVALID);
}

static void test_sms_port(void **state)
{
    (void)state;
    char d[32] = "106";
    for (size_t n = 4; n <= 24; n++) {
        d[n - 1] = '5';
        d[n] = '\0';
        assert_int_equal(national(d), n >= 7 && n <= 20 ? FZ_PHONE_SMS_PORT : FZ_PHONE_INVALID);
    }
}

static void test_ip_prefix(void **state)
{
    (void)state;
    static const char *const prefixes[] = {"17951", "17911", "12593", "17909", "10193",
                                           "17969", "17908", "96688", "11808"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char d[32];
        snprintf(d, sizeof d, "%s13812345678", prefixes[i]);
        assert_int_equal(fz__phone_ip_prefix_len(d, strlen(d)), 5);
        assert_int_equal(fz__phone_ip_prefix_len(prefixes[i], 5), 0); /* nothing after it */
    }
    assert_int_equal(fz__phone_ip_prefix_len("1795013812345678", 16), 0);
    assert_int_equal(fz__phone_ip_prefix_len("13812345678", 11), 0);
    assert_int_equal(fz__phone_ip_prefix_len("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefixes11),
        cmocka_unit_test(test_iot13),
        cmocka_unit_test(test_short_codes),
        cmocka_unit_test(test_padded),
        cmocka_unit_test(test_landline_and_tollfree),
        cmocka_unit_test(test_sms_port),
        cmocka_unit_test(test_ip_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
