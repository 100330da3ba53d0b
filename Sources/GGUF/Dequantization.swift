import Dispatch

/// Quantized blocks to Float, exactly as gguf-py's `dequantize` (gguf 0.19, `quants.py`) computes them:
/// the same operations in the same float32 order, so results are equal to the bit. (Swift does not
/// contract `a * b + c` into a fused multiply-add, so `d * q + m` rounds twice, as NumPy's does.)
///
/// Layouts, per block (little-endian; `d`, `m`, `dmin` are IEEE halves):
/// - Q8_0: d, 32 × int8 q; x = q·d.
/// - Q4_0: d, 16 bytes; element i < 16 is byte i's low nibble, i ≥ 16 byte i−16's high one; x = d·(q − 8).
/// - Q4_1: d, m, 16 bytes as Q4_0; x = d·q + m.
/// - Q5_0: d, u32 qh, 16 bytes; q = nibble | (bit i of qh) << 4; x = d·(q − 16).
/// - Q5_1: d, m, u32 qh, 16 bytes; x = d·q + m.
/// - Q4_K (256): d, dmin, 12 bytes of eight 6-bit scales and mins, 128 bytes; sub-block j (32 elements)
///   is the low (j even) or high (j odd) nibbles of bytes 32·(j/2) …; x = (d·sc_j)·q − (dmin·m_j).
/// - Q5_K (256): as Q4_K with 32 bytes qh before the nibbles: bit j of qh[l] is bit 4 of sub-block j's element l.
/// - Q6_K (256): 128 bytes low nibbles, 64 bytes 2-bit highs, 16 int8 scales, d; x = (d·scale)·(q − 32).
public enum Dequantization {
    /// Dequantizes `count` elements (a whole number of blocks) of `type` from `bytes` into `output`.
    /// Large tensors are split over all cores.
    public static func dequantize(_ type: GGMLType, _ bytes: UnsafeRawBufferPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(type.isSupported, "Dequantization: \(type.name) is not supported")
        precondition(count % type.blockSize == 0, "Dequantization: \(count) elements are not whole \(type.name) blocks")
        let blocks = count / type.blockSize
        precondition(bytes.count >= blocks * type.typeSize, "Dequantization: \(bytes.count) bytes hold fewer than \(blocks) blocks")
        guard blocks > 0, let base = bytes.baseAddress else { return }
        // Chunks of ~64 K elements: big enough that scheduling is negligible, small enough to balance.
        let blocksPerChunk = max(1, 65_536 / type.blockSize)
        let chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk
        // The chunks read the mapping and write disjoint ranges of `output`: sharing the two pointers
        // between threads is safe.
        let pointers = Pointers(source: base, output: output)
        let work: @Sendable (Int) -> Void = { chunk in
            let first = chunk * blocksPerChunk, last = min(blocks, first + blocksPerChunk)
            run(type, pointers.source + first * type.typeSize, blocks: last - first, into: pointers.output + first * type.blockSize)
        }
        if chunks == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
        }
    }

    private struct Pointers: @unchecked Sendable {
        let source: UnsafeRawPointer
        let output: UnsafeMutablePointer<Float>
    }

    private static func run(_ type: GGMLType, _ source: UnsafeRawPointer, blocks: Int, into out: UnsafeMutablePointer<Float>) {
        switch type {
        case .F32:
            for i in 0..<blocks { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .F16:
            for i in 0..<blocks { out[i] = half(source, 2 * i) }
        case .BF16:
            for i in 0..<blocks { out[i] = Float(bitPattern: UInt32(u16(source, 2 * i)) << 16) }
        case .Q8_0: for b in 0..<blocks { q8_0(source + b * 34, out + b * 32) }
        case .Q4_0: for b in 0..<blocks { q4_0(source + b * 18, out + b * 32) }
        case .Q4_1: for b in 0..<blocks { q4_1(source + b * 20, out + b * 32) }
        case .Q5_0: for b in 0..<blocks { q5_0(source + b * 22, out + b * 32) }
        case .Q5_1: for b in 0..<blocks { q5_1(source + b * 24, out + b * 32) }
        case .Q4_K: for b in 0..<blocks { q4_K(source + b * 144, out + b * 256) }
        case .Q5_K: for b in 0..<blocks { q5_K(source + b * 176, out + b * 256) }
        case .Q6_K: for b in 0..<blocks { q6_K(source + b * 210, out + b * 256) }
        default: preconditionFailure("Dequantization: \(type.name) is not supported")
        }
    }

    @inline(__always)
    private static func u16(_ p: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    private static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: u16(p, offset)))
    }

    @inline(__always)
    private static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }

    private static func q8_0(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for i in 0..<32 { out[i] = Float(Int8(bitPattern: byte(p, 2 + i))) * d }
    }

    private static func q4_0(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for i in 0..<16 {
            let b = byte(p, 2 + i)
            out[i] = d * Float(Int(b & 0x0F) - 8)
            out[i + 16] = d * Float(Int(b >> 4) - 8)
        }
    }

    private static func q4_1(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        for i in 0..<16 {
            let b = byte(p, 4 + i)
            out[i] = d * Float(b & 0x0F) + m
            out[i + 16] = d * Float(b >> 4) + m
        }
    }

    private static func q5_0(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for i in 0..<16 {
            let b = byte(p, 6 + i)
            let low = Int(b & 0x0F) | Int((qh >> UInt32(i)) & 1) << 4
            let high = Int(b >> 4) | Int((qh >> UInt32(i + 16)) & 1) << 4
            out[i] = d * Float(low - 16)
            out[i + 16] = d * Float(high - 16)
        }
    }

    private static func q5_1(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for i in 0..<16 {
            let b = byte(p, 8 + i)
            let low = UInt32(b & 0x0F) | ((qh >> UInt32(i)) & 1) << 4
            let high = UInt32(b >> 4) | ((qh >> UInt32(i + 16)) & 1) << 4
            out[i] = d * Float(low) + m
            out[i + 16] = d * Float(high) + m
        }
    }

    /// Q4_K's and Q5_K's eight 6-bit scales and mins from 12 bytes at `p` (gguf-py's `get_scale_min`).
    @inline(__always)
    private static func scalesAndMins(_ p: UnsafeRawPointer) -> (scales: SIMD8<UInt8>, mins: SIMD8<UInt8>) {
        var scales = SIMD8<UInt8>(), mins = SIMD8<UInt8>()
        for j in 0..<4 {
            let d = byte(p, j), m = byte(p, 4 + j), md = byte(p, 8 + j)
            scales[j] = d & 0x3F
            mins[j] = m & 0x3F
            scales[j + 4] = (md & 0x0F) | ((d >> 2) & 0x30)
            mins[j + 4] = (md >> 4) | ((m >> 2) & 0x30)
        }
        return (scales, mins)
    }

    private static func q4_K(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let (scales, mins) = scalesAndMins(p + 4)
        let qs = p + 16
        for j in 0..<8 {
            let scale = d * Float(scales[j]), minimum = dmin * Float(mins[j])
            let shift = UInt8(4 * (j % 2)), chunk = qs + 32 * (j / 2)
            for l in 0..<32 {
                let q = (byte(chunk, l) >> shift) & 0x0F
                out[32 * j + l] = scale * Float(q) - minimum
            }
        }
    }

    private static func q5_K(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let (scales, mins) = scalesAndMins(p + 4)
        let qh = p + 16, qs = p + 48
        for j in 0..<8 {
            let scale = d * Float(scales[j]), minimum = dmin * Float(mins[j])
            let shift = UInt8(4 * (j % 2)), chunk = qs + 32 * (j / 2)
            for l in 0..<32 {
                let low = (byte(chunk, l) >> shift) & 0x0F
                let high = (byte(qh, l) >> UInt8(j)) & 1
                out[32 * j + l] = scale * Float(low | high << 4) - minimum
            }
        }
    }

    private static func q6_K(_ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let ql = p, qh = p + 128, scales = p + 192
        let d = half(p, 208)
        // Element 32·g + l, g = 0…7: half h = g/4 of the block, within it quarter r = g%4.
        for g in 0..<8 {
            let h = g / 4, r = g % 4
            let lowBytes = ql + 64 * h + 32 * (r % 2), lowShift = UInt8(4 * (r / 2))
            let highBytes = qh + 32 * h, highShift = UInt8(2 * r)
            for l in 0..<32 {
                let index = 32 * g + l
                let scale = d * Float(Int8(bitPattern: byte(scales, index / 16)))
                let low = (byte(lowBytes, l) >> lowShift) & 0x0F
                let high = (byte(highBytes, l) >> highShift) & 0x03
                out[index] = scale * Float(Int(low | high << 4) - 32)
            }
        }
    }
}
