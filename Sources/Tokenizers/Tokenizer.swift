import Foundation

/// The ids of one encoded text, post-processor special tokens included, in the order the model reads them,
/// with the part of the text each came from.
public struct Encoding: Sendable, Equatable {
    /// Every token, specials included, in model order.
    public var ids: [Int32]
    /// True for the special tokens the post-processor added (`[CLS]`, `[SEP]`, a BOS). They run through the
    /// model but are excluded from every per-token output. Special tokens written in the text itself
    /// (`<|im_start|>`) are content, and false here.
    public var isSpecial: [Bool]
    /// Per token, the range of the original text it came from, in Unicode scalars (the indices of
    /// `Array(text.unicodeScalars)`, which are a Python `str`'s): the `offsets` of the `tokenizers` library,
    /// exactly. The post-processor's special tokens have `0..<0`. Ranges may overlap: every piece of a
    /// character cut into several tokens (an emoji's UTF-8 bytes, a byte-fallback token) covers the whole
    /// character. A normalizer that drops characters (BERT drops controls) leaves them in no range; a
    /// post-processor's `trim_offsets` may leave a token of spaces an empty range. Every range lies within
    /// the text — also where the reference's would not (BPE byte fallback under a `##` prefix or `</w>`
    /// suffix, which leaves some offsets unmapped): there ours stay on the word's last character.
    public var offsets: [Range<Int>]
    /// Whether content was cut at `maxContentTokens`.
    public var truncated: Bool

    public init(ids: [Int32], isSpecial: [Bool], offsets: [Range<Int>], truncated: Bool) {
        precondition(ids.count == isSpecial.count, "one isSpecial flag per id")
        precondition(ids.count == offsets.count, "one offset range per id")
        self.ids = ids
        self.isSpecial = isSpecial
        self.offsets = offsets
        self.truncated = truncated
    }

    /// An encoding whose tokens come from no known text: every offset is `0..<0`.
    public init(ids: [Int32], isSpecial: [Bool], truncated: Bool) {
        self.init(ids: ids, isSpecial: isSpecial, offsets: Array(repeating: 0..<0, count: ids.count), truncated: truncated)
    }

    /// The number of content (non-special) tokens.
    public var contentCount: Int { isSpecial.reduce(0) { $0 + ($1 ? 0 : 1) } }
}

/// Tokens on their way through the pipeline: ids and, per id, the scalars it came from — indices into the
/// piece's buffer while a model writes them, into the original text once the tokenizer has mapped them.
struct TokenBuffer {
    var ids: [Int32] = []
    var offsets: [Range<Int>] = []

    var count: Int { ids.count }

    @inline(__always)
    mutating func append(_ id: Int32, _ range: Range<Int>) {
        ids.append(id)
        offsets.append(range)
    }

