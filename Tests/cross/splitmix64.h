/*
 * splitmix64.h — the seeded generator of the C-only programs (Tests/cross/driver.c,
 * Benchmarks/c/step_cpu_time.c): SplitMix64 over one file-local state, and a
 * float from its top 24 bits (exact in float, the same on every target).
 */
#ifndef RECUR_SPLITMIX64_H
#define RECUR_SPLITMIX64_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static inline float rng_float(float lo, float hi) {
    float u = (float)(rng_next() >> 40) * (1.0f / 16777216.0f);
    return lo + (hi - lo) * u;
}

#endif /* RECUR_SPLITMIX64_H */
