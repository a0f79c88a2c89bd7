/*
 * store.h — the SQLite store: one database file, one connection per worker thread, numbered
 * schema migrations, cached prepared statements and write transactions.
 *
 * A `struct jy_store` stands for one open database file and is shared by every thread of the
 * process. Each thread that touches the database gets its own `struct jy_store_conn` from
 * jy_store_conn_get(): SQLite connections are not shared between threads, so no connection
 * needs a mutex, and each keeps its own prepared statements. Every connection runs in WAL mode
 * with `synchronous=FULL` (a commit that returned JY_OK is on disk and survives a crash or a
 * power cut), `foreign_keys=ON` and a busy timeout of JY_STORE_BUSY_TIMEOUT_MS — except the
 * connections of a store opened with jy_store_open_readonly(), which set nothing that writes.
 *
 * Writers are serialised: SQLite admits one write transaction at a time. jy_store_begin()
 * takes the write lock at once (BEGIN IMMEDIATE), so a use case never fails half way through
 * on a lock upgrade; writers in one process queue on a mutex instead of polling the file lock,
 * and writers in other processes (a `jingyou` command next to the server) wait on the file lock
 * up to the busy timeout. Readers never wait for writers.
 *
 * SQLite result codes map onto `enum jy_err` as follows (jy_store_sqlite_error()):
 *   SQLITE_BUSY, SQLITE_LOCKED      JY_CONFLICT, reason "store_busy": another writer held the
 *                                   lock for longer than the busy timeout. Nothing was written;
 *                                   the use case may be retried as a whole. It is a conflict
 *                                   with a concurrent writer, not a fault of the store, hence
 *                                   CONFLICT (409) rather than IO (500).
 *   SQLITE_CONSTRAINT_*             JY_CONFLICT, reason "duplicate" (UNIQUE, PRIMARY KEY),
 *                                   "foreign_key", "check_failed", "not_null", "wrong_type" (a
 *                                   STRICT column given a value of another type), "trigger"
 *                                   (a trigger refused the change, e.g. an event edited),
 *                                   "constraint" (any other).
 *   SQLITE_IOERR_*, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PROTOCOL,
 *   SQLITE_CORRUPT, SQLITE_NOTADB   JY_IO, reason "store_io", "store_full", "store_cantopen",
 *                                   "store_readonly", "store_corrupt", "not_a_database".
 *   SQLITE_NOMEM                    JY_NOMEM.
 *   SQLITE_TOOBIG                   JY_TOO_LARGE.
 *   anything else (SQL errors, misuse, range, interrupt)   JY_INTERNAL, reason "store_internal".
 * In every case err->message carries SQLite's own message.
 *
 * Thread-safety: jy_store_open(), jy_store_open_existing(), jy_store_open_readonly() and
 * jy_store_close() are called by one thread while no other thread uses the store.
 * jy_store_conn_get() may be called from any thread at any time between them. A `struct
 * jy_store_conn` and every statement it returns belong to the thread that got it and are used by
 * that thread only.
 */
#ifndef JY_STORE_H
#define JY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "../error.h"

/* One open database file, shared by all threads. Opaque. */
struct jy_store;

/* One thread's connection to the database. Opaque. */
struct jy_store_conn;

/* The default database file, relative to the working directory. */
#define JY_STORE_DEFAULT_PATH "var/jingyou.db"

/* The schema version this program writes and understands: the number of the newest migration
 * in src/store/migrations.c. A database whose `PRAGMA user_version` is higher is refused. */
int jy_store_schema_version(void);

/*
 * Open the database file `path`, creating it (mode 0600) and its parent directories (mode
 * 0700) when missing, and bring its schema up to date: every migration newer than the file's
 * `PRAGMA user_version` is applied, in order, in one transaction; when one fails, all are rolled
 * back and the error names it. The file holds personal data, hence the modes.
 *
 * `path` (borrowed; at most JY_STORE_PATH_MAX_BYTES) names a file, not ":memory:" — each thread
 * opens its own connection to it. On success `*ret` is a new store that the caller releases
 * with jy_store_close().
 *
 * Errors: JY_CONFLICT when the database's schema is newer than this program knows ("database
 * schema version 7 is newer than this jingyou (5); upgrade jingyou"), or the migrations waited
 * longer than the busy timeout for another writer; JY_IO when the file or a directory cannot be
 * created or opened, or is not a database; JY_TOO_LONG for an over-long path; JY_INTERNAL when
 * a migration fails (the message names it) or the SQLite library is older than 3.37 or built
 * without thread support; JY_NOMEM.
 */
enum jy_err jy_store_open(const char *path, struct jy_store **ret, struct jy_error *err);

/* As jy_store_open(), but the file must already exist: nothing is created, and a missing file
 * is JY_NOT_FOUND (reason "no_database"). An existing file is still migrated (an empty file
 * becomes an empty database with the current schema): for commands that change a database
 * that must already be there. Commands that only look at one use jy_store_open_readonly(). */
