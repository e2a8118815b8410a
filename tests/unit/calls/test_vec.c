/*
 * Unit tests for the engine's containers (src/calls/state.c): vectors keep every element and
 * their ids when their address range is replaced by a bigger one, and give out zeroed elements;
 * maps keep every key through growth and stay at most half full.
 */
#include "support.h"

#include "calls_int.h"

#include <string.h>

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
        cmocka_unit_test(test_map_keeps_keys_and_stays_half_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
