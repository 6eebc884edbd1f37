/*
 * model_step.c — one whole model step (recurrent layers, then the dense head on every
 * step, batch 1, state carried) of the shapes in issue 17, through the C core alone:
 *
 *   har   int8  9 → LSTM 64 → dense 6 (softmax)
 *   deep  int8  9 → LSTM 128 → LSTM 128 → dense 6 (softmax)
 *   wide  int8  64 → LSTM 256 → dense 65 (softmax)
 *   harf  f32   9 → LSTM 64 → dense 6 (softmax)
 *
 * Seeded weights (int8 with per-row scales, as a loaded model has them, including the
 * interleaved layouts of rc_pack_q8 / rc_pack_f32 when the sources have them), seeded
 * random inputs.
 * Prints the CPU time per step (CLOCK_PROCESS_CPUTIME_ID: time descheduled is not
 * counted), best of five runs, and a digest of the outputs so that two builds can be
 * compared. With a step count as the third argument it runs that many steps once and
 * prints nothing else, for `valgrind --tool=callgrind` (instructions per step are
 * independent of the machine's load). It compiles against older sources too (no
 * rc_pack_q8: row-major products), which is how docs/KERNELS.md's before/after tables
 * were taken. From the repository root:
 */
// clang -std=c11 -O2 -ISources/CRuntime/include -ISources/CRuntime \
//     Sources/CRuntime/*.c Benchmarks/c/model_step.c -lm -o /tmp/model_step
// /tmp/model_step avx2            all four shapes on the avx2 path
// /tmp/model_step avx2 har 10000  10,000 steps of one shape (for callgrind)
#define _POSIX_C_SOURCE 200112L
#include "recur_core.h"
#include "../../Tests/cross/splitmix64.h"
#include "bench_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static rc_matrix matrix(int int8, size_t rows, size_t cols) {
    rc_matrix m;
    memset(&m, 0, sizeof m);
    m.rows = (uint32_t)rows;
    m.cols = (uint32_t)cols;
    if (!int8) {
        m.type = RC_W_F32;
        m.f32 = floats(rows * cols, -0.2f, 0.2f);
#ifdef RC_PACK_F32_ROWS
        size_t bytes = rc_pack_f32_bytes(m.rows, m.cols);
        void *layout = aligned(bytes);
        if (rc_pack_f32(&m, layout, bytes) != RC_OK) exit(3);
        m.packed = layout;
#endif
        return m;
    }
    m.type = RC_W_Q8;
    int8_t *q = aligned(rows * cols);
    for (size_t i = 0; i < rows * cols; i++) q[i] = (int8_t)((int)(rng_next() % 255) - 127);
    m.q8 = q;
    m.scale = floats(rows, 0.002f, 0.02f);
#ifdef RC_PACK_ROWS
    size_t bytes = rc_pack_q8_bytes(m.rows, m.cols);
    void *layout = aligned(bytes);
    if (rc_pack_q8(&m, layout, bytes) != RC_OK) exit(3);
    m.packed = layout;
#endif
    return m;
}

#define MAXL 3
typedef struct model {
    const char *name;
    size_t nlayers, input;
    rc_recurrent layers[MAXL];
    rc_dense head;
    float *state[MAXL];
    float *x, *y;
    void *scratch;
} model;

