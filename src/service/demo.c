/*
 * demo.c — the demo city: see demo.h.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/vin.h"
#include "core/timestamp.h"
#include "service/demo_geo.h"
#include "service/shipments.h"
#include "service/workflow.h"
#include "store/workflow.h"
#include "service/auth.h"
#include "service/intake.h"
#include "store/settings.h"
#include "store/users.h"
#include "../banned.h"

/* Wuhan's districts with an approximate centre (WGS-84) and how many of the 160 branches
 * each gets (roughly by population). */
static const struct {
    const char *name_zh;
    const char *name_en;
    double lat, lon;
    int branches;
} districts[] = {
    {"武昌区", "Wuchang", 30.554, 114.316, 18},  {"江岸区", "Jiang'an", 30.600, 114.309, 16},
    {"江汉区", "Jianghan", 30.601, 114.271, 14}, {"硚口区", "Qiaokou", 30.582, 114.215, 12},
    {"汉阳区", "Hanyang", 30.554, 114.219, 13},  {"青山区", "Qingshan", 30.640, 114.385, 10},
    {"洪山区", "Hongshan", 30.500, 114.400, 18}, {"东西湖区", "Dongxihu", 30.620, 114.137, 11},
    {"蔡甸区", "Caidian", 30.583, 114.029, 9},   {"江夏区", "Jiangxia", 30.376, 114.321, 12},
    {"黄陂区", "Huangpi", 30.882, 114.375, 12},  {"新洲区", "Xinzhou", 30.841, 114.801, 10},
    {"汉南区", "Hannan", 30.308, 114.084, 5},
};

static const char *const roads[] = {
    "解放大道", "中山大道", "建设大道", "发展大道", "武珞路",   "珞喻路",   "雄楚大道", "民族大道",
    "友谊大道", "和平大道", "沿江大道", "京汉大道", "汉阳大道", "鹦鹉大道", "琴台大道", "光谷大道",
    "关山大道", "文化大道", "工业大道", "临江大道", "古田路",   "新华路",   "黄浦大街", "青年路",
};

static const struct jy_demo_login logins[] = {
    {"clerk", "clerk", "彭刘杨路支局受理员"},
    {"clerk2", "clerk", "其他网点受理员（clerk2 … clerk6）"},
    {"window1", "clerk", "大厅1号窗口（window1 … window5）"},
    {"review", "operator", "审核岗操作员（review2 … review6 同岗）"},
    {"approval", "operator", "审批岗操作员"},
    {"print", "operator", "打印岗操作员"},
    {"production", "operator", "制证岗操作员"},
    {"archive", "operator", "档案岗操作员"},
    {"dispatch", "operator", "封发岗操作员"},
    {"police", "supervisor", "驻点民警"},
    {"logistics", "logistics", "押运与邮件处理中心"},
    {"manager", "manager", "邮政管理人员"},
    {"admin", "admin", "系统管理员"},
};

const struct jy_demo_login *jy_demo_logins(size_t *ret_n)
{
    *ret_n = sizeof(logins) / sizeof(logins[0]);
    return logins;
}

/* Operators: 20 over the stations, as the real centre has (DESIGN §1). The first of each
 * station has the station's name as its login. */
static const struct {
    const char *station;
    int count;
} operators[] = {
    {"review", 6},     {"approval", 2}, {"print", 3},
    {"production", 4}, {"archive", 2},  {"dispatch", 3},
};

/* A small deterministic generator, so that the demo city is the same on every machine. */
static double jitter(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((double)((*state >> 8) % 10000) / 10000.0 - 0.5) * 0.06;
}

