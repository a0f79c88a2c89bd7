/*
 * query.c — reading applications within the actor's scope: see query.h.
 */
#include "query.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/idcard.h"
#include "core/plate.h"
#include "limits.h"
#include "store/users.h"
#include "../banned.h"

/* Every state an application can be in (the contract's list). */
static const char *const all_states[] = {
    "accepted", "at_station",      "correction", "sealed",    "shipped",   "delivered",
    "refused",  "delivery_failed", "returned",   "completed", "cancelled", "paid",
};
#define N_STATES (sizeof(all_states) / sizeof(all_states[0]))

/* The states logistics handles: from the sealed envelope to the door or back. */
static const char *const logistics_states[] = {"sealed", "shipped", "delivered", "delivery_failed",
                                               "returned"};
#define N_LOGISTICS (sizeof(logistics_states) / sizeof(logistics_states[0]))

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static enum jy_err out_of_scope(struct jy_error *err)
{
    return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", NULL,
                        "this application is outside your scope");
}

enum jy_err jy_query_parse_number(const char *s, char ret[JY_APP_NUMBER_SIZE], struct jy_error *err)
{
    struct jy_appno no;
    struct jy_error d;
    if (!s || jy_appno_parse(s, strlen(s), &no, &d) != JY_OK)
        return jy_error_set(err, JY_INVALID, "invalid_number", "number",
                            "not an application number: %s", s ? d.message : "none given");
    jy_strlcpy(ret, no.text, JY_APP_NUMBER_SIZE);
    return JY_OK;
}

enum jy_err jy_query_check_scope(struct jy_store_conn *conn, const struct jy_actor *actor,
                                 const struct jy_store_application *a, struct jy_error *err)
{
    switch (actor->role) {
    case JY_ROLE_SUPERVISOR:
    case JY_ROLE_MANAGER:
    case JY_ROLE_ADMIN:
        return JY_OK;
    case JY_ROLE_CLERK:
        return a->branch_id == actor->branch_id ? JY_OK : out_of_scope(err);
    case JY_ROLE_LOGISTICS:
        return in_list(a->state, logistics_states, N_LOGISTICS) ? JY_OK : out_of_scope(err);
    case JY_ROLE_OPERATOR: {
        enum jy_station st;
        if (strcmp(a->state, "at_station") == 0 &&
            jy_station_parse(a->station, strlen(a->station), &st) && (actor->stations & (1u << st)))
            return JY_OK;
        if (a->lease_user_id && a->lease_user_id == actor->user_id)
            return JY_OK;
        bool worked = false;
        enum jy_err e =
            jy_store_application_has_event_by(conn, a->id, actor->user_id, &worked, err);
        if (e != JY_OK)
            return e;
        return worked ? JY_OK : out_of_scope(err);
    }
    default:
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "your role reads nothing");
    }
}

enum jy_err jy_query_get(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         struct jy_store_application *ret, struct jy_error *err)
{
    char compact[JY_APP_NUMBER_SIZE];
    enum jy_err e = jy_query_parse_number(number, compact, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    e = jy_store_application_by_number(conn, compact, a, err);
    if (e == JY_OK)
        e = jy_query_check_scope(conn, actor, a, err);
    if (e == JY_OK)
        memcpy(ret, a, sizeof(*a));
    free(a);
    return e;
}

/* ---- lists ---- */

static bool given(const char *s)
{
    return s && *s;
}

static enum jy_err bad_parameter(struct jy_error *err, const char *name, const char *what)
{
    return jy_error_set(err, JY_INVALID, "bad_parameter", name, "%s: %s", name, what);
}

/* Cursor: "c" and the last id of the page in lower-case hex. */
static void cursor_format(int64_t id, char ret[JY_QUERY_CURSOR_SIZE])
{
    snprintf(ret, JY_QUERY_CURSOR_SIZE, "c%" PRIx64, (uint64_t)id);
}

static enum jy_err cursor_parse(const char *s, int64_t *ret, struct jy_error *err)
{
    size_t n = strlen(s);
    if (n < 2 || n > 16 || s[0] != 'c')
        return bad_parameter(err, "cursor", "not a cursor of this list");
    uint64_t v = 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return bad_parameter(err, "cursor", "not a cursor of this list");
        v = v * 16 + (uint64_t)d;
    }
    if (v == 0 || v > (uint64_t)INT64_MAX)
        return bad_parameter(err, "cursor", "not a cursor of this list");
    *ret = (int64_t)v;
    return JY_OK;
}

