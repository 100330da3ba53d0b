import Foundation
import HDF5
import TestSupport
import Testing

/// Writing: deterministic bytes, the committed h5py-checked file, batches, resume.
struct WritingTests {
    static let swiftFixture = Fixtures.url("hdf5/swift-written.h5")
    static let canonicalFixture = Fixtures.url("hdf5/swift-written-canonical.h5")
    /// The HDF5 release that wrote the committed swift-written.h5 (Debian bookworm's libhdf5-dev).
    /// Another release may place the same objects at other offsets, so the byte comparison only
    /// runs with this one; every other test runs everywhere.
    static let fixtureLibraryVersion = "1.10.8"

    @Test func sameWritesGiveIdenticalBytes() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first.h5")
        let second = folder.appendingPathComponent("second.h5")
        try Content.write(to: first)
        // HDF5 stamps times with one-second resolution: wait past the next second so a recorded
        // time would show up as a byte difference.
        Thread.sleep(forTimeInterval: 1.1)
        try Content.write(to: second)
        let firstBytes = try Data(contentsOf: first)
        #expect(firstBytes == (try Data(contentsOf: second)))
        #expect(firstBytes.count < 200_000)
    }

    @Test(.enabled(if: HDF5File.libraryVersion == WritingTests.fixtureLibraryVersion,
                   "the committed file was written by HDF5 \(WritingTests.fixtureLibraryVersion)"))
    func writerOutputMatchesCommittedFixture() throws {
        // The committed file is the one scripts/fixtures/make_hdf5.py opened in h5py and checked
        // object by object; matching it byte for byte carries that check over to this build.
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = folder.appendingPathComponent("swift-written.h5")
        let canonical = folder.appendingPathComponent("swift-written-canonical.h5")
        try Content.write(to: written)
        try HDF5File(url: written, mode: .readOnly).writeCanonicalCopy(to: canonical)
        if ProcessInfo.processInfo.environment["REGENERATE_HDF5_FIXTURE"] == "1" {
            for (made, fixture) in [(written, Self.swiftFixture), (canonical, Self.canonicalFixture)] {
                if FileManager.default.fileExists(atPath: fixture.path) { try FileManager.default.removeItem(at: fixture) }
                try FileManager.default.copyItem(at: made, to: fixture)
            }
        }
        #expect(try Data(contentsOf: written) == Data(contentsOf: Self.swiftFixture))
        #expect(try Data(contentsOf: canonical) == Data(contentsOf: Self.canonicalFixture))
    }

    @Test func ourFileReadsBackAsWritten() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ours.h5")
        try Content.write(to: url)
        try Content.expectFileMatches(url)
        let file = try HDF5File(url: url, mode: .readOnly)
        for (path, names) in Content.shared.listing where !path.hasPrefix("/h5py_only") {
            let group = path == "/" ? file.root : try file.root.openGroup(String(path.dropFirst()))
            #expect(try group.childNames == names.filter { $0 != "h5py_only" }, "\(path)")
        }
    }

    // MARK: Batches and resume

    /// Writes the content the way extract does: all datasets created first (extendible ones
    /// empty), then batch after batch appended to every dataset. With `resumeBefore`, the file
    /// is closed before that batch and reopened `.readWrite` to go on, as `--resume` does.
    /// With `oneRowAtATime`, every extendible dataset grows one row per append instead.
    static func writeInterleaved(to url: URL, resumeBefore: Int? = nil, oneRowAtATime: Bool = false) throws {
        let content = Content.shared
        var file = try HDF5File(url: url, mode: .create)
        for group in content.groups { try file.root.createGroup(String(group.dropFirst())) }
        for path in content.attributes.keys.sorted() {
            let group = path == "/" ? file.root : try file.root.openGroup(String(path.dropFirst()))
            for (name, attribute) in content.attributes[path, default: [:]].sorted(by: { $0.key < $1.key }) {
                try group.setAttribute(name, attribute.value)
            }
        }
        for spec in content.datasets {
            let initialShape = spec.extendible ? [0] + spec.shape.dropFirst() : spec.shape
            if spec.dtype == "string" {
                try file.root.createStringDataset(spec.relativePath, count: initialShape[0], chunk: spec.chunk[0],
                                                  extendible: spec.extendible)
            } else {
                _ = try Content.createNumeric(spec, in: file.root, shape: initialShape)
            }
        }
        let batchCount = content.datasets.map(\.batches.count).max() ?? 0
        for batch in 0..<batchCount {
            if batch == resumeBefore {
                try file.close()
                file = try HDF5File(url: url, mode: .readWrite)
            }
            for spec in content.datasets where batch < spec.batches.count {
                let dataset = try file.root.openDataset(spec.relativePath)
                guard spec.extendible else {
                    try Content.writeWhole(spec, to: dataset)
                    continue
                }
                let start = spec.batches.prefix(batch).reduce(0, +)
                // The rows already there are exactly those of the earlier batches (resume reads this).
                #expect(try dataset.rowCount == start)
                let rows = start..<(start + spec.batches[batch])
                if oneRowAtATime {
                    for row in rows { try Content.append(spec, rows: row..<(row + 1), to: dataset) }
                } else {
                    try Content.append(spec, rows: rows, to: dataset)
                }
            }
        }
        try file.close()
    }

    @Test func batchesOneRowAtATimeAndResumedRunsHoldTheSameContent() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let variants: [(name: String, resumeBefore: Int?, oneRowAtATime: Bool)] = [
            ("uninterrupted", nil, false), ("resumed-after-1", 1, false), ("resumed-after-2", 2, false),
            ("one-row-at-a-time", nil, true),
        ]
        var canonicalBytes: [String: Data] = [:]
        for variant in variants {
            let url = folder.appendingPathComponent("\(variant.name).h5")
            try Self.writeInterleaved(to: url, resumeBefore: variant.resumeBefore, oneRowAtATime: variant.oneRowAtATime)
            try Content.expectFileMatches(url)
            let canonical = folder.appendingPathComponent("\(variant.name)-canonical.h5")
            try HDF5File(url: url, mode: .readOnly).writeCanonicalCopy(to: canonical)
            try Content.expectFileMatches(canonical)
            canonicalBytes[variant.name] = try Data(contentsOf: canonical)
        }
        // The direct outputs differ in layout (measured: a resumed file is ~5% larger); the
        // canonical copies must not differ at all, whatever the history. Content.write (one
        // dataset after the other, in the content's batches) ends there too.
        let oneAfterTheOther = folder.appendingPathComponent("one-after-the-other.h5")
        try Content.write(to: oneAfterTheOther)
        let canonical = folder.appendingPathComponent("one-after-the-other-canonical.h5")
        try HDF5File(url: oneAfterTheOther, mode: .readOnly).writeCanonicalCopy(to: canonical)
        let reference = try Data(contentsOf: canonical)
        for (name, bytes) in canonicalBytes { #expect(bytes == reference, "\(name)") }
    }

    @Test func appendingInBatchesEqualsOneWrite() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try HDF5File(url: folder.appendingPathComponent("batches.h5"), mode: .create)
        let values = (0..<(10 * 3 * 4)).map { Float($0) * 0.5 - 7 }  // [10, 3, 4]
        let once = try file.root.writeDataset("once", values, shape: [10, 3, 4], chunk: [4, 3, 4])
        let batched = try file.root.createDataset("batched", of: Float.self, shape: [0, 3, 4], chunk: [4, 3, 4], extendible: true)
        var row = 0
        for count in [3, 0, 1, 6] {
            try batched.append(rows: Array(values[(row * 12)..<((row + count) * 12)]), rowCount: count)
            row += count
        }
        #expect(try batched.shape == [10, 3, 4])
        #expect(try batched.maxShape == [nil, 3, 4])
        #expect(try once.maxShape == [10, 3, 4])
        #expect(try batched.read(as: Float.self) == once.read(as: Float.self))
        #expect(try batched.read(as: Float.self) == values)

        // Overwriting rows in place, shrinking and growing back (new rows read as zeros).
        try batched.writeRows(Array(repeating: Float(1), count: 24), rowCount: 2, startingAt: 8)
        #expect(try batched.readRows(7..<10, as: Float.self) == Array(values[84..<96]) + Array(repeating: 1, count: 24))
        try batched.resize(to: [8, 3, 4])
        try batched.resize(to: [9, 3, 4])
        #expect(try batched.readRows(8..<9, as: Float.self) == Array(repeating: 0, count: 12))

        let ids = try file.root.createStringDataset("ids", count: 0, chunk: 2, extendible: true)
        try ids.appendStrings(["a", "β"])
        try ids.appendStrings([])
        try ids.appendStrings(["", "🙂 d"])
        #expect(try ids.readStrings() == ["a", "β", "", "🙂 d"])
        try ids.resize(to: [5])
        #expect(try ids.readStrings(4..<5) == [""])  // never written: HDF5's NULL fill reads as ""
    }

    @Test func reopenedReadWriteFileKeepsItsObjectsAndAcceptsMore() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("resume.h5")
        do {
            let file = try HDF5File(url: url, mode: .create)
            try file.root.setAttribute("format_version", 1)
            try file.root.setAttribute("format_version", "replaced by a string")
            let group = try file.root.createGroup("conditions")
            try group.createGroup("benign")
            let hidden = try group.createDataset("benign/hidden_last", of: Double.self, shape: [0, 2], chunk: [4, 2], extendible: true)
            try hidden.append(rows: [1, 2, 3, 4], rowCount: 2)
            try file.flush()
            try file.close()
            #expect(throws: HDF5Error.fileClosed(path: url.path)) { try hidden.rowCount }
            try file.close()  // closing twice is allowed
        }
        let file = try HDF5File(url: url, mode: .readWrite)
        #expect(try file.root.stringAttribute("format_version") == "replaced by a string")
        let hidden = try file.root.openDataset("conditions/benign/hidden_last")
        #expect(try hidden.rowCount == 2)
        try hidden.append(rows: [5, 6], rowCount: 1)
        #expect(try hidden.read(as: Double.self) == [1, 2, 3, 4, 5, 6])
        try file.root.openGroup("conditions").createGroup("jailbreak")
        #expect(try file.root.openGroup("conditions").childNames == ["benign", "jailbreak"])
        #expect(try file.root.kind(of: "conditions/benign/hidden_last") == .dataset)
        #expect(try !file.root.contains("conditions/benign/hidden_last/below a dataset"))
        #expect(try !file.root.contains("missing/deeper"))
    }
}