static enum jy_err seed_branches(struct jy_store_conn *conn, struct jy_error *err)
{
    unsigned rng = 20261129u;
    int number = 1;
    for (size_t d = 0; d < sizeof(districts) / sizeof(districts[0]); d++) {
        for (int j = 0; j < districts[d].branches; j++, number++) {
            struct jy_store_branch b;
            memset(&b, 0, sizeof(b));
            snprintf(b.code, sizeof(b.code), "WH%03d", number);
            const char *road = roads[(d * 5 + (size_t)j) % (sizeof(roads) / sizeof(roads[0]))];
            if (number == 1) {
                road = "彭刘杨路";
                snprintf(b.address, sizeof(b.address), "湖北省武汉市武昌区彭刘杨路1号");
            } else {
                snprintf(b.address, sizeof(b.address), "湖北省武汉市%s%s%d号（演示）",
                         districts[d].name_zh, road, 10 + number);
            }
            snprintf(b.name_zh, sizeof(b.name_zh), "%s%s邮政支局",
                     number == 1 ? "" : districts[d].name_zh, road);
            snprintf(b.name_en, sizeof(b.name_en), "%s branch %d (demo)", districts[d].name_en,
                     number);
            snprintf(b.district, sizeof(b.district), "%s", districts[d].name_zh);
            b.lat = districts[d].lat + jitter(&rng);
            b.lon = districts[d].lon + jitter(&rng);
            jy_demo_branch_position(b.district, number, j, districts[d].branches, &b.lat, &b.lon);
            snprintf(b.bag_cutoff, sizeof(b.bag_cutoff), "17:30");
            b.is_open = true;
            b.demo = true;
            int64_t id;
            enum jy_err e = jy_store_branch_insert(conn, &b, &id, err);
            if (e != JY_OK)
                return e;
        }
    }
    return JY_OK;
}

static enum jy_err add(struct jy_service *svc, const char *username, const char *display,
                       enum jy_role role, const char *branch, const char *stations,
                       const char *hash, struct jy_error *err)
{
    struct jy_auth_new_user u = {
        .username = username,
        .display_name = display,
        .role = role,
        .branch_code = branch,
        .stations = stations,
        .password_hash = hash,
    };
    return jy_auth_user_add(svc, &u, NULL, err);
}

static enum jy_err seed_users(struct jy_service *svc, const char *hash, struct jy_error *err)
{
    enum jy_err e;
    if ((e = add(svc, "clerk", "王敏（彭刘杨路）", JY_ROLE_CLERK, "WH001", NULL, hash, err)))
        return e;
    /* More clerks, each at another branch, so that branch scoping can be seen. */
    static const char *const clerk_branches[] = {"WH002", "WH019", "WH035", "WH080", "WH120"};
    for (size_t i = 0; i < sizeof(clerk_branches) / sizeof(clerk_branches[0]); i++) {
        char name[16], display[64];
        snprintf(name, sizeof(name), "clerk%zu", i + 2);
        snprintf(display, sizeof(display), "受理员%zu（%s）", i + 2, clerk_branches[i]);
        if ((e = add(svc, name, display, JY_ROLE_CLERK, clerk_branches[i], NULL, hash, err)))
            return e;
    }
    for (size_t s = 0; s < sizeof(operators) / sizeof(operators[0]); s++) {
        for (int k = 1; k <= operators[s].count; k++) {
            char name[32], display[64];
            if (k == 1)
                snprintf(name, sizeof(name), "%s", operators[s].station);
            else
                snprintf(name, sizeof(name), "%s%d", operators[s].station, k);
            snprintf(display, sizeof(display), "%s岗操作员%d", operators[s].station, k);
            if ((e = add(svc, name, display, JY_ROLE_OPERATOR, NULL, operators[s].station, hash,
                         err)))
                return e;
        }
    }
    if ((e = add(svc, "police", "李警官（驻点民警）", JY_ROLE_SUPERVISOR, NULL, NULL, hash, err)) ||
        (e = add(svc, "logistics", "押运员", JY_ROLE_LOGISTICS, NULL, NULL, hash, err)) ||
        (e = add(svc, "manager", "邮政管理员", JY_ROLE_MANAGER, NULL, NULL, hash, err)) ||
        (e = add(svc, "admin", "系统管理员", JY_ROLE_ADMIN, NULL, NULL, hash, err)))
        return e;
    return JY_OK;
}

