/*
 * store internals shared by store.c (the public API: validation, roles, masking, audit),
 * writer.c (the write queue and group commit) and the backends (sqlite/ today).
 *
 * A backend is a table of row-level primitives (struct fz__store_backend_ops, curl's Curl_ssl
 * style): it runs SQL and nothing else. The domain rules (who may, which transition, scores,
 * masking, the audit chain) live in store.c, so a PostgreSQL backend implements the same table
 * and inherits them. `scope` arguments are an organisation id, or 0 for "every organisation".
 */
#ifndef FZ_STORE_INT_H
#define FZ_STORE_INT_H

#include <pthread.h>

#include "fangzha/store.h"

#define FZ__HASH_LEN 32    /* BLAKE2b-256 */
#define FZ__PWHASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* ---- rows the backends fill or take ------------------------------------------------------- */

/* What login needs of a user. */
struct fz__user_auth {
    int64_t id;
    int64_t org_id;
    enum fz_role role;
    bool all_orgs;
    char name[FZ_STORE_NAME_MAX + 1];
    char hash[FZ__PWHASH_MAX];
    int failed_logins;
    int64_t locked_until_ms;
    int64_t disabled_ms;
};

/* A session with its user. p.expires_ms is the absolute end. */
struct fz__session_row {
    struct fz_principal p;
    int64_t last_seen_ms;
    int64_t revoked_ms;
    int64_t user_disabled_ms;
};

/* An API key with its hash. p.expires_ms is 0 when it never expires. */
struct fz__apikey_row {
    struct fz_principal p;
    uint8_t hash[FZ__HASH_LEN];
    int64_t revoked_ms;
    int64_t last_used_ms;
};

/* A report to insert, with what store.c decided. */
struct fz__report_insert {
    const struct fz_report_new *r;
    const struct fz_actor *a;
    int64_t org_id;
    const char *tracking_code;
    int64_t now_ms;
};

/* The workflow state of a report. */
struct fz__report_state {
    int64_t org_id;
    enum fz_report_status status;
    int version;
    int fraud_type;
};

/* One audit record as stored. */
struct fz__audit_row {
    int64_t id;
    int64_t at_ms;
    enum fz_actor_kind actor_kind;
    int64_t actor_id;
    int64_t org_id;
    const char *request_id; /* NULL = none */
    const char *client_tag; /* NULL = none */
    const char *action;
    const char *object_kind; /* NULL = none */
    int64_t object_id;
    const char *outcome;
    const char *detail; /* NULL = none */
    uint8_t prev_hash[FZ__HASH_LEN];
    uint8_t hash[FZ__HASH_LEN];
};

typedef int fz__audit_walk_cb(void *ud, const struct fz__audit_row *r);

/* An audit record of a report with the name of the user who acted (NULL for anyone else). */
struct fz__report_history_row {
    struct fz_audit rec;
    const char *actor_name;
};

/*
 * The backend table. conn is a connection of the backend's own type; each is used by one thread
 * at a time. Returns: FZ_OK; FZ_ENOTFOUND (no such row in scope); FZ_ECONFLICT (a uniqueness
 * constraint); FZ_EBUSY (locked); FZ_EIO (anything else, logged without values); FZ_ENOMEM.
 * Strings of results are copied into ar. Lists return at most `limit` rows.
 */
struct fz__store_backend_ops {
    const char *name;
    /* Opens a connection: the writer's (creates the file, WAL) or a reader's (query only). */
    fz_rc (*open)(const struct fz_store_opts *o, bool writer, void **conn, struct fz_err *err);
    void (*close)(void *conn);
    /* Applies the missing migrations (writer only); *version gets the schema version. */
    fz_rc (*migrate)(void *conn, int *version, struct fz_err *err);
    int (*latest)(void);
    /* A write transaction (BEGIN IMMEDIATE) or a read snapshot; commit; rollback. */
    fz_rc (*tx_begin)(void *conn, bool write);
    fz_rc (*tx_commit)(void *conn);
    void (*tx_rollback)(void *conn);
    /* One op inside a write transaction: a savepoint, released (keep) or rolled back. */
    fz_rc (*op_begin)(void *conn);
    void (*op_end)(void *conn, bool keep);

