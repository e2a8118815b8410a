/*
 * calls/model: the "model" detector, logistic regression over the window features. Every feature
 * goes in as log(1 + x), standardized with the training rows' mean and spread; liblinear fits
 * the weights with both classes weighted equally (fraud numbers are rare).
 */
#include "compat.h"

#include "calls_int.h"

#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_MAGIC "fangzha-cdr-model 1"
#define MODEL_C 1.0
/* The legitimate numbers kept this far (in log-odds) under the flag threshold: a margin for
 * the numbers the training data did not have. */
#define CALIBRATION_MARGIN 1.5

static double input(const struct fz_calls_model *m, const float *x, int f)
{
    double v = log1p(x[f] > 0 ? (double)x[f] : 0.0);
    return (v - m->mean[f]) / m->scale[f];
}

double fz_calls_model_score(const struct fz_calls_model *m, const float *x)
{
    double z = m->bias;
    for (int f = 0; f < FZ_CALLS__FEATURES; f++)
        z += m->weight[f] * input(m, x, f);
    return 1.0 / (1.0 + exp(-z));
}

fz_rc fz_calls_model_save(const struct fz_calls_model *m, FILE *f)
{
    fprintf(f, "%s\n", MODEL_MAGIC);
    for (int i = 0; i < FZ_CALLS__FEATURES; i++)
        fprintf(f, "%s %.9g %.9g %.9g\n", fz_calls_feature_name((enum fz_calls_feature)i),
                m->mean[i], m->scale[i], m->weight[i]);
    fprintf(f, "bias %.9g\n", m->bias);
    return fflush(f) || ferror(f) ? FZ_E(FZ_EIO) : FZ_OK;
}

fz_rc fz_calls_model_load(FILE *f, struct fz_calls_model *out, struct fz_err *err)
{
    char line[256], name[64];
    struct fz_calls_model m;
    if (!fgets(line, sizeof line, f) || strncmp(line, MODEL_MAGIC, strlen(MODEL_MAGIC)))
        return fz_err_setloc(err, FZ_EINVAL, 1, "", "not a fangzha CDR model (want '%s')",
                             MODEL_MAGIC);
    for (int i = 0; i < FZ_CALLS__FEATURES; i++) {
        const char *want = fz_calls_feature_name((enum fz_calls_feature)i);
        if (!fgets(line, sizeof line, f) ||
            sscanf(line, "%63s %lf %lf %lf", name, &m.mean[i], &m.scale[i], &m.weight[i]) != 4)
            return fz_err_setloc(err, FZ_EINVAL, (size_t)i + 2, want, "want '%s MEAN SCALE WEIGHT'",
                                 want);
        if (strcmp(name, want) || !(m.scale[i] > 0) || !isfinite(m.weight[i]) ||
            !isfinite(m.mean[i]))
            return fz_err_setloc(err, FZ_EINVAL, (size_t)i + 2, want,
                                 "want feature '%s' with a positive scale, found '%s'", want, name);
    }
    if (!fgets(line, sizeof line, f) || sscanf(line, "bias %lf", &m.bias) != 1 || !isfinite(m.bias))
        return fz_err_setloc(err, FZ_EINVAL, FZ_CALLS__FEATURES + 2, "bias", "want 'bias B'");
    *out = m;
    return FZ_OK;
}

static void quiet(const char *s) { (void)s; }

/* Mean and spread of every input over the rows (a spread of 0 becomes 1). */
static void standardize(const float *x, size_t n, struct fz_calls_model *m)
{
    for (int f = 0; f < FZ_CALLS__FEATURES; f++) {
        double sum = 0, sq = 0;
        for (size_t i = 0; i < n; i++) {
            double v = log1p(x[i * FZ_CALLS__FEATURES + f] > 0 ? x[i * FZ_CALLS__FEATURES + f] : 0);
            sum += v;
            sq += v * v;
        }
        m->mean[f] = sum / (double)n;
        double var = sq / (double)n - m->mean[f] * m->mean[f];
        m->scale[f] = var > 1e-12 ? sqrt(var) : 1.0;
    }
}

