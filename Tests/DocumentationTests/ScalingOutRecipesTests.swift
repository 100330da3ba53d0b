import Foundation
import TestSupport
import Testing

/// README.md's "Scaling out" recipes are right, and stay so: the Slurm block (which `make test-slurm`
/// runs on a real Slurm cluster, taking it from README.md) and the Kubernetes Indexed Job (which no
/// cluster here can run: parsed as YAML with Yams and its fields checked). The checker itself is shown
/// to catch each mistake it looks for, on copies of the README with that mistake made.
@Suite struct ScalingOutRecipesTests {
    static func readme() throws -> String {
        try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    @Test func theSlurmRecipeIsRight() throws {
        let (shards, problems) = try ScalingOutRecipes(readme: Self.readme()).checkSlurm()
        #expect(problems == [])
        #expect(shards == 4)  // what make test-slurm ran and the README reports
    }

    @Test func theKubernetesRecipeIsRight() throws {
        let recipes = try ScalingOutRecipes(readme: Self.readme())
        let (shards, problems) = try recipes.checkKubernetes()
        #expect(problems == [])
        // The same split as the Slurm recipe, so the two recipes produce the same shard files.
        let slurmShards = try recipes.checkSlurm().shards
        #expect(shards != nil && shards == slurmShards)
    }

    /// One mistake each: the README text with `original` replaced by `mistake`, and a word the
    /// problem found must contain.
    struct Mistake: Sendable, CustomTestStringConvertible {
        let original: String, mistake: String, mentions: String
        var testDescription: String { "\(original) → \(mistake)" }
    }

    @Test(arguments: [
        Mistake(original: "--array=0-3", mistake: "--array=0-7", mentions: "--shard"),
        Mistake(original: "--shard $SLURM_ARRAY_TASK_ID/4", mistake: "--shard 0/4", mentions: "--shard"),
        Mistake(original: "shards/a-$SLURM_ARRAY_TASK_ID.h5", mistake: "shards/a.h5", mentions: "same file"),
        Mistake(original: "/4 --resume')", mistake: "/4')", mentions: "--resume"),
        Mistake(original: "afterok:$jid", mistake: "afterany:$jid", mentions: "afterok"),
        Mistake(original: "--activations shards/a-*.h5", mistake: "--activations shards/*.h5", mentions: "compile reads"),
        Mistake(original: "sbatch --parsable", mistake: "sbatch", mentions: "--parsable"),
    ])
    func slurmMistakesAreCaught(_ m: Mistake) throws {
        let readme = try Self.readme()
        try #require(readme.contains(m.original))
        let (_, problems) = try ScalingOutRecipes(readme: readme.replacingOccurrences(of: m.original, with: m.mistake)).checkSlurm()
        #expect(problems.contains { $0.contains(m.mentions) }, "\(problems)")
    }

    @Test(arguments: [
        Mistake(original: "completionMode: Indexed", mistake: "completionMode: NonIndexed", mentions: "Indexed"),
        Mistake(original: "completions: 4", mistake: "completions: 8", mentions: "--shard"),
        Mistake(original: "parallelism: 4", mistake: "parallelism: 9", mentions: "parallelism"),
        Mistake(original: "--shard $JOB_COMPLETION_INDEX/4", mistake: "--shard $SLURM_ARRAY_TASK_ID/4", mentions: "--shard"),
        Mistake(original: "shards/a-$JOB_COMPLETION_INDEX.h5", mistake: "shards/a.h5", mentions: "same file"),
        Mistake(original: "kind: Job", mistake: "kind: Pod", mentions: "Job"),
        Mistake(original: "restartPolicy: OnFailure", mistake: "restartPolicy: Always", mentions: "restartPolicy"),
    ])
    func kubernetesMistakesAreCaught(_ m: Mistake) throws {
        let readme = try Self.readme()
        try #require(readme.contains(m.original))
        let (_, problems) = try ScalingOutRecipes(readme: readme.replacingOccurrences(of: m.original, with: m.mistake)).checkKubernetes()
        #expect(problems.contains { $0.contains(m.mentions) }, "\(problems)")
    }

    /// Broken YAML (an unclosed flow mapping) is refused by the parser, not read loosely.
    @Test func brokenYAMLIsRefused() throws {
        let readme = try Self.readme()
        let broken = readme.replacingOccurrences(of: "metadata: {name: codebook-extract}", with: "metadata: {name: codebook-extract")
        try #require(broken != readme)
        #expect(throws: DocumentationError.self) { try ScalingOutRecipes(readme: broken).checkKubernetes() }
    }

    /// make test-slurm finds the Slurm block by its first line; there must be exactly one.
    @Test func exactlyOneSlurmBlock() throws {
        let readme = try Self.readme()
        let block = try ScalingOutRecipes.block(in: readme, language: "sh", firstLine: "# Slurm:")
        #expect(throws: DocumentationError.self) {
            try ScalingOutRecipes.block(in: readme + "\n```sh\n" + block + "\n```\n", language: "sh", firstLine: "# Slurm:")
        }
    }
}
