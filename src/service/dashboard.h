/*
 * dashboard.h — how the city is doing: the summary report behind the dashboard, the day's
 * report for a cron mail, the nearest branches for citizens, and the coverage of the city by
 * the branch network.
 *
 * The summary counts two kinds of things, by `group_by`:
 *
 * - Applications accepted in the period (group_by branch, district, type, day, hour, clerk):
 *     accepted      accepted in the period
 *     completed     of those, finished by the centre (sealed for EMS, or closed as completed or
 *                   paid): applications.finished_at, migration 7
 *     refused       of those, refused (不予受理)
 *     cancelled     of those, cancelled
 *     in_progress   the rest: still in the centre or with the branch for correction
 *     returned      of those, sent back for correction (补正) at least once
 *     corrections   the number of times they were sent back
 *     first_time_right  (accepted - returned) / accepted: never sent back; null when none
 *     sla_met       finished on or before the due date (the day of finishing, Asia/Shanghai)
 *     sla_missed    finished after the due date
 *     overdue       not finished, neither refused nor cancelled, due date before today
 *     due_today     not finished, neither refused nor cancelled, due today
 *     turnaround_p50, turnaround_p90  working days (src/core/calendar: the days in (accepted,
 *                   finished] that are working days) of the finished ones, nearest-rank
 *                   percentiles; null when none; turnaround_n: how many were counted (days
 *                   outside the calendar's years are left out)
 *     share         accepted / the period's accepted (4 decimals)
 * - The centre's work in the period (group_by station, operator, reason): events at `at` in the
 *   period —
 *     completed     items that left a station onward (not sent back, refused or cancelled)
 *     returned      items sent back for correction
 *     refused       items refused
 *   and for group_by station also the backlog now: waiting, leased, overdue, due_today,
 *   oldest_age_days (whole days since the oldest waiting item was accepted).
 * - Fines collected in the period (every group_by): fine payments in force (not reversed) by
 *   their settlement day (paid_date, Asia/Shanghai) — count, fine_fen, surcharge_fen,
 *   amount_fen (fen) — the same as the day's settlement (service/fines.h) gives. For group_by
 *   branch, district and day each group also has fines_count and fines_amount_fen (0 when
 *   none), and a branch, district or day with payments but no applications is a group of its
 *   own (accepted 0).
 *
 * Days are civil days in Asia/Shanghai; `from` and `to` are both included. Who may: managers,
 * supervisors (police) and admins; anyone else JY_FORBIDDEN "forbidden", before anything is
 * read. The nearest-branch query is public.
 *
 * Thread-safety: every function may be called from any thread.
 */
#ifndef JY_SERVICE_DASHBOARD_H
#define JY_SERVICE_DASHBOARD_H

#include <stddef.h>

#include <jansson.h>

#include "core/date.h"
#include "service/service.h"

/* What the summary groups by. */
enum jy_report_group {
    JY_REPORT_BY_BRANCH,
    JY_REPORT_BY_DISTRICT,
    JY_REPORT_BY_TYPE,
    JY_REPORT_BY_STATION,
    JY_REPORT_BY_DAY,
    JY_REPORT_BY_HOUR,
    JY_REPORT_BY_CLERK,
    JY_REPORT_BY_OPERATOR,
    JY_REPORT_BY_REASON,
    JY__REPORT_BY_COUNT
};

/* The group's code as in `group_by` ("branch", …); static. */
const char *jy_report_group_code(enum jy_report_group g);

/* A period and a grouping. */
struct jy_report_period {
    struct jy_date from, to; /* both included */
    enum jy_report_group group;
};

/*
 * Read the query parameters `from`, `to` ("YYYY-MM-DD") and `group_by` (each borrowed, NULL
 * when absent) into `*ret`. Absent `to` is today (Asia/Shanghai, by the service's clock);
 * absent `from` is `to`; absent `group_by` is branch. Errors, each naming its field:
 * JY_INVALID "invalid_date" (from, to), "bad_period" (to before from), "period_too_long"
 * (more than JY_REPORT_MAX_DAYS days), "bad_parameter" (group_by not one of the codes).
 */
