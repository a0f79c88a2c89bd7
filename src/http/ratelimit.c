/*
 * ratelimit.c — a fixed array of buckets, a hash index with chaining through the array, and a
 * doubly linked least-recently-used list; all links are 32-bit indices into the one allocation.
 *
 * Tokens are counted in units of 1/60000 so that refills are exact in integers: a bucket gains
 * `per_minute` units each millisecond, and one request costs 60000.
 */
#include "http/ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "limits.h"

#include "banned.h"

#define NIL UINT32_MAX
#define UNIT 60000 /* units per token: milliseconds per minute */

/* A client key: an address in binary (IPv4, or the first 8 bytes of IPv6) or text. */
#define CLIENT_KEY_MAX 64

struct bucket {
    uint32_t hash_next; /* next bucket in the same hash slot */
    uint32_t lru_prev, lru_next;
    uint8_t client_len;
    uint8_t route_len;
    unsigned char client[CLIENT_KEY_MAX];
    char route[JY_RATELIMIT_KEY_MAX_BYTES];
    int64_t units;
    int64_t last_ms;
};

struct jy_ratelimit {
    pthread_mutex_t lock;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
    int64_t burst_units;
    int64_t per_minute;
    uint32_t cap, used, n_slots;
    uint32_t lru_head, lru_tail; /* head = most recently used */
    uint32_t free_head;          /* unused buckets, chained through hash_next */
    uint32_t *slots;
    struct bucket *buckets;
};

enum jy_err jy_ratelimit_new(size_t max_entries, uint32_t burst, uint32_t per_minute,
                             struct jy_ratelimit **ret, struct jy_error *err)
{
    if (max_entries == 0 || max_entries > JY_RATELIMIT_MAX_ENTRIES || burst == 0 ||
        burst > 1000000 || per_minute == 0 || per_minute > 6000000)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL,
                            "rate limit settings out of range");
    if (sodium_init() < 0)
        return jy_error_set(err, JY_INTERNAL, "sodium_init", NULL, "libsodium failed to start");
    struct jy_ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    rl->cap = (uint32_t)max_entries;
    rl->n_slots = 1;
    while (rl->n_slots < rl->cap * 2)
        rl->n_slots <<= 1;
    rl->slots = malloc(sizeof(*rl->slots) * rl->n_slots); /* n_slots ≤ 2^17: no overflow */
    rl->buckets = calloc(rl->cap, sizeof(*rl->buckets));
    if (!rl->slots || !rl->buckets || pthread_mutex_init(&rl->lock, NULL) != 0) {
        free(rl->slots);
        free(rl->buckets);
        free(rl);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    for (uint32_t i = 0; i < rl->n_slots; i++)
        rl->slots[i] = NIL;
    for (uint32_t i = 0; i < rl->cap; i++)
        rl->buckets[i].hash_next = i + 1 < rl->cap ? i + 1 : NIL;
    rl->free_head = 0;
    rl->lru_head = rl->lru_tail = NIL;
    rl->burst_units = (int64_t)burst * UNIT;
    rl->per_minute = per_minute;
    randombytes_buf(rl->hash_key, sizeof(rl->hash_key));
    *ret = rl;
    return JY_OK;
}

void jy_ratelimit_free(struct jy_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->slots);
    free(rl->buckets);
    free(rl);
}

/* The client part of the key: 4 bytes for IPv4, the /64 prefix for IPv6, else the text. */
static size_t client_key(const char *client, unsigned char key[CLIENT_KEY_MAX])
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, client, &a4) == 1) {
        key[0] = 4;
        memcpy(key + 1, &a4, 4);
        return 5;
    }
    if (inet_pton(AF_INET6, client, &a6) == 1) {
        key[0] = 6;
        memcpy(key + 1, &a6, 8);
        return 9;
    }
    size_t n = strnlen(client, CLIENT_KEY_MAX - 1);
    key[0] = 't';
    memcpy(key + 1, client, n);
    return n + 1;
}

static uint32_t slot_of(const struct jy_ratelimit *rl, const unsigned char *client, size_t clen,
                        const char *route, size_t rlen)
{
    unsigned char buf[CLIENT_KEY_MAX + 1 + JY_RATELIMIT_KEY_MAX_BYTES];
    unsigned char out[crypto_shorthash_BYTES];
    memcpy(buf, client, clen);
    buf[clen] = 0;
    memcpy(buf + clen + 1, route, rlen);
    crypto_shorthash(out, buf, clen + 1 + rlen, rl->hash_key);
    uint32_t h;
    memcpy(&h, out, sizeof(h));
    return h & (rl->n_slots - 1);
}

