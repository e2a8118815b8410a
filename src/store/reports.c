/*
 * store/reports.c: citizens' and partners' reports (举报线索): intake, tracking, reading with
 * masking and audited reveal, lists, and the workflow new → triaged → confirmed | rejected,
 * new | triaged → duplicate, rejected → triaged (reopen).
 *
 * Every transition checks the version the caller read (optimistic concurrency, 409 when stale)
 * and runs on the writer with its audit record. Confirming turns the report's values into
 * confirmed indicators (indicators.c) and hands the index changes back to the caller.
 */
#include "compat.h"

#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const channel_names[FZ_CHANNEL__COUNT] = {"sms", "call", "chat", "email",
                                                             "web", "app",  "other"};
static const char *const status_names[FZ_REPORT__STATUSES] = {"new", "triaged", "confirmed",
                                                              "rejected", "duplicate"};

/* Crockford's base32: no I, L, O, U. */
static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int find(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; s && i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

const char *fz_report_channel_name(enum fz_report_channel c)
{
    return (unsigned)c < FZ_CHANNEL__COUNT ? channel_names[c] : NULL;
}

bool fz_report_channel_parse(const char *s, size_t len, enum fz_report_channel *out)
{
    int i = find(channel_names, FZ_CHANNEL__COUNT, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_report_channel)i;
    return true;
}

const char *fz_report_status_name(enum fz_report_status s)
{
    return (unsigned)s < FZ_REPORT__STATUSES ? status_names[s] : NULL;
}

bool fz_report_status_parse(const char *s, size_t len, enum fz_report_status *out)
{
    int i = find(status_names, FZ_REPORT__STATUSES, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_report_status)i;
    return true;
}

void fz_report_filter_init(struct fz_report_filter *f)
{
    memset(f, 0, sizeof *f);
    f->status = f->channel = f->fraud_type = f->value_kind = -1;
}

void fz_report_confirm_init(struct fz_report_confirm *c)
{
    c->tlp = FZ_TLP_GREEN;
    c->fraud_type = -1;
    c->expires_ms = 0;
}

static fz_rc copy_err(struct fz_err *err, const struct fz__wop *op)
{
    if (err && op->rc != FZ_OK)
        *err = op->err;
    return op->rc;
}

/* ---- masking ------------------------------------------------------------------------------ */

/* "张三" → "张*", "欧阳娜娜" → "欧***": the first character kept, one '*' per further one. */
static const char *mask_name(struct fz_arena *ar, const char *s)
{
    if (!s)
        return NULL;
    const char *p = s, *end = s + strlen(s);
    uint32_t cp;
    fz_utf8_decode(&p, end, &cp);
    size_t first = (size_t)(p - s), rest = 0;
    while (p < end) {
        fz_utf8_decode(&p, end, &cp);
        rest++;
    }
    char *out = fz_arena_alloc(ar, first + rest + 1);
    if (!out)
        return NULL;
    memcpy(out, s, first);
    memset(out + first, '*', rest);
    out[first + rest] = '\0';
    return out;
}

static const char *mask_phone(struct fz_arena *ar, const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    char *out = fz_arena_alloc(ar, len + 1);
    return out ? fz_mask(s, len, out, len + 1) : NULL;
}

static void mask_contact(struct fz_arena *ar, struct fz_report *x)
{
    x->contact_name = mask_name(ar, x->contact_name);
    x->contact_phone = mask_phone(ar, x->contact_phone);
    x->contact_revealed = false;
}

/* ---- intake ------------------------------------------------------------------------------- */

struct report_add {
    const struct fz_report_new *r;
    struct fz_report_ref ref;
};

static fz_rc do_report_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct report_add *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (a->role == FZ_ROLE_ADMIN || a->role == FZ_ROLE_AUDITOR)
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "admins and auditors do not file reports");
    int64_t org = c->r->org_id;
    fz_rc rc = FZ_OK;
    if (org) {
        struct fz_arena ar;
        fz_arena_init(&ar, 512);
        struct fz_org o;
        rc = a->kind == FZ_ACTOR_ANON
                 ? FZ_ENOTFOUND
                 : st->be->org_get(conn, org, NULL, fz__store_scope(a), &ar, &o);
        fz_arena_release(&ar);
        if (rc == FZ_ENOTFOUND)
            return fz_err_setloc(&op->err, rc, 0, "org_id", "organisation %lld not found",
                                 (long long)org);
    } else if (a->org_id) {
        org = a->org_id;
    } else {
        rc = st->be->org_centre(conn, &org);
        if (rc == FZ_ENOTFOUND)
            return fz_err_set(&op->err, FZ_EBUSY, "no centre organisation receives reports yet");
    }
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding a report");
    struct fz__report_insert in = {.r = c->r, .a = a, .org_id = org, .now_ms = op->now_ms};
    char code[FZ_STORE_TRACKING_SIZE];
    for (int attempt = 0; attempt < 3; attempt++) {
        uint8_t random[FZ_STORE_TRACKING_SIZE - 1];
        randombytes_buf(random, sizeof random); /* one call: 32 letters take 5 bits each */
        for (int i = 0; i < FZ_STORE_TRACKING_SIZE - 1; i++)
            code[i] = code_alphabet[random[i] & 31];
        code[FZ_STORE_TRACKING_SIZE - 1] = '\0';
        in.tracking_code = code;
        rc = st->be->report_insert(conn, &in, &c->ref);
        if (rc != FZ_ECONFLICT)
            break;
    }
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding a report");
    op->object_id = c->ref.id;
    snprintf(op->detail, sizeof op->detail, "channel=%s org=%lld values=%zu dup=%lld",
             fz_report_channel_name(c->r->channel), (long long)org, c->r->nvalues,
             (long long)c->ref.duplicate_of);
    return FZ_OK;
}

