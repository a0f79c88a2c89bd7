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
    assert_int_equal(jy_auth_login(f->svc, "clerk", JY_DEMO_PASSWORD, &login, &err), JY_OK);
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
    assert_int_equal(jy_auth_login(f->svc, "police", JY_DEMO_PASSWORD, &login, &err), JY_OK);
    assert_int_equal(login.actor.role, JY_ROLE_SUPERVISOR);
    assert_int_equal(jy_auth_logout(f->svc, login.token, &err), JY_OK);
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, csrf_hash, &err), JY_UNAUTHENTICATED);
}

static void test_lockout(void **state)
{
    struct fixture *f = *state;
    struct jy_error err;
    struct jy_auth_login login;
    for (int i = 1; i < JY_LOGIN_MAX_FAILURES; i++) {
        assert_int_equal(jy_auth_login(f->svc, "review", "wrong-password", &login, &err),
                         JY_UNAUTHENTICATED);
        assert_string_equal(err.reason, "bad_credentials");
    }
    assert_int_equal(jy_auth_login(f->svc, "review", "wrong-password", &login, &err),
                     JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "account_locked");
    /* Now even the right password is refused, with the lockout message. */
    assert_int_equal(jy_auth_login(f->svc, "review", JY_DEMO_PASSWORD, &login, &err),
                     JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "account_locked");
    assert_non_null(strstr(err.message, "15"));
    /* When the lock has passed, the right password works and clears the count. */
    sql(f, "UPDATE users SET locked_until = 1 WHERE username = 'review'");
    assert_int_equal(jy_auth_login(f->svc, "review", JY_DEMO_PASSWORD, &login, &err), JY_OK);
    struct jy_store_conn *conn;
    struct jy_store_user u;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_user_by_name(conn, "review", &u, &err), JY_OK);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, 0);

    /* An unknown user looks like a wrong password. */
    assert_int_equal(jy_auth_login(f->svc, "nobody", "whatever1", &login, &err),
                     JY_UNAUTHENTICATED);
    assert_string_equal(err.reason, "bad_credentials");
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
    assert_int_equal(jy_auth_login(f->svc, "zhang.wei", "correct horse", &login, &err), JY_OK);
    assert_int_equal(login.actor.stations, (1u << JY_STATION_REVIEW) | (1u << JY_STATION_APPROVAL));
    assert_true(jy_actor_at_station(&login.actor, JY_STATION_APPROVAL));
    assert_false(jy_actor_at_station(&login.actor, JY_STATION_PRINT));

    /* A new password ends the old sessions. */
    assert_int_equal(jy_auth_user_passwd(f->svc, "zhang.wei", "battery staple", &err), JY_OK);
    struct jy_actor a;
    uint8_t h[JY_SESSION_HASH_BYTES];
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, h, &err), JY_UNAUTHENTICATED);
    assert_int_equal(jy_auth_login(f->svc, "zhang.wei", "correct horse", &login, &err),
                     JY_UNAUTHENTICATED);
    assert_int_equal(jy_auth_login(f->svc, "zhang.wei", "battery staple", &login, &err), JY_OK);
    /* Disabling ends them too and refuses logins. */
    assert_int_equal(jy_auth_user_disable(f->svc, "zhang.wei", true, &err), JY_OK);
    assert_int_equal(jy_auth_session(f->svc, login.token, &a, h, &err), JY_UNAUTHENTICATED);
    assert_int_equal(jy_auth_login(f->svc, "zhang.wei", "battery staple", &login, &err),
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
        cmocka_unit_test_setup_teardown(test_user_admin, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
