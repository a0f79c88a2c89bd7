/*
 * custody.c — bags, reception, dispatch batches, discrepancies and S10 ranges: see custody.h.
 *
 * Every command checks the actor's role first (nothing read), then what it names (404), then,
 * inside one write transaction, the state of the bag or batch (409), and only then writes the
 * hand-over, its scans and the applications' events together.
 */
#include "custody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/cutoff.h"
#include "core/date.h"
#include "core/text.h"
#include "limits.h"
#include "render/manifest.h"
#include "service/notify.h"
#include "service/receipts.h"
#include "service/workflow.h"
#include "store/audit.h"
#include "store/sequence.h"
#include "store/settings.h"
#include "store/users.h"
#include "../banned.h"

/* ---- small helpers ---- */

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static enum jy_err nomem(struct jy_error *err)
{
    return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
}

static bool dispatcher(const struct jy_actor *a)
{
    return a->role == JY_ROLE_OPERATOR && (a->stations & (1u << JY_STATION_DISPATCH)) != 0;
}

/* May `a` see bags and batches and print their manifests? (A clerk: its branch's bags.) */
static bool may_view(const struct jy_actor *a, enum jy_custody_kind kind)
{
    switch (a->role) {
    case JY_ROLE_CLERK:
        return kind == JY_CUSTODY_BAG;
    case JY_ROLE_OPERATOR:
        return dispatcher(a);
    case JY_ROLE_LOGISTICS:
    case JY_ROLE_SUPERVISOR:
    case JY_ROLE_MANAGER:
    case JY_ROLE_ADMIN:
        return true;
    default:
        return false;
    }
}

bool jy_custody_parse_cutoff(const char *s, int *ret_minutes)
{
    return s && jy_cutoff_parse(s, strnlen(s, 6), ret_minutes);
}

/* The instant a bag or batch closing at `now` is cut at (core/cutoff.h). */
static int64_t cut_at(int64_t now, const char *cutoff, bool *ret_after)
{
    int minutes = 17 * 60 + 30;
    jy_custody_parse_cutoff(cutoff, &minutes);
    return jy_cutoff_until(now, minutes, ret_after);
}

static enum jy_err setting(struct jy_store_conn *conn, const char *key, char *buf, size_t size,
                           const char *fallback, struct jy_error *err)
{
    struct jy_error d;
    enum jy_err e = jy_store_setting_get(conn, key, buf, size, &d);
    if (e == JY_NOT_FOUND || e == JY_TOO_LONG || (e == JY_OK && !buf[0])) {
        jy_strlcpy(buf, fallback, size);
        return JY_OK;
    }
    if (e != JY_OK && err)
        *err = d;
    return e;
}

static enum jy_err read_settings(struct jy_store_conn *conn, struct jy_custody_settings *s,
                                 struct jy_error *err)
{
    char gate[8], threshold[16];
    enum jy_err e;
    int minutes;
    if ((e = setting(conn, "custody_archive_gate", gate, sizeof(gate), "on", err)) != JY_OK ||
        (e = setting(conn, "dispatch_cutoff", s->dispatch_cutoff, sizeof(s->dispatch_cutoff),
                     JY_CUSTODY_DEFAULT_DISPATCH_CUTOFF, err)) != JY_OK ||
        (e = setting(conn, "s10_low_threshold", threshold, sizeof(threshold), "500", err)) != JY_OK)
        return e;
    s->archive_gate = !is(gate, "off");
    if (!jy_custody_parse_cutoff(s->dispatch_cutoff, &minutes))
        jy_strlcpy(s->dispatch_cutoff, JY_CUSTODY_DEFAULT_DISPATCH_CUTOFF,
                   sizeof(s->dispatch_cutoff));
    char *end = NULL;
    long long v = strtoll(threshold, &end, 10);
    s->s10_low_threshold = end && !*end && v >= 0 ? v : JY_CUSTODY_DEFAULT_S10_LOW;
    return JY_OK;
}

/* Append the custody event of application `id` (state unchanged unless `to_state` given). */
static enum jy_err custody_event(struct jy_service *svc, struct jy_store_conn *conn,
                                 const struct jy_actor *actor, int64_t id, int64_t now,
                                 int64_t branch_id, const char *reason, const char *note,
                                 const char *to_state, struct jy_store_workflow *ret_w,
                                 struct jy_error *err)
{
    struct jy_store_workflow w;
    enum jy_err e = jy_store_workflow_by_id(conn, id, &w, err);
    if (e != JY_OK)
        return e;
    const char *station = w.station[0] ? w.station : NULL;
    if (to_state) {
        struct jy_store_workflow_change c = {
            .id = w.id,
            .version = w.version,
            .state = to_state,
            .station = NULL,
            .lease_user_id = 0,
            .correction_reason = NULL,
            .now = now,
        };
        if ((e = jy_store_workflow_update(conn, &c, err)) != JY_OK)
            return e;
    }
    struct jy_event ev = {
        .application_id = id,
        .at = now,
        .actor_id = actor->user_id,
        .actor_role = jy_role_code(actor->role),
        .branch_id = branch_id,
        .station = NULL,
        .from_state = w.state,
        .from_station = station,
        .to_state = to_state ? to_state : w.state,
        .to_station = to_state ? NULL : station,
        .reason = reason,
        .note = note,
    };
    int64_t event_id;
    if ((e = jy_store_event_append(conn, &ev, &event_id, err)) != JY_OK)
        return e;
    /* A change of state (sealed → shipped at the mail centre) tells the applicant. */
    if (to_state && (e = jy_notify_on_event(svc, conn, &ev, NULL, NULL, err)) != JY_OK)
        return e;
    if (ret_w) {
        *ret_w = w;
        if (to_state)
            jy_strlcpy(ret_w->state, to_state, sizeof(ret_w->state));
    }
    return JY_OK;
}

