/*
 * kernels_avx512.c — x86-64 with AVX-512 VNNI: the int8 product with
 * vpdpbusd. Compiled for every x86-64 build through a target attribute and
 * chosen at run time (dispatch.c) only when CPUID reports AVX512F, BW, VL and
 * VNNI and the OS saves the opmask and ZMM state (XCR0). The other kernels of
 * the table are the AVX2 ones (kernels_avx2.c), so the float numerics of this
 * path are those of the AVX2 path by construction.
 *
 * int8: vpdpbusd adds four products of an unsigned byte and a signed byte into
 * each int32 lane, without saturation. The product w·x is formed as
 * |x| · (x < 0 ? -w : w): |x| ≤ 127 is a valid unsigned byte, and -w cannot
 * wrap because w is never -128 (x == 0 gives |x| = 0 and a zero product). Each
 * lane adds at most 4·127·127 = 64516 per instruction, so a row of up to
 * 33,000 columns stays far from int32 overflow, and integer addition in any
 * order gives the reference's result.
 *
 * Tails: the last columns of a row are read with masked loads of both w and x,
 * which neither read nor fault outside the matrix or the vector; masked-off
 * bytes load as zero and add nothing.
 *
 * Shapes (measured against the 256-bit form of the same loop; docs/KERNELS.md):
 * rows of more than 32 columns use 64-byte blocks, 17 to 32 columns one 32-byte
 * masked load per row, at most 16 columns four rows per register (one per
 * 128-bit lane). Rows go in groups of eight, reduced together.
 */
#include "internal.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

#define RC_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/* ---- 512-bit ------------------------------------------------------------- */

/* acc + w·x in groups of four bytes, given |x| and the mask of the bytes where x < 0. */
RC_VNNI static inline __m512i rc_vnni512_dot(__m512i acc, __m512i w, __m512i x_abs, __mmask64 x_neg) {
    /* w·x = |x| · (x < 0 ? 0 - w : w) */
    __m512i w_signed = _mm512_mask_sub_epi8(w, x_neg, _mm512_setzero_si512(), w);
    return _mm512_dpbusd_epi32(acc, x_abs, w_signed);
}

/* a and b in 128-bit lanes L0..L3 → [a.L0+a.L2, a.L1+a.L3, b.L0+b.L2, b.L1+b.L3]:
 * row a in the low 256 bits, row b in the high. */
RC_VNNI static inline __m512i rc_vnni512_fold_pair(__m512i a, __m512i b) {
    __m512i lo = _mm512_shuffle_i64x2(a, b, _MM_SHUFFLE(1, 0, 1, 0)); /* a.L0 a.L1 b.L0 b.L1 */
    __m512i hi = _mm512_shuffle_i64x2(a, b, _MM_SHUFFLE(3, 2, 3, 2)); /* a.L2 a.L3 b.L2 b.L3 */
    return _mm512_add_epi32(lo, hi);
}

/* Row sums from two vectors whose 128-bit lane k holds four partial sums of
 * row k (s0123) and of row k + 4 (s4567): [Σrow0, …, Σrow7]. */
RC_VNNI static inline __m256i rc_vnni512_sum8_lanes(__m512i s0123, __m512i s4567) {
    /* Per lane, p = s0123 and q = s4567: [p0+p2, q0+q2, p1+p3, q1+q3], then [Σp, Σq, Σp, Σq]. */
    __m512i u = _mm512_add_epi32(_mm512_unpacklo_epi32(s0123, s4567), _mm512_unpackhi_epi32(s0123, s4567));
    u = _mm512_add_epi32(u, _mm512_shuffle_epi32(u, _MM_PERM_BADC));
    /* Row k sits at element 4k (k < 4) and 4(k - 4) + 1 (k ≥ 4). */
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
    return _mm512_castsi512_si256(_mm512_permutexvar_epi32(order, u));
}

/* Row sums from four vectors whose 256-bit halves hold eight partial sums of
 * one row each: t01 = [row0 | row1], t23 = [row2 | row3], … */
RC_VNNI static inline __m256i rc_vnni512_sum8_halves(__m512i t01, __m512i t23, __m512i t45, __m512i t67) {
    /* Lane k of s0123 holds four partial sums of row k; of s4567, of row k + 4. */
    __m512i s0123 = _mm512_add_epi32(_mm512_shuffle_i64x2(t01, t23, _MM_SHUFFLE(2, 0, 2, 0)),
                                     _mm512_shuffle_i64x2(t01, t23, _MM_SHUFFLE(3, 1, 3, 1)));
    __m512i s4567 = _mm512_add_epi32(_mm512_shuffle_i64x2(t45, t67, _MM_SHUFFLE(2, 0, 2, 0)),
                                     _mm512_shuffle_i64x2(t45, t67, _MM_SHUFFLE(3, 1, 3, 1)));
    return rc_vnni512_sum8_lanes(s0123, s4567);
}

