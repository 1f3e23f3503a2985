#!/usr/bin/env python3
"""Time `quantscope inspect` on a ~250 MB GGUF next to a ~1 MB one, with peak memory,
and gguf-py's reader on the same files (the issue's yardstick: ~7.5 s for 250 MB).

Both files are made with gguf.GGUFWriter: a llama-like model of Q4_K / Q6_K / F32
tensors (random bytes with finite scales; only headers matter here) both with the same 32,000-entry
tokenizer vocabulary in the metadata, as real GGUF files carry.

    python3 tools/inspect_speed.py [--binary .build/release/quantscope] [--keep]
"""
import argparse
import os
import subprocess
import tempfile
import time

import numpy as np
import gguf
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType as QT


def make(path, layers, dim, ff, vocab):
    rng = np.random.default_rng(0)
    w = gguf.GGUFWriter(path, "llama")
    w.add_name("inspect-speed test model")
    w.add_tokenizer_model("llama")
    w.add_token_list([f"tok{i}" for i in range(vocab)])
    w.add_token_scores([float(-i) for i in range(vocab)])

    def quant(name, rows, cols, qt):
        bs, ts = GGML_QUANT_SIZES[qt]
        blocks = rows * cols // bs
        raw = rng.integers(0, 256, size=(rows, cols // bs * ts), dtype=np.uint8)
        raw.reshape(blocks, ts)[:, 0:2] = np.frombuffer(np.float16(0.01).tobytes(), np.uint8)
        w.add_tensor(name, raw, raw_dtype=qt)

    for layer in range(layers):
        for part in ("attn_q", "attn_k", "attn_v", "attn_output"):
            quant(f"blk.{layer}.{part}.weight", dim, dim, QT.Q4_K)
        quant(f"blk.{layer}.ffn_up.weight", ff, dim, QT.Q4_K)
        quant(f"blk.{layer}.ffn_down.weight", dim, ff, QT.Q6_K)
        w.add_tensor(f"blk.{layer}.attn_norm.weight", np.ones(dim, np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def run_inspect(binary, path, repeats=7):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([binary, "inspect", path], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/quantscope")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="quantscope-inspect-")
    big, small = os.path.join(tmp, "big.gguf"), os.path.join(tmp, "small.gguf")
    make(big, layers=10, dim=2048, ff=5632, vocab=32000)
    make(small, layers=1, dim=256, ff=512, vocab=32000)
    print(f"files: big {os.path.getsize(big) / 1e6:.0f} MB, small {os.path.getsize(small) / 1e6:.1f} MB")
    for label, path in (("small", small), ("big", big)):
        seconds = run_inspect(args.binary, path)
        print(f"quantscope inspect {label:5}: {seconds * 1000:7.1f} ms (median of 7)")
    for label, path in (("small", small), ("big", big)):
        # GNU time's %M is the peak resident set of that one process, in KiB.
        out = subprocess.run(["/usr/bin/time", "-f", "%M", args.binary, "inspect", "--json", path],
                             check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
        print(f"quantscope inspect --json {label:5}: peak RSS {int(out.strip().splitlines()[-1]) / 1024:.1f} MB")
    for label, path in (("small", small), ("big", big)):
        t = time.perf_counter()
        gguf.GGUFReader(path)
        print(f"gguf.GGUFReader     {label:5}: {(time.perf_counter() - t) * 1000:7.1f} ms")
    if not args.keep:
        for p in (big, small):
            os.remove(p)
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
