import CKernels
import CodebookRuntime
import CommandLineSupport
import Compilation
import Foundation
import LinearAlgebra

// The kernels the commands use (see OpenBLASKernels): chosen before OpenBLAS reads its environment.
OpenBLASKernels.selectBeforeLoading()

// `make bench`, the compile part: the probe's Newton step, most of compile's time, at the probe's sizes
// (the contrast's train prompts and the background, by the hidden size + 1), one thread:
//  1. the Hessian `Xᵀ·W·X` (`Reproducible.gram`);
//  2. the step's solve (`Reproducible.solvePositiveDefinite`, Cholesky).
// Each against baselines in the same run: the straightforward loops in the same order of roundings
// (`TextbookOrder`, what compile ran before the kernels were blocked and vectorized; they must give the
// same bits), and OpenBLAS's `dgemm` or LAPACK's `dposv` (their bits depend on the CPU's kernel, which
// is why compile does not use them; `dgemm` forms both triangles).
//  3. the dual solver's kernels at a fold's order (1,930): the Cholesky factor of its `N × N` system
//     (blocked by panels) against the textbook loop and LAPACK's `dposv`, and its kernel product `K·z`
//     (`multiplyTransposed`, lanes along rows) against `multiply` (a chain per row), and the paired
//     `K·z, K·w` in one pass against two, same bits;
//  4. a probe on every layer of MiniLM at once (7 × 384 standardized features, more than the ~1,930
//     rows of a cross-validation fold): one fit by the dual solver against one by the primal, which
//     must reach the same optimum; then the C grid of cross-validation on that fold, as one
//     warm-started path (`fitPath`) against a cold fit per C.
// Usage: CompileBench

/// The best of `repeats` timings of `body`, in seconds.
func fastest(_ repeats: Int, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// Times compile's routine (`ours`, `repeats` times), the straightforward loops in the same order of
/// roundings (`textbook`, which must give the same bits; slow, so fewer repeats) and the library's
/// routine (`library`), prints one line and returns whether the bits agree. `digits`: the decimals of
/// the printed milliseconds.
func againstBaselines(_ title: String, ours oursName: String, library libraryName: String, repeats: (ours: Int, textbook: Int),
                      digits: Int, ours: () -> [Double], textbook: () -> [Double], library: () -> Void) -> Bool {
    var mine: [Double] = [], reference: [Double] = []
    let tOurs = fastest(repeats.ours) { mine = ours() }
    let tTextbook = fastest(repeats.textbook) { reference = textbook() }
    let tLibrary = fastest(repeats.ours, library)
    let same = mine.map(\.bitPattern) == reference.map(\.bitPattern)
    let ms = { (t: Double) in String(format: "%.\(digits)f ms", t * 1e3) }
    print("\(title): \(oursName) \(ms(tOurs)); straightforward loop \(ms(tTextbook)) (\(String(format: "%.1f", tTextbook / tOurs))× slower, "
          + "\(same ? "same bits" : "DIFFERENT BITS")); \(libraryName) \(ms(tLibrary)) (\(String(format: "%.2f", tLibrary / tOurs))× ours)")
    return same
}

BLAS.threadCount = 1
print("compile's kernels: \(codebook_packed_sgemm_available() != 0 ? "AVX-512" : "portable (SSE2; CODEBOOK_NO_AVX512 or no AVX-512F)"); OpenBLAS \(BLAS.coreName), 1 thread")
var generator = SystemRandomNumberGenerator()
var failed = false
// MiniLM (384 + 1) and SmolLM2 (576 + 1) features; 1,600 contrast prompts and 812 background ones.
for (rows, columns) in [(2412, 385), (2412, 577)] {
    let a = Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &generator) })
    let gram = Reproducible.gram(a)
    failed = !againstBaselines("compile Hessian [\(rows), \(columns)]", ours: "gram", library: "OpenBLAS dgemm", repeats: (5, 3), digits: 1,
                               ours: { Reproducible.gram(a).elements }, textbook: { TextbookOrder.gram(a).elements },
                               library: { _ = BLAS.multiply(a, .transposed, a, .normal) }) || failed

    // The Newton system: the Hessian plus the penalty on its diagonal, as LogisticRegression forms it.
    var hessian = gram
    for j in 0..<columns { hessian[j, j] += 1 }
    let gradient = (0..<columns).map { _ in Double.random(in: -1...1, using: &generator) }
    failed = !againstBaselines("compile Newton solve [\(columns)]", ours: "Cholesky", library: "LAPACK dposv", repeats: (5, 3), digits: 2,
                               ours: { try! Reproducible.solvePositiveDefinite(hessian, gradient) },
                               textbook: { try! TextbookOrder.solvePositiveDefinite(hessian, gradient) },
                               library: { _ = try! PositiveDefiniteSystem.solve(hessian, gradient) }) || failed
}

