/*
 * fangzha train: trains the model (src/model) from files in the canonical TSV layout and
 * writes the model file; reports what it learned on stdout, progress on a terminal's stderr.
 */
#include "compat.h"

#include "cli.h"
#include "email.h" /* e-mail TSV rows: email_rows.c */

#include "fangzha/model.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: fangzha train --data FILE[,FILE...] --out MODEL [--split all|train]\n"
    "                     [--dim-bits N] [--c C] [--max-fpr F]\n"
    "\n"
    "Trains the classifier on files in the canonical TSV layout (columns label, channel, text;\n"
    "labels ham, spam, not_fraud, fraud or a fraud-type id) and writes the model file.\n"
    "A tenth of the rows is held out to choose the solver, C and the thresholds.\n"
    "\n"
    "options:\n"
    "  --data FILES     comma-separated TSV files (canonical, or e-mail: docs/email.md)\n"
    "  --out MODEL      the model file to write\n"
    "  --split S        all (default) or train: leave out the test fifth of the project's\n"
    "                   train/test split (the rows 'fangzha eval --split test' reads)\n"
    "  --dim-bits N     2^N hashed feature slots, 10..24 (default 18)\n"
    "  --c C            liblinear's C (default: chosen on the held-out rows)\n"
    "  --max-fpr F      false-positive budget of the thresholds (default 0.005)\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or rejected rows (reported with their\n"
    "line numbers; the model is still written from the good rows).\n";

struct train_run {
    struct fz_trainer *tr;
    struct fz_extractor *x;
    struct fz_text text;
    struct fz_arena arena;
    bool is_tty, test_split_only_excluded;
    size_t rows, bad, skipped;
};

static void progress(void *ud, const char *stage, double done)
{
    const struct train_run *r = ud;
    if (r->is_tty)
        fprintf(stderr, "\r\033[K%s %3.0f%%", stage, done * 100);
    if (r->is_tty && done >= 1)
        fputc('\n', stderr);
}

static void bad_row(struct train_run *r, const char *file, const struct fz_err *err)
{
    r->bad++;
    cli_error("train", "%s:%zu: %s", file, err->line, err->msg);
}

/* Adds the rows of one file. Returns false on a failure that stops training. */
static bool read_file(struct train_run *r, const char *file)
{
    FILE *f = cli_rows_fopen("train", file, &r->bad); /* canonical or e-mail TSV */
    if (!f) {
        cli_error("train", "cannot open '%s': %s", file, strerror(errno));
        return false;
    }
    struct fz_tsv t;
    struct fz_err err = {0};
    bool ok = true;
    if (fz_tsv_open(&t, f, FZ_CAP_LINE, &err) != FZ_OK) {
        cli_error("train", "%s: %s", file, err.msg);
        ok = false;
    }
    int cl = ok ? fz_tsv_col(&t, "label") : -1, ct = ok ? fz_tsv_col(&t, "text") : -1;
    if (ok && (cl < 0 || ct < 0)) {
        cli_error("train", "%s: the header lacks the 'label' or 'text' column", file);
        ok = false;
    }
    for (fz_rc rc; ok && (rc = fz_tsv_next(&t, &err)) != FZ_EOF;) {
        if (rc == FZ_EPARSE || rc == FZ_ETOOBIG) {
            bad_row(r, file, &err);
            continue;
        }
        struct fz_gold gold;
        const struct fz_str *lab = &t.field[cl], *txt = &t.field[ct];
        if (rc == FZ_OK && !fz_gold_parse(lab->ptr, lab->len, &gold)) {
            fz_err_setloc(&err, FZ_EPARSE, t.lines.lineno, "label", "unknown label '%.*s'",
                          (int)(lab->len > 40 ? 40 : lab->len), lab->ptr);
            bad_row(r, file, &err);
            continue;
        }
        fz_arena_reset(&r->arena);
        struct fz_entities ents;
        if (!rc)
            rc = fz_text_normalize(txt->ptr, txt->len, &r->text);
        if (!rc && r->test_split_only_excluded &&
            fz_model_bucket(&r->text, FZ_MODEL_SPLIT_SEED, FZ_MODEL_SPLIT_BUCKETS) == 0) {
            r->skipped++;
            continue;
        }
        if (!rc)
            rc = fz_extract(r->x, &r->text, txt->ptr, txt->len, &r->arena, &ents);
        if (!rc)
            rc = fz_trainer_add(r->tr, &r->text, &ents, &gold);
        if (rc) {
            cli_error("train", "%s:%zu: %s", file, t.lines.lineno, fz_strerror(rc));
            ok = false;
            break;
        }
        if (++r->rows % 4096 == 0 && r->is_tty)
            fprintf(stderr, "\r\033[Kreading %s: %zu rows", file, r->rows);
    }
    if (r->is_tty)
        fprintf(stderr, "\r\033[K");
    fz_tsv_release(&t);
    fclose(f);
    return ok;
}

