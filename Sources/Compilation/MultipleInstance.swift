import CodebookRuntime
import LinearAlgebra

/// One contrast's train prompts as bags of hidden-state vectors at one layer and pooling: a bag per
/// prompt (positives then negatives, as `ContrastFolds` orders them), one vector for the prompt-level
/// poolings, one per window for `window_max`. A bag's score is the highest of its vectors' scores,
/// as the runtime scores a prompt (`HiddenDirection.decision(bag:)`).
struct Bags {
    /// Every vector, bag after bag: `[w, d]`.
    let instances: Matrix<Double>
    /// Bag `i`'s vectors are rows `ranges[i]` of `instances`.
    let ranges: [Range<Int>]

    init(instances: Matrix<Double>, ranges: [Range<Int>]) {
        precondition(ranges.last.map { $0.upperBound == instances.rows } ?? (instances.rows == 0), "Bags: ranges do not cover the instances")
        self.instances = instances
        self.ranges = ranges
    }

    var count: Int { ranges.count }

    /// Every bag holds one vector: the multiple-instance fit is the plain one.
    var areSingletons: Bool { ranges.allSatisfy { $0.count == 1 } }

    /// The highest score of bag `i`'s vectors, and which row gave it (the first among equals).
    func best(_ i: Int, _ score: (ArraySlice<Double>) -> Double) -> (score: Double, row: Int) {
        var best = (score: -Double.infinity, row: ranges[i].lowerBound)
        for r in ranges[i] {
            let s = score(instances.row(r))
            if s > best.score { best = (s, r) }
        }
        return best
    }

    /// The scores of bags `indices` (every bag's by default).
    func scores(of indices: [Int]? = nil, _ score: (ArraySlice<Double>) -> Double) -> [Double] {
        (indices ?? Array(ranges.indices)).map { best($0, score).score }
    }
}

/// Windows trained as windows (issue #14): a positive prompt is positive because *some* window of it
/// is (the injected sentence of an email), while every window of a negative prompt is negative. So the
/// fit separates each positive bag's best window from every window of the negative bags, and a bag is
/// scored by its best window. The best window depends on the direction, and the direction on the best
/// windows: alternate, as mi-SVM does (Andrews et al., 2003), from the start "every window of a
/// positive is positive", until no positive's window changes or after `rounds`.
enum MultipleInstance {
    /// Refits after the first: enough for the selection to settle on our catalogs (it changes little
    /// after the second) and bounded, so compile's time stays predictable.
    static let rounds = 4

    /// The mean difference (SPEC §6) of bags `samples`, multiple-instance when a bag has several vectors.
    static func meanDifference(_ bags: Bags, labels: [Bool], samples: [Int], what: String) throws(CompilationError) -> LinearDirection {
        func fit(_ positives: [Int], _ negatives: [Int]) throws(CompilationError) -> LinearDirection {
            try MeanDifference.fit(positive: bags.instances.rows(positives), negative: bags.instances.rows(negatives), what: what)
        }
        let negatives = samples.filter { !labels[$0] }.flatMap { Array(bags.ranges[$0]) }
        let positiveBags = samples.filter { labels[$0] }
        var selected = positiveBags.flatMap { Array(bags.ranges[$0]) }
        var direction = try fit(selected, negatives)
        if bags.areSingletons { return direction }
        for _ in 0..<rounds {
            let next = positiveBags.map { bags.best($0) { direction.score($0) }.row }
            if next == selected { break }
            selected = next
            direction = try fit(selected, negatives)
        }
        return direction
    }

    /// The training set of a classifier fitted on bags `samples` once their positives' best windows are
    /// known by `direction` (the multiple-instance mean difference): those windows and every window of
    /// the negatives. For prompt-level poolings, the bags' own vectors.
    static func instances(_ bags: Bags, labels: [Bool], samples: [Int], selectedBy direction: LinearDirection) -> (rows: [Int], labels: [Bool]) {
        instances(bags, labels: labels, samples: samples) { direction.score($0) }
    }

    /// `instances`, each positive's window the one `score` rates highest (the first among equals): for
    /// the multi-layer probe on windows, the multi-layer probe fitted on the prompts' means
    /// (`ScorerSelection`).
    static func instances(_ bags: Bags, labels: [Bool], samples: [Int],
                          selectedBy score: (ArraySlice<Double>) -> Double) -> (rows: [Int], labels: [Bool]) {
        var rows: [Int] = [], instanceLabels: [Bool] = []
        for i in samples {
            if labels[i] {
                rows.append(bags.best(i, score).row)
                instanceLabels.append(true)
            } else {
                rows += bags.ranges[i]
                instanceLabels += Array(repeating: false, count: bags.ranges[i].count)
            }
        }
        return (rows, instanceLabels)
    }

    /// The `mean_difference` scorer of bags `samples`: the scaled mean difference
    /// (`MeanDifference.fitScaled`) of the windows `instances` selects by the multiple-instance mean
    /// difference `direction` against every window of the negatives, as the probe is fitted.
    static func scaledMeanDifference(_ bags: Bags, labels: [Bool], samples: [Int], selectedBy direction: LinearDirection,
                                     what: String) throws(CompilationError) -> LinearDirection {
        let training = instances(bags, labels: labels, samples: samples, selectedBy: direction)
        let positives = training.rows.indices.filter { training.labels[$0] }.map { training.rows[$0] }
        let negatives = training.rows.indices.filter { !training.labels[$0] }.map { training.rows[$0] }
        return try MeanDifference.fitScaled(positive: bags.instances.rows(positives), negative: bags.instances.rows(negatives), what: what)
    }

    /// The probe (SPEC §6) of bags `samples`: fitted on the windows `instances` selects by the mean
    /// difference (refitting the probe's own selection would cost a probe fit per round).
    static func probe(_ bags: Bags, labels: [Bool], samples: [Int], selectedBy direction: LinearDirection, c: Double,
                      what: String) throws(CompilationError) -> Probe {
        let training = instances(bags, labels: labels, samples: samples, selectedBy: direction)
        return try Probe.fit(features: bags.instances.rows(training.rows), labels: training.labels, c: c, what: what)
    }
}
