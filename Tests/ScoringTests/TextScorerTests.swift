import Activations
import CodebookRuntime
import Compilation
import Extraction
import Foundation
import Scoring
import TestSupport
import Testing
import Tokenizers

/// Text in, signals out: a codebook compiled from the tiny Llama's own activations scores the
/// catalog's texts as the runtime scores their stored perturbations.
struct TextScorerTests {
    static let model = Fixtures.url("models/tiny-llama")

    /// Extracts a two-condition catalog with the tiny Llama and compiles it; returns the folder
    /// holding `activations.h5` and `artifacts/`, and the catalog's texts by id.
    static func compiledCodebook() throws -> (folder: URL, texts: [String: String]) {
        let folder = try Fixtures.temporaryDirectory("scoring")
        let catalog = folder.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: catalog, withIntermediateDirectories: true)
        try Data(#"{"format_version": 1, "contrasts": [{"name": "ask_vs_tell", "positive": "ask", "negative": "tell"}]}"#.utf8)
            .write(to: catalog.appendingPathComponent("catalog.json"))
        var texts: [String: String] = [:]
        for condition in ["ask", "tell"] {
            let lines = (0..<16).map { i -> String in
                let text = condition == "ask" ? "Could you tell me about topic \(i), please?" : "Topic \(i) is \(String(repeating: "quite ", count: i % 5))well known."
                texts["\(condition)-\(i)"] = text
                return #"{"id": "\#(condition)-\#(i)", "text": "\#(text)"}"#
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: catalog.appendingPathComponent("\(condition).jsonl"))
        }
        let activations = folder.appendingPathComponent("activations.h5")
        _ = try Extractor.run(ExtractionRequest(model: model, catalog: catalog, output: activations))
        _ = try CodebookCompiler.run(CompileRequest(activations: [activations], output: folder.appendingPathComponent("artifacts")))
        return (folder, texts)
    }

    @Test func scoresEqualTheRuntimeOnTheExtractedPerturbations() throws {
        let (folder, texts) = try Self.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scorer = try TextScorer(artifacts: folder.appendingPathComponent("artifacts"), model: Self.model)
        let codebook = scorer.codebook
        let set = try ActivationsSet(url: folder.appendingPathComponent("activations.h5"))
        for name in ["ask", "tell"] {
            let condition = try set.condition(name)
            for (i, id) in condition.index.ids.enumerated() {
                let screened = try scorer.screen(texts[id]!, allSignals: true)
                let signal = try #require(screened.signals)
                let expected = codebook.score(condition.promptPerturbation(i, layer: codebook.layer))
                #expect(signal.codebook.map(\.name) == expected.map(\.name))
                // The scorer runs each text alone, extract packed 32 together: BLAS rounds differently,
                // by ~1e-6 in the perturbation; probabilities move by less than 1e-4.
                for (a, b) in zip(signal.codebook, expected) { #expect(abs(a.probability - b.probability) < 1e-4 && a.threshold == b.threshold) }
                let hidden = codebook.scoreHidden { condition.hidden(i, layer: $0, pooling: $1).map(Array.init) }
                for (a, b) in zip(signal.probe, hidden.probe) { #expect(abs(a.probability - b.probability) < 1e-4) }
                for (a, b) in zip(signal.meanDifference, hidden.meanDifference) { #expect(abs(a.probability - b.probability) < 1e-4) }
                #expect(screened.tokens == condition.index.tokenOffsets[i + 1] - condition.index.tokenOffsets[i])

                // The verdict: compile's scorer and threshold, on the same pooled values as evaluate reads.
                let stored = codebook.verdict(codebook.signals(perturbation: Array(condition.promptPerturbation(i, layer: codebook.layer))) {
                    condition.hidden(i, layer: $0, pooling: $1).map(Array.init)
                })
                let (a, b) = (screened.verdict.behaviors[0], stored.behaviors[0])
                #expect(a.name == "ask_vs_tell" && a.scorer == b.scorer && a.threshold == b.threshold)
                // Decision values of these scorers are O(1–10); 1e-3 covers the packing's rounding above.
                #expect(abs(a.score - b.score) < 1e-3)
                if abs(b.score - b.threshold) > 1e-3 { #expect(a.flagged == b.flagged) }
                #expect(a.span == [0, texts[id]!.unicodeScalars.count])  // a short text is read whole
            }
        }
    }

    @Test func aModelOtherThanTheCompiledOneIsRefused() throws {
        // The compile fixture's codebook was compiled for another model's weights.
        #expect {
            try TextScorer(artifacts: Fixtures.url("compile/artifacts"), model: Self.model)
        } throws: { "\($0)".contains("was compiled for the model with weights sha256") }
    }

    @Test func theScreenEncodesWithSnakeCaseKeys() throws {
        let signal = DimensionSignal(name: "a", probability: 0.25, flagged: false, threshold: 0.5)
        let behavior = BehaviorVerdict(name: "a", scorer: .meanDifference, score: 1.5, threshold: 1, flagged: true, span: [0, 4])
        var screened = ScreenedText(tokens: 3, chunks: 1, verdict: Verdict(behaviors: [behavior]), signals: nil)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(screened)) as? [String: Any])
        #expect(Set(json.keys) == ["tokens", "chunks", "verdict"])
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["flagged"] as? [String] == ["a"])
        let first = try #require((verdict["behaviors"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["name", "scorer", "score", "threshold", "flagged", "span"])
        #expect(first["scorer"] as? String == "mean_difference")

        screened.signals = TextSignals(codebook: [signal], meanDifference: [signal], probe: [signal])
        json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(screened)) as? [String: Any])
        let signals = try #require(json["signals"] as? [String: Any])
        #expect(Set(signals.keys) == ["codebook", "mean_difference", "probe"])
        #expect(Set(try #require((signals["probe"] as? [[String: Any]])?.first).keys) == ["name", "probability", "flagged", "threshold"])
    }
}

