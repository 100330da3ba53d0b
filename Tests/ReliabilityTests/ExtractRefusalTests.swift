import Foundation
import SafeTensors
import TestSupport
import Testing

/// `extract` on bad catalogs and bad model folders: exit 1, one line naming the file and the line,
/// key or tensor, and nothing written (no activations file, no `.parts` folder, no temporary file).
@Suite struct ExtractRefusalTests {
    static let tinyLlama = Fixtures.url("models/tiny-llama")
    static let goodCatalog = Fixtures.url("catalogs/good")

    /// Runs extract on `catalog` and `model` into an empty folder that must stay empty.
    static func expectExtractRefuses(catalog: URL, model: URL = tinyLlama, in scratch: Scratch, mentions: [String],
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try scratch.folder("out")
        try expectRefusal("extract", ["--model", model.path, "--catalog", catalog.path, "--out", out.appendingPathComponent("a.h5").path],
                          mentions: mentions, untouched: out, sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, sourceLocation: sourceLocation)
    }

    // MARK: - Catalogs

    /// A change to the good catalog and what the one line must then name.
    struct CatalogCase: CustomTestStringConvertible, Sendable {
        let label: String
        let file: String
        /// The file's new content.
        let content: String
        /// Beside the file's path: the line and what is wrong.
        let mentions: [String]
        var testDescription: String { label }
    }

    static let catalogCases: [CatalogCase] = [
        CatalogCase(label: "malformed catalog.json", file: "catalog.json",
                    content: "{\"format_version\": 1,\n \"contrasts\": [{\"name\": \"alpha_vs_beta\", \"positive\": \"alpha\" \"negative\": \"beta\"}]}\n",
                    mentions: ["catalog.json:2:", "malformed JSON"]),
        CatalogCase(label: "catalog.json cut short", file: "catalog.json",
                    content: "{\"format_version\": 1, \"contrasts\": [", mentions: ["catalog.json:1:", "malformed JSON"]),
        CatalogCase(label: "malformed JSONL line", file: "alpha.jsonl",
                    content: "{\"id\": \"alpha-1\", \"text\": \"fine\"}\n{\"id\": \"alpha-2\", \"text\": \"no closing brace\"\n",
                    mentions: ["alpha.jsonl:2:", "malformed JSON"]),
        CatalogCase(label: "two values on one JSONL line", file: "alpha.jsonl",
                    content: "{\"id\": \"alpha-1\", \"text\": \"a\"} {\"id\": \"alpha-2\", \"text\": \"b\"}\n",
                    mentions: ["alpha.jsonl:1:", "malformed JSON"]),
        CatalogCase(label: "blank line in a JSONL file", file: "alpha.jsonl",
                    content: "{\"id\": \"alpha-1\", \"text\": \"a\"}\n\n{\"id\": \"alpha-2\", \"text\": \"b\"}\n",
                    mentions: ["alpha.jsonl:2:"]),
        CatalogCase(label: "empty prompt text", file: "beta.jsonl",
                    content: "{\"id\": \"beta-1\", \"text\": \"fine\"}\n{\"id\": \"beta-2\", \"text\": \"  \"}\n",
                    mentions: ["beta.jsonl:2", "beta-2", "empty text"]),
        CatalogCase(label: "duplicate id in one file", file: "beta.jsonl",
                    content: "{\"id\": \"beta-1\", \"text\": \"one\"}\n{\"id\": \"beta-1\", \"text\": \"two\"}\n",
                    mentions: ["beta.jsonl:2", "duplicate id \"beta-1\"", "beta.jsonl:1"]),
        CatalogCase(label: "duplicate id across files", file: "gamma.jsonl",
                    content: "{\"id\": \"alpha-0001\", \"text\": \"again\"}\n",
                    mentions: ["gamma.jsonl:1", "duplicate id \"alpha-0001\"", "alpha.jsonl:1"]),
        CatalogCase(label: "empty condition file", file: "gamma.jsonl", content: "", mentions: ["gamma.jsonl", "no prompts"]),
        CatalogCase(label: "contrast naming a missing condition", file: "catalog.json",
                    content: """
                    {"format_version": 1,
                     "contrasts": [{"name": "alpha_vs_beta", "positive": "alpha", "negative": "beta"},
                                   {"name": "delta_vs_beta", "positive": "delta", "negative": "beta"}]}
                    """,
                    mentions: ["catalog.json:3", "delta", "delta.jsonl"]),
        CatalogCase(label: "unknown key", file: "alpha.jsonl",
                    content: "{\"id\": \"alpha-1\", \"text\": \"a\", \"label\": 1}\n", mentions: ["alpha.jsonl:1", "unknown key \"label\""]),
        CatalogCase(label: "bad split", file: "alpha.jsonl",
                    content: "{\"id\": \"alpha-1\", \"text\": \"a\", \"split\": \"test\"}\n", mentions: ["alpha.jsonl:1", "alpha-1", "\"test\""]),
        CatalogCase(label: "unknown format_version", file: "catalog.json",
                    content: "{\"format_version\": 2, \"contrasts\": [{\"name\": \"alpha_vs_beta\", \"positive\": \"alpha\", \"negative\": \"beta\"}]}",
                    mentions: ["catalog.json:1", "format_version 2"]),
    ]

