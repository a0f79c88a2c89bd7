/*
 * intake.c — intake at the counter: see intake.h.
 *
 * Three steps: read the body's shape (400s), check the rules and normalise into an application
 * record (422s), then write it with its number, first event and idempotency key in one
 * transaction. The first two steps do no I/O, so the store's write lock is held only for the
 * few statements of the third.
 */
#include "intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/appno.h"
#include "core/idcard.h"
#include "core/licence.h"
#include "core/mobile.h"
#include "core/plate.h"
#include "core/uscc.h"
#include "core/vin.h"
#include "http/json.h"
#include "core/text.h"
#include "limits.h"
#include "store/audit.h"
#include "store/sequence.h"
#include "store/users.h"
#include "service/notify.h"
#include "../banned.h"

/* ---- the body's shape ---- */

/* The body as read: borrowed strings and objects, NULL when absent. */
struct raw {
    const char *business_type;
    const char *name, *id_type, *id_number, *mobile;
    const char *owner_uscc;
    const json_t *vehicle;
    const char *plate, *plate_type, *vin;
    const json_t *licence;
    const char *licence_number, *licence_class, *licence_expiry;
    const json_t *delivery;
    const char *recipient, *delivery_mobile, *address, *postcode;
    const json_t *documents;
};

static const char *const top_keys[] = {"business_type", "applicant", "owner_uscc", "vehicle",
                                       "licence",       "delivery",  "documents",  NULL};
static const char *const applicant_keys[] = {"name", "id_type", "id_number", "mobile", NULL};
static const char *const vehicle_keys[] = {"plate", "plate_type", "vin", NULL};
static const char *const licence_keys[] = {"number", "class", "expiry", NULL};
static const char *const delivery_keys[] = {"recipient", "mobile", "address", "postcode", NULL};

/* An optional string that is "" counts as absent. */
static void empty_is_absent(const char **s)
{
    if (*s && !**s)
        *s = NULL;
}

static enum jy_err read_shape(const json_t *body, struct raw *r, struct jy_error *err)
{
    enum jy_err e;
    const json_t *applicant = NULL;
#define TRY(call)                                                                                  \
    do {                                                                                           \
        if ((e = (call)) != JY_OK)                                                                 \
            return e;                                                                              \
    } while (0)
    TRY(jy_json_check_keys(body, NULL, top_keys, err));
    TRY(jy_json_get_string(body, "business_type", true, JY_CATALOG_CODE_MAX_BYTES,
                           &r->business_type, err));
    TRY(jy_json_get_object(body, "applicant", true, &applicant, err));
    TRY(jy_json_check_keys(body, "applicant", applicant_keys, err));
    TRY(jy_json_get_string(body, "applicant.name", true, JY_NAME_MAX_BYTES, &r->name, err));
    TRY(jy_json_get_string(body, "applicant.id_type", true, JY_CATALOG_CODE_MAX_BYTES, &r->id_type,
                           err));
    TRY(jy_json_get_string(body, "applicant.id_number", true, JY_IDENT_MAX_BYTES, &r->id_number,
                           err));
    TRY(jy_json_get_string(body, "applicant.mobile", true, JY_IDENT_MAX_BYTES, &r->mobile, err));
    TRY(jy_json_get_string(body, "owner_uscc", false, JY_IDENT_MAX_BYTES, &r->owner_uscc, err));
    empty_is_absent(&r->owner_uscc);

