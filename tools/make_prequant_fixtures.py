#!/usr/bin/env python3
"""
make_prequant_fixtures.py — small pre-quantized checkpoints written by the REAL
quantization libraries (auto-gptq, autoawq, compressed-tensors, bitsandbytes,
transformers' FP8 integrations), and each library's own dequantization of them.

Every case is a folder under Tests/QuantEngineTests/Fixtures/prequant/<case>/:

    model.safetensors       the tensors as the library / save_pretrained writes them,
                            with real checkpoint names, plus one plain tensor
                            (model.norm.weight) that must stay plain
    config.json             the quantization_config the library writes
    reference.safetensors   the library's own dequantization, float32, one
                            `<module>.weight` [out, in] per quantized linear
    case.json               format, bits, group size, side tensors, tolerance,
                            versions, and the library calls used

The gptq-folder case is a sharded folder (model-0000{1,2}-of-00002.safetensors +
model.safetensors.index.json) instead of one model.safetensors.

Run with the venv that holds the libraries (auto-gptq 0.7.1 and autoawq 0.2.9 are
installed --no-deps; see /work/shared/PREQUANT-NOTES.md for the CPU snags):

    /work/venv-prequant/bin/python tools/make_prequant_fixtures.py

Deterministic: seeded torch generators, single-threaded torch; two runs give
byte-identical files (checked by running twice and comparing sha256).
"""
from __future__ import annotations

import ast
import contextlib
import copy
import importlib.metadata as md
import io
import json
import math
import os
import shutil
import sys
import tempfile
import types
import warnings
from dataclasses import dataclass, field, fields  # noqa: F401  (used by exec'd auto-gptq source)
from pathlib import Path
from typing import Optional  # noqa: F401  (used by exec'd auto-gptq source)

warnings.filterwarnings("ignore")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/QuantEngineTests/Fixtures/prequant"

# ---------------------------------------------------------------------------
# library imports with the CPU snags worked around (PREQUANT-NOTES.md)
# ---------------------------------------------------------------------------

# auto-gptq's top-level __init__ imports its modeling code, which does not import
# with transformers 5: register an empty package so the submodules load directly.
_SITE = Path(torch.__file__).resolve().parent.parent
_pkg = types.ModuleType("auto_gptq")
_pkg.__path__ = [str(_SITE / "auto_gptq")]
sys.modules.setdefault("auto_gptq", _pkg)
# fasterquant calls torch.cuda.synchronize() for timing only.
torch.cuda.synchronize = lambda *a, **k: None
torch.cuda.empty_cache = lambda *a, **k: None
with contextlib.redirect_stderr(io.StringIO()):
    from auto_gptq.quantization.gptq import GPTQ  # noqa: E402
    from auto_gptq.nn_modules.qlinear.qlinear_cuda import QuantLinear as GPTQQuantLinear  # noqa: E402

# autoawq imports `datasets` (for calibration data) at import time; packing needs none of it.
_ds = types.ModuleType("datasets")
_ds.load_dataset = None
sys.modules.setdefault("datasets", _ds)
with contextlib.redirect_stderr(io.StringIO()):
    from awq.quantize.quantizer import AwqQuantizer  # noqa: E402
    from awq.modules.linear.gemm import WQLinear_GEMM  # noqa: E402
    from awq.utils.packing_utils import dequantize_gemm  # noqa: E402
    from awq.models._config import AwqConfig as AutoAwqConfig  # noqa: E402

import bitsandbytes as bnb  # noqa: E402
import bitsandbytes.functional as bnbF  # noqa: E402
import compressed_tensors  # noqa: E402
from compressed_tensors.compressors.model_compressors.model_compressor import ModelCompressor  # noqa: E402
from compressed_tensors.quantization import (  # noqa: E402
    QuantizationArgs,
    QuantizationConfig,
    QuantizationScheme,
    QuantizationStatus,
    apply_quantization_config,
)
from compressed_tensors.quantization.utils.helpers import calculate_qparams  # noqa: E402
import transformers  # noqa: E402
from transformers import BitsAndBytesConfig, FbgemmFp8Config, FineGrainedFP8Config, GPTQConfig  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402
from transformers.integrations.finegrained_fp8 import Fp8Dequantize, Fp8Quantize  # noqa: E402
from transformers.integrations.compressed_tensors import quantize_fp8_per_row  # noqa: E402


def _auto_gptq_base_quantize_config():
    """auto-gptq 0.7.1's BaseQuantizeConfig (whose to_dict() is what save_quantized puts
    under config.json's quantization_config), taken from its source file: the module
    itself does not import with transformers 5, so only the dataclass is executed."""
    src = (_SITE / "auto_gptq/modeling/_base.py").read_text()
    tree = ast.parse(src)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "BaseQuantizeConfig")
    cls.bases = []
    cls.body = [b for b in cls.body if not (isinstance(b, ast.FunctionDef) and b.name in ("save_pretrained", "from_pretrained"))]
    cls.decorator_list = [ast.Name(id="dataclass", ctx=ast.Load())]
    mod = ast.Module(body=[cls], type_ignores=[])
    ns = {"dataclass": dataclass, "field": field, "fields": fields, "Optional": Optional}
    exec(compile(ast.fix_missing_locations(mod), str(_SITE / "auto_gptq/modeling/_base.py"), "exec"), ns)
    return ns["BaseQuantizeConfig"]


BaseQuantizeConfig = _auto_gptq_base_quantize_config()


def _v(name: str) -> str:
    return md.version(name)


