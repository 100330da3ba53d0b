import CodebookRuntime
import Foundation

/// What `codebook publish` is asked to do.
package struct PublishRequest: Sendable {
    /// `artifacts/<model-name>/`: the four artifacts with `eval.json` and `report.html` (what
    /// `make compile` writes). Other files there (activations) are not published.
    package var artifacts: URL
    /// The folder the bundle goes in (`dist/`); made when missing.
    package var output: URL
    /// The model card's `base_model`, instead of the one derived from the detector's folder name.
    package var baseModel: String?
    /// The detector model's folder (its weights must be the codebook's): the license in its `README.md`
    /// front matter is the one the card states.
    package var modelDirectory: URL?

    package init(artifacts: URL, output: URL, baseModel: String? = nil, modelDirectory: URL? = nil) {
        self.artifacts = artifacts
        self.output = output
        self.baseModel = baseModel
        self.modelDirectory = modelDirectory
    }
}

/// A release bundle in memory: its name and the bytes of every file, the manifest included.
package struct CodebookBundle: Sendable, Equatable {
    /// `<model-name>-codebook-<version>`.
    package let name: String
    /// `<compiler_version>-<first 8 hex digits of config.json's sha256>`.
    package let version: String
    package let files: [String: Data]
}

/// A bundle written to disk.
package struct PublishedBundle: Sendable, Equatable {
    package let name: String
    package let version: String
    package let directory: URL
    /// Sorted in byte order, `MANIFEST.sha256` included.
    package let files: [String]
}

