/*
 * ratelimit.h — token buckets per client and route, in a fixed amount of memory.
 *
 * Each (client address, route key) pair has a bucket of `burst` tokens that refills at
 * `per_minute` tokens a minute; a request takes one token or is refused with the time until the
 * next one. The table holds at most `max_entries` buckets, allocated once; when it is full the
 * least recently used bucket is dropped (its client starts again with a full bucket, which errs
 * on the side of serving). IPv6 clients are keyed by their /64 prefix, since one subscriber
 * usually holds a whole /64. Bucket positions come from a keyed hash (SipHash, random key per
 * table), so clients cannot choose addresses that collide. Thread-safe: one mutex per table.
 */
#ifndef JY_HTTP_RATELIMIT_H
#define JY_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct jy_ratelimit;

/* A table of at most `max_entries` buckets (1..JY_RATELIMIT_MAX_ENTRIES) with `burst` tokens
 * each (1..1,000,000), refilled at `per_minute` tokens a minute (1..6,000,000). On success
 * `*ret` is the table; the caller frees it with jy_ratelimit_free(). Errors: JY_RANGE for an
 * argument out of range; JY_NOMEM; JY_INTERNAL when libsodium cannot start. */
enum jy_err jy_ratelimit_new(size_t max_entries, uint32_t burst, uint32_t per_minute,
                             struct jy_ratelimit **ret, struct jy_error *err);

/* Free the table. Accepts NULL. No other thread may be using it. */
void jy_ratelimit_free(struct jy_ratelimit *rl);

/* Take one token for `client` (an address as text, IPv4 or IPv6; other text is used as given)
 * and `route_key` (any text up to JY_RATELIMIT_KEY_MAX_BYTES; longer keys are cut there) at time
 * `now_ms` (milliseconds on a monotonic clock; a time before the bucket's last refill counts as
 * no time passing). Returns true when the request may proceed. When it may not, returns false
 * and sets `*ret_retry_after` (may be NULL) to whole seconds until a token is available (≥ 1). */
bool jy_ratelimit_take(struct jy_ratelimit *rl, const char *client, const char *route_key,
                       int64_t now_ms, uint32_t *ret_retry_after);

/* Buckets in use now (for tests and metrics). */
size_t jy_ratelimit_count(struct jy_ratelimit *rl);

#endif /* JY_HTTP_RATELIMIT_H */
