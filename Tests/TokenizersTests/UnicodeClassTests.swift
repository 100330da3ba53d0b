import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Every Unicode scalar's character classes and normalizer output against the reference's, as probed from
/// the `tokenizers` library by `scripts/fixtures/make_tokenizers.py`. The reference mixes Unicode versions
/// (Oniguruma 16.0, Rust std 17.0, BERT's 8.0 tables); these tests pin our version restrictions to it.
@Suite struct UnicodeClassTests {
    struct Classes: Decodable {
        var classes: [String: [[UInt32]]]
    }

    struct Maps: Decodable {
        struct Map: Decodable {
            var removed: [[UInt32]]
            /// [scalar, [outputs...]] as a two-element heterogeneous array.
            var changed: [Change]
        }

        struct Change: Decodable {
            var scalar: UInt32
            var output: [UInt32]

            init(from decoder: Decoder) throws {
                var container = try decoder.unkeyedContainer()
                scalar = try container.decode(UInt32.self)
                output = try container.decode([UInt32].self)
            }
        }

        var maps: [String: Map]
    }

    static let allScalars: [Unicode.Scalar] = (0...0x10FFFF).compactMap { Unicode.Scalar(UInt32($0)) }

    static func membership(_ ranges: [[UInt32]]) -> Set<UInt32> {
        var set = Set<UInt32>()
        for range in ranges { set.formUnion(range[0]...range[1]) }
        return set
    }

    /// The scalars where `predicate` disagrees with the reference's class, for the failure message.
    static func disagreements(_ name: String, _ predicate: (Unicode.Scalar) -> Bool) throws -> [String] {
        let classes = try FixtureData.decode(Classes.self, "unicode-classes.json").classes
        let reference = membership(try #require(classes[name], "no class \(name) in the fixture"))
        return allScalars.filter { predicate($0) != reference.contains($0.value) }
            .map { "U+\(String($0.value, radix: 16, uppercase: true))" }
    }

    @Test func scalarCountIsUnicodes() {
        #expect(Self.allScalars.count == 1_112_064)  // 17 planes minus the 2,048 surrogates
    }

    /// `\p{L}`, `\p{N}` and `\s` of the ByteLevel regex (Oniguruma).
    @Test(arguments: [("letter", UnicodeClasses.PatternClass.letter), ("number", .number), ("space", .space)])
    func patternClass(name: String, patternClass: UnicodeClasses.PatternClass) throws {
        let wrong = try Self.disagreements(name) { UnicodeClasses.patternClass($0) == patternClass }
        #expect(wrong.isEmpty, "\(name): \(wrong.count) scalars differ: \(wrong.prefix(20))")
    }

    /// Rust's `char::is_numeric` (Digits pre-tokenizer).
    @Test func numeric() throws {
        let wrong = try Self.disagreements("numeric", UnicodeClasses.isNumeric)
        #expect(wrong.isEmpty, "\(wrong.count) scalars differ: \(wrong.prefix(20))")
    }

    @Test func bertPreTokenizerClasses() throws {
        let whitespace = try Self.disagreements("bert_whitespace", UnicodeClasses.isWhiteSpace)
        #expect(whitespace.isEmpty, "whitespace: \(whitespace.count) scalars differ: \(whitespace.prefix(20))")
        // Whitespace wins over punctuation in the pre-tokenizer; no scalar is both anyway.
        let punctuation = try Self.disagreements("bert_punctuation") {
            !UnicodeClasses.isWhiteSpace($0) && UnicodeClasses.isBertPunctuation($0)
        }
        #expect(punctuation.isEmpty, "punctuation: \(punctuation.count) scalars differ: \(punctuation.prefix(20))")
    }

    /// BertNormalizer's clean_text and handle_chinese_chars, through the normalizer itself.
    @Test func bertCleanTextAndChineseChars() throws {
        let clean = BertNormalizer(cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false)
        let removed = try Self.disagreements("bert_removed") { clean.normalize([$0][...]).isEmpty }
        #expect(removed.isEmpty, "removed: \(removed.count) scalars differ: \(removed.prefix(20))")
        let toSpace = try Self.disagreements("bert_to_space") { $0 != " " && clean.normalize([$0][...]) == [" "] }
        #expect(toSpace.isEmpty, "to space: \(toSpace.count) scalars differ: \(toSpace.prefix(20))")
        let chinese = BertNormalizer(cleanText: false, handleChineseChars: true, stripAccents: false, lowercase: false)
        let padded = try Self.disagreements("bert_chinese") { chinese.normalize([$0][...]) == [" ", $0, " "] }
        #expect(padded.isEmpty, "chinese: \(padded.count) scalars differ: \(padded.prefix(20))")
    }

    /// Accent stripping (NFD, then drop Mn) and lowercasing of every scalar.
    @Test(arguments: ["strip_accents", "lowercase"])
    func normalizerMap(name: String) throws {
        let map = try #require(try FixtureData.decode(Maps.self, "bert-normalizer-maps.json").maps[name])
        let normalizer = BertNormalizer(cleanText: false, handleChineseChars: false,
                                        stripAccents: name == "strip_accents", lowercase: name == "lowercase")
        let removed = Self.membership(map.removed)
        var changed = [UInt32: [UInt32]]()
        for change in map.changed { changed[change.scalar] = change.output }
        var wrong = [String]()
        for scalar in Self.allScalars {
            let value = scalar.value
            let expected: [UInt32]
            if removed.contains(value) {
                expected = []
            } else if let output = changed[value] {
                expected = output
            } else if name == "strip_accents" && (0xAC00...0xD7A3).contains(value) {
                expected = Self.hangulDecomposition(value)
            } else {
                expected = [value]
            }
            let got = normalizer.normalize([scalar][...]).map(\.value)
            if got != expected { wrong.append("U+\(String(value, radix: 16, uppercase: true)) → \(got) not \(expected)") }
        }
        #expect(wrong.isEmpty, "\(name): \(wrong.count) scalars differ: \(wrong.prefix(10))")
    }

    /// The Unicode algorithm, which the fixture script checked the reference follows for all 11,172 syllables.
    static func hangulDecomposition(_ syllable: UInt32) -> [UInt32] {
        let index = syllable - 0xAC00
        let lead = 0x1100 + index / 588, vowel = 0x1161 + (index % 588) / 28, trail = 0x11A7 + index % 28
        return trail == 0x11A7 ? [lead, vowel] : [lead, vowel, trail]
    }
}
