/*
 * cmd_simulate.c — `jingyou simulate`: run the city simulator (src/sim/sim.h) on a database
 * and print its report.
 *
 * Without --db the database is a new temporary one (in $TMPDIR, default /tmp), removed at the
 * end. Exit 0 with the report; 1 when the run failed (the message names the step); 2 on a usage
 * error, including days that the built-in calendar does not cover.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "../service/auth.h"
#include "../service/demo.h"
#include "../service/service.h"
#include "../store/users.h"
#include "../sim/sim.h"
#include "../banned.h"

const char jy_cmd_simulate_usage[] =
    "usage: jingyou simulate [--days D] [--seed S] [--start YYYY-MM-DD]\n"
    "                        [--operators review=6,approval=2,print=3,production=4,archive=2,"
    "dispatch=3]\n"
    "                        [--rate N] [--json] [--db FILE] [--commit-every MINUTES]\n"
    "\n"
    "Simulate the demo city (160 branches, the back-office centre, vans and EMS) for D days\n"
    "through the real use cases on a real database, and report per day and overall: accepted,\n"
    "completed, backlog per station, SLA met, p50/p90 turnaround in working days, operator\n"
    "utilisation and the bottleneck. The same options and seed give the same figures.\n"
    "  --days D       days to simulate, 1..400 (default 2)\n"
    "  --seed S       the random seed, a whole number (default 1)\n"
    "  --start DATE   the first day (default 2025-12-01); the calendar covers 2025-2026, and\n"
    "                 the run needs it for its days and 20 days after\n"
    "  --operators L  operators per station (what-if), e.g. approval=3; stations not named keep\n"
    "                 the demo centre's: review=6,approval=2,print=3,production=4,archive=2,\n"
    "                 dispatch=3\n"
    "  --rate N       applications a day across the city, 1..20000 (default 1800)\n"
    "  --json         the report as JSON on stdout\n"
    "  --db FILE      keep the database in FILE (created when missing; the demo city is added\n"
    "                 to an empty one); default: a temporary database, removed afterwards\n"
    "  --commit-every M  commit once per M simulated minutes, 1..1440 (default 1); the\n"
    "                 figures are the same, only the run's speed changes\n"
    "\n"
    "The model: branches open daily 08:30-17:30 with a Poisson arrival rate shared out by branch\n"
    "size (lognormal), one or two counters with 4-minute clerks; the business mix D03 20%, V07\n"
    "15%, D01 10%, V03 10%, D05 8%, D02 5%, W01 5%, V01/V05/V06 4%, D04/D06/V02/V04/V08 3%; the\n"
    "online record reaches the centre at once, the paper file in the branch's bag (closed by\n"
    "its clerk at the 17:30 cut-off) with the morning van of the next working day, where\n"
    "logistics scans every file in (archive waits for it); operators\n"
    "08:30-12:00 and 13:00-17:30 on working days with lognormal service times (review 50 s,\n"
    "approval 20 s, print 40 s, production 45 s, archive 15 s, dispatch 25 s); 3% sent back\n"
    "from review and resubmitted 1-3 days later, 0.5% refused by the police at approval; the\n"
    "17:00 dispatch batch, each envelope scanned in by the mail centre; EMS delivers 1 day\n"
    "(65%) or 2 days later, 3% of first attempts fail.\n";

static bool parse_number(const char *s, unsigned long long max, unsigned long long *ret)
{
    if (!*s || strlen(s) > 20)
        return false;
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *ret = v;
    return true;
}

/* Remove the temporary directory `dir` made for the run: its files and its documents/. */
static void remove_tmp(const char *dir)
{
    static const char *const names[] = {"sim.db", "sim.db-wal", "sim.db-shm", "sim.db-journal"};
    char path[512];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/documents", dir);
    rmdir(path);
    rmdir(dir);
}