/* The sums of the 16 lanes of eight accumulators: [Σa0, Σa1, …, Σa7]. */
RC_VNNI static inline __m256i rc_vnni512_sum8(__m512i a0, __m512i a1, __m512i a2, __m512i a3,
                                              __m512i a4, __m512i a5, __m512i a6, __m512i a7) {
    return rc_vnni512_sum8_halves(rc_vnni512_fold_pair(a0, a1), rc_vnni512_fold_pair(a2, a3),
                                  rc_vnni512_fold_pair(a4, a5), rc_vnni512_fold_pair(a6, a7));
}

/* Rows of at most 16 columns: four rows per register, one per 128-bit lane,
 * against x repeated in every lane. */
RC_VNNI static inline __m256i rc_vnni512_rows8_short16(const int8_t *w, const int8_t *x, size_t cols) {
    const __mmask16 m = (__mmask16)((1u << cols) - 1);
    __m512i xv = _mm512_broadcast_i32x4(_mm_maskz_loadu_epi8(m, x));
    __m512i xa = _mm512_abs_epi8(xv);
    __mmask64 neg = _mm512_movepi8_mask(xv);
    __m512i w0123 = _mm512_castsi128_si512(_mm_maskz_loadu_epi8(m, w));
    w0123 = _mm512_inserti32x4(w0123, _mm_maskz_loadu_epi8(m, w + 1 * cols), 1);
    w0123 = _mm512_inserti32x4(w0123, _mm_maskz_loadu_epi8(m, w + 2 * cols), 2);
    w0123 = _mm512_inserti32x4(w0123, _mm_maskz_loadu_epi8(m, w + 3 * cols), 3);
    __m512i w4567 = _mm512_castsi128_si512(_mm_maskz_loadu_epi8(m, w + 4 * cols));
    w4567 = _mm512_inserti32x4(w4567, _mm_maskz_loadu_epi8(m, w + 5 * cols), 1);
    w4567 = _mm512_inserti32x4(w4567, _mm_maskz_loadu_epi8(m, w + 6 * cols), 2);
    w4567 = _mm512_inserti32x4(w4567, _mm_maskz_loadu_epi8(m, w + 7 * cols), 3);
    const __m512i zero = _mm512_setzero_si512();
    return rc_vnni512_sum8_lanes(rc_vnni512_dot(zero, w0123, xa, neg), rc_vnni512_dot(zero, w4567, xa, neg));
}

/* Sums of the eight rows starting at w (row stride cols) against x. With
 * `prefetch`, each block also prefetches the same columns of the next eight
 * rows, which the caller guarantees exist. */
