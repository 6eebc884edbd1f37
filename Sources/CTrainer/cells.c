/* The row kernels of the trainer's recurrent cells (recur_trainer.h): one timestep's gate
 * arithmetic for a block of batch rows, after the recurrent product. The formulas are on top of
 * Sources/Trainer/Layers/LSTMCell.swift, GRUCell.swift and RNNCell.swift.
 *
 * Both paths do the same IEEE operations in the same order, lane by lane — no fused
 * multiply-add, no reassociation — so they give the same bits: the AVX2 path is eight lanes
 * wide where the portable one is one. exp is the C core's recipe (Cody–Waite reduction, Cephes
 * degree-6 polynomial); tanh an odd polynomial below |x| = 0.625 and 1 − 2/(e^{2|x|} + 1) above. */
#include "recur_trainer.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define RT_AVX2_ONLY __attribute__((target("avx2")))
#endif

/* No contraction of a * b + c into a fused multiply-add (SwiftPM builds this file with clang). */
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

/* ---- portable ------------------------------------------------------------ */

static inline float rt_bits_float(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline uint32_t rt_float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* exp(x) for x clamped to [-87, 88]. */
static inline float rt_exp1(float x0) {
    float x = x0 < -87.0f ? -87.0f : x0;
    x = x > 88.0f ? 88.0f : x;
    /* n = round(x / ln2): adding and removing 1.5·2^23 rounds to nearest even, and the bits of
     * (t + 1.5·2^23) hold n in their low mantissa. */
    const float scaled = x * 1.44269504f;
    const float shifted = scaled + 12582912.0f;
    const float n = shifted - 12582912.0f;
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
    const int32_t ni = (int32_t)(rt_float_bits(shifted) - 0x4B400000u);
    const float pow2 = rt_bits_float((uint32_t)(ni + 127) << 23);
    return p * pow2;
}

static inline float rt_sigmoid1(float x) { return 1.0f / (1.0f + rt_exp1(-x)); }

static inline float rt_tanh_small1(float x) {
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    return (p * z) * x + x;
}

static inline float rt_tanh1(float x) {
    const float a = x < 0 ? -x : x;
    if (a < 0.625f) return rt_tanh_small1(x);
    const float t = 1.0f - 2.0f / (rt_exp1(a + a) + 1.0f);
    return x < 0 ? -t : t;
}

static void rt_lstm_forward_cols(size_t j, size_t h, float *g, const float *bias, const float *c_prev,
                                 float *c_next, float *tanh_c, float *h_next) {
    for (; j < h; j++) {
        const float i = rt_sigmoid1(g[j] + bias[j]);
        const float f = rt_sigmoid1(g[h + j] + bias[h + j]);
        const float gg = rt_tanh1(g[2 * h + j] + bias[2 * h + j]);
        const float o = rt_sigmoid1(g[3 * h + j] + bias[3 * h + j]);
        g[j] = i; g[h + j] = f; g[2 * h + j] = gg; g[3 * h + j] = o;
        const float c = f * c_prev[j] + i * gg;
        const float tc = rt_tanh1(c);
        c_next[j] = c;
        tanh_c[j] = tc;
        h_next[j] = o * tc;
    }
}

static void rt_lstm_backward_cols(size_t j, size_t h, const float *g, const float *c_prev, const float *tanh_c,
                                  const float *dh, float *dc, float *dg, float *d_bias) {
    for (; j < h; j++) {
        const float i = g[j], f = g[h + j], gg = g[2 * h + j], o = g[3 * h + j];
        const float tc = tanh_c[j], dhv = dh[j];
        const float dcv = dc[j] + dhv * o * (1.0f - tc * tc);
        dg[j] = dcv * gg * i * (1.0f - i);
        dg[h + j] = dcv * c_prev[j] * f * (1.0f - f);
        dg[2 * h + j] = dcv * i * (1.0f - gg * gg);
        dg[3 * h + j] = dhv * tc * o * (1.0f - o);
        for (size_t k = 0; k < 4; k++) d_bias[k * h + j] = d_bias[k * h + j] + dg[k * h + j];
        dc[j] = dcv * f;
    }
}

static void rt_gru_forward_cols(size_t j, size_t h, float *u, float *v, const float *bias, const float *bias_hn,
                                const float *h_prev, float *h_next) {
    for (; j < h; j++) {
        const float r = rt_sigmoid1(u[j] + bias[j] + v[j]);
        const float z = rt_sigmoid1(u[h + j] + bias[h + j] + v[h + j]);
        const float vn = v[2 * h + j] + bias_hn[j];
        const float n = rt_tanh1(u[2 * h + j] + bias[2 * h + j] + r * vn);
        u[j] = r; u[h + j] = z; u[2 * h + j] = n;
        v[2 * h + j] = vn;
        h_next[j] = (1.0f - z) * n + z * h_prev[j];
    }
}

static void rt_gru_backward_cols(size_t j, size_t h, const float *g, const float *v, const float *h_prev,
                                 float *dh, float *dgx, float *dgh, float *d_bias_ih, float *d_bias_hh) {
    for (; j < h; j++) {
        const float r = g[j], z = g[h + j], n = g[2 * h + j];
        const float dhv = dh[j];
        const float dan = dhv * (1.0f - z) * (1.0f - n * n);
        const float dar = dan * v[2 * h + j] * r * (1.0f - r);
        const float daz = dhv * (h_prev[j] - n) * z * (1.0f - z);
        dgx[j] = dar; dgx[h + j] = daz; dgx[2 * h + j] = dan;
        dgh[j] = dar; dgh[h + j] = daz; dgh[2 * h + j] = dan * r;
        for (size_t k = 0; k < 3; k++) {
            d_bias_ih[k * h + j] = d_bias_ih[k * h + j] + dgx[k * h + j];
            d_bias_hh[k * h + j] = d_bias_hh[k * h + j] + dgh[k * h + j];
        }
        dh[j] = dhv * z;
    }
}

static void rt_rnn_forward_cols(size_t j, size_t h, float *a, const float *bias, int relu) {
    for (; j < h; j++) {
        const float x = a[j] + bias[j];
        a[j] = relu ? (x < 0 ? 0.0f : x) : rt_tanh1(x);
    }
}

static void rt_rnn_backward_cols(size_t j, size_t h, const float *y, const float *dh, float *da, float *d_bias,
                                 int relu) {
    for (; j < h; j++) {
        const float d = relu ? (y[j] > 0 ? dh[j] : 0.0f) : dh[j] * (1.0f - y[j] * y[j]);
        da[j] = d;
        d_bias[j] = d_bias[j] + d;
    }
}

/* ---- AVX2 (eight lanes, the same operations) ------------------------------- */

#if defined(__x86_64__)
#define V __m256
#define LD(p) _mm256_loadu_ps(p)
#define ST(p, v) _mm256_storeu_ps((p), (v))
#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define MUL _mm256_mul_ps
#define DIV _mm256_div_ps
#define K(c) _mm256_set1_ps(c)
#define LT(a, b) _mm256_cmp_ps((a), (b), _CMP_LT_OQ)
#define GT(a, b) _mm256_cmp_ps((a), (b), _CMP_GT_OQ)
/* where mask: b, else a */
#define SEL(a, b, mask) _mm256_blendv_ps((a), (b), (mask))

RT_AVX2_ONLY static inline V rt_exp8(V x0) {
    V x = SEL(x0, K(-87.0f), LT(x0, K(-87.0f)));
    x = SEL(x, K(88.0f), GT(x, K(88.0f)));
    const V shifted = ADD(MUL(x, K(1.44269504f)), K(12582912.0f));
    const V n = SUB(shifted, K(12582912.0f));
    V r = SUB(x, MUL(n, K(0.693359375f)));
    r = SUB(r, MUL(n, K(-2.12194440e-4f)));
    V p = K(1.9875691500e-4f);
    p = ADD(MUL(p, r), K(1.3981999507e-3f));
    p = ADD(MUL(p, r), K(8.3334519073e-3f));
    p = ADD(MUL(p, r), K(4.1665795894e-2f));
    p = ADD(MUL(p, r), K(1.6666665459e-1f));
    p = ADD(MUL(p, r), K(5.0000001201e-1f));
    p = ADD(MUL(p, MUL(r, r)), r);
    p = ADD(p, K(1.0f));
    const __m256i ni = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000));
    const V pow2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(ni, _mm256_set1_epi32(127)), 23));
    return MUL(p, pow2);
}

