/*
 * fangzha trace: follows victims' money through a transactions CSV and prints the flow tree, the
 * freeze list and the refund plan (JSON, or the freeze list as CSV); `fangzha trace mules` ranks
 * every account as a likely mule, and with --eval scores the ranking against an AMLSim scenario's
 * isFraud labels. docs/trace.md describes the formats and rules.
 */
#include "compat.h"

#include "cli.h"

#include "fangzha/trace.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: fangzha trace --tx FILE --victim ACCOUNT:LOSS_FEN:TIME [--victim ...]\n"
    "                     [--rule fifo|lifo|proportional] [--max-hops N] [--window HOURS]\n"
    "                     [--as-of TIME] [--csv]\n"
    "       fangzha trace mules --tx FILE [--top K]\n"
    "       fangzha trace mules --eval DIR [--top K]\n"
    "\n"
    "Follows each victim's payments (its outgoing transactions from TIME on, up to LOSS_FEN)\n"
    "forward hop by hop, splitting what every account received between what it sent by the\n"
    "rule, never more than its balance, and prints one JSON document:\n"
    "  {\"rule\", \"max_hops\", \"window_end\", \"as_of\", \"victims\": [{\"account\", "
    "\"loss_fen\",\n"
    "   \"time\", \"paid_fen\", \"held_fen\", \"stopped_fen\", \"hops\": [...]}], \"tree\": "
    "[{\"victim\",\n"
    "   \"flows\": [{\"flow\", \"parent\", \"hop\", \"tx\", \"from\", \"to\", \"time\", "
    "\"tx_amount_fen\",\n"
    "   \"amount_fen\"}]}], \"freeze\": [{\"account\", \"bank\", \"amount_fen\", \"victim\", "
    "\"arrived\",\n"
    "   \"hop\", \"stop_payment_deadline\", \"freeze_until\"}], \"refunds\": [{\"account\", "
    "\"bank\",\n"
    "   \"frozen_fen\", \"method\" (direct|pro_rata), \"notice_until\", \"returns\": "
    "[{\"victim\",\n"
    "   \"amount_fen\"}], \"unclaimed_fen\"}]}\n"
    "\n"
    "options:\n"
    "  --tx FILE        transactions CSV (docs/trace.md), \"-\" for standard input\n"
    "  --victim V       ACCOUNT:LOSS_FEN:TIME; TIME is ISO 8601 (Beijing time without a zone)\n"
    "                   or Unix seconds; repeat for several victims\n"
    "  --rule R         fifo (default), lifo or proportional\n"
    "  --max-hops N     follow money at most N transfers from the victim (1-64, default 7)\n"
    "  --window HOURS   follow money until the victim's time + HOURS (default 72)\n"
    "  --as-of TIME     the day refund notices start (default: the end of the window)\n"
    "  --csv            print the freeze list alone as CSV\n"
    "  -h, --help       this help\n"
    "\n"
    "mules: scores every account (fan-in, fan-out, pass-through, time to forward, age, round\n"
    "and small amounts, small cycles) and prints the top K as JSON Lines {\"rank\", "
    "\"account\",\n"
    "\"score\", \"reasons\", ...}. --eval DIR reads an AMLSim scenario (nodes.csv,\n"
    "transactions.csv) and prints precision@k and recall@k for its isFraud accounts.\n"
    "  --top K          how many accounts to print (default 100)\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input (every bad row is reported on\n"
    "stderr with its line number and field).\n";

#define MAX_VICTIMS 1024
#define MAX_BAD_ROWS_SHOWN 50

struct bad_rows {
    const char *file;
    size_t n;
};

static bool on_bad_row(void *ud, const struct fz_err *err)
{
    struct bad_rows *b = ud;
    if (b->n++ < MAX_BAD_ROWS_SHOWN)
        cli_error("trace", "%s: %s", b->file, err->msg);
    return true;
}

