/*
 * api_print.c — printed paper and the day's exports.
 *
 *   GET /api/v1/applications/{number}/receipt.pdf?format=a5|80mm  → 200 application/pdf
 *   GET /api/v1/applications/{number}/label.pdf                   → 200 application/pdf
 *                                                                 → 409 not_sealed
 *   GET /api/v1/manifests/outbound.pdf?date=YYYY-MM-DD             → 200 application/pdf
 *   GET /api/v1/receipts/verify?r=TOKEN   (public, rate-limited)   → 200 {"genuine", …}
 *   GET /api/v1/reports/daily.xlsx?date=YYYY-MM-DD                 → 200 XLSX
 *   GET /api/v1/reports/daily.csv?date=YYYY-MM-DD&table=applications|stations → 200 CSV
 *
 * PDFs are sent inline (the browser shows them, and prints from there), the exports as
 * attachments; every file name carries the number or the date. A date left out is today in
 * Asia/Shanghai. Who may ask is decided by the use cases (service/receipts.h, reports.h).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "service/receipts.h"
#include "service/reports.h"
#include "../banned.h"

/* Send `data` (`len` bytes, taken) as `type`, with Content-Disposition `disposition` and file
 * name `name`. */
static void send_file(struct jy_http_response *res, const char *type, const char *disposition,
                      const char *name, unsigned char *data, size_t len)
{
    char value[128];
    struct jy_error err;
    snprintf(value, sizeof(value), "%s; filename=\"%s\"", disposition, name);
    if (jy_http_response_header(res, "Content-Disposition", value, &err) != JY_OK) {
        free(data);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, type, data, len);
}

/* The `date` query parameter, or today in Asia/Shanghai when absent. False with the 400
 * answered when it is not a date. */
static bool query_date(struct jy_http_request *req, struct jy_http_response *res,
                       struct jy_date *ret)
{
    const char *s = jy_http_request_query(req, "date");
    if (!s) {
        *ret = jy_date_from_unix_shanghai(jy_service_now(jy_api_service(req)));
        return true;
    }
    struct jy_error err;
    if (strlen(s) != 10 || jy_date_parse(s, 10, ret, &err) != JY_OK) {
        jy_http_response_fail(res, JY_INVALID, "invalid_date", "date",
                              "date must be a calendar date YYYY-MM-DD");
        return false;
    }
    return true;
}

