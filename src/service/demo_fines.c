/*
 * demo_fines.c — the demo city's penalty decisions: see jy_demo_fines_seed() in demo.h.
 *
 * 36 synthetic decisions over Wuhan plates, their payment deadlines spread from ten days ahead
 * to a hundred days past, so that the counter shows every case of the surcharge: none yet,
 * a few days, the cap (34 days and more). A fine of ¥20.17 shows the rounding. Then the demo
 * clerks collect eight of them today through the real use case, and the police reverse one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/idcard.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/fines.h"
#include "store/users.h"
#include "../banned.h"

#define DEMO_DECISIONS 36

/* Violations: code, description, fine, points (公安部令第163号 bands). */
static const struct {
    const char *code, *description;
    int64_t fine_fen;
    int points;
} violations[] = {
    {"1345", "违反禁止标线指示", 20000, 1},
    {"1625", "驾驶机动车违反道路交通信号灯通行", 20000, 6},
    {"1039", "机动车违反规定停放、临时停车，驾驶人不在现场", 15000, 0},
    {"1352", "驾驶中型以上载客载货汽车以外的机动车超过规定时速未达20%", 5000, 1},
    {"1223", "驾驶机动车时拨打接听手持电话", 5000, 3},
    {"6011", "驾驶人未按规定使用安全带", 5000, 1},
    {"1018", "机动车不在机动车道内行驶", 2017, 0},
};

/* Days past the deadline, today, of decision k (negative: the deadline is still ahead). */
static const int overdue[] = {-10, -3, 0, 0, 1, 2, 3, 5, 7, 10, 14, 20, 33, 34, 40, 60, 100, 1};

/* The demo decision number of decision k: 4201 (Wuhan) + year + serial. */
static void number_of(unsigned k, int year, char ret[JY_DECISION_NUMBER_MAX_BYTES + 1])
{
    snprintf(ret, JY_DECISION_NUMBER_MAX_BYTES + 1, "4201%04d%08u", year, 30000000u + k * 7919u);
}

static void decision_of(unsigned k, struct jy_date today, struct jy_decision *d)
{
    memset(d, 0, sizeof(*d));
    number_of(k, today.year, d->number);
    if (k % 6 == 5) { /* a small new-energy car */
        snprintf(d->plate, sizeof(d->plate), "鄂AD%05u", 10000 + (k * 7331) % 90000);
        jy_strlcpy(d->plate_type, "52", sizeof(d->plate_type));
    } else {
        snprintf(d->plate, sizeof(d->plate), "鄂A%05u", 10000 + (k * 4523) % 90000);
        jy_strlcpy(d->plate_type, "02", sizeof(d->plate_type));
    }
    if (k % 4 != 3) { /* a driver named: the licence number is an ID number */
        char id[19];
        snprintf(id, sizeof(id), "420106%04u%02u%02u%03u", 1960 + k % 40, 1 + k % 12, 1 + k % 28,
                 100 + k);
        id[17] = jy_idcard_check_char(id);
        id[18] = '\0';
        jy_strlcpy(d->licence_number, id, sizeof(d->licence_number));
    }
    unsigned v = k % (sizeof(violations) / sizeof(violations[0]));
    jy_strlcpy(d->violation_code, violations[v].code, sizeof(d->violation_code));
    jy_strlcpy(d->description, violations[v].description, sizeof(d->description));
    d->fine_fen = violations[v].fine_fen;
    d->points = violations[v].points;
    int64_t deadline = jy_date_to_days(today) - overdue[k % (sizeof(overdue) / sizeof(int))];
    d->payment_deadline = jy_date_from_days(deadline);
    d->decision_date = jy_date_from_days(deadline - 15);
}

enum jy_err jy_demo_fines_seed(struct jy_service *svc, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct jy_date today = jy_date_from_unix_shanghai(now);
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    for (unsigned k = 0; e == JY_OK && k < DEMO_DECISIONS; k++) {
        struct jy_decision d;
        decision_of(k, today, &d);
        e = jy_store_decision_insert(conn, &d, now, true, NULL, err);
    }
    if (e != JY_OK) {
        jy_store_rollback(conn);
        return e;
    }
    if ((e = jy_store_commit(conn, err)) != JY_OK)
        return e;

    /* Today's collections at two branches, through the counter's use case; one reversed. */
    struct jy_actor clerk, clerk2, police;
    if ((e = jy_auth_actor_of(conn, "clerk", &clerk, err)) != JY_OK ||
        (e = jy_auth_actor_of(conn, "clerk2", &clerk2, err)) != JY_OK ||
        (e = jy_auth_actor_of(conn, "police", &police, err)) != JY_OK)
        return e;
    static const unsigned paid[] = {2, 4, 7, 9, 13, 16, 20, 27};
    static const char *const methods[] = {"cash", "bank_card", "qr"};
    for (size_t i = 0; i < sizeof(paid) / sizeof(paid[0]); i++) {
        char number[JY_DECISION_NUMBER_MAX_BYTES + 1];
        number_of(paid[i], today.year, number);
        struct jy_fine f;
        if ((e = jy_fines_get(svc, &clerk, number, &f, err)) != JY_OK)
            return e;
        char ref[32];
        snprintf(ref, sizeof(ref), "DEMO%08u", 5000000u + paid[i]);
        struct jy_fine_payment_request rq = {methods[i % 3], f.total_fen, i % 3 == 0 ? NULL : ref,
                                             NULL};
        struct jy_store_fine_payment p;
        bool repeated;
        if ((e = jy_fines_pay(svc, i % 3 == 2 ? &clerk2 : &clerk, number, &rq, &p, &repeated,
                              err)) != JY_OK)
            return e;
        if (i == 5 &&
            (e = jy_fines_reverse(svc, &police, p.id, "收款金额录入错误，重新收取（演示）", &p,
                                  err)) != JY_OK)
            return e;
    }
    return JY_OK;
}
