/*
 * Unit tests for src/calls/cdr.c and time.c: CSV with columns in any order and quoting, JSON
 * Lines, optional columns, every malformed field reported with its line and field and skipped,
 * a header without a required column, and the time formats.
 */
#include "support.h"

#include "fangzha/calls.h"

#include <stdio.h>
#include <string.h>

/* A reader over text (kept open in *f). */
static struct fz_cdr_reader *reader(const char *text, FILE **f)
{
    *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(*f);
    struct fz_cdr_reader *r;
    assert_int_equal(fz_cdr_reader_new(*f, &r), FZ_OK);
    return r;
}

static bool str_eq(struct fz_str s, const char *want)
{
    return s.len == strlen(want) && !memcmp(s.ptr, want, s.len);
}

static void test_csv_any_order_and_quotes(void **state)
{
    (void)state;
    FILE *f;
    struct fz_cdr_reader *r = reader(
        "trunk,duration_s,extra,callee,caller,start_time,ring_s,type,imei\n"
        "international,35,x,\"138 0013 8000\",+8613900000001,1762000000,4,voice,\"86\"\"1\"\n"
        "\n"
        "domestic,0,y,13800138000,13900000002,2026-11-01T08:00:00+08:00,,sms,\n",
        &f);
    struct fz_cdr c;
    struct fz_err err = {0};
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_OK);
    assert_true(str_eq(c.caller, "+8613900000001"));
    assert_true(str_eq(c.callee, "138 0013 8000"));
    assert_true(str_eq(c.imei, "86\"1"));
    assert_int_equal(c.start, 1762000000);
    assert_int_equal(c.duration_s, 35);
    assert_int_equal(c.ring_s, 4);
    assert_true(c.is_international);
    assert_false(c.is_sms);
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_OK);
    assert_int_equal(c.start, 1793491200); /* 2026-11-01 00:00 UTC */
    assert_int_equal(c.ring_s, -1);
    assert_true(c.is_sms);
    assert_false(c.is_international);
    assert_int_equal(fz_cdr_reader_rows(r), 3); /* the blank line is a row of the file */
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EOF);
    fz_cdr_reader_free(r);
    fclose(f);
}

/* One record as a line without quotes (read 16 bytes at a time) and with every field quoted
 * (read byte by byte): the same fields, whatever the padding moves across the 16-byte steps. */
static void test_plain_and_quoted_lines_agree(void **state)
{
    (void)state;
    static const char *const fields[] = {"13900000001", "13800138000", "1762000000",     "35", "4",
                                         "voice",       "100704",      "352873114305067"};
    for (int pad = 0; pad < 40; pad++) {
        char plain[512] = "caller,callee,start_time,duration_s,ring_s,type,cell_id,imei\n";
        char quoted[512];
        snprintf(quoted, sizeof quoted, "%s", plain);
        for (int i = 0; i < 8; i++) {
            const char *sep = i ? "," : "";
            size_t pn = strlen(plain), qn = strlen(quoted);
            snprintf(plain + pn, sizeof plain - pn, "%s%*s%s", sep, i == pad % 8 ? pad : 0, "",
                     fields[i]);
            snprintf(quoted + qn, sizeof quoted - qn, "%s\"%s\"", sep, fields[i]);
        }
        size_t pn = strlen(plain), qn = strlen(quoted);
        snprintf(plain + pn, sizeof plain - pn, "\n");
        snprintf(quoted + qn, sizeof quoted - qn, "\n");
        FILE *fp, *fq;
        struct fz_cdr_reader *rp = reader(plain, &fp), *rq = reader(quoted, &fq);
        struct fz_cdr a, b;
        struct fz_err err = {0};
        assert_int_equal(fz_cdr_reader_next(rp, &a, &err), FZ_OK);
        assert_int_equal(fz_cdr_reader_next(rq, &b, &err), FZ_OK);
        assert_true(str_eq(a.caller, "13900000001") && str_eq(b.caller, "13900000001"));
        assert_true(str_eq(a.callee, "13800138000") && str_eq(b.callee, "13800138000"));
        assert_true(str_eq(a.imei, "352873114305067") && str_eq(b.imei, "352873114305067"));
        assert_int_equal(a.start, b.start);
        assert_int_equal(a.duration_s, 35);
        assert_int_equal(b.duration_s, 35);
        assert_int_equal(a.ring_s, b.ring_s);
        assert_int_equal(a.cell_id, b.cell_id);
        assert_true(a.cell_id != 0);
        assert_int_equal(fz_cdr_reader_next(rp, &a, &err), FZ_EOF);
        fz_cdr_reader_free(rp);
        fz_cdr_reader_free(rq);
        fclose(fp);
        fclose(fq);
    }
}

