/// Which of a direction's thresholds flags a detection.
package enum DetectionThreshold: Sendable, Equatable, Hashable {
    /// The stored `threshold`: maximizes Youden's J on the train split.
    case youden
    /// The stored `threshold_fpr01`: the lowest threshold with train FPR ≤ 1% (fewer false alarms).
    case fpr01
    /// A probability chosen by the caller, the same for every direction.
    case value(Double)
}

/// The windowed codebook detector's verdict on one prompt (SPEC §8), directions in `config.json`'s order.
package struct DetectionResult: Sendable, Equatable, Codable {
    /// The prompt's content tokens.
    package let tokens: Int
    /// The window actually used: the one asked for, or every token of a shorter prompt.
    package let window: Int
    package let directions: [DimensionSignal]

    package init(tokens: Int, window: Int, directions: [DimensionSignal]) {
        self.tokens = tokens
        self.window = window
        self.directions = directions
    }
}

/// The windowed hidden-space detectors' verdict on one prompt, directions in `config.json`'s order.
package struct HiddenDetectionResult: Sendable, Equatable, Codable {
    package let tokens: Int
    package let window: Int
    package let meanDifference: [DimensionSignal]
    package let probe: [DimensionSignal]

    enum CodingKeys: String, CodingKey {
        case tokens, window, probe
        case meanDifference = "mean_difference"
    }

    package init(tokens: Int, window: Int, meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        self.tokens = tokens
        self.window = window
        self.meanDifference = meanDifference
        self.probe = probe
    }
}

extension Codebook {
    /// The rolling-window detector of SPEC §8 on one prompt's token perturbations
    /// (`[tokens, 64]`, row-major, at the codebook's layer).
    ///
    /// Per token, every direction's classifier probability; per direction, the mean probability of each
    /// run of `window` consecutive tokens and the highest of those means over the prompt (a prompt shorter
    /// than the window is one window of all its tokens); flagged when that mean is at or above the
    /// threshold. A window of 1 gives the highest per-token probability.
    ///
    /// Each window's mean is summed afresh in token order from a ring of the last `window` probabilities
    /// (`[window, directions]`, allocated once per call) rather than kept as a running sum: a running sum
    /// drifts by the rounding of every addition and subtraction, so equal windows could compare unequal
    /// and window 1 would not give the per-token probabilities exactly. The cost, `directions × window`
    /// additions per token, is small next to the projection (`3 × 64`) and the splines.
    package func detect(tokenPerturbations: UnsafeBufferPointer<Float>, window: Int,
                       threshold: DetectionThreshold = .youden) throws(CodebookRuntimeError) -> DetectionResult {
        let levels = ProjectionBasis.levels
        let tokens = try Self.tokenCount(tokenPerturbations.count, width: levels, what: "token perturbations [tokens, 64]")
        try Self.validate(window: window)
        if case let .value(t) = threshold, t.isNaN {
            throw .invalidParameter(name: "detection threshold", value: "nan", expected: "a number")
        }
        let count = directions.count
        let span = min(window, tokens)
        var ring = [Double](repeating: 0, count: span * count)  // [span, directions]: token k in row k % span
        var best = [Double](repeating: -.infinity, count: count)
        var bestStart = [Int](repeating: 0, count: count)
        var nonFiniteToken: Int?
        ring.withUnsafeMutableBufferPointer { ring in
            for t in 0..<tokens {
                let row = UnsafeBufferPointer(rebasing: tokenPerturbations[(t * levels)..<((t + 1) * levels)])
                if row.contains(where: { !$0.isFinite }) {
                    nonFiniteToken = t
                    return
                }
                let slot = (t % span) * count
                probabilities(row, into: UnsafeMutableBufferPointer(rebasing: ring[slot..<(slot + count)]))
                if t + 1 >= span {
                    Self.updateBest(ring: UnsafeBufferPointer(ring), span: span, columns: count, last: t,
                                    best: &best, bestStart: &bestStart)
                }
            }
        }
        if let t = nonFiniteToken { throw .nonFiniteInput(what: "token perturbation \(t)") }
        let signals = directions.indices.map { i in
            let direction = directions[i]
            let cut: Double
            switch threshold {
            case .youden: cut = direction.threshold
            case .fpr01: cut = direction.thresholdFPR01
            case let .value(v): cut = v
            }
            return DimensionSignal(name: direction.name, probability: best[i], flagged: best[i] >= cut,
                                      threshold: cut, windowStart: bestStart[i])
        }
        return DetectionResult(tokens: tokens, window: span, directions: signals)
    }

