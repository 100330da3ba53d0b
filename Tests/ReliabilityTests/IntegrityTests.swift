import CodebookRuntime
import Foundation
import TestSupport
import Testing

/// The gaps a careful user found (issue 11): what each command now does instead.
@Suite struct IntegrityTests {
    static let tinyLlama = Fixtures.url("models/tiny-llama")
    static let goodCatalog = Fixtures.url("catalogs/good")
    static let artifacts = Fixtures.url("compile/artifacts")
    static let activations = Fixtures.url("compile/activations.h5")

    // MARK: - extract

    /// Two extracts on one `--out`: the second is refused at once, naming the lock, and the first's
    /// parts are untouched.
    @Test func aSecondExtractOnTheSameOutputIsRefused() throws {
        let scratch = try Scratch("extract-lock")
        let out = try scratch.folder("out")
        let lockURL = out.appendingPathComponent("a.h5.lock")
        // Held here as a running extract holds it.
        let fd = open(lockURL.path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        try expectRefusal("extract", ["--model", Self.tinyLlama.path, "--catalog", Self.goodCatalog.path,
                                      "--out", out.appendingPathComponent("a.h5").path],
                          mentions: ["another extract is writing", lockURL.path], untouched: out)
    }

    /// The lock is released and removed when a run ends, so the next run goes ahead; a missing output
    /// folder is made.
    @Test func extractMakesItsFolderAndLeavesNoLock() throws {
        let scratch = try Scratch("extract-folder")
        let target = scratch.file("new/deeper/a.h5")
        for _ in 0..<2 {
            let result = try Commands.run("extract", ["--model", Self.tinyLlama.path, "--catalog", Self.goodCatalog.path, "--out", target.path])
            #expect(result.exited(0), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["a.h5"])
    }

    /// A `--max-tokens` beyond the model's positions is refused before any work, with the limit.
    @Test func maxTokensBeyondTheModelIsRefusedUpFront() throws {
        let scratch = try Scratch("extract-max-tokens")
        let out = try scratch.folder("out")
        try expectRefusal("extract", ["--model", Self.tinyLlama.path, "--catalog", Self.goodCatalog.path,
                                      "--out", out.appendingPathComponent("a.h5").path, "--max-tokens", "257"],
                          mentions: ["--max-tokens 257", "at most 256 content tokens"], untouched: out)
    }

    /// A garbage `tokenizer.json`: one line naming the file, no `NSError` dump.
    @Test func aGarbageTokenizerIsNamedPlainly() throws {
        let scratch = try Scratch("garbage-tokenizer")
        let model = try scratch.copy(Self.tinyLlama, as: "model")
        try Data([0x7B, 0x00, 0xFF, 0x13, 0x22] + Array(repeating: 0x41, count: 100)).write(to: model.appendingPathComponent("tokenizer.json"))
        let out = try scratch.folder("out")
        let result = try expectRefusal("extract", ["--model", model.path, "--catalog", Self.goodCatalog.path,
                                                   "--out", out.appendingPathComponent("a.h5").path],
                                       mentions: [model.appendingPathComponent("tokenizer.json").path, "not valid JSON"], untouched: out)
        #expect(!result.stderr.contains("Domain="), "\(result.stderr)")
    }

    // MARK: - Catalogs

    /// A byte-order mark and trailing blank lines are what editors write: both accepted.
    @Test func aBOMAndTrailingBlankLinesAreAccepted() throws {
        let scratch = try Scratch("catalog-bom")
        let catalog = try scratch.copy(Self.goodCatalog, as: "catalog")
        for name in ["catalog.json", "alpha.jsonl"] {
            let url = catalog.appendingPathComponent(name)
            try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: url) + Data("\n\n  \n".utf8)).write(to: url)
        }
        let result = try Commands.run("extract", ["--model", Self.tinyLlama.path, "--catalog", catalog.path, "--out", scratch.path("a.h5")])
        #expect(result.exited(0), "\(result.stderr)")
    }

    // MARK: - compile and evaluate

    /// An output folder that cannot be made: one plain line.
    @Test func compileIntoAnImpossibleFolderSaysWhy() throws {
        let result = try Commands.run("compile", ["--activations", Self.activations.path, "--out", "/proc/no-such-place/artifacts"])
        #expect(result.exited(1), "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("/proc/no-such-place/artifacts"), "\(result.stderr)")
        #expect(!result.stderr.contains("Domain="), "\(result.stderr)")
    }

    /// A report that cannot be written leaves no eval.json either (both or neither).
    @Test func aReportThatCannotBeWrittenLeavesNoEvaluation() throws {
        let scratch = try Scratch("evaluate-report")
        let out = try scratch.folder("out")
        // A folder where the report's file aside must go: the write fails after eval.json's has succeeded.
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".report.html.partial"), withIntermediateDirectories: false)
        try expectRefusal("evaluate", ["--artifacts", Self.artifacts.path, "--activations", Self.activations.path,
                                       "--out", out.appendingPathComponent("eval.json").path,
                                       "--report", out.appendingPathComponent("report.html").path],
                          mentions: ["report.html", "cannot write"], untouched: out)
    }

    // MARK: - config.json and bundles

    /// The same model at another path gives the same config.json (its sha256 names the bundle).
    @Test func configRecordsTheModelByName() throws {
        let configuration = try Codebook.load(Self.artifacts).configuration
        #expect(configuration.model.path == "synthetic-bert-12")
    }

    /// `codebook score` on artifacts whose config.json was edited (another layer): refused by its seal.
    @Test func scoringEditedArtifactsIsRefused() throws {
        let scratch = try Scratch("score-edited")
        let directory = try scratch.copy(Self.artifacts, as: "artifacts")
        let url = directory.appendingPathComponent("config.json")
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"layer\" : 2", with: "\"layer\" : 1")
        try #require(edited != text)
        try Data(edited.utf8).write(to: url)
        try expectRefusal("codebook", ["score", "--artifacts", directory.path, "--model", Self.tinyLlama.path, "text"],
                          mentions: [url.path, "content_sha256"], untouched: directory)
    }

    /// `codebook score` on a folder with a manifest verifies the bundle first, as `inspect` does.
    @Test func scoringABundleChecksItsManifest() throws {
        let scratch = try Scratch("score-bundle")
        let directory = try scratch.copy(Self.artifacts, as: "artifacts")
        try Data("\(String(repeating: "0", count: 64))  config.json\n".utf8).write(to: directory.appendingPathComponent("MANIFEST.sha256"))
        try expectRefusal("codebook", ["score", "--artifacts", directory.path, "--model", Self.tinyLlama.path, "text"],
                          mentions: ["MANIFEST.sha256"], untouched: directory)
    }
}
