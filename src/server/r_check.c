/*
 * server/r_check: POST /check/text and GET /check/number, /check/url, /check/account — the
 * engines' verdicts enriched with the intelligence index. The hot path: no database, no lock;
 * one reference each on the engine and the index snapshot.
 */
#include "server_int.h"

#include "fangzha/phone.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

/* The part of the index a check answer shows; details beyond these stay with staff. score is
 * the entry's score decayed to now. */
static void json_indicator(struct fz_json *j, const struct fz_ind_entry *x, int score)
{
    fz_json_key(j, "indicator");
    if (!x) {
        fz_json_null(j);
        return;
    }
    fz_json_obj(j);
    fz_json_key(j, "id");
    fz_json_int(j, x->id);
    fz_json_key(j, "kind");
    fz_json_cstr(j, fz_ind_kind_name((enum fz_ind_kind)x->kind));
    fz_json_key(j, "status");
    fz_json_cstr(j, fz_ind_status_name((enum fz_ind_status)x->status));
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, x->fraud_type >= 0 ? fz_fraud_type_name(x->fraud_type) : NULL);
    fz_json_key(j, "score");
    fz_json_int(j, score);
    fz_json_obj_end(j);
}

/*
 * Score and action of one indicator-like value: its prior risk, lifted by the index. A
 * confirmed indicator blocks; a suspected one (a tip not yet confirmed) warns at most; a
 * cleared one (an appeal upheld) counts for nothing; a prior alone never blocks.
 */
static void json_judgement(struct fz_json *j, int prior, const struct fz_ind_entry *x)
{
    int score = prior, now = x ? fz_ind_score_now(x, srv_now_ms(), FZ_IND_HALF_LIFE_DAYS) : 0;
    enum fz_action action;
    if (x && x->status == FZ_IND_CONFIRMED) {
        score = prior > now ? prior : now;
        score = score > 90 ? score : 90;
        action = FZ_ACTION_BLOCK;
    } else {
        if (x && x->status == FZ_IND_SUSPECTED) {
            int s = now < 70 ? now : 70;
            score = score > s ? score : s;
        }
        action = score >= 40 ? FZ_ACTION_WARN : FZ_ACTION_ALLOW;
    }
    json_indicator(j, x, now);
    fz_json_key(j, "score");
    fz_json_int(j, score);
    fz_json_key(j, "action");
    fz_json_cstr(j, fz_action_name(action));
}

/* The required query argument name of at most max bytes; answers 422 when it is missing. */
static const char *need_arg(struct srv_req *r, const char *name, size_t max, size_t *len)
{
    const char *v = srv_arg(r, name);
    if (!v || !*v) {
        srv_error(r, 422, "invalid", name, "query argument '%s' is required", name);
        return NULL;
    }
    *len = strlen(v);
    if (*len > max) {
        srv_error(r, 422, "invalid", name, "'%s' is over %zu bytes", name, max);
        return NULL;
    }
    if (!fz_utf8_valid(v, *len)) {
        srv_error(r, 400, "bad_utf8", name, "'%s' is not valid UTF-8", name);
        return NULL;
    }
    return v;
}

/* ---- text --------------------------------------------------------------------------------- */

static const struct srv_field check_text_fields[] = {
    {"text", SRV_T_STR, true, 0, 65536},
    {"id", SRV_T_STR, false, 0, 128},
    {"sender", SRV_T_STR, false, 0, 256},
    {"channel", SRV_T_STR, false, 0, 16},
    {NULL, 0, false, 0, 0},
};

static bool channel_ok(const char *c)
{
    static const char *const names[] = {"sms", "chat", "email", "call", "other"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(c, names[i]))
            return true;
    return false;
}

static void screen_text(struct srv_req *r, struct srv_engine *e, const struct fz_ind_index *x)
{
    size_t len, sender_len, id_len, ch_len;
    const char *text = srv_str(r, "text", &len);
    const char *sender = srv_str(r, "sender", &sender_len);
    const char *id = srv_str(r, "id", &id_len);
    const char *channel = srv_str(r, "channel", &ch_len);
    if (channel && !channel_ok(channel)) {
        srv_error(r, 422, "invalid", "channel",
                  "'channel' must be sms, chat, email, call or other");
        return;
    }
    struct fz_screen_ctx *c = srv_thread_ctx(e);
    if (!c) {
        srv_fail(r, FZ_ENOMEM, NULL);
        return;
    }
    struct srv_intel si;
    srv_intel_init(&si, x, srv_now_ms());
    fz_screen_ctx_set_intel(c, x ? &si.hook : NULL);
    struct fz_verdict v;
    fz_rc rc = fz_screen_message_from(e->screen, c, text, len, sender, sender_len, &v);
    if (rc) {
        fz_screen_ctx_set_intel(c, NULL);
        srv_fail(r, rc, NULL);
        return;
    }
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    if (id) {
        fz_json_key(&j, "id");
        fz_json_str(&j, id, id_len);
    }
    fz_verdict_json(&j, &v, text);
    fz_json_obj_end(&j);
    fz_screen_ctx_set_intel(c, NULL);
    srv_metrics_verdict(&r->srv->metrics, &v);
    srv_reply(r, j.rc ? 500 : 200);
}

