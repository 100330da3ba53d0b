import CKernels
import Foundation
import LinearAlgebra
import Testing
@testable import DetectorModels

/// The fast element-wise functions and passes against naive Double computations.
@Suite struct KernelTests {
    /// Softmax (C, `codebook_softmax`: Cephes' expf polynomial, ≲ 2 ulp), both the AVX-512 loop this
    /// CPU may run and the portable one, against Double, on rows of many lengths (the vector loops'
    /// tails) and scores spanning exp's range. Each weight is exp's error plus a few roundings of
    /// the sum and the division, 8 ulp (8 · 2⁻²³ ≈ 9.5e-7) relative, plus what rounding `s − max` to
    /// Float does to exp's input: |s − max| · 2⁻²⁴ (torch's float softmax rounds it the same way).
    @Test(arguments: [true, false])
    func softmaxIsAccurate(portable: Bool) {
        var generator = SplitMix64(seed: 11)
        var worst = 0.0
        for count in [1, 2, 15, 16, 17, 33, 66, 257] {
            let scores = (0..<count).map { _ in generator.signed() * 40 }
            var weights = scores
            weights.withUnsafeMutableBufferPointer {
                portable ? codebook_softmax_portable($0.baseAddress!, Int32(count)) : codebook_softmax($0.baseAddress!, Int32(count))
            }
            let top = scores.map(Double.init).max()!
            let exact = scores.map { Foundation.exp(Double($0) - top) }
            let total = exact.reduce(0, +)
            for (i, (w, e)) in zip(weights, exact).enumerated() where e / total > 1e-30 {
                let bound = 9.5e-7 + abs(Double(scores[i]) - top) * 0x1p-24
                worst = max(worst, abs(Double(w) - e / total) / (e / total) / bound)
            }
        }
        #expect(worst <= 1, "max error at \(worst) of the bound")
    }

    /// BERT's GELU (C, `codebook_gelu`: the Eigen/XLA rational erf, 4.5e-7 absolute at worst, times
    /// x/2), both the AVX-512 loop this CPU may run and the portable one, against `erf` in Double.
    /// Bound: x/2 · 4.5e-7 for erf, plus a Float rounding of the result (6e-8 · |x|) → 3.5e-7·max(1, |x|).
    @Test(arguments: [true, false])
    func geluIsAccurate(portable: Bool) {
        let inputs = (0...120_000).map { Float(-12 + 24 * Double($0) / 120_000) } + [0, -0.0, 1e-30, -1e-30]
        var values = inputs
        values.withUnsafeMutableBufferPointer { portable ? codebook_gelu_portable($0.baseAddress!, $0.count)
                                                         : codebook_gelu($0.baseAddress!, $0.count) }
        var worst = 0.0
        for (x, y) in zip(inputs, values) {
            let d = Double(x), exact = d * 0.5 * (1 + Foundation.erf(d / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - exact) / max(1, abs(d)))
        }
        #expect(worst <= 3.5e-7, "max error \(worst) (relative to max(1, |x|))")
        #expect(values[inputs.count - 4] == 0)
    }

