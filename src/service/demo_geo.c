/*
 * demo_geo.c — the demo branches' coordinates: see demo_geo.h.
 */
#include "demo_geo.h"

#include <string.h>

#include "core/geo.h"
#include "../banned.h"

/* The `i`-th element (from 1) of the van der Corput sequence in `base`: 1/2, 1/4, 3/4, … */
static double radical_inverse(unsigned i, unsigned base)
{
    double f = 1.0, r = 0.0;
    while (i > 0) {
        f /= base;
        r += f * (double)(i % base);
        i /= base;
    }
    return r;
}

bool jy_demo_branch_position(const char *district_zh, int number, int j, int n, double *ret_lat,
                             double *ret_lon)
{
    (void)n;
    if (number == 1) { /* 彭刘杨路邮政支局 */
        *ret_lat = 30.5440;
        *ret_lon = 114.3000;
        return true;
    }
    size_t count = 0;
    const struct jy_geo_district *d = jy_geo_builtin_districts(&count, NULL);
    for (size_t i = 0; d && i < count; i++) {
        if (strcmp(d[i].name_zh, district_zh) != 0)
            continue;
        const struct jy_geo_box *b = &d[i].box;
        double h = b->north - b->south, w = b->east - b->west;
        /* Halton (2, 3), started past its first few points, which sit on the box's axes. */
        unsigned k = (unsigned)j + 7u;
        *ret_lat = b->south + h * (0.05 + 0.9 * radical_inverse(k, 2));
        *ret_lon = b->west + w * (0.05 + 0.9 * radical_inverse(k, 3));
        return true;
    }
    return false;
}
