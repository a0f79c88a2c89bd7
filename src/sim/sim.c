/*
 * sim.c — the city simulator: see sim.h for the model.
 *
 * One thread, one store connection, one event queue. Each event pins the service clock to its
 * time and calls the real use cases; the simulator keeps its own small record of each
 * application (number, route position, state, due day) only to decide what happens next and to
 * count — the database is what the use cases wrote.
 */
#include "sim.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/timestamp.h"
#include "service/auth.h"
#include "service/custody.h"
#include "service/demo.h"
#include "service/intake.h"
#include "service/shipments.h"
#include "service/workflow.h"
#include "store/custody.h"
#include "store/settings.h"
#include "store/users.h"
#include "heap.h"
#include "rng.h"
#include "../banned.h"

/* ---- the model's figures (sim.h describes them) ---- */

#define SHANGHAI_OFFSET (8 * 3600)
#define HM(h, m) ((h)*3600 + (m)*60)
#define BRANCH_OPEN HM(8, 30)
#define BRANCH_CLOSE HM(17, 30)
#define BAG_CUTOFF HM(17, 30)
#define VAN_ARRIVES HM(8, 15)
#define DISPATCH_AT HM(17, 0)
#define CLERK_MEAN_S 240.0
#define CLERK_CV 0.4
#define BRANCH_SIZE_CV 0.5
#define SERVICE_CV 0.5
#define SERVICE_MAX_S (14 * 60) /* within the 15-minute lease */
#define RETURN_RATE 0.03
#define REFUSE_RATE 0.005
#define FAIL_RATE 0.03
#define NEXT_DAY_RATE 0.65
#define HIST_MAX 64   /* turnaround histogram, working days; the last bucket holds the rest */
#define DAYS_AFTER 20 /* calendar days after the run that due dates and vans may reach */

static const int shifts[][2] = {{HM(8, 30), HM(12, 0)}, {HM(13, 0), HM(17, 30)}};
#define SHIFT_SECONDS (HM(12, 0) - HM(8, 30) + HM(17, 30) - HM(13, 0))

static const double service_mean_s[JY__STATION_COUNT] = {50, 20, 40, 45, 15, 25};

/* The counter's day, 08:30–17:30 in hours: relative arrival rates. */
static const double hour_weights[9] = {0.9, 1.3, 1.3, 0.9, 0.7, 1.0, 1.2, 1.1, 0.8};

static const struct {
    const char *code;
    double weight;
} mix[] = {
    {"D03", 20}, {"V07", 15}, {"D01", 10}, {"V03", 10}, {"D05", 8},
    {"D02", 5},  {"W01", 5},  {"V01", 4},  {"V05", 4},  {"V06", 4},
    {"D04", 3},  {"D06", 3},  {"V02", 3},  {"V04", 3},  {"V08", 3},
};
#define MIX_N (sizeof(mix) / sizeof(mix[0]))

static const char *const return_reasons[] = {"document_missing", "document_unclear",
                                             "information_mismatch", "photo_nonconforming",
                                             "signature_missing"};
static const char *const refuse_reasons[] = {"outstanding_violations", "not_eligible",
                                             "vehicle_abnormal"};

/* ---- the simulator's record of one application ---- */

enum app_state {
    S_PENDING, /* in the hall: not yet accepted */
    S_AT_STATION,
    S_CORRECTION,
    S_SEALED,
    S_SHIPPED,
    S_FAILED,
    S_DELIVERED,
    S_COMPLETED,
    S_REFUSED,
    S__COUNT
};
static const char *const state_codes[S__COUNT] = {
    "pending",         "at_station", "correction", "sealed",  "shipped",
    "delivery_failed", "delivered",  "completed",  "refused",
};

enum {
    F_RETURN = 1, /* will be sent back from review */
    F_REFUSE = 2, /* will be refused at approval */
    F_FAIL = 4,   /* the first delivery attempt will fail */
    F_PAPER = 8,  /* its paper file was scanned in at the centre */
    F_WAIT = 16,  /* at archive, waiting for its paper file */
};

struct app {
    char number[JY_WORKFLOW_NUMBER_SIZE];
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];
    uint8_t type; /* index into mix[] */
    uint8_t pos;  /* position on the route */
    uint8_t state;
    uint8_t flags;
    uint16_t branch;
    int32_t accepted_day, due_day; /* days since 1970-01-01, Asia/Shanghai */
    int64_t accepted_at;           /* UTC seconds: intake (the bag takes it by this) */
    int64_t sealed_at; /* UTC seconds: sealed at dispatch (the batch takes it by this) */
};

enum ev_kind {
    EV_DAY,      /* 00:00: the day's arrivals; the centre's day, if a working day */
    EV_INTAKE,   /* a: application */
    EV_SHIFT,    /* a shift starts: every operator looks for work */
    EV_OP_FREE,  /* a: operator, woken by new work */
    EV_OP_DONE,  /* a: operator, finished its item */
    EV_BAGS,     /* 17:30: every branch closes its bag */
    EV_VAN,      /* the morning van's bags are in */
    EV_DISPATCH, /* 17:00: sealed envelopes leave */
    EV_RESUBMIT, /* a: application, corrected at the branch */
    EV_DELIVER,  /* a: application, the carrier's attempt */
};

enum op_status { OP_OFF, OP_IDLE, OP_BUSY };

struct op {
    uint8_t station;
    uint8_t status;
    uint32_t app;
    struct jy_actor actor;
};

struct day_stats {
    int32_t day;
    bool working;
    uint32_t accepted, completed, refused, returned, shipped;
    uint32_t backlog[JY__STATION_COUNT], correction;
    uint32_t waiting_paper; /* of backlog[archive]: done upstream, its paper file not yet in */
    uint32_t sla_met, sla_counted;
    uint32_t hist[HIST_MAX];
    double busy[JY__STATION_COUNT], avail[JY__STATION_COUNT];
};

struct jy_sim_report {
    struct jy_sim_config cfg;
    int n_days;
    struct day_stats *days;
    struct day_stats total;
    uint32_t states[S__COUNT];
    uint32_t open_overdue;
    uint32_t done_at[JY__STATION_COUNT];
    uint64_t use_cases, commits;
    /* custody: bags closed and files scanned in at the centre; dispatch batches closed and
     * envelopes scanned in by the mail centre */
    uint64_t bags, files_received, batches, envelopes;
    double seconds;
};

/* A growing list of application indexes. */
struct ivec {
    uint32_t *v;
    uint32_t n, cap;
};

/* A closed branch bag on its way to the centre. */
struct bag {
    char seal[JY_CUSTODY_REF_SIZE];
    struct ivec items;
};

struct sim {
    struct jy_service *svc;
    struct jy_store_conn *conn;
    const struct jy_sim_config *cfg;
    struct jy_sim_report *rep;
    /* Separate streams, so that a what-if (other operators) meets the very same customers
     * and carrier: demand (branch sizes, arrivals, clerks, business types, which applications
     * will be returned, refused or fail delivery), each station's service times, the rest of
     * the back office (reasons, the applicant's return to the branch), the carrier. */
    struct jy_rng demand, service[JY__STATION_COUNT], other, carrier;
    struct jy_heap events;
    uint64_t seq;
    int64_t now;
    int32_t day0;
    int n_span;    /* days in working[] and cum[] */
    bool *working; /* by day - day0 */
    int32_t *cum;  /* working days in [day0, day] */
    const struct jy_business_type *types[MIX_N];
    double mix_cum[MIX_N];
    /* branches */
    int n_branches;
    double *branch_rate; /* applications a day */
    int *branch_counters;
    struct jy_actor *clerks;
    /* centre */
    struct op *ops;
    int n_ops;
    struct jy_heap queue[JY__STATION_COUNT];
    uint32_t *idle[JY__STATION_COUNT];
    int n_idle[JY__STATION_COUNT];
    struct ivec *unbagged; /* by branch: accepted, in no bag yet, oldest first */
    struct bag *transit;   /* closed bags waiting for the morning van */
    uint32_t n_transit, cap_transit;
    uint32_t at_station[JY__STATION_COUNT], in_correction, waiting_paper;
    struct jy_actor police, logistics;
    const struct jy_actor *dispatcher; /* the operator who closes the 17:00 batch */
    /* applications */
    struct app *apps;
    uint32_t n_apps, cap_apps;
    uint32_t *sealed;
    uint32_t n_sealed, cap_sealed;
    struct jy_store_application *appbuf;
    bool dirty;
};