    TRY(jy_json_get_object(body, "vehicle", false, &r->vehicle, err));
    if (r->vehicle) {
        TRY(jy_json_check_keys(body, "vehicle", vehicle_keys, err));
        TRY(jy_json_get_string(body, "vehicle.plate", true, JY_IDENT_MAX_BYTES, &r->plate, err));
        TRY(jy_json_get_string(body, "vehicle.plate_type", true, JY_IDENT_MAX_BYTES, &r->plate_type,
                               err));
        TRY(jy_json_get_string(body, "vehicle.vin", true, JY_IDENT_MAX_BYTES, &r->vin, err));
    }
    TRY(jy_json_get_object(body, "licence", false, &r->licence, err));
    if (r->licence) {
        TRY(jy_json_check_keys(body, "licence", licence_keys, err));
        TRY(jy_json_get_string(body, "licence.number", true, JY_IDENT_MAX_BYTES, &r->licence_number,
                               err));
        TRY(jy_json_get_string(body, "licence.class", true, JY_IDENT_MAX_BYTES, &r->licence_class,
                               err));
        TRY(jy_json_get_string(body, "licence.expiry", false, JY_IDENT_MAX_BYTES,
                               &r->licence_expiry, err));
        empty_is_absent(&r->licence_expiry);
    }
    TRY(jy_json_get_object(body, "delivery", false, &r->delivery, err));
    if (r->delivery) {
        TRY(jy_json_check_keys(body, "delivery", delivery_keys, err));
        TRY(jy_json_get_string(body, "delivery.recipient", true, JY_NAME_MAX_BYTES, &r->recipient,
                               err));
        TRY(jy_json_get_string(body, "delivery.mobile", true, JY_IDENT_MAX_BYTES,
                               &r->delivery_mobile, err));
        TRY(jy_json_get_string(body, "delivery.address", true, JY_ADDRESS_MAX_BYTES, &r->address,
                               err));
        TRY(jy_json_get_string(body, "delivery.postcode", false, JY_IDENT_MAX_BYTES, &r->postcode,
                               err));
        empty_is_absent(&r->postcode);
    }
    TRY(jy_json_get_array(body, "documents", true, JY_CATALOG_MAX_DOCUMENTS, &r->documents, err));
    size_t i;
    const json_t *v;
    json_array_foreach(r->documents, i, v)
    {
        char field[32];
        snprintf(field, sizeof(field), "documents[%zu]", i);
        if (!json_is_string(v))
            return jy_error_set(err, JY_INVALID, "wrong_type", field, "%s must be a string", field);
        if (json_string_length(v) > JY_CATALOG_CODE_MAX_BYTES)
            return jy_error_set(err, JY_TOO_LONG, "too_long", field, "%s is longer than %d bytes",
                                field, JY_CATALOG_CODE_MAX_BYTES);
    }
#undef TRY
    return JY_OK;
}

/* ---- the rules ---- */

/* A 422 refusal carrying a core rule's own message; a core JY_TOO_LONG stays a 400. */
static enum jy_err refuse(struct jy_error *err, const char *reason, const char *field,
                          const struct jy_error *detail)
{
    enum jy_err code = detail->code == JY_TOO_LONG ? JY_TOO_LONG : JY_UNPROCESSABLE;
    return jy_error_set(err, code, code == JY_TOO_LONG ? "too_long" : reason, field, "%s: %s",
                        field, detail->message);
}

/* Number of characters of the UTF-8 text `s` (already valid: it came out of jansson). */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Copy `s` without surrounding white space into `buf` (`size` bytes), refusing control,
 * invisible and direction-changing characters (jy_text_is_clean). Returns the length, or
 * (size_t)-1 for such a character. The caller has bounded `s` below `size`. */
static size_t trim_copy(const char *s, char *buf, size_t size)
{
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    if (!jy_text_is_clean(s, len, false, NULL))
        return (size_t)-1;
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return len;
}

/* A person's name: 1..JY_NAME_MAX_CHARS characters without control characters. */
static enum jy_err check_name(const char *s, const char *field, char *buf, size_t size,
                              struct jy_error *err)
{
    size_t len = trim_copy(s, buf, size);
    if (len == 0)
        return jy_error_set(err, JY_INVALID, "missing_field", field, "%s must not be empty", field);
    if (len == (size_t)-1)
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_name", field,
                            "%s contains a control, invisible or direction-changing character",
                            field);
    if (utf8_chars(buf, len) > JY_NAME_MAX_CHARS)
        return jy_error_set(err, JY_TOO_LONG, "too_long", field, "%s is longer than %d characters",
                            field, JY_NAME_MAX_CHARS);
    return JY_OK;
}

