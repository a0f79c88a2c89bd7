/*
 * hall.h — the hall queue (叫号): tickets from the kiosk, calls from the windows, the display's
 * live stream and the day's figures (DESIGN §3, issue 7).
 *
 * A ticket belongs to a service category (hall_categories: vehicle A, licence B, fines C) and
 * to the day it was taken (Asia/Shanghai): its number is the category's prefix and the day's
 * sequence of that category, from 1 (A001), handed out inside the same transaction as the
 * ticket, so numbers have no gaps and start again each day. A ticket goes
 *
 *     waiting → called (recalled any number of times) → serving → done
 *                      ↘ skipped (after N recalls) → waiting again (re-queued on request)
 *
 * A window (hall_windows) serves an ordered list of categories, most urgent first; it is
 * staffed by the user who opened it, and only that user acts at it. "Call next" takes, inside
 * one write transaction, the oldest waiting ticket (by the time it joined the queue) of the
 * first category in the window's list that has one: two windows calling at the same moment are
 * serialised by the store's write lock and never get the same ticket. Each call and recall is
 * published, after its commit, to the display's broadcaster (jy_service_hall_calls) as one
 * server-sent event:
 *
 *     id: 41
 *     event: call
 *     data: {"number":"A007","window":3,"window_name_zh":"3号窗口",…,"recall":0,"at":"…"}
 *
 * Who may: taking a ticket and reading a ticket's status are public (the kiosk and the slip's
 * QR); staffing a window and acting at it: clerk, supervisor, admin ("hall staff"); the figures:
 * hall staff and managers.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_HALL_H
#define JY_HALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"
#include "store/hall.h"

/* The service categories (all of them, active or not), by sort order. */
enum jy_err jy_hall_categories(struct jy_service *svc, struct jy_store_hall_category *ret,
                               size_t max, size_t *ret_n, struct jy_error *err);

/* The windows, by number, each with its current ticket (`ret_current[i].id` 0 when none;
 * `ret_current` may be NULL). */
enum jy_err jy_hall_windows(struct jy_service *svc, struct jy_store_hall_window *ret,
                            struct jy_store_hall_ticket *ret_current, size_t max, size_t *ret_n,
                            struct jy_error *err);

/* Take a ticket of `category` (a code) now: `*ret` the new ticket (status waiting), `*ret_ahead`
 * how many of its category wait ahead of it. Errors: JY_INVALID "missing_field" (field
 * category); JY_UNPROCESSABLE "unknown_category"; JY_CONFLICT "category_closed" (inactive),
 * "tickets_exhausted" (JY_HALL_TICKETS_PER_DAY taken today); store errors. */
enum jy_err jy_hall_take_ticket(struct jy_service *svc, const char *category,
                                struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                                struct jy_error *err);

/* As jy_hall_take_ticket, at time `now` (UTC seconds) instead of the service's clock; the
 * ticket belongs to `now`'s day. For the demo's morning. */
enum jy_err jy_hall_take_ticket_at(struct jy_service *svc, const char *category, int64_t now,
                                   struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                                   struct jy_error *err);

/* Ticket `number` of `day` (NULL: today) and how many wait ahead of it (0 unless waiting).
 * Errors: JY_INVALID "bad_date"; JY_NOT_FOUND "no_such_ticket". */
enum jy_err jy_hall_ticket(struct jy_service *svc, const char *day, const char *number,
                           struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                           struct jy_error *err);

/* `actor` takes window `window` (and leaves any other window it was at, unless a ticket is in
 * hand there). Errors: JY_FORBIDDEN "forbidden" (not hall staff); JY_NOT_FOUND "no_such_window";
 * JY_CONFLICT "window_taken" (someone else is at it), "ticket_in_hand" (the actor's other
 * window has a ticket called or in service). */
enum jy_err jy_hall_window_open(struct jy_service *svc, const struct jy_actor *actor, int window,
                                struct jy_error *err);

/* `actor` leaves window `window`. Errors: as jy_hall_window_call's checks, and JY_CONFLICT
 * "ticket_in_hand" while a ticket is called or in service there. */
enum jy_err jy_hall_window_close(struct jy_service *svc, const struct jy_actor *actor, int window,
                                 struct jy_error *err);

/* Call the next ticket at `window` (see above): `*ret_found` false when nothing waits.
 * Errors: JY_FORBIDDEN "forbidden"; JY_NOT_FOUND "no_such_window"; JY_FORBIDDEN "not_at_window"
 * (the actor is not the one at this window); JY_CONFLICT "ticket_in_hand" (finish or skip the
 * ticket called there first). */
enum jy_err jy_hall_call_next(struct jy_service *svc, const struct jy_actor *actor, int window,
                              struct jy_store_hall_ticket *ret, bool *ret_found,
                              struct jy_error *err);

