/*
 * store.c — opening the SQLite database, per-thread connections, the prepared-statement cache,
 * write transactions and the mapping of SQLite errors. See store.h for the contract.
 *
 * Write transactions pass through a gate: a flag under a mutex and a condition variable, held
 * from jy_store_begin() to jy_store_commit()/jy_store_rollback(). SQLite admits one writer at a
 * time anyway; without the gate, the threads of one process waiting for the write lock would
 * poll it with SQLite's busy handler, sleeping 1, 2, 5 … 100 ms between tries, and a lock that
 * was freed after 4 ms would sit idle until the next wake-up. With the gate the next writer
 * starts as soon as the previous one commits. A flag rather than a held mutex, because the gate
 * may be released by a thread other than the one that took it (a connection closed by
 * jy_store_close()).
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "migrations.h"
#include "../limits.h"
#include "../banned.h"

/* ---- types ---- */

/* One cached prepared statement. */
struct stmt_entry {
    const char *key;    /* the pointer it was last fetched with (borrowed, compared only) */
    char *text;         /* own copy of the SQL text (the cache key) */
    size_t len;         /* strlen(text) */
    uint64_t hash;      /* FNV-1a of text */
    uint64_t used;      /* conn->tick at the last fetch, for LRU */
    sqlite3_stmt *stmt; /* owned */
};

struct jy_store_conn {
    struct jy_store *store;            /* borrowed: the store this connection belongs to */
    sqlite3 *db;                       /* owned */
    struct jy_store_conn *prev, *next; /* in store->conns, under store->lock */
    bool in_txn;                       /* opened by jy_store_begin(): holds the write gate, or
                                          inside a batch, a savepoint */
    bool batch;                        /* opened by jy_store_batch_begin(): holds the write gate */
    uint64_t tick;                     /* counts statement fetches */
    size_t n_stmts;
    struct stmt_entry stmts[JY_STORE_STMT_CACHE_MAX];
};

struct jy_store {
    char *path;                  /* owned copy */
    bool readonly;               /* opened by jy_store_open_readonly(): no writes, no pragmas */
    pthread_key_t key;           /* each thread's struct jy_store_conn */
    pthread_mutex_t lock;        /* guards conns and writer */
    pthread_cond_t writer_freed; /* signalled when writer turns false */
    bool writer;                 /* the write gate: a jy_store_begin() transaction is open */
    struct jy_store_conn *conns; /* every open connection, to close them at jy_store_close() */
};

static void conn_destructor(void *p);

/* ---- errors ---- */

enum jy_err jy__store_db_error(sqlite3 *db, int rc, const char *what, struct jy_error *err)
{
    enum jy_err code = JY_INTERNAL;
    const char *reason = "store_internal";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = JY_CONFLICT;
        reason = "store_busy";
        break;
    case SQLITE_CONSTRAINT:
        code = JY_CONFLICT;
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_ROWID:
            reason = "duplicate";
            break;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            reason = "foreign_key";
            break;
        case SQLITE_CONSTRAINT_CHECK:
            reason = "check_failed";
            break;
        case SQLITE_CONSTRAINT_NOTNULL:
            reason = "not_null";
            break;
        case SQLITE_CONSTRAINT_DATATYPE:
            reason = "wrong_type";
            break;
        case SQLITE_CONSTRAINT_TRIGGER:
            reason = "trigger";
            break;
        default:
            reason = "constraint";
            break;
        }
        break;
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
        code = JY_IO;
        reason = "store_io";
        break;
    case SQLITE_FULL:
        code = JY_IO;
        reason = "store_full";
        break;
    case SQLITE_CANTOPEN:
        code = JY_IO;
        reason = "store_cantopen";
        break;
    case SQLITE_READONLY:
        code = JY_IO;
        reason = "store_readonly";
        break;
    case SQLITE_CORRUPT:
        code = JY_IO;
        reason = "store_corrupt";
        break;
    case SQLITE_NOTADB:
        code = JY_IO;
        reason = "not_a_database";
        break;
    case SQLITE_NOMEM:
        code = JY_NOMEM;
        reason = "out_of_memory";
        break;
    case SQLITE_TOOBIG:
        code = JY_TOO_LARGE;
        reason = "too_big";
        break;
    default:
        break;
    }
    /* sqlite3_errmsg describes the most recent failure on `db`, which is `rc` when the caller
     * passes the code it just got; without a handle only the code's generic text is known. */
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (what)
        return jy_error_set(err, code, reason, NULL, "%s: %s", what, msg);
    return jy_error_set(err, code, reason, NULL, "%s", msg);
}

