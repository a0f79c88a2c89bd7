/*
 * Unit tests for src/core/catalog.c: the real data/catalog.json (and the copy embedded in the
 * binary) loads with the values of DESIGN.md §7, and every validation error is caught, named
 * with its entry and field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/catalog.h"
#include "core/licence.h"
#include "limits.h"

extern const unsigned char jy_data_catalog_json[];
extern const size_t jy_data_catalog_json_len;

/* =============================== the real catalog =============================== */

static char *read_file(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(JY_CATALOG_MAX_BYTES + 1);
    assert_non_null(buf);
    size_t n = fread(buf, 1, JY_CATALOG_MAX_BYTES + 1, f);
    fclose(f);
    assert_true(n <= JY_CATALOG_MAX_BYTES);
    *ret_len = n;
    return buf;
}

static int load_real(void **state)
{
    size_t len;
    char *json = read_file(JY_SOURCE_DIR "/data/catalog.json", &len);
    struct jy_catalog *cat = NULL;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_catalog_load(json, len, &cat, &err);
    free(json); /* the catalog keeps nothing of the text */
    if (rc != JY_OK)
        fail_msg("data/catalog.json: %s (%s at %s)", err.message, err.reason, err.field);
    *state = cat;
    return 0;
}

static int free_real(void **state)
{
    jy_catalog_free(*state);
    return 0;
}

static const struct jy_business_type *type(void **state, const char *code)
{
    const struct jy_business_type *t = jy_catalog_find(*state, code, strlen(code));
    assert_non_null(t);
    assert_string_equal(t->code, code);
    return t;
}

static void assert_route(const struct jy_business_type *t, size_t n, const enum jy_station *want)
{
    assert_int_equal(t->route_len, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t->route[i], want[i]);
}

static int64_t total(const struct jy_business_type *t)
{
    int64_t fen = -1;
    assert_int_equal(jy_business_type_total_fee(t, &fen, NULL), JY_OK);
    return fen;
}

static void test_real_overview(void **state)
{
    const struct jy_catalog *cat = *state;
    static const char *const codes[] = {"V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08",
                                        "D01", "D02", "D03", "D04", "D05", "D06", "W01", "W02"};
    assert_int_equal(jy_catalog_count(cat), 16);
    assert_int_equal(jy_catalog_version(cat), 1);
    assert_true(jy_catalog_demo_fees(cat));
    for (size_t i = 0; i < 16; i++) {
        const struct jy_business_type *t = jy_catalog_at(cat, i);
        assert_string_equal(t->code, codes[i]);
        assert_ptr_equal(jy_catalog_find(cat, codes[i], 3), t);
        assert_true(t->name_zh[0] && t->name_en[0]);
        assert_true(t->requires & JY_REQUIRES_APPLICANT);
        assert_int_equal(t->category, codes[i][0] == 'V'   ? JY_CATEGORY_VEHICLE
                                      : codes[i][0] == 'D' ? JY_CATEGORY_LICENCE
                                                           : JY_CATEGORY_VIOLATION);
        /* ems exactly when the route ends at dispatch; 3 working days then, else 2 */
        bool ems = t->route_len > 0 && t->route[t->route_len - 1] == JY_STATION_DISPATCH;
        assert_int_equal(t->delivery == JY_DELIVERY_EMS, ems);
        assert_int_equal(t->sla_working_days, t->counter_only ? 0 : ems ? 3 : 2);
        assert_int_equal(t->police_approval,
                         jy_business_type_route_index(t, JY_STATION_APPROVAL) >= 0);
        if (ems) {
            int64_t fen = 0;
            for (size_t k = 0; k < t->fee_count; k++)
                if (strcmp(t->fees[k].code, "ems_postage") == 0)
                    fen = t->fees[k].amount_fen;
            assert_int_equal(fen, 2000);
        }
    }
    assert_null(jy_catalog_at(cat, 16));
    assert_null(jy_catalog_find(cat, "X99", 3));
    assert_null(jy_catalog_find(cat, "D0", 2));
    assert_ptr_equal(jy_catalog_find(cat, " d01 ", 5), jy_catalog_at(cat, 8));
    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    memcpy(big, "D01", 3);
    assert_null(jy_catalog_find(cat, big, sizeof(big)));
    assert_ptr_equal(jy_catalog_find(cat, big, sizeof(big) - 1), jy_catalog_at(cat, 8));

    const struct jy_catalog_station *st = jy_catalog_station(cat, JY_STATION_PRODUCTION);
    assert_string_equal(st->name_zh, "制证");
    assert_string_equal(st->name_en, "Production");
    assert_string_equal(jy_catalog_station(cat, JY_STATION_DISPATCH)->name_zh, "封发");
    assert_null(jy_catalog_station(cat, JY__STATION_COUNT));
}