    /// SwiGLU (C, `codebook_swiglu`), both loops, against `g / (1 + e⁻ᵍ) · u` in Double: exp's 2 ulp
    /// and four roundings → 1e-6 relative, plus 1e-30 absolute for silu's underflow at g ≪ 0.
    @Test(arguments: [true, false])
    func swiGLUIsAccurate(portable: Bool) {
        var generator = SplitMix64(seed: 12)
        let rows = 3, width = 37
        var gateUp = (0..<rows * 2 * width).map { _ in generator.signed() * 8 }
        gateUp[0] = -200; gateUp[1] = 200; gateUp[2] = 0  // exp clamped at both ends; no NaN, no inf
        var out = [Float](repeating: .nan, count: rows * width)
        gateUp.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer {
                portable ? codebook_swiglu_portable(g.baseAddress!, rows, width, $0.baseAddress!)
                         : codebook_swiglu(g.baseAddress!, rows, width, $0.baseAddress!)
            }
        }
        for r in 0..<rows {
            for c in 0..<width {
                let g = Double(gateUp[r * 2 * width + c]), u = Double(gateUp[r * 2 * width + width + c])
                let exact = g / (1 + Foundation.exp(-g)) * u
                #expect(abs(Double(out[r * width + c]) - exact) <= 1e-6 * abs(exact) + 1e-30, "row \(r) column \(c)")
            }
        }
    }

    /// Max subtraction: scores far beyond exp's range still give a distribution.
    @Test func softmaxDoesNotOverflow() {
        var scores: [Float] = [1000, 999, -1000, 1000]
        scores.withUnsafeMutableBufferPointer { codebook_softmax($0.baseAddress!, 4) }
        let e = Foundation.exp(-1.0), total = 2 + e
        let expected = [1 / total, e / total, 0, 1 / total]
        for (a, b) in zip(scores, expected) { #expect(abs(Double(a) - b) <= 1e-6) }
    }

    /// LayerNorm and RMSNorm over rows of a width that is not a multiple of the SIMD width.
    @Test func norms() {
        var generator = SplitMix64(seed: 3)
        let rows = 3, width = 37
        let x = (0..<rows * width).map { _ in generator.signed() * 4 + 1 }
        let weight = (0..<width).map { _ in generator.signed() + 1 }
        let shift = (0..<width).map { _ in generator.signed() }
        let bias = (0..<width).map { _ in generator.signed() }
        var layer = x, rms = [Float](repeating: 0, count: rows * width)
        layer.withUnsafeMutableBufferPointer { p in
            Pass.layerNorm(p.baseAddress!, rows: rows, width: width, adding: bias, weight: weight, shift: shift, epsilon: 1e-5)
        }
        x.withUnsafeBufferPointer { p in
            rms.withUnsafeMutableBufferPointer {
                Pass.rmsNorm(p.baseAddress!, rows: rows, width: width, weight: weight, epsilon: 1e-5, into: $0.baseAddress!)
            }
        }
        for r in 0..<rows {
            let row = (0..<width).map { Double(x[r * width + $0]) + Double(bias[$0]) }
            let mean = row.reduce(0, +) / Double(width)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            let plain = (0..<width).map { Double(x[r * width + $0]) }
            let meanSquare = plain.map { $0 * $0 }.reduce(0, +) / Double(width)
            for c in 0..<width {
                let expectedLayer = (row[c] - mean) / (variance + 1e-5).squareRoot() * Double(weight[c]) + Double(shift[c])
                let expectedRMS = Double(weight[c]) * plain[c] / (meanSquare + 1e-5).squareRoot()
                // Float rounding of O(1) values over a 37-term sum: a few 1e-7.
                #expect(abs(Double(layer[r * width + c]) - expectedLayer) <= 2e-6)
                #expect(abs(Double(rms[r * width + c]) - expectedRMS) <= 2e-6)
            }
        }
    }

    /// Grouped-query attention on a packed q|k|v buffer against a naive Double loop, causal or not.
    @Test(arguments: [(4, 2, true), (4, 4, false), (3, 1, true)])
    func attentionMatchesNaive(heads: Int, keyValueHeads: Int, causal: Bool) {
        let layout = AttentionLayout(heads: heads, keyValueHeads: keyValueHeads, headDimension: 6)
        var generator = SplitMix64(seed: UInt64(heads * 10 + keyValueHeads))
        // 300 tokens: products issued in row blocks (see AttentionLayout.rowsPerProduct).
        for length in [1, 2, 5, 19, 300] {
            let qkv = (0..<length * layout.stride).map { _ in generator.signed() * 2 }
            var out = [Float](repeating: .nan, count: length * layout.outputWidth)
            var scores = [Float](repeating: .nan, count: layout.scoresCapacity(length: length))
            qkv.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer { o in
                    scores.withUnsafeMutableBufferPointer { s in
                        layout.attend(q.baseAddress!, length: length, causal: causal, into: o.baseAddress!, scores: s.baseAddress!)
                    }
                }
            }
            let d = layout.headDimension
            for h in 0..<heads {
                let g = h / (heads / keyValueHeads)
                for i in 0..<length {
                    let visible = causal ? i + 1 : length
                    let logits = (0..<visible).map { j in
                        (0..<d).reduce(0.0) { sum, c in
                            sum + Double(qkv[i * layout.stride + h * d + c]) * Double(qkv[j * layout.stride + layout.keyOffset + g * d + c])
                        } / Double(d).squareRoot()
                    }
                    let top = logits.max()!
                    let weights = logits.map { Foundation.exp($0 - top) }
                    let total = weights.reduce(0, +)
                    for c in 0..<d {
                        let expected = (0..<visible).reduce(0.0) { sum, j in
                            sum + weights[j] / total * Double(qkv[j * layout.stride + layout.valueOffset + g * d + c])
                        }
                        // Inputs O(1), sums of ≤ 19 terms in Float: 1e-5 is ~100 ulp of headroom.
                        #expect(abs(Double(out[i * layout.outputWidth + h * d + c]) - expected) <= 1e-5,
                                "head \(h), query \(i), length \(length)")
                    }
                }
            }
        }
    }

    /// Stacking q, k, v (or gate, up) into one product gives each layer's own product; the three ways
    /// to start (zero, bias, accumulate) add what they say.
    @Test(arguments: MatrixKernel.isPackedAvailable ? [MatrixKernel.packed, .blas] : [.blas])
    func linearLayers(kernel: MatrixKernel) {
        var generator = SplitMix64(seed: 5)
        let parameters = [3, 5].map { out in
            DenseParameters(weight: (0..<out * 4).map { _ in generator.signed() }, bias: (0..<out).map { _ in generator.signed() },
                            inFeatures: 4, outFeatures: out)
        }
        let layers = parameters.map { Linear($0, kernel: kernel) }
        let stacked = Linear(DenseParameters(stacking: parameters), kernel: kernel)
        let x = (0..<2 * 4).map { _ in generator.signed() }
        func apply(_ layer: Linear, _ start: Linear.Start, initial: Float = .nan) -> [Float] {
            var y = [Float](repeating: initial, count: 2 * layer.outFeatures)
            x.withUnsafeBufferPointer { p in
                y.withUnsafeMutableBufferPointer { layer.multiply(p.baseAddress!, rows: 2, into: $0.baseAddress!, start: start) }
            }
            return y
        }
        let (a, b, both) = (apply(layers[0], .bias), apply(layers[1], .bias), apply(stacked, .bias))
        for r in 0..<2 {
            #expect(Array(both[(r * 8)..<(r * 8 + 3)]) == Array(a[(r * 3)..<(r * 3 + 3)]))
            #expect(Array(both[(r * 8 + 3)..<(r * 8 + 8)]) == Array(b[(r * 5)..<(r * 5 + 5)]))
        }
        let plain = apply(layers[0], .zero), accumulated = apply(layers[0], .accumulate, initial: 10)
        for r in 0..<2 {
            for o in 0..<3 {
                let dot = (0..<4).reduce(0.0) { $0 + Double(x[r * 4 + $1]) * Double(parameters[0].weight[o * 4 + $1]) }
                // Sums of 4 products of values in [-1, 1]: Float rounding ≤ a few 1e-7.
                #expect(abs(Double(plain[r * 3 + o]) - dot) <= 1e-6)
                #expect(abs(Double(a[r * 3 + o]) - dot - Double(layers[0].bias![o])) <= 1e-6)
                #expect(abs(Double(accumulated[r * 3 + o]) - dot - 10) <= 1e-5)
            }
        }
    }

    /// The packed kernel's blocking (slices of k, blocks of rows: chosen from the CPU's caches) changes
    /// its speed only: every output is the same chain of FMAs whatever the blocking, so the products
    /// are bit for bit those of k in one slice. Shapes with k past several slices, partial slices,
    /// rows past several blocks, partial tiles and panels; both betas.
    @Test(.enabled(if: MatrixKernel.isPackedAvailable))
    func packedBlockingChangesNoBit() {
        var generator = SplitMix64(seed: 11)
        for (m, n, k) in [(13, 70, 100), (66, 130, 384), (97, 70, 700), (200, 64, 33)] {
            let x = (0..<m * k).map { _ in generator.signed() }, w = (0..<n * k).map { _ in generator.signed() }
            let start = (0..<m * n).map { _ in generator.signed() }
            let packed = UnsafeMutablePointer<Float>.allocate(capacity: codebook_packed_count(Int32(n), Int32(k)) + 16)
            defer { packed.deallocate() }
            // 64-byte aligned, as the kernel's aligned loads need.
            let aligned = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: packed) + 63) & ~63)!
            w.withUnsafeBufferPointer { codebook_pack_weights($0.baseAddress!, Int32(n), Int32(k), aligned) }
            for beta: Float in [0, 1] {
                func product(_ blocking: codebook_blocking) -> [Float] {
                    var y = start
                    x.withUnsafeBufferPointer { x in
                        y.withUnsafeMutableBufferPointer { y in
                            codebook_packed_sgemm_blocked(Int32(m), Int32(n), Int32(k), x.baseAddress!, Int32(k), aligned, beta,
                                                          y.baseAddress!, Int32(n), 0, Int32((n + 63) / 64), blocking)
                        }
                    }
                    return y
                }
                let whole = product(codebook_blocking(l1_kib: 0, l2_kib: 0, kc: 0, mc_bytes: 1 << 40))
                for blocking in [codebook_packed_blocking(), codebook_blocking_for(32 << 10, 1 << 20), codebook_blocking_for(48 << 10, 2 << 20),
                                 codebook_blocking(l1_kib: 0, l2_kib: 0, kc: 16, mc_bytes: 1)] {
                    #expect(product(blocking).map(\.bitPattern) == whole.map(\.bitPattern),
                            "[\(m), \(n), \(k)] beta \(beta), kc \(blocking.kc), \(blocking.mc_bytes) bytes of x per block")
                }
            }
        }
    }
}