/* ---- configuration ---- */

void jy_sim_config_default(struct jy_sim_config *cfg)
{
    static const int ops[JY__STATION_COUNT] = {6, 2, 3, 4, 2, 3};
    memset(cfg, 0, sizeof(*cfg));
    cfg->days = 2;
    cfg->seed = 1;
    cfg->start = (struct jy_date){2025, 12, 1};
    memcpy(cfg->operators, ops, sizeof(ops));
    cfg->rate = 1800;
    cfg->commit_minutes = 1;
}

enum jy_err jy_sim_operators_parse(const char *text, struct jy_sim_config *cfg,
                                   struct jy_error *err)
{
    int ops[JY__STATION_COUNT];
    memcpy(ops, cfg->operators, sizeof(ops));
    const char *p = text;
    if (!*p)
        return jy_error_set(err, JY_INVALID, "bad_operators", "operators",
                            "--operators needs STATION=N items, e.g. review=6,approval=2");
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq)
            return jy_error_set(err, JY_INVALID, "bad_operators", "operators",
                                "'%.*s' is not STATION=N", (int)(n > 40 ? 40 : n), p);
        enum jy_station st;
        if (!jy_station_parse(p, (size_t)(eq - p), &st))
            return jy_error_set(err, JY_INVALID, "unknown_station", "operators",
                                "unknown station '%.*s' (review, approval, print, production, "
                                "archive, dispatch)",
                                (int)(eq - p > 40 ? 40 : eq - p), p);
        const char *v = eq + 1, *end = p + n;
        long count = 0;
        if (v == end || end - v > 3)
            count = -1;
        for (const char *q = v; count >= 0 && q < end; q++) {
            if (*q < '0' || *q > '9')
                count = -1;
            else
                count = count * 10 + (*q - '0');
        }
        if (count < 1 || count > JY_SIM_MAX_OPERATORS)
            return jy_error_set(err, JY_INVALID, "bad_count", "operators",
                                "the number of %s operators must be 1..%d, not '%.*s'",
                                jy_station_code(st), JY_SIM_MAX_OPERATORS,
                                (int)(end - v > 20 ? 20 : end - v), v);
        ops[st] = (int)count;
        p += n;
        if (*p == ',')
            p++;
    }
    memcpy(cfg->operators, ops, sizeof(ops));
    return JY_OK;
}

/* ---- preparing the city ---- */

static enum jy_err user_exists(struct jy_store_conn *conn, const char *name, bool *ret,
                               struct jy_error *err)
{
    struct jy_store_user u;
    struct jy_error local;
    enum jy_err e = jy_store_user_by_name(conn, name, &u, &local);
    *ret = e == JY_OK;
    if (e == JY_NOT_FOUND)
        return JY_OK;
    if (e != JY_OK && err)
        *err = local;
    return e;
}

/* The username of operator k (1-based) at station st: the demo's pattern. */
static void op_username(enum jy_station st, int k, char *buf, size_t size)
{
    if (k == 1)
        snprintf(buf, size, "%s", jy_station_code(st));
    else
        snprintf(buf, size, "%s%d", jy_station_code(st), k);
}

enum jy_err jy_sim_prepare(struct jy_service *svc, const struct jy_sim_config *cfg,
                           const char *password_hash, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t users = 0;
    if ((e = jy_store_user_count(conn, &users, err)) != JY_OK)
        return e;
    if (users == 0 && (e = jy_demo_seed_city(svc, password_hash, err)) != JY_OK)
        return e;
    bool new_city = users == 0;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    for (int b = 1; e == JY_OK && b <= 999; b++) {
        char code[8], name[8], display[64];
        snprintf(code, sizeof(code), "WH%03d", b);
        struct jy_store_branch br;
        struct jy_error local;
        if (jy_store_branch_by_code(conn, code, &br, &local) != JY_OK)
            break;
        snprintf(name, sizeof(name), "wh%03d", b);
        bool have;
        if ((e = user_exists(conn, name, &have, err)) != JY_OK || have)
            continue;
        snprintf(display, sizeof(display), "受理员（%s）", code);
        struct jy_auth_new_user u = {.username = name,
                                     .display_name = display,
                                     .role = JY_ROLE_CLERK,
                                     .branch_code = code,
                                     .password_hash = password_hash};
        e = jy_auth_user_add(svc, &u, NULL, err);
    }
    for (int s = 0; e == JY_OK && s < JY__STATION_COUNT; s++) {
        for (int k = 1; e == JY_OK && k <= cfg->operators[s]; k++) {
            char name[40], display[64];
            op_username((enum jy_station)s, k, name, sizeof(name));
            bool have;
            if ((e = user_exists(conn, name, &have, err)) != JY_OK || have)
                continue;
            snprintf(display, sizeof(display), "%s岗操作员%d", jy_station_code((enum jy_station)s),
                     k);
            struct jy_auth_new_user u = {.username = name,
                                         .display_name = display,
                                         .role = JY_ROLE_OPERATOR,
                                         .stations = jy_station_code((enum jy_station)s),
                                         .password_hash = password_hash};
            e = jy_auth_user_add(svc, &u, NULL, err);
        }
    }
    /* A city of its own keeps the archive gate of a real centre (the demo turns it off for
     * its walk-throughs): archive takes a file only once its paper was scanned in. */
    if (e == JY_OK && new_city)
        e = jy_store_setting_set(conn, "custody_archive_gate", "on", err);
    /* A city-year seals far more envelopes than the demo's range holds: a second range. */
    if (e == JY_OK) {
        struct jy_s10_range r = {"EB", "CN", 10000000, 19999999, 10000000};
        int64_t id;
        struct jy_error local;
        e = jy_store_s10_add(conn, &r, jy_service_now(svc), 0, &id, &local);
        if (e == JY_CONFLICT) /* added by an earlier run on this database */
            e = JY_OK;
        else if (e != JY_OK && err)
            *err = local;
    }
    if (e == JY_OK)
        return jy_store_commit(conn, err);
    jy_store_rollback(conn);
    return e;
}

/* ---- helpers ---- */

static int32_t local_day(int64_t t)
{
    int64_t x = t + SHANGHAI_OFFSET;
    return (int32_t)(x >= 0 ? x / 86400 : (x - 86399) / 86400);
}

static int local_secs(int64_t t)
{
    return (int)(t + SHANGHAI_OFFSET - (int64_t)local_day(t) * 86400);
}

static int64_t at_local(int32_t day, int secs)
{
    return (int64_t)day * 86400 + secs - SHANGHAI_OFFSET;
}

static bool is_working(const struct sim *s, int32_t day)
{
    int i = day - s->day0;
    return i >= 0 && i < s->n_span && s->working[i];
}

/* The first working day after `day`. */
static int32_t working_between(const struct sim *s, int32_t from, int32_t to)
{
    int i = from - s->day0, j = to - s->day0;
    if (i < 0)
        i = 0;
    if (j >= s->n_span)
        j = s->n_span - 1;
    return s->cum[j] - s->cum[i];
}

static enum jy_err nomem(struct jy_error *err)
{
    return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
}

static bool ivec_push(struct ivec *v, uint32_t x)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 64;
        uint32_t *p = realloc(v->v, cap * sizeof(*p));
        if (!p)
            return false;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return true;
}

/* Remove the first `k` entries of `v`. */
static void ivec_drop(struct ivec *v, uint32_t k)
{
    memmove(v->v, v->v + k, (v->n - k) * sizeof(*v->v));
    v->n -= k;
}

