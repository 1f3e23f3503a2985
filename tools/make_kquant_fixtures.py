#!/usr/bin/env python3
"""
make_kquant_fixtures.py — reference fixtures for quantscope's K-quant quantizers
(q2_k … q6_k, docs/contract.md §4), made by llama.cpp's own C code.

gguf-py (`gguf.quants`, 0.19) can dequantize K-quants but not write them:
`gguf.quants.quantize(x, Q4_K)` raises NotImplementedError (checked below).
So the block bytes come from ggml's reference quantizers
`quantize_row_q{2,3,4,5,6}_K_ref` (ggml/src/ggml-quants.c), called through
ctypes in the compiled `libggml-base.so` of the `libggml-python` wheel
(ggml 0.20.2; `pip install libggml-python`), and the dequantized values from
`gguf.quants.dequantize` of those bytes.  The codes and the per-sub-block
scales/mins are unpacked from the bytes by this script's own plain numpy
code, and checked against gguf-py's dequantized values before anything is
written.

Output: Tests/QuantEngineTests/Fixtures/kquant/

    input.f32            float32, shape [ROWS, COLS] (COLS = 4 super-blocks of 256)
    input_nonfinite.f32  the same with NaN/±Inf planted in one row; quantscope
                         quantizes those as 0, so the expected bytes are
                         libggml's for input.f32 (where they are 0)
    <T>.bytes.u8         quantize_row_<T>_ref over the whole of input.f32
    <T>.dequant.f32      gguf.quants.dequantize of those bytes
    <T>.codes.u8         the stored unsigned code of each element
    <T>.scales.f32       each sub-block's effective scale (d·sc, float32 product)
    <T>.mins.f32         each sub-block's offset −(dmin·m) (q2_k, q4_k, q5_k)
    manifest.json        shape, rows (what each row tests), file names
    README.md            this description

Usage:  python3 tools/make_kquant_fixtures.py [--libggml PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.metadata
import json
import shutil
from pathlib import Path

import numpy as np
import gguf.quants as gq
from gguf import GGMLQuantizationType as QT

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "kquant"
F32 = np.float32
QK_K = 256
COLS = 4 * QK_K

# name, ggml type, bytes per block, sub-block length, has mins, signed-code offset
TYPES = [
    ("q2_k", QT.Q2_K, 84, 16, True, 0),
    ("q3_k", QT.Q3_K, 110, 16, False, 4),
    ("q4_k", QT.Q4_K, 144, 32, True, 0),
    ("q5_k", QT.Q5_K, 176, 32, True, 0),
    ("q6_k", QT.Q6_K, 210, 16, False, 32),
]


def default_libggml() -> str:
    files = importlib.metadata.files("libggml-python") or []
    for f in files:
        if str(f).endswith("libggml-base.so"):
            return str(f.locate())
    raise SystemExit("make_kquant_fixtures: libggml-python not installed (pip install libggml-python)")


def make_rows(rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """Each row is COLS float32 values; the name says what it exercises."""
    rows = []

    def add(name, values):
        v = np.asarray(values, dtype=F32)
        assert v.shape == (COLS,), (name, v.shape)
        rows.append((name, v))

    add("gaussian", rng.standard_normal(COLS))
    x = (rng.standard_normal(COLS) * 1e-3).astype(F32)
    x[37] = 50.0
    x[256 + 200] = -80.0
    add("lone outliers (one positive, one negative, in different super-blocks)", x)
    x = np.zeros(COLS, F32)
    x[512:] = rng.standard_normal(512)
    add("all-zero super-blocks next to gaussian ones", x)
    x = -np.abs(rng.standard_normal(COLS)).astype(F32)
    x[::29] *= -0.3
    add("negative-heavy (a few small positives)", x)
    add("positive only, uniform [0, 1)", rng.random(COLS))
    x = (rng.standard_normal(COLS) * 1e-39).astype(F32)  # float32 subnormals
    x[::3] = 0
    add("float32 subnormals and zeros", x)
    add("tiny normals ~1e-30 (scales underflow in fp16)", rng.standard_normal(COLS) * 1e-30)
    add("large ~1e3", rng.standard_normal(COLS) * 1e3)
    x = rng.standard_normal(COLS).astype(F32)
    for j in range(COLS // 16):
        x[16 * j:16 * (j + 1)] *= F32(2.0) ** -(j % 16)
    add("sub-blocks spanning 2^0 … 2^-15 (sub-block scales round to 0)", x)
    x = np.full(COLS, 0.5, F32)
    x[256:512] = -0.25
    x[512:768] = np.where(np.arange(256) % 2 == 0, 1.0, -1.0)
    x[768:] = 3.0
    x[768 + 5] = -3.0
    add("constant and two-valued super-blocks", x)
    x = (np.round(rng.standard_normal(COLS) * 8) / 8 + 1 / 16).astype(F32)  # ties on a grid
    x[::7] = -0.0
    add("values on a 1/8 grid offset by 1/16 (ties), and −0", x)
    x = np.zeros(COLS, F32)
    idx = rng.choice(COLS, 40, replace=False)
    x[idx] = rng.standard_normal(40) * 2
    x[300:316] = 1e-6
    add("sparse: 40 non-zeros, one sub-block of 1e-6", x)
    return rows


def unpack(name: str, blocks: np.ndarray):
    """Codes (unsigned, as stored) and per-sub-block scale/min of K-quant blocks.

    A plain numpy reading of the block layouts in ggml-common.h, written
    independently of gguf-py's dequantizers (which are used to check it).
    """
    nb = blocks.shape[0]
    codes = np.zeros((nb, QK_K), np.uint8)
    mins = None
    h = lambda b, o: b[:, o:o + 2].copy().view(np.float16).astype(F32).reshape(nb)  # noqa: E731
    if name == "q2_k":
        sc, qs, d, dmin = blocks[:, 0:16], blocks[:, 16:80], h(blocks, 80), h(blocks, 82)
        for half in range(2):
            for t in range(4):
                for l in range(32):
                    codes[:, 128 * half + 32 * t + l] = (qs[:, 32 * half + l] >> (2 * t)) & 3
        scales = d[:, None] * (sc & 15).astype(F32)
        mins = -(dmin[:, None] * (sc >> 4).astype(F32))
    elif name == "q3_k":
        hmask, qs, sc, d = blocks[:, 0:32], blocks[:, 32:96], blocks[:, 96:108], h(blocks, 108)
        s6 = np.zeros((nb, 16), np.int32)
        for k in range(16):
            low = (sc[:, k % 8] >> (4 * (k // 8))) & 15
            high = (sc[:, 8 + k % 4] >> (2 * (k // 4))) & 3
            s6[:, k] = (low | (high << 4)).astype(np.int32) - 32
        for j in range(QK_K):
            low = (qs[:, 32 * (j // 128) + j % 32] >> (2 * ((j % 128) // 32))) & 3
            high = (hmask[:, j % 32] >> (j // 32)) & 1
            codes[:, j] = low | (high << 2)
        scales = d[:, None] * s6.astype(F32)
    elif name in ("q4_k", "q5_k"):
        d, dmin, sc = h(blocks, 0), h(blocks, 2), blocks[:, 4:16].astype(np.int32)
        s6 = np.zeros((nb, 8), np.int32)
        m6 = np.zeros((nb, 8), np.int32)
        for j in range(8):
            if j < 4:
                s6[:, j], m6[:, j] = sc[:, j] & 63, sc[:, j + 4] & 63
            else:
                s6[:, j] = (sc[:, j + 4] & 15) | ((sc[:, j - 4] >> 6) << 4)
                m6[:, j] = (sc[:, j + 4] >> 4) | ((sc[:, j] >> 6) << 4)
        qs = blocks[:, 16:144] if name == "q4_k" else blocks[:, 48:176]
        for j in range(QK_K):
            c = qs[:, 32 * (j // 64) + j % 32]
            codes[:, j] = (c >> (4 * ((j % 64) // 32))) & 15
            if name == "q5_k":
                codes[:, j] |= ((blocks[:, 16 + j % 32] >> (j // 32)) & 1) << 4
        scales = d[:, None] * s6.astype(F32)
        mins = -(dmin[:, None] * m6.astype(F32))
    else:  # q6_k
        ql, qh, sc, d = blocks[:, 0:128], blocks[:, 128:192], blocks[:, 192:208].view(np.int8), h(blocks, 208)
        for j in range(QK_K):
            half, g, l = j // 128, (j % 128) // 32, j % 32
            low = (ql[:, 64 * half + 32 * (g % 2) + l] >> (4 * (g // 2))) & 15
            high = (qh[:, 32 * half + l] >> (2 * g)) & 3
            codes[:, j] = low | (high << 4)
        scales = d[:, None] * sc.astype(F32)
    return codes.reshape(-1), scales.astype(F32).reshape(-1), None if mins is None else mins.astype(F32).reshape(-1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--libggml", help="path of libggml-base.so (default: the libggml-python wheel's)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    for _, qt, *_ in TYPES:
        try:
            gq.quantize(np.zeros((1, QK_K), F32), qt)
            raise SystemExit(f"gguf.quants now quantizes {qt.name}: compare with it too")
        except NotImplementedError:
            pass

    lib = ctypes.CDLL(args.libggml or default_libggml())
    lib.ggml_version.restype = ctypes.c_char_p
    lib.ggml_commit.restype = ctypes.c_char_p
    version = f"{lib.ggml_version().decode()} (commit {lib.ggml_commit().decode()})"

    rows = make_rows(np.random.default_rng([1234, 91]))
    x = np.stack([r for _, r in rows]).astype(F32)
    nonfinite = x.copy()
    planted = [(2, 3, np.nan), (2, 100, np.inf), (2, 300, -np.inf), (2, 511, np.nan)]
    for r, c, v in planted:
        assert x[r, c] == 0, "non-finite values are planted where the input is 0"
        nonfinite[r, c] = v

    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    x.tofile(out / "input.f32")
    nonfinite.tofile(out / "input_nonfinite.f32")
    manifest = {
        "shape": list(x.shape),
        "rows": [name for name, _ in rows],
        "input": "input.f32",
        "input_nonfinite": "input_nonfinite.f32",
        "nonfinite_at": [[r, c] for r, c, _ in planted],
        "libggml": version,
        "gguf": importlib.metadata.version("gguf"),
        "numpy": np.__version__,
        "types": {},
    }
    flat = np.ascontiguousarray(x.reshape(-1))
    for name, qt, type_size, sub, has_min, offset in TYPES:
        nblocks = flat.size // QK_K
        buf = np.zeros(nblocks * type_size, np.uint8)
        getattr(lib, f"quantize_row_{name[:2]}_K_ref")(
            flat.ctypes.data_as(ctypes.c_void_p), buf.ctypes.data_as(ctypes.c_void_p), ctypes.c_int64(flat.size))
        blocks = buf.reshape(nblocks, type_size)
        deq = gq.dequantize(blocks, qt).reshape(-1).astype(F32)
        codes, scales, mins = unpack(name, blocks)
        # x̂ = scale·(q − offset) + min must equal gguf-py's values bit for bit
        q = codes.astype(np.int32) - offset
        ours = np.repeat(scales, sub) * q.astype(F32)
        if mins is not None:
            ours = ours + np.repeat(mins, sub)
        same = (ours.view(np.uint32) == deq.view(np.uint32)) | (np.isnan(ours) & np.isnan(deq)) | ((ours == 0) & (deq == 0))
        assert same.all(), f"{name}: unpacked fields disagree with gguf.quants.dequantize"
        buf.tofile(out / f"{name}.bytes.u8")
        deq.tofile(out / f"{name}.dequant.f32")
        codes.tofile(out / f"{name}.codes.u8")
        scales.tofile(out / f"{name}.scales.f32")
        entry = {"bytes": f"{name}.bytes.u8", "dequant": f"{name}.dequant.f32", "codes": f"{name}.codes.u8",
                 "scales": f"{name}.scales.f32", "type_size": type_size, "sub_block": sub, "code_offset": offset,
                 "blocks": nblocks}
        if mins is not None:
            mins.tofile(out / f"{name}.mins.f32")
            entry["mins"] = f"{name}.mins.f32"
        manifest["types"][name] = entry
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    doc = __doc__.split("Usage:")[0].strip()
    lines = ["# kquant/ — K-quant fixtures from libggml", "", "Written by `tools/make_kquant_fixtures.py`:", "", "```", doc, "```", "",
             f"libggml {version}, gguf {manifest['gguf']}, numpy {manifest['numpy']}.", "", "Rows of input.f32:", ""]
    lines += [f"{i}. {name}" for i, (name, _) in enumerate(rows)]
    (out / "README.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out} ({sum(p.stat().st_size for p in out.iterdir())} bytes), libggml {version}")


if __name__ == "__main__":
    main()
