/* Unit tests for src/phone/phone.c: fz_phone_normalize() against the table
 * tests/data/phone/normalize.tsv, its invariants and idempotence on every row, the API edges
 * (NULL, size limit) and the promise that it never allocates. */
#include "support.h"

#include "fangzha/phone.h"

#include <string.h>

enum { COL_INPUT, COL_RC, COL_CLASS, COL_E164, COL_CC, COL_DIGITS, COL_FLAGS, NCOLS };

static const char *dash(const char *s) { return strcmp(s, "-") == 0 ? "" : s; }

/* The flags as the table writes them: names joined by commas, "-" for none. */
static void flags_str(uint32_t flags, char *out, size_t cap)
{
    out[0] = '\0';
    for (unsigned i = 0; i < 32; i++) {
        if (!(flags & (1u << i)))
            continue;
        const char *name = fz_phone_flag_name(1u << i);
        assert_non_null(name);
        if (out[0])
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, name, cap - strlen(out) - 1);
    }
    if (!out[0])
        strncat(out, "-", cap - 1);
}

/* What every result must satisfy, whatever the input. */
static void assert_sane(const struct fz_phone *p)
{
    assert_int_equal(p->valid, p->cls != FZ_PHONE_INVALID);
    assert_in_range(p->risk, 0, 100);
    assert_in_range(p->nreasons, 0, FZ_PHONE_MAX_REASONS);
    int sum = 0;
    for (int i = 0; i < p->nreasons; i++)
        sum += p->reasons[i]->weight;
    assert_int_equal(p->risk, sum > 100 ? 100 : sum);
    if (!p->valid) {
        assert_string_equal(p->e164, "");
        assert_string_equal(p->digits, "");
        assert_int_equal(p->country_code, 0);
        assert_int_equal(p->flags, 0);
        assert_int_equal(p->nreasons, 0);
        return;
    }
    if (p->cls == FZ_PHONE_SERVICE || p->cls == FZ_PHONE_SMS_PORT) {
        assert_string_equal(p->e164, "");
        assert_int_equal(p->country_code, 86);
        return;
    }
    char want[64];
    snprintf(want, sizeof want, "+%u%s", (unsigned)p->country_code, p->digits);
    assert_string_equal(p->e164, want);
    assert_int_equal(p->country_code == 86, p->cls != FZ_PHONE_INTERNATIONAL);
}

/* Normalizing the E.164 form again gives the same number and class. */
static void assert_idempotent(const struct fz_phone *p)
{
    if (!p->e164[0])
        return;
    struct fz_phone again;
    assert_int_equal(fz_phone_normalize(p->e164, strlen(p->e164), &again), FZ_OK);
    assert_string_equal(again.e164, p->e164);
    assert_int_equal(again.cls, p->cls);
    assert_string_equal(again.digits, p->digits);
}

/* Checks one row; prints every mismatch and returns false when there is one. */
static bool check_row(const struct fzt_row *r)
{
    if (r->nfields != NCOLS)
        fail_msg("normalize.tsv:%zu: %d fields, want %d", r->line, r->nfields, NCOLS);
    const char *in = r->field[COL_INPUT];
    struct fz_phone p;
    fz_rc rc = fz_phone_normalize(in, strlen(in), &p);
    char flags[256];
    flags_str(p.flags, flags, sizeof flags);
    char cc[8];
    snprintf(cc, sizeof cc, "%u", (unsigned)p.country_code);
    const char *got[NCOLS] = {in,       fz_rc_name(rc), fz_phone_class_name(p.cls), p.e164, cc,
                              p.digits, flags};
    bool ok = true;
    for (int c = COL_RC; c < NCOLS; c++) {
        const char *want = c == COL_FLAGS ? r->field[c] : dash(r->field[c]);
        if (strcmp(got[c], want) != 0) {
            print_error("normalize.tsv:%zu: '%s': column %d is '%s', want '%s'\n", r->line, in, c,
                        got[c], want);
            ok = false;
        }
    }
    assert_sane(&p);
    assert_idempotent(&p);
    return ok;
}

static void test_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("phone/normalize.tsv", &n);
    assert_true(n >= 150);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += !check_row(&rows[i]);
    fzt_rows_free(rows, n);
    assert_int_equal(bad, 0);
}