static void test_real_routes(void **state)
{
    static const enum jy_station produce[] = {JY_STATION_REVIEW, JY_STATION_APPROVAL,
                                              JY_STATION_PRODUCTION, JY_STATION_ARCHIVE,
                                              JY_STATION_DISPATCH};
    static const enum jy_station print[] = {JY_STATION_REVIEW, JY_STATION_APPROVAL,
                                            JY_STATION_PRINT, JY_STATION_ARCHIVE,
                                            JY_STATION_DISPATCH};
    static const enum jy_station sticker[] = {JY_STATION_REVIEW, JY_STATION_PRINT,
                                              JY_STATION_DISPATCH};
    static const enum jy_station file_only[] = {JY_STATION_REVIEW, JY_STATION_APPROVAL,
                                                JY_STATION_ARCHIVE};
    struct {
        const char *code;
        const enum jy_station *route;
        size_t n;
        enum jy_catalog_output output;
    } want[] = {
        {"V01", produce, 5, JY_OUTPUT_PLATE},
        {"V02", produce, 5, JY_OUTPUT_PLATE},
        {"V03", print, 5, JY_OUTPUT_VEHICLE_LICENCE},
        {"V04", print, 5, JY_OUTPUT_REGISTRATION_CERTIFICATE},
        {"V05", print, 5, JY_OUTPUT_REGISTRATION_CERTIFICATE},
        {"V06", print, 5, JY_OUTPUT_REGISTRATION_CERTIFICATE},
        {"V07", sticker, 3, JY_OUTPUT_INSPECTION_STICKER},
        {"V08", file_only, 3, JY_OUTPUT_NONE},
        {"D01", produce, 5, JY_OUTPUT_LICENCE_CARD},
        {"D02", produce, 5, JY_OUTPUT_LICENCE_CARD},
        {"D03", produce, 5, JY_OUTPUT_LICENCE_CARD},
        {"D04", produce, 5, JY_OUTPUT_LICENCE_CARD},
        {"D05", file_only, 3, JY_OUTPUT_NONE},
        {"D06", file_only, 3, JY_OUTPUT_NONE},
        {"W01", file_only, 3, JY_OUTPUT_DECISION},
        {"W02", NULL, 0, JY_OUTPUT_NONE},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct jy_business_type *t = type(state, want[i].code);
        assert_route(t, want[i].n, want[i].route);
        assert_int_equal(t->output, want[i].output);
    }

    const struct jy_business_type *v07 = type(state, "V07");
    assert_false(v07->police_approval);
    assert_int_equal(v07->delivery, JY_DELIVERY_EMS);
    assert_int_equal(v07->sla_working_days, 3);

    const struct jy_business_type *w02 = type(state, "W02");
    assert_true(w02->counter_only);
    assert_int_equal(w02->sla_working_days, 0);
    assert_false(w02->police_approval);
    assert_int_equal(w02->delivery, JY_DELIVERY_NONE);
    assert_int_equal(w02->fee_count, 0);
    for (size_t i = 0; i < 15; i++)
        assert_false(jy_catalog_at(*state, i)->counter_only);
}

static void test_real_fees(void **state)
{
    assert_int_equal(total(type(state, "V01")), 12000); /* plate 100 yuan + EMS 20 yuan */
    assert_int_equal(total(type(state, "V02")), 12000);
    assert_int_equal(total(type(state, "V03")), 3000);
    assert_int_equal(total(type(state, "V04")), 3000);
    assert_int_equal(total(type(state, "V05")), 2000); /* mortgage registration is free */
    assert_int_equal(total(type(state, "V06")), 2000);
    assert_int_equal(total(type(state, "V07")), 2000); /* sticker free, postage paid */
    assert_int_equal(total(type(state, "V08")), 0);
    for (const char *c = "D01\0D02\0D03\0D04\0"; *c; c += 4)
        assert_int_equal(total(type(state, c)), 3000); /* card 10 yuan + EMS */
    assert_int_equal(total(type(state, "D05")), 0);
    assert_int_equal(total(type(state, "D06")), 0);
    assert_int_equal(total(type(state, "W01")), 0);
    assert_int_equal(total(type(state, "W02")), 0);

    const struct jy_business_type *v01 = type(state, "V01");
    assert_int_equal(v01->fee_count, 2);
    assert_string_equal(v01->fees[0].code, "plate");
    assert_int_equal(v01->fees[0].amount_fen, 10000);
    const struct jy_business_type *v05 = type(state, "V05");
    assert_string_equal(v05->fees[0].code, "mortgage_registration");
    assert_int_equal(v05->fees[0].amount_fen, 0);
    const struct jy_business_type *d01 = type(state, "D01");
    assert_string_equal(d01->fees[0].code, "licence_card");
    assert_int_equal(d01->fees[0].amount_fen, 1000);
}

static void test_real_documents(void **state)
{
    const struct jy_business_type *d01 = type(state, "D01");
    assert_true(jy_business_type_requires_document(d01, "id_card", 7));
    assert_true(jy_business_type_requires_document(d01, "photo", 5));
    assert_true(jy_business_type_requires_document(d01, "application_form", 16));
    assert_true(jy_business_type_requires_document(d01, "loss_statement", 14));
    assert_true(jy_business_type_requires_document(d01, " PHOTO ", 7));
    assert_false(jy_business_type_requires_document(d01, "medical_certificate", 19));
    assert_false(jy_business_type_requires_document(d01, "", 0));
    assert_string_equal(jy_business_type_find_document(d01, "loss_statement", 14)->name_zh,
                        "遗失声明");

    for (const char *c = "D03\0D04\0D05\0"; *c; c += 4)
        assert_true(jy_business_type_requires_document(type(state, c), "medical_certificate", 19));
    const struct jy_business_type *v07 = type(state, "V07");
    assert_true(jy_business_type_requires_document(v07, "insurance", 9));
    assert_true(jy_business_type_requires_document(v07, "tax", 3));
    assert_string_equal(jy_business_type_find_document(v07, "insurance", 9)->name_zh, "交强险凭证");
    assert_true(jy_business_type_requires_document(type(state, "V05"), "mortgage_contract", 17));
    assert_true(jy_business_type_requires_document(type(state, "V06"), "release_proof", 13));
    assert_true(jy_business_type_requires_document(type(state, "V04"), "loss_statement", 14));
    assert_true(jy_business_type_requires_document(type(state, "W02"), "penalty_decision", 16));
    /* listed but optional */
    const struct jy_business_type *w01 = type(state, "W01");
    assert_non_null(jy_business_type_find_document(w01, "decision_notice", 15));
    assert_false(jy_business_type_requires_document(w01, "decision_notice", 15));
    assert_false(jy_business_type_requires_document(type(state, "V01"), "power_of_attorney", 17));
    assert_null(jy_business_type_find_document(w01, "photo", 5));
}

