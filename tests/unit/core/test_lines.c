/* Unit tests for src/core/lines.c: the line and TSV readers, and masking. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_cap),
        cmocka_unit_test(test_lines_pipe),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
