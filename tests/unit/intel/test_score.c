/*
 * Unit tests for src/intel/score.c: fz_ind_score grows with the number and quality of
 * reports (with diminishing returns), stays below 80 without a confirmation, halves every
 * half-life after the newest report, never drops below 80 once confirmed, and stays in 0..100
 * whatever the counts.
 */
#include "support.h"

#include "fangzha/intel.h"

#include <limits.h>

#define DAY_MS 86400000LL
#define NOW (1700000000000LL)

static int score(int reports, int partner, int sightings, int64_t age_days, bool confirmed)
{
    struct fz_ind_evidence ev = {reports, partner, sightings, NOW - age_days * DAY_MS, confirmed};
    return fz_ind_score(&ev, NOW, 30);
}

static void test_none(void **state)
{
    (void)state;
    struct fz_ind_evidence ev = {0};
    assert_int_equal(fz_ind_score(&ev, NOW, 30), 0);
    assert_int_equal(fz_ind_score(NULL, NOW, 30), 0);
    ev.confirmed = true;
    assert_int_equal(fz_ind_score(&ev, NOW, 30), 80);
}

/* The formula's fixed points (docs/internals/intel.md): q = 0.35, 0.6, 0.2. */
static void test_values(void **state)
{
    (void)state;
    assert_int_equal(score(1, 0, 0, 0, false), 35);
    assert_int_equal(score(2, 0, 0, 0, false), 58);
    assert_int_equal(score(1, 1, 0, 0, false), 60);
    assert_int_equal(score(0, 0, 1, 0, false), 20);
    assert_int_equal(score(2, 1, 0, 0, false), 74);
    assert_int_equal(score(1, 1, 0, 0, true), 80);
    assert_int_equal(score(3, 3, 0, 0, true), 94);
}

static void test_monotonic_in_reports(void **state)
{
    (void)state;
    int prev = -1;
    for (int n = 0; n <= 200; n++) {
        int s = score(n, 0, 0, 0, false);
        assert_true(s >= prev);
        if (n <= 3)
            assert_true(s > prev); /* strictly, while far from the cap */
        prev = s;
    }
    assert_int_equal(prev, 79); /* capped below the confirmed band */
    prev = -1;
    for (int n = 0; n <= 50; n++) {
        int s = score(n, n, 0, 0, true);
        assert_true(s >= prev);
        prev = s;
    }
    assert_int_equal(prev, 100);
    /* Diminishing returns: each report adds less than the one before. */
    assert_true(score(2, 0, 0, 0, false) - score(1, 0, 0, 0, false) <
                score(1, 0, 0, 0, false) - score(0, 0, 0, 0, false));
}

static void test_quality(void **state)
{
    (void)state;
    /* Two reports: the more of them from partners, the higher. */
    assert_true(score(2, 0, 0, 0, false) < score(2, 1, 0, 0, false));
    assert_true(score(2, 1, 0, 0, false) < score(2, 2, 0, 0, false) ||
                score(2, 2, 0, 0, false) == 79);
    /* A partner's report outweighs a resident's, and a sighting weighs least. */
    assert_true(score(0, 0, 1, 0, false) < score(1, 0, 0, 0, false));
    assert_true(score(1, 0, 0, 0, false) < score(1, 1, 0, 0, false));
    /* Sightings add to reports. */
    assert_true(score(1, 0, 1, 0, false) > score(1, 0, 0, 0, false));
}