RT_AVX2_ONLY static inline V rt_sigmoid8(V x) {
    return DIV(K(1.0f), ADD(K(1.0f), rt_exp8(_mm256_xor_ps(x, K(-0.0f)))));
}

RT_AVX2_ONLY static inline V rt_tanh_small8(V x) {
    const V z = MUL(x, x);
    V p = K(-5.70498872745e-3f);
    p = ADD(MUL(p, z), K(2.06390887954e-2f));
    p = SUB(MUL(p, z), K(5.37397155531e-2f));
    p = ADD(MUL(p, z), K(1.33314422036e-1f));
    p = SUB(MUL(p, z), K(3.33332819422e-1f));
    return ADD(MUL(MUL(p, z), x), x);
}

/* Each branch is computed only when some lane needs it (the values are the same either way). */
RT_AVX2_ONLY static inline V rt_tanh8(V x) {
    const V negative = LT(x, _mm256_setzero_ps());
    const V a = SEL(x, _mm256_xor_ps(x, K(-0.0f)), negative);
    const V small = LT(a, K(0.625f));
    const int small_lanes = _mm256_movemask_ps(small);
    if (small_lanes == 0xFF) return rt_tanh_small8(x);
    const V t = SUB(K(1.0f), DIV(K(2.0f), ADD(rt_exp8(ADD(a, a)), K(1.0f))));
    const V large = SEL(t, _mm256_xor_ps(t, K(-0.0f)), negative);
    if (small_lanes == 0) return large;
    return SEL(large, rt_tanh_small8(x), small);
}

