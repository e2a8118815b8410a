/*
 * store/rewards.c: rewards for confirmed reports (有奖举报): the rule amount, proposals, the
 * workflow proposed → approved → paid (or → cancelled) with four-eyes approval against a yearly
 * budget per organisation, the budgets, and the ledger auditors export.
 *
 * Backend-neutral like reports.c: each write validates on the caller's thread, then runs on the
 * writer in its own savepoint with its audit record; every change also appends a ledger row
 * (reward_events) in the same op. Transitions check the version the caller read. Amounts are
 * int64 fen; every sum is checked before it is made. No reward row, ledger row, audit detail or
 * message carries the reporter's personal data: a reward names its report by id only.
 */
#include "compat.h"

#include "store_int.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[FZ_REWARD__STATUSES] = {"proposed", "approved", "paid",
                                                              "cancelled"};

/* The reward primitives of the store's backend (see the NEEDSWORK in store_int.h). */
static const struct fz__store_reward_ops *rw(const struct fz_store *st)
{
    (void)st;
    return &fz__store_sqlite_rewards;
}

const char *fz_reward_status_name(enum fz_reward_status s)
{
    return (unsigned)s < FZ_REWARD__STATUSES ? status_names[s] : NULL;
}

bool fz_reward_status_parse(const char *s, size_t len, enum fz_reward_status *out)
{
    for (int i = 0; s && i < FZ_REWARD__STATUSES; i++)
        if (strlen(status_names[i]) == len && memcmp(status_names[i], s, len) == 0) {
            *out = (enum fz_reward_status)i;
            return true;
        }
    return false;
}

void fz_reward_filter_init(struct fz_reward_filter *f)
{
    memset(f, 0, sizeof *f);
    f->status = -1;
}

int64_t fz_reward_rule_fen(int64_t loss_fen, int n_indicators)
{
    int64_t fen = FZ_REWARD_RULE_BASE_FEN;
    if (loss_fen >= FZ_REWARD_RULE_LOSS2_FEN)
        fen += FZ_REWARD_RULE_LOSS2_ADD;
    else if (loss_fen >= FZ_REWARD_RULE_LOSS1_FEN)
        fen += FZ_REWARD_RULE_LOSS1_ADD;
    int n = n_indicators < 0 ? 0 : n_indicators;
    if (n > FZ_REWARD_RULE_IND_MAX)
        n = FZ_REWARD_RULE_IND_MAX;
    return fen + n * FZ_REWARD_RULE_IND_ADD;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int fz_reward_year(int64_t at_ms)
{
    /* Clamped to +-10^15 ms (about 31,000 years) so that nothing below can overflow. */
    const int64_t lim = 1000000000000000;
    int64_t ms = at_ms > lim ? lim : at_ms < -lim ? -lim : at_ms;
    /* Days since 1970-01-01 in UTC+8 (China has no daylight saving time), then the civil
     * year of that day (proleptic Gregorian; eras of 400 years from 0000-03-01). */
    int64_t z = floor_div(ms + 8 * 3600 * 1000, 86400000) + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153; /* 0 = March ... 11 = February */
    return (int)(yoe + era * 400 + (mp >= 10 ? 1 : 0));
}

/* fen as yuan with two decimals: "1234.56", "-0.05". */
static const char *yuan(char *out, size_t cap, int64_t fen)
{
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, cap, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(u / 100),
             (unsigned long long)(u % 100));
    return out;
}

static fz_rc copy_err(struct fz_err *err, const struct fz__wop *op)
{
    if (err && op->rc != FZ_OK)
        *err = op->err;
    return op->rc;
}

/* approved + paid without overflow (saturating: a sum that large exceeds any budget). */
static int64_t used_fen(int64_t approved, int64_t paid)
{
    return approved > INT64_MAX - paid ? INT64_MAX : approved + paid;
}

/* ---- roles ---------------------------------------------------------------------------------- */

static bool has_role(const struct fz_actor *a, enum fz_role r)
{
    return fz__store_trusted(a) || (a->kind != FZ_ACTOR_ANON && a->role == r);
}

