import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// The committed reference data of `scripts/fixtures/make_tokenizers.py`.
enum FixtureData {
    /// The small tokenizers committed under `Tests/Fixtures/tokenizers/<name>/`.
    static let committedTokenizers = ["bpe-smollm", "bpe-pairs", "bpe-template-bos", "bpe-prefix-fallback", "wordpiece-cased"]
    /// The max_content_tokens values the reference encoded with truncation.
    static let truncations = [0, 1, 5, 16]

    struct Corpus: Decodable {
        var texts: [String]
    }

    /// The reference's encoding of every corpus text with one tokenizer.
    struct Expected: Decodable {
        struct Case: Decodable {
            var ids: [Int32]
            /// Positions of the post-processor's special tokens in `ids`.
            var special: [Int]
            /// max_content_tokens (as a string) → ids.
            var truncated: [String: [Int32]]
        }

        var tokenizer: String
        var specialTokenCount: Int
        var vocabularySize: Int
        var cases: [Case]

        enum CodingKeys: String, CodingKey {
            case tokenizer, cases
            case specialTokenCount = "special_token_count"
            case vocabularySize = "vocabulary_size"
        }
    }

    static func corpus() throws -> [String] {
        try decode(Corpus.self, "corpus.json").texts
    }

    static func expected(_ name: String) throws -> Expected {
        try decode(Expected.self, "expected/\(name).json")
    }

    static func tokenizerDirectory(_ name: String) -> URL {
        Fixtures.url("tokenizers/\(name)")
    }

    static func decode<T: Decodable>(_ type: T.Type, _ file: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: Fixtures.url("tokenizers/\(file)")))
    }

    /// A committed `tokenizer.json` as a mutable JSON object, for building variants.
    static func tokenizerObject(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: tokenizerDirectory(name).appendingPathComponent("tokenizer.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Loads a tokenizer from a JSON object (through the same parser as files).
    static func tokenizer(from object: [String: Any], path: String = "variant.json") throws -> Tokenizer {
        try Tokenizer(json: JSONSerialization.data(withJSONObject: object), path: path)
    }
}
