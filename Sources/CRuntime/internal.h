/*
 * internal.h — what the CRuntime files share and the public header does not show:
 * the layout of a kernel table and the per-path tables.
 */
#ifndef RECUR_INTERNAL_H
#define RECUR_INTERNAL_H

/* No fused multiply-add anywhere: clang obeys the standard pragma; gcc ignores it
 * and is built with -ffp-contract=off (its default under -std=c11 anyway). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include "recur_core.h"

#include <math.h>

/* One table per path. The cell and dense code calls only through it, so every
 * path runs the same cell logic and differs only in these kernels. */
struct rc_kernels {
    rc_path path;
    /* acc = W x for nvec vectors (see rc_matvec_q8). Exact int32. */
    void (*matvec_q8)(const int8_t *w, size_t rows, size_t cols,
                      const int8_t *x, size_t nvec, int32_t *acc);
    /* The same from the packed layout (recur_core.h, rc_pack_q8): x holds nvec vectors
     * of rc_pack_cols(cols) bytes (padding zero), acc nvec blocks of rc_pack_rows(rows)
     * sums. NULL for a path that reads the row-major form only (scalar). */
    void (*matvec_q8_packed)(const int8_t *packed, size_t rows, size_t cols,
                             const int8_t *x, size_t nvec, int32_t *acc);
    /* y = W x for nvec vectors, in the fixed summation order of recur_core.h. */
    void (*matvec_f32)(const float *w, size_t rows, size_t cols,
                       const float *x, size_t nvec, float *y);
    /* The same from the packed f32 layout (rc_pack_f32). NULL: row-major only. */
    void (*matvec_f32_packed)(const float *packed, size_t rows, size_t cols,
                              const float *x, size_t nvec, float *y);
    /* q = quantized x, returns the scale (rc_quantize_q8's contract, bit for bit). */
    float (*quantize_q8)(const float *x, size_t n, int8_t *q);
    /* In place x_i = rc_sigmoid(x_i) / rc_tanh(x_i), bit for bit. */
    void (*sigmoid)(float *x, size_t n);
    void (*tanh)(float *x, size_t n);
    /* Optional (NULL: linear.c's and lstm.c's loops, the same operations):
     * y_r = (float)acc_r * (scale_r * s) + bias_r (no bias term when bias is NULL). */
    void (*rescale_q8)(const int32_t *acc, const float *scale, float s, const float *bias,
                       size_t n, float *y);
    /* One LSTM state's whole gate update in one pass (lstm.c's equations): a = u + w
     * over the 4H gates i | f | g | o, the activations, c = (f * c) + (i * g),
     * h = o * tanh(c). w is not modified. */
    void (*lstm_update)(size_t hidden, const float *u, const float *w, float *h, float *c);
    /* rc_softmax with vector exp and division (the maximum and the sum in index order
     * stay scalar). NULL: rc_softmax. */
    void (*softmax)(float *x, size_t n);
};

/* rc_softmax's first step: the maximum as it computes it (NaN handling included). */
static inline float rc_softmax_max(const float *x, size_t n) {
    float m = x[0];
    for (size_t i = 1; i < n; i++) {
        if (x[i] > m) m = x[i];
    }
    return m;
}

extern const struct rc_kernels rc_kernels_ref;
#if defined(__x86_64__)
extern const struct rc_kernels rc_kernels_avx2_table;
extern const struct rc_kernels rc_kernels_avx512_vnni_table;
/* The AVX2 float kernels and quantizer, shared by the AVX-512 VNNI table (kernels_avx2.c). */
__attribute__((target("avx2"))) void rc_avx2_matvec_f32(const float *w, size_t rows, size_t cols,
                                                        const float *x, size_t nvec, float *y);
__attribute__((target("avx2"))) void rc_avx2_matvec_f32_packed(const float *packed, size_t rows, size_t cols,
                                                               const float *x, size_t nvec, float *y);
__attribute__((target("avx2"))) float rc_avx2_quantize_q8(const float *x, size_t n, int8_t *q);
__attribute__((target("avx2"))) void rc_avx2_sigmoid(float *x, size_t n);
__attribute__((target("avx2"))) void rc_avx2_tanh(float *x, size_t n);
#endif
#if defined(__aarch64__)
extern const struct rc_kernels rc_kernels_neon_table;
extern const struct rc_kernels rc_kernels_neon_dotprod_table;
/* The baseline NEON float kernels, shared by the dotprod table (kernels_neon.c). */
void rc_neon_matvec_f32(const float *w, size_t rows, size_t cols,
                        const float *x, size_t nvec, float *y);
void rc_neon_matvec_f32_packed(const float *packed, size_t rows, size_t cols,
                               const float *x, size_t nvec, float *y);
