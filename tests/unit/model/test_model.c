/*
 * Unit tests for src/model/model.c: the model file round-trips (8-bit weights, a threshold per
 * script), every kind of corruption (short, truncated, bad magic, wrong version, bad checksum,
 * inconsistent header, bad names, bad floats, non-zero padding) is rejected with FZ_EPARSE and a
 * precise message, and loading survives allocation failures. Includes the source to build images
 * with the internal encoder.
 */
#include "support.h"

#include "../../../src/model/model.c"

#include <stdlib.h>

#define BITS 10

static float *weights;
static float bias[FZ_MODEL_NOUT];
static float scale[FZ_MODEL_NOUT];

static int setup(void **state)
{
    (void)state;
    size_t n = ((size_t)1 << BITS) * FZ_MODEL_NOUT;
    weights = calloc(n, sizeof *weights);
    if (!weights)
        return -1;
    for (size_t i = 0; i < n; i++)
        weights[i] = (float)((int)(i % 97) - 48) / 64.0f;
    for (int k = 0; k < FZ_MODEL_NOUT; k++) {
        bias[k] = (float)k / 10.0f - 0.5f;
        scale[k] = 1.0f / 64; /* the weights are multiples of it: they round-trip exactly */
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(weights);
    return 0;
}

static struct fz__model_image image(void)
{
    return (struct fz__model_image){.dim_bits = BITS,
                                    .threshold = {{0.25f, -0.5f}, {0.75f, 0.125f}},
                                    .type_mask = 0x405,
                                    .bias = bias,
                                    .scale = scale,
                                    .weights = weights};
}

static unsigned char *encoded(size_t *len)
{
    struct fz__model_image img = image();
    unsigned char *buf;
    assert_int_equal(fz__model_encode(&img, &buf, len), FZ_OK);
    return buf;
}

/* Rewrites the checksum after a deliberate change to the payload or header. */
static void reseal(unsigned char *buf, size_t len)
{
    put64(buf + 56, checksum(buf, len - FZ_MODEL_HEADER_SIZE));
}

static void expect_reject(const unsigned char *buf, size_t len, const char *why)
{
    struct fz_model *m = (struct fz_model *)0x1;
    struct fz_err err = {0};
    assert_int_equal(fz_model_open_mem(buf, len, &m, &err), FZ_EPARSE);
    assert_int_equal(err.code, FZ_EPARSE);
    assert_ptr_equal(m, (struct fz_model *)0x1); /* untouched */
    if (!strstr(err.msg, why))
        fail_msg("message '%s' lacks '%s'", err.msg, why);
}

static void test_round_trip_file(void **state)
{
    (void)state;
    char *dir = fzt_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/m.bin", dir);
    struct fz__model_image img = image();
    struct fz_err err = {0};
    assert_int_equal(fz__model_write(&img, path, &err), FZ_OK);
    struct fz_model *m;
    assert_int_equal(fz_model_open(path, &m, &err), FZ_OK);
    struct fz_model_info info;
    fz_model_get_info(m, &info);
    assert_int_equal(info.version, FZ_MODEL_VERSION);
    assert_int_equal(info.dim_bits, BITS);
    assert_true(info.fraud_threshold[FZ_MODEL_SCRIPT_HAN] == 0.25f);
    assert_true(info.spam_threshold[FZ_MODEL_SCRIPT_HAN] == -0.5f);
    assert_true(info.fraud_threshold[FZ_MODEL_SCRIPT_OTHER] == 0.75f);
    assert_true(info.spam_threshold[FZ_MODEL_SCRIPT_OTHER] == 0.125f);
    /* 64 header + names + 32 thresholds, biases and scales... + 2 + 16 bytes a slot */
    assert_int_equal(info.file_size, 64 + names_size() + 4 * NFLOATS + ((size_t)18 << BITS));
    assert_true(info.has_type[0] && info.has_type[2] && info.has_type[10]);
    assert_false(info.has_type[1]);
    /* margins: bias plus value times weight, exactly as stored */
    uint32_t slots[2] = {3, 1023};
    struct fz_model_scratch f = {.slot = slots, .nslot = 2, .value = 0.5f};
    float out[FZ_MODEL_NOUT];
    fz__model_margins(m, &f, out);
    for (int k = 0; k < FZ_MODEL_NOUT; k++) {
        float want = bias[k] + 0.5f * weights[3 * FZ_MODEL_NOUT + k] +
                     0.5f * weights[1023 * FZ_MODEL_NOUT + k];
        assert_true(fabsf(out[k] - want) < 1e-5f);
    }
    fz_model_close(m);
    fz_model_close(NULL);
    fzt_tmpdir_remove(dir);
}

static void test_predict_uses_threshold(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = encoded(&len);
    struct fz_model *m;
    assert_int_equal(fz_model_open_mem(buf, len, &m, NULL), FZ_OK);
    struct fz_model_scratch s;
    struct fz_text t;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    fz_text_init(&t);
    assert_int_equal(fz_text_normalize("hello there", 11, &t), FZ_OK);
    struct fz_prediction p;
    fz_model_predict(m, &t, NULL, &s, &p);
    /* English: the thresholds of script other */
    assert_int_equal(p.script, FZ_MODEL_SCRIPT_OTHER);
    assert_int_equal(p.label == FZ_LABEL_FRAUD, p.fraud_margin >= 0.75f);
    assert_int_equal(p.fraud_score >= 0.5f, p.fraud_margin >= 0.75f);
    if (p.label == FZ_LABEL_HAM)
        assert_true(p.spam_margin < 0.125f);
    assert_int_equal(fz_text_normalize("你好，在吗", strlen("你好，在吗"), &t), FZ_OK);
    fz_model_predict(m, &t, NULL, &s, &p);
    assert_int_equal(p.script, FZ_MODEL_SCRIPT_HAN);
    assert_int_equal(p.fraud_score >= 0.5f, p.fraud_margin >= 0.25f);
    if (p.label == FZ_LABEL_HAM)
        assert_true(p.spam_margin < -0.5f);
    if (p.label == FZ_LABEL_FRAUD)
        assert_true((m->type_mask >> p.fraud_type) & 1);
    else
        assert_int_equal(p.fraud_type, -1);
    int type;
    float margin;
    fz_model_fraud_type(m, &s, &type, &margin);
    assert_true((m->type_mask >> type) & 1);
    fz_text_release(&t);
    fz_model_scratch_release(&s);
    fz_model_close(m);
    fz_free(buf);
}

static void test_rejects_corruption(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = encoded(&len);
    unsigned char *copy = fz_malloc(len);
    assert_non_null(copy);

    expect_reject(buf, 0, "shorter than the header");
    expect_reject(buf, 63, "shorter than the header");
    expect_reject(buf, len - 1, "truncated");
    expect_reject(buf, FZ_MODEL_HEADER_SIZE, "truncated");

    memcpy(copy, buf, len);
    copy[0] = 'X';
    expect_reject(copy, len, "bad magic");

    memcpy(copy, buf, len);
    put32(copy + 8, 1); /* the float32 format before this one */
    expect_reject(copy, len, "version 1 (want 3)");

    memcpy(copy, buf, len);
    copy[len - 5] ^= 0x10; /* one weight bit (the last type of the last slot) */
    expect_reject(copy, len, "checksum");

    memcpy(copy, buf, len);
    copy[56] ^= 1; /* the checksum itself */
    expect_reject(copy, len, "checksum");

    memcpy(copy, buf, len);
    copy[44] = 1; /* reserved */
    expect_reject(copy, len, "header layout");

    memcpy(copy, buf, len);
    put32(copy + 16, 30);
    expect_reject(copy, len, "dim_bits");

    memcpy(copy, buf, len);
    put32(copy + 20, 3);
    expect_reject(copy, len, "header layout");

    memcpy(copy, buf, len);
    put32(copy + 24, 1u << 20);
    reseal(copy, len);
    expect_reject(copy, len, "types");

    size_t floats = FZ_MODEL_HEADER_SIZE + names_size();
    memcpy(copy, buf, len);
    putf(copy + floats + 4, NAN); /* a threshold */
    reseal(copy, len);
    expect_reject(copy, len, "thresholds are not finite");

    memcpy(copy, buf, len);
    putf(copy + floats, 0.5f); /* a changed threshold: the checksum covers it */
    expect_reject(copy, len, "checksum");

    memcpy(copy, buf, len);
    putf(copy + floats + 16 + 4 * FZ_MODEL_NOUT + 8, 0); /* scale 2 */
    reseal(copy, len);
    expect_reject(copy, len, "scale 2");

    memcpy(copy, buf, len);
    copy[len - 1] = 1; /* the padding of the last type row */
    reseal(copy, len);
    expect_reject(copy, len, "padding");

    memcpy(copy, buf, len);
    put32(copy + 24, 0x3); /* the header is checksummed too */
    expect_reject(copy, len, "checksum");

    memcpy(copy, buf, len);
    put32(copy + 28, 8);
    expect_reject(copy, len, "section sizes");

    memcpy(copy, buf, len);
    copy[FZ_MODEL_HEADER_SIZE] = 'H'; /* "Ham" */
    reseal(copy, len);
    expect_reject(copy, len, "name 0");

    memcpy(copy, buf, len);
    putf(copy + floats + 16, INFINITY);
    reseal(copy, len);
    expect_reject(copy, len, "bias 0");

    /* misaligned bytes */
    struct fz_model *m;
    struct fz_err err = {0};
    assert_int_equal(fz_model_open_mem(buf + 1, len - 1, &m, &err), FZ_EINVAL);
    fz_free(copy);
    fz_free(buf);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct fz_model *m;
    struct fz_err err = {0};
    assert_int_equal(fz_model_open("/nonexistent/model.bin", &m, &err), FZ_EIO);
    assert_non_null(strstr(err.msg, "cannot open model"));
    assert_int_equal(fz_model_open("/", &m, &err), FZ_EIO);
    char *dir = fzt_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/short.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("FZMODEL\n", f);
    fclose(f);
    assert_int_equal(fz_model_open(path, &m, &err), FZ_EPARSE);
    assert_non_null(strstr(err.msg, "shorter than the header"));
    /* a truncated file on disk */
    size_t len;
    unsigned char *buf = encoded(&len);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len / 2, f), len / 2);
    fclose(f);
    assert_int_equal(fz_model_open(path, &m, &err), FZ_EPARSE);
    assert_non_null(strstr(err.msg, "truncated"));
    fz_free(buf);
    fzt_tmpdir_remove(dir);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = encoded(&len);
    for (unsigned long n = 1; n <= 2; n++) {
        struct fz_model *m = NULL;
        fzt_fail_alloc_after(n, true);
        fz_rc rc = fz_model_open_mem(buf, len, &m, NULL);
        if (rc == FZ_OK)
            fz_model_close(m);
        else
            assert_int_equal(rc, FZ_ENOMEM);
        assert_int_equal(fzt_alloc_restore(), 0);
    }
    struct fz__model_image img = image();
    unsigned char *out;
    size_t olen;
    fzt_fail_alloc_after(1, true);
    assert_int_equal(fz__model_encode(&img, &out, &olen), FZ_ENOMEM);
    assert_int_equal(fzt_alloc_restore(), 0);
    fz_free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_file),    cmocka_unit_test(test_predict_uses_threshold),
        cmocka_unit_test(test_rejects_corruption), cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
