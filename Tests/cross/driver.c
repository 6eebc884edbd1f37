/*
 * driver.c — the cross-architecture check of CRuntime (scripts/cross-check).
 *
 * Built without Swift for x86-64, aarch64 and armv7 and run under qemu. It
 *   1. compares every kernel path this binary has and this CPU supports with
 *      the scalar reference: int8 products exactly, f32 products, sigmoid and
 *      tanh, and whole LSTM/GRU/RNN/dense steps bit for bit, at odd sizes;
 *   2. prints four 64-bit FNV-1a digests per path of the output bits of fixed
 *      seeded models: "int8" covers the int8 LSTM/GRU/RNN layers and dense
 *      heads (the outputs a board must reproduce exactly), "all" adds the f32
 *      layers and the activation sweep; "conv-int8" covers int8 conv2d layers
 *      at odd shapes with relu, max-pools and the global average pool after
 *      them, "conv-all" adds the f32 conv2d layers. The script compares them
 *      with the golden recorded on x86-64 (Tests/cross/golden.txt);
 *   3. checks that the image layers refuse hostile shapes, including the
 *      limits of a 32-bit size_t on armv7.
 *
 * Output: "path <name> ok|MISMATCH|unavailable", "digest <int8|all|conv-int8|
 * conv-all> <name> <16 hex digits>", "FAIL ..." lines for mismatches; exit
 * status 1 on any mismatch.
 */
#include "recur_core.h"
#include "splitmix64.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- seeded inputs ------------------------------------------------------- */

/* Every input of this check comes from splitmix64.h. */

static int8_t rng_q8(void) { return (int8_t)((int)(rng_next() % 255) - 127); }

static void fill_f32(float *x, size_t n, float lo, float hi) {
    for (size_t i = 0; i < n; i++) x[i] = rng_float(lo, hi);
}

static void fill_q8(int8_t *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = rng_q8();
}

/* ---- digest -------------------------------------------------------------- */

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

/* Hashes float bits as little-endian words, so every target hashes the same bytes. */
static uint64_t fnv_floats(uint64_t h, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t u = 0x7FC00000u; /* every NaN hashes as the default NaN */
        if (x[i] == x[i]) memcpy(&u, &x[i], sizeof u);
        unsigned char b[4] = {(unsigned char)u, (unsigned char)(u >> 8), (unsigned char)(u >> 16),
                              (unsigned char)(u >> 24)};
        h = fnv_bytes(h, b, 4);
    }
    return h;
}

/* ---- buffers (static: this driver allocates once, up front) --------------- */

#define MAXN (4 * 257 * 257 + 64)
static int8_t wq[MAXN];
static float wf[MAXN];
static int8_t xq[4 * 257];
static float xf[4 * 257 * 2];
static int32_t acc_ref[4 * 257], acc_path[4 * 257];
static float y_ref[4 * 257], y_path[4 * 257];
static _Alignas(64) unsigned char scratch[1 << 22];
static float state_ref[8 * 2 * 257], state_path[8 * 2 * 257];

static int failures;

static void fail(const char *what, const char *path, size_t a, size_t b, size_t c) {
    failures++;
    if (failures <= 20) printf("FAIL %s path=%s (%zu, %zu, %zu)\n", what, path, a, b, c);
}

/* Equal bits, or both NaN: the sign and payload of a NaN are not part of the
 * contract (x86 and ARM propagate different NaN operands of an addition). */
static int same_bits(const float *a, const float *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (a[i] != a[i] && b[i] != b[i]) continue;
        if (memcmp(&a[i], &b[i], sizeof(float)) != 0) return 0;
    }
    return 1;
}

static const size_t row_sizes[] = {1, 3, 4, 5, 7, 8, 15, 16, 17, 33};
static const size_t col_sizes[] = {1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 257};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- kernel equivalence -------------------------------------------------- */

