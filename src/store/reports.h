/*
 * reports.h — what printed paper and the day's exports read from the store: a user's display
 * name (the clerk on a receipt), the applications accepted on a day, the applications sealed for
 * EMS on a day (the outbound batch), and a station's figures.
 *
 * Days are given as half-open ranges of UTC seconds [from, to), so that the caller decides the
 * time zone (the centre's day in Asia/Shanghai). Lists hand out ids in a stable order; the caller
 * reads each record with jy_store_application_by_id() when it needs more.
 *
 * Conventions as in applications.h: every function runs on the calling thread's connection and
 * only reads; strings come back in fixed buffers, never truncated.
 */
#ifndef JY_STORE_REPORTS_H
#define JY_STORE_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "users.h"

/* The display name of user `user_id` into `ret` (JY_DISPLAY_NAME_MAX + 1 bytes); the username
 * when the user has no display name. Errors: JY_NOT_FOUND "not_found" for an unknown user;
 * JY_INTERNAL "stored_value_too_long"; store errors. `ret` untouched on failure. */
enum jy_err jy_store_user_display_name(struct jy_store_conn *conn, int64_t user_id,
                                       char ret[JY_DISPLAY_NAME_MAX + 1], struct jy_error *err);

/* Call `fn` with the id of each application accepted in [from, to) (UTC seconds), in order of
 * acceptance (accepted_at, then id), until it returns false. Store errors only. */
enum jy_err jy_store_report_accepted(struct jy_store_conn *conn, int64_t from, int64_t to,
                                     bool (*fn)(void *ctx, int64_t application_id), void *ctx,
                                     struct jy_error *err);

/* Call `fn` with the id of each application sealed for EMS in [from, to) (UTC seconds: the time
 * of its event into state "sealed") and that time, in order of sealing, until it returns
 * false. An application sealed twice counts once, at its first sealing in the range. Store
 * errors only. */
enum jy_err jy_store_report_sealed(struct jy_store_conn *conn, int64_t from, int64_t to,
                                   bool (*fn)(void *ctx, int64_t application_id, int64_t sealed_at),
                                   void *ctx, struct jy_error *err);

/* A station's figures. */
struct jy_store_station_figures {
    int64_t waiting;   /* applications in state at_station there now */
    int64_t completed; /* applications completed there in [from, to): events from the
                          station onward (neither sent back nor refused) */
    int64_t overdue;   /* of those waiting, the ones whose due date is before `today` */
};

/* The figures of station `station` (a station code, borrowed) into `*ret`: waiting now,
 * completed in [from, to) (UTC seconds), overdue against `today` ("YYYY-MM-DD", borrowed).
 * Store errors only; `*ret` untouched on failure. */
enum jy_err jy_store_report_station(struct jy_store_conn *conn, const char *station,
                                    const char *today, int64_t from, int64_t to,
                                    struct jy_store_station_figures *ret, struct jy_error *err);

#endif /* JY_STORE_REPORTS_H */
