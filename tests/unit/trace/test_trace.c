/* Unit tests for src/trace/trace.c and refund.c: the allocation rules on small hand-made graphs,
 * the lowest intermediate balance, shared mules and refunds, and a property test over random
 * graphs for the invariants (per victim at most the loss, no account attributed more than it
 * held, money conserved at every hop, flows form trees). */
#include "support.h"

#include "fangzha/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fz_trace_graph *load(const char *csv)
{
    struct fz_trace_graph *g = NULL;
    struct fz_err err = {0};
    if (fz_trace_load_mem(csv, strlen(csv), NULL, NULL, &g, &err) != FZ_OK)
        fail_msg("load: %s", err.msg);
    return g;
}

static uint32_t acct(const struct fz_trace_graph *g, const char *id)
{
    uint32_t a = fz_trace_find(g, id, strlen(id));
    assert_int_not_equal(a, FZ_TRACE_NONE);
    return a;
}

/* What victim v still has in account id (0 when nothing). */
static int64_t held(const struct fz_trace_graph *g, const struct fz_trace_result *r, const char *id,
                    uint32_t v)
{
    uint32_t a = acct(g, id);
    for (size_t i = 0; i < r->n_holdings; i++)
        if (r->holdings[i].account == a && r->holdings[i].victim == v)
            return r->holdings[i].amount_fen;
    return 0;
}

/* M holds 100 of its own, then gets the victim's 500 and pays 200 on. */
static const char mixed[] = "id,time,from,to,amount_fen\n"
                            "T1,1000,S,M,100\n"
                            "T2,2000,V,M,500\n"
                            "T3,3000,M,X,200\n";

static void run(const struct fz_trace_graph *g, enum fz_trace_rule rule, int64_t loss,
                struct fz_trace_result *r)
{
    struct fz_trace_victim v = {acct(g, "V"), loss, 2000};
    struct fz_trace_opts o = {rule, 7, 3600 * 24};
    assert_int_equal(fz_trace_run(g, &v, 1, &o, r, NULL), FZ_OK);
}

static void test_rules(void **state)
{
    (void)state;
    struct fz_trace_graph *g = load(mixed);
    struct fz_trace_result r;
    run(g, FZ_TRACE_FIFO, 500, &r); /* own 100 leaves first, then 100 of the victim's */
    assert_int_equal(held(g, &r, "X", 0), 100);
    assert_int_equal(held(g, &r, "M", 0), 400);
    fz_trace_result_release(&r);
    run(g, FZ_TRACE_LIFO, 500, &r); /* the newest (the victim's) leaves first */
    assert_int_equal(held(g, &r, "X", 0), 200);
    assert_int_equal(held(g, &r, "M", 0), 300);
    fz_trace_result_release(&r);
    run(g, FZ_TRACE_PROPORTIONAL, 500, &r); /* 200 * 500/600 = 166.67: 166, the fen to M's own */
    assert_int_equal(held(g, &r, "X", 0), 166);
    assert_int_equal(held(g, &r, "M", 0), 334);
    assert_int_equal(r.sums[0].in[1], 500);
    assert_int_equal(r.sums[0].out[1], 166);
    assert_int_equal(r.sums[0].in[2], 166);
    fz_trace_result_release(&r);
    run(g, FZ_TRACE_FIFO, 300, &r); /* a loss below the payment: only the loss is followed */
    assert_int_equal(r.sums[0].paid_fen, 300);
    assert_int_equal(held(g, &r, "X", 0) + held(g, &r, "M", 0), 300);
    fz_trace_result_release(&r);
    fz_trace_free(g);
}

