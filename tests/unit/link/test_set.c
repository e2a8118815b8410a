/*
 * Unit tests for src/link/set.c, norm.c and json.c: kind names, normalization joining two
 * spellings of one value, repeated values, the url's domain, scripts, the JSON Lines reader's
 * errors (line, field, reason) and that a rejected line leaves the set unchanged.
 */
#include "support.h"

#include "fangzha/link.h"

#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
    struct fz_url_ctx *u = NULL;
    if (fz_url_ctx_new(&u) != FZ_OK)
        return -1;
    *state = u;
    return 0;
}

static int teardown(void **state)
{
    fz_url_ctx_free(*state);
    return 0;
}

static struct fz_link_set *new_set(void **state)
{
    struct fz_link_set *s = NULL;
    assert_int_equal(fz_link_set_new(*state, &s), FZ_OK);
    return s;
}

static uint32_t add_case(struct fz_link_set *s, const char *id)
{
    uint32_t c = 0;
    assert_int_equal(fz_link_set_add_case(s, id, strlen(id), -1, 0, &c, NULL), FZ_OK);
    return c;
}

static void test_kinds(void **state)
{
    (void)state;
    for (int k = 0; k < FZ_LINK__KINDS; k++) {
        const char *name = fz_link_kind_name((enum fz_link_kind)k);
        enum fz_link_kind back;
        assert_non_null(name);
        assert_true(fz_link_kind_parse(name, strlen(name), &back));
        assert_int_equal(back, k);
    }
    enum fz_link_kind k;
    assert_false(fz_link_kind_parse("Phone", 5, &k));
    assert_false(fz_link_kind_parse(NULL, 0, &k));
    assert_null(fz_link_kind_name(FZ_LINK__KINDS));
    assert_true(fz_link_kind_is_hard(FZ_LINK_PHONE));
    assert_true(fz_link_kind_is_hard(FZ_LINK_QQ));
    assert_false(fz_link_kind_is_hard(FZ_LINK_DEVICE));
    assert_false(fz_link_kind_is_hard(FZ_LINK_IP));
    assert_false(fz_link_kind_is_hard(FZ_LINK_SCRIPT));
}

/* "+86 138-0013-8000" and "13800138000" are one identifier. */
static void test_phone_spellings_join(void **state)
{
    struct fz_link_set *s = new_set(state);
    uint32_t a = add_case(s, "a"), b = add_case(s, "b");
    static const char x[] = "+86 138-0013-8000", y[] = "13800138000";
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_PHONE, x, strlen(x), NULL), FZ_OK);
    assert_int_equal(fz_link_set_add(s, b, FZ_LINK_PHONE, y, strlen(y), NULL), FZ_OK);
    assert_int_equal(fz_link_set_nidents(s), 1);
    assert_int_equal(fz_link_set_npairs(s), 2);
    /* the same kind and value twice in one case counts once */
    assert_int_equal(fz_link_set_add(s, b, FZ_LINK_PHONE, "0086 13800138000", 16, NULL), FZ_OK);
    assert_int_equal(fz_link_set_npairs(s), 2);
    /* the same value under another kind is another identifier */
    assert_int_equal(fz_link_set_add(s, b, FZ_LINK_DEVICE, y, strlen(y), NULL), FZ_OK);
    assert_int_equal(fz_link_set_nidents(s), 2);
    fz_link_set_free(s);
}

static void test_values_of_each_kind(void **state)
{
    struct fz_link_set *s = new_set(state);
    uint32_t a = add_case(s, "a");
    static const struct {
        enum fz_link_kind k;
        const char *v;
    } ok[] = {
        {FZ_LINK_ACCOUNT, "6222 0212 3456 7890 123"},
        {FZ_LINK_URL, "http://Pay-Gold.top/r?x=1"},
        {FZ_LINK_DOMAIN, "EVIL.example.com."},
        {FZ_LINK_WECHAT, " GoldTeacher "},
        {FZ_LINK_QQ, "123456789"},
        {FZ_LINK_DEVICE, "DEV-77AA"},
        {FZ_LINK_IP, "203.0.113.7"},
        {FZ_LINK_SCRIPT, "您好 我是客服"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        struct fz_err err = {0};
        fz_rc rc = fz_link_set_add(s, a, ok[i].k, ok[i].v, strlen(ok[i].v), &err);
        if (rc)
            fail_msg("%s: %s", fz_link_kind_name(ok[i].k), err.msg);
    }
    /* the url brings its registrable domain as a domain identifier: 9 in all */
    assert_int_equal(fz_link_set_npairs(s), 9);
    /* a reflowed script is the same script */
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_SCRIPT, "您好我是客服", 18, NULL), FZ_OK);
    assert_int_equal(fz_link_set_npairs(s), 9);
    fz_link_set_free(s);
}

