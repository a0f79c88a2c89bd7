/*
 * track.c — the citizen's tracking view: see track.h.
 */
#include "track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reasons.h"
#include "service/workflow.h"
#include "../banned.h"

/* ---- names ---- */

static const struct {
    const char *code, *zh, *en;
} state_names[] = {
    {"accepted", "已受理", "Accepted"},
    {"at_station", "办理中", "In process"},
    {"correction", "待补正", "Awaiting correction"},
    {"refused", "不予受理", "Refused"},
    {"cancelled", "已撤销", "Cancelled"},
    {"sealed", "已封发", "Sealed for delivery"},
    {"shipped", "邮寄中", "In the post"},
    {"delivered", "已签收", "Delivered"},
    {"delivery_failed", "投递未成功", "Delivery failed"},
    {"returned", "已退回", "Returned to sender"},
    {"completed", "已办结", "Completed"},
    {"paid", "已缴款", "Paid"},
};

void jy_track_state_names(const char *state, const char **ret_zh, const char **ret_en)
{
    for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
        if (state && strcmp(state, state_names[i].code) == 0) {
            *ret_zh = state_names[i].zh;
            *ret_en = state_names[i].en;
            return;
        }
    }
    *ret_zh = *ret_en = state ? state : "";
}

/* What finishing each station means, in the words of the timeline. */
static const struct {
    const char *zh, *en;
} station_done[JY__STATION_COUNT] = {
    [JY_STATION_REVIEW] = {"审核通过", "Review passed"},
    [JY_STATION_APPROVAL] = {"审批通过", "Approved by the police"},
    [JY_STATION_PRINT] = {"打印完成", "Printed"},
    [JY_STATION_PRODUCTION] = {"制证完成", "Produced"},
    [JY_STATION_ARCHIVE] = {"归档完成", "Filed"},
    [JY_STATION_DISPATCH] = {"封发完成", "Sealed"},
};

/* The carrier's statuses in words. */
static const struct {
    const char *status, *zh, *en;
} carrier_words[] = {
    {"shipped", "已交寄EMS", "Handed to EMS"},
    {"in_transit", "运输中", "In transit"},
    {"out_for_delivery", "派送中", "Out for delivery"},
    {"delivered", "已签收", "Delivered"},
    {"delivery_failed", "投递未成功", "Delivery attempt failed"},
    {"returned", "邮件已退回", "Returned to sender"},
};

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* The hand-overs of the paper file and the envelope (service/custody.h), by reason code. The
 * state does not change with them; their notes (seal and batch numbers) are not shown. */
static const struct {
    const char *reason, *zh, *en;
} custody_words[] = {
    {"bag_closed", "申请材料已由网点封袋交接", "Paper file sealed in the branch's bag"},
    {"received_at_centre", "申请材料已送达处理中心", "Paper file received at the centre"},
    {"batch_closed", "邮件已封入出口批次", "Envelope closed into the outbound batch"},
    {"handed_to_mail_centre", "邮件已交邮区中心局", "Envelope handed to the mail centre"},
    {"discrepancy_resolved", "交接差异已处理", "Hand-over discrepancy resolved"},
};

/* ---- the timeline ---- */

struct build {
    const struct jy_catalog *cat;
    struct jy_track_entry *items;
    size_t count, cap;
    bool nomem;
};

static bool station_of(const char *code, enum jy_station *ret)
{
    return code[0] && jy_station_parse(code, strlen(code), ret);
}

static const char *station_zh(const struct jy_catalog *cat, const char *code)
{
    enum jy_station st;
    const struct jy_catalog_station *cs =
        station_of(code, &st) ? jy_catalog_station(cat, st) : NULL;
    return cs ? cs->name_zh : code;
}

static const char *station_en(const struct jy_catalog *cat, const char *code)
{
    enum jy_station st;
    const struct jy_catalog_station *cs =
        station_of(code, &st) ? jy_catalog_station(cat, st) : NULL;
    return cs ? cs->name_en : code;
}