static enum jy_err schedule(struct sim *s, int64_t t, enum ev_kind kind, uint32_t a,
                            struct jy_error *err)
{
    struct jy_heap_item it = {t, s->seq++, (uint32_t)kind, a};
    return jy_heap_push(&s->events, it) ? JY_OK : nomem(err);
}

static struct day_stats *today(struct sim *s)
{
    int i = local_day(s->now) - s->day0;
    if (i < 0)
        i = 0;
    if (i >= s->rep->n_days)
        i = s->rep->n_days - 1;
    return &s->rep->days[i];
}

/* A use case failed: stop the run, naming what it was doing. */
static enum jy_err failed(struct sim *s, const char *what, const struct app *a,
                          const struct jy_error *d, struct jy_error *err)
{
    char when[JY_TIMESTAMP_TEXT_SIZE];
    return jy_error_set(err, d->code, d->reason, d->field, "%s %s at %s: %s", what,
                        a ? a->number : "", jy_timestamp_format(s->now, when), d->message);
}

/* ---- the centre ---- */

static bool in_shift(const struct sim *s, int64_t t)
{
    if (!is_working(s, local_day(t)))
        return false;
    int x = local_secs(t);
    for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++)
        if (x >= shifts[i][0] && x < shifts[i][1])
            return true;
    return false;
}

/* Put application `i` in the queue of the station it is at, and wake an idle operator there. */
static enum jy_err enqueue(struct sim *s, uint32_t i, struct jy_error *err)
{
    struct app *a = &s->apps[i];
    enum jy_station st = s->types[a->type]->route[a->pos];
    if (st == JY_STATION_ARCHIVE && !(a->flags & F_PAPER)) {
        a->flags |= F_WAIT; /* the van's reception puts it in the queue */
        s->waiting_paper++;
        return JY_OK;
    }
    struct jy_heap_item it = {a->due_day, i, 0, 0};
    if (!jy_heap_push(&s->queue[st], it))
        return nomem(err);
    if (s->n_idle[st] > 0 && in_shift(s, s->now)) {
        uint32_t op = s->idle[st][--s->n_idle[st]];
        s->ops[op].status = OP_OFF; /* until the event runs */
        return schedule(s, s->now, EV_OP_FREE, op, err);
    }
    return JY_OK;
}

/* Operator `k` looks for work. */
static enum jy_err try_work(struct sim *s, uint32_t k, struct jy_error *err)
{
    struct op *o = &s->ops[k];
    if (o->status == OP_BUSY)
        return JY_OK;
    if (!in_shift(s, s->now)) {
        o->status = OP_OFF;
        return JY_OK;
    }
    struct jy_heap_item it;
    if (!jy_heap_pop(&s->queue[o->station], &it)) {
        if (o->status != OP_IDLE) {
            o->status = OP_IDLE;
            s->idle[o->station][s->n_idle[o->station]++] = k;
        }
        return JY_OK;
    }
    if (o->status == OP_IDLE) { /* take it off the idle list */
        for (int j = 0; j < s->n_idle[o->station]; j++)
            if (s->idle[o->station][j] == k) {
                s->idle[o->station][j] = s->idle[o->station][--s->n_idle[o->station]];
                break;
            }
    }
    uint32_t i = (uint32_t)it.k2;
    struct app *a = &s->apps[i];
    struct jy_store_workflow w;
    struct jy_error d;
    s->dirty = true;
    s->rep->use_cases++;
    if (jy_workflow_claim_number(s->svc, &o->actor, (enum jy_station)o->station, a->number, &w,
                                 &d) != JY_OK)
        return failed(s, "claiming", a, &d, err);
    double t = jy_rng_lognormal(&s->service[o->station], service_mean_s[o->station], SERVICE_CV);
    int64_t secs = (int64_t)llround(t);
    if (secs < 1)
        secs = 1;
    if (secs > SERVICE_MAX_S)
        secs = SERVICE_MAX_S;
    o->status = OP_BUSY;
    o->app = i;
    today(s)->busy[o->station] += (double)secs;
    return schedule(s, s->now + secs, EV_OP_DONE, k, err);
}

/* An application has finished (delivered, or closed without delivery) now. */
static void finish(struct sim *s, struct app *a, enum app_state st)
{
    s->rep->states[a->state]--;
    a->state = (uint8_t)st;
    s->rep->states[st]++;
    struct day_stats *d = today(s);
    int32_t day = local_day(s->now);
    d->completed++;
    int32_t ta = working_between(s, a->accepted_day, day);
    d->hist[ta < 0 ? 0 : ta >= HIST_MAX ? HIST_MAX - 1 : ta]++;
    d->sla_counted++;
    if (day <= a->due_day)
        d->sla_met++;
}

static void set_state(struct sim *s, struct app *a, enum app_state st)
{
    s->rep->states[a->state]--;
    a->state = (uint8_t)st;
    s->rep->states[st]++;
}

static enum jy_err op_done(struct sim *s, uint32_t k, struct jy_error *err)
{
    struct op *o = &s->ops[k];
    uint32_t i = o->app;
    struct app *a = &s->apps[i];
    const struct jy_business_type *t = s->types[a->type];
    enum jy_station st = (enum jy_station)o->station;
    struct jy_store_workflow w;
    struct jy_error d;
    enum jy_err e;
    o->status = OP_OFF;
    s->dirty = true;
    s->rep->use_cases++;
    s->at_station[st]--;
    if (st == JY_STATION_REVIEW && (a->flags & F_RETURN)) {
        a->flags &= (uint8_t)~F_RETURN;
        const char *reason = return_reasons[jy_rng_below(&s->other, sizeof(return_reasons) /
                                                                        sizeof(return_reasons[0]))];
        if (jy_workflow_return(s->svc, &o->actor, a->number, "review", reason, NULL, &w, &d) !=
            JY_OK)
            return failed(s, "returning", a, &d, err);
        set_state(s, a, S_CORRECTION);
        s->in_correction++;
        today(s)->returned++;
        /* The branch calls the applicant, who brings what was missing 1–3 days later. */
        int32_t day = local_day(s->now) + 1 + (int32_t)jy_rng_below(&s->other, 3);
        int secs = HM(10, 0) + (int)jy_rng_below(&s->other, 6 * 3600);
        if ((e = schedule(s, at_local(day, secs), EV_RESUBMIT, i, err)) != JY_OK)
            return e;
        return try_work(s, k, err);
    }
    if (st == JY_STATION_APPROVAL && (a->flags & F_REFUSE)) {
        const char *reason = refuse_reasons[jy_rng_below(&s->other, sizeof(refuse_reasons) /
                                                                        sizeof(refuse_reasons[0]))];
        if (jy_workflow_refuse(s->svc, &s->police, a->number, reason, NULL, &w, &d) != JY_OK)
            return failed(s, "refusing", a, &d, err);
        set_state(s, a, S_REFUSED);
        today(s)->refused++;
        return try_work(s, k, err);
    }
    /* A violation handling (W01) is approved with the penalty decision it issues. */
    char decision[24];
    static const int points[] = {0, 1, 3, 6};
    snprintf(decision, sizeof(decision), "4201%012u", i);
    struct jy_workflow_violation v = {decision, points[i % 4]};
    bool w01 = strcmp(t->code, "W01") == 0 && st == JY_STATION_APPROVAL;
    if (jy_workflow_complete_violation(s->svc, &o->actor, a->number, jy_station_code(st),
                                       w01 ? &v : NULL, &w, &d) != JY_OK)
        return failed(s, "completing", a, &d, err);
    s->rep->done_at[st]++;
    if ((size_t)a->pos + 1 < t->route_len) {
        a->pos++;
        s->at_station[t->route[a->pos]]++;
        if ((e = enqueue(s, i, err)) != JY_OK)
            return e;
    } else if (t->delivery == JY_DELIVERY_EMS) {
        jy_strlcpy(a->waybill, w.waybill, sizeof(a->waybill));
        a->sealed_at = s->now;
        set_state(s, a, S_SEALED);
        if (s->n_sealed == s->cap_sealed) {
            uint32_t cap = s->cap_sealed ? s->cap_sealed * 2 : 1024;
            uint32_t *p = realloc(s->sealed, cap * sizeof(*p));
            if (!p)
                return nomem(err);
            s->sealed = p;
            s->cap_sealed = cap;
        }
        s->sealed[s->n_sealed++] = i;
    } else {
        finish(s, a, S_COMPLETED);
    }
    return try_work(s, k, err);
}

