/*
 * heap.c — the binary heap: see heap.h.
 */
#include "heap.h"

#include <stdlib.h>

#include "../banned.h"

static bool less(const struct jy_heap_item *x, const struct jy_heap_item *y)
{
    return x->k1 < y->k1 || (x->k1 == y->k1 && x->k2 < y->k2);
}

bool jy_heap_push(struct jy_heap *h, struct jy_heap_item item)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        struct jy_heap_item *p = realloc(h->items, cap * sizeof(*p));
        if (!p)
            return false;
        h->items = p;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(&item, &h->items[parent]))
            break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = item;
    return true;
}

bool jy_heap_pop(struct jy_heap *h, struct jy_heap_item *ret)
{
    if (h->n == 0)
        return false;
    *ret = h->items[0];
    struct jy_heap_item last = h->items[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && less(&h->items[c + 1], &h->items[c]))
            c++;
        if (!less(&h->items[c], &last))
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (n > 0)
        h->items[i] = last;
    return true;
}

const struct jy_heap_item *jy_heap_top(const struct jy_heap *h)
{
    return h->n ? &h->items[0] : NULL;
}

void jy_heap_free(struct jy_heap *h)
{
    free(h->items);
    h->items = NULL;
    h->n = h->cap = 0;
}
