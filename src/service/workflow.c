/*
 * workflow.c — claim, complete, return, resubmit, refuse and the station queues: see
 * workflow.h.
 *
 * Every command follows the same order, so that a refused request never touches the database
 * and the answer does not depend on what the database holds where it must not: first the
 * actor's role and the request's own fields (403, 422), then the number (404), then, inside one
 * write transaction, the application's scope, state, station and lease (403, 409), and only
 * then the update and its event.
 */
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/money.h"
#include "core/reasons.h"
#include "core/s10.h"
#include "core/text.h"
#include "limits.h"
#include "service/custody.h"
#include "store/audit.h"
#include "store/custody.h"
#include "store/sequence.h"
#include "store/fines.h"
#include "store/settings.h"
#include "service/notify.h"
#include "../banned.h"

/* ---- small helpers ---- */

enum jy_err jy_workflow_number(const char *number, char ret[JY_WORKFLOW_NUMBER_SIZE],
                               struct jy_error *err)
{
    struct jy_appno no;
    struct jy_error d;
    size_t len = number ? strnlen(number, JY_IDENT_MAX_BYTES + 1) : 0;
    if (len == 0 || jy_appno_parse(number, len, &no, &d) != JY_OK)
        return jy_error_set(err, JY_INVALID, "invalid_number", "number",
                            "not an application number: %s", len ? d.message : "none given");
    jy_strlcpy(ret, no.text, JY_WORKFLOW_NUMBER_SIZE);
    return JY_OK;
}

/* True when `s` is NULL or holds nothing but white space (ASCII or the ideographic space). */
static bool blank(const char *s)
{
    while (s && *s) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\u3000", 3) == 0)
            s += 3;
        else
            return false;
    }
    return true;
}

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static const char *null_if_empty(const char *s)
{
    return s && *s ? s : NULL;
}

/* The station named by `code` in a request body. */
static enum jy_err body_station(const char *code, enum jy_station *ret, struct jy_error *err)
{
    if (!code || !*code)
        return jy_error_set(err, JY_INVALID, "missing_field", "station", "station is required");
    if (!jy_station_parse(code, strnlen(code, JY_IDENT_MAX_BYTES + 1), ret))
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_station", "station",
                            "there is no station with this code");
    return JY_OK;
}

/* May `actor` act at `st`? Operators at their stations, the supervisor at approval. */
static enum jy_err check_station_actor(const struct jy_actor *actor, enum jy_station st,
                                       struct jy_error *err)
{
    if (actor->role != JY_ROLE_OPERATOR && actor->role != JY_ROLE_SUPERVISOR)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only back-office operators and the police act at stations");
    if (!jy_actor_at_station(actor, st))
        return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", "station",
                            "you are not assigned to the %s station", jy_station_code(st));
    return JY_OK;
}

/* A reason code and note of a return or refusal. */
static enum jy_err check_reason(enum jy_reason_kind kind, const char *reason, const char *note,
                                size_t note_max, struct jy_error *err)
{
    if (!reason || !*reason)
        return jy_error_set(err, JY_INVALID, "missing_field", "reason", "reason is required");
    const struct jy_reason *r =
        jy_reason_find(kind, reason, strnlen(reason, JY_EVENT_CODE_MAX_BYTES + 1));
    if (!r)
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_reason", "reason",
                            "there is no %s reason with this code",
                            kind == JY_REASON_RETURN ? "return" : "refusal");
    if (note && strnlen(note, note_max + 1) > note_max)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "note", "a note is at most %zu bytes",
                            note_max);
    if (note && !jy_text_is_clean(note, strlen(note), true, NULL))
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_note", "note",
                            "the note contains a control, invisible or direction-changing "
                            "character");
    if (r->note_required && blank(note))
        return jy_error_set(err, JY_UNPROCESSABLE, "note_required", "note",
                            "reason \"%s\" needs a note saying what it is", r->code);
    return JY_OK;
}

/* The lease rule: only the holder of a running lease may act. */
static enum jy_err check_lease(const struct jy_store_workflow *w, const struct jy_actor *actor,
                               int64_t now, struct jy_error *err)
{
    bool running = w->lease_user_id != 0 && w->lease_expires_at > now;
    if (running && w->lease_user_id == actor->user_id)
        return JY_OK;
    if (running)
        return jy_error_set(err, JY_CONFLICT, "lease_held_by_other", NULL,
                            "%s is working on this application", w->lease_username);
    return jy_error_set(err, JY_CONFLICT, "lease_not_held", NULL,
                        w->lease_user_id
                            ? "your lease on this application has lapsed; claim it again"
                            : "claim this application before acting on it");
}

