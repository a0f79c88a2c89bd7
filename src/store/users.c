/*
 * users.c — users, sessions and branches: see users.h.
 */
#include "users.h"

#include <string.h>

#include "rows.h"
#include "../banned.h"

/* ---- small helpers shared by the functions below ---- */

/* Run `fn` in its own transaction unless one is open already. */
static enum jy_err in_txn(struct jy_store_conn *conn, sqlite3_stmt *st, struct jy_error *err)
{
    bool own = !jy_store_in_transaction(conn);
    if (own) {
        enum jy_err e = jy_store_begin(conn, err);
        if (e != JY_OK) {
            sqlite3_clear_bindings(st);
            return e;
        }
    }
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (own) {
        if (e == JY_OK)
            e = jy_store_commit(conn, err);
        else
            jy_store_rollback(conn);
    }
    return e;
}

/* ---- users ---- */

#define USER_COLUMNS                                                                               \
    "u.id, u.username, u.display_name, u.role, u.branch_id, u.stations, u.password_hash, "         \
    "u.failed_logins, u.locked_until, u.disabled, u.created_at"

static bool read_user(sqlite3_stmt *st, int c, struct jy_store_user *u)
{
    u->id = sqlite3_column_int64(st, c);
    bool ok = jy__store_column_text(st, c + 1, u->username, sizeof(u->username)) &&
              jy__store_column_text(st, c + 2, u->display_name, sizeof(u->display_name)) &&
              jy__store_column_text(st, c + 3, u->role, sizeof(u->role)) &&
              jy__store_column_text(st, c + 5, u->stations, sizeof(u->stations)) &&
              jy__store_column_text(st, c + 6, u->password_hash, sizeof(u->password_hash));
    u->branch_id = sqlite3_column_int64(st, c + 4);
    u->failed_logins = sqlite3_column_int(st, c + 7);
    u->locked_until = sqlite3_column_int64(st, c + 8);
    u->disabled = sqlite3_column_int(st, c + 9) != 0;
    u->created_at = sqlite3_column_int64(st, c + 10);
    return ok;
}

enum jy_err jy_store_user_insert(struct jy_store_conn *conn, const struct jy_store_user *u,
                                 int64_t *ret_id, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO users (username, display_name, role, branch_id, stations, password_hash,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    if (u->branch_id)
        sqlite3_bind_int64(st, 4, u->branch_id);
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 2, u->display_name);
    sqlite3_bind_text(st, 3, u->role, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 5, u->stations);
    sqlite3_bind_text(st, 6, u->password_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, u->created_at);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

static enum jy_err user_query(struct jy_store_conn *conn, const char *sql, const char *name,
                              int64_t id, struct jy_store_user *ret, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    if (name)
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "no_such_user", "username", "no such user");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        struct jy_store_user u;
        if (read_user(st, 0, &u))
            *ret = u;
        else
            e = jy__store_stored_too_long(err, "users");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_user_by_name(struct jy_store_conn *conn, const char *username,
                                  struct jy_store_user *ret, struct jy_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users u WHERE u.username = ?1";
    return user_query(conn, sql, username ? username : "", 0, ret, err);
}

enum jy_err jy_store_user_set_login_state(struct jy_store_conn *conn, int64_t user_id,
                                          int failed_logins, int64_t locked_until,
                                          struct jy_error *err)
{
    static const char sql[] =
        "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, failed_logins);
    if (locked_until)
        sqlite3_bind_int64(st, 3, locked_until);
    return in_txn(conn, st, err);
}

static enum jy_err end_sessions_of(struct jy_store_conn *conn, int64_t user_id,
                                   struct jy_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    return jy__store_step_done(conn, st, err);
}

static enum jy_err expect_one_change(struct jy_store_conn *conn, struct jy_error *err)
{
    if (sqlite3_changes64(jy_store_conn_db(conn)) != 1)
        return jy_error_set(err, JY_NOT_FOUND, "no_such_user", NULL, "no such user");
    return JY_OK;
}

enum jy_err jy_store_user_set_password(struct jy_store_conn *conn, int64_t user_id,
                                       const char *password_hash, struct jy_error *err)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, failed_logins = 0,"
                              " locked_until = NULL WHERE id = ?1";
    enum jy_err e = jy__store_check_len(password_hash, JY_PASSWORD_HASH_MAX, "password_hash", err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, password_hash, -1, SQLITE_TRANSIENT);
    e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        e = expect_one_change(conn, err);
    if (e == JY_OK)
        e = end_sessions_of(conn, user_id, err);
    return e;
}

enum jy_err jy_store_user_set_disabled(struct jy_store_conn *conn, int64_t user_id, bool disabled,
                                       struct jy_error *err)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, disabled ? 1 : 0);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        e = expect_one_change(conn, err);
    if (e == JY_OK && disabled)
        e = end_sessions_of(conn, user_id, err);
    return e;
}

