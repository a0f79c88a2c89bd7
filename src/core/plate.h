/*
 * plate.h — motor-vehicle licence plates (号牌号码) by GA 36-2018, and the plate-type codes
 * (号牌种类) that go with them.
 *
 * A post-office clerk types the plate of the vehicle an application is about; this module
 * checks that it is a plate number GA 36-2018 can produce, returns it in one normalised form,
 * says what kind of plate it is, and checks it against the plate-type code chosen on the form.
 * Pure functions over caller-owned memory; no globals that change; thread-safe.
 *
 * The shapes accepted (province = one of the 31 abbreviations below, L = issuing-authority
 * letter A–Z except I, S = a serial character from [0-9A-HJ-NP-Z], D = digit, E = energy letter
 * from [DABCEFGHJK]):
 *
 *   ordinary            province L S S S S S        京A12345, 沪AB1234
 *   new energy, small   province L E S D D D D      粤BD12345, 京AFA1234
 *   new energy, large   province L D D D D D E      粤B12345D
 *   suffix plates       province L S S S S X        X one of 学 警 挂 港 澳 领: 粤B1234学
 *   embassy             使 D D D D D D              使014578
 *
 * Sources: GA 36-2018 as summarised in the project's standards notes (§2); the energy letters
 * D/F of the 2016 new-energy plates and their later extension to A B C E / G H J K are from
 * secondary sources, which agree with each other.
 */
#ifndef JY_PLATE_H
#define JY_PLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"

/* Bytes of `struct jy_plate.text`: the longest normalised plate is 3 (province) + 1 (letter)
 * + 6 (serial) = 10 bytes, or 3 + 1 + 4 + 3 (suffix) = 11, plus the NUL. */
#define JY_PLATE_TEXT_SIZE 32

/* What kind of plate a plate number is, read off its shape. */
enum jy_plate_kind {
    JY_PLATE_ORDINARY,         /* province + letter + 5 serial characters (blue or yellow) */
    JY_PLATE_NEW_ENERGY_SMALL, /* energy letter first: gradient-green plate */
    JY_PLATE_NEW_ENERGY_LARGE, /* energy letter last: yellow-green plate */
    JY_PLATE_COACH,            /* 学 suffix: driving-school vehicle */
    JY_PLATE_POLICE,           /* 警 suffix */
    JY_PLATE_TRAILER,          /* 挂 suffix */
    JY_PLATE_HONGKONG,         /* 港 suffix: Hong Kong cross-border vehicle */
    JY_PLATE_MACAO,            /* 澳 suffix: Macao cross-border vehicle */
    JY_PLATE_CONSULATE,        /* 领 suffix */
    JY_PLATE_EMBASSY           /* 使 prefix + 6 digits */
};

/* One parsed plate. Every string is NUL-terminated UTF-8 inside the struct (no pointers). */
struct jy_plate {
    /* The normalised plate: no separator, ASCII letters in upper case, e.g. "京A12345". */
    char text[JY_PLATE_TEXT_SIZE];
    /* The province abbreviation as UTF-8 ("京"), or "使" for an embassy plate. */
    char province[4];
    /* The issuing-authority letter 'A'..'Z' (never 'I'); 0 for an embassy plate. */
    char authority;
    enum jy_plate_kind kind;
    /* The energy letter of a new-energy plate ('D', 'F', …); 0 for every other kind. */
    char energy;
    /* True when the issuing letter is 'O'. GA 36-2018 sources disagree on whether O is ever
     * issued, so it is accepted and the caller should show a warning. */
    bool warn_letter_o;
};

/* The stable snake_case name of `kind`: "ordinary", "new_energy_small", "new_energy_large",
 * "coach", "police", "trailer", "hongkong", "macao", "consulate", "embassy"; "unknown" for a
 * value outside the enum. Returns a static string. */
const char *jy_plate_kind_name(enum jy_plate_kind kind);