static void build(model *m, const char *name, int int8, size_t input, const size_t *hidden, size_t n, size_t out) {
    m->name = name;
    m->nlayers = n;
    m->input = input;
    size_t width = input, scratch = 0;
    for (size_t i = 0; i < n; i++) {
        rc_recurrent *l = &m->layers[i];
        memset(l, 0, sizeof *l);
        l->cell = RC_CELL_LSTM;
        l->input = (uint32_t)width;
        l->hidden = (uint32_t)hidden[i];
        l->w_ih = matrix(int8, 4 * hidden[i], width);
        l->w_hh = matrix(int8, 4 * hidden[i], hidden[i]);
        l->b_ih = floats(4 * hidden[i], -0.1f, 0.1f);
        l->b_hh = floats(4 * hidden[i], -0.1f, 0.1f);
        if (rc_recurrent_validate(l) != RC_OK) exit(4);
        m->state[i] = aligned(rc_recurrent_state_floats(l) * sizeof(float));
        size_t s = rc_recurrent_scratch_bytes(l, 1);
        if (s > scratch) scratch = s;
        width = hidden[i];
    }
    memset(&m->head, 0, sizeof m->head);
    m->head.input = (uint32_t)width;
    m->head.output = (uint32_t)out;
    m->head.activation = RC_ACT_SOFTMAX;
    m->head.w = matrix(int8, out, width);
    m->head.bias = floats(out, -0.1f, 0.1f);
    if (rc_dense_validate(&m->head) != RC_OK) exit(4);
    size_t s = rc_dense_scratch_bytes(&m->head, 1);
    if (s > scratch) scratch = s;
    m->scratch = aligned(scratch);
    m->x = floats(256 * input, -2.0f, 2.0f);
    m->y = aligned(out * sizeof(float));
}

static void step(const rc_kernels *k, model *m, size_t t) {
    const float *x = m->x + (t % 256) * m->input;
    for (size_t i = 0; i < m->nlayers; i++) {
        rc_recurrent_step(k, &m->layers[i], x, 0, 1, m->state[i], m->scratch);
        x = m->state[i];
    }
    rc_dense_step(k, &m->head, x, 0, 1, m->y, m->scratch);
}

static uint64_t digest(const model *m) {
    uint64_t h = 0xCBF29CE484222325ull;
    const unsigned char *b = (const unsigned char *)m->y;
    for (size_t i = 0; i < m->head.output * sizeof(float); i++) h = (h ^ b[i]) * 0x100000001B3ull;
    return h;
}

int main(int argc, char **argv) {
    rc_path path = RC_PATH_SCALAR;
    const char *want = argc > 1 ? argv[1] : "best";
    const rc_kernels *k = rc_kernels_best();
    if (strcmp(want, "best") != 0) {
        for (int p = 0; p < RC_PATH_COUNT; p++) {
            if (strcmp(rc_path_name((rc_path)p), want) == 0) path = (rc_path)p;
        }
        k = rc_kernels_for(path);
        if (k == NULL || strcmp(rc_path_name(path), want) != 0) {
            fprintf(stderr, "path %s unavailable\n", want);
            return 1;
        }
    }
    static model models[4];
    rng_state = 17;
    build(&models[0], "har", 1, 9, (const size_t[]){64}, 1, 6);
    build(&models[1], "deep", 1, 9, (const size_t[]){128, 128}, 2, 6);
    build(&models[2], "wide", 1, 64, (const size_t[]){256}, 1, 65);
    build(&models[3], "harf", 0, 9, (const size_t[]){64}, 1, 6);
    for (size_t i = 0; i < 4; i++) {
        model *m = &models[i];
        if (argc > 2 && strcmp(argv[2], m->name) != 0) continue;
        if (argc > 3) {
            long steps = atol(argv[3]);
            for (long t = 0; t < steps; t++) step(k, m, (size_t)t);
            continue;
        }
        for (size_t t = 0; t < 1000; t++) step(k, m, t); /* warm-up */
        double best = 1e30;
        size_t steps = m->layers[0].hidden >= 128 ? 20000 : 100000;
        for (int run = 0; run < 5; run++) {
            double t0 = cpu_ns();
            for (size_t t = 0; t < steps; t++) step(k, m, t);
            double per = (cpu_ns() - t0) / (double)steps;
            if (per < best) best = per;
        }
        for (size_t l = 0; l < m->nlayers; l++) memset(m->state[l], 0, rc_recurrent_state_floats(&m->layers[l]) * sizeof(float));
        for (size_t t = 0; t < 100; t++) step(k, m, t);
        printf("%-5s %-12s %9.1f ns/step  digest %016llx\n", m->name, rc_path_name(rc_kernels_path(k)), best,
               (unsigned long long)digest(m));
    }
    return 0;
}
