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
/// Java programs, each with a small bug and its fix.
///
/// The two versions of a program differ in more than the fix, and a detector reads those differences
/// instead: every Java file declares the folder it came from as its package (`java_programs`, or
/// `correct_java_programs`: the label, written in the text), and in 21 of the 40 Python pairs only the
/// buggy version carries the program's docstring (description and examples), while other correct
/// versions carry alternative solutions in theirs. So `programs` keeps each version's code
/// (`codeOnly`), and 72 of the 80 pairs then differ in 1 to 4 lines (docs/transfer-study.md, section 11).
package enum QuixBugs {
    package enum Version: String, CaseIterable, Sendable {
        case buggy, correct
    }

    package enum Language: String, CaseIterable, Sendable {
        case python, java
    }

    package static func programs(_ url: URL, version: Version) throws -> [SourceText] {
        let file = try JSONLines(url)
        return try file.records.enumerated().map { offset, entry in
            let name = try file.string("language", of: entry.value, line: entry.line)
            guard let language = Language(rawValue: name) else {
                throw ExternalBenchmarksError.unexpectedLabel(file: file.path, line: entry.line, label: name,
                                                              expected: Language.allCases.map(\.rawValue))
            }
            let program = try file.string(version.rawValue, of: entry.value, line: entry.line)
            return SourceText(record: offset + 1, line: entry.line, text: codeOnly(program, language: language))
        }
    }

    /// The program without what is not its code: a Java file's leading `package name;` line, a Python
    /// file's triple-quoted strings (`"""…"""`; an unterminated one is kept), then the blank space
    /// (spaces, tabs, line breaks) at either end; one final line break. Works on the UTF-8 bytes, so
    /// the result is the bytes `scripts/fixtures/make_external.py` writes with Python's `re` and `strip`.
    package static func codeOnly(_ program: String, language: Language) -> String {
        var bytes = trimmed(Array(program.utf8))
        switch language {
        case .java:
            let prefix = Array("package ".utf8)
            if bytes.starts(with: prefix) {
                var end = prefix.count
                while end < bytes.count, isPackageNameByte(bytes[end]) { end += 1 }
                if end > prefix.count, end + 1 < bytes.count, bytes[end] == UInt8(ascii: ";"), bytes[end + 1] == UInt8(ascii: "\n") {
                    bytes.removeFirst(end + 2)
                }
            }
        case .python:
            let quotes = Array(#"""""#.utf8)
            var kept: [UInt8] = []
            var i = 0
            while i < bytes.count {
                if bytes[i...].starts(with: quotes), let close = bytes[(i + 3)...].firstRange(of: quotes) {
                    i = close.upperBound
                } else {
                    kept.append(bytes[i])
                    i += 1
                }
            }
            bytes = kept
        }
        return String(decoding: trimmed(bytes) + [UInt8(ascii: "\n")], as: UTF8.self)
    }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard let first = bytes.firstIndex(where: { !blank.contains($0) }) else { return [] }
        let last = bytes.lastIndex(where: { !blank.contains($0) })!
        return Array(bytes[first...last])
    }

    private static func isPackageNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."): return true
        default: return false
        }
    }
}
