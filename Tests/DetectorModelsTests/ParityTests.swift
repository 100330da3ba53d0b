import Foundation
import Testing
import TestSupport
@testable import DetectorModels

/// Our float32 forward against transformers' float32 forward (scripts/fixtures/make_models.py).
///
/// Tolerance: per layer, max |ours − transformers| ≤ 1e-5 × the layer's largest |value|. Both sides
/// compute in float32 and differ only in summation order (BLAS kernels, SIMD reductions) and in
/// last-ulp differences of exp/erf/cos: observed ≤ 6e-7 relative on every layer of these models.
/// 1e-5 leaves a 15× margin for other BLAS kernels and thread counts, and still fails on any
/// numerical convention done differently (tanh-GELU instead of erf: ~1e-4; a norm epsilon off by
/// 10×, RoPE interleaved or with another θ, a missing mask: ≫ 1e-3).
@Suite struct ParityTests {
    static let tolerance: Float = 1e-5

    static let tinyFixtures = ["tiny-llama", "tiny-llama-bf16"]

    /// Runs the reference prompts as ONE packed batch and compares every stored layer.
    func deviations(_ detector: Detector, _ reference: Reference) throws -> [LayerDeviation] {
        let states = try detector.hiddenStates(tokenIDs: reference.metadata.inputIDs)
        var deviations = [LayerDeviation](repeating: LayerDeviation(), count: reference.metadata.layers.count)
        for (prompt, ids) in reference.metadata.inputIDs.enumerated() {
            #expect(states[prompt].tokens == ids.count)
            #expect(states[prompt].layers == detector.description.numLayers)
            for (index, layer) in reference.metadata.layers.enumerated() {
                for token in 0..<ids.count {
                    deviations[index].add(states[prompt].vector(layer: layer, token: token),
                                          reference.vector(layerIndex: index, prompt: prompt, token: token))
                }
            }
        }
        return deviations
    }

    @Test(arguments: tinyFixtures)
    func tinyLlamaMatchesTransformers(fixture: String) throws {
        let detector = try Detector(directory: Fixtures.url("models/\(fixture)"))
        let reference = try Reference(fixture)
        #expect(detector.description == ModelDescription(modelType: "llama", numBlocks: 3, hiddenSize: 64,
                                                         vocabularySize: 300, maxPositions: 256))
        for (layer, deviation) in try deviations(detector, reference).enumerated() {
            #expect(deviation.relative <= Self.tolerance, "layer \(layer): \(deviation)")
        }
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs the default model (make model)"))
    func miniLMMatchesTransformers() throws {
        let detector = try Detector(directory: try #require(Fixtures.defaultModelDirectory))
        let reference = try Reference("all-MiniLM-L6-v2")
        #expect(detector.description == ModelDescription(modelType: "bert", numBlocks: 6, hiddenSize: 384,
                                                         vocabularySize: 30522, maxPositions: 512))
        for (layer, deviation) in try deviations(detector, reference).enumerated() {
            #expect(deviation.relative <= Self.tolerance, "layer \(layer): \(deviation)")
        }
    }
}

/// Packing prompts into one batch must not change any prompt's result: attention is per prompt and
/// every other operation is row-wise.
@Suite struct PackingTests {
    /// The same arithmetic runs either way; only BLAS's blocking (which depends on the number of
    /// rows) may reorder a sum. 1e-6 × the magnitude is a few float32 ulps of the largest value.
    static let tolerance: Float = 1e-6

