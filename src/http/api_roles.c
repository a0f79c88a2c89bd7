/*
 * api_roles.c — which roles may use each state-changing route, checked before the body is read.
 *
 * The use cases check role and scope themselves, and stay the authority; this table repeats
 * only their role checks (never wider, never narrower), so that the server can answer a caller
 * who may not use a route with 403 before it looks at the body: a logistics user posting a
 * malformed intake learns that intakes are not his, not what an intake body must look like.
 * Scope (the clerk's branch, the operator's stations, which application) needs the store and is
 * left to the use case. Every entry names the use case whose check it repeats.
 */
#include "api.h"

#include <string.h>

#include "../banned.h"

#define R(role) (1u << (JY_ROLE_##role))

struct route_roles {
    enum jy_http_method method;
    const char *pattern;
    unsigned roles;      /* R(…) | R(…) */
    const char *message; /* the 403's message */
};

/* clang-format off */
static const struct route_roles table[] = {
    /* workflow.c check_station_actor, jy_workflow_resubmit, jy_workflow_refuse */
    {JY_HTTP_POST, "/api/v1/stations/{station}/claim", R(OPERATOR) | R(SUPERVISOR),
     "only back-office operators and the police act at stations"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/complete", R(OPERATOR) | R(SUPERVISOR),
     "only back-office operators and the police act at stations"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/return", R(OPERATOR) | R(SUPERVISOR),
     "only back-office operators and the police act at stations"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/resubmit", R(CLERK),
     "only the branch clerk resubmits a corrected application"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/refuse", R(SUPERVISOR),
     "only the police supervisor refuses an application"},
    /* intake.c jy_intake_check_actor; documents.c (upload) */
    {JY_HTTP_POST, "/api/v1/applications", R(CLERK), "only a branch clerk takes intakes"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/documents",
     R(CLERK) | R(OPERATOR) | R(SUPERVISOR),
     "only clerks, back-office operators and the police add scanned documents"},
    /* shipments.c jy_shipments_apply_ex; tracking_import.c jy_tracking_import */
    {JY_HTTP_POST, "/api/v1/shipments/events", R(LOGISTICS) | R(ADMIN),
     "only logistics (or an admin) records the carrier's events"},
    {JY_HTTP_POST, "/api/v1/shipments/import", R(LOGISTICS) | R(ADMIN),
     "only logistics (or an admin) imports the carrier's feed"},
    /* custody.c jy_custody_bag_close, check_logistics, jy_custody_batch_close (dispatcher),
     * jy_custody_resolve, jy_custody_settings_set */
    {JY_HTTP_POST, "/api/v1/bags", R(CLERK), "only a branch clerk closes the branch's bag"},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/reception", R(LOGISTICS),
     "hand-over scanning is for logistics (van crew, mail-centre desk)"},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/scans", R(LOGISTICS),
     "hand-over scanning is for logistics (van crew, mail-centre desk)"},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/reception/close", R(LOGISTICS),
     "hand-over scanning is for logistics (van crew, mail-centre desk)"},
    {JY_HTTP_POST, "/api/v1/dispatch/batches", R(OPERATOR),
     "only operators at the dispatch station close the batch"},
    {JY_HTTP_POST, "/api/v1/dispatch/batches/{batch}/scans", R(LOGISTICS),
     "hand-over scanning is for logistics (van crew, mail-centre desk)"},
    {JY_HTTP_POST, "/api/v1/dispatch/batches/{batch}/handover/close", R(LOGISTICS),
     "hand-over scanning is for logistics (van crew, mail-centre desk)"},
    {JY_HTTP_POST, "/api/v1/discrepancies/{id}/resolve", R(SUPERVISOR) | R(MANAGER),
     "only the police and managers resolve discrepancies"},
    {JY_HTTP_PUT, "/api/v1/custody/settings", R(ADMIN), "only an admin changes the settings"},
    /* service/calendar.c (load a year) */
    {JY_HTTP_PUT, "/api/v1/calendar/{year}", R(ADMIN),
     "only an administrator loads the holiday calendar"},
    /* fines.c jy_fines_import, jy_fines_pay, jy_fines_reverse, may_settle */
    {JY_HTTP_POST, "/api/v1/decision-imports", R(SUPERVISOR) | R(ADMIN),
     "only the police (or an admin) import penalty decisions"},
    {JY_HTTP_POST, "/api/v1/decisions/{decision_number}/payments", R(CLERK),
     "only a branch clerk takes a fine payment"},
    {JY_HTTP_POST, "/api/v1/fine-payments/{id}/reverse", R(SUPERVISOR),
     "only the police reverse a fine payment"},
    {JY_HTTP_POST, "/api/v1/fine-settlements/{date}/reconciliation",
     R(SUPERVISOR) | R(MANAGER) | R(ADMIN),
     "only the police, managers and admins settle the day's fines"},
    /* hall.c hall_staff */
    {JY_HTTP_POST, "/api/v1/hall/tickets/{number}/requeue", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/open", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/close", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/call", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/recall", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/skip", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/start", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/finish", R(CLERK) | R(SUPERVISOR) | R(ADMIN),
     "only hall staff (clerks, police, admins) work at the windows"},
    /* carrier.c jy_carrier_redispatch, jy_carrier_contacted */
    {JY_HTTP_POST, "/api/v1/applications/{number}/redispatch",
     R(LOGISTICS) | R(ADMIN) | R(SUPERVISOR) | R(OPERATOR),
     "only logistics, dispatch operators, the police and admins re-dispatch"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/contacted", R(CLERK) | R(MANAGER) | R(ADMIN),
     "only clerks, managers and admins record a contact with the applicant"},
};
/* clang-format on */

enum jy_err jy__api_route_roles_check(const struct jy_http_request *req, const struct jy_actor *a,
                                      struct jy_error *err)
{
    const char *pattern = jy_http_request_route_pattern(req);
    enum jy_http_method method = jy_http_request_method_id(req);
    if (!pattern || (int)a->role < 0 || a->role >= JY__ROLE_COUNT)
        return JY_OK;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (table[i].method != method || strcmp(table[i].pattern, pattern) != 0)
            continue;
        if (table[i].roles & (1u << a->role))
            return JY_OK;
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL, "%s", table[i].message);
    }
    return JY_OK;
}
