/*
 * cli.h — the subcommands of the `jingyou` program.
 *
 * Each subcommand is one function `int jy_cmd_<name>(int argc, char **argv)` in its own file,
 * registered in the table of main.c. `argv[0]` is the subcommand's name. Exit codes: 0 success,
 * 1 the answer is "no" or the operation failed, 2 a usage error.
 */
#ifndef JY_CLI_H
#define JY_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "limits.h"

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
int jy_cmd_init(int argc, char **argv);
int jy_cmd_simulate(int argc, char **argv);
int jy_cmd_s10(int argc, char **argv);
int jy_cmd_report(int argc, char **argv);

extern const char jy_cmd_check_usage[];
extern const char jy_cmd_calendar_usage[];
extern const char jy_cmd_audit_usage[];
extern const char jy_cmd_serve_usage[];
extern const char jy_cmd_user_usage[];
extern const char jy_cmd_init_usage[];
extern const char jy_cmd_simulate_usage[];
extern const char jy_cmd_s10_usage[];

/* cmd_import.c: `jingyou import decisions|tracking FILE`, handing each kind to its command;
 * the usage covers both */
int jy_cmd_import(int argc, char **argv);
extern const char jy_cmd_import_usage[];
extern const char jy_cmd_report_usage[];

/* cmd_fines.c: `jingyou import decisions FILE`, `jingyou settle YYYY-MM-DD` */
int jy_cmd_import_decisions(int argc, char **argv);
int jy_cmd_settle(int argc, char **argv);
extern const char jy_cmd_settle_usage[];

/* cmd_import.c: `jingyou import tracking FILE` */
int jy_cmd_import_tracking(int argc, char **argv);

/* Make sure the receipt signing key pair exists (creating it when missing, never overwriting):
 * in `keys` (borrowed; NULL: keys/ beside database `db`, NULL for the default database), whose
 * parent directories are made (mode 0700) when missing. `ret` (`size` bytes) gets the key
 * directory, `*created` (may be NULL) whether a new pair was made. Returns an exit code; the
 * message of a failure is on stderr. */
int jy_cli_prepare_keys(const char *db, const char *keys, char *ret, size_t size, bool *created);

/* Read the whole of file `path` into a new NUL-terminated buffer (caller frees), refusing files
 * larger than `max` bytes. Returns NULL with a message on stderr on failure. */
char *jy_cli_read_file(const char *path, size_t max, size_t *ret_len);

/* Size of the buffer jy_cli_quote() writes: every byte of the quoted part escaped as \xNN,
 * then "…" and the NUL. */
#define JY_CLI_QUOTE_SIZE (4 * JY_CLI_ECHO_MAX_BYTES + 4)

/*
 * A command-line argument `arg` (borrowed, NUL-terminated) made safe to show on a terminal, in
 * `buf` (caller-owned), which is returned. Control characters (C0, DEL, C1) and bytes that are
 * not well-formed UTF-8 are written as \xNN, one per byte; everything else is copied. Only the
 * first JY_CLI_ECHO_MAX_BYTES bytes of `arg` are shown (never cutting a character in two); a
 * longer argument ends in "…". NULL is shown as "".
 */
const char *jy_cli_quote(const char *arg, char buf[JY_CLI_QUOTE_SIZE]);

/* Write `text` (borrowed, NUL-terminated; a message that may quote paths or values given by a
 * person) to `out` with control characters and invalid UTF-8 escaped as in jy_cli_quote(), but
 * not cut. */
void jy_cli_fputs_safe(const char *text, FILE *out);

/*
 * Report a usage error of subcommand `cmd` ("check"): "jingyou CMD: MESSAGE" on stderr, where
 * MESSAGE is printf-style `fmt` (quote every argument through jy_cli_quote()), then the blank
 * line and `usage`. Returns JY_EXIT_USAGE, so that a command can `return jy_cli_usage_error(…)`.
 */
int jy_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `serve --demo=week`: on an empty database, the demo city (jy_demo_seed), then the seven days
 * before today (the service's clock) simulated through the use cases (src/sim), each day's
 * progress on stderr; the clock runs again afterwards. Nothing when the database already has
 * users. Errors: those of the demo and the simulator (JY_NO_DATA when the calendar does not
 * cover the week). Defined in cmd_simulate.c. */
struct jy_service;
struct jy_error;
int jy_cli_demo_week(struct jy_service *svc, struct jy_error *err);

#endif /* JY_CLI_H */