fz_rc fz_calls_model_train(const float *x, const bool *y, size_t n, struct fz_calls_model *out,
                           struct fz_err *err)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i];
    if (pos == 0 || pos == n || n > INT32_MAX / (FZ_CALLS__FEATURES + 2))
        return fz_err_set(err, FZ_EINVAL,
                          "training needs both fraud and legitimate numbers (%zu "
                          "fraud of %zu)",
                          pos, n);
    struct fz_calls_model m = {0};
    standardize(x, n, &m);
    const int width = FZ_CALLS__FEATURES + 2; /* features, bias, terminator */
    struct feature_node *nodes = fz_mallocarray(n * (size_t)width, sizeof *nodes);
    struct feature_node **rows = fz_mallocarray(n, sizeof *rows);
    double *labels = fz_mallocarray(n, sizeof *labels);
    fz_rc rc = FZ_OK;
    if (!nodes || !rows || !labels) {
        rc = FZ_E(FZ_ENOMEM);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        struct feature_node *row = rows[i] = nodes + i * (size_t)width;
        for (int f = 0; f < FZ_CALLS__FEATURES; f++)
            row[f] = (struct feature_node){f + 1, input(&m, x + i * FZ_CALLS__FEATURES, f)};
        row[FZ_CALLS__FEATURES] = (struct feature_node){FZ_CALLS__FEATURES + 1, 1.0};
        row[FZ_CALLS__FEATURES + 1] = (struct feature_node){-1, 0};
        labels[i] = y[i] ? 1 : -1;
    }
    int weight_label[2] = {1, -1};
    double weight[2] = {(double)n / (2.0 * (double)pos), (double)n / (2.0 * (double)(n - pos))};
    struct problem prob = {(int)n, FZ_CALLS__FEATURES + 1, labels, rows, 1.0};
    struct parameter param = {.solver_type = L2R_LR,
                              .eps = 0.001,
                              .C = MODEL_C,
                              .nr_weight = 2,
                              .weight_label = weight_label,
                              .weight = weight};
    set_print_string_function(quiet);
    const char *bad = check_parameter(&prob, &param);
    if (bad) {
        rc = fz_err_set(err, FZ_EINVAL, "liblinear: %s", bad);
        goto done;
    }
    struct model *fit = train(&prob, &param);
    if (!fit) {
        rc = FZ_E(FZ_ENOMEM);
        goto done;
    }
    double sign = fit->label[0] == 1 ? 1.0 : -1.0; /* w scores label[0] */
    for (int f = 0; f < FZ_CALLS__FEATURES; f++)
        m.weight[f] = sign * fit->w[f];
    m.bias = sign * fit->w[FZ_CALLS__FEATURES];
    free_and_destroy_model(&fit);
    *out = m;
done:
    fz_free(nodes);
    fz_free(rows);
    fz_free(labels);
    return rc;
}

static int by_value_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

double fz_calls_model_calibrate(struct fz_calls_model *m, const double *scores, size_t n,
                                double flag_threshold, double max_fpr)
{
    double *z = fz_mallocarray(n ? n : 1, sizeof *z);
    if (!z)
        return 0;
    for (size_t i = 0; i < n; i++) {
        double p = scores[i];
        z[i] = p >= 1 - 1e-15 ? 35 : p <= 1e-15 ? -35 : log(p / (1 - p));
    }
    qsort(z, n, sizeof *z, by_value_desc);
    size_t allowed = (size_t)(max_fpr * (double)n);
    double at = log(flag_threshold / (1 - flag_threshold)), shift = 0;
    if (allowed < n && z[allowed] >= at - CALIBRATION_MARGIN)
        shift = z[allowed] - at + CALIBRATION_MARGIN;
    m->bias -= shift;
    fz_free(z);
    return shift;
}
