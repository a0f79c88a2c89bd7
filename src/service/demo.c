/*
 * demo.c — the demo city: see demo.h.
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "service/auth.h"
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
    {"review", "operator", "审核岗操作员"},
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
    static const char *const settings[][2] = {
        {"centre_code", "WH"},
        {"centre_name_zh", "武汉市公安局交通管理局车辆管理所 警邮合作业务处理中心（演示）"},
        {"s10_service", "EA"},
        {"s10_country", "CN"},
        {"s10_first", "10000000"},
        {"s10_last", "10099999"},
    };
    for (size_t i = 0; e == JY_OK && i < sizeof(settings) / sizeof(settings[0]); i++)
        e = jy_store_setting_set(conn, settings[i][0], settings[i][1], err);
    if (e == JY_OK)
        e = seed_branches(conn, err);
    if (e == JY_OK)
        e = seed_users(svc, hash, err);
    if (e == JY_OK)
        return jy_store_commit(conn, err);
    jy_store_rollback(conn);
    return e;
}
