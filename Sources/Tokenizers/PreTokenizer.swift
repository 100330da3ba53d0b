/// The pre-tokenizers the detectors use: they cut normalized text into the pieces the model tokenizes
/// independently. Pieces are slices of the caller's buffer; empty pieces are never produced (the reference
/// drops them).
indirect enum PreTokenizer: Sendable, Equatable {
    /// GPT-2's byte-level pre-tokenizer: optionally a leading space, then the GPT-2 split pattern. The
    /// mapping of bytes to printable characters is done by the BPE model (`BPE.byteLevel`), so this must be
    /// the last step of a sequence.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Splits off numeric characters, one by one or in runs.
    case digits(individualDigits: Bool)
    /// BERT: split on whitespace (dropped) and punctuation (kept, one character per piece).
    case bert
    case sequence([PreTokenizer])

    init(json: JSONNode) throws {
        let type = try json.typeTag()
        switch type {
        case "ByteLevel":
            // `trim_offsets` is read by the ByteLevel post-processor only, not here.
            try json.requireOnlyKeys(["type", "add_prefix_space", "trim_offsets", "use_regex"])
            self = .byteLevel(addPrefixSpace: try json.bool("add_prefix_space", default: true),
                              useRegex: try json.bool("use_regex", default: true))
        case "Digits":
            try json.requireOnlyKeys(["type", "individual_digits"])
            self = .digits(individualDigits: try json.bool("individual_digits", default: false))
        case "BertPreTokenizer":
            try json.requireOnlyKeys(["type"])
            self = .bert
        case "Sequence":
            try json.requireOnlyKeys(["type", "pretokenizers"])
            let members = try json.required("pretokenizers").array().map(PreTokenizer.init(json:))
            for (index, member) in members.enumerated() {
                if case .byteLevel = member, index != members.count - 1 {
                    throw try json.required("pretokenizers").array()[index].unsupported(
                        "ByteLevel before other pre-tokenizers (it must come last: it hands bytes to the model)")
                }
            }
            self = .sequence(members)
        default:
            throw try json.required("type").unsupported(
                "\"\(type)\" (supported: ByteLevel, Digits, BertPreTokenizer, Sequence)")
        }
    }

    /// Whether the pieces are to be tokenized as UTF-8 bytes (a ByteLevel step is present).
    var isByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .digits, .bert: return false
        case .sequence(let members): return members.contains(where: \.isByteLevel)
        }
    }

    /// Calls `emit` with each non-empty piece of `text`, in order, and the piece's origins: `origins` gives,
    /// for each index of `text`, the index of the original scalar it came from.
    func split(_ text: ArraySlice<Unicode.Scalar>, origins: Origins, _ emit: (ArraySlice<Unicode.Scalar>, Origins) -> Void) {
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            if addPrefixSpace && text.first != " " {
                // The reference prepends the space to every piece it receives, not only the first; the space
                // comes from the piece's first scalar.
                let prefixed = [" "] + text
                let prefixedOrigins = Origins(([text.startIndex] + text.indices).map { origins[$0] }[...])
                Self.splitByteLevel(prefixed[...], useRegex: useRegex) { emit($0, prefixedOrigins[$0.indices]) }
            } else {
                Self.splitByteLevel(text, useRegex: useRegex) { emit($0, origins[$0.indices]) }
            }
        case .digits(let individualDigits):
            Self.splitDigits(text, individually: individualDigits) { emit($0, origins[$0.indices]) }
        case .bert:
            Self.splitBert(text) { emit($0, origins[$0.indices]) }
        case .sequence(let members):
            Self.splitSequence(members[...], text, origins, emit)
        }
    }

    private static func splitSequence(_ members: ArraySlice<PreTokenizer>, _ text: ArraySlice<Unicode.Scalar>,
                                      _ origins: Origins, _ emit: (ArraySlice<Unicode.Scalar>, Origins) -> Void) {
        guard let first = members.first else {
            if !text.isEmpty { emit(text, origins) }
            return
        }
        first.split(text, origins: origins) { piece, pieceOrigins in
            splitSequence(members.dropFirst(), piece, pieceOrigins, emit)
        }
    }

    private static func splitByteLevel(_ text: ArraySlice<Unicode.Scalar>, useRegex: Bool,
                                       _ emit: (ArraySlice<Unicode.Scalar>) -> Void) {
        if useRegex {
            GPT2Splitter.split(text, emit)
        } else if !text.isEmpty {
            emit(text)
        }
    }

    private static func splitDigits(_ text: ArraySlice<Unicode.Scalar>, individually: Bool,
                                    _ emit: (ArraySlice<Unicode.Scalar>) -> Void) {
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            guard UnicodeClasses.isNumeric(text[index]) else {
                index += 1
                continue
            }
            if start < index { emit(text[start..<index]) }
            var end = index + 1
            if !individually {
                while end < text.endIndex && UnicodeClasses.isNumeric(text[end]) { end += 1 }
            }
            emit(text[index..<end])
            start = end
            index = end
        }
        if start < text.endIndex { emit(text[start..<text.endIndex]) }
    }

    private static func splitBert(_ text: ArraySlice<Unicode.Scalar>, _ emit: (ArraySlice<Unicode.Scalar>) -> Void) {
        var start = text.startIndex
        for index in text.indices {
            let scalar = text[index]
            if UnicodeClasses.isWhiteSpace(scalar) {
                if start < index { emit(text[start..<index]) }
                start = index + 1
            } else if UnicodeClasses.isBertPunctuation(scalar) {
                if start < index { emit(text[start..<index]) }
                emit(text[index..<index + 1])
                start = index + 1
            }
        }
        if start < text.endIndex { emit(text[start..<text.endIndex]) }
    }
}

