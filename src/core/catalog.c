/*
 * catalog.c — loading and validating the business catalog, and reading it.
 *
 * The JSON is parsed with jansson (duplicate keys refused), checked key by key against the shape
 * documented in catalog.h, and copied into one allocation: `struct jy_catalog` with its business
 * types in a flexible array. Every failure names the entry and the field, so that a person
 * editing data/catalog.json can find the mistake.
 */
#include "catalog.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licence.h"

#include "../banned.h"

struct jy_catalog {
    int version;
    bool demo_fees;
    struct jy_catalog_station stations[JY__STATION_COUNT];
    size_t type_count;
    struct jy_business_type types[];
};

/* =============================== codes and names =============================== */

static const struct {
    const char *code;
    const char *name_zh;
    const char *name_en;
} station_table[JY__STATION_COUNT] = {
    [JY_STATION_REVIEW] = {"review", "审核", "Review"},
    [JY_STATION_APPROVAL] = {"approval", "审批", "Approval"},
    [JY_STATION_PRINT] = {"print", "打印", "Print"},
    [JY_STATION_PRODUCTION] = {"production", "制证", "Production"},
    [JY_STATION_ARCHIVE] = {"archive", "档案", "Archive"},
    [JY_STATION_DISPATCH] = {"dispatch", "封发", "Dispatch"},
};

static const char *const category_codes[JY__CATEGORY_COUNT] = {
    [JY_CATEGORY_VEHICLE] = "vehicle",
    [JY_CATEGORY_LICENCE] = "licence",
    [JY_CATEGORY_VIOLATION] = "violation",
};

static const char *const output_codes[JY__OUTPUT_COUNT] = {
    [JY_OUTPUT_LICENCE_CARD] = "licence_card",
    [JY_OUTPUT_PLATE] = "plate",
    [JY_OUTPUT_VEHICLE_LICENCE] = "vehicle_licence",
    [JY_OUTPUT_REGISTRATION_CERTIFICATE] = "registration_certificate",
    [JY_OUTPUT_INSPECTION_STICKER] = "inspection_sticker",
    [JY_OUTPUT_DECISION] = "decision",
    [JY_OUTPUT_NONE] = "none",
};

static const char *const delivery_codes[JY__DELIVERY_COUNT] = {
    [JY_DELIVERY_NONE] = "none",
    [JY_DELIVERY_EMS] = "ems",
};

/* Index i is the code of bit 1 << i of enum jy_catalog_requires. */
static const char *const requires_codes[] = {
    "applicant", "vehicle", "licence", "delivery", "owner_org_allowed",
};

const char *jy_station_code(enum jy_station st)
{
    if ((int)st < 0 || st >= JY__STATION_COUNT)
        return NULL;
    return station_table[st].code;
}

const char *jy_station_name_zh(enum jy_station st)
{
    if ((int)st < 0 || st >= JY__STATION_COUNT)
        return NULL;
    return station_table[st].name_zh;
}

const char *jy_station_name_en(enum jy_station st)
{
    if ((int)st < 0 || st >= JY__STATION_COUNT)
        return NULL;
    return station_table[st].name_en;
}

const char *jy_catalog_category_code(enum jy_catalog_category c)
{
    if ((int)c < 0 || c >= JY__CATEGORY_COUNT)
        return NULL;
    return category_codes[c];
}

const char *jy_catalog_output_code(enum jy_catalog_output o)
{
    if ((int)o < 0 || o >= JY__OUTPUT_COUNT)
        return NULL;
    return output_codes[o];
}

const char *jy_catalog_delivery_code(enum jy_catalog_delivery d)
{
    if ((int)d < 0 || d >= JY__DELIVERY_COUNT)
        return NULL;
    return delivery_codes[d];
}

/* =============================== small helpers =============================== */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Narrow [*s, *s + *len) to its part without surrounding ASCII spaces. */
static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (*s)[0] == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && (*s)[*len - 1] == ' ')
        (*len)--;
}

/* True when the `len` bytes at `s` equal the string `b`, ASCII letters compared without case. */
static bool eq_nocase(const char *s, size_t len, const char *b)
{
    size_t n = strlen(b);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower(b[i]))
            return false;
    return true;
}

/* The index of the string equal (exactly) to the `len` bytes at `s` in `table`, or -1. */
static int table_index(const char *const *table, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i]) == len && memcmp(table[i], s, len) == 0)
            return (int)i;
    return -1;
}

bool jy_station_parse(const char *s, size_t len, enum jy_station *ret)
{
    if (!s || len > JY_IDENT_MAX_BYTES)
        return false;
    trim(&s, &len);
    for (int i = 0; i < JY__STATION_COUNT; i++) {
        if (eq_nocase(s, len, station_table[i].code)) {
            *ret = (enum jy_station)i;
            return true;
        }
    }
    return false;
}

bool jy_station_refusable(enum jy_station st)
{
    return st == JY_STATION_REVIEW || st == JY_STATION_APPROVAL;
}

/* Room for a value shown in a message: up to SHOW_MAX characters plus "..." and NUL. */
#define SHOW_MAX 40
#define SHOW_SIZE (SHOW_MAX + 4)

