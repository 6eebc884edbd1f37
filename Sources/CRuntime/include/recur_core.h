/*
 * recur_core.h — the numeric core of the Recur runtime.
 *
 * C11, libc and libm only. No allocation, no I/O, no globals besides the
 * kernel dispatch table. Every buffer is owned by the caller. Inputs that can
 * come from a model file are validated in Swift before they reach this code;
 * the functions here still check what is cheap (null pointers, zero sizes)
 * and return a status instead of crashing.
 *
 * Numerics contract (docs/ARCHITECTURE.md, "Numerics"):
 *
 *   - Weights are int8 in [-127, 127] with one f32 scale per output row, or f32.
 *   - Activations entering an int8 product are quantized per vector:
 *       m = max|x_i|,  s = m / 127  (s = 0 and every q_i = 0 when m == 0),
 *       q_i = clamp(round(x_i / s), -127, 127)  with round half away from zero.
 *   - The product accumulates in int32 (exact on every path) and is rescaled once:
 *       y_r = (float)acc_r * (w_scale_r * s) + bias_r
 *   - The f32 product sums in a fixed order that every path reproduces exactly:
 *       eight partial sums p_j (j = 0..7) over the first 8*floor(n/8) columns,
 *       p_j = p_j + w[i+j] * x[i+j]; then
 *       sum = ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7));
 *       then the remaining columns in order: sum = sum + w[i] * x[i].
 *   - No FMA contraction anywhere (#pragma STDC FP_CONTRACT OFF); sigmoid, tanh
 *     and exp are this library's own approximations, built from a fixed sequence
 *     of IEEE operations. So every path on every architecture gives the same bits.
 *
 * Cell equations (PyTorch gate order and bias placement):
 *
 *   LSTM (gates i, f, g, o; state = [h, c]):
 *     a = (W_ih x + b_ih) + (W_hh h + b_hh)          a has 4H rows: i | f | g | o
 *     i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
 *     c' = (f * c) + (i * g)
 *     h' = o * tanh(c')
 *   GRU (gates r, z, n; state = [h]):
 *     u = W_ih x + b_ih,  v = W_hh h + b_hh            each 3H rows: r | z | n
 *     r = σ(u_r + v_r),  z = σ(u_z + v_z)
 *     n = tanh(u_n + (r * v_n))                         b_hn sits inside r ⊙ (W_hn h + b_hn)
 *     h' = ((1 - z) * n) + (z * h)
 *   RNN (state = [h]):
 *     h' = act((W_ih x + b_ih) + (W_hh h + b_hh)),  act = tanh or relu
 *   relu(x) = x > 0 ? x : 0 (so NaN maps to 0).
 *
 * Multi-vector forms: every step function advances `nvec` independent states in
 * one pass over the weights (the staggered windows of a streaming classifier).
 * Input vector v is read at x + v * x_stride; x_stride == 0 means that all
 * states see the same input, and W_ih x is then computed once.
 *
 * Scratch: the caller passes `scratch` of at least the size the matching
 * *_scratch_bytes function returns, aligned to RC_SCRATCH_ALIGN bytes.
 */
#ifndef RECUR_CORE_H
#define RECUR_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RC_SCRATCH_ALIGN 64

/* ---- status ------------------------------------------------------------ */

typedef enum rc_status {
    RC_OK = 0,
    RC_ERR_ARGUMENT = 1,     /* null pointer, zero size, inconsistent shapes */
    RC_ERR_UNAVAILABLE = 2,  /* kernel path not built in or not supported by this CPU */
} rc_status;

/* ---- kernel paths and dispatch ----------------------------------------- */

typedef enum rc_path {
    RC_PATH_SCALAR = 0,        /* the reference; always available; the specification */
    RC_PATH_AVX2 = 1,          /* x86-64, chosen when the CPU reports AVX2 */
    RC_PATH_NEON = 2,          /* aarch64 baseline */
    RC_PATH_NEON_DOTPROD = 3,  /* aarch64 with the dot-product extension (getauxval) */
    RC_PATH_ARMV7_NEON = 4,    /* 32-bit ARM with NEON */
    RC_PATH_AVX512_VNNI = 5,   /* x86-64 with AVX512F/BW/VL/VNNI and OS-enabled ZMM state */
} rc_path;

