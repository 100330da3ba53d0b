import Foundation
import HDF5
import TestSupport
import Testing

/// `compile` and `evaluate` on activations files they must refuse: truncated, foreign, not HDF5,
/// holding NaN or infinities. Exit 1, one line naming the file (and the dataset), nothing written.
@Suite struct ActivationsRefusalTests {
    static let activations = Fixtures.url("compile/activations.h5")
    static let artifacts = Fixtures.url("compile/artifacts")

    enum Stage: String, CaseIterable, Sendable { case compile, evaluate }

    /// Runs `stage` on `file` with its output in an empty folder that must stay empty.
    static func expectRefused(_ stage: Stage, _ file: URL, in scratch: Scratch, mentions: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try scratch.folder("out")
        let arguments: [String]
        switch stage {
        case .compile:
            arguments = ["--activations", file.path, "--out", out.appendingPathComponent("artifacts").path]
        case .evaluate:
            arguments = ["--artifacts", artifacts.path, "--activations", file.path, "--out", out.appendingPathComponent("eval.json").path,
                         "--report", out.appendingPathComponent("report.html").path]
        }
        try expectRefusal(stage.rawValue, arguments, mentions: [file.path] + mentions, untouched: out, sourceLocation: sourceLocation)
    }

    /// The fixture cut short: in the superblock, in the metadata, in the chunks.
    @Test(arguments: Stage.allCases, [0.002, 0.1, 0.5, 0.9])
    func truncatedFileIsRefused(_ stage: Stage, keeping fraction: Double) throws {
        let scratch = try Scratch("truncated-h5")
        let bytes = try Data(contentsOf: Self.activations)
        let file = scratch.file("activations.h5")
        try Data(bytes.prefix(Int(Double(bytes.count) * fraction))).write(to: file)
        try Self.expectRefused(stage, file, in: scratch, mentions: [])
    }

