/* server: what the files of src/server share (not part of the public API). */
#ifndef FZ_SERVER_INT_H
#define FZ_SERVER_INT_H

#include "compat.h"

#include "fangzha/extract.h"
#include "fangzha/intel.h"
#include "fangzha/rules.h"
#include "fangzha/screen.h"
#include "fangzha/server.h"
#include "fangzha/store.h"
#include "fangzha/url.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

struct json_t;

/* ---- routes ------------------------------------------------------------------------------- */

enum srv_method { SRV_GET, SRV_POST, SRV_PUT, SRV_PATCH, SRV_DELETE, SRV__METHODS };

/* Who may call a route: one bit per kind of caller. */
enum srv_who {
    SRV_ANON = 1u << 0,
    SRV_PARTNER = 1u << 1,
    SRV_OFFICER = 1u << 2,
    SRV_ANALYST = 1u << 3,
    SRV_AUDITOR = 1u << 4,
    SRV_ADMIN = 1u << 5,
};
#define SRV_ANYONE 0x3fu
#define SRV_STAFF (SRV_OFFICER | SRV_ANALYST | SRV_AUDITOR | SRV_ADMIN)

/* Route flags. */
enum {
    SRV_BODY_JSON = 1u << 0,  /* the body is one JSON object */
    SRV_RATE_CHECK = 1u << 1, /* anonymous callers are rate-limited (check class) */
    SRV_RATE_REPORT = 1u << 2,
    SRV_RATE_LOGIN = 1u << 3,
    SRV_NO_CSRF = 1u << 4, /* a cookie write without the CSRF token (login itself) */
    SRV_INLINE = 1u << 5,  /* runs on the HTTP thread: memory only, never blocks (/check) */
};

struct srv_req;
typedef void srv_handler(struct srv_req *r);

struct srv_route {
    enum srv_method method;
    const char *pattern; /* "/api/v1/reports/{id}"; also the metrics label */
    srv_handler *handler;
    unsigned who;   /* enum srv_who bits */
    unsigned flags; /* SRV_BODY_JSON, ... */
};

extern const struct srv_route srv_routes[];
extern const size_t srv_nroutes;

/* The route for method + path, with the {id} / {code} parameters into r. Returns NULL and sets
 * *status to 404 (no such path) or 405 (path known, method not). */
const struct srv_route *srv_route_match(struct srv_req *r, enum srv_method m, const char *path,
                                        int *status);
bool srv_method_parse(const char *s, enum srv_method *out);

/* ---- requests ----------------------------------------------------------------------------- */

#define SRV_PARAM_MAX 64
#define SRV_OUT_MAX ((size_t)64 << 20) /* largest response body (a CSV export) */

struct srv_req {
    struct fz_server *srv;
    struct MHD_Connection *conn;
    const struct srv_route *route;
    int64_t id;               /* {id} of the path */
    char code[SRV_PARAM_MAX]; /* {code} of the path */
    struct fz_buf body;       /* capped at the server's body_max */
    bool too_big;             /* the body passed the cap (the rest is dropped) */
    size_t dropped;           /* bytes dropped after the cap */
    int early_status;         /* an error found with the headers, answered at the end */
    struct fz_err early;
    struct fz_buf out; /* the response body */
    const char *content_type;
    int status;
    uint64_t t0_ns;
    struct fz_arena arena;
    struct json_t *doc; /* the parsed body of a JSON route */
    uint64_t request_no;
    bool authed;    /* who holds a verified principal */
    bool by_cookie; /* authenticated by the session cookie (writes need CSRF) */
    struct fz_principal who;
    struct fz_actor actor;         /* for the store: who, request id, client tag */
    char *set_cookie;              /* a Set-Cookie header for the response (arena) */
    bool ran;                      /* a worker ran it; the answer is ready to queue */
    const struct srv_asset *asset; /* a web page or file to send, instead of a route */
    char disposition[96];          /* Content-Disposition of a download; "" = none */
    struct srv_req *next;          /* in the worker pool's queue */
};

/* Runs a complete request: rights, rate limit, body, handler; the answer is in r. */
void srv_run(struct srv_req *r);

/* ---- the worker pool for requests that may block ------------------------------------------ */

struct srv_pool;
fz_rc srv_pool_start(size_t nthreads, struct srv_pool **out);
/* Queues r; a worker runs it (srv_run) and resumes its connection. */
void srv_pool_submit(struct srv_pool *p, struct srv_req *r);
/* Runs what is queued, then stops the threads. NULL is fine. */
void srv_pool_stop(struct srv_pool *p);

