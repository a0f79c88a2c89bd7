/*
 * Unit tests for the intake use cases: src/service/intake.c (validation, fees, due dates,
 * numbers, idempotency), query.c (scope, lists, keyset pages, events), documents.c (sniffing,
 * storage by SHA-256, dedupe) and the demo applications of demo.c, over src/store/applications.c.
 *
 * Every test runs on a fresh service (jy_service_open) in its own directory under /dev/shm when it
 * exists, with two open branches and a closed one, and one user of each role. Intakes are taken
 * at fixed times (jy_intake_at), so that numbers and due dates are known in advance.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/appno.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "core/vin.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/documents.h"
#include "service/intake.h"
#include "service/query.h"
#include "store/applications.h"
#include "store/audit.h"
#include "store/users.h"

/* ---- fixtures ---- */

struct fixture {
    char dir[256];
    char db[320];
    char docs[320];
    struct jy_service *svc;
    struct jy_store_conn *conn;
    struct jy_actor clerk1, clerk2, clerk3, review, print, police, logistics, manager;
    struct jy_store_application app; /* scratch */
};

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char sub[1024];
                snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
                remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* UTC seconds of `y-m-d hh:00` in Asia/Shanghai. */
static int64_t shanghai(int y, int m, int d, int hh)
{
    return jy_date_to_days((struct jy_date){y, m, d}) * 86400 + (int64_t)(hh - 8) * 3600;
}

/* Wednesday 2026-09-30, 10:00 in Wuhan: three working days later is the make-up Saturday
 * 2026-10-10, over the National Day holidays. */
#define NOW shanghai(2026, 9, 30, 10)

static int64_t add_branch(struct fixture *fx, const char *code, const char *name, bool open)
{
    struct jy_store_branch b;
    memset(&b, 0, sizeof(b));
    snprintf(b.code, sizeof(b.code), "%s", code);
    snprintf(b.name_zh, sizeof(b.name_zh), "%s", name);
    b.is_open = open;
    int64_t id = 0;
    struct jy_error err;
    assert_int_equal(jy_store_branch_insert(fx->conn, &b, &id, &err), JY_OK);
    return id;
}

static struct jy_actor add_user(struct fixture *fx, const char *name, enum jy_role role,
                                const char *branch, const char *stations)
{
    struct jy_auth_new_user u = {.username = name,
                                 .role = role,
                                 .branch_code = branch,
                                 .stations = stations,
                                 .password_hash = "$argon2id$not-a-real-hash"};
    struct jy_error err;
    int64_t id = 0;
    assert_int_equal(jy_auth_user_add(fx->svc, &u, &id, &err), JY_OK);
    struct jy_actor a;
    memset(&a, 0, sizeof(a));
    a.user_id = id;
    a.role = role;
    snprintf(a.username, sizeof(a.username), "%s", name);
    if (stations)
        assert_int_equal(jy_stations_parse(stations, &a.stations, &err), JY_OK);
    if (branch) {
        struct jy_store_branch b;
        assert_int_equal(jy_store_branch_by_code(fx->conn, branch, &b, &err), JY_OK);
        a.branch_id = b.id;
    }
    return a;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fx->dir, sizeof(fx->dir), "%s/jyintake-XXXXXX", base);
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->db, sizeof(fx->db), "%s/jingyou.db", fx->dir);
    snprintf(fx->docs, sizeof(fx->docs), "%s/documents", fx->dir);
    struct jy_service_config cfg = {.db_path = fx->db, .documents_dir = fx->docs};
    struct jy_error err;
    assert_int_equal(jy_service_open(&cfg, &fx->svc, &err), JY_OK);
    assert_int_equal(jy_service_conn(fx->svc, &fx->conn, &err), JY_OK);
    assert_int_equal(jy_store_begin(fx->conn, &err), JY_OK);
    add_branch(fx, "WH001", "彭刘杨路邮政支局", true);
    add_branch(fx, "WH002", "江岸区解放大道邮政支局", true);
    add_branch(fx, "WH003", "已关闭的支局", false);
    assert_int_equal(jy_store_commit(fx->conn, &err), JY_OK);
    fx->clerk1 = add_user(fx, "clerk", JY_ROLE_CLERK, "WH001", NULL);
    fx->clerk2 = add_user(fx, "clerk2", JY_ROLE_CLERK, "WH002", NULL);
    fx->clerk3 = add_user(fx, "clerk3", JY_ROLE_CLERK, "WH003", NULL);
    fx->review = add_user(fx, "review", JY_ROLE_OPERATOR, NULL, "review");
    fx->print = add_user(fx, "print", JY_ROLE_OPERATOR, NULL, "print,archive");
    fx->police = add_user(fx, "police", JY_ROLE_SUPERVISOR, NULL, NULL);
    fx->logistics = add_user(fx, "logistics", JY_ROLE_LOGISTICS, NULL, NULL);
    fx->manager = add_user(fx, "manager", JY_ROLE_MANAGER, NULL, NULL);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    jy_service_close(fx->svc);
    remove_tree(fx->dir);
    free(fx);
    return 0;
}

/* ---- bodies ---- */

/* The D01 body of DESIGN §8, with messy but valid input: a lower-case x, a mobile with spaces,
 * a lower-case class, a repeated document. */
static json_t *d01_body(void)
{
    json_t *b = json_loads(
        "{\"business_type\": \"d01\","
        " \"applicant\": {\"name\": \" 张三 \", \"id_type\": \"resident_id\","
        "   \"id_number\": \"11010519491231002x\", \"mobile\": \"138 0013 8000\"},"
        " \"licence\": {\"number\": \"11010519491231002X\", \"class\": \"c1\"},"
        " \"delivery\": {\"recipient\": \"张三\", \"mobile\": \"+86 13800138000\","
        "   \"address\": \"湖北省武汉市武昌区彭刘杨路1号\", \"postcode\": \"430060\"},"
        " \"documents\": [\"photo\", \"id_card\", \"loss_statement\", \"application_form\","
        "   \"id_card\"]}",
        0, NULL);
    assert_non_null(b);
    return b;
}