enum jy_err jy_store_sqlite_error(struct jy_store_conn *conn, int rc, struct jy_error *err)
{
    return jy__store_db_error(conn ? conn->db : NULL, rc, NULL, err);
}

/* ---- opening a file ---- */

/* Run one statement that takes no parameters and whose rows, if any, are ignored. */
static int exec_simple(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Run a PRAGMA that answers one row and copy its first column as text into buf. */
static int pragma_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        jy_strlcpy(buf, text ? (const char *)text : "", size);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        jy_strlcpy(buf, "", size);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Apply the connection settings of store.h to `db`, and check that they took. */
static enum jy_err set_pragmas(sqlite3 *db, struct jy_error *err)
{
    sqlite3_extended_result_codes(db, 1);
    /* First, so that the journal_mode switch below waits for a writer instead of failing. */
    int rc = sqlite3_busy_timeout(db, JY_STORE_BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "setting the busy timeout", err);

    char mode[16];
    rc = pragma_text(db, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "switching to WAL mode", err);
    if (strcmp(mode, "wal") != 0)
        return jy_error_set(err, JY_IO, "no_wal", NULL,
                            "the database cannot use WAL mode (journal mode stays '%s')", mode);

    rc = exec_simple(db, "PRAGMA synchronous = FULL");
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "setting synchronous = FULL", err);
    rc = exec_simple(db, "PRAGMA foreign_keys = ON");
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "enabling foreign keys", err);

    /* A library built without foreign keys ignores the pragma silently; refuse it. */
    char fk[8];
    rc = pragma_text(db, "PRAGMA foreign_keys", fk, sizeof(fk));
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "reading foreign_keys", err);
    if (strcmp(fk, "1") != 0)
        return jy_error_set(err, JY_INTERNAL, "no_foreign_keys", NULL,
                            "this SQLite library does not enforce foreign keys");
    return JY_OK;
}

/* The settings of a read-only connection: extended result codes, the busy timeout (a writer
 * may hold the file for a moment), and query_only, so that not even a statement the program
 * did not mean to write can change the file. Nothing that would write, such as the switch to
 * WAL mode. */
static enum jy_err set_readonly_pragmas(sqlite3 *db, struct jy_error *err)
{
    sqlite3_extended_result_codes(db, 1);
    int rc = sqlite3_busy_timeout(db, JY_STORE_BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "setting the busy timeout", err);
    rc = exec_simple(db, "PRAGMA query_only = ON");
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "setting query_only", err);
    return JY_OK;
}

/* Open a connection to the existing file `path` and set it up; read-only (SQLITE_OPEN_READONLY,
 * no pragma that writes) when `readonly`. On success *ret is owned by the caller
 * (sqlite3_close). */
static enum jy_err open_db(const char *path, bool readonly, sqlite3 **ret, struct jy_error *err)
{
    sqlite3 *db = NULL;
    /* NOMUTEX: each connection is used by one thread only. No CREATE: the file was created (or
     * found) by jy_store_open; a file deleted behind our back is an error, not a new database. */
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
                SQLITE_OPEN_EXRESCODE;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        enum jy_err e = jy__store_db_error(db, rc, path, err);
        sqlite3_close(db);
        return e;
    }
    enum jy_err e = readonly ? set_readonly_pragmas(db, err) : set_pragmas(db, err);
    if (e != JY_OK) {
        sqlite3_close(db);
        return e;
    }
    *ret = db;
    return JY_OK;
}

/* Create every missing parent directory of `path` (mode 0700). */
static enum jy_err make_parents(const char *path, struct jy_error *err)
{
    char buf[JY_STORE_PATH_MAX_BYTES + 1];
    size_t len = strlen(path);
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (buf[i] != '/')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
            int saved = errno;
            buf[i] = '/';
            return jy_error_set(err, JY_IO, "store_cantopen", NULL, "cannot create %.*s: %s",
                                (int)i, buf, strerror(saved));
        }
        buf[i] = '/';
    }
    return JY_OK;
}

/* Make sure the file `path` exists: create it (and its directories) when `create`, else
 * refuse a missing file. */
