import MappedFiles

/// One tensor of a GGUF file, as its info entry describes it.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml's `ne`: the fastest-varying dimension first, as stored.
    public let dimensions: [Int]
    public let type: GGMLType
    /// From the start of the data section; a multiple of the alignment.
    public let offset: Int
    public let byteCount: Int
    public let elementCount: Int

    /// The row-major (NumPy, PyTorch) shape: `dimensions` reversed. A weight of `ne = [in, out]` is `[out, in]`.
    public var shape: [Int] { dimensions.reversed() }
}

/// A GGUF file (versions 2 and 3, little-endian), memory-mapped and validated when opened.
///
/// Layout: magic `GGUF`, u32 version, u64 tensor count, u64 metadata count; the metadata (u64-length
/// strings as keys, a u32 value type, the value); the tensor infos (name, u32 dimension count, u64
/// dimensions, u32 ggml type, u64 offset); padding to `general.alignment` (32 by default); the data.
///
/// Refused, with one line naming the key or tensor: a bad magic or version; anything running past the
/// end of the file; counts the rest of the file cannot hold; strings that are not UTF-8; unknown value
/// types; BOOLs other than 0/1; arrays nested deeper than `maximumArrayDepth`; duplicate keys or
/// tensor names; an alignment that is not a UINT32 power of two; unknown or unsupported tensor types;
/// more than 4 dimensions, a row not a whole number of blocks, sizes that overflow; misaligned data,
/// data past the end of the file, overlapping tensors.
public final class GGUFFile: Sendable {
    public static let maximumArrayDepth = 8
    /// ggml's `GGML_MAX_DIMS`.
    public static let maximumDimensions = 4
    public static let defaultAlignment = 32

    public let path: String
    public let version: UInt32
    /// Metadata in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    /// Tensors in file order.
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// Where the data section starts in the file.
    public let dataOffset: Int
    private let tensorIndex: [String: Int]
    private let file: MappedFile

    public convenience init(path: String) throws(GGUFError) {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw .io(path: error.path, detail: error.detail)
        }
        try self.init(mapped: file)
    }

    private init(mapped file: MappedFile) throws(GGUFError) {
        self.file = file
        path = file.path
        let header = try file.withBytes { (bytes) throws(GGUFError) -> Header in
            var reader = Reader(bytes: bytes, path: file.path)
            return try reader.header()
        }
        version = header.version
        metadataKeys = header.keys
        metadata = header.metadata
        tensors = header.tensors
        alignment = header.alignment
        dataOffset = header.dataOffset
        tensorIndex = header.tensorIndex
    }

    /// For the fuzz target and tests: parses `bytes` as if they were a file named `path`.
    public static func validate(bytes: UnsafeRawBufferPointer, path: String = "<bytes>") throws(GGUFError) -> (keys: Int, tensors: Int) {
        var reader = Reader(bytes: bytes, path: path)
        let header = try reader.header()
        return (header.keys.count, header.tensors.count)
    }

    public func tensor(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
        guard let index = tensorIndex[name] else { throw .tensorNotFound(path: path, tensor: name) }
        return tensors[index]
    }

    public func contains(tensor name: String) -> Bool { tensorIndex[name] != nil }

    /// A tensor's raw bytes, valid only inside `body`.
    public func withRawBytes<R, E: Error>(of tensor: GGUFTensorInfo, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try file.withBytes { (bytes) throws(E) -> R in
            let start = dataOffset + tensor.offset
            return try body(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + tensor.byteCount)]))
        }
    }

    /// A tensor dequantized to Float in row-major order (`shape`), as gguf-py's `dequantize`.
    public func floats(_ name: String) throws(GGUFError) -> [Float] {
        let info = try tensor(name)
        return withRawBytes(of: info) { bytes in
            [Float](unsafeUninitializedCapacity: info.elementCount) { buffer, count in
                Dequantization.dequantize(info.type, bytes, count: info.elementCount, into: buffer.baseAddress!)
                count = info.elementCount
            }
        }
    }

    // MARK: Metadata accessors

    public func value(_ key: String) throws(GGUFError) -> GGUFValue {
        guard let value = metadata[key] else { throw .missingKey(path: path, key: key) }
        return value
    }

    public func string(_ key: String) throws(GGUFError) -> String {
        let value = try value(key)
        guard case let .string(string) = value else { throw wrongType(key, "STRING", value) }
        return string
    }

    /// Any integer type, as llama.cpp's loader accepts (`general.alignment` aside).
    public func integer(_ key: String) throws(GGUFError) -> Int {
        let value = try value(key)
        guard let integer = value.integer else { throw wrongType(key, "an integer", value) }
        return integer
    }

    public func real(_ key: String) throws(GGUFError) -> Double {
        let value = try value(key)
        guard let real = value.real ?? value.integer.map(Double.init) else { throw wrongType(key, "a number", value) }
        return real
    }

    public func bool(_ key: String) throws(GGUFError) -> Bool {
        let value = try value(key)
        guard case let .bool(bool) = value else { throw wrongType(key, "BOOL", value) }
        return bool
    }

    public func strings(_ key: String) throws(GGUFError) -> [String] {
        let value = try value(key)
        guard case let .array(.string, values) = value else { throw wrongType(key, "ARRAY[STRING]", value) }
        var strings = [String]()
        strings.reserveCapacity(values.count)
        for case let .string(string) in values { strings.append(string) }
        return strings
    }

    public func integers(_ key: String) throws(GGUFError) -> [Int] {
        let value = try value(key)
        guard case let .array(_, values) = value else { throw wrongType(key, "an integer array", value) }
        var integers = [Int]()
        integers.reserveCapacity(values.count)
        for element in values {
            guard let integer = element.integer else { throw wrongType(key, "an integer array", value) }
            integers.append(integer)
        }
        return integers
    }

    private func wrongType(_ key: String, _ expected: String, _ value: GGUFValue) -> GGUFError {
        .wrongValueType(path: path, key: key, expected: expected, actual: value.typeName)
    }
}

