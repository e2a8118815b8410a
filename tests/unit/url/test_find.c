/* Unit tests for src/url/find.c: the URL finder, table-driven from tests/data/url/find.tsv
 * (text, then every URL expected in it), plus the cursor contract and hostile inputs. */
#include "support.h"

#include "fangzha/url.h"

#include <stdlib.h>
#include <string.h>

/* Finds every URL in text[0..len) into spans (pairs start, end); checks the cursor contract
 * after each hit: spans inside the text, increasing and non-overlapping, *pos == *end.
 * Returns the number of URLs. */
static size_t find_all(const char *text, size_t len, size_t *spans, size_t max)
{
    size_t pos = 0, start = 0, end = 0, n = 0, last_end = 0;
    while (fz_url_find(text, len, &pos, &start, &end)) {
        assert_true(start < end);
        assert_true(end <= len);
        assert_true(start >= last_end);
        assert_int_equal(pos, end);
        if (n < max) {
            spans[2 * n] = start;
            spans[2 * n + 1] = end;
        }
        last_end = end;
        n++;
    }
    assert_int_equal(pos, len);
    return n;
}

static void test_table(void **state)
{
    (void)state;
    size_t nrows;
    struct fzt_row *rows = fzt_rows_load("url/find.tsv", &nrows);
    assert_true(nrows >= 100);
    for (size_t r = 0; r < nrows; r++) {
        const struct fzt_row *row = &rows[r];
        const char *text = row->field[0];
        size_t spans[32], nexp = 0;
        const char *exp[16];
        for (int f = 1; f < row->nfields; f++)
            if (row->field[f][0])
                exp[nexp++] = row->field[f];
        size_t n = find_all(text, strlen(text), spans, 16);
        if (n != nexp)
            fail_msg("find.tsv line %zu: '%s': %zu URLs found, %zu expected", row->line, text, n,
                     nexp);
        for (size_t i = 0; i < n; i++) {
            size_t len = spans[2 * i + 1] - spans[2 * i];
            if (len != strlen(exp[i]) || memcmp(text + spans[2 * i], exp[i], len) != 0)
                fail_msg("find.tsv line %zu: found '%.*s', expected '%s'", row->line, (int)len,
                         text + spans[2 * i], exp[i]);
        }
    }
    fzt_rows_free(rows, nrows);
}

static void test_cursor(void **state)
{
    (void)state;
    const char *t = "a t.cn/x b www.abc.com c";
    size_t pos = 0, s = 99, e = 99;
    assert_true(fz_url_find(t, strlen(t), &pos, &s, &e));
    assert_int_equal(s, 2);
    assert_int_equal(e, 8);
    assert_true(fz_url_find(t, strlen(t), &pos, &s, &e));
    assert_int_equal(s, 11);
    assert_int_equal(e, 22);
    assert_false(fz_url_find(t, strlen(t), &pos, &s, &e));
    assert_int_equal(pos, strlen(t));
    /* Starting inside a word does not find its tail: "ww.abc.com" is part of "www.abc.com". */
    pos = 12;
    assert_false(fz_url_find(t, 22, &pos, &s, &e));
    /* Empty text, and a cursor at the end. */
    pos = 0;
    assert_false(fz_url_find("", 0, &pos, &s, &e));
    assert_int_equal(pos, 0);
    pos = strlen(t);
    assert_false(fz_url_find(t, strlen(t), &pos, &s, &e));
}

/* The text is a view: bytes after len are never read, NUL bytes are ordinary bytes. */
static void test_not_terminated(void **state)
{
    (void)state;
    const char src[] = "see t.cn/abc";
    char *buf = malloc(sizeof src - 1);
    memcpy(buf, src, sizeof src - 1);
    size_t pos = 0, s, e;
    assert_true(fz_url_find(buf, 9, &pos, &s, &e)); /* "see t.cn/" */
    assert_int_equal(s, 4);
    assert_int_equal(e, 9);
    free(buf);
    const char nul[] = "x\0www.abc.com\0y";
    pos = 0;
    assert_true(fz_url_find(nul, sizeof nul - 1, &pos, &s, &e));
    assert_int_equal(s, 2);
    assert_int_equal(e, 13);
}

/* Long runs of labels, dots, digits and fullwidth forms end in linear time without a hit. */
static void test_hostile(void **state)
{
    (void)state;
    size_t n = 200000, spans[2];
    char *t = malloc(n);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 2 ? '.' : 'a';
    assert_int_equal(find_all(t, n, spans, 1), 0);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 2 ? '.' : '1';
    assert_int_equal(find_all(t, n, spans, 1), 0);
    memset(t, 'a', n);
    assert_int_equal(find_all(t, n, spans, 1), 0);
    for (size_t i = 0; i + 3 <= n; i += 3)
        memcpy(t + i, i % 2 ? "\xE3\x80\x82" : "\xEF\xBD\x81", 3); /* 。 and ａ */
    find_all(t, n - n % 3, spans, 1);
    /* A 300-label host is too long to be one; no crash, no hit. */
    for (size_t i = 0; i < 600; i++)
        t[i] = i % 2 ? '.' : 'b';
    memcpy(t + 600, "com", 3);
    assert_int_equal(find_all(t, 603, spans, 1), 0);
    /* Truncated UTF-8 at the end. */
    assert_int_equal(find_all("www.abc.com\xEF\xBC", 13, spans, 1), 1);
    assert_int_equal(find_all("\xEF", 1, spans, 1), 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_cursor),
        cmocka_unit_test(test_not_terminated),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
