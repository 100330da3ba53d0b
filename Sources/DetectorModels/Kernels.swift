import Dispatch
import LinearAlgebra

// The numerical building blocks of both architectures, on packed batches: the rows of all prompts of
// a batch one after another, `[tokens, features]`, row-major. Matrix products go to BLAS; the
// element-wise passes are branch-free loops the compiler vectorizes, and the row reductions
// (sums for the norms and the softmax) use explicit SIMD accumulators, because Swift does not
// reassociate floating-point sums by itself. Everything accumulates in Float, as transformers'
// float32 forward does.
//
// Threads: BLAS runs the dense layers' products on `BLAS.threadCount` threads; the element-wise
// passes between them are split over as many threads here (`Parallel`), so no core idles through
// them; attention shares the prompts out over the same number of threads, each calling BLAS for
// small products that OpenBLAS computes on the calling thread (OpenBLAS takes concurrent callers
// since 0.3.7; the test suite, which runs tests in parallel, exercises it).

/// Splitting work over threads: the element-wise passes by rows, attention by prompts.
enum Parallel {
    /// As many workers as BLAS uses: `OPENBLAS_NUM_THREADS=1` makes the whole forward pass serial
    /// (e.g. to run several extract shards side by side).
    static var workers: Int { Swift.max(1, BLAS.threadCount) }

    /// Calls `body` on contiguous chunks of `0..<count`, concurrently when there are at least
    /// `minimumPerChunk` items per worker (below that, waking threads costs more than it saves).
    static func chunks(_ count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void) {
        let parts = Swift.min(workers, count / Swift.max(minimumPerChunk, 1))
        guard parts > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // `concurrentPerform` wants a @Sendable closure; `body` captures buffer pointers. Sound here:
        // the chunks are disjoint, and `concurrentPerform` returns only when every chunk is done,
        // so the buffers outlive every use.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// Rows of a `[rows, width]` pass, chunked so each worker gets about 16k values or more.
    static func rows(_ rows: Int, width: Int, _ body: (Range<Int>) -> Void) {
        chunks(rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(width, 1)), body)
    }
}

/// A dense layer `y = x·Wᵀ + b`, the weight as PyTorch stores it: `[out, in]`.
struct Linear: Sendable {
    let weight: [Float]  // [outFeatures, inFeatures]
    let bias: [Float]?   // [outFeatures]
    let inFeatures: Int
    let outFeatures: Int

    init(weight: [Float], bias: [Float]?, inFeatures: Int, outFeatures: Int) {
        precondition(weight.count == inFeatures * outFeatures && (bias?.count ?? outFeatures) == outFeatures)
        self.weight = weight
        self.bias = bias
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// Layers that read the same input, stacked into one (q, k, v → qkv; gate, up → gateUp): one
    /// matrix product streams the input once, and the outputs sit side by side in each row.
    init(stacking layers: [Linear]) {
        let inFeatures = layers[0].inFeatures
        precondition(layers.allSatisfy { $0.inFeatures == inFeatures })
        let hasBias = layers[0].bias != nil
        precondition(layers.allSatisfy { ($0.bias != nil) == hasBias })
        self.init(weight: layers.flatMap(\.weight),
                  bias: hasBias ? layers.flatMap { $0.bias ?? [] } : nil,
                  inFeatures: inFeatures, outFeatures: layers.reduce(0) { $0 + $1.outFeatures })
    }

    /// What `y` holds before the product is added to it.
    enum Start {
        /// Nothing: `y = x·Wᵀ`.
        case zero
        /// The bias in every row: `y = x·Wᵀ + b` (written first, then BLAS accumulates onto it,
        /// which also spares BLAS its own pass zeroing `y`).
        case bias
        /// `y`'s current values: `y += x·Wᵀ`, a residual connection for free.
        case accumulate
    }

    /// `y[rows, out] = start + x[rows, in]·Wᵀ`.
    func multiply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, start: Start) {
        if start == .bias, let bias {
            bias.withUnsafeBufferPointer { b in
                Parallel.rows(rows, width: outFeatures) { range in
                    for r in range { (y + r * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
                }
            }
        }
        let beta: Float = start == .zero || (start == .bias && bias == nil) ? 0 : 1
        weight.withUnsafeBufferPointer { w in
            BLAS.sgemm(.normal, .transposed, m: rows, n: outFeatures, k: inFeatures,
                       a: x, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                       beta: beta, c: y, ldc: outFeatures)
        }
    }
}

/// Row reductions with SIMD accumulators.
enum Reduce {
    typealias Lanes = SIMD16<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = Lanes(), i = 0
        while i + 16 <= count { lanes += load(p + i); i += 16 }
        var total = lanes.sum()
        while i < count { total += p[i]; i += 1 }
        return total
    }

    static func sumOfSquares(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = Lanes(), i = 0
        while i + 16 <= count { let v = load(p + i); lanes += v * v; i += 16 }
        var total = lanes.sum()
        while i < count { total += p[i] * p[i]; i += 1 }
        return total
    }

    /// `Σ (p[i] − mean)²`: the two-pass variance, exact enough for LayerNorm in Float.
    static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
        var lanes = Lanes(), i = 0
        let m = Lanes(repeating: mean)
        while i + 16 <= count { let v = load(p + i) - m; lanes += v * v; i += 16 }
        var total = lanes.sum()
        while i < count { let v = p[i] - mean; total += v * v; i += 1 }
        return total
    }

