/*
 * server/r_accounts: organisations, users and API keys for administrators (auditors read).
 * Passwords are checked for strength by the store; a new API key is shown once, in the answer
 * to its creation, and never again.
 */
#include "server_int.h"

#include <sodium.h>
#include <string.h>

static void json_org(struct fz_json *j, const struct fz_org *o)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, o->id);
    fz_json_key(j, "name");
    fz_json_cstr(j, o->name);
    fz_json_key(j, "kind");
    fz_json_cstr(j, fz_org_kind_name(o->kind));
    fz_json_key(j, "centre");
    fz_json_bool(j, o->is_centre);
    srv_json_time(j, "created_at", o->created_ms);
    fz_json_obj_end(j);
}

static void json_user(struct fz_json *j, const struct fz_user *u)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, u->id);
    fz_json_key(j, "name");
    fz_json_cstr(j, u->name);
    fz_json_key(j, "org_id");
    fz_json_int(j, u->org_id);
    fz_json_key(j, "role");
    fz_json_cstr(j, fz_role_name(u->role));
    fz_json_key(j, "all_orgs");
    fz_json_bool(j, u->all_orgs);
    srv_json_time(j, "created_at", u->created_ms);
    srv_json_time(j, "last_login_at", u->last_login_ms);
    srv_json_time(j, "locked_until", u->locked_until_ms);
    srv_json_time(j, "disabled_at", u->disabled_ms);
    fz_json_obj_end(j);
}

static void json_key(struct fz_json *j, const struct fz_apikey *k)
{
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, k->id);
    fz_json_key(j, "public_id");
    fz_json_cstr(j, k->public_id);
    fz_json_key(j, "org_id");
    fz_json_int(j, k->org_id);
    fz_json_key(j, "role");
    fz_json_cstr(j, fz_role_name(k->role));
    fz_json_key(j, "name");
    fz_json_cstr(j, k->name);
    srv_json_time(j, "created_at", k->created_ms);
    srv_json_time(j, "expires_at", k->expires_ms);
    srv_json_time(j, "revoked_at", k->revoked_ms);
    srv_json_time(j, "last_used_at", k->last_used_ms);
    fz_json_obj_end(j);
}

/* ---- organisations ------------------------------------------------------------------------ */

static const struct srv_field org_fields[] = {
    {"name", SRV_T_STR, true, 1, FZ_STORE_NAME_MAX},
    {"kind", SRV_T_STR, true, 1, 16},
    {"centre", SRV_T_BOOL, false, 0, 0},
    {NULL, 0, false, 0, 0},
};

