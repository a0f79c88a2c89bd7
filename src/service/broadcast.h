/*
 * broadcast.h — a broadcaster: messages published once, delivered to every subscriber's own
 * bounded queue, for the hall display's live stream (server-sent events).
 *
 * A subscriber is a reader at the other end of a slow network: the publisher never waits for
 * it. Each subscriber has a queue of at most `queue_bytes`; a message that does not fit cuts the
 * subscriber off (its reads then report the end, and the display reconnects and reloads what it
 * missed), so one stalled display costs the others nothing. When a message is queued, the
 * subscriber's wake function is called (from the publishing thread, with the broadcaster's lock
 * held: it must be quick and must not call back into the broadcaster) so that whoever reads can
 * be woken — the HTTP server resumes the display's suspended connection.
 *
 * A heartbeat thread publishes the comment ": heartbeat\n\n" every `heartbeat_seconds`, so
 * that proxies keep the connection open and a display that went away is noticed at the next
 * write.
 *
 * Thread-safety: every function may be called from any thread, except jy_broadcast_free().
 */
#ifndef JY_BROADCAST_H
#define JY_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct jy_broadcast;
struct jy_broadcast_sub;

/* Called when a subscriber's queue gains bytes or the subscriber is cut off or closed. */
typedef void jy_broadcast_wake_fn(void *cls);

/* A broadcaster for at most `max_subscribers`, each with `queue_bytes` of queue, a heartbeat
 * every `heartbeat_seconds` (0: none). `*ret` is freed with jy_broadcast_free(). Errors:
 * JY_INVALID for a zero size; JY_NOMEM; JY_INTERNAL when the thread cannot start. */
enum jy_err jy_broadcast_new(size_t max_subscribers, size_t queue_bytes, unsigned heartbeat_seconds,
                             struct jy_broadcast **ret, struct jy_error *err);

/* Close every subscriber (each is woken and reads the end), refuse new ones, stop the heartbeat
 * thread. Accepts NULL. Idempotent. */
void jy_broadcast_close(struct jy_broadcast *b);

/* Close (as above) and free. Every subscriber must have been unsubscribed. Accepts NULL. */
void jy_broadcast_free(struct jy_broadcast *b);

/* A new subscriber whose queue starts with the `len` bytes at `hello` (may be 0). `wake(cls)` is
 * called as described above until jy_broadcast_unsubscribe(). Errors: JY_CONFLICT "stream_full"
 * when `max_subscribers` are subscribed; JY_CONFLICT "closed" after jy_broadcast_close(); JY_NOMEM.
 */
enum jy_err jy_broadcast_subscribe(struct jy_broadcast *b, const char *hello, size_t len,
                                   jy_broadcast_wake_fn *wake, void *cls,
                                   struct jy_broadcast_sub **ret, struct jy_error *err);

/* Remove and free the subscriber; after it returns, its wake function is never called again.
 * Accepts NULL. */
void jy_broadcast_unsubscribe(struct jy_broadcast_sub *sub);

/* Copy up to `max` queued bytes into `buf`. Returns the count (> 0), 0 when nothing is queued,
 * or -1 when the subscriber was cut off or the broadcaster closed (after its queue is read). */
ssize_t jy_broadcast_read(struct jy_broadcast_sub *sub, char *buf, size_t max);

/* Queue the `len` bytes at `msg` (a whole SSE event) for every subscriber. Returns how many
 * received it. */
size_t jy_broadcast_publish(struct jy_broadcast *b, const char *msg, size_t len);

/* Subscribers now. */
size_t jy_broadcast_count(struct jy_broadcast *b);

#endif /* JY_BROADCAST_H */
