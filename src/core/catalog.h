/*
 * catalog.h — the business catalog: the business types a counter accepts, what each needs and
 * costs, and the route of back-office stations it passes (DESIGN.md §3, §7).
 *
 * The catalog is data (data/catalog.json, embedded in the binary). jy_catalog_load parses and
 * validates it completely — a bad catalog stops the service with a message naming the entry
 * and the field — and copies everything into one owned, immutable `struct jy_catalog`, which
 * any number of threads may then read at once. Every array in it has a fixed bound from
 * src/limits.h.
 *
 * The file's shape (every key is checked; an unknown key is an error, so a typo cannot pass):
 *
 *   {"version": 1, "currency": "CNY", "demo_fees": true|false (optional), "note": "…" (optional),
 *    "stations": [{"code": "review", "name_zh": "审核", "name_en": "Review"}, … all six once],
 *    "business_types": [{
 *      "code": "D01", "name_zh": "…", "name_en": "…",
 *      "category": "vehicle" | "licence" | "violation",
 *      "documents": [{"code": "id_card", "name_zh": "…", "name_en": "…", "required": true}, …],
 *      "fees": [{"code": "licence_card", "name_zh": "…", "name_en": "…", "amount_fen": 1000}, …],
 *      "route": ["review", "approval", …],     (empty exactly when "counter_only": true)
 *      "counter_only": true|false (optional, default false),
 *      "sla_working_days": 3,
 *      "police_approval": true|false,          (exactly when the route has "approval")
 *      "output": "licence_card" | "plate" | "vehicle_licence" | "registration_certificate"
 *                | "inspection_sticker" | "decision" | "none",
 *      "delivery": "ems" | "none",             (ems exactly when the route ends at dispatch)
 *      "requires": ["applicant", "vehicle", "licence", "delivery", "owner_org_allowed"],
 *      "rules": {"renewal_window_days": 90, "vehicle_age_years_max": 10,
 *                "sticker_years": [2, 4, 8],
 *                "age_limits": [{"age_years": 60, "classes": "A1A2A3B1B2MNP"}, …]} (optional),
 *      "note": "…" (optional)}, …]}
 */
#ifndef JY_CATALOG_H
#define JY_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "../limits.h"

/* ---- stations ---- */

/* The back-office stations, in pipeline order (DESIGN.md §3). A business type's route is an
 * ordered subset of them. */
enum jy_station {
    JY_STATION_REVIEW,     /* review 审核 */
    JY_STATION_APPROVAL,   /* approval 审批 (the police supervisor) */
    JY_STATION_PRINT,      /* print 打印 */
    JY_STATION_PRODUCTION, /* production 制证 (licence cards, plates) */
    JY_STATION_ARCHIVE,    /* archive 档案 */
    JY_STATION_DISPATCH,   /* dispatch 封发 (envelope sealed for EMS) */
    JY__STATION_COUNT
};

/* The stable code of station `st` ("review", "approval", …), or NULL when out of range.
 * Static string. */
const char *jy_station_code(enum jy_station st);

/* The Chinese ("审核") or English ("Review") name of `st`, or NULL when out of range. Static
 * strings. The catalog carries its own display names too (jy_catalog_station). */
const char *jy_station_name_zh(enum jy_station st);
const char *jy_station_name_en(enum jy_station st);

/* Parse a station code from `s` (`len` bytes; surrounding ASCII spaces trimmed, ASCII letters
 * in any case). True and `*ret` set when known; false and `*ret` untouched otherwise (also for
 * input longer than JY_IDENT_MAX_BYTES). */
bool jy_station_parse(const char *s, size_t len, enum jy_station *ret);

/* True when an application waiting at station `st`, or sent back for correction (补正) from it,
 * may still be refused (不予受理): at review (审核) and approval (审批) only. Refusing is the
 * decision not to accept the application, taken where it is examined (DESIGN.md §2: the police
 * supervisor "approves or refuses"; §3: review → approval → print → production → archive →
 * dispatch). Past approval the application has been granted and the licence, plate or
 * certificate is being made, printed, filed or posted; it can no longer be refused. */
