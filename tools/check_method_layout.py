#!/usr/bin/env python3
"""Checks a `quantscope quantize --layout gptq|awq` file with numpy alone,
unpacking it the way AutoGPTQ (qlinear dequantization, original format:
zeros stored minus one) and AutoAWQ (`packing_utils.dequantize_gemm`: nibble
order 0 2 4 6 1 3 5 7, zeros as they are) do, and compares the weight it
decodes with the `dequantized` tensor of a `quantize --method` file of the
same method, scheme and activations (docs/contract.md §7).

    check_method_layout.py LAYOUT.safetensors PLAIN.safetensors

Prints the largest difference and exits 1 when it is not 0.
"""
import sys

import numpy as np
from safetensors.numpy import load_file


def unpack(words: np.ndarray, bits: int, axis: int, order=None) -> np.ndarray:
    """Each int32 word → 32/bits codes from the low bits up, laid out along `axis`."""
    per = 32 // bits
    u = words.astype(np.uint32)
    shifts = np.arange(per, dtype=np.uint32) * bits
    codes = (u[..., None] >> shifts) & ((1 << bits) - 1)  # [..., per]
    if order is not None:
        # nibble p holds offset order[p]: put it back at its offset.
        codes = codes[..., np.argsort(order)]
    if axis == 0:
        r, c = words.shape
        return codes.transpose(0, 2, 1).reshape(r * per, c).astype(np.int64)
    r, c = words.shape
    return codes.reshape(r, c * per).astype(np.int64)


def gptq(t: dict, module: str) -> np.ndarray:
    qweight, qzeros, scales, g_idx = (t[module + s] for s in (".qweight", ".qzeros", ".scales", ".g_idx"))
    k, n = g_idx.shape[0], scales.shape[1]
    bits = qweight.shape[0] * 32 // k
    q = unpack(qweight, bits, axis=0)[:k]          # [in, out]
    z = unpack(qzeros, bits, axis=1)[:, :n] + 1    # [groups, out], stored minus one
    s = scales.astype(np.float32)
    w = s[g_idx] * (q - z[g_idx]).astype(np.float32)  # [in, out]
    return w.T


def awq(t: dict, module: str) -> np.ndarray:
    qweight, qzeros, scales = (t[module + s] for s in (".qweight", ".qzeros", ".scales"))
    order = [0, 2, 4, 6, 1, 3, 5, 7]
    q = unpack(qweight, 4, axis=1, order=order)    # [in, out]
    z = unpack(qzeros, 4, axis=1, order=order)     # [groups, out]
    k, groups = q.shape[0], scales.shape[0]
    g = np.arange(k) // (k // groups)
    w = scales.astype(np.float32)[g] * (q - z[g]).astype(np.float32)
    return w.T


def main() -> int:
    layout_path, plain_path = sys.argv[1:3]
    t = load_file(layout_path)
    plain = load_file(plain_path)["dequantized"]
    module = next(name[: -len(".qweight")] for name in t if name.endswith(".qweight"))
    w = gptq(t, module) if module + ".g_idx" in t else awq(t, module)
    if module + ".input_scales" in t:
        w = w / t[module + ".input_scales"][None, :]
    diff = float(np.max(np.abs(w - plain)))
    print(f"{layout_path}: {'gptq' if module + '.g_idx' in t else 'awq'} {list(w.shape)}, max |decoded − dequantized| = {diff}")
    return 0 if diff == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
