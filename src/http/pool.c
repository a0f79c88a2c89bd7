/*
 * pool.c — a bump allocator over a list of blocks, with a ceiling.
 *
 * Small requests are carved from the current block (JY__POOL_BLOCK bytes); a request larger
 * than a quarter of a block gets a block of its own, so that one large string does not waste the
 * rest of the current block. Every block, its header included, counts against the ceiling.
 */
#include "http/pool.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JY__POOL_BLOCK 4096
#define JY__POOL_ALIGN alignof(max_align_t)

struct pool_block {
    struct pool_block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct jy_pool {
    struct pool_block *head; /* the block small allocations come from; NULL at first */
    struct pool_block *big;  /* blocks given whole to one large allocation */
    size_t max_bytes;
    size_t used_bytes;
};

struct jy_pool *jy_pool_new(size_t max_bytes)
{
    struct jy_pool *pool = calloc(1, sizeof(*pool));
    if (!pool)
        return NULL;
    pool->max_bytes = max_bytes;
    return pool;
}

static void free_blocks(struct pool_block *b)
{
    while (b) {
        struct pool_block *next = b->next;
        free(b);
        b = next;
    }
}

void jy_pool_free(struct jy_pool *pool)
{
    if (!pool)
        return;
    free_blocks(pool->head);
    free_blocks(pool->big);
    free(pool);
}

/* A new block with `size` usable bytes, charged to the pool; NULL past the ceiling. */
static struct pool_block *new_block(struct jy_pool *pool, size_t size)
{
    if (size > SIZE_MAX - sizeof(struct pool_block))
        return NULL;
    size_t total = sizeof(struct pool_block) + size;
    if (pool->used_bytes > pool->max_bytes || total > pool->max_bytes - pool->used_bytes)
        return NULL;
    struct pool_block *b = malloc(total);
    if (!b)
        return NULL;
    b->size = size;
    b->used = 0;
    pool->used_bytes += total;
    return b;
}

void *jy_pool_alloc(struct jy_pool *pool, size_t size)
{
    if (!pool || size == 0 || size > SIZE_MAX - JY__POOL_ALIGN)
        return NULL;
    size_t rounded = (size + JY__POOL_ALIGN - 1) & ~(JY__POOL_ALIGN - 1);
    if (rounded > JY__POOL_BLOCK / 4) {
        struct pool_block *b = new_block(pool, rounded);
        if (!b)
            return NULL;
        b->used = rounded;
        b->next = pool->big;
        pool->big = b;
        return b->data;
    }
    if (!pool->head || pool->head->size - pool->head->used < rounded) {
        struct pool_block *b = new_block(pool, JY__POOL_BLOCK);
        if (!b)
            return NULL;
        b->next = pool->head;
        pool->head = b;
    }
    void *p = pool->head->data + pool->head->used;
    pool->head->used += rounded;
    return p;
}

void *jy_pool_calloc(struct jy_pool *pool, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = jy_pool_alloc(pool, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *jy_pool_strndup(struct jy_pool *pool, const char *s, size_t len)
{
    if (!s || len == SIZE_MAX)
        return NULL;
    char *p = jy_pool_alloc(pool, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *jy_pool_strdup(struct jy_pool *pool, const char *s)
{
    return s ? jy_pool_strndup(pool, s, strlen(s)) : NULL;
}

char *jy_pool_printf(struct jy_pool *pool, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = jy_pool_alloc(pool, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t jy_pool_used(const struct jy_pool *pool)
{
    return pool ? pool->used_bytes : 0;
}
