/*
 * Unit tests for src/mail/header.c: RFC 2047 decoding from the table in
 * tests/data/mail/header.tsv (charsets, B and Q, joined words, broken words, folding) and
 * the base64 decoder.
 */
#include "support.h"

#include "mail_int.h"

#include <stdio.h>
#include <string.h>

static void test_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("mail/header.tsv", &n);
    assert_true(n >= 20);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const char *in = rows[i].field[0], *want = rows[i].nfields > 1 ? rows[i].field[1] : "";
        struct fz_buf out;
        fz_buf_init(&out, 4096);
        assert_int_equal(fz__mail_header_decode(in, strlen(in), &out), FZ_OK);
        const char *got = out.ptr ? out.ptr : "";
        if (strcmp(got, want) != 0) {
            printf("header.tsv:%zu: '%s'\n  got  '%s'\n  want '%s'\n", rows[i].line, in, got, want);
            failed++;
        }
        fz_buf_release(&out);
    }
    fzt_rows_free(rows, n);
    if (failed)
        fail_msg("%zu rows of header.tsv differ", failed);
}

static void test_base64(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"aGVsbG8=", "hello"},
        {"aGVs\r\nbG8=", "hello"},
        {"aGVsbG8", "hello"},
        {"a*G!V s-bG8", "hello"},
        {"", ""},
        {"=aGVsbG8", ""},
        {"YQ==YQ==", "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct fz_buf out;
        fz_buf_init(&out, 64);
        assert_int_equal(fz__mail_base64(cases[i].in, strlen(cases[i].in), &out), FZ_OK);
        assert_string_equal(out.ptr ? out.ptr : "", cases[i].want);
        fz_buf_release(&out);
    }
}

/* Many unterminated "=?" stay linear and come out as text. */
static void test_many_unterminated(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    struct fz_buf in, out;
    fz_buf_init(&in, n + 16);
    fz_buf_init(&out, 4 * n);
    while (in.len + 12 <= n)
        assert_int_equal(fz_buf_adds(&in, "=?utf-8?B?AA"), FZ_OK);
    assert_int_equal(fz__mail_header_decode(in.ptr, in.len, &out), FZ_OK);
    assert_int_equal(out.len, in.len);
    fz_buf_release(&in);
    fz_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_many_unterminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
