/*
 * store/indicators.c: indicators (public API): add or strengthen, read with TLP filtering,
 * update with a reason and history, sightings, and the walk that builds the in-memory index.
 *
 * The score is recomputed from the evidence (fz_ind_score of intel.h) whenever the evidence or
 * the status changes; every change hands back a struct fz_ind_change for the server's index.
 */
#include "compat.h"

#include "store_int.h"

#include <stdio.h>
#include <string.h>

static fz_rc copy_err(struct fz_err *err, const struct fz__wop *op)
{
    if (err && op->rc != FZ_OK)
        *err = op->err;
    return op->rc;
}

void fz_indicator_filter_init(struct fz_indicator_filter *f)
{
    memset(f, 0, sizeof *f);
    f->kind = f->status = -1;
}

void fz_indicator_update_init(struct fz_indicator_update *u)
{
    memset(u, 0, sizeof *u);
    u->status = u->tlp = -1;
    u->expires_ms = -1;
}

static bool may_add(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_PARTNER || a->role == FZ_ROLE_OFFICER ||
           a->role == FZ_ROLE_ANALYST;
}

static bool may_judge(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_ANALYST;
}

/* The change for the index, with the value and id text copied into ar. */
static fz_rc make_change(struct fz_arena *ar, const struct fz_indicator *x,
                         struct fz_ind_change *ch)
{
    memset(ch, 0, sizeof *ch);
    size_t len = strlen(x->value);
    char *value = fz_arena_strndup(ar, x->value, len);
    char *id_text = fz_arena_alloc(ar, 24);
    if (!value || !id_text)
        return FZ_E(FZ_ENOMEM);
    snprintf(id_text, 24, "%lld", (long long)x->id);
    ch->entry.id = x->id;
    ch->entry.kind = (uint8_t)x->kind;
    ch->entry.status = (uint8_t)x->status;
    ch->entry.tlp = (uint8_t)x->tlp;
    ch->entry.fraud_type = (int8_t)x->fraud_type;
    ch->entry.score = (uint8_t)x->score;
    ch->entry.expires_ms = x->expires_ms;
    ch->entry.scored_ms = x->updated_ms;
    ch->entry.value = value;
    ch->entry.id_text = id_text;
    ch->value_len = len;
    return FZ_OK;
}

/* Recounts the evidence of x, rescoring it, and writes it back with version + 1. */
static fz_rc refresh(struct fz_store *st, void *conn, int64_t now, struct fz_indicator *x)
{
    struct fz_ind_evidence ev = {0};
    fz_rc rc = st->be->ind_evidence(conn, x->id, &ev);
    if (rc != FZ_OK)
        return rc;
    ev.confirmed = x->status == FZ_IND_CONFIRMED;
    x->n_reports = ev.reports;
    x->n_sightings = ev.sightings;
    x->last_report_ms = ev.last_report_ms;
    x->score = x->status == FZ_IND_CLEARED ? 0 : fz_ind_score(&ev, now, FZ_IND_HALF_LIFE_DAYS);
    x->updated_ms = now;
    x->version++;
    return st->be->ind_update(conn, x);
}

static fz_rc event(struct fz_store *st, void *conn, const struct fz__wop *op, int64_t ind,
                   const char *action, const char *from, const char *to, const char *reason,
                   int64_t report_id)
{
    char who[40];
    fz__store_actor_text(op->actor, who, sizeof who);
    struct fz_indicator_event ev = {.at_ms = op->now_ms,
                                    .actor = who,
                                    .action = action,
                                    .from = from,
                                    .to = to,
                                    .reason = reason,
                                    .report_id = report_id};
    return st->be->ind_event(conn, ind, &ev);
}