/* The balance falls to 50 before new money comes in: at most 50 of the victim's stays. */
static void test_lowest_balance(void **state)
{
    (void)state;
    struct fz_trace_graph *g = load("id,time,from,to,amount_fen\n"
                                    "T1,2000,V,M,500\n"
                                    "T2,2100,M,X,450\n"
                                    "T3,2200,S,M,1000\n"
                                    "T4,2300,M,Y,900\n"
                                    "T5,2400,M,Z,5000\n" /* more than it has: empties it */
                                    "T6,2500,S,M,700\n");
    static const enum fz_trace_rule rules[] = {FZ_TRACE_FIFO, FZ_TRACE_LIFO, FZ_TRACE_PROPORTIONAL};
    for (int i = 0; i < 3; i++) {
        struct fz_trace_result r;
        run(g, rules[i], 500, &r);
        assert_int_equal(held(g, &r, "X", 0), 450);
        assert_int_equal(held(g, &r, "M", 0), 0);
        assert_int_equal(held(g, &r, "X", 0) + held(g, &r, "Y", 0) + held(g, &r, "Z", 0), 500);
        if (rules[i] == FZ_TRACE_FIFO)
            assert_int_equal(held(g, &r, "Y", 0), 50);
        if (rules[i] == FZ_TRACE_LIFO)
            assert_int_equal(held(g, &r, "Z", 0), 50);
        fz_trace_result_release(&r);
    }
    fz_trace_free(g);
}

/* Hop limit and window: money that leaves past them is stopped, not followed. */
static void test_limits(void **state)
{
    (void)state;
    struct fz_trace_graph *g = load("id,time,from,to,amount_fen\n"
                                    "T1,2000,V,A,100\n"
                                    "T2,2100,A,B,100\n"
                                    "T3,2200,B,C,100\n"
                                    "T4,90000,C,D,100\n");
    struct fz_trace_victim v = {acct(g, "V"), 100, 2000};
    struct fz_trace_opts o = {FZ_TRACE_FIFO, 2, 3600};
    struct fz_trace_result r;
    assert_int_equal(fz_trace_run(g, &v, 1, &o, &r, NULL), FZ_OK);
    assert_int_equal(held(g, &r, "B", 0), 0); /* it arrived at the last hop, then left */
    assert_int_equal(r.sums[0].stopped[2], 100);
    assert_int_equal(r.n_flows, 2);
    fz_trace_result_release(&r);
    o.max_hops = 7; /* C holds it: T4 is after the window */
    assert_int_equal(fz_trace_run(g, &v, 1, &o, &r, NULL), FZ_OK);
    assert_int_equal(held(g, &r, "C", 0), 100);
    fz_trace_result_release(&r);
    o.window_s = 100000;
    assert_int_equal(fz_trace_run(g, &v, 1, &o, &r, NULL), FZ_OK);
    assert_int_equal(held(g, &r, "D", 0), 100);
    assert_int_equal(r.flows[r.n_flows - 1].hop, 4);
    fz_trace_result_release(&r);
    o.max_hops = 0;
    struct fz_err err = {0};
    assert_int_equal(fz_trace_run(g, &v, 1, &o, &r, &err), FZ_EINVAL);
    fz_trace_free(g);
}

/* Two victims through one mule; the shared account is refunded pro rata after a notice. */
static void test_shared_mule_refund(void **state)
{
    (void)state;
    struct fz_trace_graph *g = load("id,time,from,to,amount_fen\n"
                                    "T1,2000,V1,M,600\n"
                                    "T2,2001,V2,M,300\n"
                                    "T3,2100,M,K,900\n" /* K holds both: pro rata */
                                    "T4,2000,V3,L,50\n" /* L holds V3's alone: direct */
                                    "T5,2200,K,Q,100\n");
    struct fz_trace_victim v[] = {
        {acct(g, "V1"), 600, 2000}, {acct(g, "V2"), 400, 2000}, {acct(g, "V3"), 50, 2000}};
    struct fz_trace_opts o = {FZ_TRACE_FIFO, 7, 86400};
    struct fz_trace_result r;
    assert_int_equal(fz_trace_run(g, v, 3, &o, &r, NULL), FZ_OK);
    assert_int_equal(held(g, &r, "K", 0), 500);
    assert_int_equal(held(g, &r, "K", 1), 300);
    assert_int_equal(held(g, &r, "Q", 0), 100);
    assert_int_equal(r.sums[1].paid_fen, 300); /* V2 paid less than it lost */
    struct fz_trace_refund *f;
    size_t n;
    assert_int_equal(fz_trace_refunds(&r, 5000, &f, &n), FZ_OK);
    assert_int_equal(n, 3);
    int64_t to[3] = {0};
    for (size_t i = 0; i < n; i++) {
        int64_t sum = f[i].unclaimed_fen;
        for (size_t k = 0; k < f[i].n_returns; k++) {
            to[f[i].returns[k].victim] += f[i].returns[k].amount_fen;
            sum += f[i].returns[k].amount_fen;
        }
        assert_int_equal(sum, f[i].frozen_fen);
        if (f[i].account == acct(g, "K")) {
            assert_false(f[i].is_direct);
            assert_int_equal(f[i].notice_until, 5000 + 30 * 86400);
            assert_int_equal(f[i].frozen_fen, 800); /* 800 * 600/1000 = 480, 800 * 400/1000 */
            assert_int_equal(f[i].returns[0].amount_fen, 480);
            assert_int_equal(f[i].returns[1].amount_fen, 320);
        } else {
            assert_true(f[i].is_direct);
        }
    }
    assert_int_equal(to[0], 100 + 480);
    assert_int_equal(to[2], 50);
    fz_trace_refunds_free(f, n);
    fz_trace_result_release(&r);
    fz_trace_free(g);
}