    mutating func reserveCapacity(_ capacity: Int) {
        ids.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity)
    }
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
    /// The leading and trailing spaces of the tokens that have any, when the post-processor trims offsets.
    let trimmedSpaces: [Int32: TrimmedSpaces]

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
        trimmedSpaces = postProcessor.offsetTrimming.isEmpty ? [:] : tokenStrings.compactMapValues(TrimmedSpaces.init)
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
    /// max_length=maxContentTokens + specialTokenCount)`, offsets as its `return_offsets_mapping=True`.
    public func encode(_ text: String, maxContentTokens: Int? = nil) -> Encoding {
        precondition((maxContentTokens ?? 0) >= 0, "maxContentTokens must not be negative")
        var content = self.content(text)
        var truncated = false
        if let maxContentTokens, content.count > maxContentTokens {
            content.ids.removeSubrange(maxContentTokens...)
            content.offsets.removeSubrange(maxContentTokens...)
            truncated = true
        }
        let prefix = postProcessor.prefix
        let suffix = postProcessor.suffix
        if prefix.isEmpty && suffix.isEmpty {
            return Encoding(ids: content.ids, isSpecial: [Bool](repeating: false, count: content.count),
                            offsets: content.offsets, truncated: truncated)
        }
        let count = prefix.count + content.count + suffix.count
        var ids = [Int32]()
        var isSpecial = [Bool]()
        var offsets = [Range<Int>]()
        ids.reserveCapacity(count)
        isSpecial.reserveCapacity(count)
        offsets.reserveCapacity(count)
        ids += prefix
        ids += content.ids
        ids += suffix
        isSpecial += repeatElement(true, count: prefix.count)
        isSpecial += repeatElement(false, count: content.count)
        isSpecial += repeatElement(true, count: suffix.count)
        offsets += repeatElement(0..<0, count: prefix.count)
        offsets += content.offsets
        offsets += repeatElement(0..<0, count: suffix.count)
        return Encoding(ids: ids, isSpecial: isSpecial, offsets: offsets, truncated: truncated)
    }

    /// The content tokens of `text` as vocabulary strings (byte-level tokens in GPT-2's alphabet: `Ġ` for a
    /// space), for debugging and tests.
    public func tokens(_ text: String) -> [String] {
        content(text).ids.map { tokenStrings[$0] ?? "" }
    }

    /// The content tokens, without the post-processor's special tokens, with offsets into `text`'s scalars.
    func content(_ text: String) -> TokenBuffer {
        let scalars = Array(text.unicodeScalars)
        var output = TokenBuffer()
        output.reserveCapacity(scalars.count / 2)
        rawAddedTokens.split(scalars[...]) { segment in
            switch segment {
            case .token(let id, let range):
                // The token's string, for trimming, is the text it matched, whitespace included.
                output.append(id, trimmed(range, spaces: TrimmedSpaces(scalars[range]), first: output.count == 0))
            case .text(let range):
                if let normalizer {
                    // Each normalized scalar knows the original scalar it came from.
                    let normalized = normalizer.normalizeWithOrigins(scalars[range])
                    // Text that normalizes to nothing is dropped, as empty pieces are (see the matcher).
                    if !normalized.scalars.isEmpty {
                        tokenizeNormalized(normalized.scalars[...], origins: Origins(normalized.origins[...]), into: &output)
                    }
                } else {
                    tokenizeNormalized(scalars[range], origins: .identity, into: &output)
                }
            }
        }
        return output
    }

    private func tokenizeNormalized(_ text: ArraySlice<Unicode.Scalar>, origins: Origins,
                                    into output: inout TokenBuffer) {
        normalizedAddedTokens.split(text) { segment in
            switch segment {
            case .token(let id, let range):
                output.append(id, trimmed(origins.original(range), spaces: TrimmedSpaces(text[range]),
                                          first: output.count == 0))
            case .text(let range):
                if let preTokenizer {
                    preTokenizer.split(text[range], origins: origins[range]) { piece, pieceOrigins in
                        tokenize(piece, origins: pieceOrigins, into: &output)
                    }
                } else {
                    tokenize(text[range], origins: origins[range], into: &output)
                }
            }
        }
    }

    @inline(__always)
    private func tokenize(_ piece: ArraySlice<Unicode.Scalar>, origins: Origins, into output: inout TokenBuffer) {
        let first = output.count
        switch model {
        case .bpe(let bpe): bpe.tokenize(piece, into: &output)
        case .wordPiece(let wordPiece): wordPiece.tokenize(piece, into: &output)
        }
        // The model gave ranges of the piece's buffer.
        if !origins.isIdentity {
            for index in first..<output.count {
                output.offsets[index] = origins.original(output.offsets[index])
            }
        }
        if !postProcessor.offsetTrimming.isEmpty {
            for index in first..<output.count {
                output.offsets[index] = trimmed(output.offsets[index], spaces: trimmedSpaces[output.ids[index]],
                                                first: index == 0)
            }
        }
    }

    /// The reference's `trim_offsets` (ByteLevel and RobertaProcessing post-processors), applied as each token
    /// is made (it looks at one token at a time, so truncating afterwards changes nothing): the token's
    /// leading and trailing spaces (`Ġ` or whitespace in its string) are moved out of its range — except one
    /// leading space of the first token (`first`, or starting the text) when `add_prefix_space` says that
    /// space was added, not written.
    @inline(__always)
    private func trimmed(_ range: Range<Int>, spaces: TrimmedSpaces?, first: Bool) -> Range<Int> {
        guard let spaces, !postProcessor.offsetTrimming.isEmpty else { return range }
        var start = range.lowerBound
        var end = range.upperBound
        for addPrefixSpace in postProcessor.offsetTrimming {
            var leading = spaces.leading
            if leading > 0 {
                if (first || start == 0) && addPrefixSpace && leading == 1 { leading = 0 }
                start = min(start + leading, end)
            }
            if spaces.trailing > 0 && end >= spaces.trailing {
                end = max(end - spaces.trailing, start)
            }
        }
        return start..<end
    }

    // MARK: Loading helpers

    private static func vocabulary(_ node: JSONNode) throws -> [String: Int32] {
        let members = try node.members()
        var vocabulary = [String: Int32](minimumCapacity: members.count)
        for (token, member) in members {
            guard case let .number(text) = member.value, let id = Int32(text), id >= 0 else { throw member.invalid("not a token id") }
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
        guard let number = try? node.number(), number >= 1 else { throw node.invalid("expected a positive number") }
        return number < 1e15 ? Int(number) : nil
    }
}

/// For each index of a buffer of scalars on its way through the pipeline, the index of the original scalar it
/// came from: its own, until a normalizer or a prefix space makes another buffer.
struct Origins {
    /// Nil: every index is its own origin (no table to build for text that is not normalized).
    private let table: ArraySlice<Int>?

    static let identity = Origins(table: nil)

    private init(table: ArraySlice<Int>?) {
        self.table = table
    }

    init(_ table: ArraySlice<Int>) {
        self.table = table
    }

    var isIdentity: Bool { table == nil }

    subscript(index: Int) -> Int { table?[index] ?? index }

    subscript(range: Range<Int>) -> Origins { table.map { Origins($0[range]) } ?? .identity }

    /// The original scalars a non-empty range came from: from the first one's to the last one's, as the
    /// reference's alignments give (each scalar here comes from one original scalar).
    @inline(__always)
    func original(_ range: Range<Int>) -> Range<Int> {
        guard let table else { return range }
        return table[range.lowerBound]..<(table[range.upperBound - 1] + 1)
    }
}

/// How many spaces a token's string starts and ends with, for the reference's `trim_offsets`: `Ġ` (GPT-2's
/// stand-in for the space byte) or whitespace.
struct TrimmedSpaces: Sendable, Equatable {
    var leading: Int
    var trailing: Int

    /// Nil for a token with neither leading nor trailing spaces.
    init?(_ token: String) {
        self.init(token.unicodeScalars)
    }

    init?<Scalars: BidirectionalCollection<Unicode.Scalar>>(_ token: Scalars) {
        let isSpace = { (scalar: Unicode.Scalar) in scalar == "\u{120}" || UnicodeClasses.isWhiteSpace(scalar) }
        leading = token.prefix(while: isSpace).count
        trailing = token.reversed().prefix(while: isSpace).count
        if leading == 0 && trailing == 0 { return nil }
    }
}