static void test_bad_values(void **state)
{
    struct fz_link_set *s = new_set(state);
    uint32_t a = add_case(s, "a");
    struct fz_err err = {0};
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_PHONE, "hello", 5, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "phone"));
    assert_null(strstr(err.msg, "hello")); /* never echoes the value */
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_ACCOUNT, "12", 2, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_IP, "999.1.1.1", 9, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK_URL, "not a url", 9, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add(s, 7, FZ_LINK_PHONE, "13800138000", 11, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add(s, a, FZ_LINK__KINDS, "x", 1, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_npairs(s), 0);
    uint32_t c;
    assert_int_equal(fz_link_set_add_case(s, "", 0, -1, 0, &c, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add_case(s, "x", 1, -1, -5, &c, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_add_case(s, "x", 1, 99, 0, &c, NULL), FZ_EINVAL);
    assert_int_equal(fz_link_set_ncases(s), 1);
    fz_link_set_free(s);
}

static void test_json_good(void **state)
{
    struct fz_link_set *s = new_set(state);
    static const char line[] =
        "{\"case_id\":\"K1\",\"time\":\"2026-01-01\",\"fraud_type\":\"romance\",\"loss_fen\":100,"
        "\"identifiers\":[{\"kind\":\"phone\",\"value\":\"13800138000\"},"
        "{\"kind\":\"ip\",\"value\":\"10.0.0.1\"}],\"extra\":true}";
    struct fz_err err = {0};
    assert_int_equal(fz_link_set_add_json(s, line, strlen(line), 1, &err), FZ_OK);
    static const char line2[] = "{\"case_id\":42,\"time\":1700000000}";
    assert_int_equal(fz_link_set_add_json(s, line2, strlen(line2), 2, &err), FZ_OK);
    assert_int_equal(fz_link_set_ncases(s), 2);
    assert_string_equal(fz_link_set_case_id(s, 0), "K1");
    assert_string_equal(fz_link_set_case_id(s, 1), "42");
    assert_null(fz_link_set_case_id(s, 2));
    assert_int_equal(fz_link_set_npairs(s), 2);
    fz_link_set_free(s);
}

/* Each bad line: its error code, field and a word of the message. */
static void test_json_errors(void **state)
{
    static const struct {
        const char *line;
        fz_rc rc;
        const char *field, *msg;
    } bad[] = {
        {"not json", FZ_EPARSE, "", ""},
        {"[1,2]", FZ_EPARSE, "", "object"},
        {"{\"identifiers\":[]}", FZ_EPARSE, "case_id", "missing"},
        {"{\"case_id\":true}", FZ_EPARSE, "case_id", "string"},
        {"{\"case_id\":\"x\",\"loss_fen\":1.5}", FZ_EINVAL, "loss_fen", "whole"},
        {"{\"case_id\":\"x\",\"loss_fen\":-1}", FZ_EINVAL, "loss_fen", "whole"},
        {"{\"case_id\":\"x\",\"fraud_type\":\"bogus\"}", FZ_EINVAL, "fraud_type", "unknown"},
        {"{\"case_id\":\"x\",\"time\":[]}", FZ_EINVAL, "time", "time"},
        {"{\"case_id\":\"x\",\"identifiers\":{}}", FZ_EINVAL, "identifiers", "array"},
        {"{\"case_id\":\"x\",\"identifiers\":[1]}", FZ_EINVAL, "identifiers[0]", "object"},
        {"{\"case_id\":\"x\",\"identifiers\":[{\"kind\":\"fax\",\"value\":\"1\"}]}", FZ_EINVAL,
         "identifiers[0].kind", "unknown kind"},
        {"{\"case_id\":\"x\",\"identifiers\":[{\"kind\":\"qq\",\"value\":\"12345\"},"
         "{\"kind\":\"phone\",\"value\":\"abc\"}]}",
         FZ_EINVAL, "identifiers[1].value", "phone"},
        {"{\"case_id\":\"x\",\"identifiers\":[{\"kind\":\"qq\"}]}", FZ_EINVAL,
         "identifiers[0].value", "string"},
    };
    struct fz_link_set *s = new_set(state);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct fz_err err = {0};
        fz_rc rc = fz_link_set_add_json(s, bad[i].line, strlen(bad[i].line), 10 + i, &err);
        if (rc != bad[i].rc || err.line != 10 + i || strcmp(err.field, bad[i].field) ||
            !strstr(err.msg, bad[i].msg))
            fail_msg("'%s': rc %d line %zu field '%s' msg '%s'", bad[i].line, rc, err.line,
                     err.field, err.msg);
        /* nothing of a rejected line stays */
        assert_int_equal(fz_link_set_ncases(s), 0);
        assert_int_equal(fz_link_set_npairs(s), 0);
    }
    fz_link_set_free(s);
}

/* The fixture of the integration test, read line by line: two gangs (a phone written two ways,
 * a url and a domain, a WeChat id in two cases; a shared account and a device), the bank's
 * number a hub. */
static void test_fixture_clusters(void **state)
{
    struct fz_link_set *s = new_set(state);
    FILE *f = fopen(FZ_TEST_DATA "/link/cases.jsonl", "r");
    assert_non_null(f);
    struct fz_lines lines;
    fz_lines_init(&lines, f, FZ_CAP_LINE);
    struct fz_str line;
    while (fz_lines_next(&lines, &line, NULL) == FZ_OK)
        assert_int_equal(fz_link_set_add_json(s, line.ptr, line.len, lines.lineno, NULL), FZ_OK);
    fz_lines_release(&lines);
    fclose(f);
    assert_int_equal(fz_link_set_ncases(s), 8);
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.hub_floor = 2;
    o.hub_ratio = 0.3;
    struct fz_link_result *r = NULL;
    assert_int_equal(fz_link_run(s, &o, &r, NULL), FZ_OK);
    assert_int_equal(fz_link_result_nclusters(r), 2);
    static const char *const want[2][4] = {{"A1", "A2", "A3", "N2"}, {"B1", "B2", "B3", NULL}};
    for (size_t i = 0; i < 2; i++) {
        const uint32_t *c;
        size_t n = fz_link_result_cases(r, i, &c);
        assert_int_equal(n, i ? 3 : 4);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(fz_link_set_case_id(s, c[k]), want[i][k]);
    }
    const uint32_t *hubs;
    assert_int_equal(fz_link_result_hubs(r, &hubs), 1);
    assert_string_equal(fz_link_result_ident(r, hubs[0]).value, "95588");
    fz_link_result_free(r);
    fz_link_set_free(s);
}

static void test_out_of_memory(void **state)
{
    static const char line[] = "{\"case_id\":\"K1\",\"identifiers\":[{\"kind\":\"phone\","
                               "\"value\":\"13800138000\"},{\"kind\":\"url\",\"value\":"
                               "\"http://a.example.com/x\"}]}";
    for (unsigned long n = 1; n < 400; n++) {
        struct fz_link_set *s = NULL;
        fzt_fail_alloc_after(n, true);
        fz_rc rc = fz_link_set_new(*state, &s);
        if (rc == FZ_OK)
            rc = fz_link_set_add_json(s, line, strlen(line), 1, NULL);
        if (rc == FZ_OK) {
            struct fz_link_result *r = NULL;
            rc = fz_link_run(s, NULL, &r, NULL);
            fz_link_result_free(r);
        }
        fz_link_set_free(s);
        assert_int_equal(fzt_alloc_restore(), 0);
        assert_true(rc == FZ_OK || rc == FZ_ENOMEM || rc == FZ_EPARSE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_phone_spellings_join),
        cmocka_unit_test(test_values_of_each_kind),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_json_good),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_fixture_clusters),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
