import Activations
import CodebookRuntime
@testable import Compilation
import Foundation
import Testing
import TestSupport

/// When the multi-layer probe's fit fails numerically (a fold's or the final one), compile leaves that
/// optional scorer out of the contrast and chooses the verdict among the other three; every other
/// contrast and scorer is what it would have been. No test-sized input makes the dual solver fail, so a
/// stand-in fit (`MultilayerFit`) fails where the test says.
@Suite struct MultilayerFallbackTests {
    static let activations = Fixtures.url("compile/activations.h5")

    /// A fit that throws `failure` for the contrast named by `failing` (its fold paths when `folds`,
    /// its final fit of one C otherwise) and is the dual solver's everywhere else.
    private static func failing(_ rules: [(contrast: String, folds: Bool)], with failure: CompilationError) -> MultilayerFit {
        MultilayerFit { features, labels, cs, what throws(CompilationError) in
            let isFold = what.hasSuffix(", fold")
            if rules.contains(where: { what.hasPrefix("\($0.contrast) ") && $0.folds == isFold }) { throw failure }
            return try MultilayerFit.dual.path(features, labels, cs, what)
        }
    }

    /// The codebook, and the lines compile said.
    private static func compile(_ fit: MultilayerFit = .dual) throws -> (codebook: Codebook, said: [String]) {
        var said: [String] = []
        let codebook = try CodebookCompiler.compile(TrainingSet(ActivationsSet(url: activations)), layer: .auto, groups: .byTwin,
                                                    targetFPR: CompileRequest.defaultTargetFPR, multilayerFit: fit) { said.append($0) }
        return (codebook, said)
    }

    @Test func aFailedFitLeavesOnlyThatProbeOut() throws {
        let (normal, quiet) = try Self.compile()
        #expect(quiet.isEmpty)
        let noConvergence = CompilationError.noConvergence(what: "stand-in", iterations: 100, gradientNorm: 1)
        let (fallback, said) = try Self.compile(Self.failing([("harmful_vs_harmless", true), ("injection_vs_benign_instruction", false)],
                                                             with: noConvergence))
        // Left out, and said so: one line per contrast, with the reason.
        #expect(said == ["harmful_vs_harmless", "injection_vs_benign_instruction"].map {
            "compile: \($0): no multi-layer probe (\(noConvergence.description))"
        })
        let names = normal.configuration.directions.map(\.name)
        #expect(names == ["harmful_vs_harmless", "injection_vs_benign_instruction", "injection_vs_harmless"])
        // The fixture's verdicts: the multi-layer probe decides the first two, so leaving it out must move them.
        #expect(normal.configuration.directions[..<2].allSatisfy { $0.verdict.scorer == .multilayerProbe })

        for index in 0..<2 {
            let (before, after) = (normal.configuration.directions[index], fallback.configuration.directions[index])
            #expect(fallback.directions[index].multilayerProbe == nil, "\(before.name)")
            #expect(after.multilayerProbeThreshold == nil && after.trainAUC.multilayerProbe == nil, "\(before.name)")
            #expect(after.selection.auc.multilayerProbe == nil && after.selection.multilayerProbeC == nil
                    && after.selection.multilayerProbeCAUC == nil, "\(before.name)")
            // The verdict goes to the best of the other three out-of-fold AUCs (ties → the earlier).
            let auc = after.selection.auc
            let others: [(Scorer, Double)] = [(.codebook, auc.codebook), (.meanDifference, auc.meanDifference), (.probe, auc.probe)]
            let expected = others.dropFirst().reduce(others[0]) { $1.1 > $0.1 ? $1 : $0 }.0
            #expect(after.verdict.scorer == expected, "\(before.name)")
            #expect(fallback.directions[index].verdict.scorer == expected, "\(before.name)")
            // What the other scorers measured and store does not depend on the multi-layer probe.
            #expect(auc.codebook == before.selection.auc.codebook && auc.meanDifference == before.selection.auc.meanDifference
                    && auc.probe == before.selection.auc.probe, "\(before.name)")
            #expect(fallback.directions[index].probe == normal.directions[index].probe, "\(before.name)")
            #expect(fallback.directions[index].meanDifference == normal.directions[index].meanDifference, "\(before.name)")
        }
        // The third contrast is untouched, its multi-layer probe included.
        #expect(fallback.directions[2] == normal.directions[2])
        #expect(fallback.configuration.directions[2] == normal.configuration.directions[2])
        #expect(fallback.directions[2].multilayerProbe != nil)

        // Written and read back: the left-out probes stay out, the kept one is there, and the screen's
        // verdicts come from the scorers compile chose.
        let directory = try Fixtures.temporaryDirectory("multilayer-fallback")
        defer { try? FileManager.default.removeItem(at: directory) }
        try CodebookWriter.write(fallback, to: directory)
        let loaded = try Codebook.load(directory)
        #expect(loaded.directions.map { $0.multilayerProbe == nil } == [true, true, false])
        #expect(loaded.directions.map(\.verdict) == fallback.directions.map(\.verdict))
    }

    /// Only numerical failures are tolerated: any other error of the fit still stops compile.
    @Test func otherErrorsStillStopCompile() throws {
        let degenerate = CompilationError.degenerate(what: "stand-in", reason: "not numerical")
        #expect { try Self.compile(Self.failing([("injection_vs_harmless", false)], with: degenerate)) } throws: {
            "\($0)".contains("not numerical")
        }
    }
}
