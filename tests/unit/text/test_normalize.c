/*
 * Unit tests for src/text/normalize.c: the table of tests/data/text/normalize.tsv (output,
 * counts, idempotence, offset maps), spans, invalid UTF-8, limits, memory reuse, failing
 * allocations and inputs of 1 MiB.
 */
#include "support.h"

#include "fangzha/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The invariants of a result for input in[0..len): valid UTF-8 and NUL-terminated, maps
 * inside the input, non-decreasing, equal for the bytes of one character, and on character
 * boundaries of a valid input. */
static void check_sane(const char *in, size_t len, const struct fz_text *t)
{
    assert_non_null(t->ptr);
    assert_int_equal(t->ptr[t->len], '\0');
    assert_true(fz_utf8_valid(t->ptr, t->len));
    assert_true(t->len < t->cap || (t->len == 0 && t->cap == 0));
    assert_true(t->obfuscation >= 0.0 && t->obfuscation <= 1.0);
    bool valid_in = fz_utf8_valid(in, len);
    for (size_t i = 0; i < t->len; i++) {
        uint32_t s = t->orig_start[i], e = t->orig_end[i];
        assert_true(s < e);
        assert_true(e <= len);
        if (i > 0) {
            assert_true(t->orig_start[i - 1] <= s);
            assert_true(t->orig_end[i - 1] <= e);
        }
        if (is_cont((unsigned char)t->ptr[i])) {
            assert_int_equal(t->orig_start[i - 1], s);
            assert_int_equal(t->orig_end[i - 1], e);
        }
        if (valid_in) {
            assert_false(is_cont((unsigned char)in[s]));
            assert_true(e == len || !is_cont((unsigned char)in[e]));
        }
    }
}

static void normalize_ok(const char *in, size_t len, struct fz_text *t)
{
    assert_int_equal(fz_text_normalize(in, len, t), FZ_OK);
    check_sane(in, len, t);
}

/* normalize(normalize(x)) == normalize(x) */
static void check_idempotent(const struct fz_text *t, const char *what)
{
    struct fz_text again;
    fz_text_init(&again);
    normalize_ok(t->ptr, t->len, &again);
    if (again.len != t->len || memcmp(again.ptr, t->ptr, t->len) != 0)
        fail_msg("not idempotent for %s: '%s' then '%s'", what, t->ptr, again.ptr);
    fz_text_release(&again);
}

static uint32_t count_named(const struct fz_text_undone *u, const char *name)
{
    static const struct {
        const char *name;
        size_t off;
    } keys[] = {
        {"chars", offsetof(struct fz_text_undone, chars)},
        {"fw", offsetof(struct fz_text_undone, fullwidth)},
        {"conf", offsetof(struct fz_text_undone, confusables)},
        {"trad", offsetof(struct fz_text_undone, traditional)},
        {"num", offsetof(struct fz_text_undone, cn_numerals)},
        {"sep", offsetof(struct fz_text_undone, separators)},
        {"zw", offsetof(struct fz_text_undone, zero_width)},
        {"emoji", offsetof(struct fz_text_undone, emoji)},
        {"bad", offsetof(struct fz_text_undone, invalid_utf8)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].name, name) == 0)
            return *(const uint32_t *)((const char *)u + keys[i].off);
    fail_msg("unknown count '%s' in the test table", name);
    return 0;
}

