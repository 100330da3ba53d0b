@testable import Publishing
import Testing

/// A codebook compiled from a GGUF file is named as `make`'s MODEL_NAME names it: the model, not the file.
@Suite struct GGUFNameTests {
    @Test func quantizationAndExtensionAreDropped() {
        #expect(Publisher.ggufModelName("SmolLM2-135M-Instruct.Q4_1.gguf") == "SmolLM2-135M-Instruct")
        #expect(Publisher.ggufModelName("Llama-3.2-1B-Instruct-Q4_K_M.gguf") == "Llama-3.2-1B-Instruct")
        #expect(Publisher.ggufModelName("model-IQ2_XXS.gguf") == "model")
        #expect(Publisher.ggufModelName("model.F16.gguf") == "model")
        #expect(Publisher.ggufModelName("Qwen2.5-0.5B.gguf") == "Qwen2.5-0.5B")  // ".5B" is not a quantization
        #expect(Publisher.ggufModelName("tiny.gguf") == "tiny")
        #expect(Publisher.ggufModelName("all-MiniLM-L6-v2") == "all-MiniLM-L6-v2")  // a folder: unchanged
    }
}
