/*
 * custody.h — the two daily van hand-overs and the EMS item numbers (DESIGN §3 "Van
 * hand-overs"):
 *
 *   branch bag      the clerk closes the branch's bag at its cut-off (branches.bag_cutoff,
 *                   default 17:30 Asia/Shanghai): every paper file accepted at the branch
 *                   before the cut-off and in no bag yet, under a seal number, with its manifest
 *                   (交接清单). Closed before the cut-off, it takes what was accepted until then.
 *   reception       the next morning logistics opens the bag at the centre and scans each file;
 *                   closing reception opens a discrepancy for each file missing, each file that
 *                   was not in the bag (extra) and each file scanned twice (duplicate).
 *   dispatch batch  dispatch closes the day's batch at the centre's cut-off (setting
 *                   dispatch_cutoff, default 17:00): every envelope sealed before it and in no
 *                   batch; the mail centre (logistics) scans each envelope in, which ships it
 *                   (state shipped); closing the hand-over opens a discrepancy per missing one.
 *   discrepancies   stay open until the police or a manager resolves them: found, resent (the
 *                   file is then counted as received) or lost (the applicant is asked for a
 *                   replacement; the file counts as not received).
 *   S10 ranges      blocks of EMS item numbers allocated to the centre (store/custody.h).
 *
 * Every hand-over of an application also appends an event to its history (to_state = its
 * current state, reason bag_closed, received_at_centre, batch_closed, handed_to_mail_centre or
 * discrepancy_resolved; note = the seal or batch number), so the hash chain covers custody.
 *
 * Who may: close a bag — the branch's clerks; reception and the mail centre's scans —
 * logistics; close a batch — operators at dispatch; see bags and batches and print their
 * manifests — those, supervisors and managers (a clerk only its branch's); the discrepancy
 * list — supervisors, managers and logistics; resolve — supervisors and managers; settings —
 * admins. Roles are checked before anything is read.
 *
 * Settings (table settings): custody_archive_gate "on" (default) | "off" — the archive station
 * refuses to complete an application whose paper file was not received; dispatch_cutoff
 * "HH:MM" (default "17:00"); s10_low_threshold, numbers (default 500) below which the S10
 * stock is reported low.
 *
 * Thread-safety: every function may be called from any thread (each uses its own connection).
 */
#ifndef JY_CUSTODY_H
#define JY_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"
#include "store/custody.h"

#define JY_CUSTODY_DEFAULT_DISPATCH_CUTOFF "17:00"
#define JY_CUSTODY_DEFAULT_S10_LOW 500

/* What the next hand-over would take now. */
struct jy_custody_preview {
    int64_t branch_id; /* bags: the branch; 0 for the batch */
    char branch_code[33];
    char cutoff[6];    /* "17:30" */
    int64_t until;     /* UTC seconds: it would take what came before this */
    int64_t pending;   /* how many it would take (at most JY_MANIFEST_MAX_ITEMS + 1) */
    bool after_cutoff; /* now is past today's cut-off */
};

/* The next bag of branch `branch_code` (NULL or "": the clerk's own branch) as of now. Errors:
 * JY_FORBIDDEN; JY_NOT_FOUND "unknown_branch"; JY_INVALID "missing_field" (branch) for a role
 * without a branch that names none; store errors. */
enum jy_err jy_custody_bag_preview(struct jy_service *svc, const struct jy_actor *actor,
                                   const char *branch_code, struct jy_custody_preview *ret,
                                   struct jy_error *err);

/* Close the bag of the clerk's branch now (see above) into `*ret`. Errors: JY_FORBIDDEN for
 * anyone but a clerk; JY_UNPROCESSABLE "bag_empty" when there is nothing to put in it;
 * JY_CONFLICT "bag_already_closed" when the bag of this cut-off was closed already and nothing
 * came since; JY_RANGE "too_many"; store errors. */
enum jy_err jy_custody_bag_close(struct jy_service *svc, const struct jy_actor *actor,
                                 struct jy_store_handover *ret, struct jy_error *err);

/* As jy_custody_bag_close() for branch `branch_id`, taking what was accepted before `until`
 * (UTC seconds), closed at `now`: for the demo city, which seeds days gone by. */
enum jy_err jy_custody_bag_close_at(struct jy_service *svc, const struct jy_actor *actor,
                                    int64_t branch_id, int64_t until, int64_t now,
                                    struct jy_store_handover *ret, struct jy_error *err);

