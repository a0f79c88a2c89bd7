/*
 * cmd_import.c — `jingyou import tracking FILE`: apply a carrier's tracking export (CSV or JSON
 * lines, src/core/tracking.h) to the database, as the tracking feed does over HTTP.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/tracking.h"
#include "limits.h"
#include "service/service.h"
#include "service/shipments.h"
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

/* "events[12].at" → "at". */
static const char *field_of(const char *f)
{
    const char *dot = strchr(f, '.');
    return dot ? dot + 1 : f;
}

static json_t *error_json(size_t line, const struct jy_error *e)
{
    return json_pack("{s:I, s:s, s:s?, s:s}", "line", (json_int_t)line, "code",
                     e->reason[0] ? e->reason : jy_err_name(e->code), "field",
                     e->field[0] ? field_of(e->field) : NULL, "message", e->message);
}

static int import_tracking(const char *path, const char *db)
{
    size_t len = 0;
    char *text = jy_cli_read_file(path, JY_TRACKING_FILE_MAX_BYTES, &len);
    if (!text)
        return JY_EXIT_FAIL;
    struct jy_error err;
    jy_error_clear(&err);
    struct jy_tracking_file f;
    if (jy_tracking_parse(text, len, &f, &err) != JY_OK) {
        free(text);
        fputs("jingyou import tracking: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    free(text);
    struct jy_service_config cfg = {.db_path = db};
    struct jy_service *svc = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        jy_tracking_free(&f);
        fputs("jingyou import tracking: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    struct jy_actor actor = jy_actor_system();
    json_t *errors = json_array(), *unknown = json_array(), *seen = json_object();
    struct jy_shipments_result total = {0, 0, 0, 0};
    size_t rejected = 0;
    int rc = JY_EXIT_OK;
    size_t batch = JY_SHIPMENT_EVENTS_MAX;
    struct jy_shipment_event *ev = calloc(batch, sizeof(*ev));
    const char **failures = calloc(batch, sizeof(*failures));
    struct jy_error *row_errors = calloc(batch, sizeof(*row_errors));
    enum jy_shipment_outcome *outcomes = calloc(batch, sizeof(*outcomes));
    char(*waybills)[14] = calloc(batch, sizeof(*waybills));
    if (!ev || !failures || !row_errors || !outcomes || !waybills || !errors || !unknown) {
        fputs("jingyou import tracking: out of memory\n", stderr);
        rc = JY_EXIT_FAIL;
        goto out;
    }
    size_t i = 0;
    while (i < f.count) {
        size_t n = 0, first = i;
        for (; i < f.count && n < batch; i++) {
            const struct jy_tracking_row *r = &f.rows[i];
            if (r->bad)
                continue;
            ev[n] = (struct jy_shipment_event){r->waybill, r->status, r->at, r->location};
            failures[n] = r->failure_reason;
            n++;
        }
        struct jy_shipments_result res;
        size_t bad = 0;
        if (jy_shipments_apply_ex(svc, &actor, ev, failures, n, row_errors, outcomes, waybills,
                                  &res, &bad, &err) != JY_OK) {
            fputs("jingyou import tracking: ", stderr);
            jy_cli_fputs_safe(err.message, stderr);
            fputc('\n', stderr);
            rc = JY_EXIT_FAIL;
            goto out;
        }
        total.applied += res.applied;
        total.duplicates += res.duplicates;
        total.unknown += res.unknown;
        total.ignored_out_of_order += res.ignored_out_of_order;
        /* The rows of this batch again, in file order: the bad ones of either kind, the unknown
         * item numbers once each. */
        for (size_t j = first, k = 0; j < i; j++) {
            const struct jy_tracking_row *r = &f.rows[j];
            if (r->bad) {
                if (json_array_size(errors) < JY_TRACKING_REPORT_MAX)
                    json_array_append_new(errors, error_json(r->line, &r->error));
                rejected++;
                continue;
            }
            if (outcomes[k] == JY_SHIPMENT_REJECTED) {
                if (json_array_size(errors) < JY_TRACKING_REPORT_MAX)
                    json_array_append_new(errors, error_json(r->line, &row_errors[k]));
                rejected++;
            } else if (outcomes[k] == JY_SHIPMENT_UNKNOWN) {
                /* Each unknown number once (a set keyed by the number), the first
                 * JY_TRACKING_REPORT_MAX of them listed. */
                if (!json_object_get(seen, waybills[k])) {
                    json_object_set_new(seen, waybills[k], json_true());
                    if (json_array_size(unknown) < JY_TRACKING_REPORT_MAX)
                        json_array_append_new(unknown, json_string(waybills[k]));
                }
            }
            k++;
        }
        (void)bad;
    }
    json_t *out = json_pack(
        "{s:I, s:I, s:I, s:O, s:I, s:I, s:I, s:I, s:O}", "rows", (json_int_t)f.count, "applied",
        (json_int_t)total.applied, "duplicates", (json_int_t)total.duplicates, "unknown", unknown,
        "unknown_items", (json_int_t)json_object_size(seen), "unknown_rows",
        (json_int_t)total.unknown, "ignored_out_of_order", (json_int_t)total.ignored_out_of_order,
        "rejected", (json_int_t)rejected, "errors", errors);
    char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
    if (s)
        printf("%s\n", s);
    free(s);
    json_decref(out);
    if (rejected)
        rc = JY_EXIT_FAIL;
out:
    json_decref(errors);
    json_decref(unknown);
    json_decref(seen);
    free(ev);
    free(failures);
    free(row_errors);
    free(outcomes);
    free(waybills);
    jy_service_close(svc);
    jy_tracking_free(&f);
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
