/*
 * demo_geo.h — where the demo city's branches stand: plausible coordinates inside their
 * districts' boxes (data/districts.csv), the same on every machine.
 */
#ifndef JY_DEMO_GEO_H
#define JY_DEMO_GEO_H

#include <stdbool.h>

/*
 * The position of branch `number` (1-based, over the whole city), the `j`-th (0-based) of the
 * `n` branches of district `district_zh` (borrowed): a point of a low-discrepancy sequence
 * inside the district's box, kept 5 % away from its edges, so that a district's branches spread
 * over it without clumping. Branch 1 (WH001) stands at 彭刘杨路 in 武昌区, 30.5440 N 114.3000 E.
 * False when the district is not in the built-in districts file (`*ret_lat`, `*ret_lon` then
 * untouched).
 */
bool jy_demo_branch_position(const char *district_zh, int number, int j, int n, double *ret_lat,
                             double *ret_lon);

#endif /* JY_DEMO_GEO_H */
