/*
 * kernels_neon.c — the aarch64 NEON kernels (baseline: every aarch64 CPU has them).
 *
 * int8: vmull_s8 widens byte products to int16 (|w·x| ≤ 127·127 fits), and
 * vpadalq_s16 adds pairs into int32 lanes: exact, so any order of integer
 * additions gives the reference's result.
 *
 * f32: lanes 0..3 of `lo` and 0..3 of `hi` are the contract's partial sums
 * p_0..p_3 and p_4..p_7 (a multiply, then an add; no fused instruction).
 *
 * sigmoid/tanh: the reference's operation sequence lane by lane with selects.
 * aarch64 NEON arithmetic is IEEE (denormals kept, correctly rounded vdivq),
 * so the same operations give the same bits as the scalar code.
 */
#include "internal.h"

#if defined(__aarch64__)

#include <arm_neon.h>
#include <string.h>

/* ---- int8 ---------------------------------------------------------------- */

/* acc += w·x over 16 bytes: two widening multiplies, pairwise add into int32. */
static inline int32x4_t rc_neon_dot16(int32x4_t acc, int8x16_t w, int8x16_t x) {
    acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(w), vget_low_s8(x)));
    return vpadalq_s16(acc, vmull_high_s8(w, x));
}

/* Σ over all columns for four rows of stride `cols`: [r0, r1, r2, r3]. */
static inline int32x4_t rc_neon_rows4_q8(const int8_t *w, size_t cols, const int8_t *x) {
    const int8_t *w0 = w, *w1 = w + cols, *w2 = w + 2 * cols, *w3 = w + 3 * cols;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        int8x16_t xv = vld1q_s8(x + c);
        a0 = rc_neon_dot16(a0, vld1q_s8(w0 + c), xv);
        a1 = rc_neon_dot16(a1, vld1q_s8(w1 + c), xv);
        a2 = rc_neon_dot16(a2, vld1q_s8(w2 + c), xv);
        a3 = rc_neon_dot16(a3, vld1q_s8(w3 + c), xv);
    }
    if (c + 8 <= cols) {
        int8x8_t xv = vld1_s8(x + c);
        a0 = vpadalq_s16(a0, vmull_s8(vld1_s8(w0 + c), xv));
        a1 = vpadalq_s16(a1, vmull_s8(vld1_s8(w1 + c), xv));
        a2 = vpadalq_s16(a2, vmull_s8(vld1_s8(w2 + c), xv));
        a3 = vpadalq_s16(a3, vmull_s8(vld1_s8(w3 + c), xv));
        c += 8;
    }
    int32x4_t sums = vpaddq_s32(vpaddq_s32(a0, a1), vpaddq_s32(a2, a3));
    if (c < cols) {
        size_t n = cols - c;
        int32_t tail[4] = {
            rc_ref_dot_q8(w0 + c, x + c, n), rc_ref_dot_q8(w1 + c, x + c, n),
            rc_ref_dot_q8(w2 + c, x + c, n), rc_ref_dot_q8(w3 + c, x + c, n),
        };
        sums = vaddq_s32(sums, vld1q_s32(tail));
    }
    return sums;
}

static int32_t rc_neon_row_q8(const int8_t *w, size_t cols, const int8_t *x) {
    int32x4_t a = vdupq_n_s32(0);
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        a = rc_neon_dot16(a, vld1q_s8(w + c), vld1q_s8(x + c));
    }
    return vaddvq_s32(a) + rc_ref_dot_q8(w + c, x + c, cols - c);
}

static void rc_neon_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                              const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * cols;
        int32_t *out = acc + v * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            vst1q_s32(out + r, rc_neon_rows4_q8(w + r * cols, cols, xv));
        }
        for (; r < rows; r++) {
            out[r] = rc_neon_row_q8(w + r * cols, cols, xv);
        }
    }
}

/*
 * The packed layout (recur_core.h): a 16-byte quarter of a block is four rows × four
 * columns. vmull_s8 of its low half against x's four bytes twice gives the eight
 * products of rows 0–1, vmull_high_s8 those of rows 2–3 (|w·x| ≤ 16129 fits int16),
 * and vpadalq_s16 adds pairs into int32 lanes [r0 r0 r1 r1] / [r2 r2 r3 r3]; one
 * vpaddq per four rows at the end gives [r0 r1 r2 r3]. No row tails: padding is zero.
 */
static inline int8x16_t rc_neon_x4(const int8_t *x) {
    int32_t x4;
    memcpy(&x4, x, 4);
    return vreinterpretq_s8_s32(vdupq_n_s32(x4));
}

