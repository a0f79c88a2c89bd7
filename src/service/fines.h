/*
 * fines.h — fine collection at the counter (W02 交通罚款代收): importing the police's penalty
 * decisions, looking them up with the late-payment surcharge of the day, taking the payment,
 * reversing it, the payment receipt, the day's settlement file and its reconciliation against
 * the police's confirmation file.
 *
 * The rules:
 * - The surcharge is jy_money_fine_surcharge() (3% of the fine per day past the deadline, never
 *   more than the fine; 行政处罚法 art. 72) for the days overdue on today's date in
 *   Asia/Shanghai (jy_service_now). Paying on the deadline day costs the fine alone.
 * - Who: clerks, the police supervisor, managers and admins look decisions up; only a clerk
 *   takes a payment, recorded with the clerk and the clerk's branch; only the supervisor
 *   reverses one, on the day it was made, with a reason (the decision is then open again);
 *   the supervisor, managers and admins settle and reconcile, and import (with the system
 *   actor of a command).
 * - A payment must be exactly the total of the day (fine + surcharge): anything else is
 *   JY_UNPROCESSABLE "wrong_amount". A decision has at most one payment in force: paying it
 *   again is JY_CONFLICT "already_paid".
 * - An import checks every row (decision.h), adds the good new ones and reports the bad ones
 *   by line; a row whose decision number is already stored is "unchanged" when it is equal to
 *   the stored one, and reported as "changed" (never overwritten) when it is not. The whole
 *   import is one transaction: a file that is not a decisions file writes nothing.
 * Every function may be called from any thread.
 */
#ifndef JY_FINES_H
#define JY_FINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/decision.h"
#include "service/service.h"
#include "store/fines.h"

/* A decision as the counter sees it today. */
struct jy_fine {
    struct jy_store_decision decision;
    int days_overdue;      /* days past payment_deadline today; 0 on or before it */
    int64_t surcharge_fen; /* jy_money_fine_surcharge(fine, days_overdue) */
    int64_t total_fen;     /* fine + surcharge: what the clerk collects today */
    bool open;             /* no payment in force */
};

/* Decision `number` (any case) as of today. Errors: JY_FORBIDDEN "forbidden" (a role that does
 * not look fines up); JY_INVALID "bad_decision_number"; JY_NOT_FOUND "not_found"; store. */
enum jy_err jy_fines_get(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         struct jy_fine *ret, struct jy_error *err);

/* The open decisions of plate `plate` with type `plate_type` (both given), or of licence number
 * `licence_number` (when `plate` is NULL), as of today, oldest deadline first; `fn` for each.
 * Errors: JY_FORBIDDEN; JY_INVALID "missing_field" (neither given), the plate's, plate type's
 * and ID number's reasons (field "plate", "plate_type", "licence_number"); store. */
enum jy_err jy_fines_find(struct jy_service *svc, const struct jy_actor *actor, const char *plate,
                          const char *plate_type, const char *licence_number,
                          bool (*fn)(void *ctx, const struct jy_fine *f), void *ctx,
                          struct jy_error *err);

/* What a clerk hands in to pay decision `number`. */
struct jy_fine_payment_request {
    const char *method;          /* cash | bank_card | qr */
    int64_t amount_fen;          /* must equal today's total */
    const char *reference;       /* required for bank_card and qr; NULL or "" for cash */
    const char *idempotency_key; /* NULL: none; else 1..JY_IDEMPOTENCY_KEY_MAX_BYTES printable
                                    ASCII without spaces */
};

/* Take the payment of decision `number`. `*ret` is the payment; `*ret_repeated` true when the
 * same Idempotency-Key was used before for the same decision and amount (the payment made then
 * is returned, nothing is written). Errors: JY_FORBIDDEN "forbidden" (not a clerk);
 * JY_INVALID "bad_decision_number", "bad_method" (field "method"), "missing_field" (field
 * "reference"), "bad_reference", "bad_idempotency_key"; JY_NOT_FOUND; JY_UNPROCESSABLE
 * "wrong_amount" (field "amount_fen"; the message names the amount due);
 * JY_CONFLICT "already_paid", "idempotency_key_reused"; store. */
enum jy_err jy_fines_pay(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         const struct jy_fine_payment_request *rq,
                         struct jy_store_fine_payment *ret, bool *ret_repeated,
                         struct jy_error *err);

/* Reverse payment `payment_id` with `reason` (1..JY_NOTE_MAX_BYTES of clean text). Only the
 * supervisor, only on the payment's settlement day. `*ret` is the payment afterwards.
 * Errors: JY_FORBIDDEN; JY_INVALID "missing_field" / "invalid_reason" (field "reason");
 * JY_NOT_FOUND; JY_CONFLICT "already_reversed", "not_same_day"; store. */
enum jy_err jy_fines_reverse(struct jy_service *svc, const struct jy_actor *actor,
                             int64_t payment_id, const char *reason,
                             struct jy_store_fine_payment *ret, struct jy_error *err);

/* Payment `payment_id` for reading (receipt): a clerk of its branch, the supervisor, managers,
 * admins. Errors: JY_FORBIDDEN "forbidden" / "out_of_scope"; JY_NOT_FOUND; store. */
