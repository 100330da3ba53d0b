@testable import CodebookRuntime
import Testing

/// The poolings a hidden-space scorer can read a prompt with: their one definition, which extract
/// stores and the screen scores.
struct HiddenPoolingTests {
    @Test func windowsCoverThePooledTokensByHalves() {
        #expect(Pooling.windows(count: 1) == [0..<1])
        #expect(Pooling.windows(count: 32) == [0..<32])
        #expect(Pooling.windows(count: 33) == [0..<32, 1..<33])
        #expect(Pooling.windows(count: 64) == [0..<32, 16..<48, 32..<64])
        #expect(Pooling.windows(count: 70) == [0..<32, 16..<48, 32..<64, 38..<70])
        // Every token is in a window, and no window is longer than the size.
        for count in 1...200 {
            let windows = Pooling.windows(count: count)
            #expect(Set(windows.flatMap { Array($0) }) == Set(0..<count))
            #expect(windows.allSatisfy { $0.count == min(count, Pooling.windowSize) })
        }
    }

    /// A prompt of 2 layers, `tokens` tokens (a special token first), d = 2: token `t`'s state at layer
    /// `l` is `(t + 10·l, −t)`.
    static func prompt(tokens: Int) throws -> PromptStates {
        let values = (0..<2).flatMap { l in (0..<tokens).flatMap { t in [Float(t + 10 * l), Float(-t)] } }
        return try PromptStates(values: values, layers: 2, tokens: tokens, hiddenSize: 2, isContent: [false] + Array(repeating: true, count: tokens - 1))
    }

    @Test func featuresOfEachPooling() throws {
        let prompt = try Self.prompt(tokens: 5)  // content tokens 1...4
        #expect(prompt.features(layer: 1, pooling: .mean, model: .mean) == [[12.5, -2.5]])
        #expect(prompt.features(layer: 1, pooling: .mean, model: .meanWithoutSink) == [[13, -3]])  // tokens 2...4
        #expect(prompt.features(layer: 1, pooling: .meanAllTokens, model: .meanWithoutSink) == [[12.5, -2.5]])
        #expect(prompt.features(layer: 0, pooling: .lastToken, model: .meanWithoutSink) == [[4, -4]])
        #expect(prompt.features(layer: 0, pooling: .windowMax, model: .mean) == [[2.5, -2.5]])  // one window: the mean

        let long = try Self.prompt(tokens: 41)  // 40 content tokens: windows 0..<32 and 8..<40 of them
        let windows = long.features(layer: 0, pooling: .windowMax, model: .mean)
        #expect(windows == [[16.5, -16.5], [24.5, -24.5]])
        #expect(long.windows(.mean) == [Array(1...32), Array(9...40)])
    }

    /// A direction reads a bag by its best vector.
    @Test func bagDecisionIsTheHighest() {
        let direction = HiddenDirection(layer: 0, pooling: .windowMax, weights: [1, 0], bias: -1, mean: nil, std: nil, threshold: 0)
        let best = direction.decision(bag: [[Float(1), 0], [3, 9], [2, 0]])
        #expect(best.value == 2 && best.index == 1)
        #expect(direction.decision(bag: [[Float(-5), 0]]).value == -6)
    }

    /// The multi-layer probe on windows reads window k at every layer as one vector, and a prompt by its
    /// best window; on the mean, the mean of every layer.
    @Test func multilayerProbeReadsEachWindowAtEveryLayer() throws {
        let long = try Self.prompt(tokens: 41)
        // Standardized by (x − 1)/2 everywhere; weights on each layer's first value.
        let weights: [Double] = [1, 0, 1, 0], mean: [Double] = [1, 1, 1, 1], std: [Double] = [2, 2, 2, 2]
        let windows = MultilayerProbe(layers: 2, pooling: .windowMax, weights: weights, bias: 0.5, mean: mean, std: std, threshold: 0.5)
        let read = { (layer: Int) in long.features(layer: layer, pooling: windows.pooling, model: .mean) }
        // Window 0 (content tokens 1...32): 16.5 at layer 0, 26.5 at layer 1 → 0.5 + 7.75 + 12.75 = 21;
        // window 1 (9...40): 24.5, 34.5 → 0.5 + 11.75 + 16.75 = 29.
        let best = windows.decision(bag: read)
        #expect(best.value == 29 && best.index == 1)
        let onTheMean = MultilayerProbe(layers: 2, weights: weights, bias: 0.5, mean: mean, std: std, threshold: 0.5)
        #expect(onTheMean.pooling == .mean)
        // Every content token: 20.5 and 30.5 → 0.5 + 9.75 + 14.75.
        let whole = onTheMean.decision(bag: { long.features(layer: $0, pooling: .mean, model: .mean) })
        #expect(whole.value == 25 && whole.index == 0)
    }

    @Test func aCausalModelHasTheSinkPooling() {
        #expect(HiddenPooling.available(modelType: "llama") == [.mean, .meanAllTokens, .lastToken, .windowMax])
        #expect(HiddenPooling.available(modelType: "bert") == [.mean, .lastToken, .windowMax])
    }
}
