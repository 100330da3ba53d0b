import CHDF5
import Foundation

/// Process-wide access to the HDF5 C library.
///
/// Threading: HDF5 keeps global state (open-object tables, caches, the error stack). Debian's serial
/// build happens to be compiled thread-safe (`H5_HAVE_THREADSAFE`), but that only serialises single
/// C calls; our operations are sequences of calls (extend, select, write). So every entry point of
/// this module runs under one process-wide recursive lock, which is what makes `HDF5File`,
/// `HDF5Group` and `HDF5Dataset` safe to share (`@unchecked Sendable`). HDF5 work is serial anyway;
/// callers gain nothing from using it from several threads at once.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` holding the module's lock, with HDF5's automatic error printing turned off for
    /// the calling thread (in a thread-safe build the setting is per thread, so it is set each time:
    /// failures become `HDF5Error`s and nothing reaches stderr).
    static func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        return try body()
    }

    /// The library's version, e.g. "1.10.8".
    static let version: String = withLock {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
        return "\(major).\(minor).\(release)"
    }

    /// The messages on the current thread's HDF5 error stack, outermost (the API call) first,
    /// innermost (the cause, e.g. "file signature not found") last; the stack is cleared.
    static func takeErrorStack() -> String {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { messagesPointer in
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_DOWNWARD, { _, error, clientData in
                guard let error, let clientData, let description = error.pointee.desc else { return 0 }
                let messages = clientData.assumingMemoryBound(to: [String].self)
                let text = String(cString: description)
                if !text.isEmpty, messages.pointee.last != text { messages.pointee.append(text) }
                return 0
            }, messagesPointer)
        }
        _ = H5Eclear2(chdf5_e_default())
        return messages.isEmpty ? "no message from HDF5" : messages.joined(separator: ": ")
    }
}

/// Where an operation happens (file path and object path), to put into errors.
struct Site: Sendable {
    let path: String
    let object: String

    func libraryError(_ call: String) -> HDF5Error {
        .library(call: call, path: path, object: object, detail: HDF5Library.takeErrorStack())
    }

    /// Throws when a `herr_t` (or `htri_t`, `int`) status is negative.
    func check(_ status: Int32, _ call: String) throws {
        if status < 0 { throw libraryError(call) }
    }

    /// Returns a valid `hid_t` or throws.
    func checkID(_ id: hid_t, _ call: String) throws -> hid_t {
        if id < 0 { throw libraryError(call) }
        return id
    }

    /// An owned handle for a fresh identifier, closed with `close` when released.
    func handle(_ id: hid_t, _ call: String, close: @escaping (hid_t) -> herr_t) throws -> Handle {
        Handle(try checkID(id, call), close: close)
    }

    func invalid(_ reason: String) -> HDF5Error {
        .invalidArgument(path: path, object: object, reason: reason)
    }
}

/// Owns a temporary HDF5 identifier (dataspace, datatype, property list, attribute) and closes
/// it on release, so early exits by `throw` leak nothing.
final class Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    deinit {
        // A close failure cannot be reported from deinit; it leaves nothing half-written (these
        // are dataspaces, datatypes, property lists and attributes whose writes already returned).
        HDF5Library.withLock { _ = close(id) }
    }
}

/// Products of extents with overflow checks (shapes come from files, which may be hostile).
func elementCount(_ dims: [Int], site: Site) throws -> Int {
    try dims.reduce(1) { product, dim in
        let (result, overflow) = product.multipliedReportingOverflow(by: dim)
        if overflow || dim < 0 { throw site.invalid("shape \(dims) has too many elements") }
        return result
    }
}

/// `H5T_C_S1` with variable length and UTF-8 encoding: what h5py reads as `str`.
func variableLengthUTF8Type(site: Site) throws -> Handle {
    let type = try site.handle(H5Tcopy(chdf5_c_s1()), "H5Tcopy(H5T_C_S1)", close: H5Tclose)
    try site.check(H5Tset_size(type.id, chdf5_variable()), "H5Tset_size(H5T_VARIABLE)")
    try site.check(H5Tset_cset(type.id, H5T_CSET_UTF8), "H5Tset_cset(UTF-8)")
    return type
}

/// Passes `body` an array of C string pointers holding `strings` (NUL-terminated UTF-8), valid
/// for the duration of `body`; the storage is one contiguous buffer owned here.
func withCStringPointers<Result>(
    _ strings: [String], site: Site, _ body: (UnsafeRawPointer) throws -> Result
) throws -> Result {
    try validateCStrings(strings, site: site)
    var bytes: [CChar] = []  // [sum of (utf8 count + 1)]
    var offsets: [Int] = []  // [strings]
    offsets.reserveCapacity(strings.count)
    for string in strings {
        offsets.append(bytes.count)
        bytes.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
        bytes.append(0)
    }
    return try bytes.withUnsafeBufferPointer { storage in
        guard let base = storage.baseAddress else { throw site.invalid("no strings to write") }
        let pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
        return try pointers.withUnsafeBytes { raw in
            guard let address = raw.baseAddress else { throw site.invalid("no strings to write") }
            return try body(address)
        }
    }
}

/// Rejects strings with an embedded NUL, which a C string (and so HDF5) cannot carry.
func validateCStrings(_ strings: [String], site: Site) throws {
    if let index = strings.firstIndex(where: { $0.utf8.contains(0) }) {
        throw site.invalid("string \(index) contains a NUL character")
    }
}

/// Decodes a fixed-length string element: bytes up to the first NUL (null-terminated or
/// null-padded), or without trailing spaces (space-padded).
func decodeFixedString(_ bytes: ArraySlice<UInt8>, spacePadded: Bool, site: Site, index: Int) throws -> String {
    var slice = bytes
    if let nul = slice.firstIndex(of: 0) { slice = slice[slice.startIndex..<nul] }
    if spacePadded { while slice.last == UInt8(ascii: " ") { slice.removeLast() } }
    guard let string = String(validating: slice, as: UTF8.self) else {
        throw HDF5Error.invalidUTF8(path: site.path, object: site.object, index: index)
    }
    return string
}
