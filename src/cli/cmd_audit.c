/*
 * cmd_audit.c — `jingyou audit verify [--db PATH]`: walk the event chain of a database and say
 * whether it is intact.
 *
 * Output (stdout): "audit: N events, chain intact" and the chain's head, then, when an admin
 * has loaded calendar years, "audit: N calendar loads, chain intact" (store/calendar.h), exit 0; or
 * "audit: event ID is broken: WHY" / "audit: calendar load ID is broken: WHY", exit 1. A database
 * that cannot be opened (missing, not a jingyou database, of another schema version than this
 * program) is a message on stderr and exit 1; a usage error exit 2. The database is opened
 * read-only (jy_store_open_readonly): a mistyped path is an error, not a new empty database, and a
 * file that is not a jingyou database is left exactly as it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../store/audit.h"
#include "../store/calendar.h"
#include "../store/store.h"
#include "../banned.h"

const char jy_cmd_audit_usage[] =
    "usage: jingyou audit verify [--db PATH]\n"
    "\n"
    "Recompute the hash of every event in the database (default " JY_STORE_DEFAULT_PATH ")\n"
    "and check that each links to the one before. Prints the number of events and the head of\n"
    "the chain (keep it: it vouches for every event before it) and exits 0 when the chain is\n"
    "intact; names the first broken event and exits 1 otherwise. The database is only read,\n"
    "never changed; a file that is not a jingyou database is refused (exit 1).\n";

/* Parse `verify [--db PATH]` into *ret_path. */
static int parse_args(int argc, char **argv, const char **ret_path)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_audit_usage;
    if (argc < 2)
        return jy_cli_usage_error("audit", u, "missing the subcommand: verify");
    if (strcmp(argv[1], "verify") != 0)
        return jy_cli_usage_error("audit", u, "unknown subcommand '%s'; the only one is verify",
                                  jy_cli_quote(argv[1], q));
    const char *path = JY_STORE_DEFAULT_PATH;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return jy_cli_usage_error("audit", u, "--db needs a path");
            path = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            path = argv[i] + 5;
        } else {
            return jy_cli_usage_error("audit", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        }
    }
    *ret_path = path;
    return JY_EXIT_OK;
}

/* A failure on stderr; the message may quote the path, so it is escaped. */
static void report(const struct jy_error *err)
{
    fputs("jingyou audit: ", stderr);
    jy_cli_fputs_safe(err->message, stderr);
    fputc('\n', stderr);
}

int jy_cmd_audit(int argc, char **argv)
{
    const char *path = NULL;
    int status = parse_args(argc, argv, &path);
    if (status != JY_EXIT_OK)
        return status;

    struct jy_error err;
    jy_error_clear(&err);
    struct jy_store *store = NULL;
    struct jy_store_conn *conn = NULL;
    status = JY_EXIT_FAIL;
    if (jy_store_open_readonly(path, &store, &err) != JY_OK ||
        jy_store_conn_get(store, &conn, &err) != JY_OK) {
        report(&err);
        goto out;
    }

    int64_t checked = 0;
    int64_t broken = 0;
    enum jy_err e = jy_store_audit_verify(conn, &checked, &broken, &err);
    if (e == JY_CONFLICT && broken > 0) {
        printf("audit: event %" PRId64 " is broken: %s\n", broken, err.message);
        goto out;
    }
    if (e != JY_OK) {
        report(&err);
        goto out;
    }
    printf("audit: %" PRId64 " events, chain intact\n", checked);

    int64_t head_id = 0;
    uint8_t head[JY_AUDIT_HASH_BYTES];
    if (jy_store_audit_head(conn, &head_id, head, &err) != JY_OK) {
        report(&err);
        goto out;
    }
    if (head_id > 0) {
        char hex[2 * JY_AUDIT_HASH_BYTES + 1];
        for (size_t i = 0; i < JY_AUDIT_HASH_BYTES; i++)
            snprintf(hex + 2 * i, 3, "%02x", head[i]);
        printf("audit: head is event %" PRId64 ", sha256 %s\n", head_id, hex);
    }
    /* The chain of calendar loads (store/calendar.h). */
    e = jy_store_calendar_verify(conn, &checked, &broken, &err);
    if (e == JY_CONFLICT && broken > 0) {
        printf("audit: calendar load %" PRId64 " is broken: %s\n", broken, err.message);
        goto out;
    }
    if (e != JY_OK) {
        report(&err);
        goto out;
    }
    if (checked > 0)
        printf("audit: %" PRId64 " calendar loads, chain intact\n", checked);
    status = JY_EXIT_OK;
out:
    jy_store_close(store);
    return status;
}
