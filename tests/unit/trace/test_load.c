/* Unit tests for src/trace/load.c and time.c: the transactions CSV, its errors with line and
 * field (tests/data/trace/bad_rows.tsv), the graph's order, and times. */
#include "support.h"

#include "fangzha/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "id,time,from,to,amount_fen,channel\n"

static fz_rc load_str(const char *csv, struct fz_trace_graph **g, struct fz_err *err)
{
    return fz_trace_load_mem(csv, strlen(csv), NULL, NULL, g, err);
}

static void test_bad_rows(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("trace/bad_rows.tsv", &n);
    assert_true(n >= 15);
    for (size_t i = 0; i < n; i++) {
        char csv[512];
        snprintf(csv, sizeof csv, HEADER "%s\n", rows[i].field[0]);
        struct fz_trace_graph *g = NULL;
        struct fz_err err = {0};
        fz_rc rc = load_str(csv, &g, &err);
        if (rc != FZ_EPARSE || strcmp(err.msg, rows[i].field[1]))
            fail_msg("bad_rows.tsv line %zu: got %d '%s', want '%s'", rows[i].line, rc, err.msg,
                     rows[i].field[1]);
        assert_int_equal(err.line, 2);
        assert_null(g);
    }
    fzt_rows_free(rows, n);
}

struct seen {
    size_t lines[8];
    size_t n;
};

static bool collect(void *ud, const struct fz_err *err)
{
    struct seen *s = ud;
    if (s->n < 8)
        s->lines[s->n++] = err->line;
    return true;
}

/* Every bad row is reported with its own line; blank lines count. */
static void test_every_bad_row(void **state)
{
    (void)state;
    const char *csv = HEADER "T1,1767225600,A,B,100,x\n"
                             "T2,1767225600,A,B,1.5,x\n"
                             "\n"
                             "T3,1767225600,A,B,-1,x\n"
                             "T4,1767225600,A,B,7,x\n";
    struct seen s = {0};
    struct fz_trace_graph *g = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_trace_load_mem(csv, strlen(csv), collect, &s, &g, &err), FZ_EPARSE);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.lines[0], 3);
    assert_int_equal(s.lines[1], 5);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "amount_fen");
}

static void test_header(void **state)
{
    (void)state;
    struct fz_trace_graph *g = NULL;
    struct fz_err err = {0};
    assert_int_equal(load_str("", &g, &err), FZ_EPARSE);
    assert_int_equal(load_str("id,time,from,to\nT1,1,A,B\n", &g, &err), FZ_EPARSE);
    assert_string_equal(err.msg, "line 1: the header lacks the 'amount_fen' column");
    assert_int_equal(load_str(HEADER "T1,1,A,B,5000000000000000000,x\n"
                                     "T2,1,B,A,5000000000000000000,x\n",
                              &g, &err),
                     FZ_EPARSE);
    assert_string_equal(err.msg,
                        "line 3, field 'amount_fen': the amounts add up to more than int64");
    assert_int_equal(load_str(HEADER "T1,1,A\xff,B,1,x\n", &g, &err), FZ_EPARSE);
    assert_string_equal(err.msg, "line 2, field 'from': invalid UTF-8");
    assert_int_equal(load_str(HEADER "T1,1,\"A\xc3\",B,1,x\n", &g, &err), FZ_EPARSE);
    assert_string_equal(err.msg, "line 2, field 'from': invalid UTF-8");
    assert_int_equal(load_str("id,time,from,to,amount_fen,to\n", &g, &err), FZ_EPARSE);
    assert_string_equal(err.msg, "line 1: column 'to' appears twice");
    /* columns in any order, unknown ones ignored, a BOM, CRLF, no final newline */
    const char *ok = "\xEF\xBB\xBFnote,amount_fen,to,from,time,id\r\n"
                     "hi,100,B,A,2026-01-01 08:00,T1\r\n"
                     "\"x,y\",250,\"C \"\"q\"\"\",B,1767225601,T2";
    assert_int_equal(load_str(ok, &g, &err), FZ_OK);
    assert_int_equal(fz_trace_txs(g), 2);
    assert_int_equal(fz_trace_accounts(g), 3);
    uint32_t c = fz_trace_find(g, "C \"q\"", 5);
    assert_int_not_equal(c, FZ_TRACE_NONE);
    uint32_t b, e;
    fz_trace_out(g, fz_trace_find(g, "B", 1), &b, &e);
    assert_int_equal(e - b, 1);
    struct fz_trace_tx tx = fz_trace_tx_at(g, b);
    assert_int_equal(tx.to, c);
    assert_int_equal(tx.amount_fen, 250);
    assert_int_equal(tx.time, 1767225601);
    assert_int_equal(fz_trace_tx_line(g, b), 3);
    struct fz_str id = fz_trace_tx_id(g, b);
    assert_int_equal(id.len, 2);
    assert_memory_equal(id.ptr, "T2", 2);
    fz_trace_out(g, fz_trace_find(g, "A", 1), &b, &e);
    assert_int_equal(fz_trace_tx_at(g, b).time, 1767225600); /* 08:00 Beijing = 00:00 UTC */
    fz_trace_free(g);
}

