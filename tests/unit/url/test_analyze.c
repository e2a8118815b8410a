/* Unit tests for src/url/analyze.c: the context and the analyzer, table-driven from
 * tests/data/url/analyze.tsv (input -> url, host, registrable domain, flags, lookalike_of),
 * plus caps, reasons, idempotence, allocation failures and the shared phishing datasets
 * (../shared/data, skipped with a message when absent). */
#include "support.h"

#include "fangzha/url.h"

#include <stdio.h>
#include <string.h>

static struct fz_url_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    return fz_url_ctx_new(&ctx) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_url_ctx_free(ctx);
    return 0;
}

/* The flag bits named in "a,b,c" ("-" for none). */
static uint32_t parse_flags(const char *s, size_t line)
{
    uint32_t flags = 0;
    if (!strcmp(s, "-"))
        return 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        uint32_t bit = 0;
        for (uint32_t b = 1; b < (1u << FZ_URL_FLAG_COUNT); b <<= 1)
            if (strlen(fz_url_flag_name(b)) == n && !memcmp(fz_url_flag_name(b), s, n))
                bit = b;
        if (!bit)
            fail_msg("analyze.tsv line %zu: unknown flag '%.*s'", line, (int)n, s);
        flags |= bit;
        s += n + (s[n] == ',');
    }
    return flags;
}

static void expect_str(const char *what, const char *got, const char *want, size_t line)
{
    if (!strcmp(want, "-") ? got != NULL : !got || strcmp(got, want) != 0)
        fail_msg("analyze.tsv line %zu: %s is '%s', expected '%s'", line, what,
                 got ? got : "(null)", want);
}

/* Invariants of every result: risk within 0..100, reasons non-NULL and in static storage with a
 * code and both texts; a valid result has url and host. */
static void check_sane(const struct fz_url *u)
{
    assert_true(u->risk >= 0 && u->risk <= 100);
    assert_true(u->nreasons >= 0 && u->nreasons <= FZ_URL_MAX_REASONS);
    int sum = 0;
    for (int i = 0; i < u->nreasons; i++) {
        assert_non_null(u->reasons[i]);
        assert_non_null(u->reasons[i]->code);
        assert_non_null(u->reasons[i]->zh);
        assert_non_null(u->reasons[i]->en);
        assert_true(u->reasons[i]->weight > 0);
        sum += u->reasons[i]->weight;
    }
    assert_int_equal(u->risk, sum > 100 ? 100 : sum);
    if (!u->valid) {
        assert_null(u->url);
        assert_int_equal(u->flags, 0);
        return;
    }
    assert_non_null(u->url);
    assert_non_null(u->host);
    assert_true(!(u->flags & FZ_URL_LOOKALIKE) == !u->lookalike_of);
    assert_true(!(u->flags & FZ_URL_IP_HOST) || !u->registrable_domain);
}

static void test_table(void **state)
{
    (void)state;
    size_t nrows;
    struct fzt_row *rows = fzt_rows_load("url/analyze.tsv", &nrows);
    assert_true(nrows >= 100);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    for (size_t r = 0; r < nrows; r++) {
        const struct fzt_row *row = &rows[r];
        struct fz_url u;
        fz_arena_reset(&a);
        assert_int_equal(fz_url_analyze(ctx, row->field[0], strlen(row->field[0]), &a, &u), FZ_OK);
        check_sane(&u);
        if (row->nfields == 2) {
            if (u.valid)
                fail_msg("analyze.tsv line %zu: '%s' is valid ('%s'), expected not a URL",
                         row->line, row->field[0], u.url);
            continue;
        }
        assert_int_equal(row->nfields, 6);
        if (!u.valid)
            fail_msg("analyze.tsv line %zu: '%s' is not valid", row->line, row->field[0]);
        expect_str("url", u.url, row->field[1], row->line);
        expect_str("host", u.host, row->field[2], row->line);
        expect_str("registrable_domain", u.registrable_domain, row->field[3], row->line);
        if (u.flags != parse_flags(row->field[4], row->line))
            fail_msg("analyze.tsv line %zu: flags %#x, expected %s", row->line, u.flags,
                     row->field[4]);
        expect_str("lookalike_of", u.lookalike_of, row->field[5], row->line);
    }
    fz_arena_release(&a);
    fzt_rows_free(rows, nrows);
}

