#!/usr/bin/env python3
"""Integer affine cases whose zero-point lands exactly on a tie.

Writes Tests/QuantEngineTests/Fixtures/ties/cases.json: per case the scheme
(int8-asym, uint8, int4-asym; granularity tensor), the float32 input, and
numpy's scale, zero-point, codes and dequantized values from the docs/contract.md §1
formulas in float32 (lo = min(x, 0), hi = max(x, 0), S = (hi − lo)/(qmax −
qmin), Z = clip(qmin − rint(lo/S)), q = clip(rint(x/S + Z)), x̂ = S·(q − Z)),
rint rounding half to even. The inputs make lo/S = −2.5 or −4.5 exactly, so
rounding the zero-point half away from zero would give another Z. Random
fixtures almost never hit such a tie.

Usage: python3 tools/make_tie_fixtures.py [OUT_DIR]
"""
import json
import pathlib
import sys

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "QuantEngineTests" / "Fixtures" / "ties"
F32 = np.float32

SCHEMES = {"int8-asym": (-128, 127), "uint8": (0, 255), "int4-asym": (-8, 7)}


def case(name, scheme, x):
    qmin, qmax = SCHEMES[scheme]
    x = np.asarray(x, dtype=F32)
    lo, hi = min(x.min(), F32(0)), max(x.max(), F32(0))
    s = F32((hi - lo) / F32(qmax - qmin))
    z = F32(np.clip(F32(qmin) - np.rint(lo / s), qmin, qmax))
    t = lo / s
    assert np.rint(t) != np.sign(t) * np.floor(np.abs(t) + F32(0.5)), "rounding half away would agree"
    q = np.clip(np.rint(x / s + z), qmin, qmax).astype(F32)
    xhat = (s * (q - z)).astype(F32)
    return {"name": name, "scheme": scheme, "input": [float(v) for v in x], "scale": float(s), "zero_point": int(z),
            "codes": [int(v) for v in q], "dequantized": [float(v) for v in xhat]}


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        case("int8asym_zero_tie_even", "int8-asym", [-2.5, 252.5, 0, 1.5, -1, 100.25, 3.5]),
        case("uint8_zero_tie", "uint8", [-4.5, 250.5, 0.5, 7.25, -0.5]),
        case("int4asym_zero_tie", "int4-asym", [-2.5, 12.5, 0.5, 4, -1.5, 6.5]),
    ]
    (out / "cases.json").write_text(json.dumps({"generator": "tools/make_tie_fixtures.py", "numpy": np.__version__,
                                                "cases": cases}, indent=2) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
