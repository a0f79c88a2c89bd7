/*
 * cmd_user.c — `jingyou user`: manage logins from the command line.
 *
 * Passwords are read from the first line of standard input, never from the command line (where
 * other users of the machine could read them in the process list).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "limits.h"
#include "service/auth.h"
#include "service/service.h"
#include "../banned.h"

const char jy_cmd_user_usage[] =
    "usage: jingyou user add USERNAME --role ROLE [--branch CODE] [--stations LIST]\n"
    "                        [--name NAME] [--db PATH]\n"
    "       jingyou user passwd USERNAME [--db PATH]\n"
    "       jingyou user disable USERNAME [--db PATH]\n"
    "       jingyou user enable USERNAME [--db PATH]\n"
    "\n"
    "ROLE: clerk (needs --branch), operator (needs --stations, e.g. review,approval),\n"
    "      supervisor, logistics, manager, admin.\n"
    "add and passwd read the password from the first line of standard input, e.g.\n"
    "  printf '%s\\n' \"$PASSWORD\" | jingyou user add wangmin --role clerk --branch WH001\n"
    "Exit 0 on success, 1 when the change is refused, 2 on a usage error.\n";

static bool read_password(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

int jy_cmd_user(int argc, char **argv)
{
    const char *const usage = jy_cmd_user_usage;
    char q[JY_CLI_QUOTE_SIZE];
    if (argc < 2)
        return jy_cli_usage_error("user", usage,
                                  "missing the subcommand: add, passwd, disable or "
                                  "enable");
    if (argc < 3)
        return jy_cli_usage_error("user", usage, "missing the USERNAME");
    const char *verb = argv[1], *username = argv[2];
    const char *role = NULL, *branch = NULL, *stations = NULL, *name = NULL, *db = NULL;
    for (int i = 3; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (strcmp(argv[i], "--role") == 0)
            slot = &role;
        else if (strcmp(argv[i], "--branch") == 0)
            slot = &branch;
        else if (strcmp(argv[i], "--stations") == 0)
            slot = &stations;
        else if (strcmp(argv[i], "--name") == 0)
            slot = &name;
        else if (strcmp(argv[i], "--db") == 0)
            slot = &db;
        if (!slot)
            return jy_cli_usage_error("user", usage, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        if (!v)
            return jy_cli_usage_error("user", usage, "%s needs a value", argv[i]);
        *slot = v;
    }
    bool add = strcmp(verb, "add") == 0, passwd = strcmp(verb, "passwd") == 0;
    bool disable = strcmp(verb, "disable") == 0, enable = strcmp(verb, "enable") == 0;
    if (!add && !passwd && !disable && !enable)
        return jy_cli_usage_error("user", usage, "unknown subcommand '%s'", jy_cli_quote(verb, q));
    if (!add && (role || branch || stations || name))
        return jy_cli_usage_error("user", usage,
                                  "--role, --branch, --stations and --name go with "
                                  "add only");
    enum jy_role r = JY_ROLE_ADMIN;
    if (add && (!role || !jy_role_parse(role, &r))) {
        fprintf(stderr, "jingyou user: --role must be one of clerk, operator, supervisor, "
                        "logistics, manager, admin\n");
        return JY_EXIT_USAGE;
    }
    char password[JY_PASSWORD_MAX_BYTES + 2] = "";
    if ((add || passwd) && !read_password(password, sizeof(password))) {
        fputs("jingyou user: give the password on the first line of standard input\n", stderr);
        return JY_EXIT_USAGE;
    }

    struct jy_error err;
    jy_error_clear(&err);
    struct jy_service_config cfg = {.db_path = db};
    struct jy_service *svc = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        /* The message may quote the database path. */
        fputs("jingyou user: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    enum jy_err e;
    if (add) {
        struct jy_auth_new_user u = {.username = username,
                                     .display_name = name,
                                     .role = r,
                                     .branch_code = branch,
                                     .stations = stations,
                                     .password = password};
        e = jy_auth_user_add(svc, &u, NULL, &err);
    } else if (passwd) {
        e = jy_auth_user_passwd(svc, username, password, &err);
    } else {
        e = jy_auth_user_disable(svc, username, disable, &err);
    }
    explicit_bzero(password, sizeof(password));
    jy_service_close(svc);
    if (e != JY_OK) {
        fprintf(stderr, "jingyou user %s: %s%s", verb, err.field[0] ? err.field : "",
                err.field[0] ? ": " : "");
        jy_cli_fputs_safe(err.message, stderr); /* it may quote the username */
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    printf("user %s: %s\n", jy_cli_quote(username, q),
           add       ? "added"
           : passwd  ? "password set"
           : disable ? "disabled"
                     : "enabled");
    return JY_EXIT_OK;
}
