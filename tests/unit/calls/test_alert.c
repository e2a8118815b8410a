/*
 * Unit tests for src/calls/alert.c: when a number is flagged, the residents it reached are
 * warned, graded by what happened (talked long → high, answered briefly → medium, rang → low),
 * callers back included; a later long call raises an immediate high warning; each resident and
 * number is warned once per grade; contacts older than 30 days are left out; the victim list
 * of a number on demand.
 */
#include "calltest.h"

static int find_alert(const struct recorder *r, const char *resident)
{
    for (int i = 0; i < r->alerts; i++)
        if (!strcmp(r->alert[i].resident, resident))
            return i;
    return -1;
}

/* A mass dialler that reached 13800000001 (talked 300 s), ...02 (answered 5 s), ...03 (rang),
 * 13700000009 35 days earlier, and was called back by 13600000001. */
static struct fz_calls *scenario(struct recorder *r)
{
    struct fz_calls *c;
    assert_int_equal(fz_calls_new(NULL, &c), FZ_OK);
    memset(r, 0, sizeof *r);
    fz_calls_on_event(c, record, r);
    dial(c, "13900000001", "13700000009", T0 - 35 * 86400, 500, 5);
    dial(c, "13900000001", "13800000001", T0, 300, 5);
    dial(c, "13900000001", "13800000002", T0 + 1, 5, 5);
    dial(c, "13900000001", "13800000003", T0 + 2, 0, 20);
    dial(c, "13900000001", "13600000001", T0 + 3, 0, 20);
    dial(c, "13600000001", "13900000001", T0 + 4, 90, 5);
    char callee[24];
    for (int i = 0; i < 200; i++)
        dial(c, "13900000001", mobile(callee, "135000", i), T0 + 10 + i * 5, 0, 5);
    return c;
}

static void test_flagging_warns_who_was_reached(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = scenario(r);
    assert_int_equal(r->flagged, 1);
    int hi = find_alert(r, "+8613800000001"), mid = find_alert(r, "+8613800000002");
    int low = find_alert(r, "+8613800000003"), back = find_alert(r, "+8613600000001");
    assert_true(hi >= 0 && mid >= 0 && low >= 0 && back >= 0);
    assert_int_equal(r->alert[hi].grade, FZ_CALLS_HIGH);
    assert_int_equal(r->alert[hi].talk, 300);
    assert_int_equal(r->alert[mid].grade, FZ_CALLS_MEDIUM);
    assert_int_equal(r->alert[low].grade, FZ_CALLS_LOW);
    assert_int_equal(r->alert[back].grade, FZ_CALLS_HIGH); /* called back and talked 90 s */
    assert_int_equal(find_alert(r, "+8613700000009"), -1); /* 35 days ago */
    assert_false(r->alert[hi].is_immediate);
    fz_calls_free(c);
    test_free(r);
}

static void test_later_calls_raise_the_grade_once(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = scenario(r);
    int before = r->alerts;
    dial(c, "13900000001", "13800000003", T0 + 2000, 0, 20); /* still low: nothing new */
    assert_int_equal(r->alerts, before);
    dial(c, "13900000001", "13800000003", T0 + 2001, 240, 5); /* a long call just ended */
    assert_int_equal(r->alerts, before + 1);
    assert_string_equal(r->alert[before].resident, "+8613800000003");
    assert_int_equal(r->alert[before].grade, FZ_CALLS_HIGH);
    assert_true(r->alert[before].is_immediate);
    dial(c, "13900000001", "13800000003", T0 + 2002, 240, 5); /* high already raised */
    dial(c, "13300000001", "13900000001", T0 + 2003, 0, 5);   /* a new resident calling it */
    assert_int_equal(r->alerts, before + 2);
    assert_int_equal(r->alert[before + 1].grade, FZ_CALLS_LOW);
    fz_calls_free(c);
    test_free(r);
}

static void count_alert(void *ud, const struct fz_calls_alert *a)
{
    int *n = ud;
    assert_true(a->alert_id[0] != '\0');
    (*n)++;
}

static void test_victims_on_demand(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = scenario(r);
    int n = 0;
    assert_int_equal(fz_calls_victims(c, "+86 139 0000 0001", 17, count_alert, &n), FZ_OK);
    assert_int_equal(n, 204); /* 4 + 200 dialled; the one 35 days ago left out */
    assert_int_equal(fz_calls_victims(c, "13900000999", 11, count_alert, &n), FZ_ENOTFOUND);
    fz_calls_free(c);
    test_free(r);
}

static void test_alert_json(void **state)
{
    (void)state;
    struct recorder *r = test_malloc(sizeof *r);
    struct fz_calls *c = scenario(r);
    struct fz_buf b;
    struct fz_json j;
    fz_buf_init(&b, 1 << 16);
    fz_json_init(&j, &b);
    struct fz_calls_alert a = {.grade = FZ_CALLS_HIGH,
                               .resident = "+8613800000001",
                               .fraud_number = "+8613900000001",
                               .first_contact = T0,
                               .last_contact = T0 + 60,
                               .calls = 2,
                               .answered = 1,
                               .total_talk_s = 300};
    snprintf(a.alert_id, sizeof a.alert_id, "00ff");
    fz_calls_alert_json(&j, &a);
    assert_int_equal(j.rc, FZ_OK);
    assert_non_null(strstr(b.ptr, "\"grade\":\"high\""));
    assert_non_null(strstr(b.ptr, "\"first_contact\":\"2026-11-01T08:00:00+08:00\""));
    assert_non_null(strstr(b.ptr, "\"total_talk_s\":300"));
    assert_non_null(strstr(b.ptr, "通话300秒"));
    fz_buf_release(&b);
    fz_calls_free(c);
    test_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flagging_warns_who_was_reached),
        cmocka_unit_test(test_later_calls_raise_the_grade_once),
        cmocka_unit_test(test_victims_on_demand),
        cmocka_unit_test(test_alert_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