VERSIONS = {
    "torch": torch.__version__,
    "transformers": transformers.__version__,
    "compressed-tensors": compressed_tensors.__version__,
    "bitsandbytes": bnb.__version__,
    "auto-gptq": _v("auto-gptq"),
    "autoawq": _v("autoawq"),
    "safetensors": _v("safetensors"),
    "numpy": np.__version__,
}

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def make_weight(out_f: int, in_f: int, seed: int) -> torch.Tensor:
    """Gaussian N(0, 0.02²) [out, in] with two outlier input columns (×10), float32."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(out_f, in_f, generator=g) * 0.02
    for c in (in_f // 7, in_f - 3):
        w[:, c] *= 10.0
    return w


def norm_weight(hidden: int, dtype: torch.dtype, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (1.0 + 0.1 * torch.randn(hidden, generator=g)).to(dtype)


def sqnr_db(ref: torch.Tensor, orig: torch.Tensor) -> float:
    ref = ref.double()
    orig = orig.double()
    return float(10 * torch.log10((orig**2).sum() / ((orig - ref) ** 2).sum()))


def rel_err_max(a: torch.Tensor, b: torch.Tensor) -> float:
    a = a.double()
    b = b.double()
    den = b.abs().clamp(min=1e-30)
    mask = b != 0
    return float(((a - b).abs()[mask] / den[mask]).max()) if mask.any() else float((a - b).abs().max())


def st_info(path: Path) -> dict:
    out = {}
    with safe_open(str(path), "pt") as f:
        for k in f.keys():
            t = f.get_tensor(k)
            out[k] = (str(t.dtype).replace("torch.", ""), list(t.shape))
    return out


def sort_safetensors_metadata(path: Path) -> None:
    """safetensors (Rust) keeps __metadata__ in a HashMap, so with more than one key its
    order changes from run to run. Rewrite that object with sorted keys — same bytes,
    same length — so the files are reproducible."""
    raw = bytearray(path.read_bytes())
    n = int.from_bytes(raw[:8], "little")
    header = raw[8:8 + n].decode()
    start = header.find('"__metadata__":{')
    if start < 0:
        return
    i = start + len('"__metadata__":')
    end = header.index("}", i) + 1  # metadata values are plain strings without braces here
    meta = json.loads(header[i:end])
    canon = json.dumps(dict(sorted(meta.items())), separators=(",", ":"), ensure_ascii=False)
    assert len(canon.encode()) == len(header[i:end].encode()), "metadata re-serialisation changed length"
    header = header[:i] + canon + header[end:]
    raw[8:8 + n] = header.encode()
    path.write_bytes(bytes(raw))
    with safe_open(str(path), "pt") as f:  # still a valid file with the same metadata
        assert f.metadata() == meta


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=False) + "\n")


SUMMARY: list[str] = []
CASES: list[str] = []


def finish_case(
    case: str,
    fmt: str,
    description: str,
    bits,
    group_size,
    symmetric,
    tensors: dict | None,
    config: dict,
    reference: dict,
    originals: dict,
    tolerance: dict,
    how: str,
    min_sqnr: float,
    metadata: dict | None = None,
    extra: dict | None = None,
    shards: list | None = None,
):
    """Verify the reference against the original weights, then write the case folder.

    `tensors` is the full state dict (written to model.safetensors) unless `shards`
    is given: a list of (filename, dict) written as a sharded checkpoint."""
    d = OUT / case
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    logical = []
    sq = {}
    all_names = set()
    if shards is None:
        all_names = set(tensors)
    else:
        for _, sd in shards:
            all_names |= set(sd)
    for name, ref in reference.items():
        assert ref.dtype == torch.float32 and ref.ndim == 2, name
        assert torch.isfinite(ref).all(), name
        orig = originals[name]
        assert tuple(orig.shape) == tuple(ref.shape), (name, orig.shape, ref.shape)
        s = sqnr_db(ref, orig)
        sq[name] = round(s, 2)
        if s < min_sqnr:
            raise SystemExit(f"{case}: {name} SQNR {s:.2f} dB < {min_sqnr} dB: library dequant does not reproduce")
        prefix = name[: -len(".weight")]
        side = sorted(k for k in all_names if k.startswith(prefix + ".") and k != name)
        logical.append({"name": name, "shape": list(ref.shape), "side_tensors": side})
    meta = {"format": "pt"}
    if metadata:
        meta.update(metadata)
    if shards is None:
        save_file({k: v.contiguous() for k, v in tensors.items()}, str(d / "model.safetensors"), metadata=meta)
        sort_safetensors_metadata(d / "model.safetensors")
    else:
        weight_map = {}
        total = 0
        for fname, sd in shards:
            save_file({k: v.contiguous() for k, v in sd.items()}, str(d / fname), metadata=meta)
            sort_safetensors_metadata(d / fname)
            for k, v in sd.items():
                weight_map[k] = fname
                total += v.numel() * v.element_size()
        write_json(
            d / "model.safetensors.index.json",
            {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))},
        )
    save_file({k: v.contiguous() for k, v in reference.items()}, str(d / "reference.safetensors"))
    write_json(d / "config.json", config)
    info = {
        "case": case,
        "format": fmt,
        "description": description,
        "bits": bits,
        "group_size": group_size,
        "symmetric": symmetric,
        "logical": logical,
        "plain_tensors": sorted(k for k in all_names if k.startswith("model.norm")),
        "tolerance": tolerance,
        "sqnr_db_vs_original": sq,
        "versions": VERSIONS,
        "how": how,
    }
    if extra:
        info.update(extra)
    write_json(d / "case.json", info)
    size = sum(p.stat().st_size for p in d.iterdir())
    line = f"{case:28s} {fmt:18s} " + " ".join(f"{n.split('.')[-2]}:{v:.1f}dB" for n, v in sq.items()) + f"  {size / 1024:.0f} KB"
    print(line, flush=True)
    SUMMARY.append(line)
    CASES.append(case)


def llama_shell_config(hidden: int, inter: int, dtype: str, qcfg: dict) -> dict:
    """A minimal Llama config.json around a quantization_config (for libraries that
    write quantization_config into the model's own config)."""
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": hidden,
        "intermediate_size": inter,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "num_key_value_heads": 2,
        "vocab_size": 64,
        "rms_norm_eps": 1e-6,
        "torch_dtype": dtype,
        "quantization_config": qcfg,
    }


