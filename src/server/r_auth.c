/* server/r_auth: POST /auth/login, POST /auth/logout, GET /auth/me. */
#include "server_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const struct srv_field login_fields[] = {
    {"name", SRV_T_STR, true, 1, FZ_STORE_NAME_MAX},
    {"password", SRV_T_STR, true, 1, 1024},
    {NULL, 0, false, 0, 0},
};

static void json_principal(struct fz_json *j, const struct fz_principal *p)
{
    fz_json_key(j, "kind");
    fz_json_cstr(j, fz_actor_kind_name(p->kind));
    srv_json_id_or_null(j, "user_id", p->user_id);
    srv_json_id_or_null(j, "key_id", p->key_id);
    fz_json_key(j, "name");
    fz_json_cstr(j, p->name);
    fz_json_key(j, "role");
    fz_json_cstr(j, fz_role_name(p->role));
    srv_json_id_or_null(j, "org_id", p->org_id);
    fz_json_key(j, "all_orgs");
    fz_json_bool(j, p->all_orgs);
    srv_json_time(j, "expires_at", p->expires_ms);
}

/* The session cookie: never readable by scripts, never sent cross-site. */
static void set_session_cookie(struct srv_req *r, const char *token, int64_t max_age_s)
{
    char *c = fz_arena_alloc(&r->arena, 160);
    if (!c)
        return;
    snprintf(c, 160, "fz_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld", token,
             (long long)max_age_s);
    r->set_cookie = c;
}

void srv_h_login(struct srv_req *r)
{
    if (!srv_check_fields(r, login_fields))
        return;
    size_t nl, pl;
    const char *name = srv_str(r, "name", &nl);
    const char *pw = srv_str(r, "password", &pl);
    if (strlen(name) != nl || strlen(pw) != pl) {
        srv_error(r, 422, "invalid", NULL, "name and password must not contain NUL");
        return;
    }
    struct fz_principal who;
    struct fz_session_new sess;
    struct fz_err err = {0};
    fz_rc rc = fz_store_login(r->srv->store, &r->actor, name, pw, &who, &sess, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    int64_t ttl_s = (sess.expires_ms - srv_now_ms()) / 1000;
    set_session_cookie(r, sess.token, ttl_s > 0 ? ttl_s : 0);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "user");
    fz_json_obj(&j);
    json_principal(&j, &who);
    fz_json_obj_end(&j);
    fz_json_key(&j, "csrf_token");
    fz_json_cstr(&j, sess.csrf);
    srv_json_time(&j, "expires_at", sess.expires_ms);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

void srv_h_logout(struct srv_req *r)
{
    const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "fz_session");
    struct fz_err err = {0};
    fz_rc rc =
        r->by_cookie && token ? fz_store_logout(r->srv->store, &r->actor, token, &err) : FZ_OK;
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    set_session_cookie(r, "", 0);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "logged_out");
    fz_json_bool(&j, true);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

void srv_h_me(struct srv_req *r)
{
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    json_principal(&j, &r->who);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}
