/// The element types of the safetensors format that this module reads and writes, named as in the
/// header (`"dtype": "F32"`). Every element is a whole number of bytes, stored little-endian.
///
/// The format also defines sub-byte types (`F4`, `F6_E2M3`, `F6_E3M2`); a file using them is refused
/// with `SafeTensorsError.unknownDType`, since no element of them has a byte size.
public enum DType: String, Sendable, CaseIterable {
    case BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3, .F8_E8M0, .F8_E4M3FNUZ, .F8_E5M2FNUZ: 1
        case .I16, .U16, .F16, .BF16: 2
        case .I32, .U32, .F32: 4
        case .C64, .F64, .I64, .U64: 8
        }
    }

    /// The position of this dtype in the Rust crate's `Dtype` enum (safetensors 0.8), whose derived
    /// order the Python `save_file` sorts by (descending, then by name). The writer needs it to lay
    /// tensors out in the same order, byte for byte. Gaps are the sub-byte types we do not support.
    var serializationRank: Int {
        switch self {
        case .BOOL: 0
        // F4 1, F6_E2M3 2, F6_E3M2 3
        case .U8: 4
        case .I8: 5
        case .F8_E5M2: 6
        case .F8_E4M3: 7
        case .F8_E8M0: 8
        case .F8_E4M3FNUZ: 9
        case .F8_E5M2FNUZ: 10
        case .I16: 11
        case .U16: 12
        case .F16: 13
        case .BF16: 14
        case .I32: 15
        case .U32: 16
        case .F32: 17
        case .C64: 18
        case .F64: 19
        case .I64: 20
        case .U64: 21
        }
    }
}
