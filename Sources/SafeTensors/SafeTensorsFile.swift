import Foundation
import MappedFiles

/// A safetensors file, memory-mapped read-only and validated when opened.
///
/// Opening reads only the header: the weights stay on disk (or in the page cache) until a tensor is
/// read, and only that tensor's pages are touched. Every rule of the format is checked up front
/// (see `SafeTensorsError`), so the accessors can only fail on a missing name or a wrong dtype.
/// Immutable after `init`, hence shareable across tasks.
public final class SafeTensorsFile: @unchecked Sendable {
    /// The largest header accepted, in bytes (the reference implementation's limit).
    public static let maximumHeaderLength = Header.maximumLength

    public let url: URL
    /// Every tensor of the file by name (`__metadata__` excluded).
    public let tensors: [String: TensorInfo]
    /// The header's `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// The tensor names in UTF-8 byte order (Rust's and the Python library's order).
    public let tensorNames: [String]

    private let mapping: MappedFile
    private let dataStart: Int

    public init(contentsOf url: URL) throws {
        let path = url.path
        let mapping: MappedFile
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw SafeTensorsError.io(path: error.path, detail: error.detail)
        }
        // Anything under 8 bytes (the header's length) is not a safetensors file.
        guard mapping.count >= 8 else { throw SafeTensorsError.fileTooSmall(path: path, size: mapping.count) }
        let header = try mapping.withBytes { bytes throws(SafeTensorsError) in try Header(file: bytes, path: path) }
        self.url = url
        self.mapping = mapping
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.dataStart = header.dataStart
        self.tensorNames = header.tensors.keys.sorted(by: utf8Precedes)
    }

    /// The entry of `name`, or nil when the file has no such tensor.
    public func info(_ name: String) -> TensorInfo? {
        tensors[name]
    }

    /// The entry of `name`; an error naming the file when there is none.
    public func requireInfo(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else { throw SafeTensorsError.tensorNotFound(path: url.path, tensor: name) }
        return info
    }

    /// The tensor's raw little-endian bytes, straight from the mapping (no copy). The buffer is valid
    /// only inside `body`; its start is not necessarily aligned for the element type.
    public func withUnsafeBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try requireInfo(name)
        return try mapping.withBytes { file in
            try body(UnsafeRawBufferPointer(rebasing: file[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)]))
        }
    }

    /// A float tensor (F32, F16, BF16, F64) as `Float`, row-major. F16 and BF16 widen exactly;
    /// F64 rounds to nearest.
    public func floats(_ name: String) throws -> [Float] {
        let info = try requireInfo(name)
        return try withUnsafeBytes(name) { bytes in
            guard let values = decodeFloats(bytes, dtype: info.dtype, count: info.elementCount) else {
                throw SafeTensorsError.unsupportedConversion(path: url.path, tensor: name, dtype: info.dtype, to: "Float")
            }
            return values
        }
    }

    /// `floats(name)` after checking that the tensor has exactly `shape`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        try checkShape(name, shape)
        return try floats(name)
    }

    /// A float tensor (F64, F32, F16, BF16) as `Double`, exactly.
    public func doubles(_ name: String) throws -> [Double] {
        let info = try requireInfo(name)
        return try withUnsafeBytes(name) { bytes in
            guard let values = decodeDoubles(bytes, dtype: info.dtype, count: info.elementCount) else {
                throw SafeTensorsError.unsupportedConversion(path: url.path, tensor: name, dtype: info.dtype, to: "Double")
            }
            return values
        }
    }

    /// `doubles(name)` after checking that the tensor has exactly `shape`.
    public func doubles(_ name: String, shape: [Int]) throws -> [Double] {
        try checkShape(name, shape)
        return try doubles(name)
    }

    /// An integer or BOOL tensor (I64, I32, I16, I8, U64, U32, U16, U8, BOOL) widened to `Int64`.
    /// A U64 value above `Int64.max` is an error, not a wrapped number.
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try requireInfo(name)
        return try withUnsafeBytes(name) { bytes in
            switch decodeInt64s(bytes, dtype: info.dtype, count: info.elementCount) {
            case .values(let values):
                return values
            case .notAnIntegerDType:
                throw SafeTensorsError.unsupportedConversion(path: url.path, tensor: name, dtype: info.dtype, to: "Int64")
            case .outOfRange(let index, let detail):
                throw SafeTensorsError.valueOutOfRange(path: url.path, tensor: name, index: index, detail: detail)
            }
        }
    }

    /// `int64s(name)` after checking that the tensor has exactly `shape`.
    public func int64s(_ name: String, shape: [Int]) throws -> [Int64] {
        try checkShape(name, shape)
        return try int64s(name)
    }

    private func checkShape(_ name: String, _ expected: [Int]) throws {
        let info = try requireInfo(name)
        guard info.shape == expected else {
            throw SafeTensorsError.shapeMismatch(path: url.path, tensor: name, expected: expected, actual: info.shape)
        }
    }
}
