/*
 * intake.c — how many durable intakes per second the real use case takes on this disk.
 *
 *   build/bench_intake [DIR] [N]
 *
 * Opens a scratch service under DIR (default: the current directory, which should be on the
 * disk the service will use; not a tmpfs) with one branch and one clerk per thread, and times
 * jy_intake() — body validation with the core rules, fees, due date, number, the application row,
 * its hash-chained event, and the fsync'd commit — for a D01 licence replacement and a V05
 * mortgage registration, from one thread and from four at once, with and without an
 * Idempotency-Key; next to the cost of one fsync'd 4 KiB write, which bounds a single thread.
 * Prints figures; never fails on time. The scratch directory is removed at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vin.h"
#include "service/auth.h"
#include "service/intake.h"
#include "store/users.h"
#include "lib/bench.h"
#include "banned.h"

#define THREADS 4

static const char d01_text[] =
    "{\"business_type\": \"D01\","
    " \"applicant\": {\"name\": \"张三\", \"id_type\": \"resident_id\","
    "   \"id_number\": \"11010519491231002X\", \"mobile\": \"13800138000\"},"
    " \"licence\": {\"number\": \"11010519491231002X\", \"class\": \"C1\"},"
    " \"delivery\": {\"recipient\": \"张三\", \"mobile\": \"13800138000\","
    "   \"address\": \"湖北省武汉市武昌区彭刘杨路1号\", \"postcode\": \"430060\"},"
    " \"documents\": [\"id_card\", \"photo\", \"application_form\", \"loss_statement\"]}";

static json_t *v05_body(void)
{
    char vin[18] = "LSVAB22F0N2123456";
    vin[8] = jy_vin_check_digit(vin);
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s},"
                     " s:[s, s, s, s, s]}",
                     "business_type", "V05", "applicant", "name", "李四", "id_type", "resident_id",
                     "id_number", "420106198203150411", "mobile", "13907150000", "owner_uscc",
                     "91350100M000100Y43", "vehicle", "plate", "鄂AD12345", "plate_type", "52",
                     "vin", vin, "delivery", "recipient", "李四", "mobile", "13907150000",
                     "address", "湖北省武汉市江岸区解放大道100号", "documents", "id_card",
                     "mortgagee_id", "application_form", "registration_certificate",
                     "mortgage_contract");
}

struct worker {
    struct jy_service *svc;
    struct jy_actor clerk;
    json_t *body;
    bool keyed;
    long n;
    long first_key;
};

static void *run(void *arg)
{
    struct worker *w = arg;
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        jy_bench_die("memory", NULL);
    struct jy_error err;
    for (long i = 0; i < w->n; i++) {
        char key[32];
        snprintf(key, sizeof(key), "bench-%ld", w->first_key + i);
        if (jy_intake(w->svc, &w->clerk, w->body, w->keyed ? key : NULL, a, NULL, &err) != JY_OK)
            jy_bench_die("intake", &err);
    }
    free(a);
    return NULL;
}

static long key_counter;

static void measure(const char *what, struct worker *workers, int threads, long n, json_t *body,
                    bool keyed)
{
    pthread_t tid[THREADS];
    double t0 = jy_bench_now();
    for (int i = 0; i < threads; i++) {
        workers[i].body = body;
        workers[i].keyed = keyed;
        workers[i].n = n / threads;
        workers[i].first_key = key_counter;
        key_counter += workers[i].n;
        if (pthread_create(&tid[i], NULL, run, &workers[i]) != 0)
            jy_bench_die("thread", NULL);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(tid[i], NULL);
    double s = jy_bench_now() - t0;
    long done = (n / threads) * threads;
    printf("%-48s %7ld intakes %7.2f s %8.0f intakes/s  %.2f ms each\n", what, done, s,
           (double)done / s, s / (double)done * 1e3 * threads);
}

int main(int argc, char **argv)
{
    jy_bench_name = "bench_intake";
    const char *base = argc > 1 ? argv[1] : ".";
    long n = 2000;
    if (argc > 2) {
        char *end = NULL;
        n = strtol(argv[2], &end, 10);
        if (!end || *end || n < 100 || n > 1000000) {
            fprintf(stderr, "usage: bench_intake [DIR] [N (100..1000000)]\n");
            return 2;
        }
    }
    char dir[1024], db[1100], docs[1100];
    jy_bench_scratch(base, "bench-intake", dir, db);
    snprintf(docs, sizeof(docs), "%s/documents", dir);

    struct jy_error err;
    struct jy_service_config cfg = {.db_path = db, .documents_dir = docs};
    struct jy_service *svc = NULL;
    struct jy_store_conn *conn = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK || jy_service_conn(svc, &conn, &err) != JY_OK)
        jy_bench_die("open", &err);
    struct jy_store_branch b = {.is_open = true};
    snprintf(b.code, sizeof(b.code), "WH001");
    snprintf(b.name_zh, sizeof(b.name_zh), "彭刘杨路邮政支局");
    int64_t branch_id = 0;
    if (jy_store_begin(conn, &err) != JY_OK ||
        jy_store_branch_insert(conn, &b, &branch_id, &err) != JY_OK ||
        jy_store_commit(conn, &err) != JY_OK)
        jy_bench_die("branch", &err);
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "clerk%d", i);
        struct jy_auth_new_user u = {.username = name,
                                     .role = JY_ROLE_CLERK,
                                     .branch_code = "WH001",
                                     .password_hash = "$argon2id$bench"};
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].svc = svc;
        if (jy_auth_user_add(svc, &u, &workers[i].clerk.user_id, &err) != JY_OK)
            jy_bench_die("clerk", &err);
        workers[i].clerk.role = JY_ROLE_CLERK;
        workers[i].clerk.branch_id = branch_id;
        snprintf(workers[i].clerk.username, sizeof(workers[i].clerk.username), "%s", name);
    }
    json_t *d01 = json_loads(d01_text, 0, NULL), *v05 = v05_body();
    if (!d01 || !v05)
        jy_bench_die("bodies", NULL);

    printf("intake benchmark: SQLite %s, WAL, synchronous=FULL, database %s\n",
           sqlite3_libversion(), db);
    double fs = 1.0 / jy_bench_fdatasync_rate(dir, 200, 0);
    printf("%-48s %.2f ms, i.e. at most %.0f durable commits/s\n",
           "one 4 KiB write + fdatasync on this disk", fs * 1e3, 1.0 / fs);
    measure("D01, 1 thread", workers, 1, n, d01, false);
    measure("V05, 1 thread", workers, 1, n, v05, false);
    measure("D01 with Idempotency-Key, 1 thread", workers, 1, n, d01, true);
    measure("D01, 4 threads", workers, THREADS, n, d01, false);
    measure("V05 with Idempotency-Key, 4 threads", workers, THREADS, n, v05, true);

    json_decref(d01);
    json_decref(v05);
    jy_service_close(svc);
    jy_bench_remove_scratch(dir);
    return 0;
}
