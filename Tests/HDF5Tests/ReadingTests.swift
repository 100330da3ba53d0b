import Foundation
import HDF5
import TestSupport
import Testing

/// Reading a file written by h5py (Tests/Fixtures/hdf5/h5py-written.h5, scripts/fixtures/make_hdf5.py).
struct ReadingTests {
    static let h5pyFile = Fixtures.url("hdf5/h5py-written.h5")

    @Test func everyDatasetAndAttributeWrittenByH5pyReadsExactly() throws {
        // Every dtype (3-D float32 included), chunked + gzip + shuffle, extendible and fixed,
        // non-ASCII strings, -0.0/NaN/±inf/subnormals, integer extremes, nested groups.
        try Content.expectFileMatches(Self.h5pyFile)
    }

    @Test func childNamesFollowH5pysListing() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        for (path, names) in Content.shared.listing {
            let group = path == "/" ? file.root : try file.root.openGroup(String(path.dropFirst()))
            #expect(try group.childNames == names, "\(path)")
        }
    }

    @Test func rowRangesReadTheSameValuesAsWholeReads() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let perturbations = try file.root.openDataset("conditions/benign/token_perturbations")
        let whole = try perturbations.read(as: Float.self)  // [16, 3, 4]
        let shape = try perturbations.requireShape([nil, 3, 4])
        let rowSize = 12
        // Ranges inside a chunk, across chunk borders, empty, and everything.
        for rows in [0..<1, 3..<9, 15..<16, 7..<7, 0..<shape[0]] {
            let part = try perturbations.readRows(rows, as: Float.self)
            #expect(part.map(\.bitPattern) == whole[(rows.lowerBound * rowSize)..<(rows.upperBound * rowSize)].map(\.bitPattern))
        }
        let ids = try file.root.openDataset("conditions/benign/ids")
        let allIDs = try ids.readStrings()
        #expect(try ids.readStrings(1..<4) == Array(allIDs[1..<4]))
        #expect(try ids.readStrings(2..<2) == [])
    }

    @Test func h5pyOnlyTypesReadOrAreReportedAsUnsupported() throws {
        let expected = Content.shared.h5py_only
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let extra = try file.root.openGroup("h5py_only")

        let fixed = try extra.openDataset("fixed_strings")
        #expect(fixed.elementType == .fixedLengthString(bytes: 4))
        #expect(try fixed.readStrings() == expected.fixed_strings)
        #expect(try fixed.readStrings(1..<3) == Array(expected.fixed_strings[1..<3]))

        let bigEndian = try extra.openDataset("big_endian_float32")
        #expect(bigEndian.elementType == .float32)  // byte order is converted by HDF5
        #expect(try bigEndian.read(as: Float.self) == expected.big_endian_float32)

        let int16 = try extra.openDataset("int16")
        #expect(int16.elementType == .other("16-bit signed integer"))
        #expect(try int16.shape == [expected.int16.count])

        #expect(try extra.attribute("int32") == .int64(expected.attributes.int32))
        #expect(try extra.intAttribute("int32") == Int(expected.attributes.int32))
        #expect(try extra.attribute("float32") == .double(expected.attributes.float32))
        #expect(try extra.stringAttribute("fixed_string") == expected.attributes.fixed_string)
        #expect(try extra.attributeNames == ["array", "fixed_string", "float32", "int32"])
    }

    @Test func typedAttributeAccessorsReadTheRootAttributes() throws {
        let file = try HDF5File(url: Self.h5pyFile, mode: .readOnly)
        let root = Content.shared.attributes["/", default: [:]]
        #expect(try file.root.stringAttribute("format") == "codebook-activations")
        #expect(try file.root.intAttribute("format_version") == 1)
        #expect(root["scale"]?.value == .double(try file.root.doubleAttribute("scale")))
        #expect(try file.root.attributeNames == root.keys.sorted())
        #expect(try file.root.hasAttribute("levels"))
        #expect(try !file.root.hasAttribute("no such attribute"))
    }
}

/// Files in a newer format than the one our writer keeps to still open (a regression: the writer's
/// version bounds were once applied when reading too, and refused h5py's `libver="latest"` files).
struct NewerFormatReadingTests {
    @Test func fileWrittenWithLatestLibverOpens() throws {
        let file = try HDF5File(url: Fixtures.url("hdf5/h5py-latest.h5"), mode: .readOnly)
        #expect(try file.root.stringAttribute("note") == "written with libver=latest")
        #expect(try file.root.openDataset("values").read(as: Float.self) == [0, 1, 2, 3, 4, 5])
    }
}
