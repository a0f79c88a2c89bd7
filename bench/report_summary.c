/*
 * report_summary.c — how fast the summary report answers on a year of a city's data.
 *
 *   build/bench_report_summary [DIR] [APPLICATIONS]
 *
 * Builds a scratch database under DIR (default: the current directory) with 160 branches and
 * APPLICATIONS (default 660,000: a year of a busy city, about 1,800 a day) accepted over the
 * year 2025-12-01 … 2026-11-30, each with its events as the back office writes them (intake,
 * one event per station passed, some sent back for correction and resubmitted, some refused,
 * most sealed or completed), written straight into the tables in one transaction (the figures
 * that migration 7's triggers keep are kept by them as the events go in). Then times
 * jy_report_summary() — the one call behind GET /api/v1/reports/summary — for every group_by
 * over a day, a month and the whole year, and prints the index the period's scan uses. Prints
 * figures; never fails on time. The scratch directory is removed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/date.h"
#include "service/dashboard.h"
#include "store/store.h"
#include "banned.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine, what the query itself cost. */
static double cpu(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_report_summary: %s: %s\n", what, msg ? msg : strerror(errno));
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        die(sql, msg);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
    return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die("insert", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const types[] = {"D01", "V03", "D02", "V01", "D03", "V05", "D01", "V07",
                                    "D05", "V08", "D02", "W01", "V04", "D03", "V02", "D06"};
static const char *const route[] = {"review", "approval", "production", "archive", "dispatch"};

/* One event of application `app` at `at`. */
static int64_t event_id;
static void event(sqlite3 *db, sqlite3_stmt *st, int64_t app, int64_t at, int64_t actor,
                  const char *from_state, const char *from_station, const char *to_state,
                  const char *to_station, const char *reason)
{
    /* Distinct hashes in ascending byte order, so the UNIQUE index on them grows at its end as
     * the real chain's random hashes would not: this measures reading, not writing. */
    uint8_t hash[32] = {0};
    event_id++;
    for (int i = 0; i < 8; i++)
        hash[i] = (uint8_t)(event_id >> (56 - 8 * i));
    sqlite3_bind_int64(st, 1, app);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int64(st, 3, actor);
    from_state ? sqlite3_bind_text(st, 4, from_state, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 4);
    from_station ? sqlite3_bind_text(st, 5, from_station, -1, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, to_state, -1, SQLITE_STATIC);
    to_station ? sqlite3_bind_text(st, 7, to_station, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 7);
    reason ? sqlite3_bind_text(st, 8, reason, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 8);
    sqlite3_bind_blob(st, 9, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 10, hash, 32, SQLITE_TRANSIENT);
    step(db, st);
}

static void build(const char *path, long n)
{
    struct jy_store *store;
    struct jy_error err;
    if (jy_store_open(path, &store, &err) != JY_OK)
        die("open", err.message);
    jy_store_close(store);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("open", sqlite3_errmsg(db));
    exec(db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;"
             " PRAGMA cache_size = -1048576; BEGIN");
    sqlite3_stmt *b = prep(db, "INSERT INTO branches (id, code, name_zh, district, lat, lon)"
                               " VALUES (?1, printf('B%03d', ?1), printf('网点%d', ?1), ?2,"
                               " 30.5 + ?1 / 1000.0, 114.3)");
    sqlite3_stmt *u = prep(db, "INSERT INTO users (id, username, role, branch_id, stations,"
                               " password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'x', 0)");
    static const char *const districts[] = {"武昌区", "江岸区", "江汉区", "硚口区",
                                            "汉阳区", "青山区", "洪山区", "东西湖区"};
    for (int i = 1; i <= 160; i++) {
        char name[16];
        sqlite3_bind_int(b, 1, i);
        sqlite3_bind_text(b, 2, districts[i % 8], -1, SQLITE_STATIC);
        step(db, b);
        snprintf(name, sizeof(name), "clerk%d", i);
        sqlite3_bind_int(u, 1, i);
        sqlite3_bind_text(u, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 3, "clerk", -1, SQLITE_STATIC);
        sqlite3_bind_int(u, 4, i);
        sqlite3_bind_null(u, 5);
        step(db, u);
    }
    for (int i = 0; i < 20; i++) { /* operators 1001…1020 */
        char name[16];
        snprintf(name, sizeof(name), "op%d", i);
        sqlite3_bind_int(u, 1, 1001 + i);
        sqlite3_bind_text(u, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 3, "operator", -1, SQLITE_STATIC);
        sqlite3_bind_null(u, 4);
        sqlite3_bind_text(u, 5, route[i % 5], -1, SQLITE_STATIC);
        step(db, u);
    }
    sqlite3_stmt *a = prep(
        db, "INSERT INTO applications (id, number, business_type, branch_id, clerk_id, state,"
            " station, fees_json, fee_total_fen, documents_json, accepted_at, due_date,"
            " updated_at) VALUES (?1, printf('N%09d', ?1), ?2, ?3, ?3, ?4, ?5, '[]', 1000, '[]',"
            " ?6, ?7, ?6)");
    sqlite3_stmt *e = prep(
        db, "INSERT INTO events (application_id, at, actor_id, from_state, from_station,"
            " to_state, to_station, reason, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
            " ?8, ?9, ?10)");
    struct jy_date start = {2025, 12, 1};
    int64_t day0 = jy_date_to_days(start);
    int64_t last_at = (day0 + 365) * 86400 - 8 * 3600; /* 2026-11-30 24:00 in Shanghai */
    for (long k = 1; k <= n; k++) {
        int64_t day = day0 + (int64_t)((k - 1) * 365 / n);
        int64_t at = day * 86400 - 8 * 3600 + 8 * 3600 + rnd(9 * 3600); /* 08:00–17:00 */
        char due[JY_DATE_TEXT_SIZE];
        jy_date_format(jy_date_from_days(day + 3 + rnd(2)), due);
        int branch = 1 + (int)rnd(160);
        const char *type = types[rnd(16)];
        uint32_t fate = rnd(100);
        /* How far it got: recent ones are still in the centre. */
        int age_days = (int)((last_at - at) / 86400);
        int steps = age_days >= 5 ? 5 : age_days;
        const char *state = steps == 5 ? "sealed" : "at_station";
        const char *station = steps < 5 ? route[steps] : NULL;
        if (fate < 2 && steps >= 1) {
            state = "refused";
            station = NULL;
        }
        sqlite3_bind_int64(a, 1, k);
        sqlite3_bind_text(a, 2, type, -1, SQLITE_STATIC);
        sqlite3_bind_int(a, 3, branch);
        sqlite3_bind_text(a, 4, state, -1, SQLITE_STATIC);
        station ? sqlite3_bind_text(a, 5, station, -1, SQLITE_STATIC) : sqlite3_bind_null(a, 5);
        sqlite3_bind_int64(a, 6, at);
        sqlite3_bind_text(a, 7, due, -1, SQLITE_TRANSIENT);
        step(db, a);
        event(db, e, k, at, branch, NULL, NULL, "at_station", "review", NULL);
        int64_t t = at;
        if (fate >= 2 && fate < 7 && steps >= 1) { /* sent back once, then resubmitted */
            t += 3600;
            event(db, e, k, t, 1001, "at_station", "review", "correction", NULL,
                  fate % 2 ? "document_unclear" : "photo_nonconforming");
            t += 7200;
            event(db, e, k, t, branch, "correction", NULL, "at_station", "review", NULL);
        }
        if (strcmp(state, "refused") == 0) {
            event(db, e, k, t + 3600, 1002, "at_station", "review", "refused", NULL,
                  "not_eligible");
            continue;
        }
        for (int s = 0; s < steps; s++) {
            t += 3600 * (1 + (int64_t)rnd(20));
            bool last = s == 4;
            event(db, e, k, t, 1001 + s + 5 * (int64_t)rnd(4), "at_station", route[s],
                  last ? "sealed" : "at_station", last ? NULL : route[s + 1], NULL);
        }
    }
    exec(db, "COMMIT; ANALYZE; PRAGMA journal_mode = WAL");
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    sqlite3_finalize(e);
    sqlite3_finalize(u);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 660000;
    if (n < 1000)
        n = 1000;
    setvbuf(stdout, NULL, _IONBF, 0);
    char scratch[4096], path[4200];
    snprintf(scratch, sizeof(scratch), "%s/bench-report-XXXXXX", dir);
    if (!mkdtemp(scratch))
        die("mkdtemp", NULL);
    snprintf(path, sizeof(path), "%s/j.db", scratch);

    double t0 = now();
    build(path, n);
    printf("built %ld applications with events in %.1f s\n", n, now() - t0);

    struct jy_service_config cfg = {.db_path = path, .clock_start = 1796004000 /* 2026-11-30 */};
    struct jy_service *svc;
    struct jy_error err;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK)
        die("service", err.message);
    struct jy_store_conn *conn;
    if (jy_service_conn(svc, &conn, &err) != JY_OK)
        die("conn", err.message);
    sqlite3_stmt *plan = prep(jy_store_conn_db(conn),
                              "EXPLAIN QUERY PLAN SELECT accepted_at, branch_id, business_type,"
                              " clerk_id, state, due_date, finished_at, corrections FROM"
                              " applications WHERE accepted_at >= 0 AND accepted_at < 1");
    while (sqlite3_step(plan) == SQLITE_ROW)
        printf("period scan: %s\n", (const char *)sqlite3_column_text(plan, 3));
    sqlite3_finalize(plan);

    struct jy_actor manager;
    memset(&manager, 0, sizeof(manager));
    manager.role = JY_ROLE_MANAGER;
    static const struct {
        const char *name;
        struct jy_date from, to;
    } periods[] = {
        {"a day", {2026, 11, 30}, {2026, 11, 30}},
        {"a month", {2026, 11, 1}, {2026, 11, 30}},
        {"the year", {2025, 12, 1}, {2026, 11, 30}},
    };
    printf("\n%-10s %-10s %10s %10s %10s %10s\n", "group_by", "period", "rows", "groups", "wall ms",
           "cpu ms");
    for (int g = 0; g < JY__REPORT_BY_COUNT; g++) {
        for (size_t p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
            struct jy_report_period per = {periods[p].from, periods[p].to, (enum jy_report_group)g};
            json_t *out = NULL;
            double t1 = now(), c1 = cpu();
            if (jy_report_summary(svc, &manager, &per, &out, &err) != JY_OK)
                die("summary", err.message);
            double ms = (now() - t1) * 1000, cms = (cpu() - c1) * 1000;
            const json_t *tot = json_object_get(out, "totals");
            json_int_t rows = json_integer_value(json_object_get(tot, "accepted"));
            if (!json_object_get(tot, "accepted"))
                rows = json_integer_value(json_object_get(tot, "completed")) +
                       json_integer_value(json_object_get(tot, "returned")) +
                       json_integer_value(json_object_get(tot, "refused"));
            printf("%-10s %-10s %10lld %10zu %10.1f %10.1f\n", jy_report_group_code(per.group),
                   periods[p].name, (long long)rows,
                   json_array_size(json_object_get(out, "groups")), ms, cms);
            json_decref(out);
        }
    }
    printf("\n(rows: applications accepted in the period; for station, operator and reason the\n"
           "events counted. The dashboard asks for 9 summaries and the coverage at once.)\n");
    jy_service_close(svc);
    unlink(path);
    char wal[4300];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    rmdir(scratch);
    return 0;
}