static void test_real_requires_and_rules(void **state)
{
    const struct jy_business_type *v01 = type(state, "V01");
    assert_int_equal(v01->requires, JY_REQUIRES_APPLICANT | JY_REQUIRES_VEHICLE |
                                        JY_REQUIRES_DELIVERY | JY_REQUIRES_OWNER_ORG_ALLOWED);
    const struct jy_business_type *d01 = type(state, "D01");
    assert_int_equal(d01->requires,
                     JY_REQUIRES_APPLICANT | JY_REQUIRES_LICENCE | JY_REQUIRES_DELIVERY);
    assert_int_equal(type(state, "D05")->requires, JY_REQUIRES_APPLICANT | JY_REQUIRES_LICENCE);
    assert_int_equal(type(state, "W02")->requires, JY_REQUIRES_APPLICANT);

    const struct jy_business_type *d03 = type(state, "D03");
    assert_int_equal(d03->rules.renewal_window_days, 90);
    assert_non_null(strstr(d03->note, "162"));
    const struct jy_business_type *v07 = type(state, "V07");
    assert_int_equal(v07->rules.vehicle_age_years_max, 10);
    assert_int_equal(v07->rules.sticker_years, (1u << 2) | (1u << 4) | (1u << 8));
    const struct jy_business_type *d04 = type(state, "D04");
    assert_int_equal(d04->rules.age_limit_count, 2);
    assert_int_equal(d04->rules.age_limits[0].age_years, 60);
    char buf[JY_LICENCE_CLASSES_TEXT_SIZE];
    assert_string_equal(jy_licence_classes_format(d04->rules.age_limits[0].classes, buf),
                        "A1A2A3B1B2MNP");
    assert_int_equal(d04->rules.age_limits[1].age_years, 70);
    assert_string_equal(jy_licence_classes_format(d04->rules.age_limits[1].classes, buf),
                        "C3C4DEM");
    /* no rules elsewhere */
    const struct jy_business_type *d01r = type(state, "D01");
    assert_int_equal(d01r->rules.renewal_window_days, 0);
    assert_int_equal(d01r->rules.age_limit_count, 0);
    assert_string_equal(d01r->note, "");
}

static void test_route_walk(void **state)
{
    const struct jy_business_type *d01 = type(state, "D01");
    enum jy_station st = JY__STATION_COUNT, seen[8];
    size_t n = 0;
    bool last = false;
    assert_true(jy_business_type_first_station(d01, &st));
    assert_int_equal(st, JY_STATION_REVIEW);
    seen[n++] = st;
    while (1) {
        assert_int_equal(jy_business_type_next_station(d01, st, &st, &last, NULL), JY_OK);
        if (last)
            break;
        seen[n++] = st;
        assert_true(n <= 5);
    }
    assert_int_equal(n, 5);
    assert_int_equal(seen[2], JY_STATION_PRODUCTION);
    assert_int_equal(st, JY_STATION_DISPATCH); /* untouched at the end */

    const struct jy_business_type *v07 = type(state, "V07");
    assert_int_equal(jy_business_type_next_station(v07, JY_STATION_REVIEW, &st, &last, NULL),
                     JY_OK);
    assert_int_equal(st, JY_STATION_PRINT);
    assert_false(last);
    assert_int_equal(jy_business_type_route_index(v07, JY_STATION_DISPATCH), 2);
    assert_int_equal(jy_business_type_route_index(v07, JY_STATION_APPROVAL), -1);

    struct jy_error err;
    st = JY_STATION_ARCHIVE;
    last = true;
    assert_int_equal(jy_business_type_next_station(v07, JY_STATION_APPROVAL, &st, &last, &err),
                     JY_CONFLICT);
    assert_string_equal(err.reason, "station_not_on_route");
    assert_string_equal(err.message, "business type V07 does not pass station approval");
    assert_int_equal(st, JY_STATION_ARCHIVE);
    assert_true(last);

    const struct jy_business_type *d05 = type(state, "D05");
    last = false;
    assert_int_equal(jy_business_type_next_station(d05, JY_STATION_ARCHIVE, &st, &last, NULL),
                     JY_OK);
    assert_true(last);

    const struct jy_business_type *w02 = type(state, "W02");
    st = JY_STATION_PRINT;
    assert_false(jy_business_type_first_station(w02, &st));
    assert_int_equal(st, JY_STATION_PRINT);
    assert_int_equal(jy_business_type_next_station(w02, JY_STATION_REVIEW, &st, &last, NULL),
                     JY_CONFLICT);
}

static void test_embedded_copy(void **state)
{
    (void)state;
    struct jy_catalog *cat = NULL;
    struct jy_error err;
    assert_int_equal(
        jy_catalog_load((const char *)jy_data_catalog_json, jy_data_catalog_json_len, &cat, &err),
        JY_OK);
    assert_int_equal(jy_catalog_count(cat), 16);
    jy_catalog_free(cat);
    jy_catalog_free(NULL);
}

/* =============================== stations and codes =============================== */

static void test_stations(void **state)
{
    (void)state;
    static const char *const codes[] = {"review",     "approval", "print",
                                        "production", "archive",  "dispatch"};
    static const char *const zh[] = {"审核", "审批", "打印", "制证", "档案", "封发"};
    for (int i = 0; i < JY__STATION_COUNT; i++) {
        assert_string_equal(jy_station_code((enum jy_station)i), codes[i]);
        assert_string_equal(jy_station_name_zh((enum jy_station)i), zh[i]);
        enum jy_station st = JY__STATION_COUNT;
        assert_true(jy_station_parse(codes[i], strlen(codes[i]), &st));
        assert_int_equal(st, i);
    }
    assert_string_equal(jy_station_name_en(JY_STATION_ARCHIVE), "Archive");
    assert_null(jy_station_code(JY__STATION_COUNT));
    assert_null(jy_station_name_zh((enum jy_station) - 1));
    assert_null(jy_station_name_en(JY__STATION_COUNT));
    enum jy_station st = JY_STATION_PRINT;
    assert_true(jy_station_parse(" Review ", 8, &st));
    assert_int_equal(st, JY_STATION_REVIEW);
    st = JY_STATION_PRINT;
    assert_false(jy_station_parse("aproval", 7, &st));
    assert_false(jy_station_parse("", 0, &st));
    assert_false(jy_station_parse("review\0", 7, &st));
    assert_false(jy_station_parse(NULL, 0, &st));
    assert_int_equal(st, JY_STATION_PRINT);

    assert_string_equal(jy_catalog_category_code(JY_CATEGORY_LICENCE), "licence");
    assert_string_equal(jy_catalog_output_code(JY_OUTPUT_REGISTRATION_CERTIFICATE),
                        "registration_certificate");
    assert_string_equal(jy_catalog_delivery_code(JY_DELIVERY_EMS), "ems");
    assert_null(jy_catalog_output_code(JY__OUTPUT_COUNT));
}

