/*
 * auth.h — users, passwords, logins and sessions.
 *
 * Passwords are kept as argon2id hashes (libsodium crypto_pwhash_str, cost in src/limits.h).
 * Failed logins are counted per (username, client address) — JY_LOGIN_MAX_FAILURES in a row
 * lock that username from that address for JY_LOGIN_LOCKOUT_SECONDS — and, looser, per
 * username from every address — JY_LOGIN_USER_MAX_FAILURES lock the account for
 * JY_LOGIN_USER_LOCKOUT_SECONDS (figures and reasons in src/limits.h). A good login clears the
 * counts of its username and of its pair. A login creates a session: a random
 * token for the cookie (only its SHA-256 is stored) and a CSRF token that every state-changing
 * request must echo in X-CSRF-Token. A session ends at logout, after JY_SESSION_IDLE_SECONDS
 * without a request, or when its user is disabled or given a new password.
 *
 * All functions are thread-safe (each thread uses its own store connection).
 */
#ifndef JY_AUTH_H
#define JY_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/session.h"
#include "service/service.h"

/* Hash `password` for storage into `ret` (at least 128 bytes, NUL-terminated).
 * Errors: JY_INVALID "password_too_short" / JY_TOO_LONG "password_too_long" (field
 * "password"); JY_NOMEM when the hash memory cannot be had. */
enum jy_err jy_auth_hash_password(const char *password, char ret[128], struct jy_error *err);

/* What a new user is. */
struct jy_auth_new_user {
    const char *username;     /* 2..32 of [a-z0-9._-] */
    const char *display_name; /* optional; UTF-8, at most 40 characters */
    enum jy_role role;
    const char *branch_code;   /* required for clerks, refused for others */
    const char *stations;      /* required for operators ("review,approval"), refused for others */
    const char *password;      /* JY_PASSWORD_MIN_BYTES..JY_PASSWORD_MAX_BYTES */
    const char *password_hash; /* instead of `password`: an argon2id string already made */
};

/* Add a user. Errors name the field: JY_INVALID ("bad_username", "unknown_branch",
 * "branch_not_allowed", "stations_required", "unknown_station", …), JY_CONFLICT "duplicate"
 * when the username is taken; store errors. */
enum jy_err jy_auth_user_add(struct jy_service *svc, const struct jy_auth_new_user *u,
                             int64_t *ret_id, struct jy_error *err);

/* Give `username` a new password; its sessions end. JY_NOT_FOUND for an unknown user. */
enum jy_err jy_auth_user_passwd(struct jy_service *svc, const char *username, const char *password,
                                struct jy_error *err);

/* Disable (or re-enable) `username`; disabling ends its sessions. */
enum jy_err jy_auth_user_disable(struct jy_service *svc, const char *username, bool disabled,
                                 struct jy_error *err);

/* A successful login. */
struct jy_auth_login {
    char token[JY_SESSION_TOKEN_SIZE]; /* for the jy_session cookie */
    char csrf_token[JY_SESSION_TOKEN_SIZE];
    struct jy_actor actor;
    char branch_code[33]; /* clerks: their branch's code; else "" */
    char branch_name[121];
};

/* Log in `username` with `password` from `client` (the peer's address as text, borrowed; NULL
 * counts as ""). Errors: JY_UNAUTHENTICATED "bad_credentials" (unknown user, wrong password,
 * disabled account — one answer, so a caller cannot tell which names exist); JY_RATE_LIMITED
 * "login_locked" (this username from this address, unknown usernames too) or "account_locked"
 * (the username from every address), the message giving the minutes left and
 * `*ret_retry_after` (may be NULL; set only with JY_RATE_LIMITED) the seconds left. */
enum jy_err jy_auth_login(struct jy_service *svc, const char *username, const char *password,
                          const char *client, struct jy_auth_login *ret, int64_t *ret_retry_after,
                          struct jy_error *err);

/* The actor behind session cookie `token`, and the SHA-256 of the session's CSRF token for
 * the server's check. Errors: JY_UNAUTHENTICATED "no_session" (unknown, malformed or ended),
 * "session_expired" (idle too long; the session is deleted). */
enum jy_err jy_auth_session(struct jy_service *svc, const char *token, struct jy_actor *ret,
                            uint8_t ret_csrf_hash[JY_SESSION_HASH_BYTES], struct jy_error *err);

/* The actor of user `username` (borrowed) read on `conn`, without a session or a password: for
 * the demo seeding and the city simulator, which act as the city's people. Errors: the store's
 * (JY_NOT_FOUND when there is no such user); JY_INTERNAL "bad_role" for a role this build does
 * not know; those of jy_stations_parse(). */
enum jy_err jy_auth_actor_of(struct jy_store_conn *conn, const char *username, struct jy_actor *ret,
                             struct jy_error *err);

/* End the session of cookie `token`. Ending one that does not exist is not an error. */
enum jy_err jy_auth_logout(struct jy_service *svc, const char *token, struct jy_error *err);

#endif /* JY_AUTH_H */
