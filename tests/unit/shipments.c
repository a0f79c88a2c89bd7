/*
 * Unit tests for src/service/shipments.c: the carrier's feed is idempotent, safe when it
 * arrives out of order, keeps unknown waybills, follows a redelivery after a failed attempt and
 * a return to sender; a bad batch writes nothing.
 */
#include "flow_fixture.h"

#include "core/timestamp.h"
#include "service/shipments.h"

#define W1 "EA100000003CN"
#define W2 "EA100000017CN"
#define W3 "EA100000025CN"
#define UNKNOWN "EA999999995CN" /* a valid S10 number no application carries */

/* "2026-12-0…T…+08:00" a few hours after the applications were accepted (an hour ago). */
static char times[8][32];

static void make_times(struct flow *f)
{
    int64_t now = jy_service_now(f->svc);
    for (int i = 0; i < 8; i++) {
        /* t0 = now - 50 min, then every 5 minutes; written in UTC+8 as a carrier would. */
        int64_t t = now - 3000 + i * 300 + 8 * 3600;
        char buf[JY_TIMESTAMP_TEXT_SIZE];
        jy_timestamp_format(t, buf);
        buf[19] = '\0';
        snprintf(times[i], sizeof(times[i]), "%s+08:00", buf);
    }
}

static struct jy_shipments_result apply(struct flow *f, const struct jy_shipment_event *ev,
                                        size_t n, enum jy_shipment_outcome *outcomes)
{
    struct jy_shipments_result r;
    struct jy_error err;
    if (jy_shipments_apply(f->svc, &f->logistics, ev, n, outcomes, NULL, &r, &err) != JY_OK)
        fail_msg("apply: %s %s (%s)", err.reason, err.field, err.message);
    return r;
}

static const char *state_of(struct flow *f, int64_t id, char buf[32])
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT state FROM applications WHERE id = %lld", (long long)id);
    return flow_text(f, sql, buf, 32);
}

static int64_t events_of(struct flow *f, int64_t id)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE application_id = %lld",
             (long long)id);
    return flow_int(f, sql);
}

static void check_result(struct jy_shipments_result r, size_t applied, size_t dup, size_t unknown,
                         size_t ooo)
{
    if (r.applied != applied || r.duplicates != dup || r.unknown != unknown ||
        r.ignored_out_of_order != ooo)
        fail_msg("applied %zu duplicates %zu unknown %zu out_of_order %zu; expected %zu %zu %zu "
                 "%zu",
                 r.applied, r.duplicates, r.unknown, r.ignored_out_of_order, applied, dup, unknown,
                 ooo);
}

static void test_idempotent(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    struct jy_shipment_event feed[] = {
        {"EA 100 000 003 CN", "shipped", times[0], "武汉市邮区中心局"},
        {W1, "in_transit", times[1], "武汉市武昌区"},
        {W1, "out_for_delivery", times[2], "彭刘杨路营业部"},
        {W1, "delivered", times[3], "彭刘杨路营业部"},
    };
    enum jy_shipment_outcome out[4];
    check_result(apply(f, feed, 4, out), 4, 0, 0, 0);
    assert_int_equal(out[0], JY_SHIPMENT_APPLIED);
    assert_int_equal(out[3], JY_SHIPMENT_APPLIED);
    assert_string_equal(state_of(f, id, buf), "delivered");
    /* intake + shipped + delivered: in_transit and out_for_delivery changed no state. */
    assert_int_equal(events_of(f, id), 3);
    assert_int_equal(flow_int(f, "SELECT count(*) FROM shipment_events"), 4);
    char text[256], expect[256];
    snprintf(expect, sizeof(expect), "sealed>shipped|shipped|武汉市邮区中心局|%lld|logistics",
             (long long)f->logistics.user_id);
    assert_string_equal(flow_text(f,
                                  "SELECT from_state || '>' || to_state || '|' || reason || '|' ||"
                                  " note || '|' || actor_id || '|' || actor_role FROM events"
                                  " WHERE to_state = 'shipped'",
                                  text, sizeof(text)),
                        expect);
    /* The event carries the carrier's time. */
    int64_t t3;
    struct jy_error err;
    assert_int_equal(jy_timestamp_parse(times[3], strlen(times[3]), &t3, &err), JY_OK);
    assert_int_equal(flow_int(f, "SELECT at FROM events WHERE to_state = 'delivered'"), t3);
    /* The waybill is stored normalised. */
    assert_int_equal(flow_int(f, "SELECT count(*) FROM shipment_events WHERE waybill = '" W1 "'"),
                     4);

    /* The same feed again: all duplicates, nothing written. */
    int64_t before = flow_fingerprint(f);
    check_result(apply(f, feed, 4, out), 0, 4, 0, 0);
    assert_int_equal(out[2], JY_SHIPMENT_DUPLICATE);
    assert_int_equal(flow_fingerprint(f), before);
    /* A duplicate inside one batch counts once. */
    struct jy_shipment_event twice[] = {
        {W1, "delivered", times[4], NULL},
        {W1, "delivered", times[4], NULL},
    };
    check_result(apply(f, twice, 2, out), 1, 1, 0, 0);
    assert_int_equal(events_of(f, id), 3); /* delivered again: no change of state */
}

