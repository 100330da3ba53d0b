import CodebookRuntime
import Foundation
@testable import Publishing
import TestSupport
import Testing

@Suite struct ModelCardTests {
    private func publishedCard(_ request: (Workspace) -> PublishRequest = { $0.request }) throws -> (card: String, evaluation: URL) {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let bundle = try Publisher.publish(request(workspace)).directory
        let card = try String(contentsOf: bundle.appendingPathComponent("README.md"), encoding: .utf8)
        return (card, Fixtures.url("publish/eval.json"))
    }

    @Test func frontMatterHasTheHuggingFaceKeys() throws {
        let (card, _) = try publishedCard()
        #expect(card.hasPrefix("---\n"))
        let yaml = try MiniYAML.frontMatter(of: card)
        #expect(yaml.keys == ["license", "library_name", "base_model", "tags", "model-index"])
        #expect(yaml["license"]?.string == "apache-2.0")
        #expect(yaml["library_name"]?.string == "codebook-runtime")
        // The fixture's model folder is not a known detector: its name is the base model.
        #expect(yaml["base_model"]?.string == "synthetic-bert-12")
        #expect(yaml["tags"]?.items?.compactMap(\.string) == ["codebook", "llm-firewall", "prompt-injection", "safety"])
        #expect(yaml["model-index"]?[0]?["name"]?.string == expectedBundleName)
    }

    /// model-index → results → metrics hold every held-out AUC of eval.json, exactly (the values are
    /// written as the shortest decimals that read back as the same doubles).
    @Test func modelIndexMetricsEqualEvalJSON() throws {
        let (card, evaluationURL) = try publishedCard()
        let yaml = try MiniYAML.frontMatter(of: card)
        let results = try #require(yaml["model-index"]?[0]?["results"]?.items)
        let expected = try evaluationAUCs(evaluationURL)
        #expect(results.count == expected.count)
        let keys = ["codebook", "window_1", "window_4", "window_8", "window_16", "per_token", "mean_difference", "probe", "multilayer_probe"]
        for (result, contrast) in zip(results, expected) {
            #expect(result["task"]?["type"]?.string == "text-classification")
            #expect(result["task"]?["name"]?.string == contrast.name)
            #expect(result["dataset"]?["split"]?.string == "heldout")
            #expect(result["dataset"]?["type"]?.string == "codebook-conditions")
            let metrics = try #require(result["metrics"]?.items)
            #expect(metrics.compactMap { $0["config"]?.string } == keys)
            for metric in metrics {
                #expect(metric.keys == ["type", "value", "name", "config", "verified"])
                #expect(metric["type"]?.string == "roc_auc")
                #expect(metric["verified"]?.string == "false")
                let key = try #require(metric["config"]?.string)
                let value = try #require(metric["value"]?.string.flatMap(Double.init))
                #expect(value == contrast.auc[key], "\(contrast.name) \(key)")
            }
        }
    }

    @Test func bodyStatesProvenanceResultsAndLimits() throws {
        let (card, _) = try publishedCard()
        for heading in ["# \(expectedBundleName)", "## What it is", "## How it was compiled", "## Held-out evaluation",
                        "## Intended use and limits", "## How to use it", "## Files", "## Version", "## License"] {
            #expect(card.contains("\n\(heading)\n"), "\(heading)")
        }
        let config = try JSONDecoder().decode(CodebookConfiguration.self, from: Data(contentsOf: Fixtures.url("compile/artifacts/config.json")))
        #expect(card.contains("| layer | 2, chosen automatically"))
        #expect(card.contains("| catalog sha256 | `\(config.catalogSHA256)` |"))
        #expect(card.contains("| model weights sha256 | `\(config.model.sha256)` |"))
        #expect(card.contains("| compiler version | 0.8.0 "))
        #expect(card.contains("| config.json sha256 | `66f017e1ee5b02bfdd9f4bac2d3e2005287d9d16a98f9545c2e4a07561d64369` |"))
        // The held-out table, with the codebook AUC of harmful_vs_harmless (0.3667 on 6 + 5 prompts).
        #expect(card.contains("| `harmful_vs_harmless` | 6 | 5 | 0.367 |"))
        // Its held-out codebook AUC is below 0.4: the card says so, with the other two as weak.
        #expect(card.contains("- **Below chance** (0.4 or less): `harmful_vs_harmless` (0.367)."))
        #expect(card.contains("- Weak (0.6 to 0.8): `injection_vs_benign_instruction` (0.708), `injection_vs_harmless` (0.733)."))
        #expect(card.contains("- **Near chance** (between 0.4 and 0.6): none."))
        #expect(card.contains("Codebook.load(URL(fileURLWithPath: \"\(expectedBundleName)\"))"))
        #expect(card.contains("`0.8.0-66f017e1` is the compiler version"))
    }

