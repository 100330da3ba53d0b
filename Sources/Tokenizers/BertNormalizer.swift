import Foundation

/// BERT's normalizer, in the reference's order: clean the text, pad CJK ideographs with spaces, strip
/// accents (NFD, then drop nonspacing marks), lowercase. Each step runs over the whole text, as in the
/// reference, because accent stripping reorders combining marks across the output of the earlier steps.
struct BertNormalizer: Sendable, Equatable {
    var cleanText: Bool
    var handleChineseChars: Bool
    var stripAccents: Bool
    var lowercase: Bool

    /// `{"type": "BertNormalizer", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"}`.
    /// A null `strip_accents` follows `lowercase`, as in the reference (uncased BERT strips accents).
    init(json: JSONNode) throws {
        try json.requireOnlyKeys(["type", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"])
        cleanText = try json.bool("clean_text", default: true)
        handleChineseChars = try json.bool("handle_chinese_chars", default: true)
        lowercase = try json.bool("lowercase", default: true)
        stripAccents = try json.optional("strip_accents")?.bool() ?? lowercase
    }

    init(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    func normalize(_ input: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        normalizeWithOrigins(input).scalars
    }

    /// The normalized text, and for each of its scalars the index (in `input`'s indices) of the input scalar
    /// it came from — the reference's alignments: a scalar that one step turns into several (the spaces
    /// around a CJK ideograph, a decomposition, a multi-scalar lowercase) gives all of them its index.
    func normalizeWithOrigins(_ input: ArraySlice<Unicode.Scalar>) -> (scalars: [Unicode.Scalar], origins: [Int]) {
        var text = [Unicode.Scalar]()
        var origins = [Int]()
        text.reserveCapacity(input.count)
        origins.reserveCapacity(input.count)
        var isASCII = true
        for index in input.indices {
            let scalar = input[index]
            if scalar.value >= 0x80 { isASCII = false }
            if cleanText {
                if scalar.value == 0 || UnicodeClasses.isBertRemoved(scalar) { continue }
                if UnicodeClasses.isWhiteSpace(scalar) {
                    text.append(" ")
                    origins.append(index)
                    continue
                }
            }
            if handleChineseChars && UnicodeClasses.isBertChinese(scalar) {
                text.append(" ")
                text.append(scalar)
                text.append(" ")
                origins.append(index)
                origins.append(index)
                origins.append(index)
                continue
            }
            text.append(scalar)
            origins.append(index)
        }
        if isASCII {
            // No decomposition, no mark and no multi-scalar case mapping below U+0080.
            if lowercase {
                for index in text.indices where ("A"..."Z").contains(text[index]) {
                    text[index] = Unicode.Scalar(text[index].value + 0x20)!
                }
            }
            return (text, origins)
        }
        if stripAccents { (text, origins) = Self.stripAccents(text, origins: origins) }
        if lowercase { (text, origins) = Self.lowercase(text, origins: origins) }
        return (text, origins)
    }

    /// NFD, then drop the nonspacing marks; `origins` follow the scalars.
    ///
    /// Decomposition is delegated to Foundation, run by run: a run is a stretch of non-ASCII scalars the
    /// reference's (Unicode 8.0) tables know. ASCII scalars are starters, and newer scalars are starters
    /// without decomposition for the reference, so canonical reordering never crosses them and cutting
    /// there gives the reference's result; it also keeps decompositions added after 8.0 (U+11938) out.
    ///
    /// The decomposition of a run's k-th scalar takes the k-th place in the run's origins, before canonical
    /// reordering, as in the reference (whose alignments are assigned in output order). So a starter always
    /// keeps its own origin; only a combining mark moved by reordering may take a neighbour's, and those are
    /// nonspacing marks (dropped here) but for a handful of spacing ones (U+1D165).
    static func stripAccents(_ text: [Unicode.Scalar], origins: [Int]) -> (scalars: [Unicode.Scalar], origins: [Int]) {
        var output = [Unicode.Scalar]()
        var outputOrigins = [Int]()
        output.reserveCapacity(text.count)
        outputOrigins.reserveCapacity(text.count)
        var runStart: Int?
        func flush(upTo end: Int) {
            guard let start = runStart else { return }
            runStart = nil
            var run = String.UnicodeScalarView()
            run.append(contentsOf: text[start..<end])
            let decomposed = String(run).decomposedStringWithCanonicalMapping.unicodeScalars
            // The origin of each decomposed scalar: `source` is the run scalar whose decomposition it is
            // part of, `left` how many of that decomposition's scalars are still to come.
            let oneToOne = decomposed.count == end - start
            var source = start
            var left = oneToOne ? 1 : Self.decompositionCounts.count(text[start])
            for scalar in decomposed {
                // (The counts add up to the run's; the bound only keeps a surprise from trapping.)
                while left == 0 && source + 1 < end {
                    source += 1
                    left = oneToOne ? 1 : Self.decompositionCounts.count(text[source])
                }
                left -= 1
                if !UnicodeClasses.isBertNonspacingMark(scalar) {
                    output.append(scalar)
                    outputOrigins.append(origins[source])
                }
            }
        }
        for (index, scalar) in text.enumerated() {
            if scalar.value >= 0x80 && UnicodeClasses.decomposesLikeUnicode8(scalar) {
                if runStart == nil { runStart = index }
                continue
            }
            flush(upTo: index)
            if !UnicodeClasses.isBertNonspacingMark(scalar) {
                output.append(scalar)
                outputOrigins.append(origins[index])
            }
        }
        flush(upTo: text.count)
        return (output, outputOrigins)
    }

    /// How many scalars each scalar decomposes to, remembered: asking Foundation costs a string conversion.
    private static let decompositionCounts = DecompositionCounts()

    /// Rust's `char::to_lowercase` for each scalar: the full (possibly multi-scalar) lowercase mapping, with
    /// no context (a final sigma stays σ); `origins` follow the scalars.
    static func lowercase(_ text: [Unicode.Scalar], origins: [Int]) -> (scalars: [Unicode.Scalar], origins: [Int]) {
        var output = [Unicode.Scalar]()
        var outputOrigins = [Int]()
        output.reserveCapacity(text.count)
        outputOrigins.reserveCapacity(text.count)
        for (scalar, origin) in zip(text, origins) {
            if scalar.value < 0x80 {
                output.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
                outputOrigins.append(origin)
            } else if scalar.properties.changesWhenLowercased {
                let mapping = scalar.properties.lowercaseMapping.unicodeScalars
                output.append(contentsOf: mapping)
                outputOrigins.append(contentsOf: repeatElement(origin, count: mapping.count))
            } else {
                output.append(scalar)
                outputOrigins.append(origin)
            }
        }
        return (output, outputOrigins)
    }
}

/// Scalar → the length of its canonical decomposition (NFD), shared by all tokenizers. Bounded like the BPE
/// word cache: once full, new scalars are computed each time.
private final class DecompositionCounts: @unchecked Sendable {
    // `@unchecked`: all access to `counts` goes through `lock`.
    private let lock = NSLock()
    private var counts: [Unicode.Scalar: Int] = [:]
    private let capacity = 20_000

    func count(_ scalar: Unicode.Scalar) -> Int {
        lock.lock()
        let known = counts[scalar]
        lock.unlock()
        if let known { return known }
        let count = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.count
        lock.lock()
        if counts.count < capacity { counts[scalar] = count }
        lock.unlock()
        return count
    }
}
