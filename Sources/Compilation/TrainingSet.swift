import Activations
import CodebookRuntime
import LinearAlgebra

/// The train split of an extraction, held in memory once for every layer's fit (SPEC §6: all
/// fitting uses the train split only).
struct TrainingSet {
    let header: ActivationsHeader
    let conditions: [String: ConditionActivations]
    /// Per condition, the rows of its train prompts.
    let trainRows: [String: [Int]]

    init(_ set: ActivationsSet) throws {
        header = set.header
        var conditions: [String: ConditionActivations] = [:]
        var trainRows: [String: [Int]] = [:]
        for name in set.conditions {
            let condition = try set.condition(name)
            conditions[name] = condition
            trainRows[name] = condition.index.splits.indices.filter { condition.index.splits[$0] == 0 }
        }
        self.conditions = conditions
        self.trainRows = trainRows
        for contrast in header.contrasts {
            for (side, name) in [("positive", contrast.positive), ("negative", contrast.negative)] {
                guard let rows = trainRows[name] else {
                    throw CompilationError.missingClass(what: "\(contrast.name): \(side) condition \(name) is not in the activations", positives: 0, negatives: 0)
                }
                guard rows.count >= 2 else {
                    throw CompilationError.tooFewSamples(what: "\(contrast.name): \(side) condition \(name), train split", count: rows.count, required: 2)
                }
            }
        }
    }

    var layerCount: Int { header.numLayers }

    /// Every train prompt's perturbation at `layer`, condition by condition in catalog order: `[N, 64]`.
    func population(layer: Int) -> Matrix<Double> {
        var elements: [Double] = []
        var rows = 0
        for name in header.conditions {
            let condition = conditions[name]!
            for row in trainRows[name]! {
                elements += condition.promptPerturbation(row, layer: layer).map(Double.init)
                rows += 1
            }
        }
        return Matrix(rows: rows, columns: ProjectionBasis.levels, elements: elements)
    }

    /// The train prompts' perturbations at `layer` of one condition.
    func perturbations(_ name: String, layer: Int) -> [ArraySlice<Float>] {
        let condition = conditions[name]!
        return trainRows[name]!.map { condition.promptPerturbation($0, layer: layer) }
    }

    /// The ids of one condition's train prompts.
    func trainIDs(_ name: String) -> [String] {
        let ids = conditions[name]!.index.ids
        return trainRows[name]!.map { ids[$0] }
    }

    /// The hidden poolings every condition of the file has (`mean` at least).
    var poolings: [HiddenPooling] {
        header.conditions.reduce(HiddenPooling.allCases) { available, name in
            let present = conditions[name]!.poolings(modelType: header.modelType)
            return available.filter(present.contains)
        }
    }

    /// A contrast's train prompts at `layer` read with `pooling`, positives then negatives, then the
    /// `background` prompts: a bag each.
    func bags(_ contrast: Contrast, layer: Int, pooling: HiddenPooling, background: [BackgroundPrompt] = []) -> Bags {
        bags(contrast, background: background, width: header.hiddenSize) { $0.hidden($1, layer: layer, pooling: pooling) }
    }

    /// A contrast's train prompts, positives then negatives, then the `background` prompts, each as its
    /// hidden states read with `pooling` at every layer, concatenated layer after layer: a bag each of
    /// `[layers · d]` vectors, what the multi-layer probe reads (one vector for the mean, one per window).
    func allLayers(_ contrast: Contrast, pooling: HiddenPooling, background: [BackgroundPrompt] = []) -> Bags {
        bags(contrast, background: background, width: layerCount * header.hiddenSize) { $0.allLayers($1, pooling: pooling) }
    }

    /// The bags of a contrast's train prompts and `background` (in `bags`' order), each the vectors of
    /// `width` values `read(condition, row)` gives.
    private func bags(_ contrast: Contrast, background: [BackgroundPrompt], width: Int,
                      _ read: (ConditionActivations, Int) -> [ArraySlice<Float>]) -> Bags {
        var prompts: [(name: String, row: Int)] = []
        for name in [contrast.positive, contrast.negative] { prompts += trainRows[name]!.map { (name, $0) } }
        prompts += background.map { ($0.condition, $0.row) }
        var elements: [Double] = [], ranges: [Range<Int>] = []
        for (name, row) in prompts {
            let vectors = read(conditions[name]!, row)
            let start = ranges.last?.upperBound ?? 0
            ranges.append(start..<(start + vectors.count))
            for vector in vectors { elements += vector.map(Double.init) }
        }
        return Bags(instances: Matrix(rows: ranges.last?.upperBound ?? 0, columns: width, elements: elements), ranges: ranges)
    }

    /// A contrast's background negatives: ordinary text of the catalog's other conditions, which a
    /// screen for the contrast's behavior must not flag either (an email is not an injection because it
    /// is not a benign instruction). Of the `m` conditions outside the contrast, every `m`-th train
    /// prompt of each, in catalog order: about as many prompts as one condition, so that they weigh
    /// about as much as the contrast's own negatives, its look-alikes.
    func background(_ contrast: Contrast) -> [BackgroundPrompt] {
        let others = header.conditions.filter { $0 != contrast.positive && $0 != contrast.negative }
        var prompts: [BackgroundPrompt] = []
        var populationIndex = 0
        for name in header.conditions {
            let rows = trainRows[name]!
            if others.contains(name) {
                for (position, row) in rows.enumerated() where position % others.count == 0 {
                    prompts.append(BackgroundPrompt(condition: name, row: row, id: conditions[name]!.index.ids[row],
                                                    populationIndex: populationIndex + position))
                }
            }
            populationIndex += rows.count
        }
        return prompts
    }
}

/// One train prompt of another condition, used as a negative of a contrast (`TrainingSet.background`).
struct BackgroundPrompt {
    let condition: String
    /// Its row in the condition's datasets.
    let row: Int
    let id: String
    /// Its index in `TrainingSet.population`'s rows (and `LayerFit.population`).
    let populationIndex: Int
}

/// Values are stored as F32 in the artifacts; compile rounds them first and computes every
/// threshold and AUC with the rounded values, so the runtime reproduces compile's numbers exactly.
@inline(__always) func storedAsFloat(_ x: Double) -> Double { Double(Float(x)) }