/* A valid domestic VIN (check digit computed). */
static void make_vin(char vin[18])
{
    memcpy(vin, "LSVAB22F0N2123456", 18);
    vin[8] = jy_vin_check_digit(vin);
}

/* A V05 mortgage registration of a company's new-energy car. */
static json_t *v05_body(void)
{
    char vin[18];
    make_vin(vin);
    json_t *b =
        json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s},"
                  " s:[s, s, s, s, s]}",
                  "business_type", "V05", "applicant", "name", "李四", "id_type", "resident_id",
                  "id_number", "420106198203150411", "mobile", "13907150000", "owner_uscc",
                  "91350100m000100y43", "vehicle", "plate", "鄂a·d12345", "plate_type", "52", "vin",
                  vin, "delivery", "recipient", "李四", "mobile", "13907150000", "address",
                  "湖北省武汉市江岸区解放大道100号", "documents", "id_card", "mortgagee_id",
                  "application_form", "registration_certificate", "mortgage_contract");
    assert_non_null(b);
    return b;
}

/* Set (or, with v NULL, delete) the value at a dotted path of `root`. */
static void set_path(json_t *root, const char *path, json_t *v)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", path);
    json_t *o = root;
    char *dot;
    char *p = buf;
    while ((dot = strchr(p, '.')) != NULL) {
        *dot = '\0';
        o = json_object_get(o, p);
        assert_non_null(o);
        p = dot + 1;
    }
    if (v)
        json_object_set_new(o, p, v);
    else
        json_object_del(o, p);
}

/* Rows that intake writes, to prove that a refusal writes nothing. */
struct counts {
    int64_t apps, last_event;
};

static struct counts count(struct fixture *fx)
{
    struct counts c;
    struct jy_error err;
    uint8_t hash[JY_AUDIT_HASH_BYTES];
    assert_int_equal(jy_store_application_count(fx->conn, &c.apps, &err), JY_OK);
    assert_int_equal(jy_store_audit_head(fx->conn, &c.last_event, hash, &err), JY_OK);
    return c;
}

static void intake_ok(struct fixture *fx, const struct jy_actor *who, json_t *body, int64_t now,
                      struct jy_store_application *ret)
{
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_intake_at(fx->svc, who, body, NULL, now, ret, NULL, &err);
    if (e != JY_OK)
        fail_msg("intake refused: %s %s %s", err.reason, err.field, err.message);
    json_decref(body);
}

/* ---- valid intakes ---- */

static void test_d01(void **state)
{
    struct fixture *fx = *state;
    struct counts before = count(fx);
    struct jy_store_application *a = &fx->app;
    bool replayed = true;
    struct jy_error err;
    json_t *body = d01_body();
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, body, NULL, NOW, a, &replayed, &err),
                     JY_OK);
    json_decref(body);
    assert_false(replayed);

    /* The number: centre WH, 2026-09-30, the day's first usable sequence, its check char. */
    struct jy_appno expect;
    uint32_t seq = 1;
    while (jy_appno_make("WH", (struct jy_date){2026, 9, 30}, seq, &expect, NULL) != JY_OK)
        seq++;
    assert_string_equal(a->number, expect.text);
    assert_int_equal(strncmp(a->number, "WH260930", 8), 0);
    struct jy_appno parsed;
    assert_int_equal(jy_appno_parse(a->number, strlen(a->number), &parsed, &err), JY_OK);

    /* Due over the National Day holidays on the official calendar: the make-up Saturday. */
    assert_string_equal(a->due_date, "2026-10-10");
    /* Fees from the catalog: 驾驶证工本费 10 yuan + EMS postage 20 yuan. */
    const struct jy_business_type *t = jy_catalog_find(jy_service_catalog(fx->svc), "D01", 3);
    int64_t total = 0;
    assert_int_equal(jy_business_type_total_fee(t, &total, &err), JY_OK);
    assert_int_equal(a->fee_total_fen, total);
    assert_int_equal(a->fee_total_fen, 3000);
    assert_int_equal(a->fee_count, 2);
    assert_string_equal(a->fees[0].code, "licence_card");
    assert_int_equal(a->fees[0].amount_fen, 1000);
    assert_string_equal(a->fees[1].code, "ems_postage");

    /* Normalised and queued at the route's first station. */
    assert_string_equal(a->business_type, "D01");
    assert_string_equal(a->state, "at_station");
    assert_string_equal(a->station, "review");
    assert_string_equal(a->applicant_name, "张三");
    assert_string_equal(a->applicant_id_number, "11010519491231002X");
    assert_string_equal(a->applicant_mobile, "13800138000");
    assert_string_equal(a->licence_number, "11010519491231002X");
    assert_string_equal(a->licence_class, "C1");
    assert_string_equal(a->delivery_mobile, "13800138000");
    assert_string_equal(a->delivery_postcode, "430060");
    assert_int_equal(a->document_count, 4); /* catalog order, no repeat */
    assert_string_equal(a->documents[0], "id_card");
    assert_string_equal(a->documents[1], "photo");
    assert_string_equal(a->documents[2], "application_form");
    assert_string_equal(a->documents[3], "loss_statement");
    assert_int_equal(a->accepted_at, NOW);
    assert_int_equal(a->version, 1);
    assert_string_equal(a->branch_code, "WH001");
    assert_string_equal(a->clerk_username, "clerk");
    assert_string_equal(a->vehicle_plate, "");

    /* As stored: read back, identical. */
    struct jy_store_application *back = malloc(sizeof(*back));
    assert_non_null(back);
    assert_int_equal(jy_store_application_by_number(fx->conn, a->number, back, &err), JY_OK);
    assert_int_equal(back->id, a->id);
    assert_string_equal(back->due_date, a->due_date);
    assert_string_equal(back->applicant_id_number, a->applicant_id_number);
    assert_string_equal(back->branch_name_zh, "彭刘杨路邮政支局");
    assert_int_equal(back->fee_count, 2);
    assert_string_equal(back->fees[0].name, "驾驶证工本费");
    assert_int_equal(back->document_count, 4);
    assert_string_equal(back->documents[3], "loss_statement");
    assert_string_equal(back->delivery_address, "湖北省武汉市武昌区彭刘杨路1号");
    free(back);

    /* One application, one event: null → at_station review, reason intake, by the clerk. */
    struct counts after = count(fx);
    assert_int_equal(after.apps, before.apps + 1);
    assert_int_equal(after.last_event, before.last_event + 1);
    int64_t checked = 0, broken = 0;
    assert_int_equal(jy_store_audit_verify(fx->conn, &checked, &broken, &err), JY_OK);
}

