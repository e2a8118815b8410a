/*
 * Unit tests for src/text/gaps.c, which this file includes to reach its statics: the URL
 * test, dates, the decisions on runs of digit groups and units of numerals, the hints that
 * bound each pass, and the squeeze. The rules as a whole are tested through
 * fz_text_normalize in test_normalize.c.
 */
#include "support.h"

#include "gaps.c"

#include "fangzha/text.h"

static void test_url_like(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        bool is_url;
    } cases[] = {
        {"http://a", true},
        {"https://t.cn/a6x930", true},
        {"www.x", true},
        {"t.cn/a", true},
        {"example.com", true},
        {"a.b.com:8080", true},
        {"x.com?q=1", true},
        {"a@b.cn", true},
        {"a@b.1", false},
        {"w.e.c.h.a.t", false},
        {"u.s.a.", false},
        {"e.g.", false},
        {"138.1234.5678", false},
        {"3.14", false},
        {"a/b/c", false},
        {"v1.2.3", false},
        {"", false},
        {"end.start", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *w = cases[i].word;
        if (url_like(w, strlen(w)) != cases[i].is_url)
            fail_msg("url_like('%s') should be %d", w, cases[i].is_url);
    }
}

static struct group grp(unsigned n, unsigned value, bool is_ascii)
{
    struct group g = {0};
    g.n = n;
    g.value = value;
    g.is_ascii = is_ascii;
    return g;
}

static void test_dates(void **state)
{
    (void)state;
    struct group y = grp(4, 2024, true), m = grp(2, 1, true), d = grp(2, 15, true);
    assert_true(is_date(&y, &m, &d, '-', '-'));
    assert_true(is_date(&y, &m, &d, ' ', ' '));
    assert_true(is_date(&d, &m, &y, '/', '/'));
    struct group yy = grp(2, 24, true);
    assert_true(is_date(&yy, &m, &d, '.', '.'));
    assert_false(is_date(&yy, &m, &d, ' ', ' ')); /* two-digit years only with - / . */
    assert_false(is_date(&yy, &m, &d, '-', '/'));
    struct group bad_month = grp(2, 13, true);
    assert_false(is_date(&y, &bad_month, &d, '-', '-'));
    struct group phone = grp(4, 1234, true), rest = grp(4, 5678, true), pre = grp(3, 138, true);
    assert_false(is_date(&pre, &phone, &rest, ' ', ' '));
    struct group weak = grp(4, 0, false);
    assert_false(is_date(&weak, &m, &d, '-', '-'));
}

/* A run of groups of the given digit counts (ASCII, value 0) joined by gaps with sep. */
static bool run_of(const unsigned *lens, size_t n, char sep)
{
    struct digit_run r = {0};
    struct gap gap = {0};
    gap.sep = sep;
    gap.has_dot = sep == '.';
    for (size_t i = 0; i < n; i++) {
        struct group g = grp(lens[i], 0, true);
        run_add(&r, &g, i ? &gap : NULL);
    }
    return run_is_number(&r);
}

static void test_runs(void **state)
{
    (void)state;
    assert_true(run_of((const unsigned[]){3, 4, 4}, 3, ' ')); /* 138 1234 5678 */
    assert_true(run_of((const unsigned[]){3, 8}, 2, '-'));    /* 010-12345678 */
    assert_true(run_of((const unsigned[]){1, 1, 1, 1, 1, 1, 1}, 7, ' '));
    assert_true(run_of((const unsigned[]){3, 4, 4}, 3, '.')); /* 138.1234.5678 */
    assert_false(run_of((const unsigned[]){3}, 1, ' '));
    assert_false(run_of((const unsigned[]){3, 3}, 2, '-'));       /* 100-200 */
    assert_false(run_of((const unsigned[]){4, 4}, 2, '-'));       /* 2000-3000 */
    assert_false(run_of((const unsigned[]){1, 1, 4}, 3, '-'));    /* 5-2-1003 */
    assert_false(run_of((const unsigned[]){1, 7}, 2, '.'));       /* 3.1415926 */
    assert_false(run_of((const unsigned[]){2, 1, 5}, 3, '.'));    /* 10.0.19045 */
    assert_false(run_of((const unsigned[]){3, 3, 3, 3}, 4, '.')); /* 192.168.100.200 */
}

