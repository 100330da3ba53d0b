import Foundation
import TestSupport
import Testing

/// `codebook publish` and `codebook inspect` run as a user would: exit statuses (0 done, 1 bad input with
/// one line on stderr naming the file, 2 usage) and what they print.
@Suite struct CommandTests {
    static func run(_ arguments: [String], in directory: URL) throws -> Commands.Result {
        try Commands.run("codebook", arguments, in: directory)
    }

    @Test func publishPrintsTheBundleAndInspectVerifiesIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let publish = try Self.run(["publish", "--artifacts", "artifacts/synthetic-bert-12", "--out", "dist"], in: workspace.root)
        #expect(publish.status == 0, "\(publish.stderr)")
        #expect(publish.stdout == "dist/\(expectedBundleName)\n")
        let inspect = try Self.run(["inspect", "dist/\(expectedBundleName)"], in: workspace.root)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.hasPrefix("dist/\(expectedBundleName): bundle verified (MANIFEST.sha256: 7 files"))
        #expect(inspect.stdout.contains("eval.json: heldout split, measured on this config.json"))
        #expect(inspect.stdout.contains("harmful_vs_harmless               6/5       0.367"))
    }

    @Test func inspectRefusesATamperedBundleWithOneLine() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try Self.run(["publish", "--artifacts", "artifacts/synthetic-bert-12", "--out", "dist"], in: workspace.root).status == 0)
        let bundle = workspace.dist.appendingPathComponent(expectedBundleName)
        try Data("extra".utf8).write(to: bundle.appendingPathComponent("notes.txt"))
        let inspect = try Self.run(["inspect", bundle.path], in: workspace.root)
        #expect(inspect.status == 1)
        #expect(inspect.stdout.isEmpty)
        #expect(inspect.stderr == "codebook: \(bundle.path)/notes.txt: not listed in MANIFEST.sha256; a bundle holds only the files its manifest lists\n")
    }

    @Test func publishWithoutEvaluationFailsAndWritesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(at: workspace.artifacts.appendingPathComponent("eval.json"))
        let publish = try Self.run(["publish", "--artifacts", "artifacts/synthetic-bert-12", "--out", "dist"], in: workspace.root)
        #expect(publish.status == 1)
        #expect(publish.stderr.hasPrefix("codebook: \(workspace.artifacts.path)/eval.json: missing --> HINT: run `make compile`"))
        #expect(publish.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try workspace.distEntries() == [])
    }

    @Test(arguments: [["publish", "--out", "dist"], ["publish", "--artifacts", "a", "--out", "d", "--model-card-base-model", "has space"]])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Self.run(arguments, in: workspace.root)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(try workspace.distEntries() == [])
    }
}
