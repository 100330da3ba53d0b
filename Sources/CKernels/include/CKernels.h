// The hot loops of the detector's forward pass and of compile's probe fits, in C so they can use
// AVX-512 where the CPU has it (Swift compiles for baseline x86-64: SSE2, no FMA), chosen at run time.
//
// 1. Dense-layer products with weights packed once, at load time, for an AVX-512 micro-kernel.
// Why not BLAS: a detector's dense layers multiply a few dozen token rows by large weight matrices.
// A general GEMM packs both operands on every call, and for so few rows packing the weights costs
// about half as much as the arithmetic (measured: OpenBLAS's sgemm copy routines took 23% of a
// 64-token MiniLM forward pass, its kernel 42%). Here the weights are packed once, when the model
// loads, into the panels the micro-kernel reads, so a call only streams them.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// Columns of `y` per packed panel: four 16-float AVX-512 vectors.
#define CODEBOOK_PANEL_WIDTH 64

/// 1 when this CPU and OS run the AVX-512 kernel (AVX-512F with the ZMM state enabled), else 0;
/// also 0 when the environment sets `CODEBOOK_NO_AVX512` (to anything but "0"), which makes every
/// command and test take the paths of a CPU without AVX-512.
int codebook_packed_sgemm_available(void);

/// Floats the packed form of a `[n, k]` weight matrix takes: `n` rounded up to panels, times `k`.
size_t codebook_packed_count(int n, int k);

/// Packs `w`, row-major `[n, k]` (a dense layer's weight as PyTorch stores it: `[out, in]`), into
/// `packed` (`codebook_packed_count(n, k)` floats, 64-byte aligned for aligned loads): panel `p`
/// holds columns `64p ..< 64p + 64` of `wᵀ`, row by row over `k`, zero past column `n`.
void codebook_pack_weights(const float *w, int n, int k, float *packed);

/// `y[m, n] = beta·y + x[m, k] · wᵀ` for the panels `first_panel ..< first_panel + panel_count`
/// (columns `64·first_panel ..< min(n, 64·(first_panel + panel_count))`), with `w` packed by
/// `codebook_pack_weights`. `beta` is 0 (y is overwritten, never read) or 1. Row-major, leading
/// dimensions `ldx`, `ldy`. Only callable when `codebook_packed_sgemm_available()`.
void codebook_packed_sgemm(int m, int n, int k, const float *x, int ldx, const float *packed,
                           float beta, float *y, int ldy, int first_panel, int panel_count);

/// How `codebook_packed_sgemm` cuts its work, from the caches of the CPU it runs on: the L1 data and
/// L2 caches' sizes (KiB) it was derived from, `kc` steps of k per slice (a panel's slice, kc × 64
/// floats, takes half of L1), and `mc_bytes` of x per block of rows (half of L2).
typedef struct {
    int l1_kib, l2_kib;
    int kc;
    long mc_bytes;
} codebook_blocking;

/// The blocking for caches of `l1` and `l2` bytes (0: unknown, taken as 32 KiB and 1 MiB).
codebook_blocking codebook_blocking_for(long l1, long l2);

/// The blocking for this CPU: cpu0's caches as /sys/devices/system/cpu describes them (else sysconf),
/// read once.
codebook_blocking codebook_packed_blocking(void);

/// `codebook_packed_sgemm` with the given blocking (`kc` 0: k in one slice). The blocking changes
/// the speed only: every output is the same chain of FMAs over k, in order, whatever the blocking.
void codebook_packed_sgemm_blocked(int m, int n, int k, const float *x, int ldx, const float *packed,
                                   float beta, float *y, int ldy, int first_panel, int panel_count,
                                   codebook_blocking blocking);

/// BERT's exact GELU, in place: `x·½·(1 + erf(x/√2))`, erf by the rational approximation Eigen and
/// XLA use for float32 (`x·P(x²)/Q(x²)` on [−4, 4], ±1 beyond; max absolute error 4.5e-7).
/// 16 lanes at a time with FMA on AVX-512 CPUs, else the portable loop.
void codebook_gelu(float *x, size_t count);

