import CHDF5

/// Scalar attributes on a group or dataset (the file's own attributes are those of its root group).
/// Shared by `HDF5Group` and `HDF5Dataset`; callers hold the module lock.
enum AttributeIO {
    static func site(_ file: HDF5File, _ objectPath: String, _ name: String) -> Site {
        Site(path: file.path, object: "\(objectPath) [attribute \"\(name)\"]")
    }

    static func exists(_ name: String, on id: hid_t, site: Site) throws -> Bool {
        let status = H5Aexists(id, name)
        try site.check(status, "H5Aexists")
        return status > 0
    }

    /// Writes (or replaces) a scalar attribute.
    static func write(_ value: HDF5AttributeValue, name: String, on id: hid_t, site: Site) throws {
        if try exists(name, on: id, site: site) {
            try site.check(H5Adelete(id, name), "H5Adelete")
        }
        let space = try site.handle(H5Screate(H5S_SCALAR), "H5Screate(scalar)", close: H5Sclose)
        switch value {
        case .string(let string):
            let type = try variableLengthUTF8Type(site: site)
            let attribute = try site.handle(
                H5Acreate2(id, name, type.id, space.id, chdf5_p_default(), chdf5_p_default()),
                "H5Acreate2", close: H5Aclose)
            try withCStringPointers([string], site: site) { pointers in
                try site.check(H5Awrite(attribute.id, type.id, pointers), "H5Awrite")
            }
        case .int64(var number):
            let attribute = try site.handle(
                H5Acreate2(id, name, chdf5_std_i64le(), space.id, chdf5_p_default(), chdf5_p_default()),
                "H5Acreate2", close: H5Aclose)
            try site.check(H5Awrite(attribute.id, chdf5_native_int64(), &number), "H5Awrite")
        case .double(var number):
            let attribute = try site.handle(
                H5Acreate2(id, name, chdf5_ieee_f64le(), space.id, chdf5_p_default(), chdf5_p_default()),
                "H5Acreate2", close: H5Aclose)
            try site.check(H5Awrite(attribute.id, chdf5_native_double(), &number), "H5Awrite")
        }
    }

    /// Reads a one-element attribute: any integer type that fits Int64, any float, any string.
    static func read(_ name: String, on id: hid_t, site: Site) throws -> HDF5AttributeValue {
        guard try exists(name, on: id, site: site) else {
            throw HDF5Error.notFound(path: site.path, object: site.object)
        }
        let attribute = try site.handle(H5Aopen(id, name, chdf5_p_default()), "H5Aopen", close: H5Aclose)
        let space = try site.handle(H5Aget_space(attribute.id), "H5Aget_space", close: H5Sclose)
        let points = H5Sget_simple_extent_npoints(space.id)
        if points < 0 { throw site.libraryError("H5Sget_simple_extent_npoints") }
        if points != 1 {
            throw HDF5Error.wrongShape(path: site.path, object: site.object, expected: [],
                                       actual: try dimensions(of: space.id, site: site))
        }
        let type = try site.handle(H5Aget_type(attribute.id), "H5Aget_type", close: H5Tclose)
        let elementType = try HDF5ElementType.classify(type.id, site: site)
        let typeClass = H5Tget_class(type.id)
        switch typeClass {
        case H5T_INTEGER:
            // Unsigned 64-bit values may not fit; everything narrower converts exactly.
            if H5Tget_sign(type.id) == H5T_SGN_NONE, H5Tget_size(type.id) >= 8 {
                throw HDF5Error.wrongType(path: site.path, object: site.object,
                                          expected: "a string, an integer that fits int64 or a float",
                                          actual: elementType.description)
            }
            var number: Int64 = 0
            try site.check(H5Aread(attribute.id, chdf5_native_int64(), &number), "H5Aread")
            return .int64(number)
        case H5T_FLOAT:
            var number: Double = 0
            try site.check(H5Aread(attribute.id, chdf5_native_double(), &number), "H5Aread")
            return .double(number)
        case H5T_STRING:
            if case .fixedLengthString(let bytes) = elementType {
                var buffer = [UInt8](repeating: 0, count: bytes)
                try site.check(H5Aread(attribute.id, type.id, &buffer), "H5Aread")
                let padding = H5Tget_strpad(type.id)
                return .string(try decodeFixedString(buffer[...], spacePadded: padding == H5T_STR_SPACEPAD,
                                                     site: site, index: 0))
            }
            let memory = try variableLengthUTF8Type(site: site)
            var pointer: UnsafeMutablePointer<CChar>? = nil
            try site.check(H5Aread(attribute.id, memory.id, &pointer), "H5Aread")
            defer { _ = H5Dvlen_reclaim(memory.id, space.id, chdf5_p_default(), &pointer) }
            guard let pointer else { return .string("") }
            guard let string = String(validatingCString: pointer) else {
                throw HDF5Error.invalidUTF8(path: site.path, object: site.object, index: 0)
            }
            return .string(string)
        default:
            throw HDF5Error.wrongType(path: site.path, object: site.object,
                                      expected: "a string, an integer or a float", actual: elementType.description)
        }
    }

