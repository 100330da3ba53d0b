/// The character classes of the reference (`tokenizers` 0.23.3), scalar for scalar.
///
/// The reference does not use one Unicode version: its ByteLevel regex runs on Oniguruma (Unicode 16.0 tables),
/// `Digits` on Rust's `char::is_numeric` (Unicode 17.0 in the Rust that built the wheel), and BertNormalizer /
/// BertPreTokenizer on the `unicode_categories` crate, whose tables are Unicode 8.0. Swift's own tables are
/// newer (17.0 with Swift 6.3), so each class below is Swift's general category restricted to the scalars
/// that existed in the reference's version (`Unicode.Scalar.Properties.age`), plus the few scalars whose
/// category changed since. Every class is checked against the reference for all 1,112,064 scalars by
/// `UnicodeClassTests` (fixtures from `scripts/fixtures/make_tokenizers.py`).
enum UnicodeClasses {
    /// The class a scalar has in the GPT-2 split pattern
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    enum PatternClass: UInt8 {
        case letter, number, space, other
    }

    /// `\p{L}`, `\p{N}` and `\s` as Oniguruma (Unicode 16.0) sees them. The Basic Multilingual Plane is
    /// looked up in a table built once (64 KiB): the split scanner asks for every scalar of the text.
    @inline(__always)
    static func patternClass(_ scalar: Unicode.Scalar) -> PatternClass {
        let value = scalar.value
        if value < 0x10000 { return basicPlanePatternClass[Int(value)] }
        return computedPatternClass(scalar)
    }

    private static let basicPlanePatternClass: [PatternClass] = (0..<0x10000).map { value in
        // Surrogate code points are not scalars and never occur in a String; give them a class anyway.
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return .other }
        return computedPatternClass(scalar)
    }

    private static func computedPatternClass(_ scalar: Unicode.Scalar) -> PatternClass {
        let value = scalar.value
        if value < 0x80 { return asciiPatternClass[Int(value)] }
        if isWhiteSpace(scalar) { return .space }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return assigned(scalar, byMajor: 16) ? .letter : .other
        case .decimalNumber, .letterNumber, .otherNumber:
            return assigned(scalar, byMajor: 16) ? .number : .other
        default:
            return .other
        }
    }

    private static let asciiPatternClass: [PatternClass] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        if (0x09...0x0D).contains(value) || value == 0x20 { return .space }
        if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) { return .letter }
        if ("0"..."9").contains(scalar) { return .number }
        return .other
    }

    /// The Unicode `White_Space` property: Oniguruma's `\s`, Rust's `char::is_whitespace` and the `regex`
    /// crate's `\s`. The set is closed (no scalar has been added since Unicode 6.3), so it is spelled out.
    @inline(__always)
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Rust's `char::is_numeric` (general category Nd, Nl or No, Unicode 17.0), which `Digits` splits on.
    /// Oniguruma's `\p{N}` lacks 13 of these (U+11DE0...U+11DE9, U+16FF4...U+16FF6, new in 17.0).
    static func isNumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return (0x30...0x39).contains(scalar.value) }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return assigned(scalar, byMajor: 17)
        default: return false
        }
    }

    // MARK: BERT (Unicode 8.0 tables of the `unicode_categories` crate)

    /// BertPreTokenizer's punctuation: ASCII punctuation, or a P* category in Unicode 8.0.
    static func isBertPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
        }
        switch value {
        case 0x166D, 0x111C9: return true  // Po in 8.0; So since 12.0, Mn since 11.0
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return assignedByUnicode8(scalar)
        default:
            return false
        }
    }

    /// What BertNormalizer's `clean_text` removes: NUL, U+FFFD and "control" characters, which for BERT are
    /// Cc, Cf and Co in Unicode 8.0 except tab, newline and carriage return (those become spaces).
    static func isBertRemoved(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return value < 0x20 ? !(value == 0x09 || value == 0x0A || value == 0x0D) : value == 0x7F
        }
        if value == 0xFFFD { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse: return assignedByUnicode8(scalar)
        default: return false
        }
    }

    /// BertNormalizer's `handle_chinese_chars` ranges (CJK Unified Ideographs and their extensions as BERT
    /// lists them, not a Unicode property).
    static func isBertChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The nonspacing marks (Mn) that accent stripping drops after NFD, as of Unicode 8.0.
    static func isBertNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x300 { return false }
        switch value {
        case 0x1734, 0x1171E: return true  // Mn in 8.0, Mc since 14.0
        case 0x1885, 0x1886, 0xA9BD, 0x111C9: return false  // Lo, Lo, Mc, Po in 8.0; Mn today
        default: break
        }
        return scalar.properties.generalCategory == .nonspacingMark && assignedByUnicode8(scalar)
    }

    /// Whether canonical decomposition (NFD) may apply to the scalar as the reference knows it. Its
    /// normalization tables predate the decompositions added since (U+11938 in 13.0, several in 16.0), and
    /// treat newer scalars as starters without decomposition.
    @inline(__always)
    static func decomposesLikeUnicode8(_ scalar: Unicode.Scalar) -> Bool { assignedByUnicode8(scalar) }

    /// The `regex` crate's `\w` (used by added tokens with `single_word`): Alphabetic, marks, decimal
    /// numbers, connector punctuation and join controls.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                || value == 0x5F
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    // MARK: Unicode versions

    @inline(__always)
    private static func assigned(_ scalar: Unicode.Scalar, byMajor major: Int) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major <= major
    }

    @inline(__always)
    private static func assignedByUnicode8(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major <= 8
    }
}
