/* Unit tests for src/phone/scan.c: the first pass from bytes to digits and form flags. */
#include "support.h"

#include "phone_int.h"

#include <string.h>

/* Scans s; on success checks the digits against want (NULL: expect failure). */
static struct fz__phone_scan scan_ok(const char *s, const char *want)
{
    struct fz__phone_scan sc;
    bool ok = fz__phone_scan(s, strlen(s), &sc);
    if (!want) {
        if (ok)
            fail_msg("'%s' scanned, want failure", s);
        return sc;
    }
    if (!ok)
        fail_msg("'%s' did not scan, want '%s'", s, want);
    assert_in_range(sc.n, 1, FZ__PHONE_MAX_DIGITS);
    if (sc.n != strlen(want) || memcmp(sc.d, want, sc.n) != 0)
        fail_msg("'%s' scanned to '%.*s', want '%s'", s, (int)sc.n, sc.d, want);
    assert_true(sc.trunk0 == FZ__PHONE_NO_TRUNK || sc.trunk0 < sc.n);
    return sc;
}

static void test_cn_numerals(void **state)
{
    (void)state;
    /* each reading of each digit */
    static const char *const readings[10] = {
        "零〇洞", "一壹幺", "二贰貳两兩", "三叁參叄", "四肆",
        "五伍",   "六陆陸", "七柒拐",     "八捌",     "九玖勾",
    };
    for (int d = 0; d < 10; d++) {
        const char *p = readings[d], *end = p + strlen(p);
        while (p < end) {
            const char *start = p;
            uint32_t cp;
            assert_true(fz_utf8_decode(&p, end, &cp));
            char one[8] = {0}, want[2] = {(char)('0' + d), 0};
            memcpy(one, start, (size_t)(p - start));
            struct fz__phone_scan sc = scan_ok(one, want);
            assert_int_equal(sc.flags, FZ_PHONE_HAD_CN_NUMERALS);
        }
    }
    scan_ok("十", NULL);
    scan_ok("百", NULL);
    scan_ok("么", NULL);
}

static void test_fullwidth(void **state)
{
    (void)state;
    struct fz__phone_scan sc = scan_ok("０１２３４５６７８９", "0123456789");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_FULLWIDTH);
    sc = scan_ok("＋86", "86");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_FULLWIDTH);
    /* full-width punctuation separates but is not an obfuscated digit */
    sc = scan_ok("（010）6512－3456", "01065123456");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_SEPARATORS);
}

static void test_separators(void **state)
{
    (void)state;
    static const char *const seps[] = {
        " ",      "\t",     "-",      "(",      ")",      "\u00a0", "\u3000",
        "\u2002", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2010",
        "\u2013", "\u2014", "\u2212", "\uff0d", "\ufe63",
    };
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "1%s2", seps[i]);
        if (strcmp(seps[i], "(") == 0)
            snprintf(buf, sizeof buf, "1(2)");
        if (strcmp(seps[i], ")") == 0)
            snprintf(buf, sizeof buf, "(1)2");
        struct fz__phone_scan sc = scan_ok(buf, "12");
        assert_int_equal(sc.flags, FZ_PHONE_HAD_SEPARATORS);
        assert_false(sc.has_dot);
    }
    static const char *const dots[] = {".", "/", "\u00b7", "\u30fb", "\u3002", "\uff0e", "\uff0f"};
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "1%s2", dots[i]);
        struct fz__phone_scan sc = scan_ok(buf, "12");
        assert_int_equal(sc.flags, FZ_PHONE_HAD_SEPARATORS);
        assert_true(sc.has_dot);
    }
}

