/// The tensor element types GGUF defines (ggml's `ggml_type`), with their block layout: `blockSize`
/// elements stored in `typeSize` bytes. Ids 4, 5 and 31–33, 36–38 were removed from ggml and are unknown.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9
    case Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15
    case IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23
    case I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30
    case TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41

    /// The types `Dequantization` turns into Float, as gguf-py's `dequantize` does.
    public static let supported: [GGMLType] = [.F32, .F16, .BF16, .Q8_0, .Q4_0, .Q4_1, .Q5_0, .Q5_1, .Q4_K, .Q5_K, .Q6_K]

    public var isSupported: Bool { Self.supported.contains(self) }

    public var name: String { "\(self)" }

    /// Elements per block (gguf-py's `GGML_QUANT_SIZES`).
    public var blockSize: Int {
        switch self {
        case .F32, .F16, .BF16, .I8, .I16, .I32, .I64, .F64: 1
        case .Q4_0, .Q4_1, .Q5_0, .Q5_1, .Q8_0, .Q8_1, .IQ4_NL, .MXFP4: 32
        case .NVFP4: 64
        case .Q1_0: 128
        case .Q2_K, .Q3_K, .Q4_K, .Q5_K, .Q6_K, .Q8_K, .IQ2_XXS, .IQ2_XS, .IQ3_XXS, .IQ1_S, .IQ3_S, .IQ2_S,
             .IQ4_XS, .IQ1_M, .TQ1_0, .TQ2_0: 256
        }
    }

    /// Bytes per block (gguf-py's `GGML_QUANT_SIZES`; QK_K = 256).
    public var typeSize: Int {
        switch self {
        case .F32: 4
        case .F16, .BF16: 2
        case .Q4_0: 2 + 16
        case .Q4_1: 2 + 2 + 16
        case .Q5_0: 2 + 4 + 16
        case .Q5_1: 2 + 2 + 4 + 16
        case .Q8_0: 2 + 32
        case .Q8_1: 4 + 4 + 32
        case .Q2_K: 2 + 2 + 16 + 64
        case .Q3_K: 2 + 64 + 32 + 12
        case .Q4_K: 2 + 2 + 128 + 12
        case .Q5_K: 2 + 2 + 128 + 32 + 12
        case .Q6_K: 2 + 128 + 64 + 16
        case .Q8_K: 4 + 256 + 32
        case .IQ2_XXS: 2 + 64
        case .IQ2_XS: 2 + 64 + 8
        case .IQ3_XXS: 2 + 64 + 32
        case .IQ1_S: 2 + 32 + 16
        case .IQ4_NL: 2 + 16
        case .IQ3_S: 2 + 64 + 32 + 8 + 4
        case .IQ2_S: 2 + 64 + 16
        case .IQ4_XS: 2 + 2 + 128 + 4
        case .I8: 1
        case .I16: 2
        case .I32: 4
        case .I64, .F64: 8
        case .IQ1_M: 32 + 16 + 8
        case .TQ1_0: 2 + 4 * 13
        case .TQ2_0: 2 + 64
        case .MXFP4: 1 + 16
        case .NVFP4: 4 + 32
        case .Q1_0: 2 + 16
        }
    }
}
