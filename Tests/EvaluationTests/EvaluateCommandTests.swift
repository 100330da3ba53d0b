import CodebookRuntime
import Evaluation
import Foundation
import Testing
import TestSupport

/// The `evaluate` executable as a user runs it: SPEC §9's eval.json keys, deterministic output, the
/// report, the golden regression check and SPEC §10's exit statuses (0 done, 1 bad input with one line
/// on stderr, 2 usage).
@Suite struct EvaluateCommandTests {
    static let artifacts = Fixtures.url("compile/artifacts").path
    static let activations = Fixtures.url("compile/activations.h5").path

    /// Runs `evaluate` on the compile fixture into a fresh folder; `extra` are more arguments.
    static func evaluate(_ folder: URL, artifacts: String = artifacts, activations: String = activations,
                         _ extra: [String] = []) throws -> Commands.Result {
        try EvaluateCommand.run(["--artifacts", artifacts, "--activations", activations,
                                 "--out", folder.appendingPathComponent("eval.json").path] + extra)
    }

    @Test func writesSpecKeysDeterministically() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.evaluate(folder, ["--report", folder.appendingPathComponent("report.html").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("evaluate: 3 contrasts on the heldout split"))
        let bytes = try Data(contentsOf: folder.appendingPathComponent("eval.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(Set(json.keys) == ["format_version", "split", "artifacts", "contrasts"])
        #expect(json["format_version"] as? Int == 1 && json["split"] as? String == "heldout")
        let artifacts = try #require(json["artifacts"] as? [String: Any])
        #expect(Set(artifacts.keys) == ["config_sha256", "layer"])
        let configBytes = try Data(contentsOf: Fixtures.url("compile/artifacts/config.json"))
        #expect(artifacts["config_sha256"] as? String == SHA256Hex.of(configBytes))
        #expect(artifacts["layer"] as? Int == 2)
        let contrasts = try #require(json["contrasts"] as? [[String: Any]])
        #expect(contrasts.map { $0["name"] as? String } == ["harmful_vs_harmless", "injection_vs_benign_instruction", "injection_vs_harmless"])
        // The compile fixture's codebook has multi-layer probes, so their key is there too.
        let metrics: Set = ["codebook", "window_1", "window_4", "window_8", "window_16", "per_token", "mean_difference", "probe",
                            "multilayer_probe"]
        for contrast in contrasts {
            #expect(Set(contrast.keys) == ["name", "positive", "negative", "n_positive", "n_negative", "auc", "tpr_at_fpr01", "at_threshold", "verdict"])
            #expect((contrast["verdict"] as? [String: Any]).map { Set($0.keys) } == ["scorer", "tpr", "fpr", "other_fpr", "n_other"])
            #expect((contrast["auc"] as? [String: Any]).map { Set($0.keys) } == metrics)
            #expect((contrast["tpr_at_fpr01"] as? [String: Any]).map { Set($0.keys) } == metrics)
            #expect((contrast["at_threshold"] as? [String: Any]).map { Set($0.keys) } == ["tpr", "fpr"])
        }
        // Keys sorted at every level: the text's keys appear in sorted order.
        let text = String(decoding: bytes, as: UTF8.self)
        let topKeys = ["\"artifacts\"", "\"contrasts\"", "\"format_version\"", "\"split\""].map { text.range(of: $0)!.lowerBound }
        #expect(topKeys == topKeys.sorted())
        // The same inputs give the same bytes.
        let again = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: again) }
        #expect(try Self.evaluate(again).status == 0)
        #expect(try Data(contentsOf: again.appendingPathComponent("eval.json")) == bytes)
        // No temporary file left beside the outputs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["eval.json", "report.html"])
    }

    // MARK: - Golden

