/*
 * workflow.h — typed access to what the back office and the carrier change on an application:
 * its state and station, the operator's lease, the EMS waybill, the reason it was sent back; the
 * station queues; the carrier's tracking feed (table shipment_events); and an application's
 * events as the tracking timeline reads them.
 *
 * The intake's own columns (applicant, vehicle, licence, delivery, fees, documents) are written
 * elsewhere; here an application is seen through `struct jy_store_workflow`, which carries no
 * personal data.
 *
 * Conventions as in users.h: every function runs on the calling thread's connection; functions
 * that write run inside the caller's jy_store_begin() transaction, together with the event
 * (audit.h) that records the change; strings come back in fixed buffers and a stored value that
 * would not fit is JY_INTERNAL "stored_value_too_long" (the file was changed by something else),
 * never truncated. Every update of an application is `WHERE id = ? AND version = ?` and adds one
 * to `version`, so that a change made from a stale read is refused (JY_CONFLICT
 * "version_conflict") instead of overwriting a newer one.
 */
#ifndef JY_STORE_WORKFLOW_H
#define JY_STORE_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../limits.h"
#include "store.h"
#include "users.h"

/* Buffer sizes of the fields below, NUL included. */
#define JY_WORKFLOW_NUMBER_SIZE 24                          /* compact application number */
#define JY_WORKFLOW_TYPE_SIZE 33                            /* business type code, "D01" */
#define JY_WORKFLOW_CODE_SIZE (JY_EVENT_CODE_MAX_BYTES + 1) /* state, station, reason codes */
#define JY_WORKFLOW_DATE_SIZE 11                            /* "YYYY-MM-DD" */
#define JY_WORKFLOW_WAYBILL_SIZE 14                         /* S10 item number */
#define JY_WORKFLOW_NOTE_SIZE (JY_NOTE_MAX_BYTES + 1)       /* an event's note */
#define JY_WORKFLOW_LOCATION_SIZE (JY_SHIPMENT_LOCATION_MAX_BYTES + 1)

/* An application as the workflow sees it. Text fields that are NULL in the row are "". */
struct jy_store_workflow {
    int64_t id;
    char number[JY_WORKFLOW_NUMBER_SIZE];          /* "WH26112900001L" */
    char business_type[JY_WORKFLOW_TYPE_SIZE];     /* "D01" */
    char state[JY_WORKFLOW_CODE_SIZE];             /* "at_station", "correction", "sealed", … */
    char station[JY_WORKFLOW_CODE_SIZE];           /* "review" …; "" when none */
    int64_t branch_id;                             /* the accepting branch */
    int64_t clerk_id;                              /* the accepting clerk */
    int64_t lease_user_id;                         /* 0: no lease (a lapsed lease is still here) */
    int64_t lease_expires_at;                      /* UTC seconds; 0 when no lease */
    char lease_username[JY_USERNAME_MAX + 1];      /* the lease holder's username; "" when none */
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];        /* "EA100000005CN"; "" before dispatch */
    char correction_reason[JY_WORKFLOW_CODE_SIZE]; /* while in correction; else "" */
    char correction_note[JY_WORKFLOW_NOTE_SIZE];   /* the note of the return, while in
                                                      correction; else "" */
    char due_date[JY_WORKFLOW_DATE_SIZE];          /* "2026-12-02", Asia/Shanghai */
    int64_t accepted_at;                           /* UTC seconds */
    int64_t fee_total_fen;                         /* what the applicant paid, fen */
    int64_t version;                               /* 1, 2, … */
    int64_t updated_at;                            /* UTC seconds */
};

/* The application with compact number `number` (NUL-terminated, borrowed). JY_NOT_FOUND
 * "not_found" when there is none. */
enum jy_err jy_store_workflow_by_number(struct jy_store_conn *conn, const char *number,
                                        struct jy_store_workflow *ret, struct jy_error *err);

/* The application with id `id`. JY_NOT_FOUND "not_found" when there is none. */
enum jy_err jy_store_workflow_by_id(struct jy_store_conn *conn, int64_t id,
                                    struct jy_store_workflow *ret, struct jy_error *err);

/* The application whose waybill is `waybill` (a normalised S10 number, borrowed).
 * JY_NOT_FOUND "unknown_waybill" when none has it. */
enum jy_err jy_store_workflow_by_waybill(struct jy_store_conn *conn, const char *waybill,
                                         struct jy_store_workflow *ret, struct jy_error *err);

/* The application at `station` (a station code, borrowed) leased to `user_id` with the lease
 * still running at `now` (UTC seconds): the one an operator is working on. The oldest due when
 * there were several. JY_NOT_FOUND "no_lease" when none. */
enum jy_err jy_store_workflow_lease_of(struct jy_store_conn *conn, const char *station,
                                       int64_t user_id, int64_t now, struct jy_store_workflow *ret,
                                       struct jy_error *err);

/* In the caller's transaction: lease the next waiting application at `station` to `user_id`
 * until `expires_at` (UTC seconds) and read it back into `*ret`. The next one is the oldest due
 * (due_date, then id) in state at_station there that is not leased or whose lease has lapsed
 * at `now`. The lease bumps version and updated_at (= now). JY_NOT_FOUND "queue_empty" when
 * nothing waits; JY_INTERNAL when no transaction is open. */
enum jy_err jy_store_workflow_claim_next(struct jy_store_conn *conn, const char *station,
                                         int64_t user_id, int64_t now, int64_t expires_at,
                                         struct jy_store_workflow *ret, struct jy_error *err);

