#!/usr/bin/env python3
"""
make_reader_fixtures.py — reference checkpoints for quantscope's safetensors and
GGUF readers (`Checkpoint.open`), written by the real libraries.

Every file is written by the library that defines the format
(`safetensors.numpy.save_file`, `gguf.GGUFWriter`), and every expected number
comes from that library's own reader or decoder (the safetensors header the
library wrote and `safe_open(...).offset_keys()`; `gguf.GGUFReader` fields and
tensor infos; `ml_dtypes` / numpy `astype(np.float32)`;
`gguf.quants.dequantize`) — never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/readers/ (relative to the repository root)

    all_dtypes.safetensors      one small tensor of every safetensors dtype the
                                engine reads (F64 F32 F16 BF16 F8_E4M3 F8_E5M2
                                F8_E8M0 I64 I32 I16 I8 U64 U32 U16 U8 BOOL), a
                                rank-0 and an empty tensor, and three
                                `__metadata__` keys
    sharded/                    a model saved the way transformers saves one:
                                model-0000k-of-00003.safetensors and
                                model.safetensors.index.json
    all_types.gguf              GGUF v3: metadata of every value type (nested
                                arrays too) and tensors F32 F16 BF16 F64 I8 I16
                                I32 I64 Q4_0 Q4_1 Q5_0 Q5_1 Q8_0, ranks 1 to 4
    all_types_v2.gguf           the same bytes with the version field set to 2
    aligned64.gguf              general.alignment = 64, tensors of odd sizes
    expected/<file>.<tensor>.f32  decoded values: little-endian float32, row-major
    samples_gguf/<tensor>.head.f32  the first 1024 decoded values of each tensor of
                                samples/minilm-l6-layer0.gguf
    manifest.json               everything a test compares (see README.md)
    README.md                   this summary, with library versions

Deterministic: all data comes from numpy Generators seeded with SEED, and the
one nondeterminism of the libraries is removed: safetensors writes
`__metadata__` keys in hash-map order, which changes from run to run.  The
sharded model has one metadata key (`format`, as transformers writes), so its
order cannot vary; `all_dtypes.safetensors` has three keys, and the script
calls `save_file` again until the library happens to write them in sorted
order (probability 1/6 per call), so the bytes are still the library's own and
two runs give byte-identical files.

Usage:  python3 tools/make_reader_fixtures.py [--out DIR]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import shutil
import struct
from pathlib import Path

import ml_dtypes
import numpy as np
import gguf
import gguf.quants as gq
from gguf import GGMLQuantizationType as QT
from gguf import GGUFValueType as VT
import safetensors
import safetensors.numpy as stnp

SEED = 20250117
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "readers"
SAMPLES = REPO_ROOT / "samples"
F32 = np.float32
SAMPLE_HEAD = 1024


def rng(section: int) -> np.random.Generator:
    return np.random.default_rng([SEED, section])


def write_json(path: Path, obj) -> None:
    # allow_nan=False: non-finite numbers never go into a manifest.
    path.write_text(json.dumps(obj, indent=1, allow_nan=False, ensure_ascii=False) + "\n", encoding="utf-8")


def write_f32(path: Path, values: np.ndarray) -> str:
    a = np.asarray(values)
    assert a.dtype == F32, (path, a.dtype)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(np.ascontiguousarray(a).astype("<f4").tobytes(order="C"))
    return path.name


def fnv1a64(data: bytes) -> str:
    """FNV-1a, 64-bit, as 16 hex digits (the test recomputes it in Swift)."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


# ---------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------

def float_values(dtype, count: int, r: np.random.Generator, extra=()) -> np.ndarray:
    """`count` values of a float dtype: specials first (both zeros, ±1, ±max,
    smallest normal and subnormal, ±inf, NaNs), then N(0, 3²)."""
    info = ml_dtypes.finfo(dtype) if dtype == ml_dtypes.bfloat16 else np.finfo(dtype)
    specials = [0.0, -0.0, 1.0, -1.0, float(info.max), -float(info.max), float(info.tiny),
                float(info.smallest_subnormal), -float(info.smallest_subnormal), np.inf, -np.inf, np.nan,
                -np.nan, *extra]
    rest = r.standard_normal(count - len(specials)) * 3
    return np.array(specials + list(rest), dtype=np.float64).astype(dtype)


