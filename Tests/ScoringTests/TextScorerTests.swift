import Activations
import CodebookRuntime
import Compilation
import Extraction
import Foundation
import Scoring
import TestSupport
import Testing

/// Text in, signals out: a codebook compiled from the tiny Llama's own activations scores the
/// catalog's texts as the runtime scores their stored perturbations.
struct TextScorerTests {
    static let model = Fixtures.url("models/tiny-llama")

    /// Extracts a two-condition catalog with the tiny Llama and compiles it; returns the folder
    /// holding `activations.h5` and `artifacts/`, and the catalog's texts by id.
    static func compiledCodebook() throws -> (folder: URL, texts: [String: String]) {
        let folder = try Fixtures.temporaryDirectory("scoring")
        let catalog = folder.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: catalog, withIntermediateDirectories: true)
        try Data(#"{"format_version": 1, "contrasts": [{"name": "ask_vs_tell", "positive": "ask", "negative": "tell"}]}"#.utf8)
            .write(to: catalog.appendingPathComponent("catalog.json"))
        var texts: [String: String] = [:]
        for condition in ["ask", "tell"] {
            let lines = (0..<16).map { i -> String in
                let text = condition == "ask" ? "Could you tell me about topic \(i), please?" : "Topic \(i) is \(String(repeating: "quite ", count: i % 5))well known."
                texts["\(condition)-\(i)"] = text
                return #"{"id": "\#(condition)-\#(i)", "text": "\#(text)"}"#
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: catalog.appendingPathComponent("\(condition).jsonl"))
        }
        let activations = folder.appendingPathComponent("activations.h5")
        _ = try Extractor.run(ExtractionRequest(model: model, catalog: catalog, output: activations))
        _ = try CodebookCompiler.run(CompileRequest(activations: [activations], output: folder.appendingPathComponent("artifacts")))
        return (folder, texts)
    }

    @Test func scoresEqualTheRuntimeOnTheExtractedPerturbations() throws {
        let (folder, texts) = try Self.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scorer = try TextScorer(artifacts: folder.appendingPathComponent("artifacts"), model: Self.model)
        let codebook = scorer.codebook
        let set = try ActivationsSet(url: folder.appendingPathComponent("activations.h5"))
        for name in ["ask", "tell"] {
            let condition = try set.condition(name)
            let signals = try scorer.score(condition.index.ids.map { texts[$0]! })
            for (i, signal) in signals.enumerated() {
                let expected = codebook.score(condition.promptPerturbation(i, layer: codebook.layer))
                #expect(signal.codebook.map(\.name) == expected.map(\.name))
                // The scorer runs each text alone, extract packed 32 together: BLAS rounds differently,
                // by ~1e-6 in the perturbation; probabilities move by less than 1e-4.
                for (a, b) in zip(signal.codebook, expected) { #expect(abs(a.probability - b.probability) < 1e-4 && a.threshold == b.threshold) }
                let hidden = codebook.scoreHidden { Array(condition.hiddenMean(i, layer: $0)) }
                for (a, b) in zip(signal.probe, hidden.probe) { #expect(abs(a.probability - b.probability) < 1e-4) }
                for (a, b) in zip(signal.meanDifference, hidden.meanDifference) { #expect(abs(a.probability - b.probability) < 1e-4) }
                #expect(signal.tokens == condition.index.tokenOffsets[i + 1] - condition.index.tokenOffsets[i])
            }
        }
    }

    @Test func aModelOtherThanTheCompiledOneIsRefused() throws {
        // The compile fixture's codebook was compiled for another model's weights.
        #expect {
            try TextScorer(artifacts: Fixtures.url("compile/artifacts"), model: Self.model)
        } throws: { "\($0)".contains("was compiled for the model with weights sha256") }
    }

    @Test func signalsEncodeWithSnakeCaseKeys() throws {
        let signal = DimensionSignal(name: "a", probability: 0.25, flagged: false, threshold: 0.5)
        let text = TextSignals(tokens: 3, truncated: false, codebook: [signal], meanDifference: [signal], probe: [signal])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(text)) as? [String: Any])
        #expect(Set(json.keys) == ["tokens", "truncated", "codebook", "mean_difference", "probe"])
        let first = try #require((json["codebook"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["name", "probability", "flagged", "threshold"])
    }
}

/// `codebook score` as a user runs it: one JSON line per input, from arguments or stdin lines.
struct ScoreCommandTests {
    @Test func printsOneJSONLinePerInput() throws {
        let (folder, _) = try TextScorerTests.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["score", "--artifacts", folder.appendingPathComponent("artifacts").path, "--model", TextScorerTests.model.path]
        let fromArguments = try Commands.run("codebook", base + ["Could you tell me about topic 3, please?", "Topic 3 is well known."])
        #expect(fromArguments.exited(0), "\(fromArguments.stderr)")
        let fromStdin = try Commands.run("codebook", base, stdin: "Could you tell me about topic 3, please?\nTopic 3 is well known.\n")
        #expect(fromStdin.exited(0), "\(fromStdin.stderr)")
        #expect(fromStdin.stdout == fromArguments.stdout)  // the same inputs give the same lines

        let lines = fromArguments.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let scorer = try TextScorer(artifacts: folder.appendingPathComponent("artifacts"), model: TextScorerTests.model)
        let expected = try scorer.score(["Could you tell me about topic 3, please?", "Topic 3 is well known."])
        for (line, signals) in zip(lines, expected) {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(json.keys) == ["tokens", "truncated", "codebook", "mean_difference", "probe"])
            let decoded = try JSONDecoder().decode(TextSignals.self, from: Data(line.utf8))
            #expect(decoded == signals)  // the command prints exactly what the library computes
            #expect(decoded.codebook.map(\.name) == ["ask_vs_tell"])
        }
    }

    @Test func aCodebookForAnotherModelIsOneLineAndStatusOne() throws {
        let result = try Commands.run("codebook", ["score", "--artifacts", Fixtures.url("compile/artifacts").path,
                                                   "--model", TextScorerTests.model.path, "hello"])
        #expect(result.exited(1))
        #expect(result.stderrLines.count == 1 && result.stderr.contains("was compiled for the model"))
        #expect(result.stdout.isEmpty)
    }
}
