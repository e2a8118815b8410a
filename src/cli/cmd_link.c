/*
 * fangzha link: reads cases as JSON Lines, links them into suspected gangs and prints one
 * cluster per line (docs/link.md), then a summary line with the hubs; with --eval, scores
 * the clusters against a ground truth file instead (link_eval.c).
 */
#include "compat.h"

#include "cli.h"
#include "link_eval.h"

#include "fangzha/link.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fangzha link [options] [FILE | -]\n"
    "\n"
    "Links fraud cases into suspected gangs. Reads one case per line (JSON Lines):\n"
    "  {\"case_id\", \"identifiers\": [{\"kind\", \"value\"}], \"time\", \"fraud_type\", "
    "\"loss_fen\"}\n"
    "kinds: phone, account, url, domain, wechat, qq (hard: shared means linked), device, ip,\n"
    "script (soft: weighed by community detection). Prints one cluster per line:\n"
    "  {\"cluster_id\", \"size\", \"cases\", \"links\": [{\"kind\", \"value\", \"cases\", "
    "\"why\"}],\n"
    "   \"loss_fen\", \"organisers\": [{\"kind\", \"value\", \"score\"}]}\n"
    "largest first, then one summary line {\"summary\": {...}, \"hubs\": [...]}.\n"
    "\n"
    "options:\n"
    "  --hub-cap N       an identifier shared by more than N cases is a hub, never a link\n"
    "                    (default 50)\n"
    "  --hub-ratio R     ... or by more than R x all cases, when that is lower (default 0.05)\n"
    "  --hub-floor N     ... but the ratio rule never goes below N cases (default 10)\n"
    "  --resolution R    Leiden resolution: higher splits soft-linked groups more\n"
    "                    (default 0.05)\n"
    "  --min-cluster N   report clusters of at least N cases (default 2)\n"
    "  --organisers N    organisers listed per cluster (0-100, default 5)\n"
    "  --seed N          community detection seed (default 1)\n"
    "  --no-summary      leave out the summary line\n"
    "  --strict          stop at the first rejected line\n"
    "  --eval TRUTH      print one JSON object scoring the clusters against a ground truth\n"
    "                    file (bench/gen/gen_gangs --truth) instead of the clusters\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or a rejected line (reported on stderr\n"
    "with its line number and field; the other lines are still linked unless --strict).\n";

struct link_args {
    struct fz_link_opts opts;
    const char *truth;
    bool strict, no_summary;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool parse_uint(const char *opt, const char *s, uint32_t min, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < min || v > UINT32_MAX) {
        cli_error("link", "--%s must be a whole number from %u, not '%s'", opt, min, s);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static bool parse_real(const char *opt, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < 0) {
        cli_error("link", "--%s must be a number >= 0, not '%s'", opt, s);
        return false;
    }
    *out = v;
    return true;
}

/* Parses the options; returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct link_args *a)
{
    static const struct option opts[] = {{"hub-cap", required_argument, NULL, 'c'},
                                         {"hub-ratio", required_argument, NULL, 'r'},
                                         {"hub-floor", required_argument, NULL, 'f'},
                                         {"resolution", required_argument, NULL, 'R'},
                                         {"min-cluster", required_argument, NULL, 'm'},
                                         {"organisers", required_argument, NULL, 'o'},
                                         {"seed", required_argument, NULL, 'S'},
                                         {"no-summary", no_argument, NULL, 'n'},
                                         {"strict", no_argument, NULL, 's'},
                                         {"eval", required_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    uint32_t seed;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        bool ok = true;
        switch (c) {
        case 'c': ok = parse_uint("hub-cap", optarg, 1, &a->opts.hub_cap); break;
        case 'r': ok = parse_real("hub-ratio", optarg, &a->opts.hub_ratio); break;
        case 'f': ok = parse_uint("hub-floor", optarg, 0, &a->opts.hub_floor); break;
        case 'R': ok = parse_real("resolution", optarg, &a->opts.resolution); break;
        case 'm': ok = parse_uint("min-cluster", optarg, 1, &a->opts.min_cluster); break;
        case 'o': ok = parse_uint("organisers", optarg, 0, &a->opts.organisers); break;
        case 'S':
            ok = parse_uint("seed", optarg, 0, &seed);
            a->opts.seed = seed;
            break;
        case 'n': a->no_summary = true; break;
        case 's': a->strict = true; break;
        case 'e': a->truth = optarg; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
        if (!ok)
            return CLI_USAGE;
    }
    if (argc - optind > 1) {
        cli_error("link", "one input file at most\n%s", usage);
        return CLI_USAGE;
    }
    if (a->truth && a->opts.organisers < 3)
        a->opts.organisers = 3; /* --eval scores the top 3 */
    return -1;
}

