#!/usr/bin/env python3
"""
make_recipe_fixtures.py — evidence that the real quantizers take what
`quantscope recipe` writes as it is (docs/contract.md §7, `recipe`).

A tiny Llama (2 layers, hidden 256, 2 heads of 128, 1 KV head, FFN 512,
vocab 64; every row a multiple of 256 so K-quants apply) with seeded weights
is saved under Hugging Face names (not committed: it is made again here).

llama.cpp: quantscope writes a recipe for it (`--format llama`); the model is
written as an F32 GGUF with gguf-py (names from gguf-py's own
`get_tensor_name_map`; the Q/K row permutation of the converter is left out,
it moves values, not types); `llama-quantize --tensor-type-file` quantizes it
with Q4_1 as the default type (no candidate of the recipe, so a tensor the
file misses would show); gguf-py reads back the type of every tensor. The
same is done with probe.txt, a hand-written file that exercises llama.cpp's
rules (lowercased patterns, unanchored search, first match wins, type names
in any case), so the Swift mirror of the parser is checked against them.
Outputs: recipe/llama-types.txt, recipe/probe.txt, recipe/llama.json.

llm-compressor: quantscope writes a recipe (`--format compressed-tensors`),
llm-compressor's `Recipe.create_instance` loads it, its QuantizationModifier
attaches the schemes to a transformers LlamaForCausalLM of the same shapes
(random init, nothing downloaded), and each Linear module's weight
QuantizationArgs are recorded. Outputs: recipe/ct-recipe.yaml, recipe/ct.json.

Needs: a built quantscope, a llama-quantize built from llama.cpp's source
(cmake -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF, target llama-quantize), and a
Python with gguf, numpy, safetensors, torch, transformers, llmcompressor.

Usage:  python3 tools/make_recipe_fixtures.py QUANTSCOPE LLAMA_QUANTIZE [LLAMA_CPP_COMMIT]
"""
from __future__ import annotations

import importlib.metadata as md
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/recipe"
SEED = 20261205
HIDDEN, HEADS, KV_HEADS, FFN, VOCAB, LAYERS = 256, 2, 1, 512, 64, 2
LLAMA_BUDGET, CT_BUDGET = "4.9", "5.5"
PROBE = "BLK\\.0\\.ATTN_Q=Q8_0\nattn=q5_K\nblk\\.1\\.ffn_down\\.weight=Q6_k\nffn_down=q4_0\n\\.weight$=q5_0\n"


def model() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    head_dim = HIDDEN // HEADS

    def w(rows: int, cols: int, scale: float) -> np.ndarray:
        # Heavy-tailed rows of different scales, so tensors differ in how they take each type.
        x = rng.standard_t(4, (rows, cols)) * scale * np.exp(rng.normal(0, 0.5, (rows, 1)))
        return x.astype(np.float32)

    hf = {"model.embed_tokens.weight": w(VOCAB, HIDDEN, 0.02), "model.norm.weight": np.ones(HIDDEN, np.float32),
          "lm_head.weight": w(VOCAB, HIDDEN, 0.02)}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        hf[p + "self_attn.q_proj.weight"] = w(HEADS * head_dim, HIDDEN, 0.05 * (i + 1))
        hf[p + "self_attn.k_proj.weight"] = w(KV_HEADS * head_dim, HIDDEN, 0.05)
        hf[p + "self_attn.v_proj.weight"] = w(KV_HEADS * head_dim, HIDDEN, 0.03)
        hf[p + "self_attn.o_proj.weight"] = w(HIDDEN, HEADS * head_dim, 0.03)
        hf[p + "mlp.gate_proj.weight"] = w(FFN, HIDDEN, 0.04)
        hf[p + "mlp.up_proj.weight"] = w(FFN, HIDDEN, 0.04)
        hf[p + "mlp.down_proj.weight"] = w(HIDDEN, FFN, 0.02 * (i + 1))
        hf[p + "input_layernorm.weight"] = np.ones(HIDDEN, np.float32)
        hf[p + "post_attention_layernorm.weight"] = np.ones(HIDDEN, np.float32)
    return hf


