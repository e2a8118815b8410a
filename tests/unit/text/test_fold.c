/*
 * Unit tests for src/text/fold.c: fz_text_fold_char and fz_text_digit from the table of
 * tests/data/text/fold.tsv, and the properties of the generated tables over every code point
 * (a fold folds to itself, so normalizing twice changes nothing).
 */
#include "support.h"

#include "fangzha/text.h"

#include <stdlib.h>
#include <string.h>

static uint32_t parse_cp(const char *s, size_t line)
{
    if (strncmp(s, "U+", 2) != 0)
        fail_msg("line %zu: bad code point '%s'", line, s);
    return (uint32_t)strtoul(s + 2, NULL, 16);
}

static void test_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("text/fold.tsv", &n);
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        const struct fzt_row *r = &rows[i];
        if (r->nfields != 3)
            fail_msg("line %zu: needs code point, fold and digit", r->line);
        uint32_t cp = parse_cp(r->field[0], r->line);
        const char *want = r->field[1];
        char out[16];
        size_t len = fz_text_fold_char(cp, out);
        if (len != strlen(want) || memcmp(out, want, len) != 0)
            fail_msg("line %zu: U+%04X folds to '%.*s', want '%s'", r->line, (unsigned)cp, (int)len,
                     out, want);
        int digit = atoi(r->field[2]);
        if (fz_text_digit(cp) != digit)
            fail_msg("line %zu: U+%04X reads as digit %d, want %d", r->line, (unsigned)cp,
                     fz_text_digit(cp), digit);
    }
    fzt_rows_free(rows, n);
}

static void test_out_of_range(void **state)
{
    (void)state;
    char out[16];
    /* what is no scalar value folds like the U+FFFD that the normalizer puts in its place */
    assert_int_equal(fz_text_fold_char(0xD800, out), 3);
    assert_memory_equal(out, "\xEF\xBF\xBD", 3);
    assert_int_equal(fz_text_fold_char(0x110000, out), 3);
    assert_int_equal(fz_text_fold_char(UINT32_MAX, out), 3);
    assert_int_equal(fz_text_digit(0x110000), -1);
    assert_int_equal(fz_text_digit(UINT32_MAX), -1);
}

/* Every character of every fold folds to itself: the tables are idempotent. ASCII digits
 * never fold to anything else, and no fold maps a character to an ASCII digit unless it reads
 * as that digit. */
static void test_all_code_points(void **state)
{
    (void)state;
    size_t changed = 0, removed = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[16], again[16];
        size_t len = fz_text_fold_char(cp, out);
        assert_true(len <= 16);
        assert_true(fz_utf8_valid(out, len));
        char enc[4];
        size_t elen = fz_utf8_encode(cp, enc);
        if (len == 0) {
            removed++;
            continue;
        }
        if (len != elen || memcmp(out, enc, len) != 0)
            changed++;
        for (const char *p = out, *end = out + len; p < end;) {
            const char *q = p;
            uint32_t c;
            assert_true(fz_utf8_decode(&p, end, &c));
            size_t clen = fz_text_fold_char(c, again);
            if (clen != (size_t)(p - q) || memcmp(again, q, clen) != 0)
                fail_msg("U+%04X folds to U+%04X, which does not fold to itself", (unsigned)cp,
                         (unsigned)c);
        }
        if (len == 1 && out[0] >= '0' && out[0] <= '9')
            assert_int_equal(fz_text_digit(cp), out[0] - '0');
    }
    assert_true(changed > 5000); /* NFKC, case, confusables, t2s all contributed */
    assert_true(removed > 1000); /* emoji, invisible characters, marks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_all_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
