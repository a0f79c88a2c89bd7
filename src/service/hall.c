/*
 * hall.c — the hall queue: see hall.h.
 */
#include "hall.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "core/timestamp.h"
#include "limits.h"
#include "render/slip.h"
#include "service/broadcast.h"
#include "store/sequence.h"
#include "store/settings.h"
#include "../banned.h"

/* ---- helpers ---- */

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Today's civil date in Asia/Shanghai as YYYY-MM-DD. */
static void today(struct jy_service *svc, char ret[JY_DATE_TEXT_SIZE])
{
    jy_date_format(jy_date_from_unix_shanghai(jy_service_now(svc)), ret);
}

/* `day` checked into `ret`, or today when NULL or "". */
static enum jy_err day_or_today(struct jy_service *svc, const char *day,
                                char ret[JY_DATE_TEXT_SIZE], struct jy_error *err)
{
    if (!day || !*day) {
        today(svc, ret);
        return JY_OK;
    }
    struct jy_date d;
    struct jy_error local;
    if (jy_date_parse(day, strnlen(day, 16), &d, &local) != JY_OK)
        return jy_error_set(err, JY_INVALID, "bad_date", "date", "a date is YYYY-MM-DD");
    jy_date_format(d, ret);
    return JY_OK;
}

static bool hall_staff(const struct jy_actor *a)
{
    return a->role == JY_ROLE_CLERK || a->role == JY_ROLE_SUPERVISOR || a->role == JY_ROLE_ADMIN;
}

static enum jy_err forbidden(struct jy_error *err)
{
    return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                        "only hall staff (clerks, police, admins) work at the windows");
}

/* A connection and the civil date (Asia/Shanghai, YYYY-MM-DD) of `now`, for a window's work. */
static enum jy_err conn_and_day(struct jy_service *svc, int64_t now,
                                struct jy_store_conn **ret_conn, char day[JY_DATE_TEXT_SIZE],
                                struct jy_error *err)
{
    enum jy_err e = jy_service_conn(svc, ret_conn, err);
    if (e == JY_OK)
        jy_date_format(jy_date_from_unix_shanghai(now), day);
    return e;
}

/* One transaction around `body`: begin, run, commit or roll back. */
#define IN_TRANSACTION(conn, e, err, body)                                                         \
    do {                                                                                           \
        if ((e = jy_store_begin(conn, err)) != JY_OK)                                              \
            break;                                                                                 \
        body;                                                                                      \
        if (e == JY_OK)                                                                            \
            e = jy_store_commit(conn, err);                                                        \
        else                                                                                       \
            jy_store_rollback(conn);                                                               \
    } while (0)

/* ---- reading ---- */

enum jy_err jy_hall_categories(struct jy_service *svc, struct jy_store_hall_category *ret,
                               size_t max, size_t *ret_n, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    return jy_store_hall_categories(conn, ret, max, ret_n, err);
}

enum jy_err jy_hall_windows(struct jy_service *svc, struct jy_store_hall_window *ret,
                            struct jy_store_hall_ticket *ret_current, size_t max, size_t *ret_n,
                            struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    size_t n = 0;
    if ((e = jy_store_hall_windows(conn, ret, max, &n, err)) != JY_OK)
        return e;
    if (ret_current) {
        char day[JY_DATE_TEXT_SIZE];
        today(svc, day);
        for (size_t i = 0; i < n; i++) {
            bool found = false;
            memset(&ret_current[i], 0, sizeof(ret_current[i]));
            if ((e = jy_store_hall_ticket_at_window(conn, day, ret[i].number, &ret_current[i],
                                                    &found, err)) != JY_OK)
                return e;
        }
    }
    *ret_n = n;
    return JY_OK;
}

