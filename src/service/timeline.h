/*
 * timeline.h — one ordered list of everything that happened to an application: the counter
 * (intake, resubmission), the custody of its paper file and envelope (the branch bag, the
 * centre's reception, the dispatch batch, the mail centre's scan-in — events that keep the
 * state), the centre's stations, dispatch (sealing, a returned item sent back to dispatch) and
 * the carrier's tracking rows, including those that change no state (in transit, out for
 * delivery) and those about an item number the application carried before. Each entry has its
 * words in Chinese and English (track.h).
 *
 * Order: the events in the order they were recorded (the hash chain's); the carrier's rows that
 * made no event merged in by time (before each event, the rows older than it). A carrier's row
 * that moved the state is shown once, as its event.
 *
 * Two views: staff (who did it, station, notes, the carrier's location and failure reason),
 * for anyone who may read the application (query.h); and public (track.h): the words only, and
 * the carrier's location — no actor, no staff notes, no personal data.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_TIMELINE_H
#define JY_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "service/service.h"
#include "store/workflow.h"

/* One entry. Text fields "" when they do not apply. */
struct jy_timeline_entry {
    int64_t at;                        /* UTC seconds */
    char kind[16];                     /* counter | custody | centre | dispatch | carrier */
    char code[JY_WORKFLOW_CODE_SIZE];  /* the event's reason or to_state; the carrier's status */
    char state[JY_WORKFLOW_CODE_SIZE]; /* the state after it ("" for a carrier's row) */
    char label_zh[JY_TRACK_TEXT_MAX_BYTES];
    char label_en[JY_TRACK_TEXT_MAX_BYTES];
    char actor[JY_USERNAME_MAX + 1];        /* staff view: the username; "" for the system */
    char station[JY_WORKFLOW_CODE_SIZE];    /* staff view */
    char branch[33];                        /* staff view: the branch code */
    char waybill[JY_WORKFLOW_WAYBILL_SIZE]; /* a carrier's row: its item number */
    char location[JY_WORKFLOW_LOCATION_SIZE];
    char failure_reason[JY_WORKFLOW_LOCATION_SIZE]; /* staff view */
    char note[JY_WORKFLOW_NOTE_SIZE];               /* staff view: the event's note */
};

/* A timeline. Release with jy_timeline_release(). */
struct jy_timeline {
    char number[JY_WORKFLOW_NUMBER_SIZE];
    char state[JY_WORKFLOW_CODE_SIZE];
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];
    size_t count;                      /* at most 2 * JY_TRACK_TIMELINE_MAX */
    struct jy_timeline_entry *entries; /* owned, oldest first */
};

/* Build the timeline of application `id` on `conn` (the calling thread's), `public_view`
 * choosing the view. Errors: JY_NOMEM; store errors. */
enum jy_err jy_timeline_build(struct jy_service *svc, struct jy_store_conn *conn, int64_t id,
                              bool public_view, struct jy_timeline *ret, struct jy_error *err);

/* The staff timeline of application `number` (as typed) for `actor`. Errors as jy_query_get()
 * (invalid_number, not_found, out_of_scope), JY_NOMEM, store errors. */
enum jy_err jy_timeline_get(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number, struct jy_timeline *ret, struct jy_error *err);

/* Free what a timeline holds. Accepts NULL and a released one. */
void jy_timeline_release(struct jy_timeline *t);

#endif /* JY_TIMELINE_H */