    /// The largest of `count` values. Four scalar running maxima: the generic `pointwiseMax` on SIMD
    /// vectors is not lowered to vector instructions and was the softmax's bottleneck.
    static func maximum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, i = 0
        while i + 4 <= count {
            m0 = p[i] > m0 ? p[i] : m0
            m1 = p[i + 1] > m1 ? p[i + 1] : m1
            m2 = p[i + 2] > m2 ? p[i + 2] : m2
            m3 = p[i + 3] > m3 ? p[i + 3] : m3
            i += 4
        }
        while i < count { m0 = p[i] > m0 ? p[i] : m0; i += 1 }
        return Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
    }
}

// MARK: - Element-wise functions

/// `eˣ` in Float, branch-free so that loops over it vectorize.
///
/// Cephes' `expf`: `x = n·ln 2 + r` with `n` rounded to nearest (added to 1.5·2²³ so the integer lands
/// in the low mantissa bits), `ln 2` split in two (Cody–Waite) so `r` is exact, `eʳ` by a degree-6
/// polynomial on `[−ln2/2, ln2/2]`, `2ⁿ` built from its bit pattern. Relative error ≲ 2 ulp (tested
/// against `Foundation.exp` in Double). Inputs are clamped to `[−87.3, 88]`, where `2ⁿ` stays a
/// normal Float; below that the true value underflows anyway.
@inline(__always)
func exponential(_ x: Float) -> Float {
    let x = Swift.min(Swift.max(x, -87.33654), 88)
    let shifter: Float = 12_582_912  // 1.5 · 2²³
    let t = x * 1.442_695_04 + shifter
    let n = t - shifter
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let y = p * (r * r) + r + 1
    let exponent = Int32(bitPattern: t.bitPattern &- shifter.bitPattern) &+ 127
    return y * Float(bitPattern: UInt32(bitPattern: exponent << 23))
}

/// The error function in Float, branch-free: `x·P(x²)/Q(x²)` on `[−4, 4]` (beyond, erf is ±1 in
/// Float), the rational approximation Eigen and XLA use for float32. Max absolute error 4.5e-7
/// (checked against SciPy in float32 arithmetic, and against `Foundation.erf` in the tests),
/// far below the ~1e-4 relative agreement the model tests ask of the whole forward.
@inline(__always)
func errorFunction(_ x: Float) -> Float {
    let x = Swift.min(Swift.max(x, -4), 4)
    let x2 = x * x
    var p: Float = -2.726_142_258_013_06e-10
    p = p * x2 + 2.770_681_424_959_02e-08
    p = p * x2 - 2.101_024_020_825_08e-06
    p = p * x2 - 5.692_506_394_623_46e-05
    p = p * x2 - 7.349_906_303_268_55e-04
    p = p * x2 - 2.954_599_808_540_25e-03
    p = p * x2 - 1.609_603_332_624_15e-02
    var q: Float = -1.456_607_184_649_96e-05
    q = q * x2 - 2.133_740_552_789_05e-04
    q = q * x2 - 1.682_826_974_382_03e-03
    q = q * x2 - 7.373_329_167_204_68e-03
    q = q * x2 - 1.426_473_905_141_89e-02
    return x * p / q
}