/* Checks the counts column of a row: "sep=3 num=11 obf>0.5". Counts not named must be 0. */
static void check_counts(const struct fz_text *t, const char *spec, size_t line)
{
    static const char *const all[] = {"fw", "conf", "trad", "num", "sep", "zw", "emoji", "bad"};
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    bool named[8] = {false};
    bool only_score = true;
    for (char *tok = buf, *next; tok && *tok; tok = next) {
        next = strchr(tok, ' ');
        if (next)
            *next++ = '\0';
        char *op = strpbrk(tok, "=<>");
        if (!op)
            fail_msg("line %zu: bad count '%s'", line, tok);
        char c = *op;
        *op = '\0';
        double want = strtod(op + 1, NULL);
        if (strcmp(tok, "obf") == 0) {
            double got = t->obfuscation;
            if ((c == '=' && got != want) || (c == '<' && !(got < want)) ||
                (c == '>' && !(got > want)))
                fail_msg("line %zu: obfuscation %.3f, want %c%s", line, got, c, op + 1);
            continue;
        }
        only_score = false;
        uint32_t got = count_named(&t->undone, tok);
        if (got != (uint32_t)want)
            fail_msg("line %zu: count %s is %u, want %u", line, tok, got, (unsigned)want);
        for (size_t k = 0; k < 8; k++)
            named[k] |= strcmp(all[k], tok) == 0;
    }
    for (size_t k = 0; k < 8 && !only_score; k++)
        if (!named[k] && count_named(&t->undone, all[k]) != 0)
            fail_msg("line %zu: count %s is %u, want 0", line, all[k],
                     count_named(&t->undone, all[k]));
}

/* ---- the table ---------------------------------------------------------------------------- */

static void test_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("text/normalize.tsv", &n);
    assert_true(n > 100);
    struct fz_text t;
    fz_text_init(&t);
    for (size_t i = 0; i < n; i++) {
        const struct fzt_row *r = &rows[i];
        if (r->nfields < 2)
            fail_msg("line %zu: needs input and expected output", r->line);
        const char *in = r->field[0];
        normalize_ok(in, strlen(in), &t);
        if (strcmp(t.ptr, r->field[1]) != 0)
            fail_msg("line %zu: '%s' gave '%s', want '%s'", r->line, in, t.ptr, r->field[1]);
        if (r->nfields > 2 && r->field[2][0])
            check_counts(&t, r->field[2], r->line);
        else if (t.undone.chars != 0 && strcmp(in, r->field[1]) == 0)
            assert_true(t.obfuscation == 0.0);
        check_idempotent(&t, in);
    }
    fz_text_release(&t);
    fzt_rows_free(rows, n);
}

/* ---- offsets ------------------------------------------------------------------------------ */

static void expect_span(const char *in, size_t start, size_t end, size_t want_start,
                        size_t want_end)
{
    struct fz_text t;
    fz_text_init(&t);
    normalize_ok(in, strlen(in), &t);
    size_t s = 99, e = 99;
    fz_text_span(&t, start, end, &s, &e);
    if (s != want_start || e != want_end)
        fail_msg("span [%zu, %zu) of '%s' ('%s') is [%zu, %zu), want [%zu, %zu)", start, end, in,
                 t.ptr, s, e, want_start, want_end);
    fz_text_release(&t);
}

static void test_spans(void **state)
{
    (void)state;
    /* 安(0-3) ' ' 全(4-7) ' ' 账(8-11) ' ' 户(12-15) -> 安全账户 */
    expect_span("安 全 账 户", 3, 9, 4, 11);
    expect_span("安 全 账 户", 0, 12, 0, 15);
    /* each digit maps to its numeral */
    expect_span("幺三八一二三四五六七八", 0, 3, 0, 9);
    expect_span("幺三八一二三四五六七八", 10, 11, 30, 33);
    /* 138 1234 5678: '1' of 1234 is original byte 4 */
    expect_span("138 1234 5678", 3, 7, 4, 8);
    expect_span("１３８ １２３４", 3, 4, 9, 10);
    expect_span("１３８ １２３４", 4, 5, 10, 13);
    expect_span("ＡＢＣ", 1, 2, 3, 6);
    /* a removed emoji belongs to no output byte */
    expect_span("安🔥全", 3, 6, 7, 10);
    /* collapsed white space maps to the first space of the run, trimmed ends to nothing */
    expect_span("  a   b  ", 1, 2, 3, 4);
    expect_span("  a   b  ", 2, 3, 6, 7);
    /* a fold longer than its character: every byte maps to the whole character */
    expect_span("x㎏y", 1, 3, 1, 4);
    expect_span("w e c h a t", 1, 5, 2, 9);
}

