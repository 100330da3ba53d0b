import Foundation
import TestSupport

/// Reads a JSON fixture written by `scripts/fixtures/make_numerics.py`.
func numericsFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    let data = try Data(contentsOf: Fixtures.url("numerics/\(name)"))
    return try JSONDecoder().decode(T.self, from: data)
}

/// `|actual − expected| ≤ tolerance · max(1, |expected|)`: absolute near 0, relative for large values.
func close(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// A small deterministic generator (SplitMix64) so that the property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
