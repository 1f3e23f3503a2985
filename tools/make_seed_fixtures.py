#!/usr/bin/env python3
"""Fixtures for the seed's own integer conventions (docs/contract.md §1, §10):
`intB-full` and `intB-asym-exact`, written from the formulas of
quantization-concepts.md ("the seed") literally, in numpy float32:

    S = (val_max - val_min) / (q_max - q_min)
    Z = q_min - round(val_min / S)
    q = round(x / S + Z)              (clamped into [q_min, q_max])
    x_hat = S * (q - Z)

- `intB-asym-exact`: [val_min, val_max] is the group's exact [min, max] of the
  finite values (no stretching to hold 0); Z is NOT clamped into the code range
  (an all-positive LayerNorm weight gives Z = -358 at 8 bits).
- `intB-full`: the signed range [-2^(B-1), 2^(B-1)-1] (int4 [-8, 7]) over the
  symmetric [val_min, val_max] = [-a, a], a = max|x|; Z fixed at 0 ("In symmetric
  quantization, Z would typically be fixed at 0"). The script counts the groups in
  which the literal Z formula in float32 would not give 0 and prints the count.

round = np.rint (half to even). Degenerate groups (docs/contract.md §1): S = 1 when
S is 0 or not finite, except that an asym-exact group holding one constant c != 0
uses S = |c| (so c is exact). Non-finite input: +inf -> q_max, -inf -> q_min, NaN ->
Z held inside [q_min, q_max]; left out of the range and the metrics.

Writes Tests/QuantEngineTests/Fixtures/seed/ (cases.json in the shape of affine/).
Run: /work/venv/bin/python tools/make_seed_fixtures.py
"""
import shutil
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

sys.path.insert(0, str(Path(__file__).parent))
from make_fixtures import F32, make_groups, metrics, write_json, write_raw  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "QuantEngineTests" / "Fixtures" / "seed"
ZERO_POINT_LIMIT = F32(2 ** 24)
literal_full_z_not_zero = 0


def parse(scheme: str):
    """'int4-full' / 'int8-asym-exact' -> (bits, qmin, qmax, exact)."""
    head, _, kind = scheme.partition("-")
    B = int(head[3:])
    assert kind in ("full", "asym-exact"), scheme
    return B, -(1 << (B - 1)), (1 << (B - 1)) - 1, kind == "asym-exact"


