/*
 * bench_calls: the call-analytics engine's figures (docs/bench.md).
 *
 *   bench_calls CSV               records/s through the reader alone and through reader +
 *                                 engine (every window feature, contact, detector), from a
 *                                 file read into memory first (page cache, no disk), best of 3;
 *                                 a pass over the same bytes; and the machine's floor for
 *                                 an engine keeping such a state (see "what this machine
 *                                 allows" below).
 *   bench_calls --zone PEOPLE DAYS  a simulated zone fed in-process (cdrsim), then the victim
 *                                 list of every flagged number: the slowest and the total time,
 *                                 and the state's size (the engine's count and the peak RSS).
 */
#include "compat.h"

#include "benchlib.h"
#include "cdrsim.h"
#include "fangzha/calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* CPU seconds of this process: the machines are shared, and a busy neighbour stretches wall
 * time but not this. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads every row of buf (len bytes); with an engine, applies them, one by one or in batches.
 * Returns the rows read well. */
static uint64_t run(const char *buf, size_t len, struct fz_calls *c, bool batched)
{
    FILE *f = fmemopen((void *)buf, len, "r");
    struct fz_cdr_reader *r;
    static struct fz_cdr_batch b;
    if (!f || fz_cdr_reader_new(f, &r) != FZ_OK)
        exit(1);
    fz_cdr_batch_init(&b);
    struct fz_cdr cdr;
    uint64_t rows = 0;
    fz_rc rc;
    while ((rc = fz_cdr_reader_next(r, &cdr, NULL)) != FZ_EOF) {
        rows += rc == FZ_OK;
        if (rc != FZ_OK || !c)
            continue;
        if (!batched) {
            fz_calls_apply(c, &cdr, NULL);
        } else if (!fz_cdr_batch_add(&b, &cdr, rows)) {
            fz_calls_apply_batch(c, &b, NULL, NULL);
            if (!fz_cdr_batch_add(&b, &cdr, rows))
                fz_calls_apply(c, &cdr, NULL);
        }
    }
    if (c && b.n)
        fz_calls_apply_batch(c, &b, NULL, NULL);
    fz_cdr_reader_free(r);
    fclose(f);
    return rows;
}

/* The engine's counts after a run: the batched and the one-by-one runs must agree. */
static bool same_stats(const struct fz_calls_stats *a, const struct fz_calls_stats *b)
{
    return a->applied == b->applied && a->numbers == b->numbers && a->contacts == b->contacts &&
           a->flagged == b->flagged && a->alerts == b->alerts;
}

/* ---- what this machine allows --------------------------------------------------------------
 * Measured in the same process: the time to read the rows, the time to touch as much fresh
 * memory as the engine's state for the first time, and the cost of one random cache line of
 * such a state, fetched the way the engine fetches them (the addresses of 64 records worked out,
 * all prefetched, then each read and written). From these, with nothing counted: the floor of an
 * engine reaching as many lines a record as this one, and what a target rate leaves, after
 * reading and first touch, in random lines a record for everything else (docs/bench.md). */

/* The lines a call between two known numbers reaches in this engine at least: the raw-number
 * map's two slots; the caller's line 0, place line, 1 h ring, 7 d ring and 24 h bucket; the
 * callee's pair of lines; the pair map's slot; the contact (docs/internals/calls.md). New
 * numbers, changed IMEIs, evaluations and alerts reach more. */
#define ENGINE_LINES 11
#define TARGET_ROWS_PER_S 2e6
#define FLOOR_BATCH 64

struct floor {
    double fresh_s; /* first touch of the state's bytes */
    double line_s;  /* one random line of it */
};

static double touch_fresh(char *p, size_t bytes)
{
    double t0 = bench_now();
    for (size_t i = 0; i < bytes; i += 4096)
        p[i] = 1;
    return bench_now() - t0;
}

/* Seconds per line, reaching ENGINE_LINES random lines for each of `records` records. */
static double reach_lines(char *p, size_t bytes, uint64_t records)
{
    static char *at[FLOOR_BATCH * ENGINE_LINES];
    uint64_t x = 88172645463325252ull, lines = bytes / 64;
    double t0 = bench_now();
    for (uint64_t r = 0; r < records; r += FLOOR_BATCH) {
        for (size_t i = 0; i < FLOOR_BATCH * ENGINE_LINES; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
            at[i] = p + x % lines * 64;
        }
        for (size_t i = 0; i < FLOOR_BATCH * ENGINE_LINES; i++)
            __builtin_prefetch(at[i]);
        for (size_t i = 0; i < FLOOR_BATCH * ENGINE_LINES; i++)
            (*(volatile uint64_t *)at[i])++;
    }
    return (bench_now() - t0) / ((double)records * ENGINE_LINES);
}