int jy_hall_skip_after(struct jy_service *svc)
{
    struct jy_store_conn *conn;
    struct jy_error ignored;
    char buf[16];
    if (jy_service_conn(svc, &conn, &ignored) != JY_OK ||
        jy_store_setting_get(conn, "hall_skip_after_recalls", buf, sizeof(buf), &ignored) != JY_OK)
        return JY_HALL_SKIP_AFTER_RECALLS;
    char *end = NULL;
    long v = strtol(buf, &end, 10);
    if (end == buf || *end || v < 0 || v > JY_HALL_MAX_RECALLS)
        return JY_HALL_SKIP_AFTER_RECALLS;
    return (int)v;
}

/* ---- the kiosk ---- */

enum jy_err jy_hall_take_ticket(struct jy_service *svc, const char *category,
                                struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                                struct jy_error *err)
{
    return jy_hall_take_ticket_at(svc, category, jy_service_now(svc), ret, ret_ahead, err);
}

enum jy_err jy_hall_take_ticket_at(struct jy_service *svc, const char *category, int64_t now,
                                   struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                                   struct jy_error *err)
{
    if (!category || !*category)
        return jy_error_set(err, JY_INVALID, "missing_field", "category", "category is required");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0;
    if ((e = jy_store_hall_categories(conn, cats, JY_HALL_MAX_CATEGORIES, &n, err)) != JY_OK)
        return e;
    const struct jy_store_hall_category *c = NULL;
    for (size_t i = 0; i < n && !c; i++)
        if (is(cats[i].code, category))
            c = &cats[i];
    if (!c)
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_category", "category",
                            "no service category of that code");
    if (!c->active)
        return jy_error_set(err, JY_CONFLICT, "category_closed", "category",
                            "this category takes no tickets now");

    struct jy_store_hall_ticket t;
    memset(&t, 0, sizeof(t));
    jy_date_format(jy_date_from_unix_shanghai(now), t.day);
    jy_strlcpy(t.category, c->code, sizeof(t.category));
    jy_strlcpy(t.status, "waiting", sizeof(t.status));
    t.issued_at = t.queued_at = now;
    int64_t ahead = 0;
    char seq_name[JY_STORE_SEQUENCE_NAME_MAX_BYTES + 1];
    snprintf(seq_name, sizeof(seq_name), "hall.%s.%s", c->code, t.day);
    IN_TRANSACTION(conn, e, err, {
        e = jy_store_sequence_next(conn, seq_name, &t.seq, err);
        if (e == JY_OK)
            e = jy_store_sequence_next(conn, "hall.queue", &t.queue_seq, err);
        if (e == JY_OK && t.seq > JY_HALL_TICKETS_PER_DAY)
            e = jy_error_set(err, JY_CONFLICT, "tickets_exhausted", "category",
                             "%d tickets of this category were taken today, the most there are",
                             JY_HALL_TICKETS_PER_DAY);
        if (e == JY_OK) {
            snprintf(t.number, sizeof(t.number), "%s%03d", c->prefix, (int)t.seq);
            e = jy_store_hall_ticket_insert(conn, &t, &t.id, err);
        }
        if (e == JY_OK)
            e = jy_store_hall_waiting_ahead(conn, t.day, t.category, t.queue_seq, &ahead, err);
    });
    if (e != JY_OK)
        return e;
    *ret = t;
    *ret_ahead = ahead;
    return JY_OK;
}

enum jy_err jy_hall_ticket(struct jy_service *svc, const char *day, const char *number,
                           struct jy_store_hall_ticket *ret, int64_t *ret_ahead,
                           struct jy_error *err)
{
    char d[JY_DATE_TEXT_SIZE];
    enum jy_err e = day_or_today(svc, day, d, err);
    if (e != JY_OK)
        return e;
    if (!number || strnlen(number, JY_HALL_NUMBER_MAX + 1) > JY_HALL_NUMBER_MAX)
        return jy_error_set(err, JY_NOT_FOUND, "no_such_ticket", "ticket", "no such ticket");
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_store_hall_ticket t;
    if ((e = jy_store_hall_ticket_get(conn, d, number, &t, err)) != JY_OK)
        return e;
    int64_t ahead = 0;
    if (is(t.status, "waiting") &&
        (e = jy_store_hall_waiting_ahead(conn, t.day, t.category, t.queue_seq, &ahead, err)) !=
            JY_OK)
        return e;
    *ret = t;
    *ret_ahead = ahead;
    return JY_OK;
}

