/*
 * Unit tests for src/model/features.c: hashed features are deterministic, distinct, inside
 * the dimension and unit-normalized; repeats raise a feature sublinearly; entity features are
 * added; digits and masked numbers share their shape; the script class is found; the split
 * bucket is stable; canonical labels parse as the layout says. Includes the source to reach the
 * slot hash and the families.
 */
#include "support.h"

#include "../../../src/model/features.c"

#include <math.h>
#include <string.h>

static void features_of(const char *s, unsigned bits, struct fz_model_scratch *sc,
                        bool with_entities)
{
    struct fz_text t;
    struct fz_arena a;
    struct fz_extractor *x;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    assert_int_equal(fz_extractor_new(&x), FZ_OK);
    assert_int_equal(fz_text_normalize(s, strlen(s), &t), FZ_OK);
    assert_int_equal(fz_extract(x, &t, s, strlen(s), &a, &es), FZ_OK);
    fz_model_features(bits, &t, with_entities ? &es : NULL, sc);
    fz_extractor_free(x);
    fz_arena_release(&a);
    fz_text_release(&t);
}

/* Indices distinct and below 2^bits, values positive, L2 norm 1. */
static void check_sane(const struct fz_model_scratch *sc, unsigned bits)
{
    double norm = 0;
    assert_true(sc->nfeat > 0);
    assert_true(sc->nfeat <= sc->cap);
    for (size_t i = 0; i < sc->nfeat; i++) {
        assert_true(sc->feat[i].index < (1u << bits));
        assert_true(sc->feat[i].value > 0);
        norm += (double)sc->feat[i].value * sc->feat[i].value;
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(sc->feat[i].index, sc->feat[j].index);
    }
    assert_true(fabs(norm - 1) < 1e-4);
}

static void test_deterministic(void **state)
{
    (void)state;
    static const char msg[] =
        "【工行】您的账户异常，请登录 http://icbc.example.top 验证 13800138000";
    struct fz_model_scratch a, b;
    assert_int_equal(fz_model_scratch_init(&a), FZ_OK);
    assert_int_equal(fz_model_scratch_init(&b), FZ_OK);
    features_of(msg, 18, &a, true);
    check_sane(&a, 18);
    features_of("something else first", 18, &b, true);
    features_of(msg, 18, &b, true);
    assert_int_equal(a.nfeat, b.nfeat);
    assert_memory_equal(a.feat, b.feat, a.nfeat * sizeof *a.feat);
    /* many messages through one scratch: the stamps keep them apart, also when they wrap */
    b.stamp = 0xFFFF - 500;
    for (int i = 0; i < 1000; i++)
        features_of(i % 2 ? "abc" : "xyz", 18, &b, false);
    features_of(msg, 18, &b, true);
    assert_memory_equal(a.feat, b.feat, a.nfeat * sizeof *a.feat);
    fz_model_scratch_release(&a);
    fz_model_scratch_release(&b);
}

static void test_known_counts(void **state)
{
    (void)state;
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    /* "ab": grams a, b, ab, the opening ab, the word ab, script, obfuscation and length: 8
     * features, all once */
    features_of("ab", 20, &s, false);
    check_sane(&s, 20);
    assert_int_equal(s.nfeat, 8);
    for (size_t i = 1; i < s.nfeat; i++)
        assert_true(fabsf(s.feat[i].value - s.feat[0].value) < 1e-6f);
    /* "aaaa": a x4, aa x3, the opening ^aa, aaa x2 (and as an opening x2), the 4-gram, the
     * word, script, obfuscation, length: a weighs most */
    features_of("aaaa", 20, &s, false);
    check_sane(&s, 20);
    assert_int_equal(s.nfeat, 10);
    assert_true(s.feat[0].value > s.feat[1].value);
    assert_true(s.feat[1].value > s.feat[2].value);
    /* digits fold: two numbers of the same shape share their n-grams */
    features_of("123", 20, &s, false);
    size_t n1 = s.nfeat;
    struct fz_feature f1[16];
    memcpy(f1, s.feat, n1 * sizeof *f1);
    features_of("456", 20, &s, false);
    assert_int_equal(s.nfeat, n1);
    assert_memory_equal(f1, s.feat, n1 * sizeof *f1);
    fz_model_scratch_release(&s);
}

