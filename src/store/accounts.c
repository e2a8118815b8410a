/*
 * store/accounts.c: users, passwords, sessions and API keys (public API).
 *
 * Passwords are argon2id hashes (libsodium crypto_pwhash_str). Hashing and verifying run on the
 * caller's thread, never on the writer's, so a login does not hold up other writes. Session
 * tokens, CSRF tokens and API keys are 32 random bytes shown once; only their BLAKE2b-256 hashes
 * are stored. An unknown user, a wrong password, a disabled or a locked user all get the same
 * answer, after the same work.
 */
#include "compat.h"

#include "store_int.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define LOCK_AFTER 10            /* consecutive failures */
#define LOCK_MS (15 * 60 * 1000) /* for 15 minutes */
#define TOUCH_MS (60 * 1000)     /* refresh last-seen times at most once a minute */
#define BAD_LOGIN "wrong user name or password"
#define BAD_KEY "invalid API key"

/* ---- passwords ------------------------------------------------------------------------------ */

/* Lower-case ASCII stems of the passwords people choose first; a password that is one of them
 * followed only by digits and punctuation is refused too. */
static const char *const common[] = {
    "password", "passw0rd", "p@ssw0rd", "qwerty", "qwertyuiop", "asdfghjkl", "1q2w3e4r",
    "123456",   "12345678", "abc123",   "admin",  "welcome",    "iloveyou",  "letmein",
    "woaini",   "aini1314", "zxcvbnm",  "111111", "000000",     "changeme",  "fangzha",
};

static bool only_digits_punct(const char *s)
{
    for (; *s; s++)
        if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return false;
    return true;
}

static bool icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

fz_rc fz_password_check(const char *name, const char *pw, struct fz_err *err)
{
    if (!pw || !*pw)
        return fz_err_setloc(err, FZ_EINVAL, 0, "password", "a password is required");
    size_t len = strlen(pw);
    if (len > 1024)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "password", "the password is over 1024 bytes");
    if (!fz_utf8_valid(pw, len))
        return fz_err_setloc(err, FZ_EUTF8, 0, "password", "the password is not valid UTF-8");
    size_t chars = 0;
    int classes[4] = {0};
    for (const char *p = pw; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c & 0xc0) != 0x80)
            chars++;
        classes[islower(c) ? 0 : isupper(c) ? 1 : isdigit(c) ? 2 : 3] = 1;
    }
    if (chars < 12)
        return fz_err_setloc(err, FZ_EINVAL, 0, "password",
                             "the password is too short: at least 12 characters");
    if (classes[0] + classes[1] + classes[2] + classes[3] < 2)
        return fz_err_setloc(err, FZ_EINVAL, 0, "password",
                             "the password has one kind of character only: mix letters, digits "
                             "or symbols");
    if (name && strlen(name) >= 3 && icontains(pw, name))
        return fz_err_setloc(err, FZ_EINVAL, 0, "password", "the password contains the user name");
    char low[1025];
    size_t i = 0;
    for (; pw[i] && i < sizeof low - 1; i++)
        low[i] = (char)tolower((unsigned char)pw[i]);
    low[i] = '\0';
    for (size_t k = 0; k < sizeof common / sizeof common[0]; k++) {
        size_t n = strlen(common[k]);
        if (strncmp(low, common[k], n) == 0 && only_digits_punct(low + n))
            return fz_err_setloc(err, FZ_EINVAL, 0, "password", "the password is too common");
    }
    sodium_memzero(low, sizeof low);
    return FZ_OK;
}

static fz_rc hash_password(struct fz_store *st, const char *pw, char out[FZ__PWHASH_MAX],
                           struct fz_err *err)
{
    if (crypto_pwhash_str(out, pw, strlen(pw), st->opts.pwhash_ops, st->opts.pwhash_mem) != 0)
        return fz_err_set(err, FZ_ENOMEM, "out of memory hashing the password");
    return FZ_OK;
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void hash32(const void *p, size_t n, uint8_t out[FZ__HASH_LEN])
{
    crypto_generichash(out, FZ__HASH_LEN, p, n, NULL, 0);
}

/* 32 random bytes as unpadded base64url (43 characters) into out[FZ_STORE_TOKEN_SIZE]. */
static void new_token(char out[FZ_STORE_TOKEN_SIZE])
{
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, FZ_STORE_TOKEN_SIZE, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

static fz_rc check_name(const char *name, struct fz_err *err)
{
    if (!name || !*name)
        return fz_err_setloc(err, FZ_EINVAL, 0, "name", "a user name is required");
    size_t len = strlen(name);
    if (len > FZ_STORE_NAME_MAX)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "name", "the user name is over %d bytes",
                             FZ_STORE_NAME_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '@' && c != '-')
            return fz_err_setloc(err, FZ_EINVAL, 0, "name",
                                 "a user name has letters, digits and . _ @ - only");
    }
    return FZ_OK;
}

