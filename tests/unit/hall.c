/*
 * hall.c — the hall queue's use cases (src/service/hall.c) at pinned times: day sequence
 * numbers that start again each day in Asia/Shanghai, the window's priorities, each call on the
 * display's broadcaster, and the figures' nearest-rank percentiles computed exactly.
 */
#include "flow_fixture.h"

#include "service/broadcast.h"
#include "service/hall.h"
#include "store/hall.h"

/* 2026-11-30 09:00 in Asia/Shanghai. */
#define T0 1796000400

static void count_wake(void *cls)
{
    (*(int *)cls)++;
}

static void put_window(struct flow *f, int number, const char *categories)
{
    struct jy_store_hall_window w;
    memset(&w, 0, sizeof(w));
    w.number = number;
    snprintf(w.name_zh, sizeof(w.name_zh), "%d号窗口", number);
    snprintf(w.name_en, sizeof(w.name_en), "Window %d", number);
    snprintf(w.categories, sizeof(w.categories), "%s", categories);
    struct jy_error err;
    assert_int_equal(jy_store_hall_window_put(f->conn, &w, &err), JY_OK);
}

static void take(struct flow *f, const char *category, int64_t at, const char *want,
                 int64_t want_ahead)
{
    struct jy_store_hall_ticket t;
    int64_t ahead = -1;
    struct jy_error err;
    assert_int_equal(jy_hall_take_ticket_at(f->svc, category, at, &t, &ahead, &err), JY_OK);
    assert_string_equal(t.number, want);
    assert_int_equal(ahead, want_ahead);
}

static void test_numbers_per_day(void **state)
{
    struct flow *f = *state;
    take(f, "vehicle", T0, "A001", 0);
    take(f, "vehicle", T0 + 60, "A002", 1);
    take(f, "licence", T0 + 61, "B001", 0);
    /* 23:59:59 the same day, then midnight in Shanghai (16:00 UTC): a new day, from 1 again */
    int64_t midnight = T0 + 15 * 3600;
    take(f, "vehicle", midnight - 1, "A003", 2);
    take(f, "vehicle", midnight, "A001", 0);
    struct jy_store_hall_ticket t;
    int64_t ahead;
    struct jy_error err;
    assert_int_equal(jy_hall_take_ticket_at(f->svc, "passport", T0, &t, &ahead, &err),
                     JY_UNPROCESSABLE);
    assert_string_equal(err.reason, "unknown_category");
}

static void test_priorities_and_the_stream(void **state)
{
    struct flow *f = *state;
    put_window(f, 1, "licence,vehicle");
    take(f, "vehicle", T0, "A001", 0);
    take(f, "licence", T0 + 10, "B001", 0);
    take(f, "licence", T0 + 20, "B002", 1);
    struct jy_error err;
    assert_int_equal(jy_hall_window_open(f->svc, &f->clerk, 1, &err), JY_OK);
    /* a display listening on the service's broadcaster */
    struct jy_broadcast_sub *sub = NULL;
    int wakes = 0;
    assert_int_equal(jy_broadcast_subscribe(jy_service_hall_calls(f->svc), NULL, 0, count_wake,
                                            &wakes, &sub, &err),
                     JY_OK);

    /* licence first, oldest first; then vehicle */
    const char *order[] = {"B001", "B002", "A001"};
    for (int k = 0; k < 3; k++) {
        struct jy_store_hall_ticket t;
        bool found = false;
        assert_int_equal(
            jy_hall_call_next_at(f->svc, &f->clerk, 1, T0 + 100 + k * 100, &t, &found, &err),
            JY_OK);
        assert_true(found);
        assert_string_equal(t.number, order[k]);
        char buf[1024];
        struct jy_store_hall_window win;
        assert_int_equal(jy_store_hall_window_get(f->conn, 1, &win, &err), JY_OK);
        size_t n = jy_hall_call_event(&t, &win, buf, sizeof(buf));
        assert_true(n > 0);
        assert_non_null(strstr(buf, "event: call\n"));
        char want[64];
        snprintf(want, sizeof(want), "\"number\":\"%s\"", order[k]);
        assert_non_null(strstr(buf, want));
        assert_non_null(strstr(buf, "\"window\":1"));
        /* the display received exactly this event */
        char got[1024];
        assert_int_equal(wakes, k + 1);
        assert_int_equal(jy_broadcast_read(sub, got, sizeof(got)), (ssize_t)n);
        assert_memory_equal(got, buf, n);
        assert_int_equal(jy_hall_act_at(f->svc, &f->clerk, 1, t.number, JY_HALL_START,
                                        T0 + 130 + k * 100, &t, &err),
                         JY_OK);
        assert_int_equal(jy_hall_act_at(f->svc, &f->clerk, 1, t.number, JY_HALL_FINISH,
                                        T0 + 160 + k * 100, &t, &err),
                         JY_OK);
    }
    jy_broadcast_unsubscribe(sub);
    struct jy_store_hall_ticket t;
    bool found = true;
    assert_int_equal(jy_hall_call_next_at(f->svc, &f->clerk, 1, T0 + 500, &t, &found, &err), JY_OK);
    assert_false(found);
    /* another clerk may not act at window 1 */
    assert_int_equal(jy_hall_call_next_at(f->svc, &f->clerk2, 1, T0 + 500, &t, &found, &err),
                     JY_FORBIDDEN);
    assert_string_equal(err.reason, "not_at_window");
    /* nor may an operator take a window */
    assert_int_equal(jy_hall_window_open(f->svc, &f->review, 1, &err), JY_FORBIDDEN);
}

