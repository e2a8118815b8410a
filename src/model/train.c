/*
 * model/train.c: training the three heads with liblinear (docs/internals/model.md).
 *
 * Rows are kept as their hashed features. A tenth of them (by a hash of the normalized text,
 * so duplicates stay together) is held out: candidate solvers and C values are trained on the
 * rest, and the pair with the best validation F1 of the fraud and not-ham heads, each at its
 * best threshold within the false-positive budget, is kept with those thresholds. With fewer
 * than MIN_VALIDATION held-out rows nothing is held out: C defaults to 1 and the thresholds to
 * the natural decision boundary 0.
 */
#include "compat.h"

#include "model_int.h"

#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

FZ_LOG_MODULE(model);

#define SEED_VALIDATION 0x76616c6964ull /* "valid" */
#define VALIDATION_BUCKETS 10
#define MIN_VALIDATION 200
/* The not-ham head counts each training row of script other (English, mostly: 8% of the
 * rows) this many times, which is liblinear's C times this for those rows (Debian's
 * liblinear has no instance weights): Chinese rows no longer outweigh them in the loss. 4 lifts
 * smishing-sms's not-ham F1 from 0.958 to 0.964 and uci-sms-spam's from 0.941 to 0.946; 16
 * gives the same. The fraud head keeps 1 (English fraud is a few hundred rows, and its
 * threshold needs them). */
#define OTHER_TIMES_SPAM 4

struct row {
    size_t off; /* first node in tr->nodes */
    uint32_t n; /* features, without the bias node and the terminator */
    bool is_fraud, has_spam_info, is_ham, is_validation;
    int type;
    enum fz_model_script script;
};

struct fz_trainer {
    unsigned dim_bits;
    double max_fpr, c;
    struct row *rows;
    size_t nrows, caprows;
    struct feature_node *nodes; /* each row: its features, the bias node, the terminator */
    size_t nnodes, capnodes;
    struct fz_model_scratch scratch;
    /* the result */
    bool is_trained;
    float bias[FZ_MODEL_NOUT];
    float scale[FZ_MODEL_NOUT];
    float *weights; /* [2^dim_bits][FZ_MODEL_NOUT], multiples of their output's scale */
    float threshold[FZ_MODEL_SCRIPT_COUNT][2];
    uint32_t type_mask;
};

static void quiet(const char *s) { (void)s; }

fz_rc fz_trainer_new(const struct fz_train_opts *opts, struct fz_trainer **out)
{
    unsigned bits = opts && opts->dim_bits ? opts->dim_bits : FZ_MODEL_DIM_BITS_DEFAULT;
    if (bits < FZ_MODEL_DIM_BITS_MIN || bits > FZ_MODEL_DIM_BITS_MAX)
        return FZ_E(FZ_EINVAL);
    struct fz_trainer *tr = fz_calloc(1, sizeof *tr);
    if (!tr)
        return FZ_E(FZ_ENOMEM);
    tr->dim_bits = bits;
    tr->max_fpr = opts && opts->max_fpr > 0 ? opts->max_fpr : 0.005;
    tr->c = opts ? opts->c : 0;
    tr->weights = fz_calloc((size_t)1 << bits, FZ_MODEL_NOUT * sizeof(float));
    if (!tr->weights || fz_model_scratch_init(&tr->scratch) != FZ_OK) {
        fz_trainer_free(tr);
        return FZ_E(FZ_ENOMEM);
    }
    set_print_string_function(quiet);
    *out = tr;
    return FZ_OK;
}

void fz_trainer_free(struct fz_trainer *tr)
{
    if (!tr)
        return;
    fz_free(tr->rows);
    fz_free(tr->nodes);
    fz_free(tr->weights);
    fz_model_scratch_release(&tr->scratch);
    fz_free(tr);
}

