/*
 * fangzha cdr: call-record analytics (docs/cdr.md). analyze scores every calling number of a
 * file; stream reads stdin forever, printing newly flagged numbers and warnings as they happen
 * and checkpointing its state; train fits the linear model on labelled numbers; eval measures
 * a run against labels (and the warnings against the residents really reached).
 */
#include "compat.h"

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
/* cdr train: the share of the legitimate training numbers that may come near the flag
 * threshold on the model alone (the model's operating point; docs/cdr.md). */
#define MODEL_MAX_FPR 0.0

struct cdr_cli {
    const char *sub;
    struct fz_calls_config cfg;
    const char *model, *whitelist, *labels, *out, *victims, *alerts_path, *checkpoint;
    bool strict, flagged_only;
    uint64_t ck_rows;
    struct fz_calls *engine;
    FILE *alerts;          /* analyze/eval: --alerts */
    struct fz_map alerted; /* eval: "resident|number" → highest grade + 1 */
    uint64_t bad;
    bool failed; /* out of memory in a callback */
};

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
static int split(char *line, char **f, int max)
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
static bool canonical(const char *s, char *out, size_t cap)
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
        split(line, fields, 2);
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
static int open_engine(struct cdr_cli *k, uint64_t *skip)
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
static int run_file(struct cdr_cli *k, int argc, char **argv)
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

/* ---- labels, train, eval ------------------------------------------------------------------ */

struct label {
    char number[24];
    char archetype[24];
    bool is_fraud, seen;
};

struct labels {
    struct label *v;
    size_t n;
    struct fz_map by_number; /* canonical number → struct label * */
};

static void labels_release(struct labels *l)
{
    fz_map_release(&l->by_number);
    fz_free(l->v);
}

static int load_labels(const char *path, struct labels *l)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("cdr", "cannot read '%s'", path);
        return CLI_USAGE;
    }
    char line[512], *fields[3];
    size_t cap = 0;
    int code = -1;
    fz_map_init(&l->by_number);
    for (size_t no = 1; code < 0 && fgets(line, sizeof line, f); no++) {
        int n = split(line, fields, 3);
        if (no == 1 && !strcmp(fields[0], "number"))
            continue;
        if (!fields[0][0])
            continue;
        if (l->n == cap) {
            cap = cap ? cap * 2 : 1024;
            struct label *p = fz_realloc(l->v, cap * sizeof *p);
            if (!p) {
                code = CLI_RUNTIME;
                break;
            }
            l->v = p;
        }
        struct label *lb = &l->v[l->n];
        memset(lb, 0, sizeof *lb);
        if (n < 2 || (strcmp(fields[1], "fraud") && strcmp(fields[1], "legit")) ||
            !canonical(fields[0], lb->number, sizeof lb->number)) {
            cli_error("cdr", "%s, line %zu: want 'number,fraud|legit[,archetype]'", path, no);
            code = CLI_USAGE;
            break;
        }
        lb->is_fraud = !strcmp(fields[1], "fraud");
        snprintf(lb->archetype, sizeof lb->archetype, "%s", n > 2 ? fields[2] : "");
        l->n++;
    }
    fclose(f);
    /* the index is built once the array stops moving */
    for (size_t i = 0; code < 0 && i < l->n; i++)
        if (fz_map_put(&l->by_number, l->v[i].number, strlen(l->v[i].number), &l->v[i], NULL))
            code = CLI_RUNTIME;
    return code;
}

struct legit_scores {
    const struct labels *l;
    double *v;
    size_t n;
};

static void legit_score(void *ud, const struct fz_calls_verdict *v)
{
    struct legit_scores *ls = ud;
    const struct label *lb = fz_map_get(&ls->l->by_number, v->number, strlen(v->number));
    if (lb && !lb->is_fraud && ls->n < ls->l->n)
        ls->v[ls->n++] = v->scores[FZ_CALLS_MODEL];
}

/* Runs the data again with model m and moves its bias so that the legitimate numbers' highest
 * scores (at any moment of the stream, not only the training rows) stay under the flag. */
