import Foundation

/// The package's executables (`extract`, `compile`, `evaluate`, `codebook`), run as a user runs them.
///
/// `swift test` builds every product into the folder that holds the test bundle, so the binaries are
/// looked for beside it (then in `.build/debug`); `<NAME>_BINARY` (e.g. `EXTRACT_BINARY`) overrides,
/// e.g. for a release build.
public enum Commands {
    /// How a finished command ended.
    public struct Result: Sendable {
        public let status: Int32
        /// `.exit` for a normal exit; `.uncaughtSignal` for a trap or a kill (`status` is the signal then).
        public let reason: Process.TerminationReason
        public let stdout: String
        public let stderr: String

        /// Whether the command exited on its own (no trap, no signal) with `status`.
        public func exited(_ status: Int32) -> Bool { reason == .exit && self.status == status }

        /// stderr's lines, without the final newline's empty one.
        public var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0).map(String.init) }
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public let name: String
        public let searched: [String]
        public var description: String {
            "the \(name) executable is not built (looked in \(searched.joined(separator: ", "))); run `swift build --product \(name)`"
        }
    }

    /// The built executable `name`.
    public static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["\(name.uppercased())_BINARY"] { candidates.append(URL(fileURLWithPath: path)) }
        var folders = [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.deletingLastPathComponent() }
        folders += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        folders.append(Fixtures.repositoryRoot.appendingPathComponent(".build/debug"))
        candidates += folders.map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw NotBuilt(name: name, searched: candidates.map(\.path))
        }
        return found
    }

    /// Runs `name arguments…` to completion, `stdin` on its standard input (empty by default).
    public static func run(_ name: String, _ arguments: [String], stdin: String = "", in directory: URL? = nil) throws -> Result {
        let running = try start(name, arguments, stdin: stdin, in: directory)
        running.process.waitUntilExit()
        return try running.result()
    }

    /// Starts `name arguments…` and returns at once, for tests that signal the process.
    public static func start(_ name: String, _ arguments: [String], stdin: String = "", in directory: URL? = nil) throws -> Running {
        // Output goes to files, not pipes: a pipe nobody reads would block a chatty command.
        let folder = try Fixtures.temporaryDirectory("\(name)-output")
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        let input = folder.appendingPathComponent("stdin")
        try Data().write(to: out)
        try Data().write(to: err)
        try Data(stdin.utf8).write(to: input)
        let process = Process()
        process.executableURL = try executable(name)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Running(process: process, folder: folder)
    }

    /// A started command; `result()` waits for it, reads its output and removes the output files.
    public final class Running: @unchecked Sendable {
        public let process: Process
        let folder: URL

        init(process: Process, folder: URL) {
            self.process = process
            self.folder = folder
        }

        public func result() throws -> Result {
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: folder) }
            return Result(status: process.terminationStatus, reason: process.terminationReason,
                          stdout: String(decoding: try Data(contentsOf: folder.appendingPathComponent("stdout")), as: UTF8.self),
                          stderr: String(decoding: try Data(contentsOf: folder.appendingPathComponent("stderr")), as: UTF8.self))
        }
    }
}
