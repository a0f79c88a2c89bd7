/*
 * shipments.c — the carrier's tracking feed: see shipments.h.
 */
#include "shipments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/s10.h"
#include "core/timestamp.h"
#include "limits.h"
#include "store/audit.h"
#include "store/carrier.h"
#include "store/workflow.h"
#include "service/notify.h"
#include "../banned.h"

/* The carrier's statuses and the application state each one means. */
static const struct {
    const char *status;
    const char *state;
} statuses[] = {
    {"shipped", "shipped"},
    {"in_transit", "shipped"},
    {"out_for_delivery", "shipped"},
    {"delivered", "delivered"},
    {"delivery_failed", "delivery_failed"},
    {"returned", "returned"},
};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))

/* One event, checked. */
struct checked {
    char waybill[JY_S10_LENGTH + 1];
    size_t status; /* index into statuses */
    int64_t at;
    bool bad; /* refused by the check: skipped (import only) */
};

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Name event i's field in err->field ("events[3].at") and return err's code. */
static enum jy_err at_field(struct jy_error *err, size_t i, const char *field)
{
    snprintf(err->field, sizeof(err->field), "events[%zu].%s", i, field);
    return err->code;
}

/* Check event `i` into `*c`. `err` is never NULL here (see check_event). */
static enum jy_err check_one(const struct jy_shipment_event *ev, const char *failure, size_t i,
                             int64_t now, struct checked *c, struct jy_error *err)
{
    if (failure &&
        strnlen(failure, JY_SHIPMENT_LOCATION_MAX_BYTES + 1) > JY_SHIPMENT_LOCATION_MAX_BYTES) {
        jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a failure reason is at most %d bytes",
                     JY_SHIPMENT_LOCATION_MAX_BYTES);
        return at_field(err, i, "failure_reason");
    }
    if (!ev->waybill || !*ev->waybill) {
        jy_error_set(err, JY_INVALID, "missing_field", NULL, "waybill is required");
        return at_field(err, i, "waybill");
    }
    struct jy_s10 s10;
    if (jy_s10_parse(ev->waybill, strnlen(ev->waybill, JY_IDENT_MAX_BYTES + 1), &s10, err) !=
        JY_OK) {
        char detail[sizeof(err->message)];
        jy_strlcpy(detail, err->message, sizeof(detail));
        jy_error_set(err, JY_UNPROCESSABLE, "invalid_waybill", NULL, "not an S10 item number: %s",
                     detail);
        return at_field(err, i, "waybill");
    }
    jy_strlcpy(c->waybill, s10.number, sizeof(c->waybill));
    if (!ev->status || !*ev->status) {
        jy_error_set(err, JY_INVALID, "missing_field", NULL, "status is required");
        return at_field(err, i, "status");
    }
    size_t k = 0;
    while (k < N_STATUSES && !is(statuses[k].status, ev->status))
        k++;
    if (k == N_STATUSES) {
        jy_error_set(err, JY_UNPROCESSABLE, "unknown_status", NULL,
                     "status is one of shipped, in_transit, out_for_delivery, delivered, "
                     "delivery_failed, returned");
        return at_field(err, i, "status");
    }
    c->status = k;
    if (!ev->at || !*ev->at) {
        jy_error_set(err, JY_INVALID, "missing_field", NULL, "at is required");
        return at_field(err, i, "at");
    }
    enum jy_err e =
        jy_timestamp_parse(ev->at, strnlen(ev->at, JY_IDENT_MAX_BYTES + 1), &c->at, err);
    if (e != JY_OK) {
        if (e != JY_TOO_LONG)
            err->code = JY_UNPROCESSABLE;
        return at_field(err, i, "at");
    }
    if (c->at > now + JY_SHIPMENT_FUTURE_SKEW_SECONDS) {
        jy_error_set(err, JY_UNPROCESSABLE, "time_in_future", NULL,
                     "the event lies more than %d hours in the future",
                     JY_SHIPMENT_FUTURE_SKEW_SECONDS / 3600);
        return at_field(err, i, "at");
    }
    if (ev->location && strnlen(ev->location, JY_SHIPMENT_LOCATION_MAX_BYTES + 1) >
                            JY_SHIPMENT_LOCATION_MAX_BYTES) {
        jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a location is at most %d bytes",
                     JY_SHIPMENT_LOCATION_MAX_BYTES);
        return at_field(err, i, "location");
    }
    return JY_OK;
}

static enum jy_err check_event(const struct jy_shipment_event *ev, const char *failure, size_t i,
                               int64_t now, struct checked *c, struct jy_error *err)
{
    struct jy_error local;
    jy_error_clear(&local);
    enum jy_err e = check_one(ev, failure, i, now, c, &local);
    if (e != JY_OK && err)
        *err = local;
    return e;
}

