/*
 * Unit tests for calendar years loaded at run time: the core's merge, year cut-out, coverage
 * and comment lines (src/core/calendar.c); the service's loads (src/service/calendar.c) on a
 * fresh database — validation, replace, the built-in years, what is stored and its chain
 * (src/store/calendar.c), the warning, and readers on other threads while loads swap the
 * calendar in force.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/timestamp.h"
#include "service/calendar.h"
#include "service/service.h"
#include "store/calendar.h"

extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

static struct jy_date D(int y, int m, int d) {
    return (struct jy_date){y, m, d};
}

/* A 2027 of three rows (test data, not the official arrangement). */
static const char y2027[] = "date,kind,name\n"
                            "2027-01-01,year,2027\n"
                            "2027-01-01,off,元旦\n"
                            "2027-02-20,work,春节\n"
                            "2027-02-08,off,春节\n";

static struct jy_calendar *load(const char *text)
{
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    enum jy_err e = jy_calendar_load_csv(text, strlen(text), &cal, &err);
    if (e != JY_OK)
        fail_msg("load: %s", err.message);
    return cal;
}

static struct jy_calendar *builtin(void)
{
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    assert_int_equal(jy_calendar_load_csv((const char *)jy_data_holidays_csv,
                                          jy_data_holidays_csv_len, &cal, &err),
                     JY_OK);
    return cal;
}

static struct jy_date due(const struct jy_calendar *cal, struct jy_date from, int n)
{
    struct jy_date r = {0, 0, 0};
    struct jy_error err;
    if (jy_calendar_due_date(cal, from, n, &r, &err) != JY_OK)
        fail_msg("due: %s", err.message);
    return r;
}

static void assert_date(struct jy_date d, int y, int m, int day)
{
    assert_int_equal(d.year, y);
    assert_int_equal(d.month, m);
    assert_int_equal(d.day, day);
}

/* ---- core ---- */

static void test_merge_adds_a_year(void **state)
{
    (void)state;
    struct jy_calendar *base = builtin(), *over = load(y2027), *m = NULL;
    struct jy_error err;
    struct jy_date r;
    assert_int_equal(jy_calendar_due_date(base, D(2026, 12, 29), 3, &r, &err), JY_NO_DATA);
    assert_string_equal(err.reason, "calendar_year_missing");
    assert_int_equal(jy_calendar_merge(base, over, &m, &err), JY_OK);
    assert_true(jy_calendar_covers_year(m, 2025));
    assert_true(jy_calendar_covers_year(m, 2026));
    assert_true(jy_calendar_covers_year(m, 2027));
    assert_false(jy_calendar_covers_year(m, 2028));
    assert_int_equal(jy_calendar_year_days(m, 2025), 33);
    assert_int_equal(jy_calendar_year_days(m, 2026), 39);
    assert_int_equal(jy_calendar_year_days(m, 2027), 3);
    /* Tue 12-29: 12-30 (1), 12-31 (2), 01-01 off, weekend, Mon 01-04 (3). */
    assert_date(due(m, D(2026, 12, 29), 3), 2027, 1, 4);
    /* 2026's own holidays still count: Wed 09-30 + 3 → Sat 10-10 (make-up day). */
    assert_date(due(m, D(2026, 9, 30), 3), 2026, 10, 10);
    /* 2027's make-up Saturday 02-20 is a working day; Mon 02-08 is off. */
    bool w = false;
    assert_int_equal(jy_calendar_is_working_day(m, D(2027, 2, 20), &w, &err), JY_OK);
    assert_true(w);
    assert_int_equal(jy_calendar_is_working_day(m, D(2027, 2, 8), &w, &err), JY_OK);
    assert_false(w);
    jy_calendar_free(m);
    jy_calendar_free(over);
    jy_calendar_free(base);
}

static void test_merge_replaces_a_year(void **state)
{
    (void)state;
    /* A 2026 with 2026-12-31 off and nothing else: every other 2026 holiday is gone. */
    struct jy_calendar *base = builtin(),
                       *over = load("date,kind,name\n2026-01-01,year,2026\n2026-12-31,off,测试\n"),
                       *m = NULL;
    struct jy_error err;
    assert_int_equal(jy_calendar_merge(base, over, &m, &err), JY_OK);
    assert_int_equal(jy_calendar_year_days(m, 2026), 1);
    assert_int_equal(jy_calendar_year_days(m, 2025), 33);
    bool w = true;
    assert_int_equal(jy_calendar_is_working_day(m, D(2026, 12, 31), &w, &err), JY_OK);
    assert_false(w);
    assert_int_equal(jy_calendar_is_working_day(m, D(2026, 10, 1), &w, &err), JY_OK);
    assert_true(w); /* the built-in 国庆节 is replaced */
    assert_int_equal(jy_calendar_is_working_day(m, D(2025, 10, 1), &w, &err), JY_OK);
    assert_false(w); /* 2025 is untouched */
    jy_calendar_free(m);
    jy_calendar_free(over);
    jy_calendar_free(base);
}