/* The texts of a hand-over event with reason `reason`; false when it is not one. */
static bool custody_text(const char *reason, char *zh, size_t zs, char *en, size_t es)
{
    for (size_t k = 0; k < sizeof(custody_words) / sizeof(custody_words[0]); k++)
        if (is(custody_words[k].reason, reason)) {
            snprintf(zh, zs, "%s", custody_words[k].zh);
            snprintf(en, es, "%s", custody_words[k].en);
            return true;
        }
    return false;
}

/* Write the texts of event `ev` into `t`. */
static void describe(const struct jy_catalog *cat, const struct jy_store_timeline_event *ev,
                     struct jy_track_entry *t)
{
    char *zh = t->text_zh, *en = t->text_en;
    size_t zs = sizeof(t->text_zh), es = sizeof(t->text_en);
    const char *to = ev->to_state;
    enum jy_station st;
    const struct jy_reason *reason = jy_reason_any(ev->reason);

    if (!ev->from_state[0]) {
        if (ev->branch_name_zh[0]) {
            snprintf(zh, zs, "%s受理", ev->branch_name_zh);
            snprintf(en, es, "Accepted at %s",
                     ev->branch_name_en[0] ? ev->branch_name_en : ev->branch_name_zh);
        } else {
            snprintf(zh, zs, "已受理");
            snprintf(en, es, "Accepted");
        }
    } else if (custody_text(ev->reason, zh, zs, en, es)) {
        /* a hand-over: written by custody_text */
    } else if (is(to, "at_station") && is(ev->from_state, "correction")) {
        snprintf(zh, zs, "已补正，重新进入%s环节", station_zh(cat, ev->to_station));
        snprintf(en, es, "Corrected and resubmitted to %s", station_en(cat, ev->to_station));
    } else if (is(to, "at_station") && station_of(ev->from_station, &st)) {
        snprintf(zh, zs, "%s", station_done[st].zh);
        snprintf(en, es, "%s", station_done[st].en);
    } else if (is(to, "correction")) {
        snprintf(zh, zs, "退回补正：%s", reason ? reason->name_zh : ev->reason);
        snprintf(en, es, "Returned for correction: %s", reason ? reason->name_en : ev->reason);
    } else if (is(to, "refused")) {
        snprintf(zh, zs, "不予受理：%s", reason ? reason->name_zh : ev->reason);
        snprintf(en, es, "Refused: %s", reason ? reason->name_en : ev->reason);
    } else if (is(to, "sealed")) {
        /* The seal event's note is the EMS item number (see workflow.c). */
        snprintf(zh, zs, "已封发，EMS单号 %.13s", ev->note);
        snprintf(en, es, "Sealed for EMS delivery, item number %.13s", ev->note);
    } else if (is(to, "completed")) {
        if (station_of(ev->from_station, &st)) {
            snprintf(zh, zs, "%s，业务办结", station_done[st].zh);
            snprintf(en, es, "%s; the application is complete", station_done[st].en);
        } else {
            snprintf(zh, zs, "业务办结");
            snprintf(en, es, "The application is complete");
        }
    } else {
        size_t k = 0, nk = sizeof(carrier_words) / sizeof(carrier_words[0]);
        while (k < nk && !is(carrier_words[k].status, ev->reason))
            k++;
        if (k < nk) {
            /* A carrier's event: its note is the carrier's location. */
            if (ev->note[0]) {
                /* The location is at most JY_SHIPMENT_LOCATION_MAX_BYTES (200) bytes. */
                snprintf(zh, zs, "%s（%.200s）", carrier_words[k].zh, ev->note);
                snprintf(en, es, "%s (%.200s)", carrier_words[k].en, ev->note);
            } else {
                snprintf(zh, zs, "%s", carrier_words[k].zh);
                snprintf(en, es, "%s", carrier_words[k].en);
            }
        } else {
            const char *szh, *sen;
            jy_track_state_names(to, &szh, &sen);
            snprintf(zh, zs, "%s", szh);
            snprintf(en, es, "%s", sen);
        }
    }
}

static bool add_event(void *ctx, const struct jy_store_timeline_event *ev)
{
    struct build *b = ctx;
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        if (cap > JY_TRACK_TIMELINE_MAX)
            cap = JY_TRACK_TIMELINE_MAX;
        if (cap <= b->count) /* the store returns at most JY_TRACK_TIMELINE_MAX */
            return false;
        struct jy_track_entry *p = realloc(b->items, cap * sizeof(*p));
        if (!p) {
            b->nomem = true;
            return false;
        }
        b->items = p;
        b->cap = cap;
    }
    struct jy_track_entry *t = &b->items[b->count++];
    t->at = ev->at;
    describe(b->cat, ev, t);
    return true;
}

