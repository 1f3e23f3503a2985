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

Also writes kernels/partial/ (see `write_partial_blocks`): every blocked
kernel's last partial K block, from integer codes and power-of-two scales
chosen so that every product and every partial sum is exact in float32 —
y then compares bit for bit whatever order a kernel sums in.

Usage: python3 tools/make_kernel_fixtures.py [OUT_DIR]
"""
import json
import pathlib
import shutil
import sys

import gguf
import ml_dtypes
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
    write_partial_blocks(out / "partial")


# ---------------------------------------------------------------------------
# Partial K blocks
# ---------------------------------------------------------------------------

# (name, M, N, K): K past one (1024) or two K blocks by a partial block,
# M = 1 (GEMV), 3, 17 (GEMM, a VNNI tile of 4 tokens and one left over),
# N odd (a short last weight panel of 8 rows, of 6 rows, of a row quad).
# GGUF kernels need K % 32 == 0, so "odd" (K = 1061) is int8/int4/FP8 only.
PARTIAL_SHAPES = [("gemv", 1, 5, 2144), ("gemm3", 3, 13, 1056), ("gemm17", 17, 7, 2144), ("odd", 3, 11, 1061)]
PARTIAL_GROUP = 128


def e4m3_exact_ints(limit):
    """The integers in [-limit, limit] that float8_e4m3fn holds exactly."""
    v = np.arange(-limit, limit + 1)
    return v[v.astype(ml_dtypes.float8_e4m3fn).astype(np.float64) == v]


def exact_f32(y, terms, granularity):
    """y (float64) as float32, after checking that any summation order of
    terms that are multiples of `granularity` is exact in float32."""
    assert np.all(np.abs(terms) / granularity < 2**24), "a partial sum could round"
    out = y.astype(np.float32)
    assert np.array_equal(out.astype(np.float64), y)
    return out


def q4_0_blocks(codes, d):
    """ggml block_q4_0: Float16 d, then byte j = q[j] | q[j + 16] << 4."""
    n, k = codes.shape
    out = bytearray()
    for r in range(n):
        for b in range(k // 32):
            q = codes[r, 32 * b:32 * b + 32].astype(np.uint8)
            out += np.float16(d[r, b]).tobytes() + (q[:16] | (q[16:] << 4)).astype(np.uint8).tobytes()
    return np.frombuffer(bytes(out), dtype=np.uint8)


def q8_0_blocks(codes, d):
    """ggml block_q8_0: Float16 d, then 32 int8 codes."""
    n, k = codes.shape
    out = bytearray()
    for r in range(n):
        for b in range(k // 32):
            out += np.float16(d[r, b]).tobytes() + codes[r, 32 * b:32 * b + 32].astype(np.int8).tobytes()
    return np.frombuffer(bytes(out), dtype=np.uint8)


def write_partial_blocks(out):
    """kernels/partial/<shape>.<array>: inputs as codes, outputs exact.

    Inputs (per shape):
      a8.i8 [M,K]    activations: e4m3-exact integers in [-112, 112], every
                     row holding 112 (so FP8's per-token scale 112/448 = 1/4
                     and x/S = 4·a8 are exact); int8 activation codes for
                     W8A8 and W4A8, float activations for W4A16 and FP8
      z.i32 [M]      zero-points for W8A8 asymmetric
      w8.i8 [N,K]    int8 weight codes in [-127, 127]
      w4.u8 [N,K]    int4 codes 0…15; w4s.f32, w4z.u8 [N, ⌈K/128⌉] group
                     scales (1/16 or 1/8) and zero-points, groups of 128
      wf8.u8 [N,K]   E4M3 weight codes of integers in [-8, 8] (ml_dtypes);
                     wf8s.f32 [N] per-channel scales (1/16 or 1/8)
      xg.i8 [M,K]    GGUF activations: integers in [-20, 20], every block of
                     32 holding ±127 (so Q8_0's d = 1 and the codes are x)
      q4_0.u8, q8_0.u8  weight blocks of w4 (Q4_0) and w4 − 8 (Q8_0), d 1/16
                     or 1/8, checked against gguf.quants.dequantize
    Outputs: w8a8_{sym,asym}.acc.i32 / .y.f32 [M,N] (S_x = 1/8, S_w = 1/32),
      w4a8.acc.i32 [M,N,groups] and .y.f32 (S_x = 1/4), w4a16.y.f32,
      fp8.y.f32, q4_0.y.f32, q8_0.y.f32 [M,N].
    """
    out.mkdir(parents=True)
    rng = np.random.default_rng([2024, 14])
    act_values, wf8_values = e4m3_exact_ints(112), e4m3_exact_ints(8)
    manifest = {"group": PARTIAL_GROUP, "sx_w8a8": 0.125, "sw_w8a8": 0.03125, "sx_w4a8": 0.25, "shapes": []}
    for name, m, n, k in PARTIAL_SHAPES:
        files = {}
        a8 = rng.choice(act_values, size=(m, k)).astype(np.int64)
        a8[np.arange(m), rng.integers(0, k, size=m)] = 112
        z = rng.integers(-20, 21, size=m).astype(np.int64)
        w8 = rng.integers(-127, 128, size=(n, k)).astype(np.int64)
        groups = (k + PARTIAL_GROUP - 1) // PARTIAL_GROUP
        w4 = rng.integers(0, 16, size=(n, k)).astype(np.int64)
        w4s = rng.choice([0.0625, 0.125], size=(n, groups))
        w4z = rng.integers(0, 16, size=(n, groups)).astype(np.int64)
        wf8v = rng.choice(wf8_values, size=(n, k)).astype(np.int64)
        wf8s = rng.choice([0.0625, 0.125], size=n)

        sx, sw = manifest["sx_w8a8"], manifest["sw_w8a8"]
        for mode, zp in (("sym", np.zeros(m, dtype=np.int64)), ("asym", z)):
            acc = (a8 - zp[:, None]) @ w8.T
            assert np.all(np.abs(acc) < 2**31)
            files[f"w8a8_{mode}.acc.i32"] = acc
            files[f"w8a8_{mode}.y.f32"] = acc.astype(np.float32) * np.float32(sx * sw)

        gidx = np.arange(k) // PARTIAL_GROUP
        wz = w4 - w4z[:, gidx]                                  # q − Z per element
        acc4 = np.stack([(a8[:, None, :] * wz[None, :, :])[:, :, gidx == g].sum(axis=2) for g in range(groups)], axis=2)
        files["w4a8.acc.i32"] = acc4
        deq4 = wz * w4s[:, gidx]                                # S·(q − Z), exact
        terms = np.abs(a8[:, None, :]) * (w4[None] + w4z[:, gidx][None]) * w4s[:, gidx][None]
        files["w4a16.y.f32"] = exact_f32(a8.astype(np.float64) @ deq4.T, terms.sum(axis=2), 0.0625)
        files["w4a8.y.f32"] = exact_f32(manifest["sx_w4a8"] * (a8.astype(np.float64) @ deq4.T),
                                        manifest["sx_w4a8"] * terms.sum(axis=2), 0.0625 * manifest["sx_w4a8"])
        # FP8: x decodes to 4·a8 with S_x = 1/4; the kernel's weight decode is the value/256.
        fterms = np.abs(4 * a8[:, None, :] * wf8v[None]) / 256
        exact_f32(np.zeros((m, n)), fterms.sum(axis=2), 1 / 256)
        files["fp8.y.f32"] = exact_f32((a8.astype(np.float64) @ wf8v.T) * wf8s[None, :], fterms.sum(axis=2), 1 / 256)

        files.update({"a8.i8": a8, "z.i32": z, "w8.i8": w8, "w4.u8": w4, "w4s.f32": w4s, "w4z.u8": w4z,
                      "wf8.u8": wf8v.astype(np.float64).astype(ml_dtypes.float8_e4m3fn).view(np.uint8), "wf8s.f32": wf8s})
        if k % 32 == 0:
            xg = rng.integers(-20, 21, size=(m, k)).astype(np.int64)
            for t in range(m):
                for b in range(k // 32):
                    xg[t, 32 * b + rng.integers(0, 32)] = rng.choice([-127, 127])
            dw = rng.choice([0.0625, 0.125], size=(n, k // 32))
            bidx = np.arange(k) // 32
            for typ, codes, blocks in (("q4_0", w4 - 8, q4_0_blocks(w4, dw)), ("q8_0", w4 - 8, q8_0_blocks(w4 - 8, dw))):
                deq = codes * dw[:, bidx]
                ref = gguf.quants.dequantize(blocks, gguf.GGMLQuantizationType[typ.upper()]).reshape(n, k)
                assert np.array_equal(ref.astype(np.float64), deq), f"{typ}: gguf-py decodes the blocks differently"
                gterms = np.abs(xg[:, None, :] * deq[None])
                files[f"{typ}.u8"] = blocks
                files[f"{typ}.y.f32"] = exact_f32(xg.astype(np.float64) @ deq.T, gterms.sum(axis=2), 0.0625)
            files["xg.i8"] = xg

        for fname, array in files.items():
            dtype = {"f32": "<f4", "i8": "i1", "u8": "u1", "i32": "<i4"}[fname.rsplit(".", 1)[1]]
            (out / f"{name}.{fname}").write_bytes(np.ascontiguousarray(array).astype(dtype).tobytes())
        manifest["shapes"].append({"name": name, "m": m, "n": n, "k": k, "groups": groups, "gguf": k % 32 == 0})
    manifest.update({"generator": "tools/make_kernel_fixtures.py", "numpy": np.__version__, "gguf": gguf.__version__ if hasattr(gguf, "__version__") else "",
                     "ml_dtypes": ml_dtypes.__version__})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(PARTIAL_SHAPES)} partial-block shapes to {out}")


if __name__ == "__main__":
    main()