static fz_rc check_report(const struct fz_report_new *r, struct fz_err *err)
{
    if (!fz_report_channel_name(r->channel))
        return fz_err_setloc(err, FZ_EINVAL, 0, "channel", "unknown channel");
    if (!r->text || r->text_len == 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "text", "'text' is required");
    if (r->text_len > FZ_CAP_REPORT_TEXT)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "text", "'text' is longer than %zu bytes",
                             FZ_CAP_REPORT_TEXT);
    if (!fz_utf8_valid(r->text, r->text_len) || memchr(r->text, '\0', r->text_len))
        return fz_err_setloc(err, FZ_EUTF8, 0, "text", "'text' is not valid UTF-8 text");
    if (r->loss_fen < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "loss_fen", "'loss_fen' must not be negative");
    if (r->fraud_type < -1 || r->fraud_type >= FZ_FRAUD_TYPE_COUNT)
        return fz_err_setloc(err, FZ_EINVAL, 0, "fraud_type", "unknown fraud type");
    if (r->occurred_ms < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "occurred_ms", "a negative time");
    if (r->verdict_score < 0 || r->verdict_score > 100)
        return fz_err_setloc(err, FZ_EINVAL, 0, "verdict_score", "a score is 0 to 100");
    if (!r->dedupe_key || r->dedupe_len == 0 || r->dedupe_len > 64)
        return fz_err_setloc(err, FZ_EINVAL, 0, "dedupe_key", "a dedupe key is 1 to 64 bytes");
    fz_rc rc = fz__store_check_text("contact_name", r->contact_name, 100, true, err);
    if (rc == FZ_OK)
        rc = fz__store_check_text("contact_phone", r->contact_phone, 32, true, err);
    if (rc == FZ_OK)
        rc = fz__store_check_text("verdict_label", r->verdict_label, 32, true, err);
    if (rc != FZ_OK)
        return rc;
    if (r->nvalues > FZ_STORE_REPORT_VALUES_MAX)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "indicators", "more than %d indicators",
                             FZ_STORE_REPORT_VALUES_MAX);
    for (size_t i = 0; i < r->nvalues; i++) {
        if (!fz_ind_kind_name(r->values[i].kind))
            return fz_err_setloc(err, FZ_EINVAL, 0, "indicators", "unknown indicator kind");
        rc = fz__store_check_text("indicators", r->values[i].value, 2048, false, err);
        if (rc != FZ_OK)
            return rc;
    }
    return FZ_OK;
}

