/*
 * pool.h — a memory pool for one request: many small allocations, freed together at once.
 *
 * Each HTTP request gets a pool when it arrives and loses it when its response has been sent, so
 * a handler can allocate scratch strings without a matching free and without leaking. The pool
 * has a ceiling (given at creation, JY_HTTP_REQUEST_POOL_MAX_BYTES for requests); an allocation
 * that would cross it fails like an out-of-memory one. A pool is used by one thread at a time.
 */
#ifndef JY_POOL_H
#define JY_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct jy_pool;

/* A new, empty pool that will hand out at most `max_bytes` bytes in total (block overhead
 * included). Returns NULL when out of memory. The caller frees it with jy_pool_free(). */
struct jy_pool *jy_pool_new(size_t max_bytes);

/* Free the pool and everything allocated from it. Accepts NULL. */
void jy_pool_free(struct jy_pool *pool);

/* `size` bytes aligned for any type, uninitialised, valid until jy_pool_free(). Returns NULL
 * when the pool's ceiling or the system's memory is reached, or when `size` is 0. */
void *jy_pool_alloc(struct jy_pool *pool, size_t size);

/* `n` zeroed elements of `size` bytes; NULL on overflow of n * size or as jy_pool_alloc. */
void *jy_pool_calloc(struct jy_pool *pool, size_t n, size_t size);

/* A NUL-terminated copy of the `len` bytes at `s` (which need not be NUL-terminated).
 * NULL as jy_pool_alloc. */
char *jy_pool_strndup(struct jy_pool *pool, const char *s, size_t len);

/* A NUL-terminated copy of `s`. NULL as jy_pool_alloc. */
char *jy_pool_strdup(struct jy_pool *pool, const char *s);

/* printf into a new pool string. NULL as jy_pool_alloc or on a format error. */
char *jy_pool_printf(struct jy_pool *pool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far, block overhead included (for tests and metrics). */
size_t jy_pool_used(const struct jy_pool *pool);

#endif /* JY_POOL_H */
