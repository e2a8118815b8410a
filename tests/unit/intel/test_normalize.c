/*
 * Unit tests for src/intel/normalize.c: fz_ind_normalize() against the table
 * tests/data/intel/normalize.tsv (each expected value normalizes to itself), error messages
 * that never echo the value, the size and UTF-8 limits, the url context, and out of memory.
 */
#include "support.h"

#include "fangzha/intel.h"

#include <string.h>

enum { COL_KIND, COL_INPUT, COL_EXPECTED, NCOLS };

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

static enum fz_ind_kind kind_of(const struct fzt_row *r)
{
    enum fz_ind_kind k;
    if (!fz_ind_kind_parse(r->field[COL_KIND], strlen(r->field[COL_KIND]), &k))
        fail_msg("line %zu: unknown kind '%s'", r->line, r->field[COL_KIND]);
    return k;
}

/* Normalizing the canonical value again gives it back unchanged. */
static void assert_fixed_point(const struct fz_url_ctx *u, enum fz_ind_kind k, const char *v,
                               size_t line)
{
    struct fz_arena a;
    fz_arena_init(&a, 0);
    const char *again = NULL;
    size_t len = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_ind_normalize(u, k, v, strlen(v), &a, &again, &len, &err);
    if (rc != FZ_OK || strcmp(again, v) != 0)
        fail_msg("line %zu: '%s' is not a fixed point (%s)", line, v, rc ? err.msg : again);
    assert_int_equal(len, strlen(v));
    fz_arena_release(&a);
}

static void check_row(const struct fz_url_ctx *u, const struct fzt_row *r)
{
    enum fz_ind_kind k = kind_of(r);
    const char *in = r->field[COL_INPUT], *want = r->field[COL_EXPECTED];
    struct fz_arena a;
    fz_arena_init(&a, 0);
    const char *out = "untouched";
    size_t len = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_ind_normalize(u, k, in, strlen(in), &a, &out, &len, &err);
    if (want[0] == '!') {
        if (strcmp(fz_rc_name(rc), want + 1) != 0)
            fail_msg("line %zu: want %s, got %s (%s)", r->line, want, fz_rc_name(rc),
                     rc ? err.msg : out);
        assert_string_equal(out, "untouched");
        assert_int_equal(err.code, rc);
        assert_true(err.msg[0] != '\0');
        if (strlen(in) >= 3 && strstr(err.msg, in) != NULL)
            fail_msg("line %zu: message echoes the value: %s", r->line, err.msg);
    } else {
        if (rc != FZ_OK || strcmp(out, want) != 0)
            fail_msg("line %zu: want '%s', got %s", r->line, want, rc ? err.msg : out);
        assert_int_equal(len, strlen(out));
        assert_int_equal(err.code, FZ_OK); /* untouched on success */
        assert_fixed_point(u, k, out, r->line);
    }
    fz_arena_release(&a);
}

static void test_table(void **state)
{
    size_t n;
    struct fzt_row *rows = fzt_rows_load("intel/normalize.tsv", &n);
    bool seen[FZ_IND__COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        if (rows[i].nfields != NCOLS)
            fail_msg("line %zu: %d fields", rows[i].line, rows[i].nfields);
        check_row(*state, &rows[i]);
        seen[kind_of(&rows[i])] = true;
    }
    for (int k = 0; k < FZ_IND__COUNT; k++)
        if (!seen[k])
            fail_msg("no rows for kind %s", fz_ind_kind_name((enum fz_ind_kind)k));
    print_message("    %zu rows\n", n);
    fzt_rows_free(rows, n);
}

static fz_rc normalize(const struct fz_url_ctx *u, enum fz_ind_kind k, const char *in, size_t len,
                       struct fz_err *err)
{
    struct fz_arena a;
    fz_arena_init(&a, 0);
    const char *out;
    fz_rc rc = fz_ind_normalize(u, k, in, len, &a, &out, NULL, err);
    fz_arena_release(&a);
    return rc;
}

