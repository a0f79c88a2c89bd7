/*
 * dashboard.c — the summary report, the day's text report, nearest branches and coverage: see
 * dashboard.h.
 *
 * The summary is one pass over the period's rows (store/figures.h) into groups found by their
 * key in an open-addressing table; turnarounds go into a histogram per group (working days are
 * small integers), from which the percentiles are read. Working days come from a prefix count
 * over the days of the period and after it, so each row costs two array reads, not a walk of
 * the calendar.
 */
#include "dashboard.h"
#include "csvbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/geo.h"
#include "core/reasons.h"
#include "service/receipts.h"
#include "store/figures.h"
#include "store/users.h"
#include "limits.h"
#include "../banned.h"

/* Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
#define SHANGHAI_OFFSET_S (8 * 3600)

static const char *const group_codes[JY__REPORT_BY_COUNT] = {
    "branch", "district", "type", "station", "day", "hour", "clerk", "operator", "reason",
};

const char *jy_report_group_code(enum jy_report_group g)
{
    return (unsigned)g < JY__REPORT_BY_COUNT ? group_codes[g] : "unknown";
}

static bool is_work_group(enum jy_report_group g)
{
    return g == JY_REPORT_BY_STATION || g == JY_REPORT_BY_OPERATOR || g == JY_REPORT_BY_REASON;
}

static bool may_read(const struct jy_actor *actor, struct jy_error *err)
{
    if (actor->role == JY_ROLE_MANAGER || actor->role == JY_ROLE_SUPERVISOR ||
        actor->role == JY_ROLE_ADMIN)
        return true;
    jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                 "only managers, supervisors and admins read the reports");
    return false;
}

static bool parse_date(const char *s, const char *field, struct jy_date *ret, struct jy_error *err)
{
    struct jy_error ignored;
    if (strlen(s) != 10 || jy_date_parse(s, 10, ret, &ignored) != JY_OK) {
        jy_error_set(err, JY_INVALID, "invalid_date", field,
                     "%s must be a calendar date YYYY-MM-DD", field);
        return false;
    }
    return true;
}

enum jy_err jy_report_period_parse(struct jy_service *svc, const char *from, const char *to,
                                   const char *group_by, struct jy_report_period *ret,
                                   struct jy_error *err)
{
    struct jy_report_period p;
    p.to = jy_date_from_unix_shanghai(jy_service_now(svc));
    if (to && !parse_date(to, "to", &p.to, err))
        return err->code;
    p.from = p.to;
    if (from && !parse_date(from, "from", &p.from, err))
        return err->code;
    if (jy_date_compare(p.to, p.from) < 0)
        return jy_error_set(err, JY_INVALID, "bad_period", "to", "to is before from");
    if (jy_date_to_days(p.to) - jy_date_to_days(p.from) + 1 > JY_REPORT_MAX_DAYS)
        return jy_error_set(err, JY_INVALID, "period_too_long", "from",
                            "a period is at most %d days", JY_REPORT_MAX_DAYS);
    p.group = JY_REPORT_BY_BRANCH;
    if (group_by) {
        int g = 0;
        while (g < JY__REPORT_BY_COUNT && strcmp(group_codes[g], group_by) != 0)
            g++;
        if (g == JY__REPORT_BY_COUNT)
            return jy_error_set(err, JY_INVALID, "bad_parameter", "group_by",
                                "group_by is branch, district, type, station, day, hour, clerk, "
                                "operator or reason");
        p.group = (enum jy_report_group)g;
    }
    *ret = p;
    return JY_OK;
}

/* ---- groups ---- */

#define HIST_LEN (JY_REPORT_TURNAROUND_MAX_DAYS + 1)

struct figures {
    int64_t accepted, completed, refused, cancelled, returned, corrections;
    int64_t sla_met, sla_missed, overdue, due_today;
    int64_t turnaround_n;
    uint32_t *hist; /* HIST_LEN counts, or NULL while none */
    /* work */
    int64_t done, sent_back, refusals;
    /* backlog (station) */
    bool has_backlog;
    int64_t waiting, leased, b_overdue, b_due_today, oldest_accepted_at;
    /* fines collected (payments in force, by settlement day) */
    int64_t fines_count, fines_fine_fen, fines_surcharge_fen, fines_amount_fen;
};

struct group {
    char key[64];
    int64_t id; /* branch, clerk or operator id when the key is one; else 0 */
    struct figures f;
};

