import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Loading is strict: what we do not support is refused with the file and the JSON path, never ignored.
@Suite struct LoadingTests {
    /// Loads a variant of a committed tokenizer and returns the error's description.
    private func loadingError(_ name: String = "bpe-smollm", _ change: (inout [String: Any]) throws -> Void) throws -> String {
        var object = try FixtureData.tokenizerObject(name)
        try change(&object)
        do {
            _ = try FixtureData.tokenizer(from: object)
        } catch let error as TokenizerError {
            return error.description
        }
        Issue.record("the variant loaded")
        return ""
    }

    @Test func unsupportedPreTokenizerInSequenceNamesItsPath() throws {
        let message = try loadingError { object in
            object["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
                ["type": "Digits", "individual_digits": true],
                ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true],
            ]]
        }
        #expect(message.hasPrefix("variant.json: pre_tokenizer.pretokenizers[1].type: unsupported \"Metaspace\""), "\(message)")
    }

    @Test func unsupportedComponentsAreRefused() throws {
        #expect(try loadingError { $0["normalizer"] = ["type": "NFC"] }.contains("normalizer.type: unsupported \"NFC\""))
        #expect(try loadingError { $0["post_processor"] = ["type": "Whatever"] }
            .contains("post_processor.type: unsupported \"Whatever\""))
        #expect(try loadingError { object in
            var model = try #require(object["model"] as? [String: Any])
            model["type"] = "Unigram"
            object["model"] = model
        }.contains("model.type: unsupported \"Unigram\""))
        #expect(try loadingError { object in
            var model = try #require(object["model"] as? [String: Any])
            model["dropout"] = 0.1
            object["model"] = model
        }.contains("model.dropout: unsupported"))
        #expect(try loadingError { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "ByteLevel", "add_prefix_space": false], ["type": "Digits", "individual_digits": true]]]
        }.contains("pre_tokenizer.pretokenizers[0]: unsupported ByteLevel before"))
    }

    @Test func unknownKeysAreRefused() throws {
        #expect(try loadingError { $0["extra"] = 1 }.contains("extra: unsupported key"))
        #expect(try loadingError { $0["pre_tokenizer"] = ["type": "Digits", "individual_digits": true, "split": "all"] }
            .contains("pre_tokenizer.split: unsupported key"))
    }

    @Test func brokenMergesAndVocabularyAreRefused() throws {
        func changingMerges(_ merges: [Any]) throws -> String {
            try loadingError { object in
                var model = try #require(object["model"] as? [String: Any])
                model["merges"] = merges
                object["model"] = model
            }
        }
        #expect(try changingMerges(["Ġ t", "q zzz"]).contains("model.merges[1]: \"zzz\" is not in model.vocab"))
        #expect(try changingMerges(["a b c"]).contains("model.merges[0]: expected \"left right\""))
        #expect(try changingMerges([["a"]]).contains("model.merges[0]: expected a pair"))
        #expect(try loadingError { object in
            var model = try #require(object["model"] as? [String: Any])
            model["vocab"] = ["a": "zero"]
            object["model"] = model
        }.contains("model.vocab.a: not a token id"))
        #expect(try loadingError("wordpiece-cased") { object in
            var model = try #require(object["model"] as? [String: Any])
            model["unk_token"] = "<nope>"
            object["model"] = model
        }.contains("model.unk_token: \"<nope>\" is not in model.vocab"))
        #expect(try loadingError { object in
            object["added_tokens"] = [["id": 5, "content": "<|endoftext|>", "special": true]]
        }.contains("added_tokens[0].id"))
    }

    @Test func unreadableAndMalformedFilesAreReported() throws {
        let directory = try Fixtures.temporaryDirectory("tokenizers")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: TokenizerError.self) { try Tokenizer(directory: directory) }
        let file = directory.appendingPathComponent("tokenizer.json")
        try Data("[1, 2]".utf8).write(to: file)
        do {
            _ = try Tokenizer(tokenizerJSON: file)
            Issue.record("a JSON array loaded as a tokenizer")
        } catch let error as TokenizerError {
            #expect(error.description.contains("tokenizer.json: not a tokenizer JSON object"))
        }
        try Data("{\"model\": }".utf8).write(to: file)
        #expect(throws: TokenizerError.self) { try Tokenizer(tokenizerJSON: file) }
    }

    /// Merges in pair form and in string form load into the same tokenizer.
    @Test func mergeFormsAreEquivalent() throws {
        var pairs = try FixtureData.tokenizerObject("bpe-smollm")
        var model = try #require(pairs["model"] as? [String: Any])
        let merges = try #require(model["merges"] as? [String])
        model["merges"] = merges.map { $0.split(separator: " ").map(String.init) }
        pairs["model"] = model
        let fromStrings = try Tokenizer(directory: FixtureData.tokenizerDirectory("bpe-smollm"))
        let fromPairs = try FixtureData.tokenizer(from: pairs)
        for text in try FixtureData.corpus() {
            #expect(fromPairs.encode(text) == fromStrings.encode(text))
        }
    }
}