static bool one_event(void *ctx, const struct jy_store_event_row *e)
{
    struct jy_store_event_row *out = ctx;
    *out = *e;
    return true;
}

static void test_v05(void **state)
{
    struct fixture *fx = *state;
    struct jy_store_application *a = &fx->app;
    /* Friday 2026-11-27: Monday, Tuesday, Wednesday → due 2026-12-02. */
    intake_ok(fx, &fx->clerk2, v05_body(), shanghai(2026, 11, 27, 15), a);
    assert_int_equal(strncmp(a->number, "WH261127", 8), 0);
    assert_string_equal(a->due_date, "2026-12-02");
    assert_int_equal(a->fee_total_fen, 2000); /* registration free, EMS postage 20 yuan */
    assert_string_equal(a->vehicle_plate, "鄂AD12345");
    assert_string_equal(a->vehicle_plate_type, "52");
    char vin[18];
    make_vin(vin);
    assert_string_equal(a->vehicle_vin, vin);
    assert_string_equal(a->owner_uscc, "91350100M000100Y43");
    assert_string_equal(a->licence_number, "");
    assert_int_equal(a->branch_id, fx->clerk2.branch_id);
    assert_string_equal(a->station, "review");

    struct jy_store_event_row ev;
    struct jy_error err;
    assert_int_equal(jy_query_events(fx->svc, &fx->clerk2, a->number, one_event, &ev, NULL, &err),
                     JY_OK);
    assert_int_equal(ev.application_id, a->id);
    assert_int_equal(ev.actor_id, fx->clerk2.user_id);
    assert_string_equal(ev.actor_username, "clerk2");
    assert_string_equal(ev.actor_role, "clerk");
    assert_int_equal(ev.branch_id, fx->clerk2.branch_id);
    assert_string_equal(ev.from_state, "");
    assert_string_equal(ev.to_state, "at_station");
    assert_string_equal(ev.to_station, "review");
    assert_string_equal(ev.reason, "intake");
    assert_false(ev.has_note);
    assert_int_equal(ev.at, shanghai(2026, 11, 27, 15));
}

/* ---- refusals ---- */

struct bad_case {
    const char *what;
    const char *base;  /* "d01", "v05" or "d03" */
    const char *path;  /* what to change; NULL: nothing */
    const char *value; /* JSON text of the new value; NULL: delete */
    enum jy_err code;
    const char *reason;
    const char *field;
};

static json_t *d03_body(void)
{
    json_t *b = d01_body();
    set_path(b, "business_type", json_string("D03"));
    set_path(b, "documents",
             json_pack("[s, s, s, s, s]", "id_card", "photo", "application_form", "driving_licence",
                       "medical_certificate"));
    set_path(b, "licence.expiry", json_string("2026-12-01")); /* 62 days after 09-30 */
    return b;
}

