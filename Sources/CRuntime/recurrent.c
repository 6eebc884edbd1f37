/*
 * recurrent.c — one timestep of a recurrent layer: the two linear maps, then
 * the cell's gate update (lstm.c, gru.c, rnn.c).
 *
 * Scratch layout (each part aligned to RC_SCRATCH_ALIGN):
 *   float u[distinct][G*H]   W_ih x + b_ih   (distinct = 1 when x_stride == 0, else nvec)
 *   float w[nvec][G*H]       W_hh h + b_hh, then the gates in place
 *   bytes lin[...]           the linear map's scratch, shared by both products
 */
#include "internal.h"

rc_status rc_recurrent_validate(const rc_recurrent *l) {
    if (l == NULL) return RC_ERR_ARGUMENT;
    size_t g = rc_cell_gates(l->cell);
    if (g == 0 || l->input == 0 || l->hidden == 0) return RC_ERR_ARGUMENT;
    size_t gh = g * (size_t)l->hidden;
    if (rc_matrix_check(&l->w_ih, gh, l->input) != RC_OK) return RC_ERR_ARGUMENT;
    if (rc_matrix_check(&l->w_hh, gh, l->hidden) != RC_OK) return RC_ERR_ARGUMENT;
    if (l->b_ih == NULL || l->b_hh == NULL) return RC_ERR_ARGUMENT;
    return RC_OK;
}

size_t rc_recurrent_state_floats(const rc_recurrent *l) {
    if (l == NULL) return 0;
    return (l->cell == RC_CELL_LSTM ? 2 : 1) * (size_t)l->hidden;
}

static size_t rc_max(size_t a, size_t b) { return a > b ? a : b; }

size_t rc_recurrent_scratch_bytes(const rc_recurrent *l, size_t nvec) {
    if (l == NULL) return 0;
    size_t gh = rc_cell_gates(l->cell) * (size_t)l->hidden;
    size_t lin = rc_max(rc_linear_scratch_bytes(&l->w_ih, nvec), rc_linear_scratch_bytes(&l->w_hh, nvec));
    return 2 * rc_align_up(nvec * gh * sizeof(float)) + lin;
}

rc_status rc_recurrent_step(const rc_kernels *k, const rc_recurrent *l,
                            const float *x, size_t x_stride, size_t nvec,
                            float *state, void *scratch) {
    if (k == NULL || l == NULL || x == NULL || state == NULL || scratch == NULL || nvec == 0) {
        return RC_ERR_ARGUMENT;
    }
    size_t hidden = l->hidden;
    size_t gh = rc_cell_gates(l->cell) * hidden;
    if (gh == 0) return RC_ERR_ARGUMENT;
    size_t distinct = x_stride == 0 ? 1 : nvec;
    float *u = (float *)scratch;
    float *w = (float *)((char *)scratch + rc_align_up(nvec * gh * sizeof(float)));
    void *lin = (char *)w + rc_align_up(nvec * gh * sizeof(float));

    rc_status st = rc_linear(k, &l->w_ih, l->b_ih, x, x_stride, distinct, u, lin);
    if (st != RC_OK) return st;
    st = rc_linear(k, &l->w_hh, l->b_hh, state, rc_recurrent_state_floats(l), nvec, w, lin);
    if (st != RC_OK) return st;

    size_t u_stride = x_stride == 0 ? 0 : gh;
    switch (l->cell) {
    case RC_CELL_LSTM:
        rc_lstm_update(k, hidden, u, u_stride, w, nvec, state);
        return RC_OK;
    case RC_CELL_GRU:
        rc_gru_update(k, hidden, u, u_stride, w, nvec, state);
        return RC_OK;
    case RC_CELL_RNN_TANH:
    case RC_CELL_RNN_RELU:
        rc_rnn_update(k, l->cell, hidden, u, u_stride, w, nvec, state);
        return RC_OK;
    }
    return RC_ERR_ARGUMENT;
}