static void test_out_of_order(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    /* The delivery comes in first, the earlier scans after it. */
    struct jy_shipment_event late[] = {{W1, "delivered", times[5], "彭刘杨路营业部"}};
    check_result(apply(f, late, 1, NULL), 1, 0, 0, 0);
    assert_string_equal(state_of(f, id, buf), "delivered");
    struct jy_shipment_event early[] = {
        {W1, "shipped", times[0], NULL},
        {W1, "in_transit", times[1], NULL},
        {W1, "delivery_failed", times[2], NULL},
        {W1, "returned", times[3], NULL},
    };
    enum jy_shipment_outcome out[4];
    check_result(apply(f, early, 4, out), 0, 0, 0, 4);
    assert_int_equal(out[1], JY_SHIPMENT_OUT_OF_ORDER);
    assert_string_equal(state_of(f, id, buf), "delivered");
    assert_int_equal(events_of(f, id), 2);
    /* … but they are kept as the carrier sent them. */
    assert_int_equal(flow_int(f, "SELECT count(*) FROM shipment_events"), 5);
}

static void test_unknown(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    struct jy_shipment_event feed[] = {
        {UNKNOWN, "shipped", times[0], NULL},
        {W1, "shipped", times[0], NULL},
        {"ea999999995cn", "in_transit", times[1], NULL},
    };
    enum jy_shipment_outcome out[3];
    char waybills[3][14];
    struct jy_shipments_result r;
    struct jy_error err;
    assert_int_equal(jy_shipments_apply(f->svc, &f->admin, feed, 3, out, waybills, &r, &err),
                     JY_OK);
    check_result(r, 1, 0, 2, 0);
    assert_int_equal(out[0], JY_SHIPMENT_UNKNOWN);
    assert_int_equal(out[2], JY_SHIPMENT_UNKNOWN);
    assert_string_equal(waybills[2], UNKNOWN); /* normalised */
    assert_string_equal(state_of(f, id, buf), "shipped");
    assert_int_equal(
        flow_int(f, "SELECT count(*) FROM shipment_events WHERE waybill = '" UNKNOWN "'"), 2);
    /* Sent again, the unknown ones are duplicates now. */
    check_result(apply(f, feed, 3, out), 0, 3, 0, 0);
}

