/*
 * applications.h — typed access to applications, their events as read back, the idempotency
 * keys of intakes, and scanned documents.
 *
 * The rest of the program reads and writes these tables only through the functions here (the
 * state changes of the station workflow have their own module). All functions run on the calling
 * thread's connection (jy_store_conn_get()); those that write must run inside a transaction the
 * caller opened with jy_store_begin(), so that a row and the event that records it commit
 * together. Records hold their strings in fixed buffers sized for the validated values (an ID
 * number is 18 characters, a name at most JY_NAME_MAX_BYTES bytes); a value that does not fit is
 * refused when written (JY_TOO_LONG), and a stored value that does not fit on the way back (the
 * database was edited by something else) is JY_INTERNAL "stored_value_too_long", so nothing is
 * ever truncated. An empty string in a record stands for SQL NULL.
 *
 * Thread-safety: as the connection — one thread per `conn`.
 */
#ifndef JY_STORE_APPLICATIONS_H
#define JY_STORE_APPLICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../limits.h"
#include "store.h"
#include "users.h"

/* Buffer sizes of the record fields, NUL included. */
#define JY_APP_NUMBER_SIZE 24    /* compact application number, at most 16 characters */
#define JY_APP_CODE_SIZE 33      /* business type, document and fee codes (JY_CATALOG_CODE_…) */
#define JY_APP_STATE_SIZE 24     /* a state or station code */
#define JY_APP_ID_NUMBER_SIZE 19 /* a resident ID number, 18 characters */
#define JY_APP_MOBILE_SIZE 12    /* 11 digits */
#define JY_APP_USCC_SIZE 19      /* 18 characters */
#define JY_APP_PLATE_SIZE 32     /* a normalised plate, UTF-8 (JY_PLATE_TEXT_SIZE) */
#define JY_APP_PLATE_TYPE_SIZE 3 /* two digits */
#define JY_APP_VIN_SIZE 18       /* 17 characters */
#define JY_APP_CLASSES_SIZE 29   /* licence classes written together (JY_LICENCE_CLASSES_…) */
#define JY_APP_DATE_SIZE 11      /* YYYY-MM-DD */
#define JY_APP_POSTCODE_SIZE 7   /* 6 digits */
#define JY_APP_WAYBILL_SIZE 16   /* an S10 item number, 13 characters */
#define JY_APP_SHA256_SIZE 65    /* 64 lower-case hex digits */
#define JY_APP_CONTENT_TYPE_SIZE 32

/* One fee item as charged at intake. */
struct jy_store_fee {
    char code[JY_APP_CODE_SIZE];              /* "licence_card" */
    char name[JY_CATALOG_NAME_MAX_BYTES + 1]; /* its Chinese name when charged */
    int64_t amount_fen;                       /* fen, >= 0 */
};

/* One row of `applications`, with the names the joins give (branch, clerk, lease holder) and
 * the note of the return that put it in correction. The joined fields and `correction_note`
 * are read only: the insert ignores them. */
struct jy_store_application {
    int64_t id;
    char number[JY_APP_NUMBER_SIZE];          /* compact: "WH26112900001L" */
    char business_type[JY_APP_CODE_SIZE];     /* "D01" */
    int64_t branch_id;                        /* accepting branch */
    char branch_code[33];                     /* joined: "WH001" */
    char branch_name_zh[121];                 /* joined */
    int64_t clerk_id;                         /* accepting clerk */
    char clerk_username[JY_USERNAME_MAX + 1]; /* joined */
    char state[JY_APP_STATE_SIZE];            /* "at_station", … */
    char station[JY_APP_STATE_SIZE];          /* "review", …; "" when none */
    char applicant_name[JY_NAME_MAX_BYTES + 1];
    char applicant_id_type[JY_APP_STATE_SIZE]; /* "resident_id" */
    char applicant_id_number[JY_APP_ID_NUMBER_SIZE];
    char applicant_mobile[JY_APP_MOBILE_SIZE];
    char owner_uscc[JY_APP_USCC_SIZE];     /* "" when the owner is a person */
    char vehicle_plate[JY_APP_PLATE_SIZE]; /* "" for a type without a vehicle */
    char vehicle_plate_type[JY_APP_PLATE_TYPE_SIZE];
    char vehicle_vin[JY_APP_VIN_SIZE];
    char licence_number[JY_APP_ID_NUMBER_SIZE]; /* "" for a type without a licence */
    char licence_class[JY_APP_CLASSES_SIZE];
    char licence_expiry[JY_APP_DATE_SIZE];          /* "" when not given */
    char delivery_recipient[JY_NAME_MAX_BYTES + 1]; /* "" when not delivered */
    char delivery_mobile[JY_APP_MOBILE_SIZE];
    char delivery_address[JY_ADDRESS_MAX_BYTES + 1];
    char delivery_postcode[JY_APP_POSTCODE_SIZE];
    size_t fee_count;
    struct jy_store_fee fees[JY_CATALOG_MAX_FEES];
    int64_t fee_total_fen; /* sum of the fees, fen */
    size_t document_count; /* the counter checklist received */
    char documents[JY_CATALOG_MAX_DOCUMENTS][JY_APP_CODE_SIZE];
    int64_t accepted_at;                                 /* UTC seconds */
    char due_date[JY_APP_DATE_SIZE];                     /* Asia/Shanghai civil date */
    int64_t lease_user_id;                               /* 0: no lease */
    char lease_username[JY_USERNAME_MAX + 1];            /* joined; "" without a lease */
    int64_t lease_expires_at;                            /* UTC seconds; 0 without a lease */
    char waybill[JY_APP_WAYBILL_SIZE];                   /* "" until dispatch */
    char correction_reason[JY_EVENT_CODE_MAX_BYTES + 1]; /* "" unless in correction */
    char correction_note[JY_NOTE_MAX_BYTES + 1]; /* read only: the note of the latest event into
                                                    correction, while in correction */
    int64_t version;                             /* >= 1; the insert stores 1 when given 0 */
    int64_t updated_at;                          /* UTC seconds */
};

