import Activations
import CodebookRuntime
import Foundation
import HDF5
import TestSupport
import Testing

/// The activations file: SPEC §5's layout written batch by batch, read back, and shards merged.
struct ActivationsFileTests {
    static let layers = 3, hidden = 5, levels = ActivationsLayout.levels

    static func header(shard: Int = 0, of count: Int = 1) -> ActivationsHeader {
        ActivationsHeader(modelType: "bert", modelPath: "/models/x", modelSHA256: "ab", numLayers: layers,
                          hiddenSize: hidden, maxTokens: 16, catalogSHA256: "cd",
                          contrasts: [Contrast(name: "a_vs_b", positive: "a", negative: "b")],
                          conditions: ["a", "b"], shardIndex: shard, shardCount: count)
    }

    /// Prompts with deterministic, distinct values: prompt `i` of a condition has `i % 3 + 1` tokens and,
    /// with `poolings`, `i % 2 + 1` windows (and a mean over all tokens with `sink`).
    static func batch(_ condition: String, _ range: Range<Int>, poolings: Bool = false, sink: Bool = false) -> ConditionBatch {
        var b = ConditionBatch()
        for i in range {
            let tokens = i % 3 + 1
            b.ids.append("\(condition)-\(i)")
            b.splits.append(UInt8(i % 4 == 3 ? 1 : 0))
            b.truncated.append(UInt8(i % 5 == 0 ? 1 : 0))
            b.tokenCounts.append(tokens)
            for k in 0..<tokens {
                b.tokenIDs.append(Int32(i * 10 + k))
                b.tokenPerturbations += (0..<(layers * levels)).map { Float(i * 1000 + k * 100) + Float($0) / 1000 }
            }
            b.promptPerturbations += (0..<(layers * levels)).map { Float(i) + Float($0) / 10_000 }
            b.hiddenMean += (0..<(layers * hidden)).map { Float(-i) - Float($0) / 100 }
            b.hiddenLast += (0..<hidden).map { Float(i) * 2 + Float($0) }
            guard poolings else { continue }
            if sink { b.hiddenMeanAllTokens += (0..<(layers * hidden)).map { Float(i) * 3 + Float($0) / 100 } }
            b.hiddenLastToken += (0..<(layers * hidden)).map { Float(i) * 5 - Float($0) / 100 }
            b.windowCounts.append(i % 2 + 1)
            for w in 0..<(i % 2 + 1) { b.hiddenWindows += (0..<(layers * hidden)).map { Float(i * 7 + w) + Float($0) / 1000 } }
        }
        return b
    }

    /// `a` followed by `b`'s prompts.
    static func concatenated(_ a: ConditionBatch, _ b: ConditionBatch) -> ConditionBatch {
        var c = a
        c.ids += b.ids; c.splits += b.splits; c.truncated += b.truncated
        c.tokenCounts += b.tokenCounts; c.tokenIDs += b.tokenIDs
        c.tokenPerturbations += b.tokenPerturbations; c.promptPerturbations += b.promptPerturbations
        c.hiddenMean += b.hiddenMean; c.hiddenLast += b.hiddenLast
        c.hiddenMeanAllTokens += b.hiddenMeanAllTokens; c.hiddenLastToken += b.hiddenLastToken
        c.windowCounts += b.windowCounts; c.hiddenWindows += b.hiddenWindows
        return c
    }

    static func write(_ url: URL, header: ActivationsHeader, counts: [String: Range<Int>], batchSize: Int,
                      poolings: Bool = false, keep: (Int) -> Bool = { _ in true }) throws {
        let writer = try ActivationsWriter(creating: url, header: header, poolings: poolings)
        let sink = Pooling.of(modelType: header.modelType) == .meanWithoutSink
        for condition in header.conditions {
            try writer.beginCondition(condition)
            let mine = counts[condition]!.filter(keep)
            for start in stride(from: 0, to: mine.count, by: batchSize) {
                let slice = mine[start..<min(start + batchSize, mine.count)]
                // Rebuild from the prompt numbers this shard owns (they need not be contiguous).
                let b = slice.reduce(ConditionBatch()) { concatenated($0, batch(condition, $1..<($1 + 1), poolings: poolings, sink: sink)) }
                try writer.append(b)
            }
            try writer.endCondition()
        }
        try writer.close()
    }

