import Foundation
import HDF5
import TestSupport
import Testing

/// Tests/Fixtures/hdf5/content.json (scripts/fixtures/make_hdf5.py): the groups, attributes and
/// datasets h5py wrote into h5py-written.h5 and our writer writes into swift-written.h5.
struct Content: Decodable {
    enum Values: Equatable {
        /// Exact float values (parsed from `float.hex()` strings), widened to Double.
        case floats([Double])
        case integers([Int64])
        case strings([String])
    }

    struct Dataset: Decodable {
        let path: String
        let dtype: String
        let shape: [Int]
        let chunk: [Int]
        let extendible: Bool
        /// Rows per append when our writer fills an extendible dataset.
        let batches: [Int]
        let values: Values

        enum CodingKeys: String, CodingKey { case path, dtype, shape, chunk, extendible, batches, values }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode(String.self, forKey: .path)
            dtype = try container.decode(String.self, forKey: .dtype)
            shape = try container.decode([Int].self, forKey: .shape)
            chunk = try container.decode([Int].self, forKey: .chunk)
            extendible = try container.decode(Bool.self, forKey: .extendible)
            batches = try container.decode([Int].self, forKey: .batches)
            switch dtype {
            case "float32", "float64":
                values = .floats(try container.decode([String].self, forKey: .values).map { try Content.exact($0) })
            case "string":
                values = .strings(try container.decode([String].self, forKey: .values))
            default:
                values = .integers(try container.decode([Int64].self, forKey: .values))
            }
        }

        var elementType: HDF5ElementType {
            switch dtype {
            case "float32": .float32
            case "float64": .float64
            case "int32": .int32
            case "int64": .int64
            case "uint8": .uint8
            default: .string
            }
        }

