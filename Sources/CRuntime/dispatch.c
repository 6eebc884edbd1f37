/*
 * dispatch.c — which kernel table runs: the best the CPU supports, unless a
 * tool forced another. The only global state in CRuntime.
 */
#include "internal.h"

#include <stdatomic.h>

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20) /* the dot-product extension (SDOT/UDOT) */
#endif
#endif

/* 1 when the CPU running this process supports `path` (the binary has it built in). */
static int rc_cpu_supports(rc_path path) {
    switch (path) {
    case RC_PATH_SCALAR:
        return 1;
#if defined(__x86_64__)
    case RC_PATH_AVX2:
        return __builtin_cpu_supports("avx2");
#endif
#if defined(__aarch64__)
    case RC_PATH_NEON:
        return 1; /* baseline on aarch64 */
    case RC_PATH_NEON_DOTPROD:
#if defined(__linux__)
        return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#else
        return 0;
#endif
#endif
#if defined(__arm__) && defined(__ARM_NEON)
    case RC_PATH_ARMV7_NEON:
        return 1; /* the binary was built for NEON, so the CPU has it */
#endif
    default:
        return 0;
    }
}

/* The table compiled in for `path`, whether or not this CPU can run it. */
static const rc_kernels *rc_kernels_built_in(rc_path path) {
    switch (path) {
    case RC_PATH_SCALAR:
        return &rc_kernels_ref;
#if defined(__x86_64__)
    case RC_PATH_AVX2:
        return &rc_kernels_avx2_table;
#endif
#if defined(__aarch64__)
    case RC_PATH_NEON:
        return &rc_kernels_neon_table;
    case RC_PATH_NEON_DOTPROD:
        return &rc_kernels_neon_dotprod_table;
#endif
#if defined(__arm__) && defined(__ARM_NEON)
    case RC_PATH_ARMV7_NEON:
        return &rc_kernels_armv7_table;
#endif
    default:
        return NULL;
    }
}

static const char *const rc_path_names[RC_PATH_COUNT] = {
    "scalar", "avx2", "neon", "neon-dotprod", "armv7-neon",
};

const char *rc_path_name(rc_path path) {
    if ((unsigned)path >= RC_PATH_COUNT) return "unknown";
    return rc_path_names[path];
}

const rc_kernels *rc_kernels_for(rc_path path) {
    const rc_kernels *k = rc_kernels_built_in(path);
    return k != NULL && rc_cpu_supports(path) ? k : NULL;
}

int rc_path_available(rc_path path) {
    return rc_kernels_for(path) != NULL;
}

const rc_kernels *rc_kernels_best(void) {
    static const rc_path preference[] = {
        RC_PATH_NEON_DOTPROD, RC_PATH_NEON, RC_PATH_ARMV7_NEON, RC_PATH_AVX2,
    };
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++) {
        const rc_kernels *k = rc_kernels_for(preference[i]);
        if (k != NULL) return k;
    }
    return &rc_kernels_ref;
}

/* NULL until forced: then rc_kernels_default() answers the best table. */
static _Atomic(const rc_kernels *) rc_forced = NULL;

const rc_kernels *rc_kernels_default(void) {
    const rc_kernels *k = atomic_load(&rc_forced);
    return k != NULL ? k : rc_kernels_best();
}

rc_status rc_force_path(rc_path path) {
    const rc_kernels *k = rc_kernels_for(path);
    if (k == NULL) return RC_ERR_UNAVAILABLE;
    atomic_store(&rc_forced, k);
    return RC_OK;
}

rc_path rc_kernels_path(const rc_kernels *k) {
    return k != NULL ? k->path : RC_PATH_SCALAR;
}

void rc_matvec_q8(const rc_kernels *k, const int8_t *w, size_t rows, size_t cols,
                  const int8_t *x, size_t nvec, int32_t *acc) {
    if (k == NULL || w == NULL || x == NULL || acc == NULL) return;
    k->matvec_q8(w, rows, cols, x, nvec, acc);
}

void rc_matvec_f32(const rc_kernels *k, const float *w, size_t rows, size_t cols,
                   const float *x, size_t nvec, float *y) {
    if (k == NULL || w == NULL || x == NULL || y == NULL) return;
    k->matvec_f32(w, rows, cols, x, nvec, y);
}

void rc_sigmoid_vec(const rc_kernels *k, float *x, size_t n) {
    if (k == NULL || x == NULL) return;
    k->sigmoid(x, n);
}

void rc_tanh_vec(const rc_kernels *k, float *x, size_t n) {
    if (k == NULL || x == NULL) return;
    k->tanh(x, n);
}
