/*
 * cmd_calendar.c — `jingyou calendar`: the official working-day calendar from the command line.
 *
 *   jingyou calendar due YYYY-MM-DD N [--holidays FILE]   the N-th working day after the date
 *   jingyou calendar day YYYY-MM-DD [--holidays FILE]     whether the date is a working day
 *
 * The calendar is data/holidays.csv as built into the binary, or FILE when given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "limits.h"
#include "../banned.h"

extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

const char jy_cmd_calendar_usage[] =
    "usage: jingyou calendar due YYYY-MM-DD N [--holidays FILE]\n"
    "       jingyou calendar day YYYY-MM-DD [--holidays FILE]\n"
    "\n"
    "due  prints the N-th working day after the date (the date itself does not count),\n"
    "     as YYYY-MM-DD. Working days are Monday to Friday plus the official make-up days,\n"
    "     minus the official holidays (data/holidays.csv, from the State Council notices).\n"
    "day  prints 'working' or 'rest'.\n"
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
    const char *holidays = NULL;
    int nargs = 0;
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_calendar_usage;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--holidays") == 0) {
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

    struct jy_calendar *cal = load_calendar(holidays);
    if (!cal)
        return JY_EXIT_FAIL;
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
    jy_calendar_free(cal);
    return rc;
}
