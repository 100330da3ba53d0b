import CodebookRuntime
import Foundation
import FuzzHarness
import Testing
import TestSupport

/// Replays every saved fuzz input (`Tests/Fixtures/fuzz/regressions/<target>/` and
/// `Tests/Fixtures/fuzz/seeds/<target>/`) through the code the libFuzzer binaries run, without
/// sanitizers: a crash kills this test, an error is the expected answer to bad input, and an input the
/// reader accepts must not contradict itself. The seeds that are valid by construction must be accepted,
/// which shows the harness reaches the parsers instead of refusing everything at its own door.
@Suite struct FuzzRegressionTests {
    /// Every saved input of one target (seeds and regressions), by file name.
    static func savedInputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for kind in ["seeds", "regressions"] {
            let folder = Fixtures.url("fuzz/\(kind)/\(target.rawValue)")
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where !name.hasPrefix(".") {
                inputs.append(("\(kind)/\(target.rawValue)/\(name)", Array(try Data(contentsOf: folder.appendingPathComponent(name)))))
            }
        }
        return inputs
    }

    @Test(arguments: FuzzTarget.allCases)
    func savedInputsReplayWithoutCrashing(_ target: FuzzTarget) throws {
        let harness = try FuzzHarness(target: target, scratch: try Fixtures.temporaryDirectory("fuzz-\(target.rawValue)"))
        defer { harness.removeScratch() }
        let inputs = try Self.savedInputs(target)
        for (name, bytes) in inputs {
            let outcome = harness.run(bytes)
            if case .inconsistent = outcome { Issue.record("\(name): \(outcome)") }
        }
    }

    // MARK: - Inputs that must parse

    @Test func catalogSeedsWithBothConditionsLoad() throws {
        let harness = try FuzzHarness(target: .catalog, scratch: try Fixtures.temporaryDirectory("fuzz-catalog"))
        defer { harness.removeScratch() }
        let seeds = try Self.savedInputs(.catalog).filter { $0.name.hasPrefix("seeds/") && $0.name.contains("valid") }
        try #require(!seeds.isEmpty)
        for (name, bytes) in seeds {
            let outcome = harness.run(bytes)
            #expect(outcome.isAccepted, "\(name): \(outcome)")
        }
    }

    @Test func fixtureGGUFFilesLoadAndDequantize() throws {
        let harness = try FuzzHarness(target: .gguf, scratch: try Fixtures.temporaryDirectory("fuzz-gguf"))
        defer { harness.removeScratch() }
        for fixture in ["dequant.gguf", "metadata-v3.gguf", "metadata-v2.gguf", "malformed/_valid.gguf"] {
            let outcome = harness.run(Array(try Data(contentsOf: Fixtures.url("gguf/\(fixture)"))))
            #expect(outcome.isAccepted, "\(fixture): \(outcome)")
        }
        let refused = harness.run(Array(try Data(contentsOf: Fixtures.url("gguf/malformed/misaligned.gguf"))))
        #expect(!refused.isAccepted)
    }

    @Test func fixtureTokenizersLoadAndEncode() throws {
        let harness = try FuzzHarness(target: .tokenizer, scratch: try Fixtures.temporaryDirectory("fuzz-tokenizer"))
        defer { harness.removeScratch() }
        for fixture in ["bpe-pairs", "bpe-prefix-fallback", "bpe-smollm", "bpe-template-bos", "wordpiece-cased"] {
            let bytes = Array(try Data(contentsOf: Fixtures.url("tokenizers/\(fixture)/tokenizer.json")))
            let outcome = harness.run(bytes)
            #expect(outcome.isAccepted, "\(fixture): \(outcome)")
        }
        // tokenizer.json ‖ NUL ‖ tokenizer_config.json: the folder form.
        let json = Array(try Data(contentsOf: Fixtures.url("tokenizers/bpe-smollm/tokenizer.json")))
        let config = Array(try Data(contentsOf: Fixtures.url("tokenizers/bpe-smollm/tokenizer_config.json")))
        #expect(harness.run(json + [0] + config).isAccepted)
    }

    @Test func fixtureSafeTensorsLoad() throws {
        let harness = try FuzzHarness(target: .safetensors, scratch: try Fixtures.temporaryDirectory("fuzz-safetensors"))
        defer { harness.removeScratch() }
        for fixture in ["safetensors/dtypes.safetensors", "safetensors/writer_numpy.safetensors", "compile/artifacts/regions.safetensors"] {
            let outcome = harness.run(Array(try Data(contentsOf: Fixtures.url(fixture))))
            #expect(outcome.isAccepted, "\(fixture): \(outcome)")
        }
        // A malformed fixture is refused, not accepted and not a crash.
        let truncated = harness.run(Array(try Data(contentsOf: Fixtures.url("safetensors/malformed/truncated.safetensors"))))
        #expect(!truncated.isAccepted)
    }

    /// Each artifact file, unchanged, loads through the codebook target with and without the checksum
    /// rewrite; a changed byte loads only with the rewrite (the checksum guards the parsers otherwise).
    @Test(arguments: CodebookInput.files)
    func codebookInputsReachTheParsers(_ file: String) throws {
        let harness = try FuzzHarness(target: .codebook, scratch: try Fixtures.temporaryDirectory("fuzz-codebook"))
        defer { harness.removeScratch() }
        let original = Array(try Data(contentsOf: Fixtures.url("compile/artifacts/\(file)")))
        for fix in [false, true] {
            let outcome = harness.run(CodebookInput.encode(file: file, fixChecksum: fix, contents: original))
            #expect(outcome.isAccepted, "\(file), fixChecksum \(fix): \(outcome)")
        }
        guard file != CodebookArtifacts.config else { return }
        // A trailing space: still valid JSON / safetensors? Not for safetensors (trailing bytes), so
        // check only that the checksum is what refuses it without the rewrite.
        let changed = original + Array(" ".utf8)
        let unchecked = harness.run(CodebookInput.encode(file: file, fixChecksum: false, contents: changed))
        #expect("\(unchecked)".contains("sha256") || "\(unchecked)".lowercased().contains("checksum"), "\(unchecked)")
        if file == CodebookArtifacts.splines {
            #expect(harness.run(CodebookInput.encode(file: file, fixChecksum: true, contents: changed)).isAccepted)
        }
    }
}
