/*
 * benchlib: what the benchmark programs share: a corpus of one message per line, a monotonic
 * clock, and rounds of a pass whose best and median rate are reported (the machines are
 * shared; the best round is the one least disturbed by other tenants).
 */
#ifndef FZ_BENCHLIB_H
#define FZ_BENCHLIB_H

#include "fangzha/core.h"

struct corpus {
    char *data;
    size_t size;
    struct fz_str *msg;
    size_t n;
};

/* Reads path into c, one message per line. Returns 0, or -1 when it cannot be read. */
int corpus_load(const char *path, struct corpus *c);
void corpus_free(struct corpus *c);

double bench_now(void);

/* The baseline pass of every benchmark: adds every byte of c into *sink (the cheapest honest
 * pass over the corpus). Returns the bytes read. */
size_t corpus_touch(const struct corpus *c, unsigned *sink);

#define BENCH_ROUNDS 7

/* Runs pass(ctx) (which returns the units it processed) repeatedly in BENCH_ROUNDS rounds of
 * about secs each, after one warm-up pass; *best and *median get units per second. */
void bench_measure(double (*pass)(void *ctx), void *ctx, double secs, double *best, double *median);

#endif
