/*
 * store/sqlite: the SQLite backend of the store (the only files that include <sqlite3.h>).
 *
 * One struct fz__sq per connection, used by one thread at a time. Statements are prepared once
 * per connection (sqlite3_prepare_v3 with SQLITE_PREPARE_PERSISTENT) into a slot of an enum, with
 * the SQL written where it is used; every value is a bound parameter. Lists with optional filters
 * use one static statement with "(?N IS NULL OR col = ?N)" clauses rather than SQL built at run
 * time.
 */
#ifndef FZ_STORE_SQLITE_INT_H
#define FZ_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store_int.h"

/* A migration compiled into the binary (generated store_migrations.c). */
struct fz__sq_migration {
    int version;
    const char *name;
    const char *sql;
    size_t len;
};
extern const struct fz__sq_migration fz__sq_migrations[];
extern const int fz__sq_nmigrations;

enum fz__sq_slot {
    SQ_BEGIN_W,
    SQ_BEGIN_R,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_SAVEPOINT,
    SQ_RELEASE,
    SQ_ROLLBACK_TO,
    SQ_ORG_INSERT,
    SQ_ORG_GET,
    SQ_ORG_FIND,
    SQ_ORG_LIST,
    SQ_ORG_CENTRE,
    SQ_USER_INSERT,
    SQ_USER_LIST,
    SQ_USER_DISABLE,
    SQ_USER_END_SESSIONS,
    SQ_USER_AUTH_NAME,
    SQ_USER_AUTH_ID,
    SQ_USER_LOGIN,
    SQ_USER_LOGIN_HASH,
    SQ_SESSION_INSERT,
    SQ_SESSION_GET,
    SQ_SESSION_TOUCH,
    SQ_SESSION_REVOKE,
    SQ_KEY_INSERT,
    SQ_KEY_GET,
    SQ_KEY_TOUCH,
    SQ_KEY_LIST,
    SQ_KEY_REVOKE,
    SQ_REPORT_DUP,
    SQ_REPORT_INSERT,
    SQ_REPORT_CONTACT,
    SQ_REPORT_VALUE,
    SQ_REPORT_TRACK,
    SQ_REPORT_GET,
    SQ_REPORT_VALUES,
    SQ_REPORT_LIST,
    SQ_REPORT_LIST_DESC,
    SQ_REPORT_STATE,
    SQ_REPORT_SET_STATUS,
    SQ_REPORT_VALUES_COPY,
    SQ_IND_FIND,
    SQ_IND_GET,
    SQ_IND_INSERT,
    SQ_IND_UPDATE,
    SQ_IND_EVENT,
    SQ_IND_LINK,
    SQ_IND_EV_REPORTS,
    SQ_IND_EV_SIGHTINGS,
    SQ_IND_SEARCH,
    SQ_IND_HISTORY,
    SQ_SIGHTING_INSERT,
    SQ_SIGHTING_LIST,
    SQ_INTEL_WALK,
    SQ_AUDIT_TAIL,
    SQ_AUDIT_INSERT,
    SQ_AUDIT_LIST,
    SQ_AUDIT_WALK,
    SQ_RW_REPORT,
    SQ_RW_INSERT,
    SQ_RW_GET,
    SQ_RW_LIST,
    SQ_RW_SET_STATUS,
    SQ_RW_EVENT,
    SQ_RW_COMMITTED,
    SQ_RW_BUDGET_GET,
    SQ_RW_BUDGET_SET,
    SQ_RW_LEDGER,
    SQ_ST_PER_DAY,
    SQ_ST_BY_TYPE,
    SQ_ST_BY_STATUS,
    SQ_ST_VERDICTS,
    SQ_ST_TOP_VALUES,
    SQ_ST_CONFIRMED,
    SQ_ST_CONFIRMED_DAY,
    SQ_ST_TRIAGE_COUNT,
    SQ_ST_TRIAGE_MEDIAN,
    SQ_CASE_INSERT,
    SQ_CASE_GET,
    SQ_CASE_LIST,
    SQ_CASE_PUBLIC,
    SQ_CASE_SET,
    SQ_REPORT_HISTORY,
    SQ__SLOTS
};

struct fz__sq {
    sqlite3 *db;
    bool writer;
    sqlite3_stmt *stmt[SQ__SLOTS];
};