static void test_units(void **state)
{
    (void)state;
    const struct fz__text_prop *ten = fz__text_lookup(0x5341); /* 十 */
    const struct fz__text_prop *ge = fz__text_lookup(0x4E2A);  /* 个 */
    struct unit u = {.digits = 5, .weak = 5};
    assert_true(unit_is_number(&u, NULL, NULL));
    assert_true(unit_is_number(&u, ge, ge));
    assert_false(unit_is_number(&u, NULL, ten)); /* 一二三四五十 */
    assert_false(unit_is_number(&u, ten, NULL));
    u = (struct unit){.digits = 4, .weak = 4};
    assert_false(unit_is_number(&u, NULL, NULL)); /* 三三两两 */
    u = (struct unit){.digits = 4, .weak = 3, .has_ascii = true};
    assert_true(unit_is_number(&u, NULL, NULL)); /* 5一二三 */
    u = (struct unit){.digits = 4, .weak = 1, .last_weak = true, .has_ascii = true};
    assert_false(unit_is_number(&u, NULL, NULL)); /* 359一 (瓶) */
    u.has_special = true;
    assert_true(unit_is_number(&u, NULL, NULL)); /* 138幺 */
    u = (struct unit){.digits = 11, .weak = 1, .last_weak = true, .has_ascii = true};
    assert_false(unit_is_number(&u, NULL, NULL)); /* 2660250300两 (天) */
    u.last_weak = false;
    assert_true(unit_is_number(&u, NULL, NULL)); /* 138一2345678 */
    u.digits = 5;
    assert_false(unit_is_number(&u, NULL, NULL)); /* 40一50 (元) */
    u = (struct unit){.digits = 3, .weak = 3, .has_special = true};
    assert_true(unit_is_number(&u, NULL, NULL)); /* 幺幺零 */
    u = (struct unit){.digits = 11};
    assert_false(unit_is_number(&u, NULL, NULL)); /* ASCII only: nothing to convert */
}

/* The numerals pass looks only between its hints. */
static void test_numerals_bounds(void **state)
{
    (void)state;
    struct fz_text t;
    fz_text_init(&t);
    const char *in = "一二三四五六 x 一二三四五六";
    assert_int_equal(fz_text_normalize(in, strlen(in), &t), FZ_OK);
    assert_string_equal(t.ptr, "123456 x 123456");
    fz_text_release(&t);

    /* the same folded text, with the pass bounded to the first unit */
    struct fz_text raw;
    fz_text_init(&raw);
    char s[] = "一二三四五六 x 一二三四五六";
    uint32_t os[sizeof s], oe[sizeof s];
    for (size_t i = 0; i < sizeof s; i++)
        os[i] = (uint32_t)i, oe[i] = (uint32_t)i + 1;
    raw.ptr = s;
    raw.len = sizeof s - 1;
    raw.orig_start = os;
    raw.orig_end = oe;
    assert_true(fz__text_numerals(&raw, 0, 3));
    fz__text_squeeze(&raw);
    raw.ptr[raw.len] = '\0';
    assert_string_equal(raw.ptr, "123456 x 一二三四五六");
    assert_int_equal(raw.undone.cn_numerals, 6);
    assert_int_equal(raw.orig_start[1], 3); /* '2' still maps to 二 */
    assert_int_equal(raw.orig_end[1], 4);
}

static void test_squeeze(void **state)
{
    (void)state;
    struct fz_text t;
    fz_text_init(&t);
    char s[] = "a\377\377bc\377d\377"; /* \377: FZ__TEXT_GONE */
    uint32_t os[sizeof s], oe[sizeof s];
    for (size_t i = 0; i < sizeof s; i++)
        os[i] = (uint32_t)i * 10, oe[i] = (uint32_t)i * 10 + 5;
    t.ptr = s;
    t.len = sizeof s - 1;
    t.orig_start = os;
    t.orig_end = oe;
    fz__text_squeeze(&t);
    assert_int_equal(t.len, 4);
    assert_memory_equal(t.ptr, "abcd", 4);
    const uint32_t want[] = {0, 30, 40, 60};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(t.orig_start[i], want[i]);
        assert_int_equal(t.orig_end[i], want[i] + 5);
    }
    t.len = 0;
    fz__text_squeeze(&t); /* nothing to do */
    assert_int_equal(t.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_like),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_numerals_bounds),
        cmocka_unit_test(test_squeeze),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
