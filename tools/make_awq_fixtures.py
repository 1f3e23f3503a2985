#!/usr/bin/env python3
"""
make_awq_fixtures.py — reference figures for AWQ and SmoothQuant (docs/contract.md §16),
computed here with numpy from the formulas, never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/methods/awq-smoothquant.json (relative to the repository root)

A list of cases, each {"name", "method", ...}; matrices are row-major flat lists of float32
values written as Python floats (exact: every float32 is a float64). W is [n, k] (a PyTorch
Linear weight: n outputs, k inputs), X is [m, k] (m tokens).

RTN (docs/contract.md §1), per group of `group` inputs along a row (k for channel), float32:
    lo = min(x, 0), hi = max(x, 0)
    int-B symmetric:   S = max(-lo, hi) / qmax,              Z = 0
    int-B-asym:        S = (hi - lo) / (qmax - qmin),        Z = clip(qmin - rint(lo / S), qmin, qmax)
    S = 1 when not > 0;  q = rint(clip(x / S + Z, qmin, qmax)) (ties to even);  x̂ = S * (q - Z)

AWQ (Lin et al. 2023; mit-han-lab/llm-awq auto_scale / auto_clip):
    1. a_j = mean_t |X_tj|                       (float64 sum, stored as float32)
    2. for i in 0..n-1: α = i/n;  r_j = max(a_j^α, 1e-4) (float64);  s = r / sqrt(max r * min r)  -> float32
    3. Ŵ = RTN(W * s) / s                        (float32, s broadcast over the input axis)
    4. loss(α) = sum((X @ (W - Ŵ)ᵀ)²) / (m n)      (float64)
    5. α* = the first α with the least loss
    6. clip search (optional): W' = W * s*, X' = X / s* (float32), every max(1, m // 512)-th token;
       per group g (row o, run b) max_g = max |W'_g|; for i in 0..9, ratio = float32(1 - i/20):
       clamp W' to ±(max_g * ratio), RTN, err_g = mean_t (X'_t,g · (W'_g - Q_g))² (float64);
       each group keeps the ratio of its least error (ties to the earlier, larger ratio);
       Ŵ = RTN(W' clamped with the kept ratios) / s*.

SmoothQuant (Xiao et al. 2022; mit-han-lab/smoothquant smooth_ln_fcs):
    s_j = max(max_t|X_tj|^α / max(max_o|W_oj|, 1e-5)^(1-α), 1e-5)   (float64 -> float32)
    W' = W * s, RTN per row (int8 symmetric, channel);  X' = X / s (float32)
    per token: S_t = max|X'_t| / 127, q = clip(rint(X' / S_t), -127, 127)
    Ŷ = (S_t q) @ Q(W')ᵀ in float64; plain W8A8 is the same with s = 1.

Deterministic: the random cases use numpy's Generator seeded with [20261206, case index].

Usage:  /work/venv/bin/python tools/make_awq_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 20261206
OUT = Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/methods"
F = np.float32


def scheme_range(bits: int, asym: bool) -> tuple[float, float]:
    if asym:
        return F(-(1 << (bits - 1))), F((1 << (bits - 1)) - 1)
    return F(-((1 << (bits - 1)) - 1)), F((1 << (bits - 1)) - 1)


def rtn(w: np.ndarray, bits: int, asym: bool, group: int) -> np.ndarray:
    """x̂ per group of `group` along each row, float32 throughout."""
    qmin, qmax = scheme_range(bits, asym)
    out = np.empty_like(w)
    n, k = w.shape
    for o in range(n):
        for start in range(0, k, group):
            x = w[o, start:start + group]
            lo = min(F(x.min()), F(0))
            hi = max(F(x.max()), F(0))
            if asym:
                s = F(F(hi - lo) / F(qmax - qmin))
            else:
                s = F(max(-lo, hi) / qmax)
            if not (s > 0 and np.isfinite(s)):
                s = F(1)
            z = F(0)
            if asym:
                z = F(min(max(qmin - np.rint(F(lo / s)), qmin), qmax))
            q = np.rint(np.clip(F(1) * x / s + z, qmin, qmax)).astype(F)
            out[o, start:start + group] = (s * (q - z)).astype(F)
    return out


def output_mse(x: np.ndarray, w: np.ndarray, hat: np.ndarray) -> float:
    d = w.astype(np.float64) - hat.astype(np.float64)
    y = x.astype(np.float64) @ d.T
    return float((y * y).sum() / y.size)


def awq_scales(a: np.ndarray, alpha: float) -> np.ndarray:
    r = np.maximum(np.power(a.astype(np.float64), alpha), 1e-4)
    return (r / np.sqrt(r.max() * r.min())).astype(F)


def awq(w, x, bits, asym, group, n_grid, clip=False, clip_steps=10, clip_grid=20, n_sample=512):
    m, k = x.shape
    a = np.abs(x.astype(np.float64)).mean(axis=0).astype(F)
    alphas, losses, best = [], [], None
    for i in range(n_grid):
        alpha = i / n_grid
        s = awq_scales(a, alpha)
        hat = (rtn((w * s).astype(F), bits, asym, group) / s).astype(F)
        loss = output_mse(x, w, hat)
        alphas.append(alpha)
        losses.append(loss)
        if best is None or loss < losses[best[0]]:
            best = (i, hat, s)
    idx, hat, s = best
    result = {"a": a, "alphas": alphas, "losses": losses, "chosen": idx, "scales": s, "weight": hat}
    if not clip:
        return result
    ws = (w * s).astype(F)
    xs = (x / s).astype(F)
    step = max(1, m // n_sample)
    xs = xs[0::step]
    n = w.shape[0]
    per_row = (k + group - 1) // group
    maxima = np.zeros((n, per_row), dtype=F)
    for b in range(per_row):
        maxima[:, b] = np.abs(ws[:, b * group:(b + 1) * group]).max(axis=1)
    best_err = np.full((n, per_row), np.inf)
    ratios = np.ones((n, per_row), dtype=F)

    def clamped(rat):
        out = ws.copy()
        for b in range(per_row):
            lim = (maxima[:, b] * rat[:, b]).astype(F)[:, None]
            out[:, b * group:(b + 1) * group] = np.clip(ws[:, b * group:(b + 1) * group], -lim, lim)
        return out

    for i in range(clip_steps):
        r = F(1 - i / clip_grid)
        q = rtn(clamped(np.full((n, per_row), r, dtype=F)), bits, asym, group)
        d = ws.astype(np.float64) - q.astype(np.float64)
        for b in range(per_row):
            part = xs[:, b * group:(b + 1) * group].astype(np.float64) @ d[:, b * group:(b + 1) * group].T  # [t, n]
            err = (part * part).mean(axis=0)
            better = err < best_err[:, b]
            best_err[better, b] = err[better]
            ratios[better, b] = r
    hat = (rtn(clamped(ratios), bits, asym, group) / s).astype(F)
    result.update({"clip_ratios": ratios.reshape(-1), "weight": hat, "clipped_loss": output_mse(x, w, hat)})
    return result


def smoothquant(w, x, alpha, bits=8, smoothing=True):
    n, k = w.shape
    if smoothing:
        act = np.abs(x).max(axis=0).astype(np.float64)
        wmax = np.maximum(np.abs(w).max(axis=0).astype(np.float64), 1e-5)
        s = np.maximum(np.power(act, alpha) / np.power(wmax, 1 - alpha), 1e-5).astype(F)
    else:
        s = np.ones(k, dtype=F)
    qw = rtn((w * s).astype(F), bits, False, k)
    xs = (x / s).astype(F)
    xhat = np.empty_like(xs)
    for t in range(xs.shape[0]):
        st = F(F(np.abs(xs[t]).max()) / F(127))
        if not (st > 0 and np.isfinite(st)):
            st = F(1)
        q = np.rint(np.clip(xs[t] / st, F(-127), F(127))).astype(F)
        xhat[t] = (st * q).astype(F)
    y = xhat.astype(np.float64) @ qw.astype(np.float64).T
    return {"scales": s, "weight_scaled_q": qw, "x_scaled": xs, "output": y.astype(F)}


def flat(v) -> list[float]:
    return [float(e) for e in np.asarray(v).reshape(-1)]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []

    # Hand case 1, AWQ. W has 2 outputs × 4 inputs; X has 3 tokens, input 3 a loud one.
    # a = mean|X| per input = [0.5, 0.5, 0.5, 8]. With n_grid = 4 (α = 0, .25, .5, .75):
    # α = 0 gives s = 1 (plain RTN, int3-asym per row: S = (max − min)/7); larger α scales
    # input 3 up by 8^α / √(8^α · 0.5^α) relative, so its weight gets a finer step in the
    # scaled row, and the loud input's error (which the output feels ×8) shrinks; the small
    # inputs get coarser steps, which costs less. The loss column in the fixture shows it.
    w = np.array([[0.30, -0.20, 0.10, 0.05], [-0.40, 0.25, 0.15, -0.07]], dtype=F)
    x = np.array([[0.5, -0.5, 0.5, 8.0], [-0.5, 0.5, 0.5, -8.0], [0.5, 0.5, -0.5, 8.0]], dtype=F)
    r = awq(w, x, bits=3, asym=True, group=4, n_grid=4)
    cases.append({"name": "awq-hand", "method": "awq", "n": 2, "k": 4, "m": 3, "bits": 3, "asym": True, "group": 4,
                  "grid": 4, "clip": False, "w": flat(w), "x": flat(x), "a": flat(r["a"]), "alphas": r["alphas"],
                  "losses": r["losses"], "chosen": r["chosen"], "scales": flat(r["scales"]), "weight": flat(r["weight"])})

    # Random cases: Gaussian W, Gaussian X with two loud input columns (×20 and ×35).
    configs = [("awq-int4-asym-g16-clip", 4, True, 16, True), ("awq-int3-asym-channel", 3, True, 64, False),
               ("awq-int4-sym-g32", 4, False, 32, False), ("awq-int3-asym-g16-clip", 3, True, 16, True)]
    for idx, (name, bits, asym, group, clip) in enumerate(configs):
        rng = np.random.default_rng([SEED, idx])
        n, k, m = 12, 64, 40
        w = (rng.standard_normal((n, k)) * 0.05).astype(F)
        x = rng.standard_normal((m, k)).astype(F)
        x[:, 5] *= F(20)
        x[:, 41] *= F(35)
        r = awq(w, x, bits, asym, group, n_grid=20, clip=clip)
        case = {"name": name, "method": "awq", "n": n, "k": k, "m": m, "bits": bits, "asym": asym, "group": group,
                "grid": 20, "clip": clip, "w": flat(w), "x": flat(x), "a": flat(r["a"]), "alphas": r["alphas"],
                "losses": r["losses"], "chosen": r["chosen"], "scales": flat(r["scales"]), "weight": flat(r["weight"])}
        if clip:
            case["clip_ratios"] = flat(r["clip_ratios"])
            case["clipped_loss"] = r["clipped_loss"]
        cases.append(case)

    # Hand case 2, SmoothQuant, α = 0.5. Input 1 is the outlier feature (max|X| = 40, the rest ≤ 1).
    # max|W| per input = [0.5, 0.1, 0.4]; s = sqrt(maxX / maxW) = [sqrt(2), sqrt(400), sqrt(2.5)]
    # = [1.414, 20, 1.581]. X/s brings input 1 down to max 2 (from 40) so a token's int8 step
    # is set by ~2, not 40; W·s raises input 1's weights to max 2, all inside each row's range.
    w = np.array([[0.5, -0.1, 0.2], [-0.3, 0.05, 0.4]], dtype=F)
    x = np.array([[1.0, 40.0, -0.5], [-0.25, -30.0, 1.0], [0.5, 10.0, 0.75]], dtype=F)
    for name, smoothing in [("smoothquant-hand", True), ("w8a8-hand", False)]:
        r = smoothquant(w, x, 0.5, smoothing=smoothing)
        cases.append({"name": name, "method": "smoothquant" if smoothing else "w8a8", "n": 2, "k": 3, "m": 3,
                      "bits": 8, "asym": False, "group": 3, "alpha": 0.5, "w": flat(w), "x": flat(x),
                      "scales": flat(r["scales"]), "weight_scaled_q": flat(r["weight_scaled_q"]),
                      "x_scaled": flat(r["x_scaled"]), "output": flat(r["output"])})

    path = OUT / "awq-smoothquant.json"
    path.write_text(json.dumps(cases, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