static int calibrate(struct cdr_cli *k, const struct labels *l, int argc, char **argv,
                     struct fz_calls_model *m, double *shift)
{
    fz_calls_free(k->engine);
    k->engine = NULL;
    uint64_t skip;
    int code = open_engine(k, &skip);
    if (code >= 0)
        return code;
    fz_calls_set_model(k->engine, m);
    if ((code = run_file(k, argc, argv)) >= 0)
        return code;
    struct legit_scores ls = {l, fz_mallocarray(l->n ? l->n : 1, sizeof(double)), 0};
    if (!ls.v)
        return CLI_RUNTIME;
    fz_calls_each_verdict(k->engine, legit_score, &ls);
    *shift = fz_calls_model_calibrate(m, ls.v, ls.n, k->cfg.flag_threshold, MODEL_MAX_FPR);
    fz_free(ls.v);
    return -1;
}

static int save_model(struct cdr_cli *k, const struct fz_calls_model *m)
{
    FILE *out = fopen(k->out, "w");
    bool ok = out && fz_calls_model_save(m, out) == FZ_OK;
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok)
        cli_error("cdr", "cannot write '%s'", k->out);
    return ok ? -1 : CLI_RUNTIME;
}

static int train_model(struct cdr_cli *k, const struct labels *l, int argc, char **argv)
{
    float *x = fz_mallocarray(l->n ? l->n : 1, sizeof(float) * FZ_CALLS__FEATURES);
    bool *y = fz_mallocarray(l->n ? l->n : 1, sizeof *y);
    size_t n = 0, pos = 0;
    for (size_t i = 0; x && y && i < l->n; i++)
        if (fz_calls_training_row(k->engine, l->v[i].number, strlen(l->v[i].number),
                                  x + n * FZ_CALLS__FEATURES))
            pos += y[n++] = l->v[i].is_fraud;
    struct fz_calls_model m;
    struct fz_err err = {0};
    double shift = 0;
    int code = -1;
    if (!x || !y) {
        code = CLI_RUNTIME;
    } else if (fz_calls_model_train(x, y, n, &m, &err) != FZ_OK) {
        cli_error("cdr", "%s", err.msg);
        code = CLI_USAGE;
    }
    fz_free(x);
    fz_free(y);
    bool is_file = optind < argc && strcmp(argv[optind], "-");
    if (code < 0 && !is_file)
        cli_error("cdr", "warning: the model's operating point is not calibrated (it needs a "
                         "FILE to read twice, not stdin)");
    if (code < 0 && is_file)
        code = calibrate(k, l, argc, argv, &m, &shift);
    if (code < 0)
        code = save_model(k, &m);
    if (code < 0)
        printf("{\"rows\":%zu,\"fraud\":%zu,\"legit\":%zu,\"bias_shift\":%.3f,\"model\":\"%s\"}\n",
               n, pos, n - pos, shift, k->out);
    return code;
}

/* The detector an archetype of the simulator should be caught by (docs/cdr.md). */
static int expected_detector(const char *archetype)
{
    static const struct {
        const char *archetype;
        enum fz_calls_detector d;
    } map[] = {{"mass_dialler", FZ_CALLS_MASS_DIALLER}, {"simbox", FZ_CALLS_SIMBOX},
               {"wangiri", FZ_CALLS_WANGIRI},           {"spoofed", FZ_CALLS_SPOOFED},
               {"impersonator", FZ_CALLS_MODEL},        {"iot_voice", FZ_CALLS_IOT_VOICE}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i].archetype, archetype))
            return (int)map[i].d;
    return -1;
}

#define MAX_ARCHETYPES 32
struct archetype_count {
    char name[24];
    uint64_t n, flagged, warned, right_detector;
    bool is_fraud;
};
struct confusion {
    uint64_t tp, fp, fn, tn;
};
struct eval_state {
    struct cdr_cli *k;
    struct labels *l;
    struct confusion at_flag, at_warn;
    struct archetype_count arch[MAX_ARCHETYPES];
    int narch;
    uint64_t unlabelled;
};

