/*
 * store/store.c: opening and closing the store, the reader pool, names of the store's enums,
 * organisations and the audit log.
 *
 * The public API is split by domain: store.c (this), accounts.c (users, sessions, API keys),
 * reports.c and indicators.c. Each public write validates its input on the caller's thread, then
 * queues a closure for the writer (writer.c), which runs it in a savepoint and writes the audit
 * record in the same transaction. Reads borrow a connection from the pool.
 */
#include "compat.h"

#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

FZ_LOG_MODULE(store);

/* ---- names ------------------------------------------------------------------------------- */

static const char *const role_names[FZ_ROLE__COUNT] = {"none",    "admin",   "analyst",
                                                       "officer", "partner", "auditor"};
static const char *const org_kind_names[FZ_ORG__KINDS] = {"police", "operator", "bank", "internet",
                                                          "community"};
static const char *const actor_kind_names[FZ_ACTOR__KINDS] = {"anon", "user", "api_key", "cli",
                                                              "system"};

static int find_name(const char *const *names, int n, const char *s, size_t len)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

const char *fz_role_name(enum fz_role r)
{
    return (unsigned)r < FZ_ROLE__COUNT ? role_names[r] : NULL;
}

bool fz_role_parse(const char *s, size_t len, enum fz_role *out)
{
    int i = find_name(role_names, FZ_ROLE__COUNT, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_role)i;
    return true;
}

const char *fz_org_kind_name(enum fz_org_kind k)
{
    return (unsigned)k < FZ_ORG__KINDS ? org_kind_names[k] : NULL;
}

bool fz_org_kind_parse(const char *s, size_t len, enum fz_org_kind *out)
{
    int i = find_name(org_kind_names, FZ_ORG__KINDS, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_org_kind)i;
    return true;
}

const char *fz_actor_kind_name(enum fz_actor_kind k)
{
    return (unsigned)k < FZ_ACTOR__KINDS ? actor_kind_names[k] : NULL;
}

bool fz_role_all_orgs(enum fz_role r, bool org_is_centre)
{
    return org_is_centre && (r == FZ_ROLE_ADMIN || r == FZ_ROLE_ANALYST || r == FZ_ROLE_AUDITOR);
}

void fz_actor_init(struct fz_actor *a, const struct fz_principal *p, const char *request_id,
                   const char *client_tag)
{
    memset(a, 0, sizeof *a);
    a->kind = p->kind;
    a->user_id = p->user_id;
    a->key_id = p->key_id;
    a->org_id = p->org_id;
    a->role = p->role;
    a->all_orgs = p->all_orgs;
    snprintf(a->request_id, sizeof a->request_id, "%s", request_id ? request_id : "");
    snprintf(a->client_tag, sizeof a->client_tag, "%s", client_tag ? client_tag : "");
}

/* ---- helpers ----------------------------------------------------------------------------- */

bool fz__store_trusted(const struct fz_actor *a)
{
    return a->kind == FZ_ACTOR_CLI || a->kind == FZ_ACTOR_SYSTEM;
}

int64_t fz__store_scope(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->all_orgs ? 0 : a->org_id;
}

void fz__store_actor_text(const struct fz_actor *a, char *out, size_t cap)
{
    const char *k = fz_actor_kind_name(a->kind);
    if (a->kind == FZ_ACTOR_USER)
        snprintf(out, cap, "user:%lld", (long long)a->user_id);
    else if (a->kind == FZ_ACTOR_API_KEY)
        snprintf(out, cap, "api_key:%lld", (long long)a->key_id);
    else
        snprintf(out, cap, "%s", k ? k : "?");
}

fz_rc fz__store_check_text(const char *field, const char *s, size_t max, bool optional,
                           struct fz_err *err)
{
    if (!s || !*s) {
        if (optional)
            return FZ_OK;
        return fz_err_setloc(err, FZ_EINVAL, 0, field, "'%s' is required", field);
    }
    size_t len = strlen(s);
    if (len > max)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, field, "'%s' is longer than %zu bytes", field,
                             max);
    if (!fz_utf8_valid(s, len))
        return fz_err_setloc(err, FZ_EUTF8, 0, field, "'%s' is not valid UTF-8", field);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return fz_err_setloc(err, FZ_EINVAL, 0, field, "'%s' has a control character", field);
    return FZ_OK;
}