fz_rc fz__store_ind_upsert(struct fz_store *st, void *conn, struct fz__wop *op,
                           const struct fz_indicator_new *in, int64_t report_id,
                           struct fz_arena *ar, int64_t *id, struct fz_ind_change *change)
{
    const struct fz_actor *a = op->actor;
    int64_t now = op->now_ms;
    struct fz_indicator x;
    fz_rc rc = st->be->ind_find(conn, in->kind, in->value, ar, &x);
    if (rc == FZ_ENOTFOUND) {
        memset(&x, 0, sizeof x);
        x.kind = in->kind;
        x.value = in->value;
        x.status = in->status;
        x.tlp = in->tlp;
        x.fraud_type = in->fraud_type;
        x.source_org_id = a->org_id;
        x.first_seen_ms = x.last_seen_ms = x.updated_ms = now;
        x.expires_ms = in->expires_ms;
        x.note = in->note;
        x.version = 0; /* refresh makes it 1 */
        rc = st->be->ind_insert(conn, &x, &x.id);
        if (rc == FZ_OK)
            rc = event(st, conn, op, x.id, "created", NULL, fz_ind_status_name(x.status), NULL,
                       report_id);
    } else if (rc == FZ_OK) {
        const char *from = fz_ind_status_name(x.status);
        bool up = (x.status == FZ_IND_SUSPECTED && in->status == FZ_IND_CONFIRMED) ||
                  (x.status == FZ_IND_CLEARED && in->status == FZ_IND_CONFIRMED);
        if (up)
            x.status = FZ_IND_CONFIRMED;
        if (x.status == FZ_IND_CONFIRMED)
            x.cleared_reason = NULL;
        bool owner = fz__store_scope(a) == 0 || (x.source_org_id && x.source_org_id == a->org_id);
        if (owner)
            x.tlp = in->tlp;
        if (x.fraud_type < 0)
            x.fraud_type = in->fraud_type;
        if (x.expires_ms && (in->expires_ms == 0 || in->expires_ms > x.expires_ms))
            x.expires_ms = in->expires_ms;
        if (in->note)
            x.note = in->note;
        x.last_seen_ms = now;
        rc = event(st, conn, op, x.id, up ? "status" : "strengthened", up ? from : NULL,
                   up ? fz_ind_status_name(x.status) : NULL, NULL, report_id);
    }
    if (rc == FZ_OK && report_id)
        rc = st->be->ind_link_report(conn, x.id, report_id);
    if (rc == FZ_OK)
        rc = refresh(st, conn, now, &x);
    if (rc == FZ_OK && change)
        rc = make_change(ar, &x, change);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding an indicator");
    if (id)
        *id = x.id;
    return FZ_OK;
}

struct ind_add {
    const struct fz_indicator_new *in;
    struct fz_arena *ar;
    int64_t id;
    struct fz_ind_change *change;
};

static fz_rc do_ind_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct ind_add *c = op->ctx;
    if (!may_add(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "this role may not add indicators");
    if (c->in->status == FZ_IND_CONFIRMED && !may_judge(op->actor))
        return fz_err_setloc(&op->err, FZ_EFORBIDDEN, 0, "status",
                             "only analysts confirm indicators");
    fz_rc rc = fz__store_ind_upsert(st, conn, op, c->in, 0, c->ar, &c->id, c->change);
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail, "kind=%s status=%s tlp=%s",
             fz_ind_kind_name(c->in->kind), fz_ind_status_name(c->in->status),
             fz_tlp_name(c->in->tlp));
    return rc;
}

