import Foundation
import SafeTensors
import TestSupport
import Testing

/// The real all-MiniLM-L6-v2 checkpoint (90 MB, written by transformers) reads as the Python
/// library reads it: every tensor's dtype and shape, and its first and last values, which pins
/// every tensor's offsets. Skipped when the model is not installed.
struct DefaultModelTests {
    struct Expected: Decodable {
        struct Tensor: Decodable {
            let dtype: String
            let shape: [Int]
            let head_bits: [UInt32]?
            let tail_bits: [UInt32]?
            let head_int64: [String]?
            let tail_int64: [String]?
        }

        let tensors: [String: Tensor]
    }

    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil, "default model not installed (make model)"))
    func defaultModelMatchesPython() throws {
        let directory = try #require(Fixtures.defaultModelDirectory)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("safetensors/default_model.json")))
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        #expect(Set(checkpoint.tensorNames) == Set(expected.tensors.keys))
        for (name, tensor) in expected.tensors {
            let info = try #require(checkpoint.info(name), "\(name)")
            #expect(info.dtype.rawValue == tensor.dtype && info.shape == tensor.shape, "\(name)")
            if let head = tensor.head_bits, let tail = tensor.tail_bits {
                let values = try checkpoint.floats(name, shape: tensor.shape)
                #expect(values.prefix(4).map(\.bitPattern) == head && values.suffix(4).map(\.bitPattern) == tail, "\(name)")
            } else if let head = tensor.head_int64, let tail = tensor.tail_int64 {
                let values = try checkpoint.int64s(name)
                #expect(Array(values.prefix(4)) == head.map { Int64($0)! } && Array(values.suffix(4)) == tail.map { Int64($0)! }, "\(name)")
            } else {
                Issue.record("\(name): no expected values in the fixture")
            }
        }
    }
}
