import ArgumentParser
import CommandLineSupport
import Extraction
import Foundation

/// `extract --model DIR --catalog DIR --out FILE.h5 [--max-tokens 256] [--shard i/n] [--resume]` (SPEC §10).
@main
struct Extract: StageCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Run a condition catalog through a detector model and write its activations (HDF5).",
        discussion: """
            The file appears at --out only when complete. Finished batches are kept in <out>.parts/ until then,
            so an interrupted run continues with --resume. --shard i/n (0 ≤ i < n) extracts prompt j of every
            condition where j % n == i; compile merges the n shard files.
            """)

    @Option(name: .long, help: "The detector: a Hugging Face snapshot folder (config.json, model.safetensors, tokenizer.json).")
    var model: String

    @Option(name: .long, help: "The condition catalog folder (catalog.json and <condition>.jsonl files).")
    var catalog: String

    @Option(name: .long, help: "The activations file to write (its folder is made when missing).")
    var out: String

    @Option(name: .long, help: "Content tokens kept per prompt; longer prompts are truncated. At most the model's positions less its special tokens (all-MiniLM-L6-v2: 510), checked before any work.")
    var maxTokens: Int = 256

    @Option(name: .long, help: "Extract shard i of n (0-based), e.g. 0/4.")
    var shard: String = "0/1"

    @Flag(name: .long, help: "Continue an interrupted run from the batches it finished.")
    var resume = false

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        var request = ExtractionRequest(model: URL(fileURLWithPath: model), catalog: URL(fileURLWithPath: catalog),
                                        output: URL(fileURLWithPath: out))
        request.maxTokens = maxTokens
        request.shard = try Shard(parsing: shard)
        request.resume = resume
        print(try Extractor.run(request).line)
    }
}
