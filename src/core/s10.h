/*
 * s10.h — postal item numbers by UPU standard S10 (EMS and registered items).
 *
 * Documents go back to the applicant, and to the vehicle administration office, by EMS; each
 * item carries an S10 number such as EA123456785CN: a 2-letter service indicator, an 8-digit
 * serial, a check digit and the ISO 3166-1 alpha-2 code of the issuing country. This module
 * parses and checks such numbers, formats new ones, and hands them out from a block of serials
 * allocated to a post office. Pure functions over caller-owned memory; thread-safe as long as
 * no two threads use one `struct jy_s10_range` at the same time.
 *
 * Source: UPU S10 as summarised in the project's standards notes (§4). The check digit does
 * not catch every single-digit error: remainders 0 and 6 both give check digit 5, so a change
 * that moves the weighted sum from one of those remainders to the other goes unnoticed (for
 * example 00000000 and 90000000 both have check digit 5). Every other single-digit change, and
 * every other adjacent transposition of two different serial digits, is caught.
 */
#ifndef JY_S10_H
#define JY_S10_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* Characters in an S10 number, and the largest 8-digit serial. */
#define JY_S10_LENGTH 13
#define JY_S10_SERIAL_MAX 99999999u

/* One parsed S10 number. Strings are NUL-terminated inside the struct. */
struct jy_s10 {
    char number[JY_S10_LENGTH + 1]; /* normalised, "EA123456785CN" */
    char service[3];                /* service indicator, "EA" */
    uint32_t serial;                /* 0 .. JY_S10_SERIAL_MAX */
    int check;                      /* the check digit, 0..9 */
    char country[3];                /* ISO 3166-1 alpha-2, "CN": an assigned code */
    bool ems;                       /* service indicator EA..EZ (EX..EZ need a bilateral
                                       agreement, which is not checked) */
};

/* The check digit of an 8-digit `serial` (0 .. JY_S10_SERIAL_MAX), 0..9; -1 when `serial` is
 * larger. S10: weights 8 6 4 2 3 5 9 7 over the digits from the left, S their weighted sum,
 * C = 11 - (S mod 11), with C = 10 written 0 and C = 11 written 5. */
int jy_s10_check_digit(uint32_t serial);

/* Parse the S10 number in `s` (`len` bytes, no NUL needed, any bytes) into `*ret`
 * (caller-owned, written only on success). The input is first folded by jy_ident_fold() with
 * JY_IDENT_DROP_SPACES: full-width letters and digits become ASCII, surrounding white space is
 * trimmed, and single spaces between groups, as in the printed form "EA 123 456 785 CN", are
 * dropped. ASCII letters are upper-cased.
 *
 * Errors (`*err` filled when not NULL; reason in brackets):
 *   JY_TOO_LONG [too_long]         more than JY_IDENT_MAX_BYTES bytes of input;
 *   JY_INVALID  [bad_length]       not 13 characters after folding;
 *               [bad_character]    invalid UTF-8, two spaces in a row, or not letter letter,
 *                                  9 digits, letter letter;
 *               [reserved_service] a service indicator starting with J or K (reserved by S10);
 *               [unknown_country]  the last two letters are not an assigned ISO 3166-1 alpha-2
 *                                  code (the list is in s10.c);
 *               [bad_check_digit]  the 11th character is not the serial's check digit.
 * `s` is borrowed; it may be NULL only when `len` is 0. */
enum jy_err jy_s10_parse(const char *s, size_t len, struct jy_s10 *ret, struct jy_error *err);

/* Write the S10 number for `service` (2 letters), `serial` and `country` (2 letters) into
 * `ret` as 13 characters and a NUL ("EA123456785CN"). Lower-case letters are upper-cased.
 * `ret` (at least 14 bytes, caller-owned) is written only on success; `service` and
 * `country` (2 bytes each, no NUL needed) are borrowed.
 * Errors: JY_INVALID [bad_character] a service or country byte that is not a letter,
 * [reserved_service] a service starting with J or K, [unknown_country] a country that is not an
 * assigned ISO 3166-1 alpha-2 code; JY_RANGE [serial_out_of_range] when
 * `serial` > JY_S10_SERIAL_MAX. */
enum jy_err jy_s10_format(const char service[2], uint32_t serial, const char country[2],
                          char ret[JY_S10_LENGTH + 1], struct jy_error *err);

/* A block of serials allocated to one office for one service and country, handed out in
 * order. `first` .. `last` (inclusive, both at most JY_S10_SERIAL_MAX, first <= last) is the
 * block; `next` is the serial the next call to jy_s10_range_next gives, starting at `first`
 * and only ever growing, so a number is never given twice. `next` == `last` + 1 means the block
 * is used up. The caller owns the struct and stores it (with `next`) between uses. */
struct jy_s10_range {
    char service[3]; /* "EA", NUL-terminated */
    char country[3]; /* "CN", NUL-terminated */
    uint32_t first, last, next;
};

/* Write the number for `r->next` into `ret` (at least 14 bytes; "EA000000005CN") and advance
 * `r->next` by one. `r` is borrowed and updated only on success; `ret` is written only on
 * success.
 * Errors: JY_CONFLICT [range_exhausted] when `r->next` > `r->last` (nothing given, nothing
 * changed); JY_INVALID [bad_range] when `r` is NULL, `first` > `last`, `last` >
 * JY_S10_SERIAL_MAX or `next` < `first`; the errors of jy_s10_format for a bad service or
 * country. */
enum jy_err jy_s10_range_next(struct jy_s10_range *r, char ret[JY_S10_LENGTH + 1],
                              struct jy_error *err);

/* How many numbers `r` can still give: `last` - `next` + 1, or 0 when the block is used up or
 * malformed (see jy_s10_range_next). At most JY_S10_SERIAL_MAX + 1. `r` is borrowed; NULL
 * gives 0. */
uint32_t jy_s10_range_left(const struct jy_s10_range *r);

#endif /* JY_S10_H */
