/* Unit tests for src/core/alloc.c: the allocator hook and arenas. */
#include "support.h"

#include <string.h>

static void count_cleanup(void *p) { (*(int *)p)++; }

static void test_arena(void **state)
{
    (void)state;
    struct fz_arena a;
    fz_arena_init(&a, 128);
    char *small = fz_arena_alloc(&a, 10);
    char *big = fz_arena_alloc(&a, 10000);
    assert_non_null(small);
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 16, 0);
    memset(big, 'x', 10000);
    char *s = fz_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    int cleaned = 0;
    assert_int_equal(fz_arena_defer(&a, count_cleanup, &cleaned), FZ_OK);
    fz_arena_reset(&a);
    assert_int_equal(cleaned, 1);
    for (int i = 0; i < 1000; i++)
        assert_non_null(fz_arena_alloc(&a, (size_t)i));
    assert_null(fz_arena_calloc(&a, SIZE_MAX / 2, 4));
    fz_arena_release(&a);
    fz_arena_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