void jy_api_receipt_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *f = jy_http_request_query(req, "format");
    enum jy_receipt_format format = JY_RECEIPT_A5;
    if (f && strcmp(f, "80mm") == 0) {
        format = JY_RECEIPT_ROLL_80MM;
    } else if (f && strcmp(f, "a5") != 0) {
        jy_http_response_fail(res, JY_INVALID, "bad_parameter", "format", "format is a5 or 80mm");
        return;
    }
    struct jy_error err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char number[JY_APP_NUMBER_SIZE];
    if (jy_receipts_receipt_pdf(jy_api_service(req), jy_api_actor(req),
                                jy_http_request_param(req, "number"), format, &pdf, &len, number,
                                &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char name[64];
    snprintf(name, sizeof(name), "receipt-%s.pdf", number);
    send_file(res, "application/pdf", "inline", name, pdf, len);
}

void jy_api_label_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char number[JY_APP_NUMBER_SIZE];
    if (jy_receipts_label_pdf(jy_api_service(req), jy_api_actor(req),
                              jy_http_request_param(req, "number"), &pdf, &len, number,
                              &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char name[64];
    snprintf(name, sizeof(name), "label-%s.pdf", number);
    send_file(res, "application/pdf", "inline", name, pdf, len);
}

void jy_api_outbound_manifest_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_date day;
    if (!query_date(req, res, &day))
        return;
    struct jy_error err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (jy_receipts_outbound_manifest_pdf(jy_api_service(req), jy_api_actor(req), day, &pdf, &len,
                                          &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char name[64], ymd[JY_DATE_TEXT_SIZE];
    snprintf(name, sizeof(name), "outbound-%s.pdf", jy_date_format(day, ymd));
    send_file(res, "application/pdf", "inline", name, pdf, len);
}

void jy_api_receipt_verify(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *r = jy_http_request_query(req, "r");
    if (!r || !*r) {
        jy_http_response_fail(res, JY_INVALID, "missing_field", "r",
                              "r (the token of the receipt's QR code) is required");
        return;
    }
    struct jy_error err;
    struct jy_receipt_check c;
    if (jy_receipts_verify(jy_api_service(req), r, strlen(r), &c, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if (c.verdict != JY_RECEIPT_GENUINE) {
        jy_http_response_json(
            res, 200,
            json_pack("{s:b, s:s, s:s, s:s}", "genuine", 0, "reason",
                      c.verdict == JY_RECEIPT_MALFORMED ? "malformed" : "bad_signature",
                      "message_zh", "非本中心出具", "message_en", "Not issued by this centre"));
        return;
    }
    static const char *const records[] = {"matches", "differs", "missing"};
    const char *zh = "本中心出具的真实回执";
    const char *en = "Genuine receipt of this centre";
    if (c.record == JY_RECEIPT_RECORD_DIFFERS) {
        zh = "本中心出具的真实回执，但与业务记录不一致，请到受理网点核实";
        en = "Genuine receipt of this centre, but it differs from our records: please ask "
             "at the branch";
    } else if (c.record == JY_RECEIPT_RECORD_MISSING) {
        zh = "本中心出具的真实回执，但未找到该业务记录，请到受理网点核实";
        en = "Genuine receipt of this centre, but no application has this number: please "
             "ask at the branch";
    }
    char ymd[JY_DATE_TEXT_SIZE];
    json_t *differs = json_array();
    if (differs && c.fee_differs)
        json_array_append_new(differs, json_string("fee"));
    if (differs && c.date_differs)
        json_array_append_new(differs, json_string("date"));
    jy_http_response_json(res, 200,
                          json_pack("{s:b, s:s, s:s, s:I, s:s, s:o, s:s, s:s}", "genuine", 1,
                                    "number", c.claim.number, "date",
                                    jy_date_format(c.claim.date, ymd), "fee_fen",
                                    (json_int_t)c.claim.fee_fen, "record", records[c.record],
                                    "differs", differs, "message_zh", zh, "message_en", en));
}

static void daily(struct jy_http_request *req, struct jy_http_response *res,
                  enum jy_report_format format)
{
    struct jy_date day;
    if (!query_date(req, res, &day))
        return;
    enum jy_export_table table = JY_EXPORT_APPLICATIONS;
    const char *t = jy_http_request_query(req, "table");
    if (format == JY_REPORT_CSV && t && strcmp(t, "stations") == 0) {
        table = JY_EXPORT_STATIONS;
    } else if (format == JY_REPORT_CSV && t && strcmp(t, "applications") != 0) {
        jy_http_response_fail(res, JY_INVALID, "bad_parameter", "table",
                              "table is applications or stations");
        return;
    }
    struct jy_error err;
    unsigned char *data = NULL;
    size_t len = 0;
    if (jy_report_daily(jy_api_service(req), jy_api_actor(req), day, format, table, &data, &len,
                        &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char name[64], ymd[JY_DATE_TEXT_SIZE];
    jy_date_format(day, ymd);
    if (format == JY_REPORT_XLSX) {
        snprintf(name, sizeof(name), "daily-%s.xlsx", ymd);
        send_file(res, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "attachment", name, data, len);
    } else {
        snprintf(name, sizeof(name), "daily-%s-%s.csv", ymd,
                 table == JY_EXPORT_STATIONS ? "stations" : "applications");
        send_file(res, "text/csv; charset=utf-8", "attachment", name, data, len);
    }
}

void jy_api_daily_xlsx(struct jy_http_request *req, struct jy_http_response *res)
{
    daily(req, res, JY_REPORT_XLSX);
}

void jy_api_daily_csv(struct jy_http_request *req, struct jy_http_response *res)
{
    daily(req, res, JY_REPORT_CSV);
}