/* A change to an application's workflow columns. Strings borrowed; NULL or "" stores NULL. */
struct jy_store_workflow_change {
    int64_t id;                    /* the application */
    int64_t version;               /* the version the change was decided on */
    const char *state;             /* the new state; required */
    const char *station;           /* the new station, or NULL */
    int64_t lease_user_id;         /* the new lease holder; 0 clears the lease */
    int64_t lease_expires_at;      /* with lease_user_id; ignored when that is 0 */
    const char *waybill;           /* a waybill to set; NULL keeps the one there (if any) */
    const char *correction_reason; /* NULL clears it */
    int64_t now;                   /* UTC seconds: updated_at */
};

/* In the caller's transaction: apply `c` to the row `c->id` if it still has version
 * `c->version`, and add one to the version. Errors: JY_CONFLICT "version_conflict" when the
 * row has changed (or is gone) since it was read; JY_CONFLICT "duplicate" when the waybill is
 * another application's; "check_failed" for a state or station the schema does not know;
 * JY_TOO_LONG for an over-long code; JY_INTERNAL when no transaction is open. */
enum jy_err jy_store_workflow_update(struct jy_store_conn *conn,
                                     const struct jy_store_workflow_change *c,
                                     struct jy_error *err);

/* Where a queue page starts: after the item with this (due_date, id); due_date "" for the
 * first page. */
struct jy_store_queue_cursor {
    char due_date[JY_WORKFLOW_DATE_SIZE];
    int64_t id;
};

/* Call `fn` for at most `limit` applications waiting at `station` as `viewer_id` sees the
 * queue: state at_station there, not leased, or leased with the lease lapsed at `now`, or
 * leased to `viewer_id` itself (0: to nobody); oldest due first (due_date, id), starting after
 * `after` (NULL: from the start). Stops early, returning JY_OK, when `fn` returns false. `w`
 * is valid during the call only. */
enum jy_err jy_store_workflow_queue(struct jy_store_conn *conn, const char *station,
                                    int64_t viewer_id, int64_t now,
                                    const struct jy_store_queue_cursor *after, size_t limit,
                                    bool (*fn)(void *ctx, const struct jy_store_workflow *w),
                                    void *ctx, struct jy_error *err);

/* The time (`at`, UTC seconds) of the newest event of application `id` that moved it (changed
 * its state or station), into `*ret`; 0 when it has none. Events that keep both — custody
 * hand-overs, the branch's call to the applicant — are not moves: the carrier's feed is in or
 * out of order against moves only. */
enum jy_err jy_store_workflow_last_move_at(struct jy_store_conn *conn, int64_t id, int64_t *ret,
                                           struct jy_error *err);

/* The last four characters of the applicant's ID number as stored (normalised: upper-case X)
 * into `ret` (5 bytes, NUL-terminated); "" when the application has no ID number. Only these
 * four characters leave the store, for the tracking check. JY_NOT_FOUND for an unknown id. */
enum jy_err jy_store_workflow_id_last4(struct jy_store_conn *conn, int64_t id, char ret[5],
                                       struct jy_error *err);

/* One event of an application, with the names of the branch it happened at. Text fields NULL
 * in the row are "". */
struct jy_store_timeline_event {
    int64_t id;
    int64_t at;       /* UTC seconds */
    int64_t actor_id; /* 0: the system */
    char actor_username[JY_USERNAME_MAX + 1];
    char actor_role[JY_WORKFLOW_CODE_SIZE];
    int64_t branch_id; /* 0: not at a branch */
    char branch_code[33];
    char branch_name_zh[121];
    char branch_name_en[121];
    char station[JY_WORKFLOW_CODE_SIZE];
    char from_state[JY_WORKFLOW_CODE_SIZE]; /* "" for the first event */
    char from_station[JY_WORKFLOW_CODE_SIZE];
    char to_state[JY_WORKFLOW_CODE_SIZE];
    char to_station[JY_WORKFLOW_CODE_SIZE];
    char reason[JY_WORKFLOW_CODE_SIZE];
    char note[JY_WORKFLOW_NOTE_SIZE];
};

/* Call `fn` for the newest `limit` events of application `id`, oldest of them first. Stops
 * early, returning JY_OK, when `fn` returns false. `ev` is valid during the call only. */
enum jy_err jy_store_workflow_events(struct jy_store_conn *conn, int64_t id, size_t limit,
                                     bool (*fn)(void *ctx,
                                                const struct jy_store_timeline_event *ev),
                                     void *ctx, struct jy_error *err);

/* One event of the carrier's tracking feed. Strings borrowed. */
struct jy_store_shipment {
    const char *waybill;        /* normalised S10 number */
    const char *status;         /* shipped | in_transit | out_for_delivery | delivered | … */
    int64_t at;                 /* UTC seconds, as the carrier reports it */
    const char *location;       /* the carrier's place name, or NULL */
    int64_t received_at;        /* UTC seconds, when it reached us */
    const char *failure_reason; /* the carrier's reason for a failed delivery, or NULL */
};

/* In the caller's transaction: record `s` once. `*ret_inserted` is true when it is new, false
 * when the same (waybill, status, at) was recorded before (the first record is kept as it
 * was). Waybills that no application carries are recorded all the same. Errors: JY_TOO_LONG;
 * JY_INTERNAL when no transaction is open. */
enum jy_err jy_store_shipment_insert(struct jy_store_conn *conn, const struct jy_store_shipment *s,
                                     bool *ret_inserted, struct jy_error *err);

#endif /* JY_STORE_WORKFLOW_H */
