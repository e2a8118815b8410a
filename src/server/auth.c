/*
 * server/auth: who is calling. A partner system sends an API key (Authorization: Bearer), a
 * console user a session cookie (fz_session) and, on every write, the CSRF token it got at
 * login (X-CSRF-Token; a cookie is an ambient credential, a bearer key is not). Anonymous
 * residents send neither. The route table says which kinds of caller may use a route: the
 * wrong one gets 401 (not authenticated) or 403 (authenticated, not allowed).
 *
 * Keys are checked on partners' hot path (/check at tens of thousands of requests per second),
 * so a verified key is remembered for KEY_CACHE_MS: a key revoked through this server is
 * forgotten at once, one revoked elsewhere (the CLI) stops working within that time.
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define KEY_CACHE_SLOTS 1024u
#define KEY_CACHE_MS 30000

struct key_slot {
    uint8_t hash[32];
    struct fz_principal who;
    int64_t until_ms;
    bool used;
};

struct srv_keycache {
    pthread_mutex_t lock;
    struct key_slot slots[KEY_CACHE_SLOTS];
};

fz_rc srv_keycache_new(struct srv_keycache **out)
{
    struct srv_keycache *c = fz_calloc(1, sizeof *c);
    if (!c)
        return FZ_E(FZ_ENOMEM);
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return FZ_OK;
}

void srv_keycache_free(struct srv_keycache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    fz_free(c);
}

void srv_keycache_clear(struct srv_keycache *c)
{
    pthread_mutex_lock(&c->lock);
    memset(c->slots, 0, sizeof c->slots);
    pthread_mutex_unlock(&c->lock);
}

static bool cache_get(struct srv_keycache *c, const uint8_t hash[32], int64_t now,
                      struct fz_principal *out)
{
    struct key_slot *s = &c->slots[(hash[0] | hash[1] << 8) % KEY_CACHE_SLOTS];
    pthread_mutex_lock(&c->lock);
    bool hit = s->used && s->until_ms > now && !sodium_memcmp(s->hash, hash, 32);
    if (hit)
        *out = s->who;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

static void cache_put(struct srv_keycache *c, const uint8_t hash[32], int64_t now,
                      const struct fz_principal *who)
{
    struct key_slot *s = &c->slots[(hash[0] | hash[1] << 8) % KEY_CACHE_SLOTS];
    pthread_mutex_lock(&c->lock);
    memcpy(s->hash, hash, 32);
    s->who = *who;
    s->until_ms = now + KEY_CACHE_MS;
    if (who->expires_ms && who->expires_ms < s->until_ms)
        s->until_ms = who->expires_ms;
    s->used = true;
    pthread_mutex_unlock(&c->lock);
}

static fz_rc auth_key(struct srv_req *r, const char *key, struct fz_err *err)
{
    size_t len = strlen(key);
    uint8_t hash[32];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)key, len, NULL, 0);
    int64_t now = srv_now_ms();
    if (cache_get(r->srv->keys, hash, now, &r->who))
        return FZ_OK;
    fz_rc rc = fz_store_apikey_auth(r->srv->store, key, len, &r->who, err);
    if (!rc)
        cache_put(r->srv->keys, hash, now, &r->who);
    return rc;
}

/* The value of cookie name in the Cookie header, or NULL. */
static const char *cookie(struct srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* A write by cookie must carry the session's CSRF token. */
static bool csrf_ok(struct srv_req *r)
{
    const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!t)
        return false;
    uint8_t hash[32];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)t, strlen(t), NULL, 0);
    return !sodium_memcmp(hash, r->who.csrf_hash, 32);
}

static unsigned role_bit(enum fz_role role)
{
    switch (role) {
    case FZ_ROLE_PARTNER: return SRV_PARTNER;
    case FZ_ROLE_OFFICER: return SRV_OFFICER;
    case FZ_ROLE_ANALYST: return SRV_ANALYST;
    case FZ_ROLE_AUDITOR: return SRV_AUDITOR;
    case FZ_ROLE_ADMIN: return SRV_ADMIN;
    default: return 0;
    }
}

/* Sets r->who from the credentials (or leaves it anonymous). Answers 401 for credentials that
 * do not hold, and returns false. */
static bool identify(struct srv_req *r)
{
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    struct fz_err err = {0};
    fz_rc rc = FZ_OK;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0) {
            srv_error(r, 401, "unauthenticated", NULL, "Authorization must be 'Bearer KEY'");
            return false;
        }
        rc = auth_key(r, authz + 7, &err);
    } else if (r->srv->store && cookie(r, "fz_session")) {
        rc = fz_store_session_get(r->srv->store, cookie(r, "fz_session"), &r->who, &err);
        r->by_cookie = true;
    } else {
        return true;
    }
    if (rc) {
        srv_error(r, 401, "unauthenticated", NULL, "%s",
                  rc == FZ_EUNAUTH ? "invalid or expired credentials" : "cannot check credentials");
        return false;
    }
    r->authed = true;
    return true;
}

static void make_actor(struct srv_req *r)
{
    char tag[24] = "";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        const void *addr = sa->sa_family == AF_INET6
                               ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                               : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
        size_t alen = sa->sa_family == AF_INET6 ? 16 : 4;
        uint8_t h[8];
        crypto_generichash(h, sizeof h, addr, alen, r->srv->tag_key, sizeof r->srv->tag_key);
        sodium_bin2hex(tag, sizeof tag, h, sizeof h);
    }
    char rid[32];
    snprintf(rid, sizeof rid, "%016llx", (unsigned long long)r->request_no);
    if (r->authed) {
        fz_actor_init(&r->actor, &r->who, rid, tag);
    } else {
        memset(&r->actor, 0, sizeof r->actor);
        r->actor.kind = FZ_ACTOR_ANON;
        snprintf(r->actor.request_id, sizeof r->actor.request_id, "%s", rid);
        snprintf(r->actor.client_tag, sizeof r->actor.client_tag, "%s", tag);
    }
}

bool srv_authorize(struct srv_req *r)
{
    if (!identify(r))
        return false;
    make_actor(r);
    unsigned bit = r->authed ? role_bit(r->who.role) : SRV_ANON;
    if (!(r->route->who & bit)) {
        if (r->authed)
            srv_error(r, 403, "forbidden", NULL, "a %s may not do this", fz_role_name(r->who.role));
        else
            srv_error(r, 401, "unauthenticated", NULL, "log in or send an API key");
        return false;
    }
    if (r->by_cookie && r->route->method != SRV_GET && !(r->route->flags & SRV_NO_CSRF) &&
        !csrf_ok(r)) {
        srv_error(r, 403, "csrf", NULL, "missing or wrong X-CSRF-Token");
        return false;
    }
    return true;
}
