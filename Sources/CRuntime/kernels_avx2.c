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
#include <math.h>
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

/*
 * Row tails. The last `tail` (< 32) columns of x are copied, zero-padded, into
 * a register once per vector. A zero byte of x makes its product zero whatever
 * the weight byte is (psignb zeroes it), so a row's tail may be loaded wider
 * than the row, running into the next row's bytes, as long as the load stays
 * inside the matrix [w, w_end); only loads that would leave it copy the tail
 * into a zeroed buffer. The sums stay exact.
 */
RC_AVX2 static inline __m256i rc_avx2_load_tail32(const int8_t *p, size_t tail, const int8_t *w_end) {
    if (w_end - p >= 32) return _mm256_loadu_si256((const __m256i *)p); /* no pointer past the end */
    int8_t buf[32] = {0};
    memcpy(buf, p, tail);
    return _mm256_loadu_si256((const __m256i *)buf);
}

RC_AVX2 static inline __m128i rc_avx2_load_tail16(const int8_t *p, size_t tail, const int8_t *w_end) {
    if (w_end - p >= 16) return _mm_loadu_si128((const __m128i *)p);
    int8_t buf[16] = {0};
    memcpy(buf, p, tail);
    return _mm_loadu_si128((const __m128i *)buf);
}

/* What one vector's kernels share: x, its zero-padded tail, and the matrix bounds. */
typedef struct rc_avx2_q8 {
    const int8_t *x;     /* (cols) */
    size_t cols, body;   /* body = cols rounded down to 32 */
    size_t tail;         /* cols - body, < 32 */
    __m256i x_tail;      /* x[body, cols) then zeros; both 16-byte halves equal when tail <= 16 */
    const int8_t *w_end; /* one past the matrix */
} rc_avx2_q8;

/* Sums of the four rows starting at w (row stride cols) against x: [r0, r1, r2, r3]. */
RC_AVX2 static inline __m128i rc_avx2_rows4_q8(const int8_t *w, const rc_avx2_q8 *v) {
    const __m256i ones = _mm256_set1_epi16(1);
    const size_t cols = v->cols, body = v->body, tail = v->tail;
    const int8_t *w0 = w, *w1 = w + cols, *w2 = w + 2 * cols, *w3 = w + 3 * cols;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t c = 0; c < body; c += 32) {
        __m256i xv = _mm256_loadu_si256((const __m256i *)(v->x + c));
        a0 = _mm256_add_epi32(a0, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w0 + c)), xv, ones));
        a1 = _mm256_add_epi32(a1, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w1 + c)), xv, ones));
        a2 = _mm256_add_epi32(a2, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w2 + c)), xv, ones));
        a3 = _mm256_add_epi32(a3, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w3 + c)), xv, ones));
    }
    if (tail > 16) {
        a0 = _mm256_add_epi32(a0, rc_avx2_dot32(rc_avx2_load_tail32(w0 + body, tail, v->w_end), v->x_tail, ones));
        a1 = _mm256_add_epi32(a1, rc_avx2_dot32(rc_avx2_load_tail32(w1 + body, tail, v->w_end), v->x_tail, ones));
        a2 = _mm256_add_epi32(a2, rc_avx2_dot32(rc_avx2_load_tail32(w2 + body, tail, v->w_end), v->x_tail, ones));
        a3 = _mm256_add_epi32(a3, rc_avx2_dot32(rc_avx2_load_tail32(w3 + body, tail, v->w_end), v->x_tail, ones));
    }
    /* Short rows (cols <= 16) have nothing in the accumulators. */
    __m128i sums = body > 0 || tail > 16 ? rc_avx2_sum4(a0, a1, a2, a3) : _mm_setzero_si128();
    if (tail > 0 && tail <= 16) {
        /* Two rows per register: [w0 tail | w1 tail] and [w2 tail | w3 tail]
         * against the tail of x in both halves. */
        __m256i w01 = _mm256_inserti128_si256(_mm256_castsi128_si256(rc_avx2_load_tail16(w0 + body, tail, v->w_end)),
                                              rc_avx2_load_tail16(w1 + body, tail, v->w_end), 1);
        __m256i w23 = _mm256_inserti128_si256(_mm256_castsi128_si256(rc_avx2_load_tail16(w2 + body, tail, v->w_end)),
                                              rc_avx2_load_tail16(w3 + body, tail, v->w_end), 1);
        __m256i d01 = rc_avx2_dot32(w01, v->x_tail, ones); /* r0 ×4 | r1 ×4 */
        __m256i d23 = rc_avx2_dot32(w23, v->x_tail, ones); /* r2 ×4 | r3 ×4 */
        __m256i h = _mm256_hadd_epi32(d01, d23);           /* r0 r0 r2 r2 | r1 r1 r3 r3 */
        h = _mm256_hadd_epi32(h, h);                        /* r0 r2 r0 r2 | r1 r3 r1 r3 */
        sums = _mm_add_epi32(sums, _mm_unpacklo_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1)));
    }
    return sums;
}

