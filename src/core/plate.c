/*
 * plate.c — licence plates by GA 36-2018 and the plate-type table; see plate.h for the rules.
 *
 * The input is folded by jy_ident_fold (strict UTF-8, full-width ASCII to ASCII, white space
 * trimmed), decoded into at most JY_IDENT_MAX_BYTES characters with ASCII letters upper-cased,
 * and the plate is then read character by character from that array. Error messages quote only
 * characters that have been decoded as valid and printable, so a message is always valid UTF-8.
 */
#include "plate.h"

#include <stdint.h>
#include <string.h>

#include "ident.h"
#include "../limits.h"
#include "../banned.h"

/* ---- characters -------------------------------------------------------------------------- */

/* One decoded, normalised character and its UTF-8 encoding. */
struct pchar {
    uint32_t cp;
    unsigned char n; /* bytes in u8 */
    char u8[5];      /* NUL-terminated */
};

/* The 31 province abbreviations (3 bytes of UTF-8 each), GA 36-2018. */
static const char provinces[] = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
_Static_assert(sizeof(provinces) == 31 * 3 + 1, "31 provinces of 3 bytes each");

static const char embassy_prefix[] = "使";

/* Suffix characters that replace the fifth serial character. */
static const struct {
    const char *u8;
    enum jy_plate_kind kind;
} suffixes[] = {
    {"学", JY_PLATE_COACH},    {"警", JY_PLATE_POLICE}, {"挂", JY_PLATE_TRAILER},
    {"港", JY_PLATE_HONGKONG}, {"澳", JY_PLATE_MACAO},  {"领", JY_PLATE_CONSULATE},
};

/* ASCII lower case to upper case; jy_ident_fold has already folded full-width forms. */
static uint32_t upper(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        cp -= 'a' - 'A';
    return cp;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool is_letter(uint32_t cp)
{
    return cp >= 'A' && cp <= 'Z';
}

/* A serial character: a digit or a letter other than I and O. */
static bool is_serial(uint32_t cp)
{
    return is_digit(cp) || (is_letter(cp) && cp != 'I' && cp != 'O');
}

/* An energy letter of a new-energy plate: D A B C E (pure electric), F G H J K (other). */
static bool is_energy(uint32_t cp)
{
    return cp < 0x80 && cp != 0 && strchr("DABCEFGHJK", (int)cp) != NULL;
}

/* The one separator allowed after the issuing letter: space (the ideographic space U+3000 is
 * one by now), middle dot and look-alikes. */
static bool is_separator(uint32_t cp)
{
    return cp == ' ' || cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB;
}

static bool pchar_is(const struct pchar *c, const char *u8)
{
    size_t n = strlen(u8);
    return c->n == n && memcmp(c->u8, u8, n) == 0;
}

static bool is_province(const struct pchar *c)
{
    if (c->n != 3)
        return false;
    for (size_t i = 0; i + 3 < sizeof(provinces); i += 3)
        if (memcmp(c->u8, provinces + i, 3) == 0)
            return true;
    return false;
}

/* The kind of suffix plate `c` marks, or -1 when it is no suffix. */
static int suffix_kind(const struct pchar *c)
{
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        if (pchar_is(c, suffixes[i].u8))
            return (int)suffixes[i].kind;
    return -1;
}

/* Something printable to quote in a message: the character itself when it is printable, else
 * an empty string (the message then names only the position). */
static const char *quote(const struct pchar *c)
{
    if (c->cp < 0x20 || c->cp == 0x7F || (c->cp >= 0x80 && c->cp < 0xA0))
        return "";
    return c->u8;
}

/* ---- parsing ----------------------------------------------------------------------------- */

static enum jy_err bad_char(struct jy_error *err, const struct pchar *c, size_t pos,
                            const char *what)
{
    return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                        "character %zu '%s' of the plate is not allowed: %s", pos + 1, quote(c),
                        what);
}

/* Append the UTF-8 of `c` to `buf` (size JY_PLATE_TEXT_SIZE) at `*at`. The callers bound the
 * plate to at most 11 bytes, so this never runs out of room. */
static void append(char *buf, size_t *at, const struct pchar *c)
{
    if (*at + c->n < JY_PLATE_TEXT_SIZE) {
        memcpy(buf + *at, c->u8, c->n);
        *at += c->n;
        buf[*at] = '\0';
    }
}

