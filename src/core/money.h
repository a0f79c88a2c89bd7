/*
 * money.h — amounts of money in integer fen (分, 1/100 yuan), never floating point: display and
 * export formats, parsing of yuan amounts typed by a person or read from a file,
 * overflow-checked addition, and the late-payment surcharge on fines.
 *
 * Every amount is an int64_t count of fen; negative amounts (refunds, corrections) are allowed
 * wherever a sign makes sense. Pure functions, thread-safe.
 */
#ifndef JY_MONEY_H
#define JY_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* Bytes that any formatted amount fits in, NUL included ("-¥92233720368547758.08" is 23). */
#define JY_MONEY_TEXT_SIZE 32

/* Write `fen` for display as yuan with the yuan sign ¥ (U+00A5, 2 bytes in UTF-8) and exactly
 * two decimals, the minus sign in front of the yuan sign, no grouping: 1234 → "¥12.34",
 * -5 → "-¥0.05", 0 → "¥0.00". Every int64_t value, INT64_MIN included, is exact. `ret` is
 * the caller's buffer of JY_MONEY_TEXT_SIZE bytes and is always NUL-terminated. */
void jy_money_format(int64_t fen, char ret[JY_MONEY_TEXT_SIZE]);

/* Write `fen` as yuan for exports (CSV, JSON, bank files): like jy_money_format() without the
 * yuan sign, the minus kept: 1234 → "12.34", -5 → "-0.05", 0 → "0.00". The text is accepted
 * back by jy_money_parse_yuan() and gives the same value. */
void jy_money_format_yuan(int64_t fen, char ret[JY_MONEY_TEXT_SIZE]);

/* Parse a yuan amount from `s` (`len` bytes, no NUL needed) into fen in `*ret`. Accepted: an
 * optional '-', one or more ASCII digits, and optionally '.' followed by one or two digits:
 * "12" → 1200, "12.3" → 1230, "12.34" → 1234, "-0.05" → -5; surrounding ASCII spaces are
 * trimmed. Nothing is ever rounded: a third decimal is an error even when it is 0.
 * Errors (`*ret` untouched): JY_TOO_LONG "too_long" (over JY_IDENT_MAX_BYTES bytes);
 * JY_INVALID "empty", "bad_character" (anything else, incl. '+', grouping commas, "12.",
 * ".5", a currency sign), "too_many_decimals"; JY_RANGE "overflow" (beyond int64_t fen). */
enum jy_err jy_money_parse_yuan(const char *s, size_t len, int64_t *ret, struct jy_error *err);

/* Set `*ret` to a + b. Errors: JY_RANGE when the sum does not fit in int64_t (`*ret` untouched
 * then). */
enum jy_err jy_money_add(int64_t a, int64_t b, int64_t *ret);

/* The late-payment surcharge (加处罚款) on an unpaid fine of `fine_fen`, `days_overdue` days
 * after the payment deadline: 3% of the fine for every day, never more than the fine itself.
 * Source: 行政处罚法 (2021) art. 72(1) "每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出
 * 罚款的数额"; 道路交通安全法 art. 109 gives the same 3% rule for traffic fines.
 *
 * Rounding: the exact amount fine × 3 × days / 100 fen is computed in integers and rounded half
 * up to whole fen, then capped at the fine. Examples: 20000 fen, 10 days → 6000; 20000 fen,
 * 34 days → 20000 (102% capped); 1 fen, 1 day → 0 (0.03 fen); 17 fen, 1 day → 1 (0.51 fen).
 * From day 34 on (3 × 34 > 100) the result is always the fine.
 * `days_overdue` ≤ 0 or `fine_fen` ≤ 0 give 0. Defined, without overflow, for every input. */
int64_t jy_money_fine_surcharge(int64_t fine_fen, int days_overdue);

#endif /* JY_MONEY_H */
