/*
 * Unit tests for src/service/workflow.c and src/store/workflow.c: claim, complete, return,
 * resubmit, refuse and the queues, on a real database; every refused request is checked to
 * have written nothing, and the event chain to verify at the end.
 */
#include "flow_fixture.h"

#include "core/s10.h"
#include "service/workflow.h"

/* Expect `e` to have failed with `code` and `reason`. */
#define assert_fails(e, code_, reason_)                                                            \
    do {                                                                                           \
        enum jy_err e_ = (e);                                                                      \
        if (e_ != (code_) || strcmp(err.reason, (reason_)) != 0)                                   \
            fail_msg("got %s/%s (%s), expected %s/%s", jy_err_name(e_), err.reason, err.message,   \
                     jy_err_name(code_), (reason_));                                               \
    } while (0)

/* Claim at `st` as `a` and expect to get application `number`. */
static void claim_expect(struct flow *f, const struct jy_actor *a, enum jy_station st,
                         const char *number)
{
    struct jy_store_workflow w;
    bool claimed = false;
    struct jy_error err;
    if (jy_workflow_claim(f->svc, a, st, &w, &claimed, &err) != JY_OK)
        fail_msg("claim: %s", err.message);
    assert_true(claimed);
    assert_string_equal(w.number, number);
    assert_int_equal(w.lease_user_id, a->user_id);
    assert_string_equal(w.lease_username, a->username);
    int64_t now = jy_service_now(f->svc);
    assert_true(w.lease_expires_at > now + JY_LEASE_SECONDS - 5);
    assert_true(w.lease_expires_at <= now + JY_LEASE_SECONDS);
}

/* Complete at `station` as `a` and expect the result's state and station. */
static struct jy_store_workflow complete_expect(struct flow *f, const struct jy_actor *a,
                                                const char *number, const char *station,
                                                const char *state, const char *next)
{
    struct jy_store_workflow w;
    struct jy_error err;
    if (jy_workflow_complete(f->svc, a, number, station, &w, &err) != JY_OK)
        fail_msg("complete at %s: %s (%s)", station, err.reason, err.message);
    assert_string_equal(w.state, state);
    assert_string_equal(w.station, next);
    assert_int_equal(w.lease_user_id, 0);
    assert_string_equal(w.lease_username, "");
    return w;
}

/* ---- the whole route ---- */

static void test_d01_to_sealed(void **state)
{
    struct flow *f = *state;
    char no[24];
    int64_t id = flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, no);

    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    complete_expect(f, &f->review, no, "review", "at_station", "approval");
    /* Approval is the police's (an approval operator could do it too). */
    claim_expect(f, &f->police, JY_STATION_APPROVAL, no);
    complete_expect(f, &f->police, no, "approval", "at_station", "production");
    claim_expect(f, &f->production, JY_STATION_PRODUCTION, no);
    complete_expect(f, &f->production, no, "production", "at_station", "archive");
    claim_expect(f, &f->archive, JY_STATION_ARCHIVE, no);
    complete_expect(f, &f->archive, no, "archive", "at_station", "dispatch");
    claim_expect(f, &f->dispatch, JY_STATION_DISPATCH, no);
    struct jy_store_workflow w = complete_expect(f, &f->dispatch, no, "dispatch", "sealed", "");

    /* The first number of the range 10000000..: serial 10000000, check digit 3
     * (weights 8 6 4 2 3 5 9 7: S = 8, 11 - 8 = 3). */
    assert_string_equal(w.waybill, "EA100000003CN");
    struct jy_s10 s10;
    struct jy_error err;
    assert_int_equal(jy_s10_parse(w.waybill, strlen(w.waybill), &s10, &err), JY_OK);
    assert_int_equal(s10.serial, 10000000);
    assert_int_equal(s10.check, jy_s10_check_digit(10000000));
    assert_true(s10.ems);
    /* Version: 1 at intake, + 5 claims + 5 completes. */
    assert_int_equal(w.version, 11);

    /* Six events: intake and five completions, each from → to. */
    char sql[512], buf[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE application_id = %lld",
             (long long)id);
    assert_int_equal(flow_int(f, sql), 6);
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(coalesce(from_station, '-') || '>' || to_state || '/' ||"
             " coalesce(to_station, '-') || ':' || actor_role, ' ') FROM"
             " (SELECT * FROM events WHERE application_id = %lld ORDER BY id)",
             (long long)id);
    assert_string_equal(flow_text(f, sql, buf, sizeof(buf)),
                        "->at_station/review:clerk review>at_station/approval:operator "
                        "approval>at_station/production:supervisor "
                        "production>at_station/archive:operator "
                        "archive>at_station/dispatch:operator dispatch>sealed/-:operator");
    snprintf(sql, sizeof(sql),
             "SELECT note || '|' || station || '|' || from_state || '|' || actor_id FROM events"
             " WHERE application_id = %lld ORDER BY id DESC LIMIT 1",
             (long long)id);
    char expect[128];
    snprintf(expect, sizeof(expect), "EA100000003CN|dispatch|at_station|%lld",
             (long long)f->dispatch.user_id);
    assert_string_equal(flow_text(f, sql, buf, sizeof(buf)), expect);
    snprintf(sql, sizeof(sql),
             "SELECT state || waybill || coalesce(station, '-') || coalesce(lease_user_id, '-')"
             " FROM applications WHERE id = %lld",
             (long long)id);
    assert_string_equal(flow_text(f, sql, buf, sizeof(buf)), "sealedEA100000003CN--");
    assert_int_equal(flow_int(f, "SELECT next - first FROM s10_ranges"), 1);

    /* Completing again, at any station, is refused and writes nothing. */
    int64_t before = flow_fingerprint(f);
    assert_fails(jy_workflow_complete(f->svc, &f->dispatch, no, "dispatch", &w, &err), JY_CONFLICT,
                 "not_at_station");
    assert_int_equal(flow_fingerprint(f), before);

    /* A second item gets the next number. */
    char no2[24];
    flow_insert(f, "V03", "at_station", "dispatch", "2026-12-03", 0, NULL, no2);
    claim_expect(f, &f->dispatch, JY_STATION_DISPATCH, no2);
    w = complete_expect(f, &f->dispatch, no2, "dispatch", "sealed", "");
    assert_string_equal(w.waybill, "EA100000017CN");
}

