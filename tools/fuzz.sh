#!/usr/bin/env bash
# Build the libFuzzer targets (Fuzz/Package.swift) and run each reader's,
# seeded from the samples, the test fixtures and the malformed corpus.
# Findings (crash-*, timeout-*, oom-*) land in fuzz-runs/.
#   tools/fuzz.sh 600                 # ten minutes per reader
#   JOBS=2 tools/fuzz.sh 600          # two readers at a time
#   FUZZ_RUNS=20000 tools/fuzz.sh     # a fixed, seeded number of inputs (CI); exits 1 on a finding
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${JOBS:-1}
runs=${FUZZ_RUNS:-}
swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  --scratch-path .build-fuzz 2>&1 | tail -1
bin=.build-fuzz/release
mkdir -p fuzz-runs
run() {
  local target=$1 ext=$2
  local seeds=fuzz-runs/$target-seeds corpus=fuzz-runs/$target-corpus
  mkdir -p "$seeds" "$corpus"
  find samples/ Tests -name "*.$ext" -size -2M -exec cp {} "$seeds/" \; 2>/dev/null || true
  local limit=(-max_total_time="$seconds")
  [ -n "$runs" ] && limit=(-runs="$runs" -seed=1)
  (cd fuzz-runs && SWIFT_BACKTRACE=enable=no "../$bin/$target" "${limit[@]}" -max_len=262144 -rss_limit_mb=2048 \
      -timeout=10 -print_final_stats=1 "$target-corpus" "$target-seeds" > "$target.log" 2>&1) || true
  local execs
  execs=$(grep -E "stat::number_of_executed_units" "fuzz-runs/$target.log" | awk '{print $2}' | tail -1)
  echo "$target: ${execs:-?} executions$([ -z "$runs" ] && echo " in ${seconds}s") (log fuzz-runs/$target.log)"
}
targets=("FuzzSafetensors safetensors" "FuzzGGUF gguf" "FuzzNPY npy" "FuzzNPZ npz")
if [ "$jobs" -gt 1 ]; then
  for t in "${targets[@]}"; do run $t & while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do sleep 1; done; done; wait
else
  for t in "${targets[@]}"; do run $t; done
fi
findings=$(ls fuzz-runs | grep -E "^(crash|timeout|oom|leak)-" || true)
if [ -n "$findings" ]; then
  echo "findings:"; echo "$findings"
  exit 1
fi
echo "no findings"
