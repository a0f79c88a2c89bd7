/*
 * audit.h — the event log: every change of state of an application, append-only and
 * hash-chained, and the check that proves no one rewrote it.
 *
 * Each event row carries prev_hash, the hash of the event before it (32 zero bytes for the
 * first event), and
 *
 *     hash = SHA-256(prev_hash || canonical(event))
 *
 * where canonical(event) is the concatenation of these fields, in this order:
 *
 *     "jy-event-1", id, application_id, at, actor_id, actor_role, branch_id, station,
 *     from_state, from_station, to_state, to_station, reason, note
 *
 * each written as
 *
 *     NULL      →  "~"
 *     a value   →  its length in bytes as decimal digits, ":", its bytes, ","
 *
 * Integers are written as their shortest decimal text ("-" before a negative number, no
 * leading zeros, "0" for zero); text is its UTF-8 bytes as stored. A field starts with "~" or
 * with a digit, and a value's length says where it ends, so two different events never
 * serialise alike, and NULL differs from "" ("~" against "0:,"). The first field names the
 * format; a future format would change it and start from a new version number. The event id
 * is part of the hash, so an event cannot be moved to another place in the chain. Example
 * (event 1, no actor, a note ""):
 *
 *     10:jy-event-1,1:1,1:7,10:1767225600,~~~~~~10:at_station,6:review,~0:,
 *
 * One chain for the whole database, not one per application: a per-application chain cannot
 * show that an application's whole history was deleted, nor that events were reordered
 * between applications, and it has many heads to record; a global chain has one head, whose
 * hash, written down outside the database (a daily report, a backup log), vouches for every
 * event before it. The cost — each append reads the previous row, so appends are serialised —
 * is no cost on SQLite, which serialises writers anyway. (On a store with concurrent writers
 * the chain head is the one row every writer locks.)
 *
 * What verification proves: every event's hash matches its content, and each event links to
 * the one before. An edited field, a deleted or inserted event, or events reordered are found
 * and named. What it cannot prove alone: that the newest events were not cut off, or that
 * someone did not rewrite the whole chain with fresh hashes — for that, compare the head
 * (jy_store_audit_head) with a copy kept elsewhere.
 *
 * Thread-safety: the functions use the calling thread's connection `conn`.
 */
#ifndef JY_STORE_AUDIT_H
#define JY_STORE_AUDIT_H

#include <stdint.h>

#include "store.h"

/* Bytes of a hash in the chain (SHA-256). */
#define JY_AUDIT_HASH_BYTES 32

/* One event to append. Strings are borrowed, NUL-terminated UTF-8; NULL means "none" and is
 * stored as SQL NULL (distinct from ""). Code fields (actor_role, station, the states and
 * stations, reason) are at most JY_EVENT_CODE_MAX_BYTES, the note at most JY_NOTE_MAX_BYTES. */
struct jy_event {
    int64_t application_id;   /* applications.id, > 0 */
    int64_t at;               /* UTC seconds */
    int64_t actor_id;         /* users.id; 0: the system (a lapsed lease, the carrier's feed) */
    const char *actor_role;   /* the actor's role: "clerk", "operator", … */
    int64_t branch_id;        /* branches.id where it happened; 0: not at a branch */
    const char *station;      /* the station where it happened ("review"), or NULL */
    const char *from_state;   /* NULL for the first event of an application */
    const char *from_station; /* station before, or NULL */
    const char *to_state;     /* state after; required */
    const char *to_station;   /* station after, or NULL */
    const char *reason;       /* reason code of a return or refusal, or NULL */
    const char *note;         /* free text, or NULL */
};

/*
 * Append `event` to the chain and set `*ret_id` to its events.id. Must run inside the caller's
 * jy_store_begin() transaction, with the change of state it records, so that a state never
 * changes without its event and an event never exists for a change that was rolled back.
 *
 * Errors: JY_INTERNAL when no transaction is open; JY_INVALID (field named) for a missing
 * to_state or application_id; JY_TOO_LONG (field named) for an over-long string; JY_CONFLICT
 * ("foreign_key") for an unknown application, actor or branch; JY_IO. `*ret_id` is untouched
 * on failure.
 */
enum jy_err jy_store_event_append(struct jy_store_conn *conn, const struct jy_event *event,
                                  int64_t *ret_id, struct jy_error *err);

/*
 * Walk the whole chain in id order, recomputing every hash, as of one consistent snapshot.
 *
 * JY_OK: the chain is intact; `*ret_checked` is the number of events, `*ret_broken_id` 0.
 * JY_CONFLICT (reason "chain_broken"): `*ret_broken_id` is the id of the first event that is
 * wrong — its stored hash does not match its content, or its prev_hash is not the hash of the
 * event before it (or not zero for the first event) — `*ret_checked` the number of intact
 * events before it, and err->message says what is wrong with it, as a clause to follow
 * "event N is broken: " ("its hash does not match its content").
 * Other errors (JY_IO, …) leave both outputs untouched.
 */
enum jy_err jy_store_audit_verify(struct jy_store_conn *conn, int64_t *ret_checked,
                                  int64_t *ret_broken_id, struct jy_error *err);

/* The head of the chain: the id of the newest event and its hash (`ret_hash` receives
 * JY_AUDIT_HASH_BYTES bytes), or 0 and 32 zero bytes for an empty chain. Written down outside
 * the database, it lets a later verification detect a cut-off or rewritten chain. Errors:
 * JY_IO; outputs untouched then. */
enum jy_err jy_store_audit_head(struct jy_store_conn *conn, int64_t *ret_id,
                                uint8_t ret_hash[JY_AUDIT_HASH_BYTES], struct jy_error *err);

#endif /* JY_STORE_AUDIT_H */