// The dual step's system at a fold's order: `I + C·Q·K·Q` of a Gram matrix `K` of random rows (here of
// 64 columns, which is enough to make it a dense positive definite matrix), C 0.1, Q = ½.
do {
    let order = 1930
    let rows = Matrix(rows: order, columns: 64, elements: (0..<(order * 64)).map { _ in Double.random(in: -1...1, using: &generator) })
    var transposed = Matrix<Double>(zeros: 64, order)
    for r in 0..<order { for j in 0..<64 { transposed[j, r] = rows[r, j] } }
    let kernel = Reproducible.gram(transposed)
    var system = kernel
    for i in 0..<order {
        for j in 0..<order { system[i, j] = 0.1 * 0.25 * kernel[i, j] }
        system[i, i] += 1
    }
    let z = (0..<order).map { _ in Double.random(in: -1...1, using: &generator) }
    failed = !againstBaselines("dual Newton solve [\(order)]", ours: "Cholesky", library: "LAPACK dposv", repeats: (3, 1), digits: 1,
                               ours: { try! Reproducible.solvePositiveDefinite(system, z) },
                               textbook: { try! TextbookOrder.solvePositiveDefinite(system, z) },
                               library: { _ = try! PositiveDefiniteSystem.solve(system, z) }) || failed
    var lanes: [Double] = [], chains: [Double] = []
    let tLanes = fastest(5) { lanes = Reproducible.multiplyTransposed(kernel, z) }
    let tChains = fastest(5) { chains = Reproducible.multiply(kernel, z) }
    let sameProduct = lanes.map(\.bitPattern) == chains.map(\.bitPattern)
    failed = failed || !sameProduct
    print(String(format: "dual kernel product [%d, %d]: lanes along rows %.2f ms; a chain per row %.2f ms (%.1f× slower, %@)",
                 order, order, tLanes * 1e3, tChains * 1e3, tChains / tLanes, sameProduct ? "same bits" : "DIFFERENT BITS"))
    // The Newton step's two products with `K` in one pass (`multiplyTransposed(a, x, w)`), against two passes.
    let w = (0..<order).map { _ in Double.random(in: -1...1, using: &generator) }
    var pair: ([Double], [Double]) = ([], []), twice: ([Double], [Double]) = ([], [])
    let tPair = fastest(5) { pair = Reproducible.multiplyTransposed(kernel, z, w) }
    let tTwice = fastest(5) { twice = (Reproducible.multiplyTransposed(kernel, z), Reproducible.multiplyTransposed(kernel, w)) }
    let samePair = (pair.0 + pair.1).map(\.bitPattern) == (twice.0 + twice.1).map(\.bitPattern)
    failed = failed || !samePair
    print(String(format: "dual kernel products K·z and K·w: one pass %.2f ms; two passes %.2f ms (%.2f× the pair's time, %@)",
                 tPair * 1e3, tTwice * 1e3, tTwice / tPair, samePair ? "same bits" : "DIFFERENT BITS"))
}

// A probe on several layers: rows of a fold (4/5 of 2,412), 7 layers × 384 features, C = 0.1 (the C
// cross-validation chose most often in docs/multilayer-study.md). Uniform noise with a planted
// direction, so the classes overlap a little and Newton takes as many steps as on real states.
do {
    let rows = 1930, columns = 7 * 384, c = 0.1
    let labels = (0..<rows).map { $0 % 3 == 0 }
    let planted = (0..<columns).map { _ in Double.random(in: -1...1, using: &generator) }
    let x = Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { i in
        Double.random(in: -1...1, using: &generator) + (labels[i / columns] ? 0.04 * planted[i % columns] : 0)
    })
    var dual = LogisticModel(weights: [], bias: 0), primal = dual
    let tDual = fastest(1) { dual = try! LogisticRegression.fit(features: x, labels: labels, c: c, solver: .dual) }
    let tPrimal = fastest(1) { primal = try! LogisticRegression.fit(features: x, labels: labels, c: c, solver: .primal) }
    let largest = primal.weights.map(abs).max()!
    let difference = zip(primal.weights + [primal.bias], dual.weights + [dual.bias]).map { abs($0 - $1) }.max()!
    let agree = difference <= 1e-8 * max(1, largest)
    failed = failed || !agree
    print(String(format: "probe on 7 layers [%d, %d], C %g: dual solver %.2f s; primal %.2f s (%.1f× the dual's time); coefficients %@ (largest difference %.1e)",
                 rows, columns, c, tDual, tPrimal, tPrimal / tDual, agree ? "agree" : "DISAGREE", difference))
    // Cross-validation fits every C of a grid on each fold: one path, warm-started, against cold fits.
    let cs = [0.001, 0.01, 0.1, 1]
    var path: [LogisticModel] = [], cold: [LogisticModel] = []
    let tPath = fastest(1) { path = try! LogisticRegression.fitPath(features: x, labels: labels, cs: cs, solver: .dual) }
    let tCold = fastest(1) { cold = cs.map { try! LogisticRegression.fit(features: x, labels: labels, c: $0, solver: .dual) } }
    let pathDifference = zip(path, cold).map { a, b in
        zip(a.weights + [a.bias], b.weights + [b.bias]).map { abs($0 - $1) / max(1, abs($1)) }.max()!
    }.max()!
    let pathAgrees = pathDifference <= 1e-8
    failed = failed || !pathAgrees
    print(String(format: "the C grid %@ on that fold: warm-started path %.2f s; a cold fit per C %.2f s (%.2f× the path's time); optima %@ (largest relative difference %.1e)",
                 cs.map { "\($0)" }.joined(separator: ", "), tPath, tCold, tCold / tPath, pathAgrees ? "agree" : "DISAGREE", pathDifference))
}
exit(failed ? 1 : 0)
