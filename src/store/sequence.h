/*
 * sequence.h — named counters in the store, for numbers that are handed out once: application
 * numbers, EMS item numbers.
 *
 * A sequence is created at its first use and counts 1, 2, 3 … Taken inside the use case's
 * transaction, a number is consumed only when the use case commits: a rolled-back intake gives
 * its number back, so numbers have no gaps and are never handed out twice, across threads and
 * processes alike.
 */
#ifndef JY_STORE_SEQUENCE_H
#define JY_STORE_SEQUENCE_H

#include <stdint.h>

#include "store.h"

/*
 * Advance the sequence `name` (borrowed, NUL-terminated, 1..JY_STORE_SEQUENCE_NAME_MAX_BYTES
 * bytes) by one and set `*ret` to its new value: 1 for a sequence never used before. One
 * statement (INSERT … ON CONFLICT DO UPDATE … RETURNING), so atomic on its own; call it inside
 * the caller's jy_store_begin() transaction so that the number belongs to that transaction.
 * Thread-safety: `conn` is the calling thread's connection.
 *
 * Errors: JY_INVALID for an empty name; JY_TOO_LONG for an over-long one; JY_CONFLICT
 * ("store_busy") when called outside a transaction and another writer held the lock past the
 * busy timeout; JY_IO. `*ret` is untouched on failure.
 */
enum jy_err jy_store_sequence_next(struct jy_store_conn *conn, const char *name, int64_t *ret,
                                   struct jy_error *err);

#endif /* JY_STORE_SEQUENCE_H */