/* The best of three rounds of each part, over `bytes` of fresh memory on 2 MiB pages (as the
 * engine asks). false when the memory cannot be had. */
static bool machine_floor(size_t bytes, uint64_t records, struct floor *f)
{
    f->fresh_s = f->line_s = 1e9;
    for (int round = 0; round < 3; round++) {
        char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return false;
#ifdef MADV_HUGEPAGE
        (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
        double fresh = touch_fresh(p, bytes), line = reach_lines(p, bytes, records);
        munmap(p, bytes);
        f->fresh_s = fresh < f->fresh_s ? fresh : f->fresh_s;
        f->line_s = line < f->line_s ? line : f->line_s;
    }
    return true;
}

static void print_floor(double parse_s, uint64_t rows, size_t bytes)
{
    struct floor f;
    if (!bytes || !machine_floor(bytes, rows, &f)) {
        printf("machine floor: skipped (cannot map %.2f GB)\n", (double)bytes / 1e9);
        return;
    }
    double fixed = parse_s + f.fresh_s, line_all = (double)rows * f.line_s;
    double floor_s = fixed + ENGINE_LINES * line_all, left = rows / TARGET_ROWS_PER_S - fixed;
    printf("machine (nothing counted): reader %.3f s, first touch of a %.2f GB state %.3f s, a "
           "random line of it %.1f ns\n",
           parse_s, (double)bytes / 1e9, f.fresh_s, f.line_s * 1e9);
    printf("  floor of an engine reaching %d lines a record, as this one: %.3f s = %.0f rows/s\n",
           ENGINE_LINES, floor_s, (double)rows / floor_s);
    printf("  left at %.0f rows/s after reading and first touch: %.3f s = %.1f random lines a "
           "record, counting included\n",
           TARGET_ROWS_PER_S, left, left / line_all);
}

static int throughput(const char *path)
{
    struct corpus corpus;
    if (corpus_load(path, &corpus) != 0) {
        fprintf(stderr, "bench_calls: cannot read '%s'\n", path);
        return 1;
    }
    double best_parse = 1e9, best_all = 1e9, best_touch = 1e9, cpu_parse = 1e9, cpu_all = 1e9;
    double best_one = 1e9, cpu_one = 1e9;
    uint64_t rows = 0;
    unsigned sink = 0;
    struct fz_calls_stats batched, single;
    for (int round = 0; round < 3; round++) {
        double t0 = bench_now();
        sink += (unsigned)corpus_touch(&corpus, &sink);
        double t1 = bench_now(), c1 = cpu_now();
        rows = run(corpus.data, corpus.size, NULL, false);
        double t2 = bench_now(), c2 = cpu_now();
        struct fz_calls *c;
        if (fz_calls_new(NULL, &c) != FZ_OK)
            return 1;
        run(corpus.data, corpus.size, c, true);
        fz_calls_finish(c);
        double t3 = bench_now(), c3 = cpu_now();
        fz_calls_stats(c, &batched);
        fz_calls_free(c);
        if (fz_calls_new(NULL, &c) != FZ_OK)
            return 1;
        run(corpus.data, corpus.size, c, false);
        fz_calls_finish(c);
        double t4 = bench_now(), c4 = cpu_now();
        fz_calls_stats(c, &single);
        fz_calls_free(c);
        if (!same_stats(&batched, &single)) {
            fprintf(stderr, "bench_calls: batched and one-by-one runs disagree\n");
            return 1;
        }
        best_one = t4 - t3 < best_one ? t4 - t3 : best_one;
        cpu_one = c4 - c3 < cpu_one ? c4 - c3 : cpu_one;
        cpu_parse = c2 - c1 < cpu_parse ? c2 - c1 : cpu_parse;
        cpu_all = c3 - c2 < cpu_all ? c3 - c2 : cpu_all;
        best_touch = t1 - t0 < best_touch ? t1 - t0 : best_touch;
        best_parse = t2 - t1 < best_parse ? t2 - t1 : best_parse;
        best_all = t3 - t2 < best_all ? t3 - t2 : best_all;
    }
    printf("cdr reader alone: %llu rows in %.3f s = %.0f rows/s (CPU: %.0f rows/s)\n",
           (unsigned long long)rows, best_parse, (double)rows / best_parse,
           (double)rows / cpu_parse);
    printf("cdr reader + engine (all window features, contacts, detectors): %.3f s = %.0f "
           "rows/s (CPU: %.0f rows/s; target >= 2000000)\n",
           best_all, (double)rows / best_all, (double)rows / cpu_all);
    printf("  the same one record at a time (no batch, no staging): %.3f s = %.0f rows/s (CPU: "
           "%.0f rows/s)\n",
           best_one, (double)rows / best_one, (double)rows / cpu_one);
    printf("memory floor (one pass over the bytes): %.3f s (%u)\n", best_touch, sink & 1);
    printf("engine: %llu records applied, %llu numbers, %llu contacts, %llu flagged, %llu "
           "warnings, %.2f GB\n",
           (unsigned long long)batched.applied, (unsigned long long)batched.numbers,
           (unsigned long long)batched.contacts, (unsigned long long)batched.flagged,
           (unsigned long long)batched.alerts, (double)batched.memory_bytes / 1e9);
    print_floor(best_parse, rows, batched.memory_bytes);
    corpus_free(&corpus);
    return 0;
}

struct zone {
    struct fz_calls *c;
    uint64_t rows;
};

static int feed(void *ud, const struct cdrsim_rec *r)
{
    struct zone *z = ud;
    struct fz_cdr cdr = {
        .caller = {r->caller, strlen(r->caller)},
        .callee = {r->callee, strlen(r->callee)},
        .start = r->start,
        .duration_s = r->duration_s,
        .ring_s = r->ring_s,
        .cell_id = r->cell_id,
        .imei = {r->imei, strlen(r->imei)},
        .imsi = {r->imsi, strlen(r->imsi)},
        .is_sms = r->is_sms,
        .is_international = r->is_international_trunk,
    };
    z->rows += fz_calls_apply(z->c, &cdr, NULL) == FZ_OK;
    return 0;
}

struct flagged {
    char (*numbers)[24];
    size_t n, cap;
};

static void collect(void *ud, const struct fz_calls_verdict *v)
{
    struct flagged *f = ud;
    if (!v->is_flagged || f->n == f->cap)
        return;
    snprintf(f->numbers[f->n++], 24, "%s", v->number);
}

static void count_victim(void *ud, const struct fz_calls_alert *a)
{
    (void)a;
    (*(uint64_t *)ud)++;
}

static long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

static int zone(uint32_t people, uint32_t days)
{
    struct cdrsim_opts o;
    cdrsim_opts_init(&o);
    o.people = people;
    o.days = days;
    struct cdrsim *s = cdrsim_new(&o);
    struct zone z = {0};
    if (!s || fz_calls_new(NULL, &z.c) != FZ_OK)
        return 1;
    double t0 = bench_now(), c0 = cpu_now();
    if (cdrsim_run(s, feed, &z) != 0)
        return 1;
    fz_calls_finish(z.c);
    double t1 = bench_now(), c1 = cpu_now();
    struct flagged f = {calloc(100000, 24), 0, 100000};
    fz_calls_each_verdict(z.c, collect, &f);
    double slowest = 0, total = 0;
    uint64_t victims = 0, most = 0;
    for (size_t i = 0; i < f.n; i++) {
        uint64_t n = 0;
        double a = bench_now();
        fz_calls_victims(z.c, f.numbers[i], strlen(f.numbers[i]), count_victim, &n);
        double b = bench_now();
        slowest = b - a > slowest ? b - a : slowest;
        total += b - a;
        victims += n;
        most = n > most ? n : most;
    }
    struct fz_calls_stats st;
    fz_calls_stats(z.c, &st);
    printf("zone of %u people, %u days: %llu records simulated and applied in %.1f s, %.1f s of "
           "CPU (%.0f/s of CPU, simulator included)\n",
           people, days, (unsigned long long)z.rows, t1 - t0, c1 - c0, (double)z.rows / (c1 - c0));
    printf("victim lists of %zu flagged numbers: slowest %.3f ms (target <= 1000 ms), all %.3f "
           "ms; %llu residents in all, %llu at most for one number\n",
           f.n, slowest * 1e3, total * 1e3, (unsigned long long)victims, (unsigned long long)most);
    printf("state: %llu numbers, %llu contacts, %.2f GB by the engine's count; peak RSS %.2f GB "
           "(target <= 8 GB)\n",
           (unsigned long long)st.numbers, (unsigned long long)st.contacts,
           (double)st.memory_bytes / 1e9, (double)peak_rss_kib() * 1024 / 1e9);
    free(f.numbers);
    fz_calls_free(z.c);
    cdrsim_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help"))
        return throughput(argv[1]);
    if (argc == 4 && !strcmp(argv[1], "--zone"))
        return zone((uint32_t)strtoul(argv[2], NULL, 10), (uint32_t)strtoul(argv[3], NULL, 10));
    fprintf(stderr, "usage: bench_calls CSV | bench_calls --zone PEOPLE DAYS\n");
    return 2;
}