RT_AVX2_ONLY static void rt_lstm_forward_avx2(size_t h, float *g, const float *bias, const float *c_prev,
                                              float *c_next, float *tanh_c, float *h_next) {
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V i = rt_sigmoid8(ADD(LD(g + j), LD(bias + j)));
        const V f = rt_sigmoid8(ADD(LD(g + h + j), LD(bias + h + j)));
        const V gg = rt_tanh8(ADD(LD(g + 2 * h + j), LD(bias + 2 * h + j)));
        const V o = rt_sigmoid8(ADD(LD(g + 3 * h + j), LD(bias + 3 * h + j)));
        ST(g + j, i); ST(g + h + j, f); ST(g + 2 * h + j, gg); ST(g + 3 * h + j, o);
        const V c = ADD(MUL(f, LD(c_prev + j)), MUL(i, gg));
        const V tc = rt_tanh8(c);
        ST(c_next + j, c);
        ST(tanh_c + j, tc);
        ST(h_next + j, MUL(o, tc));
    }
    rt_lstm_forward_cols(j, h, g, bias, c_prev, c_next, tanh_c, h_next);
}

RT_AVX2_ONLY static void rt_lstm_backward_avx2(size_t h, const float *g, const float *c_prev, const float *tanh_c,
                                               const float *dh, float *dc, float *dg, float *d_bias) {
    const V one = K(1.0f);
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V i = LD(g + j), f = LD(g + h + j), gg = LD(g + 2 * h + j), o = LD(g + 3 * h + j);
        const V tc = LD(tanh_c + j), dhv = LD(dh + j);
        const V dcv = ADD(LD(dc + j), MUL(MUL(dhv, o), SUB(one, MUL(tc, tc))));
        const V dai = MUL(MUL(MUL(dcv, gg), i), SUB(one, i));
        const V daf = MUL(MUL(MUL(dcv, LD(c_prev + j)), f), SUB(one, f));
        const V dag = MUL(MUL(dcv, i), SUB(one, MUL(gg, gg)));
        const V dao = MUL(MUL(MUL(dhv, tc), o), SUB(one, o));
        ST(dg + j, dai); ST(dg + h + j, daf); ST(dg + 2 * h + j, dag); ST(dg + 3 * h + j, dao);
        ST(d_bias + j, ADD(LD(d_bias + j), dai));
        ST(d_bias + h + j, ADD(LD(d_bias + h + j), daf));
        ST(d_bias + 2 * h + j, ADD(LD(d_bias + 2 * h + j), dag));
        ST(d_bias + 3 * h + j, ADD(LD(d_bias + 3 * h + j), dao));
        ST(dc + j, MUL(dcv, f));
    }
    rt_lstm_backward_cols(j, h, g, c_prev, tanh_c, dh, dc, dg, d_bias);
}

