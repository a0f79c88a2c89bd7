/*
 * main.c — the `jingyou` program: global options and the table of subcommands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../banned.h"

#ifndef JY_VERSION
#define JY_VERSION "0.0.0"
#endif

static const struct jy_command commands[] = {
    {"check", jy_cmd_check, "validate an identifier by its standard", jy_cmd_check_usage},
    {"calendar", jy_cmd_calendar, "working days and due dates on the official calendar",
     jy_cmd_calendar_usage},
    {"serve", jy_cmd_serve, "serve the API and pages over HTTP", jy_cmd_serve_usage},
    {"user", jy_cmd_user, "add users, set passwords, disable accounts", jy_cmd_user_usage},
    {"audit", jy_cmd_audit, "verify the hash chain of the event log", jy_cmd_audit_usage},
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
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "jingyou: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        fprintf(stderr, "jingyou: out of memory reading %s\n", path);
        return NULL;
    }
    size_t n = fread(buf, 1, max + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "jingyou: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    if (n > max) {
        fprintf(stderr, "jingyou: %s is larger than %zu bytes\n", path, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *ret_len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return JY_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        print_help(stdout);
        return JY_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("jingyou %s\n", JY_VERSION);
        return JY_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            print_help(stdout);
            return JY_EXIT_OK;
        }
        const struct jy_command *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "jingyou: no command '%s'\n", argv[2]);
            return JY_EXIT_USAGE;
        }
        fputs(c->usage, stdout);
        return JY_EXIT_OK;
    }
    const struct jy_command *c = find_command(cmd);
    if (!c) {
        fprintf(stderr, "jingyou: no command '%s'; see jingyou --help\n", cmd);
        return JY_EXIT_USAGE;
    }
    if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
        fputs(c->usage, stdout);
        return JY_EXIT_OK;
    }
    return c->run(argc - 1, argv + 1);
}
