/*
 * api_hall.c — the hall queue over HTTP: the kiosk, the windows, the display's live stream and
 * the figures (service/hall.h).
 *
 *   GET  /api/v1/hall/categories                    public   the kiosk's buttons
 *   POST /api/v1/hall/tickets {category}            public   201 a new ticket (kiosk limit)
 *   GET  /api/v1/hall/tickets/{number}?date=        public   a ticket's status (slip QR)
 *   GET  /api/v1/hall/tickets/{number}/slip.pdf     public   the 80 mm slip
 *   POST /api/v1/hall/tickets/{number}/requeue      staff    a skipped ticket back in line
 *   GET  /api/v1/hall/windows                       staff    windows, who is at them, their ticket
 *   POST /api/v1/hall/windows/{window}/open|close   staff    take or leave a window
 *   POST /api/v1/hall/windows/{window}/call         staff    200 the ticket called, 204 none
 *   POST /api/v1/hall/windows/{window}/recall|skip|start|finish {ticket}
 *   GET  /api/v1/hall/calls?limit=                  public   today's latest calls
 *   GET  /api/v1/hall/stream                        public   text/event-stream of calls
 *   GET  /api/v1/hall/figures?date=                 staff, managers
 */
#include "api.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timestamp.h"
#include "http/json.h"
#include "http/ratelimit.h"
#include "limits.h"
#include "service/broadcast.h"
#include "service/hall.h"
#include "../banned.h"

/* ---- JSON ---- */

static json_t *time_or_null(int64_t t)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return t ? json_string(jy_timestamp_format(t, buf)) : json_null();
}

static json_t *ticket_json(struct jy_service *svc, const struct jy_store_hall_ticket *t,
                           int64_t ahead, const struct jy_store_hall_category *cats, size_t n)
{
    const struct jy_store_hall_category *c = NULL;
    for (size_t i = 0; i < n && !c; i++)
        if (strcmp(cats[i].code, t->category) == 0)
            c = &cats[i];
    char url[JY_HALL_URL_MAX_BYTES];
    bool have_url = jy_hall_status_url(svc, t, url, sizeof(url));
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}",
                  "number", t->number, "day", t->day, "category", t->category, "category_name_zh",
                  c ? c->name_zh : t->category, "category_name_en", c ? c->name_en : t->category,
                  "seq", (json_int_t)t->seq, "waiting_ahead", (json_int_t)ahead, "issued_at",
                  time_or_null(t->issued_at), "called_at", time_or_null(t->called_at), "window",
                  t->window ? json_integer(t->window) : json_null(), "recalls",
                  (json_int_t)t->recalls, "started_at", time_or_null(t->started_at), "finished_at",
                  time_or_null(t->finished_at), "skipped_at", time_or_null(t->skipped_at),
                  "status_url", have_url ? json_string(url) : json_null());
    if (o)
        json_object_set_new(o, "status", json_string(t->status));
    return o;
}

/* Categories for names; on failure the response is answered and false returned. */
static bool load_categories(struct jy_http_request *req, struct jy_http_response *res,
                            struct jy_store_hall_category *cats, size_t *n)
{
    struct jy_error err;
    if (jy_hall_categories(jy_api_service(req), cats, JY_HALL_MAX_CATEGORIES, n, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return false;
    }
    return true;
}

static void answer_ticket(struct jy_http_request *req, struct jy_http_response *res, int status,
                          const struct jy_store_hall_ticket *t, int64_t ahead)
{
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0;
    if (!load_categories(req, res, cats, &n))
        return;
    jy_http_response_json(res, status, ticket_json(jy_api_service(req), t, ahead, cats, n));
}

/* ---- the kiosk ---- */

void jy_api_hall_categories(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0;
    if (!load_categories(req, res, cats, &n))
        return;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", cats[i].code, "prefix",
                                        cats[i].prefix, "name_zh", cats[i].name_zh, "name_en",
                                        cats[i].name_en, "active", cats[i].active));
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", items));
}