static fz_rc copy_err(struct fz_err *err, const struct fz__wop *op)
{
    if (err && op->rc != FZ_OK)
        *err = op->err;
    return op->rc;
}

/* Admins of org_id (or of every organisation), CLI and SYSTEM. */
static bool may_admin(const struct fz_actor *a, int64_t org_id)
{
    if (fz__store_trusted(a))
        return true;
    return a->role == FZ_ROLE_ADMIN && (a->all_orgs || a->org_id == org_id);
}

/* ---- users ---------------------------------------------------------------------------------- */

struct user_add {
    const struct fz_user_new *u;
    const char *hash;
    int64_t id;
};

static fz_rc do_user_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct user_add *c = op->ctx;
    if (!may_admin(op->actor, c->u->org_id))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only admins add users");
    struct fz_arena ar;
    fz_arena_init(&ar, 512);
    struct fz_org org;
    fz_rc rc = st->be->org_get(conn, c->u->org_id, NULL, fz__store_scope(op->actor), &ar, &org);
    fz_arena_release(&ar);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(&op->err, rc, 0, "org", "organisation %lld not found",
                             (long long)c->u->org_id);
    if (rc == FZ_OK)
        rc = st->be->user_insert(conn, c->u, c->hash, op->now_ms, &c->id);
    if (rc == FZ_ECONFLICT)
        return fz_err_setloc(&op->err, rc, 0, "name", "user '%s' exists", c->u->name);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding a user");
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail, "role=%s org=%lld", fz_role_name(c->u->role),
             (long long)c->u->org_id);
    return FZ_OK;
}

fz_rc fz_store_user_add(struct fz_store *st, const struct fz_actor *a, const struct fz_user_new *u,
                        int64_t *id, struct fz_err *err)
{
    fz_rc rc = check_name(u->name, err);
    if (rc == FZ_OK)
        rc = fz_password_check(u->name, u->password, err);
    if (rc != FZ_OK)
        return rc;
    if (u->role == FZ_ROLE_NONE || !fz_role_name(u->role))
        return fz_err_setloc(err, FZ_EINVAL, 0, "role", "a user needs a role");
    char hash[FZ__PWHASH_MAX];
    rc = hash_password(st, u->password, hash, err);
    if (rc != FZ_OK)
        return rc;
    struct user_add c = {u, hash, 0};
    struct fz__wop op = {
        .fn = do_user_add, .ctx = &c, .actor = a, .action = "user.add", .object_kind = "user"};
    rc = fz__store_write(st, &op);
    sodium_memzero(hash, sizeof hash);
    if (rc != FZ_OK)
        return copy_err(err, &op);
    if (id)
        *id = c.id;
    return FZ_OK;
}

fz_rc fz_store_user_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                         struct fz_user **out, size_t *n, struct fz_err *err)
{
    if (!fz__store_trusted(a) && a->role != FZ_ROLE_ADMIN && a->role != FZ_ROLE_AUDITOR)
        return fz_err_set(err, FZ_EFORBIDDEN, "only admins and auditors list users");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->user_list(r->conn, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "listing users");
}

static fz_rc do_user_disable(struct fz_store *st, void *conn, struct fz__wop *op)
{
    if (!fz__store_trusted(op->actor) && op->actor->role != FZ_ROLE_ADMIN)
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only admins disable users");
    fz_rc rc = st->be->user_disable(conn, op->object_id, fz__store_scope(op->actor), op->now_ms);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, rc, "user %lld not found or already disabled",
                          (long long)op->object_id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(&op->err, rc, "disabling a user");
}

fz_rc fz_store_user_disable(struct fz_store *st, const struct fz_actor *a, int64_t user_id,
                            struct fz_err *err)
{
    struct fz__wop op = {.fn = do_user_disable,
                         .actor = a,
                         .action = "user.disable",
                         .object_kind = "user",
                         .object_id = user_id};
    fz__store_write(st, &op);
    return copy_err(err, &op);
}

/* ---- login and sessions --------------------------------------------------------------------- */

struct login {
    int64_t user_id; /* 0 for an unknown user */
    bool ok;         /* the password verified and the user may log in */
    const char *new_hash;
    uint8_t token_hash[FZ__HASH_LEN];
    uint8_t csrf_hash[FZ__HASH_LEN];
    int64_t expires_ms;
    struct fz__user_auth user; /* as read in the transaction */
};

