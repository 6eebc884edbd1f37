/*
 * kernels_armv7.c — 32-bit ARM with NEON (built with -mfpu=neon*).
 *
 * Only the int8 product is vectorised: vmull_s8 + vpadalq_s16, exact as on
 * aarch64. The float kernels stay the scalar reference on purpose: armv7 NEON
 * flushes denormals to zero and has no IEEE vector division, so NEON float
 * code could not give the reference's bits; the scalar code runs on VFP,
 * which is IEEE.
 */
#include "internal.h"

#if defined(__arm__) && defined(__ARM_NEON)

#include <arm_neon.h>
#include <string.h>

/* acc += w·x over 16 bytes: two widening multiplies, pairwise add into int32. */
static inline int32x4_t rc_armv7_dot16(int32x4_t acc, int8x16_t w, int8x16_t x) {
    acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(w), vget_low_s8(x)));
    return vpadalq_s16(acc, vmull_s8(vget_high_s8(w), vget_high_s8(x)));
}

/* The sum of the four lanes of a. */
static inline int32_t rc_armv7_sum(int32x4_t a) {
    int32x2_t s = vadd_s32(vget_low_s32(a), vget_high_s32(a));
    return vget_lane_s32(vpadd_s32(s, s), 0);
}

/* Σ over all columns for four rows of stride `cols`, into out[0..3]. */
static inline void rc_armv7_rows4_q8(const int8_t *w, size_t cols, const int8_t *x, int32_t *out) {
    const int8_t *w0 = w, *w1 = w + cols, *w2 = w + 2 * cols, *w3 = w + 3 * cols;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        int8x16_t xv = vld1q_s8(x + c);
        a0 = rc_armv7_dot16(a0, vld1q_s8(w0 + c), xv);
        a1 = rc_armv7_dot16(a1, vld1q_s8(w1 + c), xv);
        a2 = rc_armv7_dot16(a2, vld1q_s8(w2 + c), xv);
        a3 = rc_armv7_dot16(a3, vld1q_s8(w3 + c), xv);
    }
    if (c + 8 <= cols) {
        int8x8_t xv = vld1_s8(x + c);
        a0 = vpadalq_s16(a0, vmull_s8(vld1_s8(w0 + c), xv));
        a1 = vpadalq_s16(a1, vmull_s8(vld1_s8(w1 + c), xv));
        a2 = vpadalq_s16(a2, vmull_s8(vld1_s8(w2 + c), xv));
        a3 = vpadalq_s16(a3, vmull_s8(vld1_s8(w3 + c), xv));
        c += 8;
    }
    size_t n = cols - c;
    out[0] = rc_armv7_sum(a0) + rc_ref_dot_q8(w0 + c, x + c, n);
    out[1] = rc_armv7_sum(a1) + rc_ref_dot_q8(w1 + c, x + c, n);
    out[2] = rc_armv7_sum(a2) + rc_ref_dot_q8(w2 + c, x + c, n);
    out[3] = rc_armv7_sum(a3) + rc_ref_dot_q8(w3 + c, x + c, n);
}

static int32_t rc_armv7_row_q8(const int8_t *w, size_t cols, const int8_t *x) {
    int32x4_t a = vdupq_n_s32(0);
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        a = rc_armv7_dot16(a, vld1q_s8(w + c), vld1q_s8(x + c));
    }
    return rc_armv7_sum(a) + rc_ref_dot_q8(w + c, x + c, cols - c);
}

static void rc_armv7_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                               const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * cols;
        int32_t *out = acc + v * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            rc_armv7_rows4_q8(w + r * cols, cols, xv, out + r);
        }
        for (; r < rows; r++) {
            out[r] = rc_armv7_row_q8(w + r * cols, cols, xv);
        }
    }
}

/*
 * The packed layout (recur_core.h), as on aarch64's baseline NEON: per 16-byte
 * quarter (four rows × four columns), vmull_s8 of each half against x's four bytes
 * twice, vpadalq_s16 into [r0 r0 r1 r1] / [r2 r2 r3 r3], one pairwise add per four
 * rows at the end. No row tails, no scalar code.
 */
static inline void rc_armv7_quarter(int32x4_t *lo, int32x4_t *hi, const int8_t *w, int8x8_t x) {
    int8x16_t wv = vld1q_s8(w);
    *lo = vpadalq_s16(*lo, vmull_s8(vget_low_s8(wv), x));
    *hi = vpadalq_s16(*hi, vmull_s8(vget_high_s8(wv), x));
}

/* [r0 r1 r2 r3] from [r0 r0 r1 r1] and [r2 r2 r3 r3]. */
static inline int32x4_t rc_armv7_rows4(int32x4_t lo, int32x4_t hi) {
    return vcombine_s32(vpadd_s32(vget_low_s32(lo), vget_high_s32(lo)),
                        vpadd_s32(vget_low_s32(hi), vget_high_s32(hi)));
}

static void rc_armv7_matvec_q8_packed(const int8_t *p, size_t rows, size_t cols,
                                      const int8_t *x, size_t nvec, int32_t *acc) {
    const size_t chunks = rc_pack_cols(cols) / 4, groups = rc_pack_rows(rows) / 16;
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * chunks * 4;
        int32_t *out = acc + v * groups * 16;
        for (size_t g = 0; g < groups; g++) {
            const int8_t *b = p + g * chunks * 64;
            int32x4_t l0 = vdupq_n_s32(0), h0 = l0, l1 = l0, h1 = l0, l2 = l0, h2 = l0, l3 = l0, h3 = l0;
            for (size_t k = 0; k < chunks; k++) {
                int32_t x4;
                memcpy(&x4, xv + 4 * k, 4);
                int8x8_t xb = vreinterpret_s8_s32(vdup_n_s32(x4));
                const int8_t *w = b + 64 * k;
                rc_armv7_quarter(&l0, &h0, w, xb);
                rc_armv7_quarter(&l1, &h1, w + 16, xb);
                rc_armv7_quarter(&l2, &h2, w + 32, xb);
                rc_armv7_quarter(&l3, &h3, w + 48, xb);
            }
            vst1q_s32(out + 16 * g, rc_armv7_rows4(l0, h0));
            vst1q_s32(out + 16 * g + 4, rc_armv7_rows4(l1, h1));
            vst1q_s32(out + 16 * g + 8, rc_armv7_rows4(l2, h2));
            vst1q_s32(out + 16 * g + 12, rc_armv7_rows4(l3, h3));
        }
    }
}

const struct rc_kernels rc_kernels_armv7_table = {
    .path = RC_PATH_ARMV7_NEON,
    .matvec_q8 = rc_armv7_matvec_q8,
    .matvec_q8_packed = rc_armv7_matvec_q8_packed,
    .matvec_f32 = rc_ref_matvec_f32, /* scalar on purpose: see the top of this file */
    .matvec_f32_packed = NULL,
    .quantize_q8 = rc_quantize_q8,
    .sigmoid = rc_ref_sigmoid,
    .tanh = rc_ref_tanh,
};

#endif /* __arm__ && __ARM_NEON */
