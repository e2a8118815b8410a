/*
 * store/sqlite/conn.c: connections, pragmas, migrations, transactions and the statement cache
 * of the SQLite backend, and its table of functions (fz__store_sqlite).
 *
 * The writer connection runs in WAL mode with synchronous=FULL (NORMAL by option): a COMMIT
 * that returned has reached the WAL file, which survives a process crash whatever the setting,
 * and with FULL an OS crash too. Readers are query_only connections on the same file; each read
 * runs in its own snapshot (BEGIN ... COMMIT).
 */
#include "compat.h"

#include "sqlite/sqlite_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

FZ_LOG_MODULE(store);

fz_rc fz__sq_rc(struct fz__sq *c, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return FZ_OK;
    case SQLITE_NOMEM: return FZ_E(FZ_ENOMEM);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return FZ_E(FZ_EBUSY);
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return FZ_ECONFLICT;
        /* A CHECK or foreign key: store.c validates first, so this is a bug or a race. */
        fz_log(FZ_LOG_WARN, "constraint failed: %s", c ? sqlite3_errmsg(c->db) : "?");
        return FZ_E(FZ_EINVAL);
    default:
        /* SQLite's messages name tables and columns, never bound values. */
        fz_log(FZ_LOG_ERROR, "sqlite error %d: %s", rc, c ? sqlite3_errmsg(c->db) : "?");
        return FZ_E(FZ_EIO);
    }
}

sqlite3_stmt *fz__sq_stmt(struct fz__sq *c, enum fz__sq_slot slot, const char *sql)
{
    sqlite3_stmt *s = c->stmt[slot];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        fz_log(FZ_LOG_ERROR, "prepare of statement %d failed: %s", (int)slot,
               sqlite3_errmsg(c->db));
        sqlite3_finalize(s);
        return NULL;
    }
    c->stmt[slot] = s;
    return s;
}

fz_rc fz__sq_insert_id(struct fz__sq *c, sqlite3_stmt *s, int64_t *id)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        fz_rc r = fz__sq_rc(c, rc);
        sqlite3_reset(s);
        return r == FZ_OK ? FZ_E(FZ_EIO) : r;
    }
    if (id)
        *id = sqlite3_column_int64(s, 0);
    return fz__sq_run(c, s);
}

fz_rc fz__sq_update(struct fz__sq *c, sqlite3_stmt *s)
{
    fz_rc r = fz__sq_run(c, s);
    return r == FZ_OK && sqlite3_changes(c->db) == 0 ? FZ_ENOTFOUND : r;
}

fz_rc fz__sq_rows(struct fz__sq *c, sqlite3_stmt *s, struct fz_arena *ar, size_t size,
                  fz__sq_row_fn *read, void **out, size_t *n)
{
    char *arr = NULL;
    size_t cnt = 0, cap = 0;
    int rc = SQLITE_DONE;
    fz_rc r = FZ_OK;
    while (r == FZ_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        r = fz__store_grow(ar, (void **)&arr, cnt, &cap, size);
        if (r == FZ_OK && !read(s, ar, memset(arr + cnt++ * size, 0, size)))
            r = FZ_E(FZ_ENOMEM);
    }
    if (r == FZ_OK && rc != SQLITE_DONE)
        r = fz__sq_rc(c, rc);
    sqlite3_reset(s);
    *out = arr;
    *n = cnt;
    return r;
}

fz_rc fz__sq_one(struct fz__sq *c, sqlite3_stmt *s, struct fz_arena *ar, fz__sq_row_fn *read,
                 void *item)
{
    int rc = sqlite3_step(s);
    fz_rc r = FZ_ENOTFOUND;
    if (rc == SQLITE_ROW)
        r = read(s, ar, item) ? FZ_OK : FZ_E(FZ_ENOMEM);
    else if (rc != SQLITE_DONE)
        r = fz__sq_rc(c, rc);
    sqlite3_reset(s);
    return r;
}

bool fz__sq_int64_row(sqlite3_stmt *s, struct fz_arena *ar, void *item)
{
    (void)ar;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
    return true;
}

fz_rc fz__sq_run(struct fz__sq *c, sqlite3_stmt *s)
{
    if (!s)
        return FZ_E(FZ_EIO);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return FZ_OK;
    }
    fz_rc r = fz__sq_rc(c, rc);
    sqlite3_reset(s);
    return r == FZ_OK ? FZ_E(FZ_EIO) : r;
}

void fz__sq_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

void fz__sq_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

void fz__sq_bind_blob(sqlite3_stmt *s, int i, const void *p, size_t n)
{
    sqlite3_bind_blob(s, i, p, (int)n, SQLITE_STATIC);
}

const char *fz__sq_col_text(sqlite3_stmt *s, int i, struct fz_arena *ar, bool *ok)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    char *copy = fz_arena_strndup(ar, (const char *)t, (size_t)sqlite3_column_bytes(s, i));
    if (!copy)
        *ok = false;
    return copy;
}