RC_VNNI static inline __m256i rc_vnni512_rows8(const int8_t *w, const int8_t *x, size_t cols, int prefetch) {
    const size_t body = cols - cols % 64;
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (size_t c = 0; c < body; c += 64) {
        __m512i xv = _mm512_loadu_si512(x + c);
        __m512i xa = _mm512_abs_epi8(xv);
        __mmask64 neg = _mm512_movepi8_mask(xv);
        a0 = rc_vnni512_dot(a0, _mm512_loadu_si512(w + 0 * cols + c), xa, neg);
        a1 = rc_vnni512_dot(a1, _mm512_loadu_si512(w + 1 * cols + c), xa, neg);
        a2 = rc_vnni512_dot(a2, _mm512_loadu_si512(w + 2 * cols + c), xa, neg);
        a3 = rc_vnni512_dot(a3, _mm512_loadu_si512(w + 3 * cols + c), xa, neg);
        a4 = rc_vnni512_dot(a4, _mm512_loadu_si512(w + 4 * cols + c), xa, neg);
        a5 = rc_vnni512_dot(a5, _mm512_loadu_si512(w + 5 * cols + c), xa, neg);
        a6 = rc_vnni512_dot(a6, _mm512_loadu_si512(w + 6 * cols + c), xa, neg);
        a7 = rc_vnni512_dot(a7, _mm512_loadu_si512(w + 7 * cols + c), xa, neg);
        if (prefetch) {
            for (size_t j = 8; j < 16; j++) _mm_prefetch((const char *)(w + j * cols + c), _MM_HINT_T0);
        }
    }
    if (body < cols) {
        /* The last cols - body (< 64) bytes; masked-off bytes are zero and unread. */
        const __mmask64 m = ((__mmask64)1 << (cols - body)) - 1;
        __m512i xv = _mm512_maskz_loadu_epi8(m, x + body);
        __m512i xa = _mm512_abs_epi8(xv);
        __mmask64 neg = _mm512_movepi8_mask(xv);
        a0 = rc_vnni512_dot(a0, _mm512_maskz_loadu_epi8(m, w + 0 * cols + body), xa, neg);
        a1 = rc_vnni512_dot(a1, _mm512_maskz_loadu_epi8(m, w + 1 * cols + body), xa, neg);
        a2 = rc_vnni512_dot(a2, _mm512_maskz_loadu_epi8(m, w + 2 * cols + body), xa, neg);
        a3 = rc_vnni512_dot(a3, _mm512_maskz_loadu_epi8(m, w + 3 * cols + body), xa, neg);
        a4 = rc_vnni512_dot(a4, _mm512_maskz_loadu_epi8(m, w + 4 * cols + body), xa, neg);
        a5 = rc_vnni512_dot(a5, _mm512_maskz_loadu_epi8(m, w + 5 * cols + body), xa, neg);
        a6 = rc_vnni512_dot(a6, _mm512_maskz_loadu_epi8(m, w + 6 * cols + body), xa, neg);
        a7 = rc_vnni512_dot(a7, _mm512_maskz_loadu_epi8(m, w + 7 * cols + body), xa, neg);
    }
    return rc_vnni512_sum8(a0, a1, a2, a3, a4, a5, a6, a7);
}

/* ---- 256-bit ------------------------------------------------------------- */

RC_VNNI static inline __m256i rc_vnni256_dot(__m256i acc, __m256i w, __m256i x_abs, __mmask32 x_neg) {
    /* w·x = |x| · (x < 0 ? 0 - w : w) */
    __m256i w_signed = _mm256_mask_sub_epi8(w, x_neg, _mm256_setzero_si256(), w);
    return _mm256_dpbusd_epi32(acc, x_abs, w_signed);
}

/* The sums of the eight lanes of eight accumulators: [Σa0, …, Σa7]. */
RC_VNNI static inline __m256i rc_vnni256_sum8(__m256i a0, __m256i a1, __m256i a2, __m256i a3,
                                              __m256i a4, __m256i a5, __m256i a6, __m256i a7) {
    __m256i h0123 = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
    __m256i h4567 = _mm256_hadd_epi32(_mm256_hadd_epi32(a4, a5), _mm256_hadd_epi32(a6, a7));
    /* h0123 = [r0 r1 r2 r3 | r0 r1 r2 r3] (partials of each half): add the halves. */
    return _mm256_add_epi32(_mm256_permute2x128_si256(h0123, h4567, 0x20),
                            _mm256_permute2x128_si256(h0123, h4567, 0x31));
}

/* Rows of 17 to 32 columns: one masked 32-byte load per row. */
RC_VNNI static inline __m256i rc_vnni256_rows8_short32(const int8_t *w, const int8_t *x, size_t cols) {
    const __mmask32 m = (__mmask32)((1ull << cols) - 1);
    __m256i xv = _mm256_maskz_loadu_epi8(m, x);
    __m256i xa = _mm256_abs_epi8(xv);
    __mmask32 neg = _mm256_movepi8_mask(xv);
    const __m256i zero = _mm256_setzero_si256();
    return rc_vnni256_sum8(rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 2 * cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 3 * cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 4 * cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 5 * cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 6 * cols), xa, neg),
                           rc_vnni256_dot(zero, _mm256_maskz_loadu_epi8(m, w + 7 * cols), xa, neg));
}

/* ---- the product --------------------------------------------------------- */

/* One row's sum (matrices of fewer than eight rows). */
RC_VNNI static int32_t rc_vnni512_row(const int8_t *w, const int8_t *x, size_t cols) {
    __m512i a = _mm512_setzero_si512();
    for (size_t c = 0; c < cols; c += 64) {
        /* Whole blocks, then the last cols - c (< 64) bytes with masked-off bytes zero and unread. */
        const __mmask64 m = cols - c >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << (cols - c)) - 1;
        __m512i xv = _mm512_maskz_loadu_epi8(m, x + c);
        a = rc_vnni512_dot(a, _mm512_maskz_loadu_epi8(m, w + c), _mm512_abs_epi8(xv), _mm512_movepi8_mask(xv));
    }
    return _mm512_reduce_add_epi32(a);
}

