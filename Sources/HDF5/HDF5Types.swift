import CHDF5

/// The element type of a dataset, as this module sees it.
///
/// We write the first six. Reading accepts any byte order (HDF5 converts to native), and reads
/// fixed-length strings too (h5py writes NumPy `S` arrays that way); anything else is `.other`,
/// which can be inspected (shape, attributes) but not read.
public enum HDF5ElementType: Sendable, Hashable, CustomStringConvertible {
    case float32, float64, int32, int64, uint8
    /// Variable-length UTF-8 strings (h5py's `str` dtype).
    case string
    /// Fixed-length strings of `bytes` bytes each (read only).
    case fixedLengthString(bytes: Int)
    /// A type this module does not read, described (e.g. "16-bit signed integer", "compound").
    case other(String)

    public var description: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .string: "variable-length UTF-8 string"
        case .fixedLengthString(let bytes): "fixed-length string (\(bytes) bytes)"
        case .other(let description): description
        }
    }

    /// Bytes per element in memory for the numeric types.
    var numericSize: Int? {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8: 1
        case .string, .fixedLengthString, .other: nil
        }
    }

    /// The little-endian type stored in files we write (x86 and ARM are little-endian, so these
    /// are the native layouts; h5py writes the same).
    var fileType: hid_t? {
        switch self {
        case .float32: chdf5_ieee_f32le()
        case .float64: chdf5_ieee_f64le()
        case .int32: chdf5_std_i32le()
        case .int64: chdf5_std_i64le()
        case .uint8: chdf5_std_u8le()
        case .string, .fixedLengthString, .other: nil
        }
    }

    /// The in-memory type for reads and writes.
    var memoryType: hid_t? {
        switch self {
        case .float32: chdf5_native_float()
        case .float64: chdf5_native_double()
        case .int32: chdf5_native_int32()
        case .int64: chdf5_native_int64()
        case .uint8: chdf5_native_uint8()
        case .string, .fixedLengthString, .other: nil
        }
    }

    /// Classifies an HDF5 datatype identifier.
    static func classify(_ type: hid_t, site: Site) throws -> HDF5ElementType {
        let typeClass = H5Tget_class(type)
        if typeClass == H5T_NO_CLASS { throw site.libraryError("H5Tget_class") }
        let size = H5Tget_size(type)
        if size == 0 { throw site.libraryError("H5Tget_size") }
        switch typeClass {
        case H5T_FLOAT:
            switch size {
            case 4: return .float32
            case 8: return .float64
            default: return .other("\(size * 8)-bit float")
            }
        case H5T_INTEGER:
            let sign = H5Tget_sign(type)
            if sign == H5T_SGN_ERROR { throw site.libraryError("H5Tget_sign") }
            switch (size, sign == H5T_SGN_NONE) {
            case (4, false): return .int32
            case (8, false): return .int64
            case (1, true): return .uint8
            default: return .other("\(size * 8)-bit \(sign == H5T_SGN_NONE ? "unsigned" : "signed") integer")
            }
        case H5T_STRING:
            let variable = H5Tis_variable_str(type)
            if variable < 0 { throw site.libraryError("H5Tis_variable_str") }
            return variable > 0 ? .string : .fixedLengthString(bytes: size)
        case H5T_COMPOUND: return .other("compound")
        case H5T_ENUM: return .other("enum")
        case H5T_VLEN: return .other("variable-length sequence")
        case H5T_ARRAY: return .other("array")
        case H5T_OPAQUE: return .other("opaque")
        case H5T_REFERENCE: return .other("reference")
        case H5T_BITFIELD: return .other("bitfield")
        case H5T_TIME: return .other("time")
        default: return .other("HDF5 type class \(typeClass.rawValue)")
        }
    }
}

/// Swift numbers that map one-to-one onto a dataset element type: `Float`, `Double`, `Int32`,
/// `Int64`, `UInt8`. Only these conform; reads and writes check the element size anyway.
public protocol HDF5Numeric: Sendable {
    static var hdf5ElementType: HDF5ElementType { get }
}

extension Float: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float32 } }
extension Double: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float64 } }
extension Int32: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int32 } }
extension Int64: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int64 } }
extension UInt8: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint8 } }

/// The in-memory HDF5 type for `T`, after checking that `T`'s layout is the one HDF5 will use.
func memoryType<T: HDF5Numeric>(of _: T.Type, site: Site) throws -> hid_t {
    let elementType = T.hdf5ElementType
    guard let type = elementType.memoryType, elementType.numericSize == MemoryLayout<T>.stride else {
        throw site.invalid("\(T.self) is not laid out as \(elementType)")
    }
    return type
}

/// How a dataset's chunks are stored.
public enum HDF5Compression: Sendable, Hashable {
    /// Chunks stored as they are.
    case none
    /// The byte shuffle filter then deflate (gzip) at `level` 0…9: what h5py writes for
    /// `compression="gzip", shuffle=True`, and readable by any HDF5 build with zlib.
    case deflate(level: Int)

    /// Level 1. Float activations barely compress beyond what the shuffle exposes (their exponent
    /// bytes): written by `HDF5ChunkWriter` (libdeflate), level 1 stores 82% of the raw bytes, as
    /// zlib's level 4 does, at 2.4× its speed; higher levels gain a point or two for half the speed.
    public static let `default` = HDF5Compression.deflate(level: 1)
}

/// What a link in a group points to.
public enum HDF5ObjectKind: Sendable, Hashable, CustomStringConvertible {
    case group, dataset, namedDatatype

    public var description: String {
        switch self {
        case .group: "group"
        case .dataset: "dataset"
        case .namedDatatype: "named datatype"
        }
    }
}

/// A scalar attribute value. Written as variable-length UTF-8 (h5py reads a Python `str`),
/// little-endian int64 and float64.
public enum HDF5AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int64(Int64)
    case double(Double)

    public var description: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .int64(let value): "\(value)"
        case .double(let value): "\(value)"
        }
    }

    var typeName: String {
        switch self {
        case .string: "string"
        case .int64: "integer"
        case .double: "float"
        }
    }
}