/// `codebook score` as a user runs it: one JSON line per input, from arguments or stdin lines.
struct ScoreCommandTests {
    @Test func printsOneJSONLinePerInput() throws {
        let (folder, _) = try TextScorerTests.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["score", "--artifacts", folder.appendingPathComponent("artifacts").path, "--model", TextScorerTests.model.path]
        let fromArguments = try Commands.run("codebook", base + ["Could you tell me about topic 3, please?", "Topic 3 is well known."])
        #expect(fromArguments.exited(0), "\(fromArguments.stderr)")
        let fromStdin = try Commands.run("codebook", base, stdin: "Could you tell me about topic 3, please?\nTopic 3 is well known.\n")
        #expect(fromStdin.exited(0), "\(fromStdin.stderr)")
        #expect(fromStdin.stdout == fromArguments.stdout)  // the same inputs give the same lines

        let lines = fromArguments.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let scorer = try TextScorer(artifacts: folder.appendingPathComponent("artifacts"), model: TextScorerTests.model)
        let expected = try ["Could you tell me about topic 3, please?", "Topic 3 is well known."].map { try scorer.screen($0) }
        for (line, screened) in zip(lines, expected) {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(json.keys) == ["id", "tokens", "chunks", "verdict"])
            struct Line: Decodable { let tokens: Int, chunks: Int, verdict: Verdict }
            let decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            // the command prints exactly what the library computes
            #expect(decoded.verdict == screened.verdict && decoded.tokens == screened.tokens && decoded.chunks == 1)
            #expect(decoded.verdict.behaviors.map(\.name) == ["ask_vs_tell"])
        }

        // --all-signals adds every scorer's signals.
        let all = try Commands.run("codebook", base + ["--all-signals", "Topic 3 is well known."])
        #expect(all.exited(0), "\(all.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "tokens", "chunks", "verdict", "signals"])
        #expect(Set(try #require(json["signals"] as? [String: Any]).keys) == ["codebook", "mean_difference", "probe", "multilayer_probe"])
    }

    @Test func aCodebookForAnotherModelIsOneLineAndStatusOne() throws {
        let result = try Commands.run("codebook", ["score", "--artifacts", Fixtures.url("compile/artifacts").path,
                                                   "--model", TextScorerTests.model.path, "hello"])
        #expect(result.exited(1))
        #expect(result.stderrLines.count == 1 && result.stderr.contains("was compiled for the model"))
        #expect(result.stdout.isEmpty)
    }
}

/// `codebook score` as a filter in a pipe: each line answered as it arrives, a bad line answered with an
/// error object while the stream goes on, ids from the input with --jsonl.
struct ScoreStreamTests {
    static func base() throws -> (URL, [String]) {
        let (folder, _) = try TextScorerTests.compiledCodebook()
        return (folder, ["score", "--artifacts", folder.appendingPathComponent("artifacts").path, "--model", TextScorerTests.model.path])
    }

