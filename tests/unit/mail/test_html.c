/*
 * Unit tests for src/mail/html.c: the table of HTML → text cases (tests/data/mail/html.tsv),
 * the output cap (cut at a character boundary), and linear time on hostile input.
 */
#include "support.h"

#include "fangzha/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void test_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("mail/html.tsv", &n);
    assert_true(n >= 25);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const char *in = rows[i].field[0], *want = rows[i].nfields > 1 ? rows[i].field[1] : "";
        struct fz_buf out;
        fz_buf_init(&out, 1 << 16);
        assert_int_equal(fz_mail_html_text(in, strlen(in), &out), FZ_OK);
        const char *got = out.ptr ? out.ptr : "";
        if (strcmp(got, want) != 0) {
            printf("html.tsv:%zu: '%s'\n  got  '%s'\n  want '%s'\n", rows[i].line, in, got, want);
            failed++;
        }
        fz_buf_release(&out);
    }
    fzt_rows_free(rows, n);
    if (failed)
        fail_msg("%zu rows of html.tsv differ", failed);
}

/* Over the cap: FZ_ETOOBIG, and the text kept ends on a character boundary. */
static void test_cap(void **state)
{
    (void)state;
    const char *html = "<p>你好你好你好</p>";
    for (size_t max = 0; max < 20; max++) {
        struct fz_buf out;
        fz_buf_init(&out, max);
        fz_rc rc = fz_mail_html_text(html, strlen(html), &out);
        if (max >= 18) {
            assert_int_equal(rc, FZ_OK);
        } else {
            assert_int_equal(rc, FZ_ETOOBIG);
        }
        assert_true(out.len <= max);
        assert_int_equal(out.len % 3, 0);
        assert_true(fz_utf8_valid(out.ptr ? out.ptr : "", out.len));
        fz_buf_release(&out);
    }
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Hostile patterns of 4 MiB each finish quickly: unterminated quotes, comments, scripts,
 * references, and links. */
static void test_linear(void **state)
{
    (void)state;
    static const char *const units[] = {
        "<a href=\"x",
        "<div title='",
        "<!--",
        "<script>",
        "&#x",
        "&",
        "<a href=\"http://e/\">a",
        "<",
        "<a href=http://a.b/c>x</a>",
        "<p>",
        "</scrip",
    };
    size_t size = 4 << 20;
    char *buf = malloc(size + 1);
    assert_non_null(buf);
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        size_t ul = strlen(units[u]), n = 0;
        while (n + ul <= size) {
            memcpy(buf + n, units[u], ul);
            n += ul;
        }
        struct fz_buf out;
        fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
        double t0 = seconds();
        fz_rc rc = fz_mail_html_text(buf, n, &out);
        double dt = seconds() - t0;
        assert_true(rc == FZ_OK || rc == FZ_ETOOBIG);
        if (dt > 5.0)
            fail_msg("'%s' x %zu took %.1f s", units[u], n / ul, dt);
        fz_buf_release(&out);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
