/*
 * rng.h — the simulator's random numbers: xoshiro256** seeded through splitmix64, and the
 * distributions the city model draws from.
 *
 * Reproducible across platforms: the generator is integer arithmetic on uint64_t only, and a
 * uniform double is built from its top 53 bits, so one seed gives the same stream everywhere.
 * The continuous distributions go through log(), exp(), sqrt() and cos() of the C library,
 * which IEEE-754 platforms round alike for the arguments drawn here.
 *
 * Source: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators" (2018),
 * xoshiro256** 1.0 and splitmix64, public domain.
 */
#ifndef JY_SIM_RNG_H
#define JY_SIM_RNG_H

#include <stdint.h>

struct jy_rng {
    uint64_t s[4];
};

/* Seed `r` from `seed` (any value, 0 included) through splitmix64. */
void jy_rng_seed(struct jy_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t jy_rng_next(struct jy_rng *r);

/* Uniform in [0, 1), 53 bits. */
double jy_rng_uniform(struct jy_rng *r);

/* Uniform integer in [0, n) (n > 0), without modulo bias (Lemire's method with rejection). */
uint64_t jy_rng_below(struct jy_rng *r, uint64_t n);

/* Exponential with mean `mean` (> 0). */
double jy_rng_exponential(struct jy_rng *r, double mean);

/* Lognormal with the given mean (> 0) and coefficient of variation `cv` (standard deviation /
 * mean, >= 0): service times, which are positive with a long right tail. */
double jy_rng_lognormal(struct jy_rng *r, double mean, double cv);

/* Poisson with mean `lambda` (0..700): Knuth's product of uniforms. */
unsigned jy_rng_poisson(struct jy_rng *r, double lambda);

#endif /* JY_SIM_RNG_H */