bool jy_station_refusable(enum jy_station st);

/* ---- what a business type is made of ---- */

enum jy_catalog_category {
    JY_CATEGORY_VEHICLE,   /* "vehicle": 机动车业务 */
    JY_CATEGORY_LICENCE,   /* "licence": 驾驶证业务 */
    JY_CATEGORY_VIOLATION, /* "violation": 违法处理与罚款 */
    JY__CATEGORY_COUNT
};

/* What the back office produces for the applicant. */
enum jy_catalog_output {
    JY_OUTPUT_LICENCE_CARD,             /* "licence_card" */
    JY_OUTPUT_PLATE,                    /* "plate" */
    JY_OUTPUT_VEHICLE_LICENCE,          /* "vehicle_licence" */
    JY_OUTPUT_REGISTRATION_CERTIFICATE, /* "registration_certificate" */
    JY_OUTPUT_INSPECTION_STICKER,       /* "inspection_sticker" */
    JY_OUTPUT_DECISION,                 /* "decision" */
    JY_OUTPUT_NONE,                     /* "none" */
    JY__OUTPUT_COUNT
};

enum jy_catalog_delivery {
    JY_DELIVERY_NONE, /* "none": nothing is sent */
    JY_DELIVERY_EMS,  /* "ems": sealed at dispatch and sent by EMS */
    JY__DELIVERY_COUNT
};

/* The parts an intake must carry, as bits of `struct jy_business_type.requires`. */
enum jy_catalog_requires {
    JY_REQUIRES_APPLICANT = 1u << 0,         /* "applicant": name, ID, mobile */
    JY_REQUIRES_VEHICLE = 1u << 1,           /* "vehicle": plate, plate type, VIN */
    JY_REQUIRES_LICENCE = 1u << 2,           /* "licence": number and class */
    JY_REQUIRES_DELIVERY = 1u << 3,          /* "delivery": recipient and address */
    JY_REQUIRES_OWNER_ORG_ALLOWED = 1u << 4, /* "owner_org_allowed": the vehicle's owner may be
                                                an organisation (unified social credit code) */
};

/* The stable codes of the enums above ("vehicle", "licence_card", "ems"), or NULL when out of
 * range. Static strings. */
const char *jy_catalog_category_code(enum jy_catalog_category c);
const char *jy_catalog_output_code(enum jy_catalog_output o);
const char *jy_catalog_delivery_code(enum jy_catalog_delivery d);

/* A document the applicant hands in. Strings are NUL-terminated copies. */
struct jy_catalog_document {
    char code[JY_CATALOG_CODE_MAX_BYTES + 1];    /* "id_card" */
    char name_zh[JY_CATALOG_NAME_MAX_BYTES + 1]; /* "身份证明" */
    char name_en[JY_CATALOG_NAME_MAX_BYTES + 1]; /* "Proof of identity" */
    bool required;                               /* false: only when it applies */
};

/* A fee item. */
struct jy_catalog_fee {
    char code[JY_CATALOG_CODE_MAX_BYTES + 1]; /* "ems_postage" */
    char name_zh[JY_CATALOG_NAME_MAX_BYTES + 1];
    char name_en[JY_CATALOG_NAME_MAX_BYTES + 1];
    int64_t amount_fen; /* 0..JY_CATALOG_MAX_FEE_FEN */
};

/* From `age_years` on, the holder may no longer drive the licence classes in `classes` (a mask
 * over enum jy_licence_class_id, see licence.h). */
struct jy_catalog_age_limit {
    int age_years;
    unsigned classes;
};

/* The eligibility rules the counter checks. A zero (or an empty mask, or a zero count) means the
 * rule does not apply to the type. */
