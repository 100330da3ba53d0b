import Foundation
import TestSupport
import Testing

/// Output paths a command cannot use: refused before any work, with one line naming the path, and
/// nothing created or changed around them.
@Suite struct OutputPathTests {
    static let model = Fixtures.url("models/tiny-llama").path
    static let catalog = Fixtures.url("catalogs/good").path
    static let activations = Fixtures.url("compile/activations.h5").path
    static let artifacts = Fixtures.url("compile/artifacts").path

    /// --out names a folder: the file cannot be renamed over it. Found at the start, not after every
    /// forward pass (and then with the finished batches left in `<out>.parts/`).
    @Test func extractIntoAFolderIsRefused() throws {
        let scratch = try Scratch("extract-out-folder")
        let folder = try scratch.folder("a.h5")
        try expectRefusal("extract", ["--model", Self.model, "--catalog", Self.catalog, "--out", folder.path],
                          mentions: [folder.path, "is a folder"], untouched: scratch.url)
    }

    /// --out names a file: compile writes a folder there.
    @Test func compileOverAFileIsRefused() throws {
        let scratch = try Scratch("compile-out-file")
        try Data("keep me".utf8).write(to: scratch.file("artifacts"))
        try expectRefusal("compile", ["--activations", Self.activations, "--out", scratch.path("artifacts")],
                          mentions: [scratch.path("artifacts"), "is a file, not a folder"], untouched: scratch.url)
    }

    /// A missing --out folder is created, parents included (it is the folder compile writes).
    @Test func compileCreatesItsFolder() throws {
        let scratch = try Scratch("compile-out-new")
        let out = scratch.file("a/b/artifacts")
        let result = try Commands.run("compile", ["--activations", Self.activations, "--out", out.path])
        #expect(result.exited(0), "\(result.stderr)")
        try expectLoadableAndFinite(out)
    }

    /// eval.json or report.html naming a folder: refused before either is written (a report that cannot
    /// be written must not leave an eval.json behind).
    @Test(arguments: ["--out", "--report"])
    func evaluateIntoAFolderIsRefused(_ flag: String) throws {
        let scratch = try Scratch("evaluate-out-folder")
        let folder = try scratch.folder("taken")
        var outputs = ["--out": scratch.path("eval.json"), "--report": scratch.path("report.html")]
        outputs[flag] = folder.path
        try expectRefusal("evaluate", ["--artifacts", Self.artifacts, "--activations", Self.activations,
                                       "--out", outputs["--out"]!, "--report", outputs["--report"]!],
                          mentions: [folder.path, "is a folder"], untouched: scratch.url)
    }
}
