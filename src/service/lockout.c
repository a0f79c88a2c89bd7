/*
 * lockout.c — failed logins per (username, client address): see lockout.h.
 *
 * A plain array searched from end to end: it is a few thousand entries at most, and every
 * search stands beside an argon2id hash that costs tens of milliseconds.
 */
#include "lockout.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../banned.h"

struct pair {
    bool used;
    char name[JY_LOCKOUT_NAME_MAX + 1];
    char client[JY_LOCKOUT_CLIENT_MAX + 1];
    int failures;         /* in a row, since the last lock or good login */
    int64_t last_failure; /* UTC seconds */
    int64_t locked_until; /* UTC seconds; 0: not locked */
};

struct jy_lockout {
    pthread_mutex_t mu;
    struct pair *v;
    size_t max, n;
};

enum jy_err jy_lockout_new(size_t max_entries, struct jy_lockout **ret, struct jy_error *err)
{
    if (max_entries < 1 || max_entries > 1000000)
        return jy_error_set(err, JY_RANGE, NULL, NULL, "a lockout table holds 1 to 1000000 pairs");
    struct jy_lockout *lk = calloc(1, sizeof(*lk));
    if (lk)
        lk->v = calloc(max_entries, sizeof(*lk->v));
    if (!lk || !lk->v) {
        free(lk);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    pthread_mutex_init(&lk->mu, NULL);
    lk->max = max_entries;
    *ret = lk;
    return JY_OK;
}

void jy_lockout_free(struct jy_lockout *lk)
{
    if (!lk)
        return;
    pthread_mutex_destroy(&lk->mu);
    free(lk->v);
    free(lk);
}

/* The pair's entry, or NULL. Under lk->mu. */
static struct pair *find(struct jy_lockout *lk, const char *name, const char *client)
{
    char n[JY_LOCKOUT_NAME_MAX + 1], c[JY_LOCKOUT_CLIENT_MAX + 1];
    jy_strlcpy(n, name ? name : "", sizeof(n));
    jy_strlcpy(c, client ? client : "", sizeof(c));
    for (size_t i = 0; i < lk->max; i++)
        if (lk->v[i].used && strcmp(lk->v[i].name, n) == 0 && strcmp(lk->v[i].client, c) == 0)
            return &lk->v[i];
    return NULL;
}

/* A free entry, or the one to give up (see lockout.h). Under lk->mu. */
static struct pair *take(struct jy_lockout *lk, int64_t now)
{
    struct pair *best = NULL;
    for (size_t i = 0; i < lk->max; i++) {
        struct pair *p = &lk->v[i];
        if (!p->used)
            return p;
        bool locked = p->locked_until > now;
        if (!best) {
            best = p;
            continue;
        }
        bool best_locked = best->locked_until > now;
        if (locked != best_locked) {
            if (!locked)
                best = p;
        } else if (locked ? p->locked_until < best->locked_until
                          : p->last_failure < best->last_failure) {
            best = p;
        }
    }
    lk->n--; /* the entry given up */
    return best;
}

int64_t jy_lockout_locked(struct jy_lockout *lk, const char *username, const char *client,
                          int64_t now)
{
    pthread_mutex_lock(&lk->mu);
    struct pair *p = find(lk, username, client);
    int64_t left = p && p->locked_until > now ? p->locked_until - now : 0;
    pthread_mutex_unlock(&lk->mu);
    return left;
}

int64_t jy_lockout_fail(struct jy_lockout *lk, const char *username, const char *client,
                        int64_t now, int max_failures, int64_t lock_seconds, int64_t window)
{
    int64_t locked = 0;
    pthread_mutex_lock(&lk->mu);
    struct pair *p = find(lk, username, client);
    if (!p) {
        p = take(lk, now);
        memset(p, 0, sizeof(*p));
        p->used = true;
        jy_strlcpy(p->name, username ? username : "", sizeof(p->name));
        jy_strlcpy(p->client, client ? client : "", sizeof(p->client));
        lk->n++;
    }
    if (p->last_failure && now - p->last_failure > window)
        p->failures = 0;
    p->last_failure = now;
    if (++p->failures >= max_failures) {
        p->failures = 0;
        p->locked_until = now + lock_seconds;
        locked = lock_seconds;
    }
    pthread_mutex_unlock(&lk->mu);
    return locked;
}

void jy_lockout_clear(struct jy_lockout *lk, const char *username, const char *client)
{
    pthread_mutex_lock(&lk->mu);
    struct pair *p = find(lk, username, client);
    if (p) {
        memset(p, 0, sizeof(*p));
        lk->n--;
    }
    pthread_mutex_unlock(&lk->mu);
}

size_t jy_lockout_count(struct jy_lockout *lk)
{
    pthread_mutex_lock(&lk->mu);
    size_t n = lk->n;
    pthread_mutex_unlock(&lk->mu);
    return n;
}