static struct archetype_count *archetype(struct eval_state *e, const struct label *lb)
{
    for (int i = 0; i < e->narch; i++)
        if (!strcmp(e->arch[i].name, lb->archetype))
            return &e->arch[i];
    if (e->narch == MAX_ARCHETYPES)
        return NULL;
    struct archetype_count *a = &e->arch[e->narch++];
    snprintf(a->name, sizeof a->name, "%s", lb->archetype);
    a->is_fraud = lb->is_fraud;
    return a;
}

static void count(struct confusion *c, bool is_fraud, bool is_hit)
{
    if (is_fraud)
        is_hit ? c->tp++ : c->fn++;
    else
        is_hit ? c->fp++ : c->tn++;
}

static void eval_one(void *ud, const struct fz_calls_verdict *v)
{
    struct eval_state *e = ud;
    struct label *lb = fz_map_get(&e->l->by_number, v->number, strlen(v->number));
    if (!lb) {
        e->unlabelled++;
        return;
    }
    lb->seen = true;
    count(&e->at_flag, lb->is_fraud, v->is_flagged);
    count(&e->at_warn, lb->is_fraud, v->score >= e->k->cfg.warn_threshold);
    struct archetype_count *a = archetype(e, lb);
    if (!a)
        return;
    a->n++;
    a->flagged += v->is_flagged;
    a->warned += v->score >= e->k->cfg.warn_threshold;
    int d = expected_detector(lb->archetype);
    a->right_detector += v->is_flagged && d >= 0 && (v->detectors & (1u << d));
}

static void metrics_json(struct fz_json *j, const char *key, const struct confusion *c)
{
    double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0;
    double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0;
    fz_json_key(j, key);
    fz_json_obj(j);
    fz_json_key(j, "precision");
    fz_json_num(j, p, 4);
    fz_json_key(j, "recall");
    fz_json_num(j, r, 4);
    fz_json_key(j, "f1");
    fz_json_num(j, p + r > 0 ? 2 * p * r / (p + r) : 0, 4);
    fz_json_key(j, "tp");
    fz_json_uint(j, c->tp);
    fz_json_key(j, "fp");
    fz_json_uint(j, c->fp);
    fz_json_key(j, "fn");
    fz_json_uint(j, c->fn);
    fz_json_obj_end(j);
}

struct victim_score {
    uint64_t truth, of_flagged, alerted, grade_match, high_truth, high_alerted;
};

/* Compares the warnings raised with the residents the simulator says each fraud number reached
 * (CSV resident,fraud_number,archetype,calls,answered,total_talk_s,max_talk_s). */
static int score_victims(struct cdr_cli *k, struct victim_score *s)
{
    FILE *f = fopen(k->victims, "r");
    if (!f) {
        cli_error("cdr", "cannot read '%s'", k->victims);
        return CLI_USAGE;
    }
    char line[512], *fl[7], res[24], num[24], key[64];
    for (size_t no = 1; fgets(line, sizeof line, f); no++) {
        if (split(line, fl, 7) < 7 || !canonical(fl[0], res, sizeof res) ||
            !canonical(fl[1], num, sizeof num)) {
            if (no > 1)
                cli_error("cdr",
                          "%s, line %zu: want resident,fraud_number,archetype,calls,"
                          "answered,total_talk_s,max_talk_s",
                          k->victims, no);
            continue;
        }
        long long answered = atoll(fl[4]), talk = atoll(fl[5]);
        int want = talk >= k->cfg.long_talk_s ? FZ_CALLS_HIGH
                   : answered                 ? FZ_CALLS_MEDIUM
                                              : FZ_CALLS_LOW;
        s->truth++;
        s->high_truth += want == FZ_CALLS_HIGH;
        int n = snprintf(key, sizeof key, "%s|%s", res, num);
        uintptr_t got = (uintptr_t)fz_map_get(&k->alerted, key, (size_t)n);
        if (!got)
            continue;
        s->alerted++;
        s->grade_match += (int)got - 1 == want;
        s->high_alerted += want == FZ_CALLS_HIGH && (int)got - 1 == FZ_CALLS_HIGH;
    }
    fclose(f);
    return -1;
}

