import Foundation

/// The architecture a snapshot's `config.json` names, with its configuration read and checked.
///
/// `model_type` chooses the family; each family's configuration type maps the Hugging Face key names
/// in its `CodingKeys`, resolves transformers' defaults once while decoding, and refuses (in
/// `validate`) every setting whose numerics this package does not implement, rather than computing
/// something else silently.
enum Architecture: Sendable, Equatable {
    case llama(LlamaConfiguration)
    case bert(BertConfiguration)

    static func load(directory: URL) throws -> Architecture {
        let url = directory.appendingPathComponent("config.json")
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DetectorModelsError.unreadableConfiguration(path: path, reason: "\(error.localizedDescription)")
        }
        let header = try decode(ModelTypeHeader.self, from: data, path: path)
        switch header.modelType {
        case "llama":
            let configuration = try decode(LlamaConfiguration.self, from: data, path: path)
            try configuration.validate(path: path)
            return .llama(configuration)
        case "bert":
            let configuration = try decode(BertConfiguration.self, from: data, path: path)
            try configuration.validate(path: path)
            return .bert(configuration)
        case let other:
            throw DetectorModelsError.unsupportedModelType(path: path, modelType: other)
        }
    }

    private struct ModelTypeHeader: Decodable {
        let modelType: String
        enum CodingKeys: String, CodingKey { case modelType = "model_type" }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw DetectorModelsError.unreadableConfiguration(path: path, reason: error.summary)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw DetectorModelsError.unreadableConfiguration(path: path, reason: "not valid JSON (\(detail))")
        }
    }
}

extension DecodingError {
    /// One line: the key path and what was wrong there.
    var summary: String {
        func keyPath(_ context: Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch self {
        case let .keyNotFound(key, context):
            let parent = context.codingPath.isEmpty ? "" : " in \(keyPath(context))"
            return "key \(key.stringValue) is missing\(parent)"
        case let .typeMismatch(type, context):
            return "\(keyPath(context)) is not of type \(type): \(context.debugDescription)"
        case let .valueNotFound(type, context):
            return "\(keyPath(context)) is null, expected \(type)"
        case let .dataCorrupted(context):
            return "\(keyPath(context)): \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}

/// A JSON value of unknown shape: `rope_parameters` / `rope_scaling` hold keys that depend on the
/// RoPE type, and we must see all of them to refuse the ones we do not implement.
enum JSONValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    /// Tries the JSON kinds in turn; a failed attempt only means "not this kind", and the last
    /// attempt (an object) reports the error when the value is none of them.
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return "\(value)"
        case let .number(value): return "\(value)"
        case let .string(value): return "\"\(value)\""
        case let .array(value): return "[\(value.map(\.description).joined(separator: ", "))]"
        case let .object(value):
            return "{\(value.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
        }
    }
}