static void test_redelivery(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    struct jy_shipment_event first[] = {
        {W1, "shipped", times[0], NULL},
        {W1, "out_for_delivery", times[1], NULL},
        {W1, "delivery_failed", times[2], "收件人不在"},
    };
    check_result(apply(f, first, 3, NULL), 3, 0, 0, 0);
    assert_string_equal(state_of(f, id, buf), "delivery_failed");
    /* Out again the next round: back to shipped. */
    struct jy_shipment_event again[] = {{W1, "out_for_delivery", times[4], "彭刘杨路营业部"}};
    check_result(apply(f, again, 1, NULL), 1, 0, 0, 0);
    assert_string_equal(state_of(f, id, buf), "shipped");
    /* A failure older than the redelivery, arriving late, does not undo it. */
    struct jy_shipment_event stale[] = {{W1, "delivery_failed", times[3], NULL}};
    check_result(apply(f, stale, 1, NULL), 0, 0, 0, 1);
    assert_string_equal(state_of(f, id, buf), "shipped");
    struct jy_shipment_event done[] = {{W1, "delivered", times[5], NULL}};
    check_result(apply(f, done, 1, NULL), 1, 0, 0, 0);
    assert_string_equal(state_of(f, id, buf), "delivered");
    char path[256];
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(to_state, '>') FROM (SELECT to_state FROM events WHERE"
             " application_id = %lld ORDER BY id)",
             (long long)id);
    assert_string_equal(flow_text(f, sql, path, sizeof(path)),
                        "sealed>shipped>delivery_failed>shipped>delivered");
}

/* A hand-over event that keeps the state (the paper file scanned in at the centre after the
 * licence went out) is not a move: a carrier event older than it but newer than the last move
 * still applies. */
static void test_custody_event_not_a_move(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    struct jy_shipment_event first[] = {
        {W1, "shipped", times[0], NULL},
        {W1, "delivery_failed", times[2], "收件人不在"},
    };
    check_result(apply(f, first, 2, NULL), 2, 0, 0, 0);
    int64_t at6 = jy_service_now(f->svc) - 3000 + 6 * 300;
    struct jy_event ev = {.application_id = id,
                          .at = at6,
                          .actor_id = f->logistics.user_id,
                          .actor_role = "logistics",
                          .from_state = "delivery_failed",
                          .to_state = "delivery_failed",
                          .reason = "received_at_centre",
                          .note = "WH001-20261130-1"};
    struct jy_error err;
    int64_t event_id;
    if (jy_store_begin(f->conn, &err) != JY_OK ||
        jy_store_event_append(f->conn, &ev, &event_id, &err) != JY_OK ||
        jy_store_commit(f->conn, &err) != JY_OK)
        fail_msg("custody event: %s %s", err.reason, err.message);
    /* Out again at times[4]: after the failure (the last move), before the hand-over. */
    struct jy_shipment_event again[] = {{W1, "shipped", times[4], "彭刘杨路营业部"}};
    check_result(apply(f, again, 1, NULL), 1, 0, 0, 0);
    assert_string_equal(state_of(f, id, buf), "shipped");
    /* And a failure older than that redelivery is still out of order. */
    struct jy_shipment_event stale[] = {{W1, "delivery_failed", times[3], NULL}};
    check_result(apply(f, stale, 1, NULL), 0, 0, 0, 1);
    assert_string_equal(state_of(f, id, buf), "shipped");
}

static void test_returned(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24], no2[24], buf[32];
    int64_t id = flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    int64_t id2 = flow_insert(f, "V01", "sealed", NULL, "2026-12-03", 3000, W2, no2);
    struct jy_shipment_event feed[] = {
        {W1, "shipped", times[0], NULL},         {W1, "delivery_failed", times[1], NULL},
        {W1, "returned", times[2], "武汉"},      {W2, "shipped", times[0], NULL},
        {W2, "returned", times[1], NULL},        {W1, "in_transit", times[3], NULL},
        {W1, "delivery_failed", times[4], NULL},
    };
    enum jy_shipment_outcome out[7];
    check_result(apply(f, feed, 7, out), 5, 0, 0, 2);
    assert_int_equal(out[5], JY_SHIPMENT_OUT_OF_ORDER); /* nothing after a return but delivery */
    assert_int_equal(out[6], JY_SHIPMENT_OUT_OF_ORDER);
    assert_string_equal(state_of(f, id, buf), "returned");
    assert_string_equal(state_of(f, id2, buf), "returned");
    /* A third item, never scanned, is still sealed. */
    char no3[24];
    int64_t id3 = flow_insert(f, "D02", "sealed", NULL, "2026-12-03", 3000, W3, no3);
    assert_string_equal(state_of(f, id3, buf), "sealed");
}