#define RC_PATH_COUNT 6

/* An immutable table of kernels for one path. */
typedef struct rc_kernels rc_kernels;

/* "scalar", "avx2", "neon", "neon-dotprod", "armv7-neon", "avx512-vnni"; "unknown" otherwise. */
const char *rc_path_name(rc_path path);

/* 1 when `path` is compiled into this binary and supported by this CPU. */
int rc_path_available(rc_path path);

/* The table for `path`, or NULL when it is not available. */
const rc_kernels *rc_kernels_for(rc_path path);

/* The fastest available table. */
const rc_kernels *rc_kernels_best(void);

/* The process-wide default: the best path unless rc_force_path chose another. */
const rc_kernels *rc_kernels_default(void);

/* Makes `path` the process-wide default. RC_ERR_UNAVAILABLE if it is not available.
 * Meant for tools (`recur-run --kernel`); tests pass a table per call instead. */
rc_status rc_force_path(rc_path path);

rc_path rc_kernels_path(const rc_kernels *k);

/* ---- activations (scalar, identical bits everywhere) ------------------- */

/* exp(x): relative error ≤ 4e-7 for x in [-87, 88]; 0 below, +inf above; NaN → NaN. */
float rc_exp(float x);
/* 1 / (1 + exp(-x)): absolute error ≤ 1e-6; NaN → NaN. */
float rc_sigmoid(float x);
/* tanh(x): absolute error ≤ 1e-6, odd, ±0 preserved; NaN → NaN. */
float rc_tanh(float x);

/* In-place softmax: m = max x_i; x_i = rc_exp(x_i - m); sum in index order; x_i = x_i / sum. */
void rc_softmax(float *x, size_t n);

/* ---- quantization ------------------------------------------------------ */

/* Quantizes x[0..n) into q and returns the scale s (contract above). */
float rc_quantize_q8(const float *x, size_t n, int8_t *q);

/* The same with path k's quantizer (identical codes and scale on every path). */
float rc_quantize_q8_with(const rc_kernels *k, const float *x, size_t n, int8_t *q);

/* ---- raw products (one kernel table each) ------------------------------ */

/* acc[v*rows + r] = Σ_c w[r*cols + c] * x[v*cols + c], for v < nvec. Exact int32. */
void rc_matvec_q8(const rc_kernels *k, const int8_t *w, size_t rows, size_t cols,
                  const int8_t *x, size_t nvec, int32_t *acc);

/* y[v*rows + r] = Σ_c w[r*cols + c] * x[v*cols + c] in the fixed order above. */
void rc_matvec_f32(const rc_kernels *k, const float *w, size_t rows, size_t cols,
                   const float *x, size_t nvec, float *y);

/* In place x_i = rc_sigmoid(x_i) / rc_tanh(x_i) for i < n, with path k's vector
 * kernel; the same bits as the scalar functions on every path. */
void rc_sigmoid_vec(const rc_kernels *k, float *x, size_t n);
void rc_tanh_vec(const rc_kernels *k, float *x, size_t n);
/* rc_softmax with path k's kernel: the same bits on every path. */
void rc_softmax_vec(const rc_kernels *k, float *x, size_t n);

/* ---- weight matrices and the linear map -------------------------------- */

typedef enum rc_wtype {
    RC_W_F32 = 0,
    RC_W_Q8 = 1,
} rc_wtype;