/* ---- demo applications, taken through the real intake ---- */

static const char *const surnames[] = {"张", "王", "李", "刘", "陈", "杨",  "赵",
                                       "黄", "周", "吴", "徐", "孙", "胡",  "朱",
                                       "高", "林", "何", "郭", "马", "欧阳"};
static const char *const given_names[] = {"伟", "芳",   "娜", "敏",   "静",   "丽",   "强",  "磊",
                                          "军", "洋",   "勇", "艳",   "杰",   "娟",   "涛",  "明",
                                          "超", "秀英", "华", "建平", "文博", "雨桐", "子涵"};
/* Address codes of Wuhan's central districts (GB/T 2260): 江岸 江汉 硚口 汉阳 武昌 青山 洪山. */
static const char *const wuhan_areas[] = {"420102", "420103", "420104", "420105",
                                          "420106", "420107", "420111"};
static const char *const licence_classes[] = {"C1", "C2", "C1", "B2", "A1", "C1E", "C1"};

/* The business types of the demo applications, in the rough proportions of a real counter. */
static const char *const demo_types[] = {"D01", "V03", "D02", "V01", "D03", "V05", "D01",
                                         "V07", "D05", "V08", "D02", "W01", "V04", "D03",
                                         "V02", "D06", "V06", "D04", "D01", "V03"};

/* Demo applications, and the clerks who take them (most at 彭刘杨路). */
#define DEMO_APPLICATIONS 40
static const char *const demo_clerks[] = {"clerk",  "clerk", "clerk",  "clerk2", "clerk",
                                          "clerk3", "clerk", "clerk4", "clerk5", "clerk6"};

/* A valid synthetic resident ID number for person `k`, born on a day before `today`. */
static void demo_id_number(unsigned k, char ret[19])
{
    char first17[18];
    snprintf(first17, sizeof(first17), "%s%04u%02u%02u%03u",
             wuhan_areas[k % (sizeof(wuhan_areas) / sizeof(wuhan_areas[0]))], 1958 + (k * 7) % 45,
             1 + (k * 5) % 12, 1 + (k * 11) % 28, (k * 37 + 11) % 1000);
    memcpy(ret, first17, 17);
    ret[17] = jy_idcard_check_char(first17);
    ret[18] = '\0';
}

/* A valid synthetic VIN with a correct check digit (position 9), from a Chinese maker (L…). */
static void demo_vin(unsigned k, char ret[JY_VIN_LENGTH + 1])
{
    static const char *const wmi[] = {"LSV", "LFV", "LGB", "LHG", "LBV"};
    snprintf(ret, JY_VIN_LENGTH + 1, "%sAB22F0N2%06u", wmi[k % 5], 100000 + (k * 7919) % 900000);
    ret[8] = jy_vin_check_digit(ret);
}

/* A valid unified social credit code of a synthetic company in Wuhan (GB 32100-2015). */
static void demo_uscc(unsigned k, char ret[19])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    snprintf(ret, 19, "91420106%09u", 700000000u + (k * 104729u) % 100000000u);
    int sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        sum += (int)(strchr(alphabet, ret[i]) - alphabet) * w;
        w = w * 3 % 31;
    }
    ret[17] = alphabet[(31 - sum % 31) % 31];
    ret[18] = '\0';
}

