#include "CKernels.h"
#include "dispatch.h"

#include <math.h>

// The element-wise functions of the forward pass (softmax, SwiGLU, GELU), each body written once
// and compiled twice (baseline x86-64, and AVX-512 where loops vectorize 16 wide with FMA). The
// reductions use a 16-float vector type (GCC/Clang vector extensions: one ZMM register with
// AVX-512, four SSE registers without), since C compilers may not reassociate a float sum by
// themselves and a scalar sum would be one long dependency chain.
typedef float lanes __attribute__((vector_size(64), aligned(4)));

#define INLINE static inline __attribute__((always_inline))
#define AVX512 __attribute__((target("avx512f")))

/// `eˣ` in float, branch-free so loops over it vectorize. Cephes' `expf`: `x = n·ln 2 + r`, `n`
/// rounded to nearest (added to 1.5·2²³ so the integer lands in the low mantissa bits), `ln 2`
/// split in two (Cody–Waite) so `r` is exact, `eʳ` by a degree-6 polynomial on [−ln2/2, ln2/2],
/// `2ⁿ` from its bit pattern. Relative error ≲ 2 ulp. Inputs are clamped to [−87.3, 88], where `2ⁿ`
/// stays a normal float; below that the true value underflows anyway.
INLINE float exponential(float x) {
    x = x < -87.33654f ? -87.33654f : (x > 88.0f ? 88.0f : x);
    const float shifter = 12582912.0f;  // 1.5 · 2²³
    float t = x * 1.44269504f + shifter;
    float n = t - shifter;
    float r = (x - n * 0.693359375f) + n * 2.1219444e-4f;
    float p = 1.98756915e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    union { float f; int i; } bits = {t}, shift = {shifter}, scale;
    scale.i = ((bits.i - shift.i) + 127) << 23;
    return y * scale.f;
}

INLINE float sum(const float *p, int count) {
    lanes total = {0};
    int j = 0;
    for (; j + 16 <= count; j += 16) total += *(const lanes *)(p + j);
    float s = 0;
    for (int l = 0; l < 16; l++) s += total[l];
    for (; j < count; j++) s += p[j];
    return s;
}

INLINE float maximum(const float *p, int count) {
    lanes best = {0};
    float m = -INFINITY;
    int j = 0;
    if (count >= 16) {
        best = *(const lanes *)p;
        for (j = 16; j + 16 <= count; j += 16) {
            lanes v = *(const lanes *)(p + j);
            best = __builtin_elementwise_max(v, best);
        }
        for (int l = 0; l < 16; l++) m = best[l] > m ? best[l] : m;
    }
    for (; j < count; j++) m = p[j] > m ? p[j] : m;
    return m;
}

INLINE void softmax(float *p, int count) {
    float m = maximum(p, count);
    for (int j = 0; j < count; j++) p[j] = exponential(p[j] - m);
    float inverse = 1.0f / sum(p, count);
    for (int j = 0; j < count; j++) p[j] *= inverse;
}

void codebook_softmax_portable(float *p, int count) { softmax(p, count); }

AVX512 static void softmax_avx512(float *p, int count) { softmax(p, count); }

void codebook_softmax(float *p, int count) {
    if (codebook_avx512()) softmax_avx512(p, count); else softmax(p, count);
}

INLINE void swiglu(const float *gate_up, size_t rows, size_t width, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *gate = gate_up + r * 2 * width, *up = gate + width;
        float *o = out + r * width;
        for (size_t c = 0; c < width; c++) o[c] = gate[c] / (1.0f + exponential(-gate[c])) * up[c];
    }
}

void codebook_swiglu_portable(const float *gate_up, size_t rows, size_t width, float *out) {
    swiglu(gate_up, rows, width, out);
}

AVX512 static void swiglu_avx512(const float *gate_up, size_t rows, size_t width, float *out) {
    swiglu(gate_up, rows, width, out);
}

void codebook_swiglu(const float *gate_up, size_t rows, size_t width, float *out) {
    if (codebook_avx512()) swiglu_avx512(gate_up, rows, width, out); else swiglu(gate_up, rows, width, out);
}

// BERT's GELU. The branches are selects, so both loops vectorize.
static inline __attribute__((always_inline)) float gelu(float v) {
    float x = v * 0.70710678118654752f;  // erf's argument: v/√2
    x = x < -4.0f ? -4.0f : (x > 4.0f ? 4.0f : x);
    float x2 = x * x;
    float p = -2.72614225801306e-10f;
    p = p * x2 + 2.77068142495902e-08f;
    p = p * x2 - 2.10102402082508e-06f;
    p = p * x2 - 5.69250639462346e-05f;
    p = p * x2 - 7.34990630326855e-04f;
    p = p * x2 - 2.95459980854025e-03f;
    p = p * x2 - 1.60960333262415e-02f;
    float q = -1.45660718464996e-05f;
    q = q * x2 - 2.13374055278905e-04f;
    q = q * x2 - 1.68282697438203e-03f;
    q = q * x2 - 7.37332916720468e-03f;
    q = q * x2 - 1.42647390514189e-02f;
    return v * 0.5f * (1.0f + x * p / q);
}

void codebook_gelu_portable(float *x, size_t count) {
    for (size_t i = 0; i < count; i++) x[i] = gelu(x[i]);
}

__attribute__((target("avx512f"))) static void gelu_avx512(float *x, size_t count) {
    for (size_t i = 0; i < count; i++) x[i] = gelu(x[i]);
}

void codebook_gelu(float *x, size_t count) {
    if (codebook_avx512()) gelu_avx512(x, count); else codebook_gelu_portable(x, count);
}
