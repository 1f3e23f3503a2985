#!/usr/bin/env python3
"""Time gguf-py's block decoders (`gguf.quants.dequantize`) per ggml type.

The Swift side is `quantscope bench --decoders --json` (GGMLBlockDecoding.benchmark,
one thread and all threads), run from --binary when it exists, printed side by side:

    python3 tools/gguf_decode_speed.py [--values 16777216] [--repeats 5] [--types Q4_K,Q8_0]

Blocks are random bytes with every float16 scale field replaced by a finite value of
moderate size (as tools/make_fixtures.py does for its decode fixtures), so no type is
timed on NaN or subnormal arithmetic.  Slow types are timed on fewer values (see SLOW).

`--dump DIR` also writes, per type, `<T>.blocks.u8` and `<T>.dequant.f32` (gguf-py's
output, or numpy's `d * qs` for Q8_K, which gguf-py lacks) for bit-exact checks of a
decoder on many blocks; `--raw` leaves the scale fields as random bytes too, so the
dump covers NaN, infinite and subnormal scales.
"""
import argparse
import json
import subprocess
import importlib.metadata
import math
import time
from pathlib import Path

import numpy as np
import gguf
from gguf import quants as gq
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType as QT

TYPES = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K",
         "IQ4_NL", "IQ4_XS", "MXFP4"]

# byte offsets of the float16 scale fields inside one block
F16_FIELDS = {
    "Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2], "Q8_0": [0],
    "Q2_K": [80, 82], "Q3_K": [108], "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208],
    "IQ4_NL": [0], "IQ4_XS": [0],
}

# types gguf-py decodes slowly enough that 16M values would take long: time fewer
SLOW = {}


def random_f16_scales(rng, n):
    """Finite float16 values: random sign, magnitude log-uniform in [1e-3, 2]."""
    mag = np.exp(rng.uniform(math.log(1e-3), math.log(2.0), n))
    sgn = np.where(rng.integers(0, 2, n) == 1, -1.0, 1.0)
    return (mag * sgn).astype(np.float16)


def random_blocks(rng, name, n_blocks, raw=False):
    """`n_blocks` random blocks of type `name` as uint8 [n_blocks, type_size]."""
    _, ts = GGML_QUANT_SIZES[QT[name]]
    blocks = rng.integers(0, 256, size=(n_blocks, ts), dtype=np.uint8)
    if raw:
        return blocks
    for off in F16_FIELDS.get(name, []):
        blocks[:, off:off + 2] = random_f16_scales(rng, n_blocks).view(np.uint8).reshape(n_blocks, 2)
    if name == "Q8_K":
        d = random_f16_scales(rng, n_blocks).astype(np.float32)
        blocks[:, 0:4] = d.view(np.uint8).reshape(n_blocks, 4)
    if name == "MXFP4":
        blocks[:, 0] = rng.integers(100, 150, size=n_blocks, dtype=np.uint8)
    return blocks


def dequantize(blocks, name, row=None):
    """gguf-py's dequantize; Q8_K (absent from gguf-py) as ggml's y = d * qs.

    With `row` (values per row) the blocks are passed as a 2-D tensor of such rows,
    the way a real weight matrix is: gguf-py works on groups of 16 rows at a time,
    so passing one block per row would time its Python overhead instead."""
    if row is not None and name != "Q8_K":
        bs, ts = GGML_QUANT_SIZES[QT[name]]
        blocks = blocks.reshape(-1, row // bs * ts)
    if name == "Q8_K":
        d = blocks[:, 0:4].copy().view("<f4")
        qs = blocks[:, 4:260].copy().view(np.int8).astype(np.float32)
        return (d * qs).astype(np.float32)
    return gq.dequantize(blocks, QT[name])


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[len(times) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--values", type=int, default=1 << 24, help="values decoded per timing (default 16M)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--row", type=int, default=4096, help="values per tensor row (default 4096)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dump", type=Path, help="write blocks and expected floats here instead of timing")
    ap.add_argument("--dump-blocks", type=int, default=4096, help="blocks per type in --dump")
    ap.add_argument("--raw", action="store_true", help="--dump: leave scale fields random too")
    ap.add_argument("--binary", default=".build/release/quantscope", help="quantscope to compare (bench --decoders)")
    args = ap.parse_args()
    names = [t.strip().upper() for t in args.types.split(",") if t.strip()]

    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for name in names:
            rng = np.random.default_rng([args.seed, TYPES.index(name)])
            blocks = random_blocks(rng, name, args.dump_blocks, raw=args.raw)
            with np.errstate(all="ignore"):
                deq = dequantize(blocks, name).astype(np.float32).ravel()
            blocks.tofile(args.dump / f"{name}.blocks.u8")
            deq.tofile(args.dump / f"{name}.dequant.f32")
            print(f"{name}: {args.dump_blocks} blocks, {deq.size} values")
        return

    ours = {}
    if Path(args.binary).exists():
        out = subprocess.run([args.binary, "bench", "--decoders", "--json"], check=True, capture_output=True, text=True).stdout
        ours = {d["type"]: d for d in json.loads(out)["decoders"]}
    print(f"gguf-py {importlib.metadata.version('gguf')}, numpy {np.__version__}, rows of {args.row} values; quantscope: {args.binary}")
    print(f"{'type':8} {'values':>10} {'ms':>9} {'gguf-py M/s':>12} {'ours 1 thr':>11} {'ours all':>9} {'x (1 thr)':>10}")
    for name in names:
        bs, _ = GGML_QUANT_SIZES[QT[name]]
        n_values = SLOW.get(name, args.values)
        n_blocks = max(1, n_values // args.row) * (args.row // bs)
        rng = np.random.default_rng([args.seed, TYPES.index(name)])
        blocks = random_blocks(rng, name, n_blocks)
        ms = median_ms(lambda: dequantize(blocks, name, args.row), args.repeats)
        values = n_blocks * bs
        ref = values / ms / 1e3
        mine = ours.get(name)
        if mine:
            one, allt = mine["mvalues_per_s_1_thread"], mine["mvalues_per_s_all_threads"]
            print(f"{name:8} {values:>10} {ms:>9.1f} {ref:>12.0f} {one:>11.0f} {allt:>9.0f} {one / ref:>9.1f}x")
        else:
            print(f"{name:8} {values:>10} {ms:>9.1f} {ref:>12.0f}")


if __name__ == "__main__":
    main()