/* The bag or batch `reference` (borrowed) into `*ret`, with its items into `fn` when not
 * NULL. Errors: JY_FORBIDDEN; JY_NOT_FOUND "unknown_bag" / "unknown_batch"; JY_FORBIDDEN
 * "out_of_scope" for another branch's bag. */
enum jy_err jy_custody_get(struct jy_service *svc, const struct jy_actor *actor,
                           enum jy_custody_kind kind, const char *reference,
                           struct jy_store_handover *ret,
                           bool (*fn)(void *ctx, const struct jy_store_handover_item *it),
                           void *ctx, struct jy_error *err);

/* Newest first, at most `limit` (1..JY_PAGE_MAX_ITEMS): bags (a clerk's: its branch's; else of
 * branch `branch_code` when given) or batches, in `state` when not NULL. */
enum jy_err jy_custody_list(struct jy_service *svc, const struct jy_actor *actor,
                            enum jy_custody_kind kind, const char *branch_code, const char *state,
                            size_t limit, bool (*fn)(void *ctx, const struct jy_store_handover *h),
                            void *ctx, struct jy_error *err);

/* The manifest (交接清单) of bag or batch `reference` as an A4 PDF: `*ret` (malloc, caller
 * frees), `*ret_len`. Errors as jy_custody_get(), and those of jy_render_manifest(). */
enum jy_err jy_custody_manifest_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                    enum jy_custody_kind kind, const char *reference,
                                    unsigned char **ret, size_t *ret_len, struct jy_error *err);

/* Open the reception of bag `seal` (logistics): state receiving. Opening it again is a no-op.
 * JY_CONFLICT "already_received" once closed. */
enum jy_err jy_custody_reception_open(struct jy_service *svc, const struct jy_actor *actor,
                                      const char *seal, struct jy_store_handover *ret,
                                      struct jy_error *err);

/* What one scan found. */
struct jy_custody_scan_result {
    char number[JY_WORKFLOW_NUMBER_SIZE]; /* the application scanned, compact */
    char waybill[JY_WORKFLOW_WAYBILL_SIZE];
    const char *outcome;               /* "expected", "extra", "duplicate" (static) */
    char other[JY_CUSTODY_REF_SIZE];   /* extra: the bag or batch it is really in; "" */
    char state[JY_WORKFLOW_CODE_SIZE]; /* the application's state after the scan */
    struct jy_store_handover handover; /* the bag or batch, counts after the scan */
    /* The open "missing" discrepancy of an earlier hand-over that this scan resolved as found
     * (the file or envelope turned up here): its id and its bag or batch; 0 and "" when none. */
    int64_t resolved_id;
    char resolved_reference[JY_CUSTODY_REF_SIZE];
};

/* Scan `code` (an application number in either form, or for a batch an S10 item number) into
 * bag `reference` at the centre (kind BAG; the bag must be receiving) or into batch
 * `reference` at the mail centre (kind BATCH; the first scan opens the hand-over; an expected
 * envelope becomes shipped). Records custody (who, where, when, which bag) and, unless a
 * duplicate, an event. A file or envelope that an earlier hand-over found missing (an open
 * "missing" discrepancy) is found now: that discrepancy is resolved "found" by the scanner, its
 * note naming this bag or batch, with a "discrepancy_resolved" event. Errors: JY_FORBIDDEN
 * (logistics only); JY_INVALID "invalid_number" (field number); JY_NOT_FOUND "not_found" for a
 * number no application has, "unknown_bag", "unknown_batch"; JY_CONFLICT "reception_not_open",
 * "already_received". */
enum jy_err jy_custody_scan(struct jy_service *svc, const struct jy_actor *actor,
                            enum jy_custody_kind kind, const char *reference, const char *code,
                            struct jy_custody_scan_result *ret, struct jy_error *err);

/* Close the reception of bag `reference` or the hand-over of batch `reference`: opens a
 * discrepancy for every item not scanned (missing), every application scanned that was not in
 * it (extra) and, for bags, every one scanned more than once (duplicate); state received.
 * Errors: JY_FORBIDDEN; JY_NOT_FOUND; JY_CONFLICT "already_received", "reception_not_open". */
enum jy_err jy_custody_reception_close(struct jy_service *svc, const struct jy_actor *actor,
                                       enum jy_custody_kind kind, const char *reference,
                                       struct jy_store_handover *ret, struct jy_error *err);

/* Discrepancies, newest first, at most `limit`: open ones or all; of one hand-over when
 * `reference` is given (kind says which). */