static void test_total_fee_overflow(void **state)
{
    (void)state;
    static struct jy_business_type t; /* large; built by hand, not loaded */
    memcpy(t.code, "X01", 4);
    t.fee_count = 2;
    t.fees[0].amount_fen = INT64_MAX;
    t.fees[1].amount_fen = 1;
    int64_t fen = 7;
    struct jy_error err;
    assert_int_equal(jy_business_type_total_fee(&t, &fen, &err), JY_RANGE);
    assert_string_equal(err.reason, "fee_overflow");
    assert_int_equal(fen, 7);
    t.fees[1].amount_fen = -1;
    assert_int_equal(jy_business_type_total_fee(&t, &fen, &err), JY_RANGE);
    t.fees[0].amount_fen = INT64_MAX - 5;
    t.fees[1].amount_fen = 5;
    assert_int_equal(jy_business_type_total_fee(&t, &fen, &err), JY_OK);
    assert_int_equal(fen, INT64_MAX);
}

/* =============================== validation =============================== */

/* A small valid catalog: D01 then V04. Each failure test changes one piece of its text. */
#define STATIONS                                                                                   \
    "\"stations\":[{\"code\":\"review\",\"name_zh\":\"审核\",\"name_en\":\"Review\"},"           \
    "{\"code\":\"approval\",\"name_zh\":\"审批\",\"name_en\":\"Approval\"},"                     \
    "{\"code\":\"print\",\"name_zh\":\"打印\",\"name_en\":\"Print\"},"                           \
    "{\"code\":\"production\",\"name_zh\":\"制证\",\"name_en\":\"Production\"},"                 \
    "{\"code\":\"archive\",\"name_zh\":\"档案\",\"name_en\":\"Archive\"},"                       \
    "{\"code\":\"dispatch\",\"name_zh\":\"封发\",\"name_en\":\"Dispatch\"}]"
#define HEAD                                                                                       \
    "{\"version\":1,\"currency\":\"CNY\",\"demo_fees\":true," STATIONS ",\"business_types\":["
#define D01                                                                                            \
    "{\"code\":\"D01\",\"name_zh\":\"补领机动车驾驶证\",\"name_en\":\"Replace lost licence\"," \
    "\"category\":\"licence\",\"documents\":[{\"code\":\"id_card\",\"name_zh\":\"身份证明\","      \
    "\"name_en\":\"Proof of identity\",\"required\":true}],\"fees\":[{\"code\":\"licence_card\","      \
    "\"name_zh\":\"工本费\",\"name_en\":\"Card\",\"amount_fen\":1000}],"                            \
    "\"route\":[\"review\",\"approval\",\"production\",\"archive\",\"dispatch\"],"                     \
    "\"sla_working_days\":3,\"police_approval\":true,\"output\":\"licence_card\","                     \
    "\"delivery\":\"ems\",\"requires\":[\"applicant\",\"licence\",\"delivery\"]}"
#define V04                                                                                          \
    "{\"code\":\"V04\",\"name_zh\":\"补领机动车登记证书\",\"name_en\":\"Registration "      \
    "certificate\",\"category\":\"vehicle\",\"documents\":[{\"code\":\"id_card\",\"name_zh\":"       \
    "\"身份证明\",\"name_en\":\"Proof of identity\",\"required\":true},{\"code\":"               \
    "\"loss_statement\",\"name_zh\":\"遗失声明\",\"name_en\":\"Loss statement\",\"required\":"   \
    "true}],\"fees\":[{\"code\":\"registration_certificate\",\"name_zh\":\"工本费\",\"name_en\":" \
    "\"Certificate\",\"amount_fen\":1000},{\"code\":\"ems_postage\",\"name_zh\":\"邮寄费\","      \
    "\"name_en\":\"EMS postage\",\"amount_fen\":2000}],"                                             \
    "\"route\":[\"review\",\"approval\",\"print\",\"archive\",\"dispatch\"],"                        \
    "\"sla_working_days\":3,\"police_approval\":true,\"output\":\"registration_certificate\","       \
    "\"delivery\":\"ems\",\"requires\":[\"applicant\",\"vehicle\",\"delivery\"],"                    \
    "\"rules\":{\"renewal_window_days\":90}}"
#define GOOD HEAD D01 "," V04 "]}"

static char text_buf[1 << 16];

/* GOOD with the first occurrence of `from` replaced by `to`. */
static const char *edit(const char *from, const char *to)
{
    const char *good = GOOD;
    const char *at = strstr(good, from);
    if (!at)
        fail_msg("'%s' is not in the test catalog", from);
    size_t pre = (size_t)(at - good), fl = strlen(from), tl = strlen(to);
    size_t rest = strlen(at + fl);
    assert_true(pre + tl + rest < sizeof(text_buf));
    memcpy(text_buf, good, pre);
    memcpy(text_buf + pre, to, tl);
    memcpy(text_buf + pre + tl, at + fl, rest + 1);
    return text_buf;
}

static struct jy_error load_fails(const char *json, size_t len, enum jy_err code,
                                  const char *reason, const char *field)
{
    struct jy_catalog *cat = (struct jy_catalog *)&text_buf; /* a sentinel, never freed */
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_catalog_load(json, len, &cat, &err);
    if (rc != code || strcmp(err.reason, reason) != 0 || strcmp(err.field, field) != 0)
        fail_msg("got %s/%s at '%s' (%s), wanted %s/%s at '%s'", jy_err_name(rc), err.reason,
                 err.field, err.message, jy_err_name(code), reason, field);
    assert_ptr_equal(cat, (struct jy_catalog *)&text_buf); /* untouched */
    assert_true(err.message[0] != '\0');
    for (const char *p = err.message; *p; p++) /* messages are ASCII: safe to cut anywhere */
        assert_true((unsigned char)*p < 0x80);
    assert_int_equal(jy_catalog_load(json, len, &cat, NULL), code); /* err may be NULL */
    return err;
}

