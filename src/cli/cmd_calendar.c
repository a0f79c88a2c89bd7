/*
 * cmd_calendar.c — `jingyou calendar due YYYY-MM-DD N`.
 */
#include "cli.h"

const char jy_cmd_calendar_usage[] = "usage: jingyou calendar due YYYY-MM-DD N\n";

int jy_cmd_calendar(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs(jy_cmd_calendar_usage, stderr);
    return JY_EXIT_USAGE;
}
