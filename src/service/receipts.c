/*
 * receipts.c — receipts, labels, the outbound manifest and the receipt check: see receipts.h.
 */
#include "receipts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/catalog.h"
#include "limits.h"
#include "render/label.h"
#include "render/manifest.h"
#include "service/query.h"
#include "store/reports.h"
#include "store/settings.h"
#include "store/users.h"
#include "store/workflow.h"
#include "../banned.h"

#define CENTRE_NAME_SIZE 256

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

void jy_receipts_day_range(struct jy_date day, int64_t *ret_from, int64_t *ret_to)
{
    int64_t start = jy_date_to_days(day) * 86400 - 8 * 3600;
    *ret_from = start;
    *ret_to = start + 86400;
}

enum jy_err jy_receipts_centre_name(struct jy_service *svc, struct jy_store_conn *conn, char *ret,
                                    size_t size, struct jy_error *err)
{
    struct jy_error e2;
    enum jy_err e = jy_store_setting_get(conn, "centre_name_zh", ret, size, &e2);
    if (e == JY_OK && ret[0])
        return JY_OK;
    if (e != JY_OK && e != JY_NOT_FOUND && e != JY_TOO_LONG) {
        if (err)
            *err = e2;
        return e;
    }
    snprintf(ret, size, "%s 车驾管业务邮政代办中心", jy_service_centre_code(svc));
    return JY_OK;
}

enum jy_err jy_receipts_tracking_url(const struct jy_service *svc, const char *number, char *ret,
                                     size_t size, struct jy_error *err)
{
    int n = snprintf(ret, size, "%s/track.html?number=%s", jy_service_public_url(svc), number);
    if (n < 0 || (size_t)n >= size)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "tracking URL too long");
    return JY_OK;
}

static void display_number(const char *number, char ret[JY_APPNO_DISPLAY_SIZE])
{
    struct jy_appno no;
    if (jy_appno_parse(number, strlen(number), &no, NULL) == JY_OK)
        jy_appno_display(&no, ret);
    else
        jy_strlcpy(ret, number, JY_APPNO_DISPLAY_SIZE);
}

static const struct jy_business_type *type_of(const struct jy_service *svc, const char *code,
                                              struct jy_error *err)
{
    const struct jy_business_type *t = jy_catalog_find(jy_service_catalog(svc), code, strlen(code));
    if (!t)
        jy_error_set(err, JY_INTERNAL, "unknown_business_type", NULL,
                     "business type %s is not in the catalog", code);
    return t;
}

/* What happens next, by the kind of business (Chinese, then English). */
static const char *next_steps(const struct jy_business_type *t)
{
    if (t->counter_only)
        return "本业务已在柜台办结，请妥善保管本回执。\n"
               "This business was completed at the counter. Please keep this receipt.";
    if (t->delivery == JY_DELIVERY_EMS)
        return "您的材料将送至车管业务处理中心办理，办结后由EMS邮寄至您登记的地址。"
               "扫描二维码可查询办理进度，并核验本回执的真伪。\n"
               "Your application goes to the processing centre; the result is sent by EMS to "
               "the address you gave. Scan the QR code to follow it and to check this receipt.";
    return "办结后请凭本回执到受理网点领取。扫描二维码可查询办理进度，并核验本回执的真伪。\n"
           "Collect the result at this branch with this receipt once it is ready. Scan the QR "
           "code to follow it and to check this receipt.";
}