void srv_h_check_text(struct srv_req *r)
{
    if (!srv_check_fields(r, check_text_fields))
        return;
    struct srv_engine *e = srv_engine_acquire(r->srv);
    if (!e) {
        srv_error(r, 503, "unavailable", NULL, "the screening engine is not loaded");
        return;
    }
    struct fz_ind_index *x = fz_ind_handle_acquire(&r->srv->intel);
    screen_text(r, e, x);
    fz_ind_index_unref(x);
    srv_engine_release(e);
}

/* ---- number ------------------------------------------------------------------------------- */

void srv_h_check_number(struct srv_req *r)
{
    size_t len;
    const char *n = need_arg(r, "n", 64, &len);
    if (!n)
        return;
    struct fz_phone p;
    fz_rc rc = fz_phone_normalize(n, len, &p);
    if (rc) {
        srv_fail(r, rc, NULL);
        return;
    }
    struct fz_ind_index *x = fz_ind_handle_acquire(&r->srv->intel);
    const char *key = p.e164[0] ? p.e164 : p.digits;
    const struct fz_ind_entry *hit =
        p.valid ? fz_ind_lookup(x, FZ_IND_PHONE, key, strlen(key), srv_now_ms()) : NULL;
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "input");
    fz_json_str(&j, n, len);
    fz_phone_json(&j, &p);
    json_judgement(&j, p.risk, hit);
    fz_json_obj_end(&j);
    fz_ind_index_unref(x);
    srv_reply(r, j.rc ? 500 : 200);
}

/* ---- URL ---------------------------------------------------------------------------------- */

static const struct fz_ind_entry *url_entry(const struct fz_ind_index *x, const struct fz_url *u,
                                            int64_t now)
{
    const struct fz_ind_entry *hit = fz_ind_lookup(x, FZ_IND_URL, u->url, strlen(u->url), now);
    if (!hit && u->host)
        hit = fz_ind_lookup(x, FZ_IND_DOMAIN, u->host, strlen(u->host), now);
    if (!hit && u->registrable_domain)
        hit = fz_ind_lookup(x, FZ_IND_DOMAIN, u->registrable_domain, strlen(u->registrable_domain),
                            now);
    return hit;
}

void srv_h_check_url(struct srv_req *r)
{
    size_t len;
    const char *in = need_arg(r, "u", 8192, &len);
    if (!in)
        return;
    struct fz_url u;
    fz_rc rc = fz_url_analyze(r->srv->uctx, in, len, &r->arena, &u);
    if (rc) {
        srv_fail(r, rc, NULL);
        return;
    }
    struct fz_ind_index *x = fz_ind_handle_acquire(&r->srv->intel);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "input");
    fz_json_str(&j, in, len);
    fz_url_json_fields(&j, &u);
    json_judgement(&j, u.risk, u.valid ? url_entry(x, &u, srv_now_ms()) : NULL);
    fz_json_obj_end(&j);
    fz_ind_index_unref(x);
    srv_reply(r, j.rc ? 500 : 200);
}

/* ---- account ------------------------------------------------------------------------------ */

/* The kind of an account when the caller does not say: digits are a bank account, an '@'
 * makes an e-mail address, "wxid_..." a WeChat ID, anything else a payment ID. */
static enum fz_ind_kind guess_account_kind(const char *a)
{
    if (!strncasecmp(a, "wxid_", 5))
        return FZ_IND_WECHAT;
    bool digits = true;
    for (const char *p = a; *p; p++) {
        if (*p == '@')
            return FZ_IND_EMAIL;
        if (!((*p >= '0' && *p <= '9') || *p == ' ' || *p == '-'))
            digits = false;
    }
    return digits ? FZ_IND_BANK_ACCOUNT : FZ_IND_PAYMENT_ID;
}

static bool account_kind(struct srv_req *r, const char *a, enum fz_ind_kind *k)
{
    const char *ks = srv_arg(r, "kind");
    if (!ks) {
        *k = guess_account_kind(a);
        return true;
    }
    if (fz_ind_kind_parse(ks, strlen(ks), k) &&
        (*k == FZ_IND_BANK_ACCOUNT || *k == FZ_IND_PAYMENT_ID || *k == FZ_IND_WECHAT ||
         *k == FZ_IND_QQ || *k == FZ_IND_EMAIL))
        return true;
    srv_error(r, 422, "invalid", "kind",
              "'kind' must be bank_account, payment_id, wechat, qq or email");
    return false;
}

void srv_h_check_account(struct srv_req *r)
{
    size_t len, vlen;
    const char *a = need_arg(r, "a", 256, &len);
    enum fz_ind_kind k;
    if (!a || !account_kind(r, a, &k))
        return;
    const char *value;
    struct fz_err err = {0};
    fz_rc rc = fz_ind_normalize(r->srv->uctx, k, a, len, &r->arena, &value, &vlen, &err);
    if (rc) {
        snprintf(err.field, sizeof err.field, "a");
        srv_fail(r, rc, &err);
        return;
    }
    struct fz_ind_index *x = fz_ind_handle_acquire(&r->srv->intel);
    struct fz_json j;
    srv_json_begin(r, &j);
    fz_json_obj(&j);
    fz_json_key(&j, "kind");
    fz_json_cstr(&j, fz_ind_kind_name(k));
    fz_json_key(&j, "value");
    fz_json_str(&j, value, vlen);
    json_judgement(&j, 0, fz_ind_lookup(x, k, value, vlen, srv_now_ms()));
    fz_json_obj_end(&j);
    fz_ind_index_unref(x);
    srv_reply(r, j.rc ? 500 : 200);
}
