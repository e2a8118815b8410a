/*
 * Unit tests for src/extract: the API, the table of tricky texts (tests/data/extract/
 * tricky.tsv), offsets into the original, the analysis structs carried by entities, and fault
 * injection (every allocation failure ends in FZ_ENOMEM without a leak).
 */
#include "support.h"

#include "fangzha/extract.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fz_extractor *ex;

static int setup(void **state)
{
    (void)state;
    return fz_extractor_new(&ex) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_extractor_free(ex);
    ex = NULL;
    return 0;
}

/* Normalizes and extracts s into out; t and a are the caller's. */
static fz_rc run(const char *s, struct fz_text *t, struct fz_arena *a, struct fz_entities *out)
{
    fz_rc rc = fz_text_normalize(s, strlen(s), t);
    if (rc != FZ_OK)
        return rc;
    return fz_extract(ex, t, s, strlen(s), a, out);
}

/* Every entity lies inside the input, is non-empty, and each kind is sorted by position. */
static void check_sane(const struct fz_entities *es, size_t len)
{
    for (size_t k = 0; k < FZ_ENT__COUNT; k++) {
        for (size_t i = 0; i < es->count[k]; i++) {
            const struct fz_entity *e = &es->items[k][i];
            assert_int_equal(e->kind, k);
            assert_true(e->start < e->end);
            assert_true(e->end <= len);
            assert_non_null(e->value);
            assert_true(e->value[0] != '\0');
            if (i > 0)
                assert_true(es->items[k][i - 1].start <= e->start);
        }
    }
}

/* ---- the table ---- */

static const char *const short_names[FZ_ENT__COUNT] = {
    "phone", "url", "email", "card", "id", "qq", "wechat", "amount",
};

/* One entity as the table writes it: kind:value, with the original text in <raw>. */
struct item {
    char kv[640];
    char raw[512];
    bool has_raw, used;
};

static void item_of(const struct fz_entity *e, const char *orig, struct item *it)
{
    if (e->kind == FZ_ENT_AMOUNT)
        snprintf(it->kv, sizeof it->kv, "amount:%lld", (long long)e->amount_fen);
    else
        snprintf(it->kv, sizeof it->kv, "%s:%s", short_names[e->kind], e->value);
    snprintf(it->raw, sizeof it->raw, "%.*s", (int)(e->end - e->start), orig + e->start);
    it->has_raw = true;
    it->used = false;
}

/* Parses "kind:value<raw> | kind:value" into items; returns how many. */
static size_t parse_expected(const char *spec, struct item *items, size_t max)
{
    size_t n = 0;
    if (!strcmp(spec, "-"))
        return 0;
    const char *p = spec;
    while (*p && n < max) {
        const char *bar = strstr(p, " | ");
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        struct item *it = &items[n++];
        memset(it, 0, sizeof *it);
        const char *lt = memchr(p, '<', len);
        if (lt && p[len - 1] == '>') {
            snprintf(it->kv, sizeof it->kv, "%.*s", (int)(lt - p), p);
            snprintf(it->raw, sizeof it->raw, "%.*s", (int)(p + len - 1 - lt - 1), lt + 1);
            it->has_raw = true;
        } else {
            snprintf(it->kv, sizeof it->kv, "%.*s", (int)len, p);
        }
        p = bar ? bar + 3 : p + len;
    }
    return n;
}

static void describe(const struct item *items, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s<%s>", i ? " | " : "", items[i].kv,
                                items[i].raw);
}

/* Matches expected against actual exactly (as multisets); prints both lists and returns
 * false when they differ. */
static bool compare_row(const struct fzt_row *row, struct item *want, size_t nwant,
                        struct item *got, size_t ngot)
{
    bool ok = nwant == ngot;
    for (size_t i = 0; ok && i < nwant; i++) {
        bool found = false;
        for (size_t j = 0; !found && j < ngot; j++) {
            if (got[j].used || strcmp(got[j].kv, want[i].kv))
                continue;
            if (want[i].has_raw && strcmp(got[j].raw, want[i].raw))
                continue;
            got[j].used = found = true;
        }
        ok = found;
    }
    if (!ok) {
        static char g[8192];
        describe(got, ngot, g, sizeof g);
        print_message("tricky.tsv line %zu: %s\n  want: %s\n  got:  %s\n", row->line, row->field[0],
                      row->field[1], ngot ? g : "-");
    }
    return ok;
}

#define MAX_ITEMS 32

static bool check_row(const struct fzt_row *row)
{
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    const char *text = row->field[0];
    assert_int_equal(run(text, &t, &a, &es), FZ_OK);
    check_sane(&es, strlen(text));
    static struct item want[MAX_ITEMS], got[MAX_ITEMS];
    size_t nwant = parse_expected(row->nfields > 1 ? row->field[1] : "-", want, MAX_ITEMS);
    size_t ngot = 0;
    for (size_t k = 0; k < FZ_ENT__COUNT; k++)
        for (size_t i = 0; i < es.count[k] && ngot < MAX_ITEMS; i++)
            item_of(&es.items[k][i], text, &got[ngot++]);
    bool ok = compare_row(row, want, nwant, got, ngot);
    fz_arena_release(&a);
    fz_text_release(&t);
    return ok;
}

