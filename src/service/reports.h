/*
 * reports.h — the day's figures for managers: the applications accepted on a day (every
 * branch) and the stations' figures, as XLSX or CSV (src/render/export.h).
 *
 * Who may: managers, supervisors and admins; anyone else is JY_FORBIDDEN "forbidden", decided
 * before anything is read.
 *
 * Thread-safety: every function may be called from any thread.
 */
#ifndef JY_SERVICE_REPORTS_H
#define JY_SERVICE_REPORTS_H

#include <stddef.h>

#include "core/date.h"
#include "render/export.h"
#include "service/service.h"

/* The export formats. */
enum jy_report_format {
    JY_REPORT_XLSX,
    JY_REPORT_CSV,
};

/*
 * The daily report of `day` (Asia/Shanghai) in `format` (for CSV, table `table`; ignored for
 * XLSX): the applications accepted that day in order of acceptance, with their state and
 * station now, due date, fee and whether they are overdue today; and for each station the
 * applications waiting there now, those completed there on `day`, and the overdue ones among
 * the waiting. `*ret` is allocated with malloc() (the caller frees it), `*ret_len` bytes;
 * untouched on failure. Errors: JY_FORBIDDEN "forbidden"; JY_RANGE "too_many" beyond
 * JY_EXPORT_MAX_ROWS; the errors of jy_export_xlsx() and jy_export_csv(); store errors.
 */
enum jy_err jy_report_daily(struct jy_service *svc, const struct jy_actor *actor,
                            struct jy_date day, enum jy_report_format format,
                            enum jy_export_table table, unsigned char **ret, size_t *ret_len,
                            struct jy_error *err);

#endif /* JY_SERVICE_REPORTS_H */
