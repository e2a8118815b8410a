/* Unit tests for src/phone/risk.c: the priors of tests/data/phone/risk.tsv, and the reasons'
 * own invariants (stable codes, both languages, positive weights, the clamp at 100). */
#include "support.h"

#include "fangzha/phone.h"

#include <stdlib.h>
#include <string.h>

static void reasons_str(const struct fz_phone *p, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < p->nreasons; i++) {
        if (i)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, p->reasons[i]->code, cap - strlen(out) - 1);
    }
    if (!out[0])
        strncat(out, "-", cap - 1);
}

static void test_table(void **state)
{
    (void)state;
    size_t n, bad = 0;
    struct fzt_row *rows = fzt_rows_load("phone/risk.tsv", &n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        const struct fzt_row *r = &rows[i];
        assert_int_equal(r->nfields, 3);
        struct fz_phone p;
        assert_int_equal(fz_phone_normalize(r->field[0], strlen(r->field[0]), &p), FZ_OK);
        char got[512];
        reasons_str(&p, got, sizeof got);
        int want_risk = (int)strtol(r->field[1], NULL, 10);
        if (p.risk != want_risk || strcmp(got, r->field[2]) != 0) {
            print_error("risk.tsv:%zu: '%s': risk %d (%s), want %d (%s)\n", r->line, r->field[0],
                        p.risk, got, want_risk, r->field[2]);
            bad++;
        }
    }
    fzt_rows_free(rows, n);
    assert_int_equal(bad, 0);
}

/* Every reason any input can produce: collected over the table. */
static void test_reason_invariants(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("phone/risk.tsv", &n);
    const struct fz_reason *seen[32];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        struct fz_phone p;
        fz_phone_normalize(rows[i].field[0], strlen(rows[i].field[0]), &p);
        int sum = 0;
        for (int k = 0; k < p.nreasons; k++) {
            const struct fz_reason *r = p.reasons[k];
            sum += r->weight;
            assert_true(strncmp(r->code, "phone.", 6) == 0);
            assert_in_range(r->weight, 1, 100);
            assert_true(strlen(r->zh) > 0 && strlen(r->en) > 0);
            for (int j = 0; j < k; j++)
                assert_ptr_not_equal(p.reasons[j], r);
            bool known = false;
            for (size_t j = 0; j < nseen; j++)
                known |= seen[j] == r;
            if (!known && nseen < 32)
                seen[nseen++] = r;
        }
        assert_int_equal(p.risk, sum > 100 ? 100 : sum);
    }
    /* codes are unique across reasons */
    for (size_t i = 0; i < nseen; i++)
        for (size_t j = i + 1; j < nseen; j++)
            assert_string_not_equal(seen[i]->code, seen[j]->code);
    assert_int_equal(nseen, 10);
    fzt_rows_free(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_reason_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
