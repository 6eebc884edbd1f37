/*
 * pack.c — the interleaved int8 layout (recur_core.h, "rc_pack_q8"), prepared once
 * per matrix at model load, and the product entry point that reads it.
 */
#include "internal.h"

#include <string.h>

size_t rc_pack_q8_bytes(uint32_t rows, uint32_t cols) {
    if (rows == 0 || cols == 0 || cols > 65536) return 0;
    size_t r16 = rc_pack_rows(rows), c4 = rc_pack_cols(cols);
    if ((uint64_t)r16 * (uint64_t)c4 > (uint64_t)(SIZE_MAX / 2)) return 0;
    return r16 * c4 + r16 * sizeof(int32_t);
}

rc_status rc_pack_q8(const rc_matrix *m, void *dst, size_t dst_bytes) {
    if (m == NULL || m->type != RC_W_Q8 || m->q8 == NULL || dst == NULL) return RC_ERR_ARGUMENT;
    size_t need = rc_pack_q8_bytes(m->rows, m->cols);
    if (need == 0 || dst_bytes < need || ((uintptr_t)dst % RC_SCRATCH_ALIGN) != 0) return RC_ERR_ARGUMENT;
    const size_t rows = m->rows, cols = m->cols;
    const size_t r16 = rc_pack_rows(rows), chunks = rc_pack_cols(cols) / RC_PACK_COLS;
    int8_t *blocks = (int8_t *)dst;
    memset(dst, 0, need);
    for (size_t r = 0; r < rows; r++) {
        size_t g = r / RC_PACK_ROWS, lane = r % RC_PACK_ROWS;
        for (size_t c = 0; c < cols; c++) {
            size_t k = c / RC_PACK_COLS;
            blocks[(g * chunks + k) * 64 + lane * RC_PACK_COLS + c % RC_PACK_COLS] = m->q8[r * cols + c];
        }
    }
    int32_t *sums = (int32_t *)(blocks + r16 * chunks * RC_PACK_COLS);
    for (size_t r = 0; r < rows; r++) {
        int32_t s = 0;
        for (size_t c = 0; c < cols; c++) s += m->q8[r * cols + c];
        sums[r] = 128 * s;
    }
    return RC_OK;
}

size_t rc_pack_f32_bytes(uint32_t rows, uint32_t cols) {
    if (rows == 0 || cols == 0) return 0;
    size_t r8 = (rows + (RC_PACK_F32_ROWS - 1)) & ~(size_t)(RC_PACK_F32_ROWS - 1);
    if ((uint64_t)r8 * (uint64_t)cols > (uint64_t)(SIZE_MAX / sizeof(float))) return 0;
    return r8 * cols * sizeof(float);
}

rc_status rc_pack_f32(const rc_matrix *m, void *dst, size_t dst_bytes) {
    if (m == NULL || m->type != RC_W_F32 || m->f32 == NULL || dst == NULL) return RC_ERR_ARGUMENT;
    size_t need = rc_pack_f32_bytes(m->rows, m->cols);
    if (need == 0 || dst_bytes < need || ((uintptr_t)dst % RC_SCRATCH_ALIGN) != 0) return RC_ERR_ARGUMENT;
    const size_t rows = m->rows, cols = m->cols;
    float *out = (float *)dst;
    memset(dst, 0, need);
    for (size_t r = 0; r < rows; r++) {
        size_t g = r / RC_PACK_F32_ROWS, lane = r % RC_PACK_F32_ROWS;
        for (size_t c = 0; c < cols; c++) {
            out[(g * cols + c) * RC_PACK_F32_ROWS + lane] = m->f32[r * cols + c];
        }
    }
    return RC_OK;
}

void rc_matvec_f32_packed(const rc_kernels *k, const rc_matrix *m, const float *x, size_t nvec,
                          float *y) {
    if (m->packed != NULL && k->matvec_f32_packed != NULL) {
        k->matvec_f32_packed((const float *)m->packed, m->rows, m->cols, x, nvec, y);
    } else {
        k->matvec_f32(m->f32, m->rows, m->cols, x, nvec, y);
    }
}

void rc_matvec_q8_packed(const rc_kernels *k, const rc_matrix *m, const int8_t *x, size_t nvec,
                         int32_t *acc) {
    const size_t rows = m->rows, cols = m->cols;
    if (m->packed != NULL && k->matvec_q8_packed != NULL) {
        k->matvec_q8_packed((const int8_t *)m->packed, rows, cols, x, nvec, acc);
        return;
    }
    const size_t r16 = rc_pack_rows(rows), c4 = rc_pack_cols(cols);
    for (size_t v = 0; v < nvec; v++) {
        k->matvec_q8(m->q8, rows, cols, x + v * c4, 1, acc + v * r16);
    }
}
