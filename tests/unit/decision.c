/*
 * Unit tests for src/core/decision.c (penalty decision rows and files), the days overdue with
 * the surcharge of src/core/money.c, and the settlement file and reconciliation of
 * src/service/fines.c (which need no store).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/decision.h"
#include "core/money.h"
#include "service/fines.h"

static const struct jy_date today = {2026, 11, 30};

/* Check one row given as ten comma-free fields. */
static enum jy_err row(const char *const f[10], struct jy_decision *d, struct jy_error *err)
{
    size_t lens[10];
    for (int i = 0; i < 10; i++)
        lens[i] = strlen(f[i]);
    return jy_decision_check_row(f, lens, today, d, err);
}

static void test_good_row(void **state)
{
    (void)state;
    const char *f[10] = {" 4201-abc ",       "鄂a12345", "02", "11010519491231002x", "13451",
                         "违反禁止标线指示", "20000",    "1",  "2026-11-01",         "2026-11-30"};
    struct jy_decision d;
    struct jy_error err;
    assert_int_equal(row(f, &d, &err), JY_OK);
    assert_string_equal(d.number, "4201-ABC");
    assert_string_equal(d.plate, "鄂A12345");
    assert_string_equal(d.licence_number, "11010519491231002X");
    assert_int_equal(d.fine_fen, 20000);
    assert_int_equal(d.points, 1);
    f[3] = ""; /* no driver named */
    assert_int_equal(row(f, &d, &err), JY_OK);
    assert_string_equal(d.licence_number, "");
}