/* Monotonic nanoseconds. */
uint64_t srv_now_ns(void);
/* Wall-clock milliseconds since the epoch. */
int64_t srv_now_ms(void);

/* A query-string argument, or NULL. */
const char *srv_arg(struct srv_req *r, const char *name);

/* Starts a JSON response: the writer is reset onto r->out. */
void srv_json_begin(struct srv_req *r, struct fz_json *j);
/* Sets the status of the response written into r->out (JSON). */
void srv_reply(struct srv_req *r, int status);
/* An error response {"error": {"code", "message", "field"}}; field may be NULL or "". */
void srv_error(struct srv_req *r, int status, const char *code, const char *field, const char *fmt,
               ...) FZ_PRINTF(5, 6);
/* The error response for rc with err's message and field (status from the rc). */
void srv_fail(struct srv_req *r, fz_rc rc, const struct fz_err *err);
/* The HTTP status for an error code. */
int srv_status_of(fz_rc rc);

/* ---- request bodies ----------------------------------------------------------------------- */

enum srv_type { SRV_T_STR, SRV_T_INT, SRV_T_BOOL, SRV_T_ARR, SRV_T_OBJ };

/* One member of a JSON body: its type, whether it must be there, and bounds (length in bytes
 * for strings, value for integers, items for arrays; 0 = none). */
struct srv_field {
    const char *name;
    enum srv_type type;
    bool required;
    int64_t min, max;
};

/* Checks r->doc against the fields (NULL-name terminated): unknown members, missing ones, wrong
 * types, out-of-range values. On failure answers 422 with the field and returns false. */
bool srv_check_fields(struct srv_req *r, const struct srv_field *fields);
/* The string member name of r->doc (checked already), or NULL; *len its length. */
const char *srv_str(struct srv_req *r, const char *name, size_t *len);

/* Query argument name as an integer in min..max (untouched when absent); answers 422 and
 * returns false when it is not one. */
bool srv_arg_int(struct srv_req *r, const char *name, int64_t min, int64_t max, int64_t *out);
/* Defines fn(r, name, int *out): query argument name parsed into an enum by parse (untouched
 * when absent); answers 422 and returns false on an unknown value. */
#define SRV_ENUM_ARG(fn, type, parse)                                                              \
    static bool fn(struct srv_req *r, const char *name, int *out)                                  \
    {                                                                                              \
        const char *v = srv_arg(r, name);                                                          \
        type t;                                                                                    \
        if (!v)                                                                                    \
            return true;                                                                           \
        if (!parse(v, strlen(v), &t)) {                                                            \
            srv_error(r, 422, "invalid", name, "'%s' has an unknown value", name);                 \
            return false;                                                                          \
        }                                                                                          \
        *out = (int)t;                                                                             \
        return true;                                                                               \
    }
/* The integer member name of r->doc (checked already), or dflt when absent or null. */
int64_t srv_int(struct srv_req *r, const char *name, int64_t dflt);
/* The boolean member name of r->doc (checked already); false when absent. */
bool srv_bool(struct srv_req *r, const char *name);
/* ms since the epoch as ISO 8601 UTC with milliseconds into out; returns the length. */
size_t srv_iso_time(int64_t ms, char out[32]);
/* key: an ISO 8601 UTC time with milliseconds ("2026-11-29T15:22:07.000Z"), null for 0. */
void srv_json_time(struct fz_json *j, const char *key, int64_t ms);
/* key: the id, or null when it is 0. */
void srv_json_id_or_null(struct fz_json *j, const char *key, int64_t id);

/* Answers 200 with {"items": [write(j, &rows[i]) for i < n], "next_after": next}; next < 0
 * leaves "next_after" out (a list without pages), 0 writes null (the last page). */
#define SRV_REPLY_ITEMS(r, rows, n, write, next)                                                   \
    do {                                                                                           \
        struct fz_json j_;                                                                         \
        srv_json_begin((r), &j_);                                                                  \
        fz_json_obj(&j_);                                                                          \
        fz_json_key(&j_, "items");                                                                 \
        fz_json_arr(&j_);                                                                          \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            write(&j_, &(rows)[i_]);                                                               \
        fz_json_arr_end(&j_);                                                                      \
        if ((next) >= 0)                                                                           \
            srv_json_id_or_null(&j_, "next_after", (next));                                        \
        fz_json_obj_end(&j_);                                                                      \
        srv_reply((r), j_.rc ? 500 : 200);                                                         \
    } while (0)

