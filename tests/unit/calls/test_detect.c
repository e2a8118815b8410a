/*
 * Unit tests for src/calls/detect.c: each detector fires on its pattern and names itself with a
 * reason carrying the figures, ordinary and courier-like traffic stays quiet, the whitelist
 * silences a number, and a flagged number is reported once.
 */
#include "calltest.h"

static void count_victim(void *ud, const struct fz_calls_alert *a)
{
    (void)a;
    (*(int *)ud)++;
}

static struct fz_calls *engine(struct recorder *r)
{
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    memset(r, 0, sizeof *r);
    fz_calls_on_event(c, record, r);
    return c;
}

static void test_mass_dialler(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    char callee[24];
    for (int i = 0; i < 240; i++) /* 240 calls in 40 minutes, sequential numbers, mostly short */
        dial(c, "13900000001", mobile(callee, "138000", i), T0 + i * 10, i % 5 ? 2 : 40, 6);
    assert_int_equal(r->flagged, 1);
    assert_string_equal(r->flagged_numbers[0], "+8613900000001");
    struct fz_calls_verdict v = verdict(c, "+8613900000001");
    assert_true(v.is_flagged);
    assert_true(v.detectors & (1u << FZ_CALLS_MASS_DIALLER));
    char reason[256];
    fz_calls_reason(&v, FZ_CALLS_MASS_DIALLER, true, reason, sizeof reason);
    assert_non_null(strstr(reason, "群呼"));
    assert_true(v.features[FZ_CALLS_F_ODD_CALLEE_24H] > 0.9f);
    fz_calls_free(c);
    test_free(r);
}

static void test_courier_is_not_a_dialler(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    char callee[24];
    /* 120 calls a day to different people, most answered for half a minute, a fifth call back */
    for (int i = 0; i < 120; i++) {
        dial(c, "13700000001", mobile(callee, "138000", i * 37), T0 + i * 240, i % 4 ? 30 : 0, 12);
        if (i % 5 == 0)
            dial(c, mobile(callee, "138000", i * 37), "13700000001", T0 + i * 240 + 100, 20, 5);
    }
    fz_calls_finish(c);
    assert_int_equal(r->flagged, 0);
    assert_true(verdict(c, "+8613700000001").score < 0.5);
    fz_calls_free(c);
    test_free(r);
}

static void test_simbox(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    char sim[24], callee[24];
    for (int i = 0; i < 64; i++) /* eight SIMs on one IMEI, eight calls each, no incoming */
        apply(c, (struct call){mobile(sim, "170000", i % 8), mobile(callee, "138000", i),
                               T0 + i * 60, 45, 8, false, "860000000000001"});
    assert_int_equal(r->flagged, 8);
    struct fz_calls_verdict v = verdict(c, "+8617000000003");
    assert_true(v.detectors & (1u << FZ_CALLS_SIMBOX));
    assert_true(v.features[FZ_CALLS_F_NUMBERS_ON_IMEI] == 8);
    /* a phone with two SIMs is not a SIM box */
    apply(c, (struct call){"13600000001", "13800000001", T0 + 9000, 45, 8, false, "86111"});
    apply(c, (struct call){"13600000002", "13800000001", T0 + 9001, 45, 8, false, "86111"});
    fz_calls_finish(c);
    assert_false(verdict(c, "+8613600000001").is_flagged);
    fz_calls_free(c);
    test_free(r);
}

static void test_wangiri(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    char callee[24];
    for (int i = 0; i < 40; i++)
        apply(c, (struct call){"+88216000001", mobile(callee, "138000", i), T0 + i * 30, 0, 1, true,
                               NULL});
    fz_calls_finish(c);
    struct fz_calls_verdict v = verdict(c, "+88216000001");
    assert_true(v.is_flagged);
    assert_true(v.detectors & (1u << FZ_CALLS_WANGIRI));
    char reason[256];
    fz_calls_reason(&v, FZ_CALLS_WANGIRI, false, reason, sizeof reason);
    assert_non_null(strstr(reason, "a foreign number"));
    fz_calls_free(c);
    test_free(r);
}

static void test_spoofed_and_iot(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    apply(c, (struct call){"110", "13800000001", T0, 300, 5, true, NULL});
    apply(c, (struct call){"+8613800138000", "13800000002", T0 + 1, 300, 5, true, NULL});
    apply(c, (struct call){"+447700900123", "13800000003", T0 + 2, 300, 5, true, NULL}); /* fine */
    dial(c, "1440012345678", "13800000004", T0 + 3, 60, 5); /* an IoT number talking */
    fz_calls_finish(c);
    assert_true(verdict(c, "110").detectors & (1u << FZ_CALLS_SPOOFED));
    assert_true(verdict(c, "110").score > 0.98);
    assert_true(verdict(c, "+8613800138000").detectors & (1u << FZ_CALLS_SPOOFED));
    assert_false(verdict(c, "+447700900123").is_flagged);
    assert_true(verdict(c, "+861440012345678").detectors & (1u << FZ_CALLS_IOT_VOICE));
    assert_true(verdict(c, "110").is_presented);
    assert_false(verdict(c, "+861440012345678").is_presented);
    fz_calls_free(c);
    test_free(r);
}

/* The real 110 calling at home is not the 110 a gateway presented: flagging the presented one
 * warns only those it reached from abroad. */
static void test_presented_number_kept_apart(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    dial(c, "110", "13800000009", T0, 120, 5); /* the real police, at home */
    apply(c, (struct call){"110", "13800000001", T0 + 10, 300, 5, true, NULL});
    assert_int_equal(r->flagged, 1);
    assert_int_equal(r->alerts, 1);
    assert_string_equal(r->alert[0].resident, "+8613800000001");
    dial(c, "110", "13800000008", T0 + 20, 120, 5); /* at home again: no warning */
    assert_int_equal(r->alerts, 1);
    fz_calls_finish(c);
    int n = 0;
    fz_calls_victims(c, "110", 3, count_victim, &n);
    assert_int_equal(n, 3); /* both identities listed on demand */
    fz_calls_free(c);
    test_free(r);
}

static void test_whitelist_silences(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = engine(r);
    assert_int_equal(fz_calls_whitelist(c, "95588", 5, NULL), FZ_OK);
    assert_int_equal(fz_calls_whitelist(c, "139 0000 0001", 13, NULL), FZ_OK);
    char callee[24];
    for (int i = 0; i < 240; i++)
        dial(c, "13900000001", mobile(callee, "138000", i), T0 + i * 10, 2, 6);
    apply(c, (struct call){"95588", "13800000001", T0 + 3000, 60, 5, true, NULL});
    fz_calls_finish(c);
    assert_int_equal(r->flagged, 1); /* only 95588 as a foreign gateway presented it */
    assert_string_equal(r->flagged_numbers[0], "95588");
    assert_true(verdict(c, "+8613900000001").score == 0);
    fz_calls_free(c);
    test_free(r);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(fz_calls_detector_name(FZ_CALLS_SPOOFED), "spoofed_caller_id");
    assert_string_equal(fz_calls_feature_name(FZ_CALLS_F_CALLS_1H), "calls_1h");
    assert_null(fz_calls_detector_name(FZ_CALLS__DETECTORS));
    assert_null(fz_calls_feature_name(FZ_CALLS__FEATURES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mass_dialler),
        cmocka_unit_test(test_courier_is_not_a_dialler),
        cmocka_unit_test(test_simbox),
        cmocka_unit_test(test_wangiri),
        cmocka_unit_test(test_spoofed_and_iot),
        cmocka_unit_test(test_whitelist_silences),
        cmocka_unit_test(test_presented_number_kept_apart),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
