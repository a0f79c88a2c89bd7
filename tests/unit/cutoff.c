/*
 * Unit tests for src/core/cutoff.c: parsing "HH:MM" and where a hand-over closing at a given
 * instant is cut (Asia/Shanghai, UTC+8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/cutoff.h"
#include "banned.h"

static bool parse(const char *s, int *m)
{
    return jy_cutoff_parse(s, strlen(s), m);
}

static void test_parse(void **state)
{
    (void)state;
    int m = -1;
    assert_true(parse("17:30", &m));
    assert_int_equal(m, 17 * 60 + 30);
    assert_true(parse("00:00", &m));
    assert_int_equal(m, 0);
    assert_true(parse("23:59", &m));
    assert_int_equal(m, 1439);
    m = 7;
    static const char *const bad[] = {"24:00", "17:60", "7:30",  "17:3",  "17-30", "17:30 ",
                                      "1730",  "",      "ab:cd", "17:3x", "+7:30"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(parse(bad[i], &m));
    assert_int_equal(m, 7); /* untouched */
    assert_false(jy_cutoff_parse(NULL, 0, &m));
}

/* 2026-11-30 in Wuhan: 17:30 there is 09:30 UTC = 1796031000. */
static void test_until(void **state)
{
    (void)state;
    const int64_t cut = 1796031000; /* 2026-11-30T09:30:00Z */
    bool after = true;
    /* 10:00 in Wuhan: an early close takes everything up to now. */
    int64_t now = 1796004000; /* 02:00Z */
    assert_int_equal(jy_cutoff_until(now, 17 * 60 + 30, &after), now + 1);
    assert_false(after);
    /* One second before the cut-off: still early. */
    assert_int_equal(jy_cutoff_until(cut - 1, 17 * 60 + 30, &after), cut);
    assert_false(after);
    /* At the cut-off and after it: the cut-off itself. */
    assert_int_equal(jy_cutoff_until(cut, 17 * 60 + 30, &after), cut);
    assert_true(after);
    assert_int_equal(jy_cutoff_until(cut + 3 * 3600, 17 * 60 + 30, &after), cut);
    assert_true(after);
    /* 23:59:59 in Wuhan (15:59:59Z) is still that day; 00:00 the next is a new day, early. */
    assert_int_equal(jy_cutoff_until(1796054399, 17 * 60 + 30, &after), cut);
    assert_true(after);
    assert_int_equal(jy_cutoff_until(1796054400, 17 * 60 + 30, &after), 1796054401);
    assert_false(after);
    /* 17:00, the centre's dispatch cut-off. */
    assert_int_equal(jy_cutoff_until(cut, 17 * 60, &after), cut - 1800);
    assert_true(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_until),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
