/*
 * Unit tests of the branch network (src/core/geo, service/dashboard, service/demo_geo) and of
 * the Prometheus text writer (src/core/prom): distances, the nearest branches of the demo city
 * against a brute-force search with another great-circle formula, the coverage of hand-made
 * cities whose answer is known exactly, the districts file, where the demo branches stand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow_fixture.h"

#include "core/geo.h"
#include "core/prom.h"
#include "service/dashboard.h"
#include "service/demo.h"
#include "store/users.h"
#include "limits.h"

#define DEG (M_PI / 180.0)

/* ---- distances ---- */

static void test_distance(void **state)
{
    (void)state;
    struct jy_geo_point a = {0, 0}, b = {0, 1}, c = {1, 0};
    double one_degree = JY_GEO_EARTH_RADIUS_M * DEG; /* 111 195.08 m */
    assert_true(fabs(jy_geo_distance_m(a, b) - one_degree) < 0.01);
    assert_true(fabs(jy_geo_distance_m(a, c) - one_degree) < 0.01);
    assert_true(jy_geo_distance_m(a, a) == 0);
    struct jy_geo_point p = {30.544, 114.3}, q = {30.6, 114.27};
    assert_true(fabs(jy_geo_distance_m(p, q) - jy_geo_distance_m(q, p)) < 1e-6);
    /* Antipodes: half the circumference. */
    struct jy_geo_point n = {90, 0}, s = {-90, 0};
    assert_true(fabs(jy_geo_distance_m(n, s) - M_PI * JY_GEO_EARTH_RADIUS_M) < 0.01);
    assert_true(jy_geo_valid(30, 114));
    assert_false(jy_geo_valid(91, 114));
    assert_false(jy_geo_valid(30, -180.5));
    assert_false(jy_geo_valid(NAN, 0));
}

/* ---- coverage of hand-made cities ---- */

/* A grid of `cell` metres at the equator: the box of rows r0..r1, cols c0..c1 (cells). */
static struct jy_geo_box cells_box(double cell, double mid_lat_cells, int r0, int c0, int r1,
                                   int c1)
{
    double dlat = cell / (JY_GEO_EARTH_RADIUS_M * DEG);
    double dlon = dlat / cos(mid_lat_cells * dlat * DEG);
    return (struct jy_geo_box){r0 * dlat, c0 * dlon, r1 * dlat, c1 * dlon};
}

static struct jy_geo_point cell_centre(double cell, double mid_lat_cells, int r, int c)
{
    double dlat = cell / (JY_GEO_EARTH_RADIUS_M * DEG);
    double dlon = dlat / cos(mid_lat_cells * dlat * DEG);
    return (struct jy_geo_point){(r + 0.5) * dlat, (c + 0.5) * dlon};
}

static bool is_uncovered(const struct jy_geo_coverage *c, int row, int col)
{
    for (size_t i = 0; i < c->n_uncovered; i++)
        if (c->uncovered[i].row == row && c->uncovered[i].col == col)
            return true;
    return false;
}

/* A square city of 20 x 20 cells of 1 km at the equator, three branches at cell centres and a
 * reach of 1.5 km: a branch covers the cells whose centres are 0, 1 km or 1.41 km away (its 3 x
 * 3 block) and not those 2 km away. In a corner it covers 4 cells, on an edge 6, inside 9:
 * 19 of 400, a share of 0.0475 exactly. */
static void test_coverage_square(void **state)
{
    (void)state;
    struct jy_geo_box box = cells_box(1000, 10, 0, 0, 20, 20);
    struct jy_geo_point sites[3] = {cell_centre(1000, 10, 0, 0), cell_centre(1000, 10, 0, 10),
                                    cell_centre(1000, 10, 10, 10)};
    struct jy_geo_coverage c;
    struct jy_error err;
    assert_int_equal(jy_geo_coverage(&box, 1, sites, 3, 1000, 1500, &c, &err), JY_OK);
    assert_int_equal(c.rows, 20);
    assert_int_equal(c.cols, 20);
    assert_int_equal(c.city_cells, 400);
    assert_int_equal(c.covered_cells, 19);
    assert_int_equal(c.n_uncovered, 381);
    assert_true(fabs(c.share - 0.0475) < 1e-12);
    assert_false(is_uncovered(&c, 1, 1));  /* diagonal of the corner branch */
    assert_true(is_uncovered(&c, 2, 0));   /* 2 km from it */
    assert_false(is_uncovered(&c, 1, 11)); /* diagonal of the edge branch */
    assert_true(is_uncovered(&c, 0, 12));
    assert_false(is_uncovered(&c, 11, 9)); /* diagonal of the inside branch */
    assert_true(is_uncovered(&c, 12, 10));
    /* Uncovered cells come row by row, and their centres are the cells' centres. */
    assert_int_equal(c.uncovered[0].row, 0);
    assert_int_equal(c.uncovered[0].col, 2);
    struct jy_geo_point p = cell_centre(1000, 10, 0, 2);
    assert_true(fabs(c.uncovered[0].centre.lat - p.lat) < 1e-9);
    assert_true(fabs(c.uncovered[0].centre.lon - p.lon) < 1e-9);
    jy_geo_coverage_release(&c);

    /* A reach of 2.1 km adds the four cells 2 km away in line (the 2.24 km ones stay out):
     * corner 4 + 2 = 6, edge 6 + 3 = 9, inside 9 + 4 = 13 → 28. */
    assert_int_equal(jy_geo_coverage(&box, 1, sites, 3, 1000, 2100, &c, &err), JY_OK);
    assert_int_equal(c.covered_cells, 28);
    jy_geo_coverage_release(&c);

    /* No branch: nothing covered. */
    assert_int_equal(jy_geo_coverage(&box, 1, sites, 0, 1000, 1500, &c, &err), JY_OK);
    assert_int_equal(c.covered_cells, 0);
    assert_int_equal(c.n_uncovered, 400);
    assert_true(c.share == 0);
    jy_geo_coverage_release(&c);
}

