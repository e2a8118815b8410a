/* Unit tests for src/screen/screen.c: verdicts from rules and entity risk (the model's part is
 * covered by tests/integration/test_scan.sh with a trained model), spans into the original,
 * thresholds, and allocation failures. */
#include "support.h"

#include "fangzha/screen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char rules_text[] = "rule: t.safe_account\n"
                                 "type: impersonate_authority\n"
                                 "weight: 60\n"
                                 "zh: 安全账户\n"
                                 "en: safe account\n"
                                 "pattern: 安全账户\n"
                                 "\n"
                                 "rule: t.ad\n"
                                 "type: spam\n"
                                 "weight: 60\n"
                                 "zh: 退订\n"
                                 "en: unsubscribe line\n"
                                 "pattern: 退订回t\n";

static struct fz_rules *load_rules(void)
{
    struct fz_rules_builder *b;
    struct fz_rules *r;
    struct fz_err err = {0};
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    if (fz_rules_builder_add(b, "test.rules", rules_text, strlen(rules_text), &err) != FZ_OK)
        fail_msg("rules: line %zu: %s", err.line, err.msg);
    assert_int_equal(fz_rules_build(b, &r, &err), FZ_OK);
    fz_rules_builder_free(b);
    return r;
}

struct fixture {
    struct fz_screen *s;
    struct fz_screen_ctx *c;
};