/* May an item in state `cur`, reached at `cur_at`, move to `target` on news from time `at`?
 * See shipments.h. */
static bool may_move(const char *cur, int64_t cur_at, const char *target, int64_t at)
{
    if (is(target, "delivered"))
        return !is(cur, "delivered");
    if (is(cur, "sealed"))
        return true;
    bool edge = (is(cur, "shipped") && (is(target, "delivery_failed") || is(target, "returned"))) ||
                (is(cur, "delivery_failed") && (is(target, "shipped") || is(target, "returned")));
    return edge && at >= cur_at;
}

static bool in_delivery(const char *state)
{
    return is(state, "sealed") || is(state, "shipped") || is(state, "delivered") ||
           is(state, "delivery_failed") || is(state, "returned");
}

/* Apply one checked event in the open transaction. */
static enum jy_err apply_one(struct jy_service *svc, struct jy_store_conn *conn,
                             const struct jy_actor *actor, const struct checked *c,
                             const char *location, const char *failure, int64_t now,
                             enum jy_shipment_outcome *ret, struct jy_error *err)
{
    struct jy_store_shipment row = {
        .waybill = c->waybill,
        .status = statuses[c->status].status,
        .at = c->at,
        .location = location && *location ? location : NULL,
        .received_at = now,
        .failure_reason = failure && *failure ? failure : NULL,
    };
    struct jy_notify_detail detail = {
        .waybill = c->waybill, .location = row.location, .failure = row.failure_reason};
    bool inserted = false;
    enum jy_err e = jy_store_shipment_insert(conn, &row, &inserted, err);
    if (e != JY_OK)
        return e;
    if (!inserted) {
        *ret = JY_SHIPMENT_DUPLICATE;
        return JY_OK;
    }
    struct jy_store_workflow w;
    struct jy_error local;
    e = jy_store_workflow_by_waybill(conn, c->waybill, &w, &local);
    if (e == JY_NOT_FOUND) {
        /* A number the application carried before it was sealed again: the news is kept (and
         * shown on its timeline) but no longer moves it. */
        int64_t before = 0;
        e = jy_store_waybill_superseded_by(conn, c->waybill, &before, &local);
        *ret = e == JY_OK ? JY_SHIPMENT_OUT_OF_ORDER : JY_SHIPMENT_UNKNOWN;
        if (e == JY_NOT_FOUND || e == JY_OK)
            return JY_OK;
        if (err)
            *err = local;
        return e;
    }
    if (e != JY_OK) {
        if (err)
            *err = local;
        return e;
    }
    const char *target = statuses[c->status].state;
    if (is(w.state, target)) {
        /* Out for delivery, or shipped news of an item already shipped (by the mail centre's
         * scan-in): a message, no change of state. The outbox's dedupe key keeps it to one. */
        const char *status = statuses[c->status].status;
        if (is(status, "out_for_delivery") || is(status, "shipped")) {
            struct jy_event ev = {
                .application_id = w.id,
                .at = c->at,
                .from_state = is(status, "shipped") ? "sealed" : w.state,
                .to_state = w.state,
            };
            if ((e = jy_notify_on_event(svc, conn, &ev, status, &detail, err)) != JY_OK)
                return e;
        }
        *ret = JY_SHIPMENT_APPLIED;
        return JY_OK;
    }
    int64_t cur_at = 0;
    if ((e = jy_store_workflow_last_move_at(conn, w.id, &cur_at, err)) != JY_OK)
        return e;
    if (!in_delivery(w.state) || !may_move(w.state, cur_at, target, c->at)) {
        *ret = JY_SHIPMENT_OUT_OF_ORDER;
        return JY_OK;
    }
    struct jy_store_workflow_change change = {
        .id = w.id,
        .version = w.version,
        .state = target,
        .now = now,
    };
    struct jy_event ev = {
        .application_id = w.id,
        .at = c->at,
        .actor_id = actor->user_id,
        .actor_role = jy_role_code(actor->role),
        .from_state = w.state,
        .to_state = target,
        .reason = statuses[c->status].status,
        .note = row.location,
    };
    int64_t event_id;
    if ((e = jy_store_workflow_update(conn, &change, err)) != JY_OK ||
        (e = jy_store_event_append(conn, &ev, &event_id, err)) != JY_OK ||
        (e = jy_notify_on_event(svc, conn, &ev, statuses[c->status].status, &detail, err)) != JY_OK)
        return e;
    *ret = JY_SHIPMENT_APPLIED;
    return JY_OK;
}

