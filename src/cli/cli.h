/*
 * cli.h — the subcommands of the `jingyou` program.
 *
 * Each subcommand is one function `int jy_cmd_<name>(int argc, char **argv)` in its own file,
 * registered in the table of main.c. `argv[0]` is the subcommand's name. Exit codes: 0 success,
 * 1 the answer is "no" or the operation failed, 2 a usage error.
 */
#ifndef JY_CLI_H
#define JY_CLI_H

#include <stdio.h>

#define JY_EXIT_OK 0
#define JY_EXIT_FAIL 1
#define JY_EXIT_USAGE 2

struct jy_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line for `jingyou --help` */
    const char *usage;   /* the full text for `jingyou help NAME` */
};

int jy_cmd_check(int argc, char **argv);
int jy_cmd_calendar(int argc, char **argv);
int jy_cmd_audit(int argc, char **argv);
int jy_cmd_serve(int argc, char **argv);
int jy_cmd_user(int argc, char **argv);

extern const char jy_cmd_check_usage[];
extern const char jy_cmd_calendar_usage[];
extern const char jy_cmd_audit_usage[];
extern const char jy_cmd_serve_usage[];
extern const char jy_cmd_user_usage[];

/* Read the whole of file `path` into a new NUL-terminated buffer (caller frees), refusing files
 * larger than `max` bytes. Returns NULL with a message on stderr on failure. */
char *jy_cli_read_file(const char *path, size_t max, size_t *ret_len);

#endif /* JY_CLI_H */