/* ---- engine and intelligence -------------------------------------------------------------- */

/* What the hot path reads: an engine with its rules and model, refcounted, swapped on reload. */
struct srv_engine {
    atomic_int refs;
    uint64_t gen;
    struct fz_screen *screen;
    struct fz_model *model;
};

struct srv_engine *srv_engine_acquire(struct fz_server *s);
void srv_engine_release(struct srv_engine *e);
fz_rc srv_engine_load(struct fz_server *s, struct fz_err *err);
void srv_engine_close(struct fz_server *s);

/* This thread's screening context for engine e (created on first use, recreated when the engine
 * changed). NULL on allocation failure. */
struct fz_screen_ctx *srv_thread_ctx(struct srv_engine *e);
/* Frees every thread's context (after the HTTP threads are gone). */
void srv_thread_ctx_free_all(void);

/* The index adapter for the screening engine: looks entities up in x at now_ms. */
struct srv_intel {
    struct fz_intel hook;
    const struct fz_ind_index *x;
    int64_t now_ms;
};
void srv_intel_init(struct srv_intel *si, const struct fz_ind_index *x, int64_t now_ms);

/* ---- web pages (assets.c) --------------------------------------------------------------- */

struct srv_assets;
struct srv_asset;
/* Reads the pages under dir (portal/, console/, shared/, vendored scripts) into memory. */
fz_rc srv_assets_load(const char *dir, struct srv_assets **out, struct fz_err *err);
void srv_assets_free(struct srv_assets *a);
/* The page or file for a request path ("/" = the portal, "/console/" = the console), or NULL. */
const struct srv_asset *srv_asset_find(const struct srv_assets *a, const char *path);
const char *srv_asset_type(const struct srv_asset *x);
const char *srv_asset_etag(const struct srv_asset *x);
const char *srv_asset_body(const struct srv_asset *x, size_t *len);
size_t srv_assets_count(const struct srv_assets *a);

/* ---- authentication ----------------------------------------------------------------------- */

struct srv_keycache;
fz_rc srv_keycache_new(struct srv_keycache **out);
void srv_keycache_free(struct srv_keycache *c);
void srv_keycache_clear(struct srv_keycache *c);
/* Identifies the caller, checks the route's rights and the CSRF token of cookie writes, and
 * fills r->actor. Answers 401/403 and returns false when the caller may not go on. */
bool srv_authorize(struct srv_req *r);

/* Applies changes to the in-memory index (after the store committed them) and publishes the
 * new index. Serialized; readers never wait. */
fz_rc srv_intel_apply(struct fz_server *s, const struct fz_ind_change *c, size_t n);
/* Builds the index from the store (at start). */
fz_rc srv_intel_load(struct fz_server *s, struct fz_err *err);

/* ---- rate limits -------------------------------------------------------------------------- */

enum srv_rate_class { SRV_RATE_CHECK_C, SRV_RATE_REPORT_C, SRV_RATE_LOGIN_C, SRV__RATES };

struct srv_ratelimit;
fz_rc srv_ratelimit_new(struct srv_ratelimit **out);
void srv_ratelimit_free(struct srv_ratelimit *rl);
/* Takes one token of class c for client (an address); rate tokens per period_ms, burst at
 * most. false when none is left, with *retry_s the seconds until one is. */
bool srv_ratelimit_take(struct srv_ratelimit *rl, enum srv_rate_class c, const void *client,
                        size_t len, int rate, int64_t period_ms, int burst, int *retry_s);

/* ---- metrics ------------------------------------------------------------------------------ */

#define SRV_LAT_BUCKETS 12
struct srv_metrics {
    atomic_uint_fast64_t requests[64][6]; /* per route (index in srv_routes; last: no route) and
                                              status class 1xx..5xx (0: other) */
    atomic_uint_fast64_t lat[64][SRV_LAT_BUCKETS + 1];
    atomic_uint_fast64_t lat_sum_us[64];
    atomic_uint_fast64_t verdicts[3][3]; /* label × action */
    atomic_uint_fast64_t rate_limited[SRV__RATES];
};
void srv_metrics_request(struct srv_metrics *m, const struct srv_route *route, int status,
                         uint64_t ns);