static fz_rc do_login(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct login *c = op->ctx;
    op->keep = true; /* a failure's counter must be committed */
    if (!c->user_id)
        return fz_err_set(&op->err, FZ_EUNAUTH, BAD_LOGIN);
    fz_rc rc = st->be->user_auth_get(conn, NULL, c->user_id, &c->user);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "login");
    struct fz__user_auth *u = &c->user;
    op->object_id = u->id;
    bool locked = u->locked_until_ms > op->now_ms;
    if (c->ok && !locked && !u->disabled_ms) {
        rc = st->be->user_login_update(conn, u->id, 0, 0, op->now_ms, c->new_hash);
        if (rc == FZ_OK)
            rc = st->be->session_insert(conn, c->token_hash, c->csrf_hash, u->id, op->now_ms,
                                        op->now_ms + st->opts.session_ttl_ms);
        if (rc != FZ_OK) {
            op->keep = false;
            return fz__store_fail(&op->err, rc, "login");
        }
        c->expires_ms = op->now_ms + st->opts.session_ttl_ms;
        return FZ_OK;
    }
    if (locked || u->disabled_ms) {
        snprintf(op->detail, sizeof op->detail, "%s", locked ? "locked" : "disabled");
    } else {
        int failed = u->failed_logins + 1;
        int64_t until = 0;
        if (failed >= LOCK_AFTER) {
            until = op->now_ms + LOCK_MS;
            failed = 0;
            snprintf(op->detail, sizeof op->detail, "locked for %d minutes", LOCK_MS / 60000);
        }
        rc = st->be->user_login_update(conn, u->id, failed, until, 0, NULL);
        if (rc != FZ_OK)
            return fz__store_fail(&op->err, rc, "login");
    }
    return fz_err_set(&op->err, FZ_EUNAUTH, BAD_LOGIN);
}

/* A hash to verify against for unknown users, so they cost what a wrong password costs. */
static const char *dummy_hash(struct fz_store *st)
{
    pthread_mutex_lock(&st->dummy_mu);
    if (!st->dummy_hash[0]) {
        char pw[FZ_STORE_TOKEN_SIZE];
        new_token(pw);
        if (crypto_pwhash_str(st->dummy_hash, pw, strlen(pw), st->opts.pwhash_ops,
                              st->opts.pwhash_mem) != 0)
            st->dummy_hash[0] = '\0';
    }
    pthread_mutex_unlock(&st->dummy_mu);
    return st->dummy_hash;
}

fz_rc fz_store_login(struct fz_store *st, const struct fz_actor *a, const char *name,
                     const char *password, struct fz_principal *who, struct fz_session_new *out,
                     struct fz_err *err)
{
    if (!name || !password || strlen(name) > FZ_STORE_NAME_MAX || strlen(password) > 1024)
        return fz_err_set(err, FZ_EUNAUTH, BAD_LOGIN);
    struct login c = {0};
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->user_auth_get(r->conn, name, 0, &c.user);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK && rc != FZ_ENOTFOUND)
        return fz__store_fail(err, rc, "login");
    const char *hash = rc == FZ_OK ? c.user.hash : dummy_hash(st);
    bool verified = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    char new_hash[FZ__PWHASH_MAX];
    if (rc == FZ_OK) {
        c.user_id = c.user.id;
        c.ok = verified;
        if (verified &&
            crypto_pwhash_str_needs_rehash(hash, st->opts.pwhash_ops, st->opts.pwhash_mem) != 0 &&
            hash_password(st, password, new_hash, NULL) == FZ_OK)
            c.new_hash = new_hash;
    }
    struct fz_session_new s;
    new_token(s.token);
    new_token(s.csrf);
    hash32(s.token, strlen(s.token), c.token_hash);
    hash32(s.csrf, strlen(s.csrf), c.csrf_hash);
    struct fz__wop op = {
        .fn = do_login, .ctx = &c, .actor = a, .action = "user.login", .object_kind = "user"};
    if (fz__store_write(st, &op) != FZ_OK) {
        sodium_memzero(&s, sizeof s);
        return copy_err(err, &op);
    }
    s.expires_ms = c.expires_ms;
    memset(who, 0, sizeof *who);
    who->kind = FZ_ACTOR_USER;
    who->user_id = c.user.id;
    who->org_id = c.user.org_id;
    who->role = c.user.role;
    who->all_orgs = c.user.all_orgs;
    snprintf(who->name, sizeof who->name, "%s", c.user.name);
    memcpy(who->csrf_hash, c.csrf_hash, FZ__HASH_LEN);
    who->expires_ms = c.expires_ms;
    *out = s;
    return FZ_OK;
}

