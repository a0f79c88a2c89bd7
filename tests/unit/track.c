/*
 * Unit tests for src/service/track.c: the citizen's tracking view — found only with the right
 * last four characters, the timeline in plain words, and no personal data.
 */
#include "flow_fixture.h"

#include "core/timestamp.h"
#include "service/shipments.h"
#include "service/track.h"
#include "service/workflow.h"

#define PRIVATE_NOTE "张三丰的身份证复印件看不清，电话13800138000"

static void step(struct flow *f, const struct jy_actor *a, enum jy_station st, const char *no)
{
    struct jy_store_workflow w;
    bool claimed = false;
    struct jy_error err;
    if (jy_workflow_claim(f->svc, a, st, &w, &claimed, &err) != JY_OK || !claimed)
        fail_msg("claim at %s failed", jy_station_code(st));
    if (jy_workflow_complete(f->svc, a, no, jy_station_code(st), &w, &err) != JY_OK)
        fail_msg("complete: %s", err.message);
}

/* A D01 from the counter to the door, with a correction on the way. */
static void walk(struct flow *f, char no[24])
{
    struct jy_store_workflow w;
    struct jy_error err;
    bool claimed;
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, no);
    step(f, &f->review, JY_STATION_REVIEW, no);
    assert_int_equal(jy_workflow_claim(f->svc, &f->police, JY_STATION_APPROVAL, &w, &claimed, &err),
                     JY_OK);
    assert_int_equal(jy_workflow_return(f->svc, &f->police, no, "approval", "document_unclear",
                                        PRIVATE_NOTE, &w, &err),
                     JY_OK);
    assert_int_equal(jy_workflow_resubmit(f->svc, &f->clerk, no, "已重新扫描", &w, &err), JY_OK);
    step(f, &f->police, JY_STATION_APPROVAL, no);
    step(f, &f->production, JY_STATION_PRODUCTION, no);
    step(f, &f->archive, JY_STATION_ARCHIVE, no);
    step(f, &f->dispatch, JY_STATION_DISPATCH, no);
    int64_t now = jy_service_now(f->svc);
    char t1[32], t2[32];
    jy_timestamp_format(now - 60, t1);
    jy_timestamp_format(now - 30, t2);
    struct jy_shipment_event feed[] = {
        {"EA100000003CN", "shipped", t1, "武汉市邮区中心局"},
        {"EA100000003CN", "delivered", t2, NULL},
    };
    struct jy_shipments_result r;
    assert_int_equal(jy_shipments_apply(f->svc, &f->logistics, feed, 2, NULL, NULL, &r, &err),
                     JY_OK);
    assert_int_equal(r.applied, 2);
}

