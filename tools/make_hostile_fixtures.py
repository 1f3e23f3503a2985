#!/usr/bin/env python3
"""
make_hostile_fixtures.py — npz fixtures for quantscope's hostile-input and
offset tests, written by Python's zipfile and numpy; every expected number
comes from zipfile / numpy, never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/hostile/ (relative to the repository root)

    npz_bomb.npz        one deflated member `w.npy`: a numpy-written float32
                        [4, 8] array followed by 128 MiB of zero bytes (a
                        128 KiB file whose member inflates 1000-fold; numpy
                        reads only the array and ignores the rest; quantscope
                        refuses it from the directory's size, docs/contract.md §9)
    npz_lying_size.npz  the same with 64 MiB of zeros, and the member's size
                        and CRC-32 in both the local header and the central
                        directory rewritten to those of the npy header and
                        data alone: only inflating shows the stream is longer
                        (numpy's zipfile stops at the declared size, the CRC
                        matches, and np.load accepts it; quantscope refuses it)
    npz_offsets.json    for npz_bomb.npz, npz_lying_size.npz, ../npy/arrays.npz and
                        ../npy/arrays_compressed.npz: per member, the tensor
                        name, the compression method, and `offset`: the
                        absolute byte offset of the array data in the archive
                        for a stored member (local header offset + 30 + name
                        and extra lengths read from the local header itself,
                        + the npy header length numpy's reader stops at),
                        null for a deflated member; `data_end`: the npy header
                        plus data length inside the member; `uncompressed_size`:
                        the central directory's; `stream_size`: what the
                        member's deflate stream inflates to (zlib)
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
import zlib
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


def npy_bytes() -> bytes:
    array = (np.arange(32, dtype=np.float32).reshape(4, 8) * 0.25 - 3).astype(np.float32)
    npy = io.BytesIO()
    npformat.write_array(npy, array)
    return npy.getvalue()


def write_bomb(path: Path, padding: int) -> None:
    """One deflated member: the npy bytes, then `padding` zero bytes."""
    member = zipfile.ZipInfo("w.npy", date_time=(1980, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open(member, "w", force_zip64=False) as out:
            out.write(npy_bytes())
            zeros = bytes(1 << 20)
            for _ in range(padding >> 20):
                out.write(zeros)
    loaded = np.load(path)["w"]
    assert loaded.shape == (4, 8)


def write_lying_size(path: Path) -> None:
    """A bomb whose zip records (local header and central directory) give
    the size and CRC-32 of the npy bytes alone."""
    write_bomb(path, 64 << 20)
    npy = npy_bytes()
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
    local = info.header_offset
    assert raw[local:local + 4] == b"PK\x03\x04" and not info.flag_bits & 0x08
    central = raw.index(b"PK\x01\x02")
    crc = zlib.crc32(npy)
    struct.pack_into("<I", raw, local + 14, crc)
    struct.pack_into("<I", raw, local + 22, len(npy))
    struct.pack_into("<I", raw, central + 16, crc)
    struct.pack_into("<I", raw, central + 24, len(npy))
    path.write_bytes(bytes(raw))
    # numpy reads the declared bytes, finds the CRC right, and accepts it.
    assert np.load(path)["w"].tobytes() == np.load(io.BytesIO(npy)).tobytes()


def stream_size(raw: bytes, data_start: int, compressed: int, method: int) -> int:
    if method == zipfile.ZIP_STORED:
        return compressed
    inflater = zlib.decompressobj(-15)
    total = 0
    chunk = raw[data_start:data_start + compressed]
    while chunk:
        total += len(inflater.decompress(chunk, 1 << 24))
        chunk = inflater.unconsumed_tail
    return total + len(inflater.flush())


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
                "stream_size": stream_size(raw, data_start, info.compress_size, info.compress_type),
            })
    return rows


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bomb = OUT / "npz_bomb.npz"
    write_bomb(bomb, PADDING)
    lying = OUT / "npz_lying_size.npz"
    write_lying_size(lying)
    table = {
        "numpy_version": np.__version__,
        "files": {
            "hostile/npz_bomb.npz": offsets(bomb),
            "hostile/npz_lying_size.npz": offsets(lying),
            "npy/arrays.npz": offsets(FIXTURES / "npy" / "arrays.npz"),
            "npy/arrays_compressed.npz": offsets(FIXTURES / "npy" / "arrays_compressed.npz"),
        },
    }
    (OUT / "npz_offsets.json").write_text(json.dumps(table, indent=1) + "\n")
    (OUT / "README.md").write_text(__doc__.strip() + "\n")


if __name__ == "__main__":
    main()