static enum jy_err prepare_file(const char *path, bool create, struct jy_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return jy_error_set(err, JY_IO, "store_cantopen", NULL, "%s is not a regular file",
                                path);
        return JY_OK;
    }
    if (errno != ENOENT)
        return jy_error_set(err, JY_IO, "store_cantopen", NULL, "cannot open %s: %s", path,
                            strerror(errno));
    if (!create)
        return jy_error_set(err, JY_NOT_FOUND, "no_database", NULL, "database %s does not exist",
                            path);
    enum jy_err e = make_parents(path, err);
    if (e != JY_OK)
        return e;
    /* SQLite would create the file with the umask's mode (usually world-readable); it holds
     * personal data, so create it owner-only first. The -wal and -shm files that SQLite adds
     * take the database file's mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return jy_error_set(err, JY_IO, "store_cantopen", NULL, "cannot create %s: %s", path,
                            strerror(errno));
    close(fd);
    return JY_OK;
}

/* How jy_store_open, jy_store_open_existing and jy_store_open_readonly differ. */
enum open_mode {
    OPEN_CREATE,   /* create the file when missing, migrate */
    OPEN_EXISTING, /* the file must exist, migrate */
    OPEN_READONLY, /* the file must exist and hold the current schema; never written */
};

/* Check, on the read-only connection `db` to `path`, that the file is a jingyou database of
 * the schema version this program writes. */
static enum jy_err check_version(sqlite3 *db, const char *path, struct jy_error *err)
{
    char text[32];
    int rc = pragma_text(db, "PRAGMA user_version", text, sizeof(text));
    if ((rc & 0xff) == SQLITE_NOTADB)
        return jy_error_set(err, JY_IO, "not_a_database", NULL, "%s is not a jingyou database (%s)",
                            path, sqlite3_errmsg(db));
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "reading the schema version", err);
    char *end = NULL;
    errno = 0;
    long version = strtol(text, &end, 10);
    int latest = jy_store_schema_version();
    if (errno || end == text || *end || version <= 0)
        return jy_error_set(err, JY_INVALID, "not_a_jingyou_database", NULL,
                            "%s is not a jingyou database (an SQLite file without the jingyou "
                            "schema)",
                            path);
    if (version > latest)
        return jy_error_set(err, JY_CONFLICT, "schema_too_new", NULL,
                            "database schema version %ld is newer than this jingyou (%d); "
                            "upgrade jingyou",
                            version, latest);
    if (version < latest)
        return jy_error_set(err, JY_CONFLICT, "schema_too_old", NULL,
                            "database schema version %ld is older than this jingyou (%d); "
                            "it is upgraded the next time `jingyou serve` opens it",
                            version, latest);
    return JY_OK;
}

/* The common part of jy_store_open, jy_store_open_existing and jy_store_open_readonly. */
/* The triggers that keep the event log append-only must be there: a database that lost them
 * has had its history open to editing, and a service must not write on top of it unnoticed. */
static enum jy_err check_append_only(sqlite3 *db, const char *path, struct jy_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND"
                                " tbl_name = 'events' AND name IN ('events_no_update',"
                                " 'events_no_delete')",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "checking the event log's triggers", err);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (n != 2)
        return jy_error_set(err, JY_CONFLICT, "events_not_append_only", NULL,
                            "%.200s: the event log has lost its append-only triggers, so its "
                            "history may have been edited; run `jingyou audit verify --db %.200s` "
                            "and restore the database from a backup",
                            path, path);
    return JY_OK;
}

static enum jy_err store_open(const char *path, enum open_mode mode, struct jy_store **ret,
                              struct jy_error *err)
{
    if (!path || !*path)
        return jy_error_set(err, JY_INVALID, "no_path", NULL, "no database path given");
    size_t len = strnlen(path, JY_STORE_PATH_MAX_BYTES + 1);
    if (len > JY_STORE_PATH_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "path_too_long", NULL,
                            "database path longer than %d bytes", JY_STORE_PATH_MAX_BYTES);
    if (strcmp(path, ":memory:") == 0)
        return jy_error_set(err, JY_INVALID, "memory_database", NULL,
                            "the store needs a file; every thread opens its own connection");
    /* STRICT tables arrived in 3.37.0. */
    if (sqlite3_libversion_number() < 3037000)
        return jy_error_set(err, JY_INTERNAL, "sqlite_too_old", NULL,
                            "SQLite %s is too old; jingyou needs 3.37 or newer",
                            sqlite3_libversion());
    if (!sqlite3_threadsafe())
        return jy_error_set(err, JY_INTERNAL, "sqlite_not_threadsafe", NULL,
                            "this SQLite library was built without thread support");
    if (sodium_init() < 0)
        return jy_error_set(err, JY_INTERNAL, "sodium_init", NULL,
                            "libsodium could not be initialised");

