import CHDF5

/// A dataset: an n-dimensional array of one element type, stored row-major. "Rows" are slices
/// along dimension 0 (`rowSize` = product of the other extents); extendible datasets grow along
/// dimension 0 with `append`. Keeps its file open while it lives.
///
/// Reads are strict: the Swift type must match the stored element type (`wrongType` otherwise),
/// so an `int32` dataset is never silently widened or a `float64` one narrowed.
public final class HDF5Dataset: @unchecked Sendable {
    public let file: HDF5File
    /// The dataset's absolute path in the file.
    public let path: String
    public let elementType: HDF5ElementType
    let id: hid_t

    /// Takes ownership of `id` (closed here on failure).
    init(file: HDF5File, id: hid_t, path: String) throws {
        self.file = file
        self.id = id
        self.path = path
        let site = Site(path: file.path, object: path)
        do {
            let type = try site.handle(H5Dget_type(id), "H5Dget_type", close: H5Tclose)
            elementType = try HDF5ElementType.classify(type.id, site: site)
        } catch {
            _ = H5Dclose(id)
            throw error
        }
    }

    deinit {
        // After `file.close()` the identifier is already closed (strong close degree).
        HDF5Library.withLock { if file.isOpen { _ = H5Dclose(id) } }
    }

    // MARK: Shape

    /// The current extents, e.g. `[tokens, layers, 64]`.
    public var shape: [Int] {
        get throws { try withSite { site in try currentShape(site: site) } }
    }

    /// The extents the dataset may grow to; `nil` for an unlimited dimension.
    public var maxShape: [Int?] {
        get throws {
            try withSite { site in
                let space = try site.handle(H5Dget_space(id), "H5Dget_space", close: H5Sclose)
                let rank = H5Sget_simple_extent_ndims(space.id)
                try site.check(rank, "H5Sget_simple_extent_ndims")
                var dims = [hsize_t](repeating: 0, count: Int(rank))
                var maxDims = dims
                try site.check(H5Sget_simple_extent_dims(space.id, &dims, &maxDims), "H5Sget_simple_extent_dims")
                return maxDims.map { $0 == chdf5_unlimited() ? nil : Int($0) }
            }
        }
    }

    /// The chunk extents, or `nil` for a contiguous dataset.
    public var chunkShape: [Int]? {
        get throws {
            try withSite { site in
                let properties = try site.handle(H5Dget_create_plist(id), "H5Dget_create_plist", close: H5Pclose)
                let layout = H5Pget_layout(properties.id)
                if layout == H5D_LAYOUT_ERROR { throw site.libraryError("H5Pget_layout") }
                guard layout == H5D_CHUNKED else { return nil }
                var dims = [hsize_t](repeating: 0, count: 32)  // H5S_MAX_RANK
                let rank = H5Pget_chunk(properties.id, Int32(dims.count), &dims)
                try site.check(rank, "H5Pget_chunk")
                return dims.prefix(Int(rank)).map { Int($0) }
            }
        }
    }

    /// `shape[0]`: the number of rows.
    public var rowCount: Int {
        get throws {
            try withSite { site in
                guard let rows = try currentShape(site: site).first else { throw site.invalid("a scalar dataset has no rows") }
                return rows
            }
        }
    }

    /// Checks the shape against `expected` (`nil` matches any extent) and returns it; a
    /// `wrongShape` error names both.
    @discardableResult
    public func requireShape(_ expected: [Int?]) throws -> [Int] {
        try withSite { site in
            let actual = try currentShape(site: site)
            let matches = actual.count == expected.count
                && zip(actual, expected).allSatisfy { extent, wanted in wanted.map { $0 == extent } ?? true }
            if !matches { throw HDF5Error.wrongShape(path: site.path, object: site.object, expected: expected, actual: actual) }
            return actual
        }
    }

    /// Sets the extents (within `maxShape`). Growing fills with zeros (empty strings); shrinking
    /// drops data.
    public func resize(to newShape: [Int]) throws {
        try withSite(write: true) { site in
            let current = try currentShape(site: site)
            if newShape.count != current.count || newShape.contains(where: { $0 < 0 }) {
                throw site.invalid("cannot resize shape \(current) to \(newShape)")
            }
            var dims = newShape.map { hsize_t($0) }
            try site.check(H5Dset_extent(id, &dims), "H5Dset_extent")
        }
    }