/* Copy the `len` bytes at `s` into `buf` for a message or a field path: printable ASCII is kept,
 * every other character (control bytes, each UTF-8 sequence) becomes one '?', and anything
 * beyond SHOW_MAX characters becomes "...". The result is always ASCII, so it can be cut
 * anywhere and still be valid UTF-8. */
static const char *show(const char *s, size_t len, char buf[SHOW_SIZE])
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xC0)
            continue; /* a UTF-8 continuation byte: its sequence is already a '?' */
        if (n == SHOW_MAX) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    buf[n] = '\0';
    return buf;
}

/* Largest nesting of arrays and objects in the JSON text, checked before parsing so that the
 * parser never recurses deeper than JY_JSON_MAX_DEPTH. Brackets inside strings do not count. */
static bool depth_ok(const char *s, size_t len, int max)
{
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return true;
}

/* =============================== validation context =============================== */

/* Where the validator is: `field` is the path of the current entry ("business_types[3]", or
 * "" at the top level) and `who` names it for a person ("business type V04", "catalog"). */
struct ctx {
    struct jy_error *err;
    char field[40]; /* "business_types[" + a size_t + "]" */
    char who[64];
};

/* Report a failure at `sub` (a path below the current entry, "route[1]", or "" for the entry
 * itself): field = entry path + "." + sub, message = who + ": " + sub + ": " + text. */
__attribute__((format(printf, 5, 6))) static enum jy_err fail(const struct ctx *c, enum jy_err code,
                                                              const char *reason, const char *sub,
                                                              const char *fmt, ...)
{
    if (!c->err)
        return code;
    char text[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n < 0)
        text[0] = '\0';
    char field[96];
    n = snprintf(field, sizeof(field), "%s%s%s", c->field, c->field[0] && sub[0] ? "." : "", sub);
    if (n < 0)
        field[0] = '\0';
    if (sub[0])
        return jy_error_set(c->err, code, reason, field, "%s: %s: %s", c->who, sub, text);
    return jy_error_set(c->err, code, reason, field, "%s: %s", c->who, text);
}

/* Write the path `base`.`key` (or `key` alone when `base` is "") into `buf`. */
static const char *path(char *buf, size_t size, const char *base, const char *key)
{
    int n = snprintf(buf, size, "%s%s%s", base, base[0] ? "." : "", key);
    if (n < 0)
        buf[0] = '\0';
    return buf;
}

/* Write the path `base`.`key`[i] into `buf`. */
static const char *path_at(char *buf, size_t size, const char *base, const char *key, size_t i)
{
    int n = snprintf(buf, size, "%s%s%s[%zu]", base, base[0] ? "." : "", key, i);
    if (n < 0)
        buf[0] = '\0';
    return buf;
}

#define PATH_SIZE 64

enum kind { K_STRING, K_INTEGER, K_BOOLEAN, K_ARRAY, K_OBJECT };

static bool is_kind(const json_t *v, enum kind k)
{
    switch (k) {
    case K_STRING:
        return json_is_string(v);
    case K_INTEGER:
        return json_is_integer(v);
    case K_BOOLEAN:
        return json_is_boolean(v);
    case K_ARRAY:
        return json_is_array(v);
    case K_OBJECT:
        return json_is_object(v);
    }
    return false;
}

static const char *kind_name(enum kind k)
{
    static const char *const names[] = {"a string", "an integer", "true or false", "an array",
                                        "an object"};
    return names[k];
}

/* `v`, found at `sub`, must be of kind `k`. */
static enum jy_err want(const struct ctx *c, const json_t *v, const char *sub, enum kind k)
{
    if (is_kind(v, k))
        return JY_OK;
    return fail(c, JY_INVALID, "wrong_type", sub, "must be %s", kind_name(k));
}

/* Every key of object `obj` (at path `base`) must be one of `allowed`. */
static enum jy_err check_keys(const struct ctx *c, json_t *obj, const char *base,
                              const char *const *allowed, size_t n)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        (void)value;
        if (table_index(allowed, n, key, strlen(key)) >= 0)
            continue;
        char shown[SHOW_SIZE], sub[PATH_SIZE];
        show(key, strlen(key), shown);
        return fail(c, JY_INVALID, "unknown_key", path(sub, sizeof(sub), base, shown),
                    "unknown key '%s'", shown);
    }
    return JY_OK;
}

/* Member `key` of `obj` (at path `base`) into `*ret`, checked to be of kind `k`. A missing
 * member is an error when `required`, else `*ret` is NULL. */
static enum jy_err member(const struct ctx *c, json_t *obj, const char *base, const char *key,
                          enum kind k, bool required, json_t **ret)
{
    char sub[PATH_SIZE];
    path(sub, sizeof(sub), base, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return fail(c, JY_INVALID, "missing_key", sub, "missing");
        *ret = NULL;
        return JY_OK;
    }
    enum jy_err rc = want(c, v, sub, k);
    if (rc == JY_OK)
        *ret = v;
    return rc;
}

enum text_kind {
    T_CODE, /* [A-Za-z0-9_], 1..JY_CATALOG_CODE_MAX_BYTES */
    T_NAME, /* not empty, no control characters */
    T_NOTE, /* anything */
};

/* Copy the string member `key` of `obj` into `dst` (`max` bytes plus NUL), checked as `tk`.
 * A missing optional member leaves `dst` as "". */
