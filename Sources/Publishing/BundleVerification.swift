import CodebookRuntime
import Foundation

/// `codebook inspect DIR`: a folder verified as a release bundle (when it has `MANIFEST.sha256`) and as
/// a codebook, with its evaluation.
package struct BundleVerification: Sendable {
    package let directory: URL
    /// The manifest, when the folder is a published bundle.
    package let manifest: Manifest?
    /// The codebook, loaded and verified by `Codebook.load` (versions, `config.json`'s sha256s, shapes).
    package let codebook: Codebook
    /// `eval.json`, checked to measure this very `config.json`; required in a bundle, optional in an
    /// artifacts folder.
    package let evaluation: EvaluationSummary?

    /// Verifies `directory`, failing at the first problem with an error that names the file.
    ///
    /// With `MANIFEST.sha256`: the manifest parses; it lists every file a bundle holds; every file it
    /// lists exists and has the recorded sha256; the folder has nothing it does not list (a file added
    /// beside a verified bundle would otherwise ride along unnoticed). Then, bundle or not, the codebook is
    /// loaded as `Codebook.load` does, and `eval.json`, when present, must name this `config.json`'s sha256.
    package static func verify(_ directory: URL) throws -> BundleVerification {
        guard Files.isDirectory(directory) else {
            throw PublishingError.missingFile(path: directory.path, hint: "give a codebook folder (artifacts/<model>/ or a published bundle)")
        }
        let manifestURL = directory.appendingPathComponent(Manifest.fileName)
        var manifest: Manifest?
        if Files.exists(manifestURL) {
            manifest = try verifyManifest(directory, manifestURL)
        }
        let codebook = try Codebook.load(directory)
        let evaluationURL = directory.appendingPathComponent(EvaluationSummary.fileName)
        var evaluation: EvaluationSummary?
        if Files.exists(evaluationURL) {
            let summary = try EvaluationSummary(contentsOf: evaluationURL)
            let configSHA256 = try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent(CodebookArtifacts.config))
            try summary.check(against: codebook.configuration, configSHA256: configSHA256, path: evaluationURL.path)
            evaluation = summary
        }
        return BundleVerification(directory: directory, manifest: manifest, codebook: codebook, evaluation: evaluation)
    }

    private static func verifyManifest(_ directory: URL, _ manifestURL: URL) throws -> Manifest {
        let manifest = try Manifest(data: try Files.read(manifestURL), path: manifestURL.path)
        let listed = Set(manifest.entries.map(\.name))
        for name in Publisher.bundleFiles where !listed.contains(name) {
            throw PublishingError.incompleteManifest(manifest: manifestURL.path, file: name)
        }
        for entry in manifest.entries {
            let url = directory.appendingPathComponent(entry.name)
            guard Files.exists(url) else { throw PublishingError.missingListedFile(path: url.path, manifest: Manifest.fileName) }
            guard !Files.isDirectory(url) else { throw PublishingError.cannotRead(path: url.path, reason: "a folder, not a file") }
            let actual = try SHA256.hexDigest(ofFileAt: url)
            guard actual == entry.sha256 else {
                throw PublishingError.checksumMismatch(file: url.path, expected: entry.sha256, actual: actual)
            }
        }
        for name in try Files.names(in: directory) where name != Manifest.fileName && !listed.contains(name) {
            throw PublishingError.unlistedFile(path: directory.appendingPathComponent(name).path, manifest: Manifest.fileName)
        }
        return manifest
    }
}
