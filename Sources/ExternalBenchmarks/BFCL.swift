import Foundation
import JSON

/// The Berkeley Function-Calling Leaderboard's `live_simple` category (`bfcl/`): user questions that
/// real users asked of a function-calling model, each answered by one call.
///
/// - `BFCL_v4_live_simple.json` (JSONL): `id`, `question` (a list of turns, each a list of
///   `{role, content}` messages; here one turn with one `user` message, sometimes after a `system`
///   one) and `function` (the schema offered).
/// - `possible_answer__BFCL_v4_live_simple.json` (JSONL): `id`, `ground_truth`: a list of calls, each
///   `{function name: {argument: [acceptable values…]}}`. An acceptable value of `""` means the
///   argument may be left out.
package enum BFCL {
    /// The user's message of each question, in the questions file's order.
    package static func questions(_ url: URL) throws -> [SourceText] {
        try readQuestions(url).map(\.text)
    }

    /// Each question's ground-truth answer rendered as call text (see `render(call:)`), numbered like
    /// its question: every question must have exactly one answer and every answer a question.
    package static func calls(questions questionsURL: URL, answers answersURL: URL) throws -> [SourceText] {
        let questions = try readQuestions(questionsURL)
        let answers = try JSONLines(answersURL)
        var answerByID: [String: (line: Int, calls: [JSONValue])] = [:]
        for (line, record) in answers.records {
            let id = try answers.string("id", of: record, line: line)
            let truth = try answers.value("ground_truth", of: record, line: line)
            guard case let .array(calls) = truth, !calls.isEmpty else {
                throw ExternalBenchmarksError.wrongType(file: answers.path, line: line, key: "ground_truth", expected: "a non-empty array of calls", found: truth.typeName)
            }
            guard answerByID[id] == nil else {
                throw ExternalBenchmarksError.unpairedRecord(file: answers.path, line: line, id: id, reason: "a second answer for the same id")
            }
            answerByID[id] = (line, calls.map(\.value))
        }
        var texts: [SourceText] = []
        for question in questions {
            guard let answer = answerByID.removeValue(forKey: question.id) else {
                throw ExternalBenchmarksError.unpairedRecord(file: questionsURL.path, line: question.text.line, id: question.id,
                                                             reason: "no answer in \(answersURL.lastPathComponent)")
            }
            var rendered: [String] = []
            for call in answer.calls {
                guard let text = render(call: call) else {
                    throw ExternalBenchmarksError.wrongType(file: answers.path, line: answer.line, key: "ground_truth[]",
                                                            expected: "{function: {argument: [values…]}}", found: call.typeName)
                }
                rendered.append(text)
            }
            texts.append(SourceText(record: question.text.record, line: answer.line, text: rendered.joined(separator: "\n")))
        }
        if let (id, unpaired) = answerByID.min(by: { $0.value.line < $1.value.line }) {
            throw ExternalBenchmarksError.unpairedRecord(file: answers.path, line: unpaired.line, id: id,
                                                         reason: "no question in \(questionsURL.lastPathComponent)")
        }
        return texts
    }

    /// One ground-truth call as Python call text, the form BFCL's Python categories are checked in:
    /// `name(argument=value, …)` with the arguments in the file's order, each given its first
    /// acceptable value; an argument whose first acceptable value is `""` (it may be left out) or that
    /// lists none is left out. Values are Python literals: strings in double quotes with JSON's
    /// escapes, numbers as written, `True`/`False`/`None`, lists and dicts. Nil when `call` is not
    /// `{name: {argument: [values…]}}` with one name.
    package static func render(call: JSONValue) -> String? {
        guard case let .object(functions) = call, functions.count == 1, case let .object(arguments) = functions[0].value else { return nil }
        var parts: [String] = []
        for argument in arguments {
            guard case let .array(acceptable) = argument.value else { return nil }
            guard let first = acceptable.first?.value, first != .string("") else { continue }
            parts.append("\(argument.key)=\(pythonLiteral(first))")
        }
        return "\(functions[0].key)(\(parts.joined(separator: ", ")))"
    }

    /// `value` as a Python literal.
    static func pythonLiteral(_ value: JSONValue) -> String {
        switch value {
        case let .string(string): quoted(string)
        case let .number(literal): literal
        case let .bool(bool): bool ? "True" : "False"
        case .null: "None"
        case let .array(elements): "[" + elements.map { pythonLiteral($0.value) }.joined(separator: ", ") + "]"
        case let .object(members): "{" + members.map { "\(quoted($0.key)): \(pythonLiteral($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A double-quoted string with JSON's escapes (also a valid Python string literal).
    static func quoted(_ string: String) -> String {
        "\"" + JSONText.escaped(string) + "\""
    }

    private struct Question {
        let id: String
        let text: SourceText
    }

    private static func readQuestions(_ url: URL) throws -> [Question] {
        let file = try JSONLines(url)
        var questions: [Question] = []
        var seen: Set<String> = []
        for (offset, (line, record)) in file.records.enumerated() {
            let id = try file.string("id", of: record, line: line)
            guard seen.insert(id).inserted else {
                throw ExternalBenchmarksError.unpairedRecord(file: file.path, line: line, id: id, reason: "a second question with the same id")
            }
            let question = try file.value("question", of: record, line: line)
            guard case let .array(turns) = question, turns.count == 1, case let .array(messages) = turns[0].value else {
                throw ExternalBenchmarksError.wrongType(file: file.path, line: line, key: "question", expected: "one turn (a list of messages)", found: question.typeName)
            }
            var userMessages: [String] = []
            for message in messages.map(\.value) {
                guard case let .string(role)? = message["role"], case let .string(content)? = message["content"] else {
                    throw ExternalBenchmarksError.wrongType(file: file.path, line: line, key: "question[0][]", expected: "{role, content} with string values", found: message.typeName)
                }
                if role == "user" { userMessages.append(content) }
            }
            guard userMessages.count == 1 else {
                throw ExternalBenchmarksError.wrongType(file: file.path, line: line, key: "question[0]", expected: "one user message", found: "\(userMessages.count)")
            }
            questions.append(Question(id: id, text: SourceText(record: offset + 1, line: line, text: userMessages[0])))
        }
        return questions
    }
}