static void test_timeline(void **state)
{
    struct flow *f = *state;
    char no[24];
    walk(f, no);
    struct jy_track t;
    struct jy_error err;
    /* The display form, lower case, and a lower-case x: the same application. */
    struct jy_appno parsed;
    char display[JY_APPNO_DISPLAY_SIZE];
    assert_int_equal(jy_appno_parse(no, strlen(no), &parsed, &err), JY_OK);
    jy_appno_display(&parsed, display);
    for (char *p = display; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (jy_track_get(f->svc, display, " 002x ", &t, &err) != JY_OK)
        fail_msg("track: %s", err.message);
    assert_string_equal(t.number, no);
    assert_string_equal(t.business_type, "D01");
    assert_string_equal(t.business_name_zh, "补领机动车驾驶证");
    assert_string_equal(t.state, "delivered");
    assert_string_equal(t.state_zh, "已签收");
    assert_string_equal(t.state_en, "Delivered");
    assert_string_equal(t.due_date, "2026-12-03");
    assert_string_equal(t.waybill, "EA100000003CN");

    static const char *const zh[] = {
        "彭刘杨路邮政支局受理",
        "审核通过",
        "退回补正：材料不清晰",
        "已补正，重新进入审批环节",
        "审批通过",
        "制证完成",
        "归档完成",
        "已封发，EMS单号 EA100000003CN",
        "已交寄EMS（武汉市邮区中心局）",
        "已签收",
    };
    static const char *const en[] = {
        "Accepted at Pengliuyang Road Post Office",
        "Review passed",
        "Returned for correction: Documents unclear",
        "Corrected and resubmitted to Approval",
        "Approved by the police",
        "Produced",
        "Filed",
        "Sealed for EMS delivery, item number EA100000003CN",
        "Handed to EMS (武汉市邮区中心局)",
        "Delivered",
    };
    assert_int_equal(t.count, 10);
    for (size_t i = 0; i < t.count; i++) {
        assert_string_equal(t.timeline[i].text_zh, zh[i]);
        assert_string_equal(t.timeline[i].text_en, en[i]);
        if (i > 0 && i < 8)
            assert_true(t.timeline[i].at >= t.timeline[i - 1].at);
    }
    assert_int_equal(t.timeline[9].at - t.timeline[8].at, 30); /* the carrier's times */

    /* No personal data anywhere in what the page gets: not the name, ID number, mobile or
     * address, nor the staff's notes. */
    const char *forbidden[] = {FLOW_NAME,    FLOW_ID_NUMBER, "11010519491231", FLOW_MOBILE,
                               FLOW_ADDRESS, "彭刘杨路1号",  PRIVATE_NOTE,     "已重新扫描"};
    for (size_t k = 0; k < sizeof(forbidden) / sizeof(forbidden[0]); k++) {
        const char *fields[] = {t.number,   t.business_name_zh, t.business_name_en, t.state,
                                t.state_zh, t.state_en,         t.due_date,         t.waybill};
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
            assert_null(strstr(fields[i], forbidden[k]));
        for (size_t i = 0; i < t.count; i++) {
            assert_null(strstr(t.timeline[i].text_zh, forbidden[k]));
            assert_null(strstr(t.timeline[i].text_en, forbidden[k]));
        }
    }
    jy_track_release(&t);
    assert_null(t.timeline);
    jy_track_release(&t); /* twice is harmless */
    jy_track_release(NULL);
}

static void test_not_found(void **state)
{
    struct flow *f = *state;
    char no[24];
    flow_insert(f, "V08", "at_station", "review", "2026-12-03", 0, NULL, no);
    struct jy_track t;
    memset(&t, 0x5a, sizeof(t));
    struct jy_error err;
    /* Wrong characters, each position; a malformed value; none; an unknown or malformed
     * number: all the same answer. */
    const char *wrong[] = {"102X", "012X", "000X", "0020", "002", "002XX", "abcd", "", NULL};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        assert_int_equal(jy_track_get(f->svc, no, wrong[i], &t, &err), JY_NOT_FOUND);
        assert_string_equal(err.reason, "not_found");
    }
    char msg[sizeof(err.message)];
    snprintf(msg, sizeof(msg), "%s", err.message);
    assert_int_equal(jy_track_get(f->svc, "WH26113099999X", "002X", &t, &err), JY_NOT_FOUND);
    assert_string_equal(err.message, msg);
    assert_int_equal(jy_track_get(f->svc, "nonsense", "002X", &t, &err), JY_NOT_FOUND);
    assert_string_equal(err.message, msg);
    assert_int_equal(jy_track_get(f->svc, NULL, "002X", &t, &err), JY_NOT_FOUND);
    assert_int_equal((unsigned char)t.number[0], 0x5a); /* untouched */

    /* The right four: found, just accepted, in process. */
    assert_int_equal(jy_track_get(f->svc, no, "002X", &t, &err), JY_OK);
    assert_string_equal(t.state_zh, "办理中");
    assert_string_equal(t.state_en, "In process");
    assert_string_equal(t.waybill, "");
    assert_int_equal(t.count, 1);
    assert_string_equal(t.timeline[0].text_zh, "彭刘杨路邮政支局受理");
    jy_track_release(&t);

    /* An application without an ID number cannot be tracked at all. */
    flow_exec(f, "UPDATE applications SET applicant_id_number = NULL");
    assert_int_equal(jy_track_get(f->svc, no, "002X", &t, &err), JY_NOT_FOUND);
}

static void test_refused_and_completed(void **state)
{
    struct flow *f = *state;
    struct jy_store_workflow w;
    struct jy_error err;
    char a[24], b[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, a);
    flow_insert(f, "V08", "at_station", "archive", "2026-12-03", 0, NULL, b);
    assert_int_equal(
        jy_workflow_refuse(f->svc, &f->police, a, "forged_document", "私人备注", &w, &err), JY_OK);
    step(f, &f->archive, JY_STATION_ARCHIVE, b);
    struct jy_track t;
    assert_int_equal(jy_track_get(f->svc, a, "002X", &t, &err), JY_OK);
    assert_string_equal(t.state_zh, "不予受理");
    assert_int_equal(t.count, 2);
    assert_string_equal(t.timeline[1].text_zh, "不予受理：材料虚假");
    assert_string_equal(t.timeline[1].text_en, "Refused: Forged documents");
    jy_track_release(&t);
    assert_int_equal(jy_track_get(f->svc, b, "002X", &t, &err), JY_OK);
    assert_string_equal(t.state, "completed");
    assert_string_equal(t.state_zh, "已办结");
    assert_string_equal(t.timeline[1].text_zh, "归档完成，业务办结");
    assert_string_equal(t.timeline[1].text_en, "Filed; the application is complete");
    jy_track_release(&t);

    /* The timeline keeps the newest JY_TRACK_TIMELINE_MAX entries. */
    for (int i = 0; i < JY_TRACK_TIMELINE_MAX + 5; i++) {
        struct jy_event ev = {.application_id = flow_int(f, "SELECT max(id) FROM applications"),
                              .at = 1800000000 + i,
                              .from_state = "completed",
                              .to_state = "completed"};
        int64_t id;
        assert_int_equal(jy_store_begin(f->conn, &err), JY_OK);
        assert_int_equal(jy_store_event_append(f->conn, &ev, &id, &err), JY_OK);
        assert_int_equal(jy_store_commit(f->conn, &err), JY_OK);
    }
    assert_int_equal(jy_track_get(f->svc, b, "002X", &t, &err), JY_OK);
    assert_int_equal(t.count, JY_TRACK_TIMELINE_MAX);
    assert_int_equal(t.timeline[JY_TRACK_TIMELINE_MAX - 1].at,
                     1800000000 + JY_TRACK_TIMELINE_MAX + 4);
    assert_int_equal(t.timeline[0].at, 1800000005);
    assert_string_equal(t.timeline[0].text_zh, "业务办结");
    jy_track_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_timeline, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_not_found, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_refused_and_completed, flow_setup, flow_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
