#include "CKernels.h"
#include "dispatch.h"

#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

// The micro-kernel computes a tile of MR rows × 64 columns of y in 24 ZMM accumulators (of 32),
// reading per step of k four vectors of the packed panel and MR broadcast values of x: 24 FMAs
// for 4 + MR loads, enough for two FMA ports. MR = 6 also divides the common 66-token inputs.
#define NR CODEBOOK_PANEL_WIDTH
#define MR 6
// Blocking, from the caches of the CPU it runs on (`codebook_packed_blocking`):
// - k is cut into slices of `kc` steps, so that a panel's slice (kc × 64 floats) stays in L1 while
//   every row tile of the block reads it. Without that, each 6-row tile read its panel from L2: 256
//   bytes per 24 FMAs. A core that retires one 512-bit FMA a cycle (AMD Zen 4) keeps up with L2
//   at that rate, but a core with two 512-bit FMA ports (Intel Xeon Gold/Platinum) needs twice the
//   bytes per cycle and ends up waiting on L2: there the kernel was no faster than OpenBLAS.
//   Between slices a tile's accumulators go to a scratch block and come back, unchanged, so every
//   output is the same chain of FMAs over k, in the same order, whatever kc is: the blocking
//   changes no bit of the result (DenseWeightsTests checks it).
// - Rows of x per pass over the panels: `mc` rows × k floats of x stay in L2 while every panel
//   streams past them, so the weights are read from memory once per mc rows, not per 6.
// - While a panel's row tiles run, they prefetch the next panel into L2, a few lines per step of k:
//   a model's weights outgrow the caches (MiniLM's are 42 MB), and without it the first tile of
//   every panel waited on memory (measured: a 66-token MiniLM forward pass 8–12% faster with it).
#define MAX_MC 480

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

/// The size in bytes of this CPU's cache of `level` that holds data (its "Data" or "Unified" one), as
/// Linux describes cpu0's caches in /sys, else as glibc's sysconf reports it, else 0.
static long cache_size(int level) {
    for (int index = 0; index < 8; index++) {
        char path[96], text[32] = {0};
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
        FILE *file = fopen(path, "r");
        if (!file) break;
        int this_level = 0;
        if (fscanf(file, "%d", &this_level) != 1) this_level = 0;
        fclose(file);
        if (this_level != level) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", index);
        if (!(file = fopen(path, "r"))) continue;
        int found = fgets(text, sizeof text, file) != NULL;
        fclose(file);
        if (!found || strncmp(text, "Instruction", 11) == 0) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
        if (!(file = fopen(path, "r"))) continue;
        long size = 0;
        char unit = 0;
        found = fscanf(file, "%ld%c", &size, &unit) >= 1;
        fclose(file);
        if (!found || size <= 0) continue;
        return unit == 'K' ? size << 10 : unit == 'M' ? size << 20 : size;
    }
#ifdef _SC_LEVEL1_DCACHE_SIZE
    long size = sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : _SC_LEVEL2_CACHE_SIZE);
    return size > 0 ? size : 0;
#else
    return 0;
#endif
}

codebook_blocking codebook_blocking_for(long l1, long l2) {
    // Unknown sizes: the smallest of the AVX-512 x86 CPUs (32 KiB L1d, 1 MiB L2).
    if (l1 <= 0) l1 = 32 << 10;
    if (l2 <= 0) l2 = 1 << 20;
    // Half of L1 for the panel's slice (the other half: x's 6 rows, the tile's scratch, the stack);
    // a multiple of 8 steps, at least 16.
    long kc = l1 / 2 / ((long)NR * sizeof(float)) / 8 * 8;
    if (kc < 16) kc = 16;
    if (kc > 4096) kc = 4096;
    codebook_blocking blocking = {(int)(l1 >> 10), (int)(l2 >> 10), (int)kc, 0};
    // Half of L2 for x's block (the rest: the panel streaming through and the next one prefetched).
    blocking.mc_bytes = l2 / 2;
    return blocking;
}

codebook_blocking codebook_packed_blocking(void) {
    static codebook_blocking known;  // .kc == 0 until computed; racing threads store the same value
    static int ready = 0;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        known = codebook_blocking_for(cache_size(1), cache_size(2));
        // AMD Zen 4 retires one 512-bit FMA a cycle and keeps up with L2 unsliced: slicing k made a
        // 64-token MiniLM forward pass slower there (RuntimeBench, one machine, alternating runs: p50
        // 16.3 ms sliced against 14.8-15.7 ms unsliced). Slices can pay only where two FMA ports outrun
        // L2 (Intel's server cores), which no machine here could measure. The bits are the same either way.
        if (__builtin_cpu_is("amd")) known.kc = 1 << 20;
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return known;
}