static int by_slot(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static fz_rc grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return FZ_OK;
    size_t n = *cap ? *cap : 1024;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        return FZ_E(FZ_ENOMEM);
    void *q = fz_realloc(*p, n * size);
    if (!q)
        return FZ_E(FZ_ENOMEM);
    *p = q;
    *cap = n;
    return FZ_OK;
}

fz_rc fz_trainer_add(struct fz_trainer *tr, const struct fz_text *t, const struct fz_entities *ents,
                     const struct fz_gold *gold)
{
    struct fz_model_scratch *s = &tr->scratch;
    fz_model_features(tr->dim_bits, t, ents, s);
    if (grow((void **)&tr->rows, &tr->caprows, tr->nrows + 1, sizeof *tr->rows) ||
        grow((void **)&tr->nodes, &tr->capnodes, tr->nnodes + s->nslot + 2, sizeof *tr->nodes))
        return FZ_E(FZ_ENOMEM);
    /* liblinear wants ascending indices, each once (the slots are distinct; the merge is a
     * safeguard) */
    qsort(s->slot, s->nslot, sizeof *s->slot, by_slot);
    struct row *r = &tr->rows[tr->nrows++];
    r->off = tr->nnodes;
    struct feature_node *x = tr->nodes + tr->nnodes;
    size_t n = 0;
    for (size_t i = 0; i < s->nslot; i++) {
        if (n && x[n - 1].index == (int)s->slot[i] + 1) {
            x[n - 1].value += s->value;
            continue;
        }
        x[n].index = (int)s->slot[i] + 1;
        x[n++].value = s->value;
    }
    r->n = (uint32_t)n;
    r->is_fraud = gold->is_fraud;
    r->has_spam_info = gold->has_spam_info;
    r->is_ham = gold->is_ham;
    r->type = gold->type;
    r->script = s->script;
    r->is_validation = fz_model_bucket(t, SEED_VALIDATION, VALIDATION_BUCKETS) == 0;
    x[n].index = (int)(1u << tr->dim_bits) + 1; /* the bias */
    x[n].value = 1;
    x[n + 1].index = -1;
    tr->nnodes += n + 2;
    return FZ_OK;
}

/* ---- one head ------------------------------------------------------------------------------ */

enum head { HEAD_FRAUD, HEAD_SPAM, HEAD_TYPE };

/* The head's label of row r, or NAN when the row does not train this head. */
static double head_label(enum head h, const struct row *r)
{
    switch (h) {
    case HEAD_FRAUD: return r->is_fraud ? 1 : -1;
    case HEAD_SPAM: return r->has_spam_info ? (r->is_ham ? -1 : 1) : (double)NAN;
    case HEAD_TYPE: return r->type >= 0 ? (double)r->type : (double)NAN;
    }
    return NAN;
}

struct candidate {
    int solver;
    double c;
    bool balanced; /* type head: weigh each type by (rows / types) / its rows, square-rooted */
};

/* Class weights that lift the rarer types: sqrt(mean count / count). Returns their number. */
static int balanced_weights(const struct problem *prob, int *label, double *w)
{
    size_t n[FZ_FRAUD_TYPE_COUNT] = {0}, total = 0;
    int ntypes = 0;
    for (int i = 0; i < prob->l; i++)
        n[(int)prob->y[i]]++;
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        if (n[t]) {
            total += n[t];
            ntypes++;
        }
    int k = 0;
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        if (n[t]) {
            label[k] = t;
            w[k++] = sqrt((double)total / ntypes / (double)n[t]);
        }
    return k;
}

/* Copies column col of liblinear's weights (times sign) into output k. */
static void copy_column(struct fz_trainer *tr, const struct model *mdl, int col, int k, float sign)
{
    size_t dim = (size_t)1 << tr->dim_bits;
    size_t nw =
        mdl->nr_class == 2 && mdl->param.solver_type != MCSVM_CS ? 1 : (size_t)mdl->nr_class;
    for (size_t j = 0; j < dim; j++)
        tr->weights[j * FZ_MODEL_NOUT + (size_t)k] = sign * (float)mdl->w[j * nw + (size_t)col];
    tr->bias[k] = sign * (float)mdl->w[dim * nw + (size_t)col];
}

