/* Unit tests for src/core: errors, buffers, arena, UTF-8, map, JSON, lines and TSV. */
#include "support.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_rc_table(void **state)
{
    (void)state;
    assert_string_equal(fz_rc_name(FZ_OK), "ok");
    assert_string_equal(fz_rc_name(FZ_ETOOBIG), "too_big");
    assert_string_equal(fz_strerror(FZ_ENOMEM), "out of memory");
    assert_string_equal(fz_rc_name((fz_rc)999), "unknown");
    struct fz_err err = {0};
    assert_int_equal(fz_err_setloc(&err, FZ_EPARSE, 7, "text", "bad '%s'", "x"), FZ_EPARSE);
    assert_int_equal(err.line, 7);
    assert_string_equal(err.field, "text");
    assert_string_equal(err.msg, "bad 'x'");
    assert_int_equal(fz_err_set(NULL, FZ_EINVAL, "ignored"), FZ_EINVAL);
}

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

static void count_cleanup(void *p) { (*(int *)p)++; }

static void test_arena(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 128);
    char *small = fz_arena_alloc(&a, 10);
    char *big = fz_arena_alloc(&a, 10000);
    assert_non_null(small);
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 16, 0);
    memset(big, 'x', 10000);
    char *s = fz_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    int cleaned = 0;
    assert_int_equal(fz_arena_defer(&a, count_cleanup, &cleaned), FZ_OK);
    fz_arena_reset(&a);
    assert_int_equal(cleaned, 1);
    for (int i = 0; i < 1000; i++)
        assert_non_null(fz_arena_alloc(&a, (size_t)i));
    assert_null(fz_arena_calloc(&a, SIZE_MAX / 2, 4));
    fz_arena_release(&a);
    fz_arena_release(NULL);
}

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

static void test_map(void **state)
{
    (void)state;
    struct fz_map m;
    fz_map_init(&m);
    char key[32];
    for (long i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        assert_int_equal(fz_map_put(&m, key, (size_t)n, (void *)(i + 1), NULL), FZ_OK);
    }
    assert_int_equal(m.count, 5000);
    for (long i = 0; i < 5000; i += 2) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        assert_ptr_equal(fz_map_del(&m, key, (size_t)n), (void *)(i + 1));
    }
    for (long i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        void *v = fz_map_get(&m, key, (size_t)n);
        assert_ptr_equal(v, i % 2 ? (void *)(i + 1) : NULL);
    }
    void *old;
    assert_int_equal(fz_map_put(&m, "k1", 2, (void *)7, &old), FZ_OK);
    assert_ptr_equal(old, (void *)2);
    size_t it = 0, seen = 0;
    while (fz_map_next(&m, &it, NULL, NULL))
        seen++;
    assert_int_equal(seen, 2500);
    assert_int_equal(fz_hash("abc", 3), fz_hash("abc", 3));
    assert_true(fz_hash("abc", 3) != fz_hash("abd", 3));
    fz_map_release(&m);
}

static void test_json_writer(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 4096);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_obj(&j);
    fz_json_key(&j, "s");
    fz_json_str(&j, "a\"b\\c\n\x01\xff\xe4\xb8\xad", 11);
    fz_json_key(&j, "n");
    fz_json_int(&j, -42);
    fz_json_key(&j, "f");
    fz_json_num(&j, 0.1250, 3);
    fz_json_key(&j, "a");
    fz_json_arr(&j);
    fz_json_bool(&j, true);
    fz_json_null(&j);
    fz_json_cstr(&j, NULL);
    fz_json_arr_end(&j);
    fz_json_obj_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_string_equal(b.ptr, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\xe4\xb8\xad\","
                               "\"n\":-42,\"f\":0.125,\"a\":[true,null,null]}");
    json_t *v = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_json_parse(b.ptr, b.len, &v, &err), FZ_OK);
    assert_int_equal(json_integer_value(json_object_get(v, "n")), -42);
    json_decref(v);
    assert_int_equal(fz_json_parse("{\"a\":", 5, &v, &err), FZ_EPARSE);
    assert_int_equal(err.line, 1);
    fz_buf_release(&b);
}

static void test_json_numbers(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 4096);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_arr(&j);
    fz_json_num(&j, 0.0, 3);
    fz_json_num(&j, 1.0, 3);
    fz_json_num(&j, 0.1456, 3);
    fz_json_num(&j, -2.5, 2);
    fz_json_num(&j, -0.0004, 3);
    fz_json_num(&j, 123456.789, 1);
    fz_json_num(&j, 1e300, 2);
    fz_json_int(&j, INT64_MIN);
    fz_json_uint(&j, UINT64_MAX);
    fz_json_arr_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_string_equal(b.ptr, "[0,1,0.146,-2.5,0,123456.8,null," /* too long for a number: null */
                               "-9223372036854775808,18446744073709551615]");
    fz_buf_release(&b);
}

static void test_json_cap(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 8);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_arr(&j);
    for (int i = 0; i < 100; i++)
        fz_json_int(&j, i);
    fz_json_arr_end(&j);
    assert_int_equal(j.rc, FZ_ETOOBIG);
    fz_buf_release(&b);
}

