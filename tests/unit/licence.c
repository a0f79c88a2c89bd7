/*
 * Unit tests for src/core/licence.c: the classes of 公安部令第162号, class strings, and the D03
 * renewal window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/licence.h"
#include "limits.h"

static struct jy_date D(int y, int m, int d) {
    return (struct jy_date){y, m, d};
}

static unsigned
mask_of(const char *s)
{
    unsigned m = 0xdeadbeef;
    struct jy_error err;
    assert_int_equal(jy_licence_classes_parse(s, strlen(s), &m, &err), JY_OK);
    return m;
}

#define BIT(x) JY_LICENCE_BIT(JY_LICENCE_##x)

static void test_find(void **state)
{
    (void)state;
    static const char *const codes[] = {"A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4",
                                        "C5", "C6", "D",  "E",  "F",  "M",  "N",  "P"};
    assert_int_equal(sizeof(codes) / sizeof(codes[0]), JY__LICENCE_CLASS_COUNT);
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++) {
        const struct jy_licence_class *c = jy_licence_class_find(codes[i], strlen(codes[i]));
        assert_non_null(c);
        assert_int_equal(c->id, (int)i);
        assert_string_equal(c->code, codes[i]);
        assert_ptr_equal(jy_licence_class_at((enum jy_licence_class_id)i), c);
        assert_true(c->name_zh[0] != '\0' && c->name_en[0] != '\0');
        assert_true(c->permits & JY_LICENCE_BIT(i)); /* a class permits itself */
    }
    assert_string_equal(jy_licence_class_find("A1", 2)->name_zh, "大型客车");
    assert_string_equal(jy_licence_class_find("A2", 2)->name_zh, "重型牵引挂车");
    assert_string_equal(jy_licence_class_find("C6", 2)->name_zh, "轻型牵引挂车");
    assert_string_equal(jy_licence_class_find("C5", 2)->name_zh, "残疾人专用小型自动挡载客汽车");
    assert_string_equal(jy_licence_class_find("P", 1)->name_zh, "有轨电车");
    /* normalised: case and surrounding spaces */
    assert_int_equal(jy_licence_class_find("c1", 2)->id, JY_LICENCE_C1);
    assert_int_equal(jy_licence_class_find("  e ", 4)->id, JY_LICENCE_E);
    /* not one class */
    assert_null(jy_licence_class_find("C7", 2));
    assert_null(jy_licence_class_find("C", 1));
    assert_null(jy_licence_class_find("G", 1));
    assert_null(jy_licence_class_find("", 0));
    assert_null(jy_licence_class_find("C1E", 3));
    assert_null(jy_licence_class_find("C1\0", 3));
    assert_null(jy_licence_class_find("A1", 1));
    assert_null(jy_licence_class_at(JY__LICENCE_CLASS_COUNT));
    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    big[0] = 'C';
    big[1] = '1';
    assert_null(jy_licence_class_find(big, sizeof(big)));
    assert_non_null(jy_licence_class_find(big, sizeof(big) - 1));
}

/* The "also permits" column of 公安部令第162号, class by class. */
static void test_permits_table(void **state)
{
    (void)state;
    struct {
        enum jy_licence_class_id id;
        unsigned permits;
    } want[] = {
        {JY_LICENCE_A1,
         BIT(A1) | BIT(A3) | BIT(B1) | BIT(B2) | BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4) | BIT(M)},
        {JY_LICENCE_A2,
         BIT(A2) | BIT(B1) | BIT(B2) | BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4) | BIT(C6) | BIT(M)},
        {JY_LICENCE_A3, BIT(A3) | BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4)},
        {JY_LICENCE_B1, BIT(B1) | BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4) | BIT(M)},
        {JY_LICENCE_B2, BIT(B2) | BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4) | BIT(M)},
        {JY_LICENCE_C1, BIT(C1) | BIT(C2) | BIT(C3) | BIT(C4)},
        {JY_LICENCE_C2, BIT(C2)},
        {JY_LICENCE_C3, BIT(C3) | BIT(C4)},
        {JY_LICENCE_C4, BIT(C4)},
        {JY_LICENCE_C5, BIT(C5)},
        {JY_LICENCE_C6, BIT(C6)},
        {JY_LICENCE_D, BIT(D) | BIT(E) | BIT(F)},
        {JY_LICENCE_E, BIT(E) | BIT(F)},
        {JY_LICENCE_F, BIT(F)},
        {JY_LICENCE_M, BIT(M)},
        {JY_LICENCE_N, BIT(N)},
        {JY_LICENCE_P, BIT(P)},
    };
    assert_int_equal(sizeof(want) / sizeof(want[0]), JY__LICENCE_CLASS_COUNT);
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++)
        assert_int_equal(jy_licence_class_at(want[i].id)->permits, want[i].permits);
}