static void lru_unlink(struct jy_ratelimit *rl, uint32_t i)
{
    struct bucket *b = &rl->buckets[i];
    if (b->lru_prev != NIL)
        rl->buckets[b->lru_prev].lru_next = b->lru_next;
    else
        rl->lru_head = b->lru_next;
    if (b->lru_next != NIL)
        rl->buckets[b->lru_next].lru_prev = b->lru_prev;
    else
        rl->lru_tail = b->lru_prev;
}

static void lru_push_front(struct jy_ratelimit *rl, uint32_t i)
{
    struct bucket *b = &rl->buckets[i];
    b->lru_prev = NIL;
    b->lru_next = rl->lru_head;
    if (rl->lru_head != NIL)
        rl->buckets[rl->lru_head].lru_prev = i;
    rl->lru_head = i;
    if (rl->lru_tail == NIL)
        rl->lru_tail = i;
}

/* Remove bucket `i` from its hash chain (its key gives the slot). */
static void hash_unlink(struct jy_ratelimit *rl, uint32_t i)
{
    struct bucket *b = &rl->buckets[i];
    uint32_t s = slot_of(rl, b->client, b->client_len, b->route, b->route_len);
    uint32_t *link = &rl->slots[s];
    while (*link != NIL && *link != i)
        link = &rl->buckets[*link].hash_next;
    if (*link == i)
        *link = b->hash_next;
}

bool jy_ratelimit_take(struct jy_ratelimit *rl, const char *client, const char *route_key,
                       int64_t now_ms, uint32_t *ret_retry_after)
{
    unsigned char ckey[CLIENT_KEY_MAX];
    size_t clen = client_key(client ? client : "", ckey);
    const char *route = route_key ? route_key : "";
    size_t rlen = strnlen(route, JY_RATELIMIT_KEY_MAX_BYTES);
    uint32_t s = slot_of(rl, ckey, clen, route, rlen);
    bool allowed;

    pthread_mutex_lock(&rl->lock);
    uint32_t i = rl->slots[s];
    while (i != NIL) {
        struct bucket *b = &rl->buckets[i];
        if (b->client_len == clen && b->route_len == rlen && memcmp(b->client, ckey, clen) == 0 &&
            memcmp(b->route, route, rlen) == 0)
            break;
        i = b->hash_next;
    }
    if (i == NIL) {
        if (rl->free_head != NIL) {
            i = rl->free_head;
            rl->free_head = rl->buckets[i].hash_next;
            rl->used++;
        } else { /* full: reuse the least recently used bucket */
            i = rl->lru_tail;
            lru_unlink(rl, i);
            hash_unlink(rl, i);
        }
        struct bucket *b = &rl->buckets[i];
        b->client_len = (uint8_t)clen;
        b->route_len = (uint8_t)rlen;
        memcpy(b->client, ckey, clen);
        memcpy(b->route, route, rlen);
        b->units = rl->burst_units;
        b->last_ms = now_ms;
        b->hash_next = rl->slots[s];
        rl->slots[s] = i;
        lru_push_front(rl, i);
    } else {
        lru_unlink(rl, i);
        lru_push_front(rl, i);
    }

    struct bucket *b = &rl->buckets[i];
    if (now_ms > b->last_ms) {
        /* Cap the elapsed time at what refills an empty bucket, so the product cannot overflow. */
        int64_t elapsed = now_ms - b->last_ms;
        int64_t full_ms = rl->burst_units / rl->per_minute + 1;
        if (elapsed > full_ms)
            elapsed = full_ms;
        b->units += elapsed * rl->per_minute;
        if (b->units > rl->burst_units)
            b->units = rl->burst_units;
        b->last_ms = now_ms;
    }
    if (b->units >= UNIT) {
        b->units -= UNIT;
        allowed = true;
    } else {
        allowed = false;
        if (ret_retry_after) {
            /* Milliseconds until one whole token, rounded up to seconds. */
            int64_t wait_ms = (UNIT - b->units + rl->per_minute - 1) / rl->per_minute;
            int64_t secs = (wait_ms + 999) / 1000;
            *ret_retry_after = (uint32_t)(secs < 1 ? 1 : secs);
        }
    }
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}

size_t jy_ratelimit_count(struct jy_ratelimit *rl)
{
    pthread_mutex_lock(&rl->lock);
    size_t n = rl->used;
    pthread_mutex_unlock(&rl->lock);
    return n;
}