static const struct bad_case bad_cases[] = {
    {"unknown top field", "d01", "colour", "\"red\"", JY_INVALID, "unknown_field", "colour"},
    {"unknown nested field", "d01", "applicant.age", "30", JY_INVALID, "unknown_field",
     "applicant.age"},
    {"no applicant", "d01", "applicant", NULL, JY_INVALID, "missing_field", "applicant"},
    {"no name", "d01", "applicant.name", NULL, JY_INVALID, "missing_field", "applicant.name"},
    {"blank name", "d01", "applicant.name", "\"   \"", JY_INVALID, "missing_field",
     "applicant.name"},
    {"name of wrong type", "d01", "applicant.name", "42", JY_INVALID, "wrong_type",
     "applicant.name"},
    {"name too long", "d01", "applicant.name",
     "\"张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张"
     "张张张张张张张\"",
     JY_TOO_LONG, "too_long", "applicant.name"},
    {"name with a control character", "d01", "applicant.name", "\"张\\u0007三\"", JY_UNPROCESSABLE,
     "invalid_name", "applicant.name"},
    {"name reversed by a direction override", "d01", "applicant.name", "\"\\u202e四李\"",
     JY_UNPROCESSABLE, "invalid_name", "applicant.name"},
    {"name with a zero-width space", "d01", "applicant.name", "\"李\\u200b四\"", JY_UNPROCESSABLE,
     "invalid_name", "applicant.name"},
    {"recipient with a noncharacter", "d01", "delivery.recipient", "\"李\\ufffe四\"",
     JY_UNPROCESSABLE, "invalid_name", "delivery.recipient"},
    {"address with a zero-width joiner", "d01", "delivery.address",
     "\"湖北省武汉市武昌区彭刘杨路\\u200d1号\"", JY_UNPROCESSABLE, "invalid_address",
     "delivery.address"},
    {"no business type", "d01", "business_type", NULL, JY_INVALID, "missing_field",
     "business_type"},
    {"documents not an array", "d01", "documents", "\"id_card\"", JY_INVALID, "wrong_type",
     "documents"},
    {"a document not a string", "d01", "documents", "[\"id_card\", 7]", JY_INVALID, "wrong_type",
     "documents[1]"},
    {"unknown business type", "d01", "business_type", "\"X99\"", JY_UNPROCESSABLE,
     "unknown_business_type", "business_type"},
    {"counter-only type", "d01", "business_type", "\"W02\"", JY_UNPROCESSABLE, "counter_only_type",
     "business_type"},
    {"passport", "d01", "applicant.id_type", "\"passport\"", JY_UNPROCESSABLE,
     "unsupported_id_type", "applicant.id_type"},
    {"ID check character", "d01", "applicant.id_number", "\"110105194912310021\"", JY_UNPROCESSABLE,
     "invalid_id_number", "applicant.id_number"},
    {"ID too long", "d01", "applicant.id_number",
     "\"11010519491231002X11010519491231002X11010519491231002X11010519491231002X\"", JY_TOO_LONG,
     "too_long", "applicant.id_number"},
    {"mobile", "d01", "applicant.mobile", "\"12800138000\"", JY_UNPROCESSABLE, "invalid_mobile",
     "applicant.mobile"},
    {"vehicle on a licence type", "d01", "vehicle",
     "{\"plate\": \"鄂A12345\", \"plate_type\": \"02\", \"vin\": \"LSVAB22F0N2123456\"}",
     JY_INVALID, "unknown_field", "vehicle"},
    {"organisation on a licence type", "d01", "owner_uscc", "\"91350100M000100Y43\"", JY_INVALID,
     "unknown_field", "owner_uscc"},
    {"no licence", "d01", "licence", NULL, JY_INVALID, "missing_field", "licence"},
    {"licence number", "d01", "licence.number", "\"11010519491231002Y\"", JY_UNPROCESSABLE,
     "invalid_id_number", "licence.number"},
    {"licence class", "d01", "licence.class", "\"C7\"", JY_UNPROCESSABLE, "invalid_licence_class",
     "licence.class"},
    {"no delivery", "d01", "delivery", NULL, JY_UNPROCESSABLE, "delivery_required", "delivery"},
    {"short address", "d01", "delivery.address", "\"武汉市\"", JY_UNPROCESSABLE, "invalid_address",
     "delivery.address"},
    {"postcode", "d01", "delivery.postcode", "\"4300\"", JY_UNPROCESSABLE, "invalid_postcode",
     "delivery.postcode"},
    {"delivery mobile", "d01", "delivery.mobile", "\"1380013800\"", JY_UNPROCESSABLE,
     "invalid_mobile", "delivery.mobile"},
    {"no recipient", "d01", "delivery.recipient", NULL, JY_INVALID, "missing_field",
     "delivery.recipient"},
    {"missing document", "d01", "documents", "[\"id_card\", \"application_form\"]",
     JY_UNPROCESSABLE, "missing_document", "documents"},
    {"unknown document", "d01", "documents",
     "[\"id_card\", \"photo\", \"application_form\", \"loss_statement\", \"tax\"]",
     JY_UNPROCESSABLE, "unknown_document", "documents[4]"},
    {"plate", "v05", "vehicle.plate", "\"鄂I12345\"", JY_UNPROCESSABLE, "invalid_plate",
     "vehicle.plate"},
    {"plate type", "v05", "vehicle.plate_type", "\"00\"", JY_UNPROCESSABLE, "unknown_plate_type",
     "vehicle.plate_type"},
    {"plate against type", "v05", "vehicle.plate_type", "\"02\"", JY_UNPROCESSABLE,
     "plate_type_mismatch", "vehicle.plate_type"},
    {"VIN check digit", "v05", "vehicle.vin", "\"LSVAB22F1N2123456\"", JY_UNPROCESSABLE,
     "invalid_vin", "vehicle.vin"},
    {"VIN with O", "v05", "vehicle.vin", "\"LSVAB22FON2123456\"", JY_UNPROCESSABLE, "invalid_vin",
     "vehicle.vin"},
    {"no VIN", "v05", "vehicle.vin", NULL, JY_INVALID, "missing_field", "vehicle.vin"},
    {"no vehicle", "v05", "vehicle", NULL, JY_INVALID, "missing_field", "vehicle"},
    {"credit code", "v05", "owner_uscc", "\"91350100M000100Y44\"", JY_UNPROCESSABLE, "invalid_uscc",
     "owner_uscc"},
    {"licence on a vehicle type", "v05", "licence",
     "{\"number\": \"11010519491231002X\", \"class\": \"C1\"}", JY_INVALID, "unknown_field",
     "licence"},
    {"D03 without expiry", "d03", "licence.expiry", NULL, JY_INVALID, "missing_field",
     "licence.expiry"},
    {"D03 too early", "d03", "licence.expiry", "\"2027-06-01\"", JY_UNPROCESSABLE, "renewal_window",
     "licence.expiry"},
    {"D03 expired", "d03", "licence.expiry", "\"2026-09-29\"", JY_UNPROCESSABLE, "renewal_window",
     "licence.expiry"},
    {"D03 bad date", "d03", "licence.expiry", "\"2026-13-01\"", JY_UNPROCESSABLE, "invalid_date",
     "licence.expiry"},
};

static json_t *base_body(const char *base)
{
    if (strcmp(base, "v05") == 0)
        return v05_body();
    if (strcmp(base, "d03") == 0)
        return d03_body();
    return d01_body();
}

static void expect_refused(struct fixture *fx, const struct jy_actor *who, json_t *body,
                           const char *key, int64_t now, enum jy_err code, const char *reason,
                           const char *field, const char *what)
{
    struct counts before = count(fx);
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_intake_at(fx->svc, who, body, key, now, &fx->app, NULL, &err);
    if (e != code || strcmp(err.reason, reason) != 0 || strcmp(err.field, field) != 0)
        fail_msg("%s: got %s/%s/%s (%s), expected %s/%s/%s", what, jy_err_name(e), err.reason,
                 err.field, err.message, jy_err_name(code), reason, field);
    assert_true(err.message[0] != '\0');
    struct counts after = count(fx);
    assert_int_equal(after.apps, before.apps);
    assert_int_equal(after.last_event, before.last_event);
    assert_false(jy_store_in_transaction(fx->conn));
}