json_t *jy_demo_intake_body(unsigned k, const struct jy_business_type *t, struct jy_date today)
{
    char name[64], id[19], mobile[12], plate[32], vin[JY_VIN_LENGTH + 1], uscc[19], expiry[11];
    snprintf(name, sizeof(name), "%s%s", surnames[k % (sizeof(surnames) / sizeof(surnames[0]))],
             given_names[(k * 7) % (sizeof(given_names) / sizeof(given_names[0]))]);
    demo_id_number(k, id);
    snprintf(mobile, sizeof(mobile), "1%c%09u", "356789"[k % 6],
             100000000u + k * 7654321u % 900000000u);
    json_t *docs = json_array();
    for (size_t i = 0; i < t->document_count; i++)
        if (t->documents[i].required || k % 3 == 0)
            json_array_append_new(docs, json_string(t->documents[i].code));
    json_t *body = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:o}", "business_type", t->code,
                             "applicant", "name", name, "id_type", "resident_id", "id_number", id,
                             "mobile", mobile, "documents", docs);
    if (!body)
        return NULL;
    if (t->requires & JY_REQUIRES_VEHICLE) {
        bool new_energy = k % 4 == 1;
        if (new_energy)
            snprintf(plate, sizeof(plate), "鄂AD%u%04u", k % 10, (k * 271) % 10000);
        else
            snprintf(plate, sizeof(plate), "鄂%c%05u", "ABCA"[k % 4], (k * 3137) % 100000);
        demo_vin(k, vin);
        json_object_set_new(body, "vehicle",
                            json_pack("{s:s, s:s, s:s}", "plate", plate, "plate_type",
                                      new_energy ? "52" : "02", "vin", vin));
        if ((t->requires & JY_REQUIRES_OWNER_ORG_ALLOWED) && k % 5 == 2) {
            demo_uscc(k, uscc);
            json_object_set_new(body, "owner_uscc", json_string(uscc));
        }
    }
    if (t->requires & JY_REQUIRES_LICENCE) {
        json_t *lic =
            json_pack("{s:s, s:s}", "number", id, "class",
                      licence_classes[k % (sizeof(licence_classes) / sizeof(licence_classes[0]))]);
        if (t->rules.renewal_window_days > 0) {
            struct jy_date e = jy_date_from_days(jy_date_to_days(today) + 20 + k % 60);
            json_object_set_new(lic, "expiry", json_string(jy_date_format(e, expiry)));
        }
        json_object_set_new(body, "licence", lic);
    }
    if (t->delivery == JY_DELIVERY_EMS)
        json_object_set_new(body, "delivery",
                            json_pack("{s:s, s:s, s:s, s:s}", "recipient", name, "mobile", mobile,
                                      "address", "湖北省武汉市武昌区彭刘杨路（演示地址）",
                                      "postcode", "430060"));
    return body;
}

/* ---- moving the demo applications along, so that every state has examples ---- */

/* Claim application `number` at `station` as `actor`: the demo picks its items, as an operator
 * with an envelope in hand does. */
static enum jy_err claim(struct jy_service *svc, const char *number, enum jy_station station,
                         const struct jy_actor *actor, struct jy_error *err)
{
    struct jy_store_workflow w;
    return jy_workflow_claim_number(svc, actor, station, number, &w, err);
}

/* The login that works at `station` in the demo (approval alternates with the police). */
static const char *worker_at(enum jy_station st, unsigned k)
{
    if (st == JY_STATION_APPROVAL && k % 2)
        return "police";
    return jy_station_code(st);
}

/* What becomes of demo application k: how far it goes. */
enum demo_fate {
    FATE_WAITING,    /* stays at its first station */
    FATE_CLAIMED,    /* leased to the first station's operator */
    FATE_ONE_ON,     /* completed at one station */
    FATE_TWO_ON,     /* completed at two stations */
    FATE_CORRECTION, /* sent back for correction at review */
    FATE_REFUSED,    /* refused by the police */
    FATE_DONE,       /* through its whole route: sealed, or completed */
    FATE_SHIPPED,    /* sealed and handed to EMS */
    FATE_DELIVERED,  /* delivered */
    FATE_FAILED,     /* delivery failed */
    FATE_RETURNED,   /* returned to the centre by EMS */
};