# ---------------------------------------------------------------------------
# GPTQ (auto-gptq 0.7.1: GPTQ.fasterquant + qlinear_cuda.QuantLinear.pack)
# ---------------------------------------------------------------------------


def gptq_one(w32: torch.Tensor, bits: int, gs: int, sym: bool, desc_act: bool, seed: int):
    out_f, in_f = w32.shape
    lin = torch.nn.Linear(in_f, out_f, bias=False, dtype=torch.float16)
    lin.weight.data = w32.to(torch.float16)
    orig = lin.weight.data.float().clone()
    gq = GPTQ(lin)
    gq.quantizer.configure(bits, perchannel=True, sym=sym, mse=False)
    # calibration activations with per-feature spread, so desc_act really permutes
    g = torch.Generator().manual_seed(seed + 1)
    spread = torch.exp(0.5 * torch.randn(in_f, generator=g))
    for _ in range(4):
        x = (torch.randn(1, 64, in_f, generator=g) * spread).to(torch.float16)
        gq.add_batch(x, None)
    scale, zero, g_idx = gq.fasterquant(blocksize=128, percdamp=0.01, group_size=gs, actorder=desc_act, static_groups=False)
    fake_q = lin.weight.data.float().clone()  # what fasterquant leaves in the layer (fp16)
    # pack stores zero-1 as uint32: a zero of 0 would become 0xFFFFFFFF and corrupt the
    # neighbouring nibbles of qzeros (GPTQ "v1" format limitation) — make sure none occurs.
    assert float(zero.min()) >= 1, "a zero point of 0 cannot be stored by auto-gptq's pack"
    ql = GPTQQuantLinear(bits, gs, in_f, out_f, bias=False, weight_dtype=torch.float16)
    ql.pack(lin, scale, zero, g_idx)
    sd = {k: v.clone() for k, v in ql.state_dict().items()}
    # Library dequant: QuantLinear.forward's CPU path builds scales[g_idx]*(q - (z+1))
    # and multiplies; with x = I it returns that matrix. Run once with the stored fp16
    # scales upcast to float32 (exact float32 arithmetic of the stored values) and once
    # as stored (fp16 arithmetic) to check they agree to fp16 rounding.
    with torch.no_grad():
        ql32 = copy.deepcopy(ql)
        ql32.scales = ql.scales.float()
        ref = ql32(torch.eye(in_f, dtype=torch.float32)).t().contiguous()
        ref16 = ql(torch.eye(in_f, dtype=torch.float16)).t().float()
    assert (ref.to(torch.float16).float() == ref16).all(), "fp16 forward is not round_f16(float32 dequant)"
    # the packed codes reproduce what fasterquant left in the layer (up to fp16 scale rounding)
    assert sqnr_db(ref, fake_q) > 40, sqnr_db(ref, fake_q)
    return sd, ref, orig


def gptq_case(case: str, bits: int, sym: bool, desc_act: bool, seed: int, folder: bool = False):
    H, I = 96, 160
    mods = {
        "model.layers.0.mlp.up_proj": make_weight(I, H, seed),
        "model.layers.0.mlp.down_proj": make_weight(H, I, seed + 10),
    }
    torch.manual_seed(seed)
    tensors, ref, orig = {}, {}, {}
    for i, (m, w) in enumerate(mods.items()):
        sd, r, o = gptq_one(w, bits, 32, sym, desc_act, seed + 100 * i)
        for k, v in sd.items():
            tensors[f"{m}.{k}"] = v
        ref[f"{m}.weight"] = r
        orig[f"{m}.weight"] = o
    tensors["model.norm.weight"] = norm_weight(H, torch.float16, seed + 7)
    if desc_act:
        for m in mods:
            gi = tensors[f"{m}.g_idx"]
            assert not bool((gi[1:] >= gi[:-1]).all()), "desc_act g_idx is not permuted"
    if folder:
        # optimum/transformers-style GPTQConfig (carries checkpoint_format)
        qcfg = GPTQConfig(bits=bits, group_size=32, desc_act=desc_act, sym=sym, damp_percent=0.01).to_dict()
    else:
        qcfg = BaseQuantizeConfig(bits=bits, group_size=32, desc_act=desc_act, sym=sym, damp_percent=0.01).to_dict()
    config = llama_shell_config(H, I, "float16", qcfg)
    metadata = {
        "auto_gptq_version": VERSIONS["auto-gptq"],
        "gptq_bits": str(bits),
        "gptq_group_size": "32",
        "gptq_desc_act": str(desc_act),
        "gptq_damp_percent": "0.01",
        "gptq_is_marlin_format": "False",
    }
    desc = (
        f"GPTQ int{bits} group 32 {'symmetric' if sym else 'asymmetric'}"
        + (" desc_act (permuted g_idx)" if desc_act else "")
        + "; up_proj [160,96] and down_proj [96,160], fp16 scales"
    )
    tol = {
        "kind": "exact",
        "value": 0,
        "why": "reference = QuantLinear.forward(I) with the stored fp16 scales upcast to float32: "
        "float32 s[g_idx]*(q-(z+1)), one rounding. auto-gptq's own fp16 forward equals this rounded to fp16 "
        "(checked); compare with relative 4.9e-4 if you dequantize in fp16.",
    }
    how = (
        "auto_gptq.quantization.gptq.GPTQ(add_batch ×4 seeded fp16 activations, fasterquant(percdamp=0.01, "
        f"group_size=32, actorder={desc_act})) → qlinear_cuda.QuantLinear.pack → state_dict; reference "
        "QuantLinear.forward(eye) on CPU; config quantization_config = "
        + ("transformers GPTQConfig.to_dict()" if folder else "auto-gptq BaseQuantizeConfig.to_dict()")
    )
    extra = {
        "notes": "qzeros hold zero-1 (auto-gptq pack does zeros -= 1); forward adds 1 back. "
        "qweight [in*bits/32, out] packs along in, qzeros [groups, out*bits/32] packs along out."
    }
    if folder:
        a = {k: v for k, v in tensors.items() if k.startswith("model.layers.0.mlp.up_proj")}
        b = {k: v for k, v in tensors.items() if k not in a}
        shards = [("model-00001-of-00002.safetensors", a), ("model-00002-of-00002.safetensors", b)]
        extra["notes"] += " Sharded: up_proj in shard 1, down_proj + model.norm.weight in shard 2."
        finish_case(case, "gptq", desc + "; sharded folder", bits, 32, sym, None, config, ref, orig, tol, how,
                    10.0, metadata, extra, shards=shards)
    else:
        finish_case(case, "gptq", desc, bits, 32, sym, tensors, config, ref, orig, tol, how,
                    10.0 if bits == 4 else 25.0, metadata, extra)