/* Reads every case of f into s; *bad counts rejected lines. Returns the exit code so far. */
static int read_cases(FILE *f, const char *name, struct fz_link_set *s, bool strict, size_t *bad)
{
    struct fz_lines lines;
    fz_lines_init(&lines, f, FZ_CAP_LINE);
    int code = CLI_OK;
    for (;;) {
        struct fz_str line;
        struct fz_err err = {0};
        fz_rc rc = fz_lines_next(&lines, &line, &err);
        if (rc == FZ_EOF)
            break;
        if (rc == FZ_OK && line.len == 0)
            continue;
        if (rc == FZ_OK)
            rc = fz_link_set_add_json(s, line.ptr, line.len, lines.lineno, &err);
        if (rc == FZ_EIO || rc == FZ_ENOMEM) {
            cli_error("link", "%s: %s", name, fz_strerror(rc));
            code = CLI_RUNTIME;
            break;
        }
        if (rc) {
            (*bad)++;
            cli_error("link", "%s:%zu: %s%s%s", name, lines.lineno, err.field,
                      err.field[0] ? ": " : "", err.msg);
            if (strict) {
                code = CLI_USAGE;
                break;
            }
        }
    }
    fz_lines_release(&lines);
    return code;
}

static int print_clusters(const struct fz_link_result *r, bool summary)
{
    struct fz_buf out;
    fz_buf_init(&out, CLI_MAX_OUTPUT_LINE);
    fz_rc rc = FZ_OK;
    for (size_t i = 0; rc == FZ_OK && i < fz_link_result_nclusters(r); i++) {
        fz_buf_reset(&out);
        if ((rc = fz_link_cluster_json(r, i, &out)) == FZ_OK)
            printf("%s\n", out.ptr);
    }
    if (rc == FZ_OK && summary) {
        fz_buf_reset(&out);
        if ((rc = fz_link_summary_json(r, &out)) == FZ_OK)
            printf("%s\n", out.ptr);
    }
    fz_buf_release(&out);
    if (rc) {
        cli_error("link", "cannot write the clusters: %s", fz_strerror(rc));
        return CLI_RUNTIME;
    }
    return fflush(stdout) ? CLI_RUNTIME : CLI_OK;
}

static int link_file(FILE *f, const char *name, struct fz_link_set *s, const struct link_args *a)
{
    size_t bad = 0;
    double t0 = now();
    int code = read_cases(f, name, s, a->strict, &bad);
    if (code != CLI_OK)
        return code;
    double t1 = now();
    struct fz_link_result *r;
    struct fz_err err = {0};
    fz_rc rc = fz_link_run(s, &a->opts, &r, &err);
    if (rc) {
        cli_error("link", "%s", err.msg);
        return rc == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
    }
    double t2 = now();
    code = a->truth ? cli_link_eval(a->truth, s, r, t1 - t0, t2 - t1)
                    : print_clusters(r, !a->no_summary);
    fz_link_result_free(r);
    return code == CLI_OK && bad ? CLI_USAGE : code;
}

int cmd_link(int argc, char **argv)
{
    struct link_args a = {0};
    fz_link_opts_init(&a.opts);
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    const char *name = optind < argc ? argv[optind] : "-";
    FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
    if (!f) {
        cli_error("link", "cannot open '%s': %s", name, strerror(errno));
        return CLI_USAGE;
    }
    struct fz_url_ctx *uctx = NULL;
    struct fz_link_set *s = NULL;
    if (fz_url_ctx_new(&uctx) != FZ_OK || fz_link_set_new(uctx, &s) != FZ_OK) {
        cli_error("link", "cannot set up: out of memory");
        code = CLI_RUNTIME;
    } else {
        code = link_file(f, name, s, &a);
    }
    fz_link_set_free(s);
    fz_url_ctx_free(uctx);
    if (f != stdin)
        fclose(f);
    return code;
}
