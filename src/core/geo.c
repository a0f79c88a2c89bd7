/*
 * geo.c — distances, nearest branches, district boxes and coverage: see geo.h.
 */
#include "geo.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "../banned.h"

#define DEG (M_PI / 180.0)

bool jy_geo_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 &&
           lon <= 180.0;
}

double jy_geo_distance_m(struct jy_geo_point a, struct jy_geo_point b)
{
    double dlat = (b.lat - a.lat) * DEG, dlon = (b.lon - a.lon) * DEG;
    double s = sin(dlat / 2), t = sin(dlon / 2);
    double h = s * s + cos(a.lat * DEG) * cos(b.lat * DEG) * t * t;
    if (h > 1.0)
        h = 1.0;
    return 2.0 * JY_GEO_EARTH_RADIUS_M * asin(sqrt(h));
}

bool jy_geo_box_contains(const struct jy_geo_box *box, struct jy_geo_point p)
{
    return p.lat >= box->south && p.lat <= box->north && p.lon >= box->west && p.lon <= box->east;
}

size_t jy_geo_nearest(const struct jy_geo_point *sites, size_t n, struct jy_geo_point from,
                      size_t k, size_t *ret_index, double *ret_dist)
{
    size_t have = 0;
    if (k == 0)
        return 0;
    /* Insertion into a sorted list of at most k: n is a city's branches, k a handful. */
    for (size_t i = 0; i < n; i++) {
        double d = jy_geo_distance_m(sites[i], from);
        if (have == k && d >= ret_dist[k - 1])
            continue;
        size_t j = have < k ? have++ : k - 1;
        while (j > 0 && ret_dist[j - 1] > d) {
            ret_dist[j] = ret_dist[j - 1];
            ret_index[j] = ret_index[j - 1];
            j--;
        }
        ret_dist[j] = d;
        ret_index[j] = i;
    }
    return have;
}

static bool box_ok(const struct jy_geo_box *b)
{
    return jy_geo_valid(b->south, b->west) && jy_geo_valid(b->north, b->east) &&
           b->south <= b->north && b->west <= b->east;
}

enum jy_err jy_geo_coverage(const struct jy_geo_box *boxes, size_t n_boxes,
                            const struct jy_geo_point *sites, size_t n_sites, double cell_m,
                            double radius_m, struct jy_geo_coverage *ret, struct jy_error *err)
{
    if (!(cell_m >= JY_GEO_CELL_MIN_M) || !isfinite(cell_m))
        return jy_error_set(err, JY_INVALID, "bad_cell_size", "cell_m",
                            "the cell size must be at least %d m", JY_GEO_CELL_MIN_M);
    if (!(radius_m > 0) || !isfinite(radius_m))
        return jy_error_set(err, JY_INVALID, "bad_radius", "radius_m",
                            "the radius must be a positive number of metres");
    struct jy_geo_coverage c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < n_boxes; i++) {
        if (!box_ok(&boxes[i]))
            return jy_error_set(err, JY_INVALID, "bad_box", NULL,
                                "district box %zu is not south <= north, west <= east", i);
        if (i == 0) {
            c.bounds = boxes[0];
            continue;
        }
        c.bounds.south = fmin(c.bounds.south, boxes[i].south);
        c.bounds.west = fmin(c.bounds.west, boxes[i].west);
        c.bounds.north = fmax(c.bounds.north, boxes[i].north);
        c.bounds.east = fmax(c.bounds.east, boxes[i].east);
    }
    c.cell_m = cell_m;
    c.cell_lat_deg = cell_m / (JY_GEO_EARTH_RADIUS_M * DEG);
    double mid = (c.bounds.south + c.bounds.north) / 2;
    double cosmid = cos(mid * DEG);
    c.cell_lon_deg = c.cell_lat_deg / (cosmid > 0.01 ? cosmid : 0.01);
    if (n_boxes > 0) {
        double rows = ceil((c.bounds.north - c.bounds.south) / c.cell_lat_deg - 1e-9);
        double cols = ceil((c.bounds.east - c.bounds.west) / c.cell_lon_deg - 1e-9);
        if (rows < 1)
            rows = 1;
        if (cols < 1)
            cols = 1;
        if (rows * cols > JY_GEO_MAX_CELLS)
            return jy_error_set(err, JY_RANGE, "too_many_cells", "cell_m",
                                "a grid of %.0f x %.0f cells is more than %d", rows, cols,
                                JY_GEO_MAX_CELLS);
        c.rows = (int)rows;
        c.cols = (int)cols;
    }
    /* Sites within reach of a cell are those within radius_m; a cheap box test in degrees
     * first, with a margin, then the exact distance. */
    double reach_lat = radius_m / (JY_GEO_EARTH_RADIUS_M * DEG) * 1.01;
    size_t cap = 0;
    for (int r = 0; r < c.rows; r++) {
        for (int col = 0; col < c.cols; col++) {
            struct jy_geo_point p = {c.bounds.south + (r + 0.5) * c.cell_lat_deg,
                                     c.bounds.west + (col + 0.5) * c.cell_lon_deg};
            bool in = false;
            for (size_t i = 0; i < n_boxes && !in; i++)
                in = jy_geo_box_contains(&boxes[i], p);
            if (!in)
                continue;
            c.city_cells++;
            double cp = cos(p.lat * DEG);
            double reach_lon = reach_lat / (cp > 0.01 ? cp : 0.01);
            bool covered = false;
            for (size_t s = 0; s < n_sites && !covered; s++) {
                if (fabs(sites[s].lat - p.lat) > reach_lat ||
                    fabs(sites[s].lon - p.lon) > reach_lon)
                    continue;
                covered = jy_geo_distance_m(sites[s], p) <= radius_m;
            }
            if (covered) {
                c.covered_cells++;
                continue;
            }
            if (c.n_uncovered == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                struct jy_geo_cell *grown = realloc(c.uncovered, ncap * sizeof(*grown));
                if (!grown) {
                    free(c.uncovered);
                    return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
                }
                c.uncovered = grown;
                cap = ncap;
            }
            c.uncovered[c.n_uncovered++] = (struct jy_geo_cell){r, col, p};
        }
    }
    c.share = c.city_cells ? (double)c.covered_cells / (double)c.city_cells : 0.0;
    *ret = c;
    return JY_OK;
}

