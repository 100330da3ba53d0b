import CHDF5
import CLibDeflate
import Dispatch

/// Appends rows to an extendible, chunked dataset a whole chunk at a time, running the dataset's
/// filters (shuffle, then deflate) itself and handing HDF5 only the stored bytes (`H5Dwrite_chunk`).
///
/// Why: HDF5 runs its filters inside the library, under this module's lock, one chunk after the
/// other, with zlib; for float activations deflate is most of the cost of writing the file (about
/// 5 s of one core with zlib for `extract`'s default catalog). Here the chunks of any number of
/// writers are compressed on all cores at once (`writeCompleteChunks(of:)`), outside the lock, with
/// libdeflate, which writes the same format (a zlib stream, what HDF5's deflate filter stores and
/// any reader inflates) 2–3× faster than zlib: on shuffled float activations its level 1 stores
/// what zlib's level 4 does (82% of the raw bytes) at 2.4× the speed.
///
/// The stored chunks are HDF5's filter pipeline with another deflate encoder: the same byte shuffle,
/// a zlib stream at the dataset's level (on libdeflate's scale), and the last chunk padded with
/// zeros, as HDF5 pads a partial chunk with the default fill value. So a dataset written here holds
/// the same content as one written with `HDF5Dataset.append` (not the same bytes: the encoders
/// differ), and the same rows always give the same bytes.
///
/// What the dataset must be (checked by `init`, else `invalidArgument`): numeric, empty, dimension 0
/// unlimited, each chunk spanning whole rows (the chunk's extents beyond dimension 0 equal the
/// dataset's), no filters or exactly `HDF5Compression.deflate`'s shuffle + deflate, the default fill
/// value. Row values are copied as they are in memory: the file types are little-endian, so this
/// refuses to run on a big-endian host.
///
/// Memory: the chunk being filled plus the complete chunks not yet written. Not thread-safe: one
/// thread appends and writes.
public final class HDF5ChunkWriter {
    public let dataset: HDF5Dataset
    private let elementType: HDF5ElementType
    private let elementSize: Int
    /// Values per row (the product of the extents after dimension 0).
    private let rowElements: Int
    private let chunkRows: Int
    private let filters: ChunkFilters
    /// The chunk being filled, zeros beyond `filledRows`: `[chunkRows, row…]` as bytes.
    private var filling: [UInt8]
    private var filledRows = 0
    /// Full chunks waiting to be compressed and written, and the index of the first of them.
    private var complete: [[UInt8]] = []
    private var firstCompleteIndex = 0
    private var rowsAppended = 0
    private var finished = false

    public init(_ dataset: HDF5Dataset) throws {
        self.dataset = dataset
        elementType = dataset.elementType
        let site = Site(path: dataset.file.path, object: dataset.path)
        #if _endian(big)
        throw site.invalid("direct chunk writes copy little-endian file bytes from memory; this host is big-endian")
        #endif
        guard let size = elementType.numericSize else { throw site.invalid("cannot write chunks of \(elementType) directly") }
        elementSize = size
        let shape = try dataset.shape, maxShape = try dataset.maxShape
        guard let chunk = try dataset.chunkShape else { throw site.invalid("the dataset is not chunked") }
        if shape.first != 0 { throw site.invalid("the dataset must be empty, it has shape \(shape)") }
        if maxShape.first.map({ $0 != nil }) ?? true { throw site.invalid("the dataset is not extendible along dimension 0") }
        if Array(chunk.dropFirst()) != Array(shape.dropFirst()) {
            throw site.invalid("chunk \(chunk) does not span whole rows of shape \(shape)")
        }
        rowElements = try elementCount(Array(shape.dropFirst()), site: site)
        chunkRows = chunk[0]
        filters = ChunkFilters(elementSize: size, deflateLevel: try dataset.storedFilters(site: site), site: site)
        let (chunkBytes, overflow) = chunkRows.multipliedReportingOverflow(by: rowElements * size)
        if overflow { throw site.invalid("chunk \(chunk) is too large") }
        filling = [UInt8](repeating: 0, count: chunkBytes)
    }

