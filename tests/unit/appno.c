/*
 * Unit tests for src/core/appno.c.
 *
 * The check character is verified against the published ISO/IEC 7064 MOD 37-2 examples and
 * against an independent formulation of the pure system written here (explicit weights 2^(i−1)
 * mod 37 from the right, the weighted sum of a valid number being 1). The error-detection
 * claims of appno.h are proved exhaustively over every position and every pair of values, and
 * then checked on a sample of real numbers: every single-character substitution over the whole
 * alphabet and every adjacent transposition of distinct characters is rejected, with no
 * exception. Bodies whose check value would be '*' are shown to be refused by make() and
 * rejected by parse(), and the daily capacity stated in appno.h is counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/appno.h"
#include "limits.h"

/* The MOD 37-2 character set: value 0..36, '*' being 36. */
static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
#define M 37

static struct jy_date D(int y, int m, int d) {
    return (struct jy_date){y, m, d};
}

static int
val(char c)
{
    return (int)(strchr(alphabet, c) - alphabet);
}

/* w[i] = 2^(i−1) mod 37 for positions i = 1..37 counted from the right (w[0] unused). */
static int w[M + 1];

static void weights(void)
{
    w[1] = 1;
    for (int i = 2; i <= M; i++)
        w[i] = w[i - 1] * 2 % M;
}

/* Σ value·weight mod 37 over a whole number, check character included; 1 when valid. */
static int ref_sum(const char *s, size_t n)
{
    weights();
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (sum + val(s[i]) * w[n - i]) % M;
    return sum;
}

/* The check character by the reference: the value c with ref_sum(body c) = 1. */
static char ref_check(const char *body, size_t n)
{
    char t[64];
    memcpy(t, body, n);
    for (int c = 0; c < M; c++) {
        t[n] = alphabet[c];
        if (ref_sum(t, n + 1) == 1)
            return alphabet[c];
    }
    fail_msg("no check value for %.*s", (int)n, body);
    return '\0';
}

static struct jy_appno make_ok(const char *centre, struct jy_date d, uint32_t seq)
{
    struct jy_appno a;
    struct jy_error err;
    if (jy_appno_make(centre, d, seq, &a, &err) != JY_OK)
        fail_msg("make %s %u: %s", centre, (unsigned)seq, err.message);
    return a;
}

/* Issue the first number at or after `seq`, skipping sequence values whose check would be '*',
 * as a caller of jy_appno_make() does. */
static struct jy_appno issue(const char *centre, struct jy_date d, uint32_t seq)
{
    struct jy_appno a;
    struct jy_error err;
    enum jy_err rc;
    while ((rc = jy_appno_make(centre, d, seq, &a, &err)) == JY_RANGE &&
           strcmp(err.reason, "check_unusable") == 0)
        seq++;
    if (rc != JY_OK)
        fail_msg("issue %s %u: %s", centre, (unsigned)seq, err.message);
    return a;
}

static struct jy_appno parse_ok(const char *s)
{
    struct jy_appno a;
    struct jy_error err;
    if (jy_appno_parse(s, strlen(s), &a, &err) != JY_OK)
        fail_msg("parse '%s': %s", s, err.message);
    return a;
}

