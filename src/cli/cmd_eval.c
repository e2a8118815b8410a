/*
 * fangzha eval: runs a model over a labelled file in the canonical TSV layout and prints one
 * JSON object with the detection figures (precision, recall, F1, FPR, accuracy, per-type
 * figures, the confusion matrix, throughput).
 */
#include "compat.h"

#include "cli.h"
#include "email.h" /* e-mail TSV rows: email_rows.c */

#include "fangzha/model.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fangzha eval --model MODEL --data FILE[,FILE...] [--split all|test|train]\n"
    "\n"
    "Predicts every row of files in the canonical TSV layout and prints one JSON object:\n"
    "  n; precision, recall, f1, fpr, accuracy of not-ham (spam or fraud) vs ham over the rows\n"
    "  whose label tells ham from spam (not_fraud rows are left out of these); \"fraud\": the\n"
    "  same for fraud vs the rest over all rows; \"types\": per fraud type precision, recall,\n"
    "  f1 and support, and macro_f1, over the rows with a type; \"type_confusion\": gold type\n"
    "  -> predicted type -> count (non-zero cells); \"confusion\": gold label ->\n"
    "  predicted label -> count; msgs_per_s (normalize + extract + predict) and predict_us\n"
    "  (the model's share, microseconds per message, clock reads included).\n"
    "\n"
    "options:\n"
    "  --model MODEL   the model file (fangzha train)\n"
    "  --data FILES    comma-separated TSV files (canonical, or e-mail: docs/email.md)\n"
    "  --split S       all (default); test: only the test fifth of the project's split;\n"
    "                  train: only the rest\n"
    "  -h, --help      this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage, a bad model file or rejected rows\n"
    "(reported on stderr with their line numbers).\n";

enum gold_class { G_HAM, G_SPAM, G_FRAUD, G_NOT_FRAUD, G__COUNT };
static const char *const gold_names[G__COUNT] = {"ham", "spam", "fraud", "not_fraud"};

struct counts {
    size_t tp, fp, fn, tn;
};

