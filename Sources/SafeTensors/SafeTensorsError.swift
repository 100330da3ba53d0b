/// Everything that can go wrong reading or writing safetensors files. Each case names the file
/// (`path`) and, where there is one, the tensor, so that a message alone says what to fix.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    // MARK: Opening the file

    /// The file could not be opened, inspected, mapped or written.
    case io(path: String, detail: String)
    /// Shorter than the 8-byte header length.
    case fileTooSmall(path: String, size: Int)

    // MARK: The header's framing

    /// The header length exceeds `SafeTensorsFile.maximumHeaderLength` (checked before anything is read).
    case headerTooLarge(path: String, length: UInt64, limit: Int)
    /// The header length is shorter than the smallest header (`{}`) or runs past the end of the file.
    case invalidHeaderLength(path: String, length: UInt64, fileSize: Int)
    /// The header's first byte is not `{`.
    case invalidHeaderStart(path: String, byte: UInt8)
    /// The header (or an index file) is not valid JSON, or not valid UTF-8; `offset` counts bytes
    /// from the start of the JSON text.
    case invalidJSON(path: String, offset: Int, detail: String)
    /// A key occurs twice in one JSON object (two tensors of the same name, for instance). Keys that
    /// differ in bytes but are canonically equivalent Unicode are equal Swift `String`s: duplicates too.
    case duplicateKey(path: String, key: String)

    // MARK: The header's entries

    /// An entry has the wrong structure: a missing or unknown field, a value of the wrong JSON type,
    /// a non-integer or negative number where a size or offset belongs.
    case invalidEntry(path: String, tensor: String, detail: String)
    /// The dtype is not one of `DType`'s (sub-byte dtypes included: they are not supported).
    case unknownDType(path: String, tensor: String, dtype: String)
    /// A size or offset does not fit in `Int`, or the byte count computed from shape and dtype overflows.
    case overflow(path: String, tensor: String, detail: String)
    /// `data_offsets` do not span `prod(shape) × dtype.byteSize` bytes.
    case sizeMismatch(path: String, tensor: String, dtype: DType, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// The tensors do not tile the data section: a hole, an overlap, or an end before the beginning.
    case nonContiguous(path: String, tensor: String, detail: String)
    /// A tensor ends past the end of the file.
    case truncated(path: String, tensor: String, end: Int, dataSize: Int)
    /// Bytes follow the last tensor.
    case trailingBytes(path: String, count: Int, dataSize: Int)

    // MARK: Reading tensors

    case tensorNotFound(path: String, tensor: String)
    /// The accessor cannot represent this dtype (e.g. `floats` of an I64 tensor).
    case unsupportedConversion(path: String, tensor: String, dtype: DType, to: String)
    /// An element does not fit the accessor's type (a U64 above `Int64.max`, a BOOL byte other than 0 or 1).
    case valueOutOfRange(path: String, tensor: String, index: Int, detail: String)
    /// The caller expected another shape.
    case shapeMismatch(path: String, tensor: String, expected: [Int], actual: [Int])

    // MARK: Checkpoint folders and writing

    /// A checkpoint folder without weights, or an index that does not agree with its shards.
    case invalidCheckpoint(path: String, detail: String)
    /// The writer was given something it cannot store.
    case invalidTensor(tensor: String, detail: String)

    public var description: String {
        switch self {
        case let .io(path, detail):
            "\(path): \(detail)"
        case let .fileTooSmall(path, size):
            "\(path): \(size) bytes is too small for a safetensors file (the header length alone takes 8)"
        case let .headerTooLarge(path, length, limit):
            "\(path): header length \(length) exceeds the limit of \(limit) bytes"
        case let .invalidHeaderLength(path, length, fileSize):
            length < 2
                ? "\(path): header length \(length) is shorter than the smallest header `{}`"
                : "\(path): header length \(length) runs past the end of the file (\(fileSize) bytes, 8 of them the length)"
        case let .invalidHeaderStart(path, byte):
            "\(path): header must start with `{`, found byte 0x\(String(byte, radix: 16, uppercase: true))"
        case let .invalidJSON(path, offset, detail):
            "\(path): invalid JSON at byte \(offset) of the JSON text: \(detail)"
        case let .duplicateKey(path, key):
            "\(path): key \(quoted(key)) occurs twice (or as two canonically equivalent spellings)"
        case let .invalidEntry(path, tensor, detail):
            "\(path): tensor \(quoted(tensor)): \(detail)"
        case let .unknownDType(path, tensor, dtype):
            "\(path): tensor \(quoted(tensor)): unknown or unsupported dtype \(quoted(dtype)) (supported: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .overflow(path, tensor, detail):
            "\(path): tensor \(quoted(tensor)): \(detail)"
        case let .sizeMismatch(path, tensor, dtype, shape, expectedBytes, actualBytes):
            "\(path): tensor \(quoted(tensor)): \(dtype.rawValue) \(shape) needs \(expectedBytes) bytes but data_offsets span \(actualBytes)"
        case let .nonContiguous(path, tensor, detail):
            "\(path): tensor \(quoted(tensor)): \(detail)"
        case let .truncated(path, tensor, end, dataSize):
            "\(path): truncated: tensor \(quoted(tensor)) ends at byte \(end) of the data section, which holds only \(dataSize)"
        case let .trailingBytes(path, count, dataSize):
            "\(path): \(count) trailing bytes after the last tensor (data section \(dataSize) bytes)"
        case let .tensorNotFound(path, tensor):
            "\(path): no tensor \(quoted(tensor))"
        case let .unsupportedConversion(path, tensor, dtype, to):
            "\(path): tensor \(quoted(tensor)): cannot read \(dtype.rawValue) as \(to)"
        case let .valueOutOfRange(path, tensor, index, detail):
            "\(path): tensor \(quoted(tensor)): element \(index): \(detail)"
        case let .shapeMismatch(path, tensor, expected, actual):
            "\(path): tensor \(quoted(tensor)): expected shape \(expected), found \(actual)"
        case let .invalidCheckpoint(path, detail):
            "\(path): \(detail)"
        case let .invalidTensor(tensor, detail):
            "tensor \(quoted(tensor)): \(detail)"
        }
    }
}

/// A name in quotes with invisible characters escaped, so that odd names stay readable in messages.
func quoted(_ name: String) -> String {
    "\"" + name.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
}