static void test_covered_until(void **state)
{
    (void)state;
    struct jy_calendar *base = builtin(), *over = load(y2027), *m = NULL;
    struct jy_error err;
    struct jy_date r;
    assert_int_equal(jy_calendar_covered_until(base, D(2026, 11, 30), &r, &err), JY_OK);
    assert_date(r, 2026, 12, 31);
    assert_int_equal(jy_calendar_covered_until(base, D(2025, 3, 1), &r, &err), JY_OK);
    assert_date(r, 2026, 12, 31);
    assert_int_equal(jy_calendar_covered_until(base, D(2024, 3, 1), &r, &err), JY_NO_DATA);
    assert_int_equal(jy_calendar_covered_until(base, D(2026, 2, 30), &r, &err), JY_INVALID);
    assert_int_equal(jy_calendar_merge(base, over, &m, &err), JY_OK);
    assert_int_equal(jy_calendar_covered_until(m, D(2026, 11, 30), &r, &err), JY_OK);
    assert_date(r, 2027, 12, 31);
    jy_calendar_free(m);
    jy_calendar_free(over);
    jy_calendar_free(base);
}

static void test_year_rows(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBF# a comment\r\n"
                        "date,kind,name\r\n"
                        "2026-01-01,year,2026\r\n"
                        " \"2027-01-01\",year,2027\r\n"
                        "2026-12-31,off,测试\r\n"
                        "\r\n"
                        "2027-01-01,off,元旦\r\n";
    char *out = NULL;
    size_t n = 0;
    struct jy_error err;
    assert_int_equal(jy_calendar_year_rows(text, sizeof(text) - 1, 2027, &out, &n, &err), JY_OK);
    assert_string_equal(out, "date,kind,name\n \"2027-01-01\",year,2027\n2027-01-01,off,元旦\n");
    assert_int_equal(n, strlen(out));
    struct jy_calendar *cal = load(out);
    assert_true(jy_calendar_covers_year(cal, 2027));
    assert_false(jy_calendar_covers_year(cal, 2026));
    assert_int_equal(jy_calendar_year_days(cal, 2027), 1);
    jy_calendar_free(cal);
    free(out);
    assert_int_equal(jy_calendar_year_rows(text, sizeof(text) - 1, 2028, &out, &n, &err), JY_OK);
    assert_string_equal(out, "date,kind,name\n");
    free(out);
}

static void test_comment_lines(void **state)
{
    (void)state;
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    const char ok[] = "# TEST FIXTURE, not the official arrangement: 测试数据, \"quoted\"\n"
                      "date,kind,name\n"
                      "  # indented comment, with, commas\n"
                      "2027-01-01,year,2027\n"
                      "2027-01-01,off,元旦\n";
    assert_int_equal(jy_calendar_load_csv(ok, sizeof(ok) - 1, &cal, &err), JY_OK);
    assert_int_equal(jy_calendar_year_days(cal, 2027), 1);
    jy_calendar_free(cal);
    /* Line numbers count the comment lines. */
    const char bad[] = "# one\n# two\ndate,kind,name\n2027-01-01,year,2027\n2027-02-30,off,x\n";
    cal = NULL;
    assert_int_equal(jy_calendar_load_csv(bad, sizeof(bad) - 1, &cal, &err), JY_INVALID);
    assert_null(cal);
    assert_string_equal(err.reason, "bad_date");
    assert_non_null(strstr(err.message, "line 5"));
    /* A '#' inside a row is data, not a comment. */
    const char inrow[] = "date,kind,name\n2027-01-01,year,2027\n2027-01-01,off,#1\n";
    assert_int_equal(jy_calendar_load_csv(inrow, sizeof(inrow) - 1, &cal, &err), JY_OK);
    jy_calendar_free(cal);
}

static void test_fixture_file_loads(void **state)
{
    (void)state;
    FILE *f = fopen(JY_SOURCE_DIR "/tests/data/calendar_2027_fixture.csv", "rb");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    assert_non_null(strstr(buf, "TEST FIXTURE"));
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    assert_int_equal(jy_calendar_load_csv(buf, n, &cal, &err), JY_OK);
    assert_true(jy_calendar_covers_year(cal, 2027));
    assert_int_equal(jy_calendar_year_days(cal, 2027), 30);
    jy_calendar_free(cal);
}

