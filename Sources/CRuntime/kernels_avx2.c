/*
 * kernels_avx2.c — the x86-64 AVX2 kernels. Compiled for every x86-64 build
 * through target attributes and chosen at run time (dispatch.c) only when the
 * CPU reports AVX2, so the rest of the library stays baseline x86-64.
 *
 * int8: _mm256_maddubs_epi16 multiplies unsigned by signed bytes, so the
 * product w·x is formed as |x| · sign(w, x) (psignb). Exact because both w
 * and x stay in [-127, 127]: a pair sum is at most 2·127·127 = 32258, below
 * the int16 saturation limit. The int32 accumulators are then exact, and
 * integer addition in any order gives the reference's result.
 *
 * f32: lane j of one 8-wide accumulator is exactly the contract's partial sum
 * p_j (a multiply, then an add). The target list is "avx2" alone, without
 * "fma", so the compiler has no fused instruction to contract into even if a
 * pragma were lost. The reduction and the tail are the reference's.
 *
 * sigmoid/tanh: the reference's operation sequence lane by lane, with the
 * branches turned into selects; the same IEEE operations give the same bits.
 */
#include "internal.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

#define RC_AVX2 __attribute__((target("avx2")))

/* ---- int8 ---------------------------------------------------------------- */

/* Eight int32 lanes of w·x for 32 byte pairs: |x| · sign(w, x), pairs, quads. */
RC_AVX2 static inline __m256i rc_avx2_dot32(__m256i w, __m256i x, __m256i ones) {
    __m256i prod16 = _mm256_maddubs_epi16(_mm256_abs_epi8(x), _mm256_sign_epi8(w, x));
    return _mm256_madd_epi16(prod16, ones);
}

/* The four row sums of four 8-lane accumulators: [Σa, Σb, Σc, Σd]. */
RC_AVX2 static inline __m128i rc_avx2_sum4(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i ab = _mm256_hadd_epi32(a, b);   /* a01 a23 b01 b23 | a45 a67 b45 b67 */
    __m256i cd = _mm256_hadd_epi32(c, d);
    __m256i abcd = _mm256_hadd_epi32(ab, cd); /* a b c d (low half) | a b c d (high half) */
    return _mm_add_epi32(_mm256_castsi256_si128(abcd), _mm256_extracti128_si256(abcd, 1));
}

/* Eight bytes of each of four rows, side by side in one register. */
RC_AVX2 static inline __m256i rc_avx2_load4x8(const int8_t *w0, const int8_t *w1,
                                              const int8_t *w2, const int8_t *w3) {
    __m128i lo = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)w0),
                                    _mm_loadl_epi64((const __m128i *)w1));
    __m128i hi = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)w2),
                                    _mm_loadl_epi64((const __m128i *)w3));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

/* Sums of four rows w0..w3 (row stride `cols`) against x over all columns. */
RC_AVX2 static inline __m128i rc_avx2_rows4_q8(const int8_t *w, size_t cols, const int8_t *x) {
    const __m256i ones = _mm256_set1_epi16(1);
    const int8_t *w0 = w, *w1 = w + cols, *w2 = w + 2 * cols, *w3 = w + 3 * cols;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    size_t c = 0;
    for (; c + 32 <= cols; c += 32) {
        __m256i xv = _mm256_loadu_si256((const __m256i *)(x + c));
        a0 = _mm256_add_epi32(a0, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w0 + c)), xv, ones));
        a1 = _mm256_add_epi32(a1, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w1 + c)), xv, ones));
        a2 = _mm256_add_epi32(a2, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w2 + c)), xv, ones));
        a3 = _mm256_add_epi32(a3, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w3 + c)), xv, ones));
    }
    if (c + 16 <= cols) {
        /* Two rows per register: w0 | w1 and w2 | w3 against x twice. */
        __m256i xv = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(x + c)));
        __m256i w01 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(w0 + c))),
            _mm_loadu_si128((const __m128i *)(w1 + c)), 1);
        __m256i w23 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(w2 + c))),
            _mm_loadu_si128((const __m128i *)(w3 + c)), 1);
        __m256i d01 = rc_avx2_dot32(w01, xv, ones); /* r0 ×4 | r1 ×4 */
        __m256i d23 = rc_avx2_dot32(w23, xv, ones); /* r2 ×4 | r3 ×4 */
        /* Route each row's lanes into its accumulator's low half. */
        a0 = _mm256_add_epi32(a0, _mm256_inserti128_si256(_mm256_setzero_si256(), _mm256_castsi256_si128(d01), 0));
        a1 = _mm256_add_epi32(a1, _mm256_inserti128_si256(_mm256_setzero_si256(), _mm256_extracti128_si256(d01, 1), 0));
        a2 = _mm256_add_epi32(a2, _mm256_inserti128_si256(_mm256_setzero_si256(), _mm256_castsi256_si128(d23), 0));
        a3 = _mm256_add_epi32(a3, _mm256_inserti128_si256(_mm256_setzero_si256(), _mm256_extracti128_si256(d23, 1), 0));
        c += 16;
    }
    __m128i sums = rc_avx2_sum4(a0, a1, a2, a3);
    if (c + 8 <= cols) {
        /* Four rows per register, eight bytes each. */
        int64_t x8;
        memcpy(&x8, x + c, sizeof x8);
        __m256i xv = _mm256_set1_epi64x((long long)x8);
        __m256i d = rc_avx2_dot32(rc_avx2_load4x8(w0 + c, w1 + c, w2 + c, w3 + c), xv, ones);
        /* d = r0 r0 r1 r1 | r2 r2 r3 r3 → hadd → r0 r1 . . | r2 r3 . . */
        __m256i h = _mm256_hadd_epi32(d, d);
        __m128i r = _mm_unpacklo_epi64(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
        sums = _mm_add_epi32(sums, r);
        c += 8;
    }
    if (c < cols) {
        size_t n = cols - c;
        __m128i tail = _mm_setr_epi32(rc_ref_dot_q8(w0 + c, x + c, n), rc_ref_dot_q8(w1 + c, x + c, n),
                                      rc_ref_dot_q8(w2 + c, x + c, n), rc_ref_dot_q8(w3 + c, x + c, n));
        sums = _mm_add_epi32(sums, tail);
    }
    return sums;
}