    @Test(arguments: catalogCases)
    func badCatalogIsRefused(_ testCase: CatalogCase) throws {
        let scratch = try Scratch("catalog")
        let catalog = try scratch.copy(Self.goodCatalog, as: "catalog")
        try Data(testCase.content.utf8).write(to: catalog.appendingPathComponent(testCase.file))
        try Self.expectExtractRefuses(catalog: catalog, in: scratch,
                                      mentions: [catalog.appendingPathComponent(testCase.file).path] + testCase.mentions)
    }

    /// The catalog is checked before the model: a bad catalog is reported even with no model at all.
    @Test func catalogErrorsComeBeforeModelErrors() throws {
        let scratch = try Scratch("catalog-first")
        let catalog = try scratch.copy(Self.goodCatalog, as: "catalog")
        try Data("{\"id\": \"alpha-1\"}\n".utf8).write(to: catalog.appendingPathComponent("alpha.jsonl"))
        try Self.expectExtractRefuses(catalog: catalog, model: scratch.file("no-model"), in: scratch,
                                      mentions: ["alpha.jsonl:1", "missing required key \"text\""])
    }

    /// An output folder that cannot be made (a missing one is made: IntegrityTests).
    @Test func anOutputFolderThatCannotBeMadeIsRefused() throws {
        let scratch = try Scratch("no-out")
        try expectRefusal("extract", ["--model", Self.tinyLlama.path, "--catalog", Self.goodCatalog.path,
                                      "--out", "/proc/no-such-place/a.h5"],
                          mentions: ["/proc/no-such-place", "cannot create the folder"], untouched: scratch.url)
    }

    // MARK: - Model folders

    /// tiny-llama copied into the scratch folder, to break.
    static func modelCopy(_ scratch: Scratch) throws -> URL { try scratch.copy(tinyLlama, as: "model") }

