/*
 * Unit tests for the engine's containers (src/calls/state.c): vectors keep every element and
 * their ids when their address range is replaced by a bigger one, and give out zeroed elements;
 * maps keep every key through growth and stay at most half full.
 */
#include "support.h"

#include "calls_int.h"

#include <string.h>
#include <sys/resource.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#endif

/* More elements than the first address range holds (2^21), so the range is replaced once. */
#define MANY ((1u << 21) + 1000)

static void test_vector_keeps_elements_across_growth(void **state)
{
    (void)state;
    struct fz__vec v = {.size = sizeof(struct fz__contact)};
    for (uint32_t i = 1; i <= MANY; i++) {
        uint32_t id;
        assert_int_equal(fz__vec_push(&v, &id), FZ_OK);
        assert_int_equal(id, i);
        struct fz__contact *k = &((struct fz__contact *)v.data)[id];
        assert_int_equal(k->caller | k->callee | k->calls, 0); /* fresh elements are zero */
        k->caller = i;
        k->callee = ~i;
    }
    assert_int_equal(v.len, MANY + 1); /* element 0 is none */
    assert_true(v.cap >= v.len);
    for (uint32_t i = 1; i <= MANY; i++) {
        const struct fz__contact *k = &((struct fz__contact *)v.data)[i];
        if (k->caller != i || k->callee != ~i)
            fail_msg("element %u lost after growth", i);
    }
    /* reserving less than there is changes nothing */
    void *data = v.data;
    assert_int_equal(fz__vec_reserve(&v, 10), FZ_OK);
    assert_ptr_equal(v.data, data);
    assert_int_equal(v.len, MANY + 1);
    fz__vec_release(&v);
    assert_null(v.data);
    assert_int_equal(v.len, 0);
}

/* Where addresses are limited (strict overcommit counts a reservation as memory), a vector asks
 * for a smaller range instead of failing. Not under ASan, which needs its own huge reservation. */
static void test_vector_fits_limited_addresses(void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    skip();
#else
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)1 << 30; /* 1 GiB: the first range of big elements is 2 GiB */
    if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
        skip();
    assert_int_equal(setrlimit(RLIMIT_AS, &lim), 0);
    struct fz__vec v = {.size = sizeof(struct fz__num)};
    uint32_t id = 0;
    fz_rc rc = FZ_OK;
    for (int i = 0; i < 10 && rc == FZ_OK; i++)
        rc = fz__vec_push(&v, &id);
    assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
    assert_int_equal(rc, FZ_OK);
    assert_int_equal(id, 10);
    assert_true(v.cap >= 11 && v.cap < ((size_t)1 << 21));
    fz__vec_release(&v);
#endif
}

static void test_map_keeps_keys_and_stays_half_full(void **state)
{
    (void)state;
    struct fz__u64map m;
    fz__u64map_init(&m);
    for (uint64_t k = 1; k <= 100000; k++) {
        assert_int_equal(fz__u64map_put(&m, k << 32 | (k * 7919), (uint32_t)k), FZ_OK);
        assert_true(m.count * 2 <= m.mask + 1);
    }
    for (uint64_t k = 1; k <= 100000; k++)
        if (fz__u64map_get(&m, k << 32 | (k * 7919)) != k)
            fail_msg("key %llu lost", (unsigned long long)k);
    assert_int_equal(fz__u64map_get(&m, 12345), 0);
    fz__u64map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_keeps_elements_across_growth),
        cmocka_unit_test(test_vector_fits_limited_addresses),
        cmocka_unit_test(test_map_keeps_keys_and_stays_half_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
