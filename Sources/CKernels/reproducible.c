// `Reproducible`'s kernels (LinearAlgebra): the probe's Newton step, the same bits on every x86-64 CPU.
#include "CKernels.h"
#include "dispatch.h"

#include <math.h>
#include <string.h>

// Every entry of the Gram matrix is one chain: each product rounded, then added, in ascending row
// order. Nothing may fuse a multiply into an add (an FMA rounds once, not twice), whatever the target.
#pragma clang fp contract(off)

// A tile of G is 4 rows × 2 vectors of W doubles, accumulated in 8 registers over a chunk's rows:
// per row of A, 2 vector loads and 4 broadcasts for 8 vector multiplies and 8 adds, 8 independent
// chains to hide the adds' latency. Portable (SSE2, W = 2): 4 × 4 tiles in 8 of the 16 XMM registers;
// AVX-512 (W = 8): 4 × 16 tiles. Vector multiplies and adds round each lane as the scalar ones do, so
// both give the same bits.
#define GRAM_TILES(NAME, ATTRIBUTES, W)                                                               \
    ATTRIBUTES static void NAME(const double *packed, size_t rows, size_t p, size_t padded,           \
                                double *acc) {                                                        \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        for (size_t i0 = 0; i0 < p; i0 += 4) {                                                        \
            const double *left = packed + (i0 / CODEBOOK_GRAM_PANEL) * rows * CODEBOOK_GRAM_PANEL    \
                                 + i0 % CODEBOOK_GRAM_PANEL;                                          \
            for (size_t j0 = i0 / (2 * (W)) * (2 * (W)); j0 < p; j0 += 2 * (W)) {                     \
                const double *right = packed + (j0 / CODEBOOK_GRAM_PANEL) * rows * CODEBOOK_GRAM_PANEL \
                                      + j0 % CODEBOOK_GRAM_PANEL;                                     \
                double *c = acc + i0 * padded + j0;                                                   \
                vec t[4][2];                                                                          \
                for (int i = 0; i < 4; i++)                                                           \
                    for (int h = 0; h < 2; h++) memcpy(&t[i][h], c + i * padded + h * (W), sizeof(vec)); \
                for (size_t r = 0; r < rows; r++) {                                                   \
                    vec x0, x1;                                                                       \
                    memcpy(&x0, right + r * CODEBOOK_GRAM_PANEL, sizeof(vec));                        \
                    memcpy(&x1, right + r * CODEBOOK_GRAM_PANEL + (W), sizeof(vec));                  \
                    const double *xi = left + r * CODEBOOK_GRAM_PANEL;                                \
                    for (int i = 0; i < 4; i++) {                                                     \
                        t[i][0] += x0 * xi[i];                                                        \
                        t[i][1] += x1 * xi[i];                                                        \
                    }                                                                                 \
                }                                                                                     \
                for (int i = 0; i < 4; i++)                                                           \
                    for (int h = 0; h < 2; h++) memcpy(c + i * padded + h * (W), &t[i][h], sizeof(vec)); \
            }                                                                                         \
        }                                                                                             \
    }

GRAM_TILES(gram_tiles_avx512, __attribute__((target("avx512f"))), 8)
GRAM_TILES(gram_tiles_portable, , 2)

size_t codebook_gram_padded(size_t p) {
    return (p + CODEBOOK_GRAM_PANEL - 1) / CODEBOOK_GRAM_PANEL * CODEBOOK_GRAM_PANEL;
}

void codebook_gram(const double *a, size_t n, size_t p, double *g, double *packed, double *acc) {
    size_t padded = codebook_gram_padded(p);
    memset(acc, 0, padded * padded * sizeof(double));
    int avx512 = codebook_avx512();
    for (size_t start = 0; start < n; start += CODEBOOK_GRAM_CHUNK) {
        size_t rows = n - start < CODEBOOK_GRAM_CHUNK ? n - start : CODEBOOK_GRAM_CHUNK;
        // Panel q holds columns 16q ..< 16q + 16 of the chunk's rows, row after row, zero past p.
        for (size_t r = 0; r < rows; r++) {
            const double *row = a + (start + r) * p;
            for (size_t col = 0; col < padded; col++) {
                packed[(col / CODEBOOK_GRAM_PANEL) * rows * CODEBOOK_GRAM_PANEL + r * CODEBOOK_GRAM_PANEL
                       + col % CODEBOOK_GRAM_PANEL] = col < p ? row[col] : 0;
            }
        }
        if (avx512) gram_tiles_avx512(packed, rows, p, padded, acc);
        else gram_tiles_portable(packed, rows, p, padded, acc);
    }
    // The upper triangle, mirrored (a diagonal tile's lower entries are the same sums).
    for (size_t i = 0; i < p; i++) {
        for (size_t j = i; j < p; j++) g[i * p + j] = g[j * p + i] = acc[i * padded + j];
    }
}