fz_rc fz_store_report_add(struct fz_store *st, const struct fz_actor *a,
                          const struct fz_report_new *r, struct fz_report_ref *out,
                          struct fz_err *err)
{
    fz_rc rc = check_report(r, err);
    if (rc != FZ_OK)
        return rc;
    struct report_add c = {.r = r};
    struct fz__wop op = {.fn = do_report_add,
                         .ctx = &c,
                         .actor = a,
                         .action = "report.add",
                         .object_kind = "report"};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    *out = c.ref;
    return FZ_OK;
}

fz_rc fz_store_report_track(struct fz_store *st, const char *code, struct fz_report_track *out,
                            struct fz_err *err)
{
    if (!code || strlen(code) != FZ_STORE_TRACKING_SIZE - 1 ||
        strspn(code, code_alphabet) != FZ_STORE_TRACKING_SIZE - 1)
        return fz_err_setloc(err, FZ_ENOTFOUND, 0, "code", "no report with this tracking code");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->report_track(r->conn, code, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(err, rc, 0, "code", "no report with this tracking code");
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "tracking a report");
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Staff and partners read reports; residents only track theirs. */
static bool may_read(const struct fz_actor *a)
{
    return fz__store_trusted(a) || (a->kind != FZ_ACTOR_ANON && a->role != FZ_ROLE_NONE);
}

static bool may_reveal(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_ANALYST || a->role == FZ_ROLE_OFFICER;
}

static fz_rc do_reveal(struct fz_store *st, void *conn, struct fz__wop *op)
{
    (void)st;
    (void)conn;
    if (!may_reveal(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "this role may not see contact details");
    return FZ_OK;
}

fz_rc fz_store_report_get(struct fz_store *st, const struct fz_actor *a, int64_t id, bool reveal,
                          struct fz_arena *ar, struct fz_report *out, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "reports are not public");
    int64_t scope = fz__store_scope(a);
    /* A partner sees only reports it submitted. */
    bool own_only = a->role == FZ_ROLE_PARTNER && !fz__store_trusted(a);
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->report_get(r->conn, id, 0, ar, out);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    if (rc == FZ_OK && ((scope && out->org_id != scope && out->source_org_id != scope) ||
                        (own_only && out->source_org_id != a->org_id)))
        rc = FZ_ENOTFOUND;
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "report %lld not found", (long long)id);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "reading a report");
    bool has_contact = out->contact_name || out->contact_phone;
    if (!reveal || !has_contact) {
        mask_contact(ar, out);
        return FZ_OK;
    }
    if (!may_reveal(a) || (scope && out->org_id != scope)) {
        mask_contact(ar, out);
        return fz_err_set(err, FZ_EFORBIDDEN, "this account may not see contact details");
    }
    /* The audit record commits before the data is returned. */
    struct fz__wop op = {.fn = do_reveal,
                         .actor = a,
                         .action = "report.reveal",
                         .object_kind = "report",
                         .object_id = id};
    snprintf(op.detail, sizeof op.detail, "fields=%s%s", out->contact_name ? "name," : "",
             out->contact_phone ? "phone" : "");
    if (fz__store_write(st, &op) != FZ_OK) {
        mask_contact(ar, out);
        return copy_err(err, &op);
    }
    out->contact_revealed = true;
    return FZ_OK;
}

/* ---- history ------------------------------------------------------------------------------ */

static bool may_see_history(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_OFFICER || a->role == FZ_ROLE_ANALYST ||
           a->role == FZ_ROLE_AUDITOR || a->role == FZ_ROLE_ADMIN;
}

