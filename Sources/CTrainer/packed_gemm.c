/* The packed product of recur_trainer.h: a register-blocked kernel of up to 6 rows of A
 * by one 16-column panel of B, over the whole K (a panel of K × 16 floats stays in L1
 * while every row block of A passes over it). */
#include "recur_trainer.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define RT_AVX2 __attribute__((target("avx2,fma")))
#endif

#define RT_MR 6

size_t rt_packed_floats(size_t k, size_t n) {
    return (n + RT_PANEL - 1) / RT_PANEL * RT_PANEL * k;
}

void rt_pack(const float *b, size_t k, size_t n, size_t row_stride, size_t col_stride, float *dst) {
    const size_t panels = (n + RT_PANEL - 1) / RT_PANEL;
    for (size_t p = 0; p < panels; p++) {
        const size_t j0 = p * RT_PANEL, width = n - j0 < RT_PANEL ? n - j0 : RT_PANEL;
        float *panel = dst + p * k * RT_PANEL;
        if (col_stride == 1) {
            /* Rows of B are contiguous: copy 16 (or the last panel's width) per row. */
            for (size_t kk = 0; kk < k; kk++) {
                float *row = panel + kk * RT_PANEL;
                memcpy(row, b + kk * row_stride + j0, width * sizeof(float));
                for (size_t i = width; i < RT_PANEL; i++) row[i] = 0;
            }
        } else {
            /* Columns of B are contiguous (B = Wᵀ): read each of the panel's columns in order. */
            for (size_t i = 0; i < RT_PANEL; i++) {
                if (i < width) {
                    const float *column = b + (j0 + i) * col_stride;
                    for (size_t kk = 0; kk < k; kk++) panel[kk * RT_PANEL + i] = column[kk * row_stride];
                } else {
                    for (size_t kk = 0; kk < k; kk++) panel[kk * RT_PANEL + i] = 0;
                }
            }
        }
    }
}

/* ---- portable ------------------------------------------------------------ */

/* rows (1..6) rows of A by one full panel, C read (when accumulating) and written in place. */
static void rt_block_portable(size_t rows, size_t k, const float *a, size_t lda, const float *panel,
                              float *c, size_t ldc, int acc) {
    float sum[RT_MR][RT_PANEL];
    for (size_t r = 0; r < rows; r++)
        for (size_t i = 0; i < RT_PANEL; i++) sum[r][i] = acc ? c[r * ldc + i] : 0;
    for (size_t kk = 0; kk < k; kk++) {
        const float *bk = panel + kk * RT_PANEL;
        for (size_t r = 0; r < rows; r++) {
            const float av = a[r * lda + kk];
            for (size_t i = 0; i < RT_PANEL; i++) sum[r][i] = sum[r][i] + av * bk[i];
        }
    }
    for (size_t r = 0; r < rows; r++) memcpy(c + r * ldc, sum[r], sizeof sum[r]);
}

/* ---- AVX2 + FMA ------------------------------------------------------------ */

#if defined(__x86_64__)
/* MR rows by one full panel (16 columns of C), accumulators in registers, C read (when
 * accumulating) and written in place (the loops over r unroll: MR is a constant at every
 * call). */
#define RT_AVX2_BLOCK(MR)                                                                         \
    RT_AVX2 static void rt_block_avx2_##MR(size_t k, const float *a, size_t lda,                   \
                                           const float *panel, float *c, size_t ldc, int acc) {    \
        __m256 lo[MR], hi[MR];                                                                    \
        _Pragma("GCC unroll 6") for (int r = 0; r < MR; r++) {                                    \
            lo[r] = acc ? _mm256_loadu_ps(c + r * ldc) : _mm256_setzero_ps();                     \
            hi[r] = acc ? _mm256_loadu_ps(c + r * ldc + 8) : _mm256_setzero_ps();                 \
        }                                                                                         \
        for (size_t kk = 0; kk < k; kk++) {                                                       \
            const __m256 b0 = _mm256_load_ps(panel + kk * RT_PANEL);                              \
            const __m256 b1 = _mm256_load_ps(panel + kk * RT_PANEL + 8);                          \
            _Pragma("GCC unroll 6") for (int r = 0; r < MR; r++) {                                \
                const __m256 av = _mm256_broadcast_ss(a + r * lda + kk);                          \
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);                                           \
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);                                           \
            }                                                                                     \
        }                                                                                         \
        _Pragma("GCC unroll 6") for (int r = 0; r < MR; r++) {                                    \
            _mm256_storeu_ps(c + r * ldc, lo[r]);                                                 \
            _mm256_storeu_ps(c + r * ldc + 8, hi[r]);                                             \
        }                                                                                         \
    }
