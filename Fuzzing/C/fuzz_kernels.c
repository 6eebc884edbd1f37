/*
 * fuzz-kernels: the C core's entry points that take sizes, under libFuzzer and AddressSanitizer.
 *
 * Each input chooses shapes (rows, columns, vectors, hidden size, cell, activation, weight type)
 * and supplies the numbers; every buffer is allocated at exactly its documented size, so a read
 * or write past it stops the run. The numerics contract says every kernel path gives the same
 * bits: each available path (AVX2, AVX-512 VNNI, NEON, ...) is compared with the scalar reference
 * for quantization, both raw products and their interleaved (packed) forms, the vector
 * activations and softmax, a recurrent step and a dense step (weights with their packed layout),
 * and a conv2d followed by relu and pooling (first byte bit 0: products; else bit 1: images).
 * NaN is compared as NaN (its payload is not part of the contract's inputs: weights are finite).
 *
 * Build: scripts/fuzz kernels … (clang -fsanitize=fuzzer,address with the C core's sources).
 */
#define _POSIX_C_SOURCE 200112L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recur_core.h"

/* The input's bytes, read in a cycle so that any length describes a whole case. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t next;
} source;

static uint8_t byte(source *s) {
    if (s->size == 0) return 0;
    uint8_t value = s->data[s->next % s->size];
    s->next++;
    return value;
}

/* Exactly `bytes` bytes, 64-byte aligned (what the Swift side hands the core). */
static void *buffer(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, RC_SCRATCH_ALIGN, bytes ? bytes : 1) != 0) abort();
    memset(p, 0, bytes ? bytes : 1);
    return p;
}

static int8_t *int8s(source *s, size_t n) {
    int8_t *q = buffer(n);
    for (size_t i = 0; i < n; i++) {
        int8_t v = (int8_t)byte(s);
        q[i] = v == -128 ? -127 : v;
    }
    return q;
}

/* Finite floats: a 16-bit fraction times a power of two chosen per case. */
static float *floats(source *s, size_t n, float scale) {
    float *x = buffer(n * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        int16_t v = (int16_t)(byte(s) | (byte(s) << 8));
        x[i] = (float)v / 256.0f * scale;
    }
    return x;
}

static void fail(const char *what, rc_path path, size_t index) {
    fprintf(stderr, "fuzz-kernels: %s differs on %s from scalar at %zu\n", what, rc_path_name(path), index);
    abort();
}

static void same_floats(const char *what, rc_path path, const float *a, const float *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t x, y;
        memcpy(&x, &a[i], 4);
        memcpy(&y, &b[i], 4);
        if (x != y && !(isnan(a[i]) && isnan(b[i]))) fail(what, path, i);
    }
}

static void check(const char *what, int ok) {
    if (!ok) {
        fprintf(stderr, "fuzz-kernels: %s\n", what);
        abort();
    }
}

/* A weight matrix with its interleaved layout (rc_pack_q8 / rc_pack_f32), as a loaded model
 * has it, in a 64-byte aligned buffer of exactly rc_pack_*_bytes: the vector paths read the
 * layout, the scalar path the row-major form. */
static rc_matrix matrix(source *s, int q8, uint32_t rows, uint32_t cols, float scale) {
    rc_matrix m = {q8 ? RC_W_Q8 : RC_W_F32, rows, cols, NULL, NULL, NULL, NULL};
    if (q8) {
        m.q8 = int8s(s, (size_t)rows * cols);
        m.scale = floats(s, rows, scale / 128.0f);
    } else {
        m.f32 = floats(s, (size_t)rows * cols, scale);
    }
    size_t bytes = q8 ? rc_pack_q8_bytes(rows, cols) : rc_pack_f32_bytes(rows, cols);
    void *layout = NULL;
    check("posix_memalign", posix_memalign(&layout, RC_SCRATCH_ALIGN, bytes) == 0);
    check("rc_pack_*", (q8 ? rc_pack_q8(&m, layout, bytes) : rc_pack_f32(&m, layout, bytes)) == RC_OK);
    m.packed = layout;
    return m;
}