static bool may_read(const struct fz_actor *a)
{
    return has_role(a, FZ_ROLE_ADMIN) || has_role(a, FZ_ROLE_ANALYST) ||
           has_role(a, FZ_ROLE_AUDITOR);
}

static bool may_move(const struct fz_actor *a, enum fz_reward_status to)
{
    if (to == FZ_REWARD_PAID)
        return has_role(a, FZ_ROLE_ADMIN);
    return has_role(a, FZ_ROLE_ADMIN) || has_role(a, FZ_ROLE_ANALYST);
}

static bool allowed(enum fz_reward_status from, enum fz_reward_status to)
{
    switch (to) {
    case FZ_REWARD_APPROVED: return from == FZ_REWARD_PROPOSED;
    case FZ_REWARD_PAID: return from == FZ_REWARD_APPROVED;
    case FZ_REWARD_CANCELLED: return from == FZ_REWARD_PROPOSED || from == FZ_REWARD_APPROVED;
    default: return false;
    }
}

/* ---- propose -------------------------------------------------------------------------------- */

struct propose {
    int64_t report_id;
    int64_t amount_fen; /* 0 = by rule */
    const char *basis;  /* NULL or "" = none */
    int64_t id;
};

static fz_rc propose_amount(struct fz__wop *op, const struct propose *c,
                            const struct fz__reward_report *rep, int64_t *amount)
{
    *amount = c->amount_fen ? c->amount_fen : fz_reward_rule_fen(rep->loss_fen, rep->n_confirmed);
    if (*amount <= 0)
        return fz_err_setloc(&op->err, FZ_EINVAL, 0, "amount_fen",
                             "the rule gives report %lld no reward", (long long)c->report_id);
    if (*amount > FZ_REWARD_MAX_FEN) {
        char m[32];
        return fz_err_setloc(&op->err, FZ_EINVAL, 0, "amount_fen",
                             "'amount_fen' is more than %s yuan",
                             yuan(m, sizeof m, FZ_REWARD_MAX_FEN));
    }
    return FZ_OK;
}

static fz_rc do_propose(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct propose *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!has_role(a, FZ_ROLE_ANALYST))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only analysts propose rewards");
    struct fz__reward_report rep;
    fz_rc rc = rw(st)->report(conn, c->report_id, fz__store_scope(a), &rep);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(&op->err, rc, 0, "report_id", "report %lld not found",
                             (long long)c->report_id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "proposing a reward");
    if (rep.status != FZ_REPORT_CONFIRMED)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "report_id",
                             "report %lld is %s: only a confirmed report earns a reward",
                             (long long)c->report_id, fz_report_status_name(rep.status));
    if (rep.active_id)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "report_id",
                             "report %lld already has reward %lld (%s)", (long long)c->report_id,
                             (long long)rep.active_id, fz_reward_status_name(rep.active_status));
    int64_t amount;
    rc = propose_amount(op, c, &rep, &amount);
    if (rc != FZ_OK)
        return rc;
    char who[32];
    fz__store_actor_text(a, who, sizeof who);
    const char *basis = c->basis && *c->basis ? c->basis : NULL;
    struct fz_reward row = {.report_id = c->report_id,
                            .org_id = rep.org_id,
                            .year = fz_reward_year(op->now_ms),
                            .amount_fen = amount,
                            .by_rule = c->amount_fen == 0,
                            .basis = basis,
                            .proposed_by = who,
                            .proposed_ms = op->now_ms};
    rc = rw(st)->insert(conn, &row, &c->id);
    if (rc == FZ_ECONFLICT)
        return fz_err_setloc(&op->err, rc, 0, "report_id", "report %lld already has a reward",
                             (long long)c->report_id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "proposing a reward");
    char ref[FZ_STORE_REASON_MAX + 8];
    if (row.by_rule)
        snprintf(ref, sizeof ref, "rule%s%s", basis ? "; " : "", basis ? basis : "");
    struct fz__reward_event ev = {.org_id = rep.org_id,
                                  .year = row.year,
                                  .reward_id = c->id,
                                  .report_id = c->report_id,
                                  .at_ms = op->now_ms,
                                  .action = "proposed",
                                  .amount_fen = amount,
                                  .actor = who,
                                  .reference = row.by_rule ? ref : basis};
    rc = rw(st)->event(conn, &ev);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "proposing a reward");
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail,
             "report=%lld year=%d amount_fen=%lld by_rule=%d loss_fen=%lld indicators=%d",
             (long long)c->report_id, row.year, (long long)amount, row.by_rule,
             (long long)rep.loss_fen, rep.n_confirmed);
    return FZ_OK;
}

