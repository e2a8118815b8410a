/*
 * Unit tests for src/calls/checkpoint.c: a saved engine loads back with the same verdicts,
 * counters and warnings already raised (so none is raised twice), the row count comes back,
 * and a damaged, truncated or foreign file is refused with a message.
 */
#include "calltest.h"

#include <unistd.h>

static void feed(struct fz_calls *c, int from, int to)
{
    char callee[24];
    for (int i = from; i < to; i++)
        dial(c, "13900000001", mobile(callee, "138000", i), T0 + i * 10, i % 3 ? 2 : 90, 5);
}

static void test_round_trip(void **state)
{
    (void)state;
    char *dir = fzt_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/ck", dir);
    struct recorder *whole = test_malloc(sizeof *whole), *split = test_malloc(sizeof *split);
    memset(whole, 0, sizeof *whole);
    memset(split, 0, sizeof *split);
    struct fz_calls *a, *b, *c;
    assert_int_equal(fz_calls_new(NULL, &a), FZ_OK);
    fz_calls_on_event(a, record, whole);
    feed(a, 0, 300);
    /* the same stream, saved after 100 rows and resumed from the file */
    assert_int_equal(fz_calls_new(NULL, &b), FZ_OK);
    fz_calls_on_event(b, record, split);
    feed(b, 0, 100);
    assert_int_equal(fz_calls_save(b, path, 100, NULL), FZ_OK);
    fz_calls_free(b);
    uint64_t rows = 0;
    assert_int_equal(fz_calls_load(path, NULL, &c, &rows, NULL), FZ_OK);
    assert_int_equal(rows, 100);
    fz_calls_on_event(c, record, split);
    feed(c, 100, 300);
    assert_int_equal(whole->flagged, 1);
    assert_int_equal(split->flagged, 1);
    assert_int_equal(whole->alerts, split->alerts);
    for (int i = 0; i < whole->alerts; i++)
        assert_string_equal(whole->alert[i].id, split->alert[i].id);
    struct fz_calls_stats sa, sc;
    fz_calls_stats(a, &sa);
    fz_calls_stats(c, &sc);
    assert_int_equal(sa.applied, sc.applied);
    assert_int_equal(sa.contacts, sc.contacts);
    assert_true(verdict(a, "+8613900000001").score == verdict(c, "+8613900000001").score);
    fz_calls_free(a);
    fz_calls_free(c);
    test_free(whole);
    test_free(split);
    fzt_tmpdir_remove(dir);
}

static void test_bad_files(void **state)
{
    (void)state;
    char *dir = fzt_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/ck", dir);
    struct fz_calls *c;
    struct fz_err err = {0};
    uint64_t rows;
    assert_int_equal(fz_calls_load(path, NULL, &c, &rows, &err), FZ_ENOTFOUND);
    FILE *f = fopen(path, "w");
    fputs("not a checkpoint at all, not even close to the header's size ......................", f);
    fclose(f);
    assert_int_equal(fz_calls_load(path, NULL, &c, &rows, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "not a checkpoint"));
    /* a real one, truncated */
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    feed(c, 0, 50);
    assert_int_equal(fz_calls_save(c, path, 50, NULL), FZ_OK);
    fz_calls_free(c);
    f = fopen(path, "r+");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    assert_int_equal(truncate(path, size - 7), 0);
    assert_int_equal(fz_calls_load(path, NULL, &c, &rows, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "truncated"));
    fzt_tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