/* ---- branches ---- */

static int cmp_int64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static uint8_t draw_type(struct sim *s)
{
    double u = jy_rng_uniform(&s->demand) * s->mix_cum[MIX_N - 1];
    for (size_t i = 0; i < MIX_N; i++)
        if (u < s->mix_cum[i])
            return (uint8_t)i;
    return (uint8_t)(MIX_N - 1);
}

/* The day's customers at every branch: arrival times, the counters, and an intake each. */
static enum jy_err arrivals(struct sim *s, int32_t day, struct jy_error *err)
{
    double wsum = 0;
    for (int h = 0; h < 9; h++)
        wsum += hour_weights[h];
    int64_t times[512];
    for (int b = 0; b < s->n_branches; b++) {
        unsigned n = jy_rng_poisson(&s->demand, s->branch_rate[b]);
        if (n > sizeof(times) / sizeof(times[0]))
            n = sizeof(times) / sizeof(times[0]);
        for (unsigned j = 0; j < n; j++) {
            double u = jy_rng_uniform(&s->demand) * wsum;
            int h = 0;
            while (h < 8 && u >= hour_weights[h]) {
                u -= hour_weights[h];
                h++;
            }
            times[j] = at_local(day, BRANCH_OPEN + h * 3600 + (int)(u / hour_weights[h] * 3600.0));
        }
        qsort(times, n, sizeof(times[0]), cmp_int64);
        int64_t free_at[2] = {0, 0};
        for (unsigned j = 0; j < n; j++) {
            int c = s->branch_counters[b] > 1 && free_at[1] < free_at[0] ? 1 : 0;
            int64_t start = times[j] > free_at[c] ? times[j] : free_at[c];
            int64_t secs = (int64_t)llround(jy_rng_lognormal(&s->demand, CLERK_MEAN_S, CLERK_CV));
            free_at[c] = start + (secs < 30 ? 30 : secs);
            if (s->n_apps == s->cap_apps) {
                uint32_t cap = s->cap_apps ? s->cap_apps * 2 : 4096;
                struct app *p = realloc(s->apps, cap * sizeof(*p));
                if (!p)
                    return nomem(err);
                s->apps = p;
                s->cap_apps = cap;
            }
            uint32_t i = s->n_apps++;
            struct app *a = &s->apps[i];
            memset(a, 0, sizeof(*a));
            a->type = draw_type(s);
            a->branch = (uint16_t)b;
            a->state = S_PENDING;
            const struct jy_business_type *t = s->types[a->type];
            if (jy_rng_uniform(&s->demand) < RETURN_RATE)
                a->flags |= F_RETURN;
            if (jy_business_type_route_index(t, JY_STATION_APPROVAL) >= 0 &&
                jy_rng_uniform(&s->demand) < REFUSE_RATE)
                a->flags |= F_REFUSE;
            if (t->delivery == JY_DELIVERY_EMS && jy_rng_uniform(&s->demand) < FAIL_RATE)
                a->flags |= F_FAIL;
            s->rep->states[S_PENDING]++;
            enum jy_err e = schedule(s, free_at[c], EV_INTAKE, i, err);
            if (e != JY_OK)
                return e;
        }
    }
    return JY_OK;
}

static enum jy_err intake(struct sim *s, uint32_t i, struct jy_error *err)
{
    struct app *a = &s->apps[i];
    const struct jy_business_type *t = s->types[a->type];
    int32_t day = local_day(s->now);
    json_t *body = jy_demo_intake_body(i, t, jy_date_from_days(day));
    if (!body)
        return nomem(err);
    struct jy_error d;
    s->dirty = true;
    s->rep->use_cases++;
    enum jy_err e =
        jy_intake_at(s->svc, &s->clerks[a->branch], body, NULL, s->now, s->appbuf, NULL, &d);
    json_decref(body);
    if (e != JY_OK)
        return failed(s, "intake of", a, &d, err);
    jy_strlcpy(a->number, s->appbuf->number, sizeof(a->number));
    struct jy_date due;
    if (jy_date_parse(s->appbuf->due_date, strlen(s->appbuf->due_date), &due, &d) != JY_OK)
        return failed(s, "due date of", a, &d, err);
    a->due_day = (int32_t)jy_date_to_days(due);
    a->accepted_day = day;
    /* The paper file waits at the branch for its bag. */
    a->accepted_at = s->now;
    if (!ivec_push(&s->unbagged[a->branch], i))
        return nomem(err);
    set_state(s, a, S_AT_STATION);
    today(s)->accepted++;
    s->at_station[t->route[0]]++;
    return enqueue(s, i, err);
}

static enum jy_err resubmit(struct sim *s, uint32_t i, struct jy_error *err)
{
    struct app *a = &s->apps[i];
    struct jy_store_workflow w;
    struct jy_error d;
    s->dirty = true;
    s->rep->use_cases++;
    if (jy_workflow_resubmit(s->svc, &s->clerks[a->branch], a->number, NULL, &w, &d) != JY_OK)
        return failed(s, "resubmitting", a, &d, err);
    set_state(s, a, S_AT_STATION);
    s->in_correction--;
    s->at_station[s->types[a->type]->route[a->pos]]++;
    return enqueue(s, i, err);
}

/* ---- dispatch and the carrier ---- */

static enum jy_err feed(struct sim *s, const struct jy_shipment_event *ev, size_t n,
                        const struct app *a, struct jy_error *err)
{
    struct jy_shipments_result r;
    struct jy_error d;
    s->dirty = true;
    s->rep->use_cases++;
    if (jy_shipments_apply(s->svc, &s->logistics, ev, n, NULL, NULL, &r, &d) != JY_OK)
        return failed(s, "carrier feed for", a, &d, err);
    if (r.applied != n)
        return jy_error_set(err, JY_INTERNAL, "feed_not_applied", NULL,
                            "the carrier's feed for %s applied %zu of %zu events",
                            a ? a->number : "a dispatch", r.applied, n);
    return JY_OK;
}

/* The 17:00 dispatch: the operator at dispatch closes the batch — the envelopes sealed before
 * the cut-off — and the mail centre scans each envelope in (logistics), which ships it; then
 * the hand-over is closed. Envelopes sealed after the cut-off wait for the next batch. */
