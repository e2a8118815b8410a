/*
 * fuzz_rules: libFuzzer driver for the rule language (src/rules) and for matching.
 *
 * The first byte picks the mode. Even: the rest is a rule file; parsing never crashes, a
 * parse error always carries a line inside the file and a message naming the file, and a
 * file that parses builds (or reports the rule that Hyperscan refused). Odd: the rest is a
 * message, normalized, extracted and matched against the shipped rule set (shipped.h); every hit's
 * span lies inside the normalized text, each rule hits at most once, and matching twice gives the
 * same hits.
 */
#include "fangzha/rules.h"

#include "shipped.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fz_rules *shipped;
static struct fz_rules_scratch *scratch;
static struct fz_extractor *ex;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_rules: property failed: %s\n", what);
        abort();
    }
}

static void load_shipped(void)
{
    shipped = fuzz_load_shipped("fuzz_rules");
    check(fz_rules_scratch_new(shipped, &scratch) == FZ_OK, "scratch");
    check(fz_extractor_new(&ex) == FZ_OK, "extractor");
}

static void fuzz_parse(const char *s, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += s[i] == '\n';
    struct fz_rules_builder *b = NULL;
    check(fz_rules_builder_new(&b) == FZ_OK, "builder");
    struct fz_err err = {0};
    fz_rc rc = fz_rules_builder_add(b, "f.rules", s, size, &err);
    if (rc == FZ_EPARSE) {
        check(err.line >= 1 && err.line <= lines, "error line inside the file");
        check(strncmp(err.msg, "f.rules:", 8) == 0, "message names the file");
    } else {
        check(rc == FZ_OK, "parse ok or a parse error");
        struct fz_rules *r = NULL;
        memset(&err, 0, sizeof err);
        rc = fz_rules_build(b, &r, &err);
        check(rc == FZ_OK || (rc == FZ_EPARSE && err.line >= 1 && err.line <= lines) ||
                  rc == FZ_EINVAL, /* a database Hyperscan cannot build as a whole */
              "build ok or a located error");
        fz_rules_unref(r);
    }
    fz_rules_builder_free(b);
}

static void fuzz_match(const char *s, size_t size)
{
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities e;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    if (fz_text_normalize(s, size, &t) == FZ_OK && fz_extract(ex, &t, s, size, &a, &e) == FZ_OK) {
        const struct fz_rule_hit *hits = NULL;
        size_t n = 0;
        check(fz_rules_match(shipped, scratch, &t, &e, &hits, &n) == FZ_OK, "match");
        check(n <= fz_rules_count(shipped), "at most one hit per rule");
        const struct fz_rule *first[4] = {0};
        for (size_t i = 0; i < n; i++) {
            if (hits[i].has_span)
                check(hits[i].start < hits[i].end && hits[i].end <= t.len, "span inside");
            for (size_t j = 0; j < i; j++)
                check(hits[j].rule != hits[i].rule, "each rule once");
            if (i < 4)
                first[i] = hits[i].rule;
        }
        size_t n2 = 0;
        check(fz_rules_match(shipped, scratch, &t, &e, &hits, &n2) == FZ_OK, "match again");
        check(n2 == n, "deterministic count");
        for (size_t i = 0; i < n2 && i < 4; i++)
            check(hits[i].rule == first[i], "deterministic hits");
    }
    fz_arena_release(&a);
    fz_text_release(&t);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiling the shipped set takes seconds under the sanitizers: do it once, before the first
 * input, so it does not count against the per-input timeout. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    load_shipped();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    if (data[0] % 2 == 0)
        fuzz_parse(s, size - 1);
    else
        fuzz_match(s, size - 1);
    return 0;
}
