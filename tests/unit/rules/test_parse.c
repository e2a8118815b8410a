/*
 * Unit tests for src/rules/parse.c: a good file read field by field, the table of bad files
 * (tests/data/rules/bad.tsv: every error with its line, field and message), errors the table
 * cannot hold (invalid UTF-8, over-long lines and files), rollback of a failed file, and
 * fault injection over parsing and building.
 */
#include "support.h"

#include "fangzha/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char good[] = "# a comment\n"
                           "\n"
                           "rule: t.safe\n"
                           "type: impersonate_authority\n"
                           "weight: 60\n"
                           "zh: 安全账户\n"
                           "en: safe account\n"
                           "pattern: 安全賬戶 \n"
                           "\r\n"
                           "  rule :  t.loan  \r\n"
                           "type:fake_loan\n"
                           "weight: 30\n"
                           "zh: 号段与贷款\n"
                           "en: loan from an mvno number\n"
                           "regex: 贷款|放款\n"
                           "entity: phone.class=mvno\n"
                           "entity: amount>=100000\n"
                           "near: 60\n"
                           "rule: t.url\n"
                           "type: phishing\n"
                           "weight: 1\n"
                           "zh: 仿冒\n"
                           "en: lookalike\n"
                           "entity: url.flag=lookalike";

static struct fz_rules *build_text(const char *text, struct fz_err *err)
{
    struct fz_rules_builder *b = NULL;
    struct fz_rules *r = NULL;
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    fz_rc rc = fz_rules_builder_add(b, "dir/t.rules", text, strlen(text), err);
    if (rc == FZ_OK)
        rc = fz_rules_build(b, &r, err);
    fz_rules_builder_free(b);
    return rc == FZ_OK ? r : NULL;
}

static void test_good_file(void **state)
{
    (void)state;
    struct fz_err err = {0};
    struct fz_rules *r = build_text(good, &err);
    assert_non_null(r);
    assert_int_equal(fz_rules_count(r), 3);

    const struct fz_rule *a = fz_rules_get(r, 0);
    assert_string_equal(a->id, "t.safe");
    assert_string_equal(a->type, "impersonate_authority");
    assert_int_equal(a->weight, 60);
    assert_string_equal(a->zh, "安全账户");
    assert_string_equal(a->en, "safe account");
    /* literals are normalized: traditional to simplified (賬 -> 账), trimmed */
    assert_string_equal(a->pattern, "安全账户");
    assert_false(a->is_regex);
    assert_int_equal(a->nconds, 0);
    assert_string_equal(a->file, "t.rules");
    assert_int_equal(a->line, 3);

    const struct fz_rule *b = fz_rules_find(r, "t.loan");
    assert_ptr_equal(b, fz_rules_get(r, 1));
    assert_string_equal(b->type, "fake_loan");
    assert_true(b->is_regex);
    assert_string_equal(b->pattern, "贷款|放款");
    assert_int_equal(b->nconds, 2);
    assert_int_equal(b->near, 60);
    assert_int_equal(b->line, 10);

    const struct fz_rule *c = fz_rules_find(r, "t.url");
    assert_null(c->pattern);
    assert_int_equal(c->nconds, 1);
    assert_int_equal(c->weight, 1);
    assert_null(fz_rules_find(r, "t.none"));
    assert_null(fz_rules_get(r, 3));
    fz_rules_unref(r);
}

static void test_types(void **state)
{
    (void)state;
    const char *names[FZ_FRAUD_TYPE_COUNT + 1]; /* core's fraud types and spam */
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        names[t] = fz_fraud_type_name(t);
    names[FZ_FRAUD_TYPE_COUNT] = "spam";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_string_equal(fz_rules_type_lookup(names[i], strlen(names[i])), names[i]);
    assert_null(fz_rules_type_lookup("fraud", 5));
    assert_null(fz_rules_type_lookup("spa", 3));
}