struct summary {
    struct jy_service *svc;
    struct jy_store_conn *conn;
    enum jy_report_group by;
    struct jy_date today;
    char today_text[JY_DATE_TEXT_SIZE];
    int64_t now;
    struct group *groups;
    size_t n, cap;
    int32_t *slots; /* open addressing: index + 1, 0 empty */
    size_t n_slots;
    /* The rows' numeric keys (branch or clerk id, day, hour, packed type code) → the group
     * they were found in, so that a row costs no formatting or string hashing. */
    int64_t *ikeys;
    int32_t *ivals; /* index + 1, 0 empty */
    int64_t today_day;
    struct figures total;
    /* branches by id, for branch and district keys */
    struct jy_store_branch *branches;
    size_t n_branches, cap_branches;
    /* working days: wd[i] = working days in (base, base + i]; bad[i] = unknown days there */
    int64_t base_day;
    int32_t *wd, *bad;
    size_t n_days;
    bool nomem, too_many;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The group of `key`, made when new; NULL on overflow or out of memory (flagged). */
static struct group *group_of(struct summary *s, const char *key, int64_t id)
{
    size_t mask = s->n_slots - 1;
    for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
        int32_t slot = s->slots[i];
        if (slot == 0) {
            if (s->n == JY_REPORT_MAX_GROUPS) {
                s->too_many = true;
                return NULL;
            }
            if (s->n == s->cap) {
                size_t ncap = s->cap ? s->cap * 2 : 64;
                struct group *g = realloc(s->groups, ncap * sizeof(*g));
                if (!g) {
                    s->nomem = true;
                    return NULL;
                }
                s->groups = g;
                s->cap = ncap;
            }
            struct group *g = &s->groups[s->n];
            memset(g, 0, sizeof(*g));
            jy_strlcpy(g->key, key, sizeof(g->key));
            g->id = id;
            s->slots[i] = (int32_t)(++s->n);
            return g;
        }
        if (strcmp(s->groups[slot - 1].key, key) == 0)
            return &s->groups[slot - 1];
    }
}

/* The group cached for numeric key `ik`, or NULL. */
static struct group *cached(struct summary *s, int64_t ik, size_t *ret_slot)
{
    size_t mask = s->n_slots - 1;
    size_t i = (size_t)((uint64_t)ik * 0x9e3779b97f4a7c15u >> 17) & mask;
    for (;; i = (i + 1) & mask) {
        if (s->ivals[i] == 0) {
            *ret_slot = i;
            return NULL;
        }
        if (s->ikeys[i] == ik)
            return &s->groups[s->ivals[i] - 1];
    }
}

/* "YYYY-MM-DD" as a day number; -1 when it is not one. */
static int64_t day_of(const char *t)
{
    int v[8];
    static const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (strlen(t) != 10)
        return -1;
    for (int i = 0; i < 8; i++) {
        if (t[pos[i]] < '0' || t[pos[i]] > '9')
            return -1;
        v[i] = t[pos[i]] - '0';
    }
    struct jy_date d = {v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5],
                        v[6] * 10 + v[7]};
    return jy_date_to_days(d);
}

static bool add_branch(void *ctx, const struct jy_store_branch *b)
{
    struct summary *s = ctx;
    if (s->n_branches == s->cap_branches) {
        size_t ncap = s->cap_branches ? s->cap_branches * 2 : 256;
        struct jy_store_branch *g = realloc(s->branches, ncap * sizeof(*g));
        if (!g) {
            s->nomem = true;
            return false;
        }
        s->branches = g;
        s->cap_branches = ncap;
    }
    s->branches[s->n_branches++] = *b;
    return true;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct jy_store_branch *)a)->id,
            y = ((const struct jy_store_branch *)b)->id;
    return (x > y) - (x < y);
}