static void release(rc_matrix *m) {
    free((void *)m->f32);
    free((void *)m->q8);
    free((void *)m->scale);
    free((void *)m->packed);
}

/* Raw products, quantization and activations over rows × cols and nvec vectors. */
static void products(source *s, const rc_kernels *ref, const rc_kernels *k, rc_path path) {
    size_t rows = 1 + byte(s) % 20, cols = 1 + byte(s) % 160, nvec = 1 + byte(s) % 3;
    float scale = ldexpf(1.0f, (int)(byte(s) % 48) - 24);
    int8_t *w = int8s(s, rows * cols);
    int8_t *xq = int8s(s, cols * nvec);
    int32_t *a = buffer(rows * nvec * sizeof(int32_t)), *b = buffer(rows * nvec * sizeof(int32_t));
    rc_matvec_q8(ref, w, rows, cols, xq, nvec, a);
    rc_matvec_q8(k, w, rows, cols, xq, nvec, b);
    for (size_t i = 0; i < rows * nvec; i++) if (a[i] != b[i]) fail("rc_matvec_q8", path, i);

    float *wf = floats(s, rows * cols, scale), *xf = floats(s, cols * nvec, 1.0f);
    float *y = buffer(rows * nvec * sizeof(float)), *z = buffer(rows * nvec * sizeof(float));
    rc_matvec_f32(ref, wf, rows, cols, xf, nvec, y);
    rc_matvec_f32(k, wf, rows, cols, xf, nvec, z);
    same_floats("rc_matvec_f32", path, y, z, rows * nvec);

    int8_t *qa = buffer(cols), *qb = buffer(cols);
    float sa = rc_quantize_q8_with(ref, wf, cols, qa), sb = rc_quantize_q8_with(k, wf, cols, qb);
    same_floats("rc_quantize_q8 scale", path, &sa, &sb, 1);
    for (size_t i = 0; i < cols; i++) {
        if (qa[i] != qb[i]) fail("rc_quantize_q8 codes", path, i);
        check("a quantized code outside [-127, 127]", qa[i] >= -127);
    }

    /* The packed products: int8 into rows rounded up to 16, x columns rounded up to 4 (zero
     * padding); f32 in the plain layout. */
    rc_matrix mq = {RC_W_Q8, (uint32_t)rows, (uint32_t)cols, NULL, w, NULL, NULL};
    rc_matrix mf = {RC_W_F32, (uint32_t)rows, (uint32_t)cols, wf, NULL, NULL, NULL};
    size_t pq = rc_pack_q8_bytes((uint32_t)rows, (uint32_t)cols), pf = rc_pack_f32_bytes((uint32_t)rows, (uint32_t)cols);
    void *packed_q = buffer(pq), *packed_f = buffer(pf);
    check("rc_pack_q8 refused a matrix", rc_pack_q8(&mq, packed_q, pq) == RC_OK);
    check("rc_pack_f32 refused a matrix", rc_pack_f32(&mf, packed_f, pf) == RC_OK);
    mq.packed = packed_q;
    mf.packed = packed_f;
    size_t padded_rows = (rows + RC_PACK_ROWS - 1) / RC_PACK_ROWS * RC_PACK_ROWS;
    size_t padded_cols = (cols + RC_PACK_COLS - 1) / RC_PACK_COLS * RC_PACK_COLS;
    int8_t *xp = buffer(padded_cols * nvec);
    for (size_t v = 0; v < nvec; v++) memcpy(xp + v * padded_cols, xq + v * cols, cols);
    int32_t *ap = buffer(padded_rows * nvec * sizeof(int32_t));
    rc_matvec_q8_packed(k, &mq, xp, nvec, ap);
    for (size_t v = 0; v < nvec; v++) {
        for (size_t r = 0; r < rows; r++) if (ap[v * padded_rows + r] != a[v * rows + r]) fail("rc_matvec_q8_packed", path, r);
        for (size_t r = rows; r < padded_rows; r++) if (ap[v * padded_rows + r] != 0) fail("rc_matvec_q8_packed padding", path, r);
    }
    float *yp = buffer(rows * nvec * sizeof(float));
    rc_matvec_f32_packed(k, &mf, xf, nvec, yp);
    same_floats("rc_matvec_f32_packed", path, y, yp, rows * nvec);
    free(packed_q); free(packed_f); free(xp); free(ap); free(yp);

    float *sm = buffer(cols * sizeof(float)), *smv = buffer(cols * sizeof(float));
    memcpy(sm, wf, cols * sizeof(float));
    memcpy(smv, wf, cols * sizeof(float));
    rc_softmax(sm, cols);
    rc_softmax_vec(k, smv, cols);
    same_floats("rc_softmax_vec", path, sm, smv, cols);
    free(sm); free(smv);

    float *sig = buffer(cols * sizeof(float)), *th = buffer(cols * sizeof(float));
    memcpy(sig, wf, cols * sizeof(float));
    memcpy(th, wf, cols * sizeof(float));
    rc_sigmoid_vec(k, sig, cols);
    rc_tanh_vec(k, th, cols);
    for (size_t i = 0; i < cols; i++) {
        float es = rc_sigmoid(wf[i]), et = rc_tanh(wf[i]);
        same_floats("rc_sigmoid_vec", path, &es, &sig[i], 1);
        same_floats("rc_tanh_vec", path, &et, &th[i], 1);
    }
    free(w); free(xq); free(a); free(b); free(wf); free(xf); free(y); free(z);
    free(qa); free(qb); free(sig); free(th);
}

