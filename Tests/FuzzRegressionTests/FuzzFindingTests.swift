import Foundation
import Testing
import TestSupport
import Tokenizers

/// One test per fuzzer finding, pinning the fix beyond "the saved input no longer crashes": each states
/// what the reader must now do with the smallest input that shows the bug.
@Suite struct FuzzFindingTests {
    /// Found by FuzzTokenizer (Tests/Fixtures/fuzz/regressions/tokenizer/oom-vocab-id-333100000: a vocabulary
    /// id of 333 100 000 made the loader allocate 5.3 GB). The id → string table was dense, sized by the
    /// largest id; ids may lie far apart (the reference keeps a hash map), so the table is sparse now. With
    /// the largest id Int32 allows, a dense table would need 32 GiB: this test would not finish.
    @Test func farApartTokenIDsCostNoMemoryPerUnusedID() throws {
        let folder = try Fixtures.temporaryDirectory("fuzz-finding")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tokenizer.json")
        try Data(#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "far": 2147483646}}}"#.utf8).write(to: url)
        let tokenizer = try Tokenizer(tokenizerJSON: url)
        #expect(tokenizer.vocabularySize == 2_147_483_647)
        #expect(tokenizer.encode("far").ids == [2_147_483_646])
        #expect(tokenizer.encode("near").ids == [0])
        // No pre-tokenizer: each text is one piece.
        #expect(tokenizer.tokens("far") == ["far"])
        #expect(tokenizer.tokens("near") == ["[UNK]"])
    }
}