/* Read the serial characters `c[0..n)` (positions counted from `pos0` in messages) into `out`
 * and classify the plate. `out` already holds province and letter. */
static enum jy_err parse_serial(const struct pchar *c, size_t n, size_t pos0, struct jy_plate *out,
                                struct jy_error *err)
{
    size_t at = strlen(out->text);
    int sk = n > 0 ? suffix_kind(&c[n - 1]) : -1;

    if (sk >= 0 && n != 5)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a plate ending in %s has 4 serial characters before it, not %zu",
                            c[n - 1].u8, n - 1);
    if (n != 5 && n != 6)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a plate has 5 serial characters after the issuing letter (6 for a "
                            "new-energy plate), not %zu",
                            n);

    size_t plain = sk >= 0 ? 4 : n;
    for (size_t i = 0; i < plain; i++) {
        if (c[i].cp >= 0x80 && i + 1 == n)
            return bad_char(err, &c[i], pos0 + i,
                            "the only characters allowed after the serial are 学 警 挂 港 澳 领");
        if (!is_serial(c[i].cp))
            return bad_char(err, &c[i], pos0 + i,
                            "a serial uses digits and the letters A-Z except I and O");
    }

    if (n == 5) {
        out->kind = sk >= 0 ? (enum jy_plate_kind)sk : JY_PLATE_ORDINARY;
    } else if (is_letter(c[0].cp)) {
        /* Small new-energy: energy letter, serial character, 4 digits. */
        if (!is_energy(c[0].cp))
            return jy_error_set(err, JY_INVALID, "bad_energy_letter", NULL,
                                "a 6-character serial is a new-energy plate; its first "
                                "character '%s' is not an energy letter (D A B C E F G H J K)",
                                c[0].u8);
        for (size_t i = 2; i < 6; i++)
            if (!is_digit(c[i].cp))
                return jy_error_set(err, JY_INVALID, "bad_serial", NULL,
                                    "a small new-energy plate ends in 4 digits; character %zu "
                                    "'%s' is not a digit",
                                    pos0 + i + 1, c[i].u8);
        out->kind = JY_PLATE_NEW_ENERGY_SMALL;
        out->energy = (char)c[0].cp;
    } else {
        /* Large new-energy: 5 digits, energy letter. */
        for (size_t i = 0; i < 5; i++)
            if (!is_digit(c[i].cp))
                return jy_error_set(err, JY_INVALID, "bad_serial", NULL,
                                    "a 6-character serial is a new-energy plate: an energy letter "
                                    "then 5 characters, or 5 digits then an energy letter");
        if (!is_energy(c[5].cp))
            return jy_error_set(err, JY_INVALID, "bad_energy_letter", NULL,
                                "a large new-energy plate ends in an energy letter (D A B C E F "
                                "G H J K), not '%s'",
                                c[5].u8);
        out->kind = JY_PLATE_NEW_ENERGY_LARGE;
        out->energy = (char)c[5].cp;
    }
    for (size_t i = 0; i < n; i++)
        append(out->text, &at, &c[i]);
    return JY_OK;
}

const char *jy_plate_kind_name(enum jy_plate_kind kind)
{
    switch (kind) {
    case JY_PLATE_ORDINARY:
        return "ordinary";
    case JY_PLATE_NEW_ENERGY_SMALL:
        return "new_energy_small";
    case JY_PLATE_NEW_ENERGY_LARGE:
        return "new_energy_large";
    case JY_PLATE_COACH:
        return "coach";
    case JY_PLATE_POLICE:
        return "police";
    case JY_PLATE_TRAILER:
        return "trailer";
    case JY_PLATE_HONGKONG:
        return "hongkong";
    case JY_PLATE_MACAO:
        return "macao";
    case JY_PLATE_CONSULATE:
        return "consulate";
    case JY_PLATE_EMBASSY:
        return "embassy";
    }
    return "unknown";
}

