/*
 * store: the platform's data, as domain operations (add a report, confirm it, search
 * indicators, log in), never as tables. The only module that speaks SQL; SQLite (WAL) is the
 * backend today, behind a table of functions so a PostgreSQL backend can follow. Nothing here
 * names a SQL type.
 *
 * Every function is synchronous for its caller and safe to call from many threads. Writes go
 * through one writer thread that commits whatever is queued in one transaction (group commit)
 * and returns only after COMMIT: a function that returned FZ_OK wrote durable data. Every write
 * also writes its audit record in the same transaction. Reads use a small pool of read
 * connections (a WAL snapshot per read). Every call takes the acting principal: objects outside
 * its organisation answer FZ_ENOTFOUND unless its role has all-organisations scope.
 *
 * Strings returned by reads live in the caller's arena (`ar`) until it is reset or released.
 * Personal data (a reporter's name and phone) is returned masked unless asked for and allowed;
 * nothing personal ever appears in a struct fz_err message. docs/internals/store.md has the
 * rules, the schema and the writer.
 */
#ifndef FANGZHA_STORE_H
#define FANGZHA_STORE_H

#include "fangzha/core.h"
#include "fangzha/intel.h"

/* ---- roles, organisations, actors --------------------------------------------------------- */

enum fz_role {
    FZ_ROLE_NONE, /* anonymous: residents */
    FZ_ROLE_ADMIN,
    FZ_ROLE_ANALYST,
    FZ_ROLE_OFFICER,
    FZ_ROLE_PARTNER,
    FZ_ROLE_AUDITOR,
    FZ_ROLE__COUNT
};
/* "none", "admin", "analyst", "officer", "partner", "auditor"; NULL when out of range. */
const char *fz_role_name(enum fz_role r);
/* Parses the names above (exact, lower case); false when unknown. */
bool fz_role_parse(const char *s, size_t len, enum fz_role *out);

enum fz_org_kind {
    FZ_ORG_POLICE,
    FZ_ORG_OPERATOR,
    FZ_ORG_BANK,
    FZ_ORG_INTERNET,
    FZ_ORG_COMMUNITY,
    FZ_ORG__KINDS
};
/* "police", "operator", "bank", "internet", "community"; NULL when out of range. */
const char *fz_org_kind_name(enum fz_org_kind k);
bool fz_org_kind_parse(const char *s, size_t len, enum fz_org_kind *out);

/* True when role r of an organisation that is (or is not) the anti-fraud centre sees every
 * organisation's data: the centre's admin, analyst and auditor. */
bool fz_role_all_orgs(enum fz_role r, bool org_is_centre);

enum fz_actor_kind {
    FZ_ACTOR_ANON,    /* a resident on the portal */
    FZ_ACTOR_USER,    /* a logged-in user (session) */
    FZ_ACTOR_API_KEY, /* a partner system */
    FZ_ACTOR_CLI,     /* the operator at the command line: trusted, all organisations */
    FZ_ACTOR_SYSTEM,  /* the server itself (start-up, housekeeping): trusted */
    FZ_ACTOR__KINDS
};
/* "anon", "user", "api_key", "cli", "system"; NULL when out of range. */
const char *fz_actor_kind_name(enum fz_actor_kind k);

/*
 * Who acts. Audit records and organisation scoping come from here. The server fills it from a
 * struct fz_principal (fz_actor_init) plus the request id and client tag; the CLI uses
 * FZ_ACTOR_CLI. CLI and SYSTEM pass every role check and see every organisation.
 */
struct fz_actor {
    enum fz_actor_kind kind;
    int64_t user_id; /* 0 when not a user */
    int64_t key_id;  /* 0 when not an API key */
    int64_t org_id;  /* 0 for anonymous, CLI and SYSTEM */
    enum fz_role role;
    bool all_orgs;       /* role scope covers every organisation */
    char request_id[32]; /* NUL-terminated; "" when none */
    char client_tag[24]; /* keyed hash of the client address made by the server (never an IP) */
};

/* ---- opening -------------------------------------------------------------------------------- */

struct fz_store;

/* A clock in ms since the epoch (UTC); tests install a fake one. */
typedef int64_t fz_store_clock_fn(void *ud);

struct fz_store_opts {
    const char *path;         /* database file; created when missing */
    bool sync_normal;         /* synchronous=NORMAL instead of FULL (may lose the last commits on
                                 power loss, never on a process crash) */
    int busy_timeout_ms;      /* 0 = 5000 */
    int readers;              /* read connections in the pool; 0 = 4 */
    uint64_t pwhash_ops;      /* argon2id limits; 0 = libsodium's INTERACTIVE values (tests pass */
    size_t pwhash_mem;        /* crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN to run fast) */
    int64_t session_idle_ms;  /* 0 = 30 minutes */
    int64_t session_ttl_ms;   /* absolute session lifetime; 0 = 12 hours */
    fz_store_clock_fn *clock; /* NULL = the real clock (CLOCK_REALTIME) */
    void *clock_ud;
};

/*
 * Opens (creating when missing) the database at o->path, applies the migrations the database
 * lacks in one transaction and starts the writer thread. FZ_EINVAL when the database is newer
 * than this binary or a migration was edited after it was applied (err says which), FZ_EIO when
 * the file cannot be opened. On success *out holds the store (close with fz_store_close); on
 * failure *out is untouched.
 */
fz_rc fz_store_open(const struct fz_store_opts *o, struct fz_store **out, struct fz_err *err);
/* Waits for every queued write to commit, stops the writer and closes every connection. Call
 * it when no other thread uses st any more. NULL is fine. */
void fz_store_close(struct fz_store *st);
/* The schema version of the open database, and the newest this binary knows. */
int fz_store_schema_version(const struct fz_store *st);
int fz_store_schema_latest(void);
/* The store's clock (o->clock or the real one), in ms since the epoch. */
int64_t fz_store_now_ms(const struct fz_store *st);

/* Counters of the writer since open: for /metrics and to see that batches group. */
struct fz_store_stats {
    uint64_t commits;        /* transactions committed */
    uint64_t ops;            /* write ops processed (ok or not) */
    uint64_t failed_commits; /* batches that failed to begin or commit (no op was written) */
    uint64_t max_batch;      /* most ops in one transaction */
};
void fz_store_stats(struct fz_store *st, struct fz_store_stats *out);

/* ---- organisations -------------------------------------------------------------------------- */

#define FZ_STORE_NAME_MAX 64 /* bytes of an organisation, user or API key name */

struct fz_org {
    int64_t id;
    const char *name;
    enum fz_org_kind kind;
    bool is_centre; /* the district anti-fraud centre: its admin/analyst/auditor see all orgs */
    int64_t created_ms;
};

