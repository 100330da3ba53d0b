import Activations
import CodebookRuntime
import Foundation
import Testing
import TestSupport
@testable import Extraction

/// The default catalog `conditions/` that `make compile` reads: it loads, has SPEC §2's eight contrasts,
/// enough prompts in both splits, no text twice, and a `groups.json` sidecar that keeps topics and twins
/// inside one split.
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
            #expect(prompts.count >= 1000, "\(condition): \(prompts.count) prompts")
            #expect(heldout >= 200, "\(condition): \(heldout) heldout")
            #expect(prompts.count - heldout >= 800, "\(condition): \(prompts.count - heldout) train")
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

    /// `groups.json` (written by scripts/catalog/generate.py beside the catalog, for grouped cross-validation)
    /// names every prompt's template family, topic and twin. A held-out prompt must not share its topic with
    /// any training prompt of its contrast, and a twin sits in its partner's split: otherwise held-out AUC
    /// would again measure recall of training material.
    @Test func groupsKeepTopicsAndTwinsInOneSplit() throws {
        let catalog = try Catalog.load(directory: Self.folder)
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("groups.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["format_version"] as? Int == 1)
        let groups = try #require(root["groups"] as? [String: [String: Any]])
        var splitOf: [String: Split] = [:]
        for prompts in catalog.prompts.values {
            for prompt in prompts { splitOf[prompt.id] = prompt.split }
        }
        #expect(Set(groups.keys) == Set(splitOf.keys), "groups.json and the catalog list different ids")
        for contrast in catalog.contrasts {
            var splitsOfTopic: [String: Set<Split>] = [:]
            for condition in [contrast.positive, contrast.negative] {
                for prompt in catalog.prompts[condition] ?? [] {
                    let group = try #require(groups[prompt.id], "\(prompt.id) has no group")
                    let family = try #require(group["family"] as? String, "\(prompt.id): family")
                    let topic = try #require(group["topic"] as? String, "\(prompt.id): topic")
                    #expect(!family.isEmpty && !topic.isEmpty, "\(prompt.id)")
                    splitsOfTopic[topic, default: []].insert(prompt.split)
                    if let twin = group["twin"] as? String {
                        #expect(splitOf[twin] == prompt.split, "\(prompt.id) and its twin \(twin) are in different splits")
                    } else {
                        #expect(group["twin"] is NSNull, "\(prompt.id): twin is neither an id nor null")
                    }
                }
            }
            let crossing = splitsOfTopic.filter { $0.value.count > 1 }.keys.sorted()
            #expect(crossing.isEmpty, "\(contrast.name): topics in both splits: \(crossing.prefix(5))")
        }
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