    func expectPackedEqualsAlone(_ detector: Detector, _ prompts: [[Int32]]) throws {
        let packed = try detector.hiddenStates(tokenIDs: prompts)
        #expect(packed.count == prompts.count)
        for (index, prompt) in prompts.enumerated() {
            let alone = try detector.hiddenStates(tokenIDs: [prompt])[0]
            #expect(packed[index].tokens == prompt.count && alone.tokens == prompt.count)
            #expect(packed[index].layers == detector.description.numLayers)
            var deviation = LayerDeviation()
            deviation.add(packed[index].values[...], alone.values[...])
            #expect(deviation.maxAbsoluteDifference <= Self.tolerance * Swift.max(deviation.magnitude, 1),
                    "prompt \(index) (\(prompt.count) tokens): \(deviation)")
        }
    }

    /// Prompts of 0, 1, a few and 200 tokens; seeded random ids.
    func prompts(vocabulary: Int, first: [[Int32]]) -> [[Int32]] {
        var generator = SplitMix64(seed: 7)
        let random = { (count: Int) in (0..<count).map { _ in Int32(generator.next() % UInt64(vocabulary)) } }
        return first + [[], random(1), random(200), random(17)]
    }

    @Test func tinyLlama() throws {
        let detector = try Detector(directory: Fixtures.url("models/tiny-llama"))
        try expectPackedEqualsAlone(detector, prompts(vocabulary: 300, first: try Reference("tiny-llama").metadata.inputIDs))
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs the default model (make model)"))
    func miniLM() throws {
        let detector = try Detector(directory: try #require(Fixtures.defaultModelDirectory))
        // BERT prompts always carry [CLS] … [SEP]; random ids in between.
        let inner = prompts(vocabulary: 30000, first: []).map { [101] + $0.map { $0 + 500 } + [102] }
        try expectPackedEqualsAlone(detector, try Reference("all-MiniLM-L6-v2").metadata.inputIDs + inner)
    }

    @Test func emptyBatch() throws {
        let detector = try Detector(directory: Fixtures.url("models/tiny-llama"))
        #expect(try detector.hiddenStates(tokenIDs: []).isEmpty)
        let states = try detector.hiddenStates(tokenIDs: [[], []])
        #expect(states.map(\.tokens) == [0, 0] && states.allSatisfy { $0.values.isEmpty && $0.layers == 4 })
    }
}

/// A small seeded generator (SplitMix64), so that "random" test inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func signed() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}

/// The detector's tokenizer gives the ids the reference forward ran on (the `tokenizers` library's).
@Suite struct EncodingTests {
    @Test func tinyLlama() throws {
        let detector = try Detector(directory: Fixtures.url("models/tiny-llama"))
        let reference = try Reference("tiny-llama")
        for (prompt, ids) in zip(reference.metadata.prompts, reference.metadata.inputIDs) {
            let encoding = detector.encode(prompt, maxContentTokens: 256)
            #expect(encoding.ids == ids, "\(prompt)")
            #expect(!encoding.isSpecial.contains(true))  // SmolLM2-style: no BOS/EOS added
        }
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs the default model (make model)"))
    func miniLM() throws {
        let detector = try Detector(directory: try #require(Fixtures.defaultModelDirectory))
        let reference = try Reference("all-MiniLM-L6-v2")
        for (prompt, ids) in zip(reference.metadata.prompts, reference.metadata.inputIDs) {
            let encoding = detector.encode(prompt, maxContentTokens: 256)
            #expect(encoding.ids == ids, "\(prompt)")
            #expect(encoding.isSpecial.first == true && encoding.isSpecial.last == true)  // [CLS] … [SEP]
        }
    }
}

/// A forward pass stopped at a layer gives exactly that layer and the ones before it of a full pass
/// (the same operations in the same order: equal to the bit), for both architectures.
struct EarlyStopTests {
    @Test(arguments: ["models/tiny-llama", "models/tiny-llama-bf16"])
    func stoppedPassesEqualTheFullOnes(_ fixture: String) throws {
        let detector = try Detector(directory: Fixtures.url(fixture))
        let prompts: [[Int32]] = [[5, 9, 12, 7], [3, 4]]
        let full = try detector.hiddenStates(tokenIDs: prompts)
        for last in 0..<detector.description.numLayers {
            let stopped = try detector.hiddenStates(tokenIDs: prompts, throughLayer: last)
            for (a, b) in zip(stopped, full) {
                #expect(a.layers == last + 1 && a.tokens == b.tokens)
                #expect(a.values == Array(b.values.prefix((last + 1) * b.tokens * b.hiddenSize)), "layer \(last)")
            }
        }
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs the default model (make model)"))
    func stoppedBertPassesEqualTheFullOnes() throws {
        let directory = try #require(Fixtures.defaultModelDirectory)
        let detector = try Detector(directory: directory)
        let prompts: [[Int32]] = [[101, 7592, 2088, 102], [101, 2054, 102]]
        let full = try detector.hiddenStates(tokenIDs: prompts)
        let stopped = try detector.hiddenStates(tokenIDs: prompts, throughLayer: 3)
        for (a, b) in zip(stopped, full) {
            #expect(a.layers == 4 && a.values == Array(b.values.prefix(4 * b.tokens * b.hiddenSize)))
        }
    }
}