void srv_metrics_verdict(struct srv_metrics *m, const struct fz_verdict *v);
void srv_metrics_render(struct fz_server *s, struct fz_buf *out);

/* ---- the server --------------------------------------------------------------------------- */

struct fz_server {
    struct fz_server_opts o;
    struct MHD_Daemon *mhd;
    unsigned port;
    struct fz_url_ctx *uctx;
    struct fz_extractor *extractor; /* personal data in texts for the public (personal.c) */
    _Atomic(struct srv_engine *) engine;
    atomic_flag engine_lock;
    uint64_t engine_gen;
    struct fz_ind_handle intel;
    struct srv_ratelimit *rl;
    struct srv_pool *pool;
    struct srv_assets *assets;
    struct fz_store *store;
    struct srv_keycache *keys;
    uint8_t tag_key[32]; /* keys the client tags of the audit log (random per start) */
    pthread_mutex_t intel_lock;
    uint64_t intel_seq;
    atomic_uint_fast64_t requests;
    atomic_int inflight; /* requests begun and not yet completed */
    struct srv_metrics metrics;
    int64_t started_ms;
    pthread_mutex_t reload_lock;
};

/* handlers */
void srv_h_healthz(struct srv_req *r);
void srv_h_metrics(struct srv_req *r);
void srv_h_check_text(struct srv_req *r);
void srv_h_check_number(struct srv_req *r);
void srv_h_check_url(struct srv_req *r);
void srv_h_check_account(struct srv_req *r);
void srv_h_login(struct srv_req *r);
void srv_h_logout(struct srv_req *r);
void srv_h_me(struct srv_req *r);
void srv_h_report_add(struct srv_req *r);
void srv_h_report_track(struct srv_req *r);
void srv_h_report_list(struct srv_req *r);
void srv_h_report_get(struct srv_req *r);
void srv_h_report_history(struct srv_req *r);
void srv_h_report_reveal(struct srv_req *r);
void srv_h_report_triage(struct srv_req *r);
void srv_h_report_reject(struct srv_req *r);
void srv_h_report_merge(struct srv_req *r);
void srv_h_report_confirm(struct srv_req *r);
void srv_h_indicator_add(struct srv_req *r);
void srv_h_indicator_search(struct srv_req *r);
void srv_h_indicator_get(struct srv_req *r);
void srv_h_indicator_update(struct srv_req *r);
void srv_h_indicator_history(struct srv_req *r);
void srv_h_sighting_add(struct srv_req *r);
void srv_h_sighting_list(struct srv_req *r);
void srv_h_audit_list(struct srv_req *r);
void srv_h_org_list(struct srv_req *r);
void srv_h_org_add(struct srv_req *r);
void srv_h_user_list(struct srv_req *r);
void srv_h_user_add(struct srv_req *r);
void srv_h_user_disable(struct srv_req *r);
void srv_h_key_list(struct srv_req *r);
void srv_h_key_create(struct srv_req *r);
void srv_h_key_revoke(struct srv_req *r);
void srv_h_reward_propose(struct srv_req *r);
void srv_h_reward_approve(struct srv_req *r);
void srv_h_reward_pay(struct srv_req *r);
void srv_h_reward_cancel(struct srv_req *r);
void srv_h_reward_get(struct srv_req *r);
void srv_h_reward_list(struct srv_req *r);
void srv_h_budget_get(struct srv_req *r);
void srv_h_budget_set(struct srv_req *r);
void srv_h_ledger_csv(struct srv_req *r);
void srv_h_ledger_xlsx(struct srv_req *r);
/* The rewards ledger of year (org 0 = every organisation in scope) as an .xlsx into r->out. */
fz_rc srv_ledger_xlsx(struct srv_req *r, int64_t org, int year, struct fz_err *err);
void srv_h_dashboard(struct srv_req *r);
void srv_h_case_public(struct srv_req *r);
void srv_h_case_list(struct srv_req *r);
void srv_h_case_add(struct srv_req *r);
void srv_h_case_get(struct srv_req *r);
void srv_h_case_update(struct srv_req *r);
void srv_h_case_publish(struct srv_req *r);
void srv_h_case_withdraw(struct srv_req *r);

/* MHD glue (http.c): start; stop accepting; stop (after the pool is drained: MHD must not
 * stop with suspended connections). */
fz_rc srv_http_start(struct fz_server *s, struct fz_err *err);
void srv_http_quiesce(struct fz_server *s);
void srv_http_stop(struct fz_server *s);

#endif