/* The next EMS item number, from the centre's ranges (store/custody.h), taken in the caller's
 * transaction (so it is consumed only when the transaction commits). */
static enum jy_err next_waybill(struct jy_store_conn *conn, char ret[JY_S10_LENGTH + 1],
                                struct jy_error *err)
{
    return jy_store_s10_next(conn, ret, err);
}

/* ---- the commands ---- */

enum cmd { CMD_COMPLETE, CMD_RETURN, CMD_RESUBMIT, CMD_REFUSE };

struct request {
    enum cmd cmd;
    enum jy_station station; /* complete, return */
    const char *reason;      /* return, refuse */
    const char *note;        /* return, resubmit, refuse; NULL or "" for none */
    const struct jy_workflow_violation *violation; /* complete: W01 at approval; else NULL */
};

/* What the command decides, from the application as read. */
struct decision {
    struct jy_store_workflow_change change;
    struct jy_event event;
    char waybill[JY_S10_LENGTH + 1];
    char note[JY_NOTE_MAX_BYTES + 1];
    bool violation; /* record the W01 approval: decision_number, points */
    char decision_number[JY_DECISION_NUMBER_MAX_BYTES + 1];
    int points;
};

/* Check scope, state, station and lease of `w` for `rq`, and fill `d`. Nothing is written. */
static enum jy_err decide(struct jy_service *svc, struct jy_store_conn *conn,
                          const struct jy_actor *actor, const struct request *rq,
                          const struct jy_store_workflow *w, int64_t now, struct decision *d,
                          struct jy_error *err)
{
    enum jy_err e;
    memset(d, 0, sizeof(*d));
    d->change.id = w->id;
    d->change.version = w->version;
    d->change.now = now;
    d->event.application_id = w->id;
    d->event.at = now;
    d->event.actor_id = actor->user_id;
    d->event.actor_role = jy_role_code(actor->role);
    d->event.from_state = w->state;
    d->event.from_station = null_if_empty(w->station);

