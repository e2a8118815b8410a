/*
 * store/sqlite/accounts.c: organisations, users, sessions and API keys in SQLite.
 *
 * Row-level primitives only; store.c decides who may, hashes passwords and tokens, and writes
 * the audit record. Times are INTEGER ms, 0 meaning "never".
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <string.h>

static enum fz_role col_role(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    enum fz_role r = FZ_ROLE_NONE;
    if (t)
        fz_role_parse((const char *)t, (size_t)sqlite3_column_bytes(s, i), &r);
    return r;
}

static enum fz_org_kind col_org_kind(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    enum fz_org_kind k = FZ_ORG_POLICE;
    if (t)
        fz_org_kind_parse((const char *)t, (size_t)sqlite3_column_bytes(s, i), &k);
    return k;
}

/* Steps a statement that must change one row: FZ_ENOTFOUND when none matched. */
static fz_rc change_one(struct fz__sq *c, sqlite3_stmt *s) { return fz__sq_update(c, s); }

/* ---- organisations ------------------------------------------------------------------------- */

fz_rc fz__sq_org_insert(void *conn, const char *name, enum fz_org_kind k, bool centre, int64_t now,
                        int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_ORG_INSERT,
                                  "INSERT INTO orgs (name, kind, is_centre, created_ms)"
                                  " VALUES (?1, ?2, ?3, ?4) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, name);
    fz__sq_bind_text(s, 2, fz_org_kind_name(k));
    sqlite3_bind_int(s, 3, centre);
    sqlite3_bind_int64(s, 4, now);
    return fz__sq_insert_id(c, s, id);
}

#define ORG_COLS "id, name, kind, is_centre, created_ms"

static bool org_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_org *o = item;
    bool ok = true;
    o->id = sqlite3_column_int64(s, 0);
    o->name = fz__sq_col_text(s, 1, ar, &ok);
    o->kind = col_org_kind(s, 2);
    o->is_centre = sqlite3_column_int(s, 3) != 0;
    o->created_ms = sqlite3_column_int64(s, 4);
    return ok;
}

fz_rc fz__sq_org_get(void *conn, int64_t id, const char *name, int64_t scope, struct fz_arena *ar,
                     struct fz_org *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = name ? fz__sq_stmt(c, SQ_ORG_FIND,
                                         "SELECT " ORG_COLS
                                         " FROM orgs WHERE name = ?1 AND (?2 IS NULL OR id = ?2)")
                           : fz__sq_stmt(c, SQ_ORG_GET,
                                         "SELECT " ORG_COLS
                                         " FROM orgs WHERE id = ?1 AND (?2 IS NULL OR id = ?2)");
    if (!s)
        return FZ_E(FZ_EIO);
    if (name)
        fz__sq_bind_text(s, 1, name);
    else
        sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    return fz__sq_one(c, s, ar, org_row, out);
}

fz_rc fz__sq_org_list(void *conn, int64_t scope, struct fz_arena *ar, struct fz_org **out,
                      size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_ORG_LIST, "SELECT " ORG_COLS " FROM orgs WHERE ?1 IS NULL OR id = ?1 ORDER BY id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_id(s, 1, scope);
    return fz__sq_rows(c, s, ar, sizeof **out, org_row, (void **)out, n);
}

fz_rc fz__sq_org_centre(void *conn, int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_ORG_CENTRE,
                                  "SELECT id FROM orgs WHERE is_centre = 1 ORDER BY id LIMIT 1");
    if (!s)
        return FZ_E(FZ_EIO);
    return fz__sq_one(c, s, NULL, fz__sq_int64_row, id);
}

/* ---- users --------------------------------------------------------------------------------- */

fz_rc fz__sq_user_insert(void *conn, const struct fz_user_new *u, const char *pwhash, int64_t now,
                         int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_USER_INSERT,
                    "INSERT INTO users (org_id, name, role, password_hash, created_ms)"
                    " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, u->org_id);
    fz__sq_bind_text(s, 2, u->name);
    fz__sq_bind_text(s, 3, fz_role_name(u->role));
    fz__sq_bind_text(s, 4, pwhash);
    sqlite3_bind_int64(s, 5, now);
    return fz__sq_insert_id(c, s, id);
}

