/*
 * workflow.c — how fast the back office's use cases run on this disk.
 *
 *   build/bench_workflow [DIR] [ITEMS]
 *
 * Creates a scratch service (database and documents) under DIR (default: the current directory,
 * which should be on the disk the service will use), puts ITEMS (default 2000) applications in
 * the review queue with their intake events, and times, through the real use cases:
 *   1. claim + complete at review by one operator, item after item (two fsync'd transactions
 *      each: the lease, then the move with its hash-chained event);
 *   2. the same by four operators on four threads at once (SQLite has one writer: they queue);
 *   3. a page of 50 of the approval queue, with all ITEMS waiting there;
 *   4. claim + complete at dispatch, which also takes an EMS item number.
 * Prints figures; it never fails on time. The scratch directory is removed at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/appno.h"
#include "service/auth.h"
#include "service/workflow.h"
#include "store/audit.h"
#include "store/custody.h"
#include "lib/bench.h"
#include "banned.h"

#define THREADS 4

static struct jy_service *svc;

static struct jy_actor user(const char *name, enum jy_role role, const char *stations)
{
    struct jy_auth_new_user u = {.username = name,
                                 .role = role,
                                 .stations = stations,
                                 .branch_code = role == JY_ROLE_CLERK ? "B1" : NULL,
                                 .password_hash = "x"};
    struct jy_actor a;
    struct jy_error err;
    memset(&a, 0, sizeof(a));
    if (jy_auth_user_add(svc, &u, &a.user_id, &err) != JY_OK)
        jy_bench_die("user", &err);
    a.role = role;
    if (stations && jy_stations_parse(stations, &a.stations, &err) != JY_OK)
        jy_bench_die("stations", &err);
    snprintf(a.username, sizeof(a.username), "%s", name);
    return a;
}

/* ITEMS applications at `station`, in one transaction. */
static void fill(struct jy_store_conn *conn, int items, const char *type, const char *station,
                 int64_t clerk)
{
    static uint32_t seq;
    struct jy_error err;
    if (jy_store_begin(conn, &err) != JY_OK)
        jy_bench_die("begin", &err);
    sqlite3 *db = jy_store_conn_db(conn);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO applications (number, business_type, branch_id, clerk_id,"
                           " state, station, applicant_id_number, fees_json, fee_total_fen,"
                           " documents_json, accepted_at, due_date, updated_at) VALUES (?1, ?2, 1,"
                           " ?3, 'at_station', ?4, '11010519491231002X', '[]', 0, '[]', 0,"
                           " '2026-12-03', 0)",
                           -1, &st, NULL) != SQLITE_OK)
        jy_bench_die(sqlite3_errmsg(db), NULL);
    for (int i = 0; i < items; i++) {
        struct jy_appno no;
        while (jy_appno_make("WH", (struct jy_date){2026, 11, 30}, ++seq, &no, &err) != JY_OK)
            ;
        sqlite3_bind_text(st, 1, no.text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, clerk);
        sqlite3_bind_text(st, 4, station, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            jy_bench_die(sqlite3_errmsg(db), NULL);
        sqlite3_reset(st);
        struct jy_event ev = {.application_id = sqlite3_last_insert_rowid(db),
                              .to_state = "at_station",
                              .to_station = station};
        int64_t id;
        if (jy_store_event_append(conn, &ev, &id, &err) != JY_OK)
            jy_bench_die("event", &err);
    }
    sqlite3_finalize(st);
    if (jy_store_commit(conn, &err) != JY_OK)
        jy_bench_die("commit", &err);
}

struct worker {
    struct jy_actor actor;
    enum jy_station station;
    int done;
};

/* Claim and complete until the queue is empty. */
static void *work(void *arg)
{
    struct worker *w = arg;
    struct jy_error err;
    for (;;) {
        struct jy_store_workflow item;
        bool claimed = false;
        enum jy_err e = jy_workflow_claim(svc, &w->actor, w->station, &item, &claimed, &err);
        if (e == JY_CONFLICT && strcmp(err.reason, "store_busy") == 0)
            continue;
        if (e != JY_OK)
            jy_bench_die("claim", &err);
        if (!claimed)
            break;
        if (jy_workflow_complete(svc, &w->actor, item.number, jy_station_code(w->station), &item,
                                 &err) != JY_OK)
            jy_bench_die("complete", &err);
        w->done++;
    }
    return NULL;
}

static bool count(void *ctx, const struct jy_store_workflow *w)
{
    (void)w;
    (*(int *)ctx)++;
    return true;
}

