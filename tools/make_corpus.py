#!/usr/bin/env python3
"""Write the malformed-file corpus used by Tests/QuantScopeCLITests/MalformedCorpusTests.swift.

Every file here is broken in one specific way (truncated at some point,
a header that lies about sizes or offsets, an unknown type, duplicate
names, absurd counts, ...). The test runs `quantscope inspect` and
`quantscope stats` on each and expects exit 1, one stderr line naming the
file and mentioning `expect`, within a second, and the file unchanged.

Files are built byte by byte with `struct` (not with the libraries, which
refuse to write broken files); a valid file of each format written by the
real library is included as a control. Run from the repository root:

    python3 tools/make_corpus.py
"""
import io
import json
import os
import struct
import zipfile

import numpy as np
import safetensors
import safetensors.numpy
import gguf as gguf_py

OUT = os.path.join("Tests", "QuantScopeCLITests", "Corpus")
cases = []


def write(name, data, expect, tensor="w"):
    """Save one corpus file; `expect` is a phrase the error line must contain."""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    cases.append({"file": name, "expect": expect, "tensor": tensor})


# --- safetensors ------------------------------------------------------------

def st(header, data=b"", length=None, raw_header=None):
    h = raw_header if raw_header is not None else json.dumps(header).encode()
    n = len(h) if length is None else length
    return struct.pack("<Q", n) + h + data


F32x4 = np.arange(4, dtype=np.float32).tobytes()
good_header = {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
good_st = st(good_header, F32x4)

write("st_empty.safetensors", b"", "truncated")
write("st_short_length.safetensors", b"\x05\x00\x00", "truncated")
write("st_header_past_end.safetensors", st(good_header, F32x4, length=10_000), "truncated")
write("st_header_absurd.safetensors", st(good_header, F32x4, length=1 << 62), "header length")
write("st_header_not_json.safetensors", st(None, b"", raw_header=b"this is not json"), "invalid header")
write("st_header_not_object.safetensors", st([1, 2, 3]), "not a JSON object")
write("st_header_bad_utf8.safetensors", st(None, F32x4, raw_header=b'{"w\xff": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}'), "UTF-8")
write("st_offsets_out_of_range.safetensors", st({"w": {"dtype": "F32", "shape": [2, 50], "data_offsets": [0, 400]}}, F32x4), "truncated")
write("st_offsets_overlap.safetensors", st({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                                            "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}, F32x4 * 2), "overlaps", tensor="a")
write("st_end_before_begin.safetensors", st({"w": {"dtype": "F32", "shape": [0], "data_offsets": [16, 8]}}, F32x4), "before begin")
write("st_shape_mismatch.safetensors", st({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 16]}}, F32x4), "need 24 bytes")
write("st_unknown_dtype.safetensors", st({"w": {"dtype": "F7", "shape": [2, 2], "data_offsets": [0, 16]}}, F32x4), "unknown dtype")
write("st_duplicate_names.safetensors", st(None, F32x4 * 2, raw_header=b'{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, '
                                                                    b'"w": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]}}'), "twice")
write("st_gap.safetensors", st({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                                "b": {"dtype": "F32", "shape": [4], "data_offsets": [32, 48]}}, F32x4 * 3), "gap", tensor="a")
write("st_truncated_data.safetensors", good_st[:-5], "truncated")
write("st_trailing_bytes.safetensors", good_st + b"\x00" * 8, "data bytes")
write("st_negative_dim.safetensors", st({"w": {"dtype": "F32", "shape": [-1, 4], "data_offsets": [0, 16]}}, F32x4), "non-negative")
write("st_shape_overflow.safetensors", st({"w": {"dtype": "F32", "shape": [1 << 40, 1 << 40], "data_offsets": [0, 16]}}, F32x4), "overflow")
write("st_metadata_not_strings.safetensors", st({"__metadata__": {"a": 1}, **good_header}, F32x4), "__metadata__")
write("st_missing_offsets.safetensors", st({"w": {"dtype": "F32", "shape": [2, 2]}}, F32x4), "data_offsets")
# A span longer than dtype × shape: the safetensors library refuses it too.
st_long = st({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 16]}}, F32x4)
try:
    safetensors.numpy.load(st_long)
except safetensors.SafetensorError:
    pass
