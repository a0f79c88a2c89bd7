/*
 * cmd_s10.c — `jingyou s10`: the blocks of EMS item numbers (UPU S10) allocated to the centre.
 *
 *   jingyou s10 add-range --first N --last N [--service EA] [--country CN] [--db PATH]
 *   jingyou s10 list [--db PATH]
 *
 * A range is refused when it shares a serial with a range of the same service and country:
 * item numbers are never reused. Numbers are handed out in the order the ranges were added.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/s10.h"
#include "service/custody.h"
#include "service/service.h"
#include "store/custody.h"
#include "../banned.h"

const char jy_cmd_s10_usage[] =
    "usage: jingyou s10 add-range --first SERIAL --last SERIAL [--service EA] [--country CN]\n"
    "                             [--db PATH]\n"
    "       jingyou s10 list [--db PATH]\n"
    "\n"
    "SERIAL: the 8-digit serial of an S10 item number (EA 12345678 5 CN: 12345678), without\n"
    "its check digit, which is computed. add-range refuses a range that overlaps one already\n"
    "allocated (numbers are never reused). list prints each range with the numbers left, and\n"
    "the total left. Exit 0 on success, 1 when refused, 2 on a usage error.\n";

/* An 8-digit serial (1 to 8 digits accepted). */
static bool parse_serial(const char *s, uint32_t *ret)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 8)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *ret = v;
    return true;
}

static bool print_range(void *ctx, const struct jy_store_s10_range *r)
{
    (void)ctx;
    char first[JY_S10_LENGTH + 1] = "", last[JY_S10_LENGTH + 1] = "";
    jy_s10_format(r->range.service, r->range.first, r->range.country, first, NULL);
    jy_s10_format(r->range.service, r->range.last, r->range.country, last, NULL);
    printf("%lld\t%s\t%s\t%u left\n", (long long)r->id, first, last, jy_s10_range_left(&r->range));
    return true;
}

int jy_cmd_s10(int argc, char **argv)
{
    const char *const usage = jy_cmd_s10_usage;
    char q[JY_CLI_QUOTE_SIZE];
    if (argc < 2)
        return jy_cli_usage_error("s10", usage, "missing the subcommand: add-range or list");
    const char *verb = argv[1];
    bool add = strcmp(verb, "add-range") == 0, list = strcmp(verb, "list") == 0;
    if (!add && !list)
        return jy_cli_usage_error("s10", usage, "unknown subcommand '%s'", jy_cli_quote(verb, q));
    const char *first = NULL, *last = NULL, *service = "EA", *country = "CN", *db = NULL;
    for (int i = 2; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (add && strcmp(argv[i], "--first") == 0)
            slot = &first;
        else if (add && strcmp(argv[i], "--last") == 0)
            slot = &last;
        else if (add && strcmp(argv[i], "--service") == 0)
            slot = &service;
        else if (add && strcmp(argv[i], "--country") == 0)
            slot = &country;
        else if (strcmp(argv[i], "--db") == 0)
            slot = &db;
        if (!slot)
            return jy_cli_usage_error("s10", usage, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        if (!v)
            return jy_cli_usage_error("s10", usage, "%s needs a value", argv[i]);
        *slot = v;
    }
    struct jy_s10_range r = {"", "", 0, 0, 0};
    if (add) {
        if (!first || !last)
            return jy_cli_usage_error("s10", usage, "add-range needs --first and --last");
        if (!parse_serial(first, &r.first) || !parse_serial(last, &r.last))
            return jy_cli_usage_error("s10", usage, "a serial is 1 to 8 digits");
        if (strlen(service) != 2 || strlen(country) != 2)
            return jy_cli_usage_error("s10", usage,
                                      "--service and --country are two capital letters");
        memcpy(r.service, service, 3);
        memcpy(r.country, country, 3);
        r.next = r.first;
        /* The country must be one S10 knows: format one number to check. */
        char probe[JY_S10_LENGTH + 1];
        struct jy_error e2;
        if (jy_s10_format(r.service, r.first, r.country, probe, &e2) != JY_OK) {
            fprintf(stderr, "jingyou s10 add-range: %s\n", e2.message);
            return JY_EXIT_FAIL;
        }
    }
    struct jy_error err;
    jy_error_clear(&err);
    struct jy_service_config cfg = {.db_path = db};
    struct jy_service *svc = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        fputs("jingyou s10: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    enum jy_err e = JY_OK;
    int64_t id = 0, left = 0, threshold = 0;
    struct jy_store_conn *conn = NULL;
    if (add) {
        struct jy_actor system = jy_actor_system();
        e = jy_custody_s10_add(svc, &system, &r, &id, &err);
        if (e == JY_OK)
            printf("range %lld added: %s%08u .. %s%08u %s, %u numbers\n", (long long)id, r.service,
                   r.first, r.service, r.last, r.country, r.last - r.first + 1);
    } else if ((e = jy_service_conn(svc, &conn, &err)) == JY_OK &&
               (e = jy_store_s10_list(conn, print_range, NULL, &err)) == JY_OK &&
               (e = jy_custody_s10_left(svc, &left, &threshold, &err)) == JY_OK) {
        printf("left\t%lld%s\n", (long long)left, left < threshold ? "\tLOW" : "");
    }
    jy_service_close(svc);
    if (e != JY_OK) {
        fprintf(stderr, "jingyou s10 %s: ", verb);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    return JY_EXIT_OK;
}