static fz_rc do_session_touch(struct fz_store *st, void *conn, struct fz__wop *op)
{
    return st->be->session_touch(conn, op->ctx, op->now_ms);
}

static fz_rc token_hash(const char *token, uint8_t out[FZ__HASH_LEN])
{
    if (!token || strlen(token) != FZ_STORE_TOKEN_SIZE - 1)
        return FZ_EUNAUTH;
    hash32(token, FZ_STORE_TOKEN_SIZE - 1, out);
    return FZ_OK;
}

fz_rc fz_store_session_get(struct fz_store *st, const char *token, struct fz_principal *out,
                           struct fz_err *err)
{
    uint8_t h[FZ__HASH_LEN];
    if (token_hash(token, h) != FZ_OK)
        return fz_err_set(err, FZ_EUNAUTH, "no valid session");
    struct fz__session_row row;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->session_get(r->conn, h, &row);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, FZ_EUNAUTH, "no valid session");
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "reading a session");
    int64_t now = fz_store_now_ms(st);
    if (row.revoked_ms || row.user_disabled_ms || now >= row.p.expires_ms ||
        now - row.last_seen_ms > st->opts.session_idle_ms)
        return fz_err_set(err, FZ_EUNAUTH, "the session has ended: log in again");
    if (now - row.last_seen_ms >= TOUCH_MS) {
        struct fz__wop op = {.fn = do_session_touch, .ctx = h, .actor = NULL, .no_audit = true};
        rc = fz__store_write(st, &op);
        if (rc != FZ_OK)
            return copy_err(err, &op);
    }
    *out = row.p;
    return FZ_OK;
}

static fz_rc do_logout(struct fz_store *st, void *conn, struct fz__wop *op)
{
    int64_t user_id = 0;
    fz_rc rc = st->be->session_revoke(conn, op->ctx, op->now_ms, &user_id);
    op->object_id = user_id;
    return rc == FZ_OK ? FZ_OK : fz__store_fail(&op->err, rc, "logout");
}

fz_rc fz_store_logout(struct fz_store *st, const struct fz_actor *a, const char *token,
                      struct fz_err *err)
{
    uint8_t h[FZ__HASH_LEN];
    if (token_hash(token, h) != FZ_OK)
        return FZ_OK; /* nothing to end */
    struct fz__wop op = {
        .fn = do_logout, .ctx = h, .actor = a, .action = "user.logout", .object_kind = "user"};
    fz__store_write(st, &op);
    return copy_err(err, &op);
}

/* ---- API keys ------------------------------------------------------------------------------- */

#define KEY_PREFIX "fzk_"
#define KEY_PUBLIC_LEN 8
#define KEY_LEN (4 + KEY_PUBLIC_LEN + 1 + FZ_STORE_TOKEN_SIZE - 1) /* 56 */

static const char key_alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32, unambiguous */

struct key_add {
    const struct fz_apikey_new *k;
    char public_id[KEY_PUBLIC_LEN + 1];
    uint8_t hash[FZ__HASH_LEN];
    int64_t id;
};

static fz_rc do_key_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct key_add *c = op->ctx;
    if (!may_admin(op->actor, c->k->org_id))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only admins create API keys");
    struct fz_arena ar;
    fz_arena_init(&ar, 512);
    struct fz_org org;
    fz_rc rc = st->be->org_get(conn, c->k->org_id, NULL, fz__store_scope(op->actor), &ar, &org);
    fz_arena_release(&ar);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(&op->err, rc, 0, "org", "organisation %lld not found",
                             (long long)c->k->org_id);
    if (rc == FZ_OK)
        rc = st->be->apikey_insert(conn, c->public_id, c->hash, c->k,
                                   op->actor->kind == FZ_ACTOR_USER ? op->actor->user_id : 0,
                                   op->now_ms, &c->id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "creating an API key");
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail, "role=%s org=%lld public_id=%s",
             fz_role_name(c->k->role), (long long)c->k->org_id, c->public_id);
    return FZ_OK;
}

