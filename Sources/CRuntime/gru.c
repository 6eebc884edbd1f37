/*
 * gru.c — the GRU gate update (PyTorch order r, z, n; b_hn inside the reset).
 *
 *   u = W_ih x + b_ih,  v = W_hh h + b_hh
 *   r = σ(u_r + v_r)    z = σ(u_z + v_z)
 *   n = tanh(u_n + (r * v_n))
 *   h' = ((1 - z) * n) + (z * h)
 */
#include "internal.h"

void rc_gru_update(const rc_kernels *k, size_t hidden, const float *u, size_t u_stride,
                   float *w, size_t nvec, float *state) {
    size_t H = hidden;
    for (size_t v = 0; v < nvec; v++) {
        float *b = w + v * 3 * H;          /* (3H) r | z | n, holding W_hh h + b_hh */
        const float *uv = u + v * u_stride;
        float *h = state + v * H;          /* (H) */
        for (size_t j = 0; j < 2 * H; j++) b[j] = uv[j] + b[j];
        k->sigmoid(b, 2 * H);
        for (size_t j = 0; j < H; j++) {
            b[2 * H + j] = uv[2 * H + j] + (b[j] * b[2 * H + j]);
        }
        k->tanh(b + 2 * H, H);
        for (size_t j = 0; j < H; j++) {
            float z = b[H + j];
            h[j] = ((1.0f - z) * b[2 * H + j]) + (z * h[j]);
        }
    }
}