    enum jy_err e = prepare_file(path, mode == OPEN_CREATE, err);
    if (e != JY_OK)
        return e;

    sqlite3 *db = NULL;
    struct jy_store *store = NULL;
    bool readonly = mode == OPEN_READONLY;
    e = open_db(path, readonly, &db, err);
    if (e != JY_OK)
        return e;
    if (readonly) {
        e = check_version(db, path, err);
    } else {
        int applied = 0;
        e = jy__store_migrate(db, jy__store_migrations, jy__store_migrations_count, &applied, err);
        if (e == JY_OK)
            e = check_append_only(db, path, err);
    }
    sqlite3_close(db);
    if (e != JY_OK)
        return e;

    store = calloc(1, sizeof(*store));
    if (!store)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    store->path = malloc(len + 1);
    if (!store->path) {
        free(store);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    memcpy(store->path, path, len + 1);
    store->readonly = readonly;

    /* The gate's deadline is measured on the monotonic clock, immune to clock changes. */
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (rc == 0)
            rc = pthread_cond_init(&store->writer_freed, &attr);
        pthread_condattr_destroy(&attr);
    }
    if (rc != 0)
        goto fail_cond;
    rc = pthread_mutex_init(&store->lock, NULL);
    if (rc != 0)
        goto fail_mutex;
    rc = pthread_key_create(&store->key, conn_destructor);
    if (rc != 0)
        goto fail_key;
    *ret = store;
    return JY_OK;

fail_key:
    pthread_mutex_destroy(&store->lock);
fail_mutex:
    pthread_cond_destroy(&store->writer_freed);
fail_cond:
    free(store->path);
    free(store);
    return jy_error_set(err, rc == ENOMEM ? JY_NOMEM : JY_INTERNAL, "pthread", NULL,
                        "cannot set up the store's threads: %s", strerror(rc));
}

int jy_store_schema_version(void)
{
    return jy__store_migrations[jy__store_migrations_count - 1].version;
}

enum jy_err jy_store_open(const char *path, struct jy_store **ret, struct jy_error *err)
{
    return store_open(path, OPEN_CREATE, ret, err);
}

enum jy_err jy_store_open_existing(const char *path, struct jy_store **ret, struct jy_error *err)
{
    return store_open(path, OPEN_EXISTING, ret, err);
}

enum jy_err jy_store_open_readonly(const char *path, struct jy_store **ret, struct jy_error *err)
{
    return store_open(path, OPEN_READONLY, ret, err);
}

bool jy_store_is_readonly(const struct jy_store *store)
{
    return store->readonly;
}

const char *jy_store_path(const struct jy_store *store)
{
    return store->path;
}

/* ---- the write gate ---- */

/* Wait until no other jy_store_begin() transaction is open, then claim the gate. */
static enum jy_err gate_enter(struct jy_store *store, struct jy_error *err)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += JY_STORE_BUSY_TIMEOUT_MS / 1000;
    deadline.tv_nsec += (long)(JY_STORE_BUSY_TIMEOUT_MS % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    enum jy_err e = JY_OK;
    pthread_mutex_lock(&store->lock);
    while (store->writer) {
        int rc = pthread_cond_timedwait(&store->writer_freed, &store->lock, &deadline);
        if (rc == ETIMEDOUT && store->writer) {
            e = jy_error_set(err, JY_CONFLICT, "store_busy", NULL,
                             "another write transaction held the store for more than %d ms",
                             JY_STORE_BUSY_TIMEOUT_MS);
            goto out;
        }
    }
    store->writer = true;
out:
    pthread_mutex_unlock(&store->lock);
    return e;
}

static void gate_leave(struct jy_store *store)
{
    pthread_mutex_lock(&store->lock);
    store->writer = false;
    pthread_cond_signal(&store->writer_freed);
    pthread_mutex_unlock(&store->lock);
}

/* ---- connections ---- */

/* Finalise the cached statements, roll back, close the handle and free `conn`. When `unlink`,
 * also take it out of its store's list (not done by jy_store_close, which owns the list). */