/// BERT's `gelu`: the exact, erf-based GELU `x·½·(1 + erf(x/√2))` (not the tanh approximation).
@inline(__always)
func gelu(_ x: Float) -> Float {
    x * 0.5 * (1 + errorFunction(x * 0.707_106_781_186_547_6))
}

/// Llama's `silu`: `x·σ(x) = x / (1 + e⁻ˣ)`.
@inline(__always)
func silu(_ x: Float) -> Float {
    x / (1 + exponential(-x))
}

// MARK: - Passes over packed batches

enum Pass {
    /// `x = gelu(x)` over `count` values.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.chunks(count, minimumPerChunk: 16_384) { range in
            for i in range { x[i] = DetectorModels.gelu(x[i]) }
        }
    }

    /// SwiGLU: `out[r, c] = silu(gateUp[r, c]) · gateUp[r, width + c]`; `gateUp` is `[rows, 2·width]`
    /// (gate and up projections side by side), `out` is `[rows, width]`.
    static func swiGLU(_ gateUp: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        Parallel.rows(rows, width: width) { range in
            for r in range {
                let gate = gateUp + r * 2 * width, up = gate + width, row = out + r * width
                for c in 0..<width { row[c] = silu(gate[c]) * up[c] }
            }
        }
    }

    /// LayerNorm of every row, in place, after adding `bias` (the preceding dense layer's, folded in
    /// here): `y = (x − mean)/√(var + ε)·γ + β`, population variance, as `torch.nn.LayerNorm`.
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, adding bias: UnsafePointer<Float>?,
                          weight: UnsafePointer<Float>, shift: UnsafePointer<Float>, epsilon: Float) {
        let n = Float(width)
        Parallel.rows(rows, width: width) { range in
            for r in range {
                let row = x + r * width
                if let bias { for c in 0..<width { row[c] += bias[c] } }
                let mean = Reduce.sum(row, width) / n
                let variance = Reduce.sumOfSquaredDeviations(row, width, mean: mean) / n
                let inverse = 1 / (variance + epsilon).squareRoot()
                for c in 0..<width { row[c] = (row[c] - mean) * inverse * weight[c] + shift[c] }
            }
        }
    }

    /// Llama's RMSNorm, computed as transformers does: `weight · (x · rsqrt(mean(x²) + ε))`.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                        epsilon: Float, into out: UnsafeMutablePointer<Float>) {
        let n = Float(width)
        Parallel.rows(rows, width: width) { range in
            for r in range {
                let row = x + r * width, result = out + r * width
                let inverse = 1 / (Reduce.sumOfSquares(row, width) / n + epsilon).squareRoot()
                for c in 0..<width { result[c] = weight[c] * (row[c] * inverse) }
            }
        }
    }

    /// Softmax of `count` scores in place, max subtracted first so `exp` cannot overflow.
    static func softmax(_ p: UnsafeMutablePointer<Float>, count: Int) {
        let maximum = Reduce.maximum(p, count)
        for j in 0..<count { p[j] = exponential(p[j] - maximum) }
        let scale = 1 / Reduce.sum(p, count)
        for j in 0..<count { p[j] *= scale }
    }
}

// MARK: - Attention

/// Where one attention layer finds its queries, keys and values in the stacked projection output
/// (`[tokens, stride]`, the q, k and v blocks side by side), and how heads share keys.
struct AttentionLayout: Sendable {
    let heads: Int
    let keyValueHeads: Int
    let headDimension: Int
    /// Row width of the stacked q|k|v projection output.
    var stride: Int { (heads + 2 * keyValueHeads) * headDimension }
    var keyOffset: Int { heads * headDimension }
    var valueOffset: Int { (heads + keyValueHeads) * headDimension }
    /// Width of the attention output, `[tokens, heads · headDimension]`.
    var outputWidth: Int { heads * headDimension }
    /// `1/√headDimension`, applied to the scores as transformers does (`(q·kᵀ) · scaling`).
    var scale: Float { Float(1 / Double(headDimension).squareRoot()) }