static struct jy_error fails(const char *from, const char *to, const char *reason,
                             const char *field)
{
    const char *json = edit(from, to);
    return load_fails(json, strlen(json), JY_INVALID, reason, field);
}

static void test_small_catalog_loads(void **state)
{
    (void)state;
    struct jy_catalog *cat = NULL;
    struct jy_error err;
    assert_int_equal(jy_catalog_load(GOOD, strlen(GOOD), &cat, &err), JY_OK);
    assert_int_equal(jy_catalog_count(cat), 2);
    assert_int_equal(jy_catalog_at(cat, 1)->rules.renewal_window_days, 90);
    jy_catalog_free(cat);
    /* not NUL-terminated: a length that stops inside the text */
    char copy[sizeof(GOOD) + 8];
    memcpy(copy, GOOD, sizeof(GOOD) - 1);
    memcpy(copy + sizeof(GOOD) - 1, "garbage", 8);
    assert_int_equal(jy_catalog_load(copy, sizeof(GOOD) - 1, &cat, NULL), JY_OK);
    jy_catalog_free(cat);
}

static void test_err_unknown_station(void **state)
{
    (void)state;
    struct jy_error e =
        fails("\"review\",\"approval\",\"print\"", "\"review\",\"aproval\",\"print\"",
              "unknown_station", "business_types[1].route[1]");
    assert_string_equal(e.message, "business type V04: route[1]: unknown station 'aproval'");
    assert_int_equal(e.code, JY_INVALID);
    e = fails("{\"code\":\"print\"", "{\"code\":\"printing\"", "unknown_station",
              "stations[2].code");
    assert_string_equal(e.message, "catalog: stations[2].code: unknown station 'printing'");
    /* a wrong type in a route */
    fails("\"review\",\"approval\",\"print\"", "\"review\",7,\"print\"", "wrong_type",
          "business_types[1].route[1]");
}

static void test_err_stations(void **state)
{
    (void)state;
    fails("{\"code\":\"print\"", "{\"code\":\"review\"", "duplicate_station", "stations[2].code");
    fails("{\"code\":\"print\",\"name_zh\":\"打印\",\"name_en\":\"Print\"},", "", "missing_station",
          "stations");
    fails("\"name_en\":\"Print\"", "\"name_en\":\"\"", "empty_name", "stations[2].name_en");
    fails("\"stations\":[", "\"stations\":[1,", "wrong_type", "stations[0]");
}

static void test_err_route(void **state)
{
    (void)state;
    struct jy_error e = fails("[\"review\",\"approval\",\"print\",\"archive\",\"dispatch\"]", "[]",
                              "empty_route", "business_types[1].route");
    assert_string_equal(e.message,
                        "business type V04: route: empty (only a counter_only type has no route)");
    fails("\"route\":[\"review\",\"approval\",\"print\"",
          "\"counter_only\":true,\"route\":[\"review\",\"approval\",\"print\"", "route_not_empty",
          "business_types[1].route");
    e = fails("\"review\",\"approval\",\"print\"", "\"review\",\"approval\",\"review\"",
              "duplicate_station", "business_types[1].route[2]");
    assert_string_equal(e.message,
                        "business type V04: route[2]: station 'review' is already route[0]");
    fails("\"print\",\"archive\",\"dispatch\"", "\"print\",\"dispatch\",\"archive\"",
          "dispatch_not_last", "business_types[1].route");
}

static void test_err_route_too_many(void **state)
{
    (void)state;
    const char *json =
        edit("\"route\":[\"review\",\"approval\",\"print\",\"archive\",\"dispatch\"]",
             "\"route\":[\"review\",\"approval\",\"print\",\"archive\",\"dispatch\","
             "\"review\",\"approval\",\"print\",\"archive\"]");
    struct jy_error e =
        load_fails(json, strlen(json), JY_TOO_LARGE, "too_many", "business_types[1].route");
    assert_string_equal(e.message, "business type V04: route: 9 entries, at most 8");
}

static void test_err_duplicate_code(void **state)
{
    (void)state;
    struct jy_error e =
        fails("\"code\":\"V04\"", "\"code\":\"d01\"", "duplicate_code", "business_types[1].code");
    assert_string_equal(e.message,
                        "business type d01: code: code d01 is already business_types[0]");
    fails("\"code\":\"V04\"", "\"code\":\"V 04\"", "bad_code", "business_types[1].code");
    fails("\"code\":\"V04\"", "\"code\":\"\"", "bad_code", "business_types[1].code");
    fails("\"code\":\"V04\"", "\"cdoe\":\"V04\"", "unknown_key", "business_types[1].cdoe");
    fails("\"code\":\"V04\",", "", "missing_key", "business_types[1].code");
}

static void test_err_fees(void **state)
{
    (void)state;
    struct jy_error e = fails("\"amount_fen\":2000", "\"amount_fen\":-2000", "negative_fee",
                              "business_types[1].fees[1].amount_fen");
    assert_string_equal(e.message, "business type V04: fees[1].amount_fen: fee ems_postage is "
                                   "negative (-2000 fen)");
    fails("\"amount_fen\":2000", "\"amount_fen\":100000001", "fee_too_large",
          "business_types[1].fees[1].amount_fen");
    fails("\"amount_fen\":2000", "\"amount_fen\":20.5", "wrong_type",
          "business_types[1].fees[1].amount_fen");
    fails("\"amount_fen\":2000", "\"amount_fen\":\"2000\"", "wrong_type",
          "business_types[1].fees[1].amount_fen");
    fails("{\"code\":\"ems_postage\"", "{\"code\":\"registration_certificate\"", "duplicate_fee",
          "business_types[1].fees[1].code");
    fails("\"amount_fen\":2000}", "\"amount_fen\":2000,\"amount\":1}", "unknown_key",
          "business_types[1].fees[1].amount");
    fails("\"fees\":[{\"code\":\"registration_certificate\"",
          "\"fees\":[\"x\",{\"code\":\"registration_certificate\"", "wrong_type",
          "business_types[1].fees[0]");
}