void rc_neon_rescale_q8(const int32_t *acc, const float *scale, float s, const float *bias, size_t n, float *y);
void rc_neon_lstm_update(size_t hidden, const float *u, const float *w, float *h, float *c);
void rc_neon_sigmoid(float *x, size_t n);
void rc_neon_tanh(float *x, size_t n);
#endif
#if defined(__arm__) && defined(__ARM_NEON)
extern const struct rc_kernels rc_kernels_armv7_table;
#endif

/* Scalar pieces every path shares: the reference loops, reused as the tails of
 * SIMD loops so that tails compute exactly what the reference computes. */
int32_t rc_ref_dot_q8(const int8_t *w, const int8_t *x, size_t n);
void rc_ref_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                      const int8_t *x, size_t nvec, int32_t *acc);
void rc_ref_matvec_f32(const float *w, size_t rows, size_t cols,
                       const float *x, size_t nvec, float *y);
/* The f32 dot product after the eight partial sums: reduce them in the
 * contract's order, then add columns [from, n) one by one. */
float rc_ref_f32_finish(const float p[8], const float *w, const float *x, size_t from, size_t n);
void rc_ref_sigmoid(float *x, size_t n);
void rc_ref_tanh(float *x, size_t n);

/* The code of one element for scale s > 0: clamp(round(x / s), -127, 127) with
 * ties away from zero, NaN → 0. The reference quantizer's loop body, and the
 * tail of every vector quantizer. */
static inline int8_t rc_q8_code(float x, float s) {
    float v = roundf(x / s);
    if (!(v >= -127.0f)) v = (v != v) ? 0.0f : -127.0f; /* NaN → 0, below → -127 */
    if (v > 127.0f) v = 127.0f;
    return (int8_t)v;
}

/* The packed layout's padded sizes: rows up to 16, columns up to 4. */
static inline size_t rc_pack_rows(size_t rows) {
    return (rows + (RC_PACK_ROWS - 1)) & ~(size_t)(RC_PACK_ROWS - 1);
}
static inline size_t rc_pack_cols(size_t cols) {
    return (cols + (RC_PACK_COLS - 1)) & ~(size_t)(RC_PACK_COLS - 1);
}

/* lstm.c's gate update for hidden unit j alone (the tails of the vector forms):
 * the same operations in the same order. */
static inline void rc_lstm_unit(size_t H, size_t j, const float *u, const float *w, float *h, float *c) {
    float i = rc_sigmoid(u[j] + w[j]);
    float f = rc_sigmoid(u[H + j] + w[H + j]);
    float g = rc_tanh(u[2 * H + j] + w[2 * H + j]);
    float o = rc_sigmoid(u[3 * H + j] + w[3 * H + j]);
    c[j] = (f * c[j]) + (i * g);
    h[j] = o * rc_tanh(c[j]);
}

/* Rounds a byte count up to RC_SCRATCH_ALIGN. */
static inline size_t rc_align_up(size_t n) {
    return (n + (RC_SCRATCH_ALIGN - 1)) & ~(size_t)(RC_SCRATCH_ALIGN - 1);
}

/* a · b and a + b into *out; 0 when the result does not fit in size_t (32 bits on armv7). */
static inline int rc_size_mul(size_t a, size_t b, size_t *out) {
    return !__builtin_mul_overflow(a, b, out);
}
static inline int rc_size_add(size_t a, size_t b, size_t *out) {
    return !__builtin_add_overflow(a, b, out);
}

/* One vector's rescale after an int8 product, with path k's kernel when it has one:
 * y_r = (float)acc_r * (scale_r * s) + bias_r (no bias term when bias is NULL). */
void rc_rescale_rows(const rc_kernels *k, const int32_t *acc, const float *scale, float s,
                     const float *bias, size_t rows, float *y);

/* RC_OK when m is well formed and has this shape. */
rc_status rc_matrix_check(const rc_matrix *m, size_t rows, size_t cols);

/* Number of gate blocks of a cell: 4 (LSTM), 3 (GRU), 1 (RNN); 0 if unknown. */
static inline size_t rc_cell_gates(rc_cell cell) {
    switch (cell) {
    case RC_CELL_LSTM: return 4;
    case RC_CELL_GRU: return 3;
    case RC_CELL_RNN_TANH:
    case RC_CELL_RNN_RELU: return 1;
    }
    return 0;
}

/* The cell steps behind rc_recurrent_step; one file each. `u` holds W_ih x + b_ih
 * (one vector, or nvec when u_stride != 0), `w` holds nvec vectors W_hh h + b_hh. */
void rc_lstm_update(const rc_kernels *k, size_t hidden, const float *u, size_t u_stride,
                    float *w, size_t nvec, float *state);
void rc_gru_update(const rc_kernels *k, size_t hidden, const float *u, size_t u_stride,
                   float *w, size_t nvec, float *state);
void rc_rnn_update(const rc_kernels *k, rc_cell cell, size_t hidden, const float *u,
                   size_t u_stride, float *w, size_t nvec, float *state);

#endif /* RECUR_INTERNAL_H */
