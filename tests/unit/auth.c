/*
 * Unit tests for src/service/auth.c and the demo city: users, lockout, sessions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "limits.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/lockout.h"
#include "service/service.h"
#include "store/users.h"

struct fixture {
    char dir[64];
    char db[96];
    struct jy_service *svc;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/dev/shm/jy_auth_XXXXXX");
    if (!mkdtemp(f->dir))
        snprintf(f->dir, sizeof(f->dir), "/tmp/jy_auth_%d", (int)getpid());
    snprintf(f->db, sizeof(f->db), "%s/j.db", f->dir);
    struct jy_error err;
    assert_int_equal(jy_session_init(&err), JY_OK);
    struct jy_service_config cfg = {.db_path = f->db, .demo = true};
    assert_int_equal(jy_service_open(&cfg, &f->svc, &err), JY_OK);
    assert_int_equal(jy_demo_seed(f->svc, &err), JY_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    jy_service_close(f->svc);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* Run one SQL statement on the test database through a separate connection. */
static void sql(struct fixture *f, const char *text)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", text, msg ? msg : "?");
    sqlite3_close(db);
}

static void test_demo_city(void **state)
{
    struct fixture *f = *state;
    struct jy_store_conn *conn;
    struct jy_error err;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    struct jy_store_branch b;
    assert_int_equal(jy_store_branch_by_code(conn, "WH001", &b, &err), JY_OK);
    assert_string_equal(b.name_zh, "彭刘杨路邮政支局");
    assert_true(b.demo);
    assert_int_equal(jy_store_branch_by_code(conn, "WH160", &b, &err), JY_OK);
    assert_int_equal(jy_store_branch_by_code(conn, "WH161", &b, &err), JY_NOT_FOUND);
    struct jy_store_user u;
    assert_int_equal(jy_store_user_by_name(conn, "clerk", &u, &err), JY_OK);
    assert_string_equal(u.role, "clerk");
    assert_int_not_equal(u.branch_id, 0);
    assert_int_equal(jy_store_user_by_name(conn, "review", &u, &err), JY_OK);
    assert_string_equal(u.stations, "review");
    /* Seeding again changes nothing. */
    int64_t before = 0, after = 0;
    assert_int_equal(jy_store_user_count(conn, &before, &err), JY_OK);
    assert_int_equal(jy_demo_seed(f->svc, &err), JY_OK);
    assert_int_equal(jy_store_user_count(conn, &after, &err), JY_OK);
    assert_int_equal(before, after);
    assert_int_equal(before, 6 + 20 + 4 + 5); /* and the hall's window1 … window5 */
}

static void test_login_and_session(void **state)
{
    struct fixture *f = *state;
    struct jy_error err;
    struct jy_auth_login login;
    assert_int_equal(
        jy_auth_login(f->svc, "clerk", JY_DEMO_PASSWORD, "127.0.0.1", &login, NULL, &err), JY_OK);
    assert_int_equal(login.actor.role, JY_ROLE_CLERK);
    assert_string_equal(login.branch_code, "WH001");
    assert_true(jy_session_token_valid(login.token));
    assert_true(jy_session_token_valid(login.csrf_token));
    assert_string_not_equal(login.token, login.csrf_token);

    struct jy_actor a;
    uint8_t csrf_hash[JY_SESSION_HASH_BYTES];
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, csrf_hash, &err), JY_OK);
    assert_string_equal(a.username, "clerk");
    assert_true(jy_session_token_matches(login.csrf_token, csrf_hash));
    assert_false(jy_session_token_matches(login.token, csrf_hash));

    /* A malformed or unknown token. */
    assert_int_equal(jy_auth_session(f->svc, "nonsense", &a, csrf_hash, &err), JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "no_session");

    /* Idle for longer than 8 hours: expired, and deleted. */
    char q[200];
    snprintf(q, sizeof(q), "UPDATE sessions SET last_seen_at = last_seen_at - %d",
             JY_SESSION_IDLE_SECONDS + 1);
    sql(f, q);
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, csrf_hash, &err), JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "session_expired");
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, csrf_hash, &err), JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "no_session");

    /* Logout ends a session. */
    assert_int_equal(
        jy_auth_login(f->svc, "police", JY_DEMO_PASSWORD, "127.0.0.1", &login, NULL, &err), JY_OK);
    assert_int_equal(login.actor.role, JY_ROLE_SUPERVISOR);
    assert_int_equal(jy_auth_logout(f->svc, login.token, &err), JY_OK);
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, csrf_hash, &err), JY_UNAUTHENTICATED);
}