static const struct jy_store_branch *branch_by_id(const struct summary *s, int64_t id)
{
    size_t lo = 0, hi = s->n_branches;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->branches[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_branches && s->branches[lo].id == id ? &s->branches[lo] : NULL;
}

/* Working days in (a, b] (day numbers), or -1 when unknown. */
static int working_days(const struct summary *s, int64_t a, int64_t b)
{
    if (a < s->base_day || b < a || b - s->base_day >= (int64_t)s->n_days)
        return -1;
    size_t i = (size_t)(a - s->base_day), j = (size_t)(b - s->base_day);
    if (s->bad[j] - s->bad[i] > 0)
        return -1;
    return s->wd[j] - s->wd[i];
}

static bool build_days(struct summary *s, struct jy_date from)
{
    s->base_day = jy_date_to_days(from);
    int64_t last = jy_date_to_days(s->today) + 1;
    if (last < s->base_day)
        last = s->base_day;
    /* Turnarounds are counted only within ten years of the period's start. */
    if (last - s->base_day > 3660)
        last = s->base_day + 3660;
    s->n_days = (size_t)(last - s->base_day + 1);
    s->wd = calloc(s->n_days, sizeof(*s->wd));
    s->bad = calloc(s->n_days, sizeof(*s->bad));
    if (!s->wd || !s->bad)
        return false;
    const struct jy_calendar *cal = jy_service_calendar(s->svc);
    for (size_t i = 1; i < s->n_days; i++) {
        bool working = false;
        struct jy_error ignored;
        bool known = jy_calendar_is_working_day(cal, jy_date_from_days(s->base_day + (int64_t)i),
                                                &working, &ignored) == JY_OK;
        s->wd[i] = s->wd[i - 1] + (known && working);
        s->bad[i] = s->bad[i - 1] + !known;
    }
    return true;
}

static int64_t shanghai_day(int64_t t)
{
    int64_t x = t + SHANGHAI_OFFSET_S;
    return (x >= 0 ? x : x - 86399) / 86400;
}

static void count_cohort(struct summary *s, struct figures *f, const struct jy_store_cohort_row *r,
                         int64_t due_day)
{
    f->accepted++;
    bool finished = r->finished_at != 0;
    bool refused = strcmp(r->state, "refused") == 0;
    bool cancelled = strcmp(r->state, "cancelled") == 0;
    f->completed += finished;
    f->refused += refused;
    f->cancelled += cancelled;
    f->returned += r->corrections > 0;
    f->corrections += r->corrections;
    if (finished) {
        int64_t done = shanghai_day(r->finished_at);
        if (done <= due_day)
            f->sla_met++;
        else
            f->sla_missed++;
        int wd = working_days(s, shanghai_day(r->accepted_at), done);
        if (wd >= 0) {
            if (!f->hist && !(f->hist = calloc(HIST_LEN, sizeof(*f->hist)))) {
                s->nomem = true;
                return;
            }
            f->hist[wd < HIST_LEN ? wd : HIST_LEN - 1]++;
            f->turnaround_n++;
        }
    } else if (!refused && !cancelled) {
        f->overdue += due_day < s->today_day;
        f->due_today += due_day == s->today_day;
    }
}

/* The group of numeric key `ik` (see on_cohort), made when new from the row's branch and clerk
 * ids; NULL on overflow or out of memory (flagged). */
static struct group *group_for(struct summary *s, int64_t ik, int64_t branch_id, int64_t clerk_id,
                               const char *business_type)
{
    size_t slot = 0;
    struct group *g = cached(s, ik, &slot);
    if (g)
        return g;
    char key[64];
    int64_t id = 0;
    const struct jy_store_branch *b;
    switch (s->by) {
    case JY_REPORT_BY_BRANCH:
        b = branch_by_id(s, branch_id);
        snprintf(key, sizeof(key), "%s", b ? b->code : "?");
        id = branch_id;
        break;
    case JY_REPORT_BY_DISTRICT:
        b = branch_by_id(s, branch_id);
        snprintf(key, sizeof(key), "%s", b ? b->district : "");
        break;
    case JY_REPORT_BY_TYPE:
        snprintf(key, sizeof(key), "%s", business_type);
        break;
    case JY_REPORT_BY_DAY:
        jy_date_format(jy_date_from_days(ik), key);
        break;
    case JY_REPORT_BY_HOUR:
        snprintf(key, sizeof(key), "%02d", (int)ik);
        break;
    default:
        snprintf(key, sizeof(key), "#%lld", (long long)clerk_id);
        id = clerk_id;
        break;
    }
    if (!(g = group_of(s, key, id)))
        return NULL;
    s->ikeys[slot] = ik;
    s->ivals[slot] = (int32_t)(g - s->groups) + 1;
    return g;
}

static bool on_cohort(void *ctx, const struct jy_store_cohort_row *r)
{
    struct summary *s = ctx;
    int64_t ik;
    switch (s->by) {
    case JY_REPORT_BY_BRANCH:
    case JY_REPORT_BY_DISTRICT:
        ik = r->branch_id;
        break;
    case JY_REPORT_BY_TYPE:
        ik = 0;
        for (size_t i = 0; i < 7 && r->business_type[i]; i++)
            ik = ik << 8 | (unsigned char)r->business_type[i];
        break;
    case JY_REPORT_BY_DAY:
        ik = shanghai_day(r->accepted_at);
        break;
    case JY_REPORT_BY_HOUR:
        ik = (r->accepted_at + SHANGHAI_OFFSET_S) % 86400 / 3600;
        break;
    default: /* clerk */
        ik = r->clerk_id;
        break;
    }
    struct group *g = group_for(s, ik, r->branch_id, r->clerk_id, r->business_type);
    if (!g)
        return false;
    int64_t due_day = day_of(r->due_date);
    count_cohort(s, &g->f, r, due_day);
    count_cohort(s, &s->total, r, due_day);
    return !s->nomem;
}

/* Whether the groups carry the fines collected: groupings a payment has (its branch and day). */
static bool has_fines(enum jy_report_group g)
{
    return g == JY_REPORT_BY_BRANCH || g == JY_REPORT_BY_DISTRICT || g == JY_REPORT_BY_DAY;
}

static void count_fines(struct figures *f, const struct jy_store_fines_row *r)
{
    f->fines_count += r->count;
    f->fines_fine_fen += r->fine_fen;
    f->fines_surcharge_fen += r->surcharge_fen;
    f->fines_amount_fen += r->amount_fen;
}

static bool on_fines(void *ctx, const struct jy_store_fines_row *r)
{
    struct summary *s = ctx;
    count_fines(&s->total, r);
    if (!has_fines(s->by))
        return true;
    int64_t ik = s->by == JY_REPORT_BY_DAY ? day_of(r->paid_date) : r->branch_id;
    struct group *g = group_for(s, ik, r->branch_id, 0, "");
    if (!g)
        return false;
    count_fines(&g->f, r);
    return true;
}

static void count_work(struct figures *f, const struct jy_store_work_row *r)
{
    if (strcmp(r->to_state, "correction") == 0)
        f->sent_back += r->count;
    else if (strcmp(r->to_state, "refused") == 0)
        f->refusals += r->count;
    else if (strcmp(r->from_state, "at_station") == 0 && strcmp(r->to_state, "cancelled") != 0 &&
             strcmp(r->to_station, r->from_station) != 0)
        f->done += r->count;
}

static bool on_work(void *ctx, const struct jy_store_work_row *r)
{
    struct summary *s = ctx;
    char key[64];
    int64_t id = 0;
    if (s->by == JY_REPORT_BY_STATION) {
        snprintf(key, sizeof(key), "%s", r->from_station);
    } else if (s->by == JY_REPORT_BY_OPERATOR) {
        snprintf(key, sizeof(key), "#%lld", (long long)r->actor_id);
        id = r->actor_id;
    } else { /* reason: returns and refusals only */
        if (strcmp(r->to_state, "correction") != 0 && strcmp(r->to_state, "refused") != 0)
            return true;
        snprintf(key, sizeof(key), "%s", r->reason);
    }
    struct group *g = group_of(s, key, id);
    if (!g)
        return false;
    count_work(&g->f, r);
    count_work(&s->total, r);
    return true;
}

static bool on_backlog(void *ctx, const struct jy_store_backlog *b)
{
    struct summary *s = ctx;
    struct group *g = group_of(s, b->station, 0);
    if (!g)
        return false;
    struct figures *t[2] = {&g->f, &s->total};
    for (int i = 0; i < 2; i++) {
        t[i]->has_backlog = true;
        t[i]->waiting += b->waiting;
        t[i]->leased += b->leased;
        t[i]->b_overdue += b->overdue;
        t[i]->b_due_today += b->due_today;
        if (b->waiting > 0 &&
            (t[i]->oldest_accepted_at == 0 || b->oldest_accepted_at < t[i]->oldest_accepted_at))
            t[i]->oldest_accepted_at = b->oldest_accepted_at;
    }
    return true;
}

/* The nearest-rank `p`-th percentile of histogram `h` of `n` values; -1 when n is 0. */
static int percentile(const uint32_t *h, int64_t n, int p)
{
    if (n <= 0 || !h)
        return -1;
    int64_t rank = (n * p + 99) / 100;
    if (rank < 1)
        rank = 1;
    int64_t cum = 0;
    for (int v = 0; v < HIST_LEN; v++) {
        cum += h[v];
        if (cum >= rank)
            return v;
    }
    return HIST_LEN - 1;
}

static json_t *ratio(int64_t num, int64_t den)
{
    if (den <= 0)
        return json_null();
    return json_real(round((double)num / (double)den * 10000.0) / 10000.0);
}

static json_t *int_or_null(int v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *figures_json(const struct summary *s, const struct figures *f, int64_t total)
{
    if (is_work_group(s->by)) {
        json_t *o = json_pack("{s:I, s:I, s:I}", "completed", (json_int_t)f->done, "returned",
                              (json_int_t)f->sent_back, "refused", (json_int_t)f->refusals);
        if (o && s->by == JY_REPORT_BY_STATION) {
            int64_t age = f->oldest_accepted_at ? (s->now - f->oldest_accepted_at) / 86400 : 0;
            json_object_set_new(o, "waiting", json_integer(f->waiting));
            json_object_set_new(o, "leased", json_integer(f->leased));
            json_object_set_new(o, "overdue", json_integer(f->b_overdue));
            json_object_set_new(o, "due_today", json_integer(f->b_due_today));
            json_object_set_new(o, "oldest_age_days", f->waiting ? json_integer(age) : json_null());
        }
        return o;
    }
    int64_t in_progress = f->accepted - f->completed - f->refused - f->cancelled;
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:o}",
        "accepted", (json_int_t)f->accepted, "completed", (json_int_t)f->completed, "refused",
        (json_int_t)f->refused, "cancelled", (json_int_t)f->cancelled, "in_progress",
        (json_int_t)in_progress, "returned", (json_int_t)f->returned, "corrections",
        (json_int_t)f->corrections, "first_time_right",
        ratio(f->accepted - f->returned, f->accepted), "sla_met", (json_int_t)f->sla_met,
        "sla_missed", (json_int_t)f->sla_missed, "overdue", (json_int_t)f->overdue, "due_today",
        (json_int_t)f->due_today, "turnaround_p50",
        int_or_null(percentile(f->hist, f->turnaround_n, 50)), "turnaround_p90",
        int_or_null(percentile(f->hist, f->turnaround_n, 90)), "turnaround_n",
        (json_int_t)f->turnaround_n, "share", ratio(f->accepted, total));
    return o;
}

