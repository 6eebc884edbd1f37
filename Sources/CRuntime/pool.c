/*
 * pool.c — max-pool and global average pool over an NHWC image (recur_core.h,
 * "image layers"). Portable loops shared by every path: the inner loops run over
 * the channels of one pixel, which are consecutive in NHWC memory, so the compiler
 * may vectorise them across channels without changing any channel's operations or
 * their order (no reassociation, no contraction: the bits are the loop's).
 */
#include "internal.h"

#include <string.h>

/* A size the caller gave as uint32_t: at least 1 and not a negative int32. */
static int rc_pool_dim_ok(uint32_t v) {
    return v >= 1 && v <= (uint32_t)INT32_MAX;
}

/* Output height and width of a valid pooling shape, and its input element count. */
static rc_status rc_pool_plan(const rc_pool2d *p, size_t *oh, size_t *ow) {
    if (p == NULL) return RC_ERR_ARGUMENT;
    if (!rc_pool_dim_ok(p->height) || !rc_pool_dim_ok(p->width) || !rc_pool_dim_ok(p->channels) ||
        !rc_pool_dim_ok(p->size_h) || !rc_pool_dim_ok(p->size_w) || !rc_pool_dim_ok(p->stride_h) ||
        !rc_pool_dim_ok(p->stride_w)) {
        return RC_ERR_ARGUMENT;
    }
    if (p->size_h > p->height || p->size_w > p->width) return RC_ERR_ARGUMENT;
    size_t n;
    if (!rc_size_mul(p->height, p->width, &n) || !rc_size_mul(n, p->channels, &n) ||
        !rc_size_mul(n, sizeof(float), &n)) {
        return RC_ERR_ARGUMENT; /* the output is never larger than the input */
    }
    *oh = (p->height - p->size_h) / p->stride_h + 1;
    *ow = (p->width - p->size_w) / p->stride_w + 1;
    return RC_OK;
}

rc_status rc_pool2d_out_shape(const rc_pool2d *p, uint32_t *out_h, uint32_t *out_w) {
    size_t oh, ow;
    if (out_h == NULL || out_w == NULL || rc_pool_plan(p, &oh, &ow) != RC_OK) return RC_ERR_ARGUMENT;
    *out_h = (uint32_t)oh;
    *out_w = (uint32_t)ow;
    return RC_OK;
}

rc_status rc_maxpool2d(const rc_pool2d *p, const float *x, float *y) {
    size_t oh, ow;
    if (x == NULL || y == NULL || rc_pool_plan(p, &oh, &ow) != RC_OK) return RC_ERR_ARGUMENT;
    const size_t W = p->width, C = p->channels;
    for (size_t oy = 0; oy < oh; oy++) {
        for (size_t ox = 0; ox < ow; ox++) {
            float *m = y + (oy * ow + ox) * C; /* (C) */
            const size_t y0 = oy * p->stride_h, x0 = ox * p->stride_w;
            memcpy(m, x + (y0 * W + x0) * C, C * sizeof(float));
            for (size_t ky = 0; ky < p->size_h; ky++) {
                for (size_t kx = ky == 0 ? 1 : 0; kx < p->size_w; kx++) {
                    const float *v = x + ((y0 + ky) * W + x0 + kx) * C;
                    /* m = v when v > m or v is NaN: a NaN in the window stays */
                    for (size_t c = 0; c < C; c++) m[c] = (v[c] > m[c] || v[c] != v[c]) ? v[c] : m[c];
                }
            }
        }
    }
    return RC_OK;
}

rc_status rc_global_avgpool(uint32_t height, uint32_t width, uint32_t channels, const float *x, float *y) {
    rc_pool2d whole = {height, width, channels, height, width, 1, 1};
    size_t oh, ow;
    if (x == NULL || y == NULL || rc_pool_plan(&whole, &oh, &ow) != RC_OK) return RC_ERR_ARGUMENT;
    const size_t pixels = (size_t)height * width, C = channels;
    for (size_t c = 0; c < C; c++) y[c] = 0.0f;
    for (size_t i = 0; i < pixels; i++) {
        const float *v = x + i * C;
        for (size_t c = 0; c < C; c++) y[c] = y[c] + v[c];
    }
    const float n = (float)pixels;
    for (size_t c = 0; c < C; c++) y[c] = y[c] / n;
    return RC_OK;
}
