/*
 * Unit tests for src/model/train.c: a model trained on the team's tiny corpus
 * (tests/data/model/tiny.tsv) is written, loaded back and predicts its kind of messages
 * sensibly; training rejects what cannot train; allocation failures end in FZ_ENOMEM.
 */
#include "support.h"

#include "fangzha/model.h"

#include <stdio.h>
#include <string.h>

struct env {
    struct fz_extractor *x;
    struct fz_text t;
    struct fz_arena a;
    struct fz_model_scratch s;
};

static struct env env;

static int setup(void **state)
{
    (void)state;
    fz_text_init(&env.t);
    fz_arena_init(&env.a, 0);
    if (fz_extractor_new(&env.x) != FZ_OK || fz_model_scratch_init(&env.s) != FZ_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fz_extractor_free(env.x);
    fz_text_release(&env.t);
    fz_arena_release(&env.a);
    fz_model_scratch_release(&env.s);
    return 0;
}

static fz_rc prepare(const char *s, size_t len, struct fz_entities *es)
{
    fz_arena_reset(&env.a);
    fz_rc rc = fz_text_normalize(s, len, &env.t);
    return rc ? rc : fz_extract(env.x, &env.t, s, len, &env.a, es);
}

/* Adds every row of tests/data/model/tiny.tsv; returns the count. */
static size_t add_tiny(struct fz_trainer *tr)
{
    FILE *f = fopen(FZ_TEST_DATA "/model/tiny.tsv", "r");
    assert_non_null(f);
    struct fz_tsv tsv;
    assert_int_equal(fz_tsv_open(&tsv, f, FZ_CAP_LINE, NULL), FZ_OK);
    int cl = fz_tsv_col(&tsv, "label"), ct = fz_tsv_col(&tsv, "text");
    assert_true(cl >= 0 && ct >= 0);
    size_t n = 0;
    while (fz_tsv_next(&tsv, NULL) == FZ_OK) {
        struct fz_gold g;
        struct fz_entities es;
        assert_true(fz_gold_parse(tsv.field[cl].ptr, tsv.field[cl].len, &g));
        assert_int_equal(prepare(tsv.field[ct].ptr, tsv.field[ct].len, &es), FZ_OK);
        assert_int_equal(fz_trainer_add(tr, &env.t, &es, &g), FZ_OK);
        n++;
    }
    fz_tsv_release(&tsv);
    fclose(f);
    return n;
}

static void predict(const struct fz_model *m, const char *s, struct fz_prediction *p)
{
    struct fz_entities es;
    assert_int_equal(prepare(s, strlen(s), &es), FZ_OK);
    fz_model_predict(m, &env.t, &es, &env.s, p);
}

static void test_train_tiny_and_predict(void **state)
{
    (void)state;
    struct fz_train_opts o = {.dim_bits = 16};
    struct fz_trainer *tr;
    assert_int_equal(fz_trainer_new(&o, &tr), FZ_OK);
    size_t n = add_tiny(tr);
    assert_true(n >= 30);
    struct fz_train_report rep;
    struct fz_err err = {0};
    assert_int_equal(fz_trainer_run(tr, NULL, NULL, &rep, &err), FZ_OK);
    assert_int_equal(rep.rows, n);
    assert_true(rep.rows_fraud > 0 && rep.rows_ham > 0 && rep.rows_spam > 0);
    char *dir = fzt_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/tiny.model", dir);
    assert_int_equal(fz_trainer_write(tr, path, &err), FZ_OK);
    fz_trainer_free(tr);

    struct fz_model *m;
    assert_int_equal(fz_model_open(path, &m, &err), FZ_OK);
    struct fz_model_info info;
    fz_model_get_info(m, &info);
    assert_int_equal(info.dim_bits, 16);
    struct fz_prediction p;
    predict(m, "我是公安局民警，你的账户涉嫌洗钱，马上把钱转到安全账户", &p);
    assert_int_equal(p.label, FZ_LABEL_FRAUD);
    assert_string_equal(fz_fraud_type_name(p.fraud_type), "impersonate_authority");
    assert_true(p.fraud_score >= 0.5f);
    predict(m, "刷单兼职日结，返佣金，加QQ了解", &p);
    assert_int_equal(p.label, FZ_LABEL_FRAUD);
    assert_string_equal(fz_fraud_type_name(p.fraud_type), "order_brushing");
    predict(m, "今晚加班，晚饭不用等我", &p);
    assert_int_equal(p.label, FZ_LABEL_HAM);
    predict(m, "Are we still meeting for lunch tomorrow?", &p);
    assert_int_equal(p.label, FZ_LABEL_HAM);
    predict(m, "周末大促，全场八折，退订回T", &p);
    assert_int_equal(p.label, FZ_LABEL_SPAM);
    fz_model_close(m);
    fzt_tmpdir_remove(dir);
}

static void test_rejects_what_cannot_train(void **state)
{
    (void)state;
    struct fz_trainer *tr;
    struct fz_train_opts bad = {.dim_bits = 40};
    assert_int_equal(fz_trainer_new(&bad, &tr), FZ_EINVAL);
    assert_int_equal(fz_trainer_new(NULL, &tr), FZ_OK);
    struct fz_train_report rep;
    struct fz_err err = {0};
    assert_int_equal(fz_trainer_run(tr, NULL, NULL, &rep, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "nothing to learn"));
    assert_int_equal(fz_trainer_write(tr, "/nonexistent/x", &err), FZ_EINVAL);
    fz_trainer_free(tr);
    fz_trainer_free(NULL);
}

static void test_write_error(void **state)
{
    (void)state;
    struct fz_train_opts o = {.dim_bits = 12};
    struct fz_trainer *tr;
    assert_int_equal(fz_trainer_new(&o, &tr), FZ_OK);
    add_tiny(tr);
    struct fz_train_report rep;
    struct fz_err err = {0};
    assert_int_equal(fz_trainer_run(tr, NULL, NULL, &rep, &err), FZ_OK);
    assert_int_equal(fz_trainer_write(tr, "/nonexistent/dir/m.bin", &err), FZ_EIO);
    assert_non_null(strstr(err.msg, "cannot write"));
    fz_trainer_free(tr);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const char msg[] = "刷单返利，日结三百";
    struct fz_entities es;
    assert_int_equal(prepare(msg, strlen(msg), &es), FZ_OK);
    struct fz_gold g;
    assert_true(fz_gold_parse("order_brushing", 14, &g));
    struct fz_train_opts o = {.dim_bits = 12};
    for (unsigned long n = 1; n <= 12; n++) {
        struct fz_trainer *tr = NULL;
        fzt_fail_alloc_after(n, true);
        fz_rc rc = fz_trainer_new(&o, &tr);
        for (int i = 0; i < 3 && rc == FZ_OK; i++)
            rc = fz_trainer_add(tr, &env.t, &es, &g);
        if (rc != FZ_OK)
            assert_int_equal(rc, FZ_ENOMEM);
        fz_trainer_free(tr);
        assert_int_equal(fzt_alloc_restore(), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_tiny_and_predict),
        cmocka_unit_test(test_rejects_what_cannot_train),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