static void check_products(const rc_kernels *k) {
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    const char *name = rc_path_name(rc_kernels_path(k));
    for (size_t i = 0; i < COUNT(row_sizes); i++) {
        for (size_t j = 0; j < COUNT(col_sizes); j++) {
            size_t rows = row_sizes[i], cols = col_sizes[j];
            for (size_t nvec = 1; nvec <= 3; nvec += 2) {
                fill_q8(wq, rows * cols);
                fill_q8(xq, nvec * cols);
                rc_matvec_q8(ref, wq, rows, cols, xq, nvec, acc_ref);
                rc_matvec_q8(k, wq, rows, cols, xq, nvec, acc_path);
                if (memcmp(acc_ref, acc_path, nvec * rows * sizeof(int32_t)) != 0) {
                    fail("matvec_q8", name, rows, cols, nvec);
                }
                /* The extremes: every product ±127·127. */
                for (size_t t = 0; t < rows * cols; t++) wq[t] = (t % 3 == 0) ? -127 : 127;
                for (size_t t = 0; t < nvec * cols; t++) xq[t] = (t % 2 == 0) ? 127 : -127;
                rc_matvec_q8(ref, wq, rows, cols, xq, nvec, acc_ref);
                rc_matvec_q8(k, wq, rows, cols, xq, nvec, acc_path);
                if (memcmp(acc_ref, acc_path, nvec * rows * sizeof(int32_t)) != 0) {
                    fail("matvec_q8 extremes", name, rows, cols, nvec);
                }
                fill_f32(wf, rows * cols, -1.0f, 1.0f);
                fill_f32(xf, nvec * cols, -3.0f, 3.0f);
                rc_matvec_f32(ref, wf, rows, cols, xf, nvec, y_ref);
                rc_matvec_f32(k, wf, rows, cols, xf, nvec, y_path);
                if (!same_bits(y_ref, y_path, nvec * rows)) fail("matvec_f32", name, rows, cols, nvec);
            }
        }
    }
}

/* The packed layout (rc_pack_q8) and the path's product from it against the
 * scalar row-major product: every row count around the 16-row groups and the
 * two- and four-group blocks, every column count of col_sizes (all tails of the
 * 4-column chunks), nvec 1 to 3, random and extreme (±127·127) values. */
static const size_t packed_rows[] = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100, 129};
static _Alignas(64) int8_t packed[1 << 18];
static int8_t xpad[3 * 260];
static int32_t acc_packed[3 * 144];

static void check_packed(const rc_kernels *k) {
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    const char *name = rc_path_name(rc_kernels_path(k));
    for (size_t i = 0; i < COUNT(packed_rows); i++) {
        for (size_t j = 0; j < COUNT(col_sizes); j++) {
            size_t rows = packed_rows[i], cols = col_sizes[j];
            size_t r16 = (rows + 15) / 16 * 16, c4 = (cols + 3) / 4 * 4;
            for (size_t nvec = 1; nvec <= 3; nvec++) {
                for (int extreme = 0; extreme < 2; extreme++) {
                    fill_q8(wq, rows * cols);
                    fill_q8(xq, nvec * cols);
                    if (extreme) {
                        for (size_t t = 0; t < rows * cols; t++) wq[t] = (t % 3 == 0) ? -127 : 127;
                        for (size_t t = 0; t < nvec * cols; t++) xq[t] = (t % 2 == 0) ? 127 : -127;
                    }
                    rc_matrix m = {RC_W_Q8, (uint32_t)rows, (uint32_t)cols, NULL, wq, NULL, NULL};
                    if (rc_pack_q8(&m, packed, rc_pack_q8_bytes(m.rows, m.cols)) != RC_OK) {
                        fail("rc_pack_q8 status", name, rows, cols, nvec);
                        continue;
                    }
                    m.packed = packed;
                    memset(xpad, 0, sizeof xpad);
                    for (size_t v = 0; v < nvec; v++) memcpy(xpad + v * c4, xq + v * cols, cols);
                    rc_matvec_q8(ref, wq, rows, cols, xq, nvec, acc_ref);
                    memset(acc_packed, 0x55, sizeof acc_packed);
                    rc_matvec_q8_packed(k, &m, xpad, nvec, acc_packed);
                    for (size_t v = 0; v < nvec; v++) {
                        if (memcmp(acc_ref + v * rows, acc_packed + v * r16, rows * sizeof(int32_t)) != 0) {
                            fail(extreme ? "matvec_q8_packed extremes" : "matvec_q8_packed", name, rows, cols, nvec);
                            break;
                        }
                    }
                    /* f32: the packed layout's product against the reference's, bit for bit. */
                    fill_f32(wf, rows * cols, -1.0f, 1.0f);
                    fill_f32(xf, nvec * cols, -3.0f, 3.0f);
                    if (extreme) wf[rows * cols / 2] = 1e-40f; /* a subnormal weight */
                    rc_matrix mf = {RC_W_F32, (uint32_t)rows, (uint32_t)cols, wf, NULL, NULL, NULL};
                    if (rc_pack_f32(&mf, packed, sizeof packed) != RC_OK) {
                        fail("rc_pack_f32 status", name, rows, cols, nvec);
                        continue;
                    }
                    mf.packed = packed;
                    rc_matvec_f32(ref, wf, rows, cols, xf, nvec, y_ref);
                    memset(y_path, 0x55, sizeof y_path);
                    rc_matvec_f32_packed(k, &mf, xf, nvec, y_path);
                    uint32_t guard;
                    memcpy(&guard, &y_path[nvec * rows], sizeof guard);
                    if (!same_bits(y_ref, y_path, nvec * rows) || guard != 0x55555555u) {
                        fail("matvec_f32_packed", name, rows, cols, nvec); /* wrong, or wrote past y */
                    }
                }
            }
        }
    }
}

