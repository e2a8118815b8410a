/* store/stats: the dashboard's aggregates — days in Beijing time, scope, roles, period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "storetest.h"

#define DAY_MS 86400000LL

struct fx {
    struct st_env e;
    int64_t centre, station;
    struct fz_actor analyst, officer, partner, anon;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    st_setup(&f->e);
    f->centre = st_org(&f->e, "中心", true);
    f->station = st_org(&f->e, "派出所", false);
    f->analyst = st_user(&f->e, "ana", FZ_ROLE_ANALYST, f->centre, true);
    f->officer = st_user(&f->e, "off", FZ_ROLE_OFFICER, f->station, false);
    f->partner = st_key(&f->e, FZ_ROLE_PARTNER, f->station);
    f->anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    st_teardown(&f->e);
    free(f);
    return 0;
}

/* A report at the store's clock, of org, with one phone value. */
static void report(struct fx *f, int64_t org, enum fz_report_channel ch, int type,
                   const char *label, int score, const char *phone)
{
    static int serial;
    char text[64];
    snprintf(text, sizeof text, "report %d", ++serial);
    struct fz_report_value v = {FZ_IND_PHONE, phone};
    struct fz_report_new r = {.channel = ch,
                              .text = text,
                              .text_len = strlen(text),
                              .fraud_type = type,
                              .values = &v,
                              .nvalues = 1,
                              .verdict_label = label,
                              .verdict_score = score,
                              .dedupe_key = text,
                              .dedupe_len = strlen(text),
                              .org_id = org};
    struct fz_report_ref ref;
    struct fz_err err = {0};
    if (fz_store_report_add(f->e.st, &f->e.cli, &r, &ref, &err) != FZ_OK)
        fail_msg("report: %s", err.msg);
}

static int64_t count_of(const struct fz_stats_count *c, size_t n, const char *key, const char *key2)
{
    for (size_t i = 0; i < n; i++)
        if (((!key && !c[i].key) || (key && c[i].key && !strcmp(c[i].key, key))) &&
            (!key2 || (c[i].key2 && !strcmp(c[i].key2, key2))))
            return c[i].n;
    return 0;
}

static void test_aggregates(void **state)
{
    struct fx *f = *state;
    /* 2026-01-01 15:30 UTC is already 2026-01-01 23:30 in Beijing; 17:00 UTC is the 2nd there. */
    int64_t t0 = 1767225600000 + 15 * 3600000 + 30 * 60000;
    f->e.now_ms = t0;
    report(f, f->centre, FZ_CHANNEL_SMS, 4, "fraud", 95, "+8617012345678");
    report(f, f->centre, FZ_CHANNEL_SMS, 4, "fraud", 60, "+8617012345678");
    f->e.now_ms = t0 + 90 * 60000;
    report(f, f->station, FZ_CHANNEL_CALL, -1, "ham", 10, "+8613800138000");

    struct fz_arena ar;
    fz_arena_init(&ar, 4096);
    struct fz_dashboard d;
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->analyst, t0 - DAY_MS, t0 + DAY_MS, 0, &ar, &d, &err),
        FZ_OK);
    assert_int_equal(d.reports, 3);
    assert_int_equal(d.n_per_day, 2); /* two Beijing days */
    assert_int_equal(d.per_day[0].day_ms, 1767225600000 - 8 * 3600000);
    assert_string_equal(d.per_day[0].key, "sms");
    assert_int_equal(d.per_day[0].n, 2);
    assert_int_equal(d.per_day[1].day_ms, d.per_day[0].day_ms + DAY_MS);
    assert_int_equal(count_of(d.by_type, d.n_by_type, "impersonate_authority", NULL), 2);
    assert_int_equal(count_of(d.by_type, d.n_by_type, NULL, NULL), 1);
    assert_int_equal(count_of(d.by_status, d.n_by_status, "new", NULL), 3);
    assert_int_equal(count_of(d.verdicts, d.n_verdicts, "fraud", "block"), 1);
    assert_int_equal(count_of(d.verdicts, d.n_verdicts, "fraud", "warn"), 1);
    assert_int_equal(count_of(d.verdicts, d.n_verdicts, "ham", "allow"), 1);
    assert_true(d.n_top_values >= 2);
    assert_string_equal(d.top_values[0].key2, "+8617012345678");
    assert_int_equal(d.top_values[0].n, 2);
    assert_int_equal(d.median_triage_ms, -1); /* nothing triaged */

    /* the station's officer counts its own organisation only; org_id of another is not found */
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->officer, t0 - DAY_MS, t0 + DAY_MS, 0, &ar, &d, &err),
        FZ_OK);
    assert_int_equal(d.reports, 1);
    assert_int_equal(fz_store_dashboard(f->e.st, &f->officer, t0 - DAY_MS, t0 + DAY_MS, f->centre,
                                        &ar, &d, &err),
                     FZ_ENOTFOUND);
    /* the centre's analyst may narrow to one organisation */
    assert_int_equal(fz_store_dashboard(f->e.st, &f->analyst, t0 - DAY_MS, t0 + DAY_MS, f->station,
                                        &ar, &d, &err),
                     FZ_OK);
    assert_int_equal(d.reports, 1);
    fz_arena_release(&ar);
}

/* An indicator added by a at the store's clock; returns its id. */
static int64_t indicator(struct fx *f, const struct fz_actor *a, enum fz_ind_kind kind,
                         const char *value, enum fz_ind_status status)
{
    struct fz_arena ar;
    fz_arena_init(&ar, 1024);
    struct fz_indicator_new in = {
        .kind = kind, .value = value, .status = status, .tlp = FZ_TLP_GREEN, .fraud_type = -1};
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_indicator_add(f->e.st, a, &in, &ar, &id, NULL, &err) != FZ_OK)
        fail_msg("indicator: %s", err.msg);
    fz_arena_release(&ar);
    return id;
}

