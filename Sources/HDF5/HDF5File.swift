import CHDF5
import Foundation

/// An open HDF5 file. Owns the file identifier; closing happens in `close()` or on release.
///
/// Files written here are deterministic: the same sequence of writes gives the same bytes (no
/// modification times in object headers, fixed file-format bounds), so a resumed or repeated run
/// can be compared byte for byte. The format is HDF5 1.8's (`H5F_LIBVER_EARLIEST…V18`), which
/// every HDF5 since 2008 and h5py read.
///
/// A crash-safe, resumable writer (what `extract` does, SPEC §5) combines the pieces:
/// write into `<name>.partial` (`.create`, extendible datasets filled with `append`); to resume,
/// reopen it `.readWrite`, read `rowCount`s to see how far it got, `resize` away any partial
/// batch and go on appending; at the end `writeCanonicalCopy(to:)` a temporary name and rename
/// that to `<name>`. The published file's bytes then do not depend on whether, or where, the run
/// was interrupted.
///
/// Threading: all HDF5 work in this module runs under one process-wide lock (see `HDF5Library`),
/// so instances may be shared between threads; the work itself is serial.
public final class HDF5File: @unchecked Sendable {
    public enum Mode: Sendable {
        /// Create the file, replacing any file at that path.
        case create
        case readOnly
        case readWrite
    }

    public let url: URL
    public let mode: Mode
    var path: String { url.path }

    let id: hid_t
    private let rootID: hid_t
    /// Guarded by the module lock.
    private var closed = false

    /// The version of the HDF5 library linked in, e.g. "1.10.8".
    public static var libraryVersion: String { HDF5Library.version }

    public init(url: URL, mode: Mode) throws {
        self.url = url
        self.mode = mode
        (id, rootID) = try Self.openRetryingLocks(url.path, mode)
    }

    /// `open`, tried again when HDF5 could not lock the file. HDF5 locks the files it opens (`flock`)
    /// without `O_CLOEXEC`, and a process spawned on another thread holds a copy of every descriptor
    /// from its fork until it execs: a file closed here in that window keeps its lock, and opening it
    /// again at once fails with EAGAIN ("unable to lock the file"; `SpawnRaceTests`). That hold lasts
    /// microseconds to milliseconds, so a refused lock is tried again for about a second (waits of 1,
    /// 2, 4 … 512 ms, outside the module lock unless the caller holds it, as `writeCanonicalCopy` does
    /// for the new file it creates) before it is reported; a real concurrent writer is still refused,
    /// a second later.
    private static func openRetryingLocks(_ path: String, _ mode: Mode) throws -> (hid_t, hid_t) {
        var wait = 0.001
        while true {
            do {
                return try open(path, mode)
            } catch let error as HDF5Error where error.isLockRefused && wait < 1 {
                Thread.sleep(forTimeInterval: wait)
                wait *= 2
            }
        }
    }