/* A rows × cols weight matrix, row-major. */
typedef struct rc_matrix {
    rc_wtype type;
    uint32_t rows;
    uint32_t cols;
    const float *f32;    /* RC_W_F32: rows*cols values */
    const int8_t *q8;    /* RC_W_Q8: rows*cols values in [-127, 127] */
    const float *scale;  /* RC_W_Q8: rows values */
    /* Optional: the same weights in an interleaved layout, RC_SCRATCH_ALIGN-aligned:
     * rc_pack_q8's for RC_W_Q8, rc_pack_f32's for RC_W_F32. The vector paths' products
     * read it instead of q8 / f32; the scalar path always reads the row-major form.
     * NULL: every path reads the row-major form. */
    const void *packed;
} rc_matrix;

/*
 * The interleaved int8 layout, prepared once per matrix when a model loads (the file
 * stays row-major). Rows are padded with zero rows to a multiple of RC_PACK_ROWS (16),
 * columns with zero columns to a multiple of RC_PACK_COLS (4). Rows go in groups of 16,
 * columns in chunks of 4; block (g, k) is 64 bytes, the four columns 4k..4k+3 of rows
 * 16g..16g+15, row by row:
 *
 *   block (g, k) = w[16g+0][4k..4k+3] w[16g+1][4k..4k+3] ... w[16g+15][4k..4k+3]
 *   layout       = block (0,0) (0,1) ... (0,K-1)  (1,0) ... (G-1,K-1)  sums[16G]
 *
 * so that 4-byte dot products (vpdpbusd, SDOT, or pmaddubsw + pmaddwd) of one block
 * against the four bytes of x broadcast give each row's partial sum in its own int32
 * lane: rows accumulate vertically, with no horizontal reduction per row. After the
 * blocks, sums[r] = 128 · Σ_c w[r][c] (int32), used by the AVX-512 VNNI form that
 * feeds x + 128 as the unsigned operand. Needs cols ≤ 65536 (so the sums stay exact).
 */
#define RC_PACK_ROWS 16
#define RC_PACK_COLS 4

/* Bytes of the packed form of a rows × cols matrix (0 when it cannot be packed). */
size_t rc_pack_q8_bytes(uint32_t rows, uint32_t cols);

/* Writes the packed form of int8 matrix m into dst (rc_pack_q8_bytes bytes,
 * RC_SCRATCH_ALIGN-aligned). RC_ERR_ARGUMENT for a matrix that is not int8, too
 * wide, or a buffer that is too small or misaligned. Does not set m->packed. */
rc_status rc_pack_q8(const rc_matrix *m, void *dst, size_t dst_bytes);

/*
 * The interleaved f32 layout: rows padded with zero rows to a multiple of 8, in groups
 * of 8; within a group, column by column, the 8 rows' weights of that column:
 *
 *   group g = w[8g..8g+7][0]  w[8g..8g+7][1]  ...  w[8g..8g+7][cols-1]
 *
 * so that lane i of a vector is row 8g+i, and the contract's eight partial sums p_j
 * (columns ≡ j mod 8), its reduction tree and its tail become vertical operations on
 * whole vectors of rows: the same IEEE operations per row in the same order, no
 * horizontal work.
 */
#define RC_PACK_F32_ROWS 8

/* Bytes of the packed form of a rows × cols f32 matrix (0 when it cannot be packed). */
size_t rc_pack_f32_bytes(uint32_t rows, uint32_t cols);

/* Writes the packed form of f32 matrix m into dst (rc_pack_f32_bytes bytes,
 * RC_SCRATCH_ALIGN-aligned); RC_ERR_ARGUMENT as rc_pack_q8. Does not set m->packed. */
rc_status rc_pack_f32(const rc_matrix *m, void *dst, size_t dst_bytes);

/* y[v*rows + r] = Σ_c w[r*cols + c] * x[v*cols + c] in the contract's order, from the
 * packed form when m has one and path k reads it, else from m->f32. */
void rc_matvec_f32_packed(const rc_kernels *k, const rc_matrix *m, const float *x, size_t nvec,
                          float *y);

/* acc[v*R + r] = Σ_c w[r*cols + c] * x[v*X + c] from the packed form of w, with
 * R = rows rounded up to 16 (the padding rows' sums are 0) and X = cols rounded up
 * to 4; x's padding bytes must be 0. NULL-safe for paths without a packed product:
 * it then computes from `m->q8` with the path's row-major product. */