RT_AVX2_ONLY static void rt_gru_forward_avx2(size_t h, float *u, float *v, const float *bias, const float *bias_hn,
                                             const float *h_prev, float *h_next) {
    const V one = K(1.0f);
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V r = rt_sigmoid8(ADD(ADD(LD(u + j), LD(bias + j)), LD(v + j)));
        const V z = rt_sigmoid8(ADD(ADD(LD(u + h + j), LD(bias + h + j)), LD(v + h + j)));
        const V vn = ADD(LD(v + 2 * h + j), LD(bias_hn + j));
        const V n = rt_tanh8(ADD(ADD(LD(u + 2 * h + j), LD(bias + 2 * h + j)), MUL(r, vn)));
        ST(u + j, r); ST(u + h + j, z); ST(u + 2 * h + j, n);
        ST(v + 2 * h + j, vn);
        ST(h_next + j, ADD(MUL(SUB(one, z), n), MUL(z, LD(h_prev + j))));
    }
    rt_gru_forward_cols(j, h, u, v, bias, bias_hn, h_prev, h_next);
}

RT_AVX2_ONLY static void rt_gru_backward_avx2(size_t h, const float *g, const float *v, const float *h_prev,
                                              float *dh, float *dgx, float *dgh, float *d_bias_ih,
                                              float *d_bias_hh) {
    const V one = K(1.0f);
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V r = LD(g + j), z = LD(g + h + j), n = LD(g + 2 * h + j);
        const V dhv = LD(dh + j);
        const V dan = MUL(MUL(dhv, SUB(one, z)), SUB(one, MUL(n, n)));
        const V dar = MUL(MUL(MUL(dan, LD(v + 2 * h + j)), r), SUB(one, r));
        const V daz = MUL(MUL(MUL(dhv, SUB(LD(h_prev + j), n)), z), SUB(one, z));
        const V dhn = MUL(dan, r);
        ST(dgx + j, dar); ST(dgx + h + j, daz); ST(dgx + 2 * h + j, dan);
        ST(dgh + j, dar); ST(dgh + h + j, daz); ST(dgh + 2 * h + j, dhn);
        ST(d_bias_ih + j, ADD(LD(d_bias_ih + j), dar));
        ST(d_bias_ih + h + j, ADD(LD(d_bias_ih + h + j), daz));
        ST(d_bias_ih + 2 * h + j, ADD(LD(d_bias_ih + 2 * h + j), dan));
        ST(d_bias_hh + j, ADD(LD(d_bias_hh + j), dar));
        ST(d_bias_hh + h + j, ADD(LD(d_bias_hh + h + j), daz));
        ST(d_bias_hh + 2 * h + j, ADD(LD(d_bias_hh + 2 * h + j), dhn));
        ST(dh + j, MUL(dhv, z));
    }
    rt_gru_backward_cols(j, h, g, v, h_prev, dh, dgx, dgh, d_bias_ih, d_bias_hh);
}

RT_AVX2_ONLY static void rt_rnn_forward_avx2(size_t h, float *a, const float *bias, int relu) {
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V x = ADD(LD(a + j), LD(bias + j));
        ST(a + j, relu ? SEL(x, _mm256_setzero_ps(), LT(x, _mm256_setzero_ps())) : rt_tanh8(x));
    }
    rt_rnn_forward_cols(j, h, a, bias, relu);
}

RT_AVX2_ONLY static void rt_rnn_backward_avx2(size_t h, const float *y, const float *dh, float *da, float *d_bias,
                                              int relu) {
    size_t j = 0;
    for (; j + 8 <= h; j += 8) {
        const V yv = LD(y + j), dhv = LD(dh + j);
        /* relu: dh where y > 0, else 0 (and 0 where y is NaN) */
        const V d = relu ? _mm256_and_ps(dhv, GT(yv, _mm256_setzero_ps())) : MUL(dhv, SUB(K(1.0f), MUL(yv, yv)));
        ST(da + j, d);
        ST(d_bias + j, ADD(LD(d_bias + j), d));
    }
    rt_rnn_backward_cols(j, h, y, dh, da, d_bias, relu);
}

/* The whole blocks of eight; returns where the one-lane tail starts. */
RT_AVX2_ONLY static size_t rt_tanh_avx2(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) ST(x + i, rt_tanh8(LD(x + i)));
    return i;
}

RT_AVX2_ONLY static size_t rt_exp_shifted_avx2(const float *z, float shift, float *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) ST(p + i, rt_exp8(SUB(LD(z + i), K(shift))));
    return i;
}
#endif

/* ---- the rows ---------------------------------------------------------------- */

