/*
 * reasons.c — the reason codes of returns and refusals: see reasons.h.
 */
#include "reasons.h"

#include <string.h>

#include "../banned.h"

/* The contract's lists (API v1). New codes may be added before "other"; none is ever removed
 * or renamed, since stored events name them. */
static const struct jy_reason return_reasons[] = {
    {"document_missing", "材料不全", "Documents missing", false},
    {"document_unclear", "材料不清晰", "Documents unclear", false},
    {"information_mismatch", "信息不一致", "Information does not match", false},
    {"photo_nonconforming", "照片不合格", "Photo does not meet the requirements", false},
    {"signature_missing", "缺少签名", "Signature missing", false},
    {"other", "其他", "Other", true},
};

static const struct jy_reason refusal_reasons[] = {
    {"not_eligible", "不符合办理条件", "Not eligible", false},
    {"forged_document", "材料虚假", "Forged documents", false},
    {"identity_mismatch", "身份不符", "Identity does not match", false},
    {"outstanding_violations", "有未处理违法", "Outstanding traffic violations", false},
    {"vehicle_abnormal", "车辆状态异常", "Vehicle status abnormal", false},
    {"other", "其他", "Other", true},
};

size_t jy_reasons(enum jy_reason_kind kind, const struct jy_reason **ret)
{
    switch (kind) {
    case JY_REASON_RETURN:
        *ret = return_reasons;
        return sizeof(return_reasons) / sizeof(return_reasons[0]);
    case JY_REASON_REFUSAL:
        *ret = refusal_reasons;
        return sizeof(refusal_reasons) / sizeof(refusal_reasons[0]);
    default:
        return 0;
    }
}

const struct jy_reason *jy_reason_find(enum jy_reason_kind kind, const char *code, size_t len)
{
    const struct jy_reason *list = NULL;
    size_t n = jy_reasons(kind, &list);
    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i].code) == len && memcmp(list[i].code, code, len) == 0)
            return &list[i];
    return NULL;
}

const struct jy_reason *jy_reason_any(const char *code)
{
    if (!code)
        return NULL;
    size_t len = strlen(code);
    const struct jy_reason *r = jy_reason_find(JY_REASON_RETURN, code, len);
    return r ? r : jy_reason_find(JY_REASON_REFUSAL, code, len);
}