    fz_rc (*org_insert)(void *c, const char *name, enum fz_org_kind k, bool centre, int64_t now,
                        int64_t *id);
    /* By id, or by name when name is not NULL. */
    fz_rc (*org_get)(void *c, int64_t id, const char *name, int64_t scope, struct fz_arena *ar,
                     struct fz_org *out);
    fz_rc (*org_list)(void *c, int64_t scope, struct fz_arena *ar, struct fz_org **out, size_t *n);
    /* The lowest-numbered centre organisation. */
    fz_rc (*org_centre)(void *c, int64_t *id);

    fz_rc (*user_insert)(void *c, const struct fz_user_new *u, const char *pwhash, int64_t now,
                         int64_t *id);
    fz_rc (*user_list)(void *c, int64_t scope, struct fz_arena *ar, struct fz_user **out,
                       size_t *n);
    /* Disables a user in scope and revokes its sessions. */
    fz_rc (*user_disable)(void *c, int64_t id, int64_t scope, int64_t now);
    /* By name (id 0) or by id. */
    fz_rc (*user_auth_get)(void *c, const char *name, int64_t id, struct fz__user_auth *out);
    /* Sets the login counters; new_hash NULL keeps the password hash. */
    fz_rc (*user_login_update)(void *c, int64_t id, int failed, int64_t locked_until_ms,
                               int64_t last_login_ms, const char *new_hash);

    fz_rc (*session_insert)(void *c, const uint8_t *token_hash, const uint8_t *csrf_hash,
                            int64_t user_id, int64_t now, int64_t expires_ms);
    fz_rc (*session_get)(void *c, const uint8_t *token_hash, struct fz__session_row *out);
    fz_rc (*session_touch)(void *c, const uint8_t *token_hash, int64_t now);
    /* Revokes a live session; *user_id gets its user (0 when there was none). */
    fz_rc (*session_revoke)(void *c, const uint8_t *token_hash, int64_t now, int64_t *user_id);

    fz_rc (*apikey_insert)(void *c, const char *public_id, const uint8_t *hash,
                           const struct fz_apikey_new *k, int64_t created_by, int64_t now,
                           int64_t *id);
    fz_rc (*apikey_get)(void *c, const char *public_id, struct fz__apikey_row *out);
    fz_rc (*apikey_touch)(void *c, int64_t id, int64_t now);
    fz_rc (*apikey_list)(void *c, int64_t scope, struct fz_arena *ar, struct fz_apikey **out,
                         size_t *n);
    fz_rc (*apikey_revoke)(void *c, int64_t id, int64_t scope, int64_t now);

    /* Inserts the report, its contact and values; out->duplicate_of is the earliest report
     * with the same dedupe key. FZ_ECONFLICT when the tracking code is taken. */
    fz_rc (*report_insert)(void *c, const struct fz__report_insert *in, struct fz_report_ref *out);
    fz_rc (*report_track)(void *c, const char *code, struct fz_report_track *out);
    /* The aggregates of fz_store_dashboard for out->since_ms..until_ms in scope. */
    fz_rc (*dashboard)(void *c, int64_t scope, struct fz_arena *ar, struct fz_dashboard *out);
    /* The whole report, contact unmasked, values loaded. */
    fz_rc (*report_get)(void *c, int64_t id, int64_t scope, struct fz_arena *ar,
                        struct fz_report *out);
    /* A page (limit already checked), contacts unmasked, values not loaded. */
    fz_rc (*report_list)(void *c, const struct fz_report_filter *f, int64_t scope,
                         struct fz_arena *ar, struct fz_report **out, size_t *n);
    fz_rc (*report_state)(void *c, int64_t id, int64_t scope, struct fz__report_state *out);
    /* Sets status (+ reason, duplicate_of, fraud_type when >= 0), bumps the version. */
    fz_rc (*report_set_status)(void *c, int64_t id, enum fz_report_status to, const char *reason,
                               int64_t duplicate_of, int fraud_type, int64_t now);
    fz_rc (*report_values_copy)(void *c, int64_t from, int64_t to);
    /* The successful audit records of report id, oldest first, at most 1000. */
    fz_rc (*report_history)(void *c, int64_t id, struct fz_arena *ar,
                            struct fz__report_history_row **out, size_t *n);

