#!/usr/bin/env python3
"""Reference fixtures for the matmul kernels (Sources/QuantEngine/Kernels).

Writes Tests/QuantEngineTests/Fixtures/kernels/ (deleted and rewritten):

  manifest.json     shapes, file names, versions, and what each file holds
  w.f32  [N, K]     float32 weights, seeded normal, one outlier row
  x.f32  [M, K]     float32 activations, seeded normal, shifted, two outlier columns
  y.f32  [M, N]     x @ w.T computed in float64, rounded once to float32
  wq.i8  [N, K]     int8 weights, per-row symmetric:  s = max|w|/127, q = clip(rint(w/s), -127, 127)
  ws.f32 [N]        their scales
  xq_sym.i8  [M, K] int8 activations, per-token symmetric (same rule), xs_sym.f32 [M]
  xq_asym.i8 [M, K] per-token asymmetric: lo = min(x, 0), hi = max(x, 0),
                    s = (hi - lo)/255, z = clip(-128 - rint(lo/s), -128, 127),
                    q = clip(rint(x/s + z), -128, 127);  xs_asym.f32 [M], xz_asym.i32 [M]
  acc_sym.i32  [M, N]  xq_sym @ wq.T in int64, checked to fit int32
  acc_asym.i32 [M, N]  (xq_asym - z) @ wq.T

Every quantization step is float32 arithmetic (numpy float32 division and
addition, rint = round half to even), the same operations the Swift
quantizers perform, so codes and scales compare bit for bit and the
accumulators exactly. Odd sizes on purpose: K = 300 is not a multiple of 32
(the SIMD width) nor of a 128 group; N = 37; M = 5 (GEMM) and its first row
alone (GEMV). Deterministic: np.random.default_rng([2024, 7]).

Usage: python3 tools/make_kernel_fixtures.py [OUT_DIR]
"""
import json
import pathlib
import shutil
import sys

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "QuantEngineTests" / "Fixtures" / "kernels"

M, N, K = 5, 37, 300


def symmetric_rows(a):
    """Per-row symmetric int8 codes and scales, in float32."""
    lo = np.minimum(a.min(axis=1), np.float32(0))
    hi = np.maximum(a.max(axis=1), np.float32(0))
    s = (np.maximum(-lo, hi) / np.float32(127)).astype(np.float32)
    s = np.where((s > 0) & np.isfinite(s), s, np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(a / s[:, None]), -127, 127).astype(np.int8)
    return q, s


def asymmetric_rows(a):
    """Per-row asymmetric int8 codes, scales and zero-points, in float32."""
    lo = np.minimum(a.min(axis=1), np.float32(0)).astype(np.float32)
    hi = np.maximum(a.max(axis=1), np.float32(0)).astype(np.float32)
    s = ((hi - lo) / np.float32(255)).astype(np.float32)
    s = np.where((s > 0) & np.isfinite(s), s, np.float32(1)).astype(np.float32)
    z = np.clip(np.float32(-128) - np.rint(lo / s), -128, 127).astype(np.float32)
    q = np.clip(np.rint(a / s[:, None] + z[:, None]), -128, 127).astype(np.int8)
    return q, s, z.astype(np.int32)


def as_int32(a):
    assert np.all(np.abs(a) < 2**31), "accumulator does not fit int32"
    return a.astype(np.int32)


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = np.random.default_rng([2024, 7])

    w = rng.standard_normal((N, K)).astype(np.float32)
    w[3] *= np.float32(8)  # one loud output channel
    x = (rng.standard_normal((M, K)) + 0.75).astype(np.float32)  # shifted: asymmetric pays off
    x[:, 17] *= np.float32(30)  # outlier features, as LLM activations have
    x[:, 250] *= np.float32(-45)
    y = (x.astype(np.float64) @ w.astype(np.float64).T).astype(np.float32)

    wq, ws = symmetric_rows(w)
    xq_sym, xs_sym = symmetric_rows(x)
    xq_asym, xs_asym, xz_asym = asymmetric_rows(x)
    acc_sym = as_int32(xq_sym.astype(np.int64) @ wq.astype(np.int64).T)
    acc_asym = as_int32((xq_asym.astype(np.int64) - xz_asym[:, None]) @ wq.astype(np.int64).T)

    files = {
        "w.f32": w, "x.f32": x, "y.f32": y,
        "wq.i8": wq, "ws.f32": ws,
        "xq_sym.i8": xq_sym, "xs_sym.f32": xs_sym,
        "xq_asym.i8": xq_asym, "xs_asym.f32": xs_asym, "xz_asym.i32": xz_asym,
        "acc_sym.i32": acc_sym, "acc_asym.i32": acc_asym,
    }
    for name, array in files.items():
        dtype = {"f32": "<f4", "i8": "i1", "i32": "<i4"}[name.rsplit(".", 1)[1]]
        (out / name).write_bytes(np.ascontiguousarray(array).astype(dtype).tobytes())

    manifest = {
        "generator": "tools/make_kernel_fixtures.py",
        "numpy": np.__version__,
        "m": M, "n": N, "k": K,
        "files": {name: list(array.shape) for name, array in files.items()},
        "notes": "y = float64 x @ w.T rounded to float32; int8 rules in the script docstring",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(files)} arrays to {out}")


if __name__ == "__main__":
    main()
