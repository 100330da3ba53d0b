import CodebookRuntime
import Foundation
import SafeTensors
import TestSupport
import Testing

/// Tampered artifacts given to `evaluate` and `codebook inspect`: exit 1, one line naming the file and
/// the key, and `evaluate` writes nothing. Some tamperings keep `config.json`'s checksums right, so
/// that the shape and value checks behind the checksum are reached too.
@Suite struct ArtifactRefusalTests {
    static let artifacts = Fixtures.url("compile/artifacts")
    static let activations = Fixtures.url("compile/activations.h5")

    /// A tampering: what it does to a copy of the artifacts, and what the line must name.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let file: String
        let mentions: [String]
        let tamper: @Sendable (URL) throws -> Void
        var testDescription: String { label }
    }

    static func readJSON(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func writeJSON(_ object: [String: Any], _ url: URL) throws {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]).write(to: url)
    }

    /// Changes `config.json` with `edit`, then re-seals its `content_sha256` as a careful forger would
    /// (so the checks behind the seal are reached); `reseal: false` leaves the old seal.
    static func editConfig(_ directory: URL, reseal: Bool = true, _ edit: (inout [String: Any]) throws -> Void) throws {
        let url = directory.appendingPathComponent("config.json")
        var config = try readJSON(url)
        try edit(&config)
        if reseal { try CodebookConfiguration.seal(object: config).write(to: url) } else { try writeJSON(config, url) }
    }

    /// Records `name`'s current sha256 in `config.json`, as a careful forger would.
    static func resign(_ directory: URL, _ name: String) throws {
        let digest = try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent(name))
        try editConfig(directory) { config in
            var files = config["files"] as? [String: Any] ?? [:]
            files[name] = digest
            config["files"] = files
        }
    }

    /// Rewrites one tensor of a safetensors artifact (others unchanged) and re-signs it.
    static func rewriteTensor(_ directory: URL, _ name: String, _ tensor: String, _ change: ([Int], [Float]) -> ([Int], [Float])) throws {
        let url = directory.appendingPathComponent(name)
        let file = try SafeTensorsFile(contentsOf: url)
        var writer = SafeTensorsWriter(metadata: file.metadata)
        for other in file.tensorNames {
            let info = try file.requireInfo(other)
            if info.dtype == .I64 {
                try writer.add(other, shape: info.shape, int64s: try file.int64s(other))
            } else if other == tensor {
                let (shape, values) = change(info.shape, try file.floats(other))
                try writer.add(other, shape: shape, floats: values)
            } else {
                try writer.add(other, shape: info.shape, floats: try file.floats(other))
            }
        }
        try writer.write(to: url)
        try resign(directory, name)
    }

    static let cases: [Case] = [
        Case(label: "a flipped byte in basis.safetensors", file: "basis.safetensors", mentions: ["sha256", "compile"]) { dir in
            let url = dir.appendingPathComponent("basis.safetensors")
            var bytes = try Data(contentsOf: url)
            bytes[bytes.count - 3] ^= 0x40
            try bytes.write(to: url)
        },
        Case(label: "an edited knot in splines.json", file: "splines.json", mentions: ["sha256"]) { dir in
            let url = dir.appendingPathComponent("splines.json")
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try Data(text.replacingOccurrences(of: "0.3781343290270709", with: "0.3781343290270708").utf8).write(to: url)
        },
        Case(label: "regions.safetensors missing", file: "regions.safetensors", mentions: []) { dir in
            try FileManager.default.removeItem(at: dir.appendingPathComponent("regions.safetensors"))
        },
        Case(label: "config.json missing", file: "config.json", mentions: []) { dir in
            try FileManager.default.removeItem(at: dir.appendingPathComponent("config.json"))
        },
        Case(label: "config.json cut short", file: "config.json", mentions: ["not valid JSON"]) { dir in
            let url = dir.appendingPathComponent("config.json")
            try Data(try Data(contentsOf: url).prefix(200)).write(to: url)
        },
        Case(label: "an unknown format_version in config.json", file: "config.json", mentions: ["format_version 2", "compile"]) { dir in
            try editConfig(dir) { $0["format_version"] = 2 }
        },
        Case(label: "an unknown format_version in splines.json", file: "splines.json", mentions: ["format_version 9"]) { dir in
            let url = dir.appendingPathComponent("splines.json")
            var splines = try readJSON(url)
            splines["format_version"] = 9
            try writeJSON(splines, url)
            try resign(dir, "splines.json")
        },
        Case(label: "no checksum for regions.safetensors", file: "config.json", mentions: ["files.regions.safetensors"]) { dir in
            try editConfig(dir) { config in
                var files = config["files"] as! [String: Any]
                files["regions.safetensors"] = nil
                config["files"] = files
            }
        },
        Case(label: "config.json's hidden_size off by one", file: "regions.safetensors", mentions: ["direction_vectors"]) { dir in
            try editConfig(dir) { config in
                var model = config["model"] as! [String: Any]
                model["hidden_size"] = 13
                config["model"] = model
            }
        },
        Case(label: "a re-signed basis of the wrong shape", file: "basis.safetensors", mentions: ["basis", "[3, 64]"]) { dir in
            try rewriteTensor(dir, "basis.safetensors", "basis") { _, values in ([2, 96], values) }
        },
        Case(label: "a re-signed NaN classifier weight", file: "regions.safetensors", mentions: ["classifier_weights", "not finite"]) { dir in
            try rewriteTensor(dir, "regions.safetensors", "classifier_weights") { shape, values in
                var poked = values
                poked[4] = .nan
                return (shape, poked)
            }
        },
        Case(label: "re-signed splines whose knots decrease", file: "splines.json", mentions: ["z[1]"]) { dir in
            let url = dir.appendingPathComponent("splines.json")
            var splines = try readJSON(url)
            var z = splines["z"] as! [[String: Any]]
            var knots = z[1]["knots"] as! [Double]
            knots.swapAt(3, 4)
            z[1]["knots"] = knots
            splines["z"] = z
            try writeJSON(splines, url)
            try resign(dir, "splines.json")
        },
        Case(label: "an edited threshold in config.json", file: "config.json", mentions: ["content_sha256", "edited", "compile"]) { dir in
            try editConfig(dir, reseal: false) { config in
                var directions = config["directions"] as! [[String: Any]]
                directions[0]["threshold"] = 0.01
                config["directions"] = directions
            }
        },
        Case(label: "another layer in config.json", file: "config.json", mentions: ["content_sha256", "edited"]) { dir in
            try editConfig(dir, reseal: false) { config in
                var perturbation = config["perturbation"] as! [String: Any]
                perturbation["layer"] = 1
                config["perturbation"] = perturbation
            }
        },
        Case(label: "no content_sha256 in config.json", file: "config.json", mentions: ["content_sha256", "missing", "compile"]) { dir in
            try editConfig(dir, reseal: false) { $0["content_sha256"] = nil }
        },
        Case(label: "a perturbation layer outside the model", file: "config.json", mentions: ["perturbation.layer"]) { dir in
            try editConfig(dir) { config in
                var perturbation = config["perturbation"] as! [String: Any]
                perturbation["layer"] = 3
                config["perturbation"] = perturbation
            }
        },
    ]

    static func tampered(_ testCase: Case, _ scratch: Scratch) throws -> URL {
        let directory = try scratch.copy(artifacts, as: "artifacts")
        try testCase.tamper(directory)
        return directory
    }

    @Test(arguments: cases)
    func evaluateRefusesTamperedArtifacts(_ testCase: Case) throws {
        let scratch = try Scratch("tampered-evaluate")
        let directory = try Self.tampered(testCase, scratch)
        let out = try scratch.folder("out")
        try expectRefusal("evaluate", ["--artifacts", directory.path, "--activations", Self.activations.path,
                                       "--out", out.appendingPathComponent("eval.json").path, "--report", out.appendingPathComponent("report.html").path],
                          mentions: [directory.appendingPathComponent(testCase.file).path] + testCase.mentions, untouched: out)
    }

    @Test(arguments: cases)
    func inspectRefusesTamperedArtifacts(_ testCase: Case) throws {
        let scratch = try Scratch("tampered-inspect")
        let directory = try Self.tampered(testCase, scratch)
        try expectRefusal("codebook", ["inspect", directory.path],
                          mentions: [directory.appendingPathComponent(testCase.file).path] + testCase.mentions, untouched: directory)
    }

    /// The same folders untampered: what the refusals are measured against.
    @Test func untamperedArtifactsAreAccepted() throws {
        let scratch = try Scratch("untampered")
        let directory = try scratch.copy(Self.artifacts, as: "artifacts")
        let inspect = try Commands.run("codebook", ["inspect", directory.path])
        #expect(inspect.exited(0), "\(inspect.stderr)")
        let out = try scratch.folder("out")
        let evaluate = try Commands.run("evaluate", ["--artifacts", directory.path, "--activations", Self.activations.path,
                                                     "--out", out.appendingPathComponent("eval.json").path])
        #expect(evaluate.exited(0), "\(evaluate.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["eval.json"])
    }

    /// Activations of another model than the codebook's (the default: evaluation's fixture).
    @Test func activationsOfAnotherModelAreRefused() throws {
        let scratch = try Scratch("other-model")
        let out = try scratch.folder("out")
        let other = Fixtures.url("evaluation/other_model.h5")
        try expectRefusal("evaluate", ["--artifacts", Self.artifacts.path, "--activations", other.path,
                                       "--out", out.appendingPathComponent("eval.json").path],
                          mentions: [other.path, "model_sha256"], untouched: out)
    }

    @Test func missingOutputFolderIsRefused() throws {
        let scratch = try Scratch("evaluate-no-out")
        try expectRefusal("evaluate", ["--artifacts", Self.artifacts.path, "--activations", Self.activations.path,
                                       "--out", scratch.path("missing/eval.json")],
                          mentions: [scratch.path("missing")], untouched: scratch.url)
    }

    /// `codebook score` with a codebook compiled for another model than the one given.
    @Test func scoringWithAnotherModelsCodebookIsRefused() throws {
        let scratch = try Scratch("score-other-model")
        let directory = try scratch.copy(Self.artifacts, as: "artifacts")
        try expectRefusal("codebook", ["score", "--artifacts", directory.path, "--model", Fixtures.url("models/tiny-llama").path, "some text"],
                          mentions: [], untouched: directory)
    }
}