/* Rounds output k's weights to multiples of its scale, max |w| / 127, as the model file keeps
 * them: the thresholds are then measured on the weights the file will hold. */
static void quantize(struct fz_trainer *tr, int k)
{
    size_t dim = (size_t)1 << tr->dim_bits;
    float max = 0;
    for (size_t j = 0; j < dim; j++) {
        float a = fabsf(tr->weights[j * FZ_MODEL_NOUT + (size_t)k]);
        max = a > max ? a : max;
    }
    float scale = max > 0 ? max / FZ_MODEL_QMAX : 1;
    tr->scale[k] = scale;
    for (size_t j = 0; j < dim; j++) {
        float *w = &tr->weights[j * FZ_MODEL_NOUT + (size_t)k];
        *w = roundf(*w / scale) * scale;
    }
}

/* Trains head h on the rows (all, or the non-validation ones) and writes its weights into
 * tr->weights and tr->bias. *is_trained is false when the head saw fewer than two classes:
 * its outputs then say always the one class present (or never, without rows). */
static fz_rc train_head(struct fz_trainer *tr, enum head h, bool all_rows, struct candidate cand,
                        bool *is_trained)
{
    struct problem prob = {.n = (int)(1u << tr->dim_bits) + 1, .bias = 1};
    unsigned xo = h == HEAD_SPAM ? OTHER_TIMES_SPAM : 1;
    size_t cap = tr->nrows * xo;
    prob.y = fz_mallocarray(cap ? cap : 1, sizeof *prob.y);
    prob.x = fz_mallocarray(cap ? cap : 1, sizeof *prob.x);
    if (!prob.y || !prob.x) {
        fz_free(prob.y);
        fz_free(prob.x);
        return FZ_E(FZ_ENOMEM);
    }
    bool seen[FZ_FRAUD_TYPE_COUNT] = {0}, pos = false, neg = false;
    for (size_t i = 0; i < tr->nrows; i++) {
        const struct row *r = &tr->rows[i];
        double y = head_label(h, r);
        if (isnan(y) || (!all_rows && r->is_validation))
            continue;
        unsigned times = r->script == FZ_MODEL_SCRIPT_OTHER ? xo : 1;
        for (unsigned k = 0; k < times; k++) {
            prob.y[prob.l] = y;
            prob.x[prob.l++] = tr->nodes + r->off;
        }
        if (h == HEAD_TYPE)
            seen[r->type] = true;
        else if (y > 0)
            pos = true;
        else
            neg = true;
    }
    size_t dim = (size_t)1 << tr->dim_bits;
    int k0 = h == HEAD_FRAUD  ? FZ_MODEL_OUT_FRAUD
             : h == HEAD_SPAM ? FZ_MODEL_OUT_SPAM
                              : FZ_MODEL_OUT_TYPE0;
    int nout = h == HEAD_TYPE ? FZ_FRAUD_TYPE_COUNT : 1;
    for (size_t j = 0; j < dim; j++)
        for (int k = 0; k < nout; k++)
            tr->weights[j * FZ_MODEL_NOUT + (size_t)(k0 + k)] = 0;
    for (int k = 0; k < nout; k++)
        tr->bias[k0 + k] = -1;
    int nclass = 0;
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        nclass += seen[t];
    if (h == HEAD_TYPE) {
        tr->type_mask = 0;
        for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
            if (seen[t]) {
                tr->type_mask |= 1u << t;
                tr->bias[k0 + t] = 1; /* the only class, if it stays alone */
            }
    } else {
        nclass = pos + neg;
        tr->bias[k0] = pos ? 1 : -1;
    }
    *is_trained = false;
    fz_rc rc = FZ_OK;
    if (nclass >= 2) {
        struct parameter param = {.solver_type = cand.solver, .eps = 0.1, .C = cand.c};
        if (cand.solver == L2R_LR)
            param.eps = 0.01;
        int wlabel[FZ_FRAUD_TYPE_COUNT];
        double wval[FZ_FRAUD_TYPE_COUNT];
        if (h == HEAD_TYPE && cand.balanced)
            param.nr_weight = balanced_weights(&prob, wlabel, wval);
        param.weight_label = wlabel;
        param.weight = wval;
        struct model *mdl = train(&prob, &param);
        if (!mdl) {
            rc = FZ_E(FZ_ENOMEM);
        } else if (mdl->nr_class > 2 || cand.solver == MCSVM_CS) {
            for (int c = 0; c < mdl->nr_class; c++)
                copy_column(tr, mdl, c, k0 + mdl->label[c], 1);
        } else if (h == HEAD_TYPE) { /* binary: w scores label[0], the other class gets -w */
            copy_column(tr, mdl, 0, k0 + mdl->label[0], 1);
            copy_column(tr, mdl, 0, k0 + mdl->label[1], -1);
        } else {
            copy_column(tr, mdl, 0, k0, mdl->label[0] > 0 ? 1 : -1);
        }
        if (mdl) {
            free_and_destroy_model(&mdl);
            *is_trained = true;
        }
    }
    for (int k = 0; k < nout; k++)
        quantize(tr, k0 + k);
    fz_free(prob.y);
    fz_free(prob.x);
    return rc;
}

