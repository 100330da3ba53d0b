import Activations
import CodebookRuntime
import DetectorModels
import Dispatch
import Foundation

/// Turns one batch of prompts into the rows of the activations file in two steps, which `Extractor`
/// runs on two threads: a packed forward pass (`hiddenStates(of:)`), then for every content token and
/// layer the ICDF perturbation (SPEC §4) and the per-prompt means (`activations(of:states:condition:)`).
struct BatchComputer: Sendable {
    let detector: Detector

    /// The perturbation of one batch's tokens is spread over this many workers (the forward pass
    /// itself is parallel inside BLAS).
    private let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// How the detector's model type pools (SPEC §3).
    var pooling: Pooling { Pooling.of(modelType: detector.description.modelType) }

    /// The hidden states of every prompt of the batch, every layer.
    func hiddenStates(of batch: ExtractionPlan.Batch) throws -> [HiddenStates] {
        try detector.hiddenStates(batch.prompts.map(\.encoding))
    }

    /// The batch's rows of the activations file from its hidden states.
    func activations(of batch: ExtractionPlan.Batch, states: [HiddenStates], condition: String) throws -> ConditionBatch {
        let layers = detector.description.numLayers, d = detector.description.hiddenSize
        let levels = ActivationsLayout.levels

        // Where each prompt's content tokens start in the batch's token rows.
        var out = ConditionBatch()
        var rowStart: [Int] = []
        var contentTokens: [[Int]] = []  // per prompt: positions of its content tokens in the model's sequence
        for prompt in batch.prompts {
            rowStart.append(out.tokenIDs.count)
            let positions = prompt.encoding.isSpecial.indices.filter { !prompt.encoding.isSpecial[$0] }
            contentTokens.append(positions)
            out.ids.append(prompt.id)
            out.splits.append(prompt.split)
            out.truncated.append(prompt.encoding.truncated ? 1 : 0)
            out.tokenCounts.append(positions.count)
            out.tokenIDs.append(contentsOf: positions.map { prompt.encoding.ids[$0] })
        }
        let t = out.tokenIDs.count, n = batch.prompts.count

        // A NaN or an infinity anywhere is a broken model: say which prompt and layer, before any math.
        for (p, state) in states.enumerated() {
            if let i = state.values.firstIndex(where: { !$0.isFinite }) {
                throw ExtractionError.nonFiniteActivation(condition: condition, id: out.ids[p], layer: i / (state.tokens * d))
            }
        }

        // Token perturbations [t, layers, levels], split over workers by token rows.
        let icdf = try ICDFPerturbation(dimension: d)
        var tokenPerturbations = [Float](repeating: 0, count: t * layers * levels)
        let failure = FirstError()
        let (starts, positions) = (rowStart, contentTokens)  // immutable copies for the workers
        tokenPerturbations.withUnsafeMutableBufferPointer { output in
            let sink = SendableBuffer(output)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var scratch = ICDFPerturbation.Scratch()
                for p in 0..<n {
                    let tokens = states[p].tokens
                    states[p].values.withUnsafeBufferPointer { hidden in  // [layers, tokens, d]
                        for (k, position) in positions[p].enumerated() where (starts[p] + k) % workers == worker {
                            for layer in 0..<layers {
                                let h = (layer * tokens + position) * d
                                let row = ((starts[p] + k) * layers + layer) * levels
                                do {
                                    try icdf.perturbation(of: UnsafeBufferPointer(rebasing: hidden[h..<(h + d)]),
                                                          into: UnsafeMutableBufferPointer(rebasing: sink.buffer[row..<(row + levels)]),
                                                          scratch: &scratch)
                                } catch {
                                    failure.record(error)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let error = failure.error { throw error }

        // Per prompt: mean perturbation and mean hidden state over its pooled content tokens, pooled by
        // the runtime (SPEC §3's attention sink for a causal model), and the last layer's hidden state at
        // its last content token. Then the other hidden poolings compile chooses among (issue #14), as
        // the runtime defines them (`PromptStates.features`): the mean over every content token (only
        // where there is a sink to leave out), the last content token and each window's mean, every layer.
        let pooling = self.pooling, sink = pooling == .meanWithoutSink
        out.promptPerturbations = [Float](repeating: 0, count: n * layers * levels)
        out.hiddenMean = [Float](repeating: 0, count: n * layers * d)
        out.hiddenLast = [Float](repeating: 0, count: n * d)
        out.hiddenLastToken.reserveCapacity(n * layers * d)
        if sink { out.hiddenMeanAllTokens.reserveCapacity(n * layers * d) }
        for p in 0..<n {
            let positions = contentTokens[p]
            let prompt = try PromptStates(values: states[p].values, layers: layers, tokens: states[p].tokens, hiddenSize: d,
                                          isContent: batch.prompts[p].encoding.isSpecial.map { !$0 }, checkFinite: false)  // checked above
            let pooled = prompt.pooledPositions(pooling)
            let pooledRows = Array(pooling.pooled(positions.indices))  // the same tokens, as rows of this prompt
            for layer in 0..<layers {
                let mean = tokenPerturbations.withUnsafeBufferPointer { rows in
                    Pooling.average(rows, at: pooledRows.map { ((rowStart[p] + $0) * layers + layer) * levels }, width: levels)
                }
                out.promptPerturbations.replaceSubrange(((p * layers + layer) * levels)..<((p * layers + layer + 1) * levels), with: mean)
                let start = (p * layers + layer) * d
                out.hiddenMean.replaceSubrange(start..<(start + d), with: prompt.mean(layer: layer, over: pooled))
            }
            out.hiddenLast.replaceSubrange((p * d)..<((p + 1) * d), with: states[p].vector(layer: layers - 1, token: positions.last!))
            for layer in 0..<layers {
                if sink { out.hiddenMeanAllTokens += prompt.features(layer: layer, pooling: .meanAllTokens, model: pooling)[0] }
                out.hiddenLastToken += prompt.features(layer: layer, pooling: .lastToken, model: pooling)[0]
            }
            // Window rows are [window, layer, d]: each window's mean at every layer.
            let windows = prompt.windows(pooling)
            out.windowCounts.append(windows.count)
            for window in windows {
                for layer in 0..<layers { out.hiddenWindows += prompt.mean(layer: layer, over: window) }
            }
        }
        out.tokenPerturbations = tokenPerturbations
        try out.validate(layers: layers, hiddenSize: d, poolings: true, sink: sink)
        return out
    }
}

/// The first error raised by any worker of a parallel loop.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    func record(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if first == nil { first = error }
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}

/// A buffer whose workers write disjoint rows; the caller keeps it alive across the parallel loop.
private struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }
}
