/*
 * server/metrics: counters for GET /metrics in the Prometheus text format (version 0.0.4):
 * requests by route and status class, latency histograms by route, verdicts by label and
 * action, rate-limited requests, and the index size. Relaxed atomic adds: a few nanoseconds on
 * the hot path, exact totals.
 */
#include "server_int.h"

#include <stdio.h>

/* Upper bounds of the latency buckets in microseconds (Prometheus wants seconds). */
static const unsigned lat_bounds_us[SRV_LAT_BUCKETS] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};

static size_t route_index(const struct srv_route *route)
{
    size_t i = route ? (size_t)(route - srv_routes) : 63;
    return i < 63 ? i : 63;
}

void srv_metrics_request(struct srv_metrics *m, const struct srv_route *route, int status,
                         uint64_t ns)
{
    size_t i = route_index(route);
    int cls = status >= 100 && status < 600 ? status / 100 : 0;
    atomic_fetch_add_explicit(&m->requests[i][cls], 1, memory_order_relaxed);
    uint64_t us = ns / 1000;
    int b = 0;
    while (b < SRV_LAT_BUCKETS && us > lat_bounds_us[b])
        b++;
    atomic_fetch_add_explicit(&m->lat[i][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->lat_sum_us[i], us, memory_order_relaxed);
}

void srv_metrics_verdict(struct srv_metrics *m, const struct fz_verdict *v)
{
    if ((unsigned)v->label < 3 && (unsigned)v->action < 3)
        atomic_fetch_add_explicit(&m->verdicts[v->label][v->action], 1, memory_order_relaxed);
}

static const char *method_name(enum srv_method m)
{
    static const char *const names[SRV__METHODS] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    return names[m];
}

static uint64_t get(atomic_uint_fast64_t *a)
{
    return atomic_load_explicit(a, memory_order_relaxed);
}

static void render_requests(struct srv_metrics *m, struct fz_buf *out)
{
    fz_buf_adds(out, "# HELP fangzha_http_requests_total HTTP requests by route and status class.\n"
                     "# TYPE fangzha_http_requests_total counter\n");
    for (size_t i = 0; i <= srv_nroutes; i++) {
        const char *route = i < srv_nroutes ? srv_routes[i].pattern : "unmatched";
        const char *method = i < srv_nroutes ? method_name(srv_routes[i].method) : "";
        size_t at = i < srv_nroutes ? i : 63;
        for (int c = 1; c < 6; c++)
            if (get(&m->requests[at][c]))
                fz_buf_addf(out,
                            "fangzha_http_requests_total{method=\"%s\",route=\"%s\",code=\"%dxx\"} "
                            "%llu\n",
                            method, route, c, (unsigned long long)get(&m->requests[at][c]));
    }
}

static void render_latency(struct srv_metrics *m, struct fz_buf *out)
{
    fz_buf_adds(out, "# HELP fangzha_http_request_duration_seconds Time to answer, by route.\n"
                     "# TYPE fangzha_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < srv_nroutes; i++) {
        char labels[160];
        snprintf(labels, sizeof labels, "method=\"%s\",route=\"%s\"",
                 method_name(srv_routes[i].method), srv_routes[i].pattern);
        uint64_t cum = 0;
        for (int b = 0; b < SRV_LAT_BUCKETS; b++) {
            cum += get(&m->lat[i][b]);
            fz_buf_addf(out, "fangzha_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
                        labels, lat_bounds_us[b] / 1e6, (unsigned long long)cum);
        }
        cum += get(&m->lat[i][SRV_LAT_BUCKETS]);
        fz_buf_addf(out,
                    "fangzha_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n"
                    "fangzha_http_request_duration_seconds_sum{%s} %.6f\n"
                    "fangzha_http_request_duration_seconds_count{%s} %llu\n",
                    labels, (unsigned long long)cum, labels, (double)get(&m->lat_sum_us[i]) / 1e6,
                    labels, (unsigned long long)cum);
    }
}

static void render_verdicts(struct srv_metrics *m, struct fz_buf *out)
{
    static const char *const labels[] = {"ham", "spam", "fraud"};
    fz_buf_adds(out, "# HELP fangzha_verdicts_total Verdicts of POST /check/text.\n"
                     "# TYPE fangzha_verdicts_total counter\n");
    for (int l = 0; l < 3; l++)
        for (int a = 0; a < 3; a++)
            fz_buf_addf(out, "fangzha_verdicts_total{label=\"%s\",action=\"%s\"} %llu\n", labels[l],
                        fz_action_name((enum fz_action)a),
                        (unsigned long long)get(&m->verdicts[l][a]));
    static const char *const classes[SRV__RATES] = {"check", "report", "login"};
    fz_buf_adds(out, "# HELP fangzha_ratelimited_total Requests refused by a rate limit.\n"
                     "# TYPE fangzha_ratelimited_total counter\n");
    for (int c = 0; c < SRV__RATES; c++)
        fz_buf_addf(out, "fangzha_ratelimited_total{class=\"%s\"} %llu\n", classes[c],
                    (unsigned long long)get(&m->rate_limited[c]));
}

static void render_index(struct fz_server *s, struct fz_buf *out)
{
    struct fz_ind_index *x = fz_ind_handle_acquire(&s->intel);
    fz_buf_adds(out, "# HELP fangzha_intel_indicators Indicators in the in-memory index.\n"
                     "# TYPE fangzha_intel_indicators gauge\n");
    for (int k = 0; k < FZ_IND__COUNT; k++)
        for (int st = 0; st < FZ_IND__STATUSES; st++) {
            size_t n = x ? fz_ind_index_count(x, (enum fz_ind_kind)k, (enum fz_ind_status)st) : 0;
            if (n)
                fz_buf_addf(out, "fangzha_intel_indicators{kind=\"%s\",status=\"%s\"} %zu\n",
                            fz_ind_kind_name((enum fz_ind_kind)k),
                            fz_ind_status_name((enum fz_ind_status)st), n);
        }
    fz_ind_index_unref(x);
}

void srv_metrics_render(struct fz_server *s, struct fz_buf *out)
{
    render_requests(&s->metrics, out);
    render_latency(&s->metrics, out);
    render_verdicts(&s->metrics, out);
    render_index(s, out);
    fz_buf_addf(out,
                "# HELP fangzha_build_info The running version.\n"
                "# TYPE fangzha_build_info gauge\n"
                "fangzha_build_info{version=\"%s\"} 1\n",
                FZ_SERVER_VERSION);
}