/* The statement of slot, prepared from sql on first use and reset; NULL on failure (logged). */
sqlite3_stmt *fz__sq_stmt(struct fz__sq *c, enum fz__sq_slot slot, const char *sql);
/* Maps a SQLite result to fz_rc (logging unexpected ones without values). */
fz_rc fz__sq_rc(struct fz__sq *c, int rc);
/* Reads the current row of s into item (strings in ar); false when out of memory. */
typedef bool fz__sq_row_fn(sqlite3_stmt *s, struct fz_arena *ar, void *item);
/* Steps s to its end, reading each row with read into a new item of size bytes in an array in
 * ar; *out and *n get the array. Resets s. */
fz_rc fz__sq_rows(struct fz__sq *c, sqlite3_stmt *s, struct fz_arena *ar, size_t size,
                  fz__sq_row_fn *read, void **out, size_t *n);
/* Steps s once and resets it: a row is read with read into item (FZ_E(FZ_ENOMEM) when read
 * returns false), no row is FZ_ENOTFOUND. */
fz_rc fz__sq_one(struct fz__sq *c, sqlite3_stmt *s, struct fz_arena *ar, fz__sq_row_fn *read,
                 void *item);
/* A fz__sq_row_fn reading column 0 into the int64_t at item (ar is unused). */
bool fz__sq_int64_row(sqlite3_stmt *s, struct fz_arena *ar, void *item);
/* Steps an INSERT ... RETURNING id and resets it; *id (may be NULL) gets the new id. A
 * statement that returns no row is FZ_EIO. */
fz_rc fz__sq_insert_id(struct fz__sq *c, sqlite3_stmt *s, int64_t *id);
/* Runs an UPDATE of one row and resets it; FZ_ENOTFOUND when it changed no row. */
fz_rc fz__sq_update(struct fz__sq *c, sqlite3_stmt *s);
/* Steps a statement that returns no row (or whose rows are ignored) and resets it. */
fz_rc fz__sq_run(struct fz__sq *c, sqlite3_stmt *s);

/* Binding: NULL text and 0 ids become SQL NULL. */
void fz__sq_bind_text(sqlite3_stmt *s, int i, const char *v);
void fz__sq_bind_id(sqlite3_stmt *s, int i, int64_t v);
void fz__sq_bind_blob(sqlite3_stmt *s, int i, const void *p, size_t n);
/* A column as an arena copy (NULL for SQL NULL); *ok becomes false when out of memory. */
const char *fz__sq_col_text(sqlite3_stmt *s, int i, struct fz_arena *ar, bool *ok);
/* A column into a fixed buffer (truncated; "" for NULL). */
void fz__sq_col_copy(sqlite3_stmt *s, int i, char *out, size_t cap);

/* Enum <-> text for columns holding a fraud type id (NULL = -1). */
void fz__sq_bind_fraud(sqlite3_stmt *s, int i, int fraud_type);
int fz__sq_col_fraud(sqlite3_stmt *s, int i);

/* Domain primitives, one file each (accounts.c, reports.c, indicators.c, audit.c, stats.c; cases.c
 * and rewards.c fill the operation tables of store_int.h instead). */
fz_rc fz__sq_org_insert(void *c, const char *name, enum fz_org_kind k, bool centre, int64_t now,
                        int64_t *id);
fz_rc fz__sq_org_get(void *c, int64_t id, const char *name, int64_t scope, struct fz_arena *ar,
                     struct fz_org *out);
fz_rc fz__sq_org_list(void *c, int64_t scope, struct fz_arena *ar, struct fz_org **out, size_t *n);
fz_rc fz__sq_org_centre(void *c, int64_t *id);
fz_rc fz__sq_user_insert(void *c, const struct fz_user_new *u, const char *pwhash, int64_t now,
                         int64_t *id);
fz_rc fz__sq_user_list(void *c, int64_t scope, struct fz_arena *ar, struct fz_user **out,
                       size_t *n);
fz_rc fz__sq_user_disable(void *c, int64_t id, int64_t scope, int64_t now);
fz_rc fz__sq_user_auth_get(void *c, const char *name, int64_t id, struct fz__user_auth *out);
fz_rc fz__sq_user_login_update(void *c, int64_t id, int failed, int64_t locked_until_ms,
                               int64_t last_login_ms, const char *new_hash);
