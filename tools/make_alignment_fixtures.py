#!/usr/bin/env python3
"""GGUF files that tell general.alignment = 64 from the default 32.

Writes Tests/QuantEngineTests/Fixtures/readers/alignment/ (deleted and rewritten):

  header_end_low.gguf   gguf.GGUFWriter, add_custom_alignment(64): a padding
                        key is lengthened until the header (magic … last tensor
                        info) ends at 1…32 mod 64, so rounding it up to 32 and
                        to 64 give different data offsets (a reader that ignores
                        the alignment reads every tensor 32 bytes early). Tensors
                        of odd byte sizes, so their offsets (multiples of 64)
                        differ from a packing by 32 too.
  offset_32.gguf        the same file with its second tensor's offset patched
                        from 64 to 32: a multiple of 32 but not of 64, which a
                        reader honouring general.alignment = 64 must refuse.
  expected/<name>.f32   each tensor of header_end_low.gguf as gguf.GGUFReader
                        reads it (gguf.quants.dequantize for block types).
  manifest.json         header end, data offset and tensors (name, type, shape,
                        absolute offset, bytes) from gguf.GGUFReader.

Usage: python3 tools/make_alignment_fixtures.py [OUT_DIR]
"""
import importlib.metadata
import json
import pathlib
import shutil
import struct
import sys

import gguf
import gguf.quants as gq
import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "QuantEngineTests" / "Fixtures" / "readers" / "alignment"
QT = gguf.GGMLQuantizationType


def tensors(r: np.random.Generator) -> dict:
    """Odd byte sizes: 12, 34, 10, 36, 7."""
    return {
        "a.f32": (r.standard_normal(3).astype(np.float32), None),
        "b.q8_0": (gq.quantize(r.standard_normal((1, 32)).astype(np.float32), QT.Q8_0), QT.Q8_0),
        "c.f16": (r.standard_normal(5).astype(np.float16), None),
        "d.q4_0": (gq.quantize(r.standard_normal((2, 32)).astype(np.float32), QT.Q4_0), QT.Q4_0),
        "e.i8": (r.integers(-128, 128, 7).astype(np.int8), None),
    }


def write(path: pathlib.Path, padding: str, data: dict) -> None:
    w = gguf.GGUFWriter(path, "quantscope-alignment")
    w.add_custom_alignment(64)
    w.add_string("test.padding", padding)
    for name, (array, raw_type) in data.items():
        w.add_tensor(name, array, raw_dtype=raw_type)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def offset_field(raw: bytes, name: str) -> int:
    """Byte position of tensor `name`'s offset field in its tensor info
    (u64 name length, name, u32 n_dims, u64 dims…, u32 type, u64 offset)."""
    key = struct.pack("<Q", len(name)) + name.encode()
    at = raw.index(key) + len(key)
    (n_dims,) = struct.unpack_from("<I", raw, at)
    return at + 4 + 8 * n_dims + 4


def main() -> None:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    if out.exists():
        shutil.rmtree(out)
    (out / "expected").mkdir(parents=True)
    data = tensors(np.random.default_rng([2024, 64]))
    names = list(data)

    path = out / "header_end_low.gguf"
    for length in range(1, 65):
        write(path, "x" * length, data)
        raw = path.read_bytes()
        header_end = offset_field(raw, names[-1]) + 8
        if 1 <= header_end % 64 <= 32:
            break
    else:
        sys.exit("no padding length puts the header end at 1…32 mod 64")
    reader = gguf.GGUFReader(path)
    assert reader.alignment == 64
    assert reader.data_offset == (header_end + 63) // 64 * 64 != (header_end + 31) // 32 * 32
    entries = []
    for t in reader.tensors:
        if t.tensor_type in (QT.F32, QT.F16, QT.I8):
            values = t.data.astype(np.float32)
        else:
            values = gq.dequantize(t.data, t.tensor_type).astype(np.float32)
        relative = t.data_offset - reader.data_offset
        assert relative % 64 == 0 and t.n_bytes % 32 != 0, t.name
        expected = f"expected/{t.name}.f32"
        (out / expected).write_bytes(values.astype("<f4").tobytes())
        entries.append({"name": t.name, "type": t.tensor_type.name, "shape": [int(d) for d in reversed(t.shape)],
                        "offset": int(t.data_offset), "relative_offset": int(relative), "bytes": int(t.n_bytes),
                        "expected": expected})
    assert any(e["relative_offset"] % 128 == 64 for e in entries)

    # The second tensor moved from relative offset 64 to 32.
    patched = bytearray(raw)
    at = offset_field(raw, names[1])
    assert struct.unpack_from("<Q", raw, at)[0] == 64
    struct.pack_into("<Q", patched, at, 32)
    (out / "offset_32.gguf").write_bytes(bytes(patched))

    manifest = {
        "generator": "tools/make_alignment_fixtures.py",
        "gguf": importlib.metadata.version("gguf"), "numpy": np.__version__,
        "file": path.name, "alignment": 64, "header_end": header_end, "data_offset": int(reader.data_offset),
        "tensors": entries,
        "misaligned": {"file": "offset_32.gguf", "tensor": names[1], "relative_offset": 32},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"header ends at {header_end} ({header_end % 64} mod 64), data at {reader.data_offset}; wrote {out}")


if __name__ == "__main__":
    main()
