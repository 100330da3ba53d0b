import Foundation
import JSON

/// Stanford Alpaca's seed tasks (`alpaca-seed/seed_tasks.jsonl`): 175 human-written instructions,
/// each with one instance whose `input` is empty or the material the instruction is about.
package enum AlpacaSeed {
    /// Each task as a user would send it: the instruction, then a blank line and the instance's input
    /// when it has one.
    package static func prompts(_ url: URL) throws -> [SourceText] {
        let file = try JSONLines(url)
        var texts: [SourceText] = []
        for (offset, (line, record)) in file.records.enumerated() {
            let instruction = try file.string("instruction", of: record, line: line)
            let instancesValue = try file.value("instances", of: record, line: line)
            guard case let .array(instances) = instancesValue, instances.count == 1 else {
                let found = if case let .array(instances) = instancesValue { "\(instances.count) instances" } else { instancesValue.typeName }
                throw ExternalBenchmarksError.wrongType(file: file.path, line: line, key: "instances", expected: "an array of one instance", found: found)
            }
            let input = try file.string("input", of: instances[0].value, line: line)
            let text = input.isEmpty ? instruction : instruction + "\n\n" + input
            texts.append(SourceText(record: offset + 1, line: line, text: text))
        }
        return texts
    }
}

/// The deepset, Gandalf and NotInject exports (`deepset/`, `gandalf/`, `notinject/`: JSONL with
/// `id, label, text, description`), where `label` is `malicious` or `benign`. A file holds one label
/// only; the reader checks that every record has the one expected.
package enum LabeledPromptExport {
    package enum Label: String, CaseIterable, Sendable {
        case malicious, benign
    }

    package static func prompts(_ url: URL, label: Label) throws -> [SourceText] {
        let file = try JSONLines(url)
        var texts: [SourceText] = []
        for (offset, (line, record)) in file.records.enumerated() {
            let value = try file.string("label", of: record, line: line)
            guard value == label.rawValue else {
                throw ExternalBenchmarksError.unexpectedLabel(file: file.path, line: line, label: value, expected: [label.rawValue])
            }
            texts.append(SourceText(record: offset + 1, line: line, text: try file.string("text", of: record, line: line)))
        }
        return texts
    }
}

/// CoNLL-2010's Wikipedia sentences (`hedge/test_clean.jsonl`: `text`, `label`), label 1 where the
/// sentence hedges or uses weasel words, 0 where it does not. Tokens are as in the corpus (Penn
/// Treebank brackets such as `-LRB-` included).
package enum CoNLLHedge {
    package enum Label: Int, CaseIterable, Sendable {
        case certain = 0, uncertain = 1
    }

    package static func sentences(_ url: URL, label: Label) throws -> [SourceText] {
        let file = try JSONLines(url)
        var texts: [SourceText] = []
        for (offset, (line, record)) in file.records.enumerated() {
            let value = try file.value("label", of: record, line: line)
            guard case let .number(literal) = value else {
                throw ExternalBenchmarksError.wrongType(file: file.path, line: line, key: "label", expected: "0 or 1", found: value.typeName)
            }
            guard let parsed = Int(literal).flatMap(Label.init(rawValue:)) else {
                throw ExternalBenchmarksError.unexpectedLabel(file: file.path, line: line, label: literal, expected: ["0", "1"])
            }
            if parsed == label { texts.append(SourceText(record: offset + 1, line: line, text: try file.string("text", of: record, line: line))) }
        }
        return texts
    }
}

/// QuixBugs (`quixbugs/quixbugs_pairs.jsonl`: `language, program, buggy, correct`): 40 Python and 40
/// Java programs, each with a one-line bug and its fix.
package enum QuixBugs {
    package enum Version: String, CaseIterable, Sendable {
        case buggy, correct
    }

    package static func programs(_ url: URL, version: Version) throws -> [SourceText] {
        let file = try JSONLines(url)
        return try file.records.enumerated().map { offset, entry in
            SourceText(record: offset + 1, line: entry.line, text: try file.string(version.rawValue, of: entry.value, line: entry.line))
        }
    }
}
