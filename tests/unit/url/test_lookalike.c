/* Unit tests for src/url/lookalike.c: the brand index built from data/url/brands.txt, the
 * lookalike checks (table tests/data/url/lookalike.tsv: host -> kind, brand), the skeleton and
 * the edit distance. Reaches the internals through url_int.h. */
#include "support.h"

#include "url_int.h"

#include <string.h>

static struct fz_url_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    return fz_url_ctx_new(&ctx) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_url_ctx_free(ctx);
    return 0;
}

static const char *const kind_names[] = {"none",      "embed", "homograph", "swap",
                                         "other_tld", "affix", "typo",      "sublabel"};

/* Judges host through the analyzer (for its registrable domain) and the index directly. */
static void look(const char *host, struct fz_arena *a, struct fz__url_look *out)
{
    struct fz_url u;
    assert_int_equal(fz_url_analyze(ctx, host, strlen(host), a, &u), FZ_OK);
    assert_true(u.valid);
    *out = (struct fz__url_look){FZ__URL_LOOK_NONE, NULL};
    if (!u.registrable_domain) {
        assert_false(u.flags & FZ_URL_LOOKALIKE);
        return;
    }
    bool hit = fz__url_lookalike(&ctx->brands, u.host, strlen(u.host),
                                 (size_t)(u.registrable_domain - u.host), false, out);
    assert_true(hit == (out->kind != FZ__URL_LOOK_NONE));
    assert_true(hit == (out->domain != NULL));
    /* The analyzer agrees, except that it forgives a brand's name under a country code. */
    if (!hit)
        assert_false(u.flags & FZ_URL_LOOKALIKE);
    else if (out->kind != FZ__URL_LOOK_OTHER_TLD)
        assert_string_equal(u.lookalike_of, out->domain);
}

static void test_table(void **state)
{
    (void)state;
    size_t nrows;
    struct fzt_row *rows = fzt_rows_load("url/lookalike.tsv", &nrows);
    assert_true(nrows >= 100);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    for (size_t r = 0; r < nrows; r++) {
        const struct fzt_row *row = &rows[r];
        assert_int_equal(row->nfields, 3);
        struct fz__url_look lk;
        fz_arena_reset(&a);
        look(row->field[0], &a, &lk);
        const char *got = lk.domain ? lk.domain : "-";
        if (strcmp(kind_names[lk.kind], row->field[1]) != 0 || strcmp(got, row->field[2]) != 0)
            fail_msg("lookalike.tsv line %zu: %s is %s of %s, expected %s of %s", row->line,
                     row->field[0], kind_names[lk.kind], got, row->field[1], row->field[2]);
    }
    fz_arena_release(&a);
    fzt_rows_free(rows, nrows);
}

/* A brand's name under a country code is its own site (google.be); under .cn, a generic or a
 * cheap TLD it is not (paypal.cn, icbc.net, icbc.cc). */
static void test_country_codes(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 0);
    const char *own[] = {"google.be", "yahoo.co.jp", "hsbc.com.sg", "ing.ch", "amazon.fr"};
    const char *fake[] = {"paypal.cn", "icbc.net", "icbc.cc", "taobao.com.cn", "alipay.tk"};
    struct fz_url u;
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(fz_url_analyze(ctx, own[i], strlen(own[i]), &a, &u), FZ_OK);
        assert_false(u.flags & FZ_URL_LOOKALIKE);
        assert_int_equal(fz_url_analyze(ctx, fake[i], strlen(fake[i]), &a, &u), FZ_OK);
        assert_true(u.flags & FZ_URL_LOOKALIKE);
    }
    fz_arena_release(&a);
}

/* Every listed domain, and its www. host, is legitimate; every brand's primary is listed. */
static void test_brands_legit(void **state)
{
    (void)state;
    const struct fz__url_brands *b = &ctx->brands;
    assert_true(b->nbrand >= 200);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    char host[300];
    for (size_t i = 0; i < b->nbrand; i++) {
        const struct fz__url_brand *br = &b->brand[i];
        assert_non_null(br->primary);
        assert_non_null(fz_map_get(&b->legit_map, br->reg, br->reg_len));
        assert_string_equal(br->primary->key, br->key);
        for (int www = 0; www < 2; www++) {
            struct fz_url u;
            snprintf(host, sizeof host, "%s%s", www ? "www." : "", br->domain);
            assert_int_equal(fz_url_analyze(ctx, host, strlen(host), &a, &u), FZ_OK);
            if (!u.valid || (u.flags & FZ_URL_LOOKALIKE))
                fail_msg("brand domain %s: valid %d, lookalike of %s", host, u.valid,
                         u.lookalike_of ? u.lookalike_of : "-");
        }
    }
    fz_arena_release(&a);
}