fz_rc fz__store_fail(struct fz_err *err, fz_rc rc, const char *what)
{
    switch (rc) {
    case FZ_ENOTFOUND: return fz_err_set(err, rc, "%s: not found", what);
    case FZ_EBUSY: return fz_err_set(err, rc, "%s: the database is busy", what);
    case FZ_ENOMEM: return fz_err_set(err, rc, "%s: out of memory", what);
    default: return fz_err_set(err, rc, "%s: %s", what, fz_strerror(rc));
    }
}

fz_rc fz__store_grow(struct fz_arena *ar, void **arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return FZ_OK;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = fz_arena_calloc(ar, ncap, sz);
    if (!p)
        return FZ_E(FZ_ENOMEM);
    if (n)
        memcpy(p, *arr, n * sz);
    *arr = p;
    *cap = ncap;
    return FZ_OK;
}

static int64_t real_clock(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fz_store_now_ms(const struct fz_store *st)
{
    return st->opts.clock ? st->opts.clock(st->opts.clock_ud) : real_clock(NULL);
}

/* ---- open and close ---------------------------------------------------------------------- */

struct fz__reader *fz__store_reader(struct fz_store *st)
{
    pthread_mutex_lock(&st->rmu);
    while (!st->free_readers)
        pthread_cond_wait(&st->rcv, &st->rmu);
    struct fz__reader *r = st->free_readers;
    st->free_readers = r->next;
    pthread_mutex_unlock(&st->rmu);
    return r;
}

void fz__store_reader_put(struct fz_store *st, struct fz__reader *r)
{
    pthread_mutex_lock(&st->rmu);
    r->next = st->free_readers;
    st->free_readers = r;
    pthread_cond_signal(&st->rcv);
    pthread_mutex_unlock(&st->rmu);
}

static void free_store(struct fz_store *st)
{
    for (struct fz__reader *r = st->readers, *next; r; r = next) {
        next = r->next;
        st->be->close(r->conn);
        fz_free(r);
    }
    st->be->close(st->wconn);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->wake);
    pthread_cond_destroy(&st->done_cv);
    pthread_mutex_destroy(&st->rmu);
    pthread_cond_destroy(&st->rcv);
    pthread_mutex_destroy(&st->dummy_mu);
    fz_free(st->path);
    fz_free(st);
}

/* Opens the pool of readers. The list `readers` owns them; `free_readers` links the idle ones
 * through a second node each, so a borrowed reader is the node handed out. */
static fz_rc open_readers(struct fz_store *st, struct fz_err *err)
{
    int n = st->opts.readers > 0 ? st->opts.readers : 4;
    for (int i = 0; i < n; i++) {
        struct fz__reader *own = fz_calloc(1, sizeof *own);
        if (!own)
            return fz_err_set(err, FZ_ENOMEM, "out of memory");
        fz_rc rc = st->be->open(&st->opts, false, &own->conn, err);
        if (rc != FZ_OK) {
            fz_free(own);
            return rc;
        }
        own->next = st->readers;
        st->readers = own;
        st->nreaders++;
    }
    return FZ_OK;
}

