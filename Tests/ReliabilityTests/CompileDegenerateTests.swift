import Activations
import CodebookRuntime
import Foundation
import TestSupport
import Testing

/// `compile` on well-formed files whose numbers cannot give a codebook (refused with one line, nothing
/// written), or that sit at the edge of what can (must succeed with finite, loadable artifacts).
@Suite struct CompileDegenerateTests {
    /// Writes `data` and compiles it into `out/artifacts`.
    static func compile(_ data: SyntheticActivations, _ scratch: Scratch, _ extra: [String] = []) throws -> (Commands.Result, URL) {
        let file = scratch.file("activations.h5")
        try data.write(to: file)
        let out = try scratch.folder("out").appendingPathComponent("artifacts")
        return (try Commands.run("compile", ["--activations", file.path, "--out", out.path] + extra), out)
    }

    static func expectCompileRefuses(_ data: SyntheticActivations, _ scratch: Scratch, _ extra: [String] = [], mentions: [String],
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = scratch.file("activations.h5")
        try data.write(to: file)
        let out = try scratch.folder("out")
        try expectRefusal("compile", ["--activations", file.path, "--out", out.appendingPathComponent("artifacts").path] + extra,
                          mentions: mentions, untouched: out, sourceLocation: sourceLocation)
    }

    /// Every train prompt of the positive class is heldout: there is nothing to fit that class on.
    @Test func classWithoutTrainPromptsIsRefused() throws {
        var data = SyntheticActivations.gaussian()
        data.heldout = { condition, i in condition == "pos" || i % 4 == 3 }
        try Self.expectCompileRefuses(data, try Scratch("empty-class"), mentions: ["pos"])
    }

    /// One perturbation for every prompt: the centered population is zero.
    @Test func identicalPerturbationsAreRefused() throws {
        var data = SyntheticActivations.gaussian()
        let constant = (0..<64).map { Float($0) / 64 - 0.5 }
        data.perturbation = { _, _, _ in constant }
        try Self.expectCompileRefuses(data, try Scratch("rank-0"), mentions: ["rank 0"])
    }

    /// Perturbations in a 2-D affine subspace: two non-zero singular values, a 3-D basis is not defined.
    @Test(arguments: ["auto", "1"])
    func perturbationsInAPlaneAreRefused(layer: String) throws {
        var data = SyntheticActivations.gaussian()
        let base = (0..<64).map { Float($0) / 64 - 0.5 }
        data.perturbation = { condition, i, layer in
            // Exactly representable coefficients, so rounding adds no third direction.
            let a = Float((i * 7 + layer) % 11) - 5, b = Float((i * 3 + (condition == "pos" ? 1 : 4)) % 7) - 3
            return (0..<64).map { k in base[k] + a * (k == 5 ? 0.5 : 0) + b * (k == 40 ? 0.25 : 0) }
        }
        // The same refusal whether compile fits every layer or the one asked for.
        try Self.expectCompileRefuses(data, try Scratch("rank-2"), ["--layer", layer], mentions: ["rank 2"])
    }

    /// Both classes' mean hidden states equal at every layer: no mean-difference direction exists.
    @Test func identicalHiddenStatesAreRefused() throws {
        var data = SyntheticActivations.gaussian()
        data.hidden = { _, _, layer in [1, 2, 3, Float(layer)] }
        try Self.expectCompileRefuses(data, try Scratch("same-hidden"), mentions: ["mean difference"])
    }

    /// Classes that a hyperplane separates, in hidden space and in the codebook's (sum, u, v): the
    /// unpenalized logistic optimum is at infinity, the L2 term keeps it finite. Must compile, load
    /// and score finitely, with train AUC 1 everywhere.
    ///
    /// The codebook part by construction: z₁ = 3(y + q), z₂ = 2(q − y), z₃ = small noise, with the
    /// class y = ±1 and q = ±1 balanced within each class, so the three columns are uncorrelated and
    /// the SVD returns them as they are. z₁ and z₂ have the same rank structure, so c₁ > c₂ exactly
    /// when y = +1, i.e. w₁ > w₂, i.e. u < 1/2 (w₁ − w₂ = 1 − 2u): a line in (sum, u, v).
    @Test func perfectlySeparableClassesCompile() throws {
        let scratch = try Scratch("separable")
        var data = SyntheticActivations.gaussian(separation: 40)  // hidden states 40 σ apart
        data.heldout = { _, i in i >= 20 }  // train prompts 0..<20: q balanced in each class
        data.perturbation = { condition, i, layer in
            var generator = SeededGenerator(seed: UInt64(i * 31 + layer) &+ (condition == "pos" ? 0 : 1 << 32))
            let y: Float = condition == "pos" ? 1 : -1, q: Float = i % 2 == 0 ? 1 : -1
            var p = (0..<64).map { _ in 0.01 * generator.normal() }
            p[10] += 3 * (y + q)
            p[20] += 2 * (q - y)
            p[30] += 0.5 * generator.normal()
            return p
        }
        let (result, out) = try Self.compile(data, scratch)
        #expect(result.exited(0), "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        try expectLoadableAndFinite(out)
        let codebook = try Codebook.load(out)
        for direction in codebook.configuration.directions {
            #expect(direction.trainAUC.codebook == 1 && direction.trainAUC.meanDifference == 1 && direction.trainAUC.probe == 1,
                    "\(direction.trainAUC)")
        }
        for direction in codebook.directions {
            let weights = direction.classifier.weights + direction.probe.weights + direction.meanDifference.weights
            #expect(weights.allSatisfy { $0.isFinite })
        }
        for signal in codebook.score([Float](repeating: 100, count: 64)) { #expect(signal.probability.isFinite) }
    }