/* One row of the list below into *item (strings in ar); false when out of memory. */
static bool user_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_user *u = item;
    bool ok = true;
    u->id = sqlite3_column_int64(s, 0);
    u->name = fz__sq_col_text(s, 1, ar, &ok);
    u->org_id = sqlite3_column_int64(s, 2);
    u->role = col_role(s, 3);
    u->all_orgs = fz_role_all_orgs(u->role, sqlite3_column_int(s, 4) != 0);
    u->created_ms = sqlite3_column_int64(s, 5);
    u->last_login_ms = sqlite3_column_int64(s, 6);
    u->locked_until_ms = sqlite3_column_int64(s, 7);
    u->disabled_ms = sqlite3_column_int64(s, 8);
    return ok;
}

fz_rc fz__sq_user_list(void *conn, int64_t scope, struct fz_arena *ar, struct fz_user **out,
                       size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_USER_LIST,
        "SELECT u.id, u.name, u.org_id, u.role, o.is_centre, u.created_ms, u.last_login_ms,"
        " u.locked_until_ms, u.disabled_ms FROM users u JOIN orgs o ON o.id = u.org_id"
        " WHERE ?1 IS NULL OR u.org_id = ?1 ORDER BY u.id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_id(s, 1, scope);
    return fz__sq_rows(c, s, ar, sizeof **out, user_row, (void **)out, n);
}

fz_rc fz__sq_user_disable(void *conn, int64_t id, int64_t scope, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_USER_DISABLE,
                                  "UPDATE users SET disabled_ms = ?3 WHERE id = ?1"
                                  " AND (?2 IS NULL OR org_id = ?2) AND disabled_ms = 0");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    sqlite3_bind_int64(s, 3, now);
    fz_rc r = change_one(c, s);
    if (r != FZ_OK)
        return r;
    s = fz__sq_stmt(c, SQ_USER_END_SESSIONS,
                    "UPDATE sessions SET revoked_ms = ?2 WHERE user_id = ?1 AND revoked_ms = 0");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return fz__sq_run(c, s);
}

/* The row of the query below into *item (a struct fz__user_auth); ar is unused. */
static bool user_auth_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__user_auth *out = item;
    (void)ar;
    out->id = sqlite3_column_int64(s, 0);
    out->org_id = sqlite3_column_int64(s, 1);
    out->role = col_role(s, 2);
    out->all_orgs = fz_role_all_orgs(out->role, sqlite3_column_int(s, 3) != 0);
    fz__sq_col_copy(s, 4, out->name, sizeof out->name);
    fz__sq_col_copy(s, 5, out->hash, sizeof out->hash);
    out->failed_logins = sqlite3_column_int(s, 6);
    out->locked_until_ms = sqlite3_column_int64(s, 7);
    out->disabled_ms = sqlite3_column_int64(s, 8);
    return true;
}

fz_rc fz__sq_user_auth_get(void *conn, const char *name, int64_t id, struct fz__user_auth *out)
{
    struct fz__sq *c = conn;
#define AUTH_COLS                                                                                  \
    "SELECT u.id, u.org_id, u.role, o.is_centre, u.name, u.password_hash, u.failed_logins,"        \
    " u.locked_until_ms, u.disabled_ms FROM users u JOIN orgs o ON o.id = u.org_id "
    sqlite3_stmt *s = id ? fz__sq_stmt(c, SQ_USER_AUTH_ID, AUTH_COLS "WHERE u.id = ?1")
                         : fz__sq_stmt(c, SQ_USER_AUTH_NAME, AUTH_COLS "WHERE u.name = ?1");
#undef AUTH_COLS
    if (!s)
        return FZ_E(FZ_EIO);
    if (id)
        sqlite3_bind_int64(s, 1, id);
    else
        fz__sq_bind_text(s, 1, name);
    return fz__sq_one(c, s, NULL, user_auth_row, out);
}

fz_rc fz__sq_user_login_update(void *conn, int64_t id, int failed, int64_t locked_until_ms,
                               int64_t last_login_ms, const char *new_hash)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_USER_LOGIN,
                    "UPDATE users SET failed_logins = ?2, locked_until_ms = ?3,"
                    " last_login_ms = CASE WHEN ?4 > 0 THEN ?4 ELSE last_login_ms END,"
                    " password_hash = coalesce(?5, password_hash) WHERE id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, failed);
    sqlite3_bind_int64(s, 3, locked_until_ms);
    sqlite3_bind_int64(s, 4, last_login_ms);
    fz__sq_bind_text(s, 5, new_hash);
    return change_one(c, s);
}