static void conn_free(struct jy_store_conn *conn, bool unlink)
{
    if (!conn)
        return;
    struct jy_store *store = conn->store;
    jy_store_batch_rollback(conn);
    jy_store_rollback(conn);
    for (size_t i = 0; i < conn->n_stmts; i++) {
        sqlite3_finalize(conn->stmts[i].stmt);
        free(conn->stmts[i].text);
    }
    sqlite3_close(conn->db);
    if (unlink) {
        pthread_mutex_lock(&store->lock);
        if (conn->prev)
            conn->prev->next = conn->next;
        else
            store->conns = conn->next;
        if (conn->next)
            conn->next->prev = conn->prev;
        pthread_mutex_unlock(&store->lock);
    }
    free(conn);
}

/* The pthread key's destructor: a thread that used the store has exited. */
static void conn_destructor(void *p)
{
    conn_free(p, true);
}

enum jy_err jy_store_conn_get(struct jy_store *store, struct jy_store_conn **ret,
                              struct jy_error *err)
{
    struct jy_store_conn *conn = pthread_getspecific(store->key);
    if (conn) {
        *ret = conn;
        return JY_OK;
    }
    conn = calloc(1, sizeof(*conn));
    if (!conn)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    conn->store = store;
    enum jy_err e = open_db(store->path, store->readonly, &conn->db, err);
    if (e != JY_OK) {
        free(conn);
        return e;
    }
    int rc = pthread_setspecific(store->key, conn);
    if (rc != 0) {
        sqlite3_close(conn->db);
        free(conn);
        return jy_error_set(err, JY_NOMEM, "pthread", NULL, "cannot attach a connection: %s",
                            strerror(rc));
    }
    pthread_mutex_lock(&store->lock);
    conn->next = store->conns;
    if (store->conns)
        store->conns->prev = conn;
    store->conns = conn;
    pthread_mutex_unlock(&store->lock);
    *ret = conn;
    return JY_OK;
}

void jy_store_close(struct jy_store *store)
{
    if (!store)
        return;
    /* No destructor runs after this; threads still alive keep a stale value under a key that
     * no longer exists, which pthread_getspecific never returns for a new key. */
    pthread_key_delete(store->key);
    pthread_mutex_lock(&store->lock);
    struct jy_store_conn *list = store->conns;
    store->conns = NULL;
    pthread_mutex_unlock(&store->lock);
    while (list) {
        struct jy_store_conn *next = list->next;
        conn_free(list, false);
        list = next;
    }
    pthread_mutex_destroy(&store->lock);
    pthread_cond_destroy(&store->writer_freed);
    free(store->path);
    free(store);
}

sqlite3 *jy_store_conn_db(struct jy_store_conn *conn)
{
    return conn->db;
}

/* ---- the statement cache ---- */

/* FNV-1a, 64 bits: a fast, well-spread hash of the SQL text for the cache lookup. */
static uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* True when `s` holds nothing but white space and SQL comments. */
static bool only_comments(sqlite3 *db, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ';')
        s++;
    if (!*s)
        return true;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, s, -1, &stmt, NULL);
    bool empty = rc == SQLITE_OK && stmt == NULL;
    sqlite3_finalize(stmt);
    return empty;
}

/* Prepare `sql` (`len` bytes) as a new, persistent statement. */
static enum jy_err prepare_one(struct jy_store_conn *conn, const char *sql, size_t len,
                               sqlite3_stmt **ret, struct jy_error *err)
{
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc =
        sqlite3_prepare_v3(conn->db, sql, (int)len + 1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK)
        return jy__store_db_error(conn->db, rc, "preparing a statement", err);
    if (!stmt)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "the SQL text holds no statement");
    if (tail && !only_comments(conn->db, tail)) {
        sqlite3_finalize(stmt);
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "the SQL text holds more than one statement");
    }
    *ret = stmt;
    return JY_OK;
}

/* The slot a new statement goes into: a free one, else the least recently used one that is
 * not being stepped (finalised here). NULL when every slot is busy. */
static struct stmt_entry *cache_slot(struct jy_store_conn *conn)
{
    if (conn->n_stmts < JY_STORE_STMT_CACHE_MAX)
        return &conn->stmts[conn->n_stmts++];
    struct stmt_entry *victim = NULL;
    for (size_t i = 0; i < conn->n_stmts; i++) {
        struct stmt_entry *e = &conn->stmts[i];
        if (sqlite3_stmt_busy(e->stmt))
            continue;
        if (!victim || e->used < victim->used)
            victim = e;
    }
    if (victim) {
        sqlite3_finalize(victim->stmt);
        free(victim->text);
        memset(victim, 0, sizeof(*victim));
    }
    return victim;
}