/* Edges out of and into an account come in time order, whatever the file's order. */
static void test_time_order(void **state)
{
    (void)state;
    const char *csv = "id,time,from,to,amount_fen,from_bank,to_name\n"
                      "T1,300,A,B,1,ICBC,Bob\n"
                      "T2,100,A,C,2,,\n"
                      "T3,200,A,B,3,,Bobby\n"
                      "T4,100,C,B,4,,\n"
                      "T5,100,A,B,5,,\n";
    struct fz_trace_graph *g = NULL;
    assert_int_equal(load_str(csv, &g, NULL), FZ_OK);
    uint32_t a = fz_trace_find(g, "A", 1), bb = fz_trace_find(g, "B", 1), b, e;
    fz_trace_out(g, a, &b, &e);
    int64_t want_out[] = {2, 5, 3, 1}; /* T2 and T5 tie at 100: file order */
    assert_int_equal(e - b, 4);
    for (uint32_t i = b; i < e; i++)
        assert_int_equal(fz_trace_tx_at(g, i).amount_fen, want_out[i - b]);
    const uint32_t *in;
    size_t n;
    fz_trace_in(g, bb, &in, &n);
    int64_t want_in[] = {4, 5, 3, 1};
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fz_trace_tx_at(g, in[i]).amount_fen, want_in[i]);
    struct fz_str bank = fz_trace_account_bank(g, a), name = fz_trace_account_name(g, bb);
    assert_memory_equal(bank.ptr, "ICBC", 4);
    assert_int_equal(name.len, 3); /* the first non-empty name */
    assert_int_equal(fz_trace_find(g, "Z", 1), FZ_TRACE_NONE);
    fz_trace_free(g);
}

static void test_times(void **state)
{
    (void)state;
    int64_t t;
    assert_true(fz_trace_parse_time("2026-03-01T10:00:00+08:00", 25, &t));
    assert_int_equal(t, 1772330400);
    assert_true(fz_trace_parse_time("2026-03-01T02:00:00Z", 20, &t));
    assert_int_equal(t, 1772330400);
    assert_true(fz_trace_parse_time("2026-03-01 10:00", 16, &t));
    assert_int_equal(t, 1772330400);
    assert_true(fz_trace_parse_time("2026-03-01T05:00-0500", 21, &t));
    assert_int_equal(t, 1772359200);
    assert_false(fz_trace_parse_time("2026-03-01", 10, &t));
    assert_false(fz_trace_parse_time("2026-03-01T24:00", 16, &t));
    assert_false(fz_trace_parse_time("", 0, &t));
    char buf[26];
    fz_trace_format_time(1772330400, buf);
    assert_string_equal(buf, "2026-03-01T10:00:00+08:00");
    assert_int_equal(fz_trace_stop_payment_deadline(1772330400), 1772330400 + 48 * 3600);
    int64_t aug31;
    assert_true(fz_trace_parse_time("2026-08-31T23:30", 16, &aug31));
    fz_trace_format_time(fz_trace_freeze_until(aug31), buf);
    assert_string_equal(buf, "2027-02-28T23:30:00+08:00"); /* no 31 February */
}

/* Every allocation failure ends in FZ_ENOMEM (or success), never a leak or a crash. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *csv = HEADER "T1,100,A,B,5,x\nT2,50,B,C,3,y\nT3,70,C,A,1,x\n";
    for (unsigned long n = 1; n < 200; n++) {
        fzt_fail_alloc_after(n, true);
        struct fz_trace_graph *g = NULL;
        fz_rc rc = load_str(csv, &g, NULL);
        fz_trace_free(g);
        assert_int_equal(fzt_alloc_restore(), 0);
        assert_true(rc == FZ_OK || rc == FZ_ENOMEM);
        if (rc == FZ_OK)
            break;
    }
}

/* src/trace/load.c: inputs of this many bytes are parsed on one thread and interned on another. */
extern size_t fz__trace_parallel_min;

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_rows), cmocka_unit_test(test_every_bad_row),
        cmocka_unit_test(test_header),   cmocka_unit_test(test_time_order),
        cmocka_unit_test(test_times),    cmocka_unit_test(test_alloc_failures),
    };
    /* the same, every input through the two-thread pipeline (the failing allocator of the
     * tests counts without locks, so its test stays on one thread) */
    const struct CMUnitTest on_two_threads[] = {
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_every_bad_row),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_time_order),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    fz__trace_parallel_min = 0;
    return failed + cmocka_run_group_tests(on_two_threads, NULL, NULL);
}