fz_rc fz_store_indicator_add(struct fz_store *st, const struct fz_actor *a,
                             const struct fz_indicator_new *in, struct fz_arena *ar, int64_t *id,
                             struct fz_ind_change *change, struct fz_err *err)
{
    if (!fz_ind_kind_name(in->kind))
        return fz_err_setloc(err, FZ_EINVAL, 0, "kind", "unknown indicator kind");
    fz_rc rc = fz__store_check_text("value", in->value, 2048, false, err);
    if (rc == FZ_OK)
        rc = fz__store_check_text("note", in->note, FZ_STORE_REASON_MAX, true, err);
    if (rc != FZ_OK)
        return rc;
    if (in->status != FZ_IND_SUSPECTED && in->status != FZ_IND_CONFIRMED)
        return fz_err_setloc(err, FZ_EINVAL, 0, "status",
                             "a new indicator is suspected or confirmed");
    if (!fz_tlp_name(in->tlp))
        return fz_err_setloc(err, FZ_EINVAL, 0, "tlp", "unknown TLP level");
    if (in->fraud_type < -1 || in->fraud_type >= FZ_FRAUD_TYPE_COUNT)
        return fz_err_setloc(err, FZ_EINVAL, 0, "fraud_type", "unknown fraud type");
    if (in->expires_ms < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "expires_ms", "a negative expiry");
    struct fz_arena tmp;
    fz_arena_init(&tmp, 1024);
    struct ind_add c = {in, change ? ar : &tmp, 0, change};
    struct fz__wop op = {.fn = do_ind_add,
                         .ctx = &c,
                         .actor = a,
                         .action = "indicator.add",
                         .object_kind = "indicator"};
    rc = fz__store_write(st, &op);
    fz_arena_release(&tmp);
    if (rc != FZ_OK)
        return copy_err(err, &op);
    if (id)
        *id = c.id;
    return FZ_OK;
}

static bool may_read(const struct fz_actor *a)
{
    return fz__store_trusted(a) || (a->kind != FZ_ACTOR_ANON && a->role != FZ_ROLE_NONE);
}

fz_rc fz_store_indicator_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                             struct fz_arena *ar, struct fz_indicator *out, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "indicators are not public");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->ind_get(r->conn, id, fz__store_scope(a), ar, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "indicator %lld not found", (long long)id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading an indicator");
}

fz_rc fz_store_indicator_search(struct fz_store *st, const struct fz_actor *a,
                                const struct fz_indicator_filter *f, struct fz_arena *ar,
                                struct fz_indicator **out, size_t *n, int64_t *next_after,
                                struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "indicators are not public");
    struct fz_indicator_filter q = *f;
    if (q.limit == 0)
        q.limit = 50;
    if (q.limit < 1 || q.limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    if (q.kind >= FZ_IND__COUNT || q.status >= FZ_IND__STATUSES || q.after_id < 0)
        return fz_err_set(err, FZ_EINVAL, "a filter is out of range");
    if (q.value && strlen(q.value) > 2048)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "value", "'value' is longer than 2048 bytes");
    int limit = q.limit;
    q.limit = limit + 1;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->ind_search(r->conn, &q, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "searching indicators");
    if (next_after)
        *next_after = *n > (size_t)limit ? (*out)[limit - 1].id : 0;
    if (*n > (size_t)limit)
        *n = (size_t)limit;
    return FZ_OK;
}

struct ind_update {
    const struct fz_indicator_update *u;
    struct fz_arena *ar;
    struct fz_ind_change *change;
};

static char *ms_text(struct fz_arena *ar, int64_t ms)
{
    char *s = fz_arena_alloc(ar, 24);
    if (s)
        snprintf(s, 24, "%lld", (long long)ms);
    return s;
}