    fz_rc (*ind_find)(void *c, enum fz_ind_kind k, const char *value, struct fz_arena *ar,
                      struct fz_indicator *out);
    /* By id, visible in scope (TLP clear/green or source org == scope; scope 0 sees all). */
    fz_rc (*ind_get)(void *c, int64_t id, int64_t scope, struct fz_arena *ar,
                     struct fz_indicator *out);
    fz_rc (*ind_insert)(void *c, const struct fz_indicator *row, int64_t *id);
    /* Writes every mutable field of row (status, tlp, fraud type, score, counts, times, note,
     * cleared reason, version) to the indicator row->id. */
    fz_rc (*ind_update)(void *c, const struct fz_indicator *row);
    fz_rc (*ind_event)(void *c, int64_t ind, const struct fz_indicator_event *ev);
    fz_rc (*ind_link_report)(void *c, int64_t ind, int64_t report);
    /* Evidence from confirmed linked reports and sightings (ev->confirmed is left alone). */
    fz_rc (*ind_evidence)(void *c, int64_t ind, struct fz_ind_evidence *ev);
    fz_rc (*ind_search)(void *c, const struct fz_indicator_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_indicator **out, size_t *n);
    fz_rc (*ind_history)(void *c, int64_t ind, struct fz_arena *ar, struct fz_indicator_event **out,
                         size_t *n);
    fz_rc (*sighting_insert)(void *c, int64_t ind, int64_t org, const struct fz_sighting_new *s,
                             int64_t now, int64_t *id);
    fz_rc (*sighting_list)(void *c, int64_t ind, int64_t scope, int64_t after_id, int limit,
                           struct fz_arena *ar, struct fz_sighting **out, size_t *n);
    fz_rc (*intel_walk)(void *c, fz_store_ind_cb *cb, void *ud);

    /* The last record's id and hash (0 and zeros when empty). */
    fz_rc (*audit_tail)(void *c, int64_t *id, uint8_t *hash);
    fz_rc (*audit_insert)(void *c, const struct fz__audit_row *r);
    fz_rc (*audit_list)(void *c, const struct fz_audit_filter *f, int64_t scope,
                        struct fz_arena *ar, struct fz_audit **out, size_t *n);
    /* Every record, ids ascending; a non-zero return from cb stops the walk. */
    fz_rc (*audit_walk)(void *c, fz__audit_walk_cb *cb, void *ud);
};

extern const struct fz__store_backend_ops fz__store_sqlite;

/* ---- the writer ---------------------------------------------------------------------------- */

struct fz__wop;
/* One write op, run on the writer thread inside its own savepoint. Returns the caller's result;
 * anything but FZ_OK rolls the op back unless op->keep. */
typedef fz_rc fz__store_write_fn(struct fz_store *st, void *conn, struct fz__wop *op);

/* A queued write and what it tells the audit log. Lives on the caller's stack. */
struct fz__wop {
    fz__store_write_fn *fn;
    void *ctx;
    const struct fz_actor *actor;
    int64_t now_ms; /* set by the writer before fn runs */
    /* audit: fn sets these (action is set by the caller before queueing) */
    const char *action;
    const char *object_kind;
    int64_t object_id;
    char detail[160];
    bool no_audit; /* housekeeping (session and key touches) */
    bool keep;     /* commit what fn wrote although it failed (a failed login's counter) */
    fz_rc rc;
    struct fz_err err;
    bool done;
    struct fz__wop *next;
};

struct fz__reader {
    void *conn;
    struct fz__reader *next;
};