enum jy_err jy_receipts_receipt_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                    const char *number, enum jy_receipt_format format,
                                    unsigned char **ret, size_t *ret_len,
                                    char ret_number[JY_APP_NUMBER_SIZE], struct jy_error *err)
{
    const struct jy_receipt_key *key = jy_service_receipt_key(svc);
    struct jy_store_application *a = malloc(sizeof(*a));
    char *payload = NULL;
    enum jy_err e;
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if ((e = jy_query_get(svc, actor, number, a, err)) != JY_OK)
        goto out;
    if (!key) {
        e = jy_error_set(err, JY_CONFLICT, "no_receipt_key", NULL,
                         "the service has no receipt signing key (run jingyou init)");
        goto out;
    }
    const struct jy_business_type *t = type_of(svc, a->business_type, err);
    if (!t) {
        e = JY_INTERNAL;
        goto out;
    }
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        goto out;
    char centre[CENTRE_NAME_SIZE], clerk[JY_DISPLAY_NAME_MAX + 1];
    if ((e = jy_receipts_centre_name(svc, conn, centre, sizeof(centre), err)) != JY_OK ||
        (e = jy_store_user_display_name(conn, a->clerk_id, clerk, err)) != JY_OK)
        goto out;

    char url[JY_RECEIPT_URL_MAX_BYTES + 1];
    struct jy_date accepted = jy_date_from_unix_shanghai(a->accepted_at);
    if ((e = jy_receipts_tracking_url(svc, a->number, url, sizeof(url), err)) != JY_OK ||
        (e = jy_receipt_sign_payload(key, url, a->number, accepted, a->fee_total_fen, &payload,
                                     err)) != JY_OK)
        goto out;

    struct jy_receipt_name docs[JY_CATALOG_MAX_DOCUMENTS];
    for (size_t i = 0; i < a->document_count; i++) {
        docs[i].zh = a->documents[i];
        docs[i].en = NULL;
        for (size_t j = 0; j < t->document_count; j++)
            if (is(t->documents[j].code, a->documents[i])) {
                docs[i].zh = t->documents[j].name_zh;
                docs[i].en = t->documents[j].name_en;
            }
    }
    struct jy_receipt_fee fees[JY_CATALOG_MAX_FEES];
    for (size_t i = 0; i < a->fee_count; i++) {
        fees[i].name.zh = a->fees[i].name;
        fees[i].name.en = NULL;
        fees[i].amount_fen = a->fees[i].amount_fen;
        for (size_t j = 0; j < t->fee_count; j++)
            if (is(t->fees[j].code, a->fees[i].code))
                fees[i].name.en = t->fees[j].name_en;
    }
    struct jy_date due = {0, 0, 0};
    if (!t->counter_only && a->due_date[0])
        (void)jy_date_parse(a->due_date, strlen(a->due_date), &due, NULL);
    char display[JY_APPNO_DISPLAY_SIZE];
    display_number(a->number, display);

    struct jy_receipt r = {
        .centre_name = centre,
        .branch_name = a->branch_name_zh,
        .number = a->number,
        .display_number = display,
        .qr_payload = payload,
        .business_code = t->code,
        .business = {t->name_zh, t->name_en},
        .applicant_name = a->applicant_name,
        .documents = docs,
        .document_count = a->document_count,
        .fees = fees,
        .fee_count = a->fee_count,
        .expected_delivery = due,
        .next_steps = next_steps(t),
        .clerk = clerk,
        .accepted_at = a->accepted_at,
    };
    if ((e = jy_render_receipt(&r, format, ret, ret_len, err)) != JY_OK)
        goto out;
    jy_strlcpy(ret_number, a->number, JY_APP_NUMBER_SIZE);
out:
    free(payload);
    free(a);
    return e;
}

/* Sealed, or further along the delivery. */
static bool sealed_or_later(const char *state)
{
    return is(state, "sealed") || is(state, "shipped") || is(state, "delivered") ||
           is(state, "delivery_failed") || is(state, "returned");
}

static bool may_dispatch(const struct jy_actor *actor)
{
    return actor->role == JY_ROLE_SUPERVISOR || actor->role == JY_ROLE_LOGISTICS ||
           (actor->role == JY_ROLE_OPERATOR &&
            (actor->stations & (1u << JY_STATION_DISPATCH)) != 0);
}

/* What is inside the envelope, by the business type's output. */
static const char *contents_of(enum jy_catalog_output o)
{
    switch (o) {
    case JY_OUTPUT_LICENCE_CARD:
        return "机动车驾驶证";
    case JY_OUTPUT_PLATE:
        return "机动车号牌";
    case JY_OUTPUT_VEHICLE_LICENCE:
        return "机动车行驶证";
    case JY_OUTPUT_REGISTRATION_CERTIFICATE:
        return "机动车登记证书";
    case JY_OUTPUT_INSPECTION_STICKER:
        return "检验合格标志";
    case JY_OUTPUT_DECISION:
        return "处理决定书";
    default:
        return NULL;
    }
}

