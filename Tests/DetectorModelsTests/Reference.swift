import Foundation
import SafeTensors
import TestSupport
@testable import DetectorModels

/// transformers' float32 hidden states for a few prompts, written by scripts/fixtures/make_models.py:
/// every prompt run alone (no padding), `output_hidden_states=True`.
struct Reference {
    struct Metadata: Decodable {
        let model: String
        let layers: [Int]
        let prompts: [String]
        let inputIDs: [[Int32]]
        enum CodingKeys: String, CodingKey { case model, layers, prompts, inputIDs = "input_ids" }
    }

    let metadata: Metadata
    let hiddenSize: Int
    let states: [Float]  // [layers, tokens of all prompts, hidden]

    var tokenCount: Int { metadata.inputIDs.reduce(0) { $0 + $1.count } }

    init(_ name: String) throws {
        let json = try Data(contentsOf: Fixtures.url("models/reference/\(name).json"))
        metadata = try JSONDecoder().decode(Metadata.self, from: json)
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("models/reference/\(name).safetensors"))
        let shape = try file.requireInfo("hidden_states").shape
        hiddenSize = shape[2]
        states = try file.floats("hidden_states")
        precondition(shape == [metadata.layers.count, metadata.inputIDs.reduce(0) { $0 + $1.count }, hiddenSize])
    }

    /// The reference hidden state of `prompt`'s `token` at the `index`-th stored layer.
    func vector(layerIndex index: Int, prompt: Int, token: Int) -> ArraySlice<Float> {
        let row = metadata.inputIDs[..<prompt].reduce(0) { $0 + $1.count } + token
        let start = (index * tokenCount + row) * hiddenSize
        return states[start..<(start + hiddenSize)]
    }
}

/// How far one layer of our hidden states is from the reference, over all prompts' tokens.
struct LayerDeviation: CustomStringConvertible {
    var maxAbsoluteDifference: Float = 0
    /// The largest |reference| value of the layer: the layer's magnitude.
    var magnitude: Float = 0
    var relative: Float { maxAbsoluteDifference / Swift.max(magnitude, .leastNormalMagnitude) }
    var description: String { "max |Δ| \(maxAbsoluteDifference) at magnitude \(magnitude) (relative \(relative))" }

    mutating func add(_ ours: ArraySlice<Float>, _ reference: ArraySlice<Float>) {
        for (a, b) in zip(ours, reference) {
            maxAbsoluteDifference = Swift.max(maxAbsoluteDifference, abs(a - b))
            magnitude = Swift.max(magnitude, abs(b))
        }
    }
}

/// A copy of a fixture snapshot whose weights are rewritten by `edit` (name → (shape, values)), to
/// test the loader's refusals. The caller removes the returned folder.
func editedSnapshot(_ fixture: String, _ edit: (inout [String: (shape: [Int], values: [Float])]) throws -> Void,
                    extra: (inout SafeTensorsWriter) throws -> Void = { _ in }) throws -> URL {
    let source = Fixtures.url("models/\(fixture)")
    let directory = try Fixtures.temporaryDirectory("models")
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name != "model.safetensors" {
        try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
    }
    let file = try SafeTensorsFile(contentsOf: source.appendingPathComponent("model.safetensors"))
    var tensors: [String: (shape: [Int], values: [Float])] = [:]
    for name in file.tensorNames { tensors[name] = (try file.requireInfo(name).shape, try file.floats(name)) }
    try edit(&tensors)
    var writer = SafeTensorsWriter()
    for (name, tensor) in tensors { try writer.add(name, shape: tensor.shape, floats: tensor.values) }
    try extra(&writer)
    try writer.write(to: directory.appendingPathComponent("model.safetensors"))
    return directory
}

/// A copy of a fixture snapshot with `config.json` replaced.
func snapshot(_ fixture: String, config: [String: Any]) throws -> URL {
    let directory = try editedSnapshot(fixture, { _ in })
    let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
    try data.write(to: directory.appendingPathComponent("config.json"))
    return directory
}

/// The fixture's `config.json` as a dictionary, to edit.
func configuration(of fixture: String) throws -> [String: Any] {
    let data = try Data(contentsOf: Fixtures.url("models/\(fixture)/config.json"))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw DetectorModelsError.unreadableConfiguration(path: fixture, reason: "not an object")
    }
    return object
}