static void test_required_brands(void **state)
{
    (void)state;
    static const char *const domains[] = {
        "icbc.com.cn",
        "ccb.com",
        "abchina.com",
        "boc.cn",
        "bankcomm.com",
        "cmbchina.com",
        "psbc.com",
        "citicbank.com",
        "cebbank.com",
        "cmbc.com.cn",
        "cib.com.cn",
        "spdb.com.cn",
        "pingan.com",
        "hxb.com.cn",
        "cgbchina.com.cn",
        "bankofbeijing.com.cn",
        "bosc.cn",
        "alipay.com",
        "tenpay.com",
        "unionpay.com",
        "95516.com",
        "yeepay.com",
        "lakala.com",
        "taobao.com",
        "tmall.com",
        "jd.com",
        "pinduoduo.com",
        "meituan.com",
        "ctrip.com",
        "vip.com",
        "suning.com",
        "goofish.com",
        "douyin.com",
        "sf-express.com",
        "ems.com.cn",
        "zto.com",
        "yto.net.cn",
        "sto.cn",
        "yundaex.com",
        "jtexpress.com.cn",
        "cainiao.com",
        "10086.cn",
        "chinamobile.com",
        "10010.com",
        "chinaunicom.com.cn",
        "189.cn",
        "chinatelecom.com.cn",
        "mps.gov.cn",
        "12306.cn",
        "chinatax.gov.cn",
        "mohrss.gov.cn",
        "12333.gov.cn",
        "pbc.gov.cn",
        "cbirc.gov.cn",
        "nfra.gov.cn",
        "court.gov.cn",
        "spp.gov.cn",
        "12321.cn",
        "creditchina.gov.cn",
        "pbccrc.org.cn",
        "qq.com",
        "weixin.qq.com",
        "weibo.com",
        "paypal.com",
        "apple.com",
        "icloud.com",
        "microsoft.com",
        "office365.com",
        "google.com",
        "amazon.com",
        "netflix.com",
        "facebook.com",
        "instagram.com",
        "dhl.com",
        "fedex.com",
        "ups.com",
        "usps.com",
        "binance.com",
        "coinbase.com",
        "metamask.io",
        "bankofamerica.com",
        "chase.com",
        "wellsfargo.com",
        "hsbc.com",
    };
    const struct fz__url_brands *b = &ctx->brands;
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < b->nbrand && !found; k++)
            found = !strcmp(b->brand[k].domain, domains[i]);
        if (!found)
            fail_msg("brands.txt lacks %s", domains[i]);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    const psl_ctx_t *psl = fz__url_psl();
    struct fz__url_brands b;
    struct fz_err err = {0};
    const char ok[] =
        "# comment\n\nexample.com\tex\tbank\r\nshop.example.org ex tech notypo,noaffix\n";
    assert_int_equal(fz__url_brands_init(&b, psl, ok, sizeof ok - 1, &err), FZ_OK);
    assert_int_equal(b.nbrand, 2);
    assert_int_equal(b.brand[1].flags, FZ__URL_BRAND_NOTYPO | FZ__URL_BRAND_NOAFFIX);
    assert_ptr_equal(b.brand[1].primary, &b.brand[0]);
    assert_string_equal(b.brand[1].reg, "example.org");
    fz__url_brands_release(&b);
    fz__url_brands_release(NULL);
    static const struct {
        const char *text;
        size_t line;
        const char *field;
    } bad[] = {
        {"a.com\tk\n", 1, "brands"},
        {"a.com\tk\tc\tf\textra\n", 1, "brands"},
        {"# x\na.com\tk\tc\tnosuchflag\n", 2, "flags"},
        {"com.cn\tk\tc\n", 1, "domain"},
        {"a_b!.com\tk\tc\n", 1, "domain"},
        {"nodot\tk\tc\n", 1, "domain"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(fz__url_brands_init(&b, psl, bad[i].text, strlen(bad[i].text), &err),
                         FZ_EPARSE);
        assert_int_equal(err.line, bad[i].line);
        assert_string_equal(err.field, bad[i].field);
        assert_null(b.brand);
    }
}

static void test_skeleton(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"paypa1", "paypal"},
        {"icbc", "lcbc"},
        {"1cbc", "lcbc"},
        {"rnicrosoft", "mlcrosoft"},
        {"vvechat", "wechat"},
        {"g00gle", "google"},
        {"taob4o", "taobao"},
        {"5ina", "slna"},
        {"a3c", "aec"},
        {"rn", "m"},
        {"r", "r"},
        {"", ""},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = fz__url_skeleton(cases[i].in, strlen(cases[i].in), out, sizeof out);
        assert_int_equal(n, strlen(cases[i].out));
        assert_memory_equal(out, cases[i].out, n);
    }
    /* The output cap is respected. */
    assert_int_equal(fz__url_skeleton("abcdef", 6, out, 3), 3);
}

static void test_osa(void **state)
{
    (void)state;
    assert_int_equal(fz__url_osa("icbc", 4, "icbc", 4, 2), 0);
    assert_int_equal(fz__url_osa("icbcc", 5, "icbc", 4, 2), 1);
    assert_int_equal(fz__url_osa("ibcc", 4, "icbc", 4, 2), 1); /* transposition */
    assert_int_equal(fz__url_osa("paypal", 6, "pyapla", 6, 2), 2);
    assert_int_equal(fz__url_osa("kitten", 6, "sitting", 7, 3), 3);
    assert_int_equal(fz__url_osa("kitten", 6, "sitting", 7, 2), 3); /* over max: max + 1 */
    assert_int_equal(fz__url_osa("a", 1, "abcd", 4, 2), 3);
    assert_int_equal(fz__url_osa("", 0, "ab", 2, 2), 2);
    char longer[80];
    memset(longer, 'a', sizeof longer);
    assert_int_equal(fz__url_osa(longer, sizeof longer, longer, sizeof longer, 1), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),        cmocka_unit_test(test_country_codes),
        cmocka_unit_test(test_brands_legit), cmocka_unit_test(test_required_brands),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_skeleton),
        cmocka_unit_test(test_osa),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
