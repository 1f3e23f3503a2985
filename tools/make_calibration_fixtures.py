#!/usr/bin/env python3
"""
make_calibration_fixtures.py — reference figures for calibration (docs/contract.md §12):
percentiles of |x| and the quantization MSE at a set of clip fractions, all
from numpy, never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/calibration/ (relative to the repository root)

    heavy.npy       a heavy-tailed tensor: Student-t with df = 2, shape [256, 512], float32
    nan.npy         a small tensor with NaN and ±Inf among Gaussian values, shape [64]
    cases.json      per tensor: max_abs (over finite values), and
                    percentiles: {P: np.percentile(|x| finite as float64, P)} (numpy's
                    default method="linear") for P in 50, 99, 99.9, 99.99, 100;
                    for heavy.npy also, per scheme (int8, int4 symmetric, per tensor),
                    clips: float32(2^(-k/2)) for k = 0..28 (the Calibrator's coarse grid)
                    and mse: the MSE at each clip, quantizing as docs/contract.md §1 says.

The quantizer, in float32 as the contract says: a = float32(max|x|) * float32(clip),
S = a / qmax, q = clip(rint(x / S), -qmax, qmax) (round half to even), x̂ = S * q;
mse = mean((x - x̂)^2) in float64 (numpy's pairwise sum). Compare MSEs with a relative
tolerance of ~1e-6 (the Swift sums run in float32 lanes of 256, then float64) and
percentiles with ~1e-12.

Deterministic (numpy Generator seeded with [20261206, case index]).

Usage:  /work/venv/bin/python tools/make_calibration_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 20261206
OUT = Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/calibration"
PERCENTILES = [50.0, 99.0, 99.9, 99.99, 100.0]
CLIPS = [np.float32(2.0 ** (-k / 2)) for k in range(29)]


def symmetric_mse(x: np.ndarray, bits: int, clip: np.float32) -> float:
    qmax = np.float32(2 ** (bits - 1) - 1)
    finite = x[np.isfinite(x)]
    a = np.float32(np.max(np.abs(finite))) * np.float32(clip)
    s = np.float32(a / qmax)
    if not (s > 0 and np.isfinite(s)):
        s = np.float32(1)
    q = np.clip(np.rint(finite / s), -qmax, qmax).astype(np.float32)
    xhat = (s * q).astype(np.float32)
    d = finite.astype(np.float64) - xhat.astype(np.float64)
    return float(np.mean(d * d))


def percentiles(x: np.ndarray) -> dict[str, float]:
    a = np.abs(x[np.isfinite(x)]).astype(np.float64)
    return {repr(p): float(np.percentile(a, p)) for p in PERCENTILES}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []

    rng = np.random.default_rng([SEED, 0])
    heavy = rng.standard_t(2.0, size=(256, 512)).astype(np.float32)
    np.save(OUT / "heavy.npy", heavy)
    case = {"file": "heavy.npy", "max_abs": float(np.max(np.abs(heavy))), "percentiles": percentiles(heavy),
            "clips": [float(c) for c in CLIPS], "schemes": {}}
    for bits in (8, 4):
        case["schemes"][f"int{bits}"] = [symmetric_mse(heavy, bits, c) for c in CLIPS]
    cases.append(case)

    rng = np.random.default_rng([SEED, 1])
    mixed = rng.standard_normal(64).astype(np.float32)
    mixed[[3, 17, 40]] = [np.nan, np.inf, -np.inf]
    np.save(OUT / "nan.npy", mixed)
    finite = mixed[np.isfinite(mixed)]
    cases.append({"file": "nan.npy", "max_abs": float(np.max(np.abs(finite))), "percentiles": percentiles(mixed)})

    (OUT / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    (OUT / "README.md").write_text(
        "# calibration/ — made by tools/make_calibration_fixtures.py\n\n"
        f"numpy {np.__version__}. See the script's docstring for every field.\n"
    )


if __name__ == "__main__":
    main()