        /// The path relative to the root group.
        var relativePath: String { String(path.dropFirst()) }
        var rowSize: Int { shape.dropFirst().reduce(1, *) }
    }

    struct Attribute: Decodable {
        let value: HDF5AttributeValue

        enum CodingKeys: String, CodingKey { case type, value }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .type) {
            case "string": value = .string(try container.decode(String.self, forKey: .value))
            case "int64": value = .int64(try container.decode(Int64.self, forKey: .value))
            default: value = .double(try Content.exact(try container.decode(String.self, forKey: .value)))
            }
        }
    }

    struct H5pyOnly: Decodable {
        struct Attributes: Decodable {
            let int32: Int64
            let float32: Double
            let fixed_string: String
            let array_length: Int
        }
        struct CorruptChunk: Decodable { let path: String; let offset: Int; let size: Int }
        let fixed_strings: [String]
        let big_endian_float32: [Float]
        let int16: [Int]
        let attributes: Attributes
        let corrupt_chunk: CorruptChunk
    }

    let groups: [String]
    let attributes: [String: [String: Attribute]]
    let datasets: [Dataset]
    let h5py_only: H5pyOnly
    /// Every group's member names as h5py lists them.
    let listing: [String: [String]]

    static let shared: Content = {
        do {
            return try JSONDecoder().decode(Content.self, from: Data(contentsOf: Fixtures.url("hdf5/content.json")))
        } catch {
            fatalError("hdf5 fixture content.json: \(error)")
        }
    }()

    /// Parses a `float.hex()` string ("0x1.8p+1", "-0x0.0p+0", "nan", "inf") exactly.
    static func exact(_ text: String) throws -> Double {
        guard let value = Double(text) else { throw FixtureError.badFloat(text) }
        return value
    }

    enum FixtureError: Error { case badFloat(String) }

    // MARK: Writing with our writer

    /// Writes the content with our API: groups parent first, attributes and datasets in a fixed
    /// order, extendible datasets appended batch by batch. The same call gives the same bytes.
    static func write(_ content: Content = .shared, to url: URL) throws {
        let file = try HDF5File(url: url, mode: .create)
        for group in content.groups { try file.root.createGroup(String(group.dropFirst())) }
        for path in content.attributes.keys.sorted() {
            let group = path == "/" ? file.root : try file.root.openGroup(String(path.dropFirst()))
            for (name, attribute) in content.attributes[path, default: [:]].sorted(by: { $0.key < $1.key }) {
                try group.setAttribute(name, attribute.value)
            }
        }
        for dataset in content.datasets { try write(dataset, in: file.root) }
        try file.close()
    }

    static func write(_ spec: Dataset, in root: HDF5Group) throws {
        let initialShape = spec.extendible ? [0] + spec.shape.dropFirst() : spec.shape
        let dataset: HDF5Dataset
        if spec.dtype == "string" {
            dataset = try root.createStringDataset(spec.relativePath, count: initialShape[0], chunk: spec.chunk[0],
                                                   extendible: spec.extendible)
        } else {
            dataset = try createNumeric(spec, in: root, shape: initialShape)
        }
        var row = 0
        for batch in spec.batches {
            let rows = row..<(row + batch)
            if spec.extendible {
                try append(spec, rows: rows, to: dataset)
            } else {
                try writeWhole(spec, to: dataset)
            }
            row += batch
        }
    }

    static func createNumeric(_ spec: Dataset, in root: HDF5Group, shape: [Int]) throws -> HDF5Dataset {
        let name = spec.relativePath
        switch spec.dtype {
        case "float32": return try root.createDataset(name, of: Float.self, shape: shape, chunk: spec.chunk, extendible: spec.extendible)
        case "float64": return try root.createDataset(name, of: Double.self, shape: shape, chunk: spec.chunk, extendible: spec.extendible)
        case "int32": return try root.createDataset(name, of: Int32.self, shape: shape, chunk: spec.chunk, extendible: spec.extendible)
        case "int64": return try root.createDataset(name, of: Int64.self, shape: shape, chunk: spec.chunk, extendible: spec.extendible)
        default: return try root.createDataset(name, of: UInt8.self, shape: shape, chunk: spec.chunk, extendible: spec.extendible)
        }
    }

    /// Appends rows `rows` of the spec's values.
    static func append(_ spec: Dataset, rows: Range<Int>, to dataset: HDF5Dataset) throws {
        let elements = (rows.lowerBound * spec.rowSize)..<(rows.upperBound * spec.rowSize)
        switch (spec.values, spec.dtype) {
        case (.strings(let strings), _): try dataset.appendStrings(Array(strings[elements]))
        case (.floats(let values), "float32"): try dataset.append(rows: values[elements].map { Float($0) }, rowCount: rows.count)
        case (.floats(let values), _): try dataset.append(rows: Array(values[elements]), rowCount: rows.count)
        case (.integers(let values), "int32"): try dataset.append(rows: values[elements].map { Int32($0) }, rowCount: rows.count)
        case (.integers(let values), "int64"): try dataset.append(rows: Array(values[elements]), rowCount: rows.count)
        case (.integers(let values), _): try dataset.append(rows: values[elements].map { UInt8($0) }, rowCount: rows.count)
        }
    }

    static func writeWhole(_ spec: Dataset, to dataset: HDF5Dataset) throws {
        switch (spec.values, spec.dtype) {
        case (.strings(let strings), _): try dataset.writeStrings(strings)
        case (.floats(let values), "float32"): try dataset.write(values.map { Float($0) })
        case (.floats(let values), _): try dataset.write(values)
        case (.integers(let values), "int32"): try dataset.write(values.map { Int32($0) })
        case (.integers(let values), "int64"): try dataset.write(values)
        case (.integers(let values), _): try dataset.write(values.map { UInt8($0) })
        }
    }

    // MARK: Checking what a file holds

    /// Reads `spec`'s dataset from `root` and expects exactly the spec: element type, shape,
    /// chunk shape, extendibility and every value (floats bit for bit, so -0.0 and NaN count).
    static func expectMatches(_ spec: Dataset, in root: HDF5Group) throws {
        let dataset = try root.openDataset(spec.relativePath)
        #expect(dataset.elementType == spec.elementType, "\(spec.path)")
        #expect(try dataset.shape == spec.shape, "\(spec.path)")
        #expect(try dataset.chunkShape == spec.chunk, "\(spec.path)")
        let maxShape: [Int?] = spec.extendible ? [nil] + spec.shape.dropFirst().map { $0 } : spec.shape.map { $0 }
        #expect(try dataset.maxShape == maxShape, "\(spec.path)")
        switch (spec.values, spec.dtype) {
        case (.strings(let strings), _):
            #expect(try dataset.readStrings() == strings, "\(spec.path)")
        case (.floats(let values), "float32"):
            let read = try dataset.read(as: Float.self)
            #expect(read.map(\.bitPattern) == values.map { Float($0).bitPattern }, "\(spec.path)")
        case (.floats(let values), _):
            let read = try dataset.read(as: Double.self)
            #expect(read.map(\.bitPattern) == values.map(\.bitPattern), "\(spec.path)")
        case (.integers(let values), "int32"):
            #expect(try dataset.read(as: Int32.self) == values.map { Int32($0) }, "\(spec.path)")
        case (.integers(let values), "int64"):
            #expect(try dataset.read(as: Int64.self) == values, "\(spec.path)")
        case (.integers(let values), _):
            #expect(try dataset.read(as: UInt8.self) == values.map { UInt8($0) }, "\(spec.path)")
        }
    }

    /// Expects the groups, attributes and datasets of the content in the file at `url`.
    static func expectFileMatches(_ url: URL, content: Content = .shared) throws {
        let file = try HDF5File(url: url, mode: .readOnly)
        for group in content.groups {
            #expect(try file.root.kind(of: String(group.dropFirst())) == .group, "\(group)")
        }
        for (path, attributes) in content.attributes {
            let group = path == "/" ? file.root : try file.root.openGroup(String(path.dropFirst()))
            for (name, attribute) in attributes {
                #expect(try group.attribute(name) == attribute.value, "\(path) \(name)")
            }
        }
        for dataset in content.datasets { try expectMatches(dataset, in: file.root) }
    }
}
