/*
 * fines.h — penalty decisions, the fines paid at the counters, and what the police recorded
 * when approving a W01 violation handling (tables decisions, fine_payments,
 * violation_approvals of migration "fines").
 *
 * Conventions as in applications.h: every function runs on the calling thread's connection;
 * writes run inside the caller's jy_store_begin() transaction (JY_INTERNAL otherwise, from
 * SQLite's point of view nothing is written); strings come back in fixed buffers, never
 * truncated (JY_INTERNAL "stored_value_too_long" when a stored value does not fit). Errors are
 * the store's (store.h) unless said otherwise.
 */
#ifndef JY_STORE_FINES_H
#define JY_STORE_FINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/decision.h"
#include "store.h"
#include "users.h"

/* A decision as stored, with its payment in force (if any). */
struct jy_store_decision {
    int64_t id;
    struct jy_decision d;
    int64_t imported_at; /* UTC seconds */
    int64_t payment_id;  /* fine_payments.id of the payment in force; 0: open */
};

/* Insert decision `d` (checked by jy_decision_check_row), imported at `now`; `demo` marks
 * synthetic data. `*ret_id` (may be NULL) gets its id. JY_CONFLICT "duplicate" when the
 * decision number is taken. */
enum jy_err jy_store_decision_insert(struct jy_store_conn *conn, const struct jy_decision *d,
                                     int64_t now, bool demo, int64_t *ret_id, struct jy_error *err);

/* The decision numbered `number` (normalised), into `*ret`. JY_NOT_FOUND "not_found". */
enum jy_err jy_store_decision_by_number(struct jy_store_conn *conn, const char *number,
                                        struct jy_store_decision *ret, struct jy_error *err);

/* Call `fn` for each open decision (no payment in force) of plate `plate` and type
 * `plate_type` — or, when `plate` is NULL, of licence number `licence_number` — oldest
 * deadline first, at most JY_PAGE_MAX_ITEMS, until it returns false. */
enum jy_err jy_store_decisions_open(struct jy_store_conn *conn, const char *plate,
                                    const char *plate_type, const char *licence_number,
                                    bool (*fn)(void *ctx, const struct jy_store_decision *d),
                                    void *ctx, struct jy_error *err);

/* A payment, with the names the receipt and the settlement need. */
struct jy_store_fine_payment {
    int64_t id;
    int64_t decision_id;
    char decision_number[JY_DECISION_NUMBER_MAX_BYTES + 1];
    char plate[32];
    char plate_type[3];
    char method[16]; /* cash | bank_card | qr */
    int64_t fine_fen;
    int64_t surcharge_fen;
    int64_t amount_fen; /* fine + surcharge */
    int days_overdue;
    char reference[JY_FINE_REFERENCE_MAX_BYTES + 1]; /* "" for none */
    int64_t clerk_id;
    char clerk_username[JY_USERNAME_MAX + 1];
    char clerk_name[JY_DISPLAY_NAME_MAX + 1];
    int64_t branch_id;
    char branch_code[33];
    char branch_name[121];
    int64_t paid_at;                                        /* UTC seconds */
    char paid_date[11];                                     /* YYYY-MM-DD, Asia/Shanghai */
    char idempotency_key[JY_IDEMPOTENCY_KEY_MAX_BYTES + 1]; /* "" for none */
    int64_t reversed_at;                                    /* 0: in force */
    int64_t reversed_by;
    char reversal_reason[JY_NOTE_MAX_BYTES + 1];
};

/* Insert payment `p` (fields decision_id … idempotency_key; the names are ignored). `*ret_id`
 * gets its id. JY_CONFLICT "duplicate" when the decision already has a payment in force, or the
 * clerk already used the idempotency key. */
enum jy_err jy_store_fine_payment_insert(struct jy_store_conn *conn,
                                         const struct jy_store_fine_payment *p, int64_t *ret_id,
                                         struct jy_error *err);

/* Payment `id` into `*ret`. JY_NOT_FOUND "not_found". */
enum jy_err jy_store_fine_payment_by_id(struct jy_store_conn *conn, int64_t id,
                                        struct jy_store_fine_payment *ret, struct jy_error *err);

/* The payment clerk `clerk_id` made with Idempotency-Key `key`. JY_NOT_FOUND "not_found". */
enum jy_err jy_store_fine_payment_by_key(struct jy_store_conn *conn, int64_t clerk_id,
                                         const char *key, struct jy_store_fine_payment *ret,
                                         struct jy_error *err);

/* Mark payment `id` reversed at `at` by user `by` for `reason`. JY_CONFLICT "already_reversed"
 * when it already is; JY_NOT_FOUND. */
enum jy_err jy_store_fine_payment_reverse(struct jy_store_conn *conn, int64_t id, int64_t by,
                                          int64_t at, const char *reason, struct jy_error *err);

/* Call `fn` for every payment whose settlement day is `date` ("YYYY-MM-DD"), reversed ones
 * included, by branch code then id, until it returns false. */
enum jy_err jy_store_fine_payments_day(struct jy_store_conn *conn, const char *date,
                                       bool (*fn)(void *ctx, const struct jy_store_fine_payment *p),
                                       void *ctx, struct jy_error *err);

/* Record the W01 approval of application `application_id`: decision `decision_number`, `points`,
 * by user `by` at `at`. JY_CONFLICT "duplicate" when one is recorded already. */
enum jy_err jy_store_violation_approval_insert(struct jy_store_conn *conn, int64_t application_id,
                                               const char *decision_number, int points, int64_t by,
                                               int64_t at, struct jy_error *err);

/* The W01 approval of application `application_id`: decision number into `ret_number`,
 * points into `*ret_points`. JY_NOT_FOUND "not_found" when none is recorded. */
enum jy_err jy_store_violation_approval_get(struct jy_store_conn *conn, int64_t application_id,
                                            char ret_number[JY_DECISION_NUMBER_MAX_BYTES + 1],
                                            int *ret_points, struct jy_error *err);

#endif /* JY_STORE_FINES_H */
