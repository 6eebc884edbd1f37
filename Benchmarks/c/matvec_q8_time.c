/*
 * matvec_q8_time.c — wall time of one int8 matrix-vector product per kernel
 * path (every vector path this CPU runs), at the shapes of the benchmark
 * models and the character LM. For a loaded machine: the paths take turns in
 * short batches (about 5 µs each, 300 rounds), and the minimum per path is
 * kept, so every path gets the same chances of an undisturbed batch. Each
 * result is also compared with the scalar reference. From the repository root
 * (one command line):
 */
// gcc -std=c11 -O2 -ffp-contract=off -ISources/CRuntime/include -ISources/CRuntime
//     Sources/CRuntime/*.c Benchmarks/c/matvec_q8_time.c -lm -o /tmp/matvec_q8_time
// /tmp/matvec_q8_time
#define _POSIX_C_SOURCE 200112L
#include "recur_core.h"
#include "../../Tests/cross/splitmix64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(void) {
    /* rows × cols: LSTM 9→64 (W_ih, W_hh), 64→256 and the 2×256 char LM (W_ih of
     * layer 1 with a 64-wide embedding, the 256-wide W_hh and layer-2 W_ih, the
     * 83-token head); then odd shapes. */
    static const size_t shapes[][2] = {
        {256, 9}, {256, 64}, {1024, 64}, {1024, 256}, {83, 256},
        {1024, 257}, {200, 130}, {256, 17}, {256, 32}, {256, 48},
    };
    const rc_kernels *paths[RC_PATH_COUNT];
    size_t npaths = 0;
    for (int p = 1; p < RC_PATH_COUNT; p++) {
        const rc_kernels *k = rc_kernels_for((rc_path)p);
        if (k != NULL) paths[npaths++] = k;
    }
    const rc_kernels *ref = rc_kernels_for(RC_PATH_SCALAR);
    rng_state = 1;
    int failures = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        int8_t *w = malloc(rows * cols), *x = malloc(cols);             /* (rows, cols), (cols) */
        int32_t *y = malloc(rows * sizeof *y), *y_ref = malloc(rows * sizeof *y_ref); /* (rows) */
        if (w == NULL || x == NULL || y == NULL || y_ref == NULL) return 2;
        for (size_t i = 0; i < rows * cols; i++) w[i] = (int8_t)((int)(rng_next() % 255) - 127);
        for (size_t i = 0; i < cols; i++) x[i] = (int8_t)((int)(rng_next() % 255) - 127);
        rc_matvec_q8(ref, w, rows, cols, x, 1, y_ref);
        double best[RC_PATH_COUNT];
        for (size_t p = 0; p < npaths; p++) best[p] = 1e30;
        int iters = (int)(300000 / (rows * cols)) + 3;
        for (int round = 0; round < 300; round++) {
            for (size_t p = 0; p < npaths; p++) {
                double t0 = now_ns();
                for (int i = 0; i < iters; i++) {
                    rc_matvec_q8(paths[p], w, rows, cols, x, 1, y);
                    __asm__ volatile("" : : "r"(y) : "memory");
                }
                double t = (now_ns() - t0) / iters;
                if (t < best[p]) best[p] = t;
                if (memcmp(y, y_ref, rows * sizeof *y) != 0) {
                    printf("MISMATCH %s %zux%zu\n", rc_path_name(rc_kernels_path(paths[p])), rows, cols);
                    failures++;
                }
            }
        }
        printf("%5zu x %-4zu", rows, cols);
        for (size_t p = 0; p < npaths; p++) {
            printf("  %s %7.0f ns", rc_path_name(rc_kernels_path(paths[p])), best[p]);
        }
        printf("\n");
        free(w);
        free(x);
        free(y);
        free(y_ref);
    }
    return failures == 0 ? 0 : 1;
}