/* ---- the windows ---- */

/* Announce a call of `t` at `w` on the display stream. */
static void announce(struct jy_service *svc, const struct jy_store_hall_ticket *t,
                     const struct jy_store_hall_window *w)
{
    char buf[1024];
    size_t len = jy_hall_call_event(t, w, buf, sizeof(buf));
    if (len > 0)
        jy_broadcast_publish(jy_service_hall_calls(svc), buf, len);
}

size_t jy_hall_call_event(const struct jy_store_hall_ticket *t,
                          const struct jy_store_hall_window *w, char *buf, size_t size)
{
    char at[JY_TIMESTAMP_TEXT_SIZE];
    jy_timestamp_format(t->called_at, at);
    json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:s}", "number", t->number, "category",
                          t->category, "window", w->number, "window_name_zh", w->name_zh,
                          "window_name_en", w->name_en, "recall", (json_int_t)t->recalls, "at", at);
    if (!o)
        return 0;
    char *data = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!data)
        return 0;
    int n = snprintf(buf, size, "id: %" PRId64 "\nevent: call\ndata: %s\n\n", t->call_seq, data);
    free(data);
    if (n < 0 || (size_t)n >= size)
        return 0;
    return (size_t)n;
}

/* The window, checked to be staffed by `actor`. Inside the caller's transaction. */
static enum jy_err my_window(struct jy_store_conn *conn, const struct jy_actor *actor, int window,
                             struct jy_store_hall_window *ret, struct jy_error *err)
{
    enum jy_err e = jy_store_hall_window_get(conn, window, ret, err);
    if (e != JY_OK)
        return e;
    if (ret->staff_user_id != actor->user_id)
        return jy_error_set(err, JY_FORBIDDEN, "not_at_window", "window",
                            "open window %d first: it is %s", window,
                            ret->staff_user_id ? "staffed by someone else" : "closed");
    return JY_OK;
}

enum jy_err jy_hall_window_open(struct jy_service *svc, const struct jy_actor *actor, int window,
                                struct jy_error *err)
{
    if (!hall_staff(actor))
        return forbidden(err);
    int64_t now = jy_service_now(svc);
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, now, &conn, day, err);
    if (e != JY_OK)
        return e;
    IN_TRANSACTION(conn, e, err, {
        struct jy_store_hall_window w;
        struct jy_store_hall_window all[JY_HALL_MAX_WINDOWS];
        size_t n = 0;
        e = jy_store_hall_window_get(conn, window, &w, err);
        if (e == JY_OK && w.staff_user_id && w.staff_user_id != actor->user_id)
            e = jy_error_set(err, JY_CONFLICT, "window_taken", "window", "%s is at window %d",
                             w.staff_display_name, window);
        if (e == JY_OK)
            e = jy_store_hall_windows(conn, all, JY_HALL_MAX_WINDOWS, &n, err);
        for (size_t i = 0; e == JY_OK && i < n; i++) {
            if (all[i].number == window || all[i].staff_user_id != actor->user_id)
                continue;
            struct jy_store_hall_ticket t;
            bool found = false;
            e = jy_store_hall_ticket_at_window(conn, day, all[i].number, &t, &found, err);
            if (e == JY_OK && found)
                e = jy_error_set(err, JY_CONFLICT, "ticket_in_hand", "window",
                                 "ticket %s is still in hand at window %d", t.number,
                                 all[i].number);
            if (e == JY_OK)
                e = jy_store_hall_window_staff(conn, all[i].number, 0, 0, err);
        }
        if (e == JY_OK && w.staff_user_id != actor->user_id)
            e = jy_store_hall_window_staff(conn, window, actor->user_id, now, err);
    });
    return e;
}