static void test_tricky_table(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("extract/tricky.tsv", &n);
    assert_true(n >= 100);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !check_row(&rows[i]);
    fzt_rows_free(rows, n);
    if (failed)
        fail_msg("%zu of %zu rows of tricky.tsv differ", failed, n);
}

/* ---- the API ---- */

static void test_kind_keys(void **state)
{
    (void)state;
    assert_string_equal(fz_entity_kind_key(FZ_ENT_PHONE), "phones");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_URL), "urls");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_EMAIL), "emails");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_BANK_CARD), "bank_cards");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_ID_NUMBER), "id_numbers");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_QQ), "qq");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_WECHAT), "wechat");
    assert_string_equal(fz_entity_kind_key(FZ_ENT_AMOUNT), "amounts_fen");
    assert_string_equal(fz_entity_kind_key(FZ_ENT__COUNT), "unknown");
}

static void test_bad_args(void **state)
{
    (void)state;
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    assert_int_equal(fz_extract(ex, &t, "x", 1, &a, NULL), FZ_EINVAL);
    memset(&es, 0xAB, sizeof es);
    assert_int_equal(fz_extract(NULL, &t, "x", 1, &a, &es), FZ_EINVAL);
    assert_int_equal(es.count[FZ_ENT_PHONE], 0);
    assert_null(es.items[FZ_ENT_URL]);
    assert_int_equal(fz_extract(ex, NULL, "x", 1, &a, &es), FZ_EINVAL);
    assert_int_equal(fz_extract(ex, &t, NULL, 1, &a, &es), FZ_EINVAL);
    /* a text never normalized, and an empty text, have no entities */
    assert_int_equal(fz_extract(ex, &t, "", 0, &a, &es), FZ_OK);
    assert_int_equal(run("", &t, &a, &es), FZ_OK);
    for (size_t k = 0; k < FZ_ENT__COUNT; k++)
        assert_int_equal(es.count[k], 0);
    fz_extractor_free(NULL);
    fz_arena_release(&a);
    fz_text_release(&t);
}

static const struct fz_entity *only(const struct fz_entities *es, enum fz_entity_kind k)
{
    assert_int_equal(es->count[k], 1);
    return &es->items[k][0];
}

static void test_structs_filled(void **state)
{
    (void)state;
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    const char *s = "速回电 138 1234 5678，详见 http://pay-icbc.top/x ，付¥1,299.50";
    assert_int_equal(run(s, &t, &a, &es), FZ_OK);
    const struct fz_entity *p = only(&es, FZ_ENT_PHONE);
    assert_true(p->phone.valid);
    assert_int_equal(p->phone.cls, FZ_PHONE_MOBILE);
    assert_string_equal(p->value, "+8613812345678");
    assert_string_equal(p->phone.e164, "+8613812345678");
    assert_true(p->phone.flags & FZ_PHONE_HAD_SEPARATORS);
    assert_memory_equal(s + p->start, "138 1234 5678", p->end - p->start);
    const struct fz_entity *u = only(&es, FZ_ENT_URL);
    assert_true(u->url.valid);
    assert_string_equal(u->value, u->url.url);
    assert_string_equal(u->url.host, "pay-icbc.top");
    const struct fz_entity *m = only(&es, FZ_ENT_AMOUNT);
    assert_int_equal(m->amount_fen, 129950);
    assert_string_equal(m->value, "1299.50");
    assert_int_equal(m->end, strlen(s));
    fz_arena_release(&a);
    fz_text_release(&t);
}

/* The arena and text may be reused across messages; nothing leaks between calls. */
static void test_reuse(void **state)
{
    (void)state;
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(run("QQ 12345678 或 微信 lucky_888", &t, &a, &es), FZ_OK);
        assert_string_equal(only(&es, FZ_ENT_QQ)->value, "12345678");
        assert_string_equal(only(&es, FZ_ENT_WECHAT)->value, "lucky_888");
        fz_arena_reset(&a);
        assert_int_equal(run("nothing here", &t, &a, &es), FZ_OK);
        for (size_t k = 0; k < FZ_ENT__COUNT; k++)
            assert_int_equal(es.count[k], 0);
        fz_arena_reset(&a);
    }
    fz_arena_release(&a);
    fz_text_release(&t);
}

/* Many entities of one kind grow the arena arrays past their first size. */
static void test_many(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, FZ_CAP_SMS_TEXT);
    for (int i = 0; i < 200; i++)
        assert_int_equal(fz_buf_addf(&b, "电话1381234%04d，付%d元；", i, i + 1), FZ_OK);
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    assert_int_equal(run(b.ptr, &t, &a, &es), FZ_OK);
    assert_int_equal(es.count[FZ_ENT_PHONE], 200);
    assert_int_equal(es.count[FZ_ENT_AMOUNT], 200);
    check_sane(&es, b.len);
    assert_string_equal(es.items[FZ_ENT_PHONE][199].value, "+8613812340199");
    assert_int_equal(es.items[FZ_ENT_AMOUNT][199].amount_fen, 20000);
    fz_arena_release(&a);
    fz_text_release(&t);
    fz_buf_release(&b);
}

