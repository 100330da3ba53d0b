import CBLAS
import CKernels
import Foundation

/// Which routine computes `x · Wᵀ` for a dense layer.
public enum MatrixKernel: String, Sendable, CaseIterable {
    /// The AVX-512 micro-kernel of `CKernels`, on weights packed once when they load: for the
    /// few dozen rows of a detector's input it does not repack the weights on every call, as a
    /// general GEMM must (measured 1.5× OpenBLAS's sgemm on a 66-token MiniLM layer, one thread).
    case packed
    /// OpenBLAS's sgemm on the weights as stored: every x86-64 CPU, and the reference for the tests.
    case blas

    /// Whether this CPU (and OS) runs the `packed` kernel.
    public static let isPackedAvailable = codebook_packed_sgemm_available() != 0

    /// `packed` where the CPU runs it, else `blas`; `CODEBOOK_MATRIX_KERNEL=blas` forces BLAS (to
    /// compare the two, or to rule the kernel out), `=packed` asks for the kernel (still BLAS on a
    /// CPU without AVX-512F).
    ///
    /// A rule, not a race timed at load: the two kernels round differently in the last bits, and a
    /// timed choice could flip between runs on a busy machine, so a resumed or sharded extract would
    /// mix them and no longer give the same bytes as one uninterrupted run. `make bench` times both
    /// on the model's layer shapes on the CPU it runs on and says whether the rule picked the faster
    /// (README, "Speed").
    public static let preferred: MatrixKernel = {
        let asked = ProcessInfo.processInfo.environment["CODEBOOK_MATRIX_KERNEL"].flatMap(MatrixKernel.init(rawValue:))
        return asked == .blas || !isPackedAvailable ? .blas : .packed
    }()

    /// Why `preferred` is what it is, in words (for the benchmarks' output).
    public static var preferredReason: String {
        let asked = ProcessInfo.processInfo.environment["CODEBOOK_MATRIX_KERNEL"] ?? ""
        if !isPackedAvailable { return "no AVX-512F here" + (asked.isEmpty ? "" : ", CODEBOOK_MATRIX_KERNEL=\(asked) ignored") }
        if MatrixKernel(rawValue: asked) != nil { return "CODEBOOK_MATRIX_KERNEL=\(asked)" }
        return "AVX-512F here, CODEBOOK_MATRIX_KERNEL unset"
    }

    /// How the packed kernel cuts its work on this CPU (from its cache sizes, read once).
    public static var packedBlocking: (l1KiB: Int, l2KiB: Int, kSlice: Int, xBlockBytes: Int) {
        let b = codebook_packed_blocking()
        return (Int(b.l1_kib), Int(b.l2_kib), Int(b.kc), Int(b.mc_bytes))
    }
}

/// A dense layer's weight, `[outFeatures, inFeatures]` row-major as PyTorch stores it, ready for
/// `y = β·y + x · Wᵀ` on row-major `x [rows, inFeatures]` and `y [rows, outFeatures]`.
///
/// With the `packed` kernel only the packed copy is kept (the weights' memory is not doubled).
/// The product is split into `columnBlocks` independent blocks of `y`'s columns, so callers can
/// share one product over threads; BLAS threads by itself and is one block.
public struct DenseWeights: Sendable {
    public let outFeatures: Int
    public let inFeatures: Int
    public let kernel: MatrixKernel
    private let storage: Storage

    private enum Storage: Sendable {
        case packed(AlignedFloats)
        case plain([Float])
    }

    public init(_ weight: [Float], outFeatures: Int, inFeatures: Int, kernel: MatrixKernel = .preferred) {
        precondition(weight.count == outFeatures * inFeatures, "DenseWeights: \(weight.count) values for [\(outFeatures), \(inFeatures)]")
        precondition(kernel == .blas || MatrixKernel.isPackedAvailable, "DenseWeights: the packed kernel needs AVX-512F")
        precondition(outFeatures <= Int(Int32.max) && inFeatures <= Int(Int32.max))
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.kernel = kernel
        switch kernel {
        case .blas:
            storage = .plain(weight)
        case .packed:
            let packed = AlignedFloats(count: codebook_packed_count(Int32(outFeatures), Int32(inFeatures)))
            weight.withUnsafeBufferPointer { w in
                codebook_pack_weights(w.baseAddress!, Int32(outFeatures), Int32(inFeatures), packed.pointer)
            }
            storage = .packed(packed)
        }
    }

    /// Independent blocks of `y`'s columns: 64-column panels for `packed`, 1 for `blas`.
    public var columnBlocks: Int {
        switch storage {
        case .packed: (outFeatures + Int(CODEBOOK_PANEL_WIDTH) - 1) / Int(CODEBOOK_PANEL_WIDTH)
        case .plain: 1
        }
    }

    /// `y[rows, outFeatures] = β·y + x[rows, inFeatures] · Wᵀ` over the column blocks `blocks`
    /// (all of them by default), `β` being 0 (`y` is written, never read) or 1 (`y += x · Wᵀ`).
    /// Row strides: `inFeatures` for `x`, `outFeatures` for `y`.
    public func multiply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                         accumulate: Bool, blocks: Range<Int>? = nil) {
        let blocks = blocks ?? 0..<columnBlocks
        guard rows > 0, outFeatures > 0, !blocks.isEmpty else { return }
        precondition(rows <= Int(Int32.max) && blocks.lowerBound >= 0 && blocks.upperBound <= columnBlocks)
        let beta: Float = accumulate ? 1 : 0
        switch storage {
        case .packed(let packed):
            codebook_packed_sgemm(Int32(rows), Int32(outFeatures), Int32(inFeatures), x, Int32(inFeatures),
                                  packed.pointer, beta, y, Int32(outFeatures),
                                  Int32(blocks.lowerBound), Int32(blocks.count))
        case .plain(let weight):
            weight.withUnsafeBufferPointer { w in
                BLAS.sgemm(.normal, .transposed, m: rows, n: outFeatures, k: inFeatures,
                           a: x, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                           beta: beta, c: y, ldc: outFeatures)
            }
        }
    }
}

/// Floats on a 64-byte boundary (one cache line, one AVX-512 vector), never mutated after they are
/// filled: the packed panels, which the kernel reads with aligned loads.
final class AlignedFloats: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    deinit { pointer.deallocate() }
}