    @Test(arguments: [(0.0, ModelCard.Verdict.belowChance), (0.4, .belowChance), (0.4000001, .nearChance), (0.5, .nearChance),
                      (0.5999999, .nearChance), (0.6, .weak), (0.7999999, .weak), (0.8, .useful), (1.0, .useful)])
    func verdictBands(auc: Double, verdict: ModelCard.Verdict) {
        #expect(ModelCard.Verdict(auc: auc) == verdict)
    }

    /// At A = 0.5 the Hanley–McNeil formula reduces to the exact null variance of the Mann–Whitney AUC,
    /// (n₊ + n₋ + 1) / (12 n₊ n₋); at A = 1 it is 0.
    @Test(arguments: [(60, 60), (6, 5), (1, 1), (200, 3)])
    func hanleyMcNeilStandardError(nPositive: Int, nNegative: Int) {
        func contrast(_ auc: Double) -> EvaluationSummary.Contrast {
            EvaluationSummary.Contrast(name: "c", positive: "p", negative: "n", nPositive: nPositive, nNegative: nNegative,
                                       auc: [auc, 0, 0, 0, 0, 0, 0, 0], thresholdTPR: 0, thresholdFPR: 0)
        }
        let n1 = Double(nPositive), n2 = Double(nNegative)
        let null = ((n1 + n2 + 1) / (12 * n1 * n2)).squareRoot()
        // Different operations on the same rational numbers: a few ulps.
        #expect(abs(ModelCard.standardError(contrast(0.5)) - null) < 1e-15)
        #expect(ModelCard.standardError(contrast(1)) == 0)
    }

    @Test(arguments: [0.36666666666666664, 1e-05, 1.0, 0.0, .leastNonzeroMagnitude, 0.1 + 0.2, 1.25e-7, -3.5e-5, 1.5e16, 2.0 / 3.0])
    func yamlNumbersReadBackExactly(value: Double) throws {
        let text = ModelCard.yamlNumber(value)
        // PyYAML (YAML 1.1) needs a '.' and no exponent to read a float.
        #expect(text.contains(".") && !text.contains("e"), "\(text)")
        #expect(Double(text) == value, "\(text)")
    }

