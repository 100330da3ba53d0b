import Foundation

/// An exclusive lock on one extract output, `<out>.lock`, held for the whole run.
///
/// Two extracts writing the same `--out` would share its parts folder and the file aside and break each
/// other (seen: both failing with HDF5 errors). `flock` is released by the kernel when the process ends,
/// however it ends (even `kill -9`), so a crash never leaves a stale lock; the file itself is removed
/// when the run is done. A lock taken on a file that another run removed meanwhile is retried on the new
/// file (the inode check), so two runs can never both hold "the" lock.
final class OutputLock {
    let url: URL
    private var descriptor: Int32

    init(output: URL) throws {
        url = output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".lock")
        while true {
            let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ExtractionError.cannotWrite(path: url.path, detail: String(cString: strerror(errno)))
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let error = errno
                close(fd)
                if error == EWOULDBLOCK { throw ExtractionError.outputLocked(path: output.path, lock: url.path) }
                throw ExtractionError.cannotWrite(path: url.path, detail: "cannot lock: \(String(cString: strerror(error)))")
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(url.path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                descriptor = fd
                return
            }
            close(fd)  // the file was removed (its run finished) between open and flock: take the new one
        }
    }

    /// Removes the lock file, then unlocks (in that order, so a waiting run re-checks and takes a new file).
    func release() {
        guard descriptor >= 0 else { return }
        unlink(url.path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