/* Keep in `f` only the codes of `set` (n) that are also in `scope` (m): the intersection of a
 * filter with the actor's scope. */
static void restrict_codes(const char **set, size_t *n, const char *const *scope, size_t m)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (in_list(set[i], scope, m))
            set[k++] = set[i];
    *n = k;
}

/* The search box: a number prefix, a plate, an ID number. Fills the three fields of `sf` from
 * `q` using the buffers given. */
static enum jy_err parse_q(const char *q, struct jy_date today,
                           struct jy_store_application_filter *sf, char *prefix, size_t prefix_size,
                           char *plate, size_t plate_size, char *idn, size_t idn_size,
                           struct jy_error *err)
{
    size_t len = strlen(q);
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "q", "q is longer than %d bytes",
                            JY_IDENT_MAX_BYTES);
    /* A number or its beginning: 0-9 A-Z after dropping spaces and hyphens. */
    size_t k = 0;
    bool number_like = true;
    for (size_t i = 0; i < len && number_like; i++) {
        char c = q[i];
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) || k + 1 >= prefix_size)
            number_like = false;
        else
            prefix[k++] = c;
    }
    prefix[k] = '\0';
    if (number_like && k > 0 && k < JY_APP_NUMBER_SIZE)
        sf->number_prefix = prefix;
    struct jy_plate p;
    if (jy_plate_parse(q, len, &p, NULL) == JY_OK && strlen(p.text) < plate_size) {
        jy_strlcpy(plate, p.text, plate_size);
        sf->plate = plate;
    }
    struct jy_idcard id;
    if (jy_idcard_parse(q, len, today, &id, NULL) == JY_OK && strlen(id.number) < idn_size) {
        jy_strlcpy(idn, id.number, idn_size);
        sf->id_number = idn;
    }
    return JY_OK;
}

