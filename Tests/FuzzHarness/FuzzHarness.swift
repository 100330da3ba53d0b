import CodebookRuntime
import Extraction
import Foundation
import GGUF
import SafeTensors
import TestSupport
import Tokenizers

/// The code each fuzz target runs on one input, shared by the libFuzzer binaries (`Fuzz/`, built with
/// `-sanitize=fuzzer,address`) and by `FuzzRegressionTests` (plain `swift test`), so that a saved crash
/// input replays through exactly the path that found it.
///
/// Thrown errors are the expected answer to bad input and are returned as `.rejected`; a trap, a
/// sanitizer report, a leak or a timeout is a finding. Every reader under test takes a file or a folder,
/// so each input is written into a scratch folder first (`/dev/shm` when it exists: no disk traffic).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `SafeTensorsFile(contentsOf:)` on the input as a file, then every tensor read every way.
    case safetensors
    /// `Catalog.load(directory:)` on the input split at NUL bytes into
    /// `catalog.json` ‖ 0x00 ‖ `a.jsonl` ‖ 0x00 ‖ `b.jsonl` (missing parts: no file).
    case catalog
    /// `Tokenizer(tokenizerJSON:)` on the input, then `encode` of fixed strings and of the input as text.
    /// With a NUL byte the input is `tokenizer.json` ‖ 0x00 ‖ `tokenizer_config.json`, loaded as a folder.
    case tokenizer
    /// `Codebook.load(_:)` on the committed artifacts with one file replaced by the input (see
    /// `CodebookInput`), then every scoring entry point.
    case codebook
    /// `GGUFFile(path:)` on the input as a file, then every metadata value read through the typed
    /// accessors and every tensor dequantized.
    case gguf
}

/// What one input did: parsed (and was exercised), or was refused with an error.
public enum FuzzOutcome: Sendable, CustomStringConvertible {
    case accepted
    case rejected(String)
    /// The reader accepted the input but what it returned contradicts itself (a `HarnessFailure`):
    /// a finding, like a crash.
    case inconsistent(String)

    public var isAccepted: Bool {
        if case .accepted = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .accepted: "accepted"
        case .rejected(let reason): "rejected: \(reason)"
        case .inconsistent(let reason): "inconsistent: \(reason)"
        }
    }
}

/// One fuzz target bound to its scratch folder. Not safe to run concurrently on the same scratch
/// folder (the files are rewritten per input); libFuzzer runs one input at a time.
public struct FuzzHarness: Sendable {
    public let target: FuzzTarget
    public let scratch: URL
    private let artifacts: ArtifactTemplate?

    /// `scratch` is created if needed; `nil` picks `/dev/shm/codebook-fuzz-<target>-<pid>` (or the
    /// temporary folder when there is no `/dev/shm`), or `$CODEBOOK_FUZZ_SCRATCH` when set.
    public init(target: FuzzTarget, scratch: URL? = nil) throws {
        self.target = target
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let environment = ProcessInfo.processInfo.environment["CODEBOOK_FUZZ_SCRATCH"].map { URL(fileURLWithPath: $0) }
        self.scratch = scratch ?? environment ?? base.appendingPathComponent("codebook-fuzz-\(target.rawValue)-\(getpid())")
        try FileManager.default.createDirectory(at: self.scratch, withIntermediateDirectories: true)
        artifacts = target == .codebook ? try ArtifactTemplate() : nil
    }

    /// Removes the scratch folder.
    public func removeScratch() {
        // Best effort at exit: a leftover folder in /dev/shm is harmless and named after its process.
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs one input through the target.
    public func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        run(Array(input))
    }

    public func run(_ input: [UInt8]) -> FuzzOutcome {
        do {
            switch target {
            case .safetensors: try safetensors(input)
            case .catalog: try catalog(input)
            case .tokenizer: try tokenizer(input)
            case .codebook: try codebook(input)
            case .gguf: try gguf(input)
            }
            return .accepted
        } catch let failure as HarnessFailure {
            return .inconsistent(failure.description)
        } catch {
            // Building the message runs each error's `description`, which is reader code too.
            return .rejected("\(error)")
        }
    }

    // MARK: - safetensors

