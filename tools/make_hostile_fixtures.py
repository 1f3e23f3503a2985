#!/usr/bin/env python3
"""
make_hostile_fixtures.py — npz fixtures for quantscope's hostile-input and
offset tests, written by Python's zipfile and numpy; every expected number
comes from zipfile / numpy, never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/hostile/ (relative to the repository root)

    npz_bomb.npz        one deflated member `w.npy`: a numpy-written float32
                        [4, 8] array followed by 128 MiB of zero bytes (a
                        128 KiB file whose member inflates 1000-fold; numpy
                        reads only the array and ignores the rest)
    npz_bomb.w.f32      np.load(npz_bomb.npz)["w"] as little-endian float32
    npz_offsets.json    for npz_bomb.npz and ../npy/arrays.npz and
                        ../npy/arrays_compressed.npz: per member, the tensor
                        name, the compression method, and `offset`: the
                        absolute byte offset of the array data in the archive
                        for a stored member (local header offset + 30 + name
                        and extra lengths read from the local header itself,
                        + the npy header length numpy's reader stops at),
                        null for a deflated member; `data_end`: the npy header
                        plus data length inside the member
    README.md           this summary

Deterministic: zipfile stamps members with a fixed date here, so two runs
give byte-identical files.

Usage:  python3 tools/make_hostile_fixtures.py
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import numpy.lib.format as npformat

try:
    from numpy.lib._format_impl import _read_array_header
except ImportError:  # numpy 1.x
    from numpy.lib.format import _read_array_header

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures"
OUT = FIXTURES / "hostile"
PADDING = 128 << 20


def write_bomb(path: Path) -> np.ndarray:
    array = (np.arange(32, dtype=np.float32).reshape(4, 8) * 0.25 - 3).astype(np.float32)
    npy = io.BytesIO()
    npformat.write_array(npy, array)
    member = zipfile.ZipInfo("w.npy", date_time=(1980, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open(member, "w", force_zip64=False) as out:
            out.write(npy.getvalue())
            zeros = bytes(1 << 20)
            for _ in range(PADDING >> 20):
                out.write(zeros)
    loaded = np.load(path)["w"]
    assert loaded.shape == (4, 8) and np.array_equal(loaded, array)
    return loaded


def offsets(path: Path) -> list[dict]:
    """Per member: where numpy's data start, from zipfile and numpy alone."""
    rows = []
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            local = info.header_offset
            assert raw[local:local + 4] == b"PK\x03\x04"
            name_length, extra_length = struct.unpack("<HH", raw[local + 26:local + 30])
            data_start = local + 30 + name_length + extra_length
            with archive.open(info) as member:
                version = npformat.read_magic(member)
                shape, fortran, dtype = _read_array_header(member, version)
                header_length = member.tell()
            count = int(np.prod(shape)) if shape else 1
            stored = info.compress_type == zipfile.ZIP_STORED
            rows.append({
                "member": info.filename,
                "tensor": info.filename[:-4],
                "method": info.compress_type,
                "offset": data_start + header_length if stored else None,
                "data_end": header_length + count * dtype.itemsize,
                "uncompressed_size": info.file_size,
            })
    return rows


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bomb = OUT / "npz_bomb.npz"
    values = write_bomb(bomb)
    values.astype("<f4").tofile(OUT / "npz_bomb.w.f32")
    table = {
        "numpy_version": np.__version__,
        "files": {
            "hostile/npz_bomb.npz": offsets(bomb),
            "npy/arrays.npz": offsets(FIXTURES / "npy" / "arrays.npz"),
            "npy/arrays_compressed.npz": offsets(FIXTURES / "npy" / "arrays_compressed.npz"),
        },
    }
    (OUT / "npz_offsets.json").write_text(json.dumps(table, indent=1) + "\n")
    (OUT / "README.md").write_text(__doc__.strip() + "\n")


if __name__ == "__main__":
    main()