/* ---- pending and closing ---- */

struct ids {
    int64_t *v;
    size_t n, cap;
    bool nomem;
};

static bool ids_add(void *p, int64_t id)
{
    struct ids *s = p;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        int64_t *n = realloc(s->v, cap * sizeof(*n));
        if (!n) {
            s->nomem = true;
            return false;
        }
        s->v = n;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return true;
}

/* The ids the next hand-over takes, paper files of types with a route only. */
static enum jy_err pending(struct jy_service *svc, struct jy_store_conn *conn,
                           enum jy_custody_kind kind, int64_t branch_id, int64_t until,
                           struct ids *ret, struct jy_error *err)
{
    bool more = false;
    enum jy_err e = jy_store_handover_pending(conn, kind, branch_id, until, JY_MANIFEST_MAX_ITEMS,
                                              ids_add, ret, &more, err);
    if (e != JY_OK)
        return e;
    if (ret->nomem)
        return nomem(err);
    if (more)
        return jy_error_set(err, JY_RANGE, "too_many", NULL,
                            "more than %d items wait for one hand-over", JY_MANIFEST_MAX_ITEMS);
    if (kind == JY_CUSTODY_BAG) { /* counter-only business (fines) has no paper file */
        size_t k = 0;
        for (size_t i = 0; i < ret->n; i++) {
            struct jy_store_workflow w;
            if ((e = jy_store_workflow_by_id(conn, ret->v[i], &w, err)) != JY_OK)
                return e;
            const struct jy_business_type *t =
                jy_catalog_find(jy_service_catalog(svc), w.business_type, strlen(w.business_type));
            if (t && t->route_len > 0)
                ret->v[k++] = ret->v[i];
        }
        ret->n = k;
    }
    return JY_OK;
}

static enum jy_err branch_for(struct jy_store_conn *conn, const struct jy_actor *actor,
                              const char *code, struct jy_store_branch *ret, struct jy_error *err)
{
    enum jy_err e;
    if (code && *code) {
        if (strnlen(code, 33) > 32)
            return jy_error_set(err, JY_NOT_FOUND, "unknown_branch", "branch",
                                "there is no branch with this code");
        e = jy_store_branch_by_code(conn, code, ret, err);
    } else if (actor->branch_id) {
        e = jy_store_branch_by_id(conn, actor->branch_id, ret, err);
    } else {
        return jy_error_set(err, JY_INVALID, "missing_field", "branch", "name the branch");
    }
    if (e == JY_NOT_FOUND)
        return jy_error_set(err, JY_NOT_FOUND, "unknown_branch", "branch",
                            "there is no branch with this code");
    if (e == JY_OK && actor->role == JY_ROLE_CLERK && ret->id != actor->branch_id)
        return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", "branch",
                            "this is another branch's bag");
    return e;
}

enum jy_err jy_custody_bag_preview(struct jy_service *svc, const struct jy_actor *actor,
                                   const char *branch_code, struct jy_custody_preview *ret,
                                   struct jy_error *err)
{
    if (!may_view(actor, JY_CUSTODY_BAG))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "branch bags are for clerks, logistics, the police and managers");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_branch b;
    if ((e = branch_for(conn, actor, branch_code, &b, err)) != JY_OK)
        return e;
    struct jy_custody_preview p = {.branch_id = b.id};
    jy_strlcpy(p.branch_code, b.code, sizeof(p.branch_code));
    jy_strlcpy(p.cutoff, b.bag_cutoff[0] ? b.bag_cutoff : "17:30", sizeof(p.cutoff));
    p.until = cut_at(jy_service_now(svc), p.cutoff, &p.after_cutoff);
    struct ids s = {0};
    e = pending(svc, conn, JY_CUSTODY_BAG, b.id, p.until, &s, err);
    p.pending = (int64_t)s.n;
    free(s.v);
    if (e == JY_OK)
        *ret = p;
    return e;
}

/* Close a hand-over of `kind` taking what came before `until`: in one transaction, the pending
 * items, the row, the items and one event each. */