fz_rc fz_store_reward_propose(struct fz_store *st, const struct fz_actor *a, int64_t report_id,
                              int64_t amount_fen, const char *basis, int64_t *id,
                              struct fz_err *err)
{
    if (report_id <= 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "report_id", "'report_id' is required");
    if (amount_fen < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "amount_fen", "'amount_fen' must not be negative");
    if (amount_fen > FZ_REWARD_MAX_FEN) {
        char m[32];
        return fz_err_setloc(err, FZ_EINVAL, 0, "amount_fen", "'amount_fen' is more than %s yuan",
                             yuan(m, sizeof m, FZ_REWARD_MAX_FEN));
    }
    /* An amount set by hand says why. */
    fz_rc rc = fz__store_check_text("basis", basis, FZ_STORE_REASON_MAX, amount_fen == 0, err);
    if (rc != FZ_OK)
        return rc;
    struct propose c = {.report_id = report_id, .amount_fen = amount_fen, .basis = basis};
    struct fz__wop op = {.fn = do_propose,
                         .ctx = &c,
                         .actor = a,
                         .action = "reward.propose",
                         .object_kind = "reward"};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    if (id)
        *id = c.id;
    return FZ_OK;
}

/* ---- approve, pay, cancel ------------------------------------------------------------------- */

struct move {
    int version;
    enum fz_reward_status to;
    const char *text; /* payment reference or cancel reason */
    int new_version;
};

static const char *verb(enum fz_reward_status to)
{
    return to == FZ_REWARD_APPROVED ? "approve" : to == FZ_REWARD_PAID ? "pay" : "cancel";
}

/* The organisation's budget for w's year must cover w on top of what is approved or paid. */
static fz_rc check_budget(struct fz_store *st, void *conn, struct fz__wop *op,
                          const struct fz_reward *w)
{
    int64_t budget = 0, approved = 0, paid = 0;
    fz_rc rc = rw(st)->budget_get(conn, w->org_id, w->year, &budget);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, FZ_ECONFLICT, "no reward budget for %d", w->year);
    if (rc == FZ_OK)
        rc = rw(st)->committed(conn, w->org_id, w->year, &approved, &paid);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "checking the reward budget");
    int64_t used = used_fen(approved, paid);
    int64_t left = budget - used; /* budget >= 0 and used >= 0: cannot overflow */
    if (w->amount_fen <= left)
        return FZ_OK;
    char a[32], b[32], u[32], l[32];
    return fz_err_set(&op->err, FZ_ECONFLICT,
                      "reward %lld of %s yuan exceeds the %d budget of %s yuan: %s yuan approved "
                      "or paid, %s yuan left",
                      (long long)w->id, yuan(a, sizeof a, w->amount_fen), w->year,
                      yuan(b, sizeof b, budget), yuan(u, sizeof u, used),
                      yuan(l, sizeof l, left < 0 ? 0 : left));
}

