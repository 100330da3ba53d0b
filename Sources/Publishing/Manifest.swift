import CodebookRuntime
import Foundation

/// `MANIFEST.sha256`: the sha256 of every other file of a bundle, one line `<64 hex digits>  <file name>`
/// per file, sorted by name in byte order, each line ending in `\n`.
///
/// That is coreutils' `sha256sum` format, so `sha256sum -c MANIFEST.sha256` verifies a bundle without
/// this tool; `codebook inspect` also refuses files the manifest does not list, which `sha256sum` cannot
/// see. Names are plain file names: a bundle is one flat folder.
package struct Manifest: Sendable, Equatable {
    package static let fileName = "MANIFEST.sha256"

    package struct Entry: Sendable, Equatable {
        package let name: String
        /// Lowercase hexadecimal.
        package let sha256: String

        package init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// Sorted by name, in byte order.
    package let entries: [Entry]

    /// The manifest of `files` (name → bytes).
    package init(files: [String: Data]) {
        entries = files.sorted { Self.precedes($0.key, $1.key) }.map { name, bytes in
            Entry(name: name, sha256: SHA256.hex(SHA256.hash(bytes)))
        }
    }

    /// Parses a manifest's bytes; `path` names the file in errors. Accepts what `sha256sum -c` accepts
    /// for plain names (text `"  "` or binary `" *"` separator, upper- or lowercase digits, a missing final
    /// newline); refuses names with a folder part and names listed twice.
    package init(data: Data, path: String) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PublishingError.badManifest(file: path, line: 1, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw PublishingError.badManifest(file: path, line: 1, reason: "empty") }
        var entries: [Entry] = []
        var seen = Set<String>()
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let characters = Array(line.utf8)
            let hexDigits = characters.prefix(64)
            guard characters.count > 66, hexDigits.count == 64, hexDigits.allSatisfy(Self.isHexDigit),
                  characters[64] == UInt8(ascii: " "), [UInt8(ascii: " "), UInt8(ascii: "*")].contains(characters[65]) else {
                throw PublishingError.badManifest(file: path, line: number, reason: "expected `<64 hex digits>  <file name>`, found \"\(line)\"")
            }
            let name = String(decoding: characters[66...], as: UTF8.self)
            guard !name.contains("/"), name != ".", name != "..", name != Self.fileName, !name.hasPrefix("\\") else {
                throw PublishingError.badManifest(file: path, line: number, reason: "\"\(name)\" is not a plain file name of the bundle")
            }
            guard seen.insert(name).inserted else {
                throw PublishingError.badManifest(file: path, line: number, reason: "\"\(name)\" is listed twice")
            }
            entries.append(Entry(name: name, sha256: String(decoding: hexDigits, as: UTF8.self).lowercased()))
        }
        self.entries = entries
    }

    /// The manifest's bytes.
    package func encoded() -> Data {
        Data(entries.map { "\($0.sha256)  \($0.name)\n" }.joined().utf8)
    }

    /// The recorded sha256 of `name`, if listed.
    package func sha256(of name: String) -> String? {
        entries.first { $0.name == name }?.sha256
    }

    /// Byte order of the UTF-8 names (what `LC_ALL=C sort` gives), the same on every machine.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(c)
    }
}