enum jy_err jy_hall_window_close(struct jy_service *svc, const struct jy_actor *actor, int window,
                                 struct jy_error *err)
{
    if (!hall_staff(actor))
        return forbidden(err);
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, jy_service_now(svc), &conn, day, err);
    if (e != JY_OK)
        return e;
    IN_TRANSACTION(conn, e, err, {
        struct jy_store_hall_window w;
        struct jy_store_hall_ticket t;
        bool found = false;
        e = my_window(conn, actor, window, &w, err);
        if (e == JY_OK)
            e = jy_store_hall_ticket_at_window(conn, day, window, &t, &found, err);
        if (e == JY_OK && found)
            e = jy_error_set(err, JY_CONFLICT, "ticket_in_hand", "window",
                             "finish or skip ticket %s first", t.number);
        if (e == JY_OK)
            e = jy_store_hall_window_staff(conn, window, 0, 0, err);
    });
    return e;
}

/* Split the window's priority list and look for the first category with a waiting ticket. */
static enum jy_err next_for(struct jy_store_conn *conn, const char *day, const char *list,
                            struct jy_store_hall_ticket *ret, bool *ret_found, struct jy_error *err)
{
    *ret_found = false;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        char code[JY_HALL_CODE_MAX + 1];
        if (len > 0 && len <= JY_HALL_CODE_MAX) {
            memcpy(code, p, len);
            code[len] = '\0';
            enum jy_err e = jy_store_hall_next_waiting(conn, day, code, ret, ret_found, err);
            if (e != JY_OK || *ret_found)
                return e;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return JY_OK;
}

enum jy_err jy_hall_call_next(struct jy_service *svc, const struct jy_actor *actor, int window,
                              struct jy_store_hall_ticket *ret, bool *ret_found,
                              struct jy_error *err)
{
    return jy_hall_call_next_at(svc, actor, window, jy_service_now(svc), ret, ret_found, err);
}

enum jy_err jy_hall_call_next_at(struct jy_service *svc, const struct jy_actor *actor, int window,
                                 int64_t now, struct jy_store_hall_ticket *ret, bool *ret_found,
                                 struct jy_error *err)
{
    if (!hall_staff(actor))
        return forbidden(err);
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, now, &conn, day, err);
    if (e != JY_OK)
        return e;
    struct jy_store_hall_window w;
    struct jy_store_hall_ticket t;
    bool found = false;
    IN_TRANSACTION(conn, e, err, {
        struct jy_store_hall_ticket cur;
        bool busy = false;
        e = my_window(conn, actor, window, &w, err);
        if (e == JY_OK)
            e = jy_store_hall_ticket_at_window(conn, day, window, &cur, &busy, err);
        if (e == JY_OK && busy)
            e = jy_error_set(err, JY_CONFLICT, "ticket_in_hand", "window",
                             "ticket %s is %s here: finish or skip it first", cur.number,
                             cur.status);
        if (e == JY_OK)
            e = next_for(conn, day, w.categories, &t, &found, err);
        if (e == JY_OK && found) {
            jy_strlcpy(t.status, "called", sizeof(t.status));
            t.called_at = now;
            if (!t.first_called_at)
                t.first_called_at = now;
            t.window = window;
            t.staff_user_id = actor->user_id;
            t.recalls = 0;
            e = jy_store_sequence_next(conn, "hall.calls", &t.call_seq, err);
        }
        if (e == JY_OK && found)
            e = jy_store_hall_ticket_update(conn, &t, err);
    });
    if (e != JY_OK)
        return e;
    if (found) {
        announce(svc, &t, &w);
        *ret = t;
    }
    *ret_found = found;
    return JY_OK;
}

enum jy_err jy_hall_act(struct jy_service *svc, const struct jy_actor *actor, int window,
                        const char *number, enum jy_hall_action action,
                        struct jy_store_hall_ticket *ret, struct jy_error *err)
{
    return jy_hall_act_at(svc, actor, window, number, action, jy_service_now(svc), ret, err);
}