/// `codebook publish`: a compiled and evaluated codebook as a versioned release bundle,
/// `<out>/<model-name>-codebook-<version>/`, holding the four artifacts, `eval.json`, `report.html`, a
/// model card (`README.md`) and `MANIFEST.sha256`. (`make publish` then packs it into a deterministic
/// `.tar.gz` with GNU tar and `gzip -n`: Foundation on Linux has no gzip.)
///
/// The version is `config.json`'s `compiler_version`, then the first 8 hex digits of `config.json`'s
/// sha256. `config.json` records the sha256 of the other three artifacts, so the hash names the whole
/// codebook: two different codebooks never share a bundle name, and publishing the same codebook again
/// replaces its bundle (byte-identical when `eval.json` and `report.html` are the same).
///
/// Crash safety: every input is read and checked before anything is written (the codebook verified as
/// `Codebook.load` does, `eval.json` checked to measure exactly this `config.json`); the bundle is written
/// to `<out>/.<name>.partial`, verified there as `codebook inspect` would, then renamed into place. On
/// any failure the partial folder is removed and nothing that looks like a bundle is left.
package enum Publisher {
    package static let reportFile = "report.html"

    /// The files of every bundle besides `MANIFEST.sha256`, sorted in byte order.
    package static let bundleFiles = ([ModelCard.fileName, EvaluationSummary.fileName, reportFile, CodebookArtifacts.config]
        + CodebookArtifacts.checksummed).sorted(by: Manifest.precedes)

    private static let evaluateHint = "run `make compile`, or `evaluate --artifacts DIR --activations FILE.h5 --out DIR/eval.json --report DIR/report.html`"

    /// Reads, checks and assembles the bundle of `request.artifacts` in memory; writes nothing.
    package static func bundle(_ request: PublishRequest) throws -> CodebookBundle {
        let artifacts = request.artifacts
        guard Files.isDirectory(artifacts) else {
            throw PublishingError.missingFile(path: artifacts.path, hint: "run `make compile` to write the artifacts folder")
        }
        let codebook = try Codebook.load(artifacts)
        let configuration = codebook.configuration
        func read(_ name: String, hint: String) throws -> Data {
            try Files.read(artifacts.appendingPathComponent(name), hint: hint)
        }
        // The bytes read must be the ones `Codebook.load` verified (a compile running meanwhile would change them).
        func changed(_ name: String) -> PublishingError {
            .cannotRead(path: artifacts.appendingPathComponent(name).path, reason: "changed while it was read; publish again")
        }
        var files: [String: Data] = [:]
        for name in CodebookArtifacts.checksummed {
            let data = try read(name, hint: "run `make compile`")
            guard SHA256.hex(SHA256.hash(data)) == configuration.files[name] else { throw changed(name) }
            files[name] = data
        }
        let configData = try read(CodebookArtifacts.config, hint: "run `make compile`")
        let reread: CodebookConfiguration
        do {
            reread = try JSONDecoder().decode(CodebookConfiguration.self, from: configData)
        } catch {
            throw changed(CodebookArtifacts.config)
        }
        guard reread == configuration else { throw changed(CodebookArtifacts.config) }
        files[CodebookArtifacts.config] = configData
        let configSHA256 = SHA256.hex(SHA256.hash(configData))
        let evaluationURL = artifacts.appendingPathComponent(EvaluationSummary.fileName)
        let evaluationData = try read(EvaluationSummary.fileName, hint: evaluateHint)
        files[EvaluationSummary.fileName] = evaluationData
        files[reportFile] = try read(reportFile, hint: evaluateHint)

        let evaluationPath = evaluationURL.path
        let evaluation = try EvaluationSummary(data: evaluationData, path: evaluationPath)
        try evaluation.check(against: configuration, configSHA256: configSHA256, path: evaluationPath)
        guard evaluation.split == "heldout" else {
            throw PublishingError.badEvaluation(
                file: evaluationPath, key: "split",
                reason: "\"\(evaluation.split)\": a bundle states held-out numbers --> HINT: re-run `evaluate` with --split heldout")
        }

        let modelName = try self.modelName(configuration, modelDirectory: request.modelDirectory)
        let version = try component("compiler_version", configuration.compilerVersion) + "-" + configSHA256.prefix(8)
        let name = "\(modelName)-codebook-\(version)"
        let baseModel = try BaseModel.resolve(modelName: modelName, override: request.baseModel, modelDirectory: request.modelDirectory,
                                              weightsSHA256: configuration.model.sha256)
        let card = ModelCard(bundleName: name, version: version, configuration: configuration, configSHA256: configSHA256,
                             evaluation: evaluation, baseModel: baseModel)
        files[ModelCard.fileName] = Data(card.render().utf8)
        files[Manifest.fileName] = Manifest(files: files).encoded()
        return CodebookBundle(name: name, version: version, files: files)
    }

    /// Publishes `request.artifacts` as `request.output/<name>/`, replacing an earlier bundle of the same name.
    @discardableResult
    package static func publish(_ request: PublishRequest) throws -> PublishedBundle {
        let bundle = try self.bundle(request)
        let output = request.output
        if Files.exists(output) && !Files.isDirectory(output) {
            throw PublishingError.cannotWrite(path: output.path, reason: "a file, not a folder")
        }
        try Files.createDirectory(output)
        let partial = output.appendingPathComponent(".\(bundle.name).partial")
        let final = output.appendingPathComponent(bundle.name)
        // A partial folder of this name is what a crashed publish of the same bundle left.
        if Files.exists(partial) { try Files.remove(partial) }
        do {
            try Files.createDirectory(partial)
            for (name, data) in bundle.files.sorted(by: { Manifest.precedes($0.key, $1.key) }) {
                try Files.write(data, to: partial.appendingPathComponent(name))
            }
            _ = try BundleVerification.verify(partial)
            try replace(final, with: partial, aside: output.appendingPathComponent(".\(bundle.name).replaced"))
        } catch {
            if Files.exists(partial) { try? Files.remove(partial) }  // Best effort: the error being reported is the first one.
            throw error
        }
        return PublishedBundle(name: bundle.name, version: bundle.version, directory: final,
                               files: bundle.files.keys.sorted(by: Manifest.precedes))
    }

    /// Renames `partial` to `final`. An existing `final` is moved aside first (a folder cannot be renamed
    /// over a non-empty one) and removed after; if the rename fails it is put back.
    private static func replace(_ final: URL, with partial: URL, aside: URL) throws {
        guard Files.exists(final) else {
            try Files.rename(partial, to: final)
            return
        }
        if Files.exists(aside) { try Files.remove(aside) }
        try Files.rename(final, to: aside)
        do {
            try Files.rename(partial, to: final)
        } catch {
            try? Files.rename(aside, to: final)  // Best effort: the rename's error is the one to report.
            throw error
        }
        try Files.remove(aside)
    }

    /// The detector's folder name, from `config.json`'s `model.path` (as `make`'s `MODEL_NAME`), or
    /// from `modelDirectory` when the recorded path has no usable name (e.g. `.`).
    static func modelName(_ configuration: CodebookConfiguration, modelDirectory: URL?) throws -> String {
        let recorded = ggufModelName(configuration.model.path.split(separator: "/").last.map(String.init) ?? "")
        if isComponent(recorded) { return recorded }
        guard let modelDirectory else {
            throw PublishingError.badName(what: "config.json's model.path", value: configuration.model.path,
                                          reason: "has no folder name to name the bundle by --> HINT: give --model DIR")
        }
        return try component("the --model folder's name", modelDirectory.standardizedFileURL.lastPathComponent)
    }

    /// A GGUF file's model name as `make`'s `MODEL_NAME` forms it: without `.gguf` and without the
    /// quantization suffix llama.cpp's files carry (`SmolLM2-135M-Instruct.Q4_1.gguf` →
    /// `SmolLM2-135M-Instruct`). Other names are returned unchanged.
    static func ggufModelName(_ file: String) -> String {
        guard file.hasSuffix(".gguf") else { return file }
        let stem = String(file.dropLast(".gguf".count))
        guard let cut = stem.lastIndex(where: { $0 == "." || $0 == "-" }) else { return stem }
        let suffix = stem[stem.index(after: cut)...]
        let quantization = /(I?Q[0-9]+(_[0-9A-Z]+)*|F16|F32|BF16)/
        return suffix.wholeMatch(of: quantization) != nil ? String(stem[..<cut]) : stem
    }

    /// `value` as part of a file name: letters, digits, `.`, `_` and `-`, not starting with `.`.
    static func component(_ what: String, _ value: String) throws -> String {
        guard isComponent(value) else {
            throw PublishingError.badName(what: what, value: value, reason: "use only letters, digits, '.', '_' and '-', not starting with '.'")
        }
        return value
    }

    private static func isComponent(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix(".") && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