static enum jy_err check_mobile(const char *s, const char *field, char ret[JY_MOBILE_SIZE],
                                struct jy_error *err)
{
    struct jy_error d;
    if (jy_mobile_parse(s, strlen(s), ret, &d) != JY_OK)
        return refuse(err, "invalid_mobile", field, &d);
    return JY_OK;
}

static enum jy_err check_id_number(const char *s, const char *field, struct jy_date today,
                                   char ret[JY_APP_ID_NUMBER_SIZE], struct jy_error *err)
{
    struct jy_error d;
    struct jy_idcard id;
    if (jy_idcard_parse(s, strlen(s), today, &id, &d) != JY_OK)
        return refuse(err, "invalid_id_number", field, &d);
    jy_strlcpy(ret, id.number, JY_APP_ID_NUMBER_SIZE);
    return JY_OK;
}

/* The vehicle: plate, plate type (and the pair), VIN. */
static enum jy_err check_vehicle(const struct raw *r, struct jy_store_application *a,
                                 struct jy_error *err)
{
    struct jy_error d;
    struct jy_plate plate;
    if (jy_plate_parse(r->plate, strlen(r->plate), &plate, &d) != JY_OK)
        return refuse(err, "invalid_plate", "vehicle.plate", &d);
    const struct jy_plate_type *pt = jy_plate_type_find(r->plate_type, strlen(r->plate_type));
    if (!pt)
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_plate_type", "vehicle.plate_type",
                            "vehicle.plate_type: no plate type with this code (GA 24.7)");
    if (jy_plate_check_type(&plate, pt->code, strlen(pt->code), &d) != JY_OK)
        return refuse(err,
                      d.code == JY_INVALID && strcmp(d.reason, "plate_type_mismatch") == 0
                          ? "plate_type_mismatch"
                          : "unknown_plate_type",
                      "vehicle.plate_type", &d);
    struct jy_vin vin;
    if (jy_vin_parse(r->vin, strlen(r->vin), &vin, &d) != JY_OK)
        return refuse(err, "invalid_vin", "vehicle.vin", &d);
    jy_strlcpy(a->vehicle_plate, plate.text, sizeof(a->vehicle_plate));
    jy_strlcpy(a->vehicle_plate_type, pt->code, sizeof(a->vehicle_plate_type));
    jy_strlcpy(a->vehicle_vin, vin.vin, sizeof(a->vehicle_vin));
    return JY_OK;
}

/* The licence: number (an ID number), classes, expiry and the renewal window. */
static enum jy_err check_licence(const struct raw *r, const struct jy_business_type *type,
                                 struct jy_date today, struct jy_store_application *a,
                                 struct jy_error *err)
{
    enum jy_err e =
        check_id_number(r->licence_number, "licence.number", today, a->licence_number, err);
    if (e != JY_OK)
        return e;
    struct jy_error d;
    unsigned mask = 0;
    if (jy_licence_classes_parse(r->licence_class, strlen(r->licence_class), &mask, &d) != JY_OK)
        return refuse(err, "invalid_licence_class", "licence.class", &d);
    jy_licence_classes_format(mask, a->licence_class);

    int window = type->rules.renewal_window_days;
    if (!r->licence_expiry) {
        if (window > 0)
            return jy_error_set(err, JY_INVALID, "missing_field", "licence.expiry",
                                "licence.expiry is required for %s", type->code);
        return JY_OK;
    }
    struct jy_date expiry;
    if (jy_date_parse(r->licence_expiry, strlen(r->licence_expiry), &expiry, &d) != JY_OK)
        return refuse(err, "invalid_date", "licence.expiry", &d);
    if (window > 0 && jy_licence_renewal_window(expiry, today, window, &d) != JY_OK)
        return jy_error_set(err, JY_UNPROCESSABLE, "renewal_window", "licence.expiry", "%s",
                            d.message);
    jy_date_format(expiry, a->licence_expiry);
    return JY_OK;
}