    /// A population where most prompts share one perturbation: each z coordinate is mostly one
    /// repeated value, so most spline knots tie and are spread by nextUp (SPEC §6). Compiles, and
    /// the splines stay monotone and finite.
    @Test func tiedSplineSamplesCompile() throws {
        let scratch = try Scratch("ties")
        var data = SyntheticActivations.gaussian(separation: 2)
        let gaussian = data.perturbation
        let constant = (0..<64).map { Float($0) / 64 - 0.5 }
        // Five prompts per class differ; the other nineteen are identical.
        data.perturbation = { condition, i, layer in i % 5 == 0 ? gaussian(condition, i, layer) : constant }
        let (result, out) = try Self.compile(data, scratch)
        #expect(result.exited(0), "\(result.stderr)")
        try expectLoadableAndFinite(out)
        let codebook = try Codebook.load(out)
        // The decomposition of the shared perturbation and of far-away points is finite.
        for p in [constant, [Float](repeating: 1e3, count: 64), [Float](repeating: -1e3, count: 64)] {
            let coordinates = codebook.decompose(codebook.project(p))
            #expect(coordinates.sum.isFinite && coordinates.u.isFinite && coordinates.v.isFinite, "\(coordinates)")
        }
    }

    /// Hidden dimensions that never vary: their train std is 0, which the probe's standardization
    /// replaces by 1 (SPEC §6), so the artifacts hold no zero std (the loader refuses those).
    @Test func constantHiddenDimensionsCompile() throws {
        let scratch = try Scratch("constant-hidden")
        var data = SyntheticActivations.gaussian(separation: 2)
        let gaussian = data.hidden
        data.hidden = { condition, i, layer in
            var h = gaussian(condition, i, layer)
            (h[1], h[3]) = (0.5, -2)
            return h
        }
        let (result, out) = try Self.compile(data, scratch)
        #expect(result.exited(0), "\(result.stderr)")
        try expectLoadableAndFinite(out)
        for direction in try Codebook.load(out).directions {
            let std = try #require(direction.probe.std)
            #expect(std[1] == 1 && std[3] == 1 && std[0] != 1, "\(std)")
        }
    }

    /// The smallest population that has a 3-D basis: two train prompts per class (N = 4, rank 3).
    /// Every statistic of SPEC §6 is defined there (class std with ddof 1 needs two), so it compiles.
    @Test func smallestPopulationCompiles() throws {
        let scratch = try Scratch("smallest")
        var data = SyntheticActivations.gaussian()
        data.prompts = 3
        data.heldout = { _, i in i == 2 }
        let (result, out) = try Self.compile(data, scratch)
        #expect(result.exited(0), "\(result.stderr)")
        try expectLoadableAndFinite(out)
    }

    /// End to end: a catalog whose `tell` prompts are all heldout extracts fine (the catalog is valid),
    /// and compile then refuses, naming the class it cannot fit.
    @Test func catalogClassWithOnlyHeldoutPromptsIsRefusedByCompile() throws {
        let scratch = try Scratch("all-heldout")
        let catalog = try scratch.folder("catalog")
        try Data(#"{"format_version": 1, "contrasts": [{"name": "ask_vs_tell", "positive": "ask", "negative": "tell"}]}"#.utf8)
            .write(to: catalog.appendingPathComponent("catalog.json"))
        for condition in ["ask", "tell"] {
            let lines = (0..<6).map { i in
                #"{"id": "\#(condition)-\#(i)", "text": "\#(condition) number \#(i), with a few words.", "split": "\#(condition == "tell" ? "heldout" : "train")"}"#
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: catalog.appendingPathComponent("\(condition).jsonl"))
        }
        let activations = scratch.file("a.h5")
        let extract = try Commands.run("extract", ["--model", Fixtures.url("models/tiny-llama").path, "--catalog", catalog.path,
                                                   "--out", activations.path])
        try #require(extract.exited(0), "\(extract.stderr)")
        let out = try scratch.folder("out")
        try expectRefusal("compile", ["--activations", activations.path, "--out", out.appendingPathComponent("artifacts").path],
                          mentions: ["tell"], untouched: out)
    }
}