/* Adds an organisation (CLI, SYSTEM or an all-orgs admin). FZ_ECONFLICT when the name is
 * taken, FZ_EINVAL for an empty or over-long name (field "name"), FZ_EFORBIDDEN. *id (may be
 * NULL) gets the new id. */
fz_rc fz_store_org_add(struct fz_store *st, const struct fz_actor *a, const char *name,
                       enum fz_org_kind kind, bool is_centre, int64_t *id, struct fz_err *err);
/* One organisation by id or by name, in scope (own org unless all_orgs); FZ_ENOTFOUND. */
fz_rc fz_store_org_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                       struct fz_arena *ar, struct fz_org *out, struct fz_err *err);
fz_rc fz_store_org_find(struct fz_store *st, const struct fz_actor *a, const char *name,
                        struct fz_arena *ar, struct fz_org *out, struct fz_err *err);
/* The organisations in scope, by id; *out is an array of *n in ar. */
fz_rc fz_store_org_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                        struct fz_org **out, size_t *n, struct fz_err *err);

/* ---- users, passwords, sessions ------------------------------------------------------------ */

/*
 * Checks a new password: at least 12 characters (code points), not of one character class only
 * (lower, upper, digit, other), not containing the user name (case-insensitively, when the name
 * has 3 or more characters), not one of a short list of common passwords. FZ_EINVAL with field
 * "password" and a reason that does not echo the password. name may be NULL.
 */
fz_rc fz_password_check(const char *name, const char *pw, struct fz_err *err);

struct fz_user_new {
    const char *name; /* login name: 1-64 bytes of [A-Za-z0-9._@-] */
    const char *password;
    enum fz_role role; /* not FZ_ROLE_NONE */
    int64_t org_id;
};

struct fz_user {
    int64_t id;
    const char *name;
    int64_t org_id;
    enum fz_role role;
    bool all_orgs;
    int64_t created_ms;
    int64_t last_login_ms;   /* 0 = never */
    int64_t locked_until_ms; /* 0 = not locked */
    int64_t disabled_ms;     /* 0 = active */
};

/* Adds a user (CLI, SYSTEM, an admin of u->org_id, or an all-orgs admin). The password is
 * checked (fz_password_check) and stored as an argon2id hash. FZ_ECONFLICT when the name is
 * taken; FZ_EINVAL with the field; FZ_ENOTFOUND for an organisation out of scope. */
fz_rc fz_store_user_add(struct fz_store *st, const struct fz_actor *a, const struct fz_user_new *u,
                        int64_t *id, struct fz_err *err);
/* The users in scope (admins and auditors; CLI), by id. */
fz_rc fz_store_user_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                         struct fz_user **out, size_t *n, struct fz_err *err);
/* Disables a user and ends its sessions. FZ_ENOTFOUND out of scope. */
fz_rc fz_store_user_disable(struct fz_store *st, const struct fz_actor *a, int64_t user_id,
                            struct fz_err *err);

/* Who is authenticated: what a session or an API key stands for. */
struct fz_principal {
    enum fz_actor_kind kind; /* FZ_ACTOR_USER or FZ_ACTOR_API_KEY */
    int64_t user_id;         /* 0 for a key */
    int64_t key_id;          /* 0 for a user */
    int64_t org_id;
    enum fz_role role;
    bool all_orgs;
    char name[FZ_STORE_NAME_MAX + 1]; /* user name or key name */
    uint8_t csrf_hash[32];            /* sessions: BLAKE2b-256 of the CSRF token (compare the
                                         hash of the presented token with sodium_memcmp) */
    int64_t expires_ms;               /* when the session or key ends; 0 = never (keys) */
};

/* Fills a with p's identity, request_id and client_tag (either may be NULL: ""). */
void fz_actor_init(struct fz_actor *a, const struct fz_principal *p, const char *request_id,
                   const char *client_tag);

/* Token strings: 32 random bytes as unpadded base64url (43 characters) plus NUL. */
#define FZ_STORE_TOKEN_SIZE 44

struct fz_session_new {
    char token[FZ_STORE_TOKEN_SIZE]; /* the session cookie value */
    char csrf[FZ_STORE_TOKEN_SIZE];  /* the CSRF token the console sends back on writes */
    int64_t expires_ms;              /* absolute end */
};

/*
 * Verifies name and password and opens a session. a is the anonymous caller (its request id
 * and client tag go to the audit log). FZ_EUNAUTH for an unknown user, a wrong password, a
 * disabled user or a locked one (the same message for all: "wrong user name or password",
 * field ""); 10 consecutive failures lock the user for 15 minutes. A hash made with weaker
 * limits than the store's is re-hashed. Only the BLAKE2b-256 hashes of the tokens are stored.
 * On success *who and *out are filled.
 */
fz_rc fz_store_login(struct fz_store *st, const struct fz_actor *a, const char *name,
                     const char *password, struct fz_principal *who, struct fz_session_new *out,
                     struct fz_err *err);
/* The principal of a session token at the store's clock. FZ_EUNAUTH when unknown, logged out,
 * idle longer than the idle timeout, past its absolute lifetime, or its user is disabled.
 * Refreshes the idle timer (at most once a minute, a small write without audit). */
fz_rc fz_store_session_get(struct fz_store *st, const char *token, struct fz_principal *out,
                           struct fz_err *err);
/* Ends the session of token (audited as a's). FZ_OK also when it was already ended. */
fz_rc fz_store_logout(struct fz_store *st, const struct fz_actor *a, const char *token,
                      struct fz_err *err);

/* ---- API keys ------------------------------------------------------------------------------ */

/* "fzk_" + 8-character public id + "_" + 43-character base64url secret, plus NUL. */
#define FZ_STORE_APIKEY_SIZE 64

struct fz_apikey_new {
    int64_t org_id;
    enum fz_role role;  /* partner usually; not FZ_ROLE_NONE */
    const char *name;   /* 1-64 bytes, for humans */
    int64_t expires_ms; /* 0 = never */
};

struct fz_apikey {
    int64_t id;
    const char *public_id; /* the 8 characters after "fzk_": safe to show */
    int64_t org_id;
    enum fz_role role;
    const char *name;
    int64_t created_ms;
    int64_t expires_ms;   /* 0 = never */
    int64_t revoked_ms;   /* 0 = active */
    int64_t last_used_ms; /* 0 = never (updated at most once a minute) */
};

/* Creates a key (CLI, SYSTEM, an admin of k->org_id, an all-orgs admin) and writes it into
 * key_out once; only its BLAKE2b-256 hash is stored. *id may be NULL. */
