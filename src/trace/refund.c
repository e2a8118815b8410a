/*
 * trace/refund: the refund plan for frozen accounts (docs/trace.md "Refunds"). Money frozen in an
 * account that only one victim's money reached goes back to that victim directly; an account
 * several victims' money reached is shared in proportion to their losses, after a public notice,
 * and nobody is repaid more than they lost across all accounts.
 */
#include "compat.h"

#include "trace_int.h"

#include <stdlib.h>

struct plan {
    const struct fz_trace_result *r;
    int64_t *owed; /* per victim: loss minus what the plan already returns */
};

static fz_rc add_return(struct fz_trace_refund *f, uint32_t victim, int64_t amount)
{
    struct fz_trace_return *p = fz_realloc(f->returns, (f->n_returns + 1) * sizeof *p);
    if (!p)
        return FZ_E(FZ_ENOMEM);
    f->returns = p;
    p[f->n_returns++] = (struct fz_trace_return){victim, amount};
    return FZ_OK;
}

/* Shares `left` among the victims of holdings h[0..n) in proportion to their losses, by largest
 * remainder, none above what it is still owed; repeats with the rest while someone is owed. */
static void share(struct plan *P, const struct fz_trace_holding *h, size_t n, int64_t *got,
                  int64_t left)
{
    while (left > 0) {
        __int128 total = 0;
        for (size_t i = 0; i < n; i++)
            if (P->owed[h[i].victim] > got[i])
                total += P->r->victims[h[i].victim].loss_fen;
        if (total == 0)
            return;
        int64_t given = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t room = P->owed[h[i].victim] - got[i];
            if (room <= 0)
                continue;
            int64_t s = (int64_t)((__int128)left * P->r->victims[h[i].victim].loss_fen / total);
            s = s < room ? s : room;
            got[i] += s;
            given += s;
        }
        for (size_t i = 0; i < n && given < left; i++) /* the fen rounding left, in order */
            if (P->owed[h[i].victim] > got[i]) {
                got[i]++;
                given++;
            }
        left -= given;
    }
}

/* The refund of one account whose holdings are h[0..n) (one per victim). */
static fz_rc refund_one(struct plan *P, const struct fz_trace_holding *h, size_t n, int64_t as_of,
                        struct fz_trace_refund *f)
{
    *f = (struct fz_trace_refund){.account = h[0].account, .is_direct = n == 1};
    for (size_t i = 0; i < n; i++)
        f->frozen_fen += h[i].amount_fen;
    int64_t *got = fz_calloc(n, sizeof *got);
    if (!got)
        return FZ_E(FZ_ENOMEM);
    if (f->is_direct) {
        int64_t owed = P->owed[h[0].victim];
        got[0] = h[0].amount_fen < owed ? h[0].amount_fen : owed;
    } else {
        f->notice_until = as_of + (int64_t)FZ_TRACE_NOTICE_DAYS * 86400;
        share(P, h, n, got, f->frozen_fen);
    }
    fz_rc rc = FZ_OK;
    int64_t returned = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        P->owed[h[i].victim] -= got[i];
        returned += got[i];
        if (got[i] > 0)
            rc = add_return(f, h[i].victim, got[i]);
    }
    f->unclaimed_fen = f->frozen_fen - returned;
    fz_free(got);
    return rc;
}

/* The end of the run of holdings of the account of holding i. */
static size_t next_run(const struct fz_trace_result *r, size_t i)
{
    size_t j = i + 1;
    while (j < r->n_holdings && r->holdings[j].account == r->holdings[i].account)
        j++;
    return j;
}

/* Two rounds: accounts with one victim first (direct returns), then the shared ones. */
static fz_rc plan_all(struct plan *P, int64_t as_of, struct fz_trace_refund *out, size_t *n)
{
    const struct fz_trace_result *r = P->r;
    size_t k = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0, j; i < r->n_holdings; i = j) {
            j = next_run(r, i);
            if ((j - i == 1) != (round == 0))
                continue;
            fz_rc rc = refund_one(P, &r->holdings[i], j - i, as_of, &out[k++]);
            *n = k;
            if (rc)
                return rc;
        }
    }
    return FZ_OK;
}

static int cmp_refund(const void *a, const void *b)
{
    uint32_t x = ((const struct fz_trace_refund *)a)->account;
    uint32_t y = ((const struct fz_trace_refund *)b)->account;
    return x < y ? -1 : x > y;
}

fz_rc fz_trace_refunds(const struct fz_trace_result *r, int64_t as_of, struct fz_trace_refund **out,
                       size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!r->n_holdings)
        return FZ_OK;
    struct plan P = {.r = r, .owed = fz_mallocarray(r->n_victims, sizeof *P.owed)};
    struct fz_trace_refund *list = fz_calloc(r->n_holdings, sizeof *list);
    if (!P.owed || !list) {
        fz_free(P.owed);
        fz_free(list);
        return FZ_E(FZ_ENOMEM);
    }
    for (size_t v = 0; v < r->n_victims; v++)
        P.owed[v] = r->victims[v].loss_fen;
    size_t k = 0;
    fz_rc rc = plan_all(&P, as_of, list, &k);
    fz_free(P.owed);
    if (rc) {
        fz_trace_refunds_free(list, k);
        return rc;
    }
    qsort(list, k, sizeof *list, cmp_refund);
    *out = list;
    *n = k;
    return FZ_OK;
}

void fz_trace_refunds_free(struct fz_trace_refund *refunds, size_t n)
{
    for (size_t i = 0; refunds && i < n; i++)
        fz_free(refunds[i].returns);
    fz_free(refunds);
}
