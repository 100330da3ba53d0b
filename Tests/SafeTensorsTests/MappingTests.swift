import Foundation
@testable import SafeTensors
import TestSupport
import Testing

/// Opening a large file reads its header, not its weights: the file is mapped, and only the pages
/// of the tensors read become resident. Measured on the mapping itself (its `Rss` in
/// /proc/self/smaps), so allocations of tests running in parallel do not disturb it.
struct MappingTests {
    /// Resident bytes of the mapping of `path` in this process, or nil when it is not mapped.
    static func residentBytes(ofMapping path: String) throws -> Int? {
        // Read to the end: procfs reports size 0, and `String(contentsOfFile:)` stops after one read.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }  // read-only handle: nothing to lose
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inMapping = fields.last.map(String.init) == path  // a mapping's first line ends with its file
            } else if inMapping, fields.first == "Rss:", fields.count >= 2, let kilobytes = Int(fields[1]) {
                return kilobytes * 1024
            }
        }
        return nil
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps"), "needs Linux's /proc"))
    func largeFileIsMappedNotRead() throws {
        let directory = try Fixtures.temporaryDirectory("safetensors-large")
        defer { try? FileManager.default.removeItem(at: directory) }  // cleanup only
        let url = directory.appendingPathComponent("large.safetensors")

        // 50 MB: "big" F32 [12_500_000] holding i % 1000, then "small" F32 [4] at the very end.
        let bigCount = 12_500_000, chunkCount = 250_000  // a multiple of 1000: every chunk is the same
        var header = Array(#"{"big":{"dtype":"F32","shape":[12500000],"data_offsets":[0,50000000]},"small":{"dtype":"F32","shape":[4],"data_offsets":[50000000,50000016]}}"#.utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            Issue.record("cannot create \(url.path)")
            return
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header)
        let chunk = (0..<chunkCount).map { Float($0 % 1000) }.withUnsafeBytes { Data($0) }
        for _ in 0..<(bigCount / chunkCount) { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: [Float(1.5), -2, 3, 4e6].withUnsafeBytes { Data($0) })
        try handle.close()

        let clock = ContinuousClock()
        let start = clock.now
        let file = try SafeTensorsFile(contentsOf: url)
        let small = try file.floats("small", shape: [4])
        let elapsed = clock.now - start
        #expect(small == [1.5, -2, 3, 4e6])
        // Generous: opening parses a 144-byte header; reading 50 MB would not fit a debug build's budget either way.
        #expect(elapsed < .seconds(1), "open + small read took \(elapsed)")

        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let residentAfterOpen = try #require(try Self.residentBytes(ofMapping: url.path), "the file is not memory-mapped")
        // Only the header's and the small tensor's pages (and the kernel's fault-around neighbours,
        // 64 KB by default) are resident: far below 1 MB, against 50 MB for a full read.
        #expect(residentAfterOpen < 1 << 20, "resident after open: \(residentAfterOpen) bytes of \(fileSize)")

        // Touch every page of "big" (and check its values): now the whole tensor is resident. This
        // shows the measurement sees mapped pages, so the check above can fail.
        let mismatches = try file.withUnsafeBytes("big") { bytes in
            var mismatches = 0
            for index in stride(from: 0, to: bigCount, by: 1024)  // every 4 KB page
            where bytes.loadUnaligned(fromByteOffset: index * 4, as: Float.self) != Float(index % 1000) {
                mismatches += 1
            }
            return mismatches
        }
        #expect(mismatches == 0)
        let residentAfterTouch = try #require(try Self.residentBytes(ofMapping: url.path))
        #expect(residentAfterTouch > 45_000_000, "resident after touching: \(residentAfterTouch) bytes")
        print("MappingTests: open + small read \(elapsed); mapping resident \(residentAfterOpen) B after open, \(residentAfterTouch) B after touching 50 MB")
    }
}