/* ---- sessions ------------------------------------------------------------------------------ */

fz_rc fz__sq_session_insert(void *conn, const uint8_t *token_hash, const uint8_t *csrf_hash,
                            int64_t user_id, int64_t now, int64_t expires_ms)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_SESSION_INSERT,
                    "INSERT INTO sessions (token_hash, csrf_hash, user_id, created_ms,"
                    " last_seen_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_blob(s, 1, token_hash, FZ__HASH_LEN);
    fz__sq_bind_blob(s, 2, csrf_hash, FZ__HASH_LEN);
    sqlite3_bind_int64(s, 3, user_id);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, expires_ms);
    return fz__sq_run(c, s);
}

/* Columns 0 to 6 of the session and API key queries into *p of kind (a user or a key): the
 * user or key id, org_id, role, is_centre, name, a hash into hash (the session's CSRF hash or
 * the key's hash; left as it is unless FZ__HASH_LEN bytes) and expires_ms. */
static void principal_cols(sqlite3_stmt *s, enum fz_actor_kind kind, struct fz_principal *p,
                           uint8_t *hash)
{
    p->kind = kind;
    if (kind == FZ_ACTOR_USER)
        p->user_id = sqlite3_column_int64(s, 0);
    else
        p->key_id = sqlite3_column_int64(s, 0);
    p->org_id = sqlite3_column_int64(s, 1);
    p->role = col_role(s, 2);
    p->all_orgs = fz_role_all_orgs(p->role, sqlite3_column_int(s, 3) != 0);
    fz__sq_col_copy(s, 4, p->name, sizeof p->name);
    if (sqlite3_column_bytes(s, 5) == FZ__HASH_LEN)
        memcpy(hash, sqlite3_column_blob(s, 5), FZ__HASH_LEN);
    p->expires_ms = sqlite3_column_int64(s, 6);
}

/* The row of the query below into *item (a struct fz__session_row, cleared first); ar is
 * unused. */
static bool session_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__session_row *out = item;
    (void)ar;
    memset(out, 0, sizeof *out);
    principal_cols(s, FZ_ACTOR_USER, &out->p, out->p.csrf_hash);
    out->last_seen_ms = sqlite3_column_int64(s, 7);
    out->revoked_ms = sqlite3_column_int64(s, 8);
    out->user_disabled_ms = sqlite3_column_int64(s, 9);
    return true;
}

fz_rc fz__sq_session_get(void *conn, const uint8_t *token_hash, struct fz__session_row *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_SESSION_GET,
        "SELECT u.id, u.org_id, u.role, o.is_centre, u.name, s.csrf_hash, s.expires_ms,"
        " s.last_seen_ms, s.revoked_ms, u.disabled_ms FROM sessions s"
        " JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_blob(s, 1, token_hash, FZ__HASH_LEN);
    return fz__sq_one(c, s, NULL, session_row, out);
}

fz_rc fz__sq_session_touch(void *conn, const uint8_t *token_hash, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_SESSION_TOUCH,
                                  "UPDATE sessions SET last_seen_ms = ?2 WHERE token_hash = ?1"
                                  " AND last_seen_ms < ?2");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_blob(s, 1, token_hash, FZ__HASH_LEN);
    sqlite3_bind_int64(s, 2, now);
    return fz__sq_run(c, s);
}

fz_rc fz__sq_session_revoke(void *conn, const uint8_t *token_hash, int64_t now, int64_t *user_id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_SESSION_REVOKE,
                                  "UPDATE sessions SET revoked_ms = ?2 WHERE token_hash = ?1"
                                  " AND revoked_ms = 0 RETURNING user_id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_blob(s, 1, token_hash, FZ__HASH_LEN);
    sqlite3_bind_int64(s, 2, now);
    *user_id = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *user_id = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE) {
        sqlite3_reset(s);
        return fz__sq_rc(c, rc);
    }
    return fz__sq_run(c, s);
}

/* ---- API keys ------------------------------------------------------------------------------ */

