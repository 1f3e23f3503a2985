#!/usr/bin/env python3
"""
gptq_numpy.py — GPTQ (Frantar et al. 2022) in numpy, the same algorithm as
quantscope's Sources/QuantEngine/Methods/GPTQ.swift (docs/contract.md §16.3):

    H = 2·XᵀX/tokens; dead columns (diag 0): H_jj = 1, W[:, j] = 0;
    tensor/channel scales from W before any update; act-order: stable sort by
    decreasing diag H; λ = damp·mean(diag H) on the diagonal;
    U = upper Cholesky of H⁻¹ (cholesky, triangular inverse, cholesky again,
    as the reference code's cholesky / cholesky_inverse / cholesky(upper));
    lazy batches of `block` columns, cut short so a group that starts inside
    a batch ends in it; a group's scale from its columns as updated when its
    first column's turn comes (static_groups=False); e = (w − q)/U_jj.

The quantizer is docs/contract.md §1 in float32 (numpy float32 arithmetic):
sym  S = max|x|/qmax, Z = 0; asym S = (hi − lo)/(qmax − qmin) over the range
stretched to hold 0, Z = clip(qmin − rint(lo/S)); q = rint(clip(x/S + Z)), x̂ = S·(q − Z).

Used two ways:
  * imported by make_methods_fixtures.py (float64 linear algebra) for the test fixtures;
  * run as a script: the side-by-side benchmark (float32, the same random
    4096×4096 weight and 2048 tokens as `quantscope bench --only gptq`):
        /work/venv/bin/python tools/gptq_numpy.py [--n 4096] [--tokens 2048]
            [--quantscope .build/release/quantscope]
    With --quantscope it also runs `quantscope bench --gptq --json` and prints
    the two side by side.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time

import numpy as np
import scipy.linalg


def qrange(bits: int, mode: str) -> tuple[int, int]:
    if mode == "sym":
        return -((1 << (bits - 1)) - 1), (1 << (bits - 1)) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def params(x: np.ndarray, bits: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """S, Z per row of x (float32), as docs/contract.md §1."""
    x = x.astype(np.float32)
    qmin, qmax = qrange(bits, mode)
    lo = np.minimum(x.min(axis=1), np.float32(0))
    hi = np.maximum(x.max(axis=1), np.float32(0))
    if mode == "sym":
        s = np.maximum(-lo, hi) / np.float32(qmax)
        s = np.where((s > 0) & np.isfinite(s), s, np.float32(1)).astype(np.float32)
        return s, np.zeros_like(s)
    s = (hi - lo) / np.float32(qmax - qmin)
    s = np.where((s > 0) & np.isfinite(s), s, np.float32(1)).astype(np.float32)
    z = np.clip(np.float32(qmin) - np.rint(lo / s), qmin, qmax).astype(np.float32)
    return s, z


def quantize(x: np.ndarray, s: np.ndarray, z: np.ndarray, bits: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    qmin, qmax = qrange(bits, mode)
    q = np.rint(np.clip(x.astype(np.float32) / s + z, np.float32(qmin), np.float32(qmax))).astype(np.float32)
    return q, (s * (q - z)).astype(np.float32)


def upper_cholesky_of_inverse(h: np.ndarray) -> np.ndarray:
    l = np.linalg.cholesky(h)
    linv = scipy.linalg.solve_triangular(l, np.eye(h.shape[0], dtype=h.dtype), lower=True)
    hinv = linv.T @ linv
    return np.linalg.cholesky(hinv).T


def batch_end(i1: int, n: int, block: int, group: int | None) -> int:
    i2 = min(i1 + block, n)
    if group is None:
        return i2
    c = (i1 // group + 1) * group
    while c < i2:
        if min(c + group, n) > i2:
            return c
        c += group
    return i2


def gptq(w: np.ndarray, x: np.ndarray, bits: int, mode: str, granularity: str, damp: float = 0.01,
         block: int = 128, actorder: bool = False, dtype=np.float64, trace: dict | None = None):
    """Returns (codes, x̂) in the original column order, and group scales/zeros [rows, groups]."""
    w = w.astype(dtype).copy()
    x = x.astype(dtype)
    rows, n = w.shape
    h = (2.0 / x.shape[0]) * (x.T @ x)
    h = h.astype(dtype)
    dead = np.diag(h) == 0
    h[dead, dead] = 1
    w[:, dead] = 0
    group = int(granularity.split(":")[1]) if granularity.startswith("group:") else None
    if group is not None:
        group = min(group, n)
    if granularity == "tensor":
        s, z = params(w.reshape(1, -1), bits, mode)
        s, z = np.repeat(s, rows), np.repeat(z, rows)
    elif granularity == "channel":
        s, z = params(w, bits, mode)
    else:
        s = z = None
    order = np.argsort(-np.diag(h), kind="stable") if actorder else np.arange(n)
    w = w[:, order]
    h = h[order][:, order]
    h[np.arange(n), np.arange(n)] += damp * np.mean(np.diag(h))
    u = upper_cholesky_of_inverse(h)
    if trace is not None:
        trace["U"] = u.copy()
        trace["steps"] = []
    codes = np.zeros((rows, n), dtype=np.float32)
    what = np.zeros((rows, n), dtype=np.float32)
    per_row = 1 if group is None else (n + group - 1) // group
    scales = np.zeros((rows, per_row), dtype=np.float32)
    zeros = np.zeros((rows, per_row), dtype=np.float32)
    if group is None:
        scales[:, 0], zeros[:, 0] = s, z
    i1 = 0
    while i1 < n:
        i2 = batch_end(i1, n, block, group)
        w1 = w[:, i1:i2].copy()
        err = np.zeros_like(w1)
        for k in range(i2 - i1):
            j = i1 + k
            if group is not None and j % group == 0:
                cols = np.concatenate([w1[:, k:], w[:, i2:]], axis=1)[:, :group]
                s, z = params(cols, bits, mode)
                scales[:, j // group], zeros[:, j // group] = s, z
            col = w1[:, k].copy()
            q, v = quantize(col, s, z, bits, mode)
            codes[:, j], what[:, j] = q, v
            e = (col - v.astype(dtype)) / u[j, j]
            w1[:, k:] -= np.outer(e, u[j, j:i2])
            err[:, k] = e
            if trace is not None:
                trace["steps"].append({"column": int(order[j]), "w": col.tolist(), "q": q.tolist(), "x_hat": v.tolist(),
                                       "e": e.tolist(), "after": w1[:, k + 1:].tolist()})
        w[:, i2:] -= err @ u[i1:i2, i2:]
        i1 = i2
    inverse = np.argsort(order)
    gidx = (np.arange(n) // (group or n))[inverse]
    return codes[:, inverse], what[:, inverse], scales, zeros, gidx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--tokens", type=int, default=2048)
    ap.add_argument("--bits", type=int, default=4)
    ap.add_argument("--quantscope", help="a release quantscope binary to time alongside (4096x4096, 2048 tokens only)")
    args = ap.parse_args()
    rng = np.random.default_rng(20261206)
    w = rng.standard_normal((args.n, args.n), dtype=np.float32)
    x = rng.standard_normal((args.tokens, args.n), dtype=np.float32)
    t0 = time.perf_counter()
    y = x @ w.T
    t_mm = time.perf_counter() - t0
    t0 = time.perf_counter()
    gptq(w, x, args.bits, "sym", "group:128", dtype=np.float32)
    t_gptq = time.perf_counter() - t0
    print(f"numpy {np.__version__}: float32 matmul {args.tokens}x{args.n}x{args.n}: {t_mm * 1000:.0f} ms; "
          f"gptq int{args.bits} group:128 on {args.n}x{args.n} with {args.tokens} tokens: {t_gptq * 1000:.0f} ms "
          f"({t_gptq / t_mm:.1f}x the matmul)")
    del y
    if args.quantscope:
        out = subprocess.run([args.quantscope, "bench", "--gptq", "--json"], check=True, capture_output=True, text=True).stdout
        g = json.loads(out)["gptq"]
        print(f"quantscope: float32 matmul {g['matmul_ms']:.0f} ms; gptq {g['ms']:.0f} ms "
              f"(Hessian {g['hessian_ms']:.0f} ms, factor {g['factor_ms']:.0f} ms; {g['ratio_to_matmul']:.1f}x the matmul)")
        print(f"side by side: numpy {t_gptq * 1000:.0f} ms, quantscope {g['ms']:.0f} ms "
              f"({t_gptq * 1000 / g['ms']:.1f}x faster)")


if __name__ == "__main__":
    main()