static void test_bad_rows(void **state)
{
    (void)state;
    static const struct {
        int column;
        const char *value;
        const char *reason, *field;
    } cases[] = {
        {0, "42 01", "bad_decision_number", "decision_number"},
        {0, "", "missing_field", "decision_number"},
        {1, "鄂A1234", "bad_length", "plate"},
        {2, "88", "unknown_plate_type", "plate_type"},
        {2, "52", "plate_type_mismatch", "plate_type"},
        {3, "110105194912310021", "bad_check_character", "licence_number"},
        {4, "134", "bad_violation_code", "violation_code"},
        {4, "13a5", "bad_violation_code", "violation_code"},
        {5, "a\x01z", "bad_description", "description"},
        {6, "200.00", "bad_amount", "fine_fen"},
        {6, "-5", "bad_amount", "fine_fen"},
        {6, "0", "fine_out_of_range", "fine_fen"},
        {6, "20000001", "fine_out_of_range", "fine_fen"},
        {7, "2", "bad_points", "points"},
        {7, "13", "bad_points", "points"},
        {8, "2026-02-30", "bad_date", "decision_date"},
        {8, "2026-12-01", "decision_in_future", "decision_date"},
        {9, "2026-10-31", "deadline_before_decision", "payment_deadline"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *f[10] = {"4201001", "鄂A12345", "02", "",           "1345",
                             "x",       "100",      "1",  "2026-11-01", "2026-11-30"};
        f[cases[i].column] = cases[i].value;
        struct jy_decision d;
        struct jy_error err;
        assert_int_not_equal(row(f, &d, &err), JY_OK);
        assert_string_equal(err.reason, cases[i].reason);
        assert_string_equal(err.field, cases[i].field);
    }
}

static void test_days_and_surcharge(void **state)
{
    (void)state;
    static const struct {
        struct jy_date deadline;
        int days;
        int64_t surcharge;
    } v[] = {
        {{2026, 12, 10}, 0, 0},      {{2026, 11, 30}, 0, 0},      {{2026, 11, 29}, 1, 600},
        {{2026, 11, 20}, 10, 6000},  {{2026, 10, 28}, 33, 19800}, {{2026, 10, 27}, 34, 20000},
        {{2026, 8, 22}, 100, 20000},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        int days = jy_decision_days_overdue(v[i].deadline, today);
        assert_int_equal(days, v[i].days);
        assert_int_equal(jy_money_fine_surcharge(20000, days), v[i].surcharge);
    }
    /* 3% not a whole number of fen: half up */
    assert_int_equal(jy_money_fine_surcharge(17, 1), 1);    /* 0.51 */
    assert_int_equal(jy_money_fine_surcharge(50, 1), 2);    /* 1.5 */
    assert_int_equal(jy_money_fine_surcharge(49, 1), 1);    /* 1.47 */
    assert_int_equal(jy_money_fine_surcharge(2017, 1), 61); /* 60.51 */
}

struct collected {
    long lines[8];
    char reasons[8][48];
    int n, good;
};

static bool collect(void *ctx, long line, const struct jy_decision *d,
                    const struct jy_error *row_err)
{
    struct collected *c = ctx;
    if (d) {
        c->good++;
        return true;
    }
    if (c->n < 8) {
        c->lines[c->n] = line;
        snprintf(c->reasons[c->n], sizeof(c->reasons[0]), "%s", row_err->reason);
        c->n++;
    }
    return true;
}

#define HEADER                                                                                     \
    "decision_number,plate,plate_type,licence_number,violation_code,description,fine_fen,points,"  \
    "decision_date,payment_deadline"

static void test_file(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF" HEADER "\r\n"
                               "A1,鄂A12345,02,,1345,\"two\nlines\",100,1,2026-11-01,2026-11-30\r\n"
                               "\r\n"
                               "A2,鄂A1234,02,,1345,x,100,1,2026-11-01,2026-11-30\r\n"
                               "A3,鄂A12345\r\n"
                               "A4,鄂A12345,02,,1345,\"a, b\",100,1,2026-11-01,2026-11-30\r\n";
    struct collected c = {0};
    struct jy_error err;
    assert_int_equal(jy_decision_csv_read(text, sizeof(text) - 1, today, collect, &c, &err), JY_OK);
    assert_int_equal(c.good, 1);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.lines[0], 2); /* a description is one line */
    assert_string_equal(c.reasons[0], "bad_description");
    assert_int_equal(c.lines[1], 5); /* the quoted line break counts */
    assert_string_equal(c.reasons[1], "bad_length");
    assert_int_equal(c.lines[2], 6);
    assert_string_equal(c.reasons[2], "bad_field_count");

    static const char bad_header[] = "decision_number,plate\nA,B\n";
    assert_int_equal(
        jy_decision_csv_read(bad_header, sizeof(bad_header) - 1, today, collect, &c, &err),
        JY_INVALID);
    assert_string_equal(err.reason, "bad_header");
    static const char unterminated[] = HEADER "\nA,\"x\n";
    assert_int_equal(
        jy_decision_csv_read(unterminated, sizeof(unterminated) - 1, today, collect, &c, &err),
        JY_INVALID);
    assert_string_equal(err.reason, "bad_csv");
    assert_int_equal(jy_decision_csv_read("", 0, today, collect, &c, &err), JY_INVALID);
    assert_string_equal(err.reason, "empty");
}

/* A settlement of three payments at two branches, one reversed. */
static struct jy_fines_settlement *settlement(void)
{
    struct jy_fines_settlement *s = calloc(1, sizeof(*s));
    s->payments = calloc(3, sizeof(*s->payments));
    s->branches = calloc(3, sizeof(*s->branches));
    snprintf(s->date, sizeof(s->date), "2026-11-30");
    static const struct {
        const char *number, *branch;
        int64_t branch_id, fine, surcharge;
        bool reversed;
    } p[] = {{"D1", "WH001", 1, 20000, 600, false},
             {"D2", "WH001", 1, 100, 0, true},
             {"D3", "WH002", 2, 5000, 5000, false}};
    for (int i = 0; i < 3; i++) {
        struct jy_store_fine_payment *x = &s->payments[i];
        x->id = i + 1;
        snprintf(x->decision_number, sizeof(x->decision_number), "%s", p[i].number);
        snprintf(x->branch_code, sizeof(x->branch_code), "%s", p[i].branch);
        snprintf(x->branch_name, sizeof(x->branch_name), "网点, \"%d\"", i);
        snprintf(x->method, sizeof(x->method), "cash");
        snprintf(x->plate, sizeof(x->plate), "鄂A12345");
        x->branch_id = p[i].branch_id;
        x->fine_fen = p[i].fine;
        x->surcharge_fen = p[i].surcharge;
        x->amount_fen = p[i].fine + p[i].surcharge;
        x->reversed_at = p[i].reversed ? 1 : 0;
        s->n_payments++;
        if (p[i].reversed) {
            s->reversed++;
            continue;
        }
        s->count++;
        s->amount_fen += x->amount_fen;
        s->fine_fen += x->fine_fen;
        s->surcharge_fen += x->surcharge_fen;
    }
    s->n_branches = 2;
    snprintf(s->branches[0].code, sizeof(s->branches[0].code), "WH001");
    s->branches[0].count = 1;
    s->branches[0].amount_fen = 20600;
    snprintf(s->branches[1].code, sizeof(s->branches[1].code), "WH002");
    s->branches[1].count = 1;
    s->branches[1].amount_fen = 10000;
    return s;
}

