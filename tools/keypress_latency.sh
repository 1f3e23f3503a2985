#!/usr/bin/env bash
# Keypress-to-frame time of the explorer on a 4096×4096 tensor, from its
# --trace log: toggles scheme, bits, symmetry and granularity in tmux and
# prints the median and maximum milliseconds from each key to the frame
# that shows its recomputed result.
#   tools/keypress_latency.sh [BINARY]   (default .build/release/quantscope)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/quantscope}
tmp=$(mktemp -d)
python3 - "$tmp/w.safetensors" <<'PY'
import sys, numpy as np
from safetensors.numpy import save_file
rng = np.random.default_rng(0)
save_file({"w": (rng.standard_normal((4096, 4096), dtype=np.float32) * 0.02)}, sys.argv[1])
PY
sock=latency-$$
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "env TERM=xterm-256color LANG=C.UTF-8 $bin $tmp/w.safetensors --trace $tmp/trace.jsonl"
sleep 3
for key in s S - - + a a a c c c c s c S + - 3 1 c c; do
  tmux -L "$sock" send-keys "$key"
  sleep 0.6
done
tmux -L "$sock" send-keys q
sleep 0.5
tmux -L "$sock" kill-server 2>/dev/null || true
python3 - "$tmp/trace.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ms = [r["ms_to_frame"] for r in rows if r["recomputed"]]
print(f"{len(ms)} recomputing keys: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")
for r in rows:
    if r["recomputed"]:
        print(f"  {r['key']:>18}  {r['ms_to_frame']:7.1f} ms  {r.get('detail', '')}")
PY
rm -rf "$tmp"
