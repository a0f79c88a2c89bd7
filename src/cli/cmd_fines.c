/*
 * cmd_fines.c — `jingyou import decisions FILE` and `jingyou settle YYYY-MM-DD`: the police's
 * penalty decisions into the database, and the day's fine settlement out of it (with the
 * reconciliation against the police's confirmation file). The rules are the use cases'
 * (src/service/fines.h); these commands act as the system.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/date.h"
#include "core/money.h"
#include "core/timestamp.h"
#include "service/fines.h"
#include "service/service.h"
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
    "  --clock TIME  take today (Asia/Shanghai) from TIME instead of now\n";

const char jy_cmd_settle_usage[] =
    "usage: jingyou settle YYYY-MM-DD [--db PATH] [--out FILE] [--confirmation FILE]\n"
    "\n"
    "The day's fine settlement: every payment of the day (Asia/Shanghai) per branch, with the\n"
    "totals, printed as a summary. --out FILE writes the settlement file for the police and\n"
    "finance (CSV whose last line is 'sha256,HEX', the SHA-256 of every byte before it:\n"
    "`head -n -1 FILE | sha256sum` prints HEX); without --out and --confirmation the file goes\n"
    "to standard output instead of the summary. --confirmation FILE reconciles the day with the\n"
    "police's confirmation file (CSV: decision_number,amount_fen) and lists the payments\n"
    "matched, missing from it and unexpected in it. Exit 0; 1 when the reconciliation does not\n"
    "balance or a file cannot be read or written; 2 on a usage error.\n";

static void report_error(const char *cmd, const struct jy_error *err)
{
    fprintf(stderr, "jingyou %s: ", cmd);
    jy_cli_fputs_safe(err->message, stderr);
    fputc('\n', stderr);
}

/* Open the service on database `db` (NULL: the default) with clock `clock` (0: now). */
static struct jy_service *open_service(const char *cmd, const char *db, int64_t clock)
{
    struct jy_service_config cfg = {.db_path = db, .clock_start = clock};
    struct jy_service *svc = NULL;
    struct jy_error err;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        report_error(cmd, &err);
        return NULL;
    }
    return svc;
}

/* ---- import ---- */

static void import_report(void *ctx, long line, const char *number, const char *status,
                          const struct jy_error *row_err)
{
    (void)ctx;
    if (strcmp(status, "unchanged") == 0)
        return;
    printf("line %ld: %s", line, status);
    if (number)
        printf(" %s", number);
    if (row_err) {
        printf(" (%s%s%s) ", row_err->field[0] ? row_err->field : "", row_err->field[0] ? ": " : "",
               row_err->reason);
        jy_cli_fputs_safe(row_err->message, stdout);
    }
    putchar('\n');
}

int jy_cmd_import(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_import_usage;
    if (argc < 2 || strcmp(argv[1], "decisions") != 0)
        return jy_cli_usage_error("import", u, "what to import: decisions");
    const char *file = NULL, *db = NULL;
    int64_t clock = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--clock") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (jy_timestamp_parse(v, strlen(v), &clock, NULL) != JY_OK || clock == 0)
                return jy_cli_usage_error("import", u, "--clock takes a UTC time, not '%s'",
                                          jy_cli_quote(v, q));
        } else if (argv[i][0] == '-' || file) {
            return jy_cli_usage_error("import", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        } else {
            file = argv[i];
        }
    }
    if (!file)
        return jy_cli_usage_error("import", u, "missing the FILE to import");
    size_t len = 0;
    char *text = jy_cli_read_file(file, JY_DECISIONS_CSV_MAX_BYTES, &len);
    if (!text)
        return JY_EXIT_FAIL;
    struct jy_service *svc = open_service("import", db, clock);
    if (!svc) {
        free(text);
        return JY_EXIT_FAIL;
    }
    struct jy_actor system = jy_actor_system();
    struct jy_fines_import_result r;
    struct jy_error err;
    int status = JY_EXIT_FAIL;
    if (jy_fines_import(svc, &system, text, len, import_report, NULL, &r, &err) != JY_OK) {
        report_error("import", &err);
    } else {
        printf("import: %ld imported, %ld unchanged, %ld changed, %ld bad\n", r.imported,
               r.unchanged, r.changed, r.bad);
        status = r.changed || r.bad ? JY_EXIT_FAIL : JY_EXIT_OK;
    }
    jy_service_close(svc);
    free(text);
    return status;
}

/* ---- settle ---- */

static void print_items(const char *title, const struct jy_fines_recon_item *it, size_t n)
{
    char m[JY_MONEY_TEXT_SIZE];
    printf("%s: %zu\n", title, n);
    for (size_t i = 0; i < n; i++) {
        jy_money_format(it[i].amount_fen, m);
        printf("  %s %s", it[i].decision_number[0] ? it[i].decision_number : "-", m);
        if (it[i].line)
            printf(" (line %ld)", it[i].line);
        if (it[i].reason[0])
            printf(" %s", it[i].reason);
        putchar('\n');
    }
}