// Cholesky: entry (i, j) of L (i ≥ j) starts at A[i, j], has L[i, k]·L[j, k] subtracted for each k < j in
// ascending order (each product rounded, then subtracted), and is divided by the square-rooted diagonal
// L[j, j]: the textbook row-by-row loop's chain of roundings. Only which chains run side by side, and
// when, is blocked for the caches: right-looking by panels of CHOLESKY_PANEL columns. A panel's
// columns hold A minus every k before the panel; each is finished in turn (minus the panel's earlier
// columns, then the square root and division); then the panel's products are subtracted from every
// column right of it, a register tile of rows × columns at a time. Every entry still sees its k in
// ascending order, panel after panel. (Left-looking, one column at a time, read all of L again for
// every column, at a stride of n doubles: bound by memory, 2 s per factor of order 2,412.)
#define CHOLESKY_PANEL 32

// Column j's entries from its diagonal down, minus L[i, k]·L[j, k] for k in [k0, k1), in ascending k:
// vector lanes over rows, four vectors of W rows at a time, the rest one row at a time.
#define CHOLESKY_COLUMN(NAME, ATTRIBUTES, W)                                                          \
    ATTRIBUTES static void NAME(double *lt, size_t n, size_t j, size_t k0, size_t k1) {               \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        double *column = lt + j * n;                                                                  \
        size_t i = j;                                                                                 \
        for (; i + 4 * (W) <= n; i += 4 * (W)) {                                                      \
            vec t[4];                                                                                 \
            for (int h = 0; h < 4; h++) memcpy(&t[h], column + i + h * (W), sizeof(vec));             \
            for (size_t k = k0; k < k1; k++) {                                                        \
                const double *previous = lt + k * n + i;                                              \
                double ljk = lt[k * n + j];                                                           \
                for (int h = 0; h < 4; h++) {                                                         \
                    vec l;                                                                            \
                    memcpy(&l, previous + h * (W), sizeof(vec));                                      \
                    t[h] -= l * ljk;                                                                  \
                }                                                                                     \
            }                                                                                         \
            for (int h = 0; h < 4; h++) memcpy(column + i + h * (W), &t[h], sizeof(vec));             \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            double s = column[i];                                                                     \
            for (size_t k = k0; k < k1; k++) s -= lt[k * n + i] * lt[k * n + j];                      \
            column[i] = s;                                                                            \
        }                                                                                             \
    }

