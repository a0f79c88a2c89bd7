/*
 * Unit tests for src/http/pool.c: alignment, large allocations, the ceiling, overflow checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/pool.h"

static void test_alloc(void **state)
{
    (void)state;
    struct jy_pool *p = jy_pool_new(1 << 20);
    assert_non_null(p);
    for (size_t i = 1; i < 200; i++) {
        unsigned char *m = jy_pool_alloc(p, i);
        assert_non_null(m);
        assert_int_equal((uintptr_t)m % alignof(max_align_t), 0);
        memset(m, 0xab, i);
    }
    char *big = jy_pool_alloc(p, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    assert_string_equal(jy_pool_strndup(p, "abcdef", 3), "abc");
    assert_string_equal(jy_pool_strdup(p, "鄂A"), "鄂A");
    assert_string_equal(jy_pool_printf(p, "%s-%d", "x", 42), "x-42");
    int *z = jy_pool_calloc(p, 10, sizeof(int));
    for (int i = 0; i < 10; i++)
        assert_int_equal(z[i], 0);
    assert_null(jy_pool_alloc(p, 0));
    assert_null(jy_pool_calloc(p, SIZE_MAX / 2, 4)); /* n * size overflows */
    assert_null(jy_pool_alloc(p, SIZE_MAX));
    jy_pool_free(p);
    jy_pool_free(NULL);
}

static void test_ceiling(void **state)
{
    (void)state;
    struct jy_pool *p = jy_pool_new(64 * 1024);
    size_t got = 0;
    while (jy_pool_alloc(p, 100))
        got += 100;
    assert_true(got > 50 * 1024);
    assert_true(jy_pool_used(p) <= 64 * 1024);
    assert_null(jy_pool_alloc(p, 100000)); /* a large one fails too */
    jy_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_ceiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
