/*
 * uscc.c — parsing and validation of unified social credit codes (GB 32100-2015), with the
 * advisory GB 11714 check of the embedded organisation code.
 */
#include "uscc.h"

#include <string.h>

#include "ident.h"
#include "../limits.h"

#include "../banned.h"

/* The 31 symbols in value order (GB 32100-2015): no I, O, Z, S, V. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights 3^(i-1) mod 31 for positions i = 1..17. */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* Weights of GB 11714 over the first 8 symbols of an organisation code. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* The value 0..30 of symbol `c` (upper case), or -1 when it is not in the alphabet. */
static int symbol_value(char c)
{
    if (c == '\0')
        return -1;
    const char *p = memchr(uscc_alphabet, c, sizeof(uscc_alphabet) - 1);
    return p ? (int)(p - uscc_alphabet) : -1;
}

static char to_upper_ascii(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The registering departments (position 1) and, for each, its organisation categories
 * (position 2), from the GB 32100-2015 table as published in "统一社会信用代码解析登记管理部门和
 * 机构类别" (blog.csdn.net/lh1424573495/article/details/108776492; the same text at
 * osuse.cn/post/10002590.html and ddrv.cn/?p=726373). Sorted by department code. */
static const struct department {
    char code;
    const char *name;
    struct {
        char code;
        const char *name;
    } categories[7];
} departments[] = {
    {'1',
     "机构编制",
     {{'1', "机关"},
      {'2', "事业单位"},
      {'3', "中央编办直接管理机构编制的群众团体"},
      {'9', "其他"}}},
    {'2', "外交", {{'1', "外国常住新闻机构"}, {'9', "其他"}}},
    {'3',
     "司法行政",
     {{'1', "律师执业机构"},
      {'2', "公证处"},
      {'3', "基层法律服务所"},
      {'4', "司法鉴定机构"},
      {'5', "仲裁委员会"},
      {'9', "其他"}}},
    {'4', "文化", {{'1', "外国在华文化中心"}, {'9', "其他"}}},
    {'5', "民政", {{'1', "社会团体"}, {'2', "民办非企业单位"}, {'3', "基金会"}, {'9', "其他"}}},
    {'6',
     "旅游",
     {{'1', "外国旅游部门常驻代表机构"},
      {'2', "港澳台地区旅游部门常驻内地（大陆）代表机构"},
      {'9', "其他"}}},
    {'7', "宗教", {{'1', "宗教活动场所"}, {'2', "宗教院校"}, {'9', "其他"}}},
    {'8', "工会", {{'1', "基层工会"}, {'9', "其他"}}},
    {'9', "工商", {{'1', "企业"}, {'2', "个体工商户"}, {'3', "农民专业合作社"}}},
    {'A', "中央军委改革和编制办公室", {{'1', "军队事业单位"}, {'9', "其他"}}},
    {'N',
     "农业",
     {{'1', "组级集体经济组织"},
      {'2', "村级集体经济组织"},
      {'3', "乡镇级集体经济组织"},
      {'9', "其他"}}},
    {'Y', "其他", {{'1', "其他"}}},
};

static const struct department *find_department(char code)
{
    for (size_t i = 0; i < sizeof(departments) / sizeof(departments[0]); i++)
        if (departments[i].code == code)
            return &departments[i];
    return NULL;
}

const char *jy_uscc_department_name(char department)
{
    const struct department *d = find_department(department);
    return d ? d->name : NULL;
}

const char *jy_uscc_category_name(char department, char category)
{
    const struct department *d = find_department(department);
    if (!d)
        return NULL;
    for (size_t i = 0; i < sizeof(d->categories) / sizeof(d->categories[0]); i++)
        if (d->categories[i].code != '\0' && d->categories[i].code == category)
            return d->categories[i].name;
    return NULL;
}

enum jy_err jy_uscc_parse(const char *s, size_t len, struct jy_uscc *ret, struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "a unified social credit code is 18 characters; got %zu bytes", len);
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, JY_IDENT_DROP_SPACES, &f, err);
    if (e != JY_OK)
        return e;
    /* Every character before the first non-ASCII one is one byte, so the byte-wise loop below
     * meets (and refuses) that character at its own position. */
    s = f.text;
    if (f.chars != 18)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a unified social credit code is 18 characters; got %zu", f.chars);

    struct jy_uscc out;
    memset(&out, 0, sizeof(out));
    int sum = 0;
    for (size_t i = 0; i < 18; i++) {
        char c = to_upper_ascii(s[i]);
        int v = symbol_value(c);
        if (v < 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "character %zu of a unified social credit code is not one of "
                                "0-9 and A-Z without I, O, Z, S, V",
                                i + 1);
        if (i >= 2 && i < 8 && v > 9)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "characters 3 to 8 of a unified social credit code (the division "
                                "code) must be digits");
        if (i < 17)
            sum += v * uscc_weights[i];
        out.code[i] = c;
    }
    out.code[18] = '\0';
    if (out.code[17] != uscc_alphabet[(31 - sum % 31) % 31])
        return jy_error_set(err, JY_INVALID, "bad_check_character", NULL,
                            "the check character of the unified social credit code does not "
                            "match: a character is mistyped");

    /* After the check character, so that a mistyped symbol shows up as such rather than as a
     * strange department. */
    if (!find_department(out.code[0]))
        return jy_error_set(err, JY_INVALID, "unknown_department", NULL,
                            "the first character of a unified social credit code is the "
                            "registering department (1-9, A, N or Y in GB 32100-2015), not %c",
                            out.code[0]);
    if (!jy_uscc_category_name(out.code[0], out.code[1]))
        return jy_error_set(err, JY_INVALID, "unknown_category", NULL,
                            "%c is not an organisation category of department %c (%s) in "
                            "GB 32100-2015",
                            out.code[1], out.code[0], jy_uscc_department_name(out.code[0]));

    out.department = out.code[0];
    out.category = out.code[1];
    memcpy(out.division, out.code + 2, 6);
    out.division[6] = '\0';
    memcpy(out.org_code, out.code + 8, 9);
    out.org_code[9] = '\0';
    *ret = out;
    return JY_OK;
}

bool jy_uscc_org_code_ok(const struct jy_uscc *code)
{
    if (!code)
        return false;
    const char *o = code->org_code;
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        int v;
        if (o[i] >= '0' && o[i] <= '9')
            v = o[i] - '0';
        else if (o[i] >= 'A' && o[i] <= 'Z')
            v = o[i] - 'A' + 10;
        else
            return false;
        sum += v * org_weights[i];
    }
    int c = 11 - sum % 11;
    char want = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
    return o[8] == want;
}
