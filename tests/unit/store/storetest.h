/* Helpers for the store's unit tests: a fresh database in a temporary directory, a fake clock,
 * actors, and raw SQL on the database file (to stamp versions, tamper with rows and look at what
 * is really stored). Header-only: each test includes it once. */
#ifndef FZ_STORETEST_H
#define FZ_STORETEST_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangzha/store.h"
#include "support.h"

struct st_env {
    char *dir;
    char path[512];
    int64_t now_ms;
    struct fz_store *st;
    struct fz_actor cli;
};

static inline int64_t st_clock(void *ud) { return ((struct st_env *)ud)->now_ms; }

static inline void st_opts(struct st_env *e, struct fz_store_opts *o)
{
    memset(o, 0, sizeof *o);
    o->path = e->path;
    o->sync_normal = true; /* tests need no fsync per commit */
    o->pwhash_ops = crypto_pwhash_OPSLIMIT_MIN;
    o->pwhash_mem = crypto_pwhash_MEMLIMIT_MIN;
    o->clock = st_clock;
    o->clock_ud = e;
}

static inline void st_reopen(struct st_env *e)
{
    struct fz_store_opts o;
    st_opts(e, &o);
    struct fz_err err = {0};
    fz_rc rc = fz_store_open(&o, &e->st, &err);
    if (rc != FZ_OK)
        fail_msg("open: %s", err.msg);
}

static inline void st_setup(struct st_env *e)
{
    memset(e, 0, sizeof *e);
    e->dir = fzt_tmpdir();
    snprintf(e->path, sizeof e->path, "%s/fangzha.db", e->dir);
    e->now_ms = 1767225600000; /* 2026-01-01 */
    e->cli.kind = FZ_ACTOR_CLI;
    snprintf(e->cli.request_id, sizeof e->cli.request_id, "test");
    st_reopen(e);
}

static inline void st_teardown(struct st_env *e)
{
    fz_store_close(e->st);
    fzt_tmpdir_remove(e->dir);
}

/* Runs sql on the database file through a separate connection. */
static inline void st_sql(struct st_env *e, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("sql '%s': %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

/* The integer the first column of the first row of sql holds (-1 when no row). */
/* Takes the closed database of e back to schema `version`, as an older fangzha left it (data
 * kept): undoes every later migration, newest first. A new migration adds its undo here. */
static inline void st_downgrade(struct st_env *e, int version)
{
    if (version < 5)
        st_sql(e, "DROP INDEX indicator_events_confirmed");
    if (version < 4)
        st_sql(e, "DROP INDEX report_values_period; DROP INDEX reports_period;"
                  " ALTER TABLE report_values DROP COLUMN org_id;"
                  " ALTER TABLE report_values DROP COLUMN created_ms;");
    if (version < 3)
        st_sql(e, "DROP TABLE cases");
    if (version < 2)
        st_sql(e, "DROP TABLE reward_events; DROP TABLE reward_budgets; DROP TABLE rewards");
    char sql[80];
    snprintf(sql, sizeof sql, "DELETE FROM schema_migrations WHERE version > %d", version);
    st_sql(e, sql);
}

static inline int64_t st_sql_int(struct st_env *e, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v = -1;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* True when the bytes of needle occur anywhere in the database file or its WAL. */
static inline bool st_file_has(struct st_env *e, const char *needle)
{
    const char *suffix[] = {"", "-wal"};
    for (int i = 0; i < 2; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", e->path, suffix[i]);
        FILE *f = fopen(p, "rb");
        if (!f)
            continue;
        struct fz_buf b;
        fz_buf_init(&b, (size_t)1 << 30);
        fz_buf_read(&b, f);
        fclose(f);
        size_t n = strlen(needle);
        bool hit = false;
        for (size_t k = 0; !hit && b.len >= n && k <= b.len - n; k++)
            hit = memcmp(b.ptr + k, needle, n) == 0;
        fz_buf_release(&b);
        if (hit)
            return true;
    }
    return false;
}

/* An actor for principal-like fields. */
static inline struct fz_actor st_actor(enum fz_actor_kind kind, int64_t user_id, int64_t org_id,
                                       enum fz_role role, bool all_orgs)
{
    struct fz_actor a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.user_id = kind == FZ_ACTOR_USER ? user_id : 0;
    a.key_id = kind == FZ_ACTOR_API_KEY ? user_id : 0;
    a.org_id = org_id;
    a.role = role;
    a.all_orgs = all_orgs;
    snprintf(a.request_id, sizeof a.request_id, "req-%lld", (long long)user_id);
    return a;
}

static inline int64_t st_org(struct st_env *e, const char *name, bool centre)
{
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_org_add(e->st, &e->cli, name, FZ_ORG_POLICE, centre, &id, &err) != FZ_OK)
        fail_msg("org add: %s", err.msg);
    return id;
}

/* A real user (reports and keys reference users) and its actor. */
static inline struct fz_actor st_user(struct st_env *e, const char *name, enum fz_role role,
                                      int64_t org, bool all_orgs)
{
    struct fz_user_new u = {name, "a long enough pass 42", role, org};
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_user_add(e->st, &e->cli, &u, &id, &err) != FZ_OK)
        fail_msg("user add: %s", err.msg);
    return st_actor(FZ_ACTOR_USER, id, org, role, all_orgs);
}

/* A real API key and its actor. */
static inline struct fz_actor st_key(struct st_env *e, enum fz_role role, int64_t org)
{
    struct fz_apikey_new k = {org, role, "test key", 0};
    char key[FZ_STORE_APIKEY_SIZE];
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_apikey_create(e->st, &e->cli, &k, &id, key, &err) != FZ_OK)
        fail_msg("key create: %s", err.msg);
    return st_actor(FZ_ACTOR_API_KEY, id, org, role, false);
}

#endif
