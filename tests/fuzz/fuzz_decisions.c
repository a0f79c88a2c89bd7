/*
 * fuzz_decisions.c — libFuzzer target for the penalty decisions file (src/core/decision.h) and
 * the police's confirmation file.
 *
 * Any input must be read or refused cleanly. Every row handed to the callback is either a
 * checked decision that obeys the rules (a decision number of letters, digits and '-'; a fine
 * in range; a points band; the deadline not before the decision, the decision not after today;
 * the days overdue and the surcharge consistent) or a bad row with a reason; lines only grow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decision.h"
#include "core/money.h"
#include "banned.h"

static const struct jy_date today = {2026, 11, 30};

struct seen {
    long last_line;
};

static bool on_row(void *ctx, long line, const struct jy_decision *d,
                   const struct jy_error *row_err)
{
    struct seen *s = ctx;
    if (line < 2 || line < s->last_line)
        __builtin_trap();
    s->last_line = line;
    if (!d) {
        if (!row_err || row_err->code == JY_OK || row_err->reason[0] == '\0' ||
            memchr(row_err->message, '\0', sizeof(row_err->message)) == NULL)
            __builtin_trap();
        return true;
    }
    size_t n = strnlen(d->number, sizeof(d->number));
    if (n == 0 || n > JY_DECISION_NUMBER_MAX_BYTES)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        char c = d->number[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'))
            __builtin_trap();
    }
    if (d->fine_fen < 1 || d->fine_fen > JY_FINE_MAX_FEN)
        __builtin_trap();
    if (!(d->points == 0 || d->points == 1 || d->points == 3 || d->points == 6 || d->points == 9 ||
          d->points == 12))
        __builtin_trap();
    if (!jy_date_is_valid(d->decision_date) || !jy_date_is_valid(d->payment_deadline) ||
        jy_date_compare(d->payment_deadline, d->decision_date) < 0 ||
        jy_date_compare(d->decision_date, today) > 0)
        __builtin_trap();
    int days = jy_decision_days_overdue(d->payment_deadline, today);
    int64_t s34 = jy_money_fine_surcharge(d->fine_fen, days);
    if (days < 0 || s34 < 0 || s34 > d->fine_fen || (days >= 34 && s34 != d->fine_fen))
        __builtin_trap();
    return true;
}

static bool on_confirmation(void *ctx, long line, const char *number, int64_t amount,
                            const struct jy_error *row_err)
{
    (void)ctx;
    if (line < 2 || (!number && (!row_err || row_err->code == JY_OK)) || (number && amount < 0))
        __builtin_trap();
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = {0};
    struct jy_error err;
    enum jy_err rc = jy_decision_csv_read((const char *)data, size, today, on_row, &s, &err);
    if (rc != JY_OK && (err.code != rc || err.reason[0] == '\0'))
        __builtin_trap();
    rc = jy_decision_confirmations_read((const char *)data, size, on_confirmation, NULL, &err);
    if (rc != JY_OK && (err.code != rc || err.reason[0] == '\0'))
        __builtin_trap();
    return 0;
}