/* The path's quantizer against the reference's: same scale bits, same codes, at
 * odd lengths, for random vectors, exact ties (max 127 makes s = 1), a NaN, and
 * an all-zero vector. */
static float qx[300];
static int8_t qa[300], qb[300];

static void check_quantize(const rc_kernels *k) {
    const char *name = rc_path_name(rc_kernels_path(k));
    for (size_t j = 0; j < COUNT(col_sizes); j++) {
        size_t n = col_sizes[j];
        for (int kind = 0; kind < 4; kind++) {
            fill_f32(qx, n, -4.0f, 4.0f);
            if (kind == 1) {
                for (size_t i = 0; i < n; i++) qx[i] = (float)((int)(i % 254) - 126) + 0.5f;
                qx[n / 2] = 127.0f;
            }
            if (kind == 2) qx[n / 3] = __builtin_nanf("");
            if (kind == 3) memset(qx, 0, n * sizeof(float));
            memset(qa, 99, n);
            memset(qb, 99, n);
            float sa = rc_quantize_q8(qx, n, qa);
            float sb = rc_quantize_q8_with(k, qx, n, qb);
            if (memcmp(&sa, &sb, sizeof sa) != 0 || memcmp(qa, qb, n) != 0) {
                fail("quantize_q8", name, n, (size_t)kind, 0);
            }
        }
    }
}

/* Special values, then a sweep of bit patterns over every exponent, then random values. */
static size_t activation_inputs(float *x) {
    static const float special[] = {0.0f, -0.0f, 1e-45f, -1e-45f, 1e-40f, 0.625f, -0.625f,
                                    0.62499994f, 88.72283f, 88.72284f, -87.33654f, -87.33655f,
                                    44.36f, -44.37f, 1e30f, -1e30f, 3.4e38f, -3.4e38f};
    size_t n = 0;
    for (size_t i = 0; i < COUNT(special); i++) x[n++] = special[i];
    uint32_t bits[3] = {0x7F800000u, 0xFF800000u, 0x7FC00000u}; /* +inf, -inf, NaN */
    for (size_t i = 0; i < 3; i++) memcpy(&x[n++], &bits[i], sizeof(float));
    for (uint32_t u = 0; u < 0x7F800000u; u += 0x00013579u) {
        float f;
        memcpy(&f, &u, sizeof f);
        x[n++] = f;
        x[n++] = -f;
    }
    for (size_t i = 0; i < 4000; i++) x[n++] = rng_float(-12.0f, 12.0f);
    return n;
}

static float act_in[60000], act_ref[60000], act_path[60000];