/* Names of group `g` into `zh` and `en` (each 121 bytes), and its public key into `key`. */
static void group_names(struct summary *s, const struct group *g, char key[64], char zh[121],
                        char en[121])
{
    jy_strlcpy(key, g->key, 64);
    zh[0] = en[0] = '\0';
    const struct jy_store_branch *b;
    switch (s->by) {
    case JY_REPORT_BY_BRANCH:
        if ((b = branch_by_id(s, g->id))) {
            jy_strlcpy(zh, b->name_zh, 121);
            jy_strlcpy(en, b->name_en, 121);
        }
        break;
    case JY_REPORT_BY_DISTRICT: {
        size_t n = 0;
        const struct jy_geo_district *d = jy_geo_builtin_districts(&n, NULL);
        jy_strlcpy(zh, g->key, 121);
        for (size_t i = 0; d && i < n; i++)
            if (strcmp(d[i].name_zh, g->key) == 0)
                jy_strlcpy(en, d[i].name_en, 121);
        break;
    }
    case JY_REPORT_BY_TYPE: {
        const struct jy_business_type *t =
            jy_catalog_find(jy_service_catalog(s->svc), g->key, strlen(g->key));
        if (t) {
            jy_strlcpy(zh, t->name_zh, 121);
            jy_strlcpy(en, t->name_en, 121);
        }
        break;
    }
    case JY_REPORT_BY_STATION: {
        enum jy_station st;
        if (jy_station_parse(g->key, strlen(g->key), &st)) {
            jy_strlcpy(zh, jy_station_name_zh(st), 121);
            jy_strlcpy(en, jy_station_name_en(st), 121);
        } else {
            jy_strlcpy(zh, "其他", 121);
            jy_strlcpy(en, "elsewhere", 121);
        }
        break;
    }
    case JY_REPORT_BY_HOUR:
        snprintf(zh, 121, "%s:00–%02d:00", g->key, (int)strtol(g->key, NULL, 10) + 1);
        jy_strlcpy(en, zh, 121);
        break;
    case JY_REPORT_BY_CLERK:
    case JY_REPORT_BY_OPERATOR: {
        char username[33], display[121];
        struct jy_error ignored;
        if (g->id == 0) {
            jy_strlcpy(key, "system", 64);
            jy_strlcpy(zh, "系统", 121);
            jy_strlcpy(en, "system", 121);
        } else if (jy_store_figures_user(s->conn, g->id, username, display, &ignored) == JY_OK) {
            jy_strlcpy(key, username, 64);
            jy_strlcpy(zh, display, 121);
            jy_strlcpy(en, username, 121);
        }
        break;
    }
    case JY_REPORT_BY_REASON: {
        const struct jy_reason *r = jy_reason_any(g->key);
        if (r) {
            jy_strlcpy(zh, r->name_zh, 121);
            jy_strlcpy(en, r->name_en, 121);
        }
        break;
    }
    default:
        break;
    }
}

