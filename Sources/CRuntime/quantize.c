/*
 * quantize.c — dynamic per-vector int8 quantization (recur_core.h, "Numerics").
 * O(n) and shared by every path, so that all paths see the same int8 input.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

float rc_quantize_q8(const float *x, size_t n, int8_t *q) {
    if (x == NULL || q == NULL || n == 0) return 0.0f;
    float m = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float a = fabsf(x[i]);
        if (a > m) m = a; /* NaN never compares greater: it is ignored here */
    }
    if (m == 0.0f) {
        memset(q, 0, n);
        return 0.0f;
    }
    float s = m / 127.0f;
    for (size_t i = 0; i < n; i++) {
        q[i] = rc_q8_code(x[i], s);
    }
    return s;
}

float rc_quantize_q8_with(const rc_kernels *k, const float *x, size_t n, int8_t *q) {
    if (k == NULL || x == NULL || q == NULL || n == 0) return 0.0f;
    return k->quantize_q8(x, n, q);
}