static void test_err_names(void **state)
{
    (void)state;
    struct jy_error e = fails("\"name_zh\":\"补领机动车登记证书\"", "\"name_zh\":\"\"",
                              "empty_name", "business_types[1].name_zh");
    assert_string_equal(e.message, "business type V04: name_zh: empty");
    fails("\"name_zh\":\"补领机动车登记证书\"", "\"name_zh\":\"   \"", "empty_name",
          "business_types[1].name_zh");
    fails("\"name_en\":\"Registration certificate\",", "", "missing_key",
          "business_types[1].name_en");
    fails("\"name_en\":\"Registration certificate\"", "\"name_en\":\"Registration\\ncertificate\"",
          "bad_text", "business_types[1].name_en");
    fails("\"name_en\":\"Registration certificate\"", "\"name_en\":null", "wrong_type",
          "business_types[1].name_en");
    fails("\"name_en\":\"Loss statement\"", "\"name_en\":\"\"", "empty_name",
          "business_types[1].documents[1].name_en");

    char name[JY_CATALOG_NAME_MAX_BYTES + 32];
    memset(name, 0, sizeof(name));
    memcpy(name, "\"name_en\":\"", 11);
    memset(name + 11, 'x', JY_CATALOG_NAME_MAX_BYTES + 1);
    name[11 + JY_CATALOG_NAME_MAX_BYTES + 1] = '"';
    const char *json = edit("\"name_en\":\"Registration certificate\"", name);
    load_fails(json, strlen(json), JY_TOO_LONG, "too_long", "business_types[1].name_en");
    /* exactly at the limit is fine */
    name[11 + JY_CATALOG_NAME_MAX_BYTES] = '"';
    name[11 + JY_CATALOG_NAME_MAX_BYTES + 1] = '\0';
    json = edit("\"name_en\":\"Registration certificate\"", name);
    struct jy_catalog *cat = NULL;
    assert_int_equal(jy_catalog_load(json, strlen(json), &cat, NULL), JY_OK);
    assert_int_equal(strlen(jy_catalog_at(cat, 1)->name_en), JY_CATALOG_NAME_MAX_BYTES);
    jy_catalog_free(cat);
}

static void test_err_enums(void **state)
{
    (void)state;
    struct jy_error e = fails("\"category\":\"vehicle\"", "\"category\":\"vehicles\"",
                              "unknown_category", "business_types[1].category");
    assert_string_equal(e.message, "business type V04: category: unknown category 'vehicles'");
    fails("\"output\":\"registration_certificate\"", "\"output\":\"certificate\"", "unknown_output",
          "business_types[1].output");
    fails("\"delivery\":\"ems\",\"requires\":[\"applicant\",\"vehicle\"",
          "\"delivery\":\"post\",\"requires\":[\"applicant\",\"vehicle\"", "unknown_delivery",
          "business_types[1].delivery");
    fails("\"category\":\"vehicle\"", "\"category\":[\"vehicle\"]", "wrong_type",
          "business_types[1].category");
}

static void test_err_delivery_and_approval(void **state)
{
    (void)state;
    /* ems, but the route stops at archive */
    struct jy_error e = fails("\"print\",\"archive\",\"dispatch\"]", "\"print\",\"archive\"]",
                              "delivery_mismatch", "business_types[1].delivery");
    assert_string_equal(e.message,
                        "business type V04: delivery: ems delivery needs a route that ends at "
                        "dispatch");
    /* the route ends at dispatch, but nothing is delivered */
    fails("\"delivery\":\"ems\",\"requires\":[\"applicant\",\"vehicle\",\"delivery\"]",
          "\"delivery\":\"none\",\"requires\":[\"applicant\",\"vehicle\"]", "delivery_mismatch",
          "business_types[1].delivery");
    e = fails("\"sla_working_days\":3,\"police_approval\":true,\"output\":\"registration",
              "\"sla_working_days\":3,\"police_approval\":false,\"output\":\"registration",
              "approval_mismatch", "business_types[1].police_approval");
    assert_string_equal(e.message, "business type V04: police_approval: false, but the route "
                                   "passes approval");
    fails("\"review\",\"approval\",\"print\"", "\"review\",\"print\"", "approval_mismatch",
          "business_types[1].police_approval");
    fails("\"police_approval\":true,\"output\":\"registration",
          "\"police_approval\":1,\"output\":\"registration", "wrong_type",
          "business_types[1].police_approval");
}

static void test_err_sla(void **state)
{
    (void)state;
    fails("\"sla_working_days\":3,\"police_approval\":true,\"output\":\"registration",
          "\"sla_working_days\":0,\"police_approval\":true,\"output\":\"registration", "bad_sla",
          "business_types[1].sla_working_days");
    fails("\"sla_working_days\":3,\"police_approval\":true,\"output\":\"registration",
          "\"sla_working_days\":-1,\"police_approval\":true,\"output\":\"registration", "bad_sla",
          "business_types[1].sla_working_days");
    fails("\"sla_working_days\":3,\"police_approval\":true,\"output\":\"registration",
          "\"sla_working_days\":\"3\",\"police_approval\":true,\"output\":\"registration",
          "wrong_type", "business_types[1].sla_working_days");
}