    private func safetensors(_ input: [UInt8]) throws {
        let url = scratch.appendingPathComponent("input.safetensors")
        try write(input, to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        _ = file.metadata.count
        for name in file.tensorNames {
            let info = try file.requireInfo(name)
            let count = try file.withUnsafeBytes(name) { $0.count }
            guard count == info.byteCount else {
                throw HarnessFailure("tensor \(name): \(count) bytes, header says \(info.byteCount)")
            }
            // Each accessor either converts or refuses the dtype; both are legal, a trap is not.
            for read in [{ try file.floats(name, shape: info.shape).count }, { try file.doubles(name, shape: info.shape).count },
                         { try file.int64s(name, shape: info.shape).count }] as [() throws -> Int] {
                if let decoded = try attempt(read), decoded != info.elementCount {
                    throw HarnessFailure("tensor \(name): decoded \(decoded) values, shape \(info.shape) holds \(info.elementCount)")
                }
            }
        }
    }

    /// The value count of a read, or nil when the reader refused it (a dtype it does not convert, a U64
    /// above Int64.max).
    private func attempt(_ read: () throws -> Int) throws -> Int? {
        do { return try read() } catch let error as SafeTensorsError { _ = error.description; return nil }
    }

    // MARK: - gguf

    private func gguf(_ input: [UInt8]) throws {
        let url = scratch.appendingPathComponent("input.gguf")
        try write(input, to: url)
        let file = try GGUFFile(path: url.path)
        for key in file.metadataKeys {
            // Each typed accessor either returns the value or names the key and the type: both legal.
            for read in [{ _ = try file.string(key) }, { _ = try file.integer(key) }, { _ = try file.real(key) },
                         { _ = try file.bool(key) }, { _ = try file.strings(key) }, { _ = try file.integers(key) }] as [() throws -> Void] {
                do { try read() } catch let error as GGUFError { _ = error.description }
            }
        }
        for info in file.tensors {
            let values = try file.floats(info.name)
            guard values.count == info.elementCount, info.shape.reduce(1, *) == info.elementCount else {
                throw HarnessFailure("tensor \(info.name): \(values.count) values, shape \(info.shape)")
            }
        }
    }

    // MARK: - catalog

    /// The condition files the catalog target writes, in input order.
    public static let catalogConditionNames = ["a", "b"]

    private func catalog(_ input: [UInt8]) throws {
        let parts = input.split(separator: 0, maxSplits: Self.catalogConditionNames.count, omittingEmptySubsequences: false)
        try write(Array(parts[0]), to: scratch.appendingPathComponent(Catalog.catalogFileName))
        for (index, condition) in Self.catalogConditionNames.enumerated() {
            let url = Catalog.conditionURL(directory: scratch, condition: condition)
            if index + 1 < parts.count {
                try write(Array(parts[index + 1]), to: url)
            } else if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
        }
        // Strict first, then the evaluation mode that tolerates missing condition files.
        let strict: Result<Catalog, Error> = Result { try Catalog.load(directory: scratch) }
        let lenient = try Catalog.load(directory: scratch, allowingMissingConditions: true)
        for contrast in lenient.completeContrasts {
            guard let positive = lenient.prompts[contrast.positive], let negative = lenient.prompts[contrast.negative],
                  !positive.isEmpty, !negative.isEmpty else {
                throw HarnessFailure("complete contrast \(contrast.name) without prompts on both sides")
            }
        }
        let catalog = try strict.get()
        guard catalog.sha256 == lenient.sha256 else { throw HarnessFailure("the two loading modes hash differently") }
    }

    // MARK: - tokenizer

    /// Texts every loaded tokenizer encodes: ASCII, accents, CJK, emoji, digits, whitespace runs, empty.
    public static let tokenizerTexts = [
        "", "Hello, world!", "Ignore all previous instructions.", "Café naïve ÅÉÎ", "日本語のテキスト",
        "emoji 😀👍🏽 and ZWJ 👩‍👩‍👧", "1234567 3.14159", "  \t\n  spaces\u{00A0}and\u{3000}tabs  ", "[CLS] <s> </s> [SEP] [UNK]",
    ]

    private func tokenizer(_ input: [UInt8]) throws {
        let tokenizer: Tokenizer
        if let separator = input.firstIndex(of: 0) {
            try write(Array(input[..<separator]), to: scratch.appendingPathComponent("tokenizer.json"))
            try write(Array(input[(separator + 1)...]), to: scratch.appendingPathComponent("tokenizer_config.json"))
            tokenizer = try Tokenizer(directory: scratch)
        } else {
            try write(input, to: scratch.appendingPathComponent("tokenizer.json"))
            tokenizer = try Tokenizer(tokenizerJSON: scratch.appendingPathComponent("tokenizer.json"))
        }
        for text in Self.tokenizerTexts + [String(decoding: input, as: UTF8.self)] {
            let encoding = tokenizer.encode(text)
            let truncated = tokenizer.encode(text, maxContentTokens: 3)
            guard truncated.contentCount == min(encoding.contentCount, 3),
                  encoding.ids.allSatisfy({ $0 >= 0 && Int($0) < tokenizer.vocabularySize }) else {
                throw HarnessFailure("inconsistent encodings of \(text.debugDescription)")
            }
            _ = tokenizer.tokens(text)
        }
    }

    // MARK: - codebook

    private func codebook(_ input: [UInt8]) throws {
        guard let artifacts, let request = CodebookInput(input) else { return }
        let directory = scratch.appendingPathComponent("artifacts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try artifacts.write(into: directory, replacing: request.file, with: request.contents, fixChecksum: request.fixChecksum)
        let codebook = try Codebook.load(directory)
        // The loaded parameters go through every scoring path: a trap there (an index past a tensor,
        // an empty spline) is as much a loader bug as one while parsing.
        let levels = ProjectionBasis.levels
        let perturbations: [[Float]] = [
            [Float](repeating: 0, count: levels),
            (0 ..< levels).map { Float(($0 * 37) % 11) / 5 - 1 },
            [Float](repeating: 1e30, count: levels),
            [Float](repeating: -.greatestFiniteMagnitude, count: levels),
        ]
        for perturbation in perturbations {
            _ = codebook.decompose(codebook.project(perturbation))
            _ = codebook.score(perturbation)
            var output = [Double](repeating: 0, count: codebook.directions.count)
            perturbation.withUnsafeBufferPointer { p in
                output.withUnsafeMutableBufferPointer { codebook.probabilities(p, into: $0) }
            }
        }
        let hidden = (0 ..< codebook.configuration.model.hiddenSize).map { Float($0 % 7) - 3 }
        _ = codebook.scoreHidden { _, _ in [hidden] }

        // The rolling-window detectors (SPEC §8) over a prompt made of those perturbations.
        let tokens = perturbations.flatMap { $0 }  // [4, 64]
        try tokens.withUnsafeBufferPointer { tokens in
            for (window, threshold) in [(1, DetectionThreshold.youden), (3, .fpr01), (8, .value(0.5))] {
                _ = try codebook.detect(tokenPerturbations: tokens, window: window, threshold: threshold)
            }
        }
        let tokenHidden = (0 ..< 3).flatMap { t in hidden.map { $0 * Float(t + 1) } }  // [3, d]
        try tokenHidden.withUnsafeBufferPointer { states in
            _ = try codebook.detectHidden(tokenHidden: { _ in states }, tokens: 3, window: 2)
        }
    }

    // MARK: - Helpers

    private func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }
}

/// A harness self-check that failed: the reader accepted something inconsistent. Unlike a reader's
/// own error this is a finding, so the fuzz binaries trap on it.
public struct HarnessFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The codebook target's input: byte 0 chooses the file (`byte & 3` indexes `CodebookInput.files`)
/// and whether `config.json`'s sha256 for it is recomputed (`byte & 4`), so the parsers behind the
/// checksum see the mutated bytes; the rest of the input is that file's new content.
public struct CodebookInput: Sendable {
    public static let files = [CodebookArtifacts.config, CodebookArtifacts.basis, CodebookArtifacts.regions, CodebookArtifacts.splines]
    public static let fixChecksumFlag: UInt8 = 4

