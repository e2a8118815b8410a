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

static size_t distinct(const struct fz_model_scratch *sc);

/* Slots distinct and below 2^bits, L2 norm 1. */
static void check_sane(const struct fz_model_scratch *sc, unsigned bits)
{
    assert_true(sc->nslot > 0);
    assert_true(sc->nslot <= sc->cap + PER_CHAR);
    for (size_t i = 0; i < sc->nslot; i++)
        assert_true(sc->slot[i] < (1u << bits));
    if (sc->nslot < 2000)
        assert_int_equal(distinct(sc), sc->nslot);
    assert_true(fabs((double)sc->value * sc->value * (double)sc->nslot - 1) < 1e-5);
}

/* The distinct slots of sc. */
static size_t distinct(const struct fz_model_scratch *sc)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->nslot; i++) {
        size_t j = 0;
        while (j < i && sc->slot[j] != sc->slot[i])
            j++;
        n += j == i;
    }
    return n;
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
    assert_int_equal(a.nslot, b.nslot);
    assert_memory_equal(a.slot, b.slot, a.nslot * sizeof *a.slot);
    /* many messages through one scratch: the stamps keep them apart, also when they wrap */
    b.stamp = UINT16_MAX - 501;
    for (int i = 0; i < 1000; i++)
        features_of(i % 2 ? "abc" : "xyz", 18, &b, false);
    features_of(msg, 18, &b, true);
    check_sane(&b, 18);
    assert_memory_equal(a.slot, b.slot, a.nslot * sizeof *a.slot);
    features_of(msg, 24, &b, true);
    check_sane(&b, 24);
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
    assert_int_equal(s.nslot, 8);
    assert_int_equal(distinct(&s), 8);
    /* "aaaa": a, aa, aaa, the openings ^aa and ^aaa, the 4-gram, the word, script, obfuscation,
     * length: 10 features, each once however often it occurs, and "repeated" for a, aa, aaa
     * and ^aaa */
    features_of("aaaa", 20, &s, false);
    check_sane(&s, 20);
    assert_int_equal(s.nslot, 14);
    features_of("aaaaaaaa", 20, &s, false); /* the 4-gram repeats as well */
    assert_int_equal(s.nslot, 15);
    features_of("aaaaaaaaaaaaaaaa", 20, &s, false);
    assert_int_equal(s.nslot, 15);
    /* digits fold: two numbers of the same shape share their n-grams */
    features_of("123", 20, &s, false);
    size_t n1 = s.nslot;
    uint32_t f1[16];
    memcpy(f1, s.slot, n1 * sizeof *f1);
    features_of("456", 20, &s, false);
    assert_int_equal(s.nslot, n1);
    assert_memory_equal(f1, s.slot, n1 * sizeof *f1);
    fz_model_scratch_release(&s);
}

static void test_entities_add_features(void **state)
{
    (void)state;
    static const char msg[] = "加微信 abc12345 转账 5000 元到 6222020200112233445";
    struct fz_model_scratch s;
    assert_int_equal(fz_model_scratch_init(&s), FZ_OK);
    features_of(msg, 20, &s, false);
    size_t plain = s.nslot;
    features_of(msg, 20, &s, true);
    check_sane(&s, 20);
    assert_true(s.nslot > plain);
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
    assert_true(s.nslot >= s.cap && s.nslot <= s.cap + PER_CHAR);
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
    struct fctx c = {.slot = s.slot, .seen = s.seen, .stamp = 2, .cap = s.cap, .shift = 64 - 20};
    const uint64_t keys[] = {0, 'a', (uint64_t)0x4E2D << 21 | 0x6587, UINT64_MAX};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        add(&c, S_GRAM2, keys[i]);
        add(&c, S_GRAM2, keys[i]); /* a repeat adds "repeated", once */
        add(&c, S_GRAM2, keys[i]);
        assert_int_equal(c.n, 2 * i + 2);
        assert_int_equal(s.slot[2 * i], fz__model_slot(S_GRAM2, keys[i], 20));
        assert_int_equal(s.slot[2 * i + 1], fz__model_slot(S_REPEAT, s.slot[2 * i], 20));
    }
    /* fixed values: a changed hash changes every weight's meaning (bump FZ_MODEL_VERSION) */
    assert_int_equal(fz__model_slot(S_GRAM1, 'a', 18), fz__model_slot(S_GRAM1, 'a', 20) >> 2);
    assert_int_not_equal(fz__model_slot(S_GRAM1, 'a', 20), fz__model_slot(S_GRAM2, 'a', 20));
    /* keys spread: few collisions among 4096 consecutive keys, or 4096 keys that differ
     * only in their high bits (the first character of a trigram), in 2^20 slots */
    static uint8_t seen[1u << 17];
    for (int shift = 0; shift <= 42; shift += 42) {
        memset(seen, 0, sizeof seen);
        size_t collisions = 0;
        for (uint64_t k = 0; k < 4096; k++) {
            uint32_t slot = fz__model_slot(
                S_GRAM3, (0x4E00 + k) << shift | (uint64_t)0x6587 << (42 - shift), 20);
            collisions += (seen[slot >> 3] >> (slot & 7)) & 1;
            seen[slot >> 3] |= (uint8_t)(1u << (slot & 7));
        }
        assert_true(collisions < 30); /* about 8 expected */
    }
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
    assert_int_equal(x.nslot, y.nslot);
    assert_memory_equal(x.slot, y.slot, x.nslot * sizeof *x.slot);
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
    assert_true(x.nslot != y.nslot || memcmp(x.slot, y.slot, x.nslot * sizeof *x.slot) != 0);
    features_of("box", 20, &x, false);
    features_of("bo0", 20, &y, false);
    assert_true(x.nslot != y.nslot || memcmp(x.slot, y.slot, x.nslot * sizeof *x.slot) != 0);
    /* runs of different length differ by their shape */
    features_of("号码 12345", 20, &x, false);
    features_of("号码 123456", 20, &y, false);
    assert_true(x.nslot > 0); /* sanity: features were made */
    bool differ = x.nslot != y.nslot;
    for (size_t i = 0; !differ && i < x.nslot; i++)
        differ = x.slot[i] != y.slot[i];
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
    for (unsigned long n = 1; n <= 2; n++) {
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