/* The status named at s[0..len), or -1. */
static int status_of(const char *s, size_t len)
{
    enum fz_report_status x;
    return fz_report_status_parse(s, len, &x) ? (int)x : -1;
}

/* One audit record as a step: "report.triage" with detail "new -> triaged" (or "new ->
 * duplicate of 5") becomes triage, new, triaged (duplicate, into 5); "report.add" is the
 * arrival of a new report. The details are the store's own (do_transition, do_add). */
static void history_event(const struct fz__report_history_row *row, struct fz_report_event *ev)
{
    const struct fz_audit *x = &row->rec;
    *ev = (struct fz_report_event){.at_ms = x->at_ms,
                                   .action = x->action + strlen("report."),
                                   .actor_kind = x->actor_kind,
                                   .actor_id = x->actor_id,
                                   .actor_name = row->actor_name,
                                   .from = -1,
                                   .to = -1};
    if (!strcmp(ev->action, "add")) {
        ev->to = FZ_REPORT_NEW;
        return;
    }
    const char *d = x->detail, *arrow = d ? strstr(d, " -> ") : NULL;
    if (!arrow)
        return;
    ev->from = status_of(d, (size_t)(arrow - d));
    const char *to = arrow + 4, *of = strstr(to, " of ");
    ev->to = status_of(to, of ? (size_t)(of - to) : strcspn(to, " "));
    if (of)
        ev->into_id = strtoll(of + 4, NULL, 10);
}

fz_rc fz_store_report_history(struct fz_store *st, const struct fz_actor *a, int64_t id,
                              struct fz_arena *ar, struct fz_report_event **out, size_t *n,
                              struct fz_err *err)
{
    if (!may_see_history(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "a report's history is for staff");
    int64_t scope = fz__store_scope(a);
    struct fz_report rep;
    struct fz__report_history_row *rows = NULL;
    size_t count = 0;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->report_get(r->conn, id, 0, ar, &rep);
        if (rc == FZ_OK && scope && rep.org_id != scope && rep.source_org_id != scope)
            rc = FZ_ENOTFOUND;
        if (rc == FZ_OK)
            rc = st->be->report_history(r->conn, id, ar, &rows, &count);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "report %lld not found", (long long)id);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "reading a report's history");
    struct fz_report_event *ev = fz_arena_calloc(ar, count ? count : 1, sizeof *ev);
    if (!ev)
        return fz__store_fail(err, FZ_E(FZ_ENOMEM), "reading a report's history");
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (rows[i].rec.action && !strncmp(rows[i].rec.action, "report.", 7))
            history_event(&rows[i], &ev[k++]);
    *out = ev;
    *n = k;
    return FZ_OK;
}

fz_rc fz_store_report_list(struct fz_store *st, const struct fz_actor *a,
                           const struct fz_report_filter *f, struct fz_arena *ar,
                           struct fz_report **out, size_t *n, int64_t *next_after,
                           struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "reports are not public");
    struct fz_report_filter q = *f;
    if (q.limit == 0)
        q.limit = 50;
    if (q.limit < 1 || q.limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    if (q.status >= FZ_REPORT__STATUSES || q.channel >= FZ_CHANNEL__COUNT ||
        q.fraud_type >= FZ_FRAUD_TYPE_COUNT || q.value_kind >= FZ_IND__COUNT || q.after_id < 0)
        return fz_err_set(err, FZ_EINVAL, "a filter is out of range");
    int limit = q.limit;
    q.limit = limit + 1;
    int64_t scope = fz__store_scope(a);
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->report_list(r->conn, &q, scope, ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "listing reports");
    bool own_only = a->role == FZ_ROLE_PARTNER && !fz__store_trusted(a);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        struct fz_report *x = &(*out)[i];
        if (own_only && x->source_org_id != a->org_id)
            continue;
        mask_contact(ar, x);
        (*out)[k++] = *x;
    }
    if (next_after)
        *next_after = *n > (size_t)limit ? (*out)[limit - 1].id : 0;
    *n = k > (size_t)limit ? (size_t)limit : k;
    return FZ_OK;
}

