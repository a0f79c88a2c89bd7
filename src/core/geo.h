/*
 * geo.h — the branch network on the map: distances on the Earth, the nearest branches to a
 * point, the districts' boxes, and how much of the city lies within reach of a branch.
 *
 * Coordinates are WGS-84 degrees (latitude north, longitude east), distances metres. The Earth
 * is taken as a sphere of the mean radius JY_GEO_EARTH_RADIUS_M (IUGG), and distances are
 * great-circle distances by the haversine formula: within a city the error against the
 * ellipsoid is below 0.5 %, far less than the spread of a branch's catchment.
 *
 * Coverage is counted on a grid: the bounding box of the districts is cut into square cells of
 * `cell_m` metres (rows of cell_m / (pi R / 180) degrees of latitude, columns of that divided by
 * the cosine of the grid's middle latitude); a cell belongs to the city when its centre lies in
 * some district's box, and is covered when its centre is within `radius_m` of an open branch.
 * The share covered is covered cells / city cells: with equal-area cells, the share of the
 * city's area, up to the resolution of the grid.
 *
 * Everything here is pure (no I/O) and thread-safe.
 */
#ifndef JY_CORE_GEO_H
#define JY_CORE_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Mean radius of the Earth, metres (IUGG R1). */
#define JY_GEO_EARTH_RADIUS_M 6371008.8

/* A point. */
struct jy_geo_point {
    double lat; /* degrees north, -90..90 */
    double lon; /* degrees east, -180..180 */
};

/* A box: south <= north, west <= east (no box crosses the antimeridian). */
struct jy_geo_box {
    double south, west, north, east;
};

/* A district: its names and box. */
struct jy_geo_district {
    char name_zh[61];
    char name_en[61];
    struct jy_geo_box box;
};

/* True when `lat` and `lon` are finite and within -90..90 and -180..180. */
bool jy_geo_valid(double lat, double lon);

/* Great-circle distance between `a` and `b`, metres (haversine). */
double jy_geo_distance_m(struct jy_geo_point a, struct jy_geo_point b);

/* True when `p` lies in `box` (edges included). */
bool jy_geo_box_contains(const struct jy_geo_box *box, struct jy_geo_point p);

/*
 * The `k` points of `sites` (`n` of them, borrowed) nearest to `from`: their indexes into
 * `ret_index` and their distances (metres) into `ret_dist`, nearest first; ties by the lower
 * index. Both arrays have room for `k`. Returns how many were written: min(k, n).
 */
size_t jy_geo_nearest(const struct jy_geo_point *sites, size_t n, struct jy_geo_point from,
                      size_t k, size_t *ret_index, double *ret_dist);

/* One cell of the coverage grid. */
struct jy_geo_cell {
    int row, col;               /* row 0 is the southmost, col 0 the westmost */
    struct jy_geo_point centre; /* the cell's centre */
};

/* The coverage of a city: see the file comment. */
struct jy_geo_coverage {
    struct jy_geo_box bounds;      /* the grid's extent: the districts' bounding box */
    double cell_m;                 /* cell side, metres */
    double cell_lat_deg;           /* cell height, degrees of latitude */
    double cell_lon_deg;           /* cell width, degrees of longitude */
    int rows, cols;                /* the grid's size */
    size_t city_cells;             /* cells whose centre lies in a district */
    size_t covered_cells;          /* of those, the cells within radius_m of a site */
    double share;                  /* covered_cells / city_cells; 0 when there are no city cells */
    struct jy_geo_cell *uncovered; /* malloc'd, the city cells not covered, row by row */
    size_t n_uncovered;
};

/*
 * Compute the coverage of the `n_boxes` district boxes by the `n_sites` sites (both borrowed)
 * within `radius_m` metres, on a grid of `cell_m`-metre cells, into `*ret`; release it with
 * jy_geo_coverage_release(). `cell_m` must be at least JY_GEO_CELL_MIN_M and the grid at most
 * JY_GEO_MAX_CELLS cells; `radius_m` positive.
 * Errors: JY_INVALID "bad_box" (a box not ordered or not valid coordinates), "bad_cell_size",
 * "bad_radius"; JY_RANGE "too_many_cells"; JY_NOMEM. `*ret` untouched on failure.
 */
enum jy_err jy_geo_coverage(const struct jy_geo_box *boxes, size_t n_boxes,
                            const struct jy_geo_point *sites, size_t n_sites, double cell_m,
                            double radius_m, struct jy_geo_coverage *ret, struct jy_error *err);

/* Free what `c` holds (its uncovered cells) and zero it. Accepts NULL. */
void jy_geo_coverage_release(struct jy_geo_coverage *c);

/*
 * Parse the districts file (data/districts.csv): lines starting with '#' are comments, the
 * first other line is the header "name_zh,name_en,south,west,north,east", then one district per
 * line (names without commas; decimal degrees). `text` (`len` bytes, borrowed) is UTF-8.
 * On success `*ret` is a malloc'd array of `*ret_n` districts (the caller frees it with free()).
 * Errors: JY_INVALID "bad_districts" naming the line (a missing or wrong header, a line with
 * other than six fields, a number that does not parse, a bad box, a name too long);
 * JY_RANGE "too_many_districts" beyond JY_GEO_MAX_DISTRICTS; JY_NOMEM.
 */
enum jy_err jy_geo_districts_parse(const char *text, size_t len, struct jy_geo_district **ret,
                                   size_t *ret_n, struct jy_error *err);

/* The districts built into the program from data/districts.csv, parsed once (thread-safe);
 * borrowed, valid for the life of the process. `*ret_n` gets their number. NULL (with `err`)
 * when the built-in file does not parse, which a test prevents. */
const struct jy_geo_district *jy_geo_builtin_districts(size_t *ret_n, struct jy_error *err);

#endif /* JY_CORE_GEO_H */