def int_values(dtype, count: int, r: np.random.Generator) -> np.ndarray:
    """`count` values of an integer dtype: extremes and float32 rounding
    cases first, then uniform over the whole range."""
    info = np.iinfo(dtype)
    specials = [0, 1, int(info.max), int(info.min), int(info.max) - 1]
    if info.min < 0:
        specials += [-1, int(info.min) + 1]
    if info.bits >= 32:
        specials += [2 ** 24 + 1, 2 ** 24 + 3]  # float32 rounds these (ties to even)
    if info.bits == 64:
        specials += [2 ** 53 + 1, 2 ** 63 - 2 ** 39 - 1, 2 ** 63 - 2 ** 39]
    rest = r.integers(info.min, info.max, size=count - len(specials), dtype=dtype, endpoint=True)
    return np.array(specials + [int(v) for v in rest], dtype=dtype)


def all_codes(dtype) -> np.ndarray:
    """Every one of the 256 bit patterns of an 8-bit float type, as a 16×16 tensor."""
    return np.arange(256, dtype=np.uint8).view(dtype).reshape(16, 16)


# ---------------------------------------------------------------------------
# safetensors
# ---------------------------------------------------------------------------

def safetensors_header(path: Path) -> tuple[int, dict]:
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return n, json.loads(raw[8:8 + n].decode("utf-8"))


def describe_safetensors(path: Path, out: Path, expected_prefix: str, arrays: dict) -> list:
    """The tensors of a file safetensors wrote, in the library's offset order,
    with absolute offsets; checks each span holds exactly the bytes the
    library reads back, and writes each tensor's float32 values."""
    header_len, header = safetensors_header(path)
    raw = path.read_bytes()
    # safetensors.deserialize gives each tensor's dtype, shape and bytes for
    # every dtype (safetensors.numpy.load_file cannot build BF16/F8 arrays).
    loaded = dict(safetensors.deserialize(raw))
    with safetensors.safe_open(path, "np") as f:
        order = f.offset_keys()
    tensors = []
    for name in order:
        h = header[name]
        begin, end = h["data_offsets"]
        offset = 8 + header_len + begin
        back = loaded[name]
        assert raw[offset:8 + header_len + end] == bytes(back["data"]), name
        assert back["shape"] == h["shape"] and back["dtype"] == h["dtype"], name
        src = arrays[name]
        assert list(src.shape) == h["shape"] and bytes(back["data"]) == src.tobytes(), name
        with np.errstate(over="ignore"):  # F64 1e300 -> inf is one of the cases
            values = src.astype(F32)
        tensors.append({
            "name": name, "dtype": h["dtype"], "shape": h["shape"], "data_offsets": [begin, end],
            "offset": offset, "bytes": end - begin,
            "expected": write_f32(out / "expected" / f"{expected_prefix}.{name}.f32", values),
        })
    return tensors


