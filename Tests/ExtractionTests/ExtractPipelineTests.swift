import Activations
import CodebookRuntime
import DetectorModels
@testable import Extraction
import Foundation
import TestSupport
import Testing

/// The extract stage end to end on the tiny Llama fixture: the file's content against the detector
/// itself, resume, shards, and that bad input stops everything before model work.
struct ExtractPipelineTests {
    static let tinyModel = Fixtures.url("models/tiny-llama")

    /// A catalog of two conditions of `count` prompts each, in a fresh folder.
    static func catalog(count: Int = 7, extraLine: String? = nil) throws -> URL {
        let dir = try Fixtures.temporaryDirectory("catalog")
        let catalog = #"{"format_version": 1, "contrasts": [{"name": "ask_vs_tell", "positive": "ask", "negative": "tell"}]}"#
        try Data(catalog.utf8).write(to: dir.appendingPathComponent("catalog.json"))
        for condition in ["ask", "tell"] {
            var lines = (0..<count).map { i in
                let text = condition == "ask" ? "Could you please tell me item \(i) of the list?" : "Item \(i) is on the list, \(String(repeating: "very ", count: i))long."
                return #"{"id": "\#(condition)-\#(i)", "text": "\#(text)", "split": "\#(i % 3 == 2 ? "heldout" : "train")"}"#
            }
            if condition == "ask", let extraLine { lines.append(extraLine) }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("\(condition).jsonl"))
        }
        return dir
    }

    static func request(_ catalog: URL, _ out: URL, model: URL = tinyModel) -> ExtractionRequest {
        var request = ExtractionRequest(model: model, catalog: catalog, output: out)
        request.batchSize = 2
        request.maxTokens = 12
        return request
    }

    @Test func fileHoldsTheDetectorsActivations() throws {
        let catalogDir = try Self.catalog()
        let dir = try Fixtures.temporaryDirectory("extract")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let out = dir.appendingPathComponent("a.h5")
        let summary = try Extractor.run(Self.request(catalogDir, out))
        #expect(summary.prompts == 14 && summary.conditions == 2 && summary.layers == 4)
        #expect(!FileManager.default.fileExists(atPath: out.path + ".parts"))

        let set = try ActivationsSet(url: out)
        #expect(set.header.conditions == ["ask", "tell"])
        #expect(set.header.contrasts == [Contrast(name: "ask_vs_tell", positive: "ask", negative: "tell")])
        #expect(set.header.modelSHA256 == (try SHA256.hexDigest(ofFileAt: Self.tinyModel.appendingPathComponent("model.safetensors"))))
        #expect(set.header.pooling == "mean_without_sink")  // a llama model: SPEC §3's attention sink
        let detector = try Detector(directory: Self.tinyModel)
        let icdf = try ICDFPerturbation(dimension: detector.description.hiddenSize)
        let catalog = try Catalog.load(directory: catalogDir)
        let layers = detector.description.numLayers, d = detector.description.hiddenSize
        for name in ["ask", "tell"] {
            let condition = try set.condition(name)
            let tokens = try set.tokenPerturbations(name, layer: layers - 1)
            #expect(condition.index.ids == catalog.prompts[name]!.map(\.id))
            #expect(condition.index.splits == catalog.prompts[name]!.map(\.split.rawValue))
            for (i, prompt) in catalog.prompts[name]!.enumerated() {
                // The same prompt run alone: packing may change BLAS's rounding, not the values.
                let encoding = detector.encode(prompt.text, maxContentTokens: 12)
                let state = try detector.hiddenStates([encoding])[0]
                let content = encoding.isSpecial.indices.filter { !encoding.isSpecial[$0] }
                #expect(condition.index.tokenOffsets[i + 1] - condition.index.tokenOffsets[i] == content.count)
                #expect(condition.index.truncated[i] == (encoding.truncated ? 1 : 0))
                let last = content.last!
                let expected = try icdf.perturbation(of: Array(state.vector(layer: layers - 1, token: last)))
                let row = condition.index.tokenOffsets[i + 1] - 1
                // Float32 forward passes of a 4-layer model agree to ~1e-6; the quantiles of a
                // standardized vector move by as much: 1e-4 absolute is ample and still catches any
                // wrong token, layer or order.
                for k in 0..<64 { #expect(abs(Double(tokens[row * 64 + k]) - expected[k]) < 1e-4) }
                // Pooled values leave the first content token out when there are two or more (SPEC §3).
                let pooled = content.count >= 2 ? Array(content[1...]) : content
                var mean = [Double](repeating: 0, count: d)
                for position in pooled { for j in 0..<d { mean[j] += Double(Array(state.vector(layer: 2, token: position))[j]) } }
                let hiddenMean = Array(condition.hiddenMean(i, layer: 2))
                for j in 0..<d { #expect(abs(Double(hiddenMean[j]) - mean[j] / Double(pooled.count)) < 1e-4) }
                // The prompt perturbation is the mean of the stored token perturbations over the same tokens.
                let first = condition.index.tokenOffsets[i], rows = (first + content.count - pooled.count)..<condition.index.tokenOffsets[i + 1]
                let promptPerturbation = Array(condition.promptPerturbation(i, layer: layers - 1))
                for k in 0..<64 {
                    let expected = rows.reduce(0.0) { $0 + Double(tokens[$1 * 64 + k]) } / Double(rows.count)
                    #expect(abs(Double(promptPerturbation[k]) - expected) < 1e-6)
                }
            }
        }
    }

    /// The other hidden poolings (issue #14), against the detector run on each prompt alone and pooled
    /// as SPEC §3 and `Pooling.windows` say; and a sharded, interrupted and resumed run stores the same.
    @Test func fileHoldsTheOtherHiddenPoolings() throws {
        // Long enough for several windows of 32 pooled tokens; the short ones have one.
        let long = (0..<40).map { "word\($0)" }.joined(separator: " ")
        let catalogDir = try Self.catalog(count: 4, extraLine: #"{"id": "ask-long", "text": "\#(long)"}"#)
        let dir = try Fixtures.temporaryDirectory("poolings")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let maxTokens = 80
        func request(_ name: String, shard: Shard = .whole) -> ExtractionRequest {
            var request = Self.request(catalogDir, dir.appendingPathComponent(name))
            (request.maxTokens, request.shard) = (maxTokens, shard)
            return request
        }
        let whole = try Extractor.run(request("whole.h5")).output

        let set = try ActivationsSet(url: whole), reader = try ActivationsReader(url: whole)
        let detector = try Detector(directory: Self.tinyModel)
        let catalog = try Catalog.load(directory: catalogDir)
        let layers = detector.description.numLayers, d = detector.description.hiddenSize
        var windowCounts: [Int] = []
        for name in ["ask", "tell"] {
            let condition = try set.condition(name)
            #expect(condition.poolings(modelType: "llama") == HiddenPooling.allCases)
            let offsets = try #require(condition.windowOffsets)
            let hiddenLast = try reader.hiddenLast(name, prompts: condition.count)
            for (i, prompt) in catalog.prompts[name]!.enumerated() {
                let encoding = detector.encode(prompt.text, maxContentTokens: maxTokens)
                let state = try detector.hiddenStates([encoding])[0]
                let content = encoding.isSpecial.indices.filter { !encoding.isSpecial[$0] }
                let pooled = content.count >= 2 ? Array(content[1...]) : content  // SPEC §3's attention sink
                let windows = Pooling.windows(count: pooled.count)
                #expect(offsets[i + 1] - offsets[i] == windows.count)
                windowCounts.append(windows.count)
                func mean(_ positions: some Collection<Int>, layer: Int) -> [Double] {
                    positions.reduce(into: [Double](repeating: 0, count: d)) { sum, position in
                        for (j, v) in state.vector(layer: layer, token: position).enumerated() { sum[j] += Double(v) / Double(positions.count) }
                    }
                }
                func close(_ stored: ArraySlice<Float>, _ expected: [Double]) -> Bool {
                    zip(stored, expected).allSatisfy { abs(Double($0) - $1) < 1e-4 }
                }
                for layer in 0..<layers {
                    let lastToken = condition.hidden(i, layer: layer, pooling: .lastToken)[0]
                    #expect(close(lastToken, state.vector(layer: layer, token: content.last!).map(Double.init)))
                    let allTokens = condition.hidden(i, layer: layer, pooling: .meanAllTokens)[0]
                    #expect(close(allTokens, mean(content, layer: layer)))
                    if content.count >= 2 { #expect(allTokens != condition.hiddenMean(i, layer: layer)) }  // the sink is in it
                    let stored = condition.hidden(i, layer: layer, pooling: .windowMax)
                    for (window, range) in zip(stored, windows) { #expect(close(window, mean(pooled[range], layer: layer))) }
                    // One window is every pooled token: the mean itself, computed the same way.
                    if windows.count == 1 { #expect(stored[0] == condition.hiddenMean(i, layer: layer)) }
                }
                // The last layer of hidden_last_token is SPEC §5's hidden_last.
                #expect(condition.hidden(i, layer: layers - 1, pooling: .lastToken)[0] == hiddenLast[(i * d)..<((i + 1) * d)])
            }
        }
        #expect(windowCounts.contains(1) && windowCounts.contains { $0 >= 3 })

        // Shard 1/2 interrupted, then resumed; parts from before the other poolings are not resumed.
        let shard0 = try Extractor.run(request("s0.h5", shard: try Shard(index: 0, count: 2))).output
        var interrupted = request("s1.h5", shard: try Shard(index: 1, count: 2))
        interrupted.stopAfterBatches = 1
        #expect(throws: ExtractionError.self) { try Extractor.run(interrupted) }
        let manifest = dir.appendingPathComponent("s1.h5.parts/manifest.json")
        let current = try Data(contentsOf: manifest)
        var old = try #require(JSONSerialization.jsonObject(with: current) as? [String: Any])
        old["hiddenPoolings"] = nil
        try JSONSerialization.data(withJSONObject: old).write(to: manifest)
        var resume = request("s1.h5", shard: try Shard(index: 1, count: 2))
        resume.resume = true
        #expect { try Extractor.run(resume) } throws: { "\($0)".contains("pooling") }
        try current.write(to: manifest)
        #expect(try Extractor.run(resume).resumedBatches == 1)
        let merged = try ActivationsSet(urls: [shard0, resume.output])
        for name in ["ask", "tell"] {
            let m = try merged.condition(name), s = try set.condition(name)
            #expect(m.index == s.index && m.windowOffsets == s.windowOffsets)
            // Different batches pack different prompts together; values agree within BLAS rounding.
            for (a, b) in [(m.hiddenMeanAllTokens, s.hiddenMeanAllTokens), (m.hiddenLastToken, s.hiddenLastToken), (m.hiddenWindows, s.hiddenWindows)] {
                let (a, b) = (try #require(a), try #require(b))
                #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 })
            }
        }
    }

    /// A model without an attention sink (bert) stores no `hidden_mean_all_tokens`: it would be `hidden_mean`.
    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs models/all-MiniLM-L6-v2 (make model)"))
    func aModelWithoutASinkHasNoMeanOverAllTokens() throws {
        let catalogDir = try Self.catalog(count: 3)
        let dir = try Fixtures.temporaryDirectory("bert-poolings")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let out = try Extractor.run(Self.request(catalogDir, dir.appendingPathComponent("a.h5"), model: Fixtures.defaultModelDirectory!)).output
        let set = try ActivationsSet(url: out)
        #expect(set.header.modelType == "bert")
        let condition = try set.condition("ask")
        #expect(condition.hiddenMeanAllTokens == nil)
        #expect(condition.poolings(modelType: "bert") == [.mean, .lastToken, .windowMax])
        #expect(condition.windowOffsets == Array(0...condition.count))  // at most 12 tokens: one window each
        for i in 0..<condition.count { #expect(condition.hidden(i, layer: 3, pooling: .windowMax) == [condition.hiddenMean(i, layer: 3)]) }
    }

    @Test func resumeAfterAnInterruptionGivesTheSameFile() throws {
        let catalogDir = try Self.catalog()
        let dir = try Fixtures.temporaryDirectory("resume")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let whole = dir.appendingPathComponent("whole.h5"), resumed = dir.appendingPathComponent("resumed.h5")
        _ = try Extractor.run(Self.request(catalogDir, whole))

        var interrupted = Self.request(catalogDir, resumed)
        interrupted.stopAfterBatches = 3
        #expect(throws: ExtractionError.self) { try Extractor.run(interrupted) }
        #expect(!FileManager.default.fileExists(atPath: resumed.path))  // nothing that looks complete

        // A resume with other settings is refused rather than mixing two runs.
        var mismatched = Self.request(catalogDir, resumed)
        (mismatched.resume, mismatched.maxTokens) = (true, 5)
        #expect { try Extractor.run(mismatched) } throws: { "\($0)".contains("--max-tokens") }

        var resume = Self.request(catalogDir, resumed)
        resume.resume = true
        let summary = try Extractor.run(resume)
        #expect(summary.resumedBatches == 3)
        #expect(try Data(contentsOf: resumed) == Data(contentsOf: whole))
    }

    /// The parts are written by the background stage: its failure must stop the run with the error
    /// a failed write always gave, keep the parts finished before it, and leave nothing else.
    @Test func aPartWriteFailingInTheBackgroundKeepsTheFinishedParts() throws {
        let catalogDir = try Self.catalog()
        let dir = try Fixtures.temporaryDirectory("write-failure")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let whole = dir.appendingPathComponent("whole.h5"), out = dir.appendingPathComponent("a.h5")
        _ = try Extractor.run(Self.request(catalogDir, whole))

        var failing = Self.request(catalogDir, out)
        failing.failPartWriteAfterBatches = 5  // the second condition's first batch (4 batches of 2 for 7 prompts)
        let parts = dir.appendingPathComponent("a.h5.parts")
        #expect {
            try Extractor.run(failing)
        } throws: { error in
            guard case let .cannotWrite(path, detail) = error as? ExtractionError else { return false }
            return path == parts.path && detail.contains("No space left on device") && detail.contains("--resume")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let kept = try FileManager.default.contentsOfDirectory(atPath: parts.path).sorted()
        #expect(kept == ["c000-b00000.safetensors", "c000-b00001.safetensors", "c000-b00002.safetensors",
                         "c000-b00003.safetensors", "c001-b00000.safetensors", "manifest.json"])

        var resume = Self.request(catalogDir, out)
        resume.resume = true
        #expect(try Extractor.run(resume).resumedBatches == 5)
        #expect(try Data(contentsOf: out) == Data(contentsOf: whole))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.h5", "whole.h5"])
    }

    @Test func shardsCoverTheCatalogExactlyOnce() throws {
        let catalogDir = try Self.catalog()
        let dir = try Fixtures.temporaryDirectory("shards")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let whole = dir.appendingPathComponent("whole.h5")
        _ = try Extractor.run(Self.request(catalogDir, whole))
        var shards: [URL] = []
        var seen: [String] = []
        for i in 0..<3 {
            var request = Self.request(catalogDir, dir.appendingPathComponent("shard-\(i).h5"))
            request.shard = try Shard(index: i, count: 3)
            _ = try Extractor.run(request)
            shards.append(request.output)
            let set = try ActivationsReader(url: request.output)
            for name in ["ask", "tell"] { seen += try set.index(of: name).ids }
        }
        let catalog = try Catalog.load(directory: catalogDir)
        #expect(seen.sorted() == catalog.prompts.values.flatMap { $0.map(\.id) }.sorted())  // each id once
        let merged = try ActivationsSet(urls: shards), single = try ActivationsSet(url: whole)
        for name in ["ask", "tell"] {
            let m = try merged.condition(name), s = try single.condition(name)
            #expect(m.index == s.index)
            // Different batches pack different prompts together; values agree within BLAS rounding.
            for (a, b) in zip(m.promptPerturbations, s.promptPerturbations) { #expect(abs(a - b) < 1e-4) }
        }
    }

    @Test func aBadCatalogStopsBeforeAnyModelWork() throws {
        let catalogDir = try Self.catalog(extraLine: #"{"id": "ask-1", "text": "a duplicate id"}"#)
        let dir = try Fixtures.temporaryDirectory("bad")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let out = dir.appendingPathComponent("a.h5")
        // The model folder does not exist: the catalog's error must come first.
        let request = Self.request(catalogDir, out, model: dir.appendingPathComponent("no-model"))
        #expect { try Extractor.run(request) } throws: { ($0 as? CatalogError) != nil && "\($0)".contains("ask.jsonl") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs models/all-MiniLM-L6-v2 (make model)"))
    func aPromptWithNoContentTokenIsNamed() throws {
        // BERT's normalizer drops control characters: this text has no token at all.
        let catalogDir = try Self.catalog(extraLine: #"{"id": "ask-silent", "text": "\u0007\u0008"}"#)
        let dir = try Fixtures.temporaryDirectory("silent")
        defer { for url in [catalogDir, dir] { try? FileManager.default.removeItem(at: url) } }
        let request = Self.request(catalogDir, dir.appendingPathComponent("a.h5"), model: Fixtures.defaultModelDirectory!)
        #expect { try Extractor.run(request) } throws: { "\($0)".contains("ask-silent") && "\($0)".contains("no content token") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