struct eval_run {
    const struct fz_model *model;
    struct fz_extractor *x;
    struct fz_text text;
    struct fz_arena arena;
    struct fz_model_scratch scratch;
    int split; /* -1 all, 0 test, 1 train */
    size_t n, bad;
    double seconds, predict_seconds;
    struct counts spam, fraud;
    struct counts type[FZ_FRAUD_TYPE_COUNT];
    size_t confusion[G__COUNT][FZ_LABEL__COUNT];
    size_t type_confusion[FZ_FRAUD_TYPE_COUNT][FZ_FRAUD_TYPE_COUNT]; /* [gold][predicted] */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void count(struct counts *c, bool gold, bool pred)
{
    if (gold)
        pred ? c->tp++ : c->fn++;
    else
        pred ? c->fp++ : c->tn++;
}

static void score_row(struct eval_run *r, const struct fz_gold *g, const struct fz_prediction *p)
{
    enum gold_class gc = g->is_fraud         ? G_FRAUD
                         : !g->has_spam_info ? G_NOT_FRAUD
                         : g->is_ham         ? G_HAM
                                             : G_SPAM;
    r->confusion[gc][p->label]++;
    count(&r->fraud, g->is_fraud, p->label == FZ_LABEL_FRAUD);
    if (g->has_spam_info)
        count(&r->spam, !g->is_ham, p->label != FZ_LABEL_HAM);
    if (g->type >= 0) {
        for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
            count(&r->type[t], g->type == t, p->fraud_type == t);
        if (p->fraud_type >= 0)
            r->type_confusion[g->type][p->fraud_type]++;
    }
}

/* Normalizes, extracts and predicts one row. FZ_EOF: a row of the other split, skipped. */
static fz_rc eval_row(struct eval_run *r, const struct fz_str *txt, const struct fz_gold *g)
{
    double t0 = now();
    fz_arena_reset(&r->arena);
    fz_rc rc = fz_text_normalize(txt->ptr, txt->len, &r->text);
    if (rc)
        return rc;
    if (r->split >= 0 && (fz_model_bucket(&r->text, FZ_MODEL_SPLIT_SEED, FZ_MODEL_SPLIT_BUCKETS) ==
                          0) != (r->split == 0))
        return FZ_EOF;
    struct fz_entities ents;
    rc = fz_extract(r->x, &r->text, txt->ptr, txt->len, &r->arena, &ents);
    if (rc)
        return rc;
    struct fz_prediction p;
    double t1 = now();
    fz_model_predict(r->model, &r->text, &ents, &r->scratch, &p);
    double t2 = now();
    r->seconds += t2 - t0;
    r->predict_seconds += t2 - t1;
    r->n++;
    if (g->type >= 0 && p.fraud_type < 0) /* the type head on every typed row */
        fz_model_fraud_type(r->model, &r->scratch, &p.fraud_type, &p.type_margin);
    score_row(r, g, &p);
    return FZ_OK;
}

static bool eval_file(struct eval_run *r, const char *file)
{
    FILE *f = cli_rows_fopen("eval", file, &r->bad); /* canonical or e-mail TSV */
    if (!f) {
        cli_error("eval", "cannot open '%s': %s", file, strerror(errno));
        return false;
    }
    struct fz_tsv t;
    struct fz_err err = {0};
    bool ok = fz_tsv_open(&t, f, FZ_CAP_LINE, &err) == FZ_OK;
    if (!ok)
        cli_error("eval", "%s: %s", file, err.msg);
    int cl = ok ? fz_tsv_col(&t, "label") : -1, ct = ok ? fz_tsv_col(&t, "text") : -1;
    if (ok && (cl < 0 || ct < 0)) {
        cli_error("eval", "%s: the header lacks the 'label' or 'text' column", file);
        ok = false;
    }
    for (fz_rc rc; ok && (rc = fz_tsv_next(&t, &err)) != FZ_EOF;) {
        struct fz_gold g;
        if (rc == FZ_OK && !fz_gold_parse(t.field[cl].ptr, t.field[cl].len, &g))
            rc = fz_err_setloc(&err, FZ_EPARSE, t.lines.lineno, "label", "unknown label '%.*s'",
                               (int)(t.field[cl].len > 40 ? 40 : t.field[cl].len), t.field[cl].ptr);
        if (rc == FZ_EPARSE || rc == FZ_ETOOBIG) {
            r->bad++;
            cli_error("eval", "%s:%zu: %s", file, err.line, err.msg);
            continue;
        }
        if (rc == FZ_OK)
            rc = eval_row(r, &t.field[ct], &g);
        if (rc != FZ_OK && rc != FZ_EOF) {
            cli_error("eval", "%s:%zu: %s", file, t.lines.lineno, fz_strerror(rc));
            ok = false;
        }
    }
    fz_tsv_release(&t);
    fclose(f);
    return ok;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

/* The metrics of c; nkey names the count of rows they are over. */
static void json_metrics(struct fz_json *j, const struct counts *c, const char *nkey)
{
    double p = ratio(c->tp, c->tp + c->fp), rec = ratio(c->tp, c->tp + c->fn);
    fz_json_key(j, nkey);
    fz_json_uint(j, c->tp + c->fp + c->fn + c->tn);
    fz_json_key(j, "precision");
    fz_json_num(j, p, 4);
    fz_json_key(j, "recall");
    fz_json_num(j, rec, 4);
    fz_json_key(j, "f1");
    fz_json_num(j, ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn), 4);
    fz_json_key(j, "fpr");
    fz_json_num(j, ratio(c->fp, c->fp + c->tn), 4);
    fz_json_key(j, "accuracy");
    fz_json_num(j, ratio(c->tp + c->tn, c->tp + c->fp + c->fn + c->tn), 4);
}

static void json_types(struct fz_json *j, const struct eval_run *r)
{
    double sum = 0;
    int ntypes = 0;
    fz_json_key(j, "types");
    fz_json_obj(j);
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++) {
        const struct counts *c = &r->type[t];
        if (!c->tp && !c->fn && !c->fp)
            continue;
        double f1 = ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn);
        fz_json_key(j, fz_fraud_type_name(t));
        fz_json_obj(j);
        fz_json_key(j, "precision");
        fz_json_num(j, ratio(c->tp, c->tp + c->fp), 4);
        fz_json_key(j, "recall");
        fz_json_num(j, ratio(c->tp, c->tp + c->fn), 4);
        fz_json_key(j, "f1");
        fz_json_num(j, f1, 4);
        fz_json_key(j, "support");
        fz_json_uint(j, c->tp + c->fn);
        fz_json_obj_end(j);
        if (c->tp + c->fn) {
            sum += f1;
            ntypes++;
        }
    }
    fz_json_key(j, "macro_f1");
    fz_json_num(j, ntypes ? sum / ntypes : 0, 4);
    fz_json_obj_end(j);
    fz_json_key(j, "type_confusion");
    fz_json_obj(j);
    for (int g = 0; g < FZ_FRAUD_TYPE_COUNT; g++) {
        if (!r->type[g].tp && !r->type[g].fn)
            continue;
        fz_json_key(j, fz_fraud_type_name(g));
        fz_json_obj(j);
        for (int p = 0; p < FZ_FRAUD_TYPE_COUNT; p++) {
            if (!r->type_confusion[g][p])
                continue;
            fz_json_key(j, fz_fraud_type_name(p));
            fz_json_uint(j, r->type_confusion[g][p]);
        }
        fz_json_obj_end(j);
    }
    fz_json_obj_end(j);
}