/* The margin of output k for row r with the current weights. */
static float row_margin(const struct fz_trainer *tr, const struct row *r, int k)
{
    const struct feature_node *x = tr->nodes + r->off;
    float m = tr->bias[k];
    for (uint32_t i = 0; i < r->n; i++)
        m += (float)x[i].value * tr->weights[(size_t)(x[i].index - 1) * FZ_MODEL_NOUT + (size_t)k];
    return m;
}

struct scored {
    float margin;
    bool is_pos;
};

static int by_margin_desc(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return (x->margin < y->margin) - (x->margin > y->margin);
}

/* Sorts the validation margins of head h (rows of script sc, or all when sc < 0) into *out,
 * best first; *npos and *nneg count the two classes. FZ_ENOMEM. */
static fz_rc validation_margins(const struct fz_trainer *tr, enum head h, int sc,
                                struct scored **out, size_t *n, size_t *npos, size_t *nneg)
{
    struct scored *v = fz_mallocarray(tr->nrows ? tr->nrows : 1, sizeof *v);
    if (!v)
        return FZ_E(FZ_ENOMEM);
    int k = h == HEAD_FRAUD ? FZ_MODEL_OUT_FRAUD : FZ_MODEL_OUT_SPAM;
    *n = *npos = *nneg = 0;
    for (size_t i = 0; i < tr->nrows; i++) {
        const struct row *r = &tr->rows[i];
        double y = head_label(h, r);
        if (!r->is_validation || isnan(y) || (sc >= 0 && (int)r->script != sc))
            continue;
        v[*n].margin = row_margin(tr, r, k);
        v[*n].is_pos = y > 0;
        *npos += y > 0;
        *nneg += y < 0;
        (*n)++;
    }
    qsort(v, *n, sizeof *v, by_margin_desc);
    *out = v;
    return FZ_OK;
}

static double f1_of(size_t tp, size_t fp, size_t npos)
{
    return npos ? 2.0 * (double)tp / (double)(tp + fp + npos) : 0;
}

/* The threshold with the best F1 on the validation rows of head h (of script sc, or all when
 * sc < 0) whose false-positive rate is within max_fpr; *f1 and *fpr get its figures. */
