/// Everything that can go wrong reading or writing an HDF5 file. Each case names the file (`path`)
/// and, where there is one, the object inside it (`object`: an HDF5 path such as
/// `/conditions/benign/ids`, or `/ [attribute "format"]` for an attribute).
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// There is no file at `path` (reading or read-write).
    case fileNotFound(path: String)
    /// The file exists but is not an HDF5 file (no HDF5 signature).
    case notHDF5(path: String)
    /// The file looks like HDF5 but the library cannot open it (truncated, corrupt, unreadable).
    case cannotOpen(path: String, reason: String)
    /// The file cannot be created (missing folder, permissions).
    case cannotCreate(path: String, reason: String)
    /// The file was closed with `HDF5File.close()`; objects from it can no longer be used.
    case fileClosed(path: String)
    /// A write was attempted on a file opened `.readOnly`.
    case readOnly(path: String, object: String)
    /// No group, dataset or attribute of that name.
    case notFound(path: String, object: String)
    /// Creating a group, dataset or attribute whose name is taken.
    case alreadyExists(path: String, object: String)
    /// A group was expected and a dataset found, or the other way round.
    case wrongKind(path: String, object: String, expected: String, actual: String)
    /// The element type of a dataset or attribute is not the one asked for.
    case wrongType(path: String, object: String, expected: String, actual: String)
    /// The shape is not the one expected (`nil` in `expected` matches any extent).
    case wrongShape(path: String, object: String, expected: [Int?], actual: [Int])
    /// A buffer holds a number of values that does not fit the dataset or the rows written.
    case wrongCount(path: String, object: String, expected: Int, actual: Int)
    /// Rows asked for lie outside the dataset's `rowCount` rows.
    case rowsOutOfRange(path: String, object: String, rows: Range<Int>, rowCount: Int)
    /// An argument the library would reject (bad chunk shape, string with an embedded NUL, …).
    case invalidArgument(path: String, object: String, reason: String)
    /// A stored string is not valid UTF-8 (`index` is its position in the dataset, 0 for attributes).
    case invalidUTF8(path: String, object: String, index: Int)
    /// An HDF5 C call failed; `detail` is HDF5's own error stack, outermost message first.
    case library(call: String, path: String, object: String, detail: String)

    /// Whether HDF5 could not lock the file it was opening or creating: another open of it holds the
    /// lock (a program writing it, or a process forked while it was open here).
    var isLockRefused: Bool {
        switch self {
        case .cannotOpen(_, let reason), .cannotCreate(_, let reason): return reason.contains("unable to lock")
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "HDF5: no file at \(path)"
        case .notHDF5(let path):
            return "HDF5: \(path) is not an HDF5 file"
        case .cannotOpen(let path, let reason) where isLockRefused:
            return "HDF5: cannot open \(path): it is locked, open for writing elsewhere (another program?): \(reason)"
        case .cannotOpen(let path, let reason):
            return "HDF5: cannot open \(path) (truncated or corrupt?): \(reason)"
        case .cannotCreate(let path, let reason):
            return "HDF5: cannot create \(path): \(reason)"
        case .fileClosed(let path):
            return "HDF5: \(path) was closed; reopen it to use its groups and datasets"
        case .readOnly(let path, let object):
            return "HDF5: \(path): \(object): the file is open read-only"
        case .notFound(let path, let object):
            return "HDF5: \(path): \(object) does not exist"
        case .alreadyExists(let path, let object):
            return "HDF5: \(path): \(object) already exists"
        case .wrongKind(let path, let object, let expected, let actual):
            return "HDF5: \(path): \(object) is a \(actual), expected a \(expected)"
        case .wrongType(let path, let object, let expected, let actual):
            return "HDF5: \(path): \(object) holds \(actual), expected \(expected)"
        case .wrongShape(let path, let object, let expected, let actual):
            let wanted = expected.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
            return "HDF5: \(path): \(object) has shape \(actual), expected [\(wanted)]"
        case .wrongCount(let path, let object, let expected, let actual):
            return "HDF5: \(path): \(object): \(actual) values given, \(expected) needed"
        case .rowsOutOfRange(let path, let object, let rows, let rowCount):
            return "HDF5: \(path): \(object): rows \(rows.lowerBound)..<\(rows.upperBound) outside 0..<\(rowCount)"
        case .invalidArgument(let path, let object, let reason):
            return "HDF5: \(path): \(object): \(reason)"
        case .invalidUTF8(let path, let object, let index):
            return "HDF5: \(path): \(object): string \(index) is not valid UTF-8"
        case .library(let call, let path, let object, let detail):
            return "HDF5: \(path): \(object): \(call) failed: \(detail)"
        }
    }
}