    /// Adds `rowCount` rows (`values`: `[rowCount, shape[1…]…]` flattened); full chunks wait for
    /// `writeCompleteChunks(of:)`.
    public func append<T: HDF5Numeric>(_ values: [T], rowCount: Int) throws {
        let site = Site(path: dataset.file.path, object: dataset.path)
        if finished { throw site.invalid("rows appended after finish()") }
        if T.hdf5ElementType != elementType {
            throw HDF5Error.wrongType(path: site.path, object: site.object, expected: elementType.description,
                                      actual: T.hdf5ElementType.description)
        }
        let (expected, overflow) = rowCount.multipliedReportingOverflow(by: rowElements)
        if rowCount < 0 || overflow || values.count != expected {
            throw HDF5Error.wrongCount(path: site.path, object: site.object, expected: overflow ? Int.max : expected, actual: values.count)
        }
        let rowBytes = rowElements * elementSize
        values.withUnsafeBytes { source in
            var row = 0
            while row < rowCount {
                let rows = min(chunkRows - filledRows, rowCount - row)
                filling.withUnsafeMutableBytes { chunk in
                    chunk.baseAddress!.advanced(by: filledRows * rowBytes)
                        .copyMemory(from: source.baseAddress!.advanced(by: row * rowBytes), byteCount: rows * rowBytes)
                }
                filledRows += rows
                row += rows
                if filledRows == chunkRows { completeFillingChunk() }
            }
        }
        rowsAppended += rowCount
    }

    /// Ends the dataset: its last, partial chunk is complete too (padded with zeros). No rows may
    /// follow; call `writeCompleteChunks(of:)` to write it.
    public func finish() {
        if filledRows > 0 { completeFillingChunk() }
        finished = true
    }

    /// Compresses the complete chunks of all `writers` on all cores, then writes them and grows
    /// each dataset to the rows appended to it so far.
    public static func writeCompleteChunks(of writers: [HDF5ChunkWriter]) throws {
        // One job per chunk, over all writers: a batch of rows completes a few chunks of one
        // dataset and none of the others, so spreading per writer would leave a core idle.
        let jobs = writers.flatMap { writer in writer.complete.map { (filters: writer.filters, chunk: $0) } }
        let encoded = EncodedChunks(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            encoded.store(j, Result { try jobs[j].filters.encode(jobs[j].chunk) })
        }
        var j = 0
        for writer in writers {
            try writer.dataset.growRows(to: writer.rowsAppended)
            for k in writer.complete.indices {
                try writer.dataset.writeStoredChunk(try encoded.take(j).get(), firstRow: (writer.firstCompleteIndex + k) * writer.chunkRows)
                j += 1
            }
            writer.firstCompleteIndex += writer.complete.count
            writer.complete.removeAll()
        }
    }

    private func completeFillingChunk() {
        complete.append(filling)
        filling = [UInt8](repeating: 0, count: filling.count)
        filledRows = 0
    }
}

/// HDF5's filter pipeline for one dataset's chunks, as a value the encoding threads share.
private struct ChunkFilters: Sendable {
    let elementSize: Int
    /// `nil`: stored as they are.
    let deflateLevel: Int?
    /// Where, for errors.
    let site: Site

    /// What HDF5's filters store for one chunk: the bytes shuffled, then deflated (a zlib stream,
    /// by libdeflate). No HDF5 call; safe to run on several threads at once.
    func encode(_ chunk: [UInt8]) throws -> [UInt8] {
        guard let level = deflateLevel else { return chunk }
        let shuffled = elementSize > 1 ? Self.shuffle(chunk, elementSize: elementSize) : chunk
        // A compressor per chunk: its tables are a few hundred KB, cheap beside deflating 256 KB.
        guard let compressor = libdeflate_alloc_compressor(Int32(level)) else {
            throw HDF5Error.library(call: "libdeflate_alloc_compressor", path: site.path, object: site.object,
                                    detail: "no compressor for level \(level) (out of memory?)")
        }
        defer { libdeflate_free_compressor(compressor) }
        return try shuffled.withUnsafeBufferPointer { source in
            let bound = libdeflate_zlib_compress_bound(compressor, source.count)
            var written = 0
            let compressed = [UInt8](unsafeUninitializedCapacity: bound) { output, initialized in
                written = libdeflate_zlib_compress(compressor, source.baseAddress, source.count, output.baseAddress, bound)
                initialized = written
            }
            // 0 means "did not fit", which the bound rules out; an error all the same, never a silent chunk.
            if written == 0 {
                throw HDF5Error.library(call: "libdeflate_zlib_compress", path: site.path, object: site.object,
                                        detail: "\(source.count) bytes did not fit in the \(bound)-byte bound")
            }
            return compressed
        }
    }