static const enum demo_fate fates[] = {
    FATE_DELIVERED, FATE_DELIVERED, FATE_SHIPPED,    FATE_DONE,    FATE_FAILED,
    FATE_REFUSED,   FATE_DONE,      FATE_CORRECTION, FATE_TWO_ON,  FATE_ONE_ON,
    FATE_CLAIMED,   FATE_WAITING,   FATE_ONE_ON,     FATE_WAITING, FATE_RETURNED,
};

/* Complete `number` at `st`; a W01 violation handling at approval records its decision. */
static enum jy_err complete(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number, const struct jy_business_type *t,
                            enum jy_station st, struct jy_store_workflow *w, struct jy_error *err)
{
    struct jy_workflow_violation v = {"4201202699000001", 1};
    bool w01 = strcmp(t->code, "W01") == 0 && st == JY_STATION_APPROVAL;
    return jy_workflow_complete_violation(svc, actor, number, jy_station_code(st), w01 ? &v : NULL,
                                          w, err);
}

static enum jy_err advance(struct jy_service *svc, struct jy_store_conn *conn, unsigned k,
                           const char *number, const struct jy_business_type *t,
                           struct jy_error *err)
{
    enum demo_fate fate = fates[k % (sizeof(fates) / sizeof(fates[0]))];
    /* The oldest applications went furthest; the newest are still waiting. */
    if (k >= DEMO_APPLICATIONS - 8)
        fate = k % 2 ? FATE_WAITING : FATE_CLAIMED;
    /* A W01 violation handling waits at archive, its decision recorded: one waiting at review
     * or approval would stop a script that completes whatever it claims there. */
    if (strcmp(t->code, "W01") == 0 && fate <= FATE_ONE_ON)
        fate = FATE_TWO_ON;
    struct jy_actor actor;
    struct jy_store_workflow w;
    enum jy_err e = JY_OK;
    size_t steps = 0;
    switch (fate) {
    case FATE_WAITING:
        return JY_OK;
    case FATE_CLAIMED:
        if ((e = jy_auth_actor_of(conn, worker_at(t->route[0], k), &actor, err)) != JY_OK)
            return e;
        return claim(svc, number, t->route[0], &actor, err);
    case FATE_CORRECTION:
        if ((e = jy_auth_actor_of(conn, "review", &actor, err)) != JY_OK ||
            (e = claim(svc, number, JY_STATION_REVIEW, &actor, err)) != JY_OK)
            return e;
        return jy_workflow_return(svc, &actor, number, "review", "document_unclear",
                                  "身份证明复印件不清晰，请申请人补交 / ID copy unreadable", &w,
                                  err);
    case FATE_REFUSED:
        if ((e = jy_auth_actor_of(conn, "police", &actor, err)) != JY_OK)
            return e;
        return jy_workflow_refuse(svc, &actor, number, "outstanding_violations",
                                  "名下有未处理的交通违法记录 / unsettled violations", &w, err);
    case FATE_ONE_ON:
        steps = 1;
        break;
    case FATE_TWO_ON:
        steps = 2;
        break;
    default:
        steps = t->route_len;
        break;
    }
    if (steps >= t->route_len && fate < FATE_DONE)
        steps = t->route_len - 1;
    for (size_t i = 0; i < steps; i++) {
        if ((e = jy_auth_actor_of(conn, worker_at(t->route[i], k), &actor, err)) != JY_OK ||
            (e = claim(svc, number, t->route[i], &actor, err)) != JY_OK ||
            (e = complete(svc, &actor, number, t, t->route[i], &w, err)) != JY_OK)
            return e;
    }
    if (fate < FATE_SHIPPED || t->delivery != JY_DELIVERY_EMS)
        return JY_OK;

