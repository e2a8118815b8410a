/* libFuzzer driver for the transactions CSV reader and the tracer (src/trace). Properties: never
 * crashes or reads out of bounds; every bad row is reported with a line number (>= 2) and a
 * message that starts with "line N"; a loaded graph has every account's edges in time order and
 * every edge once in the receivers' index; a trace from the first account keeps its invariants
 * (paid <= loss, money conserved at every hop) and its JSON is written without error. */
#include "compat.h"

#include "fangzha/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool check_error(void *ud, const struct fz_err *err)
{
    char want[32];
    snprintf(want, sizeof want, "line %zu", err->line);
    if (err->line < 2 || strncmp(err->msg, want, strlen(want)))
        abort();
    ++*(size_t *)ud;
    return true;
}

static void check_graph(const struct fz_trace_graph *g)
{
    size_t seen = 0;
    for (uint32_t a = 0; a < fz_trace_accounts(g); a++) {
        uint32_t b, e;
        fz_trace_out(g, a, &b, &e);
        for (uint32_t i = b; i < e; i++)
            if (fz_trace_tx_at(g, i).from != a ||
                (i > b && fz_trace_tx_at(g, i - 1).time > fz_trace_tx_at(g, i).time))
                abort();
        const uint32_t *in;
        size_t n;
        fz_trace_in(g, a, &in, &n);
        for (size_t i = 0; i < n; i++)
            if (fz_trace_tx_at(g, in[i]).to != a ||
                (i && fz_trace_tx_at(g, in[i - 1]).time > fz_trace_tx_at(g, in[i]).time))
                abort();
        seen += n;
        struct fz_str id = fz_trace_account(g, a);
        if (fz_trace_find(g, id.ptr, id.len) != a)
            abort();
    }
    if (seen != fz_trace_txs(g))
        abort();
}

static void check_trace(const struct fz_trace_graph *g)
{
    uint32_t b, e;
    if (fz_trace_accounts(g) == 0)
        return;
    fz_trace_out(g, 0, &b, &e);
    if (b == e)
        return;
    struct fz_trace_victim v = {0, 1000000, fz_trace_tx_at(g, b).time};
    struct fz_trace_opts o = {FZ_TRACE_PROPORTIONAL, 3, 86400};
    struct fz_trace_result r;
    if (fz_trace_run(g, &v, 1, &o, &r, NULL) != FZ_OK)
        return; /* a time out of range */
    const struct fz_trace_victim_sum *s = &r.sums[0];
    if (s->paid_fen > v.loss_fen || s->paid_fen != s->held_fen + s->stopped_fen)
        abort();
    for (int h = 1; h <= o.max_hops; h++)
        if (s->in[h] != s->out[h] + s->held[h] + s->stopped[h] || s->out[h] != s->in[h + 1])
            abort();
    struct fz_buf out;
    fz_buf_init(&out, (size_t)1 << 26);
    if (fz_trace_write_json(g, &r, &o, 0, &out) != FZ_OK)
        abort();
    fz_buf_release(&out);
    fz_trace_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_trace_graph *g = NULL;
    struct fz_err err = {0};
    size_t bad = 0;
    fz_rc rc = fz_trace_load_mem((const char *)data, size, check_error, &bad, &g, &err);
    if (rc == FZ_OK) {
        if (bad)
            abort();
        check_graph(g);
        check_trace(g);
    } else if (rc != FZ_EPARSE && rc != FZ_ETOOBIG) {
        abort();
    }
    fz_trace_free(g);
    return 0;
}
