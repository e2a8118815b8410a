/*
 * Unit tests for src/calls/model.c: training separates two clear groups, the score is a
 * probability, the text format round-trips and a bad file is refused with its line.
 */
#include "calltest.h"

static void test_train_and_score(void **state)
{
    (void)state;
    enum { N = 400 };
    float *x = test_calloc(N * FZ_CALLS__FEATURES, sizeof(float));
    bool y[N];
    for (int i = 0; i < N; i++) {
        y[i] = i % 4 == 0; /* fraud: many long calls a day, no incoming, new */
        float *row = x + i * FZ_CALLS__FEATURES;
        row[FZ_CALLS_F_CALLS_24H] = y[i] ? 20.0f + (float)(i % 7) : 3.0f + (float)(i % 5);
        row[FZ_CALLS_F_MEAN_TALK_24H] = y[i] ? 600.0f + (float)i : 90.0f + (float)(i % 60);
        row[FZ_CALLS_F_IN_24H] = y[i] ? 0 : 2.0f + (float)(i % 3);
        row[FZ_CALLS_F_IS_MOBILE] = 1;
    }
    struct fz_calls_model m;
    struct fz_err err = {0};
    assert_int_equal(fz_calls_model_train(x, y, N, &m, &err), FZ_OK);
    int right = 0;
    for (int i = 0; i < N; i++) {
        double p = fz_calls_model_score(&m, x + i * FZ_CALLS__FEATURES);
        assert_true(p >= 0 && p <= 1);
        right += (p >= 0.5) == y[i];
    }
    assert_int_equal(right, N);
    /* round trip through the text format */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(fz_calls_model_save(&m, f), FZ_OK);
    fclose(f);
    f = fmemopen(buf, len, "r");
    struct fz_calls_model back;
    assert_int_equal(fz_calls_model_load(f, &back, &err), FZ_OK);
    fclose(f);
    assert_true(fabs(fz_calls_model_score(&back, x) - fz_calls_model_score(&m, x)) < 1e-6);
    free(buf);
    bool none[4] = {false, false, false, false};
    assert_int_equal(fz_calls_model_train(x, none, 4, &m, &err), FZ_EINVAL);
    test_free(x);
}

static void test_bad_model_files(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "something else\n",
        "fangzha-cdr-model 1\ncalls_1h 0 1 0.5\n",  /* stops early */
        "fangzha-cdr-model 1\ncalls_24h 0 1 0.5\n", /* wrong feature */
        "fangzha-cdr-model 1\ncalls_1h 0 0 0.5\n",  /* zero scale */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fmemopen((void *)bad[i], strlen(bad[i]) + 1, "r");
        struct fz_calls_model m;
        struct fz_err err = {0};
        assert_int_equal(fz_calls_model_load(f, &m, &err), FZ_EINVAL);
        assert_true(err.line >= 1);
        fclose(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_and_score),
        cmocka_unit_test(test_bad_model_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
