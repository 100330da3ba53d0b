import Foundation

/// The ids of one encoded text, post-processor special tokens included, in the order the model reads them.
public struct Encoding: Sendable, Equatable {
    /// Every token, specials included, in model order.
    public var ids: [Int32]
    /// True for the special tokens the post-processor added (`[CLS]`, `[SEP]`, a BOS). They run through the
    /// model but are excluded from every per-token output. Special tokens written in the text itself
    /// (`<|im_start|>`) are content, and false here.
    public var isSpecial: [Bool]
    /// Whether content was cut at `maxContentTokens`.
    public var truncated: Bool

    public init(ids: [Int32], isSpecial: [Bool], truncated: Bool) {
        precondition(ids.count == isSpecial.count, "one isSpecial flag per id")
        self.ids = ids
        self.isSpecial = isSpecial
        self.truncated = truncated
    }

    /// The number of content (non-special) tokens.
    public var contentCount: Int { isSpecial.reduce(0) { $0 + ($1 ? 0 : 1) } }
}

/// A tokenizer loaded from a Hugging Face `tokenizer.json`, producing the ids of the `tokenizers` library
/// (0.23.3) exactly.
///
/// Pipeline, as the reference's: added tokens that match the raw text are cut out first; the text between
/// them is normalized, and added tokens that match normalized text are cut out; the rest is pre-tokenized
/// into pieces, each tokenized by the model; the post-processor adds its special tokens around the content.
///
/// Supported components (anything else is refused when loading, naming its JSON path):
/// - normalizer: none, `BertNormalizer`;
/// - pre-tokenizer: none, `ByteLevel`, `Digits`, `BertPreTokenizer`, `Sequence` of those (ByteLevel last);
/// - model: `BPE` (byte-level or not; string or pair merges; prefix/suffix, byte fallback, unknown token,
///   `ignore_merges`), `WordPiece`;
/// - post-processor: none, `TemplateProcessing`, `BertProcessing`, `RobertaProcessing`, `ByteLevel`,
///   `Sequence` (with at most one member adding tokens).
///
/// `truncation` and `padding` in the file are ignored: truncation is asked for per call (`maxContentTokens`)
/// and padding tokens would be excluded downstream anyway. The `decoder` is ignored: we never decode.
///
/// A final class of immutable parts (so that the hot paths pass one reference, not copies of its tables);
/// safe to share between threads.
public final class Tokenizer: Sendable {
    enum Model: Sendable {
        case bpe(BPE)
        case wordPiece(WordPiece)
    }

    let normalizer: BertNormalizer?
    let preTokenizer: PreTokenizer?
    let model: Model
    /// Added tokens matched on the raw text / on normalized text.
    let rawAddedTokens: AddedTokenMatcher
    let normalizedAddedTokens: AddedTokenMatcher
    let postProcessor: PostProcessor
    /// id → token string (added tokens first, as the reference); unused ids are absent. Sparse, because
    /// ids may lie far apart: a table sized by the largest id let a small file ask for gigabytes.
    let tokenStrings: [Int32: String]

    /// The number of token ids: one more than the largest id of the model vocabulary and the added tokens.
    public let vocabularySize: Int
    /// `model_max_length` from `tokenizer_config.json`, when present and not the "no limit" sentinel.
    public let modelMaxLength: Int?

    /// How many special tokens the post-processor adds to one sequence.
    public var specialTokenCount: Int { postProcessor.addedCount }

