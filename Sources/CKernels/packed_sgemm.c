#include "CKernels.h"
#include "dispatch.h"

#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
#include <stdint.h>

// The micro-kernel computes a tile of MR rows × 64 columns of y in 24 ZMM accumulators (of 32),
// reading per step of k four vectors of the packed panel and MR broadcast values of x: 24 FMAs
// for 4 + MR loads, enough for two FMA ports. MR = 6 also divides the common 66-token inputs.
#define NR CODEBOOK_PANEL_WIDTH
#define MR 6
// While a panel's row tiles run, they prefetch the next panel into L2, a few lines per step of k:
// a model's weights outgrow the caches (MiniLM's are 42 MB), and without it the first tile of
// every panel waited on memory (measured: a 66-token MiniLM forward pass 8–12% faster with it).
// Rows of x per pass over the panels: at most 96 × 1536 floats (590 KB) stay in L2 while every
// panel streams past them, so the weights are read from memory once per 96 rows, not per 6.
#define ROW_BLOCK 96

#define AVX512 __attribute__((target("avx512f")))

int codebook_packed_sgemm_available(void) {
    // CODEBOOK_NO_AVX512 (set, not "0"): behave as on a CPU without AVX-512, so the portable paths
    // (OpenBLAS for the dense layers, the baseline element-wise loops) can be tested on any machine.
    const char *no_avx512 = getenv("CODEBOOK_NO_AVX512");
    if (no_avx512 && no_avx512[0] && strcmp(no_avx512, "0") != 0) return 0;
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

// Lines of the next panel a tile prefetches: `count` lines from `from`, `per_step` per step of k.
typedef struct { const char *from; int count; int per_step; } prefetch;

// One tile: y[rows, cols] = beta·y + x[rows, k] · panel[k, cols], rows ≤ MR, cols ≤ 64. Inlined with
// a constant `rows`, so the accumulators live in registers and the row loops unroll.
static inline AVX512 __attribute__((always_inline)) void tile(
    const int rows, int k, const float *x, int ldx, const float *panel, float beta, float *y, int ldy, int cols,
    prefetch next) {
    __m512 acc[MR][4];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_ps();
    int fetched = 0;
    for (int i = 0; i < k; i++) {
        const float *w = panel + (size_t)i * NR;
        for (int l = 0; l < next.per_step && fetched < next.count; l++, fetched++)
            _mm_prefetch(next.from + (size_t)fetched * 64, _MM_HINT_T1);
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
                             float *y, int ldy, int cols, prefetch next) {
    switch (rows) {
    case 6: tile(6, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    case 5: tile(5, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    case 4: tile(4, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    case 3: tile(3, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    case 2: tile(2, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    default: tile(1, k, x, ldx, panel, beta, y, ldy, cols, next); break;
    }
}

AVX512 void codebook_packed_sgemm(int m, int n, int k, const float *x, int ldx, const float *packed,
                                  float beta, float *y, int ldy, int first_panel, int panel_count) {
    int panel_lines = (int)((size_t)NR * k * sizeof(float) / 64);
    for (int r0 = 0; r0 < m; r0 += ROW_BLOCK) {
        int block = m - r0 < ROW_BLOCK ? m - r0 : ROW_BLOCK;
        int tiles = (block + MR - 1) / MR;
        // The next panel's lines spread over this panel's tiles·k steps (at least one per step).
        int per_step = (int)(((size_t)panel_lines + (size_t)tiles * k - 1) / ((size_t)tiles * k));
        for (int p = first_panel; p < first_panel + panel_count; p++) {
            const float *panel = packed + (size_t)p * NR * k;
            int last = p + 1 == first_panel + panel_count;
            int cols = n - p * NR < NR ? n - p * NR : NR;
            for (int r = r0, t = 0; r < r0 + block; r += MR, t++) {
                int rows = r0 + block - r < MR ? r0 + block - r : MR;
                int first_line = t * k * per_step;  // this tile's share of the next panel
                prefetch next = {(const char *)(panel + (size_t)NR * k) + (size_t)first_line * 64,
                                 last || first_line >= panel_lines ? 0 : panel_lines - first_line, per_step};
                tile_rows(rows, k, x + (size_t)r * ldx, ldx, panel, beta, y + (size_t)r * ldy + p * NR, ldy, cols, next);
            }
        }
    }
}
