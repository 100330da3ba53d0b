import Foundation

/// The tokenizer a GGUF file describes in its `tokenizer.ggml.*` metadata, as llama.cpp writes it.
///
/// `Tokenizer(ggml:)` builds from it the tokenizer transformers builds for the same file
/// (`from_pretrained(dir, gguf_file=…)`, transformers 5.23, `integrations/gguf/gguf_tokenizer_mapping.py`):
/// - `tokenizer.ggml.model` `"gpt2"`: a byte-level BPE (`GPT2Tokenizer`): the tokens as the vocabulary,
///   each respelled in GPT-2's byte alphabet when it uses a character outside it; the merges split at
///   their space; no unknown token, no byte fallback.
/// - the pre-tokenizer: ByteLevel with GPT-2's regex and no prefix space, for every `tokenizer.ggml.pre`
///   transformers leaves to `GPT2Tokenizer` (among them `"smollm"` and `"gpt2"`). The names transformers
///   maps to a `Split` regex of their own (`"llama-bpe"`, `"qwen2"`, …) are refused: that pre-tokenizer
///   is not implemented here.
/// - added tokens: every CONTROL token (type 3) spelled in the byte alphabet, as a special token
///   matched whole in the raw text; every USER_DEFINED token (type 4) as a non-special one.
/// - the post-processor: BOS before the content when `add_bos_token`, EOS after it when `add_eos_token`
///   (both default false for `gpt2` vocabularies).
/// Sentencepiece (`"llama"`), unigram (`"t5"`) and other vocabularies are refused.
public struct GGMLVocabulary: Sendable {
    public var model: String
    public var pre: String?
    public var tokens: [String]
    /// One per token when present (llama.cpp's `llama_token_type`: 1 normal, 2 unknown, 3 control,
    /// 4 user-defined, 5 unused, 6 byte).
    public var tokenTypes: [Int]?
    public var merges: [String]?
    public var bosID: Int?
    public var eosID: Int?
    public var addBOS: Bool?
    public var addEOS: Bool?

    public init(model: String, pre: String?, tokens: [String], tokenTypes: [Int]?, merges: [String]?,
                bosID: Int?, eosID: Int?, addBOS: Bool?, addEOS: Bool?) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.addBOS = addBOS
        self.addEOS = addEOS
    }

    /// `tokenizer.ggml.pre` values transformers gives a `Split` regex of their own (its
    /// `GGUF_PRE_TOKENIZER_SPLITS`): refused, since only GPT-2's regex is implemented here.
    static let splitRegexPreTokenizers: Set<String> = [
        "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano",
        "dbrx", "smaug-bpe", "tekken", "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "qwen35",
        "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2",
    ]

    /// The equivalent `tokenizer.json` object.
    func tokenizerJSON(path: String) throws -> [String: Any] {
        func invalid(_ key: String, _ detail: String) -> TokenizerError {
            .invalidValue(path: path, key: "tokenizer.ggml.\(key)", detail: detail)
        }
        guard model == "gpt2" else {
            throw TokenizerError.unsupported(path: path, key: "tokenizer.ggml.model", detail: "\"\(model)\" (supported: \"gpt2\", byte-level BPE)")
        }
        if let pre, Self.splitRegexPreTokenizers.contains(pre) {
            throw TokenizerError.unsupported(path: path, key: "tokenizer.ggml.pre",
                                             detail: "\"\(pre)\" (its Split regex is not implemented; GPT-2's regex is)")
        }
        guard !tokens.isEmpty, tokens.count <= Int(Int32.max) else { throw invalid("tokens", "\(tokens.count) tokens") }
        if let tokenTypes, tokenTypes.count != tokens.count {
            throw invalid("token_type", "\(tokenTypes.count) types for \(tokens.count) tokens")
        }
        for (key, id) in [("bos_token_id", bosID), ("eos_token_id", eosID)] {
            if let id, !(0..<tokens.count).contains(id) { throw invalid(key, "\(id) is outside the \(tokens.count) tokens") }
        }

        let alphabet = Set((0...255).map { ByteLevelAlphabet.scalar(for: UInt8($0)) })
        let inAlphabet = { (token: String) in token.unicodeScalars.allSatisfy { alphabet.contains($0) } }
        var vocabulary = [String: Int](minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() {
            let spelled = inAlphabet(token)
                ? token : String(String.UnicodeScalarView(token.utf8.map { ByteLevelAlphabet.scalar(for: $0) }))
            // transformers' dict comprehension keeps the last id of a repeated spelling; a vocabulary
            // that repeats one is refused here instead of silently losing an id.
            if let earlier = vocabulary[spelled] {
                throw invalid("tokens", "token \(id) \"\(token)\" repeats token \(earlier)")
            }
            vocabulary[spelled] = id
        }
        var addedTokens = [[String: Any]]()
        for (id, token) in tokens.enumerated() {
            switch tokenTypes?[id] {
            case 3? where inAlphabet(token):
                addedTokens.append(Self.addedToken(id: id, content: token, special: true))
            case 4? where vocabulary[token] != nil:
                addedTokens.append(Self.addedToken(id: id, content: token, special: false))
            default:
                break
            }
        }
        var mergePairs = [[String]]()
        mergePairs.reserveCapacity(merges?.count ?? 0)
        for (index, merge) in (merges ?? []).enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw invalid("merges", "merge \(index) \"\(merge)\" is not two tokens separated by one space")
            }
            mergePairs.append([String(parts[0]), String(parts[1])])
        }

        var single: [[String: Any]] = [["Sequence": ["id": "A", "type_id": 0]]]
        var specials = [String: Any]()
        if addBOS == true {
            guard let bosID else { throw TokenizerError.missingKey(path: path, key: "tokenizer.ggml.bos_token_id") }
            single.insert(["SpecialToken": ["id": tokens[bosID], "type_id": 0]], at: 0)
            specials[tokens[bosID]] = ["id": tokens[bosID], "ids": [bosID], "tokens": [tokens[bosID]]]
        }
        if addEOS == true {
            guard let eosID else { throw TokenizerError.missingKey(path: path, key: "tokenizer.ggml.eos_token_id") }
            single.append(["SpecialToken": ["id": tokens[eosID], "type_id": 0]])
            specials[tokens[eosID]] = ["id": tokens[eosID], "ids": [eosID], "tokens": [tokens[eosID]]]
        }
        return [
            "version": "1.0",
            "added_tokens": addedTokens,
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
            "post_processor": ["type": "TemplateProcessing", "single": single, "pair": single, "special_tokens": specials],
            "model": [
                "type": "BPE", "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": false,
                "byte_fallback": false, "ignore_merges": false, "vocab": vocabulary, "merges": mergePairs,
            ] as [String: Any],
        ]
    }

    private static func addedToken(id: Int, content: String, special: Bool) -> [String: Any] {
        ["id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
         "normalized": false, "special": special]
    }
}

extension Tokenizer {
    /// The tokenizer a GGUF file's `tokenizer.ggml.*` metadata describes (see `GGMLVocabulary`);
    /// `path` names the file in errors.
    public convenience init(ggml vocabulary: GGMLVocabulary, path: String) throws {
        let object = try vocabulary.tokenizerJSON(path: path)
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: object)
        } catch {
            throw TokenizerError.invalidValue(path: path, key: "tokenizer.ggml.tokens", detail: "\(error)")
        }
        try self.init(json: data, path: path)
    }
}
