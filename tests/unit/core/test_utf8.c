/* Unit tests for src/core/utf8.c: strict UTF-8 decoding and encoding. */
#include "support.h"

#include <string.h>

static void test_utf8(void **state)
{
    (void)state;
    const char *s = "a\xE4\xB8\xAD\xF0\x9F\x98\x80";
    const char *p = s, *end = s + strlen(s);
    uint32_t cp;
    assert_true(fz_utf8_decode(&p, end, &cp));
    assert_int_equal(cp, 'a');
    assert_true(fz_utf8_decode(&p, end, &cp));
    assert_int_equal(cp, 0x4E2D);
    assert_true(fz_utf8_decode(&p, end, &cp));
    assert_int_equal(cp, 0x1F600);
    assert_ptr_equal(p, end);
    /* overlong, surrogate, truncated, stray continuation, above U+10FFFF */
    const char *bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xE4\xB8", "\x80", "\xF4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p = bad[i];
        assert_false(fz_utf8_decode(&p, bad[i] + strlen(bad[i]), &cp));
        assert_int_equal(cp, FZ_UTF8_REPLACEMENT);
        assert_ptr_equal(p, bad[i] + 1);
        assert_false(fz_utf8_valid(bad[i], strlen(bad[i])));
    }
    char out[4];
    assert_int_equal(fz_utf8_encode(0x4E2D, out), 3);
    assert_memory_equal(out, "\xE4\xB8\xAD", 3);
    assert_int_equal(fz_utf8_encode(0xD800, out), 0);
    assert_int_equal(fz_utf8_encode(0x110000, out), 0);
    assert_true(fz_utf8_valid(s, strlen(s)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