    /// An HDF5 file another program wrote: valid HDF5, none of our attributes.
    @Test(arguments: Stage.allCases)
    func foreignHDF5FileIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("foreign-h5")
        let file = scratch.file("foreign.h5")
        let h5 = try HDF5File(url: file, mode: .create)
        _ = try h5.root.createGroup("conditions").writeDataset("x", [Float](repeating: 1, count: 6), shape: [2, 3], chunk: [2, 3])
        try h5.root.setAttribute("creator", "somebody else")
        try h5.close()
        try Self.expectRefused(stage, file, in: scratch, mentions: ["not a codebook activations file"])
    }

    @Test(arguments: Stage.allCases)
    func textFileIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("text-h5")
        let file = scratch.file("activations.h5")
        try Data("prompt,activation\n1,2\n".utf8).write(to: file)
        try Self.expectRefused(stage, file, in: scratch, mentions: ["not an HDF5 file"])
    }

    @Test(arguments: Stage.allCases)
    func missingFileIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("missing-h5")
        try Self.expectRefused(stage, scratch.file("nowhere.h5"), in: scratch, mentions: [])
    }

    /// The fixture with a future `format_version`: the hint names the stage to re-run.
    @Test(arguments: Stage.allCases)
    func unknownFormatVersionIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("version-h5")
        let file = try scratch.copy(Self.activations, as: "activations.h5")
        let h5 = try HDF5File(url: file, mode: .readWrite)
        try h5.root.setAttribute("format_version", 7)
        try h5.close()
        try Self.expectRefused(stage, file, in: scratch, mentions: ["format_version 7", "extract"])
    }

    /// A llama file from before SPEC §3's attention sink (no `pooling` attribute: every token pooled),
    /// made from the fixture (which has none) by calling its model llama: refused, the hint says extract.
    @Test(arguments: Stage.allCases)
    func llamaFileWithoutSinkPoolingIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("pooling-h5")
        let file = try scratch.copy(Self.activations, as: "activations.h5")
        let h5 = try HDF5File(url: file, mode: .readWrite)
        #expect(try !h5.root.hasAttribute("pooling"))
        try h5.root.setAttribute("model_type", "llama")
        try h5.close()
        try Self.expectRefused(stage, file, in: scratch, mentions: ["pooling", "mean_without_sink", "re-run `extract`"])
    }

    /// A copy of the fixture with `value` written at `index` of `/conditions/<condition>/<dataset>`.
    static func poked(_ scratch: Scratch, condition: String, dataset: String, index: Int, value: Float) throws -> URL {
        let file = try scratch.copy(activations, as: "activations.h5")
        let h5 = try HDF5File(url: file, mode: .readWrite)
        let data = try h5.root.openGroup("conditions").openGroup(condition).openDataset(dataset)
        var values = try data.read(as: Float.self)
        values[index] = value
        try data.write(values)
        try h5.close()
        return file
    }

    struct Poke: CustomTestStringConvertible, Sendable {
        let dataset: String
        let value: Float
        let index: Int
        var testDescription: String { "\(value) in \(dataset)[\(index)]" }
    }

    /// Values that are read by both stages.
    static let pokes: [Poke] = [
        Poke(dataset: "prompt_perturbations", value: .nan, index: 0),
        Poke(dataset: "prompt_perturbations", value: -.infinity, index: 3 * 64 + 17),
        Poke(dataset: "hidden_mean", value: .nan, index: 40),
        Poke(dataset: "hidden_mean", value: .infinity, index: 5),
    ]

    @Test(arguments: Stage.allCases, pokes)
    func nonFiniteActivationsAreRefused(_ stage: Stage, _ poke: Poke) throws {
        let scratch = try Scratch("nan-h5")
        let file = try Self.poked(scratch, condition: "harmful", dataset: poke.dataset, index: poke.index, value: poke.value)
        try Self.expectRefused(stage, file, in: scratch, mentions: ["/conditions/harmful/\(poke.dataset)", "not finite"])
    }

    /// Token perturbations are what the windowed detector reads (evaluate; compile does not read them).
    @Test func nonFiniteTokenPerturbationIsRefusedByEvaluate() throws {
        let scratch = try Scratch("nan-token")
        let file = try Self.poked(scratch, condition: "injection", dataset: "token_perturbations", index: 2 * 64 * 3 + 5, value: .nan)
        try Self.expectRefused(.evaluate, file, in: scratch, mentions: ["/conditions/injection/token_perturbations", "not finite"])
    }

    /// A dataset of another shape than the header promises.
    @Test(arguments: Stage.allCases)
    func datasetOfTheWrongShapeIsRefused(_ stage: Stage) throws {
        let scratch = try Scratch("shape-h5")
        let file = try scratch.copy(Self.activations, as: "activations.h5")
        let h5 = try HDF5File(url: file, mode: .readWrite)
        let group = try h5.root.openGroup("conditions").openGroup("harmless")
        let n = try group.openDataset("ids").shape[0]
        let hidden = try h5.root.intAttribute("hidden_size")
        // hidden_mean for one layer fewer than num_layers.
        let layers = try h5.root.intAttribute("num_layers")
        try h5.close()
        try Self.rewriteDataset(file, condition: "harmless", dataset: "hidden_mean", values: [Float](repeating: 0, count: n * (layers - 1) * hidden),
                           shape: [n, layers - 1, hidden])
        try Self.expectRefused(stage, file, in: scratch, mentions: ["/conditions/harmless/hidden_mean"])
    }

    /// Replaces a dataset by one of another shape, through a copy of every other object (HDF5 cannot
    /// delete in place without leaving the space behind, which does not matter here, but it has no
    /// unlink in this module's API).
    static func rewriteDataset(_ file: URL, condition: String, dataset: String, values: [Float], shape: [Int]) throws {
        let copy = file.deletingLastPathComponent().appendingPathComponent("rewritten.h5")
        let source = try HDF5File(url: file, mode: .readOnly)
        let destination = try HDF5File(url: copy, mode: .create)
        for name in try source.root.attributeNames { try destination.root.setAttribute(name, try source.root.attribute(name)) }
        let conditions = try source.root.openGroup("conditions"), newConditions = try destination.root.createGroup("conditions")
        for name in try conditions.childNames where name != condition { try conditions.copy(name, into: newConditions) }
        let group = try conditions.openGroup(condition), newGroup = try newConditions.createGroup(condition)
        for name in try group.childNames where name != dataset { try group.copy(name, into: newGroup) }
        _ = try newGroup.writeDataset(dataset, values, shape: shape, chunk: shape.map { max($0, 1) })
        try destination.close()
        try source.close()
        try FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: copy, to: file)
    }

    /// A codebook evaluated on activations where a class has no heldout prompt: refused with the
    /// contrast, the condition and the hint to use --split all, which then works.
    @Test func evaluateWithoutHeldoutPromptsIsRefused() throws {
        let scratch = try Scratch("no-heldout")
        var data = SyntheticActivations.gaussian(separation: 2)
        data.heldout = { condition, i in condition == "pos" && i % 4 == 3 }  // neg: every prompt is train
        let file = scratch.file("activations.h5")
        try data.write(to: file)
        let artifacts = scratch.file("artifacts")
        try #require(try Commands.run("compile", ["--activations", file.path, "--out", artifacts.path]).exited(0))
        let out = try scratch.folder("out")
        try expectRefusal("evaluate", ["--artifacts", artifacts.path, "--activations", file.path, "--out", out.appendingPathComponent("eval.json").path],
                          mentions: [file.path, "pos_vs_neg", "neg", "--split all"], untouched: out)
        let all = try Commands.run("evaluate", ["--artifacts", artifacts.path, "--activations", file.path,
                                                "--out", out.appendingPathComponent("eval.json").path, "--split", "all"])
        #expect(all.exited(0), "\(all.stderr)")
    }
}
