/*
 * activations.c — exp, sigmoid, tanh, softmax and relu built from a fixed sequence of
 * IEEE single-precision operations (no FMA, no libm transcendental), so that
 * every compiler and architecture produces the same bits.
 *
 * exp: x = n ln2 + r with n = round(x log2 e) and a two-part ln2 (Cody–Waite),
 * |r| ≤ ln2/2; exp(r) by a degree-6 polynomial (Cephes expf's minimax
 * coefficients); 2^n applied as two exact power-of-two factors.
 * tanh: an odd polynomial below |x| = 0.625 (Cephes tanhf's coefficients),
 * 1 - 2/(exp(2|x|) + 1) above, with the sign of x.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* 2^e for e in [-126, 127] as an exact float. */
static inline float rc_pow2i(int32_t e) {
    uint32_t bits = (uint32_t)(e + 127) << 23;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

float rc_exp(float x) {
    if (x != x) return x;
    if (x > 88.72283f) return HUGE_VALF;
    if (x < -87.33654f) return 0.0f; /* results below FLT_MIN flush to zero */
    /* n = round(x / ln2): adding and removing 1.5 * 2^23 rounds to nearest even. */
    float t = x * 1.44269504088896341f;
    float n = (t + 12582912.0f) - 12582912.0f;
    /* r = x - n ln2, ln2 = 0.693359375 - 2.12194440e-4 (the first part is exact times n). */
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r;
    p = p + 1.0f;
    int32_t ni = (int32_t)n;          /* in [-126, 128] */
    int32_t half = ni / 2;            /* two factors keep each exponent in range */
    return (p * rc_pow2i(half)) * rc_pow2i(ni - half);
}

float rc_sigmoid(float x) {
    return 1.0f / (1.0f + rc_exp(-x));
}

float rc_tanh(float x) {
    float a = x < 0.0f ? -x : x;
    if (a == 0.0f) return x; /* keeps the sign of zero */
    if (a < 0.625f) {
        float z = x * x;
        float p = -5.70498872745e-3f;
        p = p * z + 2.06390887954e-2f;
        p = p * z - 5.37397155531e-2f;
        p = p * z + 1.33314422036e-1f;
        p = p * z - 3.33332819422e-1f;
        return (p * z) * x + x;
    }
    if (a != a) return x;
    float t = 1.0f - 2.0f / (rc_exp(a + a) + 1.0f);
    return x < 0.0f ? -t : t;
}

void rc_softmax(float *x, size_t n) {
    if (x == NULL || n == 0) return;
    float m = rc_softmax_max(x, n);
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) {
        x[i] = rc_exp(x[i] - m);
        sum = sum + x[i];
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = x[i] / sum;
    }
}

void rc_ref_sigmoid(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = rc_sigmoid(x[i]);
}

void rc_ref_tanh(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = rc_tanh(x[i]);
}

void rc_relu(float *x, size_t n) {
    if (x == NULL) return;
    for (size_t i = 0; i < n; i++) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