    /// The file and root group identifiers of `path` opened in `mode`.
    private static func open(_ path: String, _ mode: Mode) throws -> (hid_t, hid_t) {
        let site = Site(path: path, object: "/")
        return try HDF5Library.withLock {
            let access = try site.handle(H5Pcreate(chdf5_p_file_access()), "H5Pcreate(file access)", close: H5Pclose)
            // Strong close: `close()` really closes the file even if group or dataset objects are
            // still alive somewhere, so a caller can rename the finished file right after.
            try site.check(H5Pset_fclose_degree(access.id, H5F_CLOSE_STRONG), "H5Pset_fclose_degree")
            // A 16 MiB chunk cache per open dataset instead of HDF5's 1 MiB: a chunk that does not
            // fit is decompressed, patched and recompressed on every partial write, which made
            // row-by-row appends of 2 MiB chunks (33 layers × 4096 floats × 4 rows) ~3× slower.
            // 1009 slots (a prime, as HDF5 recommends) for up to that many chunks.
            try site.check(H5Pset_cache(access.id, 0, 1009, 16 << 20, 0.75), "H5Pset_cache")
            // Files we write use the 1.8 format: readable everywhere, and fixed, so bytes do not change
            // with the library. Not when reading: bounds there would refuse newer files that h5py reads.
            if mode != .readOnly {
                try site.check(H5Pset_libver_bounds(access.id, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), "H5Pset_libver_bounds")
            }

            let fileID: hid_t
            switch mode {
            case .create:
                fileID = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), access.id)
                if fileID < 0 { throw HDF5Error.cannotCreate(path: path, reason: HDF5Library.takeErrorStack()) }
            case .readOnly, .readWrite:
                guard FileManager.default.fileExists(atPath: path) else { throw HDF5Error.fileNotFound(path: path) }
                let isHDF5 = H5Fis_hdf5(path)
                if isHDF5 == 0 { throw HDF5Error.notHDF5(path: path) }
                if isHDF5 < 0 { throw HDF5Error.cannotOpen(path: path, reason: HDF5Library.takeErrorStack()) }
                fileID = H5Fopen(path, mode == .readOnly ? chdf5_acc_rdonly() : chdf5_acc_rdwr(), access.id)
                if fileID < 0 { throw HDF5Error.cannotOpen(path: path, reason: HDF5Library.takeErrorStack()) }
            }
            let rootID = H5Gopen2(fileID, "/", chdf5_p_default())
            if rootID < 0 {
                let error = HDF5Error.cannotOpen(path: path, reason: HDF5Library.takeErrorStack())
                _ = H5Fclose(fileID)
                throw error
            }
            return (fileID, rootID)
        }
    }

    deinit {
        HDF5Library.withLock {
            if !closed {
                // Errors cannot be reported from deinit; call `close()` to see them.
                _ = H5Gclose(rootID)
                _ = H5Fclose(id)
            }
        }
    }

    /// The root group `/`, which also carries the file's attributes.
    public var root: HDF5Group { HDF5Group(file: self, id: rootID, path: "/", ownsID: false) }

    /// Writes HDF5's caches to disk (the file stays open).
    public func flush() throws {
        try HDF5Library.withLock {
            let site = Site(path: path, object: "/")
            try ensureOpen(site: site, forWriting: false)
            try site.check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush")
        }
    }

    /// Flushes and closes the file, and with it every group and dataset opened from it (they throw
    /// `fileClosed` afterwards). Closing twice is allowed. Release closes too, but only `close()`
    /// reports a failed final write.
    public func close() throws {
        try HDF5Library.withLock {
            guard !closed else { return }
            closed = true
            let site = Site(path: path, object: "/")
            try site.check(H5Gclose(rootID), "H5Gclose(/)")
            try site.check(H5Fclose(id), "H5Fclose")
        }
    }

    /// Writes a new file at `url` (replacing any) with this file's content in a canonical layout:
    /// the root attributes in name order, then every member of the root group in name order,
    /// copied with `H5Ocopy` (chunks as stored, attributes and sub-groups included).
    ///
    /// Why: the same writes in one session give the same bytes, but a file closed and reopened
    /// half way (`--resume`), or filled in other batch sizes or another creation order, holds the
    /// same content at other offsets. The canonical copy's bytes depend on the content only (names,
    /// values, attribute order within each copied object, chunk shapes), so an interrupted and
    /// resumed run and an uninterrupted one end in identical files. Root attributes are rewritten
    /// as this module writes them (string, int64, float64); other types there are a `wrongType`.
    ///
    /// Chunks are copied as stored only if they are not in this file's chunk cache: H5Ocopy
    /// compresses a cached chunk again instead. Copy from a freshly opened file (as `extract` does).
    public func writeCanonicalCopy(to url: URL) throws {
        try HDF5Library.withLock {
            let site = Site(path: path, object: "/")
            try ensureOpen(site: site, forWriting: false)
            let copy = try HDF5File(url: url, mode: .create)
            let source = root
            for name in try source.attributeNames {
                try copy.root.setAttribute(name, try source.attribute(name))
            }
            for name in try source.childNames {
                try source.copy(name, into: copy.root)
            }
            try copy.close()
        }
    }

    /// Whether `close()` has not been called. Callers hold the module lock.
    var isOpen: Bool { !closed }

    /// Throws `fileClosed`, or `readOnly` for a write to a read-only file. Callers hold the lock.
    func ensureOpen(site: Site, forWriting: Bool) throws {
        if closed { throw HDF5Error.fileClosed(path: path) }
        if forWriting, mode == .readOnly { throw HDF5Error.readOnly(path: path, object: site.object) }
    }
}