/* One recurrent step and one dense step of nvec states, scalar against `k`. */
static void layers(source *s, const rc_kernels *ref, const rc_kernels *k, rc_path path) {
    static const uint32_t gates[] = {4, 3, 1, 1};
    uint8_t shape = byte(s);
    rc_cell cell = (rc_cell)(shape % 4);
    int q8 = (shape >> 2) & 1, shared = (shape >> 3) & 1;
    uint32_t input = 1 + byte(s) % 40, hidden = 1 + byte(s) % 12;
    size_t nvec = 1 + byte(s) % 3;
    float scale = ldexpf(1.0f, (int)(byte(s) % 16) - 10);
    uint32_t rows = gates[cell] * hidden;
    rc_recurrent l = {cell, input, hidden, matrix(s, q8, rows, input, scale),
                      matrix(s, q8, rows, hidden, scale), NULL, NULL};
    float *b_ih = floats(s, rows, scale), *b_hh = floats(s, rows, scale);
    l.b_ih = b_ih;
    l.b_hh = b_hh;
    check("rc_recurrent_validate refused a consistent layer", rc_recurrent_validate(&l) == RC_OK);

    size_t stride = shared ? 0 : input, state = rc_recurrent_state_floats(&l);
    float *x = floats(s, shared ? input : input * nvec, 1.0f);
    float *sa = floats(s, state * nvec, 1.0f / 64.0f);
    float *sb = buffer(state * nvec * sizeof(float));
    memcpy(sb, sa, state * nvec * sizeof(float));
    size_t scratch_bytes = rc_recurrent_scratch_bytes(&l, nvec);
    void *scratch = buffer(scratch_bytes);
    check("rc_recurrent_step (scalar) failed", rc_recurrent_step(ref, &l, x, stride, nvec, sa, scratch) == RC_OK);
    check("rc_recurrent_step failed", rc_recurrent_step(k, &l, x, stride, nvec, sb, scratch) == RC_OK);
    same_floats("rc_recurrent_step", path, sa, sb, state * nvec);

    uint32_t outputs = 1 + byte(s) % 12;
    rc_dense d = {hidden, outputs, (rc_activation)(byte(s) % 4), matrix(s, q8, outputs, hidden, scale), NULL};
    float *bias = floats(s, outputs, scale);
    d.bias = bias;
    check("rc_dense_validate refused a consistent layer", rc_dense_validate(&d) == RC_OK);
    float *ya = buffer(outputs * nvec * sizeof(float)), *yb = buffer(outputs * nvec * sizeof(float));
    void *dense_scratch = buffer(rc_dense_scratch_bytes(&d, nvec));
    check("rc_dense_step (scalar) failed", rc_dense_step(ref, &d, sa, state, nvec, ya, dense_scratch) == RC_OK);
    check("rc_dense_step failed", rc_dense_step(k, &d, sa, state, nvec, yb, dense_scratch) == RC_OK);
    same_floats("rc_dense_step", path, ya, yb, outputs * nvec);

    release(&l.w_ih);
    release(&l.w_hh);
    release(&d.w);
    free(b_ih); free(b_hh); free(x); free(sa); free(sb); free(scratch);
    free(bias); free(ya); free(yb); free(dense_scratch);
}