static enum jy_err dispatch(struct sim *s, struct jy_error *err)
{
    if (s->n_sealed == 0 || !s->dispatcher)
        return JY_OK;
    struct jy_store_handover h;
    struct jy_error d;
    s->dirty = true;
    s->rep->use_cases++;
    enum jy_err e = jy_custody_batch_close(s->svc, s->dispatcher, &h, &d);
    if (e == JY_UNPROCESSABLE && strcmp(d.reason, "batch_empty") == 0)
        return JY_OK; /* everything sealed came after the cut-off */
    if (e != JY_OK)
        return failed(s, "closing the dispatch batch", NULL, &d, err);
    uint32_t k = 0;
    while (k < s->n_sealed && s->apps[s->sealed[k]].sealed_at < h.covers_until)
        k++;
    if (k != h.item_count)
        return jy_error_set(err, JY_INTERNAL, "batch_mismatch", NULL,
                            "batch %s holds %lld envelopes; the simulator sealed %u before %lld",
                            h.reference, (long long)h.item_count, k, (long long)h.covers_until);
    s->rep->batches++;
    int32_t day = local_day(s->now);
    for (uint32_t j = 0; j < k; j++) {
        struct app *a = &s->apps[s->sealed[j]];
        struct jy_custody_scan_result r;
        s->rep->use_cases++;
        if (jy_custody_scan(s->svc, &s->logistics, JY_CUSTODY_BATCH, h.reference, a->waybill, &r,
                            &d) != JY_OK)
            return failed(s, "the mail centre's scan of", a, &d, err);
        if (strcmp(r.outcome, "expected") != 0 || strcmp(r.state, "shipped") != 0)
            return jy_error_set(err, JY_INTERNAL, "scan_mismatch", NULL,
                                "the mail centre's scan of %s in batch %s: %s, %s", a->number,
                                h.reference, r.outcome, r.state);
        set_state(s, a, S_SHIPPED);
        int32_t arrive = day + (jy_rng_uniform(&s->carrier) < NEXT_DAY_RATE ? 1 : 2);
        int secs = HM(9, 0) + (int)jy_rng_below(&s->carrier, 10 * 3600);
        if ((e = schedule(s, at_local(arrive, secs), EV_DELIVER, s->sealed[j], err)) != JY_OK)
            return e;
    }
    s->rep->use_cases++;
    if (jy_custody_reception_close(s->svc, &s->logistics, JY_CUSTODY_BATCH, h.reference, &h, &d) !=
        JY_OK)
        return failed(s, "closing the hand-over of the dispatch batch", NULL, &d, err);
    s->rep->envelopes += k;
    today(s)->shipped += k;
    memmove(s->sealed, s->sealed + k, (s->n_sealed - k) * sizeof(*s->sealed));
    s->n_sealed -= k;
    return JY_OK;
}

static enum jy_err deliver(struct sim *s, uint32_t i, struct jy_error *err)
{
    struct app *a = &s->apps[i];
    char at[JY_TIMESTAMP_TEXT_SIZE], before[JY_TIMESTAMP_TEXT_SIZE];
    jy_timestamp_format(s->now, at);
    jy_timestamp_format(s->now - 3600, before);
    enum jy_err e;
    if (a->flags & F_FAIL) {
        a->flags &= (uint8_t)~F_FAIL;
        struct jy_shipment_event ev = {a->waybill, "delivery_failed", at, "武汉投递部"};
        if ((e = feed(s, &ev, 1, a, err)) != JY_OK)
            return e;
        set_state(s, a, S_FAILED);
        int32_t day = local_day(s->now) + 1;
        int secs = HM(9, 0) + (int)jy_rng_below(&s->carrier, 10 * 3600);
        return schedule(s, at_local(day, secs), EV_DELIVER, i, err);
    }
    if (a->state == S_FAILED) {
        struct jy_shipment_event ev[2] = {{a->waybill, "shipped", before, "武汉投递部"},
                                          {a->waybill, "delivered", at, "武汉投递部"}};
        if ((e = feed(s, ev, 2, a, err)) != JY_OK)
            return e;
    } else {
        struct jy_shipment_event ev = {a->waybill, "delivered", at, "武汉投递部"};
        if ((e = feed(s, &ev, 1, a, err)) != JY_OK)
            return e;
    }
    finish(s, a, S_DELIVERED);
    return JY_OK;
}

/* ---- the day ---- */

static void snapshot(struct sim *s, int32_t day)
{
    int i = day - s->day0;
    if (i < 0 || i >= s->rep->n_days)
        return;
    struct day_stats *d = &s->rep->days[i];
    for (int st = 0; st < JY__STATION_COUNT; st++)
        d->backlog[st] = s->at_station[st];
    d->correction = s->in_correction;
    d->waiting_paper = s->waiting_paper;
}

static enum jy_err new_day(struct sim *s, int32_t day, struct jy_error *err)
{
    if (day > s->day0)
        snapshot(s, day - 1);
    if (day - s->day0 >= s->rep->n_days)
        return JY_OK;
    struct day_stats *d = &s->rep->days[day - s->day0];
    d->day = day;
    d->working = is_working(s, day);
    enum jy_err e = arrivals(s, day, err);
    if (e == JY_OK)
        e = schedule(s, at_local(day, BAG_CUTOFF), EV_BAGS, 0, err);
    if (e == JY_OK && d->working) {
        for (int st = 0; st < JY__STATION_COUNT; st++)
            d->avail[st] = (double)s->cfg->operators[st] * SHIFT_SECONDS;
        if ((e = schedule(s, at_local(day, VAN_ARRIVES), EV_VAN, 0, err)) != JY_OK ||
            (e = schedule(s, at_local(day, shifts[0][0]), EV_SHIFT, 0, err)) != JY_OK ||
            (e = schedule(s, at_local(day, shifts[1][0]), EV_SHIFT, 0, err)) != JY_OK ||
            (e = schedule(s, at_local(day, DISPATCH_AT), EV_DISPATCH, 0, err)) != JY_OK)
            return e;
    }
    if (e == JY_OK)
        e = schedule(s, at_local(day + 1, 0), EV_DAY, 0, err);
    return e;
}

/* 17:30, every day: each branch with files in no bag closes its bag (its clerk, at the
 * branch's cut-off); the bag waits for the next working day's van. */
static enum jy_err bags(struct sim *s, struct jy_error *err)
{
    for (int b = 0; b < s->n_branches; b++) {
        struct ivec *u = &s->unbagged[b];
        if (u->n == 0)
            continue;
        struct jy_store_handover h;
        struct jy_error d;
        s->dirty = true;
        s->rep->use_cases++;
        enum jy_err e = jy_custody_bag_close(s->svc, &s->clerks[b], &h, &d);
        if (e == JY_UNPROCESSABLE && strcmp(d.reason, "bag_empty") == 0)
            continue; /* all accepted after the cut-off: tomorrow's bag */
        if (e != JY_OK)
            return failed(s, "closing the bag of a branch", NULL, &d, err);
        uint32_t k = 0;
        while (k < u->n && s->apps[u->v[k]].accepted_at < h.covers_until)
            k++;
        if (k != h.item_count)
            return jy_error_set(err, JY_INTERNAL, "bag_mismatch", NULL,
                                "bag %s holds %lld files; the simulator accepted %u before %lld",
                                h.reference, (long long)h.item_count, k, (long long)h.covers_until);
        if (s->n_transit == s->cap_transit) {
            uint32_t cap = s->cap_transit ? s->cap_transit * 2 : 256;
            struct bag *p = realloc(s->transit, cap * sizeof(*p));
            if (!p)
                return nomem(err);
            s->transit = p;
            s->cap_transit = cap;
        }
        struct bag *g = &s->transit[s->n_transit];
        memset(g, 0, sizeof(*g));
        jy_strlcpy(g->seal, h.reference, sizeof(g->seal));
        for (uint32_t j = 0; j < k; j++)
            if (!ivec_push(&g->items, u->v[j])) {
                free(g->items.v);
                return nomem(err);
            }
        s->n_transit++;
        ivec_drop(u, k);
        s->rep->bags++;
    }
    return JY_OK;
}

/* 08:15 on working days: the van brings every bag closed since; logistics opens each, scans
 * every file in and closes its reception. A file already waiting at archive joins its queue. */
