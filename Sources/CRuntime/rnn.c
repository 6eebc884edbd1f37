/*
 * rnn.c — the vanilla RNN update.
 *
 *   h' = act((W_ih x + b_ih) + (W_hh h + b_hh)),  act = tanh or relu (x > 0 ? x : 0)
 */
#include "internal.h"

#include <string.h>

void rc_rnn_update(const rc_kernels *k, rc_cell cell, size_t hidden, const float *u,
                   size_t u_stride, float *w, size_t nvec, float *state) {
    size_t H = hidden;
    for (size_t v = 0; v < nvec; v++) {
        float *a = w + v * H;              /* (H) */
        const float *uv = u + v * u_stride;
        for (size_t j = 0; j < H; j++) a[j] = uv[j] + a[j];
        if (cell == RC_CELL_RNN_TANH) {
            k->tanh(a, H);
        } else {
            for (size_t j = 0; j < H; j++) a[j] = a[j] > 0.0f ? a[j] : 0.0f;
        }
        memcpy(state + v * H, a, H * sizeof(float));
    }
}