enum jy_err jy_store_open_existing(const char *path, struct jy_store **ret, struct jy_error *err);

/*
 * Open the existing database file `path` for reading only, for commands that inspect a
 * database (`jingyou audit verify`): the file is never created, migrated or written — every
 * connection is opened with SQLITE_OPEN_READONLY and `PRAGMA query_only`, no journal mode is
 * set (a file in rollback-journal mode stays so), and jy_store_begin() on it is refused. A
 * file named by mistake, an unrelated SQLite database say, is left byte for byte as it was.
 *
 * The file must hold a jingyou database of exactly the schema version this program writes
 * (jy_store_schema_version()): a file whose `PRAGMA user_version` is 0 is not a jingyou
 * database, and one whose version differs cannot be read with this program's queries (an
 * older one is upgraded when `jingyou serve` next opens it, which this function never does).
 * `path` and `*ret` as for jy_store_open(); release the store with jy_store_close().
 *
 * Errors: JY_NOT_FOUND "no_database" when the file does not exist; JY_IO "not_a_database"
 * ("PATH is not a jingyou database (file is not a database)") when it is not an SQLite file,
 * "store_cantopen" when it cannot be opened or is not a regular file; JY_INVALID
 * "not_a_jingyou_database" ("PATH is not a jingyou database (…)") when its user_version is 0
 * (or negative); JY_CONFLICT "schema_too_new" ("database schema version 7 is newer than this
 * jingyou (5); upgrade jingyou") or "schema_too_old"; JY_INVALID / JY_TOO_LONG for a bad path
 * as jy_store_open(); JY_NOMEM.
 */
enum jy_err jy_store_open_readonly(const char *path, struct jy_store **ret, struct jy_error *err);

/* True when `store` (borrowed) was opened by jy_store_open_readonly(). */
bool jy_store_is_readonly(const struct jy_store *store);

/* Close every connection of `store` (rolling back any transaction still open) and free it.
 * Accepts NULL. Call only when no other thread uses the store any more (worker threads joined
 * or idle for good); connections obtained from it are invalid afterwards. */
void jy_store_close(struct jy_store *store);

/* The path `store` was opened with. Borrowed; valid until jy_store_close(). */
const char *jy_store_path(const struct jy_store *store);

/*
 * The calling thread's connection to `store`, opened (with the pragmas above) on the thread's
 * first call and then returned again on every later call. The connection is owned by the
 * store: it is closed when the thread exits or at jy_store_close(), whichever comes first; the
 * caller never frees it. `*ret` is borrowed and valid on this thread only.
 *
 * Errors: JY_IO when the file cannot be opened; JY_NOMEM.
 */
enum jy_err jy_store_conn_get(struct jy_store *store, struct jy_store_conn **ret,
                              struct jy_error *err);

/*
 * A prepared statement for `sql` (one SQL statement, bound parameters only — never values
 * pasted into the text), taken from the connection's cache or prepared once on first use with
 * SQLITE_PREPARE_PERSISTENT. The statement is returned reset and with every binding cleared.
 * The cache is keyed by the text: the same constant string returns the same statement at the
 * cost of a pointer comparison; an equal string elsewhere in memory finds it by content.
 *
 * The statement is owned by the connection (never finalise it). It stays valid until the
 * connection closes or until JY_STORE_STMT_CACHE_MAX - 1 other distinct statements have been
 * fetched from this connection (the cache is bounded and finalises its least recently used
 * entry; a statement that is still being stepped is never finalised). Reset it (sqlite3_reset)
 * when done with it, so that it releases its read snapshot at once.
 *
 * Returns NULL on failure with `err` filled: JY_INTERNAL for a syntax error, an unknown table or
 * more than one statement in `sql`; JY_NOMEM.
 */
sqlite3_stmt *jy_store_stmt(struct jy_store_conn *conn, const char *sql, struct jy_error *err);

/* How many prepared statements `conn` holds in its cache (0..JY_STORE_STMT_CACHE_MAX). For
 * tests and metrics. */
size_t jy_store_stmt_cache_count(const struct jy_store_conn *conn);

/*
 * Start a write transaction on `conn` (BEGIN IMMEDIATE): the database write lock is taken now,
 * waiting for other writers up to JY_STORE_BUSY_TIMEOUT_MS, so that no statement inside the
 * transaction can fail on a lock. Transactions do not nest. Every successful begin is ended by
 * exactly one jy_store_commit() or jy_store_rollback().
 *
 * Errors: JY_CONFLICT (reason "store_busy") when the lock was not free in time; JY_INTERNAL when
 * a transaction is already open on `conn`; JY_IO (reason "store_readonly" when the store was
 * opened by jy_store_open_readonly()).
 */
enum jy_err jy_store_begin(struct jy_store_conn *conn, struct jy_error *err);

