/*
 * trace/trace: follows victims' money forward through the graph. One pass over the edges in
 * global time order, limited to the accounts the money reaches: each such account keeps a ledger
 * of lots (amount, whose money, which flow brought it, hop), rebuilt from its history when money
 * first reaches it, and each payment takes lots under FIFO, LIFO or proportional allocation.
 * A binary heap of the reached accounts' next payments yields the edges in order; money paid
 * in by accounts the trace has not reached is added lazily, just before it matters;
 * docs/internals/trace.md explains why this is not an igraph traversal.
 */
#include "compat.h"

#include "trace_int.h"

#include <stdlib.h>

FZ_LOG_MODULE(trace);

const char *fz_trace_rule_name(enum fz_trace_rule r)
{
    return r == FZ_TRACE_FIFO ? "fifo" : r == FZ_TRACE_LIFO ? "lifo" : "proportional";
}

bool fz_trace_rule_parse(const char *s, enum fz_trace_rule *out)
{
    static const enum fz_trace_rule all[] = {FZ_TRACE_FIFO, FZ_TRACE_LIFO, FZ_TRACE_PROPORTIONAL};
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(s, fz_trace_rule_name(all[i])))
            return *out = all[i], true;
    return false;
}

/* A holding of money in an account; victim FZ_TRACE_NONE is money the trace does not follow. */
struct lot {
    int64_t amount;
    int64_t arrived;
    uint32_t victim, flow;
    int hop;
};

/* An account the money reached. lots[head..n) oldest first; balance is their sum. Untraced
 * money paid in by accounts the money has not reached is added lazily, before the account next
 * pays or receives traced money: in_edges[in_pos..in_end) are the incoming edges not yet seen. */
struct acct {
    uint32_t id;
    uint32_t reached; /* the rank of the edge that reached it */
    uint32_t in_pos, in_end;
    int64_t balance;
    struct lot *lots;
    size_t head, n, cap;
};

/* A reached account's next payment: its outgoing edges [pos, end). */
struct event {
    uint32_t rank;
    uint32_t st; /* index into run.accts */
    uint32_t pos, end;
};

/* A victim's payment: edge (by rank), the victim and how much of it is the loss. */
struct seed {
    uint32_t rank, victim;
    int64_t amount;
};

/* Money taken from an account by one payment. */
struct part {
    uint32_t victim, flow;
    int hop;
    int64_t amount;
};

struct run {
    const struct fz_trace_graph *g;
    const struct fz_trace_opts *o;
    struct fz_trace_result *res;
    int64_t *deadline;  /* per victim */
    uint32_t *state_of; /* account -> index into accts + 1 (0: not reached) */
    struct acct *accts;
    size_t n_accts, cap_accts;
    struct event *heap;
    size_t n_heap, cap_heap;
    struct seed *seeds;
    size_t n_seeds;
    struct part *parts;
    size_t n_parts, cap_parts;
    size_t cap_flows;
};

/* ---- the heap of cursors ------------------------------------------------------------------- */