/* Loads FILE, reporting every bad row. Returns the exit code (CLI_OK with *g set). */
static int load(const char *file, struct fz_trace_graph **g)
{
    struct bad_rows b = {file, 0};
    struct fz_err err = {0};
    fz_rc rc = fz_trace_load_file(file, on_bad_row, &b, g, &err);
    if (rc == FZ_OK)
        return CLI_OK;
    if (rc == FZ_EPARSE && b.n) {
        if (b.n > MAX_BAD_ROWS_SHOWN)
            cli_error("trace", "%s: %zu bad rows in all", file, b.n);
        return CLI_USAGE;
    }
    cli_error("trace", "%s: %s", file, err.msg);
    return rc == FZ_EPARSE || rc == FZ_ETOOBIG ? CLI_USAGE : CLI_RUNTIME;
}

/* A whole non-negative number within [lo, hi]. */
static bool parse_num(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* ACCOUNT:LOSS_FEN:TIME (the time may hold colons; the account may not). */
struct victim_arg {
    const char *account;
    size_t account_len;
    int64_t loss_fen, time;
};

static bool parse_victim(const char *s, struct victim_arg *v)
{
    const char *c1 = strchr(s, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || c1 == s)
        return false;
    char loss[32];
    size_t n = (size_t)(c2 - c1 - 1);
    if (n == 0 || n >= sizeof loss)
        return false;
    memcpy(loss, c1 + 1, n);
    loss[n] = '\0';
    v->account = s;
    v->account_len = (size_t)(c1 - s);
    return parse_num(loss, 1, INT64_MAX, &v->loss_fen) &&
           fz_trace_parse_time(c2 + 1, strlen(c2 + 1), &v->time);
}

struct trace_args {
    const char *tx;
    struct victim_arg victims[MAX_VICTIMS];
    size_t n_victims;
    struct fz_trace_opts opts;
    bool has_as_of, is_csv;
    int64_t as_of;
};

/* Returns -1 to go on, else the exit code. */
static int parse_trace_args(int argc, char **argv, struct trace_args *a)
{
    static const struct option longopts[] = {{"tx", required_argument, NULL, 't'},
                                             {"victim", required_argument, NULL, 'v'},
                                             {"rule", required_argument, NULL, 'r'},
                                             {"max-hops", required_argument, NULL, 'm'},
                                             {"window", required_argument, NULL, 'w'},
                                             {"as-of", required_argument, NULL, 'a'},
                                             {"csv", no_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int64_t v;
    for (int c; (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1;) {
        switch (c) {
        case 't': a->tx = optarg; break;
        case 'v':
            if (a->n_victims == MAX_VICTIMS) {
                cli_error("trace", "more than %d victims", MAX_VICTIMS);
                return CLI_USAGE;
            }
            if (!parse_victim(optarg, &a->victims[a->n_victims++])) {
                cli_error("trace", "bad --victim '%s' (ACCOUNT:LOSS_FEN:TIME)", optarg);
                return CLI_USAGE;
            }
            break;
        case 'r':
            if (!fz_trace_rule_parse(optarg, &a->opts.rule)) {
                cli_error("trace", "bad --rule '%s' (fifo, lifo or proportional)", optarg);
                return CLI_USAGE;
            }
            break;
        case 'm':
            if (!parse_num(optarg, 1, FZ_TRACE_MAX_HOPS, &v)) {
                cli_error("trace", "bad --max-hops '%s' (1-%d)", optarg, FZ_TRACE_MAX_HOPS);
                return CLI_USAGE;
            }
            a->opts.max_hops = (int)v;
            break;
        case 'w':
            if (!parse_num(optarg, 0, 24 * 366 * 10, &v)) {
                cli_error("trace", "bad --window '%s' (hours, 0-87840)", optarg);
                return CLI_USAGE;
            }
            a->opts.window_s = v * 3600;
            break;
        case 'a':
            if (!fz_trace_parse_time(optarg, strlen(optarg), &a->as_of)) {
                cli_error("trace", "bad --as-of '%s' (ISO 8601 or Unix seconds)", optarg);
                return CLI_USAGE;
            }
            a->has_as_of = true;
            break;
        case 'c': a->is_csv = true; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (optind < argc || !a->tx || !a->n_victims) {
        cli_error("trace", optind < argc ? "unexpected argument '%s'" : "%s",
                  optind < argc ? argv[optind] : "--tx and at least one --victim are required");
        return CLI_USAGE;
    }
    return -1;
}

static int write_out(struct fz_buf *out)
{
    if (fwrite(out->ptr, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
        cli_error("trace", "cannot write the output: %s", strerror(errno));
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

static int trace_and_print(const struct fz_trace_graph *g, const struct trace_args *a,
                           struct fz_trace_victim *vs)
{
    for (size_t i = 0; i < a->n_victims; i++) {
        const struct victim_arg *v = &a->victims[i];
        vs[i] = (struct fz_trace_victim){fz_trace_find(g, v->account, v->account_len), v->loss_fen,
                                         v->time};
        if (vs[i].account == FZ_TRACE_NONE) {
            cli_error("trace", "victim account '%.*s' is not in %s", (int)v->account_len,
                      v->account, a->tx);
            return CLI_USAGE;
        }
    }
    struct fz_trace_result r;
    struct fz_err err = {0};
    fz_rc rc = fz_trace_run(g, vs, a->n_victims, &a->opts, &r, &err);
    if (rc) {
        cli_error("trace", "%s", err.msg);
        return rc == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
    }
    struct fz_buf out;
    fz_buf_init(&out, SIZE_MAX / 2);
    rc = a->is_csv
             ? fz_trace_write_freeze_csv(g, &r, &out)
             : fz_trace_write_json(g, &r, &a->opts, a->has_as_of ? a->as_of : r.window_end, &out);
    if (!rc && !a->is_csv)
        rc = fz_buf_addc(&out, '\n');
    int code = rc ? CLI_RUNTIME : write_out(&out);
    if (rc)
        cli_error("trace", "writing the result: %s", fz_strerror(rc));
    fz_buf_release(&out);
    fz_trace_result_release(&r);
    return code;
}

static int cmd_trace_run(int argc, char **argv)
{
    struct trace_args *a = fz_calloc(1, sizeof *a);
    if (!a) {
        cli_error("trace", "out of memory");
        return CLI_RUNTIME;
    }
    a->opts = (struct fz_trace_opts){FZ_TRACE_FIFO, 7, 72 * 3600};
    int code = parse_trace_args(argc, argv, a);
    struct fz_trace_graph *g = NULL;
    if (code < 0)
        code = load(a->tx, &g);
    if (code == CLI_OK && g) {
        struct fz_trace_victim *vs = fz_calloc(a->n_victims, sizeof *vs);
        code = vs ? trace_and_print(g, a, vs) : CLI_RUNTIME;
        fz_free(vs);
    }
    fz_trace_free(g);
    fz_free(a);
    return code;
}

/* ---- mules --------------------------------------------------------------------------------- */

static fz_rc mule_json(struct fz_buf *out, const struct fz_trace_graph *g,
                       const struct fz_trace_mule *m, size_t rank)
{
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "rank");
    fz_json_uint(&j, rank);
    fz_json_key(&j, "account");
    struct fz_str id = fz_trace_account(g, m->account), bank = fz_trace_account_bank(g, m->account);
    fz_json_str(&j, id.ptr, id.len);
    fz_json_key(&j, "bank");
    fz_json_str(&j, bank.ptr, bank.len);
    fz_json_key(&j, "score");
    fz_json_int(&j, m->score);
    fz_json_key(&j, "reasons");
    fz_json_arr(&j);
    for (uint32_t bit = 1; bit; bit <<= 1)
        if ((m->reasons & bit) && fz_trace_mule_reason(bit))
            fz_json_cstr(&j, fz_trace_mule_reason(bit));
    fz_json_arr_end(&j);
    fz_json_key(&j, "senders");
    fz_json_uint(&j, m->senders);
    fz_json_key(&j, "receivers");
    fz_json_uint(&j, m->receivers);
    fz_json_key(&j, "in_fen");
    fz_json_int(&j, m->in_fen);
    fz_json_key(&j, "out_fen");
    fz_json_int(&j, m->out_fen);
    fz_json_key(&j, "pass_through");
    fz_json_num(&j, m->pass_through, 3);
    fz_json_key(&j, "median_forward_s");
    fz_json_int(&j, m->median_forward_s);
    fz_json_key(&j, "age_s");
    fz_json_int(&j, m->age_s);
    fz_json_key(&j, "round_share");
    fz_json_num(&j, m->round_share, 3);
    fz_json_key(&j, "small_txs");
    fz_json_uint(&j, m->small_txs);
    fz_json_key(&j, "cycle_size");
    fz_json_uint(&j, m->cycle_size);
    fz_json_obj_end(&j);
    return j.rc ? j.rc : fz_buf_addc(out, '\n');
}

/* Reads a whole file into b; false after printing why. */
static bool read_file(const char *path, struct fz_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("trace", "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    fz_rc rc = fz_buf_read(b, f);
    fclose(f);
    if (rc)
        cli_error("trace", "cannot read '%s': %s", path, fz_strerror(rc));
    return rc == FZ_OK;
}

/* "123.45" (at most two decimals) in fen. */
static bool yuan_to_fen(const char *s, const char *end, int64_t *out)
{
    int64_t v = 0;
    int decimals = -1;
    for (; s < end; s++) {
        if (*s == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || decimals == 2 || v > INT64_MAX / 100)
            return false;
        v = v * 10 + (*s - '0');
        decimals += decimals >= 0;
    }
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
        v *= 10;
    *out = v;
    return true;
}

/* AMLSim's sourceNodeId,targetNodeId,value,time (a step is taken as a day from 2026-01-01)
 * as the transactions CSV. Self-transfers are left out (counted in *skipped). */
static bool amlsim_to_csv(const struct fz_buf *in, struct fz_buf *out, size_t *skipped)
{
    const int64_t base = 1767196800; /* 2026-01-01T00:00:00+08:00 */
    fz_rc rc = fz_buf_adds(out, "id,time,from,to,amount_fen\n");
    const char *p = in->ptr, *end = in->ptr + in->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p)); /* the header */
    p = nl ? nl + 1 : end;
    for (size_t row = 1; !rc && p < end; row++) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *f[4], *fe[4];
        for (int k = 0; k < 4; k++) {
            f[k] = p;
            while (p < le && *p != ',')
                p++;
            fe[k] = p;
            if (p < le)
                p++;
        }
        p = nl ? nl + 1 : end;
        int64_t fen, step;
        char stepbuf[16];
        size_t sl = (size_t)(fe[3] - f[3]);
        if (sl && f[3][sl - 1] == '\r')
            sl--;
        if (sl == 0 || sl >= sizeof stepbuf || !yuan_to_fen(f[2], fe[2], &fen))
            return false;
        memcpy(stepbuf, f[3], sl);
        stepbuf[sl] = '\0';
        if (!parse_num(stepbuf, 0, 1000000, &step))
            return false;
        if (fe[0] - f[0] == fe[1] - f[1] && !memcmp(f[0], f[1], (size_t)(fe[0] - f[0]))) {
            (*skipped)++;
            continue;
        }
        rc = fz_buf_addf(out, "t%zu,%lld,%.*s,%.*s,%lld\n", row, (long long)(base + step * 86400),
                         (int)(fe[0] - f[0]), f[0], (int)(fe[1] - f[1]), f[1], (long long)fen);
    }
    return rc == FZ_OK;
}

/* nodes.csv: nodeid,isFraud,...; marks fraud[a] for the graph's accounts. */
static size_t amlsim_labels(const struct fz_buf *in, const struct fz_trace_graph *g, bool *fraud)
{
    size_t n = 0;
    const char *p = in->ptr, *end = in->ptr + in->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    for (p = nl ? nl + 1 : end; p < end; p = nl ? nl + 1 : end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *c = memchr(p, ',', (size_t)((nl ? nl : end) - p));
        if (!c || c + 1 >= end || c[1] != '1')
            continue;
        n++;
        uint32_t a = fz_trace_find(g, p, (size_t)(c - p));
        if (a != FZ_TRACE_NONE)
            fraud[a] = true;
    }
    return n;
}

static void print_eval(const struct fz_trace_mule *m, size_t n, const bool *fraud, size_t n_fraud,
                       const char *dir)
{
    size_t ks[] = {50, 100, 200, 500, n_fraud, 1000, 2000};
    printf("{\"data\":\"%s\",\"accounts\":%zu,\"fraud_accounts\":%zu,\"at\":[", dir, n, n_fraud);
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
        size_t k = ks[i] < n ? ks[i] : n, hit = 0;
        for (size_t r = 0; r < k; r++)
            hit += fraud[m[r].account];
        printf("%s{\"k\":%zu,\"precision\":%.4f,\"recall\":%.4f}", i ? "," : "", k,
               k ? (double)hit / (double)k : 0, n_fraud ? (double)hit / (double)n_fraud : 0);
    }
    puts("]}");
}

static int mules_eval(const char *dir)
{
    char path[4096];
    struct fz_buf tx, csv, nodes;
    fz_buf_init(&tx, (size_t)1 << 32);
    fz_buf_init(&csv, (size_t)1 << 32);
    fz_buf_init(&nodes, (size_t)1 << 32);
    size_t skipped = 0;
    int code = CLI_USAGE;
    struct fz_trace_graph *g = NULL;
    snprintf(path, sizeof path, "%s/transactions.csv", dir);
    if (read_file(path, &tx) && !amlsim_to_csv(&tx, &csv, &skipped))
        cli_error("trace", "%s: not AMLSim transactions (sourceNodeId,targetNodeId,value,time)",
                  path);
    else if (csv.len) {
        snprintf(path, sizeof path, "%s/nodes.csv", dir);
        struct fz_err err = {0};
        bool is_read = read_file(path, &nodes);
        if (is_read && fz_trace_load_mem(csv.ptr, csv.len, NULL, NULL, &g, &err) != FZ_OK)
            cli_error("trace", "%s: %s", dir, err.msg);
        else if (is_read)
            code = CLI_OK;
    }
    struct fz_trace_mule *m = NULL;
    size_t n = 0;
    bool *fraud = g ? fz_calloc(fz_trace_accounts(g) + 1, 1) : NULL;
    if (code == CLI_OK && (!fraud || fz_trace_mules(g, &m, &n) != FZ_OK)) {
        cli_error("trace", "scoring: out of memory");
        code = CLI_RUNTIME;
    }
    if (code == CLI_OK)
        print_eval(m, n, fraud, amlsim_labels(&nodes, g, fraud), dir);
    fz_free(m);
    fz_free(fraud);
    fz_trace_free(g);
    fz_buf_release(&tx);
    fz_buf_release(&csv);
    fz_buf_release(&nodes);
    return code;
}

static int mules_top(const char *file, size_t top)
{
    struct fz_trace_graph *g = NULL;
    int code = load(file, &g);
    if (code)
        return code;
    struct fz_trace_mule *m = NULL;
    size_t n = 0;
    struct fz_buf out;
    fz_buf_init(&out, SIZE_MAX / 2);
    fz_rc rc = fz_trace_mules(g, &m, &n);
    for (size_t i = 0; !rc && i < n && i < top; i++)
        rc = mule_json(&out, g, &m[i], i + 1);
    code = rc ? CLI_RUNTIME : write_out(&out);
    if (rc)
        cli_error("trace", "mules: %s", fz_strerror(rc));
    fz_buf_release(&out);
    fz_free(m);
    fz_trace_free(g);
    return code;
}

static int cmd_trace_mules(int argc, char **argv)
{
    static const struct option longopts[] = {{"tx", required_argument, NULL, 't'},
                                             {"eval", required_argument, NULL, 'e'},
                                             {"top", required_argument, NULL, 'k'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *tx = NULL, *eval = NULL;
    int64_t top = 100;
    for (int c; (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1;) {
        if (c == 't')
            tx = optarg;
        else if (c == 'e')
            eval = optarg;
        else if (c == 'k' && !parse_num(optarg, 1, INT32_MAX, &top)) {
            cli_error("trace", "bad --top '%s'", optarg);
            return CLI_USAGE;
        } else if (c == 'h') {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (c != 'k') {
            fputs(usage, stderr);
            return CLI_USAGE;
        }
    }
    if (optind < argc || !tx == !eval) {
        cli_error("trace", "mules needs --tx FILE or --eval DIR");
        return CLI_USAGE;
    }
    return eval ? mules_eval(eval) : mules_top(tx, (size_t)top);
}

int cmd_trace(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "mules"))
        return cmd_trace_mules(argc - 1, argv + 1);
    return cmd_trace_run(argc, argv);
}