/* The delivery address of an EMS type. */
static enum jy_err check_delivery(const struct raw *r, struct jy_store_application *a,
                                  struct jy_error *err)
{
    enum jy_err e = check_name(r->recipient, "delivery.recipient", a->delivery_recipient,
                               sizeof(a->delivery_recipient), err);
    if (e == JY_OK)
        e = check_mobile(r->delivery_mobile, "delivery.mobile", a->delivery_mobile, err);
    if (e != JY_OK)
        return e;
    size_t len = trim_copy(r->address, a->delivery_address, sizeof(a->delivery_address));
    if (len == (size_t)-1)
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_address", "delivery.address",
                            "delivery.address contains a control, invisible or "
                            "direction-changing character");
    size_t chars = utf8_chars(a->delivery_address, len);
    if (chars == 0)
        return jy_error_set(err, JY_INVALID, "missing_field", "delivery.address",
                            "delivery.address must not be empty");
    if (chars > JY_ADDRESS_MAX_CHARS)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "delivery.address",
                            "delivery.address is longer than %d characters", JY_ADDRESS_MAX_CHARS);
    if (chars < JY_ADDRESS_MIN_CHARS)
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_address", "delivery.address",
                            "delivery.address: an address has at least %d characters",
                            JY_ADDRESS_MIN_CHARS);
    if (r->postcode) {
        bool ok = strlen(r->postcode) == 6;
        for (size_t i = 0; ok && i < 6; i++)
            ok = r->postcode[i] >= '0' && r->postcode[i] <= '9';
        if (!ok)
            return jy_error_set(err, JY_UNPROCESSABLE, "invalid_postcode", "delivery.postcode",
                                "delivery.postcode: a postcode is 6 digits");
        jy_strlcpy(a->delivery_postcode, r->postcode, sizeof(a->delivery_postcode));
    }
    return JY_OK;
}

/* The counter checklist: every code known to the type, every required one present. */
static enum jy_err check_documents(const struct raw *r, const struct jy_business_type *type,
                                   struct jy_store_application *a, struct jy_error *err)
{
    bool have[JY_CATALOG_MAX_DOCUMENTS] = {false};
    size_t i;
    const json_t *v;
    json_array_foreach(r->documents, i, v)
    {
        const char *code = json_string_value(v);
        const struct jy_catalog_document *doc =
            jy_business_type_find_document(type, code, json_string_length(v));
        if (!doc) {
            char field[32];
            snprintf(field, sizeof(field), "documents[%zu]", i);
            return jy_error_set(err, JY_UNPROCESSABLE, "unknown_document", field,
                                "%s: %s takes no document '%.32s'", field, type->code, code);
        }
        have[doc - type->documents] = true;
    }
    char missing[200] = "";
    size_t n_missing = 0, used = 0;
    a->document_count = 0;
    for (size_t k = 0; k < type->document_count; k++) {
        if (have[k]) {
            jy_strlcpy(a->documents[a->document_count++], type->documents[k].code,
                       sizeof(a->documents[0]));
        } else if (type->documents[k].required) {
            int n = snprintf(missing + used, sizeof(missing) - used, "%s%s", n_missing ? ", " : "",
                             type->documents[k].code);
            if (n > 0 && (size_t)n < sizeof(missing) - used)
                used += (size_t)n;
            n_missing++;
        }
    }
    if (n_missing)
        return jy_error_set(err, JY_UNPROCESSABLE, "missing_document", "documents",
                            "documents: %s requires %s", type->code, missing);
    return JY_OK;
}

