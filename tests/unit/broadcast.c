/*
 * broadcast.c — the hall display's broadcaster (src/service/broadcast.c): bounded subscribers,
 * each message in every queue with a wake-up, a display that falls behind cut off, the
 * heartbeat, and close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "service/broadcast.h"

struct waker {
    int wakes;
};

static void wake(void *cls)
{
    ((struct waker *)cls)->wakes++;
}

static void test_publish_reaches_every_subscriber(void **state)
{
    (void)state;
    struct jy_broadcast *b = NULL;
    struct jy_error err;
    assert_int_equal(jy_broadcast_new(2, 64, 0, &b, &err), JY_OK);
    struct waker w1 = {0}, w2 = {0}, w3 = {0};
    struct jy_broadcast_sub *s1 = NULL, *s2 = NULL, *s3 = NULL;
    assert_int_equal(jy_broadcast_subscribe(b, "hi\n", 3, wake, &w1, &s1, &err), JY_OK);
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &w2, &s2, &err), JY_OK);
    /* the third of two */
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &w3, &s3, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "stream_full");
    assert_int_equal(jy_broadcast_count(b), 2);

    char buf[64];
    assert_int_equal(jy_broadcast_read(s2, buf, sizeof(buf)), 0); /* nothing yet */
    assert_int_equal(jy_broadcast_publish(b, "event: call\n\n", 13), 2);
    assert_int_equal(w1.wakes, 1);
    assert_int_equal(w2.wakes, 1);
    assert_int_equal(w3.wakes, 0);
    assert_int_equal(jy_broadcast_read(s1, buf, sizeof(buf)), 16);
    assert_memory_equal(buf, "hi\nevent: call\n\n", 16);
    /* a short read leaves the rest for the next */
    assert_int_equal(jy_broadcast_read(s2, buf, 5), 5);
    assert_memory_equal(buf, "event", 5);
    assert_int_equal(jy_broadcast_read(s2, buf, sizeof(buf)), 8);
    assert_memory_equal(buf, ": call\n\n", 8);
    assert_int_equal(jy_broadcast_read(s2, buf, sizeof(buf)), 0);

    /* a place is free again after an unsubscribe */
    jy_broadcast_unsubscribe(s1);
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &w3, &s3, &err), JY_OK);
    jy_broadcast_unsubscribe(s2);
    jy_broadcast_unsubscribe(s3);
    jy_broadcast_free(b);
}

static void test_a_display_that_falls_behind_is_cut_off(void **state)
{
    (void)state;
    struct jy_broadcast *b = NULL;
    struct jy_error err;
    assert_int_equal(jy_broadcast_new(4, 32, 0, &b, &err), JY_OK);
    struct waker slow = {0}, quick = {0};
    struct jy_broadcast_sub *s = NULL, *q = NULL;
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &slow, &s, &err), JY_OK);
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &quick, &q, &err), JY_OK);
    char buf[64];
    /* the ring wraps for the one that reads */
    for (int i = 0; i < 5; i++) {
        assert_int_equal(jy_broadcast_publish(b, "0123456789abcdefghij", 20), i == 0 ? 2 : 1);
        assert_int_equal(jy_broadcast_read(q, buf, sizeof(buf)), 20);
        assert_memory_equal(buf, "0123456789abcdefghij", 20);
    }
    /* the slow one had 20 bytes queued; the next 20 did not fit: cut off, and it reads the end */
    assert_int_equal(jy_broadcast_read(s, buf, sizeof(buf)), -1);
    assert_int_equal(slow.wakes, 2);
    jy_broadcast_unsubscribe(s);
    jy_broadcast_unsubscribe(q);
    jy_broadcast_free(b);
}

static void test_close_ends_every_stream(void **state)
{
    (void)state;
    struct jy_broadcast *b = NULL;
    struct jy_error err;
    assert_int_equal(jy_broadcast_new(4, 64, 1, &b, &err), JY_OK);
    struct waker w = {0};
    struct jy_broadcast_sub *s = NULL, *t = NULL;
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &w, &s, &err), JY_OK);
    /* the heartbeat: a comment within about a second */
    char buf[64];
    ssize_t n = 0;
    for (int i = 0; i < 40 && n == 0; i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        n = jy_broadcast_read(s, buf, sizeof(buf));
    }
    assert_int_equal(n, 13);
    assert_memory_equal(buf, ": heartbeat\n\n", 13);
    jy_broadcast_publish(b, "x\n\n", 3);
    int before = w.wakes;
    jy_broadcast_close(b);
    assert_int_equal(w.wakes, before + 1);
    /* what was queued is still read, then the end */
    assert_int_equal(jy_broadcast_read(s, buf, sizeof(buf)), 3);
    assert_int_equal(jy_broadcast_read(s, buf, sizeof(buf)), -1);
    assert_int_equal(jy_broadcast_subscribe(b, NULL, 0, wake, &w, &t, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "closed");
    jy_broadcast_unsubscribe(s);
    jy_broadcast_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_reaches_every_subscriber),
        cmocka_unit_test(test_a_display_that_falls_behind_is_cut_off),
        cmocka_unit_test(test_close_ends_every_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
