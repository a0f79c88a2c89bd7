/*
 * query.h — reading applications: one by its number, lists with filters and keyset pagination,
 * and an application's events, each within the scope of the actor's role (DESIGN §2, the API
 * contract):
 *
 *   clerk       the applications of its own branch;
 *   operator    one application when it is at one of the operator's stations (state
 *               at_station), when the operator holds its lease, or when the operator is the actor
 *               of one of its events; lists: the applications at its stations;
 *   logistics   applications in sealed, shipped, delivered, delivery_failed or returned;
 *   supervisor, manager, admin   everything.
 *
 * Outside that scope an existing application is JY_FORBIDDEN "out_of_scope" (403); a number no
 * application has is JY_NOT_FOUND "not_found" (404). A number is read in its compact or display
 * form, in any letter case (jy_appno_parse). Text that is not an application number at all —
 * wrong length, a letter where a digit belongs, or a check character that does not match — is
 * JY_INVALID "invalid_number" (400) rather than 404: the check character exists so that a typing
 * error is told apart from an application that does not exist, and the message says which
 * character is wrong.
 *
 * Thread-safety: every function may be called from any thread (each uses its own connection).
 */
#ifndef JY_QUERY_H
#define JY_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "service/service.h"
#include "store/applications.h"

/* Bytes of a list cursor, NUL included. A cursor is opaque to clients. */
#define JY_QUERY_CURSOR_SIZE 24

/* Parse an application number as typed (compact or display form, any case, spaces and hyphens
 * ignored) into its compact upper-case form in `ret`. Errors: JY_INVALID "invalid_number"
 * (field "number") with jy_appno_parse's message; `ret` untouched. Pure. */
enum jy_err jy_query_parse_number(const char *s, char ret[JY_APP_NUMBER_SIZE],
                                  struct jy_error *err);

/* Check that `actor` may read application `a` (borrowed) by the scope rules above, using
 * `conn` (the calling thread's) to look for the operator's own events. JY_OK, JY_FORBIDDEN
 * "out_of_scope", JY_FORBIDDEN "forbidden" for a role that reads nothing, or a store error. */
enum jy_err jy_query_check_scope(struct jy_store_conn *conn, const struct jy_actor *actor,
                                 const struct jy_store_application *a, struct jy_error *err);

/* The application numbered `number` (as typed; borrowed) into `*ret` (caller-owned), when
 * `actor` may read it. Errors: invalid_number (400), not_found (404), out_of_scope (403),
 * store errors; `*ret` untouched on failure. */
enum jy_err jy_query_get(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         struct jy_store_application *ret, struct jy_error *err);

/* What a list asks for: the query parameters as sent (borrowed; NULL or "" when absent). */
struct jy_query_filter {
    const char *state;   /* a state code: "at_station", … */
    const char *branch;  /* a branch id ("12") or code ("WH012") */
    const char *type;    /* a business type code, any case */
    const char *station; /* a station code */
    const char *q;       /* a number or its prefix, a plate, or an applicant's ID number */
    const char *cursor;  /* from the previous page's next cursor */
    int64_t limit;       /* items per page, 1..JY_PAGE_MAX_ITEMS; 0: JY_PAGE_DEFAULT_ITEMS */
};

/*
 * List the applications `actor` may read that match `f`, newest first, one page: `fn` is called
 * for each (the record is valid during the call only; returning false stops the list), and
 * `ret_next_cursor` receives the cursor of the next page, or "" when this is the last.
 *
 * The filters combine with AND, and with the actor's scope. `q` matches an application whose
 * number starts with it (spaces and hyphens ignored, any case), whose plate is it (normalised as
 * jy_plate_parse does), or whose applicant's ID number is it (normalised); text that is none of
 * these matches nothing. Errors: JY_INVALID "bad_parameter" (400; field = the parameter) for an
 * unknown state, station, business type or branch, or a malformed cursor; JY_RANGE for a limit
 * out of range; JY_TOO_LONG for a q over JY_IDENT_MAX_BYTES; JY_FORBIDDEN "out_of_scope" when a
 * filter names a branch, station or state outside the actor's scope (a clerk asking for another
 * branch); store errors. `ret_next_cursor` untouched on failure.
 */
enum jy_err jy_query_list(struct jy_service *svc, const struct jy_actor *actor,
                          const struct jy_query_filter *f,
                          bool (*fn)(void *ctx, const struct jy_store_application *a), void *ctx,
                          char ret_next_cursor[JY_QUERY_CURSOR_SIZE], struct jy_error *err);

/* The events of application `number` (as typed), oldest first: `fn` is called for each, at most
 * JY_APPLICATION_EVENTS_MAX times; `*ret_truncated` (may be NULL) tells whether more exist.
 * Errors as jy_query_get(). */
enum jy_err jy_query_events(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number,
                            bool (*fn)(void *ctx, const struct jy_store_event_row *e), void *ctx,
                            bool *ret_truncated, struct jy_error *err);

#endif /* JY_QUERY_H */
