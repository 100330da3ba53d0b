import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// The dense-layer product `y = β·y + x·Wᵀ` of both kernels against the product computed in Double.
/// Shapes cover the packed kernel's edges: row counts around its 6-row tiles and 96-row blocks,
/// column counts around its 64-column panels (partial panels are masked), odd inner sizes.
struct DenseWeightsTests {
    /// The kernels this CPU runs (the packed one needs AVX-512F; BLAS runs everywhere).
    static let kernels: [MatrixKernel] = MatrixKernel.isPackedAvailable ? [.packed, .blas] : [.blas]

    static let shapes: [(rows: Int, out: Int, in: Int)] = [
        (1, 1, 1), (1, 64, 3), (2, 17, 5), (5, 63, 64), (6, 64, 33), (7, 65, 16), (13, 130, 7),
        (66, 384, 384), (97, 200, 31), (200, 129, 70),
    ]

    struct Case {
        let x: [Float], w: [Float], start: [Float]
        let rows: Int, out: Int, inFeatures: Int

        init(rows: Int, out: Int, in inFeatures: Int, seed: UInt64) {
            var generator = SeededGenerator(seed: seed)
            func values(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &generator) } }
            (self.rows, self.out, self.inFeatures) = (rows, out, inFeatures)
            (x, w, start) = (values(rows * inFeatures), values(out * inFeatures), values(rows * out))
        }

        /// `Σ x·w` in Double, and `Σ |x·w|`, the scale of a float sum's rounding error.
        func exact(_ r: Int, _ o: Int) -> (value: Double, magnitude: Double) {
            var value = 0.0, magnitude = 0.0
            for i in 0..<inFeatures {
                let term = Double(x[r * inFeatures + i]) * Double(w[o * inFeatures + i])
                value += term
                magnitude += abs(term)
            }
            return (value, magnitude)
        }
    }

    /// A Float sum of `k` products is within `k·u·Σ|terms|` of the exact sum (u = 2⁻²⁴, the classic
    /// bound); one more `u` for adding `y`'s start value when accumulating.
    static func tolerance(k: Int, magnitude: Double, start: Double) -> Double {
        Double(k + 1) * 0x1p-24 * (magnitude + abs(start)) + 1e-30
    }

    @Test(arguments: kernels)
    func productsMatchDouble(kernel: MatrixKernel) {
        for (index, shape) in Self.shapes.enumerated() {
            let c = Case(rows: shape.rows, out: shape.out, in: shape.in, seed: UInt64(index))
            let weights = DenseWeights(c.w, outFeatures: c.out, inFeatures: c.inFeatures, kernel: kernel)
            for accumulate in [false, true] {
                // Not accumulating, y's old values must not be read: NaN there would show.
                var y = accumulate ? c.start : [Float](repeating: .nan, count: c.rows * c.out)
                c.x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { weights.multiply(x.baseAddress!, rows: c.rows, into: $0.baseAddress!, accumulate: accumulate) }
                }
                var worst = 0.0
                for r in 0..<c.rows {
                    for o in 0..<c.out {
                        let (value, magnitude) = c.exact(r, o)
                        let start = accumulate ? Double(c.start[r * c.out + o]) : 0
                        let error = abs(Double(y[r * c.out + o]) - (start + value))
                        worst = max(worst, error / Self.tolerance(k: c.inFeatures, magnitude: magnitude, start: start))
                    }
                }
                #expect(worst <= 1, "\(kernel) \(shape) accumulate \(accumulate): error at \(worst) of the bound")
            }
        }
    }

    /// Threads split a product by column blocks: each call writes its blocks' columns and no other.
    @Test(arguments: kernels)
    func columnBlocksWriteOnlyTheirColumns(kernel: MatrixKernel) {
        let c = Case(rows: 9, out: 150, in: 12, seed: 42)
        let weights = DenseWeights(c.w, outFeatures: c.out, inFeatures: c.inFeatures, kernel: kernel)
        var whole = [Float](repeating: 0, count: c.rows * c.out)
        c.x.withUnsafeBufferPointer { x in
            whole.withUnsafeMutableBufferPointer { weights.multiply(x.baseAddress!, rows: c.rows, into: $0.baseAddress!, accumulate: false) }
        }
        let blocks = weights.columnBlocks
        #expect(blocks == (kernel == .packed ? 3 : 1))  // 150 columns: panels of 64, 64, 22
        var pieced = [Float](repeating: .nan, count: c.rows * c.out)
        for block in 0..<blocks {
            c.x.withUnsafeBufferPointer { x in
                pieced.withUnsafeMutableBufferPointer {
                    weights.multiply(x.baseAddress!, rows: c.rows, into: $0.baseAddress!, accumulate: false, blocks: block..<(block + 1))
                }
            }
            let written = block == blocks - 1 ? c.out : (block + 1) * 64
            for r in 0..<c.rows {
                #expect(pieced[(r * c.out)..<(r * c.out + written)] == whole[(r * c.out)..<(r * c.out + written)])
                #expect(pieced[(r * c.out + written)..<((r + 1) * c.out)].allSatisfy { $0.isNaN }, "block \(block) wrote past its columns")
            }
        }
    }

    /// The environment's choice: `packed` only where the CPU runs it.
    @Test func preferredKernelRunsHere() {
        #expect(MatrixKernel.preferred == .blas || MatrixKernel.isPackedAvailable)
    }
}