int jy_cmd_settle(int argc, char **argv)
{
    char q[JY_CLI_QUOTE_SIZE];
    const char *const u = jy_cmd_settle_usage;
    const char *date = NULL, *db = NULL, *out = NULL, *confirmation = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--confirmation") == 0 && i + 1 < argc)
            confirmation = argv[++i];
        else if (argv[i][0] == '-' || date)
            return jy_cli_usage_error("settle", u, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        else
            date = argv[i];
    }
    struct jy_date day;
    if (!date || strlen(date) != 10 || jy_date_parse(date, 10, &day, NULL) != JY_OK)
        return jy_cli_usage_error("settle", u, "give the day as YYYY-MM-DD");
    /* Settling a database that is not there is a typo, not an empty day. */
    FILE *exists = fopen(db ? db : JY_STORE_DEFAULT_PATH, "rb");
    if (!exists) {
        fprintf(stderr, "jingyou settle: no database at %s\n",
                jy_cli_quote(db ? db : JY_STORE_DEFAULT_PATH, q));
        return JY_EXIT_FAIL;
    }
    fclose(exists);
    char *conf_text = NULL;
    size_t conf_len = 0;
    if (confirmation &&
        !(conf_text = jy_cli_read_file(confirmation, JY_DECISIONS_CSV_MAX_BYTES, &conf_len)))
        return JY_EXIT_FAIL;
    struct jy_service *svc = open_service("settle", db, 0);
    if (!svc) {
        free(conf_text);
        return JY_EXIT_FAIL;
    }
    struct jy_actor system = jy_actor_system();
    struct jy_fines_settlement *s = NULL;
    struct jy_fines_reconciliation *r = NULL;
    struct jy_error err;
    char *csv = NULL;
    size_t csv_len = 0;
    int status = JY_EXIT_FAIL;
    if (jy_fines_settlement(svc, &system, day, &s, &err) != JY_OK ||
        jy_fines_settlement_csv(s, &csv, &csv_len, &err) != JY_OK) {
        report_error("settle", &err);
        goto out;
    }
    if (!out && !confirmation) {
        status = fwrite(csv, 1, csv_len, stdout) == csv_len ? JY_EXIT_OK : JY_EXIT_FAIL;
        goto out;
    }
    if (out) {
        FILE *f = fopen(out, "wb");
        bool ok = f && fwrite(csv, 1, csv_len, f) == csv_len;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "jingyou settle: cannot write %s\n", jy_cli_quote(out, q));
            goto out;
        }
    }
    char m1[JY_MONEY_TEXT_SIZE], m2[JY_MONEY_TEXT_SIZE], m3[JY_MONEY_TEXT_SIZE];
    printf("settlement %s: %" PRId64 " payments, %" PRId64 " reversed\n", s->date, s->count,
           s->reversed);
    for (size_t i = 0; i < s->n_branches; i++) {
        const struct jy_fines_branch_total *b = &s->branches[i];
        jy_money_format(b->fine_fen, m1);
        jy_money_format(b->surcharge_fen, m2);
        jy_money_format(b->amount_fen, m3);
        printf("  %s %s: %" PRId64 " payments, fines %s, surcharges %s, total %s\n", b->code,
               b->name, b->count, m1, m2, m3);
    }
    jy_money_format(s->fine_fen, m1);
    jy_money_format(s->surcharge_fen, m2);
    jy_money_format(s->amount_fen, m3);
    printf("total: fines %s, surcharges %s, total %s (%" PRId64 " fen)\n", m1, m2, m3,
           s->amount_fen);
    status = JY_EXIT_OK;
    if (confirmation) {
        if (jy_fines_reconcile(s, conf_text, conf_len, &r, &err) != JY_OK) {
            report_error("settle", &err);
            status = JY_EXIT_FAIL;
            goto out;
        }
        print_items("matched", r->matched, r->n_matched);
        print_items("missing", r->missing, r->n_missing);
        print_items("unexpected", r->unexpected, r->n_unexpected);
        print_items("bad rows", r->bad, r->n_bad);
        bool balanced = !r->n_missing && !r->n_unexpected && !r->n_bad;
        printf("reconciliation: %s\n", balanced ? "balanced" : "NOT balanced");
        if (!balanced)
            status = JY_EXIT_FAIL;
    }
out:
    jy_fines_reconciliation_free(r);
    jy_fines_settlement_free(s);
    free(csv);
    free(conf_text);
    jy_service_close(svc);
    return status;
}