static FILE *mem(const char *s) { return fmemopen((void *)s, strlen(s), "r"); }

static void test_lines_cap(void **state)
{
    (void)state;
    FILE *f = mem("short\r\nthis line is far too long\nok\nlast");
    struct fz_lines r;
    fz_lines_init(&r, f, 8);
    struct fz_str l;
    struct fz_err err = {0};
    assert_int_equal(fz_lines_next(&r, &l, &err), FZ_OK);
    assert_int_equal(l.len, 5);
    assert_int_equal(fz_lines_next(&r, &l, &err), FZ_ETOOBIG);
    assert_int_equal(err.line, 2);
    assert_int_equal(fz_lines_next(&r, &l, &err), FZ_OK);
    assert_memory_equal(l.ptr, "ok", 2);
    assert_int_equal(r.lineno, 3);
    assert_int_equal(fz_lines_next(&r, &l, &err), FZ_OK);
    assert_memory_equal(l.ptr, "last", 4);
    assert_int_equal(fz_lines_next(&r, &l, &err), FZ_EOF);
    fz_lines_release(&r);
    fclose(f);
}

/* A slow stream: each line comes out as soon as it is complete (read(2), not a full buffer),
 * and a line longer than one read chunk is assembled whole. */
static void test_lines_pipe(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    FILE *in = fdopen(fds[0], "r");
    assert_non_null(in);
    struct fz_lines r;
    fz_lines_init(&r, in, FZ_CAP_LINE);
    struct fz_str l;
    assert_int_equal(write(fds[1], "one\ntw", 6), 6);
    assert_int_equal(fz_lines_next(&r, &l, NULL), FZ_OK);
    assert_int_equal(l.len, 3);
    size_t big = 200000;
    char *line = malloc(big + 1);
    memset(line, 'x', big);
    line[big] = '\n';
    assert_int_equal(write(fds[1], "o\n", 2), 2);
    assert_int_equal(fz_lines_next(&r, &l, NULL), FZ_OK);
    assert_memory_equal(l.ptr, "two", 3);
    if (fork() == 0) { /* the writer: a long line through a small pipe */
        size_t off = 0;
        while (off <= big) {
            ssize_t n = write(fds[1], line + off, big + 1 - off);
            if (n <= 0)
                _exit(1);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    assert_int_equal(fz_lines_next(&r, &l, NULL), FZ_OK);
    assert_int_equal(l.len, big);
    assert_int_equal(l.ptr[big - 1], 'x');
    assert_int_equal(fz_lines_next(&r, &l, NULL), FZ_EOF);
    assert_int_equal(r.lineno, 3);
    free(line);
    fz_lines_release(&r);
    fclose(in);
}

static void test_tsv(void **state)
{
    (void)state;
    FILE *f = mem("label\tchannel\ttext\nham\tsms\ta\\tb\\\\c\\nd\nspam\tsms\n"
                  "fraud\tsms\tbad\\q\nham\tcall\tx\n");
    struct fz_tsv t;
    struct fz_err err = {0};
    assert_int_equal(fz_tsv_open(&t, f, FZ_CAP_LINE, &err), FZ_OK);
    assert_int_equal(t.ncols, 3);
    assert_int_equal(fz_tsv_col(&t, "text"), 2);
    assert_int_equal(fz_tsv_col(&t, "nope"), -1);
    assert_int_equal(fz_tsv_next(&t, &err), FZ_OK);
    assert_memory_equal(t.field[2].ptr, "a\tb\\c\nd", 7);
    assert_int_equal(t.field[2].len, 7);
    assert_int_equal(fz_tsv_next(&t, &err), FZ_EPARSE); /* two fields */
    assert_int_equal(err.line, 3);
    assert_int_equal(fz_tsv_next(&t, &err), FZ_EPARSE); /* bad escape */
    assert_int_equal(err.line, 4);
    assert_string_equal(err.field, "text");
    assert_int_equal(fz_tsv_next(&t, &err), FZ_OK);
    assert_memory_equal(t.field[1].ptr, "call", 4);
    assert_int_equal(fz_tsv_next(&t, &err), FZ_EOF);
    fz_tsv_release(&t);
    fclose(f);
}

static void test_mask(void **state)
{
    (void)state;
    char out[32];
    assert_string_equal(fz_mask("13812345678", 11, out, sizeof out), "138****5678");
    assert_string_equal(fz_mask("1234", 4, out, sizeof out), "****");
}

/* Every allocation failure inside a sequence of operations ends in FZ_ENOMEM, no leak. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rc_table),     cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_arena),        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_map),          cmocka_unit_test(test_json_writer),
        cmocka_unit_test(test_json_numbers), cmocka_unit_test(test_json_cap),
        cmocka_unit_test(test_lines_cap),    cmocka_unit_test(test_lines_pipe),
        cmocka_unit_test(test_tsv),          cmocka_unit_test(test_mask),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