/* analyze(u.url) gives the same url, host and registrable domain. */
static void test_idempotent(void **state)
{
    (void)state;
    size_t nrows;
    struct fzt_row *rows = fzt_rows_load("url/analyze.tsv", &nrows);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    for (size_t r = 0; r < nrows; r++) {
        struct fz_url u, v;
        const char *in = rows[r].field[0];
        assert_int_equal(fz_url_analyze(ctx, in, strlen(in), &a, &u), FZ_OK);
        if (!u.valid)
            continue;
        assert_int_equal(fz_url_analyze(ctx, u.url, strlen(u.url), &a, &v), FZ_OK);
        assert_true(v.valid);
        assert_string_equal(v.url, u.url);
        assert_string_equal(v.host, u.host);
        assert_true(!u.registrable_domain == !v.registrable_domain);
        if (u.registrable_domain)
            assert_string_equal(v.registrable_domain, u.registrable_domain);
        assert_int_equal(v.flags & ~FZ_URL_NO_SCHEME & ~FZ_URL_USERINFO,
                         u.flags & ~FZ_URL_NO_SCHEME & ~FZ_URL_USERINFO);
    }
    fz_arena_release(&a);
    fzt_rows_free(rows, nrows);
}

static void test_caps_and_bytes(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 0);
    struct fz_url u;
    static char big[8193];
    memcpy(big, "http://x.com/", 13);
    memset(big + 13, 'a', sizeof big - 13);
    assert_int_equal(fz_url_analyze(ctx, big, sizeof big, &a, &u), FZ_ETOOBIG);
    assert_false(u.valid);
    assert_int_equal(fz_url_analyze(ctx, big, sizeof big - 1, &a, &u), FZ_OK);
    assert_true(u.valid);
    /* Not NUL-terminated: only len bytes count. */
    assert_int_equal(fz_url_analyze(ctx, "t.cn/abcdef", 4, &a, &u), FZ_OK);
    assert_string_equal(u.url, "http://t.cn/");
    /* Control characters, NUL, empty and blank input are not URLs. */
    const char *bad[] = {"http://x.com/\x01", "", "   ", "http://x.com/\x7f"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(fz_url_analyze(ctx, bad[i], strlen(bad[i]), &a, &u), FZ_OK);
        assert_false(u.valid);
    }
    assert_int_equal(fz_url_analyze(ctx, "x.com\0/a", 8, &a, &u), FZ_OK);
    assert_false(u.valid);
    fz_arena_release(&a);
}

static void test_reasons(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 0);
    struct fz_url u;
    const char *in = "http://user@xn--pypal-4ve.top:8080/x";
    assert_int_equal(fz_url_analyze(ctx, in, strlen(in), &a, &u), FZ_OK);
    check_sane(&u);
    assert_int_equal(u.risk, 100); /* clamped */
    const char *codes[] = {"url.lookalike", "url.punycode", "url.userinfo", "url.nonstandard_port",
                           "url.risky_tld"};
    assert_int_equal(u.nreasons, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(u.reasons[i]->code, codes[i]);
    assert_int_equal(fz_url_analyze(ctx, "https://www.icbc.com.cn/", 24, &a, &u), FZ_OK);
    assert_int_equal(u.risk, 0);
    assert_int_equal(u.nreasons, 0);
    for (uint32_t b = 1; b < (1u << FZ_URL_FLAG_COUNT); b <<= 1)
        assert_non_null(fz_url_flag_name(b));
    assert_null(fz_url_flag_name(1u << FZ_URL_FLAG_COUNT));
    assert_null(fz_url_flag_name(3));
    fz_arena_release(&a);
}

/* Every allocation failure ends in FZ_ENOMEM without a leak. */
static void test_alloc_failures(void **state)
{
    (void)state;
    for (unsigned long n = 1;; n++) {
        struct fz_url_ctx *c = NULL;
        fzt_fail_alloc_after(n, true);
        fz_rc rc = fz_url_ctx_new(&c);
        if (rc == FZ_OK)
            fz_url_ctx_free(c);
        else
            assert_int_equal(rc, FZ_ENOMEM);
        assert_int_equal(fzt_alloc_restore(), 0);
        if (rc == FZ_OK)
            break;
        assert_true(n < 100000);
    }
    const char *in = "https://user@www.icbc.com.cn.verify.xyz:8080/login?a=1";
    for (unsigned long n = 1;; n++) {
        struct fz_arena a;
        struct fz_url u;
        fzt_fail_alloc_after(n, true);
        fz_arena_init(&a, 64);
        fz_rc rc = fz_url_analyze(ctx, in, strlen(in), &a, &u);
        fz_arena_release(&a);
        assert_int_equal(fzt_alloc_restore(), 0);
        if (rc == FZ_OK) {
            assert_true(u.valid);
            break;
        }
        assert_int_equal(rc, FZ_ENOMEM);
        assert_false(u.valid);
    }
}