/* The checks and the change of one transition of w (read in the op's transaction). */
static fz_rc move_reward(struct fz_store *st, void *conn, struct fz__wop *op, struct move *c,
                         const struct fz_reward *w)
{
    char who[32];
    fz__store_actor_text(op->actor, who, sizeof who);
    if (c->to == FZ_REWARD_APPROVED && w->proposed_by && strcmp(w->proposed_by, who) == 0)
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "the proposer cannot approve their own reward");
    if (w->version != c->version)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "version",
                             "reward %lld was changed (version %d, not %d)", (long long)w->id,
                             w->version, c->version);
    if (!allowed(w->status, c->to))
        return fz_err_set(&op->err, FZ_ECONFLICT, "reward %lld is %s, cannot become %s",
                          (long long)w->id, fz_reward_status_name(w->status),
                          fz_reward_status_name(c->to));
    fz_rc rc = c->to == FZ_REWARD_APPROVED ? check_budget(st, conn, op, w) : FZ_OK;
    if (rc != FZ_OK)
        return rc;
    rc = rw(st)->set_status(conn, w->id, c->to, who, c->text, op->now_ms);
    struct fz__reward_event ev = {.org_id = w->org_id,
                                  .year = w->year,
                                  .reward_id = w->id,
                                  .report_id = w->report_id,
                                  .at_ms = op->now_ms,
                                  .action = fz_reward_status_name(c->to),
                                  .amount_fen = w->amount_fen,
                                  .actor = who,
                                  .reference = c->text};
    if (rc == FZ_OK)
        rc = rw(st)->event(conn, &ev);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "changing a reward");
    c->new_version = w->version + 1;
    snprintf(op->detail, sizeof op->detail, "%s -> %s report=%lld year=%d amount_fen=%lld",
             fz_reward_status_name(w->status), fz_reward_status_name(c->to),
             (long long)w->report_id, w->year, (long long)w->amount_fen);
    return FZ_OK;
}

static fz_rc do_move(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct move *c = op->ctx;
    if (!may_move(op->actor, c->to))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "this role may not %s a reward", verb(c->to));
    struct fz_arena ar;
    fz_arena_init(&ar, 1024);
    struct fz_reward w;
    fz_rc rc = rw(st)->get(conn, op->object_id, fz__store_scope(op->actor), &ar, &w);
    if (rc == FZ_ENOTFOUND)
        fz_err_set(&op->err, rc, "reward %lld not found", (long long)op->object_id);
    else if (rc != FZ_OK)
        fz__store_fail(&op->err, rc, "changing a reward");
    else
        rc = move_reward(st, conn, op, c, &w);
    fz_arena_release(&ar);
    return rc;
}

static fz_rc move(struct fz_store *st, const struct fz_actor *a, int64_t id, struct move *c,
                  const char *action, int *new_version, struct fz_err *err)
{
    struct fz__wop op = {.fn = do_move,
                         .ctx = c,
                         .actor = a,
                         .action = action,
                         .object_kind = "reward",
                         .object_id = id};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    if (new_version)
        *new_version = c->new_version;
    return FZ_OK;
}

fz_rc fz_store_reward_approve(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                              int version, int *new_version, struct fz_err *err)
{
    struct move c = {.version = version, .to = FZ_REWARD_APPROVED};
    return move(st, a, reward_id, &c, "reward.approve", new_version, err);
}

/* A payment reference: a short token of the payment system, never a person's data. */
static fz_rc check_ref(const char *ref, struct fz_err *err)
{
    size_t len = ref ? strlen(ref) : 0;
    if (len == 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "payment_ref", "'payment_ref' is required");
    if (len > FZ_REWARD_REF_MAX)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, "payment_ref",
                             "'payment_ref' is longer than %d bytes", FZ_REWARD_REF_MAX);
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = ref[i];
        bool alnum =
            (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        if (!alnum && !strchr("-_./:#", ch))
            return fz_err_setloc(err, FZ_EINVAL, 0, "payment_ref",
                                 "'payment_ref' may hold only letters, digits and -_./:#");
        digits += ch >= '0' && ch <= '9';
    }
    /* A mainland mobile number is the payee's personal data, not a reference. */
    if (len == 11 && digits == 11 && ref[0] == '1')
        return fz_err_setloc(err, FZ_EINVAL, 0, "payment_ref",
                             "'payment_ref' looks like a phone number, not a payment reference");
    return FZ_OK;
}

fz_rc fz_store_reward_pay(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                          int version, const char *payment_ref, int *new_version,
                          struct fz_err *err)
{
    fz_rc rc = check_ref(payment_ref, err);
    if (rc != FZ_OK)
        return rc;
    struct move c = {.version = version, .to = FZ_REWARD_PAID, .text = payment_ref};
    return move(st, a, reward_id, &c, "reward.pay", new_version, err);
}