static void check_activations(const rc_kernels *k, uint64_t *digest) {
    const char *name = rc_path_name(rc_kernels_path(k));
    size_t n = activation_inputs(act_in);
    for (int which = 0; which < 2; which++) {
        memcpy(act_ref, act_in, n * sizeof(float));
        memcpy(act_path, act_in, n * sizeof(float));
        for (size_t i = 0; i < n; i++) {
            act_ref[i] = which == 0 ? rc_sigmoid(act_in[i]) : rc_tanh(act_in[i]);
        }
        /* Odd lengths from odd offsets, so that every tail length is hit. */
        size_t at = 0;
        for (size_t len = 1; at < n; len = len % 37 + 2) {
            size_t m = len < n - at ? len : n - at;
            if (which == 0) rc_sigmoid_vec(k, act_path + at, m);
            else rc_tanh_vec(k, act_path + at, m);
            at += m;
        }
        if (!same_bits(act_ref, act_path, n)) {
            for (size_t i = 0; i < n; i++) {
                if (!same_bits(&act_ref[i], &act_path[i], 1)) {
                    fail(which == 0 ? "sigmoid" : "tanh", name, i, 0, 0);
                    break;
                }
            }
        }
        *digest = fnv_floats(*digest, act_path, n);
    }
    /* softmax: every length 1…40 and a few long ones, from random, large, tied, -inf
     * and NaN inputs, against rc_softmax bit for bit. */
    static const size_t lengths[] = {48, 63, 64, 65, 257};
    for (size_t t = 0; t < 40 + COUNT(lengths); t++) {
        size_t len = t < 40 ? t + 1 : lengths[t - 40];
        for (int kind = 0; kind < 4; kind++) {
            fill_f32(act_in, len, kind == 1 ? -90.0f : -8.0f, kind == 1 ? 90.0f : 8.0f);
            if (kind == 2) act_in[len / 2] = -__builtin_inff();
            if (kind == 3) act_in[len / 3] = __builtin_nanf("");
            memcpy(act_ref, act_in, len * sizeof(float));
            memcpy(act_path, act_in, len * sizeof(float));
            rc_softmax(act_ref, len);
            rc_softmax_vec(k, act_path, len);
            if (!same_bits(act_ref, act_path, len)) fail("softmax", name, len, (size_t)kind, 0);
        }
    }
}

/* ---- whole steps --------------------------------------------------------- */

typedef struct model {
    rc_recurrent layer;
    rc_dense dense;
} model;

/* Builds a seeded layer (int8 or f32 weights) in the static buffers from `base`. */
static void make_matrix(rc_matrix *m, rc_wtype type, size_t rows, size_t cols,
                        int8_t *q, float *f, float *s, int8_t *pack, size_t pack_bytes) {
    m->type = type;
    m->rows = (uint32_t)rows;
    m->cols = (uint32_t)cols;
    m->packed = NULL;
    if (type == RC_W_Q8) {
        fill_q8(q, rows * cols);
        fill_f32(s, rows, 0.002f, 0.02f);
        m->q8 = q;
        m->scale = s;
        m->f32 = NULL;
        /* The layout a model gets at load; the scalar path ignores it. */
        if (rc_pack_q8(m, pack, pack_bytes) != RC_OK) {
            printf("FAIL rc_pack_q8 status\n");
            exit(1);
        }
        m->packed = pack;
    } else {
        fill_f32(f, rows * cols, -0.4f, 0.4f);
        m->f32 = f;
        m->q8 = NULL;
        m->scale = NULL;
        if (rc_pack_f32(m, pack, pack_bytes) != RC_OK) {
            printf("FAIL rc_pack_f32 status\n");
            exit(1);
        }
        m->packed = pack;
    }
}

static int8_t lq_ih[4 * 257 * 257], lq_hh[4 * 257 * 257];
static float lf_ih[4 * 257 * 257], lf_hh[4 * 257 * 257];
static float ls_ih[4 * 257], ls_hh[4 * 257], lb_ih[4 * 257], lb_hh[4 * 257];
#define PACK_BYTES (1040 * 260 * 4)
static _Alignas(64) int8_t lp_ih[PACK_BYTES], lp_hh[PACK_BYTES];

