import CHDF5

/// A group: named links to groups and datasets, plus attributes.
///
/// Names passed to its methods are relative paths (`"benign"` or `"conditions/benign/ids"`),
/// never empty and never absolute. Keeps its file open while it lives.
public final class HDF5Group: @unchecked Sendable {
    public let file: HDF5File
    /// The group's absolute path in the file, `/` for the root.
    public let path: String
    let id: hid_t
    private let ownsID: Bool

    init(file: HDF5File, id: hid_t, path: String, ownsID: Bool) {
        self.file = file
        self.id = id
        self.path = path
        self.ownsID = ownsID
    }

    deinit {
        guard ownsID else { return }
        // After `file.close()` the identifier is already closed (strong close degree).
        HDF5Library.withLock { if file.isOpen { _ = H5Gclose(id) } }
    }

    // MARK: Links

    /// Whether `name` (a relative path) leads to an object. An intermediate component that is not
    /// a group makes the answer `false`.
    public func contains(_ name: String) throws -> Bool {
        try withSite(name) { site in try exists(name, site: site) }
    }

    /// What `name` is (`notFound` when absent).
    public func kind(of name: String) throws -> HDF5ObjectKind {
        try withSite(name) { site in
            guard try exists(name, site: site) else { throw HDF5Error.notFound(path: site.path, object: site.object) }
            return try objectKind(name, site: site)
        }
    }