fz_rc fz_store_apikey_create(struct fz_store *st, const struct fz_actor *a,
                             const struct fz_apikey_new *k, int64_t *id,
                             char key_out[FZ_STORE_APIKEY_SIZE], struct fz_err *err);
/* The principal of a presented key (key[0..len)). FZ_EUNAUTH when malformed, unknown, revoked
 * or expired (one message for all). */
fz_rc fz_store_apikey_auth(struct fz_store *st, const char *key, size_t len,
                           struct fz_principal *out, struct fz_err *err);
/* The keys in scope (no secrets), by id. */
fz_rc fz_store_apikey_list(struct fz_store *st, const struct fz_actor *a, struct fz_arena *ar,
                           struct fz_apikey **out, size_t *n, struct fz_err *err);
/* Revokes a key: it stops authenticating at once. FZ_ENOTFOUND out of scope. */
fz_rc fz_store_apikey_revoke(struct fz_store *st, const struct fz_actor *a, int64_t key_id,
                             struct fz_err *err);

/* ---- reports (举报线索) -------------------------------------------------------------------- */

#define FZ_CAP_REPORT_TEXT ((size_t)32 << 10) /* bytes of a report's text */
#define FZ_STORE_REASON_MAX 1000              /* bytes of a reason or note */
#define FZ_STORE_LIMIT_MAX 200                /* rows per page of any list */
#define FZ_STORE_TRACKING_SIZE 13             /* 12 characters + NUL */

enum fz_report_channel {
    FZ_CHANNEL_SMS,
    FZ_CHANNEL_CALL,
    FZ_CHANNEL_CHAT,
    FZ_CHANNEL_EMAIL,
    FZ_CHANNEL_WEB,
    FZ_CHANNEL_APP,
    FZ_CHANNEL_OTHER,
    FZ_CHANNEL__COUNT
};
const char *fz_report_channel_name(enum fz_report_channel c);
bool fz_report_channel_parse(const char *s, size_t len, enum fz_report_channel *out);

/* new → triaged → confirmed | rejected (→ triaged again: reopened); new | triaged → duplicate
 * (merged into another). */
enum fz_report_status {
    FZ_REPORT_NEW,
    FZ_REPORT_TRIAGED,
    FZ_REPORT_CONFIRMED,
    FZ_REPORT_REJECTED,
    FZ_REPORT_DUPLICATE,
    FZ_REPORT__STATUSES
};
const char *fz_report_status_name(enum fz_report_status s);
bool fz_report_status_parse(const char *s, size_t len, enum fz_report_status *out);

/* An indicator named in a report: kind and canonical value (fz_ind_normalize). */
struct fz_report_value {
    enum fz_ind_kind kind;
    const char *value;
};

#define FZ_STORE_REPORT_VALUES_MAX 64

struct fz_report_new {
    enum fz_report_channel channel;
    const char *text; /* valid UTF-8, 1..FZ_CAP_REPORT_TEXT bytes */
    size_t text_len;
    int64_t loss_fen;                     /* >= 0 */
    int fraud_type;                       /* fz_fraud_type_index(), -1 = unknown */
    int64_t occurred_ms;                  /* 0 = unknown */
    const char *contact_name;             /* personal data; NULL or "" = none */
    const char *contact_phone;            /* personal data; NULL or "" = none */
    const struct fz_report_value *values; /* extracted and reported indicators, <= 64 */
    size_t nvalues;
    const char *verdict_label; /* the screening engine's label at intake; NULL = none */
    int verdict_score;         /* 0-100 */
    const void *dedupe_key;    /* hash of the normalized text (the server's), 1-64 bytes */
    size_t dedupe_len;
    int64_t org_id; /* responsible organisation; 0 = the actor's, or the centre for anonymous */
};

struct fz_report_ref {
    int64_t id;
    char tracking_code[FZ_STORE_TRACKING_SIZE]; /* random, unambiguous alphabet */
    int64_t duplicate_of; /* the earliest report with the same dedupe key, 0 when none */
};

/* Adds a report (anyone but auditors and admins). Validates every field (FZ_EINVAL /
 * FZ_ETOOBIG with the field name). Does not create indicators: confirming does. */
fz_rc fz_store_report_add(struct fz_store *st, const struct fz_actor *a,
                          const struct fz_report_new *r, struct fz_report_ref *out,
                          struct fz_err *err);

/* What a reporter sees with the tracking code: no text, no personal data. */
struct fz_report_track {
    enum fz_report_status status;
    int64_t created_ms;
    int64_t updated_ms;
};
/* FZ_ENOTFOUND for an unknown code. Needs no actor. */
fz_rc fz_store_report_track(struct fz_store *st, const char *code, struct fz_report_track *out,
                            struct fz_err *err);

struct fz_report {
    int64_t id;
    char tracking_code[FZ_STORE_TRACKING_SIZE];
    int64_t org_id;
    enum fz_actor_kind source; /* who submitted: anon, user, api_key, ... */
    int64_t source_org_id;     /* 0 for anonymous */
    enum fz_report_channel channel;
    enum fz_report_status status;
    int version; /* optimistic concurrency: pass it back to the workflow calls */
    const char *text;
    size_t text_len;
    int64_t loss_fen;
    int fraud_type;
    int64_t occurred_ms;
    int64_t created_ms;
    int64_t updated_ms;
    const char *contact_name;  /* masked ("张*") unless revealed; NULL = none */
    const char *contact_phone; /* masked ("138****8000") unless revealed; NULL = none */
    bool contact_revealed;
    const char *verdict_label; /* NULL = none */
    int verdict_score;
    int64_t duplicate_of;      /* 0 = none */
    const char *status_reason; /* rejection reason; NULL = none */
    struct fz_report_value *values;
    size_t nvalues;
};

/*
 * One report in scope (FZ_ENOTFOUND otherwise). With reveal, the contact is returned whole when
 * the actor may see it (an officer or analyst of the report's organisation, an all-orgs
 * analyst, CLI) — FZ_EFORBIDDEN otherwise — and an audit record "report.reveal" is committed
 * before the data is returned.
 */
fz_rc fz_store_report_get(struct fz_store *st, const struct fz_actor *a, int64_t id, bool reveal,
                          struct fz_arena *ar, struct fz_report *out, struct fz_err *err);

/* Filters of a report list; -1 / 0 / NULL mean "any". */
struct fz_report_filter {
    int status;        /* enum fz_report_status or -1 */
    int channel;       /* enum fz_report_channel or -1 */
    int fraud_type;    /* fraud type index or -1 */
    int64_t since_ms;  /* created_ms >= since_ms; 0 = any */
    int64_t until_ms;  /* created_ms < until_ms; 0 = any */
    int value_kind;    /* with value: enum fz_ind_kind or -1 for any kind */
    const char *value; /* reports naming this canonical value; NULL = any */
    bool newest_first; /* id descending (then after_id means "ids below") */
    int64_t after_id;  /* keyset paging: 0 = from the start */
    int limit;         /* 1..FZ_STORE_LIMIT_MAX; 0 = 50 */
};
/* Initialises f to "everything, oldest first, 50 rows". */
void fz_report_filter_init(struct fz_report_filter *f);

