/*
 * carrier.c — after a failed delivery, and the unclaimed carrier rows: see carrier.h.
 */
#include "carrier.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "limits.h"
#include "service/notify.h"
#include "service/workflow.h"
#include "store/audit.h"
#include "../banned.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static enum jy_err check_note(const char *note, struct jy_error *err)
{
    if (note && strnlen(note, JY_NOTE_MAX_BYTES + 1) > JY_NOTE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "note", "a note is at most %d bytes",
                            JY_NOTE_MAX_BYTES);
    if (note && !jy_text_is_clean(note, strlen(note), true, NULL))
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_note", "note",
                            "the note contains a control, invisible or direction-changing "
                            "character");
    return JY_OK;
}

enum cmd { CMD_REDISPATCH, CMD_CONTACTED };

static enum jy_err run(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                       enum cmd cmd, const char *note, struct jy_store_workflow *ret,
                       struct jy_error *err)
{
    char compact[JY_WORKFLOW_NUMBER_SIZE];
    enum jy_err e = jy_workflow_number(number, compact, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct jy_store_workflow w;
    char text[JY_NOTE_MAX_BYTES + 1];
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = jy_store_workflow_by_number(conn, compact, &w, err)) != JY_OK)
        goto out;
    struct jy_store_workflow_change change = {
        .id = w.id, .version = w.version, .state = w.state, .now = now};
    struct jy_event ev = {
        .application_id = w.id,
        .at = now,
        .actor_id = actor->user_id,
        .actor_role = jy_role_code(actor->role),
        .from_state = w.state,
        .from_station = w.station[0] ? w.station : NULL,
        .to_state = w.state,
    };
    if (cmd == CMD_REDISPATCH) {
        if (!is(w.state, "returned")) {
            e = jy_error_set(err, JY_CONFLICT, "not_returned", NULL,
                             "only an item that came back goes back to dispatch (it is %s)",
                             w.state);
            goto out;
        }
        int n = snprintf(text, sizeof(text), "原邮件号 / old item number %s%s%s", w.waybill,
                         note && *note ? "; " : "", note ? note : "");
        if (n < 0 || (size_t)n >= sizeof(text)) {
            e = jy_error_set(err, JY_TOO_LONG, "too_long", "note",
                             "the note is too long to record with the item number");
            goto out;
        }
        change.state = "at_station";
        change.station = "dispatch";
        ev.station = "dispatch";
        ev.to_state = "at_station";
        ev.to_station = "dispatch";
        ev.reason = "redispatch";
        ev.note = text;
        if (w.waybill[0] &&
            (e = jy_store_waybill_supersede(conn, w.waybill, w.id, now, err)) != JY_OK)
            goto out;
    } else {
        if (!is(w.state, "returned") && !is(w.state, "delivery_failed")) {
            e = jy_error_set(err, JY_CONFLICT, "not_in_attention", NULL,
                             "its delivery neither failed nor came back (it is %s)", w.state);
            goto out;
        }
        if (actor->role == JY_ROLE_CLERK && actor->branch_id != w.branch_id) {
            e = jy_error_set(err, JY_FORBIDDEN, "out_of_scope", NULL,
                             "the application belongs to another branch");
            goto out;
        }
        ev.branch_id = actor->role == JY_ROLE_CLERK ? actor->branch_id : 0;
        ev.to_station = w.station[0] ? w.station : NULL;
        change.station = w.station[0] ? w.station : NULL;
        ev.reason = "applicant_contacted";
        ev.note = note;
    }
    int64_t event_id;
    if ((e = jy_store_workflow_update(conn, &change, err)) != JY_OK ||
        (e = jy_store_event_append(conn, &ev, &event_id, err)) != JY_OK ||
        (e = jy_notify_on_event(svc, conn, &ev, NULL, NULL, err)) != JY_OK ||
        (e = jy_store_workflow_by_id(conn, w.id, &w, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    *ret = w;
    return JY_OK;
out:
    jy_store_rollback(conn);
    return e;
}

enum jy_err jy_carrier_redispatch(struct jy_service *svc, const struct jy_actor *actor,
                                  const char *number, const char *note,
                                  struct jy_store_workflow *ret, struct jy_error *err)
{
    bool may = actor->role == JY_ROLE_LOGISTICS || actor->role == JY_ROLE_ADMIN ||
               actor->role == JY_ROLE_SUPERVISOR ||
               (actor->role == JY_ROLE_OPERATOR && jy_actor_at_station(actor, JY_STATION_DISPATCH));
    if (!may)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only logistics or dispatch sends a returned item back to dispatch");
    enum jy_err e = check_note(note, err);
    if (e != JY_OK)
        return e;
    return run(svc, actor, number, CMD_REDISPATCH, note, ret, err);
}

enum jy_err jy_carrier_contacted(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *note,
                                 struct jy_store_workflow *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_CLERK && actor->role != JY_ROLE_MANAGER &&
        actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "the branch (or a manager) calls the applicant");
    if (!note || !*note)
        return jy_error_set(err, JY_INVALID, "missing_field", "note",
                            "say what was agreed with the applicant");
    enum jy_err e = check_note(note, err);
    if (e != JY_OK)
        return e;
    return run(svc, actor, number, CMD_CONTACTED, note, ret, err);
}

enum jy_err jy_carrier_attention(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t branch_id,
                                 bool (*fn)(void *ctx, const struct jy_store_attention *a),
                                 void *ctx, struct jy_error *err)
{
    if (actor->role == JY_ROLE_OPERATOR)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "the list of deliveries to follow up is the branch's");
    if (actor->role == JY_ROLE_CLERK) {
        if (branch_id && branch_id != actor->branch_id)
            return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", "branch",
                                "a clerk sees its own branch's list");
        branch_id = actor->branch_id;
    }
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    return jy_store_delivery_attention(conn, branch_id, JY_CARRIER_LIST_MAX, fn, ctx, err);
}

enum jy_err jy_carrier_unmatched(struct jy_service *svc, const struct jy_actor *actor, size_t limit,
                                 bool (*fn)(void *ctx, const struct jy_store_shipment_row *r),
                                 void *ctx, int64_t *ret_total, struct jy_error *err)
{
    if (actor->role != JY_ROLE_LOGISTICS && actor->role != JY_ROLE_MANAGER &&
        actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only logistics, managers and admins read the carrier's rows");
    if (limit < 1 || limit > JY_CARRIER_LIST_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit is 1..%d",
                            JY_CARRIER_LIST_MAX);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e == JY_OK)
        e = jy_store_shipment_unmatched_count(conn, ret_total, err);
    if (e == JY_OK)
        e = jy_store_shipment_unmatched(conn, limit, fn, ctx, err);
    return e;
}