RT_AVX2_BLOCK(1)
RT_AVX2_BLOCK(2)
RT_AVX2_BLOCK(3)
RT_AVX2_BLOCK(4)
RT_AVX2_BLOCK(5)
RT_AVX2_BLOCK(6)

static void rt_block_avx2(size_t rows, size_t k, const float *a, size_t lda, const float *panel,
                          float *c, size_t ldc, int acc) {
    switch (rows) {
    case 1: rt_block_avx2_1(k, a, lda, panel, c, ldc, acc); break;
    case 2: rt_block_avx2_2(k, a, lda, panel, c, ldc, acc); break;
    case 3: rt_block_avx2_3(k, a, lda, panel, c, ldc, acc); break;
    case 4: rt_block_avx2_4(k, a, lda, panel, c, ldc, acc); break;
    case 5: rt_block_avx2_5(k, a, lda, panel, c, ldc, acc); break;
    default: rt_block_avx2_6(k, a, lda, panel, c, ldc, acc); break;
    }
}
#endif

/* ---- dispatch -------------------------------------------------------------- */

int rt_path_available(rt_path path) {
    switch (path) {
    case RT_PATH_PORTABLE: return 1;
    case RT_PATH_AVX2_FMA:
#if defined(__x86_64__)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    }
    return 0;
}

rt_path rt_best_path(void) {
    return rt_path_available(RT_PATH_AVX2_FMA) ? RT_PATH_AVX2_FMA : RT_PATH_PORTABLE;
}

void rt_gemm_packed(rt_path path, size_t m, size_t n, size_t k, const float *a, size_t lda,
                    const float *packed, float *c, size_t ldc, int accumulate,
                    size_t panel_begin, size_t panel_end) {
    /* A partial last panel goes through a 16-column buffer: C's columns past n are not ours. */
    float edge[RT_MR * RT_PANEL] __attribute__((aligned(32)));
    for (size_t p = panel_begin; p < panel_end; p++) {
        const float *panel = packed + p * k * RT_PANEL;
        const size_t j0 = p * RT_PANEL, width = n - j0 < RT_PANEL ? n - j0 : RT_PANEL;
        /* Row blocks as even as possible (32 rows: 6, 6, 5, 5, 5, 5 — not 6 × 5 and a 2-row
         * block, whose few accumulators leave the kernel waiting on loads). */
        const size_t blocks = (m + RT_MR - 1) / RT_MR;
        for (size_t block = 0, r0 = 0; block < blocks; block++) {
            const size_t rows = m / blocks + (block < m % blocks ? 1 : 0);
            float *out = c + r0 * ldc + j0;
            size_t out_stride = ldc;
            if (width < RT_PANEL) {
                for (size_t r = 0; r < rows; r++) {
                    for (size_t i = 0; i < RT_PANEL; i++) edge[r * RT_PANEL + i] = accumulate && i < width ? out[r * ldc + i] : 0;
                }
                out = edge;
                out_stride = RT_PANEL;
            }
#if defined(__x86_64__)
            if (path == RT_PATH_AVX2_FMA) rt_block_avx2(rows, k, a + r0 * lda, lda, panel, out, out_stride, accumulate);
            else rt_block_portable(rows, k, a + r0 * lda, lda, panel, out, out_stride, accumulate);
#else
            (void)path;
            rt_block_portable(rows, k, a + r0 * lda, lda, panel, out, out_stride, accumulate);
#endif
            if (width < RT_PANEL) {
                for (size_t r = 0; r < rows; r++) memcpy(c + (r0 + r) * ldc + j0, edge + r * RT_PANEL, width * sizeof(float));
            }
            r0 += rows;
        }
    }
}