static void test_settlement_csv(void **state)
{
    (void)state;
    struct jy_fines_settlement *s = settlement();
    char *csv = NULL;
    size_t len = 0;
    struct jy_error err;
    assert_int_equal(jy_fines_settlement_csv(s, &csv, &len, &err), JY_OK);
    assert_int_equal(strlen(csv), len);
    /* The last line is the SHA-256 of every byte before it. */
    char *last = csv + len - 2;
    while (last > csv && last[-1] != '\n')
        last--;
    assert_memory_equal(last, "sha256,", 7);
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)csv, (size_t)(last - csv));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    assert_memory_equal(last + 7, hex, 64);
    assert_string_equal(last + 7 + 64, "\r\n");
    assert_non_null(strstr(csv, "\r\npayment,2026-11-30,WH001,\"网点, \"\"0\"\"\",1,D1,"));
    /* The reversed payment is listed as such, after the payments in force, and in no total. */
    const char *at = strstr(csv, ",D2,");
    assert_non_null(at);
    assert_null(strstr(at + 1, ",D2,")); /* once */
    const char *d2 = at;
    while (d2 > csv && d2[-1] != '\n')
        d2--;
    assert_memory_equal(d2, "reversed,2026-11-30,", 20);
    assert_true(d2 > strstr(csv, ",D1,"));
    assert_non_null(strstr(csv, "\r\ntotal,2026-11-30,,,2,,,,,,,,,25000,5600,30600\r\n"));
    free(csv);
    jy_fines_settlement_free(s);
}

static void test_reconcile(void **state)
{
    (void)state;
    struct jy_fines_settlement *s = settlement();
    static const char conf[] = "decision_number,amount_fen\n"
                               "d3,9999\n" /* amount differs */
                               "D9,100\n"  /* not ours */
                               "D2,100\n"  /* reversed here */
                               "bad number,1\n";
    struct jy_fines_reconciliation *r = NULL;
    struct jy_error err;
    assert_int_equal(jy_fines_reconcile(s, conf, sizeof(conf) - 1, &r, &err), JY_OK);
    assert_int_equal(r->n_matched, 0);
    assert_int_equal(r->n_missing, 1); /* D3 is in their file, with another amount */
    assert_string_equal(r->missing[0].decision_number, "D1");
    assert_int_equal(r->n_unexpected, 3);
    assert_string_equal(r->unexpected[0].reason, "amount_differs");
    assert_int_equal(r->unexpected[0].our_amount_fen, 10000);
    assert_string_equal(r->unexpected[1].reason, "not_paid_that_day");
    assert_string_equal(r->unexpected[2].decision_number, "D2");
    assert_int_equal(r->n_bad, 1);
    assert_int_equal(r->bad[0].line, 5);
    jy_fines_reconciliation_free(r);

    static const char all[] = "decision_number,amount_fen\nD1,20600\nD3,10000\nD3,10000\n";
    assert_int_equal(jy_fines_reconcile(s, all, sizeof(all) - 1, &r, &err), JY_OK);
    assert_int_equal(r->n_matched, 2);
    assert_int_equal(r->n_missing, 0);
    assert_int_equal(r->n_unexpected, 1);
    assert_string_equal(r->unexpected[0].reason, "duplicate");
    jy_fines_reconciliation_free(r);
    jy_fines_settlement_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_row),           cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_days_and_surcharge), cmocka_unit_test(test_file),
        cmocka_unit_test(test_settlement_csv),     cmocka_unit_test(test_reconcile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