fz_rc fz_store_open(const struct fz_store_opts *o, struct fz_store **out, struct fz_err *err)
{
    if (!o || !o->path || !*o->path)
        return fz_err_setloc(err, FZ_EINVAL, 0, "path", "no database path");
    if (sodium_init() < 0)
        return fz_err_set(err, FZ_EIO, "libsodium cannot start");
    struct fz_store *st = fz_calloc(1, sizeof *st);
    if (!st)
        return fz_err_set(err, FZ_ENOMEM, "out of memory");
    st->be = &fz__store_sqlite;
    st->opts = *o;
    st->path = fz_strndup(o->path, strlen(o->path));
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->wake, NULL);
    pthread_cond_init(&st->done_cv, NULL);
    pthread_mutex_init(&st->rmu, NULL);
    pthread_cond_init(&st->rcv, NULL);
    pthread_mutex_init(&st->dummy_mu, NULL);
    if (!st->path) {
        free_store(st);
        return fz_err_set(err, FZ_ENOMEM, "out of memory");
    }
    st->opts.path = st->path;
    if (!st->opts.pwhash_ops)
        st->opts.pwhash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    if (!st->opts.pwhash_mem)
        st->opts.pwhash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (st->opts.session_idle_ms <= 0)
        st->opts.session_idle_ms = 30 * 60 * 1000;
    if (st->opts.session_ttl_ms <= 0)
        st->opts.session_ttl_ms = 12 * 3600 * 1000;

    fz_rc rc = st->be->open(&st->opts, true, &st->wconn, err);
    if (rc == FZ_OK)
        rc = st->be->migrate(st->wconn, &st->version, err);
    if (rc == FZ_OK) {
        rc = st->be->audit_tail(st->wconn, &st->audit_id, st->audit_hash);
        if (rc != FZ_OK)
            fz__store_fail(err, rc, "reading the audit log");
    }
    if (rc == FZ_OK)
        rc = open_readers(st, err);
    if (rc == FZ_OK) {
        /* Each reader node doubles as its free-list node. */
        for (struct fz__reader *r = st->readers; r; r = r->next) {
            struct fz__reader *slot = fz_calloc(1, sizeof *slot);
            if (!slot) {
                rc = fz_err_set(err, FZ_ENOMEM, "out of memory");
                break;
            }
            slot->conn = r->conn;
            slot->next = st->free_readers;
            st->free_readers = slot;
        }
    }
    if (rc == FZ_OK) {
        rc = fz__store_writer_start(st);
        if (rc != FZ_OK)
            fz_err_set(err, rc, "cannot start the writer thread");
    }
    if (rc != FZ_OK) {
        for (struct fz__reader *r = st->free_readers, *next; r; r = next) {
            next = r->next;
            fz_free(r);
        }
        free_store(st);
        return rc;
    }
    *out = st;
    return FZ_OK;
}

void fz_store_close(struct fz_store *st)
{
    if (!st)
        return;
    fz__store_writer_stop(st); /* drains the queue */
    for (struct fz__reader *r = st->free_readers, *next; r; r = next) {
        next = r->next;
        fz_free(r);
    }
    free_store(st);
}

int fz_store_schema_version(const struct fz_store *st) { return st->version; }

int fz_store_schema_latest(void) { return fz__store_sqlite.latest(); }

/* ---- organisations ----------------------------------------------------------------------- */

struct org_add {
    const char *name;
    enum fz_org_kind kind;
    bool centre;
    int64_t id;
};

static fz_rc do_org_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct org_add *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!fz__store_trusted(a) && !(a->role == FZ_ROLE_ADMIN && a->all_orgs))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only the centre's admins add organisations");
    fz_rc rc = st->be->org_insert(conn, c->name, c->kind, c->centre, op->now_ms, &c->id);
    if (rc == FZ_ECONFLICT)
        return fz_err_setloc(&op->err, rc, 0, "name", "organisation '%s' exists", c->name);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding an organisation");
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail, "kind=%s centre=%d", fz_org_kind_name(c->kind),
             c->centre);
    return FZ_OK;
}

fz_rc fz_store_org_add(struct fz_store *st, const struct fz_actor *a, const char *name,
                       enum fz_org_kind kind, bool is_centre, int64_t *id, struct fz_err *err)
{
    fz_rc rc = fz__store_check_text("name", name, FZ_STORE_NAME_MAX, false, err);
    if (rc != FZ_OK)
        return rc;
    if (!fz_org_kind_name(kind))
        return fz_err_setloc(err, FZ_EINVAL, 0, "kind", "unknown organisation kind");
    struct org_add c = {name, kind, is_centre, 0};
    struct fz__wop op = {
        .fn = do_org_add, .ctx = &c, .actor = a, .action = "org.add", .object_kind = "org"};
    rc = fz__store_write(st, &op);
    if (rc != FZ_OK) {
        if (err)
            *err = op.err;
        return rc;
    }
    if (id)
        *id = c.id;
    return FZ_OK;
}