enum jy_err jy_hall_act_at(struct jy_service *svc, const struct jy_actor *actor, int window,
                           const char *number, enum jy_hall_action action, int64_t now,
                           struct jy_store_hall_ticket *ret, struct jy_error *err)
{
    if (!hall_staff(actor))
        return forbidden(err);
    if (!number || !*number)
        return jy_error_set(err, JY_INVALID, "missing_field", "ticket", "ticket is required");
    if (strnlen(number, JY_HALL_NUMBER_MAX + 1) > JY_HALL_NUMBER_MAX)
        return jy_error_set(err, JY_NOT_FOUND, "no_such_ticket", "ticket", "no such ticket");
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, now, &conn, day, err);
    if (e != JY_OK)
        return e;
    int skip_after = jy_hall_skip_after(svc);
    struct jy_store_hall_window w;
    struct jy_store_hall_ticket t;
    IN_TRANSACTION(conn, e, err, {
        e = my_window(conn, actor, window, &w, err);
        if (e == JY_OK)
            e = jy_store_hall_ticket_get(conn, day, number, &t, err);
        bool in_hand = e == JY_OK && (is(t.status, "called") || is(t.status, "serving"));
        if (e == JY_OK && in_hand && t.window != window)
            e = jy_error_set(err, JY_CONFLICT, "wrong_window", "ticket",
                             "ticket %s is called at window %d, not here", t.number, t.window);
        switch (e == JY_OK ? (int)action : -1) {
        case JY_HALL_RECALL:
        case JY_HALL_SKIP:
        case JY_HALL_START:
            if (!is(t.status, "called")) {
                e = jy_error_set(err, JY_CONFLICT, "not_called", "ticket",
                                 "ticket %s is %s, not called", t.number, t.status);
                break;
            }
            if (action == JY_HALL_RECALL) {
                t.recalls++;
                t.called_at = now;
                e = jy_store_sequence_next(conn, "hall.calls", &t.call_seq, err);
            } else if (action == JY_HALL_SKIP) {
                if (t.recalls < skip_after) {
                    e = jy_error_set(err, JY_CONFLICT, "recalls_remaining", "ticket",
                                     "recall ticket %s %d more time(s) before skipping it",
                                     t.number, (int)(skip_after - t.recalls));
                    break;
                }
                jy_strlcpy(t.status, "skipped", sizeof(t.status));
                t.skipped_at = now;
            } else {
                jy_strlcpy(t.status, "serving", sizeof(t.status));
                t.started_at = now;
            }
            break;
        case JY_HALL_FINISH:
            if (!is(t.status, "serving")) {
                e = jy_error_set(err, JY_CONFLICT, "not_serving", "ticket",
                                 "ticket %s is %s, not being served", t.number, t.status);
                break;
            }
            jy_strlcpy(t.status, "done", sizeof(t.status));
            t.finished_at = now;
            break;
        default: /* an earlier check failed */
            break;
        }
        if (e == JY_OK)
            e = jy_store_hall_ticket_update(conn, &t, err);
    });
    if (e != JY_OK)
        return e;
    if (action == JY_HALL_RECALL)
        announce(svc, &t, &w);
    *ret = t;
    return JY_OK;
}

enum jy_err jy_hall_requeue(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number, struct jy_store_hall_ticket *ret,
                            struct jy_error *err)
{
    if (!hall_staff(actor))
        return forbidden(err);
    if (!number || strnlen(number, JY_HALL_NUMBER_MAX + 1) > JY_HALL_NUMBER_MAX)
        return jy_error_set(err, JY_NOT_FOUND, "no_such_ticket", "ticket", "no such ticket");
    int64_t now = jy_service_now(svc);
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, now, &conn, day, err);
    if (e != JY_OK)
        return e;
    struct jy_store_hall_ticket t;
    IN_TRANSACTION(conn, e, err, {
        e = jy_store_hall_ticket_get(conn, day, number, &t, err);
        if (e == JY_OK && !is(t.status, "skipped"))
            e = jy_error_set(err, JY_CONFLICT, "not_skipped", "ticket",
                             "ticket %s is %s; only a skipped ticket is put back", t.number,
                             t.status);
        if (e == JY_OK) {
            jy_strlcpy(t.status, "waiting", sizeof(t.status));
            t.queued_at = now;
            e = jy_store_sequence_next(conn, "hall.queue", &t.queue_seq, err);
            t.window = 0;
            t.staff_user_id = 0;
            t.recalls = 0;
            t.called_at = 0;
            t.skipped_at = 0;
            if (e == JY_OK)
                e = jy_store_hall_ticket_update(conn, &t, err);
        }
    });
    if (e == JY_OK)
        *ret = t;
    return e;
}

