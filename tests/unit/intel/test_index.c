/*
 * Unit tests for src/intel/index.c: building, lookup by kind and canonical value, expiry at
 * now_ms, cleared entries, fz_ind_index_with (add, replace, remove; the base unchanged),
 * counts, seq, refcounts and the handle, 100k entries (with a rough lookup cost), invalid
 * changes, and each allocation failing in turn.
 */
#include "support.h"

#include "fangzha/intel.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct fz_ind_change change(enum fz_ind_kind k, const char *value, int64_t id,
                                   enum fz_ind_status s)
{
    struct fz_ind_change c;
    memset(&c, 0, sizeof c);
    c.entry.id = id;
    c.entry.kind = (uint8_t)k;
    c.entry.status = (uint8_t)s;
    c.entry.tlp = FZ_TLP_AMBER;
    c.entry.fraud_type = 3;
    c.entry.score = 70;
    c.entry.value = value;
    c.value_len = strlen(value);
    return c;
}

static struct fz_ind_change removal(enum fz_ind_kind k, const char *value)
{
    struct fz_ind_change c = change(k, value, 0, FZ_IND__STATUSES);
    c.entry.tlp = 0xFF; /* only kind and value matter for a removal */
    c.remove = true;
    return c;
}

static const struct fz_ind_entry *find(const struct fz_ind_index *x, enum fz_ind_kind k,
                                       const char *v)
{
    return fz_ind_lookup(x, k, v, strlen(v), 0);
}

static void test_empty(void **state)
{
    (void)state;
    struct fz_ind_index *x = NULL;
    assert_int_equal(fz_ind_index_build(NULL, 0, 7, &x), FZ_OK);
    assert_null(find(x, FZ_IND_PHONE, "+8613800138000"));
    assert_null(fz_ind_lookup(x, FZ_IND_PHONE, "", 0, 0));
    assert_int_equal(fz_ind_index_seq(x), 7);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_PHONE, FZ_IND_SUSPECTED), 0);
    fz_ind_index_unref(x);
    fz_ind_index_unref(NULL);
    assert_null(find(NULL, FZ_IND_PHONE, "x"));
    assert_int_equal(fz_ind_index_seq(NULL), 0);
}

static void test_build_lookup(void **state)
{
    (void)state;
    char phone[] = "+8613800138000";
    struct fz_ind_change c[] = {
        change(FZ_IND_PHONE, phone, 42, FZ_IND_CONFIRMED),
        change(FZ_IND_QQ, "10001", 9223372036854775807LL, FZ_IND_SUSPECTED),
        change(FZ_IND_BANK_ACCOUNT, "10001", 5, FZ_IND_SUSPECTED), /* same value, other kind */
    };
    struct fz_ind_index *x = NULL;
    assert_int_equal(fz_ind_index_build(c, 3, 1, &x), FZ_OK);
    phone[1] = '9'; /* the index holds its own copy */
    const struct fz_ind_entry *e = find(x, FZ_IND_PHONE, "+8613800138000");
    assert_non_null(e);
    assert_int_equal(e->id, 42);
    assert_string_equal(e->id_text, "42");
    assert_string_equal(e->value, "+8613800138000");
    assert_int_equal(e->status, FZ_IND_CONFIRMED);
    assert_int_equal(e->tlp, FZ_TLP_AMBER);
    assert_int_equal(e->fraud_type, 3);
    assert_int_equal(e->score, 70);
    assert_string_equal(find(x, FZ_IND_QQ, "10001")->id_text, "9223372036854775807");
    assert_int_equal(find(x, FZ_IND_BANK_ACCOUNT, "10001")->id, 5);
    assert_null(find(x, FZ_IND_WECHAT, "10001"));
    assert_null(find(x, FZ_IND_PHONE, "+861380013800"));
    assert_null(find(x, FZ_IND_PHONE, "+86138001380000"));
    assert_null(fz_ind_lookup(x, FZ_IND__COUNT, "10001", 5, 0));
    assert_int_equal(fz_ind_index_count(x, FZ_IND_QQ, FZ_IND_SUSPECTED), 1);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_PHONE, FZ_IND_CONFIRMED), 1);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_PHONE, FZ_IND_SUSPECTED), 0);
    assert_int_equal(fz_ind_index_count(x, FZ_IND__COUNT, FZ_IND_SUSPECTED), 0);
    fz_ind_index_unref(x);
}

