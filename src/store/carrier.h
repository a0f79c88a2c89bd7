/*
 * carrier.h — typed access to what the delivery and notification side keeps: the notification
 * outbox (table outbox), the EMS item numbers an application carried before it was sealed
 * again (superseded_waybills), the carrier's rows no application carries
 * (shipment_events_unmatched), the carrier's rows of one application, the applicant's mobile
 * for a message, and the items whose delivery needs the branch (delivery_failed, returned).
 *
 * Conventions as in workflow.h: every function runs on the calling thread's connection; the
 * functions that write run inside the caller's transaction (they say so), with the event that
 * causes them; strings come back in fixed buffers, and a stored value that would not fit is
 * JY_INTERNAL "stored_value_too_long". Callbacks get rows valid during the call only and stop
 * the walk (returning JY_OK) by returning false.
 */
#ifndef JY_STORE_CARRIER_H
#define JY_STORE_CARRIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../limits.h"
#include "store.h"
#include "workflow.h"

/* ---- the outbox ---- */

/* Bytes of the outbox's text fields, NUL included. */
#define JY_OUTBOX_TEMPLATE_SIZE 33
#define JY_OUTBOX_KEY_SIZE 97
#define JY_OUTBOX_MOBILE_SIZE 12
#define JY_OUTBOX_BODY_SIZE (JY_OUTBOX_BODY_MAX_BYTES + 1)
#define JY_OUTBOX_ERROR_SIZE 201

/* The states of a message. */
#define JY_OUTBOX_QUEUED "queued" /* waiting for its (next) attempt */
#define JY_OUTBOX_SENT "sent"     /* the gateway took it */
#define JY_OUTBOX_DEAD "dead"     /* JY_OUTBOX_MAX_ATTEMPTS attempts failed: given up */

/* A message as stored. */
struct jy_store_outbox {
    int64_t id;
    int64_t application_id;
    char number[JY_WORKFLOW_NUMBER_SIZE]; /* the application's compact number */
    char template_code[JY_OUTBOX_TEMPLATE_SIZE];
    char dedupe_key[JY_OUTBOX_KEY_SIZE];
    char mobile[JY_OUTBOX_MOBILE_SIZE]; /* 11 digits: mask it before it reaches a log */
    char body_zh[JY_OUTBOX_BODY_SIZE];
    char body_en[JY_OUTBOX_BODY_SIZE];
    char state[8];    /* queued | sent | dead */
    int64_t attempts; /* posts tried */
    int64_t next_ms;  /* UTC milliseconds: the next attempt, while queued */
    char last_error[JY_OUTBOX_ERROR_SIZE];
    int64_t created_at; /* UTC seconds */
    int64_t sent_at;    /* UTC seconds; 0 until sent */
};

/* In the caller's transaction: queue message `m` (its id, number, state, attempts, last_error
 * and sent_at are ignored; state queued, attempts 0) unless a message with the same dedupe_key
 * exists: `*ret_inserted` says which. Errors: JY_TOO_LONG; JY_CONFLICT "foreign_key" for an
 * unknown application; JY_INTERNAL when no transaction is open. */
enum jy_err jy_store_outbox_insert(struct jy_store_conn *conn, const struct jy_store_outbox *m,
                                   bool *ret_inserted, struct jy_error *err);

/* The queued message due first at `now_ms` (UTC milliseconds): next_ms <= now_ms, oldest due
 * first. JY_NOT_FOUND "outbox_empty" when none is due. */
enum jy_err jy_store_outbox_next_due(struct jy_store_conn *conn, int64_t now_ms,
                                     struct jy_store_outbox *ret, struct jy_error *err);

/* The time (UTC milliseconds) of the next queued message's attempt into `*ret`; 0 when nothing
 * is queued. */
enum jy_err jy_store_outbox_next_time(struct jy_store_conn *conn, int64_t *ret,
                                      struct jy_error *err);

/* Record one attempt on message `id`: `state` (JY_OUTBOX_*), `attempts` its new count,
 * `next_ms` the next attempt (queued), `error` why it failed (NULL when sent), `sent_at`
 * (UTC seconds; when sent). Runs in its own transaction when none is open. */
enum jy_err jy_store_outbox_record(struct jy_store_conn *conn, int64_t id, const char *state,
                                   int64_t attempts, int64_t next_ms, const char *error,
                                   int64_t sent_at, struct jy_error *err);

