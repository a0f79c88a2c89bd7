/*
 * Unit tests for src/core/reasons.c: the return and refusal reasons of the API contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/reasons.h"

static void test_lists(void **state)
{
    (void)state;
    const struct jy_reason *list = NULL;
    assert_int_equal(jy_reasons(JY_REASON_RETURN, &list), 6);
    assert_string_equal(list[0].code, "document_missing");
    assert_string_equal(list[0].name_zh, "材料不全");
    assert_string_equal(list[3].code, "photo_nonconforming");
    assert_string_equal(list[3].name_zh, "照片不合格");
    assert_string_equal(list[5].code, "other");
    assert_true(list[5].note_required);
    assert_false(list[4].note_required);
    assert_int_equal(jy_reasons(JY_REASON_REFUSAL, &list), 6);
    assert_string_equal(list[1].code, "forged_document");
    assert_string_equal(list[1].name_zh, "材料虚假");
    assert_string_equal(list[3].name_zh, "有未处理违法");
    assert_int_equal(jy_reasons(JY__REASON_KIND_COUNT, &list), 0);

    const struct jy_reason *r = jy_reason_find(JY_REASON_RETURN, "signature_missing", 17);
    assert_non_null(r);
    assert_string_equal(r->name_zh, "缺少签名");
    assert_string_equal(r->name_en, "Signature missing");
    assert_null(jy_reason_find(JY_REASON_RETURN, "signature_missin", 16));  /* no prefixes */
    assert_null(jy_reason_find(JY_REASON_RETURN, "Signature_missing", 17)); /* exact case */
    assert_null(jy_reason_find(JY_REASON_REFUSAL, "signature_missing", 17));
    assert_null(jy_reason_find(JY_REASON_RETURN, NULL, 0));
    /* A length shorter than the string: only those bytes count. */
    assert_non_null(jy_reason_find(JY_REASON_RETURN, "otherwise", 5));
    assert_string_equal(jy_reason_any("vehicle_abnormal")->name_zh, "车辆状态异常");
    assert_string_equal(jy_reason_any("other")->name_en, "Other");
    assert_null(jy_reason_any("intake"));
    assert_null(jy_reason_any(NULL));
    /* Every code is unique within its list and made of [a-z_]. */
    for (int k = 0; k < JY__REASON_KIND_COUNT; k++) {
        size_t n = jy_reasons((enum jy_reason_kind)k, &list);
        for (size_t i = 0; i < n; i++) {
            for (const char *p = list[i].code; *p; p++)
                assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
            for (size_t j = i + 1; j < n; j++)
                assert_string_not_equal(list[i].code, list[j].code);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