/* Check and apply a batch; see jy_shipments_apply() (strict: `row_errors` NULL) and
 * jy_shipments_import() (lenient: bad rows get their error in `row_errors` and are skipped). */
static enum jy_err run_batch(struct jy_service *svc, const struct jy_actor *actor,
                             const struct jy_shipment_event *events,
                             const char *const *failure_reasons, size_t n,
                             struct jy_error *row_errors, enum jy_shipment_outcome *ret_outcomes,
                             char (*ret_waybills)[14], struct jy_shipments_result *ret,
                             size_t *ret_rejected, struct jy_error *err)
{
    if (actor->role != JY_ROLE_LOGISTICS && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only logistics (or an admin) records the carrier's events");
    if (n > JY_SHIPMENT_EVENTS_MAX)
        return jy_error_set(err, JY_TOO_LARGE, "too_many_events", "events",
                            "at most %d events in one batch", JY_SHIPMENT_EVENTS_MAX);
    int64_t now = jy_service_now(svc);
    struct checked *checked = n ? calloc(n, sizeof(*checked)) : NULL;
    enum jy_shipment_outcome *outcomes = n ? calloc(n, sizeof(*outcomes)) : NULL;
    if (n && (!checked || !outcomes)) {
        free(checked);
        free(outcomes);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    enum jy_err e = JY_OK;
    struct jy_store_conn *conn = NULL;
    size_t rejected = 0;
    for (size_t i = 0; i < n; i++) {
        const char *failure = failure_reasons ? failure_reasons[i] : NULL;
        if (!row_errors) {
            if ((e = check_event(&events[i], failure, i, now, &checked[i], err)) != JY_OK)
                goto out;
        } else {
            jy_error_clear(&row_errors[i]);
            if (check_event(&events[i], failure, i, now, &checked[i], &row_errors[i]) != JY_OK) {
                checked[i].bad = true;
                rejected++;
            }
        }
    }
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK || (e = jy_store_begin(conn, err)) != JY_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (checked[i].bad)
            continue;
        if ((e = apply_one(svc, conn, actor, &checked[i], events[i].location,
                           failure_reasons ? failure_reasons[i] : NULL, now, &outcomes[i], err)) !=
            JY_OK)
            goto out;
    }
    if ((e = jy_store_commit(conn, err)) != JY_OK)
        goto out;

    struct jy_shipments_result r = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (checked[i].bad) {
            if (ret_outcomes)
                ret_outcomes[i] = JY_SHIPMENT_REJECTED;
            if (ret_waybills)
                ret_waybills[i][0] = '\0';
            continue;
        }
        switch (outcomes[i]) {
        case JY_SHIPMENT_APPLIED:
            r.applied++;
            break;
        case JY_SHIPMENT_DUPLICATE:
            r.duplicates++;
            break;
        case JY_SHIPMENT_UNKNOWN:
            r.unknown++;
            break;
        case JY_SHIPMENT_OUT_OF_ORDER:
            r.ignored_out_of_order++;
            break;
        case JY_SHIPMENT_REJECTED:
            break;
        }
        if (ret_outcomes)
            ret_outcomes[i] = outcomes[i];
        if (ret_waybills)
            memcpy(ret_waybills[i], checked[i].waybill, sizeof(ret_waybills[i]));
    }
    *ret = r;
    if (ret_rejected)
        *ret_rejected = rejected;
out:
    if (e != JY_OK && conn)
        jy_store_rollback(conn);
    free(checked);
    free(outcomes);
    return e;
}

enum jy_err jy_shipments_apply(struct jy_service *svc, const struct jy_actor *actor,
                               const struct jy_shipment_event *events, size_t n,
                               enum jy_shipment_outcome *ret_outcomes, char (*ret_waybills)[14],
                               struct jy_shipments_result *ret, struct jy_error *err)
{
    return run_batch(svc, actor, events, NULL, n, NULL, ret_outcomes, ret_waybills, ret, NULL, err);
}

enum jy_err jy_shipments_apply_ex(struct jy_service *svc, const struct jy_actor *actor,
                                  const struct jy_shipment_event *events,
                                  const char *const *failure_reasons, size_t n,
                                  struct jy_error *row_errors,
                                  enum jy_shipment_outcome *ret_outcomes, char (*ret_waybills)[14],
                                  struct jy_shipments_result *ret, size_t *ret_rejected,
                                  struct jy_error *err)
{
    return run_batch(svc, actor, events, failure_reasons, n, row_errors, ret_outcomes, ret_waybills,
                     ret, ret_rejected, err);
}
