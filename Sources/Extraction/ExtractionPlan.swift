import Activations
import DetectorModels
import Tokenizers

/// The whole job laid out before any forward pass: the shard's prompts of every condition,
/// tokenized (so a prompt with no content token stops the run before model work), cut into batches.
/// Batch boundaries depend only on the catalog and the batch size, so a resumed run redoes exactly
/// the batches an interrupted one had not finished.
struct ExtractionPlan {
    struct Prompt {
        let id: String
        let split: UInt8
        let encoding: Encoding
    }

    struct Batch {
        let prompts: [Prompt]
        /// Content tokens (the post-processor's special tokens are not counted).
        let tokenCount: Int
    }

    struct Condition {
        let name: String
        let batches: [Batch]
    }

    let conditions: [Condition]
    let totalPrompts: Int
    let totalTokens: Int
    let truncatedPrompts: Int

    init(catalog: Catalog, detector: Detector, maxTokens: Int, shard: Shard, batchSize: Int) throws {
        // Before any prompt: a limit the model cannot take is refused as such, not at the first long prompt.
        try detector.checkMaxContentTokens(maxTokens)
        var conditions: [Condition] = []
        var prompts = 0, tokens = 0, truncated = 0
        for name in catalog.conditions {
            let mine = (catalog.prompts[name] ?? []).enumerated().filter { shard.contains(position: $0.offset) }
            var planned: [Prompt] = []
            planned.reserveCapacity(mine.count)
            for (_, prompt) in mine {
                let encoding = detector.encode(prompt.text, maxContentTokens: maxTokens)
                guard encoding.contentCount > 0 else {
                    throw ExtractionError.noContentTokens(condition: name, id: prompt.id)
                }
                // The forward pass checks this too, but only batch by batch, after the parts folder
                // exists, and naming a prompt by its place in the batch: here the id is known. (No prompt
                // can be too long for the positions: maxTokens was checked against them first.)
                let limits = detector.description
                if let bad = encoding.ids.first(where: { $0 < 0 || Int($0) >= limits.vocabularySize }) {
                    throw ExtractionError.tokenOutOfRange(condition: name, id: prompt.id, token: bad, vocabularySize: limits.vocabularySize)
                }
                planned.append(Prompt(id: prompt.id, split: prompt.split.rawValue, encoding: encoding))
                tokens += encoding.contentCount
                truncated += encoding.truncated ? 1 : 0
            }
            prompts += planned.count
            let batches = stride(from: 0, to: planned.count, by: batchSize).map { start in
                let slice = Array(planned[start..<min(start + batchSize, planned.count)])
                return Batch(prompts: slice, tokenCount: slice.reduce(0) { $0 + $1.encoding.contentCount })
            }
            conditions.append(Condition(name: name, batches: batches))
        }
        self.conditions = conditions
        self.totalPrompts = prompts
        self.totalTokens = tokens
        self.truncatedPrompts = truncated
    }
}