static fz_rc pick_threshold(const struct fz_trainer *tr, enum head h, int sc, float *thr,
                            double *f1, double *fpr)
{
    struct scored *v;
    size_t n, npos, nneg;
    fz_rc rc = validation_margins(tr, h, sc, &v, &n, &npos, &nneg);
    if (rc)
        return rc;
    size_t tp = 0, fp = 0;
    double best = -1;
    *thr = n ? v[0].margin + 1 : 0; /* nothing fires */
    *f1 = 0;
    *fpr = 0;
    for (size_t i = 0; i < n; i++) {
        tp += v[i].is_pos;
        fp += !v[i].is_pos;
        if (i + 1 < n && v[i + 1].margin == v[i].margin)
            continue; /* a threshold cannot split equal margins */
        double rate = nneg ? (double)fp / (double)nneg : 0;
        if (rate > tr->max_fpr)
            break;
        double f = f1_of(tp, fp, npos);
        if (f > best) {
            best = f;
            *f1 = f;
            *fpr = rate;
            *thr = i + 1 < n ? (v[i].margin + v[i + 1].margin) / 2 : v[i].margin;
        }
    }
    fz_free(v);
    return FZ_OK;
}

/* F1 and FPR of head h on the validation rows of script sc at threshold thr. */
static fz_rc figures_at(const struct fz_trainer *tr, enum head h, int sc, float thr, double *f1,
                        double *fpr)
{
    struct scored *v;
    size_t n, npos, nneg, tp = 0, fp = 0;
    fz_rc rc = validation_margins(tr, h, sc, &v, &n, &npos, &nneg);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && v[i].margin >= thr; i++) {
        tp += v[i].is_pos;
        fp += !v[i].is_pos;
    }
    *f1 = f1_of(tp, fp, npos);
    *fpr = nneg ? (double)fp / (double)nneg : 0;
    fz_free(v);
    return FZ_OK;
}

/* A script gets its own operating point when its validation rows can place one: at least
 * this many of each class. With fewer positives the threshold overfits a handful of rows
 * (English fraud: 20-odd rows put it where half the test fraud was missed). */
#define MIN_SCRIPT_POS 100
#define MIN_SCRIPT_NEG 200

/* The operating points of head h: over all validation rows, then for each script with enough
 * rows of its own (else the overall one), into out (figures) and thr[script]. */
static fz_rc pick_thresholds(const struct fz_trainer *tr, enum head h, struct fz_train_head *out)
{
    float all;
    fz_rc rc = pick_threshold(tr, h, -1, &all, &out->f1, &out->fpr);
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT && !rc; sc++) {
        struct scored *v;
        size_t n, npos, nneg;
        rc = validation_margins(tr, h, sc, &v, &n, &npos, &nneg);
        if (rc)
            break;
        fz_free(v);
        out->script_rows[sc] = n;
        out->threshold[sc] = all;
        if (npos >= MIN_SCRIPT_POS && nneg >= MIN_SCRIPT_NEG)
            rc = pick_threshold(tr, h, sc, &out->threshold[sc], &out->script_f1[sc],
                                &out->script_fpr[sc]);
        else
            rc = figures_at(tr, h, sc, all, &out->script_f1[sc], &out->script_fpr[sc]);
    }
    return rc;
}

/* Macro-F1 of the type head over the typed validation rows. */
static double type_macro_f1(const struct fz_trainer *tr)
{
    size_t tp[FZ_FRAUD_TYPE_COUNT] = {0}, fp[FZ_FRAUD_TYPE_COUNT] = {0},
           fn[FZ_FRAUD_TYPE_COUNT] = {0};
    for (size_t i = 0; i < tr->nrows; i++) {
        const struct row *r = &tr->rows[i];
        if (!r->is_validation || r->type < 0)
            continue;
        int best = -1;
        float bm = 0;
        for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++) {
            if (!((tr->type_mask >> t) & 1))
                continue;
            float m = row_margin(tr, r, FZ_MODEL_OUT_TYPE0 + t);
            if (best < 0 || m > bm) {
                best = t;
                bm = m;
            }
        }
        if (best == r->type) {
            tp[best]++;
        } else {
            fn[r->type]++;
            if (best >= 0)
                fp[best]++;
        }
    }
    double sum = 0;
    int ntypes = 0;
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++) {
        if (!tp[t] && !fn[t])
            continue;
        sum += 2.0 * (double)tp[t] / (double)(2 * tp[t] + fp[t] + fn[t]);
        ntypes++;
    }
    return ntypes ? sum / ntypes : 0;
}

