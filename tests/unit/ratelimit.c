/*
 * Unit tests for src/http/ratelimit.c: bucket arithmetic, Retry-After, keys (route, client,
 * IPv6 /64), eviction of the least recently used bucket in a full table, and exact counting
 * under concurrent use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "http/ratelimit.h"
#include "limits.h"

static struct jy_ratelimit *make(size_t entries, uint32_t burst, uint32_t per_minute)
{
    struct jy_ratelimit *rl = NULL;
    assert_int_equal(jy_ratelimit_new(entries, burst, per_minute, &rl, NULL), JY_OK);
    return rl;
}

static void test_bucket(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = make(16, 3, 60); /* 3 at once, then one a second */
    uint32_t retry = 0;
    for (int i = 0; i < 3; i++)
        assert_true(jy_ratelimit_take(rl, "10.0.0.1", "/track", 1000, &retry));
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "/track", 1000, &retry));
    assert_int_equal(retry, 1);
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "/track", 1999, &retry));
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "/track", 2000, &retry));
    /* Refill is exact at any request rate: 1000 calls one millisecond apart earn one token. */
    int granted = 0;
    for (int t = 2001; t <= 3000; t++)
        granted += jy_ratelimit_take(rl, "10.0.0.1", "/track", t, NULL);
    assert_int_equal(granted, 1);
    /* A long wait refills to the burst, not beyond. */
    granted = 0;
    for (int i = 0; i < 10; i++)
        granted += jy_ratelimit_take(rl, "10.0.0.1", "/track", 10000000, NULL);
    assert_int_equal(granted, 3);
    /* The clock going backwards refills nothing and breaks nothing. */
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "/track", 5, &retry));
    jy_ratelimit_free(rl);

    rl = make(16, 1, 1); /* one a minute */
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "r", 0, &retry));
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "r", 0, &retry));
    assert_int_equal(retry, 60);
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "r", 30000, &retry));
    assert_int_equal(retry, 30);
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "r", 59999, &retry));
    assert_int_equal(retry, 1);
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "r", 60000, &retry));
    jy_ratelimit_free(rl);
}

static void test_keys(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = make(16, 1, 1);
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "a", 0, NULL));
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "a", 0, NULL));
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "b", 0, NULL)); /* another route */
    assert_true(jy_ratelimit_take(rl, "10.0.0.2", "a", 0, NULL)); /* another client */
    /* IPv6: one /64 is one client … */
    assert_true(jy_ratelimit_take(rl, "2001:db8:1:2::1", "a", 0, NULL));
    assert_false(jy_ratelimit_take(rl, "2001:db8:1:2:ffff::9", "a", 0, NULL));
    /* … another /64 another. */
    assert_true(jy_ratelimit_take(rl, "2001:db8:1:3::1", "a", 0, NULL));
    /* Text that is no address is a key as it stands. */
    assert_true(jy_ratelimit_take(rl, "", "a", 0, NULL));
    assert_false(jy_ratelimit_take(rl, "", "a", 0, NULL));
    assert_int_equal(jy_ratelimit_count(rl), 6);
    jy_ratelimit_free(rl);
}

static void test_eviction(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = make(4, 1, 1);
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", "r", 0, NULL));  /* A, now empty */
    assert_true(jy_ratelimit_take(rl, "10.0.0.2", "r", 1, NULL));  /* B */
    assert_true(jy_ratelimit_take(rl, "10.0.0.3", "r", 2, NULL));  /* C */
    assert_true(jy_ratelimit_take(rl, "10.0.0.4", "r", 3, NULL));  /* D */
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "r", 4, NULL)); /* A used again: newest */
    assert_int_equal(jy_ratelimit_count(rl), 4);
    /* E pushes out the least recently used: B, not A. */
    assert_true(jy_ratelimit_take(rl, "10.0.0.5", "r", 5, NULL));
    assert_int_equal(jy_ratelimit_count(rl), 4);
    assert_false(jy_ratelimit_take(rl, "10.0.0.1", "r", 6, NULL)); /* A still remembered */
    assert_true(jy_ratelimit_take(rl, "10.0.0.2", "r", 7, NULL));  /* B forgotten: full again */
    /* That evicted C; D is next. Memory never grows. */
    for (int i = 0; i < 1000; i++) {
        char addr[32];
        snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 256, i % 256);
        assert_true(jy_ratelimit_take(rl, addr, "r", 10 + i, NULL));
        assert_int_equal(jy_ratelimit_count(rl), 4);
    }
    jy_ratelimit_free(rl);
}

static void test_ranges(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = NULL;
    struct jy_error err;
    assert_int_equal(jy_ratelimit_new(0, 1, 1, &rl, &err), JY_RANGE);
    assert_int_equal(jy_ratelimit_new(JY_RATELIMIT_MAX_ENTRIES + 1, 1, 1, &rl, &err), JY_RANGE);
    assert_int_equal(jy_ratelimit_new(4, 0, 1, &rl, &err), JY_RANGE);
    assert_int_equal(jy_ratelimit_new(4, 1, 0, &rl, &err), JY_RANGE);
    assert_null(rl);
    /* The largest table and rates work, and a long route key is cut, not overrun. */
    assert_int_equal(jy_ratelimit_new(JY_RATELIMIT_MAX_ENTRIES, 1000000, 6000000, &rl, &err),
                     JY_OK);
    char key[JY_RATELIMIT_KEY_MAX_BYTES * 2];
    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    assert_true(jy_ratelimit_take(rl, "10.0.0.1", key, INT64_MAX / 2, NULL));
    jy_ratelimit_free(rl);
    jy_ratelimit_free(NULL);
}

#define THREADS 8
#define TAKES 20000

struct worker {
    struct jy_ratelimit *rl;
    int id;
    int granted_shared;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    char addr[32];
    for (int i = 0; i < TAKES; i++) {
        /* Time stands still, so the shared bucket grants exactly its burst in all. */
        w->granted_shared += jy_ratelimit_take(w->rl, "192.168.0.1", "shared", 0, NULL);
        snprintf(addr, sizeof(addr), "10.%d.%d.%d", w->id, (i / 256) % 256, i % 256);
        jy_ratelimit_take(w->rl, addr, "churn", i, NULL);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = make(64, 1000, 1);
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){rl, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        total += w[i].granted_shared;
    }
    /* The shared bucket may have been evicted by the churn and come back full; never less than
     * the burst, and the table never exceeds its size. */
    assert_true(total >= 1000);
    assert_true(jy_ratelimit_count(rl) <= 64);
    jy_ratelimit_free(rl);
}

struct exact_worker {
    struct jy_ratelimit *rl;
    int granted;
};

static void *exact_main(void *arg)
{
    struct exact_worker *w = arg;
    for (int i = 0; i < 5000; i++)
        w->granted += jy_ratelimit_take(w->rl, "192.168.0.1", "shared", 0, NULL);
    return NULL;
}

static void test_threads_exact(void **state)
{
    (void)state;
    struct jy_ratelimit *rl = make(64, 7777, 1);
    pthread_t t[THREADS];
    struct exact_worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct exact_worker){rl, 0};
        assert_int_equal(pthread_create(&t[i], NULL, exact_main, &w[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        total += w[i].granted;
    }
    assert_int_equal(total, 7777);
    jy_ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket),   cmocka_unit_test(test_keys),
        cmocka_unit_test(test_eviction), cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_threads),  cmocka_unit_test(test_threads_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
