#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory: pages are read from disk (or the page cache) only
/// when touched, so opening a multi-gigabyte checkpoint costs its header, not its weights.
/// Owns the mapping and unmaps it in `deinit`; the bytes stay valid as long as this object lives.
///
/// The file must not be truncated while mapped (the OS would fault on the missing pages); model
/// files are written once and then only read, which is what this assumes.
final class MappedFile {
    let path: String
    private let base: UnsafeRawPointer
    let count: Int

    init(path: String) throws(SafeTensorsError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, detail: "cannot open: \(Self.lastError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(path: path, detail: "cannot stat: \(Self.lastError())") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, detail: "not a regular file") }
        let size = Int(status.st_size)
        // mmap refuses empty mappings; anything under 8 bytes is not a safetensors file anyway.
        guard size >= 8 else { throw .fileTooSmall(path: path, size: size) }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .io(path: path, detail: "cannot map \(size) bytes: \(Self.lastError())")
        }
        self.base = UnsafeRawPointer(address)
        self.count = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), count)
    }

    /// The file's bytes, valid only inside `body`.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(UnsafeRawBufferPointer(start: base, count: count)) }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