static void count_rows(const struct fz_trainer *tr, struct fz_train_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->rows = tr->nrows;
    for (size_t i = 0; i < tr->nrows; i++) {
        const struct row *r = &tr->rows[i];
        rep->features_nnz += r->n;
        rep->validation_rows += r->is_validation;
        if (r->is_fraud)
            rep->rows_fraud++;
        else if (!r->has_spam_info)
            rep->rows_not_fraud++;
        else if (r->is_ham)
            rep->rows_ham++;
        else
            rep->rows_spam++;
        if (r->type >= 0) {
            rep->rows_typed++;
            rep->type_rows[r->type]++;
        }
    }
}

static const char *solver_name(int solver)
{
    return solver == L2R_LR     ? "logistic regression"
           : solver == MCSVM_CS ? "crammer-singer svm"
                                : "l2-loss svm";
}

/* Trains the type head, choosing its solver and C by the validation macro-F1 when there is a
 * hold-out (the type head trains on few rows, so its own search is cheap). */
static fz_rc train_type_head(struct fz_trainer *tr, bool holdout, fz_train_progress_cb *progress,
                             void *ud, struct fz_train_report *rep)
{
    const struct candidate grid[] = {{L2R_L2LOSS_SVC_DUAL, 0.5, false},
                                     {L2R_L2LOSS_SVC_DUAL, 2, false},
                                     {L2R_L2LOSS_SVC_DUAL, 2, true},
                                     {L2R_L2LOSS_SVC_DUAL, 8, true},
                                     {MCSVM_CS, 1, false},
                                     {L2R_LR, 32, true}};
    struct candidate best = {L2R_L2LOSS_SVC_DUAL, tr->c > 0 ? tr->c : 1, false};
    bool trained;
    fz_rc rc = FZ_OK;
    if (holdout && tr->c <= 0) {
        double best_f1 = -1;
        for (size_t g = 0; g < sizeof grid / sizeof *grid && !rc; g++) {
            if (progress)
                progress(ud, "choosing the type head", 0.8 + 0.02 * (double)g);
            rc = train_head(tr, HEAD_TYPE, false, grid[g], &trained);
            double f1 = rc ? 0 : type_macro_f1(tr);
            fz_log(FZ_LOG_INFO, "type head %s C=%g%s: validation macro-F1 %.4f",
                   solver_name(grid[g].solver), grid[g].c, grid[g].balanced ? " balanced" : "", f1);
            if (f1 > best_f1) {
                best_f1 = f1;
                best = grid[g];
            }
        }
    }
    if (!rc)
        rc = train_head(tr, HEAD_TYPE, !holdout, best, &trained);
    if (!rc && holdout)
        rep->type_macro_f1 = type_macro_f1(tr);
    rep->type_c = best.c;
    rep->type_solver = solver_name(best.solver);
    return rc;
}

/* Trains head h (fraud or not-ham): with a hold-out, each candidate is trained without the
 * validation rows and scored at its best operating point; the best is trained again (still
 * without them, so the thresholds measured hold for the model written). */
