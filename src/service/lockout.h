/*
 * lockout.h — failed logins counted per (username, client address), in a fixed amount of memory.
 *
 * A login that keeps failing for one username from one address locks that pair only: the
 * clerk at her own counter can still log in while someone elsewhere guesses at her name (the
 * per-username lock, looser, is kept in the users table by auth.c). The counts live in memory:
 * a restart forgets them, which errs on the side of letting staff in. The table holds at most
 * `max_entries` pairs, allocated once; when it is full, the pair that failed longest ago and is
 * not locked is dropped (a locked pair is dropped only when every pair is locked, the one whose
 * lock ends first). Usernames longer than JY_LOCKOUT_NAME_MAX bytes and addresses longer than
 * JY_LOCKOUT_CLIENT_MAX bytes are cut there. Thread-safe: one mutex per table.
 */
#ifndef JY_SERVICE_LOCKOUT_H
#define JY_SERVICE_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The longest username and client address kept, in bytes. */
#define JY_LOCKOUT_NAME_MAX 64
#define JY_LOCKOUT_CLIENT_MAX 63

struct jy_lockout;

/* A table of at most `max_entries` pairs (1..1,000,000). On success `*ret` is the table; the
 * caller frees it with jy_lockout_free(). Errors: JY_RANGE; JY_NOMEM. */
enum jy_err jy_lockout_new(size_t max_entries, struct jy_lockout **ret, struct jy_error *err);

/* Free the table. Accepts NULL. No other thread may be using it. */
void jy_lockout_free(struct jy_lockout *lk);

/* Seconds until the pair (`username`, `client`) may try again at `now` (UTC seconds): 0 when it
 * is not locked. NULL strings count as "". */
int64_t jy_lockout_locked(struct jy_lockout *lk, const char *username, const char *client,
                          int64_t now);

/* Count one failed login of the pair at `now`. Failures more than `window` seconds after the
 * pair's last one start the count again. The `max_failures`-th failure in a row locks the pair
 * for `lock_seconds` and starts the count again; returns `lock_seconds` then, else 0. */
int64_t jy_lockout_fail(struct jy_lockout *lk, const char *username, const char *client,
                        int64_t now, int max_failures, int64_t lock_seconds, int64_t window);

/* A good login: forget the pair. */
void jy_lockout_clear(struct jy_lockout *lk, const char *username, const char *client);

/* Pairs in the table now (for tests). */
size_t jy_lockout_count(struct jy_lockout *lk);

#endif /* JY_SERVICE_LOCKOUT_H */