sqlite3_stmt *jy_store_stmt(struct jy_store_conn *conn, const char *sql, struct jy_error *err)
{
    struct stmt_entry *hit = NULL;
    if (!sql) {
        jy_error_set(err, JY_INTERNAL, "store_internal", NULL, "no SQL text");
        return NULL;
    }
    conn->tick++;
    /* The program passes the same constant string each time: a pointer match, then a check of
     * the text (the pointer might since name other text, e.g. a reused buffer). */
    for (size_t i = 0; i < conn->n_stmts && !hit; i++)
        if (conn->stmts[i].key == sql && strcmp(conn->stmts[i].text, sql) == 0)
            hit = &conn->stmts[i];
    if (!hit) {
        size_t len = strnlen(sql, JY_STORE_SQL_MAX_BYTES + 1);
        if (len > JY_STORE_SQL_MAX_BYTES) {
            jy_error_set(err, JY_TOO_LONG, "store_internal", NULL, "SQL text longer than %d bytes",
                         JY_STORE_SQL_MAX_BYTES);
            return NULL;
        }
        uint64_t h = text_hash(sql, len);
        for (size_t i = 0; i < conn->n_stmts && !hit; i++) {
            struct stmt_entry *e = &conn->stmts[i];
            if (e->hash == h && e->len == len && memcmp(e->text, sql, len) == 0)
                hit = e;
        }
        if (!hit) {
            char *text = malloc(len + 1);
            if (!text) {
                jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
                return NULL;
            }
            memcpy(text, sql, len + 1);
            sqlite3_stmt *stmt = NULL;
            if (prepare_one(conn, text, len, &stmt, err) != JY_OK) {
                free(text);
                return NULL;
            }
            hit = cache_slot(conn);
            if (!hit) {
                sqlite3_finalize(stmt);
                free(text);
                jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                             "all %d cached statements are in use", JY_STORE_STMT_CACHE_MAX);
                return NULL;
            }
            hit->text = text;
            hit->len = len;
            hit->hash = h;
            hit->stmt = stmt;
        }
        hit->key = sql;
    }
    hit->used = conn->tick;
    sqlite3_reset(hit->stmt);
    sqlite3_clear_bindings(hit->stmt);
    return hit->stmt;
}

size_t jy_store_stmt_cache_count(const struct jy_store_conn *conn)
{
    return conn->n_stmts;
}

/* Reset every cached statement still being stepped, so that none keeps a read snapshot open
 * after its transaction. */
void jy__store_reset_busy(struct jy_store_conn *conn)
{
    for (size_t i = 0; i < conn->n_stmts; i++)
        if (sqlite3_stmt_busy(conn->stmts[i].stmt))
            sqlite3_reset(conn->stmts[i].stmt);
}

/* ---- transactions ---- */

/* Step a cached statement that returns no rows ("BEGIN IMMEDIATE", "COMMIT"). */
static int step_simple(struct jy_store_conn *conn, const char *sql, struct jy_error *err,
                       enum jy_err *ret_e)
{
    sqlite3_stmt *stmt = jy_store_stmt(conn, sql, err);
    if (!stmt) {
        *ret_e = err ? err->code : JY_INTERNAL;
        return SQLITE_ERROR;
    }
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE)
        *ret_e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(stmt);
    return rc;
}

enum jy_err jy_store_begin(struct jy_store_conn *conn, struct jy_error *err)
{
    if (conn->store->readonly)
        return jy_error_set(err, JY_IO, "store_readonly", NULL,
                            "the database was opened read-only; nothing can be written");
    if (conn->in_txn || (!conn->batch && !sqlite3_get_autocommit(conn->db)))
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "a transaction is already open on this connection");
    enum jy_err e = JY_OK;
    if (conn->batch) {
        if (step_simple(conn, "SAVEPOINT jy_use_case", err, &e) != SQLITE_DONE)
            return e;
        conn->in_txn = true;
        return JY_OK;
    }
    e = gate_enter(conn->store, err);
    if (e != JY_OK)
        return e;
    if (step_simple(conn, "BEGIN IMMEDIATE", err, &e) != SQLITE_DONE) {
        gate_leave(conn->store);
        return e;
    }
    conn->in_txn = true;
    return JY_OK;
}

