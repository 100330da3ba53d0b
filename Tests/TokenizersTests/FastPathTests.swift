import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// The hand-written fast paths against naive references, on seeded random inputs.
@Suite struct FastPathTests {
    static let alphabet: [Unicode.Scalar] = [
        "a", "Z", "é", "ж", "日", "ǅ", "1", "٣", "²", "Ⅻ", "'", "s", "t", "r", "e", "v", "m", "l", "d",
        " ", " ", " ", "\t", "\n", "\r", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "!", ".", "-", "_",
        "😀", "\u{301}", "\u{200B}", "\u{0}",
    ]

    /// Against GPT-2's split pattern run by Swift's regex engine over Unicode scalars. Its `\p{L}` uses
    /// Swift's (newer) tables, so the alphabet sticks to scalars whose class is the same in every version.
    @Test func gpt2SplitterMatchesTheRegex() throws {
        let pattern = try Regex(#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#)
            .matchingSemantics(.unicodeScalar)
        var generator = SeededGenerator(seed: 20_240_601)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let scalars = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }
            let text = String(String.UnicodeScalarView(scalars))
            let expected = text.matches(of: pattern).map { String(text.unicodeScalars[$0.range]) }
            var got = [String]()
            GPT2Splitter.split(scalars[...]) { got.append(String(String.UnicodeScalarView($0))) }
            #expect(got == expected, "\(text.debugDescription)")
            if got != expected { return }
        }
    }

    /// The naive merge loop: rescan for the lowest-ranked pair, merge its leftmost occurrence, repeat.
    static func naiveMerge(_ word: [String], ranks: [String: Int]) -> [String] {
        var symbols = word
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for index in 0..<symbols.count - 1 {
                if let rank = ranks[symbols[index] + " " + symbols[index + 1]], rank < best?.rank ?? .max {
                    best = (rank, index)
                }
            }
            guard let best else { break }
            symbols[best.index] += symbols[best.index + 1]
            symbols.remove(at: best.index + 1)
        }
        return symbols
    }

    /// The heap-based merge against the naive loop, on words made of the fixture's most merged letters,
    /// short and long (a long word exercises many stale heap entries).
    @Test func heapMergeMatchesNaiveMerge() throws {
        let object = try FixtureData.tokenizerObject("bpe-smollm")
        let model = try #require(object["model"] as? [String: Any])
        let merges = try #require(model["merges"] as? [String])
        var ranks = [String: Int]()
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil { ranks[merge] = rank }
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-smollm"))

        let letters = Array("aeinorsthldumcpfwgyb")
        var generator = SeededGenerator(seed: 7)
        for trial in 0..<2_000 {
            let length = trial < 1_900 ? Int.random(in: 1...16, using: &generator)
                                       : Int.random(in: 100...600, using: &generator)
            let word = String((0..<length).map { _ in letters.randomElement(using: &generator)! })
            let expected = Self.naiveMerge(word.map(String.init), ranks: ranks)
            #expect(tokenizer.tokens(word) == expected, "\(word)")
        }
    }

    /// Repeating a letter builds the power-of-two tokens the fixture learned ("aaaa..."): many equal pairs,
    /// where leftmost-first on ties decides the result.
    @Test func repeatedLettersMergeLeftmostFirst() throws {
        let object = try FixtureData.tokenizerObject("bpe-smollm")
        let merges = try #require((object["model"] as? [String: Any])?["merges"] as? [String])
        var ranks = [String: Int]()
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil { ranks[merge] = rank }
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-smollm"))
        for length in 1...300 {
            let word = String(repeating: "a", count: length)
            #expect(tokenizer.tokens(word) == Self.naiveMerge(word.map(String.init), ranks: ranks), "a × \(length)")
        }
    }
}