/* Messages per state into ret[0] queued, ret[1] sent, ret[2] dead. */
enum jy_err jy_store_outbox_counts(struct jy_store_conn *conn, int64_t ret[3],
                                   struct jy_error *err);

/* Call `fn` for at most `limit` messages, newest first, with id < `before_id` (0: from the
 * newest), only those in `state` (NULL: all) and of application `application_id` (0: all). */
enum jy_err jy_store_outbox_list(struct jy_store_conn *conn, const char *state,
                                 int64_t application_id, int64_t before_id, size_t limit,
                                 bool (*fn)(void *ctx, const struct jy_store_outbox *m), void *ctx,
                                 struct jy_error *err);

/* The mobile number to text about application `id` (the delivery mobile, else the applicant's)
 * into `ret` (12 bytes); "" when it has none. JY_NOT_FOUND for an unknown id. */
enum jy_err jy_store_application_mobile(struct jy_store_conn *conn, int64_t id,
                                        char ret[JY_OUTBOX_MOBILE_SIZE], struct jy_error *err);

/* ---- item numbers carried before ---- */

/* In the caller's transaction: record that application `application_id` no longer carries
 * `waybill` (from `now`, UTC seconds). Recording the same number again does nothing. */
enum jy_err jy_store_waybill_supersede(struct jy_store_conn *conn, const char *waybill,
                                       int64_t application_id, int64_t now, struct jy_error *err);

/* The application that carried `waybill` before into `*ret_id`. JY_NOT_FOUND "unknown_waybill"
 * when none did. */
enum jy_err jy_store_waybill_superseded_by(struct jy_store_conn *conn, const char *waybill,
                                           int64_t *ret_id, struct jy_error *err);

/* ---- the carrier's rows ---- */

/* One row of shipment_events. */
struct jy_store_shipment_row {
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];
    char status[JY_WORKFLOW_CODE_SIZE];
    int64_t at; /* UTC seconds, the carrier's */
    char location[JY_WORKFLOW_LOCATION_SIZE];
    char failure_reason[JY_WORKFLOW_LOCATION_SIZE];
    int64_t received_at; /* UTC seconds */
};

/* Call `fn` for at most `limit` rows no application carries, now or before, newest received
 * first. */
enum jy_err jy_store_shipment_unmatched(struct jy_store_conn *conn, size_t limit,
                                        bool (*fn)(void *ctx,
                                                   const struct jy_store_shipment_row *r),
                                        void *ctx, struct jy_error *err);

/* How many rows no application carries, into `*ret`. */
enum jy_err jy_store_shipment_unmatched_count(struct jy_store_conn *conn, int64_t *ret,
                                              struct jy_error *err);

/* Call `fn` for at most `limit` of the carrier's rows about application `id` (its waybill and
 * the ones it carried before), oldest first (at, then status). */
enum jy_err jy_store_shipment_rows_of(struct jy_store_conn *conn, int64_t id, size_t limit,
                                      bool (*fn)(void *ctx, const struct jy_store_shipment_row *r),
                                      void *ctx, struct jy_error *err);

/* ---- deliveries that need the branch ---- */

/* An application whose delivery failed or which came back, with what the clerk needs to call
 * the applicant. */
struct jy_store_attention {
    int64_t id;
    char number[JY_WORKFLOW_NUMBER_SIZE];
    char business_type[JY_WORKFLOW_TYPE_SIZE];
    char state[JY_WORKFLOW_CODE_SIZE]; /* delivery_failed | returned */
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];
    int64_t branch_id;
    char recipient[121];
    char mobile[JY_OUTBOX_MOBILE_SIZE];
    char address[JY_WORKFLOW_NOTE_SIZE];
    char failure_reason[JY_WORKFLOW_LOCATION_SIZE]; /* the carrier's last, "" when none */
    int64_t since;                                  /* UTC seconds: updated_at */
};

/* Call `fn` for at most `limit` applications in delivery_failed or returned, of branch
 * `branch_id` (0: every branch), longest waiting first. */
enum jy_err jy_store_delivery_attention(struct jy_store_conn *conn, int64_t branch_id, size_t limit,
                                        bool (*fn)(void *ctx, const struct jy_store_attention *a),
                                        void *ctx, struct jy_error *err);

#endif /* JY_STORE_CARRIER_H */
