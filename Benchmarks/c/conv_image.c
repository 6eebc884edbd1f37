/*
 * conv_image.c — one image through the C core's image layers (issue 21):
 *
 *   conv8   int8  32×32×3 → conv2d 16 filters 3×3, stride 1, padding 1 → 32×32×16
 *   convf   f32   the same convolution with f32 weights
 *   block8  int8  conv8, then relu, 2×2 max-pool stride 2 (16×16×16), global average pool (16)
 *
 * Seeded weights with the packed layout a loaded model has, a seeded image in ±2.
 * Prints the CPU time per image (CLOCK_PROCESS_CPUTIME_ID), best of five runs, and a
 * digest of the output. With an image count as the third argument it runs that many
 * images once and prints nothing else, for `valgrind --tool=callgrind`: instructions
 * per image = (count at 3N − count at N) / 2N, so the setup cancels and the figure does
 * not depend on the machine's load. From the repository root:
 */
// clang -std=c11 -O2 -ISources/CRuntime/include -ISources/CRuntime \
//     Sources/CRuntime/*.c Benchmarks/c/conv_image.c -lm -o /tmp/conv_image
// /tmp/conv_image avx2              every case on the avx2 path
// /tmp/conv_image scalar conv8 300  300 images of one case (for callgrind)
#define _POSIX_C_SOURCE 200112L
#include "recur_core.h"
#include "../../Tests/cross/splitmix64.h"
#include "bench_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H 32
#define W 32
#define C 3
#define F 16
#define K 3

/* A 16 × 27 filter matrix, int8 (per-row scales) or f32, with its packed layout. */
static rc_conv2d conv_layer(int int8) {
    rc_conv2d l = {H, W, C, F, K, K, 1, 1, 1, 1, {0}, NULL};
    const size_t p = K * K * C;
    l.w.rows = F;
    l.w.cols = (uint32_t)p;
    void *layout;
    if (int8) {
        int8_t *q = aligned(F * p);
        for (size_t i = 0; i < F * p; i++) q[i] = (int8_t)((int)(rng_next() % 255) - 127);
        l.w.type = RC_W_Q8;
        l.w.q8 = q;
        l.w.scale = floats(F, 0.002f, 0.02f);
        layout = aligned(rc_pack_q8_bytes(F, (uint32_t)p));
        if (rc_pack_q8(&l.w, layout, rc_pack_q8_bytes(F, (uint32_t)p)) != RC_OK) exit(3);
    } else {
        l.w.type = RC_W_F32;
        l.w.f32 = floats(F * p, -0.2f, 0.2f);
        layout = aligned(rc_pack_f32_bytes(F, (uint32_t)p));
        if (rc_pack_f32(&l.w, layout, rc_pack_f32_bytes(F, (uint32_t)p)) != RC_OK) exit(3);
    }
    l.w.packed = layout;
    l.bias = floats(F, -0.1f, 0.1f);
    if (rc_conv2d_validate(&l) != RC_OK) exit(4);
    return l;
}

typedef struct bench {
    const char *name;
    rc_conv2d conv;
    int block; /* relu, max-pool and global average pool after the convolution */
} bench;

static float *image, *conv_out, *pooled, *features;
static void *scratch;

/* One image; returns the output the digest covers and its length. */
static const float *run(const rc_kernels *k, const bench *b, size_t *n) {
    if (rc_conv2d_apply(k, &b->conv, image, conv_out, scratch) != RC_OK) exit(5);
    *n = (size_t)H * W * F;
    if (!b->block) return conv_out;
    rc_relu(conv_out, *n);
    const rc_pool2d pool = {H, W, F, 2, 2, 2, 2};
    if (rc_maxpool2d(&pool, conv_out, pooled) != RC_OK) exit(5);
    if (rc_global_avgpool(H / 2, W / 2, F, pooled, features) != RC_OK) exit(5);
    *n = F;
    return features;
}

int main(int argc, char **argv) {
    const char *want = argc > 1 ? argv[1] : "best";
    const rc_kernels *k = rc_kernels_best();
    if (strcmp(want, "best") != 0) {
        k = NULL;
        for (int p = 0; p < RC_PATH_COUNT; p++) {
            if (strcmp(rc_path_name((rc_path)p), want) == 0) k = rc_kernels_for((rc_path)p);
        }
        if (k == NULL) {
            fprintf(stderr, "path %s unavailable\n", want);
            return 1;
        }
    }
    rng_state = 21;
    bench benches[3] = {{"conv8", conv_layer(1), 0}, {"convf", conv_layer(0), 0}, {"block8", conv_layer(1), 1}};
    size_t need = 0;
    for (size_t i = 0; i < 3; i++) {
        size_t s = rc_conv2d_scratch_bytes(&benches[i].conv);
        if (s > need) need = s;
    }
    scratch = aligned(need);
    image = floats((size_t)H * W * C, -2.0f, 2.0f);
    conv_out = aligned((size_t)H * W * F * sizeof(float));
    pooled = aligned((size_t)(H / 2) * (W / 2) * F * sizeof(float));
    features = aligned(F * sizeof(float));
    for (size_t i = 0; i < 3; i++) {
        const bench *b = &benches[i];
        if (argc > 2 && strcmp(argv[2], b->name) != 0) continue;
        size_t n;
        if (argc > 3) {
            long images = atol(argv[3]);
            for (long t = 0; t < images; t++) run(k, b, &n);
            continue;
        }
        for (int t = 0; t < 20; t++) run(k, b, &n); /* warm-up */
        double best = 1e30;
        for (int r = 0; r < 5; r++) {
            double t0 = cpu_ns();
            for (int t = 0; t < 500; t++) run(k, b, &n);
            double per = (cpu_ns() - t0) / 500.0;
            if (per < best) best = per;
        }
        const float *out = run(k, b, &n);
        uint64_t h = 0xCBF29CE484222325ull;
        const unsigned char *bytes = (const unsigned char *)out;
        for (size_t j = 0; j < n * sizeof(float); j++) h = (h ^ bytes[j]) * 0x100000001B3ull;
        printf("%-6s %-12s %10.1f ns/image  digest %016llx\n", b->name, rc_path_name(rc_kernels_path(k)), best,
               (unsigned long long)h);
    }
    return 0;
}
