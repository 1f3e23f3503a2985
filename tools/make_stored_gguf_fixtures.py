#!/usr/bin/env python3
"""
make_stored_gguf_fixtures.py — a GGUF file of every block type quantscope
takes apart as stored (`quantscope blocks`, the explorer's `stored:` scheme;
docs/contract.md §8), and what gguf-py says about each block.

The block bytes are not made here: the K-quants (Q2_K…Q6_K) are libggml's
own `quantize_row_*_K_ref` output committed by make_kquant_fixtures.py, the
legacy types gguf.quants.quantize output and the IQ4/MXFP4 blocks committed by make_fixtures.py. This script only
puts them in one file with `gguf.GGUFWriter` and reads back, with
`gguf.GGUFReader` and plain numpy, what a test compares:

    stored/blocks.gguf        one 2-D tensor per type (name = the type, lowercase)
    stored/blocks.json        per tensor: type, shape, absolute data offset
                              (GGUFReader's data_offset), type size, and for the
                              every block the raw little-endian float16
                              fields read by numpy: d, and dmin where the type
                              has one (Q4_1/Q5_1's m under "m"), MXFP4's e8m0 byte
    stored/<type>.dequant.f32 gguf.quants.dequantize of the whole tensor

Usage:  python3 tools/make_stored_gguf_fixtures.py
"""
from __future__ import annotations

import json
from pathlib import Path

import gguf
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "Tests/QuantEngineTests/Fixtures"
OUT = FIX / "stored"

T = gguf.GGMLQuantizationType
# type, source of the block bytes, row length in elements
SOURCES = [
    (T.Q2_K, FIX / "kquant/q2_k.bytes.u8", 1024),
    (T.Q3_K, FIX / "kquant/q3_k.bytes.u8", 1024),
    (T.Q4_K, FIX / "kquant/q4_k.bytes.u8", 1024),
    (T.Q5_K, FIX / "kquant/q5_k.bytes.u8", 1024),
    (T.Q6_K, FIX / "kquant/q6_k.bytes.u8", 1024),
    (T.Q4_0, FIX / "gguf/Q4_0.bytes.u8", 64),
    (T.Q4_1, FIX / "gguf/Q4_1.bytes.u8", 64),
    (T.Q5_0, FIX / "gguf/Q5_0.bytes.u8", 64),
    (T.Q5_1, FIX / "gguf/Q5_1.bytes.u8", 64),
    (T.Q8_0, FIX / "gguf/Q8_0.bytes.u8", 64),
    (T.IQ4_NL, FIX / "gguf/IQ4_NL.blocks.u8", 64),
    (T.IQ4_XS, FIX / "gguf/IQ4_XS.blocks.u8", 256),
    (T.MXFP4, FIX / "gguf/MXFP4.blocks.u8", 64),
]

# Where d (and dmin / m) sit in each block: ggml-common.h.
HALF_FIELDS = {
    T.Q2_K: {"d": 80, "dmin": 82}, T.Q3_K: {"d": 108}, T.Q4_K: {"d": 0, "dmin": 2}, T.Q5_K: {"d": 0, "dmin": 2},
    T.Q6_K: {"d": 208}, T.Q4_0: {"d": 0}, T.Q4_1: {"d": 0, "m": 2}, T.Q5_0: {"d": 0}, T.Q5_1: {"d": 0, "m": 2},
    T.Q8_0: {"d": 0}, T.IQ4_NL: {"d": 0}, T.IQ4_XS: {"d": 0}, T.MXFP4: {},
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "blocks.gguf"
    w = gguf.GGUFWriter(str(path), "quantscope-stored")
    for qtype, src, row in SOURCES:
        raw = np.fromfile(src, np.uint8)
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        n = raw.size // type_size * block_size
        assert raw.size % type_size == 0 and n % row == 0, (qtype, raw.size)
        w.add_tensor(qtype.name.lower(), raw.reshape(n // row, row // block_size * type_size), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    r = gguf.GGUFReader(str(path))
    tensors = {}
    for t in r.tensors:
        qtype = T(t.tensor_type)
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        blocks = np.asarray(t.data).reshape(-1, type_size)
        values = gguf.quants.dequantize(np.asarray(t.data), qtype).astype(np.float32)
        values.tofile(OUT / f"{t.name}.dequant.f32")
        first = []
        for b in range(blocks.shape[0]):
            fields = {k: float(blocks[b, o:o + 2].copy().view(np.float16)[0]) for k, o in HALF_FIELDS[qtype].items()}
            if qtype == T.MXFP4:
                fields["e"] = int(blocks[b, 0])
            first.append(fields)
        tensors[t.name] = {
            "type": qtype.name, "shape": [int(x) for x in reversed(t.shape.tolist())],
            "data_offset": int(t.data_offset), "type_size": type_size, "block_size": block_size,
            "blocks": int(blocks.shape[0]), "block_fields": first, "dequant": f"{t.name}.dequant.f32",
        }
    manifest = {"file": "blocks.gguf", "gguf_version": gguf.__version__ if hasattr(gguf, "__version__") else "",
                "numpy": np.__version__, "tensors": tensors}
    (OUT / "blocks.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {path} and {len(tensors)} references")


if __name__ == "__main__":
    main()
