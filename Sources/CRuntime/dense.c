/*
 * dense.c — y = act(W x + b): none, relu, tanh or softmax, per output vector.
 */
#include "internal.h"

rc_status rc_dense_validate(const rc_dense *l) {
    if (l == NULL || l->input == 0 || l->output == 0 || l->bias == NULL) return RC_ERR_ARGUMENT;
    if ((unsigned)l->activation > RC_ACT_SOFTMAX) return RC_ERR_ARGUMENT;
    return rc_matrix_check(&l->w, l->output, l->input);
}

size_t rc_dense_scratch_bytes(const rc_dense *l, size_t nvec) {
    if (l == NULL) return 0;
    return rc_linear_scratch_bytes(&l->w, nvec);
}

rc_status rc_dense_step(const rc_kernels *k, const rc_dense *l,
                        const float *x, size_t x_stride, size_t nvec,
                        float *y, void *scratch) {
    if (l == NULL) return RC_ERR_ARGUMENT;
    rc_status st = rc_linear(k, &l->w, l->bias, x, x_stride, nvec, y, scratch);
    if (st != RC_OK) return st;
    size_t n = l->output;
    for (size_t v = 0; v < nvec; v++) {
        float *yv = y + v * n;
        switch (l->activation) {
        case RC_ACT_NONE:
            break;
        case RC_ACT_RELU:
            rc_relu(yv, n);
            break;
        case RC_ACT_TANH:
            k->tanh(yv, n);
            break;
        case RC_ACT_SOFTMAX:
            rc_softmax_vec(k, yv, n);
            break;
        }
    }
    return RC_OK;
}
