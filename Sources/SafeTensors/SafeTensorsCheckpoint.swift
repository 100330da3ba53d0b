import Foundation
import JSON

/// The weights of a Hugging Face checkpoint folder: `model.safetensors`, or the shards listed by
/// `model.safetensors.index.json` (`{"weight_map": {tensor name: shard file}}`) when there is no
/// single file. Every file is mapped and validated on `init`; tensors are read on demand.
///
/// The index must agree with its shards exactly: every listed tensor is in the shard it names, and
/// every tensor of a shard is listed there, so no weight can be silently dropped or shadowed.
public struct SafeTensorsCheckpoint: Sendable {
    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"

    public let directory: URL
    /// `model.safetensors`, or the index file when sharded: the file whose hash identifies the
    /// weights (SPEC's `model_sha256`).
    public let weightsFile: URL
    /// The safetensors files: the single file, or the shards in file-name order.
    public let files: [SafeTensorsFile]
    /// Every tensor name in UTF-8 byte order.
    public let tensorNames: [String]
    /// Tensor name → index into `files`.
    private let location: [String: Int]

    public init(directory: URL) throws {
        self.directory = directory
        let single = directory.appendingPathComponent(Self.singleFileName)
        let index = directory.appendingPathComponent(Self.indexFileName)
        if FileManager.default.fileExists(atPath: single.path) {
            let file = try SafeTensorsFile(contentsOf: single)
            weightsFile = single
            files = [file]
            location = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, 0) })
        } else if FileManager.default.fileExists(atPath: index.path) {
            let weightMap = try Self.readWeightMap(index)
            let shardNames = Set(weightMap.values).sorted(by: utf8Precedes)
            var files: [SafeTensorsFile] = []
            var location: [String: Int] = [:]
            for (shardIndex, shardName) in shardNames.enumerated() {
                let shard = try SafeTensorsFile(contentsOf: directory.appendingPathComponent(shardName))
                for name in shard.tensorNames {
                    guard weightMap[name] == shardName else {
                        let listed = weightMap[name].map { "lists it in \($0)" } ?? "does not list it"
                        throw SafeTensorsError.invalidCheckpoint(path: index.path, detail: "tensor \(quoted(name)) is in \(shardName) but the index \(listed)")
                    }
                    location[name] = shardIndex
                }
                files.append(shard)
            }
            for (name, shardName) in weightMap where location[name] == nil {
                throw SafeTensorsError.invalidCheckpoint(path: index.path, detail: "the index lists tensor \(quoted(name)) in \(shardName), which does not contain it")
            }
            weightsFile = index
            self.files = files
            self.location = location
        } else {
            throw SafeTensorsError.invalidCheckpoint(path: directory.path, detail: "no \(Self.singleFileName) or \(Self.indexFileName) in the folder")
        }
        tensorNames = location.keys.sorted(by: utf8Precedes)
    }

    /// The entry of `name`, or nil when the checkpoint has no such tensor.
    public func info(_ name: String) -> TensorInfo? {
        location[name].flatMap { files[$0].info(name) }
    }

    /// The file holding `name`.
    public func file(containing name: String) throws -> SafeTensorsFile {
        guard let index = location[name] else { throw SafeTensorsError.tensorNotFound(path: weightsFile.path, tensor: name) }
        return files[index]
    }

    /// See `SafeTensorsFile.floats(_:)`.
    public func floats(_ name: String) throws -> [Float] {
        try file(containing: name).floats(name)
    }

    /// See `SafeTensorsFile.floats(_:shape:)`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        try file(containing: name).floats(name, shape: shape)
    }

    /// See `SafeTensorsFile.int64s(_:)`.
    public func int64s(_ name: String) throws -> [Int64] {
        try file(containing: name).int64s(name)
    }

    /// The index's `weight_map`, with shard names checked to be plain file names in the folder.
    private static func readWeightMap(_ url: URL) throws -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError.io(path: url.path, detail: "cannot read: \(error.localizedDescription)")
        }
        let json = try data.withUnsafeBytes { bytes in try parseJSON(bytes, trailing: .whitespace, path: url.path) }
        // Other top-level keys ("metadata": {"total_size": …}) carry nothing the weights need.
        guard case .object(let members) = json,
              let weightMapValue = members.first(where: { $0.key == "weight_map" })?.value,
              case .object(let entries) = weightMapValue
        else {
            throw SafeTensorsError.invalidCheckpoint(path: url.path, detail: "expected an object with a \"weight_map\" object")
        }
        var weightMap: [String: String] = [:]
        for entry in entries {
            let (name, value) = (entry.key, entry.value)
            guard case .string(let shard) = value else {
                throw SafeTensorsError.invalidCheckpoint(path: url.path, detail: "weight_map[\(quoted(name))] must be a file name, found \(value.typeName)")
            }
            guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw SafeTensorsError.invalidCheckpoint(path: url.path, detail: "weight_map[\(quoted(name))] = \(quoted(shard)) is not a file name in the checkpoint folder")
            }
            weightMap[name] = shard
        }
        return weightMap
    }
}