static const struct fz_stats_count *day_count(const struct fz_dashboard *d, int64_t day_ms,
                                              const char *kind)
{
    for (size_t i = 0; i < d->n_confirmed_per_day; i++)
        if (d->confirmed_per_day[i].day_ms == day_ms && !strcmp(d->confirmed_per_day[i].key, kind))
            return &d->confirmed_per_day[i];
    return NULL;
}

/* Indicators newly confirmed in the period: by kind and per Beijing day, by creator's org. */
static void test_confirmed(void **state)
{
    struct fx *f = *state;
    int64_t t0 = 1767225600000 + 15 * 3600000 + 30 * 60000; /* 2026-01-01 23:30 in Beijing */
    int64_t day1 = 1767225600000 - 8 * 3600000, day2 = day1 + DAY_MS;
    f->e.now_ms = t0 - 3 * DAY_MS; /* before the period: not counted */
    indicator(f, &f->analyst, FZ_IND_PHONE, "+8613900139000", FZ_IND_CONFIRMED);
    f->e.now_ms = t0;
    indicator(f, &f->analyst, FZ_IND_PHONE, "+8617012345678", FZ_IND_CONFIRMED);
    indicator(f, &f->officer, FZ_IND_PHONE, "+8616512345678", FZ_IND_SUSPECTED);
    indicator(f, &f->partner, FZ_IND_DOMAIN, "pay-verify.top", FZ_IND_SUSPECTED); /* stays */
    f->e.now_ms = t0 + 90 * 60000; /* the next Beijing day */
    indicator(f, &f->analyst, FZ_IND_URL, "https://pay-verify.top/login", FZ_IND_CONFIRMED);
    /* the officer's suspected number, confirmed by the analyst: a status change */
    indicator(f, &f->analyst, FZ_IND_PHONE, "+8616512345678", FZ_IND_CONFIRMED);
    /* strengthening a confirmed one again is not new */
    indicator(f, &f->analyst, FZ_IND_PHONE, "+8617012345678", FZ_IND_CONFIRMED);

    struct fz_arena ar;
    fz_arena_init(&ar, 4096);
    struct fz_dashboard d;
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->analyst, t0 - DAY_MS, t0 + DAY_MS, 0, &ar, &d, &err),
        FZ_OK);
    assert_int_equal(d.indicators_confirmed, 3);
    assert_int_equal(d.n_confirmed_by_kind, 2);
    assert_string_equal(d.confirmed_by_kind[0].key, "phone"); /* most first */
    assert_int_equal(d.confirmed_by_kind[0].n, 2);
    assert_int_equal(count_of(d.confirmed_by_kind, d.n_confirmed_by_kind, "url", NULL), 1);
    assert_int_equal(count_of(d.confirmed_by_kind, d.n_confirmed_by_kind, "domain", NULL), 0);
    assert_int_equal(d.n_confirmed_per_day, 3);
    assert_int_equal(d.confirmed_per_day[0].day_ms, day1); /* days in order */
    assert_non_null(day_count(&d, day1, "phone"));
    assert_int_equal(day_count(&d, day1, "phone")->n, 1);
    assert_int_equal(day_count(&d, day2, "phone")->n, 1);
    assert_int_equal(day_count(&d, day2, "url")->n, 1);
    assert_null(day_count(&d, day1, "url"));

    /* by the creator's organisation: the station's officer sees the number it listed */
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->officer, t0 - DAY_MS, t0 + DAY_MS, 0, &ar, &d, &err),
        FZ_OK);
    assert_int_equal(d.indicators_confirmed, 1);
    assert_int_equal(count_of(d.confirmed_by_kind, d.n_confirmed_by_kind, "phone", NULL), 1);
    assert_int_equal(d.n_confirmed_per_day, 1);
    assert_int_equal(d.confirmed_per_day[0].day_ms, day2);
    /* a period of the second day only */
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->analyst, day2, day2 + DAY_MS, 0, &ar, &d, &err), FZ_OK);
    assert_int_equal(d.indicators_confirmed, 2);
    fz_arena_release(&ar);
}

static void test_refusals(void **state)
{
    struct fx *f = *state;
    struct fz_arena ar;
    fz_arena_init(&ar, 1024);
    struct fz_dashboard d;
    struct fz_err err = {0};
    int64_t now = f->e.now_ms;
    assert_int_equal(fz_store_dashboard(f->e.st, &f->partner, now - DAY_MS, now, 0, &ar, &d, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_dashboard(f->e.st, &f->anon, now - DAY_MS, now, 0, &ar, &d, &err),
                     FZ_EFORBIDDEN);
    assert_int_equal(fz_store_dashboard(f->e.st, &f->analyst, now, now, 0, &ar, &d, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "since_ms");
    assert_int_equal(
        fz_store_dashboard(f->e.st, &f->analyst, now - 401 * DAY_MS, now, 0, &ar, &d, &err),
        FZ_EINVAL);
    /* an empty period is fine: zeros */
    assert_int_equal(fz_store_dashboard(f->e.st, &f->analyst, now - DAY_MS, now, 0, &ar, &d, &err),
                     FZ_OK);
    assert_int_equal(d.reports, 0);
    assert_int_equal(d.n_per_day, 0);
    assert_int_equal(d.indicators_confirmed, 0);
    assert_int_equal(d.n_confirmed_by_kind, 0);
    assert_int_equal(d.n_confirmed_per_day, 0);
    fz_arena_release(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