/* Insert `a` (its id and read-only fields ignored) in the caller's transaction; `*ret_id` gets
 * the new id. Errors: JY_INTERNAL when no transaction is open; JY_INVALID "too_many_items" for a
 * fee or document count above its array; JY_TOO_LONG when a string is not NUL-terminated within
 * its buffer; JY_CONFLICT "duplicate" (number or waybill taken), "foreign_key" (unknown branch,
 * clerk or lease holder), "check_failed" (an unknown state or station); JY_NOMEM; JY_IO. */
enum jy_err jy_store_application_insert(struct jy_store_conn *conn,
                                        const struct jy_store_application *a, int64_t *ret_id,
                                        struct jy_error *err);

/* The application numbered `number` (compact, upper case, exact match) into `*ret`.
 * JY_NOT_FOUND ("not_found", field "number") when there is none. */
enum jy_err jy_store_application_by_number(struct jy_store_conn *conn, const char *number,
                                           struct jy_store_application *ret, struct jy_error *err);

/* The application with id `id` into `*ret`. JY_NOT_FOUND when there is none. */
enum jy_err jy_store_application_by_id(struct jy_store_conn *conn, int64_t id,
                                       struct jy_store_application *ret, struct jy_error *err);

/* Number of applications (for tests and figures). */
enum jy_err jy_store_application_count(struct jy_store_conn *conn, int64_t *ret,
                                       struct jy_error *err);

/* The most codes a list filter may name in one set (states, stations). */
#define JY_STORE_FILTER_MAX_CODES 12

/* What a list selects. Zero-initialise and set what applies; every condition set must hold.
 * Strings are borrowed for the call. */
struct jy_store_application_filter {
    int64_t branch_id;         /* 0: any branch */
    const char *business_type; /* exact code; NULL: any */
    size_t n_states;           /* state is one of states[0..n); 0: any state */
    const char *states[JY_STORE_FILTER_MAX_CODES];
    size_t n_stations; /* station is one of stations[0..n); 0: any */
    const char *stations[JY_STORE_FILTER_MAX_CODES];
    /* The search: when any of these three is set, the application matches one of them. */
    const char *number_prefix; /* compact number starts with this (upper case, 0-9 A-Z) */
    const char *plate;         /* vehicle_plate equals this (normalised) */
    const char *id_number;     /* applicant_id_number equals this (normalised) */
    int64_t before_id;         /* keyset: only ids below this; 0: from the newest */
};

/* Call `fn` for each application that `f` selects, newest first (id descending), at most
 * `limit` (1..JY_PAGE_MAX_ITEMS) times; `fn` may stop early by returning false. `*ret_next`
 * gets the id to pass as `before_id` for the next page — the id of the last row given to `fn`
 * — when more rows follow (or `fn` stopped early), else 0. The record given to `fn` is valid during
 * the call only. Errors: JY_RANGE for a bad limit or too many codes in a set; store errors;
 * `*ret_next` untouched then. */
enum jy_err jy_store_application_list(struct jy_store_conn *conn,
                                      const struct jy_store_application_filter *f, int limit,
                                      bool (*fn)(void *ctx, const struct jy_store_application *a),
                                      void *ctx, int64_t *ret_next, struct jy_error *err);