/* Legitimate popular hosts are never lookalikes. */
static void test_legit_top(void **state)
{
    (void)state;
    size_t nrows;
    struct fzt_row *rows = fzt_rows_load("url/legit_top.txt", &nrows);
    assert_true(nrows >= 100);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    for (size_t r = 0; r < nrows; r++) {
        struct fz_url u;
        fz_arena_reset(&a);
        assert_int_equal(fz_url_analyze(ctx, rows[r].field[0], strlen(rows[r].field[0]), &a, &u),
                         FZ_OK);
        assert_true(u.valid);
        if (u.flags & FZ_URL_LOOKALIKE)
            fail_msg("legit_top.txt line %zu: %s is taken for a lookalike of %s", rows[r].line,
                     u.host, u.lookalike_of);
    }
    fz_arena_release(&a);
    fzt_rows_free(rows, nrows);
}

/* ---- the shared datasets -------------------------------------------------------------- */

struct tally {
    unsigned long rows, valid, flagged, lookalike, risky;
};

/* Runs find and analyze over column col of a labelled TSV in ../shared/data; label "1" is
 * the bad class. Checks the invariants on every row and prints the flag rates. */
static void run_dataset(const char *rel, const char *col, struct tally t[2])
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FZ_SHARED_DATA, rel);
    FILE *f = fopen(path, "r");
    if (!f) {
        print_message("skipped: %s is not present\n", path);
        skip();
    }
    struct fz_tsv tsv;
    assert_int_equal(fz_tsv_open(&tsv, f, FZ_CAP_LINE, NULL), FZ_OK);
    int ci = fz_tsv_col(&tsv, col), li = fz_tsv_col(&tsv, "label");
    assert_true(ci >= 0 && li >= 0);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    memset(t, 0, 2 * sizeof *t);
    fz_rc rc;
    while ((rc = fz_tsv_next(&tsv, NULL)) != FZ_EOF) {
        if (rc)
            continue;
        struct fz_str s = tsv.field[ci];
        struct tally *k = &t[tsv.field[li].len == 1 && tsv.field[li].ptr[0] == '1'];
        struct fz_url u;
        fz_arena_reset(&a);
        k->rows++;
        if (fz_url_analyze(ctx, s.ptr, s.len, &a, &u) != FZ_OK)
            continue;
        check_sane(&u);
        k->valid += u.valid;
        k->flagged += (u.flags & ~FZ_URL_NO_SCHEME) != 0;
        k->lookalike += (u.flags & FZ_URL_LOOKALIKE) != 0;
        k->risky += u.risk > 0;
        size_t pos = 0, st, en, last = 0;
        while (fz_url_find(s.ptr, s.len, &pos, &st, &en)) {
            assert_true(st >= last && st < en && en <= s.len);
            last = en;
        }
    }
    fz_arena_release(&a);
    fz_tsv_release(&tsv);
    fclose(f);
    const char *names[2] = {"legitimate", "phishing"};
    for (int i = 0; i < 2; i++)
        print_message("%s: %s rows %lu, valid %lu, any flag %lu (%.1f%%), lookalike %lu "
                      "(%.2f%%), risk > 0 %lu (%.1f%%)\n",
                      rel, names[i], t[i].rows, t[i].valid, t[i].flagged,
                      100.0 * (double)t[i].flagged / (double)(t[i].rows ? t[i].rows : 1),
                      t[i].lookalike,
                      100.0 * (double)t[i].lookalike / (double)(t[i].rows ? t[i].rows : 1),
                      t[i].risky, 100.0 * (double)t[i].risky / (double)(t[i].rows ? t[i].rows : 1));
}

static void test_phishing_urls(void **state)
{
    (void)state;
    struct tally t[2];
    run_dataset("phishing-urls/urls.tsv", "url", t);
    assert_true(t[0].rows > 0 && t[1].rows > 0);
}

static void test_eth_phishing_domains(void **state)
{
    (void)state;
    struct tally t[2];
    run_dataset("eth-phishing-domains/domains.tsv", "domain", t);
    assert_true(t[0].rows > 0 && t[1].rows > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),          cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_caps_and_bytes), cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_alloc_failures), cmocka_unit_test(test_legit_top),
        cmocka_unit_test(test_phishing_urls),  cmocka_unit_test(test_eth_phishing_domains),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
