import Foundation

/// Byte-pair encoding as the reference runs it.
///
/// A piece starts as one symbol per character (with the byte-level pre-tokenizer: per UTF-8 byte, spelled
/// with GPT-2's printable stand-in characters); then the adjacent pair with the lowest merge rank is merged,
/// the leftmost on ties, until no pair has a merge. Characters missing from the vocabulary fall back to
/// `<0xXX>` byte tokens (`byte_fallback`), else to the unknown token (consecutive ones fused with
/// `fuse_unk`), else are dropped, as in the reference.
final class BPE: Sendable {
    /// Tokenize UTF-8 bytes through GPT-2's byte-to-character map (a ByteLevel pre-tokenizer is present).
    let byteLevel: Bool
    let vocabulary: [String: Int32]
    /// (left << 32 | right) → (rank << 32 | merged id).
    let merges: [UInt64: UInt64]
    let unknownID: Int32?
    let continuingSubwordPrefix: String?
    let endOfWordSuffix: String?
    let fuseUnknown: Bool
    let byteFallback: Bool
    /// A piece that is itself in the vocabulary is taken whole, without merging (Llama 3 style).
    let ignoreMerges: Bool
    /// Byte → id of its one-character symbol, or -1 (byte-level, no prefix/suffix: the common case).
    private let byteSymbolIDs: [Int32]
    /// Byte → id of `<0xXX>`, or -1.
    private let byteFallbackIDs: [Int32]
    private let cache = WordCache()

    /// `{"type": "BPE", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk",
    /// "byte_fallback", "ignore_merges", "vocab", "merges"}`; merges as `"a b"` strings or `["a", "b"]` pairs.
    init(json: JSONNode, vocabulary: [String: Int32], byteLevel: Bool) throws {
        try json.requireOnlyKeys(["type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix",
                                  "fuse_unk", "byte_fallback", "ignore_merges", "vocab", "merges"])
        if let dropout = try json.optional("dropout") {
            guard let probability = try? dropout.number(), probability == 0 else {
                let found = if case let .number(text) = dropout.value { text } else { dropout.typeName }
                throw dropout.unsupported("dropout \(found) (tokenization would be random)")
            }
        }
        self.byteLevel = byteLevel
        self.vocabulary = vocabulary
        if let unknown = try json.optional("unk_token") {
            guard let id = vocabulary[try unknown.string()] else {
                throw unknown.invalid("\"\(try unknown.string())\" is not in model.vocab")
            }
            unknownID = id
        } else {
            unknownID = nil
        }
        continuingSubwordPrefix = try json.optional("continuing_subword_prefix")?.string()
        endOfWordSuffix = try json.optional("end_of_word_suffix")?.string()
        fuseUnknown = try json.bool("fuse_unk", default: false)
        byteFallback = try json.bool("byte_fallback", default: false)
        ignoreMerges = try json.bool("ignore_merges", default: false)

        let prefixLength = continuingSubwordPrefix?.utf8.count ?? 0
        var merges = [UInt64: UInt64]()
        let mergeNodes = try json.required("merges").array()
        merges.reserveCapacity(mergeNodes.count)
        for (rank, node) in mergeNodes.enumerated() {
            let (left, right) = try Self.mergePair(node)
            guard let leftID = vocabulary[left] else { throw node.invalid("\"\(left)\" is not in model.vocab") }
            guard let rightID = vocabulary[right] else { throw node.invalid("\"\(right)\" is not in model.vocab") }
            // As the reference: the right part loses the continuation prefix's length, whatever it starts with.
            let rightBytes = Array(right.utf8)
            guard rightBytes.count >= prefixLength,
                  let rightRest = String(bytes: rightBytes[prefixLength...], encoding: .utf8) else {
                throw node.invalid("\"\(right)\" is shorter than the continuing_subword_prefix")
            }
            let merged = left + rightRest
            guard let mergedID = vocabulary[merged] else {
                throw node.invalid("the merged token \"\(merged)\" is not in model.vocab")
            }
            // A repeated pair keeps its last rank, as the reference's hash map does.
            merges[UInt64(UInt32(bitPattern: leftID)) << 32 | UInt64(UInt32(bitPattern: rightID))] =
                UInt64(rank) << 32 | UInt64(UInt32(bitPattern: mergedID))
        }
        self.merges = merges

        byteSymbolIDs = (0..<256).map { byte in
            vocabulary[String(Character(ByteLevelAlphabet.scalar(for: UInt8(byte))))] ?? -1
        }
        byteFallbackIDs = (0..<256).map { byte in
            vocabulary["<0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2))>"] ?? -1
        }
    }

