import CodebookRuntime
import Foundation
import Publishing
import TestSupport
import Testing

/// `codebook inspect` on a published bundle: it verifies, and every kind of tampering is refused with
/// an error that names the file.
@Suite struct BundleVerificationTests {
    /// A freshly published bundle in its own workspace.
    private func published() throws -> (Workspace, URL) {
        let workspace = try Workspace()
        return (workspace, try Publisher.publish(workspace.request).directory)
    }

    @Test func aPublishedBundleVerifies() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let verification = try BundleVerification.verify(bundle)
        let manifest = try #require(verification.manifest)
        #expect(manifest.entries.map(\.name) == Publisher.bundleFiles)
        #expect(verification.codebook.directions.map(\.name) == ["harmful_vs_harmless", "injection_vs_benign_instruction", "injection_vs_harmless"])
        let evaluation = try #require(verification.evaluation)
        #expect(evaluation.split == "heldout")
        #expect(evaluation.contrasts.map(\.name) == verification.codebook.directions.map(\.name))
    }

    @Test func anArtifactsFolderWithoutManifestVerifiesAsACodebook() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let verification = try BundleVerification.verify(workspace.artifacts)
        #expect(verification.manifest == nil)
        #expect(verification.evaluation != nil)
    }

    @Test func aTamperedFileIsRefused() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("report.html")
        try Data((try String(contentsOf: url, encoding: .utf8) + "<!-- edited -->").utf8).write(to: url)
        let error = #expect(throws: PublishingError.self) { try BundleVerification.verify(bundle) }
        guard case let .checksumMismatch(file, expected, actual)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(expected != actual)
        #expect("\(try #require(error))".contains("report.html"))
    }

    /// A flipped byte in a tensor file is caught by the manifest, before the loader reads it.
    @Test func aTamperedArtifactIsRefusedByTheManifest() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("regions.safetensors")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 1] ^= 0x80
        try bytes.write(to: url)
        #expect(throws: PublishingError.checksumMismatch(file: url.path, expected: "6916df9bde19c861e0ff6c0e35be9beb5285f7d89e596630d1b3b9bdd5a190c6",
                                                         actual: SHA256.hex(SHA256.hash(bytes)))) {
            try BundleVerification.verify(bundle)
        }
    }

    @Test func aMissingFileIsRefused() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("eval.json")
        try FileManager.default.removeItem(at: url)
        #expect(throws: PublishingError.missingListedFile(path: url.path, manifest: "MANIFEST.sha256")) {
            try BundleVerification.verify(bundle)
        }
    }

    @Test(arguments: ["notes.txt", ".DS_Store"])
    func anUnlistedFileIsRefused(name: String) throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent(name)
        try Data("extra".utf8).write(to: url)
        #expect(throws: PublishingError.unlistedFile(path: url.path, manifest: "MANIFEST.sha256")) {
            try BundleVerification.verify(bundle)
        }
    }

    @Test func anUnlistedFolderIsRefused() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("extra")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect(throws: PublishingError.unlistedFile(path: url.path, manifest: "MANIFEST.sha256")) {
            try BundleVerification.verify(bundle)
        }
    }

    /// Edits of the manifest itself: a changed digest, a malformed line, a name listed twice, a bundle file
    /// left out, a name with a folder part. Each is refused naming the manifest (and line) or the file.
    @Test(arguments: [
        ("digest", "report.html: sha256"),
        ("malformed", "MANIFEST.sha256:3: expected `<64 hex digits>  <file name>`"),
        ("duplicate", "MANIFEST.sha256:8: \"splines.json\" is listed twice"),
        ("dropped", "MANIFEST.sha256: does not list README.md"),
        ("folder", "MANIFEST.sha256:8: \"../config.json\" is not a plain file name"),
        ("empty", "MANIFEST.sha256:1: empty"),
    ])
    func aTamperedManifestIsRefused(edit: String, message: String) throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("MANIFEST.sha256")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        switch edit {
        case "digest":
            let i = try #require(lines.firstIndex { $0.hasSuffix("  report.html") })
            lines[i] = (lines[i].hasPrefix("0") ? "1" : "0") + lines[i].dropFirst()
        case "malformed": lines[2] = lines[2].replacingOccurrences(of: "  ", with: " ")
        case "duplicate": lines.append(lines[6])
        case "dropped": lines.removeFirst()
        case "folder": lines.append(String(repeating: "0", count: 64) + "  ../config.json")
        default: lines = []
        }
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
        let error = #expect(throws: PublishingError.self) { try BundleVerification.verify(bundle) }
        let text = "\(try #require(error))"
        #expect(text.contains(message), "\(text)")
    }

    /// An eval.json swapped for another codebook's (with the manifest rewritten to match) is refused:
    /// the bundle's numbers must be this codebook's.
    @Test func anEvaluationOfAnotherCodebookIsRefused() throws {
        let (workspace, bundle) = try published()
        defer { workspace.remove() }
        let url = bundle.appendingPathComponent("eval.json")
        let other = String(repeating: "a", count: 64)
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369", with: other)
        try Data(text.utf8).write(to: url)
        var files = try folderContents(bundle)
        files["MANIFEST.sha256"] = nil
        try Manifest(files: files).encoded().write(to: bundle.appendingPathComponent("MANIFEST.sha256"))
        #expect(throws: PublishingError.staleEvaluation(file: url.path, evaluated: other,
                                                        artifacts: "66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369")) {
            try BundleVerification.verify(bundle)
        }
    }

    @Test func manifestParsingAcceptsWhatSha256sumAccepts() throws {
        let digest = String(repeating: "AB", count: 32)
        let manifest = try Manifest(data: Data("\(digest) *basis.safetensors\n\(digest.lowercased())  config.json".utf8), path: "M")
        #expect(manifest.entries == [Manifest.Entry(name: "basis.safetensors", sha256: digest.lowercased()),
                                     Manifest.Entry(name: "config.json", sha256: digest.lowercased())])
    }

    @Test func manifestSortsInByteOrder() {
        let manifest = Manifest(files: ["b": Data(), "README.md": Data(), "a": Data("abc".utf8)])
        #expect(manifest.entries.map(\.name) == ["README.md", "a", "b"])
        // FIPS 180-2's example digest of "abc".
        #expect(manifest.sha256(of: "a") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