    /// Reads `tokenizer.json`, and `tokenizer_config.json` when present, from a model folder.
    public convenience init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        try self.init(tokenizerJSON: directory.appendingPathComponent("tokenizer.json"),
                      config: FileManager.default.fileExists(atPath: configURL.path) ? configURL : nil)
    }

    /// Reads a `tokenizer.json` file on its own.
    public convenience init(tokenizerJSON url: URL) throws {
        try self.init(tokenizerJSON: url, config: nil)
    }

    private convenience init(tokenizerJSON url: URL, config configURL: URL?) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, detail: error.localizedDescription)
        }
        var configData: Data?
        if let configURL {
            do {
                configData = try Data(contentsOf: configURL)
            } catch {
                throw TokenizerError.unreadableFile(path: configURL.path, detail: error.localizedDescription)
            }
        }
        try self.init(json: data, path: url.path, config: configData, configPath: configURL?.path ?? "")
    }

    /// Parses `tokenizer.json` content; `path` names it in errors.
    init(json data: Data, path: String, config configData: Data? = nil, configPath: String = "") throws {
        let root = try JSONNode.parse(data, file: path)
        try root.requireOnlyKeys(["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer",
                                  "post_processor", "decoder", "model"])
        if let version = try root.optional("version"), try version.string() != "1.0" {
            throw version.unsupported("version \"\(try version.string())\" (expected \"1.0\")")
        }

        if let node = try root.optional("normalizer") {
            let type = try node.typeTag()
            guard type == "BertNormalizer" else {
                throw try node.required("type").unsupported("\"\(type)\" (supported: BertNormalizer)")
            }
            normalizer = try BertNormalizer(json: node)
        } else {
            normalizer = nil
        }
        preTokenizer = try root.optional("pre_tokenizer").map(PreTokenizer.init(json:))

        let modelNode = try root.required("model")
        let vocabulary = try Self.vocabulary(modelNode.required("vocab"))
        let modelType = try modelNode.typeTag()
        switch modelType {
        case "BPE":
            model = .bpe(try BPE(json: modelNode, vocabulary: vocabulary, byteLevel: preTokenizer?.isByteLevel ?? false))
        case "WordPiece":
            if preTokenizer?.isByteLevel == true {
                throw try root.required("pre_tokenizer").unsupported("ByteLevel with a WordPiece model")
            }
            model = .wordPiece(try WordPiece(json: modelNode, vocabulary: vocabulary))
        default:
            throw try modelNode.required("type").unsupported("\"\(modelType)\" (supported: BPE, WordPiece)")
        }

        let addedTokens = try Self.addedTokens(root.optional("added_tokens"), vocabulary: vocabulary)
        rawAddedTokens = AddedTokenMatcher(addedTokens.filter { !$0.normalized })
        // Tokens matched on normalized text are matched by their normalized content.
        var normalizedTokens = [AddedToken]()
        for var token in addedTokens where token.normalized {
            if let normalizer { token.content = normalizer.normalize(token.content[...]) }
            guard !token.content.isEmpty else {
                throw TokenizerError.unsupported(path: path, key: "added_tokens",
                                                 detail: "token \(token.id): its content normalizes to nothing")
            }
            normalizedTokens.append(token)
        }
        normalizedAddedTokens = AddedTokenMatcher(normalizedTokens)
        postProcessor = try root.optional("post_processor").map(PostProcessor.init(json:)) ?? .none

        let largestID = max(vocabulary.values.max() ?? -1, addedTokens.map(\.id).max() ?? -1,
                            (postProcessor.prefix + postProcessor.suffix).max() ?? -1)
        var tokenStrings = [Int32: String](minimumCapacity: vocabulary.count + addedTokens.count)
        for (token, id) in vocabulary { tokenStrings[id] = token }
        for token in addedTokens { tokenStrings[token.id] = String(String.UnicodeScalarView(token.content)) }
        self.tokenStrings = tokenStrings
        vocabularySize = Int(largestID) + 1

        if let configData {
            modelMaxLength = try Self.modelMaxLength(JSONNode.parse(configData, file: configPath))
        } else {
            modelMaxLength = nil
        }
    }

    // MARK: Encoding

    /// Encodes `text`: the content tokens (at most `maxContentTokens` of them, the first ones), then the
    /// post-processor's special tokens around them — as `tokenizer(text, truncation=True,
    /// max_length=maxContentTokens + specialTokenCount)`.
    public func encode(_ text: String, maxContentTokens: Int? = nil) -> Encoding {
        precondition((maxContentTokens ?? 0) >= 0, "maxContentTokens must not be negative")
        var content = contentIDs(text)
        var truncated = false
        if let maxContentTokens, content.count > maxContentTokens {
            content.removeSubrange(maxContentTokens...)
            truncated = true
        }
        let prefix = postProcessor.prefix
        let suffix = postProcessor.suffix
        return Encoding(
            ids: prefix + content + suffix,
            isSpecial: [Bool](repeating: true, count: prefix.count) + [Bool](repeating: false, count: content.count)
                + [Bool](repeating: true, count: suffix.count),
            truncated: truncated)
    }

    /// The content tokens of `text` as vocabulary strings (byte-level tokens in GPT-2's alphabet: `Ġ` for a
    /// space), for debugging and tests.
    public func tokens(_ text: String) -> [String] {
        contentIDs(text).map { tokenStrings[$0] ?? "" }
    }

    /// The content ids, without the post-processor's special tokens.
    func contentIDs(_ text: String) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        var ids = [Int32]()
        ids.reserveCapacity(scalars.count / 2)
        rawAddedTokens.split(scalars[...]) { segment in
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                if let normalizer {
                    let normalized = normalizer.normalize(scalars[range])
                    // Text that normalizes to nothing is dropped, as empty pieces are (see the matcher).
                    if !normalized.isEmpty { tokenizeNormalized(normalized[...], into: &ids) }
                } else {
                    tokenizeNormalized(scalars[range], into: &ids)
                }
            }
        }
        return ids
    }

    private func tokenizeNormalized(_ text: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
        normalizedAddedTokens.split(text) { segment in
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                if let preTokenizer {
                    preTokenizer.split(text[range]) { piece in tokenize(piece, into: &ids) }
                } else {
                    tokenize(text[range], into: &ids)
                }
            }
        }
    }

    @inline(__always)
    private func tokenize(_ piece: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
        switch model {
        case .bpe(let bpe): bpe.tokenize(piece, into: &ids)
        case .wordPiece(let wordPiece): wordPiece.tokenize(piece, into: &ids)
        }
    }

    // MARK: Loading helpers

    private static func vocabulary(_ node: JSONNode) throws -> [String: Int32] {
        let object = try node.object()
        var vocabulary = [String: Int32](minimumCapacity: object.count)
        for (token, value) in object {
            guard let number = value as? NSNumber, !JSONNode.isBoolean(number),
                  let id = Int32(exactly: number.doubleValue), id >= 0 else {
                throw JSONNode(value: value, key: node.childKey(token), file: node.file).invalid("not a token id")
            }
            vocabulary[token] = id
        }
        return vocabulary
    }

    private static func addedTokens(_ node: JSONNode?, vocabulary: [String: Int32]) throws -> [AddedToken] {
        guard let node else { return [] }
        var tokens = [AddedToken]()
        var idByContent = [String: Int32]()
        for item in try node.array() {
            try item.requireOnlyKeys(["id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"])
            let content = try item.required("content").string()
            let id = try item.required("id").int()
            guard let id32 = Int32(exactly: id), id32 >= 0 else { throw try item.required("id").invalid("not a token id: \(id)") }
            // The reference ignores empty added tokens.
            if content.isEmpty { continue }
            // The reference gives a token already in the model vocabulary the model's id.
            if let modelID = vocabulary[content], modelID != id32 {
                throw try item.required("id").invalid("\"\(content)\" has id \(modelID) in model.vocab")
            }
            if let earlier = idByContent[content] {
                guard earlier == id32 else { throw try item.required("content").invalid("\"\(content)\" listed twice") }
                continue
            }
            idByContent[content] = id32
            let special = try item.bool("special", default: false)
            tokens.append(AddedToken(
                id: id32, content: Array(content.unicodeScalars), special: special,
                singleWord: try item.bool("single_word", default: false),
                lstrip: try item.bool("lstrip", default: false), rstrip: try item.bool("rstrip", default: false),
                normalized: try item.bool("normalized", default: !special)))
        }
        return tokens
    }

    /// `model_max_length`; transformers writes 1e30 (`VERY_LARGE_INTEGER`) for "no limit".
    private static func modelMaxLength(_ config: JSONNode) throws -> Int? {
        guard let node = try config.optional("model_max_length") else { return nil }
        guard let number = node.value as? NSNumber, !JSONNode.isBoolean(number), number.doubleValue >= 1 else {
            throw node.invalid("expected a positive number")
        }
        return number.doubleValue < 1e15 ? Int(number.doubleValue) : nil
    }
}