/* Runs `steps` timesteps of one layer on path k, from a seeded start; returns the digest. */
static uint64_t run_layer(const rc_kernels *k, const rc_recurrent *l, size_t nvec, size_t x_stride,
                          uint64_t seed, float *state, uint64_t h) {
    size_t sf = rc_recurrent_state_floats(l);
    size_t need = rc_recurrent_scratch_bytes(l, nvec);
    if (need > sizeof scratch) {
        printf("FAIL scratch too small\n");
        exit(1);
    }
    uint64_t saved = rng_state;
    rng_state = seed;
    fill_f32(state, nvec * sf, -0.5f, 0.5f);
    for (int t = 0; t < 4; t++) {
        fill_f32(xf, x_stride == 0 ? l->input : (nvec - 1) * x_stride + l->input, -2.0f, 2.0f);
        if (t == 2) memset(xf, 0, l->input * sizeof(float)); /* a zero input vector */
        if (rc_recurrent_step(k, l, xf, x_stride, nvec, state, scratch) != RC_OK) {
            printf("FAIL rc_recurrent_step status\n");
            exit(1);
        }
        h = fnv_floats(h, state, nvec * sf);
    }
    rng_state = saved;
    return h;
}

static uint64_t run_dense(const rc_kernels *k, const rc_dense *l, size_t nvec, size_t x_stride,
                          uint64_t seed, float *y, uint64_t h) {
    uint64_t saved = rng_state;
    rng_state = seed;
    fill_f32(xf, (x_stride == 0 ? 1 : nvec) * l->input, -2.0f, 2.0f);
    if (rc_dense_step(k, l, xf, x_stride, nvec, y, scratch) != RC_OK) {
        printf("FAIL rc_dense_step status\n");
        exit(1);
    }
    rng_state = saved;
    return fnv_floats(h, y, nvec * l->output);
}

static const struct { rc_cell cell; size_t input, hidden; } layer_shapes[] = {
    {RC_CELL_LSTM, 9, 64}, {RC_CELL_LSTM, 17, 33}, {RC_CELL_GRU, 9, 64}, {RC_CELL_GRU, 31, 15},
    {RC_CELL_RNN_TANH, 7, 17}, {RC_CELL_RNN_RELU, 33, 8}, {RC_CELL_LSTM, 64, 257},
};

/* Every layer shape, both weight types, nvec 1 and 3, x_stride 0 and non-zero:
 * the scalar digest and path k's must agree. Every case's digest goes into *h;
 * the int8 cases' also into *h_int8. */