/* One row's sum (the rows left after groups of four). */
RC_AVX2 static int32_t rc_avx2_row_q8(const int8_t *w, const rc_avx2_q8 *v) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i a = _mm256_setzero_si256();
    for (size_t c = 0; c < v->body; c += 32) {
        a = _mm256_add_epi32(a, rc_avx2_dot32(_mm256_loadu_si256((const __m256i *)(w + c)),
                                              _mm256_loadu_si256((const __m256i *)(v->x + c)), ones));
    }
    if (v->tail > 16) {
        a = _mm256_add_epi32(a, rc_avx2_dot32(rc_avx2_load_tail32(w + v->body, v->tail, v->w_end), v->x_tail, ones));
    } else if (v->tail > 0) {
        /* The row's tail in the low half only: the high half's products are zero. */
        __m256i wt = _mm256_zextsi128_si256(rc_avx2_load_tail16(w + v->body, v->tail, v->w_end));
        a = _mm256_add_epi32(a, rc_avx2_dot32(wt, v->x_tail, ones));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    s = _mm_hadd_epi32(s, s);
    s = _mm_hadd_epi32(s, s);
    return _mm_cvtsi128_si32(s);
}

RC_AVX2 static void rc_avx2_matvec_q8(const int8_t *w, size_t rows, size_t cols,
                                      const int8_t *x, size_t nvec, int32_t *acc) {
    rc_avx2_q8 v;
    v.cols = cols;
    v.body = cols - cols % 32;
    v.tail = cols - v.body;
    v.w_end = w + rows * cols;
    for (size_t n = 0; n < nvec; n++) {
        v.x = x + n * cols;
        int8_t xt[32] = {0};
        memcpy(xt, v.x + v.body, v.tail);
        if (v.tail <= 16) memcpy(xt + 16, xt, 16);
        v.x_tail = _mm256_loadu_si256((const __m256i *)xt);
        int32_t *out = acc + n * rows;
        size_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            _mm_storeu_si128((__m128i *)(out + r), rc_avx2_rows4_q8(w + r * cols, &v));
        }
        for (; r < rows; r++) {
            out[r] = rc_avx2_row_q8(w + r * cols, &v);
        }
    }
}

/*
 * The packed layout (recur_core.h): a 64-byte block is 16 rows × 4 columns, so each
 * 32-byte half is eight rows × 4 columns. Against the four bytes of x broadcast to
 * every row, pmaddubsw + pmaddwd give one int32 per row: lane r of the accumulator is
 * row r's running sum, with no reduction at the end and no row tails (the padding is
 * zero). Two groups (32 rows) share each broadcast of x.
 */
RC_AVX2 static inline __m256i rc_avx2_dot4(__m256i acc, const int8_t *w, __m256i x_abs, __m256i x, __m256i ones) {
    __m256i wv = _mm256_load_si256((const __m256i *)w);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(x_abs, _mm256_sign_epi8(wv, x)), ones));
}

