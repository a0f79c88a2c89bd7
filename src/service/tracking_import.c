/*
 * tracking_import.c — a carrier's tracking file applied to the database: see tracking_import.h.
 */
#include "tracking_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tracking.h"
#include "limits.h"
#include "service/shipments.h"
#include "../banned.h"

/* "events[12].at" → "at". */
static const char *field_of(const char *f)
{
    const char *dot = strchr(f, '.');
    return dot ? dot + 1 : f;
}

static json_t *error_json(size_t line, const struct jy_error *e)
{
    return json_pack("{s:I, s:s, s:s?, s:s}", "line", (json_int_t)line, "code",
                     e->reason[0] ? e->reason : jy_err_name(e->code), "field",
                     e->field[0] ? field_of(e->field) : NULL, "message", e->message);
}

enum jy_err jy_tracking_import(struct jy_service *svc, const struct jy_actor *actor,
                               const char *text, size_t len, json_t **ret_report,
                               size_t *ret_rejected, struct jy_error *err)
{
    if (actor->role != JY_ROLE_LOGISTICS && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only logistics (or an admin) records the carrier's events");
    struct jy_tracking_file f;
    enum jy_err e = jy_tracking_parse(text, len, &f, err);
    if (e != JY_OK)
        return e;
    struct jy_shipments_result total = {0, 0, 0, 0};
    size_t rejected = 0;
    size_t batch = JY_SHIPMENT_EVENTS_MAX;
    json_t *errors = json_array(), *unknown = json_array(), *seen = json_object();
    struct jy_shipment_event *ev = calloc(batch, sizeof(*ev));
    const char **failures = calloc(batch, sizeof(*failures));
    struct jy_error *row_errors = calloc(batch, sizeof(*row_errors));
    enum jy_shipment_outcome *outcomes = calloc(batch, sizeof(*outcomes));
    char(*waybills)[14] = calloc(batch, sizeof(*waybills));
    if (!ev || !failures || !row_errors || !outcomes || !waybills || !errors || !unknown || !seen) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    size_t i = 0;
    while (i < f.count) {
        size_t n = 0, first = i;
        for (; i < f.count && n < batch; i++) {
            const struct jy_tracking_row *r = &f.rows[i];
            if (r->bad)
                continue;
            ev[n] = (struct jy_shipment_event){r->waybill, r->status, r->at, r->location};
            failures[n] = r->failure_reason;
            n++;
        }
        struct jy_shipments_result res;
        if ((e = jy_shipments_apply_ex(svc, actor, ev, failures, n, row_errors, outcomes, waybills,
                                       &res, NULL, err)) != JY_OK)
            goto out;
        total.applied += res.applied;
        total.duplicates += res.duplicates;
        total.unknown += res.unknown;
        total.ignored_out_of_order += res.ignored_out_of_order;
        /* The rows of this batch again, in file order: the bad ones of either kind, the unknown
         * item numbers once each. */
        for (size_t j = first, k = 0; j < i; j++) {
            const struct jy_tracking_row *r = &f.rows[j];
            if (r->bad) {
                if (json_array_size(errors) < JY_TRACKING_REPORT_MAX)
                    json_array_append_new(errors, error_json(r->line, &r->error));
                rejected++;
                continue;
            }
            if (outcomes[k] == JY_SHIPMENT_REJECTED) {
                if (json_array_size(errors) < JY_TRACKING_REPORT_MAX)
                    json_array_append_new(errors, error_json(r->line, &row_errors[k]));
                rejected++;
            } else if (outcomes[k] == JY_SHIPMENT_UNKNOWN) {
                /* Each unknown number once (a set keyed by the number), the first
                 * JY_TRACKING_REPORT_MAX of them listed. */
                if (!json_object_get(seen, waybills[k])) {
                    json_object_set_new(seen, waybills[k], json_true());
                    if (json_array_size(unknown) < JY_TRACKING_REPORT_MAX)
                        json_array_append_new(unknown, json_string(waybills[k]));
                }
            }
            k++;
        }
    }
    json_t *report = json_pack(
        "{s:I, s:I, s:I, s:O, s:I, s:I, s:I, s:I, s:O}", "rows", (json_int_t)f.count, "applied",
        (json_int_t)total.applied, "duplicates", (json_int_t)total.duplicates, "unknown", unknown,
        "unknown_items", (json_int_t)json_object_size(seen), "unknown_rows",
        (json_int_t)total.unknown, "ignored_out_of_order", (json_int_t)total.ignored_out_of_order,
        "rejected", (json_int_t)rejected, "errors", errors);
    if (!report) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    *ret_report = report;
    if (ret_rejected)
        *ret_rejected = rejected;
out:
    json_decref(errors);
    json_decref(unknown);
    json_decref(seen);
    free(ev);
    free(failures);
    free(row_errors);
    free(outcomes);
    free(waybills);
    jy_tracking_free(&f);
    return e;
}