/* One row's sum over all columns (the rows left after groups of four). */
RC_AVX2 static int32_t rc_avx2_row_q8(const int8_t *w, size_t cols, const int8_t *x) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i a = _mm256_setzero_si256();
    size_t c = 0;
    for (; c + 32 <= cols; c += 32) {
        a = _mm256_add_epi32(a, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w + c)),
                                              _mm256_loadu_si256((const __m256i *)(x + c)), ones));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    s = _mm_hadd_epi32(s, s);
    s = _mm_hadd_epi32(s, s);
    return _mm_cvtsi128_si32(s) + rc_ref_dot_q8(w + c, x + c, cols - c);
}

RC_AVX2 static void rc_avx2_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                                      const int8_t *x, size_t nvec, int32_t *acc) {
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * cols;
        int32_t *out = acc + v * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            _mm_storeu_si128((__m128i *)(out + r), rc_avx2_rows4_q8(w + r * cols, cols, xv));
        }
        for (; r < rows; r++) {
            out[r] = rc_avx2_row_q8(w + r * cols, cols, xv);
        }
    }
}

/* ---- f32 ----------------------------------------------------------------- */

/* One row: lane j of p is the contract's partial sum p_j; then the shared finish. */
RC_AVX2 static inline float rc_avx2_finish(__m256 p, const float *w, const float *x,
                                           size_t from, size_t n) {
    float lanes[8];
    _mm256_storeu_ps(lanes, p);
    return rc_ref_f32_finish(lanes, w, x, from, n);
}

RC_AVX2 static void rc_avx2_matvec_f32(const float *w, size_t rows, size_t cols,
                                       const float *x, size_t nvec, float *y) {
    size_t body = cols - cols % 8;
    for (size_t v = 0; v < nvec; v++) {
        const float *xv = x + v * cols;
        float *out = y + v * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            const float *w0 = w + r * cols, *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
            __m256 p0 = _mm256_setzero_ps(), p1 = p0, p2 = p0, p3 = p0;
            for (size_t c = 0; c < body; c += 8) {
                __m256 xc = _mm256_loadu_ps(xv + c);
                /* p_j = p_j + w[c+j] * x[c+j]: a multiply, then an add. */
                p0 = _mm256_add_ps(p0, _mm256_mul_ps(_mm256_loadu_ps(w0 + c), xc));
                p1 = _mm256_add_ps(p1, _mm256_mul_ps(_mm256_loadu_ps(w1 + c), xc));
                p2 = _mm256_add_ps(p2, _mm256_mul_ps(_mm256_loadu_ps(w2 + c), xc));
                p3 = _mm256_add_ps(p3, _mm256_mul_ps(_mm256_loadu_ps(w3 + c), xc));
            }
            out[r] = rc_avx2_finish(p0, w0, xv, body, cols);
            out[r + 1] = rc_avx2_finish(p1, w1, xv, body, cols);
            out[r + 2] = rc_avx2_finish(p2, w2, xv, body, cols);
            out[r + 3] = rc_avx2_finish(p3, w3, xv, body, cols);
        }
        for (; r < rows; r++) {
            const float *wr = w + r * cols;
            __m256 p = _mm256_setzero_ps();
            for (size_t c = 0; c < body; c += 8) {
                p = _mm256_add_ps(p, _mm256_mul_ps(_mm256_loadu_ps(wr + c), _mm256_loadu_ps(xv + c)));
            }
            out[r] = rc_avx2_finish(p, wr, xv, body, cols);
        }
    }
}