void jy_geo_coverage_release(struct jy_geo_coverage *c)
{
    if (!c)
        return;
    free(c->uncovered);
    memset(c, 0, sizeof(*c));
}

/* ---- the districts file ---- */

/* Copy field `f` (`n` bytes) into `buf` of `size`; false when it does not fit or is empty. */
static bool copy_field(const char *f, size_t n, char *buf, size_t size)
{
    if (n == 0 || n >= size)
        return false;
    memcpy(buf, f, n);
    buf[n] = '\0';
    return true;
}

/* Parse a decimal number of exactly `n` bytes at `f`. */
static bool parse_number(const char *f, size_t n, double *ret)
{
    char buf[32];
    if (!copy_field(f, n, buf, sizeof(buf)))
        return false;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || *end != '\0' || end == buf || !isfinite(v))
        return false;
    *ret = v;
    return true;
}

enum jy_err jy_geo_districts_parse(const char *text, size_t len, struct jy_geo_district **ret,
                                   size_t *ret_n, struct jy_error *err)
{
    static const char header[] = "name_zh,name_en,south,west,north,east";
    struct jy_geo_district *list = NULL;
    size_t n = 0;
    bool have_header = false;
    size_t line_no = 0;
    enum jy_err e = JY_OK;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        line_no++;
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', ll)) {
            e = jy_error_set(err, JY_INVALID, "bad_districts", NULL, "line %zu has a NUL byte",
                             line_no);
            goto fail;
        }
        if (!have_header) {
            if (ll != sizeof(header) - 1 || memcmp(line, header, ll) != 0) {
                e = jy_error_set(err, JY_INVALID, "bad_districts", NULL,
                                 "line %zu: the header must be %s", line_no, header);
                goto fail;
            }
            have_header = true;
            continue;
        }
        const char *f[6];
        size_t fl[6], nf = 0;
        const char *start = line;
        for (size_t i = 0; i <= ll; i++) {
            if (i == ll || line[i] == ',') {
                if (nf == 6) {
                    nf = 7;
                    break;
                }
                f[nf] = start;
                fl[nf] = (size_t)(line + i - start);
                nf++;
                start = line + i + 1;
            }
        }
        if (nf != 6) {
            e = jy_error_set(err, JY_INVALID, "bad_districts", NULL,
                             "line %zu: expected 6 fields (%s)", line_no, header);
            goto fail;
        }
        if (n == JY_GEO_MAX_DISTRICTS) {
            e = jy_error_set(err, JY_RANGE, "too_many_districts", NULL, "at most %d districts",
                             JY_GEO_MAX_DISTRICTS);
            goto fail;
        }
        struct jy_geo_district d;
        memset(&d, 0, sizeof(d));
        if (!copy_field(f[0], fl[0], d.name_zh, sizeof(d.name_zh)) ||
            !copy_field(f[1], fl[1], d.name_en, sizeof(d.name_en)) ||
            !parse_number(f[2], fl[2], &d.box.south) || !parse_number(f[3], fl[3], &d.box.west) ||
            !parse_number(f[4], fl[4], &d.box.north) || !parse_number(f[5], fl[5], &d.box.east) ||
            !box_ok(&d.box)) {
            e = jy_error_set(err, JY_INVALID, "bad_districts", NULL,
                             "line %zu: names of 1 to 60 bytes and a box of decimal degrees "
                             "south <= north, west <= east",
                             line_no);
            goto fail;
        }
        if (n % 16 == 0) {
            struct jy_geo_district *grown = realloc(list, (n + 16) * sizeof(*grown));
            if (!grown) {
                e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
                goto fail;
            }
            list = grown;
        }
        list[n++] = d;
    }
    if (!have_header) {
        e = jy_error_set(err, JY_INVALID, "bad_districts", NULL, "no header line (%s)", header);
        goto fail;
    }
    *ret = list;
    *ret_n = n;
    return JY_OK;
fail:
    free(list);
    return e;
}

extern const unsigned char jy_data_districts_csv[];
extern const size_t jy_data_districts_csv_len;

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct jy_geo_district *builtin;
static size_t builtin_n;
static struct jy_error builtin_err;

static void load_builtin(void)
{
    if (jy_geo_districts_parse((const char *)jy_data_districts_csv, jy_data_districts_csv_len,
                               &builtin, &builtin_n, &builtin_err) != JY_OK)
        builtin = NULL;
}

const struct jy_geo_district *jy_geo_builtin_districts(size_t *ret_n, struct jy_error *err)
{
    pthread_once(&builtin_once, load_builtin);
    if (!builtin) {
        if (err)
            *err = builtin_err;
        return NULL;
    }
    *ret_n = builtin_n;
    return builtin;
}