/* The sums of `n` (1 or 2, a constant after inlining) consecutive groups at b, into out. */
RC_AVX2 static inline void rc_avx2_groups_q8(const int8_t *b, size_t group_bytes, size_t chunks,
                                             const int8_t *x, size_t n, int32_t *out) {
    const __m256i ones = _mm256_set1_epi16(1);
    const int8_t *b1 = b + group_bytes;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t k = 0; k < chunks; k++) {
        int32_t x4;
        memcpy(&x4, x + 4 * k, 4);
        __m256i xb = _mm256_set1_epi32(x4), xa = _mm256_abs_epi8(xb);
        a0 = rc_avx2_dot4(a0, b + 64 * k, xa, xb, ones);
        a1 = rc_avx2_dot4(a1, b + 64 * k + 32, xa, xb, ones);
        if (n == 2) {
            a2 = rc_avx2_dot4(a2, b1 + 64 * k, xa, xb, ones);
            a3 = rc_avx2_dot4(a3, b1 + 64 * k + 32, xa, xb, ones);
        }
    }
    _mm256_storeu_si256((__m256i *)out, a0);
    _mm256_storeu_si256((__m256i *)(out + 8), a1);
    if (n == 2) {
        _mm256_storeu_si256((__m256i *)(out + 16), a2);
        _mm256_storeu_si256((__m256i *)(out + 24), a3);
    }
}

RC_AVX2 static void rc_avx2_matvec_q8_packed(const int8_t *p, size_t rows, size_t cols,
                                             const int8_t *x, size_t nvec, int32_t *acc) {
    const size_t chunks = rc_pack_cols(cols) / 4, groups = rc_pack_rows(rows) / 16;
    const size_t group_bytes = chunks * 64;
    for (size_t v = 0; v < nvec; v++) {
        const int8_t *xv = x + v * chunks * 4;
        int32_t *out = acc + v * groups * 16;
        size_t g = 0;
        for (; g + 2 <= groups; g += 2) rc_avx2_groups_q8(p + g * group_bytes, group_bytes, chunks, xv, 2, out + 16 * g);
        if (g < groups) rc_avx2_groups_q8(p + g * group_bytes, group_bytes, chunks, xv, 1, out + 16 * g);
    }
}

/* rc_quantize_q8 eight lanes at a time. m = max|x_i| ignores NaN (vmaxps returns
 * its second operand, the running maximum, when the first is NaN; a maximum is
 * the same in any order). Codes: v = x / s (the same IEEE division), clamped to
 * [-127, 127] (NaN → 0), then rounded half away from zero as t = trunc(v) plus
 * ±1 where |v - t| ≥ 0.5: v - t is exact, so this is roundf(v); clamping before
 * rounding equals clamping after because the bounds are integers. The tail is
 * the reference's rc_q8_code. */
RC_AVX2 float rc_avx2_quantize_q8(const float *x, size_t n, int8_t *q) {
    if (x == NULL || q == NULL || n == 0) return 0.0f;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 mv = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        mv = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)), mv);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, mv);
    float m = 0.0f;
    for (size_t j = 0; j < 8; j++) {
        if (lanes[j] > m) m = lanes[j];
    }
    for (; i < n; i++) {
        float a = fabsf(x[i]);
        if (a > m) m = a;
    }
    if (m == 0.0f) {
        memset(q, 0, n);
        return 0.0f;
    }
    float s = m / 127.0f;
    const __m256 sv = _mm256_set1_ps(s);
    const __m256 lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(x + i), sv);
        __m256 nan = _mm256_cmp_ps(v, v, _CMP_UNORD_Q);
        v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
        __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        __m256 frac = _mm256_sub_ps(v, t);
        t = _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, half, _CMP_GE_OQ), one));
        t = _mm256_sub_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_xor_ps(half, sign), _CMP_LE_OQ), one));
        t = _mm256_andnot_ps(nan, t);
        __m256i codes = _mm256_cvttps_epi32(t);
        __m128i c16 = _mm_packs_epi32(_mm256_castsi256_si128(codes), _mm256_extracti128_si256(codes, 1));
        _mm_storel_epi64((__m128i *)(q + i), _mm_packs_epi16(c16, c16));
    }
    for (; i < n; i++) {
        q[i] = rc_q8_code(x[i], s);
    }
    return s;
}