static void report_head(const char *name, const struct fz_train_head *h)
{
    printf("%s head: %s, C=%g: validation F1 %.4f at FPR %.4f\n", name, h->solver, h->c, h->f1,
           h->fpr);
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++)
        printf("  %-5s threshold %.4f: F1 %.4f at FPR %.4f (%zu rows)\n",
               fz_model_script_name((enum fz_model_script)sc), h->threshold[sc], h->script_f1[sc],
               h->script_fpr[sc], h->script_rows[sc]);
}

static void report(const struct fz_train_report *rep, unsigned dim_bits)
{
    printf("rows: %zu (fraud %zu, spam %zu, ham %zu, not_fraud %zu), %zu with a fraud type\n",
           rep->rows, rep->rows_fraud, rep->rows_spam, rep->rows_ham, rep->rows_not_fraud,
           rep->rows_typed);
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        if (rep->type_rows[t])
            printf("  %-30s %zu\n", fz_fraud_type_name(t), rep->type_rows[t]);
    printf("features: 2^%u hashed slots, %zu non-zero (%.0f per row)\n", dim_bits,
           rep->features_nnz, rep->rows ? (double)rep->features_nnz / (double)rep->rows : 0.0);
    if (rep->has_holdout) {
        printf("validation: %zu held-out rows\n", rep->validation_rows);
        report_head("fraud", &rep->fraud);
        report_head("not-ham", &rep->spam);
        printf("fraud type: %s, C=%g: validation macro-F1 %.4f\n", rep->type_solver, rep->type_c,
               rep->type_macro_f1);
    } else {
        printf("chosen: %s, C=%g; too few rows to hold out (%zu): thresholds 0\n",
               rep->fraud.solver, rep->fraud.c, rep->validation_rows);
    }
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static int train_files(struct train_run *r, char *data, const char *out, unsigned dim_bits)
{
    for (char *save = NULL, *file = strtok_r(data, ",", &save); file;
         file = strtok_r(NULL, ",", &save))
        if (!read_file(r, file))
            return CLI_RUNTIME;
    struct fz_train_report rep;
    struct fz_err err = {0};
    fz_rc rc = fz_trainer_run(r->tr, progress, r, &rep, &err);
    if (rc) {
        cli_error("train", "%s", err.msg);
        return rc == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
    }
    if (fz_trainer_write(r->tr, out, &err) != FZ_OK) {
        cli_error("train", "%s", err.msg);
        return CLI_RUNTIME;
    }
    report(&rep, dim_bits ? dim_bits : FZ_MODEL_DIM_BITS_DEFAULT);
    if (r->skipped)
        printf("left out %zu test rows (--split train)\n", r->skipped);
    printf("wrote %s\n", out);
    return r->bad ? CLI_USAGE : CLI_OK;
}

int cmd_train(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},  {"out", required_argument, NULL, 'o'},
        {"split", required_argument, NULL, 's'}, {"dim-bits", required_argument, NULL, 'b'},
        {"c", required_argument, NULL, 'c'},     {"max-fpr", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    struct fz_train_opts to = {0};
    struct train_run r = {.is_tty = isatty(2)};
    char *data = NULL;
    const char *out = NULL;
    double v;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'o': out = optarg; break;
        case 's':
            if (strcmp(optarg, "all") && strcmp(optarg, "train")) {
                cli_error("train", "--split must be all or train, not '%s'", optarg);
                return CLI_USAGE;
            }
            r.test_split_only_excluded = !strcmp(optarg, "train");
            break;
        case 'b':
            if (!parse_double(optarg, FZ_MODEL_DIM_BITS_MIN, FZ_MODEL_DIM_BITS_MAX, &v) ||
                v != (unsigned)v) {
                cli_error("train", "--dim-bits must be an integer 10..24");
                return CLI_USAGE;
            }
            to.dim_bits = (unsigned)v;
            break;
        case 'c':
            if (!parse_double(optarg, 1e-6, 1e6, &to.c)) {
                cli_error("train", "bad --c '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case 'f':
            if (!parse_double(optarg, 1e-6, 1, &to.max_fpr)) {
                cli_error("train", "bad --max-fpr '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (!data || !out || optind < argc) {
        cli_error("train", "--data and --out are required, and nothing else\n%s", usage);
        return CLI_USAGE;
    }
    if (fz_trainer_new(&to, &r.tr) != FZ_OK || fz_extractor_new(&r.x) != FZ_OK) {
        cli_error("train", "cannot set up: out of memory");
        fz_trainer_free(r.tr);
        return CLI_RUNTIME;
    }
    fz_text_init(&r.text);
    fz_arena_init(&r.arena, 0);
    int code = train_files(&r, data, out, to.dim_bits);
    fz_arena_release(&r.arena);
    fz_text_release(&r.text);
    fz_extractor_free(r.x);
    fz_trainer_free(r.tr);
    return code;
}