fz_rc fz_store_org_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                       struct fz_arena *ar, struct fz_org *out, struct fz_err *err)
{
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->org_get(r->conn, id, NULL, fz__store_scope(a), ar, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "organisation %lld not found", (long long)id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading an organisation");
}

fz_rc fz_store_org_find(struct fz_store *st, const struct fz_actor *a, const char *name,
                        struct fz_arena *ar, struct fz_org *out, struct fz_err *err)
{
    if (!name)
        return fz_err_setloc(err, FZ_EINVAL, 0, "name", "no organisation name");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->org_get(r->conn, 0, name, fz__store_scope(a), ar, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(err, rc, 0, "org", "organisation '%.64s' not found", name);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading an organisation");
}

fz_rc fz_store_org_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                        struct fz_org **out, size_t *n, struct fz_err *err)
{
    if (a->kind == FZ_ACTOR_ANON)
        return fz_err_set(err, FZ_EFORBIDDEN, "organisations are not public");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->org_list(r->conn, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "listing organisations");
}

/* ---- audit ------------------------------------------------------------------------------- */

void fz_audit_filter_init(struct fz_audit_filter *f)
{
    memset(f, 0, sizeof *f);
    f->actor_kind = -1;
}

static bool may_audit(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_AUDITOR;
}

static fz_rc do_audit_read(struct fz_store *st, void *conn, struct fz__wop *op)
{
    (void)st;
    (void)conn;
    if (!may_audit(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only auditors read the audit log");
    return FZ_OK;
}

fz_rc fz_store_audit_list(struct fz_store *st, const struct fz_actor *a,
                          const struct fz_audit_filter *f, struct fz_arena *ar,
                          struct fz_audit **out, size_t *n, int64_t *next_after, struct fz_err *err)
{
    struct fz_audit_filter q = *f;
    if (q.limit == 0)
        q.limit = 50;
    if (q.limit < 1 || q.limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    /* Who audits the auditors: the read itself is recorded first. */
    struct fz__wop op = {.fn = do_audit_read, .actor = a, .action = "audit.read"};
    snprintf(op.detail, sizeof op.detail, "action=%.40s object=%.20s:%lld",
             f->action ? f->action : "*", f->object_kind ? f->object_kind : "*",
             (long long)f->object_id);
    fz_rc rc = fz__store_write(st, &op);
    if (rc != FZ_OK) {
        if (err)
            *err = op.err;
        return rc;
    }
    int limit = q.limit;
    q.limit = limit + 1;
    struct fz__reader *r = fz__store_reader(st);
    rc = st->be->audit_list(r->conn, &q, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "reading the audit log");
    if (next_after)
        *next_after = *n > (size_t)limit ? (*out)[limit - 1].id : 0;
    if (*n > (size_t)limit)
        *n = (size_t)limit;
    return FZ_OK;
}

struct verify {
    int64_t count;
    int64_t bad_id;
    uint8_t prev[FZ__HASH_LEN];
};

static int verify_one(void *ud, const struct fz__audit_row *r)
{
    struct verify *v = ud;
    uint8_t want[FZ__HASH_LEN];
    struct fz__audit_row x = *r;
    memcpy(x.prev_hash, v->prev, FZ__HASH_LEN);
    fz__store_audit_hash(&x, want);
    if (r->id != v->count + 1 || sodium_memcmp(r->prev_hash, v->prev, FZ__HASH_LEN) != 0 ||
        sodium_memcmp(r->hash, want, FZ__HASH_LEN) != 0) {
        v->bad_id = r->id;
        return 1;
    }
    memcpy(v->prev, r->hash, FZ__HASH_LEN);
    v->count++;
    return 0;
}

fz_rc fz_store_audit_verify(struct fz_store *st, const struct fz_actor *a, int64_t *checked,
                            int64_t *bad_id, struct fz_err *err)
{
    if (!fz__store_trusted(a) && !(a->role == FZ_ROLE_AUDITOR && a->all_orgs))
        return fz_err_set(err, FZ_EFORBIDDEN, "only the centre's auditors verify the audit log");
    struct verify v = {0};
    struct fz__reader *rd = fz__store_reader(st);
    fz_rc rc = st->be->tx_begin(rd->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->audit_walk(rd->conn, verify_one, &v);
        st->be->tx_rollback(rd->conn);
    }
    fz__store_reader_put(st, rd);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "reading the audit log");
    if (checked)
        *checked = v.count;
    if (bad_id)
        *bad_id = v.bad_id;
    if (v.bad_id)
        return fz_err_set(err, FZ_ECONFLICT, "audit record %lld breaks the chain",
                          (long long)v.bad_id);
    return FZ_OK;
}
