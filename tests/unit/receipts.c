/*
 * Tests of src/service/receipts.c and reports.c, and of what they need from src/store/reports.c
 * and src/service/service.c: the receipt check against the record (matches, fee or date
 * differs, missing, forged), a service without a key, who may print labels, manifests and
 * reports, the label only once sealed, the station figures, the key directory beside the
 * database and the public URL's checks. The documents themselves are read back by
 * tests/cli/print_http.sh.
 */
#include "flow_fixture.h"

#include "core/s10.h"
#include "render/pdf.h"
#include "service/receipts.h"
#include "service/reports.h"
#include "store/reports.h"

/* The fixture's city, reopened with a signing key in <dir>/keys. */
static int setup(void **state)
{
    flow_setup(state);
    struct flow *f = *state;
    char keys[400];
    snprintf(keys, sizeof(keys), "%s/keys", f->dir);
    struct jy_error err;
    bool created = false;
    assert_int_equal(jy_receipt_sign_keys_ensure(keys, &created, &err), JY_OK);
    assert_true(created);
    jy_service_close(f->svc);
    char docs[400];
    snprintf(docs, sizeof(docs), "%s/documents", f->dir);
    struct jy_service_config cfg = {.db_path = f->db,
                                    .documents_dir = docs,
                                    .keys_dir = keys,
                                    .public_url = "https://jy.example.cn/"};
    if (jy_service_open(&cfg, &f->svc, &err) != JY_OK)
        fail_msg("open: %s", err.message);
    assert_int_equal(jy_service_conn(f->svc, &f->conn, &err), JY_OK);
    return 0;
}

/* A signed token for `number` as the receipt would carry it, with `fee` and `date`. */
static char *token(struct flow *f, const char *number, struct jy_date date, int64_t fee)
{
    char url[300];
    struct jy_error err;
    char *p = NULL;
    assert_int_equal(jy_receipts_tracking_url(f->svc, number, url, sizeof(url), &err), JY_OK);
    assert_int_equal(
        jy_receipt_sign_payload(jy_service_receipt_key(f->svc), url, number, date, fee, &p, &err),
        JY_OK);
    return p;
}

static struct jy_date accepted_day(struct flow *f)
{
    return jy_date_from_unix_shanghai(jy_service_now(f->svc) - 3600);
}