static void test_entities_add_features(void **state)
{
    (void)state;
    static const char msg[] = "加微信 abc12345 转账 5000 元到 6222020200112233445";
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    features_of(msg, 20, &s, false);
    size_t plain = s.nfeat;
    features_of(msg, 20, &s, true);
    check_sane(&s, 20);
    assert_true(s.nfeat > plain);
    fz_model_scratch_release(&s);
}

static void test_long_text_capped(void **state)
{
    (void)state;
    /* many distinct code points: more n-grams than the cap */
    struct fz_buf b;
    fz_buf_init(&b, FZ_CAP_SMS_TEXT);
    for (uint32_t cp = 0x4E00; cp < 0x4E00 + 6000; cp++) {
        char u[4];
        size_t n = fz_utf8_encode(cp, u);
        assert_int_equal(fz_buf_add(&b, u, n), FZ_OK);
    }
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    features_of(b.ptr, 20, &s, true);
    assert_int_equal(s.nfeat, s.cap);
    check_sane(&s, 20);
    fz_model_scratch_release(&s);
    fz_buf_release(&b);
}

static void test_bucket_stable(void **state)
{
    (void)state;
    struct fz_text a, b;
    fz_text_init(&a);
    fz_text_init(&b);
    assert_int_equal(fz_text_normalize("Ｈｅｌｌｏ", strlen("Ｈｅｌｌｏ"), &a), FZ_OK);
    assert_int_equal(fz_text_normalize("hello", 5, &b), FZ_OK);
    /* the same normalized text falls in the same bucket, whatever it looked like */
    assert_int_equal(fz_model_bucket(&a, FZ_MODEL_SPLIT_SEED, 5),
                     fz_model_bucket(&b, FZ_MODEL_SPLIT_SEED, 5));
    assert_true(fz_model_bucket(&a, 1, 7) < 7);
    fz_text_release(&a);
    fz_text_release(&b);
}

static void test_slot_hash(void **state)
{
    (void)state;
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    s.stamp = 1;
    struct fctx c = {.s = &s, .dim_bits = 20, .tmask = 255, .limit = 128, .stamp = 1u << 16};
    const uint64_t keys[] = {0, 'a', (uint64_t)0x4E2D << 21 | 0x6587, UINT64_MAX};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        add_key(&c, FAM_GRAM2, keys[i]);
        assert_int_equal(s.nfeat, i + 1);
        assert_int_equal(s.feat[i].index, fz__model_slot(FAM_GRAM2, keys[i], 20));
    }
    /* fixed values: a changed hash changes every weight's meaning (bump FZ_MODEL_VERSION) */
    assert_int_equal(fz__model_slot(FAM_GRAM1, 'a', 18), fz__model_slot(FAM_GRAM1, 'a', 20) >> 2);
    assert_int_not_equal(fz__model_slot(FAM_GRAM1, 'a', 20), fz__model_slot(FAM_GRAM2, 'a', 20));
    /* consecutive keys spread: few collisions among 4096 keys in 2^20 slots */
    static uint8_t seen[1u << 17];
    size_t collisions = 0;
    for (uint64_t k = 0; k < 4096; k++) {
        uint32_t slot = fz__model_slot(FAM_GRAM3, k, 20);
        collisions += (seen[slot >> 3] >> (slot & 7)) & 1;
        seen[slot >> 3] |= (uint8_t)(1u << (slot & 7));
    }
    assert_true(collisions < 30); /* about 8 expected */
    fz_model_scratch_release(&s);
}

/* The features of a and b are the same set of slots. */
static void expect_same_features(const char *a, const char *b)
{
    struct fz_model_scratch x, y;
    assert_int_equal(fz_model_scratch_init(&x), FZ_OK);
    assert_int_equal(fz_model_scratch_init(&y), FZ_OK);
    features_of(a, 20, &x, false);
    features_of(b, 20, &y, false);
    assert_int_equal(x.nfeat, y.nfeat);
    assert_memory_equal(x.feat, y.feat, x.nfeat * sizeof *x.feat);
    fz_model_scratch_release(&x);
    fz_model_scratch_release(&y);
}