struct named {
    char key[64];
    json_t *row;
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->key, ((const struct named *)b)->key);
}

static void summary_release(struct summary *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->groups[i].f.hist);
    free(s->groups);
    free(s->slots);
    free(s->ikeys);
    free(s->ivals);
    free(s->total.hist);
    free(s->branches);
    free(s->wd);
    free(s->bad);
}

enum jy_err jy_report_summary(struct jy_service *svc, const struct jy_actor *actor,
                              const struct jy_report_period *period, json_t **ret,
                              struct jy_error *err)
{
    if (!may_read(actor, err))
        return JY_FORBIDDEN;
    struct summary s;
    memset(&s, 0, sizeof(s));
    s.svc = svc;
    s.by = period->group;
    s.now = jy_service_now(svc);
    s.today = jy_date_from_unix_shanghai(s.now);
    jy_date_format(s.today, s.today_text);
    struct named *rows = NULL;
    json_t *out = NULL;
    enum jy_err e = jy_service_conn(svc, &s.conn, err);
    if (e != JY_OK)
        return e;
    s.n_slots = 1;
    while (s.n_slots < 2 * JY_REPORT_MAX_GROUPS)
        s.n_slots <<= 1;
    s.slots = calloc(s.n_slots, sizeof(*s.slots));
    s.ikeys = calloc(s.n_slots, sizeof(*s.ikeys));
    s.ivals = calloc(s.n_slots, sizeof(*s.ivals));
    s.today_day = jy_date_to_days(s.today);
    if (!s.slots || !s.ikeys || !s.ivals || !build_days(&s, period->from)) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    if ((e = jy_store_branch_each(s.conn, add_branch, &s, err)) != JY_OK)
        goto out;
    if (s.n_branches)
        qsort(s.branches, s.n_branches, sizeof(*s.branches), by_id);

    int64_t from, to, ignored;
    jy_receipts_day_range(period->from, &from, &ignored);
    jy_receipts_day_range(period->to, &ignored, &to);
    if (s.by == JY_REPORT_BY_STATION)
        for (int st = 0; st < JY__STATION_COUNT; st++)
            group_of(&s, jy_station_code((enum jy_station)st), 0);
    char from_day[JY_DATE_TEXT_SIZE], to_day[JY_DATE_TEXT_SIZE];
    jy_date_format(period->from, from_day);
    jy_date_format(period->to, to_day);
    if (is_work_group(s.by))
        e = jy_store_figures_work(s.conn, from_day, to_day, on_work, &s, err);
    else
        e = jy_store_figures_cohort(s.conn, from, to, on_cohort, &s, err);
    if (e == JY_OK && s.by == JY_REPORT_BY_STATION)
        e = jy_store_figures_backlog(s.conn, s.today_text, s.now, on_backlog, &s, err);
    if (e == JY_OK)
        e = jy_store_figures_fines(s.conn, from_day, to_day, on_fines, &s, err);
    if (e != JY_OK)
        goto out;
    if (s.nomem || s.too_many) {
        e = s.nomem ? jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory")
                    : jy_error_set(err, JY_RANGE, "too_many_groups", "group_by",
                                   "more than %d groups", JY_REPORT_MAX_GROUPS);
        goto out;
    }

    rows = calloc(s.n ? s.n : 1, sizeof(*rows));
    json_t *groups = json_array();
    char ymd1[JY_DATE_TEXT_SIZE], ymd2[JY_DATE_TEXT_SIZE];
    out =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "from",
                  jy_date_format(period->from, ymd1), "to", jy_date_format(period->to, ymd2),
                  "today", s.today_text, "group_by", group_codes[s.by], "totals",
                  figures_json(&s, &s.total, s.total.accepted), "groups", groups, "fines", "count",
                  (json_int_t)s.total.fines_count, "fine_fen", (json_int_t)s.total.fines_fine_fen,
                  "surcharge_fen", (json_int_t)s.total.fines_surcharge_fen, "amount_fen",
                  (json_int_t)s.total.fines_amount_fen);
    if (!rows || !out) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s.n; i++) {
        char zh[121], en[121];
        group_names(&s, &s.groups[i], rows[i].key, zh, en);
        json_t *row = figures_json(&s, &s.groups[i].f, s.total.accepted);
        if (!row) {
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
            goto out;
        }
        if (has_fines(s.by)) {
            json_object_set_new(row, "fines_count", json_integer(s.groups[i].f.fines_count));
            json_object_set_new(row, "fines_amount_fen",
                                json_integer(s.groups[i].f.fines_amount_fen));
        }
        json_object_set_new(row, "key", json_string(rows[i].key));
        json_object_set_new(row, "name_zh", zh[0] ? json_string(zh) : json_null());
        json_object_set_new(row, "name_en", en[0] ? json_string(en) : json_null());
        rows[i].row = row;
    }
    qsort(rows, s.n, sizeof(*rows), by_key);
    for (size_t i = 0; i < s.n; i++) {
        json_array_append_new(groups, rows[i].row);
        rows[i].row = NULL;
    }
    *ret = out;
    out = NULL;