void rc_matvec_q8_packed(const rc_kernels *k, const rc_matrix *m, const int8_t *x, size_t nvec,
                         int32_t *acc);

/* y[v*rows + r] = (W x_v)[r] + bias[r]   (bias may be NULL: no addition).
 * x_v = x + v * x_stride; x_stride == 0 computes one product and copies it. */
size_t rc_linear_scratch_bytes(const rc_matrix *m, size_t nvec);
rc_status rc_linear(const rc_kernels *k, const rc_matrix *m, const float *bias,
                    const float *x, size_t x_stride, size_t nvec, float *y, void *scratch);

/* ---- recurrent cells ---------------------------------------------------- */

typedef enum rc_cell {
    RC_CELL_LSTM = 0,
    RC_CELL_GRU = 1,
    RC_CELL_RNN_TANH = 2,
    RC_CELL_RNN_RELU = 3,
} rc_cell;

/* One recurrent layer. G = 4 (LSTM), 3 (GRU), 1 (RNN).
 * w_ih: G*hidden × input, w_hh: G*hidden × hidden, b_ih, b_hh: G*hidden each. */
typedef struct rc_recurrent {
    rc_cell cell;
    uint32_t input;
    uint32_t hidden;
    rc_matrix w_ih;
    rc_matrix w_hh;
    const float *b_ih;
    const float *b_hh;
} rc_recurrent;

/* RC_OK when shapes, pointers and sizes are consistent. */
rc_status rc_recurrent_validate(const rc_recurrent *l);

/* Floats of state per sequence: 2*hidden for LSTM (h then c), hidden otherwise. */
size_t rc_recurrent_state_floats(const rc_recurrent *l);

size_t rc_recurrent_scratch_bytes(const rc_recurrent *l, size_t nvec);

/* Advances nvec states by one timestep. state: nvec blocks of
 * rc_recurrent_state_floats(l) floats; h is the first `hidden` floats of a block. */
rc_status rc_recurrent_step(const rc_kernels *k, const rc_recurrent *l,
                            const float *x, size_t x_stride, size_t nvec,
                            float *state, void *scratch);

/* ---- dense layer -------------------------------------------------------- */

typedef enum rc_activation {
    RC_ACT_NONE = 0,
    RC_ACT_RELU = 1,
    RC_ACT_TANH = 2,
    RC_ACT_SOFTMAX = 3,
} rc_activation;

/* y = act(W x + bias); w: output × input. */
typedef struct rc_dense {
    uint32_t input;
    uint32_t output;
    rc_activation activation;
    rc_matrix w;
    const float *bias;
} rc_dense;

rc_status rc_dense_validate(const rc_dense *l);
size_t rc_dense_scratch_bytes(const rc_dense *l, size_t nvec);

/* y[v*output ..]: nvec output vectors. */
rc_status rc_dense_step(const rc_kernels *k, const rc_dense *l,
                        const float *x, size_t x_stride, size_t nvec,
                        float *y, void *scratch);

/* ---- image layers (NHWC) ----------------------------------------------- */