/* ---- events, read back ---- */

/* One row of `events` with its actor's username. Empty strings stand for NULL. */
struct jy_store_event_row {
    int64_t id;
    int64_t application_id;
    int64_t at;       /* UTC seconds */
    int64_t actor_id; /* 0: the system */
    char actor_username[JY_USERNAME_MAX + 1];
    char actor_role[JY_EVENT_CODE_MAX_BYTES + 1];
    int64_t branch_id; /* 0: not at a branch */
    char station[JY_EVENT_CODE_MAX_BYTES + 1];
    char from_state[JY_EVENT_CODE_MAX_BYTES + 1];
    char from_station[JY_EVENT_CODE_MAX_BYTES + 1];
    char to_state[JY_EVENT_CODE_MAX_BYTES + 1];
    char to_station[JY_EVENT_CODE_MAX_BYTES + 1];
    char reason[JY_EVENT_CODE_MAX_BYTES + 1];
    bool has_note; /* false: note is NULL (distinct from "") */
    char note[JY_NOTE_MAX_BYTES + 1];
};

/* Call `fn` for each event of application `application_id`, oldest first, until it returns
 * false. The row is valid during the call only. Store errors only (an unknown application has
 * no events). */
enum jy_err jy_store_application_events(struct jy_store_conn *conn, int64_t application_id,
                                        bool (*fn)(void *ctx, const struct jy_store_event_row *e),
                                        void *ctx, struct jy_error *err);

/* Set `*ret` to whether user `user_id` is the actor of any event of `application_id` (an
 * operator may read what it has worked on). */
enum jy_err jy_store_application_has_event_by(struct jy_store_conn *conn, int64_t application_id,
                                              int64_t user_id, bool *ret, struct jy_error *err);

/* ---- idempotency keys of intakes ---- */

/* The application created under (`user_id`, `key`) and the SHA-256 of that request's body.
 * JY_NOT_FOUND when the key is new. Outputs untouched on failure. */
enum jy_err jy_store_idempotency_find(struct jy_store_conn *conn, int64_t user_id, const char *key,
                                      int64_t *ret_application_id, uint8_t ret_request_hash[32],
                                      struct jy_error *err);

/* Record that (`user_id`, `key`) created `application_id` from a body hashing to
 * `request_hash`, at `now` (UTC seconds), in the caller's transaction. JY_CONFLICT "duplicate"
 * when the key is taken; JY_TOO_LONG over JY_IDEMPOTENCY_KEY_MAX_BYTES. */
enum jy_err jy_store_idempotency_insert(struct jy_store_conn *conn, int64_t user_id,
                                        const char *key, int64_t application_id,
                                        const uint8_t request_hash[32], int64_t now,
                                        struct jy_error *err);

/* ---- scanned documents ---- */

/* One row of `documents`. */
struct jy_store_document {
    int64_t id;
    int64_t application_id;
    char kind[JY_APP_CODE_SIZE];                 /* catalog document code; "" when not given */
    char sha256[JY_APP_SHA256_SIZE];             /* lower-case hex; the file's name */
    char content_type[JY_APP_CONTENT_TYPE_SIZE]; /* "image/png", … */
    int64_t size;                                /* bytes */
    int64_t uploaded_by;                         /* users.id; 0: unknown */
    int64_t uploaded_at;                         /* UTC seconds */
};

/* Insert `d` (id ignored) in the caller's transaction; `*ret_id` gets the new id. JY_CONFLICT
 * "duplicate" when the application already has a document with this SHA-256. */
enum jy_err jy_store_document_insert(struct jy_store_conn *conn, const struct jy_store_document *d,
                                     int64_t *ret_id, struct jy_error *err);

/* The document of `application_id` whose content hashes to `sha256`. JY_NOT_FOUND when none. */
enum jy_err jy_store_document_get(struct jy_store_conn *conn, int64_t application_id,
                                  const char *sha256, struct jy_store_document *ret,
                                  struct jy_error *err);

/* Number of documents of `application_id`. */
enum jy_err jy_store_document_count(struct jy_store_conn *conn, int64_t application_id,
                                    int64_t *ret, struct jy_error *err);

/* Call `fn` for each document of `application_id` in upload order (id), until it returns
 * false. The record is valid during the call only. */
enum jy_err jy_store_document_each(struct jy_store_conn *conn, int64_t application_id,
                                   bool (*fn)(void *ctx, const struct jy_store_document *d),
                                   void *ctx, struct jy_error *err);

#endif /* JY_STORE_APPLICATIONS_H */