static enum jy_err van(struct sim *s, struct jy_error *err)
{
    for (uint32_t g = 0; g < s->n_transit; g++) {
        struct bag *bag = &s->transit[g];
        struct jy_store_handover h;
        struct jy_error d;
        s->dirty = true;
        s->rep->use_cases++;
        if (jy_custody_reception_open(s->svc, &s->logistics, bag->seal, &h, &d) != JY_OK)
            return failed(s, "opening the reception of a bag", NULL, &d, err);
        for (uint32_t j = 0; j < bag->items.n; j++) {
            uint32_t i = bag->items.v[j];
            struct app *a = &s->apps[i];
            struct jy_custody_scan_result r;
            s->rep->use_cases++;
            if (jy_custody_scan(s->svc, &s->logistics, JY_CUSTODY_BAG, bag->seal, a->number, &r,
                                &d) != JY_OK)
                return failed(s, "the reception's scan of", a, &d, err);
            if (strcmp(r.outcome, "expected") != 0)
                return jy_error_set(err, JY_INTERNAL, "scan_mismatch", NULL,
                                    "the reception's scan of %s in bag %s: %s", a->number,
                                    bag->seal, r.outcome);
            a->flags |= F_PAPER;
            if (a->flags & F_WAIT) {
                a->flags &= (uint8_t)~F_WAIT;
                s->waiting_paper--;
                enum jy_err e = enqueue(s, i, err);
                if (e != JY_OK)
                    return e;
            }
        }
        s->rep->use_cases++;
        if (jy_custody_reception_close(s->svc, &s->logistics, JY_CUSTODY_BAG, bag->seal, &h, &d) !=
            JY_OK)
            return failed(s, "closing the reception of a bag", NULL, &d, err);
        if (h.open_discrepancies != 0)
            return jy_error_set(err, JY_INTERNAL, "bag_discrepancy", NULL,
                                "the reception of bag %s found %lld discrepancies", bag->seal,
                                (long long)h.open_discrepancies);
        s->rep->files_received += bag->items.n;
        free(bag->items.v);
    }
    s->n_transit = 0;
    return JY_OK;
}

static enum jy_err event(struct sim *s, const struct jy_heap_item *it, struct jy_error *err)
{
    switch ((enum ev_kind)it->a) {
    case EV_DAY:
        return new_day(s, local_day(s->now), err);
    case EV_INTAKE:
        return intake(s, it->b, err);
    case EV_SHIFT:
        for (int k = 0; k < s->n_ops; k++) {
            enum jy_err e = try_work(s, (uint32_t)k, err);
            if (e != JY_OK)
                return e;
        }
        return JY_OK;
    case EV_OP_FREE:
        return try_work(s, it->b, err);
    case EV_OP_DONE:
        return op_done(s, it->b, err);
    case EV_BAGS:
        return bags(s, err);
    case EV_VAN:
        return van(s, err);
    case EV_DISPATCH:
        return dispatch(s, err);
    case EV_RESUBMIT:
        return resubmit(s, it->b, err);
    case EV_DELIVER:
        return deliver(s, it->b, err);
    }
    return jy_error_set(err, JY_INTERNAL, NULL, NULL, "unknown event");
}

static enum jy_err setup(struct sim *s, struct jy_error *err)
{
    const struct jy_sim_config *cfg = s->cfg;
    const struct jy_calendar *cal = jy_service_calendar(s->svc);
    enum jy_err e;
    s->day0 = (int32_t)jy_date_to_days(cfg->start);
    s->n_span = cfg->days + DAYS_AFTER;
    s->working = calloc((size_t)s->n_span, sizeof(*s->working));
    s->cum = calloc((size_t)s->n_span, sizeof(*s->cum));
    if (!s->working || !s->cum)
        return nomem(err);
    for (int i = 0; i < s->n_span; i++) {
        if ((e = jy_calendar_is_working_day(cal, jy_date_from_days(s->day0 + i), &s->working[i],
                                            err)) != JY_OK)
            return e;
        s->cum[i] = (i ? s->cum[i - 1] : 0) + (s->working[i] ? 1 : 0);
    }
    const struct jy_catalog *cat = jy_service_catalog(s->svc);
    double c = 0;
    for (size_t i = 0; i < MIX_N; i++) {
        s->types[i] = jy_catalog_find(cat, mix[i].code, strlen(mix[i].code));
        if (!s->types[i] || s->types[i]->route_len == 0)
            return jy_error_set(err, JY_INTERNAL, "unknown_business_type", NULL,
                                "the catalog has no routed business type %s", mix[i].code);
        c += mix[i].weight;
        s->mix_cum[i] = c;
    }
    if ((e = jy_service_conn(s->svc, &s->conn, err)) != JY_OK)
        return e;
    /* Branches and their clerks. */
    s->clerks = calloc(999, sizeof(*s->clerks));
    s->unbagged = calloc(999, sizeof(*s->unbagged));
    s->branch_rate = calloc(999, sizeof(*s->branch_rate));
    s->branch_counters = calloc(999, sizeof(*s->branch_counters));
    if (!s->clerks || !s->unbagged || !s->branch_rate || !s->branch_counters)
        return nomem(err);
    for (int b = 0; b < 999; b++) {
        char name[8];
        snprintf(name, sizeof(name), "wh%03d", b + 1);
        struct jy_error local;
        if (jy_auth_actor_of(s->conn, name, &s->clerks[b], &local) != JY_OK)
            break;
        s->n_branches = b + 1;
    }
    if (s->n_branches == 0)
        return jy_error_set(err, JY_NOT_FOUND, "no_branches", NULL,
                            "the database has no branch clerks wh001…: prepare the city first");
    double total = 0;
    for (int b = 0; b < s->n_branches; b++) {
        s->branch_rate[b] = jy_rng_lognormal(&s->demand, 1.0, BRANCH_SIZE_CV);
        total += s->branch_rate[b];
    }
    for (int b = 0; b < s->n_branches; b++) {
        double share = s->branch_rate[b] / total;
        s->branch_rate[b] = share * cfg->rate;
        s->branch_counters[b] = share * s->n_branches > 1.0 ? 2 : 1;
    }
    /* Operators. */
    for (int st = 0; st < JY__STATION_COUNT; st++)
        s->n_ops += cfg->operators[st];
    s->ops = calloc((size_t)s->n_ops, sizeof(*s->ops));
    if (!s->ops)
        return nomem(err);
    int k = 0;
    for (int st = 0; st < JY__STATION_COUNT; st++) {
        s->idle[st] = calloc((size_t)cfg->operators[st], sizeof(*s->idle[st]));
        if (!s->idle[st])
            return nomem(err);
        for (int j = 1; j <= cfg->operators[st]; j++, k++) {
            char name[40];
            op_username((enum jy_station)st, j, name, sizeof(name));
            s->ops[k].station = (uint8_t)st;
            if ((e = jy_auth_actor_of(s->conn, name, &s->ops[k].actor, err)) != JY_OK)
                return e;
        }
    }
    for (k = 0; k < s->n_ops && !s->dispatcher; k++)
        if (s->ops[k].station == JY_STATION_DISPATCH)
            s->dispatcher = &s->ops[k].actor;
    if ((e = jy_auth_actor_of(s->conn, "police", &s->police, err)) != JY_OK ||
        (e = jy_auth_actor_of(s->conn, "logistics", &s->logistics, err)) != JY_OK)
        return e;
    s->appbuf = malloc(sizeof(*s->appbuf));
    return s->appbuf ? JY_OK : nomem(err);
}

static void teardown(struct sim *s)
{
    free(s->working);
    free(s->cum);
    free(s->clerks);
    free(s->branch_rate);
    free(s->branch_counters);
    free(s->ops);
    for (int st = 0; st < JY__STATION_COUNT; st++) {
        free(s->idle[st]);
        jy_heap_free(&s->queue[st]);
    }
    for (int b = 0; s->unbagged && b < s->n_branches; b++)
        free(s->unbagged[b].v);
    free(s->unbagged);
    for (uint32_t g = 0; g < s->n_transit; g++)
        free(s->transit[g].items.v);
    free(s->transit);
    jy_heap_free(&s->events);
    free(s->apps);
    free(s->sealed);
    free(s->appbuf);
}