/* As jy_hall_call_next, at time `now` (its day's tickets). For the demo's morning. */
enum jy_err jy_hall_call_next_at(struct jy_service *svc, const struct jy_actor *actor, int window,
                                 int64_t now, struct jy_store_hall_ticket *ret, bool *ret_found,
                                 struct jy_error *err);

/* What a window does to the ticket called there. */
enum jy_hall_action {
    JY_HALL_RECALL, /* called → called, recalls + 1, announced again */
    JY_HALL_SKIP,   /* called → skipped, once recalled jy_hall_skip_after() times */
    JY_HALL_START,  /* called → serving */
    JY_HALL_FINISH, /* serving → done */
};

/* Apply `action` to today's ticket `number` at `window`; `*ret` the ticket after it. Errors: as
 * jy_hall_call_next's checks; JY_INVALID "missing_field" (field ticket); JY_NOT_FOUND
 * "no_such_ticket"; JY_CONFLICT "wrong_window" (it is called at another window or none),
 * "not_called" (recall, skip, start of a ticket not called), "not_serving" (finish of a ticket
 * not in service), "recalls_remaining" (skip before N recalls). */
enum jy_err jy_hall_act(struct jy_service *svc, const struct jy_actor *actor, int window,
                        const char *number, enum jy_hall_action action,
                        struct jy_store_hall_ticket *ret, struct jy_error *err);

/* As jy_hall_act, at time `now` (its day's tickets). For the demo's morning. */
enum jy_err jy_hall_act_at(struct jy_service *svc, const struct jy_actor *actor, int window,
                           const char *number, enum jy_hall_action action, int64_t now,
                           struct jy_store_hall_ticket *ret, struct jy_error *err);

/* Put today's skipped ticket `number` back in its queue (at the end: queued now), on the
 * citizen's request. Errors: JY_FORBIDDEN "forbidden"; JY_NOT_FOUND "no_such_ticket";
 * JY_CONFLICT "not_skipped". */
enum jy_err jy_hall_requeue(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number, struct jy_store_hall_ticket *ret,
                            struct jy_error *err);

/* Recalls before a skip: the setting "hall_skip_after_recalls" (0..JY_HALL_MAX_RECALLS), else
 * JY_HALL_SKIP_AFTER_RECALLS. */
int jy_hall_skip_after(struct jy_service *svc);

/* Today's `limit` (1..JY_HALL_CALLS_MAX) latest calls, newest first, for a display that
 * (re)connects. */
enum jy_err jy_hall_recent_calls(struct jy_service *svc, size_t limit, jy_store_hall_ticket_fn *fn,
                                 void *ctx, struct jy_error *err);

/* The SSE event for a call of `t` (`window` its window's row) into `buf` (`size` bytes);
 * returns its length, 0 when it does not fit. */
size_t jy_hall_call_event(const struct jy_store_hall_ticket *t,
                          const struct jy_store_hall_window *window, char *buf, size_t size);

/* The status page of ticket `t` for the slip's QR and the kiosk:
 * "<public URL>/ticket.html?number=A007&date=2026-11-30" into `buf` (`size` bytes). False when it
 * does not fit. */
bool jy_hall_status_url(struct jy_service *svc, const struct jy_store_hall_ticket *t, char *buf,
                        size_t size);

/* The 80 mm slip (src/render/slip.h) of ticket `number` of `day` (NULL: today) into `*ret`
 * (malloc'd; the caller frees it), `*ret_len` bytes. Public, as the ticket's status is. Errors:
 * those of jy_hall_ticket(); of the renderer. */
enum jy_err jy_hall_slip_pdf(struct jy_service *svc, const char *day, const char *number,
                             unsigned char **ret, size_t *ret_len, struct jy_error *err);

/* Waiting and service times of a group of tickets (seconds; nearest-rank percentiles over the
 * tickets that have the time; -1 when none has). */
struct jy_hall_times {
    char key[JY_HALL_CODE_MAX + 1];   /* category code, or the window number as text */
    int64_t tickets;                  /* taken (category) or called (window) */
    int64_t served;                   /* finished */
    int64_t wait_p50, wait_p90;       /* first call − taken */
    int64_t service_p50, service_p90; /* finished − started */
};

/* The figures of one day. */
struct jy_hall_figures {
    char day[11];
    struct jy_hall_times categories[JY_HALL_MAX_CATEGORIES];
    size_t n_categories;
    struct jy_hall_times windows[JY_HALL_MAX_WINDOWS];
    size_t n_windows;
    int64_t per_hour[24]; /* tickets taken in each hour (Asia/Shanghai) */
    int64_t tickets, waiting;
};

/* The figures of `day` (YYYY-MM-DD; NULL: today). Errors: JY_FORBIDDEN "forbidden" (not hall
 * staff or manager); JY_INVALID "bad_date" (field date); store errors; JY_NOMEM. */
enum jy_err jy_hall_figures(struct jy_service *svc, const struct jy_actor *actor, const char *day,
                            struct jy_hall_figures *ret, struct jy_error *err);

#endif /* JY_HALL_H */