enum jy_err jy_store_user_count(struct jy_store_conn *conn, int64_t *ret, struct jy_error *err)
{
    static const char sql[] = "SELECT count(*) FROM users";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    int rc = sqlite3_step(st);
    enum jy_err e = JY_OK;
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int64(st, 0);
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- sessions ---- */

enum jy_err jy_store_session_insert(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                    int64_t user_id, const char *csrf_token, int64_t now,
                                    struct jy_error *err)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
                              " last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)";
    enum jy_err e = jy__store_check_len(csrf_token, JY_CSRF_TOKEN_MAX, "csrf_token", err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, csrf_token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    return in_txn(conn, st, err);
}

enum jy_err jy_store_session_find(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                  struct jy_store_session *ret, struct jy_error *err)
{
    static const char sql[] =
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, " USER_COLUMNS
        " FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "no_session", NULL, "no such session");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        struct jy_store_session s;
        s.user_id = sqlite3_column_int64(st, 0);
        s.created_at = sqlite3_column_int64(st, 2);
        s.last_seen_at = sqlite3_column_int64(st, 3);
        if (jy__store_column_text(st, 1, s.csrf_token, sizeof(s.csrf_token)) &&
            read_user(st, 4, &s.user))
            *ret = s;
        else
            e = jy__store_stored_too_long(err, "sessions");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_session_touch(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                   int64_t now, struct jy_error *err)
{
    static const char sql[] = "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    return in_txn(conn, st, err);
}

enum jy_err jy_store_session_delete(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                    struct jy_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT);
    return in_txn(conn, st, err);
}

/* ---- branches ---- */

#define BRANCH_COLUMNS                                                                             \
    "id, code, name_zh, name_en, district, address, lat, lon, bag_cutoff, is_open, demo"

static bool read_branch(sqlite3_stmt *st, struct jy_store_branch *b)
{
    b->id = sqlite3_column_int64(st, 0);
    bool ok = jy__store_column_text(st, 1, b->code, sizeof(b->code)) &&
              jy__store_column_text(st, 2, b->name_zh, sizeof(b->name_zh)) &&
              jy__store_column_text(st, 3, b->name_en, sizeof(b->name_en)) &&
              jy__store_column_text(st, 4, b->district, sizeof(b->district)) &&
              jy__store_column_text(st, 5, b->address, sizeof(b->address)) &&
              jy__store_column_text(st, 8, b->bag_cutoff, sizeof(b->bag_cutoff));
    b->lat = sqlite3_column_double(st, 6);
    b->lon = sqlite3_column_double(st, 7);
    b->is_open = sqlite3_column_int(st, 9) != 0;
    b->demo = sqlite3_column_int(st, 10) != 0;
    return ok;
}

enum jy_err jy_store_branch_insert(struct jy_store_conn *conn, const struct jy_store_branch *b,
                                   int64_t *ret_id, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO branches (code, name_zh, name_en, district, address, lat, lon, bag_cutoff,"
        " is_open, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, '17:30'), ?9, ?10)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_text(st, 1, b->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, b->name_zh, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 3, b->name_en);
    jy__store_bind_text_or_null(st, 4, b->district);
    jy__store_bind_text_or_null(st, 5, b->address);
    if (b->lat != 0.0 || b->lon != 0.0) {
        sqlite3_bind_double(st, 6, b->lat);
        sqlite3_bind_double(st, 7, b->lon);
    }
    jy__store_bind_text_or_null(st, 8, b->bag_cutoff);
    sqlite3_bind_int(st, 9, b->is_open ? 1 : 0);
    sqlite3_bind_int(st, 10, b->demo ? 1 : 0);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

static enum jy_err branch_query(struct jy_store_conn *conn, const char *sql, const char *code,
                                int64_t id, struct jy_store_branch *ret, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "no_such_branch", "branch", "no such branch");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        struct jy_store_branch b;
        if (read_branch(st, &b))
            *ret = b;
        else
            e = jy__store_stored_too_long(err, "branches");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_branch_by_id(struct jy_store_conn *conn, int64_t id,
                                  struct jy_store_branch *ret, struct jy_error *err)
{
    static const char sql[] = "SELECT " BRANCH_COLUMNS " FROM branches WHERE id = ?1";
    return branch_query(conn, sql, NULL, id, ret, err);
}

enum jy_err jy_store_branch_by_code(struct jy_store_conn *conn, const char *code,
                                    struct jy_store_branch *ret, struct jy_error *err)
{
    static const char sql[] = "SELECT " BRANCH_COLUMNS " FROM branches WHERE code = ?1";
    return branch_query(conn, sql, code ? code : "", 0, ret, err);
}

enum jy_err jy_store_branch_each(struct jy_store_conn *conn,
                                 bool (*fn)(void *ctx, const struct jy_store_branch *b), void *ctx,
                                 struct jy_error *err)
{
    static const char sql[] = "SELECT " BRANCH_COLUMNS " FROM branches ORDER BY code";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_branch b;
        if (!read_branch(st, &b)) {
            e = jy__store_stored_too_long(err, "branches");
            break;
        }
        if (!fn(ctx, &b))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}