def seed_quantize(x: np.ndarray, scheme: str, gran: str):
    global literal_full_z_not_zero
    B, qmin, qmax, exact = parse(scheme)
    fqmin, fqmax = F32(qmin), F32(qmax)
    flat = np.asarray(x, dtype=F32).ravel()
    codes = np.zeros(flat.size, dtype=np.int64)
    xhat = np.zeros(flat.size, dtype=F32)
    scales, zps = [], []
    for idx in make_groups(np.shape(x), gran):
        g = flat[idx]
        fin = np.isfinite(g)
        gf = g[fin]
        with np.errstate(all="ignore"):
            if exact:
                vmin = F32(np.min(gf)) if gf.size else F32(0)
                vmax = F32(np.max(gf)) if gf.size else F32(0)
            else:
                a = F32(np.max(np.abs(gf))) if gf.size else F32(0)
                vmin, vmax = -a, a
            if exact:
                S = F32(vmax - vmin) / F32(qmax - qmin)
            else:
                S = F32(vmax + vmax) / F32(qmax - qmin)  # vmax - vmin with vmin = -vmax
            if S == 0 or not np.isfinite(S):
                S = F32(abs(vmin)) if exact and vmin == vmax and vmin != 0 and np.isfinite(vmin) else F32(1)
            Zf = fqmin - np.rint(vmin / S)
            assert Zf.dtype == F32
            if exact:
                Zf = np.clip(Zf, -ZERO_POINT_LIMIT, ZERO_POINT_LIMIT)  # never reached by these cases
                Z = int(Zf)
            else:
                if Zf != 0:
                    literal_full_z_not_zero += 1
                Z = 0
            q = np.empty(g.size, dtype=np.int64)
            qf = np.clip(np.rint(gf / S + F32(Z)), fqmin, fqmax)
            assert qf.dtype == F32
            q[fin] = qf.astype(np.int64)
        q[np.isposinf(g)] = qmax
        q[np.isneginf(g)] = qmin
        q[np.isnan(g)] = min(max(Z, qmin), qmax)
        codes[idx] = q
        xhat[idx] = S * (q - Z).astype(F32)
        assert S.dtype == F32 and xhat.dtype == F32
        scales.append(S)
        zps.append(Z)
    return (codes.reshape(np.shape(x)), xhat.reshape(np.shape(x)),
            np.array(scales, dtype=F32), np.array(zps, dtype=np.int32))


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    rng = np.random.default_rng([1234, 40])
    cases = []

    def case(name, scheme, gran, x, desc):
        x = np.asarray(x, dtype=F32)
        codes, xhat, S, Z = seed_quantize(x, scheme, gran)
        extra = {}
        if parse(scheme)[0] == 4:
            # The seed's packing, mask and all: packed_byte = (val1 & 0x0F) | (val2 << 4),
            # over the flattened codes, the last byte padded with a zero code.
            c = codes.ravel().astype(np.int64)
            if c.size % 2:
                c = np.append(c, 0)
            packed = ((c[0::2] & 0x0F) | (c[1::2] << 4)) & 0xFF
            extra["packed_low_first"] = write_raw(OUT / f"{name}.packed.u8", packed.astype(np.uint8))
        cases.append({**extra,
            "name": name, "description": desc, "scheme": scheme, "granularity": gran,
            "shape": list(x.shape), "groups": int(len(S)),
            "input": write_raw(OUT / f"{name}.input.f32", x),
            "codes": write_raw(OUT / f"{name}.codes.i16", codes.astype(np.int16)),
            "scales": write_raw(OUT / f"{name}.scales.f32", S),
            "zero_points": write_raw(OUT / f"{name}.zero_points.i32", Z),
            "dequantized": write_raw(OUT / f"{name}.dequantized.f32", xhat),
            "metrics": metrics(x, xhat),
        })
        return codes, xhat, S, Z

    # A real all-positive LayerNorm weight (MiniLM-L6, bundled in samples/).
    ln = load_file(str(ROOT / "samples" / "minilm-l6-layer0.safetensors"))["encoder.layer.0.output.LayerNorm.weight"]
    assert ln.min() > 0
    _, xhat, S, Z = case("int8asymexact_layernorm", "int8-asym-exact", "tensor", ln,
                         "MiniLM encoder.layer.0.output.LayerNorm.weight (all positive): Z = -358, outside int8")
    assert Z[0] == -358, Z
    assert np.all(xhat >= ln.min() - S[0]) and np.all(xhat <= ln.max() + S[0])
    case("int4asymexact_layernorm_group32", "int4-asym-exact", "group:32", ln,
         "the same LayerNorm weight in runs of 32: every Z below -8")

    normal = rng.standard_normal((16, 64)).astype(F32)
    case("int8asymexact_channel0", "int8-asym-exact", "channel:0", normal,
         "16x64 N(0,1) per row: ranges hold 0, Z inside the codes")
    pos = (np.abs(rng.standard_normal((8, 16))) + 0.5).astype(F32)
    case("int3asymexact_negative_channel0", "int3-asym-exact", "channel:0", -pos,
         "all negative per row: Z above qmax = 3")

    g8 = rng.standard_normal((4, 32)).astype(F32)
    g8[1, 8:16] = 0.0            # group 5: all zeros (S = 1, Z = qmin)
    g8[2, 16:24] = 2.5           # group 10: a constant (S = |c| = 2.5)
    g8[3, 0:8] = -0.75           # group 12: a negative constant
    case("int4asymexact_group8_degenerate", "int4-asym-exact", "group:8", g8,
         "4x32 group:8; group 5 all zeros, groups 10 and 12 constant (S = |c|)")

    nf = rng.standard_normal((6, 16)).astype(F32) + F32(3)
    nf[0, 3] = np.nan
    nf[1, 0] = np.inf
    nf[2, 7] = -np.inf
    nf[4, 4] = np.nan
    nf[5, :] = np.nan
    case("int8asymexact_nonfinite_channel0", "int8-asym-exact", "channel:0", nf,
         "positive rows with NaN/+inf/-inf; NaN goes to Z held inside the codes; row 5 all NaN")

    codes, _, S, _ = case("int4full_channel0", "int4-full", "channel:0", normal,
                          "16x64 N(0,1) per row, codes -8..7, S = 2a/15")
    a = np.max(np.abs(normal), axis=1)
    assert np.all(S == (a + a) / F32(15))
    plus = np.argmax(normal, axis=1)
    # +a lands on 7.5 and clips to 7 where max x = a.
    for r in range(16):
        if normal[r, plus[r]] == a[r]:
            assert codes[r, plus[r]] == 7
    case("int8full_tensor", "int8-full", "tensor", normal, "int8-full per tensor: codes -128..127, S = a/127.5")
    m = rng.standard_normal((8, 100)).astype(F32)
    case("int2full_group32", "int2-full", "group:32", m, "int2-full: codes -2..1, S = 2a/3")
    case("int5full_block4x8", "int5-full", "block:4x8", (m * 3).astype(F32), "int5-full in 4x8 tiles")
    case("int4full_nonfinite_channel0", "int4-full", "channel:0", nf - F32(3), "NaN/+inf/-inf mixed in")

    write_json(OUT / "cases.json", cases)
    lines = ["# seed/ — the seed's integer conventions (docs/contract.md §1, §10)", "",
             "Written by `tools/make_seed_fixtures.py` (numpy " + np.__version__ + "), not by `make_fixtures.py`.",
             "`cases.json` has the shape of `affine/cases.json`; 4-bit cases add `packed_low_first`",
             "(the seed's `(val1 & 0x0F) | (val2 << 4)` over the flattened codes).", "", "```",
             __doc__.strip(), "```", ""]
    lines += [f"- `{c['name']}` — {c['scheme']} {c['granularity']}: {c['description']}" for c in cases]
    (OUT / "README.md").write_text("\n".join(lines) + "\n")
    print(f"{len(cases)} cases in {OUT}; the literal Z formula of intB-full in float32 was not 0 "
          f"in {literal_full_z_not_zero} groups (Z is fixed at 0)")


if __name__ == "__main__":
    main()
