/*
 * custody.h — the paper between the hand-overs: branch bags (tables bags, bag_items), the
 * outbound dispatch batches (dispatch_batches, batch_items), every scan at a hand-over
 * (custody_scans), what the hand-overs found wrong (discrepancies), and the blocks of EMS item
 * numbers allocated to the centre (s10_ranges).
 *
 * Conventions as in workflow.h: every function runs on the calling thread's connection;
 * functions that write run inside the caller's jy_store_begin() transaction together with the
 * events that record the hand-over; strings come back in fixed buffers (a stored value that
 * does not fit is JY_INTERNAL "stored_value_too_long"); callbacks get rows valid during the call
 * only and stop the walk by returning false (the function then returns JY_OK).
 */
#ifndef JY_STORE_CUSTODY_H
#define JY_STORE_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/s10.h"
#include "store.h"
#include "users.h"
#include "workflow.h"

/* Buffer sizes, NUL included. */
#define JY_CUSTODY_REF_SIZE 48    /* a seal or batch number: "WH001-20261130-1" */
#define JY_CUSTODY_DETAIL_SIZE 96 /* a discrepancy's detail */

/* ---- S10 ranges ---- */

/* One block of EMS item numbers. */
struct jy_store_s10_range {
    int64_t id;
    struct jy_s10_range range; /* service, country, first, last, next */
    int64_t added_at;          /* UTC seconds */
};

/* In the caller's transaction: the next item number, from the oldest range not used up, into
 * `ret`; the range's `next` grows by one (given back if the transaction rolls back). Errors:
 * JY_CONFLICT "range_exhausted" when every range is used up; JY_INTERNAL "s10_not_configured"
 * when there is no range at all; JY_INTERNAL when no transaction is open. */
enum jy_err jy_store_s10_next(struct jy_store_conn *conn, char ret[JY_S10_LENGTH + 1],
                              struct jy_error *err);

/* The numbers still to give, over all ranges, into `*ret`. */
enum jy_err jy_store_s10_left(struct jy_store_conn *conn, int64_t *ret, struct jy_error *err);

/* Add range `r` (r->next ignored: a new range starts at its first serial), added at `now` by
 * `user_id` (0: the system). `*ret_id` is its id. Errors: JY_INVALID "bad_range" (first > last,
 * serial past 99999999, service or country not two capital letters); JY_CONFLICT
 * "range_overlaps" when it shares a serial with a range of the same service and country (the
 * message names it); store errors. Runs in the caller's transaction. */
enum jy_err jy_store_s10_add(struct jy_store_conn *conn, const struct jy_s10_range *r, int64_t now,
                             int64_t user_id, int64_t *ret_id, struct jy_error *err);

/* Call `fn` for every range, in allocation order. */
enum jy_err jy_store_s10_list(struct jy_store_conn *conn,
                              bool (*fn)(void *ctx, const struct jy_store_s10_range *r), void *ctx,
                              struct jy_error *err);

/* ---- bags and batches ---- */

/* Which hand-over: a branch's bag to the centre, or a dispatch batch to the mail centre. */
enum jy_custody_kind { JY_CUSTODY_BAG, JY_CUSTODY_BATCH };

/* A bag or a batch. Text NULL in the row is "". */
struct jy_store_handover {
    int64_t id;
    enum jy_custody_kind kind;
    char reference[JY_CUSTODY_REF_SIZE]; /* seal or batch number */
    int64_t branch_id;                   /* a bag's branch; 0 for a batch */
    char branch_code[33];
    char branch_name_zh[121];
    int64_t covers_until; /* UTC seconds */
    int64_t closed_at;    /* UTC seconds */
    int64_t closed_by;
    char closed_by_name[121];   /* display name, or username when none */
    int64_t item_count;         /* items closed into it */
    char state[16];             /* bag: in_transit | receiving | received;
                                   batch: closed | receiving | received */
    int64_t received_at;        /* UTC seconds; 0 before */
    int64_t received_count;     /* distinct items of it scanned in */
    int64_t open_discrepancies; /* of this hand-over, not yet resolved */
};