static inline void rc_neon_quarter(int32x4_t *lo, int32x4_t *hi, const int8_t *w, int8x16_t x) {
    int8x16_t wv = vld1q_s8(w);
    *lo = vpadalq_s16(*lo, vmull_s8(vget_low_s8(wv), vget_low_s8(x)));
    *hi = vpadalq_s16(*hi, vmull_high_s8(wv, x));
}

static void rc_neon_matvec_q8_packed(const int8_t *p, size_t rows, size_t cols,
                                     const int8_t *x, size_t nvec, int32_t *acc) {
    const size_t chunks = rc_pack_cols(cols) / 4, groups = rc_pack_rows(rows) / 16;
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * chunks * 4;
        int32_t *out = acc + v * groups * 16;
        for (size_t g = 0; g < groups; g++) {
            const int8_t *b = p + g * chunks * 64;
            int32x4_t l0 = vdupq_n_s32(0), h0 = l0, l1 = l0, h1 = l0, l2 = l0, h2 = l0, l3 = l0, h3 = l0;
            for (size_t k = 0; k < chunks; k++) {
                int8x16_t xb = rc_neon_x4(xv + 4 * k);
                const int8_t *w = b + 64 * k;
                rc_neon_quarter(&l0, &h0, w, xb);
                rc_neon_quarter(&l1, &h1, w + 16, xb);
                rc_neon_quarter(&l2, &h2, w + 32, xb);
                rc_neon_quarter(&l3, &h3, w + 48, xb);
            }
            vst1q_s32(out + 16 * g, vpaddq_s32(l0, h0));
            vst1q_s32(out + 16 * g + 4, vpaddq_s32(l1, h1));
            vst1q_s32(out + 16 * g + 8, vpaddq_s32(l2, h2));
            vst1q_s32(out + 16 * g + 12, vpaddq_s32(l3, h3));
        }
    }
}

/* ---- f32 ----------------------------------------------------------------- */

/* One row: the eight partial sums in two registers, then the shared finish. */
static inline float rc_neon_row_f32(const float *w, const float *x, size_t body, size_t cols) {
    float32x4_t lo = vdupq_n_f32(0.0f), hi = lo;
    for (size_t c = 0; c < body; c += 8) {
        lo = vaddq_f32(lo, vmulq_f32(vld1q_f32(w + c), vld1q_f32(x + c)));
        hi = vaddq_f32(hi, vmulq_f32(vld1q_f32(w + c + 4), vld1q_f32(x + c + 4)));
    }
    float p[8];
    vst1q_f32(p, lo);
    vst1q_f32(p + 4, hi);
    return rc_ref_f32_finish(p, w, x, body, cols);
}

void rc_neon_matvec_f32(const float *w, size_t rows, size_t cols,
                        const float *x, size_t nvec, float *y) {
    size_t body = cols - cols % 8;
    for (size_t v = 0; v < nvec; v++) {
        for (size_t r = 0; r < rows; r++) {
            y[v * rows + r] = rc_neon_row_f32(w + r * cols, x + v * cols, body, cols);
        }
    }
}

/* The packed f32 layout (recur_core.h, rc_pack_f32): a group's column is two vectors,
 * rows 0–3 (lo) and 4–7 (hi). Accumulator j holds every row's contract partial sum
 * p_j (a multiply by x[c + j], then an add); the reduction tree and the tail are the
 * contract's on whole vectors, so each row gets the reference's operations in order. */
static inline void rc_neon_col8(float32x4_t *lo, float32x4_t *hi, const float *w, float x) {
    *lo = vaddq_f32(*lo, vmulq_n_f32(vld1q_f32(w), x));
    *hi = vaddq_f32(*hi, vmulq_n_f32(vld1q_f32(w + 4), x));
}

static inline float32x4_t rc_neon_tree(float32x4_t p0, float32x4_t p1, float32x4_t p2, float32x4_t p3,
                                        float32x4_t p4, float32x4_t p5, float32x4_t p6, float32x4_t p7) {
    return vaddq_f32(vaddq_f32(vaddq_f32(p0, p4), vaddq_f32(p2, p6)),
                     vaddq_f32(vaddq_f32(p1, p5), vaddq_f32(p3, p7)));
}

