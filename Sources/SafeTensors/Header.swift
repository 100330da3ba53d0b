import JSON
/// One tensor's header entry.
public struct TensorInfo: Sendable, Equatable {
    public let dtype: DType
    /// Row-major (C order); `[]` is a scalar (one element), a 0 anywhere means no elements.
    public let shape: [Int]
    /// Byte range relative to the start of the data section (the byte after the header).
    public let dataOffsets: Range<Int>

    public init(dtype: DType, shape: [Int], dataOffsets: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }

    /// `prod(shape)`; 1 for a scalar. A `TensorInfo` read from a file has been checked not to overflow.
    public var elementCount: Int { shape.reduce(1, *) }

    /// `dataOffsets.count`, which a file's header has been checked to equal `elementCount × dtype.byteSize`.
    public var byteCount: Int { dataOffsets.count }
}

/// `prod(shape) × byteSize` with every step checked, or nil on overflow.
func checkedByteCount(shape: [Int], dtype: DType) -> Int? {
    var count = 1
    for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
    return overflow ? nil : bytes
}

/// Byte order of the UTF-8 encodings: what Rust's `String` ordering (and so the Python writer) uses.
/// Swift's `<` on `String` compares canonical equivalents as equal and is not the same order.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// `JSONParser.parse` with its errors as `SafeTensorsError`s naming `path`.
func parseJSON(_ text: UnsafeRawBufferPointer, trailing: JSONTrailing, path: String) throws(SafeTensorsError) -> JSONValue {
    do {
        return try JSONParser.parse(text, trailing: trailing).value
    } catch {
        switch error.kind {
        case .syntax(let detail): throw .invalidJSON(path: path, offset: error.offset, detail: detail)
        case .duplicateKey(let key): throw .duplicateKey(path: path, key: key)
        }
    }
}

/// A parsed and validated header.
struct Header {
    /// The header length limit of the reference implementation (its `MAX_HEADER_SIZE`): a bound on
    /// what a hostile length field can make us read.
    static let maximumLength = 100_000_000

    var tensors: [String: TensorInfo]
    var metadata: [String: String]
    /// Where the data section starts: 8 + the header length.
    var dataStart: Int

