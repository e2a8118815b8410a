/* Unit tests for src/core/buf.c: capped growable buffers. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static void test_buf_cap(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 10);
    assert_int_equal(fz_buf_adds(&b, "hello"), FZ_OK);
    assert_int_equal(fz_buf_addf(&b, "%d", 12345), FZ_OK);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.ptr, "hello12345");
    assert_int_equal(fz_buf_addc(&b, 'x'), FZ_ETOOBIG);
    assert_int_equal(fz_buf_addf(&b, "%s", "y"), FZ_ETOOBIG);
    assert_string_equal(b.ptr, "hello12345"); /* untouched on failure */
    fz_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    fz_buf_release(&b);
    fz_buf_release(NULL);
}

/* Every allocation failure inside a sequence of operations ends in FZ_ENOMEM, no leak. */
static void test_buf_read(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    for (int i = 0; i < 5000; i++)
        fputs("0123456789", f);
    rewind(f);
    struct fz_buf b;
    fz_buf_init(&b, 1 << 20);
    assert_int_equal(fz_buf_add(&b, "x", 1), FZ_OK);
    assert_int_equal(fz_buf_read(&b, f), FZ_OK); /* appends, across many chunks */
    assert_int_equal(b.len, 50001);
    assert_memory_equal(b.ptr + 49991, "0123456789", 10);
    fz_buf_release(&b);
    rewind(f);
    fz_buf_init(&b, 1000);
    assert_int_equal(fz_buf_read(&b, f), FZ_ETOOBIG); /* over the cap: stops */
    assert_true(b.len <= 1000);
    fz_buf_release(&b);
    fclose(f);
}

static void test_alloc_faults(void **state)
{
    (void)state;
    for (unsigned long n = 1; n < 200; n++) {
        fzt_fail_alloc_after(n, true);
        struct fz_map m;
        fz_map_init(&m);
        struct fz_buf b;
        fz_buf_init(&b, 1 << 20);
        fz_rc rc = FZ_OK;
        char key[16];
        for (int i = 0; i < 40 && !rc; i++) {
            int k = snprintf(key, sizeof key, "%d", i);
            rc = fz_map_put(&m, key, (size_t)k, &m, NULL);
            if (!rc)
                rc = fz_buf_addf(&b, "%d,", i);
        }
        unsigned long used = fzt_alloc_count();
        fz_map_release(&m);
        fz_buf_release(&b);
        long live = fzt_alloc_restore();
        assert_int_equal(live, 0);
        if (rc == FZ_OK && used < n)
            break; /* ran to the end without reaching the failure */
        assert_int_equal(rc, FZ_ENOMEM);
    }
}

static void test_str_to_uint(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_true(fz_str_to_uint(FZ_STR_LIT("0"), 18, &v) && v == 0);
    assert_true(fz_str_to_uint(FZ_STR_LIT("172800"), 18, &v) && v == 172800);
    assert_true(fz_str_to_uint(FZ_STR_LIT("999999999999999999"), 18, &v) &&
                v == 999999999999999999);
    v = 7;
    static const char *const bad[] = {
        "", "-1", "+1", " 1", "1 ", "1.5", "12a", "1e3", "1000000000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(fz_str_to_uint((struct fz_str){bad[i], strlen(bad[i])}, 18, &v));
    assert_false(fz_str_to_uint(FZ_STR_LIT("123456"), 5, &v));
    assert_int_equal(v, 7); /* untouched on failure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_buf_read),
        cmocka_unit_test(test_alloc_faults),
        cmocka_unit_test(test_str_to_uint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
