/*
 * rng.c — xoshiro256** and the distributions: see rng.h.
 */
#include "rng.h"

#include <math.h>

#include "../banned.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void jy_rng_seed(struct jy_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t jy_rng_next(struct jy_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double jy_rng_uniform(struct jy_rng *r)
{
    return (double)(jy_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t jy_rng_below(struct jy_rng *r, uint64_t n)
{
    /* Rejection of the top partial block keeps every value equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = jy_rng_next(r);
    while (x >= limit);
    return x % n;
}

double jy_rng_exponential(struct jy_rng *r, double mean)
{
    return -mean * log(1.0 - jy_rng_uniform(r));
}

double jy_rng_lognormal(struct jy_rng *r, double mean, double cv)
{
    double sigma2 = log(1.0 + cv * cv);
    double mu = log(mean) - sigma2 / 2.0;
    /* Box–Muller: one standard normal from two uniforms. */
    double u1 = 1.0 - jy_rng_uniform(r), u2 = jy_rng_uniform(r);
    double z = sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
    return exp(mu + sqrt(sigma2) * z);
}

unsigned jy_rng_poisson(struct jy_rng *r, double lambda)
{
    double l = exp(-lambda), p = 1.0;
    unsigned k = 0;
    do {
        k++;
        p *= jy_rng_uniform(r);
    } while (p > l);
    return k - 1;
}
