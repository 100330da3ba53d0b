import CKernels
import Dispatch
import LinearAlgebra

// The numerical building blocks of both architectures, on packed batches: the rows of all prompts of
// a batch one after another, `[tokens, features]`, row-major. The dense layers' products go to
// `DenseWeights` (the packed AVX-512 kernel, or BLAS), attention's small products to BLAS. The
// element-wise functions (GELU, SwiGLU, softmax) are C (`CKernels`), which runs them 16 wide with
// FMA on AVX-512 CPUs; Swift compiles for baseline x86-64. The norms stay here: their row
// reductions use explicit SIMD accumulators, because Swift does not reassociate floating-point
// sums by itself. Everything accumulates in Float, as transformers' float32 forward does.
//
// Threads: the dense layers' products are split over `BLAS.threadCount` threads (by column panels,
// or by BLAS itself); the element-wise passes between them over as many threads here (`Parallel`),
// so no core idles through them; attention shares the prompts out over the same number of threads,
// each calling BLAS for small products that OpenBLAS computes on the calling thread (OpenBLAS takes
// concurrent callers since 0.3.7; the test suite, which runs tests in parallel, exercises it).

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

/// A dense layer's parameters as the checkpoint stores them: `weight [outFeatures, inFeatures]`, `bias [outFeatures]`.
struct DenseParameters {
    let weight: [Float]
    let bias: [Float]?
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
    init(stacking layers: [DenseParameters]) {
        let inFeatures = layers[0].inFeatures
        precondition(layers.allSatisfy { $0.inFeatures == inFeatures })
        let hasBias = layers[0].bias != nil
        precondition(layers.allSatisfy { ($0.bias != nil) == hasBias })
        self.init(weight: layers.flatMap(\.weight),
                  bias: hasBias ? layers.flatMap { $0.bias ?? [] } : nil,
                  inFeatures: inFeatures, outFeatures: layers.reduce(0) { $0 + $1.outFeatures })
    }
}

/// A dense layer `y = x·Wᵀ + b`, its weight ready for the matrix kernel (`DenseWeights`).
struct Linear: Sendable {
    let weights: DenseWeights
    let bias: [Float]?  // [outFeatures]
    var inFeatures: Int { weights.inFeatures }
    var outFeatures: Int { weights.outFeatures }

    init(_ parameters: DenseParameters, kernel: MatrixKernel) {
        weights = DenseWeights(parameters.weight, outFeatures: parameters.outFeatures,
                               inFeatures: parameters.inFeatures, kernel: kernel)
        bias = parameters.bias
    }

    /// What `y` holds before the product is added to it.
    enum Start {
        /// Nothing: `y = x·Wᵀ`.
        case zero
        /// The bias in every row: `y = x·Wᵀ + b` (written first, then the product accumulates onto
        /// it, which also spares the kernel its own pass zeroing `y`).
        case bias
        /// `y`'s current values: `y += x·Wᵀ`, a residual connection for free.
        case accumulate
    }

    /// `y[rows, out] = start + x[rows, in]·Wᵀ`. The packed kernel's column panels are shared out
    /// over the workers when there is enough work (BLAS threads by itself).
    func multiply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, start: Start) {
        if start == .bias, let bias {
            bias.withUnsafeBufferPointer { b in
                Parallel.rows(rows, width: outFeatures) { range in
                    for r in range { (y + r * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
                }
            }
        }
        let accumulate = !(start == .zero || (start == .bias && bias == nil))
        // A block is 64 columns; give each worker at least ~1M multiply-adds, about what a thread
        // wake-up is worth.
        let perBlock = Swift.max(rows * inFeatures * 64, 1)
        Parallel.chunks(weights.columnBlocks, minimumPerChunk: Swift.max(1, 1_000_000 / perBlock)) { blocks in
            weights.multiply(x, rows: rows, into: y, accumulate: accumulate, blocks: blocks)
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
}

// MARK: - Passes over packed batches

enum Pass {
    /// `x = gelu(x)` over `count` values: BERT's exact, erf-based GELU (not the tanh approximation),
    /// in C for AVX-512 (`codebook_gelu`).
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.chunks(count, minimumPerChunk: 16_384) { range in
            codebook_gelu(x + range.lowerBound, range.count)
        }
    }

    /// SwiGLU: `out[r, c] = silu(gateUp[r, c]) · gateUp[r, width + c]`; `gateUp` is `[rows, 2·width]`
    /// (gate and up projections side by side), `out` is `[rows, width]`. In C (`codebook_swiglu`).
    static func swiGLU(_ gateUp: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        Parallel.rows(rows, width: width) { range in
            codebook_swiglu(gateUp + range.lowerBound * 2 * width, range.count, width, out + range.lowerBound * width)
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
                    codebook_softmax(row, Int32(visible))
                    for j in visible..<keys { row[j] = 0 }
                }
                BLAS.sgemm(.normal, .normal, m: rows, n: d, k: keys,
                           a: weights + first * length, lda: length, b: v, ldb: stride,
                           c: out + first * outputWidth + h * d, ldc: outputWidth)
            }
        }
    }
}
