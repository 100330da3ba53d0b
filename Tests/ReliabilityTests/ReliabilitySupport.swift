import Activations
import CodebookRuntime
import Foundation
import TestSupport
import Testing

/// What every refusal must look like (SPEC §10): the command exits on its own (no trap, no signal)
/// with `status`; for bad input (1) stderr is exactly one line, prefixed with the command's name, that
/// contains every string of `mentions` (the file, line, key or tensor); and the folder the output
/// would go to is left exactly as it was: no output, no temporary file beside it.
@discardableResult
func expectRefusal(_ command: String, _ arguments: [String], status: Int32 = 1, mentions: [String],
                   untouched folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Commands.Result {
    let before = try snapshot(folder)
    let result = try Commands.run(command, arguments)
    #expect(result.reason == .exit, "\(command) ended by signal \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.status == status, "\(command) exited \(result.status), not \(status): \(result.stderr)", sourceLocation: sourceLocation)
    let lines = result.stderrLines
    #expect(lines.count == 1, "stderr must be one line, got \(lines.count): \(result.stderr)", sourceLocation: sourceLocation)
    let name = command.split(separator: " ").first.map(String.init) ?? command
    #expect(lines.first?.hasPrefix("\(name): ") == true, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    for text in mentions {
        #expect(result.stderr.contains(text), "stderr does not mention \(text): \(result.stderr)", sourceLocation: sourceLocation)
    }
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
    #expect(try snapshot(folder) == before, "\(folder.path) changed", sourceLocation: sourceLocation)
    return result
}

/// Every entry under `folder` (hidden ones included), with its bytes for files: two snapshots are
/// equal when nothing was created, removed or changed. A missing folder is an empty snapshot with a marker.
func snapshot(_ folder: URL) throws -> [String: Data] {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return ["<missing>": Data()] }
    guard isDirectory.boolValue else { return [".": try Data(contentsOf: folder)] }
    var entries: [String: Data] = [:]
    for relative in try fm.subpathsOfDirectory(atPath: folder.path) {
        let url = folder.appendingPathComponent(relative)
        _ = fm.fileExists(atPath: url.path, isDirectory: &isDirectory)
        entries[relative] = isDirectory.boolValue ? Data("<folder>".utf8) : try Data(contentsOf: url)
    }
    return entries
}

/// A scratch folder removed when the value is released.
final class Scratch {
    let url: URL
    init(_ label: String) throws { url = try Fixtures.temporaryDirectory("reliability-\(label)") }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// A fresh empty sub-folder, for an output whose surroundings are checked.
    func folder(_ name: String) throws -> URL {
        let url = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of `source` (a file or a folder) under `name`.
    @discardableResult
    func copy(_ source: URL, as name: String) throws -> URL {
        let destination = url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: destination)
        return destination
    }
}


/// Small activations files written with the project's own writer, whose values a test chooses:
/// every prompt has one token (its token perturbation is its prompt perturbation).
struct SyntheticActivations {
    var layers = 2
    var hiddenSize = 4
    var contrasts = [Contrast(name: "pos_vs_neg", positive: "pos", negative: "neg")]
    var conditions = ["pos", "neg"]
    /// Prompts per condition.
    var prompts = 24
    /// Prompt `i` of a condition is heldout when this says so (default: every fourth).
    var heldout: (_ condition: String, _ i: Int) -> Bool = { _, i in i % 4 == 3 }
    /// The 64-level perturbation of prompt `i` of `condition` at `layer`.
    var perturbation: (_ condition: String, _ i: Int, _ layer: Int) -> [Float]
    /// The mean hidden state of prompt `i` at `layer` (`hiddenSize` values).
    var hidden: (_ condition: String, _ i: Int, _ layer: Int) -> [Float]

    var header: ActivationsHeader {
        ActivationsHeader(modelType: "bert", modelPath: "models/synthetic", modelSHA256: String(repeating: "ab", count: 32),
                          numLayers: layers, hiddenSize: hiddenSize, maxTokens: 8, catalogSHA256: String(repeating: "cd", count: 32),
                          contrasts: contrasts, conditions: conditions)
    }

    func write(to url: URL) throws {
        let writer = try ActivationsWriter(creating: url, header: header)
        for condition in conditions {
            try writer.beginCondition(condition)
            var batch = ConditionBatch()
            for i in 0..<prompts {
                batch.ids.append("\(condition)-\(i)")
                batch.splits.append(heldout(condition, i) ? 1 : 0)
                batch.truncated.append(0)
                batch.tokenCounts.append(1)
                batch.tokenIDs.append(Int32(i))
                var perturbations: [Float] = []
                for layer in 0..<layers {
                    let p = perturbation(condition, i, layer)
                    precondition(p.count == ActivationsLayout.levels)
                    perturbations += p
                    let h = hidden(condition, i, layer)
                    precondition(h.count == hiddenSize)
                    batch.hiddenMean += h
                }
                batch.tokenPerturbations += perturbations
                batch.promptPerturbations += perturbations
                batch.hiddenLast += hidden(condition, i, layers - 1)
            }
            try writer.append(batch)
            try writer.endCondition()
        }
        try writer.close()
    }

    /// Noisy values whose positive and negative classes differ by a shift of `separation` standard
    /// deviations along every coordinate: a well-posed population of full rank.
    static func gaussian(seed: UInt64 = 1, separation: Float = 1) -> SyntheticActivations {
        let hiddenSize = 4
        func values(_ count: Int, _ condition: String, _ i: Int, _ layer: Int, salt: UInt64) -> [Float] {
            var generator = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(i) &* 7919 &+ UInt64(layer) &* 104_729 &+ salt
                                            &+ (condition == "pos" ? 0 : 1 << 40))
            let shift: Float = condition == "pos" ? separation / 2 : -separation / 2
            return (0..<count).map { _ in generator.normal() + shift }
        }
        return SyntheticActivations(
            hiddenSize: hiddenSize,
            perturbation: { c, i, l in values(ActivationsLayout.levels, c, i, l, salt: 1) },
            hidden: { c, i, l in values(hiddenSize, c, i, l, salt: 2) })
    }
}

/// Whether a codebook folder loads, and every number in it is finite (the loader checks the tensors;
/// the thresholds and train AUCs of config.json are checked here).
func expectLoadableAndFinite(_ directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let codebook = try Codebook.load(directory)
    for entry in codebook.configuration.directions {
        let numbers = [entry.threshold, entry.thresholdFPR01, entry.silhouette, entry.directionThreshold, entry.probeThreshold,
                       entry.trainAUC.codebook, entry.trainAUC.meanDifference, entry.trainAUC.probe]
        let finite = numbers.allSatisfy { $0.isFinite }
        #expect(finite, "\(entry.name): \(numbers)", sourceLocation: sourceLocation)
    }
    let finite = codebook.singularValues.allSatisfy { $0.isFinite }
    #expect(finite, "singular values \(codebook.singularValues)", sourceLocation: sourceLocation)
}

extension SeededGenerator {
    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Float {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }
}
