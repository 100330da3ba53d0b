import Compilation
import Foundation
import Testing
import TestSupport

/// What cross-validation keeps together, and how groups are dealt to folds.
struct CrossValidationTests {
    @Test func groupsAreTopicsOrTwinNumbers() throws {
        let folder = try Fixtures.temporaryDirectory("groups")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("groups.json")
        try Data(#"{"format_version": 1, "groups": {"harmful-0001": {"family": "f", "topic": "t:1", "twin": "harmless-0001"}}}"#.utf8).write(to: url)
        let groups = try PromptGroups(contentsOf: url)
        #expect(groups.group(of: "harmful-0001") == "topic:t:1")
        #expect(groups.group(of: "harmless-0007") == "twin:0007")  // not listed: its twin number
        #expect(PromptGroups.byTwin.group(of: "injection-0012") == PromptGroups.byTwin.group(of: "benign_instruction-0012"))

        try Data("{\"format_version\": 1,\n \"groups\": {\"a\": {}}}".utf8).write(to: url)
        #expect { try PromptGroups(contentsOf: url) } throws: { "\($0)".contains("groups[\"a\"] has no \"topic\" string") }
        try Data("{\"format_version\": 1,\n \"groups\": {\"a\": 1,}}".utf8).write(to: url)
        #expect { try PromptGroups(contentsOf: url) } throws: { "\($0)".contains("line 2, column") }
    }

    /// A topic never straddles folds, folds hold nearly equal numbers of groups, and each fold's
    /// complement has both classes; out-of-fold scores come from models that never saw the prompt.
    @Test func foldsKeepGroupsWholeAndScoreOutOfFold() throws {
        let ids = (0..<40).flatMap { ["pos-\($0 / 2)", "neg-\($0 / 2)"] }  // twins and repeats by number
        let labels = (0..<40).flatMap { _ in [true, false] }
        let folds = try ContrastFolds(ids: ids, labels: labels, groups: .byTwin, what: "test")
        #expect(folds.count == 5)
        var foldOfGroup: [String: Int] = [:]
        for (id, fold) in zip(ids, folds.folds) {
            let group = PromptGroups.byTwin.group(of: id)
            #expect(foldOfGroup[group, default: fold] == fold, "\(group) in two folds")
            foldOfGroup[group] = fold
        }
        let sizes = (0..<5).map { f in Set(foldOfGroup.filter { $0.value == f }.keys).count }
        #expect(sizes.max()! - sizes.min()! <= 1, "\(sizes)")
        // The "model" is the set of training indices: a sample's score says whether it was trained on.
        let scores = try folds.outOfFold(fit: { (training: [Int]) throws(CompilationError) in Set(training) },
                                         score: { training, i in training.contains(i) ? 1 : 0 })
        #expect(scores.allSatisfy { $0 == 0 })
    }

    /// Background negatives come after the contrast's prompts, labelled negative, and do not move the
    /// contrast's prompts between folds; their own groups are dealt evenly, and one the contrast has
    /// (the same twin number) joins the contrast's fold.
    @Test func backgroundIsDealtAfterTheContrast() throws {
        let ids = (0..<20).flatMap { ["pos-\($0)", "neg-\($0)"] }
        let labels = (0..<20).flatMap { _ in [true, false] }
        let background = (100..<130).map { "other-\($0)" } + ["other-7"]
        let plain = try ContrastFolds(ids: ids, labels: labels, groups: .byTwin, what: "test")
        let folds = try ContrastFolds(ids: ids, labels: labels, backgroundIDs: background, groups: .byTwin, what: "test")
        #expect(folds.contrastCount == ids.count && folds.labels == labels + [Bool](repeating: false, count: background.count))
        #expect(Array(folds.folds[..<ids.count]) == plain.folds)
        #expect(folds.folds.last == folds.folds[ids.firstIndex(of: "pos-7")!])
        let sizes = (0..<folds.count).map { f in folds.folds[ids.count..<(ids.count + 30)].filter { $0 == f }.count }
        #expect(sizes == [6, 6, 6, 6, 6], "\(sizes)")
        #expect(folds.contrastOnly([3, 41, 39, 40]) == [3, 39])
        // Each training fold needs both of the contrast's classes: the background does not stand in.
        #expect { try ContrastFolds(ids: ["pos-1", "pos-2"], labels: [true, true], backgroundIDs: ["other-1", "other-2"],
                                    groups: .byTwin, what: "test") } throws: { "\($0)".contains("training folds") }
    }
}
