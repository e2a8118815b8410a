/*
 * Unit tests for src/mail/charset.c: charsets to UTF-8 (the aliases for GB2312, Big5 and
 * ISO-8859-1, mislabelled UTF-8, invalid bytes as U+FFFD, the guess without a charset) and
 * the capped append that cuts at a character boundary.
 */
#include "support.h"

#include "mail_int.h"

#include <string.h>

/* Converts bytes s[0..n) from charset and compares with want. */
static void check(const char *charset, const char *s, size_t n, const char *want)
{
    struct fz_buf out;
    fz_buf_init(&out, 1024);
    assert_int_equal(fz_mail_to_utf8(charset, s, n, &out), FZ_OK);
    assert_string_equal(out.ptr ? out.ptr : "", want);
    assert_true(fz_utf8_valid(out.ptr ? out.ptr : "", out.len));
    fz_buf_release(&out);
}

#define CHECK(cs, bytes, want) check((cs), (bytes), sizeof(bytes) - 1, (want))

static void test_chinese(void **state)
{
    (void)state;
    CHECK("gb2312", "\xc4\xe3\xba\xc3", "你好");
    CHECK("GB2312", "\x86\xb4", "喆"); /* GBK-only, labelled GB2312 */
    CHECK("gbk", "\x86\xb4", "喆");
    CHECK("\"GB18030\"", "\x81\x30\x81\x30", "\xc2\x80"); /* four-byte sequence: U+0080 */
    CHECK("big5", "\xa5\x78\xc6\x57", "台灣");
    CHECK("x-gbk", "\xc4\xe3", "你");
}

static void test_western(void **state)
{
    (void)state;
    CHECK("iso-8859-1", "caf\xe9", "café");
    CHECK("ISO-8859-1", "\x93quoted\x94 \x80", "“quoted” €"); /* read as Windows-1252 */
    CHECK("iso-8859-2", "\xb1", "ą");
    CHECK("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет");
    CHECK("us-ascii", "plain", "plain");
    CHECK("iso-8859-1", "caf\xc3\xa9", "café"); /* mislabelled UTF-8 */
}

static void test_utf8(void **state)
{
    (void)state;
    CHECK("utf-8", "ok \xe4\xbd\xa0", "ok 你");
    CHECK("UTF8", "bad \xff end", "bad \xef\xbf\xbd end");
    CHECK("utf-8", "cut \xe4\xbd", "cut \xef\xbf\xbd\xef\xbf\xbd");
}

static void test_guess(void **state)
{
    (void)state;
    CHECK(NULL, "\xe4\xbd\xa0\xe5\xa5\xbd", "你好"); /* UTF-8 */
    CHECK("", "\xc4\xe3\xba\xc3", "你好");           /* GB18030 */
    CHECK(NULL, "caf\xe9 ", "café ");                /* Windows-1252 */
    CHECK("x-no-such-charset", "\xc4\xe3", "你");
    CHECK("unknown-8bit", "na\xefve ", "naïve ");
}

static void test_invalid_bytes(void **state)
{
    (void)state;
    CHECK("gbk",
          "a\xff"
          "b",
          "a\xef\xbf\xbd"
          "b");
    CHECK("gbk", "end\xc4", "end\xef\xbf\xbd"); /* truncated at the end */
    CHECK("iso-2022-jp", "\x1b$B$3$s\x1b(B!", "こん!");
}

static void test_cap(void **state)
{
    (void)state;
    for (size_t max = 0; max < 8; max++) {
        struct fz_buf out;
        fz_buf_init(&out, max);
        fz_rc rc = fz_mail_to_utf8("gbk", "\xc4\xe3\xba\xc3", 4, &out);
        assert_int_equal(rc, max >= 6 ? FZ_OK : FZ_ETOOBIG);
        assert_int_equal(out.len, max >= 6 ? 6 : max >= 3 ? 3 : 0);
        fz_buf_release(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese),       cmocka_unit_test(test_western),
        cmocka_unit_test(test_utf8),          cmocka_unit_test(test_guess),
        cmocka_unit_test(test_invalid_bytes), cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
