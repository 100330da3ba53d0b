import CodebookRuntime
@testable import Compilation
import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// Windows trained as windows: a positive bag is positive through one of its windows only.
struct MultipleInstanceTests {
    /// A small deterministic generator (the tests must not depend on the platform's random numbers).
    struct LCG {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        /// Box–Muller.
        mutating func normal() -> Double {
            let radius: Double = (-2 * Foundation.log(1 - uniform())).squareRoot()
            let angle: Double = 2 * Double.pi * uniform()
            return radius * Foundation.cos(angle)
        }
    }

    /// `n` positive then `n` negative bags of 2–9 windows in 8 dimensions. Every window is noise around
    /// a topic offset in dimension 1 (shared by a prompt's windows); one window of each positive bag
    /// also carries the behavior, +3 in dimension 0.
    static func bags(n: Int, seed: UInt64) -> (bags: Bags, labels: [Bool], planted: [Int]) {
        var random = LCG(state: seed)
        var elements: [Double] = [], ranges: [Range<Int>] = [], planted: [Int] = []
        for bag in 0..<(2 * n) {
            let windows = 2 + Int(random.uniform() * 8)
            let start = ranges.last?.upperBound ?? 0
            let topic = 4 * random.normal()
            let signal = Int(random.uniform() * Double(windows))
            for w in 0..<windows {
                var x = (0..<8).map { _ in random.normal() }
                x[1] += topic
                if bag < n, w == signal { x[0] += 3 }
                elements += x
            }
            if bag < n { planted.append(start + signal) }
            ranges.append(start..<(start + windows))
        }
        return (Bags(instances: Matrix(rows: ranges.last!.upperBound, columns: 8, elements: elements), ranges: ranges),
                (0..<(2 * n)).map { $0 < n }, planted)
    }

    @Test func bagsScoreByTheirBestWindow() {
        let bags = Bags(instances: Matrix(rows: 3, columns: 1, elements: [1, 5, 2]), ranges: [0..<1, 1..<3])
        #expect(bags.scores { $0.first! } == [1, 5])
        #expect(bags.best(1) { -$0.first! }.row == 2)
        #expect(!bags.areSingletons)
    }

    /// The multiple-instance mean difference finds the planted windows and the behavior's axis; on new
    /// bags its max-window score separates the classes better than the plain direction fitted on every
    /// window of the positives.
    @Test func meanDifferenceFindsThePlantedWindows() throws {
        let train = Self.bags(n: 150, seed: 1)
        let all = Array(train.labels.indices)
        let direction = try MultipleInstance.meanDifference(train.bags, labels: train.labels, samples: all, what: "test")
        // The behavior's axis dominates: the topic offsets (dimension 1) and the noise are not the difference.
        #expect(abs(direction.vector[0]) > 0.9, "\(direction.vector)")
        let found = train.labels.indices.filter { train.labels[$0] }.map { train.bags.best($0) { direction.score($0) }.row }
        let hits = zip(found, train.planted).filter { $0 == $1 }.count
        // The noise of the other windows (up to 8 draws of a unit normal) outscores a planted +3 now and then.
        #expect(hits >= 130, "\(hits) of 150 planted windows found")

        // Held-out bags: the MIL direction against the naive one (its first round, every window of a positive).
        let test = Self.bags(n: 150, seed: 2)
        let positives = all.filter { train.labels[$0] }.flatMap { Array(train.bags.ranges[$0]) }
        let negatives = all.filter { !train.labels[$0] }.flatMap { Array(train.bags.ranges[$0]) }
        let naive = try MeanDifference.fit(positive: train.bags.instances.rows(positives), negative: train.bags.instances.rows(negatives))
        let mil = try ROC.auc(scores: test.bags.scores { direction.score($0) }, labels: test.labels)
        let plain = try ROC.auc(scores: test.bags.scores { naive.score($0) }, labels: test.labels)
        // The reference: the mean difference told which windows were planted.
        let told = try MeanDifference.fit(positive: train.bags.instances.rows(train.planted), negative: train.bags.instances.rows(negatives))
        let oracle = try ROC.auc(scores: test.bags.scores { told.score($0) }, labels: test.labels)
        #expect(mil > oracle - 0.02 && mil > plain + 0.1, "MIL \(mil), naive \(plain), told the windows \(oracle)")
    }

    /// With one vector per bag, the fit is SPEC §6's plain one, bit for bit.
    @Test func singletonBagsGiveThePlainFits() throws {
        var random = LCG(state: 9)
        let rows = 40, columns = 5
        let elements = (0..<(rows * columns)).map { _ in random.normal() }
        let matrix = Matrix(rows: rows, columns: columns, elements: elements)
        let bags = Bags(instances: matrix, ranges: (0..<rows).map { $0..<($0 + 1) })
        let labels = (0..<rows).map { $0 < 18 }
        let samples = Array(0..<rows).filter { $0 % 7 != 3 }  // a training fold
        let mil = try MultipleInstance.meanDifference(bags, labels: labels, samples: samples, what: "test")
        let plain = try MeanDifference.fit(positive: matrix.rows(samples.filter { labels[$0] }), negative: matrix.rows(samples.filter { !labels[$0] }))
        #expect(mil == plain)
        let probe = try MultipleInstance.probe(bags, labels: labels, samples: samples, selectedBy: mil, c: 0.1, what: "test")
        #expect(probe == (try Probe.fit(features: matrix.rows(samples), labels: samples.map { labels[$0] }, c: 0.1)))
    }