/* ---- f32 ----------------------------------------------------------------- */

/* One row: lane j of p is the contract's partial sum p_j; then the shared finish. */
RC_AVX2 static inline float rc_avx2_finish(__m256 p, const float *w, const float *x,
                                           size_t from, size_t n) {
    float lanes[8];
    _mm256_storeu_ps(lanes, p);
    return rc_ref_f32_finish(lanes, w, x, from, n);
}

RC_AVX2 void rc_avx2_matvec_f32(const float *w, size_t rows, size_t cols,
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

/* The packed f32 layout (recur_core.h, rc_pack_f32): lane i of each 8-float vector
 * is row 8g + i. Accumulator j holds every row's contract partial sum p_j (a
 * multiply by x broadcast, then an add), the reduction tree and the tail are the
 * contract's, done on whole vectors: each row gets the reference's operations in
 * the reference's order, and no lane ever meets another. */
RC_AVX2 static inline __m256 rc_avx2_fma8(__m256 p, const float *w, const float *x) {
    return _mm256_add_ps(p, _mm256_mul_ps(_mm256_load_ps(w), _mm256_broadcast_ss(x)));
}

RC_AVX2 void rc_avx2_matvec_f32_packed(const float *pk, size_t rows, size_t cols,
                                              const float *x, size_t nvec, float *y) {
    const size_t body = cols - cols % 8, groups = (rows + 7) / 8;
    for (size_t v = 0; v < nvec; v++) {
        const float *xv = x + v * cols;
        float *out = y + v * rows;
        for (size_t g = 0; g < groups; g++) {
            const float *G = pk + g * cols * 8;
            __m256 p0 = _mm256_setzero_ps(), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
            for (size_t c = 0; c < body; c += 8) {
                const float *w = G + c * 8;
                p0 = rc_avx2_fma8(p0, w, xv + c);
                p1 = rc_avx2_fma8(p1, w + 8, xv + c + 1);
                p2 = rc_avx2_fma8(p2, w + 16, xv + c + 2);
                p3 = rc_avx2_fma8(p3, w + 24, xv + c + 3);
                p4 = rc_avx2_fma8(p4, w + 32, xv + c + 4);
                p5 = rc_avx2_fma8(p5, w + 40, xv + c + 5);
                p6 = rc_avx2_fma8(p6, w + 48, xv + c + 6);
                p7 = rc_avx2_fma8(p7, w + 56, xv + c + 7);
            }
            /* ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7)), then the tail in order. */
            __m256 sum = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(p0, p4), _mm256_add_ps(p2, p6)),
                                       _mm256_add_ps(_mm256_add_ps(p1, p5), _mm256_add_ps(p3, p7)));
            for (size_t c = body; c < cols; c++) sum = rc_avx2_fma8(sum, G + c * 8, xv + c);
            if (8 * g + 8 <= rows) {
                _mm256_storeu_ps(out + 8 * g, sum);
            } else {
                float lanes[8];
                _mm256_storeu_ps(lanes, sum);
                memcpy(out + 8 * g, lanes, (rows - 8 * g) * sizeof(float));
            }
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

RC_AVX2 void rc_avx2_sigmoid(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(x + i, rc_avx2_sigmoid8(_mm256_loadu_ps(x + i)));
    }
    rc_ref_sigmoid(x + i, n - i);
}

RC_AVX2 void rc_avx2_tanh(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(x + i, rc_avx2_tanh8(_mm256_loadu_ps(x + i)));
    }
    rc_ref_tanh(x + i, n - i);
}