enum jy_err jy_plate_parse(const char *s, size_t len, struct jy_plate *ret, struct jy_error *err)
{
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a plate is at most %d bytes long",
                            JY_IDENT_MAX_BYTES);
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, 0, &f, err);
    if (e != JY_OK)
        return e;

    /* jy_ident_fold has checked the UTF-8, so every character decodes. */
    struct pchar c[JY_IDENT_MAX_BYTES];
    size_t n = 0;
    for (size_t i = 0; i < f.len;) {
        uint32_t cp = 0;
        size_t k = jy_ident_utf8_decode(f.text + i, f.len - i, &cp);
        if (k == 0)
            return jy_error_set(err, JY_INTERNAL, "bad_character", NULL,
                                "the folded plate is not valid UTF-8");
        struct pchar *p = &c[n++];
        p->cp = upper(cp);
        p->n = (unsigned char)k;
        if (k == 1)
            p->u8[0] = (char)p->cp;
        else
            memcpy(p->u8, f.text + i, k);
        p->u8[p->n] = '\0';
        i += k;
    }
    if (n == 0)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL, "the plate is empty");

    struct jy_plate out;
    memset(&out, 0, sizeof(out));
    size_t at = 0;

    if (pchar_is(&c[0], embassy_prefix)) {
        /* 使 + 6 digits. */
        size_t i = 1;
        if (i < n && is_separator(c[i].cp))
            i++;
        if (n - i != 6)
            return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                                "an embassy plate is 使 and 6 digits, not %zu characters", n - i);
        for (size_t j = i; j < n; j++)
            if (!is_digit(c[j].cp))
                return bad_char(err, &c[j], j, "an embassy plate is 使 and 6 digits");
        append(out.text, &at, &c[0]);
        for (size_t j = i; j < n; j++)
            append(out.text, &at, &c[j]);
        memcpy(out.province, embassy_prefix, sizeof(embassy_prefix));
        out.kind = JY_PLATE_EMBASSY;
        *ret = out;
        return JY_OK;
    }

    if (!is_province(&c[0]))
        return jy_error_set(err, JY_INVALID, "unknown_province", NULL,
                            "a plate starts with a province abbreviation (京 沪 粤 …) or 使; "
                            "'%s' is not one",
                            quote(&c[0]));
    if (n < 2)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "the plate ends after the province abbreviation");
    if (!is_letter(c[1].cp))
        return jy_error_set(err, JY_INVALID, "bad_authority_letter", NULL,
                            "the second character of a plate is the issuing-authority letter "
                            "A-Z, not '%s'",
                            quote(&c[1]));
    if (c[1].cp == 'I')
        return jy_error_set(err, JY_INVALID, "bad_authority_letter", NULL,
                            "the issuing-authority letter I is never issued");

    append(out.text, &at, &c[0]);
    append(out.text, &at, &c[1]);
    memcpy(out.province, c[0].u8, c[0].n);
    out.province[c[0].n] = '\0';
    out.authority = (char)c[1].cp;
    out.warn_letter_o = c[1].cp == 'O';

    size_t first = 2;
    if (first < n && is_separator(c[first].cp))
        first++;
    e = parse_serial(c + first, n - first, first, &out, err);
    if (e != JY_OK)
        return e;
    *ret = out;
    return JY_OK;
}

/* ---- plate types ------------------------------------------------------------------------- */

static const struct jy_plate_type plate_types[] = {
    {"01", "大型汽车"},       {"02", "小型汽车"},     {"03", "使馆汽车"},
    {"04", "领馆汽车"},       {"05", "境外汽车"},     {"06", "外籍汽车"},
    {"07", "普通摩托车"},     {"08", "轻便摩托车"},   {"09", "使馆摩托车"},
    {"10", "领馆摩托车"},     {"11", "境外摩托车"},   {"12", "外籍摩托车"},
    {"13", "低速车"},         {"14", "拖拉机"},       {"15", "挂车"},
    {"16", "教练汽车"},       {"17", "教练摩托车"},   {"18", "试验汽车"},
    {"19", "试验摩托车"},     {"20", "临时入境汽车"}, {"21", "临时入境摩托车"},
    {"22", "临时行驶车"},     {"23", "警用汽车"},     {"24", "警用摩托"},
    {"25", "原农机号牌"},     {"26", "香港入出境车"}, {"27", "澳门入出境车"},
    {"31", "武警号牌"},       {"32", "军队号牌"},     {"41", "无号牌"},
    {"42", "假号牌"},         {"43", "挪用号牌"},     {"51", "大型新能源汽车"},
    {"52", "小型新能源汽车"}, {"99", "其他号牌"},
};