    private static func mergePair(_ node: JSONNode) throws -> (String, String) {
        if case let .string(string) = node.value {
            // The reference splits on every space and wants exactly two parts.
            let parts = string.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw node.invalid("expected \"left right\", found \"\(string)\"") }
            return (String(parts[0]), String(parts[1]))
        }
        let pair = try node.array()
        guard pair.count == 2 else { throw node.invalid("expected a pair [left, right], found \(pair.count) elements") }
        return (try pair[0].string(), try pair[1].string())
    }

    // MARK: Tokenizing

    /// Appends the piece's tokens, each with the range of `piece` it spells.
    func tokenize(_ piece: ArraySlice<Unicode.Scalar>, into output: inout TokenBuffer) {
        // The model's characters: bytes (widened) for byte-level, else the scalars.
        var characters = [UInt32]()
        if byteLevel {
            characters.reserveCapacity(piece.count)
            for scalar in piece {
                for byte in UTF8.encode(scalar)! { characters.append(UInt32(byte)) }
            }
        } else {
            characters = piece.map(\.value)
        }
        if characters.isEmpty { return }
        if ignoreMerges, let id = vocabulary[spelling(characters[...])] {
            output.append(id, piece.startIndex..<piece.endIndex)
            return
        }
        let word: Word
        if let cached = cache.lookup(characters) {
            word = cached
        } else {
            var symbols = initialSymbols(characters)
            Self.mergeAll(&symbols, merges: merges)
            // The reference caches words shorter than 256 bytes.
            if characters.count < 256 { cache.store(characters, symbols) }
            word = symbols
        }
        Self.append(word, spelling: piece, into: &output)
    }

    /// Appends a word's tokens with the ranges of `piece` they spell. As in the reference, a token's place is
    /// the sum of the lengths (UTF-8 bytes) of the tokens before it, and a token that covers part of a
    /// scalar's bytes gets the whole scalar.
    static func append(_ word: Word, spelling piece: ArraySlice<Unicode.Scalar>, into output: inout TokenBuffer) {
        var position = 0  // UTF-8 offset of the next token in the piece
        var scalar = piece.startIndex  // the scalar that holds the byte before `scalarEnd`
        var scalarEnd = UTF8.width(piece[scalar])  // UTF-8 offset where `scalar` ends
        let last = piece.endIndex - 1
        for (id, length) in zip(word.ids, word.lengths) {
            while scalarEnd <= position && scalar < last {
                scalar += 1
                scalarEnd += UTF8.width(piece[scalar])
            }
            let first = scalar
            position += Int(length)
            while scalarEnd < position && scalar < last {
                scalar += 1
                scalarEnd += UTF8.width(piece[scalar])
            }
            output.append(id, first..<(scalar + 1))
        }
    }

    /// The vocabulary spelling of model characters.
    private func spelling(_ characters: ArraySlice<UInt32>) -> String {
        var scalars = String.UnicodeScalarView()
        for character in characters {
            scalars.append(byteLevel ? ByteLevelAlphabet.scalar(for: UInt8(character)) : Unicode.Scalar(character)!)
        }
        return String(scalars)
    }

    /// One symbol per character, each as long as the character's UTF-8 bytes (byte-fallback tokens: one byte
    /// each, prefix and suffix bytes included; a fused unknown token: all of its characters'); a character
    /// with no symbol is dropped, its bytes counted by no token, as in the reference.
    private func initialSymbols(_ characters: [UInt32]) -> Word {
        var symbols = Word()
        symbols.reserveCapacity(characters.count)
        let simple = continuingSubwordPrefix == nil && endOfWordSuffix == nil
        var pendingUnknown: Int32?  // the length of an unknown symbol waiting to be emitted (so that the next can fuse)
        for index in characters.indices {
            let length = byteLevel ? 1 : Int32(UTF8.width(Unicode.Scalar(characters[index])!))
            var id: Int32 = -1
            var symbol = ""
            if simple && byteLevel {
                id = byteSymbolIDs[Int(characters[index])]
            }
            if id < 0 {
                symbol = spelling(characters[index...index])
                if index > 0, let prefix = continuingSubwordPrefix { symbol = prefix + symbol }
                if index == characters.count - 1, let suffix = endOfWordSuffix { symbol += suffix }
                id = vocabulary[symbol] ?? -1
            }
            if id >= 0 {
                if let pending = pendingUnknown, let unknownID { symbols.append(unknownID, length: pending) }
                pendingUnknown = nil
                symbols.append(id, length: length)
                continue
            }
            if byteFallback {
                let fallback = symbol.utf8.map { byteFallbackIDs[Int($0)] }
                if !fallback.contains(-1) {
                    // The pending unknown stays pending, as in the reference.
                    for id in fallback { symbols.append(id, length: 1) }
                    continue
                }
            }
            guard let unknownID else { continue }  // no unknown token: the character is dropped
            if let pending = pendingUnknown {
                if fuseUnknown {
                    pendingUnknown = pending + length
                    continue
                }
                symbols.append(unknownID, length: pending)
            }
            pendingUnknown = length
        }
        if let pending = pendingUnknown, let unknownID { symbols.append(unknownID, length: pending) }
        return symbols
    }

    /// Merges the lowest-ranked adjacent pair, leftmost on ties, until none is left. A min-heap of
    /// (rank, position) entries over a linked list of symbols, with stale entries skipped when popped: the
    /// reference's algorithm, O(n log n) so that long pieces stay cheap.
    static func mergeAll(_ word: inout Word, merges: [UInt64: UInt64]) {
        let count = word.ids.count
        guard count > 1 else { return }
        var next = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Int32(index + 1) }
            initialized = count
        }
        var previous = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Int32(index - 1) }
            initialized = count
        }
        var alive = [Bool](repeating: true, count: count)
        var heap = MinHeap()

        @inline(__always) func rule(_ left: Int32, _ right: Int32) -> UInt64? {
            merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
        }
        for position in 0..<count - 1 {
            if let found = rule(word.ids[position], word.ids[position + 1]) {
                heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(position))
            }
        }
        while let entry = heap.pop() {
            let position = Int(entry & 0xFFFF_FFFF)
            let rank = entry >> 32
            guard alive[position] else { continue }
            let right = Int(next[position])
            guard right < count else { continue }
            // Stale when the pair at this position has changed since the entry was pushed.
            guard let found = rule(word.ids[position], word.ids[right]), found >> 32 == rank else { continue }
            word.ids[position] = Int32(truncatingIfNeeded: found)
            word.lengths[position] += word.lengths[right]
            alive[right] = false
            let afterRight = next[right]
            next[position] = afterRight
            if afterRight < count { previous[Int(afterRight)] = Int32(position) }
            let before = previous[position]
            if before >= 0, let found = rule(word.ids[Int(before)], word.ids[position]) {
                heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(before))
            }
            if afterRight < count, let found = rule(word.ids[position], word.ids[Int(afterRight)]) {
                heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(position))
            }
        }
        var write = 0
        for index in 0..<count where alive[index] {
            word.ids[write] = word.ids[index]
            word.lengths[write] = word.lengths[index]
            write += 1
        }
        word.ids.removeSubrange(write...)
        word.lengths.removeSubrange(write...)
    }
}