enum jy_err jy_custody_discrepancies(struct jy_service *svc, const struct jy_actor *actor,
                                     bool open, enum jy_custody_kind kind, const char *reference,
                                     size_t limit,
                                     bool (*fn)(void *ctx, const struct jy_store_discrepancy *d),
                                     void *ctx, struct jy_error *err);

/* Resolve discrepancy `id` with `resolution` (found | resent | lost) and `note` (borrowed, may
 * be NULL; required for lost), into `*ret`. Records an event on the application. Errors:
 * JY_FORBIDDEN (supervisor, manager); JY_UNPROCESSABLE "unknown_resolution", "note_required";
 * JY_NOT_FOUND "unknown_discrepancy"; JY_CONFLICT "already_resolved". */
enum jy_err jy_custody_resolve(struct jy_service *svc, const struct jy_actor *actor, int64_t id,
                               const char *resolution, const char *note,
                               struct jy_store_discrepancy *ret, struct jy_error *err);

/* The dispatch desk's figures. */
struct jy_custody_dispatch {
    struct jy_custody_preview next; /* the next batch */
    int64_t s10_left;               /* item numbers left over all ranges */
    int64_t s10_threshold;          /* below this, s10_low */
    bool s10_low;
};

/* The dispatch desk's figures now. Errors: JY_FORBIDDEN (dispatch operators, logistics,
 * supervisors, managers, admins). */
enum jy_err jy_custody_dispatch_status(struct jy_service *svc, const struct jy_actor *actor,
                                       struct jy_custody_dispatch *ret, struct jy_error *err);

/* Close the dispatch batch now (operators at dispatch). Errors as jy_custody_bag_close():
 * "batch_empty", "batch_already_closed". */
enum jy_err jy_custody_batch_close(struct jy_service *svc, const struct jy_actor *actor,
                                   struct jy_store_handover *ret, struct jy_error *err);

/* The EMS item numbers left to the centre, over all its ranges, into `*ret_left`, and the
 * low-stock threshold (setting s10_low_threshold) into `*ret_threshold` (may be NULL). For
 * /metrics and the dispatch page; no actor: it reveals no personal data. Errors: store
 * errors. */
enum jy_err jy_custody_s10_left(struct jy_service *svc, int64_t *ret_left, int64_t *ret_threshold,
                                struct jy_error *err);

/* Add an S10 range (admins, or the system actor for the CLI); see jy_store_s10_add(). */
enum jy_err jy_custody_s10_add(struct jy_service *svc, const struct jy_actor *actor,
                               const struct jy_s10_range *r, int64_t *ret_id, struct jy_error *err);

/* The custody of an application's paper file and envelope, for its JSON. */
struct jy_custody_status {
    const char *paper;               /* "at_branch" | "in_bag" | "received" | "lost" (static) */
    char bag[JY_CUSTODY_REF_SIZE];   /* the bag's seal; "" when in none */
    int64_t received_at;             /* UTC seconds; 0 when not received */
    const char *envelope;            /* NULL (no batch) | "in_batch" | "handed_over" */
    char batch[JY_CUSTODY_REF_SIZE]; /* the batch number; "" when in none */
    int64_t open_discrepancies;
};

/* The custody of application `application_id`, on the calling thread's connection. */
enum jy_err jy_custody_status(const struct jy_service *svc, int64_t application_id,
                              struct jy_custody_status *ret, struct jy_error *err);

/* The archive gate: inside the caller's transaction on `conn`, JY_OK when the archive station
 * may complete application `application_id`: the gate is off, or its paper file was received.
 * Else JY_CONFLICT "paper_not_received" or "paper_lost", with a message saying why. */
enum jy_err jy_custody_archive_check(struct jy_store_conn *conn, int64_t application_id,
                                     struct jy_error *err);

/* The settings above. */
struct jy_custody_settings {
    bool archive_gate;
    char dispatch_cutoff[6]; /* "HH:MM" */
    int64_t s10_low_threshold;
};

enum jy_err jy_custody_settings_get(struct jy_service *svc, struct jy_custody_settings *ret,
                                    struct jy_error *err);

/* Change the settings (admins; or the system actor). `s->dispatch_cutoff` must be HH:MM
 * (JY_UNPROCESSABLE "invalid_cutoff"), the threshold 0..99999999. */
enum jy_err jy_custody_settings_set(struct jy_service *svc, const struct jy_actor *actor,
                                    const struct jy_custody_settings *s, struct jy_error *err);

/* Parse "HH:MM" into minutes after midnight. */
bool jy_custody_parse_cutoff(const char *s, int *ret_minutes);

#endif /* JY_CUSTODY_H */