/// A hand-written matcher for GPT-2's split pattern, as Oniguruma runs it (leftmost-first alternation,
/// greedy repetition):
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// The pattern covers every scalar, so the matches tile the text. At each position the first alternative
/// that matches wins:
/// - a contraction: an ASCII apostrophe and one of the lowercase suffixes;
/// - else, an optional U+0020 and a maximal run of one class (letters, numbers, or "other": neither space,
///   letter nor number), the class being that of the first scalar after the optional space;
/// - else, whitespace: the whole run if it reaches the end of the text; otherwise the run minus its last
///   scalar (`(?!\S)` backtracks one), or the single scalar when the run has length one (`\s+`). The scalar
///   left over starts the next match, so `"a  b"` gives `"a"`, `" "`, `" b"`.
enum GPT2Splitter {
    static func split(_ text: ArraySlice<Unicode.Scalar>, _ emit: (ArraySlice<Unicode.Scalar>) -> Void) {
        let end = text.endIndex
        var start = text.startIndex
        while start < end {
            let first = text[start]
            if first == "'", let stop = contractionEnd(text, start) {
                emit(text[start..<stop])
                start = stop
                continue
            }
            var runStart = start
            if first == " ", start + 1 < end, UnicodeClasses.patternClass(text[start + 1]) != .space {
                runStart = start + 1
            }
            let runClass = UnicodeClasses.patternClass(text[runStart])
            var stop = runStart + 1
            while stop < end && UnicodeClasses.patternClass(text[stop]) == runClass { stop += 1 }
            if runClass == .space && stop < end && stop - start > 1 {
                stop -= 1  // \s+(?!\S): leave the last whitespace scalar to the next match
            }
            emit(text[start..<stop])
            start = stop
        }
    }

    /// The end of `'s|'t|'re|'ve|'m|'ll|'d` at `start` (which holds an apostrophe), if one matches.
    @inline(__always)
    private static func contractionEnd(_ text: ArraySlice<Unicode.Scalar>, _ start: Int) -> Int? {
        guard start + 1 < text.endIndex else { return nil }
        switch text[start + 1] {
        case "s", "t", "m", "d":
            return start + 2
        case "r", "v":
            return start + 2 < text.endIndex && text[start + 2] == "e" ? start + 3 : nil
        case "l":
            return start + 2 < text.endIndex && text[start + 2] == "l" ? start + 3 : nil
        default:
            return nil
        }
    }
}