private struct Header {
    var version: UInt32 = 0
    var keys: [String] = []
    var metadata: [String: GGUFValue] = [:]
    var tensors: [GGUFTensorInfo] = []
    var tensorIndex: [String: Int] = [:]
    var alignment = GGUFFile.defaultAlignment
    var dataOffset = 0
}

/// A cursor over the file's bytes: every read is bounds-checked and names what it was reading.
private struct Reader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var position = 0
    /// What is being read, for error messages.
    var context = "the header"

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard count <= remaining else {
            throw .truncated(path: path, context: context, offset: position, needed: count, fileSize: bytes.count)
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(GGUFError) -> T {
        let raw = try take(MemoryLayout<T>.size)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    /// A count of items each at least `minimumSize` bytes long, checked against the bytes left.
    mutating func count(minimumSize: Int, what: String) throws(GGUFError) -> Int {
        let count = try integer(UInt64.self)
        let (total, overflow) = count.multipliedReportingOverflow(by: UInt64(minimumSize))
        guard !overflow, total <= UInt64(remaining) else {
            throw .countTooLarge(path: path, context: "\(context): \(what)", count: count, remaining: remaining)
        }
        return Int(count)
    }

    mutating func string() throws(GGUFError) -> String {
        let length = try count(minimumSize: 1, what: "string length")
        let raw = try take(length)
        guard let string = String(validating: raw, as: UTF8.self) else { throw .invalidString(path: path, context: context) }
        return string
    }

    mutating func header() throws(GGUFError) -> Header {
        var header = Header()
        let magic = Array(try take(4))
        guard magic == Array("GGUF".utf8) else { throw .notGGUF(path: path, magic: magic) }
        header.version = try integer(UInt32.self)
        guard header.version == 2 || header.version == 3 else { throw .unsupportedVersion(path: path, version: header.version) }
        // The smallest tensor info: an empty name (8), a dimension count (4), a type (4), an offset (8).
        let tensorCount = try count(minimumSize: 24, what: "tensor count")
        // The smallest metadata entry: an empty key (8), a value type (4), a UINT8 (1).
        let keyCount = try count(minimumSize: 13, what: "metadata count")

        header.keys.reserveCapacity(keyCount)
        for index in 0..<keyCount {
            context = "metadata entry \(index)"
            let key = try string()
            context = "metadata key \(quoted(key))"
            guard header.metadata[key] == nil else { throw .duplicateKey(path: path, key: key) }
            let value = try value(key: key, depth: 0)
            header.keys.append(key)
            header.metadata[key] = value
        }
        if let alignment = header.metadata["general.alignment"] {
            guard case let .uint32(value) = alignment else {
                throw .invalidAlignment(path: path, detail: "is \(alignment.typeName), expected UINT32")
            }
            guard value > 0, value & (value - 1) == 0 else {
                throw .invalidAlignment(path: path, detail: "\(value) is not a power of two")
            }
            header.alignment = Int(value)
        }

        header.tensors.reserveCapacity(tensorCount)
        for index in 0..<tensorCount {
            context = "tensor info \(index)"
            let name = try string()
            context = "tensor \(quoted(name))"
            guard header.tensorIndex[name] == nil else { throw .duplicateTensor(path: path, tensor: name) }
            header.tensorIndex[name] = index
            header.tensors.append(try tensorInfo(name: name))
        }

        // The data section starts at the next multiple of the alignment.
        context = "the padding before the data section"
        let padding = (header.alignment - position % header.alignment) % header.alignment
        _ = try take(padding)
        header.dataOffset = position
        let dataSize = bytes.count - position
        for tensor in header.tensors {
            guard tensor.offset % header.alignment == 0 else {
                throw .misaligned(path: path, tensor: tensor.name, offset: UInt64(tensor.offset), alignment: header.alignment)
            }
            // offset and byteCount are each below 2^63 (checked in tensorInfo): their sum fits UInt64.
            let end = UInt64(tensor.offset) + UInt64(tensor.byteCount)
            guard end <= UInt64(dataSize) else {
                throw .tensorOutOfBounds(path: path, tensor: tensor.name, end: end, dataSize: dataSize)
            }
        }
        let byOffset = header.tensors.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (previous, next) in zip(byOffset, byOffset.dropFirst()) where previous.byteCount > 0 && next.byteCount > 0 {
            guard previous.offset + previous.byteCount <= next.offset else {
                throw .overlappingTensors(path: path, tensor: next.name, other: previous.name)
            }
        }
        return header
    }

    mutating func value(key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        let raw = try integer(UInt32.self)
        guard let type = GGUFValueType(rawValue: raw) else { throw .unknownValueType(path: path, key: key, type: raw) }
        return try value(of: type, key: key, depth: depth)
    }

    mutating func value(of type: GGUFValueType, key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try integer(UInt8.self))
        case .int8: return .int8(try integer(Int8.self))
        case .uint16: return .uint16(try integer(UInt16.self))
        case .int16: return .int16(try integer(Int16.self))
        case .uint32: return .uint32(try integer(UInt32.self))
        case .int32: return .int32(try integer(Int32.self))
        case .uint64: return .uint64(try integer(UInt64.self))
        case .int64: return .int64(try integer(Int64.self))
        case .float32: return .float32(Float(bitPattern: try integer(UInt32.self)))
        case .float64: return .float64(Double(bitPattern: try integer(UInt64.self)))
        case .bool:
            let byte = try integer(UInt8.self)
            guard byte <= 1 else { throw .invalidBool(path: path, key: key, byte: byte) }
            return .bool(byte == 1)
        case .string:
            return .string(try string())
        case .array:
            guard depth < GGUFFile.maximumArrayDepth else {
                throw .nestingTooDeep(path: path, key: key, limit: GGUFFile.maximumArrayDepth)
            }
            let raw = try integer(UInt32.self)
            guard let elementType = GGUFValueType(rawValue: raw) else { throw .unknownValueType(path: path, key: key, type: raw) }
            let count = try count(minimumSize: elementType.minimumEncodedSize, what: "array length")
            var values = [GGUFValue]()
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try value(of: elementType, key: key, depth: depth + 1)) }
            return .array(elementType: elementType, values: values)
        }
    }

    mutating func tensorInfo(name: String) throws(GGUFError) -> GGUFTensorInfo {
        let dimensionCount = try integer(UInt32.self)
        guard dimensionCount <= GGUFFile.maximumDimensions else {
            throw .invalidTensor(path: path, tensor: name, detail: "\(dimensionCount) dimensions (at most \(GGUFFile.maximumDimensions))")
        }
        var dimensions = [Int]()
        var elementCount = 1
        for _ in 0..<dimensionCount {
            let raw = try integer(UInt64.self)
            guard let dimension = Int(exactly: raw) else {
                throw .invalidTensor(path: path, tensor: name, detail: "dimension \(raw) exceeds Int64.max")
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .invalidTensor(path: path, tensor: name, detail: "element count of \(dimensions + [dimension]) overflows")
            }
            elementCount = product
            dimensions.append(dimension)
        }
        let rawType = try integer(UInt32.self)
        guard let type = GGMLType(rawValue: rawType) else { throw .unknownTensorType(path: path, tensor: name, type: rawType) }
        guard type.isSupported else { throw .unsupportedTensorType(path: path, tensor: name, type: type.name) }
        let offset = try integer(UInt64.self)
        guard let offset = Int(exactly: offset) else {
            throw .invalidTensor(path: path, tensor: name, detail: "data offset \(offset) exceeds Int64.max")
        }
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw .invalidTensor(path: path, tensor: name,
                                 detail: "rows of \(rowLength) elements are not a whole number of \(type.name) blocks of \(type.blockSize)")
        }
        let (byteCount, overflow) = (elementCount / type.blockSize).multipliedReportingOverflow(by: type.typeSize)
        guard !overflow else { throw .invalidTensor(path: path, tensor: name, detail: "byte count of \(dimensions) \(type.name) overflows") }
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset,
                              byteCount: byteCount, elementCount: elementCount)
    }
}
