/// BERT's WordPiece model: each piece is cut greedily into the longest vocabulary entries from the left,
/// continuations spelled with a prefix (`##`). A piece longer than `maxInputCharsPerWord` scalars, or one
/// with any part that no entry covers, becomes the single unknown token.
final class WordPiece: Sendable {
    let unknownID: Int32
    let maxInputCharsPerWord: Int
    /// Every vocabulary entry, for the start of a piece.
    let initial: ScalarTrie
    /// The entries that start with the continuation prefix, without it (and non-empty), for the rest.
    let continuation: ScalarTrie

    /// `{"type": "WordPiece", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"}`.
    init(json: JSONNode, vocabulary: [String: Int32]) throws {
        try json.requireOnlyKeys(["type", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"])
        let unknown = try json.optional("unk_token")?.string() ?? "[UNK]"
        guard let unknownID = vocabulary[unknown] else {
            throw try json.required("unk_token").invalid("\"\(unknown)\" is not in model.vocab")
        }
        self.unknownID = unknownID
        let prefix = try json.optional("continuing_subword_prefix")?.string() ?? "##"
        let maxChars = try json.optional("max_input_chars_per_word")?.int() ?? 100
        guard maxChars >= 0 else { throw try json.required("max_input_chars_per_word").invalid("must not be negative") }
        maxInputCharsPerWord = maxChars

        var initial = ScalarTrie()
        var continuation = ScalarTrie()
        let prefixScalars = Array(prefix.unicodeScalars)
        for (token, id) in vocabulary {
            let scalars = Array(token.unicodeScalars)
            initial.insert(scalars[...], id: id)
            if scalars.count > prefixScalars.count && scalars.starts(with: prefixScalars) {
                continuation.insert(scalars[prefixScalars.count...], id: id)
            }
        }
        self.initial = initial
        self.continuation = continuation
    }

    /// Appends the piece's tokens, each with the range of `piece` it spells (the unknown token: all of it).
    func tokenize(_ piece: ArraySlice<Unicode.Scalar>, into output: inout TokenBuffer) {
        let whole = piece.startIndex..<piece.endIndex
        if piece.count > maxInputCharsPerWord {
            output.append(unknownID, whole)
            return
        }
        let firstOutput = output.count
        var start = piece.startIndex
        while start < piece.endIndex {
            let trie = start == piece.startIndex ? initial : continuation
            guard let (id, length) = trie.longestPrefix(of: piece[start...]) else {
                output.ids.removeSubrange(firstOutput...)
                output.offsets.removeSubrange(firstOutput...)
                output.append(unknownID, whole)
                return
            }
            output.append(id, start..<(start + length))
            start += length
        }
    }
}

/// A trie over Unicode scalars answering "which is the longest entry that is a prefix of this text".
/// Edges live in one hash table keyed by (node, scalar), so a lookup allocates nothing.
struct ScalarTrie: Sendable {
    /// (node << 21 | scalar) → child node. Scalars need 21 bits.
    private var edges: [UInt64: Int32] = [:]
    /// The entry ending at each node, or -1.
    private var terminal: [Int32] = [-1]

    mutating func insert(_ scalars: ArraySlice<Unicode.Scalar>, id: Int32) {
        guard !scalars.isEmpty else { return }
        var node: Int32 = 0
        for scalar in scalars {
            let key = UInt64(node) << 21 | UInt64(scalar.value)
            if let child = edges[key] {
                node = child
            } else {
                let child = Int32(terminal.count)
                terminal.append(-1)
                edges[key] = child
                node = child
            }
        }
        terminal[Int(node)] = id
    }

    /// The id and scalar length of the longest entry that `text` starts with.
    func longestPrefix(of text: ArraySlice<Unicode.Scalar>) -> (id: Int32, length: Int)? {
        var node: Int32 = 0
        var best: (id: Int32, length: Int)?
        var length = 0
        for scalar in text {
            guard let child = edges[UInt64(node) << 21 | UInt64(scalar.value)] else { break }
            node = child
            length += 1
            let id = terminal[Int(node)]
            if id >= 0 { best = (id, length) }
        }
        return best
    }
}
