import CodebookRuntime
import Foundation
import SafeTensors

/// Writes a codebook as the four artifacts of SPEC §7, deterministically (the same codebook gives
/// the same bytes) and so that a reader never sees a mix that looks valid: the old `config.json`
/// goes first, each file is written aside and renamed, and the new `config.json`, which holds the
/// others' checksums, comes last.
package enum CodebookWriter {
    package static func write(_ codebook: Codebook, to directory: URL) throws {
        let files = try serialize(codebook)
        let fm = FileManager.default
        let config = directory.appendingPathComponent(CodebookArtifacts.config)
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            if fm.fileExists(atPath: config.path) { try fm.removeItem(at: config) }
        } catch {
            throw CompilationError.cannotWrite(path: directory.path, reason: FileErrorReason.of(error))
        }
        for name in CodebookArtifacts.checksummed + [CodebookArtifacts.config] {
            // Aside under a fixed name, then renamed: a kill mid-write leaves `.<name>.partial`, which the
            // next run overwrites and renames away. (Foundation's `.atomic` picks a fresh random name
            // each time, so every kill left one more `.dat.nosync…` file in the artifacts for good.)
            let destination = directory.appendingPathComponent(name), partial = directory.appendingPathComponent(".\(name).partial")
            do {
                try files[name]!.write(to: partial)
            } catch {
                throw CompilationError.cannotWrite(path: destination.path, reason: FileErrorReason.of(error))
            }
            guard rename(partial.path, destination.path) == 0 else {
                throw CompilationError.cannotWrite(path: destination.path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// The four files' bytes, `config.json`'s checksums (of the other files and of its own content) filled in.
    package static func serialize(_ codebook: Codebook) throws -> [String: Data] {
        var files: [String: Data] = [:]
        files[CodebookArtifacts.basis] = Data(try basis(codebook).serialized())
        files[CodebookArtifacts.regions] = Data(try regions(codebook).serialized())
        files[CodebookArtifacts.splines] = try JSONEncoder.artifact.encode(splines(codebook))
        var configuration = codebook.configuration
        configuration.files = [:]
        for name in CodebookArtifacts.checksummed { configuration.files[name] = SHA256.hex(SHA256.hash(files[name]!)) }
        files[CodebookArtifacts.config] = try configuration.sealed().bytes
        return files
    }

    static func floats(_ values: [Double]) -> [Float] { values.map(Float.init) }
    static func floats(_ vectors: [SIMD3<Double>]) -> [Float] { vectors.flatMap { [Float($0.x), Float($0.y), Float($0.z)] } }

    static func basis(_ codebook: Codebook) throws -> SafeTensorsWriter {
        var writer = SafeTensorsWriter()
        try writer.add("basis", shape: [3, ProjectionBasis.levels], floats: floats(codebook.basis.components))
        try writer.add("mean", shape: [ProjectionBasis.levels], floats: floats(codebook.basis.mean))
        try writer.add("singular_values", shape: [codebook.singularValues.count], floats: floats(codebook.singularValues))
        return writer
    }

    static func regions(_ codebook: Codebook) throws -> SafeTensorsWriter {
        let directions = codebook.directions, D = directions.count, d = codebook.configuration.model.hiddenSize
        var writer = SafeTensorsWriter()
        try writer.add("centroids", shape: [D, 2, 3], floats: floats(directions.flatMap { [$0.centroids.positive, $0.centroids.negative] }))
        try writer.add("scale", shape: [D, 3], floats: floats(directions.map(\.scale)))
        try writer.add("cohen_d", shape: [D, 3], floats: floats(directions.map(\.cohenD)))
        try writer.add("classifier_weights", shape: [D, 3], floats: floats(directions.flatMap(\.classifier.weights)))
        try writer.add("classifier_bias", shape: [D], floats: floats(directions.map(\.classifier.bias)))
        try writer.add("population_mean", shape: [3], floats: floats([codebook.populationMean]))
        try writer.add("population_std", shape: [3], floats: floats([codebook.populationStd]))
        try writer.add("direction_vectors", shape: [D, d], floats: floats(directions.flatMap(\.meanDifference.weights)))
        try writer.add("direction_bias", shape: [D], floats: floats(directions.map(\.meanDifference.bias)))
        try writer.add("direction_layers", shape: [D], int64s: directions.map { Int64($0.meanDifference.layer) })
        try writer.add("probe_weights", shape: [D, d], floats: floats(directions.flatMap(\.probe.weights)))
        try writer.add("probe_bias", shape: [D], floats: floats(directions.map(\.probe.bias)))
        try writer.add("probe_mean", shape: [D, d], floats: floats(directions.flatMap { $0.probe.mean ?? [] }))
        try writer.add("probe_std", shape: [D, d], floats: floats(directions.flatMap { $0.probe.std ?? [] }))
        // The multi-layer probes over all L layers, when compile fitted any; a direction without one (its
        // fit failed) has zero weights and bias, zero mean and unit std, and no threshold in config.json.
        if directions.contains(where: { $0.multilayerProbe != nil }) {
            let L = codebook.configuration.model.numLayers
            let zeros = [Double](repeating: 0, count: L * d), ones = [Double](repeating: 1, count: L * d)
            let probes = directions.map(\.multilayerProbe)
            try writer.add("multilayer_probe_weights", shape: [D, L, d], floats: floats(probes.flatMap { $0?.weights ?? zeros }))
            try writer.add("multilayer_probe_bias", shape: [D], floats: floats(probes.map { $0?.bias ?? 0 }))
            try writer.add("multilayer_probe_mean", shape: [D, L, d], floats: floats(probes.flatMap { $0?.mean ?? zeros }))
            try writer.add("multilayer_probe_std", shape: [D, L, d], floats: floats(probes.flatMap { $0?.std ?? ones }))
        }
        return writer
    }

    static func splines(_ codebook: Codebook) -> SplinesDocument {
        let d = codebook.decomposition
        return SplinesDocument(z: d.marginals.map(SplinesDocument.Spline.init), sum: SplinesDocument.Spline(d.sum))
    }
}
