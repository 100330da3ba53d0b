import CodebookRuntime
import Foundation

/// The external benchmark as a SPEC §2 evaluation catalog: which file and label of the evaluation
/// data (`../shared/evaldata`, see its README) serves which condition, and the catalog folder built
/// from them. Every prompt is `split: "heldout"`: none of it is ever trained on; `evaluate --split all`
/// scores it all.
///
/// Per condition, in the order of `sources`: texts that are empty or only whitespace are dropped,
/// then every text already taken for the condition (from this source or an earlier one) is dropped,
/// so a condition holds each exact text once; then a source with a `cap` keeps `cap` of its
/// remaining texts, evenly spaced over the file. Ids are `<source id prefix>-<record number in the
/// source file, 4 digits>`, so any prompt can be traced back to its row.
package enum ExternalCatalog {
    /// One file (and label) of the evaluation data feeding one condition.
    package struct Source: Sendable {
        /// The id prefix of its prompts; with the record number it makes ids unique in the catalog.
        package let idPrefix: String
        package let condition: String
        /// What is taken, for the counts table: file and selection.
        package let summary: String
        /// At most this many texts are kept (evenly spaced over the file), or all when nil.
        package let cap: Int?
        let read: @Sendable (URL) throws -> [SourceText]
    }

    /// The contrasts of the external catalog (a subset of the default catalog's, with its names).
    package static let contrasts: [(name: String, positive: String, negative: String)] = [
        ("code_violated_vs_code_expected", "code_violated", "code_expected"),
        ("tool_call_vs_natural_language", "tool_call", "natural_language"),
        ("uncertain_vs_confident", "uncertain", "confident"),
        ("harmful_vs_harmless", "harmful", "harmless"),
        ("injection_vs_benign_instruction", "injection", "benign_instruction"),
    ]

    /// Gandalf holds 1,000 attacks of one kind (talking the model out of a password); capped at 300 so
    /// that it does not outnumber the varied deepset attacks five to one.
    package static let gandalfCap = 300
    /// CoNLL-2010's test set has 2,234 hedged and 5,054 plain sentences; 400 of each keep the
    /// extraction cheap and the classes balanced (a standard error of AUC of about 0.02).
    package static let hedgeCap = 400

    /// The mapping, in catalog order within each condition.
    package static let sources: [Source] = [
        Source(idPrefix: "quixbugs-buggy", condition: "code_violated", summary: "quixbugs/quixbugs_pairs.jsonl: buggy", cap: nil) {
            try QuixBugs.programs($0.appendingPathComponent("quixbugs/quixbugs_pairs.jsonl"), version: .buggy)
        },
        Source(idPrefix: "quixbugs-correct", condition: "code_expected", summary: "quixbugs/quixbugs_pairs.jsonl: correct", cap: nil) {
            try QuixBugs.programs($0.appendingPathComponent("quixbugs/quixbugs_pairs.jsonl"), version: .correct)
        },
        Source(idPrefix: "bfcl-call", condition: "tool_call", summary: "bfcl/possible_answer__BFCL_v4_live_simple.json: ground truth as call text", cap: nil) {
            try BFCL.calls(questions: $0.appendingPathComponent("bfcl/BFCL_v4_live_simple.json"),
                           answers: $0.appendingPathComponent("bfcl/possible_answer__BFCL_v4_live_simple.json"))
        },
        Source(idPrefix: "bfcl-question", condition: "natural_language", summary: "bfcl/BFCL_v4_live_simple.json: user message", cap: nil) {
            try BFCL.questions($0.appendingPathComponent("bfcl/BFCL_v4_live_simple.json"))
        },
        Source(idPrefix: "hedge", condition: "uncertain", summary: "hedge/test_clean.jsonl: label 1", cap: hedgeCap) {
            try CoNLLHedge.sentences($0.appendingPathComponent("hedge/test_clean.jsonl"), label: .uncertain)
        },
        Source(idPrefix: "hedge", condition: "confident", summary: "hedge/test_clean.jsonl: label 0", cap: hedgeCap) {
            try CoNLLHedge.sentences($0.appendingPathComponent("hedge/test_clean.jsonl"), label: .certain)
        },
        Source(idPrefix: "xstest", condition: "harmful", summary: "xstest/xstest_prompts.csv: label unsafe", cap: nil) {
            try XSTest.prompts($0.appendingPathComponent("xstest/xstest_prompts.csv"), label: .unsafe)
        },
        Source(idPrefix: "jbb-harmful", condition: "harmful", summary: "jailbreakbench/harmful-behaviors_from_artifacts.csv: goal", cap: nil) {
            try JailbreakBench.goals($0.appendingPathComponent("jailbreakbench/harmful-behaviors_from_artifacts.csv"))
        },
        Source(idPrefix: "harmbench", condition: "harmful", summary: "harmbench/harmbench_behaviors_text_all.csv: standard behaviors", cap: nil) {
            try HarmBench.behaviors($0.appendingPathComponent("harmbench/harmbench_behaviors_text_all.csv"), category: .standard)
        },
        Source(idPrefix: "xstest", condition: "harmless", summary: "xstest/xstest_prompts.csv: label safe", cap: nil) {
            try XSTest.prompts($0.appendingPathComponent("xstest/xstest_prompts.csv"), label: .safe)
        },
        Source(idPrefix: "jbb-benign", condition: "harmless", summary: "jailbreakbench/benign-behaviors.csv: goal", cap: nil) {
            try JailbreakBench.goals($0.appendingPathComponent("jailbreakbench/benign-behaviors.csv"))
        },
        Source(idPrefix: "alpaca", condition: "harmless", summary: "alpaca-seed/seed_tasks.jsonl: instruction (+ input)", cap: nil) {
            try AlpacaSeed.prompts($0.appendingPathComponent("alpaca-seed/seed_tasks.jsonl"))
        },
        Source(idPrefix: "deepset-attack", condition: "injection", summary: "deepset/opensource_deepset_attacks.jsonl", cap: nil) {
            try LabeledPromptExport.prompts($0.appendingPathComponent("deepset/opensource_deepset_attacks.jsonl"), label: .malicious)
        },
        Source(idPrefix: "gandalf", condition: "injection", summary: "gandalf/opensource_gandalf_attacks.jsonl", cap: gandalfCap) {
            try LabeledPromptExport.prompts($0.appendingPathComponent("gandalf/opensource_gandalf_attacks.jsonl"), label: .malicious)
        },
        Source(idPrefix: "deepset-benign", condition: "benign_instruction", summary: "deepset/opensource_deepset_benign.jsonl", cap: nil) {
            try LabeledPromptExport.prompts($0.appendingPathComponent("deepset/opensource_deepset_benign.jsonl"), label: .benign)
        },
        Source(idPrefix: "notinject", condition: "benign_instruction", summary: "notinject/opensource_notinject_benign.jsonl", cap: nil) {
            try LabeledPromptExport.prompts($0.appendingPathComponent("notinject/opensource_notinject_benign.jsonl"), label: .benign)
        },
        Source(idPrefix: "alpaca-instruction", condition: "benign_instruction", summary: "alpaca-seed/seed_tasks.jsonl: instruction (+ input)", cap: nil) {
            try AlpacaSeed.prompts($0.appendingPathComponent("alpaca-seed/seed_tasks.jsonl"))
        },
    ]

    /// What became of one source's texts.
    package struct SourceCount: Sendable, Equatable {
        package let idPrefix: String
        package let condition: String
        package let summary: String
        /// Texts the selection read from the file.
        package let read: Int
        /// Empty or only whitespace.
        package let empty: Int
        /// Exact duplicates of a text already in the condition.
        package let duplicates: Int
        /// Left out by the cap.
        package let capped: Int
        package let kept: Int
    }

    /// A built catalog: its prompts per condition and how they were counted.
    package struct Built: Sendable {
        /// Condition → prompts (id, text), in catalog order.
        package let prompts: [String: [(id: String, text: String)]]
        package let counts: [SourceCount]

        /// The conditions in catalog order: each contrast's positive, then its negative.
        package var conditions: [String] { ExternalCatalog.contrasts.flatMap { [$0.positive, $0.negative] } }
    }

    /// Reads every source of `sources` from the evaluation data folder `data`.
    package static func build(from data: URL, sources: [Source] = ExternalCatalog.sources) throws -> Built {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExternalBenchmarksError.missingDataFolder(path: data.path)
        }
        var prompts: [String: [(id: String, text: String)]] = [:]
        var taken: [String: Set<String>] = [:]
        var counts: [SourceCount] = []
        for source in sources {
            let texts = try source.read(data)
            var fresh: [SourceText] = []
            var empty = 0, duplicates = 0
            for text in texts {
                if text.text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                    empty += 1
                } else if !taken[source.condition, default: []].insert(text.text).inserted {
                    duplicates += 1
                } else {
                    fresh.append(text)
                }
            }
            let keptIndices = source.cap.map { evenlySpacedIndices(fresh.count, count: $0) } ?? Array(fresh.indices)
            let kept = keptIndices.map { fresh[$0] }
            // Texts left out by the cap are not in the catalog, so a later source may still bring them.
            let keptSet = Set(keptIndices)
            for (index, text) in fresh.enumerated() where !keptSet.contains(index) { taken[source.condition]?.remove(text.text) }
            prompts[source.condition, default: []] += kept.map { (id(source.idPrefix, $0.record), $0.text) }
            counts.append(SourceCount(idPrefix: source.idPrefix, condition: source.condition, summary: source.summary, read: texts.count,
                                      empty: empty, duplicates: duplicates, capped: fresh.count - kept.count, kept: kept.count))
        }
        return Built(prompts: prompts, counts: counts)
    }

    /// `count` indices of `0..<n` spread evenly over it (⌊i·n/count⌋ for i = 0…count−1), increasing;
    /// all of them when `n ≤ count`.
    package static func evenlySpacedIndices(_ n: Int, count: Int) -> [Int] {
        guard n > count else { return Array(0 ..< n) }
        return (0 ..< count).map { $0 * n / count }
    }

    /// `prefix-0042`: the record number with at least 4 digits.
    static func id(_ prefix: String, _ record: Int) -> String {
        let digits = String(record)
        return prefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Writes `built` as a catalog folder at `directory`: `catalog.json` and one `<condition>.jsonl`
    /// per condition. It is written beside `directory` first and renamed into place, replacing what
    /// was there, so an interrupted run never leaves a partial catalog at `directory`.
    package static func write(_ built: Built, to directory: URL) throws {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let partial = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: partial.path) { try manager.removeItem(at: partial) }
            try manager.createDirectory(at: partial, withIntermediateDirectories: false)
            try Data(catalogJSON().utf8).write(to: partial.appendingPathComponent("catalog.json"))
            for condition in built.conditions {
                let lines = (built.prompts[condition] ?? []).map {
                    "{\"id\": \"\(JSONText.escaped($0.id))\", \"text\": \"\(JSONText.escaped($0.text))\", \"split\": \"heldout\"}\n"
                }
                try Data(lines.joined().utf8).write(to: partial.appendingPathComponent("\(condition).jsonl"))
            }
            if manager.fileExists(atPath: directory.path) { try manager.removeItem(at: directory) }
            try manager.moveItem(at: partial, to: directory)
        } catch {
            try? manager.removeItem(at: partial)  // Best effort: the error below is what matters.
            throw ExternalBenchmarksError.cannotWrite(path: directory.path, reason: FileErrorReason.of(error))
        }
    }

    static func catalogJSON() -> String {
        let entries = contrasts.map { "    {\"name\": \"\($0.name)\", \"positive\": \"\($0.positive)\", \"negative\": \"\($0.negative)\"}" }
        return "{\"format_version\": 1, \"contrasts\": [\n" + entries.joined(separator: ",\n") + "\n]}\n"
    }

    /// The counts as a plain-text table: one row per source, then one per condition.
    package static func countsTable(_ built: Built) -> String {
        func row(_ cells: [String]) -> String {
            zip(cells, [20, 19, 6, 6, 11, 7, 6]).enumerated().map { index, pair in
                index < 2 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, pair.1 - pair.0.count)) + pair.0
            }.joined(separator: " ")
        }
        var lines = [row(["condition", "source (id prefix)", "read", "empty", "duplicates", "capped", "kept"])]
        for count in built.counts {
            lines.append(row([count.condition, count.idPrefix, "\(count.read)", "\(count.empty)", "\(count.duplicates)", "\(count.capped)", "\(count.kept)"]))
        }
        lines.append("")
        for contrast in contrasts {
            lines.append("\(contrast.name): \(built.prompts[contrast.positive]?.count ?? 0) \(contrast.positive) / \(built.prompts[contrast.negative]?.count ?? 0) \(contrast.negative)")
        }
        return lines.joined(separator: "\n")
    }
}

/// JSON text for strings.
enum JSONText {
    /// `string`'s characters escaped for inside a JSON string: `"` and `\`, and control characters
    /// (`\n`, `\t`, … or `\u00XX`); everything else as is (UTF-8).
    static func escaped(_ string: String) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}" ..< "\u{20}": out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