/*
 * Images are H × W × C floats in NHWC order, channels fastest:
 *   x[(y * W + x) * C + c]
 * one image at a time. Flatten is a no-op on this layout: the image already is
 * the vector of H·W·C values in (y, x, c) order, which is the order a trainer's
 * flatten must use for a dense layer after it.
 *
 * Sizes are uint32_t; any size above INT32_MAX (a negative int32 on the caller's
 * side) is refused with RC_ERR_ARGUMENT, as are zero sizes and shapes whose
 * element or byte counts do not fit in size_t.
 *
 * conv2d: F filters of size KH × KW over C channels, stride (SH, SW), zero
 * padding of PH rows above and below and PW columns left and right:
 *   OH = (H + 2 PH − KH) / SH + 1,   OW = (W + 2 PW − KW) / SW + 1   (KH ≤ H + 2 PH, KW ≤ W + 2 PW)
 *   y[(oy * OW + ox) * F + f] = bias[f] + Σ_{ky, kx, c} w[f][(ky * KW + kx) * C + c]
 *                                       · x[oy·SH + ky − PH][ox·SW + kx − PW][c]
 * with x = 0 outside the image. The weights are an rc_matrix of F rows and
 * P = KH · KW · C columns (P ≤ 65536), row f being filter f in (ky, kx, c) order.
 *
 *   int8 weights: the whole input image is one vector for the quantizer (one scale
 *   s for the image, the contract's rule and rounding); each output pixel's sums
 *   are the exact int32 product of the filter rows and the codes of its patch
 *   (padding contributes code 0), rescaled as everywhere:
 *     y = (float)acc * (w_scale_f * s) + bias_f
 *   f32 weights: each output is the contract's f32 dot product of the filter row
 *   and the patch (P values in (ky, kx, c) order, padding 0.0f), then + bias_f.
 *
 * Computed one output row at a time: the patches of the OW pixels of a row are
 * gathered (im2col) into scratch and multiplied by the filter matrix with the
 * path's product, from the packed layout when w has one.
 */
typedef struct rc_conv2d {
    uint32_t height, width, channels;  /* input H × W × C */
    uint32_t filters;                  /* output channels F */
    uint32_t kernel_h, kernel_w;       /* KH, KW */
    uint32_t stride_h, stride_w;       /* SH, SW ≥ 1 */
    uint32_t pad_h, pad_w;             /* PH, PW ≥ 0: zero rows/columns on each side */
    rc_matrix w;                       /* F × (KH · KW · C) */
    const float *bias;                 /* F */
} rc_conv2d;

/* RC_OK when the shape, the weights and the bias are consistent (rules above). */
rc_status rc_conv2d_validate(const rc_conv2d *l);

/* The output height and width; RC_ERR_ARGUMENT (outputs untouched) for an invalid layer. */
rc_status rc_conv2d_out_shape(const rc_conv2d *l, uint32_t *out_h, uint32_t *out_w);

/* Scratch bytes rc_conv2d_apply needs (0 for an invalid layer): for int8 weights the
 * quantized image, one row of patches and its int32 sums; for f32 one row of patches. */
size_t rc_conv2d_scratch_bytes(const rc_conv2d *l);

/* y (OH × OW × F, NHWC) = conv2d(x) (H × W × C). Allocates nothing. */
rc_status rc_conv2d_apply(const rc_kernels *k, const rc_conv2d *l, const float *x, float *y, void *scratch);

/* In place x_i = x_i > 0 ? x_i : 0 (NaN → 0), as the dense layer's relu. */
void rc_relu(float *x, size_t n);

/*
 * Pooling windows of SZH × SZW with stride (SH, SW), no padding; a window that
 * does not fit is dropped: OH = (H − SZH) / SH + 1, OW = (W − SZW) / SW + 1.
 */
typedef struct rc_pool2d {
    uint32_t height, width, channels;  /* input H × W × C */
    uint32_t size_h, size_w;           /* window SZH × SZW, each ≤ the input's */
    uint32_t stride_h, stride_w;       /* SH, SW ≥ 1 */
} rc_pool2d;

/* The output height and width; RC_ERR_ARGUMENT (outputs untouched) for an invalid shape. */
rc_status rc_pool2d_out_shape(const rc_pool2d *p, uint32_t *out_h, uint32_t *out_w);

/* y (OH × OW × C) = the maximum of each window per channel, scanning the window
 * row by row from its top-left value: m = v whenever v > m or v is NaN, so a NaN
 * anywhere in the window gives NaN. */
rc_status rc_maxpool2d(const rc_pool2d *p, const float *x, float *y);

/* y[c] = (Σ_p x[p * C + c]) / (float)(H · W): a sum from 0.0f over the pixels p in
 * order, then one division. y has C floats. */
rc_status rc_global_avgpool(uint32_t height, uint32_t width, uint32_t channels, const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif /* RECUR_CORE_H */