/* An L-shaped city of two districts: rows 0–19 × cols 0–9, and rows 0–9 × cols 10–19 (300
 * cells); the grid's other quarter is not city. The same branches: the corner one covers 4;
 * the one at (0, 10) 6; the one at (10, 10), on the inner corner, only the 5 of its block that
 * lie in the city. 15 of 300 = 0.05. */
static void test_coverage_l_shape(void **state)
{
    (void)state;
    struct jy_geo_box boxes[2] = {cells_box(1000, 10, 0, 0, 20, 10),
                                  cells_box(1000, 10, 0, 10, 10, 20)};
    struct jy_geo_point sites[3] = {cell_centre(1000, 10, 0, 0), cell_centre(1000, 10, 0, 10),
                                    cell_centre(1000, 10, 10, 10)};
    struct jy_geo_coverage c;
    struct jy_error err;
    assert_int_equal(jy_geo_coverage(boxes, 2, sites, 3, 1000, 1500, &c, &err), JY_OK);
    assert_int_equal(c.rows, 20);
    assert_int_equal(c.cols, 20);
    assert_int_equal(c.city_cells, 300);
    assert_int_equal(c.covered_cells, 15);
    assert_true(fabs(c.share - 0.05) < 1e-12);
    assert_false(is_uncovered(&c, 10, 10)); /* not city: neither covered nor uncovered */
    jy_geo_coverage_release(&c);
}