    /// A coprocess writes one line and waits: the answer must come before stdin is closed.
    @Test func aLineIsAnsweredBeforeStdinCloses() throws {
        let (folder, arguments) = try Self.base()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = try Commands.executable("codebook")
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("Could you tell me about topic 3, please?\n".utf8))
        // Read until the first newline while stdin stays open; a block-buffered writer would never send it.
        var received = Data()
        let reader = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)  // loading the model and one forward pass: seconds, not a minute
        while !received.contains(0x0A), Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        #expect(received.contains(0x0A), "no answer before stdin closed")
        let first = try #require(String(decoding: received, as: UTF8.self).split(separator: "\n").first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(json["id"] as? String == "1" && json["verdict"] != nil)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// An empty line gets an error object; the next line is still scored; the status is 1 at the end.
    @Test func anEmptyLineIsAnErrorObjectAndTheStreamGoesOn() throws {
        let (folder, arguments) = try Self.base()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Commands.run("codebook", arguments, stdin: "Topic 3 is well known.\n\nCould you tell me about topic 3, please?\n")
        #expect(result.exited(1))
        #expect(result.stderrLines.count == 1 && result.stderr.contains("1 of 3 inputs could not be scored"), "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3)
        #expect(lines[0]?["id"] as? String == "1" && lines[0]?["verdict"] != nil)
        #expect(lines[1]?["id"] as? String == "2" && (lines[1]?["error"] as? String)?.contains("no content token") == true)
        #expect(lines[2]?["id"] as? String == "3" && lines[2]?["verdict"] != nil)
    }

    /// --jsonl: the ids given are the ids answered; a line that is not an object is an error object.
    @Test func jsonlInputsKeepTheirIds() throws {
        let (folder, arguments) = try Self.base()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdin = "{\"id\": \"doc-7\", \"text\": \"Topic 3 is well known.\"}\n[1, 2]\n{\"id\": 42, \"text\": \"Could you tell me about topic 3?\"}\n"
        let result = try Commands.run("codebook", arguments + ["--jsonl"], stdin: stdin)
        #expect(result.exited(1))
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.map { $0?["id"] as? String } == ["doc-7", "2", "42"])
        #expect(lines[0]?["verdict"] != nil && lines[2]?["verdict"] != nil)
        #expect((lines[1]?["error"] as? String)?.contains("JSON object") == true)
    }
}

/// Long texts are read in overlapping windows, never cut: what follows the first window still counts.
struct LongTextTests {
    /// The windows of a 100-token content run, 32 at a time: starts 0, 16, …, 64 and a last one ending
    /// at the end, each with the encoding's special tokens around it.
    @Test func windowsOverlapByHalfAndReachTheEnd() {
        let ids = [Int32(-1)] + (0..<100).map(Int32.init) + [Int32(-2)]
        let encoding = Encoding(ids: ids, isSpecial: [true] + Array(repeating: false, count: 100) + [true], truncated: false)
        let windows = TextScorer.windows(of: encoding, size: 32)
        #expect(windows.map { $0.ids[1] } == [0, 16, 32, 48, 64, 68])
        for window in windows {
            #expect(window.ids.count == 34 && window.ids.first == -1 && window.ids.last == -2)
            #expect(window.isSpecial == [true] + Array(repeating: false, count: 32) + [true])
        }
        #expect(TextScorer.windows(of: encoding, size: 100) == [encoding])
    }

    /// A phrase of the positive class placed after token 400 of a ~1,000-token document of the negative
    /// class raises the document's verdict score, and the verdict's span is the window that holds it;
    /// truncated at the window, the two documents would read the same.
    @Test func aPhraseAfterToken400IsFoundAndLocated() throws {
        let (folder, _) = try TextScorerTests.compiledCodebook()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scorer = try TextScorer(artifacts: folder.appendingPathComponent("artifacts"), model: TextScorerTests.model, maxTokens: 64)
        let filler = String(repeating: "Topic 3 is well known. ", count: 150)
        let half = filler.index(filler.startIndex, offsetBy: filler.count / 2)
        let phrase = "Could you tell me about topic 3, please? "
        let plain = filler, planted = String(filler[..<half] + phrase + filler[half...])
        let (clean, marked) = try (scorer.screen(plain), scorer.screen(planted))
        #expect(clean.tokens > 900 && clean.chunks > 10, "\(clean.tokens) tokens, \(clean.chunks) windows")
        #expect(try scorer.screen(String(filler[..<half])).tokens > 400)  // the phrase starts past token 400
        // The window that holds the phrase decides. The verdict's scorer (a hidden-space one: this test
        // codebook's 3-D codebook barely separates its classes) rises there.
        let (before, after) = (clean.verdict.behaviors[0], marked.verdict.behaviors[0])
        #expect(after.scorer != .codebook && after.score > before.score, "\(before) → \(after)")
        // Its span is that window: it holds the phrase, and is a 64-token window, not the document.
        let start = filler.unicodeScalars.distance(from: filler.unicodeScalars.startIndex, to: half.samePosition(in: filler.unicodeScalars)!)
        let span = try #require(after.span)
        #expect(span[0] <= start && start + phrase.unicodeScalars.count - 1 <= span[1], "span \(span), phrase at \(start)")
        #expect(span[1] - span[0] < 400, "span \(span)")
    }
}