    switch (rq->cmd) {
    case CMD_COMPLETE:
    case CMD_RETURN: {
        const char *code = jy_station_code(rq->station);
        if (!is(w->state, "at_station") || !is(w->station, code))
            return jy_error_set(err, JY_CONFLICT, "not_at_station", NULL,
                                "the application is not waiting at %s (it is %s%s%s)", code,
                                w->state, w->station[0] ? " at " : "", w->station);
        if ((e = check_lease(w, actor, now, err)) != JY_OK)
            return e;
        /* The archive keeps the paper file: it must have come in from the branch's bag. */
        if (rq->cmd == CMD_COMPLETE && rq->station == JY_STATION_ARCHIVE &&
            (e = jy_custody_archive_check(conn, w->id, err)) != JY_OK)
            return e;
        d->event.station = code;
        if (rq->cmd == CMD_RETURN) {
            d->change.state = "correction";
            d->change.station = code;
            d->change.correction_reason = rq->reason;
            d->event.to_state = "correction";
            d->event.to_station = code;
            d->event.reason = rq->reason;
            d->event.note = null_if_empty(rq->note);
            return JY_OK;
        }
        const struct jy_business_type *type =
            jy_catalog_find(jy_service_catalog(svc), w->business_type, strlen(w->business_type));
        if (!type)
            return jy_error_set(err, JY_INTERNAL, "unknown_business_type", NULL,
                                "application %s has business type %s, which the catalog does "
                                "not know",
                                w->number, w->business_type);
        /* W01 violation handling: the police's approval records the decision and points. */
        bool w01_approval = strcmp(type->code, "W01") == 0 && rq->station == JY_STATION_APPROVAL;
        if (w01_approval && !rq->violation)
            return jy_error_set(err, JY_INVALID, "missing_field", "decision_number",
                                "approving a violation handling records the decision number "
                                "and the points");
        if (!w01_approval && rq->violation)
            return jy_error_set(err, JY_UNPROCESSABLE, "not_applicable", "decision_number",
                                "a decision number and points are recorded only when approving "
                                "a W01 violation handling");
        if (w01_approval) {
            if ((e = jy_decision_number_parse(
                     rq->violation->decision_number,
                     strnlen(rq->violation->decision_number, JY_IDENT_MAX_BYTES + 1),
                     d->decision_number, err)) != JY_OK)
                return e;
            d->violation = true;
            d->points = rq->violation->points;
            snprintf(d->note, sizeof(d->note), "决定书 %s，记 %d 分 / decision %s, %d points",
                     d->decision_number, d->points, d->decision_number, d->points);
            d->event.note = d->note;
        }
        enum jy_station next;
        bool last = false;
        if ((e = jy_business_type_next_station(type, rq->station, &next, &last, err)) != JY_OK)
            return e;
        if (!last) {
            d->change.state = "at_station";
            d->change.station = jy_station_code(next);
        } else if (type->delivery == JY_DELIVERY_EMS) {
            if ((e = next_waybill(conn, d->waybill, err)) != JY_OK)
                return e;
            d->change.state = "sealed";
            d->change.waybill = d->waybill;
            d->event.note = d->waybill; /* the item number, kept in the hash-chained history */
        } else {
            d->change.state = "completed";
        }
        d->event.to_state = d->change.state;
        d->event.to_station = d->change.station;
        return JY_OK;
    }
    case CMD_RESUBMIT:
        if (w->branch_id != actor->branch_id)
            return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", NULL,
                                "the application belongs to another branch");
        if (!is(w->state, "correction") || !w->station[0])
            return jy_error_set(err, JY_CONFLICT, "not_at_station", NULL,
                                "only an application sent back for correction can be "
                                "resubmitted (it is %s)",
                                w->state);
        d->change.state = "at_station";
        d->change.station = w->station;
        d->event.branch_id = actor->branch_id;
        d->event.to_state = "at_station";
        d->event.to_station = w->station;
        d->event.note = null_if_empty(rq->note);
        return JY_OK;
    case CMD_REFUSE: {
        if (!is(w->state, "at_station") && !is(w->state, "correction"))
            return jy_error_set(err, JY_CONFLICT, "not_at_station", NULL,
                                "only an application at review or approval, or sent back "
                                "from them, can be refused (it is %s)",
                                w->state);
        /* Only while it is examined: at review or approval, or sent back from them (core
         * jy_station_refusable, DESIGN.md §2–§3). */
        enum jy_station at;
        if (!jy_station_parse(w->station, strlen(w->station), &at) || !jy_station_refusable(at))
            return jy_error_set(err, JY_CONFLICT, "not_refusable", "station",
                                "the application has passed approval (it is %s at %s): only an "
                                "application at review or approval, or sent back from them, can "
                                "be refused (已通过审批，不能不予受理)",
                                w->state, w->station[0] ? w->station : "no station");
        d->change.state = "refused";
        d->event.station = null_if_empty(w->station);
        d->event.to_state = "refused";
        d->event.reason = rq->reason;
        /* The fee goes back to the applicant through the branch: say so in the record. */
        const char *note = rq->note && *rq->note ? rq->note : NULL;
        if (w->fee_total_fen > 0) {
            char money[JY_MONEY_TEXT_SIZE];
            jy_money_format(w->fee_total_fen, money);
            int n = snprintf(d->note, sizeof(d->note), "应退费 %s / refund due %s%s%s", money,
                             money, note ? "; " : "", note ? note : "");
            if (n < 0 || (size_t)n >= sizeof(d->note))
                return jy_error_set(err, JY_TOO_LONG, "too_long", "note",
                                    "the note is too long to record with the refund");
            d->event.note = d->note;
        } else {
            d->event.note = note;
        }
        return JY_OK;
    }
    }
    return jy_error_set(err, JY_INTERNAL, NULL, NULL, "unknown command");
}

/* The write half of a command, run under the write lock (store/writer.h): read, decide,
 * update, record. */
struct run_work {
    struct jy_service *svc;
    const struct jy_actor *actor;
    const char *compact; /* the application number, compact form */
    const struct request *rq;
    int64_t now;
    struct jy_store_workflow w; /* out: the application after the change */
};