    // MARK: Numeric data

    /// All values, row-major (`[shape…]` flattened).
    public func read<T: HDF5Numeric>(as type: T.Type) throws -> [T] {
        try withSite { site in
            try requireType(T.hdf5ElementType, site: site)
            let memory = try memoryType(of: T.self, site: site)
            let count = try elementCount(try currentShape(site: site), site: site)
            return try readNumbers(count: count, memoryType: memory, selection: nil, site: site)
        }
    }

    /// Rows `rows` (`[rows.count, shape[1…]…]` flattened): a hyperslab along dimension 0.
    public func readRows<T: HDF5Numeric>(_ rows: Range<Int>, as type: T.Type) throws -> [T] {
        try withSite { site in
            try requireType(T.hdf5ElementType, site: site)
            let memory = try memoryType(of: T.self, site: site)
            let selection = try RowSelection(dataset: id, rows: rows, site: site)
            return try readNumbers(count: selection.elementCount, memoryType: memory, selection: selection, site: site)
        }
    }

    /// Overwrites the whole dataset with `values` (`[shape…]` flattened).
    public func write<T: HDF5Numeric>(_ values: [T]) throws {
        try withSite(write: true) { site in
            try requireType(T.hdf5ElementType, site: site)
            let memory = try memoryType(of: T.self, site: site)
            let count = try elementCount(try currentShape(site: site), site: site)
            if values.count != count { throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: count, actual: values.count) }
            guard count > 0 else { return }
            try values.withUnsafeBytes { buffer in
                try site.check(H5Dwrite(id, memory, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress), "H5Dwrite")
            }
        }
    }

    /// Overwrites rows `start ..< start + rowCount` (`values`: `[rowCount, shape[1…]…]` flattened).
    public func writeRows<T: HDF5Numeric>(_ values: [T], rowCount: Int, startingAt start: Int) throws {
        try withSite(write: true) { site in
            try requireType(T.hdf5ElementType, site: site)
            let (end, overflow) = start.addingReportingOverflow(rowCount)
            if rowCount < 0 || start < 0 || overflow {
                throw site.invalid("cannot write \(rowCount) rows starting at row \(start)")
            }
            try writeNumbers(values, rows: start..<end, site: site)
        }
    }

    /// Grows an extendible dataset by `rowCount` rows holding `rows` (`[rowCount, shape[1…]…]`
    /// flattened). Appending batch after batch gives the same file content as one write.
    public func append<T: HDF5Numeric>(rows: [T], rowCount: Int) throws {
        try withSite(write: true) { site in
            try requireType(T.hdf5ElementType, site: site)
            _ = try memoryType(of: T.self, site: site)
            try grow(by: rowCount, valueCount: rows.count, site: site) { newRows in
                try writeNumbers(rows, rows: newRows, site: site)
            }
        }
    }

    // MARK: Strings

    /// All strings of a string dataset (variable-length, or fixed-length as h5py writes NumPy
    /// `S` arrays), flattened.
    public func readStrings() throws -> [String] {
        try withSite { site in
            let count = try elementCount(try currentShape(site: site), site: site)
            return try readStrings(count: count, selection: nil, site: site)
        }
    }

    /// Strings `rows` of a one-dimensional string dataset (more dimensions: `[rows…, rest]` flattened).
    public func readStrings(_ rows: Range<Int>) throws -> [String] {
        try withSite { site in
            let selection = try RowSelection(dataset: id, rows: rows, site: site)
            return try readStrings(count: selection.elementCount, selection: selection, site: site)
        }
    }

    /// Overwrites the whole variable-length string dataset.
    public func writeStrings(_ strings: [String]) throws {
        try withSite(write: true) { site in
            try requireType(.string, site: site)
            let count = try elementCount(try currentShape(site: site), site: site)
            if strings.count != count {
                throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: count, actual: strings.count)
            }
            try writeStrings(strings, rows: 0..<(try currentShape(site: site)[0]), site: site)
        }
    }

    /// Grows an extendible one-dimensional string dataset by `strings.count` entries.
    public func appendStrings(_ strings: [String]) throws {
        try withSite(write: true) { site in
            try requireType(.string, site: site)
            try validateCStrings(strings, site: site)
            try grow(by: strings.count, valueCount: strings.count, site: site) { newRows in
                try writeStrings(strings, rows: newRows, site: site)
            }
        }
    }

    // MARK: Implementation (callers hold the module lock)

    func withSite<Result>(write: Bool = false, _ body: (Site) throws -> Result) throws -> Result {
        try HDF5Library.withLock {
            let site = Site(path: file.path, object: path)
            try file.ensureOpen(site: site, forWriting: write)
            return try body(site)
        }
    }

    func currentShape(site: Site) throws -> [Int] {
        let space = try site.handle(H5Dget_space(id), "H5Dget_space", close: H5Sclose)
        return try dimensions(of: space.id, site: site)
    }

    private func requireType(_ expected: HDF5ElementType, site: Site) throws {
        if elementType != expected {
            throw HDF5Error.wrongType(path: site.path, object: site.object, expected: expected.description,
                                      actual: elementType.description)
        }
    }

    /// Extends dimension 0 by `rowCount` after checking that `valueCount` values fill exactly that
    /// many rows, then lets `fill` write the new rows. If `fill` fails, the extent is set back, so
    /// a failed append leaves the dataset as it was (what `--resume` relies on).
    private func grow(by rowCount: Int, valueCount: Int, site: Site, fill: (Range<Int>) throws -> Void) throws {
        let maxDims = try maxShape
        if maxDims.first.map({ $0 != nil }) ?? true {
            throw site.invalid("the dataset is not extendible (created with extendible: false)")
        }
        var shape = try currentShape(site: site)
        if rowCount < 0 || shape[0].addingReportingOverflow(rowCount).overflow {
            throw site.invalid("cannot append \(rowCount) rows to \(shape[0])")
        }
        let expected = try elementCount([rowCount] + shape.dropFirst(), site: site)
        if valueCount != expected {
            throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: expected, actual: valueCount)
        }
        guard rowCount > 0 else { return }
        var oldDims = shape.map { hsize_t($0) }
        let start = shape[0]
        shape[0] += rowCount
        var dims = shape.map { hsize_t($0) }
        try site.check(H5Dset_extent(id, &dims), "H5Dset_extent")
        do {
            try fill(start..<shape[0])
        } catch {
            _ = H5Dset_extent(id, &oldDims)
            throw error
        }
    }

    private func readNumbers<T: HDF5Numeric>(
        count: Int, memoryType: hid_t, selection: RowSelection?, site: Site
    ) throws -> [T] {
        guard count > 0 else { return [] }
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let status = H5Dread(id, memoryType, selection?.memorySpace.id ?? chdf5_s_all(),
                                 selection?.fileSpace.id ?? chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
            try site.check(status, "H5Dread")
            initialized = count
        }
    }

    private func writeNumbers<T: HDF5Numeric>(_ values: [T], rows: Range<Int>, site: Site) throws {
        let memory = try memoryType(of: T.self, site: site)
        let selection = try RowSelection(dataset: id, rows: rows, site: site)
        if values.count != selection.elementCount {
            throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: selection.elementCount, actual: values.count)
        }
        guard selection.elementCount > 0 else { return }
        try values.withUnsafeBytes { buffer in
            try site.check(H5Dwrite(id, memory, selection.memorySpace.id, selection.fileSpace.id,
                                    chdf5_p_default(), buffer.baseAddress), "H5Dwrite")
        }
    }

    private func writeStrings(_ strings: [String], rows: Range<Int>, site: Site) throws {
        let selection = try RowSelection(dataset: id, rows: rows, site: site)
        if strings.count != selection.elementCount {
            throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: selection.elementCount, actual: strings.count)
        }
        guard !strings.isEmpty else { return }
        let memory = try variableLengthUTF8Type(site: site)
        try withCStringPointers(strings, site: site) { pointers in
            try site.check(H5Dwrite(id, memory.id, selection.memorySpace.id, selection.fileSpace.id,
                                    chdf5_p_default(), pointers), "H5Dwrite")
        }
    }

    private func readStrings(count: Int, selection: RowSelection?, site: Site) throws -> [String] {
        guard count > 0 else {
            try requireStringType(site: site)
            return []
        }
        switch elementType {
        case .string:
            let memory = try variableLengthUTF8Type(site: site)
            // H5Dvlen_reclaim needs a real dataspace describing the buffer.
            let bufferSpace = try selection?.memorySpace
                ?? site.handle(H5Dget_space(id), "H5Dget_space", close: H5Sclose)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)  // [count]
            return try pointers.withUnsafeMutableBytes { raw in
                let status = H5Dread(id, memory.id, selection?.memorySpace.id ?? chdf5_s_all(),
                                     selection?.fileSpace.id ?? chdf5_s_all(), chdf5_p_default(), raw.baseAddress)
                try site.check(status, "H5Dread")
                defer { _ = H5Dvlen_reclaim(memory.id, bufferSpace.id, chdf5_p_default(), raw.baseAddress) }
                return try raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self).enumerated().map { index, pointer in
                    // HDF5 hands back NULL for elements never written (the fill value).
                    guard let pointer else { return "" }
                    guard let string = String(validatingCString: pointer) else {
                        throw HDF5Error.invalidUTF8(path: site.path, object: site.object, index: (selection?.firstRow ?? 0) + index)
                    }
                    return string
                }
            }
        case .fixedLengthString(let bytes):
            let fileType = try site.handle(H5Dget_type(id), "H5Dget_type", close: H5Tclose)
            let spacePadded = H5Tget_strpad(fileType.id) == H5T_STR_SPACEPAD
            let (total, overflow) = bytes.multipliedReportingOverflow(by: count)
            if overflow { throw site.invalid("\(count) strings of \(bytes) bytes are too many") }
            var buffer = [UInt8](repeating: 0, count: total)  // [count, bytes]
            let status = H5Dread(id, fileType.id, selection?.memorySpace.id ?? chdf5_s_all(),
                                 selection?.fileSpace.id ?? chdf5_s_all(), chdf5_p_default(), &buffer)
            try site.check(status, "H5Dread")
            return try (0..<count).map { index in
                try decodeFixedString(buffer[(index * bytes)..<((index + 1) * bytes)], spacePadded: spacePadded,
                                      site: site, index: (selection?.firstRow ?? 0) + index)
            }
        default:
            try requireStringType(site: site)
            return []
        }
    }

    private func requireStringType(site: Site) throws {
        switch elementType {
        case .string, .fixedLengthString: return
        default: throw HDF5Error.wrongType(path: site.path, object: site.object, expected: "strings", actual: elementType.description)
        }
    }
}

