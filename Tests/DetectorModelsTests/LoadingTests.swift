import Foundation
import SafeTensors
import Testing
import TestSupport
@testable import DetectorModels

/// `config.json`: both transformers layouts, transformers' defaults, and clear refusals.
@Suite struct ConfigurationTests {
    func llama(_ directory: URL) throws -> LlamaConfiguration {
        guard case let .llama(configuration) = try Architecture.load(directory: directory) else {
            throw DetectorModelsError.unsupportedModelType(path: directory.path, modelType: "not llama")
        }
        return configuration
    }

    func loadError(_ config: [String: Any], fixture: String = "tiny-llama") throws -> DetectorModelsError? {
        let directory = try snapshot(fixture, config: config)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try Architecture.load(directory: directory)
            return nil
        } catch let error as DetectorModelsError {
            return error
        }
    }

    @Test func transformers4And5LayoutsReadTheSame() throws {
        let v5 = try llama(Fixtures.url("models/tiny-llama"))       // rope_parameters {rope_type, rope_theta}
        let v4 = try llama(Fixtures.url("models/tiny-llama-bf16"))  // top-level rope_theta, rope_scaling: null
        for c in [v4, v5] {
            #expect(c.ropeTheta == 100_000 && c.ropeType == "default")
            #expect(c.hiddenSize == 64 && c.intermediateSize == 128 && c.blocks == 3)
            #expect(c.attentionHeads == 4 && c.keyValueHeads == 2 && c.headDimension == 16)
            #expect(c.rmsNormEpsilon == 1e-5 && c.maxPositionEmbeddings == 256 && c.vocabularySize == 300)
        }
        #expect(v5.tieWordEmbeddings && !v4.tieWordEmbeddings)
    }

    @Test func encodingWritesTheTransformers5Layout() throws {
        let original = try llama(Fixtures.url("models/tiny-llama-bf16"))
        let data = try JSONEncoder().encode(original)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["rope_parameters"] as? [String: Any])?["rope_theta"] as? Double == 100_000)
        #expect(object["rope_theta"] == nil)
        #expect(try JSONDecoder().decode(LlamaConfiguration.self, from: data).ropeTheta == original.ropeTheta)
    }

    @Test func transformersDefaults() throws {
        var config = try configuration(of: "tiny-llama")
        for key in ["head_dim", "num_key_value_heads", "rms_norm_eps", "rope_parameters", "tie_word_embeddings",
                    "max_position_embeddings", "hidden_act", "vocab_size"] {
            config.removeValue(forKey: key)
        }
        let directory = try snapshot("tiny-llama", config: config)
        defer { try? FileManager.default.removeItem(at: directory) }
        let c = try llama(directory)
        #expect(c.headDimension == 16 && c.keyValueHeads == 4)  // hidden / heads, and one KV head per head
        #expect(c.rmsNormEpsilon == 1e-6 && c.ropeTheta == 10_000 && c.ropeType == "default")
        #expect(!c.tieWordEmbeddings && c.maxPositionEmbeddings == 2048 && c.hiddenActivation == "silu")
        #expect(c.vocabularySize == 32000)
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs the default model (make model)"))
    func miniLMConfiguration() throws {
        guard case let .bert(c) = try Architecture.load(directory: try #require(Fixtures.defaultModelDirectory)) else {
            Issue.record("all-MiniLM-L6-v2 is not read as bert")
            return
        }
        #expect(c.hiddenSize == 384 && c.blocks == 6 && c.attentionHeads == 12 && c.intermediateSize == 1536)
        #expect(c.layerNormEpsilon == 1e-12 && c.maxPositionEmbeddings == 512 && c.typeVocabularySize == 2)
        #expect(c.hiddenActivation == "gelu" && c.positionEmbeddingType == "absolute" && c.vocabularySize == 30522)
    }

    @Test func unsupportedModelType() throws {
        var config = try configuration(of: "tiny-llama")
        config["model_type"] = "gpt2"
        let error = try #require(try loadError(config))
        guard case let .unsupportedModelType(_, modelType) = error else { Issue.record("\(error)"); return }
        #expect(modelType == "gpt2")
        #expect(error.description.contains("gpt2") && error.description.contains("config.json"))
    }

    /// Settings whose numerics differ from what we compute are refused, naming the key.
    @Test(arguments: [
        ("rope_parameters", #"{"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0}"#, "rope type"),
        ("rope_scaling", #"{"type": "linear", "factor": 2.0}"#, "rope type"),
        ("rope_parameters", #"{"full_attention": {"rope_type": "default"}}"#, "rope_parameters"),
        ("rope_interleaved", "true", "rope_interleaved"),
        ("hidden_act", #""gelu""#, "hidden_act"),
        ("attention_bias", "true", "attention_bias"),
        ("mlp_bias", "true", "mlp_bias"),
        ("partial_rotary_factor", "0.5", "partial_rotary_factor"),
    ])
    func unsupportedLlamaSetting(key: String, json: String, reported: String) throws {
        var config = try configuration(of: "tiny-llama")
        if key == "rope_scaling" { config.removeValue(forKey: "rope_parameters") }
        config[key] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let error = try #require(try loadError(config))
        guard case let .unsupportedSetting(_, reportedKey, _, _) = error else { Issue.record("\(error)"); return }
        #expect(reportedKey == reported)
    }

    @Test(arguments: [("hidden_act", "gelu_new"), ("position_embedding_type", "relative_key")])
    func unsupportedBertSetting(key: String, value: String) throws {
        let config: [String: Any] = ["model_type": "bert", "hidden_size": 32, "num_hidden_layers": 2,
                                     "num_attention_heads": 4, "intermediate_size": 64, key: value]
        let error = try #require(try loadError(config))
        guard case let .unsupportedSetting(_, reportedKey, reportedValue, _) = error else { Issue.record("\(error)"); return }
        #expect(reportedKey == key && reportedValue.contains(value))
    }

    @Test func inconsistentHeads() throws {
        var config = try configuration(of: "tiny-llama")
        config["num_key_value_heads"] = 3
        let error = try #require(try loadError(config))
        guard case .invalidConfiguration = error else { Issue.record("\(error)"); return }
    }

    @Test func missingKeyAndMissingFile() throws {
        var config = try configuration(of: "tiny-llama")
        config.removeValue(forKey: "hidden_size")
        let error = try #require(try loadError(config))
        guard case let .unreadableConfiguration(_, reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.contains("hidden_size"))

        let empty = try Fixtures.temporaryDirectory("models")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: DetectorModelsError.self) { try Architecture.load(directory: empty) }
    }
}

/// Strict weights: every expected tensor with its shape, every tensor of the file accounted for.
@Suite struct StrictLoadingTests {
    func loadingError(_ fixture: String = "tiny-llama",
                      _ edit: (inout [String: (shape: [Int], values: [Float])]) throws -> Void,
                      extra: (inout SafeTensorsWriter) throws -> Void = { _ in }) throws -> DetectorModelsError? {
        let directory = try editedSnapshot(fixture, edit, extra: extra)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try Detector(directory: directory)
            return nil
        } catch let error as DetectorModelsError {
            return error
        }
    }

    @Test func missingTensor() throws {
        let error = try loadingError { $0.removeValue(forKey: "model.layers.1.mlp.up_proj.weight") }
        guard case let .missingTensor(name, tried, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "model.layers.1.mlp.up_proj.weight")
        #expect(tried == ["model.layers.1.mlp.up_proj.weight", "layers.1.mlp.up_proj.weight"])
        #expect(error?.description.contains("model.layers.1.mlp.up_proj.weight") == true)
    }

    @Test func wrongShape() throws {
        let error = try loadingError { $0["model.layers.0.self_attn.k_proj.weight"]?.shape = [64, 32] }
        guard case let .shapeMismatch(name, expected, actual, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "model.layers.0.self_attn.k_proj.weight" && expected == [32, 64] && actual == [64, 32])
        #expect(error?.description.contains("[32, 64]") == true && error?.description.contains("[64, 32]") == true)
    }

    @Test func unexpectedTensor() throws {
        // A checkpoint with attention biases, under a config that says there are none.
        let error = try loadingError { $0["model.layers.0.self_attn.q_proj.bias"] = ([64], [Float](repeating: 0, count: 64)) }
        guard case let .unexpectedTensors(names, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(names == ["model.layers.0.self_attn.q_proj.bias"])
    }

    @Test func moreBlocksThanTheConfigurationSays() throws {
        var config = try configuration(of: "tiny-llama")
        config["num_hidden_layers"] = 2
        let directory = try snapshot("tiny-llama", config: config)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            _ = try Detector(directory: directory)
        } throws: { error in
            guard case let .unexpectedTensors(names, _) = error as? DetectorModelsError else { return false }
            return names.count == 9 && names.allSatisfy { $0.hasPrefix("model.layers.2.") }
        }
    }

    @Test func integerWeight() throws {
        let error = try loadingError("tiny-llama", { $0.removeValue(forKey: "model.norm.weight") }, extra: {
            try $0.add("model.norm.weight", shape: [64], int64s: [Int64](repeating: 1, count: 64))
        })
        guard case let .unsupportedDType(name, dtype, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "model.norm.weight" && dtype == "I64")
    }

    @Test func lmHeadIsCheckedThenIgnored() throws {
        // Untied head of the right shape: accepted (it plays no part in hidden states).
        let fine = try loadingError { $0["lm_head.weight"] = ([300, 64], [Float](repeating: 0.5, count: 300 * 64)) }
        #expect(fine == nil)
        let error = try loadingError { $0["lm_head.weight"] = ([64, 300], [Float](repeating: 0.5, count: 300 * 64)) }
        guard case let .shapeMismatch(name, _, _, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "lm_head.weight")
    }

    /// Buffers older exports carry are ignored, and do not change the result.
    @Test func rotaryBufferIsIgnored() throws {
        let directory = try editedSnapshot("tiny-llama") {
            $0["model.layers.0.self_attn.rotary_emb.inv_freq"] = ([8], [Float](repeating: 1, count: 8))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let ids = try Reference("tiny-llama").metadata.inputIDs
        let edited = try Detector(directory: directory).hiddenStates(tokenIDs: ids)
        let original = try Detector(directory: Fixtures.url("models/tiny-llama")).hiddenStates(tokenIDs: ids)
        #expect(edited == original)
    }

    /// The BERT loader takes `bert.`-prefixed names (BertForMaskedLM, BertForPreTraining) and ignores
    /// the pooler, the pre-training heads and the id buffers; the hidden states do not change.
    @Test func bertPrefixAndIgnoredTensors() throws {
        let h = 32, inter = 64, vocabulary = 50, positions = 40
        var generator = SplitMix64(seed: 11)
        var tensors: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [vocabulary, h]), ("embeddings.position_embeddings.weight", [positions, h]),
            ("embeddings.token_type_embeddings.weight", [2, h]),
            ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h]),
        ]
        for i in 0..<2 {
            let p = "encoder.layer.\(i)."
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                tensors += [(p + name + ".weight", [h, h]), (p + name + ".bias", [h])]
            }
            tensors += [(p + "intermediate.dense.weight", [inter, h]), (p + "intermediate.dense.bias", [inter]),
                        (p + "output.dense.weight", [h, inter]), (p + "output.dense.bias", [h])]
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                tensors += [(p + norm + ".weight", [h]), (p + norm + ".bias", [h])]
            }
        }
        let values = tensors.map { _, shape in (0..<shape.reduce(1, *)).map { _ in generator.signed() } }
        let config = #"{"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "#
            + #""intermediate_size": 64, "vocab_size": 50, "max_position_embeddings": 40, "layer_norm_eps": 1e-12}"#

        func write(prefix: String, extras: Bool) throws -> URL {
            let directory = try Fixtures.temporaryDirectory("models")
            try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
            var writer = SafeTensorsWriter()
            for ((name, shape), values) in zip(tensors, values) { try writer.add(prefix + name, shape: shape, floats: values) }
            if extras {
                try writer.add(prefix + "embeddings.position_ids", shape: [1, positions], int64s: (0..<Int64(positions)).map { $0 })
                try writer.add(prefix + "pooler.dense.weight", shape: [h, h], floats: [Float](repeating: 0, count: h * h))
                try writer.add(prefix + "pooler.dense.bias", shape: [h], floats: [Float](repeating: 0, count: h))
                try writer.add("cls.predictions.bias", shape: [vocabulary], floats: [Float](repeating: 0, count: vocabulary))
            }
            try writer.write(to: directory.appendingPathComponent("model.safetensors"))
            return directory
        }
        func hiddenStates(_ directory: URL) throws -> [Float] {
            guard case let .bert(configuration) = try Architecture.load(directory: directory) else { return [] }
            let model = try BertModel(configuration: configuration, checkpoint: try SafeTensorsCheckpoint(directory: directory),
                                      kernel: .preferred)
            let batch = try PackedBatch([[1, 7, 9, 2], [1, 3, 2]], description: model.description)
            var states = [Float](repeating: .nan, count: 3 * batch.tokenCount * h)
            states.withUnsafeMutableBufferPointer { model.forward(batch, layers: model.description.numLayers, into: $0.baseAddress!) }
            return states
        }
        let plain = try write(prefix: "", extras: false), prefixed = try write(prefix: "bert.", extras: true)
        defer { for url in [plain, prefixed] { try? FileManager.default.removeItem(at: url) } }
        let expected = try hiddenStates(plain)
        #expect(expected.count == 3 * 7 * h && expected.allSatisfy(\.isFinite))
        #expect(try hiddenStates(prefixed) == expected)
    }

    @Test func tokenErrors() throws {
        let detector = try Detector(directory: Fixtures.url("models/tiny-llama"))
        #expect(throws: DetectorModelsError.tokenOutOfRange(prompt: 1, id: 300, vocabularySize: 300)) {
            try detector.hiddenStates(tokenIDs: [[1, 2], [3, 300]])
        }
        #expect(throws: DetectorModelsError.tokenOutOfRange(prompt: 0, id: -1, vocabularySize: 300)) {
            try detector.hiddenStates(tokenIDs: [[-1]])
        }
        #expect(throws: DetectorModelsError.sequenceTooLong(prompt: 0, tokens: 257, maximum: 256)) {
            try detector.hiddenStates(tokenIDs: [[Int32](repeating: 5, count: 257)])
        }
    }
}