/* Later changes win; a removal inside one build drops what came before it. */
static void test_build_later_wins(void **state)
{
    (void)state;
    struct fz_ind_change c[] = {
        change(FZ_IND_QQ, "10001", 1, FZ_IND_SUSPECTED),
        change(FZ_IND_QQ, "10001", 2, FZ_IND_CONFIRMED),
        change(FZ_IND_QQ, "10002", 3, FZ_IND_SUSPECTED),
        removal(FZ_IND_QQ, "10002"),
        removal(FZ_IND_QQ, "10003"),
        change(FZ_IND_QQ, "10004", 4, FZ_IND_SUSPECTED),
        removal(FZ_IND_QQ, "10004"),
        change(FZ_IND_QQ, "10004", 5, FZ_IND_CLEARED),
    };
    struct fz_ind_index *x = NULL;
    assert_int_equal(fz_ind_index_build(c, sizeof c / sizeof c[0], 1, &x), FZ_OK);
    assert_int_equal(find(x, FZ_IND_QQ, "10001")->id, 2);
    assert_null(find(x, FZ_IND_QQ, "10002"));
    assert_null(find(x, FZ_IND_QQ, "10003"));
    assert_int_equal(find(x, FZ_IND_QQ, "10004")->id, 5);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_QQ, FZ_IND_SUSPECTED), 0);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_QQ, FZ_IND_CONFIRMED), 1);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_QQ, FZ_IND_CLEARED), 1);
    fz_ind_index_unref(x);
}

static void test_expiry_and_cleared(void **state)
{
    (void)state;
    struct fz_ind_change c[] = {change(FZ_IND_IP, "1.2.3.4", 1, FZ_IND_CONFIRMED),
                                change(FZ_IND_IP, "::1", 2, FZ_IND_CLEARED)};
    c[0].entry.expires_ms = 1000;
    struct fz_ind_index *x = NULL;
    assert_int_equal(fz_ind_index_build(c, 2, 1, &x), FZ_OK);
    assert_non_null(fz_ind_lookup(x, FZ_IND_IP, "1.2.3.4", 7, 999));
    assert_null(fz_ind_lookup(x, FZ_IND_IP, "1.2.3.4", 7, 1000));
    assert_null(fz_ind_lookup(x, FZ_IND_IP, "1.2.3.4", 7, INT64_MAX));
    /* Expired entries still count. */
    assert_int_equal(fz_ind_index_count(x, FZ_IND_IP, FZ_IND_CONFIRMED), 1);
    const struct fz_ind_entry *e = fz_ind_lookup(x, FZ_IND_IP, "::1", 3, INT64_MAX);
    assert_non_null(e);
    assert_int_equal(e->status, FZ_IND_CLEARED);
    fz_ind_index_unref(x);
}

static void test_with(void **state)
{
    (void)state;
    struct fz_ind_change c[] = {change(FZ_IND_QQ, "10001", 1, FZ_IND_SUSPECTED),
                                change(FZ_IND_QQ, "10002", 2, FZ_IND_SUSPECTED),
                                change(FZ_IND_QQ, "10003", 3, FZ_IND_SUSPECTED)};
    struct fz_ind_index *base = NULL, *next = NULL;
    assert_int_equal(fz_ind_index_build(c, 3, 10, &base), FZ_OK);
    struct fz_ind_change d[] = {change(FZ_IND_QQ, "10002", 2, FZ_IND_CONFIRMED), /* replace */
                                removal(FZ_IND_QQ, "10003"),
                                change(FZ_IND_QQ, "10004", 4, FZ_IND_SUSPECTED), /* add */
                                removal(FZ_IND_QQ, "99999")};                    /* absent */
    d[0].entry.score = 95;
    assert_int_equal(fz_ind_index_with(base, d, 4, 11, &next), FZ_OK);
    assert_int_equal(fz_ind_index_seq(next), 11);
    assert_int_equal(find(next, FZ_IND_QQ, "10001")->id, 1);
    assert_int_equal(find(next, FZ_IND_QQ, "10002")->status, FZ_IND_CONFIRMED);
    assert_int_equal(find(next, FZ_IND_QQ, "10002")->score, 95);
    assert_null(find(next, FZ_IND_QQ, "10003"));
    assert_int_equal(find(next, FZ_IND_QQ, "10004")->id, 4);
    assert_int_equal(fz_ind_index_count(next, FZ_IND_QQ, FZ_IND_SUSPECTED), 2);
    assert_int_equal(fz_ind_index_count(next, FZ_IND_QQ, FZ_IND_CONFIRMED), 1);
    /* The base is not modified, and outlives nothing it shares with next. */
    assert_int_equal(fz_ind_index_seq(base), 10);
    assert_int_equal(find(base, FZ_IND_QQ, "10002")->status, FZ_IND_SUSPECTED);
    assert_non_null(find(base, FZ_IND_QQ, "10003"));
    assert_null(find(base, FZ_IND_QQ, "10004"));
    assert_int_equal(fz_ind_index_count(base, FZ_IND_QQ, FZ_IND_SUSPECTED), 3);
    fz_ind_index_unref(base);
    assert_string_equal(find(next, FZ_IND_QQ, "10001")->value, "10001");
    assert_string_equal(find(next, FZ_IND_QQ, "10001")->id_text, "1");
    /* No changes: a copy; and a NULL base is an empty one. */
    struct fz_ind_index *same = NULL, *fresh = NULL;
    assert_int_equal(fz_ind_index_with(next, NULL, 0, 12, &same), FZ_OK);
    assert_int_equal(find(same, FZ_IND_QQ, "10004")->id, 4);
    assert_int_equal(fz_ind_index_with(NULL, d, 4, 1, &fresh), FZ_OK);
    assert_null(find(fresh, FZ_IND_QQ, "10001"));
    assert_int_equal(find(fresh, FZ_IND_QQ, "10004")->id, 4);
    fz_ind_index_unref(next);
    fz_ind_index_unref(same);
    fz_ind_index_unref(fresh);
}