/// A piece's symbols: ids, each with its length in the piece's UTF-8 bytes (the reference's `Word`).
struct Word: Sendable {
    var ids: [Int32] = []
    var lengths: [Int32] = []

    @inline(__always)
    mutating func append(_ id: Int32, length: Int32) {
        ids.append(id)
        lengths.append(length)
    }

    mutating func reserveCapacity(_ capacity: Int) {
        ids.reserveCapacity(capacity)
        lengths.reserveCapacity(capacity)
    }
}

/// A binary min-heap of (rank << 32 | position) keys: lowest rank first, leftmost position on ties.
private struct MinHeap {
    private var keys: [UInt64] = []

    mutating func push(_ key: UInt64) {
        keys.append(key)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = keys.popLast() else { return nil }
        guard !keys.isEmpty else { return last }
        let top = keys[0]
        keys[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < keys.count else { break }
            let right = left + 1
            let smaller = right < keys.count && keys[right] < keys[left] ? right : left
            guard keys[smaller] < keys[parent] else { break }
            keys.swapAt(smaller, parent)
            parent = smaller
        }
        return top
    }
}

/// Results for pieces already tokenized (piece characters → symbols), shared by all copies of a tokenizer.
/// Bounded like the reference's cache: once full, new pieces are no longer stored.
private final class WordCache: @unchecked Sendable {
    // `@unchecked`: all access to `entries` goes through `lock`.
    private let lock = NSLock()
    private var entries: [[UInt32]: Word] = [:]
    private let capacity = 10_000

    func lookup(_ key: [UInt32]) -> Word? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func store(_ key: [UInt32], _ value: Word) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count < capacity { entries[key] = value }
    }
}

/// GPT-2's map from bytes to printable characters: printable Latin-1 bytes stand for themselves, the other
/// 68 bytes (controls, space, U+007F...U+00A0, U+00AD) take U+0100 onwards in byte order.
enum ByteLevelAlphabet {
    static func scalar(for byte: UInt8) -> Unicode.Scalar { table[Int(byte)] }

    private static let table: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