size_t jy_plate_types(const struct jy_plate_type **ret)
{
    if (ret)
        *ret = plate_types;
    return sizeof(plate_types) / sizeof(plate_types[0]);
}

const struct jy_plate_type *jy_plate_type_find(const char *code, size_t len)
{
    if (!code)
        return NULL;
    while (len > 0 && code[0] == ' ')
        code++, len--;
    while (len > 0 && code[len - 1] == ' ')
        len--;
    if (len != 2)
        return NULL;
    for (size_t i = 0; i < sizeof(plate_types) / sizeof(plate_types[0]); i++)
        if (memcmp(plate_types[i].code, code, 2) == 0)
            return &plate_types[i];
    return NULL;
}

/* The type codes each kind of plate may carry (one or two; the second may be NULL). Ordinary
 * plates are absent: they take any code but the new-energy ones, 51 and 52. The rules and their
 * basis are in plate.h. */
static const struct {
    enum jy_plate_kind kind;
    const char *types[2];
} pairings[] = {
    {JY_PLATE_NEW_ENERGY_SMALL, {"52", NULL}},
    {JY_PLATE_NEW_ENERGY_LARGE, {"51", NULL}},
    {JY_PLATE_COACH, {"16", "17"}},
    {JY_PLATE_POLICE, {"23", "24"}},
    {JY_PLATE_TRAILER, {"15", NULL}},
    {JY_PLATE_EMBASSY, {"03", "09"}},
    {JY_PLATE_CONSULATE, {"04", "10"}},
    {JY_PLATE_HONGKONG, {"26", NULL}},
    {JY_PLATE_MACAO, {"27", NULL}},
};

/* The kind of plate as words for a message, with its article: "an embassy plate". */
static const char *kind_phrase(enum jy_plate_kind kind)
{
    switch (kind) {
    case JY_PLATE_ORDINARY:
        return "an ordinary plate";
    case JY_PLATE_NEW_ENERGY_SMALL:
        return "a small new-energy plate";
    case JY_PLATE_NEW_ENERGY_LARGE:
        return "a large new-energy plate";
    case JY_PLATE_COACH:
        return "a coach plate (学)";
    case JY_PLATE_POLICE:
        return "a police plate (警)";
    case JY_PLATE_TRAILER:
        return "a trailer plate (挂)";
    case JY_PLATE_HONGKONG:
        return "a Hong Kong plate (港)";
    case JY_PLATE_MACAO:
        return "a Macao plate (澳)";
    case JY_PLATE_CONSULATE:
        return "a consulate plate (领)";
    case JY_PLATE_EMBASSY:
        return "an embassy plate (使)";
    }
    return "a plate";
}

enum jy_err jy_plate_check_type(const struct jy_plate *p, const char *type_code, size_t len,
                                struct jy_error *err)
{
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a plate-type code is 2 digits");
    if (!p || (unsigned)p->kind > (unsigned)JY_PLATE_EMBASSY)
        return jy_error_set(err, JY_INVALID, "bad_plate", NULL, "no parsed plate was given");
    const struct jy_plate_type *t = jy_plate_type_find(type_code, len);
    if (!t)
        return jy_error_set(err, JY_INVALID, "unknown_plate_type", NULL,
                            "the plate-type code is not one of 01-27, 31, 32, 41-43, 51, 52, 99");

    for (size_t i = 0; i < sizeof(pairings) / sizeof(pairings[0]); i++) {
        if (pairings[i].kind != p->kind)
            continue;
        const char *a = pairings[i].types[0], *b = pairings[i].types[1];
        if (strcmp(t->code, a) == 0 || (b && strcmp(t->code, b) == 0))
            return JY_OK;
        return jy_error_set(err, JY_INVALID, "plate_type_mismatch", NULL,
                            "%s takes plate type %s%s%s, not %s %s", kind_phrase(p->kind), a,
                            b ? " or " : "", b ? b : "", t->code, t->name_zh);
    }
    if (strcmp(t->code, "51") == 0 || strcmp(t->code, "52") == 0)
        return jy_error_set(err, JY_INVALID, "plate_type_mismatch", NULL,
                            "plate type %s %s is for new-energy plates (6-character serial), "
                            "not for an ordinary plate",
                            t->code, t->name_zh);
    return JY_OK;
}