/* ---- property test ------------------------------------------------------------------------ */

static uint64_t rng;
static uint32_t next(uint32_t n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng >> 33) % n);
}

static char *random_csv(int n_acc, int n_tx)
{
    size_t cap = 64 + (size_t)n_tx * 64;
    char *s = malloc(cap);
    size_t len = (size_t)snprintf(s, cap, "id,time,from,to,amount_fen\n");
    for (int i = 0; i < n_tx; i++) {
        uint32_t a = next((uint32_t)n_acc), b = next((uint32_t)n_acc - 1);
        b += b >= a;
        len += (size_t)snprintf(s + len, cap - len, "T%d,%u,A%u,A%u,%u\n", i, 1000 + next(5000), a,
                                b, next(4) ? 1 + next(1000) : 1 + next(100000));
    }
    return s;
}

/* The account's balance from its whole history up to the end of the window. */
static int64_t final_balance(const struct fz_trace_graph *g, uint32_t a, int64_t end)
{
    int64_t bal = 0;
    const uint32_t *in;
    size_t n, i = 0;
    uint32_t o, oe;
    fz_trace_in(g, a, &in, &n);
    fz_trace_out(g, a, &o, &oe);
    for (;;) { /* merge by time, ties in the file's order */
        bool has_in = i < n && fz_trace_tx_at(g, in[i]).time <= end;
        bool has_out = o < oe && fz_trace_tx_at(g, o).time <= end;
        if (!has_in && !has_out)
            return bal;
        int64_t ti = has_in ? fz_trace_tx_at(g, in[i]).time : 0;
        int64_t to = has_out ? fz_trace_tx_at(g, o).time : 0;
        if (has_in && (!has_out || ti < to ||
                       (ti == to && fz_trace_tx_line(g, in[i]) < fz_trace_tx_line(g, o))))
            bal += fz_trace_tx_at(g, in[i++]).amount_fen;
        else {
            int64_t x = fz_trace_tx_at(g, o++).amount_fen;
            bal = x > bal ? 0 : bal - x;
        }
    }
}

static void check_sums(const struct fz_trace_result *r, int max_hops)
{
    for (size_t v = 0; v < r->n_victims; v++) {
        const struct fz_trace_victim_sum *s = &r->sums[v];
        assert_true(s->paid_fen <= r->victims[v].loss_fen);
        assert_int_equal(s->in[1], s->paid_fen);
        int64_t held = 0, stopped = 0;
        for (int h = 1; h <= max_hops; h++) {
            assert_int_equal(s->in[h], s->out[h] + s->held[h] + s->stopped[h]);
            assert_int_equal(s->out[h], s->in[h + 1]);
            held += s->held[h];
            stopped += s->stopped[h];
        }
        assert_int_equal(s->out[max_hops], 0);
        assert_int_equal(held, s->held_fen);
        assert_int_equal(stopped, s->stopped_fen);
        assert_int_equal(s->paid_fen, s->held_fen + s->stopped_fen);
    }
}