static void parse_bad(const char *s, size_t len, enum jy_err code, const char *reason)
{
    struct jy_appno a;
    memset(&a, 0x5A, sizeof(a));
    struct jy_error err;
    enum jy_err rc = jy_appno_parse(s, len, &a, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        fail_msg("'%.*s': got %d %s, want %d %s", (int)len, s, rc, err.reason, code, reason);
    assert_int_equal(a.seq, 0x5A5A5A5Au); /* untouched */
}

#define BAD(s, code, reason) parse_bad((s), strlen(s), (code), (reason))

static void test_check_char(void **state)
{
    (void)state;
    /* python-stdnum's ISO 7064 MOD 37-2 examples. The two bodies differ by the transposition
     * 89 ↔ 98, and their check characters differ. */
    assert_int_equal(jy_appno_check_char("G123489654321", 13), 'Y');
    assert_int_equal(jy_appno_check_char("g123489654321", 13), 'Y');
    assert_int_equal(ref_sum("G123489654321Y", 14), 1);
    assert_int_equal(jy_appno_check_char("G123498654321", 13), 'H');
    assert_int_equal(ref_sum("G123498654321H", 14), 1);
    /* The layout's example: WH, 2026-11-29, sequence 42. */
    assert_int_equal(jy_appno_check_char("WH26112900042", 13), 'L');
    assert_int_equal(ref_sum("WH26112900042L", 14), 1);
    /* An empty body: 0·2 + c ≡ 1. */
    assert_int_equal(jy_appno_check_char("", 0), '1');
    /* Only 0-9 A-Z a-z are body characters; '*' is a check symbol only. */
    assert_int_equal(jy_appno_check_char("WH-26", 5), '\0');
    assert_int_equal(jy_appno_check_char("WH\0", 3), '\0');
    assert_int_equal(jy_appno_check_char("WH*1", 4), '\0');
    assert_int_equal(jy_appno_check_char("WH\xC3\x89", 4), '\0');
    /* Agrees with the reference over every sequence of a day; every one of the 37 check values
     * occurs, '*' included. */
    char body[16];
    bool seen[M] = {false};
    for (uint32_t seq = 1; seq <= 99999; seq++) {
        snprintf(body, sizeof(body), "BJ250101%05u", (unsigned)seq);
        char c = jy_appno_check_char(body, 13);
        if (seq % 7 == 0)
            assert_int_equal(c, ref_check(body, 13));
        assert_true(c != '\0' && strchr(alphabet, c) != NULL);
        seen[val(c)] = true;
    }
    for (int c = 0; c < M; c++)
        assert_true(seen[c]);
}

/* The proof of appno.h, exhaustively: the weights of positions 1..36 are distinct and non-zero
 * (2 has order 36 mod 37); every substitution at every position and every swap of two positions
 * within 36 characters (adjacent ones included) changes the weighted sum mod 37, for every pair
 * of distinct values 0..36. */
static void test_detection_proof(void **state)
{
    (void)state;
    weights();
    for (int i = 1; i <= 36; i++) {
        assert_int_not_equal(w[i], 0);
        for (int j = 1; j < i; j++)
            assert_int_not_equal(w[i], w[j]);
    }
    assert_int_equal(w[37], 1); /* 2^36 ≡ 1: the weights repeat only after 36 positions */

    long subs = 0, adjacent = 0, swaps = 0;
    for (int a = 0; a < M; a++)
        for (int b = 0; b < M; b++) {
            if (a == b)
                continue;
            int d = (a - b + M) % M;
            assert_int_not_equal(d, 0);
            for (int i = 1; i <= 36; i++) {
                /* a → b at position i */
                assert_int_not_equal(d * w[i] % M, 0);
                subs++;
                for (int j = i + 1; j <= 36; j++) {
                    /* a at j, b at i → b at j, a at i */
                    int before = (a * w[j] + b * w[i]) % M;
                    int after = (b * w[j] + a * w[i]) % M;
                    assert_int_not_equal(before, after);
                    swaps++;
                    if (j == i + 1)
                        adjacent++;
                }
            }
        }
    assert_int_equal(subs, 37L * 36 * 36);
    assert_int_equal(adjacent, 37L * 36 * 35);
    assert_int_equal(swaps, 37L * 36 * (36 * 35 / 2));
}

static void test_make_and_display(void **state)
{
    (void)state;
    struct jy_appno a = make_ok("WH", D(2026, 11, 29), 42);
    assert_string_equal(a.text, "WH26112900042L");
    assert_string_equal(a.centre, "WH");
    assert_int_equal(a.date.year, 2026);
    assert_int_equal(a.date.month, 11);
    assert_int_equal(a.date.day, 29);
    assert_int_equal(a.seq, 42);
    assert_int_equal(a.check, 'L');
    char disp[JY_APPNO_DISPLAY_SIZE];
    jy_appno_display(&a, disp);
    assert_string_equal(disp, "WH-261129-00042-L");

    a = make_ok("sh01", D(2000, 1, 1), 99999);
    assert_string_equal(a.centre, "SH01");
    assert_string_equal(a.text, "SH0100010199999F");
    jy_appno_display(&a, disp);
    assert_string_equal(disp, "SH01-000101-99999-F");

    a = make_ok("K9", D(2099, 12, 31), 1);
    assert_string_equal(a.text, "K999123100001J");

    struct jy_appno untouched;
    memset(&untouched, 0x5A, sizeof(untouched));
    struct jy_error err;
    const char *bad_centres[] = {"", "W", "ABCDE", "1A", "W-H", "W H", "WÉ", "WH\n", "W*"};
    for (size_t i = 0; i < sizeof(bad_centres) / sizeof(bad_centres[0]); i++) {
        assert_int_equal(jy_appno_make(bad_centres[i], D(2026, 1, 5), 1, &untouched, &err),
                         JY_INVALID);
        assert_string_equal(err.reason, "bad_centre");
    }
    assert_int_equal(jy_appno_make(NULL, D(2026, 1, 5), 1, &untouched, &err), JY_INVALID);
    assert_int_equal(jy_appno_make("WH", D(2026, 2, 29), 1, &untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_date");
    assert_int_equal(jy_appno_make("WH", D(1999, 12, 31), 1, &untouched, &err), JY_RANGE);
    assert_string_equal(err.reason, "date_out_of_range");
    assert_int_equal(jy_appno_make("WH", D(2100, 1, 1), 1, &untouched, &err), JY_RANGE);
    assert_int_equal(jy_appno_make("WH", D(2026, 1, 5), 0, &untouched, &err), JY_RANGE);
    assert_string_equal(err.reason, "bad_sequence");
    assert_int_equal(jy_appno_make("WH", D(2026, 1, 5), 100000, &untouched, &err), JY_RANGE);
    assert_int_equal(untouched.seq, 0x5A5A5A5Au);
}

/* Bodies whose check value is 36 ('*') are never issued: make() refuses them with
 * JY_RANGE "check_unusable" and leaves *ret alone, the next sequence value is issued, and the
 * body with '*' (or any other character) appended does not parse. */
static void test_make_refuses_star(void **state)
{
    (void)state;
    /* WH, 2026-11-29: the first unusable sequence values are 69, 77, 85, 93. */
    assert_int_equal(jy_appno_check_char("WH26112900069", 13), '*');
    struct jy_appno a;
    memset(&a, 0x5A, sizeof(a));
    struct jy_error err;
    assert_int_equal(jy_appno_make("WH", D(2026, 11, 29), 69, &a, &err), JY_RANGE);
    assert_string_equal(err.reason, "check_unusable");
    assert_string_equal(err.field, "seq");
    assert_int_equal(a.seq, 0x5A5A5A5Au);
    assert_int_equal(jy_appno_make("wh", D(2026, 11, 29), 77, &a, NULL), JY_RANGE);
    a = issue("WH", D(2026, 11, 29), 69);
    assert_int_equal(a.seq, 70);
    assert_string_equal(a.text, "WH26112900070D");
    assert_int_equal(a.check, ref_check("WH26112900070", 13));

    BAD("WH-261129-00069-*", JY_INVALID, "bad_check_character");
    BAD("wh26112900069*", JY_INVALID, "bad_check_character");
    BAD("WH-261129-00042-*", JY_INVALID, "bad_check_character");
    char t[16] = "WH26112900069";
    for (int c = 0; c < 36; c++) {
        t[13] = alphabet[c];
        parse_bad(t, 14, JY_INVALID, "bad_check_character");
    }

    /* A whole day at one centre: make() fails exactly where the check would be '*'. */
    char body[16];
    uint32_t unusable = 0;
    for (uint32_t seq = 1; seq <= JY_APPNO_SEQ_MAX; seq++) {
        snprintf(body, sizeof(body), "WH261129%05u", (unsigned)seq);
        bool star = jy_appno_check_char(body, 13) == '*';
        enum jy_err rc = jy_appno_make("WH", D(2026, 11, 29), seq, &a, &err);
        if (star) {
            assert_int_equal(rc, JY_RANGE);
            assert_string_equal(err.reason, "check_unusable");
            unusable++;
        } else {
            assert_int_equal(rc, JY_OK);
            assert_int_equal(a.check, jy_appno_check_char(body, 13));
        }
    }
    assert_int_equal(unusable, 2703);
}

/* The daily capacity stated in appno.h: what is skipped depends only on the centre and date
 * through their running value mod 37, so one centre code for each of the 37 values covers every
 * centre and date. Every one issues 97,293..97,300 of the 99,999 sequence numbers. */
static void test_daily_capacity(void **state)
{
    (void)state;
    bool done[M] = {false};
    int covered = 0;
    uint32_t lo = JY_APPNO_SEQ_MAX, hi = 0;
    char centre[3] = "AA";
    for (int i = 0; i < 26 * 26 && covered < M; i++) {
        centre[0] = (char)('A' + i / 26);
        centre[1] = (char)('A' + i % 26);
        char prefix[16];
        snprintf(prefix, sizeof(prefix), "%s261129", centre);
        int h = 0;
        for (size_t k = 0; k < 8; k++)
            h = (2 * h + val(prefix[k])) % M;
        if (done[h])
            continue;
        done[h] = true;
        covered++;
        uint32_t issued = 0;
        struct jy_appno a;
        for (uint32_t seq = 1; seq <= JY_APPNO_SEQ_MAX; seq++)
            if (jy_appno_make(centre, D(2026, 11, 29), seq, &a, NULL) == JY_OK)
                issued++;
        if (issued < lo)
            lo = issued;
        if (issued > hi)
            hi = issued;
    }
    assert_int_equal(covered, M);
    assert_int_equal(lo, 97293);
    assert_int_equal(hi, 97300);
}

static void test_parse_forms(void **state)
{
    (void)state;
    const char *forms[] = {
        "WH26112900042L", "WH-261129-00042-L", "wh-261129-00042-l", "  WH 261129 00042 L  ",
        "Wh261129-00042l", "W-H-2611290004-2-L", "wh26112900042l",
        /* full-width ＷＨ－２６１１２９－００００４２－Ｌ, mixed */
        "\xef\xbc\xb7\xef\xbc\xa8\xef\xbc\x8d\xef\xbc\x92\xef\xbc\x96\xef\xbc\x91"
        "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x99\xef\xbc\x8d\xef\xbc\x90\xef\xbc\x90"
        "\xef\xbc\x90\xef\xbc\x94\xef\xbc\x92\xef\xbc\x8d\xef\xbc\xac",
        "\twh\xe3\x80\x80"
        "261129 00042\xef\xbd\x8c\r\n"};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct jy_appno a = parse_ok(forms[i]);
        assert_string_equal(a.text, "WH26112900042L");
        assert_string_equal(a.centre, "WH");
        assert_int_equal(a.date.year, 2026);
        assert_int_equal(a.date.month, 11);
        assert_int_equal(a.date.day, 29);
        assert_int_equal(a.seq, 42);
        assert_int_equal(a.check, 'L');
    }
    /* Every centre length, and the round trip make → display → parse, also in lower case. */
    const char *centres[] = {"AB", "A1", "ABC", "Z9Z", "ABCD", "Q000"};
    for (size_t i = 0; i < sizeof(centres) / sizeof(centres[0]); i++) {
        struct jy_appno a = issue(centres[i], D(2025, 10, 8), 1234);
        char disp[JY_APPNO_DISPLAY_SIZE];
        jy_appno_display(&a, disp);
        struct jy_appno b = parse_ok(disp);
        assert_memory_equal(&a, &b, sizeof(a));
        b = parse_ok(a.text);
        assert_memory_equal(&a, &b, sizeof(a));
        for (char *p = disp; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        b = parse_ok(disp);
        assert_memory_equal(&a, &b, sizeof(a));
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    BAD("WH-261129-00042-6", JY_INVALID, "bad_check_character"); /* the MOD 37,36 character */
    BAD("WH26112900042M", JY_INVALID, "bad_check_character");
    BAD("", JY_INVALID, "bad_length");
    BAD("   ", JY_INVALID, "bad_length");
    BAD("WH26112900042", JY_INVALID, "bad_length");     /* no check character */
    BAD("W26112900042L", JY_INVALID, "bad_length");     /* 13 characters */
    BAD("WHABC26112900042L", JY_INVALID, "bad_length"); /* 17 characters */
    BAD("WH26112900042*", JY_INVALID, "bad_check_character");
    BAD("W*26112900042L", JY_INVALID, "bad_character"); /* '*' only ever as a check symbol */
    BAD("WH2611290004*L", JY_INVALID, "bad_character");
    BAD("WH26112900042**", JY_INVALID, "bad_character");
    BAD("*", JY_INVALID, "bad_length");
    BAD("1H26112900042L", JY_INVALID, "bad_centre");
    BAD("WH2611A900042L", JY_INVALID, "bad_character");
    BAD("WH26112900O42L", JY_INVALID, "bad_character");
    BAD("WH_261129_00042_L", JY_INVALID, "bad_character");
    BAD("WH·261129·00042·L", JY_INVALID, "bad_character");
    BAD("WH\t26112900042L", JY_INVALID, "bad_character");
    BAD("WH2611290004\xff", JY_INVALID, "bad_character"); /* invalid UTF-8 */
    BAD("WH2611290004\xc3", JY_INVALID, "bad_character");
    char with_nul[] = "WH26112900042L";
    with_nul[5] = '\0';
    parse_bad(with_nul, 14, JY_INVALID, "bad_character");
    char longer[JY_IDENT_MAX_BYTES + 1];
    memset(longer, ' ', sizeof(longer));
    memcpy(longer, "WH26112900042L", 14);
    parse_bad(longer, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
    struct jy_appno a;
    assert_int_equal(jy_appno_parse(longer, JY_IDENT_MAX_BYTES, &a, NULL), JY_OK);
    assert_string_equal(a.text, "WH26112900042L");

    /* Well-formed, correct check character, but no such date / sequence 00000. */
    assert_int_equal(jy_appno_check_char("WH26022900002", 13), 'Y');
    BAD("WH26022900002Y", JY_INVALID, "bad_date");
    assert_int_equal(jy_appno_check_char("WH26022800000", 13), 'S');
    BAD("WH26022800000S", JY_INVALID, "bad_sequence");
    assert_int_equal(jy_appno_check_char("WH26130100002", 13), 'Y');
    BAD("WH26130100002Y", JY_INVALID, "bad_date");
    /* The check is verified before the date: a '*' check is refused whatever the rest. */
    assert_int_equal(jy_appno_check_char("WH26022900001", 13), '*');
    BAD("WH26022900001*", JY_INVALID, "bad_check_character");
}

/* The sample for the exhaustive checks: every centre length, dates and sequences spread over
 * their ranges (an unusable sequence value is replaced by the next one, as when issuing). */
static size_t sample(struct jy_appno *out, size_t max)
{
    const char *centres[] = {"WH", "BJ", "SH01", "ZZZZ", "A1", "K9X", "Q0Q"};
    const struct jy_date dates[] = {{2000, 1, 1},  {2025, 1, 28},  {2026, 11, 29},
                                    {2026, 2, 28}, {2099, 12, 31}, {2024, 2, 29}};
    const uint32_t seqs[] = {1, 42, 67, 76, 12345, 50505, 90817, 99990};
    size_t n = 0;
    for (size_t c = 0; c < 7; c++)
        for (size_t d = 0; d < 6; d++)
            for (size_t q = 0; q < 8 && n < max; q++)
                out[n++] = issue(centres[c], dates[d], seqs[q]);
    return n;
}

/* Every single-character substitution, over all 37 symbols, at every position of every sample
 * number is rejected, and the check itself sees it (the weighted sum is no longer 1). */
static void test_every_substitution_rejected(void **state)
{
    (void)state;
    struct jy_appno nos[400];
    size_t n = sample(nos, 400), tried = 0, expected = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(nos[k].text);
        expected += len * (M - 1);
        assert_int_equal(ref_sum(nos[k].text, len), 1);
        for (size_t i = 0; i < len; i++) {
            for (size_t a = 0; a < M; a++) {
                char t[24];
                memcpy(t, nos[k].text, len + 1);
                if (t[i] == alphabet[a])
                    continue;
                t[i] = alphabet[a];
                struct jy_appno out;
                if (jy_appno_parse(t, len, &out, NULL) == JY_OK)
                    fail_msg("substitution %s -> %s accepted", nos[k].text, t);
                assert_int_not_equal(ref_sum(t, len), 1);
                tried++;
            }
        }
    }
    assert_int_equal(n, 7 * 6 * 8);
    assert_int_equal(tried, expected);
    assert_true(tried > 150000);
}

/* Every adjacent transposition of two distinct characters of every sample number is rejected —
 * no exceptions, the last body character and the check character included — and the check
 * itself sees each one. Sequence 67 and 76 of the same day and centre now carry different
 * check characters (under MOD 37,36 both carried N). */
static void test_every_transposition_rejected(void **state)
{
    (void)state;
    struct jy_appno nos[400];
    size_t n = sample(nos, 400);
    long rejected = 0, last_pair = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(nos[k].text);
        for (size_t i = 0; i + 1 < len; i++) {
            char t[24];
            memcpy(t, nos[k].text, len + 1);
            if (t[i] == t[i + 1])
                continue;
            t[i] = nos[k].text[i + 1];
            t[i + 1] = nos[k].text[i];
            struct jy_appno out;
            if (jy_appno_parse(t, len, &out, NULL) == JY_OK)
                fail_msg("transposition %s -> %s accepted", nos[k].text, t);
            assert_int_not_equal(ref_sum(t, len), 1);
            rejected++;
            if (i + 2 == len)
                last_pair++;
        }
    }
    assert_true(rejected > 3000);
    assert_true(last_pair > 300);

    struct jy_appno a67 = make_ok("WH", D(2026, 11, 29), 67);
    struct jy_appno a76 = make_ok("WH", D(2026, 11, 29), 76);
    assert_string_equal(a67.text, "WH261129000673");
    assert_string_equal(a76.text, "WH261129000761");
    BAD("WH-261129-00076-3", JY_INVALID, "bad_check_character");
    BAD("WH-261129-00067-1", JY_INVALID, "bad_check_character");
    BAD("WH-261129-00067-N", JY_INVALID, "bad_check_character");
    BAD("WH-261129-00076-N", JY_INVALID, "bad_check_character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_detection_proof),
        cmocka_unit_test(test_make_and_display),
        cmocka_unit_test(test_make_refuses_star),
        cmocka_unit_test(test_daily_capacity),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_every_substitution_rejected),
        cmocka_unit_test(test_every_transposition_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
