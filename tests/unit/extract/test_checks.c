/*
 * Unit tests for the checks inside src/extract (extract_int.h): Luhn, the GB 11643 checksum
 * and birth date, the yuan string of an amount, Chinese numeral units and the cue index.
 */
#include "support.h"

#include "extract_int.h"

#include <string.h>

static void test_luhn(void **state)
{
    (void)state;
    assert_true(fz__extract_luhn("4111111111111111", 16));
    assert_true(fz__extract_luhn("6222021234567890128", 19));
    assert_true(fz__extract_luhn("6217001234567893", 16));
    assert_false(fz__extract_luhn("6222021234567890123", 19));
    assert_false(fz__extract_luhn("4111111111111112", 16));
    assert_false(fz__extract_luhn("41111111111x1111", 16));
    assert_false(fz__extract_luhn("", 0));
}

static void test_id_checksum(void **state)
{
    (void)state;
    assert_int_equal(fz__extract_id_check("11010519491231002"), 'X');
    assert_int_equal(fz__extract_id_check("44030619880808123"), '0');
    assert_true(fz__extract_id_valid("11010519491231002X", 18));
    assert_true(fz__extract_id_valid("11010519491231002x", 18));
    assert_true(fz__extract_id_valid("510107200002290037", 18));  /* 2000-02-29: leap year */
    assert_false(fz__extract_id_valid("110105194912310021", 18)); /* wrong check digit */
    assert_false(fz__extract_id_valid("91010519491231002X", 18)); /* region 9 */
    assert_false(fz__extract_id_valid("01010519491231002X", 18)); /* region 0 */
    assert_false(fz__extract_id_valid("11010519491231002", 17));
    assert_false(fz__extract_id_valid("1101051949123100 X", 18));
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(fz__extract_ymd_ok("19491231"));
    assert_true(fz__extract_ymd_ok("20000229"));
    assert_true(fz__extract_ymd_ok("20240229"));
    assert_false(fz__extract_ymd_ok("19000229")); /* 1900 was not a leap year */
    assert_false(fz__extract_ymd_ok("20230229"));
    assert_false(fz__extract_ymd_ok("19491331"));
    assert_false(fz__extract_ymd_ok("19490431"));
    assert_false(fz__extract_ymd_ok("18991231"));
    assert_false(fz__extract_ymd_ok("21000101"));
    assert_false(fz__extract_ymd_ok("1949120a"));
    assert_false(fz__extract_ymd_ok("19491200"));
}

static void test_fen_str(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(fz__extract_fen_str(129950, buf), 7);
    assert_string_equal(buf, "1299.50");
    fz__extract_fen_str(5, buf);
    assert_string_equal(buf, "0.05");
    fz__extract_fen_str(0, buf);
    assert_string_equal(buf, "0.00");
    fz__extract_fen_str(INT64_MAX, buf);
    assert_string_equal(buf, "92233720368547758.07");
}

static void test_cn_units(void **state)
{
    (void)state;
    assert_int_equal(fz__extract_cn_unit(0x5341), 1); /* 十 */
    assert_int_equal(fz__extract_cn_unit(0x767E), 2); /* 百 */
    assert_int_equal(fz__extract_cn_unit(0x5343), 3); /* 千 */
    assert_int_equal(fz__extract_cn_unit(0x4E07), 4); /* 万 */
    assert_int_equal(fz__extract_cn_unit(0x4EBF), 8); /* 亿 */
    assert_int_equal(fz__extract_cn_unit(0x4E00), 0); /* 一 is a digit, not a unit */
    assert_int_equal(fz__extract_cn_unit('5'), 0);
}

/* Every cue is non-empty valid UTF-8 in normalized form (no upper case, no fullwidth), and
 * the index finds each cue in the buckets of its first and last byte, longest first. */
static void test_cue_index(void **state)
{
    (void)state;
    size_t n;
    const struct fz__cue *cues = fz__extract_cue_table(&n);
    static struct fz__cue_index ix;
    fz__extract_cue_index_build(&ix);
    assert_int_equal(ix.by_last[256], n);
    size_t ncode = 0;
    for (size_t k = 0; k < n; k++)
        ncode += cues[k].kind == FZ__CUE_CODE;
    assert_int_equal(ix.by_first[256], ncode);
    for (size_t k = 0; k < n; k++) {
        assert_true(cues[k].len > 0 && cues[k].len == strlen(cues[k].s));
        assert_true(fz_utf8_valid(cues[k].s, cues[k].len));
        for (size_t i = 0; i < cues[k].len; i++)
            assert_false(cues[k].s[i] >= 'A' && cues[k].s[i] <= 'Z');
        unsigned b = (unsigned char)cues[k].s[cues[k].len - 1];
        bool found = false;
        for (size_t i = ix.by_last[b]; i < ix.by_last[b + 1]; i++) {
            found |= ix.last_order[i] == k;
            if (i > ix.by_last[b])
                assert_true(cues[ix.last_order[i - 1]].len >= cues[ix.last_order[i]].len);
        }
        assert_true(found);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),     cmocka_unit_test(test_id_checksum),
        cmocka_unit_test(test_dates),    cmocka_unit_test(test_fen_str),
        cmocka_unit_test(test_cn_units), cmocka_unit_test(test_cue_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