fz_rc fz__sq_session_insert(void *c, const uint8_t *token_hash, const uint8_t *csrf_hash,
                            int64_t user_id, int64_t now, int64_t expires_ms);
fz_rc fz__sq_session_get(void *c, const uint8_t *token_hash, struct fz__session_row *out);
fz_rc fz__sq_session_touch(void *c, const uint8_t *token_hash, int64_t now);
fz_rc fz__sq_session_revoke(void *c, const uint8_t *token_hash, int64_t now, int64_t *user_id);
fz_rc fz__sq_apikey_insert(void *c, const char *public_id, const uint8_t *hash,
                           const struct fz_apikey_new *k, int64_t created_by, int64_t now,
                           int64_t *id);
fz_rc fz__sq_apikey_get(void *c, const char *public_id, struct fz__apikey_row *out);
fz_rc fz__sq_apikey_touch(void *c, int64_t id, int64_t now);
fz_rc fz__sq_apikey_list(void *c, int64_t scope, struct fz_arena *ar, struct fz_apikey **out,
                         size_t *n);
fz_rc fz__sq_apikey_revoke(void *c, int64_t id, int64_t scope, int64_t now);

fz_rc fz__sq_report_insert(void *c, const struct fz__report_insert *in, struct fz_report_ref *out);
fz_rc fz__sq_dashboard(void *conn, int64_t scope, struct fz_arena *ar, struct fz_dashboard *out);
fz_rc fz__sq_report_track(void *c, const char *code, struct fz_report_track *out);
fz_rc fz__sq_report_get(void *c, int64_t id, int64_t scope, struct fz_arena *ar,
                        struct fz_report *out);
fz_rc fz__sq_report_list(void *c, const struct fz_report_filter *f, int64_t scope,
                         struct fz_arena *ar, struct fz_report **out, size_t *n);
fz_rc fz__sq_report_state(void *c, int64_t id, int64_t scope, struct fz__report_state *out);
fz_rc fz__sq_report_set_status(void *c, int64_t id, enum fz_report_status to, const char *reason,
                               int64_t duplicate_of, int fraud_type, int64_t now);
fz_rc fz__sq_report_values_copy(void *c, int64_t from, int64_t to);

fz_rc fz__sq_ind_find(void *c, enum fz_ind_kind k, const char *value, struct fz_arena *ar,
                      struct fz_indicator *out);
fz_rc fz__sq_ind_get(void *c, int64_t id, int64_t scope, struct fz_arena *ar,
                     struct fz_indicator *out);
fz_rc fz__sq_ind_insert(void *c, const struct fz_indicator *row, int64_t *id);
fz_rc fz__sq_ind_update(void *c, const struct fz_indicator *row);
fz_rc fz__sq_ind_event(void *c, int64_t ind, const struct fz_indicator_event *ev);
fz_rc fz__sq_ind_link_report(void *c, int64_t ind, int64_t report);
fz_rc fz__sq_ind_evidence(void *c, int64_t ind, struct fz_ind_evidence *ev);
fz_rc fz__sq_ind_search(void *c, const struct fz_indicator_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_indicator **out, size_t *n);
fz_rc fz__sq_ind_history(void *c, int64_t ind, struct fz_arena *ar, struct fz_indicator_event **out,
                         size_t *n);
fz_rc fz__sq_sighting_insert(void *c, int64_t ind, int64_t org, const struct fz_sighting_new *s,
                             int64_t now, int64_t *id);
fz_rc fz__sq_sighting_list(void *c, int64_t ind, int64_t scope, int64_t after_id, int limit,
                           struct fz_arena *ar, struct fz_sighting **out, size_t *n);
fz_rc fz__sq_intel_walk(void *c, fz_store_ind_cb *cb, void *ud);

fz_rc fz__sq_audit_tail(void *c, int64_t *id, uint8_t *hash);
fz_rc fz__sq_audit_insert(void *c, const struct fz__audit_row *r);
fz_rc fz__sq_report_history(void *c, int64_t id, struct fz_arena *ar,
                            struct fz__report_history_row **out, size_t *n);
fz_rc fz__sq_audit_list(void *c, const struct fz_audit_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_audit **out, size_t *n);
fz_rc fz__sq_audit_walk(void *c, fz__audit_walk_cb *cb, void *ud);

#endif
