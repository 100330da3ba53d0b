import Foundation
import Yams

/// What can go wrong reading the README's recipes, with the block or line concerned.
enum DocumentationError: Error, CustomStringConvertible {
    case block(language: String, firstLine: String, found: Int)
    case unbalancedQuote(line: String)
    case yaml(detail: String)

    var description: String {
        switch self {
        case let .block(language, firstLine, found):
            "README.md: expected one ```\(language) block starting with \"\(firstLine)\", found \(found)"
        case let .unbalancedQuote(line):
            "README.md: unbalanced quote in: \(line)"
        case let .yaml(detail):
            "README.md: the Kubernetes block is not YAML: \(detail)"
        }
    }
}

/// The two recipes of README.md's "Scaling out" section, each checked against what makes it work:
/// every problem found is returned as one line (an empty list means the recipe is right).
///
/// What is checked, for both: `extract` gets `--model`, `--catalog`, `--out` and `--resume`, and its
/// `--shard i/n` uses the scheduler's index for `i` and, for `n`, the number of jobs the scheduler
/// starts; `--out` contains the index, so the jobs write different files. For Slurm, also that
/// `compile` runs after the array with `afterok` and reads exactly the files the array writes. For
/// Kubernetes, that it is an Indexed Job of `batch/v1` whose completions are the shard count.
struct ScalingOutRecipes {
    /// The ```sh block whose first line is "# Slurm:" (scripts/slurm/test-slurm.sh runs this block).
    let slurm: String
    /// The ```yaml block whose first line is "# Kubernetes:".
    let kubernetes: String

    init(readme: String) throws {
        slurm = try Self.block(in: readme, language: "sh", firstLine: "# Slurm:")
        kubernetes = try Self.block(in: readme, language: "yaml", firstLine: "# Kubernetes:")
    }

    static func block(in markdown: String, language: String, firstLine: String) throws -> String {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if let lines = current, line == "```" {
                if lines.first?.hasPrefix(firstLine) == true { blocks.append(lines.joined(separator: "\n")) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        guard blocks.count == 1 else { throw DocumentationError.block(language: language, firstLine: firstLine, found: blocks.count) }
        return blocks[0]
    }

    // MARK: - Slurm

    /// The shard count of the Slurm recipe (from its `--array=0-N`), and its problems.
    func checkSlurm() throws -> (shards: Int?, problems: [String]) {
        var problems: [String] = []
        let commands = try Self.shellCommands(slurm)
        let submissions = commands.filter { $0.first == "sbatch" }
        guard submissions.count == 2 else {
            return (nil, ["expected two sbatch commands (the array, then compile), found \(submissions.count)"])
        }
        let array = submissions[0], after = submissions[1]
        let index = "$SLURM_ARRAY_TASK_ID"

        var shards: Int?
        if let range = Self.value(of: "--array", in: array) {
            let bounds = range.split(separator: "-")
            if bounds.count == 2, bounds[0] == "0", let last = Int(bounds[1]), last >= 0 {
                shards = last + 1
            } else {
                problems.append("sbatch --array=\(range) is not 0-N")
            }
        } else {
            problems.append("the first sbatch has no --array")
        }
        if !array.contains("--parsable") { problems.append("the first sbatch has no --parsable, so $jid is not a job id") }
        guard let extractLine = Self.value(of: "--wrap", in: array) else {
            return (shards, problems + ["the first sbatch has no --wrap"])
        }
        let extract = try Self.words(extractLine)
        problems += Self.checkExtract(extract, index: index, shards: shards)

        if Self.value(of: "--dependency", in: after) != "afterok:$jid" {
            problems.append("the compile job does not wait with --dependency=afterok:$jid")
        }
        if let compileLine = Self.value(of: "--wrap", in: after) {
            let compile = try Self.words(compileLine)
            if compile.first != "compile" { problems.append("the second sbatch does not run compile") }
            let written = Self.value(of: "--out", in: extract)?.replacingOccurrences(of: index, with: "*")
            let read = Self.value(of: "--activations", in: compile)
            if written == nil || read != written {
                problems.append("compile reads \(read ?? "nothing"), the array writes \(written ?? "nothing")")
            }
            if Self.value(of: "--out", in: compile) == nil { problems.append("compile has no --out") }
        } else {
            problems.append("the second sbatch has no --wrap")
        }
        return (shards, problems)
    }

    // MARK: - Kubernetes

    /// The shard count of the Kubernetes recipe (its completions), and its problems.
    func checkKubernetes() throws -> (shards: Int?, problems: [String]) {
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: kubernetes)
        } catch {
            throw DocumentationError.yaml(detail: "\(error)")
        }
        guard let job = parsed as? [String: Any] else { return (nil, ["the YAML is not a mapping"]) }
        var problems: [String] = []
        if job["apiVersion"] as? String != "batch/v1" { problems.append("apiVersion is not batch/v1") }
        if job["kind"] as? String != "Job" { problems.append("kind is not Job") }
        guard let spec = job["spec"] as? [String: Any] else { return (nil, problems + ["no spec"]) }
        let completions = spec["completions"] as? Int
        if completions == nil { problems.append("spec.completions is not a number") }
        if let parallelism = spec["parallelism"] as? Int, let completions, parallelism > completions {
            problems.append("spec.parallelism \(parallelism) exceeds completions \(completions)")
        }
        // Without Indexed, pods get no JOB_COMPLETION_INDEX and every pod would extract the same shard.
        if spec["completionMode"] as? String != "Indexed" { problems.append("spec.completionMode is not Indexed") }
        let podSpec = (spec["template"] as? [String: Any])?["spec"] as? [String: Any]
        if let policy = podSpec?["restartPolicy"] as? String, policy != "OnFailure" && policy != "Never" {
            problems.append("restartPolicy \(policy) is not allowed in a Job")
        }
        guard let containers = podSpec?["containers"] as? [[String: Any]], containers.count == 1 else {
            return (completions, problems + ["spec.template.spec.containers is not one container"])
        }
        guard let command = containers[0]["command"] as? [String], command.count == 3,
              command[0] == "sh", command[1] == "-c" else {
            return (completions, problems + ["the container's command is not [\"sh\", \"-c\", …]"])
        }
        problems += Self.checkExtract(try Self.words(command[2]), index: "$JOB_COMPLETION_INDEX", shards: completions)
        return (completions, problems)
    }