    /// HDF5's shuffle filter: byte `b` of every element first, for `b` = 0, 1, …, so that the
    /// slowly varying bytes (exponents, high bytes) of neighbouring values sit together.
    static func shuffle(_ bytes: [UInt8], elementSize: Int) -> [UInt8] {
        let count = bytes.count / elementSize
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { output, initialized in
            bytes.withUnsafeBufferPointer { input in
                for b in 0..<elementSize {
                    let plane = output.baseAddress! + b * count
                    for i in 0..<count { plane[i] = input[i * elementSize + b] }
                }
                // Trailing bytes that make no whole element stay where they are (as in HDF5).
                for i in (count * elementSize)..<bytes.count { output[i] = input[i] }
            }
            initialized = bytes.count
        }
    }
}

/// Results of a parallel loop, one slot per iteration; each iteration writes only its own slot.
/// The slots are raw memory, not an array property: concurrent writes to distinct elements of one
/// array would still be simultaneous accesses to the array.
private final class EncodedChunks: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<[UInt8], Error>>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .success([]))
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ index: Int, _ result: Result<[UInt8], Error>) { slots[index] = result }

    func take(_ index: Int) -> Result<[UInt8], Error> { slots[index] }
}

extension HDF5Dataset {
    /// The deflate level of a dataset filtered with shuffle + deflate (as `createDataset` sets
    /// them up), `nil` for one without filters; any other pipeline or fill value is refused.
    func storedFilters(site: Site) throws -> Int? {
        try HDF5Library.withLock {
            let properties = try site.handle(H5Dget_create_plist(id), "H5Dget_create_plist", close: H5Pclose)
            var fill = H5D_FILL_VALUE_ERROR
            try site.check(H5Pfill_value_defined(properties.id, &fill), "H5Pfill_value_defined")
            if fill != H5D_FILL_VALUE_DEFAULT { throw site.invalid("chunks are padded with zeros; the dataset has another fill value") }
            let count = H5Pget_nfilters(properties.id)
            try site.check(count, "H5Pget_nfilters")
            var filters: [(id: Int32, values: [UInt32])] = []
            for index in 0..<UInt32(count) {
                var flags: UInt32 = 0, configuration: UInt32 = 0
                var valueCount = 8
                var values = [UInt32](repeating: 0, count: valueCount)
                let filter = H5Pget_filter2(properties.id, index, &flags, &valueCount, &values, 0, nil, &configuration)
                try site.check(filter, "H5Pget_filter2")
                filters.append((filter, Array(values.prefix(min(valueCount, values.count)))))
            }
            switch filters.count {
            case 0: return nil
            case 2 where filters[0].id == H5Z_FILTER_SHUFFLE && filters[1].id == H5Z_FILTER_DEFLATE && filters[1].values.count == 1:
                return Int(filters[1].values[0])
            default:
                throw site.invalid("direct chunk writes know no filters but shuffle + deflate; the dataset has filters \(filters.map(\.id))")
            }
        }
    }

    /// Sets dimension 0 to `rows` if it is smaller (rows not yet written read as zeros).
    func growRows(to rows: Int) throws {
        try withSite(write: true) { site in
            var dims = try currentShape(site: site).map { hsize_t($0) }
            guard dims[0] < hsize_t(rows) else { return }
            dims[0] = hsize_t(rows)
            try site.check(H5Dset_extent(id, &dims), "H5Dset_extent")
        }
    }

    /// Writes the stored (filtered) bytes of the chunk that starts at row `firstRow`, all filters applied.
    func writeStoredChunk(_ bytes: [UInt8], firstRow: Int) throws {
        try withSite(write: true) { site in
            var offset = [hsize_t](repeating: 0, count: try currentShape(site: site).count)
            offset[0] = hsize_t(firstRow)
            try bytes.withUnsafeBytes { raw in
                try site.check(H5Dwrite_chunk(id, chdf5_p_default(), 0, &offset, raw.count, raw.baseAddress), "H5Dwrite_chunk")
            }
        }
    }
}
