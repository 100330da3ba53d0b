import Foundation

/// A fitted logistic regression: `P(positive | x) = σ(w·x + b)`.
package struct LogisticModel: Sendable, Equatable {
    package let weights: [Double]
    package let bias: Double

    package init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The logit `w·x + b`.
    package func decision(_ features: some Collection<Double>) -> Double {
        precondition(features.count == weights.count,
                     "LogisticModel: \(features.count) features for \(weights.count) weights")
        var t = bias
        for (w, x) in zip(weights, features) { t += w * x }
        return t
    }

    // The same operations for the collections compile scores with, without generics: called from
    // another module, the generic form ran unspecialized, each `zip` step looking up metadata at run
    // time (about a tenth of compile's time in a profile, where cross-validation scores every prompt).

    /// The logit `w·x + b`.
    package func decision(_ features: [Double]) -> Double {
        features.withUnsafeBufferPointer { decision($0) }
    }

    /// The logit `w·x + b`.
    package func decision(_ features: ArraySlice<Double>) -> Double {
        features.withUnsafeBufferPointer { decision($0) }
    }

    /// The logit `w·x + b`.
    package func decision(_ features: UnsafeBufferPointer<Double>) -> Double {
        precondition(features.count == weights.count,
                     "LogisticModel: \(features.count) features for \(weights.count) weights")
        var t = bias
        for i in 0..<weights.count { t += weights[i] * features[i] }
        return t
    }

    /// The logit for single-precision features (e.g. a hidden state).
    package func decision(_ features: UnsafeBufferPointer<Float>) -> Double {
        precondition(features.count == weights.count,
                     "LogisticModel: \(features.count) features for \(weights.count) weights")
        var t = bias
        for i in 0..<weights.count { t += weights[i] * Double(features[i]) }
        return t
    }

    /// The logit of a codebook point `(sum, u, v)`, with the same operations in the same order as the
    /// collection form (so compile's train probabilities and the runtime's agree to the bit), and no
    /// allocation: this is the runtime's per-token path.
    package func decision(_ x: SIMD3<Double>) -> Double {
        precondition(weights.count == 3, "LogisticModel: 3 features for \(weights.count) weights")
        var t = bias
        t += weights[0] * x.x
        t += weights[1] * x.y
        t += weights[2] * x.z
        return t
    }

    /// `σ(w·x + b)`.
    package func probability(_ features: some Collection<Double>) -> Double {
        Self.sigmoid(decision(features))
    }

    /// `1 / (1 + e^(−t))` without overflow: for `t < 0` it is computed as `e^t / (1 + e^t)`, so both
    /// tails keep their relative precision (σ(−800) is 0, never NaN; σ(40) rounds to 1).
    package static func sigmoid(_ t: Double) -> Double {
        if t >= 0 {
            return 1 / (1 + Foundation.exp(-t))
        }
        let e = Foundation.exp(t)
        return e / (1 + e)
    }
}
