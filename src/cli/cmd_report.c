/*
 * cmd_report.c — `jingyou report daily YYYY-MM-DD [--db PATH] [--clock TIME]`: the day's
 * report as plain text, Chinese headings with English, for a cron mail (service/dashboard.h).
 *
 * The database must exist (a mistyped path is an error, never a new empty database); an older
 * schema is brought up to date as `serve` would. Exit 0 with the report on stdout; 1 when the
 * database cannot be read; 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "../core/date.h"
#include "../core/timestamp.h"
#include "../service/dashboard.h"
#include "../service/service.h"
#include "../store/store.h"
#include "../banned.h"

const char jy_cmd_report_usage[] =
    "usage: jingyou report daily YYYY-MM-DD [--db PATH] [--clock TIME]\n"
    "\n"
    "Print the day's report (Asia/Shanghai day) from the database (default " JY_STORE_DEFAULT_PATH
    "):\n"
    "the applications accepted that day by business type and by branch (completed, returned\n"
    "for correction, refused, first-time-right, turnaround P50/P90 in working days), the\n"
    "centre's work that day by station with the backlog now, and the returns and refusals by\n"
    "reason. Plain UTF-8 text with Chinese headings and English, for a cron mail:\n"
    "  0 18 * * *  jingyou report daily $(date +\\%F) --db /srv/jingyou/jingyou.db | mail …\n"
    "  --clock TIME   judge 'now' (overdue, due today) at TIME, UTC 2026-11-30T10:00:00Z\n";

int jy_cmd_report(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_report_usage;
    if (argc < 2)
        return jy_cli_usage_error("report", u, "missing the subcommand: daily");
    if (strcmp(argv[1], "daily") != 0)
        return jy_cli_usage_error("report", u, "unknown subcommand '%s'; the only one is daily",
                                  jy_cli_quote(argv[1], q));
    const char *path = JY_STORE_DEFAULT_PATH, *day_text = NULL;
    int64_t clock = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--db") == 0 || strcmp(a, "--clock") == 0) && i + 1 >= argc)
            return jy_cli_usage_error("report", u, "%s needs a value", a);
        if (strcmp(a, "--db") == 0) {
            path = argv[++i];
        } else if (strcmp(a, "--clock") == 0) {
            const char *v = argv[++i];
            if (jy_timestamp_parse(v, strlen(v), &clock, NULL) != JY_OK || clock <= 0)
                return jy_cli_usage_error("report", u,
                                          "--clock takes a UTC time like 2026-11-30T10:00:00Z");
        } else if (!day_text && a[0] != '-') {
            day_text = a;
        } else {
            return jy_cli_usage_error("report", u, "unexpected argument '%s'", jy_cli_quote(a, q));
        }
    }
    struct jy_date day;
    if (!day_text)
        return jy_cli_usage_error("report", u, "missing the day YYYY-MM-DD");
    if (strlen(day_text) != 10 || jy_date_parse(day_text, 10, &day, NULL) != JY_OK)
        return jy_cli_usage_error("report", u, "'%s' is not a date YYYY-MM-DD",
                                  jy_cli_quote(day_text, q));
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        fputs("jingyou report: no database at ", stderr);
        jy_cli_fputs_safe(path, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    struct jy_service_config cfg = {.db_path = path, .clock_start = clock};
    struct jy_service *svc = NULL;
    struct jy_error err;
    jy_error_clear(&err);
    char *text = NULL;
    int status = JY_EXIT_FAIL;
    if (jy_service_open(&cfg, &svc, &err) == JY_OK &&
        jy_report_daily_text(svc, day, &text, &err) == JY_OK) {
        fputs(text, stdout);
        status = JY_EXIT_OK;
    } else {
        fputs("jingyou report: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
    }
    free(text);
    jy_service_close(svc);
    return status;
}
