import Foundation
@testable import SafeTensors
import TestSupport
import Testing

/// Checkpoint folders as transformers writes them: one `model.safetensors`, or an index and shards.
struct CheckpointTests {
    struct Tensor: Decodable {
        let shape: [Int]
        let float32_bits: [UInt32]
    }

    static func expected() throws -> [String: [String: Tensor]] {
        try JSONDecoder().decode([String: [String: Tensor]].self, from: Data(contentsOf: Fixtures.url("safetensors/checkpoints.json")))
    }

    @Test(arguments: ["single", "sharded"])
    func loadsEveryTensor(folder: String) throws {
        let directory = Fixtures.url("safetensors/\(folder)")
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        let expected = try #require(try Self.expected()[folder])
        #expect(checkpoint.tensorNames == expected.keys.sorted())
        for (name, tensor) in expected {
            #expect(checkpoint.info(name)?.shape == tensor.shape, "\(name)")
            #expect(try checkpoint.floats(name, shape: tensor.shape).map(\.bitPattern) == tensor.float32_bits, "\(name)")
        }
        #expect(checkpoint.info("missing") == nil)
        #expect(throws: SafeTensorsError.tensorNotFound(path: checkpoint.weightsFile.path, tensor: "missing")) {
            try checkpoint.floats("missing")
        }
    }

    @Test func weightsFileIsTheSingleFileOrTheIndex() throws {
        let single = try SafeTensorsCheckpoint(directory: Fixtures.url("safetensors/single"))
        #expect(single.weightsFile.lastPathComponent == "model.safetensors")
        #expect(single.files.count == 1)
        let sharded = try SafeTensorsCheckpoint(directory: Fixtures.url("safetensors/sharded"))
        #expect(sharded.weightsFile.lastPathComponent == "model.safetensors.index.json")
        #expect(sharded.files.map(\.url.lastPathComponent) == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        #expect(try sharded.file(containing: "layers.1.bias").url.lastPathComponent == "model-00002-of-00002.safetensors")
    }

    /// A copy of the sharded fixture whose index is replaced by `index`, opened.
    static func openSharded(index: String) throws -> Result<SafeTensorsCheckpoint, SafeTensorsError> {
        let directory = try Fixtures.temporaryDirectory("safetensors-index")
        defer { try? FileManager.default.removeItem(at: directory) }  // cleanup only
        for shard in ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] {
            try FileManager.default.copyItem(at: Fixtures.url("safetensors/sharded/\(shard)"), to: directory.appendingPathComponent(shard))
        }
        try Data(index.utf8).write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        do {
            return .success(try SafeTensorsCheckpoint(directory: directory))
        } catch let error as SafeTensorsError {
            return .failure(error)
        }
    }

    static func failure(_ result: Result<SafeTensorsCheckpoint, SafeTensorsError>) -> SafeTensorsError? {
        if case .failure(let error) = result { error } else { nil }
    }

    @Test func indexMustAgreeWithItsShards() throws {
        let complete = """
            "embeddings.weight": "model-00001-of-00002.safetensors", "layers.0.weight": "model-00001-of-00002.safetensors",
            "layers.1.bias": "model-00002-of-00002.safetensors", "layers.1.weight": "model-00002-of-00002.safetensors"
            """
        // The fixture's index, retyped: loads.
        #expect(Self.failure(try Self.openSharded(index: "{\"weight_map\": {\(complete)}}")) == nil)
        // A tensor listed but absent from its shard.
        let extra = try Self.openSharded(index: "{\"weight_map\": {\(complete), \"ghost\": \"model-00001-of-00002.safetensors\"}}")
        guard case .invalidCheckpoint(_, let ghost)? = Self.failure(extra) else {
            Issue.record("listed tensor missing from its shard: accepted")
            return
        }
        #expect(ghost.contains("\"ghost\""))
        // A shard tensor the index does not list.
        let partial = """
            {"weight_map": {"embeddings.weight": "model-00001-of-00002.safetensors", "layers.0.weight": "model-00001-of-00002.safetensors",
            "layers.1.weight": "model-00002-of-00002.safetensors"}}
            """
        guard case .invalidCheckpoint(_, let unlisted)? = Self.failure(try Self.openSharded(index: partial)) else {
            Issue.record("unlisted shard tensor: accepted")
            return
        }
        #expect(unlisted.contains("\"layers.1.bias\""))
        // A tensor listed in the wrong shard.
        let swapped = complete.replacingOccurrences(of: "\"layers.1.bias\": \"model-00002", with: "\"layers.1.bias\": \"model-00001")
        #expect(Self.failure(try Self.openSharded(index: "{\"weight_map\": {\(swapped)}}")).map(MalformedFileTests.kind) == "invalidCheckpoint")
    }

    @Test func malformedIndexesAreRefused() throws {
        func kind(_ index: String) throws -> String? {
            Self.failure(try Self.openSharded(index: index)).map(MalformedFileTests.kind)
        }
        #expect(try kind("{\"weight_map\": {\"a\": \"../model-00001-of-00002.safetensors\"}}") == "invalidCheckpoint")
        #expect(try kind("{\"weight_map\": {\"a\": \"/etc/passwd\"}}") == "invalidCheckpoint")
        #expect(try kind("{\"weight_map\": {\"a\": 1}}") == "invalidCheckpoint")
        #expect(try kind("{\"metadata\": {}}") == "invalidCheckpoint")
        #expect(try kind("{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}") == "duplicateKey")
        #expect(try kind("{\"weight_map\": {") == "invalidJSON")
        // A shard the index names but the folder lacks.
        #expect(try kind("{\"weight_map\": {\"a\": \"model-00003-of-00002.safetensors\"}}") == "io")
    }

    @Test func folderWithoutWeightsIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory("safetensors-empty")
        defer { try? FileManager.default.removeItem(at: directory) }  // cleanup only
        #expect(throws: SafeTensorsError.invalidCheckpoint(path: directory.path, detail: "no model.safetensors or model.safetensors.index.json in the folder")) {
            try SafeTensorsCheckpoint(directory: directory)
        }
    }
}