static void test_span_edges(void **state)
{
    (void)state;
    struct fz_text t;
    fz_text_init(&t);
    size_t s = 1, e = 1;
    fz_text_span(&t, 0, 1, &s, &e); /* an empty text maps to nothing */
    assert_int_equal(s, 0);
    assert_int_equal(e, 0);
    normalize_ok("abc", 3, &t);
    fz_text_span(&t, 1, 99, &s, &e); /* end is clamped */
    assert_int_equal(s, 1);
    assert_int_equal(e, 3);
    fz_text_span(&t, 2, 2, &s, &e); /* an empty span reads as its last byte */
    assert_int_equal(s, 1);
    assert_int_equal(e, 2);
    fz_text_release(&t);
}

/* ---- invalid UTF-8 ------------------------------------------------------------------------ */

static void expect_repair(const char *in, size_t len, const char *want, uint32_t bad)
{
    struct fz_text t;
    fz_text_init(&t);
    normalize_ok(in, len, &t);
    if (strcmp(t.ptr, want) != 0)
        fail_msg("repair of %zu bytes gave '%s', want '%s'", len, t.ptr, want);
    assert_int_equal(t.undone.invalid_utf8, bad);
    assert_true(t.obfuscation > 0.0);
    check_idempotent(&t, "invalid UTF-8");
    fz_text_release(&t);
}