static enum jy_err run_work(struct jy_store_conn *conn, void *ctx, struct jy_error *err)
{
    struct run_work *r = ctx;
    struct decision d;
    int64_t event_id;
    enum jy_err e;
    if ((e = jy_store_workflow_by_number(conn, r->compact, &r->w, err)) != JY_OK ||
        (e = decide(r->svc, conn, r->actor, r->rq, &r->w, r->now, &d, err)) != JY_OK ||
        (e = jy_store_workflow_update(conn, &d.change, err)) != JY_OK ||
        (e = jy_store_event_append(conn, &d.event, &event_id, err)) != JY_OK ||
        (e = jy_notify_on_event(r->svc, conn, &d.event, NULL, NULL, err)) != JY_OK ||
        (d.violation &&
         (e = jy_store_violation_approval_insert(conn, r->w.id, d.decision_number, d.points,
                                                 r->actor->user_id, r->now, err)) != JY_OK))
        return e;
    return jy_store_workflow_by_id(conn, r->w.id, &r->w, err);
}

/* Run `rq` on application `number` as `actor`: read, decide, update, record, in one durable
 * write (jy_service_write: group commit). */
static enum jy_err run(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                       const struct request *rq, struct jy_store_workflow *ret,
                       struct jy_error *err)
{
    char compact[JY_WORKFLOW_NUMBER_SIZE];
    enum jy_err e = jy_workflow_number(number, compact, err);
    if (e != JY_OK)
        return e;
    struct run_work *r = calloc(1, sizeof(*r)); /* a large record, kept off small stacks */
    if (!r)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    *r = (struct run_work){svc, actor, compact, rq, jy_service_now(svc), {0}};
    e = jy_service_write(svc, run_work, r, err);
    if (e == JY_OK)
        *ret = r->w;
    free(r);
    return e;
}

enum jy_err jy_workflow_complete(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *station,
                                 struct jy_store_workflow *ret, struct jy_error *err)
{
    return jy_workflow_complete_violation(svc, actor, number, station, NULL, ret, err);
}

enum jy_err jy_workflow_complete_violation(struct jy_service *svc, const struct jy_actor *actor,
                                           const char *number, const char *station,
                                           const struct jy_workflow_violation *violation,
                                           struct jy_store_workflow *ret, struct jy_error *err)
{
    struct request rq = {.cmd = CMD_COMPLETE, .violation = violation};
    enum jy_err e;
    if ((e = body_station(station, &rq.station, err)) != JY_OK ||
        (e = check_station_actor(actor, rq.station, err)) != JY_OK)
        return e;
    if (violation) {
        int p = violation->points;
        if (!violation->decision_number || !*violation->decision_number)
            return jy_error_set(err, JY_INVALID, "missing_field", "decision_number",
                                "decision_number is required with points");
        if (!(p == 0 || p == 1 || p == 3 || p == 6 || p == 9 || p == 12))
            return jy_error_set(err, JY_UNPROCESSABLE, "bad_points", "points",
                                "points is one of 0, 1, 3, 6, 9, 12 (公安部令第163号)");
    }
    return run(svc, actor, number, &rq, ret, err);
}

enum jy_err jy_workflow_return(struct jy_service *svc, const struct jy_actor *actor,
                               const char *number, const char *station, const char *reason,
                               const char *note, struct jy_store_workflow *ret,
                               struct jy_error *err)
{
    struct request rq = {.cmd = CMD_RETURN, .reason = reason, .note = note};
    enum jy_err e;
    if ((e = body_station(station, &rq.station, err)) != JY_OK ||
        (e = check_station_actor(actor, rq.station, err)) != JY_OK ||
        (e = check_reason(JY_REASON_RETURN, reason, note, JY_NOTE_MAX_BYTES, err)) != JY_OK)
        return e;
    return run(svc, actor, number, &rq, ret, err);
}

enum jy_err jy_workflow_resubmit(struct jy_service *svc, const struct jy_actor *actor,
                                 const char *number, const char *note,
                                 struct jy_store_workflow *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_CLERK)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the branch's clerk resubmits an application");
    if (note && strnlen(note, JY_NOTE_MAX_BYTES + 1) > JY_NOTE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "note", "a note is at most %d bytes",
                            JY_NOTE_MAX_BYTES);
    if (note && !jy_text_is_clean(note, strlen(note), true, NULL))
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_note", "note",
                            "the note contains a control, invisible or direction-changing "
                            "character");
    struct request rq = {.cmd = CMD_RESUBMIT, .note = note};
    return run(svc, actor, number, &rq, ret, err);
}

