#!/usr/bin/env python3
"""numpy's float32 matmul next to quantscope's kernel benchmark, same shapes.

Times numpy (OpenBLAS or whatever BLAS numpy links) on the shapes
`quantscope bench` uses: GEMV 4096x4096 by 4096, and GEMM 4096x4096 by
16x4096 and 64x4096, as Y = X @ W.T with W [N out, K in] row-major. Like
the Swift benchmark, it cycles through enough copies of W (more than
64 MiB together, at least two) that every multiply reads W from main
memory, and reports medians.

Then it runs `quantscope bench --kernels-only --json` (falling back to
`quantscope bench --json` and its `kernels` array when that flag is not
there) and prints one table: each kernel's ms, GOPS, weight GB/s and
ratio to quantscope's float32 kernel, with numpy's float32 beside it.

Usage: python3 tools/matmul_compare.py [--quantscope PATH] [--repeats N] [--numpy-only] [--json]
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
N = K = 4096
TOKENS = [1, 16, 64]


def time_numpy(m, repeats):
    """Median ms of numpy's X @ W.T for M = m, cycling W copies."""
    rng = np.random.default_rng(7)
    w0 = rng.standard_normal((N, K), dtype=np.float32)
    copies = max(2, (64 << 20) // w0.nbytes + 1)
    ws = [w0] + [w0.copy() for _ in range(copies - 1)]
    x = rng.standard_normal((m, K), dtype=np.float32)
    y = np.empty((m, N), dtype=np.float32)
    times = []
    for i in range(repeats + 1):
        w = ws[i % copies]
        start = time.perf_counter()
        if m == 1:
            np.dot(w, x[0], out=y[0])
        else:
            np.matmul(x, w.T, out=y)
        elapsed = (time.perf_counter() - start) * 1000
        if i > 0:  # the first run warms up
            times.append(elapsed)
    ms = statistics.median(times)
    return {
        "kernel": "numpy-f32", "op": "gemv" if m == 1 else "gemm", "m": m, "n": N, "k": K,
        "ms": ms, "gops": 2 * m * N * K / (ms / 1000) / 1e9,
        "weight_gbps": w0.nbytes / (ms / 1000) / 1e9, "copies": copies,
    }


def blas_name():
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy
        return "unknown BLAS"


def find_quantscope(explicit):
    if explicit:
        return explicit
    for candidate in [REPO / ".build" / "release" / "quantscope", REPO / ".build-kernels" / "release" / "quantscope"]:
        if candidate.exists():
            return str(candidate)
    return "quantscope"


def run_quantscope(binary):
    """The `kernels` array from the bench, or None with a reason."""
    attempts = [[binary, "bench", "--kernels-only", "--json"], [binary, "bench", "--json"]]
    reason = None
    for command in attempts:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{' '.join(command)}: {error}"
        if done.returncode != 0:
            reason = f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip().splitlines()[-1:] or ''}"
            continue
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError as error:
            reason = f"{' '.join(command)}: not JSON ({error})"
            continue
        kernels = report.get("kernels")
        if kernels:
            return {"machine": report.get("machine"), "kernels": kernels, "command": " ".join(command[1:])}, None
        reason = f"{' '.join(command)}: no `kernels` array in its JSON (the lead has not wired the kernel bench yet?)"
    return None, reason


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quantscope", help="the quantscope binary (default: .build/release/quantscope)")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--numpy-only", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    numpy_rows = [time_numpy(m, args.repeats) for m in TOKENS]
    ours, reason = (None, "skipped (--numpy-only)") if args.numpy_only else run_quantscope(find_quantscope(args.quantscope))

    if args.json:
        print(json.dumps({"numpy": {"version": np.__version__, "blas": blas_name(), "cpus": os.cpu_count(), "results": numpy_rows},
                          "quantscope": ours, "quantscope_error": reason}, indent=2))
        return

    print(f"numpy {np.__version__} ({blas_name()}), {os.cpu_count()} CPUs; W {N}x{K} float32, weights cycled past the caches")
    if ours:
        print(f"quantscope `{ours['command']}`: {ours['machine']}")
    else:
        print(f"quantscope: not run — {reason}")
    print()
    print(f"{'kernel':<10} {'op':<5} {'m':>3} {'ms':>9} {'GOPS':>8} {'GB/s':>7} {'x f32':>7} {'x numpy':>8}")
    numpy_by_m = {r["m"]: r for r in numpy_rows}
    rows = sorted((ours or {}).get("kernels", []), key=lambda r: (r["m"], r["kernel"] != "f32", r["kernel"]))
    for m in TOKENS:
        np_row = numpy_by_m[m]
        print(f"{'numpy-f32':<10} {np_row['op']:<5} {m:>3} {np_row['ms']:>9.3f} {np_row['gops']:>8.1f} {np_row['weight_gbps']:>7.1f} {'':>7} {1:>8.2f}")
        for r in (r for r in rows if r["m"] == m):
            print(f"{r['kernel']:<10} {r['op']:<5} {m:>3} {r['ms']:>9.3f} {r['gops']:>8.1f} {r['weight_gbps']:>7.1f} "
                  f"{r['ratio_to_f32']:>7.3f} {r['ms'] / np_row['ms']:>8.2f}")
        print()
    print("x f32: time over quantscope's float32 kernel in the same run; x numpy: time over numpy's float32 here.")
    print("quantscope's kernel times include quantizing the activations; numpy's are one float32 matmul.")
    if ours is None:
        sys.exit(0 if args.numpy_only else 1)


if __name__ == "__main__":
    main()