/* Every class and every flag appears in the table at least once. */
static void test_table_coverage(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("phone/normalize.tsv", &n);
    unsigned classes = 0;
    uint32_t flags = 0;
    for (size_t i = 0; i < n; i++) {
        struct fz_phone p;
        fz_phone_normalize(rows[i].field[COL_INPUT], strlen(rows[i].field[COL_INPUT]), &p);
        classes |= 1u << p.cls;
        flags |= p.flags;
    }
    assert_int_equal(classes, (1u << (FZ_PHONE_INTERNATIONAL + 1)) - 1);
    assert_int_equal(flags, (1u << FZ_PHONE_FLAG_COUNT) - 1);
    fzt_rows_free(rows, n);
}

static void test_api_edges(void **state)
{
    (void)state;
    struct fz_phone p;
    assert_int_equal(fz_phone_normalize("95588", 5, NULL), FZ_EINVAL);
    assert_int_equal(fz_phone_normalize(NULL, 0, &p), FZ_OK);
    assert_false(p.valid);
    assert_int_equal(fz_phone_normalize(NULL, 3, &p), FZ_EINVAL);
    assert_false(p.valid);
    /* len is honoured: no NUL needed, and bytes after len are not read */
    assert_int_equal(fz_phone_normalize("13812345678999", 11, &p), FZ_OK);
    assert_string_equal(p.e164, "+8613812345678");
    /* embedded NUL and invalid UTF-8 are not numbers */
    assert_int_equal(fz_phone_normalize("138\0"
                                        "12345678",
                                        12, &p),
                     FZ_OK);
    assert_false(p.valid);
    assert_int_equal(fz_phone_normalize("\xff"
                                        "13812345678",
                                        12, &p),
                     FZ_OK);
    assert_false(p.valid);
    assert_int_equal(fz_phone_normalize("138\xe4\xb8"
                                        "12345678",
                                        13, &p),
                     FZ_OK);
    assert_false(p.valid);
    /* a previous result never leaks into the next one */
    fz_phone_normalize("+8695588", 8, &p);
    assert_true(p.nreasons > 0);
    fz_phone_normalize("x", 1, &p);
    assert_int_equal(p.nreasons, 0);
    assert_int_equal(p.risk, 0);
    assert_sane(&p);
}

static void test_too_big(void **state)
{
    (void)state;
    char buf[300];
    memset(buf, '1', sizeof buf);
    struct fz_phone p;
    assert_int_equal(fz_phone_normalize(buf, 257, &p), FZ_ETOOBIG);
    assert_false(p.valid);
    assert_string_equal(p.e164, "");
    memset(buf, ' ', 256);
    memcpy(buf + 256 - 11, "13812345678", 11);
    assert_int_equal(fz_phone_normalize(buf, 256, &p), FZ_OK);
    assert_int_equal(p.cls, FZ_PHONE_MOBILE);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(fz_phone_class_name(FZ_PHONE_INVALID), "invalid");
    assert_string_equal(fz_phone_class_name(FZ_PHONE_MVNO), "mvno");
    assert_string_equal(fz_phone_class_name(FZ_PHONE_SMS_PORT), "sms_port");
    assert_string_equal(fz_phone_class_name(FZ_PHONE_INTERNATIONAL), "international");
    assert_string_equal(fz_phone_class_name((enum fz_phone_class)99), "invalid");
    assert_string_equal(fz_phone_flag_name(FZ_PHONE_HAD_PLUS), "had_plus");
    assert_string_equal(fz_phone_flag_name(FZ_PHONE_PADDED_SERVICE), "padded_service");
    assert_string_equal(fz_phone_flag_name(FZ_PHONE_HAD_COUNTRY_CODE), "had_country_code");
    assert_null(fz_phone_flag_name(0));
    assert_null(fz_phone_flag_name(FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_00));
    assert_null(fz_phone_flag_name(1u << FZ_PHONE_FLAG_COUNT));
    /* names are distinct */
    for (unsigned i = 0; i < FZ_PHONE_FLAG_COUNT; i++)
        for (unsigned j = i + 1; j < FZ_PHONE_FLAG_COUNT; j++)
            assert_string_not_equal(fz_phone_flag_name(1u << i), fz_phone_flag_name(1u << j));
}

/* The hot path allocates nothing: the counting allocator sees no call. */
static void test_no_allocation(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("phone/normalize.tsv", &n);
    fzt_fail_alloc_after(1, true);
    for (size_t i = 0; i < n; i++) {
        struct fz_phone p;
        fz_phone_normalize(rows[i].field[COL_INPUT], strlen(rows[i].field[COL_INPUT]), &p);
    }
    unsigned long calls = fzt_alloc_count();
    assert_int_equal(fzt_alloc_restore(), 0);
    assert_int_equal(calls, 0);
    fzt_rows_free(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),     cmocka_unit_test(test_table_coverage),
        cmocka_unit_test(test_api_edges), cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_names),     cmocka_unit_test(test_no_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