static void test_limits(void **state)
{
    struct fz_err err = {0};
    assert_int_equal(normalize(*state, FZ_IND_WECHAT, "ab\xff", 3, &err), FZ_EUTF8);
    assert_int_equal(err.code, FZ_EUTF8);
    assert_int_equal(normalize(*state, FZ_IND_PHONE, "\xe4\xb8", 2, NULL), FZ_EUTF8);
    char big[2049];
    memset(big, 'a', sizeof big);
    assert_int_equal(normalize(*state, FZ_IND_PAYMENT_ID, big, 2049, &err), FZ_ETOOBIG);
    assert_int_equal(normalize(*state, FZ_IND_PAYMENT_ID, big, 2048, NULL), FZ_OK);
    assert_int_equal(normalize(*state, FZ_IND_PHONE, big, 2048, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, FZ_IND__COUNT, "x", 1, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, (enum fz_ind_kind) - 1, "x", 1, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, FZ_IND_QQ, NULL, 0, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, FZ_IND_QQ, NULL, 5, NULL), FZ_EINVAL);
    /* An embedded NUL is a control character, never a terminator. */
    assert_int_equal(normalize(*state, FZ_IND_IP, "1.2.3.4\0x", 9, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, FZ_IND_APP, "a\0b", 3, NULL), FZ_EINVAL);
    assert_int_equal(normalize(*state, FZ_IND_QQ, "10001\0", 6, NULL), FZ_EINVAL);
}

static void test_needs_url_ctx(void **state)
{
    (void)state;
    struct fz_err err = {0};
    assert_int_equal(normalize(NULL, FZ_IND_URL, "http://x.com/", 13, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "url context"));
    assert_int_equal(normalize(NULL, FZ_IND_DOMAIN, "x.com", 5, NULL), FZ_EINVAL);
    assert_int_equal(normalize(NULL, FZ_IND_EMAIL, "a@x.com", 7, NULL), FZ_EINVAL);
    assert_int_equal(normalize(NULL, FZ_IND_PHONE, "13800138000", 11, NULL), FZ_OK);
    assert_int_equal(normalize(NULL, FZ_IND_IMEI, "490154203237518", 15, NULL), FZ_OK);
}

/* The messages say why, per kind, without the value. */
static void test_messages(void **state)
{
    struct fz_err err = {0};
    normalize(*state, FZ_IND_IMEI, "490154203237519", 15, &err);
    assert_string_equal(err.msg, "imei check digit wrong");
    normalize(*state, FZ_IND_IMEI, "49015420323751", 14, &err);
    assert_non_null(strstr(err.msg, "check digit"));
    normalize(*state, FZ_IND_PHONE, "hello", 5, &err);
    assert_string_equal(err.msg, "not a phone number");
}

/* Each allocation failing in turn ends in FZ_ENOMEM, nothing else, and leaks nothing. */
static void test_out_of_memory(void **state)
{
    static const struct {
        enum fz_ind_kind k;
        const char *in;
    } cases[] = {{FZ_IND_PHONE, "13800138000"},    {FZ_IND_URL, "https://例子.中国/a"},
                 {FZ_IND_DOMAIN, "例子.中国"},     {FZ_IND_EMAIL, "A@Example.com"},
                 {FZ_IND_IMEI, "490154203237518"}, {FZ_IND_WIFI_BSSID, "AABBCCDDEEFF"},
                 {FZ_IND_WECHAT, "wxid_x"},        {FZ_IND_IP, "::1"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (unsigned long n = 1;; n++) {
            fzt_fail_alloc_after(n, true);
            fz_rc rc = normalize(*state, cases[c].k, cases[c].in, strlen(cases[c].in), NULL);
            unsigned long made = fzt_alloc_count();
            assert_int_equal(fzt_alloc_restore(), 0);
            if (rc == FZ_OK && made < n)
                break;
            assert_int_equal(rc, FZ_ENOMEM);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),         cmocka_unit_test(test_limits),
        cmocka_unit_test(test_needs_url_ctx), cmocka_unit_test(test_messages),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