/* Sums of the eight rows starting at w, in the form that suits cols. */
RC_VNNI static inline __m256i rc_vnni_rows8(const int8_t *w, const int8_t *x, size_t cols, int prefetch) {
    if (cols <= 16) return rc_vnni512_rows8_short16(w, x, cols);
    if (cols <= 32) return rc_vnni256_rows8_short32(w, x, cols);
    return rc_vnni512_rows8(w, x, cols, prefetch);
}

/* Eight rows at a time. When rows is not a multiple of eight, the last group
 * starts at rows - 8 and overlaps the one before: it recomputes a few sums,
 * which are the same integers. Fewer than eight rows go one by one.
 *
 * Software prefetch of the next group pays off only for matrices that do not
 * stay in L1 and rows of at least 128 bytes (1024 × 256: 22 % faster; an
 * 83 × 256 matrix, which stays in L1: 20 % slower; 1024 × 64: no change). */
RC_VNNI static void rc_vnni_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                                      const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * cols;
        int32_t *out = acc + v * rows;
        if (rows < 8) {
            for (size_t r = 0; r < rows; r++) out[r] = rc_vnni512_row(w + r * cols, xv, cols);
            continue;
        }
        const int big = cols >= 128 && rows * cols > 32768;
        for (size_t r = 0; r < rows; r += 8) {
            size_t first = r + 8 <= rows ? r : rows - 8;
            int prefetch = big && first + 16 <= rows;
            _mm256_storeu_si256((__m256i *)(out + first), rc_vnni_rows8(w + first * cols, xv, cols, prefetch));
        }
    }
}

/*
 * The packed layout (recur_core.h): one 64-byte block is 16 rows × 4 columns, one
 * zmm register, and vpdpbusd of it against the four bytes of x broadcast adds each
 * row's four products into that row's int32 lane. vpdpbusd wants its first operand
 * unsigned, so it is given u = x + 128 (x XOR 0x80, in 1..255) and the weights as the
 * signed operand: Σ u·w = Σ x·w + 128·Σ w, and the second term is the layout's
 * precomputed row sum, subtracted at the end. Every term is an exact integer (a lane
 * gains at most 4·255·127 per instruction; cols ≤ 65536 keeps the sums in int32).
 * Four groups (64 rows) share each broadcast, with two chunks in flight (eight
 * independent accumulators: vpdpbusd's latency is about five cycles, so fewer chains
 * would leave it idle); a lone group runs four chunks into four accumulators.
 */
RC_VNNI static inline __m512i rc_vnni_u4(const int8_t *x) {
    uint32_t x4;
    memcpy(&x4, x, 4);
    return _mm512_set1_epi32((int)(x4 ^ 0x80808080u));
}

