#!/usr/bin/env python3
"""
make_summary_fixtures.py — reference figures for `TensorSummary` (the
min / max / mean / std line): every expected number comes from numpy in
float64, never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/summary/ (relative to the repository root)

    <case>.f32      the input: little-endian float32
    cases.json      per case: name, file, count, nonfinite, and over the finite
                    values min, max (float32 values as float64), mean and std
                    (np.mean / np.std, ddof 0, of the values as float64,
                    numpy's pairwise sums), argmax_abs (first index of the
                    largest |x| among finite values); null figures when no
                    value is finite
    README.md       this summary

Cases are chosen where a naive float32 E[x^2] - mean^2 fails: a large offset
with a small spread (mean 100, std 0.01), values near 1e20 (x^2 overflows
float32) and near 3e38, subnormals only, NaN/Inf mixed in, nothing finite,
empty, one value, a constant.

Tolerance to use: relative 1e-10 on mean and std (float64 summation in a
different order), plus 1e-12 * |mean| absolute on std for the constant case;
min, max, counts and argmax_abs exactly.

Deterministic (numpy Generator seeded with [20240611, case index]).

Usage:  python3 tools/make_summary_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 20240611
REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "summary"
F32 = np.float32


def cases() -> list[tuple[str, np.ndarray]]:
    def rng(k: int) -> np.random.Generator:
        return np.random.default_rng([SEED, k])

    mixed = rng(5).normal(0, 1, 70_001).astype(F32)
    where = rng(6).choice(mixed.size, 900, replace=False)
    mixed[where[:300]] = np.nan
    mixed[where[300:600]] = np.inf
    mixed[where[600:]] = -np.inf
    subnormal_codes = rng(4).integers(-(1 << 23) + 1, 1 << 23, 9_999)
    subnormals = (subnormal_codes.astype(np.float64) * 2.0 ** -149).astype(F32)
    return [
        # 200,003 values: more than one 65,536-value chunk, so the per-core merge runs.
        ("mean100_std001", rng(1).normal(100, 0.01, 200_003).astype(F32)),
        ("near_1e20", (1e20 * (1 + 0.01 * rng(2).normal(0, 1, 50_001))).astype(F32)),
        ("near_3e38", rng(3).uniform(-3.4e38, 3.4e38, 10_007).astype(F32)),
        ("subnormals", subnormals),
        ("nonfinite_mixed", mixed),
        ("all_nonfinite", np.array([np.nan, np.inf, -np.inf, np.nan], dtype=F32)),
        ("empty", np.zeros(0, dtype=F32)),
        ("single", np.array([3.5], dtype=F32)),
        ("constant", np.full(10_001, 0.1, dtype=F32)),
    ]


def figures(name: str, values: np.ndarray) -> dict:
    finite = values[np.isfinite(values)].astype(np.float64)
    row: dict = {"name": name, "file": f"{name}.f32", "count": int(values.size),
                 "nonfinite": int(values.size - finite.size)}
    if finite.size == 0:
        row.update(min=None, max=None, mean=None, std=None, argmax_abs=None)
        return row
    magnitude = np.where(np.isfinite(values), np.abs(values.astype(np.float64)), -1.0)
    row.update(min=float(finite.min()), max=float(finite.max()), mean=float(np.mean(finite)),
               std=float(np.std(finite)), argmax_abs=int(np.argmax(magnitude)))
    return row


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, values in cases():
        values.astype("<f4").tofile(OUT / f"{name}.f32")
        rows.append(figures(name, values))
    (OUT / "cases.json").write_text(json.dumps({"numpy_version": np.__version__, "cases": rows}, indent=1) + "\n")
    (OUT / "README.md").write_text(__doc__.strip() + "\n")


if __name__ == "__main__":
    main()
