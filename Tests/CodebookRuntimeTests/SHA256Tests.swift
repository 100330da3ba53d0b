import Foundation
import Testing
import TestSupport
import CodebookRuntime

/// SHA-256 against the FIPS 180-4 example vectors and against hashlib (`scripts/fixtures/make_sha256.py`)
/// at every padding edge; digests are exact, so every comparison is equality.
@Suite struct SHA256Tests {
    /// The generator's message: byte i is (i·131 + 7) mod 256 (see make_sha256.py).
    static func message(length: Int) -> [UInt8] {
        (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    }

    struct Vector: Decodable {
        let length: Int
        let sha256: String
    }

    struct Vectors: Decodable {
        let vectors: [Vector]
    }

    static func referenceVectors() throws -> [Vector] {
        let data = try Data(contentsOf: Fixtures.url("sha256/vectors.json"))
        return try JSONDecoder().decode(Vectors.self, from: data).vectors
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func standardVectors(input: String, expected: String) {
        #expect(SHA256.hex(SHA256.hash(Array(input.utf8))) == expected)
    }

    @Test func millionAs() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.hash(input)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func paddingEdgesMatchHashlib() throws {
        let vectors = try Self.referenceVectors()
        #expect(vectors.count >= 20)
        for vector in vectors {
            #expect(SHA256.hex(SHA256.hash(Self.message(length: vector.length))) == vector.sha256, "length \(vector.length)")
        }
    }

    /// Feeding the message in uneven pieces (pieces that end mid-block, span blocks, or are empty)
    /// must give the one-shot digest.
    @Test func incrementalUpdatesMatchOneShot() throws {
        let vector = try #require(try Self.referenceVectors().first { $0.length == 65537 })
        let message = Self.message(length: vector.length)
        for pieceSizes in [[1], [63, 1, 0, 65], [7, 129, 4096], [64], [100_000]] {
            var hasher = SHA256()
            var offset = 0
            var turn = 0
            while offset < message.count {
                let size = min(pieceSizes[turn % pieceSizes.count], message.count - offset)
                message[offset ..< offset + size].withUnsafeBytes { hasher.update($0) }
                offset += size
                turn += 1
            }
            #expect(SHA256.hex(hasher.finalize()) == vector.sha256, "pieces \(pieceSizes)")
        }
    }

    /// The 1 MiB reference digest was also checked against coreutils `sha256sum` (make_sha256.py).
    @Test func fileDigestMatchesReference() throws {
        let vector = try #require(try Self.referenceVectors().first { $0.length == 1 << 20 })
        let folder = try Fixtures.temporaryDirectory("sha256")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("message.bin")
        try Data(Self.message(length: vector.length)).write(to: file)
        #expect(try SHA256.hexDigest(ofFileAt: file) == vector.sha256)
    }

    @Test func missingFileIsAnError() throws {
        let folder = try Fixtures.temporaryDirectory("sha256")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("absent.bin")
        #expect {
            _ = try SHA256.hexDigest(ofFileAt: file)
        } throws: { error in
            guard case let .cannotRead(path, _) = error as? CodebookRuntimeError else { return false }
            return path == file.path
        }
    }
}