static void check_steps(const rc_kernels *k, uint64_t *h, uint64_t *h_int8) {
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    const char *name = rc_path_name(rc_kernels_path(k));
    for (size_t i = 0; i < COUNT(layer_shapes); i++) {
        for (int type = 0; type < 2; type++) {
            rc_recurrent l;
            memset(&l, 0, sizeof l);
            l.cell = layer_shapes[i].cell;
            l.input = (uint32_t)layer_shapes[i].input;
            l.hidden = (uint32_t)layer_shapes[i].hidden;
            size_t gh = (l.cell == RC_CELL_LSTM ? 4 : l.cell == RC_CELL_GRU ? 3 : 1) * l.hidden;
            uint64_t saved = rng_state;
            rng_state = 1000 + i * 2 + (uint64_t)type;
            make_matrix(&l.w_ih, (rc_wtype)type, gh, l.input, lq_ih, lf_ih, ls_ih, lp_ih, PACK_BYTES);
            make_matrix(&l.w_hh, (rc_wtype)type, gh, l.hidden, lq_hh, lf_hh, ls_hh, lp_hh, PACK_BYTES);
            fill_f32(lb_ih, gh, -0.3f, 0.3f);
            fill_f32(lb_hh, gh, -0.3f, 0.3f);
            rng_state = saved;
            l.b_ih = lb_ih;
            l.b_hh = lb_hh;
            if (rc_recurrent_validate(&l) != RC_OK) {
                printf("FAIL validate\n");
                exit(1);
            }
            size_t cases[4][2] = {{1, 0}, {1, l.input}, {3, 0}, {3, l.input + 2}};
            for (size_t c = 0; c < 4; c++) {
                size_t nvec = cases[c][0], stride = cases[c][1];
                uint64_t seed = 77 + c;
                uint64_t a = run_layer(ref, &l, nvec, stride, seed, state_ref, 0xCBF29CE484222325ull);
                uint64_t b = run_layer(k, &l, nvec, stride, seed, state_path, 0xCBF29CE484222325ull);
                if (a != b || !same_bits(state_ref, state_path, nvec * rc_recurrent_state_floats(&l))) {
                    fail(type == RC_W_Q8 ? "int8 step" : "f32 step", name, i, nvec, stride);
                }
                *h = fnv_bytes(*h, &b, sizeof b);
                if (type == RC_W_Q8) *h_int8 = fnv_bytes(*h_int8, &b, sizeof b);
                /* The same layer without the packed forms: the path's row-major products. */
                rc_recurrent plain = l;
                plain.w_ih.packed = NULL;
                plain.w_hh.packed = NULL;
                uint64_t r = run_layer(k, &plain, nvec, stride, seed, state_path, 0xCBF29CE484222325ull);
                if (r != a) fail(type == RC_W_Q8 ? "int8 step row-major" : "f32 step row-major", name, i, nvec, stride);
            }
        }
    }
    static const rc_activation acts[] = {RC_ACT_NONE, RC_ACT_RELU, RC_ACT_TANH, RC_ACT_SOFTMAX};
    for (size_t a = 0; a < COUNT(acts); a++) {
        for (int type = 0; type < 2; type++) {
            rc_dense d;
            memset(&d, 0, sizeof d);
            d.input = 33;
            d.output = 10 + (uint32_t)a;
            d.activation = acts[a];
            uint64_t saved = rng_state;
            rng_state = 5000 + a * 2 + (uint64_t)type;
            make_matrix(&d.w, (rc_wtype)type, d.output, d.input, lq_ih, lf_ih, ls_ih, lp_ih, PACK_BYTES);
            fill_f32(lb_ih, d.output, -0.3f, 0.3f);
            rng_state = saved;
            d.bias = lb_ih;
            for (size_t c = 0; c < 2; c++) {
                size_t nvec = 1 + 2 * c, stride = c == 0 ? 0 : d.input;
                uint64_t ha = run_dense(ref, &d, nvec, stride, 99, y_ref, 0xCBF29CE484222325ull);
                uint64_t hb = run_dense(k, &d, nvec, stride, 99, y_path, 0xCBF29CE484222325ull);
                if (ha != hb) fail(type == RC_W_Q8 ? "int8 dense" : "f32 dense", name, a, nvec, stride);
                *h = fnv_bytes(*h, &hb, sizeof hb);
                if (type == RC_W_Q8) *h_int8 = fnv_bytes(*h_int8, &hb, sizeof hb);
            }
        }
    }
}

/* ---- image layers ---------------------------------------------------------- */

/* conv2d shapes: H, W, C, F, KH, KW, SH, SW, PH, PW. Odd sizes everywhere; a 1×1
 * pixel, a kernel as large as the image, one larger than the image but within the
 * padding, padding wider than the kernel (windows of padding only), 1×1 kernels,
 * P = 260 (a 4-column tail of zero), F around the 16-row groups. */
static const uint32_t conv_shapes[][10] = {
    {1, 1, 1, 1, 1, 1, 1, 1, 0, 0},   {5, 7, 3, 5, 3, 3, 1, 1, 1, 1},   {9, 11, 2, 17, 3, 5, 2, 3, 1, 2},
    {13, 6, 5, 33, 5, 2, 3, 1, 2, 0}, {7, 7, 1, 1, 7, 7, 1, 1, 0, 0},   {4, 4, 1, 3, 6, 6, 1, 1, 1, 1},
    {3, 17, 31, 7, 1, 1, 1, 2, 0, 0}, {6, 5, 65, 4, 2, 2, 2, 2, 0, 0},  {3, 3, 2, 2, 2, 2, 1, 1, 3, 3},
    {32, 32, 3, 16, 3, 3, 1, 1, 1, 1}, {15, 9, 4, 16, 4, 3, 3, 2, 2, 1},
};
#define CONV_OUT (32 * 32 * 33)
static float conv_x[32 * 32 * 65];
static float conv_ref[CONV_OUT], conv_path[CONV_OUT + 1], pool_path[CONV_OUT];

/* Max-pools (2×2 stride 2, 3×3 stride 2, 3×1 stride 1×2 when they fit), then the
 * global average pool of y (oh × ow × c, after a relu); hashes every result. */
