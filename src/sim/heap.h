/*
 * heap.h — a binary min-heap of small fixed records, ordered by (k1, k2): the simulator's event
 * queue (k1 the time, k2 the order of scheduling, so that simultaneous events run in the order
 * they were made — deterministic) and its station queues (k1 the due day, k2 the application).
 */
#ifndef JY_SIM_HEAP_H
#define JY_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jy_heap_item {
    int64_t k1;
    uint64_t k2;
    uint32_t a, b; /* the caller's payload */
};

struct jy_heap {
    struct jy_heap_item *items; /* owned */
    size_t n, cap;
};

/* An empty heap needs no set-up: `struct jy_heap h = {0}`. */

/* Add `item`. False when out of memory (the heap is unchanged). O(log n). */
bool jy_heap_push(struct jy_heap *h, struct jy_heap_item item);

/* Remove the least item into `*ret`. False when the heap is empty. O(log n). */
bool jy_heap_pop(struct jy_heap *h, struct jy_heap_item *ret);

/* The least item, or NULL when empty. Borrowed until the next push or pop. */
const struct jy_heap_item *jy_heap_top(const struct jy_heap *h);

/* Free the storage; the heap is empty afterwards. */
void jy_heap_free(struct jy_heap *h);

#endif /* JY_SIM_HEAP_H */