    /* Handed to EMS, then delivered or not: the carrier's feed, a few minutes apart. */
    if ((e = jy_auth_actor_of(conn, "logistics", &actor, err)) != JY_OK)
        return e;
    char at1[32], at2[32], t1[JY_TIMESTAMP_TEXT_SIZE], t2[JY_TIMESTAMP_TEXT_SIZE];
    int64_t now = jy_service_now(svc);
    snprintf(at1, sizeof(at1), "%s", jy_timestamp_format(now - 600, t1));
    snprintf(at2, sizeof(at2), "%s", jy_timestamp_format(now - 60, t2));
    struct jy_shipment_event ev[2] = {
        {w.waybill, "shipped", at1, "武汉邮件处理中心"},
        {w.waybill, fate == FATE_FAILED ? "delivery_failed" : "delivered", at2,
         "武昌区彭刘杨路投递部"},
    };
    struct jy_shipments_result r;
    return jy_shipments_apply(svc, &actor, ev, fate == FATE_SHIPPED ? 1 : 2, NULL, NULL, &r, err);
}

/* A demo application made by seed_applications, to be moved along afterwards. */
struct made {
    char number[24];
    const struct jy_business_type *type;
};

/* The branches' opening hours, seconds after local midnight (Asia/Shanghai, UTC+8). */
#define DEMO_OPENS (8 * 3600 + 30 * 60)   /* 08:30 */
#define DEMO_CLOSES (17 * 3600 + 30 * 60) /* 17:30 */
#define DEMO_UTC_OFFSET (8 * 3600)

/* Time `at` (spread evenly over the last six days up to `now`) moved into the counters' opening
 * hours on the same civil day, in order: a past day's 24 hours are squeezed into its 08:30–17:30;
 * today's hours so far into 08:30 to the earlier of 17:30 and now, so that none lies ahead of
 * `now`. Before 08:30, today's and yesterday's intakes share yesterday's opening hours. Days
 * (and so due dates) and order are kept, except in that early-morning case. */
static int64_t counter_time(int64_t at, int64_t now)
{
    int64_t day = at - (at + DEMO_UTC_OFFSET) % 86400;
    int64_t today = now - (now + DEMO_UTC_OFFSET) % 86400;
    int64_t now_tod = now - today;
    const int64_t open = DEMO_CLOSES - DEMO_OPENS;
    if (now_tod >= DEMO_OPENS) {
        if (day < today)
            return day + DEMO_OPENS + (at - day) * open / 86400;
        int64_t end = now_tod < DEMO_CLOSES ? now_tod : DEMO_CLOSES;
        return day + DEMO_OPENS + (at - day) * (end - DEMO_OPENS) / now_tod;
    }
    int64_t yesterday = today - 86400;
    if (day < yesterday)
        return day + DEMO_OPENS + (at - day) * open / 86400;
    return yesterday + DEMO_OPENS + (at - yesterday) * open / (86400 + now_tod);
}

/* DEMO_APPLICATIONS intakes over the last six days, oldest first, so that numbers, events and
 * due dates read as a real week at the counter (some already overdue), each in the branches'
 * opening hours (counter_time). Stops quietly, writing
 * nothing more, when the calendar has no holiday data for the days involved. */
static enum jy_err seed_applications(struct jy_service *svc, struct jy_store_conn *conn,
                                     struct made *made, unsigned *ret_made, struct jy_error *err)
{
    const struct jy_catalog *cat = jy_service_catalog(svc);
    int64_t now = jy_service_now(svc);
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    enum jy_err e = JY_OK;
    for (unsigned k = 0; k < DEMO_APPLICATIONS && e == JY_OK; k++) {
        int64_t at = counter_time(
            now - (int64_t)(DEMO_APPLICATIONS - 1 - k) * (6 * 86400 / DEMO_APPLICATIONS), now);
        const char *code = demo_types[k % (sizeof(demo_types) / sizeof(demo_types[0]))];
        const struct jy_business_type *t = jy_catalog_find(cat, code, strlen(code));
        struct jy_actor clerk;
        e = jy_auth_actor_of(conn, demo_clerks[k % (sizeof(demo_clerks) / sizeof(demo_clerks[0]))],
                             &clerk, err);
        if (e != JY_OK || !t)
            break;
        json_t *body = jy_demo_intake_body(k, t, jy_date_from_unix_shanghai(at));
        if (!body) {
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
            break;
        }
        struct jy_error d;
        e = jy_intake_at(svc, &clerk, body, NULL, at, a, NULL, &d);
        json_decref(body);
        if (e == JY_NO_DATA) {
            e = JY_OK; /* no holiday data for these days: a demo city without applications */
            break;
        }
        if (e == JY_OK) {
            jy_strlcpy(made[k].number, a->number, sizeof(made[k].number));
            made[k].type = t;
            *ret_made = k + 1;
        }
        if (e != JY_OK)
            jy_error_set(err, e, d.reason, d.field, "demo application %u (%s): %s", k, code,
                         d.message);
    }
    free(a);
    return e;
}

