import Foundation
import HDF5
import TestSupport
import Testing

/// `HDF5ChunkWriter` against HDF5's own filters: the same rows appended either way must read back
/// the same through HDF5 (whose filters unshuffle and inflate what the writer stored: a wrong
/// shuffle or a broken stream shows as other values or a read error), compress about as well, and
/// the writer must store the same bytes every time (what `extract --resume` relies on).
struct ChunkWriterTests {
    /// One dataset of the comparison: its element type, row shape and chunk rows.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let rowShape: [Int]
        let chunkRows: Int
        let compression: HDF5Compression

        var description: String { "\(name) \(rowShape) chunk \(chunkRows) \(compression)" }
    }

    /// Chunks of a few KB, with rows left over for a partial last chunk.
    static let cases: [Case] = [
        Case(name: "float", rowShape: [3, 5], chunkRows: 100, compression: .default),
        Case(name: "float", rowShape: [7], chunkRows: 160, compression: .deflate(level: 9)),
        Case(name: "float", rowShape: [3, 5], chunkRows: 40, compression: .none),
        Case(name: "double", rowShape: [2], chunkRows: 250, compression: .deflate(level: 1)),
        Case(name: "int64", rowShape: [], chunkRows: 512, compression: .default),
        Case(name: "int32", rowShape: [], chunkRows: 640, compression: .default),
        // Random bytes do not compress: deflate's output is larger than the chunk, which HDF5 stores anyway.
        Case(name: "uint8", rowShape: [], chunkRows: 3000, compression: .default),
        // Text-like bytes: the case where deflate's levels store different bytes (floats rarely show it).
        Case(name: "text", rowShape: [], chunkRows: 3000, compression: .default),
        Case(name: "text", rowShape: [], chunkRows: 3000, compression: .deflate(level: 1)),
    ]

    /// Rows per batch, both ways: empty batches, batches within a chunk and across several.
    static let hdf5Batches = [30, 0, 1, 600, 1300, 200, 1269]
    static let directBatches = [0, 500, 555, 1700, 0, 1, 644]

    /// Seeded values with some structure (a slow wave plus noise), so deflate has work to do.
    static func values<T>(_ count: Int, _ make: (Double, inout SeededGenerator) -> T) -> [T] {
        var generator = SeededGenerator(seed: 11)
        return (0..<count).map { make(sin(Double($0) / 17) * 3, &generator) }
    }

    /// Writes `values` (`rows` rows of `rowShape`) into `dataset` of `file`, with HDF5's `append`
    /// or the chunk writer.
    static func write<T: HDF5Numeric>(_ values: [T], _ spec: Case, direct: Bool, into file: HDF5File) throws {
        let rowElements = spec.rowShape.reduce(1, *)
        let dataset = try file.root.createDataset(spec.name, of: T.self, shape: [0] + spec.rowShape,
                                                  chunk: [spec.chunkRows] + spec.rowShape, extendible: true,
                                                  compression: spec.compression)
        let writer = direct ? try HDF5ChunkWriter(dataset) : nil
        var row = 0
        for count in direct ? directBatches : hdf5Batches {
            let slice = Array(values[(row * rowElements)..<((row + count) * rowElements)])
            if let writer {
                try writer.append(slice, rowCount: count)
                try HDF5ChunkWriter.writeCompleteChunks(of: [writer])
            } else {
                try dataset.append(rows: slice, rowCount: count)
            }
            row += count
        }
        if let writer {
            writer.finish()
            try HDF5ChunkWriter.writeCompleteChunks(of: [writer])
        }
    }

    static func compare<T: HDF5Numeric & Equatable>(_ values: [T], _ spec: Case) throws {
        let folder = try Fixtures.temporaryDirectory("hdf5-chunks")
        defer { try? FileManager.default.removeItem(at: folder) }
        var canonical: [String: Data] = [:]
        for (name, direct) in [("hdf5", false), ("direct", true), ("direct again", true)] {
            let url = folder.appendingPathComponent("\(name).h5")
            let file = try HDF5File(url: url, mode: .create)
            try write(values, spec, direct: direct, into: file)
            try file.close()
            // The copy first: H5Ocopy compresses a chunk that sits in the chunk cache (after a read)
            // again with HDF5's filters instead of copying the stored bytes, which would hide a difference.
            let copy = folder.appendingPathComponent("\(name)-canonical.h5")
            try HDF5File(url: url, mode: .readOnly).writeCanonicalCopy(to: copy)
            canonical[name] = try Data(contentsOf: copy)
            let dataset = try HDF5File(url: url, mode: .readOnly).root.openDataset(spec.name)
            #expect(try dataset.shape == [hdf5Batches.reduce(0, +)] + spec.rowShape, "\(spec)")
            #expect(try dataset.read(as: T.self) == values, "\(spec) \(name)")
        }
        let (hdf5, direct) = (canonical["hdf5"]!.count, canonical["direct"]!.count)
        let same = canonical["direct"]! == canonical["direct again"]!  // a Bool: Testing would diff two Data byte by byte, for minutes
        #expect(same, "\(spec): the same rows stored different bytes")
        // Compressed as well as zlib does, within 3% (+ one 4 KB page): a chunk stored uncompressed
        // or unshuffled would be far larger for every compressible case.
        #expect(Double(direct) <= Double(hdf5) * 1.03 + 4096, "\(spec): \(direct) bytes vs HDF5's \(hdf5)")
    }

    @Test(arguments: cases)
    func directChunksReadBackAsHDF5Wrote(_ spec: Case) throws {
        let rows = Self.hdf5Batches.reduce(0, +)
        precondition(rows == Self.directBatches.reduce(0, +), "both ways write the same rows")
        let count = rows * spec.rowShape.reduce(1, *)
        switch spec.name {
        case "float": try Self.compare(Self.values(count) { wave, g in Float(wave + Double.random(in: -0.01...0.01, using: &g)) }, spec)
        case "double": try Self.compare(Self.values(count) { wave, g in wave + Double.random(in: -1e-9...1e-9, using: &g) }, spec)
        case "int64": try Self.compare(Self.values(count) { wave, g in Int64(wave * 1000) + Int64.random(in: -3...3, using: &g) }, spec)
        case "int32": try Self.compare(Self.values(count) { wave, g in Int32(wave * 1000) - Int32.random(in: 0...100, using: &g) }, spec)
        case "uint8": try Self.compare(Self.values(count) { _, g in UInt8.random(in: 0...255, using: &g) }, spec)
        default:
            // Words of 2–6 letters from a vocabulary of 30, separated by spaces.
            var generator = SeededGenerator(seed: 5)
            let words = (0..<30).map { _ in (0..<Int.random(in: 2...6, using: &generator)).map { _ in UInt8.random(in: 97...104, using: &generator) } }
            var text: [UInt8] = []
            while text.count < count { text += words.randomElement(using: &generator)! + [32] }
            try Self.compare(Array(text.prefix(count)), spec)
        }
    }

    /// Several writers flushed together (as `ActivationsWriter` does) land each in its own dataset.
    @Test func writersFlushedTogetherKeepTheirOwnRows() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5-chunks")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try HDF5File(url: folder.appendingPathComponent("together.h5"), mode: .create)
        let a = try HDF5ChunkWriter(file.root.createDataset("a", of: Float.self, shape: [0, 2], chunk: [3, 2], extendible: true))
        let b = try HDF5ChunkWriter(file.root.createDataset("b", of: Int64.self, shape: [0], chunk: [4], extendible: true))
        let empty = try HDF5ChunkWriter(file.root.createDataset("empty", of: UInt8.self, shape: [0], chunk: [4], extendible: true))
        for batch in 0..<5 {
            try a.append([Float(batch), -Float(batch), Float(batch) + 0.5, 1], rowCount: 2)
            try b.append([Int64(batch)], rowCount: 1)
            try HDF5ChunkWriter.writeCompleteChunks(of: [a, b, empty])
        }
        for writer in [a, b, empty] { writer.finish() }
        try HDF5ChunkWriter.writeCompleteChunks(of: [a, b, empty])
        #expect(try a.dataset.read(as: Float.self) == (0..<5).flatMap { [Float($0), -Float($0), Float($0) + 0.5, 1] })
        #expect(try b.dataset.read(as: Int64.self) == [0, 1, 2, 3, 4])
        #expect(try empty.dataset.shape == [0])
    }

    @Test func datasetsItCannotWriteAreRefused() throws {
        let folder = try Fixtures.temporaryDirectory("hdf5-chunks")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try HDF5File(url: folder.appendingPathComponent("refused.h5"), mode: .create)
        let root = file.root
        func refused(_ dataset: HDF5Dataset, _ reason: String) {
            #expect { try HDF5ChunkWriter(dataset) } throws: { "\($0)".contains(reason) && "\($0)".contains(dataset.path) }
        }
        refused(try root.writeDataset("filled", [Float(1), 2], shape: [2], chunk: [2], extendible: true), "must be empty")
        refused(try root.createDataset("fixed", of: Float.self, shape: [4], chunk: [2]), "must be empty")
        refused(try root.createDataset("fixed0", of: Float.self, shape: [0, 3], chunk: [2, 3]), "not chunked")
        refused(try root.createDataset("columns", of: Float.self, shape: [0, 4], chunk: [2, 2], extendible: true), "whole rows")
        refused(try root.createStringDataset("strings", count: 0, chunk: 4, extendible: true), "cannot write chunks")

        let writer = try HDF5ChunkWriter(root.createDataset("ok", of: Float.self, shape: [0, 2], chunk: [2, 2], extendible: true))
        #expect(throws: HDF5Error.wrongType(path: file.url.path, object: "/ok", expected: "float32", actual: "float64")) {
            try writer.append([1.0, 2.0], rowCount: 1)
        }
        #expect(throws: HDF5Error.wrongCount(path: file.url.path, object: "/ok", expected: 4, actual: 3)) {
            try writer.append([Float(1), 2, 3], rowCount: 2)
        }
        writer.finish()
        #expect { try writer.append([Float(1), 2], rowCount: 1) } throws: { "\($0)".contains("after finish()") }
    }
}
