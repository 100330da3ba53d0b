import CodebookRuntime
import Foundation
import JSON
import LinearAlgebra

/// Which train prompts cross-validation never separates. The catalogs are minimal pairs: a prompt and
/// its twin differ by a phrase, and prompts of one topic share most of their words, so a fold that
/// holds a prompt while training on its twin or topic-mates measures memory, not transfer.
///
/// A group is the prompt's topic from the catalog's `groups.json` (twins always share one:
/// conditions/README.md), or, for a prompt it does not list, the number its id ends with
/// (`harmful-0012` and `harmless-0012` are twins).
package struct PromptGroups: Sendable {
    private let topics: [String: String]

    /// Every prompt grouped with its twins by the number in its id.
    package static let byTwin = PromptGroups(topics: [:])

    private init(topics: [String: String]) { self.topics = topics }

    /// `groups.json`: `{"format_version": 1, "groups": {id: {"topic": …, …}}}`.
    package init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CompilationError.cannotRead(path: url.path, reason: FileErrorReason.of(error))
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(data).value
        } catch {
            let (line, column) = JSONLineIndex(data).position(of: error.offset)
            throw CompilationError.cannotRead(path: url.path, reason: "not valid JSON at line \(line), column \(column): \(error.reason)")
        }
        guard root["format_version"] == .number("1"), case let .object(groups)? = root["groups"] else {
            throw CompilationError.cannotRead(path: url.path, reason: "expected {\"format_version\": 1, \"groups\": {id: {\"topic\": …}}}")
        }
        var topics: [String: String] = [:]
        for group in groups {
            guard case let .string(topic)? = group.value["topic"] else {
                throw CompilationError.cannotRead(path: url.path, reason: "groups[\"\(group.key)\"] has no \"topic\" string")
            }
            topics[group.key] = topic
        }
        self.topics = topics
    }

    /// The group of a prompt id.
    package func group(of id: String) -> String {
        if let topic = topics[id] { return "topic:" + topic }
        let number = id.reversed().prefix { $0.isNumber }.reversed()
        return "twin:" + (number.isEmpty ? id : String(number))
    }
}

/// The folds of one contrast's train prompts, positives then negatives in catalog order (the order of
/// compile's train scores), then its background negatives (`TrainingSet.background`). Groups are dealt
/// to folds round-robin in the order of a hash of their name, so a group lands in one fold, folds hold
/// nearly equal numbers of groups, and the assignment does not depend on the order of the catalog. The
/// background's groups are dealt after the contrast's, separately, so that they do not move the
/// contrast's prompts between folds.
package struct ContrastFolds {
    /// Folds when there are enough groups.
    package static let preferredCount = 5

    /// The contrast's labels, then `false` for each background prompt.
    package let labels: [Bool]
    /// The fold of each sample.
    package let folds: [Int]
    package let count: Int
    /// Samples `0..<contrastCount` are the contrast's own prompts; the rest are background.
    package let contrastCount: Int

    package init(ids: [String], labels: [Bool], backgroundIDs: [String] = [], groups: PromptGroups, what: String) throws(CompilationError) {
        let names = ids.map(groups.group(of:))
        let distinct = Self.ordered(names)
        count = min(Self.preferredCount, distinct.count)
        guard count >= 2 else {
            throw .tooFewSamples(what: "\(what): groups of prompts for cross-validation", count: distinct.count, required: 2)
        }
        var fold: [String: Int] = [:]
        for (rank, name) in distinct.enumerated() { fold[name] = rank % count }
        let backgroundNames = backgroundIDs.map(groups.group(of:))
        // A background prompt whose group the contrast has (a shared topic or twin number) joins it.
        for (rank, name) in Self.ordered(backgroundNames.filter { fold[$0] == nil }).enumerated() { fold[name] = rank % count }
        folds = (names + backgroundNames).map { fold[$0]! }
        contrastCount = labels.count
        self.labels = labels + [Bool](repeating: false, count: backgroundIDs.count)
        // Each training fold must hold both of the contrast's own classes (the background is no substitute).
        for f in 0..<count {
            let training = labels.indices.filter { folds[$0] != f }
            let positives = training.filter { labels[$0] }.count
            guard positives > 0, positives < training.count else {
                throw .missingClass(what: "\(what): training folds without fold \(f + 1) of \(count)",
                                    positives: positives, negatives: training.count - positives)
            }
        }
    }

    /// The contrast's own samples of `samples` (without the background).
    package func contrastOnly(_ samples: [Int]) -> [Int] { samples.filter { $0 < contrastCount } }

    /// The contrast's own samples.
    package var contrastSamples: [Int] { Array(0..<contrastCount) }

    /// Every sample's score from a model fitted on the other folds: `fit(training samples)`, then
    /// `score(model, sample)` for each sample of the fold left out. With `scoring`, only those samples
    /// are scored (the others stay NaN).
    package func outOfFold<Model>(scoring: [Int]? = nil, fit: ([Int]) throws(CompilationError) -> Model,
                                  score: (Model, Int) -> Double) throws(CompilationError) -> [Double] {
        var scores = [Double](repeating: .nan, count: labels.count)
        let scored = scoring ?? Array(labels.indices)
        for f in 0..<count {
            let model = try fit(labels.indices.filter { folds[$0] != f })
            for i in scored where folds[i] == f { scores[i] = score(model, i) }
        }
        return scores
    }

    /// `outOfFold` for a model that scores each sample several ways (a path of C): `scores[k][i]` is
    /// sample `i`'s `k`-th score from the model fitted without its fold; `count` scores per sample.
    package func outOfFold<Model>(count: Int, fit: ([Int]) throws(CompilationError) -> Model,
                                  scores: (Model, Int) -> [Double]) throws(CompilationError) -> [[Double]] {
        var result = [[Double]](repeating: [Double](repeating: .nan, count: labels.count), count: count)
        for f in 0..<self.count {
            let model = try fit(labels.indices.filter { folds[$0] != f })
            for i in labels.indices where folds[i] == f {
                for (k, score) in scores(model, i).enumerated() { result[k][i] = score }
            }
        }
        return result
    }

    /// The distinct names, in the order of their hash (then name).
    private static func ordered(_ names: [String]) -> [String] {
        Set(names).sorted { (hash($0), $0) < (hash($1), $1) }
    }

    /// FNV-1a of the UTF-8 bytes: a fixed function, unlike `Hasher`, which is seeded per process.
    static func hash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}

extension Matrix where Scalar == Double {
    /// The rows at `indices`, in that order.
    func rows(_ indices: [Int]) -> Matrix {
        var elements: [Double] = []
        elements.reserveCapacity(indices.count * columns)
        for r in indices { elements += row(r) }
        return Matrix(rows: indices.count, columns: columns, elements: elements)
    }
}
