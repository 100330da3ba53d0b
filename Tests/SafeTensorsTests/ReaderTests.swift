import Foundation
@testable import SafeTensors
import TestSupport
import Testing

/// Files written by the Python `safetensors` library read back with exact values, for every dtype
/// (scripts/fixtures/make_safetensors.py: dtypes.safetensors, expected values as bit patterns).
struct ReaderTests {
    struct Expected: Decodable {
        struct Tensor: Decodable {
            let shape: [Int]
            let dtype: String
            let float32_bits: [UInt32]?
            let float64_bits: [String]?
            let int64: [String]?
            let int64_out_of_range: Bool?
        }

        let metadata: [String: String]
        let tensors: [String: Tensor]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("safetensors/dtypes.json")))
    }

    static func file() throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: Fixtures.url("safetensors/dtypes.safetensors"))
    }

    @Test func headerMatchesWhatPythonWrote() throws {
        let file = try Self.file(), expected = try Self.expected()
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.tensorNames) == Set(expected.tensors.keys))
        #expect(file.tensorNames == file.tensorNames.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for (name, tensor) in expected.tensors {
            let info = try #require(file.info(name), "\(name)")
            #expect(info.dtype.rawValue == tensor.dtype, "\(name)")
            #expect(info.shape == tensor.shape, "\(name)")
            #expect(info.byteCount == info.elementCount * info.dtype.byteSize, "\(name)")
        }
        // Every dtype the fixture was meant to cover is there.
        let dtypes = Set(file.tensors.values.map(\.dtype))
        #expect(dtypes == [.F32, .F16, .BF16, .F64, .I64, .I32, .I16, .I8, .U8, .U16, .U32, .U64, .BOOL])
    }

    @Test func floatTensorsConvertExactly() throws {
        let file = try Self.file(), expected = try Self.expected()
        var checked = 0
        for (name, tensor) in expected.tensors {
            guard let bits32 = tensor.float32_bits, let bits64 = tensor.float64_bits else { continue }
            // Bit patterns, not values: -0, NaN and subnormals must come through exactly as NumPy
            // (F16, F64 → float32) and torch (BF16 → float32) convert them.
            #expect(try file.floats(name).map(\.bitPattern) == bits32, "\(name)")
            #expect(try file.doubles(name).map(\.bitPattern) == bits64.map { UInt64($0)! }, "\(name)")
            #expect(try file.floats(name, shape: tensor.shape).count == tensor.shape.reduce(1, *), "\(name)")
            checked += 1
        }
        #expect(checked == 7)  // f32, f32_special, f16, bf16, f64, scalar, empty
    }

    @Test func scalarAndEmptyTensors() throws {
        let file = try Self.file()
        #expect(file.info("scalar")?.shape == [])
        #expect(file.info("scalar")?.elementCount == 1)
        #expect(try file.floats("scalar") == [3.5])
        #expect(try file.floats("empty") == [])
        #expect(file.info("empty")?.dataOffsets.isEmpty == true)
        #expect(try file.int64s("empty_2d", shape: [3, 0]) == [])
    }

    @Test func integerTensorsWidenExactly() throws {
        let file = try Self.file(), expected = try Self.expected()
        var checked = 0
        for (name, tensor) in expected.tensors {
            guard let values = tensor.int64 else { continue }
            #expect(try file.int64s(name) == values.map { Int64($0)! }, "\(name)")
            checked += 1
        }
        #expect(checked == 10)
    }

    @Test func refusesLossyOrImpossibleConversions() throws {
        let file = try Self.file()
        let path = file.url.path
        #expect(throws: SafeTensorsError.valueOutOfRange(path: path, tensor: "u64_big", index: 0,
                                                         detail: "U64 value 18446744073709551615 exceeds Int64.max")) {
            try file.int64s("u64_big")
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(path: path, tensor: "i64", dtype: .I64, to: "Float")) {
            try file.floats("i64")
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(path: path, tensor: "u8", dtype: .U8, to: "Double")) {
            try file.doubles("u8")
        }
        #expect(throws: SafeTensorsError.unsupportedConversion(path: path, tensor: "f32", dtype: .F32, to: "Int64")) {
            try file.int64s("f32")
        }
        #expect(throws: SafeTensorsError.tensorNotFound(path: path, tensor: "missing")) { try file.floats("missing") }
        #expect(throws: SafeTensorsError.shapeMismatch(path: path, tensor: "f32", expected: [3, 2], actual: [2, 3])) {
            try file.floats("f32", shape: [3, 2])
        }
        #expect(file.info("missing") == nil)
    }

    @Test func rawBytesAreTheTensorsSlice() throws {
        let file = try Self.file()
        let info = try #require(file.info("u8"))
        let bytes = try file.withUnsafeBytes("u8") { Array($0) }
        #expect(bytes.count == info.byteCount)
        #expect(bytes == [0, 1, 127, 128, 254, 255])
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// The bit-twiddling half → float conversion (for platforms without `Float16`) agrees with
    /// `Float16` on all 65536 bit patterns, NaNs included.
    @Test func portableHalfConversionMatchesFloat16() {
        var mismatches: [UInt16] = []
        for bits in UInt16.min...UInt16.max
        where floatFromHalfBitsPortable(bits).bitPattern != Float(Float16(bitPattern: bits)).bitPattern {
            mismatches.append(bits)
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
    #endif
}