out:
    if (rows)
        for (size_t i = 0; i < s.n; i++)
            json_decref(rows[i].row);
    free(rows);
    json_decref(out);
    summary_release(&s);
    return e;
}

/* ---- CSV ---- */

static void put_value(struct jy_csv_buf *b, const json_t *v)
{
    char num[64];
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        jy_csv_puts(b, num);
    } else if (json_is_real(v)) {
        snprintf(num, sizeof(num), "%.4f", json_real_value(v));
        jy_csv_puts(b, num);
    } else if (json_is_string(v)) {
        jy_csv_field(b, json_string_value(v), false);
    }
}

enum jy_err jy_report_summary_csv(const json_t *summary, char **ret, size_t *ret_len,
                                  struct jy_error *err)
{
    const json_t *totals = json_object_get(summary, "totals");
    const json_t *groups = json_object_get(summary, "groups");
    const json_t *fines = json_object_get(summary, "fines");
    const char *by = json_string_value(json_object_get(summary, "group_by"));
    bool with_fines = false;
    for (int g = 0; by && g < JY__REPORT_BY_COUNT; g++)
        with_fines |= has_fines((enum jy_report_group)g) && strcmp(by, group_codes[g]) == 0;
    struct jy_csv_buf b = {0};
    const char *name;
    const json_t *v;
    jy_csv_puts(&b, "key,name_zh,name_en");
    json_object_foreach((json_t *)totals, name, v)
    {
        jy_csv_put(&b, ",", 1);
        jy_csv_puts(&b, name);
    }
    if (with_fines)
        jy_csv_puts(&b, ",fines_count,fines_amount_fen");
    jy_csv_puts(&b, "\r\n");
    size_t i;
    const json_t *g;
    json_array_foreach(groups, i, g)
    {
        put_value(&b, json_object_get(g, "key"));
        jy_csv_put(&b, ",", 1);
        put_value(&b, json_object_get(g, "name_zh"));
        jy_csv_put(&b, ",", 1);
        put_value(&b, json_object_get(g, "name_en"));
        json_object_foreach((json_t *)totals, name, v)
        {
            jy_csv_put(&b, ",", 1);
            put_value(&b, json_object_get(g, name));
        }
        if (with_fines) {
            jy_csv_put(&b, ",", 1);
            put_value(&b, json_object_get(g, "fines_count"));
            jy_csv_put(&b, ",", 1);
            put_value(&b, json_object_get(g, "fines_amount_fen"));
        }
        jy_csv_puts(&b, "\r\n");
    }
    jy_csv_puts(&b, "total,合计,total");
    json_object_foreach((json_t *)totals, name, v)
    {
        jy_csv_put(&b, ",", 1);
        put_value(&b, v);
    }
    if (with_fines) {
        jy_csv_put(&b, ",", 1);
        put_value(&b, json_object_get(fines, "count"));
        jy_csv_put(&b, ",", 1);
        put_value(&b, json_object_get(fines, "amount_fen"));
    }
    jy_csv_puts(&b, "\r\n");
    if (b.nomem) {
        free(b.p);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    *ret = b.p;
    *ret_len = b.len;
    return JY_OK;
}

/* ---- the branch network ---- */

struct sites {
    struct jy_store_branch *b;
    size_t n, cap;
    bool only_open, nomem;
};

static bool add_site(void *ctx, const struct jy_store_branch *b)
{
    struct sites *s = ctx;
    if (s->only_open && !b->is_open)
        return true;
    if (!jy_geo_valid(b->lat, b->lon) || (b->lat == 0 && b->lon == 0))
        return true; /* no coordinates */
    if (s->n == JY_GEO_MAX_SITES)
        return false;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        struct jy_store_branch *g = realloc(s->b, ncap * sizeof(*g));
        if (!g) {
            s->nomem = true;
            return false;
        }
        s->b = g;
        s->cap = ncap;
    }
    s->b[s->n++] = *b;
    return true;
}

static enum jy_err load_sites(struct jy_service *svc, bool only_open, struct sites *s,
                              struct jy_geo_point **ret_points, struct jy_error *err)
{
    struct jy_store_conn *conn;
    memset(s, 0, sizeof(*s));
    s->only_open = only_open;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e == JY_OK)
        e = jy_store_branch_each(conn, add_site, s, err);
    if (e == JY_OK && s->nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    struct jy_geo_point *p = NULL;
    if (e == JY_OK && !(p = calloc(s->n ? s->n : 1, sizeof(*p))))
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if (e != JY_OK) {
        free(s->b);
        return e;
    }
    for (size_t i = 0; i < s->n; i++)
        p[i] = (struct jy_geo_point){s->b[i].lat, s->b[i].lon};
    *ret_points = p;
    return JY_OK;
}

