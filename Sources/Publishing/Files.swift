import CodebookRuntime
import Foundation

/// File-system steps with errors that name the path.
enum Files {
    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The bytes of a regular file; `hint` says how to make it when it is missing.
    static func read(_ url: URL, hint: String = "check the path") throws -> Data {
        guard exists(url) else { throw PublishingError.missingFile(path: url.path, hint: hint) }
        guard !isDirectory(url) else { throw PublishingError.cannotRead(path: url.path, reason: "a folder, not a file") }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw PublishingError.cannotRead(path: url.path, reason: FileErrorReason.of(error))
        }
    }

    /// Writes `data` as a new file with mode 0644, whatever the umask: a bundle's files are the same
    /// on every machine that writes them.
    static func write(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o644]) else {
            throw PublishingError.cannotWrite(path: url.path, reason: "could not create the file")
        }
    }

    /// The names in a folder, sorted in byte order, hidden ones included.
    static func names(in directory: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(by: Manifest.precedes)
        } catch {
            throw PublishingError.cannotRead(path: directory.path, reason: FileErrorReason.of(error))
        }
    }

    static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw PublishingError.cannotWrite(path: url.path, reason: FileErrorReason.of(error))
        }
    }

    static func remove(_ url: URL) throws {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw PublishingError.cannotWrite(path: url.path, reason: "cannot remove (\(FileErrorReason.of(error)))")
        }
    }

    /// `rename(2)`: atomic on one file system, so `to` never holds a partly written folder.
    static func rename(_ from: URL, to: URL) throws {
        guard Foundation.rename(from.path, to.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw PublishingError.cannotWrite(path: to.path, reason: "cannot rename \(from.lastPathComponent) into place (\(reason))")
        }
    }
}
