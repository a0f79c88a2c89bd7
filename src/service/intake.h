/*
 * intake.h — intake (受理): the counter clerk turns what the applicant brings into an
 * application with its number, fees and due date, queued at the first station of its route.
 *
 * The input is the JSON body of POST /api/v1/applications (DESIGN §8 and the API contract): the
 * body is the use case's input, so it is read here, field by field, with errors that name the
 * field. Refusals come in two kinds, in this order:
 *
 *   400 (JY_INVALID / JY_TOO_LONG) — the body's shape: an unknown field ("unknown_field"; also a
 *       part the business type does not take, such as a vehicle on a licence business), a
 *       missing one ("missing_field"), a wrong JSON type ("wrong_type"), a string over its limit
 *       ("too_long"), too many documents ("too_many_items"), a malformed Idempotency-Key
 *       ("bad_idempotency_key").
 *   422 (JY_UNPROCESSABLE, or JY_NO_DATA) — a well-formed body that breaks a rule, with the core
 *       rule's own message and the field's dotted path: unknown_business_type, counter_only_type,
 *       unsupported_id_type, invalid_id_number, invalid_name, invalid_mobile, invalid_uscc,
 *       invalid_plate, unknown_plate_type, plate_type_mismatch, invalid_vin,
 *       invalid_licence_class, invalid_date, renewal_window (the message gives the first allowed
 *       date, or says the licence has expired), delivery_required, invalid_address,
 *       invalid_postcode, unknown_document, missing_document (the message lists what is
 *       missing), branch_closed, and calendar_year_missing (JY_NO_DATA: the due date runs into a
 *       year whose holidays are not loaded).
 *
 * What is stored is normalised: the ID number with an upper-case X, the plate without separator
 * in upper case, the VIN in upper case, the licence classes in their printed order, mobiles as
 * 11 digits, names and addresses without surrounding spaces, the documents in catalog order
 * without repeats. Fees are copied from the catalog as charged; the due date is
 * jy_calendar_due_date(today in Asia/Shanghai, the type's SLA in working days); the number is
 * jy_appno_make(centre, today, n) with n from the sequence "appno.YYYYMMDD" (a number whose check
 * character would be '*' is skipped). The application row, its first event (null → at_station at
 * the route's first station, reason "intake") and the idempotency key are written in one
 * transaction.
 *
 * Idempotency: with a key (1..JY_IDEMPOTENCY_KEY_MAX_BYTES printable ASCII characters), the
 * same user sending the same key again gets the application the first request created
 * (`*ret_replayed` true), whatever has happened to it since, provided the body is the same JSON
 * (compared after sorting keys, so white space and key order do not matter); a different body
 * is JY_CONFLICT "idempotency_key_reused" (409). Two requests racing with one key create one
 * application.
 *
 * Thread-safety: any number of threads may take intakes at once (each on its own store
 * connection for the checks); the writes go to the service's group-commit writer
 * (store/writer.h), which commits those of the requests waiting together in one transaction,
 * or, without one, into a transaction of their own. Either way JY_OK means on disk.
 */
#ifndef JY_INTAKE_H
#define JY_INTAKE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "service/service.h"
#include "store/applications.h"

/* JY_OK when `actor` may take intakes (a clerk with a branch), else JY_FORBIDDEN "forbidden".
 * jy_intake() checks it first; a caller may check it before reading a body, so that someone who
 * may not take intakes is told so whatever they send. Pure. */
enum jy_err jy_intake_check_actor(const struct jy_actor *actor, struct jy_error *err);

/*
 * Take one intake on behalf of `actor`, now.
 *
 * `actor` must be a clerk (else JY_FORBIDDEN "forbidden"); the application belongs to the
 * clerk's branch. `body` (borrowed) is the request's JSON object; `idempotency_key` (borrowed,
 * may be NULL) the Idempotency-Key header. On success `*ret` (caller-owned; a large record,
 * keep it off small stacks) is the application as stored, with the joined branch and clerk
 * names, and `*ret_replayed` (may be NULL) tells whether it was created earlier under the same
 * key. Errors: those listed above; JY_CONFLICT "idempotency_key_reused", "store_busy",
 * "daily_numbers_exhausted" (the day's JY_APPNO_SEQ_MAX numbers are used up); JY_IO, JY_NOMEM.
 * On failure nothing is written and the outputs are untouched.
 *
 * When a transaction is already open on the thread's connection (seeding the demo city), the
 * intake runs inside it and leaves commit or rollback to the caller — who must roll back on
 * failure, since the intake may have written part of its rows.
 */
enum jy_err jy_intake(struct jy_service *svc, const struct jy_actor *actor, const json_t *body,
                      const char *idempotency_key, struct jy_store_application *ret,
                      bool *ret_replayed, struct jy_error *err);

/* As jy_intake(), at the time `now` (UTC seconds) instead of the clock: for tests, the demo city
 * and the simulator, whose days are not today. The acceptance date, the number, the due date and
 * every date rule (birth dates, the renewal window) follow `now`. */
enum jy_err jy_intake_at(struct jy_service *svc, const struct jy_actor *actor, const json_t *body,
                         const char *idempotency_key, int64_t now, struct jy_store_application *ret,
                         bool *ret_replayed, struct jy_error *err);

#endif /* JY_INTAKE_H */
