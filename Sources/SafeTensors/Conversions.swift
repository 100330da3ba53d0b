/// Element decoding: little-endian bytes (at any alignment) to Swift values.
///
/// Headers written by other tools need not be padded to 8 bytes, so element loads are unaligned;
/// on little-endian machines a dtype that already is the requested type is copied with `memcpy`.

/// IEEE binary16 bits to `Float`, exactly (every half is a float). Quiet NaNs keep their payload;
/// signaling NaNs come back quieted, as the hardware conversion behind `Float(Float16)` does.
func floatFromHalfBits(_ bits: UInt16) -> Float {
    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    return Float(Float16(bitPattern: bits))
    #else
    return floatFromHalfBitsPortable(bits)
    #endif
}

/// The same conversion by bit manipulation, for the platforms without `Float16` (Intel Macs).
func floatFromHalfBitsPortable(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        // Zero or subnormal: mantissa × 2^-24, exact in Float.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        // Infinity, or NaN with its payload (and the quiet bit set).
        let quiet: UInt32 = mantissa == 0 ? 0 : 0x0040_0000
        return Float(bitPattern: sign | 0x7F80_0000 | quiet | mantissa << 13)
    default:
        // Rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}

/// bfloat16 is the upper half of a float32: widening is a shift, exact for every value and NaN.
@inline(__always)
func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

@inline(__always)
private func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ index: Int, as type: T.Type) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
}

/// `count` elements built by `element(i)`, written straight into the array's storage.
@inline(__always)
private func makeArray<T>(count: Int, _ element: (Int) -> T) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer.initializeElement(at: i, to: element(i)) }
        initialized = count
    }
}

/// The bytes copied as-is into `[T]`: valid when the file's little-endian layout is the host's.
private func copyArray<T>(_ bytes: UnsafeRawBufferPointer, count: Int, as type: T.Type) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 {
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(count * MemoryLayout<T>.stride)]))
        }
        initialized = count
    }
}

/// A float dtype's elements as `Float` (F64 rounds to nearest), or nil if `dtype` is not a float dtype.
func decodeFloats(_ bytes: UnsafeRawBufferPointer, dtype: DType, count: Int) -> [Float]? {
    switch dtype {
    case .F32:
        #if _endian(little)
        return copyArray(bytes, count: count, as: Float.self)
        #else
        return makeArray(count: count) { Float(bitPattern: load(bytes, $0, as: UInt32.self)) }
        #endif
    case .F16: return makeArray(count: count) { floatFromHalfBits(load(bytes, $0, as: UInt16.self)) }
    case .BF16: return makeArray(count: count) { floatFromBFloat16Bits(load(bytes, $0, as: UInt16.self)) }
    case .F64: return makeArray(count: count) { Float(Double(bitPattern: load(bytes, $0, as: UInt64.self))) }
    default: return nil
    }
}

/// A float dtype's elements as `Double` (exact for all of them), or nil if `dtype` is not a float dtype.
func decodeDoubles(_ bytes: UnsafeRawBufferPointer, dtype: DType, count: Int) -> [Double]? {
    switch dtype {
    case .F64:
        #if _endian(little)
        return copyArray(bytes, count: count, as: Double.self)
        #else
        return makeArray(count: count) { Double(bitPattern: load(bytes, $0, as: UInt64.self)) }
        #endif
    case .F32: return makeArray(count: count) { Double(Float(bitPattern: load(bytes, $0, as: UInt32.self))) }
    case .F16: return makeArray(count: count) { Double(floatFromHalfBits(load(bytes, $0, as: UInt16.self))) }
    case .BF16: return makeArray(count: count) { Double(floatFromBFloat16Bits(load(bytes, $0, as: UInt16.self))) }
    default: return nil
    }
}

enum IntegerDecoding {
    case values([Int64])
    case notAnIntegerDType
    case outOfRange(index: Int, detail: String)
}

/// An integer or BOOL dtype's elements widened to `Int64`. U64 values above `Int64.max` and BOOL
/// bytes other than 0 and 1 are reported, not wrapped.
func decodeInt64s(_ bytes: UnsafeRawBufferPointer, dtype: DType, count: Int) -> IntegerDecoding {
    switch dtype {
    case .I64:
        #if _endian(little)
        return .values(copyArray(bytes, count: count, as: Int64.self))
        #else
        return .values(makeArray(count: count) { load(bytes, $0, as: Int64.self) })
        #endif
    case .I32: return .values(makeArray(count: count) { Int64(load(bytes, $0, as: Int32.self)) })
    case .I16: return .values(makeArray(count: count) { Int64(load(bytes, $0, as: Int16.self)) })
    case .I8: return .values(makeArray(count: count) { Int64(Int8(bitPattern: bytes[$0])) })
    case .U32: return .values(makeArray(count: count) { Int64(load(bytes, $0, as: UInt32.self)) })
    case .U16: return .values(makeArray(count: count) { Int64(load(bytes, $0, as: UInt16.self)) })
    case .U8: return .values(makeArray(count: count) { Int64(bytes[$0]) })
    case .U64:
        for i in 0..<count where load(bytes, i, as: UInt64.self) > UInt64(Int64.max) {
            return .outOfRange(index: i, detail: "U64 value \(load(bytes, i, as: UInt64.self)) exceeds Int64.max")
        }
        return .values(makeArray(count: count) { Int64(load(bytes, $0, as: UInt64.self)) })
    case .BOOL:
        for i in 0..<count where bytes[i] > 1 {
            return .outOfRange(index: i, detail: "BOOL byte \(bytes[i]) is neither 0 nor 1")
        }
        return .values(makeArray(count: count) { Int64(bytes[$0]) })
    default:
        return .notAnIntegerDType
    }
}