/// Rows of x per block for an inner size `k`: `mc_bytes` of x, whole tiles, 1 to MAX_MC tiles' rows.
static int rows_per_block(codebook_blocking blocking, int k) {
    long rows = blocking.mc_bytes / ((long)k * sizeof(float)) / MR * MR;
    return rows < MR ? MR : rows > MAX_MC ? MAX_MC : (int)rows;
}

// Lines of the next panel a tile prefetches: `count` lines from `from`, `per_step` per step of k.
typedef struct { const char *from; int count; int per_step; } prefetch;

// One tile over one slice of k: acc[rows, cols] (+)= x[rows, steps] · panel[steps, cols], rows ≤ MR,
// cols ≤ 64. The accumulators start at zero on the first slice, else from `scratch`; after the last
// slice y = beta·y + acc (masked to `cols`), before it they go back to `scratch` ([MR, 64], aligned).
// Inlined with a constant `rows`, so the accumulators live in registers and the row loops unroll.
static inline AVX512 __attribute__((always_inline)) void tile(
    const int rows, int steps, const float *x, int ldx, const float *panel, int first, int last,
    float *scratch, float beta, float *y, int ldy, int cols, prefetch next) {
    __m512 acc[MR][4];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < 4; v++) acc[r][v] = first ? _mm512_setzero_ps() : _mm512_load_ps(scratch + r * NR + 16 * v);
    int fetched = 0;
    for (int i = 0; i < steps; i++) {
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
    if (!last) {
        for (int r = 0; r < rows; r++)
            for (int v = 0; v < 4; v++) _mm512_store_ps(scratch + r * NR + 16 * v, acc[r][v]);
        return;
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

static AVX512 void tile_rows(int rows, int steps, const float *x, int ldx, const float *panel, int first, int last,
                             float *scratch, float beta, float *y, int ldy, int cols, prefetch next) {
    switch (rows) {
    case 6: tile(6, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    case 5: tile(5, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    case 4: tile(4, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    case 3: tile(3, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    case 2: tile(2, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    default: tile(1, steps, x, ldx, panel, first, last, scratch, beta, y, ldy, cols, next); break;
    }
}

void codebook_packed_sgemm(int m, int n, int k, const float *x, int ldx, const float *packed,
                           float beta, float *y, int ldy, int first_panel, int panel_count) {
    codebook_packed_sgemm_blocked(m, n, k, x, ldx, packed, beta, y, ldy, first_panel, panel_count,
                                  codebook_packed_blocking());
}

AVX512 void codebook_packed_sgemm_blocked(int m, int n, int k, const float *x, int ldx, const float *packed,
                                          float beta, float *y, int ldy, int first_panel, int panel_count,
                                          codebook_blocking blocking) {
    int kc = blocking.kc > 0 ? blocking.kc : k, mc = rows_per_block(blocking, k);
    if (kc > k) kc = k;
    int panel_lines = (int)((size_t)NR * k * sizeof(float) / 64);
    // The tiles' accumulators between slices of k: only when k takes more than one slice.
    float *scratch = NULL;
    if (kc < k && !(scratch = aligned_alloc(64, (size_t)MAX_MC * NR * sizeof(float)))) kc = k;
    for (int r0 = 0; r0 < m; r0 += mc) {
        int block = m - r0 < mc ? m - r0 : mc;
        int tiles = (block + MR - 1) / MR;
        // The next panel's lines spread over this panel's tiles·k steps (at least one per step).
        int per_step = (int)(((size_t)panel_lines + (size_t)tiles * k - 1) / ((size_t)tiles * k));
        for (int p = first_panel; p < first_panel + panel_count; p++) {
            const float *panel = packed + (size_t)p * NR * k;
            const char *next_panel = (const char *)(panel + (size_t)NR * k);
            int lines = p + 1 == first_panel + panel_count ? 0 : panel_lines;  // the last prefetches nothing
            int cols = n - p * NR < NR ? n - p * NR : NR;
            int fetched = 0;
            for (int i0 = 0; i0 < k; i0 += kc) {
                int steps = k - i0 < kc ? k - i0 : kc;
                for (int r = r0, t = 0; r < r0 + block; r += MR, t++) {
                    int rows = r0 + block - r < MR ? r0 + block - r : MR;
                    int count = lines - fetched < steps * per_step ? lines - fetched : steps * per_step;
                    prefetch next = {next_panel + (size_t)fetched * 64, count, per_step};
                    fetched += count;
                    tile_rows(rows, steps, x + (size_t)r * ldx + i0, ldx, panel + (size_t)i0 * NR, i0 == 0,
                              i0 + steps == k, scratch ? scratch + (size_t)t * MR * NR : NULL, beta,
                              y + (size_t)r * ldy + p * NR, ldy, cols, next);
                }
            }
        }
    }
    free(scratch);
}