static enum jy_err close_handover(struct jy_service *svc, const struct jy_actor *actor,
                                  enum jy_custody_kind kind, const struct jy_store_branch *b,
                                  int64_t until, int64_t now, struct jy_store_handover *ret,
                                  struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct ids s = {0};
    struct jy_store_handover h = {
        .kind = kind, .covers_until = until, .closed_at = now, .closed_by = actor->user_id};
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = pending(svc, conn, kind, b ? b->id : 0, until, &s, err)) != JY_OK)
        goto out;
    if (s.n == 0) {
        struct jy_store_handover last;
        struct jy_error d;
        /* Closed already today (Asia/Shanghai): the second close of one cut-off. */
        bool closed = jy_store_handover_last(conn, kind, b ? b->id : 0, &last, &d) == JY_OK &&
                      jy_date_compare(jy_date_from_unix_shanghai(last.closed_at),
                                      jy_date_from_unix_shanghai(now)) == 0;
        const char *what = kind == JY_CUSTODY_BAG ? "bag" : "batch";
        if (closed)
            e = jy_error_set(err, JY_CONFLICT,
                             kind == JY_CUSTODY_BAG ? "bag_already_closed" : "batch_already_closed",
                             NULL,
                             "the %s of this cut-off is closed already (%s) and nothing "
                             "came since",
                             what, last.reference);
        else
            e = jy_error_set(err, JY_UNPROCESSABLE,
                             kind == JY_CUSTODY_BAG ? "bag_empty" : "batch_empty", NULL,
                             kind == JY_CUSTODY_BAG
                                 ? "the bag is empty: no paper file was accepted since the last "
                                   "bag (before the cut-off)"
                                 : "the batch is empty: no envelope was sealed since the last "
                                   "batch (before the cut-off)");
        goto out;
    }
    /* The number: <branch>-<YYYYMMDD>-<n> for a bag, <centre>OB<YYYYMMDD>-<n> for a batch. */
    char ymd[JY_DATE_TEXT_SIZE], seq[JY_STORE_SEQUENCE_NAME_MAX_BYTES + 1];
    jy_date_format(jy_date_from_unix_shanghai(now), ymd);
    char day[9] = {ymd[0], ymd[1], ymd[2], ymd[3], ymd[5], ymd[6], ymd[8], ymd[9], '\0'};
    if (kind == JY_CUSTODY_BAG)
        snprintf(seq, sizeof(seq), "bag.%.32s.%s", b->code, day);
    else
        snprintf(seq, sizeof(seq), "batch.%s", day);
    int64_t n = 0;
    if ((e = jy_store_sequence_next(conn, seq, &n, err)) != JY_OK)
        goto out;
    if (kind == JY_CUSTODY_BAG) {
        snprintf(h.reference, sizeof(h.reference), "%.32s-%s-%lld", b->code, day, (long long)n);
        h.branch_id = b->id;
    } else {
        snprintf(h.reference, sizeof(h.reference), "%.8sOB%s-%lld", jy_service_centre_code(svc),
                 day, (long long)n);
    }
    h.item_count = (int64_t)s.n;
    if ((e = jy_store_handover_insert(conn, &h, &h.id, err)) != JY_OK)
        goto out;
    for (size_t i = 0; i < s.n; i++) {
        struct jy_store_workflow w;
        if ((e = jy_store_workflow_by_id(conn, s.v[i], &w, err)) != JY_OK ||
            (e = jy_store_handover_add_item(conn, kind, h.id, s.v[i], w.waybill, err)) != JY_OK ||
            (e = custody_event(svc, conn, actor, s.v[i], now, b ? b->id : 0,
                               kind == JY_CUSTODY_BAG ? "bag_closed" : "batch_closed", h.reference,
                               NULL, NULL, err)) != JY_OK)
            goto out;
    }
    if ((e = jy_store_handover_by_reference(conn, kind, h.reference, &h, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    free(s.v);
    *ret = h;
    return JY_OK;
out:
    jy_store_rollback(conn);
    free(s.v);
    return e;
}

enum jy_err jy_custody_bag_close_at(struct jy_service *svc, const struct jy_actor *actor,
                                    int64_t branch_id, int64_t until, int64_t now,
                                    struct jy_store_handover *ret, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_branch b;
    if ((e = jy_store_branch_by_id(conn, branch_id, &b, err)) != JY_OK)
        return e;
    return close_handover(svc, actor, JY_CUSTODY_BAG, &b, until, now, ret, err);
}

enum jy_err jy_custody_bag_close(struct jy_service *svc, const struct jy_actor *actor,
                                 struct jy_store_handover *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_CLERK || !actor->branch_id)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the branch's clerks close its bag");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_branch b;
    if ((e = jy_store_branch_by_id(conn, actor->branch_id, &b, err)) != JY_OK)
        return e;
    bool after;
    int64_t now = jy_service_now(svc);
    int64_t until = cut_at(now, b.bag_cutoff[0] ? b.bag_cutoff : "17:30", &after);
    return close_handover(svc, actor, JY_CUSTODY_BAG, &b, until, now, ret, err);
}

enum jy_err jy_custody_batch_close(struct jy_service *svc, const struct jy_actor *actor,
                                   struct jy_store_handover *ret, struct jy_error *err)
{
    if (!dispatcher(actor))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only operators at the dispatch station close the batch");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_custody_settings s;
    if ((e = read_settings(conn, &s, err)) != JY_OK)
        return e;
    bool after;
    int64_t now = jy_service_now(svc);
    int64_t until = cut_at(now, s.dispatch_cutoff, &after);
    return close_handover(svc, actor, JY_CUSTODY_BATCH, NULL, until, now, ret, err);
}

/* ---- reading ---- */

static enum jy_err find(struct jy_store_conn *conn, const struct jy_actor *actor,
                        enum jy_custody_kind kind, const char *reference,
                        struct jy_store_handover *ret, struct jy_error *err)
{
    if (!reference || !*reference || strnlen(reference, JY_CUSTODY_REF_SIZE) >= JY_CUSTODY_REF_SIZE)
        return kind == JY_CUSTODY_BAG ? jy_error_set(err, JY_NOT_FOUND, "unknown_bag", "seal",
                                                     "there is no bag with this seal number")
                                      : jy_error_set(err, JY_NOT_FOUND, "unknown_batch", "batch",
                                                     "there is no dispatch batch with this "
                                                     "number");
    enum jy_err e = jy_store_handover_by_reference(conn, kind, reference, ret, err);
    if (e == JY_OK && actor->role == JY_ROLE_CLERK && ret->branch_id != actor->branch_id)
        return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", NULL,
                            "this is another branch's bag");
    return e;
}

enum jy_err jy_custody_get(struct jy_service *svc, const struct jy_actor *actor,
                           enum jy_custody_kind kind, const char *reference,
                           struct jy_store_handover *ret,
                           bool (*fn)(void *ctx, const struct jy_store_handover_item *it),
                           void *ctx, struct jy_error *err)
{
    if (!may_view(actor, kind))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "you may not see the hand-overs");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_store_handover h;
    if ((e = find(conn, actor, kind, reference, &h, err)) != JY_OK)
        return e;
    if (fn && (e = jy_store_handover_items(conn, kind, h.id, fn, ctx, err)) != JY_OK)
        return e;
    *ret = h;
    return JY_OK;
}

