/*
 * cmd_calendar.c — `jingyou calendar`: the official working-day calendar from the command line.
 *
 *   jingyou calendar due YYYY-MM-DD N [--holidays FILE | --db DB]   the N-th working day after
 *   jingyou calendar day YYYY-MM-DD [--holidays FILE | --db DB]     whether it is a working day
 *   jingyou calendar import FILE [--db DB] [--source TEXT] [--replace]   load a year's notice
 *   jingyou calendar list [--db DB] [--clock T]                         the years covered
 *
 * The calendar is data/holidays.csv as built into the binary, or FILE when given, or the one in
 * force for database DB (built in, with the years loaded into it: service/calendar.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/timestamp.h"
#include "limits.h"
#include "service/calendar.h"
#include "service/service.h"
#include "store/store.h"
#include "../banned.h"

extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

const char jy_cmd_calendar_usage[] =
    "usage: jingyou calendar due YYYY-MM-DD N [--holidays FILE | --db PATH]\n"
    "       jingyou calendar day YYYY-MM-DD [--holidays FILE | --db PATH]\n"
    "       jingyou calendar import FILE [--db PATH] [--source TEXT] [--replace]\n"
    "       jingyou calendar list [--db PATH] [--clock YYYY-MM-DDTHH:MM:SSZ]\n"
    "\n"
    "due  prints the N-th working day after the date (the date itself does not count),\n"
    "     as YYYY-MM-DD. Working days are Monday to Friday plus the official make-up days,\n"
    "     minus the official holidays (data/holidays.csv, from the State Council notices).\n"
    "day  prints 'working' or 'rest'. With --db they use the calendar in force for that\n"
    "     database: the built-in one with the years loaded into it.\n"
    "import  loads the year(s) of FILE (the same CSV: date,kind,name with a YYYY-01-01,year,YYYY\n"
    "     row per year) into the database, after checking the whole file; a year that is\n"
    "     built in or already loaded is only loaded again with --replace. --source names the\n"
    "     notice (国办发明电〔…〕). A server already running on the database takes it in\n"
    "     at its next start (or its next load through the admin page); the admin page\n"
    "     (PUT /api/v1/calendar/YEAR) loads into a running server at once.\n"
    "list  prints each year covered (built in or loaded, by whom, when, from which notice),\n"
    "     the last covered day and, within 45 days of it, the warning.\n"
    "Exit 1 with a message naming the year when the calendar has no data for a year it needs;\n"
    "exit 2 on a usage error.\n";

static struct jy_calendar *load_calendar(const char *path)
{
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    char *text = NULL;
    size_t len = 0;
    if (path) {
        text = jy_cli_read_file(path, JY_CALENDAR_MAX_BYTES, &len);
        if (!text)
            return NULL;
    }
    enum jy_err rc = path ? jy_calendar_load_csv(text, len, &cal, &err)
                          : jy_calendar_load_csv((const char *)jy_data_holidays_csv,
                                                 jy_data_holidays_csv_len, &cal, &err);
    free(text);
    if (rc != JY_OK) {
        char q[JY_CLI_QUOTE_SIZE];
        fprintf(stderr,
                "jingyou calendar: %s: ", path ? jy_cli_quote(path, q) : "built-in holidays.csv");
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return NULL;
    }
    return cal;
}

/* Open the service on the existing database `db`: a mistyped path is an error, never a new
 * empty database that a load would then go into unseen. */
static struct jy_service *open_service(const char *db, int64_t clock)
{
    if (!db)
        db = JY_STORE_DEFAULT_PATH;
    struct stat st;
    if (stat(db, &st) != 0 || !S_ISREG(st.st_mode)) {
        fputs("jingyou calendar: no database at ", stderr);
        jy_cli_fputs_safe(db, stderr);
        fputs(" (jingyou init creates one)\n", stderr);
        return NULL;
    }
    struct jy_service_config cfg = {.db_path = db, .clock_start = clock};
    struct jy_service *svc = NULL;
    struct jy_error err;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        fputs("jingyou calendar: ", stderr);
        jy_cli_fputs_safe(db, stderr);
        fputs(": ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return NULL;
    }
    return svc;
}