static void test_refusals(void **state)
{
    struct fixture *fx = *state;
    /* The D03 base itself is valid: each case breaks exactly one thing. */
    for (size_t i = 0; i < 3; i++) {
        static const char *const bases[] = {"d01", "v05", "d03"};
        json_t *b = base_body(bases[i]);
        struct jy_error err;
        int64_t before = count(fx).apps;
        assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, b, NULL, NOW, &fx->app, NULL, &err),
                         JY_OK);
        json_decref(b);
        assert_int_equal(count(fx).apps, before + 1);
    }
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        json_t *b = base_body(c->base);
        if (c->value) {
            json_error_t jerr;
            json_t *v = json_loads(c->value, JSON_DECODE_ANY, &jerr);
            if (!v)
                fail_msg("%s: bad test value: %s", c->what, jerr.text);
            set_path(b, c->path, v);
        } else {
            set_path(b, c->path, NULL);
        }
        expect_refused(fx, &fx->clerk1, b, NULL, NOW, c->code, c->reason, c->field, c->what);
        json_decref(b);
    }

    /* Who and where. */
    json_t *b = d01_body();
    expect_refused(fx, &fx->review, b, NULL, NOW, JY_FORBIDDEN, "forbidden", "", "operator");
    expect_refused(fx, &fx->manager, b, NULL, NOW, JY_FORBIDDEN, "forbidden", "", "manager");
    expect_refused(fx, &fx->clerk3, b, NULL, NOW, JY_UNPROCESSABLE, "branch_closed", "",
                   "closed branch");
    /* A due date that runs into a year without holiday data. */
    expect_refused(fx, &fx->clerk1, b, NULL, shanghai(2026, 12, 30, 10), JY_NO_DATA,
                   "calendar_year_missing", "", "calendar");
    expect_refused(fx, &fx->clerk1, b, "", NOW, JY_INVALID, "bad_idempotency_key",
                   "Idempotency-Key", "empty key");
    expect_refused(fx, &fx->clerk1, b, "line\nbreak", NOW, JY_INVALID, "bad_idempotency_key",
                   "Idempotency-Key", "key with a control character");
    json_decref(b);

    /* A refused intake gives its number back: the next good one of a new day is number 1. */
    struct jy_store_application *a = &fx->app;
    int64_t day = shanghai(2026, 10, 12, 9);
    json_t *bad = d01_body();
    set_path(bad, "applicant.mobile", json_string("1"));
    expect_refused(fx, &fx->clerk1, bad, NULL, day, JY_UNPROCESSABLE, "invalid_mobile",
                   "applicant.mobile", "mobile");
    json_decref(bad);
    intake_ok(fx, &fx->clerk1, d01_body(), day, a);
    struct jy_appno no;
    struct jy_error err;
    assert_int_equal(jy_appno_parse(a->number, strlen(a->number), &no, &err), JY_OK);
    struct jy_appno first;
    uint32_t seq = 1;
    while (jy_appno_make("WH", no.date, seq, &first, NULL) != JY_OK)
        seq++;
    assert_int_equal(no.seq, seq);
}

/* ---- idempotency ---- */

static void test_idempotency(void **state)
{
    struct fixture *fx = *state;
    struct jy_store_application *a = &fx->app;
    struct jy_store_application *b = malloc(sizeof(*b));
    assert_non_null(b);
    struct jy_error err;
    bool replayed = true;
    json_t *body = d01_body();
    int64_t apps = count(fx).apps;
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, body, "order-42", NOW, a, &replayed, &err),
                     JY_OK);
    assert_false(replayed);
    assert_int_equal(count(fx).apps, apps + 1);

    /* The same body again, later, even one the rules would now refuse: the same application. */
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, body, "order-42",
                                  shanghai(2026, 12, 30, 10), b, &replayed, &err),
                     JY_OK);
    assert_true(replayed);
    assert_string_equal(b->number, a->number);
    assert_int_equal(b->id, a->id);
    assert_int_equal(count(fx).apps, apps + 1);

    /* The same JSON written otherwise (key order, spacing) is the same body. */
    char *text = json_dumps(body, JSON_INDENT(2));
    assert_non_null(text);
    json_t *again = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(again);
    json_t *docs = json_deep_copy(json_object_get(again, "documents"));
    json_object_del(again, "documents");
    json_object_set_new(again, "documents", docs); /* now last instead of in place */
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, again, "order-42", NOW, b, &replayed, &err),
                     JY_OK);
    assert_true(replayed);
    assert_string_equal(b->number, a->number);
    json_decref(again);

    /* A different body with the key: refused, nothing written. */
    json_t *other = d01_body();
    set_path(other, "applicant.mobile", json_string("13900139000"));
    expect_refused(fx, &fx->clerk1, other, "order-42", NOW, JY_CONFLICT, "idempotency_key_reused",
                   "Idempotency-Key", "reused key");
    json_decref(other);

    /* Keys are per user: another clerk's "order-42" is a new application. */
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk2, body, "order-42", NOW, b, &replayed, &err),
                     JY_OK);
    assert_false(replayed);
    assert_string_not_equal(b->number, a->number);
    assert_int_equal(count(fx).apps, apps + 2);

    /* A refused first attempt records no key: the corrected body is then taken under it. */
    json_t *bad = d01_body();
    set_path(bad, "applicant.mobile", json_string("1"));
    expect_refused(fx, &fx->clerk1, bad, "order-43", NOW, JY_UNPROCESSABLE, "invalid_mobile",
                   "applicant.mobile", "bad first attempt");
    json_decref(bad);
    assert_int_equal(jy_intake_at(fx->svc, &fx->clerk1, body, "order-43", NOW, b, &replayed, &err),
                     JY_OK);
    assert_false(replayed);
    json_decref(body);
    free(b);
}

/* ---- reading: scope, lists, events ---- */

struct collected {
    size_t n;
    char numbers[64][JY_APP_NUMBER_SIZE];
};

static bool collect(void *ctx, const struct jy_store_application *a)
{
    struct collected *c = ctx;
    if (c->n < 64)
        snprintf(c->numbers[c->n++], JY_APP_NUMBER_SIZE, "%s", a->number);
    return true;
}

static size_t list(struct fixture *fx, const struct jy_actor *who, struct jy_query_filter f,
                   struct collected *c, char next[JY_QUERY_CURSOR_SIZE])
{
    struct jy_error err;
    memset(c, 0, sizeof(*c));
    enum jy_err e = jy_query_list(fx->svc, who, &f, collect, c, next, &err);
    if (e != JY_OK)
        fail_msg("list refused: %s %s", err.reason, err.message);
    return c->n;
}