RC_VNNI static void rc_vnni_matvec_q8_packed(const int8_t *p, size_t rows, size_t cols,
                                             const int8_t *x, size_t nvec, int32_t *acc) {
    const size_t chunks = rc_pack_cols(cols) / 4, groups = rc_pack_rows(rows) / 16;
    const size_t group_bytes = chunks * 64;
    const int32_t *sums = (const int32_t *)(p + groups * group_bytes);
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * chunks * 4;
        int32_t *out = acc + v * groups * 16;
        size_t g = 0;
        for (; g + 4 <= groups; g += 4) {
            /* Eight accumulators: four groups × even and odd chunks, so that eight
             * independent vpdpbusd chains hide the instruction's latency. */
            const int8_t *b0 = p + g * group_bytes, *b1 = b0 + group_bytes, *b2 = b1 + group_bytes,
                         *b3 = b2 + group_bytes;
            __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
            __m512i c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            size_t k = 0;
            for (; k + 2 <= chunks; k += 2) {
                __m512i u = rc_vnni_u4(xv + 4 * k), w = rc_vnni_u4(xv + 4 * k + 4);
                a0 = _mm512_dpbusd_epi32(a0, u, _mm512_load_si512(b0 + 64 * k));
                a1 = _mm512_dpbusd_epi32(a1, u, _mm512_load_si512(b1 + 64 * k));
                a2 = _mm512_dpbusd_epi32(a2, u, _mm512_load_si512(b2 + 64 * k));
                a3 = _mm512_dpbusd_epi32(a3, u, _mm512_load_si512(b3 + 64 * k));
                c0 = _mm512_dpbusd_epi32(c0, w, _mm512_load_si512(b0 + 64 * k + 64));
                c1 = _mm512_dpbusd_epi32(c1, w, _mm512_load_si512(b1 + 64 * k + 64));
                c2 = _mm512_dpbusd_epi32(c2, w, _mm512_load_si512(b2 + 64 * k + 64));
                c3 = _mm512_dpbusd_epi32(c3, w, _mm512_load_si512(b3 + 64 * k + 64));
            }
            if (k < chunks) {
                __m512i u = rc_vnni_u4(xv + 4 * k);
                a0 = _mm512_dpbusd_epi32(a0, u, _mm512_load_si512(b0 + 64 * k));
                a1 = _mm512_dpbusd_epi32(a1, u, _mm512_load_si512(b1 + 64 * k));
                a2 = _mm512_dpbusd_epi32(a2, u, _mm512_load_si512(b2 + 64 * k));
                a3 = _mm512_dpbusd_epi32(a3, u, _mm512_load_si512(b3 + 64 * k));
            }
            const int32_t *s = sums + 16 * g;
            int32_t *o = out + 16 * g;
            _mm512_storeu_si512(o, _mm512_sub_epi32(_mm512_add_epi32(a0, c0), _mm512_loadu_si512(s)));
            _mm512_storeu_si512(o + 16, _mm512_sub_epi32(_mm512_add_epi32(a1, c1), _mm512_loadu_si512(s + 16)));
            _mm512_storeu_si512(o + 32, _mm512_sub_epi32(_mm512_add_epi32(a2, c2), _mm512_loadu_si512(s + 32)));
            _mm512_storeu_si512(o + 48, _mm512_sub_epi32(_mm512_add_epi32(a3, c3), _mm512_loadu_si512(s + 48)));
        }
        for (; g < groups; g++) {
            /* A lone group: four chunks at a time into four accumulators. */
            const int8_t *b = p + g * group_bytes;
            __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
            size_t k = 0;
            for (; k + 4 <= chunks; k += 4) {
                a0 = _mm512_dpbusd_epi32(a0, rc_vnni_u4(xv + 4 * k), _mm512_load_si512(b + 64 * k));
                a1 = _mm512_dpbusd_epi32(a1, rc_vnni_u4(xv + 4 * k + 4), _mm512_load_si512(b + 64 * k + 64));
                a2 = _mm512_dpbusd_epi32(a2, rc_vnni_u4(xv + 4 * k + 8), _mm512_load_si512(b + 64 * k + 128));
                a3 = _mm512_dpbusd_epi32(a3, rc_vnni_u4(xv + 4 * k + 12), _mm512_load_si512(b + 64 * k + 192));
            }
            for (; k < chunks; k++) a0 = _mm512_dpbusd_epi32(a0, rc_vnni_u4(xv + 4 * k), _mm512_load_si512(b + 64 * k));
            __m512i sum = _mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3));
            _mm512_storeu_si512(out + 16 * g, _mm512_sub_epi32(sum, _mm512_loadu_si512(sums + 16 * g)));
        }
    }
}

/* ---- f32, 16 lanes --------------------------------------------------------- */

/*
 * The packed f32 layout (recur_core.h, rc_pack_f32) on zmm registers: one 16-float load
 * is columns c + j and c + j + 1 of a group's 8 rows, so accumulator P(j, j+1) holds the
 * contract's partial sums [p_j | p_j+1] of every row, each a multiply by x (permuted
 * to [x_c+j ×8 | x_c+j+1 ×8]) then an add. The tree on whole registers:
 * S = P01 + P45 = [p0+p4 | p1+p5], T = P23 + P67 = [p2+p6 | p3+p7],
 * U = S + T = [(p0+p4)+(p2+p6) | (p1+p5)+(p3+p7)], sum = U.low + U.high, which is the
 * contract's ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7)) for every row; then the
 * tail columns in order on 8 rows. The same operations in the same order per row as the
 * reference, so the same bits.
 */
