import Foundation
import TestSupport

/// Reads a JSON fixture written by `scripts/fixtures/make_numerics.py`.
func numericsFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try Fixtures.decode("numerics/\(name)")
}