enum jy_err jy_workflow_refuse(struct jy_service *svc, const struct jy_actor *actor,
                               const char *number, const char *reason, const char *note,
                               struct jy_store_workflow *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_SUPERVISOR)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the police supervisor refuses an application");
    enum jy_err e = check_reason(JY_REASON_REFUSAL, reason, note, JY_NOTE_MAX_BYTES, err);
    if (e != JY_OK)
        return e;
    struct request rq = {.cmd = CMD_REFUSE, .reason = reason, .note = note};
    return run(svc, actor, number, &rq, ret, err);
}

/* ---- claim ---- */

/* Claiming the next item, under the write lock: the actor's own running lease first (claiming
 * twice gives the same item), else the oldest due waiting item. Nothing waiting: JY_OK with
 * `claimed` false and nothing written. */
struct claim_work {
    const struct jy_actor *actor;
    const char *code; /* the station */
    int64_t now;
    bool claimed;               /* out */
    struct jy_store_workflow w; /* out, when claimed */
};

static enum jy_err claim_work(struct jy_store_conn *conn, void *ctx, struct jy_error *err)
{
    struct claim_work *c = ctx;
    struct jy_error local;
    enum jy_err e =
        jy_store_workflow_lease_of(conn, c->code, c->actor->user_id, c->now, &c->w, &local);
    if (e == JY_NOT_FOUND)
        e = jy_store_workflow_claim_next(conn, c->code, c->actor->user_id, c->now,
                                         c->now + JY_LEASE_SECONDS, &c->w, &local);
    if (e == JY_NOT_FOUND) {
        c->claimed = false;
        return JY_OK;
    }
    if (e != JY_OK) {
        if (err)
            *err = local;
        return e;
    }
    c->claimed = true;
    return JY_OK;
}

enum jy_err jy_workflow_claim(struct jy_service *svc, const struct jy_actor *actor,
                              enum jy_station station, struct jy_store_workflow *ret,
                              bool *ret_claimed, struct jy_error *err)
{
    enum jy_err e = check_station_actor(actor, station, err);
    if (e != JY_OK)
        return e;
    struct claim_work *c = calloc(1, sizeof(*c));
    if (!c)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    c->actor = actor;
    c->code = jy_station_code(station);
    c->now = jy_service_now(svc);
    e = jy_service_write(svc, claim_work, c, err);
    if (e == JY_OK) {
        if (c->claimed)
            *ret = c->w;
        *ret_claimed = c->claimed;
    }
    free(c);
    return e;
}

/* Claiming one application by its number, under the write lock. */
struct claim_number_work {
    const struct jy_actor *actor;
    const char *code;    /* the station */
    const char *compact; /* the number, compact form */
    int64_t now;
    struct jy_store_workflow w; /* out */
};

static enum jy_err claim_number_work(struct jy_store_conn *conn, void *ctx, struct jy_error *err)
{
    struct claim_number_work *c = ctx;
    const struct jy_actor *actor = c->actor;
    const char *code = c->code, *compact = c->compact;
    int64_t now = c->now;
    struct jy_store_workflow *w = &c->w;
    enum jy_err e = jy_store_workflow_by_number(conn, compact, w, err);
    if (e == JY_OK && (!is(w->state, "at_station") || !is(w->station, code)))
        e = jy_error_set(err, JY_CONFLICT, "not_at_station", "number",
                         "%s is not waiting at %s (it is %s%s%s)", compact, code, w->state,
                         w->station[0] ? " at " : "", w->station);
    bool held = e == JY_OK && w->lease_user_id == actor->user_id && w->lease_expires_at > now;
    if (e == JY_OK && !held && w->lease_user_id && w->lease_user_id != actor->user_id &&
        w->lease_expires_at > now)
        e = jy_error_set(err, JY_CONFLICT, "lease_held_by_other", "number",
                         "%s is being worked on by %s", compact, w->lease_username);
    if (e == JY_OK && !held) {
        struct jy_store_workflow_change ch = {
            .id = w->id,
            .version = w->version,
            .state = w->state,
            .station = w->station,
            .lease_user_id = actor->user_id,
            .lease_expires_at = now + JY_LEASE_SECONDS,
            .correction_reason = null_if_empty(w->correction_reason),
            .now = now,
        };
        e = jy_store_workflow_update(conn, &ch, err);
        if (e == JY_OK)
            e = jy_store_workflow_by_id(conn, w->id, w, err);
    }
    return e;
}