RC_VNNI static void rc_avx512_matvec_f32_packed(const float *pk, size_t rows, size_t cols,
                                                const float *x, size_t nvec, float *y) {
    const size_t body = cols - cols % 8, groups = (rows + 7) / 8;
    const __m512i i01 = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    const __m512i two = _mm512_set1_epi32(2);
    const __m512i i23 = _mm512_add_epi32(i01, two), i45 = _mm512_add_epi32(i23, two), i67 = _mm512_add_epi32(i45, two);
    for (size_t v = 0; v < nvec; v++) {
        const float *xv = x + v * cols;
        float *out = y + v * rows;
        for (size_t g = 0; g < groups; g++) {
            const float *G = pk + g * cols * 8;
            __m512 p01 = _mm512_setzero_ps(), p23 = p01, p45 = p01, p67 = p01;
            for (size_t c = 0; c < body; c += 8) {
                const __m512 x8 = _mm512_castps256_ps512(_mm256_loadu_ps(xv + c)); /* lanes 8–15 unused */
                const float *w = G + c * 8;
                p01 = _mm512_add_ps(p01, _mm512_mul_ps(_mm512_loadu_ps(w), _mm512_permutexvar_ps(i01, x8)));
                p23 = _mm512_add_ps(p23, _mm512_mul_ps(_mm512_loadu_ps(w + 16), _mm512_permutexvar_ps(i23, x8)));
                p45 = _mm512_add_ps(p45, _mm512_mul_ps(_mm512_loadu_ps(w + 32), _mm512_permutexvar_ps(i45, x8)));
                p67 = _mm512_add_ps(p67, _mm512_mul_ps(_mm512_loadu_ps(w + 48), _mm512_permutexvar_ps(i67, x8)));
            }
            __m512 u = _mm512_add_ps(_mm512_add_ps(p01, p45), _mm512_add_ps(p23, p67));
            __m256 sum = _mm256_add_ps(_mm512_castps512_ps256(u),
                                       _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(u), 1)));
            for (size_t c = body; c < cols; c++) {
                sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(G + c * 8), _mm256_broadcast_ss(xv + c)));
            }
            if (8 * g + 8 <= rows) {
                _mm256_storeu_ps(out + 8 * g, sum);
            } else {
                _mm256_mask_storeu_ps(out + 8 * g, (__mmask8)((1u << (rows - 8 * g)) - 1), sum);
            }
        }
    }
}

/* ---- activations and the quantizer, 16 lanes ------------------------------ */

/*
 * The AVX2 kernels' operation sequences (kernels_avx2.c, themselves the scalar code's)
 * on 16 lanes, with the branches as mask blends and the tails as masked loads and
 * stores (masked-off lanes compute on zeros and are never stored). AVX-512F
 * arithmetic is the same IEEE single precision (the shared MXCSR: round to nearest,
 * no flush-to-zero), so the bits are the same. Only AVX512F instructions are used
 * (no AVX512DQ: the sign-bit operations are integer ones).
 */
RC_VNNI static inline __m512 rc_avx512_flip(__m512 x) {
    return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
}

RC_VNNI static inline __m512 rc_avx512_madd(__m512 p, __m512 r, float c) {
    return _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(c));
}

/* rc_exp (activations.c) lane by lane. */
RC_VNNI static inline __m512 rc_avx512_exp(__m512 x) {
    const __m512 shifter = _mm512_set1_ps(12582912.0f);
    __m512 t = _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f));
    __m512 n = _mm512_sub_ps(_mm512_add_ps(t, shifter), shifter);
    __m512 r = _mm512_sub_ps(x, _mm512_mul_ps(n, _mm512_set1_ps(0.693359375f)));
    r = _mm512_sub_ps(r, _mm512_mul_ps(n, _mm512_set1_ps(-2.12194440e-4f)));
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = rc_avx512_madd(p, r, 1.3981999507e-3f);
    p = rc_avx512_madd(p, r, 8.3334519073e-3f);
    p = rc_avx512_madd(p, r, 4.1665795894e-2f);
    p = rc_avx512_madd(p, r, 1.6666665459e-1f);
    p = rc_avx512_madd(p, r, 5.0000001201e-1f);
    p = _mm512_add_ps(_mm512_mul_ps(p, _mm512_mul_ps(r, r)), r);
    p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
    /* ni / 2 rounds toward zero in C: add the sign bit before the arithmetic shift. */
    __m512i ni = _mm512_cvttps_epi32(n);
    __m512i half = _mm512_srai_epi32(_mm512_add_epi32(ni, _mm512_srli_epi32(ni, 31)), 1);
    __m512i rest = _mm512_sub_epi32(ni, half);
    const __m512i bias = _mm512_set1_epi32(127);
    __m512 f1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(half, bias), 23));
    __m512 f2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(rest, bias), 23));
    __m512 e = _mm512_mul_ps(_mm512_mul_ps(p, f1), f2);
    /* Out of range: +inf above, 0 below; NaN passes through. */
    e = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_set1_ps(88.72283f), _CMP_GT_OQ), e,
                             _mm512_set1_ps(__builtin_inff()));
    e = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.33654f), _CMP_LT_OQ), e, _mm512_setzero_ps());
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), e, x);
}

