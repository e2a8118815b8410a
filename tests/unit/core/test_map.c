/* Unit tests for src/core/map.c: hashing and the hash map. */
#include "support.h"

#include <stdio.h>

static void test_map(void **state)
{
    (void)state;
    struct fz_map m;
    fz_map_init(&m);
    char key[32];
    for (long i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        assert_int_equal(fz_map_put(&m, key, (size_t)n, (void *)(i + 1), NULL), FZ_OK);
    }
    assert_int_equal(m.count, 5000);
    for (long i = 0; i < 5000; i += 2) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        assert_ptr_equal(fz_map_del(&m, key, (size_t)n), (void *)(i + 1));
    }
    for (long i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        void *v = fz_map_get(&m, key, (size_t)n);
        assert_ptr_equal(v, i % 2 ? (void *)(i + 1) : NULL);
    }
    void *old;
    assert_int_equal(fz_map_put(&m, "k1", 2, (void *)7, &old), FZ_OK);
    assert_ptr_equal(old, (void *)2);
    size_t it = 0, seen = 0;
    while (fz_map_next(&m, &it, NULL, NULL))
        seen++;
    assert_int_equal(seen, 2500);
    assert_int_equal(fz_hash("abc", 3), fz_hash("abc", 3));
    assert_true(fz_hash("abc", 3) != fz_hash("abd", 3));
    fz_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
