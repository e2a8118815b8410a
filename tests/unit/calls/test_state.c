/*
 * Unit tests for src/calls/state.c: numbers interned once whatever the spelling, the three
 * windows counting and forgetting, distinct callees, callbacks, late records applied or
 * dropped, an invalid caller rejected, and the state's size per number.
 */
#include "calltest.h"

static float feature(struct fz_calls *c, const char *e164, enum fz_calls_feature f)
{
    float x[FZ_CALLS__FEATURES];
    assert_true(fz_calls_features(c, e164, strlen(e164), x));
    return x[f];
}

static void test_spellings_are_one_number(void **state)
{
    (void)state;
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    const char *forms[] = {"13900000001", "+86 139 0000 0001", "008613900000001", "139-0000-0001"};
    for (int i = 0; i < 8; i++)
        dial(c, forms[i % 4], "13800138000", T0 + i, 30, 5);
    struct fz_calls_stats s;
    fz_calls_stats(c, &s);
    assert_int_equal(s.numbers, 2);
    assert_int_equal(s.contacts, 1);
    assert_int_equal(s.applied, 8);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_24H) == 8);
    fz_calls_free(c);
}

static void test_windows_count_and_forget(void **state)
{
    (void)state;
    struct fz_calls *c;
    char callee[24];
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    for (int i = 0; i < 16; i++) /* 16 calls, 2 minutes apart, 8 of them short */
        dial(c, "13900000001", mobile(callee, "138000", i), T0 + i * 120, i % 2 ? 60 : 3, 5);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_1H) == 16);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_DISTINCT_1H) == 16);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_SHORT_1H) == 0.5f);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_MEAN_TALK_24H) == 31.5f);
    /* two days later: the hour and the day are empty, the week still counts them */
    for (int i = 0; i < 8; i++)
        dial(c, "13900000001", "13800000000", T0 + 2 * 86400 + i, 60, 5);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_1H) == 8);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_DISTINCT_24H) == 1);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_7D) == 24);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_DISTINCT_7D) == 16); /* 13800000000 moved */
    /* eight days after the first: the week has forgotten it too */
    for (int i = 0; i < 8; i++)
        dial(c, "13900000001", "13800000000", T0 + 9 * 86400 + i, 60, 5);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_7D) == 8);
    fz_calls_free(c);
}

static void test_callbacks_and_incoming(void **state)
{
    (void)state;
    struct fz_calls *c;
    char callee[24];
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    for (int i = 0; i < 8; i++)
        dial(c, "13900000001", mobile(callee, "138000", i), T0 + i, 0, 2);
    /* two of the eight call back, one of them twice (counted once) */
    dial(c, "13800000001", "13900000001", T0 + 100, 20, 3);
    dial(c, "13800000001", "13900000001", T0 + 101, 20, 3);
    dial(c, "13800000002", "13900000001", T0 + 102, 20, 3);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLBACK_24H) == 2.0f / 8.0f);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_IN_24H) == 3);
    float busy[FZ_CALLS__FEATURES]; /* the training row: the busiest evaluation */
    assert_true(fz_calls_training_row(c, "13900000001", 11, busy));
    assert_true(busy[FZ_CALLS_F_CALLS_24H] == 8);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_ONE_RING_24H) == 1);
    fz_calls_free(c);
}

static void test_late_records(void **state)
{
    (void)state;
    struct fz_calls_config cfg;
    fz_calls_config_init(&cfg);
    cfg.late_tolerance_s = 300;
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(&cfg, &c), FZ_OK);
    dial(c, "13900000001", "13800000001", T0 + 1000, 10, 3);
    dial(c, "13900000001", "13800000002", T0 + 800, 10, 3); /* 200 s late */
    dial(c, "13900000001", "13800000003", T0 + 600, 10, 3); /* 400 s: dropped */
    struct fz_calls_stats s;
    fz_calls_stats(c, &s);
    assert_int_equal(s.applied, 2);
    assert_int_equal(s.late_applied, 1);
    assert_int_equal(s.late_dropped, 1);
    fz_calls_free(c);
}

/* The 24 h ring's buckets carry their own time: a bucket a day old is reset when its slot comes
 * round again, and a late record is counted only while its bucket is still in the ring. */