/* rc_sigmoid: 1 / (1 + exp(-x)). */
RC_VNNI static inline __m512 rc_avx512_sigmoid16(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(one, _mm512_add_ps(one, rc_avx512_exp(rc_avx512_flip(x))));
}

/* rc_tanh: odd polynomial below 0.625, 1 - 2/(exp(2|x|) + 1) above; ±0 and NaN return x. */
RC_VNNI static inline __m512 rc_avx512_tanh16(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 a = _mm512_abs_ps(x);
    __m512 z = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-5.70498872745e-3f);
    p = rc_avx512_madd(p, z, 2.06390887954e-2f);
    p = _mm512_sub_ps(_mm512_mul_ps(p, z), _mm512_set1_ps(5.37397155531e-2f));
    p = rc_avx512_madd(p, z, 1.33314422036e-1f);
    p = _mm512_sub_ps(_mm512_mul_ps(p, z), _mm512_set1_ps(3.33332819422e-1f));
    __m512 small = _mm512_add_ps(_mm512_mul_ps(_mm512_mul_ps(p, z), x), x);
    __m512 e = rc_avx512_exp(_mm512_add_ps(a, a));
    __m512 t = _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, one)));
    /* x < 0 ? -t : t */
    __m512 large = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ), t, rc_avx512_flip(t));
    __m512 result = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, _mm512_set1_ps(0.625f), _CMP_LT_OQ), large, small);
    /* a == 0 (keeps the sign of zero) or NaN: x itself. */
    __mmask16 keep = _mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_EQ_OQ) | _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q);
    return _mm512_mask_blend_ps(keep, result, x);
}

/* The mask of the first min(n - i, 16) lanes. */
RC_VNNI static inline __mmask16 rc_avx512_lanes(size_t i, size_t n) {
    return n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
}

RC_VNNI static void rc_avx512_sigmoid(float *x, size_t n) {
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = rc_avx512_lanes(i, n);
        _mm512_mask_storeu_ps(x + i, m, rc_avx512_sigmoid16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

RC_VNNI static void rc_avx512_tanh(float *x, size_t n) {
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = rc_avx512_lanes(i, n);
        _mm512_mask_storeu_ps(x + i, m, rc_avx512_tanh16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* rc_avx2_quantize_q8's sequence on 16 lanes (kernels_avx2.c explains why it is
 * rc_quantize_q8 bit for bit): the maximum ignores NaN (vmaxps returns its second
 * operand, the running maximum, when the first is NaN; masked-off lanes load as 0,
 * which never raises a maximum of absolute values); codes are x / s clamped, then
 * trunc(v) ± 1 where |v - trunc(v)| ≥ 0.5, NaN → 0, stored with signed saturation
 * (a no-op: the codes are in [-127, 127]). */
RC_VNNI static float rc_avx512_quantize_q8(const float *x, size_t n, int8_t *q) {
    if (x == NULL || q == NULL || n == 0) return 0.0f;
    __m512 mv = _mm512_setzero_ps();
    for (size_t i = 0; i < n; i += 16) {
        mv = _mm512_max_ps(_mm512_abs_ps(_mm512_maskz_loadu_ps(rc_avx512_lanes(i, n), x + i)), mv);
    }
    float m = _mm512_reduce_max_ps(mv);
    if (m == 0.0f) {
        memset(q, 0, n);
        return 0.0f;
    }
    float s = m / 127.0f;
    const __m512 sv = _mm512_set1_ps(s);
    const __m512 lo = _mm512_set1_ps(-127.0f), hi = _mm512_set1_ps(127.0f), one = _mm512_set1_ps(1.0f);
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 lanes = rc_avx512_lanes(i, n);
        __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(lanes, x + i), sv);
        __mmask16 number = _mm512_cmp_ps_mask(v, v, _CMP_ORD_Q);
        v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
        __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        __m512 frac = _mm512_sub_ps(v, t);
        t = _mm512_mask_add_ps(t, _mm512_cmp_ps_mask(frac, _mm512_set1_ps(0.5f), _CMP_GE_OQ), t, one);
        t = _mm512_mask_sub_ps(t, _mm512_cmp_ps_mask(frac, _mm512_set1_ps(-0.5f), _CMP_LE_OQ), t, one);
        t = _mm512_maskz_mov_ps(number, t);
        _mm512_mask_cvtsepi32_storeu_epi8(q + i, lanes, _mm512_cvttps_epi32(t));
    }
    return s;
}

/* linear.c's rescale, 16 lanes: (float)acc * (scale * s) + bias, the same two or
 * three roundings in the same order. */
RC_VNNI static void rc_avx512_rescale_q8(const int32_t *acc, const float *scale, float s, const float *bias,
                                         size_t n, float *y) {
    const __m512 sv = _mm512_set1_ps(s);
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = rc_avx512_lanes(i, n);
        __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_maskz_loadu_epi32(m, acc + i)),
                                 _mm512_mul_ps(_mm512_maskz_loadu_ps(m, scale + i), sv));
        if (bias != NULL) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, bias + i));
        _mm512_mask_storeu_ps(y + i, m, v);
    }
}

