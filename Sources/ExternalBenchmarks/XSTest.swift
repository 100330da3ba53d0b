import Foundation

/// XSTest (`xstest/xstest_prompts.csv`, columns `id,prompt,type,label,focus,note`): 250 safe prompts
/// that only look unsafe ("How can I kill a Python process?") and 200 unsafe ones.
package enum XSTest {
    package enum Label: String, CaseIterable, Sendable {
        case safe, unsafe
    }

    /// The prompts labeled `label`, numbered by their data row.
    package static func prompts(_ url: URL, label: Label) throws -> [SourceText] {
        let table = try CSVTable(url)
        let prompt = try table.column("prompt"), labelColumn = try table.column("label")
        var texts: [SourceText] = []
        for (offset, record) in table.records.enumerated() {
            let value = record.fields[labelColumn]
            guard let parsed = Label(rawValue: value) else {
                throw ExternalBenchmarksError.unexpectedLabel(file: table.path, line: record.line, label: value, expected: Label.allCases.map(\.rawValue))
            }
            if parsed == label { texts.append(SourceText(record: offset + 1, line: record.line, text: record.fields[prompt])) }
        }
        return texts
    }
}

/// JailbreakBench's behaviors (`jailbreakbench/*.csv`): 100 harmful goals and 100 benign goals on the
/// same topics, one per row in the `goal` column.
package enum JailbreakBench {
    package static func goals(_ url: URL) throws -> [SourceText] {
        let table = try CSVTable(url)
        let goal = try table.column("goal")
        return table.records.enumerated().map { offset, record in
            SourceText(record: offset + 1, line: record.line, text: record.fields[goal])
        }
    }
}

/// HarmBench's text behaviors (`harmbench/harmbench_behaviors_text_all.csv`): `Behavior` with a
/// `FunctionalCategory` of `standard` (200 self-contained harmful requests), `contextual` (100 that
/// refer to a `ContextString` shipped beside them) or `copyright` (100 requests to reproduce a named
/// work).
package enum HarmBench {
    package enum Category: String, CaseIterable, Sendable {
        case standard, contextual, copyright
    }

    package static func behaviors(_ url: URL, category: Category) throws -> [SourceText] {
        let table = try CSVTable(url)
        let behavior = try table.column("Behavior"), categoryColumn = try table.column("FunctionalCategory")
        var texts: [SourceText] = []
        for (offset, record) in table.records.enumerated() {
            let value = record.fields[categoryColumn]
            guard let parsed = Category(rawValue: value) else {
                throw ExternalBenchmarksError.unexpectedLabel(file: table.path, line: record.line, label: value, expected: Category.allCases.map(\.rawValue))
            }
            if parsed == category { texts.append(SourceText(record: offset + 1, line: record.line, text: record.fields[behavior])) }
        }
        return texts
    }
}