static void test_v08_completed(void **state)
{
    struct flow *f = *state;
    char no[24];
    flow_insert(f, "V08", "at_station", "review", "2026-12-03", 0, NULL, no);
    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    complete_expect(f, &f->review, no, "review", "at_station", "approval");
    /* An approval operator instead of the police this time. */
    claim_expect(f, &f->approval_op, JY_STATION_APPROVAL, no);
    complete_expect(f, &f->approval_op, no, "approval", "at_station", "archive");
    claim_expect(f, &f->archive, JY_STATION_ARCHIVE, no);
    struct jy_store_workflow w = complete_expect(f, &f->archive, no, "archive", "completed", "");
    assert_string_equal(w.waybill, "");
    /* No EMS number was taken. */
    assert_int_equal(flow_int(f, "SELECT next - first FROM s10_ranges"), 0);
    char buf[128];
    assert_string_equal(flow_text(f,
                                  "SELECT from_station || '>' || to_state || coalesce(to_station,"
                                  " '-') FROM events ORDER BY id DESC LIMIT 1",
                                  buf, sizeof(buf)),
                        "archive>completed-");
}

/* ---- return, resubmit, refuse ---- */

static void test_return_resubmit(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    struct jy_store_workflow w;
    char no[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, no);
    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    complete_expect(f, &f->review, no, "review", "at_station", "approval");
    claim_expect(f, &f->police, JY_STATION_APPROVAL, no);

    /* Bad reasons are refused before anything is read or written. */
    int64_t before = flow_fingerprint(f);
    assert_fails(jy_workflow_return(f->svc, &f->police, no, "approval", "blurry", NULL, &w, &err),
                 JY_UNPROCESSABLE, "unknown_reason");
    assert_string_equal(err.field, "reason");
    assert_fails(jy_workflow_return(f->svc, &f->police, no, "approval", "other", "", &w, &err),
                 JY_UNPROCESSABLE, "note_required");
    assert_string_equal(err.field, "note");
    assert_fails(
        jy_workflow_return(f->svc, &f->police, no, "approval", "not_eligible", NULL, &w, &err),
        JY_UNPROCESSABLE, "unknown_reason"); /* a refusal reason, not a return reason */
    char big[JY_NOTE_MAX_BYTES + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_fails(jy_workflow_return(f->svc, &f->police, no, "approval", "other", big, &w, &err),
                 JY_TOO_LONG, "too_long");
    /* Someone else's lease. */
    assert_fails(jy_workflow_return(f->svc, &f->approval_op, no, "approval", "document_unclear",
                                    NULL, &w, &err),
                 JY_CONFLICT, "lease_held_by_other");
    assert_int_equal(flow_fingerprint(f), before);

    assert_int_equal(jy_workflow_return(f->svc, &f->police, no, "approval", "document_unclear",
                                        "身份证复印件模糊", &w, &err),
                     JY_OK);
    assert_string_equal(w.state, "correction");
    assert_string_equal(w.station, "approval");
    assert_string_equal(w.correction_reason, "document_unclear");
    assert_string_equal(w.correction_note, "身份证复印件模糊");
    assert_int_equal(w.lease_user_id, 0);
    char buf[256];
    assert_string_equal(flow_text(f,
                                  "SELECT station || '|' || from_station || '>' || to_state || '/'"
                                  " || to_station || '|' || reason || '|' || note FROM events"
                                  " ORDER BY id DESC LIMIT 1",
                                  buf, sizeof(buf)),
                        "approval|approval>correction/approval|document_unclear|身份证复印件模糊");

    /* It is not at the station any more. */
    before = flow_fingerprint(f);
    assert_fails(jy_workflow_complete(f->svc, &f->police, no, "approval", &w, &err), JY_CONFLICT,
                 "not_at_station");
    /* Only a clerk of its own branch resubmits. */
    assert_fails(jy_workflow_resubmit(f->svc, &f->clerk2, no, NULL, &w, &err), JY_FORBIDDEN,
                 "out_of_scope");
    assert_fails(jy_workflow_resubmit(f->svc, &f->review, no, NULL, &w, &err), JY_FORBIDDEN,
                 "forbidden");
    assert_fails(jy_workflow_resubmit(f->svc, &f->police, no, NULL, &w, &err), JY_FORBIDDEN,
                 "forbidden");
    assert_int_equal(flow_fingerprint(f), before);

    assert_int_equal(jy_workflow_resubmit(f->svc, &f->clerk, no, "已补交清晰复印件", &w, &err),
                     JY_OK);
    assert_string_equal(w.state, "at_station");
    assert_string_equal(w.station, "approval"); /* back where it was returned from */
    assert_string_equal(w.correction_reason, "");
    assert_string_equal(w.correction_note, "");
    char expect[256];
    snprintf(expect, sizeof(expect), "clerk|%lld|-|correction>at_station/approval|已补交清晰复印件",
             (long long)f->branch1);
    assert_string_equal(
        flow_text(f,
                  "SELECT actor_role || '|' || branch_id || '|' || coalesce(station, '-') || '|'"
                  " || from_state || '>' || to_state || '/' || to_station || '|' || note"
                  " FROM events ORDER BY id DESC LIMIT 1",
                  buf, sizeof(buf)),
        expect);

    /* Resubmitting twice is refused. */
    before = flow_fingerprint(f);
    assert_fails(jy_workflow_resubmit(f->svc, &f->clerk, no, NULL, &w, &err), JY_CONFLICT,
                 "not_at_station");
    assert_int_equal(flow_fingerprint(f), before);

    /* And it goes on from approval. */
    claim_expect(f, &f->police, JY_STATION_APPROVAL, no);
    complete_expect(f, &f->police, no, "approval", "at_station", "production");
}

static void test_refuse(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    struct jy_store_workflow w;
    char a[24], b[24], c[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, a);
    flow_insert(f, "V08", "correction", "review", "2026-12-03", 0, NULL, b);
    flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, "EA100000003CN", c);
    /* Past approval: at production, at archive, or sent back for correction from print. */
    char p1[24], p2[24], p3[24], ap[24];
    flow_insert(f, "D01", "at_station", "production", "2026-12-03", 3000, NULL, p1);
    flow_insert(f, "D01", "at_station", "archive", "2026-12-03", 3000, NULL, p2);
    flow_insert(f, "V03", "correction", "print", "2026-12-03", 3000, NULL, p3);
    flow_insert(f, "D01", "at_station", "approval", "2026-12-03", 3000, NULL, ap);
    claim_expect(f, &f->review, JY_STATION_REVIEW, a);

    int64_t before = flow_fingerprint(f);
    assert_fails(jy_workflow_refuse(f->svc, &f->review, a, "not_eligible", NULL, &w, &err),
                 JY_FORBIDDEN, "forbidden");
    assert_fails(jy_workflow_refuse(f->svc, &f->manager, a, "not_eligible", NULL, &w, &err),
                 JY_FORBIDDEN, "forbidden");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, a, "document_unclear", NULL, &w, &err),
                 JY_UNPROCESSABLE, "unknown_reason");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, a, "other", NULL, &w, &err),
                 JY_UNPROCESSABLE, "note_required");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, c, "not_eligible", NULL, &w, &err),
                 JY_CONFLICT, "not_at_station");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, p1, "not_eligible", NULL, &w, &err),
                 JY_CONFLICT, "not_refusable");
    assert_string_equal(err.field, "station");
    assert_non_null(strstr(err.message, "production"));
    assert_fails(jy_workflow_refuse(f->svc, &f->police, p2, "not_eligible", NULL, &w, &err),
                 JY_CONFLICT, "not_refusable");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, p3, "not_eligible", NULL, &w, &err),
                 JY_CONFLICT, "not_refusable");
    assert_fails(
        jy_workflow_refuse(f->svc, &f->police, "WH261130999987", "not_eligible", NULL, &w, &err),
        JY_NOT_FOUND, "not_found");
    assert_fails(
        jy_workflow_refuse(f->svc, &f->police, "WH26113099999X", "not_eligible", NULL, &w, &err),
        JY_INVALID, "invalid_number");
    assert_fails(jy_workflow_refuse(f->svc, &f->police, a, "other", "\xe2\x80\xae反向", &w, &err),
                 JY_UNPROCESSABLE, "invalid_note");
    /* A note of nothing but white space is no note. */
    assert_fails(jy_workflow_refuse(f->svc, &f->police, a, "other", " \t\u3000 ", &w, &err),
                 JY_UNPROCESSABLE, "note_required");
    assert_int_equal(flow_fingerprint(f), before);

    /* The police refuse even an item an operator is holding; the lease goes with it. */
    assert_int_equal(jy_workflow_refuse(f->svc, &f->police, a, "outstanding_violations",
                                        "有3起未处理违法记录", &w, &err),
                     JY_OK);
    assert_string_equal(w.state, "refused");
    assert_string_equal(w.station, "");
    assert_int_equal(w.lease_user_id, 0);
    char buf[256];
    assert_string_equal(flow_text(f,
                                  "SELECT station || '|' || from_station || '>' || to_state ||"
                                  " coalesce(to_station, '-') || '|' || reason || '|' || note"
                                  " FROM events ORDER BY id DESC LIMIT 1",
                                  buf, sizeof(buf)),
                        "review|review>refused-|outstanding_violations|"
                        "应退费 ¥30.00 / refund due ¥30.00; 有3起未处理违法记录");
    /* At approval it may still be refused. */
    assert_int_equal(jy_workflow_refuse(f->svc, &f->police, ap, "not_eligible", NULL, &w, &err),
                     JY_OK);
    assert_string_equal(w.state, "refused");
    /* In correction, nothing paid: no refund line. */
    assert_int_equal(jy_workflow_refuse(f->svc, &f->police, b, "identity_mismatch", NULL, &w, &err),
                     JY_OK);
    assert_string_equal(w.state, "refused");
    assert_int_equal(flow_int(f, "SELECT note IS NULL FROM events ORDER BY id DESC LIMIT 1"), 1);
    /* Refusing twice. */
    before = flow_fingerprint(f);
    assert_fails(jy_workflow_refuse(f->svc, &f->police, a, "not_eligible", NULL, &w, &err),
                 JY_CONFLICT, "not_at_station");
    assert_int_equal(flow_fingerprint(f), before);
}