    @Test func unsupportedModelTypeIsRefused() throws {
        let scratch = try Scratch("model-type")
        let model = try Self.modelCopy(scratch)
        let config = model.appendingPathComponent("config.json")
        let text = String(decoding: try Data(contentsOf: config), as: UTF8.self)
        #expect(text.contains("\"model_type\": \"llama\""))
        try Data(text.replacingOccurrences(of: "\"model_type\": \"llama\"", with: "\"model_type\": \"gpt_neox\"").utf8).write(to: config)
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [config.path, "model_type \"gpt_neox\""])
    }

    /// A GGUF file as the model: broken files and files of another architecture are refused with one line
    /// naming the tensor or key (the reader's own refusals are tested in GGUFTests).
    @Test(arguments: [("gguf/malformed/misaligned.gguf", ["misaligned.gguf", "tensor \"n.weight\"", "not a multiple of the alignment"]),
                      ("gguf/malformed/truncated_data.gguf", ["truncated_data.gguf", "tensor \"n.weight\""]),
                      ("gguf/metadata-v3.gguf", ["metadata-v3.gguf", "general.architecture", "\"test\""])])
    func brokenOrForeignGGUFIsRefused(file: String, mentions: [String]) throws {
        let scratch = try Scratch("gguf-model")
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: Fixtures.url(file), in: scratch, mentions: mentions)
    }

    @Test func malformedModelConfigurationIsRefused() throws {
        let scratch = try Scratch("model-config")
        let model = try Self.modelCopy(scratch)
        let config = model.appendingPathComponent("config.json")
        try Data("{\"model_type\": \"llama\", \"hidden_size\": \"sixty-four\"}".utf8).write(to: config)
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch, mentions: [config.path, "hidden_size"])
    }

    @Test func missingTokenizerIsRefused() throws {
        let scratch = try Scratch("model-tokenizer")
        let model = try Self.modelCopy(scratch)
        try FileManager.default.removeItem(at: model.appendingPathComponent("tokenizer.json"))
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch, mentions: [model.appendingPathComponent("tokenizer.json").path])
    }

    /// Cut at several places: inside the length, inside the header, inside the data.
    @Test(arguments: [4, 100, 300_000])
    func truncatedWeightsAreRefused(keeping bytes: Int) throws {
        let scratch = try Scratch("truncated")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        try Data(try Data(contentsOf: weights).prefix(bytes)).write(to: weights)
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch, mentions: [weights.path])
    }

    /// The weights' header, parsed, changed by `edit`, and written back in front of the same data.
    static func rewriteHeader(_ weights: URL, _ edit: (inout [String: Any]) throws -> Void) throws {
        let bytes = try Data(contentsOf: weights)
        let length = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = try #require(try JSONSerialization.jsonObject(with: bytes[8..<(8 + length)]) as? [String: Any])
        try edit(&header)
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        for k in 0..<8 { out.append(UInt8((UInt64(json.count) >> (8 * UInt64(k))) & 0xFF)) }
        out += json
        out += bytes[(8 + length)...]
        try out.write(to: weights)
    }

    /// The tensor whose data comes last, and its entry.
    static func lastTensor(_ header: [String: Any]) throws -> (String, [String: Any]) {
        let entries = header.filter { $0.key != "__metadata__" }.compactMapValues { $0 as? [String: Any] }
        let last = try #require(entries.max { ($0.value["data_offsets"] as! [Int])[1] < ($1.value["data_offsets"] as! [Int])[1] })
        return (last.key, last.value)
    }

    @Test func headerWithOffsetsBeyondTheFileIsRefused() throws {
        let scratch = try Scratch("lying-offsets")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        var name = ""
        try Self.rewriteHeader(weights) { header in
            var (last, entry) = try Self.lastTensor(header)
            name = last
            // The last tensor claims to be much bigger than the file: its shape and offsets agree, the file does not.
            let offsets = entry["data_offsets"] as! [Int], shape = entry["shape"] as! [Int]
            entry["shape"] = [shape.reduce(1, *) * 1000]
            entry["data_offsets"] = [offsets[0], offsets[0] + shape.reduce(1, *) * 1000 * 4]
            header[last] = entry
        }
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch, mentions: [weights.path, name])
    }

    @Test func headerWhoseShapeDisagreesWithItsOffsetsIsRefused() throws {
        let scratch = try Scratch("lying-nbytes")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        try Self.rewriteHeader(weights) { header in
            var entry = try #require(header["model.embed_tokens.weight"] as? [String: Any])
            #expect(entry["shape"] as? [Int] == [300, 64])
            entry["shape"] = [300, 65]  // nbytes ≠ prod(shape) × 4
            header["model.embed_tokens.weight"] = entry
        }
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [weights.path, "model.embed_tokens.weight", "[300, 65]"])
    }

    /// Every tensor of tiny-llama, rewritten with `change` applied (nil drops the tensor).
    static func rewriteTensors(_ weights: URL, _ change: (String, [Int], [Float]) -> (shape: [Int], values: [Float])?) throws {
        let file = try SafeTensorsFile(contentsOf: weights)
        var writer = SafeTensorsWriter(metadata: file.metadata)
        for name in file.tensorNames {
            let info = try file.requireInfo(name)
            guard let (shape, values) = change(name, info.shape, try file.floats(name)) else { continue }
            try writer.add(name, shape: shape, floats: values)
        }
        try writer.write(to: weights)
    }

    @Test func missingTensorIsRefused() throws {
        let scratch = try Scratch("missing-tensor")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        try Self.rewriteTensors(weights) { name, shape, values in name == "model.layers.1.self_attn.k_proj.weight" ? nil : (shape, values) }
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [weights.path, "layers.1.self_attn.k_proj.weight", "missing"])
    }

    /// The same values in another shape (same byte count): only the shape check can catch it.
    @Test func tensorOfTheWrongShapeIsRefused() throws {
        let scratch = try Scratch("wrong-shape")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        var original: [Int] = []
        try Self.rewriteTensors(weights) { name, shape, values in
            guard name == "model.layers.2.mlp.down_proj.weight" else { return (shape, values) }
            original = shape
            return ([shape[1], shape[0]], values)
        }
        #expect(original.count == 2 && original[0] != original[1])
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [weights.path, "model.layers.2.mlp.down_proj.weight", "\(Array(original.reversed()))", "\(original)"])
    }

    @Test func unexpectedTensorIsRefused() throws {
        let scratch = try Scratch("extra-tensor")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        let file = try SafeTensorsFile(contentsOf: weights)
        var writer = SafeTensorsWriter(metadata: file.metadata)
        for name in file.tensorNames { try writer.add(name, shape: try file.requireInfo(name).shape, floats: try file.floats(name)) }
        try writer.add("model.layers.9.self_attn.q_proj.weight", shape: [2, 2], floats: [1, 2, 3, 4])
        try writer.write(to: weights)
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [weights.path, "model.layers.9.self_attn.q_proj.weight"])
    }

    @Test func nonFiniteWeightIsRefused() throws {
        let scratch = try Scratch("nan-weight")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        try Self.rewriteTensors(weights) { name, shape, values in
            guard name == "model.norm.weight" else { return (shape, values) }
            var poked = values
            poked[3] = .nan
            return (shape, poked)
        }
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: [weights.path, "model.norm.weight", "nan", "index 3"])
    }

    /// Finite weights so large that the forward pass overflows: found only when the first batch has
    /// run (after the `.parts` folder was made), named by prompt and layer, and nothing is left.
    @Test func weightsThatOverflowAreRefused() throws {
        let scratch = try Scratch("overflow")
        let model = try Self.modelCopy(scratch)
        let weights = model.appendingPathComponent("model.safetensors")
        try Self.rewriteTensors(weights) { name, shape, values in
            // up_proj(x) ~ 1e31, then down_proj sums 128 products of ~1e61: infinite at block 1.
            guard name.hasPrefix("model.layers.0.mlp.") && !name.hasSuffix("gate_proj.weight") else { return (shape, values) }
            return (shape, [Float](repeating: 1e30, count: values.count))
        }
        try Self.expectExtractRefuses(catalog: Self.goodCatalog, model: model, in: scratch,
                                      mentions: ["alpha-0001", "layer 1", "NaN or infinite"])
    }

    /// A catalog of one contrast whose `long` condition holds `text`.
    static func catalog(_ scratch: Scratch, text: String) throws -> URL {
        let catalog = try scratch.folder("catalog")
        try Data(#"{"format_version": 1, "contrasts": [{"name": "short_vs_long", "positive": "short", "negative": "long"}]}"#.utf8)
            .write(to: catalog.appendingPathComponent("catalog.json"))
        try Data(#"{"id": "short-1", "text": "A short prompt."}"#.utf8).write(to: catalog.appendingPathComponent("short.jsonl"))
        let line = try JSONSerialization.data(withJSONObject: ["id": "long-1", "text": text], options: [.sortedKeys])
        try line.write(to: catalog.appendingPathComponent("long.jsonl"))
        return catalog
    }

    /// --max-tokens above the model's 256 positions: refused before any forward pass (so no `.parts`
    /// folder either), with the largest --max-tokens that works, whether or not a prompt is that long.
    @Test func maxTokensLongerThanThePositionTableIsRefused() throws {
        let scratch = try Scratch("too-long")
        let catalog = try Self.catalog(scratch, text: String(repeating: "word ", count: 200))
        let out = try scratch.folder("out")
        try expectRefusal("extract", ["--model", Self.tinyLlama.path, "--catalog", catalog.path, "--out", out.appendingPathComponent("a.h5").path,
                                      "--max-tokens", "400"],
                          mentions: ["--max-tokens 400", "at most 256 content tokens"], untouched: out)
    }

    /// A tokenizer that yields an id past the embedding table (an added token the weights do not have).
    @Test func tokenizerOfOtherWeightsIsRefused() throws {
        let scratch = try Scratch("token-range")
        let model = try Self.modelCopy(scratch)
        let url = model.appendingPathComponent("tokenizer.json")
        var tokenizer = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var added = try #require(tokenizer["added_tokens"] as? [[String: Any]])
        added.append(["id": 300, "content": "<|extra|>", "single_word": false, "lstrip": false, "rstrip": false,
                      "normalized": false, "special": false])
        tokenizer["added_tokens"] = added
        try JSONSerialization.data(withJSONObject: tokenizer).write(to: url)
        let catalog = try Self.catalog(scratch, text: "before <|extra|> after")
        try Self.expectExtractRefuses(catalog: catalog, model: model, in: scratch, mentions: ["long-1", "300"])
    }
}
