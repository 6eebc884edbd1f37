/*
 * lstm.c — the LSTM gate update (PyTorch order i, f, g, o).
 *
 *   a  = (W_ih x + b_ih) + (W_hh h + b_hh)
 *   i  = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c' = (f * c) + (i * g)
 *   h' = o * tanh(c')
 */
#include "internal.h"

#include <string.h>

void rc_lstm_update(const rc_kernels *k, size_t hidden, const float *u, size_t u_stride,
                    float *w, size_t nvec, float *state) {
    size_t H = hidden;
    for (size_t v = 0; v < nvec; v++) {
        float *a = w + v * 4 * H;          /* (4H) i | f | g | o */
        const float *uv = u + v * u_stride;
        float *h = state + v * 2 * H;      /* (H) */
        float *c = h + H;                  /* (H) */
        if (k->lstm_update != NULL) {
            /* The path's one-pass form of the same operations. */
            k->lstm_update(H, uv, a, h, c);
            continue;
        }
        for (size_t j = 0; j < 4 * H; j++) a[j] = uv[j] + a[j];
        k->sigmoid(a, 2 * H);
        k->tanh(a + 2 * H, H);
        k->sigmoid(a + 3 * H, H);
        for (size_t j = 0; j < H; j++) {
            c[j] = (a[H + j] * c[j]) + (a[j] * a[2 * H + j]);
        }
        /* i is spent: reuse its block for tanh(c'). */
        memcpy(a, c, H * sizeof(float));
        k->tanh(a, H);
        for (size_t j = 0; j < H; j++) {
            h[j] = a[3 * H + j] * a[j];
        }
    }
}