# ---------------------------------------------------------------------------
# AWQ (autoawq 0.2.9: pseudo_quantize_tensor + WQLinear_GEMM.from_linear)
# ---------------------------------------------------------------------------


def awq_case(case: str, seed: int):
    H, I = 96, 160
    mods = {
        "model.layers.0.mlp.up_proj": make_weight(I, H, seed),
        "model.layers.0.mlp.down_proj": make_weight(H, I, seed + 10),
    }
    torch.manual_seed(seed)
    q = AwqQuantizer.__new__(AwqQuantizer)  # only the quantization settings are needed
    q.w_bit, q.group_size, q.zero_point, q.version = 4, 32, True, "gemm"
    tensors, ref, orig = {}, {}, {}
    for m, w in mods.items():
        out_f, in_f = w.shape
        lin = torch.nn.Linear(in_f, out_f, bias=False).half()  # as AwqQuantizer._apply_quant
        lin.weight.data = w.to(torch.float16)
        orig[f"{m}.weight"] = lin.weight.data.float().clone()
        lin.weight.data, scales, zeros = q.pseudo_quantize_tensor(lin.weight.data)
        fake_q = lin.weight.data.float().clone()
        scales = scales.t().contiguous()
        zeros = zeros.t().contiguous()
        ql = WQLinear_GEMM.from_linear(lin, 4, 32, False, scales, zeros)
        for k, v in ql.state_dict().items():
            tensors[f"{m}.{k}"] = v.clone()
        r = dequantize_gemm(ql.qweight, ql.qzeros, ql.scales.float(), 4, 32).t().contiguous()
        r16 = dequantize_gemm(ql.qweight, ql.qzeros, ql.scales, 4, 32).t().float()
        assert r.dtype == torch.float32
        assert (r.to(torch.float16).float() == r16).all()
        assert sqnr_db(r, fake_q) > 40, sqnr_db(r, fake_q)
        ref[f"{m}.weight"] = r
    tensors["model.norm.weight"] = norm_weight(H, torch.float16, seed + 7)
    cfg = AutoAwqConfig(zero_point=True, q_group_size=32, w_bit=4, version="gemm").to_transformers_dict()
    config = llama_shell_config(H, I, "float16", cfg)
    finish_case(
        case, "awq",
        "AWQ GEMM int4 group 32 with zero point; up_proj [160,96], down_proj [96,160]; fp16 scales",
        4, 32, False, tensors, config, ref, orig,
        {"kind": "exact", "value": 0,
         "why": "reference = awq.utils.packing_utils.dequantize_gemm with the stored fp16 scales upcast to float32: "
                "float32 (q-z)*s. With the fp16 scales as stored it returns this rounded to fp16 (checked)."},
        "AwqQuantizer.pseudo_quantize_tensor (fp16, zero_point) → WQLinear_GEMM.from_linear → state_dict; "
        "reference dequantize_gemm(qweight, qzeros, scales.float(), 4, 32).T; config AwqConfig.to_transformers_dict(). "
        "The activation-aware scale/clip search (needs a calibration model) is skipped: it only changes the weights fed in.",
        10.0,
        extra={"notes": "qweight [in, out/8] and qzeros [in/32, out/8] are packed along out with nibble order "
                        "0,2,4,6,1,3,5,7; zeros stored as is (no -1)."},
    )


# ---------------------------------------------------------------------------
# compressed-tensors 0.20.1: apply_quantization_config → min-max qparams
# (calculate_qparams) → ModelCompressor.compress_model; decompress for reference
# ---------------------------------------------------------------------------


class TinyMLP(torch.nn.Module):
    """model.layers.0.mlp.<name> linears, nothing else (names as in a Llama checkpoint)."""

    def __init__(self, shapes: dict, dtype: torch.dtype):
        super().__init__()
        self.model = torch.nn.Module()
        self.model.layers = torch.nn.ModuleList([torch.nn.Module()])
        mlp = torch.nn.Module()
        self.model.layers[0].mlp = mlp
        for n, (o, i) in shapes.items():
            setattr(mlp, n, torch.nn.Linear(i, o, bias=False, dtype=dtype))


