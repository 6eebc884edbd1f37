/*
 * conv.c — 2-D convolution over an NHWC image (recur_core.h, "image layers"),
 * one output row at a time through the path's matrix product.
 *
 * For output row oy, the OW patches of that row are gathered (im2col) into
 * scratch, patch ox being KH × KW × C values in (ky, kx, c) order with zeros
 * outside the image; then the F × P filter matrix multiplies the OW patches as
 * OW vectors of one product call, so the int8 and f32 products of every path,
 * and their packed layouts, serve the convolution unchanged.
 *
 * Scratch, int8 weights (each part aligned to RC_SCRATCH_ALIGN; P4 = P up to 4,
 * R16 = F up to 16, the packed product's padded sizes):
 *   int8_t  xq[H·W·C]      the image's codes (one scale for the image)
 *   int8_t  cols[OW][P4]   one output row's patches, padding bytes 0
 *   int32_t acc[OW][R16]   their exact sums
 * f32 weights:
 *   float   cols[OW][P]    one output row's patches
 */
#include "internal.h"

#include <string.h>

/* Everything rc_conv2d_apply derives from a layer, checked once. */
typedef struct rc_conv_plan {
    size_t oh, ow;        /* output height, width */
    size_t patch;         /* P = KH · KW · C */
    size_t patch4;        /* P rounded up to 4 (int8) */
    size_t filters16;     /* F rounded up to 16 (int8) */
    size_t in_elems;      /* H · W · C */
    size_t cols_off;      /* byte offsets of the scratch parts */
    size_t acc_off;
    size_t scratch;       /* total scratch bytes */
} rc_conv_plan;

/* A size the caller gave as uint32_t: at least `min`, and not a negative int32. */
static int rc_dim_ok(uint32_t v, uint32_t min) {
    return v >= min && v <= (uint32_t)INT32_MAX;
}

/* The output size of one axis, or 0 when the kernel does not fit the padded input. */
static size_t rc_conv_axis(uint32_t in, uint32_t kernel, uint32_t stride, uint32_t pad) {
    uint64_t padded = (uint64_t)in + 2u * (uint64_t)pad;
    if (kernel > padded) return 0;
    uint64_t out = (padded - kernel) / stride + 1;
    return out <= (uint64_t)INT32_MAX ? (size_t)out : 0;
}

static rc_status rc_conv_make_plan(const rc_conv2d *l, rc_conv_plan *p) {
    if (l == NULL || l->bias == NULL) return RC_ERR_ARGUMENT;
    if (!rc_dim_ok(l->height, 1) || !rc_dim_ok(l->width, 1) || !rc_dim_ok(l->channels, 1) ||
        !rc_dim_ok(l->filters, 1) || !rc_dim_ok(l->kernel_h, 1) || !rc_dim_ok(l->kernel_w, 1) ||
        !rc_dim_ok(l->stride_h, 1) || !rc_dim_ok(l->stride_w, 1) || !rc_dim_ok(l->pad_h, 0) ||
        !rc_dim_ok(l->pad_w, 0)) {
        return RC_ERR_ARGUMENT;
    }
    p->oh = rc_conv_axis(l->height, l->kernel_h, l->stride_h, l->pad_h);
    p->ow = rc_conv_axis(l->width, l->kernel_w, l->stride_w, l->pad_w);
    if (p->oh == 0 || p->ow == 0) return RC_ERR_ARGUMENT;
    /* P ≤ 65536 (rc_pack_q8's limit) keeps every int32 sum exact: 65536 · 127² < 2³¹. */
    uint64_t patch = (uint64_t)l->kernel_h * l->kernel_w;
    if (patch > 65536u || patch * l->channels > 65536u) return RC_ERR_ARGUMENT;
    p->patch = (size_t)(patch * l->channels);
    if (rc_matrix_check(&l->w, l->filters, p->patch) != RC_OK) return RC_ERR_ARGUMENT;
    p->patch4 = rc_pack_cols(p->patch);
    p->filters16 = rc_pack_rows(l->filters);

    /* The input and output floats must be addressable; the scratch parts too. */
    size_t hw, bytes, out_elems;
    if (!rc_size_mul(l->height, l->width, &hw) || !rc_size_mul(hw, l->channels, &p->in_elems) ||
        !rc_size_mul(p->in_elems, sizeof(float), &bytes) ||
        !rc_size_mul(p->oh, p->ow, &out_elems) || !rc_size_mul(out_elems, l->filters, &out_elems) ||
        !rc_size_mul(out_elems, sizeof(float), &bytes)) {
        return RC_ERR_ARGUMENT;
    }
    size_t cols, acc;
    const size_t slack = RC_SCRATCH_ALIGN - 1; /* room for rc_align_up */
    if (l->w.type == RC_W_Q8) {
        if (!rc_size_mul(p->ow, p->patch4, &cols) || !rc_size_mul(p->ow, p->filters16, &acc) ||
            !rc_size_mul(acc, sizeof(int32_t), &acc) || !rc_size_add(p->in_elems, slack, &bytes) ||
            !rc_size_add(cols, slack, &bytes) || !rc_size_add(acc, slack, &bytes)) {
            return RC_ERR_ARGUMENT;
        }
        p->cols_off = rc_align_up(p->in_elems);
        if (!rc_size_add(p->cols_off, rc_align_up(cols), &p->acc_off) ||
            !rc_size_add(p->acc_off, rc_align_up(acc), &p->scratch)) {
            return RC_ERR_ARGUMENT;
        }
    } else {
        if (!rc_size_mul(p->ow, p->patch, &cols) || !rc_size_mul(cols, sizeof(float), &cols) ||
            !rc_size_add(cols, slack, &bytes)) {
            return RC_ERR_ARGUMENT;
        }
        p->cols_off = 0;
        p->acc_off = 0;
        p->scratch = rc_align_up(cols);
    }
    return RC_OK;
}

