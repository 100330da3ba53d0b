import Foundation
@testable import GGUF
import TestSupport
import Testing

/// Metadata of every type, versions 2 and 3, the alignment and the tensor infos, against what
/// gguf-py's `GGUFReader` reads in the same files (Tests/Fixtures/gguf/metadata.*).
struct ReaderTests {
    struct Value: Decodable {
        let type: String
        let element_type: String?
        let values: [Value]?
        let value: JSONScalar?
        let bits: JSONScalar?
    }

    enum JSONScalar: Decodable {
        case int(Int), bool(Bool), string(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Bool.self) { self = .bool(v) }
            else if let v = try? c.decode(Int.self) { self = .int(v) }
            else { self = .string(try c.decode(String.self)) }
        }
    }

    struct Tensor: Decodable {
        let name: String
        let shape: [Int]
        let type: String
        let offset: Int
        let bytes: Int
        let bits: [UInt32]
    }

    struct Manifest: Decodable {
        let keys: [String]
        let values: [String: Value]
        let alignment: Int
        let data_offset: Int
        let tensors: [Tensor]
    }

    /// Whether `actual` is what the manifest describes, recursively.
    static func matches(_ actual: GGUFValue, _ expected: Value) -> Bool {
        guard "\(actual.type)".uppercased() == expected.type else { return false }
        switch (actual, expected.value ?? expected.bits) {
        case let (.array(elementType, values), _):
            guard let items = expected.values, "\(elementType)".uppercased() == expected.element_type,
                  items.count == values.count else { return false }
            return zip(values, items).allSatisfy { matches($0, $1) }
        case let (.string(v), .string(e)?): return v == e
        case let (.bool(v), .bool(e)?): return v == e
        case let (.float32(v), .int(e)?): return v.bitPattern == UInt32(e)
        case let (.float64(v), .string(e)?): return v.bitPattern == UInt64(e)
        case let (.uint64(v), .string(e)?): return v == UInt64(e)
        case let (.int64(v), .string(e)?): return v == Int64(e)
        case let (_, .int(e)?): return actual.integer == e
        default: return false
        }
    }

    @Test(arguments: ["metadata-v3.gguf", "metadata-v2.gguf"])
    func readsEveryValueType(file name: String) throws {
        let manifest = try Fixtures.decode("gguf/metadata.json", as: Manifest.self)
        let file = try GGUFFile(path: Fixtures.url("gguf/\(name)").path)
        #expect(file.version == (name.contains("v2") ? 2 : 3))
        #expect(file.metadataKeys == manifest.keys)
        for key in manifest.keys {
            let value = try file.value(key)
            let expected = try #require(manifest.values[key])
            #expect(Self.matches(value, expected), "\(key): \(value)")
        }
        #expect(file.alignment == manifest.alignment)
        #expect(file.dataOffset == manifest.data_offset)
        #expect(file.tensors.map(\.name) == manifest.tensors.map(\.name))
        for expected in manifest.tensors {
            let info = try file.tensor(expected.name)
            #expect(info.shape == expected.shape && info.type.name == expected.type, "\(expected.name)")
            #expect(info.offset == expected.offset && info.byteCount == expected.bytes, "\(expected.name)")
            #expect(try file.floats(expected.name).map(\.bitPattern) == expected.bits, "\(expected.name)")
        }
    }

    @Test func typedAccessorsNameTheKey() throws {
        let file = try GGUFFile(path: Fixtures.url("gguf/metadata-v3.gguf").path)
        #expect(try file.string("test.string") == "héllo, 世界 🙂")
        #expect(try file.integer("test.uint32") == 4_000_000_000)
        #expect(try file.integer("test.int8") == -120)
        #expect(try file.bool("test.bool_true"))
        #expect(try file.real("test.float32") == Double(Float(0.1)))
        #expect(try file.strings("test.array_string") == ["a", "", "Ġt", "<|im_start|>"])
        #expect(try file.integers("test.array_int32") == [1, -2, 3])
        #expect(throws: GGUFError.missingKey(path: file.path, key: "nope")) { try file.string("nope") }
        #expect(throws: GGUFError.wrongValueType(path: file.path, key: "test.uint8", expected: "STRING", actual: "UINT8")) {
            try file.string("test.uint8")
        }
        #expect(throws: GGUFError.wrongValueType(path: file.path, key: "test.array_string", expected: "an integer array", actual: "ARRAY[STRING]")) {
            try file.integers("test.array_string")
        }
        // UINT64 max does not fit Int: refused, not wrapped.
        #expect(throws: GGUFError.self) { try file.integer("test.uint64") }
        #expect(throws: GGUFError.tensorNotFound(path: file.path, tensor: "zzz")) { try file.floats("zzz") }
    }
}