enum jy_err jy_branches_nearest(struct jy_service *svc, double lat, double lon, int n, json_t **ret,
                                struct jy_error *err)
{
    if (!(lat >= -90 && lat <= 90))
        return jy_error_set(err, JY_INVALID, "bad_parameter", "lat",
                            "lat is degrees north, -90 to 90");
    if (!(lon >= -180 && lon <= 180))
        return jy_error_set(err, JY_INVALID, "bad_parameter", "lon",
                            "lon is degrees east, -180 to 180");
    if (n < 1 || n > JY_GEO_NEAREST_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", "n", "n is 1 to %d", JY_GEO_NEAREST_MAX);
    struct sites s;
    struct jy_geo_point *p;
    enum jy_err e = load_sites(svc, true, &s, &p, err);
    if (e != JY_OK)
        return e;
    size_t idx[JY_GEO_NEAREST_MAX];
    double dist[JY_GEO_NEAREST_MAX];
    size_t k = jy_geo_nearest(p, s.n, (struct jy_geo_point){lat, lon}, (size_t)n, idx, dist);
    json_t *items = json_array();
    for (size_t i = 0; items && i < k; i++) {
        const struct jy_store_branch *b = &s.b[idx[i]];
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:I}", "code", b->code,
                                        "name_zh", b->name_zh, "name_en", b->name_en, "district",
                                        b->district, "address", b->address, "lat", b->lat, "lon",
                                        b->lon, "distance_m", (json_int_t)llround(dist[i])));
    }
    free(p);
    free(s.b);
    json_t *out = items ? json_pack("{s:o}", "items", items) : NULL;
    if (!out)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    *ret = out;
    return JY_OK;
}

enum jy_err jy_report_coverage(struct jy_service *svc, const struct jy_actor *actor, json_t **ret,
                               struct jy_error *err)
{
    if (!may_read(actor, err))
        return JY_FORBIDDEN;
    size_t nd = 0;
    const struct jy_geo_district *d = jy_geo_builtin_districts(&nd, err);
    if (!d)
        return err->code;
    struct sites s;
    struct jy_geo_point *p;
    enum jy_err e = load_sites(svc, false, &s, &p, err);
    if (e != JY_OK)
        return e;
    /* Only open branches cover; closed ones are still drawn. */
    struct jy_geo_point *open = calloc(s.n ? s.n : 1, sizeof(*open));
    struct jy_geo_box *boxes = calloc(nd ? nd : 1, sizeof(*boxes));
    struct jy_geo_coverage c;
    memset(&c, 0, sizeof(c));
    size_t n_open = 0;
    json_t *out = NULL;
    if (!open || !boxes) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s.n; i++)
        if (s.b[i].is_open)
            open[n_open++] = p[i];
    for (size_t i = 0; i < nd; i++)
        boxes[i] = d[i].box;
    e = jy_geo_coverage(boxes, nd, open, n_open, JY_COVERAGE_CELL_M, JY_COVERAGE_RADIUS_M, &c, err);
    if (e != JY_OK)
        goto out;
    json_t *districts = json_array(), *branches = json_array(), *uncovered = json_array();
    for (size_t i = 0; districts && i < nd; i++)
        json_array_append_new(districts, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f}", "name_zh",
                                                   d[i].name_zh, "name_en", d[i].name_en, "south",
                                                   d[i].box.south, "west", d[i].box.west, "north",
                                                   d[i].box.north, "east", d[i].box.east));
    for (size_t i = 0; branches && i < s.n; i++)
        json_array_append_new(branches, json_pack("{s:s, s:s, s:s, s:f, s:f, s:b}", "code",
                                                  s.b[i].code, "name_zh", s.b[i].name_zh,
                                                  "district", s.b[i].district, "lat", s.b[i].lat,
                                                  "lon", s.b[i].lon, "is_open", s.b[i].is_open));
    for (size_t i = 0; uncovered && i < c.n_uncovered; i++)
        json_array_append_new(uncovered,
                              json_pack("[f, f]", round(c.uncovered[i].centre.lat * 1e5) / 1e5,
                                        round(c.uncovered[i].centre.lon * 1e5) / 1e5));
    out =
        json_pack("{s:f, s:f, s:f, s:f, s:{s:f, s:f, s:f, s:f}, s:i, s:i, s:I, s:I, s:f, s:o, "
                  "s:o, s:o}",
                  "radius_m", JY_COVERAGE_RADIUS_M, "cell_m", c.cell_m, "cell_lat_deg",
                  c.cell_lat_deg, "cell_lon_deg", c.cell_lon_deg, "bounds", "south", c.bounds.south,
                  "west", c.bounds.west, "north", c.bounds.north, "east", c.bounds.east, "rows",
                  c.rows, "cols", c.cols, "city_cells", (json_int_t)c.city_cells, "covered_cells",
                  (json_int_t)c.covered_cells, "share", round(c.share * 10000.0) / 10000.0,
                  "districts", districts, "branches", branches, "uncovered", uncovered);
    if (!out)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    else
        *ret = out;
out:
    jy_geo_coverage_release(&c);
    free(boxes);
    free(open);
    free(p);
    free(s.b);
    return e;
}

/* ---- the day's report as text ---- */