/* ---- workflow ----------------------------------------------------------------------------- */

struct transition {
    int version;
    enum fz_report_status to;
    const char *reason;
    int64_t into_id;
    const struct fz_report_confirm *confirm;
    struct fz_arena *ar;
    struct fz_ind_change *changes;
    size_t nchanges;
    int new_version;
};

static bool allowed(enum fz_report_status from, enum fz_report_status to)
{
    switch (to) {
    case FZ_REPORT_TRIAGED: return from == FZ_REPORT_NEW || from == FZ_REPORT_REJECTED;
    case FZ_REPORT_CONFIRMED:
    case FZ_REPORT_REJECTED: return from == FZ_REPORT_TRIAGED;
    case FZ_REPORT_DUPLICATE: return from == FZ_REPORT_NEW || from == FZ_REPORT_TRIAGED;
    default: return false;
    }
}

static bool may_move(const struct fz_actor *a, enum fz_report_status to)
{
    if (fz__store_trusted(a))
        return true;
    if (to == FZ_REPORT_CONFIRMED)
        return a->role == FZ_ROLE_ANALYST;
    return a->role == FZ_ROLE_ANALYST || a->role == FZ_ROLE_OFFICER;
}

/* Confirms each value of report id as an indicator (indicators.c does one). */
static fz_rc confirm_values(struct fz_store *st, void *conn, struct fz__wop *op,
                            struct transition *c, int fraud_type)
{
    struct fz_report rep;
    fz_rc rc = st->be->report_get(conn, op->object_id, 0, c->ar, &rep);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "confirming a report");
    c->changes = rep.nvalues ? fz_arena_calloc(c->ar, rep.nvalues, sizeof *c->changes) : NULL;
    if (rep.nvalues && !c->changes)
        return fz_err_set(&op->err, FZ_ENOMEM, "out of memory");
    for (size_t i = 0; i < rep.nvalues; i++) {
        struct fz_indicator_new in = {
            .kind = rep.values[i].kind,
            .value = rep.values[i].value,
            .status = FZ_IND_CONFIRMED,
            .tlp = c->confirm->tlp,
            .fraud_type = fraud_type,
            .expires_ms = c->confirm->expires_ms,
        };
        rc = fz__store_ind_upsert(st, conn, op, &in, op->object_id, c->ar, NULL,
                                  &c->changes[c->nchanges]);
        if (rc != FZ_OK)
            return rc;
        c->nchanges++;
    }
    return FZ_OK;
}

static fz_rc do_transition(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct transition *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!may_move(a, c->to))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "this role may not make a report %s",
                          fz_report_status_name(c->to));
    struct fz__report_state s;
    int64_t scope = fz__store_scope(a);
    fz_rc rc = st->be->report_state(conn, op->object_id, scope, &s);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, rc, "report %lld not found", (long long)op->object_id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "changing a report");
    if (s.version != c->version)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "version",
                             "report %lld was changed (version %d, not %d)",
                             (long long)op->object_id, s.version, c->version);
    if (!allowed(s.status, c->to))
        return fz_err_set(&op->err, FZ_ECONFLICT, "report %lld is %s, cannot become %s",
                          (long long)op->object_id, fz_report_status_name(s.status),
                          fz_report_status_name(c->to));
    snprintf(op->detail, sizeof op->detail, "%s -> %s", fz_report_status_name(s.status),
             fz_report_status_name(c->to));
    int fraud_type = -1;
    if (c->to == FZ_REPORT_DUPLICATE) {
        struct fz__report_state into;
        rc = c->into_id == op->object_id ? FZ_ENOTFOUND
                                         : st->be->report_state(conn, c->into_id, scope, &into);
        if (rc == FZ_ENOTFOUND)
            return fz_err_setloc(&op->err, rc, 0, "into", "report %lld not found",
                                 (long long)c->into_id);
        if (rc == FZ_OK && into.status == FZ_REPORT_DUPLICATE)
            return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "into",
                                 "report %lld is itself a duplicate", (long long)c->into_id);
        if (rc == FZ_OK)
            rc = st->be->report_values_copy(conn, op->object_id, c->into_id);
        if (rc != FZ_OK)
            return fz__store_fail(&op->err, rc, "merging a report");
        snprintf(op->detail, sizeof op->detail, "%s -> duplicate of %lld",
                 fz_report_status_name(s.status), (long long)c->into_id);
    }
    if (c->to == FZ_REPORT_CONFIRMED)
        fraud_type = c->confirm->fraud_type >= 0 ? c->confirm->fraud_type : s.fraud_type;
    rc = st->be->report_set_status(conn, op->object_id, c->to, c->reason,
                                   c->to == FZ_REPORT_DUPLICATE ? c->into_id : 0, fraud_type,
                                   op->now_ms);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "changing a report");
    c->new_version = s.version + 1;
    if (c->to == FZ_REPORT_CONFIRMED)
        return confirm_values(st, conn, op, c, fraud_type);
    return FZ_OK;
}