/* A page of reports in scope (contacts masked, text included, values not loaded). *out is an
 * array of *n in ar; *next_after (may be NULL) is the id to pass as after_id for the next page,
 * 0 when this page is the last. */
fz_rc fz_store_report_list(struct fz_store *st, const struct fz_actor *a,
                           const struct fz_report_filter *f, struct fz_arena *ar,
                           struct fz_report **out, size_t *n, int64_t *next_after,
                           struct fz_err *err);

/*
 * Workflow. Each takes the version the caller read; FZ_ECONFLICT when it is stale ("report 7 was
 * changed (version 3, not 2)") or the transition is not allowed ("report 7 is confirmed, cannot
 * become triaged"). Triage, reject and merge: officers and analysts of the report's
 * organisation, all-orgs analysts; confirm: analysts. FZ_EFORBIDDEN for other roles.
 * *new_version (may be NULL) gets the report's version after the change.
 */
fz_rc fz_store_report_triage(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             int *new_version, struct fz_err *err);
/* reason is required (1..FZ_STORE_REASON_MAX bytes; field "reason"). */
fz_rc fz_store_report_reject(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             const char *reason, int *new_version, struct fz_err *err);
/* Marks report id a duplicate of into_id (in scope, not itself a duplicate); the values of id
 * are added to into_id. */
fz_rc fz_store_report_merge(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                            int64_t into_id, int *new_version, struct fz_err *err);

struct fz_report_confirm {
    enum fz_tlp tlp;    /* of new indicators; FZ_TLP_GREEN is the usual choice */
    int fraud_type;     /* -1 = keep the report's */
    int64_t expires_ms; /* of new indicators; 0 = never */
};
void fz_report_confirm_init(struct fz_report_confirm *c); /* green, -1, 0 */

/*
 * Confirms a triaged report: each of its values becomes, or is strengthened as, a
 * confirmed indicator scored by fz_ind_score over its evidence (distinct reports, partner or
 * staff reports, sightings, the last report). *changes is an array of *n in ar for the
 * in-memory index (fz_ind_index_with).
 */
fz_rc fz_store_report_confirm(struct fz_store *st, const struct fz_actor *a, int64_t id,
                              int version, const struct fz_report_confirm *c, struct fz_arena *ar,
                              struct fz_ind_change **changes, size_t *n, struct fz_err *err);

/* One step of a report's history, from the audit log (successful changes only). */
struct fz_report_event {
    int64_t at_ms;
    const char *action; /* "add", "triage", "reject", "merge", "confirm", "reveal" */
    enum fz_actor_kind actor_kind;
    int64_t actor_id;       /* user or key id; 0 = none */
    const char *actor_name; /* the user's name; NULL for anyone else */
    int from;               /* enum fz_report_status before the step; -1 = none (add, reveal) */
    int to;                 /* after it; -1 = none (reveal) */
    int64_t into_id;        /* merge: the report it became a duplicate of; 0 otherwise */
};

/*
 * What happened to a report in scope, oldest first (at most 1000 steps): received, triaged,
 * rejected, merged, confirmed, its contact revealed — when and by whom. Staff only (officers,
 * analysts, auditors, admins; CLI): FZ_EFORBIDDEN for partners and anonymous callers,
 * FZ_ENOTFOUND for a report out of scope. Nothing personal is in it (the audit details hold
 * none); a reject's reason is the report's status_reason. *out is an array of *n in ar.
 */
fz_rc fz_store_report_history(struct fz_store *st, const struct fz_actor *a, int64_t id,
                              struct fz_arena *ar, struct fz_report_event **out, size_t *n,
                              struct fz_err *err);

/* ---- indicators ---------------------------------------------------------------------------- */

struct fz_indicator_new {
    enum fz_ind_kind kind;
    const char *value;         /* canonical (fz_ind_normalize), 1..2048 bytes */
    enum fz_ind_status status; /* suspected, or confirmed (analysts only) */
    enum fz_tlp tlp;
    int fraud_type;     /* -1 = unknown */
    int64_t expires_ms; /* 0 = never */
    const char *note;   /* NULL or <= FZ_STORE_REASON_MAX bytes */
};

struct fz_indicator {
    int64_t id;
    enum fz_ind_kind kind;
    const char *value;
    enum fz_ind_status status;
    enum fz_tlp tlp;
    int fraud_type;
    int score; /* 0-100, as of the last change */
    int n_reports;
    int n_sightings;
    int64_t source_org_id; /* the creating organisation; 0 when created by CLI/SYSTEM */
    int64_t first_seen_ms;
    int64_t last_seen_ms;
    int64_t last_report_ms; /* 0 = none */
    int64_t expires_ms;     /* 0 = never */
    int64_t updated_ms;
    int version;
    const char *note;           /* NULL = none */
    const char *cleared_reason; /* NULL = none */
};

/*
 * Adds an indicator, or strengthens the one with the same kind and value (upsert): the status
 * only moves up (suspected → confirmed; a cleared one is re-listed only as confirmed, by an
 * analyst), the expiry only later. Partners, officers and analysts; FZ_EFORBIDDEN for confirmed
 * from a non-analyst. *change (may be NULL; its value lives in ar) is for the in-memory index.
 */
fz_rc fz_store_indicator_add(struct fz_store *st, const struct fz_actor *a,
                             const struct fz_indicator_new *in, struct fz_arena *ar, int64_t *id,
                             struct fz_ind_change *change, struct fz_err *err);
/* One indicator visible to a (FZ_ENOTFOUND otherwise; see the TLP rule of the search). */
fz_rc fz_store_indicator_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                             struct fz_arena *ar, struct fz_indicator *out, struct fz_err *err);

/* Filters of a search; -1 / NULL mean "any". */
struct fz_indicator_filter {
    int kind;          /* enum fz_ind_kind or -1 */
    const char *value; /* exact canonical value, or a prefix with prefix */
    bool prefix;
    int status;       /* enum fz_ind_status or -1 */
    int64_t after_id; /* keyset paging, ids ascending */
    int limit;        /* 1..FZ_STORE_LIMIT_MAX; 0 = 50 */
};
void fz_indicator_filter_init(struct fz_indicator_filter *f);

