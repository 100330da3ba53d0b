/// A token of `tokenizer.json`'s `added_tokens`: matched in the text before the model sees it.
struct AddedToken: Sendable, Equatable {
    var id: Int32
    var content: [Unicode.Scalar]
    var special: Bool
    /// Only matches when neither neighbour is a word character (the `regex` crate's `\w`).
    var singleWord: Bool
    /// Absorbs the whitespace on its left / right into the token.
    var lstrip: Bool
    var rstrip: Bool
    /// Matched against the normalized text (with its content normalized too) rather than the raw text.
    var normalized: Bool
}

/// One side of the reference's added-token split: the tokens matched on the raw text (`normalized: false`,
/// which includes the usual special tokens) or on the normalized text.
///
/// Matching is the reference's Aho-Corasick search with leftmost-longest semantics: scanning left to right,
/// the first position where some token matches wins, with the longest token matching there; the search
/// resumes after it. A match rejected by `single_word` is skipped, not retried with a shorter token.
final class AddedTokenMatcher: Sendable {
    private let tokens: [AddedToken]
    /// First scalar of a token → indices into `tokens`, longest content first.
    private let byFirstScalar: [Unicode.Scalar: [Int]]
    /// Whether some token starts with this ASCII scalar (a cheap filter for the common case).
    private let startsASCIIToken: [Bool]

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        var byFirstScalar = [Unicode.Scalar: [Int]]()
        for (index, token) in tokens.enumerated() {
            byFirstScalar[token.content[0], default: []].append(index)
        }
        for (first, indices) in byFirstScalar {
            byFirstScalar[first] = indices.sorted { tokens[$0].content.count > tokens[$1].content.count }
        }
        self.byFirstScalar = byFirstScalar
        startsASCIIToken = (0..<128).map { byFirstScalar[Unicode.Scalar(UInt8($0))] != nil }
    }

    var isEmpty: Bool { tokens.isEmpty }

    enum Segment {
        case text(Range<Int>)
        /// A token and the text it covers: the match with the whitespace `lstrip`/`rstrip` absorbed.
        case token(Int32, Range<Int>)
    }

    /// Cuts `text` into added tokens and the text between them, in order. Empty text is never emitted: the
    /// reference drops empty pieces here, so the pre-tokenizer never sees one (which matters for ByteLevel's
    /// `add_prefix_space`: an empty text has no tokens, not a lone space).
    func split(_ text: ArraySlice<Unicode.Scalar>, _ emit: (Segment) -> Void) {
        guard !tokens.isEmpty else {
            if !text.isEmpty { emit(.text(text.startIndex..<text.endIndex)) }
            return
        }
        var consumed = text.startIndex  // everything before has been emitted
        var position = text.startIndex  // where the search resumes
        while position < text.endIndex {
            guard let index = longestMatch(text, at: position) else {
                position += 1
                continue
            }
            let token = tokens[index]
            let matchEnd = position + token.content.count
            defer { position = matchEnd }
            if token.singleWord {
                let wordBefore = position > text.startIndex && UnicodeClasses.isWordCharacter(text[position - 1])
                let wordAfter = matchEnd < text.endIndex && UnicodeClasses.isWordCharacter(text[matchEnd])
                if wordBefore || wordAfter { continue }
            }
            var start = position
            var stop = matchEnd
            if token.lstrip {
                while start > consumed && UnicodeClasses.isWhiteSpace(text[start - 1]) { start -= 1 }
            }
            if token.rstrip {
                while stop < text.endIndex && UnicodeClasses.isWhiteSpace(text[stop]) { stop += 1 }
            }
            if start < consumed {
                // Only possible for a token that starts with whitespace right after an `rstrip` token; the
                // reference would emit overlapping pieces here. Keep the text once, in order.
                start = consumed
            }
            if consumed < start { emit(.text(consumed..<start)) }
            emit(.token(token.id, start..<stop))
            consumed = stop
        }
        if consumed < text.endIndex { emit(.text(consumed..<text.endIndex)) }
    }

    @inline(__always)
    private func longestMatch(_ text: ArraySlice<Unicode.Scalar>, at position: Int) -> Int? {
        let first = text[position].value
        if first < 0x80 && !startsASCIIToken[Int(first)] { return nil }
        guard let candidates = byFirstScalar[text[position]] else { return nil }
        let available = text.endIndex - position
        for index in candidates {
            let content = tokens[index].content
            if content.count <= available && text[position..<position + content.count].elementsEqual(content) {
                return index
            }
        }
        return nil
    }
}
