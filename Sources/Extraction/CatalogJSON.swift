import JSON

/// A catalog file's JSON value with the 1-based line and column (in bytes) where it starts: the
/// shared strict reader (`JSON`: duplicate keys refused, positions kept) seen as the catalog's errors
/// need it, to name the line of the offending object inside catalog.json (e.g. the second of two
/// contrasts with the same name).
struct CatalogJSONNode {
    indirect enum Value {
        case string(String)
        /// The number's text, as written.
        case number(String)
        case bool(Bool)
        case null
        case array([CatalogJSONNode])
        /// Members in file order (keys are unique: the parser refuses duplicates).
        case object([(key: String, node: CatalogJSONNode)])
    }

    let value: Value
    let line: Int
    let column: Int
    let typeName: String

    /// Parses one complete JSON document; `firstLine` is the line number of `bytes`' first byte in its
    /// file, so a JSONL line reports its own line.
    static func parse(_ bytes: [UInt8], firstLine: Int) throws(CatalogJSONSyntaxError) -> CatalogJSONNode {
        let lines = JSONLineIndex(bytes, firstLine: firstLine)
        do {
            return CatalogJSONNode(try JSONParser.parse(bytes), lines: lines)
        } catch {
            let (line, column) = lines.position(of: error.offset)
            throw CatalogJSONSyntaxError(line: line, column: column, reason: error.reason)
        }
    }

    private init(_ node: JSONNode, lines: JSONLineIndex) {
        (line, column) = lines.position(of: node.offset)
        typeName = node.value.typeName
        switch node.value {
        case let .string(string): value = .string(string)
        case let .number(text): value = .number(text)
        case let .bool(bool): value = .bool(bool)
        case .null: value = .null
        case let .array(elements): value = .array(elements.map { CatalogJSONNode($0, lines: lines) })
        case let .object(members): value = .object(members.map { ($0.key, CatalogJSONNode($0.node, lines: lines)) })
        }
    }
}

/// A syntax error at a 1-based line and column.
struct CatalogJSONSyntaxError: Error {
    let line: Int
    let column: Int
    let reason: String
}