static void test_coverage_errors(void **state)
{
    (void)state;
    struct jy_geo_box box = {30, 114, 31, 115}, bad = {31, 114, 30, 115};
    struct jy_geo_coverage c;
    struct jy_error err;
    assert_int_equal(jy_geo_coverage(&bad, 1, NULL, 0, 500, 5000, &c, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_box");
    assert_int_equal(jy_geo_coverage(&box, 1, NULL, 0, 10, 5000, &c, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_cell_size");
    assert_int_equal(jy_geo_coverage(&box, 1, NULL, 0, 500, 0, &c, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_radius");
    struct jy_geo_box world = {-80, -179, 80, 179};
    assert_int_equal(jy_geo_coverage(&world, 1, NULL, 0, 1000, 5000, &c, &err), JY_RANGE);
    assert_string_equal(err.reason, "too_many_cells");
}

/* ---- the districts file ---- */

static void test_districts(void **state)
{
    (void)state;
    size_t n = 0;
    struct jy_error err;
    const struct jy_geo_district *d = jy_geo_builtin_districts(&n, &err);
    assert_non_null(d);
    assert_int_equal(n, 13);
    assert_string_equal(d[0].name_zh, "武昌区");
    assert_string_equal(d[0].name_en, "Wuchang");
    struct jy_geo_point wh001 = {30.544, 114.3};
    assert_true(jy_geo_box_contains(&d[0].box, wh001));

    static const struct {
        const char *text;
        const char *why;
    } bad[] = {
        {"", "no header"},
        {"name,south\nA,B,1,2,3,4\n", "the header"},
        {"name_zh,name_en,south,west,north,east\nA,B,1,2,3\n", "expected 6 fields"},
        {"name_zh,name_en,south,west,north,east\nA,B,1,2,3,4,5\n", "expected 6 fields"},
        {"name_zh,name_en,south,west,north,east\nA,B,x,2,3,4\n", "line 2"},
        {"name_zh,name_en,south,west,north,east\nA,B,3,2,1,4\n", "south <= north"},
        {"name_zh,name_en,south,west,north,east\n,B,1,2,3,4\n", "names of 1 to 60"},
        {"name_zh,name_en,south,west,north,east\nA,B,1,2,3,400\n", "line 2"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct jy_geo_district *list = NULL;
        size_t count = 0;
        assert_int_equal(
            jy_geo_districts_parse(bad[i].text, strlen(bad[i].text), &list, &count, &err),
            JY_INVALID);
        if (!strstr(err.message, bad[i].why))
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.message, bad[i].why);
    }
    static const char good[] = "# comment\r\nname_zh,name_en,south,west,north,east\r\n"
                               "甲区,Jia,30.1,114.2,30.3,114.4\r\n\r\n";
    struct jy_geo_district *list = NULL;
    size_t count = 0;
    assert_int_equal(jy_geo_districts_parse(good, strlen(good), &list, &count, &err), JY_OK);
    assert_int_equal(count, 1);
    assert_string_equal(list[0].name_zh, "甲区");
    assert_true(list[0].box.north == 30.3);
    free(list);
}

/* ---- the demo city ---- */

struct demo {
    char dir[128];
    struct jy_service *svc;
    struct jy_store_conn *conn;
};

static int demo_setup(void **state)
{
    struct demo *d = calloc(1, sizeof(*d));
    snprintf(d->dir, sizeof(d->dir), "/tmp/jy-geo-XXXXXX");
    if (!mkdtemp(d->dir))
        return -1;
    char db[200];
    snprintf(db, sizeof(db), "%s/j.db", d->dir);
    struct jy_service_config cfg = {.db_path = db,
                                    .clock_start = 1796004000 /* 2026-11-30T02:00:00Z */};
    struct jy_error err;
    if (jy_service_open(&cfg, &d->svc, &err) != JY_OK || jy_demo_seed(d->svc, &err) != JY_OK ||
        jy_service_conn(d->svc, &d->conn, &err) != JY_OK) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    *state = d;
    return 0;
}

static int demo_teardown(void **state)
{
    struct demo *d = *state;
    jy_service_close(d->svc);
    flow_remove_tree(d->dir);
    free(d);
    return 0;
}

struct branch_list {
    struct jy_store_branch b[200];
    size_t n;
};

static bool collect(void *ctx, const struct jy_store_branch *b)
{
    struct branch_list *l = ctx;
    if (l->n < 200)
        l->b[l->n++] = *b;
    return true;
}

/* Great-circle distance by Vincenty's formula for the sphere (atan2 form): another way to the
 * same number, stable at every distance. */
static double vincenty_m(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG, dl = (lon2 - lon1) * DEG;
    double y =
        sqrt(pow(cos(p2) * sin(dl), 2) + pow(cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl), 2));
    double x = sin(p1) * sin(p2) + cos(p1) * cos(p2) * cos(dl);
    return JY_GEO_EARTH_RADIUS_M * atan2(y, x);
}

static void test_demo_positions(void **state)
{
    struct demo *d = *state;
    struct branch_list l = {.n = 0};
    struct jy_error err;
    assert_int_equal(jy_store_branch_each(d->conn, collect, &l, &err), JY_OK);
    assert_int_equal(l.n, 160);
    size_t nd = 0;
    const struct jy_geo_district *dist = jy_geo_builtin_districts(&nd, &err);
    for (size_t i = 0; i < l.n; i++) {
        const struct jy_geo_district *home = NULL;
        for (size_t k = 0; k < nd; k++)
            if (strcmp(dist[k].name_zh, l.b[i].district) == 0)
                home = &dist[k];
        assert_non_null(home);
        struct jy_geo_point p = {l.b[i].lat, l.b[i].lon};
        if (!jy_geo_box_contains(&home->box, p))
            fail_msg("%s (%.4f, %.4f) is outside %s", l.b[i].code, p.lat, p.lon, home->name_zh);
        for (size_t k = 0; k < i; k++)
            assert_false(l.b[k].lat == l.b[i].lat && l.b[k].lon == l.b[i].lon);
    }
    assert_string_equal(l.b[0].code, "WH001");
    assert_true(fabs(l.b[0].lat - 30.544) < 1e-9 && fabs(l.b[0].lon - 114.3) < 1e-9);
}

static void test_nearest_brute_force(void **state)
{
    struct demo *d = *state;
    struct branch_list l = {.n = 0};
    struct jy_error err;
    assert_int_equal(jy_store_branch_each(d->conn, collect, &l, &err), JY_OK);
    static const double points[][2] = {
        {30.544, 114.300}, {30.600, 114.270}, {30.880, 114.380}, {30.300, 114.090},
        {30.520, 114.420}, {31.100, 115.000}, {29.900, 113.500}, {30.650, 114.050},
    };
    for (size_t p = 0; p < sizeof(points) / sizeof(points[0]); p++) {
        json_t *out = NULL;
        assert_int_equal(jy_branches_nearest(d->svc, points[p][0], points[p][1], 5, &out, &err),
                         JY_OK);
        /* Brute force: every branch's distance, the five smallest by selection. */
        double dist[200];
        bool used[200] = {false};
        for (size_t i = 0; i < l.n; i++)
            dist[i] = vincenty_m(points[p][0], points[p][1], l.b[i].lat, l.b[i].lon);
        json_t *items = json_object_get(out, "items");
        assert_int_equal(json_array_size(items), 5);
        for (size_t k = 0; k < 5; k++) {
            size_t best = SIZE_MAX;
            for (size_t i = 0; i < l.n; i++)
                if (!used[i] && (best == SIZE_MAX || dist[i] < dist[best]))
                    best = i;
            used[best] = true;
            json_t *it = json_array_get(items, k);
            const char *code = json_string_value(json_object_get(it, "code"));
            if (strcmp(code, l.b[best].code) != 0)
                fail_msg("point %zu, rank %zu: %s, brute force %s", p, k, code, l.b[best].code);
            long long m = (long long)json_integer_value(json_object_get(it, "distance_m"));
            assert_true(llabs(m - llround(dist[best])) <= 1);
        }
        json_decref(out);
    }
    /* Bad input names the field. */
    json_t *out = NULL;
    assert_int_equal(jy_branches_nearest(d->svc, 90.5, 114, 3, &out, &err), JY_INVALID);
    assert_string_equal(err.field, "lat");
    assert_int_equal(jy_branches_nearest(d->svc, 30, 181, 3, &out, &err), JY_INVALID);
    assert_string_equal(err.field, "lon");
    assert_int_equal(jy_branches_nearest(d->svc, 30, 114, 0, &out, &err), JY_RANGE);
    assert_string_equal(err.field, "n");
    assert_int_equal(jy_branches_nearest(d->svc, 30, 114, JY_GEO_NEAREST_MAX + 1, &out, &err),
                     JY_RANGE);
}

static void test_coverage_demo(void **state)
{
    struct demo *d = *state;
    struct jy_actor manager = jy_actor_system(), clerk = jy_actor_system();
    manager.role = JY_ROLE_MANAGER;
    clerk.role = JY_ROLE_CLERK;
    json_t *c = NULL;
    struct jy_error err;
    assert_int_equal(jy_report_coverage(d->svc, &clerk, &c, &err), JY_FORBIDDEN);
    assert_int_equal(jy_report_coverage(d->svc, &manager, &c, &err), JY_OK);
    json_int_t city = json_integer_value(json_object_get(c, "city_cells"));
    json_int_t covered = json_integer_value(json_object_get(c, "covered_cells"));
    assert_true(city > 0 && covered > 0 && covered < city);
    assert_int_equal((json_int_t)json_array_size(json_object_get(c, "uncovered")), city - covered);
    /* A cell at 彭刘杨路 is covered: no uncovered cell lies within 5 km of WH001. */
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(c, "uncovered"), i, cell)
    {
        double dm = vincenty_m(30.544, 114.3, json_real_value(json_array_get(cell, 0)),
                               json_real_value(json_array_get(cell, 1)));
        assert_true(dm > JY_COVERAGE_RADIUS_M - 2);
    }
    json_decref(c);
}

/* ---- the Prometheus text writer ---- */

static void test_prom(void **state)
{
    (void)state;
    struct jy_prom w;
    jy_prom_init(&w);
    jy_prom_family(&w, "x_total", "counter", "a \\ help\nline");
    const char *labels[] = {"path", "a\"b\\c\nd", "k", "v", NULL};
    jy_prom_sample_int(&w, "x_total", labels, 42);
    jy_prom_sample(&w, "x_total", NULL, INFINITY);
    jy_prom_sample(&w, "x_total", NULL, 0.25);
    char *text = NULL;
    size_t len = 0;
    struct jy_error err;
    assert_int_equal(jy_prom_finish(&w, &text, &len, &err), JY_OK);
    assert_string_equal(text, "# HELP x_total a \\\\ help\\nline\n"
                              "# TYPE x_total counter\n"
                              "x_total{path=\"a\\\"b\\\\c\\nd\",k=\"v\"} 42\n"
                              "x_total +Inf\n"
                              "x_total 0.25\n");
    assert_int_equal(len, strlen(text));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_coverage_square),
        cmocka_unit_test(test_coverage_l_shape),
        cmocka_unit_test(test_coverage_errors),
        cmocka_unit_test(test_districts),
        cmocka_unit_test(test_demo_positions),
        cmocka_unit_test(test_nearest_brute_force),
        cmocka_unit_test(test_coverage_demo),
        cmocka_unit_test(test_prom),
    };
    return cmocka_run_group_tests(tests, demo_setup, demo_teardown);
}