/// The portable loop of `codebook_gelu` (for the tests, which check both against `erf` in double).
void codebook_gelu_portable(float *x, size_t count);

/// Softmax of `count` scores in place, the maximum subtracted first so `exp` cannot overflow;
/// `exp` is Cephes' `expf` polynomial (≲ 2 ulp), clamped to [−87.3, 88].
void codebook_softmax(float *p, int count);
void codebook_softmax_portable(float *p, int count);

/// Llama's SwiGLU: `out[r, c] = silu(g)·u` with `g = gate_up[r, c]`, `u = gate_up[r, width + c]`
/// (`gate_up` is `[rows, 2·width]`, gate and up side by side), `silu(g) = g / (1 + e⁻ᵍ)`.
void codebook_swiglu(const float *gate_up, size_t rows, size_t width, float *out);
void codebook_swiglu_portable(const float *gate_up, size_t rows, size_t width, float *out);

// 2. The probe's Newton Hessian, most of compile's time: `g = aᵀ·a` (`[p, p]`) of a finite, row-major
// `a` (`[n, p]`), every entry `Σᵣ a[r, i]·a[r, j]` with each product rounded, then added in ascending
// `r`, so the bits are the same on every x86-64 CPU and in both variants (AVX-512 where the CPU has
// it, else SSE2). It is blocked as a BLAS kernel is — rows in chunks of `CODEBOOK_GRAM_CHUNK` packed
// as panels of `CODEBOOK_GRAM_PANEL` columns, tiles of the upper triangle accumulated in registers —
// without changing any entry's order of additions. Scratch: `packed` holds
// `codebook_gram_padded(p) · min(n, CODEBOOK_GRAM_CHUNK)` doubles, `acc` `codebook_gram_padded(p)²`.

/// Columns per packed panel and rows of `a` per chunk (16 × 128 doubles = 16 KiB per panel).
#define CODEBOOK_GRAM_PANEL 16
#define CODEBOOK_GRAM_CHUNK 128
/// `p` rounded up to whole panels.
size_t codebook_gram_padded(size_t p);
void codebook_gram(const double *a, size_t n, size_t p, double *g, double *packed, double *acc);

/// The solution of `a·x = b` for a symmetric positive definite `a` (`[n, n]`, row-major, only its lower
/// triangle read): Cholesky `a = L·Lᵀ` (L in `lt`, `n²` doubles of scratch, column-major), then the two
/// triangular solves, `x` holding `b` on entry. Every entry is the textbook loop's chain of roundings,
/// in its order, in both variants: the same bits everywhere. Returns 0, or `k` when the leading `k × k`
/// block is not positive definite (a diagonal ≤ 0 or NaN).
size_t codebook_cholesky_solve(const double *a, size_t n, double *x, double *lt);

/// `codebook_cholesky_solve` in two halves, for several right-hand sides of one matrix: the factor
/// (`lt` as above; returns 0, or `k` as above), then the two triangular solves of one `x` (`b` on entry).
size_t codebook_cholesky_factor(const double *a, size_t n, double *lt);
void codebook_cholesky_substitute(const double *lt, size_t n, double *x);

/// `y = bᵀ·x` (`[columns]`) of a row-major `b` (`[rows, columns]`): every `y[c] = Σᵣ b[r, c]·x[r]`, each
/// product rounded, then added in ascending `r` (the same bits in both variants). For a symmetric `b`
/// (a Gram matrix, mirrored) it is `b·x` as the row-by-row loop gives it; for `Xᵀ` stored beside `X` it
/// is `X·x`. Lanes over `c` read rows contiguously, where one chain per row of `b·x` could not vectorize.
void codebook_multiply_transposed(const double *b, size_t rows, size_t columns, const double *x, double *y);
/// `y = bᵀ·x` and `z = bᵀ·w` in one pass over `b`, each the bits `codebook_multiply_transposed` gives.
void codebook_multiply_transposed_pair(const double *b, size_t rows, size_t columns, const double *x,
                                       const double *w, double *y, double *z);

#endif