/*
 * A page of indicators visible to a: the centre's staff (all_orgs), CLI and SYSTEM see all;
 * everyone else sees TLP clear and green, plus amber and red of its own organisation.
 * Anonymous callers get FZ_EFORBIDDEN.
 */
fz_rc fz_store_indicator_search(struct fz_store *st, const struct fz_actor *a,
                                const struct fz_indicator_filter *f, struct fz_arena *ar,
                                struct fz_indicator **out, size_t *n, int64_t *next_after,
                                struct fz_err *err);

/* A change of status, TLP or expiry; -1 keeps a field as it is. */
struct fz_indicator_update {
    int status;         /* enum fz_ind_status or -1 */
    int tlp;            /* enum fz_tlp or -1 */
    int64_t expires_ms; /* -1 keeps, 0 = never */
    const char *reason; /* required when clearing (1..FZ_STORE_REASON_MAX bytes) */
    int version;        /* 0 = do not check; else FZ_ECONFLICT when stale */
};
void fz_indicator_update_init(struct fz_indicator_update *u); /* all -1, no reason, 0 */

/* Changes an indicator (analysts, CLI). Each changed field gets a history row with the reason
 * (that is how an appeal is answered). *change (may be NULL) as for fz_store_indicator_add. */
fz_rc fz_store_indicator_update(struct fz_store *st, const struct fz_actor *a, int64_t id,
                                const struct fz_indicator_update *u, struct fz_arena *ar,
                                struct fz_ind_change *change, struct fz_err *err);

/* One row of an indicator's history. */
struct fz_indicator_event {
    int64_t id;
    int64_t at_ms;
    const char *actor;  /* "user:12", "api_key:3", "cli", ... */
    const char *action; /* created, strengthened, status, tlp, expiry */
    const char *from;   /* NULL = none */
    const char *to;     /* NULL = none */
    const char *reason; /* NULL = none */
    int64_t report_id;  /* 0 = none */
};
/* The history of a visible indicator, oldest first (at most 1000 rows). */
fz_rc fz_store_indicator_history(struct fz_store *st, const struct fz_actor *a, int64_t id,
                                 struct fz_arena *ar, struct fz_indicator_event **out, size_t *n,
                                 struct fz_err *err);

struct fz_sighting_new {
    int64_t seen_ms;     /* 0 = now */
    const char *channel; /* NULL or a short word ("sms", "call", "gateway") */
    int count;           /* >= 1; 0 = 1 */
    const char *note;    /* NULL or <= FZ_STORE_REASON_MAX bytes */
};

struct fz_sighting {
    int64_t id;
    int64_t indicator_id;
    int64_t org_id;
    int64_t seen_ms;
    const char *channel; /* NULL = none */
    int count;
    const char *note; /* NULL = none */
    int64_t created_ms;
};

/* Records that a's organisation saw a visible indicator (partners, officers, analysts); the
 * score is recomputed. *change (may be NULL) as for fz_store_indicator_add. */
fz_rc fz_store_sighting_add(struct fz_store *st, const struct fz_actor *a, int64_t indicator_id,
                            const struct fz_sighting_new *s, struct fz_arena *ar, int64_t *id,
                            struct fz_ind_change *change, struct fz_err *err);
/* Sightings of a visible indicator, ids ascending; non-centre actors see their org's only. */
fz_rc fz_store_sighting_list(struct fz_store *st, const struct fz_actor *a, int64_t indicator_id,
                             int64_t after_id, int limit, struct fz_arena *ar,
                             struct fz_sighting **out, size_t *n, int64_t *next_after,
                             struct fz_err *err);

/* Called once per indicator; a non-zero return stops the walk (fz_store_intel_load then returns
 * FZ_OK). c and its strings are valid during the call only. */
typedef int fz_store_ind_cb(void *ud, const struct fz_ind_change *c);
/* Every indicator (cleared ones too), from one snapshot, to build the in-memory index at start. */
fz_rc fz_store_intel_load(struct fz_store *st, fz_store_ind_cb *cb, void *ud, struct fz_err *err);

/* ---- audit ---------------------------------------------------------------------------------- */

struct fz_audit {
    int64_t id;
    int64_t at_ms;
    enum fz_actor_kind actor_kind;
    int64_t actor_id;        /* user or key id; 0 = none */
    int64_t org_id;          /* 0 = none */
    const char *request_id;  /* NULL = none */
    const char *client_tag;  /* NULL = none */
    const char *action;      /* "report.add", "report.reveal", "user.login", ... */
    const char *object_kind; /* "report", "indicator", ...; NULL = none */
    int64_t object_id;       /* 0 = none */
    const char *outcome;     /* fz_rc_name() of the result: "ok", "conflict", ... */
    const char *detail;      /* short, no personal data; NULL = none */
};

struct fz_audit_filter {
    int actor_kind;          /* enum fz_actor_kind or -1 */
    int64_t actor_id;        /* 0 = any */
    const char *action;      /* NULL = any */
    const char *object_kind; /* NULL = any */
    int64_t object_id;       /* 0 = any */
    int64_t since_ms;        /* 0 = any */
    int64_t after_id;        /* keyset paging, ids ascending */
    int limit;               /* 1..FZ_STORE_LIMIT_MAX; 0 = 50 */
};
void fz_audit_filter_init(struct fz_audit_filter *f);

/* A page of audit records (auditors: own organisation's, all with all_orgs; CLI). The read is
 * itself audited ("audit.read"). */
fz_rc fz_store_audit_list(struct fz_store *st, const struct fz_actor *a,
                          const struct fz_audit_filter *f, struct fz_arena *ar,
                          struct fz_audit **out, size_t *n, int64_t *next_after,
                          struct fz_err *err);
/*
 * Walks the whole chain (hash = BLAKE2b-256(previous hash ‖ record)). FZ_OK when intact, with
 * *checked (may be NULL) the number of records; FZ_ECONFLICT when a record was changed,
 * removed or inserted, with *bad_id (may be NULL) the first record that does not match.
 * Auditors with all_orgs and CLI.
 */
fz_rc fz_store_audit_verify(struct fz_store *st, const struct fz_actor *a, int64_t *checked,
                            int64_t *bad_id, struct fz_err *err);

/* ---- rewards (有奖举报) --------------------------------------------------------------------- */