/* Read, check and normalise `body` into `*a` (zeroed by the caller) for `actor` on `today`. */
static enum jy_err validate(struct jy_service *svc, const json_t *body, struct jy_date today,
                            struct jy_store_application *a,
                            const struct jy_business_type **ret_type, struct jy_error *err)
{
    struct raw r;
    memset(&r, 0, sizeof(r));
    enum jy_err e = read_shape(body, &r, err);
    if (e != JY_OK)
        return e;

    const struct jy_business_type *type =
        jy_catalog_find(jy_service_catalog(svc), r.business_type, strlen(r.business_type));
    if (!type)
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_business_type", "business_type",
                            "business_type: no business type '%.32s' in the catalog",
                            r.business_type);
    if (type->counter_only)
        return jy_error_set(err, JY_UNPROCESSABLE, "counter_only_type", "business_type",
                            "business_type: %s (%s) is handled at the counter, not as an "
                            "application",
                            type->code, type->name_zh);

    /* The parts the type takes: a missing one is a 400, one it does not take an unknown field,
     * except the delivery address, whose absence is a rule of its own (delivery_required). */
    static const struct {
        unsigned bit;
        const char *field;
    } parts[] = {{JY_REQUIRES_VEHICLE, "vehicle"}, {JY_REQUIRES_LICENCE, "licence"}};
    const void *given[] = {r.vehicle, r.licence};
    for (size_t i = 0; i < 2; i++) {
        bool needed = (type->requires & parts[i].bit) != 0;
        if (needed && !given[i])
            return jy_error_set(err, JY_INVALID, "missing_field", parts[i].field, "%s needs %s",
                                type->code, parts[i].field);
        if (!needed && given[i])
            return jy_error_set(err, JY_INVALID, "unknown_field", parts[i].field, "%s takes no %s",
                                type->code, parts[i].field);
    }
    if (r.owner_uscc && !(type->requires & JY_REQUIRES_OWNER_ORG_ALLOWED))
        return jy_error_set(err, JY_INVALID, "unknown_field", "owner_uscc",
                            "%s takes no owning organisation", type->code);
    bool ems = type->delivery == JY_DELIVERY_EMS;
    if (!ems && r.delivery)
        return jy_error_set(err, JY_INVALID, "unknown_field", "delivery",
                            "%s is not delivered: it takes no delivery address", type->code);
    if (ems && !r.delivery)
        return jy_error_set(err, JY_UNPROCESSABLE, "delivery_required", "delivery",
                            "delivery: %s is delivered by EMS and needs a delivery address",
                            type->code);

    /* The rules, field by field in the order of the form. */
    jy_strlcpy(a->business_type, type->code, sizeof(a->business_type));
    e = check_name(r.name, "applicant.name", a->applicant_name, sizeof(a->applicant_name), err);
    if (e != JY_OK)
        return e;
    if (strcmp(r.id_type, "resident_id") != 0)
        return jy_error_set(err, JY_UNPROCESSABLE, "unsupported_id_type", "applicant.id_type",
                            "applicant.id_type: only resident_id (居民身份证) is accepted");
    jy_strlcpy(a->applicant_id_type, "resident_id", sizeof(a->applicant_id_type));
    e = check_id_number(r.id_number, "applicant.id_number", today, a->applicant_id_number, err);
    if (e == JY_OK)
        e = check_mobile(r.mobile, "applicant.mobile", a->applicant_mobile, err);
    if (e != JY_OK)
        return e;
    if (r.owner_uscc) {
        struct jy_error d;
        struct jy_uscc u;
        if (jy_uscc_parse(r.owner_uscc, strlen(r.owner_uscc), &u, &d) != JY_OK)
            return refuse(err, "invalid_uscc", "owner_uscc", &d);
        jy_strlcpy(a->owner_uscc, u.code, sizeof(a->owner_uscc));
    }
    if (r.vehicle && (e = check_vehicle(&r, a, err)) != JY_OK)
        return e;
    if (r.licence && (e = check_licence(&r, type, today, a, err)) != JY_OK)
        return e;
    if (r.delivery && (e = check_delivery(&r, a, err)) != JY_OK)
        return e;
    if ((e = check_documents(&r, type, a, err)) != JY_OK)
        return e;

    /* What it costs and when it is due. */
    a->fee_count = type->fee_count;
    for (size_t i = 0; i < type->fee_count; i++) {
        jy_strlcpy(a->fees[i].code, type->fees[i].code, sizeof(a->fees[i].code));
        jy_strlcpy(a->fees[i].name, type->fees[i].name_zh, sizeof(a->fees[i].name));
        a->fees[i].amount_fen = type->fees[i].amount_fen;
    }
    if ((e = jy_business_type_total_fee(type, &a->fee_total_fen, err)) != JY_OK)
        return e;
    struct jy_date due;
    struct jy_error d;
    e = jy_calendar_due_date(jy_service_calendar(svc), today, type->sla_working_days, &due, &d);
    if (e != JY_OK) /* no field of the body is at fault: the calendar lacks a year */
        return jy_error_set(err, e, d.reason, NULL, "the due date cannot be computed: %s",
                            d.message);
    jy_date_format(due, a->due_date);
    enum jy_station first;
    if (!jy_business_type_first_station(type, &first))
        return jy_error_set(err, JY_INTERNAL, "no_route", "business_type", "%s has no route",
                            type->code);
    jy_strlcpy(a->state, "at_station", sizeof(a->state));
    jy_strlcpy(a->station, jy_station_code(first), sizeof(a->station));
    *ret_type = type;
    return JY_OK;
}

