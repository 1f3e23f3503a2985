#!/usr/bin/env python3
"""
check_prequant_fixtures.py — an independent numpy decode of every prequant fixture
(Tests/QuantEngineTests/Fixtures/prequant), following the layouts written down in
/work/shared/PREQUANT-NOTES.md, compared bit-for-bit with each case's
reference.safetensors (which the libraries themselves produced, see
make_prequant_fixtures.py). It checks the notes, not the libraries: if a layout
claim were wrong, the case would print DIFF.

Usage (needs numpy + ml_dtypes only):  python3 tools/check_prequant_fixtures.py
"""
import os
from pathlib import Path
os.chdir(Path(__file__).resolve().parent.parent / "Tests/QuantEngineTests/Fixtures/prequant")
import json, numpy as np, ml_dtypes
import struct
DT={'F32':np.float32,'F16':np.float16,'BF16':ml_dtypes.bfloat16,'F8_E4M3':ml_dtypes.float8_e4m3fn,'I32':np.int32,'I64':np.int64,'I8':np.int8,'U8':np.uint8}
def load_file(p):
    b=open(p,'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); out={}
    for k,v in h.items():
        if k=='__metadata__': continue
        a,e=v['data_offsets']; out[k]=np.frombuffer(b[8+n+a:8+n+e],dtype=DT[v['dtype']]).reshape(v['shape'])
    return out
import glob, os
def load(c):
    t = {}
    for f in sorted(glob.glob(c+'/model*.safetensors')): t.update(load_file(f))
    return t, load_file(c+'/reference.safetensors'), json.load(open(c+'/case.json'))
def f32(x): return x.astype(np.float32)
def unpack(words, bits, axis):  # little-endian fields along axis
    n = 32//bits; w = words.astype(np.uint32)
    parts = [((w >> (bits*i)) & ((1<<bits)-1)) for i in range(n)]
    st = np.stack(parts, axis=axis+1)
    sh = list(words.shape); sh[axis] *= n
    return st.reshape(sh).astype(np.int64)
res = {}
for c in json.load(open('manifest.json'))['cases']:
    t, ref, info = load(c); ok = True
    for lg in info['logical']:
        name = lg['name']; m = name[:-7]; out, inn = lg['shape']; R = ref[name]
        fmt = info['format']
        if fmt == 'gptq':
            b = info['bits']; q = unpack(t[m+'.qweight'], b, 0)  # [in, out]
            z = unpack(t[m+'.qzeros'], b, 1)  # [groups, out]
            s = f32(t[m+'.scales']); g = t[m+'.g_idx']
            W = (s[g] * f32(q - (z[g] + 1))).T
        elif fmt == 'awq':
            order = [0,2,4,6,1,3,5,7]
            def un(x):
                u = unpack(x, 4, 1).reshape(x.shape[0], -1, 8)
                o = np.empty_like(u); 
                for i in range(8): o[:, :, order[i]] = u[:, :, i]
                return o.reshape(x.shape[0], -1)
            q = un(t[m+'.qweight']); z = un(t[m+'.qzeros']); s = f32(t[m+'.scales'])
            G = info['group_size']; W = (f32(q - np.repeat(z, G, 0)) * np.repeat(s, G, 0)).T
        elif fmt == 'compressed-tensors':
            s = f32(t[m+'.weight_scale'])
            if m+'.weight_packed' in t:
                q = unpack(t[m+'.weight_packed'], 4, 1)[:, :inn] - 8
                G = info['group_size']; sg = np.repeat(s, G, 1)
                if m+'.weight_zero_point' in t:
                    zp = unpack(t[m+'.weight_zero_point'], 4, 0)[:out] - 8
                    W = sg * f32(q - np.repeat(zp, G, 1))
                else: W = sg * f32(q)
            else:
                q = f32(t[m+'.weight']) if t[m+'.weight'].dtype != np.int8 else f32(t[m+'.weight'])
                if s.shape[1] == 1: W = q * s
                else: W = q * np.repeat(np.repeat(s, 128, 0), 128, 1)[:out, :inn]
        elif fmt == 'bitsandbytes':
            if m+'.SCB' in t:
                W = (f32(t[name]) * t[m+'.SCB'][:, None]) * np.float32(1/127)
                W2 = f32(t[name]) * t[m+'.SCB'][:, None] / np.float32(127)
                res[c+' q*SCB/127 maxulpdiff'] = int(np.abs(W2.view(np.int32) - R.view(np.int32)).max())
            else:
                qs = json.loads(bytes(t[[k for k in t if k.startswith(name+'.quant_state')][0]]).decode())
                by = t[name].reshape(-1); codes = np.empty(by.size*2, np.int64); codes[0::2] = by >> 4; codes[1::2] = by & 15
                absm = t[name+'.absmax']
                if 'nested_offset' in qs:
                    absm = t[name+'.nested_quant_map'][absm.astype(np.int64)] * np.repeat(t[name+'.nested_absmax'], 256)[:absm.size] + np.float32(qs['nested_offset'])
                W = (t[name+'.quant_map'][codes] * np.repeat(absm, 64)[:codes.size]).reshape(out, inn)
        elif fmt == 'fp8':
            s = t[m+'.weight_scale_inv']; W = f32(t[name]) * np.repeat(np.repeat(s, 128, 0), 128, 1)
        elif fmt == 'fbgemm_fp8':
            W = f32(t[name]) * t[m+'.weight_scale']
        W = W.astype(np.float32)
        eq = np.array_equal(W.view(np.int32), R.view(np.int32))
        ok &= eq
        if not eq: res[c+' '+name+' maxabs'] = float(np.abs(W-R).max())
    res[c] = 'EXACT' if ok else 'DIFF'
for k,v in res.items(): print(k, v)