static void check_flows(const struct fz_trace_graph *g, const struct fz_trace_result *r)
{
    int64_t *on_edge = calloc(fz_trace_txs(g), sizeof *on_edge);
    int64_t *to_children = calloc(r->n_flows + 1, sizeof *to_children);
    for (size_t f = 0; f < r->n_flows; f++) {
        const struct fz_trace_flow *fl = &r->flows[f];
        struct fz_trace_tx tx = fz_trace_tx_at(g, fl->edge);
        on_edge[fl->edge] += fl->amount_fen;
        assert_true(fl->amount_fen > 0);
        if (fl->parent == FZ_TRACE_NONE) {
            assert_int_equal(fl->hop, 1);
            assert_int_equal(tx.from, r->victims[fl->victim].account);
            continue;
        }
        const struct fz_trace_flow *p = &r->flows[fl->parent];
        assert_true(fl->parent < f);
        assert_int_equal(p->victim, fl->victim);
        assert_int_equal(p->hop + 1, fl->hop);
        assert_int_equal(fz_trace_tx_at(g, p->edge).to, tx.from);
        assert_true(fz_trace_tx_at(g, p->edge).time <= tx.time);
        to_children[fl->parent] += fl->amount_fen;
    }
    for (size_t f = 0; f < r->n_flows; f++)
        assert_true(to_children[f] <= r->flows[f].amount_fen);
    for (size_t e = 0; e < fz_trace_txs(g); e++)
        assert_true(on_edge[e] <= fz_trace_tx_at(g, (uint32_t)e).amount_fen);
    free(on_edge);
    free(to_children);
}

static void check_holdings(const struct fz_trace_graph *g, const struct fz_trace_result *r)
{
    int64_t *per_acct = calloc(fz_trace_accounts(g), sizeof *per_acct);
    for (size_t i = 0; i < r->n_holdings; i++) {
        assert_true(r->holdings[i].amount_fen > 0);
        per_acct[r->holdings[i].account] += r->holdings[i].amount_fen;
    }
    for (uint32_t a = 0; a < fz_trace_accounts(g); a++)
        if (per_acct[a] > final_balance(g, a, r->window_end))
            fail_msg("account %u holds %lld of victims' money but has %lld", a,
                     (long long)per_acct[a], (long long)final_balance(g, a, r->window_end));
    free(per_acct);
}

static void test_random_graphs(void **state)
{
    (void)state;
    rng = 42;
    for (int round = 0; round < 400; round++) {
        int n_acc = 2 + (int)next(30), n_tx = 1 + (int)next(300);
        char *csv = random_csv(n_acc, n_tx);
        struct fz_trace_graph *g = load(csv);
        struct fz_trace_victim v[4];
        size_t nv = 0;
        for (int k = 0; k < 1 + (int)next(4); k++) {
            uint32_t a = next((uint32_t)fz_trace_accounts(g));
            bool dup = false;
            for (size_t j = 0; j < nv; j++)
                dup |= v[j].account == a;
            if (!dup)
                v[nv++] = (struct fz_trace_victim){a, 1 + next(200000), 1000 + next(3000)};
        }
        struct fz_trace_opts o = {(enum fz_trace_rule)next(3), 1 + (int)next(8),
                                  (int64_t)next(6000)};
        struct fz_trace_result r;
        assert_int_equal(fz_trace_run(g, v, nv, &o, &r, NULL), FZ_OK);
        check_sums(&r, o.max_hops);
        check_flows(g, &r);
        check_holdings(g, &r);
        struct fz_trace_refund *f;
        size_t n;
        assert_int_equal(fz_trace_refunds(&r, 0, &f, &n), FZ_OK);
        int64_t *got = calloc(nv, sizeof *got);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < f[i].n_returns; k++)
                got[f[i].returns[k].victim] += f[i].returns[k].amount_fen;
        for (size_t k = 0; k < nv; k++)
            assert_true(got[k] <= v[k].loss_fen);
        free(got);
        fz_trace_refunds_free(f, n);
        fz_trace_result_release(&r);
        fz_trace_free(g);
        free(csv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),         cmocka_unit_test(test_lowest_balance),
        cmocka_unit_test(test_limits),        cmocka_unit_test(test_shared_mule_refund),
        cmocka_unit_test(test_random_graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
