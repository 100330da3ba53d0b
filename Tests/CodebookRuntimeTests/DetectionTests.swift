import CodebookRuntime
import Foundation
import Testing
import TestSupport

/// `Codebook.detect` and `detectHidden` (SPEC §8) against a naive reference: every window's mean
/// recomputed from scratch out of the per-token scores of the allocating APIs (`score`, `decision`),
/// on seeded random prompts, with the codebook compile wrote for the compile fixture.
///
/// The fast path and the reference add the same numbers in the same order (a window's values oldest
/// first, starting from 0), so their results are compared exactly: any difference is a logic error
/// (a wrong window, a stale ring slot), not rounding.
@Suite struct DetectionTests {
    /// The committed artifacts (a few KB: loaded afresh by each test).
    static func loadCodebook() throws -> Codebook {
        try Codebook.load(Fixtures.url("compile/artifacts"))
    }

    /// A prompt of `tokens` random perturbations, `[tokens, 64]`, spread like the fixture's (the
    /// perturbations of 12 standardized values lie within about ±1.5 of zero).
    static func prompt(tokens: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(tokens * 64)).map { _ in Float.random(in: -1.2...1.2, using: &generator) }
    }

    /// The reference: per token the allocating `score`, per window a fresh sum, the first highest window.
    static func naive(_ codebook: Codebook, _ perturbations: [Float], window: Int) -> [(probability: Double, start: Int)] {
        let tokens = perturbations.count / 64
        let perToken = (0..<tokens).map { t in codebook.score(perturbations[(t * 64)..<((t + 1) * 64)]).map(\.probability) }
        let span = min(window, tokens)
        return codebook.directions.indices.map { i in
            var best = (probability: -Double.infinity, start: 0)
            for start in 0...(tokens - span) {
                var sum = 0.0
                for t in start..<(start + span) { sum += perToken[t][i] }
                if sum / Double(span) > best.probability { best = (sum / Double(span), start) }
            }
            return best
        }
    }

    static let lengths = [1, 2, 3, 7, 8, 15, 16, 17, 40]

    @Test(arguments: [1, 4, 8, 16])
    func matchesTheNaiveReference(window: Int) throws {
        let codebook = try Self.loadCodebook()
        for (k, tokens) in Self.lengths.enumerated() {
            let perturbations = Self.prompt(tokens: tokens, seed: UInt64(1000 * window + k))
            let result = try perturbations.withUnsafeBufferPointer { try codebook.detect(tokenPerturbations: $0, window: window) }
            let expected = Self.naive(codebook, perturbations, window: window)
            #expect(result.tokens == tokens)
            #expect(result.window == min(window, tokens), "a prompt shorter than the window is one window of all its tokens")
            #expect(result.directions.map(\.name) == codebook.directions.map(\.name))
            for (got, want) in zip(result.directions, expected) {
                #expect(got.probability == want.probability, "window \(window), \(tokens) tokens, \(got.name)")
                #expect(got.windowStart == want.start, "window \(window), \(tokens) tokens, \(got.name)")
            }
        }
    }

    /// The allocation-free `probabilities(_:into:)` path and the allocating `score` agree to the bit.
    @Test func windowOneIsTheHighestTokenProbability() throws {
        let codebook = try Self.loadCodebook()
        let perturbations = Self.prompt(tokens: 23, seed: 7)
        let result = try perturbations.withUnsafeBufferPointer { try codebook.detect(tokenPerturbations: $0, window: 1) }
        let perToken = (0..<23).map { t in codebook.score(perturbations[(t * 64)..<((t + 1) * 64)]) }
        for (i, direction) in result.directions.enumerated() {
            let probabilities = perToken.map { $0[i].probability }
            #expect(direction.probability == probabilities.max()!)
            #expect(direction.windowStart == probabilities.firstIndex(of: probabilities.max()!)!)
        }
    }

    /// One token: every window is that token, and its probability is `score`'s.
    @Test func aSingleTokenIsItsOwnWindow() throws {
        let codebook = try Self.loadCodebook()
        let perturbations = Self.prompt(tokens: 1, seed: 11)
        let expected = codebook.score(perturbations)
        for window in [1, 4, 8, 16, 1000] {
            let result = try perturbations.withUnsafeBufferPointer { try codebook.detect(tokenPerturbations: $0, window: window) }
            #expect(result.window == 1)
            #expect(result.directions.map(\.probability) == expected.map(\.probability))
            #expect(result.directions.map(\.windowStart) == Array(repeating: 0 as Int?, count: expected.count))
        }
    }

    /// Tokens A, B, A, B, A: the windows of two all have the same mean ((A+B)/2 = (B+A)/2 exactly), and the
    /// earliest is reported.
    @Test func equalWindowsReportTheEarliest() throws {
        let codebook = try Self.loadCodebook()
        let a = Self.prompt(tokens: 1, seed: 21), b = Self.prompt(tokens: 1, seed: 22)
        let perturbations = a + b + a + b + a
        let result = try perturbations.withUnsafeBufferPointer { try codebook.detect(tokenPerturbations: $0, window: 2) }
        #expect(result.directions.map(\.windowStart) == Array(repeating: 0 as Int?, count: codebook.directions.count))
    }

    @Test func thresholds() throws {
        let codebook = try Self.loadCodebook()
        let perturbations = Self.prompt(tokens: 12, seed: 31)
        func detect(_ threshold: DetectionThreshold) throws -> DetectionResult {
            try perturbations.withUnsafeBufferPointer { try codebook.detect(tokenPerturbations: $0, window: 4, threshold: threshold) }
        }
        let youden = try detect(.youden), fpr01 = try detect(.fpr01)
        for (i, direction) in codebook.directions.enumerated() {
            #expect(youden.directions[i].threshold == direction.threshold)
            #expect(youden.directions[i].flagged == (youden.directions[i].probability >= direction.threshold))
            #expect(fpr01.directions[i].threshold == direction.thresholdFPR01)
            #expect(fpr01.directions[i].flagged == (fpr01.directions[i].probability >= direction.thresholdFPR01))
        }
        // A probability is in (0, 1): everything is at or above 0, nothing at or above 1.
        #expect(try detect(.value(0)).directions.allSatisfy(\.flagged))
        #expect(try detect(.value(1)).directions.allSatisfy { !$0.flagged })
        // The probability at the threshold itself is flagged (p ≥ t).
        let p = youden.directions[0].probability
        #expect(try detect(.value(p)).directions[0].flagged)
        #expect(try !detect(.value(p.nextUp)).directions[0].flagged)
    }

    @Test func refusesBadInput() throws {
        let codebook = try Self.loadCodebook()
        let good = Self.prompt(tokens: 3, seed: 41)
        func detect(_ values: [Float], window: Int = 4, threshold: DetectionThreshold = .youden) throws(CodebookRuntimeError) -> DetectionResult {
            try values.withUnsafeBufferPointer { (buffer) throws(CodebookRuntimeError) -> DetectionResult in
                try codebook.detect(tokenPerturbations: buffer, window: window, threshold: threshold)
            }
        }
        #expect(throws: CodebookRuntimeError.invalidParameter(name: "window", value: "0", expected: "at least 1 token")) { try detect(good, window: 0) }
        #expect(throws: CodebookRuntimeError.self) { try detect([]) }
        #expect(throws: CodebookRuntimeError.self) { try detect(Array(good.dropLast())) }
        #expect(throws: CodebookRuntimeError.self) { try detect(good, threshold: .value(.nan)) }
        var nan = good
        nan[64 + 5] = .nan
        #expect(throws: CodebookRuntimeError.nonFiniteInput(what: "token perturbation 1")) { try detect(nan) }
        var infinite = good
        infinite[2 * 64] = .infinity
        #expect(throws: CodebookRuntimeError.nonFiniteInput(what: "token perturbation 2")) { try detect(infinite) }
    }

    // MARK: - Hidden-space directions

    /// Random per-token hidden states `[layers, tokens, d]` with offsets and scales like the fixture's.
    static func hidden(_ codebook: Codebook, tokens: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        let layers = codebook.configuration.model.numLayers, d = codebook.configuration.model.hiddenSize
        return (0..<(layers * tokens * d)).map { _ in Float.random(in: -3...3, using: &generator) }
    }

    static func detectHidden(_ codebook: Codebook, _ hidden: [Float], tokens: Int, window: Int) throws -> HiddenDetectionResult {
        let d = codebook.configuration.model.hiddenSize
        return try hidden.withUnsafeBufferPointer { all in
            try codebook.detectHidden(tokenHidden: { layer in UnsafeBufferPointer(rebasing: all[(layer * tokens * d)..<((layer + 1) * tokens * d)]) },
                                      tokens: tokens, window: window)
        }
    }

    @Test(arguments: [1, 4, 8, 16])
    func hiddenMatchesTheNaiveReference(window: Int) throws {
        let codebook = try Self.loadCodebook()
        let d = codebook.configuration.model.hiddenSize
        for (k, tokens) in Self.lengths.enumerated() {
            let hidden = Self.hidden(codebook, tokens: tokens, seed: UInt64(5000 + 100 * window + k))
            let result = try Self.detectHidden(codebook, hidden, tokens: tokens, window: window)
            #expect(result.window == min(window, tokens))
            func row(_ layer: Int, _ t: Int) -> ArraySlice<Float> {
                hidden[((layer * tokens + t) * d)..<((layer * tokens + t + 1) * d)]
            }
            for (i, direction) in codebook.directions.enumerated() {
                let scores = (0..<tokens).map { direction.meanDifference.decision(row(direction.meanDifference.layer, $0)) }
                let probabilities = (0..<tokens).map { LogisticModel.sigmoid(direction.probe.decision(row(direction.probe.layer, $0))) }
                let (score, scoreStart) = Self.bestWindow(scores, window: window)
                let (probability, probabilityStart) = Self.bestWindow(probabilities, window: window)
                let md = result.meanDifference[i], probe = result.probe[i]
                #expect(md.probability == LogisticModel.sigmoid(score))
                #expect(md.windowStart == scoreStart)
                #expect(md.threshold == direction.meanDifference.threshold)
                #expect(md.flagged == (score >= direction.meanDifference.threshold))
                #expect(probe.probability == probability)
                #expect(probe.windowStart == probabilityStart)
                #expect(probe.flagged == (probability >= direction.probe.threshold))
            }
        }
    }

    static func bestWindow(_ values: [Double], window: Int) -> (Double, Int) {
        let span = min(window, values.count)
        var best = (-Double.infinity, 0)
        for start in 0...(values.count - span) {
            var sum = 0.0
            for t in start..<(start + span) { sum += values[t] }
            if sum / Double(span) > best.0 { best = (sum / Double(span), start) }
        }
        return best
    }

    /// A window over the whole prompt: the mean-difference direction is linear, so the mean of the token
    /// scores is the score of the mean hidden state, what `scoreHidden` reads at the prompt level.
    @Test func wholePromptMeanDifferenceIsTheScoreOfTheMeanHiddenState() throws {
        let codebook = try Self.loadCodebook()
        let tokens = 9, d = codebook.configuration.model.hiddenSize
        let hidden = Self.hidden(codebook, tokens: tokens, seed: 77)
        let result = try Self.detectHidden(codebook, hidden, tokens: tokens, window: 100)
        let signals = codebook.scoreHidden { layer, _ in
            [(0..<d).map { j in
                Float((0..<tokens).map { Double(hidden[(layer * tokens + $0) * d + j]) }.reduce(0, +) / Double(tokens))
            }]
        }
        for (got, want) in zip(result.meanDifference, signals.meanDifference) {
            // Two orders of summation (tokens then dimensions, or the reverse) and the mean hidden state
            // rounded to Float (6e-8 relative, 12 dimensions, |d_j| ≤ 1): the scores differ by ~1e-6 at
            // most, the probabilities (σ' ≤ 1/4) by less.
            #expect(abs(got.probability - want.probability) < 1e-5, "\(got.name)")
            #expect(got.threshold == want.threshold)
        }
    }

    @Test func hiddenRefusesBadInput() throws {
        let codebook = try Self.loadCodebook()
        let hidden = Self.hidden(codebook, tokens: 4, seed: 91)
        #expect(throws: CodebookRuntimeError.self) { try Self.detectHidden(codebook, hidden, tokens: 4, window: 0) }
        #expect(throws: CodebookRuntimeError.self) { try Self.detectHidden(codebook, hidden, tokens: 0, window: 4) }
        // A layer's buffer one value short of [tokens, d]: the shape does not fit.
        let short = 4 * codebook.configuration.model.hiddenSize - 1
        #expect(throws: CodebookRuntimeError.self) {
            try hidden.withUnsafeBufferPointer { all in
                try codebook.detectHidden(tokenHidden: { _ in UnsafeBufferPointer(rebasing: all[0..<short]) }, tokens: 4, window: 2)
            }
        }
        var nan = hidden
        for i in nan.indices where i % 12 == 0 { nan[i] = .nan }  // every token, every layer
        #expect(throws: CodebookRuntimeError.self) { try Self.detectHidden(codebook, nan, tokens: 4, window: 2) }
    }
}