enum jy_err jy_workflow_claim_number(struct jy_service *svc, const struct jy_actor *actor,
                                     enum jy_station station, const char *number,
                                     struct jy_store_workflow *ret, struct jy_error *err)
{
    enum jy_err e = check_station_actor(actor, station, err);
    if (e != JY_OK)
        return e;
    char compact[JY_WORKFLOW_NUMBER_SIZE];
    if ((e = jy_workflow_number(number, compact, err)) != JY_OK)
        return e;
    struct claim_number_work *c = calloc(1, sizeof(*c));
    if (!c)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    c->actor = actor;
    c->code = jy_station_code(station);
    c->compact = compact;
    c->now = jy_service_now(svc);
    e = jy_service_write(svc, claim_number_work, c, err);
    if (e == JY_OK)
        *ret = c->w;
    free(c);
    return e;
}

/* ---- queue ---- */

struct queue_walk {
    bool (*fn)(void *ctx, const struct jy_store_workflow *w);
    void *ctx;
    size_t limit, seen;
    bool more, stopped;
    struct jy_store_queue_cursor last;
};

static bool queue_row(void *ctx, const struct jy_store_workflow *w)
{
    struct queue_walk *q = ctx;
    if (q->seen == q->limit) {
        q->more = true; /* the one row past the page: there is a next page */
        return false;
    }
    q->seen++;
    jy_strlcpy(q->last.due_date, w->due_date, sizeof(q->last.due_date));
    q->last.id = w->id;
    if (!q->fn(q->ctx, w)) {
        q->stopped = true;
        return false;
    }
    return true;
}

/* Parse a cursor "YYYY-MM-DD.id". */
static bool parse_cursor(const char *s, struct jy_store_queue_cursor *ret)
{
    size_t n = strnlen(s, JY_WORKFLOW_CURSOR_SIZE);
    if (n < 12 || n >= JY_WORKFLOW_CURSOR_SIZE || s[10] != '.')
        return false;
    struct jy_date d;
    if (jy_date_parse(s, 10, &d, NULL) != JY_OK)
        return false;
    int64_t id = 0;
    for (size_t i = 11; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || id > (INT64_MAX - 9) / 10)
            return false;
        id = id * 10 + (s[i] - '0');
    }
    memcpy(ret->due_date, s, 10);
    ret->due_date[10] = '\0';
    ret->id = id;
    return true;
}

enum jy_err jy_workflow_queue(struct jy_service *svc, const struct jy_actor *actor,
                              enum jy_station station, const char *cursor, size_t limit,
                              bool (*fn)(void *ctx, const struct jy_store_workflow *w), void *ctx,
                              char ret_next_cursor[JY_WORKFLOW_CURSOR_SIZE], struct jy_error *err)
{
    switch (actor->role) {
    case JY_ROLE_OPERATOR:
        if (!jy_actor_at_station(actor, station))
            return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", "station",
                                "you are not assigned to the %s station", jy_station_code(station));
        break;
    case JY_ROLE_SUPERVISOR:
    case JY_ROLE_MANAGER:
    case JY_ROLE_ADMIN:
        break;
    default:
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "station queues are for the back office");
    }
    if (limit < 1 || limit > JY_PAGE_MAX_ITEMS)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit is 1 to %d",
                            JY_PAGE_MAX_ITEMS);
    struct jy_store_queue_cursor after = {"", 0};
    if (cursor && *cursor && !parse_cursor(cursor, &after))
        return jy_error_set(err, JY_INVALID, "bad_cursor", "cursor",
                            "cursor is not one this server gave");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct queue_walk q = {.fn = fn, .ctx = ctx, .limit = limit};
    e = jy_store_workflow_queue(conn, jy_station_code(station), actor->user_id, jy_service_now(svc),
                                &after, limit + 1, queue_row, &q, err);
    if (e != JY_OK)
        return e;
    ret_next_cursor[0] = '\0';
    if (q.more && !q.stopped)
        snprintf(ret_next_cursor, JY_WORKFLOW_CURSOR_SIZE, "%s.%lld", q.last.due_date,
                 (long long)q.last.id);
    return JY_OK;
}
