import ArgumentParser
import CommandLineSupport
import CodebookRuntime
import Compilation
import Foundation

/// `compile --activations FILE.h5 [FILE.h5 …] --out DIR [--layer auto|N] [--groups FILE] [--fpr F] [--pooling P] [--no-background]` (SPEC §10).
@main
struct Compile: StageCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile activations into a codebook: basis, splines, profiles, classifiers, directions.",
        discussion: "Several activation files are the shards of one extraction (extract --shard i/n); they are merged in catalog order.")

    @Option(name: .long, parsing: .upToNextOption, help: "The activations file(s) written by extract.")
    var activations: [String]

    @Option(name: .long, help: "The artifacts folder to write (basis.safetensors, regions.safetensors, splines.json, config.json).")
    var out: String

    // Unconditional, so that `--layer -1` reaches validate() and is refused as a layer rather than
    // read as an unknown flag ("Missing value for '--layer'").
    @Option(name: .long, parsing: .unconditional, help: "The layer the codebook reads: auto (best mean train AUC) or a layer number.")
    var layer: String = "auto"

    @Option(name: .long, help: "The catalog's groups.json: cross-validation never splits a topic. Without it, each prompt is kept with its twin (the number its id ends with).")
    var groups: String?

    @Option(name: .long, help: "The false positive rate each behavior's verdict threshold is calibrated for, on out-of-fold scores of the negative class.")
    var fpr: Double = CompileRequest.defaultTargetFPR

    @Option(name: .long, help: "The hidden-space scorers' pooling: auto (chosen per behavior by cross-validation among those the activations store) or one of \(HiddenPooling.allCases.map(\.rawValue).joined(separator: ", ")).")
    var pooling: String = "auto"

    @Flag(inversion: .prefixedNo, help: "Fit each behavior's probe against the catalog's other conditions too (every m-th train prompt of each of the m other conditions), not only against the behavior's own negatives; config.json records the verdict's out-of-fold false positive rate on them. Turn it off when another condition may show the behavior.")
    var background = true

    func validate() throws {
        guard !activations.isEmpty else { throw ValidationError("give at least one --activations file") }
        guard LayerChoice(layer) != nil else { throw ValidationError("--layer must be auto or a layer number, not '\(layer)'") }
        guard pooling == "auto" || HiddenPooling(rawValue: pooling) != nil else {
            throw ValidationError("--pooling must be auto or one of \(HiddenPooling.allCases.map(\.rawValue).joined(separator: ", ")), not '\(pooling)'")
        }
        guard fpr > 0, fpr < 1 else { throw ValidationError("--fpr must be between 0 and 1 (exclusive), not \(fpr)") }
    }

    func run() throws {
        var request = CompileRequest(activations: activations.map { URL(fileURLWithPath: $0) },
                                     output: URL(fileURLWithPath: out), layer: LayerChoice(layer)!)
        request.targetFPR = fpr
        request.pooling = HiddenPooling(rawValue: pooling)
        request.background = background
        if let groups { try request.groupPrompts(by: URL(fileURLWithPath: groups)) }
        let summary = try CodebookCompiler.run(request)
        print(summary.line)
    }
}
