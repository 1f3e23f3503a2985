#!/usr/bin/env python3
"""
make_methods_fixtures.py — reference GPTQ results from numpy (tools/gptq_numpy.py,
float64 linear algebra, the float32 quantizer of docs/contract.md §1), never
from the Swift code; docs/contract.md §16.3.

Output: Tests/QuantEngineTests/Fixtures/methods/gptq_cases.json, a list of cases:
    name, bits, mode (sym|asym), granularity (channel|tensor|group:G), damp,
    block, actorder, W [rows][in] and X [tokens][in] (float32 values),
    codes [rows][in] (ints), x_hat [rows][in], scales / zeros [rows][groups],
    g_idx [in]; the hand case also U (upper, UᵀU = H⁻¹), the steps
    (per column: w as updated, q, x̂, e = (w − x̂)/U_jj, the later columns
    after the update) and the output error Σ(X·(W − Ŵ)ᵀ)² for RTN and GPTQ.

Deterministic (numpy Generator seeded with [20261206, case index]).

Usage:  /work/venv/bin/python tools/make_methods_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gptq_numpy import gptq, params, quantize

SEED = 20261206
OUT = Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/methods"


def f32list(a: np.ndarray) -> list:
    return np.asarray(a, dtype=np.float32).astype(np.float64).tolist()


def rtn(w: np.ndarray, bits: int, mode: str) -> np.ndarray:
    s, z = params(w, bits, mode)
    return quantize(w, s[:, None], z[:, None], bits, mode)[1]


def case(name, w, x, bits, mode, granularity, damp=0.01, block=128, actorder=False, hand=False):
    w = np.asarray(w, dtype=np.float32)
    x = np.asarray(x, dtype=np.float32)
    trace = {} if hand else None
    codes, what, scales, zeros, gidx = gptq(w, x, bits, mode, granularity, damp=damp, block=block, actorder=actorder,
                                            dtype=np.float64, trace=trace)
    out = {"name": name, "bits": bits, "mode": mode, "granularity": granularity, "damp": damp, "block": block,
           "actorder": actorder, "W": f32list(w), "X": f32list(x), "codes": codes.astype(int).tolist(),
           "x_hat": f32list(what), "scales": f32list(scales), "zeros": zeros.astype(int).tolist(),
           "g_idx": gidx.astype(int).tolist()}
    if hand:
        out["U"] = trace["U"].tolist()
        out["steps"] = trace["steps"]
        xd = x.astype(np.float64)
        for label, approx in (("rtn", rtn(w, bits, mode)), ("gptq", what)):
            out[f"output_error_{label}"] = float(np.sum((xd @ (w.astype(np.float64) - approx.astype(np.float64)).T) ** 2))
            out[f"x_hat_{label}"] = f32list(approx)
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    # The hand case (worked out in Tests/QuantEngineTests/GPTQTests.swift): 2×3, 4 tokens, no damping.
    w = [[0.5, 0.9, -0.4], [-0.3, 0.35, 0.8]]
    x = [[1, 0, 1], [0, 1, 1], [1, 1, 0], [1, -1, 1]]
    cases.append(case("hand int3", w, x, 3, "sym", "channel", damp=0.0, hand=True))
    cases.append(case("hand int2", w, x, 2, "sym", "channel", damp=0.0, hand=True))
    configs = [
        ("int4 sym channel", 4, "sym", "channel", False, 16),
        ("int4 asym group:8", 4, "asym", "group:8", False, 16),
        ("int3 sym group:16 actorder", 3, "sym", "group:16", True, 16),
        ("int3 asym channel actorder", 3, "asym", "channel", True, 8),
        ("int8 sym group:12", 8, "sym", "group:12", False, 16),
        ("int4 sym tensor", 4, "sym", "tensor", False, 16),
        ("int2 asym group:10 actorder", 2, "asym", "group:10", True, 16),
    ]
    for index, (name, bits, mode, gran, actorder, block) in enumerate(configs):
        rng = np.random.default_rng([SEED, index])
        rows, n, tokens = 12, 40, 64
        w = rng.standard_normal((rows, n)).astype(np.float32) * np.float32(0.1)
        x = rng.standard_normal((tokens, n)).astype(np.float32)
        x[:, 3] *= 25  # an outlier feature
        x[:, 17] = 0  # a dead column
        x[:, 5] = x[:, 6] * 0.9 + x[:, 5] * 0.1  # correlated features
        cases.append(case(name, w, x, bits, mode, gran, block=block, actorder=actorder))
    (OUT / "gptq_cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    hand = cases[0]
    print("hand int3 U:", np.round(np.array(hand["U"]), 6).tolist())
    for s in hand["steps"]:
        print(s)
    print("codes", hand["codes"], "x_hat", hand["x_hat"], "rtn", hand["x_hat_rtn"])
    print("output error rtn", hand["output_error_rtn"], "gptq", hand["output_error_gptq"])
    print("hand int2 codes", cases[1]["codes"], "errors", cases[1]["output_error_rtn"], cases[1]["output_error_gptq"])


if __name__ == "__main__":
    main()
