/*
 * workflow.h — the back office's use cases: claim the next item at a station, complete it
 * (on to the next station of its route; at the last, seal it with an EMS item number or close
 * it), return it to the branch for correction (补正), resubmit it from the branch, refuse it
 * (不予受理), and list a station's queue.
 *
 * The rules (DESIGN §2–3, API contract):
 * - An operator acts at the stations it is assigned to, the police supervisor at approval
 *   (jy_actor_at_station); anyone else is JY_FORBIDDEN "forbidden", an operator or supervisor
 *   at another station JY_FORBIDDEN "out_of_scope".
 * - Claim leases the oldest due waiting item to the actor for JY_LEASE_SECONDS; an actor that
 *   already holds a running lease at the station gets that item again. Only the lease holder
 *   may complete or return an item; a lease that has lapsed frees the item for anyone to claim
 *   (and no longer lets its old holder act: JY_CONFLICT "lease_not_held").
 * - Completing at the route's last station seals an EMS item (the next S10 number of the range
 *   ranges allocated to the centre, table s10_ranges, store/custody.h) or, for a
 *   business type without delivery, closes it as `completed`.
 * - The clerk of the application's branch resubmits it from correction to the station it was
 *   returned from; the supervisor refuses any application at a station or in correction.
 * Each change writes the application and its event (src/store/audit.h) in one transaction; a
 * refused request writes nothing.
 *
 * Common errors of the commands: JY_NOT_FOUND "not_found" (no such application: the number does
 * not parse or is unknown), JY_FORBIDDEN "forbidden" / "out_of_scope", JY_CONFLICT
 * "not_at_station" (the application is not in the state and at the station the request names,
 * e.g. completed twice), "lease_not_held" (no lease, or it lapsed), "lease_held_by_other",
 * "version_conflict", "store_busy"; JY_IO, JY_INTERNAL from the store.
 *
 * Thread-safety: every function may be called from any thread (each uses its own connection).
 */
#ifndef JY_WORKFLOW_H
#define JY_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "service/service.h"
#include "store/workflow.h"

/* Bytes of a queue cursor, NUL included ("2026-12-02.123456789"). */
#define JY_WORKFLOW_CURSOR_SIZE 40

/* Claim at `station`: `*ret` is the item now leased to `actor` (its lease in lease_user_id and
 * lease_expires_at) and `*ret_claimed` true; or `*ret_claimed` false and `*ret` untouched when
 * nothing waits. Errors: the common ones. */
enum jy_err jy_workflow_claim(struct jy_service *svc, const struct jy_actor *actor,
                              enum jy_station station, struct jy_store_workflow *ret,
                              bool *ret_claimed, struct jy_error *err);

/* Complete application `number` (compact or display form, borrowed) at `station` (a station
 * code, borrowed: the station the actor works at, which must be the application's). `*ret` is
 * the application afterwards: at the next station, unleased; or `sealed` with its waybill; or
 * `completed`. Errors: the common ones; JY_UNPROCESSABLE "unknown_station" (field "station");
 * JY_CONFLICT "range_exhausted" when the EMS number range is used up (nothing is written; an
 * admin adds a range), JY_INTERNAL "s10_not_configured" when no range is allocated at all;
 * at archive, with the archive gate on (service/custody.h), JY_CONFLICT "paper_not_received" or
 * "paper_lost" while the paper file has not been received at the centre. */
enum jy_err jy_workflow_complete(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *station,
                                 struct jy_store_workflow *ret, struct jy_error *err);

/* What the police record when approving a W01 violation handling (违法处理). */
struct jy_workflow_violation {
    const char *decision_number; /* the penalty decision issued (decision.h rule), borrowed */
    int points;                  /* points scored: 0, 1, 3, 6, 9 or 12 (公安部令第163号) */
};

/* As jy_workflow_complete(), with `violation` (may be NULL): completing a W01 application at
 * approval requires it — the decision number and points are kept (store/fines.h) and written
 * into the event's note — and any other completion refuses it. Errors: those of complete;
 * JY_INVALID "missing_field" (field "decision_number": W01 at approval without it),
 * "bad_decision_number"; JY_UNPROCESSABLE "bad_points" (field "points"), "not_applicable"
 * (given for another type or station). */