/* ---- the service ---- */

struct fx {
    char dir[128];
    char db[192];
    struct jy_service *svc;
};

static void open_at(struct fx *f, const char *clock)
{
    struct jy_service_config cfg = {.db_path = f->db, .commit_per_request = false};
    if (clock) {
        assert_int_equal(jy_timestamp_parse(clock, strlen(clock), &cfg.clock_start, NULL), JY_OK);
    }
    struct jy_error err;
    if (jy_service_open(&cfg, &f->svc, &err) != JY_OK)
        fail_msg("open: %s", err.message);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(f->dir, sizeof(f->dir), "%s/jy-calyears-XXXXXX", base);
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/j.db", f->dir);
    open_at(f, "2026-11-30T02:00:00Z");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    jy_service_close(f->svc);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static enum jy_err import(struct fx *f, const struct jy_actor *a, const char *text, int year,
                          bool replace, struct jy_calendar_import_result *r, struct jy_error *err)
{
    return jy_calendar_years_import(f->svc, a, text, strlen(text), year, "测试 notice", replace, r,
                                    err);
}

static bool count_years(void *ctx, const struct jy_calendar_year_info *info)
{
    int *n = ctx;
    (*n)++;
    if (info->year == 2027) {
        assert_true(info->loaded);
        assert_int_equal(info->days, 3);
        assert_string_equal(info->load.loaded_by_name, "system");
        assert_string_equal(info->load.source, "测试 notice");
    } else {
        assert_false(info->loaded);
    }
    return true;
}

static void test_service_load(void **state)
{
    struct fx *f = *state;
    struct jy_actor admin = jy_actor_system();
    struct jy_calendar_import_result r;
    struct jy_error err;

    struct jy_calendar_status st;
    jy_calendar_years_status(f->svc, &st);
    assert_true(st.covered);
    assert_date(st.covered_until, 2026, 12, 31);
    assert_int_equal(st.days_left, 32);
    assert_int_equal(st.missing_year, 2027);
    assert_true(st.warn);
    char w[512];
    assert_non_null(strstr(jy_calendar_years_warning(&st, w, sizeof(w)),
                           "2027 年节假日安排尚未导入，32 天后起无法计算办结时限"));

    const struct jy_calendar *before = jy_service_calendar(f->svc);
    assert_int_equal(import(f, &admin, y2027, 2027, false, &r, &err), JY_OK);
    assert_int_equal(r.nyears, 1);
    assert_int_equal(r.years[0], 2027);
    assert_int_equal(r.days, 3);
    assert_false(r.replaced);
    const struct jy_calendar *after = jy_service_calendar(f->svc);
    assert_ptr_not_equal(before, after);
    /* The superseded calendar is still readable. */
    assert_false(jy_calendar_covers_year(before, 2027));
    assert_true(jy_calendar_covers_year(after, 2027));
    assert_date(due(after, D(2026, 12, 29), 3), 2027, 1, 4);

    jy_calendar_years_status(f->svc, &st);
    assert_date(st.covered_until, 2027, 12, 31);
    assert_int_equal(st.days_left, 397);
    assert_false(st.warn);
    int n = 0;
    assert_int_equal(jy_calendar_years_list(f->svc, count_years, &n, &err), JY_OK);
    assert_int_equal(n, 3);

    /* Again: 409 without replace; with it, a second load of the year, recorded as a replace. */
    assert_int_equal(import(f, &admin, y2027, 2027, false, &r, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "year_already_loaded");
    assert_string_equal(err.field, "year");
    assert_int_equal(import(f, &admin, y2027, 0, true, &r, &err), JY_OK);
    assert_true(r.replaced);

    /* The loads survive a restart, and their chain verifies. */
    jy_service_close(f->svc);
    open_at(f, "2026-11-30T02:00:00Z");
    assert_true(jy_calendar_covers_year(jy_service_calendar(f->svc), 2027));
    struct jy_store_conn *conn;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    int64_t checked = -1, broken = -1;
    assert_int_equal(jy_store_calendar_verify(conn, &checked, &broken, &err), JY_OK);
    assert_int_equal(checked, 2);
    assert_int_equal(broken, 0);
    /* Rows cannot be changed or deleted. */
    assert_int_not_equal(sqlite3_exec(jy_store_conn_db(conn),
                                      "UPDATE calendar_years SET source = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(jy_store_conn_db(conn), "DELETE FROM calendar_years", NULL, NULL, NULL),
        SQLITE_OK);
}

static void test_service_rejects(void **state)
{
    struct fx *f = *state;
    struct jy_actor admin = jy_actor_system();
    struct jy_actor clerk = admin;
    clerk.role = JY_ROLE_CLERK;
    struct jy_calendar_import_result r;
    struct jy_error err;
    const struct jy_calendar *before = jy_service_calendar(f->svc);

    assert_int_equal(import(f, &clerk, y2027, 2027, false, &r, &err), JY_FORBIDDEN);
    assert_int_equal(import(f, &admin, "date,kind,name\n2027-01-01,year,2027\n2027-13-01,off,x\n",
                            2027, false, &r, &err),
                     JY_INVALID);
    assert_string_equal(err.reason, "bad_date");
    assert_string_equal(err.field, "line.3.date");
    assert_int_equal(import(f, &admin,
                            "date,kind,name\n2027-01-01,year,2027\n2027-01-01,off,x\n"
                            "2027-01-01,off,x\n",
                            2027, false, &r, &err),
                     JY_INVALID);
    assert_string_equal(err.reason, "duplicate_date");
    assert_string_equal(err.field, "line.4.date");
    assert_int_equal(
        import(f, &admin, "date,kind,name\n2027-01-01,year,2027\n", 0, false, &r, &err),
        JY_UNPROCESSABLE);
    assert_string_equal(err.reason, "year_without_days");
    assert_int_equal(import(f, &admin, "date,kind,name\n", 0, false, &r, &err), JY_UNPROCESSABLE);
    assert_string_equal(err.reason, "no_year");
    assert_int_equal(import(f, &admin, y2027, 2028, false, &r, &err), JY_UNPROCESSABLE);
    assert_string_equal(err.reason, "year_mismatch");
    /* A file mixing a built-in year in: refused whole, 2027 not loaded either. */
    const char mixed[] = "date,kind,name\n2026-01-01,year,2026\n2026-01-01,off,元旦\n"
                         "2027-01-01,year,2027\n2027-01-01,off,元旦\n";
    assert_int_equal(import(f, &admin, mixed, 0, false, &r, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "year_built_in");
    assert_ptr_equal(jy_service_calendar(f->svc), before);
    assert_false(jy_calendar_covers_year(jy_service_calendar(f->svc), 2027));
    char big[JY_CALENDAR_SOURCE_MAX_BYTES + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(
        jy_calendar_years_import(f->svc, &admin, y2027, strlen(y2027), 0, big, false, &r, &err),
        JY_TOO_LONG);
    assert_string_equal(err.field, "source");
    /* Nothing was stored. */
    struct jy_store_conn *conn;
    assert_int_equal(jy_service_conn(f->svc, &conn, &err), JY_OK);
    int64_t checked = -1, broken = -1;
    assert_int_equal(jy_store_calendar_verify(conn, &checked, &broken, &err), JY_OK);
    assert_int_equal(checked, 0);

    /* With replace, the mixed file loads both years, 2026 in place of the built-in one. */
    assert_int_equal(import(f, &admin, mixed, 0, true, &r, &err), JY_OK);
    assert_int_equal(r.nyears, 2);
    assert_true(r.replaced);
    assert_int_equal(jy_calendar_year_days(jy_service_calendar(f->svc), 2026), 1);
}

/* Readers on other threads count due dates while the main thread swaps the calendar. */
struct reader {
    struct jy_service *svc;
    _Atomic bool stop;
};

static void *read_loop(void *p)
{
    struct reader *rd = p;
    while (!rd->stop) {
        const struct jy_calendar *cal = jy_service_calendar(rd->svc);
        struct jy_date r;
        struct jy_error err;
        if (jy_calendar_due_date(cal, D(2026, 9, 30), 3, &r, &err) != JY_OK || r.day != 10)
            return (void *)1;
    }
    return NULL;
}

static void test_swap_under_readers(void **state)
{
    struct fx *f = *state;
    struct jy_actor admin = jy_actor_system();
    struct reader rd = {f->svc, false};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_loop, &rd), 0);
    struct jy_calendar_import_result r;
    struct jy_error err;
    for (int i = 0; i < 20; i++)
        assert_int_equal(import(f, &admin, y2027, 2027, i > 0, &r, &err), JY_OK);
    rd.stop = true;
    for (int i = 0; i < 2; i++) {
        void *ret = NULL;
        pthread_join(t[i], &ret);
        assert_null(ret);
    }
    assert_true(jy_calendar_covers_year(jy_service_calendar(f->svc), 2027));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_adds_a_year),
        cmocka_unit_test(test_merge_replaces_a_year),
        cmocka_unit_test(test_covered_until),
        cmocka_unit_test(test_year_rows),
        cmocka_unit_test(test_comment_lines),
        cmocka_unit_test(test_fixture_file_loads),
        cmocka_unit_test_setup_teardown(test_service_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_under_readers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