static uint64_t hash_pools(const float *y, uint32_t oh, uint32_t ow, uint32_t c, float *out, uint64_t h) {
    static const uint32_t windows[][4] = {{2, 2, 2, 2}, {3, 3, 2, 2}, {3, 1, 1, 2}};
    for (size_t i = 0; i < COUNT(windows); i++) {
        rc_pool2d p = {oh, ow, c, windows[i][0], windows[i][1], windows[i][2], windows[i][3]};
        uint32_t ph, pw;
        if (rc_pool2d_out_shape(&p, &ph, &pw) != RC_OK) continue;
        if (rc_maxpool2d(&p, y, out) != RC_OK) fail("maxpool status", "-", oh, ow, c);
        h = fnv_floats(h, out, (size_t)ph * pw * c);
    }
    if (rc_global_avgpool(oh, ow, c, y, out) != RC_OK) fail("avgpool status", "-", oh, ow, c);
    return fnv_floats(h, out, c);
}

/* One conv2d on path k into y (with a guard float after it); exits on a bad status. */
static void run_conv(const rc_kernels *k, const rc_conv2d *l, float *y, size_t n) {
    if (rc_conv2d_scratch_bytes(l) > sizeof scratch) {
        printf("FAIL conv scratch too small\n");
        exit(1);
    }
    memset(y, 0x55, (n + 1) * sizeof(float));
    if (rc_conv2d_apply(k, l, conv_x, y, scratch) != RC_OK) {
        printf("FAIL rc_conv2d_apply status\n");
        exit(1);
    }
}

/* Every conv shape with int8 and f32 weights, on a random image, a zero image and
 * one with a NaN: path k's output (from the packed weights, and from the row-major
 * ones) bit for bit against scalar, nothing written past the output; then relu and
 * the pools on it. Every result goes into *h, the int8 ones also into *h_int8. */
static void check_conv(const rc_kernels *k, uint64_t *h, uint64_t *h_int8) {
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    const char *name = rc_path_name(rc_kernels_path(k));
    for (size_t i = 0; i < COUNT(conv_shapes); i++) {
        const uint32_t *s = conv_shapes[i];
        for (int type = 0; type < 2; type++) {
            rc_conv2d l = {s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], {0}, lb_ih};
            size_t patch = (size_t)s[4] * s[5] * s[2];
            uint64_t saved = rng_state;
            rng_state = 7000 + i * 2 + (uint64_t)type;
            make_matrix(&l.w, (rc_wtype)type, s[3], patch, lq_ih, lf_ih, ls_ih, lp_ih, PACK_BYTES);
            fill_f32(lb_ih, s[3], -0.3f, 0.3f);
            uint32_t oh, ow;
            if (rc_conv2d_out_shape(&l, &oh, &ow) != RC_OK) {
                printf("FAIL conv shape %zu\n", i);
                exit(1);
            }
            size_t n = (size_t)oh * ow * s[3], in = (size_t)s[0] * s[1] * s[2];
            for (int image = 0; image < 3; image++) {
                fill_f32(conv_x, in, -2.0f, 2.0f);
                if (image == 1) memset(conv_x, 0, in * sizeof(float));
                if (image == 2) conv_x[in / 2] = __builtin_nanf("");
                run_conv(ref, &l, conv_ref, n);
                run_conv(k, &l, conv_path, n);
                uint32_t guard;
                memcpy(&guard, &conv_path[n], sizeof guard);
                if (!same_bits(conv_ref, conv_path, n) || guard != 0x55555555u) {
                    fail(type == RC_W_Q8 ? "int8 conv2d" : "f32 conv2d", name, i, (size_t)image, 0);
                }
                rc_conv2d plain = l;
                plain.w.packed = NULL;
                run_conv(k, &plain, conv_path, n);
                if (!same_bits(conv_ref, conv_path, n)) {
                    fail(type == RC_W_Q8 ? "int8 conv2d row-major" : "f32 conv2d row-major", name, i, (size_t)image, 0);
                }
                uint64_t c = fnv_floats(0xCBF29CE484222325ull, conv_path, n);
                rc_relu(conv_path, n);
                c = hash_pools(conv_path, oh, ow, s[3], pool_path, c);
                *h = fnv_bytes(*h, &c, sizeof c);
                if (type == RC_W_Q8) *h_int8 = fnv_bytes(*h_int8, &c, sizeof c);
            }
            rng_state = saved;
        }
    }
}

