import Activations
import CodebookRuntime
import Foundation
import Testing
import TestSupport
@testable import Extraction

/// Loading well-formed catalogs: order, splits, texts and the hash, against an independent reading
/// with Python's json and hashlib (`scripts/fixtures/make_catalogs.py`).
@Suite struct CatalogTests {
    struct Expected: Decodable {
        struct ContrastRow: Decodable { let name, positive, negative: String }
        struct PromptRow: Decodable { let id, text, split: String }
        let contrasts: [ContrastRow]
        let conditions: [String]
        let prompts: [String: [PromptRow]]
        let sha256: String
    }

    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("catalogs/\(name).expected.json")))
    }

    /// Checks everything the loader returns against the Python reading of the same folder.
    static func checkMatches(_ catalog: Catalog, _ expected: Expected) {
        #expect(catalog.contrasts == expected.contrasts.map { Contrast(name: $0.name, positive: $0.positive, negative: $0.negative) })
        #expect(catalog.conditions == expected.conditions)
        #expect(Set(catalog.prompts.keys) == Set(expected.conditions))
        for condition in expected.conditions {
            let want = (expected.prompts[condition] ?? []).map {
                CatalogPrompt(id: $0.id, text: $0.text, split: $0.split == "heldout" ? .heldout : .train)
            }
            #expect(catalog.prompts[condition] == want, "condition \(condition)")
        }
        #expect(catalog.sha256 == expected.sha256)
    }

    @Test func goodCatalogMatchesPythonReading() throws {
        let catalog = try Catalog.load(directory: Fixtures.url("catalogs/good"))
        Self.checkMatches(catalog, try Self.expected("good"))
        // Spelled out too, so a wrong fixture script cannot hide a wrong loader.
        #expect(catalog.conditions == ["alpha", "beta", "gamma"])
        #expect(catalog.prompts["alpha"]?.map(\.split) == [.train, .heldout, .train])
        #expect(catalog.prompts["alpha"]?[1].text == "Café \"quotes\" and a tab:\tend 😀")
        #expect(catalog.prompts["beta"]?[0].text == "CRLF line endings are accepted.")
        #expect(catalog.completeContrasts == catalog.contrasts)
        #expect(catalog.sha256.count == 64)
    }

    @Test func splitRawValuesAreTheActivationFileCodes() {
        #expect(Split.train.rawValue == 0)
        #expect(Split.heldout.rawValue == 1)
    }

    @Test func subsetNeedsTheOption() throws {
        let folder = Fixtures.url("catalogs/subset")
        #expect {
            _ = try Catalog.load(directory: folder)
        } throws: { error in
            guard case let .missingConditionFile(file, line, contrast, condition, _) = error as? CatalogError else { return false }
            return file.hasSuffix("subset/catalog.json") && line == 2 && contrast == "harmful_vs_harmless" && condition == "harmless"
        }
        let catalog = try Catalog.load(directory: folder, allowingMissingConditions: true)
        Self.checkMatches(catalog, try Self.expected("subset"))
        #expect(catalog.conditions == ["harmful", "injection", "benign_instruction"])
        #expect(catalog.contrasts.count == 2)
        #expect(catalog.completeContrasts.map(\.name) == ["injection_vs_benign_instruction"])
    }

    // MARK: - The hash

    /// Writes a small catalog with two conditions into a fresh folder.
    static func writeCatalog(alpha: String, beta: String, catalogJSON: String? = nil) throws -> URL {
        let folder = try Fixtures.temporaryDirectory("catalog-hash")
        let json = catalogJSON ?? #"{"format_version": 1, "contrasts": [{"name": "a_vs_b", "positive": "alpha", "negative": "beta"}]}"#
        try Data(json.utf8).write(to: folder.appendingPathComponent("catalog.json"))
        try Data(alpha.utf8).write(to: folder.appendingPathComponent("alpha.jsonl"))
        try Data(beta.utf8).write(to: folder.appendingPathComponent("beta.jsonl"))
        return folder
    }

    @Test func hashIsDeterministicAndSeesEveryByte() throws {
        let a1 = #"{"id": "a1", "text": "one"}"# + "\n"
        let a2 = #"{"id": "a2", "text": "two"}"# + "\n"
        let b1 = #"{"id": "b1", "text": "three"}"# + "\n"
        let base = try Self.writeCatalog(alpha: a1 + a2, beta: b1)
        let same = try Self.writeCatalog(alpha: a1 + a2, beta: b1)
        // The same lines, but one moved from alpha.jsonl to beta.jsonl: the concatenated bytes are
        // equal, so only the per-file length prefix tells them apart.
        let moved = try Self.writeCatalog(alpha: a1, beta: a2 + b1)
        let oneByte = try Self.writeCatalog(alpha: a1 + a2, beta: b1.replacingOccurrences(of: "three", with: "Three"))
        let spacedCatalog = try Self.writeCatalog(
            alpha: a1 + a2, beta: b1,
            catalogJSON: #"{"format_version": 1,  "contrasts": [{"name": "a_vs_b", "positive": "alpha", "negative": "beta"}]}"#)
        defer {
            for folder in [base, same, moved, oneByte, spacedCatalog] { try? FileManager.default.removeItem(at: folder) }
        }
        let hash = try Catalog.load(directory: base).sha256
        #expect(try Catalog.load(directory: same).sha256 == hash)
        #expect(try Catalog.load(directory: moved).sha256 != hash)
        #expect(try Catalog.load(directory: oneByte).sha256 != hash)
        #expect(try Catalog.load(directory: spacedCatalog).sha256 != hash)

        // And it is exactly the documented stream.
        var stream: [UInt8] = []
        for (name, text) in [("catalog.json", #"{"format_version": 1, "contrasts": [{"name": "a_vs_b", "positive": "alpha", "negative": "beta"}]}"#),
                             ("alpha.jsonl", a1 + a2), ("beta.jsonl", b1)] {
            stream += Array(name.utf8) + [0]
            stream += withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian, Array.init)
            stream += Array(text.utf8)
        }
        #expect(hash == SHA256.hex(SHA256.hash(stream)))
    }
}