/// The module lock makes shared files safe to use from several tasks at once (HDF5 itself is
/// serial; this is about not corrupting its state, not about speed).
struct ConcurrencyTests {
    @Test func concurrentAppendsToOneFileLandInTheirOwnDatasets() async throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try HDF5File(url: folder.appendingPathComponent("shared.h5"), mode: .create)
        let writers = 6, batches = 20
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let dataset = try file.root.createDataset("writer\(writer)", of: Int32.self, shape: [0, 3],
                                                              chunk: [8, 3], extendible: true)
                    for batch in 0..<batches {
                        let value = Int32(writer * 1000 + batch)
                        let rows = [Int32](repeating: value, count: 6)  // [2, 3]
                        try dataset.append(rows: rows, rowCount: 2)
                        let readBack = try dataset.readRows((batch * 2)..<(batch * 2 + 2), as: Int32.self)
                        #expect(readBack == rows)
                    }
                }
            }
            try await group.waitForAll()
        }
        for writer in 0..<writers {
            let values = try file.root.openDataset("writer\(writer)").read(as: Int32.self)  // [40, 3]
            let expected: [Int32] = (0..<batches).flatMap { batch in
                [Int32](repeating: Int32(writer * 1000 + batch), count: 6)
            }
            #expect(values == expected)
        }
        #expect(try file.root.childNames == (0..<writers).map { "writer\($0)" })
    }
}
