import Foundation

/// What stops an extraction, each with the place it concerns.
package enum ExtractionError: Error, CustomStringConvertible {
    case badShard(String)
    case noContentTokens(condition: String, id: String)
    /// The tokenizer gave an id the model's embedding table does not have (tokenizer and weights disagree).
    case tokenOutOfRange(condition: String, id: String, token: Int32, vocabularySize: Int)
    /// Another process holds the output's lock.
    case outputLocked(path: String, lock: String)
    case outputIsFolder(path: String)
    case resumeMismatch(path: String, field: String)
    case badPart(path: String, detail: String)
    case nonFiniteActivation(condition: String, id: String, layer: Int)
    case cannotWrite(path: String, detail: String)
    case interrupted(batches: Int)

    package var description: String {
        switch self {
        case let .badShard(text):
            return "--shard \(text): expected i/n with 0 ≤ i < n, e.g. 0/4"
        case let .noContentTokens(condition, id):
            return "\(condition): prompt \(id) yields no content token"
        case let .tokenOutOfRange(condition, id, token, vocabularySize):
            return "\(condition): prompt \(id) has token id \(token), outside the model's vocabulary of \(vocabularySize); tokenizer.json does not belong to these weights"
        case let .outputLocked(path, lock):
            return "--out \(path): another extract is writing it (it holds \(lock)); wait for it to finish, or stop it and run again with --resume"
        case let .outputIsFolder(path):
            return "--out: \(path) is a folder; give the activations file's name, e.g. \(path)/activations.h5"
        case let .resumeMismatch(path, field):
            return "--resume: the interrupted run in \(path) was made with another \(field); delete that folder or run without --resume"
        case let .badPart(path, detail):
            return "\(path): \(detail) (delete it and run again with --resume)"
        case let .nonFiniteActivation(condition, id, layer):
            return "\(condition): prompt \(id) gives a NaN or infinite hidden state at layer \(layer); the model's weights are broken"
        case let .interrupted(batches):
            return "stopped after \(batches) batches; run again with --resume to finish"
        case let .cannotWrite(path, detail):
            return "\(path): cannot write (\(detail))"
        }
    }
}