/* ---- leases ---- */

static void test_leases(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    struct jy_store_workflow w;
    char no[24];
    int64_t id = flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, no);

    int64_t before = flow_fingerprint(f);
    /* Without a lease. */
    assert_fails(jy_workflow_complete(f->svc, &f->review, no, "review", &w, &err), JY_CONFLICT,
                 "lease_not_held");
    assert_fails(
        jy_workflow_return(f->svc, &f->review, no, "review", "document_missing", NULL, &w, &err),
        JY_CONFLICT, "lease_not_held");
    assert_int_equal(flow_fingerprint(f), before);

    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    /* Claiming again gives the same item, with the same lease. */
    int64_t expires = flow_int(f, "SELECT lease_expires_at FROM applications");
    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    assert_int_equal(flow_int(f, "SELECT lease_expires_at FROM applications"), expires);
    /* The other operator finds nothing to claim, and cannot act on it. */
    bool claimed = true;
    before = flow_fingerprint(f);
    assert_int_equal(jy_workflow_claim(f->svc, &f->review2, JY_STATION_REVIEW, &w, &claimed, &err),
                     JY_OK);
    assert_false(claimed);
    assert_fails(jy_workflow_complete(f->svc, &f->review2, no, "review", &w, &err), JY_CONFLICT,
                 "lease_held_by_other");
    assert_true(strstr(err.message, "review") != NULL); /* says who holds it */
    assert_int_equal(flow_fingerprint(f), before);

    /* The lease lapses: its holder may no longer complete, and anyone may claim it. */
    char sql[160];
    snprintf(sql, sizeof(sql), "UPDATE applications SET lease_expires_at = %lld WHERE id = %lld",
             (long long)(jy_service_now(f->svc) - 1), (long long)id);
    flow_exec(f, sql);
    before = flow_fingerprint(f);
    assert_fails(jy_workflow_complete(f->svc, &f->review, no, "review", &w, &err), JY_CONFLICT,
                 "lease_not_held");
    assert_int_equal(flow_fingerprint(f), before);
    claim_expect(f, &f->review2, JY_STATION_REVIEW, no);
    assert_fails(jy_workflow_complete(f->svc, &f->review, no, "review", &w, &err), JY_CONFLICT,
                 "lease_held_by_other");
    complete_expect(f, &f->review2, no, "review", "at_station", "approval");
}

