#!/usr/bin/env python3
"""
make_npy_fixtures.py — reference .npy / .npz files for quantscope's NPY and NPZ readers.

Every file is written by numpy itself (numpy.lib.format.write_array, np.save,
np.savez, np.savez_compressed) and every expected number comes from numpy
(`values.astype(np.float32)` in C order, and the data offset numpy's own
header reader stops at) — never from the Swift code.

Output: Tests/QuantEngineTests/Fixtures/npy/ (relative to the repository root)

    <name>.npy              one array each: every dtype quantscope reads
                            (f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1), little and big
                            endian, format versions 1.0 / 2.0 / 3.0, Fortran order,
                            0-d, empty, trailing bytes after the data
    arrays.npz              np.savez: several arrays of different dtypes (stored)
    arrays_compressed.npz   np.savez_compressed: the same plus an 80 KiB member
                            (more than one inflate chunk)
    <file stem>.<tensor>.f32  the expected values ('/' in a name becomes '_'): little-endian float32, C order
    manifest.json           per file: format, version, and per tensor its name,
                            member, descr, shape, fortran_order, data offset,
                            byte count and expected-values file
    README.md               this summary

The script is deterministic: every random array comes from a numpy Generator
with a fixed seed, and zipfile stamps members with its fixed default date
(1980-01-01), so running it twice produces byte-identical output.

Usage:  python3 tools/make_npy_fixtures.py [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import numpy.lib.format as npformat

try:  # numpy >= 2: the header reader that np.load uses, for all three versions
    from numpy.lib._format_impl import _read_array_header
except ImportError:  # numpy 1.x
    from numpy.lib.format import _read_array_header

SEED = 20240611
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "npy"

F32 = np.float32
# (shape of every per-dtype array)
SHAPE = (3, 5)


def rng(section: int) -> np.random.Generator:
    return np.random.default_rng([SEED, section])


# ---------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------

def float_values(code: str, r: np.random.Generator) -> np.ndarray:
    """15 values of float type `code` (f2/f4/f8): specials first, then random."""
    info = np.finfo(np.dtype(code))
    specials = [0.0, -0.0, 1.0, -2.5, float(info.max), -float(info.max), float(info.tiny),
                float(info.smallest_subnormal), np.inf, -np.inf, np.nan]
    if code == "f8":
        # values float32 cannot hold: underflow to a float32 subnormal / zero,
        # overflow to inf, and a value that rounds (ties to even)
        specials[4:8] = [1e300, 1e-320, 3.0e-45, 1.0 + 2.0 ** -24]
    rest = r.standard_normal(15 - len(specials)) * 3
    return np.array(specials + list(rest), dtype=np.dtype(code))


def int_values(code: str, r: np.random.Generator) -> np.ndarray:
    """15 values of integer type `code`: the extremes first, then random."""
    info = np.iinfo(np.dtype(code))
    specials = [0, 1, int(info.max), int(info.min), int(info.max) - 1]
    if info.min < 0:
        specials.append(-1)
    if info.bits >= 32:
        # beyond 2^24 float32 rounds (ties to even)
        specials += [2 ** 24 + 1, 2 ** 24 + 3]
    if info.bits == 64:
        specials += [2 ** 53 + 1, 2 ** 63 - 2 ** 39 - 1]
    rest = r.integers(info.min, info.max, size=15 - len(specials), dtype=np.dtype(code), endpoint=True)
    return np.array(specials + [int(v) for v in rest], dtype=np.dtype(code))


def values_for(code: str, r: np.random.Generator) -> np.ndarray:
    if code[0] == "f":
        return float_values(code, r)
    if code == "b1":
        return r.integers(0, 2, size=15).astype(bool)
    return int_values(code, r)


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

WRITTEN: list[Path] = []


def expected_f32(out: Path, stem: str, arr: np.ndarray) -> str:
    name = stem.replace("/", "_") + ".f32"
    with np.errstate(over="ignore"):  # f8 1e300 -> inf is one of the cases
        c = np.ascontiguousarray(arr).astype(F32).astype("<f4")
    (out / name).write_bytes(c.tobytes(order="C"))
    WRITTEN.append(out / name)
    return name


def header_facts(raw: bytes) -> dict:
    """What numpy's own reader says about npy bytes: version, descr,
    fortran_order, shape, and the offset where the data starts."""
    f = io.BytesIO(raw)
    version = npformat.read_magic(f)
    shape, fortran, dtype = _read_array_header(f, version)
    offset = f.tell()
    return {
        "version": f"{version[0]}.{version[1]}",
        "descr": npformat.dtype_to_descr(dtype),
        "shape": list(shape),
        "fortran_order": bool(fortran),
        "offset": offset,
        "bytes": int(np.prod(shape, dtype=np.int64)) * dtype.itemsize,
    }


def npy_bytes(arr: np.ndarray, version=None) -> bytes:
    f = io.BytesIO()
    npformat.write_array(f, arr, version=version)
    return f.getvalue()


def write_npy(out: Path, manifest: list, stem: str, arr: np.ndarray, version=None, trailing: bytes = b"",
              note: str = ""):
    raw = npy_bytes(arr, version) + trailing
    path = out / f"{stem}.npy"
    path.write_bytes(raw)
    WRITTEN.append(path)
    # numpy must read back exactly what we wrote (trailing bytes included)
    back = np.load(path)
    assert back.dtype == arr.dtype and back.shape == arr.shape
    assert np.array_equal(back, arr, equal_nan=arr.dtype.kind == "f")
    facts = header_facts(raw)
    manifest.append({
        "file": path.name,
        "format": "npy",
        "note": note,
        "version": facts.pop("version"),
        "trailing_bytes": len(trailing),
        "tensors": [dict(name=stem, member=None, **facts, expected=expected_f32(out, stem, arr))],
    })


def write_npz(out: Path, manifest: list, stem: str, arrays: dict, compressed: bool, note: str):
    path = out / f"{stem}.npz"
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    WRITTEN.append(path)
    tensors = []
    with zipfile.ZipFile(path) as z, np.load(path) as loaded:
        for info in z.infolist():
            name = info.filename[: -len(".npy")]
            arr = arrays[name]
            back = loaded[name]
            assert back.dtype == arr.dtype and back.shape == arr.shape
            assert np.array_equal(back, arr, equal_nan=arr.dtype.kind == "f")
            facts = header_facts(z.read(info))
            facts.pop("version")
            tensors.append(dict(name=name, member=info.filename, **facts,
                                compressed=info.compress_type == zipfile.ZIP_DEFLATED,
                                expected=expected_f32(out, f"{stem}.{name}", arr)))
    manifest.append({"file": path.name, "format": "npz", "note": note, "version": None, "trailing_bytes": 0,
                     "tensors": tensors})


CODES = ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]


def make(out: Path) -> list:
    manifest: list = []
    # one file per dtype and byte order (1-byte types have no byte order: '|')
    for i, code in enumerate(CODES):
        base = values_for(code, rng(i)).reshape(SHAPE)
        if np.dtype(code).itemsize == 1:
            write_npy(out, manifest, code, base, note=f"{np.dtype(code).str}: 1-byte type")
        else:
            write_npy(out, manifest, f"{code}_le", base.astype("<" + code), note=f"<{code}")
            write_npy(out, manifest, f"{code}_be", base.astype(">" + code), note=f">{code}")

    r = rng(100)
    plain = (r.standard_normal((4, 6)) * 2).astype("<f4")
    for version in [(1, 0), (2, 0), (3, 0)]:
        write_npy(out, manifest, f"f4_v{version[0]}", plain, version=version,
                  note=f"format version {version[0]}.{version[1]}")
    write_npy(out, manifest, "f8_be_v2", plain.astype(">f8"), version=(2, 0), note="big-endian f8, version 2.0")

    fortran = np.asfortranarray((r.standard_normal((2, 3, 4)) * 10).astype("<f4"))
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
    write_npy(out, manifest, "fortran_3d", fortran, note="Fortran order, 2x3x4 <f4")
    fortran_be = np.asfortranarray(r.integers(-30000, 30000, size=(3, 5)).astype(">i2"))
    write_npy(out, manifest, "fortran_2d_be", fortran_be, note="Fortran order, 3x5 >i2")
    write_npy(out, manifest, "fortran_1d", np.asfortranarray(np.arange(5, dtype="<u2")),
              note="1-D: numpy writes fortran_order False")

    write_npy(out, manifest, "scalar", np.array(-3.25, dtype="<f8"), note="0-d array, shape ()")
    write_npy(out, manifest, "empty", np.zeros((0, 4), dtype="<f4"), note="empty, shape (0, 4)")
    write_npy(out, manifest, "empty_1d", np.zeros((0,), dtype=">i8"), note="empty, shape (0,)")
    write_npy(out, manifest, "trailing", np.arange(6, dtype="<i4").reshape(2, 3), trailing=b"extra\x00\xff",
              note="7 bytes after the data: np.load ignores them")

    r = rng(200)
    arrays = {
        "w": (r.standard_normal((4, 8)) * 0.1).astype("<f4"),
        "idx": r.integers(-(2 ** 40), 2 ** 40, size=(10,)).astype("<i8"),
        "mask": r.integers(0, 2, size=(3, 3)).astype(bool),
        "half_be": (r.standard_normal((2, 5))).astype(">f2"),
        "scalar": np.array(65000, dtype="<u2"),
        "empty": np.zeros((0,), dtype="<f8"),
        "fortran": np.asfortranarray(r.standard_normal((3, 4))).astype("<f8", order="F"),
        "layer.0/codes": r.integers(-128, 128, size=(6,)).astype("i1"),
    }
    assert arrays["fortran"].flags.f_contiguous and not arrays["fortran"].flags.c_contiguous
    write_npz(out, manifest, "arrays", arrays, compressed=False, note="np.savez (stored members)")
    big = ((np.arange(128 * 160) % 251) * 0.5 - 3).astype("<f4").reshape(128, 160)
    write_npz(out, manifest, "arrays_compressed", dict(arrays, big=big), compressed=True,
              note="np.savez_compressed (deflated); 'big' inflates to more than one 64 KiB chunk")
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = make(out)
    doc = {"numpy_version": np.__version__, "files": manifest}
    (out / "manifest.json").write_text(json.dumps(doc, indent=1) + "\n")
    WRITTEN.append(out / "manifest.json")

    lines = [
        "# npy/ — .npy and .npz reference files (docs/contract.md §7)",
        "",
        f"Made by `tools/make_npy_fixtures.py` with numpy {np.__version__}; do not edit by hand.",
        "",
        "`manifest.json`: `{numpy_version, files: [{file, format, note, version, trailing_bytes, tensors}]}`;",
        "each tensor `{name, member, descr, shape, fortran_order, offset, bytes, expected}` where",
        "`offset` is where numpy's header reader leaves the data (from the start of the .npy file,",
        "or of the npz member), `bytes` = shape product x itemsize, and `expected` names the",
        "little-endian float32 file of `values.astype(np.float32)` in C (row-major) order.",
        "npz tensors also say whether their member is `compressed` (deflated).",
        "",
        "| file | note | tensors |",
        "| --- | --- | --- |",
    ]
    for f in manifest:
        tensors = ", ".join(f"`{t['name']}` {t['descr']} {tuple(t['shape'])}" for t in f["tensors"])
        lines.append(f"| `{f['file']}` | {f['note']} | {tensors} |")
    total = sum(p.stat().st_size for p in WRITTEN)
    lines += ["", f"{len(WRITTEN) + 1} files, {total} bytes before this README."]
    (out / "README.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(WRITTEN) + 1} files ({total} bytes) to {out}")


if __name__ == "__main__":
    main()
