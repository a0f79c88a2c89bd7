/*
 * outbox.h — the sender of text messages, the outbox's figures and its list.
 *
 * Messages are queued by notify.h in the transaction of their event. One sender thread (started
 * by `serve`) takes the queued message due first, posts it to the SMS gateway and records the
 * attempt:
 *
 *   POST <url>  Content-Type: application/json
 *   {"id": 17, "to": "13800138000", "text": "【警邮】…", "text_en": "[Jingyou] …",
 *    "template": "accepted", "application": "WH26113000001L"}
 *
 * A 2xx answer is sent; anything else (another status, no connection, a timeout of
 * JY_OUTBOX_POST_TIMEOUT_SECONDS) is a failure: the next attempt waits backoff_ms, doubling after
 * each failure up to JY_OUTBOX_BACKOFF_MAX_MS, and after max_attempts failures the message is
 * dead (state dead, kept with its last error, never tried again). Attempt times are real
 * milliseconds (not the service's clock, which tests pin). One line of JSON per attempt goes to
 * the log (stderr) with the mobile number masked (138****8000). Without a URL nothing is sent:
 * the messages stay queued.
 *
 * Thread-safety: the sender is one thread; jy_outbox_depth() and jy_outbox_list() may be called
 * from any thread.
 */
#ifndef JY_OUTBOX_H
#define JY_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "service/service.h"
#include "store/carrier.h"

struct jy_outbox_config {
    const char *url;      /* the gateway, http:// or https://; NULL or "": send nothing. Copied. */
    int64_t backoff_ms;   /* the first wait after a failure; 0: JY_OUTBOX_BACKOFF_MS */
    int64_t max_attempts; /* attempts before dead; 0: JY_OUTBOX_MAX_ATTEMPTS */
    int64_t idle_ms;      /* the longest sleep when nothing is due; 0: JY_OUTBOX_IDLE_MS */
};

/* Opaque. */
struct jy_outbox_sender;

/* Start the sender thread over `svc` (borrowed; it must outlive the sender). With no URL no
 * thread is started and `*ret` is still a sender that jy_outbox_sender_stop() accepts.
 * Errors: JY_INVALID "bad_url" (not http:// or https://); JY_NOMEM; JY_INTERNAL when the thread
 * or libcurl cannot start. */
enum jy_err jy_outbox_sender_start(struct jy_service *svc, const struct jy_outbox_config *cfg,
                                   struct jy_outbox_sender **ret, struct jy_error *err);

/* Stop the sender: it finishes the post in progress (at most JY_OUTBOX_POST_TIMEOUT_SECONDS),
 * then the thread is joined and everything freed. Accepts NULL. */
void jy_outbox_sender_stop(struct jy_outbox_sender *s);

/* Run one round of the sender on the calling thread: post the messages due now, once each, at
 * most JY_OUTBOX_ROUND_MAX of them. `*ret_posted` (may be NULL) gets the number of attempts
 * made. For tests and for the thread. */
enum jy_err jy_outbox_send_due(struct jy_service *svc, const struct jy_outbox_config *cfg,
                               int *ret_posted, struct jy_error *err);

/* The outbox depth: messages queued and not yet sent (nor dead), into `*ret`. For /metrics. */
enum jy_err jy_outbox_depth(struct jy_service *svc, int64_t *ret, struct jy_error *err);

/* What the outbox list shows: counts per state and the newest messages. */
struct jy_outbox_counts {
    int64_t queued, sent, dead;
};

/* The outbox as `actor` (manager or admin) sees it: `*ret_counts` and `fn` for at most `limit`
 * (1..JY_CARRIER_LIST_MAX) messages, newest first, of state `state` (NULL: all; else queued,
 * sent or dead) and application `number` (NULL: all). Errors: JY_FORBIDDEN "forbidden";
 * JY_UNPROCESSABLE "unknown_state" (field "state"); JY_RANGE "out_of_range" (field "limit");
 * JY_INVALID "invalid_number"; store errors. */
enum jy_err jy_outbox_list(struct jy_service *svc, const struct jy_actor *actor, const char *state,
                           const char *number, size_t limit, struct jy_outbox_counts *ret_counts,
                           bool (*fn)(void *ctx, const struct jy_store_outbox *m), void *ctx,
                           struct jy_error *err);

#endif /* JY_OUTBOX_H */
