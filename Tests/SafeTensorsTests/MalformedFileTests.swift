import Foundation
@testable import SafeTensors
import TestSupport
import Testing

/// Every broken file is refused with the error that names its flaw (malformed.json lists each file,
/// the expected kind, and what the Python reader says about the same bytes).
struct MalformedFileTests {
    struct Manifest: Decodable {
        struct Case: Decodable {
            let file: String
            let error: String
            let python: String
        }

        let cases: [Case]
    }

    /// The case name of an error, to compare with the manifest.
    static func kind(_ error: SafeTensorsError) -> String {
        switch error {
        case .io: "io"
        case .fileTooSmall: "fileTooSmall"
        case .headerTooLarge: "headerTooLarge"
        case .invalidHeaderLength: "invalidHeaderLength"
        case .invalidHeaderStart: "invalidHeaderStart"
        case .invalidJSON: "invalidJSON"
        case .duplicateKey: "duplicateKey"
        case .invalidEntry: "invalidEntry"
        case .unknownDType: "unknownDType"
        case .overflow: "overflow"
        case .sizeMismatch: "sizeMismatch"
        case .nonContiguous: "nonContiguous"
        case .truncated: "truncated"
        case .trailingBytes: "trailingBytes"
        case .tensorNotFound: "tensorNotFound"
        case .unsupportedConversion: "unsupportedConversion"
        case .valueOutOfRange: "valueOutOfRange"
        case .shapeMismatch: "shapeMismatch"
        case .invalidCheckpoint: "invalidCheckpoint"
        case .invalidTensor: "invalidTensor"
        }
    }

    /// The error `SafeTensorsFile(contentsOf:)` throws for `url`, or nil if the file opens.
    static func openingError(_ url: URL) throws -> SafeTensorsError? {
        do {
            _ = try SafeTensorsFile(contentsOf: url)
            return nil
        } catch let error as SafeTensorsError {
            return error
        }
    }

    @Test func everyMalformedFileIsRefusedWithItsError() throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Fixtures.url("safetensors/malformed.json")))
        #expect(manifest.cases.count == 34)
        for entry in manifest.cases {
            let url = Fixtures.url("safetensors/malformed/\(entry.file)")
            let error = try Self.openingError(url)
            #expect(error.map(Self.kind) == entry.error, "\(entry.file): \(error.map(String.init(describing:)) ?? "opened")")
            // A clear error: it names the file.
            #expect(error?.description.contains(url.path) == true, "\(entry.file)")
        }
    }

    /// Spot checks of the details the messages carry (the manifest test only checks the kind).
    @Test func errorsCarryTheirContext() throws {
        func open(_ name: String) throws -> SafeTensorsError? {
            try Self.openingError(Fixtures.url("safetensors/malformed/\(name).safetensors"))
        }
        func path(_ name: String) -> String { Fixtures.url("safetensors/malformed/\(name).safetensors").path }
        #expect(try open("too_small") == .fileTooSmall(path: path("too_small"), size: 5))
        #expect(try open("header_too_large") == .headerTooLarge(path: path("header_too_large"), length: 100_000_001, limit: 100_000_000))
        #expect(try open("length_beyond_file") == .invalidHeaderLength(path: path("length_beyond_file"), length: 1000, fileSize: 16))
        #expect(try open("leading_space") == .invalidHeaderStart(path: path("leading_space"), byte: 0x20))
        #expect(try open("unknown_dtype") == .unknownDType(path: path("unknown_dtype"), tensor: "a", dtype: "F17"))
        #expect(try open("wrong_nbytes") == .sizeMismatch(path: path("wrong_nbytes"), tensor: "a", dtype: .F32, shape: [2],
                                                          expectedBytes: 8, actualBytes: 4))
        #expect(try open("truncated") == .truncated(path: path("truncated"), tensor: "a", end: 8, dataSize: 5))
        #expect(try open("trailing_bytes") == .trailingBytes(path: path("trailing_bytes"), count: 2, dataSize: 3))
        #expect(try open("duplicate_tensor") == .duplicateKey(path: path("duplicate_tensor"), key: "a"))
        guard case .nonContiguous(_, "b", let hole)? = try open("hole") else {
            Issue.record("hole: not a nonContiguous error about b")
            return
        }
        #expect(hole.hasPrefix("hole"))
        guard case .nonContiguous(_, "b", let overlap)? = try open("overlap") else {
            Issue.record("overlap: not a nonContiguous error about b")
            return
        }
        #expect(overlap.hasPrefix("overlap"))
    }

    @Test func missingFileAndFolderAreIOErrors() throws {
        let missing = Fixtures.url("safetensors/does-not-exist.safetensors")
        #expect(try Self.openingError(missing).map(Self.kind) == "io")
        #expect(try Self.openingError(Fixtures.url("safetensors/sharded")).map(Self.kind) == "io")
    }
}
