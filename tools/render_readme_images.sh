#!/usr/bin/env bash
# Render the README's screens (docs/images/*.svg) with `quantscope render`
# (docs/contract.md §14) from the bundled samples. Renders are reproducible
# (fixed timings), so rerunning this after a view changes shows the change
# in the diff.
#   tools/render_readme_images.sh                 # builds quantscope (debug) if needed
#   QUANTSCOPE=path/to/quantscope tools/render_readme_images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${QUANTSCOPE:-}
if [ -z "$bin" ]; then
  swift build --product quantscope 2>&1 | grep -E "error:|Compiling|Build complete" | tail -1
  bin="$(swift build --show-bin-path)/quantscope"
fi
out=docs/images
mkdir -p "$out"
size=100x30
render() {
  local name=$1; shift
  "$bin" render "$@" --size "$size" --out "$out/$name.svg"
  echo "$out/$name.svg"
}
key=encoder.layer.0.attention.self.key.weight
# The affine mapping with the numbers filled in, at the element with the largest |x|.
render mapping --tensor "$key" --view mapping --scheme int4-asym --granularity channel --cursor max
# One value's bits in FP8 E4M3, and in every other float format below.
render float-bits --tensor "$key" --view bits --scheme fp8-e4m3 --cursor max --bits-format fp8-e4m3
# Per-tensor vs per-channel vs per-group error on a weight with outlier input channels.
render error --tensor laplacian_outlier_channels --view error --scheme int4 --granularity channel
# Symmetric (A) against asymmetric (B) int8 on a skewed GELU activation.
render compare --tensor gelu_activation --view compare --scheme int8 --against int8-asym --log
# The tour's lesson on int4 and packing.
render tour-int4-packing --view tour:4
# Calibration: MSE against the clip, min-max / percentile / MSE-optimal marked.
render tour-calibration --view tour:7.2
# PTQ against QAT on the MLP trained here: loss curves and accuracies.
render tour-ptq-vs-qat --view tour:8.2
# RTN against GPTQ, AWQ and SmoothQuant on a real layer, GPTQ's columns detailed.
render methods --tensor encoder.layer.0.attention.self.query.weight --view methods --scheme int3 --granularity group:128