static void test_query(void **state)
{
    struct fixture *fx = *state;
    struct jy_error err;
    char n1[JY_APP_NUMBER_SIZE], n2[JY_APP_NUMBER_SIZE];
    struct jy_store_application *a = &fx->app;
    for (int i = 0; i < 5; i++) /* five at WH001 */
        intake_ok(fx, &fx->clerk1, d01_body(), NOW + i, a);
    snprintf(n1, sizeof(n1), "%s", a->number);
    intake_ok(fx, &fx->clerk2, v05_body(), NOW + 10, a); /* one at WH002 */
    snprintf(n2, sizeof(n2), "%s", a->number);

    /* One application: in scope, out of scope, unknown, mistyped. */
    struct jy_store_application *g = malloc(sizeof(*g));
    assert_non_null(g);
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk1, n1, g, &err), JY_OK);
    struct jy_appno no;
    char display[JY_APPNO_DISPLAY_SIZE];
    assert_int_equal(jy_appno_parse(n1, strlen(n1), &no, &err), JY_OK);
    jy_appno_display(&no, display);
    for (char *p = display; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk1, display, g, &err), JY_OK);
    assert_string_equal(g->number, n1);
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk1, n2, g, &err), JY_FORBIDDEN);
    assert_string_equal(err.reason, "out_of_scope");
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk2, n2, g, &err), JY_OK);
    struct jy_appno unknown;
    assert_int_equal(jy_appno_make("WH", (struct jy_date){2026, 9, 30}, 999, &unknown, &err),
                     JY_OK);
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk1, unknown.text, g, &err), JY_NOT_FOUND);
    assert_string_equal(err.reason, "not_found");
    char typo[JY_APP_NUMBER_SIZE];
    snprintf(typo, sizeof(typo), "%s", n1);
    typo[strlen(typo) - 1] = typo[strlen(typo) - 1] == 'A' ? 'B' : 'A';
    assert_int_equal(jy_query_get(fx->svc, &fx->clerk1, typo, g, &err), JY_INVALID);
    assert_string_equal(err.reason, "invalid_number");
    assert_string_equal(err.field, "number");

    /* The back office: review sees what waits at review, print does not; the police,
     * the manager everything; logistics nothing before sealing. */
    assert_int_equal(jy_query_get(fx->svc, &fx->review, n2, g, &err), JY_OK);
    assert_int_equal(jy_query_get(fx->svc, &fx->print, n2, g, &err), JY_FORBIDDEN);
    assert_string_equal(err.reason, "out_of_scope");
    assert_int_equal(jy_query_get(fx->svc, &fx->police, n2, g, &err), JY_OK);
    assert_int_equal(jy_query_get(fx->svc, &fx->manager, n2, g, &err), JY_OK);
    assert_int_equal(jy_query_get(fx->svc, &fx->logistics, n2, g, &err), JY_FORBIDDEN);
    /* An operator who has an event on it reads it. */
    assert_int_equal(jy_store_begin(fx->conn, &err), JY_OK);
    struct jy_event ev = {.application_id = g->id,
                          .at = NOW + 20,
                          .actor_id = fx->print.user_id,
                          .actor_role = "operator",
                          .station = "print",
                          .from_state = "at_station",
                          .from_station = "review",
                          .to_state = "at_station",
                          .to_station = "review",
                          .note = "looked at it"};
    int64_t ev_id = 0;
    assert_int_equal(jy_store_event_append(fx->conn, &ev, &ev_id, &err), JY_OK);
    assert_int_equal(jy_store_commit(fx->conn, &err), JY_OK);
    assert_int_equal(jy_query_get(fx->svc, &fx->print, n2, g, &err), JY_OK);

    /* Lists, newest first, scoped. */
    struct collected c;
    char next[JY_QUERY_CURSOR_SIZE];
    assert_int_equal(list(fx, &fx->clerk1, (struct jy_query_filter){0}, &c, next), 5);
    assert_string_equal(c.numbers[0], n1);
    assert_string_equal(next, "");
    assert_int_equal(list(fx, &fx->clerk2, (struct jy_query_filter){0}, &c, next), 1);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){0}, &c, next), 6);
    assert_string_equal(c.numbers[0], n2);
    assert_int_equal(list(fx, &fx->review, (struct jy_query_filter){0}, &c, next), 6);
    assert_int_equal(list(fx, &fx->print, (struct jy_query_filter){0}, &c, next), 0);
    assert_int_equal(list(fx, &fx->logistics, (struct jy_query_filter){0}, &c, next), 0);

    /* Keyset pages of two: 2 + 2 + 1, no repeats, the cursor ends at "". */
    char seen[8][JY_APP_NUMBER_SIZE];
    size_t n_seen = 0, pages = 0;
    char cursor[JY_QUERY_CURSOR_SIZE] = "";
    do {
        struct jy_query_filter f = {.limit = 2, .cursor = cursor};
        size_t n = list(fx, &fx->clerk1, f, &c, next);
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < n_seen; j++)
                assert_string_not_equal(seen[j], c.numbers[i]);
            snprintf(seen[n_seen++], JY_APP_NUMBER_SIZE, "%s", c.numbers[i]);
        }
        snprintf(cursor, sizeof(cursor), "%s", next);
        pages++;
    } while (cursor[0] && pages < 10);
    assert_int_equal(pages, 3);
    assert_int_equal(n_seen, 5);

    /* Filters and the search box. */
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.type = "v05"}, &c, next), 1);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.branch = "WH001"}, &c, next),
                     5);
    char id_text[24];
    snprintf(id_text, sizeof(id_text), "%lld", (long long)fx->clerk2.branch_id);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.branch = id_text}, &c, next),
                     1);
    assert_int_equal(list(fx, &fx->police,
                          (struct jy_query_filter){.state = "at_station", .station = "review"}, &c,
                          next),
                     6);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.state = "sealed"}, &c, next),
                     0);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.q = "鄂A·D12345"}, &c, next),
                     1);
    assert_string_equal(c.numbers[0], n2);
    assert_int_equal(
        list(fx, &fx->police, (struct jy_query_filter){.q = "11010519491231002x"}, &c, next), 5);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.q = display}, &c, next), 1);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.q = "wh-260930"}, &c, next),
                     6);
    assert_int_equal(list(fx, &fx->police, (struct jy_query_filter){.q = "张三"}, &c, next), 0);

    /* Refused lists. */
    struct {
        const struct jy_actor *who;
        struct jy_query_filter f;
        enum jy_err code;
        const char *reason, *field;
    } refused[] = {
        {&fx->clerk1, {.branch = "WH002"}, JY_FORBIDDEN, "out_of_scope", ""},
        {&fx->review, {.station = "print"}, JY_FORBIDDEN, "out_of_scope", ""},
        {&fx->logistics, {.state = "at_station"}, JY_FORBIDDEN, "out_of_scope", ""},
        {&fx->police, {.state = "lost"}, JY_INVALID, "bad_parameter", "state"},
        {&fx->police, {.station = "kitchen"}, JY_INVALID, "bad_parameter", "station"},
        {&fx->police, {.type = "Z01"}, JY_INVALID, "bad_parameter", "type"},
        {&fx->police, {.branch = "WH999"}, JY_INVALID, "bad_parameter", "branch"},
        {&fx->police, {.cursor = "zz"}, JY_INVALID, "bad_parameter", "cursor"},
        {&fx->police, {.limit = JY_PAGE_MAX_ITEMS + 1}, JY_RANGE, "out_of_range", "limit"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        jy_error_clear(&err);
        assert_int_equal(
            jy_query_list(fx->svc, refused[i].who, &refused[i].f, collect, &c, next, &err),
            refused[i].code);
        assert_string_equal(err.reason, refused[i].reason);
        assert_string_equal(err.field, refused[i].field);
    }

    /* Events: the intake, then the print operator's, oldest first. */
    struct jy_store_event_row last;
    assert_int_equal(jy_query_events(fx->svc, &fx->police, n2, one_event, &last, NULL, &err),
                     JY_OK);
    assert_int_equal(last.id, ev_id);
    assert_string_equal(last.actor_username, "print");
    assert_true(last.has_note);
    assert_string_equal(last.note, "looked at it");
    assert_int_equal(jy_query_events(fx->svc, &fx->clerk1, n2, one_event, &last, NULL, &err),
                     JY_FORBIDDEN);
    free(g);
}

