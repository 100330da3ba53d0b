import CodebookRuntime
import DetectorModels
import Foundation
import Scoring
import Testing
import TestSupport

/// README.md's "Embedding the screen" example, compiled and run here: the lines between the markers
/// are the README's block, word for word (DocumentationTests' `readmeShowsTheEmbeddingExample`).
enum EmbeddingExample {
    // README: embedding begin
    /// A firewall's screen: load once, then one verdict per untrusted input.
    struct Screen {
        let codebook: Codebook
        let detector: Detector

        init(artifacts: String, model: String) throws {
            codebook = try Codebook.load(URL(fileURLWithPath: artifacts))
            detector = try Detector(model: URL(fileURLWithPath: model))
        }

        func verdict(_ text: String) throws -> Verdict {
            let encoding = detector.encode(text, maxContentTokens: 256)
            let states = try detector.hiddenStates([encoding], throughLayer: codebook.deepestLayer)[0]
            return try codebook.screen(PromptStates(values: states.values, layers: states.layers, tokens: states.tokens,
                                                    hiddenSize: states.hiddenSize, isContent: encoding.isSpecial.map { !$0 }))
        }
    }
    // README: embedding end
}

struct EmbeddingExampleTests {
    /// The example screens texts with the codebook compiled from the tiny Llama: the same verdict as
    /// `codebook score` (TextScorer) gives for a text that fits one window.
    @Test func theExampleScreensAsTheCommandDoes() throws {
        let (folder, _) = try TextScorerTests.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = folder.appendingPathComponent("artifacts").path
        let screen = try EmbeddingExample.Screen(artifacts: artifacts, model: TextScorerTests.model.path)
        let scorer = try TextScorer(artifacts: URL(fileURLWithPath: artifacts), model: TextScorerTests.model)
        for text in ["Could you tell me about topic 3, please?", "Topic 3 is well known."] {
            let verdict = try screen.verdict(text)
            var expected = try scorer.screen(text).verdict
            for b in expected.behaviors.indices { expected.behaviors[b].span = nil }  // the example knows no text offsets
            #expect(verdict == expected)
            #expect(verdict.behaviors.map(\.name) == screen.codebook.behaviors)
        }
    }

    /// Bad input to the public API is an error naming what is wrong, not a crash.
    @Test func badStatesAreRefused() throws {
        let codebook = try Codebook.load(Fixtures.url("compile/artifacts"))  // hidden size 12, layers 0...2 read
        let content = [true, true]
        #expect(throws: CodebookRuntimeError.self) {  // hidden size 2, not 12
            try codebook.screen(PromptStates(values: [Float](repeating: 1, count: 3 * 2 * 2), layers: 3, tokens: 2, hiddenSize: 2, isContent: content))
        }
        #expect(throws: CodebookRuntimeError.self) {  // one layer where the codebook reads up to its deepest
            try codebook.screen(PromptStates(values: [Float](repeating: 1, count: 2 * 12), layers: 1, tokens: 2, hiddenSize: 12, isContent: content))
        }
        #expect(throws: CodebookRuntimeError.self) {
            try PromptStates(values: [0, 1, 2], layers: 1, tokens: 2, hiddenSize: 2, isContent: [true, true])
        }
        #expect(throws: CodebookRuntimeError.self) {
            try PromptStates(values: [0, 1, 2, 3], layers: 1, tokens: 2, hiddenSize: 2, isContent: [false, false])
        }
        #expect(throws: CodebookRuntimeError.self) {
            try PromptStates(values: [0, .nan, 2, 3], layers: 1, tokens: 2, hiddenSize: 2, isContent: [true, true])
        }
    }
}