/* Separators count only between significant characters. */
static void test_edges(void **state)
{
    (void)state;
    struct fz__phone_scan sc = scan_ok(" \u3000(95588). \r\n", "95588");
    assert_int_equal(sc.flags, 0);
    assert_false(sc.has_dot);
    sc = scan_ok("\r\n95588\n", "95588");
    assert_int_equal(sc.flags, 0);
    scan_ok("955\n88", NULL);
    scan_ok("955\r88", NULL);
    sc = scan_ok("+ 86", "86");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_SEPARATORS);
    /* at most four separators in a row inside the number; any number around it */
    scan_ok("1 - -2", "12");
    scan_ok("1 -  -2", NULL);
    scan_ok("1\u3000\u3000\u3000\u30002", "12");
    scan_ok("1\u3000\u3000\u3000\u3000\u30002", NULL);
    scan_ok("          95588          ", "95588");
}

static void test_plus(void **state)
{
    (void)state;
    scan_ok("+", NULL);
    scan_ok("++86", NULL);
    scan_ok("86+1", NULL);
    scan_ok("+86+1", NULL);
    struct fz__phone_scan sc = scan_ok("(+86)1", "861");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_SEPARATORS);
}

static void test_parentheses(void **state)
{
    (void)state;
    scan_ok("(1)(2)", "12");
    scan_ok("(+86) (0)10", "86010");
    scan_ok("(1)(2)(3)", NULL); /* at most two groups */
    scan_ok("((1))", NULL);     /* no nesting */
    scan_ok("()1", NULL);       /* no empty group */
    scan_ok("1()2", NULL);
    scan_ok("(+)86", "86");
    scan_ok("(1", NULL);
    scan_ok("1)", NULL);
    scan_ok(")1(", NULL);
    struct fz__phone_scan sc = scan_ok("+44 (0)20", "44020");
    assert_int_equal(sc.trunk0, 2);
    sc = scan_ok("+44 ( 0 ) 20", "44020");
    assert_int_equal(sc.trunk0, 2);
    sc = scan_ok("(0)10", "010");
    assert_int_equal(sc.trunk0, 0);
    sc = scan_ok("(01)0", "010");
    assert_int_equal(sc.trunk0, FZ__PHONE_NO_TRUNK);
    sc = scan_ok("(1)0", "10");
    assert_int_equal(sc.trunk0, FZ__PHONE_NO_TRUNK);
}

static void test_tel_uri(void **state)
{
    (void)state;
    struct fz__phone_scan sc = scan_ok("tel:+86-10-1;ext=2;isub=3", "86101");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_TEL_URI | FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_SEPARATORS);
    sc = scan_ok("  TeL://95588", "95588");
    assert_int_equal(sc.flags, FZ_PHONE_HAD_TEL_URI);
    scan_ok("tel:", NULL);
    scan_ok("tel:;x=1", NULL);
    scan_ok("95588;ext=1", NULL);
    scan_ok("tel95588", NULL);
    scan_ok("te:95588", NULL);
    scan_ok("x tel:95588", NULL);
}

static void test_limits(void **state)
{
    (void)state;
    char buf[64];
    memset(buf, '7', FZ__PHONE_MAX_DIGITS);
    buf[FZ__PHONE_MAX_DIGITS] = '\0';
    scan_ok(buf, buf);
    buf[FZ__PHONE_MAX_DIGITS] = '7';
    buf[FZ__PHONE_MAX_DIGITS + 1] = '\0';
    scan_ok(buf, NULL);
    scan_ok("", NULL);
    scan_ok("  ", NULL);
    scan_ok("-()-", NULL);
    /* bytes that are not UTF-8, and characters that are not part of a number */
    scan_ok("1\xff", NULL);
    scan_ok("1\xe4\xb8", NULL);
    scan_ok("1a", NULL);
    scan_ok("1,2", NULL);
    scan_ok("1:2", NULL);
    scan_ok("1_2", NULL);
    scan_ok("\xef\xbc\xa1", NULL); /* Ａ */
    struct fz__phone_scan sc;
    assert_false(fz__phone_scan("1\0"
                                "2",
                                3, &sc));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cn_numerals), cmocka_unit_test(test_fullwidth),
        cmocka_unit_test(test_separators),  cmocka_unit_test(test_edges),
        cmocka_unit_test(test_plus),        cmocka_unit_test(test_parentheses),
        cmocka_unit_test(test_tel_uri),     cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
