/*
 * kernels_neon_dotprod.c — aarch64 with the dot-product extension (SDOT):
 * vdotq_s32 adds four byte products into each int32 lane (exact). Compiled
 * for every aarch64 build through a target attribute (gcc 12 wants the
 * "arch=" form) and chosen at run time only when getauxval reports ASIMDDP.
 * The float kernels are the baseline NEON ones.
 */
#include "internal.h"

#if defined(__aarch64__)

#include <arm_neon.h>
#include <string.h>

#define RC_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))

/* Σ over all columns for four rows of stride `cols`: [r0, r1, r2, r3]. */
RC_DOTPROD static inline int32x4_t rc_dotprod_rows4_q8(const int8_t *w, size_t cols, const int8_t *x) {
    const int8_t *w0 = w, *w1 = w + cols, *w2 = w + 2 * cols, *w3 = w + 3 * cols;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        int8x16_t xv = vld1q_s8(x + c);
        a0 = vdotq_s32(a0, vld1q_s8(w0 + c), xv);
        a1 = vdotq_s32(a1, vld1q_s8(w1 + c), xv);
        a2 = vdotq_s32(a2, vld1q_s8(w2 + c), xv);
        a3 = vdotq_s32(a3, vld1q_s8(w3 + c), xv);
    }
    if (c + 8 <= cols) {
        /* Eight bytes of two rows per register: w0 | w1 and w2 | w3. */
        int8x16_t xv = vcombine_s8(vld1_s8(x + c), vld1_s8(x + c));
        int32x4_t d01 = vdotq_s32(vdupq_n_s32(0), vcombine_s8(vld1_s8(w0 + c), vld1_s8(w1 + c)), xv);
        int32x4_t d23 = vdotq_s32(vdupq_n_s32(0), vcombine_s8(vld1_s8(w2 + c), vld1_s8(w3 + c)), xv);
        /* d01 = r0 r0 r1 r1: route each row's pair into its own accumulator. */
        a0 = vaddq_s32(a0, vcombine_s32(vget_low_s32(d01), vdup_n_s32(0)));
        a1 = vaddq_s32(a1, vcombine_s32(vget_high_s32(d01), vdup_n_s32(0)));
        a2 = vaddq_s32(a2, vcombine_s32(vget_low_s32(d23), vdup_n_s32(0)));
        a3 = vaddq_s32(a3, vcombine_s32(vget_high_s32(d23), vdup_n_s32(0)));
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

RC_DOTPROD static int32_t rc_dotprod_row_q8(const int8_t *w, size_t cols, const int8_t *x) {
    int32x4_t a = vdupq_n_s32(0);
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
        a = vdotq_s32(a, vld1q_s8(w + c), vld1q_s8(x + c));
    }
    return vaddvq_s32(a) + rc_ref_dot_q8(w + c, x + c, cols - c);
}

RC_DOTPROD static void rc_dotprod_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                                            const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * cols;
        int32_t *out = acc + v * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            vst1q_s32(out + r, rc_dotprod_rows4_q8(w + r * cols, cols, xv));
        }
        for (; r < rows; r++) {
            out[r] = rc_dotprod_row_q8(w + r * cols, cols, xv);
        }
    }
}

/*
 * The packed layout (recur_core.h): a 16-byte quarter of a block is four rows × four
 * columns, exactly SDOT's shape: vdotq_s32 of it against x's four bytes in every
 * lane adds each row's four products into that row's lane. Two groups (32 rows, eight
 * accumulators) share each broadcast of x; no reduction, no row tails.
 */
RC_DOTPROD static inline int8x16_t rc_dotprod_x4(const int8_t *x) {
    int32_t x4;
    memcpy(&x4, x, 4);
    return vreinterpretq_s8_s32(vdupq_n_s32(x4));
}

/* The sums of `n` (1 or 2, a constant after inlining) consecutive groups at b, into out. */
RC_DOTPROD static inline void rc_dotprod_groups_q8(const int8_t *b, size_t group_bytes, size_t chunks,
                                                   const int8_t *x, size_t n, int32_t *out) {
    const int8_t *b1 = b + group_bytes;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (size_t k = 0; k < chunks; k++) {
        int8x16_t xb = rc_dotprod_x4(x + 4 * k);
        const int8_t *w0 = b + 64 * k, *w1 = b1 + 64 * k;
        a0 = vdotq_s32(a0, vld1q_s8(w0), xb);
        a1 = vdotq_s32(a1, vld1q_s8(w0 + 16), xb);
        a2 = vdotq_s32(a2, vld1q_s8(w0 + 32), xb);
        a3 = vdotq_s32(a3, vld1q_s8(w0 + 48), xb);
        if (n == 2) {
            a4 = vdotq_s32(a4, vld1q_s8(w1), xb);
            a5 = vdotq_s32(a5, vld1q_s8(w1 + 16), xb);
            a6 = vdotq_s32(a6, vld1q_s8(w1 + 32), xb);
            a7 = vdotq_s32(a7, vld1q_s8(w1 + 48), xb);
        }
    }
    vst1q_s32(out, a0);
    vst1q_s32(out + 4, a1);
    vst1q_s32(out + 8, a2);
    vst1q_s32(out + 12, a3);
    if (n == 2) {
        vst1q_s32(out + 16, a4);
        vst1q_s32(out + 20, a5);
        vst1q_s32(out + 24, a6);
        vst1q_s32(out + 28, a7);
    }
}

RC_DOTPROD static void rc_dotprod_matvec_q8_packed(const int8_t *p, size_t rows, size_t cols,
                                                   const int8_t *x, size_t nvec, int32_t *acc) {
    const size_t chunks = rc_pack_cols(cols) / 4, groups = rc_pack_rows(rows) / 16;
    const size_t group_bytes = chunks * 64;
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * chunks * 4;
        int32_t *out = acc + v * groups * 16;
        size_t g = 0;
        for (; g + 2 <= groups; g += 2) rc_dotprod_groups_q8(p + g * group_bytes, group_bytes, chunks, xv, 2, out + 16 * g);
        if (g < groups) rc_dotprod_groups_q8(p + g * group_bytes, group_bytes, chunks, xv, 1, out + 16 * g);
    }
}

const struct rc_kernels rc_kernels_neon_dotprod_table = {
    .path = RC_PATH_NEON_DOTPROD,
    .matvec_q8 = rc_dotprod_matvec_q8,
    .matvec_q8_packed = rc_dotprod_matvec_q8_packed,
    .matvec_f32 = rc_neon_matvec_f32,
    .matvec_f32_packed = rc_neon_matvec_f32_packed,
    .quantize_q8 = rc_quantize_q8,
    .sigmoid = rc_neon_sigmoid,
    .tanh = rc_neon_tanh,
    .rescale_q8 = rc_neon_rescale_q8,
    .lstm_update = rc_neon_lstm_update,
};

#endif /* __aarch64__ */
