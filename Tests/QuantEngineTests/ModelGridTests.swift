import Testing
@testable import QuantEngine

/// `ModelGrid`: a model's weights as layers × roles for the Model view
/// (docs/contract.md §11), the same grid from Hugging Face and GGUF names.
@Suite struct ModelGridTests {
    @Test func huggingFaceAndGGUFNamesMeetInOneCell() {
        #expect(ModelGrid.place("model.layers.3.self_attn.q_proj.weight", architecture: "llama") == (3, "q"))
        #expect(ModelGrid.place("blk.3.attn_q.weight", architecture: "llama") == (3, "q"))
        #expect(ModelGrid.place("model.layers.12.mlp.down_proj.weight", architecture: nil) == (12, "down"))
        #expect(ModelGrid.place("blk.12.ffn_down.weight", architecture: nil) == (12, "down"))
        #expect(ModelGrid.place("encoder.layer.0.attention.self.query.weight", architecture: "bert") == (0, "q"))
        #expect(ModelGrid.place("encoder.layer.5.output.dense.weight", architecture: "bert") == (5, "down"))
        #expect(ModelGrid.place("model.embed_tokens.weight", architecture: nil) == (nil, "embed"))
        #expect(ModelGrid.place("lm_head.weight", architecture: nil) == (nil, "output"))
        #expect(ModelGrid.place("output.weight", architecture: nil) == (nil, "output"))
        // A name no rule covers: the first number is the layer, the rest the role.
        #expect(ModelGrid.place("transformer.h.7.attn.c_attn.weight", architecture: nil) == (7, "attn.c_attn"))
        #expect(ModelGrid.place("classifier.weight", architecture: nil) == (nil, "classifier"))
    }

    @Test func rowsAreLayersInOrderAndColumnsFollowTheBlock() {
        let names = ["blk.10.ffn_down.weight", "blk.2.attn_v.weight", "token_embd.weight", "blk.2.attn_q.weight",
                     "blk.10.attn_q.weight", "blk.2.ffn_down.weight", "output.weight", "blk.2.custom.weight"]
        let g = ModelGrid(weights: names.enumerated().map { ($0.offset, $0.element) })
        #expect(g.rows == ["other", "2", "10"], "numeric order, not text order")
        #expect(g.columns == ["embed", "q", "v", "down", "output", "custom"])
        #expect(g.cell(row: 2, column: 3)?.name == "blk.10.ffn_down.weight")
        #expect(g.cell(row: 2, column: 2) == nil)
        #expect(g.cell(row: 0, column: 0)?.tensor == 2)
        #expect(g.position(ofTensor: 7)! == (1, 5))
        #expect(g.cells.count == names.count)
    }

    @Test func noWeightsNoGrid() {
        let g = ModelGrid(weights: [])
        #expect(g.rows.isEmpty && g.columns.isEmpty && g.cell(row: 0, column: 0) == nil)
    }
}
