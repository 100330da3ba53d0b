import CodebookRuntime
import Foundation
import Publishing
import TestSupport
import Testing

/// A fresh folder with an artifacts folder as `make compile` leaves it (the compile fixture's four
/// artifacts, the evaluation fixture's eval.json and report.html) and a `dist/` path that does not exist yet.
struct Workspace {
    let root: URL
    var artifacts: URL { root.appendingPathComponent("artifacts/synthetic-bert-12") }
    var dist: URL { root.appendingPathComponent("dist") }

    static let artifactFiles = ["basis.safetensors", "config.json", "regions.safetensors", "splines.json"]
    static let evaluationFiles = ["eval.json", "report.html"]

    init() throws {
        root = try Fixtures.temporaryDirectory("publish")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        for name in Self.artifactFiles {
            try FileManager.default.copyItem(at: Fixtures.url("compile/artifacts/\(name)"), to: artifacts.appendingPathComponent(name))
        }
        for name in Self.evaluationFiles {
            try FileManager.default.copyItem(at: Fixtures.url("publish/\(name)"), to: artifacts.appendingPathComponent(name))
        }
    }

    var request: PublishRequest { PublishRequest(artifacts: artifacts, output: dist) }

    /// The committed artifacts' model sha256 (config.json's `model.sha256`) and config.json sha256.
    static let fixtureModelSHA256 = "e40d449b73ca77ed2fd8187d8ac303557ff7c615656d43dd668a6c80c7e9e640"
    static let fixtureConfigSHA256 = "66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369"

    /// Makes the artifacts claim to be compiled from `weights` (a detector folder's model.safetensors):
    /// config.json's `model.sha256` changes, and eval.json's `config_sha256` follows it. Returns the new
    /// config.json's sha256.
    @discardableResult
    func compiledFrom(weights: Data) throws -> String {
        let config = artifacts.appendingPathComponent("config.json"), evaluation = artifacts.appendingPathComponent("eval.json")
        let configText = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: Self.fixtureModelSHA256, with: SHA256.hex(SHA256.hash(weights)))
        // Re-sealed, as compile would have written it for those weights.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
        let sealed = try CodebookConfiguration.seal(object: object)
        try sealed.write(to: config)
        let configSHA256 = SHA256.hex(SHA256.hash(sealed))
        let evaluationText = try String(contentsOf: evaluation, encoding: .utf8)
            .replacingOccurrences(of: Self.fixtureConfigSHA256, with: configSHA256)
        try Data(evaluationText.utf8).write(to: evaluation)
        return configSHA256
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)  // A leftover temporary folder is harmless.
    }

    /// Every entry of `dist/`, hidden ones included, sorted.
    func distEntries() throws -> [String] {
        guard FileManager.default.fileExists(atPath: dist.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: dist.path).sorted()
    }
}

/// The bundle's expected folder name: `<model-name>-codebook-<compiler_version>-<8 hex of config.json's sha256>`,
/// with the sha256 from coreutils (`sha256sum Tests/Fixtures/compile/artifacts/config.json`).
let expectedBundleName = "synthetic-bert-12-codebook-0.8.0-66f017e1"

/// The bytes of every regular file of a folder, by name.
func folderContents(_ url: URL) throws -> [String: Data] {
    var contents: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
        contents[name] = try Data(contentsOf: url.appendingPathComponent(name))
    }
    return contents
}

/// eval.json's names and AUCs, read with a Decodable of the test's own, independently of the Publishing
/// library's reader. (Not with JSONSerialization: on Linux its numbers go through a lossy conversion and
/// come back an ulp off, e.g. 0.43333333333333335 as 0.4333333333333334.)
func evaluationAUCs(_ url: URL) throws -> [(name: String, auc: [String: Double])] {
    struct Document: Decodable {
        struct Contrast: Decodable {
            let name: String
            let auc: [String: Double]
        }
        let contrasts: [Contrast]
    }
    return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).contrasts.map { ($0.name, $0.auc) }
}

// MARK: - A minimal YAML reader for the model card's front matter

