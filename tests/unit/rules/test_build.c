/*
 * Unit tests for src/rules/build.c: the shipped rule set (the files under rules/) loads and
 * compiles into one database with every fraud type covered, a directory with a broken file fails
 * with the file and line, refcounts, and the reload path: a writer swapping sets through a struct
 * fz_rules_handle while a reader thread acquires and matches; the cache of compiled databases
 * (hit, miss, damaged file, another key, unwritable directory).
 */
#include "support.h"

#include "fangzha/rules.h"

#include <dirent.h>
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
    fz_rc rc = fz_rules_load_dir(SHIPPED, NULL, &r, &err);
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
    assert_int_equal(fz_rules_load_dir(dir, NULL, &r, &err), FZ_EPARSE);
    assert_null(r);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "rule");
    assert_string_equal(err.msg, "b.rules:2: duplicate rule id 'x' (first in a.rules:1)");

    write_file(dir, "b.rules", "rule: y\ntype: spam\nweight: 1\nzh: z\nen: e\nentity: url\n");
    assert_int_equal(fz_rules_load_dir(dir, NULL, &r, &err), FZ_OK);
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

/* ---- the cache of compiled databases ---- */

static const char CACHED_RULES[] =
    "rule: c.fixed\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: 安全账户\n"
    "rule: c.wide\ntype: fake_customer_service\nweight: 1\nzh: z\nen: e\n"
    "regex: 客服.{0,12}退款\n";

/* The info lines the rules module logs, joined. */
static char cache_log[2048];

static void capture(void *ud, enum fz_log_level level, const char *module, const char *msg)
{
    (void)ud;
    (void)level;
    if (strcmp(module, "rules") == 0 && strlen(cache_log) + strlen(msg) + 2 < sizeof cache_log) {
        strcat(cache_log, msg);
        strcat(cache_log, "\n");
    }
}

/* Builds CACHED_RULES (with extra appended) through cache dir; returns the set. */
static struct fz_rules *build_cached(const char *dir, const char *extra)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", CACHED_RULES, extra);
    struct fz_rules_builder *b = NULL;
    struct fz_rules *r = NULL;
    struct fz_err err = {0};
    cache_log[0] = '\0';
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    assert_int_equal(fz_rules_builder_set_cache(b, dir), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "c.rules", text, strlen(text), &err), FZ_OK);
    assert_int_equal(fz_rules_build(b, &r, &err), FZ_OK);
    fz_rules_builder_free(b);
    return r;
}

/* Both hits of the message, with their spans, as "id start end;" pairs. */
static void hits_of(const struct fz_rules *r, char *out, size_t cap)
{
    static const char msg[] = "客服说可以退款，请转到安全账户";
    struct fz_rules_scratch *s = NULL;
    struct fz_text t;
    fz_text_init(&t);
    assert_int_equal(fz_rules_scratch_new(r, &s), FZ_OK);
    assert_int_equal(fz_text_normalize(msg, strlen(msg), &t), FZ_OK);
    const struct fz_rule_hit *hits = NULL;
    size_t n = 0;
    assert_int_equal(fz_rules_match(r, s, &t, NULL, &hits, &n), FZ_OK);
    assert_int_equal(n, 2);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s %zu %zu;", hits[i].rule->id,
                 hits[i].start, hits[i].end);
    fz_text_release(&t);
    fz_rules_scratch_free(s);
}

/* The path of the one cache file in dir (fails unless there is exactly one). */
static void only_file(const char *dir, char *path, size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        int w = snprintf(path, cap, "%s/%s", dir, de->d_name);
        assert_true(w > 0 && (size_t)w < cap);
        n++;
    }
    closedir(d);
    assert_int_equal(n, 1);
}

static void test_cache(void **state)
{
    (void)state;
    char *root = fzt_tmpdir();
    char dir[1400], path[1200], plain[256], cached[256];
    snprintf(dir, sizeof dir, "%s/cache/fangzha", root); /* parents are created */
    fz_log_set(capture, NULL, FZ_LOG_INFO);

    struct fz_rules *r = build_cached(NULL, ""); /* no cache */
    hits_of(r, plain, sizeof plain);
    fz_rules_unref(r);
    assert_string_equal(plain, "c.wide 0 21;c.fixed 31 43;");

    r = build_cached(dir, "");
    assert_non_null(strstr(cache_log, "compiled rules written to"));
    fz_rules_unref(r);
    only_file(dir, path, sizeof path);

    r = build_cached(dir, "");
    assert_non_null(strstr(cache_log, "compiled rules loaded from"));
    hits_of(r, cached, sizeof cached);
    assert_string_equal(cached, plain);
    fz_rules_unref(r);

    /* A damaged file is a miss that rewrites it. */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 40, SEEK_SET);
    fputc(0x5a, f);
    fclose(f);
    r = build_cached(dir, "");
    assert_non_null(strstr(cache_log, "stale or damaged"));
    assert_non_null(strstr(cache_log, "written to"));
    hits_of(r, cached, sizeof cached);
    assert_string_equal(cached, plain);
    fz_rules_unref(r);
    r = build_cached(dir, "");
    assert_non_null(strstr(cache_log, "loaded from"));
    fz_rules_unref(r);

    /* Another rule set is another key: a new file, the old one kept. */
    r = build_cached(dir, "rule: c.more\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: 退订\n");
    assert_non_null(strstr(cache_log, "written to"));
    assert_null(strstr(cache_log, "loaded from"));
    fz_rules_unref(r);

    /* A cache that cannot be written costs nothing but the message. */
    memcpy(dir, path, sizeof path); /* a regular file, not a directory */
    r = build_cached(dir, "");
    assert_non_null(strstr(cache_log, "cannot write the rules cache"));
    hits_of(r, cached, sizeof cached);
    assert_string_equal(cached, plain);
    fz_rules_unref(r);

    fz_log_set(NULL, NULL, FZ_LOG_WARN);
    fzt_tmpdir_remove(root);
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
        cmocka_unit_test(test_shipped_set),         cmocka_unit_test(test_dir_errors),
        cmocka_unit_test(test_empty_and_refs),      cmocka_unit_test(test_cache),
        cmocka_unit_test(test_handle_swap_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