else:
    raise SystemExit("make_corpus: safetensors accepted a span longer than its shape")
write("st_span_longer_than_shape.safetensors", st_long, "need 8 bytes")

# --- GGUF -------------------------------------------------------------------

def gstr(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(version=3, kvs=(), tensors=(), tensor_count=None, kv_count=None, align=32, data=b"", magic=b"GGUF"):
    """kvs: (key, type, packed value bytes); tensors: (name, ne list, ggml type, offset)."""
    out = magic + struct.pack("<I", version)
    out += struct.pack("<Q", len(tensors) if tensor_count is None else tensor_count)
    out += struct.pack("<Q", len(kvs) if kv_count is None else kv_count)
    for key, vtype, value in kvs:
        out += gstr(key) + struct.pack("<I", vtype) + value
    for name, ne, gtype, offset in tensors:
        out += gstr(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", d) for d in ne)
        out += struct.pack("<IQ", gtype, offset)
    out += b"\x00" * ((-len(out)) % align)
    return out + data


arch = [("general.architecture", 8, gstr("llama"))]
good_tensor = [("w", [2, 2], 0, 0)]  # F32 2x2 at data offset 0
good_gguf = gguf(kvs=arch, tensors=good_tensor, data=F32x4)

write("gguf_bad_magic.gguf", gguf(kvs=arch, tensors=good_tensor, data=F32x4, magic=b"GGUG"), "magic")
write("gguf_version_1.gguf", gguf(version=1, kvs=arch, tensors=good_tensor, data=F32x4), "version 1")
write("gguf_version_99.gguf", gguf(version=99, kvs=arch, tensors=good_tensor, data=F32x4), "version 99")
write("gguf_absurd_tensor_count.gguf", gguf(kvs=arch, tensors=good_tensor, tensor_count=1 << 60, data=F32x4), "tensor count")
write("gguf_absurd_kv_count.gguf", gguf(kvs=arch, tensors=good_tensor, kv_count=1 << 61, data=F32x4), "key count")
write("gguf_string_past_end.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 40) + b"general", "length")
write("gguf_unknown_value_type.gguf", gguf(kvs=[("general.thing", 99, b"\x00" * 4)], tensors=good_tensor, data=F32x4), "unknown value type")
write("gguf_unknown_ggml_type.gguf", gguf(kvs=arch, tensors=[("w", [2, 2], 200, 0)], data=F32x4), "ggml type id 200")
write("gguf_misaligned_offset.gguf", gguf(kvs=arch, tensors=[("w", [2, 2], 0, 3)], data=F32x4 * 2), "alignment")
write("gguf_offset_out_of_range.gguf", gguf(kvs=arch, tensors=[("w", [2, 2], 0, 4096)], data=F32x4), "truncated")
write("gguf_dims_overflow.gguf", gguf(kvs=arch, tensors=[("w", [1 << 40, 1 << 40, 1 << 40], 0, 0)], data=F32x4), "overflow")
write("gguf_truncated_header.gguf", good_gguf[:40], "truncated")
write("gguf_truncated_data.gguf", good_gguf[:-6], "truncated")
write("gguf_bad_alignment.gguf", gguf(kvs=arch + [("general.alignment", 4, struct.pack("<I", 3))], tensors=good_tensor, data=F32x4), "alignment")
write("gguf_rank_too_large.gguf", gguf(kvs=arch, tensors=[("w", [1] * 9, 0, 0)], data=F32x4), "rank 9")
write("gguf_overlapping_tensors.gguf", gguf(kvs=arch, tensors=[("a", [4], 0, 0), ("b", [4], 0, 0)], data=F32x4), "overlaps", tensor="a")
write("gguf_block_not_multiple.gguf", gguf(kvs=arch, tensors=[("w", [10, 1], 2, 0)], data=b"\x00" * 64), "block size")
write("gguf_duplicate_tensor.gguf", gguf(kvs=arch, tensors=[("w", [4], 0, 0), ("w", [4], 0, 32)], data=F32x4 * 3), "twice")
# Found by libFuzzer: a zero dimension hid an overflowing product of the others.
write("gguf_zero_dim_overflow.gguf", gguf(kvs=arch, tensors=[("w", [0, 1 << 59, 1 << 24, 6], 0, 0)], data=F32x4), "overflow")
write("gguf_bool_value_2.gguf", gguf(kvs=arch + [("general.flag", 7, b"\x02")], tensors=good_tensor, data=F32x4), "bool")

# Counts one item past what the bytes left could hold (each tensor info takes
# at least 24 bytes, each uint32 array element 4), but not past the byte count
# itself; gguf-py fails on both too.
short = len(gguf(kvs=arch, tensors=good_tensor, data=F32x4)) - 16
write("gguf_tensor_count_one_past.gguf", gguf(kvs=arch, tensors=good_tensor, tensor_count=short // 24 + 1, data=F32x4),
      "tensor count")
array_kv = ("general.list", 9, struct.pack("<IQ", 4, 0) + b"\x00" * 8)
arch_bytes = sum(len(gstr(key)) + 4 + len(value) for key, _, value in arch)
left = len(gguf(kvs=arch + [array_kv], tensors=good_tensor, data=F32x4)) - (24 + arch_bytes + len(gstr("general.list")) + 4 + 4 + 8)
too_many = ("general.list", 9, struct.pack("<IQ", 4, left // 4 + 1) + b"\x00" * 8)
write("gguf_array_count_one_past.gguf", gguf(kvs=arch + [too_many], tensors=good_tensor, data=F32x4), "length of array")
for name in ("gguf_tensor_count_one_past.gguf", "gguf_array_count_one_past.gguf"):
    try:
        gguf_py.GGUFReader(os.path.join(OUT, name))
    except Exception:
        pass
    else:
        raise SystemExit(f"make_corpus: gguf-py read {name}")

# --- npy / npz --------------------------------------------------------------

def npy_bytes(arr, version=(1, 0)):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version)
    return buf.getvalue()


good_npy = npy_bytes(np.arange(6, dtype=np.float32).reshape(2, 3))
header_len = struct.unpack("<H", good_npy[8:10])[0]
write("npy_bad_magic.npy", b"\x93NUMPX" + good_npy[6:], "magic")
write("npy_header_not_dict.npy", good_npy[:10] + b"[1, 2, 3]".ljust(header_len - 1) + b"\n" + good_npy[10 + header_len:], "header")
write("npy_header_past_end.npy", good_npy[:8] + struct.pack("<H", 60000) + good_npy[10:], "truncated")
write("npy_truncated_data.npy", good_npy[:-7], "truncated")
bad_descr = good_npy.replace(b"'<f4'", b"'<V4'")
write("npy_unknown_descr.npy", bad_descr, "<V4")
write("npz_not_a_zip.npz", b"this is not a zip archive at all", "zip")
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("w.npy", good_npy)
write("npz_truncated.npz", zbuf.getvalue()[: len(zbuf.getvalue()) // 2], "zip")
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", compression=zipfile.ZIP_STORED) as z:
    z.writestr("w.npy", good_npy[:-7])
write("npz_member_truncated.npz", zbuf.getvalue(), "truncated")
# Members longer than their npy header declares (docs/contract.md §9): one
# byte more, deflated, and eight more, stored. numpy would ignore the excess.
for name, method, extra in (("npz_member_longer.npz", zipfile.ZIP_DEFLATED, b"\x00"),
                            ("npz_stored_member_longer.npz", zipfile.ZIP_STORED, b"\x00" * 8)):
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", compression=method) as z:
        z.writestr(zipfile.ZipInfo("w.npy", date_time=(1980, 1, 1, 0, 0, 0)), good_npy + extra, compress_type=method)
    assert np.load(io.BytesIO(zbuf.getvalue()))["w"].shape == (2, 3)
    write(name, zbuf.getvalue(), "member 'w.npy': " + str(len(good_npy) + len(extra)) + " bytes, longer than its header declares")

# --- sharded index ----------------------------------------------------------

write("index_not_json.safetensors.index.json", b"{weight_map: nope", "invalid header")
write("index_missing_shard.safetensors.index.json",
      json.dumps({"metadata": {}, "weight_map": {"w": "corpus-missing-00001-of-00001.safetensors"}}).encode(), "cannot open shard")
write("index_escapes_folder.safetensors.index.json",
      json.dumps({"weight_map": {"w": "../../etc/passwd"}}).encode(), "beside the index")

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(f"{len(cases)} malformed files in {OUT}")
