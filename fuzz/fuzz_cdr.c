/* libFuzzer driver for the call-record reader and the engine behind it (src/calls). Properties:
 * never crashes, hangs or reads out of bounds; every result is one of the documented codes; a
 * bad row never stops the rows after it; every row applied or rejected, none lost; the engine
 * scores and lists victims of whatever it was fed; applied in batches, the same records end in
 * the same state as applied one by one (the same counts and every caller's verdict, features
 * included). */
#include "compat.h"

#include "fangzha/calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_verdict(void *ud, const struct fz_calls_verdict *v)
{
    if (!(v->score >= 0 && v->score <= 1) || !v->number[0])
        abort();
    (*(size_t *)ud)++;
}

static void ignore_reject(void *ud, uint64_t row, fz_rc rc, const struct fz_err *err)
{
    (void)ud, (void)row, (void)rc, (void)err;
}

/* Every verdict, in order, folded into one hash: number, score, flags, detectors, time, and
 * the features and detector scores at that time. */
static void hash_verdict(void *ud, const struct fz_calls_verdict *v)
{
    uint64_t *h = ud;
    uint64_t parts[4] = {fz_hash(v->number, strlen(v->number)),
                         fz_hash(v->features, sizeof v->features),
                         fz_hash(v->scores, sizeof v->scores),
                         (uint64_t)v->time ^ (uint64_t)v->detectors << 40 ^
                             (uint64_t)v->is_flagged << 62 ^ (uint64_t)v->is_presented << 63};
    double score = v->score;
    *h =
        fz_hash(parts, sizeof parts) ^ fz_hash(&score, sizeof score) ^ (*h * 0x9e3779b97f4a7c15ull);
}

static bool same_state(struct fz_calls *a, struct fz_calls *b)
{
    struct fz_calls_stats x, y;
    fz_calls_stats(a, &x);
    fz_calls_stats(b, &y);
    uint64_t ha = 0, hb = 0;
    fz_calls_each_verdict(a, hash_verdict, &ha);
    fz_calls_each_verdict(b, hash_verdict, &hb);
    return x.applied == y.applied && x.late_applied == y.late_applied &&
           x.late_dropped == y.late_dropped && x.numbers == y.numbers && x.contacts == y.contacts &&
           x.flagged == y.flagged && x.alerts == y.alerts && ha == hb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fz_cdr_batch batch;
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "r");
    struct fz_cdr_reader *r;
    struct fz_calls *c, *batched;
    if (!f || fz_cdr_reader_new(f, &r) != FZ_OK || fz_calls_new(NULL, &c) != FZ_OK ||
        fz_calls_new(NULL, &batched) != FZ_OK)
        abort();
    fz_cdr_batch_init(&batch);
    struct fz_cdr cdr;
    uint64_t good = 0, bad = 0;
    for (;;) {
        struct fz_err err = {0};
        fz_rc rc = fz_cdr_reader_next(r, &cdr, &err);
        if (rc == FZ_EOF || rc == FZ_EINVAL)
            break;
        if (rc == FZ_OK && !fz_cdr_batch_add(&batch, &cdr, good + bad)) {
            if (fz_calls_apply_batch(batched, &batch, ignore_reject, NULL) != FZ_OK ||
                !fz_cdr_batch_add(&batch, &cdr, good + bad))
                abort();
        }
        if (rc == FZ_OK)
            rc = fz_calls_apply(c, &cdr, &err);
        if (rc == FZ_OK)
            good++;
        else if (rc == FZ_EPARSE || rc == FZ_ETOOBIG || rc == FZ_EINVAL)
            bad++;
        else
            abort();
        if ((rc == FZ_EPARSE) && !err.line)
            abort(); /* a bad row always says where */
    }
    if (fz_calls_apply_batch(batched, &batch, ignore_reject, NULL) != FZ_OK)
        abort();
    fz_calls_finish(c);
    fz_calls_finish(batched);
    if (!same_state(c, batched))
        abort();
    size_t n = 0;
    fz_calls_each_verdict(c, count_verdict, &n);
    struct fz_calls_stats s;
    fz_calls_stats(c, &s);
    if (s.applied + s.late_dropped != good)
        abort();
    (void)bad;
    fz_calls_free(c);
    fz_calls_free(batched);
    fz_cdr_reader_free(r);
    fclose(f);
    return 0;
}