void rt_lstm_forward_rows(rt_path path, size_t rows, size_t h, float *gates, const float *bias,
                          const float *c_prev, float *c_next, float *tanh_c, float *h_next) {
    for (size_t b = 0; b < rows; b++) {
        float *g = gates + b * 4 * h;
        const size_t o = b * h;
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_lstm_forward_avx2(h, g, bias, c_prev + o, c_next + o, tanh_c + o, h_next + o);
            continue;
        }
#endif
        rt_lstm_forward_cols(0, h, g, bias, c_prev + o, c_next + o, tanh_c + o, h_next + o);
    }
}

void rt_lstm_backward_rows(rt_path path, size_t rows, size_t h, const float *gates, const float *c_prev,
                           const float *tanh_c, const float *dh, float *dc, float *d_gates, float *d_bias,
                           size_t bias_rows) {
    for (size_t b = 0; b < rows; b++) {
        const size_t o = b * h, o4 = b * 4 * h;
        float *db = d_bias + (b / bias_rows) * 4 * h;
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_lstm_backward_avx2(h, gates + o4, c_prev + o, tanh_c + o, dh + o, dc + o, d_gates + o4, db);
            continue;
        }
#endif
        rt_lstm_backward_cols(0, h, gates + o4, c_prev + o, tanh_c + o, dh + o, dc + o, d_gates + o4, db);
    }
}

void rt_gru_forward_rows(rt_path path, size_t rows, size_t h, float *u, float *v, const float *bias,
                         const float *bias_hn, const float *h_prev, float *h_next) {
    for (size_t b = 0; b < rows; b++) {
        const size_t o = b * h, o3 = b * 3 * h;
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_gru_forward_avx2(h, u + o3, v + o3, bias, bias_hn, h_prev + o, h_next + o);
            continue;
        }
#endif
        rt_gru_forward_cols(0, h, u + o3, v + o3, bias, bias_hn, h_prev + o, h_next + o);
    }
}

void rt_gru_backward_rows(rt_path path, size_t rows, size_t h, const float *gates, const float *v,
                          const float *h_prev, float *dh, float *d_gx, float *d_gh, float *d_bias_ih,
                          float *d_bias_hh, size_t bias_rows) {
    for (size_t b = 0; b < rows; b++) {
        const size_t o = b * h, o3 = b * 3 * h, ob = (b / bias_rows) * 3 * h;
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_gru_backward_avx2(h, gates + o3, v + o3, h_prev + o, dh + o, d_gx + o3, d_gh + o3, d_bias_ih + ob,
                                 d_bias_hh + ob);
            continue;
        }
#endif
        rt_gru_backward_cols(0, h, gates + o3, v + o3, h_prev + o, dh + o, d_gx + o3, d_gh + o3, d_bias_ih + ob,
                             d_bias_hh + ob);
    }
}

void rt_rnn_forward_rows(rt_path path, size_t rows, size_t h, float *a, const float *bias, int relu) {
    for (size_t b = 0; b < rows; b++) {
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_rnn_forward_avx2(h, a + b * h, bias, relu);
            continue;
        }
#endif
        rt_rnn_forward_cols(0, h, a + b * h, bias, relu);
    }
}

void rt_rnn_backward_rows(rt_path path, size_t rows, size_t h, const float *y, const float *dh, float *da,
                          float *d_bias, size_t bias_rows, int relu) {
    for (size_t b = 0; b < rows; b++) {
        const size_t o = b * h;
#if defined(__x86_64__)
        if (path == RT_PATH_AVX2_FMA) {
            rt_rnn_backward_avx2(h, y + o, dh + o, da + o, d_bias + (b / bias_rows) * h, relu);
            continue;
        }
#endif
        rt_rnn_backward_cols(0, h, y + o, dh + o, da + o, d_bias + (b / bias_rows) * h, relu);
    }
}

void rt_tanh_in_place(rt_path path, float *x, size_t n) {
    size_t i = 0;
#if defined(__x86_64__)
    if (path == RT_PATH_AVX2_FMA) i = rt_tanh_avx2(x, n);
#endif
    for (; i < n; i++) x[i] = rt_tanh1(x[i]);
}

void rt_exp_shifted(rt_path path, const float *z, float shift, float *p, size_t n) {
    size_t i = 0;
#if defined(__x86_64__)
    if (path == RT_PATH_AVX2_FMA) i = rt_exp_shifted_avx2(z, shift, p, n);
#endif
    for (; i < n; i++) p[i] = rt_exp1(z[i] - shift);
}