/* ---- activations --------------------------------------------------------- */

/* rc_exp lane by lane (activations.c): the same operations, branches as selects. */
RC_AVX2 static inline __m256 rc_avx2_exp(__m256 x) {
    const __m256 shifter = _mm256_set1_ps(12582912.0f);
    __m256 t = _mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f));
    __m256 n = _mm256_sub_ps(_mm256_add_ps(t, shifter), shifter);
    __m256 r = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f)));
    r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(-2.12194440e-4f)));
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, _mm256_mul_ps(r, r)), r);
    p = _mm256_add_ps(p, _mm256_set1_ps(1.0f));
    /* ni / 2 rounds toward zero in C: add the sign bit before the arithmetic shift. */
    __m256i ni = _mm256_cvttps_epi32(n);
    __m256i half = _mm256_srai_epi32(_mm256_add_epi32(ni, _mm256_srli_epi32(ni, 31)), 1);
    __m256i rest = _mm256_sub_epi32(ni, half);
    const __m256i bias = _mm256_set1_epi32(127);
    __m256 f1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    __m256 f2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(rest, bias), 23));
    __m256 e = _mm256_mul_ps(_mm256_mul_ps(p, f1), f2);
    /* Out of range: +inf above, 0 below; NaN passes through. */
    e = _mm256_blendv_ps(e, _mm256_set1_ps(__builtin_inff()),
                         _mm256_cmp_ps(x, _mm256_set1_ps(88.72283f), _CMP_GT_OQ));
    e = _mm256_blendv_ps(e, _mm256_setzero_ps(),
                         _mm256_cmp_ps(x, _mm256_set1_ps(-87.33654f), _CMP_LT_OQ));
    return _mm256_blendv_ps(e, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/* rc_sigmoid: 1 / (1 + exp(-x)). */
RC_AVX2 static inline __m256 rc_avx2_sigmoid8(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 neg = _mm256_xor_ps(x, _mm256_set1_ps(-0.0f));
    return _mm256_div_ps(one, _mm256_add_ps(one, rc_avx2_exp(neg)));
}

/* rc_tanh: odd polynomial below 0.625, 1 - 2/(exp(2|x|) + 1) above; ±0 and NaN return x. */
RC_AVX2 static inline __m256 rc_avx2_tanh8(__m256 x) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 a = _mm256_andnot_ps(sign, x);
    __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_add_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(5.37397155531e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(3.33332819422e-1f));
    __m256 small = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, z), x), x);
    __m256 e = rc_avx2_exp(_mm256_add_ps(a, a));
    __m256 t = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
    /* x < 0 ? -t : t */
    __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256 large = _mm256_xor_ps(t, _mm256_and_ps(neg, sign));
    __m256 result = _mm256_blendv_ps(large, small, _mm256_cmp_ps(a, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
    /* a == 0 (keeps the sign of zero) or NaN: x itself. */
    __m256 keep = _mm256_or_ps(_mm256_cmp_ps(a, _mm256_setzero_ps(), _CMP_EQ_OQ),
                               _mm256_cmp_ps(a, a, _CMP_UNORD_Q));
    return _mm256_blendv_ps(result, x, keep);
}

RC_AVX2 static void rc_avx2_sigmoid(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(x + i, rc_avx2_sigmoid8(_mm256_loadu_ps(x + i)));
    }
    rc_ref_sigmoid(x + i, n - i);
}

RC_AVX2 static void rc_avx2_tanh(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(x + i, rc_avx2_tanh8(_mm256_loadu_ps(x + i)));
    }
    rc_ref_tanh(x + i, n - i);
}

const struct rc_kernels rc_kernels_avx2_table = {
    .path = RC_PATH_AVX2,
    .matvec_q8 = rc_avx2_matvec_q8,
    .matvec_f32 = rc_avx2_matvec_f32,
    .sigmoid = rc_avx2_sigmoid,
    .tanh = rc_avx2_tanh,
};

#endif /* __x86_64__ */
