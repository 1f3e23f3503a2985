#!/usr/bin/env python3
"""
make_diff_fixtures.py — an original checkpoint and the GGUF llama.cpp's
converter would make of it, for `quantscope diff` (docs/contract.md §7).

A tiny Llama (2 layers, hidden 64, 4 heads, 2 KV heads, FFN 128, vocab 96)
with seeded weights is saved with `safetensors.numpy.save_file` under
Hugging Face names. The GGUF is written with `gguf.GGUFWriter`:
  - names from gguf-py's own `get_tensor_name_map(MODEL_ARCH.LLAMA, 2)`
    (not from quantscope's table);
  - q_proj and k_proj rows permuted as convert_hf_to_gguf.py's
    `LlamaModel.permute` does (copied below: reshape(n_head, 2, rows/n_head/2,
    cols).swapaxes(1, 2)), with n_head_kv heads for k_proj;
  - attention weights Q8_0, FFN weights Q4_0 (`gguf.quants.quantize`), the
    embeddings F16, the norms F32; head counts in the metadata.
expected.json gives, per GGUF tensor, its Hugging Face counterpart and the
SQNR numpy computes between `gguf.quants.dequantize` of the stored data and
the permuted original (float64 sums, docs/contract.md §6).

Usage:  python3 tools/make_diff_fixtures.py
"""
from __future__ import annotations

import json
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/diff"
SEED = 20261205
HIDDEN, HEADS, KV_HEADS, FFN, VOCAB, LAYERS = 64, 4, 2, 128, 96, 2


def permute(weights: np.ndarray, n_head: int, n_head_kv: int | None) -> np.ndarray:
    """convert_hf_to_gguf.py LlamaModel.permute."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    head_dim = HIDDEN // HEADS
    hf: dict[str, np.ndarray] = {
        "model.embed_tokens.weight": rng.standard_normal((VOCAB, HIDDEN)).astype(np.float32) * 0.02,
        "model.norm.weight": (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32),
        "lm_head.weight": rng.standard_normal((VOCAB, HIDDEN)).astype(np.float32) * 0.02,
    }
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        hf[p + "self_attn.q_proj.weight"] = rng.standard_normal((HEADS * head_dim, HIDDEN)).astype(np.float32) * 0.05
        hf[p + "self_attn.k_proj.weight"] = rng.standard_normal((KV_HEADS * head_dim, HIDDEN)).astype(np.float32) * 0.05
        hf[p + "self_attn.v_proj.weight"] = rng.standard_normal((KV_HEADS * head_dim, HIDDEN)).astype(np.float32) * 0.05
        hf[p + "self_attn.o_proj.weight"] = rng.standard_normal((HIDDEN, HEADS * head_dim)).astype(np.float32) * 0.05
        hf[p + "mlp.gate_proj.weight"] = rng.standard_normal((FFN, HIDDEN)).astype(np.float32) * 0.05
        hf[p + "mlp.up_proj.weight"] = rng.standard_normal((FFN, HIDDEN)).astype(np.float32) * 0.05
        hf[p + "mlp.down_proj.weight"] = rng.standard_normal((HIDDEN, FFN)).astype(np.float32) * 0.05
        hf[p + "input_layernorm.weight"] = (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
        hf[p + "post_attention_layernorm.weight"] = (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
    save_file(hf, str(OUT / "llama.safetensors"), metadata={"format": "pt"})

    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, LAYERS)
    T = gguf.GGMLQuantizationType
    w = gguf.GGUFWriter(str(OUT / "llama.gguf"), "llama")
    w.add_block_count(LAYERS)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_embedding_length(HIDDEN)
    expected = {}
    for name, data in hf.items():
        base, suffix = name.rsplit(".", 1)
        target = names.get_name(base) + "." + suffix
        if name.endswith("q_proj.weight"):
            data = permute(data, HEADS, HEADS)
        elif name.endswith("k_proj.weight"):
            data = permute(data, HEADS, KV_HEADS)
        if data.ndim == 1:
            qtype = T.F32
        elif "embed_tokens" in name:
            qtype = T.F16
        elif "self_attn" in name or "lm_head" in name:
            qtype = T.Q8_0
        else:
            qtype = T.Q4_0
        if qtype == T.F16:
            stored = data.astype(np.float16)
            w.add_tensor(target, stored)
            decoded = stored.astype(np.float32)
        elif qtype == T.F32:
            w.add_tensor(target, data)
            decoded = data
        else:
            q = gguf.quants.quantize(data, qtype)
            w.add_tensor(target, q, raw_dtype=qtype)
            decoded = gguf.quants.dequantize(q, qtype).reshape(data.shape).astype(np.float32)
        x, y = data.astype(np.float64).ravel(), decoded.astype(np.float64).ravel()
        err = float(np.sum((x - y) ** 2))
        expected[target] = {"counterpart": name, "type": qtype.name,
                            "sqnr_db": "inf" if err == 0 else float(10 * np.log10(np.sum(x * x) / err)),
                            "permuted": bool(name.endswith(("q_proj.weight", "k_proj.weight")))}
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    (OUT / "expected.json").write_text(json.dumps({"gguf_version": "0.19.0", "numpy": np.__version__, "tensors": expected}, indent=1) + "\n")
    print(f"wrote {len(expected)} tensors to {OUT}")


if __name__ == "__main__":
    main()