static fz_rc do_ind_update(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct ind_update *c = op->ctx;
    const struct fz_indicator_update *u = c->u;
    if (!may_judge(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only analysts change indicators");
    struct fz_indicator x;
    fz_rc rc = st->be->ind_get(conn, op->object_id, fz__store_scope(op->actor), c->ar, &x);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, rc, "indicator %lld not found", (long long)op->object_id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "changing an indicator");
    if (u->version && u->version != x.version)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "version",
                             "indicator %lld was changed (version %d, not %d)", (long long)x.id,
                             x.version, u->version);
    char *p = op->detail;
    size_t left = sizeof op->detail;
    if (u->status >= 0 && (enum fz_ind_status)u->status != x.status) {
        const char *from = fz_ind_status_name(x.status);
        x.status = (enum fz_ind_status)u->status;
        x.cleared_reason = x.status == FZ_IND_CLEARED ? u->reason : NULL;
        rc = event(st, conn, op, x.id, "status", from, fz_ind_status_name(x.status), u->reason, 0);
        int w = snprintf(p, left, "status %s -> %s; ", from, fz_ind_status_name(x.status));
        p += w > 0 && (size_t)w < left ? (size_t)w : 0;
        left -= w > 0 && (size_t)w < left ? (size_t)w : 0;
    }
    if (rc == FZ_OK && u->tlp >= 0 && (enum fz_tlp)u->tlp != x.tlp) {
        const char *from = fz_tlp_name(x.tlp);
        x.tlp = (enum fz_tlp)u->tlp;
        rc = event(st, conn, op, x.id, "tlp", from, fz_tlp_name(x.tlp), u->reason, 0);
        int w = snprintf(p, left, "tlp %s -> %s; ", from, fz_tlp_name(x.tlp));
        p += w > 0 && (size_t)w < left ? (size_t)w : 0;
        left -= w > 0 && (size_t)w < left ? (size_t)w : 0;
    }
    if (rc == FZ_OK && u->expires_ms >= 0 && u->expires_ms != x.expires_ms) {
        char *from = ms_text(c->ar, x.expires_ms), *to = ms_text(c->ar, u->expires_ms);
        x.expires_ms = u->expires_ms;
        rc = from && to ? event(st, conn, op, x.id, "expiry", from, to, u->reason, 0)
                        : FZ_E(FZ_ENOMEM);
        snprintf(p, left, "expiry");
    }
    if (rc == FZ_OK)
        rc = refresh(st, conn, op->now_ms, &x);
    if (rc == FZ_OK && c->change)
        rc = make_change(c->ar, &x, c->change);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(&op->err, rc, "changing an indicator");
}

fz_rc fz_store_indicator_update(struct fz_store *st, const struct fz_actor *a, int64_t id,
                                const struct fz_indicator_update *u, struct fz_arena *ar,
                                struct fz_ind_change *change, struct fz_err *err)
{
    if (u->status >= FZ_IND__STATUSES || u->status < -1)
        return fz_err_setloc(err, FZ_EINVAL, 0, "status", "unknown status");
    if (u->tlp >= FZ_TLP__COUNT || u->tlp < -1)
        return fz_err_setloc(err, FZ_EINVAL, 0, "tlp", "unknown TLP level");
    if (u->expires_ms < -1)
        return fz_err_setloc(err, FZ_EINVAL, 0, "expires_ms", "a negative expiry");
    fz_rc rc = fz__store_check_text("reason", u->reason, FZ_STORE_REASON_MAX,
                                    u->status != FZ_IND_CLEARED, err);
    if (rc != FZ_OK) {
        if (err && u->status == FZ_IND_CLEARED && (!u->reason || !*u->reason))
            fz_err_setloc(err, FZ_EINVAL, 0, "reason", "clearing an indicator needs a reason");
        return rc;
    }
    struct fz_arena tmp;
    fz_arena_init(&tmp, 1024);
    struct ind_update c = {u, change ? ar : &tmp, change};
    struct fz__wop op = {.fn = do_ind_update,
                         .ctx = &c,
                         .actor = a,
                         .action = "indicator.update",
                         .object_kind = "indicator",
                         .object_id = id};
    rc = fz__store_write(st, &op);
    fz_arena_release(&tmp);
    return rc == FZ_OK ? FZ_OK : copy_err(err, &op);
}

fz_rc fz_store_indicator_history(struct fz_store *st, const struct fz_actor *a, int64_t id,
                                 struct fz_arena *ar, struct fz_indicator_event **out, size_t *n,
                                 struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "indicators are not public");
    struct fz__reader *r = fz__store_reader(st);
    struct fz_indicator x;
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->ind_get(r->conn, id, fz__store_scope(a), ar, &x);
        if (rc == FZ_OK)
            rc = st->be->ind_history(r->conn, id, ar, out, n);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "indicator %lld not found", (long long)id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading an indicator's history");
}