enum jy_err jy_fines_payment_get(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t payment_id, struct jy_store_fine_payment *ret,
                                 struct jy_error *err);

/* The payment receipt of payment `payment_id` as a PDF on the 80 mm roll: decision number as
 * Code 128 and QR, plate, fine, surcharge, total, method, clerk and branch, reversed when it
 * was. `*ret` (malloc, caller frees) and `*ret_len`. Errors: as jy_fines_payment_get; render. */
enum jy_err jy_fines_receipt_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t payment_id, unsigned char **ret, size_t *ret_len,
                                 struct jy_error *err);

/* How one import went. */
struct jy_fines_import_result {
    long imported;  /* new decisions stored */
    long unchanged; /* rows equal to a stored decision */
    long changed;   /* rows whose number is stored with other values: reported, not stored */
    long bad;       /* rows that broke a rule */
};

/* Called for each row that was not imported: `status` "bad" (row_err says why), "changed"
 * (row_err "decision_changed" names the first differing field), or "unchanged". */
typedef void (*jy_fines_import_report_fn)(void *ctx, long line, const char *number,
                                          const char *status, const struct jy_error *row_err);

/* Import the decisions file `text` (`len` bytes). `report` (may be NULL) hears of every row
 * not imported. Errors: JY_FORBIDDEN (not supervisor, admin or the system); the file's own
 * (jy_decision_csv_read): nothing is written then; store. */
enum jy_err jy_fines_import(struct jy_service *svc, const struct jy_actor *actor, const char *text,
                            size_t len, jy_fines_import_report_fn report, void *ctx,
                            struct jy_fines_import_result *ret, struct jy_error *err);

/* One branch's totals of a day: payments in force only. */
struct jy_fines_branch_total {
    int64_t branch_id;
    char code[33];
    char name[121];
    int64_t count, fine_fen, surcharge_fen, amount_fen;
};

/* A day's settlement. */
struct jy_fines_settlement {
    char date[JY_DATE_TEXT_SIZE];
    struct jy_store_fine_payment *payments; /* every payment of the day, reversed ones too */
    size_t n_payments;
    struct jy_fines_branch_total *branches; /* by branch code */
    size_t n_branches;
    int64_t count, fine_fen, surcharge_fen, amount_fen; /* in force, all branches */
    int64_t reversed;                                   /* payments reversed */
};

/* The settlement of day `date` (Asia/Shanghai). `*ret` is freed with
 * jy_fines_settlement_free(). Errors: JY_FORBIDDEN; JY_NOMEM; store. */
enum jy_err jy_fines_settlement(struct jy_service *svc, const struct jy_actor *actor,
                                struct jy_date date, struct jy_fines_settlement **ret,
                                struct jy_error *err);

void jy_fines_settlement_free(struct jy_fines_settlement *s);

/* The settlement file of `s` for the police and finance (CSV, CRLF, UTF-8):
 *   record,date,branch_code,branch_name,payment_id,decision_number,plate,plate_type,method,
 *   reference,clerk,paid_at,days_overdue,fine_fen,surcharge_fen,amount_fen
 * one "payment" row per payment in force, one "reversed" row per payment of the day that was
 * reversed (in no total), one "branch_total" row per branch, one "total" row,
 * and last the line "sha256,HEX" where HEX is the SHA-256 of every byte before that line (so
 * `head -n -1 FILE | sha256sum` prints HEX). `*ret` (malloc, NUL-terminated, caller frees).
 * Errors: JY_NOMEM. */
enum jy_err jy_fines_settlement_csv(const struct jy_fines_settlement *s, char **ret,
                                    size_t *ret_len, struct jy_error *err);

/* The reconciliation of a day against the police's confirmation file. */
struct jy_fines_recon_item {
    char decision_number[JY_DECISION_NUMBER_MAX_BYTES + 1];
    int64_t amount_fen;     /* ours for matched and missing; theirs for unexpected */
    int64_t our_amount_fen; /* unexpected "amount_differs": what we collected */
    long line;              /* line in their file; 0 for missing */
    char reason[40];        /* unexpected: "not_paid_that_day", "amount_differs",
                               "duplicate"; bad rows: the row's reason */
};
struct jy_fines_reconciliation {
    struct jy_fines_recon_item *matched, *missing, *unexpected, *bad;
    size_t n_matched, n_missing, n_unexpected, n_bad;
};

/* Reconcile settlement `s` with confirmation file `text` (`len` bytes): a payment in force of
 * the day with a row of the same decision number and amount is matched; a payment with no row is
 * missing; a row with no such payment, a different amount or a repeated number is unexpected;
 * rows that break the format are listed as bad. `*ret` is freed with
 * jy_fines_reconciliation_free(). Errors: the file's own (jy_decision_confirmations_read);
 * JY_NOMEM. */
enum jy_err jy_fines_reconcile(const struct jy_fines_settlement *s, const char *text, size_t len,
                               struct jy_fines_reconciliation **ret, struct jy_error *err);

void jy_fines_reconciliation_free(struct jy_fines_reconciliation *r);

/* Parse a payment method code. False when it is not one. */
bool jy_fines_method_valid(const char *method);

#endif /* JY_FINES_H */
