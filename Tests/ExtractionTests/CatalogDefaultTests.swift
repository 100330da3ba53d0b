import Activations
import CodebookRuntime
import Foundation
import Testing
import TestSupport
@testable import Extraction

/// The default catalog `conditions/` that `make compile` reads: it loads, has SPEC §2's eight contrasts,
/// enough prompts in both splits, and no text twice.
@Suite struct CatalogDefaultTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("conditions")

    /// SPEC §2's table, in its order.
    static let specContrasts = [
        Contrast(name: "self_ref_vs_other_ref", positive: "self_ref", negative: "other_ref"),
        Contrast(name: "violated_vs_expected", positive: "violated", negative: "expected"),
        Contrast(name: "code_violated_vs_code_expected", positive: "code_violated", negative: "code_expected"),
        Contrast(name: "instruction_vs_data", positive: "instruction", negative: "data"),
        Contrast(name: "tool_call_vs_natural_language", positive: "tool_call", negative: "natural_language"),
        Contrast(name: "uncertain_vs_confident", positive: "uncertain", negative: "confident"),
        Contrast(name: "harmful_vs_harmless", positive: "harmful", negative: "harmless"),
        Contrast(name: "injection_vs_benign_instruction", positive: "injection", negative: "benign_instruction"),
    ]

    @Test func hasTheEightContrasts() throws {
        let catalog = try Catalog.load(directory: Self.folder)
        #expect(catalog.contrasts == Self.specContrasts)
        #expect(catalog.conditions == Self.specContrasts.flatMap { [$0.positive, $0.negative] })
    }

    @Test func everyConditionHasEnoughPromptsInBothSplits() throws {
        let catalog = try Catalog.load(directory: Self.folder)
        for condition in catalog.conditions {
            let prompts = catalog.prompts[condition] ?? []
            let heldout = prompts.filter { $0.split == .heldout }.count
            #expect(prompts.count >= 200, "\(condition): \(prompts.count) prompts")
            #expect(heldout >= 50, "\(condition): \(heldout) heldout")
            #expect(prompts.count - heldout >= 150, "\(condition): \(prompts.count - heldout) train")
            // Ids follow `<condition>-NNNN`, so an id says where it comes from.
            #expect(prompts.allSatisfy { $0.id.hasPrefix("\(condition)-") }, "\(condition)")
        }
    }

    /// No two prompts anywhere in the catalog share a text, even up to case and spacing: a shared
    /// text would sit on both sides of a contrast or count twice.
    @Test func noDuplicateTexts() throws {
        let catalog = try Catalog.load(directory: Self.folder)
        var firstID: [String: String] = [:]
        var duplicates: [String] = []
        for condition in catalog.conditions {
            for prompt in catalog.prompts[condition] ?? [] {
                let key = prompt.text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if let first = firstID[key] {
                    duplicates.append("\(prompt.id) = \(first)")
                } else {
                    firstID[key] = prompt.id
                }
            }
        }
        #expect(duplicates.isEmpty, "\(duplicates.prefix(10))")
    }

    /// Both members of a minimal pair carry the same number (`harmful-0042` ↔ `harmless-0042`) and the
    /// same split, so no held-out prompt has its twin in the training data.
    @Test func pairsShareTheirSplit() throws {
        let catalog = try Catalog.load(directory: Self.folder)
        for contrast in catalog.contrasts {
            let positives = catalog.prompts[contrast.positive] ?? []
            let negatives = catalog.prompts[contrast.negative] ?? []
            #expect(positives.count == negatives.count, "\(contrast.name)")
            for (positive, negative) in zip(positives, negatives) {
                #expect(positive.id.dropFirst(contrast.positive.count) == negative.id.dropFirst(contrast.negative.count))
                #expect(positive.split == negative.split, "\(positive.id) / \(negative.id)")
            }
        }
    }
}
