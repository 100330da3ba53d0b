#include "CKernels.h"
#include "dispatch.h"

#include <cpuid.h>
#include <immintrin.h>
#include <stdint.h>

// The micro-kernel computes a tile of MR rows × 64 columns of y in 24 ZMM accumulators (of 32),
// reading per step of k four vectors of the packed panel and MR broadcast values of x: 24 FMAs
// for 4 + MR loads, enough for two FMA ports. MR = 6 also divides the common 66-token inputs.
#define NR CODEBOOK_PANEL_WIDTH
#define MR 6
// Rows of x per pass over the panels: at most 96 × 1536 floats (590 KB) stay in L2 while every
// panel streams past them, so the weights are read from memory once per 96 rows, not per 6.
#define ROW_BLOCK 96

#define AVX512 __attribute__((target("avx512f")))

int codebook_packed_sgemm_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    // XCR0: the OS saves SSE, AVX, the opmask registers and both halves of the ZMM state.
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX512F) != 0;
}

int codebook_avx512(void) {
    // Threads that race on the first use all store the same answer; relaxed atomics make that defined.
    static int available = -1;
    int known = __atomic_load_n(&available, __ATOMIC_RELAXED);
    if (known < 0) {
        known = codebook_packed_sgemm_available();
        __atomic_store_n(&available, known, __ATOMIC_RELAXED);
    }
    return known;
}

size_t codebook_packed_count(int n, int k) {
    return (size_t)((n + NR - 1) / NR) * NR * (size_t)k;
}

void codebook_pack_weights(const float *w, int n, int k, float *packed) {
    int panels = (n + NR - 1) / NR;
    for (int p = 0; p < panels; p++) {
        float *panel = packed + (size_t)p * NR * k;
        for (int j = 0; j < NR; j++) {
            int column = p * NR + j;
            for (int i = 0; i < k; i++) panel[(size_t)i * NR + j] = column < n ? w[(size_t)column * k + i] : 0.0f;
        }
    }
}

// One tile: y[rows, cols] = beta·y + x[rows, k] · panel[k, cols], rows ≤ MR, cols ≤ 64. Inlined with
// a constant `rows`, so the accumulators live in registers and the row loops unroll.
static inline AVX512 __attribute__((always_inline)) void tile(
    const int rows, int k, const float *x, int ldx, const float *panel, float beta, float *y, int ldy, int cols) {
    __m512 acc[MR][4];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_ps();
    for (int i = 0; i < k; i++) {
        const float *w = panel + (size_t)i * NR;
        __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16);
        __m512 w2 = _mm512_load_ps(w + 32), w3 = _mm512_load_ps(w + 48);
        for (int r = 0; r < rows; r++) {
            __m512 xi = _mm512_set1_ps(x[(size_t)r * ldx + i]);
            acc[r][0] = _mm512_fmadd_ps(xi, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(xi, w1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(xi, w2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(xi, w3, acc[r][3]);
        }
    }
    for (int r = 0; r < rows; r++) {
        float *out = y + (size_t)r * ldy;
        for (int v = 0; v < 4 && 16 * v < cols; v++) {
            int left = cols - 16 * v;
            __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            __m512 sum = acc[r][v];
            // beta = 1: the residual or bias already in y, added after the product, as BLAS does.
            if (beta != 0) sum = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, out + 16 * v), sum);
            _mm512_mask_storeu_ps(out + 16 * v, mask, sum);
        }
    }
}

static AVX512 void tile_rows(int rows, int k, const float *x, int ldx, const float *panel, float beta,
                             float *y, int ldy, int cols) {
    switch (rows) {
    case 6: tile(6, k, x, ldx, panel, beta, y, ldy, cols); break;
    case 5: tile(5, k, x, ldx, panel, beta, y, ldy, cols); break;
    case 4: tile(4, k, x, ldx, panel, beta, y, ldy, cols); break;
    case 3: tile(3, k, x, ldx, panel, beta, y, ldy, cols); break;
    case 2: tile(2, k, x, ldx, panel, beta, y, ldy, cols); break;
    default: tile(1, k, x, ldx, panel, beta, y, ldy, cols); break;
    }
}

AVX512 void codebook_packed_sgemm(int m, int n, int k, const float *x, int ldx, const float *packed,
                                  float beta, float *y, int ldy, int first_panel, int panel_count) {
    for (int r0 = 0; r0 < m; r0 += ROW_BLOCK) {
        int block = m - r0 < ROW_BLOCK ? m - r0 : ROW_BLOCK;
        for (int p = first_panel; p < first_panel + panel_count; p++) {
            const float *panel = packed + (size_t)p * NR * k;
            int cols = n - p * NR < NR ? n - p * NR : NR;
            for (int r = r0; r < r0 + block; r += MR) {
                int rows = r0 + block - r < MR ? r0 + block - r : MR;
                tile_rows(rows, k, x + (size_t)r * ldx, ldx, panel, beta, y + (size_t)r * ldy + p * NR, ldy, cols);
            }
        }
    }
}
