/// Everything that can go wrong reading a GGUF file. Each case names the file and where in it the
/// problem is (a metadata key, a tensor, or the header), so that the one-line message says what to fix.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    // MARK: Opening the file

    /// The file could not be opened, inspected or mapped.
    case io(path: String, detail: String)
    /// The first four bytes are not `GGUF`.
    case notGGUF(path: String, magic: [UInt8])
    /// A version other than 2 or 3 (1 used 32-bit counts; a big-endian file reads as a huge version).
    case unsupportedVersion(path: String, version: UInt32)

    // MARK: The header

    /// The file ends inside `context` (e.g. `metadata key "general.name"`, `tensor "blk.0.attn_q.weight"`).
    case truncated(path: String, context: String, offset: Int, needed: Int, fileSize: Int)
    /// A count (of keys, tensors, array elements or string bytes) that the rest of the file cannot hold.
    case countTooLarge(path: String, context: String, count: UInt64, remaining: Int)
    /// A string that is not UTF-8.
    case invalidString(path: String, context: String)
    /// A metadata value type outside GGUF's 13.
    case unknownValueType(path: String, key: String, type: UInt32)
    /// A BOOL byte other than 0 or 1.
    case invalidBool(path: String, key: String, byte: UInt8)
    /// Arrays nested deeper than `GGUFFile.maximumArrayDepth`.
    case nestingTooDeep(path: String, key: String, limit: Int)
    case duplicateKey(path: String, key: String)
    /// `general.alignment` that is not a UINT32 power of two.
    case invalidAlignment(path: String, detail: String)

    // MARK: Tensors

    case duplicateTensor(path: String, tensor: String)
    /// A ggml type id that GGUF does not define.
    case unknownTensorType(path: String, tensor: String, type: UInt32)
    /// A ggml type GGUF defines but this reader does not dequantize.
    case unsupportedTensorType(path: String, tensor: String, type: String)
    /// Dimensions GGUF cannot hold or that do not fit the type (a row not a whole number of blocks,
    /// more than 4 dimensions, an element or byte count that overflows).
    case invalidTensor(path: String, tensor: String, detail: String)
    /// A data offset that is not a multiple of the alignment.
    case misaligned(path: String, tensor: String, offset: UInt64, alignment: Int)
    /// A tensor's data runs past the end of the file.
    case tensorOutOfBounds(path: String, tensor: String, end: UInt64, dataSize: Int)
    /// Two tensors' data overlap.
    case overlappingTensors(path: String, tensor: String, other: String)

    // MARK: Reading

    case tensorNotFound(path: String, tensor: String)
    case missingKey(path: String, key: String)
    /// A metadata value of another type (or shape) than the reader needs.
    case wrongValueType(path: String, key: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .io(path, detail):
            "\(path): \(detail)"
        case let .notGGUF(path, magic):
            "\(path): not a GGUF file (magic \(magic.map { String(format2: $0) }.joined(separator: " ")), expected 47 47 55 46 \"GGUF\")"
        case let .unsupportedVersion(path, version):
            "\(path): GGUF version \(version) is not supported (supported: 2, 3; little-endian)"
        case let .truncated(path, context, offset, needed, fileSize):
            "\(path): truncated in \(context): \(needed) bytes needed at byte \(offset), file has \(fileSize)"
        case let .countTooLarge(path, context, count, remaining):
            "\(path): \(context): count \(count) cannot fit in the \(remaining) bytes left"
        case let .invalidString(path, context):
            "\(path): \(context): string is not valid UTF-8"
        case let .unknownValueType(path, key, type):
            "\(path): metadata key \(quoted(key)): unknown value type \(type)"
        case let .invalidBool(path, key, byte):
            "\(path): metadata key \(quoted(key)): BOOL byte \(byte) is neither 0 nor 1"
        case let .nestingTooDeep(path, key, limit):
            "\(path): metadata key \(quoted(key)): arrays nested deeper than \(limit)"
        case let .duplicateKey(path, key):
            "\(path): metadata key \(quoted(key)) occurs twice"
        case let .invalidAlignment(path, detail):
            "\(path): metadata key \"general.alignment\": \(detail)"
        case let .duplicateTensor(path, tensor):
            "\(path): tensor \(quoted(tensor)) occurs twice"
        case let .unknownTensorType(path, tensor, type):
            "\(path): tensor \(quoted(tensor)): unknown ggml type \(type)"
        case let .unsupportedTensorType(path, tensor, type):
            "\(path): tensor \(quoted(tensor)): ggml type \(type) is not supported (supported: \(GGMLType.supported.map(\.name).joined(separator: ", ")))"
        case let .invalidTensor(path, tensor, detail):
            "\(path): tensor \(quoted(tensor)): \(detail)"
        case let .misaligned(path, tensor, offset, alignment):
            "\(path): tensor \(quoted(tensor)): data offset \(offset) is not a multiple of the alignment \(alignment)"
        case let .tensorOutOfBounds(path, tensor, end, dataSize):
            "\(path): truncated: tensor \(quoted(tensor)) ends at byte \(end) of the data section, which holds only \(dataSize)"
        case let .overlappingTensors(path, tensor, other):
            "\(path): tensor \(quoted(tensor)): its data overlaps tensor \(quoted(other))'s"
        case let .tensorNotFound(path, tensor):
            "\(path): no tensor \(quoted(tensor))"
        case let .missingKey(path, key):
            "\(path): metadata key \(quoted(key)) is missing"
        case let .wrongValueType(path, key, expected, actual):
            "\(path): metadata key \(quoted(key)) is \(actual), expected \(expected)"
        }
    }
}

/// A name in quotes with control characters escaped, so that odd names stay readable in messages.
func quoted(_ name: String) -> String {
    "\"" + name.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
}

extension String {
    /// Two upper-case hex digits.
    init(format2 byte: UInt8) {
        let digits = String(byte, radix: 16, uppercase: true)
        self = digits.count == 1 ? "0" + digits : digits
    }
}