/* Parse the plate number in `s` (`len` bytes of UTF-8, no NUL needed; may contain any bytes)
 * into `*ret` (caller-owned, written only on success).
 *
 * Normalisation: the input is first folded by jy_ident_fold() — full-width ASCII (０-９,
 * Ａ-Ｚ, ａ-ｚ, as typed with a Chinese input method) becomes ASCII, the ideographic space
 * U+3000 a space, and surrounding white space (space, tab, CR, LF) is trimmed; ASCII letters
 * are upper-cased; one separator directly after the issuing letter (or after 使) is accepted
 * and dropped — a space, a middle dot U+00B7 "·", or its look-alikes U+2022 "•" and U+30FB
 * "・".
 *
 * Errors (`*err` filled when not NULL; `reason` in brackets):
 *   JY_TOO_LONG  more than JY_IDENT_MAX_BYTES bytes of input [too_long];
 *   JY_INVALID   [bad_character]  invalid UTF-8, a control byte, a stray separator, a letter I
 *                                 or O in the serial, or an unknown suffix character;
 *                [unknown_province] the first character is not one of the 31 provinces or 使;
 *                [bad_authority_letter] the second character is not a letter A–Z, or is I;
 *                [bad_length]     empty input, nothing after the province, or a serial that
 *                                 is not 5 or 6 characters (6 digits after 使);
 *                [bad_energy_letter] a 6-character serial whose energy position is not one of
 *                                 D A B C E F G H J K (粤BM12345, 粤B12345M);
 *                [bad_serial]     a 6-character serial of neither new-energy shape.
 * `s` is borrowed; it may be NULL only when `len` is 0. */
enum jy_err jy_plate_parse(const char *s, size_t len, struct jy_plate *ret, struct jy_error *err);

/* One row of the plate-type table (号牌种类代码): a two-digit code and its Chinese name. */
struct jy_plate_type {
    const char *code;    /* "01" … "99" */
    const char *name_zh; /* "大型汽车" … */
};

/* Point `*ret` at the whole plate-type table, in code order, and return its length (35 rows:
 * 01–27, 31, 32, 41, 42, 43, 51, 52, 99). The table is static and read-only.
 * Source: GA 24.7 as reproduced identically by several public codebases (standards notes §2). */
size_t jy_plate_types(const struct jy_plate_type **ret);

/* The row whose code is exactly `code` (`len` bytes, surrounding ASCII spaces ignored), or NULL
 * when there is none. The returned row is static. `code` is borrowed; NULL gives NULL. */
const struct jy_plate_type *jy_plate_type_find(const char *code, size_t len);

/* Check that the plate `*p` (from jy_plate_parse) can carry the plate type `type_code` (`len`
 * bytes). JY_OK when it can.
 *
 * Each rule below is a clear mismatch between a plate's shape and the type, and only those are
 * rejected; the plate text cannot tell, for instance, a large from a small ordinary car (01 or
 * 02), so those are never refused.
 *
 *   6-character new-energy serial, small (E first)  → 52 小型新能源汽车 only
 *   6-character new-energy serial, large (E last)   → 51 大型新能源汽车 only
 *       GA 36-2018 gives new-energy vehicles their own plates, and the type table its own codes.
 *   types 51 / 52 on any plate that is not new-energy → mismatch (the converse of the above).
 *   学 suffix  → 16 教练汽车 or 17 教练摩托车  (学 marks driving-school vehicles)
 *   警 suffix  → 23 警用汽车 or 24 警用摩托    (警 marks police vehicles)
 *   挂 suffix  → 15 挂车                       (挂 marks trailers)
 *   使 prefix  → 03 使馆汽车 or 09 使馆摩托车  (使 marks embassy vehicles)
 *   领 suffix  → 04 领馆汽车 or 10 领馆摩托车  (领 marks consulate vehicles)
 *   港 suffix  → 26 香港入出境车               (港 marks Hong Kong cross-border vehicles)
 *   澳 suffix  → 27 澳门入出境车               (澳 marks Macao cross-border vehicles)
 *   ordinary plate → any type except 51 and 52 (01, 02, 07, 08, 13, 14, …).
 *
 * The opposite directions for the suffix plates (say type 23 on a plate without 警) are NOT
 * refused: the sources do not establish that every vehicle of those types carries the suffix.
 *
 * Errors: JY_TOO_LONG [too_long] when `len` > JY_IDENT_MAX_BYTES; JY_INVALID
 * [unknown_plate_type] when the code is not in the table, [plate_type_mismatch] when a rule
 * above refuses the pair, [bad_plate] when `p` is NULL or its kind is outside the enum.
 * `p` and `type_code` are borrowed. */
enum jy_err jy_plate_check_type(const struct jy_plate *p, const char *type_code, size_t len,
                                struct jy_error *err);

#endif /* JY_PLATE_H */
