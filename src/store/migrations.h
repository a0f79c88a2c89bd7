/*
 * migrations.h — the numbered schema migrations of the SQLite store, and the function that
 * applies them. Internal to src/store.
 *
 * A database records the number of the last migration applied to it in `PRAGMA user_version`
 * (0 for a new file). Migrations are append-only: once a migration has shipped its SQL never
 * changes; a change to the schema is a new migration with the next number.
 */
#ifndef JY_STORE_MIGRATIONS_H
#define JY_STORE_MIGRATIONS_H

#include <stddef.h>

#include <sqlite3.h>

#include "../error.h"

struct jy__store_migration {
    int version;      /* 1, 2, 3 … without gaps, in array order */
    const char *name; /* a few words for messages: "schema" */
    const char *sql;  /* one or more SQL statements, run with sqlite3_exec */
};

/* The migrations of this program, in order, and their number. */
extern const struct jy__store_migration jy__store_migrations[];
extern const size_t jy__store_migrations_count;

/*
 * Bring the database on `db` up to migration list[n - 1].version: read `PRAGMA user_version`
 * and apply, in order, each migration of `list` (n entries, versions 1..n without gaps) that
 * is newer, then set user_version and check the foreign keys — all in one BEGIN IMMEDIATE
 * transaction, so that either every pending migration is applied or none is. `db` must have no
 * transaction open. Sets `*ret_applied` to the number of migrations applied (0 when the file was
 * already current).
 *
 * Errors: JY_CONFLICT when user_version is newer than the list knows (reason "schema_too_new")
 * or the write lock was not free within the busy timeout; JY_INTERNAL when a migration fails
 * (reason "migration_failed", the message names its number and name and quotes SQLite) or the
 * list is not numbered 1..n; JY_IO. On any failure the database is unchanged.
 */
enum jy_err jy__store_migrate(sqlite3 *db, const struct jy__store_migration *list, size_t n,
                              int *ret_applied, struct jy_error *err);

#endif /* JY_STORE_MIGRATIONS_H */
