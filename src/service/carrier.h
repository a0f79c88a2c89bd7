/*
 * carrier.h — what follows a failed delivery, and the carrier's rows nobody claims.
 *
 *   shipped → delivery_failed → shipped (out again: the carrier's next "out_for_delivery" or
 *                                        "shipped" news, shipments.h)
 *                             → returned (the item comes back to the centre)
 *   returned → the branch calls the applicant (jy_carrier_contacted records it)
 *            → at_station dispatch (jy_carrier_redispatch) → sealed again → shipped …
 *
 * A returned item is sealed again under a NEW EMS item number: an S10 number identifies one
 * posting and is never reused (UPU S10; the centre's range is consumed in order), the returned
 * envelope is opened to check the address the applicant confirmed, and the carrier's scans of
 * the old posting must not be confused with the new one. The old number is kept in
 * superseded_waybills: the carrier's late rows for it still belong to the application (recorded,
 * shown on its timeline, "ignored_out_of_order"), never "unknown". Completing dispatch again
 * (workflow.h) takes the next number of the range and sends the "shipped" message with it.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_CARRIER_H
#define JY_CARRIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"
#include "store/carrier.h"
#include "store/workflow.h"

/* Send returned application `number` (as typed) back to dispatch: state at_station, station
 * dispatch, its item number superseded; one event (reason "redispatch", note: the old item
 * number, then `note` if given). Who: logistics, a dispatch operator, the supervisor or an
 * admin. `*ret` is the application afterwards. Errors: JY_FORBIDDEN "forbidden";
 * JY_INVALID "invalid_number"; JY_NOT_FOUND; JY_CONFLICT "not_returned" (it is not in state
 * returned), "version_conflict"; JY_TOO_LONG / JY_UNPROCESSABLE "invalid_note" for the note;
 * store errors. */
enum jy_err jy_carrier_redispatch(struct jy_service *svc, const struct jy_actor *actor,
                                  const char *number, const char *note,
                                  struct jy_store_workflow *ret, struct jy_error *err);

/* Record that the branch reached the applicant about application `number`, whose delivery
 * failed or which came back: one event keeping the state (reason "applicant_contacted", note
 * `note`: what was agreed, required). Who: a clerk of its branch, a manager or an admin.
 * Errors: as jy_carrier_redispatch(); JY_CONFLICT "not_in_attention" when its delivery neither
 * failed nor came back; JY_INVALID "missing_field" (field "note"). */
enum jy_err jy_carrier_contacted(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *note,
                                 struct jy_store_workflow *ret, struct jy_error *err);

/* The applications whose delivery failed or which came back, for the branch to call the
 * applicant: a clerk sees its branch's, logistics, the supervisor, managers and admins every
 * branch's (or `branch_id`'s when not 0). At most JY_CARRIER_LIST_MAX, longest waiting first.
 * Errors: JY_FORBIDDEN "forbidden" (operators); store errors. */
enum jy_err jy_carrier_attention(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t branch_id,
                                 bool (*fn)(void *ctx, const struct jy_store_attention *a),
                                 void *ctx, struct jy_error *err);

/* The carrier's rows that no application carries, now or before, newest received first, at
 * most `limit` (1..JY_CARRIER_LIST_MAX), and their total in `*ret_total`. Who: logistics,
 * managers, admins. Errors: JY_FORBIDDEN; JY_RANGE "out_of_range" (field "limit"); store
 * errors. */
enum jy_err jy_carrier_unmatched(struct jy_service *svc, const struct jy_actor *actor, size_t limit,
                                 bool (*fn)(void *ctx, const struct jy_store_shipment_row *r),
                                 void *ctx, int64_t *ret_total, struct jy_error *err);

#endif /* JY_CARRIER_H */
