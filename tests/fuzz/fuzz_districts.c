/*
 * fuzz_districts.c — libFuzzer target for the districts file parser (core/geo.h).
 *
 * Any input must parse or fail cleanly (a reason and a terminated message). When it parses,
 * every district has names and a valid box, and the coverage of those boxes by a site at each
 * box's corner computes without fault on a coarse grid (or is refused as too many cells), with
 * covered + uncovered = city cells.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jy_geo_district *list = NULL;
    size_t n = 0;
    struct jy_error err;
    enum jy_err rc = jy_geo_districts_parse((const char *)data, size, &list, &n, &err);
    if (rc != JY_OK) {
        if (list != NULL || err.code != rc || err.reason[0] == '\0' ||
            memchr(err.message, '\0', sizeof(err.message)) == NULL)
            __builtin_trap();
        return 0;
    }
    struct jy_geo_box *boxes = calloc(n ? n : 1, sizeof(*boxes));
    struct jy_geo_point *sites = calloc(n ? n : 1, sizeof(*sites));
    if (!boxes || !sites)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        const struct jy_geo_district *d = &list[i];
        if (!d->name_zh[0] || !d->name_en[0] || !(d->box.south <= d->box.north) ||
            !(d->box.west <= d->box.east) || !jy_geo_valid(d->box.south, d->box.west) ||
            !jy_geo_valid(d->box.north, d->box.east))
            __builtin_trap();
        boxes[i] = d->box;
        sites[i] = (struct jy_geo_point){d->box.south, d->box.west};
    }
    struct jy_geo_coverage c;
    rc = jy_geo_coverage(boxes, n, sites, n, 200000, 300000, &c, &err);
    if (rc == JY_OK) {
        if (c.covered_cells + c.n_uncovered != c.city_cells || c.share < 0 || c.share > 1)
            __builtin_trap();
        jy_geo_coverage_release(&c);
    } else if (rc != JY_RANGE) {
        __builtin_trap();
    }
    free(boxes);
    free(sites);
    free(list);
    return 0;
}