static void test_figures(void **state)
{
    struct flow *f = *state;
    put_window(f, 2, "fines");
    struct jy_error err;
    assert_int_equal(jy_hall_window_open(f->svc, &f->clerk2, 2, &err), JY_OK);
    /* ten fines tickets a minute apart; each called 100 s after the one before from T0 + 600,
     * served for 10·(k+1) seconds */
    for (int k = 0; k < 10; k++) {
        char want[8];
        snprintf(want, sizeof(want), "C%03d", k + 1);
        take(f, "fines", T0 + k * 60, want, k);
    }
    for (int k = 0; k < 10; k++) {
        struct jy_store_hall_ticket t;
        bool found = false;
        int64_t at = T0 + 600 + k * 100;
        assert_int_equal(jy_hall_call_next_at(f->svc, &f->clerk2, 2, at, &t, &found, &err), JY_OK);
        assert_int_equal(
            jy_hall_act_at(f->svc, &f->clerk2, 2, t.number, JY_HALL_START, at + 5, &t, &err),
            JY_OK);
        assert_int_equal(jy_hall_act_at(f->svc, &f->clerk2, 2, t.number, JY_HALL_FINISH,
                                        at + 5 + 10 * (k + 1), &t, &err),
                         JY_OK);
    }
    struct jy_hall_figures fig;
    assert_int_equal(jy_hall_figures(f->svc, &f->manager, "2026-11-30", &fig, &err), JY_OK);
    /* waits: 600 + 100k − 60k = 600 + 40k → 600, 640, …, 960; p50 = 5th = 760, p90 = 9th = 920 */
    const struct jy_hall_times *c = NULL;
    for (size_t i = 0; i < fig.n_categories; i++)
        if (strcmp(fig.categories[i].key, "fines") == 0)
            c = &fig.categories[i];
    assert_non_null(c);
    assert_int_equal(c->tickets, 10);
    assert_int_equal(c->served, 10);
    assert_int_equal(c->wait_p50, 760);
    assert_int_equal(c->wait_p90, 920);
    /* service: 10, 20, …, 100 → p50 = 50, p90 = 90 */
    assert_int_equal(c->service_p50, 50);
    assert_int_equal(c->service_p90, 90);
    assert_int_equal(fig.n_windows, 1);
    assert_string_equal(fig.windows[0].key, "2");
    assert_int_equal(fig.windows[0].service_p90, 90);
    /* taken 09:00 … 09:09 */
    assert_int_equal(fig.per_hour[9], 10);
    assert_int_equal(fig.tickets, 10);
    /* no vehicle ticket: no times */
    assert_int_equal(fig.categories[0].wait_p50, -1);
    assert_int_equal(jy_hall_figures(f->svc, &f->review, NULL, &fig, &err), JY_FORBIDDEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_numbers_per_day, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_priorities_and_the_stream, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_figures, flow_setup, flow_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
