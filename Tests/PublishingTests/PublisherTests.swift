import CodebookRuntime
import Foundation
@testable import Publishing
import TestSupport
import Testing

@Suite struct PublisherTests {
    @Test func bundleHoldsExactlyTheExpectedFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let published = try Publisher.publish(workspace.request)

        #expect(published.name == expectedBundleName)
        #expect(published.version == "0.8.0-66f017e1")
        #expect(published.directory.path == workspace.dist.appendingPathComponent(expectedBundleName).path)
        // Nothing else in dist/: no partial or replaced folder left beside the bundle.
        #expect(try workspace.distEntries() == [expectedBundleName])
        let expected = ["MANIFEST.sha256", "README.md", "basis.safetensors", "config.json", "eval.json", "regions.safetensors",
                        "report.html", "splines.json"]
        let contents = try folderContents(published.directory)
        #expect(contents.keys.sorted() == expected)
        #expect(published.files == expected)
        // The artifacts and the evaluation are copied byte for byte.
        for name in Workspace.artifactFiles + Workspace.evaluationFiles {
            #expect(contents[name] == (try Data(contentsOf: workspace.artifacts.appendingPathComponent(name))), "\(name)")
        }
        // Activations beside the artifacts are not published.
        #expect(!contents.keys.contains { $0.hasPrefix("activations") })
        // Files are 0644 whatever the umask, so archives of the bundle are the same everywhere.
        for name in expected {
            let attributes = try FileManager.default.attributesOfItem(atPath: published.directory.appendingPathComponent(name).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644, "\(name)")
        }
    }

    @Test func manifestListsEveryOtherFileWithItsSHA256() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let directory = try Publisher.publish(workspace.request).directory
        let text = try String(contentsOf: directory.appendingPathComponent("MANIFEST.sha256"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n").map(String.init)
        // sha256sum's text format: 64 lowercase hex digits, two spaces, the name.
        let names = lines.map { String($0.dropFirst(66)) }
        #expect(names == ["README.md", "basis.safetensors", "config.json", "eval.json", "regions.safetensors", "report.html", "splines.json"])
        for line in lines {
            let digest = String(line.prefix(64)), name = String(line.dropFirst(66))
            #expect(line.dropFirst(64).prefix(2) == "  ")
            #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(digest == SHA256.hex(SHA256.hash(bytes)), "\(name)")
        }
        // Known digests (coreutils' sha256sum of the committed fixtures).
        #expect(lines.contains("66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369  config.json"))
        #expect(lines.contains("69490ea95299095174a05b71bbea545f27d40069719d73431e10d95e67252563  basis.safetensors"))
    }

    @Test func publishingTwiceGivesByteIdenticalBundles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let first = try folderContents(try Publisher.publish(workspace.request).directory)
        // Again into the same dist/: the bundle is replaced, and nothing is left beside it.
        let again = try Publisher.publish(workspace.request)
        #expect(try folderContents(again.directory) == first)
        #expect(try workspace.distEntries() == [expectedBundleName])
        // And into another folder, from another copy of the inputs.
        let other = try Workspace()
        defer { other.remove() }
        #expect(try folderContents(try Publisher.publish(other.request).directory) == first)
        #expect(try Publisher.bundle(other.request).files == first)
    }

    @Test func aStalePartialFolderIsReplaced() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let partial = workspace.dist.appendingPathComponent(".\(expectedBundleName).partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data("left by a crash".utf8).write(to: partial.appendingPathComponent("README.md"))
        try Publisher.publish(workspace.request)
        #expect(try workspace.distEntries() == [expectedBundleName])
    }

    /// Inputs that must be refused before anything is written: the error names the file, and dist/
    /// is left as it was (here: not even created).
    @Test(arguments: [
        ("eval.json", "eval.json: missing"),
        ("report.html", "report.html: missing"),
        ("regions.safetensors", "regions.safetensors"),
    ])
    func aMissingInputLeavesNothingInDist(file: String, message: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(at: workspace.artifacts.appendingPathComponent(file))
        let error = #expect(throws: (any Error).self) { try Publisher.publish(workspace.request) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(message))
        #expect(try workspace.distEntries() == [])
        #expect(!FileManager.default.fileExists(atPath: workspace.dist.path))
    }

    @Test func aFailedPublishLeavesTheEarlierBundleAlone() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let earlier = try folderContents(try Publisher.publish(workspace.request).directory)
        try FileManager.default.removeItem(at: workspace.artifacts.appendingPathComponent("report.html"))
        #expect(throws: PublishingError.self) { try Publisher.publish(workspace.request) }
        #expect(try workspace.distEntries() == [expectedBundleName])
        #expect(try folderContents(workspace.dist.appendingPathComponent(expectedBundleName)) == earlier)
    }

    @Test func anEvaluationOfOtherArtifactsIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let url = workspace.artifacts.appendingPathComponent("eval.json")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369", with: String(repeating: "0", count: 64))
        try Data(text.utf8).write(to: url)
        #expect(throws: PublishingError.staleEvaluation(file: url.path, evaluated: String(repeating: "0", count: 64),
                                                        artifacts: "66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369")) {
            try Publisher.publish(workspace.request)
        }
        #expect(try workspace.distEntries() == [])
    }

    @Test func anEvaluationOfAllPromptsIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let url = workspace.artifacts.appendingPathComponent("eval.json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"split\": \"heldout\"", with: "\"split\": \"all\"")
        try Data(text.utf8).write(to: url)
        let error = #expect(throws: PublishingError.self) { try Publisher.publish(workspace.request) }
        guard case let .badEvaluation(file, key, _)? = error else {
            Issue.record("expected badEvaluation, got \(String(describing: error))")
            return
        }
        #expect(file == url.path && key == "split")
    }

    @Test func tamperedArtifactsAreRefusedBeforePublishing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let url = workspace.artifacts.appendingPathComponent("splines.json")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        let error = #expect(throws: CodebookRuntimeError.self) { try Publisher.publish(workspace.request) }
        guard case let .checksumMismatch(file, _, _)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(try workspace.distEntries() == [])
    }

    @Test(arguments: ["", "..", ".hidden", "a/b", "name with spaces"])
    func bundleNamePartsMustBePlain(value: String) {
        #expect(throws: PublishingError.self) { try Publisher.component("test", value) }
    }

    @Test func bundleNamePartsKeepTheirSpelling() throws {
        #expect(try Publisher.component("test", "SmolLM2-135M_v1.2") == "SmolLM2-135M_v1.2")
    }
}