fz_rc fz_store_apikey_create(struct fz_store *st, const struct fz_actor *a,
                             const struct fz_apikey_new *k, int64_t *id,
                             char key_out[FZ_STORE_APIKEY_SIZE], struct fz_err *err)
{
    fz_rc rc = fz__store_check_text("name", k->name, FZ_STORE_NAME_MAX, false, err);
    if (rc != FZ_OK)
        return rc;
    if (k->role == FZ_ROLE_NONE || !fz_role_name(k->role))
        return fz_err_setloc(err, FZ_EINVAL, 0, "role", "an API key needs a role");
    if (k->expires_ms < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "expires", "a negative expiry");
    struct key_add c = {.k = k};
    uint8_t raw[KEY_PUBLIC_LEN];
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < KEY_PUBLIC_LEN; i++)
        c.public_id[i] = key_alphabet[raw[i] & 31];
    char secret[FZ_STORE_TOKEN_SIZE];
    new_token(secret);
    char key[FZ_STORE_APIKEY_SIZE];
    snprintf(key, sizeof key, KEY_PREFIX "%s_%s", c.public_id, secret);
    sodium_memzero(secret, sizeof secret);
    hash32(key, strlen(key), c.hash);
    struct fz__wop op = {.fn = do_key_add,
                         .ctx = &c,
                         .actor = a,
                         .action = "apikey.create",
                         .object_kind = "api_key"};
    if (fz__store_write(st, &op) != FZ_OK) {
        sodium_memzero(key, sizeof key);
        return copy_err(err, &op);
    }
    memcpy(key_out, key, sizeof key);
    sodium_memzero(key, sizeof key);
    if (id)
        *id = c.id;
    return FZ_OK;
}

struct key_touch {
    int64_t id;
};

static fz_rc do_key_touch(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct key_touch *c = op->ctx;
    return st->be->apikey_touch(conn, c->id, op->now_ms);
}

fz_rc fz_store_apikey_auth(struct fz_store *st, const char *key, size_t len,
                           struct fz_principal *out, struct fz_err *err)
{
    if (!key || len != KEY_LEN || memcmp(key, KEY_PREFIX, 4) != 0 || key[4 + KEY_PUBLIC_LEN] != '_')
        return fz_err_set(err, FZ_EUNAUTH, BAD_KEY);
    char public_id[KEY_PUBLIC_LEN + 1];
    memcpy(public_id, key + 4, KEY_PUBLIC_LEN);
    public_id[KEY_PUBLIC_LEN] = '\0';
    for (int i = 0; i < KEY_PUBLIC_LEN; i++)
        if (!strchr(key_alphabet, public_id[i]) || !public_id[i])
            return fz_err_set(err, FZ_EUNAUTH, BAD_KEY);
    struct fz__apikey_row row;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->apikey_get(r->conn, public_id, &row);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK && rc != FZ_ENOTFOUND)
        return fz__store_fail(err, rc, "reading an API key");
    uint8_t h[FZ__HASH_LEN];
    hash32(key, len, h);
    int64_t now = fz_store_now_ms(st);
    if (rc == FZ_ENOTFOUND || sodium_memcmp(h, row.hash, FZ__HASH_LEN) != 0 || row.revoked_ms ||
        (row.p.expires_ms && now >= row.p.expires_ms))
        return fz_err_set(err, FZ_EUNAUTH, BAD_KEY);
    if (now - row.last_used_ms >= TOUCH_MS) {
        struct key_touch t = {row.p.key_id};
        struct fz__wop op = {.fn = do_key_touch, .ctx = &t, .no_audit = true};
        if (fz__store_write(st, &op) != FZ_OK)
            return copy_err(err, &op);
    }
    *out = row.p;
    return FZ_OK;
}

fz_rc fz_store_apikey_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                           struct fz_apikey **out, size_t *n, struct fz_err *err)
{
    if (!fz__store_trusted(a) && a->role != FZ_ROLE_ADMIN && a->role != FZ_ROLE_AUDITOR)
        return fz_err_set(err, FZ_EFORBIDDEN, "only admins and auditors list API keys");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->apikey_list(r->conn, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "listing API keys");
}

static fz_rc do_key_revoke(struct fz_store *st, void *conn, struct fz__wop *op)
{
    if (!fz__store_trusted(op->actor) && op->actor->role != FZ_ROLE_ADMIN)
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only admins revoke API keys");
    fz_rc rc = st->be->apikey_revoke(conn, op->object_id, fz__store_scope(op->actor), op->now_ms);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, rc, "API key %lld not found or already revoked",
                          (long long)op->object_id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(&op->err, rc, "revoking an API key");
}

fz_rc fz_store_apikey_revoke(struct fz_store *st, const struct fz_actor *a, int64_t key_id,
                             struct fz_err *err)
{
    struct fz__wop op = {.fn = do_key_revoke,
                         .actor = a,
                         .action = "apikey.revoke",
                         .object_kind = "api_key",
                         .object_id = key_id};
    fz__store_write(st, &op);
    return copy_err(err, &op);
}