/* linear.c's rescale, 8 lanes: (float)acc * (scale * s) + bias, same order. */
RC_AVX2 static void rc_avx2_rescale_q8(const int32_t *acc, const float *scale, float s, const float *bias,
                                       size_t n, float *y) {
    const __m256 sv = _mm256_set1_ps(s);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)(acc + i))),
                                 _mm256_mul_ps(_mm256_loadu_ps(scale + i), sv));
        if (bias != NULL) v = _mm256_add_ps(v, _mm256_loadu_ps(bias + i));
        _mm256_storeu_ps(y + i, v);
    }
    for (; i < n; i++) {
        y[i] = (float)acc[i] * (scale[i] * s);
        if (bias != NULL) y[i] = y[i] + bias[i];
    }
}

/* lstm.c's gate update for 8 hidden units at once; the tail unit by unit. */
RC_AVX2 static void rc_avx2_lstm_update(size_t H, const float *u, const float *w, float *h, float *c) {
    size_t j = 0;
    for (; j + 8 <= H; j += 8) {
        __m256 gi = rc_avx2_sigmoid8(_mm256_add_ps(_mm256_loadu_ps(u + j), _mm256_loadu_ps(w + j)));
        __m256 gf = rc_avx2_sigmoid8(_mm256_add_ps(_mm256_loadu_ps(u + H + j), _mm256_loadu_ps(w + H + j)));
        __m256 gg = rc_avx2_tanh8(_mm256_add_ps(_mm256_loadu_ps(u + 2 * H + j), _mm256_loadu_ps(w + 2 * H + j)));
        __m256 go = rc_avx2_sigmoid8(_mm256_add_ps(_mm256_loadu_ps(u + 3 * H + j), _mm256_loadu_ps(w + 3 * H + j)));
        __m256 cv = _mm256_add_ps(_mm256_mul_ps(gf, _mm256_loadu_ps(c + j)), _mm256_mul_ps(gi, gg));
        _mm256_storeu_ps(c + j, cv);
        _mm256_storeu_ps(h + j, _mm256_mul_ps(go, rc_avx2_tanh8(cv)));
    }
    for (; j < H; j++) rc_lstm_unit(H, j, u, w, h, c);
}

/* rc_softmax: the scalar maximum, exp(x_i - m) 8 lanes at a time (the tail scalar),
 * the sum in index order, x_i / sum 8 lanes at a time. */
RC_AVX2 static void rc_avx2_softmax(float *x, size_t n) {
    if (x == NULL || n == 0) return;
    const float m = rc_softmax_max(x, n);
    const __m256 mv = _mm256_set1_ps(m);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, rc_avx2_exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv)));
    for (; i < n; i++) x[i] = rc_exp(x[i] - m);
    float sum = 0.0f;
    for (i = 0; i < n; i++) sum = sum + x[i];
    const __m256 sv = _mm256_set1_ps(sum);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_div_ps(_mm256_loadu_ps(x + i), sv));
    for (; i < n; i++) x[i] = x[i] / sum;
}

const struct rc_kernels rc_kernels_avx2_table = {
    .path = RC_PATH_AVX2,
    .matvec_q8 = rc_avx2_matvec_q8,
    .matvec_q8_packed = rc_avx2_matvec_q8_packed,
    .matvec_f32 = rc_avx2_matvec_f32,
    .matvec_f32_packed = rc_avx2_matvec_f32_packed,
    .quantize_q8 = rc_avx2_quantize_q8,
    .sigmoid = rc_avx2_sigmoid,
    .tanh = rc_avx2_tanh,
    .rescale_q8 = rc_avx2_rescale_q8,
    .lstm_update = rc_avx2_lstm_update,
    .softmax = rc_avx2_softmax,
};

#endif /* __x86_64__ */
