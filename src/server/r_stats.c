/* server/r_stats: GET /stats/dashboard — the console's 首页 aggregates, counted in the store. */
#include "server_int.h"

#include <stdio.h>
#include <time.h>

#define DAY_MS 86400000LL
#define BEIJING_MS 28800000LL

/* "2026-11-29" of a day that starts at day_ms (00:00 Beijing time). */
static void day_name(int64_t day_ms, char out[16])
{
    time_t t = (time_t)((day_ms + BEIJING_MS) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* A list of counts {key: ..., key2: ..., "n"}; per day (day_key not NULL): {"day", day_key,
 * "n"}. */
static void counts(struct fz_json *j, const char *name, const struct fz_stats_count *c, size_t n,
                   const char *day_key, const char *key, const char *key2)
{
    fz_json_key_n(j, name, strlen(name));
    fz_json_arr(j);
    for (size_t i = 0; i < n; i++) {
        fz_json_obj(j);
        if (day_key) {
            char day[16];
            day_name(c[i].day_ms, day);
            fz_json_key(j, "day");
            fz_json_cstr(j, day);
            fz_json_key_n(j, day_key, strlen(day_key));
            fz_json_cstr(j, c[i].key);
        } else {
            fz_json_key_n(j, key, strlen(key));
            fz_json_cstr(j, c[i].key);
            if (key2) {
                fz_json_key_n(j, key2, strlen(key2));
                fz_json_cstr(j, c[i].key2);
            }
        }
        fz_json_key(j, "n");
        fz_json_int(j, c[i].n);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

void srv_h_dashboard(struct srv_req *r)
{
    int64_t now = srv_now_ms(), until = now, since = now - 30 * DAY_MS, org = 0;
    if (!srv_arg_int(r, "since_ms", 0, INT64_MAX, &since) ||
        !srv_arg_int(r, "until_ms", 0, INT64_MAX, &until) ||
        !srv_arg_int(r, "org_id", 1, INT64_MAX, &org))
        return;
    struct fz_dashboard d;
    struct fz_err err = {0};
    fz_rc rc = fz_store_dashboard(r->srv->store, &r->actor, since, until, org, &r->arena, &d, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    srv_json_time(&j, "since", d.since_ms);
    srv_json_time(&j, "until", d.until_ms);
    fz_json_key(&j, "reports");
    fz_json_int(&j, d.reports);
    counts(&j, "per_day", d.per_day, d.n_per_day, "channel", NULL, NULL);
    counts(&j, "by_type", d.by_type, d.n_by_type, NULL, "fraud_type", NULL);
    counts(&j, "by_status", d.by_status, d.n_by_status, NULL, "status", NULL);
    counts(&j, "verdicts", d.verdicts, d.n_verdicts, NULL, "label", "action");
    counts(&j, "top_values", d.top_values, d.n_top_values, NULL, "kind", "value");
    counts(&j, "confirmed_by_kind", d.confirmed_by_kind, d.n_confirmed_by_kind, NULL, "kind", NULL);
    counts(&j, "confirmed_per_day", d.confirmed_per_day, d.n_confirmed_per_day, "kind", NULL, NULL);
    fz_json_key(&j, "indicators_confirmed");
    fz_json_int(&j, d.indicators_confirmed);
    fz_json_key(&j, "median_triage_s");
    if (d.median_triage_ms >= 0)
        fz_json_num(&j, (double)d.median_triage_ms / 1000.0, 1);
    else
        fz_json_null(&j);
    fz_json_obj_end(&j);
    srv_reply(r, j.rc ? 500 : 200);
}