/* The kiosk's own limiter: a hall's kiosk takes far more tickets than anyone looks up a
 * tracking number, so it does not share the tracking page's bucket sizes. */
static struct jy_ratelimit *kiosk_rl;
static pthread_once_t kiosk_once = PTHREAD_ONCE_INIT;

static void kiosk_rl_init(void)
{
    struct jy_error ignored;
    if (jy_ratelimit_new(JY_RATELIMIT_MAX_ENTRIES, JY_HALL_KIOSK_BURST, JY_HALL_KIOSK_PER_MINUTE,
                         &kiosk_rl, &ignored) != JY_OK)
        kiosk_rl = NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void jy_api_hall_ticket_take(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    pthread_once(&kiosk_once, kiosk_rl_init);
    uint32_t retry = 0;
    if (kiosk_rl && !jy_ratelimit_take(kiosk_rl, jy_http_request_client(req), "hall.tickets",
                                       now_ms(), &retry)) {
        char value[16];
        snprintf(value, sizeof(value), "%u", (unsigned)retry);
        jy_http_response_header(res, "Retry-After", value, &err);
        jy_http_response_fail(res, JY_RATE_LIMITED, NULL, NULL,
                              "too many tickets; try again in %u s", (unsigned)retry);
        return;
    }
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"category", NULL};
    const char *category = NULL;
    struct jy_store_hall_ticket t;
    int64_t ahead = 0;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "category", true, JY_HALL_CODE_MAX, &category, &err) != JY_OK ||
        jy_hall_take_ticket(jy_api_service(req), category, &t, &ahead, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    answer_ticket(req, res, 201, &t, ahead);
}