/// A block of whole rows `rows` selected in the dataset's file space, and a matching memory space.
private struct RowSelection {
    let fileSpace: Handle
    let memorySpace: Handle
    let elementCount: Int
    let firstRow: Int

    init(dataset: hid_t, rows: Range<Int>, site: Site) throws {
        fileSpace = try site.handle(H5Dget_space(dataset), "H5Dget_space", close: H5Sclose)
        let shape = try dimensions(of: fileSpace.id, site: site)
        guard let rowCount = shape.first else { throw site.invalid("a scalar dataset has no rows") }
        if rows.lowerBound < 0 || rows.upperBound > rowCount {
            throw HDF5Error.rowsOutOfRange(path: site.path, object: site.object, rows: rows, rowCount: rowCount)
        }
        var counts = shape.map { hsize_t($0) }
        counts[0] = hsize_t(rows.count)
        elementCount = try HDF5.elementCount(counts.map { Int($0) }, site: site)
        firstRow = rows.lowerBound
        var start = [hsize_t](repeating: 0, count: shape.count)
        start[0] = hsize_t(rows.lowerBound)
        if elementCount > 0 {
            try site.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, &start, nil, &counts, nil), "H5Sselect_hyperslab")
        } else {
            try site.check(H5Sselect_none(fileSpace.id), "H5Sselect_none")
        }
        // Zero extents are legal in a dataspace; callers transfer nothing then.
        var memoryDims = counts
        memorySpace = try site.handle(H5Screate_simple(Int32(counts.count), &memoryDims, nil), "H5Screate_simple", close: H5Sclose)
    }
}
