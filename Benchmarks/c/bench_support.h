/*
 * bench_support.h — what the C benchmark programs share: CPU time, zeroed aligned
 * buffers, seeded floats. Include after recur_core.h and Tests/cross/splitmix64.h.
 */
#ifndef RECUR_BENCH_SUPPORT_H
#define RECUR_BENCH_SUPPORT_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this process (time descheduled is not counted), in ns. */
static double cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* A zeroed RC_SCRATCH_ALIGN-aligned buffer of at least 64 bytes; exits on failure. */
static void *aligned(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, RC_SCRATCH_ALIGN, bytes < 64 ? 64 : bytes) != 0) exit(2);
    memset(p, 0, bytes < 64 ? 64 : bytes);
    return p;
}

/* n seeded floats uniform in [lo, hi), aligned. */
static float *floats(size_t n, float lo, float hi) {
    float *p = aligned(n * sizeof(float));
    for (size_t i = 0; i < n; i++) p[i] = rng_float(lo, hi);
    return p;
}

#endif
