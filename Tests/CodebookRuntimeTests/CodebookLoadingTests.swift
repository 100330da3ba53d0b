import CodebookRuntime
import Foundation
import Testing
import TestSupport

/// `Codebook.load` refuses what SPEC §7 says readers refuse (an unknown `format_version`, a checksum that
/// does not match, a shape that does not fit) and what would make the runtime score garbage (a missing
/// file or tensor, a layer out of range, NaN parameters), with a message that names the file and the key.
///
/// Each test copies the committed artifacts of `Tests/Fixtures/compile/artifacts/` (written by compile
/// from the compile fixture, checked in Python by `scripts/fixtures/make_compile.py`) into a temporary
/// folder and changes one thing. Where the change is not about checksums, config.json's sha256 of the
/// changed file is updated too, so that only the intended defect remains.
@Suite struct CodebookLoadingTests {
    static let artifacts = Fixtures.url("compile/artifacts")

    /// The directions and hidden size of the committed artifacts.
    static let directionCount = 3
    static let hiddenSize = 12
    static let layerCount = 3

    // MARK: - Controls: the helpers alone do not break anything

    @Test func committedArtifactsLoad() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        let codebook = try Codebook.load(directory)
        #expect(codebook.directions.count == Self.directionCount)
        #expect(codebook.configuration.model.hiddenSize == Self.hiddenSize)
        #expect(codebook.configuration.model.numLayers == Self.layerCount)
        #expect(codebook.hasMultilayerProbes)
        #expect(codebook.directions.allSatisfy { $0.multilayerProbe?.weights.count == Self.layerCount * Self.hiddenSize })
    }

    /// Artifacts without multi-layer probes (compiled before 0.7.0) load, with none: the tensors are
    /// optional as a set, and so is the threshold.
    @Test func artifactsWithoutMultilayerProbesLoad() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try removeMultilayerProbes(directory) { $0 == "multilayer_probe" ? "probe" : $0 }
        let codebook = try Codebook.load(directory)
        #expect(!codebook.hasMultilayerProbes && codebook.directions.allSatisfy { $0.multilayerProbe == nil })
        #expect(codebook.deepestLayer == codebook.directions.reduce(codebook.layer) { max($0, $1.probe.layer) })
    }

    /// A verdict that names the multi-layer probe needs its tensors (the fixture's first two do).
    @Test func multilayerVerdictWithoutTensorsIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try removeMultilayerProbes(directory) { $0 }
        try expectRefusal(directory, naming: ["regions.safetensors", "multilayer_probe_weights"])
    }

    /// A direction without `multilayer_probe_threshold` has no multi-layer probe (compile leaves it out
    /// when its fit fails numerically): it loads, unless its verdict is the multi-layer probe's.
    @Test(arguments: [(1, true), (2, false)])
    func aDirectionWithoutMultilayerThreshold(direction: Int, isRefused: Bool) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        var scorer = ""
        try rewriteJSON(directory.appendingPathComponent("config.json")) { config in
            var directions = config["directions"] as! [[String: Any]]
            directions[direction]["multilayer_probe_threshold"] = nil
            scorer = (directions[direction]["verdict"] as! [String: Any])["scorer"] as! String
            config["directions"] = directions
        }
        try refreshChecksums(directory)
        #expect((scorer == "multilayer_probe") == isRefused, "the fixture's verdicts changed: direction \(direction) is \(scorer)'s")
        if isRefused {
            try expectRefusal(directory, naming: ["config.json", "multilayer_probe_threshold"])
        } else {
            let codebook = try Codebook.load(directory)
            #expect(codebook.directions[direction].multilayerProbe == nil && !codebook.hasMultilayerProbes)
            #expect(codebook.directions.indices.filter { codebook.directions[$0].multilayerProbe != nil } == [0, 1, 2].filter { $0 != direction })
        }
    }

    /// `multilayer_probe_pooling` (compiler 0.8.0) says how the multi-layer probe reads a prompt: absent
    /// (older artifacts) it reads the mean; `window_max` loads; a pooling it cannot read is refused,
    /// naming the key.
    @Test(arguments: [(nil, "mean"), ("mean", "mean"), ("window_max", "window_max"), ("last_token", nil)] as [(String?, String?)])
    func multilayerProbePooling(recorded: String?, read: String?) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteJSON(directory.appendingPathComponent("config.json")) { config in
            var directions = config["directions"] as! [[String: Any]]
            directions[0]["multilayer_probe_pooling"] = recorded
            config["directions"] = directions
        }
        try refreshChecksums(directory)
        if let read {
            let codebook = try Codebook.load(directory)
            #expect(codebook.directions[0].multilayerProbe?.pooling.rawValue == read)
            #expect(codebook.directions.dropFirst().allSatisfy { $0.multilayerProbe?.pooling == .mean })
        } else {
            try expectRefusal(directory, naming: ["config.json", "multilayer_probe_pooling", "last_token"])
        }
    }

    /// Rewriting every file through the tests' JSON and safetensors rewriters, unchanged in content, with
    /// the checksums refreshed, still loads and gives the same codebook: a refusal below is the defect's.
    @Test func rewrittenUnchangedArtifactsLoad() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try Codebook.load(directory)
        for name in ["basis.safetensors", "regions.safetensors"] {
            try rewriteSafeTensors(directory.appendingPathComponent(name)) { _ in }
        }
        try rewriteJSON(directory.appendingPathComponent("splines.json")) { _ in }
        try refreshChecksums(directory)
        let rewritten = try Codebook.load(directory)
        #expect(rewritten.basis == original.basis)
        #expect(rewritten.decomposition == original.decomposition)
        #expect(rewritten.directions.map(\.classifier) == original.directions.map(\.classifier))
        #expect(rewritten.directions.map(\.probe) == original.directions.map(\.probe))
    }

    // MARK: - Format versions

    @Test func unknownConfigVersionIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteJSON(directory.appendingPathComponent("config.json")) { $0["format_version"] = 2 }
        let error = try expectRefusal(directory, naming: ["config.json", "format_version"])
        #expect(error as? CodebookRuntimeError == .unsupportedVersion(file: directory.appendingPathComponent("config.json").path, version: 2, known: 1))
    }

    @Test func unknownSplinesVersionIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteJSON(directory.appendingPathComponent("splines.json")) { $0["format_version"] = 7 }
        try refreshChecksums(directory)
        let error = try expectRefusal(directory, naming: ["splines.json", "format_version"])
        #expect(error as? CodebookRuntimeError == .unsupportedVersion(file: directory.appendingPathComponent("splines.json").path, version: 7, known: 1))
    }

    // MARK: - Checksums

    /// One value changed after compile, config.json left as it was: the checksum names the file.
    @Test(arguments: ["basis.safetensors", "regions.safetensors", "splines.json"])
    func tamperedFileIsRefused(_ name: String) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        var bytes = [UInt8](try Data(contentsOf: url))
        if name.hasSuffix(".safetensors") {
            bytes[bytes.count - 4] ^= 1  // the lowest mantissa bit of the last F32 value
        } else {
            // The last digit of the first long number (a knot): still valid JSON, another value.
            let digits = Array("0123456789".utf8)
            var end = 0, run = 0
            for (i, byte) in bytes.enumerated() {
                run = digits.contains(byte) ? run + 1 : 0
                if run >= 12, i + 1 < bytes.count, !digits.contains(bytes[i + 1]) { end = i; break }
            }
            try #require(end > 0)
            bytes[end] = bytes[end] == UInt8(ascii: "9") ? UInt8(ascii: "8") : bytes[end] + 1
        }
        try Data(bytes).write(to: url)
        let error = try expectRefusal(directory, naming: [name, "sha256"])
        guard case let .checksumMismatch(file, _, _)? = error as? CodebookRuntimeError else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(file == url.path)
    }

    @Test func missingChecksumIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteJSON(directory.appendingPathComponent("config.json")) { config in
            var files = config["files"] as! [String: Any]
            files["regions.safetensors"] = nil
            config["files"] = files
        }
        try expectRefusal(directory, naming: ["config.json", "files.regions.safetensors"])
    }

    // MARK: - Files and tensors

    @Test func missingConfigIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("config.json"))
        let error = try expectRefusal(directory, naming: ["config.json"])
        guard case .cannotRead? = error as? CodebookRuntimeError else {
            Issue.record("expected cannotRead, got \(error)")
            return
        }
    }

    /// A shape that does not fit, with the bytes of the data unchanged where possible: `[D, d+1]` probe
    /// weights (the ask), and two same-size reshapes (`centroids` [D, 6], `basis` [64, 3]) that a reader
    /// checking only byte counts would accept.
    @Test(arguments: [
        ("regions.safetensors", "probe_weights", [CodebookLoadingTests.directionCount, CodebookLoadingTests.hiddenSize + 1]),
        ("regions.safetensors", "centroids", [CodebookLoadingTests.directionCount, 6]),
        ("basis.safetensors", "basis", [64, 3]),
        ("basis.safetensors", "singular_values", [2]),
        ("regions.safetensors", "multilayer_probe_weights",
         [CodebookLoadingTests.directionCount, CodebookLoadingTests.layerCount, CodebookLoadingTests.hiddenSize + 1]),
        ("regions.safetensors", "multilayer_probe_std", [CodebookLoadingTests.directionCount, CodebookLoadingTests.layerCount * CodebookLoadingTests.hiddenSize]),
    ])
    func wrongShapeIsRefused(_ file: String, _ tensor: String, _ shape: [Int]) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteSafeTensors(directory.appendingPathComponent(file)) { tensors in
            let i = tensors.firstIndex { $0.name == tensor }!
            let count = shape.reduce(1, *)
            var bytes = tensors[i].bytes
            if bytes.count < count * 4 {
                // [D, d] → [D, d+1]: each row gets one more value, 0.
                let old = tensors[i].shape.last!, new = shape.last!
                var padded = Data()
                for row in 0..<(count / new) {
                    padded.append(bytes.subdata(in: (row * old * 4)..<((row + 1) * old * 4)))
                    padded.append(Data(repeating: 0, count: (new - old) * 4))
                }
                bytes = padded
            } else {
                bytes = bytes.prefix(count * 4)
            }
            tensors[i] = SafeTensor(name: tensor, dtype: tensors[i].dtype, shape: shape, bytes: bytes)
        }
        try refreshChecksums(directory)
        try expectRefusal(directory, naming: [file, tensor])
    }

    @Test(arguments: [
        ("regions.safetensors", "cohen_d"), ("regions.safetensors", "direction_layers"),
        ("regions.safetensors", "probe_std"), ("regions.safetensors", "classifier_bias"),
        ("basis.safetensors", "mean"), ("basis.safetensors", "singular_values"),
        ("regions.safetensors", "multilayer_probe_bias"), ("regions.safetensors", "multilayer_probe_mean"),
        ("regions.safetensors", "multilayer_probe_weights"),
    ])
    func missingTensorIsRefused(_ file: String, _ tensor: String) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteSafeTensors(directory.appendingPathComponent(file)) { tensors in
            tensors.removeAll { $0.name == tensor }
        }
        try refreshChecksums(directory)
        try expectRefusal(directory, naming: [file, tensor])
    }

    // MARK: - Values

    /// A mean-difference layer outside `0..<num_layers` (the probe reads the same layer).
    @Test(arguments: [Int64(CodebookLoadingTests.layerCount), -1])
    func directionLayerOutOfRangeIsRefused(_ layer: Int64) throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rewriteSafeTensors(directory.appendingPathComponent("regions.safetensors")) { tensors in
            let i = tensors.firstIndex { $0.name == "direction_layers" }!
            var bytes = tensors[i].bytes
            withUnsafeBytes(of: layer.littleEndian) { bytes.replaceSubrange(8..<16, with: $0) }  // direction 1
            tensors[i].bytes = bytes
        }
        try refreshChecksums(directory)
        try expectRefusal(directory, naming: ["regions.safetensors", "direction_layers"])
    }

    @Test func nanInClassifierWeightsIsRefused() throws {
        let directory = try copyArtifacts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try setFloat(.nan, tensor: "classifier_weights", index: 4, in: directory.appendingPathComponent("regions.safetensors"))
        try refreshChecksums(directory)
        try expectRefusal(directory, naming: ["regions.safetensors", "classifier_weights"])
    }

    /// Every parameter `score` and `scoreHidden` compute with must be finite: a NaN there makes every
    /// probability NaN, and `NaN ≥ threshold` is false, so the firewall would silently flag nothing.
    /// (A regression: only the weight tensors were once checked, not the biases and the basis.)
    @Test(arguments: [
              ("basis.safetensors", "basis"), ("basis.safetensors", "mean"),
              ("regions.safetensors", "classifier_weights"), ("regions.safetensors", "classifier_bias"),
              ("regions.safetensors", "direction_vectors"), ("regions.safetensors", "direction_bias"),
              ("regions.safetensors", "probe_weights"), ("regions.safetensors", "probe_bias"),
              ("regions.safetensors", "probe_mean"), ("regions.safetensors", "probe_std"),
              ("regions.safetensors", "multilayer_probe_weights"), ("regions.safetensors", "multilayer_probe_bias"),
              ("regions.safetensors", "multilayer_probe_mean"), ("regions.safetensors", "multilayer_probe_std"),
          ])
    func nonFiniteScoringParameterIsRefused(_ file: String, _ tensor: String) throws {
        for value in [Float.nan, .infinity] {
            let directory = try copyArtifacts()
            defer { try? FileManager.default.removeItem(at: directory) }
            try setFloat(value, tensor: tensor, index: 1, in: directory.appendingPathComponent(file))
            try refreshChecksums(directory)
            try expectRefusal(directory, naming: [file, tensor])
        }
    }
}