static void test_bad_table(void **state)
{
    (void)state;
    size_t n = 0;
    struct fzt_row *rows = fzt_rows_load("rules/bad.tsv", &n);
    assert_true(n >= 40);
    static const char head[] = "rule: a\ntype: phishing\nweight: 5\nzh: 中\nen: e";
    for (size_t i = 0; i < n; i++) {
        struct fzt_row *row = &rows[i];
        assert_int_equal(row->nfields, 4);
        char text[2048];
        const char *src = row->field[0];
        if (strncmp(src, "HEAD", 4) == 0)
            snprintf(text, sizeof text, "%s%s", head, src + 4);
        else
            snprintf(text, sizeof text, "%s", src);
        struct fz_err err = {0};
        struct fz_rules_builder *b = NULL;
        assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
        fz_rc rc = fz_rules_builder_add(b, "some/dir/t.rules", text, strlen(text), &err);
        if (rc != FZ_EPARSE || err.line != strtoul(row->field[1], NULL, 10) ||
            strcmp(err.field, strcmp(row->field[2], "-") == 0 ? "" : row->field[2]) != 0 ||
            strstr(err.msg, row->field[3]) == NULL)
            fail_msg("bad.tsv:%zu: got rc %d line %zu field '%s' msg '%s'", row->line, rc, err.line,
                     err.field, err.msg);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "t.rules:%zu: ", err.line);
        assert_true(strncmp(err.msg, prefix, strlen(prefix)) == 0);
        assert_int_equal(err.code, FZ_EPARSE);
        /* nothing of the failed file was kept */
        struct fz_rules *r = NULL;
        assert_int_equal(fz_rules_build(b, &r, NULL), FZ_OK);
        assert_int_equal(fz_rules_count(r), 0);
        fz_rules_unref(r);
        fz_rules_builder_free(b);
    }
    fzt_rows_free(rows, n);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    struct fz_rules_builder *b = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);

    const char bad_utf8[] = "rule: a\nzh: \xff\xfe\n";
    assert_int_equal(fz_rules_builder_add(b, "t.rules", bad_utf8, strlen(bad_utf8), &err),
                     FZ_EPARSE);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "");
    assert_string_equal(err.msg, "t.rules:2: invalid UTF-8");

    size_t len = FZ_RULES_MAX_LINE + 20;
    char *longline = malloc(len + 1);
    assert_non_null(longline);
    memcpy(longline, "rule: a\nzh: ", 12);
    memset(longline + 12, 'x', len - 12);
    longline[len] = '\0';
    assert_int_equal(fz_rules_builder_add(b, "t.rules", longline, len, &err), FZ_EPARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "line longer than 4096 bytes"));
    free(longline);

    assert_int_equal(fz_rules_builder_add(b, "t.rules", "x", FZ_RULES_MAX_FILE + 1, &err),
                     FZ_ETOOBIG);
    assert_int_equal(err.code, FZ_ETOOBIG);

    /* an embedded NUL in a regex cannot reach Hyperscan */
    const char nul[] = "rule: a\ntype: spam\nweight: 1\nzh: z\nen: e\nregex: a\0b\n";
    assert_int_equal(fz_rules_builder_add(b, "t.rules", nul, sizeof nul - 1, &err), FZ_EPARSE);
    assert_int_equal(err.line, 6);
    assert_string_equal(err.field, "regex");

    assert_int_equal(fz_rules_builder_add(NULL, "t", "", 0, &err), FZ_EINVAL);
    assert_int_equal(fz_rules_builder_add_file(b, "/nonexistent/x.rules", &err), FZ_EIO);
    assert_int_equal(fz_rules_builder_add_dir(b, "/nonexistent", &err), FZ_EIO);

    /* an empty file and a file of comments are fine */
    assert_int_equal(fz_rules_builder_add(b, "e.rules", "", 0, &err), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "e.rules", "# x\n\n", 5, &err), FZ_OK);
    fz_rules_builder_free(b);
    fz_rules_builder_free(NULL);
}

/* A failed second file leaves the first one's rules, and its ids stay taken. */
static void test_rollback(void **state)
{
    (void)state;
    struct fz_rules_builder *b = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    const char one[] = "rule: one\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: a\n";
    const char two[] = "rule: two\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: b\n"
                       "rule: three\ntype: spam\n";
    assert_int_equal(fz_rules_builder_add(b, "one.rules", one, strlen(one), &err), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "two.rules", two, strlen(two), &err), FZ_EPARSE);
    assert_string_equal(err.field, "weight");
    /* two was rolled back, so its id is free again; one is taken */
    const char again[] = "rule: two\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: b\n";
    assert_int_equal(fz_rules_builder_add(b, "two.rules", again, strlen(again), &err), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "x.rules", one, strlen(one), &err), FZ_EPARSE);
    assert_string_equal(err.msg, "x.rules:1: duplicate rule id 'one' (first in one.rules:1)");
    struct fz_rules *r = NULL;
    assert_int_equal(fz_rules_build(b, &r, &err), FZ_OK);
    assert_int_equal(fz_rules_count(r), 2);
    /* the builder is empty and reusable after a build */
    struct fz_rules *r2 = NULL;
    assert_int_equal(fz_rules_builder_add(b, "one.rules", one, strlen(one), &err), FZ_OK);
    assert_int_equal(fz_rules_build(b, &r2, &err), FZ_OK);
    assert_int_equal(fz_rules_count(r2), 1);
    fz_rules_unref(r);
    fz_rules_unref(r2);
    fz_rules_builder_free(b);
}

/* Every allocation failure while parsing, building and matching ends in FZ_ENOMEM with
 * nothing leaked (Hyperscan's own memory is not routed through the hook). */
static void test_fault_injection(void **state)
{
    (void)state;
    bool completed = false;
    for (unsigned long n = 1; n < 2000 && !completed; n++) {
        fzt_fail_alloc_after(n, true);
        struct fz_rules_builder *b = NULL;
        struct fz_rules *r = NULL;
        struct fz_rules_scratch *s = NULL;
        struct fz_text t;
        fz_text_init(&t);
        fz_rc rc = fz_rules_builder_new(&b);
        if (rc == FZ_OK)
            rc = fz_rules_builder_add(b, "t.rules", good, strlen(good), NULL);
        if (rc == FZ_OK)
            rc = fz_rules_build(b, &r, NULL);
        if (rc == FZ_OK)
            rc = fz_rules_scratch_new(r, &s);
        if (rc == FZ_OK)
            rc = fz_text_normalize("转入安全账户", strlen("转入安全账户"), &t);
        const struct fz_rule_hit *hits = NULL;
        size_t nhits = 0;
        if (rc == FZ_OK)
            rc = fz_rules_match(r, s, &t, NULL, &hits, &nhits);
        if (rc == FZ_OK) {
            assert_int_equal(nhits, 1);
            completed = true;
        } else {
            assert_int_equal(rc, FZ_ENOMEM);
        }
        fz_text_release(&t);
        fz_rules_scratch_free(s);
        fz_rules_unref(r);
        fz_rules_builder_free(b);
        assert_int_equal(fzt_alloc_restore(), 0);
    }
    assert_true(completed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file), cmocka_unit_test(test_types),
        cmocka_unit_test(test_bad_table), cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_rollback),  cmocka_unit_test(test_fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
