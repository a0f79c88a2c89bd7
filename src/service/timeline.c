/*
 * timeline.c — one ordered list of an application's events and the carrier's rows: see
 * timeline.h.
 */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/query.h"
#include "service/track.h"
#include "store/carrier.h"
#include "../banned.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

struct build {
    struct jy_service *svc;
    bool public_view;
    struct jy_timeline_entry *items;
    size_t count, cap;
    size_t n_events; /* the first n_events items are events */
    bool nomem;
};

static struct jy_timeline_entry *add(struct build *b)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct jy_timeline_entry *p = realloc(b->items, cap * sizeof(*p));
        if (!p) {
            b->nomem = true;
            return NULL;
        }
        b->items = p;
        b->cap = cap;
    }
    struct jy_timeline_entry *t = &b->items[b->count++];
    memset(t, 0, sizeof(*t));
    return t;
}

/* The kind of event `ev`: see timeline.h. */
static const char *kind_of(const struct jy_store_timeline_event *ev)
{
    const char *zh, *en;
    if (!ev->from_state[0])
        return "counter";
    if (jy_track_custody_words(ev->reason, &zh, &en))
        return is(ev->reason, "redispatch")            ? "dispatch"
               : is(ev->reason, "applicant_contacted") ? "counter"
                                                       : "custody";
    if (jy_track_carrier_words(ev->reason, &zh, &en))
        return "carrier";
    if (is(ev->to_state, "sealed"))
        return "dispatch";
    if (is(ev->from_state, ev->to_state) && is(ev->from_station, ev->to_station))
        return "custody";
    if (ev->branch_id)
        return "counter";
    return "centre";
}

static bool add_event(void *ctx, const struct jy_store_timeline_event *ev)
{
    struct build *b = ctx;
    struct jy_timeline_entry *t = add(b);
    if (!t)
        return false;
    t->at = ev->at;
    jy_strlcpy(t->kind, kind_of(ev), sizeof(t->kind));
    /* The code: the reason; for a station's completion the station done ("review"). */
    const char *code = ev->reason[0] ? ev->reason : ev->to_state;
    if (!ev->reason[0] && is(ev->from_state, "at_station") && ev->from_station[0])
        code = ev->from_station;
    jy_strlcpy(t->code, code, sizeof(t->code));
    jy_strlcpy(t->state, ev->to_state, sizeof(t->state));
    jy_track_describe(jy_service_catalog(b->svc), ev, t->label_zh, sizeof(t->label_zh), t->label_en,
                      sizeof(t->label_en));
    if (is(t->kind, "carrier"))
        jy_strlcpy(t->location, ev->note, sizeof(t->location));
    if (!b->public_view) {
        jy_strlcpy(t->actor, ev->actor_username, sizeof(t->actor));
        jy_strlcpy(t->station, ev->station[0] ? ev->station : ev->to_station, sizeof(t->station));
        jy_strlcpy(t->branch, ev->branch_code, sizeof(t->branch));
        jy_strlcpy(t->note, ev->note, sizeof(t->note));
    }
    b->n_events++;
    return true;
}

static bool add_row(void *ctx, const struct jy_store_shipment_row *r)
{
    struct build *b = ctx;
    /* A row that moved the state is there already, as its event (same status, same time):
     * it only adds its item number and failure reason there. */
    for (size_t i = 0; i < b->n_events; i++) {
        struct jy_timeline_entry *e = &b->items[i];
        if (e->at == r->at && is(e->kind, "carrier") && is(e->code, r->status)) {
            jy_strlcpy(e->waybill, r->waybill, sizeof(e->waybill));
            if (!b->public_view)
                jy_strlcpy(e->failure_reason, r->failure_reason, sizeof(e->failure_reason));
            return true;
        }
    }
    struct jy_timeline_entry *t = add(b);
    if (!t)
        return false;
    t->at = r->at;
    jy_strlcpy(t->kind, "carrier", sizeof(t->kind));
    jy_strlcpy(t->code, r->status, sizeof(t->code));
    jy_strlcpy(t->waybill, r->waybill, sizeof(t->waybill));
    jy_strlcpy(t->location, r->location, sizeof(t->location));
    const char *zh = r->status, *en = r->status;
    jy_track_carrier_words(r->status, &zh, &en);
    /* The location is at most JY_SHIPMENT_LOCATION_MAX_BYTES (200) bytes. */
    if (r->location[0]) {
        snprintf(t->label_zh, sizeof(t->label_zh), "%s（%.200s）", zh, r->location);
        snprintf(t->label_en, sizeof(t->label_en), "%s (%.200s)", en, r->location);
    } else {
        snprintf(t->label_zh, sizeof(t->label_zh), "%s", zh);
        snprintf(t->label_en, sizeof(t->label_en), "%s", en);
    }
    if (!b->public_view)
        jy_strlcpy(t->failure_reason, r->failure_reason, sizeof(t->failure_reason));
    return true;
}

/* Merge the events (items[0..n_events), in the order of the hash chain, which is the order
 * things were recorded) with the carrier's rows that made no event (items[n_events..count),
 * oldest first): before each event come the rows older than it. The chain's order is kept as it
 * is even where a carrier's reported time is older than a staff event recorded before it. */
static bool merge(struct build *b)
{
    struct jy_timeline_entry *out = b->count ? malloc(b->count * sizeof(*out)) : NULL;
    if (b->count && !out)
        return false;
    size_t e = 0, r = b->n_events, o = 0;
    while (e < b->n_events || r < b->count) {
        bool take_row = r < b->count && (e == b->n_events || b->items[r].at < b->items[e].at);
        memcpy(&out[o++], &b->items[take_row ? r++ : e++], sizeof(*out));
    }
    free(b->items);
    b->items = out;
    b->cap = b->count;
    return true;
}

enum jy_err jy_timeline_build(struct jy_service *svc, struct jy_store_conn *conn, int64_t id,
                              bool public_view, struct jy_timeline *ret, struct jy_error *err)
{
    struct jy_store_workflow w;
    enum jy_err e = jy_store_workflow_by_id(conn, id, &w, err);
    if (e != JY_OK)
        return e;
    struct build b = {.svc = svc, .public_view = public_view};
    e = jy_store_workflow_events(conn, id, JY_TRACK_TIMELINE_MAX, add_event, &b, err);
    if (e == JY_OK && !b.nomem)
        e = jy_store_shipment_rows_of(conn, id, JY_TRACK_TIMELINE_MAX, add_row, &b, err);
    if (e == JY_OK && b.nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if (e != JY_OK) {
        free(b.items);
        return e;
    }
    if (!merge(&b)) {
        free(b.items);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    memset(ret, 0, sizeof(*ret));
    jy_strlcpy(ret->number, w.number, sizeof(ret->number));
    jy_strlcpy(ret->state, w.state, sizeof(ret->state));
    jy_strlcpy(ret->waybill, w.waybill, sizeof(ret->waybill));
    ret->count = b.count;
    ret->entries = b.items;
    return JY_OK;
}

enum jy_err jy_timeline_get(struct jy_service *svc, const struct jy_actor *actor,
                            const char *number, struct jy_timeline *ret, struct jy_error *err)
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
    return jy_timeline_build(svc, conn, id, false, ret, err);
}

void jy_timeline_release(struct jy_timeline *t)
{
    if (!t)
        return;
    free(t->entries);
    t->entries = NULL;
    t->count = 0;
}
