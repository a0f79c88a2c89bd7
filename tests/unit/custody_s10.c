/*
 * Unit tests for the S10 ranges of src/store/custody.c and src/service/custody.c: numbers are
 * handed out in order across ranges, each valid by src/core/s10, never twice — not even after
 * the service is closed and opened again — overlapping ranges are refused, the numbers left
 * are counted, and the settings of an older database move into the table.
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

#include "core/s10.h"
#include "service/custody.h"
#include "service/service.h"
#include "store/custody.h"
#include "store/sequence.h"
#include "store/settings.h"
#include "banned.h"

#define TOTAL 10000
#define BEFORE_RESTART 6000

struct fx {
    char dir[256], db[320];
    struct jy_service *svc;
};

static void open_svc(struct fx *f)
{
    char docs[400];
    snprintf(docs, sizeof(docs), "%s/documents", f->dir);
    struct jy_service_config cfg = {.db_path = f->db, .documents_dir = docs};
    struct jy_error err;
    if (jy_service_open(&cfg, &f->svc, &err) != JY_OK)
        fail_msg("open: %s", err.message);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(f->dir, sizeof(f->dir), "%s/jys10-XXXXXX", base);
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/j.db", f->dir);
    open_svc(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    jy_service_close(f->svc);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return 1;
    free(f);
    return 0;
}

/* Take `n` numbers, one transaction each, into `out` from position `at`. */
static void take(struct fx *f, char (*out)[JY_S10_LENGTH + 1], size_t at, size_t n)
{
    struct jy_store_conn *conn;
    struct jy_error err;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    for (size_t i = at; i < at + n; i++) {
        assert_int_equal(jy_store_begin(conn, &err), JY_OK);
        if (jy_store_s10_next(conn, out[i], &err) != JY_OK)
            fail_msg("number %zu: %s", i, err.message);
        assert_int_equal(jy_store_commit(conn, &err), JY_OK);
    }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_ten_thousand(void **state)
{
    struct fx *f = *state;
    struct jy_error err;
    struct jy_actor system = jy_actor_system();
    int64_t id;
    /* Two ranges of 5,000: the second is used only when the first is spent. */
    struct jy_s10_range a = {"EA", "CN", 10000000, 10004999, 0};
    struct jy_s10_range b = {"EA", "CN", 20000000, 20004999, 0};
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &a, &id, &err), JY_OK);
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &b, &id, &err), JY_OK);
    /* An overlap with either is refused. */
    struct jy_s10_range over = {"EA", "CN", 20004999, 20009999, 0};
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &over, &id, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "range_overlaps");
    struct jy_s10_range bad = {"EA", "CN", 30000000, 29999999, 0};
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &bad, &id, &err), JY_INVALID);
    /* Another service may use the same serials. */
    struct jy_s10_range other = {"EB", "CN", 10000000, 10000009, 0};
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &other, &id, &err), JY_OK);

    int64_t left = 0, threshold = 0;
    assert_int_equal(jy_custody_s10_left(f->svc, &left, &threshold, &err), JY_OK);
    assert_int_equal(left, 10010);
    assert_int_equal(threshold, JY_CUSTODY_DEFAULT_S10_LOW);

    char(*n)[JY_S10_LENGTH + 1] = calloc(TOTAL + 10, sizeof(*n));
    assert_non_null(n);
    take(f, n, 0, BEFORE_RESTART);
    /* A restart: the service closed and opened on the same file. */
    jy_service_close(f->svc);
    open_svc(f);
    take(f, n, BEFORE_RESTART, TOTAL + 10 - BEFORE_RESTART);

    /* In order: the first range, then the second, then the third. */
    assert_string_equal(n[0], "EA100000003CN");
    assert_string_equal(n[4999], "EA100049995CN");
    assert_string_equal(n[5000], "EA200000006CN");
    assert_true(strncmp(n[TOTAL], "EB10000000", 10) == 0);
    for (size_t i = 0; i < TOTAL + 10; i++) {
        struct jy_s10 s;
        if (jy_s10_parse(n[i], strlen(n[i]), &s, &err) != JY_OK)
            fail_msg("%s: %s", n[i], err.message);
        assert_int_equal(s.check, jy_s10_check_digit(s.serial));
    }
    qsort(n, TOTAL + 10, sizeof(*n), cmp);
    for (size_t i = 1; i < TOTAL + 10; i++)
        if (strcmp(n[i - 1], n[i]) == 0)
            fail_msg("%s handed out twice", n[i]);
    free(n);

    /* All used up. */
    assert_int_equal(jy_custody_s10_left(f->svc, &left, NULL, &err), JY_OK);
    assert_int_equal(left, 0);
    struct jy_store_conn *conn;
    char one[JY_S10_LENGTH + 1];
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_begin(conn, &err), JY_OK);
    assert_int_equal(jy_store_s10_next(conn, one, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "range_exhausted");
    jy_store_rollback(conn);
}