def make_all_dtypes(out: Path) -> dict:
    r = rng(1)
    arrays = {
        "f64": float_values(np.float64, 20, r, extra=(1e300, 1e-320, 3.0e-45, 1.0 + 2.0 ** -24, 65504.0)).reshape(4, 5),
        "f32": float_values(np.float32, 24, r, extra=(1.0 + 2.0 ** -23,)).reshape(2, 3, 4),
        "f16": float_values(np.float16, 24, r, extra=(65504.0, 6.1e-5)).reshape(4, 6),
        "bf16": float_values(ml_dtypes.bfloat16, 24, r, extra=(3.0e38, 1.0e-40)).reshape(6, 4),
        "f8_e4m3": all_codes(ml_dtypes.float8_e4m3fn),
        "f8_e5m2": all_codes(ml_dtypes.float8_e5m2),
        "f8_e8m0": all_codes(ml_dtypes.float8_e8m0fnu),
        "i64": int_values(np.int64, 16, r).reshape(4, 4),
        "i32": int_values(np.int32, 15, r).reshape(3, 5),
        "i16": int_values(np.int16, 15, r).reshape(5, 3),
        "i8": int_values(np.int8, 15, r).reshape(15),
        "u64": int_values(np.uint64, 16, r).reshape(2, 8),
        "u32": int_values(np.uint32, 15, r).reshape(3, 5),
        "u16": int_values(np.uint16, 15, r).reshape(3, 5),
        "u8": int_values(np.uint8, 15, r).reshape(1, 15),
        "bool": r.integers(0, 2, size=(3, 7)).astype(bool),
        "scalar": np.array(-1.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    metadata = {"format": "np", "note": "µ-law ✓ reader fixture", "producer": "tools/make_reader_fixtures.py"}
    path = out / "all_dtypes.safetensors"
    # safetensors writes __metadata__ in hash-map order; write until it is sorted.
    for attempt in range(1, 1001):
        stnp.save_file(arrays, path, metadata=metadata)
        _, header = safetensors_header(path)
        if list(header["__metadata__"]) == sorted(metadata):
            break
    else:
        raise RuntimeError("safetensors never wrote __metadata__ in sorted order")
    header_len, header = safetensors_header(path)
    assert list(header)[0] == "__metadata__"
    with safetensors.safe_open(path, "np") as f:
        assert f.metadata() == metadata
    return {
        "file": path.name,
        "header_length": header_len,
        "metadata": [[k, v] for k, v in header["__metadata__"].items()],
        "tensors": describe_safetensors(path, out, "all_dtypes", arrays),
    }


def make_sharded(out: Path) -> dict:
    """A small model saved the way transformers' `save_pretrained` saves one:
    shards named model-0000k-of-0000n.safetensors, each with metadata
    {"format": "pt"}, and an index {"metadata": {"total_size": N},
    "weight_map": {...}} dumped with indent=2, sort_keys=True."""
    r = rng(2)
    folder = out / "sharded"
    folder.mkdir(parents=True)

    def w(shape, dtype=np.float32):
        return (r.standard_normal(shape) * 0.02).astype(dtype)

    shards = [
        {"model.embed_tokens.weight": w((32, 16)),
         "model.layers.0.input_layernorm.weight": np.ones(16, dtype=np.float32)},
        {"model.layers.0.self_attn.q_proj.weight": w((16, 16), ml_dtypes.bfloat16),
         "model.layers.0.self_attn.k_proj.weight": w((8, 16), ml_dtypes.bfloat16),
         "model.layers.0.self_attn.v_proj.weight": w((8, 16), np.float16),
         "model.layers.0.self_attn.o_proj.weight": w((16, 16), np.float16)},
        {"model.layers.0.mlp.down_proj.weight": w((16, 24)),
         "model.norm.weight": np.ones(16, dtype=np.float32),
         "lm_head.weight": w((32, 16))},
    ]
    total = len(shards)
    weight_map: dict = {}
    total_size = 0
    tensors = []
    names = []
    for k, arrays in enumerate(shards, start=1):
        name = f"model-{k:05d}-of-{total:05d}.safetensors"
        names.append(name)
        path = folder / name
        stnp.save_file(arrays, path, metadata={"format": "pt"})
        for t in describe_safetensors(path, out, f"sharded.{name[:-len('.safetensors')]}", arrays):
            t["shard"] = name
            tensors.append(t)
        for tensor_name, a in arrays.items():
            weight_map[tensor_name] = name
            total_size += a.nbytes
    index = {"metadata": {"total_size": total_size}, "weight_map": weight_map}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
    return {
        "folder": "sharded",
        "index": "sharded/model.safetensors.index.json",
        "shards": names,
        "total_size": total_size,
        "metadata": [["total_size", total_size], ["format", "pt"]],
        "tensors": tensors,
    }


# ---------------------------------------------------------------------------
# GGUF
# ---------------------------------------------------------------------------

def exact(v) -> str:
    """A number as exact decimal text: ints in full, floats as the repr of
    the (float32 or float64) value widened to a Python float."""
    if isinstance(v, (bool, np.bool_)):
        raise TypeError("bool is not a number")
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def walk(parts, i: int, vtype: VT):
    """One value of type `vtype` from gguf-py's field parts starting at i;
    returns (value, next i). gguf-py's `contents()` flattens nested arrays,
    so the structure is rebuilt from the parts the reader parsed."""
    if vtype == VT.STRING:
        return bytes(parts[i + 1]).decode("utf-8"), i + 2
    if vtype == VT.ARRAY:
        sub = VT(int(parts[i][0]))
        count = int(parts[i + 1][0])
        i += 2
        items = []
        for _ in range(count):
            v, i = walk(parts, i, sub)
            items.append(v)
        return items, i
    return parts[i][0].item(), i + 1


def encode(value, types: list[VT]):
    """The manifest spelling of a metadata value: numbers as exact text (see
    README), strings and bools as themselves, arrays element by element."""
    t = types[0]
    if t == VT.ARRAY:
        return [encode(v, types[1:]) for v in value]
    if t == VT.STRING:
        return value
    if t == VT.BOOL:
        return bool(value)
    return exact(value)


def flatten(v):
    return [x for item in v for x in flatten(item)] if isinstance(v, list) else [v]


def gguf_metadata(reader: gguf.GGUFReader) -> list:
    entries = []
    for key, field in reader.fields.items():
        if key.startswith("GGUF."):  # gguf-py's pseudo-keys: one part, the value
            value = field.parts[0][0].item()
        else:
            value, end = walk(field.parts, 3, field.types[0])
            assert end == len(field.parts), key
        contents = field.contents()
        assert (flatten(value) if isinstance(value, list) else value) == contents, (key, value, contents)
        entries.append({"key": key, "types": [t.name for t in field.types], "value": encode(value, field.types)})
    entries.append({"key": "GGUF.data_offset", "types": ["UINT64"], "value": exact(reader.data_offset)})
    return entries


def gguf_tensors(path: Path, out: Path, expected_prefix: str | None) -> list:
    reader = gguf.GGUFReader(path)
    raw = path.read_bytes()
    tensors = []
    for t in reader.tensors:
        ne = [int(d) for d in t.shape]
        assert t.data_offset == reader.data_offset + int(t.field.parts[-1][0]), t.name
        assert raw[t.data_offset:t.data_offset + t.n_bytes] == t.data.tobytes(), t.name
        if t.tensor_type in (QT.F64, QT.I8, QT.I16, QT.I32, QT.I64):
            with np.errstate(over="ignore"):  # F64 1e300 -> inf is one of the cases
                values = t.data.astype(F32)  # gguf.quants.dequantize has no path for these
        else:
            values = gq.dequantize(t.data, t.tensor_type).astype(F32, copy=False)
        values = values.reshape(list(reversed(ne)))
        entry = {
            "name": t.name, "type": t.tensor_type.name, "shape": list(reversed(ne)), "ne": ne,
            "offset": int(t.data_offset), "bytes": int(t.n_bytes),
        }
        if expected_prefix is not None:
            entry["expected"] = write_f32(out / "expected" / f"{expected_prefix}.{t.name}.f32", values)
        entry["values"] = values
        tensors.append(entry)
    return tensors


def block_data(rows: int, cols: int, r: np.random.Generator) -> np.ndarray:
    """Float32 [rows, cols] for block quantizers: an all-zero block, a block
    with one outlier, a constant block, a negative-only block, then N(0, 1)."""
    x = r.standard_normal((rows, cols)).astype(F32)
    x[0, :32] = 0
    if cols >= 64:
        x[0, 32:64] = r.standard_normal(32) * 0.01
        x[0, 40] = 25.0
    if rows > 1:
        x[1, :32] = 0.75
        x[1, -32:] = -np.abs(x[1, -32:]) - 0.5
    return x


def gguf_add_metadata(w: gguf.GGUFWriter) -> None:
    w.add_uint8("test.uint8", 255)
    w.add_int8("test.int8", -128)
    w.add_uint16("test.uint16", 65535)
    w.add_int16("test.int16", -32768)
    w.add_uint32("test.uint32", 4294967295)
    w.add_int32("test.int32", -2147483648)
    w.add_float32("test.float32", 0.1)
    w.add_float32("test.float32_subnormal", float(np.finfo(F32).smallest_subnormal))
    w.add_float32("test.float32_negative_zero", -0.0)
    w.add_bool("test.bool_true", True)
    w.add_bool("test.bool_false", False)
    w.add_string("test.string", "héllo, wörld ✓")
    w.add_key_value("test.string_empty", "", VT.STRING)  # add_string silently drops ""
    w.add_array("test.array_int32", [1, -2, 3, 2147483647])
    w.add_key_value("test.array_uint8", [0, 7, 255], VT.ARRAY, sub_type=VT.UINT8)
    w.add_key_value("test.array_int16", [-32768, 0, 32767], VT.ARRAY, sub_type=VT.INT16)
    w.add_key_value("test.array_float32", [0.5, -0.0, float(np.finfo(F32).max), 1.0e-3], VT.ARRAY, sub_type=VT.FLOAT32)
    w.add_key_value("test.array_float64", [np.pi, -1.0e-300], VT.ARRAY, sub_type=VT.FLOAT64)
    w.add_key_value("test.array_bool", [True, False, True], VT.ARRAY, sub_type=VT.BOOL)
    w.add_array("test.array_string", ["alpha", "", "γ ✓"])
    w.add_key_value("test.array_uint64", [0, 2 ** 53 + 1, 2 ** 64 - 1], VT.ARRAY, sub_type=VT.UINT64)
    w.add_uint64("test.uint64", 2 ** 64 - 1)
    w.add_uint64("test.uint64_2p53_plus_1", 2 ** 53 + 1)
    w.add_int64("test.int64", -(2 ** 63))
    w.add_float64("test.float64", 1.0e-300)
    w.add_key_value("test.nested_int32", [[1, 2], [3, 4, 5], [6]], VT.ARRAY)
    w.add_key_value("test.nested_string", [["x"], ["y", "zz"]], VT.ARRAY)


def write_gguf(path: Path, tensors: dict, alignment: int | None, metadata: bool) -> None:
    w = gguf.GGUFWriter(path, "quantscope-test")
    if alignment is not None:
        w.add_custom_alignment(alignment)
    if metadata:
        gguf_add_metadata(w)
    for name, (data, raw_type) in tensors.items():
        w.add_tensor(name, data, raw_dtype=raw_type)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def all_types_tensors() -> dict:
    r = rng(3)
    t: dict = {}
    t["f32"] = (float_values(np.float32, 32, r).reshape(4, 8), None)
    t["f32_1d"] = (r.standard_normal(7).astype(F32), None)
    t["f32_3d"] = (r.standard_normal((2, 3, 4)).astype(F32), None)
    t["f16"] = (float_values(np.float16, 32, r).reshape(4, 8), None)
    t["f16_4d"] = (r.standard_normal((2, 1, 3, 2)).astype(np.float16), None)
    bf16_src = float_values(np.float32, 32, r, extra=(3.0e38, 1.0e-40)).reshape(2, 16)
    t["bf16"] = (gq.quantize(bf16_src, QT.BF16), QT.BF16)
    t["f64"] = (float_values(np.float64, 20, r, extra=(1e300, 1e-320)).reshape(4, 5), None)
    t["i8"] = (int_values(np.int8, 12, r).reshape(3, 4), None)
    t["i16"] = (int_values(np.int16, 12, r).reshape(4, 3), None)
    t["i32"] = (int_values(np.int32, 12, r).reshape(2, 6), None)
    t["i64"] = (int_values(np.int64, 12, r).reshape(12), None)
    for name in ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0"]:
        qt = QT[name]
        t[name.lower()] = (gq.quantize(block_data(3, 64, r), qt), qt)
    t["q8_0_3d"] = (gq.quantize(block_data(6, 64, r).reshape(2, 3, 64), QT.Q8_0), QT.Q8_0)
    t["q4_0_1d"] = (gq.quantize(block_data(1, 96, r).reshape(96), QT.Q4_0), QT.Q4_0)
    return t


def aligned_tensors() -> dict:
    r = rng(4)
    return {
        "a.f32": (r.standard_normal(3).astype(F32), None),
        "b.q8_0": (gq.quantize(block_data(1, 32, r), QT.Q8_0), QT.Q8_0),
        "c.f16": (r.standard_normal(5).astype(np.float16), None),
        "d.i8": (int_values(np.int8, 7, r), None),
        "e.q4_1": (gq.quantize(block_data(2, 32, r), QT.Q4_1), QT.Q4_1),
    }


def describe_gguf(path: Path, out: Path, expected_prefix: str | None) -> dict:
    reader = gguf.GGUFReader(path)
    tensors = gguf_tensors(path, out, expected_prefix)
    for t in tensors:
        del t["values"]
    alignment = reader.alignment
    return {
        "file": path.name,
        "version": int(reader.fields["GGUF.version"].parts[0][0]),
        "alignment": int(alignment),
        "data_offset": int(reader.data_offset),
        "metadata": gguf_metadata(reader),
        "tensors": tensors,
    }


def make_gguf(out: Path) -> list:
    files = []
    path = out / "all_types.gguf"
    write_gguf(path, all_types_tensors(), alignment=None, metadata=True)
    files.append(describe_gguf(path, out, "all_types"))

    # v2 and v3 share the little-endian layout: patch the version field only.
    raw = bytearray(path.read_bytes())
    assert struct.unpack_from("<I", raw, 4)[0] == 3
    struct.pack_into("<I", raw, 4, 2)
    v2 = out / "all_types_v2.gguf"
    v2.write_bytes(bytes(raw))
    described = describe_gguf(v2, out, None)
    assert described["version"] == 2
    for a, b in zip(described["tensors"], files[0]["tensors"]):
        b2 = dict(b)
        b2.pop("expected")
        assert a == b2, (a, b2)
    for t, same in zip(described["tensors"], files[0]["tensors"]):
        t["expected"] = same["expected"]
    files.append(described)

    path = out / "aligned64.gguf"
    write_gguf(path, aligned_tensors(), alignment=64, metadata=False)
    described = describe_gguf(path, out, "aligned64")
    assert described["alignment"] == 64 and described["data_offset"] % 64 == 0
    assert all(t["offset"] % 64 == 0 for t in described["tensors"])
    files.append(described)
    return files


# ---------------------------------------------------------------------------
# bundled samples
# ---------------------------------------------------------------------------

def value_digest(values: np.ndarray) -> dict:
    """What the test compares for a big tensor: FNV-1a-64 of all float32
    bytes, of each row (last axis), the float64 sum, and the first values."""
    v = np.ascontiguousarray(values, dtype="<f4")
    rows = v.reshape(-1, v.shape[-1]) if v.ndim > 1 else v.reshape(1, -1)
    return {
        "fnv1a64": fnv1a64(v.tobytes()),
        "row_fnv1a64": [fnv1a64(row.tobytes()) for row in rows] if v.ndim > 1 else [],
        "sum": exact(float(np.sum(v.astype(np.float64)))),
    }


def make_samples(out: Path) -> dict:
    gguf_path = SAMPLES / "minilm-l6-layer0.gguf"
    st_path = SAMPLES / "minilm-l6-layer0.safetensors"
    folder = out / "samples_gguf"
    folder.mkdir(parents=True)
    gguf_entries = []
    for t in gguf_tensors(gguf_path, out, None):
        values = t.pop("values")
        t.update(value_digest(values))
        t["head"] = write_f32(folder / f"{t['name']}.head.f32", values.reshape(-1)[:SAMPLE_HEAD])
        gguf_entries.append(t)

    header_len, header = safetensors_header(st_path)
    loaded = stnp.load_file(st_path)
    with safetensors.safe_open(st_path, "np") as f:
        order = f.offset_keys()
    st_entries = []
    for name in order:
        h = header[name]
        begin, end = h["data_offsets"]
        a = loaded[name]
        assert list(a.shape) == h["shape"]
        entry = {"name": name, "dtype": h["dtype"], "shape": list(a.shape),
                 "offset": 8 + header_len + begin, "bytes": end - begin}
        entry.update(value_digest(a.astype(F32)))
        del entry["row_fnv1a64"]
        st_entries.append(entry)
    return {
        "gguf": {"file": gguf_path.name, "tensors": gguf_entries},
        "safetensors": {"file": st_path.name, "tensors": st_entries},
    }


# ---------------------------------------------------------------------------

def versions() -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "ml_dtypes": ml_dtypes.__version__,
        "safetensors": importlib.metadata.version("safetensors"),
        "gguf": importlib.metadata.version("gguf"),
    }


README = """\
# readers/ — safetensors and GGUF files written by the real libraries

Generated by `python3 tools/make_reader_fixtures.py` (it deletes and rewrites this
folder). Read by `Tests/QuantEngineTests/ReaderFixtureTests.swift`. Every file is
written by the format's own library and every expected number comes from that
library's reader or decoder, never from quantscope. Deterministic: seeded numpy
Generators; two runs give byte-identical files.

Written with: {versions}.

| file | written by | what |
| --- | --- | --- |
| `all_dtypes.safetensors` | `safetensors.numpy.save_file` | one tensor per dtype: F64 [4,5], F32 [2,3,4], F16 [4,6], BF16 [6,4] (ml_dtypes.bfloat16), F8_E4M3 / F8_E5M2 / F8_E8M0 [16,16] (all 256 codes, ml_dtypes float8_e4m3fn / float8_e5m2 / float8_e8m0fnu), I64 I32 I16 I8 U64 U32 U16 U8 (extremes, float32 rounding cases, random), BOOL [3,7], `scalar` (F32, shape []), `empty` (F32, [0,4]); `__metadata__` with keys `format`, `note` (non-ASCII), `producer` |
| `sharded/model-0000k-of-00003.safetensors` | `safetensors.numpy.save_file` | a 9-tensor toy model (F32, BF16, F16) in three shards, each with `__metadata__` `{{"format": "pt"}}`, as transformers writes them |
| `sharded/model.safetensors.index.json` | `json.dumps(indent=2, sort_keys=True)` | `{{"metadata": {{"total_size": N}}, "weight_map": {{…}}}}`, as transformers' `save_pretrained` writes it |
| `all_types.gguf` | `gguf.GGUFWriter` | GGUF v3, alignment 32: metadata of every value type (UINT8 … FLOAT64, BOOL, STRING, arrays of each, nested arrays of INT32 and of STRING) and tensors F32 (rank 1, 2, 3), F16 (rank 2, 4), BF16, F64, I8, I16, I32, I64, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 ([3,64], from `gguf.quants.quantize`), Q8_0 rank 3, Q4_0 rank 1 |
| `all_types_v2.gguf` | this script | `all_types.gguf` with the u32 version at byte 4 set to 2 (v2 and v3 have the same little-endian layout) |
| `aligned64.gguf` | `gguf.GGUFWriter.add_custom_alignment(64)` | five tensors of odd byte sizes (12, 34, 10, 7, 40): each starts at a multiple of 64 |
| `expected/<file stem>.<tensor>.f32` | numpy / ml_dtypes / gguf-py | the decoded values, little-endian float32, row-major |
| `samples_gguf/<tensor>.head.f32` | gguf-py | the first {head} values of each tensor of `samples/minilm-l6-layer0.gguf` |
| `manifest.json` | this script | what the tests compare (below) |

Expected values: safetensors tensors are `array.astype(np.float32)` (ml_dtypes for
BF16 and F8; F64 1e300 becomes inf, 1e-320 becomes 0). GGUF tensors are
`gguf.quants.dequantize(tensor.data, tensor.tensor_type)` of the tensor gguf-py's
`GGUFReader` read back, or `tensor.data.astype(np.float32)` for F64 and the integer
types, which gguf-py has no dequantizer for.

`manifest.json`:

- `safetensors`: per file, `header_length`, `metadata` (`[key, value]` pairs in file
  order) and `tensors` in the order `safe_open(...).offset_keys()` gives (data order):
  `name`, `dtype` (the header's spelling), `shape`, `data_offsets` (as in the header),
  `offset` (absolute: 8 + header length + begin), `bytes`, `expected`.
- `sharded`: `index`, `folder`, `shards`, `total_size`, the merged `metadata` a reader
  should report (the index's `total_size`, then the shards' `format`), and `tensors`
  (shard by shard, in data order) with their `shard`.
- `gguf`: per file, `version`, `alignment`, `data_offset`, `metadata` and `tensors`
  (`name`, `type`, `shape` (row-major = `ne` reversed), `ne`, `offset` (absolute,
  gguf-py's `data_offset`), `bytes`, `expected`). `metadata` lists every field of
  `gguf.GGUFReader(path).fields` in file order (including its pseudo-keys
  `GGUF.version`, `GGUF.tensor_count`, `GGUF.kv_count`), then `GGUF.data_offset`
  (`reader.data_offset`): `key`, `types` (gguf-py's type chain, e.g.
  `["ARRAY", "ARRAY", "INT32"]`) and `value`. Numbers in `value` are exact decimal
  *strings* (the full integer; a float's exact value as the shortest Python repr of
  the float widened to float64) so that no JSON parser can round them; strings and
  bools are themselves; arrays nest. Nested arrays are rebuilt from the field's
  parsed `parts`, because gguf-py's `contents()` flattens them.
- `samples`: for `samples/minilm-l6-layer0.gguf`, each tensor's `name`, `type`, `shape`,
  `ne`, `offset`, `bytes`, and of its dequantized float32 values the FNV-1a-64 hash of
  all bytes (`fnv1a64`), of each row (`row_fnv1a64`), the float64 `sum` and `head`
  (the first {head} values); for `samples/minilm-l6-layer0.safetensors`, each tensor's
  `name`, `dtype`, `shape` (from `safetensors.numpy.load_file`), `offset`, `bytes`,
  `fnv1a64`, `sum`. FNV-1a-64: h = 0xcbf29ce484222325; per byte h = (h ^ b) ·
  0x100000001b3 mod 2^64.

Quantized GGUF tensors come from `gguf.quants.quantize` of float32 rows holding an
all-zero block, a block with one outlier (25 among ±0.01), a constant block, an
all-negative block, and N(0, 1) values.

Library behaviour worth knowing (found while writing this):

- `safetensors.numpy.save_file` takes ml_dtypes arrays (bfloat16, float8_e4m3fn,
  float8_e5m2, float8_e8m0fnu) and writes BF16 / F8_* (no torch needed), but
  `safetensors.numpy.load_file` cannot read them back (it looks the dtype up on the
  numpy module); the script checks bytes with `safetensors.deserialize` instead.
- `GGUFWriter.add_string(key, "")` silently writes nothing; the empty string is
  written with `add_key_value(key, "", STRING)`.
- `GGUFReader` fields' `contents()` flattens nested arrays (`[[1, 2], [3]]` reads as
  `[1, 2, 3]`); the script rebuilds the nesting from the field's `parts` and checks
  that it flattens to `contents()`.
- gguf-py has no dequantizer for F64 or the integer types; their expected values are
  `tensor.data.astype(np.float32)`.

Determinism: safetensors writes `__metadata__` keys in Rust hash-map order, which
changes from call to call. The shards have a single key; for `all_dtypes.safetensors`
the script calls `save_file` again (at most 1000 times; 1 in 6 calls succeeds) until
the library writes the three keys in sorted order, so the file is the library's own
output and is the same on every run.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    out: Path = ap.parse_args().out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "expected").mkdir()

    manifest = {
        "versions": versions(),
        "safetensors": [make_all_dtypes(out)],
        "sharded": make_sharded(out),
        "gguf": make_gguf(out),
        "samples": make_samples(out),
    }
    write_json(out / "manifest.json", manifest)
    (out / "README.md").write_text(README.format(
        versions=", ".join(f"{k} {v}" for k, v in manifest["versions"].items()), head=SAMPLE_HEAD))
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {sum(1 for p in out.rglob('*') if p.is_file())} files, {total} bytes, to {out}")


if __name__ == "__main__":
    main()