    /// SPEC §3's attention sink: a llama file must record `pooling = "mean_without_sink"`; one that pooled
    /// every token (written before the sink rule, or lying) is refused with a hint to re-run extract.
    @Test func poolingIsRecordedAndAnOutdatedLlamaFileIsRefused() throws {
        let dir = try Fixtures.temporaryDirectory("activations")
        defer { try? FileManager.default.removeItem(at: dir) }
        var llama = Self.header()
        llama.modelType = "llama"
        llama.pooling = ActivationsLayout.requiredPooling(modelType: "llama")
        let good = dir.appendingPathComponent("llama.h5")
        try Self.write(good, header: llama, counts: ["a": 0..<2, "b": 0..<2], batchSize: 2)
        #expect(try HDF5File(url: good, mode: .readOnly).root.stringAttribute("pooling") == "mean_without_sink")
        #expect(try ActivationsSet(url: good).header.pooling == "mean_without_sink")
        #expect(Self.header().pooling == "mean")  // bert: every content token

        llama.pooling = "mean"
        let old = dir.appendingPathComponent("old-llama.h5")
        try Self.write(old, header: llama, counts: ["a": 0..<2, "b": 0..<2], batchSize: 2)
        #expect {
            try ActivationsSet(url: old)
        } throws: { error in
            let message = "\(error)"
            return message.contains("pooling") && message.contains("HINT: re-run `extract`") && message.contains(old.path)
        }
        llama.pooling = "median"
        let odd = dir.appendingPathComponent("odd.h5")
        try Self.write(odd, header: llama, counts: ["a": 0..<2, "b": 0..<2], batchSize: 2)
        #expect(throws: ActivationsError.self) { try ActivationsSet(url: odd) }
    }

    @Test func writtenFileHasSpecLayoutAndReadsBack() throws {
        let dir = try Fixtures.temporaryDirectory("activations")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.h5")
        try Self.write(url, header: Self.header(), counts: ["a": 0..<7, "b": 0..<4], batchSize: 3)

        // SPEC §5's names, types and shapes, as a foreign reader sees them through plain HDF5.
        let file = try HDF5File(url: url, mode: .readOnly)
        #expect(try file.root.stringAttribute("format") == "codebook-activations")
        #expect(try file.root.intAttribute("format_version") == 1)
        #expect(try file.root.intAttribute("num_layers") == Self.layers)
        #expect(try file.root.intAttribute("levels") == 64)
        let a = try file.root.openGroup("conditions").openGroup("a")
        let t = (0..<7).reduce(0) { $0 + $1 % 3 + 1 }
        #expect(try a.openDataset("ids").shape == [7])
        #expect(try a.openDataset("split").elementType == .uint8)
        #expect(try a.openDataset("token_offsets").read(as: Int64.self) == [0, 1, 3, 6, 7, 9, 12, 13])
        #expect(try a.openDataset("token_ids").elementType == .int32)
        #expect(try a.openDataset("token_perturbations").shape == [t, Self.layers, 64])
        #expect(try a.openDataset("prompt_perturbations").shape == [7, Self.layers, 64])
        #expect(try a.openDataset("hidden_mean").shape == [7, Self.layers, Self.hidden])
        #expect(try a.openDataset("hidden_last").shape == [7, Self.hidden])
        #expect(try a.openDataset("truncated").elementType == .uint8)
        try file.close()

        let set = try ActivationsSet(url: url)
        #expect(set.header == Self.header())
        let read = try set.condition("a")
        let expected = Self.batch("a", 0..<7)
        #expect(read.index.ids == expected.ids)
        #expect(read.index.splits == expected.splits)
        #expect(read.index.truncated == expected.truncated)
        #expect(read.promptPerturbations == expected.promptPerturbations)
        #expect(read.hiddenMean == expected.hiddenMean)
        #expect(Array(read.promptPerturbation(2, layer: 1)) == Array(expected.promptPerturbations[(2 * 3 + 1) * 64..<(2 * 3 + 2) * 64]))
        // Token perturbations of one layer, in token order.
        let layer1 = try set.tokenPerturbations("a", layer: 1)
        #expect(layer1.count == t * 64)
        for row in 0..<t { #expect(Array(layer1[(row * 64)..<(row * 64 + 64)]) == Array(expected.tokenPerturbations[((row * 3 + 1) * 64)..<((row * 3 + 1) * 64 + 64)])) }
    }

    @Test func shardsMergeBackIntoCatalogOrder() throws {
        let dir = try Fixtures.temporaryDirectory("shards")
        defer { try? FileManager.default.removeItem(at: dir) }
        let counts = ["a": 0..<10, "b": 0..<3]
        let whole = dir.appendingPathComponent("whole.h5")
        try Self.write(whole, header: Self.header(), counts: counts, batchSize: 4)
        var shards: [URL] = []
        for i in 0..<3 {
            let url = dir.appendingPathComponent("shard\(i).h5")
            try Self.write(url, header: Self.header(shard: i, of: 3), counts: counts, batchSize: 2, keep: { $0 % 3 == i })
            shards.append(url)
        }
        let merged = try ActivationsSet(urls: shards.reversed())
        let single = try ActivationsSet(url: whole)
        for condition in ["a", "b"] {
            let m = try merged.condition(condition), s = try single.condition(condition)
            #expect(m.index == s.index)
            #expect(m.promptPerturbations == s.promptPerturbations)
            #expect(m.hiddenMean == s.hiddenMean)
            #expect(try merged.tokenPerturbations(condition, layer: 2) == single.tokenPerturbations(condition, layer: 2))
        }
        // Missing or repeated shards are refused, naming what is wrong.
        #expect(throws: ActivationsError.self) { try ActivationsSet(urls: Array(shards.prefix(2))) }
        #expect(throws: ActivationsError.self) { try ActivationsSet(urls: [shards[0], shards[0], shards[1]]) }
        #expect(throws: ActivationsError.self) { try ActivationsSet(urls: [whole, shards[1]]) }
    }

    /// The other hidden poolings (issue #14): stored as asked, read back, and merged from shards by each
    /// prompt's own window rows; `hidden_mean_all_tokens` only for a model with an attention sink.
    @Test(arguments: ["bert", "llama"]) func hiddenPoolingsReadBackAndMergeFromShards(modelType: String) throws {
        let dir = try Fixtures.temporaryDirectory("poolings")
        defer { try? FileManager.default.removeItem(at: dir) }
        func header(shard: Int = 0, of count: Int = 1) -> ActivationsHeader {
            var header = Self.header(shard: shard, of: count)
            (header.modelType, header.pooling) = (modelType, ActivationsLayout.requiredPooling(modelType: modelType))
            return header
        }
        let sink = modelType == "llama", (layers, hidden) = (Self.layers, Self.hidden)
        let counts = ["a": 0..<7, "b": 0..<4]
        let whole = dir.appendingPathComponent("whole.h5")
        try Self.write(whole, header: header(), counts: counts, batchSize: 3, poolings: true)

        // Names, types and shapes as a foreign reader sees them.
        let file = try HDF5File(url: whole, mode: .readOnly)
        let a = try file.root.openGroup("conditions").openGroup("a")
        #expect(try a.contains("hidden_mean_all_tokens") == sink)
        if sink { #expect(try a.openDataset("hidden_mean_all_tokens").shape == [7, layers, hidden]) }
        #expect(try a.openDataset("hidden_last_token").shape == [7, layers, hidden])
        #expect(try a.openDataset("window_offsets").elementType == .int64)
        #expect(try a.openDataset("window_offsets").read(as: Int64.self) == [0, 1, 3, 4, 6, 7, 9, 10])
        #expect(try a.openDataset("hidden_windows").shape == [10, layers, hidden])
        try file.close()

        var shards: [URL] = []
        for i in 0..<3 {
            let url = dir.appendingPathComponent("shard\(i).h5")
            try Self.write(url, header: header(shard: i, of: 3), counts: counts, batchSize: 2, poolings: true, keep: { $0 % 3 == i })
            shards.append(url)
        }
        for set in [try ActivationsSet(url: whole), try ActivationsSet(urls: shards)] {
            for condition in ["a", "b"] {
                let read = try set.condition(condition)
                let expected = Self.batch(condition, counts[condition]!, poolings: true, sink: sink)
                #expect(read.hiddenMeanAllTokens == (sink ? expected.hiddenMeanAllTokens : nil))
                #expect(read.hiddenLastToken == expected.hiddenLastToken)
                #expect(read.windowOffsets == expected.windowCounts.reduce(into: [0]) { $0.append($0.last! + $1) })
                #expect(read.hiddenWindows == expected.hiddenWindows)
                #expect(read.poolings(modelType: modelType) == HiddenPooling.available(modelType: modelType))
                // Prompt 3 has two windows: window rows 4 and 5.
                let windows = read.hidden(3, layer: 1, pooling: .windowMax)
                #expect(windows.map(Array.init) == [4, 5].map { Array(expected.hiddenWindows[(($0 * layers + 1) * hidden)..<(($0 * layers + 2) * hidden)]) })
                #expect(Array(read.hidden(3, layer: 1, pooling: .lastToken)[0]) == Array(expected.hiddenLastToken[((3 * layers + 1) * hidden)..<((3 * layers + 2) * hidden)]))
                let allTokens = sink ? expected.hiddenMeanAllTokens : expected.hiddenMean  // bert: its mean
                #expect(Array(read.hidden(3, layer: 1, pooling: .meanAllTokens)[0]) == Array(allTokens[((3 * layers + 1) * hidden)..<((3 * layers + 2) * hidden)]))
            }
        }

        // A shard extracted before the other poolings leaves them out of the merge, not the mean.
        try Self.write(shards[1], header: header(shard: 1, of: 3), counts: counts, batchSize: 2, keep: { $0 % 3 == 1 })
        let mixed = try ActivationsSet(urls: shards).condition("a")
        #expect(mixed.hiddenMeanAllTokens == nil && mixed.hiddenLastToken == nil && mixed.windowOffsets == nil && mixed.hiddenWindows == nil)
        #expect(mixed.poolings(modelType: modelType) == [.mean])
        #expect(mixed.hiddenMean == (try ActivationsSet(url: whole).condition("a").hiddenMean))
    }

    /// A file without the other poolings (written before them) still reads: their fields are nil and
    /// `mean` is the one pooling it offers. The committed fixtures read, whether they have them or not.
    @Test func aFileWithoutTheOtherPoolingsStillReads() throws {
        let dir = try Fixtures.temporaryDirectory("no-poolings")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.h5")
        try Self.write(url, header: Self.header(), counts: ["a": 0..<3, "b": 0..<2], batchSize: 2)
        #expect(try !HDF5File(url: url, mode: .readOnly).root.openGroup("conditions").openGroup("a").contains("hidden_windows"))
        let set = try ActivationsSet(url: url)
        for name in set.conditions {
            let condition = try set.condition(name)
            #expect(condition.hiddenMeanAllTokens == nil && condition.hiddenLastToken == nil)
            #expect(condition.windowOffsets == nil && condition.hiddenWindows == nil)
            #expect(condition.poolings(modelType: "bert") == [.mean])
        }
        for fixture in ["compile/activations.h5", "evaluation/ties.h5", "evaluation/hidden_8.h5", "evaluation/other_model.h5"] {
            let set = try ActivationsSet(url: Fixtures.url(fixture))
            for name in set.conditions {
                let condition = try set.condition(name)
                let poolings = condition.poolings(modelType: set.header.modelType)
                #expect(poolings.first == .mean)
                #expect(poolings.contains(.lastToken) == (condition.hiddenLastToken != nil))
                #expect(poolings.contains(.windowMax) == (condition.hiddenWindows != nil))
            }
        }
    }

    /// A batch carries every other pooling or none, in the shapes its prompts ask for.
    @Test func aBatchWithoutItsPoolingsIsRefused() throws {
        let (layers, hidden) = (Self.layers, Self.hidden)
        let plain = Self.batch("a", 0..<4), full = Self.batch("a", 0..<4, poolings: true, sink: true)
        try plain.validate(layers: layers, hiddenSize: hidden)
        try full.validate(layers: layers, hiddenSize: hidden, poolings: true, sink: true)
        #expect { try plain.validate(layers: layers, hiddenSize: hidden, poolings: true) } throws: { "\($0)".contains("hidden_last_token") }
        #expect { try full.validate(layers: layers, hiddenSize: hidden) } throws: { "\($0)".contains("hidden_mean_all_tokens") }
        #expect { try full.validate(layers: layers, hiddenSize: hidden, poolings: true, sink: false) } throws: { "\($0)".contains("hidden_mean_all_tokens") }
        var short = full
        short.hiddenWindows.removeLast(layers * hidden)
        #expect { try short.validate(layers: layers, hiddenSize: hidden, poolings: true, sink: true) } throws: { "\($0)".contains("hidden_windows") }
        var empty = full
        (empty.windowCounts[0], empty.windowCounts[1]) = (0, empty.windowCounts[1] + 1)
        #expect { try empty.validate(layers: layers, hiddenSize: hidden, poolings: true, sink: true) } throws: { "\($0)".contains("window counts") }
    }

    @Test func foreignOrFutureFilesAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(at: dir) }
        let foreign = dir.appendingPathComponent("foreign.h5")
        let file = try HDF5File(url: foreign, mode: .create)
        try file.root.setAttribute("format", "something-else")
        try file.close()
        #expect { try ActivationsReader(url: foreign) } throws: { "\($0)".contains("not a codebook activations file") }

        let future = dir.appendingPathComponent("future.h5")
        try Self.write(future, header: Self.header(), counts: ["a": 0..<1, "b": 0..<1], batchSize: 1)
        let rw = try HDF5File(url: future, mode: .readWrite)
        try rw.root.setAttribute("format_version", 2)
        try rw.close()
        #expect { try ActivationsReader(url: future) } throws: { "\($0)".contains("format_version 2") && "\($0)".contains("re-run `extract`") }

        let text = dir.appendingPathComponent("text.h5")
        try Data("not hdf5".utf8).write(to: text)
        #expect(throws: HDF5Error.self) { try ActivationsReader(url: text) }
    }

    @Test func nonFiniteActivationsAreRefusedWhereRead() throws {
        let dir = try Fixtures.temporaryDirectory("nan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nan.h5")
        let writer = try ActivationsWriter(creating: url, header: Self.header())
        for condition in ["a", "b"] {
            try writer.beginCondition(condition)
            var b = Self.batch(condition, 0..<2)
            if condition == "b" { b.hiddenMean[3] = .nan }
            try writer.append(b)
            try writer.endCondition()
        }
        try writer.close()
        let set = try ActivationsSet(url: url)
        _ = try set.condition("a")
        #expect { try set.condition("b") } throws: { "\($0)".contains("/conditions/b/hidden_mean") && "\($0)".contains("not finite") }
    }
}
