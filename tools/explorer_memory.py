#!/usr/bin/env python3
"""Peak resident memory of the explorer opening a large tensor, and of the
engine quantizing one at every granularity.

Writes, in a temporary folder (never the repository):
  * a GGUF holding one 262144×640 Q8_0 tensor (`token_embd.weight`, the size
    of a Gemma-3 270M embedding), and one of 65536×2560 Q4_K (as many
    elements: a Q4_K row must hold whole 256-value blocks, and 640 does not),
    written with gguf-py's GGUFWriter. The blocks are random bytes with finite
    fp16 scales: memory does not depend on the values, and a faithful K-quant
    of 168M values takes minutes in the numpy port (tools/make_samples.py);
  * a 4096×4096 float32 safetensors.
Then runs, each under /usr/bin/time -v (Maximum resident set size):
  * the explorer in tmux at 200×50 on each file, waiting for the first
    complete frame (its --trace line for the Enter), with the Mapping view on
    screen, cycling granularity (`c`) through tensor, channel and group:128
    on the 4096² file, and down to group:32 on the large ones;
  * `quantscope stats` on the 4096² tensor at tensor, channel:0, group:128,
    group:8 and group:1 (the per-element extreme the explorer's keys do not
    reach, refused: its per-group bookkeeping alone would pass the budget).
Prints each peak (MiB) next to the budget: 1.5 GB (1.5e9 bytes) for the
262144×640 open, and 2.5 × the tensor's float32 size + 100 MiB for everything else.

    tools/explorer_memory.py [BINARY]     (default .build/release/quantscope)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / ".build/release/quantscope").resolve()
MB = 1 << 20


def write_gguf(path: Path, rows: int, columns: int, kind: str) -> None:
    """One `token_embd.weight` of random blocks with finite fp16 scales:
    Q4_K (rows of a multiple of 256) or Q8_0 (of 32)."""
    import gguf
    rng = np.random.default_rng(0)
    if kind == "Q4_K":
        block, size, qtype, scale_bytes = 256, 144, gguf.GGMLQuantizationType.Q4_K, 4   # d, dmin, 12 scales, 128 qs
    else:
        block, size, qtype, scale_bytes = 32, 34, gguf.GGMLQuantizationType.Q8_0, 2     # d, 32 qs
    blocks = rows * columns // block
    raw = rng.integers(0, 256, size=(blocks, size), dtype=np.uint8)
    raw[:, 0:scale_bytes] = np.full((blocks, scale_bytes // 2), np.float16(0.001)).view(np.uint8).reshape(blocks, scale_bytes)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_tensor("token_embd.weight", raw.reshape(rows, columns // block * size),
                      raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def write_safetensors(path: Path, side: int) -> None:
    from safetensors.numpy import save_file
    rng = np.random.default_rng(0)
    save_file({"model.layers.0.mlp.down_proj.weight": rng.standard_normal((side, side), dtype=np.float32) * 0.02}, str(path))


def peak_mb(time_output: str) -> float:
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_output)
    return int(m.group(1)) / 1024 if m else float("nan")


def explore(path: Path, keys: list[str], tmp: Path) -> tuple[float, float | None]:
    """Peak RSS (MB) of the explorer opening `path`, then the keys; and the
    milliseconds from the Enter to its first complete frame."""
    trace, timing, sock = tmp / "trace.jsonl", tmp / "time.txt", f"mem-{os.getpid()}"
    for f in (trace, timing):
        f.unlink(missing_ok=True)
    command = (f"env TERM=xterm-256color LANG=C.UTF-8 SWIFT_BACKTRACE=enable=no /usr/bin/time -v -o {timing} "
               f"{BIN} {path} --trace {trace}")
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", command], check=True)
    try:
        opened = None
        for _ in range(1200):
            if trace.exists() and trace.stat().st_size > 0:
                first = json.loads(trace.read_text().splitlines()[0])
                opened = first["ms_to_frame"] if first["key"] == "enter" else None
                break
            time.sleep(0.1)
        subprocess.run(["tmux", "-L", sock, "send-keys", "2"], check=True)
        time.sleep(1)
        for key in keys:
            if key.startswith("wait:"):  # let background work (the Matmul view's kernels) finish
                time.sleep(float(key[5:]))
                continue
            subprocess.run(["tmux", "-L", sock, "send-keys", key], check=True)
            waited = 0
            while waited < 600:  # until this key's frame is traced
                time.sleep(0.1)
                waited += 1
                lines = trace.read_text().splitlines()
                if lines and json.loads(lines[-1])["key"] != "enter" and len(lines) >= 1 + [k for k in keys if not k.startswith("wait:")].index(key) + 1:
                    break
        subprocess.run(["tmux", "-L", sock, "send-keys", "q"], check=True)
        for _ in range(300):
            if timing.exists() and "Maximum resident" in timing.read_text():
                break
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
    return peak_mb(timing.read_text()), opened


def stats(path: Path, granularity: str) -> float:
    result = subprocess.run(["/usr/bin/time", "-v", str(BIN), "stats", str(path), "--scheme", "int8",
                             "--granularity", granularity], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"  (--granularity {granularity}: exit {result.returncode}: {result.stderr.splitlines()[0] if result.stderr else ''})")
    return peak_mb(result.stderr)


def report(label: str, peak: float, f32_bytes: int, budget: float | None = None) -> None:
    budget = budget if budget is not None else 2.5 * f32_bytes / MB + 100
    verdict = "ok" if peak < budget else "OVER"
    print(f"  {label:<54} peak {peak:7.0f} MB   budget {budget:6.0f} MB   {verdict}")


def main() -> None:
    if not BIN.exists():
        sys.exit(f"{BIN}: not built (swift build -c release --product quantscope)")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        st_path = tmp / "w4096.safetensors"
        write_safetensors(st_path, 4096)
        embedding, layer = 262144 * 640 * 4, 4096 * 4096 * 4
        # Q4_K rows must hold whole 256-value blocks, which 640 does not: the
        # Q4_K file has the same 167.8M elements as 65536×2560.
        for kind, rows, columns in [("Q8_0", 262144, 640), ("Q4_K", 65536, 2560)]:
            path = tmp / f"embedding-{kind}.gguf"
            write_gguf(path, rows, columns, kind)
            print(f"{rows}×{columns} {kind} (float32 {embedding / MB:.0f} MB), explorer at 200×50:")
            peak, opened = explore(path, [], tmp)
            report("open (Enter → first frame" + (f" {opened:.0f} ms)" if opened else ")"), peak, embedding, budget=1500e6 / MB)
            peak, _ = explore(path, ["c", "c", "a", "<", "<"], tmp)
            report("then channel:0, group:128, asym, group:64, group:32", peak, embedding)
            peak, _ = explore(path, ["6", "wait:60"], tmp)
            report("then the Matmul view (every kernel on the layer)", peak, embedding)
            path.unlink()
        print(f"4096×4096 float32 ({layer / MB:.0f} MB), explorer at 200×50:")
        peak, opened = explore(st_path, ["c", "c", "c", "3"], tmp)
        report("tensor, channel, group:128, block, Error view", peak, layer)
        print("4096×4096 float32, quantscope stats --scheme int8:")
        for granularity in ["tensor", "channel:0", "group:128", "group:8", "group:1"]:
            report(f"--granularity {granularity}", stats(st_path, granularity), layer)


if __name__ == "__main__":
    main()
