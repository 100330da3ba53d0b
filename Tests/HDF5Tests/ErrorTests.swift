import Foundation
import HDF5
import TestSupport
import Testing

/// Bad files and bad requests end in typed errors that name the file and the object, never in a
/// crash, and HDF5 prints nothing.
struct ErrorTests {
    static let h5pyFile = Fixtures.url("hdf5/h5py-written.h5")

    /// A copy of the h5py fixture cut to `length` bytes, or with bytes replaced.
    static func damagedCopy(in folder: URL, name: String, _ damage: (inout Data) -> Void) throws -> URL {
        var bytes = try Data(contentsOf: h5pyFile)
        damage(&bytes)
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    @Test func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent-folder/activations.h5")
        #expect(throws: HDF5Error.fileNotFound(path: url.path)) { try HDF5File(url: url, mode: .readOnly) }
        #expect(throws: HDF5Error.fileNotFound(path: url.path)) { try HDF5File(url: url, mode: .readWrite) }
        let error = #expect(throws: HDF5Error.self) { try HDF5File(url: url, mode: .create) }
        guard case .cannotCreate(let path, let reason)? = error else {
            Issue.record("expected cannotCreate, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(!reason.isEmpty)
    }

    @Test func notAnHDF5File() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.h5")
        try Data("this is not HDF5\n".utf8).write(to: text)
        #expect(throws: HDF5Error.notHDF5(path: text.path)) { try HDF5File(url: text, mode: .readOnly) }
        let empty = folder.appendingPathComponent("empty.h5")
        try Data().write(to: empty)
        #expect(throws: HDF5Error.notHDF5(path: empty.path)) { try HDF5File(url: empty, mode: .readWrite) }
    }

    @Test(arguments: [0.5, 0.9, 0.999])
    func truncatedFile(keptFraction: Double) throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.damagedCopy(in: folder, name: "truncated.h5") { bytes in
            bytes = bytes.prefix(Int(Double(bytes.count) * keptFraction))
        }
        let error = #expect(throws: HDF5Error.self) { try HDF5File(url: url, mode: .readOnly) }
        guard case .cannotOpen(let path, let reason)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        // HDF5 compares the end of file with the end it recorded in the superblock.
        #expect(reason.contains("truncated file"), "\(reason)")
    }

