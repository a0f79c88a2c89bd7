/*
 * limits.h — every limit on a user-controllable resource, in one place.
 *
 * Any input that crosses one of these is refused with a 4xx and the JSON error shape (over the
 * network) or an error naming the limit (on the command line); nothing is truncated silently.
 * Change a limit here and nowhere else.
 */
#ifndef JY_LIMITS_H
#define JY_LIMITS_H

/* ---- identifiers and text fields (bytes, UTF-8) ---- */

/* Longest identifier any validator accepts as input before normalising (an ID number is 18,
 * a plate at most 9 characters = 27 bytes, a VIN 17, an S10 number 13). Longer input is refused
 * outright as too long, which also bounds the fuzzers' work. */
#define JY_IDENT_MAX_BYTES 64

/* A person's name: up to 50 characters of UTF-8. */
#define JY_NAME_MAX_BYTES 200

/* A delivery address: up to 200 characters of UTF-8. */
#define JY_ADDRESS_MAX_BYTES 800

/* A free-text note on an event (return, refusal): up to 500 characters. */
#define JY_NOTE_MAX_BYTES 2000

/* ---- data files ---- */

/* data/catalog.json: the business catalog. */
#define JY_CATALOG_MAX_BYTES (1024 * 1024)
/* Business types in one catalog (16 today; room for local additions). */
#define JY_CATALOG_MAX_TYPES 64
/* Documents, fees and route stations per business type. */
#define JY_CATALOG_MAX_DOCUMENTS 16
#define JY_CATALOG_MAX_FEES 8
#define JY_CATALOG_MAX_ROUTE 8
/* A code in the catalog (business type "V01", document "id_card", fee "ems_postage"). */
#define JY_CATALOG_CODE_MAX_BYTES 32
/* A display name in the catalog (name_zh, name_en): up to about 50 Chinese characters. */
#define JY_CATALOG_NAME_MAX_BYTES 160
/* A business type's free-text note (what is uncertain, where a rule comes from). */
#define JY_CATALOG_NOTE_MAX_BYTES 1000
/* One fee item: 1,000,000 yuan, far above any real fee, so that a typo cannot go unnoticed
 * and a type's total (at most JY_CATALOG_MAX_FEES items) can never overflow. */
#define JY_CATALOG_MAX_FEE_FEN 100000000
/* Age limits (licence classes barred from an age on) in one business type's rules. */
#define JY_CATALOG_MAX_AGE_LIMITS 4
/* Largest renewal window, in days, a rule may give (the real one is 90). */
#define JY_CATALOG_MAX_WINDOW_DAYS 366
/* Largest vehicle age, in years, an inspection rule may name (sticker years are bits 1..30). */
#define JY_CATALOG_MAX_VEHICLE_AGE_YEARS 30

/* data/holidays.csv: the official exceptions to the Monday–Friday rule. */
#define JY_CALENDAR_MAX_BYTES (256 * 1024)
/* Exception dates in one calendar (about 40 a year; 100 years of data). */
#define JY_CALENDAR_MAX_DAYS 4096
/* Years a calendar may cover. */
#define JY_CALENDAR_MIN_YEAR 1990
#define JY_CALENDAR_MAX_YEAR 2199
/* The longest SLA, in working days, a due date may be computed for. */
#define JY_CALENDAR_MAX_WORKING_DAYS 365
/* The name column of one holiday row ("国庆节、中秋节" is 21 bytes). */
#define JY_CALENDAR_MAX_NAME_BYTES 64

/* ---- HTTP (used by src/http) ---- */

/* A JSON request body. */
#define JY_HTTP_JSON_BODY_MAX_BYTES (1024 * 1024)
/* A scanned document upload. */
#define JY_HTTP_DOCUMENT_MAX_BYTES (10 * 1024 * 1024)
/* Nesting depth of a JSON request body. */
#define JY_JSON_MAX_DEPTH 32
/* Request headers per request. */
#define JY_HTTP_MAX_HEADERS 64
/* Items per page in a list; the default when the client gives none. */
#define JY_PAGE_MAX_ITEMS 200
#define JY_PAGE_DEFAULT_ITEMS 50
/* Concurrent connections the server accepts. */
#define JY_HTTP_MAX_CONNECTIONS 1024

/* ---- the store (used by src/store) ---- */

/* How long a connection waits for another writer (another thread or process) to finish its
 * transaction before giving up with JY_CONFLICT, reason "store_busy" (milliseconds). A use case
 * holds the write lock for a few milliseconds, so five seconds means the store is overloaded or
 * stuck, not merely busy. */
#define JY_STORE_BUSY_TIMEOUT_MS 5000
/* Prepared statements kept per connection; the least recently used one is finalised beyond it.
 * The program's SQL is a fixed set of constant strings (a few dozen), so this bounds memory
 * rather than limiting anything in normal use. */
#define JY_STORE_STMT_CACHE_MAX 128
/* Longest SQL text the statement cache accepts (the program's own statements are well under
 * 4 KiB; this catches a runaway generated statement). */
#define JY_STORE_SQL_MAX_BYTES (64 * 1024)
/* Longest database file path. */
#define JY_STORE_PATH_MAX_BYTES 4096
/* Longest name of a number sequence ("appno.420100.2026", "s10.EA"). */
#define JY_STORE_SEQUENCE_NAME_MAX_BYTES 64
/* Longest code-valued field of an event: a role, a state, a station, a reason code. */
#define JY_EVENT_CODE_MAX_BYTES 64

#endif /* JY_LIMITS_H */