static void test_day_ring_reuses_buckets(void **state)
{
    (void)state;
    struct fz_calls_config cfg;
    fz_calls_config_init(&cfg);
    cfg.late_tolerance_s = 2 * 86400;
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(&cfg, &c), FZ_OK);
    const char *a = "13900000001";
    dial(c, a, "13800000001", T0, 30, 5); /* T0 starts a 2-hour bucket */
    dial(c, "13800000001", a, T0 + 3600, 30, 5);
    dial(c, a, "13800000001", T0 + 4 * 3600, 30, 5);
    dial(c, a, "13800000001", T0 + 22 * 3600, 30, 5);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_24H) == 3);
    assert_true(feature(c, a, FZ_CALLS_F_IN_24H) == 1);
    /* a day on: the same slot as T0's bucket, which no longer counts */
    dial(c, a, "13800000002", T0 + 86400 + 1, 90, 5);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_24H) == 3);
    assert_true(feature(c, a, FZ_CALLS_F_IN_24H) == 0);
    assert_true(feature(c, a, FZ_CALLS_F_DISTINCT_24H) == 2);
    assert_true(feature(c, a, FZ_CALLS_F_MEAN_TALK_24H) == 50);
    /* late: T0 + 1 h has left the 24 h ring (the week still counts it); T0 + 20 h has not */
    dial(c, a, "13800000003", T0 + 3600, 30, 5);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_24H) == 3);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_7D) == 5);
    dial(c, a, "13800000004", T0 + 20 * 3600, 30, 5);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_24H) == 4);
    assert_true(feature(c, a, FZ_CALLS_F_CALLS_7D) == 6);
    assert_true(feature(c, a, FZ_CALLS_F_IN_OUT_7D) == 1.0f / 6.0f);
    fz_calls_free(c);
}

/* Calls in the first buckets after the epoch count like any others (bucket 0 used to mean
 * "never used", so they were dropped or wiped). */
static void test_first_day_after_epoch_counts(void **state)
{
    (void)state;
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    dial(c, "13900000001", "13800000001", 100, 30, 5);
    dial(c, "13900000001", "13800000002", 5000, 30, 5);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_1H) == 1);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_24H) == 2);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_CALLS_7D) == 2);
    /* received on the first day, placed on the second: the week has both */
    dial(c, "13800000003", "13700000001", 80000, 30, 5);
    dial(c, "13700000001", "13800000004", 90000, 30, 5);
    assert_true(feature(c, "13700000001", FZ_CALLS_F_IN_OUT_7D) == 1);
    fz_calls_free(c);
}

static void test_invalid_numbers(void **state)
{
    (void)state;
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    struct fz_cdr cdr = {
        .caller = {"abc", 3}, .callee = {"13800138000", 11}, .start = T0, .ring_s = -1};
    struct fz_err err = {0};
    assert_int_equal(fz_calls_apply(c, &cdr, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "caller"));
    /* an invalid callee is counted against the caller, not rejected */
    for (int i = 0; i < 8; i++)
        dial(c, "13900000001", "12", T0 + i, 0, 2);
    assert_true(feature(c, "13900000001", FZ_CALLS_F_ODD_CALLEE_24H) == 1);
    assert_int_equal(fz_calls_whitelist(c, "hello", 5, &err), FZ_EINVAL);
    fz_calls_free(c);
}

static void test_memory_per_number_is_fixed(void **state)
{
    (void)state;
    struct fz_calls *c;
    char a[24], b[24];
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    for (int i = 0; i < 20000; i++)
        dial(c, mobile(a, "139000", i % 5000), mobile(b, "138000", i), T0 + i, 30, 4);
    struct fz_calls_stats s;
    fz_calls_stats(c, &s);
    assert_int_equal(s.numbers, 25000);
    assert_int_equal(s.contacts, 20000);
    /* well under 2 KiB per number and contact together, maps included */
    assert_true(s.memory_bytes / (s.numbers + s.contacts) < 2048);
    fz_calls_free(c);
}

/* Contacts older than 30 days are dropped once a day; what is left still links both ways. */
static void test_old_contacts_are_forgotten(void **state)
{
    (void)state;
    struct fz_calls *c;
    char a[24];
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    for (int i = 0; i < 100; i++) /* day 0: 100 pairs */
        dial(c, mobile(a, "139000", i), "13800000001", T0 + i, 30, 5);
    dial(c, "13900000007", "13800000002", T0 + 20 * 86400, 30, 5); /* day 20: one more */
    struct fz_calls_stats s;
    fz_calls_stats(c, &s);
    assert_int_equal(s.contacts, 101);
    dial(c, "13800000002", "13900000007", T0 + 40 * 86400, 30, 5); /* day 40: a call back */
    fz_calls_stats(c, &s);
    assert_int_equal(s.contacts, 2); /* the day-20 pair and the new one */
    float x[FZ_CALLS__FEATURES];
    assert_true(fz_calls_features(c, "13900000007", 11, x));
    assert_true(x[FZ_CALLS_F_IN_24H] == 1);
    dial(c, "13900000005", "13800000001", T0 + 40 * 86400 + 1, 30, 5); /* an old pair again */
    fz_calls_stats(c, &s);
    assert_int_equal(s.contacts, 3);
    fz_calls_free(c);
}