fz_rc fz_store_reward_cancel(struct fz_store *st, const struct fz_actor *a, int64_t reward_id,
                             int version, const char *reason, int *new_version, struct fz_err *err)
{
    fz_rc rc = fz__store_check_text("reason", reason, FZ_STORE_REASON_MAX, false, err);
    if (rc != FZ_OK)
        return rc;
    struct move c = {.version = version, .to = FZ_REWARD_CANCELLED, .text = reason};
    return move(st, a, reward_id, &c, "reward.cancel", new_version, err);
}

/* ---- reading -------------------------------------------------------------------------------- */

fz_rc fz_store_reward_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                          struct fz_arena *ar, struct fz_reward *out, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "this role may not see rewards");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = rw(st)->get(r->conn, id, fz__store_scope(a), ar, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "reward %lld not found", (long long)id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading a reward");
}

fz_rc fz_store_reward_list(struct fz_store *st, const struct fz_actor *a,
                           const struct fz_reward_filter *f, struct fz_arena *ar,
                           struct fz_reward **out, size_t *n, int64_t *next_after,
                           struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "this role may not see rewards");
    struct fz_reward_filter q = *f;
    if (q.limit == 0)
        q.limit = 50;
    if (q.limit < 1 || q.limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    if (q.status < -1 || q.status >= FZ_REWARD__STATUSES || q.year < 0 || q.org_id < 0 ||
        q.report_id < 0 || q.after_id < 0)
        return fz_err_set(err, FZ_EINVAL, "a filter is out of range");
    int limit = q.limit;
    q.limit = limit + 1;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = rw(st)->list(r->conn, &q, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "listing rewards");
    if (next_after)
        *next_after = *n > (size_t)limit ? (*out)[limit - 1].id : 0;
    if (*n > (size_t)limit)
        *n = (size_t)limit;
    return FZ_OK;
}

static fz_rc check_year(int year, struct fz_err *err)
{
    if (year < FZ_REWARD_YEAR_MIN || year > FZ_REWARD_YEAR_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "year", "'year' must be %d to %d",
                             FZ_REWARD_YEAR_MIN, FZ_REWARD_YEAR_MAX);
    return FZ_OK;
}

/* FZ_OK when org is in the scope of a (conn is a reader or the writer). */
static fz_rc org_in_scope(struct fz_store *st, void *conn, const struct fz_actor *a, int64_t org,
                          struct fz_err *err)
{
    struct fz_arena ar;
    fz_arena_init(&ar, 512);
    struct fz_org o;
    fz_rc rc = st->be->org_get(conn, org, NULL, fz__store_scope(a), &ar, &o);
    fz_arena_release(&ar);
    if (rc == FZ_ENOTFOUND)
        return fz_err_setloc(err, rc, 0, "org_id", "organisation %lld not found", (long long)org);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading an organisation");
}

fz_rc fz_store_reward_budget_get(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                                 int year, struct fz_reward_budget *out, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "this role may not see reward budgets");
    fz_rc rc = check_year(year, err);
    if (rc != FZ_OK)
        return rc;
    struct fz_reward_budget b = {0};
    struct fz__reader *r = fz__store_reader(st);
    rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = org_in_scope(st, r->conn, a, org_id, err);
        if (rc == FZ_OK) {
            rc = rw(st)->budget_get(r->conn, org_id, year, &b.budget_fen);
            b.is_set = rc == FZ_OK;
            if (rc == FZ_OK || rc == FZ_ENOTFOUND)
                rc = rw(st)->committed(r->conn, org_id, year, &b.approved_fen, &b.paid_fen);
            if (rc != FZ_OK)
                fz__store_fail(err, rc, "reading a reward budget");
        }
        st->be->tx_rollback(r->conn);
    } else {
        fz__store_fail(err, rc, "reading a reward budget");
    }
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return rc;
    if (b.is_set)
        b.left_fen = b.budget_fen - used_fen(b.approved_fen, b.paid_fen);
    *out = b;
    return FZ_OK;
}

/* ---- budgets -------------------------------------------------------------------------------- */

struct budget {
    int64_t org_id;
    int year;
    int64_t amount_fen;
};