#define FFFD "\xEF\xBF\xBD"

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_repair("a\377b", 3, "a" FFFD "b", 1);
    expect_repair("\xFF\xFE", 2, FFFD FFFD, 2);
    expect_repair("\x80", 1, FFFD, 1);                            /* stray continuation */
    expect_repair("a\xC3", 2, "a" FFFD, 1);                       /* truncated at the end */
    expect_repair("\344\270x", 3, FFFD FFFD "x", 2);              /* truncated in the middle */
    expect_repair("\xC0\xAF", 2, FFFD FFFD, 2);                   /* overlong */
    expect_repair("\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);          /* surrogate */
    expect_repair("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4); /* above U+10FFFF */
    expect_repair("安\xFF全", 7, "安" FFFD "全", 1);
    expect_repair("a\0b", 3, "ab", 0); /* NUL is a control character: removed */

    struct fz_text t;
    fz_text_init(&t);
    normalize_ok("a\377b", 3, &t);
    size_t s, e;
    fz_text_span(&t, 1, 4, &s, &e);
    assert_int_equal(s, 1);
    assert_int_equal(e, 2);
    fz_text_release(&t);
}

/* ---- limits and arguments ----------------------------------------------------------------- */

static void test_limits(void **state)
{
    (void)state;
    struct fz_text t;
    fz_text_init(&t);
    assert_string_equal(t.ptr, "");
    assert_int_equal(fz_text_normalize(NULL, 0, &t), FZ_OK);
    assert_string_equal(t.ptr, "");
    assert_int_equal(fz_text_normalize(NULL, 1, &t), FZ_EINVAL);
    assert_int_equal(fz_text_normalize("x", 1, NULL), FZ_EINVAL);

    char *big = malloc(FZ_CAP_SMS_TEXT + 1);
    assert_non_null(big);
    memset(big, 'a', FZ_CAP_SMS_TEXT + 1);
    normalize_ok("abc", 3, &t);
    assert_int_equal(fz_text_normalize(big, FZ_CAP_SMS_TEXT + 1, &t), FZ_ETOOBIG);
    assert_int_equal(t.len, 0);
    assert_string_equal(t.ptr, "");
    assert_int_equal(t.undone.chars, 0);
    assert_true(t.obfuscation == 0.0);
    normalize_ok(big, FZ_CAP_SMS_TEXT, &t);
    assert_int_equal(t.len, FZ_CAP_SMS_TEXT);
    free(big);
    fz_text_release(&t);
    fz_text_release(&t); /* released twice: the second is a no-op */
    fz_text_release(NULL);
}

/* Once t has grown, normalizing does not allocate. */
static void test_reuse(void **state)
{
    (void)state;
    fzt_fail_alloc_after(0, false); /* counts, never fails */
    struct fz_text t;
    fz_text_init(&t);
    const char *first_in =
        "【工商银行】您的账户 138 1234 5678 異常，請點擊 http://x.cn 驗證 w e c h a t";
    const char *next_in = "安 全 账 户 幺三八一二三四五六七八 ｗｅｃｈａｔ 🔥";
    normalize_ok(first_in, strlen(first_in), &t);
    unsigned long first = fzt_alloc_count();
    assert_true(first > 0);
    for (int i = 0; i < 100; i++)
        normalize_ok(next_in, strlen(next_in), &t);
    assert_int_equal(fzt_alloc_count(), first);
    fz_text_release(&t);
    assert_int_equal(fzt_alloc_restore(), 0);
}

/* ---- failing allocations ------------------------------------------------------------------ */

/* Normalizes in with the nth allocation and all after it failing, from a fresh t or from one
 * that already holds a small text. Returns false once n is past every allocation made. */
static bool fail_nth(unsigned long n, const char *in, size_t len, bool warm)
{
    struct fz_text t;
    fz_text_init(&t);
    long held = 0; /* blocks t holds before the failures start */
    if (warm) {
        fzt_fail_alloc_after(0, false);
        normalize_ok("warm", 4, &t);
        held = fzt_alloc_restore();
        assert_int_equal(held, 3);
    }
    fzt_fail_alloc_after(n, true);
    fz_rc rc = fz_text_normalize(in, len, &t);
    bool failed = rc != FZ_OK;
    if (failed) {
        assert_int_equal(rc, FZ_ENOMEM);
        assert_int_equal(t.len, 0);
        assert_int_equal(t.ptr[0], '\0');
        assert_int_equal(t.undone.chars, 0);
    } else {
        check_sane(in, len, &t);
    }
    fz_text_release(&t);
    long live = fzt_alloc_restore() + held;
    if (live != 0)
        fail_msg("allocation %lu failing leaked %ld blocks", n, live);
    return failed;
}

static void test_fail_alloc(void **state)
{
    (void)state;
    /* invalid bytes triple in size, so the text grows during the fold */
    char in[600];
    for (size_t i = 0; i < sizeof in; i += 3)
        memcpy(in + i, i % 2 ? "\xFF\xFE\xFD" : "安 全", 3);
    for (int warm = 0; warm < 2; warm++) {
        unsigned long n = 1;
        while (fail_nth(n, in, sizeof in, warm))
            n++;
        assert_true(n > 3); /* the first allocations and a growth were exercised */
    }
}

/* ---- 1 MiB of one character --------------------------------------------------------------- */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Fills FZ_CAP_SMS_TEXT bytes with copies of unit and normalizes them; a pass that is not
 * linear would take minutes on 1 MiB, so a generous bound tells. */
static void normalize_mib(const char *unit)
{
    size_t n = strlen(unit), len = FZ_CAP_SMS_TEXT / n * n;
    char *in = malloc(len);
    assert_non_null(in);
    for (size_t i = 0; i < len; i += n)
        memcpy(in + i, unit, n);
    struct fz_text t;
    fz_text_init(&t);
    double t0 = seconds();
    normalize_ok(in, len, &t);
    double el = seconds() - t0;
    if (el > 10.0)
        fail_msg("1 MiB of '%s' took %.1f s", unit, el);
    if (t.len <= FZ_CAP_SMS_TEXT) /* invalid bytes triple: too big to normalize again */
        check_idempotent(&t, unit);
    fz_text_release(&t);
    free(in);
}

static void test_mib(void **state)
{
    (void)state;
    static const char *const units[] = {
        "a",  "安", " ", "\xFF",         "一",  "幺",  "①",      "1 ", "a ",           "安 ", "1-",
        "a.", "-",  "🔥", "\xE2\x80\x8B", "12 ", "ab ", "x.com/", "1.", "a b c 1 2 3 ", "Ａ",
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        normalize_mib(units[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),      cmocka_unit_test(test_spans),
        cmocka_unit_test(test_span_edges), cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_limits),     cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_fail_alloc), cmocka_unit_test(test_mib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