/* The settings, branches and users of the demo city, in the caller's transaction. */
static enum jy_err seed_city(struct jy_service *svc, struct jy_store_conn *conn, const char *hash,
                             struct jy_error *err)
{
    static const char *const settings[][2] = {
        {"centre_code", "WH"},
        {"centre_name_zh", "武汉市公安局交通管理局车辆管理所 警邮合作业务处理中心（演示）"},
        /* The walk-throughs take fresh applications through archive without the morning van;
         * a real centre leaves the archive gate on (the default). */
        {"custody_archive_gate", "off"},
    };
    enum jy_err e = JY_OK;
    for (size_t i = 0; e == JY_OK && i < sizeof(settings) / sizeof(settings[0]); i++)
        e = jy_store_setting_set(conn, settings[i][0], settings[i][1], err);
    if (e == JY_OK)
        e = jy_demo_s10_range(svc, conn, err);
    if (e == JY_OK)
        e = seed_branches(conn, err);
    if (e == JY_OK)
        e = seed_users(svc, hash, err);
    return e;
}

enum jy_err jy_demo_seed_city(struct jy_service *svc, const char *password_hash,
                              struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t users = 0;
    if ((e = jy_store_user_count(conn, &users, err)) != JY_OK)
        return e;
    if (users > 0)
        return jy_error_set(err, JY_CONFLICT, "not_empty", NULL,
                            "the database already has users: the demo city needs an empty one");
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    e = seed_city(svc, conn, password_hash, err);
    if (e == JY_OK)
        e = jy_store_commit(conn, err);
    else
        jy_store_rollback(conn);
    return e;
}

enum jy_err jy_demo_seed(struct jy_service *svc, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t users = 0;
    if ((e = jy_store_user_count(conn, &users, err)) != JY_OK)
        return e;
    if (users > 0)
        return JY_OK;
    /* One argon2id hash for every demo login: they share the password anyway. */
    char hash[128];
    if ((e = jy_auth_hash_password(JY_DEMO_PASSWORD, hash, err)) != JY_OK)
        return e;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    e = seed_city(svc, conn, hash, err);
    struct made made[DEMO_APPLICATIONS];
    unsigned n_made = 0;
    if (e == JY_OK)
        e = seed_applications(svc, conn, made, &n_made, err);
    if (e == JY_OK)
        e = jy_store_commit(conn, err);
    else
        jy_store_rollback(conn);
    if (e == JY_OK)
        e = jy_demo_hall(svc, hash, err);
    /* Then the back office works on them, each step a use case of its own, as in real life: a
     * failure here leaves a consistent city with fewer applications moved along. */
    for (unsigned k = 0; e == JY_OK && k < n_made; k++) {
        struct jy_error d;
        e = advance(svc, conn, k, made[k].number, made[k].type, &d);
        if (e != JY_OK)
            jy_error_set(err, e, d.reason, d.field, "demo application %s: %s", made[k].number,
                         d.message);
    }
    if (e == JY_OK)
        e = jy_demo_custody(svc, err);
    if (e == JY_OK)
        e = jy_demo_fines_seed(svc, err);
    return e;
}
