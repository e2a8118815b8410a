/*
 * server/http: libmicrohttpd glue and the life of one request.
 *
 * MHD calls the access handler once with the headers, once per piece of the body, and once
 * more at the end. The route, the caller's rights and Content-Length are judged on the first
 * call, but the answer is queued only on the last one: a response queued on the first call
 * makes MHD answer "Connection: close", and every keep-alive client would pay a new connection
 * per request (5x fewer requests per second in a spike). The one exception is a body announced
 * bigger than allowed: 413 is queued at once, before any of it is read, and MHD then closes the
 * connection. A chunked body that outgrows the cap is dropped as it arrives and answered 413;
 * after four times the cap the connection is cut, so nobody streams forever.
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

FZ_LOG_MODULE(http);

#define SHUTDOWN_GRACE_MS 10000

uint64_t srv_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t srv_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *srv_arg(struct srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static struct srv_req *req_new(struct fz_server *s, struct MHD_Connection *conn)
{
    struct srv_req *r = fz_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->srv = s;
    r->conn = conn;
    r->t0_ns = srv_now_ns();
    r->request_no = atomic_fetch_add_explicit(&s->requests, 1, memory_order_relaxed) + 1;
    atomic_fetch_add_explicit(&s->inflight, 1, memory_order_relaxed);
    fz_buf_init(&r->body, s->o.body_max);
    fz_buf_init(&r->out, SRV_OUT_MAX);
    fz_arena_init(&r->arena, 4096);
    return r;
}

static void req_free(struct srv_req *r)
{
    if (r->doc)
        json_decref(r->doc);
    fz_buf_release(&r->body);
    fz_buf_release(&r->out);
    fz_arena_release(&r->arena);
    fz_free(r);
}

/* Judges what the headers say; an error is remembered in r->early_status. */
static void judge_headers(struct srv_req *r, const char *method, const char *url)
{
    enum srv_method m;
    int status = 0;
    if (!srv_method_parse(method, &m)) {
        r->early_status = 405;
        fz_err_set(&r->early, FZ_EINVAL, "method %.16s is not supported", method);
        return;
    }
    r->route = srv_route_match(r, m, url, &status);
    if (!r->route && m == SRV_GET && (r->asset = srv_asset_find(r->srv->assets, url)) != NULL)
        return;
    if (!r->route) {
        r->early_status = status;
        fz_err_set(&r->early, status == 404 ? FZ_ENOTFOUND : FZ_EINVAL, "%s",
                   status == 404 ? "no such endpoint" : "method not allowed on this endpoint");
        return;
    }
    if (r->route->flags & SRV_BODY_JSON) {
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
            r->early_status = 415;
            fz_err_set(&r->early, FZ_EINVAL,
                       "the body must be JSON (Content-Type: application/json)");
        }
    }
}

/* Content-Length over the cap: true when 413 must be answered before the body is read. */
static bool announced_too_big(struct srv_req *r)
{
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    if (!cl)
        return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno || *end || n > r->srv->o.body_max;
}

/* Pages may load only what this server serves: no inline script or style, no other origin. */
#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "             \
    "form-action 'self'"

