/// Sorting a few hundred `Float`s many times over (every token × every layer) without allocating:
/// a least-significant-digit radix sort on 8-bit digits of order-preserving integer keys. Four counting
/// passes over the data (a pass whose digit is the same for every key is skipped) instead of a
/// comparison sort's n·log n data-dependent branches: measured 5–7× faster than `sort()` for 384–576
/// values (about 3 µs).
///
/// The key of a float keeps its order as an unsigned integer: positive floats get their sign bit set,
/// negative ones have all bits flipped. Every finite value and ±infinity sort correctly; `-0.0` sorts
/// just before `+0.0` (equal as numbers, so order statistics are unaffected). NaN must not occur.
package struct FloatRadixSort: Sendable {
    /// The keys being sorted and the buffer each pass scatters into: `[capacity]` each.
    private var keys: [UInt32] = []
    private var buffer: [UInt32] = []
    /// One 256-bucket histogram per byte: `[4 × 256]`.
    private var counts = [Int](repeating: 0, count: 4 * 256)

    package init() {}

    /// Writes `values` sorted ascending into `sorted` (same count).
    package mutating func sort(_ values: UnsafeBufferPointer<Float>, into sorted: UnsafeMutableBufferPointer<Float>) {
        let n = values.count
        precondition(sorted.count == n, "FloatRadixSort: \(n) values, \(sorted.count) output slots")
        if keys.count < n {
            keys = [UInt32](repeating: 0, count: n)
            buffer = [UInt32](repeating: 0, count: n)
        }
        keys.withUnsafeMutableBufferPointer { keys in
            buffer.withUnsafeMutableBufferPointer { buffer in
                counts.withUnsafeMutableBufferPointer { counts in
                    Self.sort(values, sorted, keys.baseAddress!, buffer.baseAddress!, counts.baseAddress!)
                }
            }
        }
    }

    @inline(__always)
    private static func sort(_ values: UnsafeBufferPointer<Float>, _ sorted: UnsafeMutableBufferPointer<Float>,
                             _ keys: UnsafeMutablePointer<UInt32>, _ buffer: UnsafeMutablePointer<UInt32>,
                             _ counts: UnsafeMutablePointer<Int>) {
        let n = values.count
        guard n > 1 else {
            if n == 1 { sorted[0] = values[0] }
            return
        }
        counts.update(repeating: 0, count: 4 * 256)
        for i in 0..<n {
            let bits = values[i].bitPattern
            let key = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            keys[i] = key
            counts[Int(key & 0xFF)] += 1
            counts[256 + Int((key >> 8) & 0xFF)] += 1
            counts[512 + Int((key >> 16) & 0xFF)] += 1
            counts[768 + Int(key >> 24)] += 1
        }
        var source = keys, destination = buffer
        for pass in 0..<4 {
            let shift = UInt32(8 * pass)
            let histogram = counts + 256 * pass
            // Every key has the same digit here: this pass would not move anything.
            if histogram[Int((source[0] >> shift) & 0xFF)] == n { continue }
            var offset = 0
            for digit in 0..<256 {
                let count = histogram[digit]
                histogram[digit] = offset
                offset += count
            }
            for i in 0..<n {
                let key = source[i]
                let digit = Int((key >> shift) & 0xFF)
                destination[histogram[digit]] = key
                histogram[digit] += 1
            }
            swap(&source, &destination)
        }
        for i in 0..<n {
            let key = source[i]
            sorted[i] = Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
        }
    }
}