/* ---- idempotency ---- */

static enum jy_err check_key(const char *key, struct jy_error *err)
{
    size_t n = strnlen(key, JY_IDEMPOTENCY_KEY_MAX_BYTES + 1);
    bool ok = n >= 1 && n <= JY_IDEMPOTENCY_KEY_MAX_BYTES;
    for (size_t i = 0; ok && i < n; i++)
        ok = key[i] > 0x20 && key[i] <= 0x7e;
    if (!ok)
        return jy_error_set(err, JY_INVALID, "bad_idempotency_key", "Idempotency-Key",
                            "an Idempotency-Key is 1 to %d printable ASCII characters, no spaces",
                            JY_IDEMPOTENCY_KEY_MAX_BYTES);
    return JY_OK;
}

/* SHA-256 of the body as JSON with sorted keys and no white space. */
static enum jy_err body_hash(const json_t *body, uint8_t ret[32], struct jy_error *err)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    crypto_hash_sha256(ret, (const unsigned char *)text, strlen(text));
    free(text);
    return JY_OK;
}

/* Look the key up. JY_OK with `*ret_found` false: a new key. Found with the same body: `*ret`
 * is the application it created. A different body: JY_CONFLICT. */
static enum jy_err replay(struct jy_store_conn *conn, const struct jy_actor *actor, const char *key,
                          const uint8_t hash[32], struct jy_store_application *ret, bool *ret_found,
                          struct jy_error *err)
{
    int64_t app_id = 0;
    uint8_t stored[32];
    struct jy_error d;
    enum jy_err e = jy_store_idempotency_find(conn, actor->user_id, key, &app_id, stored, &d);
    if (e == JY_NOT_FOUND) {
        *ret_found = false;
        return JY_OK;
    }
    if (e != JY_OK) {
        if (err)
            *err = d;
        return e;
    }
    if (sodium_memcmp(stored, hash, 32) != 0)
        return jy_error_set(err, JY_CONFLICT, "idempotency_key_reused", "Idempotency-Key",
                            "this Idempotency-Key was used for a different request");
    e = jy_store_application_by_id(conn, app_id, ret, err);
    if (e == JY_OK)
        *ret_found = true;
    return e;
}

/* ---- writing ---- */