static void test_decay(void **state)
{
    (void)state;
    int fresh = score(1, 1, 0, 0, false);
    assert_int_equal(fresh, 60);
    assert_int_equal(score(1, 1, 0, 30, false), 30);
    assert_int_equal(score(1, 1, 0, 60, false), 15);
    assert_int_equal(score(1, 1, 0, 3650, false), 0);
    int prev = 101;
    for (int d = 0; d <= 365; d++) {
        int s = score(1, 1, 0, d, false);
        assert_true(s <= prev);
        prev = s;
    }
    /* Another half-life. */
    struct fz_ind_evidence ev = {1, 1, 0, NOW - 7 * DAY_MS, false};
    assert_int_equal(fz_ind_score(&ev, NOW, 7), 30);
    /* No decay without a half-life, a newest report, or for a report in the future. */
    assert_int_equal(fz_ind_score(&ev, NOW, 0), 60);
    ev.last_report_ms = 0;
    assert_int_equal(fz_ind_score(&ev, NOW, 7), 60);
    ev.last_report_ms = NOW + DAY_MS;
    assert_int_equal(fz_ind_score(&ev, NOW, 7), 60);
}

static void test_confirmed_floor(void **state)
{
    (void)state;
    for (int d = 0; d <= 3650; d += 10) {
        assert_true(score(1, 0, 0, d, true) >= 80);
        assert_true(score(50, 50, 50, d, true) >= 80);
    }
    assert_int_equal(score(50, 50, 0, 3650, true), 80);
    assert_int_equal(score(50, 50, 0, 0, true), 100);
}

static void test_clamps(void **state)
{
    (void)state;
    struct fz_ind_evidence ev[] = {
        {INT_MAX, INT_MAX, INT_MAX, NOW, true},
        {INT_MAX, INT_MAX, INT_MAX, NOW, false},
        {-5, -5, -5, NOW, false},
        {1, 5, 0, NOW, false}, /* partner > reports */
        {1, 0, 0, INT64_MIN, false},
        {1, 0, 0, INT64_MAX, true},
    };
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
        for (int hl = -1; hl <= 365; hl += 61) {
            int s = fz_ind_score(&ev[i], NOW, hl);
            assert_in_range(s, 0, 100);
            if (ev[i].confirmed)
                assert_true(s >= 80);
            else
                assert_true(s <= 79);
        }
    }
    assert_int_equal(fz_ind_score(&ev[2], NOW, 30), 0);
    assert_int_equal(fz_ind_score(&ev[0], INT64_MIN, 30), 100);
    assert_int_equal(fz_ind_score(&ev[1], INT64_MAX, INT_MAX), 0); /* ~50 half-lives */
}

/* An index entry's score decays from when it was scored, exactly as a rescore would. */
static void test_score_now(void **state)
{
    (void)state;
    const int64_t day = 86400000, t0 = 1700000000000;
    struct fz_ind_evidence ev = {.reports = 3, .last_report_ms = t0};
    struct fz_ind_entry e = {.id = 1, .status = FZ_IND_SUSPECTED, .scored_ms = t0};
    e.score = (uint8_t)fz_ind_score(&ev, t0, 30);
    assert_int_equal(fz_ind_score_now(&e, t0, 30), e.score);
    for (int days = 10; days <= 120; days += 10) {
        int want = fz_ind_score(&ev, t0 + days * day, 30);
        int got = fz_ind_score_now(&e, t0 + days * day, 30);
        assert_true(got >= want - 1 && got <= want + 1); /* one rounding apart at most */
    }
    assert_int_equal(fz_ind_score_now(&e, t0 - day, 30), e.score); /* no growth backwards */
    e.scored_ms = 0;                                               /* unknown: no decay */
    assert_int_equal(fz_ind_score_now(&e, t0 + 400 * day, 30), e.score);
    e.status = FZ_IND_CONFIRMED;
    e.score = 90;
    e.scored_ms = t0;
    assert_int_equal(fz_ind_score_now(&e, t0 + 400 * day, 30), 80); /* the confirmed floor */
    e.status = FZ_IND_CLEARED;
    assert_int_equal(fz_ind_score_now(&e, t0, 30), 0);
    assert_int_equal(fz_ind_score_now(NULL, t0, 30), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_monotonic_in_reports),
        cmocka_unit_test(test_quality),
        cmocka_unit_test(test_decay),
        cmocka_unit_test(test_confirmed_floor),
        cmocka_unit_test(test_clamps),
        cmocka_unit_test(test_score_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