static fz_rc do_budget_set(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct budget *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!has_role(a, FZ_ROLE_ADMIN))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only admins set reward budgets");
    fz_rc rc = org_in_scope(st, conn, a, c->org_id, &op->err);
    if (rc != FZ_OK)
        return rc;
    int64_t was = -1, approved = 0, paid = 0;
    rc = rw(st)->budget_get(conn, c->org_id, c->year, &was);
    if (rc == FZ_OK || rc == FZ_ENOTFOUND)
        rc = rw(st)->committed(conn, c->org_id, c->year, &approved, &paid);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "setting a reward budget");
    int64_t used = used_fen(approved, paid);
    if (used > c->amount_fen) {
        char b[32], u[32];
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "amount_fen",
                             "the %d budget cannot be %s yuan: %s yuan is already approved or "
                             "paid",
                             c->year, yuan(b, sizeof b, c->amount_fen), yuan(u, sizeof u, used));
    }
    char who[32];
    fz__store_actor_text(a, who, sizeof who);
    rc = rw(st)->budget_set(conn, c->org_id, c->year, c->amount_fen, who, op->now_ms);
    struct fz__reward_event ev = {.org_id = c->org_id,
                                  .year = c->year,
                                  .at_ms = op->now_ms,
                                  .action = "budget",
                                  .amount_fen = c->amount_fen,
                                  .actor = who};
    if (rc == FZ_OK)
        rc = rw(st)->event(conn, &ev);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "setting a reward budget");
    snprintf(op->detail, sizeof op->detail, "year=%d amount_fen=%lld was=%lld", c->year,
             (long long)c->amount_fen, (long long)was);
    return FZ_OK;
}

fz_rc fz_store_reward_budget_set(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                                 int year, int64_t amount_fen, struct fz_err *err)
{
    if (org_id <= 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "org_id", "'org_id' is required");
    fz_rc rc = check_year(year, err);
    if (rc != FZ_OK)
        return rc;
    if (amount_fen < 0 || amount_fen > FZ_REWARD_BUDGET_MAX_FEN) {
        char m[32];
        return fz_err_setloc(err, FZ_EINVAL, 0, "amount_fen", "'amount_fen' must be 0 to %s yuan",
                             yuan(m, sizeof m, FZ_REWARD_BUDGET_MAX_FEN));
    }
    struct budget c = {org_id, year, amount_fen};
    struct fz__wop op = {.fn = do_budget_set,
                         .ctx = &c,
                         .actor = a,
                         .action = "reward.budget",
                         .object_kind = "org",
                         .object_id = org_id};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    return FZ_OK;
}

/* ---- the ledger ----------------------------------------------------------------------------- */

struct ledger {
    int64_t org_id; /* 0 = all */
};

static fz_rc do_ledger(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct ledger *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!has_role(a, FZ_ROLE_AUDITOR) && !has_role(a, FZ_ROLE_ADMIN))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only auditors and admins export the ledger");
    if (c->org_id == 0)
        return fz__store_scope(a) == 0
                   ? FZ_OK
                   : fz_err_setloc(&op->err, FZ_EFORBIDDEN, 0, "org_id",
                                   "only the centre exports every organisation's ledger");
    return org_in_scope(st, conn, a, c->org_id, &op->err);
}

fz_rc fz_store_reward_ledger(struct fz_store *st, const struct fz_actor *a, int64_t org_id,
                             int year, fz_store_reward_ledger_cb *cb, void *ud, struct fz_err *err)
{
    if (org_id < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "org_id", "'org_id' must not be negative");
    fz_rc rc = check_year(year, err);
    if (rc != FZ_OK)
        return rc;
    /* The export is recorded before a row is read. */
    struct ledger c = {org_id};
    struct fz__wop op = {.fn = do_ledger,
                         .ctx = &c,
                         .actor = a,
                         .action = "reward.ledger",
                         .object_kind = "org",
                         .object_id = org_id};
    snprintf(op.detail, sizeof op.detail, "year=%d org=%lld", year, (long long)org_id);
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    struct fz__reader *r = fz__store_reader(st);
    rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = rw(st)->ledger_walk(r->conn, org_id, year, cb, ud);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading the reward ledger");
}
