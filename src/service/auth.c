/*
 * auth.c — users, passwords, logins and sessions: see auth.h.
 */
#include "auth.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "limits.h"
#include "service/lockout.h"
#include "store/users.h"
#include "../banned.h"

enum jy_err jy_auth_hash_password(const char *password, char ret[128], struct jy_error *err)
{
    size_t n = password ? strnlen(password, JY_PASSWORD_MAX_BYTES + 1) : 0;
    if (n < JY_PASSWORD_MIN_BYTES)
        return jy_error_set(err, JY_INVALID, "password_too_short", "password",
                            "a password needs at least %d characters", JY_PASSWORD_MIN_BYTES);
    if (n > JY_PASSWORD_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "password_too_long", "password",
                            "a password may have at most %d bytes", JY_PASSWORD_MAX_BYTES);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password, n, JY_PASSWORD_OPSLIMIT, JY_PASSWORD_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory hashing a password");
    memcpy(ret, out, sizeof(out) < 128 ? sizeof(out) : 128);
    ret[127] = '\0';
    return JY_OK;
}

static bool username_ok(const char *s)
{
    size_t n = s ? strnlen(s, JY_USERNAME_MAX + 1) : 0;
    if (n < 2 || n > JY_USERNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static void actor_from_user(const struct jy_store_user *u, struct jy_actor *a)
{
    memset(a, 0, sizeof(*a));
    a->user_id = u->id;
    if (!jy_role_parse(u->role, &a->role))
        a->role = JY__ROLE_COUNT; /* unknown: matches no permission */
    a->branch_id = u->branch_id;
    unsigned mask = 0;
    if (jy_stations_parse(u->stations, &mask, NULL) == JY_OK)
        a->stations = mask;
    jy_strlcpy(a->username, u->username, sizeof(a->username));
    jy_strlcpy(a->display_name, u->display_name[0] ? u->display_name : u->username,
               sizeof(a->display_name));
}

enum jy_err jy_auth_actor_of(struct jy_store_conn *conn, const char *username, struct jy_actor *ret,
                             struct jy_error *err)
{
    struct jy_store_user u;
    enum jy_err e = jy_store_user_by_name(conn, username, &u, err);
    if (e != JY_OK)
        return e;
    memset(ret, 0, sizeof(*ret));
    ret->user_id = u.id;
    if (!jy_role_parse(u.role, &ret->role))
        return jy_error_set(err, JY_INTERNAL, "bad_role", NULL, "user %s has role %s", username,
                            u.role);
    ret->branch_id = u.branch_id;
    if ((e = jy_stations_parse(u.stations, &ret->stations, err)) != JY_OK)
        return e;
    jy_strlcpy(ret->username, u.username, sizeof(ret->username));
    jy_strlcpy(ret->display_name, u.display_name, sizeof(ret->display_name));
    return JY_OK;
}

enum jy_err jy_auth_user_add(struct jy_service *svc, const struct jy_auth_new_user *u,
                             int64_t *ret_id, struct jy_error *err)
{
    if (!username_ok(u->username))
        return jy_error_set(err, JY_INVALID, "bad_username", "username",
                            "a username has 2 to %d of a-z 0-9 . _ -", JY_USERNAME_MAX);
    if (u->display_name && strlen(u->display_name) > JY_DISPLAY_NAME_MAX)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "display_name",
                            "display name longer than %d bytes", JY_DISPLAY_NAME_MAX);
    if ((int)u->role < 0 || u->role >= JY__ROLE_COUNT)
        return jy_error_set(err, JY_INVALID, "unknown_role", "role", "unknown role");
    bool has_branch = u->branch_code && *u->branch_code;
    bool has_stations = u->stations && *u->stations;
    if (u->role == JY_ROLE_CLERK && !has_branch)
        return jy_error_set(err, JY_INVALID, "branch_required", "branch",
                            "a clerk belongs to a branch");
    if (u->role != JY_ROLE_CLERK && has_branch)
        return jy_error_set(err, JY_INVALID, "branch_not_allowed", "branch",
                            "only clerks belong to a branch");
    if (u->role == JY_ROLE_OPERATOR && !has_stations)
        return jy_error_set(err, JY_INVALID, "stations_required", "stations",
                            "an operator works at one or more stations");
    if (u->role != JY_ROLE_OPERATOR && has_stations)
        return jy_error_set(err, JY_INVALID, "stations_not_allowed", "stations",
                            "only operators are assigned to stations");
    unsigned mask = 0;
    enum jy_err e = jy_stations_parse(has_stations ? u->stations : "", &mask, err);
    if (e != JY_OK)
        return e;
    if (has_stations && strlen(u->stations) > JY_STATIONS_MAX)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "stations", "station list too long");

    struct jy_store_user row;
    memset(&row, 0, sizeof(row));
    if (u->password_hash) {
        if (strlen(u->password_hash) > JY_PASSWORD_HASH_MAX)
            return jy_error_set(err, JY_TOO_LONG, "too_long", "password_hash", "hash too long");
        jy_strlcpy(row.password_hash, u->password_hash, sizeof(row.password_hash));
    } else {
        e = jy_auth_hash_password(u->password, row.password_hash, err);
        if (e != JY_OK)
            return e;
    }
    jy_strlcpy(row.username, u->username, sizeof(row.username));
    jy_strlcpy(row.display_name, u->display_name ? u->display_name : "", sizeof(row.display_name));
    jy_strlcpy(row.role, jy_role_code(u->role), sizeof(row.role));
    jy_strlcpy(row.stations, has_stations ? u->stations : "", sizeof(row.stations));
    row.created_at = jy_service_now(svc);

    struct jy_store_conn *conn;
    e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    bool own = !jy_store_in_transaction(conn);
    if (own && (e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if (has_branch) {
        struct jy_store_branch b;
        e = jy_store_branch_by_code(conn, u->branch_code, &b, err);
        if (e == JY_NOT_FOUND)
            e = jy_error_set(err, JY_INVALID, "unknown_branch", "branch", "no branch %.32s",
                             u->branch_code);
        if (e != JY_OK)
            goto out;
        row.branch_id = b.id;
    }
    int64_t id = 0;
    e = jy_store_user_insert(conn, &row, &id, err);
    if (e == JY_CONFLICT && err && strcmp(err->reason, "duplicate") == 0)
        jy_error_set(err, JY_CONFLICT, "duplicate", "username", "username %s is taken",
                     u->username);
    if (e == JY_OK && own)
        e = jy_store_commit(conn, err);
out:
    if (e != JY_OK && own)
        jy_store_rollback(conn);
    if (e == JY_OK && ret_id)
        *ret_id = id;
    return e;
}

static enum jy_err with_user(struct jy_service *svc, const char *username,
                             struct jy_store_conn **ret_conn, struct jy_store_user *ret_user,
                             struct jy_error *err)
{
    enum jy_err e = jy_service_conn(svc, ret_conn, err);
    if (e != JY_OK)
        return e;
    e = jy_store_begin(*ret_conn, err);
    if (e != JY_OK)
        return e;
    e = jy_store_user_by_name(*ret_conn, username, ret_user, err);
    if (e != JY_OK)
        jy_store_rollback(*ret_conn);
    return e;
}

enum jy_err jy_auth_user_passwd(struct jy_service *svc, const char *username, const char *password,
                                struct jy_error *err)
{
    char hash[128];
    enum jy_err e = jy_auth_hash_password(password, hash, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    struct jy_store_user u;
    e = with_user(svc, username, &conn, &u, err);
    if (e != JY_OK)
        return e;
    e = jy_store_user_set_password(conn, u.id, hash, err);
    if (e == JY_OK)
        return jy_store_commit(conn, err);
    jy_store_rollback(conn);
    return e;
}

enum jy_err jy_auth_user_disable(struct jy_service *svc, const char *username, bool disabled,
                                 struct jy_error *err)
{
    struct jy_store_conn *conn;
    struct jy_store_user u;
    enum jy_err e = with_user(svc, username, &conn, &u, err);
    if (e != JY_OK)
        return e;
    e = jy_store_user_set_disabled(conn, u.id, disabled, err);
    if (e == JY_OK)
        return jy_store_commit(conn, err);
    jy_store_rollback(conn);
    return e;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    char pw[32];
    randombytes_buf(pw, sizeof(pw));
    if (crypto_pwhash_str_alg(dummy_hash, pw, sizeof(pw), JY_PASSWORD_OPSLIMIT,
                              JY_PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
        dummy_hash[0] = '\0';
}

static enum jy_err bad_credentials(struct jy_error *err)
{
    return jy_error_set(err, JY_UNAUTHENTICATED, "bad_credentials", "password",
                        "wrong username or password");
}

/* The 429 of a lock with `left` seconds to run, into `*ret_retry_after` too. */
static enum jy_err locked(struct jy_error *err, bool account, int64_t left,
                          int64_t *ret_retry_after)
{
    int64_t minutes = (left + 59) / 60;
    if (ret_retry_after)
        *ret_retry_after = left;
    if (account)
        return jy_error_set(err, JY_RATE_LIMITED, "account_locked", "username",
                            "too many failed logins for this account: it is locked for %lld more "
                            "minutes (登录失败次数过多，账户已锁定，请 %lld 分钟后再试)",
                            (long long)minutes, (long long)minutes);
    return jy_error_set(err, JY_RATE_LIMITED, "login_locked", "username",
                        "too many failed logins for this account from this address: try again "
                        "in %lld minutes (此地址登录失败次数过多，已锁定，请 %lld 分钟后再试)",
                        (long long)minutes, (long long)minutes);
}

enum jy_err jy_auth_login(struct jy_service *svc, const char *username, const char *password,
                          const char *client, struct jy_auth_login *ret, int64_t *ret_retry_after,
                          struct jy_error *err)
{
    size_t pwlen = password ? strnlen(password, JY_PASSWORD_MAX_BYTES + 1) : 0;
    if (pwlen > JY_PASSWORD_MAX_BYTES)
        return bad_credentials(err);
    struct jy_lockout *lk = jy_service_logins(svc);
    int64_t now = jy_service_now(svc);
    /* This username from this address first: it costs no hash and no database read. */
    int64_t left = jy_lockout_locked(lk, username, client, now);
    if (left > 0)
        return locked(err, false, left, ret_retry_after);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_user u;
    e = jy_store_user_by_name(conn, username ? username : "", &u, err);
    if (e == JY_NOT_FOUND) {
        /* Check against a real hash all the same, so that a wrong username costs the same
         * time as a wrong password and does not tell which usernames exist; count it the same
         * way too, so that the lock does not tell either. */
        pthread_once(&dummy_once, make_dummy_hash);
        if (crypto_pwhash_str_verify(dummy_hash, password ? password : "", pwlen) == 0)
            dummy_hash[0] = '\0'; /* cannot happen: the password behind it is random */
        left = jy_lockout_fail(lk, username, client, now, JY_LOGIN_MAX_FAILURES,
                               JY_LOGIN_LOCKOUT_SECONDS, JY_LOGIN_FAILURE_WINDOW_SECONDS);
        if (left > 0)
            return locked(err, false, left, ret_retry_after);
        return bad_credentials(err);
    }
    if (e != JY_OK)
        return e;
    if (u.locked_until > now)
        return locked(err, true, u.locked_until - now, ret_retry_after);
    bool good = crypto_pwhash_str_verify(u.password_hash, password ? password : "", pwlen) == 0;
    if (!good || u.disabled) {
        if (!good) {
            /* The looser count of the username from every address, in the users table. */
            int failures = u.failed_logins + 1;
            int64_t lock = 0;
            if (failures >= JY_LOGIN_USER_MAX_FAILURES) {
                lock = now + JY_LOGIN_USER_LOCKOUT_SECONDS;
                failures = 0;
            }
            e = jy_store_user_set_login_state(conn, u.id, failures, lock, err);
            if (e != JY_OK)
                return e;
            left = jy_lockout_fail(lk, username, client, now, JY_LOGIN_MAX_FAILURES,
                                   JY_LOGIN_LOCKOUT_SECONDS, JY_LOGIN_FAILURE_WINDOW_SECONDS);
            if (lock)
                return locked(err, true, JY_LOGIN_USER_LOCKOUT_SECONDS, ret_retry_after);
            if (left > 0)
                return locked(err, false, left, ret_retry_after);
        }
        return bad_credentials(err);
    }
    jy_lockout_clear(lk, username, client);

    struct jy_auth_login out;
    memset(&out, 0, sizeof(out));
    e = jy_session_token_new(out.token, err);
    if (e == JY_OK)
        e = jy_session_token_new(out.csrf_token, err);
    if (e != JY_OK)
        return e;
    uint8_t hash[JY_SESSION_HASH_BYTES];
    e = jy_session_token_hash(out.token, hash, err);
    if (e != JY_OK)
        return e;
    e = jy_store_begin(conn, err);
    if (e != JY_OK)
        return e;
    if (u.failed_logins || u.locked_until)
        e = jy_store_user_set_login_state(conn, u.id, 0, 0, err);
    if (e == JY_OK)
        e = jy_store_session_insert(conn, hash, u.id, out.csrf_token, now, err);
    if (e == JY_OK && u.branch_id) {
        struct jy_store_branch b;
        e = jy_store_branch_by_id(conn, u.branch_id, &b, err);
        if (e == JY_OK) {
            jy_strlcpy(out.branch_code, b.code, sizeof(out.branch_code));
            jy_strlcpy(out.branch_name, b.name_zh, sizeof(out.branch_name));
        }
    }
    if (e == JY_OK)
        e = jy_store_commit(conn, err);
    else
        jy_store_rollback(conn);
    if (e != JY_OK)
        return e;
    actor_from_user(&u, &out.actor);
    *ret = out;
    return JY_OK;
}

static enum jy_err no_session(struct jy_error *err, const char *reason, const char *msg)
{
    return jy_error_set(err, JY_UNAUTHENTICATED, reason, NULL, "%s", msg);
}

enum jy_err jy_auth_session(struct jy_service *svc, const char *token, struct jy_actor *ret,
                            uint8_t ret_csrf_hash[JY_SESSION_HASH_BYTES], struct jy_error *err)
{
    if (!token || !jy_session_token_valid(token))
        return no_session(err, "no_session", "not logged in");
    uint8_t hash[JY_SESSION_HASH_BYTES];
    enum jy_err e = jy_session_token_hash(token, hash, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_session s;
    e = jy_store_session_find(conn, hash, &s, err);
    if (e == JY_NOT_FOUND)
        return no_session(err, "no_session", "not logged in");
    if (e != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    if (now - s.last_seen_at > JY_SESSION_IDLE_SECONDS) {
        (void)jy_store_session_delete(conn, hash, NULL);
        return no_session(err, "session_expired", "the session expired; log in again");
    }
    if (s.user.disabled)
        return no_session(err, "no_session", "not logged in");
    if (now - s.last_seen_at >= JY_SESSION_TOUCH_SECONDS) {
        e = jy_store_session_touch(conn, hash, now, err);
        if (e != JY_OK)
            return e;
    }
    uint8_t csrf_hash[JY_SESSION_HASH_BYTES];
    e = jy_session_token_hash(s.csrf_token, csrf_hash, err);
    if (e != JY_OK)
        return e;
    actor_from_user(&s.user, ret);
    memcpy(ret_csrf_hash, csrf_hash, sizeof(csrf_hash));
    return JY_OK;
}

enum jy_err jy_auth_logout(struct jy_service *svc, const char *token, struct jy_error *err)
{
    if (!token || !jy_session_token_valid(token))
        return JY_OK;
    uint8_t hash[JY_SESSION_HASH_BYTES];
    enum jy_err e = jy_session_token_hash(token, hash, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    return jy_store_session_delete(conn, hash, err);
}