enum jy_err jy_custody_list(struct jy_service *svc, const struct jy_actor *actor,
                            enum jy_custody_kind kind, const char *branch_code, const char *state,
                            size_t limit, bool (*fn)(void *ctx, const struct jy_store_handover *h),
                            void *ctx, struct jy_error *err)
{
    if (!may_view(actor, kind))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "you may not see the hand-overs");
    if (limit < 1 || limit > JY_PAGE_MAX_ITEMS)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit is 1 to %d",
                            JY_PAGE_MAX_ITEMS);
    static const char *const bag_states[] = {"in_transit", "receiving", "received", NULL};
    static const char *const batch_states[] = {"closed", "receiving", "received", NULL};
    if (state && *state) {
        const char *const *s = kind == JY_CUSTODY_BAG ? bag_states : batch_states;
        while (*s && !is(*s, state))
            s++;
        if (!*s)
            return jy_error_set(err, JY_INVALID, "bad_parameter", "state",
                                kind == JY_CUSTODY_BAG
                                    ? "state is in_transit, receiving or received"
                                    : "state is closed, receiving or received");
    } else {
        state = NULL;
    }
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t branch_id = 0;
    if (kind == JY_CUSTODY_BAG && (actor->role == JY_ROLE_CLERK || (branch_code && *branch_code))) {
        struct jy_store_branch b;
        if ((e = branch_for(conn, actor, branch_code, &b, err)) != JY_OK)
            return e;
        branch_id = b.id;
    }
    return jy_store_handover_list(conn, kind, branch_id, state, limit, fn, ctx, err);
}

/* ---- the manifest ---- */

struct manifest_ctx {
    const struct jy_catalog *cat;
    struct jy_manifest_item *items;
    char (*texts)[2][40];
    size_t n, cap;
    bool nomem;
};

static bool manifest_add(void *p, const struct jy_store_handover_item *it)
{
    struct manifest_ctx *c = p;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct jy_manifest_item *ni = realloc(c->items, cap * sizeof(*ni));
        if (ni)
            c->items = ni;
        char(*nt)[2][40] = ni ? realloc(c->texts, cap * sizeof(*nt)) : NULL;
        if (!ni || !nt) {
            c->nomem = true;
            return false;
        }
        c->texts = nt;
        c->cap = cap;
    }
    char *barcode = c->texts[c->n][0], *shown = c->texts[c->n][1];
    struct jy_appno no;
    char display[JY_APPNO_DISPLAY_SIZE];
    if (jy_appno_parse(it->number, strlen(it->number), &no, NULL) == JY_OK)
        jy_appno_display(&no, display);
    else
        jy_strlcpy(display, it->number, sizeof(display));
    if (it->waybill[0]) {
        jy_strlcpy(barcode, it->waybill, 40);
        snprintf(shown, 40, "%.2s %.3s %.3s %.3s %.2s", it->waybill, it->waybill + 2,
                 it->waybill + 5, it->waybill + 8, it->waybill + 11);
    } else {
        jy_strlcpy(barcode, it->number, 40);
        jy_strlcpy(shown, display, 40);
    }
    const struct jy_business_type *t =
        jy_catalog_find(c->cat, it->business_type, strlen(it->business_type));
    c->items[c->n] = (struct jy_manifest_item){
        .barcode = barcode,
        .number = shown,
        .reference = NULL,
        .business_name = t ? t->name_zh : it->business_type,
    };
    c->n++;
    return true;
}

enum jy_err jy_custody_manifest_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                    enum jy_custody_kind kind, const char *reference,
                                    unsigned char **ret, size_t *ret_len, struct jy_error *err)
{
    struct manifest_ctx c = {.cat = jy_service_catalog(svc)};
    struct jy_store_handover h;
    enum jy_err e = jy_custody_get(svc, actor, kind, reference, &h, manifest_add, &c, err);
    if (e == JY_OK && c.nomem)
        e = nomem(err);
    if (e != JY_OK)
        goto out;
    /* The references of a batch: the application numbers, beside the item numbers. Filled
     * after the walk, when the arrays no longer move. */
    struct jy_store_conn *conn;
    char centre[256];
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK ||
        (e = jy_receipts_centre_name(svc, conn, centre, sizeof(centre), err)) != JY_OK)
        goto out;
    char from[200];
    if (kind == JY_CUSTODY_BAG)
        snprintf(from, sizeof(from), "%s %s", h.branch_code, h.branch_name_zh);
    struct jy_manifest m = {
        .kind = kind == JY_CUSTODY_BAG ? JY_MANIFEST_BRANCH_BAG : JY_MANIFEST_OUTBOUND_BATCH,
        .from = kind == JY_CUSTODY_BAG ? from : centre,
        .to = kind == JY_CUSTODY_BAG ? centre : "中国邮政速递物流 EMS 武汉邮区中心局",
        .reference = h.reference,
        .closed_at = h.closed_at,
        .prepared_by = h.closed_by_name,
        .items = c.items,
        .item_count = c.n,
    };
    e = jy_render_manifest(&m, ret, ret_len, err);
out:
    free(c.items);
    free(c.texts);
    return e;
}

/* ---- reception and the mail centre ---- */

static enum jy_err check_logistics(const struct jy_actor *actor, struct jy_error *err)
{
    if (actor->role != JY_ROLE_LOGISTICS)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "hand-over scanning is for logistics (van crew, mail-centre desk)");
    return JY_OK;
}