/* Shapes the image layers must refuse, and a 32-bit size_t's own limits. */
static void check_conv_refusals(void) {
    static int8_t w1[4] = {1, 2, 3, 4};
    static float sc[1] = {0.01f}, b1[1] = {0.0f};
    rc_matrix m = {RC_W_Q8, 1, 4, NULL, w1, sc, NULL};
    rc_conv2d ok = {2, 2, 1, 1, 2, 2, 1, 1, 0, 0, m, b1};
    if (rc_conv2d_validate(&ok) != RC_OK) fail("conv2d valid shape refused", "-", 0, 0, 0);
    rc_conv2d l = ok;
    l.kernel_h = 5; l.w.cols = 10; /* 5 × 2 kernel on a 2 × 2 image without padding */
    if (rc_conv2d_validate(&l) != RC_ERR_ARGUMENT) fail("conv2d kernel > padded input", "-", 0, 0, 0);
    l = ok;
    l.stride_w = 0;
    if (rc_conv2d_validate(&l) != RC_ERR_ARGUMENT) fail("conv2d stride 0", "-", 0, 0, 0);
    l = ok;
    l.pad_h = (uint32_t)-1; /* a negative padding from a signed caller */
    if (rc_conv2d_validate(&l) != RC_ERR_ARGUMENT) fail("conv2d negative padding", "-", 0, 0, 0);
    /* A 65536 × 65536 × 2 image: 2^33 floats. Refused when size_t has 32 bits. */
    l = ok;
    l.height = 65536;
    l.width = 65536;
    l.channels = 2;
    l.kernel_h = 1;
    l.kernel_w = 2;
    l.w.cols = 4;
    rc_status st = rc_conv2d_validate(&l);
    if (sizeof(size_t) == 4 ? st != RC_ERR_ARGUMENT : st != RC_OK) fail("conv2d size_t limit", "-", sizeof(size_t), 0, 0);
    rc_pool2d p = {65536, 65536, 2, 2, 2, 2, 2};
    uint32_t oh, ow;
    st = rc_pool2d_out_shape(&p, &oh, &ow);
    if (sizeof(size_t) == 4 ? st != RC_ERR_ARGUMENT : st != RC_OK) fail("pool2d size_t limit", "-", sizeof(size_t), 0, 0);
    rc_pool2d q = {3, 3, 1, 4, 1, 1, 1}; /* window taller than the image */
    if (rc_pool2d_out_shape(&q, &oh, &ow) != RC_ERR_ARGUMENT) fail("pool2d window > input", "-", 0, 0, 0);
}

int main(void) {
    int any = 0;
    for (int p = 0; p < RC_PATH_COUNT; p++) {
        const rc_kernels *k = rc_kernels_for((rc_path)p);
        if (k == NULL) {
            printf("path %s unavailable\n", rc_path_name((rc_path)p));
            continue;
        }
        any++;
        rng_state = 42;
        int before = failures;
        if (p != RC_PATH_SCALAR) {
            check_products(k);
            check_packed(k);
            check_quantize(k);
        }
        rng_state = 43; /* the digest's inputs do not depend on which checks ran before */
        uint64_t h = 0xCBF29CE484222325ull, h_int8 = 0xCBF29CE484222325ull;
        check_activations(k, &h);
        check_steps(k, &h, &h_int8);
        rng_state = 44; /* the image layers' digests, apart from the ones above */
        uint64_t hc = 0xCBF29CE484222325ull, hc_int8 = 0xCBF29CE484222325ull;
        check_conv(k, &hc, &hc_int8);
        printf("path %s %s\n", rc_path_name((rc_path)p), failures == before ? "ok" : "MISMATCH");
        printf("digest int8 %s %016" PRIx64 "\n", rc_path_name((rc_path)p), h_int8);
        printf("digest all %s %016" PRIx64 "\n", rc_path_name((rc_path)p), h);
        printf("digest conv-int8 %s %016" PRIx64 "\n", rc_path_name((rc_path)p), hc_int8);
        printf("digest conv-all %s %016" PRIx64 "\n", rc_path_name((rc_path)p), hc);
    }
    check_conv_refusals();
    printf("best %s\n", rc_path_name(rc_kernels_path(rc_kernels_best())));
    return failures == 0 && any > 0 ? 0 : 1;
}
