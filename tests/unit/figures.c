/*
 * Unit tests of the report figures kept by migration 7 (src/store/migrations.c) and read by
 * src/store/figures.c: a database made before migration 7, with applications finished, sent
 * back and refused, is filled from its events when migrated; afterwards the triggers keep the
 * same figures as new events are written.
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

#include "store/migrations.h"

static int64_t q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void x(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* Event `n` (for reading) of application `app`, with a random hash. */
static void ev(sqlite3 *db, int n, int app, int64_t at, const char *from_state,
               const char *from_station, const char *to_state, const char *to_station,
               const char *reason)
{
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO events (application_id, at, actor_id, from_state, from_station,"
             " to_state, to_station, reason, prev_hash, hash) VALUES (%d, %lld, 1, %s%s%s,"
             " %s%s%s, '%s', %s%s%s, %s%s%s, zeroblob(32), randomblob(32))",
             app, (long long)at, from_state ? "'" : "", from_state ? from_state : "NULL",
             from_state ? "'" : "", from_station ? "'" : "", from_station ? from_station : "NULL",
             from_station ? "'" : "", to_state, to_station ? "'" : "",
             to_station ? to_station : "NULL", to_station ? "'" : "", reason ? "'" : "",
             reason ? reason : "NULL", reason ? "'" : "");
    (void)n;
    x(db, sql);
}

static void test_backfill_and_triggers(void **state)
{
    (void)state;
    char path[] = "/tmp/jy-figures-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    struct jy_error err;
    int applied = 0;
    /* The schema before migration 7. */
    assert_int_equal(jy__store_migrate(db, jy__store_migrations, 6, &applied, &err), JY_OK);
    x(db, "INSERT INTO branches (id, code, name_zh) VALUES (1, 'B1', '甲');"
          "INSERT INTO users (id, username, role, branch_id, password_hash, created_at)"
          " VALUES (1, 'c', 'clerk', 1, 'x', 0);");
    for (int a = 1; a <= 3; a++) {
        char sql[400];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO applications (id, number, business_type, branch_id, clerk_id,"
                 " state, station, fees_json, fee_total_fen, documents_json, accepted_at,"
                 " due_date, updated_at) VALUES (%d, 'N%d', 'D01', 1, 1, '%s', %s, '[]', 0,"
                 " '[]', 1000, '2026-12-03', 1000)",
                 a, a,
                 a == 1   ? "sealed"
                 : a == 2 ? "at_station"
                          : "refused",
                 a == 2 ? "'review'" : "NULL");
        x(db, sql);
    }
    /* 1: through review, then sealed at 5000; 2: sent back twice; 3: refused at review. */
    ev(db, 1, 1, 1000, NULL, NULL, "at_station", "review", NULL);
    ev(db, 2, 1, 2000, "at_station", "review", "at_station", "dispatch", NULL);
    ev(db, 3, 1, 5000, "at_station", "dispatch", "sealed", NULL, NULL);
    ev(db, 4, 2, 1000, NULL, NULL, "at_station", "review", NULL);
    ev(db, 5, 2, 1500, "at_station", "review", "correction", NULL, "document_unclear");
    ev(db, 6, 2, 1600, "correction", NULL, "at_station", "review", NULL);
    ev(db, 7, 2, 1700, "at_station", "review", "correction", NULL, "document_unclear");
    ev(db, 8, 3, 1000, NULL, NULL, "at_station", "review", NULL);
    ev(db, 9, 3, 3000, "at_station", "review", "refused", NULL, "not_eligible");

    assert_int_equal(
        jy__store_migrate(db, jy__store_migrations, jy__store_migrations_count, &applied, &err),
        JY_OK);
    assert_int_equal(q(db, "SELECT finished_at FROM applications WHERE id = 1"), 5000);
    assert_int_equal(q(db, "SELECT finished_at IS NULL FROM applications WHERE id = 2"), 1);
    assert_int_equal(q(db, "SELECT corrections FROM applications WHERE id = 2"), 2);
    assert_int_equal(q(db, "SELECT corrections FROM applications WHERE id = 1"), 0);
    /* Work: out of review 4 times (once onward, twice sent back, once refused), dispatch once. */
    assert_int_equal(q(db, "SELECT sum(n) FROM work_counts WHERE from_station = 'review'"), 4);
    assert_int_equal(q(db, "SELECT n FROM work_counts WHERE to_state = 'correction'"), 2);
    assert_int_equal(q(db, "SELECT sum(n) FROM work_counts WHERE from_station = 'dispatch'"
                           " AND to_state = 'sealed' AND day = '1970-01-01'"),
                     1);

    /* From now on the triggers keep them. */
    ev(db, 10, 2, 90000, "correction", NULL, "at_station", "review", NULL);
    ev(db, 11, 2, 90100, "at_station", "review", "correction", NULL, "photo_nonconforming");
    ev(db, 12, 2, 90200, "correction", NULL, "completed", NULL, NULL);
    assert_int_equal(q(db, "SELECT corrections FROM applications WHERE id = 2"), 3);
    assert_int_equal(q(db, "SELECT finished_at FROM applications WHERE id = 2"), 90200);
    ev(db, 13, 1, 99999, "sealed", NULL, "sealed", NULL, NULL); /* a second sealing: no change */
    assert_int_equal(q(db, "SELECT finished_at FROM applications WHERE id = 1"), 5000);
    assert_int_equal(q(db, "SELECT n FROM work_counts WHERE reason = 'photo_nonconforming'"
                           " AND day = '1970-01-02'"),
                     1);
    ev(db, 14, 3, 90300, "at_station", "review", "correction", NULL, "photo_nonconforming");
    assert_int_equal(q(db, "SELECT n FROM work_counts WHERE reason = 'photo_nonconforming'"
                           " AND day = '1970-01-02'"),
                     2);
    /* The period's scan reads the covering index only. */
    assert_int_equal(q(db, "SELECT count(*) FROM (SELECT accepted_at, branch_id, business_type,"
                           " clerk_id, state, due_date, finished_at, corrections FROM"
                           " applications INDEXED BY applications_report WHERE accepted_at >= 0"
                           " AND accepted_at < 2000)"),
                     3);
    sqlite3_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backfill_and_triggers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