static enum jy_err text(const struct ctx *c, json_t *obj, const char *base, const char *key,
                        bool required, enum text_kind tk, char *dst, size_t max)
{
    json_t *v = NULL;
    enum jy_err rc = member(c, obj, base, key, K_STRING, required, &v);
    if (rc != JY_OK || !v)
        return rc;
    char sub[PATH_SIZE];
    path(sub, sizeof(sub), base, key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len > max)
        return fail(c, JY_TOO_LONG, "too_long", sub, "longer than %zu bytes", max);
    if (memchr(s, '\0', len))
        return fail(c, JY_INVALID, "bad_text", sub, "contains a NUL character");
    if (tk == T_CODE) {
        bool ok = len > 0;
        for (size_t i = 0; i < len && ok; i++) {
            char ch = s[i];
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_';
        }
        if (!ok) {
            char shown[SHOW_SIZE];
            return fail(c, JY_INVALID, "bad_code", sub,
                        "code '%s' must be 1 to %d letters, digits or underscores",
                        show(s, len, shown), JY_CATALOG_CODE_MAX_BYTES);
        }
    } else if (tk == T_NAME) {
        size_t t = len;
        const char *p = s;
        trim(&p, &t);
        if (t == 0)
            return fail(c, JY_INVALID, "empty_name", sub, "empty");
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return fail(c, JY_INVALID, "bad_text", sub, "contains a control character");
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
    return JY_OK;
}

/* The integer member `key` of `obj` into `*ret`, which must lie in min..max (else `reason`). A
 * missing optional member leaves `*ret` alone. */
static enum jy_err integer(const struct ctx *c, json_t *obj, const char *base, const char *key,
                           bool required, int64_t min, int64_t max, const char *reason,
                           int64_t *ret)
{
    json_t *v = NULL;
    enum jy_err rc = member(c, obj, base, key, K_INTEGER, required, &v);
    if (rc != JY_OK || !v)
        return rc;
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        char sub[PATH_SIZE];
        return fail(c, JY_INVALID, reason, path(sub, sizeof(sub), base, key),
                    "%lld is outside %lld..%lld", (long long)x, (long long)min, (long long)max);
    }
    *ret = x;
    return JY_OK;
}

/* The boolean member `key` of `obj` into `*ret`; a missing optional member leaves it alone. */
static enum jy_err boolean(const struct ctx *c, json_t *obj, const char *base, const char *key,
                           bool required, bool *ret)
{
    json_t *v = NULL;
    enum jy_err rc = member(c, obj, base, key, K_BOOLEAN, required, &v);
    if (rc == JY_OK && v)
        *ret = json_is_true(v);
    return rc;
}

/* The string member `key` of `obj` looked up in `table`; `noun` names it in the message. */
static enum jy_err choice(const struct ctx *c, json_t *obj, const char *key,
                          const char *const *table, size_t n, const char *reason, const char *noun,
                          int *ret)
{
    json_t *v = NULL;
    enum jy_err rc = member(c, obj, "", key, K_STRING, true, &v);
    if (rc != JY_OK)
        return rc;
    int i = table_index(table, n, json_string_value(v), json_string_length(v));
    if (i < 0) {
        char shown[SHOW_SIZE];
        return fail(c, JY_INVALID, reason, key, "unknown %s '%s'", noun,
                    show(json_string_value(v), json_string_length(v), shown));
    }
    *ret = i;
    return JY_OK;
}

/* The station named by string `v` (at `sub`), exactly as spelled in the station table. */
static enum jy_err station_value(const struct ctx *c, const json_t *v, const char *sub,
                                 enum jy_station *ret)
{
    enum jy_err rc = want(c, v, sub, K_STRING);
    if (rc != JY_OK)
        return rc;
    for (int i = 0; i < JY__STATION_COUNT; i++) {
        if (strlen(station_table[i].code) == json_string_length(v) &&
            memcmp(station_table[i].code, json_string_value(v), json_string_length(v)) == 0) {
            *ret = (enum jy_station)i;
            return JY_OK;
        }
    }
    char shown[SHOW_SIZE];
    return fail(c, JY_INVALID, "unknown_station", sub, "unknown station '%s'",
                show(json_string_value(v), json_string_length(v), shown));
}

/* The array member `key` of `obj` (at path `base`) with at most `max` elements. */
static enum jy_err bounded_array(const struct ctx *c, json_t *obj, const char *base,
                                 const char *key, bool required, size_t max, json_t **ret)
{
    json_t *v = NULL;
    enum jy_err rc = member(c, obj, base, key, K_ARRAY, required, &v);
    if (rc != JY_OK)
        return rc;
    if (v && json_array_size(v) > max) {
        char sub[PATH_SIZE];
        return fail(c, JY_TOO_LARGE, "too_many", path(sub, sizeof(sub), base, key),
                    "%zu entries, at most %zu", json_array_size(v), max);
    }
    *ret = v;
    return JY_OK;
}

/* =============================== business types =============================== */