/* Log in as `user` with `password` from `client`; the result, with `err` and `*retry` set. */
static enum jy_err login_from(struct fixture *f, const char *user, const char *password,
                              const char *client, int64_t *retry, struct jy_error *err)
{
    struct jy_auth_login login;
    *retry = -1;
    return jy_auth_login(f->svc, user, password, client, &login, retry, err);
}

static void test_lockout(void **state)
{
    struct fixture *f = *state;
    struct jy_error err;
    int64_t retry;
    int64_t t0 = 1796004000; /* 2026-11-30T02:00:00Z */
    jy_service_set_clock(f->svc, t0);
    for (int i = 1; i < JY_LOGIN_MAX_FAILURES; i++) {
        assert_int_equal(login_from(f, "review", "wrong-password", "203.0.113.7", &retry, &err),
                         JY_UNAUTHENTICATED);
        assert_string_equal(err.reason, "bad_credentials");
        assert_int_equal(retry, -1);
    }
    /* The fifth failure from one address locks the name from that address: 429, with the
     * seconds to wait. */
    assert_int_equal(login_from(f, "review", "wrong-password", "203.0.113.7", &retry, &err),
                     JY_RATE_LIMITED);
    assert_string_equal(err.reason, "login_locked");
    assert_int_equal(retry, JY_LOGIN_LOCKOUT_SECONDS);
    /* From there even the right password is refused, with the time left. */
    jy_service_set_clock(f->svc, t0 + 60);
    assert_int_equal(login_from(f, "review", JY_DEMO_PASSWORD, "203.0.113.7", &retry, &err),
                     JY_RATE_LIMITED);
    assert_string_equal(err.reason, "login_locked");
    assert_int_equal(retry, JY_LOGIN_LOCKOUT_SECONDS - 60);
    assert_non_null(strstr(err.message, "14"));
    /* The operator at her own desk is not locked out by the guesser. */
    assert_int_equal(login_from(f, "review", JY_DEMO_PASSWORD, "10.1.2.3", &retry, &err), JY_OK);
    /* When the lock has passed, the right password works from that address too and clears
     * the counts. */
    jy_service_set_clock(f->svc, t0 + JY_LOGIN_LOCKOUT_SECONDS);
    assert_int_equal(login_from(f, "review", JY_DEMO_PASSWORD, "203.0.113.7", &retry, &err), JY_OK);
    struct jy_store_conn *conn;
    struct jy_store_user u;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_user_by_name(conn, "review", &u, &err), JY_OK);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, 0);

    /* Failures far apart do not add up. */
    int64_t t = t0 + 3600;
    for (int i = 0; i < 2 * JY_LOGIN_MAX_FAILURES; i++) {
        t += JY_LOGIN_FAILURE_WINDOW_SECONDS + 1;
        jy_service_set_clock(f->svc, t);
        assert_int_equal(login_from(f, "review", "wrong-password", "203.0.113.7", &retry, &err),
                         JY_UNAUTHENTICATED);
    }

    /* An unknown user looks like a wrong password, and is locked the same way. */
    for (int i = 1; i < JY_LOGIN_MAX_FAILURES; i++) {
        assert_int_equal(login_from(f, "nobody", "whatever1", "203.0.113.7", &retry, &err),
                         JY_UNAUTHENTICATED);
        assert_string_equal(err.reason, "bad_credentials");
    }
    assert_int_equal(login_from(f, "nobody", "whatever1", "203.0.113.7", &retry, &err),
                     JY_RATE_LIMITED);
    assert_string_equal(err.reason, "login_locked");

    /* The looser count per username: failures spread over many addresses lock the account
     * everywhere, for JY_LOGIN_USER_LOCKOUT_SECONDS. */
    jy_service_set_clock(f->svc, t0 + 86400);
    sql(f, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE username = 'print'");
    for (int i = 1; i <= JY_LOGIN_USER_MAX_FAILURES; i++) {
        char client[32];
        snprintf(client, sizeof(client), "198.51.100.%d", i / 4 + 1); /* 4 tries per address */
        enum jy_err e = login_from(f, "print", "wrong-password", client, &retry, &err);
        if (i < JY_LOGIN_USER_MAX_FAILURES) {
            assert_int_equal(e, JY_UNAUTHENTICATED);
        } else {
            assert_int_equal(e, JY_RATE_LIMITED);
            assert_string_equal(err.reason, "account_locked");
            assert_int_equal(retry, JY_LOGIN_USER_LOCKOUT_SECONDS);
        }
    }
    assert_int_equal(login_from(f, "print", JY_DEMO_PASSWORD, "10.1.2.3", &retry, &err),
                     JY_RATE_LIMITED);
    assert_string_equal(err.reason, "account_locked");
    assert_int_equal(retry, JY_LOGIN_USER_LOCKOUT_SECONDS);
    jy_service_set_clock(f->svc, t0 + 86400 + JY_LOGIN_USER_LOCKOUT_SECONDS);
    assert_int_equal(login_from(f, "print", JY_DEMO_PASSWORD, "10.1.2.3", &retry, &err), JY_OK);
}