struct fz_store {
    const struct fz__store_backend_ops *be;
    struct fz_store_opts opts;
    char *path;
    int version;

    /* writer */
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t mu;
    pthread_cond_t wake;    /* the writer waits for work */
    pthread_cond_t done_cv; /* callers wait for their op */
    struct fz__wop *head, *tail;
    bool stopping;
    void *wconn;
    struct fz_store_stats stats;
    /* audit chain (writer thread only) */
    int64_t audit_id;
    uint8_t audit_hash[FZ__HASH_LEN];

    /* readers */
    pthread_mutex_t rmu;
    pthread_cond_t rcv;
    struct fz__reader *free_readers;
    struct fz__reader *readers; /* all, for close */
    int nreaders;

    /* a dummy hash for unknown users (same work as a wrong password) */
    pthread_mutex_t dummy_mu;
    char dummy_hash[FZ__PWHASH_MAX];
};

/* Starts and stops the writer thread (writer.c). */
fz_rc fz__store_writer_start(struct fz_store *st);
void fz__store_writer_stop(struct fz_store *st);
/* Queues op and waits until it was committed (or failed). Returns op->rc; op->err holds the
 * reason. */
fz_rc fz__store_write(struct fz_store *st, struct fz__wop *op);
/* Writes op's audit record in the current transaction and advances the chain (writer.c). */
fz_rc fz__store_audit_write(struct fz_store *st, void *conn, const struct fz__wop *op);
/* The chain hash of r given r->prev_hash (writer.c; fz_store_audit_verify uses it too). */
void fz__store_audit_hash(const struct fz__audit_row *r, uint8_t *out);

/* ---- helpers of the public API (store.c) ------------------------------------------------------
 */

/* A read connection from the pool (blocks while all are busy), and its return. */
struct fz__reader *fz__store_reader(struct fz_store *st);
void fz__store_reader_put(struct fz_store *st, struct fz__reader *r);
/* The organisation filter of an actor: 0 (every organisation) or its org id. */
int64_t fz__store_scope(const struct fz_actor *a);
/* CLI and SYSTEM: trusted, pass every role check. */
bool fz__store_trusted(const struct fz_actor *a);
/* "user:12", "api_key:3", "cli", "system", "anon" into out. */
void fz__store_actor_text(const struct fz_actor *a, char *out, size_t cap);
/* Checks a NUL-terminated field: present (unless optional), at most max bytes, valid UTF-8 and
 * no control characters. */
fz_rc fz__store_check_text(const char *field, const char *s, size_t max, bool optional,
                           struct fz_err *err);
/* err for a failed backend call that has no better message. */
fz_rc fz__store_fail(struct fz_err *err, fz_rc rc, const char *what);

/* Adds or strengthens one indicator inside a write op (indicators.c): the upsert rules of
 * fz_store_indicator_add, linked to report_id when not 0, scored from its evidence, with a
 * history row. *id (may be NULL) and *change (may be NULL; strings in ar) are filled. */
fz_rc fz__store_ind_upsert(struct fz_store *st, void *conn, struct fz__wop *op,
                           const struct fz_indicator_new *in, int64_t report_id,
                           struct fz_arena *ar, int64_t *id, struct fz_ind_change *change);

/* Arena array growth for backends: makes room for one more element of size sz in *arr (n used,
 * *cap capacity). */
fz_rc fz__store_grow(struct fz_arena *ar, void **arr, size_t n, size_t *cap, size_t sz);

/* ---- rewards (rewards.c) -------------------------------------------------------------------- */

/* What a proposal needs of its report. */
struct fz__reward_report {
    int64_t org_id;
    enum fz_report_status status;
    int64_t loss_fen;
    int n_confirmed;                     /* linked indicators that are still confirmed */
    int64_t active_id;                   /* its reward that is not cancelled; 0 = none */
    enum fz_reward_status active_status; /* of active_id */
};