static enum jy_err parse_documents(const struct ctx *c, json_t *obj, struct jy_business_type *t)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", "required"};
    json_t *arr;
    enum jy_err rc = bounded_array(c, obj, "", "documents", true, JY_CATALOG_MAX_DOCUMENTS, &arr);
    if (rc != JY_OK)
        return rc;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *d = json_array_get(arr, i);
        struct jy_catalog_document *doc = &t->documents[i];
        char base[PATH_SIZE], sub[PATH_SIZE];
        path_at(base, sizeof(base), "", "documents", i);
        if ((rc = want(c, d, base, K_OBJECT)) != JY_OK ||
            (rc = check_keys(c, d, base, keys, 4)) != JY_OK ||
            (rc = text(c, d, base, "code", true, T_CODE, doc->code, JY_CATALOG_CODE_MAX_BYTES)) !=
                JY_OK ||
            (rc = text(c, d, base, "name_zh", true, T_NAME, doc->name_zh,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK ||
            (rc = text(c, d, base, "name_en", true, T_NAME, doc->name_en,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK ||
            (rc = boolean(c, d, base, "required", true, &doc->required)) != JY_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (eq_nocase(doc->code, strlen(doc->code), t->documents[j].code))
                return fail(c, JY_INVALID, "duplicate_document",
                            path(sub, sizeof(sub), base, "code"), "document '%s' is listed twice",
                            doc->code);
        t->document_count = i + 1;
    }
    return JY_OK;
}

static enum jy_err parse_fees(const struct ctx *c, json_t *obj, struct jy_business_type *t)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", "amount_fen"};
    json_t *arr;
    enum jy_err rc = bounded_array(c, obj, "", "fees", true, JY_CATALOG_MAX_FEES, &arr);
    if (rc != JY_OK)
        return rc;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *f = json_array_get(arr, i);
        struct jy_catalog_fee *fee = &t->fees[i];
        char base[PATH_SIZE], sub[PATH_SIZE];
        path_at(base, sizeof(base), "", "fees", i);
        if ((rc = want(c, f, base, K_OBJECT)) != JY_OK ||
            (rc = check_keys(c, f, base, keys, 4)) != JY_OK ||
            (rc = text(c, f, base, "code", true, T_CODE, fee->code, JY_CATALOG_CODE_MAX_BYTES)) !=
                JY_OK ||
            (rc = text(c, f, base, "name_zh", true, T_NAME, fee->name_zh,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK ||
            (rc = text(c, f, base, "name_en", true, T_NAME, fee->name_en,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK)
            return rc;
        json_t *amount;
        path(sub, sizeof(sub), base, "amount_fen");
        if ((rc = member(c, f, base, "amount_fen", K_INTEGER, true, &amount)) != JY_OK)
            return rc;
        json_int_t fen = json_integer_value(amount);
        if (fen < 0)
            return fail(c, JY_INVALID, "negative_fee", sub, "fee %s is negative (%lld fen)",
                        fee->code, (long long)fen);
        if (fen > JY_CATALOG_MAX_FEE_FEN)
            return fail(c, JY_INVALID, "fee_too_large", sub,
                        "fee %s of %lld fen is above the limit of %d fen", fee->code,
                        (long long)fen, JY_CATALOG_MAX_FEE_FEN);
        fee->amount_fen = fen;
        for (size_t j = 0; j < i; j++)
            if (eq_nocase(fee->code, strlen(fee->code), t->fees[j].code))
                return fail(c, JY_INVALID, "duplicate_fee", path(sub, sizeof(sub), base, "code"),
                            "fee '%s' is listed twice", fee->code);
        t->fee_count = i + 1;
    }
    return JY_OK;
}

static enum jy_err parse_route(const struct ctx *c, json_t *obj, struct jy_business_type *t)
{
    json_t *arr;
    enum jy_err rc = bounded_array(c, obj, "", "route", true, JY_CATALOG_MAX_ROUTE, &arr);
    if (rc != JY_OK)
        return rc;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char sub[PATH_SIZE];
        path_at(sub, sizeof(sub), "", "route", i);
        enum jy_station st;
        if ((rc = station_value(c, json_array_get(arr, i), sub, &st)) != JY_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (t->route[j] == st)
                return fail(c, JY_INVALID, "duplicate_station", sub,
                            "station '%s' is already route[%zu]", jy_station_code(st), j);
        t->route[i] = st;
        t->route_len = i + 1;
    }
    return JY_OK;
}

static enum jy_err parse_requires(const struct ctx *c, json_t *obj, struct jy_business_type *t)
{
    json_t *arr;
    enum jy_err rc = member(c, obj, "", "requires", K_ARRAY, true, &arr);
    if (rc != JY_OK)
        return rc;
    unsigned bits = 0;
    size_t n = sizeof(requires_codes) / sizeof(requires_codes[0]);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        char sub[PATH_SIZE], shown[SHOW_SIZE];
        path_at(sub, sizeof(sub), "", "requires", i);
        if ((rc = want(c, v, sub, K_STRING)) != JY_OK)
            return rc;
        int k = table_index(requires_codes, n, json_string_value(v), json_string_length(v));
        show(json_string_value(v), json_string_length(v), shown);
        if (k < 0)
            return fail(c, JY_INVALID, "unknown_requirement", sub, "unknown part '%s'", shown);
        if (bits & (1u << k))
            return fail(c, JY_INVALID, "duplicate_requirement", sub, "'%s' is listed twice", shown);
        bits |= 1u << k;
    }
    t->requires = bits;
    return JY_OK;
}

static enum jy_err parse_age_limits(const struct ctx *c, json_t *rules, struct jy_catalog_rules *r)
{
    static const char *const keys[] = {"age_years", "classes"};
    json_t *arr;
    enum jy_err rc =
        bounded_array(c, rules, "rules", "age_limits", false, JY_CATALOG_MAX_AGE_LIMITS, &arr);
    if (rc != JY_OK || !arr)
        return rc;
    if (json_array_size(arr) == 0)
        return fail(c, JY_INVALID, "bad_rule", "rules.age_limits", "empty");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *a = json_array_get(arr, i);
        char base[PATH_SIZE], sub[PATH_SIZE];
        path_at(base, sizeof(base), "rules", "age_limits", i);
        int64_t age = 0;
        json_t *classes;
        if ((rc = want(c, a, base, K_OBJECT)) != JY_OK ||
            (rc = check_keys(c, a, base, keys, 2)) != JY_OK ||
            (rc = integer(c, a, base, "age_years", true, 18, 100, "bad_rule", &age)) != JY_OK ||
            (rc = member(c, a, base, "classes", K_STRING, true, &classes)) != JY_OK)
            return rc;
        if (i > 0 && age <= r->age_limits[i - 1].age_years)
            return fail(c, JY_INVALID, "bad_rule", path(sub, sizeof(sub), base, "age_years"),
                        "ages must be in ascending order");
        unsigned mask;
        struct jy_error lerr;
        if (jy_licence_classes_parse(json_string_value(classes), json_string_length(classes), &mask,
                                     &lerr) != JY_OK)
            return fail(c, JY_INVALID, "bad_rule", path(sub, sizeof(sub), base, "classes"), "%s",
                        lerr.message);
        r->age_limits[i].age_years = (int)age;
        r->age_limits[i].classes = mask;
        r->age_limit_count = i + 1;
    }
    return JY_OK;
}

static enum jy_err parse_rules(const struct ctx *c, json_t *obj, struct jy_business_type *t)
{
    static const char *const keys[] = {"renewal_window_days", "vehicle_age_years_max",
                                       "sticker_years", "age_limits"};
    json_t *rules;
    enum jy_err rc = member(c, obj, "", "rules", K_OBJECT, false, &rules);
    if (rc != JY_OK || !rules)
        return rc;
    if ((rc = check_keys(c, rules, "rules", keys, 4)) != JY_OK)
        return rc;
    struct jy_catalog_rules *r = &t->rules;
    int64_t x = 0;
    if ((rc = integer(c, rules, "rules", "renewal_window_days", false, 1,
                      JY_CATALOG_MAX_WINDOW_DAYS, "bad_rule", &x)) != JY_OK)
        return rc;
    r->renewal_window_days = (int)x;
    x = 0;
    if ((rc = integer(c, rules, "rules", "vehicle_age_years_max", false, 1,
                      JY_CATALOG_MAX_VEHICLE_AGE_YEARS, "bad_rule", &x)) != JY_OK)
        return rc;
    r->vehicle_age_years_max = (int)x;

    json_t *years;
    if ((rc = bounded_array(c, rules, "rules", "sticker_years", false,
                            JY_CATALOG_MAX_VEHICLE_AGE_YEARS, &years)) != JY_OK)
        return rc;
    if (years) {
        if (r->vehicle_age_years_max == 0)
            return fail(c, JY_INVALID, "bad_rule", "rules.sticker_years",
                        "needs rules.vehicle_age_years_max");
        if (json_array_size(years) == 0)
            return fail(c, JY_INVALID, "bad_rule", "rules.sticker_years", "empty");
        int last = 0;
        for (size_t i = 0; i < json_array_size(years); i++) {
            json_t *y = json_array_get(years, i);
            char sub[PATH_SIZE];
            path_at(sub, sizeof(sub), "rules", "sticker_years", i);
            if ((rc = want(c, y, sub, K_INTEGER)) != JY_OK)
                return rc;
            json_int_t year = json_integer_value(y);
            if (year <= last || year > r->vehicle_age_years_max)
                return fail(c, JY_INVALID, "bad_rule", sub,
                            "years must ascend within 1..%d (vehicle_age_years_max)",
                            r->vehicle_age_years_max);
            r->sticker_years |= (uint32_t)1 << year;
            last = (int)year;
        }
    }
    return parse_age_limits(c, rules, r);
}

/* Checks across the fields of one type, after each field is valid on its own. */
static enum jy_err check_consistency(const struct ctx *c, const struct jy_business_type *t)
{
    bool has_approval = jy_business_type_route_index(t, JY_STATION_APPROVAL) >= 0;
    int dispatch = jy_business_type_route_index(t, JY_STATION_DISPATCH);
    bool ends_at_dispatch = t->route_len > 0 && dispatch == (int)t->route_len - 1;

    if (t->counter_only && t->route_len > 0)
        return fail(c, JY_INVALID, "route_not_empty", "route", "a counter-only type has no route");
    if (!t->counter_only && t->route_len == 0)
        return fail(c, JY_INVALID, "empty_route", "route",
                    "empty (only a counter_only type has no route)");
    if (dispatch >= 0 && !ends_at_dispatch)
        return fail(c, JY_INVALID, "dispatch_not_last", "route",
                    "dispatch must be the last station");
    if (t->delivery == JY_DELIVERY_EMS && !ends_at_dispatch)
        return fail(c, JY_INVALID, "delivery_mismatch", "delivery",
                    "ems delivery needs a route that ends at dispatch");
    if (t->delivery != JY_DELIVERY_EMS && ends_at_dispatch)
        return fail(c, JY_INVALID, "delivery_mismatch", "delivery",
                    "the route ends at dispatch, so delivery must be ems");
    if (t->police_approval != has_approval)
        return fail(c, JY_INVALID, "approval_mismatch", "police_approval",
                    "%s, but the route %s approval", t->police_approval ? "true" : "false",
                    has_approval ? "passes" : "does not pass");
    if (t->counter_only ? t->sla_working_days != 0 : t->sla_working_days < 1)
        return fail(c, JY_INVALID, "bad_sla", "sla_working_days",
                    t->counter_only ? "must be 0 for a counter-only type"
                                    : "must be at least 1 for a type with a route");
    if ((t->delivery == JY_DELIVERY_EMS) != ((t->requires & JY_REQUIRES_DELIVERY) != 0))
        return fail(c, JY_INVALID, "requires_mismatch", "requires",
                    "must list \"delivery\" exactly when delivery is ems");
    if (t->category == JY_CATEGORY_VEHICLE && !(t->requires & JY_REQUIRES_VEHICLE))
        return fail(c, JY_INVALID, "requires_mismatch", "requires",
                    "a vehicle business must list \"vehicle\"");
    if (t->category == JY_CATEGORY_LICENCE && !(t->requires & JY_REQUIRES_LICENCE))
        return fail(c, JY_INVALID, "requires_mismatch", "requires",
                    "a licence business must list \"licence\"");
    if ((t->requires & JY_REQUIRES_OWNER_ORG_ALLOWED) && !(t->requires & JY_REQUIRES_VEHICLE))
        return fail(c, JY_INVALID, "requires_mismatch", "requires",
                    "\"owner_org_allowed\" needs \"vehicle\"");
    return JY_OK;
}

/* Parse entry `index` of business_types, `v`, into `t`; `earlier` are the entries before it. */
static enum jy_err parse_type(struct jy_error *err, json_t *v, size_t index,
                              struct jy_business_type *t, const struct jy_business_type *earlier)
{
    static const char *const keys[] = {
        "code",
        "name_zh",
        "name_en",
        "category",
        "documents",
        "fees",
        "route",
        "counter_only",
        "sla_working_days",
        "police_approval",
        "output",
        "delivery",
        "requires",
        "rules",
        "note",
    };
    struct ctx c = {.err = err};
    snprintf(c.field, sizeof(c.field), "business_types[%zu]", index);
    snprintf(c.who, sizeof(c.who), "business type #%zu", index);
    enum jy_err rc;
    if ((rc = want(&c, v, "", K_OBJECT)) != JY_OK ||
        (rc = check_keys(&c, v, "", keys, sizeof(keys) / sizeof(keys[0]))) != JY_OK ||
        (rc = text(&c, v, "", "code", true, T_CODE, t->code, JY_CATALOG_CODE_MAX_BYTES)) != JY_OK)
        return rc;
    snprintf(c.who, sizeof(c.who), "business type %s", t->code);
    for (size_t j = 0; j < index; j++)
        if (eq_nocase(t->code, strlen(t->code), earlier[j].code))
            return fail(&c, JY_INVALID, "duplicate_code", "code",
                        "code %s is already business_types[%zu]", t->code, j);

    int category = 0, output = 0, delivery = 0;
    int64_t sla = 0;
    if ((rc = text(&c, v, "", "name_zh", true, T_NAME, t->name_zh, JY_CATALOG_NAME_MAX_BYTES)) !=
            JY_OK ||
        (rc = text(&c, v, "", "name_en", true, T_NAME, t->name_en, JY_CATALOG_NAME_MAX_BYTES)) !=
            JY_OK ||
        (rc = choice(&c, v, "category", category_codes, JY__CATEGORY_COUNT, "unknown_category",
                     "category", &category)) != JY_OK ||
        (rc = parse_documents(&c, v, t)) != JY_OK || (rc = parse_fees(&c, v, t)) != JY_OK ||
        (rc = parse_route(&c, v, t)) != JY_OK ||
        (rc = boolean(&c, v, "", "counter_only", false, &t->counter_only)) != JY_OK ||
        (rc = integer(&c, v, "", "sla_working_days", true, 0, JY_CALENDAR_MAX_WORKING_DAYS,
                      "bad_sla", &sla)) != JY_OK ||
        (rc = boolean(&c, v, "", "police_approval", true, &t->police_approval)) != JY_OK ||
        (rc = choice(&c, v, "output", output_codes, JY__OUTPUT_COUNT, "unknown_output", "output",
                     &output)) != JY_OK ||
        (rc = choice(&c, v, "delivery", delivery_codes, JY__DELIVERY_COUNT, "unknown_delivery",
                     "delivery", &delivery)) != JY_OK ||
        (rc = parse_requires(&c, v, t)) != JY_OK || (rc = parse_rules(&c, v, t)) != JY_OK ||
        (rc = text(&c, v, "", "note", false, T_NOTE, t->note, JY_CATALOG_NOTE_MAX_BYTES)) != JY_OK)
        return rc;
    t->category = (enum jy_catalog_category)category;
    t->output = (enum jy_catalog_output)output;
    t->delivery = (enum jy_catalog_delivery)delivery;
    t->sla_working_days = (int)sla;
    return check_consistency(&c, t);
}

/* =============================== the catalog =============================== */

static enum jy_err parse_stations(const struct ctx *c, json_t *root,
                                  struct jy_catalog_station out[JY__STATION_COUNT])
{
    static const char *const keys[] = {"code", "name_zh", "name_en"};
    json_t *arr;
    enum jy_err rc = member(c, root, "", "stations", K_ARRAY, true, &arr);
    if (rc != JY_OK)
        return rc;
    bool seen[JY__STATION_COUNT] = {false};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *s = json_array_get(arr, i);
        char base[PATH_SIZE], sub[PATH_SIZE];
        path_at(base, sizeof(base), "", "stations", i);
        enum jy_station st;
        json_t *code;
        if ((rc = want(c, s, base, K_OBJECT)) != JY_OK ||
            (rc = check_keys(c, s, base, keys, 3)) != JY_OK ||
            (rc = member(c, s, base, "code", K_STRING, true, &code)) != JY_OK ||
            (rc = station_value(c, code, path(sub, sizeof(sub), base, "code"), &st)) != JY_OK)
            return rc;
        if (seen[st])
            return fail(c, JY_INVALID, "duplicate_station", sub, "station '%s' is listed twice",
                        jy_station_code(st));
        seen[st] = true;
        out[st].station = st;
        if ((rc = text(c, s, base, "name_zh", true, T_NAME, out[st].name_zh,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK ||
            (rc = text(c, s, base, "name_en", true, T_NAME, out[st].name_en,
                       JY_CATALOG_NAME_MAX_BYTES)) != JY_OK)
            return rc;
    }
    for (int i = 0; i < JY__STATION_COUNT; i++)
        if (!seen[i])
            return fail(c, JY_INVALID, "missing_station", "stations", "station '%s' is missing",
                        station_table[i].code);
    return JY_OK;
}

enum jy_err jy_catalog_load(const char *json, size_t len, struct jy_catalog **ret,
                            struct jy_error *err)
{
    static const char *const keys[] = {"version", "currency", "demo_fees",
                                       "note",    "stations", "business_types"};
    struct ctx c = {.err = err, .field = "", .who = "catalog"};
    if (!json)
        return fail(&c, JY_INVALID, "bad_json", "", "no catalog text");
    if (len > JY_CATALOG_MAX_BYTES)
        return fail(&c, JY_TOO_LARGE, "too_large", "", "%zu bytes, at most %d", len,
                    JY_CATALOG_MAX_BYTES);
    if (!depth_ok(json, len, JY_JSON_MAX_DEPTH))
        return fail(&c, JY_TOO_LARGE, "too_deep", "", "nested deeper than %d levels",
                    JY_JSON_MAX_DEPTH);

    /* JSON text never holds a raw NUL byte; jansson would take one as the end of the text. */
    const char *nul = memchr(json, '\0', len);
    if (nul)
        return fail(&c, JY_INVALID, "bad_json", "", "a NUL byte at offset %zu",
                    (size_t)(nul - json));

    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char shown[SHOW_SIZE];
        return fail(&c, JY_INVALID, "bad_json", "", "not valid JSON at line %d column %d: %s",
                    jerr.line, jerr.column, show(jerr.text, strlen(jerr.text), shown));
    }

    struct jy_catalog *cat = NULL;
    struct jy_catalog_station stations[JY__STATION_COUNT];
    memset(stations, 0, sizeof(stations));
    int64_t version = 0;
    bool demo_fees = false;
    json_t *currency, *types;
    char note[JY_CATALOG_NOTE_MAX_BYTES + 1];
    enum jy_err rc;
    if ((rc = want(&c, root, "", K_OBJECT)) != JY_OK ||
        (rc = check_keys(&c, root, "", keys, sizeof(keys) / sizeof(keys[0]))) != JY_OK ||
        (rc = integer(&c, root, "", "version", true, 1, 1, "unsupported_version", &version)) !=
            JY_OK ||
        (rc = member(&c, root, "", "currency", K_STRING, true, &currency)) != JY_OK)
        goto out;
    if (strcmp(json_string_value(currency), "CNY") != 0) {
        char shown[SHOW_SIZE];
        rc = fail(&c, JY_INVALID, "unsupported_currency", "currency",
                  "'%s' is not supported (CNY, amounts in fen)",
                  show(json_string_value(currency), json_string_length(currency), shown));
        goto out;
    }
    if ((rc = boolean(&c, root, "", "demo_fees", false, &demo_fees)) != JY_OK ||
        (rc = text(&c, root, "", "note", false, T_NOTE, note, JY_CATALOG_NOTE_MAX_BYTES)) !=
            JY_OK ||
        (rc = parse_stations(&c, root, stations)) != JY_OK ||
        (rc = bounded_array(&c, root, "", "business_types", true, JY_CATALOG_MAX_TYPES, &types)) !=
            JY_OK)
        goto out;
    size_t n = json_array_size(types);
    if (n == 0) {
        rc = fail(&c, JY_INVALID, "no_business_types", "business_types", "empty");
        goto out;
    }
    if (n > (SIZE_MAX - sizeof(*cat)) / sizeof(cat->types[0])) {
        rc = fail(&c, JY_TOO_LARGE, "too_many", "business_types", "too many entries");
        goto out;
    }
    cat = calloc(1, sizeof(*cat) + n * sizeof(cat->types[0]));
    if (!cat) {
        rc = fail(&c, JY_NOMEM, "out_of_memory", "", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        rc = parse_type(err, json_array_get(types, i), i, &cat->types[i], cat->types);
        if (rc != JY_OK)
            goto out;
    }
    cat->version = (int)version;
    cat->demo_fees = demo_fees;
    memcpy(cat->stations, stations, sizeof(stations));
    cat->type_count = n;
    *ret = cat;
    cat = NULL;
    rc = JY_OK;
out:
    free(cat);
    json_decref(root);
    return rc;
}

void jy_catalog_free(struct jy_catalog *cat)
{
    free(cat);
}

int jy_catalog_version(const struct jy_catalog *cat)
{
    return cat ? cat->version : 0;
}

bool jy_catalog_demo_fees(const struct jy_catalog *cat)
{
    return cat && cat->demo_fees;
}

const struct jy_catalog_station *jy_catalog_station(const struct jy_catalog *cat,
                                                    enum jy_station st)
{
    if (!cat || (int)st < 0 || st >= JY__STATION_COUNT)
        return NULL;
    return &cat->stations[st];
}

size_t jy_catalog_count(const struct jy_catalog *cat)
{
    return cat ? cat->type_count : 0;
}

const struct jy_business_type *jy_catalog_at(const struct jy_catalog *cat, size_t i)
{
    if (!cat || i >= cat->type_count)
        return NULL;
    return &cat->types[i];
}

const struct jy_business_type *jy_catalog_find(const struct jy_catalog *cat, const char *code,
                                               size_t len)
{
    if (!cat || !code || len > JY_IDENT_MAX_BYTES)
        return NULL;
    trim(&code, &len);
    for (size_t i = 0; i < cat->type_count; i++)
        if (eq_nocase(code, len, cat->types[i].code))
            return &cat->types[i];
    return NULL;
}

/* =============================== one business type =============================== */

enum jy_err jy_business_type_total_fee(const struct jy_business_type *type, int64_t *ret_fen,
                                       struct jy_error *err)
{
    int64_t sum = 0;
    size_t n = type->fee_count < JY_CATALOG_MAX_FEES ? type->fee_count : JY_CATALOG_MAX_FEES;
    for (size_t i = 0; i < n; i++) {
        int64_t a = type->fees[i].amount_fen;
        if (a < 0 || sum > INT64_MAX - a)
            return jy_error_set(err, JY_RANGE, "fee_overflow", "fees",
                                "business type %s: the fees do not add up to a valid amount",
                                type->code);
        sum += a;
    }
    *ret_fen = sum;
    return JY_OK;
}

int jy_business_type_route_index(const struct jy_business_type *type, enum jy_station st)
{
    size_t n = type->route_len < JY_CATALOG_MAX_ROUTE ? type->route_len : JY_CATALOG_MAX_ROUTE;
    for (size_t i = 0; i < n; i++)
        if (type->route[i] == st)
            return (int)i;
    return -1;
}

bool jy_business_type_first_station(const struct jy_business_type *type, enum jy_station *ret)
{
    if (type->route_len == 0)
        return false;
    *ret = type->route[0];
    return true;
}

enum jy_err jy_business_type_next_station(const struct jy_business_type *type,
                                          enum jy_station current, enum jy_station *ret_next,
                                          bool *ret_is_last, struct jy_error *err)
{
    int i = jy_business_type_route_index(type, current);
    if (i < 0) {
        const char *code = jy_station_code(current);
        return jy_error_set(err, JY_CONFLICT, "station_not_on_route", "station",
                            "business type %s does not pass station %s", type->code,
                            code ? code : "(invalid)");
    }
    if ((size_t)i + 1 < type->route_len) {
        *ret_next = type->route[i + 1];
        *ret_is_last = false;
    } else {
        *ret_is_last = true;
    }
    return JY_OK;
}

const struct jy_catalog_document *
jy_business_type_find_document(const struct jy_business_type *type, const char *code, size_t len)
{
    if (!code || len > JY_IDENT_MAX_BYTES)
        return NULL;
    trim(&code, &len);
    size_t n = type->document_count < JY_CATALOG_MAX_DOCUMENTS ? type->document_count
                                                               : JY_CATALOG_MAX_DOCUMENTS;
    for (size_t i = 0; i < n; i++)
        if (eq_nocase(code, len, type->documents[i].code))
            return &type->documents[i];
    return NULL;
}

bool jy_business_type_requires_document(const struct jy_business_type *type, const char *code,
                                        size_t len)
{
    const struct jy_catalog_document *d = jy_business_type_find_document(type, code, len);
    return d && d->required;
}
