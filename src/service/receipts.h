/*
 * receipts.h — the paper of an application and of the day's dispatch, as the service prints it:
 * the acceptance receipt (受理回执) with its signed QR, the envelope label of a sealed
 * application, the manifest of the day's outbound EMS batch, and the check of a scanned
 * receipt's QR.
 *
 * These use cases gather what the documents of src/render show — catalog names, the clerk's and
 * the branch's names, the centre's name (setting centre_name_zh), the tracking URL signed with
 * the centre's key — check who is asking, and hand back the PDF.
 *
 * Who may print what:
 *   receipt    whoever may read the application (query.h: the clerks of its branch, the
 *              operators who work on it, supervisor, manager, admin; logistics once sealed);
 *   label      operators at dispatch, supervisors and logistics, for an application that is
 *              sealed or further on (sealed, shipped, delivered, delivery_failed, returned);
 *   manifest   operators at dispatch, logistics, supervisors and managers;
 *   verify     anyone (the citizen's phone).
 *
 * Thread-safety: every function may be called from any thread (each uses its own connection).
 */
#ifndef JY_RECEIPTS_H
#define JY_RECEIPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "render/receipt.h"
#include "render/receipt_sign.h"
#include "service/service.h"
#include "store/applications.h"

/* The tracking URL of application `number` (compact form, borrowed) under the service's public
 * URL, without the signature: "<public_url>/track.html?number=<number>", into `ret` (`size`
 * bytes). Errors: JY_TOO_LONG "too_long". */
enum jy_err jy_receipts_tracking_url(const struct jy_service *svc, const char *number, char *ret,
                                     size_t size, struct jy_error *err);

/*
 * The receipt of application `number` (as typed, borrowed) in `format`, as PDF: `*ret` is
 * allocated with malloc() and freed by the caller with free(), `*ret_len` bytes;
 * `ret_number` (caller's buffer) gets the compact number, for the file name. Outputs untouched
 * on failure. Errors: those of jy_query_get() (400 invalid_number, 404, 403 out_of_scope);
 * JY_CONFLICT "no_receipt_key" when the service has no signing key; the errors of
 * jy_receipt_sign_payload() and jy_render_receipt(); store errors.
 */
enum jy_err jy_receipts_receipt_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                    const char *number, enum jy_receipt_format format,
                                    unsigned char **ret, size_t *ret_len,
                                    char ret_number[JY_APP_NUMBER_SIZE], struct jy_error *err);

/*
 * The 100 × 150 mm envelope label of application `number` (as typed, borrowed), as PDF; outputs
 * as jy_receipts_receipt_pdf(). Errors: JY_FORBIDDEN "forbidden" for a role that does not
 * dispatch (checked before anything is read); JY_INVALID "invalid_number"; JY_NOT_FOUND;
 * JY_CONFLICT "not_sealed" before the application is sealed; the errors of jy_render_label();
 * store errors.
 */
enum jy_err jy_receipts_label_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                  const char *number, unsigned char **ret, size_t *ret_len,
                                  char ret_number[JY_APP_NUMBER_SIZE], struct jy_error *err);

/*
 * The manifest (交接清单) of the outbound EMS batch of `day` (Asia/Shanghai): every application
 * sealed that day, in order of sealing, each with its waybill as Code 128; as PDF (outputs as
 * above, without a number). The batch reference is "<centre code>OB<YYYYMMDD>". Errors:
 * JY_FORBIDDEN "forbidden" for a role that may not (checked first); JY_RANGE "too_many" beyond
 * JY_MANIFEST_MAX_ITEMS; the errors of jy_render_manifest(); store errors.
 */
enum jy_err jy_receipts_outbound_manifest_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                              struct jy_date day, unsigned char **ret,
                                              size_t *ret_len, struct jy_error *err);

/* How the record compares with what a genuine receipt says. */
enum jy_receipt_record {
    JY_RECEIPT_RECORD_MATCHES, /* the application exists with this acceptance date and fee */
    JY_RECEIPT_RECORD_DIFFERS, /* it exists, but its date or fee is not the receipt's */
    JY_RECEIPT_RECORD_MISSING, /* no application has this number (any more) */
};

/* What a scanned receipt says. */
struct jy_receipt_check {
    enum jy_receipt_verdict verdict; /* genuine, bad signature or malformed */
    struct jy_receipt_claim claim;   /* the signed number, date and fee: genuine only */
    enum jy_receipt_record record;   /* genuine only */
    bool fee_differs;                /* DIFFERS: the recorded fee is another */
    bool date_differs;               /* DIFFERS: the recorded acceptance date is another */
};

/*
 * Check the scanned payload `payload` (`len` bytes, borrowed: the token after "r=" or the whole
 * scanned URL) against the centre's key, and a genuine one against the database, into `*ret`
 * (caller-owned; untouched on failure). A receipt that is not genuine is a verdict, not an
 * error. Errors: JY_CONFLICT "no_receipt_key"; the errors of jy_receipt_sign_verify(); store
 * errors.
 */
enum jy_err jy_receipts_verify(struct jy_service *svc, const char *payload, size_t len,
                               struct jy_receipt_check *ret, struct jy_error *err);

/* The UTC seconds [*ret_from, *ret_to) of civil day `day` in Asia/Shanghai (UTC+8). Pure. */
void jy_receipts_day_range(struct jy_date day, int64_t *ret_from, int64_t *ret_to);

/* The centre's name (setting centre_name_zh) into `ret` (`size` bytes): the code's
 * "<centre_code> 车驾管业务邮政代办中心" when the setting is absent. Store errors only. */
enum jy_err jy_receipts_centre_name(struct jy_service *svc, struct jy_store_conn *conn, char *ret,
                                    size_t size, struct jy_error *err);

#endif /* JY_RECEIPTS_H */