static void test_verify(void **state)
{
    struct flow *f = *state;
    char number[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, number);
    struct jy_date day = accepted_day(f);
    struct jy_receipt_check c;
    struct jy_error err;

    char *p = token(f, number, day, 3000);
    char want[300];
    snprintf(want, sizeof(want), "https://jy.example.cn/track.html?number=%s&r=%s.", number,
             number);
    assert_memory_equal(p, want, strlen(want));
    assert_int_equal(jy_receipts_verify(f->svc, p, strlen(p), &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_GENUINE);
    assert_int_equal(c.record, JY_RECEIPT_RECORD_MATCHES);
    assert_string_equal(c.claim.number, number);
    assert_int_equal(c.claim.fee_fen, 3000);
    /* The bare token, as the tracking page passes it on. */
    const char *bare = strstr(p, "r=") + 2;
    assert_int_equal(jy_receipts_verify(f->svc, bare, strlen(bare), &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_GENUINE);
    /* One byte of the signature changed. */
    size_t n = strlen(p);
    p[n - 10] = p[n - 10] == 'A' ? 'B' : 'A';
    assert_int_equal(jy_receipts_verify(f->svc, p, n, &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_BAD_SIGNATURE);
    free(p);

    /* Genuine, but the record says another fee, another date. */
    p = token(f, number, day, 3100);
    assert_int_equal(jy_receipts_verify(f->svc, p, strlen(p), &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_GENUINE);
    assert_int_equal(c.record, JY_RECEIPT_RECORD_DIFFERS);
    assert_true(c.fee_differs);
    assert_false(c.date_differs);
    free(p);
    p = token(f, number, jy_date_from_days(jy_date_to_days(day) - 1), 3000);
    assert_int_equal(jy_receipts_verify(f->svc, p, strlen(p), &c, &err), JY_OK);
    assert_int_equal(c.record, JY_RECEIPT_RECORD_DIFFERS);
    assert_false(c.fee_differs);
    assert_true(c.date_differs);
    free(p);

    /* Genuine, for a number no application has. */
    struct jy_appno no;
    uint32_t seq = 900;
    while (jy_appno_make("WH", day, ++seq, &no, &err) != JY_OK)
        ;
    p = token(f, no.text, day, 3000);
    assert_int_equal(jy_receipts_verify(f->svc, p, strlen(p), &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_GENUINE);
    assert_int_equal(c.record, JY_RECEIPT_RECORD_MISSING);
    free(p);

    assert_int_equal(jy_receipts_verify(f->svc, "nonsense", 8, &c, &err), JY_OK);
    assert_int_equal(c.verdict, JY_RECEIPT_MALFORMED);
}

static void test_receipt_scope(void **state)
{
    struct flow *f = *state;
    char number[24], got[JY_APP_NUMBER_SIZE];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, number);
    unsigned char *pdf = NULL;
    size_t len = 0;
    struct jy_error err;
    assert_int_equal(
        jy_receipts_receipt_pdf(f->svc, &f->clerk, number, JY_RECEIPT_A5, &pdf, &len, got, &err),
        JY_OK);
    assert_memory_equal(pdf, "%PDF-", 5);
    assert_string_equal(got, number);
    free(pdf);
    pdf = NULL;
    assert_int_equal(jy_receipts_receipt_pdf(f->svc, &f->clerk2, number, JY_RECEIPT_ROLL_80MM, &pdf,
                                             &len, got, &err),
                     JY_FORBIDDEN);
    assert_string_equal(err.reason, "out_of_scope");
    assert_null(pdf);
    assert_int_equal(
        jy_receipts_receipt_pdf(f->svc, &f->clerk, "WH-NOPE", JY_RECEIPT_A5, &pdf, &len, got, &err),
        JY_INVALID);
}

static void test_label(void **state)
{
    struct flow *f = *state;
    char waiting[24], sealed[24], waybill[JY_S10_LENGTH + 1];
    struct jy_error err;
    assert_int_equal(jy_s10_format("EA", 10000001, "CN", waybill, &err), JY_OK);
    flow_insert(f, "D01", "at_station", "dispatch", "2026-12-03", 3000, NULL, waiting);
    flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, waybill, sealed);
    unsigned char *pdf = NULL;
    size_t len = 0;
    char got[JY_APP_NUMBER_SIZE];
    const struct jy_actor *may[] = {&f->dispatch, &f->police, &f->logistics};
    const struct jy_actor *may_not[] = {&f->clerk, &f->review, &f->manager, &f->admin};
    for (size_t i = 0; i < sizeof(may) / sizeof(may[0]); i++) {
        assert_int_equal(jy_receipts_label_pdf(f->svc, may[i], sealed, &pdf, &len, got, &err),
                         JY_OK);
        assert_memory_equal(pdf, "%PDF-", 5);
        free(pdf);
        pdf = NULL;
    }
    for (size_t i = 0; i < sizeof(may_not) / sizeof(may_not[0]); i++) {
        assert_int_equal(jy_receipts_label_pdf(f->svc, may_not[i], sealed, &pdf, &len, got, &err),
                         JY_FORBIDDEN);
        assert_null(pdf);
    }
    assert_int_equal(jy_receipts_label_pdf(f->svc, &f->dispatch, waiting, &pdf, &len, got, &err),
                     JY_CONFLICT);
    assert_string_equal(err.reason, "not_sealed");
    assert_null(pdf);
}

static void test_manifest(void **state)
{
    struct flow *f = *state;
    char sealed[24], waybill[JY_S10_LENGTH + 1];
    struct jy_error err;
    assert_int_equal(jy_s10_format("EA", 10000002, "CN", waybill, &err), JY_OK);
    flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, waybill, sealed);
    struct jy_date day = accepted_day(f);
    int64_t from, to, n = 0;
    jy_receipts_day_range(day, &from, &to);
    assert_int_equal(to - from, 86400);
    assert_true(jy_date_compare(jy_date_from_unix_shanghai(from), day) == 0);
    assert_true(jy_date_compare(jy_date_from_unix_shanghai(to - 1), day) == 0);
    assert_true(jy_date_compare(jy_date_from_unix_shanghai(to), day) > 0);
    n = flow_int(f, "SELECT count(*) FROM events WHERE to_state = 'sealed'");
    assert_int_equal(n, 1);
    unsigned char *pdf = NULL;
    size_t len = 0;
    const struct jy_actor *may[] = {&f->dispatch, &f->police, &f->logistics, &f->manager};
    for (size_t i = 0; i < sizeof(may) / sizeof(may[0]); i++) {
        assert_int_equal(jy_receipts_outbound_manifest_pdf(f->svc, may[i], day, &pdf, &len, &err),
                         JY_OK);
        assert_memory_equal(pdf, "%PDF-", 5);
        free(pdf);
        pdf = NULL;
    }
    const struct jy_actor *may_not[] = {&f->clerk, &f->review, &f->admin};
    for (size_t i = 0; i < sizeof(may_not) / sizeof(may_not[0]); i++)
        assert_int_equal(
            jy_receipts_outbound_manifest_pdf(f->svc, may_not[i], day, &pdf, &len, &err),
            JY_FORBIDDEN);
    assert_null(pdf);
}

static void test_reports(void **state)
{
    struct flow *f = *state;
    char a[24], b[24], c[24];
    flow_insert(f, "D01", "at_station", "review", "2000-01-03", 3000, NULL, a); /* overdue */
    flow_insert(f, "D01", "at_station", "review", "2999-01-03", 3000, NULL, b);
    flow_insert(f, "D01", "at_station", "print", "2999-01-03", 3000, NULL, c);
    struct jy_date day = accepted_day(f);
    int64_t from, to;
    jy_receipts_day_range(day, &from, &to);
    char today[JY_DATE_TEXT_SIZE];
    jy_date_format(jy_date_from_unix_shanghai(jy_service_now(f->svc)), today);
    struct jy_store_station_figures fig;
    struct jy_error err;
    assert_int_equal(jy_store_report_station(f->conn, "review", today, from, to, &fig, &err),
                     JY_OK);
    assert_int_equal(fig.waiting, 2);
    assert_int_equal(fig.overdue, 1);
    assert_int_equal(fig.completed, 0);
    assert_int_equal(jy_store_report_station(f->conn, "print", today, from, to, &fig, &err), JY_OK);
    assert_int_equal(fig.waiting, 1);
    assert_int_equal(fig.overdue, 0);

    unsigned char *out = NULL;
    size_t len = 0;
    const struct jy_actor *may[] = {&f->manager, &f->police, &f->admin};
    for (size_t i = 0; i < sizeof(may) / sizeof(may[0]); i++) {
        assert_int_equal(jy_report_daily(f->svc, may[i], day, JY_REPORT_XLSX,
                                         JY_EXPORT_APPLICATIONS, &out, &len, &err),
                         JY_OK);
        assert_memory_equal(out, "PK", 2);
        free(out);
        out = NULL;
    }
    assert_int_equal(jy_report_daily(f->svc, &f->manager, day, JY_REPORT_CSV,
                                     JY_EXPORT_APPLICATIONS, &out, &len, &err),
                     JY_OK);
    /* BOM, header, three rows. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, 4);
    free(out);
    out = NULL;
    const struct jy_actor *may_not[] = {&f->clerk, &f->dispatch, &f->logistics, &f->review};
    for (size_t i = 0; i < sizeof(may_not) / sizeof(may_not[0]); i++)
        assert_int_equal(jy_report_daily(f->svc, may_not[i], day, JY_REPORT_CSV, JY_EXPORT_STATIONS,
                                         &out, &len, &err),
                         JY_FORBIDDEN);
    assert_null(out);
}

static void test_no_key(void **state)
{
    struct flow *f = *state;
    jy_service_close(f->svc);
    char docs[400];
    snprintf(docs, sizeof(docs), "%s/documents", f->dir);
    struct jy_service_config cfg = {.db_path = f->db, .documents_dir = docs};
    struct jy_error err;
    assert_int_equal(jy_service_open(&cfg, &f->svc, &err), JY_OK);
    assert_int_equal(jy_service_conn(f->svc, &f->conn, &err), JY_OK);
    assert_null(jy_service_receipt_key(f->svc));
    char number[24], got[JY_APP_NUMBER_SIZE];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, number);
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(
        jy_receipts_receipt_pdf(f->svc, &f->clerk, number, JY_RECEIPT_A5, &pdf, &len, got, &err),
        JY_CONFLICT);
    assert_string_equal(err.reason, "no_receipt_key");
    struct jy_receipt_check c;
    assert_int_equal(jy_receipts_verify(f->svc, "r=x", 3, &c, &err), JY_CONFLICT);
}

static void test_keys_dir_and_url(void **state)
{
    struct flow *f = *state;
    char buf[64];
    struct jy_error err;
    assert_int_equal(jy_service_keys_dir("a/b/j.db", buf, sizeof(buf), &err), JY_OK);
    assert_string_equal(buf, "a/b/keys");
    assert_int_equal(jy_service_keys_dir("j.db", buf, sizeof(buf), &err), JY_OK);
    assert_string_equal(buf, "./keys");
    assert_int_equal(jy_service_keys_dir("/j.db", buf, sizeof(buf), &err), JY_OK);
    assert_string_equal(buf, "/keys");
    assert_int_equal(jy_service_keys_dir(NULL, buf, sizeof(buf), &err), JY_OK);
    assert_string_equal(buf, "var/keys");
    assert_int_equal(jy_service_keys_dir("a/b/j.db", buf, 5, &err), JY_TOO_LONG);

    assert_string_equal(jy_service_public_url(f->svc), "https://jy.example.cn");
    const char *bad[] = {"",           "/",          "ftp://x",     "http://a b",
                         "http://x#y", "http://x?y", "http://é.cn", "jy.example.cn"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(jy_service_set_public_url(f->svc, bad[i], &err), JY_INVALID);
        assert_string_equal(jy_service_public_url(f->svc), "https://jy.example.cn");
    }
    assert_int_equal(jy_service_set_public_url(f->svc, "http://10.0.0.1:8080//", &err), JY_OK);
    assert_string_equal(jy_service_public_url(f->svc), "http://10.0.0.1:8080");
    assert_int_equal(jy_service_set_public_url(f->svc, "http://10.0.0.2", &err), JY_OK);
    assert_string_equal(jy_service_public_url(f->svc), "http://10.0.0.2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_receipt_scope, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_label, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_manifest, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_reports, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_no_key, setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_keys_dir_and_url, setup, flow_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    jy_pdf_shutdown(); /* so that the leak checker sees a clean heap */
    return failed;
}