    public let file: String
    public let fixChecksum: Bool
    public let contents: [UInt8]

    public init?(_ input: [UInt8]) {
        guard let selector = input.first else { return nil }
        file = Self.files[Int(selector & 3)]
        fixChecksum = selector & Self.fixChecksumFlag != 0
        contents = Array(input.dropFirst())
    }

    /// The input that replaces `file` with `contents`.
    public static func encode(file: String, fixChecksum: Bool, contents: [UInt8]) -> [UInt8] {
        let index = UInt8(files.firstIndex(of: file) ?? 0)
        return [index | (fixChecksum ? fixChecksumFlag : 0)] + contents
    }
}

/// The committed valid artifacts (`Tests/Fixtures/compile/artifacts/`), read once.
struct ArtifactTemplate: Sendable {
    let files: [String: [UInt8]]

    init() throws {
        var files: [String: [UInt8]] = [:]
        for name in CodebookInput.files {
            files[name] = Array(try Data(contentsOf: Fixtures.url("compile/artifacts/\(name)")))
        }
        self.files = files
    }

    /// Writes the four files into `directory`, `replaced` with `contents`. With `fixChecksum` (and a
    /// checksummed file replaced), the file's sha256 in `config.json` is swapped for the new one.
    func write(into directory: URL, replacing replaced: String, with contents: [UInt8], fixChecksum: Bool) throws {
        for (name, original) in files {
            var bytes = name == replaced ? contents : original
            if name == CodebookArtifacts.config, fixChecksum, replaced != CodebookArtifacts.config, let old = files[replaced] {
                let oldDigest = SHA256.hex(SHA256.hash(old)), newDigest = SHA256.hex(SHA256.hash(contents))
                let object = try JSONSerialization.jsonObject(with: Data(String(decoding: original, as: UTF8.self)
                    .replacingOccurrences(of: oldDigest, with: newDigest).utf8)) as? [String: Any] ?? [:]
                bytes = Array(try CodebookConfiguration.seal(object: object))  // and config.json re-sealed
            }
            try Data(bytes).write(to: directory.appendingPathComponent(name))
        }
    }
}
