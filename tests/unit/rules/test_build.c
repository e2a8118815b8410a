/*
 * Unit tests for src/rules/build.c: the shipped rule set (the files under rules/) loads and
 * compiles into one database with every fraud type covered, a directory with a broken file fails
 * with the file and line, refcounts, and the reload path: a writer swapping sets through a struct
 * fz_rules_handle while a reader thread acquires and matches.
 */
#include "support.h"

#include "fangzha/rules.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIPPED FZ_TEST_DATA "/../../rules"

static void test_shipped_set(void **state)
{
    (void)state;
    struct fz_rules *r = NULL;
    struct fz_err err = {0};
    fz_rc rc = fz_rules_load_dir(SHIPPED, &r, &err);
    if (rc != FZ_OK)
        fail_msg("shipped rules: %s (line %zu field %s)", err.msg, err.line, err.field);
    size_t n = fz_rules_count(r);
    assert_true(n >= 150);
    /* The fraud types (core's table, checked in tests/unit/core/test_types.c) and spam. */
    const char *types[FZ_FRAUD_TYPE_COUNT + 1];
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        types[t] = fz_fraud_type_name(t);
    types[FZ_FRAUD_TYPE_COUNT] = "spam";
    size_t per_type[sizeof types / sizeof types[0]] = {0};
    for (size_t i = 0; i < n; i++) {
        const struct fz_rule *ru = fz_rules_get(r, i);
        assert_non_null(ru->zh);
        assert_non_null(ru->en);
        assert_true(ru->pattern != NULL || ru->nconds > 0);
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
            if (strcmp(ru->type, types[t]) == 0)
                per_type[t]++;
    }
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        print_message("    %-30s %zu rules\n", types[t], per_type[t]);
        assert_true(per_type[t] >= 5);
    }
    print_message("    %-30s %zu rules\n", "total", n);
    fz_rules_unref(r);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_dir_errors(void **state)
{
    (void)state;
    char *dir = fzt_tmpdir();
    write_file(dir, "a.rules", "rule: x\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: aa\n");
    write_file(dir, "b.rules", "\nrule: x\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: bb\n");
    write_file(dir, "notes.txt", "not a rule file");
    struct fz_rules *r = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_rules_load_dir(dir, &r, &err), FZ_EPARSE);
    assert_null(r);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "rule");
    assert_string_equal(err.msg, "b.rules:2: duplicate rule id 'x' (first in a.rules:1)");

    write_file(dir, "b.rules", "rule: y\ntype: spam\nweight: 1\nzh: z\nen: e\nentity: url\n");
    assert_int_equal(fz_rules_load_dir(dir, &r, &err), FZ_OK);
    assert_int_equal(fz_rules_count(r), 2);
    assert_string_equal(fz_rules_get(r, 1)->file, "b.rules");
    fz_rules_unref(r);
    fzt_tmpdir_remove(dir);
}

static void test_empty_and_refs(void **state)
{
    (void)state;
    struct fz_rules_builder *b = NULL;
    struct fz_rules *r = NULL;
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    assert_int_equal(fz_rules_build(b, &r, NULL), FZ_OK);
    assert_int_equal(fz_rules_count(r), 0);
    assert_ptr_equal(fz_rules_ref(r), r);
    fz_rules_unref(r);

    struct fz_rules_scratch *s = NULL;
    assert_int_equal(fz_rules_scratch_new(r, &s), FZ_OK);
    struct fz_text t;
    fz_text_init(&t);
    assert_int_equal(fz_text_normalize("hello", 5, &t), FZ_OK);
    const struct fz_rule_hit *hits = NULL;
    size_t nhits = 7;
    assert_int_equal(fz_rules_match(r, s, &t, NULL, &hits, &nhits), FZ_OK);
    assert_int_equal(nhits, 0);
    assert_int_equal(fz_rules_match(NULL, s, &t, NULL, &hits, &nhits), FZ_EINVAL);
    fz_text_release(&t);
    fz_rules_scratch_free(s);
    fz_rules_scratch_free(NULL);
    fz_rules_unref(r);
    fz_rules_unref(NULL);
    fz_rules_builder_free(b);
    assert_int_equal(fz_rules_count(NULL), 0);
}

/* ---- the reload path under two threads ---- */

static struct fz_rules *set_with(const char *literal)
{
    char text[256];
    snprintf(text, sizeof text, "rule: r.%s\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: %s\n",
             literal, literal);
    struct fz_rules_builder *b = NULL;
    struct fz_rules *r = NULL;
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "t.rules", text, strlen(text), NULL), FZ_OK);
    assert_int_equal(fz_rules_build(b, &r, NULL), FZ_OK);
    fz_rules_builder_free(b);
    return r;
}

struct reader {
    struct fz_rules_handle *h;
    atomic_bool *stop;
    unsigned long matched_a, matched_b, rounds;
    bool failed;
};

static void *reader_main(void *arg)
{
    struct reader *rd = arg;
    struct fz_text t;
    fz_text_init(&t);
    const char msg[] = "alpha and beta";
    if (fz_text_normalize(msg, sizeof msg - 1, &t) != FZ_OK) {
        rd->failed = true;
        return NULL;
    }
    struct fz_rules_scratch *s = NULL;
    while (!atomic_load(rd->stop) || rd->rounds < 1000) {
        struct fz_rules *r = fz_rules_handle_acquire(rd->h);
        if (s == NULL && fz_rules_scratch_new(r, &s) != FZ_OK) {
            rd->failed = true;
            fz_rules_unref(r);
            break;
        }
        const struct fz_rule_hit *hits = NULL;
        size_t n = 0;
        /* one rule per set, and it must be that set's rule */
        if (fz_rules_match(r, s, &t, NULL, &hits, &n) != FZ_OK || n != 1 ||
            hits[0].rule != fz_rules_get(r, 0)) {
            rd->failed = true;
        } else if (strcmp(hits[0].rule->id, "r.alpha") == 0) {
            rd->matched_a++;
        } else {
            rd->matched_b++;
        }
        fz_rules_unref(r);
        rd->rounds++;
    }
    fz_rules_scratch_free(s);
    fz_text_release(&t);
    return NULL;
}

static void test_handle_swap_threads(void **state)
{
    (void)state;
    struct fz_rules_handle h;
    fz_rules_handle_init(&h, set_with("alpha"));
    atomic_bool stop;
    atomic_init(&stop, false);
    struct reader rd = {.h = &h, .stop = &stop};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, reader_main, &rd), 0);
    for (int i = 0; i < 200; i++)
        fz_rules_handle_swap(&h, set_with(i % 2 ? "alpha" : "beta"));
    atomic_store(&stop, true);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_false(rd.failed);
    assert_true(rd.rounds >= 1000);
    print_message("    reader: %lu rounds, %lu alpha, %lu beta\n", rd.rounds, rd.matched_a,
                  rd.matched_b);
    struct fz_rules *last = fz_rules_handle_acquire(&h);
    assert_string_equal(fz_rules_get(last, 0)->id, "r.alpha");
    fz_rules_unref(last);
    fz_rules_handle_release(&h);
    struct fz_rules_handle empty;
    fz_rules_handle_init(&empty, NULL);
    assert_null(fz_rules_handle_acquire(&empty));
    fz_rules_handle_release(&empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_set),
        cmocka_unit_test(test_dir_errors),
        cmocka_unit_test(test_empty_and_refs),
        cmocka_unit_test(test_handle_swap_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