enum jy_err jy_store_commit(struct jy_store_conn *conn, struct jy_error *err)
{
    if (!conn->in_txn)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "commit without an open transaction");
    enum jy_err e = JY_OK;
    if (conn->batch) {
        if (step_simple(conn, "RELEASE jy_use_case", err, &e) != SQLITE_DONE) {
            jy_store_rollback(conn);
            return e;
        }
        conn->in_txn = false;
        return JY_OK;
    }
    if (step_simple(conn, "COMMIT", err, &e) != SQLITE_DONE) {
        jy_store_rollback(conn);
        return e;
    }
    jy__store_reset_busy(conn);
    conn->in_txn = false;
    gate_leave(conn->store);
    return JY_OK;
}

/* End a batch whose transaction SQLite has already rolled back by itself. */
static void batch_lost(struct jy_store_conn *conn)
{
    conn->batch = false;
    conn->in_txn = false;
    gate_leave(conn->store);
}

void jy_store_rollback(struct jy_store_conn *conn)
{
    if (!conn || !conn->in_txn)
        return;
    jy__store_reset_busy(conn);
    if (conn->batch) {
        if (sqlite3_get_autocommit(conn->db)) {
            batch_lost(conn);
            return;
        }
        exec_simple(conn->db, "ROLLBACK TO jy_use_case");
        exec_simple(conn->db, "RELEASE jy_use_case");
        conn->in_txn = false;
        return;
    }
    /* SQLite may already have rolled back by itself (after SQLITE_FULL, SQLITE_IOERR). */
    if (!sqlite3_get_autocommit(conn->db))
        exec_simple(conn->db, "ROLLBACK");
    conn->in_txn = false;
    gate_leave(conn->store);
}

enum jy_err jy_store_batch_begin(struct jy_store_conn *conn, struct jy_error *err)
{
    if (conn->batch)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "a batch is already open on this connection");
    enum jy_err e = jy_store_begin(conn, err);
    if (e != JY_OK)
        return e;
    conn->in_txn = false;
    conn->batch = true;
    return JY_OK;
}

enum jy_err jy_store_batch_commit(struct jy_store_conn *conn, struct jy_error *err)
{
    if (!conn->batch)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "no batch is open on this connection");
    if (conn->in_txn)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "a use case's transaction is still open inside the batch");
    if (sqlite3_get_autocommit(conn->db)) {
        batch_lost(conn);
        return jy_error_set(err, JY_IO, "store_io", NULL,
                            "the batch was rolled back by the database after an error");
    }
    conn->batch = false;
    conn->in_txn = true;
    return jy_store_commit(conn, err);
}

void jy_store_batch_rollback(struct jy_store_conn *conn)
{
    if (!conn || !conn->batch)
        return;
    if (conn->in_txn)
        jy_store_rollback(conn);
    if (!conn->batch)
        return;
    conn->batch = false;
    conn->in_txn = true;
    jy_store_rollback(conn);
}

enum jy_err jy_store_conn_set_bulk(struct jy_store_conn *conn, bool bulk, struct jy_error *err)
{
    static const char *const on[] = {
        "PRAGMA synchronous = OFF",
        "PRAGMA cache_size = -1048576",      /* 1 GiB: a city-year's indexes stay in memory */
        "PRAGMA mmap_size = 4294967296",     /* 4 GiB: pages read in place, not copied */
        "PRAGMA wal_autocheckpoint = 16384", /* 64 MiB of WAL between checkpoints */
        "PRAGMA temp_store = MEMORY",        /* savepoints' journals in memory, not temp files */
    };
    static const char *const off[] = {
        "PRAGMA synchronous = FULL",        "PRAGMA cache_size = -2000",   "PRAGMA mmap_size = 0",
        "PRAGMA wal_autocheckpoint = 1000", "PRAGMA temp_store = DEFAULT",
    };
    for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
        int rc = exec_simple(conn->db, bulk ? on[i] : off[i]);
        if (rc != SQLITE_OK)
            return jy_store_sqlite_error(conn, rc, err);
    }
    return JY_OK;
}

bool jy_store_in_batch(const struct jy_store_conn *conn)
{
    return conn->batch;
}

bool jy_store_in_transaction(const struct jy_store_conn *conn)
{
    return conn->in_txn;
}
