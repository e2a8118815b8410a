/*
 * fangzha cdr train and eval: labelled numbers (docs/cdr.md), the model fitted on them and its
 * operating point, and the measures of a run against labels and against the residents really
 * reached.
 */
#include "compat.h"

#include "cdr.h"
#include "cli.h"
#include "fangzha/phone.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cdr_labels_release(struct labels *l)
{
    fz_map_release(&l->by_number);
    fz_free(l->v);
}

int cdr_load_labels(const char *path, struct labels *l)
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
        int n = cdr_split(line, fields, 3);
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
            !cdr_canonical(fields[0], lb->number, sizeof lb->number)) {
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
    int code = cdr_open_engine(k, &skip);
    if (code >= 0)
        return code;
    fz_calls_set_model(k->engine, m);
    if ((code = cdr_run_file(k, argc, argv)) >= 0)
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

int cdr_train_model(struct cdr_cli *k, const struct labels *l, int argc, char **argv)
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
        if (cdr_split(line, fl, 7) < 7 || !cdr_canonical(fl[0], res, sizeof res) ||
            !cdr_canonical(fl[1], num, sizeof num)) {
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

int cdr_evaluate(struct cdr_cli *k, struct labels *l)
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
