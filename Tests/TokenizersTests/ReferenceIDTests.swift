import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Our ids against the `tokenizers` library's, exactly, for every corpus text (accents, CJK, emoji, code,
/// whitespace runs, controls, over-long words, special-token strings, ...), untruncated and truncated.
@Suite struct ReferenceIDTests {
    @Test(arguments: FixtureData.committedTokenizers)
    func committedTokenizerMatchesReference(name: String) throws {
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory(name))
        try compare(tokenizer, with: FixtureData.expected(name))
    }

    /// The default detector's tokenizer (not committed: it comes with the model).
    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "needs models/all-MiniLM-L6-v2"))
    func defaultDetectorMatchesReference() throws {
        let directory = try #require(Fixtures.defaultModelDirectory)
        let tokenizer = try Tokenizer(directory: directory)
        try compare(tokenizer, with: FixtureData.expected("all-MiniLM-L6-v2"))
        #expect(tokenizer.modelMaxLength == 512)
    }

    private func compare(_ tokenizer: Tokenizer, with expected: FixtureData.Expected) throws {
        let texts = try FixtureData.corpus()
        try #require(expected.cases.count == texts.count, "the expected ids are from another corpus")
        #expect(tokenizer.specialTokenCount == expected.specialTokenCount)
        #expect(tokenizer.vocabularySize == expected.vocabularySize)
        var mismatches = 0
        for (index, (text, reference)) in zip(texts, expected.cases).enumerated() {
            let encoding = tokenizer.encode(text)
            let special = encoding.isSpecial.indices.filter { encoding.isSpecial[$0] }
            if encoding.ids != reference.ids || special != reference.special || encoding.truncated {
                mismatches += 1
                Issue.record("""
                    \(expected.tokenizer) text \(index) \(text.debugDescription):
                      expected \(reference.ids) (specials at \(reference.special))
                      got      \(encoding.ids) (specials at \(special)), tokens \(tokenizer.tokens(text))
                    """)
            }
            #expect(encoding.contentCount == reference.ids.count - reference.special.count)
            for limit in FixtureData.truncations {
                let truncated = tokenizer.encode(text, maxContentTokens: limit)
                let wanted = try #require(reference.truncated[String(limit)])
                #expect(truncated.ids == wanted, "\(expected.tokenizer) text \(index) at max_content_tokens \(limit)")
                #expect(truncated.truncated == (encoding.contentCount > limit))
                #expect(truncated.contentCount == min(limit, encoding.contentCount))
            }
            if mismatches >= 10 { break }  // enough to diagnose
        }
    }

    /// `tokens` spells the content in vocabulary strings, added tokens by their content.
    @Test func tokensAreVocabularyStrings() throws {
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-smollm"))
        let tokens = tokenizer.tokens("Hello world<|im_end|>")
        #expect(tokens.joined() == "HelloĠworld<|im_end|>")
        #expect(tokens.last == "<|im_end|>")
        #expect(tokenizer.tokens("").isEmpty)
    }

    /// The post-processor's specials sit around the content; text spelling a special token is content.
    @Test func postProcessorSpecialsAreFlagged() throws {
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-template-bos"))
        let encoding = tokenizer.encode("<|endoftext|>hi")
        #expect(encoding.ids.prefix(2) == [0, 0])
        #expect(encoding.isSpecial == [true] + [Bool](repeating: false, count: encoding.ids.count - 1))
        let empty = tokenizer.encode("", maxContentTokens: 4)
        #expect(empty.ids == [0] && empty.isSpecial == [true] && !empty.truncated && empty.contentCount == 0)
    }

    /// `tokenizer_config.json` gives the model's maximum length; a bare tokenizer.json has none.
    @Test func modelMaxLengthComesFromTheConfig() throws {
        let directory = FixtureData.tokenizerDirectory("bpe-smollm")
        #expect(try Tokenizer(directory: directory).modelMaxLength == 8192)
        #expect(try Tokenizer(tokenizerJSON: directory.appendingPathComponent("tokenizer.json")).modelMaxLength == nil)
        #expect(try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-pairs")).modelMaxLength == nil)
    }

    /// Copies share the piece cache; concurrent encoding gives the same ids as sequential encoding.
    @Test func concurrentEncodingIsConsistent() async throws {
        let tokenizer = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-smollm"))
        let texts = try FixtureData.corpus()
        let sequential = texts.map { tokenizer.encode($0).ids }
        let concurrent = await withTaskGroup(of: (Int, [Int32]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, tokenizer.encode(text).ids) }
            }
            var results = [[Int32]](repeating: [], count: texts.count)
            for await (index, ids) in group { results[index] = ids }
            return results
        }
        #expect(concurrent == sequential)
    }
}