/* The table of pairs: bounded, and it gives up the oldest unlocked pair when full. */
static void test_lockout_table(void **state)
{
    (void)state;
    struct jy_lockout *lk = NULL;
    struct jy_error err;
    assert_int_equal(jy_lockout_new(0, &lk, &err), JY_RANGE);
    assert_int_equal(jy_lockout_new(3, &lk, &err), JY_OK);
    /* a locked at 100 (two failures to lock), b and c failed once. */
    assert_int_equal(jy_lockout_fail(lk, "a", "1.1.1.1", 99, 2, 60, 900), 0);
    assert_int_equal(jy_lockout_fail(lk, "a", "1.1.1.1", 100, 2, 60, 900), 60);
    assert_int_equal(jy_lockout_fail(lk, "b", "1.1.1.1", 101, 2, 60, 900), 0);
    assert_int_equal(jy_lockout_fail(lk, "c", "1.1.1.1", 102, 2, 60, 900), 0);
    assert_int_equal(jy_lockout_count(lk), 3);
    assert_int_equal(jy_lockout_locked(lk, "a", "1.1.1.1", 110), 50);
    assert_int_equal(jy_lockout_locked(lk, "a", "2.2.2.2", 110), 0);
    /* Full: d takes b's place (the oldest unlocked), not a's. */
    assert_int_equal(jy_lockout_fail(lk, "d", "1.1.1.1", 103, 2, 60, 900), 0);
    assert_int_equal(jy_lockout_count(lk), 3);
    assert_int_equal(jy_lockout_locked(lk, "a", "1.1.1.1", 110), 50);
    /* c kept its first failure: the second locks it. */
    assert_int_equal(jy_lockout_fail(lk, "c", "1.1.1.1", 104, 2, 60, 900), 60);
    /* b starts again from nothing (taking d's place): one more failure does not lock it. */
    assert_int_equal(jy_lockout_fail(lk, "b", "1.1.1.1", 105, 2, 60, 900), 0);
    assert_int_equal(jy_lockout_locked(lk, "c", "1.1.1.1", 110), 54);
    jy_lockout_clear(lk, "a", "1.1.1.1");
    assert_int_equal(jy_lockout_locked(lk, "a", "1.1.1.1", 110), 0);
    assert_int_equal(jy_lockout_count(lk), 2);
    jy_lockout_free(lk);
    jy_lockout_free(NULL);
}