    /// The rolling-window detector for the hidden-space directions (SPEC §8): `tokenHidden(layer)` gives
    /// the prompt's per-token hidden states at a layer (`[tokens, d]`, row-major; the buffer must stay
    /// valid for this call). Per direction, the windows average the mean-difference scores and the probe's
    /// probabilities (see `DimensionSignal` for the mean difference's convention); both are judged
    /// against their stored (Youden) thresholds.
    package func detectHidden(tokenHidden: (Int) -> UnsafeBufferPointer<Float>, tokens: Int,
                             window: Int) throws(CodebookRuntimeError) -> HiddenDetectionResult {
        let d = configuration.model.hiddenSize
        guard tokens >= 1 else {
            throw .invalidParameter(name: "tokens", value: "\(tokens)", expected: "at least 1 (a prompt has a content token)")
        }
        try Self.validate(window: window)
        let count = directions.count
        // Per direction, its layer's hidden states, fetched once and checked for shape.
        var meanDifferenceStates: [UnsafeBufferPointer<Float>] = []
        var probeStates: [UnsafeBufferPointer<Float>] = []
        for direction in directions {
            for (layer, what) in [(direction.meanDifference.layer, "mean-difference"), (direction.probe.layer, "probe")] {
                let states = tokenHidden(layer)
                guard states.count == tokens * d else {
                    throw .dimensionMismatch(what: "\(direction.name) \(what): hidden states [\(tokens), \(d)] at layer \(layer)",
                                             expected: tokens * d, actual: states.count)
                }
                if what == "probe" { probeStates.append(states) } else { meanDifferenceStates.append(states) }
            }
        }
        let span = min(window, tokens)
        // [span, directions] each: token k in row k % span.
        var scores = [Double](repeating: 0, count: span * count)
        var probabilities = [Double](repeating: 0, count: span * count)
        var bestScore = [Double](repeating: -.infinity, count: count), bestScoreStart = [Int](repeating: 0, count: count)
        var bestProbability = [Double](repeating: -.infinity, count: count), bestProbabilityStart = [Int](repeating: 0, count: count)
        var nonFinite: (token: Int, direction: Int)?
        scores.withUnsafeMutableBufferPointer { scores in
            probabilities.withUnsafeMutableBufferPointer { probabilities in
                for t in 0..<tokens {
                    let slot = (t % span) * count
                    for i in 0..<count {
                        let score = directions[i].meanDifference.decision(
                            UnsafeBufferPointer(rebasing: meanDifferenceStates[i][(t * d)..<((t + 1) * d)]))
                        let logit = directions[i].probe.decision(
                            UnsafeBufferPointer(rebasing: probeStates[i][(t * d)..<((t + 1) * d)]))
                        guard score.isFinite, logit.isFinite else {
                            nonFinite = (t, i)
                            return
                        }
                        scores[slot + i] = score
                        probabilities[slot + i] = LogisticModel.sigmoid(logit)
                    }
                    if t + 1 >= span {
                        Self.updateBest(ring: UnsafeBufferPointer(scores), span: span, columns: count, last: t,
                                        best: &bestScore, bestStart: &bestScoreStart)
                        Self.updateBest(ring: UnsafeBufferPointer(probabilities), span: span, columns: count, last: t,
                                        best: &bestProbability, bestStart: &bestProbabilityStart)
                    }
                }
            }
        }
        if let (t, i) = nonFinite {
            throw .nonFiniteInput(what: "hidden state of token \(t) (direction \(directions[i].name))")
        }
        let meanDifference = directions.indices.map { i in
            let cut = directions[i].meanDifference.threshold
            return DimensionSignal(name: directions[i].name, probability: LogisticModel.sigmoid(bestScore[i]),
                                      flagged: bestScore[i] >= cut, threshold: cut, windowStart: bestScoreStart[i])
        }
        let probe = directions.indices.map { i in
            let cut = directions[i].probe.threshold
            return DimensionSignal(name: directions[i].name, probability: bestProbability[i],
                                      flagged: bestProbability[i] >= cut, threshold: cut, windowStart: bestProbabilityStart[i])
        }
        return HiddenDetectionResult(tokens: tokens, window: span, meanDifference: meanDifference, probe: probe)
    }

    /// The window ending at token `last` (the `span` rows of the ring), per column: its mean, kept when it
    /// beats the best so far (strictly, so the earliest of equal windows stays).
    @inline(__always)
    private static func updateBest(ring: UnsafeBufferPointer<Double>, span: Int, columns: Int, last: Int,
                                   best: inout [Double], bestStart: inout [Int]) {
        let start = last + 1 - span
        for i in 0..<columns {
            var sum = 0.0
            for k in start...last { sum += ring[(k % span) * columns + i] }
            let mean = sum / Double(span)
            if mean > best[i] {
                best[i] = mean
                bestStart[i] = start
            }
        }
    }

    private static func tokenCount(_ count: Int, width: Int, what: String) throws(CodebookRuntimeError) -> Int {
        guard count % width == 0 else {
            throw .invalidParameter(name: what, value: "\(count) values", expected: "a multiple of \(width)")
        }
        guard count > 0 else {
            throw .invalidParameter(name: "\(what): tokens", value: "0", expected: "at least 1 (a prompt has a content token)")
        }
        return count / width
    }

    private static func validate(window: Int) throws(CodebookRuntimeError) {
        guard window >= 1 else { throw .invalidParameter(name: "window", value: "\(window)", expected: "at least 1 token") }
    }
}
