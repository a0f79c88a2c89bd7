/*
 * uscc.h — the unified social credit code of an organisation (统一社会信用代码, GB 32100-2015),
 * as written on the business licence of a company or institution that applies for a vehicle.
 *
 * A code is 18 characters from the 31 symbols 0-9 and A-Z without I, O, Z, S and V:
 * position 1 the registering department, position 2 the organisation category within it,
 * positions 3-8 the GB/T 2260 division code (digits), positions 9-17 the organisation code
 * (GB 11714), position 18 a check character over the first 17 (MOD 31).
 *
 * The departments and their categories (GB 32100-2015, 登记管理部门代码 and 机构类别代码):
 *   1 机构编制  1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他
 *   2 外交      1 外国常住新闻机构, 9 其他
 *   3 司法行政  1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构, 5 仲裁委员会, 9 其他
 *   4 文化      1 外国在华文化中心, 9 其他
 *   5 民政      1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他
 *   6 旅游      1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）代表机构, 9 其他
 *   7 宗教      1 宗教活动场所, 2 宗教院校, 9 其他
 *   8 工会      1 基层工会, 9 其他
 *   9 工商      1 企业, 2 个体工商户, 3 农民专业合作社
 *   A 中央军委改革和编制办公室  1 军队事业单位, 9 其他
 *   N 农业      1 组级集体经济组织, 2 村级集体经济组织, 3 乡镇级集体经济组织, 9 其他
 *   Y 其他      1 (not divided further)
 * Source: the table of GB 32100-2015 as published in "统一社会信用代码解析登记管理部门和机构类别"
 * (blog.csdn.net/lh1424573495/article/details/108776492, also osuse.cn/post/10002590.html).
 * When the code authority adds a department, this table must be extended, or such codes are
 * refused as unknown_department.
 *
 * Pure functions, no global state, thread-safe.
 */
#ifndef JY_USCC_H
#define JY_USCC_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"

/* A parsed, validated code. Every string is NUL-terminated. */
struct jy_uscc {
    char code[19];     /* normalised: 18 upper-case symbols from the 31-symbol alphabet */
    char department;   /* position 1: registering department, e.g. '9' */
    char category;     /* position 2: organisation category within the department, e.g. '1' */
    char division[7];  /* positions 3-8: GB/T 2260 division code, 6 digits */
    char org_code[10]; /* positions 9-17: GB 11714 organisation code, 9 symbols */
};

/*
 * Parse and validate a unified social credit code.
 *
 * `s` is `len` bytes (borrowed, need not be NUL-terminated, may hold any bytes). It is first
 * folded by jy_ident_fold() with JY_IDENT_DROP_SPACES (full-width letters and digits become
 * ASCII, surrounding white space is ignored, single spaces between groups are dropped:
 * "9 1 110000 600037341L"); ASCII letters are taken in upper case. The code must be 18
 * symbols of the alphabet 0123456789ABCDEFGHJKLMNPQRTUWXY, positions 3-8 must be digits,
 * position 18 must be the check character of GB 32100-2015: with symbol values 0..30 in
 * that order and weights W(i) = 3^(i-1) mod 31, C18 = (31 - sum mod 31) mod 31; and positions
 * 1-2 must be a department and one of its categories in the table above. The GB 11714 check of
 * positions 9-17 is not applied; see jy_uscc_org_code_ok.
 *
 * On success fills `*ret` (caller-owned) and returns JY_OK. On failure returns the error below,
 * fills `*err` when it is not NULL, and leaves `*ret` untouched; checks run in this order:
 *   JY_TOO_LONG  "too_long"             more than JY_IDENT_MAX_BYTES bytes before trimming
 *   JY_INVALID   "bad_length"           not 18 characters after folding
 *   JY_INVALID   "bad_character"        invalid UTF-8, two spaces in a row, a character outside
 *                                        the alphabet (I O Z S V, punctuation, non-ASCII), or a
 *                                        non-digit in positions 3-8
 *   JY_INVALID   "bad_check_character"  position 18 is not the MOD 31 check character
 *   JY_INVALID   "unknown_department"   position 1 is no department of the table
 *   JY_INVALID   "unknown_category"     position 2 is no category of that department
 * The check character is tested before the table, so a mistyped symbol is reported as a bad
 * check character rather than as an unknown department.
 */
enum jy_err jy_uscc_parse(const char *s, size_t len, struct jy_uscc *ret, struct jy_error *err);

/* The Chinese name (UTF-8, static storage) of registering department `department` ('1', '9',
 * 'Y', …) in the table above, e.g. "工商"; NULL for any other character. */
const char *jy_uscc_department_name(char department);

/* The Chinese name (UTF-8, static storage) of organisation category `category` of department
 * `department` in the table above, e.g. ('9', '2') "个体工商户"; NULL when the department is
 * unknown or has no such category. */
const char *jy_uscc_category_name(char department, char category);

/*
 * True when the organisation code in `code->org_code` (positions 9-17) carries a valid GB 11714
 * check character: weights 3 7 9 10 5 8 4 2 over its first 8 symbols (digits their value,
 * letters A=10 … Z=35), C = 11 - (sum mod 11), with 10 written X and 11 written 0, compared with
 * its 9th symbol. False when `code` (borrowed) is NULL or holds anything else.
 *
 * This is advisory and jy_uscc_parse does not reject on it: the validity rule of GB 32100 is its
 * own check character, which already covers positions 9-17 and catches every single-symbol
 * error; the GB 11714 check is a property of how the organisation code was allocated, confirmed
 * on sample codes but not a condition GB 32100 states, and a code the registration authority
 * issued is the organisation's legal identifier even if its body fails it. Refusing such a code
 * at the counter would turn away a real organisation; reporting it lets a clerk look twice at
 * the licence.
 */
bool jy_uscc_org_code_ok(const struct jy_uscc *code);

#endif /* JY_USCC_H */