static double monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum jy_err jy_sim_run(struct jy_service *svc, const struct jy_sim_config *cfg,
                       struct jy_sim_report **ret, struct jy_error *err)
{
    if (cfg->days < 1 || cfg->days > JY_SIM_MAX_DAYS || cfg->rate < 1 ||
        cfg->rate > JY_SIM_MAX_RATE || cfg->commit_minutes < 1 || cfg->commit_minutes > 1440)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL,
                            "days, rate or commit interval out of range");
    double t0 = monotonic();
    struct sim s;
    memset(&s, 0, sizeof(s));
    s.svc = svc;
    s.cfg = cfg;
    /* Each stream from the seed and its own number (splitmix64 spreads nearby seeds apart). */
    jy_rng_seed(&s.demand, cfg->seed * 16 + 1);
    for (int st = 0; st < JY__STATION_COUNT; st++)
        jy_rng_seed(&s.service[st], cfg->seed * 16 + 2 + (uint64_t)st);
    jy_rng_seed(&s.other, cfg->seed * 16 + 9);
    jy_rng_seed(&s.carrier, cfg->seed * 16 + 10);
    struct jy_sim_report *rep = calloc(1, sizeof(*rep));
    if (!rep)
        return nomem(err);
    rep->cfg = *cfg;
    rep->n_days = cfg->days;
    rep->days = calloc((size_t)cfg->days, sizeof(*rep->days));
    s.rep = rep;
    enum jy_err e = rep->days ? setup(&s, err) : nomem(err);
    if (e == JY_OK)
        e = schedule(&s, at_local(s.day0, 0), EV_DAY, 0, err);
    int64_t end = at_local(s.day0 + cfg->days, 0);
    int64_t minute = -1, period = 60 * (int64_t)cfg->commit_minutes;
    /* Simulated data: commits need not wait for the disk (restored at the end). */
    if (e == JY_OK)
        e = jy_store_conn_set_bulk(s.conn, true, err);
    if (e == JY_OK)
        e = jy_store_batch_begin(s.conn, err);
    struct jy_heap_item it;
    while (e == JY_OK && jy_heap_pop(&s.events, &it)) {
        if (it.k1 >= end)
            break;
        if (it.k1 / period != minute) {
            if (s.dirty) {
                if ((e = jy_store_batch_commit(s.conn, err)) != JY_OK ||
                    (e = jy_store_batch_begin(s.conn, err)) != JY_OK)
                    break;
                rep->commits++;
                s.dirty = false;
            }
            minute = it.k1 / period;
        }
        s.now = it.k1;
        jy_service_set_clock(svc, s.now);
        e = event(&s, &it, err);
    }
    if (e == JY_OK) {
        s.now = end - 1;
        jy_service_set_clock(svc, s.now);
        snapshot(&s, s.day0 + cfg->days - 1);
        if ((e = jy_store_batch_commit(s.conn, err)) == JY_OK)
            rep->commits++;
    } else if (s.conn && jy_store_in_batch(s.conn)) {
        struct jy_error ignored;
        if (jy_store_batch_commit(s.conn, &ignored) != JY_OK)
            jy_store_batch_rollback(s.conn);
    }
    if (s.conn) {
        struct jy_error ignored;
        jy_store_conn_set_bulk(s.conn, false, &ignored);
    }
    /* What never reached the counter's computer is not part of the city's figures. */
    rep->states[S_PENDING] = 0;
    int32_t last = s.day0 + cfg->days - 1;
    for (uint32_t i = 0; e == JY_OK && i < s.n_apps; i++) {
        const struct app *a = &s.apps[i];
        if (a->state == S_PENDING)
            continue;
        /* Still open when its due day is over (in correction the applicant has the file, and
         * the centre's clock stops). */
        if (a->state != S_DELIVERED && a->state != S_COMPLETED && a->state != S_REFUSED &&
            a->state != S_CORRECTION && a->due_day <= last)
            rep->open_overdue++;
    }
    for (int d = 0; d < rep->n_days; d++) {
        struct day_stats *x = &rep->days[d], *t = &rep->total;
        t->accepted += x->accepted;
        t->completed += x->completed;
        t->refused += x->refused;
        t->returned += x->returned;
        t->shipped += x->shipped;
        t->sla_met += x->sla_met;
        t->sla_counted += x->sla_counted;
        for (int h = 0; h < HIST_MAX; h++)
            t->hist[h] += x->hist[h];
        for (int st = 0; st < JY__STATION_COUNT; st++) {
            t->busy[st] += x->busy[st];
            t->avail[st] += x->avail[st];
        }
    }
    if (rep->n_days > 0) {
        memcpy(rep->total.backlog, rep->days[rep->n_days - 1].backlog, sizeof(rep->total.backlog));
        rep->total.correction = rep->days[rep->n_days - 1].correction;
        rep->total.waiting_paper = rep->days[rep->n_days - 1].waiting_paper;
    }
    teardown(&s);
    rep->seconds = monotonic() - t0;
    if (e != JY_OK) {
        jy_sim_report_free(rep);
        return e;
    }
    *ret = rep;
    return JY_OK;
}

void jy_sim_report_free(struct jy_sim_report *r)
{
    if (!r)
        return;
    free(r->days);
    free(r);
}

/* ---- figures ---- */

static double pct(double num, double den)
{
    return den > 0 ? round(num / den * 1000.0) / 10.0 : 0.0;
}

/* The q-quantile (0 < q < 1) of the histogram, in working days; -1 when empty. */
static int quantile(const uint32_t hist[HIST_MAX], double q)
{
    uint64_t n = 0;
    for (int h = 0; h < HIST_MAX; h++)
        n += hist[h];
    if (n == 0)
        return -1;
    uint64_t rank = (uint64_t)ceil(q * (double)n), seen = 0;
    if (rank < 1)
        rank = 1;
    for (int h = 0; h < HIST_MAX; h++) {
        seen += hist[h];
        if (seen >= rank)
            return h;
    }
    return HIST_MAX - 1;
}

static int bottleneck(const struct day_stats *d)
{
    int best = -1;
    double u = -1;
    for (int st = 0; st < JY__STATION_COUNT; st++) {
        double x = d->avail[st] > 0 ? d->busy[st] / d->avail[st] : 0;
        if (d->avail[st] > 0 &&
            (x > u || (x == u && best >= 0 && d->backlog[st] > d->backlog[best]))) {
            u = x;
            best = st;
        }
    }
    return best;
}

static json_t *stations_json(const double *v)
{
    json_t *o = json_object();
    for (int st = 0; o && st < JY__STATION_COUNT; st++)
        json_object_set_new(o, jy_station_code((enum jy_station)st), json_real(v[st]));
    return o;
}

static json_t *backlog_json(const struct day_stats *d)
{
    json_t *o = json_object();
    for (int st = 0; o && st < JY__STATION_COUNT; st++)
        json_object_set_new(o, jy_station_code((enum jy_station)st), json_integer(d->backlog[st]));
    if (o) {
        json_object_set_new(o, "correction", json_integer(d->correction));
        json_object_set_new(o, "archive_waiting_paper", json_integer(d->waiting_paper));
    }
    return o;
}

