/*
 * Unit tests for src/core/uscc.c: the vectors of GB 32100-2015 and python-stdnum, every single
 * substitution and adjacent transposition of the valid vectors, the advisory GB 11714 check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/uscc.h"
#include "limits.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const char *const VALID[] = {"91110000600037341L", "91310115MA1K3BTP2B",
                                    "121200004013590816"};

static struct jy_uscc parse_ok(const char *s)
{
    struct jy_uscc u;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_uscc_parse(s, strlen(s), &u, &err);
    if (rc != JY_OK)
        print_error("%s: %s (%s)\n", s, err.reason, err.message);
    assert_int_equal(rc, JY_OK);
    return u;
}

/* Parse the `len` bytes at `s`, expect failure `code` with `reason`, and `*ret` untouched. */
static void expect_fail_n(const char *s, size_t len, enum jy_err code, const char *reason)
{
    struct jy_uscc u, before;
    memset(&u, 0x5A, sizeof(u));
    memcpy(&before, &u, sizeof(u));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_uscc_parse(s, len, &u, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        print_error("%.*s: got %d %s, want %d %s\n", (int)len, s ? s : "", rc, err.reason, code,
                    reason);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.reason, reason);
    assert_true(err.message[0] != '\0');
    assert_memory_equal(&u, &before, sizeof(u));
    assert_int_equal(jy_uscc_parse(s, len, &u, NULL), code);
    assert_memory_equal(&u, &before, sizeof(u));
}

static void expect_fail(const char *s, const char *reason)
{
    expect_fail_n(s, strlen(s), JY_INVALID, reason);
}

static void test_valid_vectors(void **state)
{
    (void)state;
    struct jy_uscc u = parse_ok("91110000600037341L");
    assert_string_equal(u.code, "91110000600037341L");
    assert_int_equal(u.department, '9');
    assert_int_equal(u.category, '1');
    assert_string_equal(u.division, "110000");
    assert_string_equal(u.org_code, "600037341");
    assert_true(jy_uscc_org_code_ok(&u));

    u = parse_ok("91310115MA1K3BTP2B");
    assert_string_equal(u.code, "91310115MA1K3BTP2B");
    assert_int_equal(u.department, '9');
    assert_int_equal(u.category, '1');
    assert_string_equal(u.division, "310115");
    assert_string_equal(u.org_code, "MA1K3BTP2");
    assert_true(jy_uscc_org_code_ok(&u));

    u = parse_ok("121200004013590816");
    assert_string_equal(u.code, "121200004013590816");
    assert_int_equal(u.department, '1');
    assert_int_equal(u.category, '2');
    assert_string_equal(u.division, "120000");
    assert_string_equal(u.org_code, "401359081");
    assert_true(jy_uscc_org_code_ok(&u));

    /* Department Y (其他) is a letter. */
    u = parse_ok("Y1110000600037341Y");
    assert_int_equal(u.department, 'Y');
    u = parse_ok("000000000000000000");
    assert_string_equal(u.division, "000000");
}

static void test_invalid_vectors(void **state)
{
    (void)state;
    expect_fail("91110000600037341N", "bad_check_character"); /* check is L */
    /* python-stdnum calls this a format error because it wants positions 1-8 all digits, but
     * GB 32100 departments include the letter Y, and A is a symbol of the alphabet; what is wrong
     * with it is the check character (K for this body). */
    expect_fail("A1110000600037341L", "bad_check_character");
    expect_fail("9111000060003IOZSV", "bad_character");
}

static void test_normalisation(void **state)
{
    (void)state;
    struct jy_uscc u = parse_ok("91310115ma1k3btp2b");
    assert_string_equal(u.code, "91310115MA1K3BTP2B");
    assert_string_equal(u.org_code, "MA1K3BTP2");
    u = parse_ok("  91310115Ma1K3bTp2B ");
    assert_string_equal(u.code, "91310115MA1K3BTP2B");

    const char buf[] = "91110000600037341Lxyz";
    assert_int_equal(jy_uscc_parse(buf, 18, &u, NULL), JY_OK);
    assert_string_equal(u.code, "91110000600037341L");
}

static void test_forbidden_letters(void **state)
{
    (void)state;
    static const char forbidden[] = "IOZSVioszv";
    for (size_t k = 0; k < sizeof(forbidden) - 1; k++) {
        for (size_t i = 0; i < 18; i++) {
            char s[19];
            memcpy(s, "91310115MA1K3BTP2B", 19);
            s[i] = forbidden[k];
            expect_fail(s, "bad_character");
        }
    }
    expect_fail("91310115MA1K3BTP2-", "bad_character");
    expect_fail("91310115MA1K3BTP2\xff", "bad_character");
    expect_fail_n("91310115MA1K3BTP2\0", 18, JY_INVALID, "bad_character");
    expect_fail("91310115MA1K3B P2B", "bad_character");
    /* Positions 3-8 are a division code: digits only. */
    expect_fail("913A0115MA1K3BTP2B", "bad_character");
    expect_fail("9131011AMA1K3BTP2B", "bad_character");
}

static void test_lengths(void **state)
{
    (void)state;
    expect_fail("", "bad_length");
    expect_fail("  ", "bad_length");
    expect_fail("91110000600037341", "bad_length");
    expect_fail("91110000600037341LL", "bad_length");
    expect_fail("911100006000373", "bad_length");
    expect_fail("9111 0000 6000 3734 1L", "bad_length");
    expect_fail_n(NULL, 18, JY_INVALID, "bad_length");

    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    memcpy(big + 20, "91110000600037341L", 18);
    struct jy_uscc u;
    assert_int_equal(jy_uscc_parse(big, JY_IDENT_MAX_BYTES, &u, NULL), JY_OK);
    expect_fail_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
}

