/// What a post-processor does to one sequence: special tokens before and after the content, and the
/// trimming of the content's offsets.
///
/// Every supported processor reduces to this for a single sequence: TemplateProcessing's `single` template
/// (`[CLS] $A [SEP]`, `<|endoftext|> $A`), BertProcessing and RobertaProcessing (`cls $A sep`), ByteLevel
/// and no processor (nothing), and a Sequence of those with at most one member that adds tokens. (The
/// reference runs a Sequence's members over a list of encodings, which with two adding members yields
/// pair-like layouts; no tokenizer we know uses that, so it is refused.)
struct PostProcessor: Sendable, Equatable {
    var prefix: [Int32] = []
    var suffix: [Int32] = []
    /// One entry per processor that trims offsets (`trim_offsets`), in order: its `add_prefix_space`.
    var offsetTrimming: [Bool] = []

    static let none = PostProcessor()

    var addedCount: Int { prefix.count + suffix.count }

    init() {}

    init(json: JSONNode) throws {
        let type = try json.typeTag()
        switch type {
        case "TemplateProcessing":
            // `pair` describes two-sequence inputs, which we never encode.
            try json.requireOnlyKeys(["type", "single", "pair", "special_tokens"])
            let specials = try json.required("special_tokens")
            var seenSequence = false
            for item in try json.required("single").array() {
                let members = try item.members()
                guard members.count == 1 else { throw item.invalid("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}") }
                if let special = try item.optional("SpecialToken") {
                    try special.requireOnlyKeys(["id", "type_id"])
                    let name = try special.required("id").string()
                    guard let entry = try specials.optional(name) else {
                        throw try special.required("id").invalid("\"\(name)\" is not in special_tokens")
                    }
                    try entry.requireOnlyKeys(["id", "ids", "tokens"])
                    let ids = try entry.required("ids").array().map { node -> Int32 in
                        let id = try node.int()
                        guard let id32 = Int32(exactly: id), id32 >= 0 else { throw node.invalid("not a token id: \(id)") }
                        return id32
                    }
                    if seenSequence { suffix += ids } else { prefix += ids }
                } else if let sequence = try item.optional("Sequence") {
                    try sequence.requireOnlyKeys(["id", "type_id"])
                    let name = try sequence.required("id").string()
                    guard name == "A", !seenSequence else {
                        throw try sequence.required("id").unsupported("\"\(name)\" in the single-sequence template (expected one $A)")
                    }
                    seenSequence = true
                } else {
                    throw item.invalid("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}")
                }
            }
            guard seenSequence else { throw try json.required("single").invalid("the template has no $A") }
        case "BertProcessing", "RobertaProcessing":
            // Roberta's `trim_offsets` and `add_prefix_space` only move offsets.
            try json.requireOnlyKeys(type == "BertProcessing" ? ["type", "sep", "cls"]
                                                              : ["type", "sep", "cls", "trim_offsets", "add_prefix_space"])
            prefix = [try Self.tokenID(json.required("cls"))]
            suffix = [try Self.tokenID(json.required("sep"))]
            if type == "RobertaProcessing" { try readTrimming(json) }
        case "ByteLevel":
            // Adjusts offsets only.
            try json.requireOnlyKeys(["type", "add_prefix_space", "trim_offsets", "use_regex"])
            try readTrimming(json)
        case "Sequence":
            try json.requireOnlyKeys(["type", "processors"])
            var adding: PostProcessor?
            var trimming = [Bool]()
            for member in try json.required("processors").array() {
                let processor = try PostProcessor(json: member)
                trimming += processor.offsetTrimming
                guard processor.addedCount > 0 else { continue }
                guard adding == nil else {
                    throw member.unsupported("second special-token-adding processor in a Sequence")
                }
                adding = processor
            }
            self = adding ?? .none
            // Trimming is applied to the content before the specials are added, as when the trimming
            // processor comes first (the usual order; the specials' 0..<0 has nothing to trim anyway).
            offsetTrimming = trimming
        default:
            throw try json.required("type").unsupported(
                "\"\(type)\" (supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence)")
        }
    }

    /// `trim_offsets` and `add_prefix_space`, both true by default as in the reference.
    private mutating func readTrimming(_ json: JSONNode) throws {
        if try json.bool("trim_offsets", default: true) {
            offsetTrimming.append(try json.bool("add_prefix_space", default: true))
        }
    }

    /// `["[SEP]", 102]`.
    private static func tokenID(_ node: JSONNode) throws -> Int32 {
        let pair = try node.array()
        guard pair.count == 2 else { throw node.invalid("expected [token, id]") }
        _ = try pair[0].string()
        let id = try pair[1].int()
        guard let id32 = Int32(exactly: id), id32 >= 0 else { throw pair[1].invalid("not a token id: \(id)") }
        return id32
    }
}
