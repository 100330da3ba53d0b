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

// Cholesky, left-looking by columns: column j of L is A's, minus Σₖ L[:, k]·L[j, k] for k < j in
// ascending order, then divided by its square-rooted diagonal. Each entry is the same chain as the
// row-by-row textbook loop (start at A[i, j], subtract each product in ascending k, divide), but the
// entries of a column are independent chains, so they run as vector lanes: four vectors of W rows at a
// time, the rest one row at a time.
#define CHOLESKY_COLUMN(NAME, ATTRIBUTES, W)                                                          \
    ATTRIBUTES static void NAME(double *lt, size_t n, size_t j) {                                     \
        typedef double vec __attribute__((vector_size(8 * (W))));                                     \
        double *column = lt + j * n;                                                                  \
        size_t i = j;                                                                                 \
        for (; i + 4 * (W) <= n; i += 4 * (W)) {                                                      \
            vec t[4];                                                                                 \
            for (int h = 0; h < 4; h++) memcpy(&t[h], column + i + h * (W), sizeof(vec));             \
            for (size_t k = 0; k < j; k++) {                                                          \
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
            for (size_t k = 0; k < j; k++) s -= lt[k * n + i] * lt[k * n + j];                        \
            column[i] = s;                                                                            \
        }                                                                                             \
    }

CHOLESKY_COLUMN(cholesky_column_avx512, __attribute__((target("avx512f"))), 8)
CHOLESKY_COLUMN(cholesky_column_portable, , 2)

size_t codebook_cholesky_factor(const double *a, size_t n, double *lt) {
    for (size_t j = 0; j < n; j++) {
        for (size_t i = j; i < n; i++) lt[j * n + i] = a[i * n + j];
    }
    int avx512 = codebook_avx512();
    for (size_t j = 0; j < n; j++) {
        if (avx512) cholesky_column_avx512(lt, n, j);
        else cholesky_column_portable(lt, n, j);
        double *column = lt + j * n;
        if (!(column[j] > 0)) return j + 1;
        column[j] = sqrt(column[j]);
        for (size_t i = j + 1; i < n; i++) column[i] = column[i] / column[j];
    }
    return 0;
}

void codebook_cholesky_substitute(const double *lt, size_t n, double *x) {
    for (size_t i = 0; i < n; i++) {  // L·y = b
        double s = x[i];
        for (size_t k = 0; k < i; k++) s -= lt[k * n + i] * x[k];
        x[i] = s / lt[i * n + i];
    }
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