/* ---- roles and scope ---- */

static void test_scope(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    struct jy_store_workflow w;
    bool claimed;
    char no[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-03", 3000, NULL, no);
    int64_t before = flow_fingerprint(f);

    const struct jy_actor *not_back_office[] = {&f->clerk, &f->logistics, &f->manager, &f->admin};
    for (size_t i = 0; i < 4; i++) {
        assert_fails(
            jy_workflow_claim(f->svc, not_back_office[i], JY_STATION_REVIEW, &w, &claimed, &err),
            JY_FORBIDDEN, "forbidden");
        assert_fails(jy_workflow_complete(f->svc, not_back_office[i], no, "review", &w, &err),
                     JY_FORBIDDEN, "forbidden");
        assert_fails(jy_workflow_return(f->svc, not_back_office[i], no, "review",
                                        "document_missing", NULL, &w, &err),
                     JY_FORBIDDEN, "forbidden");
    }
    /* Operators at other stations; the police anywhere but approval. */
    assert_fails(jy_workflow_claim(f->svc, &f->dispatch, JY_STATION_REVIEW, &w, &claimed, &err),
                 JY_FORBIDDEN, "out_of_scope");
    assert_fails(jy_workflow_complete(f->svc, &f->dispatch, no, "review", &w, &err), JY_FORBIDDEN,
                 "out_of_scope");
    assert_fails(jy_workflow_claim(f->svc, &f->police, JY_STATION_REVIEW, &w, &claimed, &err),
                 JY_FORBIDDEN, "out_of_scope");
    /* The operator's own station, but the item is elsewhere. */
    assert_fails(jy_workflow_complete(f->svc, &f->dispatch, no, "dispatch", &w, &err), JY_CONFLICT,
                 "not_at_station");
    /* Unknown and malformed numbers, unknown stations. */
    assert_fails(jy_workflow_complete(f->svc, &f->review, "WH261130999987", "review", &w, &err),
                 JY_NOT_FOUND, "not_found");
    assert_fails(jy_workflow_complete(f->svc, &f->review, "WH26113099999X", "review", &w, &err),
                 JY_INVALID, "invalid_number");
    assert_fails(jy_workflow_complete(f->svc, &f->review, "no-such-thing", "review", &w, &err),
                 JY_INVALID, "invalid_number");
    assert_fails(jy_workflow_complete(f->svc, &f->review, no, "reveiw", &w, &err), JY_UNPROCESSABLE,
                 "unknown_station");
    assert_fails(jy_workflow_complete(f->svc, &f->review, no, "", &w, &err), JY_INVALID,
                 "missing_field");
    assert_int_equal(flow_fingerprint(f), before);

    /* The display form in lower case names the same application. */
    struct jy_appno parsed;
    char display[JY_APPNO_DISPLAY_SIZE];
    assert_int_equal(jy_appno_parse(no, strlen(no), &parsed, &err), JY_OK);
    jy_appno_display(&parsed, display);
    for (char *p = display; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    claim_expect(f, &f->review, JY_STATION_REVIEW, no);
    complete_expect(f, &f->review, display, "review", "at_station", "approval");
}

/* ---- the EMS range ---- */

static void test_range_exhausted(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    struct jy_store_workflow w;
    flow_set_range(f, "20000000", "20000000"); /* one number */
    char a[24], b[24];
    flow_insert(f, "V01", "at_station", "dispatch", "2026-12-03", 0, NULL, a);
    flow_insert(f, "V01", "at_station", "dispatch", "2026-12-04", 0, NULL, b);
    claim_expect(f, &f->dispatch, JY_STATION_DISPATCH, a);
    w = complete_expect(f, &f->dispatch, a, "dispatch", "sealed", "");
    /* 20000000: S = 16, 11 - 5 = 6. */
    assert_string_equal(w.waybill, "EA200000006CN");
    claim_expect(f, &f->dispatch, JY_STATION_DISPATCH, b);
    int64_t before = flow_fingerprint(f);
    assert_fails(jy_workflow_complete(f->svc, &f->dispatch, b, "dispatch", &w, &err), JY_CONFLICT,
                 "range_exhausted");
    assert_int_equal(flow_fingerprint(f), before); /* the sequence too: the number came back */
    assert_int_equal(flow_int(f, "SELECT next - first FROM s10_ranges"), 1);
    /* Still at dispatch, still leased to the operator, who can try again once a range is set. */
    char buf[128];
    char expect[128];
    snprintf(expect, sizeof(expect), "at_station dispatch %lld", (long long)f->dispatch.user_id);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT state || ' ' || station || ' ' || lease_user_id FROM applications"
             " WHERE number = '%s'",
             b);
    assert_string_equal(flow_text(f, sql, buf, sizeof(buf)), expect);

    /* Without any range, sealing is an internal error, and again nothing is written. */
    flow_exec(f, "DELETE FROM s10_ranges");
    before = flow_fingerprint(f);
    assert_fails(jy_workflow_complete(f->svc, &f->dispatch, b, "dispatch", &w, &err), JY_INTERNAL,
                 "s10_not_configured");
    assert_int_equal(flow_fingerprint(f), before);
}

/* ---- queues and claim order ---- */

struct seen {
    char numbers[8][24];
    size_t n;
};

static bool collect(void *ctx, const struct jy_store_workflow *w)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    snprintf(s->numbers[s->n++], 24, "%s", w->number);
    return true;
}

