import Foundation
import JSON

/// A value inside a parsed JSON document together with where it sits, so that every loading error can name
/// the file and the full key path (`pre_tokenizer.pretokenizers[1].type`).
///
/// Read with the package's one strict JSON reader (`JSON`: duplicate keys refused, numbers as written):
/// `tokenizer.json` is a tree of type-tagged unions (`{"type": "BPE", ...}`) whose shape depends on the
/// tag, which reads more directly as a walk than as a stack of `Codable` enums.
struct JSONNode {
    let value: JSONValue
    /// The key path from the document root; empty for the root itself.
    let key: String
    /// The file the document came from (for messages).
    let file: String

    static func parse(_ data: Data, file: String) throws -> JSONNode {
        let value: JSONValue
        do {
            value = try JSONParser.parse(data).value
        } catch {
            let (line, column) = JSONLineIndex(data).position(of: error.offset)
            throw TokenizerError.malformedJSON(path: file, detail: "not valid JSON (line \(line), column \(column): \(error.reason))")
        }
        guard case .object = value else {
            throw TokenizerError.malformedJSON(path: file, detail: "the top level is not an object")
        }
        return JSONNode(value: value, key: "", file: file)
    }

    var isNull: Bool { value == .null }

    func childKey(_ name: String) -> String { key.isEmpty ? name : "\(key).\(name)" }

    func invalid(_ detail: String) -> TokenizerError {
        .invalidValue(path: file, key: key.isEmpty ? "(root)" : key, detail: detail)
    }

    func unsupported(_ detail: String) -> TokenizerError {
        .unsupported(path: file, key: key.isEmpty ? "(root)" : key, detail: detail)
    }

    // MARK: Objects

    /// The members, in file order.
    func members() throws -> [(key: String, node: JSONNode)] {
        guard case let .object(members) = value else { throw invalid("expected an object, found \(typeName)") }
        return members.map { ($0.key, JSONNode(value: $0.value, key: childKey($0.key), file: file)) }
    }

    /// The member names, in file order.
    func keys() throws -> [String] {
        guard case let .object(members) = value else { throw invalid("expected an object, found \(typeName)") }
        return members.map(\.key)
    }

    /// The member `name`; absent is an error, `null` is returned as a null node.
    func required(_ name: String) throws -> JSONNode {
        guard case let .object(members) = value else { throw invalid("expected an object, found \(typeName)") }
        guard let member = members.first(where: { $0.key == name }) else { throw TokenizerError.missingKey(path: file, key: childKey(name)) }
        return JSONNode(value: member.value, key: childKey(name), file: file)
    }

    /// The member `name`, or nil when it is absent or `null`.
    func optional(_ name: String) throws -> JSONNode? {
        guard case let .object(members) = value else { throw invalid("expected an object, found \(typeName)") }
        guard let member = members.first(where: { $0.key == name }), member.value != .null else { return nil }
        return JSONNode(value: member.value, key: childKey(name), file: file)
    }

    /// Refuses members this implementation does not know: a key it does not understand might change the ids.
    /// `known` lists every member that is read or deliberately ignored.
    func requireOnlyKeys(_ known: Set<String>) throws {
        for name in try keys().sorted() where !known.contains(name) {
            throw TokenizerError.unsupported(
                path: file, key: childKey(name), detail: "key (known here: \(known.sorted().joined(separator: ", ")))")
        }
    }

    // MARK: Scalars

    func string() throws -> String {
        guard case let .string(string) = value else { throw invalid("expected a string, found \(typeName)") }
        return string
    }

    func bool() throws -> Bool {
        guard case let .bool(bool) = value else { throw invalid("expected true or false, found \(typeName)") }
        return bool
    }

    /// An integer written as one (`3`; not `3.0` or `3e0`).
    func int() throws -> Int {
        guard case let .number(text) = value, let int = Int(text) else { throw invalid("expected an integer, found \(typeName)") }
        return int
    }

    /// Any number, as a Double.
    func number() throws -> Double {
        guard case let .number(text) = value, let number = Double(text) else { throw invalid("expected a number, found \(typeName)") }
        return number
    }

    func array() throws -> [JSONNode] {
        guard case let .array(elements) = value else { throw invalid("expected an array, found \(typeName)") }
        return elements.enumerated().map { JSONNode(value: $1.value, key: "\(key)[\($0)]", file: file) }
    }

    /// The optional member `name` as a Bool, `defaultValue` when absent or null.
    func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        try optional(name)?.bool() ?? defaultValue
    }

    /// A component's `type` tag.
    func typeTag() throws -> String { try required("type").string() }

    var typeName: String { value.typeName }
}