void fz__sq_col_copy(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

void fz__sq_bind_fraud(sqlite3_stmt *s, int i, int fraud_type)
{
    fz__sq_bind_text(s, i, fraud_type >= 0 ? fz_fraud_type_name(fraud_type) : NULL);
}

int fz__sq_col_fraud(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return -1;
    return fz_fraud_type_index((const char *)t, (size_t)sqlite3_column_bytes(s, i));
}

/* ---- connections ----------------------------------------------------------------------------- */

static fz_rc exec(struct fz__sq *c, const char *sql, struct fz_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fz_rc r = fz__sq_rc(c, rc);
        fz_err_set(err, r, "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return r;
    }
    return FZ_OK;
}

static void sq_close(void *conn)
{
    struct fz__sq *c = conn;
    if (!c)
        return;
    for (int i = 0; i < SQ__SLOTS; i++)
        sqlite3_finalize(c->stmt[i]);
    sqlite3_close(c->db);
    fz_free(c);
}

static fz_rc sq_open(const struct fz_store_opts *o, bool writer, void **conn, struct fz_err *err)
{
    struct fz__sq *c = fz_calloc(1, sizeof *c);
    if (!c)
        return fz_err_set(err, FZ_ENOMEM, "out of memory");
    c->writer = writer;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(o->path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        fz_err_set(err, FZ_EIO, "cannot open database '%s': %s", o->path,
                   c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sq_close(c);
        return FZ_EIO;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 5000);
    /* temp_store: sorting for a statement never creates a file in /var/tmp */
    fz_rc r = exec(c, "PRAGMA foreign_keys=ON", err);
    if (r == FZ_OK)
        r = exec(c, "PRAGMA temp_store=MEMORY", err);
    if (r == FZ_OK && writer) {
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
        if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *mode = sqlite3_column_text(s, 0);
            if (!mode || strcmp((const char *)mode, "wal") != 0)
                r = fz_err_set(err, FZ_EIO, "database '%s' cannot use WAL mode", o->path);
        } else {
            r = fz_err_set(err, fz__sq_rc(c, rc ? rc : SQLITE_ERROR), "database '%s': %s", o->path,
                           sqlite3_errmsg(c->db));
        }
        sqlite3_finalize(s);
        if (r == FZ_OK)
            r = exec(c, o->sync_normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
                     err);
    }
    if (r == FZ_OK && !writer)
        r = exec(c, "PRAGMA query_only=1", err);
    if (r != FZ_OK) {
        sq_close(c);
        return r;
    }
    *conn = c;
    return FZ_OK;
}

/* ---- migrations ----------------------------------------------------------------------------- */

static void checksum(const struct fz__sq_migration *m, uint8_t out[FZ__HASH_LEN])
{
    crypto_generichash(out, FZ__HASH_LEN, (const uint8_t *)m->sql, m->len, NULL, 0);
}

static int sq_latest(void) { return fz__sq_nmigrations; }

/* Checks what the database has against what the binary ships; *have gets the highest applied
 * version. */
static fz_rc check_applied(struct fz__sq *c, int *have, struct fz_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        c->db, "SELECT version, checksum FROM schema_migrations ORDER BY version", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return fz_err_set(err, fz__sq_rc(c, rc), "cannot read schema_migrations");
    fz_rc r = FZ_OK;
    *have = 0;
    while (r == FZ_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int v = sqlite3_column_int(s, 0);
        if (v > *have)
            *have = v;
        if (v > fz__sq_nmigrations) {
            continue; /* reported below with the highest version */
        }
        if (v < 1) {
            r = fz_err_set(err, FZ_EINVAL, "database has an unknown migration %d", v);
            break;
        }
        uint8_t want[FZ__HASH_LEN];
        checksum(&fz__sq_migrations[v - 1], want);
        if (sqlite3_column_bytes(s, 1) != FZ__HASH_LEN ||
            memcmp(sqlite3_column_blob(s, 1), want, FZ__HASH_LEN) != 0)
            r = fz_err_set(err, FZ_EINVAL,
                           "migration %d (%s) was edited after it was applied to this database", v,
                           fz__sq_migrations[v - 1].name);
    }
    if (r == FZ_OK && rc != SQLITE_DONE)
        r = fz_err_set(err, fz__sq_rc(c, rc), "cannot read schema_migrations");
    sqlite3_finalize(s);
    if (r == FZ_OK && *have > fz__sq_nmigrations)
        r = fz_err_set(err, FZ_EINVAL,
                       "database schema %d is newer than this fangzha (%d): upgrade fangzha", *have,
                       fz__sq_nmigrations);
    return r;
}

static fz_rc apply(struct fz__sq *c, const struct fz__sq_migration *m, struct fz_err *err)
{
    fz_rc r = exec(c, m->sql, err);
    if (r != FZ_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        return fz_err_set(err, r, "migration %s failed: %s", m->name, why);
    }
    uint8_t sum[FZ__HASH_LEN];
    checksum(m, sum);
    sqlite3_stmt *s = NULL;
    int rc =
        sqlite3_prepare_v2(c->db,
                           "INSERT INTO schema_migrations (version, name, checksum, applied_ms)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(s, 1, m->version);
        sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 3, sum, FZ__HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, (int64_t)time(NULL) * 1000);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return fz_err_set(err, fz__sq_rc(c, rc), "cannot record migration %s", m->name);
    return FZ_OK;
}

static fz_rc sq_migrate(void *conn, int *version, struct fz_err *err)
{
    struct fz__sq *c = conn;
    fz_rc r = exec(c, "BEGIN IMMEDIATE", err);
    if (r != FZ_OK)
        return r;
    r = exec(c,
             "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
             " name TEXT NOT NULL, checksum BLOB NOT NULL, applied_ms INTEGER NOT NULL)",
             err);
    int have = 0;
    if (r == FZ_OK)
        r = check_applied(c, &have, err);
    for (int v = have + 1; r == FZ_OK && v <= fz__sq_nmigrations; v++) {
        fz_log(FZ_LOG_INFO, "applying migration %s", fz__sq_migrations[v - 1].name);
        r = apply(c, &fz__sq_migrations[v - 1], err);
    }
    if (r == FZ_OK)
        r = exec(c, "COMMIT", err);
    if (r != FZ_OK) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    *version = have > fz__sq_nmigrations ? have : fz__sq_nmigrations;
    return FZ_OK;
}

/* ---- transactions --------------------------------------------------------------------------- */

static fz_rc sq_tx_begin(void *conn, bool write)
{
    struct fz__sq *c = conn;
    return fz__sq_run(c, write ? fz__sq_stmt(c, SQ_BEGIN_W, "BEGIN IMMEDIATE")
                               : fz__sq_stmt(c, SQ_BEGIN_R, "BEGIN"));
}

static fz_rc sq_tx_commit(void *conn)
{
    struct fz__sq *c = conn;
    return fz__sq_run(c, fz__sq_stmt(c, SQ_COMMIT, "COMMIT"));
}

static void sq_tx_rollback(void *conn)
{
    struct fz__sq *c = conn;
    if (!sqlite3_get_autocommit(c->db))
        fz__sq_run(c, fz__sq_stmt(c, SQ_ROLLBACK, "ROLLBACK"));
}

static fz_rc sq_op_begin(void *conn)
{
    struct fz__sq *c = conn;
    return fz__sq_run(c, fz__sq_stmt(c, SQ_SAVEPOINT, "SAVEPOINT op"));
}

static void sq_op_end(void *conn, bool keep)
{
    struct fz__sq *c = conn;
    if (!keep)
        fz__sq_run(c, fz__sq_stmt(c, SQ_ROLLBACK_TO, "ROLLBACK TO op"));
    fz__sq_run(c, fz__sq_stmt(c, SQ_RELEASE, "RELEASE op"));
}

const struct fz__store_backend_ops fz__store_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .migrate = sq_migrate,
    .latest = sq_latest,
    .tx_begin = sq_tx_begin,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .op_begin = sq_op_begin,
    .op_end = sq_op_end,
    .org_insert = fz__sq_org_insert,
    .org_get = fz__sq_org_get,
    .org_list = fz__sq_org_list,
    .org_centre = fz__sq_org_centre,
    .user_insert = fz__sq_user_insert,
    .user_list = fz__sq_user_list,
    .user_disable = fz__sq_user_disable,
    .user_auth_get = fz__sq_user_auth_get,
    .user_login_update = fz__sq_user_login_update,
    .session_insert = fz__sq_session_insert,
    .session_get = fz__sq_session_get,
    .session_touch = fz__sq_session_touch,
    .session_revoke = fz__sq_session_revoke,
    .apikey_insert = fz__sq_apikey_insert,
    .apikey_get = fz__sq_apikey_get,
    .apikey_touch = fz__sq_apikey_touch,
    .apikey_list = fz__sq_apikey_list,
    .apikey_revoke = fz__sq_apikey_revoke,
    .report_insert = fz__sq_report_insert,
    .report_track = fz__sq_report_track,
    .dashboard = fz__sq_dashboard,
    .report_get = fz__sq_report_get,
    .report_list = fz__sq_report_list,
    .report_state = fz__sq_report_state,
    .report_set_status = fz__sq_report_set_status,
    .report_values_copy = fz__sq_report_values_copy,
    .ind_find = fz__sq_ind_find,
    .ind_get = fz__sq_ind_get,
    .ind_insert = fz__sq_ind_insert,
    .ind_update = fz__sq_ind_update,
    .ind_event = fz__sq_ind_event,
    .ind_link_report = fz__sq_ind_link_report,
    .ind_evidence = fz__sq_ind_evidence,
    .ind_search = fz__sq_ind_search,
    .ind_history = fz__sq_ind_history,
    .sighting_insert = fz__sq_sighting_insert,
    .sighting_list = fz__sq_sighting_list,
    .intel_walk = fz__sq_intel_walk,
    .audit_tail = fz__sq_audit_tail,
    .audit_insert = fz__sq_audit_insert,
    .audit_list = fz__sq_audit_list,
    .report_history = fz__sq_report_history,
    .audit_walk = fz__sq_audit_walk,
};
