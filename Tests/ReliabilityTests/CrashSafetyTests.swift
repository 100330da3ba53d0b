import CodebookRuntime
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at chosen moments (SPEC §5, §10): `extract` never leaves a file at --out that is not a
/// complete one (the previous file or the finished new one) and `--resume` then ends in the bytes of
/// an uninterrupted run; `compile` leaves the previous artifacts or the new ones, or no config.json
/// (so that loading refuses), never a mix that loads.
@Suite(.serialized) struct CrashSafetyTests {
    /// When to kill a running command.
    enum Trigger: CustomStringConvertible {
        /// After this many seconds.
        case after(Double)
        /// As soon as `condition` holds (polled every 50 µs), then after `delay` seconds.
        case when(String, delay: Double = 0, _ condition: () -> Bool)

        var description: String {
            switch self {
            case let .after(seconds): return "after \(Int(seconds * 1000)) ms"
            case let .when(label, delay, _): return "when \(label)" + (delay > 0 ? " + \(Int(delay * 1_000_000)) µs" : "")
            }
        }
    }

    /// What became of a command run under a trigger.
    enum Outcome { case killed, finished(Commands.Result) }

    /// Runs the command and kills it with SIGKILL at `trigger`; a command that ends first is returned as finished.
    static func run(_ command: String, _ arguments: [String], killing trigger: Trigger) throws -> Outcome {
        let running = try Commands.start(command, arguments)
        let process = running.process
        let start = Date()
        func waitFor(_ condition: () -> Bool) -> Bool {
            while process.isRunning {
                if condition() { return true }
                // Give up after a minute: the run must have hung (the caller's expectations then fail).
                if Date().timeIntervalSince(start) > 60 { return false }
                // 50 µs: fine enough to land inside compile's write of its four files, and leaves the
                // command a core on a 2-core machine.
                usleep(50)
            }
            return false
        }
        let fire: Bool
        switch trigger {
        case let .after(seconds):
            fire = waitFor { Date().timeIntervalSince(start) >= seconds }
        case let .when(_, delay, condition):
            fire = waitFor(condition)
            if fire && delay > 0 { usleep(UInt32(delay * 1_000_000)) }
        }
        if fire && process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let result = try running.result()
        if result.reason == .uncaughtSignal && result.status == SIGKILL { return .killed }
        return .finished(result)
    }

    // MARK: - extract