struct jy_catalog_rules {
    int renewal_window_days;   /* D03: renew within this many days before expiry (1..366) */
    int vehicle_age_years_max; /* V07: vehicle age, in years, up to which it applies (1..30) */
    uint32_t sticker_years;    /* V07: bit n set = the sticker is issued in year n without an
                                  on-site test (n = 1..vehicle_age_years_max) */
    size_t age_limit_count;    /* D04: entries of age_limits, ages strictly ascending */
    struct jy_catalog_age_limit age_limits[JY_CATALOG_MAX_AGE_LIMITS];
};

/* One business type. Built only by jy_catalog_load; read-only afterwards. */
struct jy_business_type {
    char code[JY_CATALOG_CODE_MAX_BYTES + 1];    /* "V01" */
    char name_zh[JY_CATALOG_NAME_MAX_BYTES + 1]; /* "补领机动车号牌" */
    char name_en[JY_CATALOG_NAME_MAX_BYTES + 1];
    enum jy_catalog_category category;
    size_t document_count;
    struct jy_catalog_document documents[JY_CATALOG_MAX_DOCUMENTS];
    size_t fee_count;
    struct jy_catalog_fee fees[JY_CATALOG_MAX_FEES];
    size_t route_len; /* 0 only when counter_only */
    enum jy_station route[JY_CATALOG_MAX_ROUTE];
    bool counter_only;    /* handled entirely at the counter (fine collection) */
    int sla_working_days; /* accepted + this many working days = due date; 0 when counter_only */
    bool police_approval; /* the route passes approval */
    enum jy_catalog_output output;
    enum jy_catalog_delivery delivery;
    unsigned requires; /* bits of enum jy_catalog_requires */
    struct jy_catalog_rules rules;
    char note[JY_CATALOG_NOTE_MAX_BYTES + 1]; /* "" when none */
};

/* ---- the catalog ---- */

/* The loaded catalog: opaque, immutable, safe to read from many threads. */
struct jy_catalog;

/* Parse and validate the catalog JSON `json` (`len` bytes, no NUL needed; UTF-8) and build a
 * new catalog in `*ret`. The caller owns the result and frees it with jy_catalog_free; nothing in
 * it points into `json`, which the caller may free at once.
 * Errors (`*ret` untouched, `err` filled with reason, field and message; the field is a path
 * such as "business_types[3].route[1]" and the message names the entry, e.g. "business type
 * V04: route[1]: unknown station 'aproval'"):
 *   JY_TOO_LARGE — more than JY_CATALOG_MAX_BYTES, nested deeper than JY_JSON_MAX_DEPTH
 *                  ("too_deep"), or more entries than a JY_CATALOG_MAX_* limit ("too_many");
 *   JY_TOO_LONG  — a code, name or note longer than its limit ("too_long");
 *   JY_INVALID   — not JSON, a raw NUL byte or a duplicate key ("bad_json"), "unknown_key",
 *                  "missing_key", "wrong_type", "unsupported_version", "unsupported_currency",
 *                  "bad_code", "empty_name", "bad_text" (a control character in a name),
 *                  "unknown_station", "duplicate_station", "missing_station",
 *                  "no_business_types", "duplicate_code", "unknown_category", "unknown_output",
 *                  "unknown_delivery", "duplicate_document", "duplicate_fee", "negative_fee",
 *                  "fee_too_large", "empty_route", "route_not_empty" (counter-only with a
 *                  route), "dispatch_not_last", "delivery_mismatch" (ems but the route does
 *                  not end at dispatch, or the other way round), "approval_mismatch"
 *                  (police_approval disagrees with the route), "bad_sla",
 *                  "unknown_requirement", "duplicate_requirement", "requires_mismatch"
 *                  (vehicle types must require a vehicle, licence types a licence, ems delivery
 *                  exactly a delivery address, owner_org_allowed only with a vehicle),
 *                  "bad_rule";
 *   JY_NOMEM     — out of memory. */
enum jy_err jy_catalog_load(const char *json, size_t len, struct jy_catalog **ret,
                            struct jy_error *err);