enum jy_err jy_report_period_parse(struct jy_service *svc, const char *from, const char *to,
                                   const char *group_by, struct jy_report_period *ret,
                                   struct jy_error *err);

/*
 * The summary of `period` as `actor` into `*ret` (a new JSON object the caller releases):
 * {"from", "to", "today", "group_by", "totals": {figures}, "groups": [{"key", "name_zh",
 * "name_en", figures}], "fines": {"count", "fine_fen", "surcharge_fen", "amount_fen"}}, groups
 * ordered by key (day, hour, code, username). Errors:
 * JY_FORBIDDEN "forbidden"; JY_RANGE "too_many_groups" beyond JY_REPORT_MAX_GROUPS; store
 * errors; JY_NOMEM.
 */
enum jy_err jy_report_summary(struct jy_service *svc, const struct jy_actor *actor,
                              const struct jy_report_period *period, json_t **ret,
                              struct jy_error *err);

/*
 * The groups of a summary made by jy_report_summary() as CSV (RFC 4180, UTF-8, CRLF): a header
 * of key, name_zh, name_en and the figures' names (and fines_count, fines_amount_fen for
 * group_by branch, district and day), one row per group, then a row "total".
 * `*ret` is malloc'd (`*ret_len` bytes, NUL-terminated); JY_NOMEM.
 */
enum jy_err jy_report_summary_csv(const json_t *summary, char **ret, size_t *ret_len,
                                  struct jy_error *err);

/*
 * The `n` open branches nearest to (`lat`, `lon`) into `*ret`: {"items": [{"code", "name_zh",
 * "name_en", "district", "address", "lat", "lon", "distance_m"}]}, nearest first (distance in
 * whole metres by the haversine formula). Public: no actor. Errors: JY_INVALID "bad_parameter"
 * naming lat or lon when out of range; JY_RANGE "out_of_range" naming n outside
 * 1..JY_GEO_NEAREST_MAX; store errors.
 */
enum jy_err jy_branches_nearest(struct jy_service *svc, double lat, double lon, int n, json_t **ret,
                                struct jy_error *err);

/* The coverage radius (5 km) and the grid's cell (500 m) of the coverage report, metres. */
#define JY_COVERAGE_RADIUS_M 5000.0
#define JY_COVERAGE_CELL_M 500.0

/*
 * The coverage of the city by its open branches (src/core/geo.h: the districts of
 * data/districts.csv, cells of JY_COVERAGE_CELL_M, within JY_COVERAGE_RADIUS_M) into `*ret`:
 * {"radius_m", "cell_m", "cell_lat_deg", "cell_lon_deg", "bounds": {south, west, north, east},
 * "rows", "cols", "city_cells", "covered_cells", "share", "districts": [{name_zh, name_en,
 * south, west, north, east}], "branches": [{code, name_zh, lat, lon, is_open}],
 * "uncovered": [[lat, lon], …] (cell centres)}. Who may: as the summary. Errors: JY_FORBIDDEN;
 * those of jy_geo_coverage(); store errors.
 */
enum jy_err jy_report_coverage(struct jy_service *svc, const struct jy_actor *actor, json_t **ret,
                               struct jy_error *err);

/*
 * The day's report for a mail: plain UTF-8 text with Chinese headings and English, for `day`:
 * intake by type and by branch, the centre's work by station with the backlog now, returns
 * and refusals by reason, SLA figures and turnaround. `*ret` is malloc'd and NUL-terminated.
 * Runs as the system (the command line is trusted). Errors: as jy_report_summary().
 */
enum jy_err jy_report_daily_text(struct jy_service *svc, struct jy_date day, char **ret,
                                 struct jy_error *err);

#endif /* JY_SERVICE_DASHBOARD_H */