static void add_common_headers(struct MHD_Response *resp, const char *content_type,
                               const char *cache)
{
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Cache-Control", cache);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

/* A web page or file from memory; 304 when the browser already has this version. */
static enum MHD_Result queue_asset(struct srv_req *r)
{
    const char *etag = srv_asset_etag(r->asset);
    const char *have = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    bool fresh = have && !strcmp(have, etag);
    size_t len = 0;
    const char *body = fresh ? "" : srv_asset_body(r->asset, &len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    /* no-cache: the browser may keep it, but asks each time whether it changed */
    add_common_headers(resp, srv_asset_type(r->asset), "no-cache");
    MHD_add_response_header(resp, "ETag", etag);
    r->status = fresh ? 304 : 200;
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result queue(struct srv_req *r)
{
    if (!r->status)
        srv_error(r, 500, "internal", NULL, "the handler gave no answer");
    size_t len = r->out.len;
    void *body = r->out.ptr;
    r->out.ptr = NULL; /* MHD owns it now */
    r->out.len = r->out.cap = 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
        len, body ? body : (void *)"", body ? fz_free : NULL);
    if (!resp) {
        fz_free(body);
        return MHD_NO;
    }
    add_common_headers(resp, r->content_type ? r->content_type : "application/json; charset=utf-8",
                       "no-store");
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->status == 429 || r->status == 503)
        MHD_add_response_header(resp, "Retry-After", r->code[0] ? r->code : "1");
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Parses a JSON body: valid UTF-8, one object. Answers 400 and returns false otherwise. */
static bool parse_body(struct srv_req *r)
{
    const char *start = r->body.ptr ? r->body.ptr : "", *end = start + r->body.len;
    if (!fz_utf8_valid(start, r->body.len)) {
        size_t bad = 0;
        for (const char *p = start, *at = p; p < end; at = p) {
            uint32_t cp;
            if (!fz_utf8_decode(&p, end, &cp)) {
                bad = (size_t)(at - start);
                break;
            }
        }
        srv_error(r, 400, "bad_utf8", NULL, "the body is not valid UTF-8 (byte %zu)", bad);
        return false;
    }
    struct fz_err err = {0};
    if (fz_json_parse(r->body.ptr ? r->body.ptr : "", r->body.len, &r->doc, &err) != FZ_OK) {
        srv_error(r, 400, "parse_error", NULL, "%s", err.msg);
        return false;
    }
    if (!json_is_object(r->doc)) {
        srv_error(r, 400, "parse_error", NULL, "the body must be a JSON object");
        return false;
    }
    return true;
}

/* The client's address as a rate-limit key: IPv4 whole, IPv6 by its /64 (one subscriber). */
static size_t client_key(struct srv_req *r, uint8_t key[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return 0;
    if (ci->client_addr->sa_family == AF_INET) {
        memcpy(key, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, 4);
        return 4;
    }
    if (ci->client_addr->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, 8);
        return 8;
    }
    return 0;
}

/* Anonymous callers of rate-limited routes take a token; false (429 answered) when none is
 * left. */
static bool within_rate(struct srv_req *r)
{
    const struct fz_server_opts *o = &r->srv->o;
    enum srv_rate_class c;
    int rate, burst;
    int64_t period;
    if (r->authed && !(r->route->flags & SRV_RATE_LOGIN))
        return true; /* partners and staff are not throttled like anonymous callers */
    if ((r->route->flags & SRV_RATE_CHECK) && o->check_per_s > 0) {
        c = SRV_RATE_CHECK_C, rate = o->check_per_s, burst = 2 * rate, period = 1000;
    } else if ((r->route->flags & SRV_RATE_REPORT) && o->report_per_min > 0) {
        c = SRV_RATE_REPORT_C, rate = o->report_per_min, burst = 2 * rate, period = 60000;
    } else if (r->route->flags & SRV_RATE_LOGIN) {
        c = SRV_RATE_LOGIN_C, rate = 10, burst = 10, period = 60000;
    } else {
        return true;
    }
    uint8_t key[16];
    size_t n = client_key(r, key);
    int retry = 1;
    if (!n || srv_ratelimit_take(r->srv->rl, c, key, n, rate, period, burst, &retry))
        return true;
    atomic_fetch_add_explicit(&r->srv->metrics.rate_limited[c], 1, memory_order_relaxed);
    srv_error(r, 429, "rate_limited", NULL, "too many requests: try again in %d s", retry);
    snprintf(r->code, sizeof r->code, "%d", retry); /* the Retry-After header */
    return false;
}

void srv_run(struct srv_req *r)
{
    if (r->early_status) {
        srv_fail(r, r->early.code, &r->early);
        r->status = r->early_status;
        return;
    }
    if (r->too_big) {
        srv_error(r, 413, "too_big", NULL, "the body is over %zu bytes", r->srv->o.body_max);
        return;
    }
    if (!srv_authorize(r) || !within_rate(r))
        return;
    if ((r->route->flags & SRV_BODY_JSON) && !parse_body(r))
        return;
    r->route->handler(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct srv_req *r = *con_cls;
    if (!r) {
        r = req_new(cls, conn);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        judge_headers(r, method, url);
        if (announced_too_big(r)) {
            srv_error(r, 413, "too_big", NULL, "the body is over %zu bytes", r->srv->o.body_max);
            return queue(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (!r->too_big && fz_buf_add(&r->body, upload_data, n) != FZ_OK)
            r->too_big = true;
        if (r->too_big && (r->dropped += n) > 4 * r->srv->o.body_max)
            return MHD_NO;
        return MHD_YES;
    }
    if (r->asset && !r->early_status && !r->too_big)
        return queue_asset(r);
    if (r->ran || r->early_status || r->too_big || (r->route->flags & SRV_INLINE)) {
        if (!r->ran)
            srv_run(r);
        return queue(r);
    }
    /* It may block: a worker runs it, and resumes the connection to have it sent. */
    MHD_suspend_connection(conn);
    srv_pool_submit(r->srv->pool, r);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)conn;
    (void)why;
    struct fz_server *s = cls;
    struct srv_req *r = *con_cls;
    if (!r)
        return;
    srv_metrics_request(&s->metrics, r->route, r->status, srv_now_ns() - r->t0_ns);
    req_free(r);
    atomic_fetch_sub_explicit(&s->inflight, 1, memory_order_relaxed);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) FZ_PRINTF(2, 0);
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    fz_log(FZ_LOG_WARN, "%s", msg);
}

/* Binds "ADDR:PORT" (IPv4 or [IPv6]) itself, so port 0 and errors are ours to report. */
static fz_rc bind_listen(const char *addr, int *fd_out, struct fz_err *err)
{
    char host[64];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host || !colon[1])
        return fz_err_set(err, FZ_EINVAL, "listen address '%s': want ADDR:PORT", addr);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return fz_err_set(err, FZ_EINVAL, "listen address '%s': bad port", addr);
    size_t hl = (size_t)(colon - addr);
    memcpy(host, addr, hl);
    host[hl] = '\0';
    struct sockaddr_storage ss = {0};
    socklen_t sl;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
            return fz_err_set(err, FZ_EINVAL, "listen address '%s': bad IPv6 address", addr);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        sl = sizeof *v6;
    } else {
        if (inet_pton(AF_INET, host, &v4->sin_addr) != 1)
            return fz_err_set(err, FZ_EINVAL, "listen address '%s': bad IPv4 address", addr);
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        sl = sizeof *v4;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fz_err_set(err, FZ_EIO, "socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 1024) != 0) {
        int e = errno;
        close(fd);
        return fz_err_set(err, FZ_EIO, "cannot listen on %s: %s", addr, strerror(e));
    }
    *fd_out = fd;
    return FZ_OK;
}

fz_rc srv_http_start(struct fz_server *s, struct fz_err *err)
{
    int fd = -1;
    fz_rc rc = bind_listen(s->o.listen, &fd, err);
    if (rc)
        return rc;
    s->mhd = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO |
                                  MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
                              0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
                              s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
                              (unsigned)s->o.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                              (size_t)16 * 1024, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->mhd) {
        close(fd);
        return fz_err_set(err, FZ_EIO, "cannot start the HTTP server on %s", s->o.listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    return FZ_OK;
}

void srv_http_quiesce(struct fz_server *s)
{
    if (!s->mhd)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->mhd);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

void srv_http_stop(struct fz_server *s)
{
    /* Answers already on their way get SHUTDOWN_GRACE_MS to leave before MHD closes every
     * connection. */
    for (int waited = 0; s->mhd && atomic_load(&s->inflight) > 0 && waited < SHUTDOWN_GRACE_MS;
         waited += 5)
        usleep(5000);
    if (s->mhd)
        MHD_stop_daemon(s->mhd);
    s->mhd = NULL;
}