/* The next usable application number of `today`. */
static enum jy_err next_number(struct jy_service *svc, struct jy_store_conn *conn,
                               struct jy_date today, struct jy_appno *ret, struct jy_error *err)
{
    char name[32];
    snprintf(name, sizeof(name), "appno.%04d%02d%02d", today.year, today.month, today.day);
    for (;;) {
        int64_t seq = 0;
        enum jy_err e = jy_store_sequence_next(conn, name, &seq, err);
        if (e != JY_OK)
            return e;
        if (seq > (int64_t)JY_APPNO_SEQ_MAX)
            return jy_error_set(err, JY_CONFLICT, "daily_numbers_exhausted", NULL,
                                "all %u application numbers of the day are used", JY_APPNO_SEQ_MAX);
        struct jy_error d;
        e = jy_appno_make(jy_service_centre_code(svc), today, (uint32_t)seq, ret, &d);
        if (e == JY_RANGE && strcmp(d.reason, "check_unusable") == 0)
            continue;
        if (e != JY_OK)
            return jy_error_set(err, JY_INTERNAL, "bad_centre_code", NULL,
                                "cannot make an application number: %s", d.message);
        return JY_OK;
    }
}

/* Write `a` (validated) with its number, first event and key, in the open transaction. */
static enum jy_err write_rows(struct jy_service *svc, struct jy_store_conn *conn,
                              const struct jy_actor *actor, const char *key, const uint8_t hash[32],
                              int64_t now, struct jy_date today, struct jy_store_application *a,
                              struct jy_error *err)
{
    struct jy_store_branch b;
    enum jy_err e = jy_store_branch_by_id(conn, actor->branch_id, &b, err);
    if (e == JY_NOT_FOUND)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "the clerk has no branch");
    if (e != JY_OK)
        return e;
    if (!b.is_open)
        return jy_error_set(err, JY_UNPROCESSABLE, "branch_closed", NULL,
                            "branch %s takes no intake at present", b.code);
    struct jy_appno no;
    if ((e = next_number(svc, conn, today, &no, err)) != JY_OK)
        return e;
    jy_strlcpy(a->number, no.text, sizeof(a->number));
    a->branch_id = b.id;
    jy_strlcpy(a->branch_code, b.code, sizeof(a->branch_code));
    jy_strlcpy(a->branch_name_zh, b.name_zh, sizeof(a->branch_name_zh));
    a->clerk_id = actor->user_id;
    jy_strlcpy(a->clerk_username, actor->username, sizeof(a->clerk_username));
    a->accepted_at = now;
    a->updated_at = now;
    a->version = 1;
    if ((e = jy_store_application_insert(conn, a, &a->id, err)) != JY_OK)
        return e;
    struct jy_event ev = {
        .application_id = a->id,
        .at = now,
        .actor_id = actor->user_id,
        .actor_role = jy_role_code(actor->role),
        .branch_id = b.id,
        .to_state = a->state,
        .to_station = a->station,
        .reason = "intake",
    };
    int64_t event_id = 0;
    if ((e = jy_store_event_append(conn, &ev, &event_id, err)) != JY_OK ||
        (e = jy_notify_on_event(svc, conn, &ev, NULL, NULL, err)) != JY_OK)
        return e;
    if (key)
        e = jy_store_idempotency_insert(conn, actor->user_id, key, a->id, hash, now, err);
    return e;
}

/* The write half of an intake, handed to the group-commit writer: what must run under the
 * write lock (the key looked up again, then the number, the rows), on the writer's connection. */
struct intake_work {
    struct jy_service *svc;
    const struct jy_actor *actor;
    const char *key;
    const uint8_t *hash;
    int64_t now;
    struct jy_date today;
    struct jy_store_application *a; /* validated; completed by write_rows or the replay */
    bool found;                     /* out: a request with the same key committed first */
};