int jy_cmd_simulate(int argc, char **argv)
{
    const char *const u = jy_cmd_simulate_usage;
    char q[JY_CLI_QUOTE_SIZE];
    struct jy_sim_config cfg;
    jy_sim_config_default(&cfg);
    const char *db = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool takes_value = strcmp(a, "--days") == 0 || strcmp(a, "--seed") == 0 ||
                           strcmp(a, "--start") == 0 || strcmp(a, "--operators") == 0 ||
                           strcmp(a, "--rate") == 0 || strcmp(a, "--db") == 0 ||
                           strcmp(a, "--commit-every") == 0;
        if (!takes_value) {
            if (strcmp(a, "--json") == 0) {
                json = true;
                continue;
            }
            return jy_cli_usage_error("simulate", u, "unexpected argument '%s'",
                                      jy_cli_quote(a, q));
        }
        if (i + 1 >= argc)
            return jy_cli_usage_error("simulate", u, "%s needs a value", a);
        const char *v = argv[++i];
        unsigned long long n;
        struct jy_error err;
        if (strcmp(a, "--days") == 0) {
            if (!parse_number(v, JY_SIM_MAX_DAYS, &n) || n < 1)
                return jy_cli_usage_error("simulate", u, "--days must be 1..%d, not '%s'",
                                          JY_SIM_MAX_DAYS, jy_cli_quote(v, q));
            cfg.days = (int)n;
        } else if (strcmp(a, "--seed") == 0) {
            if (!parse_number(v, UINT64_MAX, &n))
                return jy_cli_usage_error("simulate", u, "--seed must be a whole number, not '%s'",
                                          jy_cli_quote(v, q));
            cfg.seed = n;
        } else if (strcmp(a, "--rate") == 0) {
            if (!parse_number(v, JY_SIM_MAX_RATE, &n) || n < 1)
                return jy_cli_usage_error("simulate", u, "--rate must be 1..%d, not '%s'",
                                          JY_SIM_MAX_RATE, jy_cli_quote(v, q));
            cfg.rate = (int)n;
        } else if (strcmp(a, "--commit-every") == 0) {
            if (!parse_number(v, 1440, &n) || n < 1)
                return jy_cli_usage_error("simulate", u,
                                          "--commit-every must be 1..1440 minutes, not '%s'",
                                          jy_cli_quote(v, q));
            cfg.commit_minutes = (int)n;
        } else if (strcmp(a, "--start") == 0) {
            if (strlen(v) != 10 || jy_date_parse(v, 10, &cfg.start, &err) != JY_OK)
                return jy_cli_usage_error("simulate", u,
                                          "--start must be a date YYYY-MM-DD, not "
                                          "'%s'",
                                          jy_cli_quote(v, q));
        } else if (strcmp(a, "--operators") == 0) {
            if (jy_sim_operators_parse(v, &cfg, &err) != JY_OK)
                return jy_cli_usage_error("simulate", u, "--operators: %s", err.message);
        } else {
            db = v;
        }
    }

    char dir[256] = "";
    char path[512];
    if (!db) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/jingyou-sim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "jingyou simulate: cannot make a temporary directory: %s\n",
                    strerror(errno));
            return JY_EXIT_FAIL;
        }
        snprintf(path, sizeof(path), "%s/sim.db", dir);
        db = path;
    }

    int rc = JY_EXIT_FAIL;
    struct jy_error err;
    struct jy_service *svc = NULL;
    struct jy_sim_report *rep = NULL;
    struct jy_service_config sc = {.db_path = db, .demo = true};
    if (jy_service_open(&sc, &svc, &err) != JY_OK) {
        fprintf(stderr, "jingyou simulate: ");
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        goto out;
    }
    /* The days simulated, and the due dates and vans after them, need the calendar. */
    int first = cfg.start.year;
    int last = jy_date_from_days(jy_date_to_days(cfg.start) + cfg.days + 20).year;
    for (int y = first; y <= last; y++) {
        if (!jy_calendar_covers_year(jy_service_calendar(svc), y)) {
            rc = jy_cli_usage_error("simulate", u,
                                    "the calendar has no holiday data for %d: choose --start "
                                    "and --days within the calendar (2025-2026), leaving 20 "
                                    "days after the run",
                                    y);
            goto out;
        }
    }
    char hash[128];
    if (jy_auth_hash_password(JY_DEMO_PASSWORD, hash, &err) != JY_OK ||
        jy_sim_prepare(svc, &cfg, hash, &err) != JY_OK) {
        fprintf(stderr, "jingyou simulate: preparing the city: ");
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        goto out;
    }
    cfg.quiet = json;
    if (jy_sim_run(svc, &cfg, &rep, &err) != JY_OK) {
        fprintf(stderr, "jingyou simulate: ");
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        goto out;
    }
    if (json) {
        json_t *j = jy_sim_report_json(rep);
        if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
            json_decref(j);
            fprintf(stderr, "jingyou simulate: cannot write the report\n");
            goto out;
        }
        json_decref(j);
        fputc('\n', stdout);
    } else {
        jy_sim_report_print(rep, stdout);
    }
    rc = JY_EXIT_OK;
out:
    jy_sim_report_free(rep);
    jy_service_close(svc);
    if (dir[0])
        remove_tmp(dir);
    return rc;
}

int jy_cli_demo_week(struct jy_service *svc, struct jy_error *err)
{
    struct jy_store_conn *conn;
    int64_t users = 0;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e == JY_OK)
        e = jy_store_user_count(conn, &users, err);
    if (e != JY_OK || users > 0)
        return e;
    if ((e = jy_demo_seed(svc, err)) != JY_OK)
        return e;
    struct jy_sim_config cfg;
    jy_sim_config_default(&cfg);
    cfg.days = 7;
    cfg.quiet = true;
    cfg.start = jy_date_from_days(jy_date_to_days(jy_date_from_unix_shanghai(jy_service_now(svc))) -
                                  cfg.days);
    char hash[128];
    struct jy_sim_report *rep = NULL;
    fprintf(stderr, "jingyou serve: simulating the demo city's last week…\n");
    if ((e = jy_auth_hash_password(JY_DEMO_PASSWORD, hash, err)) != JY_OK ||
        (e = jy_sim_prepare(svc, &cfg, hash, err)) != JY_OK ||
        (e = jy_sim_run(svc, &cfg, &rep, err)) != JY_OK) {
        jy_service_set_clock(svc, 0);
        return e;
    }
    jy_service_set_clock(svc, 0);
    json_t *j = jy_sim_report_json(rep);
    json_t *o = j ? json_object_get(j, "overall") : NULL;
    fprintf(stderr, "jingyou serve: a simulated week: %lld accepted, %lld completed, %.1f s\n",
            (long long)json_integer_value(json_object_get(o, "accepted")),
            (long long)json_integer_value(json_object_get(o, "completed")),
            json_real_value(json_object_get(json_object_get(j, "run"), "seconds")));
    json_decref(j);
    jy_sim_report_free(rep);
    return JY_OK;
}
