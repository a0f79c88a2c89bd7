/*
 * Unit tests for src/service/demo.c: the demo city's intakes lie in the branches' opening
 * hours (08:30–17:30 Asia/Shanghai), never ahead of the clock, in number order, and — whatever
 * the time of day the city is made — on the same civil days as before they were moved into
 * those hours (so due dates and the counts the other tests read are unchanged), except before
 * 08:30, when today's go into yesterday's hours.
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

#include "core/timestamp.h"
#include "http/session.h"
#include "service/demo.h"
#include "service/service.h"

#define OPENS (8 * 3600 + 30 * 60)
#define CLOSES (17 * 3600 + 30 * 60)
#define N 40 /* the demo's intakes */

/* Seconds after local midnight (UTC+8) and the local day number of UTC time `t`. */
static int64_t tod(int64_t t)
{
    return (t + 8 * 3600) % 86400;
}
static int64_t day(int64_t t)
{
    return (t + 8 * 3600) / 86400;
}

/* Seed the demo city with the clock at `clock` (RFC 3339) and check its intakes. */
static void check_at(const char *clock, bool same_days)
{
    char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/jy_demo_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char db_path[96];
    snprintf(db_path, sizeof(db_path), "%s/j.db", dir);
    struct jy_error err;
    int64_t start = 0;
    assert_int_equal(jy_timestamp_parse(clock, strlen(clock), &start, &err), JY_OK);
    assert_int_equal(jy_session_init(&err), JY_OK);
    struct jy_service_config cfg = {.db_path = db_path, .demo = true, .clock_start = start};
    struct jy_service *svc = NULL;
    assert_int_equal(jy_service_open(&cfg, &svc, &err), JY_OK);
    if (jy_demo_seed(svc, &err) != JY_OK)
        fail_msg("%s: demo: %s", clock, err.message);
    int64_t now = jy_service_now(svc); /* a moment later than the start */

    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT a.accepted_at, e.at FROM applications a"
                                        " JOIN events e ON e.application_id = a.id"
                                        " AND e.reason = 'intake' ORDER BY a.id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int n = 0;
    int64_t last = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t at = sqlite3_column_int64(st, 0);
        assert_int_equal(sqlite3_column_int64(st, 1), at); /* the event says the same */
        if (tod(at) < OPENS || tod(at) > CLOSES)
            fail_msg("%s: intake %d at %02d:%02d local, outside 08:30–17:30", clock, n,
                     (int)(tod(at) / 3600), (int)(tod(at) % 3600 / 60));
        assert_true(at <= now);
        assert_true(at > last);
        /* The civil day the intake had before (every 6 days / N, ending now). */
        int64_t before = start - (int64_t)(N - 1 - n) * (6 * 86400 / N);
        if (same_days && day(at) != day(before))
            fail_msg("%s: intake %d moved from day %lld to %lld", clock, n, (long long)day(before),
                     (long long)day(at));
        last = at;
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(n, N);
    jy_service_close(svc);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* 10:00 on a Monday: the clock of the API and browser tests. */
static void test_morning(void **state)
{
    (void)state;
    check_at("2026-11-30T02:00:00Z", true);
}

/* 08:40: today's window is ten minutes long. */
static void test_just_open(void **state)
{
    (void)state;
    check_at("2026-11-30T00:40:00Z", true);
}

/* 22:00: closed; today's intakes fill today's whole opening hours. */
static void test_evening(void **state)
{
    (void)state;
    check_at("2026-11-30T14:00:00Z", true);
}

/* 02:00: before opening, so today's intakes go into yesterday's hours. */
static void test_night(void **state)
{
    (void)state;
    check_at("2026-11-30T18:00:00Z", false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_morning),
        cmocka_unit_test(test_just_open),
        cmocka_unit_test(test_evening),
        cmocka_unit_test(test_night),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