fz_rc fz__sq_apikey_insert(void *conn, const char *public_id, const uint8_t *hash,
                           const struct fz_apikey_new *k, int64_t created_by, int64_t now,
                           int64_t *id)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(
        c, SQ_KEY_INSERT,
        "INSERT INTO api_keys (public_id, key_hash, org_id, role, name, created_by, created_ms,"
        " expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, public_id);
    fz__sq_bind_blob(s, 2, hash, FZ__HASH_LEN);
    sqlite3_bind_int64(s, 3, k->org_id);
    fz__sq_bind_text(s, 4, fz_role_name(k->role));
    fz__sq_bind_text(s, 5, k->name);
    fz__sq_bind_id(s, 6, created_by);
    sqlite3_bind_int64(s, 7, now);
    sqlite3_bind_int64(s, 8, k->expires_ms);
    return fz__sq_insert_id(c, s, id);
}

/* The row of the query below into *item (a struct fz__apikey_row, cleared first); ar is
 * unused. */
static bool apikey_auth_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz__apikey_row *out = item;
    (void)ar;
    memset(out, 0, sizeof *out);
    principal_cols(s, FZ_ACTOR_API_KEY, &out->p, out->hash);
    out->revoked_ms = sqlite3_column_int64(s, 7);
    out->last_used_ms = sqlite3_column_int64(s, 8);
    return true;
}

fz_rc fz__sq_apikey_get(void *conn, const char *public_id, struct fz__apikey_row *out)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_KEY_GET,
                    "SELECT k.id, k.org_id, k.role, o.is_centre, k.name, k.key_hash, k.expires_ms,"
                    " k.revoked_ms, k.last_used_ms FROM api_keys k JOIN orgs o ON o.id = k.org_id"
                    " WHERE k.public_id = ?1");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_text(s, 1, public_id);
    return fz__sq_one(c, s, NULL, apikey_auth_row, out);
}

fz_rc fz__sq_apikey_touch(void *conn, int64_t id, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_KEY_TOUCH,
                    "UPDATE api_keys SET last_used_ms = ?2 WHERE id = ?1 AND last_used_ms < ?2");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return fz__sq_run(c, s);
}

/* One row of the list below into *item (strings in ar); false when out of memory. */
static bool apikey_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    struct fz_apikey *k = item;
    bool ok = true;
    k->id = sqlite3_column_int64(s, 0);
    k->public_id = fz__sq_col_text(s, 1, ar, &ok);
    k->org_id = sqlite3_column_int64(s, 2);
    k->role = col_role(s, 3);
    k->name = fz__sq_col_text(s, 4, ar, &ok);
    k->created_ms = sqlite3_column_int64(s, 5);
    k->expires_ms = sqlite3_column_int64(s, 6);
    k->revoked_ms = sqlite3_column_int64(s, 7);
    k->last_used_ms = sqlite3_column_int64(s, 8);
    return ok;
}

fz_rc fz__sq_apikey_list(void *conn, int64_t scope, struct fz_arena *ar, struct fz_apikey **out,
                         size_t *n)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s =
        fz__sq_stmt(c, SQ_KEY_LIST,
                    "SELECT id, public_id, org_id, role, name, created_ms, expires_ms, revoked_ms,"
                    " last_used_ms FROM api_keys WHERE ?1 IS NULL OR org_id = ?1 ORDER BY id");
    if (!s)
        return FZ_E(FZ_EIO);
    fz__sq_bind_id(s, 1, scope);
    return fz__sq_rows(c, s, ar, sizeof **out, apikey_row, (void **)out, n);
}

fz_rc fz__sq_apikey_revoke(void *conn, int64_t id, int64_t scope, int64_t now)
{
    struct fz__sq *c = conn;
    sqlite3_stmt *s = fz__sq_stmt(c, SQ_KEY_REVOKE,
                                  "UPDATE api_keys SET revoked_ms = ?3 WHERE id = ?1"
                                  " AND (?2 IS NULL OR org_id = ?2) AND revoked_ms = 0");
    if (!s)
        return FZ_E(FZ_EIO);
    sqlite3_bind_int64(s, 1, id);
    fz__sq_bind_id(s, 2, scope);
    sqlite3_bind_int64(s, 3, now);
    return change_one(c, s);
}
