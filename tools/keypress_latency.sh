#!/usr/bin/env bash
# Keypress-to-frame time of the explorer on a 4096×4096 float32 tensor at
# 200×50 with the Mapping view on screen (view 2, Histogram beside it),
# from its --trace log: cycles scheme, symmetry and granularity in tmux and
# prints the median and worst milliseconds from each key to the first
# complete frame after it, and the Enter that opened the tensor.
# A benchmark, not a test: the figures depend on the machine.
#   tools/keypress_latency.sh [BINARY] [PAUSE_SECONDS]
#   (default .build/release/quantscope, 0.5 s between keys)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/quantscope}
pause=${2:-0.5}
[ -x "$bin" ] || { echo "$bin: not built (swift build -c release --product quantscope)" >&2; exit 1; }
tmp=$(mktemp -d)
sock=latency-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
python3 - "$tmp/w.safetensors" <<'PY'
import sys, numpy as np
from safetensors.numpy import save_file
rng = np.random.default_rng(0)
save_file({"model.layers.0.mlp.down_proj.weight": (rng.standard_normal((4096, 4096), dtype=np.float32) * 0.02)}, sys.argv[1])
PY
tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 50 \
  "env TERM=xterm-256color LANG=C.UTF-8 SWIFT_BACKTRACE=enable=no $bin $tmp/w.safetensors --trace $tmp/trace.jsonl"
# Wait for the first tensor's analysis, then show the Mapping view.
for _ in $(seq 100); do
  [ -s "$tmp/trace.jsonl" ] && break
  sleep 0.1
done
tmux -L "$sock" send-keys 2
sleep 1
# Granularity (c), symmetry (a) and scheme (s/S), int and float schemes, the
# cursor moving between them; each recomputes a 4096×4096 tensor.
for key in c c c c a a a c a s s S S c c c c a s c S a c c l l c j a c; do
  tmux -L "$sock" send-keys "$key"
  sleep "$pause"
done
tmux -L "$sock" capture-pane -p > "$tmp/screen.txt"
tmux -L "$sock" send-keys q
sleep 0.5
grep -q "Mapping" "$tmp/screen.txt" || { echo "the Mapping view was not on screen:" >&2; cat "$tmp/screen.txt" >&2; exit 1; }
python3 - "$tmp/trace.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
opened = [r for r in rows if r["key"] == "enter" and r["recomputed"]]
keys = [r for r in rows if r["recomputed"] and r["key"] != "enter"]
ms = [r["ms_to_frame"] for r in keys]
if opened:
    print(f"open (Enter → first complete frame): {opened[0]['ms_to_frame']:.1f} ms  {opened[0].get('detail', '')}")
print(f"{len(ms)} recomputing keys at 200×50 with the Mapping view: median {statistics.median(ms):.1f} ms, "
      f"worst {max(ms):.1f} ms")
others = [r["ms_to_frame"] for r in rows if not r["recomputed"]]
if others:
    print(f"{len(others)} keys without a recompute: median {statistics.median(others):.1f} ms, worst {max(others):.1f} ms")
for r in keys:
    print(f"  {r['key']:>18}  {r['ms_to_frame']:7.1f} ms  {r.get('detail', '')}")
PY
