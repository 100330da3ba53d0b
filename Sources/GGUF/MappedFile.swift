#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory: pages are read from disk (or the page cache) only when
/// touched, so opening a GGUF file costs its header, not its tensors. Unmapped in `deinit`.
///
/// The file must not be truncated while mapped (the OS would fault on the missing pages): model files
/// are written once and then only read, which is what this assumes (as the safetensors reader does).
final class MappedFile: @unchecked Sendable {
    let path: String
    private let base: UnsafeRawPointer?
    let count: Int

    init(path: String) throws(GGUFError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, detail: "cannot open: \(Self.lastError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(path: path, detail: "cannot stat: \(Self.lastError())") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, detail: "not a regular file") }
        let size = Int(status.st_size)
        // mmap refuses empty mappings; an empty file is reported as truncated by the parser.
        guard size > 0 else {
            base = nil
            count = 0
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .io(path: path, detail: "cannot map \(size) bytes: \(Self.lastError())")
        }
        self.base = UnsafeRawPointer(address)
        self.count = size
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The file's bytes, valid only inside `body`.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