static enum jy_err intake_work(struct jy_store_conn *conn, void *ctx, struct jy_error *err)
{
    struct intake_work *w = ctx;
    if (w->key) {
        struct jy_store_application *first = calloc(1, sizeof(*first));
        if (!first)
            return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        bool found = false;
        enum jy_err e = replay(conn, w->actor, w->key, w->hash, first, &found, err);
        if (e == JY_OK && found)
            memcpy(w->a, first, sizeof(*w->a));
        free(first);
        if (e != JY_OK || found) {
            w->found = found;
            return e;
        }
    }
    return write_rows(w->svc, conn, w->actor, w->key, w->hash, w->now, w->today, w->a, err);
}

enum jy_err jy_intake_check_actor(const struct jy_actor *actor, struct jy_error *err)
{
    if (actor && actor->role == JY_ROLE_CLERK && actor->branch_id != 0)
        return JY_OK;
    return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "only a branch clerk takes intakes");
}

enum jy_err jy_intake_at(struct jy_service *svc, const struct jy_actor *actor, const json_t *body,
                         const char *idempotency_key, int64_t now, struct jy_store_application *ret,
                         bool *ret_replayed, struct jy_error *err)
{
    enum jy_err e = jy_intake_check_actor(actor, err);
    if (e != JY_OK)
        return e;
    if (!body || !json_is_object(body))
        return jy_error_set(err, JY_INVALID, "not_an_object", NULL, "the body is not an object");
    uint8_t hash[32] = {0};
    const char *key = idempotency_key;
    if (key) {
        if ((e = check_key(key, err)) != JY_OK || (e = body_hash(body, hash, err)) != JY_OK)
            return e;
    }
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;

    struct jy_store_application *a = calloc(1, sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    bool found = false, own = false;
    /* A repeat is answered before any checking: it gets what the first request got, even if
     * the rules would now say otherwise (another day, another calendar). */
    if (key && ((e = replay(conn, actor, key, hash, a, &found, err)) != JY_OK || found))
        goto out;

    struct jy_date today = jy_date_from_unix_shanghai(now);
    const struct jy_business_type *type = NULL;
    if ((e = validate(svc, body, today, a, &type, err)) != JY_OK)
        goto out;

    own = !jy_store_in_transaction(conn);
    if (own && jy_service_writer(svc) && !jy_store_in_batch(conn)) {
        /* Group commit: the writer runs the writes with those of other requests and returns
         * once their common commit is on disk. */
        struct intake_work w = {svc, actor, key, hash, now, today, a, false};
        own = false;
        e = jy_store_writer_run(jy_service_writer(svc), intake_work, &w, err);
        found = w.found;
        goto out;
    }
    if (own && (e = jy_store_begin(conn, err)) != JY_OK) {
        own = false;
        goto out;
    }
    /* Under the write lock: a request with the same key may have committed meanwhile. */
    if (key) {
        struct jy_store_application *first = calloc(1, sizeof(*first));
        if (!first) {
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
            goto out;
        }
        e = replay(conn, actor, key, hash, first, &found, err);
        if (e == JY_OK && found)
            memcpy(a, first, sizeof(*a));
        free(first);
        if (e != JY_OK || found)
            goto out;
    }
    e = write_rows(svc, conn, actor, key, hash, now, today, a, err);
    if (e == JY_OK && own) {
        e = jy_store_commit(conn, err);
        own = false; /* a failed commit has rolled back */
    }
out:
    if (own)
        jy_store_rollback(conn);
    if (e == JY_OK) {
        memcpy(ret, a, sizeof(*a));
        if (ret_replayed)
            *ret_replayed = found;
    }
    free(a);
    return e;
}

enum jy_err jy_intake(struct jy_service *svc, const struct jy_actor *actor, const json_t *body,
                      const char *idempotency_key, struct jy_store_application *ret,
                      bool *ret_replayed, struct jy_error *err)
{
    return jy_intake_at(svc, actor, body, idempotency_key, jy_service_now(svc), ret, ret_replayed,
                        err);
}
