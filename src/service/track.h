/*
 * track.h — the citizen's tracking page: an application's progress in plain words, for anyone
 * who knows its number and the last four characters of the applicant's ID number.
 *
 * The answer carries no personal data: no name, ID number, mobile or address, and none of the
 * free-text notes staff wrote (they may name people); only the business type, the state, the
 * due date, the EMS item number and a timeline built from the events ("彭刘杨路邮政支局受理",
 * "审核通过", "退回补正：材料不清晰", "已封发，EMS单号 EA100000005CN", "已签收"), each in Chinese
 * and English. An unknown number and a wrong id_last4 give the same answer (JY_NOT_FOUND), and the
 * check of the four characters takes the same time whichever of them differs.
 *
 * Thread-safety: callable from any thread.
 */
#ifndef JY_TRACK_H
#define JY_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "service/service.h"
#include "store/workflow.h"

/* One line of the timeline. */
struct jy_track_entry {
    int64_t at; /* UTC seconds */
    char text_zh[JY_TRACK_TEXT_MAX_BYTES];
    char text_en[JY_TRACK_TEXT_MAX_BYTES];
};

/* What the tracking page shows. Release with jy_track_release(). */
struct jy_track {
    char number[JY_WORKFLOW_NUMBER_SIZE]; /* compact form */
    char business_type[JY_WORKFLOW_TYPE_SIZE];
    char business_name_zh[JY_CATALOG_NAME_MAX_BYTES + 1];
    char business_name_en[JY_CATALOG_NAME_MAX_BYTES + 1];
    char state[JY_WORKFLOW_CODE_SIZE];
    char state_zh[JY_WORKFLOW_CODE_SIZE]; /* "办理中" */
    char state_en[JY_WORKFLOW_CODE_SIZE]; /* "In process" */
    char due_date[JY_WORKFLOW_DATE_SIZE];
    char waybill[JY_WORKFLOW_WAYBILL_SIZE]; /* "" before dispatch */
    size_t count;                           /* entries in timeline, oldest first */
    struct jy_track_entry *timeline;        /* owned; at most JY_TRACK_TIMELINE_MAX (the newest) */
};

/* Look up application `number` (compact or display form, any case; borrowed) for a citizen who
 * gives `id_last4` (borrowed; the last four characters of the applicant's ID number, x or X;
 * surrounding spaces ignored) and fill `*ret` (caller's; release it with jy_track_release()).
 * Errors: JY_NOT_FOUND "not_found" for an unknown or malformed number, a missing or wrong
 * id_last4, alike; JY_NOMEM; store errors. `*ret` is untouched on failure. */
enum jy_err jy_track_get(struct jy_service *svc, const char *number, const char *id_last4,
                         struct jy_track *ret, struct jy_error *err);

/* Free what jy_track_get() allocated in `t`. Accepts NULL and a released struct. */
void jy_track_release(struct jy_track *t);

/* The Chinese and English names of application state `state` ("at_station" → "办理中",
 * "In process") into `*ret_zh` and `*ret_en` (static strings); the code itself for a state
 * this module does not know. */
void jy_track_state_names(const char *state, const char **ret_zh, const char **ret_en);

/* The Chinese and English words for event `ev` of an application ("审核通过", "Review
 * passed"; a carrier's event with its location; a custody hand-over), into `zh` (`zs` bytes)
 * and `en` (`es` bytes), truncated to fit. No personal data: staff notes are not used, except
 * the item number of a seal and the carrier's location. */
void jy_track_describe(const struct jy_catalog *cat, const struct jy_store_timeline_event *ev,
                       char *zh, size_t zs, char *en, size_t es);

/* The words for the carrier's status `status` ("in_transit" → "运输中", "In transit"); false
 * for a status that is not the carrier's. Static strings. */
bool jy_track_carrier_words(const char *status, const char **ret_zh, const char **ret_en);

/* The words for a custody hand-over reason (bag_closed, received_at_centre, batch_closed,
 * handed_to_mail_centre, discrepancy_resolved), redispatch or applicant_contacted; false for
 * another reason. Static strings. */
bool jy_track_custody_words(const char *reason, const char **ret_zh, const char **ret_en);

#endif /* JY_TRACK_H */
