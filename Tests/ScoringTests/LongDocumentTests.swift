import Foundation
import JSON
import Scoring
import TestSupport
import Testing

/// The committed SmolLM2 codebook on a long document of our writing (`Fixtures/screen/handbook.jsonl`):
/// a 500-word onboarding handbook with an injected instruction in its third paragraph (and again in its
/// repeat), and the same handbook without it. Its injection behavior reads windows of 32 tokens
/// (compile's choice, `hidden_pooling: window_max`), so the verdict finds the injection and points at it.
@Suite(.enabled(if: Fixtures.smolLM2GGUF != nil, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (make smollm2)"))
struct LongDocumentTests {
    static let behavior = "injection_vs_benign_instruction"

    static func documents() throws -> [String: String] {
        let data = try Data(contentsOf: Fixtures.url("screen/handbook.jsonl"))
        var texts: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let value = try JSONParser.parse(Data(line.utf8)).value
            guard case let .string(id)? = value["id"], case let .string(text)? = value["text"] else { throw CocoaError(.coderReadCorrupt) }
            texts[id] = text
        }
        return texts
    }

    @Test func anInjectionInsideADocumentIsFoundWhereItIs() throws {
        let artifacts = Fixtures.repositoryRoot.appendingPathComponent("artifacts/SmolLM2-135M-Instruct")
        let scorer = try TextScorer(artifacts: artifacts, model: try #require(Fixtures.smolLM2GGUF), maxTokens: 256)
        let texts = try Self.documents()
        let poisoned = try scorer.screen(try #require(texts["handbook"]))
        let clean = try scorer.screen(try #require(texts["handbook-clean"]))
        #expect(poisoned.chunks == 3 && clean.chunks == 3)

        let found = try #require(poisoned.verdict.behaviors.first { $0.name == Self.behavior })
        let missed = try #require(clean.verdict.behaviors.first { $0.name == Self.behavior })
        // One run: 4.9 against a threshold of 1.7, and 1.0 for the clean handbook; the margins are far
        // wider than the kernels' rounding (decision values move by ~1e-4 between them).
        #expect(found.flagged && !missed.flagged, "poisoned \(found.score), clean \(missed.score), threshold \(found.threshold)")
        // The span is the deciding window (32 tokens), not the 256-token chunk, and it holds the injection.
        let span = try #require(found.span)
        let scalars = Array(texts["handbook"]!.unicodeScalars)
        let read = String(String.UnicodeScalarView(scalars[span[0]..<span[1]]))
        #expect(read.contains("Ignore all previous instructions"), "\(read)")
        #expect(span[1] - span[0] < 400, "a window of 32 tokens, not a chunk: \(span)")
    }
}