static int setup(void **state)
{
    static struct fixture f;
    struct fz_rules *r = load_rules();
    assert_int_equal(fz_screen_new(NULL, NULL, r, &f.s), FZ_OK);
    fz_rules_unref(r); /* the engine keeps its own reference */
    assert_int_equal(fz_screen_ctx_new(f.s, &f.c), FZ_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fz_screen_ctx_free(f->c);
    fz_screen_free(f->s);
    return 0;
}

static struct fz_verdict v; /* large: keep it off the stack */

static void screen(struct fixture *f, const char *text)
{
    assert_int_equal(fz_screen_message(f->s, f->c, text, strlen(text), &v), FZ_OK);
}

static void test_rule_verdict(void **state)
{
    struct fixture *f = *state;
    const char *text = "请把钱转入安 全 账 户，马上";
    screen(f, text);
    assert_int_equal(v.score, 60);
    assert_int_equal(v.label, FZ_LABEL_FRAUD);
    assert_string_equal(fz_fraud_type_name(v.fraud_type), "impersonate_authority");
    assert_int_equal(v.action, FZ_ACTION_WARN);
    assert_int_equal(v.nreasons, 1);
    assert_string_equal(v.reasons[0].code, "t.safe_account");
    assert_true(v.reasons[0].has_span);
    /* The span covers the disguised original bytes. */
    assert_int_equal(v.reasons[0].end - v.reasons[0].start, strlen("安 全 账 户"));
    assert_memory_equal(text + v.reasons[0].start, "安 全 账 户", strlen("安 全 账 户"));
    assert_float_equal(v.model_fraud, -1, 0);
}

static void test_entities_and_evidence(void **state)
{
    struct fixture *f = *state;
    /* A lookalike bank URL alone: half its risk; with the rule: combined evidence. */
    screen(f, "登录 www.icbc.com.cn.verify.xyz 验证");
    int url_only = v.score;
    assert_true(url_only > 0 && url_only < 50);
    assert_int_equal(v.label, FZ_LABEL_HAM);
    assert_int_equal(v.entities.count[FZ_ENT_URL], 1);
    assert_string_equal(v.reasons[0].code, "url.lookalike");
    screen(f, "登录 www.icbc.com.cn.verify.xyz 把钱转入安全账户");
    assert_true(v.score > url_only && v.score > 60);
    assert_int_equal(v.label, FZ_LABEL_FRAUD);
    for (size_t i = 1; i < v.nreasons; i++) /* strongest first */
        assert_true(v.reasons[i - 1].weight >= v.reasons[i].weight);
}

static void test_spam_and_ham(void **state)
{
    struct fixture *f = *state;
    screen(f, "本店全场八折，退订回T");
    assert_int_equal(v.label, FZ_LABEL_SPAM);
    assert_int_equal(v.score, 0);
    assert_int_equal(v.action, FZ_ACTION_ALLOW);
    assert_int_equal(v.fraud_type, -1);
    screen(f, "明天下午三点开会");
    assert_int_equal(v.label, FZ_LABEL_HAM);
    assert_int_equal(v.nreasons, 0);
}

static void test_options(void **state)
{
    (void)state;
    struct fz_screen *s;
    struct fz_screen_opts bad = {.warn_at = 90, .block_at = 50};
    assert_int_equal(fz_screen_new(&bad, NULL, NULL, &s), FZ_EINVAL);
    struct fz_screen_opts big = {.warn_at = 101};
    assert_int_equal(fz_screen_new(&big, NULL, NULL, &s), FZ_EINVAL);
    struct fz_screen_opts low = {.warn_at = 5, .block_at = 15, .fraud_at = 30};
    assert_int_equal(fz_screen_new(&low, NULL, NULL, &s), FZ_OK);
    struct fz_screen_ctx *c;
    assert_int_equal(fz_screen_ctx_new(s, &c), FZ_OK);
    const char *text = "新号码 17012345678";
    assert_int_equal(fz_screen_message(s, c, text, strlen(text), &v), FZ_OK);
    assert_int_equal(v.score, 18); /* mvno 170: risk 35, half of it counts */
    assert_int_equal(v.action, FZ_ACTION_BLOCK);
    assert_int_equal(v.label, FZ_LABEL_HAM);
    fz_screen_ctx_free(c);
    fz_screen_free(s);
    fz_screen_free(NULL);
    fz_screen_ctx_free(NULL);
}

/* An index of two indicators: a confirmed phone and a suspected domain. */
static bool fake_lookup(const void *ud, const struct fz_entity *e, struct fz_intel_hit *hit)
{
    int *calls = (int *)(uintptr_t)ud;
    (*calls)++;
    if (e->kind == FZ_ENT_PHONE && !strcmp(e->phone.e164, "+8613800138000")) {
        *hit = (struct fz_intel_hit){FZ_INTEL_CONFIRMED, "ind-phone-1"};
        return true;
    }
    if (e->kind == FZ_ENT_URL && e->url.registrable_domain &&
        !strcmp(e->url.registrable_domain, "pay-verify.top")) {
        *hit = (struct fz_intel_hit){FZ_INTEL_SUSPECTED, "ind-domain-7"};
        return true;
    }
    return false;
}

static const struct fz_verdict_reason *find_reason(const struct fz_verdict *vd, const char *code)
{
    for (size_t i = 0; i < vd->nreasons; i++)
        if (!strcmp(vd->reasons[i].code, code))
            return &vd->reasons[i];
    return NULL;
}

static void test_intel(void **state)
{
    (void)state;
    int calls = 0;
    struct fz_intel intel = {fake_lookup, &calls};
    struct fz_screen_opts opts = {.intel = &intel};
    struct fz_screen *s;
    struct fz_screen_ctx *c;
    assert_int_equal(fz_screen_new(&opts, NULL, NULL, &s), FZ_OK);
    assert_int_equal(fz_screen_ctx_new(s, &c), FZ_OK);

    /* A confirmed number alone blocks, as fraud, with the indicator and its span. */
    static const char m1[] = "有事请回电 138 0013 8000";
    assert_int_equal(fz_screen_message(s, c, m1, strlen(m1), &v), FZ_OK);
    assert_int_equal(v.action, FZ_ACTION_BLOCK);
    assert_int_equal(v.label, FZ_LABEL_FRAUD);
    assert_true(v.fraud_type >= 0);
    const struct fz_verdict_reason *r = find_reason(&v, "intel.confirmed");
    assert_non_null(r);
    assert_int_equal(r->src, FZ_REASON_INTEL);
    assert_string_equal(r->indicator, "ind-phone-1");
    assert_true(r->has_span);
    assert_memory_equal(m1 + r->start, "138 0013 8000", r->end - r->start);

    /* A suspected domain adds evidence but does not block alone. */
    static const char m2[] = "请访问 http://www.pay-verify.top/a 完成认证";
    assert_int_equal(fz_screen_message(s, c, m2, strlen(m2), &v), FZ_OK);
    r = find_reason(&v, "intel.suspected");
    assert_non_null(r);
    assert_string_equal(r->indicator, "ind-domain-7");
    assert_int_not_equal(v.action, FZ_ACTION_BLOCK);
    assert_null(find_reason(&v, "intel.confirmed"));

    /* Nothing known: no intel reason; amounts are not asked about. */
    calls = 0;
    static const char m3[] = "会议改到 3 点，费用 200 元";
    assert_int_equal(fz_screen_message(s, c, m3, strlen(m3), &v), FZ_OK);
    assert_null(find_reason(&v, "intel.confirmed"));
    assert_null(find_reason(&v, "intel.suspected"));
    assert_int_equal(calls, 0);

    /* The verdict's JSON names the indicator. */
    assert_int_equal(fz_screen_message(s, c, m1, strlen(m1), &v), FZ_OK);
    struct fz_buf b;
    fz_buf_init(&b, 1 << 16);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_obj(&j);
    fz_verdict_json(&j, &v, m1);
    fz_json_obj_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_non_null(strstr(b.ptr, "\"signal\":\"intel.confirmed\""));
    assert_non_null(strstr(b.ptr, "\"indicator\":\"ind-phone-1\""));
    fz_buf_release(&b);
    fz_screen_ctx_free(c);
    fz_screen_free(s);
}

/* A context's own index overrides the engine's, and NULL gives the engine's back. */
static void test_ctx_intel(void **state)
{
    (void)state;
    int calls = 0;
    struct fz_intel intel = {fake_lookup, &calls};
    struct fz_screen *s;
    struct fz_screen_ctx *c;
    assert_int_equal(fz_screen_new(NULL, NULL, NULL, &s), FZ_OK);
    assert_int_equal(fz_screen_ctx_new(s, &c), FZ_OK);
    static const char m[] = "有事请回电 138 0013 8000";
    assert_int_equal(fz_screen_message(s, c, m, strlen(m), &v), FZ_OK);
    assert_null(find_reason(&v, "intel.confirmed"));
    fz_screen_ctx_set_intel(c, &intel);
    assert_int_equal(fz_screen_message(s, c, m, strlen(m), &v), FZ_OK);
    assert_non_null(find_reason(&v, "intel.confirmed"));
    assert_int_equal(v.action, FZ_ACTION_BLOCK);
    fz_screen_ctx_set_intel(c, NULL);
    calls = 0;
    assert_int_equal(fz_screen_message(s, c, m, strlen(m), &v), FZ_OK);
    assert_null(find_reason(&v, "intel.confirmed"));
    assert_int_equal(calls, 0);
    fz_screen_ctx_free(c);
    fz_screen_free(s);
}

/* A sender number counts like an entity, with reasons of its own and no span. */
static void test_sender(void **state)
{
    struct fixture *f = *state;
    static const char msg[] = "您好，请回电";
    assert_int_equal(
        fz_screen_message_from(f->s, f->c, msg, strlen(msg), "+86 170 1234 5678", 17, &v), FZ_OK);
    bool seen = false;
    for (size_t i = 0; i < v.nreasons; i++) {
        if (strcmp(v.reasons[i].code, "sender.phone.mvno") != 0)
            continue;
        seen = true;
        assert_false(v.reasons[i].has_span);
        assert_int_equal(v.reasons[i].src, FZ_REASON_ENTITY);
        assert_non_null(strstr(v.reasons[i].zh, "发送号码："));
    }
    assert_true(seen);
    assert_true(v.score > 0);
    /* the same text from nobody, or from a name rather than a number: nothing about a sender */
    assert_int_equal(fz_screen_message(f->s, f->c, msg, strlen(msg), &v), FZ_OK);
    assert_int_equal(v.nreasons, 0);
    assert_int_equal(fz_screen_message_from(f->s, f->c, msg, strlen(msg), "SomeShop", 8, &v),
                     FZ_OK);
    assert_int_equal(v.nreasons, 0);
}

static void test_too_big(void **state)
{
    struct fixture *f = *state;
    size_t n = FZ_CAP_SMS_TEXT + 1;
    char *big = malloc(n);
    memset(big, 'a', n);
    assert_int_equal(fz_screen_message(f->s, f->c, big, n, &v), FZ_ETOOBIG);
    assert_int_equal(v.score, 0);
    free(big);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    struct fz_rules *r = load_rules();
    const char *text = "请把钱转入安全账户 www.icbc.com.cn.verify.xyz 17012345678";
    for (unsigned long n = 1; n < 500; n++) {
        fzt_fail_alloc_after(n, true);
        struct fz_screen *s = NULL;
        struct fz_screen_ctx *c = NULL;
        fz_rc rc = fz_screen_new(NULL, NULL, r, &s);
        if (!rc)
            rc = fz_screen_ctx_new(s, &c);
        if (!rc)
            rc = fz_screen_message(s, c, text, strlen(text), &v);
        unsigned long used = fzt_alloc_count();
        fz_screen_ctx_free(c);
        fz_screen_free(s);
        assert_int_equal(fzt_alloc_restore(), 0);
        if (rc == FZ_OK && used < n)
            break;
        assert_int_equal(rc, FZ_ENOMEM);
    }
    fz_rules_unref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_verdict),   cmocka_unit_test(test_entities_and_evidence),
        cmocka_unit_test(test_spam_and_ham),   cmocka_unit_test(test_options),
        cmocka_unit_test(test_intel),          cmocka_unit_test(test_ctx_intel),
        cmocka_unit_test(test_sender),         cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