/* `calendar import FILE [--db DB] [--source TEXT] [--replace]` */
static int cmd_import(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_calendar_usage;
    const char *file = NULL, *db = NULL, *source = NULL;
    bool replace = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc)
            source = argv[++i];
        else if (strcmp(argv[i], "--replace") == 0)
            replace = true;
        else if (argv[i][0] == '-' || file)
            return jy_cli_usage_error("calendar", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        else
            file = argv[i];
    }
    if (!file)
        return jy_cli_usage_error("calendar", u, "import needs the FILE to load");
    size_t len = 0;
    char *text = jy_cli_read_file(file, JY_CALENDAR_MAX_BYTES, &len);
    if (!text)
        return JY_EXIT_FAIL;
    struct jy_service *svc = open_service(db, 0);
    if (!svc) {
        free(text);
        return JY_EXIT_FAIL;
    }
    struct jy_actor system = jy_actor_system();
    struct jy_calendar_import_result r;
    struct jy_error err;
    int status = JY_EXIT_FAIL;
    if (jy_calendar_years_import(svc, &system, text, len, 0, source, replace, &r, &err) != JY_OK) {
        fprintf(stderr, "jingyou calendar: %s: ", jy_cli_quote(file, q));
        jy_cli_fputs_safe(err.message, stderr);
        fprintf(stderr, " (%s%s%s)\n", err.reason, err.field[0] ? ", " : "", err.field);
    } else {
        printf("calendar: loaded");
        for (int i = 0; i < r.nyears; i++)
            printf(" %d", r.years[i]);
        printf(" (%lld days%s)\n", (long long)r.days, r.replaced ? ", replacing" : "");
        status = JY_EXIT_OK;
    }
    jy_service_close(svc);
    free(text);
    return status;
}

static bool print_year(void *ctx, const struct jy_calendar_year_info *info)
{
    (void)ctx;
    printf("%d  %-8s %3lld days", info->year, info->loaded ? "loaded" : "built-in",
           (long long)info->days);
    if (info->loaded) {
        char t[JY_TIMESTAMP_TEXT_SIZE];
        printf("  by %s at %s", info->load.loaded_by_name,
               jy_timestamp_format(info->load.loaded_at, t));
        if (info->load.source[0]) {
            fputs("  from ", stdout);
            jy_cli_fputs_safe(info->load.source, stdout);
        }
    }
    putchar('\n');
    return true;
}

/* `calendar list [--db DB] [--clock T]` */
static int cmd_list(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_calendar_usage;
    const char *db = NULL;
    int64_t clock = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--clock") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (jy_timestamp_parse(v, strlen(v), &clock, NULL) != JY_OK || clock == 0)
                return jy_cli_usage_error("calendar", u, "--clock takes a UTC time, not '%s'",
                                          jy_cli_quote(v, q));
        } else {
            return jy_cli_usage_error("calendar", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        }
    }
    struct jy_service *svc = open_service(db, clock);
    if (!svc)
        return JY_EXIT_FAIL;
    struct jy_error err;
    int status = JY_EXIT_OK;
    if (jy_calendar_years_list(svc, print_year, NULL, &err) != JY_OK) {
        fputs("jingyou calendar: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        status = JY_EXIT_FAIL;
    } else {
        struct jy_calendar_status st;
        jy_calendar_years_status(svc, &st);
        char d[JY_DATE_TEXT_SIZE], w[512];
        if (st.covered)
            printf("covered until %s (%d days from %s)\n", jy_date_format(st.covered_until, d),
                   st.days_left, jy_date_format(st.today, w));
        if (st.warn)
            printf("warning: %s\n", jy_calendar_years_warning(&st, w, sizeof(w)));
    }
    jy_service_close(svc);
    return status;
}

