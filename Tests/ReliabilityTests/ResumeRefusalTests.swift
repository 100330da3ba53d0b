import Foundation
import TestSupport
import Testing

/// `extract --resume` over parts it cannot use: refused with one line naming the parts folder or
/// file, the earlier run's parts left as they are (they are the user's to delete), no file at --out.
@Suite struct ResumeRefusalTests {
    static let model = Fixtures.url("models/tiny-llama").path
    static let catalog = Fixtures.url("catalogs/good").path

    static func arguments(_ out: URL) -> [String] {
        ["--model", model, "--catalog", catalog, "--out", out.path, "--resume"]
    }

    @Test func partsOfAnotherRunAreRefused() throws {
        let scratch = try Scratch("resume-other")
        let out = try scratch.folder("out").appendingPathComponent("a.h5")
        let parts = try scratch.folder("out/a.h5.parts")
        let manifest = #"{"batchSize": 32, "catalogSHA256": "y", "hiddenSize": 64, "maxTokens": 256, "modelSHA256": "x", "numLayers": 4, "shard": "0/1"}"#
        try Data(manifest.utf8).write(to: parts.appendingPathComponent("manifest.json"))
        try expectRefusal("extract", Self.arguments(out), mentions: [parts.path, "another model", "without --resume"],
                          untouched: out.deletingLastPathComponent())
    }

    @Test func unreadableManifestIsRefused() throws {
        let scratch = try Scratch("resume-manifest")
        let out = try scratch.folder("out").appendingPathComponent("a.h5")
        let parts = try scratch.folder("out/a.h5.parts")
        try Data("{\"batchSize\": 32,".utf8).write(to: parts.appendingPathComponent("manifest.json"))
        try expectRefusal("extract", Self.arguments(out), mentions: [parts.appendingPathComponent("manifest.json").path],
                          untouched: out.deletingLastPathComponent())
    }

    /// A part whose bytes were damaged after it was written (parts are renamed into place whole, so
    /// only something outside extract can do this): named, with what to do, and nothing at --out.
    /// The resumed run computes the missing batches first, so the parts folder grows; it is kept,
    /// since the message tells the user to delete the one part and resume.
    @Test func damagedPartIsRefused() throws {
        let scratch = try Scratch("resume-part")
        let catalog = try CrashSafetyTests.catalog(scratch)  // 8 batches: a run to kill after the first
        let folder = try scratch.folder("out")
        let out = folder.appendingPathComponent("a.h5")
        let arguments = ["--model", Self.model, "--catalog", catalog.path, "--out", out.path, "--max-tokens", "16"]
        let first = folder.appendingPathComponent("a.h5.parts/c000-b00000.safetensors")
        let outcome = try CrashSafetyTests.run("extract", arguments, killing: .when("the first part is written") {
            FileManager.default.fileExists(atPath: first.path)
        })
        guard case .killed = outcome else {
            Issue.record("extract finished 7 batches before a kill 50 µs after its first one")
            return
        }
        var bytes = try Data(contentsOf: first)
        bytes[10] = UInt8(ascii: "#")  // inside the header's JSON
        try bytes.write(to: first)

        let result = try Commands.run("extract", arguments + ["--resume"])
        #expect(result.exited(1), "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains(first.path) && result.stderr.contains("--resume"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.h5.parts"])
    }
}
