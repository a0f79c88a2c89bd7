/*
 * cmd_import.c — `jingyou import tracking FILE`: apply a carrier's tracking export (CSV or JSON
 * lines, src/core/tracking.h) to the database, as the tracking feed does over HTTP
 * (src/service/tracking_import.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "limits.h"
#include "service/service.h"
#include "service/tracking_import.h"
#include "../banned.h"

const char jy_cmd_import_usage[] =
    "usage: jingyou import tracking FILE [--db PATH]\n"
    "\n"
    "Apply a carrier's tracking export to the database: CSV with a header line (waybill,\n"
    "status, time, location, failure_reason; also item_number/mailno, 邮件号, 状态, 时间, 地点,\n"
    "原因) or JSON lines (one object per line with the same keys). A time without a zone is\n"
    "Beijing time. The same row twice adds nothing; rows may come in any order (a late\n"
    "\"in_transit\" after \"delivered\" is recorded but moves nothing back); rows for item\n"
    "numbers no application carries are kept and listed (GET /api/v1/shipments/unmatched).\n"
    "Bad rows are reported with their line number and reason; the good rows are applied.\n"
    "Prints one JSON object: rows, applied, duplicates, unknown (the item numbers, each once;\n"
    "the first 1000), unknown_items, unknown_rows, ignored_out_of_order, rejected, errors\n"
    "[{line, code, field, message}] (the first 1000).\n"
    "Exit status: 0 every row applied or recorded; 1 some rows were bad (the others are\n"
    "applied) or the file could not be read; 2 usage.\n"
    "  --db PATH   the SQLite database (default var/jingyou.db)\n";

static void say(const struct jy_error *err)
{
    fputs("jingyou import tracking: ", stderr);
    jy_cli_fputs_safe(err->message, stderr);
    fputc('\n', stderr);
}

static int import_tracking(const char *path, const char *db)
{
    size_t len = 0;
    char *text = jy_cli_read_file(path, JY_TRACKING_FILE_MAX_BYTES, &len);
    if (!text)
        return JY_EXIT_FAIL;
    struct jy_error err;
    jy_error_clear(&err);
    struct jy_service_config cfg = {.db_path = db};
    struct jy_service *svc = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        free(text);
        say(&err);
        return JY_EXIT_FAIL;
    }
    struct jy_actor actor = jy_actor_system();
    json_t *report = NULL;
    size_t rejected = 0;
    int rc = JY_EXIT_OK;
    if (jy_tracking_import(svc, &actor, text, len, &report, &rejected, &err) != JY_OK) {
        say(&err);
        rc = JY_EXIT_FAIL;
    } else {
        char *s = json_dumps(report, JSON_COMPACT);
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(report);
        if (rejected)
            rc = JY_EXIT_FAIL;
    }
    jy_service_close(svc);
    free(text);
    return rc;
}

int jy_cmd_import(int argc, char **argv)
{
    const char *db = NULL, *what = NULL, *file = NULL;
    char q[JY_CLI_QUOTE_SIZE];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc)
                return jy_cli_usage_error("import", jy_cmd_import_usage, "--db needs a value");
            db = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return jy_cli_usage_error("import", jy_cmd_import_usage, "unknown option '%s'",
                                      jy_cli_quote(a, q));
        } else if (!what) {
            what = a;
        } else if (!file) {
            file = a;
        } else {
            return jy_cli_usage_error("import", jy_cmd_import_usage, "unexpected argument '%s'",
                                      jy_cli_quote(a, q));
        }
    }
    if (!what || strcmp(what, "tracking") != 0)
        return jy_cli_usage_error("import", jy_cmd_import_usage,
                                  "say what to import: jingyou import tracking FILE");
    if (!file)
        return jy_cli_usage_error("import", jy_cmd_import_usage, "the tracking FILE is missing");
    return import_tracking(file, db);
}
