/*
 * kernels_ref.c — the scalar reference kernels. Slow and obvious on purpose:
 * this file is the specification every SIMD path is tested against.
 */
#include "internal.h"

int32_t rc_ref_dot_q8(const int8_t *w, const int8_t *x, size_t n) {
    int32_t acc = 0;
    for (size_t c = 0; c < n; c++) {
        acc += (int32_t)w[c] * (int32_t)x[c];
    }
    return acc;
}

void rc_ref_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                      const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        for (size_t r = 0; r < rows; r++) {
            acc[v * rows + r] = rc_ref_dot_q8(w + r * cols, x + v * cols, cols);
        }
    }
}

float rc_ref_f32_finish(const float p[8], const float *w, const float *x, size_t from, size_t n) {
    float sum = ((p[0] + p[4]) + (p[2] + p[6])) + ((p[1] + p[5]) + (p[3] + p[7]));
    for (size_t c = from; c < n; c++) {
        sum = sum + w[c] * x[c];
    }
    return sum;
}

/* Σ w[c] x[c] in the contract's order: eight interleaved partial sums, a fixed
 * reduction tree, then the tail in order. */
static float rc_ref_dot_f32(const float *w, const float *x, size_t n) {
    float p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t body = n - n % 8;
    for (size_t c = 0; c < body; c += 8) {
        for (size_t j = 0; j < 8; j++) {
            p[j] = p[j] + w[c + j] * x[c + j];
        }
    }
    return rc_ref_f32_finish(p, w, x, body, n);
}

void rc_ref_matvec_f32(const float *w, size_t rows, size_t cols,
                       const float *x, size_t nvec, float *y) {
    for (size_t v = 0; v < nvec; v++) {
        for (size_t r = 0; r < rows; r++) {
            y[v * rows + r] = rc_ref_dot_f32(w + r * cols, x + v * cols, cols);
        }
    }
}

const struct rc_kernels rc_kernels_ref = {
    .path = RC_PATH_SCALAR,
    .matvec_q8 = rc_ref_matvec_q8,
    .matvec_q8_packed = NULL, /* the reference reads the row-major form */
    .matvec_f32 = rc_ref_matvec_f32,
    .matvec_f32_packed = NULL,
    .quantize_q8 = rc_quantize_q8,
    .sigmoid = rc_ref_sigmoid,
    .tanh = rc_ref_tanh,
};