static fz_rc print_json(const struct eval_run *r)
{
    struct fz_buf out;
    struct fz_json j;
    fz_buf_init(&out, FZ_CAP_JSON_DOC);
    fz_json_init(&j, &out);
    fz_json_obj(&j);
    fz_json_key(&j, "n");
    fz_json_uint(&j, r->n);
    json_metrics(&j, &r->spam, "n_ham_spam");
    fz_json_key(&j, "fraud");
    fz_json_obj(&j);
    json_metrics(&j, &r->fraud, "n");
    fz_json_obj_end(&j);
    bool has_types = false;
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        has_types |= r->type[t].tp + r->type[t].fn > 0;
    if (has_types)
        json_types(&j, r);
    fz_json_key(&j, "confusion");
    fz_json_obj(&j);
    for (int g = 0; g < G__COUNT; g++) {
        size_t row = 0;
        for (int p = 0; p < FZ_LABEL__COUNT; p++)
            row += r->confusion[g][p];
        if (!row)
            continue;
        fz_json_key(&j, gold_names[g]);
        fz_json_obj(&j);
        for (int p = 0; p < FZ_LABEL__COUNT; p++) {
            fz_json_key(&j, fz_label_name((enum fz_label)p));
            fz_json_uint(&j, r->confusion[g][p]);
        }
        fz_json_obj_end(&j);
    }
    fz_json_obj_end(&j);
    fz_json_key(&j, "bad_rows");
    fz_json_uint(&j, r->bad);
    fz_json_key(&j, "msgs_per_s");
    fz_json_num(&j, r->seconds > 0 ? (double)r->n / r->seconds : 0, 0);
    fz_json_key(&j, "predict_us");
    fz_json_num(&j, r->n ? r->predict_seconds * 1e6 / (double)r->n : 0, 3);
    fz_json_obj_end(&j);
    if (!j.rc)
        puts(out.ptr);
    fz_buf_release(&out);
    return j.rc;
}

static int eval_files(struct eval_run *r, char *data)
{
    for (char *save = NULL, *file = strtok_r(data, ",", &save); file;
         file = strtok_r(NULL, ",", &save))
        if (!eval_file(r, file))
            return CLI_RUNTIME;
    if (print_json(r) != FZ_OK) {
        cli_error("eval", "cannot write the result: out of memory");
        return CLI_RUNTIME;
    }
    return r->bad ? CLI_USAGE : CLI_OK;
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"data", required_argument, NULL, 'd'},
                                         {"split", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct eval_run r = {.split = -1};
    const char *model = NULL;
    char *data = NULL;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        switch (c) {
        case 'm': model = optarg; break;
        case 'd': data = optarg; break;
        case 's':
            if (!strcmp(optarg, "all")) {
                r.split = -1;
            } else if (!strcmp(optarg, "test") || !strcmp(optarg, "train")) {
                r.split = !strcmp(optarg, "train");
            } else {
                cli_error("eval", "--split must be all, test or train, not '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (!model || !data || optind < argc) {
        cli_error("eval", "--model and --data are required, and nothing else\n%s", usage);
        return CLI_USAGE;
    }
    struct fz_model *m;
    struct fz_err err = {0};
    fz_rc rc = fz_model_open(model, &m, &err);
    if (rc) {
        cli_error("eval", "%s", err.msg);
        return rc == FZ_EPARSE ? CLI_USAGE : CLI_RUNTIME;
    }
    r.model = m;
    if (fz_extractor_new(&r.x) != FZ_OK || fz_model_scratch_init(&r.scratch) != FZ_OK) {
        cli_error("eval", "cannot set up: out of memory");
        fz_extractor_free(r.x);
        fz_model_close(m);
        return CLI_RUNTIME;
    }
    fz_text_init(&r.text);
    fz_arena_init(&r.arena, 0);
    int code = eval_files(&r, data);
    fz_arena_release(&r.arena);
    fz_text_release(&r.text);
    fz_model_scratch_release(&r.scratch);
    fz_extractor_free(r.x);
    fz_model_close(m);
    return code;
}