void srv_h_org_list(struct srv_req *r)
{
    struct fz_org *rows;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc = fz_store_org_list(r->srv->store, &r->actor, &r->arena, &rows, &n, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        SRV_REPLY_ITEMS(r, rows, n, json_org, -1);
}

void srv_h_org_add(struct srv_req *r)
{
    if (!srv_check_fields(r, org_fields))
        return;
    size_t len;
    const char *name = srv_str(r, "name", &len), *kind = srv_str(r, "kind", &len);
    enum fz_org_kind k;
    if (!fz_org_kind_parse(kind, strlen(kind), &k)) {
        srv_error(r, 422, "invalid", "kind",
                  "'kind' must be police, operator, bank, internet or community");
        return;
    }
    int64_t id;
    struct fz_err err = {0};
    fz_rc rc =
        fz_store_org_add(r->srv->store, &r->actor, name, k, srv_bool(r, "centre"), &id, &err);
    struct fz_org org;
    if (!rc)
        rc = fz_store_org_get(r->srv->store, &r->actor, id, &r->arena, &org, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    json_org(&j, &org);
    srv_reply(r, 201);
}

/* ---- users -------------------------------------------------------------------------------- */

static const struct srv_field user_fields[] = {
    {"name", SRV_T_STR, true, 1, FZ_STORE_NAME_MAX},
    {"password", SRV_T_STR, true, 1, 1024},
    {"role", SRV_T_STR, true, 1, 16},
    {"org_id", SRV_T_INT, false, 1, INT64_MAX},
    {NULL, 0, false, 0, 0},
};

static bool parse_role(struct srv_req *r, enum fz_role *role)
{
    size_t len;
    const char *s = srv_str(r, "role", &len);
    if (fz_role_parse(s, len, role) && *role != FZ_ROLE_NONE)
        return true;
    srv_error(r, 422, "invalid", "role",
              "'role' must be admin, analyst, officer, partner or auditor");
    return false;
}

void srv_h_user_list(struct srv_req *r)
{
    struct fz_user *rows;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc = fz_store_user_list(r->srv->store, &r->actor, &r->arena, &rows, &n, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        SRV_REPLY_ITEMS(r, rows, n, json_user, -1);
}

void srv_h_user_add(struct srv_req *r)
{
    struct fz_user_new u;
    if (!srv_check_fields(r, user_fields) || !parse_role(r, &u.role))
        return;
    size_t len;
    u.name = srv_str(r, "name", &len);
    u.password = srv_str(r, "password", &len);
    u.org_id = srv_int(r, "org_id", r->who.org_id); /* default: the admin's own organisation */
    int64_t id;
    struct fz_err err = {0};
    fz_rc rc = fz_store_user_add(r->srv->store, &r->actor, &u, &id, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, id);
    fz_json_key(&j, "name");
    fz_json_cstr(&j, u.name);
    fz_json_key(&j, "role");
    fz_json_cstr(&j, fz_role_name(u.role));
    fz_json_key(&j, "org_id");
    fz_json_int(&j, u.org_id);
    fz_json_obj_end(&j);
    srv_reply(r, 201);
}

void srv_h_user_disable(struct srv_req *r)
{
    struct fz_err err = {0};
    fz_rc rc = fz_store_user_disable(r->srv->store, &r->actor, r->id, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, r->id);
    fz_json_key(&j, "disabled");
    fz_json_bool(&j, true);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}

/* ---- API keys ----------------------------------------------------------------------------- */

static const struct srv_field key_fields[] = {
    {"role", SRV_T_STR, true, 1, 16},
    {"name", SRV_T_STR, true, 1, FZ_STORE_NAME_MAX},
    {"org_id", SRV_T_INT, false, 1, INT64_MAX},
    {"expires_ms", SRV_T_INT, false, 0, INT64_MAX},
    {NULL, 0, false, 0, 0},
};

void srv_h_key_list(struct srv_req *r)
{
    struct fz_apikey *rows;
    size_t n;
    struct fz_err err = {0};
    fz_rc rc = fz_store_apikey_list(r->srv->store, &r->actor, &r->arena, &rows, &n, &err);
    if (rc)
        srv_fail(r, rc, &err);
    else
        SRV_REPLY_ITEMS(r, rows, n, json_key, -1);
}

void srv_h_key_create(struct srv_req *r)
{
    struct fz_apikey_new k;
    if (!srv_check_fields(r, key_fields) || !parse_role(r, &k.role))
        return;
    size_t len;
    k.name = srv_str(r, "name", &len);
    k.org_id = srv_int(r, "org_id", r->who.org_id);
    k.expires_ms = srv_int(r, "expires_ms", 0);
    int64_t id;
    char key[FZ_STORE_APIKEY_SIZE];
    struct fz_err err = {0};
    fz_rc rc = fz_store_apikey_create(r->srv->store, &r->actor, &k, &id, key, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, id);
    fz_json_key(&j, "key");
    fz_json_cstr(&j, key);
    fz_json_key(&j, "note");
    fz_json_cstr(&j, "shown once: store it now");
    fz_json_obj_end(&j);
    sodium_memzero(key, sizeof key);
    srv_reply(r, 201);
}

void srv_h_key_revoke(struct srv_req *r)
{
    struct fz_err err = {0};
    fz_rc rc = fz_store_apikey_revoke(r->srv->store, &r->actor, r->id, &err);
    if (rc) {
        srv_fail(r, rc, &err);
        return;
    }
    srv_keycache_clear(r->srv->keys); /* revoked here: forgotten at once */
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_int(&j, r->id);
    fz_json_key(&j, "revoked");
    fz_json_bool(&j, true);
    fz_json_obj_end(&j);
    srv_reply(r, 200);
}
