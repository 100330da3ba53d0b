import Foundation
@testable import GGUF
import TestSupport
import Testing

/// Every supported ggml type against gguf-py's `dequantize` (Tests/Fixtures/gguf/dequant.*, made by
/// scripts/fixtures/make_gguf.py): random blocks, and blocks gguf-py quantized itself. Compared bit for
/// bit: the Swift code does the same float32 operations in the same order, so there is no tolerance.
struct DequantizationTests {
    struct Expected: Decodable {
        let name: String
        let type: String
        let shape: [Int]
        let bits: [UInt32]
    }

    struct Manifest: Decodable {
        let gguf: String
        let tensors: [Expected]
    }

    @Test func equalsGGUFPyBitForBit() throws {
        let manifest = try Fixtures.decode("gguf/dequant.json", as: Manifest.self)
        let file = try GGUFFile(path: Fixtures.url("gguf/dequant.gguf").path)
        #expect(file.tensors.map(\.name) == manifest.tensors.map(\.name))
        var typesSeen = Set<String>()
        for expected in manifest.tensors {
            let info = try file.tensor(expected.name)
            #expect(info.type.name == expected.type, "\(expected.name)")
            #expect(info.shape == expected.shape, "\(expected.name)")
            let values = try file.floats(expected.name)
            let mismatches = zip(values, expected.bits).enumerated().filter { $0.element.0.bitPattern != $0.element.1 }
            #expect(values.count == expected.bits.count && mismatches.isEmpty,
                    "\(expected.name): \(mismatches.count) of \(expected.bits.count) differ, first \(mismatches.first.map { "\($0.offset): \($0.element.0) vs \(Float(bitPattern: $0.element.1))" } ?? "-")")
            typesSeen.insert(expected.type)
        }
        #expect(typesSeen == Set(GGMLType.supported.map(\.name)))
    }

    /// The parallel path (chunks over all cores) gives what one chunk at a time gives.
    @Test(arguments: GGMLType.supported)
    func largeTensorsSplitIntoChunksAgree(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 12)
        let blocks = 3 * 65_536 / type.blockSize + 7  // several chunks and a partial one
        var bytes = (0..<(blocks * type.typeSize)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Keep halves finite: clear the top exponent bit of every byte pair that could be a scale.
        if type != .F32 && type != .BF16 { for i in stride(from: 1, to: bytes.count, by: 2) { bytes[i] &= 0xBB } }
        let count = blocks * type.blockSize
        let whole = [Float](unsafeUninitializedCapacity: count) { buffer, n in
            bytes.withUnsafeBytes { Dequantization.dequantize(type, $0, count: count, into: buffer.baseAddress!) }
            n = count
        }
        let chunk = type.blockSize * 1000
        var pieces = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            pieces.withUnsafeMutableBufferPointer { out in
                var start = 0
                while start < count {
                    let n = min(chunk, count - start)
                    let source = UnsafeRawBufferPointer(rebasing: raw[(start / type.blockSize * type.typeSize)...])
                    Dequantization.dequantize(type, source, count: n, into: out.baseAddress! + start)
                    start += n
                }
            }
        }
        #expect(whole.map(\.bitPattern) == pieces.map(\.bitPattern))
    }
}