static void test_err_documents(void **state)
{
    (void)state;
    struct jy_error e = fails("{\"code\":\"loss_statement\"", "{\"code\":\"ID_CARD\"",
                              "duplicate_document", "business_types[1].documents[1].code");
    assert_string_equal(e.message, "business type V04: documents[1].code: document 'ID_CARD' is "
                                   "listed twice");
    fails("\"name_en\":\"Loss statement\",\"required\":true", "\"name_en\":\"Loss statement\"",
          "missing_key", "business_types[1].documents[1].required");
    fails("\"name_en\":\"Loss statement\",\"required\":true",
          "\"name_en\":\"Loss statement\",\"required\":\"yes\"", "wrong_type",
          "business_types[1].documents[1].required");
    fails("\"required\":true}", "\"required\":true,\"requried\":true}", "unknown_key",
          "business_types[0].documents[0].requried");

    /* more documents than JY_CATALOG_MAX_DOCUMENTS */
    char docs[4096] = "\"documents\":[";
    for (int i = 0; i <= JY_CATALOG_MAX_DOCUMENTS; i++) {
        char one[128];
        snprintf(one, sizeof(one),
                 "%s{\"code\":\"d%d\",\"name_zh\":\"文件\",\"name_en\":\"Doc\",\"required\":true}",
                 i ? "," : "", i);
        memcpy(docs + strlen(docs), one, strlen(one) + 1);
    }
    memcpy(docs + strlen(docs), "],\"fees\"", 9);
    const char *json = edit("\"documents\":[{\"code\":\"id_card\",\"name_zh\":\"身份证明\","
                            "\"name_en\":\"Proof of identity\",\"required\":true},{\"code\":"
                            "\"loss_statement\",\"name_zh\":\"遗失声明\",\"name_en\":\"Loss "
                            "statement\",\"required\":true}],\"fees\"",
                            docs);
    e = load_fails(json, strlen(json), JY_TOO_LARGE, "too_many", "business_types[1].documents");
    assert_string_equal(e.message, "business type V04: documents: 17 entries, at most 16");
}

static void test_err_requires(void **state)
{
    (void)state;
    fails("\"applicant\",\"vehicle\",\"delivery\"", "\"applicant\",\"vehicel\",\"delivery\"",
          "unknown_requirement", "business_types[1].requires[1]");
    fails("\"applicant\",\"vehicle\",\"delivery\"", "\"applicant\",\"vehicle\",\"applicant\"",
          "duplicate_requirement", "business_types[1].requires[2]");
    struct jy_error e = fails("\"applicant\",\"vehicle\",\"delivery\"", "\"applicant\",\"vehicle\"",
                              "requires_mismatch", "business_types[1].requires");
    assert_string_equal(e.message, "business type V04: requires: must list \"delivery\" exactly "
                                   "when delivery is ems");
    fails("\"applicant\",\"vehicle\",\"delivery\"", "\"applicant\",\"delivery\"",
          "requires_mismatch", "business_types[1].requires");
    fails("\"applicant\",\"licence\",\"delivery\"", "\"applicant\",\"delivery\"",
          "requires_mismatch", "business_types[0].requires");
    fails("\"applicant\",\"licence\",\"delivery\"",
          "\"applicant\",\"licence\",\"delivery\",\"owner_org_allowed\"", "requires_mismatch",
          "business_types[0].requires");
    fails("\"requires\":[\"applicant\",\"vehicle\",\"delivery\"]", "\"requires\":\"applicant\"",
          "wrong_type", "business_types[1].requires");
}

static void test_err_rules(void **state)
{
    (void)state;
    fails("\"renewal_window_days\":90", "\"renewal_window_days\":0", "bad_rule",
          "business_types[1].rules.renewal_window_days");
    fails("\"renewal_window_days\":90", "\"renewal_window_days\":367", "bad_rule",
          "business_types[1].rules.renewal_window_days");
    fails("\"renewal_window_days\":90", "\"renewal_window\":90", "unknown_key",
          "business_types[1].rules.renewal_window");
    fails("\"renewal_window_days\":90", "\"vehicle_age_years_max\":10,\"sticker_years\":[2,8,4]",
          "bad_rule", "business_types[1].rules.sticker_years[2]");
    fails("\"renewal_window_days\":90", "\"vehicle_age_years_max\":10,\"sticker_years\":[2,12]",
          "bad_rule", "business_types[1].rules.sticker_years[1]");
    fails("\"renewal_window_days\":90", "\"sticker_years\":[2,4]", "bad_rule",
          "business_types[1].rules.sticker_years");
    fails("\"renewal_window_days\":90", "\"vehicle_age_years_max\":10,\"sticker_years\":[]",
          "bad_rule", "business_types[1].rules.sticker_years");
    struct jy_error e = fails("\"renewal_window_days\":90",
                              "\"age_limits\":[{\"age_years\":60,\"classes\":\"A1G\"}]", "bad_rule",
                              "business_types[1].rules.age_limits[0].classes");
    assert_string_equal(e.message, "business type V04: rules.age_limits[0].classes: unknown "
                                   "licence class 'G'");
    fails("\"renewal_window_days\":90",
          "\"age_limits\":[{\"age_years\":70,\"classes\":\"D\"},{\"age_years\":60,\"classes\":"
          "\"A1\"}]",
          "bad_rule", "business_types[1].rules.age_limits[1].age_years");
    fails("\"renewal_window_days\":90", "\"age_limits\":[{\"age_years\":60}]", "missing_key",
          "business_types[1].rules.age_limits[0].classes");
    fails("\"rules\":{\"renewal_window_days\":90}", "\"rules\":[]", "wrong_type",
          "business_types[1].rules");

    /* the full set parses */
    struct jy_catalog *cat = NULL;
    const char *json =
        edit("\"renewal_window_days\":90",
             "\"renewal_window_days\":90,\"vehicle_age_years_max\":10,\"sticker_years\":[2,4,8],"
             "\"age_limits\":[{\"age_years\":60,\"classes\":\"A1A2\"},{\"age_years\":70,"
             "\"classes\":\"de\"}]");
    assert_int_equal(jy_catalog_load(json, strlen(json), &cat, NULL), JY_OK);
    const struct jy_catalog_rules *r = &jy_catalog_at(cat, 1)->rules;
    assert_int_equal(r->sticker_years, 0x114);
    assert_int_equal(r->age_limits[1].classes,
                     JY_LICENCE_BIT(JY_LICENCE_D) | JY_LICENCE_BIT(JY_LICENCE_E));
    jy_catalog_free(cat);
}