/* Free a catalog from jy_catalog_load. Accepts NULL. Every pointer obtained from it becomes
 * invalid. */
void jy_catalog_free(struct jy_catalog *cat);

/* The catalog's format version (1); 0 for NULL. */
int jy_catalog_version(const struct jy_catalog *cat);

/* True when the fee amounts are demonstration values that a city has not yet set ("demo_fees"
 * in the file); false for NULL. */
bool jy_catalog_demo_fees(const struct jy_catalog *cat);

/* The catalog's own entry for station `st`: its display names, which the pages show. */
struct jy_catalog_station {
    enum jy_station station;
    char name_zh[JY_CATALOG_NAME_MAX_BYTES + 1]; /* "审核" */
    char name_en[JY_CATALOG_NAME_MAX_BYTES + 1]; /* "Review" */
};

/* The catalog's entry for station `st`, or NULL when `st` is out of range (or `cat` is NULL).
 * Borrowed from `cat`. */
const struct jy_catalog_station *jy_catalog_station(const struct jy_catalog *cat,
                                                    enum jy_station st);

/* Number of business types (1..JY_CATALOG_MAX_TYPES); 0 for NULL. */
size_t jy_catalog_count(const struct jy_catalog *cat);

/* The `i`-th business type in file order, or NULL when `i` >= the count. Borrowed from `cat`. */
const struct jy_business_type *jy_catalog_at(const struct jy_catalog *cat, size_t i);

/* The business type with code `code` (`len` bytes; surrounding ASCII spaces trimmed, ASCII
 * letters compared without case: "d01" finds D01), or NULL when there is none or the input is
 * longer than JY_IDENT_MAX_BYTES. Borrowed from `cat`. */
const struct jy_business_type *jy_catalog_find(const struct jy_catalog *cat, const char *code,
                                               size_t len);

/* ---- helpers on one business type ----
 * `type` is a pointer from jy_catalog_at or jy_catalog_find (never NULL); the helpers only read
 * it and are safe to call from many threads. */

/* The sum of the type's fees, in fen, into `*ret_fen`. Errors: JY_RANGE "fee_overflow" when an
 * amount is negative or the sum does not fit in int64_t (impossible for a loaded catalog, whose
 * amounts are bounded; checked for types built by other means). `*ret_fen` untouched then. */
enum jy_err jy_business_type_total_fee(const struct jy_business_type *type, int64_t *ret_fen,
                                       struct jy_error *err);

/* The position of station `st` in the type's route (0-based), or -1 when the route does not
 * pass it. */
int jy_business_type_route_index(const struct jy_business_type *type, enum jy_station st);

/* The first station of the route into `*ret`: true, or false (and `*ret` untouched) for a
 * counter-only type, which has no route. */
bool jy_business_type_first_station(const struct jy_business_type *type, enum jy_station *ret);

/* Walk the route: the station after `current`. On JY_OK `*ret_is_last` tells whether `current`
 * is the route's last station; when it is not, `*ret_next` is the next station, and when it is,
 * `*ret_next` is left untouched (the application leaves the route: sealed when delivered by EMS,
 * closed otherwise). Errors (both outputs untouched): JY_CONFLICT "station_not_on_route" when
 * the route does not pass `current` (always so for a counter-only type). */
enum jy_err jy_business_type_next_station(const struct jy_business_type *type,
                                          enum jy_station current, enum jy_station *ret_next,
                                          bool *ret_is_last, struct jy_error *err);

/* The type's document with code `code` (`len` bytes, trimmed, compared without ASCII case), or
 * NULL when the type lists no such document. Borrowed from `type`. */
const struct jy_catalog_document *
jy_business_type_find_document(const struct jy_business_type *type, const char *code, size_t len);

/* True when the type lists document `code` (as for jy_business_type_find_document) and marks it
 * required; false when it is optional or not listed. */
bool jy_business_type_requires_document(const struct jy_business_type *type, const char *code,
                                        size_t len);

#endif /* JY_CATALOG_H */
