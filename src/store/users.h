/*
 * users.h — typed access to users, login sessions and branches.
 *
 * The rest of the program reads and writes these tables only through the functions here. All
 * functions run on the calling thread's connection (jy_store_conn_get()); those that write
 * must run inside a transaction the caller opened with jy_store_begin() unless their comment
 * says otherwise. Strings in the records are copied into fixed buffers; a value that would not
 * fit is refused when written (JY_TOO_LONG) so nothing is ever truncated on the way back.
 */
#ifndef JY_STORE_USERS_H
#define JY_STORE_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define JY_USERNAME_MAX 32       /* bytes of a login name: [a-z0-9._-], 2..32 */
#define JY_DISPLAY_NAME_MAX 120  /* bytes of a display name, UTF-8 */
#define JY_ROLE_MAX 16           /* bytes of a role code */
#define JY_STATIONS_MAX 96       /* bytes of a comma-separated station list */
#define JY_PASSWORD_HASH_MAX 160 /* bytes of an argon2id string (crypto_pwhash_STRBYTES = 128) */
#define JY_CSRF_TOKEN_MAX 64     /* bytes of a CSRF token */

/* One row of `users`. */
struct jy_store_user {
    int64_t id;
    char username[JY_USERNAME_MAX + 1];
    char display_name[JY_DISPLAY_NAME_MAX + 1];
    char role[JY_ROLE_MAX + 1]; /* clerk | operator | supervisor | logistics | manager | admin */
    int64_t branch_id;          /* 0: none */
    char stations[JY_STATIONS_MAX + 1]; /* operators: "review,approval"; else "" */
    char password_hash[JY_PASSWORD_HASH_MAX + 1];
    int failed_logins;    /* failures since the last good login */
    int64_t locked_until; /* UTC seconds; 0: not locked */
    bool disabled;
    int64_t created_at; /* UTC seconds */
};

/* One row of `sessions`, with its user. */
struct jy_store_session {
    int64_t user_id;
    char csrf_token[JY_CSRF_TOKEN_MAX + 1];
    int64_t created_at;   /* UTC seconds */
    int64_t last_seen_at; /* UTC seconds */
    struct jy_store_user user;
};

/* One row of `branches`. */
struct jy_store_branch {
    int64_t id;
    char code[33];
    char name_zh[121];
    char name_en[121];
    char district[61];
    char address[JY_DISPLAY_NAME_MAX * 2 + 1];
    double lat, lon;    /* WGS-84 degrees; both 0 when unknown */
    char bag_cutoff[6]; /* "17:30" */
    bool is_open;
    bool demo;
};

/* Insert user `u` (its id is ignored) in the caller's transaction; `*ret_id` gets the new id.
 * Errors: JY_CONFLICT reason "duplicate" when the username is taken, "check_failed" when the
 * role is unknown or a clerk has no branch, "foreign_key" for an unknown branch; JY_TOO_LONG. */
enum jy_err jy_store_user_insert(struct jy_store_conn *conn, const struct jy_store_user *u,
                                 int64_t *ret_id, struct jy_error *err);

/* The user named `username` (exact match) into `*ret`. JY_NOT_FOUND when there is none. */
enum jy_err jy_store_user_by_name(struct jy_store_conn *conn, const char *username,
                                  struct jy_store_user *ret, struct jy_error *err);

/* Record the outcome of a login attempt: the new failure count and lock time (0: not locked).
 * Runs in its own transaction when none is open. */
enum jy_err jy_store_user_set_login_state(struct jy_store_conn *conn, int64_t user_id,
                                          int failed_logins, int64_t locked_until,
                                          struct jy_error *err);

/* Replace the password hash of user `user_id`, clear its failures and lock, and end all its
 * sessions. In the caller's transaction. JY_NOT_FOUND for an unknown user. */
enum jy_err jy_store_user_set_password(struct jy_store_conn *conn, int64_t user_id,
                                       const char *password_hash, struct jy_error *err);

/* Disable (or enable) user `user_id`; disabling ends all its sessions. In the caller's
 * transaction. JY_NOT_FOUND for an unknown user. */
enum jy_err jy_store_user_set_disabled(struct jy_store_conn *conn, int64_t user_id, bool disabled,
                                       struct jy_error *err);

/* Number of users (for deciding whether a database is empty). */
enum jy_err jy_store_user_count(struct jy_store_conn *conn, int64_t *ret, struct jy_error *err);

/* Store a new session: the SHA-256 `token_hash` of its cookie token, its user and CSRF token.
 * Runs in its own transaction when none is open. */
enum jy_err jy_store_session_insert(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                    int64_t user_id, const char *csrf_token, int64_t now,
                                    struct jy_error *err);

/* The session whose token hashes to `token_hash`, with its user. JY_NOT_FOUND when none. */
enum jy_err jy_store_session_find(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                  struct jy_store_session *ret, struct jy_error *err);

/* Set the session's last_seen_at to `now`. Runs in its own transaction when none is open. */
enum jy_err jy_store_session_touch(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                   int64_t now, struct jy_error *err);

/* Delete the session (logout, or found expired). Its own transaction when none is open. Deleting
 * a session that does not exist is not an error. */
enum jy_err jy_store_session_delete(struct jy_store_conn *conn, const uint8_t token_hash[32],
                                    struct jy_error *err);

/* Insert branch `b` (id ignored) in the caller's transaction. JY_CONFLICT "duplicate" when
 * the code is taken. */
enum jy_err jy_store_branch_insert(struct jy_store_conn *conn, const struct jy_store_branch *b,
                                   int64_t *ret_id, struct jy_error *err);

/* The branch with id `id`. JY_NOT_FOUND when none. */
enum jy_err jy_store_branch_by_id(struct jy_store_conn *conn, int64_t id,
                                  struct jy_store_branch *ret, struct jy_error *err);

/* The branch with code `code`. JY_NOT_FOUND when none. */
enum jy_err jy_store_branch_by_code(struct jy_store_conn *conn, const char *code,
                                    struct jy_store_branch *ret, struct jy_error *err);

/* Call `fn` for every branch in code order; stops early (returning JY_OK) when `fn` returns
 * false. `b` is valid only during the call. */
enum jy_err jy_store_branch_each(struct jy_store_conn *conn,
                                 bool (*fn)(void *ctx, const struct jy_store_branch *b), void *ctx,
                                 struct jy_error *err);

#endif /* JY_STORE_USERS_H */