def write_gguf(hf: dict[str, np.ndarray], path: Path) -> None:
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, LAYERS)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_context_length(128)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(HIDDEN // HEADS)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(VOCAB)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    for name, data in hf.items():
        base, suffix = name.rsplit(".", 1)
        w.add_tensor(names.get_name(base) + "." + suffix, data)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def quantize(llama_quantize: str, types: Path, src: Path, dst: Path) -> dict[str, str]:
    run = subprocess.run([llama_quantize, "--tensor-type-file", str(types), str(src), str(dst), "Q4_1"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"llama-quantize failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return {t.name: t.tensor_type.name for t in gguf.GGUFReader(str(dst)).tensors}


def quantscope(binary: str, args: list[str]) -> dict:
    run = subprocess.run([binary, *args, "--json"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"quantscope {' '.join(args)} failed: {run.stderr}")
    return json.loads(run.stdout)


def llm_compressor(recipe: Path) -> dict[str, dict]:
    from llmcompressor.recipe import Recipe
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(hidden_size=HIDDEN, intermediate_size=FFN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
                         num_key_value_heads=KV_HEADS, vocab_size=VOCAB, tie_word_embeddings=False)
    torch_model = LlamaForCausalLM(config)
    loaded = Recipe.create_instance(str(recipe))
    modifiers = [m for m in loaded.modifiers if type(m).__name__ == "QuantizationModifier"]
    assert len(modifiers) == 1, loaded.modifiers
    modifiers[0].initialize_quantization(torch_model)
    applied = {}
    for name, module in torch_model.named_modules():
        scheme = getattr(module, "quantization_scheme", None)
        if scheme is None or scheme.weights is None:
            continue
        a = scheme.weights
        applied[name] = {"num_bits": a.num_bits, "type": str(getattr(a.type, "value", a.type)), "symmetric": a.symmetric,
                         "strategy": str(getattr(a.strategy, "value", a.strategy)), "group_size": a.group_size}
    linear = [n for n, m in torch_model.named_modules() if type(m).__name__ == "Linear"]
    return {"modules": applied, "linear_modules": linear, "ignore": list(modifiers[0].ignore)}


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, llama_quantize = sys.argv[1], sys.argv[2]
    commit = sys.argv[3] if len(sys.argv) > 3 else "unknown"
    OUT.mkdir(parents=True, exist_ok=True)
    versions = {p: md.version(p) for p in ["gguf", "numpy", "torch", "transformers", "compressed-tensors", "llmcompressor"]}
    versions["llama.cpp"] = commit
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        hf = model()
        save_file(hf, str(t / "model.safetensors"), metadata={"format": "pt"})
        write_gguf(hf, t / "f32.gguf")

        plan = quantscope(binary, ["recipe", str(t / "model.safetensors"), "--budget", LLAMA_BUDGET, "--format", "llama"])
        (OUT / "llama-types.txt").write_text(plan["recipe"])
        (OUT / "probe.txt").write_text(PROBE)
        assigned = quantize(llama_quantize, OUT / "llama-types.txt", t / "f32.gguf", t / "out.gguf")
        probed = quantize(llama_quantize, OUT / "probe.txt", t / "f32.gguf", t / "probe.gguf")
        (OUT / "llama.json").write_text(json.dumps({
            "versions": versions, "budget": float(LLAMA_BUDGET), "default_type": "Q4_1",
            "quantscope": {r["target"]: r["written"] for r in plan["tensors"]},
            "bits_per_weight": plan["bits_per_weight"],
            "llama_quantize": assigned, "probe": probed,
        }, indent=1, sort_keys=True) + "\n")

        plan = quantscope(binary, ["recipe", str(t / "model.safetensors"), "--budget", CT_BUDGET, "--format", "compressed-tensors"])
        (OUT / "ct-recipe.yaml").write_text(plan["recipe"])
        ct = llm_compressor(OUT / "ct-recipe.yaml")
        (OUT / "ct.json").write_text(json.dumps({
            "versions": versions, "budget": float(CT_BUDGET),
            "quantscope": {r["target"]: r["written"] for r in plan["tensors"]},
            **ct,
        }, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