    // MARK: - Commands

    /// extract's arguments for one job whose index is the shell variable `index`, out of `shards`.
    static func checkExtract(_ words: [String], index: String, shards: Int?) -> [String] {
        var problems: [String] = []
        if words.first != "extract" { return ["the job does not run extract"] }
        for option in ["--model", "--catalog", "--out"] where value(of: option, in: words) == nil {
            problems.append("extract has no \(option)")
        }
        if let out = value(of: "--out", in: words), !out.contains(index) {
            problems.append("extract --out \(out) does not contain \(index): every job would write the same file")
        }
        let expected = "\(index)/\(shards.map(String.init) ?? "?")"
        if value(of: "--shard", in: words) != expected {
            problems.append("extract --shard is \(value(of: "--shard", in: words) ?? "missing"), expected \(expected)")
        }
        if !words.contains("--resume") { problems.append("extract has no --resume: a retried job starts over") }
        return problems
    }

    /// The value of `--name value` or `--name=value`.
    static func value(of name: String, in words: [String]) -> String? {
        for (i, word) in words.enumerated() {
            if word == name, i + 1 < words.count { return words[i + 1] }
            if word.hasPrefix(name + "=") { return String(word.dropFirst(name.count + 1)) }
        }
        return nil
    }

    /// The block's commands as words: comments dropped, `\` continuations joined, a `var=$(…)`
    /// around a command taken off.
    static func shellCommands(_ block: String) throws -> [[String]] {
        var logical: [String] = [], pending = ""
        for line in block.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            if trimmed.hasSuffix("\\") {
                pending += String(trimmed.dropLast()) + " "
            } else {
                logical.append(pending + trimmed)
                pending = ""
            }
        }
        return try logical.map { line in
            var command = Substring(line)
            if let open = command.range(of: "=$("), command[..<open.lowerBound].allSatisfy({ $0.isLetter || $0 == "_" }),
               command.hasSuffix(")") {
                command = command[open.upperBound...].dropLast()
            }
            return try words(String(command))
        }
    }

    /// Words as the shell splits them, for the quoting these recipes use: '…' and "…", no escapes.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = [], current = "", inWord = false
        var quote: Character?
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        guard quote == nil else { throw DocumentationError.unbalancedQuote(line: line) }
        if inWord { words.append(current) }
        return words
    }
}