    @Test(arguments: [("apache-2.0", "apache-2.0"), ("harmful_vs_harmless", "harmful_vs_harmless"), ("yes", "\"yes\""),
                      ("0.1.0", "\"0.1.0\""), ("a: b", "\"a: b\""), ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")])
    func yamlStringsArePlainOnlyWhenUnambiguous(text: String, yaml: String) throws {
        #expect(ModelCard.yamlString(text) == yaml)
        #expect(try MiniYAML.parse("k: \(yaml)")["k"]?.string == text)
    }

    /// A detector folder with the codebook's weights and a README.md whose front matter says `license: mit`.
    private func modelFolder(weights: Data) throws -> URL {
        let model = try Fixtures.temporaryDirectory("model")
        try weights.write(to: model.appendingPathComponent("model.safetensors"))
        try Data("---\nlanguage: en\nlicense: mit\ntags:\n- x\n---\n# A model\nlicense: not this one\n".utf8)
            .write(to: model.appendingPathComponent("README.md"))
        return model
    }

    @Test func baseModelOverrideAndLicenseFromTheModelsCard() throws {
        let weights = Data("weights of a detector".utf8)
        let model = try modelFolder(weights: weights)
        defer { try? FileManager.default.removeItem(at: model) }  // A leftover temporary folder is harmless.
        let workspace = try Workspace()
        defer { workspace.remove() }
        let configSHA256 = try workspace.compiledFrom(weights: weights)
        let request = PublishRequest(artifacts: workspace.artifacts, output: workspace.dist, baseModel: "someone/synthetic-bert-12",
                                     modelDirectory: model)
        let bundle = try Publisher.publish(request)
        #expect(bundle.name == "synthetic-bert-12-codebook-0.8.0-\(configSHA256.prefix(8))")
        let card = try String(contentsOf: bundle.directory.appendingPathComponent("README.md"), encoding: .utf8)
        let yaml = try MiniYAML.frontMatter(of: card)
        #expect(yaml["base_model"]?.string == "someone/synthetic-bert-12")
        #expect(yaml["license"]?.string == "apache-2.0")
        #expect(card.contains("under that model's own license: mit (from the `license` of its model card, README.md in \(model.lastPathComponent)/)."))
        #expect(card.contains("[someone/synthetic-bert-12](https://huggingface.co/someone/synthetic-bert-12)"))
    }

    /// A --model folder whose weights are not the codebook's: its license must not go in the card.
    @Test func aModelFolderWithOtherWeightsIsRefused() throws {
        let model = try modelFolder(weights: Data("other weights".utf8))
        defer { try? FileManager.default.removeItem(at: model) }  // A leftover temporary folder is harmless.
        let workspace = try Workspace()
        defer { workspace.remove() }
        let request = PublishRequest(artifacts: workspace.artifacts, output: workspace.dist, modelDirectory: model)
        #expect(throws: PublishingError.modelMismatch(model: model.path, expected: Workspace.fixtureModelSHA256,
                                                      actual: SHA256.hex(SHA256.hash(Data("other weights".utf8))))) {
            try Publisher.publish(request)
        }
        try FileManager.default.removeItem(at: model.appendingPathComponent("model.safetensors"))
        #expect(throws: PublishingError.missingFile(path: model.appendingPathComponent("model.safetensors").path,
                                                    hint: "--model must be the detector's folder (a Hugging Face snapshot with its weights)")) {
            try Publisher.publish(request)
        }
        #expect(try workspace.distEntries() == [])
    }

    @Test func knownDetectorsResolveToTheirRepositories() throws {
        func resolve(_ name: String, _ override: String? = nil) throws -> BaseModel {
            try BaseModel.resolve(modelName: name, override: override, modelDirectory: nil, weightsSHA256: "")
        }
        let minilm = try resolve("all-MiniLM-L6-v2")
        #expect(minilm == BaseModel(name: "sentence-transformers/all-MiniLM-L6-v2", license: "apache-2.0",
                                    licenseSource: "the `license` of its model card"))
        let smol = try resolve("SmolLM2-135M")
        #expect(smol.name == "HuggingFaceTB/SmolLM2-135M" && smol.license == "apache-2.0")
        let unknown = try resolve("my-model")
        #expect(unknown == BaseModel(name: "my-model", license: nil, licenseSource: nil))
        // An override naming another model does not inherit the folder's license.
        let other = try resolve("all-MiniLM-L6-v2", "me/other")
        #expect(other.license == nil)
        #expect(throws: PublishingError.self) {
            try BaseModel.resolve(modelName: "x", override: nil, modelDirectory: URL(fileURLWithPath: "/nonexistent/model"), weightsSHA256: "")
        }
    }

    @Test(arguments: [
        ("---\nlicense: mit\n---\n", "mit"),
        ("---\r\nlicense: \"bsd-3-clause\"\r\n---\r\n", "bsd-3-clause"),
        ("---\ncardData:\n  license: nested\n---\nlicense: body\n", nil),
        ("# no front matter\nlicense: mit\n", nil),
        ("---\nlicense:\n---\n", nil),
    ] as [(String, String?)])
    func licenseIsReadFromTheTopLevelOfTheFrontMatter(readme: String, license: String?) throws {
        #expect(try BaseModel.frontMatterValue("license", in: Data(readme.utf8), path: "README.md") == license)
    }

    /// The installed default detector's own README.md says apache-2.0, as the table of known detectors
    /// does (skipped without the model; the weights check is tested above on small files, hashing the
    /// 90 MB weights in a debug build takes seconds).
    @Test(.enabled(if: Fixtures.defaultModelDirectory != nil))
    func theDefaultDetectorsCardStatesItsLicense() throws {
        let readme = try #require(Fixtures.defaultModelDirectory).appendingPathComponent("README.md")
        #expect(try BaseModel.frontMatterValue("license", in: Data(contentsOf: readme), path: readme.path) == "apache-2.0")
        #expect(BaseModel.known["all-MiniLM-L6-v2"]?.license == "apache-2.0")
    }
}
