/*
 * shipments.h — the carrier's tracking feed: EMS events for sealed items, applied to their
 * applications.
 *
 * A batch of events (shipped, in_transit, out_for_delivery, delivered, delivery_failed,
 * returned), each for one waybill at one time, is recorded once per (waybill, status, time) in
 * shipment_events — a feed sent twice adds nothing — and moves the application carrying that
 * waybill along
 *
 *     sealed → shipped → delivered
 *                 ↘ delivery_failed → shipped (out again for redelivery) | returned | delivered
 *                 ↘ returned
 *
 * with one event (src/store/audit.h) per change of state: actor the logistics user, time the
 * carrier's, reason the carrier's status, note its location. The feed may arrive out of order,
 * and the item never moves back from delivered:
 * - "delivered" applies from any other state: it is final, and a confirmation that arrives late
 *   still delivers;
 * - from sealed any event applies: it is the first news of the item;
 * - otherwise an event applies only along the graph (shipped → delivery_failed | returned,
 *   delivery_failed → shipped | returned) and only when it is not older than the event that set
 *   the current state; anything else is recorded but changes nothing ("ignored_out_of_order"):
 *   a late "in_transit" after "delivered" never moves the item back, nor does an old failure
 *   undo a redelivery;
 * - an event naming the state the item is in already (in_transit while shipped) is recorded
 *   and counted as applied, without an event of its own.
 * Waybills that no application carries are recorded all the same and reported: the feed is
 * never dropped.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_SHIPMENTS_H
#define JY_SHIPMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

/* One event of the feed as received. Strings borrowed, NUL-terminated. */
struct jy_shipment_event {
    const char *waybill;  /* S10 item number, "EA100000005CN" (spaces and case as S10 allows) */
    const char *status;   /* shipped | in_transit | out_for_delivery | delivered |
                             delivery_failed | returned */
    const char *at;       /* RFC 3339 time with its zone, "2026-12-03T10:15:00+08:00" */
    const char *location; /* the carrier's place name, or NULL */
};

/* What became of each event. */
enum jy_shipment_outcome {
    JY_SHIPMENT_APPLIED,      /* recorded, and the application is in the state it reports */
    JY_SHIPMENT_DUPLICATE,    /* recorded before: nothing done */
    JY_SHIPMENT_UNKNOWN,      /* recorded; no application carries this waybill */
    JY_SHIPMENT_OUT_OF_ORDER, /* recorded; older than, or a step back from, the current state,
                                 or about an item number its application no longer carries */
    JY_SHIPMENT_REJECTED,     /* not recorded: the row is bad (jy_shipments_apply_ex only) */
};

/* The counts of one batch. */
struct jy_shipments_result {
    size_t applied, duplicates, unknown, ignored_out_of_order;
};

/*
 * Apply the `n` events in `events` (borrowed) as `actor` (logistics or admin), in order, in one
 * transaction. `ret_outcomes` (caller's array of `n`, may be NULL) receives each event's
 * outcome and `ret_waybills` (caller's array of `n` buffers of 14 bytes, may be NULL) each
 * event's normalised waybill, so that the caller can list the unknown ones; `*ret` gets the
 * counts. Every event is checked before anything is written: one bad event refuses the batch.
 *
 * Errors (nothing written; the field names the event, "events[3].at"): JY_FORBIDDEN
 * "forbidden" (another role); JY_INVALID "missing_field"; JY_TOO_LARGE "too_many_events" (over
 * JY_SHIPMENT_EVENTS_MAX); JY_UNPROCESSABLE "invalid_waybill" (not an S10 number; the message
 * gives the S10 check's own detail), "unknown_status", "bad_timestamp" / "missing_zone",
 * "time_in_future" (more than JY_SHIPMENT_FUTURE_SKEW_SECONDS ahead); JY_TOO_LONG "too_long"
 * (a location over JY_SHIPMENT_LOCATION_MAX_BYTES); store errors.
 */
enum jy_err jy_shipments_apply(struct jy_service *svc, const struct jy_actor *actor,
                               const struct jy_shipment_event *events, size_t n,
                               enum jy_shipment_outcome *ret_outcomes, char (*ret_waybills)[14],
                               struct jy_shipments_result *ret, struct jy_error *err);

/*
 * As jy_shipments_apply(), with the carrier's reason for each failed delivery
 * (`failure_reasons`, an array of `n` borrowed strings or NULLs; may be NULL; at most
 * JY_SHIPMENT_LOCATION_MAX_BYTES each), and — when `row_errors` (caller's array of `n`) is not
 * NULL — leniently: a bad event gets its error in row_errors[i] (field "events[i].…"), outcome
 * JY_SHIPMENT_REJECTED and is skipped, while the good ones are applied; `*ret_rejected` (may be
 * NULL) counts the bad ones. For tracking files, where one mistyped row must not hold up a
 * day's feed. Each event that changes a state also queues its text message (notify.h) in the
 * same transaction. Errors: as jy_shipments_apply() (in lenient mode only the batch-wide
 * ones: role, size, store).
 */
enum jy_err jy_shipments_apply_ex(struct jy_service *svc, const struct jy_actor *actor,
                                  const struct jy_shipment_event *events,
                                  const char *const *failure_reasons, size_t n,
                                  struct jy_error *row_errors,
                                  enum jy_shipment_outcome *ret_outcomes, char (*ret_waybills)[14],
                                  struct jy_shipments_result *ret, size_t *ret_rejected,
                                  struct jy_error *err);

#endif /* JY_SHIPMENTS_H */