/* ---- documents ---- */

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0,
                                    0,    13,  'I', 'H', 'D',  'R',  0,    0,    0, 1};

static void test_sniff(void **state)
{
    (void)state;
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    assert_string_equal(jy_documents_sniff(jpeg, sizeof(jpeg)), "image/jpeg");
    assert_string_equal(jy_documents_sniff(png, sizeof(png)), "image/png");
    assert_string_equal(jy_documents_sniff("%PDF-1.7\n", 9), "application/pdf");
    assert_null(jy_documents_sniff("%PDF", 4));
    assert_null(jy_documents_sniff(png, 7));
    assert_null(jy_documents_sniff("GIF89a", 6));
    assert_null(jy_documents_sniff("<html>", 6));
    assert_null(jy_documents_sniff("", 0));
    assert_null(jy_documents_sniff(NULL, 3));
}

static void test_documents(void **state)
{
    struct fixture *fx = *state;
    struct jy_store_application *a = &fx->app;
    intake_ok(fx, &fx->clerk1, d01_body(), NOW, a);
    char n1[JY_APP_NUMBER_SIZE];
    snprintf(n1, sizeof(n1), "%s", a->number);
    intake_ok(fx, &fx->clerk1, d01_body(), NOW + 1, a);
    char n2[JY_APP_NUMBER_SIZE];
    snprintf(n2, sizeof(n2), "%s", a->number);

    struct jy_error err;
    struct jy_store_document d, d2;
    bool existing = true;
    assert_int_equal(jy_documents_upload(fx->svc, &fx->clerk1, n1, "PHOTO", png, sizeof(png), &d,
                                         &existing, &err),
                     JY_OK);
    assert_false(existing);
    assert_string_equal(d.kind, "photo");
    assert_string_equal(d.content_type, "image/png");
    assert_int_equal(d.size, sizeof(png));
    assert_int_equal(d.uploaded_by, fx->clerk1.user_id);

    /* The file: <documents>/<sha[0:2]>/<sha>, holding the bytes, named by their SHA-256. */
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, png, sizeof(png));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    assert_string_equal(d.sha256, hex);
    char path[700];
    snprintf(path, sizeof(path), "%s/%.2s/%s", fx->docs, hex, hex);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char buf[64];
    size_t got = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    assert_int_equal(got, sizeof(png));
    assert_memory_equal(buf, png, sizeof(png));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* The same bytes again: the same document. To another application: a new row, one file. */
    assert_int_equal(jy_documents_upload(fx->svc, &fx->clerk1, n1, "photo", png, sizeof(png), &d2,
                                         &existing, &err),
                     JY_OK);
    assert_true(existing);
    assert_int_equal(d2.id, d.id);
    assert_int_equal(jy_documents_upload(fx->svc, &fx->review, n2, "id_card", png, sizeof(png), &d2,
                                         &existing, &err),
                     JY_OK);
    assert_false(existing);
    assert_int_not_equal(d2.id, d.id);
    int64_t n = 0;
    assert_int_equal(jy_store_document_count(fx->conn, a->id, &n, &err), JY_OK);
    assert_int_equal(n, 1);

    /* Refused: by content, kind, role, scope, size. */
    struct {
        const struct jy_actor *who;
        const char *number, *kind;
        const void *data;
        size_t len;
        enum jy_err code;
        const char *reason;
    } refused[] = {
        {&fx->clerk1, n1, "photo", "GIF89a....", 10, JY_UNSUPPORTED_MEDIA_TYPE,
         "unsupported_document_type"},
        {&fx->clerk1, n1, "photo", "", 0, JY_INVALID, "empty_document"},
        {&fx->clerk1, n1, NULL, png, sizeof(png), JY_INVALID, "missing_field"},
        {&fx->clerk1, n1, "", png, sizeof(png), JY_INVALID, "missing_field"},
        {&fx->clerk1, n1, "vehicle_licence", png, sizeof(png), JY_UNPROCESSABLE,
         "unknown_document"},
        {&fx->manager, n1, "photo", png, sizeof(png), JY_FORBIDDEN, "forbidden"},
        {&fx->logistics, n1, "photo", png, sizeof(png), JY_FORBIDDEN, "forbidden"},
        {&fx->clerk2, n1, "photo", png, sizeof(png), JY_FORBIDDEN, "out_of_scope"},
        {&fx->print, n1, "photo", png, sizeof(png), JY_FORBIDDEN, "out_of_scope"},
        {&fx->clerk1, "WH-nonsense", "photo", png, sizeof(png), JY_INVALID, "invalid_number"},
        {&fx->clerk1, n1, "photo", png, (size_t)JY_HTTP_DOCUMENT_MAX_BYTES + 1, JY_TOO_LARGE,
         "too_large"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        jy_error_clear(&err);
        assert_int_equal(jy_documents_upload(fx->svc, refused[i].who, refused[i].number,
                                             refused[i].kind, refused[i].data, refused[i].len, &d2,
                                             NULL, &err),
                         refused[i].code);
        assert_string_equal(err.reason, refused[i].reason);
    }

    /* Download: the bytes, checked; an unknown or malformed hash is not found. */
    void *data = NULL;
    size_t len = 0;
    char upper[65];
    for (int i = 0; i < 65; i++)
        upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 'a' + 'A' : hex[i]);
    assert_int_equal(jy_documents_read(fx->svc, &fx->police, n1, upper, &d2, &data, &len, &err),
                     JY_OK);
    assert_int_equal(len, sizeof(png));
    assert_memory_equal(data, png, sizeof(png));
    assert_string_equal(d2.content_type, "image/png");
    free(data);
    assert_int_equal(jy_documents_read(fx->svc, &fx->clerk1, n1, "00", &d2, &data, &len, &err),
                     JY_NOT_FOUND);
    char zero[65];
    memset(zero, '0', 64);
    zero[64] = '\0';
    assert_int_equal(jy_documents_read(fx->svc, &fx->clerk1, n1, zero, &d2, &data, &len, &err),
                     JY_NOT_FOUND);
    assert_int_equal(jy_documents_read(fx->svc, &fx->clerk2, n1, hex, &d2, &data, &len, &err),
                     JY_FORBIDDEN);

    /* A file changed on disk is refused on the way out. */
    f = fopen(path, "r+b");
    assert_non_null(f);
    fputc('X', f);
    fclose(f);
    assert_int_equal(jy_documents_read(fx->svc, &fx->clerk1, n1, hex, &d2, &data, &len, &err),
                     JY_IO);
    assert_string_equal(err.reason, "document_corrupt");
}

