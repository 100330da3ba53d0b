import Foundation

/// A value inside a parsed JSON document together with where it sits, so that every loading error can name
/// the file and the full key path (`pre_tokenizer.pretokenizers[1].type`).
///
/// Backed by `JSONSerialization`: `tokenizer.json` is a tree of type-tagged unions (`{"type": "BPE", ...}`)
/// whose shape depends on the tag, which reads more directly as a walk than as a stack of `Codable` enums.
struct JSONNode {
    let value: Any
    /// The key path from the document root; empty for the root itself.
    let key: String
    /// The file the document came from (for messages).
    let file: String

    static func parse(_ data: Data, file: String) throws -> JSONNode {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            // Foundation's parser detail ("Invalid value around line 1, column 0."), not the NSError dump.
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw TokenizerError.malformedJSON(path: file, detail: "not valid JSON (\(detail))")
        }
        guard object is [String: Any] else {
            throw TokenizerError.malformedJSON(path: file, detail: "the top level is not an object")
        }
        return JSONNode(value: object, key: "", file: file)
    }

    var isNull: Bool { value is NSNull }

    func childKey(_ name: String) -> String { key.isEmpty ? name : "\(key).\(name)" }

    func invalid(_ detail: String) -> TokenizerError {
        .invalidValue(path: file, key: key.isEmpty ? "(root)" : key, detail: detail)
    }

    func unsupported(_ detail: String) -> TokenizerError {
        .unsupported(path: file, key: key.isEmpty ? "(root)" : key, detail: detail)
    }

    // MARK: Objects

    func object() throws -> [String: Any] {
        guard let object = value as? [String: Any] else { throw invalid("expected an object, found \(typeName)") }
        return object
    }

    /// The member `name`; absent is an error, `null` is returned as a null node.
    func required(_ name: String) throws -> JSONNode {
        guard let member = try object()[name] else { throw TokenizerError.missingKey(path: file, key: childKey(name)) }
        return JSONNode(value: member, key: childKey(name), file: file)
    }

    /// The member `name`, or nil when it is absent or `null`.
    func optional(_ name: String) throws -> JSONNode? {
        guard let member = try object()[name], !(member is NSNull) else { return nil }
        return JSONNode(value: member, key: childKey(name), file: file)
    }

    /// Refuses members this implementation does not know: a key it does not understand might change the ids.
    /// `known` lists every member that is read or deliberately ignored.
    func requireOnlyKeys(_ known: Set<String>) throws {
        for name in try object().keys.sorted() where !known.contains(name) {
            throw TokenizerError.unsupported(
                path: file, key: childKey(name), detail: "key (known here: \(known.sorted().joined(separator: ", ")))")
        }
    }

    // MARK: Scalars

    func string() throws -> String {
        guard let string = value as? String else { throw invalid("expected a string, found \(typeName)") }
        return string
    }

    func bool() throws -> Bool {
        guard let number = value as? NSNumber, Self.isBoolean(number) else {
            throw invalid("expected true or false, found \(typeName)")
        }
        return number.boolValue
    }

    func int() throws -> Int {
        guard let number = value as? NSNumber, !Self.isBoolean(number), let int = Int(exactly: number.doubleValue) else {
            throw invalid("expected an integer, found \(typeName)")
        }
        return int
    }

    func array() throws -> [JSONNode] {
        guard let array = value as? [Any] else { throw invalid("expected an array, found \(typeName)") }
        return array.enumerated().map { JSONNode(value: $1, key: "\(key)[\($0)]", file: file) }
    }

    /// The optional member `name` as a Bool, `defaultValue` when absent or null.
    func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        try optional(name)?.bool() ?? defaultValue
    }

    /// A component's `type` tag.
    func typeTag() throws -> String { try required("type").string() }

    /// `JSONSerialization` returns booleans as `NSNumber`s whose Objective-C type is `c` (char).
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    var typeName: String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber: return Self.isBoolean(number) ? "a boolean" : "a number"
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(type(of: value))"
        }
    }
}