/* Commit the transaction opened by jy_store_begin(). When this returns JY_OK the changes are
 * durable (fsync'd). On failure the transaction has been rolled back: nothing was written, and
 * no transaction is open. Either way, cached statements of `conn` still being stepped are reset
 * (so is it by jy_store_rollback), so that none holds a read snapshot past its transaction. Errors:
 * JY_INTERNAL when no transaction is open; JY_IO; JY_CONFLICT (a deferred foreign key violated). */
enum jy_err jy_store_commit(struct jy_store_conn *conn, struct jy_error *err);

/* Roll back the transaction opened by jy_store_begin(), if any; does nothing when none is open
 * and accepts NULL, so that it can sit on every failure path of a use case. It cannot fail in a
 * way the caller could act on: should SQLite's ROLLBACK itself fail (an I/O error), the journal
 * is rolled back by the next connection that reads the file. */
void jy_store_rollback(struct jy_store_conn *conn);

/* True when a transaction opened by jy_store_begin() is open on `conn`. */
bool jy_store_in_transaction(const struct jy_store_conn *conn);

/*
 * Batches: many use cases in one write transaction, for a caller that runs thousands of them in
 * a row on one thread (the city simulator commits once per simulated minute, not once per
 * action). jy_store_batch_begin() opens the transaction (BEGIN IMMEDIATE, taking the write gate
 * as jy_store_begin() does); while it is open, jy_store_begin() opens a savepoint instead,
 * jy_store_commit() releases it (the changes become durable only with the batch) and
 * jy_store_rollback() rolls back to it, undoing that one use case and keeping the rest of the
 * batch. So a use case written for its own transaction keeps its all-or-nothing behaviour
 * inside a batch, unchanged. jy_store_in_transaction() is true only inside a use case's own
 * begin…commit.
 *
 * Errors of jy_store_batch_begin(): those of jy_store_begin(); JY_INTERNAL when a batch or a
 * transaction is already open. jy_store_batch_commit(): JY_INTERNAL when no batch is open or
 * a use case's savepoint is still open; JY_IO when SQLite had rolled the whole batch back
 * after an I/O error (nothing of it was written); those of jy_store_commit(). On failure the
 * batch is closed and the gate released. jy_store_batch_rollback() drops the whole batch;
 * it accepts NULL and a connection without a batch.
 */
enum jy_err jy_store_batch_begin(struct jy_store_conn *conn, struct jy_error *err);
enum jy_err jy_store_batch_commit(struct jy_store_conn *conn, struct jy_error *err);
void jy_store_batch_rollback(struct jy_store_conn *conn);

/* `bulk` true: `conn` is set for a long run of writes of simulated data (the city simulator):
 * nothing is fsync'd (PRAGMA synchronous = OFF: a crash of the machine may corrupt the file,
 * which a simulation's temporary database can afford), the page cache grows to 1 GiB, pages
 * are read through a memory map of up to 4 GiB, and the WAL is checkpointed every 16,384
 * pages instead of 1,000. `bulk` false restores the
 * settings of store.h. Other connections are not affected. Errors: store errors. */
enum jy_err jy_store_conn_set_bulk(struct jy_store_conn *conn, bool bulk, struct jy_error *err);

/* True while a batch opened by jy_store_batch_begin() is open on `conn`. */
bool jy_store_in_batch(const struct jy_store_conn *conn);

/* ---- for the modules of src/store only ----
 * The rest of the program goes through the store's typed functions, never through SQL, so that
 * the same use cases can run on another database. */

/* The SQLite handle of `conn`, for src/store modules that need what jy_store_stmt() does not
 * offer (sqlite3_changes64, sqlite3_last_insert_rowid, sqlite3_errmsg). Borrowed; never close
 * it, never begin or end transactions on it other than through jy_store_begin/commit/rollback. */
sqlite3 *jy_store_conn_db(struct jy_store_conn *conn);

/* Map SQLite result code `rc`, just returned by a call on `conn`, to `enum jy_err` as described
 * at the top of this file, filling `err` with a reason and SQLite's message. `rc` must not be
 * SQLITE_OK, SQLITE_ROW or SQLITE_DONE. Returns the mapped code. */
enum jy_err jy_store_sqlite_error(struct jy_store_conn *conn, int rc, struct jy_error *err);

/* The same mapping for a bare handle (`db` may be NULL: then only `rc` is known). When `what`
 * is not NULL the message reads "<what>: <SQLite's message>". */
enum jy_err jy__store_db_error(sqlite3 *db, int rc, const char *what, struct jy_error *err);

/* Reset every cached statement of `conn` that is still being stepped, so that none holds a
 * read snapshot or blocks a ROLLBACK TO (for the group-commit writer's savepoints). */
void jy__store_reset_busy(struct jy_store_conn *conn);

#endif /* JY_STORE_H */