    @Test func goldenPassesAgainstItsOwnEvaluation() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.evaluate(folder).status == 0)
        let golden = folder.appendingPathComponent("golden.json")
        try FileManager.default.moveItem(at: folder.appendingPathComponent("eval.json"), to: golden)
        let result = try Self.evaluate(folder, ["--golden", golden.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("all 27 AUCs"))
    }

    /// A codebook whose classifiers are negated (the fixture's `negated/`) against the real codebook's
    /// evaluation: exit 1, and the table lists exactly the AUCs that fell by more than the tolerance,
    /// as the reference numbers say.
    @Test(arguments: [0.02, 0.1])
    func goldenFailsOnADegradedCodebook(tolerance: Double) throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.evaluate(folder).status == 0)
        let golden = folder.appendingPathComponent("golden.json")
        try FileManager.default.moveItem(at: folder.appendingPathComponent("eval.json"), to: golden)
        let result = try Self.evaluate(folder, artifacts: Fixtures.url("evaluation/negated").path,
                                       ["--golden", golden.path, "--tolerance", "\(tolerance)"])
        #expect(result.status == 1)

        // Expected drops from the reference: original − negated > tolerance.
        let cases = try EvaluationReference.cases()
        func aucs(_ artifacts: String) throws -> [String: [String: Double]] {
            let entry = try #require(cases.first { $0.artifacts == artifacts && $0.activations == "compile/activations.h5" && $0.split == "heldout" })
            let eval = try #require(try JSONSerialization.jsonObject(with: entry.eval) as? [String: Any])
            let contrasts = try #require(eval["contrasts"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: try contrasts.map { (try #require($0["name"] as? String), try #require($0["auc"] as? [String: Double])) })
        }
        let original = try aucs("compile/artifacts"), negated = try aucs("evaluation/negated")
        var expected: [String] = []
        for contrast in original.keys.sorted() {
            for metric in original[contrast]!.keys.sorted() where original[contrast]![metric]! - negated[contrast]![metric]! > tolerance {
                expected.append("\(contrast) \(metric)")
            }
        }
        #expect(!expected.isEmpty && expected.allSatisfy { !$0.hasSuffix("mean_difference") && !$0.hasSuffix("probe") },
                "negating the classifiers lowers codebook AUCs only")

        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "evaluate: \(expected.count) of 27 AUCs dropped more than \(tolerance) below \(golden.path)")
        let rows = lines.dropFirst(3).map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(rows == expected)
        // eval.json is written all the same: the check reads it, it does not replace it.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("eval.json").path))
    }

    @Test func goldenWithAnotherSplitIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.evaluate(folder, ["--split", "all"]).status == 0)
        let golden = folder.appendingPathComponent("golden.json")
        try FileManager.default.moveItem(at: folder.appendingPathComponent("eval.json"), to: golden)
        let result = try Self.evaluate(folder, ["--golden", golden.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("split all") && result.stderr.contains("on heldout"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("eval.json").path), "nothing is written")
    }

    // MARK: - Exit statuses

    @Test func badInputExitsWithOneLine() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("eval.json").path
        let cases: [(artifacts: String, activations: String, extra: [String], says: [String])] = [
            (Self.artifacts, Fixtures.url("evaluation/ties.h5").path, [], ["injection_vs_harmless", "injection has no heldout prompt"]),
            (Self.artifacts, Fixtures.url("evaluation/other_model.h5").path, ["--split", "all"], ["model_sha256"]),
            (Self.artifacts, Fixtures.url("evaluation/hidden_8.h5").path, ["--split", "all"], ["hidden_size 8", "has 12"]),
            (folder.appendingPathComponent("absent").path, Self.activations, [], ["absent", "config.json"]),
            (Self.artifacts, folder.appendingPathComponent("absent.h5").path, [], ["absent.h5"]),
            (Self.artifacts, Self.activations, ["--golden", folder.appendingPathComponent("absent.json").path], ["absent.json"]),
        ]
        for (artifacts, activations, extra, says) in cases {
            let result = try EvaluateCommand.run(["--artifacts", artifacts, "--activations", activations, "--out", output] + extra)
            #expect(result.status == 1, "\(artifacts) \(activations) \(extra)")
            #expect(result.stderr.hasPrefix("evaluate: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(says.allSatisfy { result.stderr.contains($0) }, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
        // An output folder that does not exist.
        let result = try EvaluateCommand.run(["--artifacts", Self.artifacts, "--activations", Self.activations,
                                              "--out", folder.appendingPathComponent("missing/eval.json").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing/eval.json"))
    }

    /// `OUT` stands for a fresh output path.
    @Test(arguments: [
        ["--activations", activations, "--out", "OUT"],                                     // no --artifacts
        ["--artifacts", artifacts, "--activations", activations],                           // no --out
        ["--artifacts", artifacts, "--activations", activations, "--out", "OUT", "--split", "train"],
        ["--artifacts", artifacts, "--activations", activations, "--out", "OUT", "--tolerance", "0.1"],  // no --golden
        ["--artifacts", artifacts, "--activations", activations, "--out", "OUT", "--golden", "g.json", "--tolerance", "-1"],
        ["--artifacts", artifacts, "--activations", activations, "--out", "OUT", "--golden", "g.json", "--tolerance", "nan"],
        ["--artifacts", artifacts, "--activations", activations, "--out", "OUT", "--frobnicate"],
    ])
    func usageErrorsExitWithTwo(_ arguments: [String]) throws {
        let folder = try Fixtures.temporaryDirectory("evaluate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("eval.json").path
        let result = try EvaluateCommand.run(arguments.map { $0 == "OUT" ? output : $0 })
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing is written")
    }

    /// `--help` lists every flag and exits 0. (A regression: ArgumentParser answers `--help` with a help
    /// command whose `run()` throws `helpRequested`, which `StageCommand.main` once reported as bad input.)
    @Test func helpExitsWithZero() throws {
        let result = try EvaluateCommand.run(["--help"])
        #expect(result.status == 0)
        for flag in ["--artifacts", "--activations", "--out", "--report", "--split", "--golden", "--tolerance"] {
            #expect(result.stdout.contains(flag), "\(flag)")
        }
    }
}

/// sha256 in hex, through the runtime's implementation (tested against hashlib in CodebookRuntimeTests).
enum SHA256Hex {
    static func of(_ data: Data) -> String { SHA256.hex(SHA256.hash(data)) }
}