void jy_api_hall_ticket_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_hall_ticket t;
    int64_t ahead = 0;
    if (jy_hall_ticket(jy_api_service(req), jy_http_request_query(req, "date"),
                       jy_http_request_param(req, "number"), &t, &ahead, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    answer_ticket(req, res, 200, &t, ahead);
}

void jy_api_hall_slip_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    const char *number = jy_http_request_param(req, "number");
    if (jy_hall_slip_pdf(jy_api_service(req), jy_http_request_query(req, "date"), number, &pdf,
                         &len, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char disposition[64];
    snprintf(disposition, sizeof(disposition), "inline; filename=\"ticket-%s.pdf\"", number);
    jy_http_response_header(res, "Content-Disposition", disposition, &err);
    jy_http_response_bytes(res, 200, "application/pdf", pdf, len);
}

void jy_api_hall_ticket_requeue(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_hall_ticket t;
    if (jy_hall_requeue(jy_api_service(req), jy_api_actor(req),
                        jy_http_request_param(req, "number"), &t, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    answer_ticket(req, res, 200, &t, 0);
}

/* ---- the windows ---- */

/* The window number of the path, or false with 404 answered. */
static bool path_window(struct jy_http_request *req, struct jy_http_response *res, int *ret)
{
    const char *s = jy_http_request_param(req, "window");
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < 1 || v > 99) {
        jy_http_response_fail(res, JY_NOT_FOUND, "no_such_window", "window", "no such window");
        return false;
    }
    *ret = (int)v;
    return true;
}

void jy_api_hall_windows(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_hall_window *w = calloc(JY_HALL_MAX_WINDOWS, sizeof(*w));
    struct jy_store_hall_ticket *cur = calloc(JY_HALL_MAX_WINDOWS, sizeof(*cur));
    struct jy_store_hall_category cats[JY_HALL_MAX_CATEGORIES];
    size_t n = 0, nc = 0;
    if (!w || !cur) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    if (!load_categories(req, res, cats, &nc))
        goto out;
    if (jy_hall_windows(jy_api_service(req), w, cur, JY_HALL_MAX_WINDOWS, &n, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        goto out;
    }
    const struct jy_actor *me = jy_api_actor(req);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *cl = json_array();
        const char *p = w[i].categories;
        while (*p) {
            size_t len = strcspn(p, ",");
            if (len)
                json_array_append_new(cl, json_stringn(p, len));
            p += len + (p[len] == ',');
        }
        json_t *staff = w[i].staff_user_id
                            ? json_pack("{s:s, s:s}", "username", w[i].staff_username,
                                        "display_name", w[i].staff_display_name)
                            : json_null();
        json_array_append_new(
            items,
            json_pack("{s:i, s:s, s:s, s:o, s:o, s:b, s:o}", "number", w[i].number, "name_zh",
                      w[i].name_zh, "name_en", w[i].name_en, "categories", cl, "staff", staff,
                      "mine", me && w[i].staff_user_id == me->user_id, "current",
                      cur[i].id ? ticket_json(jy_api_service(req), &cur[i], 0, cats, nc)
                                : json_null()));
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:o, s:i}", "items", items, "skip_after_recalls",
                                    jy_hall_skip_after(jy_api_service(req))));
out:
    free(w);
    free(cur);
}

void jy_api_hall_window_open(struct jy_http_request *req, struct jy_http_response *res)
{
    int window;
    if (!path_window(req, res, &window))
        return;
    struct jy_error err;
    bool open = strcmp((const char *)jy_http_request_route_data(req), "open") == 0;
    enum jy_err e =
        open ? jy_hall_window_open(jy_api_service(req), jy_api_actor(req), window, &err)
             : jy_hall_window_close(jy_api_service(req), jy_api_actor(req), window, &err);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_api_hall_windows(req, res);
}

void jy_api_hall_window_call(struct jy_http_request *req, struct jy_http_response *res)
{
    int window;
    if (!path_window(req, res, &window))
        return;
    struct jy_error err;
    struct jy_store_hall_ticket t;
    bool found = false;
    if (jy_hall_call_next(jy_api_service(req), jy_api_actor(req), window, &t, &found, &err) !=
        JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if (!found) {
        jy_http_response_empty(res, 204);
        return;
    }
    answer_ticket(req, res, 200, &t, 0);
}

void jy_api_hall_window_act(struct jy_http_request *req, struct jy_http_response *res)
{
    int window;
    if (!path_window(req, res, &window))
        return;
    const char *name = jy_http_request_route_data(req);
    enum jy_hall_action action = strcmp(name, "recall") == 0  ? JY_HALL_RECALL
                                 : strcmp(name, "skip") == 0  ? JY_HALL_SKIP
                                 : strcmp(name, "start") == 0 ? JY_HALL_START
                                                              : JY_HALL_FINISH;
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    struct jy_error err;
    static const char *const allowed[] = {"ticket", NULL};
    const char *number = NULL;
    struct jy_store_hall_ticket t;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "ticket", true, JY_HALL_NUMBER_MAX, &number, &err) != JY_OK ||
        jy_hall_act(jy_api_service(req), jy_api_actor(req), window, number, action, &t, &err) !=
            JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    answer_ticket(req, res, 200, &t, 0);
}

/* ---- the display ---- */

struct calls_ctx {
    json_t *items;
    struct jy_store_hall_window *w;
    size_t n;
};

static bool add_call(void *ctx, const struct jy_store_hall_ticket *t)
{
    struct calls_ctx *c = ctx;
    const struct jy_store_hall_window *w = NULL;
    for (size_t i = 0; i < c->n && !w; i++)
        if (c->w[i].number == t->window)
            w = &c->w[i];
    char at[JY_TIMESTAMP_TEXT_SIZE];
    json_array_append_new(c->items,
                          json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:s}", "number", t->number,
                                    "category", t->category, "window", t->window, "window_name_zh",
                                    w ? w->name_zh : "", "window_name_en", w ? w->name_en : "",
                                    "recall", (json_int_t)t->recalls, "at",
                                    jy_timestamp_format(t->called_at, at), "status", t->status));
    return true;
}

