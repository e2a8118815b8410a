/*
 * bench_link: times case linking on synthetic gangs (gen/gangs.h) held in memory: building
 * the set from canonical values (interning), then fz_link_run (hubs, union-find, Leiden,
 * organisers), best of a few runs. Parsing JSON Lines is left out here; scripts/bench.sh
 * times `fangzha link` on the same model's file for the figure with it.
 * Usage: bench_link [CASES] [IDENTIFIERS] [SEED]   (defaults 2000000, 10000000, 1: one-off
 * phones are added to reach IDENTIFIERS case-identifier pairs; target: 10 M identifiers over
 * 2 M cases linked in <= 5 s)
 */
#include "compat.h"

#include "benchlib.h"
#include "gangs.h"

#include "fangzha/link.h"

#include <stdlib.h>
#include <time.h>

/* CPU seconds of this process: on a shared machine, what the wall time would be on an idle
 * core (the run is single-threaded). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct load {
    struct fz_link_set *set;
    size_t bad;
};

static void add_case(void *ud, const struct gcase *c)
{
    struct load *l = ud;
    uint32_t idx;
    if (!l->set) /* generator-only pass */
        return;
    if (fz_link_set_add_case(l->set, c->id, strlen(c->id), -1, c->loss_fen, &idx, NULL)) {
        l->bad++;
        return;
    }
    for (int i = 0; i < c->n; i++)
        if (fz_link_set_add_canonical(l->set, idx, (enum fz_link_kind)c->ident[i].kind,
                                      c->ident[i].value, strlen(c->ident[i].value), NULL))
            l->bad++;
}

static void log_err(void *ud, enum fz_log_level level, const char *module, const char *msg)
{
    (void)ud, (void)level;
    fprintf(stderr, "%s: %s\n", module, msg);
}

int main(int argc, char **argv)
{
    struct gang_params p = {.seed = 1, .cases = 2000000, .gang_share = 0.6, .canonical = true};
    if (argc > 1)
        p.cases = (uint32_t)strtoul(argv[1], NULL, 10);
    size_t want = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
    if (argc > 3)
        p.seed = strtoull(argv[3], NULL, 10);
    struct load l = {0};
    gang_fit_extra(&p, want);
    if (getenv("BENCH_DEBUG")) { /* phase times of fz_link_run */
        fz_log_set(log_err, NULL, FZ_LOG_DEBUG);
        fz_log_set_debug("link");
    }
    double t0 = bench_now(), c0 = cpu_now();
    gang_generate(&p, add_case, gang_no_org, &l);
    double t1 = bench_now(), c1 = cpu_now();
    if (fz_link_set_new(NULL, &l.set)) {
        fprintf(stderr, "bench_link: out of memory\n");
        return 1;
    }
    gang_generate(&p, add_case, gang_no_org, &l);
    double t2 = bench_now(), c2 = cpu_now();
    if (l.bad) {
        fprintf(stderr, "bench_link: %zu values rejected\n", l.bad);
        return 1;
    }
    double best = 1e9, best_cpu = 1e9;
    size_t nclusters = 0, nhubs = 0;
    for (int round = 0; round < 3; round++) {
        struct fz_link_result *r;
        struct fz_err err = {0};
        double a = bench_now(), ca = cpu_now();
        if (fz_link_run(l.set, NULL, &r, &err)) {
            fprintf(stderr, "bench_link: %s\n", err.msg);
            return 1;
        }
        double b = bench_now(), cb = cpu_now();
        best = b - a < best ? b - a : best;
        best_cpu = cb - ca < best_cpu ? cb - ca : best_cpu;
        const uint32_t *h;
        nclusters = fz_link_result_nclusters(r);
        nhubs = fz_link_result_hubs(r, &h);
        fz_link_result_free(r);
    }
    double build = (t2 - t1) - (t1 - t0), build_cpu = (c2 - c1) - (c1 - c0);
    build = build > 0 ? build : 0;
    build_cpu = build_cpu > 0 ? build_cpu : 0;
    printf("link: %zu cases, %zu identifiers (%zu distinct values), %zu clusters, %zu hubs\n",
           fz_link_set_ncases(l.set), fz_link_set_npairs(l.set), fz_link_set_nidents(l.set),
           nclusters, nhubs);
    printf("link: set built (interning, parse excluded) in %.3f s wall, %.3f s CPU\n", build,
           build_cpu);
    printf("link: linked (hubs, union-find, Leiden, organisers) in %.3f s wall, %.3f s CPU, best "
           "of 3 (target <= 5 s)\n",
           best, best_cpu);
    printf("link: build + link %.3f s wall, %.3f s CPU\n", build + best, build_cpu + best_cpu);
    fz_link_set_free(l.set);
    return 0;
}