static bool parse_date_arg(const char *s, struct jy_date *ret)
{
    struct jy_error err;
    if (jy_date_parse(s, strlen(s), ret, &err) != JY_OK) {
        char q[JY_CLI_QUOTE_SIZE];
        fprintf(stderr, "jingyou calendar: '%s': ", jy_cli_quote(s, q));
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return false;
    }
    return true;
}

int jy_cmd_calendar(int argc, char **argv)
{
    const char *args[3] = {NULL, NULL, NULL};
    const char *holidays = NULL, *db = NULL;
    int nargs = 0;
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_calendar_usage;
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return cmd_import(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cmd_list(argc, argv);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--holidays") == 0) {
            if (i + 1 >= argc)
                return jy_cli_usage_error("calendar", u, "--holidays needs a file");
            holidays = argv[++i];
        } else if (nargs < 3) {
            args[nargs++] = argv[i];
        } else {
            return jy_cli_usage_error("calendar", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        }
    }
    if (nargs == 0)
        return jy_cli_usage_error("calendar", u, "missing the subcommand: due or day");
    bool due = strcmp(args[0], "due") == 0;
    if (!due && strcmp(args[0], "day") != 0)
        return jy_cli_usage_error("calendar", u, "unknown subcommand '%s'; use due or day",
                                  jy_cli_quote(args[0], q));
    if (nargs < 2)
        return jy_cli_usage_error("calendar", u, "%s needs a date YYYY-MM-DD", args[0]);

    struct jy_date date;
    long n = 0;
    if (due) {
        if (nargs != 3)
            return jy_cli_usage_error("calendar", u, "due needs a number N after the date");
        char *end = NULL;
        errno = 0;
        n = strtol(args[2], &end, 10);
        if (errno || !end || *end || end == args[2] || n < 0 || n > JY_CALENDAR_MAX_WORKING_DAYS) {
            fprintf(stderr, "jingyou calendar: N must be a whole number from 0 to %d, not '%s'\n",
                    JY_CALENDAR_MAX_WORKING_DAYS, jy_cli_quote(args[2], q));
            return JY_EXIT_USAGE;
        }
    } else if (nargs != 2) {
        return jy_cli_usage_error("calendar", u, "unexpected argument '%s'",
                                  jy_cli_quote(args[2], q));
    }
    if (!parse_date_arg(args[1], &date))
        return JY_EXIT_USAGE;

    if (db && holidays)
        return jy_cli_usage_error("calendar", u, "--holidays and --db cannot go together");
    struct jy_service *svc = NULL;
    struct jy_calendar *own = NULL;
    const struct jy_calendar *cal = NULL;
    if (db) {
        if (!(svc = open_service(db, 0)))
            return JY_EXIT_FAIL;
        cal = jy_service_calendar(svc);
    } else {
        if (!(own = load_calendar(holidays)))
            return JY_EXIT_FAIL;
        cal = own;
    }
    struct jy_error err;
    int rc = JY_EXIT_OK;
    if (due) {
        struct jy_date due_date;
        if (jy_calendar_due_date(cal, date, (int)n, &due_date, &err) != JY_OK) {
            fprintf(stderr, "jingyou calendar: %s\n", err.message);
            rc = JY_EXIT_FAIL;
        } else {
            char buf[JY_DATE_TEXT_SIZE];
            puts(jy_date_format(due_date, buf));
        }
    } else {
        bool working = false;
        if (jy_calendar_is_working_day(cal, date, &working, &err) != JY_OK) {
            fprintf(stderr, "jingyou calendar: %s\n", err.message);
            rc = JY_EXIT_FAIL;
        } else {
            puts(working ? "working" : "rest");
        }
    }
    jy_calendar_free(own);
    jy_service_close(svc);
    return rc;
}
