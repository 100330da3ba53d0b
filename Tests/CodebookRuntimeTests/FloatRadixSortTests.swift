import CodebookRuntime
import TestSupport
import Testing

@Suite struct FloatRadixSortTests {
    private func radixSorted(_ values: [Float], using sorter: inout FloatRadixSort) -> [Float] {
        var output = [Float](repeating: .nan, count: values.count)
        values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { sorter.sort(input, into: $0) }
        }
        return output
    }

    /// Against the standard library's `sorted()` on seeded random inputs of many sizes, one sorter reused
    /// across all of them (so stale counts or keys from a larger earlier input would show).
    @Test func equalsTheStandardLibrary() {
        var generator = SeededGenerator(seed: 99)
        var sorter = FloatRadixSort()
        for n in [0, 1, 2, 3, 7, 64, 384, 576, 1000, 5, 384] {
            for kind in 0..<4 {
                let values: [Float] = (0..<n).map { _ in
                    switch kind {
                    case 0: return Float.random(in: -5...5, using: &generator)
                    case 1: return Float(Int.random(in: -3...3, using: &generator))  // ties, ±0 from −0 products
                    case 2: return Float.random(in: 1000...1001, using: &generator)  // one exponent: skipped passes
                    default: return Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator) & 0xFF7F_FFFF)  // any finite bit pattern
                    }
                }
                #expect(radixSorted(values, using: &sorter) == values.sorted(), "n = \(n), kind \(kind)")
            }
        }
    }

    @Test func specialValues() {
        var sorter = FloatRadixSort()
        let values: [Float] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 0]
        let sorted = radixSorted(values, using: &sorter)
        #expect(sorted == values.sorted())
        // −0 sorts before +0, bit for bit.
        let zeros = radixSorted([0, -0.0, 0, -0.0], using: &sorter)
        #expect(zeros.map(\.sign) == [.minus, .minus, .plus, .plus])
    }
}