// MARK: - Helpers

/// Loads `directory`, expecting a `CodebookRuntimeError` (or, for tensor-level problems, the safetensors
/// reader's error) whose message contains every string of `naming`. Returns the error.
@discardableResult
private func expectRefusal(_ directory: URL, naming: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> any Error {
    var thrown: (any Error)?
    do {
        _ = try Codebook.load(directory)
    } catch {
        thrown = error
    }
    let error = try #require(thrown, "the codebook loaded although \(naming.joined(separator: ", ")) is wrong", sourceLocation: sourceLocation)
    let message = String(describing: error)
    for name in naming {
        #expect(message.contains(name), "the message does not name \(name): \(message)", sourceLocation: sourceLocation)
    }
    return error
}

/// Removes the multi-layer probes' tensors and thresholds (as artifacts before 0.7.0 are), each
/// direction's verdict scorer mapped by `verdict`, and refreshes the checksums.
private func removeMultilayerProbes(_ directory: URL, verdict: (String) -> String) throws {
    try rewriteSafeTensors(directory.appendingPathComponent("regions.safetensors")) { tensors in
        tensors.removeAll { $0.name.hasPrefix("multilayer_probe_") }
    }
    try rewriteJSON(directory.appendingPathComponent("config.json")) { config in
        var directions = config["directions"] as! [[String: Any]]
        for i in directions.indices {
            directions[i]["multilayer_probe_threshold"] = nil
            var rule = directions[i]["verdict"] as! [String: Any]
            rule["scorer"] = verdict(rule["scorer"] as! String)
            directions[i]["verdict"] = rule
        }
        config["directions"] = directions
    }
    try refreshChecksums(directory)
}

private func copyArtifacts() throws -> URL {
    let directory = try Fixtures.temporaryDirectory("codebook-loading")
    for name in ["basis.safetensors", "regions.safetensors", "splines.json", "config.json"] {
        try FileManager.default.copyItem(at: CodebookLoadingTests.artifacts.appendingPathComponent(name),
                                         to: directory.appendingPathComponent(name))
    }
    return directory
}

/// Reads a JSON object, lets `change` edit it, writes it back (sorted keys).
private func rewriteJSON(_ url: URL, _ change: (inout [String: Any]) throws -> Void) throws {
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    try change(&object)
    // config.json is re-sealed (content_sha256), so the checks behind the seal are what is tested.
    let data = url.lastPathComponent == "config.json" ? try CodebookConfiguration.seal(object: object)
        : try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    try data.write(to: url)
}

/// Sets config.json's sha256 of the three other files to their current contents.
private func refreshChecksums(_ directory: URL) throws {
    var digests: [String: String] = [:]
    for name in ["basis.safetensors", "regions.safetensors", "splines.json"] {
        digests[name] = try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent(name))
    }
    try rewriteJSON(directory.appendingPathComponent("config.json")) { $0["files"] = digests }
}

