/*
 * recur_trainer.h — the trainer's own product kernel: C = A · B (or C += A · B) with B
 * packed once and used for many products.
 *
 * A recurrent layer multiplies every timestep's B × H state by the same W_hh (and, going
 * back, every step's gate gradients by W_hh). A BLAS sgemm call re-packs W_hh on each of
 * those calls; here the layer packs it once per forward (and once per backward) and each
 * step runs only the arithmetic.
 *
 * The packed form of a K × N matrix B: panels of 16 columns (the last one padded with
 * zero columns); panel p holds, row by row, B[kk][16p .. 16p + 15] for kk = 0 .. K-1:
 *
 *   dst[(p * K + kk) * 16 + i] = B[kk][16p + i]        (0 when 16p + i >= N)
 *
 * B is read through strides, B[kk][j] = b[kk * row_stride + j * col_stride], so that both
 * W (row_stride = cols, col_stride = 1) and Wᵀ (row_stride = 1, col_stride = cols) pack
 * from the row-major W.
 *
 * Each output is one accumulator, started at C's value (accumulate) or 0, to which the
 * terms kk = 0 .. K-1 are added in order (a fused multiply-add on the AVX2 path, a
 * multiply then an add on the portable one): a given path gives the same bits whatever
 * the blocking or the panel range, so splitting the panels among threads changes nothing.
 */
#ifndef RECUR_TRAINER_H
#define RECUR_TRAINER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RT_PANEL 16

typedef enum {
    RT_PATH_PORTABLE = 0,
    RT_PATH_AVX2_FMA = 1,
} rt_path;

/* The fastest path this CPU runs. */
rt_path rt_best_path(void);

/* Whether this CPU (and this build) can run `path`. */
int rt_path_available(rt_path path);

/* Floats of the packed form of a K × N matrix. */
size_t rt_packed_floats(size_t k, size_t n);

/* Packs B (K × N, read through the strides) into dst (rt_packed_floats(k, n) floats,
 * 32-byte aligned). */
void rt_pack(const float *b, size_t k, size_t n, size_t row_stride, size_t col_stride, float *dst);

/* C[r][j] (=|+=) Σ_kk A[r][kk] · B[kk][j] for r < m and the columns of panels
 * [panel_begin, panel_end) (j < n); A is m × k row-major with row stride lda, C m × n with
 * row stride ldc; accumulate = 0 overwrites C. `packed` is rt_pack's form of B. */
void rt_gemm_packed(rt_path path, size_t m, size_t n, size_t k, const float *a, size_t lda,
                    const float *packed, float *c, size_t ldc, int accumulate,
                    size_t panel_begin, size_t panel_end);

#ifdef __cplusplus
}
#endif

#endif