enum jy_err jy_receipts_label_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                  const char *number, unsigned char **ret, size_t *ret_len,
                                  char ret_number[JY_APP_NUMBER_SIZE], struct jy_error *err)
{
    if (!may_dispatch(actor))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only dispatch, logistics and supervisors print envelope labels");
    char compact[JY_APP_NUMBER_SIZE];
    enum jy_err e = jy_query_parse_number(number, compact, err);
    if (e != JY_OK)
        return e;
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK ||
        (e = jy_store_application_by_number(conn, compact, a, err)) != JY_OK)
        goto out;
    if (!sealed_or_later(a->state) || !a->waybill[0]) {
        e = jy_error_set(err, JY_CONFLICT, "not_sealed", NULL,
                         "the application is %s: a label is printed once it is sealed", a->state);
        goto out;
    }
    const struct jy_business_type *t = type_of(svc, a->business_type, err);
    if (!t) {
        e = JY_INTERNAL;
        goto out;
    }
    char centre[CENTRE_NAME_SIZE];
    if ((e = jy_receipts_centre_name(svc, conn, centre, sizeof(centre), err)) != JY_OK)
        goto out;
    char display[JY_APPNO_DISPLAY_SIZE];
    display_number(a->number, display);
    struct jy_label l = {
        .item_number = a->waybill,
        .recipient = a->delivery_recipient,
        .mobile = a->delivery_mobile,
        .address = a->delivery_address,
        .postcode = a->delivery_postcode[0] ? a->delivery_postcode : NULL,
        .sender_name = centre,
        .application_number = display,
        .contents = contents_of(t->output),
        .date = jy_date_from_unix_shanghai(jy_service_now(svc)),
    };
    if ((e = jy_render_label(&l, ret, ret_len, err)) != JY_OK)
        goto out;
    jy_strlcpy(ret_number, a->number, JY_APP_NUMBER_SIZE);
out:
    free(a);
    return e;
}

/* ---- the outbound manifest ---- */

struct item_text {
    char waybill[JY_APP_WAYBILL_SIZE];
    char printed[24]; /* "EA 123 456 785 CN" */
    char display[JY_APPNO_DISPLAY_SIZE];
    const char *business_name; /* borrowed from the catalog */
};

struct sealed_ctx {
    struct jy_service *svc;
    struct jy_store_conn *conn;
    int64_t *ids;
    size_t count, cap;
    bool too_many, nomem;
};

static bool sealed_add(void *p, int64_t id, int64_t sealed_at)
{
    (void)sealed_at;
    struct sealed_ctx *c = p;
    if (c->count >= JY_MANIFEST_MAX_ITEMS) {
        c->too_many = true;
        return false;
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        int64_t *n = realloc(c->ids, cap * sizeof(*n));
        if (!n) {
            c->nomem = true;
            return false;
        }
        c->ids = n;
        c->cap = cap;
    }
    c->ids[c->count++] = id;
    return true;
}