void rc_neon_matvec_f32_packed(const float *pk, size_t rows, size_t cols,
                               const float *x, size_t nvec, float *y) {
    const size_t body = cols - cols % 8, groups = (rows + 7) / 8;
    for (size_t v = 0; v < nvec; v++) {
        const float *xv = x + v * cols;
        float *out = y + v * rows;
        for (size_t g = 0; g < groups; g++) {
            const float *G = pk + g * cols * 8;
            float32x4_t l0 = vdupq_n_f32(0.0f), l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0, l6 = l0, l7 = l0;
            float32x4_t h0 = l0, h1 = l0, h2 = l0, h3 = l0, h4 = l0, h5 = l0, h6 = l0, h7 = l0;
            for (size_t c = 0; c < body; c += 8) {
                const float *w = G + c * 8;
                rc_neon_col8(&l0, &h0, w, xv[c]);
                rc_neon_col8(&l1, &h1, w + 8, xv[c + 1]);
                rc_neon_col8(&l2, &h2, w + 16, xv[c + 2]);
                rc_neon_col8(&l3, &h3, w + 24, xv[c + 3]);
                rc_neon_col8(&l4, &h4, w + 32, xv[c + 4]);
                rc_neon_col8(&l5, &h5, w + 40, xv[c + 5]);
                rc_neon_col8(&l6, &h6, w + 48, xv[c + 6]);
                rc_neon_col8(&l7, &h7, w + 56, xv[c + 7]);
            }
            float32x4_t sl = rc_neon_tree(l0, l1, l2, l3, l4, l5, l6, l7);
            float32x4_t sh = rc_neon_tree(h0, h1, h2, h3, h4, h5, h6, h7);
            for (size_t c = body; c < cols; c++) rc_neon_col8(&sl, &sh, G + c * 8, xv[c]);
            if (8 * g + 8 <= rows) {
                vst1q_f32(out + 8 * g, sl);
                vst1q_f32(out + 8 * g + 4, sh);
            } else {
                float lanes[8];
                vst1q_f32(lanes, sl);
                vst1q_f32(lanes + 4, sh);
                memcpy(out + 8 * g, lanes, (rows - 8 * g) * sizeof(float));
            }
        }
    }
}

/* ---- activations --------------------------------------------------------- */

static inline float32x4_t rc_neon_madd(float32x4_t p, float32x4_t r, float c) {
    return vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(c));
}

/* rc_exp lane by lane (activations.c). */
static inline float32x4_t rc_neon_exp(float32x4_t x) {
    const float32x4_t shifter = vdupq_n_f32(12582912.0f);
    float32x4_t t = vmulq_f32(x, vdupq_n_f32(1.44269504088896341f));
    float32x4_t n = vsubq_f32(vaddq_f32(t, shifter), shifter);
    float32x4_t r = vsubq_f32(x, vmulq_f32(n, vdupq_n_f32(0.693359375f)));
    r = vsubq_f32(r, vmulq_f32(n, vdupq_n_f32(-2.12194440e-4f)));
    float32x4_t p = vdupq_n_f32(1.9875691500e-4f);
    p = rc_neon_madd(p, r, 1.3981999507e-3f);
    p = rc_neon_madd(p, r, 8.3334519073e-3f);
    p = rc_neon_madd(p, r, 4.1665795894e-2f);
    p = rc_neon_madd(p, r, 1.6666665459e-1f);
    p = rc_neon_madd(p, r, 5.0000001201e-1f);
    p = vaddq_f32(vmulq_f32(p, vmulq_f32(r, r)), r);
    p = vaddq_f32(p, vdupq_n_f32(1.0f));
    /* ni / 2 rounds toward zero in C: add the sign bit before the arithmetic shift. */
    int32x4_t ni = vcvtq_s32_f32(n);
    int32x4_t half = vshrq_n_s32(vaddq_s32(ni, vreinterpretq_s32_u32(vshrq_n_u32(vreinterpretq_u32_s32(ni), 31))), 1);
    int32x4_t rest = vsubq_s32(ni, half);
    const int32x4_t bias = vdupq_n_s32(127);
    float32x4_t f1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(half, bias), 23));
    float32x4_t f2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(rest, bias), 23));
    float32x4_t e = vmulq_f32(vmulq_f32(p, f1), f2);
    e = vbslq_f32(vcgtq_f32(x, vdupq_n_f32(88.72283f)), vdupq_n_f32(__builtin_inff()), e);
    e = vbslq_f32(vcltq_f32(x, vdupq_n_f32(-87.33654f)), vdupq_n_f32(0.0f), e);
    return vbslq_f32(vceqq_f32(x, x), e, x); /* NaN passes through */
}

static inline float32x4_t rc_neon_sigmoid4(float32x4_t x) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    return vdivq_f32(one, vaddq_f32(one, rc_neon_exp(vnegq_f32(x))));
}

