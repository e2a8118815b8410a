/* benchlib: corpus loading, the clock and measured rounds for the benchmark programs. */
#include "compat.h"

#include "benchlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int corpus_load(const char *path, struct corpus *c)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    c->data = malloc((size_t)sz + 1);
    c->size = fread(c->data, 1, (size_t)sz, f);
    fclose(f);
    size_t cap = 1024;
    c->msg = malloc(cap * sizeof *c->msg);
    c->n = 0;
    for (char *p = c->data, *end = c->data + c->size; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (c->n == cap)
            c->msg = realloc(c->msg, (cap *= 2) * sizeof *c->msg);
        c->msg[c->n++] = (struct fz_str){p, (size_t)(nl - p)};
        p = nl + 1;
    }
    return 0;
}

void corpus_free(struct corpus *c)
{
    free(c->msg);
    free(c->data);
}

size_t corpus_touch(const struct corpus *c, unsigned *sink)
{
    size_t bytes = 0;
    for (size_t i = 0; i < c->n; i++) {
        const unsigned char *p = (const unsigned char *)c->msg[i].ptr;
        for (size_t k = 0; k < c->msg[i].len; k++)
            *sink += p[k];
        bytes += c->msg[i].len;
    }
    return bytes;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_measure(double (*pass)(void *ctx), void *ctx, double secs, double *best, double *median)
{
    double rate[BENCH_ROUNDS];
    pass(ctx); /* warm-up: caches, grown buffers */
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        double units = 0, t0 = bench_now(), el;
        do
            units += pass(ctx);
        while ((el = bench_now() - t0) < secs);
        rate[r] = units / el;
    }
    qsort(rate, BENCH_ROUNDS, sizeof *rate, cmp_double);
    *best = rate[BENCH_ROUNDS - 1];
    *median = rate[BENCH_ROUNDS / 2];
}