/* The applications that the next hand-over of `kind` would take, oldest first, into `fn`
 * (application ids): for a bag, the files accepted at branch `branch_id` before `until` (UTC
 * seconds) that are in no bag; for a batch (`branch_id` ignored), the applications in state
 * sealed, with a waybill, sealed (their event into `sealed`) before `until`, in no batch. At
 * most `limit` are given; `*ret_more` says whether more were there. */
enum jy_err jy_store_handover_pending(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                      int64_t branch_id, int64_t until, size_t limit,
                                      bool (*fn)(void *ctx, int64_t application_id), void *ctx,
                                      bool *ret_more, struct jy_error *err);

/* The newest hand-over of `kind` (for a bag: of branch `branch_id`), into `*ret`. JY_NOT_FOUND
 * "not_found" when there is none. */
enum jy_err jy_store_handover_last(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                   int64_t branch_id, struct jy_store_handover *ret,
                                   struct jy_error *err);

/* A new hand-over, closed. `h->reference`, `h->branch_id` (bags), `covers_until`, `closed_at`,
 * `closed_by` and `item_count` are read; `*ret_id` is its id. Errors: JY_CONFLICT "duplicate"
 * for a reference in use; store errors. */
enum jy_err jy_store_handover_insert(struct jy_store_conn *conn, const struct jy_store_handover *h,
                                     int64_t *ret_id, struct jy_error *err);

/* Put application `application_id` into hand-over `id` (`waybill` for a batch, borrowed).
 * JY_CONFLICT "duplicate" when it is already in one of that kind. */
enum jy_err jy_store_handover_add_item(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                       int64_t id, int64_t application_id, const char *waybill,
                                       struct jy_error *err);

/* The hand-over of `kind` numbered `reference` (borrowed), with its counts. JY_NOT_FOUND
 * "unknown_bag" / "unknown_batch". */
enum jy_err jy_store_handover_by_reference(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                           const char *reference, struct jy_store_handover *ret,
                                           struct jy_error *err);

/* The hand-over of `kind` holding application `application_id`; JY_NOT_FOUND "not_found"
 * when it is in none. */
enum jy_err jy_store_handover_of(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                 int64_t application_id, struct jy_store_handover *ret,
                                 struct jy_error *err);

/* Newest first, at most `limit`: the hand-overs of `kind`, of branch `branch_id` when not 0,
 * in state `state` when not NULL. */
enum jy_err jy_store_handover_list(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                   int64_t branch_id, const char *state, size_t limit,
                                   bool (*fn)(void *ctx, const struct jy_store_handover *h),
                                   void *ctx, struct jy_error *err);

/* Set the state of hand-over `id` ("receiving", "received"); `at` and `user_id` are recorded
 * as received_at and received_by when the state is "received". */
enum jy_err jy_store_handover_set_state(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                        int64_t id, const char *state, int64_t at, int64_t user_id,
                                        struct jy_error *err);

/* One item of a hand-over, with what its scans found. */
struct jy_store_handover_item {
    int64_t application_id;
    char number[JY_WORKFLOW_NUMBER_SIZE];
    char business_type[JY_WORKFLOW_TYPE_SIZE];
    char waybill[JY_WORKFLOW_WAYBILL_SIZE]; /* batches: the item number at closing; else "" */
    int64_t scans;                          /* times scanned at this hand-over */
};

/* The items of hand-over `id`, in the order they were closed into it. */
enum jy_err jy_store_handover_items(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                    int64_t id,
                                    bool (*fn)(void *ctx, const struct jy_store_handover_item *it),
                                    void *ctx, struct jy_error *err);

/* ---- scans ---- */

/* One scan at a hand-over. */
struct jy_store_scan {
    enum jy_custody_kind kind;
    int64_t handover_id; /* the bag or the batch */
    int64_t application_id;
    const char *outcome; /* expected | extra | duplicate */
    const char *place;   /* centre | mail_centre */
    int64_t at;          /* UTC seconds */
    int64_t user_id;
};

/* Record scan `s`. */
enum jy_err jy_store_scan_insert(struct jy_store_conn *conn, const struct jy_store_scan *s,
                                 struct jy_error *err);

