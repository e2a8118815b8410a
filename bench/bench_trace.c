/*
 * bench_trace: loads a transactions CSV (bench/gen/gen_tx) into the trace graph and times a
 * 7-hop, 72-hour trace: one victim (each of the first victims, the slowest reported), all three
 * rules, and many victims at once; then mule scoring of the whole graph. Targets (issue 6):
 * load 10 M rows <= 10 s, a 7-hop trace <= 1 s.
 *
 * usage: bench_trace TX.csv VICTIMS_FILE
 */
#include "compat.h"

#include "benchlib.h"
#include "fangzha/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_VICTIMS 1000

/* CPU seconds of this process: on a shared machine the wall clock also counts the other
 * tenants' time, so both are printed. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#define SINGLE_RUNS 20 /* victims traced one by one */

static size_t read_victims(const char *path, const struct fz_trace_graph *g,
                           struct fz_trace_victim *v)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    size_t n = 0;
    while (n < MAX_VICTIMS && fgets(line, sizeof line, f)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        uint32_t a = fz_trace_find(g, line, (size_t)(c1 - line));
        if (a == FZ_TRACE_NONE)
            continue;
        v[n++] = (struct fz_trace_victim){a, strtoll(c1 + 1, NULL, 10), strtoll(c2 + 1, NULL, 10)};
    }
    fclose(f);
    return n;
}

/* Seconds for one trace; also the flows and holdings it found. */
static double trace_once(const struct fz_trace_graph *g, const struct fz_trace_victim *v, size_t n,
                         enum fz_trace_rule rule, size_t *flows, size_t *holdings, double *cpu)
{
    struct fz_trace_opts o = {rule, 7, 72 * 3600};
    struct fz_trace_result r;
    double c0 = cpu_now(), t0 = bench_now();
    if (fz_trace_run(g, v, n, &o, &r, NULL) != FZ_OK) {
        fputs("bench_trace: trace failed\n", stderr);
        exit(1);
    }
    double t = bench_now() - t0;
    *cpu = cpu_now() - c0;
    *flows = r.n_flows;
    *holdings = r.n_holdings;
    fz_trace_result_release(&r);
    return t;
}

static void bench_rules(const struct fz_trace_graph *g, const struct fz_trace_victim *v, size_t n)
{
    static const enum fz_trace_rule rules[] = {FZ_TRACE_FIFO, FZ_TRACE_LIFO, FZ_TRACE_PROPORTIONAL};
    for (int k = 0; k < 3; k++) {
        double worst = 0, sum = 0, cpu_worst = 0, cpu_sum = 0, cpu;
        size_t flows = 0, holdings = 0, runs = n < SINGLE_RUNS ? n : SINGLE_RUNS, fl, ho;
        for (size_t i = 0; i < runs; i++) {
            double t = trace_once(g, &v[i], 1, rules[k], &fl, &ho, &cpu);
            worst = t > worst ? t : worst;
            cpu_worst = cpu > cpu_worst ? cpu : cpu_worst;
            sum += t;
            cpu_sum += cpu;
            flows += fl;
            holdings += ho;
        }
        printf("trace 7 hops, 72 h, %s, one victim: mean %.4f s (CPU %.4f), slowest %.4f s (CPU "
               "%.4f) over %zu victims (%.0f flows, %.0f freeze entries each on average; target "
               "<= 1 s)\n",
               fz_trace_rule_name(rules[k]), sum / (double)runs, cpu_sum / (double)runs, worst,
               cpu_worst, runs, (double)flows / (double)runs, (double)holdings / (double)runs);
        double t = trace_once(g, v, n, rules[k], &fl, &ho, &cpu);
        printf("trace 7 hops, 72 h, %s, %zu victims at once: %.4f s (CPU %.4f; %zu flows, %zu "
               "freeze entries)\n",
               fz_trace_rule_name(rules[k]), n, t, cpu, fl, ho);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bench_trace TX.csv VICTIMS_FILE\n", stderr);
        return 2;
    }
    struct fz_trace_graph *g = NULL;
    struct fz_err err = {0};
    double c0 = cpu_now(), t0 = bench_now();
    if (fz_trace_load_file(argv[1], NULL, NULL, &g, &err) != FZ_OK) {
        fprintf(stderr, "bench_trace: %s\n", err.msg);
        return 1;
    }
    double load = bench_now() - t0, load_cpu = cpu_now() - c0;
    printf("load: %zu transactions, %zu accounts in %.3f s (CPU %.3f s) = %.2f M rows/s (target: "
           "10 M rows <= 10 s)\n",
           fz_trace_txs(g), fz_trace_accounts(g), load, load_cpu,
           (double)fz_trace_txs(g) / load / 1e6);
    struct fz_trace_victim *v = calloc(MAX_VICTIMS, sizeof *v);
    size_t n = v ? read_victims(argv[2], g, v) : 0;
    if (n == 0) {
        fputs("bench_trace: no victims\n", stderr);
        return 1;
    }
    bench_rules(g, v, n);
    struct fz_trace_mule *m;
    size_t nm;
    c0 = cpu_now();
    t0 = bench_now();
    if (fz_trace_mules(g, &m, &nm) == FZ_OK)
        printf("mule scores of all %zu accounts: %.3f s (CPU %.3f s)\n", nm, bench_now() - t0,
               cpu_now() - c0);
    fz_free(m);
    free(v);
    fz_trace_free(g);
    return 0;
}
