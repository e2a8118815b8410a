/*
 * trace/output: the trace as the JSON document of docs/trace.md (victims with per-hop figures,
 * the flow tree as parent links, the freeze list by bank, the refund plan) and the freeze list
 * as CSV.
 */
#include "compat.h"

#include "trace_int.h"

#include <stdlib.h>

static void json_strv(struct fz_json *j, struct fz_str s) { fz_json_str(j, s.ptr, s.len); }

static void json_time(struct fz_json *j, int64_t t)
{
    char buf[26];
    fz_trace_format_time(t, buf);
    fz_json_cstr(j, buf);
}

static void json_account(struct fz_json *j, const struct fz_trace_graph *g, const char *key,
                         uint32_t a)
{
    fz_json_key_n(j, key, strlen(key));
    json_strv(j, fz_trace_account(g, a));
}

static void write_hops(struct fz_json *j, const struct fz_trace_victim_sum *s, int max_hops)
{
    fz_json_key(j, "hops");
    fz_json_arr(j);
    for (int h = 1; h <= max_hops && s->in[h] > 0; h++) {
        fz_json_obj(j);
        fz_json_key(j, "hop");
        fz_json_int(j, h);
        fz_json_key(j, "in_fen");
        fz_json_int(j, s->in[h]);
        fz_json_key(j, "out_fen");
        fz_json_int(j, s->out[h]);
        fz_json_key(j, "held_fen");
        fz_json_int(j, s->held[h]);
        fz_json_key(j, "stopped_fen");
        fz_json_int(j, s->stopped[h]);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

static void write_victims(struct fz_json *j, const struct fz_trace_graph *g,
                          const struct fz_trace_result *r, int max_hops)
{
    fz_json_key(j, "victims");
    fz_json_arr(j);
    for (size_t i = 0; i < r->n_victims; i++) {
        const struct fz_trace_victim *v = &r->victims[i];
        const struct fz_trace_victim_sum *s = &r->sums[i];
        fz_json_obj(j);
        json_account(j, g, "account", v->account);
        fz_json_key(j, "loss_fen");
        fz_json_int(j, v->loss_fen);
        fz_json_key(j, "time");
        json_time(j, v->time);
        fz_json_key(j, "paid_fen");
        fz_json_int(j, s->paid_fen);
        fz_json_key(j, "held_fen");
        fz_json_int(j, s->held_fen);
        fz_json_key(j, "stopped_fen");
        fz_json_int(j, s->stopped_fen);
        write_hops(j, s, max_hops);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

static void write_flow(struct fz_json *j, const struct fz_trace_graph *g,
                       const struct fz_trace_result *r, uint32_t f)
{
    const struct fz_trace_flow *fl = &r->flows[f];
    fz_json_obj(j);
    fz_json_key(j, "flow");
    fz_json_uint(j, f);
    fz_json_key(j, "parent");
    if (fl->parent == FZ_TRACE_NONE)
        fz_json_null(j);
    else
        fz_json_uint(j, fl->parent);
    fz_json_key(j, "hop");
    fz_json_int(j, fl->hop);
    fz_json_key(j, "tx");
    json_strv(j, fz_trace_tx_id(g, fl->edge));
    json_account(j, g, "from", g->e_from[fl->edge]);
    json_account(j, g, "to", g->e_to[fl->edge]);
    fz_json_key(j, "time");
    json_time(j, g->e_time[fl->edge]);
    fz_json_key(j, "tx_amount_fen");
    fz_json_int(j, g->e_amount[fl->edge]);
    fz_json_key(j, "amount_fen");
    fz_json_int(j, fl->amount_fen);
    fz_json_obj_end(j);
}

/* "tree": per victim, its flows in time order; each names its parent flow, so the flows form
 * one tree per victim rooted at the victim's payments. The flows are bucketed by victim first
 * (a counting sort), so many victims cost one pass. */
static fz_rc write_tree(struct fz_json *j, const struct fz_trace_graph *g,
                        const struct fz_trace_result *r)
{
    uint32_t *start = fz_calloc(r->n_victims + 1, sizeof *start);
    uint32_t *order = fz_mallocarray(r->n_flows ? r->n_flows : 1, sizeof *order);
    if (!start || !order) {
        fz_free(start);
        fz_free(order);
        return FZ_E(FZ_ENOMEM);
    }
    for (size_t f = 0; f < r->n_flows; f++)
        start[r->flows[f].victim + 1]++;
    for (size_t v = 0; v < r->n_victims; v++)
        start[v + 1] += start[v];
    for (size_t f = 0; f < r->n_flows; f++)
        order[start[r->flows[f].victim]++] = (uint32_t)f;
    fz_json_key(j, "tree");
    fz_json_arr(j);
    for (size_t v = 0, k = 0; v < r->n_victims; v++) {
        fz_json_obj(j);
        json_account(j, g, "victim", r->victims[v].account);
        fz_json_key(j, "flows");
        fz_json_arr(j);
        for (; k < start[v]; k++) /* start[v] is now the end of victim v's bucket */
            write_flow(j, g, r, order[k]);
        fz_json_arr_end(j);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
    fz_free(start);
    fz_free(order);
    return FZ_OK;
}

static int cmp_str(struct fz_str a, struct fz_str b)
{
    int c = memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len);
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* The freeze list's order: bank, account id, victim. qsort has no context argument, so the
 * holdings are sorted through an index of (bank, account, position) keys. */
struct freeze_key {
    struct fz_str bank, account;
    uint32_t victim, i;
};

static int cmp_freeze(const void *a, const void *b)
{
    const struct freeze_key *x = a, *y = b;
    int c = cmp_str(x->bank, y->bank);
    if (!c)
        c = cmp_str(x->account, y->account);
    if (!c)
        c = (x->victim > y->victim) - (x->victim < y->victim);
    return c;
}

static struct freeze_key *freeze_order(const struct fz_trace_graph *g,
                                       const struct fz_trace_result *r)
{
    struct freeze_key *k = fz_mallocarray(r->n_holdings ? r->n_holdings : 1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < r->n_holdings; i++) {
        const struct fz_trace_holding *h = &r->holdings[i];
        k[i] = (struct freeze_key){fz_trace_account_bank(g, h->account),
                                   fz_trace_account(g, h->account), h->victim, (uint32_t)i};
    }
    qsort(k, r->n_holdings, sizeof *k, cmp_freeze);
    return k;
}

static fz_rc write_freeze(struct fz_json *j, const struct fz_trace_graph *g,
                          const struct fz_trace_result *r)
{
    struct freeze_key *k = freeze_order(g, r);
    if (!k)
        return FZ_E(FZ_ENOMEM);
    fz_json_key(j, "freeze");
    fz_json_arr(j);
    for (size_t i = 0; i < r->n_holdings; i++) {
        const struct fz_trace_holding *h = &r->holdings[k[i].i];
        fz_json_obj(j);
        json_account(j, g, "account", h->account);
        fz_json_key(j, "bank");
        json_strv(j, fz_trace_account_bank(g, h->account));
        fz_json_key(j, "amount_fen");
        fz_json_int(j, h->amount_fen);
        json_account(j, g, "victim", r->victims[h->victim].account);
        fz_json_key(j, "arrived");
        json_time(j, h->arrived);
        fz_json_key(j, "hop");
        fz_json_int(j, h->hop);
        fz_json_key(j, "stop_payment_deadline");
        json_time(j, fz_trace_stop_payment_deadline(h->arrived));
        fz_json_key(j, "freeze_until");
        json_time(j, fz_trace_freeze_until(h->arrived));
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
    fz_free(k);
    return FZ_OK;
}

static void write_refund(struct fz_json *j, const struct fz_trace_graph *g,
                         const struct fz_trace_result *r, const struct fz_trace_refund *f)
{
    fz_json_obj(j);
    json_account(j, g, "account", f->account);
    fz_json_key(j, "bank");
    json_strv(j, fz_trace_account_bank(g, f->account));
    fz_json_key(j, "frozen_fen");
    fz_json_int(j, f->frozen_fen);
    fz_json_key(j, "method");
    fz_json_cstr(j, f->is_direct ? "direct" : "pro_rata");
    fz_json_key(j, "notice_until");
    if (f->is_direct)
        fz_json_null(j);
    else
        json_time(j, f->notice_until);
    fz_json_key(j, "returns");
    fz_json_arr(j);
    for (size_t i = 0; i < f->n_returns; i++) {
        fz_json_obj(j);
        json_account(j, g, "victim", r->victims[f->returns[i].victim].account);
        fz_json_key(j, "amount_fen");
        fz_json_int(j, f->returns[i].amount_fen);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
    fz_json_key(j, "unclaimed_fen");
    fz_json_int(j, f->unclaimed_fen);
    fz_json_obj_end(j);
}

static fz_rc write_refunds(struct fz_json *j, const struct fz_trace_graph *g,
                           const struct fz_trace_result *r, int64_t as_of)
{
    struct fz_trace_refund *list;
    size_t n;
    fz_rc rc = fz_trace_refunds(r, as_of, &list, &n);
    if (rc)
        return rc;
    fz_json_key(j, "refunds");
    fz_json_arr(j);
    for (size_t i = 0; i < n; i++)
        write_refund(j, g, r, &list[i]);
    fz_json_arr_end(j);
    fz_trace_refunds_free(list, n);
    return FZ_OK;
}

fz_rc fz_trace_write_json(const struct fz_trace_graph *g, const struct fz_trace_result *r,
                          const struct fz_trace_opts *o, int64_t as_of, struct fz_buf *out)
{
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "rule");
    fz_json_cstr(&j, fz_trace_rule_name(o->rule));
    fz_json_key(&j, "max_hops");
    fz_json_int(&j, o->max_hops);
    fz_json_key(&j, "window_end");
    json_time(&j, r->window_end);
    fz_json_key(&j, "as_of");
    json_time(&j, as_of);
    write_victims(&j, g, r, o->max_hops);
    fz_rc rc = write_tree(&j, g, r);
    if (!rc)
        rc = write_freeze(&j, g, r);
    if (!rc)
        rc = write_refunds(&j, g, r, as_of);
    fz_json_obj_end(&j);
    return rc ? rc : j.rc;
}

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
static fz_rc csv_field(struct fz_buf *out, struct fz_str s)
{
    bool quote = false;
    for (size_t i = 0; i < s.len; i++)
        quote |= s.ptr[i] == ',' || s.ptr[i] == '"' || s.ptr[i] == '\n' || s.ptr[i] == '\r';
    if (!quote)
        return fz_buf_add(out, s.ptr, s.len);
    fz_rc rc = fz_buf_addc(out, '"');
    for (size_t i = 0; i < s.len && !rc; i++)
        rc = s.ptr[i] == '"' ? fz_buf_add(out, "\"\"", 2) : fz_buf_addc(out, s.ptr[i]);
    return rc ? rc : fz_buf_addc(out, '"');
}

fz_rc fz_trace_write_freeze_csv(const struct fz_trace_graph *g, const struct fz_trace_result *r,
                                struct fz_buf *out)
{
    struct freeze_key *k = freeze_order(g, r);
    if (!k)
        return FZ_E(FZ_ENOMEM);
    fz_rc rc = fz_buf_adds(out, "account,bank,amount_fen,victim,arrived,hop,"
                                "stop_payment_deadline,freeze_until\n");
    for (size_t i = 0; i < r->n_holdings && !rc; i++) {
        const struct fz_trace_holding *h = &r->holdings[k[i].i];
        char arrived[26], stop[26], until[26];
        fz_trace_format_time(h->arrived, arrived);
        fz_trace_format_time(fz_trace_stop_payment_deadline(h->arrived), stop);
        fz_trace_format_time(fz_trace_freeze_until(h->arrived), until);
        rc = csv_field(out, fz_trace_account(g, h->account));
        if (!rc)
            rc = fz_buf_addc(out, ',');
        if (!rc)
            rc = csv_field(out, fz_trace_account_bank(g, h->account));
        if (!rc)
            rc = fz_buf_addf(out, ",%lld,", (long long)h->amount_fen);
        if (!rc)
            rc = csv_field(out, fz_trace_account(g, r->victims[h->victim].account));
        if (!rc)
            rc = fz_buf_addf(out, ",%s,%d,%s,%s\n", arrived, h->hop, stop, until);
    }
    fz_free(k);
    return rc;
}