/*
 * A confirmed report can earn its reporter a reward: an analyst proposes one (the amount by the
 * rule below or by hand), a second person approves it against the organisation's yearly budget,
 * an admin marks it paid. Every change is a row of the reward ledger, which auditors export.
 *
 *     proposed → approved → paid;  proposed | approved → cancelled (with a reason)
 *
 * A reward belongs to the report's responsible organisation and counts against that
 * organisation's budget for the reward's year: the calendar year, in Beijing time (UTC+8), of the
 * proposal. Who may ("of the org": of the reward's organisation, or any with all_orgs; CLI and
 * SYSTEM pass every role check):
 *
 *     propose                  analysts
 *     approve                  analysts and admins, never the one who proposed it (four eyes;
 *                              identity is user, key, "cli" or "system": a CLI proposal needs a
 *                              user to approve it)
 *     pay                      admins
 *     cancel                   analysts and admins
 *     budget set               admins
 *     budget get, get, list    admins, analysts, auditors
 *     ledger                   auditors and admins
 *
 * Officers and partners have no part in rewards. Amounts are int64 fen, never floating point.
 * Reward rows hold the report id only: the reporter's name and phone never appear in rewards,
 * their ledger or their audit records; a payment reference names a transfer, never a person.
 */

#define FZ_REWARD_MAX_FEN ((int64_t)10000000)             /* 100,000 yuan: most for one reward */
#define FZ_REWARD_BUDGET_MAX_FEN ((int64_t)1000000000000) /* 10,000,000,000 yuan a year */
#define FZ_REWARD_YEAR_MIN 2000                           /* years a budget may be set for */
#define FZ_REWARD_YEAR_MAX 9999
#define FZ_REWARD_REF_MAX 64 /* bytes of a payment reference */

/*
 * The rule amount, when a proposal passes amount_fen 0:
 *
 *     base                                          200 yuan   (FZ_REWARD_RULE_BASE_FEN)
 *     + the report's loss >= 10,000 yuan            300 yuan   (replaced by the next line)
 *     + the report's loss >= 100,000 yuan           800 yuan
 *     + each confirmed indicator it backs           100 yuan, at most 5 counted
 *
 * so 200 to 1,500 yuan. Indicators count when they are linked to the report and still
 * confirmed (a cleared one no longer counts).
 */
#define FZ_REWARD_RULE_BASE_FEN ((int64_t)20000)
#define FZ_REWARD_RULE_LOSS1_FEN ((int64_t)1000000)  /* loss >= 10,000 yuan ... */
#define FZ_REWARD_RULE_LOSS1_ADD ((int64_t)30000)    /* ... adds 300 yuan */
#define FZ_REWARD_RULE_LOSS2_FEN ((int64_t)10000000) /* loss >= 100,000 yuan ... */
#define FZ_REWARD_RULE_LOSS2_ADD ((int64_t)80000)    /* ... adds 800 yuan instead */
#define FZ_REWARD_RULE_IND_ADD ((int64_t)10000)      /* per confirmed indicator ... */
#define FZ_REWARD_RULE_IND_MAX 5                     /* ... counting at most this many */

/* The rule amount in fen for a report with loss_fen (negative counts as 0) backing n_indicators
 * confirmed indicators (negative counts as 0). Pure; never overflows. */
int64_t fz_reward_rule_fen(int64_t loss_fen, int n_indicators);
/* The reward year of a time in ms since the epoch: its calendar year in Beijing time (UTC+8). */
int fz_reward_year(int64_t at_ms);

enum fz_reward_status {
    FZ_REWARD_PROPOSED,
    FZ_REWARD_APPROVED,
    FZ_REWARD_PAID,
    FZ_REWARD_CANCELLED,
    FZ_REWARD__STATUSES
};
/* "proposed", "approved", "paid", "cancelled"; NULL when out of range. */
const char *fz_reward_status_name(enum fz_reward_status s);
bool fz_reward_status_parse(const char *s, size_t len, enum fz_reward_status *out);

/* A reward. Actors are "user:12", "api_key:3", "cli", "system"; a time of 0 and a NULL string
 * mean "not yet" (or "none"). */
struct fz_reward {
    int64_t id;
    int64_t report_id;
    int64_t org_id; /* the report's responsible organisation */
    int year;       /* whose budget it counts against */
    enum fz_reward_status status;
    int version; /* optimistic concurrency: pass it back to approve, pay and cancel */
    int64_t amount_fen;
    bool by_rule;      /* the amount came from fz_reward_rule_fen */
    const char *basis; /* why this amount (required by hand, optional by rule); NULL = none */
    const char *proposed_by;
    int64_t proposed_ms;
    const char *approved_by;
    int64_t approved_ms;
    const char *paid_by;
    int64_t paid_ms;
    const char *payment_ref;
    const char *cancelled_by;
    int64_t cancelled_ms;
    const char *cancel_reason;
    int64_t updated_ms;
};

/*
 * Proposes a reward for report_id, which must be confirmed and in a's scope (FZ_ENOTFOUND
 * otherwise; FZ_ECONFLICT with field "report_id" when it is not confirmed). amount_fen 0 takes
 * the rule amount; otherwise 1..FZ_REWARD_MAX_FEN set by hand (FZ_EINVAL, field "amount_fen",
 * for a negative amount, one over the cap, or a rule amount of 0). basis explains the amount:
 * required by hand, optional by rule, at most FZ_STORE_REASON_MAX bytes (field "basis"); it must
 * not carry personal data. A report has at most one reward that is not cancelled: FZ_ECONFLICT
 * ("report 7 already has reward 3 (approved)"). Analysts (see the table above). *id (may be
 * NULL) gets the new reward's id; on failure it is untouched. Audited as "reward.propose".
 */
fz_rc fz_store_reward_propose(struct fz_store *st, const struct fz_actor *a, int64_t report_id,
                              int64_t amount_fen, const char *basis, int64_t *id,
                              struct fz_err *err);

/*
 * The transitions. Each takes the version the caller read: FZ_ECONFLICT (field "version") when
 * it is stale ("reward 3 was changed (version 2, not 1)"), FZ_ECONFLICT when the transition is
 * not allowed ("reward 3 is paid, cannot become cancelled"), FZ_ENOTFOUND out of scope,
 * FZ_EFORBIDDEN for a role that may not. *new_version (may be NULL) gets the version after the
 * change. Each writes a ledger row and an audit record ("reward.approve", ...) with the change.
 */

/* proposed → approved, by an analyst or admin who did not propose it (FZ_EFORBIDDEN "the
 * proposer cannot approve their own reward"). The organisation's budget for the reward's year
 * must cover it: approved + paid + this <= budget, else FZ_ECONFLICT with the figures in yuan
 * ("reward 3 of 500.00 yuan exceeds the 2026 budget of 1000.00 yuan: 800.00 yuan approved or
 * paid, 200.00 yuan left"); a year without a budget is FZ_ECONFLICT "no reward budget for 2026". */