    /// Two conditions of 100 short prompts: 8 batches of 32, about a second of work in a debug build.
    static func catalog(_ scratch: Scratch) throws -> URL {
        let catalog = try scratch.folder("catalog")
        try Data(#"{"format_version": 1, "contrasts": [{"name": "ask_vs_tell", "positive": "ask", "negative": "tell"}]}"#.utf8)
            .write(to: catalog.appendingPathComponent("catalog.json"))
        for condition in ["ask", "tell"] {
            let lines = (0..<100).map { i in
                let text = condition == "ask" ? "Could you tell me item \(i) of the list?" : "Item \(i) is on the list."
                return #"{"id": "\#(condition)-\#(i)", "text": "\#(text)", "split": "\#(i % 4 == 3 ? "heldout" : "train")"}"#
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: catalog.appendingPathComponent("\(condition).jsonl"))
        }
        return catalog
    }

    static func partCount(_ out: URL) -> Int {
        let parts = out.deletingLastPathComponent().appendingPathComponent(out.lastPathComponent + ".parts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parts.path)) ?? []  // no folder yet: no part
        return names.filter { $0.hasSuffix(".safetensors") && !$0.hasPrefix(".") }.count
    }

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    @Test func extractKilledAtAnyMomentResumesToTheSameFile() throws {
        let scratch = try Scratch("crash-extract")
        let catalog = try Self.catalog(scratch)
        let model = Fixtures.url("models/tiny-llama").path
        func arguments(_ out: URL, resume: Bool) -> [String] {
            ["--model", model, "--catalog", catalog.path, "--out", out.path, "--max-tokens", "16"] + (resume ? ["--resume"] : [])
        }

        // The uninterrupted run the others must reproduce byte for byte.
        let referenceURL = try scratch.folder("reference").appendingPathComponent("a.h5")
        let started = Date()
        let uninterrupted = try Commands.run("extract", arguments(referenceURL, resume: false))
        let duration = Date().timeIntervalSince(started)
        try #require(uninterrupted.exited(0), "\(uninterrupted.stderr)")
        let reference = try Data(contentsOf: referenceURL)

        for previous in [nil, try Data(contentsOf: Fixtures.url("compile/activations.h5"))] {
            let folder = try scratch.folder(previous == nil ? "fresh" : "replacing")
            let out = folder.appendingPathComponent("a.h5")
            if let previous { try previous.write(to: out) }
            // The HDF5 file is written in the parts folder while the batches are computed, then copied
            // (canonical.h5) and renamed over --out.
            let parts = folder.appendingPathComponent("a.h5.parts")
            let assembling = parts.appendingPathComponent("assembling.h5"), canonical = parts.appendingPathComponent("canonical.h5")
            let triggers: [Trigger] = [
                .after(0.05), .after(0.15), .after(0.3),
                .when("2 parts are written") { Self.partCount(out) >= 2 },
                .when("5 parts are written") { Self.partCount(out) >= 5 },
                .when("the HDF5 file is begun") { Self.exists(assembling) },
                .when("the last part is written") { Self.partCount(out) >= 8 },
                .when("the canonical copy is being written") { Self.exists(canonical) },
                .when("the HDF5 file is begun", delay: 0.03) { Self.exists(assembling) },
            ]
            var killed: [String] = [], finished: [String] = []
            for (k, trigger) in triggers.enumerated() {
                let outcome = try Self.run("extract", arguments(out, resume: k > 0), killing: trigger)
                switch outcome {
                case .killed:
                    killed.append(trigger.description)
                case let .finished(result):
                    // The run beat the trigger (a slow machine, or nothing left to do): it must have succeeded.
                    #expect(result.exited(0), "\(trigger): \(result.stderr)")
                    finished.append(trigger.description)
                }
                // Whatever the moment: no file, the previous one, or the complete new one.
                if Self.exists(out) {
                    let bytes = try Data(contentsOf: out)
                    #expect(bytes == previous || bytes == reference, "\(trigger): --out holds \(bytes.count) bytes that are neither the previous file nor the finished one")
                } else {
                    #expect(previous == nil, "\(trigger): the previous file is gone")
                }
                if case .finished = outcome { if let previous { try previous.write(to: out) } else { try FileManager.default.removeItem(at: out) } }
            }
            print("extract \(previous == nil ? "into a fresh folder" : "over a previous file") (a run takes \(String(format: "%.2f", duration)) s): killed \(killed); finished first \(finished)")
            // At least the early kills land while the run is going (a second of work, killed before 300 ms).
            #expect(killed.count >= 3, "killed \(killed), finished \(finished); an uninterrupted run takes \(duration) s")

            let resumed = try Commands.run("extract", arguments(out, resume: true))
            #expect(resumed.exited(0), "\(resumed.stderr)")
            #expect(try Data(contentsOf: out) == reference, "the resumed file differs from the uninterrupted run's")
            // Nothing else is left: no parts, no half-assembled file.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.h5"])
        }
    }

    // MARK: - compile

    static let artifactNames = ["basis.safetensors", "regions.safetensors", "splines.json", "config.json"]

    static func artifacts(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in artifactNames where exists(directory.appendingPathComponent(name)) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    @Test func compileKilledAtAnyMomentLeavesOldArtifactsOrNone() throws {
        let scratch = try Scratch("crash-compile")
        let activations = Fixtures.url("compile/activations.h5").path
        // Old artifacts (layer 1) and what the run writes over them (auto, layer 2): every file differs.
        let oldURL = try scratch.folder("old"), newURL = try scratch.folder("new")
        let started = Date()
        let new = try Commands.run("compile", ["--activations", activations, "--out", newURL.path])
        let duration = Date().timeIntervalSince(started)
        try #require(new.exited(0), "\(new.stderr)")
        try #require(try Commands.run("compile", ["--activations", activations, "--out", oldURL.path, "--layer", "1"]).exited(0))
        let old = try Self.artifacts(oldURL), fresh = try Self.artifacts(newURL)
        for name in Self.artifactNames { try #require(old[name] != nil && old[name] != fresh[name], "\(name) must differ between the two runs") }

        let out = scratch.file("artifacts")
        let config = out.appendingPathComponent("config.json")
        var generator = SeededGenerator(seed: 7)
        // Random moments over the run, and the moment the writer takes config.json away (plus a little).
        var triggers: [Trigger] = (0..<10).map { _ in .after(Double.random(in: 0...(duration * 1.2), using: &generator)) }
        for delay in [0, 0, 0, 0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.0007, 0.001, 0.0015, 0.002, 0.003] {
            triggers.append(.when("config.json is removed", delay: delay) { !Self.exists(config) })
        }
        var states: [String: Int] = [:]
        for trigger in triggers {
            // Start from the old artifacts each time; whatever else a kill left stays, for the final run to clear.
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            for name in Self.artifactNames {
                let file = out.appendingPathComponent(name)
                if Self.exists(file) { try FileManager.default.removeItem(at: file) }
                try FileManager.default.copyItem(at: oldURL.appendingPathComponent(name), to: file)
            }
            let outcome = try Self.run("compile", ["--activations", activations, "--out", out.path], killing: trigger)
            if case let .finished(result) = outcome { #expect(result.exited(0), "\(trigger): \(result.stderr)") }
            let files = try Self.artifacts(out)
            if files["config.json"] != nil {
                // A config.json is there: the folder must load, and be one run's artifacts entirely.
                #expect(throws: Never.self, "\(trigger)") { try Codebook.load(out) }
                let whole = files == old || files == fresh
                #expect(whole, "\(trigger): a config.json beside files of another run")
                states[files == old ? "old" : files == fresh ? "new" : "mixed", default: 0] += 1
            } else {
                #expect(throws: (any Error).self, "\(trigger): artifacts without config.json must not load") { try Codebook.load(out) }
                states["no config.json", default: 0] += 1
            }
        }
        // The outcomes, for the record (which ones occur depends on the machine's speed).
        print("compile killed at \(triggers.count) moments (a run takes \(String(format: "%.3f", duration)) s): \(states)")

        // A run to the end over whatever a kill left gives the new artifacts exactly.
        let finished = try Commands.run("compile", ["--activations", activations, "--out", out.path])
        #expect(finished.exited(0), "\(finished.stderr)")
        #expect(try Self.artifacts(out) == fresh)
        // And nothing else: the kills may have left half-written temporary files, a finished run must not keep them.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == Self.artifactNames.sorted())
    }
}