enum jy_err jy_hall_recent_calls(struct jy_service *svc, size_t limit, jy_store_hall_ticket_fn *fn,
                                 void *ctx, struct jy_error *err)
{
    struct jy_store_conn *conn;
    char day[JY_DATE_TEXT_SIZE];
    enum jy_err e = conn_and_day(svc, jy_service_now(svc), &conn, day, err);
    if (e != JY_OK)
        return e;
    if (limit < 1 || limit > JY_HALL_CALLS_MAX)
        limit = JY_HALL_CALLS_MAX;
    return jy_store_hall_recent_calls(conn, day, limit, fn, ctx, err);
}

/* ---- the slip ---- */

bool jy_hall_status_url(struct jy_service *svc, const struct jy_store_hall_ticket *t, char *buf,
                        size_t size)
{
    int n = snprintf(buf, size, "%s/ticket.html?number=%s&date=%s", jy_service_public_url(svc),
                     t->number, t->day);
    return n > 0 && (size_t)n < size;
}

enum jy_err jy_hall_slip_pdf(struct jy_service *svc, const char *day, const char *number,
                             unsigned char **ret, size_t *ret_len, struct jy_error *err)
{
    struct jy_store_hall_ticket t;
    int64_t ahead = 0;
    enum jy_err e = jy_hall_ticket(svc, day, number, &t, &ahead, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0;
    if ((e = jy_store_hall_categories(conn, cats, JY_HALL_MAX_CATEGORIES, &n, err)) != JY_OK)
        return e;
    const struct jy_store_hall_category *c = NULL;
    for (size_t i = 0; i < n && !c; i++)
        if (is(cats[i].code, t.category))
            c = &cats[i];
    char centre[512] = "";
    struct jy_error ignored;
    if (jy_store_setting_get(conn, "centre_name_zh", centre, sizeof(centre), &ignored) != JY_OK)
        centre[0] = '\0';
    char url[JY_HALL_URL_MAX_BYTES];
    if (!jy_hall_status_url(svc, &t, url, sizeof(url)))
        return jy_error_set(err, JY_TOO_LONG, "url_too_long", NULL, "the status URL is too long");
    struct jy_slip slip = {
        .centre_name = centre,
        .number = t.number,
        .category_zh = c ? c->name_zh : t.category,
        .category_en = c ? c->name_en : t.category,
        .waiting_ahead = ahead,
        .issued_at = t.issued_at,
        .status_url = url,
    };
    return jy_render_slip(&slip, ret, ret_len, err);
}

/* ---- figures ---- */

/* Growing arrays of seconds, one pair per group. */
struct samples {
    int64_t *v;
    size_t n, cap;
};

static bool push(struct samples *s, int64_t x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        int64_t *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return true;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile `p` (1..100) of `s`, sorted here; -1 when empty. */
static int64_t percentile(struct samples *s, int p)
{
    if (s->n == 0)
        return -1;
    qsort(s->v, s->n, sizeof(*s->v), cmp64);
    size_t rank = (s->n * (size_t)p + 99) / 100; /* ceil(p/100 · n), 1-based */
    if (rank < 1)
        rank = 1;
    return s->v[rank - 1];
}

struct group {
    struct jy_hall_times *t;
    struct samples wait, service;
};

struct fig_ctx {
    struct jy_hall_figures *f;
    struct group cats[JY_HALL_MAX_CATEGORIES];
    struct group wins[JY_HALL_MAX_WINDOWS];
    bool nomem;
};

static void count(struct group *g, const struct jy_store_hall_ticket *t, bool *nomem)
{
    g->t->tickets++;
    if (t->first_called_at && !push(&g->wait, t->first_called_at - t->issued_at))
        *nomem = true;
    if (t->finished_at) {
        g->t->served++;
        if (t->started_at && !push(&g->service, t->finished_at - t->started_at))
            *nomem = true;
    }
}

static bool fig_ticket(void *ctx, const struct jy_store_hall_ticket *t)
{
    struct fig_ctx *c = ctx;
    struct jy_hall_figures *f = c->f;
    f->tickets++;
    if (is(t->status, "waiting"))
        f->waiting++;
    /* Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
    int hour = (int)(((t->issued_at + 8 * 3600) % 86400 + 86400) % 86400 / 3600);
    f->per_hour[hour]++;
    for (size_t i = 0; i < f->n_categories; i++)
        if (is(f->categories[i].key, t->category))
            count(&c->cats[i], t, &c->nomem);
    if (t->window) {
        char key[16];
        snprintf(key, sizeof(key), "%d", t->window);
        size_t i = 0;
        while (i < f->n_windows && !is(f->windows[i].key, key))
            i++;
        if (i == f->n_windows && i < JY_HALL_MAX_WINDOWS) {
            jy_strlcpy(f->windows[i].key, key, sizeof(f->windows[i].key));
            c->wins[i].t = &f->windows[i];
            f->n_windows++;
        }
        if (i < f->n_windows)
            count(&c->wins[i], t, &c->nomem);
    }
    return !c->nomem;
}

static void finish_group(struct group *g)
{
    g->t->wait_p50 = percentile(&g->wait, 50);
    g->t->wait_p90 = percentile(&g->wait, 90);
    g->t->service_p50 = percentile(&g->service, 50);
    g->t->service_p90 = percentile(&g->service, 90);
    free(g->wait.v);
    free(g->service.v);
}

/* Windows by number (their keys are the numbers as text). */
static int by_window(const void *a, const void *b)
{
    long x = strtol(((const struct jy_hall_times *)a)->key, NULL, 10);
    long y = strtol(((const struct jy_hall_times *)b)->key, NULL, 10);
    return (x > y) - (x < y);
}

enum jy_err jy_hall_figures(struct jy_service *svc, const struct jy_actor *actor, const char *day,
                            struct jy_hall_figures *ret, struct jy_error *err)
{
    if (!hall_staff(actor) && actor->role != JY_ROLE_MANAGER)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "the hall's figures are for hall staff and managers");
    struct jy_hall_figures *f = calloc(1, sizeof(*f));
    struct fig_ctx *c = calloc(1, sizeof(*c));
    enum jy_err e = JY_OK;
    if (!f || !c) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
        goto out;
    }
    if ((e = day_or_today(svc, day, f->day, err)) != JY_OK)
        goto out;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        goto out;
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0;
    if ((e = jy_store_hall_categories(conn, cats, JY_HALL_MAX_CATEGORIES, &n, err)) != JY_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        jy_strlcpy(f->categories[i].key, cats[i].code, sizeof(f->categories[i].key));
        c->cats[i].t = &f->categories[i];
    }
    f->n_categories = n;
    c->f = f;
    e = jy_store_hall_tickets_of_day(conn, f->day, fig_ticket, c, err);
    if (e == JY_OK && c->nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    for (size_t i = 0; i < f->n_categories; i++)
        finish_group(&c->cats[i]);
    for (size_t i = 0; i < f->n_windows; i++)
        finish_group(&c->wins[i]);
    qsort(f->windows, f->n_windows, sizeof(f->windows[0]), by_window);
    if (e == JY_OK)
        *ret = *f;
out:
    free(c);
    free(f);
    return e;
}
