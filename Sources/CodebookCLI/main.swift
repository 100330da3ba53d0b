import ArgumentParser
import CodebookRuntime
import CommandLineSupport
import ExternalBenchmarks
import Foundation
import JSON
import Publishing
import Scoring

/// `codebook score --artifacts DIR --model DIR [TEXT…]` and `codebook inspect DIR` (SPEC §10), and
/// `codebook publish --artifacts DIR --out DIR` (the release bundle of `make publish`), and
/// `codebook external-catalog --evaldata DIR --out DIR` (the external benchmark's catalog, for
/// `make evaluate-external`).
@main
struct CodebookCommand: StageCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Use a compiled codebook: score texts, inspect and verify an artifacts folder or a bundle, publish a bundle; build the external benchmark's catalog.",
        subcommands: [Score.self, Inspect.self, Publish.self, ExternalCatalogCommand.self])
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen texts: one JSON line per input with its id and verdict: the behaviors flagged, and each behavior's scorer, score, threshold and span.",
        discussion: """
        With no TEXT, reads one input per line from standard input and answers each line as soon as it is read \
        (the output is flushed per line, so a program can write a line and wait for its answer). With --jsonl, \
        each input line is an object {"id": "...", "text": "..."}; otherwise the id is the input's number (1, 2, …). \
        An input that cannot be scored (an empty line, bad JSON) is answered {"id": …, "error": "…"} and the stream \
        goes on; the exit status is then 1, with one line on stderr saying how many failed.

        Each behavior's scorer and threshold are the ones compile chose (grouped cross-validation; threshold at \
        `compile --fpr`, 1% false positives by default); score and threshold share units; span is the character \
        range [start, end) of the text (in Unicode scalars) that was read when the score was highest. A text longer \
        than --max-tokens is read in half-overlapping windows ("chunks"), each behavior judged by its highest window.
        """)

    @Option(name: .long, help: "The compiled codebook folder.")
    var artifacts: String

    @Option(name: .long, help: "The detector model folder the codebook was compiled for.")
    var model: String

    @Option(name: .long, help: "Content tokens kept per input (at most the model's positions less its special tokens; all-MiniLM-L6-v2: 510).")
    var maxTokens: Int = 256

    @Flag(name: .long, help: "Read standard input as JSON lines {\"id\", \"text\"} instead of plain text lines.")
    var jsonl = false

    @Flag(name: .long, help: "Add \"signals\": every scorer's probability, flag and threshold for every behavior.")
    var allSignals = false

    @Argument(help: "Texts to score.")
    var texts: [String] = []

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        if jsonl, !texts.isEmpty { throw ValidationError("--jsonl reads standard input; give no TEXT with it") }
    }

    func run() throws {
        // A published bundle is scored only as published: its manifest verified first (`inspect` does the same).
        let directory = URL(fileURLWithPath: artifacts)
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(Manifest.fileName).path) {
            _ = try BundleVerification.verify(directory)
        }
        let scorer = try TextScorer(artifacts: URL(fileURLWithPath: artifacts), model: URL(fileURLWithPath: model), maxTokens: maxTokens)
        var stream = ScoreStream(scorer: scorer, jsonl: jsonl, allSignals: allSignals)
        if texts.isEmpty {
            while let line = readLine() { try stream.answer(line) }
        } else {
            for text in texts { try stream.answer(text) }
        }
        if stream.failed > 0 {
            FileHandle.standardError.write(Data("codebook: \(stream.failed) of \(stream.answered) inputs could not be scored (see their \"error\" lines)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `codebook score`'s output, one line per input, written and flushed as each input is answered.
struct ScoreStream {
    let scorer: TextScorer
    let jsonl: Bool
    let allSignals: Bool
    private(set) var answered = 0
    private(set) var failed = 0
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(scorer: TextScorer, jsonl: Bool, allSignals: Bool) {
        self.scorer = scorer
        self.jsonl = jsonl
        self.allSignals = allSignals
    }

    /// One input line in, one output line out: its verdict, or an error object naming what was wrong.
    mutating func answer(_ input: String) throws {
        answered += 1
        var id = String(answered)
        let output: Data
        do {
            let text = try jsonl ? Self.parse(jsonLine: input, id: &id) : input
            output = try encoder.encode(ScreenedInput(id: id, screened: try scorer.screen(text, allSignals: allSignals)))
        } catch {
            failed += 1
            output = try encoder.encode(FailedInput(id: id, error: ErrorMessage.line(for: error)))
        }
        // FileHandle writes straight to the descriptor: nothing is buffered, so each answer leaves at once.
        FileHandle.standardOutput.write(output + Data("\n".utf8))
    }

    /// `{"id": "...", "text": "..."}`: the text, and the id when the object has one (a string or a number).
    static func parse(jsonLine: String, id: inout String) throws -> String {
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(jsonLine.utf8)).value
        } catch {
            throw InputError("not valid JSON (at character \(error.offset + 1): \(error.reason))")
        }
        guard case .object = value else { throw InputError("expected a JSON object {\"id\", \"text\"}") }
        switch value["id"] {
        case nil: break
        case let .string(given)?: id = given
        case let .number(given)?: id = given  // as written: 42 stays "42"
        default: throw InputError("\"id\" must be a string or a number")
        }
        guard case let .string(text)? = value["text"] else { throw InputError("no \"text\" string") }
        return text
    }

    struct InputError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// `{"id": …}` and the screened text's keys, in one object.
    struct ScreenedInput: Encodable {
        let id: String
        let screened: ScreenedText
        enum CodingKeys: String, CodingKey { case id }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try screened.encode(to: encoder)
        }
    }

    struct FailedInput: Encodable {
        let id: String
        let error: String
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify an artifacts folder or a published bundle (manifest, versions, checksums, shapes) and summarize it.",
        discussion: """
        A folder with MANIFEST.sha256 is a published bundle: every file it lists must have its sha256, none may be missing \
        and the folder may hold nothing it does not list. An eval.json beside the artifacts must measure this very config.json.
        """)

    @Argument(help: "The compiled codebook folder, or a bundle written by `codebook publish`.")
    var directory: String

    func run() throws {
        let verification = try BundleVerification.verify(URL(fileURLWithPath: directory))
        let codebook = verification.codebook
        let c = codebook.configuration
        if let manifest = verification.manifest {
            print("\(directory): bundle verified (\(Manifest.fileName): \(manifest.entries.count) files, every sha256 matches, none missing or unlisted)")
        }
        print("\(directory): verified (format_version \(c.formatVersion), \(c.files.count + 1) files, checksums match)")
        print("model: \(c.model.type), \(c.model.numLayers) layers × \(c.model.hiddenSize), weights sha256 \(c.model.sha256.prefix(16))…")
        print("codebook layer: \(c.perturbation.layer) (\(c.layerSelection?.mode ?? "fixed")); compiler \(c.compilerVersion)")
        let multilayer = codebook.hasMultilayerProbes
        print("behavior".padding(toLength: 34, withPad: " ", startingAt: 0)
              + "verdict: scorer    threshold  cv TPR/FPR/background FPR   cv AUC (codebook / mean-diff @layer / probe, C)   hidden pooling"
              + (multilayer ? "   multi-layer probe (cv AUC, C, pooling)" : ""))
        for (entry, direction) in zip(c.directions, codebook.directions) {
            let name = entry.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            let verdict = entry.verdict, selection = entry.selection
            // Compiled without background negatives (before 0.6.0, or --no-background): a dash.
            let background = verdict.crossValidatedBackgroundFPR.map { String(format: "%.3f", $0) } ?? "  -  "
            print(name + verdict.scorer.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + String(format: "%9.3f  %.2f/%.3f/", verdict.threshold, verdict.crossValidatedTPR, verdict.crossValidatedFPR) + background
                  + String(format: "         %.3f / %.3f @%d / %.3f, %-6g  ", selection.auc.codebook, selection.auc.meanDifference,
                           direction.meanDifference.layer, selection.auc.probe, selection.probeC)
                  + (multilayer ? direction.meanDifference.pooling.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
                     + String(format: "%.3f, %g, ", selection.auc.multilayerProbe ?? .nan, selection.multilayerProbeC ?? .nan)
                     + (direction.multilayerProbe?.pooling.rawValue ?? "-")
                     : direction.meanDifference.pooling.rawValue))
        }
        guard let evaluation = verification.evaluation else { return }
        print("\(EvaluationSummary.fileName): \(evaluation.split) split, measured on this config.json")
        let measuredMultilayer = evaluation.metrics.contains(.multilayerProbe)
        print("contrast".padding(toLength: 34, withPad: " ", startingAt: 0) + "n+/n-     AUC codebook  window 16  per token  mean-diff  probe"
              + (measuredMultilayer ? "  multi-layer probe" : ""))
        for contrast in evaluation.contrasts {
            let name = contrast.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            let counts = "\(contrast.nPositive)/\(contrast.nNegative)".padding(toLength: 10, withPad: " ", startingAt: 0)
            print(name + counts + String(format: "%.3f         %.3f      %.3f      %.3f      %.3f", contrast.auc(.codebook),
                                         contrast.auc(.window16), contrast.auc(.perToken), contrast.auc(.meanDifference), contrast.auc(.probe))
                  + (measuredMultilayer ? String(format: "  %.3f", contrast.auc(.multilayerProbe)) : ""))
        }
    }
}

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a release bundle of a compiled, evaluated codebook: the artifacts, eval.json, report.html, a model card, MANIFEST.sha256.",
        discussion: """
        The bundle is OUT/<model-name>-codebook-<version>/ with <version> = config.json's compiler_version, then the first \
        8 hex digits of config.json's sha256 (which covers the other artifacts), so different codebooks never share a name. \
        It is written aside, verified, then renamed into place; its path is printed. `make publish` also packs it into a \
        deterministic .tar.gz.
        """)

    @Option(name: .long, help: "The artifacts folder, with eval.json and report.html (what `make compile` writes).")
    var artifacts: String

    @Option(name: .long, help: "The folder the bundle goes in (made when missing).")
    var out: String

    @Option(name: .customLong("model-card-base-model"), help: "The model card's base_model (a Hugging Face repository id); derived from the model's name by default.")
    var baseModel: String?

    @Option(name: .long, help: "The detector model's folder (its weights must be the codebook's): the license its README.md states goes in the model card.")
    var model: String?

    func validate() throws {
        if let baseModel, baseModel.isEmpty || baseModel.contains(where: \.isWhitespace) {
            throw ValidationError("--model-card-base-model must be a repository id such as owner/name, not \"\(baseModel)\"")
        }
    }

    func run() throws {
        let request = PublishRequest(artifacts: URL(fileURLWithPath: artifacts), output: URL(fileURLWithPath: out),
                                     baseModel: baseModel, modelDirectory: model.map { URL(fileURLWithPath: $0) })
        let bundle = try Publisher.publish(request)
        print(URL(fileURLWithPath: out).appendingPathComponent(bundle.name).relativePath)
    }
}

struct ExternalCatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external-catalog",
        abstract: "Build the evaluation catalog of the external benchmarks (../shared/evaldata) and print its counts.",
        discussion: """
        Which file and label serves which condition is the table in README.md, "External evaluation". Every prompt \
        is split "heldout"; evaluate it with `evaluate --split all`. Within a condition, empty texts and exact \
        duplicates are dropped and Gandalf and the hedge sentences are capped (evenly spaced over the file). The \
        folder is written aside and renamed into place. The data must never be committed: write it under work/.
        """)

    @Option(name: .long, help: "The external evaluation data folder.")
    var evaldata: String

    @Option(name: .long, help: "The catalog folder to write (replaced when it exists).")
    var out: String

    func run() throws {
        let built = try ExternalCatalog.build(from: URL(fileURLWithPath: evaldata))
        try ExternalCatalog.write(built, to: URL(fileURLWithPath: out))
        print(ExternalCatalog.countsTable(built))
        print("external-catalog: wrote \(out)")
    }
}