void jy_api_hall_calls(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    int64_t limit = 10;
    if (jy_http_request_query_int(req, "limit", 1, JY_HALL_CALLS_MAX, &limit, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct calls_ctx c = {json_array(), calloc(JY_HALL_MAX_WINDOWS, sizeof(*c.w)), 0};
    if (!c.w ||
        jy_hall_windows(jy_api_service(req), c.w, NULL, JY_HALL_MAX_WINDOWS, &c.n, &err) != JY_OK ||
        jy_hall_recent_calls(jy_api_service(req), (size_t)limit, add_call, &c, &err) != JY_OK) {
        if (!c.w)
            jy_error_set(&err, JY_NOMEM, NULL, NULL, "out of memory");
        json_decref(c.items);
        free(c.w);
        jy_http_response_error(res, &err);
        return;
    }
    free(c.w);
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", c.items));
}

static ssize_t stream_read(void *source, char *buf, size_t max)
{
    return jy_broadcast_read(source, buf, max);
}

static void stream_free(void *source)
{
    jy_broadcast_unsubscribe(source);
}

void jy_api_hall_stream(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_http_stream *stream = NULL;
    if (jy_http_stream_new(stream_read, stream_free, &stream, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    /* retry: how long a browser waits before reconnecting; the comment makes the headers and a
     * first chunk go out at once. */
    static const char hello[] = "retry: 3000\n: connected\n\n";
    struct jy_broadcast_sub *sub = NULL;
    if (jy_broadcast_subscribe(jy_service_hall_calls(jy_api_service(req)), hello, sizeof(hello) - 1,
                               jy_http_stream_wake, stream, &sub, &err) != JY_OK) {
        jy_http_stream_free(stream);
        jy_http_response_error_status(res, 503, &err);
        return;
    }
    jy_http_stream_attach(stream, sub);
    jy_http_response_header(res, "X-Accel-Buffering", "no", &err);
    jy_http_response_stream(res, 200, "text/event-stream; charset=utf-8", stream);
}

/* ---- figures ---- */

static json_t *times_json(const struct jy_hall_times *t, bool window)
{
#define SECS(v) ((v) < 0 ? json_null() : json_integer(v))
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "tickets", (json_int_t)t->tickets,
                          "served", (json_int_t)t->served, "wait_p50_seconds", SECS(t->wait_p50),
                          "wait_p90_seconds", SECS(t->wait_p90), "service_p50_seconds",
                          SECS(t->service_p50), "service_p90_seconds", SECS(t->service_p90));
#undef SECS
    if (o && window)
        json_object_set_new(o, "window", json_integer(strtol(t->key, NULL, 10)));
    else if (o)
        json_object_set_new(o, "category", json_string(t->key));
    return o;
}

void jy_api_hall_figures(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_hall_figures *f = malloc(sizeof(*f));
    if (!f) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    if (jy_hall_figures(jy_api_service(req), jy_api_actor(req), jy_http_request_query(req, "date"),
                        f, &err) != JY_OK) {
        free(f);
        jy_http_response_error(res, &err);
        return;
    }
    json_t *cats = json_array(), *wins = json_array(), *hours = json_array();
    for (size_t i = 0; i < f->n_categories; i++)
        json_array_append_new(cats, times_json(&f->categories[i], false));
    for (size_t i = 0; i < f->n_windows; i++)
        json_array_append_new(wins, times_json(&f->windows[i], true));
    for (int h = 0; h < 24; h++)
        json_array_append_new(hours, json_integer(f->per_hour[h]));
    jy_http_response_json(res, 200,
                          json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "date", f->day, "tickets",
                                    (json_int_t)f->tickets, "waiting", (json_int_t)f->waiting,
                                    "categories", cats, "windows", wins, "tickets_per_hour",
                                    hours));
    free(f);
}