enum jy_err jy_query_list(struct jy_service *svc, const struct jy_actor *actor,
                          const struct jy_query_filter *f,
                          bool (*fn)(void *ctx, const struct jy_store_application *a), void *ctx,
                          char ret_next_cursor[JY_QUERY_CURSOR_SIZE], struct jy_error *err)
{
    struct jy_store_application_filter sf;
    memset(&sf, 0, sizeof(sf));
    int64_t limit = f->limit ? f->limit : JY_PAGE_DEFAULT_ITEMS;
    if (limit < 1 || limit > JY_PAGE_MAX_ITEMS)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit must be 1..%d",
                            JY_PAGE_MAX_ITEMS);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;

    /* The filters as asked. */
    if (given(f->state)) {
        if (!in_list(f->state, all_states, N_STATES))
            return bad_parameter(err, "state", "no such state");
        sf.states[sf.n_states++] = f->state;
    }
    enum jy_station station = JY_STATION_REVIEW;
    if (given(f->station)) {
        if (!jy_station_parse(f->station, strlen(f->station), &station))
            return bad_parameter(err, "station", "no such station");
        sf.stations[sf.n_stations++] = jy_station_code(station);
    }
    if (given(f->type)) {
        const struct jy_business_type *t =
            jy_catalog_find(jy_service_catalog(svc), f->type, strlen(f->type));
        if (!t)
            return bad_parameter(err, "type", "no such business type");
        sf.business_type = t->code;
    }
    if (given(f->branch)) {
        struct jy_store_branch b;
        size_t n = strlen(f->branch);
        bool digits = n > 0 && n <= 18;
        for (size_t i = 0; digits && i < n; i++)
            digits = f->branch[i] >= '0' && f->branch[i] <= '9';
        struct jy_error d;
        if (digits) {
            int64_t id = 0;
            for (size_t i = 0; i < n; i++)
                id = id * 10 + (f->branch[i] - '0');
            e = jy_store_branch_by_id(conn, id, &b, &d);
        } else {
            e = n > 32 ? JY_NOT_FOUND : jy_store_branch_by_code(conn, f->branch, &b, &d);
        }
        if (e == JY_NOT_FOUND)
            return bad_parameter(err, "branch", "no such branch");
        if (e != JY_OK) {
            if (err)
                *err = d;
            return e;
        }
        sf.branch_id = b.id;
    }
    if (given(f->cursor) && (e = cursor_parse(f->cursor, &sf.before_id, err)) != JY_OK)
        return e;
    char prefix[JY_IDENT_MAX_BYTES + 1], plate[JY_APP_PLATE_SIZE], idn[JY_APP_ID_NUMBER_SIZE];
    bool searching = false;
    if (given(f->q)) {
        e = parse_q(f->q, jy_date_from_unix_shanghai(jy_service_now(svc)), &sf, prefix,
                    sizeof(prefix), plate, sizeof(plate), idn, sizeof(idn), err);
        if (e != JY_OK)
            return e;
        searching = true;
    }

    /* The actor's scope. */
    bool empty = searching && !sf.number_prefix && !sf.plate && !sf.id_number;
    switch (actor->role) {
    case JY_ROLE_SUPERVISOR:
    case JY_ROLE_MANAGER:
    case JY_ROLE_ADMIN:
        break;
    case JY_ROLE_CLERK:
        if (sf.branch_id && sf.branch_id != actor->branch_id)
            return out_of_scope(err);
        sf.branch_id = actor->branch_id;
        break;
    case JY_ROLE_LOGISTICS:
        if (sf.n_states) {
            restrict_codes(sf.states, &sf.n_states, logistics_states, N_LOGISTICS);
            if (!sf.n_states)
                return out_of_scope(err);
        } else {
            for (size_t i = 0; i < N_LOGISTICS; i++)
                sf.states[sf.n_states++] = logistics_states[i];
        }
        break;
    case JY_ROLE_OPERATOR: {
        static const char *const at[] = {"at_station"};
        if (sf.n_states) {
            restrict_codes(sf.states, &sf.n_states, at, 1);
            if (!sf.n_states)
                return out_of_scope(err);
        } else {
            sf.states[sf.n_states++] = "at_station";
        }
        if (sf.n_stations) {
            if (!(actor->stations & (1u << station)))
                return out_of_scope(err);
        } else {
            for (int s = 0; s < JY__STATION_COUNT; s++)
                if (actor->stations & (1u << s))
                    sf.stations[sf.n_stations++] = jy_station_code((enum jy_station)s);
            if (!sf.n_stations)
                empty = true; /* an operator without stations sees nothing */
        }
        break;
    }
    default:
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "your role reads nothing");
    }

    int64_t next = 0;
    if (!empty) {
        e = jy_store_application_list(conn, &sf, (int)limit, fn, ctx, &next, err);
        if (e != JY_OK)
            return e;
    }
    if (next)
        cursor_format(next, ret_next_cursor);
    else
        ret_next_cursor[0] = '\0';
    return JY_OK;
}

/* ---- events ---- */

struct events_ctx {
    bool (*fn)(void *ctx, const struct jy_store_event_row *e);
    void *ctx;
    size_t given;
    bool truncated;
};

static bool events_step(void *p, const struct jy_store_event_row *row)
{
    struct events_ctx *c = p;
    if (c->given == JY_APPLICATION_EVENTS_MAX) {
        c->truncated = true;
        return false;
    }
    c->given++;
    return c->fn(c->ctx, row);
}

enum jy_err jy_query_events(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number,
                            bool (*fn)(void *ctx, const struct jy_store_event_row *e), void *ctx,
                            bool *ret_truncated, struct jy_error *err)
{
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    enum jy_err e = jy_query_get(svc, actor, number, a, err);
    int64_t id = e == JY_OK ? a->id : 0;
    free(a);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct events_ctx c = {.fn = fn, .ctx = ctx, .given = 0, .truncated = false};
    e = jy_store_application_events(conn, id, events_step, &c, err);
    if (e == JY_OK && ret_truncated)
        *ret_truncated = c.truncated;
    return e;
}
