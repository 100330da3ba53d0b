import CodebookRuntime
import Foundation

/// The detector model a codebook was compiled for, as a model card names it: its Hugging Face repository
/// id (`base_model`) and its license.
package struct BaseModel: Sendable, Equatable {
    /// A Hugging Face repository id (`owner/name`), or the model folder's name when the id is not known.
    package var name: String
    /// The base model's license as its own model card states it, or nil when unknown.
    package var license: String?
    /// Where the license comes from, for the card's text.
    package var licenseSource: String?

    package init(name: String, license: String?, licenseSource: String?) {
        self.name = name
        self.license = license
        self.licenseSource = licenseSource
    }

    /// The detectors this project knows, by folder name: their repository ids and the `license` of
    /// their own model cards' front matter (all-MiniLM-L6-v2's README.md, as the default model's
    /// package ships it, says `license: apache-2.0`; so does SmolLM2's card).
    package static let known: [String: (repository: String, license: String)] = [
        "all-MiniLM-L6-v2": ("sentence-transformers/all-MiniLM-L6-v2", "apache-2.0"),
        "SmolLM2-135M": ("HuggingFaceTB/SmolLM2-135M", "apache-2.0"),
        "SmolLM2-135M-Instruct": ("HuggingFaceTB/SmolLM2-135M-Instruct", "apache-2.0"),
    ]

    /// Resolves the base model of a codebook compiled from the model folder `modelName`.
    ///
    /// - `override`: a repository id given by the user (`--model-card-base-model`), used as is.
    /// - `modelDirectory`: the detector's folder, which must hold the weights the codebook was compiled
    ///   from (`weightsSHA256`, config.json's `model.sha256`: a card must not state another model's
    ///   license). The `license` of its `README.md` front matter, when it has one, is the license stated
    ///   (the model's own card is the authority); otherwise the table above.
    package static func resolve(modelName: String, override: String?, modelDirectory: URL?, weightsSHA256: String) throws -> BaseModel {
        let name = override ?? known[modelName]?.repository ?? modelName
        let key = String(name.split(separator: "/").last ?? Substring(name))
        if let modelDirectory {
            try checkWeights(modelDirectory, sha256: weightsSHA256)
            let readme = modelDirectory.appendingPathComponent("README.md")
            if Files.exists(readme), let license = try frontMatterValue("license", in: Files.read(readme), path: readme.path) {
                return BaseModel(name: name, license: license, licenseSource: "the `license` of its model card, \(readme.lastPathComponent) in \(modelDirectory.lastPathComponent)/")
            }
        }
        if let entry = known[key] {
            return BaseModel(name: name, license: entry.license, licenseSource: "the `license` of its model card")
        }
        return BaseModel(name: name, license: nil, licenseSource: nil)
    }

    /// The weights file whose sha256 extract records as `model_sha256` (SafeTensorsCheckpoint's choice:
    /// `model.safetensors`, else the shard index).
    static let weightsFiles = ["model.safetensors", "model.safetensors.index.json"]

    private static func checkWeights(_ directory: URL, sha256 expected: String) throws {
        guard Files.isDirectory(directory) else {
            throw PublishingError.missingFile(path: directory.path, hint: "give the detector model's folder, or leave out --model")
        }
        guard let weights = weightsFiles.map({ directory.appendingPathComponent($0) }).first(where: Files.exists) else {
            throw PublishingError.missingFile(path: directory.appendingPathComponent(weightsFiles[0]).path,
                                              hint: "--model must be the detector's folder (a Hugging Face snapshot with its weights)")
        }
        let actual = try SHA256.hexDigest(ofFileAt: weights)
        guard actual == expected else {
            throw PublishingError.modelMismatch(model: directory.path, expected: expected, actual: actual)
        }
    }

    /// The value of a top-level key of a model card's YAML front matter (between the first two `---`
    /// lines), unquoted; nil when the card has no front matter or no such key.
    static func frontMatterValue(_ key: String, in data: Data, path: String) throws -> String? {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PublishingError.cannotRead(path: path, reason: "not UTF-8 text")
        }
        // Trailing blanks only: an indented `license:` belongs to a nested mapping. (`isNewline` splits
        // at `\r\n` too, which Swift holds as one Character.)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            String(line.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
        guard lines.first == "---" else { return nil }
        for line in lines.dropFirst() {
            if line == "---" { break }
            guard line.hasPrefix(key + ":") else { continue }
            var value = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