    /// Parses the header at the start of `file` (the whole file's bytes) and checks every rule of
    /// the format: length field, `{` first, JSON, entries, and that the tensors tile the data
    /// section exactly (sorted by offset: the first begins at 0, each begins where the previous one
    /// ends, the last ends at the end of the file).
    init(file: UnsafeRawBufferPointer, path: String) throws(SafeTensorsError) {
        guard file.count >= 8 else { throw .fileTooSmall(path: path, size: file.count) }
        var length: UInt64 = 0
        for i in (0..<8).reversed() { length = length << 8 | UInt64(file[i]) }
        guard length <= UInt64(Self.maximumLength) else {
            throw .headerTooLarge(path: path, length: length, limit: Self.maximumLength)
        }
        let headerLength = Int(length)
        guard headerLength >= 2, headerLength <= file.count - 8 else {
            throw .invalidHeaderLength(path: path, length: length, fileSize: file.count)
        }
        let text = UnsafeRawBufferPointer(rebasing: file[8..<(8 + headerLength)])
        guard text[0] == UInt8(ascii: "{") else { throw .invalidHeaderStart(path: path, byte: text[0]) }

        let json = try parseJSON(text, trailing: .spaces, path: path)
        guard case .object(let members) = json else {
            // Unreachable: the text starts with `{` and parsed.
            throw .invalidJSON(path: path, offset: 0, detail: "the header is not a JSON object")
        }

        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for member in members {
            let (key, value) = (member.key, member.value)
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, path: path)
            } else {
                tensors[key] = try Self.parseEntry(value, name: key, path: path)
            }
        }

        let dataSize = file.count - 8 - headerLength
        try Self.checkLayout(tensors, dataSize: dataSize, path: path)
        self.tensors = tensors
        self.metadata = metadata
        self.dataStart = 8 + headerLength
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw .invalidEntry(path: path, tensor: "__metadata__", detail: "must be an object of strings, found \(value.typeName)")
        }
        var metadata: [String: String] = [:]
        for member in members {
            let (key, value) = (member.key, member.value)
            guard case .string(let string) = value else {
                throw .invalidEntry(path: path, tensor: "__metadata__", detail: "value of \(quoted(key)) must be a string, found \(value.typeName)")
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func parseEntry(_ value: JSONValue, name: String, path: String) throws(SafeTensorsError) -> TensorInfo {
        guard case .object(let members) = value else {
            throw .invalidEntry(path: path, tensor: name, detail: "entry must be an object, found \(value.typeName)")
        }
        var dtypeValue: JSONValue?
        var shapeValue: JSONValue?
        var offsetsValue: JSONValue?
        for member in members {
            let (key, value) = (member.key, member.value)
            switch key {
            case "dtype": dtypeValue = value
            case "shape": shapeValue = value
            case "data_offsets": offsetsValue = value
            default: throw .invalidEntry(path: path, tensor: name, detail: "unknown field \(quoted(key)) (an entry has dtype, shape, data_offsets)")
            }
        }
        guard let dtypeValue else { throw .invalidEntry(path: path, tensor: name, detail: "missing field \"dtype\"") }
        guard let shapeValue else { throw .invalidEntry(path: path, tensor: name, detail: "missing field \"shape\"") }
        guard let offsetsValue else { throw .invalidEntry(path: path, tensor: name, detail: "missing field \"data_offsets\"") }

        guard case .string(let dtypeName) = dtypeValue else {
            throw .invalidEntry(path: path, tensor: name, detail: "dtype must be a string, found \(dtypeValue.typeName)")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard case .array(let shapeElements) = shapeValue else {
            throw .invalidEntry(path: path, tensor: name, detail: "shape must be an array, found \(shapeValue.typeName)")
        }
        var shape: [Int] = []
        for element in shapeElements {
            shape.append(try integer(element.value, field: "shape", name: name, path: path))
        }
        guard case .array(let offsetElements) = offsetsValue, offsetElements.count == 2 else {
            throw .invalidEntry(path: path, tensor: name, detail: "data_offsets must be an array [begin, end]")
        }
        let begin = try integer(offsetElements[0].value, field: "data_offsets", name: name, path: path)
        let end = try integer(offsetElements[1].value, field: "data_offsets", name: name, path: path)
        guard end >= begin else {
            throw .nonContiguous(path: path, tensor: name, detail: "data_offsets end (\(end)) before they begin (\(begin))")
        }
        guard let expectedBytes = checkedByteCount(shape: shape, dtype: dtype) else {
            throw .overflow(path: path, tensor: name, detail: "the byte count of \(dtype.rawValue) \(shape) overflows")
        }
        guard expectedBytes == end - begin else {
            throw .sizeMismatch(path: path, tensor: name, dtype: dtype, shape: shape, expectedBytes: expectedBytes, actualBytes: end - begin)
        }
        return TensorInfo(dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    private static func integer(_ value: JSONValue, field: String, name: String, path: String) throws(SafeTensorsError) -> Int {
        guard case .number(let text) = value else {
            throw .invalidEntry(path: path, tensor: name, detail: "\(field) must hold integers, found \(value.typeName)")
        }
        switch JSONInteger(text) {
        case .value(let integer): return integer
        case .notAnInteger: throw .invalidEntry(path: path, tensor: name, detail: "\(field) must hold integers, found \(text)")
        case .negative: throw .invalidEntry(path: path, tensor: name, detail: "\(field) must hold non-negative integers, found \(text)")
        case .tooLarge: throw .overflow(path: path, tensor: name, detail: "\(field) value \(text) does not fit in \(Int.bitWidth) bits")
        }
    }

    /// The tensors, in offset order, must tile `0..<dataSize`: no hole, no overlap, nothing after.
    private static func checkLayout(_ tensors: [String: TensorInfo], dataSize: Int, path: String) throws(SafeTensorsError) {
        let ordered = tensors.sorted { a, b in
            if a.value.dataOffsets.lowerBound != b.value.dataOffsets.lowerBound {
                return a.value.dataOffsets.lowerBound < b.value.dataOffsets.lowerBound
            }
            if a.value.dataOffsets.upperBound != b.value.dataOffsets.upperBound {
                return a.value.dataOffsets.upperBound < b.value.dataOffsets.upperBound
            }
            return utf8Precedes(a.key, b.key)  // only so that the first error reported is deterministic
        }
        var position = 0
        var previous: String?
        for (name, info) in ordered {
            let range = info.dataOffsets
            if range.lowerBound != position {
                let gap = range.lowerBound > position ? "hole" : "overlap"
                let expected = previous.map { "where \(quoted($0)) ends (byte \(position))" } ?? "at byte 0 (it comes first)"
                throw .nonContiguous(path: path, tensor: name, detail: "\(gap): begins at byte \(range.lowerBound), not \(expected)")
            }
            if range.upperBound > dataSize {
                throw .truncated(path: path, tensor: name, end: range.upperBound, dataSize: dataSize)
            }
            position = range.upperBound
            previous = name
        }
        if position < dataSize {
            throw .trailingBytes(path: path, count: dataSize - position, dataSize: dataSize)
        }
    }
}
