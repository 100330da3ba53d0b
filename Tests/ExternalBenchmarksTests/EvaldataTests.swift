import CodebookRuntime
import Foundation
import Testing
import TestSupport
@testable import ExternalBenchmarks

/// The real external benchmarks, when `../shared/evaldata` (or `$EVALDATA`, relative to the repository
/// root) is there; skipped otherwise. The data is never copied into the repository: the fixture holds
/// counts, ids and checksums only (scripts/fixtures/make_external.py, Python's csv and json modules).
@Suite(.enabled(if: Evaldata.folder != nil, "needs the external benchmarks (../shared/evaldata or EVALDATA=)"))
struct EvaldataTests {
    static var folder: URL? { Evaldata.folder }

    private struct Reference: Decodable {
        struct Condition: Decodable {
            let count: Int
            let first_id: String
            let last_id: String
            let sha256: String
        }
        let conditions: [String: Condition]
    }

    /// The counts the README reports (and the earlier study's, except benign_instruction: it had
    /// deepset benign + NotInject only, 682; the Alpaca seeds are benign instructions too).
    @Test func countsPerContrast() throws {
        let built = try ExternalCatalog.build(from: try #require(Self.folder))
        let counts = ExternalCatalog.contrasts.map { "\($0.name) \(built.prompts[$0.positive]?.count ?? 0)/\(built.prompts[$0.negative]?.count ?? 0)" }
        #expect(counts == [
            "code_violated_vs_code_expected 80/80",
            "tool_call_vs_natural_language 240/254",
            "uncertain_vs_confident 400/400",
            "harmful_vs_harmless 491/525",
            "injection_vs_benign_instruction 503/857",
        ])
        // Nothing empty in these files; the duplicates are BFCL's repeated calls (18) and questions (4),
        // HarmBench behaviors that JailbreakBench or XSTest already have (9), and 7 repeated plain sentences.
        let empty: Int = built.counts.map(\.empty).reduce(0, +)
        #expect(empty == 0)
        let duplicates: Int = built.counts.map(\.duplicates).reduce(0, +)
        #expect(duplicates == 38)  // 18 + 4 + 9 + 7
    }

    /// Every byte of every condition file as Python's csv and json modules read the benchmarks.
    @Test func catalogMatchesThePythonReference() throws {
        let reference = try Fixtures.decode("external/catalog.json", as: Reference.self)
        let built = try ExternalCatalog.build(from: try #require(Self.folder))
        let scratch = try ScratchFolder()
        let out = scratch.url.appendingPathComponent("catalog")
        try ExternalCatalog.write(built, to: out)
        #expect(Set(reference.conditions.keys) == Set(built.conditions))
        for condition in built.conditions {
            let expected = try #require(reference.conditions[condition], "\(condition)")
            let prompts = try #require(built.prompts[condition])
            #expect(prompts.count == expected.count, "\(condition)")
            #expect(prompts.first?.id == expected.first_id, "\(condition)")
            #expect(prompts.last?.id == expected.last_id, "\(condition)")
            let sha = try SHA256.hexDigest(ofFileAt: out.appendingPathComponent("\(condition).jsonl"))
            #expect(sha == expected.sha256, "\(condition).jsonl differs from scripts/fixtures/make_external.py's")
        }
    }

    /// The benchmarks are the yardstick only: no run of 10 words of any of their texts (capped or not)
    /// appears in any catalog of the repository (`conditions/` and every other folder with a
    /// `catalog.json`, test fixtures aside), which catches copies and light edits (shorter runs are
    /// shared by common phrasing and code idioms such as `for (int i = 0; i < n; i++)`).
    @Test func noBenchmarkTextInTheRepositorysCatalogs() throws {
        let data = try #require(Self.folder)
        let runLength = 10
        // Each run of 10 words of a benchmark text, and each shorter text whole → where it comes from.
        var runs: [ArraySlice<Substring>: String] = [:]
        for source in ExternalCatalog.sources {
            for text in try source.read(data) {
                let words = Self.words(text.text)
                let id = ExternalCatalog.id(source.idPrefix, text.record)
                if words.count < runLength {
                    if !words.isEmpty { runs[words[...]] = id }
                } else {
                    for start in 0 ... words.count - runLength { runs[words[start ..< start + runLength]] = id }
                }
            }
        }
        let folders = try Self.catalogFolders()
        #expect(folders.contains { $0.lastPathComponent == "conditions" }, "\(folders)")
        var found: [String] = []
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".jsonl") {
                for line in try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
                    let prompt = try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
                    let name = "\(folder.lastPathComponent)/\(prompt["id"] ?? file)"
                    let words = Self.words(prompt["text"] ?? "")
                    // A short benchmark text counts when it is a prompt's whole text.
                    if let match = runs[words[...]] {
                        found.append("\(name) = \(match)")
                    } else if words.count >= runLength,
                              let match = (0 ... words.count - runLength).lazy.compactMap({ runs[words[$0 ..< $0 + runLength]] }).first {
                        found.append("\(name) ~ \(match)")
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.prefix(10))")
    }

    /// Every folder of the repository holding a `catalog.json`, except build output, fetched models,
    /// `work/` (where the external catalog itself is built) and the test fixtures (small made-up catalogs).
    static func catalogFolders() throws -> [URL] {
        let root = Fixtures.repositoryRoot.standardized
        let skipped: Set<String> = ["work", "models", "dist", "Tests"]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: root.path])
        }
        var folders: [URL] = []
        for case let url as URL in walker {
            let name = url.lastPathComponent
            let isTopLevel = url.standardized.deletingLastPathComponent().path == root.path
            if (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true,
               name.hasPrefix(".") || (isTopLevel && skipped.contains(name)) {
                walker.skipDescendants()
            } else if name == "catalog.json" {
                folders.append(url.deletingLastPathComponent())
            }
        }
        return folders.sorted { $0.path < $1.path }
    }

    /// Lowercased runs of letters, digits and apostrophes.
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }
    }
}

/// Where the external benchmarks are: `$EVALDATA` (what `make test` passes), else `../shared/evaldata`,
/// relative to the repository root; nil when that folder does not exist.
enum Evaldata {
    static var folder: URL? {
        let given = ProcessInfo.processInfo.environment["EVALDATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "../shared/evaldata"
        let url = given.hasPrefix("/") ? URL(fileURLWithPath: given) : Fixtures.repositoryRoot.appendingPathComponent(given)
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue ? url.standardized : nil
    }
}