/* How many times application `application_id` was scanned at hand-over `id`, into `*ret`. */
enum jy_err jy_store_scan_count(struct jy_store_conn *conn, enum jy_custody_kind kind, int64_t id,
                                int64_t application_id, int64_t *ret, struct jy_error *err);

/* The scans at hand-over `id` of applications that are not among its items (the extra ones),
 * each application once, in scan order. */
enum jy_err jy_store_scan_extras(struct jy_store_conn *conn, enum jy_custody_kind kind, int64_t id,
                                 bool (*fn)(void *ctx, int64_t application_id, const char *number),
                                 void *ctx, struct jy_error *err);

/* The newest scan of application `application_id`'s paper file at the centre (any bag): its
 * time into `*ret_at` and its bag's seal into `ret_seal`; `*ret_at` 0 when never scanned. */
enum jy_err jy_store_scan_received(struct jy_store_conn *conn, int64_t application_id,
                                   int64_t *ret_at, char ret_seal[JY_CUSTODY_REF_SIZE],
                                   struct jy_error *err);

/* ---- discrepancies ---- */

struct jy_store_discrepancy {
    int64_t id;
    char kind[16]; /* missing | extra | duplicate */
    enum jy_custody_kind on;
    int64_t handover_id;
    char reference[JY_CUSTODY_REF_SIZE]; /* the bag's seal or the batch number */
    int64_t application_id;
    char number[JY_WORKFLOW_NUMBER_SIZE];
    int64_t branch_id; /* the application's branch */
    char detail[JY_CUSTODY_DETAIL_SIZE];
    int64_t opened_at;
    char resolution[16]; /* "" while open; found | resent | lost */
    int64_t resolved_at;
    char resolved_by[JY_USERNAME_MAX + 1];
    char note[JY_WORKFLOW_NOTE_SIZE];
};

/* Open a discrepancy of `kind` on hand-over `id` for `application_id` with `detail` (NULL:
 * none) at `now`. */
enum jy_err jy_store_discrepancy_insert(struct jy_store_conn *conn, const char *kind,
                                        enum jy_custody_kind on, int64_t id, int64_t application_id,
                                        const char *detail, int64_t now, struct jy_error *err);

/* Discrepancy `id`. JY_NOT_FOUND "unknown_discrepancy". */
enum jy_err jy_store_discrepancy_get(struct jy_store_conn *conn, int64_t id,
                                     struct jy_store_discrepancy *ret, struct jy_error *err);

/* Newest first, at most `limit`: the discrepancies that are open (`open` true) or all, of
 * hand-over (`on`, `handover_id`) when `handover_id` is not 0. */
enum jy_err jy_store_discrepancy_list(struct jy_store_conn *conn, bool open,
                                      enum jy_custody_kind on, int64_t handover_id, size_t limit,
                                      bool (*fn)(void *ctx, const struct jy_store_discrepancy *d),
                                      void *ctx, struct jy_error *err);

/* Resolve open discrepancy `id` with `resolution` and `note` (NULL: none) by `user_id` at
 * `now`. JY_CONFLICT "already_resolved" when it is not open. */
enum jy_err jy_store_discrepancy_resolve(struct jy_store_conn *conn, int64_t id,
                                         const char *resolution, const char *note, int64_t user_id,
                                         int64_t now, struct jy_error *err);

/* Up to `max` open "missing" discrepancies of application `application_id` on a hand-over of
 * kind `on` (its paper file on a bag, its envelope on a batch), oldest first: their ids into
 * `ret_ids`, how many into `*ret_n`. A file is in one bag and an envelope in one batch, so
 * there is at most one in practice. */
enum jy_err jy_store_discrepancy_open_missing(struct jy_store_conn *conn, enum jy_custody_kind on,
                                              int64_t application_id, int64_t *ret_ids, size_t max,
                                              size_t *ret_n, struct jy_error *err);

/* The newest resolution of a "missing" discrepancy of application `application_id`'s paper
 * file (a bag's), into `ret` (16 bytes): "lost", "found", "resent", or "" when none. */
enum jy_err jy_store_discrepancy_paper_resolution(struct jy_store_conn *conn,
                                                  int64_t application_id, char ret[16],
                                                  struct jy_error *err);

#endif /* JY_STORE_CUSTODY_H */