    /// Attention of every prompt of a packed batch, each prompt seeing only itself; `qkv` is
    /// `[tokens, stride]`, `out` is `[tokens, outputWidth]`.
    ///
    /// Prompts are independent, so they are shared out over the workers (longest first, each to the
    /// least loaded worker, the load of a prompt being its length²), and each worker runs its prompts
    /// one by one with its own scratch. The products are small; each is issued in row blocks that
    /// OpenBLAS runs on the calling thread (`rowsPerProduct`), so the workers never hand work to
    /// BLAS's thread pool: for products this size the pool costs more than it saves (measured: a
    /// 100-token prompt's attention took twice as long with it).
    func attend(_ qkv: UnsafePointer<Float>, batch: PackedBatch, causal: Bool, into out: UnsafeMutablePointer<Float>) {
        let workers = Swift.max(1, Swift.min(Parallel.workers, batch.count))
        var assignments = [[Int]](repeating: [], count: workers), loads = [Int](repeating: 0, count: workers)
        for prompt in (0..<batch.count).sorted(by: { batch.rows($0).count > batch.rows($1).count }) {
            let worker = loads.indices.min { loads[$0] < loads[$1] } ?? 0
            assignments[worker].append(prompt)
            loads[worker] += batch.rows(prompt).count * batch.rows(prompt).count
        }
        Parallel.chunks(workers, minimumPerChunk: 1) { range in
            for worker in range {
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: scoresCapacity(length: batch.longest))
                defer { scores.deallocate() }  // [heads, length, length]
                for prompt in assignments[worker] {
                    let rows = batch.rows(prompt)
                    attend(qkv + rows.lowerBound * stride, length: rows.count, causal: causal,
                           into: out + rows.lowerBound * outputWidth, scores: scores)
                }
            }
        }
    }

    /// Scratch the one-prompt `attend` needs for prompts of up to `length` tokens: `[heads, length, length]`.
    func scoresCapacity(length: Int) -> Int { heads * length * length }

    /// OpenBLAS (0.3.x) computes a product on the calling thread when `m·n·k ≤ 65536 · 4`
    /// (`GEMM_MULTITHREAD_THRESHOLD`); above, it wakes its thread pool.
    private static let singleThreadedProduct = 65_536 * 4

    /// Rows per call for a product of `[rows, k]·[k, n]` to stay on the calling thread.
    private func rowsPerProduct(n: Int, k: Int) -> Int {
        Swift.max(1, Self.singleThreadedProduct / Swift.max(n * k, 1))
    }

    /// Scaled dot-product attention of ONE prompt, all heads:
    /// `out[t, h] = softmax(q_h·k_gᵀ · scale, masked) · v_g` with `g = h / (heads / keyValueHeads)`,
    /// the pairing of transformers' `repeat_kv` (grouped-query attention). `causal` masks key `j > i`
    /// for query `i` (and a block of queries then only multiplies the keys it can see).
    /// `scores` is `[heads, length, length]` scratch.
    func attend(_ qkv: UnsafePointer<Float>, length: Int, causal: Bool,
                into out: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>) {
        let group = heads / keyValueHeads, d = headDimension, block = rowsPerProduct(n: length, k: Swift.max(length, d))
        for h in 0..<heads {
            let q = qkv + h * d, k = qkv + keyOffset + (h / group) * d, v = qkv + valueOffset + (h / group) * d
            let weights = scores + h * length * length  // [length, length]
            for first in Swift.stride(from: 0, to: length, by: block) {
                let rows = Swift.min(block, length - first), keys = causal ? first + rows : length
                BLAS.sgemm(.normal, .transposed, m: rows, n: keys, k: d, alpha: scale,
                           a: q + first * stride, lda: stride, b: k, ldb: stride,
                           c: weights + first * length, ldc: length)
                for i in first..<(first + rows) {
                    let row = weights + i * length
                    let visible = causal ? i + 1 : length
                    Pass.softmax(row, count: visible)
                    for j in visible..<keys { row[j] = 0 }
                }
                BLAS.sgemm(.normal, .normal, m: rows, n: d, k: keys,
                           a: weights + first * length, lda: length, b: v, ldb: stride,
                           c: out + first * outputWidth + h * d, ldc: outputWidth)
            }
        }
    }
}