    /// The probe of bags trains on each positive's selected window and every window of the negatives.
    @Test func probeTrainsOnSelectedWindowsAndEveryNegativeWindow() {
        let bags = Bags(instances: Matrix(rows: 5, columns: 1, elements: [0, 3, 1, -1, 2]), ranges: [0..<3, 3..<5])
        let training = MultipleInstance.instances(bags, labels: [true, false], samples: [0, 1],
                                                  selectedBy: LinearDirection(vector: [1], bias: 0))
        #expect(training.rows == [1, 3, 4] && training.labels == [true, false, false])
    }
}

/// Against the NumPy / scikit-learn reference of `scripts/fixtures/make_multiple_instance.py`.
struct MultipleInstanceReferenceTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let samples: [Int]
            let vector: [Double]
            let bias: Double
            let scaled_vector: [Double]
            let scaled_bias: Double
            let selected_rows: [Int]
            let probe_c: Double
            let probe_weights: [Double]
            let probe_bias: Double
            let probe_mean: [Double]
            let probe_std: [Double]
            let bag_scores: [Double]
        }
        let rounds: Int
        let instances: [[Double]]
        let ranges: [[Int]]
        let labels: [Bool]
        let cases: [Case]
    }

    @Test func fitsMatchTheReference() throws {
        let reference: Reference = try Fixtures.decode("multiple-instance/bags.json")
        #expect(reference.rounds == MultipleInstance.rounds)
        let bags = Bags(instances: Matrix(reference.instances), ranges: reference.ranges.map { $0[0]..<$0[1] })
        for expected in reference.cases {
            let direction = try MultipleInstance.meanDifference(bags, labels: reference.labels, samples: expected.samples, what: expected.name)
            // The same selection each round (the scores differ by rounding only, ~1e-15, far below the gaps
            // between a bag's vectors), so the same means: a few ulps apart (NumPy sums pairwise).
            for (a, b) in zip(direction.vector, expected.vector) { #expect(abs(a - b) < 1e-12, "\(expected.name)") }
            #expect(abs(direction.bias - expected.bias) < 1e-12)
            let training = MultipleInstance.instances(bags, labels: reference.labels, samples: expected.samples, selectedBy: direction)
            #expect(training.rows == expected.selected_rows, "\(expected.name)")
            for (a, b) in zip(bags.scores { direction.score($0) }, expected.bag_scores) { #expect(abs(a - b) < 1e-12) }
            // The stored scorer: the scaled difference of the same windows (variances summed in another
            // order than NumPy's pairwise sums: a few ulps).
            let scaled = try MultipleInstance.scaledMeanDifference(bags, labels: reference.labels, samples: expected.samples,
                                                                   selectedBy: direction, what: expected.name)
            for (a, b) in zip(scaled.vector, expected.scaled_vector) { #expect(abs(a - b) < 1e-12, "\(expected.name)") }
            #expect(abs(scaled.bias - expected.scaled_bias) < 1e-12)
            // sklearn's newton-cholesky to 1e-12 and our Newton solver reach the same optimum to ~1e-9.
            let probe = try MultipleInstance.probe(bags, labels: reference.labels, samples: expected.samples, selectedBy: direction,
                                                   c: expected.probe_c, what: expected.name)
            for (a, b) in zip(probe.model.weights, expected.probe_weights) { #expect(abs(a - b) < 1e-7, "\(expected.name)") }
            #expect(abs(probe.model.bias - expected.probe_bias) < 1e-7)
            for (a, b) in zip(probe.standardization.mean + probe.standardization.std, expected.probe_mean + expected.probe_std) {
                #expect(abs(a - b) < 1e-12)
            }
            // The multi-layer probe on windows, selected by a probe that scores as the direction does:
            // the same windows, fitted by the dual solver, the same optimum as sklearn's to ~1e-9.
            let width = reference.instances[0].count
            let selecting = Probe(standardization: Standardization(mean: Array(repeating: 0, count: width), std: Array(repeating: 1, count: width)),
                                  model: LogisticModel(weights: direction.vector, bias: direction.bias))
            let windowed = try ScorerSelection.windowedMultilayerProbe(bags, labels: reference.labels, samples: expected.samples,
                                                                       selectedBy: selecting, c: expected.probe_c, fit: .dual, what: expected.name)
            for (a, b) in zip(windowed.model.weights, expected.probe_weights) { #expect(abs(a - b) < 1e-7, "\(expected.name)") }
            #expect(abs(windowed.model.bias - expected.probe_bias) < 1e-7)
            #expect(windowed.standardization == probe.standardization)
        }
    }
}
