import Activations
@testable import Compilation
import CodebookRuntime
import Foundation
import TestSupport
import Testing

/// The multi-layer probe on windows (compiler 0.8.0; docs/transfer-study.md §16–17): where a behavior is
/// one window of a prompt, spread over two layers, compile fits the multi-layer probe on every layer's
/// windows too, keeps them by their out-of-fold AUC, records the pooling, and the runtime reads it back.
struct WindowedMultilayerTests {
    static let layers = 3, hidden = 4, windows = 4, prompts = 100

    /// Two conditions of `prompts` prompts, every fifth held out, each of `windows` windows. A window's
    /// state is noise around its prompt's topic (dimension 1, shared by twins); one window of each
    /// positive also carries the behavior, +3 in dimension 0 at layers 1 and 2. The prompt's mean is
    /// its windows' mean, which dilutes the behavior fourfold.
    static func write(_ url: URL) throws {
        let header = ActivationsHeader(modelType: "bert", modelPath: "/models/x", modelSHA256: "ab", numLayers: layers,
                                       hiddenSize: hidden, maxTokens: 128, catalogSHA256: "cd",
                                       contrasts: [Contrast(name: "injected_vs_plain", positive: "injected", negative: "plain")],
                                       conditions: ["injected", "plain"])
        var random = MultipleInstanceTests.LCG(state: 17)
        let writer = try ActivationsWriter(creating: url, header: header, poolings: true)
        for (condition, positive) in [("injected", true), ("plain", false)] {
            try writer.beginCondition(condition)
            var batch = ConditionBatch()
            for i in 0..<prompts {
                batch.ids.append("\(condition)-\(i)")
                batch.splits.append(i % 5 == 4 ? 1 : 0)
                batch.truncated.append(0)
                batch.tokenCounts.append(2)
                batch.tokenIDs += [Int32(i), Int32(i + 1)]
                batch.tokenPerturbations += (0..<(2 * layers * ActivationsLayout.levels)).map { _ in Float(random.normal()) }
                batch.promptPerturbations += (0..<(layers * ActivationsLayout.levels)).map { _ in Float(random.normal()) }
                var topicRandom = MultipleInstanceTests.LCG(state: UInt64(1000 + i))  // twins share the topic
                let topic = 3 * topicRandom.normal()
                let planted = Int(random.uniform() * Double(windows))
                var states = [[Float]]()  // [window][layer · d]
                for w in 0..<windows {
                    states.append((0..<layers).flatMap { layer in
                        (0..<hidden).map { j in
                            Float(random.normal() + (j == 1 ? topic : 0) + (positive && w == planted && j == 0 && layer > 0 ? 3 : 0))
                        }
                    })
                }
                batch.windowCounts.append(windows)
                batch.hiddenWindows += states.flatMap { $0 }
                let mean = (0..<(layers * hidden)).map { k in states.reduce(0) { $0 + $1[k] } / Float(windows) }
                batch.hiddenMean += mean
                batch.hiddenLastToken += states[windows - 1]
                batch.hiddenLast += states[windows - 1].suffix(hidden)
            }
            try writer.append(batch)
            try writer.endCondition()
        }
        try writer.close()
    }

    @Test func windowsAreChosenWhereTheBehaviorIsOneWindow() throws {
        let directory = try Fixtures.temporaryDirectory("windowed-multilayer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("activations.h5"), output = directory.appendingPathComponent("codebook")
        try Self.write(url)
        let summary = try CodebookCompiler.run(CompileRequest(activations: [url], output: output, layer: .auto))
        let entry = try #require(summary.codebook.configuration.directions.first)
        // The one-layer scorers chose windows first: only then are they tried for the multi-layer probe.
        #expect(entry.hiddenPooling == .windowMax)
        let aucs = try #require(entry.selection.multilayerProbePoolingAUC)
        let windowAUC = try #require(aucs["window_max"]), meanAUC = try #require(aucs["mean"])
        // Diluted fourfold in the mean against read whole in its window: a wide gap, not rounding.
        #expect(windowAUC > meanAUC + 0.05, "out of fold: windows \(windowAUC), mean \(meanAUC)")
        #expect(entry.multilayerProbePooling == .windowMax && entry.selection.auc.multilayerProbe == windowAUC)
        #expect(entry.selection.multilayerProbeCAUC?[String(describing: entry.selection.multilayerProbeC!)] == meanAUC)

        // Loaded back, the probe reads windows: a held-out prompt scores by its best window's states at
        // every layer, the same value compile's evaluation and the screen read.
        let codebook = try Codebook.load(output)
        let probe = try #require(codebook.directions[0].multilayerProbe)
        #expect(probe.pooling == .windowMax && probe.layers == Self.layers)
        let condition = try ActivationsSet(url: url).condition("injected")
        let row = try #require(condition.index.splits.firstIndex(of: 1))
        let read = { (layer: Int) in condition.hidden(row, layer: layer, pooling: .windowMax).map(Array.init) }
        let best = (0..<Self.windows).map { w in probe.decision { read($0)[w] } }.max()!
        let signals = codebook.signals(perturbation: Array(condition.promptPerturbation(row, layer: codebook.layer))) {
            condition.hidden(row, layer: $0, pooling: $1).map(Array.init)
        }
        #expect(signals.multilayerProbe[0] == best)
    }
}
