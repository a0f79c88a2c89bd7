/*
 * broadcast.c — one publisher, many bounded subscriber queues: see broadcast.h.
 */
#include "broadcast.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../banned.h"

struct jy_broadcast_sub {
    struct jy_broadcast *b;
    struct jy_broadcast_sub *prev, *next;
    jy_broadcast_wake_fn *wake;
    void *cls;
    char *buf; /* a ring of b->queue_bytes */
    size_t head, len;
    bool cut; /* overflowed or closed: reads end once the queue is drained (overflow: at once) */
    bool overflowed;
};

struct jy_broadcast {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct jy_broadcast_sub *subs;
    size_t n_subs, max_subs, queue_bytes;
    unsigned heartbeat_seconds;
    bool closed;
    bool have_thread;
    pthread_t thread;
};

static const char heartbeat[] = ": heartbeat\n\n";

/* Append to one queue, under b->mu. */
static bool enqueue(struct jy_broadcast_sub *s, const char *msg, size_t len)
{
    size_t cap = s->b->queue_bytes;
    if (s->cut)
        return false;
    if (len > cap - s->len) {
        s->cut = true;
        s->overflowed = true;
        s->wake(s->cls);
        return false;
    }
    for (size_t i = 0; i < len; i++)
        s->buf[(s->head + s->len + i) % cap] = msg[i];
    s->len += len;
    s->wake(s->cls);
    return true;
}

static void *heartbeat_main(void *arg)
{
    struct jy_broadcast *b = arg;
    pthread_mutex_lock(&b->mu);
    while (!b->closed) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += b->heartbeat_seconds;
        int rc = 0;
        while (!b->closed && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&b->cv, &b->mu, &until);
        if (b->closed)
            break;
        for (struct jy_broadcast_sub *s = b->subs; s; s = s->next)
            enqueue(s, heartbeat, sizeof(heartbeat) - 1);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

enum jy_err jy_broadcast_new(size_t max_subscribers, size_t queue_bytes, unsigned heartbeat_seconds,
                             struct jy_broadcast **ret, struct jy_error *err)
{
    if (max_subscribers == 0 || queue_bytes == 0)
        return jy_error_set(err, JY_INVALID, NULL, NULL, "a broadcaster needs room");
    struct jy_broadcast *b = calloc(1, sizeof(*b));
    if (!b)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, &ca);
    pthread_condattr_destroy(&ca);
    b->max_subs = max_subscribers;
    b->queue_bytes = queue_bytes;
    b->heartbeat_seconds = heartbeat_seconds;
    if (heartbeat_seconds > 0) {
        if (pthread_create(&b->thread, NULL, heartbeat_main, b) != 0) {
            pthread_cond_destroy(&b->cv);
            pthread_mutex_destroy(&b->mu);
            free(b);
            return jy_error_set(err, JY_INTERNAL, "no_thread", NULL,
                                "cannot start the heartbeat thread");
        }
        b->have_thread = true;
    }
    *ret = b;
    return JY_OK;
}

void jy_broadcast_close(struct jy_broadcast *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    bool join = !b->closed && b->have_thread;
    b->closed = true;
    for (struct jy_broadcast_sub *s = b->subs; s; s = s->next) {
        s->cut = true;
        s->wake(s->cls);
    }
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    if (join)
        pthread_join(b->thread, NULL);
}

void jy_broadcast_free(struct jy_broadcast *b)
{
    if (!b)
        return;
    jy_broadcast_close(b);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

enum jy_err jy_broadcast_subscribe(struct jy_broadcast *b, const char *hello, size_t len,
                                   jy_broadcast_wake_fn *wake, void *cls,
                                   struct jy_broadcast_sub **ret, struct jy_error *err)
{
    if (len > b->queue_bytes)
        return jy_error_set(err, JY_INVALID, NULL, NULL, "greeting longer than the queue");
    struct jy_broadcast_sub *s = calloc(1, sizeof(*s));
    char *buf = malloc(b->queue_bytes);
    if (!s || !buf) {
        free(s);
        free(buf);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    s->b = b;
    s->wake = wake;
    s->cls = cls;
    s->buf = buf;
    if (len)
        memcpy(buf, hello, len);
    s->len = len;
    pthread_mutex_lock(&b->mu);
    enum jy_err e = JY_OK;
    if (b->closed)
        e = jy_error_set(err, JY_CONFLICT, "closed", NULL, "the service is stopping");
    else if (b->n_subs >= b->max_subs)
        e = jy_error_set(err, JY_CONFLICT, "stream_full", NULL,
                         "%zu displays are connected already, the most there may be", b->max_subs);
    if (e == JY_OK) {
        s->next = b->subs;
        if (b->subs)
            b->subs->prev = s;
        b->subs = s;
        b->n_subs++;
    }
    pthread_mutex_unlock(&b->mu);
    if (e != JY_OK) {
        free(buf);
        free(s);
        return e;
    }
    *ret = s;
    return JY_OK;
}

void jy_broadcast_unsubscribe(struct jy_broadcast_sub *s)
{
    if (!s)
        return;
    struct jy_broadcast *b = s->b;
    pthread_mutex_lock(&b->mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        b->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    b->n_subs--;
    pthread_mutex_unlock(&b->mu);
    free(s->buf);
    free(s);
}

ssize_t jy_broadcast_read(struct jy_broadcast_sub *s, char *buf, size_t max)
{
    struct jy_broadcast *b = s->b;
    pthread_mutex_lock(&b->mu);
    ssize_t n;
    if (s->overflowed || (s->cut && s->len == 0)) {
        n = -1;
    } else {
        size_t k = s->len < max ? s->len : max;
        for (size_t i = 0; i < k; i++)
            buf[i] = s->buf[(s->head + i) % b->queue_bytes];
        s->head = (s->head + k) % b->queue_bytes;
        s->len -= k;
        n = (ssize_t)k;
    }
    pthread_mutex_unlock(&b->mu);
    return n;
}

size_t jy_broadcast_publish(struct jy_broadcast *b, const char *msg, size_t len)
{
    size_t n = 0;
    pthread_mutex_lock(&b->mu);
    for (struct jy_broadcast_sub *s = b->subs; s; s = s->next)
        n += enqueue(s, msg, len);
    pthread_mutex_unlock(&b->mu);
    return n;
}

size_t jy_broadcast_count(struct jy_broadcast *b)
{
    pthread_mutex_lock(&b->mu);
    size_t n = b->n_subs;
    pthread_mutex_unlock(&b->mu);
    return n;
}