/* The table lists the full closure: whatever a permitted class permits is already listed
 * (A1 permits C1, and C1's C2..C4 are in A1's list). */
static void test_permits_closed(void **state)
{
    (void)state;
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++) {
        unsigned p = jy_licence_class_at((enum jy_licence_class_id)i)->permits;
        assert_int_equal(jy_licence_classes_permitted(p), p);
    }
    /* no class but A2 reaches C6, and only C5 reaches C5 */
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++) {
        unsigned p = jy_licence_class_at((enum jy_licence_class_id)i)->permits;
        if (i != JY_LICENCE_A2 && i != JY_LICENCE_C6)
            assert_false(p & BIT(C6));
        if (i != JY_LICENCE_C5)
            assert_false(p & BIT(C5));
    }
}

static void test_permits_strings(void **state)
{
    (void)state;
    static const char *const a1_yes[] = {"A1", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"};
    for (size_t i = 0; i < sizeof(a1_yes) / sizeof(a1_yes[0]); i++)
        assert_true(jy_licence_class_permits("A1", a1_yes[i]));
    static const char *const a1_no[] = {"A2", "C5", "C6", "D", "E", "F", "N", "P"};
    for (size_t i = 0; i < sizeof(a1_no) / sizeof(a1_no[0]); i++)
        assert_false(jy_licence_class_permits("A1", a1_no[i]));

    assert_true(jy_licence_class_permits("A2", "C6"));
    assert_false(jy_licence_class_permits("A2", "A1"));
    assert_false(jy_licence_class_permits("A2", "A3"));
    assert_true(jy_licence_class_permits("A3", "C4"));
    assert_false(jy_licence_class_permits("A3", "M"));
    assert_false(jy_licence_class_permits("B2", "B1"));
    assert_false(jy_licence_class_permits("B1", "B2"));
    assert_true(jy_licence_class_permits("C1", "C2"));
    assert_true(jy_licence_class_permits("C1", "C4"));
    assert_false(jy_licence_class_permits("C1", "C5"));
    assert_false(jy_licence_class_permits("C1", "C6"));
    assert_false(jy_licence_class_permits("C1", "B2"));
    assert_false(jy_licence_class_permits("C2", "C1"));
    assert_true(jy_licence_class_permits("C3", "C4"));
    assert_false(jy_licence_class_permits("C4", "C3"));
    assert_true(jy_licence_class_permits("D", "E"));
    assert_true(jy_licence_class_permits("D", "F"));
    assert_false(jy_licence_class_permits("E", "D"));
    assert_false(jy_licence_class_permits("F", "E"));

    /* several classes held */
    assert_true(jy_licence_class_permits("C1E", "F"));
    assert_true(jy_licence_class_permits("C1E", "C3"));
    assert_false(jy_licence_class_permits("C1E", "D"));
    assert_true(jy_licence_class_permits("A2D", "C6"));
    assert_true(jy_licence_class_permits("a2d", " f "));

    /* bad input is never permitted */
    assert_false(jy_licence_class_permits(NULL, "C1"));
    assert_false(jy_licence_class_permits("C1", NULL));
    assert_false(jy_licence_class_permits("X1", "C1"));
    assert_false(jy_licence_class_permits("C1", "C1E")); /* wanted is one class */
    assert_false(jy_licence_class_permits("", "C1"));
}

static void test_parse(void **state)
{
    (void)state;
    char buf[JY_LICENCE_CLASSES_TEXT_SIZE];
    assert_int_equal(mask_of("C1"), BIT(C1));
    assert_int_equal(mask_of("C1E"), BIT(C1) | BIT(E));
    assert_int_equal(mask_of("c1e"), BIT(C1) | BIT(E));
    assert_int_equal(mask_of("EC1"), BIT(C1) | BIT(E));
    assert_int_equal(mask_of("  A2D "), BIT(A2) | BIT(D));
    assert_int_equal(mask_of("A1A2"), BIT(A1) | BIT(A2));
    assert_int_equal(mask_of("MNP"), BIT(M) | BIT(N) | BIT(P));
    assert_string_equal(jy_licence_classes_format(mask_of("ec1"), buf), "C1E");
    assert_string_equal(jy_licence_classes_format(mask_of("DA2"), buf), "A2D");
    assert_string_equal(jy_licence_classes_format(0, buf), "");

    /* every class at once fills the text buffer exactly */
    const char *all = "A1A2A3B1B2C1C2C3C4C5C6DEFMNP";
    assert_int_equal(strlen(all) + 1, JY_LICENCE_CLASSES_TEXT_SIZE);
    assert_int_equal(mask_of(all), JY_LICENCE_ALL);
    assert_string_equal(jy_licence_classes_format(JY_LICENCE_ALL, buf), all);
    assert_string_equal(jy_licence_classes_format(~0u, buf), all);
    assert_int_equal(mask_of("PNMFEDC6C5C4C3C2C1B2B1A3A2A1"), JY_LICENCE_ALL);
}

static void expect_parse_error(const char *s, size_t len, enum jy_err code, const char *reason)
{
    unsigned m = 0x5a5a;
    struct jy_error err;
    jy_error_clear(&err);
    assert_int_equal(jy_licence_classes_parse(s, len, &m, &err), code);
    assert_string_equal(err.reason, reason);
    assert_string_equal(err.field, "licence.class");
    assert_true(err.message[0] != '\0');
    assert_int_equal(m, 0x5a5a); /* untouched */
    /* err may be NULL */
    assert_int_equal(jy_licence_classes_parse(s, len, &m, NULL), code);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("", 0, JY_INVALID, "empty");
    expect_parse_error("   ", 3, JY_INVALID, "empty");
    expect_parse_error(NULL, 0, JY_INVALID, "empty");
    expect_parse_error("C7", 2, JY_INVALID, "unknown_licence_class");
    expect_parse_error("A4", 2, JY_INVALID, "unknown_licence_class");
    expect_parse_error("B3", 2, JY_INVALID, "unknown_licence_class");
    expect_parse_error("C0", 2, JY_INVALID, "unknown_licence_class");
    expect_parse_error("C", 1, JY_INVALID, "unknown_licence_class");
    expect_parse_error("C1A", 3, JY_INVALID, "unknown_licence_class");
    expect_parse_error("AB1", 3, JY_INVALID, "unknown_licence_class");
    expect_parse_error("G", 1, JY_INVALID, "unknown_licence_class");
    expect_parse_error("C1Z", 3, JY_INVALID, "unknown_licence_class");
    expect_parse_error("D1", 2, JY_INVALID, "bad_character");
    expect_parse_error("C1 E", 4, JY_INVALID, "bad_character");
    expect_parse_error("C1,E", 4, JY_INVALID, "bad_character");
    expect_parse_error("C1\0E", 4, JY_INVALID, "bad_character");
    expect_parse_error("\xe4\xb8\x80", 3, JY_INVALID, "bad_character");
    expect_parse_error("C1\xff", 3, JY_INVALID, "bad_character");
    expect_parse_error("1C", 2, JY_INVALID, "bad_character");
    expect_parse_error("C1C1", 4, JY_INVALID, "duplicate_licence_class");
    expect_parse_error("C1c1", 4, JY_INVALID, "duplicate_licence_class");
    expect_parse_error("EFE", 3, JY_INVALID, "duplicate_licence_class");

    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    big[0] = 'C';
    big[1] = '1';
    expect_parse_error(big, sizeof(big), JY_TOO_LONG, "too_long");
    unsigned m = 0;
    assert_int_equal(jy_licence_classes_parse(big, sizeof(big) - 1, &m, NULL), JY_OK);
    assert_int_equal(m, BIT(C1));

    struct jy_error err;
    jy_licence_classes_parse("C7", 2, &m, &err);
    assert_string_equal(err.message, "unknown licence class 'C7'");
    jy_licence_classes_parse("C1\xff", 3, &m, &err);
    assert_string_equal(err.message,
                        "unexpected character 0xFF at position 3 of the licence class");
}

static void expect_window(struct jy_date expiry, struct jy_date today, int window, enum jy_err code,
                          const char *reason)
{
    struct jy_error err;
    jy_error_clear(&err);
    assert_int_equal(jy_licence_renewal_window(expiry, today, window, &err), code);
    assert_string_equal(err.reason, reason);
}

static void test_renewal_window(void **state)
{
    (void)state;
    struct jy_error err;
    /* Expiry 2026-06-30: the 90-day window opens 2026-04-01 (30 + 31 + 29 days back). */
    struct jy_date expiry = D(2026, 6, 30);
    assert_int_equal(jy_licence_renewal_window(expiry, D(2026, 4, 1), 90, &err), JY_OK);
    assert_int_equal(jy_licence_renewal_window(expiry, D(2026, 5, 15), 90, &err), JY_OK);
    assert_int_equal(jy_licence_renewal_window(expiry, D(2026, 6, 30), 90, NULL), JY_OK);
    expect_window(expiry, D(2026, 3, 31), 90, JY_UNPROCESSABLE, "too_early_for_renewal");
    jy_error_clear(&err);
    jy_licence_renewal_window(expiry, D(2026, 3, 31), 90, &err);
    assert_string_equal(err.field, "licence.expiry");
    assert_string_equal(err.message,
                        "a licence expiring on 2026-06-30 can be renewed from 2026-04-01 "
                        "(90 days before)");
    expect_window(expiry, D(2025, 6, 30), 90, JY_UNPROCESSABLE, "too_early_for_renewal");
    expect_window(expiry, D(2026, 7, 1), 90, JY_UNPROCESSABLE, "licence_expired");
    jy_licence_renewal_window(expiry, D(2026, 7, 1), 90, &err);
    assert_non_null(strstr(err.message, "2026-06-30"));
    expect_window(expiry, D(2030, 1, 1), 90, JY_UNPROCESSABLE, "licence_expired");

    /* Across February: 90 days before 2028-03-31 (leap year) is 2028-01-01, before 2027-03-31
     * it is 2026-12-31. */
    assert_int_equal(jy_licence_renewal_window(D(2028, 3, 31), D(2028, 1, 1), 90, NULL), JY_OK);
    expect_window(D(2028, 3, 31), D(2027, 12, 31), 90, JY_UNPROCESSABLE, "too_early_for_renewal");
    assert_int_equal(jy_licence_renewal_window(D(2027, 3, 31), D(2026, 12, 31), 90, NULL), JY_OK);
    expect_window(D(2027, 3, 31), D(2026, 12, 30), 90, JY_UNPROCESSABLE, "too_early_for_renewal");
    jy_licence_renewal_window(D(2027, 3, 31), D(2026, 12, 30), 90, &err);
    assert_non_null(strstr(err.message, "from 2026-12-31"));

    /* A zero window allows the expiry day only. */
    assert_int_equal(jy_licence_renewal_window(expiry, expiry, 0, NULL), JY_OK);
    expect_window(expiry, D(2026, 6, 29), 0, JY_UNPROCESSABLE, "too_early_for_renewal");

    /* bad arguments */
    expect_window(D(2026, 2, 29), D(2026, 1, 1), 90, JY_INVALID, "bad_date");
    expect_window(expiry, D(2026, 13, 1), 90, JY_INVALID, "bad_date");
    expect_window(expiry, D(2026, 5, 1), -1, JY_RANGE, "bad_window");
    expect_window(expiry, D(2026, 5, 1), JY_CATALOG_MAX_WINDOW_DAYS + 1, JY_RANGE, "bad_window");
    /* the earliest dates still work */
    assert_int_equal(jy_licence_renewal_window(D(1, 1, 1), D(1, 1, 1), 90, NULL), JY_OK);
    expect_window(D(1, 3, 1), D(1, 1, 1), 30, JY_UNPROCESSABLE, "too_early_for_renewal");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),           cmocka_unit_test(test_permits_table),
        cmocka_unit_test(test_permits_closed), cmocka_unit_test(test_permits_strings),
        cmocka_unit_test(test_parse),          cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_renewal_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