/* ---- threads ---- */

/* All entities of one text as one string: kind value start-end, in kind order. */
static void signature(const char *s, char *out, size_t cap)
{
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    size_t len = 0;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    out[0] = '\0';
    if (run(s, &t, &a, &es) == FZ_OK) {
        for (size_t k = 0; k < FZ_ENT__COUNT; k++)
            for (size_t i = 0; i < es.count[k] && len < cap; i++)
                len += (size_t)snprintf(out + len, cap - len, "%zu %s %zu-%zu;", k,
                                        es.items[k][i].value, es.items[k][i].start,
                                        es.items[k][i].end);
    } else {
        snprintf(out, cap, "error");
    }
    fz_arena_release(&a);
    fz_text_release(&t);
}

struct thread_job {
    const struct fzt_row *rows;
    size_t n;
    char (*want)[512];
    int mismatches;
};

static void *thread_main(void *p)
{
    struct thread_job *job = p;
    char got[512];
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < job->n; i++) {
            signature(job->rows[i].field[0], got, sizeof got);
            job->mismatches += strcmp(got, job->want[i]) != 0;
        }
    }
    return NULL;
}

/* One extractor shared by threads that each have their own text and arena gives every
 * thread the same answers as one thread alone (run under TSan to see races). */
static void test_threads(void **state)
{
    (void)state;
    size_t n;
    struct fzt_row *rows = fzt_rows_load("extract/tricky.tsv", &n);
    char(*want)[512] = calloc(n, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < n; i++)
        signature(rows[i].field[0], want[i], sizeof want[i]);
    enum { NTHREADS = 4 };
    pthread_t tid[NTHREADS];
    struct thread_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (struct thread_job){rows, n, want, 0};
        assert_int_equal(pthread_create(&tid[k], NULL, thread_main, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        assert_int_equal(pthread_join(tid[k], NULL), 0);
        assert_int_equal(jobs[k].mismatches, 0);
    }
    free(want);
    fzt_rows_free(rows, n);
}

/* ---- fault injection ---- */

static const char *const rich[] = {
    "加微信 abc_123456 或 QQ 88886666，电话 138-1234-5678，卡号 6222 0212 3456 7890 128，"
    "身份证 11010519491231002X，邮箱 HR@Example.com，链接 http://icbc-verify.top/a ，付5000元",
    "【银行】尾号1234账户支出¥1,299.50，如非本人操作请致电95588。www.abc-bank.cn",
};

/* Runs one text with the nth allocation failing (every one after it too when sticky). */
static bool fault_run(const char *s, unsigned long nth, bool sticky)
{
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities es;
    fzt_fail_alloc_after(nth, sticky);
    fz_text_init(&t);
    fz_arena_init(&a, 512);
    fz_rc rc = fz_text_normalize(s, strlen(s), &t);
    if (rc == FZ_OK) {
        rc = fz_extract(ex, &t, s, strlen(s), &a, &es);
        if (rc == FZ_OK)
            check_sane(&es, strlen(s));
        for (size_t k = 0; rc != FZ_OK && k < FZ_ENT__COUNT; k++)
            assert_int_equal(es.count[k], 0); /* emptied on error */
    }
    unsigned long calls = fzt_alloc_count();
    if (rc != FZ_OK)
        assert_int_equal(rc, FZ_ENOMEM);
    fz_arena_release(&a);
    fz_text_release(&t);
    assert_int_equal(fzt_alloc_restore(), 0);
    /* when the failure point lies beyond the last allocation, the run must have succeeded */
    if (calls < nth)
        assert_int_equal(rc, FZ_OK);
    return calls >= nth;
}

static void test_fault_injection(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof rich / sizeof *rich; k++) {
        for (unsigned long nth = 1; nth < 10000; nth++) {
            bool reached = fault_run(rich[k], nth, false);
            fault_run(rich[k], nth, true);
            if (!reached)
                break;
        }
    }
}

static void test_extractor_new_fault(void **state)
{
    (void)state;
    for (unsigned long nth = 1; nth < 100000; nth++) {
        struct fz_extractor *x = NULL;
        fzt_fail_alloc_after(nth, true);
        fz_rc rc = fz_extractor_new(&x);
        unsigned long calls = fzt_alloc_count();
        if (rc == FZ_OK)
            fz_extractor_free(x);
        else
            assert_int_equal(rc, FZ_ENOMEM);
        assert_int_equal(fzt_alloc_restore(), 0);
        if (calls < nth) {
            assert_int_equal(rc, FZ_OK);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_keys),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_tricky_table),
        cmocka_unit_test(test_structs_filled),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_extractor_new_fault),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
