import Foundation
import Testing
import TestSupport

/// README.md's "Embedding the screen" block is the code ScoringTests compiles and runs, word for word.
struct EmbeddingExampleDocumentationTests {
    @Test func readmeShowsTheEmbeddingExample() throws {
        let root = Fixtures.repositoryRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: root.appendingPathComponent("Tests/ScoringTests/EmbeddingExampleTests.swift"), encoding: .utf8)
        let lines = test.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.contains("// README: embedding begin") })
        let end = try #require(lines.firstIndex { $0.contains("// README: embedding end") })
        let example = lines[(begin + 1)..<end].map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : $0 }.joined(separator: "\n")
        let imports = "import CodebookRuntime\nimport DetectorModels\n\n"
        #expect(readme.contains("```swift\n" + imports + example + "\n```"),
                "README.md must show Tests/ScoringTests/EmbeddingExampleTests.swift's example, after its two imports, in a ```swift block")
    }
}