def ct_minmax(w: torch.Tensor, args: QuantizationArgs):
    """What llm-compressor's min-max observer hands to calculate_qparams, per strategy
    (llm-compressor itself is not installed: it would downgrade compressed-tensors)."""
    o, i = w.shape
    st = getattr(args.strategy, "value", args.strategy)
    if st == "group":
        g = args.group_size
        x = w.reshape(o, i // g, g)
        return x.amin(-1), x.amax(-1)
    if st == "channel":
        return w.amin(1, keepdim=True), w.amax(1, keepdim=True)
    if st == "block":
        bm, bn = args.block_structure
        R, C = math.ceil(o / bm), math.ceil(i / bn)
        mn = torch.empty(R, C, dtype=w.dtype)
        mx = torch.empty(R, C, dtype=w.dtype)
        for r in range(R):
            for c in range(C):
                blk = w[r * bm:(r + 1) * bm, c * bn:(c + 1) * bn]
                mn[r, c] = blk.min()
                mx[r, c] = blk.max()
        return mn, mx
    raise ValueError(st)


def ct_case(case: str, description: str, shapes: dict, scheme_kwargs: dict, fmt: str | None, seed: int,
            bits: int, group_size, symmetric: bool, min_sqnr: float, notes: str):
    from compressed_tensors.compressors.base import BaseCompressor
    dtype = torch.bfloat16
    torch.manual_seed(seed)
    m = TinyMLP(shapes, dtype)
    orig = {}
    for j, (n, (o, i)) in enumerate(shapes.items()):
        lin = getattr(m.model.layers[0].mlp, n)
        lin.weight.data = make_weight(o, i, seed + 10 * j).to(dtype)
        orig[f"model.layers.0.mlp.{n}.weight"] = lin.weight.data.float().clone()
    scheme = QuantizationScheme(targets=["Linear"], format=fmt, **scheme_kwargs)
    cfg = QuantizationConfig(config_groups={"group_0": scheme}, quantization_status="initialized")
    apply_quantization_config(m, cfg, show_progress=False)
    for _, mod in m.named_modules():
        if isinstance(mod, torch.nn.Linear):
            args = mod.quantization_scheme.weights
            mn, mx = ct_minmax(mod.weight.data, args)
            sc, zp = calculate_qparams(mn, mx, args)
            mod.weight_scale.data.copy_(sc)
            if hasattr(mod, "weight_zero_point"):
                mod.weight_zero_point.data.copy_(zp)
            mod.quantization_status = QuantizationStatus.FROZEN
    comp = ModelCompressor.from_pretrained_model(m)
    comp.compress_model(m)
    tensors = {k: v.detach().clone() for k, v in m.state_dict().items()}
    hidden = shapes["down_proj"][0]  # the residual width: down_proj writes into it
    tensors["model.norm.weight"] = norm_weight(hidden, dtype, seed + 7)
    with tempfile.TemporaryDirectory() as td:
        write_json(Path(td) / "config.json", llama_shell_config(
            hidden, shapes["down_proj"][1], "bfloat16", {}))
        comp.update_config(td)  # writes quantization_config exactly as the library does
        config = json.loads((Path(td) / "config.json").read_text())
    # library decompression in the model dtype (what transformers' loader would produce)
    m2 = copy.deepcopy(m)
    comp.decompress_model(m2)
    ref = {}
    for n in shapes:
        mod = getattr(m.model.layers[0].mlp, n)
        scheme_n = mod.quantization_scheme
        cls = BaseCompressor.get_value_from_registry(getattr(scheme_n.format, "value", scheme_n.format))
        local = {k.split(".")[-1]: v for k, v in tensors.items() if k.startswith(f"model.layers.0.mlp.{n}.")}
        local["weight_scale"] = local["weight_scale"].float()
        r = cls.decompress(local, scheme_n)["weight"]
        assert r.dtype == torch.float32, r.dtype
        dm = getattr(m2.model.layers[0].mlp, n).weight.data
        assert dm.dtype == dtype
        assert (r.to(dtype) == dm).all(), f"{case}: decompress_model (bf16) != bf16(float32 decompress)"
        ref[f"model.layers.0.mlp.{n}.weight"] = r.contiguous()
    fmt_used = config["quantization_config"]["format"]
    finish_case(
        case, "compressed-tensors", description + f" (format {fmt_used})", bits, group_size, symmetric,
        tensors, config, ref, orig,
        {"kind": "exact", "value": 0,
         "why": "reference = the format's compressor .decompress() with the stored bf16 weight_scale upcast to "
                "float32: float32 scale*(q-zp) / fp8.float()*scale. ModelCompressor.decompress_model (model dtype "
                "bf16) equals this rounded to bf16 (checked); compare with relative 3.9e-3 against that."},
        "TinyMLP(bf16) → apply_quantization_config → min/max per strategy → calculate_qparams → "
        "ModelCompressor.from_pretrained_model(...).compress_model → state_dict; config via update_config; "
        "reference BaseCompressor.get_value_from_registry(format).decompress (scale→float32), checked against decompress_model",
        min_sqnr, extra={"notes": notes},
    )


# ---------------------------------------------------------------------------
# bitsandbytes 0.50.2 through transformers (from_pretrained(..., BitsAndBytesConfig,
# device_map="cpu") + save_pretrained): the real serialisation
# ---------------------------------------------------------------------------


def bnb_case(case: str, description: str, H: int, I: int, quantized: list, bnb_kwargs: dict, seed: int,
             bits: int, group_size, min_sqnr: float, tol: dict, notes: str):
    torch.manual_seed(seed)
    cfg = LlamaConfig(hidden_size=H, intermediate_size=I, num_hidden_layers=1, num_attention_heads=2,
                      num_key_value_heads=2, vocab_size=64, max_position_embeddings=64, tie_word_embeddings=False)
    model = LlamaForCausalLM(cfg).to(torch.float16)
    orig = {}
    for j, n in enumerate(("up_proj", "down_proj")):
        lin = getattr(model.model.layers[0].mlp, n)
        o, i = lin.weight.shape
        lin.weight.data = make_weight(o, i, seed + 10 * j).to(torch.float16)
        orig[f"model.layers.0.mlp.{n}.weight"] = lin.weight.data.float().clone()
    model.model.norm.weight.data = norm_weight(H, torch.float16, seed + 7)
    all_lin = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"]
    skip = [n for n in all_lin if n not in quantized]
    qconf = BitsAndBytesConfig(llm_int8_skip_modules=skip, **bnb_kwargs)
    with tempfile.TemporaryDirectory() as src, tempfile.TemporaryDirectory() as dst:
        model.save_pretrained(src)
        with contextlib.redirect_stderr(io.StringIO()):
            qm = LlamaForCausalLM.from_pretrained(src, quantization_config=qconf, device_map="cpu", dtype=torch.float16)
            qm.save_pretrained(dst)
        config = json.loads((Path(dst) / "config.json").read_text())
        with safe_open(str(Path(dst) / "model.safetensors"), "pt") as f:
            saved = {k: f.get_tensor(k) for k in f.keys()}
    keep = tuple(f"model.layers.0.mlp.{n}.weight" for n in quantized)
    mods = tuple(f"model.layers.0.mlp.{n}." for n in quantized)
    tensors = {k: v for k, v in saved.items() if k.startswith(mods) or k == "model.norm.weight"}
    orig = {k: v for k, v in orig.items() if k in keep}
    ref = {}
    for name in keep:
        if bnb_kwargs.get("load_in_8bit"):
            cb, scb = tensors[name], tensors[name[: -len("weight")] + "SCB"]
            r = bnbF.int8_vectorwise_dequant(cb, scb)
            assert r.dtype == torch.float32
            assert (r == (cb.float() * scb.view(-1, 1)) * torch.tensor(7.874015718698502e-3, dtype=torch.float32)).all()
        else:
            qsd = {k[len(name) + 1:]: v for k, v in tensors.items() if k.startswith(name + ".")}
            qs = bnbF.QuantState.from_dict(qsd, device=torch.device("cpu"))  # how bnb loads it back
            r16 = bnbF.dequantize_4bit(tensors[name], qs)  # model dtype (fp16), as stored
            qs32 = copy.deepcopy(qs)
            qs32.dtype = torch.float32
            r = bnbF.dequantize_4bit(tensors[name], qs32)
            assert r.dtype == torch.float32 and r16.dtype == torch.float16
            assert (r.to(torch.float16) == r16).all(), "fp16 dequant != round_f16(float32 dequant)"
        ref[name] = r.contiguous()
    finish_case(
        case, "bitsandbytes", description, bits, group_size, None if bits == 4 else True, tensors, config, ref, orig,
        tol,
        "LlamaForCausalLM(fp16, 1 layer) with seeded weights → save_pretrained → from_pretrained(quantization_config="
        f"BitsAndBytesConfig({', '.join(f'{k}={v}' for k, v in bnb_kwargs.items())}, llm_int8_skip_modules=<all other linears>), "
        "device_map='cpu') → save_pretrained; model.safetensors keeps the quantized modules' tensors and model.norm.weight "
        "byte-for-byte (other plain tensors dropped), config.json is the saved one unchanged; reference "
        + ("bitsandbytes.functional.int8_vectorwise_dequant(weight, SCB)" if bits == 8 else
           "bitsandbytes.functional.dequantize_4bit(weight, QuantState.from_dict(saved side tensors)) with quant_state.dtype=float32"),
        min_sqnr, extra={"notes": notes},
    )


BNB4_TOL = {"kind": "exact", "value": 0,
            "why": "reference = dequantize_4bit with QuantState.dtype set to float32: float32 quant_map[code]*absmax "
                   "(absmax itself float32, or nested_quant_map[c]*nested_absmax[b]+nested_offset in float32 with double "
                   "quant). With the stored dtype (float16) bnb returns this rounded to fp16 (checked)."}
BNB4_NOTES = ("weight U8 [numel/2, 1] = flattened row-major [out,in], first element in the HIGH nibble; absmax per 64 "
              "consecutive elements; quant_state.bitsandbytes__<type> is a U8 tensor holding JSON text.")


# ---------------------------------------------------------------------------
# transformers' FP8 integrations: FineGrainedFP8 (Fp8Quantize/Fp8Dequantize) and
# FBGEMM FP8 (pure-torch quantize_fp8_per_row; the fbgemm op itself is CUDA-only)
# ---------------------------------------------------------------------------


def finegrained_fp8_case(case: str, seed: int):
    torch.manual_seed(seed)
    qcfg = FineGrainedFP8Config()  # weight_block_size [128, 128], scale_fmt "float"
    hfq = types.SimpleNamespace(quantization_config=qcfg)
    name = "model.layers.0.mlp.down_proj.weight"
    w = make_weight(256, 384, seed).to(torch.bfloat16)
    out = Fp8Quantize(hfq)._quantize_one(name, w)
    assert set(out) == {name, "model.layers.0.mlp.down_proj.weight_scale_inv"}, "Fp8Quantize skipped the weight"
    tensors = dict(out)
    tensors["model.norm.weight"] = norm_weight(256, torch.bfloat16, seed + 7)
    deq = Fp8Dequantize(hfq)
    r = deq._dequantize_one(out[name], out["model.layers.0.mlp.down_proj.weight_scale_inv"], output_dtype=torch.float32)
    rb = deq._dequantize_one(out[name], out["model.layers.0.mlp.down_proj.weight_scale_inv"], output_dtype=torch.bfloat16)
    assert (r.to(torch.bfloat16) == rb).all()
    config = llama_shell_config(256, 384, "bfloat16", qcfg.to_dict())
    finish_case(
        case, "fp8", "FineGrainedFP8 (DeepSeek-style) E4M3 weights, 128x128 blocks; down_proj [256,384] (2x3 blocks), bf16 model",
        8, None, True, tensors, config, {name: r.contiguous()}, {name: w.float()},
        {"kind": "exact", "value": 0,
         "why": "reference = Fp8Dequantize._dequantize_one(..., output_dtype=float32): float32 fp8.float()*weight_scale_inv "
                "(F32). Loading with the default output dtype (bf16) rounds this to bf16 (checked)."},
        "transformers.integrations.finegrained_fp8.Fp8Quantize(hf_quantizer with FineGrainedFP8Config())._quantize_one "
        "(bf16 weight) → weight + weight_scale_inv; reference Fp8Dequantize._dequantize_one(output_dtype=float32); "
        "config quantization_config = FineGrainedFP8Config().to_dict()",
        25.0,
        extra={"notes": "weight_scale_inv F32 [out/128, in/128] MULTIPLIES (it is max|w|/448 per block despite the name). "
                        "Fp8Quantize silently returns the weight unquantized when a dim is not a multiple of 128."},
    )


def fbgemm_fp8_case(case: str, seed: int):
    torch.manual_seed(seed)
    tensors, ref, orig = {}, {}, {}
    for j, (n, (o, i)) in enumerate(MLP2.items()):
        key = f"model.layers.0.mlp.{n}.weight"
        w = make_weight(o, i, seed + 10 * j).to(torch.bfloat16)
        q, sc = quantize_fp8_per_row(w)
        # as FbgemmFp8Quantize.convert: weight_scale is the per-row scale viewed [out, 1]
        tensors[key] = q
        tensors[f"model.layers.0.mlp.{n}.weight_scale"] = sc.view(sc.shape[0], 1)
        ref[key] = (q.to(torch.float32) * sc.view(-1, 1)).contiguous()
        orig[key] = w.float()
    tensors["model.norm.weight"] = norm_weight(96, torch.bfloat16, seed + 7)
    config = llama_shell_config(96, 160, "bfloat16", FbgemmFp8Config().to_dict())
    finish_case(
        case, "fbgemm_fp8", "FBGEMM FP8 E4M3 per-row (per output channel) weights; up_proj [160,96], down_proj [96,160], bf16 model",
        8, None, True, tensors, config, ref, orig,
        {"kind": "exact", "value": 0,
         "why": "reference = float32(fp8) * weight_scale (F32), computed by this script: FbgemmFp8Linear has no CPU "
                "dequantization (its forward needs the CUDA fbgemm / scaled_mm kernels)."},
        "transformers.integrations.compressed_tensors.quantize_fp8_per_row (the pure-torch port FbgemmFp8Quantize uses "
        "when fbgemm_gpu is absent) on the bf16 weight, scale viewed [out,1] as FbgemmFp8Quantize.convert does; "
        "reference weight.float()*weight_scale (own formula, no library CPU dequant); config FbgemmFp8Config().to_dict()",
        25.0,
        extra={"notes": "weight_scale F32 [out,1] = row max|w| / 448, multiplies; input_scale_ub is a non-persistent "
                        "buffer so it is not in checkpoints. The CUDA fbgemm op may differ from this port in rounding."},
    )


MLP2 = {"up_proj": (160, 96), "down_proj": (96, 160)}



README_HEAD = """# Pre-quantized checkpoint fixtures (issue 10, docs/contract.md §8)

Generated by `tools/make_prequant_fixtures.py` with the real quantization libraries, CPU only:

    /work/venv-prequant/bin/python tools/make_prequant_fixtures.py          # all cases + manifest + this README
    /work/venv-prequant/bin/python tools/make_prequant_fixtures.py bnb-nf4  # one case (manifest/README untouched)

auto-gptq and autoawq are installed `--no-deps` next to transformers 5; the script works around their
import problems (see its header and /work/shared/PREQUANT-NOTES.md). Seeded and single-threaded: two runs
give byte-identical files.

Each `<case>/` holds

- `model.safetensors` — tensors exactly as the library / `save_pretrained` writes them (real checkpoint
  names), plus `model.norm.weight`, a plain tensor that must stay plain. `gptq-folder` is instead a sharded
  folder: `model-00001-of-00002.safetensors` (up_proj), `model-00002-of-00002.safetensors` (down_proj and
  the norm) and `model.safetensors.index.json`.
- `config.json` — the `quantization_config` the library writes (bitsandbytes: transformers' saved config
  unchanged; compressed-tensors: `ModelCompressor.update_config` output; others: a minimal Llama config
  around the library's own dict).
- `reference.safetensors` — the library's own dequantization, float32, `<module>.weight` [out, in].
- `case.json` — format, bits, group size, symmetric, logical weights with their side tensors, the
  tolerance to compare with (and why), SQNR of the reference against the original weight, versions,
  and the library calls.

Independent check: `python3 tools/check_prequant_fixtures.py` decodes every case with numpy from the
layouts in PREQUANT-NOTES.md and compares bit-for-bit with reference.safetensors (all EXACT).

Weights: N(0, 0.02²) with two outlier input columns (×10), seeded per case.

Tolerances: every case is `exact` against the float32 reference, because each reference is the
library's dequantization evaluated in float32 on the stored values (where the library would compute in
fp16/bf16, the stored 16-bit scales are upcast first; the script checks that the library's 16-bit output
equals the float32 reference rounded to that type). Orders of operations that matter for bit-exactness
are spelled out in each case.json (`bnb-int8`: (q·SCB)·float32(1/127)).

## Cases

| case | format | what |
|---|---|---|
"""


def write_readme(formats: dict) -> None:
    rows = []
    for c in CASES:
        info = json.loads((OUT / c / "case.json").read_text())
        rows.append(f"| `{c}` | {formats[c]} | {info['description']} |")
    vers = "\n".join(f"- {k} {v}" for k, v in VERSIONS.items())
    text = README_HEAD + "\n".join(rows) + "\n\n## Versions\n\n" + vers + "\n"
    (OUT / "README.md").write_text(text)


def main():
    only = set(sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    steps = [
        ("gptq-int4-g32-sym", lambda c: gptq_case(c, 4, True, False, 1001)),
        ("gptq-int4-g32-asym-descact", lambda c: gptq_case(c, 4, False, True, 1002)),
        ("gptq-int8-g32-asym", lambda c: gptq_case(c, 8, False, False, 1003)),
        ("gptq-folder", lambda c: gptq_case(c, 4, True, False, 1004, folder=True)),
        ("awq-int4-g32", lambda c: awq_case(c, 2001)),
        ("ct-pack-int4-g32-sym", lambda c: ct_case(
            c, "compressed-tensors int4 group 32 symmetric, bf16 scales; up_proj [160,96], down_proj [96,160]",
            MLP2, dict(weights=QuantizationArgs(num_bits=4, type="int", strategy="group", group_size=32, symmetric=True)),
            None, 3001, 4, 32, True, 10.0,
            "weight_packed I32 [out, ceil(in/8)], element j of a row at bits 4*(j%8) of word j//8, code+8 stored; "
            "no zero point tensor for symmetric")),
        ("ct-pack-int4-g32-asym", lambda c: ct_case(
            c, "compressed-tensors int4 group 32 asymmetric, bf16 scales; up_proj [160,96], down_proj [96,160]",
            MLP2, dict(weights=QuantizationArgs(num_bits=4, type="int", strategy="group", group_size=32, symmetric=False)),
            None, 3002, 4, 32, False, 10.0,
            "weight_zero_point I32 [ceil(out/8), groups] packed along out (pack_to_int32 packed_dim=0), zp+8 stored")),
        ("ct-naive-int8-channel", lambda c: ct_case(
            c, "compressed-tensors int8 per-channel symmetric weight-only, forced naive-quantized; up_proj [160,96], down_proj [96,160]",
            MLP2, dict(weights=QuantizationArgs(num_bits=8, type="int", strategy="channel", symmetric=True)),
            "naive-quantized", 3003, 8, None, True, 25.0,
            "weight I8 [out,in], weight_scale bf16 [out,1]. Weight-only int8 would be inferred as pack-quantized, "
            "so the scheme's format is set to naive-quantized")),
        ("ct-fp8-channel", lambda c: ct_case(
            c, "compressed-tensors FP8 E4M3 per-channel weights + dynamic per-token FP8 activations (FP8_DYNAMIC preset); "
            "up_proj [160,96], down_proj [96,160]",
            MLP2, dict(weights=QuantizationArgs(num_bits=8, type="float", strategy="channel", symmetric=True),
                       input_activations=QuantizationArgs(num_bits=8, type="float", strategy="token", symmetric=True, dynamic=True)),
            None, 3004, 8, None, True, 25.0,
            "weight F8_E4M3 [out,in], weight_scale bf16 [out,1] multiplies; dynamic activations add no tensor. "
            "float-quantized is only inferred when input activations are quantized (weight-only FP8 → naive-quantized)")),
        ("ct-fp8-block128", lambda c: ct_case(
            c, "compressed-tensors FP8 E4M3 128x128 blocks + dynamic group-128 FP8 activations (FP8_BLOCK preset); "
            "down_proj [200,300] so the last block row/column are partial",
            {"down_proj": (200, 300)},
            dict(weights=QuantizationArgs(num_bits=8, type="float", strategy="block", block_structure=[128, 128], symmetric=True),
                 input_activations=QuantizationArgs(num_bits=8, type="float", strategy="group", group_size=128, symmetric=True, dynamic=True)),
            None, 3005, 8, None, True, 25.0,
            "weight_scale bf16 [ceil(out/128), ceil(in/128)] = [2,3]; partial edge blocks use the scale of their block")),
        ("bnb-nf4", lambda c: bnb_case(
            c, "bitsandbytes NF4 blocksize 64, no double quant; up_proj [192,64], down_proj [64,192], fp16 model",
            64, 192, ["up_proj", "down_proj"],
            dict(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=False, bnb_4bit_compute_dtype=torch.float16),
            4001, 4, 64, 10.0, BNB4_TOL, BNB4_NOTES)),
        ("bnb-fp4", lambda c: bnb_case(
            c, "bitsandbytes FP4 blocksize 64, no double quant; up_proj [192,64], down_proj [64,192], fp16 model",
            64, 192, ["up_proj", "down_proj"],
            dict(load_in_4bit=True, bnb_4bit_quant_type="fp4", bnb_4bit_use_double_quant=False, bnb_4bit_compute_dtype=torch.float16),
            4002, 4, 64, 10.0, BNB4_TOL, BNB4_NOTES)),
        ("bnb-nf4-double", lambda c: bnb_case(
            c, "bitsandbytes NF4 blocksize 64 with double quant (nested blocksize 256); down_proj [200,320] = 1000 "
            "blocks so nested_absmax has 4 entries, the last covering a partial group of 232; fp16 model",
            200, 320, ["down_proj"],
            dict(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=torch.float16),
            4003, 4, 64, 10.0, BNB4_TOL,
            BNB4_NOTES + " Double quant: absmax is U8 codes, absmax = nested_quant_map[code]*nested_absmax[block//256] + nested_offset (JSON).")),
        ("bnb-int8", lambda c: bnb_case(
            c, "bitsandbytes LLM.int8 weights (row-wise absmax); up_proj [192,64], down_proj [64,192], fp16 model",
            64, 192, ["up_proj", "down_proj"], dict(load_in_8bit=True), 4004, 8, None, 25.0,
            {"kind": "exact", "value": 0,
             "why": "reference = int8_vectorwise_dequant = (float32(q)*SCB)*7.874015718698502e-3 (float32 1/127), in that "
                    "order: exact for a reader that does the same; q*SCB/127 differs by up to ~1 ulp (relative 2.4e-7)."},
            "weight I8 [out,in], SCB F32 [out] (row absmax), weight_format U8 rank-0 (shape [])")),
        ("fbgemm-fp8", lambda c: fbgemm_fp8_case(c, 5001)),
        ("finegrained-fp8-block128", lambda c: finegrained_fp8_case(c, 5002)),
    ]
    for name, fn in steps:
        if only and name not in only:
            continue
        fn(name)
    if only:
        return  # partial run: leave manifest and README alone
    formats = {c: json.loads((OUT / c / "case.json").read_text())["format"] for c in CASES}
    write_json(OUT / "manifest.json", {"cases": CASES, "formats": formats, "versions": VERSIONS,
                                       "generator": "tools/make_prequant_fixtures.py"})
    write_readme(formats)


if __name__ == "__main__":
    main()
