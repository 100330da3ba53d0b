#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory, for the safetensors and GGUF readers: pages are read from
/// disk (or the page cache) only when touched, so opening a multi-gigabyte model costs its header, not
/// its tensors. Owns the mapping and unmaps it in `deinit`; the bytes stay valid as long as it lives.
///
/// The file must not be truncated while mapped (the OS would fault on the missing pages): model files
/// are written once and then only read, which is what this assumes.
package final class MappedFile: @unchecked Sendable {
    package let path: String
    private let base: UnsafeRawPointer?
    package let count: Int

    package init(path: String) throws(MappingError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw MappingError(path: path, detail: "cannot open: \(Self.lastError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MappingError(path: path, detail: "cannot stat: \(Self.lastError())") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw MappingError(path: path, detail: "not a regular file") }
        let size = Int(status.st_size)
        // mmap refuses empty mappings; an empty file is mapped as no bytes, which each reader refuses as too short.
        guard size > 0 else {
            base = nil
            count = 0
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw MappingError(path: path, detail: "cannot map \(size) bytes: \(Self.lastError())")
        }
        self.base = UnsafeRawPointer(address)
        self.count = size
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The file's bytes, valid only inside `body`.
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// Why a file could not be mapped: `detail` says what failed (open, stat, mmap) and the system's reason.
package struct MappingError: Error, Equatable {
    package let path: String
    package let detail: String
}