/* A rolled-back number comes back. */
static void test_rollback(void **state)
{
    struct fx *f = *state;
    struct jy_error err;
    struct jy_actor system = jy_actor_system();
    int64_t id;
    struct jy_s10_range a = {"EA", "CN", 10000000, 10000009, 0};
    assert_int_equal(jy_custody_s10_add(f->svc, &system, &a, &id, &err), JY_OK);
    struct jy_store_conn *conn;
    char x[JY_S10_LENGTH + 1], y[JY_S10_LENGTH + 1];
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_begin(conn, &err), JY_OK);
    assert_int_equal(jy_store_s10_next(conn, x, &err), JY_OK);
    jy_store_rollback(conn);
    assert_int_equal(jy_store_begin(conn, &err), JY_OK);
    assert_int_equal(jy_store_s10_next(conn, y, &err), JY_OK);
    assert_int_equal(jy_store_commit(conn, &err), JY_OK);
    assert_string_equal(x, y);
    /* Outside a transaction: refused. */
    assert_int_equal(jy_store_s10_next(conn, y, &err), JY_INTERNAL);
    /* Only an administrator adds ranges. */
    struct jy_actor clerk = {.user_id = 5, .role = JY_ROLE_CLERK};
    assert_int_equal(jy_custody_s10_add(f->svc, &clerk, &a, &id, &err), JY_FORBIDDEN);
}

/* Migration 5 moves the settings of the old single range, and what its sequence handed out,
 * into the table: the database goes on where it stopped. */
static void test_migration(void **state)
{
    struct fx *f = *state;
    jy_service_close(f->svc);
    f->svc = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    char *msg = NULL;
    int rc =
        sqlite3_exec(db,
                     "PRAGMA user_version = 4;"
                     "DROP TABLE discrepancies; DROP TABLE custody_scans;"
                     "DROP TABLE batch_items; DROP TABLE dispatch_batches;"
                     "DROP TABLE bag_items; DROP TABLE bags; DROP TABLE s10_ranges;"
                     "INSERT INTO settings VALUES ('s10_service', 'EA'), ('s10_country', 'CN'),"
                     " ('s10_first', '10000000'), ('s10_last', '10099999');"
                     "INSERT INTO sequences VALUES ('s10', 7);",
                     NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s", msg);
    sqlite3_close(db);
    open_svc(f);
    struct jy_store_conn *conn;
    struct jy_error err;
    char x[JY_S10_LENGTH + 1];
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    assert_int_equal(jy_store_begin(conn, &err), JY_OK);
    assert_int_equal(jy_store_s10_next(conn, x, &err), JY_OK);
    assert_int_equal(jy_store_commit(conn, &err), JY_OK);
    char expect[JY_S10_LENGTH + 1];
    assert_int_equal(jy_s10_format("EA", 10000007, "CN", expect, &err), JY_OK);
    assert_string_equal(x, expect);
    char buf[32];
    assert_int_equal(jy_store_setting_get(conn, "s10_first", buf, sizeof(buf), &err), JY_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ten_thousand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
