/*
 * figures.h — what the dashboard, the summary report and /metrics read from the store: the
 * applications accepted in a period (one pass over the `applications_report` index of
 * migration 7), the centre's work in a period (events by time), the backlog at each station
 * now, the fines collected in a period (by settlement day and branch), and a few
 * whole-database figures.
 *
 * Periods are half-open ranges of UTC seconds [from, to); the caller turns civil days into
 * them. Every function runs on the calling thread's connection and only reads; callbacks get
 * rows whose strings are valid only during the call. Errors are the store's (store.h).
 */
#ifndef JY_STORE_FIGURES_H
#define JY_STORE_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* One application of a period, as the summary counts it. */
struct jy_store_cohort_row {
    int64_t accepted_at;       /* UTC seconds */
    int64_t branch_id;         /* accepting branch */
    const char *business_type; /* catalog code */
    int64_t clerk_id;          /* accepting clerk */
    const char *state;         /* current state */
    const char *due_date;      /* "YYYY-MM-DD" */
    int64_t finished_at;       /* UTC seconds; 0 while not finished (migration 7) */
    int64_t corrections;       /* times sent back for correction */
};

/* Call `fn` for each application accepted in [from, to), in no particular order, until it
 * returns false. */
enum jy_err jy_store_figures_cohort(struct jy_store_conn *conn, int64_t from, int64_t to,
                                    bool (*fn)(void *ctx, const struct jy_store_cohort_row *r),
                                    void *ctx, struct jy_error *err);

/* Events of the centre's work in a period that are alike: items leaving a station
 * (completed, sent back, refused), or any event into correction or refused, counted by their
 * from, to, reason and actor (table work_counts, kept by a trigger: migration 7). */
struct jy_store_work_row {
    const char *from_state;   /* "" for none */
    const char *from_station; /* "" for none */
    const char *to_state;
    const char *to_station; /* "" for none */
    const char *reason;     /* "" for none */
    int64_t actor_id;       /* 0: the system */
    int64_t count;          /* how many such events */
};

/* Call `fn` for each kind of such events on the civil days (Asia/Shanghai) `from_day` to
 * `to_day` ("YYYY-MM-DD", both included, borrowed), in no particular order, until it returns
 * false. */
enum jy_err jy_store_figures_work(struct jy_store_conn *conn, const char *from_day,
                                  const char *to_day,
                                  bool (*fn)(void *ctx, const struct jy_store_work_row *r),
                                  void *ctx, struct jy_error *err);

/* The backlog of one station now. */
struct jy_store_backlog {
    const char *station;        /* station code */
    int64_t waiting;            /* applications at_station there */
    int64_t leased;             /* of those, under a lease that has not lapsed at `now` */
    int64_t overdue;            /* of those, due before `today` */
    int64_t due_today;          /* of those, due on `today` */
    int64_t oldest_accepted_at; /* UTC seconds: the earliest acceptance among them */
};

/* Call `fn` for each station with work waiting (station order by code), `today`
 * ("YYYY-MM-DD", borrowed) and `now` (UTC seconds) deciding overdue, due today and leased. */
enum jy_err jy_store_figures_backlog(struct jy_store_conn *conn, const char *today, int64_t now,
                                     bool (*fn)(void *ctx, const struct jy_store_backlog *b),
                                     void *ctx, struct jy_error *err);

/* Fines collected (migration 3, table fine_payments): the payments in force (not reversed) of
 * one settlement day at one branch. */
struct jy_store_fines_row {
    const char *paid_date; /* "YYYY-MM-DD", the civil day (Asia/Shanghai) of settlement */
    int64_t branch_id;     /* collecting branch */
    int64_t count;         /* payments in force */
    int64_t fine_fen;      /* their fines, fen */
    int64_t surcharge_fen; /* their surcharges (加处罚款), fen */
    int64_t amount_fen;    /* collected: fine + surcharge, fen */
};

/* Call `fn` for each (settlement day, branch) with payments in force on the civil days
 * `from_day` to `to_day` ("YYYY-MM-DD", both included, borrowed), in no particular order, until
 * it returns false. A range scan of the fine_payments_day index (paid_date, branch_id, id). */
enum jy_err jy_store_figures_fines(struct jy_store_conn *conn, const char *from_day,
                                   const char *to_day,
                                   bool (*fn)(void *ctx, const struct jy_store_fines_row *r),
                                   void *ctx, struct jy_error *err);

/* Whole-database figures for /metrics. */
struct jy_store_totals {
    int64_t applications; /* every application ever accepted */
    int64_t leases_held;  /* leases that have not lapsed at `now` */
    int64_t db_bytes;     /* page_count * page_size of the main database */
    int64_t s10_left;     /* EMS item numbers left over all ranges (store/custody.h) */
};

/* The totals above at `now` (UTC seconds) into `*ret`. */
enum jy_err jy_store_figures_totals(struct jy_store_conn *conn, int64_t now,
                                    struct jy_store_totals *ret, struct jy_error *err);

/* The username and display name of user `id` into the buffers (33 and 121 bytes); JY_NOT_FOUND
 * for an unknown id. */
enum jy_err jy_store_figures_user(struct jy_store_conn *conn, int64_t id, char username[33],
                                  char display_name[121], struct jy_error *err);

#endif /* JY_STORE_FIGURES_H */