rc_status rc_conv2d_validate(const rc_conv2d *l) {
    rc_conv_plan p;
    return rc_conv_make_plan(l, &p);
}

rc_status rc_conv2d_out_shape(const rc_conv2d *l, uint32_t *out_h, uint32_t *out_w) {
    rc_conv_plan p;
    if (out_h == NULL || out_w == NULL || rc_conv_make_plan(l, &p) != RC_OK) return RC_ERR_ARGUMENT;
    *out_h = (uint32_t)p.oh;
    *out_w = (uint32_t)p.ow;
    return RC_OK;
}

size_t rc_conv2d_scratch_bytes(const rc_conv2d *l) {
    rc_conv_plan p;
    return rc_conv_make_plan(l, &p) == RC_OK ? p.scratch : 0;
}

/* The patches of output row oy: patch ox at dst + ox · stride bytes, KH · KW · C
 * elements of `elem` bytes from the image src in (ky, kx, c) order, zero bytes
 * outside the image; for int8 (elem 1) the bytes from P up to `stride` are zeroed too. One window row (ky) inside the image is KW consecutive pixels
 * of NHWC memory, so its part inside the image is one copy. */
static void rc_im2col_row(const rc_conv2d *l, const void *src, size_t elem, size_t oy, size_t ow,
                          unsigned char *dst, size_t stride) {
    /* Locals, not l->…: the copies below may alias anything the compiler cannot see through. */
    const int64_t H = l->height, W = l->width, KW = l->kernel_w, SW = l->stride_w, PW = l->pad_w;
    const int64_t KH = l->kernel_h, y0 = (int64_t)oy * l->stride_h - (int64_t)l->pad_h;
    const size_t pixel = (size_t)l->channels * elem, filled = (size_t)(KH * KW) * pixel;
    const unsigned char *image = src;
    for (size_t ox = 0; ox < ow; ox++) {
        unsigned char *patch = dst + ox * stride;
        const int64_t ix0 = (int64_t)ox * SW - PW; /* window column kx = 0 */
        /* kx in [lo, hi) lies inside the image */
        int64_t lo = ix0 < 0 ? -ix0 : 0;
        if (lo > KW) lo = KW;
        int64_t hi = W - ix0;
        if (hi > KW) hi = KW;
        if (hi < lo) hi = lo;
        for (int64_t ky = 0; ky < KH; ky++) {
            unsigned char *row = patch + (size_t)(ky * KW) * pixel;
            const int64_t iy = y0 + ky;
            if (iy < 0 || iy >= H) {
                memset(row, 0, (size_t)KW * pixel);
                continue;
            }
            /* Most windows lie inside the image: no zero-length calls for them. */
            if (lo > 0) memset(row, 0, (size_t)lo * pixel);
            if (hi > lo) {
                const size_t at = ((size_t)iy * (size_t)W + (size_t)(ix0 + lo)) * pixel;
                memcpy(row + (size_t)lo * pixel, image + at, (size_t)(hi - lo) * pixel);
            }
            if (hi < KW) memset(row + (size_t)hi * pixel, 0, (size_t)(KW - hi) * pixel);
        }
        /* The padding of the packed product's 4-byte chunks (int8: at most 3 bytes). */
        for (size_t b = filled; b < stride && elem == 1; b++) patch[b] = 0;
    }
}

rc_status rc_conv2d_apply(const rc_kernels *k, const rc_conv2d *l, const float *x, float *y, void *scratch) {
    rc_conv_plan p;
    if (k == NULL || x == NULL || y == NULL || scratch == NULL) return RC_ERR_ARGUMENT;
    if (((uintptr_t)scratch % RC_SCRATCH_ALIGN) != 0) return RC_ERR_ARGUMENT;
    if (rc_conv_make_plan(l, &p) != RC_OK) return RC_ERR_ARGUMENT;
    const size_t F = l->filters, row_out = p.ow * F;
    unsigned char *base = scratch;

    if (l->w.type == RC_W_F32) {
        float *cols = (float *)base; /* (OW, P) */
        for (size_t oy = 0; oy < p.oh; oy++) {
            float *yrow = y + oy * row_out; /* (OW, F) */
            rc_im2col_row(l, x, sizeof(float), oy, p.ow, (unsigned char *)cols, p.patch * sizeof(float));
            rc_matvec_f32_packed(k, &l->w, cols, p.ow, yrow);
            for (size_t ox = 0; ox < p.ow; ox++) {
                for (size_t f = 0; f < F; f++) yrow[ox * F + f] = yrow[ox * F + f] + l->bias[f];
            }
        }
        return RC_OK;
    }

    int8_t *xq = (int8_t *)base;                        /* (H, W, C) */
    int8_t *cols = (int8_t *)(base + p.cols_off);       /* (OW, P4) */
    int32_t *acc = (int32_t *)(base + p.acc_off);       /* (OW, R16) */
    /* One scale for the whole image: s = max|x| / 127 (the contract's quantizer). */
    const float s = k->quantize_q8(x, p.in_elems, xq);
    for (size_t oy = 0; oy < p.oh; oy++) {
        rc_im2col_row(l, xq, 1, oy, p.ow, (unsigned char *)cols, p.patch4);
        rc_matvec_q8_packed(k, &l->w, cols, p.ow, acc);
        float *yrow = y + oy * row_out;
        for (size_t ox = 0; ox < p.ow; ox++) {
            /* y = acc · (w_scale_f · s) + bias_f */
            rc_rescale_rows(k, acc + ox * p.filters16, l->w.scale, s, l->bias, F, yrow + ox * F);
        }
    }
    return RC_OK;
}
