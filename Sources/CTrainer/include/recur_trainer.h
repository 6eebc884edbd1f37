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

/* ---- the cells' row kernels (cells.c) -------------------------------------------------------
 *
 * One timestep of a recurrent cell for `rows` batch rows after its recurrent product: gate
 * activations forward, pre-activation gradients (and their bias sums) backward. The formulas and
 * the buffers' meaning are in Sources/Trainer/Layers/LSTMCell.swift, GRUCell.swift and
 * RNNCell.swift. Row b's bias gradient goes to row b / bias_rows of d_bias. Every path does the
 * same IEEE operations in the same order (no fused multiply-add), so all paths give the same
 * bits; RT_PATH_AVX2_FMA runs them eight lanes wide. */

/* LSTM: gates (rows, 4H) hold W_ih x + W_hh h on entry, the activated i, f, g, o on exit. */
void rt_lstm_forward_rows(rt_path path, size_t rows, size_t h, float *gates, const float *bias,
                          const float *c_prev, float *c_next, float *tanh_c, float *h_next);

/* LSTM back: dh (rows, H) in; dc (rows, H) dL/dc_t in, dL/dc_{t-1} out; d_gates (rows, 4H) out;
 * d_bias (4H per group of bias_rows rows) accumulated. */
void rt_lstm_backward_rows(rt_path path, size_t rows, size_t h, const float *gates, const float *c_prev,
                           const float *tanh_c, const float *dh, float *dc, float *d_gates, float *d_bias,
                           size_t bias_rows);

/* GRU: u (rows, 3H) holds W_ih x on entry, r, z, n on exit; v (rows, 3H) holds W_hh h, its n
 * block gets b_hn added. */
void rt_gru_forward_rows(rt_path path, size_t rows, size_t h, float *u, float *v, const float *bias,
                         const float *bias_hn, const float *h_prev, float *h_next);

/* GRU back: dh (rows, H) dL/dh_t in, its direct part dh ⊙ z out; d_gx, d_gh (rows, 3H) out;
 * d_bias_ih, d_bias_hh (3H per group of bias_rows rows) accumulated. */
void rt_gru_backward_rows(rt_path path, size_t rows, size_t h, const float *gates, const float *v,
                          const float *h_prev, float *dh, float *d_gx, float *d_gh, float *d_bias_ih,
                          float *d_bias_hh, size_t bias_rows);

/* RNN: a (rows, H) ← act(a + bias), act = relu when `relu`, else tanh. */
void rt_rnn_forward_rows(rt_path path, size_t rows, size_t h, float *a, const float *bias, int relu);

/* RNN back: da (rows, H) = dh ⊙ act'(y), y = the step's output; d_bias accumulated. */
void rt_rnn_backward_rows(rt_path path, size_t rows, size_t h, const float *y, const float *dh, float *da,
                          float *d_bias, size_t bias_rows, int relu);

/* The same exp and tanh for the rest of the trainer: x[i] = tanh(x[i]); p[i] = exp(z[i] - shift)
 * (z and p may be the same buffer). exp clamps its argument to [-87, 88]. */
void rt_tanh_in_place(rt_path path, float *x, size_t n);
void rt_exp_shifted(rt_path path, const float *z, float shift, float *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