fz_rc fz_store_reward_approve(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                              int version, int *new_version, struct fz_err *err);
/* approved → paid, by an admin: records the time and payment_ref, the payment system's
 * reference of the transfer (1..FZ_REWARD_REF_MAX bytes of A-Z a-z 0-9 and "-_./:#"; not a
 * mobile number; field "payment_ref"). */
fz_rc fz_store_reward_pay(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                          int version, const char *payment_ref, int *new_version,
                          struct fz_err *err);
/* proposed | approved → cancelled, by an analyst or admin; reason is required
 * (1..FZ_STORE_REASON_MAX bytes; field "reason"). A cancelled reward frees its report for a new
 * proposal and its amount from the budget. */
fz_rc fz_store_reward_cancel(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                             int version, const char *reason, int *new_version, struct fz_err *err);

/* One reward in scope (FZ_ENOTFOUND otherwise); strings in ar. */
fz_rc fz_store_reward_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                          struct fz_arena *ar, struct fz_reward *out, struct fz_err *err);

/* Filters of a reward list; -1 / 0 mean "any". */
struct fz_reward_filter {
    int status;        /* enum fz_reward_status or -1 */
    int year;          /* 0 = any */
    int64_t org_id;    /* 0 = any in scope */
    int64_t report_id; /* 0 = any */
    int64_t after_id;  /* keyset paging, ids ascending: 0 = from the start */
    int limit;         /* 1..FZ_STORE_LIMIT_MAX; 0 = 50 */
};
/* Initialises f to "everything, oldest first, 50 rows". */
void fz_reward_filter_init(struct fz_reward_filter *f);
/* A page of rewards in scope, by id. *out is an array of *n in ar; *next_after (may be NULL) is
 * the id to pass as after_id for the next page, 0 when this page is the last. */
fz_rc fz_store_reward_list(struct fz_store *st, const struct fz_actor *a,
                           const struct fz_reward_filter *f, struct fz_arena *ar,
                           struct fz_reward **out, size_t *n, int64_t *next_after,
                           struct fz_err *err);

/*
 * Sets the reward budget of org_id for year (FZ_REWARD_YEAR_MIN..MAX, field "year") to
 * amount_fen (0..FZ_REWARD_BUDGET_MAX_FEN, field "amount_fen"): admins of the org and CLI.
 * FZ_ENOTFOUND for an organisation out of scope; FZ_ECONFLICT when the year's approved and paid
 * rewards already exceed amount_fen. Writes a "budget" ledger row; audited as "reward.budget".
 */
fz_rc fz_store_reward_budget_set(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                                 int year, int64_t amount_fen, struct fz_err *err);

/* An organisation's reward budget for a year, from one snapshot. */
struct fz_reward_budget {
    bool is_set; /* false: no budget for that year (budget_fen and left_fen are 0) */
    int64_t budget_fen;
    int64_t approved_fen; /* rewards approved and not yet paid */
    int64_t paid_fen;     /* rewards paid */
    int64_t left_fen;     /* budget - approved - paid; 0 when no budget is set */
};
/* Fills *out for org_id and year (admins, analysts, auditors; FZ_ENOTFOUND out of scope). On
 * failure *out is untouched. */
fz_rc fz_store_reward_budget_get(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                                 int year, struct fz_reward_budget *out, struct fz_err *err);

/* One row of the reward ledger. */
struct fz_reward_ledger_row {
    int64_t id; /* the ledger row's id: rows are in (at_ms, id) order */
    int64_t at_ms;
    int64_t org_id;
    int64_t reward_id;     /* 0 for a "budget" row */
    int64_t report_id;     /* 0 for a "budget" row */
    const char *action;    /* "proposed", "approved", "paid", "cancelled", "budget" */
    int64_t amount_fen;    /* the reward's amount; for "budget", the new budget */
    const char *actor;     /* "user:12", "api_key:3", "cli", ... */
    const char *reference; /* proposed: "rule", the basis or "rule; " + basis; paid: the
                              payment reference; cancelled: the reason; NULL = none */
};
/* Called once per row; a non-zero return stops the walk (the export then returns FZ_OK). r and
 * its strings are valid during the call only. */
typedef int fz_store_reward_ledger_cb(void *ud, const struct fz_reward_ledger_row *r);

/*
 * The ledger of a year: every change of every reward of that year (see fz_reward_year) and every
 * budget change for that year, of org_id (0 = every organisation: all-orgs actors and CLI only,
 * FZ_EFORBIDDEN otherwise), in time order, from one snapshot. Auditors and admins of the org
 * (FZ_ENOTFOUND for an organisation out of scope). The export is audited ("reward.ledger")
 * before the first row is read. The server renders the rows as CSV.
 */
fz_rc fz_store_reward_ledger(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                             int year, fz_store_reward_ledger_cb *cb, void *ud, struct fz_err *err);

/* ---- dashboard (aggregates for the console's 首页) --------------------------------------- */

#define FZ_STATS_TOP 10 /* most reported values listed */

/* One count: key (and key2) name what was counted; a NULL key is "none" (an unknown type). */
struct fz_stats_count {
    const char *key;
    const char *key2;
    int64_t day_ms; /* the day (00:00 Beijing time, in ms since the epoch) for per-day counts */
    int64_t n;
};

/*
 * What the dashboard shows for reports created in [since_ms, until_ms) of the actor's
 * organisation (all with all-orgs scope; org_id narrows that to one): reports per day and
 * channel (days in Beijing time), per fraud type, per status, the intake verdicts by label and
 * action (action from the verdict score: block from 80, warn from 40), the most reported
 * values (the reported numbers, URLs, accounts — the fraudsters', not the reporters'),
 * the indicators newly confirmed in the period (listed as confirmed, or moved to confirmed, by
 * the period's own changes; of the organisation that created them) — in all, by kind, and per
 * day and kind (one that was confirmed again on a later day counts on both days, once in the
 * totals) — and the median time from a report to its triage (-1 when none was triaged). Arrays
 * live in ar.
 */
struct fz_dashboard {
    int64_t since_ms, until_ms;
    int64_t reports;
    struct fz_stats_count *per_day; /* key = channel */
    size_t n_per_day;
    struct fz_stats_count *by_type; /* key = fraud type id or NULL */
    size_t n_by_type;
    struct fz_stats_count *by_status; /* key = status */
    size_t n_by_status;
    struct fz_stats_count *verdicts; /* key = label, key2 = action */
    size_t n_verdicts;
    struct fz_stats_count *top_values; /* key = kind, key2 = value */
    size_t n_top_values;
    struct fz_stats_count *confirmed_by_kind; /* key = indicator kind, most first */
    size_t n_confirmed_by_kind;
    struct fz_stats_count *confirmed_per_day; /* key = indicator kind */
    size_t n_confirmed_per_day;
    int64_t indicators_confirmed; /* the sum of confirmed_by_kind */
    int64_t median_triage_ms;
};