struct rejects {
    int n;
    uint64_t row[8];
};

static void on_reject(void *ud, uint64_t row, fz_rc rc, const struct fz_err *err)
{
    struct rejects *r = ud;
    assert_int_equal(rc, FZ_EINVAL);
    assert_true(strstr(err->msg, "caller") || strstr(err->msg, "start time"));
    if (r->n < 8)
        r->row[r->n++] = row;
}

/* Batches apply exactly what one record at a time applies, in order, rejects included. */
static void test_batches_equal_one_by_one(void **state)
{
    (void)state;
    struct fz_calls *one, *many;
    assert_int_equal(fz_calls_new(NULL, &one), FZ_OK);
    assert_int_equal(fz_calls_new(NULL, &many), FZ_OK);
    struct fz_cdr_batch *b = test_malloc(sizeof *b);
    fz_cdr_batch_init(b);
    struct rejects rej = {0};
    char a[24], e[24];
    /* row 500's caller is not a number and row 600 has no valid time: both are rejected and
     * neither may leave a number behind (their other numbers appear nowhere else) */
    for (int i = 0; i < 1000; i++) {
        const char *caller = i == 500   ? "nonsense"
                             : i == 600 ? "13700000600"
                                        : mobile(a, "139000", i % 37);
        mobile(e, "138000", (i * 7) % 101);
        if (i == 500 || i == 600)
            snprintf(e, sizeof e, "1360000%04d", i);
        struct fz_cdr cdr = {.caller = {caller, strlen(caller)},
                             .callee = {e, strlen(e)},
                             .start = i == 600 ? -5 : T0 + i * 13,
                             .duration_s = i % 3 ? 40 : 0,
                             .ring_s = 4,
                             .imei = {"86000001", 8}};
        struct fz_err err = {0};
        fz_rc rc = fz_calls_apply(one, &cdr, &err);
        assert_int_equal(rc, i == 500 || i == 600 ? FZ_EINVAL : FZ_OK);
        if (!fz_cdr_batch_add(b, &cdr, (uint64_t)i + 2)) {
            assert_int_equal(fz_calls_apply_batch(many, b, on_reject, &rej), FZ_OK);
            assert_true(fz_cdr_batch_add(b, &cdr, (uint64_t)i + 2));
        }
    }
    assert_int_equal(fz_calls_apply_batch(many, b, on_reject, &rej), FZ_OK);
    assert_int_equal(b->n, 0);
    assert_int_equal(rej.n, 2);
    assert_int_equal(rej.row[0], 502);
    assert_int_equal(rej.row[1], 602);
    struct fz_calls_stats s1, s2;
    fz_calls_stats(one, &s1);
    fz_calls_stats(many, &s2);
    assert_int_equal(s1.applied, s2.applied);
    assert_int_equal(s1.contacts, s2.contacts);
    assert_int_equal(s1.numbers, s2.numbers);
    for (int i = 0; i < 37; i++) {
        float x1[FZ_CALLS__FEATURES], x2[FZ_CALLS__FEATURES];
        assert_true(fz_calls_features(one, mobile(a, "139000", i), 11, x1));
        assert_true(fz_calls_features(many, a, 11, x2));
        assert_memory_equal(x1, x2, sizeof x1);
    }
    test_free(b);
    fz_calls_free(one);
    fz_calls_free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings_are_one_number),
        cmocka_unit_test(test_windows_count_and_forget),
        cmocka_unit_test(test_callbacks_and_incoming),
        cmocka_unit_test(test_late_records),
        cmocka_unit_test(test_day_ring_reuses_buckets),
        cmocka_unit_test(test_first_day_after_epoch_counts),
        cmocka_unit_test(test_invalid_numbers),
        cmocka_unit_test(test_memory_per_number_is_fixed),
        cmocka_unit_test(test_batches_equal_one_by_one),
        cmocka_unit_test(test_old_contacts_are_forgotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