    @Test func corruptChunkIsALibraryErrorNamingTheDataset() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let chunk = Content.shared.h5py_only.corrupt_chunk
        let url = try Self.damagedCopy(in: folder, name: "corrupt.h5") { bytes in
            bytes.replaceSubrange(chunk.offset..<(chunk.offset + chunk.size), with: Data(repeating: 0xA5, count: chunk.size))
        }
        let file = try HDF5File(url: url, mode: .readOnly)
        let dataset = try file.root.openDataset(String(chunk.path.dropFirst()))
        let error = #expect(throws: HDF5Error.self) { try dataset.read(as: Double.self) }
        guard case .library(let call, let path, let object, let detail)? = error else {
            Issue.record("expected a library error, got \(String(describing: error))")
            return
        }
        #expect(call == "H5Dread" && path == url.path && object == chunk.path)
        #expect(detail.contains("filter"), "\(detail)")  // the deflate filter rejects the bytes
    }

    @Test func missingObjects() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let path = Self.h5pyFile.path
        #expect(throws: HDF5Error.notFound(path: path, object: "/conditions/benign/hidden_mean")) {
            try file.root.openDataset("conditions/benign/hidden_mean")
        }
        #expect(throws: HDF5Error.notFound(path: path, object: "/conditions/harmful")) {
            try file.root.openGroup("conditions/harmful")
        }
        let conditions = try file.root.openGroup("conditions")
        #expect(throws: HDF5Error.notFound(path: path, object: "/conditions/missing/ids")) {
            try conditions.openDataset("missing/ids")
        }
        #expect(throws: HDF5Error.notFound(path: path, object: "/ [attribute \"model_sha256\"]")) {
            try file.root.stringAttribute("model_sha256")
        }
        #expect(throws: HDF5Error.wrongKind(path: path, object: "/conditions/benign/ids", expected: "group", actual: "dataset")) {
            try file.root.openGroup("conditions/benign/ids")
        }
        #expect(throws: HDF5Error.wrongKind(path: path, object: "/conditions", expected: "dataset", actual: "group")) {
            try file.root.openDataset("conditions")
        }
        #expect(throws: HDF5Error.invalidArgument(path: path, object: "//conditions",
                                                  reason: "absolute names are not accepted; use a path relative to /")) {
            try file.root.openGroup("/conditions")
        }
    }

    @Test func wrongTypes() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let path = Self.h5pyFile.path
        let perturbations = try file.root.openDataset("conditions/benign/token_perturbations")
        #expect(throws: HDF5Error.wrongType(path: path, object: perturbations.path, expected: "int32", actual: "float32")) {
            try perturbations.read(as: Int32.self)
        }
        #expect(throws: HDF5Error.wrongType(path: path, object: perturbations.path, expected: "float64", actual: "float32")) {
            try perturbations.readRows(0..<1, as: Double.self)
        }
        #expect(throws: HDF5Error.wrongType(path: path, object: perturbations.path, expected: "strings", actual: "float32")) {
            try perturbations.readStrings()
        }
        let int16 = try file.root.openDataset("h5py_only/int16")
        #expect(throws: HDF5Error.wrongType(path: path, object: "/h5py_only/int16", expected: "int32", actual: "16-bit signed integer")) {
            try int16.read(as: Int32.self)
        }
        #expect(throws: HDF5Error.wrongType(path: path, object: "/ [attribute \"format_version\"]", expected: "string", actual: "integer")) {
            try file.root.stringAttribute("format_version")
        }
        #expect(throws: HDF5Error.wrongType(path: path, object: "/ [attribute \"format_version\"]", expected: "float", actual: "integer")) {
            try file.root.doubleAttribute("format_version")
        }
    }

    @Test func wrongShapesAndCounts() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let path = Self.h5pyFile.path
        let perturbations = try file.root.openDataset("conditions/benign/token_perturbations")
        #expect(throws: HDF5Error.wrongShape(path: path, object: perturbations.path, expected: [nil, 3, 64], actual: [16, 3, 4])) {
            try perturbations.requireShape([nil, 3, 64])
        }
        #expect(throws: HDF5Error.wrongShape(path: path, object: perturbations.path, expected: [nil, 12], actual: [16, 3, 4])) {
            try perturbations.requireShape([nil, 12])
        }
        #expect(throws: HDF5Error.rowsOutOfRange(path: path, object: perturbations.path, rows: 10..<17, rowCount: 16)) {
            try perturbations.readRows(10..<17, as: Float.self)
        }
        #expect(throws: HDF5Error.wrongShape(path: path, object: "/h5py_only [attribute \"array\"]", expected: [], actual: [3])) {
            try file.root.openGroup("h5py_only").attribute("array")
        }

        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try HDF5File(url: folder.appendingPathComponent("shapes.h5"), mode: .create)
        let writtenPath = written.url.path
        let fixed = try written.root.createDataset("fixed", of: Float.self, shape: [2, 3], chunk: [2, 3])
        #expect(throws: HDF5Error.wrongCount(path: writtenPath, object: "/fixed", expected: 6, actual: 5)) {
            try fixed.write([Float](repeating: 0, count: 5))
        }
        #expect(throws: HDF5Error.invalidArgument(path: writtenPath, object: "/fixed",
                                                  reason: "the dataset is not extendible (created with extendible: false)")) {
            try fixed.append(rows: [Float](repeating: 0, count: 3), rowCount: 1)
        }
        let growing = try written.root.createDataset("growing", of: Float.self, shape: [0, 3], chunk: [4, 3], extendible: true)
        #expect(throws: HDF5Error.wrongCount(path: writtenPath, object: "/growing", expected: 6, actual: 5)) {
            try growing.append(rows: [Float](repeating: 0, count: 5), rowCount: 2)
        }
        #expect(throws: HDF5Error.invalidArgument(path: writtenPath, object: "/growing", reason: "cannot append -1 rows to 0")) {
            try growing.append(rows: [Float](), rowCount: -1)
        }
        #expect(throws: HDF5Error.invalidArgument(path: writtenPath, object: "/fixed", reason: "cannot write -2 rows starting at row 1")) {
            try fixed.writeRows([Float](), rowCount: -2, startingAt: 1)
        }
        #expect(throws: HDF5Error.rowsOutOfRange(path: writtenPath, object: "/fixed", rows: 1..<3, rowCount: 2)) {
            try fixed.writeRows([Float](repeating: 0, count: 6), rowCount: 2, startingAt: 1)
        }
        #expect(try growing.shape == [0, 3])  // a rejected append leaves the extent alone
        #expect(throws: HDF5Error.wrongType(path: writtenPath, object: "/growing", expected: "float64", actual: "float32")) {
            try growing.append(rows: [Double](repeating: 0, count: 3), rowCount: 1)
        }
        #expect(throws: HDF5Error.invalidArgument(path: writtenPath, object: "/bad", reason: "chunk [4] has 1 dimensions, shape [2, 3] has 2")) {
            try written.root.createDataset("bad", of: Float.self, shape: [2, 3], chunk: [4])
        }
        #expect(throws: HDF5Error.alreadyExists(path: writtenPath, object: "/fixed")) {
            try written.root.createDataset("fixed", of: Float.self, shape: [1], chunk: [1])
        }
        #expect(throws: HDF5Error.notFound(path: writtenPath, object: "/no/such")) {
            try written.root.createGroup("no/such/group")
        }
        let strings = try written.root.createStringDataset("strings", count: 0, chunk: 4, extendible: true)
        #expect(throws: HDF5Error.invalidArgument(path: writtenPath, object: "/strings", reason: "string 1 contains a NUL character")) {
            try strings.appendStrings(["fine", "nul\u{0}inside"])
        }
        #expect(try strings.shape == [0])
    }

    @Test func writingToAReadOnlyFile() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let path = Self.h5pyFile.path
        #expect(throws: HDF5Error.readOnly(path: path, object: "/new")) { try file.root.createGroup("new") }
        #expect(throws: HDF5Error.readOnly(path: path, object: "/ [attribute \"format\"]")) {
            try file.root.setAttribute("format", "changed")
        }
        let ids = try file.root.openDataset("conditions/benign/ids")
        #expect(throws: HDF5Error.readOnly(path: path, object: ids.path)) { try ids.appendStrings(["x"]) }
    }

    /// Every failure above once more, with file descriptor 2 redirected: HDF5's automatic error
    /// printing (its "HDF5-DIAG" reports) must stay off on every thread that calls in.
    @Test func theLibraryPrintsNothing() async throws {
        let folder = try Fixtures.temporaryDirectory("hdf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let capture = folder.appendingPathComponent("stderr.txt")
        let corrupt = try Self.damagedCopy(in: folder, name: "corrupt.h5") { bytes in
            let chunk = Content.shared.h5py_only.corrupt_chunk
            bytes.replaceSubrange(chunk.offset..<(chunk.offset + chunk.size), with: Data(repeating: 0xA5, count: chunk.size))
        }
        let truncated = try Self.damagedCopy(in: folder, name: "truncated.h5") { $0 = $0.prefix($0.count / 2) }
        let saved = dup(2)
        let sink = open(capture.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(saved >= 0 && sink >= 0)
        dup2(sink, 2)
        // On a fresh thread, where HDF5's per-thread error settings start at their default.
        let failures = await Task.detached { () -> Int in
            var failures = 0
            func fail(_ body: () throws -> Void) { do { try body() } catch { failures += 1 } }
            fail { _ = try HDF5File(url: truncated, mode: .readOnly) }
            fail { _ = try HDF5File(url: URL(fileURLWithPath: "/nonexistent-folder/x.h5"), mode: .create) }
            fail {
                let file = try HDF5File(url: corrupt, mode: .readOnly)
                _ = try file.root.openDataset(String(Content.shared.h5py_only.corrupt_chunk.path.dropFirst())).read(as: Double.self)
            }
            fail { _ = try HDF5File(url: Self.h5pyFile, mode: .readOnly).root.openGroup("h5py_only").attribute("array") }
            return failures
        }.value
        fflush(nil)  // all C streams (stderr is unbuffered anyway)
        dup2(saved, 2)
        close(saved)
        close(sink)
        #expect(failures == 4)
        let printed = try String(contentsOf: capture, encoding: .utf8)
        // Other tests of the process may write to stderr meanwhile; HDF5's reports are recognisable.
        #expect(!printed.contains("HDF5-DIAG"), "\(printed)")
    }
}