__attribute__((format(printf, 2, 3))) static void putf(struct jy_csv_buf *b, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    jy_csv_puts(b, line);
}

static long long iv(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static const char *text_of(const json_t *v, char buf[32])
{
    if (json_is_integer(v))
        snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, 32, "%.1f%%", json_real_value(v) * 100.0);
    else
        snprintf(buf, 32, "-");
    return buf;
}

static void cohort_table(struct jy_csv_buf *b, const json_t *sum)
{
    char t1[32], t2[32], t3[32];
    putf(b, "%-12s %6s %6s %6s %6s %8s %5s %5s  %s\n", "key", "受理", "办结", "退回", "不予",
         "一次通过", "P50", "P90", "name");
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(sum, "groups"), i, g)
    {
        const char *zh = json_string_value(json_object_get(g, "name_zh"));
        putf(b, "%-12s %6lld %6lld %6lld %6lld %8s %5s %5s  %s\n",
             json_string_value(json_object_get(g, "key")), iv(g, "accepted"), iv(g, "completed"),
             iv(g, "returned"), iv(g, "refused"),
             text_of(json_object_get(g, "first_time_right"), t1),
             text_of(json_object_get(g, "turnaround_p50"), t2),
             text_of(json_object_get(g, "turnaround_p90"), t3), zh ? zh : "");
    }
}

enum jy_err jy_report_daily_text(struct jy_service *svc, struct jy_date day, char **ret,
                                 struct jy_error *err)
{
    struct jy_actor system = jy_actor_system();
    system.role = JY_ROLE_ADMIN;
    static const enum jy_report_group parts[] = {JY_REPORT_BY_TYPE, JY_REPORT_BY_BRANCH,
                                                 JY_REPORT_BY_STATION, JY_REPORT_BY_REASON};
    json_t *sums[4] = {NULL, NULL, NULL, NULL};
    enum jy_err e = JY_OK;
    for (size_t i = 0; i < 4 && e == JY_OK; i++) {
        struct jy_report_period p = {day, day, parts[i]};
        e = jy_report_summary(svc, &system, &p, &sums[i], err);
    }
    if (e != JY_OK)
        goto out;
    struct jy_csv_buf b = {0};
    char t[32];
    const json_t *tot = json_object_get(sums[0], "totals");
    putf(&b, "警邮合作业务日报 Daily report %s（截至 as of %s）\n\n",
         json_string_value(json_object_get(sums[0], "from")),
         json_string_value(json_object_get(sums[0], "today")));
    putf(&b, "== 总体 Overall ==\n");
    putf(&b, "受理 accepted            %lld\n", iv(tot, "accepted"));
    putf(&b, "办结 completed           %lld\n", iv(tot, "completed"));
    putf(&b, "在办 in progress         %lld\n", iv(tot, "in_progress"));
    putf(&b, "退回补正 returned        %lld（%lld 次 times）\n", iv(tot, "returned"),
         iv(tot, "corrections"));
    putf(&b, "不予受理 refused         %lld\n", iv(tot, "refused"));
    putf(&b, "一次通过率 first-time-right %s\n",
         text_of(json_object_get(tot, "first_time_right"), t));
    putf(&b, "按期办结 SLA met         %lld\n", iv(tot, "sla_met"));
    putf(&b, "超期办结 SLA missed      %lld\n", iv(tot, "sla_missed"));
    putf(&b, "已超期 overdue           %lld\n", iv(tot, "overdue"));
    putf(&b, "今日到期 due today       %lld\n", iv(tot, "due_today"));
    char p50[32], p90[32];
    putf(&b, "办理时长 turnaround P50/P90 (working days) %s / %s\n\n",
         text_of(json_object_get(tot, "turnaround_p50"), p50),
         text_of(json_object_get(tot, "turnaround_p90"), p90));
    putf(&b, "== 按业务类型 By business type ==\n");
    cohort_table(&b, sums[0]);
    putf(&b, "\n== 按网点 By branch ==\n");
    cohort_table(&b, sums[1]);
    putf(&b, "\n== 各岗位 By station (work that day; backlog now) ==\n");
    putf(&b, "%-12s %6s %6s %6s %6s %6s %6s\n", "station", "完成", "退回", "不予", "待办", "超期",
         "今日到期");
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(sums[2], "groups"), i, g)
    {
        putf(&b, "%-12s %6lld %6lld %6lld %6lld %6lld %6lld  %s\n",
             json_string_value(json_object_get(g, "key")), iv(g, "completed"), iv(g, "returned"),
             iv(g, "refused"), iv(g, "waiting"), iv(g, "overdue"), iv(g, "due_today"),
             json_string_value(json_object_get(g, "name_zh")));
    }
    putf(&b, "\n== 退回与不予受理原因 Returns and refusals by reason ==\n");
    json_array_foreach(json_object_get(sums[3], "groups"), i, g)
    {
        const char *zh = json_string_value(json_object_get(g, "name_zh"));
        putf(&b, "%-24s 退回 returned %lld  不予 refused %lld  %s\n",
             json_string_value(json_object_get(g, "key")), iv(g, "returned"), iv(g, "refused"),
             zh ? zh : "");
    }
    if (json_array_size(json_object_get(sums[3], "groups")) == 0)
        putf(&b, "（无 none）\n");
    if (b.nomem) {
        free(b.p);
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    *ret = b.p;
out:
    for (size_t k = 0; k < 4; k++)
        json_decref(sums[k]);
    return e;
}