enum jy_err jy_workflow_complete_violation(struct jy_service *svc, const struct jy_actor *actor,
                                           const char *number, const char *station,
                                           const struct jy_workflow_violation *violation,
                                           struct jy_store_workflow *ret, struct jy_error *err);

/* Return application `number` from `station` to its branch for correction with reason code
 * `reason` (src/core/reasons.h, return list) and `note` (may be NULL; required for "other").
 * `*ret` is the application afterwards (state correction, same station). Errors: as complete;
 * JY_UNPROCESSABLE "unknown_reason" (field "reason"), "note_required" (field "note");
 * JY_TOO_LONG "too_long" for a note over JY_NOTE_MAX_BYTES. */
enum jy_err jy_workflow_return(struct jy_service *svc, const struct jy_actor *actor,
                               const char *number, const char *station, const char *reason,
                               const char *note, struct jy_store_workflow *ret,
                               struct jy_error *err);

/* Resubmit application `number`, corrected, from correction to the station it was returned
 * from; only a clerk of its branch. `note` may be NULL. `*ret` is the application afterwards.
 * Errors: the common ones ("not_at_station" when it is not in correction); JY_TOO_LONG. */
enum jy_err jy_workflow_resubmit(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *note,
                                 struct jy_store_workflow *ret, struct jy_error *err);

/* Refuse application `number` (supervisor only), at a station or in correction, with reason
 * code `reason` (refusal list) and `note` (may be NULL; required for "other"). The event's note
 * records the fee to refund through the branch ("应退费 ¥30.00 / refund due ¥30.00", then the
 * note) when the applicant paid one. `*ret` is the application afterwards (state refused).
 * Errors: as return ("not_at_station" when it is neither at a station nor in correction). */
enum jy_err jy_workflow_refuse(struct jy_service *svc, const struct jy_actor *actor,
                               const char *number, const char *reason, const char *note,
                               struct jy_store_workflow *ret, struct jy_error *err);

/* List the queue at `station` as `actor` sees it: the items waiting there (not leased by
 * someone else, or their lease lapsed), oldest due first, at most `limit` (1..
 * JY_PAGE_MAX_ITEMS) of them, starting after `cursor` (NULL or "" for the first page; a value
 * from `ret_next_cursor` otherwise). `fn` is called for each; `ret_next_cursor` (caller's,
 * JY_WORKFLOW_CURSOR_SIZE bytes) receives the cursor of the next page, or "" when this page
 * was the last. Who may look: operators of the station, the supervisor, managers and admins.
 * Errors: JY_FORBIDDEN "forbidden" / "out_of_scope"; JY_INVALID "bad_cursor" (field "cursor");
 * JY_RANGE "out_of_range" (field "limit"); store errors. */
enum jy_err jy_workflow_queue(struct jy_service *svc, const struct jy_actor *actor,
                              enum jy_station station, const char *cursor, size_t limit,
                              bool (*fn)(void *ctx, const struct jy_store_workflow *w), void *ctx,
                              char ret_next_cursor[JY_WORKFLOW_CURSOR_SIZE], struct jy_error *err);

/* Claim application `number` at `station` — the envelope in the operator's hand, scanned out of
 * due order: lease it to `actor` for JY_LEASE_SECONDS (kept as it is when `actor` already holds
 * it). Errors: the common ones; JY_INVALID "invalid_number"; JY_NOT_FOUND; JY_CONFLICT
 * "not_at_station" (not waiting at this station), "lease_held_by_other" (another operator's
 * running lease). */
enum jy_err jy_workflow_claim_number(struct jy_service *svc, const struct jy_actor *actor,
                                     enum jy_station station, const char *number,
                                     struct jy_store_workflow *ret, struct jy_error *err);

/* Parse an application number (compact or display form, any case) into its compact form
 * `ret` (JY_WORKFLOW_NUMBER_SIZE bytes). JY_INVALID "invalid_number" (field "number") when it is
 * not one (a typo, a wrong check character) — the same answer as reading it (query.h). */
enum jy_err jy_workflow_number(const char *number, char ret[JY_WORKFLOW_NUMBER_SIZE],
                               struct jy_error *err);

#endif /* JY_WORKFLOW_H */
