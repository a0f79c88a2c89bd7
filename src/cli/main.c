/*
 * main.c — the `jingyou` program: global options, the table of subcommands, and the helpers the
 * subcommands share (reading a file, quoting arguments in messages, usage errors).
 *
 * Whatever a command prints goes through stdio's buffer; main() flushes and closes standard
 * output itself and fails (exit 1, a message on stderr) when that write fails, so that
 * `jingyou check … > /dev/full` or a full disk is never reported as success.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/ident.h"
#include "../banned.h"

#ifndef JY_VERSION
#define JY_VERSION "0.0.0"
#endif

static const struct jy_command commands[] = {
    {"check", jy_cmd_check, "validate an identifier by its standard", jy_cmd_check_usage},
    {"calendar", jy_cmd_calendar, "working days and due dates on the official calendar",
     jy_cmd_calendar_usage},
    {"init", jy_cmd_init, "create the database and the receipt signing key", jy_cmd_init_usage},
    {"serve", jy_cmd_serve, "serve the API and pages over HTTP", jy_cmd_serve_usage},
    {"user", jy_cmd_user, "add users, set passwords, disable accounts", jy_cmd_user_usage},
    {"audit", jy_cmd_audit, "verify the hash chain of the event log", jy_cmd_audit_usage},
    {"simulate", jy_cmd_simulate, "simulate the city: capacity, SLA and bottlenecks",
     jy_cmd_simulate_usage},
    {"s10", jy_cmd_s10, "EMS item-number ranges: add one, list them", jy_cmd_s10_usage},
    {"import", jy_cmd_import, "import the police's penalty decisions or a carrier's tracking file",
     jy_cmd_import_usage},
    {"settle", jy_cmd_settle, "the day's fine settlement file and its reconciliation",
     jy_cmd_settle_usage},
    {"report", jy_cmd_report, "print the day's report for a mail", jy_cmd_report_usage},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *out)
{
    fprintf(out,
            "jingyou %s — police–post service platform (警邮)\n\n"
            "usage: jingyou [--help] [--version] COMMAND [ARGS]\n\ncommands:\n",
            JY_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "help", "show the usage of one command: jingyou help COMMAND");
}

static const struct jy_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

char *jy_cli_read_file(const char *path, size_t max, size_t *ret_len)
{
    char q[JY_CLI_QUOTE_SIZE];
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "jingyou: cannot open %s: %s\n", jy_cli_quote(path, q), strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        fprintf(stderr, "jingyou: out of memory reading %s\n", jy_cli_quote(path, q));
        return NULL;
    }
    size_t n = fread(buf, 1, max + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "jingyou: cannot read %s\n", jy_cli_quote(path, q));
        free(buf);
        return NULL;
    }
    if (n > max) {
        fprintf(stderr, "jingyou: %s is larger than %zu bytes\n", jy_cli_quote(path, q), max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *ret_len = n;
    return buf;
}

/* True for a code point that a terminal may take as a command: C0 controls, DEL, C1 controls. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* Append to `buf` (room for 4 * `max` + 4 bytes) the first `max` bytes of `s` (`len` bytes),
 * escaped; returns the number of bytes of `s` consumed. */
static size_t escape(const char *s, size_t len, size_t max, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = jy_ident_utf8_decode(s + i, len - i, &cp);
        size_t need = k == 0 ? 1 : k;
        if (i + need > max)
            break;
        if (k == 0 || is_control(cp)) {
            for (size_t j = 0; j < need; j++) {
                unsigned char b = (unsigned char)s[i + j];
                buf[o++] = '\\';
                buf[o++] = 'x';
                buf[o++] = hex[b >> 4];
                buf[o++] = hex[b & 15];
            }
        } else {
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += need;
    }
    buf[o] = '\0';
    return i;
}

const char *jy_cli_quote(const char *arg, char buf[JY_CLI_QUOTE_SIZE])
{
    if (!arg)
        arg = "";
    size_t len = strlen(arg);
    size_t used = escape(arg, len, JY_CLI_ECHO_MAX_BYTES, buf);
    if (used < len) {
        size_t o = strlen(buf);
        memcpy(buf + o, "…", sizeof("…"));
    }
    return buf;
}

void jy_cli_fputs_safe(const char *text, FILE *out)
{
    /* In pieces of at most 256 bytes of `text`, each escaped into `buf`. */
    char buf[4 * 256 + 4];
    size_t len = text ? strlen(text) : 0;
    for (size_t i = 0; i < len;) {
        i += escape(text + i, len - i, 256, buf);
        fputs(buf, out);
    }
}

int jy_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    fprintf(stderr, "jingyou %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", usage);
    return JY_EXIT_USAGE;
}

/* True when `arg` asks for help. */
static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Flush and close standard output. A command's answer that did not reach its destination (a
 * full disk, /dev/full, a closed pipe) is a failure: say so and exit 1, unless the command
 * failed already. A standard output that was closed before jingyou started and never written
 * to (EBADF at close) is no failure. */
static int finish(int status)
{
    errno = 0;
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (fclose(stdout) != 0 && !failed && errno != EBADF) {
        failed = true;
        saved = errno;
    }
    if (!failed)
        return status;
    fprintf(stderr, "jingyou: cannot write the output: %s\n",
            saved ? strerror(saved) : "write error");
    return status == JY_EXIT_OK ? JY_EXIT_FAIL : status;
}

/* Run the command line; main() only adds the check that the output was written. */
static int run(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return JY_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    char q[JY_CLI_QUOTE_SIZE];
    if (is_help(cmd)) {
        print_help(stdout);
        return JY_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("jingyou %s\n", JY_VERSION);
        return JY_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3 || strcmp(argv[2], "help") == 0 || is_help(argv[2])) {
            print_help(stdout);
            return JY_EXIT_OK;
        }
        if (argc > 3) {
            fprintf(stderr, "jingyou help: unexpected argument '%s'\n", jy_cli_quote(argv[3], q));
            return JY_EXIT_USAGE;
        }
        const struct jy_command *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "jingyou: no command '%s'; see jingyou --help\n",
                    jy_cli_quote(argv[2], q));
            return JY_EXIT_USAGE;
        }
        fputs(c->usage, stdout);
        return JY_EXIT_OK;
    }
    const struct jy_command *c = find_command(cmd);
    if (!c) {
        fprintf(stderr, "jingyou: no command '%s'; see jingyou --help\n", jy_cli_quote(cmd, q));
        return JY_EXIT_USAGE;
    }
    /* --help anywhere among a command's arguments shows its usage and does nothing else. */
    for (int i = 2; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(c->usage, stdout);
            return JY_EXIT_OK;
        }
    }
    return c->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    return finish(run(argc, argv));
}