static void test_err_top_level(void **state)
{
    (void)state;
    struct jy_error e =
        fails("\"demo_fees\":true", "\"demo_fees\":true,\"colour\":1", "unknown_key", "colour");
    assert_string_equal(e.message, "catalog: colour: unknown key 'colour'");
    fails("\"version\":1", "\"version\":2", "unsupported_version", "version");
    fails("\"version\":1,", "", "missing_key", "version");
    fails("\"currency\":\"CNY\"", "\"currency\":\"USD\"", "unsupported_currency", "currency");
    fails("\"demo_fees\":true", "\"demo_fees\":\"yes\"", "wrong_type", "demo_fees");
    fails("\"business_types\":[", "\"business_types\":[],\"x\":[", "unknown_key", "x");
    const char *empty = HEAD "]}";
    load_fails(empty, strlen(empty), JY_INVALID, "no_business_types", "business_types");
    load_fails("[]", 2, JY_INVALID, "wrong_type", "");
    /* unknown keys are reported with their bytes made safe */
    e = fails("\"demo_fees\":true", "\"demo_fees\":true,\"k\\u00e9y\\n\":1", "unknown_key", "k?y?");
    assert_string_equal(e.message, "catalog: k?y?: unknown key 'k?y?'");
}

static void test_err_json(void **state)
{
    (void)state;
    load_fails("{", 1, JY_INVALID, "bad_json", "");
    load_fails("", 0, JY_INVALID, "bad_json", "");
    load_fails(NULL, 0, JY_INVALID, "bad_json", "");
    load_fails("{\"version\":1} trailing", 22, JY_INVALID, "bad_json", "");
    load_fails("{\"version\":1,\"version\":1}", 25, JY_INVALID, "bad_json", "");
    /* a duplicate key inside an entry */
    fails("\"code\":\"V04\"", "\"code\":\"V04\",\"code\":\"V05\"", "bad_json", "");
    /* invalid UTF-8 and an embedded NUL */
    fails("\"Registration certificate\"", "\"Registration \xff certificate\"", "bad_json", "");
    const char nul[] = "{\"version\":1\0}";
    load_fails(nul, sizeof(nul) - 1, JY_INVALID, "bad_json", "");
    fails("\"Registration certificate\"", "\"Registration \\u0000 certificate\"", "bad_json", "");
}

static void test_err_limits(void **state)
{
    (void)state;
    /* too large: refused before parsing */
    char *big = malloc(JY_CATALOG_MAX_BYTES + 1);
    assert_non_null(big);
    memset(big, ' ', JY_CATALOG_MAX_BYTES + 1);
    load_fails(big, JY_CATALOG_MAX_BYTES + 1, JY_TOO_LARGE, "too_large", "");
    free(big);

    /* too deep: refused before parsing; brackets inside strings do not count */
    char deep[JY_JSON_MAX_DEPTH + 2];
    memset(deep, '[', sizeof(deep));
    load_fails(deep, sizeof(deep), JY_TOO_LARGE, "too_deep", "");
    char shallow[64 + JY_JSON_MAX_DEPTH * 2];
    int n = snprintf(shallow, sizeof(shallow), "{\"note\":\"");
    memset(shallow + n, '[', JY_JSON_MAX_DEPTH + 2);
    n += JY_JSON_MAX_DEPTH + 2;
    memcpy(shallow + n, "\\\"[\"}", 6);
    load_fails(shallow, strlen(shallow), JY_INVALID, "missing_key", "version");

    /* more business types than JY_CATALOG_MAX_TYPES */
    static char many[1 << 18];
    size_t len = 0;
    memcpy(many, HEAD, strlen(HEAD));
    len += strlen(HEAD);
    const char *entry = strstr(GOOD, "{\"code\":\"V04\"");
    size_t elen = strlen(entry) - 2; /* without the closing "]}" */
    for (int i = 0; i <= JY_CATALOG_MAX_TYPES; i++) {
        if (i)
            many[len++] = ',';
        memcpy(many + len, entry, elen);
        snprintf(many + len + 10, 3, "%02d", i); /* V04 -> V00, V01, … */
        many[len + 12] = '"';
        len += elen;
    }
    memcpy(many + len, "]}", 3);
    len += 2;
    struct jy_error e = load_fails(many, len, JY_TOO_LARGE, "too_many", "business_types");
    assert_string_equal(e.message, "catalog: business_types: 65 entries, at most 64");
    /* one fewer loads */
    char *cut = strstr(many, ",{\"code\":\"V64\"");
    assert_non_null(cut);
    memcpy(cut, "]}", 3);
    struct jy_catalog *cat = NULL;
    assert_int_equal(jy_catalog_load(many, strlen(many), &cat, NULL), JY_OK);
    assert_int_equal(jy_catalog_count(cat), JY_CATALOG_MAX_TYPES);
    assert_non_null(jy_catalog_find(cat, "V63", 3));
    jy_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_real_overview),
        cmocka_unit_test(test_real_routes),
        cmocka_unit_test(test_real_fees),
        cmocka_unit_test(test_real_documents),
        cmocka_unit_test(test_real_requires_and_rules),
        cmocka_unit_test(test_route_walk),
    };
    const struct CMUnitTest rest[] = {
        cmocka_unit_test(test_embedded_copy),
        cmocka_unit_test(test_stations),
        cmocka_unit_test(test_total_fee_overflow),
        cmocka_unit_test(test_small_catalog_loads),
        cmocka_unit_test(test_err_unknown_station),
        cmocka_unit_test(test_err_stations),
        cmocka_unit_test(test_err_route),
        cmocka_unit_test(test_err_route_too_many),
        cmocka_unit_test(test_err_duplicate_code),
        cmocka_unit_test(test_err_fees),
        cmocka_unit_test(test_err_names),
        cmocka_unit_test(test_err_enums),
        cmocka_unit_test(test_err_delivery_and_approval),
        cmocka_unit_test(test_err_sla),
        cmocka_unit_test(test_err_documents),
        cmocka_unit_test(test_err_requires),
        cmocka_unit_test(test_err_rules),
        cmocka_unit_test(test_err_top_level),
        cmocka_unit_test(test_err_json),
        cmocka_unit_test(test_err_limits),
    };
    int failed =
        cmocka_run_group_tests_name("catalog: data/catalog.json", real, load_real, free_real);
    failed += cmocka_run_group_tests_name("catalog: validation", rest, NULL, NULL);
    return failed;
}
