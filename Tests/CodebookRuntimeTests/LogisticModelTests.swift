import CodebookRuntime
import Foundation
import Testing

@Suite struct LogisticModelTests {
    @Test func sigmoidIsStableInBothTails() {
        #expect(LogisticModel.sigmoid(0) == 0.5)
        #expect(LogisticModel.sigmoid(-0.0) == 0.5)
        #expect(LogisticModel.sigmoid(800) == 1)
        #expect(LogisticModel.sigmoid(-800) == 0)
        #expect(LogisticModel.sigmoid(.infinity) == 1)
        #expect(LogisticModel.sigmoid(-.infinity) == 0)
        #expect(LogisticModel.sigmoid(.nan).isNaN)
        // The lower tail keeps its relative precision: σ(−40) = e^−40 / (1 + e^−40).
        let expected = exp(-40.0) / (1 + exp(-40.0))
        #expect(abs(LogisticModel.sigmoid(-40) - expected) <= expected.ulp)
        // σ(t) + σ(−t) = 1 up to rounding.
        for t in stride(from: -30.0, through: 30, by: 0.37) {
            #expect(abs(LogisticModel.sigmoid(t) + LogisticModel.sigmoid(-t) - 1) <= 2 * Double.ulpOfOne)
        }
    }

    @Test func decisionIsTheAffineScore() {
        let model = LogisticModel(weights: [0.5, -2, 0.25], bias: 0.125)
        let features: [Double] = [2, 1, 4]
        #expect(model.decision(features) == 0.125)  // 0.125 + 1 − 2 + 1, exact in binary
        let single: [Float] = [2, 1, 4]
        #expect(single.withUnsafeBufferPointer { model.decision($0) } == 0.125)
        #expect(model.probability(features) == LogisticModel.sigmoid(0.125))
    }
}
