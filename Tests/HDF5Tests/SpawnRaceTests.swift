import Foundation
import HDF5
import TestSupport
import Testing

/// HDF5 locks the files it opens without `O_CLOEXEC`, so a process spawned on another thread holds
/// every open file's lock from its fork until it execs. Opening a file that was just written must not
/// fail for that (it did, in 62 of 400 opens here, and once in `ChunkWriterTests` while the CLI tests
/// spawned commands); a file that another program really holds locked must still be refused, with a
/// message that says so.
@Suite(.serialized)
struct SpawnRaceTests {
    /// Spawns and waits for `/bin/true` over and over on a thread of its own until stopped.
    final class Spawner: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private let finished = DispatchSemaphore(value: 0)

        init() {
            Thread {
                while !self.isStopped {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/true")
                    if (try? process.run()) != nil { process.waitUntilExit() }
                }
                self.finished.signal()
            }.start()
        }

        private var isStopped: Bool { lock.withLock { stopped } }

        func stop() {
            lock.withLock { stopped = true }
            finished.wait()
        }
    }

    @Test func aFileJustWrittenOpensWhileAnotherThreadSpawnsProcesses() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5-spawn")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spawner = Spawner()
        defer { spawner.stop() }
        var refused: [String] = []
        for i in 0..<400 {
            let url = folder.appendingPathComponent("file-\(i).h5")
            try Content.write(to: url)
            do {
                _ = try HDF5File(url: url, mode: .readOnly)
            } catch {
                refused.append("\(error)")
            }
        }
        #expect(refused.isEmpty, "\(refused.count) of 400 opens refused, the first: \(refused.first ?? "")")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "needs util-linux's flock"))
    func aFileAnotherProgramHoldsLockedIsRefusedAndSaysSo() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5-spawn")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("locked.h5")
        let ready = folder.appendingPathComponent("ready"), release = folder.appendingPathComponent("release")
        try Content.write(to: url)
        // flock(1) takes the exclusive lock HDF5 takes for writing, and holds it while its command runs:
        // until the test creates `release` (60 s at most).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", url.path, "sh", "-c",
                            "touch '\(ready.path)'; i=0; while [ ! -e '\(release.path)' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done"]
        try holder.run()
        defer {
            FileManager.default.createFile(atPath: release.path, contents: nil)
            holder.waitUntilExit()
        }
        for _ in 0..<3000 where !FileManager.default.fileExists(atPath: ready.path) { Thread.sleep(forTimeInterval: 0.01) }
        try #require(FileManager.default.fileExists(atPath: ready.path), "flock did not take the lock within 30 s")

        let error = #expect(throws: HDF5Error.self) { try HDF5File(url: url, mode: .readOnly) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("it is locked, open for writing elsewhere"), "\(message)")
        #expect(message.contains(url.path), "\(message)")
    }
}
