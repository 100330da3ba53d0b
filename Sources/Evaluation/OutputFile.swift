import CodebookRuntime
import Foundation

/// Writing outputs so that a crash never leaves a file that looks complete.
enum OutputFile {
    /// Writes every file aside (`.<name>.partial` beside it), then renames them all into place; when any
    /// write fails, removes what it wrote and renamed, so no output is left that looks complete alone.
    static func writeAll(_ outputs: [(data: Data, url: URL)]) throws {
        for (_, url) in outputs { try checkFolder(of: url) }
        func partial(_ url: URL) -> URL { url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial") }
        var written: [URL] = []
        do {
            for (data, url) in outputs {
                do {
                    try data.write(to: partial(url))
                } catch {
                    throw EvaluationError.cannotWrite(path: url.path, reason: FileErrorReason.of(error))
                }
                written.append(url)
            }
            var renamed: [URL] = []
            for (_, url) in outputs {
                guard rename(partial(url).path, url.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    for done in renamed { unlink(done.path) }
                    throw EvaluationError.cannotWrite(path: url.path, reason: reason)
                }
                renamed.append(url)
            }
        } catch {
            for url in written { unlink(partial(url).path) }
            throw error
        }
    }

    /// Refuses an output whose folder does not exist, or that is itself a folder (checked before the
    /// work, so that a report that cannot be written does not leave an eval.json behind; and again
    /// when writing).
    static func checkFolder(of url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw EvaluationError.cannotWrite(path: url.path, reason: "the folder \(folder.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw EvaluationError.cannotWrite(path: url.path, reason: "it is a folder")
        }
    }
}
