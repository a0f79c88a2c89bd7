/*
 * notify.h — text messages to applicants: which event sends which message, the templates
 * (data/notifications.json, built into the program, Chinese sent and English kept beside it),
 * and queueing them in the outbox (src/store/carrier.h) in the transaction of the event that
 * causes them. The sender (outbox.h) posts them later, never inside the request.
 *
 * The events that send a message, and the message:
 *   intake (first event)                 accepted
 *   → correction (returned at a station) correction, with the reason's name
 *   → refused                            refused, with the reason's name
 *   → shipped                            shipped, with the EMS item number (once per number)
 *   carrier out_for_delivery             out_for_delivery
 *   → delivered                          delivered
 *   → delivery_failed                    delivery_failed, with the carrier's reason
 *   → returned                           returned
 * Each message has a dedupe key ("shipped:EA…CN", "accepted:42") so that the same cause queued
 * twice — the carrier's "shipped" after the mail centre's scan-in made the item shipped — sends
 * one message. An application without a mobile number gets no message (nothing is queued).
 *
 * Thread-safety: callable from any thread; the templates are parsed once, on first use.
 */
#ifndef JY_NOTIFY_H
#define JY_NOTIFY_H

#include <stdint.h>

#include "service/service.h"
#include "store/audit.h"
#include "store/carrier.h"

/* What a message may say beyond the application itself. Strings borrowed; NULL when unknown. */
struct jy_notify_detail {
    const char *waybill;  /* EMS item number; NULL: the application's own */
    const char *location; /* the carrier's place name */
    const char *failure;  /* the carrier's reason for a failed delivery */
};

/*
 * In the caller's open transaction on `conn`: queue the message that event `ev` (just appended,
 * borrowed) causes, if any (see the table above). `reason_status` is the carrier's status for
 * a carrier's event that changes no state (out_for_delivery), else NULL. Errors: store errors
 * (the caller rolls the event back with them: an event and its message are written together or
 * not at all); JY_INTERNAL "bad_templates" when the built-in templates do not parse.
 */
enum jy_err jy_notify_on_event(struct jy_service *svc, struct jy_store_conn *conn,
                               const struct jy_event *ev, const char *reason_status,
                               const struct jy_notify_detail *detail, struct jy_error *err);

/* Fill template `code` (accepted, correction, …) in language `lang` ("zh" or "en") for
 * application `w` with `detail` and the reason code `reason` (may be NULL) into `ret` (`size`
 * bytes). JY_NOT_FOUND "unknown_template"; JY_TOO_LONG when the text does not fit. For tests
 * and previews. */
enum jy_err jy_notify_render(struct jy_service *svc, const char *code, const char *lang,
                             const struct jy_store_workflow *w, const char *reason,
                             const struct jy_notify_detail *detail, char *ret, size_t size,
                             struct jy_error *err);

#endif /* JY_NOTIFY_H */
