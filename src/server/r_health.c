/* server/r_health: GET /healthz (liveness and what is loaded) and GET /metrics. */
#include "server_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

void srv_h_healthz(struct srv_req *r)
{
    struct srv_engine *e = srv_engine_acquire(r->srv);
    struct fz_ind_index *x = fz_ind_handle_acquire(&r->srv->intel);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "status");
    fz_json_cstr(&j, e ? "ok" : "starting");
    fz_json_key(&j, "engine");
    fz_json_uint(&j, e ? e->gen : 0);
    fz_json_key(&j, "model");
    fz_json_bool(&j, e && e->model);
    fz_json_key(&j, "intel_seq");
    fz_json_uint(&j, x ? fz_ind_index_seq(x) : 0);
    fz_json_key(&j, "uptime_s");
    fz_json_int(&j, (srv_now_ms() - r->srv->started_ms) / 1000);
    fz_json_obj_end(&j);
    fz_ind_index_unref(x);
    srv_reply(r, e ? 200 : 503);
    srv_engine_release(e);
}

/* Metrics are for the machine's own scraper: loopback clients only (until staff roles can
 * reach them through a login). */
static bool from_loopback(struct srv_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return false;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return false;
}

void srv_h_metrics(struct srv_req *r)
{
    if (!from_loopback(r)) {
        srv_error(r, 403, "forbidden", NULL, "metrics are served to loopback clients only");
        return;
    }
    fz_buf_reset(&r->out);
    srv_metrics_render(r->srv, &r->out);
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    srv_reply(r, 200);
}