/* Cell ids that differ only by leading zeros are different cells. */
static void test_cell_ids_keep_leading_zeros(void **state)
{
    (void)state;
    FILE *f;
    struct fz_cdr_reader *r = reader("caller,callee,start_time,duration_s,cell_id\n"
                                     "13900000001,13800138000,1762000000,5,123\n"
                                     "13900000001,13800138000,1762000000,5,0123\n"
                                     "13900000001,13800138000,1762000000,5,0\n"
                                     "13900000001,13800138000,1762000000,5,00\n",
                                     &f);
    uint32_t cell[4];
    struct fz_cdr c;
    struct fz_err err = {0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_OK);
        cell[i] = c.cell_id;
        assert_true(cell[i] != 0);
    }
    assert_true(cell[0] != cell[1]);
    assert_true(cell[2] != cell[3]);
    fz_cdr_reader_free(r);
    fclose(f);
}

static void test_json_lines(void **state)
{
    (void)state;
    FILE *f;
    struct fz_cdr_reader *r =
        reader("{\"caller\":\"13900000001\",\"callee\":13800138000,\"start_time\":1762000000,"
               "\"duration_s\":12,\"trunk\":\"domestic\",\"cell_id\":\"460-00-1-2\"}\n"
               "{\"caller\":\"13900000001\",\"callee\":\"13800138000\",\"start_time\":true,"
               "\"duration_s\":1}\n"
               "[1,2]\n",
               &f);
    struct fz_cdr c;
    struct fz_err err = {0};
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_OK);
    assert_true(str_eq(c.callee, "13800138000"));
    assert_int_equal(c.duration_s, 12);
    assert_true(c.cell_id != 0);
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EPARSE);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "start_time");
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EPARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "not a JSON object"));
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EOF);
    fz_cdr_reader_free(r);
    fclose(f);
}

static void test_bad_rows_are_located_and_skipped(void **state)
{
    (void)state;
    static const struct {
        const char *row, *field, *why;
    } cases[] = {
        {"13900000001,13800138000,1762000000,-5", "duration_s", "whole number"},
        {"13900000001,13800138000,1762000000,1.5", "duration_s", "whole number"},
        {"13900000001,13800138000,1762000000,999999", "duration_s", "whole number"},
        {"13900000001,13800138000,yesterday,5", "start_time", "ISO 8601"},
        {"13900000001,13800138000,2026-02-30T00:00:00,5", "start_time", "ISO 8601"},
        {",13800138000,1762000000,5", "caller", "missing caller"},
        {"13900000001,13800138000,1762000000", "", "3 fields"},
        {"13900000001,13800138000,1762000000,5,6", "", "more fields"},
        {"13900000001,13800138000,1762000000,5,", "", "more fields"},
        {"13900000001,13800138000,1762000000,  ", "duration_s", "whole number"},
        {"13900000001,\"13800138000,1762000000,5", "callee", "unclosed quote"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "caller,callee,start_time,duration_s\n%s\n"
                 "13900000001,13800138000,1762000000,5\n",
                 cases[i].row);
        FILE *f;
        struct fz_cdr_reader *r = reader(text, &f);
        struct fz_cdr c;
        struct fz_err err = {0};
        assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EPARSE);
        assert_int_equal(err.line, 2);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.msg, cases[i].why))
            fail_msg("row %zu: '%s' lacks '%s'", i, err.msg, cases[i].why);
        assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_OK); /* the next row is fine */
        assert_int_equal(c.duration_s, 5);
        fz_cdr_reader_free(r);
        fclose(f);
    }
}

static void test_header_needs_required_columns(void **state)
{
    (void)state;
    FILE *f;
    struct fz_cdr_reader *r = reader("caller,callee,duration_s\n1,2,3\n", &f);
    struct fz_cdr c;
    struct fz_err err = {0};
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EINVAL);
    assert_string_equal(err.field, "start_time");
    fz_cdr_reader_free(r);
    fclose(f);
    r = reader("caller,caller,callee,start_time,duration_s\n", &f);
    assert_int_equal(fz_cdr_reader_next(r, &c, &err), FZ_EINVAL);
    assert_non_null(strstr(err.msg, "named twice"));
    fz_cdr_reader_free(r);
    fclose(f);
}

static void test_times(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t want; /* -1: rejected */
    } cases[] = {
        {"0", 0},
        {"1762000000", 1762000000},
        {"2026-11-01T08:00:00+08:00", 1793491200},
        {"2026-11-01 08:00:00", 1793491200}, /* no zone: Beijing */
        {"2026-11-01T00:00:00Z", 1793491200},
        {"2026-11-01T00:00:00.250Z", 1793491200},
        {"2026-11-01T01:30:00+0130", 1793491200},
        {"2024-02-29T00:00:00Z", 1709164800},
        {"2023-02-29T00:00:00Z", -1},
        {"2026-11-01T24:00:00Z", -1},
        {"2026-11-01", -1},
        {"2026-11-01T00:00:00+15:00", -1},
        {"12a", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t t = -1;
        bool ok = fz_cdr_parse_time(cases[i].s, strlen(cases[i].s), &t);
        if (ok != (cases[i].want >= 0) || (ok && t != cases[i].want))
            fail_msg("'%s': ok %d t %lld", cases[i].s, ok, (long long)t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_any_order_and_quotes),
        cmocka_unit_test(test_plain_and_quoted_lines_agree),
        cmocka_unit_test(test_cell_ids_keep_leading_zeros),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_bad_rows_are_located_and_skipped),
        cmocka_unit_test(test_header_needs_required_columns),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
