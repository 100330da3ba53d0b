import Foundation
import TestSupport
import Testing

/// Usage errors of every command (SPEC §10): exit status 2 without a trap, the parser's message first
/// (naming the flag or value), and nothing written at the output path.
@Suite struct UsageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let command: String
        /// `{out}` is replaced by an output path in a folder that must stay empty.
        let arguments: [String]
        /// In the first line of stderr.
        let mentions: String
        var testDescription: String { "\(command) \(arguments.joined(separator: " "))" }
    }

    static let model = Fixtures.url("models/tiny-llama").path
    static let catalog = Fixtures.url("catalogs/good").path
    static let activations = Fixtures.url("compile/activations.h5").path
    static let artifacts = Fixtures.url("compile/artifacts").path

    static let cases: [Case] = [
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--frobnicate"], mentions: "--frobnicate"),
        Case(command: "extract", arguments: ["--model", model, "--out", "{out}"], mentions: "--catalog"),
        Case(command: "extract", arguments: ["--catalog", catalog, "--out", "{out}"], mentions: "--model"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog], mentions: "--out"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--shard", "3/2"], mentions: "--shard 3/2"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--shard", "1/0"], mentions: "--shard 1/0"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--shard", "half"], mentions: "--shard half"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--max-tokens", "0"], mentions: "--max-tokens"),
        Case(command: "extract", arguments: ["--model", model, "--catalog", catalog, "--out", "{out}", "--max-tokens", "many"], mentions: "many"),
        Case(command: "compile", arguments: ["--activations", activations, "--out", "{out}", "--layer", "-1"], mentions: "-1"),
        Case(command: "compile", arguments: ["--activations", activations, "--out", "{out}", "--layer", "top"], mentions: "top"),
        Case(command: "compile", arguments: ["--activations", activations, "--out", "{out}", "--pooling", "max"], mentions: "max"),
        Case(command: "compile", arguments: ["--out", "{out}"], mentions: "--activations"),
        Case(command: "compile", arguments: ["--activations", activations], mentions: "--out"),
        Case(command: "compile", arguments: ["--activations", activations, "--out", "{out}", "--verbose"], mentions: "--verbose"),
        Case(command: "evaluate", arguments: ["--artifacts", artifacts, "--activations", activations], mentions: "--out"),
        Case(command: "evaluate", arguments: ["--artifacts", artifacts, "--activations", activations, "--out", "{out}", "--split", "test"], mentions: "test"),
        Case(command: "evaluate", arguments: ["--artifacts", artifacts, "--activations", activations, "--out", "{out}", "--tolerance", "0.1"], mentions: "--golden"),
        Case(command: "codebook", arguments: ["inspect"], mentions: "<directory>"),
        Case(command: "codebook", arguments: ["transmogrify", "{out}"], mentions: "transmogrify"),
        Case(command: "codebook", arguments: ["score", "--artifacts", artifacts, "--model", model, "--max-tokens", "0", "text"], mentions: "--max-tokens"),
    ]

    @Test(arguments: cases)
    func usageErrorExitsWithTwo(_ testCase: Case) throws {
        let scratch = try Scratch("usage")
        let folder = try scratch.folder("out")
        let out = folder.appendingPathComponent("output").path
        let result = try Commands.run(testCase.command, testCase.arguments.map { $0 == "{out}" ? out : $0 })
        #expect(result.reason == .exit, "ended by signal \(result.status)")
        #expect(result.status == 2, "\(result.stderr)")
        let first = result.stderrLines.first ?? ""
        #expect(first.contains(testCase.mentions), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// --help is not an error.
    @Test(arguments: ["extract", "compile", "evaluate", "codebook"])
    func helpExitsWithZero(_ command: String) throws {
        let result = try Commands.run(command, ["--help"])
        #expect(result.exited(0), "\(result.stderr)")
        #expect(result.stdout.contains("USAGE") || result.stdout.contains("Usage"))
    }
}