static json_t *quantile_json(const uint32_t hist[HIST_MAX], double q)
{
    int v = quantile(hist, q);
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *day_json(const struct day_stats *d, bool overall, uint32_t extra_missed)
{
    double util[JY__STATION_COUNT];
    for (int st = 0; st < JY__STATION_COUNT; st++)
        util[st] = pct(d->busy[st], d->avail[st]);
    int b = bottleneck(d);
    json_t *o = json_pack(
        "{s:i, s:i, s:i, s:i, s:o, s:o, s:i, s:i, s:o, s:o, s:o, s:o}", "accepted",
        (json_int_t)d->accepted, "completed", (json_int_t)d->completed, "refused",
        (json_int_t)d->refused, "returned", (json_int_t)d->returned, "backlog", backlog_json(d),
        "sla_met_pct",
        d->sla_counted + extra_missed
            ? json_real(pct(d->sla_met, (double)d->sla_counted + extra_missed))
            : json_null(),
        "sla_met", (json_int_t)d->sla_met, "sla_counted",
        (json_int_t)(d->sla_counted + extra_missed), "turnaround_p50", quantile_json(d->hist, 0.5),
        "turnaround_p90", quantile_json(d->hist, 0.9), "utilisation_pct", stations_json(util),
        "bottleneck", b >= 0 ? json_string(jy_station_code((enum jy_station)b)) : json_null());
    if (o && !overall) {
        char date[JY_DATE_TEXT_SIZE];
        json_object_set_new(o, "date",
                            json_string(jy_date_format(jy_date_from_days(d->day), date)));
        json_object_set_new(o, "working_day", json_boolean(d->working));
        json_object_set_new(o, "shipped", json_integer(d->shipped));
    }
    return o;
}

json_t *jy_sim_report_json(const struct jy_sim_report *r)
{
    char date[JY_DATE_TEXT_SIZE];
    json_t *ops = json_object(), *days = json_array(), *states = json_object();
    for (int st = 0; ops && st < JY__STATION_COUNT; st++)
        json_object_set_new(ops, jy_station_code((enum jy_station)st),
                            json_integer(r->cfg.operators[st]));
    for (int d = 0; days && d < r->n_days; d++)
        json_array_append_new(days, day_json(&r->days[d], false, 0));
    for (int st = 1; states && st < S__COUNT; st++)
        json_object_set_new(states, state_codes[st], json_integer(r->states[st]));
    json_t *overall = day_json(&r->total, true, r->open_overdue);
    if (overall) {
        json_object_set_new(overall, "states", states);
        json_object_set_new(overall, "open_overdue", json_integer(r->open_overdue));
        json_object_set_new(overall, "shipped", json_integer(r->total.shipped));
        json_object_set_new(overall, "custody",
                            json_pack("{s:I, s:I, s:I, s:I}", "bags", (json_int_t)r->bags,
                                      "files_received", (json_int_t)r->files_received, "batches",
                                      (json_int_t)r->batches, "envelopes_handed_over",
                                      (json_int_t)r->envelopes));
    } else {
        json_decref(states);
    }
    double secs = round(r->seconds * 100.0) / 100.0;
    return json_pack(
        "{s:{s:s, s:i, s:I, s:i, s:o}, s:o, s:o, s:{s:f, s:I, s:I, s:f}}", "config", "start",
        jy_date_format(r->cfg.start, date), "days", r->cfg.days, "seed", (json_int_t)r->cfg.seed,
        "rate", r->cfg.rate, "operators", ops, "days", days, "overall", overall, "run", "seconds",
        secs, "use_cases", (json_int_t)r->use_cases, "commits", (json_int_t)r->commits,
        "applications_per_second", r->seconds > 0 ? round(r->total.accepted / r->seconds) : 0.0);
}

static void print_quantile(FILE *out, const uint32_t hist[HIST_MAX], double q)
{
    int v = quantile(hist, q);
    if (v < 0)
        fprintf(out, " %5s", "-");
    else
        fprintf(out, " %5d", v);
}

void jy_sim_report_print(const struct jy_sim_report *r, FILE *out)
{
    static const char *const zh[JY__STATION_COUNT] = {"审核", "审批", "打印",
                                                      "制证", "档案", "封发"};
    char date[JY_DATE_TEXT_SIZE];
    fprintf(out, "城市模拟 City simulation: %s, %d 天 days, 种子 seed %llu, %d 件/天 a day\n",
            jy_date_format(r->cfg.start, date), r->cfg.days, (unsigned long long)r->cfg.seed,
            r->cfg.rate);
    fprintf(out, "操作员 Operators:");
    for (int st = 0; st < JY__STATION_COUNT; st++)
        fprintf(out, " %s %s=%d", zh[st], jy_station_code((enum jy_station)st),
                r->cfg.operators[st]);
    fprintf(out, "\n\n");
    fprintf(out,
            "日期        工作日 受理     办结     不予  补正 | 积压 Backlog: 审核   审批   打印   "
            "制证   档案   封发   补正 | 按期%%  P50   P90 | 瓶颈 Bottleneck\n");
    fprintf(out, "Date        Work  Accepted Completed Refused Ret | review approval print "
                 "production archive dispatch corr | SLA%%  (working days) |\n");
    for (int d = 0; d < r->n_days; d++) {
        const struct day_stats *x = &r->days[d];
        fprintf(out, "%-11s %-5s %8u %8u %5u %5u |",
                jy_date_format(jy_date_from_days(x->day), date), x->working ? "yes" : "rest",
                x->accepted, x->completed, x->refused, x->returned);
        for (int st = 0; st < JY__STATION_COUNT; st++)
            fprintf(out, " %6u", x->backlog[st]);
        if (x->sla_counted)
            fprintf(out, " %6u | %5.1f", x->correction, pct(x->sla_met, x->sla_counted));
        else
            fprintf(out, " %6u | %5s", x->correction, "-");
        print_quantile(out, x->hist, 0.5);
        print_quantile(out, x->hist, 0.9);
        int b = bottleneck(x);
        if (b >= 0)
            fprintf(out, " | %s %s %.1f%%\n", zh[b], jy_station_code((enum jy_station)b),
                    pct(x->busy[b], x->avail[b]));
        else
            fprintf(out, " | -\n");
    }
    const struct day_stats *t = &r->total;
    fprintf(out, "\n总计 Overall\n");
    fprintf(out, "  受理 Accepted           %u\n", t->accepted);
    fprintf(out, "  办结 Completed          %u (送达 delivered %u, 办结 closed %u)\n", t->completed,
            r->states[S_DELIVERED], r->states[S_COMPLETED]);
    fprintf(out, "  不予受理 Refused         %u\n", t->refused);
    fprintf(out, "  退回补正 Returned        %u\n", t->returned);
    fprintf(out, "  按期率 SLA met          %.1f%% (%u of %u: finished, and open past due)\n",
            pct(t->sla_met, (double)t->sla_counted + r->open_overdue), t->sla_met,
            t->sla_counted + r->open_overdue);
    fprintf(out, "  办理时长 Turnaround      P50");
    print_quantile(out, t->hist, 0.5);
    fprintf(out, "  P90");
    print_quantile(out, t->hist, 0.9);
    fprintf(out, " 工作日 working days\n");
    fprintf(out,
            "  交接 Custody            %llu 个邮袋 bags, %llu 份档案入中心 files received; %llu "
            "个出口批次 "
            "dispatch batches, %llu 件交邮 envelopes handed over\n",
            (unsigned long long)r->bags, (unsigned long long)r->files_received,
            (unsigned long long)r->batches, (unsigned long long)r->envelopes);
    fprintf(out, "  状态 States            ");
    for (int st = 1; st < S__COUNT; st++)
        fprintf(out, " %s=%u", state_codes[st], r->states[st]);
    fprintf(out,
            "\n\n  岗位 Station       操作员 Ops  办理 Done  利用率 Utilisation  积压 Backlog\n");
    for (int st = 0; st < JY__STATION_COUNT; st++) {
        fprintf(out, "  %s %-12s %9d %10u %18.1f%% %13u", zh[st],
                jy_station_code((enum jy_station)st), r->cfg.operators[st], r->done_at[st],
                pct(t->busy[st], t->avail[st]), t->backlog[st]);
        if (st == JY_STATION_ARCHIVE && t->waiting_paper)
            fprintf(out, "  (其中 %u 件待纸质档案 waiting for the paper file)", t->waiting_paper);
        fputc('\n', out);
    }
    int b = bottleneck(t);
    if (b >= 0)
        fprintf(out, "\n  瓶颈 Bottleneck: %s %s (%.1f%%)\n", zh[b],
                jy_station_code((enum jy_station)b), pct(t->busy[b], t->avail[b]));
    fprintf(out,
            "\n运行 Run: %.2f s, %llu 次用例 use cases, %llu 次提交 commits, %.0f 件/秒 "
            "applications a second (目标 target: 一城一年 a city-year ≤ 60 s)\n",
            r->seconds, (unsigned long long)r->use_cases, (unsigned long long)r->commits,
            r->seconds > 0 ? t->accepted / r->seconds : 0.0);
}
