/*
 * linear.c — y = W x + b for int8 or f32 weights, over one or several vectors.
 *
 * Scratch layout for int8 weights (each part aligned to RC_SCRATCH_ALIGN), in the
 * padded sizes of the packed layout (rc_pack_q8: C = cols up to 4, R = rows up to 16):
 *   int8_t  xq[nvec][C]    the quantized inputs, padding bytes 0
 *   float   s[nvec]        their scales
 *   int32_t acc[nvec][R]   the exact products
 *
 * The rescale and the bias are one pass: y_r = (float)acc_r * (w_scale_r * s) + bias_r,
 * the same two roundings in the same order as two passes.
 */
#include "internal.h"

#include <string.h>

static int rc_matrix_ok(const rc_matrix *m) {
    if (m == NULL || m->rows == 0 || m->cols == 0) return 0;
    if ((uint64_t)m->rows * (uint64_t)m->cols > (uint64_t)(SIZE_MAX / sizeof(float))) return 0;
    switch (m->type) {
    case RC_W_F32: return m->f32 != NULL;
    case RC_W_Q8: return m->q8 != NULL && m->scale != NULL;
    }
    return 0;
}

size_t rc_linear_scratch_bytes(const rc_matrix *m, size_t nvec) {
    if (m == NULL || m->type != RC_W_Q8) return 0;
    return rc_align_up(nvec * rc_pack_cols(m->cols))
         + rc_align_up(nvec * sizeof(float))
         + rc_align_up(nvec * rc_pack_rows(m->rows) * sizeof(int32_t));
}

rc_status rc_linear(const rc_kernels *k, const rc_matrix *m, const float *bias,
                    const float *x, size_t x_stride, size_t nvec, float *y, void *scratch) {
    if (k == NULL || !rc_matrix_ok(m) || x == NULL || y == NULL || nvec == 0) return RC_ERR_ARGUMENT;
    size_t rows = m->rows, cols = m->cols;
    size_t distinct = x_stride == 0 ? 1 : nvec;

    if (m->type == RC_W_F32) {
        if (x_stride == cols || distinct == 1) {
            rc_matvec_f32_packed(k, m, x, distinct, y);
        } else {
            for (size_t v = 0; v < distinct; v++) {
                rc_matvec_f32_packed(k, m, x + v * x_stride, 1, y + v * rows);
            }
        }
        if (bias != NULL) {
            for (size_t v = 0; v < distinct; v++) {
                for (size_t r = 0; r < rows; r++) y[v * rows + r] = y[v * rows + r] + bias[r];
            }
        }
    } else {
        if (scratch == NULL) return RC_ERR_ARGUMENT;
        const size_t c4 = rc_pack_cols(cols), r16 = rc_pack_rows(rows);
        int8_t *xq = (int8_t *)scratch;
        float *s = (float *)((char *)scratch + rc_align_up(nvec * c4));
        int32_t *acc = (int32_t *)((char *)s + rc_align_up(nvec * sizeof(float)));
        for (size_t v = 0; v < distinct; v++) {
            s[v] = k->quantize_q8(x + v * x_stride, cols, xq + v * c4);
            for (size_t c = cols; c < c4; c++) xq[v * c4 + c] = 0;
        }
        rc_matvec_q8_packed(k, m, xq, distinct, acc);
        for (size_t v = 0; v < distinct; v++) {
            rc_rescale_rows(k, acc + v * r16, m->scale, s[v], bias, rows, y + v * rows);
        }
    }
    for (size_t v = distinct; v < nvec; v++) {
        memcpy(y + v * rows, y, rows * sizeof(float));
    }
    return RC_OK;
}

void rc_rescale_rows(const rc_kernels *k, const int32_t *acc, const float *scale, float s,
                     const float *bias, size_t rows, float *y) {
    /* y_r = acc_r * (w_scale_r * s) + bias_r */
    if (k->rescale_q8 != NULL) {
        k->rescale_q8(acc, scale, s, bias, rows, y);
    } else if (bias != NULL) {
        for (size_t r = 0; r < rows; r++) y[r] = (float)acc[r] * (scale[r] * s) + bias[r];
    } else {
        for (size_t r = 0; r < rows; r++) y[r] = (float)acc[r] * (scale[r] * s);
    }
}

rc_status rc_matrix_check(const rc_matrix *m, size_t rows, size_t cols) {
    if (!rc_matrix_ok(m) || m->rows != rows || m->cols != cols) return RC_ERR_ARGUMENT;
    return RC_OK;
}