    /// The names of the group's direct members, in HDF5's name order (byte-wise, like `strcmp`;
    /// this is the order h5py lists them in too). Always available, unlike creation order, which
    /// HDF5 only records when asked to at group creation.
    public var childNames: [String] {
        get throws {
            try withSite(nil) { site in
                var info = H5G_info_t()
                try site.check(H5Gget_info(id, &info), "H5Gget_info")
                return try (0..<info.nlinks).map { index in
                    let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
                    if length < 0 { throw site.libraryError("H5Lget_name_by_idx") }
                    var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                    let written = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer,
                                                     buffer.count, chdf5_p_default())
                    if written < 0 { throw site.libraryError("H5Lget_name_by_idx") }
                    let bytes = buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }
                    guard let name = String(validating: bytes, as: UTF8.self) else {
                        throw HDF5Error.invalidUTF8(path: site.path, object: site.object, index: Int(index))
                    }
                    return name
                }
            }
        }
    }

    // MARK: Groups

    /// Creates a group (its parent must exist). No modification times are recorded, so files stay
    /// byte-identical between runs.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        try withSite(name, write: true) { site in
            try checkCreatable(name, site: site)
            let properties = try site.handle(H5Pcreate(chdf5_p_group_create()), "H5Pcreate(group create)", close: H5Pclose)
            try site.check(H5Pset_obj_track_times(properties.id, false), "H5Pset_obj_track_times")
            let groupID = try site.checkID(
                H5Gcreate2(id, name, chdf5_p_default(), properties.id, chdf5_p_default()), "H5Gcreate2")
            return HDF5Group(file: file, id: groupID, path: site.object, ownsID: true)
        }
    }

    /// Opens an existing group (`notFound`, or `wrongKind` for a dataset).
    public func openGroup(_ name: String) throws -> HDF5Group {
        try withSite(name) { site in
            try require(name, is: .group, site: site)
            let groupID = try site.checkID(H5Gopen2(id, name, chdf5_p_default()), "H5Gopen2")
            return HDF5Group(file: file, id: groupID, path: site.object, ownsID: true)
        }
    }

    // MARK: Datasets

    /// Creates a chunked numeric dataset of `shape` (row-major; dimension 0 counts rows).
    ///
    /// - `chunk`: one extent per dimension, each ≥ 1; extents larger than a fixed dimension are
    ///   cut to it (HDF5 requires chunk ≤ extent). A dataset with a fixed dimension of 0 holds no
    ///   data and is stored contiguous, without chunks or compression.
    /// - `extendible`: dimension 0 is unlimited, so `append(rows:rowCount:)` can grow it batch by
    ///   batch (start with `shape[0] == 0`).
    @discardableResult
    public func createDataset<T: HDF5Numeric>(
        _ name: String, of type: T.Type, shape: [Int], chunk: [Int],
        extendible: Bool = false, compression: HDF5Compression = .default
    ) throws -> HDF5Dataset {
        try createDataset(name, elementType: T.hdf5ElementType, shape: shape, chunk: chunk,
                          extendible: extendible, compression: compression)
    }

    /// Creates a one-dimensional dataset of variable-length UTF-8 strings with `count` empty
    /// entries (see `createDataset` for `chunk` and `extendible`).
    @discardableResult
    public func createStringDataset(
        _ name: String, count: Int, chunk: Int, extendible: Bool = false, compression: HDF5Compression = .default
    ) throws -> HDF5Dataset {
        try createDataset(name, elementType: .string, shape: [count], chunk: [chunk],
                          extendible: extendible, compression: compression)
    }

    /// Creates a numeric dataset holding `values` (`[shape…]` row-major).
    @discardableResult
    public func writeDataset<T: HDF5Numeric>(
        _ name: String, _ values: [T], shape: [Int], chunk: [Int],
        extendible: Bool = false, compression: HDF5Compression = .default
    ) throws -> HDF5Dataset {
        let dataset = try createDataset(name, of: T.self, shape: shape, chunk: chunk,
                                        extendible: extendible, compression: compression)
        try dataset.write(values)
        return dataset
    }

    /// Creates a one-dimensional variable-length UTF-8 string dataset holding `strings`.
    /// `chunk` defaults to all of them (at least 1).
    @discardableResult
    public func writeStrings(
        _ name: String, _ strings: [String], chunk: Int? = nil,
        extendible: Bool = false, compression: HDF5Compression = .default
    ) throws -> HDF5Dataset {
        let dataset = try createStringDataset(name, count: strings.count, chunk: chunk ?? max(strings.count, 1),
                                              extendible: extendible, compression: compression)
        try dataset.writeStrings(strings)
        return dataset
    }

    /// Opens an existing dataset (`notFound`, or `wrongKind` for a group).
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        try withSite(name) { site in
            try require(name, is: .dataset, site: site)
            let datasetID = try site.checkID(H5Dopen2(id, name, chdf5_p_default()), "H5Dopen2")
            return try HDF5Dataset(file: file, id: datasetID, path: site.object)
        }
    }

    /// Copies the group or dataset `name` (with everything below it and its attributes) into
    /// `destination`, possibly in another file, under `newName` (default: the last component of
    /// `name`). Chunks are copied as stored, without decompressing.
    public func copy(_ name: String, into destination: HDF5Group, as newName: String? = nil) throws {
        let targetName = newName ?? String(name.split(separator: "/").last ?? Substring(name))
        try withSite(name) { site in
            try destination.withSite(targetName, write: true) { destinationSite in
                guard try exists(name, site: site) else { throw HDF5Error.notFound(path: site.path, object: site.object) }
                try destination.checkCreatable(targetName, site: destinationSite)
                try destinationSite.check(H5Ocopy(id, name, destination.id, targetName, chdf5_p_default(), chdf5_p_default()), "H5Ocopy")
            }
        }
    }

    // MARK: Implementation

    func childPath(_ name: String) -> String {
        path == "/" ? "/" + name : path + "/" + name
    }

    /// Runs `body` under the module lock on an open file, with `name` (a member, or the group
    /// itself for `nil`) validated and named in errors.
    private func withSite<Result>(_ name: String?, write: Bool = false, _ body: (Site) throws -> Result) throws -> Result {
        try HDF5Library.withLock {
            let site = Site(path: file.path, object: name.map(childPath) ?? path)
            try file.ensureOpen(site: site, forWriting: write)
            if let name { try validate(name, site: site) }
            return try body(site)
        }
    }

    private func validate(_ name: String, site: Site) throws {
        if name.isEmpty { throw site.invalid("empty name") }
        if name.hasPrefix("/") { throw site.invalid("absolute names are not accepted; use a path relative to \(path)") }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." }) {
            throw site.invalid("name has an empty or '.' component")
        }
        if name.utf8.contains(0) { throw site.invalid("name contains a NUL character") }
    }

    /// Whether every component of `name` exists, the intermediate ones as groups.
    private func exists(_ name: String, site: Site) throws -> Bool {
        let components = name.split(separator: "/")
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            let status = H5Lexists(id, prefix, chdf5_p_default())
            try site.check(status, "H5Lexists")
            if status == 0 { return false }
            if index < components.count - 1, try objectKind(prefix, site: site) != .group { return false }
        }
        return true
    }

    private func objectKind(_ name: String, site: Site) throws -> HDF5ObjectKind {
        let object = try site.handle(H5Oopen(id, name, chdf5_p_default()), "H5Oopen", close: H5Oclose)
        switch H5Iget_type(object.id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        case H5I_DATATYPE: return .namedDatatype
        default: throw site.libraryError("H5Iget_type")
        }
    }

    private func require(_ name: String, is kind: HDF5ObjectKind, site: Site) throws {
        guard try exists(name, site: site) else { throw HDF5Error.notFound(path: site.path, object: site.object) }
        let actual = try objectKind(name, site: site)
        if actual != kind {
            throw HDF5Error.wrongKind(path: site.path, object: site.object, expected: kind.description,
                                      actual: actual.description)
        }
    }

    /// The name is free and its parent is an existing group.
    private func checkCreatable(_ name: String, site: Site) throws {
        if try exists(name, site: site) { throw HDF5Error.alreadyExists(path: site.path, object: site.object) }
        if let slash = name.lastIndex(of: "/") {
            let parent = String(name[..<slash])
            let parentSite = Site(path: site.path, object: childPath(parent))
            try require(parent, is: .group, site: parentSite)
        }
    }

    private func createDataset(
        _ name: String, elementType: HDF5ElementType, shape: [Int], chunk: [Int],
        extendible: Bool, compression: HDF5Compression
    ) throws -> HDF5Dataset {
        try withSite(name, write: true) { site in
            try checkCreatable(name, site: site)
            if shape.isEmpty { throw site.invalid("a dataset needs at least one dimension") }
            if shape.contains(where: { $0 < 0 }) { throw site.invalid("negative extent in shape \(shape)") }
            _ = try elementCount(shape, site: site)
            if chunk.count != shape.count {
                throw site.invalid("chunk \(chunk) has \(chunk.count) dimensions, shape \(shape) has \(shape.count)")
            }
            if chunk.contains(where: { $0 < 1 }) { throw site.invalid("chunk extents must be at least 1, got \(chunk)") }
            if case .deflate(let level) = compression, !(0...9).contains(level) {
                throw site.invalid("deflate level \(level) is outside 0…9")
            }
            let fixedDimensions = extendible ? Array(shape.dropFirst()) : shape
            let chunked = !fixedDimensions.contains(0)
            if extendible, !chunked {
                throw site.invalid("an extendible dataset needs non-zero fixed dimensions, got \(shape)")
            }

            let properties = try site.handle(H5Pcreate(chdf5_p_dataset_create()), "H5Pcreate(dataset create)", close: H5Pclose)
            try site.check(H5Pset_obj_track_times(properties.id, false), "H5Pset_obj_track_times")
            if chunked {
                var chunkDims: [hsize_t] = zip(chunk.indices, chunk).map { axis, extent in
                    extendible && axis == 0 ? hsize_t(extent) : hsize_t(min(extent, shape[axis]))
                }
                try site.check(H5Pset_chunk(properties.id, Int32(shape.count), &chunkDims), "H5Pset_chunk")
                if case .deflate(let level) = compression {
                    try site.check(H5Pset_shuffle(properties.id), "H5Pset_shuffle")
                    try site.check(H5Pset_deflate(properties.id, UInt32(level)), "H5Pset_deflate")
                }
            }

            var dims = shape.map { hsize_t($0) }
            var maxDims = dims
            if extendible { maxDims[0] = chdf5_unlimited() }
            let space = try site.handle(H5Screate_simple(Int32(shape.count), &dims, &maxDims), "H5Screate_simple", close: H5Sclose)

            let fileType: Handle
            switch elementType {
            case .string:
                fileType = try variableLengthUTF8Type(site: site)
            default:
                guard let type = elementType.fileType else { throw site.invalid("cannot create a dataset of \(elementType)") }
                fileType = try site.handle(H5Tcopy(type), "H5Tcopy", close: H5Tclose)
            }
            let datasetID = try site.checkID(
                H5Dcreate2(id, name, fileType.id, space.id, chdf5_p_default(), properties.id, chdf5_p_default()),
                "H5Dcreate2")
            return try HDF5Dataset(file: file, id: datasetID, path: site.object)
        }
    }
}