static fz_rc transition(struct fz_store *st, const struct fz_actor *a, int64_t id,
                        struct transition *c, const char *action, int *new_version,
                        struct fz_err *err)
{
    struct fz__wop op = {.fn = do_transition,
                         .ctx = c,
                         .actor = a,
                         .action = action,
                         .object_kind = "report",
                         .object_id = id};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    if (new_version)
        *new_version = c->new_version;
    return FZ_OK;
}

fz_rc fz_store_report_triage(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             int *new_version, struct fz_err *err)
{
    struct transition c = {.version = version, .to = FZ_REPORT_TRIAGED};
    return transition(st, a, id, &c, "report.triage", new_version, err);
}

fz_rc fz_store_report_reject(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             const char *reason, int *new_version, struct fz_err *err)
{
    fz_rc rc = fz__store_check_text("reason", reason, FZ_STORE_REASON_MAX, false, err);
    if (rc != FZ_OK)
        return rc;
    struct transition c = {.version = version, .to = FZ_REPORT_REJECTED, .reason = reason};
    return transition(st, a, id, &c, "report.reject", new_version, err);
}

fz_rc fz_store_report_merge(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                            int64_t into_id, int *new_version, struct fz_err *err)
{
    if (into_id <= 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "into", "the report to merge into is required");
    struct transition c = {.version = version, .to = FZ_REPORT_DUPLICATE, .into_id = into_id};
    return transition(st, a, id, &c, "report.merge", new_version, err);
}

fz_rc fz_store_report_confirm(struct fz_store *st, const struct fz_actor *a, int64_t id,
                              int version, const struct fz_report_confirm *cf, struct fz_arena *ar,
                              struct fz_ind_change **changes, size_t *n, struct fz_err *err)
{
    struct fz_report_confirm def;
    if (!cf) {
        fz_report_confirm_init(&def);
        cf = &def;
    }
    if (!fz_tlp_name(cf->tlp))
        return fz_err_setloc(err, FZ_EINVAL, 0, "tlp", "unknown TLP level");
    if (cf->fraud_type < -1 || cf->fraud_type >= FZ_FRAUD_TYPE_COUNT)
        return fz_err_setloc(err, FZ_EINVAL, 0, "fraud_type", "unknown fraud type");
    if (cf->expires_ms < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "expires_ms", "a negative expiry");
    struct transition c = {.version = version, .to = FZ_REPORT_CONFIRMED, .confirm = cf, .ar = ar};
    fz_rc rc = transition(st, a, id, &c, "report.confirm", NULL, err);
    if (rc != FZ_OK)
        return rc;
    *changes = c.changes;
    *n = c.nchanges;
    return FZ_OK;
}
