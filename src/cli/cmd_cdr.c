/*
 * fangzha cdr: call-record analytics (docs/cdr.md). analyze scores every calling number of a
 * file; stream reads stdin forever, printing newly flagged numbers and warnings as they happen
 * and checkpointing its state; train fits the linear model on labelled numbers; eval measures
 * a run against labels (and the warnings against the residents really reached).
 */
#include "compat.h"

#include "cdr.h"
#include "cli.h"
#include "fangzha/calls.h"
#include "fangzha/phone.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fangzha cdr analyze [OPTIONS] [FILE | -]\n"
    "       fangzha cdr stream [OPTIONS] [--checkpoint PATH]      (reads stdin until it ends)\n"
    "       fangzha cdr train --labels LABELS --out MODEL [OPTIONS] [FILE | -]\n"
    "       fangzha cdr eval --labels LABELS [--victims VICTIMS] [OPTIONS] [FILE | -]\n"
    "\n"
    "Call detail records (CSV with a header, or JSON Lines; docs/cdr.md) → per-number scores,\n"
    "flagged fraud numbers and graded warnings for the residents they reached.\n"
    "\n"
    "  analyze   one JSON line per calling number, highest score first: number (E.164), score,\n"
    "            flagged, detectors, reasons, features\n"
    "  stream    JSON lines {\"event\":\"flagged\",...} and {\"event\":\"alert\",...} as they "
    "happen\n"
    "  train     fits the model detector on LABELS (CSV number,label[,archetype]; label "
    "fraud|legit)\n"
    "  eval      precision, recall, F1 at the flag and warning thresholds, per-archetype "
    "detection\n"
    "\n"
    "options:\n"
    "  --model PATH          the model detector's weights (from cdr train)\n"
    "  --whitelist PATH      numbers never flagged (one per line, or the first CSV column)\n"
    "  --flag-threshold X    score that flags a number (default 0.9)\n"
    "  --warn-threshold X    score worth a look (default 0.5)\n"
    "  --long-talk S         talk seconds that make a warning high (default 60)\n"
    "  --late-tolerance S    apply records up to S seconds late (default 600)\n"
    "  --alerts PATH         analyze/eval: also write the warnings there (JSON Lines)\n"
    "  --flagged             analyze: only flagged numbers\n"
    "  --checkpoint PATH     stream: resume from PATH and save to it (PATH.tmp, then renamed)\n"
    "  --checkpoint-rows N   stream: save every N rows (default 100000) and every 10 s\n"
    "  --strict              stop at the first malformed row (exit 2)\n"
    "  -h, --help            this help\n"
    "\n"
    "A malformed row is reported on stderr with its line and field and skipped; the exit code\n"
    "is then 2. Records later than --late-tolerance are counted and reported, not applied.\n";

#define MAX_BAD_SHOWN 20

/* ---- options ------------------------------------------------------------------------------ */

