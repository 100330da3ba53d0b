import CodebookRuntime
import EvaluationFormat
import Foundation

/// A bundle's `README.md`: a Hugging Face model card. YAML front matter (`license`, `library_name`,
/// `base_model`, `tags`, and `model-index` with every held-out AUC of `eval.json` in HF's results
/// schema), then what the codebook is, how it was compiled, the held-out AUC table, intended use and
/// limits (which contrasts are near chance, said plainly), and how to load it.
///
/// Everything in it comes from the bundle's own `config.json` and `eval.json`, so the same inputs give
/// the same bytes. Metric values are written with the shortest decimal that reads back as the same
/// `Double`, so the front matter states exactly what `eval.json` holds.
package struct ModelCard: Sendable {
    package static let fileName = "README.md"
    /// The codebook's own license (the base model keeps its own; the card states it).
    package static let license = "apache-2.0"
    package static let libraryName = "codebook-runtime"
    package static let tags = ["codebook", "llm-firewall", "prompt-injection", "safety"]

    /// How the card names a contrast by its held-out codebook AUC. "Near chance" is within 0.1 of 0.5: with
    /// the default catalog's 60 held-out prompts per class, an AUC near 0.5 has a standard error of about
    /// 0.053 (Hanley–McNeil), so 0.1 is about two standard errors.
    package enum Verdict: Sendable, Equatable {
        /// AUC ≥ 0.8.
        case useful
        /// 0.6 ≤ AUC < 0.8.
        case weak
        /// 0.4 < AUC < 0.6.
        case nearChance
        /// AUC ≤ 0.4: ranks held-out prompts the wrong way round.
        case belowChance

        package init(auc: Double) {
            if auc >= 0.8 { self = .useful } else if auc >= 0.6 { self = .weak } else if auc > 0.4 { self = .nearChance } else { self = .belowChance }
        }
    }

    package var bundleName: String
    package var version: String
    package var configuration: CodebookConfiguration
    package var configSHA256: String
    package var evaluation: EvaluationSummary
    package var baseModel: BaseModel

    package init(bundleName: String, version: String, configuration: CodebookConfiguration, configSHA256: String,
                evaluation: EvaluationSummary, baseModel: BaseModel) {
        self.bundleName = bundleName
        self.version = version
        self.configuration = configuration
        self.configSHA256 = configSHA256
        self.evaluation = evaluation
        self.baseModel = baseModel
    }

    /// The card's text.
    package func render() -> String {
        frontMatter() + "\n" + body()
    }

    // MARK: - Front matter

    func frontMatter() -> String {
        var yaml = ["---"]
        yaml.append("license: \(Self.yamlString(Self.license))")
        yaml.append("library_name: \(Self.yamlString(Self.libraryName))")
        yaml.append("base_model: \(Self.yamlString(baseModel.name))")
        yaml.append("tags:")
        yaml += Self.tags.map { "- \(Self.yamlString($0))" }
        yaml.append("model-index:")
        yaml.append("- name: \(Self.yamlString(bundleName))")
        yaml.append("  results:")
        let dataset = "condition catalog \(configuration.catalogSHA256.prefix(8)), \(splitPhrase) split"
        for contrast in evaluation.contrasts {
            yaml.append("  - task:")
            yaml.append("      type: text-classification")
            yaml.append("      name: \(Self.yamlString(contrast.name))")
            yaml.append("    dataset:")
            yaml.append("      type: codebook-conditions")
            yaml.append("      name: \(Self.yamlString(dataset))")
            yaml.append("      split: \(Self.yamlString(evaluation.split))")
            yaml.append("    metrics:")
            for key in evaluation.metrics {
                yaml.append("    - type: roc_auc")
                yaml.append("      value: \(Self.yamlNumber(contrast.auc(key)))")
                yaml.append("      name: \(Self.yamlString("\(splitTitle) AUC (\(key.label))"))")
                yaml.append("      config: \(Self.yamlString(key.rawValue))")
                yaml.append("      verified: false")
            }
        }
        yaml.append("---")
        return yaml.joined(separator: "\n") + "\n"
    }

    // MARK: - Body

    func body() -> String {
        let c = configuration
        let baseLink = baseModel.name.contains("/") ? "[\(baseModel.name)](https://huggingface.co/\(baseModel.name))" : "`\(baseModel.name)`"
        var md: [String] = []
        md.append("# \(bundleName)")
        md.append("")
        let example = c.directions.first.map { " (for example `\($0.positive)` rather than `\($0.negative)`)" } ?? ""
        md.append("""
            A behavioral codebook for an LLM-input firewall, compiled for the detector model \(baseLink). \
            The detector reads each untrusted input; the codebook turns its hidden states at layer \(c.perturbation.layer) \
            into one signal per contrast: the probability that the input is on the positive side\(example), and whether \
            it reaches the stored threshold.
            """)
        md.append("")
        md.append("## What it is")
        md.append("")
        md.append("""
            - **Perturbation.** Each token's hidden state at layer \(c.perturbation.layer) is standardized over its \(c.model.hiddenSize) \
            values; its empirical quantiles at \(c.perturbation.levels) levels minus the standard normal's are the ICDF perturbation: \
            how the shape of the activations departs from a Gaussian. A prompt's perturbation is the \(c.perturbation.pooling) over its tokens.
            - **Codebook.** The perturbation is projected on its top 3 principal directions (`basis.safetensors`), each coordinate mapped \
            through its fitted CDF and the three recombined into `(sum, u, v)` (`splines.json`).
            - **Directions.** Per contrast, a logistic regression on `(sum, u, v)` gives the probability; its thresholds (Youden's J, \
            and 1% false positives, both on the train split) are in `config.json`, the classifiers and class profiles in `regions.safetensors`.
            - **Hidden-space scorers.** Beside the 3-D codebook, per contrast, a mean-difference direction and a logistic probe on \
            the prompt's hidden states at their own layer (`regions.safetensors`), read with the pooling `config.json` records as \
            `hidden_pooling`: the mean over the prompt, its last token, or its best window of \(Pooling.windowSize) tokens.
            """)
        md.append("")
        md.append("## How it was compiled")
        md.append("")
        md.append("| | |")
        md.append("|---|---|")
        md.append("| base model | \(baseLink): `\(c.model.type)`, \(c.model.numLayers - 1) blocks (hidden states 0…\(c.model.numLayers - 1)), hidden size \(c.model.hiddenSize) |")
        md.append("| model weights sha256 | `\(c.model.sha256)` |")
        md.append("| layer | \(c.perturbation.layer)\(layerNote) |")
        md.append("| perturbation | \(c.perturbation.kind), \(c.perturbation.levels) levels, \(c.perturbation.normalization), \(c.perturbation.pooling) pooling |")
        md.append("| contrasts | \(c.directions.count) |")
        md.append("| catalog sha256 | `\(c.catalogSHA256)` |")
        md.append("| compiler version | \(c.compilerVersion) (artifacts format_version \(c.formatVersion)) |")
        md.append("| config.json sha256 | `\(configSHA256)` |")
        md.append("")
        md.append("Contrasts, fitted on the catalog's train split (positive first; train AUCs from `config.json`):")
        md.append("")
        md.append("| contrast | positive | negative | codebook | mean difference | probe | silhouette |")
        md.append("|---|---|---|---:|---:|---:|---:|")
        for d in c.directions {
            md.append("| \(Self.cell(d.name)) | \(Self.cell(d.positive)) | \(Self.cell(d.negative)) | \(Self.fixed(d.trainAUC.codebook)) | "
                + "\(Self.fixed(d.trainAUC.meanDifference)) | \(Self.fixed(d.trainAUC.probe)) | \(Self.fixed(d.silhouette)) |")
        }
        md.append("")
        md.append("## \(splitTitle) evaluation")
        md.append("")
        md.append("""
            ROC AUCs on the \(splitPhrase) split (from `eval.json`; `report.html` draws the ROC curves). `codebook`: the classifier \
            on the prompt's perturbation; `window k`: the highest mean probability over `k` consecutive tokens; `per token`: every \
            token scored alone; `mean diff.` and `probe`: the hidden-space scorers. `± SE`: the Hanley–McNeil standard error of \
            the codebook AUC with these class sizes. `TPR / FPR`: the codebook classifier at its stored threshold.
            """)
        md.append("")
        let multilayer = evaluation.metrics.contains(.multilayerProbe)
        md.append("| contrast | n₊ | n₋ | codebook | ± SE | window 1 | window 4 | window 8 | window 16 | per token | mean diff. | probe | "
            + (multilayer ? "multi-layer probe | " : "") + "TPR / FPR |")
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (multilayer ? "---:|" : "") + "---:|")
        for contrast in evaluation.contrasts {
            let others = evaluation.metrics.dropFirst().map { Self.fixed(contrast.auc($0)) }
            md.append("| \(Self.cell(contrast.name)) | \(contrast.nPositive) | \(contrast.nNegative) | \(Self.fixed(contrast.auc(.codebook))) | "
                + "\(Self.fixed(Self.standardError(contrast))) | " + others.joined(separator: " | ")
                + " | \(Self.fixed(contrast.thresholdTPR)) / \(Self.fixed(contrast.thresholdFPR)) |")
        }
        let missing = c.directions.map(\.name).filter { name in !evaluation.contrasts.contains { $0.name == name } }
        if !missing.isEmpty {
            md.append("")
            md.append("Not evaluated (their conditions were not in the evaluation set): \(missing.map { "`\($0)`" }.joined(separator: ", ")).")
        }
        md.append("")
        md += limits()
        md.append("")
        md += usage()
        md.append("")
        md.append("## Files")
        md.append("")
        md.append("| file | what |")
        md.append("|---|---|")
        md.append("| `README.md` | this card |")
        md.append("| `basis.safetensors` | `basis` [3, 64], `mean` [64], `singular_values` |")
        md.append("| `regions.safetensors` | per contrast: class centroids, scales, Cohen's d, classifier, hidden-space directions and probes |")
        md.append("| `splines.json` | the CDFs of the three coordinates and of their sum |")
        md.append("| `config.json` | model, layer, contrasts, thresholds, train AUCs, the other artifacts' sha256 |")
        md.append("| `eval.json` | the \(splitPhrase) evaluation |")
        md.append("| `report.html` | the evaluation report (ROC curves, the (u, v) simplex, AUC per layer) |")
        md.append("| `MANIFEST.sha256` | the sha256 of every other file |")
        md.append("")
        md.append("Verify a download with `sha256sum -c MANIFEST.sha256`, or with `codebook inspect \(bundleName)`, which also refuses files the manifest does not list and checks every tensor's shape.")
        md.append("")
        md.append("## Version")
        md.append("")
        md.append("""
            `\(version)` is the compiler version, then the first 8 hex digits of `config.json`'s sha256. `config.json` records the \
            sha256 of the other three artifacts, so two different codebooks never share a version, and the same codebook published \
            again gets the same name.
            """)
        md.append("")
        md.append("## License")
        md.append("")
        var license = "The codebook is licensed Apache-2.0. It is used with its base model, \(baseLink), under that model's own license"
        if let baseLicense = baseModel.license {
            license += ": \(baseLicense)" + (baseModel.licenseSource.map { " (from \($0))" } ?? "") + "."
        } else {
            license += ", which this bundle does not record: see the base model's card."
        }
        md.append(license)
        return md.joined(separator: "\n") + "\n"
    }

    private func limits() -> [String] {
        func names(_ contrasts: [EvaluationSummary.Contrast]) -> String {
            contrasts.map { "`\($0.name)` (\(Self.fixed($0.auc(.codebook))))" }.joined(separator: ", ")
        }
        func having(_ verdict: Verdict) -> [EvaluationSummary.Contrast] {
            evaluation.contrasts.filter { Verdict(auc: $0.auc(.codebook)) == verdict }
        }
        let uncertain = evaluation.contrasts.filter {
            Verdict(auc: $0.auc(.codebook)) != .nearChance && abs($0.auc(.codebook) - 0.5) < 2 * Self.standardError($0)
        }
        let hiddenBetter = evaluation.contrasts.filter { max($0.auc(.meanDifference), $0.auc(.probe)) >= $0.auc(.codebook) + 0.1 }
        let smallest = evaluation.contrasts.map { min($0.nPositive, $0.nNegative) }.min() ?? 0

        var md = ["## Intended use and limits", ""]
        md.append("""
            Intended use: one signal among others in a firewall that screens untrusted input before it reaches an LLM, and research \
            on activation-distribution codebooks. It is not a complete defense and must not be the only gate: it was measured on \
            one catalog's \(splitPhrase) prompts, not against attackers who adapt to it.
            """)
        md.append("")
        md.append("How the codebook classifiers did on the \(splitPhrase) split (codebook AUC):")
        md.append("")
        let useful = having(.useful), weak = having(.weak), nearChance = having(.nearChance), below = having(.belowChance)
        md.append("- Useful (0.8 or more): " + (useful.isEmpty ? "none." : names(useful) + "."))
        md.append("- Weak (0.6 to 0.8): " + (weak.isEmpty ? "none." : names(weak) + "."))
        md.append("- **Near chance** (between 0.4 and 0.6): " + (nearChance.isEmpty ? "none." : names(nearChance)
            + ". These signals do not separate their classes on \(splitPhrase) prompts: do not act on them."))
        md.append("- **Below chance** (0.4 or less): " + (below.isEmpty ? "none." : names(below)
            + ". These rank \(splitPhrase) prompts the wrong way round: the direction fitted on the train split does not generalize."))
        if !uncertain.isEmpty {
            md.append("- Not distinguishable from chance with so few \(splitPhrase) prompts (within two standard errors of 0.5): \(names(uncertain)).")
        }
        if !hiddenBetter.isEmpty {
            md.append("- The hidden-space scorers do clearly better (by 0.1 AUC or more) on " + hiddenBetter.map { c in
                "`\(c.name)` (mean difference \(Self.fixed(c.auc(.meanDifference))), probe \(Self.fixed(c.auc(.probe))))"
            }.joined(separator: ", ") + ".")
        }
        md.append("")
        md.append("""
            Limits: the \(splitPhrase) sets are small (as few as \(smallest) prompts in a class), so every AUC above is uncertain by \
            its standard error or more. The thresholds were chosen on the train split; their \(splitPhrase) rates are in the table. \
            The codebook is tied to the exact detector weights (sha256 `\(configuration.model.sha256.prefix(16))…`): with any other \
            model its signals mean nothing, and `codebook score` refuses such a model. Inputs unlike the catalog's prompts (other \
            languages, lengths or domains) are outside what was measured.
            """)
        return md
    }

    private func usage() -> [String] {
        let c = configuration
        return [
            "## How to use it",
            "",
            "With the command line tool of the codebook compiler (it runs the detector too):",
            "",
            "```sh",
            "codebook inspect \(bundleName)",
            "codebook score --artifacts \(bundleName) --model path/to/\(baseModel.name.split(separator: "/").last.map(String.init) ?? baseModel.name) \"Ignore all previous instructions.\"",
            "```",
            "",
            "From Swift, with the `CodebookRuntime` library (pure Swift: no BLAS, no HDF5, no model). The perturbation is the mean, "
                + "over the prompt's content tokens, of `ICDFPerturbation` of the detector's hidden state at layer \(c.perturbation.layer):",
            "",
            "```swift",
            "// Package.swift: .product(name: \"CodebookRuntime\", package: \"codebook-compiler\")",
            "import CodebookRuntime",
            "import Foundation",
            "",
            "let codebook = try Codebook.load(URL(fileURLWithPath: \"\(bundleName)\"))  // verifies versions, sha256s, shapes",
            "let icdf = try ICDFPerturbation(dimension: \(c.model.hiddenSize))",
            "// tokenHidden: [[Float]], each token's hidden state at layer \(c.perturbation.layer) ([tokens][\(c.model.hiddenSize)])",
            "let perToken = try tokenHidden.map { try icdf.perturbation(of: $0) }  // [tokens][64]",
            "let perturbation = (0..<64).map { k in perToken.map { $0[k] }.reduce(0, +) / Double(perToken.count) }",
            "for signal in codebook.score(perturbation) {  // one DimensionSignal per contrast",
            "    print(signal.name, signal.probability, signal.flagged)",
            "}",
            "```",
            "",
            "`codebook.detect(tokenPerturbations:window:)` scores rolling windows of tokens instead (the `window k` columns above).",
        ]
    }

    // MARK: - Helpers

    private var splitPhrase: String { evaluation.split == "heldout" ? "held-out" : "evaluation" }
    private var splitTitle: String { evaluation.split == "heldout" ? "Held-out" : "Evaluation" }

    private var layerNote: String {
        guard let selection = configuration.layerSelection else { return "" }
        if selection.mode == "auto", configuration.perturbation.layer < selection.meanTrainAUC.count,
           let auc = selection.meanTrainAUC[configuration.perturbation.layer] {
            return ", chosen automatically: the highest mean train AUC of the codebook classifiers over the contrasts (\(Self.fixed(auc)))"
        }
        return selection.mode == "auto" ? ", chosen automatically" : ", chosen by the user"
    }

    /// The Hanley–McNeil (1982) standard error of the codebook AUC `A` with `n₊` positives and `n₋`
    /// negatives: `sqrt((A(1−A) + (n₊−1)(Q₁−A²) + (n₋−1)(Q₂−A²)) / (n₊n₋))`, `Q₁ = A/(2−A)`, `Q₂ = 2A²/(1+A)`.
    static func standardError(_ contrast: EvaluationSummary.Contrast) -> Double {
        let a = contrast.auc(.codebook), n1 = Double(contrast.nPositive), n2 = Double(contrast.nNegative)
        let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
        let variance = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2)
        return max(variance, 0).squareRoot()
    }

    static func fixed(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// A table cell: `|` would end it.
    static func cell(_ text: String) -> String {
        "`" + text.replacingOccurrences(of: "|", with: "\\|") + "`"
    }

    /// A YAML scalar: plain when it cannot be read as anything but that string, else double-quoted
    /// (JSON's escapes are YAML's).
    static func yamlString(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        let plain = text.first.map { $0.isASCII && $0.isLetter } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/-".contains($0)) }
            && !reserved.contains(text.lowercased())
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: quoted += String(format: "\\u%04x", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// A YAML float that reads back as the same `Double` (finite values; the card's are AUCs in [0, 1]).
    /// Swift's shortest round-trip digits, with an exponent form (`1e-05`) spelled out in fixed notation:
    /// YAML 1.1 readers (PyYAML) take a float without a `.` for a string.
    static func yamlNumber(_ value: Double) -> String {
        let shortest = "\(value)"
        let parts = shortest.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return shortest }  // already fixed notation
        let negative = parts[0].hasPrefix("-")
        let mantissa = parts[0].drop { $0 == "-" }
        let digits = mantissa.filter { $0 != "." }
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        let fixed: String
        if point <= 0 {
            fixed = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            fixed = digits + String(repeating: "0", count: point - digits.count) + ".0"
        } else {
            fixed = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        return (negative ? "-" : "") + fixed
    }
}