static void print_eval(struct eval_state *e, const struct victim_score *vs)
{
    struct fz_buf b;
    struct fz_json j;
    fz_buf_init(&b, CLI_MAX_OUTPUT_LINE);
    fz_json_init(&j, &b);
    fz_json_obj(&j);
    metrics_json(&j, "at_flag_threshold", &e->at_flag);
    metrics_json(&j, "at_warn_threshold", &e->at_warn);
    fz_json_key(&j, "archetypes");
    fz_json_obj(&j);
    for (int i = 0; i < e->narch; i++) {
        const struct archetype_count *a = &e->arch[i];
        fz_json_key(&j, a->name[0] ? a->name : "unnamed");
        fz_json_obj(&j);
        fz_json_key(&j, "numbers");
        fz_json_uint(&j, a->n);
        fz_json_key(&j, "flagged");
        fz_json_uint(&j, a->flagged);
        fz_json_key(&j, a->is_fraud ? "detection_rate" : "false_positive_rate");
        fz_json_num(&j, a->n ? (double)a->flagged / (double)a->n : 0, 4);
        if (a->is_fraud && expected_detector(a->name) >= 0) {
            fz_json_key(&j, "right_detector_rate");
            fz_json_num(&j, a->n ? (double)a->right_detector / (double)a->n : 0, 4);
        }
        fz_json_obj_end(&j);
    }
    fz_json_obj_end(&j);
    fz_json_key(&j, "unlabelled_numbers");
    fz_json_uint(&j, e->unlabelled);
    if (vs) {
        fz_json_key(&j, "victims");
        fz_json_obj(&j);
        fz_json_key(&j, "truth");
        fz_json_uint(&j, vs->truth);
        fz_json_key(&j, "warned");
        fz_json_uint(&j, vs->alerted);
        fz_json_key(&j, "recall");
        fz_json_num(&j, vs->truth ? (double)vs->alerted / (double)vs->truth : 0, 4);
        fz_json_key(&j, "high_recall");
        fz_json_num(&j, vs->high_truth ? (double)vs->high_alerted / (double)vs->high_truth : 0, 4);
        fz_json_key(&j, "grade_accuracy");
        fz_json_num(&j, vs->alerted ? (double)vs->grade_match / (double)vs->alerted : 0, 4);
        fz_json_obj_end(&j);
    }
    fz_json_obj_end(&j);
    if (j.rc == FZ_OK)
        printf("%s\n", b.ptr);
    fz_buf_release(&b);
}

static int evaluate(struct cdr_cli *k, struct labels *l)
{
    struct eval_state e = {.k = k, .l = l};
    fz_calls_each_verdict(k->engine, eval_one, &e);
    for (size_t i = 0; i < l->n; i++) { /* labelled numbers that never called: missed */
        if (l->v[i].seen)
            continue;
        count(&e.at_flag, l->v[i].is_fraud, false);
        count(&e.at_warn, l->v[i].is_fraud, false);
        struct archetype_count *a = archetype(&e, &l->v[i]);
        if (a)
            a->n++;
    }
    struct victim_score vs = {0};
    int code = k->victims ? score_victims(k, &vs) : -1;
    if (code < 0)
        print_eval(&e, k->victims ? &vs : NULL);
    return code;
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
    int code = wants_labels ? load_labels(k->labels, &l) : -1;
    if (code < 0)
        code = open_engine(k, &skip);
    if (code < 0 && !strcmp(k->sub, "stream")) {
        code = optind < argc ? (cli_error("cdr", "stream reads stdin only"), CLI_USAGE)
                             : feed(k, stdin, "stdin", skip);
    } else if (code < 0) {
        code = run_file(k, argc, argv);
    }
    if (code < 0 && !strcmp(k->sub, "analyze"))
        code = analyze(k);
    else if (code < 0 && !strcmp(k->sub, "train"))
        code = train_model(k, &l, argc, argv);
    else if (code < 0 && !strcmp(k->sub, "eval"))
        code = evaluate(k, &l);
    if (k->engine)
        report_stats(k);
    labels_release(&l);
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