static fz_rc train_binary_head(struct fz_trainer *tr, enum head h, bool holdout,
                               fz_train_progress_cb *progress, void *ud, struct fz_train_head *out)
{
    struct candidate grid[] = {{L2R_L2LOSS_SVC_DUAL, 1, false},
                               {L2R_L2LOSS_SVC_DUAL, 4, false},
                               {L2R_L2LOSS_SVC_DUAL, 16, false},
                               {L2R_LR, 64, false}};
    size_t ngrid = sizeof grid / sizeof *grid;
    if (tr->c > 0) { /* C is given: choose the solver only */
        grid[0] = (struct candidate){L2R_L2LOSS_SVC_DUAL, tr->c, false};
        grid[1] = (struct candidate){L2R_LR, tr->c, false};
        ngrid = 2;
    }
    struct candidate best = {L2R_L2LOSS_SVC_DUAL, tr->c > 0 ? tr->c : 1, false};
    const char *what = h == HEAD_FRAUD ? "fraud" : "not-ham";
    bool trained;
    fz_rc rc = FZ_OK;
    if (holdout) {
        double best_score = -1;
        for (size_t g = 0; g < ngrid && !rc; g++) {
            if (progress)
                progress(ud,
                         h == HEAD_FRAUD ? "choosing the fraud head" : "choosing the not-ham head",
                         (h == HEAD_FRAUD ? 0 : 0.4) + 0.1 * (double)g);
            struct fz_train_head th = {0};
            rc = train_head(tr, h, false, grid[g], &trained);
            if (!rc)
                rc = pick_thresholds(tr, h, &th);
            /* the score: the mean of the scripts' F1, so that the smaller one counts */
            double score = 0;
            for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++)
                score += th.script_f1[sc] / FZ_MODEL_SCRIPT_COUNT;
            fz_log(FZ_LOG_INFO, "%s head %s C=%g: validation F1 %.4f (han %.4f, other %.4f)", what,
                   solver_name(grid[g].solver), grid[g].c, th.f1, th.script_f1[0], th.script_f1[1]);
            if (!rc && score > best_score) {
                best_score = score;
                best = grid[g];
            }
        }
    }
    if (!rc)
        rc = train_head(tr, h, !holdout, best, &trained);
    if (!rc && holdout)
        rc = pick_thresholds(tr, h, out);
    out->c = best.c;
    out->solver = solver_name(best.solver);
    int k = h == HEAD_FRAUD ? 0 : 1;
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++)
        tr->threshold[sc][k] = holdout ? out->threshold[sc] : 0;
    return rc;
}

fz_rc fz_trainer_run(struct fz_trainer *tr, fz_train_progress_cb *progress, void *ud,
                     struct fz_train_report *rep, struct fz_err *err)
{
    count_rows(tr, rep);
    if (!rep->rows_fraud && !rep->rows_ham)
        return fz_err_set(err, FZ_EINVAL, "nothing to learn: no fraud and no ham rows");
    bool holdout = rep->validation_rows >= MIN_VALIDATION;
    rep->has_holdout = holdout;
    fz_rc rc = train_binary_head(tr, HEAD_FRAUD, holdout, progress, ud, &rep->fraud);
    if (!rc)
        rc = train_binary_head(tr, HEAD_SPAM, holdout, progress, ud, &rep->spam);
    if (!rc)
        rc = train_type_head(tr, holdout, progress, ud, rep);
    if (rc)
        return fz_err_set(err, rc, "training failed: %s", fz_strerror(rc));
    tr->is_trained = true;
    if (progress)
        progress(ud, "done", 1);
    return FZ_OK;
}

fz_rc fz_trainer_write(const struct fz_trainer *tr, const char *path, struct fz_err *err)
{
    if (!tr->is_trained)
        return fz_err_set(err, FZ_EINVAL, "the model is not trained yet");
    struct fz__model_image img = {.dim_bits = tr->dim_bits,
                                  .type_mask = tr->type_mask,
                                  .bias = tr->bias,
                                  .scale = tr->scale,
                                  .weights = tr->weights};
    memcpy(img.threshold, tr->threshold, sizeof img.threshold);
    return fz__model_write(&img, path, err);
}
