/*
 * Unit tests for src/core/uscc.c: the vectors of GB 32100-2015 and python-stdnum, every single
 * substitution and adjacent transposition of the valid vectors, the department and category
 * table, folding of full-width and spaced input, the advisory GB 11714 check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/uscc.h"
#include "limits.h"
#include "parse_checks.h"

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
    u = parse_ok("91000000000000000K");
    assert_string_equal(u.division, "000000");
}

/* The check character of the 17 symbols at `body`, computed here independently of uscc.c. */
static char check_of(const char *body)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(ALPHABET, body[i]) - ALPHABET) * w[i];
    return ALPHABET[(31 - sum % 31) % 31];
}

/* "<dep><cat>110000600037341" and its check character, into `out` (19 bytes). */
static void make_code(char dep, char cat, char out[19])
{
    memcpy(out, "00110000600037341", 17);
    out[0] = dep;
    out[1] = cat;
    out[17] = check_of(out);
    out[18] = '\0';
}

/* GB 32100-2015: departments 1-9, A, N, Y, each with its own categories. */
static void test_departments_and_categories(void **state)
{
    (void)state;
    static const struct {
        char dep;
        const char *cats;
        const char *name;
    } table[] = {
        {'1', "1239", "机构编制"},   {'2', "19", "外交"},
        {'3', "123459", "司法行政"}, {'4', "19", "文化"},
        {'5', "1239", "民政"},       {'6', "129", "旅游"},
        {'7', "129", "宗教"},        {'8', "19", "工会"},
        {'9', "123", "工商"},        {'A', "19", "中央军委改革和编制办公室"},
        {'N', "1239", "农业"},       {'Y', "1", "其他"},
    };
    int accepted = 0, refused = 0;
    for (size_t k = 0; k < sizeof(ALPHABET) - 1; k++) {
        char dep = ALPHABET[k];
        size_t row = 0;
        while (row < sizeof(table) / sizeof(table[0]) && table[row].dep != dep)
            row++;
        char code[19];
        if (row == sizeof(table) / sizeof(table[0])) {
            make_code(dep, '1', code);
            expect_fail(code, "unknown_department");
            assert_null(jy_uscc_department_name(dep));
            refused++;
            continue;
        }
        assert_string_equal(jy_uscc_department_name(dep), table[row].name);
        for (size_t c = 0; c < sizeof(ALPHABET) - 1; c++) {
            char cat = ALPHABET[c];
            make_code(dep, cat, code);
            if (strchr(table[row].cats, cat)) {
                struct jy_uscc u = parse_ok(code);
                assert_int_equal(u.department, dep);
                assert_int_equal(u.category, cat);
                assert_non_null(jy_uscc_category_name(dep, cat));
                accepted++;
            } else {
                expect_fail(code, "unknown_category");
                assert_null(jy_uscc_category_name(dep, cat));
                refused++;
            }
        }
    }
    assert_int_equal(accepted, 4 + 2 + 6 + 2 + 4 + 3 + 3 + 2 + 3 + 2 + 4 + 1);
    assert_int_equal(refused, 19 + 12 * 31 - accepted);
    assert_string_equal(jy_uscc_category_name('9', '2'), "个体工商户");
    assert_string_equal(jy_uscc_category_name('Y', '1'), "其他");
    assert_null(jy_uscc_category_name('9', '\0'));
    assert_null(jy_uscc_department_name('\0'));

    /* The check character is tested first: a valid-looking body with a bad check character is
     * reported as such even when its department is unknown. */
    expect_fail("01110000600037341L", "bad_check_character");
    expect_fail("01110000600037341X", "unknown_department");
    expect_fail("94110000600037341B", "unknown_category");
    expect_fail("Y2110000600037341U", "unknown_category");
    parse_ok("92110000600037341H");
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
    u = parse_ok("\t91310115MA1K3BTP2B\r\n");
    assert_string_equal(u.code, "91310115MA1K3BTP2B");

    /* Full-width: ９１１１００００６０００３７３４１Ｌ, and a full-width lower-case letter. */
    u = parse_ok("\xef\xbc\x99\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90"
                 "\xef\xbc\x90\xef\xbc\x90\xef\xbc\x96\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90"
                 "\xef\xbc\x93\xef\xbc\x97\xef\xbc\x93\xef\xbc\x94\xef\xbc\x91\xef\xbc\xac");
    assert_string_equal(u.code, "91110000600037341L");
    u = parse_ok("91110000600037341\xef\xbd\x8c"); /* ｌ */
    assert_string_equal(u.code, "91110000600037341L");

    /* Single spaces between groups (or anywhere) are dropped, ideographic spaces too. */
    u = parse_ok("9 1 110000 600037341L");
    assert_string_equal(u.code, "91110000600037341L");
    u = parse_ok("9111 0000 6000 3734 1L");
    assert_string_equal(u.code, "91110000600037341L");
    u = parse_ok("91\xe3\x80\x80"
                 "110000\xe3\x80\x80"
                 "600037341L");
    assert_string_equal(u.code, "91110000600037341L");
    expect_fail("91  110000 600037341L", "bad_character");
    expect_fail("91\t10000600037341L", "bad_character");

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
    expect_fail("91310115MA1K3B P2B", "bad_length"); /* the space is dropped: 17 left */
    expect_fail("91310115MA1K3BTP2\xe4\xb8\xad", "bad_character"); /* 18 characters */
    expect_fail("91310115MA1K3BTP\xff", "bad_character");          /* not a length error */
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
    expect_fail("9111 0000 6000 3734 1", "bad_length");
    expect_fail("9111000060003734\xe4\xb8\xad", "bad_length"); /* 17 characters, 19 bytes */
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

static void substituted(const char s[19], size_t i, size_t k)
{
    bool letter_in_division = i >= 2 && i < 8 && k > 9;
    expect_fail(s, letter_in_division ? "bad_character" : "bad_check_character");
}

/* A substitution of d (0 < |d| < 31) at position i changes the sum by d * 3^(i-1) mod 31, never 0
 * since 31 is prime. Every single substitution by another symbol is rejected: by the check
 * character, or as a bad character when a letter lands in the division code. */
static void test_every_single_substitution(void **state)
{
    (void)state;
    int rejected =
        each_substitution(VALID, sizeof(VALID) / sizeof(VALID[0]), ALPHABET, substituted);
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
static void transposed(const char s[19])
{
    bool letter_in_division = false;
    for (size_t j = 2; j < 8; j++)
        letter_in_division = letter_in_division || s[j] > '9';
    expect_fail(s, letter_in_division ? "bad_character" : "bad_check_character");
}

static void test_every_adjacent_transposition(void **state)
{
    (void)state;
    int rejected = each_transposition(VALID, sizeof(VALID) / sizeof(VALID[0]), transposed);
    /* Pairs of distinct neighbours: 10 + 16 + 14. */
    assert_int_equal(rejected, 10 + 16 + 14);

    /* The known blind spot, positions 1 and 18 exchanged: 121200004013590816 -> 6…1 passes
     * the check character, and 6 2 is a department and category (旅游, 港澳台 offices). */
    struct jy_uscc u = parse_ok("621200004013590811");
    assert_int_equal(u.department, '6');
    /* The same exchange in 91110000600037341L gives department L, which the table refuses. */
    expect_fail("L11100006000373419", "unknown_department");
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
    u = parse_ok("91000000000000000K");
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
        cmocka_unit_test(test_departments_and_categories),
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
