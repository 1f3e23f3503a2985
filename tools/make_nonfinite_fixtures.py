#!/usr/bin/env python3
"""
make_nonfinite_fixtures.py — inputs whose quantization or decoding is not
finite, with the counts gguf-py and numpy give for them (docs/contract.md
§4, §6): every expected number comes from gguf-py / numpy, never from the
Swift code.

Output: Tests/QuantEngineTests/Fixtures/nonfinite/ (relative to the repository root)

    huge_weight.npy     float32 [8, 64], N(0, 1) rows scaled by row:
                        rows 0-1 x1, rows 2-3 x1e6, rows 4-7 x1e8.  A q4_0
                        block's d = max / -8 overflows float16 (65504) once
                        |max| > 524032, a q8_0 block's d = amax / 127 once
                        amax > 8,319,008: so q4_0 overflows on rows 2-7 and
                        q8_0 on rows 4-7 (llama.cpp keeps the infinite d).
    f64_overflow.npy    float64 [2, 32]: N(0, 1) with 1e300, -1e300, 1e39,
                        -3.5e38 and NaN planted, and 3.4028235e38 (rounds to
                        float32's largest finite, not to inf) and 1e-60
                        (underflows to 0) as near misses.
    f64_exact.npy       float64 [1, 32]: 1e300, -1e300, then thirty 1.0 (int8 per
                        tensor is exact on the finite values).
    nothing_finite.npy         float32 [4, 32], every value NaN.
    cases.json          huge_weight: for q4_0 and q8_0 the number of dequantized
                        values gguf.quants.dequantize(gguf.quants.quantize(w))
                        gives that are +-inf or NaN, and the number of blocks
                        whose stored d is infinite;
                        f64_overflow: the number of elements that are not
                        finite after numpy's astype(float32) (round to nearest,
                        overflow to +-inf), the finite min and max after it,
                        and for int8 per tensor (docs/contract.md §1, float32:
                        S = amax / 127, q = clip(rint(x / S), -127, 127),
                        x_hat = S * q) the number of finite inputs whose x_hat
                        is not finite: 127 * S rounds above float32's largest
                        finite value when amax is that value;
                        f64_exact: the same non-finite count.
    README.md           this summary

Deterministic (numpy Generator seeded with [20240917, case index]).

Usage:  python3 tools/make_nonfinite_fixtures.py
"""

from __future__ import annotations

import json
import warnings
from importlib.metadata import version
from pathlib import Path

import gguf.quants as gq
import numpy as np
from gguf import GGMLQuantizationType as QT

SEED = 20240917
REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "nonfinite"


def huge_weight() -> np.ndarray:
    rng = np.random.default_rng([SEED, 1])
    w = rng.normal(0, 1, (8, 64))
    w[2:4] *= 1e6
    w[4:8] *= 1e8
    return w.astype(np.float32)


def f64_overflow() -> np.ndarray:
    rng = np.random.default_rng([SEED, 2])
    x = rng.normal(0, 1, (2, 32))
    x[0, 3] = 1e300
    x[0, 9] = -1e300
    x[1, 0] = 1e39
    x[1, 5] = -3.5e38
    x[1, 7] = np.nan
    x[0, 20] = 3.4028235e38
    x[1, 30] = 1e-60
    return x


def gguf_counts(w: np.ndarray, kind: QT) -> dict:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        packed = gq.quantize(w, kind)
        dequantized = gq.dequantize(packed, kind).reshape(w.shape)
    # Every block of these two types starts with its float16 d.
    block_bytes = packed.reshape(-1, packed.shape[-1]).view(np.uint8).reshape(-1, {QT.Q4_0: 18, QT.Q8_0: 34}[kind])
    d = block_bytes[:, 0:2].copy().view(np.float16).reshape(-1)
    return {"nonfinite_dequantized": int(np.count_nonzero(~np.isfinite(dequantized))),
            "infinite_d_blocks": int(np.count_nonzero(np.isinf(d))),
            "blocks": int(d.size)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    w = huge_weight()
    np.save(OUT / "huge_weight.npy", w)
    x = f64_overflow()
    np.save(OUT / "f64_overflow.npy", x)
    with np.errstate(over="ignore"):
        as32 = x.astype(np.float32)
    finite = as32[np.isfinite(as32)].astype(np.float64)
    with np.errstate(all="ignore"):
        kept = as32[np.isfinite(as32)]
        scale = np.max(np.abs(kept)) / np.float32(127)
        x_hat = scale * np.clip(np.rint(kept / scale), -127, 127).astype(np.float32)
    cases = {
        "gguf_version": version("gguf"),
        "numpy_version": np.__version__,
        "huge_weight": {"shape": list(w.shape), "q4_0": gguf_counts(w, QT.Q4_0), "q8_0": gguf_counts(w, QT.Q8_0)},
        "f64_overflow": {"shape": list(x.shape), "nonfinite": int(np.count_nonzero(~np.isfinite(as32))),
                         "min": float(finite.min()), "max": float(finite.max()),
                         "int8_tensor_nonfinite_output": int(np.count_nonzero(~np.isfinite(x_hat)))},
    }
    exact = np.array([[1e300, -1e300] + [1.0] * 30])
    np.save(OUT / "f64_exact.npy", exact)
    np.save(OUT / "nothing_finite.npy", np.full((4, 32), np.nan, dtype=np.float32))
    with np.errstate(over="ignore"):
        cases["f64_exact"] = {"nonfinite": int(np.count_nonzero(~np.isfinite(exact.astype(np.float32))))}
    (OUT / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    (OUT / "README.md").write_text(__doc__.strip() + "\n")


if __name__ == "__main__":
    main()