/// The block-style YAML subset a model card's front matter uses: mappings, sequences (`- ` items, also
/// at their key's indentation), plain and double-quoted scalars. Written for the tests so that the
/// card is read by something other than the code that wrote it.
indirect enum YAMLNode: Equatable {
    case scalar(String)
    case sequence([YAMLNode])
    case mapping([String: YAMLNode])

    subscript(key: String) -> YAMLNode? {
        if case let .mapping(map) = self { return map[key] }
        return nil
    }

    subscript(index: Int) -> YAMLNode? {
        if case let .sequence(items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    var string: String? {
        if case let .scalar(text) = self { return text }
        return nil
    }

    var items: [YAMLNode]? {
        if case let .sequence(items) = self { return items }
        return nil
    }

    var keys: Set<String> {
        if case let .mapping(map) = self { return Set(map.keys) }
        return []
    }
}

struct YAMLSyntaxError: Error, CustomStringConvertible {
    let line: Int
    let reason: String
    var description: String { "front matter line \(line): \(reason)" }
}

struct MiniYAML {
    private var lines: [(number: Int, indent: Int, text: String)] = []
    private var index = 0

    /// The front matter of a Markdown document: the text between a first line `---` and the next `---`.
    static func frontMatter(of document: String) throws -> YAMLNode {
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else {
            throw YAMLSyntaxError(line: 1, reason: "the document does not start with a `---` … `---` block")
        }
        return try parse(lines[1..<end].joined(separator: "\n"), firstLine: 2)
    }

    static func parse(_ text: String, firstLine: Int = 1) throws -> YAMLNode {
        var reader = MiniYAML()
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard !line.contains("\t") else { throw YAMLSyntaxError(line: firstLine + offset, reason: "a tab") }
            reader.lines.append((firstLine + offset, line.count - trimmed.count, String(trimmed)))
        }
        guard !reader.lines.isEmpty else { return .mapping([:]) }
        let node = try reader.block(indent: 0)
        guard reader.index == reader.lines.count else {
            throw YAMLSyntaxError(line: reader.lines[reader.index].number, reason: "unexpected indentation")
        }
        return node
    }

    private mutating func block(indent: Int) throws -> YAMLNode {
        lines[index].text.hasPrefix("- ") ? try sequence(indent: indent) : try mapping(indent: indent)
    }

    private mutating func sequence(indent: Int) throws -> YAMLNode {
        var items: [YAMLNode] = []
        while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("- ") {
            let rest = String(lines[index].text.dropFirst(2))
            if Self.splitKey(rest) != nil {
                // `- key: value` opens a mapping whose keys sit two columns in.
                lines[index] = (lines[index].number, indent + 2, rest)
                items.append(try mapping(indent: indent + 2))
            } else {
                items.append(.scalar(try Self.unquote(rest, line: lines[index].number)))
                index += 1
            }
        }
        return .sequence(items)
    }

    private mutating func mapping(indent: Int) throws -> YAMLNode {
        var map: [String: YAMLNode] = [:]
        while index < lines.count, lines[index].indent == indent, !lines[index].text.hasPrefix("- ") {
            let (number, _, text) = lines[index]
            guard let (key, value) = Self.splitKey(text) else { throw YAMLSyntaxError(line: number, reason: "expected `key: value`") }
            guard map[key] == nil else { throw YAMLSyntaxError(line: number, reason: "duplicate key \(key)") }
            index += 1
            if !value.isEmpty {
                map[key] = .scalar(try Self.unquote(value, line: number))
            } else if index < lines.count,
                      lines[index].indent > indent || (lines[index].indent == indent && lines[index].text.hasPrefix("- ")) {
                map[key] = try block(indent: lines[index].indent)
            } else {
                map[key] = .scalar("")
            }
        }
        return .mapping(map)
    }

    private static func splitKey(_ text: String) -> (String, String)? {
        if text.hasPrefix("\"") { return nil }
        if let range = text.range(of: ": ") {
            return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
        }
        return text.hasSuffix(":") ? (String(text.dropLast()), "") : nil
    }

    /// Double-quoted scalars use JSON's escapes (a subset of YAML's).
    private static func unquote(_ text: String, line: Int) throws -> String {
        guard text.hasPrefix("\"") else { return text }
        do {
            return try JSONDecoder().decode([String].self, from: Data("[\(text)]".utf8))[0]
        } catch {
            throw YAMLSyntaxError(line: line, reason: "bad double-quoted scalar \(text)")
        }
    }
}
