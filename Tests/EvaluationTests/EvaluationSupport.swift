import Foundation
import Testing
import TestSupport

/// The reference of `scripts/fixtures/make_evaluation.py`: the eval.json that NumPy, SciPy and
/// scikit-learn compute for each case (artifacts × activations × split), read as plain JSON so that the
/// comparison sees every key the script wrote.
enum EvaluationReference {
    struct Case: CustomTestStringConvertible, Sendable {
        let artifacts: String
        let activations: String
        let split: String
        /// The expected eval.json, as JSON text (re-parsed where compared).
        let eval: Data

        var testDescription: String { "\(artifacts) on \(activations) (\(split))" }
    }

    static let url = Fixtures.url("evaluation/reference.json")

    static func cases() throws -> [Case] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return try cases.map { entry in
            Case(artifacts: try #require(entry["artifacts"] as? String), activations: try #require(entry["activations"] as? String),
                 split: try #require(entry["split"] as? String),
                 eval: try JSONSerialization.data(withJSONObject: try #require(entry["eval"]), options: [.sortedKeys]))
        }
    }
}

/// Every difference between two JSON values: keys, strings and integers exactly; other numbers within
/// `tolerance`. Returns one line per difference, naming the path.
func jsonDifferences(_ got: Any, _ want: Any, path: String = "$", tolerance: Double) -> [String] {
    switch (got, want) {
    case let (a as [String: Any], b as [String: Any]):
        var out: [String] = []
        if Set(a.keys) != Set(b.keys) {
            out.append("\(path): keys \(a.keys.sorted()) ≠ \(b.keys.sorted())")
        }
        for key in Set(a.keys).intersection(b.keys).sorted() {
            out += jsonDifferences(a[key]!, b[key]!, path: "\(path).\(key)", tolerance: tolerance)
        }
        return out
    case let (a as [Any], b as [Any]):
        guard a.count == b.count else { return ["\(path): \(a.count) elements ≠ \(b.count)"] }
        return zip(a, b).enumerated().flatMap { jsonDifferences($1.0, $1.1, path: "\(path)[\($0)]", tolerance: tolerance) }
    case let (a as String, b as String):
        return a == b ? [] : ["\(path): \"\(a)\" ≠ \"\(b)\""]
    case let (a as NSNumber, b as NSNumber):
        let (x, y) = (a.doubleValue, b.doubleValue)
        return abs(x - y) <= tolerance ? [] : ["\(path): \(x) ≠ \(y) (difference \(x - y))"]
    default:
        return ["\(path): \(type(of: got)) \(got) ≠ \(type(of: want)) \(want)"]
    }
}

/// The built `evaluate` executable, run as a user would.
enum EvaluateCommand {
    static func run(_ arguments: [String]) throws -> Commands.Result {
        try Commands.run("evaluate", arguments)
    }
}

/// A copy of committed artifacts in a fresh folder, to change safely.
func copyArtifacts(_ relative: String) throws -> URL {
    let directory = try Fixtures.temporaryDirectory("artifacts")
    for name in ["basis.safetensors", "regions.safetensors", "splines.json", "config.json"] {
        try FileManager.default.copyItem(at: Fixtures.url(relative).appendingPathComponent(name), to: directory.appendingPathComponent(name))
    }
    return directory
}
