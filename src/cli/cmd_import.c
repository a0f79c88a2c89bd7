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
    "usage: jingyou import decisions FILE [--db PATH] [--clock YYYY-MM-DDTHH:MM:SSZ]\n"
    "\n"
    "Import the police's penalty decisions (处罚决定书) from FILE, CSV with the header\n"
    "  decision_number,plate,plate_type,licence_number,violation_code,description,fine_fen,\n"
    "  points,decision_date,payment_deadline\n"
    "into the database (default " JY_STORE_DEFAULT_PATH ", created when missing). Every row is\n"
    "checked: plate and plate type (GA 36, GA 24.7), licence number (the ID number rule), the\n"
    "violation code, the text, the fine in whole fen, the points band, the dates (the deadline\n"
    "not before the decision). Good rows are imported; each row that is not is printed with its\n"
    "line number and reason. A row already imported unchanged is skipped; a row whose number is\n"
    "stored with other values is reported as changed and never overwritten.\n"
    "Exit 0 when every row was imported or already there, 1 when a row was refused or the file\n"
    "is not a decisions file (then nothing is written), 2 on a usage error.\n"
    "  --clock TIME  take today (Asia/Shanghai) from TIME instead of now\n"
    "\n"
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

int jy_cmd_import_tracking(int argc, char **argv)
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

int jy_cmd_import(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    if (argc >= 2 && strcmp(argv[1], "decisions") == 0)
        return jy_cmd_import_decisions(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "tracking") == 0)
        return jy_cmd_import_tracking(argc, argv);
    if (argc < 2)
        return jy_cli_usage_error("import", jy_cmd_import_usage,
                                  "say what to import: decisions or tracking");
    return jy_cli_usage_error("import", jy_cmd_import_usage,
                              "cannot import '%s': decisions or tracking",
                              jy_cli_quote(argv[1], q));
}
