/*
 * server: the platform's HTTP API (`fangzha serve`): the engines' verdicts enriched with the
 * intelligence index, citizens' reports, indicators, accounts and the audit log, over the store.
 * libmicrohttpd with an epoll thread pool; the hot path (/check/...) never touches the database.
 * docs/api.md is the API; docs/internals/server.md how it works.
 */
#ifndef FANGZHA_SERVER_H
#define FANGZHA_SERVER_H

#include "fangzha/core.h"
#include "fangzha/intel.h"

struct fz_extractor; /* fangzha/extract.h */
struct fz_screen;
struct fz_screen_ctx;
struct fz_report_new; /* fangzha/store.h */
struct fz_report_value;

struct fz_server_opts {
    const char *listen;     /* "ADDR:PORT"; port 0 picks a free one (see fz_server_port) */
    const char *db_path;    /* the SQLite database (created when missing) */
    const char *rules_dir;  /* rule files; NULL = no rules */
    const char *model_path; /* classifier; NULL = none */
    const char *cache_dir;  /* compiled rules cache; NULL = none */
    const char *web_dir;    /* the web pages (portal/, console/, shared/); NULL = none */
    unsigned threads;       /* HTTP threads; 0 = one per core */
    unsigned workers;       /* threads for requests that may block (store, login); 0 = 32 */
    size_t body_max;        /* largest request body; 0 = 64 KiB */
    bool sync_normal;       /* SQLite synchronous=NORMAL instead of FULL */
    int report_per_min;     /* anonymous reports per client and minute; 0 = default 5, -1 = off */
    int check_per_s;        /* anonymous checks per client and second; 0 = default 50, -1 = off */
};

/*
 * Reads the settings of a configuration file (docs/config.md) from text[0..len) into o;
 * strings are copied into a. Lines are `name = value`; `#` starts a comment. FZ_EPARSE /
 * FZ_EINVAL / FZ_ETOOBIG / FZ_EUTF8 with err's line and field naming the culprit; o keeps the
 * settings read before the error.
 */
fz_rc fz_server_config_parse(const char *text, size_t len, struct fz_server_opts *o,
                             struct fz_arena *a, struct fz_err *err);

struct fz_server;

/* Opens the store (applying migrations), loads the engine and the intelligence index, and
 * starts serving. FZ_EINVAL (bad listen address, ...), FZ_EIO (address in use, database), ... */
fz_rc fz_server_start(const struct fz_server_opts *o, struct fz_server **out, struct fz_err *err);
/* The port it listens on. */
unsigned fz_server_port(const struct fz_server *s);
/* Reloads rules and model (SIGHUP): the new engine serves only once it is built; on failure
 * the old one stays and err says why. */
fz_rc fz_server_reload(struct fz_server *s, struct fz_err *err);
/* Writes the route table as JSON Lines {"method", "path", "who": [...]} (fangzha serve
 * --routes; tests check docs/openapi.yaml and the authorization table against it). */
void fz_server_print_routes(FILE *f);
/* Stops accepting, finishes the requests in flight, closes the store. NULL is fine. */
void fz_server_stop(struct fz_server *s);

/* ---- report intake (POST /reports and `fangzha report import`) ----------------------------- */

/*
 * Screens r->text with s and c (a context of s on the calling thread; its intelligence is set
 * to none, so the verdict is the text's alone): sets r's verdict label and score, its fraud type
 * when r->fraud_type is -1 and the verdict is fraud, its dedupe key (*dedupe: the hash of the
 * normalized text; it must outlive r) and adds the indicators the text names (phones, URLs,
 * e-mail addresses, bank cards, QQ and WeChat IDs) to values (capacity
 * FZ_STORE_REPORT_VALUES_MAX; r->values is set to it; r->nvalues counts), copied into a.
 * FZ_ETOOBIG / FZ_ENOMEM from the engine; r may hold part of the result then.
 */
fz_rc fz_server_report_screen(const struct fz_screen *s, struct fz_screen_ctx *c,
                              struct fz_report_new *r, struct fz_report_value *values,
                              uint64_t *dedupe, struct fz_arena *a);
/* ---- personal data in a text for the public (a typical case before it is published) -------- */

struct fz_server_personal {
    const char *kind; /* "phone", "id_number", "bank_card", "email", "qq", "wechat", "name"; NULL */
    size_t start;     /* byte offset in the text (== its length when kind is NULL) */
};
/*
 * The first piece of personal data in s[0..len): phone numbers the extractor x finds (mobile,
 * landline, international; not service numbers such as 110 or 96110), ID numbers, bank cards,
 * e-mail addresses, QQ numbers, WeChat IDs, and a name after 姓名 or 户名 (an optional ：/:/是/
 * 为/叫), or after 联系人, 收款人, 持卡人, 开户人 with one of those: two to four Han characters,
 * none of them 某. Masked values (138****5678, 张*, 李某) are not found. Memory from a.
 * FZ_ETOOBIG (over FZ_CAP_SMS_TEXT) / FZ_ENOMEM; out->kind is NULL then.
 */
fz_rc fz_server_personal_find(const struct fz_extractor *x, const char *s, size_t len,
                              struct fz_arena *a, struct fz_server_personal *out);

/* Adds kind/value (canonical, fz_ind_normalize) to r's values as above, unless it is listed
 * already or the array is full; the value must outlive r. */
void fz_server_report_value(struct fz_report_new *r, struct fz_report_value *values,
                            enum fz_ind_kind kind, const char *value);

#endif