/* One conv2d of a fuzzed shape (stride, padding, kernel up to larger than the image), scalar
 * against `k`, into exactly sized buffers; then relu, a max-pool and the global average pool of
 * its output. A shape whose kernel does not fit the padded input must be refused. */
static void images(source *s, const rc_kernels *ref, const rc_kernels *k, rc_path path) {
    uint32_t h = 1 + byte(s) % 12, w = 1 + byte(s) % 12, c = 1 + byte(s) % 6, f = 1 + byte(s) % 20;
    uint32_t kh = 1 + byte(s) % 5, kw = 1 + byte(s) % 5, sh = 1 + byte(s) % 3, sw = 1 + byte(s) % 3;
    uint32_t ph = byte(s) % 3, pw = byte(s) % 3;
    int q8 = byte(s) & 1;
    float scale = ldexpf(1.0f, (int)(byte(s) % 16) - 10);
    rc_conv2d l = {h, w, c, f, kh, kw, sh, sw, ph, pw, matrix(s, q8, f, kh * kw * c, scale), NULL};
    float *bias = floats(s, f, scale);
    l.bias = bias;
    uint32_t oh = 0, ow = 0;
    int fits = kh <= h + 2 * ph && kw <= w + 2 * pw;
    check("rc_conv2d_out_shape: a kernel larger than the padded input accepted, or a fitting one refused",
          (rc_conv2d_out_shape(&l, &oh, &ow) == RC_OK) == fits);
    if (fits) {
        size_t n = (size_t)oh * ow * f;
        float *x = floats(s, (size_t)h * w * c, 1.0f);
        float *ya = buffer(n * sizeof(float)), *yb = buffer(n * sizeof(float));
        void *scratch = buffer(rc_conv2d_scratch_bytes(&l));
        check("rc_conv2d_apply (scalar) failed", rc_conv2d_apply(ref, &l, x, ya, scratch) == RC_OK);
        check("rc_conv2d_apply failed", rc_conv2d_apply(k, &l, x, yb, scratch) == RC_OK);
        same_floats("rc_conv2d_apply", path, ya, yb, n);
        rc_relu(yb, n);
        rc_pool2d p = {oh, ow, f, 1 + byte(s) % 3, 1 + byte(s) % 3, 1 + byte(s) % 2, 1 + byte(s) % 2};
        uint32_t qh = 0, qw = 0;
        if (rc_pool2d_out_shape(&p, &qh, &qw) == RC_OK) {
            float *m = buffer((size_t)qh * qw * f * sizeof(float));
            check("rc_maxpool2d failed", rc_maxpool2d(&p, yb, m) == RC_OK);
            free(m);
        } else {
            check("rc_pool2d_out_shape refused a window that fits", p.size_h > oh || p.size_w > ow);
        }
        float *g = buffer(f * sizeof(float));
        check("rc_global_avgpool failed", rc_global_avgpool(oh, ow, f, yb, g) == RC_OK);
        free(x); free(ya); free(yb); free(scratch); free(g);
    }
    release(&l.w);
    free(bias);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    for (int p = RC_PATH_SCALAR + 1; p < RC_PATH_COUNT; p++) {
        const rc_kernels *k = rc_kernels_for((rc_path)p);
        if (!k) continue;
        source s = {data + 1, size - 1, 0};
        if (data[0] & 1) {
            products(&s, ref, k, (rc_path)p);
        } else if (data[0] & 2) {
            images(&s, ref, k, (rc_path)p);
        } else {
            layers(&s, ref, k, (rc_path)p);
        }
    }
    return 0;
}