int main(int argc, char **argv)
{
    jy_bench_name = "bench_workflow";
    const char *dir = argc > 1 ? argv[1] : ".";
    int items = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2000;
    if (items < 10 || items > 200000) {
        fprintf(stderr, "usage: bench_workflow [DIR] [ITEMS 10..200000]\n");
        return 2;
    }
    char scratch[4096], db[4200];
    snprintf(scratch, sizeof(scratch), "%s/bench-workflow-XXXXXX", dir);
    if (!mkdtemp(scratch))
        jy_bench_die(scratch, NULL);
    snprintf(db, sizeof(db), "%s/jingyou.db", scratch);
    struct jy_service_config cfg = {.db_path = db};
    struct jy_error err;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK)
        jy_bench_die("open", &err);
    struct jy_store_conn *conn;
    if (jy_service_conn(svc, &conn, &err) != JY_OK)
        jy_bench_die("conn", &err);
    int64_t branch;
    struct jy_store_branch b = {.code = "B1", .name_zh = "网点"};
    if (jy_store_begin(conn, &err) != JY_OK || jy_store_branch_insert(conn, &b, &branch, &err) ||
        jy_store_commit(conn, &err) != JY_OK)
        jy_bench_die("branch", &err);
    /* EMS item numbers for the dispatch station (store/custody.h: s10_ranges). */
    struct jy_s10_range range = {"EA", "CN", 10000000, 99999999, 10000000};
    int64_t range_id;
    if (jy_store_begin(conn, &err) != JY_OK ||
        jy_store_s10_add(conn, &range, (int64_t)time(NULL), 0, &range_id, &err) != JY_OK ||
        jy_store_commit(conn, &err) != JY_OK)
        jy_bench_die("s10 range", &err);
    struct jy_actor clerk = user("clerk", JY_ROLE_CLERK, NULL);
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "op%d", i);
        workers[i] = (struct worker){user(name, JY_ROLE_OPERATOR, "review,approval,dispatch"),
                                     JY_STATION_REVIEW, 0};
    }
    printf("bench_workflow: %d items, database %s\n", items, db);

    fill(conn, items, "D01", "review", clerk.user_id);
    double t0 = jy_bench_now();
    work(&workers[0]);
    double t1 = jy_bench_now();
    printf("  claim+complete, 1 operator    %8.0f items/s  %7.3f ms/item  (%d items)\n",
           workers[0].done / (t1 - t0), (t1 - t0) * 1e3 / workers[0].done, workers[0].done);

    int waiting = 0;
    char next[JY_WORKFLOW_CURSOR_SIZE];
    t0 = jy_bench_now();
    for (int i = 0; i < 100; i++) {
        waiting = 0;
        if (jy_workflow_queue(svc, &workers[0].actor, JY_STATION_APPROVAL, NULL, 50, count,
                              &waiting, next, &err) != JY_OK)
            jy_bench_die("queue", &err);
    }
    t1 = jy_bench_now();
    printf("  approval queue, page of %d     %8.3f ms/page  (%d waiting)\n", waiting,
           (t1 - t0) * 1e3 / 100, items);

    fill(conn, items, "D01", "review", clerk.user_id);
    pthread_t th[THREADS];
    t0 = jy_bench_now();
    for (int i = 0; i < THREADS; i++) {
        workers[i].done = 0;
        if (pthread_create(&th[i], NULL, work, &workers[i]) != 0)
            jy_bench_die("thread", NULL);
    }
    int done = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        done += workers[i].done;
    }
    t1 = jy_bench_now();
    printf("  claim+complete, %d operators   %8.0f items/s  %7.3f ms/item  (%d items)\n", THREADS,
           done / (t1 - t0), (t1 - t0) * 1e3 / done, done);

    int sealed = items / 4;
    fill(conn, sealed, "D01", "dispatch", clerk.user_id);
    workers[0].station = JY_STATION_DISPATCH;
    workers[0].done = 0;
    t0 = jy_bench_now();
    work(&workers[0]);
    t1 = jy_bench_now();
    printf("  claim+seal (EMS number)       %8.0f items/s  %7.3f ms/item  (%d items)\n",
           workers[0].done / (t1 - t0), (t1 - t0) * 1e3 / workers[0].done, workers[0].done);

    jy_service_close(svc);
    char path[4300];
    static const char *const files[] = {"jingyou.db", "jingyou.db-wal", "jingyou.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", scratch, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/documents", scratch);
    rmdir(path);
    rmdir(scratch);
    return 0;
}