/* Officers, analysts, auditors, admins (and CLI); FZ_EFORBIDDEN for others. FZ_EINVAL (field
 * "since_ms") for an empty or longer than 400-day period. */
fz_rc fz_store_dashboard(struct fz_store *st, const struct fz_actor *a, int64_t since_ms,
                         int64_t until_ms, int64_t org_id, struct fz_arena *ar,
                         struct fz_dashboard *out, struct fz_err *err);
/* ---- typical cases (典型案例) --------------------------------------------------------------- */

/*
 * Typical cases are short, anonymised accounts of real frauds that staff write in the console and
 * publish on the portal. The writer anonymises the text; the store does not remove anything, but
 * it refuses a title or text that looks like it still holds a mainland mobile number (11 digits
 * starting with 1, also as +86, full-width or split by spaces or dashes) or an 18-character ID
 * number, asking for it to be anonymised (FZ_EINVAL, field "title" or "text"; the message never
 * repeats the number).
 *
 *     draft → published → withdrawn (with a reason) → published ...
 *
 * Edits are allowed while a case is a draft or withdrawn: a published case is withdrawn, edited
 * and published again, so that what residents read was published as a whole. A case belongs to
 * the organisation of the user who wrote it (CLI and SYSTEM: the centre). Who may ("of the org":
 * of the case's organisation, or any with all_orgs):
 *
 *     add, update, publish, withdraw   officers and analysts of the org
 *     get, list                        officers, analysts, admins and auditors of the org
 *     list_public                      anyone (no actor): published cases only
 *
 * Every write checks the version the caller read and is audited ("case.add", "case.update",
 * "case.publish", "case.withdraw") in the same transaction; audit details hold the status change,
 * the fraud type and sizes, never the text.
 */

#define FZ_CASE_TITLE_MAX 100       /* characters (code points) of a title */
#define FZ_CASE_TEXT_MAX 8192       /* bytes of a text (UTF-8; line breaks and tabs allowed) */
#define FZ_CASE_PUBLIC_LIMIT_MAX 50 /* rows per page of the public list */

enum fz_case_status { FZ_CASE_DRAFT, FZ_CASE_PUBLISHED, FZ_CASE_WITHDRAWN, FZ_CASE__STATUSES };
/* "draft", "published", "withdrawn"; NULL when out of range. */
const char *fz_case_status_name(enum fz_case_status s);
bool fz_case_status_parse(const char *s, size_t len, enum fz_case_status *out);

/* A case. Actors are "user:12", "api_key:3", "cli", "system"; a time of 0 and a NULL string mean
 * "not yet" (or "none"). */
struct fz_case {
    int64_t id;
    int64_t org_id;
    const char *title;
    int fraud_type; /* fz_fraud_type_index() of core.h */
    const char *text;
    enum fz_case_status status;
    int version; /* optimistic concurrency: pass it back to update, publish and withdraw */
    const char *created_by;
    int64_t created_ms;
    const char *updated_by;
    int64_t updated_ms;
    const char *published_by;
    int64_t published_ms; /* the last publication (kept when withdrawn) */
    const char *withdrawn_by;
    int64_t withdrawn_ms;
    const char *withdraw_reason;
};

/* What a new case or an edit holds. For an edit, NULL strings and fraud_type -1 keep the field. */
struct fz_case_new {
    const char *title; /* 1..FZ_CASE_TITLE_MAX characters, one line */
    int fraud_type;    /* 0..FZ_FRAUD_TYPE_COUNT-1 */
    const char *text;  /* 1..FZ_CASE_TEXT_MAX bytes */
};

/*
 * Checks a title or text as a case would: present, within its limit, valid UTF-8, no control
 * characters (a text may have line breaks and tabs), and nothing that looks like a mobile or ID
 * number. field is "title" or "text". Pure; the store calls it on every add and update.
 */
fz_rc fz_case_check_text(const char *field, const char *s, struct fz_err *err);

/* Adds a draft case. *id (may be NULL) gets its id; on failure it is untouched. */
fz_rc fz_store_case_add(struct fz_store *st, const struct fz_actor *a, const struct fz_case_new *c,
                        int64_t *id, struct fz_err *err);
/* Edits a draft or withdrawn case (FZ_ECONFLICT when published or when version is stale, field
 * "version"); *new_version (may be NULL) gets the version after the change. */
fz_rc fz_store_case_update(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                           const struct fz_case_new *edit, int *new_version, struct fz_err *err);
/* Publishes a draft or withdrawn case; FZ_ECONFLICT when already published or stale. */
fz_rc fz_store_case_publish(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                            int *new_version, struct fz_err *err);
/* Withdraws a published case from the portal with a reason (1..FZ_STORE_REASON_MAX bytes, field
 * "reason"); FZ_ECONFLICT when not published or stale. */
fz_rc fz_store_case_withdraw(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             const char *reason, int *new_version, struct fz_err *err);
/* One case in scope (FZ_ENOTFOUND otherwise); strings in ar. */
fz_rc fz_store_case_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                        struct fz_arena *ar, struct fz_case *out, struct fz_err *err);

/* Filters of the staff list; -1 / 0 mean "any". */
struct fz_case_filter {
    int status;       /* enum fz_case_status or -1 */
    int64_t org_id;   /* 0 = any in scope */
    int64_t after_id; /* keyset paging, ids descending (newest first): 0 = from the newest */
    int limit;        /* 1..FZ_STORE_LIMIT_MAX; 0 = 50 */
};
/* Initialises f to "everything, newest first, 50 rows". */
void fz_case_filter_init(struct fz_case_filter *f);
/* A page of cases in scope, newest first. *out is an array of *n in ar; *next_after (may be NULL)
 * is the id to pass as after_id for the next page, 0 when this page is the last. */
fz_rc fz_store_case_list(struct fz_store *st, const struct fz_actor *a,
                         const struct fz_case_filter *f, struct fz_arena *ar, struct fz_case **out,
                         size_t *n, int64_t *next_after, struct fz_err *err);
/*
 * A page of published cases for the portal, newest publication first; needs no actor and is not
 * audited. limit 1..FZ_CASE_PUBLIC_LIMIT_MAX (0 = 20, field "limit"); after_id is 0 or the
 * *next_after of the previous page (the last case it showed). Only the id, title, fraud type,
 * text and published_ms of the rows are filled (the rest is 0 / NULL).
 */
fz_rc fz_store_case_list_public(struct fz_store *st, int limit, int64_t after_id,
                                struct fz_arena *ar, struct fz_case **out, size_t *n,
                                int64_t *next_after, struct fz_err *err);

#endif