/* ---- the demo city ---- */

/* Count the events: [0] all of them, [1] those that change the state or station — not the
 * paper's hand-overs (service/custody.h), which leave both as they were. */
static bool count_events(void *ctx, const struct jy_store_event_row *e)
{
    static const char *const custody[] = {"bag_closed", "received_at_centre", "batch_closed",
                                          "discrepancy_resolved"};
    int *n = ctx;
    n[0]++;
    for (size_t i = 0; i < sizeof(custody) / sizeof(custody[0]); i++)
        if (strcmp(e->reason, custody[i]) == 0)
            return true;
    n[1]++;
    return true;
}

static void test_demo(void **state)
{
    struct fixture *fx = *state;
    /* The demo seeds an empty database only: start from a fresh one. */
    jy_service_close(fx->svc);
    remove_tree(fx->dir);
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    /* The clock is pinned to 2026-11-30 10:00 in Shanghai, a day the calendar covers. */
    struct jy_service_config cfg = {
        .db_path = fx->db, .documents_dir = fx->docs, .clock_start = 1796004000};
    struct jy_error err;
    assert_int_equal(jy_service_open(&cfg, &fx->svc, &err), JY_OK);
    assert_int_equal(jy_service_conn(fx->svc, &fx->conn, &err), JY_OK);
    assert_int_equal(jy_demo_seed(fx->svc, &err), JY_OK);

    int64_t apps = 0;
    assert_int_equal(jy_store_application_count(fx->conn, &apps, &err), JY_OK);
    assert_int_equal(apps, 40);
    /* The back office has moved them along: every state the service makes has examples. */
    static const char *const states[] = {"at_station", "correction",     "refused",
                                         "sealed",     "shipped",        "delivered",
                                         "completed",  "delivery_failed"};
    int seen[sizeof(states) / sizeof(states[0])] = {0};
    int total_events = 0;
    for (int64_t id = 1; id <= apps; id++) {
        assert_int_equal(jy_store_application_by_id(fx->conn, id, &fx->app, &err), JY_OK);
        bool known = false;
        for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
            if (strcmp(fx->app.state, states[i]) == 0) {
                seen[i]++;
                known = true;
            }
        assert_true(known);
        int events[2] = {0, 0};
        assert_int_equal(jy_store_application_events(fx->conn, id, count_events, events, &err),
                         JY_OK);
        assert_true(events[1] >= 1);
        if (strcmp(fx->app.state, "at_station") == 0 && !fx->app.lease_user_id)
            assert_true(events[1] <= 3);
        total_events += events[0];
        struct jy_idcard idc;
        assert_int_equal(jy_idcard_parse(fx->app.applicant_id_number, 18,
                                         jy_date_from_unix_shanghai(fx->app.accepted_at), &idc,
                                         &err),
                         JY_OK);
        if (fx->app.owner_uscc[0]) {
            struct jy_uscc u;
            assert_int_equal(jy_uscc_parse(fx->app.owner_uscc, 18, &u, &err), JY_OK);
        }
    }
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (!seen[i])
            fail_msg("no demo application in state %s", states[i]);
    int64_t checked = 0, broken = 0;
    assert_int_equal(jy_store_audit_verify(fx->conn, &checked, &broken, &err), JY_OK);
    assert_int_equal(checked, total_events);
    /* Seeding again does nothing. */
    assert_int_equal(jy_demo_seed(fx->svc, &err), JY_OK);
    int64_t again = 0;
    assert_int_equal(jy_store_application_count(fx->conn, &again, &err), JY_OK);
    assert_int_equal(again, apps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_d01, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v05, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idempotency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query, setup, teardown),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test_setup_teardown(test_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
