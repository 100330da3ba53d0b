import Foundation
import TestSupport

/// A temporary folder of synthetic benchmark files, removed when the value goes away.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = try Fixtures.temporaryDirectory("external")
    }

    deinit {
        try? FileManager.default.removeItem(at: url)  // Best effort: a leftover temporary folder is harmless.
    }

    /// Writes `contents` (UTF-8) at `relativePath`, making folders as needed, and returns its URL.
    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
        return file
    }
}

/// A JSON string literal of `text` (for writing synthetic JSONL lines).
func json(_ text: String) throws -> String {
    String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
}