static void test_user_admin(void **state)
{
    struct fixture *f = *state;
    struct jy_error err;
    int64_t id = 0;
    struct jy_auth_new_user u = {.username = "zhang.wei",
                                 .display_name = "张伟",
                                 .role = JY_ROLE_OPERATOR,
                                 .stations = "review,approval",
                                 .password = "correct horse"};
    assert_int_equal(jy_auth_user_add(f->svc, &u, &id, &err), JY_OK);
    assert_true(id > 0);
    assert_int_equal(jy_auth_user_add(f->svc, &u, &id, &err), JY_CONFLICT);
    assert_string_equal(err.field, "username");

    struct jy_auth_login login;
    assert_int_equal(
        jy_auth_login(f->svc, "zhang.wei", "correct horse", "127.0.0.1", &login, NULL, &err),
        JY_OK);
    assert_int_equal(login.actor.stations, (1u << JY_STATION_REVIEW) | (1u << JY_STATION_APPROVAL));
    assert_true(jy_actor_at_station(&login.actor, JY_STATION_APPROVAL));
    assert_false(jy_actor_at_station(&login.actor, JY_STATION_PRINT));

    /* A new password ends the old sessions. */
    assert_int_equal(jy_auth_user_passwd(f->svc, "zhang.wei", "battery staple", &err), JY_OK);
    struct jy_actor a;
    uint8_t h[JY_SESSION_HASH_BYTES];
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, h, &err), JY_UNAUTHENTICATED);
    assert_int_equal(
        jy_auth_login(f->svc, "zhang.wei", "correct horse", "127.0.0.1", &login, NULL, &err),
        JY_UNAUTHENTICATED);
    assert_int_equal(
        jy_auth_login(f->svc, "zhang.wei", "battery staple", "127.0.0.1", &login, NULL, &err),
        JY_OK);
    /* Disabling ends them too and refuses logins. */
    assert_int_equal(jy_auth_user_disable(f->svc, "zhang.wei", true, &err), JY_OK);
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, h, &err), JY_UNAUTHENTICATED);
    assert_int_equal(
        jy_auth_login(f->svc, "zhang.wei", "battery staple", "127.0.0.1", &login, NULL, &err),
        JY_UNAUTHENTICATED);
    assert_int_equal(jy_auth_user_disable(f->svc, "nobody", true, &err), JY_NOT_FOUND);

    /* Refusals name their field. */
    struct {
        struct jy_auth_new_user u;
        const char *reason, *field;
    } bad[] = {
        {{.username = "A", .role = JY_ROLE_ADMIN, .password = "longenough"},
         "bad_username",
         "username"},
        {{.username = "li", .role = JY_ROLE_CLERK, .password = "longenough"},
         "branch_required",
         "branch"},
        {{.username = "li",
          .role = JY_ROLE_CLERK,
          .branch_code = "XX999",
          .password = "longenough"},
         "unknown_branch",
         "branch"},
        {{.username = "li",
          .role = JY_ROLE_MANAGER,
          .branch_code = "WH001",
          .password = "longenough"},
         "branch_not_allowed",
         "branch"},
        {{.username = "li", .role = JY_ROLE_OPERATOR, .password = "longenough"},
         "stations_required",
         "stations"},
        {{.username = "li",
          .role = JY_ROLE_OPERATOR,
          .stations = "review,aproval",
          .password = "longenough"},
         "unknown_station",
         "stations"},
        {{.username = "li", .role = JY_ROLE_ADMIN, .password = "short"},
         "password_too_short",
         "password"},
    };
    int64_t users_before = 0, users_after = 0;
    struct jy_store_conn *conn;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_user_count(conn, &users_before, &err), JY_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(jy_auth_user_add(f->svc, &bad[i].u, &id, &err), JY_OK);
        assert_string_equal(err.reason, bad[i].reason);
        assert_string_equal(err.field, bad[i].field);
    }
    assert_int_equal(jy_store_user_count(conn, &users_after, &err), JY_OK);
    assert_int_equal(users_before, users_after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_city, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_and_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test(test_lockout_table),
        cmocka_unit_test_setup_teardown(test_user_admin, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