/* One ledger row to append (reward_id and report_id 0 for a "budget" row). */
struct fz__reward_event {
    int64_t org_id;
    int year;
    int64_t reward_id;
    int64_t report_id;
    int64_t at_ms;
    const char *action;
    int64_t amount_fen;
    const char *actor;
    const char *reference; /* NULL = none */
};

/*
 * The reward primitives of a backend, same conventions as struct fz__store_backend_ops.
 * NEEDSWORK: a second table beside st->be only because the backend table's definition (in
 * sqlite/conn.c) was outside the change that added rewards; fold these into
 * struct fz__store_backend_ops when that file is next touched.
 */
struct fz__store_reward_ops {
    /* The report in scope, its loss, its confirmed indicators and its active reward. */
    fz_rc (*report)(void *c, int64_t report_id, int64_t scope, struct fz__reward_report *out);
    /* Inserts row (id, version and the decision fields are ignored); FZ_ECONFLICT when the report
     * has an active reward. */
    fz_rc (*insert)(void *c, const struct fz_reward *row, int64_t *id);
    fz_rc (*get)(void *c, int64_t id, int64_t scope, struct fz_arena *ar, struct fz_reward *out);
    /* A page (limit already checked). */
    fz_rc (*list)(void *c, const struct fz_reward_filter *f, int64_t scope, struct fz_arena *ar,
                  struct fz_reward **out, size_t *n);
    /* Sets the status, who and when of that step (text: the payment reference or the cancel
     * reason), bumps the version. */
    fz_rc (*set_status)(void *c, int64_t id, enum fz_reward_status to, const char *actor,
                        const char *text, int64_t now);
    fz_rc (*event)(void *c, const struct fz__reward_event *ev);
    /* Sums of the org's rewards of year that are approved, and paid. */
    fz_rc (*committed)(void *c, int64_t org, int year, int64_t *approved, int64_t *paid);
    /* FZ_ENOTFOUND when no budget is set. */
    fz_rc (*budget_get)(void *c, int64_t org, int year, int64_t *amount);
    fz_rc (*budget_set)(void *c, int64_t org, int year, int64_t amount, const char *actor,
                        int64_t now);
    /* The ledger rows of year (of org, or all when org is 0), in (at_ms, id) order. */
    fz_rc (*ledger_walk)(void *c, int64_t org, int year, fz_store_reward_ledger_cb *cb, void *ud);
};

extern const struct fz__store_reward_ops fz__store_sqlite_rewards;

/* ---- cases (cases.c) ------------------------------------------------------------------------ */

/* What a case write changes: title, fraud_type and text when not NULL / -1, and the status. */
struct fz__case_set {
    const char *title;
    int fraud_type;
    const char *text;
    enum fz_case_status status;
    const char *actor;
    const char *reason; /* withdraw only */
    int64_t now_ms;
};

/*
 * The case primitives of a backend, same conventions as struct fz__store_backend_ops. A second
 * table beside st->be for the same reason as struct fz__store_reward_ops (same NEEDSWORK).
 */
struct fz__store_case_ops {
    /* Inserts row as a draft (id, status, version and the publication fields are ignored). */
    fz_rc (*insert)(void *c, const struct fz_case *row, int64_t *id);
    fz_rc (*get)(void *c, int64_t id, int64_t scope, struct fz_arena *ar, struct fz_case *out);
    /* A page of the staff list, ids descending (limit already checked). */
    fz_rc (*list)(void *c, const struct fz_case_filter *f, int64_t scope, struct fz_arena *ar,
                  struct fz_case **out, size_t *n);
    /* Published cases by (published_ms, id) descending, after the case after_id (0 = first). */
    fz_rc (*list_public)(void *c, int limit, int64_t after_id, struct fz_arena *ar,
                         struct fz_case **out, size_t *n);
    /* Writes the change of s to case id and bumps the version: the edited fields, the status
     * and, for published / withdrawn, who and when (and the reason). */
    fz_rc (*set)(void *c, int64_t id, const struct fz__case_set *s);
};

extern const struct fz__store_case_ops fz__store_sqlite_cases;

#endif