static void test_digit_shapes(void **state)
{
    (void)state;
    /* a corpus that masks digits as x must look like one that does not */
    expect_same_features("验证码 482913，5分钟内有效", "验证码 xxxxxx，x分钟内有效");
    expect_same_features("会议x月xx日x点开始", "会议6月12日9点开始");
    expect_same_features("价格x.x折", "价格8.5折");
    /* English x stays a letter */
    struct fz_model_scratch x, y;
    assert_int_equal(fz_model_scratch_init(&x), FZ_OK);
    assert_int_equal(fz_model_scratch_init(&y), FZ_OK);
    features_of("love you xxx", 20, &x, false);
    features_of("love you 000", 20, &y, false);
    assert_true(x.nfeat != y.nfeat || memcmp(x.feat, y.feat, x.nfeat * sizeof *x.feat) != 0);
    features_of("box", 20, &x, false);
    features_of("bo0", 20, &y, false);
    assert_true(x.nfeat != y.nfeat || memcmp(x.feat, y.feat, x.nfeat * sizeof *x.feat) != 0);
    /* runs of different length differ by their shape */
    features_of("号码 12345", 20, &x, false);
    features_of("号码 123456", 20, &y, false);
    assert_int_not_equal(x.feat[x.nfeat - 1].index, 0); /* sanity: features were made */
    bool differ = x.nfeat != y.nfeat;
    for (size_t i = 0; !differ && i < x.nfeat; i++)
        differ = x.feat[i].index != y.feat[i].index;
    assert_true(differ);
    fz_model_scratch_release(&x);
    fz_model_scratch_release(&y);
}

static void test_script(void **state)
{
    (void)state;
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    features_of("您的账户异常，请尽快处理", 18, &s, false);
    assert_int_equal(s.script, FZ_MODEL_SCRIPT_HAN);
    features_of("Your account is locked, verify now", 18, &s, false);
    assert_int_equal(s.script, FZ_MODEL_SCRIPT_OTHER);
    features_of("下载app注册账号 http://abc.cn", 18, &s, false); /* Chinese with some Latin */
    assert_int_equal(s.script, FZ_MODEL_SCRIPT_HAN);
    features_of("Hi 王 see you tomorrow at the station", 18, &s, false);
    assert_int_equal(s.script, FZ_MODEL_SCRIPT_OTHER);
    features_of("12345", 18, &s, false);
    assert_int_equal(s.script, FZ_MODEL_SCRIPT_OTHER);
    assert_string_equal(fz_model_script_name(FZ_MODEL_SCRIPT_HAN), "han");
    assert_null(fz_model_script_name(FZ_MODEL_SCRIPT_COUNT));
    fz_model_scratch_release(&s);
}

static void test_gold_labels(void **state)
{
    (void)state;
    struct fz_gold g;
    assert_true(fz_gold_parse("ham", 3, &g));
    assert_true(g.is_ham && g.has_spam_info && !g.is_fraud && g.type == -1);
    assert_true(fz_gold_parse("spam", 4, &g));
    assert_true(!g.is_ham && g.has_spam_info && !g.is_fraud);
    assert_true(fz_gold_parse("not_fraud", 9, &g));
    assert_true(!g.has_spam_info && !g.is_fraud);
    assert_true(fz_gold_parse("fraud", 5, &g));
    assert_true(g.is_fraud && g.has_spam_info && !g.is_ham && g.type == -1);
    assert_true(fz_gold_parse("phishing", 8, &g));
    assert_true(g.is_fraud && g.type >= 0);
    assert_string_equal(fz_fraud_type_name(g.type), "phishing");
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++) {
        const char *name = fz_fraud_type_name(t);
        assert_true(fz_gold_parse(name, strlen(name), &g));
        assert_int_equal(g.type, t);
    }
    g.type = 99;
    assert_false(fz_gold_parse("hamm", 4, &g));
    assert_false(fz_gold_parse("ha", 2, &g));
    assert_false(fz_gold_parse("", 0, &g));
    assert_int_equal(g.type, 99); /* untouched */
    assert_null(fz_fraud_type_name(FZ_FRAUD_TYPE_COUNT));
    assert_null(fz_label_name(FZ_LABEL__COUNT));
}

static void test_scratch_alloc_failures(void **state)
{
    (void)state;
    for (unsigned long n = 1; n <= 3; n++) {
        struct fz_model_scratch s;
        fzt_fail_alloc_after(n, true);
        assert_int_equal(fz_model_scratch_init(&s), FZ_ENOMEM);
        fz_model_scratch_release(&s);
        assert_int_equal(fzt_alloc_restore(), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),         cmocka_unit_test(test_known_counts),
        cmocka_unit_test(test_entities_add_features), cmocka_unit_test(test_long_text_capped),
        cmocka_unit_test(test_bucket_stable),         cmocka_unit_test(test_slot_hash),
        cmocka_unit_test(test_digit_shapes),          cmocka_unit_test(test_script),
        cmocka_unit_test(test_gold_labels),           cmocka_unit_test(test_scratch_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