/* ---- sightings ---------------------------------------------------------------------------- */

struct sighting_add {
    const struct fz_sighting_new *s;
    struct fz_arena *ar;
    int64_t id;
    struct fz_ind_change *change;
};

static fz_rc do_sighting_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct sighting_add *c = op->ctx;
    if (!may_add(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "this role may not report sightings");
    struct fz_indicator x;
    fz_rc rc = st->be->ind_get(conn, op->object_id, fz__store_scope(op->actor), c->ar, &x);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, rc, "indicator %lld not found", (long long)op->object_id);
    if (rc == FZ_OK)
        rc = st->be->sighting_insert(conn, x.id, op->actor->org_id, c->s, op->now_ms, &c->id);
    if (rc == FZ_OK) {
        int64_t seen = c->s->seen_ms ? c->s->seen_ms : op->now_ms;
        if (seen > x.last_seen_ms)
            x.last_seen_ms = seen;
        rc = refresh(st, conn, op->now_ms, &x);
    }
    if (rc == FZ_OK && c->change)
        rc = make_change(c->ar, &x, c->change);
    snprintf(op->detail, sizeof op->detail, "sighting=%lld count=%d", (long long)c->id,
             c->s->count > 0 ? c->s->count : 1);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(&op->err, rc, "adding a sighting");
}

fz_rc fz_store_sighting_add(struct fz_store *st, const struct fz_actor *a, int64_t indicator_id,
                            const struct fz_sighting_new *s, struct fz_arena *ar, int64_t *id,
                            struct fz_ind_change *change, struct fz_err *err)
{
    if (s->count < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "count", "'count' must be positive");
    if (s->seen_ms < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "seen_ms", "a negative time");
    fz_rc rc = fz__store_check_text("channel", s->channel, 32, true, err);
    if (rc == FZ_OK)
        rc = fz__store_check_text("note", s->note, FZ_STORE_REASON_MAX, true, err);
    if (rc != FZ_OK)
        return rc;
    struct fz_arena tmp;
    fz_arena_init(&tmp, 1024);
    struct sighting_add c = {s, change ? ar : &tmp, 0, change};
    struct fz__wop op = {.fn = do_sighting_add,
                         .ctx = &c,
                         .actor = a,
                         .action = "sighting.add",
                         .object_kind = "indicator",
                         .object_id = indicator_id};
    rc = fz__store_write(st, &op);
    fz_arena_release(&tmp);
    if (rc != FZ_OK)
        return copy_err(err, &op);
    if (id)
        *id = c.id;
    return FZ_OK;
}

fz_rc fz_store_sighting_list(struct fz_store *st, const struct fz_actor *a, int64_t indicator_id,
                             int64_t after_id, int limit, struct fz_arena *ar,
                             struct fz_sighting **out, size_t *n, int64_t *next_after,
                             struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "indicators are not public");
    if (limit == 0)
        limit = 50;
    if (limit < 1 || limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    int64_t scope = fz__store_scope(a);
    struct fz__reader *r = fz__store_reader(st);
    struct fz_indicator x;
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->ind_get(r->conn, indicator_id, scope, ar, &x);
        if (rc == FZ_OK)
            rc = st->be->sighting_list(r->conn, indicator_id, scope, after_id, limit + 1, ar, out,
                                       n);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "indicator %lld not found", (long long)indicator_id);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "listing sightings");
    if (next_after)
        *next_after = *n > (size_t)limit ? (*out)[limit - 1].id : 0;
    if (*n > (size_t)limit)
        *n = (size_t)limit;
    return FZ_OK;
}

fz_rc fz_store_intel_load(struct fz_store *st, fz_store_ind_cb *cb, void *ud, struct fz_err *err)
{
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->intel_walk(r->conn, cb, ud);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "loading indicators");
}