static void test_queue_and_order(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    char late[24], early[24], mid[24], mid2[24], other[24];
    flow_insert(f, "D01", "at_station", "review", "2026-12-09", 0, NULL, late);
    flow_insert(f, "D01", "at_station", "review", "2026-12-01", 0, NULL, early);
    flow_insert(f, "D01", "at_station", "review", "2026-12-04", 0, NULL, mid);
    flow_insert(f, "D01", "at_station", "review", "2026-12-04", 0, NULL, mid2);
    flow_insert(f, "D01", "at_station", "approval", "2026-11-01", 0, NULL, other);

    /* The whole queue, oldest due first, ties by id; the approval item is not in it. */
    struct seen s = {.n = 0};
    char next[JY_WORKFLOW_CURSOR_SIZE];
    assert_int_equal(jy_workflow_queue(f->svc, &f->manager, JY_STATION_REVIEW, NULL, 50, collect,
                                       &s, next, &err),
                     JY_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.numbers[0], early);
    assert_string_equal(s.numbers[1], mid);
    assert_string_equal(s.numbers[2], mid2);
    assert_string_equal(s.numbers[3], late);
    assert_string_equal(next, "");

    /* Pages of two. */
    s.n = 0;
    assert_int_equal(
        jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, "", 2, collect, &s, next, &err),
        JY_OK);
    assert_int_equal(s.n, 2);
    char expect[64];
    snprintf(expect, sizeof(expect), "2026-12-04.%lld",
             (long long)flow_int(f, "SELECT min(id) FROM applications WHERE due_date ="
                                    " '2026-12-04'"));
    assert_string_equal(next, expect);
    char cursor[JY_WORKFLOW_CURSOR_SIZE];
    snprintf(cursor, sizeof(cursor), "%s", next);
    assert_int_equal(jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, cursor, 2, collect,
                                       &s, next, &err),
                     JY_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.numbers[2], mid2);
    assert_string_equal(s.numbers[3], late);
    assert_string_equal(next, "");

    /* Claims take the oldest due; a leased item leaves the others' queues but not the holder's. */
    claim_expect(f, &f->review, JY_STATION_REVIEW, early);
    claim_expect(f, &f->review2, JY_STATION_REVIEW, mid);
    s.n = 0;
    assert_int_equal(
        jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, NULL, 50, collect, &s, next, &err),
        JY_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.numbers[0], early);
    assert_string_equal(s.numbers[1], mid2);
    assert_string_equal(s.numbers[2], late);
    s.n = 0;
    assert_int_equal(
        jy_workflow_queue(f->svc, &f->police, JY_STATION_REVIEW, NULL, 50, collect, &s, next, &err),
        JY_OK);
    assert_int_equal(s.n, 2);

    /* Who may look, and bad input. */
    assert_fails(jy_workflow_queue(f->svc, &f->dispatch, JY_STATION_REVIEW, NULL, 50, collect, &s,
                                   next, &err),
                 JY_FORBIDDEN, "out_of_scope");
    assert_fails(
        jy_workflow_queue(f->svc, &f->clerk, JY_STATION_REVIEW, NULL, 50, collect, &s, next, &err),
        JY_FORBIDDEN, "forbidden");
    assert_fails(jy_workflow_queue(f->svc, &f->logistics, JY_STATION_REVIEW, NULL, 50, collect, &s,
                                   next, &err),
                 JY_FORBIDDEN, "forbidden");
    assert_fails(jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, "2026-13-01.5", 50,
                                   collect, &s, next, &err),
                 JY_INVALID, "bad_cursor");
    assert_fails(jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, "abc", 50, collect, &s,
                                   next, &err),
                 JY_INVALID, "bad_cursor");
    assert_fails(
        jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, NULL, 0, collect, &s, next, &err),
        JY_RANGE, "out_of_range");
    assert_fails(jy_workflow_queue(f->svc, &f->review, JY_STATION_REVIEW, NULL,
                                   JY_PAGE_MAX_ITEMS + 1, collect, &s, next, &err),
                 JY_RANGE, "out_of_range");

    /* Nothing left for a third reviewer once everything is leased. */
    struct jy_store_workflow w;
    bool claimed = false;
    claim_expect(f, &f->review2, JY_STATION_REVIEW, mid); /* its own lease again */
    assert_int_equal(jy_workflow_complete(f->svc, &f->review2, mid, "review", &w, &err), JY_OK);
    claim_expect(f, &f->review2, JY_STATION_REVIEW, mid2);
    assert_int_equal(jy_workflow_complete(f->svc, &f->review2, mid2, "review", &w, &err), JY_OK);
    claim_expect(f, &f->review2, JY_STATION_REVIEW, late);
    assert_int_equal(jy_workflow_complete(f->svc, &f->review2, late, "review", &w, &err), JY_OK);
    assert_int_equal(jy_workflow_claim(f->svc, &f->review2, JY_STATION_REVIEW, &w, &claimed, &err),
                     JY_OK);
    assert_false(claimed);
}

/* ---- the store's version check ---- */

static void test_version_conflict(void **state)
{
    struct flow *f = *state;
    struct jy_error err;
    char no[24];
    int64_t id = flow_insert(f, "D01", "at_station", "review", "2026-12-03", 0, NULL, no);
    struct jy_store_workflow_change c = {
        .id = id, .version = 7, .state = "at_station", .station = "approval", .now = 1};
    assert_int_equal(jy_store_begin(f->conn, &err), JY_OK);
    assert_fails(jy_store_workflow_update(f->conn, &c, &err), JY_CONFLICT, "version_conflict");
    c.version = 1;
    c.state = "nowhere";
    assert_fails(jy_store_workflow_update(f->conn, &c, &err), JY_CONFLICT, "check_failed");
    jy_store_rollback(f->conn);
    /* Outside a transaction the store refuses to write. */
    c.state = "at_station";
    assert_fails(jy_store_workflow_update(f->conn, &c, &err), JY_INTERNAL, "no_transaction");
    assert_int_equal(flow_int(f, "SELECT version FROM applications"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_d01_to_sealed, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_v08_completed, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_return_resubmit, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_refuse, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_leases, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_scope, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_range_exhausted, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_queue_and_order, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_version_conflict, flow_setup, flow_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