    /// Attribute names in HDF5's name order (byte-wise).
    static func names(on id: hid_t, site: Site) throws -> [String] {
        var names: [String] = []
        let status = withUnsafeMutablePointer(to: &names) { namesPointer in
            H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, clientData in
                guard let name, let clientData else { return -1 }
                clientData.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                return 0
            }, namesPointer)
        }
        try site.check(status, "H5Aiterate2")
        return names
    }

    static func typed<Value>(_ value: HDF5AttributeValue, site: Site, expected: String,
                             _ extract: (HDF5AttributeValue) -> Value?) throws -> Value {
        guard let result = extract(value) else {
            throw HDF5Error.wrongType(path: site.path, object: site.object, expected: expected, actual: value.typeName)
        }
        return result
    }
}

/// The extents of a simple dataspace (`[]` for a scalar).
func dimensions(of space: hid_t, site: Site) throws -> [Int] {
    let rank = H5Sget_simple_extent_ndims(space)
    try site.check(rank, "H5Sget_simple_extent_ndims")
    var dims = [hsize_t](repeating: 0, count: Int(rank))
    try site.check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims")
    return dims.map { Int($0) }
}

/// The attribute methods of groups and datasets (implemented once, over `attributeTarget`).
protocol HDF5AttributeHolder {
    var file: HDF5File { get }
    var path: String { get }
    var attributeTarget: hid_t { get }
}

extension HDF5AttributeHolder {
    /// Runs `body` under the module lock on an open file; errors name attribute `name`, or the
    /// object itself for `nil`.
    func withAttributeSite<Result>(_ name: String?, write: Bool = false,
                                   _ body: (Site) throws -> Result) throws -> Result {
        try HDF5Library.withLock {
            let site = name.map { AttributeIO.site(file, path, $0) } ?? Site(path: file.path, object: path)
            try file.ensureOpen(site: site, forWriting: write)
            return try body(site)
        }
    }
}

extension HDF5Group: HDF5AttributeHolder {
    var attributeTarget: hid_t { id }
}

extension HDF5Dataset: HDF5AttributeHolder {
    var attributeTarget: hid_t { id }
}

// The public attribute API, spelled out on both classes so it shows up in their documentation.

extension HDF5Group {
    /// Writes a scalar attribute, replacing one of the same name.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try withAttributeSite(name, write: true) { try AttributeIO.write(value, name: name, on: id, site: $0) }
    }
    public func setAttribute(_ name: String, _ value: String) throws { try setAttribute(name, .string(value)) }
    public func setAttribute(_ name: String, _ value: Int) throws { try setAttribute(name, .int64(Int64(value))) }
    public func setAttribute(_ name: String, _ value: Int64) throws { try setAttribute(name, .int64(value)) }
    public func setAttribute(_ name: String, _ value: Double) throws { try setAttribute(name, .double(value)) }

    /// Reads a scalar attribute (`notFound` when absent).
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try withAttributeSite(name) { try AttributeIO.read(name, on: id, site: $0) }
    }
    public func stringAttribute(_ name: String) throws -> String {
        try withAttributeSite(name) { site in
            try AttributeIO.typed(try AttributeIO.read(name, on: id, site: site), site: site, expected: "string") {
                if case .string(let value) = $0 { value } else { nil }
            }
        }
    }
    /// An integer attribute (any stored integer type that fits `Int64`).
    public func intAttribute(_ name: String) throws -> Int {
        try withAttributeSite(name) { site in
            let value = try AttributeIO.typed(try AttributeIO.read(name, on: id, site: site), site: site,
                                              expected: "integer") { if case .int64(let value) = $0 { value } else { nil } }
            guard let int = Int(exactly: value) else { throw site.invalid("\(value) does not fit Int") }
            return int
        }
    }
    /// A floating-point attribute (an integer attribute is a `wrongType`, not converted).
    public func doubleAttribute(_ name: String) throws -> Double {
        try withAttributeSite(name) { site in
            try AttributeIO.typed(try AttributeIO.read(name, on: id, site: site), site: site, expected: "float") {
                if case .double(let value) = $0 { value } else { nil }
            }
        }
    }
    public func hasAttribute(_ name: String) throws -> Bool {
        try withAttributeSite(name) { try AttributeIO.exists(name, on: id, site: $0) }
    }
    /// Attribute names, in byte-wise name order.
    public var attributeNames: [String] {
        get throws { try withAttributeSite(nil) { try AttributeIO.names(on: id, site: $0) } }
    }
}

extension HDF5Dataset {
    /// Writes a scalar attribute, replacing one of the same name.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try withAttributeSite(name, write: true) { try AttributeIO.write(value, name: name, on: id, site: $0) }
    }
    public func setAttribute(_ name: String, _ value: String) throws { try setAttribute(name, .string(value)) }
    public func setAttribute(_ name: String, _ value: Int) throws { try setAttribute(name, .int64(Int64(value))) }
    public func setAttribute(_ name: String, _ value: Int64) throws { try setAttribute(name, .int64(value)) }
    public func setAttribute(_ name: String, _ value: Double) throws { try setAttribute(name, .double(value)) }

    /// Reads a scalar attribute (`notFound` when absent).
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try withAttributeSite(name) { try AttributeIO.read(name, on: id, site: $0) }
    }
    public func hasAttribute(_ name: String) throws -> Bool {
        try withAttributeSite(name) { try AttributeIO.exists(name, on: id, site: $0) }
    }
    /// Attribute names, in byte-wise name order.
    public var attributeNames: [String] {
        get throws { try withAttributeSite(nil) { try AttributeIO.names(on: id, site: $0) } }
    }
}
