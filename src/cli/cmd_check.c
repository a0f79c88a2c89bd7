/*
 * cmd_check.c — `jingyou check KIND VALUE [--type CODE]`: validate one identifier by its
 * standard and print one line of JSON:
 *
 *   valid:   {"valid": true, "normalized": "…", "error": null, "details": {…}}
 *   invalid: {"valid": false, "normalized": null, "error": "reason", "message": "…",
 *             "details": {}}
 *
 * Exit 0 when valid, 1 when invalid, 2 on a usage error. The rules themselves live in src/core;
 * this file only maps their results to JSON.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "core/appno.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/mobile.h"
#include "core/plate.h"
#include "core/s10.h"
#include "core/uscc.h"
#include "core/vin.h"
#include "limits.h"
#include "../banned.h"

const char jy_cmd_check_usage[] =
    "usage: jingyou check KIND VALUE [--type CODE]\n"
    "\n"
    "Validate one identifier by its standard and print one line of JSON:\n"
    "  valid:   {\"valid\": true, \"normalized\": …, \"error\": null, \"details\": {…}}\n"
    "  invalid: {\"valid\": false, \"normalized\": null, \"error\": REASON,\n"
    "            \"message\": …, \"details\": {}}\n"
    "Full-width characters (as typed with a Chinese input method) and surrounding white space\n"
    "are accepted; idcard, vin, s10 and uscc also take single spaces between groups.\n"
    "Exit 0 when valid, 1 when invalid, 2 on a usage error.\n"
    "\n"
    "KIND:\n"
    "  idcard   resident ID number, GB 11643-1999 (15-digit legacy numbers are converted)\n"
    "  plate    licence plate, GA 36-2018; --type CODE also checks it against the plate type\n"
    "  vin      vehicle identification number, GB 16735-2019 / ISO 3779\n"
    "  s10      EMS item number, UPU S10\n"
    "  uscc     unified social credit code, GB 32100-2015\n"
    "  mobile   mainland mobile number (with +86, 86 or 0086 before it, or without)\n"
    "  appno    jingyou application number (ISO 7064 MOD 37-2 check character)\n";

static char *dup_date(struct jy_date d, char buf[JY_DATE_TEXT_SIZE])
{
    return jy_date_format(d, buf);
}

static json_t *check_idcard(const char *v, size_t n, json_t *details, char *norm,
                            struct jy_error *err)
{
    struct jy_idcard id;
    struct jy_date today = jy_date_from_unix_shanghai((int64_t)time(NULL));
    if (jy_idcard_parse(v, n, today, &id, err) != JY_OK)
        return NULL;
    char buf[JY_DATE_TEXT_SIZE];
    jy_strlcpy(norm, id.number, JY_IDENT_MAX_BYTES);
    json_object_set_new(details, "birth_date", json_string(dup_date(id.birth, buf)));
    json_object_set_new(details, "sex", json_string(id.sex == 'M' ? "male" : "female"));
    json_object_set_new(details, "province_code", json_integer(id.province));
    const char *pname = jy_idcard_province_name(id.province);
    json_object_set_new(details, "province", pname ? json_string(pname) : json_null());
    json_object_set_new(details, "converted_from_15", json_boolean(id.from_legacy15));
    return details;
}

static json_t *check_plate(const char *v, size_t n, const char *type, json_t *details, char *norm,
                           struct jy_error *err)
{
    struct jy_plate p;
    if (jy_plate_parse(v, n, &p, err) != JY_OK)
        return NULL;
    if (type && jy_plate_check_type(&p, type, strlen(type), err) != JY_OK)
        return NULL;
    jy_strlcpy(norm, p.text, JY_IDENT_MAX_BYTES);
    json_object_set_new(details, "kind", json_string(jy_plate_kind_name(p.kind)));
    json_object_set_new(details, "province", json_string(p.province));
    if (p.authority) {
        char a[2] = {p.authority, '\0'};
        json_object_set_new(details, "authority", json_string(a));
    }
    if (p.energy) {
        char e[2] = {p.energy, '\0'};
        json_object_set_new(details, "energy", json_string(e));
    }
    if (type) {
        const struct jy_plate_type *t = jy_plate_type_find(type, strlen(type));
        json_object_set_new(details, "plate_type", json_string(t->code));
        json_object_set_new(details, "plate_type_name", json_string(t->name_zh));
    }
    json_t *warnings = json_array();
    if (p.warn_letter_o)
        json_array_append_new(warnings,
                              json_string("issuing letter O is unusual; check the plate"));
    json_object_set_new(details, "warnings", warnings);
    return details;
}

static json_t *check_vin(const char *v, size_t n, json_t *details, char *norm, struct jy_error *err)
{
    struct jy_vin vin;
    if (jy_vin_parse(v, n, &vin, err) != JY_OK)
        return NULL;
    jy_strlcpy(norm, vin.vin, JY_IDENT_MAX_BYTES);
    json_object_set_new(details, "wmi", json_string(vin.wmi));
    json_object_set_new(details, "domestic", json_boolean(vin.domestic));
    json_object_set_new(details, "check_digit_ok", json_boolean(vin.check_ok));
    json_t *warnings = json_array();
    if (!vin.check_ok)
        json_array_append_new(warnings, json_string("position 9 is not a valid check digit; "
                                                    "accepted because the VIN is not domestic"));
    json_object_set_new(details, "warnings", warnings);
    return details;
}

static json_t *check_s10(const char *v, size_t n, json_t *details, char *norm, struct jy_error *err)
{
    struct jy_s10 s;
    if (jy_s10_parse(v, n, &s, err) != JY_OK)
        return NULL;
    jy_strlcpy(norm, s.number, JY_IDENT_MAX_BYTES);
    json_object_set_new(details, "service", json_string(s.service));
    json_object_set_new(details, "serial", json_integer(s.serial));
    json_object_set_new(details, "check_digit", json_integer(s.check));
    json_object_set_new(details, "country", json_string(s.country));
    json_object_set_new(details, "ems", json_boolean(s.ems));
    return details;
}

static json_t *check_uscc(const char *v, size_t n, json_t *details, char *norm,
                          struct jy_error *err)
{
    struct jy_uscc u;
    if (jy_uscc_parse(v, n, &u, err) != JY_OK)
        return NULL;
    jy_strlcpy(norm, u.code, JY_IDENT_MAX_BYTES);
    char dep[2] = {u.department, '\0'}, cat[2] = {u.category, '\0'};
    json_object_set_new(details, "department", json_string(dep));
    json_object_set_new(details, "department_name",
                        json_string(jy_uscc_department_name(u.department)));
    json_object_set_new(details, "category", json_string(cat));
    json_object_set_new(details, "category_name",
                        json_string(jy_uscc_category_name(u.department, u.category)));
    json_object_set_new(details, "division", json_string(u.division));
    json_object_set_new(details, "organization_code", json_string(u.org_code));
    json_object_set_new(details, "organization_code_check_ok",
                        json_boolean(jy_uscc_org_code_ok(&u)));
    return details;
}

static json_t *check_mobile(const char *v, size_t n, json_t *details, char *norm,
                            struct jy_error *err)
{
    char number[12], masked[12];
    if (jy_mobile_parse(v, n, number, err) != JY_OK)
        return NULL;
    jy_strlcpy(norm, number, JY_IDENT_MAX_BYTES);
    jy_mobile_mask(number, masked);
    json_object_set_new(details, "masked", json_string(masked));
    return details;
}

static json_t *check_appno(const char *v, size_t n, json_t *details, char *norm,
                           struct jy_error *err)
{
    struct jy_appno a;
    if (jy_appno_parse(v, n, &a, err) != JY_OK)
        return NULL;
    char buf[JY_DATE_TEXT_SIZE], display[32];
    jy_strlcpy(norm, a.text, JY_IDENT_MAX_BYTES);
    jy_appno_display(&a, display);
    json_object_set_new(details, "centre", json_string(a.centre));
    json_object_set_new(details, "accepted_date", json_string(dup_date(a.date, buf)));
    json_object_set_new(details, "sequence", json_integer(a.seq));
    json_object_set_new(details, "display", json_string(display));
    return details;
}

int jy_cmd_check(int argc, char **argv)
{
    const char *kind = NULL, *value = NULL, *type = NULL;
    char q[JY_CLI_QUOTE_SIZE];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--type") == 0) {
            if (i + 1 >= argc)
                return jy_cli_usage_error("check", jy_cmd_check_usage,
                                          "--type needs a plate-type code");
            type = argv[++i];
        } else if (!kind) {
            kind = argv[i];
        } else if (!value) {
            value = argv[i];
        } else {
            return jy_cli_usage_error("check", jy_cmd_check_usage, "unexpected argument '%s'",
                                      jy_cli_quote(argv[i], q));
        }
    }
    if (!kind)
        return jy_cli_usage_error("check", jy_cmd_check_usage, "missing KIND and VALUE");
    if (!value)
        return jy_cli_usage_error("check", jy_cmd_check_usage, "missing the VALUE to check");
    if (type && strcmp(kind, "plate") != 0)
        return jy_cli_usage_error("check", jy_cmd_check_usage, "--type applies only to plate");

    size_t n = strlen(value);
    char norm[JY_IDENT_MAX_BYTES] = "";
    struct jy_error err;
    jy_error_clear(&err);
    json_t *details = json_object();
    json_t *ok;
    if (strcmp(kind, "idcard") == 0)
        ok = check_idcard(value, n, details, norm, &err);
    else if (strcmp(kind, "plate") == 0)
        ok = check_plate(value, n, type, details, norm, &err);
    else if (strcmp(kind, "vin") == 0)
        ok = check_vin(value, n, details, norm, &err);
    else if (strcmp(kind, "s10") == 0)
        ok = check_s10(value, n, details, norm, &err);
    else if (strcmp(kind, "uscc") == 0)
        ok = check_uscc(value, n, details, norm, &err);
    else if (strcmp(kind, "mobile") == 0)
        ok = check_mobile(value, n, details, norm, &err);
    else if (strcmp(kind, "appno") == 0)
        ok = check_appno(value, n, details, norm, &err);
    else {
        json_decref(details);
        return jy_cli_usage_error("check", jy_cmd_check_usage, "unknown kind '%s'",
                                  jy_cli_quote(kind, q));
    }

    json_t *out = json_object();
    json_object_set_new(out, "valid", json_boolean(ok != NULL));
    if (ok) {
        json_object_set_new(out, "normalized", json_string(norm));
        json_object_set_new(out, "error", json_null());
        json_object_set_new(out, "details", details);
    } else {
        json_decref(details);
        json_object_set_new(out, "normalized", json_null());
        json_object_set_new(out, "error",
                            json_string(err.reason[0] ? err.reason : jy_err_name(err.code)));
        json_object_set_new(out, "message", json_string(err.message));
        json_object_set_new(out, "details", json_object());
    }
    char *text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(out);
    if (!text) {
        fputs("jingyou check: out of memory\n", stderr);
        return JY_EXIT_FAIL;
    }
    puts(text);
    free(text);
    return ok ? JY_EXIT_OK : JY_EXIT_FAIL;
}
