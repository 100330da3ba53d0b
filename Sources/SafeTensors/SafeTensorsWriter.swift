import Foundation
import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a safetensors file. The output depends only on the tensors and metadata given, not on the
/// order they were added in, and is byte-identical to what the Python library
/// (`safetensors.numpy.save_file`, safetensors 0.8) writes for the same input:
///
/// - tensors sorted by dtype, in the descending order of the Rust crate's `Dtype` enum
///   (U64, I64, F64, C64, F32, U32, I32, BF16, F16, …, U8, BOOL), then by name in UTF-8 byte order;
/// - the header as compact JSON (serde_json's formatting and escapes): `__metadata__` first, then
///   each tensor as `{"dtype":…,"shape":[…],"data_offsets":[begin,end]}`;
/// - the header padded with spaces so that the data starts at a multiple of 8 bytes.
///
/// Two differences, both where Python is not deterministic or not valid: metadata keys are written
/// in UTF-8 byte order (Python emits them in a random order: they pass through a Rust `HashMap`), and
/// empty metadata is left out (as Python's `metadata=None`; Python writes `"__metadata__":{}` for
/// `metadata={}`, and an invalid header when there are no tensors either).
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        var name: String
        var dtype: DType
        var shape: [Int]
        var bytes: [UInt8]
    }

    public private(set) var metadata: [String: String]
    private var entries: [Entry] = []
    /// Names taken so far. `String` equality is canonical equivalence, so names that a reader's
    /// `[String: …]` could not tell apart are refused too.
    private var names: Set<String> = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// The tensor names added so far.
    public var tensorNames: [String] { entries.map(\.name) }

    /// Adds a tensor given as its raw little-endian bytes (row-major).
    public mutating func add(_ name: String, dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        guard name != "__metadata__" else {
            throw SafeTensorsError.invalidTensor(tensor: name, detail: "the name is reserved for the header's metadata")
        }
        guard !names.contains(name) else {
            throw SafeTensorsError.invalidTensor(tensor: name, detail: "a tensor of this name (or a canonically equivalent one) was already added")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafeTensorsError.invalidTensor(tensor: name, detail: "shape \(shape) has a negative dimension")
        }
        guard let expected = checkedByteCount(shape: shape, dtype: dtype) else {
            throw SafeTensorsError.invalidTensor(tensor: name, detail: "the byte count of \(dtype.rawValue) \(shape) overflows")
        }
        guard bytes.count == expected else {
            throw SafeTensorsError.invalidTensor(tensor: name, detail: "\(dtype.rawValue) \(shape) needs \(expected) bytes, got \(bytes.count)")
        }
        names.insert(name)
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds an F32 tensor.
    public mutating func add(_ name: String, shape: [Int], floats: [Float]) throws {
        try add(name, dtype: .F32, shape: shape, bytes: littleEndianBytes(floats.map(\.bitPattern)))
    }

    /// Adds an F64 tensor.
    public mutating func add(_ name: String, shape: [Int], doubles: [Double]) throws {
        try add(name, dtype: .F64, shape: shape, bytes: littleEndianBytes(doubles.map(\.bitPattern)))
    }

    /// Adds an I64 tensor.
    public mutating func add(_ name: String, shape: [Int], int64s: [Int64]) throws {
        try add(name, dtype: .I64, shape: shape, bytes: littleEndianBytes(int64s))
    }

    /// The whole file: 8-byte header length, padded header, data.
    public func serialized() throws -> [UInt8] {
        let ordered = entries.sorted { a, b in
            a.dtype.serializationRank != b.dtype.serializationRank
                ? a.dtype.serializationRank > b.dtype.serializationRank
                : utf8Precedes(a.name, b.name)
        }

        var header: [UInt8] = [UInt8(ascii: "{")]
        var members = 0
        func separate() {
            if members > 0 { header.append(UInt8(ascii: ",")) }
            members += 1
        }
        if !metadata.isEmpty {
            separate()
            appendJSONString("__metadata__", to: &header)
            header.append(contentsOf: Array(":{".utf8))
            for (index, key) in metadata.keys.sorted(by: utf8Precedes).enumerated() {
                if index > 0 { header.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                appendJSONString(metadata[key, default: ""], to: &header)
            }
            header.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for entry in ordered {
            separate()
            let end = offset + entry.bytes.count  // cannot overflow: the bytes exist in memory
            appendJSONString(entry.name, to: &header)
            header.append(contentsOf: Array(":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[".utf8))
            header.append(contentsOf: Array(entry.shape.map(String.init).joined(separator: ",").utf8))
            header.append(contentsOf: Array("],\"data_offsets\":[\(offset),\(end)]}".utf8))
            offset = end
        }
        header.append(UInt8(ascii: "}"))
        // Pad so the data section starts 8-byte aligned (relative to the file's start).
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        guard header.count <= Header.maximumLength else {
            throw SafeTensorsError.invalidTensor(tensor: ordered.last?.name ?? "__metadata__",
                                                 detail: "the header would take \(header.count) bytes, over the limit of \(Header.maximumLength)")
        }

        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + offset)
        file.append(contentsOf: littleEndianBytes([UInt64(header.count)]))
        file.append(contentsOf: header)
        for entry in ordered { file.append(contentsOf: entry.bytes) }
        return file
    }

    /// Writes `serialized()` to `url` so that a crash never leaves a partial file under that name:
    /// the bytes go to a temporary file beside it, are flushed to disk, then renamed over `url`.
    public func write(to url: URL) throws {
        let bytes = try serialized()
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw SafeTensorsError.io(path: temporary.path, detail: "cannot create the temporary file")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: bytes)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()  // the write's error is the one to report
                throw error
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw SafeTensorsError.io(path: url.path, detail: "cannot rename \(temporary.lastPathComponent) into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)  // best-effort cleanup; the original error is rethrown
            if let error = error as? SafeTensorsError { throw error }
            throw SafeTensorsError.io(path: url.path, detail: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// Integers as little-endian bytes, whatever the host's byte order.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    #if _endian(little)
    return values.withUnsafeBytes { Array($0) }
    #else
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
    for value in values {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes
    #endif
}