enum jy_err jy_receipts_outbound_manifest_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                              struct jy_date day, unsigned char **ret,
                                              size_t *ret_len, struct jy_error *err)
{
    if (!may_dispatch(actor) && actor->role != JY_ROLE_MANAGER)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only dispatch, logistics, supervisors and managers print the "
                            "outbound manifest");
    struct sealed_ctx c = {.svc = svc};
    struct item_text *texts = NULL;
    struct jy_manifest_item *items = NULL;
    struct jy_store_application *a = malloc(sizeof(*a));
    enum jy_err e;
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if ((e = jy_service_conn(svc, &c.conn, err)) != JY_OK)
        goto out;
    int64_t from, to;
    jy_receipts_day_range(day, &from, &to);
    if ((e = jy_store_report_sealed(c.conn, from, to, sealed_add, &c, err)) != JY_OK)
        goto out;
    if (c.nomem) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    if (c.too_many) {
        e = jy_error_set(err, JY_RANGE, "too_many", NULL, "more than %d items were sealed that day",
                         JY_MANIFEST_MAX_ITEMS);
        goto out;
    }
    size_t n = c.count ? c.count : 1;
    texts = calloc(n, sizeof(*texts));
    items = calloc(n, sizeof(*items));
    if (!texts || !items) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < c.count; i++) {
        if ((e = jy_store_application_by_id(c.conn, c.ids[i], a, err)) != JY_OK)
            goto out;
        if (!a->waybill[0])
            continue; /* sealed once, its waybill since cleared: not in the bag */
        struct item_text *x = &texts[k];
        jy_strlcpy(x->waybill, a->waybill, sizeof(x->waybill));
        snprintf(x->printed, sizeof(x->printed), "%.2s %.3s %.3s %.3s %.2s", a->waybill,
                 a->waybill + 2, a->waybill + 5, a->waybill + 8, a->waybill + 11);
        display_number(a->number, x->display);
        const struct jy_business_type *t =
            jy_catalog_find(jy_service_catalog(svc), a->business_type, strlen(a->business_type));
        x->business_name = t ? t->name_zh : a->business_type;
        items[k] = (struct jy_manifest_item){
            .barcode = x->waybill,
            .number = x->printed,
            .reference = x->display,
            .business_name = x->business_name,
        };
        k++;
    }
    char centre[CENTRE_NAME_SIZE], reference[32], ymd[JY_DATE_TEXT_SIZE];
    if ((e = jy_receipts_centre_name(svc, c.conn, centre, sizeof(centre), err)) != JY_OK)
        goto out;
    jy_date_format(day, ymd);
    snprintf(reference, sizeof(reference), "%sOB%.4s%.2s%.2s", jy_service_centre_code(svc), ymd,
             ymd + 5, ymd + 8);
    int64_t now = jy_service_now(svc);
    struct jy_manifest m = {
        .kind = JY_MANIFEST_OUTBOUND_BATCH,
        .from = centre,
        .to = "中国邮政速递物流 EMS 武汉邮区中心局",
        .reference = reference,
        .closed_at = now < to ? now : to - 7 * 3600, /* a past day's batch closed at 17:00 */
        .prepared_by = actor->display_name[0] ? actor->display_name : actor->username,
        .items = items,
        .item_count = k,
    };
    e = jy_render_manifest(&m, ret, ret_len, err);
out:
    free(items);
    free(texts);
    free(c.ids);
    free(a);
    return e;
}

/* ---- checking a scanned receipt ---- */

enum jy_err jy_receipts_verify(struct jy_service *svc, const char *payload, size_t len,
                               struct jy_receipt_check *ret, struct jy_error *err)
{
    const struct jy_receipt_key *key = jy_service_receipt_key(svc);
    if (!key)
        return jy_error_set(err, JY_CONFLICT, "no_receipt_key", NULL,
                            "the service has no receipt signing key");
    struct jy_receipt_check c;
    memset(&c, 0, sizeof(c));
    /* The bare token (what the tracking page passes on) is read as "r=<token>". */
    char buf[JY_RECEIPT_PAYLOAD_MAX_BYTES + 3];
    bool has_r = false;
    for (size_t i = 0; i + 1 < len; i++)
        if (payload[i] == 'r' && payload[i + 1] == '=')
            has_r = true;
    if (!has_r && len <= JY_RECEIPT_PAYLOAD_MAX_BYTES) {
        buf[0] = 'r';
        buf[1] = '=';
        memcpy(buf + 2, payload, len);
        payload = buf;
        len += 2;
    }
    enum jy_err e =
        jy_receipt_sign_verify(key->public_key, payload, len, &c.verdict, &c.claim, err);
    if (e != JY_OK)
        return e;
    if (c.verdict == JY_RECEIPT_GENUINE) {
        struct jy_store_workflow w;
        struct jy_store_conn *conn;
        struct jy_error nf;
        if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
            return e;
        e = jy_store_workflow_by_number(conn, c.claim.number, &w, &nf);
        if (e == JY_NOT_FOUND) {
            c.record = JY_RECEIPT_RECORD_MISSING;
        } else if (e != JY_OK) {
            if (err)
                *err = nf;
            return e;
        } else {
            c.fee_differs = w.fee_total_fen != c.claim.fee_fen;
            c.date_differs =
                jy_date_compare(jy_date_from_unix_shanghai(w.accepted_at), c.claim.date) != 0;
            c.record = c.fee_differs || c.date_differs ? JY_RECEIPT_RECORD_DIFFERS
                                                       : JY_RECEIPT_RECORD_MATCHES;
        }
    }
    *ret = c;
    return JY_OK;
}