static void test_invalid_changes(void **state)
{
    (void)state;
    struct fz_ind_index *x = (struct fz_ind_index *)state; /* any non-NULL marker */
    struct fz_ind_change ok = change(FZ_IND_QQ, "10001", 1, FZ_IND_SUSPECTED), c;
    const struct {
        size_t off;
        int value;
    } bad[] = {{offsetof(struct fz_ind_entry, kind), FZ_IND__COUNT},
               {offsetof(struct fz_ind_entry, status), FZ_IND__STATUSES},
               {offsetof(struct fz_ind_entry, tlp), FZ_TLP__COUNT},
               {offsetof(struct fz_ind_entry, score), 101},
               {offsetof(struct fz_ind_entry, fraud_type), FZ_FRAUD_TYPE_COUNT},
               {offsetof(struct fz_ind_entry, fraud_type), -2}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = ok;
        *((char *)&c.entry + bad[i].off) = (char)bad[i].value;
        assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    }
    c = ok;
    c.entry.id = 0;
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    c = ok;
    c.value_len = 0;
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    c = ok;
    c.entry.value = NULL;
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    c = ok;
    c.value_len = 2049;
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    assert_int_equal(fz_ind_index_build(NULL, 1, 1, &x), FZ_EINVAL);
    assert_ptr_equal(x, (struct fz_ind_index *)state); /* untouched */
    c = removal(FZ_IND__COUNT, "10001");
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_EINVAL);
    c = ok;
    c.entry.fraud_type = -1;
    assert_int_equal(fz_ind_index_build(&c, 1, 1, &x), FZ_OK);
    fz_ind_index_unref(x);
}

static void test_refs_and_handle(void **state)
{
    (void)state;
    struct fz_ind_index *a = NULL, *b = NULL;
    assert_int_equal(fz_ind_index_build(NULL, 0, 1, &a), FZ_OK);
    assert_int_equal(fz_ind_index_build(NULL, 0, 2, &b), FZ_OK);
    assert_ptr_equal(fz_ind_index_ref(a), a);
    fz_ind_index_unref(a); /* still one reference */
    assert_null(fz_ind_index_ref(NULL));
    struct fz_ind_handle h;
    fz_ind_handle_init(&h, a);
    struct fz_ind_index *cur = fz_ind_handle_acquire(&h);
    assert_int_equal(fz_ind_index_seq(cur), 1);
    fz_ind_handle_swap(&h, b);
    /* The reader's reference keeps the old index alive after the swap. */
    assert_int_equal(fz_ind_index_seq(cur), 1);
    fz_ind_index_unref(cur);
    cur = fz_ind_handle_acquire(&h);
    assert_int_equal(fz_ind_index_seq(cur), 2);
    fz_ind_index_unref(cur);
    fz_ind_handle_release(&h);
    assert_null(fz_ind_handle_acquire(&h));
    fz_ind_handle_release(NULL);
    fz_ind_handle_init(&h, NULL);
    assert_null(fz_ind_handle_acquire(&h));
    fz_ind_handle_release(&h);
}

