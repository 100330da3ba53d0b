import Foundation
@testable import SafeTensors
import TestSupport
import Testing

/// The writer reproduces, byte for byte, what Python's `save_file` wrote for the same tensors
/// (writer_cases.json lists each case's inputs in a deliberately unsorted order).
struct WriterTests {
    struct Manifest: Decodable {
        struct Tensor: Decodable {
            let name: String
            let dtype: String
            let shape: [Int]
            let hex: String
        }

        struct Case: Decodable {
            let file: String
            let metadata: [String: String]
            let tensors: [Tensor]
        }

        let cases: [Case]
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Fixtures.url("safetensors/writer_cases.json")))
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { $0 <= UInt8(ascii: "9") ? $0 - UInt8(ascii: "0") : $0 - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func values<T>(_ bytes: [UInt8], as type: T.Type) -> [T] {
        bytes.withUnsafeBytes { raw in (0..<(bytes.count / MemoryLayout<T>.size)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) } }
    }

    /// The case's tensors added in `order`, through the typed `add` where there is one.
    static func writer(for testCase: Manifest.Case, order: [Int]? = nil) throws -> SafeTensorsWriter {
        var writer = SafeTensorsWriter(metadata: testCase.metadata)
        for index in order ?? Array(testCase.tensors.indices) {
            let tensor = testCase.tensors[index]
            let dtype = try #require(DType(rawValue: tensor.dtype))
            let raw = bytes(hex: tensor.hex)
            switch dtype {
            case .F32: try writer.add(tensor.name, shape: tensor.shape, floats: values(raw, as: UInt32.self).map(Float.init(bitPattern:)))
            case .F64: try writer.add(tensor.name, shape: tensor.shape, doubles: values(raw, as: UInt64.self).map(Double.init(bitPattern:)))
            case .I64: try writer.add(tensor.name, shape: tensor.shape, int64s: values(raw, as: Int64.self))
            default: try writer.add(tensor.name, dtype: dtype, shape: tensor.shape, bytes: raw)
            }
        }
        return writer
    }

    @Test func serializationIsByteIdenticalToPython() throws {
        let manifest = try Self.manifest()
        #expect(manifest.cases.count == 5)
        for testCase in manifest.cases {
            let expected = try [UInt8](Data(contentsOf: Fixtures.url("safetensors/\(testCase.file)")))
            let written = try Self.writer(for: testCase).serialized()
            #expect(written == expected, "\(testCase.file): \(Self.firstDifference(written, expected))")
        }
    }

    @Test func outputDoesNotDependOnInsertionOrder() throws {
        let testCase = try #require(try Self.manifest().cases.first { $0.file == "writer_numpy.safetensors" })
        let forward = try Self.writer(for: testCase).serialized()
        let reversed = try Self.writer(for: testCase, order: Array(testCase.tensors.indices.reversed())).serialized()
        var generator = SystemRandomNumberGenerator()
        let shuffled = try Self.writer(for: testCase, order: Array(testCase.tensors.indices).shuffled(using: &generator)).serialized()
        #expect(forward == reversed)
        #expect(forward == shuffled)
    }

    /// What we write, we read back: names (escapes included), shapes, dtypes, values, metadata.
    @Test func writtenFilesReadBack() throws {
        let directory = try Fixtures.temporaryDirectory("safetensors-writer")
        defer { try? FileManager.default.removeItem(at: directory) }  // cleanup only
        for testCase in try Self.manifest().cases {
            let url = directory.appendingPathComponent(testCase.file)
            try Self.writer(for: testCase).write(to: url)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.metadata == testCase.metadata, "\(testCase.file)")
            #expect(Set(file.tensorNames) == Set(testCase.tensors.map(\.name)), "\(testCase.file)")
            for tensor in testCase.tensors {
                let info = try #require(file.info(tensor.name))
                #expect(info.dtype.rawValue == tensor.dtype && info.shape == tensor.shape, "\(tensor.name)")
                #expect(try file.withUnsafeBytes(tensor.name) { Array($0) } == Self.bytes(hex: tensor.hex), "\(tensor.name)")
            }
            // The data section starts 8-byte aligned, as the format recommends.
            let header = try [UInt8](Data(contentsOf: url)).prefix(8)
            #expect(header.reversed().reduce(0) { $0 << 8 | Int($1) } % 8 == 0)
        }
    }

    /// `write(to:)` replaces an existing file in one step and leaves no temporary file behind.
    @Test func writeReplacesAtomically() throws {
        let directory = try Fixtures.temporaryDirectory("safetensors-atomic")
        defer { try? FileManager.default.removeItem(at: directory) }  // cleanup only
        let url = directory.appendingPathComponent("out.safetensors")
        try Data("old contents".utf8).write(to: url)
        var writer = SafeTensorsWriter(metadata: ["format_version": "1"])
        try writer.add("x", shape: [2], floats: [1, 2])
        try writer.write(to: url)
        #expect(try [UInt8](Data(contentsOf: url)) == writer.serialized())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.safetensors"])

        // A folder that does not exist: an error naming the destination, nothing created.
        let nowhere = directory.appendingPathComponent("missing/out.safetensors")
        #expect(throws: SafeTensorsError.self) { try writer.write(to: nowhere) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.safetensors"])
    }

    @Test func refusesWhatCannotBeStored() throws {
        var writer = SafeTensorsWriter()
        try writer.add("a", shape: [2], floats: [1, 2])
        #expect(throws: SafeTensorsError.invalidTensor(tensor: "a", detail: "a tensor of this name (or a canonically equivalent one) was already added")) {
            try writer.add("a", shape: [1], floats: [1])
        }
        try writer.add("\u{E9}", shape: [], floats: [1])
        // "e" + combining acute accent is canonically equivalent to "é": a reader keyed by String
        // could not hold both.
        #expect(throws: SafeTensorsError.self) { try writer.add("e\u{301}", shape: [], floats: [1]) }
        #expect(throws: SafeTensorsError.self) { try writer.add("__metadata__", shape: [], floats: [1]) }
        #expect(throws: SafeTensorsError.invalidTensor(tensor: "b", detail: "F32 [2, 2] needs 16 bytes, got 12")) {
            try writer.add("b", shape: [2, 2], floats: [1, 2, 3])
        }
        #expect(throws: SafeTensorsError.self) { try writer.add("c", shape: [-1], floats: []) }
        #expect(throws: SafeTensorsError.self) { try writer.add("d", dtype: .U8, shape: [Int.max, 2], bytes: []) }
        #expect(writer.tensorNames == ["a", "\u{E9}"])
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        guard let index = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) ?? (a.count == b.count ? nil : min(a.count, b.count)) else {
            return "identical"
        }
        let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, index - 20)..<min(bytes.count, index + 40)], as: UTF8.self) }
        return "first difference at byte \(index) (sizes \(a.count), \(b.count)): ours …\(context(a))… theirs …\(context(b))…"
    }
}
