#!/usr/bin/env python3
"""Time numpy / ml_dtypes versions of the bench cases next to `quantscope bench`.

Each reference is written vectorised from docs/contract.md's formulas (quantize +
dequantize + MSE) on the same shape of data: 4096x4096 float32 N(0, 1).
Run from the repository root after `swift build -c release`:

    python3 tools/bench_compare.py [--repeats 7]

Prints one table: median ms of each implementation and the ratio numpy/quantscope,
with a 64 MiB copy timed by numpy for scale.
"""
import argparse
import json
import subprocess
import time

import numpy as np

try:
    import ml_dtypes
except ImportError:  # pragma: no cover
    ml_dtypes = None


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[len(times) // 2]


def int8_per_tensor(x):
    s = np.float32(np.abs(x).max()) / np.float32(127)
    q = np.clip(np.rint(x / s), -127, 127).astype(np.int8)
    xh = s * q.astype(np.float32)
    return np.mean((x - xh) ** 2)


def int8_asym_per_channel(x):
    vmin = np.minimum(x.min(axis=1, keepdims=True), 0)
    vmax = np.maximum(x.max(axis=1, keepdims=True), 0)
    s = (vmax - vmin) / np.float32(255)
    z = np.clip(np.float32(-128) - np.rint(vmin / s), -128, 127)
    q = np.clip(np.rint(x / s + z), -128, 127).astype(np.int8)
    xh = s * (q.astype(np.float32) - z)
    return np.mean((x - xh) ** 2)


def int4_group128(x):
    g = x.reshape(x.shape[0], -1, 128)
    s = np.abs(g).max(axis=2, keepdims=True) / np.float32(7)
    q = np.clip(np.rint(g / s), -7, 7).astype(np.int8)
    xh = s * q.astype(np.float32)
    return np.mean((g - xh) ** 2)


def fp8_cast(x):
    return x.astype(ml_dtypes.float8_e4m3fn).astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--binary", default=".build/release/quantscope")
    args = parser.parse_args()

    rng = np.random.default_rng(42)
    x = rng.standard_normal((4096, 4096), dtype=np.float32)
    dst = np.empty_like(x)
    ref = {
        "copy": median_ms(lambda: np.copyto(dst, x), args.repeats),
        "int8": median_ms(lambda: int8_per_tensor(x), args.repeats),
        "int8-asym": median_ms(lambda: int8_asym_per_channel(x), args.repeats),
        "int4": median_ms(lambda: int4_group128(x), args.repeats),
    }
    if ml_dtypes is not None:
        ref["fp8-e4m3"] = median_ms(lambda: fp8_cast(x), args.repeats)

    out = subprocess.run([args.binary, "bench", "--json"], check=True, capture_output=True, text=True).stdout
    ours = json.loads(out)
    print(f"machine: {ours['machine']}")
    print(f"copy of 64 MiB: numpy {ref['copy']:.2f} ms, quantscope's own copy {ours['copy_ms']:.2f} ms")
    print(f"{'scheme':<12}{'granularity':<14}{'reference':>12}{'quantscope':>12}{'speed-up':>10}{'x copy':>8}")
    names = {"int8": "numpy", "int8-asym": "numpy", "int4": "numpy", "fp8-e4m3": "ml_dtypes cast"}
    for r in ours["results"]:
        base = ref.get(r["scheme"])
        ref_text = f"{base:9.2f} ms" if base else "         —"
        speedup = f"{base / r['ms']:9.1f}x" if base else "        —"
        print(f"{r['scheme']:<12}{r['granularity']:<14}{ref_text:>12}{r['ms']:9.2f} ms{speedup:>10}{r['ratio_to_copy']:8.2f}"
              + (f"   ({names[r['scheme']]})" if base else ""))


if __name__ == "__main__":
    main()
