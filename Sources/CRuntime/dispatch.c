/*
 * dispatch.c — which kernel table runs: the best the CPU supports, unless a
 * tool forced another. The only global state in CRuntime.
 */
#include "internal.h"

#include <stdatomic.h>

#if defined(__x86_64__)
#include <cpuid.h>

/* 1 when CPUID reports AVX512F, AVX512BW, AVX512VL and AVX512_VNNI and the OS
 * saves the state they use: XCR0 bits 1 (SSE), 2 (AVX), 5 (opmask), 6 (upper
 * halves of ZMM0-15) and 7 (ZMM16-31). Without the OS part the instructions
 * fault even on a CPU that has them. */
static int rc_cpu_has_avx512_vnni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0; /* OSXSAVE: xgetbv usable */
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    (void)xcr0_hi; /* no state bit the check needs lives above bit 31 */
    const unsigned state = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xcr0_lo & state) != state) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned f_bw_vl = (1u << 16) | (1u << 30) | (1u << 31); /* leaf 7 EBX: AVX512F, BW, VL */
    if ((b & f_bw_vl) != f_bw_vl || (c & (1u << 11)) == 0) return 0; /* leaf 7 ECX bit 11: VNNI */
    return __builtin_cpu_supports("avx2"); /* the table's float kernels are the AVX2 ones */
}
#endif

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
    case RC_PATH_AVX512_VNNI:
        return rc_cpu_has_avx512_vnni();
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
    case RC_PATH_AVX512_VNNI:
        return &rc_kernels_avx512_vnni_table;
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
    "scalar", "avx2", "neon", "neon-dotprod", "armv7-neon", "avx512-vnni",
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
        RC_PATH_NEON_DOTPROD, RC_PATH_NEON, RC_PATH_ARMV7_NEON, RC_PATH_AVX512_VNNI, RC_PATH_AVX2,
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

void rc_softmax_vec(const rc_kernels *k, float *x, size_t n) {
    if (k == NULL || x == NULL) return;
    if (k->softmax != NULL) k->softmax(x, n);
    else rc_softmax(x, n);
}
