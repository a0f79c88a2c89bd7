/*
 * demo_hall.c — the demo city's hall: five windows, five window clerks, and a morning of
 * tickets taken, called and served through the real use cases (service/hall.h).
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "service/auth.h"
#include "service/hall.h"
#include "store/hall.h"
#include "store/users.h"
#include "../banned.h"

/* The windows: 1–2 vehicle first, 3–4 licence first, 5 fines first; each serves all three. */
static const struct {
    int number;
    const char *categories;
} windows[] = {
    {1, "vehicle,licence,fines"}, {2, "vehicle,licence,fines"}, {3, "licence,vehicle,fines"},
    {4, "licence,vehicle,fines"}, {5, "fines,licence,vehicle"},
};
#define N_WINDOWS (sizeof(windows) / sizeof(windows[0]))

enum jy_err jy_demo_hall(struct jy_service *svc, const char *password_hash, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    for (size_t i = 0; i < N_WINDOWS; i++) {
        struct jy_store_hall_window w;
        memset(&w, 0, sizeof(w));
        w.number = windows[i].number;
        snprintf(w.name_zh, sizeof(w.name_zh), "%d号窗口", w.number);
        snprintf(w.name_en, sizeof(w.name_en), "Window %d", w.number);
        jy_strlcpy(w.categories, windows[i].categories, sizeof(w.categories));
        if ((e = jy_store_hall_window_put(conn, &w, err)) != JY_OK)
            return e;
        char name[16], display[64];
        snprintf(name, sizeof(name), "window%d", w.number);
        snprintf(display, sizeof(display), "%d号窗口受理员", w.number);
        struct jy_auth_new_user u = {
            .username = name,
            .display_name = display,
            .role = JY_ROLE_CLERK,
            .branch_code = "WH001",
            .password_hash = password_hash,
        };
        if ((e = jy_auth_user_add(svc, &u, NULL, err)) != JY_OK)
            return e;
    }
    /* A morning: 18 tickets over the three categories taken over the last 90 minutes (from
     * midnight when the day is younger), and windows 1, 3 and 5 serving a few of them, a few
     * minutes each, so that the figures have waiting and service times. */
    int64_t now = jy_service_now(svc);
    int64_t midnight = now - (now + 8 * 3600) % 86400; /* Asia/Shanghai is UTC+8 */
    int64_t start = now - 90 * 60 < midnight ? midnight : now - 90 * 60;
    int64_t step = (now - start) / 40; /* 18 tickets, then the windows' work after them */
    static const char *const taken[] = {
        "licence", "vehicle", "licence", "fines",   "vehicle", "licence",
        "licence", "vehicle", "fines",   "licence", "vehicle", "licence",
        "vehicle", "licence", "fines",   "licence", "vehicle", "licence",
    };
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        struct jy_store_hall_ticket t;
        int64_t ahead;
        if ((e = jy_hall_take_ticket_at(svc, taken[i], start + (int64_t)i * step, &t, &ahead,
                                        err)) != JY_OK)
            return e;
    }
    static const int open[] = {1, 3, 5};
    for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
        char name[16];
        snprintf(name, sizeof(name), "window%d", open[i]);
        struct jy_actor a;
        if ((e = jy_auth_actor_of(conn, name, &a, err)) != JY_OK ||
            (e = jy_hall_window_open(svc, &a, open[i], err)) != JY_OK)
            return e;
        /* Each serves two tickets and calls a third; window i works from ticket 6 on. */
        int64_t at = start + (int64_t)(6 + i) * step;
        for (int k = 0; k < 3; k++) {
            struct jy_store_hall_ticket t;
            bool found = false;
            if ((e = jy_hall_call_next_at(svc, &a, open[i], at, &t, &found, err)) != JY_OK)
                return e;
            if (!found || k == 2)
                break;
            if ((e = jy_hall_act_at(svc, &a, open[i], t.number, JY_HALL_START, at + step / 3, &t,
                                    err)) != JY_OK ||
                (e = jy_hall_act_at(svc, &a, open[i], t.number, JY_HALL_FINISH,
                                    at + (4 + (int64_t)k * 3) * step, &t, err)) != JY_OK)
                return e;
            at += (5 + (int64_t)k * 3) * step;
        }
    }
    return JY_OK;
}
