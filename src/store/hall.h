/*
 * hall.h — the hall queue's tables: service categories, windows and the day's tickets
 * (migration 6). Plain rows in and out; the rules (who may call, what may follow what) are in
 * src/service/hall.c, which runs these inside its own transactions.
 *
 * Thread-safety: as every store module, `conn` is the calling thread's connection.
 */
#ifndef JY_STORE_HALL_H
#define JY_STORE_HALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define JY_HALL_CODE_MAX 32        /* a category's code: "licence" */
#define JY_HALL_NAME_MAX 160       /* a category's or a window's name, UTF-8 bytes */
#define JY_HALL_CATEGORIES_MAX 256 /* a window's priority list: "licence,vehicle,fines" */
#define JY_HALL_NUMBER_MAX 7       /* a ticket number: prefix and 3..6 digits, "A007" */

/* One row of hall_categories. */
struct jy_store_hall_category {
    char code[JY_HALL_CODE_MAX + 1];
    char prefix[2]; /* one capital letter */
    char name_zh[JY_HALL_NAME_MAX + 1];
    char name_en[JY_HALL_NAME_MAX + 1];
    int sort;
    bool active;
};

/* One row of hall_windows, with the staffing user's names (empty when closed). */
struct jy_store_hall_window {
    int number; /* 1..99 */
    char name_zh[JY_HALL_NAME_MAX + 1];
    char name_en[JY_HALL_NAME_MAX + 1];
    char categories[JY_HALL_CATEGORIES_MAX + 1]; /* codes, comma-separated, most urgent first */
    int64_t staff_user_id;                       /* 0: nobody */
    char staff_username[33];
    char staff_display_name[121];
    int64_t staffed_at; /* UTC seconds; 0 when closed */
};

/* One row of hall_tickets. Times are UTC seconds, 0 for "not yet". */
struct jy_store_hall_ticket {
    int64_t id;   /* 0 before insertion */
    char day[11]; /* YYYY-MM-DD, Asia/Shanghai */
    char category[JY_HALL_CODE_MAX + 1];
    int64_t seq;
    char number[JY_HALL_NUMBER_MAX + 1];
    char status[8]; /* waiting | called | serving | done | skipped */
    int64_t issued_at, queued_at, first_called_at, called_at;
    int window;            /* 0: none yet */
    int64_t staff_user_id; /* 0: none yet */
    int64_t recalls;
    int64_t started_at, finished_at, skipped_at;
    int64_t queue_seq; /* its place in the queue (sequence "hall.queue"), set at take and requeue */
    int64_t call_seq;  /* the hall's call counter at its latest call (sequence "hall.calls") */
};

/* The categories, by sort then code, into `ret` (caller's array of `max`); `*ret_n` their
 * number. Errors: store errors; JY_INTERNAL "stored_value_too_long". */
enum jy_err jy_store_hall_categories(struct jy_store_conn *conn, struct jy_store_hall_category *ret,
                                     size_t max, size_t *ret_n, struct jy_error *err);

/* The windows by number, as jy_store_hall_categories. */
enum jy_err jy_store_hall_windows(struct jy_store_conn *conn, struct jy_store_hall_window *ret,
                                  size_t max, size_t *ret_n, struct jy_error *err);

/* Window `number` into `*ret`. JY_NOT_FOUND "no_such_window" when there is none. */
enum jy_err jy_store_hall_window_get(struct jy_store_conn *conn, int number,
                                     struct jy_store_hall_window *ret, struct jy_error *err);

/* Insert or replace window `w` (number, names, categories; nobody at it). For the demo and for
 * an admin's set-up. Errors: store errors (JY_CONFLICT "check_failed" for a bad number). */
enum jy_err jy_store_hall_window_put(struct jy_store_conn *conn,
                                     const struct jy_store_hall_window *w, struct jy_error *err);

/* Set who is at window `number`: `user_id` (0: nobody) since `at`. */
enum jy_err jy_store_hall_window_staff(struct jy_store_conn *conn, int number, int64_t user_id,
                                       int64_t at, struct jy_error *err);

/* Insert ticket `t` (its id is ignored) and set `*ret_id`. JY_CONFLICT "duplicate" when the
 * day already has this number. */
enum jy_err jy_store_hall_ticket_insert(struct jy_store_conn *conn,
                                        const struct jy_store_hall_ticket *t, int64_t *ret_id,
                                        struct jy_error *err);

/* Write the mutable fields of ticket `t` (by id): status, queued_at, the call, the window, the
 * staff, recalls and the times. */
enum jy_err jy_store_hall_ticket_update(struct jy_store_conn *conn,
                                        const struct jy_store_hall_ticket *t, struct jy_error *err);

/* Ticket `number` of `day` into `*ret`. JY_NOT_FOUND "no_such_ticket" when there is none. */
enum jy_err jy_store_hall_ticket_get(struct jy_store_conn *conn, const char *day,
                                     const char *number, struct jy_store_hall_ticket *ret,
                                     struct jy_error *err);

/* The ticket called or being served at window `window` on `day`, if any: `*ret_found`. */
enum jy_err jy_store_hall_ticket_at_window(struct jy_store_conn *conn, const char *day, int window,
                                           struct jy_store_hall_ticket *ret, bool *ret_found,
                                           struct jy_error *err);

/* The first waiting ticket of `category` on `day` (by queue_seq), if any. */
enum jy_err jy_store_hall_next_waiting(struct jy_store_conn *conn, const char *day,
                                       const char *category, struct jy_store_hall_ticket *ret,
                                       bool *ret_found, struct jy_error *err);

/* How many tickets of `category` on `day` wait ahead of the place `queue_seq` in the queue. */
enum jy_err jy_store_hall_waiting_ahead(struct jy_store_conn *conn, const char *day,
                                        const char *category, int64_t queue_seq, int64_t *ret,
                                        struct jy_error *err);

/* Called for each ticket of a listing; return false to stop. */
typedef bool jy_store_hall_ticket_fn(void *ctx, const struct jy_store_hall_ticket *t);

/* Every ticket of `day`, by id. */
enum jy_err jy_store_hall_tickets_of_day(struct jy_store_conn *conn, const char *day,
                                         jy_store_hall_ticket_fn *fn, void *ctx,
                                         struct jy_error *err);

/* The `limit` tickets of `day` called most recently (called_at, newest first). */
enum jy_err jy_store_hall_recent_calls(struct jy_store_conn *conn, const char *day, size_t limit,
                                       jy_store_hall_ticket_fn *fn, void *ctx,
                                       struct jy_error *err);

#endif /* JY_STORE_HALL_H */