#define MANY 100000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_many(void **state)
{
    (void)state;
    char(*values)[16] = fz_calloc(MANY, sizeof *values);
    struct fz_ind_change *c = fz_calloc(MANY, sizeof *c);
    assert_non_null(values);
    assert_non_null(c);
    for (size_t i = 0; i < MANY; i++) {
        snprintf(values[i], sizeof values[i], "+86138%08zu", i * 7);
        c[i] = change(FZ_IND_PHONE, values[i], (int64_t)i + 1, FZ_IND_SUSPECTED);
    }
    struct fz_ind_index *x = NULL, *y = NULL;
    assert_int_equal(fz_ind_index_build(c, MANY, 1, &x), FZ_OK);
    assert_int_equal(fz_ind_index_count(x, FZ_IND_PHONE, FZ_IND_SUSPECTED), MANY);
    double t0 = now_s();
    for (size_t i = 0; i < MANY; i++) {
        const struct fz_ind_entry *e = find(x, FZ_IND_PHONE, values[i]);
        if (e == NULL || e->id != (int64_t)i + 1)
            fail_msg("entry %zu not found", i);
    }
    double t1 = now_s();
    char absent[16];
    for (size_t i = 0; i < MANY; i++) {
        snprintf(absent, sizeof absent, "+86139%08zu", i);
        assert_null(find(x, FZ_IND_PHONE, absent));
    }
    double t2 = now_s();
    print_message("    lookup: %.0f ns hit, %.0f ns miss (incl. snprintf) over %d entries\n",
                  (t1 - t0) / MANY * 1e9, (t2 - t1) / MANY * 1e9, MANY);
    /* A small change to a big index. */
    struct fz_ind_change d[] = {removal(FZ_IND_PHONE, values[0]),
                                change(FZ_IND_PHONE, "+8613900000000", MANY + 1, FZ_IND_CONFIRMED)};
    t0 = now_s();
    assert_int_equal(fz_ind_index_with(x, d, 2, 2, &y), FZ_OK);
    print_message("    with(2 changes) on %d entries: %.1f ms\n", MANY, (now_s() - t0) * 1e3);
    assert_null(find(y, FZ_IND_PHONE, values[0]));
    assert_non_null(find(y, FZ_IND_PHONE, values[MANY - 1]));
    assert_int_equal(fz_ind_index_count(y, FZ_IND_PHONE, FZ_IND_SUSPECTED), MANY - 1);
    assert_int_equal(fz_ind_index_count(y, FZ_IND_PHONE, FZ_IND_CONFIRMED), 1);
    fz_ind_index_unref(x);
    fz_ind_index_unref(y);
    fz_free(c);
    fz_free(values);
}

/* Every allocation failing in turn: FZ_ENOMEM, *out untouched, nothing leaked. */
static void test_out_of_memory(void **state)
{
    (void)state;
    struct fz_ind_change c[] = {change(FZ_IND_QQ, "10001", 1, FZ_IND_SUSPECTED),
                                change(FZ_IND_URL, "http://x.com/", 2, FZ_IND_CONFIRMED)};
    struct fz_ind_change d[] = {removal(FZ_IND_QQ, "10001")};
    struct fz_ind_index *base = NULL;
    assert_int_equal(fz_ind_index_build(c, 2, 1, &base), FZ_OK);
    for (int which = 0; which < 2; which++) {
        for (unsigned long n = 1;; n++) {
            struct fz_ind_index *x = NULL;
            fzt_fail_alloc_after(n, true);
            fz_rc rc =
                which == 0 ? fz_ind_index_build(c, 2, 1, &x) : fz_ind_index_with(base, d, 1, 2, &x);
            unsigned long made = fzt_alloc_count();
            if (rc == FZ_OK) {
                fz_ind_index_unref(x);
                assert_int_equal(fzt_alloc_restore(), 0);
                assert_true(made < n);
                break;
            }
            assert_int_equal(fzt_alloc_restore(), 0);
            assert_int_equal(rc, FZ_ENOMEM);
            assert_null(x);
        }
    }
    fz_ind_index_unref(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_build_lookup),
        cmocka_unit_test(test_build_later_wins),
        cmocka_unit_test(test_expiry_and_cleared),
        cmocka_unit_test(test_with),
        cmocka_unit_test(test_invalid_changes),
        cmocka_unit_test(test_refs_and_handle),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