static inline float32x4_t rc_neon_tanh4(float32x4_t x) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    float32x4_t a = vabsq_f32(x);
    float32x4_t z = vmulq_f32(x, x);
    float32x4_t p = vdupq_n_f32(-5.70498872745e-3f);
    p = rc_neon_madd(p, z, 2.06390887954e-2f);
    p = vsubq_f32(vmulq_f32(p, z), vdupq_n_f32(5.37397155531e-2f));
    p = rc_neon_madd(p, z, 1.33314422036e-1f);
    p = vsubq_f32(vmulq_f32(p, z), vdupq_n_f32(3.33332819422e-1f));
    float32x4_t small = vaddq_f32(vmulq_f32(vmulq_f32(p, z), x), x);
    float32x4_t e = rc_neon_exp(vaddq_f32(a, a));
    float32x4_t t = vsubq_f32(one, vdivq_f32(vdupq_n_f32(2.0f), vaddq_f32(e, one)));
    float32x4_t large = vbslq_f32(vcltq_f32(x, vdupq_n_f32(0.0f)), vnegq_f32(t), t);
    float32x4_t result = vbslq_f32(vcltq_f32(a, vdupq_n_f32(0.625f)), small, large);
    /* a == 0 (keeps the sign of zero) or NaN (a != a): x itself. */
    uint32x4_t keep = vorrq_u32(vceqq_f32(a, vdupq_n_f32(0.0f)), vmvnq_u32(vceqq_f32(a, a)));
    return vbslq_f32(keep, x, result);
}

void rc_neon_sigmoid(float *x, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(x + i, rc_neon_sigmoid4(vld1q_f32(x + i)));
    rc_ref_sigmoid(x + i, n - i);
}

void rc_neon_tanh(float *x, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(x + i, rc_neon_tanh4(vld1q_f32(x + i)));
    rc_ref_tanh(x + i, n - i);
}

/* linear.c's rescale, 4 lanes: (float)acc * (scale * s) + bias, same order. */
void rc_neon_rescale_q8(const int32_t *acc, const float *scale, float s, const float *bias, size_t n, float *y) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vmulq_f32(vcvtq_f32_s32(vld1q_s32(acc + i)), vmulq_n_f32(vld1q_f32(scale + i), s));
        if (bias != NULL) v = vaddq_f32(v, vld1q_f32(bias + i));
        vst1q_f32(y + i, v);
    }
    for (; i < n; i++) {
        y[i] = (float)acc[i] * (scale[i] * s);
        if (bias != NULL) y[i] = y[i] + bias[i];
    }
}

/* lstm.c's gate update for 4 hidden units at once; the tail unit by unit. */
void rc_neon_lstm_update(size_t H, const float *u, const float *w, float *h, float *c) {
    size_t j = 0;
    for (; j + 4 <= H; j += 4) {
        float32x4_t gi = rc_neon_sigmoid4(vaddq_f32(vld1q_f32(u + j), vld1q_f32(w + j)));
        float32x4_t gf = rc_neon_sigmoid4(vaddq_f32(vld1q_f32(u + H + j), vld1q_f32(w + H + j)));
        float32x4_t gg = rc_neon_tanh4(vaddq_f32(vld1q_f32(u + 2 * H + j), vld1q_f32(w + 2 * H + j)));
        float32x4_t go = rc_neon_sigmoid4(vaddq_f32(vld1q_f32(u + 3 * H + j), vld1q_f32(w + 3 * H + j)));
        float32x4_t cv = vaddq_f32(vmulq_f32(gf, vld1q_f32(c + j)), vmulq_f32(gi, gg));
        vst1q_f32(c + j, cv);
        vst1q_f32(h + j, vmulq_f32(go, rc_neon_tanh4(cv)));
    }
    for (; j < H; j++) rc_lstm_unit(H, j, u, w, h, c);
}

const struct rc_kernels rc_kernels_neon_table = {
    .path = RC_PATH_NEON,
    .matvec_q8 = rc_neon_matvec_q8,
    .matvec_q8_packed = rc_neon_matvec_q8_packed,
    .matvec_f32 = rc_neon_matvec_f32,
    .matvec_f32_packed = rc_neon_matvec_f32_packed,
    .quantize_q8 = rc_quantize_q8,
    .sigmoid = rc_neon_sigmoid,
    .tanh = rc_neon_tanh,
    .rescale_q8 = rc_neon_rescale_q8,
    .lstm_update = rc_neon_lstm_update,
};

#endif /* __aarch64__ */
