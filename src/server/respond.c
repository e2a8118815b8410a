/* server/respond: JSON responses and the error object {"error": {"code", "message", "field"}}. */
#include "server_int.h"

#include <stdarg.h>
#include <stdio.h>

void srv_json_begin(struct srv_req *r, struct fz_json *j)
{
    fz_buf_reset(&r->out);
    fz_json_init(j, &r->out);
}

void srv_reply(struct srv_req *r, int status) { r->status = status; }

static const char *status_code_name(int status)
{
    switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "too_big";
    case 415: return "unsupported_media_type";
    case 422: return "invalid";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    default: return "internal";
    }
}

void srv_error(struct srv_req *r, int status, const char *code, const char *field, const char *fmt,
               ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "error");
    fz_json_obj(&j);
    fz_json_key(&j, "code");
    fz_json_cstr(&j, code ? code : status_code_name(status));
    fz_json_key(&j, "message");
    fz_json_cstr(&j, msg);
    if (field && *field) {
        fz_json_key(&j, "field");
        fz_json_cstr(&j, field);
    }
    fz_json_obj_end(&j);
    fz_json_obj_end(&j);
    r->content_type = NULL;
    r->status = status;
}

int srv_status_of(fz_rc rc)
{
    switch (rc) {
    case FZ_OK: return 200;
    case FZ_EPARSE:
    case FZ_EUTF8: return 400;
    case FZ_EINVAL: return 422;
    case FZ_EUNAUTH: return 401;
    case FZ_EFORBIDDEN: return 403;
    case FZ_ENOTFOUND: return 404;
    case FZ_ECONFLICT: return 409;
    case FZ_ETOOBIG: return 413;
    case FZ_ERATE: return 429;
    case FZ_EBUSY: return 503;
    default: return 500;
    }
}

void srv_fail(struct srv_req *r, fz_rc rc, const struct fz_err *err)
{
    int status = srv_status_of(rc);
    const char *msg = err && err->msg[0] ? err->msg : fz_strerror(rc);
    /* The details of an internal failure stay in the log, not in the answer. */
    if (status == 500)
        msg = "internal error";
    srv_error(r, status, fz_rc_name(rc), err ? err->field : NULL, "%s", msg);
}