/* ---- the check of the four characters ---- */

/* Normalise the citizen's four characters into `ret`: exactly four of 0-9 X (x read as X),
 * surrounding spaces ignored. False otherwise. */
static bool normalise_last4(const char *s, char ret[5])
{
    if (!s)
        return false;
    size_t len = strnlen(s, JY_IDENT_MAX_BYTES + 1);
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len != 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char c = s[i] == 'x' ? 'X' : s[i];
        if (!((c >= '0' && c <= '9') || c == 'X'))
            return false;
        ret[i] = c;
    }
    ret[4] = '\0';
    return true;
}

/* Compare four characters in time that does not depend on where they differ. */
static bool same4(const char a[5], const char b[5])
{
    unsigned diff = 0;
    for (size_t i = 0; i < 4; i++)
        diff |= (unsigned)(unsigned char)a[i] ^ (unsigned)(unsigned char)b[i];
    return diff == 0;
}

/* ---- the use case ---- */

static enum jy_err not_found(struct jy_error *err)
{
    return jy_error_set(err, JY_NOT_FOUND, "not_found", NULL,
                        "no application with this number and these four characters");
}

enum jy_err jy_track_get(struct jy_service *svc, const char *number, const char *id_last4,
                         struct jy_track *ret, struct jy_error *err)
{
    char compact[JY_WORKFLOW_NUMBER_SIZE], given[5] = "----", stored[5] = "";
    bool ok_given = normalise_last4(id_last4, given);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_workflow w;
    struct jy_error local;
    bool found = jy_workflow_number(number, compact, NULL) == JY_OK;
    if (found) {
        e = jy_store_workflow_by_number(conn, compact, &w, &local);
        if (e == JY_OK)
            e = jy_store_workflow_id_last4(conn, w.id, stored, &local);
        if (e == JY_NOT_FOUND) {
            found = false;
        } else if (e != JY_OK) {
            if (err)
                *err = local;
            return e;
        }
    }
    if (!found || strlen(stored) != 4)
        memcpy(stored, "\xff\xff\xff\xff", 5); /* never equals a normalised input */
    bool match = same4(given, stored);
    if (!found || !ok_given || !match)
        return not_found(err);

    const struct jy_catalog *cat = jy_service_catalog(svc);
    struct build b = {.cat = cat};
    e = jy_store_workflow_events(conn, w.id, JY_TRACK_TIMELINE_MAX, add_event, &b, err);
    if (e == JY_OK && b.nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if (e != JY_OK) {
        free(b.items);
        return e;
    }
    struct jy_track t;
    memset(&t, 0, sizeof(t));
    jy_strlcpy(t.number, w.number, sizeof(t.number));
    jy_strlcpy(t.business_type, w.business_type, sizeof(t.business_type));
    const struct jy_business_type *type =
        jy_catalog_find(cat, w.business_type, strlen(w.business_type));
    jy_strlcpy(t.business_name_zh, type ? type->name_zh : w.business_type,
               sizeof(t.business_name_zh));
    jy_strlcpy(t.business_name_en, type ? type->name_en : w.business_type,
               sizeof(t.business_name_en));
    jy_strlcpy(t.state, w.state, sizeof(t.state));
    const char *szh, *sen;
    jy_track_state_names(w.state, &szh, &sen);
    jy_strlcpy(t.state_zh, szh, sizeof(t.state_zh));
    jy_strlcpy(t.state_en, sen, sizeof(t.state_en));
    jy_strlcpy(t.due_date, w.due_date, sizeof(t.due_date));
    jy_strlcpy(t.waybill, w.waybill, sizeof(t.waybill));
    t.count = b.count;
    t.timeline = b.items;
    *ret = t;
    return JY_OK;
}

void jy_track_release(struct jy_track *t)
{
    if (!t)
        return;
    free(t->timeline);
    t->timeline = NULL;
    t->count = 0;
}