/* lstm.c's gate update for 16 hidden units at once: a = u + w per gate, i, f, o =
 * sigmoid, g = tanh, c = (f * c) + (i * g), h = o * tanh(c); the tail masked. */
RC_VNNI static void rc_avx512_lstm_update(size_t H, const float *u, const float *w, float *h, float *c) {
    for (size_t j = 0; j < H; j += 16) {
        __mmask16 m = rc_avx512_lanes(j, H);
        __m512 gi = _mm512_add_ps(_mm512_maskz_loadu_ps(m, u + j), _mm512_maskz_loadu_ps(m, w + j));
        __m512 gf = _mm512_add_ps(_mm512_maskz_loadu_ps(m, u + H + j), _mm512_maskz_loadu_ps(m, w + H + j));
        __m512 gg = _mm512_add_ps(_mm512_maskz_loadu_ps(m, u + 2 * H + j), _mm512_maskz_loadu_ps(m, w + 2 * H + j));
        __m512 go = _mm512_add_ps(_mm512_maskz_loadu_ps(m, u + 3 * H + j), _mm512_maskz_loadu_ps(m, w + 3 * H + j));
        gi = rc_avx512_sigmoid16(gi);
        gf = rc_avx512_sigmoid16(gf);
        gg = rc_avx512_tanh16(gg);
        go = rc_avx512_sigmoid16(go);
        __m512 cv = _mm512_add_ps(_mm512_mul_ps(gf, _mm512_maskz_loadu_ps(m, c + j)), _mm512_mul_ps(gi, gg));
        _mm512_mask_storeu_ps(c + j, m, cv);
        _mm512_mask_storeu_ps(h + j, m, _mm512_mul_ps(go, rc_avx512_tanh16(cv)));
    }
}

/* rc_softmax: m = the scalar maximum; x_i = exp(x_i - m) 16 lanes at a time; the sum
 * in index order (scalar, as the contract orders it); x_i = x_i / sum. */
RC_VNNI static void rc_avx512_softmax(float *x, size_t n) {
    if (x == NULL || n == 0) return;
    const __m512 mv = _mm512_set1_ps(rc_softmax_max(x, n));
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 lanes = rc_avx512_lanes(i, n);
        _mm512_mask_storeu_ps(x + i, lanes, rc_avx512_exp(_mm512_sub_ps(_mm512_maskz_loadu_ps(lanes, x + i), mv)));
    }
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) sum = sum + x[i];
    const __m512 sv = _mm512_set1_ps(sum);
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 lanes = rc_avx512_lanes(i, n);
        _mm512_mask_storeu_ps(x + i, lanes, _mm512_div_ps(_mm512_maskz_loadu_ps(lanes, x + i), sv));
    }
}

const struct rc_kernels rc_kernels_avx512_vnni_table = {
    .path = RC_PATH_AVX512_VNNI,
    .matvec_q8 = rc_vnni_matvec_q8,
    .matvec_q8_packed = rc_vnni_matvec_q8_packed,
    .matvec_f32 = rc_avx2_matvec_f32,
    .matvec_f32_packed = rc_avx512_matvec_f32_packed,
    .quantize_q8 = rc_avx512_quantize_q8,
    .sigmoid = rc_avx512_sigmoid,
    .tanh = rc_avx512_tanh,
    .rescale_q8 = rc_avx512_rescale_q8,
    .lstm_update = rc_avx512_lstm_update,
    .softmax = rc_avx512_softmax,
};

#endif /* __x86_64__ */