/* Every one of the 30 other symbols in position 18 is rejected. */
static void test_every_check_character_change(void **state)
{
    (void)state;
    int rejected = 0;
    for (size_t v = 0; v < sizeof(VALID) / sizeof(VALID[0]); v++) {
        for (size_t k = 0; k < 31; k++) {
            char s[19];
            memcpy(s, VALID[v], 19);
            if (s[17] == ALPHABET[k])
                continue;
            s[17] = ALPHABET[k];
            expect_fail(s, "bad_check_character");
            rejected++;
        }
    }
    assert_int_equal(rejected, 3 * 30);
}

/* A substitution of d (0 < |d| < 31) at position i changes the sum by d * 3^(i-1) mod 31, never 0
 * since 31 is prime. Every single substitution by another symbol is rejected: by the check
 * character, or as a bad character when a letter lands in the division code. */
static void test_every_single_substitution(void **state)
{
    (void)state;
    int rejected = 0;
    for (size_t v = 0; v < sizeof(VALID) / sizeof(VALID[0]); v++) {
        for (size_t i = 0; i < 17; i++) {
            for (size_t k = 0; k < 31; k++) {
                char s[19];
                memcpy(s, VALID[v], 19);
                if (s[i] == ALPHABET[k])
                    continue;
                s[i] = ALPHABET[k];
                bool letter_in_division = i >= 2 && i < 8 && k > 9;
                expect_fail(s, letter_in_division ? "bad_character" : "bad_check_character");
                rejected++;
            }
        }
    }
    assert_int_equal(rejected, 3 * 17 * 30);
}

/*
 * Adjacent transpositions. The weights are powers of 3, so W(i+1) = 3 W(i) mod 31 and swapping
 * distinct a, b at positions i, i+1 (both below 18) changes the sum by (a - b)(W(i) - W(i+1)) =
 * -2 (a - b) W(i) mod 31, never 0 because 31 is prime and 0 < |a - b| < 31. Swapping position 17
 * (weight 28) with the check character (weight 1 in the total, which must be 0 mod 31) changes it
 * by 27 (c - a), never 0 either. So MOD 31 with these weights is guaranteed to catch every
 * adjacent transposition, and every one is tested. (A letter moved into positions 3-8 is caught
 * as a bad character first.)
 *
 * What it does NOT guarantee: 3 is a primitive root of 31, so the 17 weights are distinct and
 * any transposition within positions 1-17 is caught too, but the check character's implicit
 * weight 1 equals W(1): exchanging positions 1 and 18 leaves the sum unchanged and goes
 * unnoticed.
 */
static void test_every_adjacent_transposition(void **state)
{
    (void)state;
    int rejected = 0;
    for (size_t v = 0; v < sizeof(VALID) / sizeof(VALID[0]); v++) {
        for (size_t i = 0; i + 1 < 18; i++) {
            char s[19];
            memcpy(s, VALID[v], 19);
            if (s[i] == s[i + 1])
                continue;
            char t = s[i];
            s[i] = s[i + 1];
            s[i + 1] = t;
            bool letter_in_division = false;
            for (size_t j = 2; j < 8; j++)
                letter_in_division = letter_in_division || s[j] > '9';
            expect_fail(s, letter_in_division ? "bad_character" : "bad_check_character");
            rejected++;
        }
    }
    /* Pairs of distinct neighbours: 10 + 16 + 14. */
    assert_int_equal(rejected, 10 + 16 + 14);

    /* The known blind spot, positions 1 and 18 exchanged: 91110000600037341L -> L…9. */
    struct jy_uscc u = parse_ok("L11100006000373419");
    assert_int_equal(u.department, 'L');
}

static void test_org_code(void **state)
{
    (void)state;
    /* The MOD 31 check passes but the embedded organisation code fails GB 11714 (M A 0 0 0 0 0 0
     * gives 7, not 0): the code is accepted and the second check reports it. */
    struct jy_uscc u = parse_ok("91110000MA0000000H");
    assert_string_equal(u.org_code, "MA0000000");
    assert_false(jy_uscc_org_code_ok(&u));

    /* C = 10 is written X. */
    u = parse_ok("9111000040000000XM");
    assert_true(jy_uscc_org_code_ok(&u));
    u = parse_ok("9111000040000000YQ");
    assert_false(jy_uscc_org_code_ok(&u));
    /* C = 11 is written 0. */
    u = parse_ok("000000000000000000");
    assert_true(jy_uscc_org_code_ok(&u));

    assert_false(jy_uscc_org_code_ok(NULL));
    struct jy_uscc hand;
    memset(&hand, 0, sizeof(hand));
    memcpy(hand.org_code, "60003734", 8); /* no check symbol */
    assert_false(jy_uscc_org_code_ok(&hand));
    memcpy(hand.org_code, "600037341", 10);
    assert_true(jy_uscc_org_code_ok(&hand));
    memcpy(hand.org_code, "6000a7341", 10);
    assert_false(jy_uscc_org_code_ok(&hand));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_vectors),
        cmocka_unit_test(test_invalid_vectors),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_forbidden_letters),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_every_check_character_change),
        cmocka_unit_test(test_every_single_substitution),
        cmocka_unit_test(test_every_adjacent_transposition),
        cmocka_unit_test(test_org_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
