import QuantEngine
import Testing
@testable import QuantScopeUI

/// The tensor the explorer opens first, on synthetic tensor lists.
@Suite struct FirstTensorTests {
    static func info(_ name: String, _ storage: StoredType, _ shape: [Int]) -> TensorInfo {
        TensorInfo(name: name, dtype: "\(storage)", storage: storage, shape: shape, offset: 0, byteCount: 0)
    }

    static func pick(_ infos: [TensorInfo]) -> String? {
        let list = infos.enumerated().map { (ref: TensorRef(file: 0, tensor: $0.offset), info: $0.element) }
        return FirstTensor.choose(list).map { infos[$0.tensor].name }
    }

    @Test func skipsIntegersBiasesAndEmbeddings() {
        let infos = [
            Self.info("position_ids", .int64, [1, 512]),
            Self.info("model.embed_tokens.weight", .bfloat16, [262_144, 640]),
            Self.info("model.layers.0.input_layernorm.weight", .bfloat16, [640]),
            Self.info("model.layers.0.self_attn.q_proj.bias", .bfloat16, [640]),
            Self.info("model.layers.0.self_attn.rotary.inv_freq", .float32, [32, 2]),
            Self.info("model.layers.0.self_attn.q_proj.weight", .bfloat16, [640, 640]),
            Self.info("lm_head.weight", .bfloat16, [262_144, 640]),
        ]
        #expect(Self.pick(infos) == "model.layers.0.self_attn.q_proj.weight")
    }

    @Test func ggufPrefersALayerOverTheTokenEmbedding() {
        let infos = [
            Self.info("token_embd.weight", .ggml(.q4_K), [262_144, 640]),
            Self.info("blk.0.attn_norm.weight", .ggml(.f32), [640]),
            Self.info("blk.0.attn_q.weight", .ggml(.q4_K), [1024, 640]),
            Self.info("output.weight", .ggml(.q6_K), [262_144, 640]),
        ]
        #expect(Self.pick(infos) == "blk.0.attn_q.weight")
    }

    /// A small model's embedding is of moderate size too: still not first.
    @Test func aSmallEmbeddingStillComesAfterALayer() {
        let infos = [
            Self.info("model.embed_tokens.weight", .float32, [1000, 64]),
            Self.info("model.layers.0.mlp.up_proj.weight", .float32, [256, 64]),
            Self.info("lm_head.weight", .float32, [1000, 64]),
        ]
        #expect(Self.pick(infos) == "model.layers.0.mlp.up_proj.weight")
        #expect(Self.pick([infos[0], infos[2]]) == "model.embed_tokens.weight")
    }

    @Test func anEmbeddingWhenItIsTheOnlyMatrix() {
        let infos = [Self.info("pos", .ggml(.i32), [4, 4]), Self.info("wte.weight", .float32, [50_257, 768]), Self.info("ln.bias", .float32, [768])]
        #expect(Self.pick(infos) == "wte.weight")
    }

    @Test func moderateSizeFirstElseTheSmallest() {
        let huge = [Self.info("a.weight", .float16, [8192, 8192]), Self.info("b.weight", .float16, [1024, 1024])]
        #expect(Self.pick(huge) == "b.weight")
        let allHuge = [Self.info("a.weight", .float16, [8192, 8192]), Self.info("b.weight", .float16, [8192, 4097])]
        #expect(Self.pick(allHuge) == "b.weight")
    }

    @Test func withoutAWeightNameAnyMatrixThenAnything() {
        #expect(Self.pick([Self.info("x", .int8, [3, 3]), Self.info("kernel", .float32, [3, 3])]) == "kernel")
        #expect(Self.pick([Self.info("ids", .int64, [7]), Self.info("bias", .float32, [7])]) == "bias")
        #expect(Self.pick([Self.info("ids", .int64, [7])]) == "ids")
        #expect(Self.pick([Self.info("empty.weight", .float32, [0, 384]), Self.info("b", .float32, [384])]) == "b")
        #expect(Self.pick([]) == nil)
    }
}