enum jy_err jy_custody_reception_open(struct jy_service *svc, const struct jy_actor *actor,
                                      const char *seal, struct jy_store_handover *ret,
                                      struct jy_error *err)
{
    enum jy_err e = check_logistics(actor, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_store_handover h;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = find(conn, actor, JY_CUSTODY_BAG, seal, &h, err)) != JY_OK)
        goto out;
    if (is(h.state, "received")) {
        e = jy_error_set(err, JY_CONFLICT, "already_received", NULL,
                         "the reception of bag %s is closed already", h.reference);
        goto out;
    }
    if (is(h.state, "in_transit") &&
        (e = jy_store_handover_set_state(conn, JY_CUSTODY_BAG, h.id, "receiving",
                                         jy_service_now(svc), actor->user_id, err)) != JY_OK)
        goto out;
    if ((e = jy_store_handover_by_reference(conn, JY_CUSTODY_BAG, h.reference, &h, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    *ret = h;
    return JY_OK;
out:
    jy_store_rollback(conn);
    return e;
}

/* True when `code` has the shape of an S10 item number (two letters, nine digits, two
 * letters), so that a scan of one with a wrong check digit is told so, not taken for a bad
 * application number. */
static bool s10_shaped(const char *code, size_t len)
{
    if (len != 13)
        return false;
    for (size_t i = 0; i < len; i++) {
        bool letter = (code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= 'a' && code[i] <= 'z');
        bool digit = code[i] >= '0' && code[i] <= '9';
        if ((i < 2 || i > 10) ? !letter : !digit)
            return false;
    }
    return true;
}

/* The application a scanned code names: an application number in either form, or for an
 * envelope its S10 item number. */
static enum jy_err scanned(struct jy_store_conn *conn, enum jy_custody_kind kind, const char *code,
                           struct jy_store_workflow *ret, struct jy_error *err)
{
    size_t len = code ? strnlen(code, JY_IDENT_MAX_BYTES + 1) : 0;
    if (len == 0)
        return jy_error_set(err, JY_INVALID, "missing_field", "number", "number is required");
    if (kind == JY_CUSTODY_BATCH) {
        struct jy_s10 s;
        struct jy_error d;
        enum jy_err pe = jy_s10_parse(code, len, &s, &d);
        if (pe != JY_OK && s10_shaped(code, len))
            return jy_error_set(err, JY_INVALID, "invalid_number", "number",
                                "not an EMS item number: %s", d.message);
        if (pe == JY_OK) {
            enum jy_err e = jy_store_workflow_by_waybill(conn, s.number, ret, err);
            if (e == JY_NOT_FOUND)
                return jy_error_set(err, JY_NOT_FOUND, "not_found", "number",
                                    "no envelope carries this item number");
            return e;
        }
    }
    char compact[JY_WORKFLOW_NUMBER_SIZE];
    enum jy_err e = jy_workflow_number(code, compact, err);
    if (e != JY_OK)
        return e;
    e = jy_store_workflow_by_number(conn, compact, ret, err);
    if (e == JY_NOT_FOUND)
        return jy_error_set(err, JY_NOT_FOUND, "not_found", "number",
                            "no application has this number");
    return e;
}

/* A paper file (or envelope) that an earlier hand-over found missing has turned up in a scan of
 * hand-over `h`: its open "missing" discrepancy is resolved as found, by the scanner, with a
 * note naming where it was scanned, and the application's history says so. The first one
 * resolved is reported in `r`. */
static enum jy_err found_by_scan(struct jy_service *svc, struct jy_store_conn *conn,
                                 const struct jy_actor *actor, enum jy_custody_kind kind,
                                 const struct jy_store_handover *h, int64_t application_id,
                                 int64_t now, struct jy_custody_scan_result *r,
                                 struct jy_error *err)
{
    int64_t ids[4];
    size_t n = 0;
    enum jy_err e = jy_store_discrepancy_open_missing(conn, kind, application_id, ids,
                                                      sizeof(ids) / sizeof(ids[0]), &n, err);
    if (e != JY_OK || n == 0)
        return e;
    struct jy_store_discrepancy *d = malloc(sizeof(*d));
    if (!d)
        return nomem(err);
    char note[JY_CUSTODY_REF_SIZE * 2 + 96];
    if (kind == JY_CUSTODY_BAG)
        snprintf(note, sizeof(note), "在邮袋 %s 接收时扫描到 / scanned in the reception of bag %s",
                 h->reference, h->reference);
    else
        snprintf(note, sizeof(note),
                 "邮件处理中心在批次 %s 中扫描到 / scanned by the mail centre in batch %s",
                 h->reference, h->reference);
    for (size_t i = 0; i < n && e == JY_OK; i++) {
        if ((e = jy_store_discrepancy_get(conn, ids[i], d, err)) != JY_OK ||
            (e = jy_store_discrepancy_resolve(conn, ids[i], "found", note, actor->user_id, now,
                                              err)) != JY_OK)
            break;
        char text[JY_CUSTODY_REF_SIZE * 2 + 64];
        snprintf(text, sizeof(text), "%s missing %s: found (scanned in %s)", d->reference,
                 kind == JY_CUSTODY_BAG ? "file" : "envelope", h->reference);
        e = custody_event(svc, conn, actor, application_id, now, 0, "discrepancy_resolved", text,
                          NULL, NULL, err);
        if (e == JY_OK && i == 0) {
            r->resolved_id = d->id;
            jy_strlcpy(r->resolved_reference, d->reference, sizeof(r->resolved_reference));
        }
    }
    free(d);
    return e;
}

enum jy_err jy_custody_scan(struct jy_service *svc, const struct jy_actor *actor,
                            enum jy_custody_kind kind, const char *reference, const char *code,
                            struct jy_custody_scan_result *ret, struct jy_error *err)
{
    enum jy_err e = check_logistics(actor, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct jy_custody_scan_result r;
    memset(&r, 0, sizeof(r));
    struct jy_store_handover h, other;
    struct jy_store_workflow w;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = find(conn, actor, kind, reference, &h, err)) != JY_OK ||
        (e = scanned(conn, kind, code, &w, err)) != JY_OK)
        goto out;
    if (is(h.state, "received")) {
        e = jy_error_set(err, JY_CONFLICT, "already_received", NULL,
                         "the hand-over of %s is closed already", h.reference);
        goto out;
    }
    if (kind == JY_CUSTODY_BAG && !is(h.state, "receiving")) {
        e = jy_error_set(err, JY_CONFLICT, "reception_not_open", NULL,
                         "open the reception of bag %s before scanning", h.reference);
        goto out;
    }
    if (kind == JY_CUSTODY_BATCH && is(h.state, "closed") &&
        (e = jy_store_handover_set_state(conn, kind, h.id, "receiving", now, actor->user_id,
                                         err)) != JY_OK)
        goto out;
    int64_t before = 0;
    if ((e = jy_store_scan_count(conn, kind, h.id, w.id, &before, err)) != JY_OK)
        goto out;
    struct jy_error d;
    enum jy_err in = jy_store_handover_of(conn, kind, w.id, &other, &d);
    if (in != JY_OK && in != JY_NOT_FOUND) {
        e = in;
        if (err)
            *err = d;
        goto out;
    }
    bool ours = in == JY_OK && other.id == h.id;
    r.outcome = before > 0 ? "duplicate" : ours ? "expected" : "extra";
    if (!ours && in == JY_OK)
        jy_strlcpy(r.other, other.reference, sizeof(r.other));
    struct jy_store_scan s = {
        .kind = kind,
        .handover_id = h.id,
        .application_id = w.id,
        .outcome = r.outcome,
        .place = kind == JY_CUSTODY_BAG ? "centre" : "mail_centre",
        .at = now,
        .user_id = actor->user_id,
    };
    if ((e = jy_store_scan_insert(conn, &s, err)) != JY_OK)
        goto out;
    if (before == 0) {
        char note[JY_CUSTODY_REF_SIZE * 2 + 32];
        if (ours)
            snprintf(note, sizeof(note), "%s", h.reference);
        else
            snprintf(note, sizeof(note), "%s; not in it (%s)", h.reference,
                     r.other[0] ? r.other : "in no bag");
        bool ship = kind == JY_CUSTODY_BATCH && is(w.state, "sealed");
        if ((e = custody_event(svc, conn, actor, w.id, now, 0,
                               kind == JY_CUSTODY_BAG ? "received_at_centre"
                                                      : "handed_to_mail_centre",
                               note, ship ? "shipped" : NULL, &w, err)) != JY_OK)
            goto out;
    }
    if ((e = found_by_scan(svc, conn, actor, kind, &h, w.id, now, &r, err)) != JY_OK ||
        (e = jy_store_handover_by_reference(conn, kind, h.reference, &r.handover, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    jy_strlcpy(r.number, w.number, sizeof(r.number));
    jy_strlcpy(r.waybill, w.waybill, sizeof(r.waybill));
    jy_strlcpy(r.state, w.state, sizeof(r.state));
    *ret = r;
    return JY_OK;
out:
    jy_store_rollback(conn);
    return e;
}

struct close_ctx {
    struct jy_store_conn *conn;
    enum jy_custody_kind kind;
    int64_t id;
    int64_t now;
    struct ids missing, duplicate;
    struct ids extra;
};

static bool close_item(void *p, const struct jy_store_handover_item *it)
{
    struct close_ctx *c = p;
    if (it->scans == 0)
        return ids_add(&c->missing, it->application_id);
    if (it->scans > 1 && c->kind == JY_CUSTODY_BAG)
        return ids_add(&c->duplicate, it->application_id);
    return true;
}

static bool close_extra(void *p, int64_t id, const char *number)
{
    (void)number;
    struct close_ctx *c = p;
    return ids_add(&c->extra, id);
}

enum jy_err jy_custody_reception_close(struct jy_service *svc, const struct jy_actor *actor,
                                       enum jy_custody_kind kind, const char *reference,
                                       struct jy_store_handover *ret, struct jy_error *err)
{
    enum jy_err e = check_logistics(actor, err);
    if (e != JY_OK)
        return e;
    struct close_ctx c = {.kind = kind, .now = jy_service_now(svc)};
    if ((e = jy_service_conn(svc, &c.conn, err)) != JY_OK)
        return e;
    struct jy_store_handover h, other;
    if ((e = jy_store_begin(c.conn, err)) != JY_OK)
        return e;
    if ((e = find(c.conn, actor, kind, reference, &h, err)) != JY_OK)
        goto out;
    if (is(h.state, "received")) {
        e = jy_error_set(err, JY_CONFLICT, "already_received", NULL,
                         "the hand-over of %s is closed already", h.reference);
        goto out;
    }
    if (kind == JY_CUSTODY_BAG && !is(h.state, "receiving")) {
        e = jy_error_set(err, JY_CONFLICT, "reception_not_open", NULL,
                         "open the reception of bag %s first", h.reference);
        goto out;
    }
    c.id = h.id;
    if ((e = jy_store_handover_items(c.conn, kind, h.id, close_item, &c, err)) != JY_OK ||
        (e = jy_store_scan_extras(c.conn, kind, h.id, close_extra, &c, err)) != JY_OK)
        goto out;
    if (c.missing.nomem || c.duplicate.nomem || c.extra.nomem) {
        e = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < c.missing.n && e == JY_OK; i++)
        e = jy_store_discrepancy_insert(c.conn, "missing", kind, h.id, c.missing.v[i], NULL, c.now,
                                        err);
    for (size_t i = 0; i < c.extra.n && e == JY_OK; i++) {
        struct jy_error d;
        char detail[JY_CUSTODY_DETAIL_SIZE];
        if (jy_store_handover_of(c.conn, kind, c.extra.v[i], &other, &d) == JY_OK)
            snprintf(detail, sizeof(detail), "wrong_bag: %s", other.reference);
        else
            snprintf(detail, sizeof(detail), "not_expected");
        e = jy_store_discrepancy_insert(c.conn, "extra", kind, h.id, c.extra.v[i], detail, c.now,
                                        err);
    }
    for (size_t i = 0; i < c.duplicate.n && e == JY_OK; i++)
        e = jy_store_discrepancy_insert(c.conn, "duplicate", kind, h.id, c.duplicate.v[i], NULL,
                                        c.now, err);
    if (e != JY_OK ||
        (e = jy_store_handover_set_state(c.conn, kind, h.id, "received", c.now, actor->user_id,
                                         err)) != JY_OK ||
        (e = jy_store_handover_by_reference(c.conn, kind, h.reference, &h, err)) != JY_OK ||
        (e = jy_store_commit(c.conn, err)) != JY_OK)
        goto out;
    *ret = h;
    goto done;
out:
    jy_store_rollback(c.conn);
done:
    free(c.missing.v);
    free(c.duplicate.v);
    free(c.extra.v);
    return e;
}

/* ---- discrepancies ---- */

enum jy_err jy_custody_discrepancies(struct jy_service *svc, const struct jy_actor *actor,
                                     bool open, enum jy_custody_kind kind, const char *reference,
                                     size_t limit,
                                     bool (*fn)(void *ctx, const struct jy_store_discrepancy *d),
                                     void *ctx, struct jy_error *err)
{
    if (actor->role != JY_ROLE_SUPERVISOR && actor->role != JY_ROLE_MANAGER &&
        actor->role != JY_ROLE_LOGISTICS && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "the discrepancy list is for the police, managers and logistics");
    if (limit < 1 || limit > JY_PAGE_MAX_ITEMS)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit is 1 to %d",
                            JY_PAGE_MAX_ITEMS);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t id = 0;
    if (reference && *reference) {
        struct jy_store_handover h;
        if ((e = find(conn, actor, kind, reference, &h, err)) != JY_OK)
            return e;
        id = h.id;
    }
    return jy_store_discrepancy_list(conn, open, kind, id, limit, fn, ctx, err);
}

enum jy_err jy_custody_resolve(struct jy_service *svc, const struct jy_actor *actor, int64_t id,
                               const char *resolution, const char *note,
                               struct jy_store_discrepancy *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_SUPERVISOR && actor->role != JY_ROLE_MANAGER)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the police and managers resolve discrepancies");
    if (!resolution || !*resolution)
        return jy_error_set(err, JY_INVALID, "missing_field", "resolution",
                            "resolution is required");
    if (!is(resolution, "found") && !is(resolution, "resent") && !is(resolution, "lost"))
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_resolution", "resolution",
                            "resolution is found, resent or lost");
    if (note && strnlen(note, JY_NOTE_MAX_BYTES + 1) > JY_NOTE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "note", "a note is at most %d bytes",
                            JY_NOTE_MAX_BYTES);
    if (note && !jy_text_is_clean(note, strlen(note), true, NULL))
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_note", "note",
                            "the note contains a control, invisible or direction-changing "
                            "character");
    if (is(resolution, "lost") && (!note || !*note))
        return jy_error_set(err, JY_UNPROCESSABLE, "note_required", "note",
                            "say what was done: a lost file needs a note (the applicant asked "
                            "for a replacement)");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct jy_store_discrepancy *d = malloc(sizeof(*d));
    if (!d)
        return nomem(err);
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        goto done;
    if ((e = jy_store_discrepancy_get(conn, id, d, err)) != JY_OK ||
        (e = jy_store_discrepancy_resolve(conn, id, resolution, note, actor->user_id, now, err)) !=
            JY_OK)
        goto out;
    /* A missing paper file found or re-sent is in the centre's hands now: a scan records it. */
    if (is(d->kind, "missing") && d->on == JY_CUSTODY_BAG && !is(resolution, "lost")) {
        struct jy_store_scan s = {.kind = JY_CUSTODY_BAG,
                                  .handover_id = d->handover_id,
                                  .application_id = d->application_id,
                                  .outcome = "expected",
                                  .place = "centre",
                                  .at = now,
                                  .user_id = actor->user_id};
        if ((e = jy_store_scan_insert(conn, &s, err)) != JY_OK)
            goto out;
    }
    char text[JY_CUSTODY_REF_SIZE + 64];
    snprintf(text, sizeof(text), "%s %s %s: %s", d->reference, d->kind,
             d->on == JY_CUSTODY_BAG ? "file" : "envelope", resolution);
    if ((e = custody_event(svc, conn, actor, d->application_id, now, 0, "discrepancy_resolved",
                           text, NULL, NULL, err)) != JY_OK ||
        (e = jy_store_discrepancy_get(conn, id, d, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    *ret = *d;
    goto done;
out:
    jy_store_rollback(conn);
done:
    free(d);
    return e;
}

/* ---- dispatch, S10, settings ---- */

enum jy_err jy_custody_s10_left(struct jy_service *svc, int64_t *ret_left, int64_t *ret_threshold,
                                struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_custody_settings s;
    int64_t left;
    if ((e = read_settings(conn, &s, err)) != JY_OK ||
        (e = jy_store_s10_left(conn, &left, err)) != JY_OK)
        return e;
    *ret_left = left;
    if (ret_threshold)
        *ret_threshold = s.s10_low_threshold;
    return JY_OK;
}

enum jy_err jy_custody_dispatch_status(struct jy_service *svc, const struct jy_actor *actor,
                                       struct jy_custody_dispatch *ret, struct jy_error *err)
{
    if (!may_view(actor, JY_CUSTODY_BATCH))
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "the dispatch desk is for dispatch, logistics, the police and "
                            "managers");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_custody_settings s;
    if ((e = read_settings(conn, &s, err)) != JY_OK)
        return e;
    struct jy_custody_dispatch d = {0};
    jy_strlcpy(d.next.cutoff, s.dispatch_cutoff, sizeof(d.next.cutoff));
    d.next.until = cut_at(jy_service_now(svc), s.dispatch_cutoff, &d.next.after_cutoff);
    struct ids ids = {0};
    e = pending(svc, conn, JY_CUSTODY_BATCH, 0, d.next.until, &ids, err);
    d.next.pending = (int64_t)ids.n;
    free(ids.v);
    if (e != JY_OK || (e = jy_store_s10_left(conn, &d.s10_left, err)) != JY_OK)
        return e;
    d.s10_threshold = s.s10_low_threshold;
    d.s10_low = d.s10_left < d.s10_threshold;
    *ret = d;
    return JY_OK;
}

enum jy_err jy_custody_s10_add(struct jy_service *svc, const struct jy_actor *actor,
                               const struct jy_s10_range *r, int64_t *ret_id, struct jy_error *err)
{
    if (actor->user_id != 0 && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only administrators allocate item-number ranges");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t id;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = jy_store_s10_add(conn, r, jy_service_now(svc), actor->user_id, &id, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK) {
        jy_store_rollback(conn);
        return e;
    }
    *ret_id = id;
    return JY_OK;
}

enum jy_err jy_custody_settings_get(struct jy_service *svc, struct jy_custody_settings *ret,
                                    struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    return e == JY_OK ? read_settings(conn, ret, err) : e;
}

enum jy_err jy_custody_settings_set(struct jy_service *svc, const struct jy_actor *actor,
                                    const struct jy_custody_settings *s, struct jy_error *err)
{
    if (actor->user_id != 0 && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only administrators change the custody settings");
    int minutes;
    if (!jy_custody_parse_cutoff(s->dispatch_cutoff, &minutes))
        return jy_error_set(err, JY_UNPROCESSABLE, "invalid_cutoff", "dispatch_cutoff",
                            "the cut-off is a time of day HH:MM, 00:00 to 23:59");
    if (s->s10_low_threshold < 0 || s->s10_low_threshold > JY_S10_SERIAL_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", "s10_low_threshold",
                            "the threshold is 0 to 99999999");
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    char threshold[24];
    snprintf(threshold, sizeof(threshold), "%lld", (long long)s->s10_low_threshold);
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = jy_store_setting_set(conn, "custody_archive_gate", s->archive_gate ? "on" : "off",
                                  err)) != JY_OK ||
        (e = jy_store_setting_set(conn, "dispatch_cutoff", s->dispatch_cutoff, err)) != JY_OK ||
        (e = jy_store_setting_set(conn, "s10_low_threshold", threshold, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK) {
        jy_store_rollback(conn);
        return e;
    }
    return JY_OK;
}

/* ---- an application's custody ---- */

enum jy_err jy_custody_status(const struct jy_service *svc, int64_t application_id,
                              struct jy_custody_status *ret, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct jy_custody_status s;
    memset(&s, 0, sizeof(s));
    struct jy_store_handover h;
    struct jy_error d;
    char seal[JY_CUSTODY_REF_SIZE], lost[16];
    s.paper = "at_branch";
    enum jy_err in = jy_store_handover_of(conn, JY_CUSTODY_BAG, application_id, &h, &d);
    if (in == JY_OK) {
        s.paper = "in_bag";
        jy_strlcpy(s.bag, h.reference, sizeof(s.bag));
    }
    if ((e = jy_store_scan_received(conn, application_id, &s.received_at, seal, err)) != JY_OK ||
        (e = jy_store_discrepancy_paper_resolution(conn, application_id, lost, err)) != JY_OK)
        return e;
    if (s.received_at) {
        s.paper = "received";
        if (!s.bag[0])
            jy_strlcpy(s.bag, seal, sizeof(s.bag));
    } else if (is(lost, "lost")) {
        s.paper = "lost";
    }
    if (jy_store_handover_of(conn, JY_CUSTODY_BATCH, application_id, &h, &d) == JY_OK) {
        int64_t scans = 0;
        if ((e = jy_store_scan_count(conn, JY_CUSTODY_BATCH, h.id, application_id, &scans, err)) !=
            JY_OK)
            return e;
        s.envelope = scans > 0 ? "handed_over" : "in_batch";
        jy_strlcpy(s.batch, h.reference, sizeof(s.batch));
    }
    *ret = s;
    return JY_OK;
}

enum jy_err jy_custody_archive_check(struct jy_store_conn *conn, int64_t application_id,
                                     struct jy_error *err)
{
    struct jy_custody_settings s;
    enum jy_err e = read_settings(conn, &s, err);
    if (e != JY_OK || !s.archive_gate)
        return e;
    int64_t at = 0;
    char seal[JY_CUSTODY_REF_SIZE], lost[16];
    if ((e = jy_store_scan_received(conn, application_id, &at, seal, err)) != JY_OK)
        return e;
    if (at)
        return JY_OK;
    if ((e = jy_store_discrepancy_paper_resolution(conn, application_id, lost, err)) != JY_OK)
        return e;
    if (is(lost, "lost"))
        return jy_error_set(err, JY_CONFLICT, "paper_lost", NULL,
                            "the paper file was lost on the way; the applicant has been asked "
                            "for a replacement, which must be received before archiving");
    return jy_error_set(err, JY_CONFLICT, "paper_not_received", NULL,
                        "the paper file has not been received at the centre: scan it in from "
                        "its branch's bag before archiving");
}
