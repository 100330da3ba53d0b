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
        var text = [Unicode.Scalar]()
        text.reserveCapacity(input.count)
        var isASCII = true
        for scalar in input {
            if scalar.value >= 0x80 { isASCII = false }
            if cleanText {
                if scalar.value == 0 || UnicodeClasses.isBertRemoved(scalar) { continue }
                if UnicodeClasses.isWhiteSpace(scalar) {
                    text.append(" ")
                    continue
                }
            }
            if handleChineseChars && UnicodeClasses.isBertChinese(scalar) {
                text.append(" ")
                text.append(scalar)
                text.append(" ")
                continue
            }
            text.append(scalar)
        }
        if isASCII {
            // No decomposition, no mark and no multi-scalar case mapping below U+0080.
            if lowercase {
                for index in text.indices where ("A"..."Z").contains(text[index]) {
                    text[index] = Unicode.Scalar(text[index].value + 0x20)!
                }
            }
            return text
        }
        if stripAccents { text = Self.stripAccents(text) }
        if lowercase { text = Self.lowercase(text) }
        return text
    }

    /// NFD, then drop the nonspacing marks.
    ///
    /// Decomposition is delegated to Foundation, run by run: a run is a stretch of non-ASCII scalars the
    /// reference's (Unicode 8.0) tables know. ASCII scalars are starters, and newer scalars are starters
    /// without decomposition for the reference, so canonical reordering never crosses them and cutting
    /// there gives the reference's result; it also keeps decompositions added after 8.0 (U+11938) out.
    static func stripAccents(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output = [Unicode.Scalar]()
        output.reserveCapacity(text.count)
        var runStart: Int?
        func flush(upTo end: Int) {
            guard let start = runStart else { return }
            runStart = nil
            var run = String.UnicodeScalarView()
            run.append(contentsOf: text[start..<end])
            for scalar in String(run).decomposedStringWithCanonicalMapping.unicodeScalars
            where !UnicodeClasses.isBertNonspacingMark(scalar) {
                output.append(scalar)
            }
        }
        for (index, scalar) in text.enumerated() {
            if scalar.value >= 0x80 && UnicodeClasses.decomposesLikeUnicode8(scalar) {
                if runStart == nil { runStart = index }
                continue
            }
            flush(upTo: index)
            if !UnicodeClasses.isBertNonspacingMark(scalar) { output.append(scalar) }
        }
        flush(upTo: text.count)
        return output
    }

    /// Rust's `char::to_lowercase` for each scalar: the full (possibly multi-scalar) lowercase mapping, with
    /// no context (a final sigma stays σ).
    static func lowercase(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output = [Unicode.Scalar]()
        output.reserveCapacity(text.count)
        for scalar in text {
            if scalar.value < 0x80 {
                output.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
            } else if scalar.properties.changesWhenLowercased {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return output
    }
}
