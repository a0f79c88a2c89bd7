/*
 * cmd_check.c — `jingyou check KIND VALUE`: validate one identifier and print one JSON line.
 */
#include "cli.h"

const char jy_cmd_check_usage[] = "usage: jingyou check KIND VALUE [--type CODE]\n"
                                  "KIND: idcard plate vin s10 uscc mobile appno\n";

int jy_cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs(jy_cmd_check_usage, stderr);
    return JY_EXIT_USAGE;
}