static void test_bad_batches(void **state)
{
    struct flow *f = *state;
    make_times(f);
    char no[24];
    flow_insert(f, "D01", "sealed", NULL, "2026-12-03", 3000, W1, no);
    struct jy_shipments_result r = {9, 9, 9, 9};
    struct jy_error err;
    int64_t before = flow_fingerprint(f);
    struct {
        struct jy_shipment_event ev;
        enum jy_err code;
        const char *reason, *field;
    } cases[] = {
        {{"EA100000004CN", "shipped", times[0], NULL},
         JY_UNPROCESSABLE,
         "invalid_waybill",
         "events[1].waybill"},
        {{"", "shipped", times[0], NULL}, JY_INVALID, "missing_field", "events[1].waybill"},
        {{W1, "lost", times[0], NULL}, JY_UNPROCESSABLE, "unknown_status", "events[1].status"},
        {{W1, "shipped", "2026-12-03T10:15:00", NULL},
         JY_UNPROCESSABLE,
         "missing_zone",
         "events[1].at"},
        {{W1, "shipped", "2026-02-30T10:15:00Z", NULL},
         JY_UNPROCESSABLE,
         "bad_timestamp",
         "events[1].at"},
        {{W1, "shipped", "2099-01-01T00:00:00Z", NULL},
         JY_UNPROCESSABLE,
         "time_in_future",
         "events[1].at"},
        {{W1, "shipped", NULL, NULL}, JY_INVALID, "missing_field", "events[1].at"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct jy_shipment_event batch[2] = {{W1, "shipped", times[0], NULL}, cases[i].ev};
        enum jy_err e = jy_shipments_apply(f->svc, &f->logistics, batch, 2, NULL, NULL, &r, &err);
        if (e != cases[i].code || strcmp(err.reason, cases[i].reason) != 0 ||
            strcmp(err.field, cases[i].field) != 0)
            fail_msg("case %zu: %s/%s/%s (%s)", i, jy_err_name(e), err.reason, err.field,
                     err.message);
        assert_int_equal(flow_fingerprint(f), before); /* not even the good first event */
    }
    /* The S10 check's own detail is in the message. */
    struct jy_shipment_event bad[] = {{"EA100000004CN", "shipped", times[0], NULL}};
    jy_shipments_apply(f->svc, &f->logistics, bad, 1, NULL, NULL, &r, &err);
    assert_non_null(strstr(err.message, "check"));
    /* An over-long location. */
    char loc[JY_SHIPMENT_LOCATION_MAX_BYTES + 2];
    memset(loc, 'x', sizeof(loc) - 1);
    loc[sizeof(loc) - 1] = '\0';
    struct jy_shipment_event longloc[] = {{W1, "shipped", times[0], loc}};
    assert_int_equal(jy_shipments_apply(f->svc, &f->logistics, longloc, 1, NULL, NULL, &r, &err),
                     JY_TOO_LONG);
    assert_string_equal(err.field, "events[0].location");
    /* Roles. */
    const struct jy_actor *no_feed[] = {&f->clerk, &f->review, &f->police, &f->manager};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(jy_shipments_apply(f->svc, no_feed[i], bad, 1, NULL, NULL, &r, &err),
                         JY_FORBIDDEN);
        assert_string_equal(err.reason, "forbidden");
    }
    /* Too many. */
    assert_int_equal(jy_shipments_apply(f->svc, &f->logistics, bad, JY_SHIPMENT_EVENTS_MAX + 1,
                                        NULL, NULL, &r, &err),
                     JY_TOO_LARGE);
    assert_int_equal(flow_fingerprint(f), before);
    assert_int_equal(r.applied, 9); /* untouched on failure */
    /* An empty batch is fine. */
    assert_int_equal(jy_shipments_apply(f->svc, &f->logistics, NULL, 0, NULL, NULL, &r, &err),
                     JY_OK);
    check_result(r, 0, 0, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_idempotent, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_custody_event_not_a_move, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_unknown, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_redelivery, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_returned, flow_setup, flow_teardown),
        cmocka_unit_test_setup_teardown(test_bad_batches, flow_setup, flow_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
