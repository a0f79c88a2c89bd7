/*
 * tracking_import.h — a carrier's tracking file (CSV or JSON lines, src/core/tracking.h)
 * applied to the database through the tracking feed (shipments.h), row by row: for
 * `jingyou import tracking` and POST /api/v1/shipments/import.
 *
 * The rows are applied in batches of JY_SHIPMENT_EVENTS_MAX, each batch in one transaction; the
 * same row twice adds nothing, out-of-order rows are recorded without moving an item back, rows
 * for numbers no application carries are kept. A bad row (unreadable, not an S10 number, an
 * unknown status, a bad time) is reported with its line number and reason, and the good rows
 * are applied all the same.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_TRACKING_IMPORT_H
#define JY_TRACKING_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "service/service.h"

/*
 * Apply tracking file `text` (`len` bytes, borrowed) as `actor` (logistics or admin). On success
 * `*ret_report` is a new JSON object (caller's reference):
 *   {"rows", "applied", "duplicates", "unknown": [item numbers, each once, the first
 *    JY_TRACKING_REPORT_MAX], "unknown_items", "unknown_rows", "ignored_out_of_order",
 *    "rejected", "errors": [{"line", "code", "field", "message"}, … the first
 *    JY_TRACKING_REPORT_MAX]}
 * and `*ret_rejected` (may be NULL) the number of bad rows. Errors (nothing applied):
 * JY_FORBIDDEN "forbidden"; the file's own (jy_tracking_parse: JY_TOO_LARGE "file_too_large",
 * "too_many_rows", JY_INVALID "bad_header", "bad_csv", "empty_file"); JY_NOMEM. A store error
 * in a later batch leaves the earlier batches applied (applying the file again is safe).
 */
enum jy_err jy_tracking_import(struct jy_service *svc, const struct jy_actor *actor,
                               const char *text, size_t len, json_t **ret_report,
                               size_t *ret_rejected, struct jy_error *err);

#endif /* JY_TRACKING_IMPORT_H */