static bool parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static int parse_opts(struct cdr_cli *k, int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"whitelist", required_argument, NULL, 'w'},
                                         {"flag-threshold", required_argument, NULL, 'f'},
                                         {"warn-threshold", required_argument, NULL, 'W'},
                                         {"long-talk", required_argument, NULL, 'L'},
                                         {"late-tolerance", required_argument, NULL, 't'},
                                         {"labels", required_argument, NULL, 'l'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"victims", required_argument, NULL, 'v'},
                                         {"alerts", required_argument, NULL, 'a'},
                                         {"flagged", no_argument, NULL, 'F'},
                                         {"checkpoint", required_argument, NULL, 'c'},
                                         {"checkpoint-rows", required_argument, NULL, 'r'},
                                         {"strict", no_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    double v;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        switch (c) {
        case 'm': k->model = optarg; break;
        case 'w': k->whitelist = optarg; break;
        case 'l': k->labels = optarg; break;
        case 'o': k->out = optarg; break;
        case 'v': k->victims = optarg; break;
        case 'a': k->alerts_path = optarg; break;
        case 'F': k->flagged_only = true; break;
        case 'c': k->checkpoint = optarg; break;
        case 's': k->strict = true; break;
        case 'f':
        case 'W':
            if (!parse_double(optarg, 0, 1, &v)) {
                cli_error("cdr", "a threshold is a number from 0 to 1, not '%s'", optarg);
                return CLI_USAGE;
            }
            *(c == 'f' ? &k->cfg.flag_threshold : &k->cfg.warn_threshold) = v;
            break;
        case 'L':
        case 't':
        case 'r':
            if (!parse_double(optarg, c == 'r' ? 1 : 0, 1e12, &v) || v != (double)(int64_t)v) {
                cli_error("cdr", "'%s' is not a whole number in range", optarg);
                return CLI_USAGE;
            }
            if (c == 'L')
                k->cfg.long_talk_s = (int32_t)(v > 86400 ? 86400 : v);
            else if (c == 't')
                k->cfg.late_tolerance_s = (int64_t)v;
            else
                k->ck_rows = (uint64_t)v;
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    return -1;
}

/* ---- small CSV files (labels, whitelist, victims) ----------------------------------------- */

/* Splits line into at most max comma-separated fields (no quoting: these are our own files). */
int cdr_split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max; n++) {
        f[n] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            return n + 1;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* The canonical text of a number (as the engine keeps it) into out; false when not a number. */
bool cdr_canonical(const char *s, char *out, size_t cap)
{
    struct fz_phone p;
    if (fz_phone_normalize(s, strlen(s), &p) != FZ_OK || !p.valid)
        return false;
    snprintf(out, cap, "%s", p.e164[0] ? p.e164 : p.digits);
    return true;
}

static int load_whitelist(struct cdr_cli *k)
{
    FILE *f = fopen(k->whitelist, "r");
    if (!f) {
        cli_error("cdr", "cannot read '%s'", k->whitelist);
        return CLI_USAGE;
    }
    char line[512], *fields[2];
    int code = -1;
    for (size_t no = 1; code < 0 && fgets(line, sizeof line, f); no++) {
        cdr_split(line, fields, 2);
        if (!fields[0][0] || fields[0][0] == '#' || (no == 1 && !strcmp(fields[0], "number")))
            continue;
        struct fz_err err = {0};
        if (fz_calls_whitelist(k->engine, fields[0], strlen(fields[0]), &err) != FZ_OK) {
            cli_error("cdr", "%s, line %zu: %s", k->whitelist, no, err.msg);
            code = CLI_USAGE;
        }
    }
    fclose(f);
    return code;
}

/* ---- the run ------------------------------------------------------------------------------ */

static void print_json_line(FILE *out, void (*fn)(struct fz_json *, const void *), const void *p)
{
    struct fz_buf b;
    struct fz_json j;
    fz_buf_init(&b, CLI_MAX_OUTPUT_LINE);
    fz_json_init(&j, &b);
    fn(&j, p);
    if (j.rc == FZ_OK) {
        fwrite(b.ptr, 1, b.len, out);
        fputc('\n', out);
    }
    fz_buf_release(&b);
}

static void alert_member(struct fz_json *j, const void *p) { fz_calls_alert_json(j, p); }

static void event_json(struct fz_json *j, const void *p)
{
    const struct fz_calls_event *ev = p;
    if (ev->kind == FZ_CALLS_EV_ALERT) {
        /* {"event":"alert", ...the alert's members} */
        struct fz_buf inner;
        struct fz_json ij;
        fz_buf_init(&inner, CLI_MAX_OUTPUT_LINE);
        fz_json_init(&ij, &inner);
        fz_calls_alert_json(&ij, ev->alert);
        fz_json_obj(j);
        fz_json_key(j, "event");
        fz_json_cstr(j, "alert");
        if (ij.rc == FZ_OK && inner.len > 2)
            fz_json_raw(j, inner.ptr + 1, inner.len - 2);
        fz_json_obj_end(j);
        fz_buf_release(&inner);
        return;
    }
    fz_json_obj(j);
    fz_json_key(j, "event");
    fz_json_cstr(j, "flagged");
    fz_calls_verdict_json(j, ev->verdict);
    fz_json_obj_end(j);
}

static void remember_alert(struct cdr_cli *k, const struct fz_calls_alert *a)
{
    char key[64];
    int n = snprintf(key, sizeof key, "%s|%s", a->resident, a->fraud_number);
    uintptr_t old = (uintptr_t)fz_map_get(&k->alerted, key, (size_t)n);
    if ((uintptr_t)a->grade + 1 > old &&
        fz_map_put(&k->alerted, key, (size_t)n, (void *)((uintptr_t)a->grade + 1), NULL) != FZ_OK)
        k->failed = true;
}

static void on_event(void *ud, const struct fz_calls_event *ev)
{
    struct cdr_cli *k = ud;
    if (!strcmp(k->sub, "stream")) {
        print_json_line(stdout, event_json, ev);
        fflush(stdout);
        return;
    }
    if (ev->kind != FZ_CALLS_EV_ALERT)
        return;
    if (k->alerts)
        print_json_line(k->alerts, alert_member, ev->alert);
    if (!strcmp(k->sub, "eval"))
        remember_alert(k, ev->alert);
}

static fz_rc save_checkpoint(struct cdr_cli *k, uint64_t rows)
{
    struct fz_err err = {0};
    fflush(stdout); /* what was printed is out before the state that says it was */
    fz_rc rc = fz_calls_save(k->engine, k->checkpoint, rows, &err);
    if (rc != FZ_OK)
        cli_error("cdr", "%s", err.msg);
    return rc;
}

/* Reports a malformed or refused row (the first MAX_BAD_SHOWN of them). */
static void report_bad(struct cdr_cli *k, const char *name, size_t line, const struct fz_err *err)
{
    if (++k->bad <= MAX_BAD_SHOWN)
        cli_error("cdr", "%s, line %zu%s%s%s: %s", name, line, err->field[0] ? ", field '" : "",
                  err->field, err->field[0] ? "'" : "", err->msg);
}

struct feed {
    struct cdr_cli *k;
    const char *name;
    struct fz_cdr_reader *r;
    struct fz_cdr_batch batch;
};

static void on_reject(void *ud, uint64_t line, fz_rc rc, const struct fz_err *err)
{
    struct feed *f = ud;
    (void)rc;
    report_bad(f->k, f->name, (size_t)line, err);
}

/* Applies what the batch holds. false when memory ran out. */
static bool flush(struct feed *f)
{
    return !f->batch.n || fz_calls_apply_batch(f->k->engine, &f->batch, on_reject, f) == FZ_OK;
}

/* One good record: into the batch (applied when full), or at once under --strict, where the
 * first refused row must stop the rest. Returns FZ_OK or the refusal. */
static fz_rc take(struct feed *f, const struct fz_cdr *cdr, struct fz_err *err)
{
    size_t line = fz_cdr_reader_lineno(f->r);
    if (f->k->strict)
        return fz_calls_apply(f->k->engine, cdr, err);
    if (fz_cdr_batch_add(&f->batch, cdr, line))
        return FZ_OK;
    if (!flush(f))
        return FZ_E(FZ_ENOMEM);
    if (fz_cdr_batch_add(&f->batch, cdr, line))
        return FZ_OK;
    return fz_calls_apply(f->k->engine, cdr, err); /* too long for a batch */
}

/* Reads every record of in into the engine (skipping the first `skip` rows, already applied
 * before a restart). Records are applied in batches of what is already read, so a stream's
 * record is applied before the reader waits for the next. Returns -1 to go on, or an exit
 * code. */
static int feed(struct cdr_cli *k, FILE *in, const char *name, uint64_t skip)
{
    static struct feed f; /* the batch is large: not on the stack */
    f = (struct feed){.k = k, .name = name};
    fz_cdr_batch_init(&f.batch);
    if (fz_cdr_reader_new(in, &f.r) != FZ_OK)
        return CLI_RUNTIME;
    struct fz_cdr cdr;
    int code = -1;
    time_t last_save = time(NULL);
    uint64_t since_save = 0;
    for (;;) {
        struct fz_err err = {0};
        if (!fz_cdr_reader_has_buffered(f.r) && !flush(&f)) {
            code = CLI_RUNTIME;
            break;
        }
        fz_rc rc = fz_cdr_reader_next(f.r, &cdr, &err);
        if (rc == FZ_EOF)
            break;
        if (fz_cdr_reader_rows(f.r) <= skip && rc != FZ_EINVAL)
            continue;
        if (rc == FZ_OK)
            rc = take(&f, &cdr, &err);
        else if (!flush(&f)) /* the rows before a bad one are reported first */
            rc = FZ_ENOMEM;
        if (rc == FZ_EPARSE || rc == FZ_ETOOBIG || (rc == FZ_EINVAL && !err.line)) {
            report_bad(k, name, err.line ? err.line : fz_cdr_reader_lineno(f.r), &err);
            if (k->strict) {
                code = CLI_USAGE;
                break;
            }
        } else if (rc != FZ_OK) {
            cli_error("cdr", "%s: %s", name, err.msg[0] ? err.msg : fz_strerror(rc));
            code = rc == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
            break;
        }
        if (k->checkpoint && (++since_save >= k->ck_rows ||
                              ((since_save & 1023) == 0 && time(NULL) - last_save >= 10))) {
            if (!flush(&f) || save_checkpoint(k, fz_cdr_reader_rows(f.r)) != FZ_OK) {
                code = CLI_RUNTIME;
                break;
            }
            since_save = 0;
            last_save = time(NULL);
        }
    }
    if (code < 0 && !flush(&f))
        code = CLI_RUNTIME;
    if (code < 0 && k->checkpoint && save_checkpoint(k, fz_cdr_reader_rows(f.r)) != FZ_OK)
        code = CLI_RUNTIME;
    fz_cdr_reader_free(f.r);
    return k->failed ? CLI_RUNTIME : code;
}

static void report_stats(struct cdr_cli *k)
{
    struct fz_calls_stats s;
    fz_calls_stats(k->engine, &s);
    if (k->bad > MAX_BAD_SHOWN)
        cli_error("cdr", "%llu malformed rows in all (the first %d shown)",
                  (unsigned long long)k->bad, MAX_BAD_SHOWN);
    if (s.late_dropped)
        cli_error("cdr", "%llu records arrived too late and were not applied",
                  (unsigned long long)s.late_dropped);
    if (getenv("FANGZHA_CDR_STATS"))
        fprintf(stderr,
                "cdr: %llu applied (%llu late), %llu numbers, %llu contacts, %llu flagged, "
                "%llu alerts, %zu MiB of state\n",
                (unsigned long long)s.applied, (unsigned long long)s.late_applied,
                (unsigned long long)s.numbers, (unsigned long long)s.contacts,
                (unsigned long long)s.flagged, (unsigned long long)s.alerts, s.memory_bytes >> 20);
}

/* Opens the engine (from the checkpoint when there is one) with model and whitelist. */
int cdr_open_engine(struct cdr_cli *k, uint64_t *skip)
{
    struct fz_err err = {0};
    *skip = 0;
    fz_rc rc = FZ_ENOTFOUND;
    if (k->checkpoint)
        rc = fz_calls_load(k->checkpoint, &k->cfg, &k->engine, skip, &err);
    if (rc == FZ_ENOTFOUND)
        rc = fz_calls_new(&k->cfg, &k->engine);
    else if (rc == FZ_OK)
        fprintf(stderr, "fangzha cdr: resumed from '%s' after %llu rows\n", k->checkpoint,
                (unsigned long long)*skip);
    if (rc != FZ_OK) {
        cli_error("cdr", "%s", err.msg[0] ? err.msg : fz_strerror(rc));
        return rc == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
    }
    fz_calls_on_event(k->engine, on_event, k);
    if (k->model) {
        struct fz_calls_model m;
        FILE *f = fopen(k->model, "r");
        if (!f || fz_calls_model_load(f, &m, &err) != FZ_OK) {
            cli_error("cdr", "%s: %s", k->model, f ? err.msg : "cannot open");
            if (f)
                fclose(f);
            return CLI_USAGE;
        }
        fclose(f);
        fz_calls_set_model(k->engine, &m);
    }
    return k->whitelist ? load_whitelist(k) : -1;
}

/* Runs the engine over the file operand (or stdin) to its end. */
int cdr_run_file(struct cdr_cli *k, int argc, char **argv)
{
    if (argc - optind > 1) {
        cli_error("cdr", "at most one FILE\n%s", usage);
        return CLI_USAGE;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        cli_error("cdr", "cannot read '%s'", path);
        return CLI_USAGE;
    }
    if (k->alerts_path && !(k->alerts = fopen(k->alerts_path, "w"))) {
        cli_error("cdr", "cannot write '%s'", k->alerts_path);
        return CLI_USAGE;
    }
    int code = feed(k, in, path, 0);
    if (in != stdin)
        fclose(in);
    if (code < 0)
        fz_calls_finish(k->engine);
    return code;
}

/* ---- analyze ------------------------------------------------------------------------------ */

struct verdicts {
    struct fz_calls_verdict *v;
    size_t n, cap;
    bool failed;
};

static void collect(void *ud, const struct fz_calls_verdict *v)
{
    struct verdicts *vs = ud;
    if (vs->n == vs->cap) {
        size_t cap = vs->cap ? vs->cap * 2 : 4096;
        void *p = fz_realloc(vs->v, cap * sizeof *vs->v);
        if (!p) {
            vs->failed = true;
            return;
        }
        vs->v = p;
        vs->cap = cap;
    }
    vs->v[vs->n++] = *v;
}

static int by_score(const void *a, const void *b)
{
    const struct fz_calls_verdict *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return strcmp(x->number, y->number);
}

static void verdict_line(struct fz_json *j, const void *p)
{
    fz_json_obj(j);
    fz_calls_verdict_json(j, p);
    fz_json_obj_end(j);
}

static int analyze(struct cdr_cli *k)
{
    struct verdicts vs = {0};
    fz_calls_each_verdict(k->engine, collect, &vs);
    if (vs.failed) {
        fz_free(vs.v);
        return CLI_RUNTIME;
    }
    qsort(vs.v, vs.n, sizeof *vs.v, by_score);
    for (size_t i = 0; i < vs.n; i++)
        if (!k->flagged_only || vs.v[i].is_flagged)
            print_json_line(stdout, verdict_line, &vs.v[i]);
    fz_free(vs.v);
    return -1;
}

/* ---- dispatch ----------------------------------------------------------------------------- */

static int run(struct cdr_cli *k, int argc, char **argv)
{
    uint64_t skip;
    struct labels l = {0};
    bool wants_labels = !strcmp(k->sub, "train") || !strcmp(k->sub, "eval");
    if (wants_labels && (!k->labels || (!strcmp(k->sub, "train") && !k->out))) {
        cli_error("cdr", "%s needs --labels%s\n%s", k->sub,
                  !strcmp(k->sub, "train") ? " and --out" : "", usage);
        return CLI_USAGE;
    }
    if (k->checkpoint && strcmp(k->sub, "stream")) {
        cli_error("cdr", "--checkpoint is for cdr stream");
        return CLI_USAGE;
    }
    int code = wants_labels ? cdr_load_labels(k->labels, &l) : -1;
    if (code < 0)
        code = cdr_open_engine(k, &skip);
    if (code < 0 && !strcmp(k->sub, "stream")) {
        code = optind < argc ? (cli_error("cdr", "stream reads stdin only"), CLI_USAGE)
                             : feed(k, stdin, "stdin", skip);
    } else if (code < 0) {
        code = cdr_run_file(k, argc, argv);
    }
    if (code < 0 && !strcmp(k->sub, "analyze"))
        code = analyze(k);
    else if (code < 0 && !strcmp(k->sub, "train"))
        code = cdr_train_model(k, &l, argc, argv);
    else if (code < 0 && !strcmp(k->sub, "eval"))
        code = cdr_evaluate(k, &l);
    if (k->engine)
        report_stats(k);
    cdr_labels_release(&l);
    return code >= 0 ? code : k->bad ? CLI_USAGE : CLI_OK;
}

int cmd_cdr(int argc, char **argv)
{
    static const char *const subs[] = {"analyze", "stream", "train", "eval"};
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    struct cdr_cli k = {.sub = NULL, .ck_rows = 100000};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (!strcmp(argv[1], subs[i]))
            k.sub = subs[i];
    if (!k.sub) {
        cli_error("cdr", "unknown subcommand '%s'\n%s", argv[1], usage);
        return CLI_USAGE;
    }
    fz_calls_config_init(&k.cfg);
    fz_map_init(&k.alerted);
    int code = parse_opts(&k, argc - 1, argv + 1);
    if (code < 0)
        code = run(&k, argc - 1, argv + 1);
    if (k.alerts)
        fclose(k.alerts);
    fz_map_release(&k.alerted);
    fz_calls_free(k.engine);
    return code;
}
