import Foundation
@testable import GGUF
import TestSupport
import Testing

/// Broken files (Tests/Fixtures/gguf/malformed/, each one change from a valid file): every one is
/// refused with the expected error, whose one-line message names the key or tensor. Some of them
/// gguf-py's reader accepts (malformed.json records which): we are stricter on purpose.
struct MalformedFileTests {
    struct Case: Decodable, CustomTestStringConvertible {
        let file: String
        let error: String
        let names: String
        var testDescription: String { file }
    }

    static let cases: [Case] = (try? Fixtures.decode("gguf/malformed.json", as: [Case].self)) ?? []

    static func kind(_ error: GGUFError) -> String {
        Mirror(reflecting: error).children.first?.label ?? "\(error)"
    }

    @Test func casesAreThere() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func refused(_ testCase: Case) throws {
        let path = Fixtures.url("gguf/malformed/\(testCase.file)").path
        do {
            let file = try GGUFFile(path: path)
            Issue.record("\(testCase.file) was accepted: \(file.tensors.count) tensors")
        } catch {
            // `error` may list alternatives: "truncated|countTooLarge".
            #expect(testCase.error.split(separator: "|").contains(Substring(Self.kind(error))), "\(error)")
            let message = error.description
            #expect(message.hasPrefix(path + ": "), "\(message)")
            #expect(!message.contains("\n"))
            if !testCase.names.isEmpty { #expect(message.contains(testCase.names), "\(message)") }
        }
    }

    @Test func validBaseIsAccepted() throws {
        let file = try GGUFFile(path: Fixtures.url("gguf/malformed/_valid.gguf").path)
        #expect(file.tensors.map(\.name) == ["w.weight", "n.weight"])
        #expect(try file.floats("w.weight").count == 64)
    }

    /// Every prefix of a valid file is refused (a file cut anywhere before its last tensor's end),
    /// and none crashes.
    @Test(arguments: ["malformed/_valid.gguf", "metadata-v3.gguf"])
    func everyTruncationIsRefused(file name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Fixtures.url("gguf/\(name)")))
        let full = try GGUFFile(path: Fixtures.url("gguf/\(name)").path)
        let end = full.dataOffset + (full.tensors.map { $0.offset + $0.byteCount }.max() ?? 0)
        for length in 0..<end {
            let result = bytes[0..<length].withUnsafeBytes { raw in Result { () throws(GGUFError) in try GGUFFile.validate(bytes: raw) } }
            if case .success = result { Issue.record("\(name) cut at \(length) of \(end) bytes was accepted") }
        }
    }

    /// Random byte changes of a valid file: parsed or refused, never a crash, and what is accepted dequantizes.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = try [UInt8](Data(contentsOf: Fixtures.url("gguf/metadata-v3.gguf")))
        var generator = SeededGenerator(seed: 7)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if case .success = bytes.withUnsafeBytes({ raw in Result { () throws(GGUFError) in try GGUFFile.validate(bytes: raw) } }) {
                accepted += 1
            }
        }
        // Most changes land in tensor data or string contents, which stay valid: both outcomes occur.
        #expect(accepted > 0 && accepted < 3000)
    }
}