/// One tensor of a safetensors file, its data as raw little-endian bytes.
private struct SafeTensor {
    var name: String
    var dtype: String
    var shape: [Int]
    var bytes: Data
}

/// Reads a safetensors file's tensors, lets `change` edit them, and writes a valid file again (header
/// `u64 length + JSON`, padded with spaces to 8 bytes, contiguous offsets in name order). Written here
/// rather than with the SafeTensors module so that the test depends on the format only.
private func rewriteSafeTensors(_ url: URL, _ change: (inout [SafeTensor]) throws -> Void) throws {
    let file = try Data(contentsOf: url)
    let length = file.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
    let header = try #require(try JSONSerialization.jsonObject(with: file.subdata(in: 8..<(8 + length))) as? [String: Any])
    let data = file.subdata(in: (8 + length)..<file.count)
    var tensors: [SafeTensor] = try header.keys.filter { $0 != "__metadata__" }.sorted().map { name in
        let entry = try #require(header[name] as? [String: Any])
        let offsets = try #require(entry["data_offsets"] as? [Int])
        return SafeTensor(name: name, dtype: try #require(entry["dtype"] as? String), shape: try #require(entry["shape"] as? [Int]),
                          bytes: data.subdata(in: offsets[0]..<offsets[1]))
    }
    try change(&tensors)
    var entries: [String: Any] = [:]
    var body = Data()
    for tensor in tensors {
        entries[tensor.name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [body.count, body.count + tensor.bytes.count]]
        body.append(tensor.bytes)
    }
    var json = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
    json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
    var output = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { output.append(contentsOf: $0) }
    output.append(json)
    output.append(body)
    try output.write(to: url)
}

/// Overwrites element `index` of an F32 tensor.
private func setFloat(_ value: Float, tensor: String, index: Int, in url: URL) throws {
    try rewriteSafeTensors(url) { tensors in
        let i = try #require(tensors.firstIndex { $0.name == tensor }, "no tensor \(tensor) in \(url.lastPathComponent)")
        try #require(tensors[i].dtype == "F32")
        var bytes = tensors[i].bytes
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.replaceSubrange((index * 4)..<(index * 4 + 4), with: $0) }
        tensors[i].bytes = bytes
    }
}