static void heap_sift_down(struct event *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].rank < h[m].rank)
            m = l;
        if (l + 1 < n && h[l + 1].rank < h[m].rank)
            m = l + 1;
        if (m == i)
            return;
        struct event t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static fz_rc heap_push(struct run *R, struct event ev)
{
    if (R->n_heap == R->cap_heap) {
        size_t cap = R->cap_heap ? R->cap_heap * 2 : 256;
        struct event *h = fz_realloc(R->heap, cap * sizeof *h);
        if (!h)
            return FZ_E(FZ_ENOMEM);
        R->heap = h;
        R->cap_heap = cap;
    }
    size_t i = R->n_heap++;
    while (i && R->heap[(i - 1) / 2].rank > ev.rank) {
        R->heap[i] = R->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    R->heap[i] = ev;
    return FZ_OK;
}

/* Moves the top cursor one edge on (dropping it at its end or past the window). */
static void heap_advance_top(struct run *R)
{
    struct event *ev = &R->heap[0];
    if (++ev->pos < ev->end) {
        if (R->g->e_time[ev->pos] <= R->res->window_end) {
            ev->rank = R->g->e_rank[ev->pos];
            heap_sift_down(R->heap, R->n_heap, 0);
            return;
        }
    }
    R->heap[0] = R->heap[--R->n_heap];
    heap_sift_down(R->heap, R->n_heap, 0);
}

/* ---- ledgers ------------------------------------------------------------------------------- */

static fz_rc lot_push(struct acct *a, struct lot l)
{
    if (l.amount <= 0)
        return FZ_OK;
    a->balance += l.amount;
    if (l.victim == FZ_TRACE_NONE && a->n > a->head && a->lots[a->n - 1].victim == FZ_TRACE_NONE) {
        a->lots[a->n - 1].amount += l.amount;
        return FZ_OK;
    }
    if (a->head > 32 && a->head * 2 > a->n) { /* reuse the space FIFO consumed */
        memmove(a->lots, a->lots + a->head, (a->n - a->head) * sizeof *a->lots);
        a->n -= a->head;
        a->head = 0;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        struct lot *p = fz_realloc(a->lots, cap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        a->lots = p;
        a->cap = cap;
    }
    a->lots[a->n++] = l;
    return FZ_OK;
}

/* Records money taken by the current payment, followed or not, in the order it was taken. */
static fz_rc part_add(struct run *R, const struct lot *l, int64_t amount)
{
    if (amount <= 0)
        return FZ_OK;
    if (R->n_parts == R->cap_parts) {
        size_t cap = R->cap_parts ? R->cap_parts * 2 : 64;
        struct part *p = fz_realloc(R->parts, cap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        R->parts = p;
        R->cap_parts = cap;
    }
    R->parts[R->n_parts++] = (struct part){l->victim, l->flow, l->hop, amount};
    return FZ_OK;
}

/* FIFO takes from the head, LIFO from the tail, x <= balance. */
static fz_rc take_ordered(struct run *R, struct acct *a, int64_t x, bool is_fifo)
{
    while (x > 0 && a->n > a->head) {
        struct lot *l = is_fifo ? &a->lots[a->head] : &a->lots[a->n - 1];
        int64_t t = l->amount < x ? l->amount : x;
        fz_rc rc = part_add(R, l, t);
        if (rc)
            return rc;
        l->amount -= t;
        a->balance -= t;
        x -= t;
        if (l->amount == 0) {
            if (is_fifo)
                a->head++;
            else
                a->n--;
        }
    }
    return FZ_OK;
}

/* Every lot gives floor(lot * x / balance); the fen left over by rounding come one each from
 * the lots in order that still have money after their share (at least as many as fen are left,
 * since each fen left is a fraction of some lot). One part per lot. x < balance. */
static fz_rc take_proportional(struct run *R, struct acct *a, int64_t x)
{
    size_t n = a->n - a->head, base = R->n_parts;
    if (R->n_parts + n > R->cap_parts) {
        size_t cap = (R->n_parts + n) * 2;
        struct part *p = fz_realloc(R->parts, cap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        R->parts = p;
        R->cap_parts = cap;
    }
    int64_t given = 0, b = a->balance;
    for (size_t i = 0; i < n; i++) {
        const struct lot *l = &a->lots[a->head + i];
        int64_t t = (int64_t)((__int128)l->amount * x / b);
        R->parts[base + i] = (struct part){l->victim, l->flow, l->hop, t};
        given += t;
    }
    for (size_t i = 0; i < n && given < x; i++)
        if (a->lots[a->head + i].amount > R->parts[base + i].amount) {
            R->parts[base + i].amount++;
            given++;
        }
    size_t w = a->head, k = base;
    for (size_t i = 0; i < n; i++) {
        struct lot l = a->lots[a->head + i];
        l.amount -= R->parts[base + i].amount;
        if (R->parts[base + i].amount > 0)
            R->parts[k++] = R->parts[base + i];
        if (l.amount > 0)
            a->lots[w++] = l;
    }
    R->n_parts = k;
    a->n = w;
    a->balance -= x;
    return FZ_OK;
}

/* Takes x from the account's money into R->parts (the followed part of it). A payment larger
 * than the balance empties the account: the rest comes from money the data does not show. */
static fz_rc take(struct run *R, struct acct *a, int64_t x)
{
    if (x >= a->balance) {
        fz_rc rc = take_ordered(R, a, a->balance, true);
        a->head = a->n = 0;
        a->balance = 0;
        return rc;
    }
    switch (R->o->rule) {
    case FZ_TRACE_FIFO: return take_ordered(R, a, x, true);
    case FZ_TRACE_LIFO: return take_ordered(R, a, x, false);
    default: return take_proportional(R, a, x);
    }
}

/* ---- accounts the money reaches ------------------------------------------------------------ */

/* The first position in list[0..n) (edges in rank order, through map when not NULL) whose rank
 * is above rank. */
static uint32_t after_rank(const struct fz_trace_graph *g, uint32_t lo, uint32_t hi,
                           const uint32_t *map, uint32_t rank)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t e = map ? map[mid] : mid;
        if (g->e_rank[e] <= rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The balance of account a from its history before rank (never below zero). */
static int64_t history_balance(const struct fz_trace_graph *g, uint32_t a, uint32_t out_end,
                               uint32_t in_end)
{
    uint32_t o = g->out_off[a], i = g->in_off[a];
    int64_t b = 0;
    while (o < out_end || i < in_end) {
        bool is_in = o >= out_end || (i < in_end && g->e_rank[g->in_edges[i]] < g->e_rank[o]);
        if (is_in) {
            int64_t x = g->e_amount[g->in_edges[i++]];
            b = b > INT64_MAX - x ? INT64_MAX : b + x;
        } else {
            int64_t x = g->e_amount[o++];
            b = x >= b ? 0 : b - x;
        }
    }
    return b;
}

static fz_rc push_cursor(struct run *R, uint32_t st, uint32_t pos, uint32_t end)
{
    if (pos >= end || R->g->e_time[pos] > R->res->window_end)
        return FZ_OK;
    return heap_push(R, (struct event){R->g->e_rank[pos], st, pos, end});
}

/* Adds the untraced money paid into account a before rank: incoming edges from accounts the
 * money had not reached when they paid (the others paid in through their own ledgers). */
static fz_rc catch_up(struct run *R, struct acct *a, uint32_t rank)
{
    const struct fz_trace_graph *g = R->g;
    for (; a->in_pos < a->in_end; a->in_pos++) {
        uint32_t e = g->in_edges[a->in_pos];
        if (g->e_rank[e] >= rank)
            break;
        uint32_t s = R->state_of[g->e_from[e]];
        if (s && R->accts[s - 1].reached < g->e_rank[e])
            continue;
        fz_rc rc = lot_push(
            a, (struct lot){g->e_amount[e], g->e_time[e], FZ_TRACE_NONE, FZ_TRACE_NONE, 0});
        if (rc)
            return rc;
    }
    return FZ_OK;
}

/* Starts following account a at edge rank (its money before that edge is untraced). */
static fz_rc reach(struct run *R, uint32_t a, uint32_t rank, struct acct **out)
{
    const struct fz_trace_graph *g = R->g;
    if (R->state_of[a]) {
        *out = &R->accts[R->state_of[a] - 1];
        return FZ_OK;
    }
    if (R->n_accts == R->cap_accts) {
        size_t cap = R->cap_accts ? R->cap_accts * 2 : 64;
        struct acct *p = fz_realloc(R->accts, cap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        R->accts = p;
        R->cap_accts = cap;
    }
    uint32_t st = (uint32_t)R->n_accts++;
    R->state_of[a] = st + 1;
    struct acct *s = &R->accts[st];
    *s = (struct acct){.id = a, .reached = rank, .in_end = g->in_off[a + 1]};
    uint32_t out_pos = after_rank(g, g->out_off[a], g->out_off[a + 1], NULL, rank);
    uint32_t in_pos = after_rank(g, g->in_off[a], g->in_off[a + 1], g->in_edges, rank);
    /* the edge at rank itself is being paid in now: leave it out of the history */
    uint32_t in_hist = in_pos;
    if (in_hist > g->in_off[a] && g->e_rank[g->in_edges[in_hist - 1]] == rank)
        in_hist--;
    fz_rc rc = lot_push(s, (struct lot){.amount = history_balance(g, a, out_pos, in_hist),
                                        .victim = FZ_TRACE_NONE,
                                        .flow = FZ_TRACE_NONE});
    s->in_pos = in_pos;
    if (!rc)
        rc = push_cursor(R, st, out_pos, g->out_off[a + 1]);
    *out = &R->accts[st]; /* push_cursor does not move accts */
    return rc;
}

/* ---- one payment --------------------------------------------------------------------------- */

static fz_rc flow_add(struct run *R, struct fz_trace_flow f)
{
    struct fz_trace_result *res = R->res;
    if (res->n_flows == R->cap_flows) {
        size_t cap = R->cap_flows ? R->cap_flows * 2 : 256;
        struct fz_trace_flow *p = fz_realloc(res->flows, cap * sizeof *p);
        if (!p)
            return FZ_E(FZ_ENOMEM);
        res->flows = p;
        R->cap_flows = cap;
    }
    res->flows[res->n_flows++] = f;
    return FZ_OK;
}

/* Whether part p moves on to the receiver of an edge at time t (else it is stopped). */
static bool is_followed(const struct run *R, const struct part *p, int64_t t)
{
    return p->victim != FZ_TRACE_NONE && p->hop < R->o->max_hops && t <= R->deadline[p->victim];
}

/* Books one victim's part of edge e: followed to hop + 1 (a new flow), or stopped. */
static fz_rc book(struct run *R, uint32_t e, struct part *p, uint32_t *flow)
{
    struct fz_trace_victim_sum *s = &R->res->sums[p->victim];
    if (!is_followed(R, p, R->g->e_time[e])) {
        s->stopped[p->hop] += p->amount;
        s->stopped_fen += p->amount;
        p->victim = FZ_TRACE_NONE; /* money the receiver holds untraced */
        return FZ_OK;
    }
    if (p->hop > 0)
        s->out[p->hop] += p->amount;
    s->in[p->hop + 1] += p->amount;
    *flow = (uint32_t)R->res->n_flows;
    return flow_add(R, (struct fz_trace_flow){p->victim, p->flow, e, p->hop + 1, p->amount});
}

/* Pays the parts taken for edge e into its receiver, in the order they were taken (for LIFO,
 * oldest first again), so money keeps its relative age from one account to the next. */
static fz_rc pay_in(struct run *R, uint32_t e)
{
    const struct fz_trace_graph *g = R->g;
    uint32_t to = g->e_to[e];
    int64_t t = g->e_time[e], paid = 0;
    bool any = false;
    for (size_t i = 0; i < R->n_parts; i++)
        any |= is_followed(R, &R->parts[i], t);
    struct acct *b = NULL;
    if (any || R->state_of[to]) {
        fz_rc rc = reach(R, to, g->e_rank[e], &b);
        if (!rc)
            rc = catch_up(R, b, g->e_rank[e]);
        if (rc)
            return rc;
        if (b->in_pos < b->in_end && g->in_edges[b->in_pos] == e)
            b->in_pos++; /* paid in here */
    }
    bool is_reversed = R->o->rule == FZ_TRACE_LIFO;
    for (size_t k = 0; k < R->n_parts; k++) {
        struct part *p = &R->parts[is_reversed ? R->n_parts - 1 - k : k];
        uint32_t flow = FZ_TRACE_NONE;
        fz_rc rc = p->victim == FZ_TRACE_NONE ? FZ_OK : book(R, e, p, &flow);
        if (!rc && b)
            rc = lot_push(b, (struct lot){p->amount, t, p->victim, flow, p->hop + 1});
        if (rc)
            return rc;
        paid += p->amount;
    }
    if (!b) /* money from outside what the data shows */
        return FZ_OK;
    return lot_push(b, (struct lot){g->e_amount[e] - paid, t, FZ_TRACE_NONE, FZ_TRACE_NONE, 0});
}

/* The victim's payment on this edge is the victim's own money: carved out of the money the
 * payment takes that nobody else's trace claims (the payer's untraced lots, or money beyond what
 * the data shows), and put first. If other victims' money fills the payment (the victim's
 * account was itself reached), the victim's part shrinks and so does what it paid. */
static fz_rc carve_seed(struct run *R, const struct seed *seed, int64_t x)
{
    int64_t want = seed->amount, got = 0, taken = 0;
    for (size_t i = 0; i < R->n_parts; i++) {
        struct part *p = &R->parts[i];
        taken += p->amount;
        if (p->victim == FZ_TRACE_NONE && got < want) {
            int64_t t = p->amount < want - got ? p->amount : want - got;
            p->amount -= t;
            got += t;
        }
    }
    got += x - taken < want - got ? x - taken : want - got;
    R->res->sums[seed->victim].paid_fen -= want - got;
    struct lot l = {.victim = seed->victim, .flow = FZ_TRACE_NONE, .hop = 0};
    fz_rc rc = part_add(R, &l, got);
    if (rc || got == 0)
        return rc;
    struct part first = R->parts[R->n_parts - 1];
    memmove(R->parts + 1, R->parts, (R->n_parts - 1) * sizeof *R->parts);
    R->parts[0] = first;
    return FZ_OK;
}

/* Edge e: what the sender's ledger gives (all of it untraced when the sender was not reached),
 * with the victim's payment (seed, may be NULL) carved out of it. */
static fz_rc pay(struct run *R, uint32_t e, const struct seed *seed)
{
    const struct fz_trace_graph *g = R->g;
    int64_t x = g->e_amount[e];
    uint32_t st = R->state_of[g->e_from[e]];
    R->n_parts = 0;
    fz_rc rc;
    if (st) {
        rc = catch_up(R, &R->accts[st - 1], g->e_rank[e]);
        if (!rc)
            rc = take(R, &R->accts[st - 1], x);
    } else
        rc = part_add(R, &(struct lot){.victim = FZ_TRACE_NONE, .flow = FZ_TRACE_NONE}, x);
    if (!rc && seed)
        rc = carve_seed(R, seed, x);
    return rc ? rc : pay_in(R, e);
}

/* ---- set-up -------------------------------------------------------------------------------- */

static int cmp_seed(const void *a, const void *b)
{
    uint32_t x = ((const struct seed *)a)->rank, y = ((const struct seed *)b)->rank;
    return x < y ? -1 : x > y;
}

/* Each victim's payments: its outgoing edges from its time, up to the loss. */
static fz_rc find_seeds(struct run *R, const struct fz_trace_victim *v, size_t n)
{
    const struct fz_trace_graph *g = R->g;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t left = v[i].loss_fen;
        for (uint32_t e = g->out_off[v[i].account]; e < g->out_off[v[i].account + 1] && left > 0;
             e++) {
            if (g->e_time[e] < v[i].time || g->e_amount[e] == 0)
                continue;
            if (g->e_time[e] > R->deadline[i])
                break;
            if (R->n_seeds == cap) {
                cap = cap ? cap * 2 : 16;
                struct seed *p = fz_realloc(R->seeds, cap * sizeof *p);
                if (!p)
                    return FZ_E(FZ_ENOMEM);
                R->seeds = p;
            }
            int64_t s = g->e_amount[e] < left ? g->e_amount[e] : left;
            R->seeds[R->n_seeds++] = (struct seed){g->e_rank[e], (uint32_t)i, s};
            R->res->sums[i].paid_fen += s;
            left -= s;
        }
    }
    if (R->n_seeds > 1)
        qsort(R->seeds, R->n_seeds, sizeof *R->seeds, cmp_seed);
    return FZ_OK;
}

static fz_rc check_input(const struct fz_trace_graph *g, const struct fz_trace_victim *v, size_t n,
                         const struct fz_trace_opts *o, struct fz_err *err)
{
    if (o->max_hops < 1 || o->max_hops > FZ_TRACE_MAX_HOPS)
        return fz_err_set(err, FZ_EINVAL, "hop limit %d is not in 1..%d", o->max_hops,
                          FZ_TRACE_MAX_HOPS);
    if (o->window_s < 0 || o->window_s > (int64_t)100 * 366 * 86400)
        return fz_err_set(err, FZ_EINVAL, "bad time window %lld s", (long long)o->window_s);
    if (n == 0 || n > FZ_TRACE_NONE / 2)
        return fz_err_set(err, FZ_EINVAL, "no victims");
    for (size_t i = 0; i < n; i++) {
        if (v[i].account >= g->n_acc)
            return fz_err_set(err, FZ_EINVAL, "victim %zu: no such account", i + 1);
        if (v[i].loss_fen <= 0)
            return fz_err_set(err, FZ_EINVAL, "victim %zu: the loss must be above zero", i + 1);
        if (v[i].time < -((int64_t)1 << 40) || v[i].time > (int64_t)1 << 40)
            return fz_err_set(err, FZ_EINVAL, "victim %zu: time out of range", i + 1);
        for (size_t j = 0; j < i; j++)
            if (v[j].account == v[i].account)
                return fz_err_set(err, FZ_EINVAL, "victim %zu: the same account as victim %zu",
                                  i + 1, j + 1);
    }
    return FZ_OK;
}

/* ---- the pass ------------------------------------------------------------------------------ */

static fz_rc pass(struct run *R)
{
    const struct fz_trace_graph *g = R->g;
    size_t sp = 0;
    for (;;) {
        uint32_t rh = R->n_heap ? R->heap[0].rank : UINT32_MAX;
        uint32_t rs = sp < R->n_seeds ? R->seeds[sp].rank : UINT32_MAX;
        uint32_t rank = rh < rs ? rh : rs;
        if (rank == UINT32_MAX)
            return FZ_OK;
        uint32_t e = g->by_rank[rank];
        const struct seed *seed = rs == rank ? &R->seeds[sp++] : NULL;
        if (rh == rank) /* one cursor per edge: its sender's */
            heap_advance_top(R);
        fz_rc rc = pay(R, e, seed);
        if (rc)
            return rc;
    }
}

static int cmp_holding(const void *a, const void *b)
{
    const struct fz_trace_holding *x = a, *y = b;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    return x->victim < y->victim ? -1 : x->victim > y->victim;
}

/* What is left in the accounts, one holding per account and victim. */
static fz_rc collect_holdings(struct run *R)
{
    struct fz_trace_result *res = R->res;
    size_t n = 0, cap = 0;
    for (size_t s = 0; s < R->n_accts; s++) {
        struct acct *a = &R->accts[s];
        size_t first = n;
        for (size_t i = a->head; i < a->n; i++) {
            const struct lot *l = &a->lots[i];
            if (l->victim == FZ_TRACE_NONE || l->amount == 0)
                continue;
            res->sums[l->victim].held[l->hop] += l->amount;
            res->sums[l->victim].held_fen += l->amount;
            size_t k = first;
            while (k < n && res->holdings[k].victim != l->victim)
                k++;
            if (k == n) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    struct fz_trace_holding *p = fz_realloc(res->holdings, cap * sizeof *p);
                    if (!p)
                        return FZ_E(FZ_ENOMEM);
                    res->holdings = p;
                }
                res->holdings[n++] =
                    (struct fz_trace_holding){a->id, l->victim, 0, l->arrived, l->hop};
            }
            struct fz_trace_holding *h = &res->holdings[k];
            h->amount_fen += l->amount;
            h->arrived = l->arrived < h->arrived ? l->arrived : h->arrived;
            h->hop = l->hop < h->hop ? l->hop : h->hop;
        }
    }
    res->n_holdings = n;
    if (n > 1)
        qsort(res->holdings, n, sizeof *res->holdings, cmp_holding);
    return FZ_OK;
}

static fz_rc run_pass(struct run *R, const struct fz_trace_victim *v, size_t n)
{
    struct fz_trace_result *res = R->res;
    res->window_end = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        R->deadline[i] = v[i].time + R->o->window_s;
        if (R->deadline[i] > res->window_end)
            res->window_end = R->deadline[i];
    }
    fz_rc rc = find_seeds(R, v, n);
    if (!rc)
        rc = pass(R);
    if (!rc)
        rc = collect_holdings(R);
    fz_log(FZ_LOG_DEBUG, "%zu victims: %zu accounts reached, %zu flows", n, R->n_accts,
           res->n_flows);
    return rc;
}

fz_rc fz_trace_run(const struct fz_trace_graph *g, const struct fz_trace_victim *victims,
                   size_t n_victims, const struct fz_trace_opts *o, struct fz_trace_result *out,
                   struct fz_err *err)
{
    fz_rc rc = check_input(g, victims, n_victims, o, err);
    if (rc)
        return rc;
    struct fz_trace_result res = {.n_victims = n_victims};
    struct run R = {.g = g, .o = o, .res = &res};
    res.victims = fz_mallocarray(n_victims, sizeof *res.victims);
    res.sums = fz_calloc(n_victims, sizeof *res.sums);
    R.deadline = fz_mallocarray(n_victims, sizeof *R.deadline);
    R.state_of = fz_calloc(g->n_acc ? g->n_acc : 1, sizeof *R.state_of);
    if (!res.victims || !res.sums || !R.deadline || !R.state_of)
        rc = FZ_E(FZ_ENOMEM);
    else {
        memcpy(res.victims, victims, n_victims * sizeof *victims);
        rc = run_pass(&R, victims, n_victims);
    }
    for (size_t s = 0; s < R.n_accts; s++)
        fz_free(R.accts[s].lots);
    fz_free(R.accts);
    fz_free(R.heap);
    fz_free(R.seeds);
    fz_free(R.parts);
    fz_free(R.deadline);
    fz_free(R.state_of);
    if (rc) {
        fz_trace_result_release(&res);
        return fz_err_set(err, rc, "tracing: %s", fz_strerror(rc));
    }
    *out = res;
    return FZ_OK;
}

void fz_trace_result_release(struct fz_trace_result *r)
{
    if (!r)
        return;
    fz_free(r->victims);
    fz_free(r->sums);
    fz_free(r->flows);
    fz_free(r->holdings);
    memset(r, 0, sizeof *r);
}
