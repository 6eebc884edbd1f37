/*
 * step_cpu_time.c — per-step CPU time of the C core's LSTM/GRU steps, scalar vs
 * best path, without Swift or package-benchmark. It measures process CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), not wall clock, so time spent descheduled on a
 * shared machine is not counted (sibling-thread contention still is). Best of
 * five runs. docs/KERNELS.md explains when to use it. From the repository root:
 */
// clang -std=c11 -O2 -ISources/CRuntime/include -ISources/CRuntime \
//     Sources/CRuntime/*.c Benchmarks/c/step_cpu_time.c -lm -o /tmp/step_cpu_time
// /tmp/step_cpu_time          (int8 and f32; "int8" as the argument: int8 only)
#define _POSIX_C_SOURCE 200112L
#include "recur_core.h"
#include "../../Tests/cross/splitmix64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static rc_matrix make_matrix(int int8, size_t rows, size_t cols) {
    rc_matrix m;
    memset(&m, 0, sizeof m);
    m.type = int8 ? RC_W_Q8 : RC_W_F32;
    m.rows = (uint32_t)rows;
    m.cols = (uint32_t)cols;
    if (int8) {
        int8_t *w = malloc(rows * cols);
        float *scale = malloc(rows * sizeof(float));
        for (size_t i = 0; i < rows * cols; i++) w[i] = (int8_t)((int)(rng_next() % 255) - 127);
        for (size_t i = 0; i < rows; i++) scale[i] = rng_float(0.002f, 0.02f);
        m.q8 = w;
        m.scale = scale;
    } else {
        float *w = malloc(rows * cols * sizeof(float));
        for (size_t i = 0; i < rows * cols; i++) w[i] = rng_float(-0.2f, 0.2f);
        m.f32 = w;
    }
    return m;
}

int main(int argc, char **argv) {
    int only_int8 = argc > 1 && strcmp(argv[1], "int8") == 0;
    rng_state = 1;
    static const size_t shapes[2][2] = {{9, 64}, {64, 256}};
    for (int cell = 0; cell < 2; cell++) {
        for (int int8 = 1; int8 >= (only_int8 ? 1 : 0); int8--) {
            for (int s = 0; s < 2; s++) {
                for (int best = 0; best < 2; best++) {
                    const rc_kernels *k = best ? rc_kernels_best() : rc_kernels_for(RC_PATH_SCALAR);
                    size_t in = shapes[s][0], hidden = shapes[s][1], gates = cell == 0 ? 4 : 3;
                    rc_recurrent l;
                    memset(&l, 0, sizeof l);
                    l.cell = cell == 0 ? RC_CELL_LSTM : RC_CELL_GRU;
                    l.input = (uint32_t)in;
                    l.hidden = (uint32_t)hidden;
                    l.w_ih = make_matrix(int8, gates * hidden, in);
                    l.w_hh = make_matrix(int8, gates * hidden, hidden);
                    float *b_ih = malloc(gates * hidden * sizeof(float));
                    float *b_hh = malloc(gates * hidden * sizeof(float));
                    for (size_t i = 0; i < gates * hidden; i++) {
                        b_ih[i] = rng_float(-0.1f, 0.1f);
                        b_hh[i] = rng_float(-0.1f, 0.1f);
                    }
                    l.b_ih = b_ih;
                    l.b_hh = b_hh;
                    float x[64], state[512];
                    for (size_t i = 0; i < in; i++) x[i] = rng_float(-1.0f, 1.0f);
                    for (size_t i = 0; i < 2 * hidden; i++) state[i] = rng_float(-0.5f, 0.5f);
                    size_t bytes = (rc_recurrent_scratch_bytes(&l, 1) + 63) / 64 * 64;
                    void *scratch = aligned_alloc(RC_SCRATCH_ALIGN, bytes);
                    int steps = hidden == 64 ? (best ? 20000 : 5000) : (best ? 2000 : 300);
                    double fastest = 1e30;
                    for (int run = 0; run < 5; run++) {
                        double t0 = cpu_ns();
                        for (int i = 0; i < steps; i++) rc_recurrent_step(k, &l, x, 0, 1, state, scratch);
                        double t = (cpu_ns() - t0) / steps;
                        if (t < fastest) fastest = t;
                    }
                    printf("%-4s %-4s %2zu->%-3zu %-12s %10.1f ns\n", cell == 0 ? "LSTM" : "GRU",
                           int8 ? "int8" : "f32", in, hidden, rc_path_name(rc_kernels_path(k)), fastest);
                    free(scratch);
                    free(b_ih);
                    free(b_hh);
                    free((void *)(int8 ? (const void *)l.w_ih.q8 : (const void *)l.w_ih.f32));
                    free((void *)(int8 ? (const void *)l.w_hh.q8 : (const void *)l.w_hh.f32));
                    free((void *)l.w_ih.scale);
                    free((void *)l.w_hh.scale);
                }
            }
        }
    }
    return 0;
}
