import Foundation
import JSON

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