// Columns j ..< j + C, from row j down, minus the panel's products (k in [k0, k1), ascending): tiles of
// R vectors of W rows × C columns in registers (AVX-512: 24 rows × 8 columns, 24 of 32 registers;
// SSE2: 4 rows × 4 columns, 8 of 16). A tile's rows above a column's diagonal are computed and not
// stored (they are no entry of L).
#define CHOLESKY_TILES(NAME, ATTRIBUTES, W, R, C)                                                     \
    ATTRIBUTES static void NAME(double *lt, size_t n, size_t j, size_t k0, size_t k1) {               \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        size_t i = j;                                                                                 \
        for (; i + (R) * (W) <= n; i += (R) * (W)) {                                                  \
            vec t[C][R];                                                                              \
            for (int c = 0; c < (C); c++)                                                             \
                for (int h = 0; h < (R); h++) memcpy(&t[c][h], lt + (j + c) * n + i + h * (W), sizeof(vec)); \
            for (size_t k = k0; k < k1; k++) {                                                        \
                const double *previous = lt + k * n;                                                  \
                vec l[R];                                                                             \
                for (int h = 0; h < (R); h++) memcpy(&l[h], previous + i + h * (W), sizeof(vec));     \
                for (int c = 0; c < (C); c++) {                                                       \
                    double ljk = previous[j + c];                                                     \
                    for (int h = 0; h < (R); h++) t[c][h] -= l[h] * ljk;                              \
                }                                                                                     \
            }                                                                                         \
            if (i >= j + (C)) {                                                                       \
                for (int c = 0; c < (C); c++)                                                         \
                    for (int h = 0; h < (R); h++) memcpy(lt + (j + c) * n + i + h * (W), &t[c][h], sizeof(vec)); \
            } else {                                                                                  \
                for (int c = 0; c < (C); c++) {                                                       \
                    for (int h = 0; h < (R); h++) {                                                   \
                        double lanes[W];                                                              \
                        memcpy(lanes, &t[c][h], sizeof(vec));                                         \
                        for (int e = 0; e < (W); e++) {                                               \
                            size_t row = i + h * (W) + e;                                             \
                            if (row >= j + c) lt[(j + c) * n + row] = lanes[e];                       \
                        }                                                                             \
                    }                                                                                 \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            for (size_t c = 0; c < (C) && j + c <= i; c++) {                                          \
                double s = lt[(j + c) * n + i];                                                       \
                for (size_t k = k0; k < k1; k++) s -= lt[k * n + i] * lt[k * n + j + c];              \
                lt[(j + c) * n + i] = s;                                                              \
            }                                                                                         \
        }                                                                                             \
    }

CHOLESKY_COLUMN(cholesky_column_avx512, __attribute__((target("avx512f"))), 8)
CHOLESKY_COLUMN(cholesky_column_portable, , 2)
CHOLESKY_TILES(cholesky_tiles_avx512, __attribute__((target("avx512f"))), 8, 3, 8)
CHOLESKY_TILES(cholesky_tiles_portable, , 2, 2, 4)

size_t codebook_cholesky_factor(const double *a, size_t n, double *lt) {
    for (size_t j = 0; j < n; j++) {
        for (size_t i = j; i < n; i++) lt[j * n + i] = a[i * n + j];
    }
    int avx512 = codebook_avx512();
    size_t tile = avx512 ? 8 : 4;  // the tiles' columns
    for (size_t k0 = 0; k0 < n; k0 += CHOLESKY_PANEL) {
        size_t k1 = n - k0 < CHOLESKY_PANEL ? n : k0 + CHOLESKY_PANEL;
        for (size_t j = k0; j < k1; j++) {  // the panel: minus its earlier columns, root, division
            if (avx512) cholesky_column_avx512(lt, n, j, k0, j);
            else cholesky_column_portable(lt, n, j, k0, j);
            double *column = lt + j * n;
            if (!(column[j] > 0)) return j + 1;
            column[j] = sqrt(column[j]);
            for (size_t i = j + 1; i < n; i++) column[i] = column[i] / column[j];
        }
        size_t j = k1;  // every column right of the panel, minus the panel's products
        for (; j + tile <= n; j += tile) {
            if (avx512) cholesky_tiles_avx512(lt, n, j, k0, k1);
            else cholesky_tiles_portable(lt, n, j, k0, k1);
        }
        for (; j < n; j++) {
            if (avx512) cholesky_column_avx512(lt, n, j, k0, k1);
            else cholesky_column_portable(lt, n, j, k0, k1);
        }
    }
    return 0;
}

// L·y = b by columns: y[k] is final once divided, then leaves its products L[i, k]·y[k] in every later
// y[i]. So each y[i] still starts at b[i], has its products subtracted in ascending k, and is divided:
// the row-by-row loop's chain, with a column of L (contiguous) per step instead of a row (a stride of n).
#define FORWARD_SUBSTITUTE(NAME, ATTRIBUTES, W)                                                       \
    ATTRIBUTES static void NAME(const double *lt, size_t n, double *x) {                              \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        for (size_t k = 0; k < n; k++) {                                                              \
            const double *column = lt + k * n;                                                        \
            double xk = x[k] / column[k];                                                             \
            x[k] = xk;                                                                                \
            size_t i = k + 1;                                                                         \
            for (; i + (W) <= n; i += (W)) {                                                          \
                vec l, y;                                                                             \
                memcpy(&l, column + i, sizeof(vec));                                                  \
                memcpy(&y, x + i, sizeof(vec));                                                       \
                y -= l * xk;                                                                          \
                memcpy(x + i, &y, sizeof(vec));                                                       \
            }                                                                                         \
            for (; i < n; i++) x[i] -= column[i] * xk;                                                \
        }                                                                                             \
    }

FORWARD_SUBSTITUTE(forward_substitute_avx512, __attribute__((target("avx512f"))), 8)
FORWARD_SUBSTITUTE(forward_substitute_portable, , 2)

void codebook_cholesky_substitute(const double *lt, size_t n, double *x) {
    if (codebook_avx512()) forward_substitute_avx512(lt, n, x);  // L·y = b
    else forward_substitute_portable(lt, n, x);
    for (size_t i = n; i-- > 0;) {  // Lᵀ·x = y
        double s = x[i];
        for (size_t k = i + 1; k < n; k++) s -= lt[i * n + k] * x[k];
        x[i] = s / lt[i * n + i];
    }
}

size_t codebook_cholesky_solve(const double *a, size_t n, double *x, double *lt) {
    size_t failed = codebook_cholesky_factor(a, n, lt);
    if (failed == 0) codebook_cholesky_substitute(lt, n, x);
    return failed;
}

// y = bᵀ·x: every y[c] = Σᵣ b[r, c]·x[r], each product rounded, then added in ascending r. The
// entries of y are independent chains, so they run as vector lanes along b's rows; b is read in order,
// a block of MULTIPLY_ROWS rows at a time, each tile of y kept in registers over the block (a strip of
// columns down all rows at once strode across pages: slower than one chain per row with SSE2).
#define MULTIPLY_ROWS 8

// y (and z, for the pair) += the block's rows r0 ..< r1 times x (and w), tiles of 4 vectors of W.
#define MULTIPLY_TRANSPOSED(NAME, PAIR, ATTRIBUTES, W)                                                \
    ATTRIBUTES static void NAME(const double *b, size_t rows, size_t columns, const double *x,        \
                                const double *w, double *y, double *z) {                              \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        memset(y, 0, columns * sizeof(double));                                                       \
        if (PAIR) memset(z, 0, columns * sizeof(double));                                             \
        for (size_t r0 = 0; r0 < rows; r0 += MULTIPLY_ROWS) {                                         \
            size_t r1 = rows - r0 < MULTIPLY_ROWS ? rows : r0 + MULTIPLY_ROWS;                        \
            size_t c = 0;                                                                             \
            for (; c + 4 * (W) <= columns; c += 4 * (W)) {                                            \
                vec t[4], u[4];                                                                       \
                for (int h = 0; h < 4; h++) {                                                         \
                    memcpy(&t[h], y + c + h * (W), sizeof(vec));                                      \
                    if (PAIR) memcpy(&u[h], z + c + h * (W), sizeof(vec));                            \
                }                                                                                     \
                for (size_t r = r0; r < r1; r++) {                                                    \
                    const double *row = b + r * columns + c;                                          \
                    for (int h = 0; h < 4; h++) {                                                     \
                        vec l;                                                                        \
                        memcpy(&l, row + h * (W), sizeof(vec));                                       \
                        t[h] += l * x[r];                                                             \
                        if (PAIR) u[h] += l * w[r];                                                   \
                    }                                                                                 \
                }                                                                                     \
                for (int h = 0; h < 4; h++) {                                                         \
                    memcpy(y + c + h * (W), &t[h], sizeof(vec));                                      \
                    if (PAIR) memcpy(z + c + h * (W), &u[h], sizeof(vec));                            \
                }                                                                                     \
            }                                                                                         \
            for (; c < columns; c++) {                                                                \
                for (size_t r = r0; r < r1; r++) {                                                    \
                    y[c] += b[r * columns + c] * x[r];                                                \
                    if (PAIR) z[c] += b[r * columns + c] * w[r];                                      \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
    }

MULTIPLY_TRANSPOSED(multiply_transposed_avx512, 0, __attribute__((target("avx512f"))), 8)
MULTIPLY_TRANSPOSED(multiply_transposed_portable, 0, , 2)
MULTIPLY_TRANSPOSED(multiply_transposed_pair_avx512, 1, __attribute__((target("avx512f"))), 8)
MULTIPLY_TRANSPOSED(multiply_transposed_pair_portable, 1, , 2)

void codebook_multiply_transposed(const double *b, size_t rows, size_t columns, const double *x, double *y) {
    if (codebook_avx512()) multiply_transposed_avx512(b, rows, columns, x, NULL, y, NULL);
    else multiply_transposed_portable(b, rows, columns, x, NULL, y, NULL);
}

void codebook_multiply_transposed_pair(const double *b, size_t rows, size_t columns, const double *x,
                                       const double *w, double *y, double *z) {
    if (codebook_avx512()) multiply_transposed_pair_avx512(b, rows, columns, x, w, y, z);
    else multiply_transposed_pair_portable(b, rows, columns, x, w, y, z);
}
