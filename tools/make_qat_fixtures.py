#!/usr/bin/env python3
"""Reference values for the PTQ-vs-QAT engine (docs/contract.md §13), from numpy.

Writes Tests/QuantEngineTests/Fixtures/qat/:
  gradients.json      a tiny MLP [2, 5, 4, 3] (weights [out, in], ReLU between
                      layers, softmax cross-entropy), a batch of 6 points and
                      labels; the mean loss and every gradient in float64.
  fake_quant.json     for bits 2, 3, 4: each weight matrix of a [2, 6, 5, 3] MLP
                      quantized and dequantized as symmetric intB per output
                      channel (docs/contract.md §1, float32 arithmetic, round half
                      to even), and the straight-through-estimator gradient of
                      the batch loss with respect to the float weights: the
                      gradient at the quantized weights, passed through unchanged.

Parameters and inputs are float32 values (written as their shortest repr);
the forward and backward passes run in float64 on those values. Points whose
pre-activation lies within 1e-3 of ReLU's kink are redrawn, so the Swift
float32 pass lands on the same side.

Run: /work/venv/bin/python tools/make_qat_fixtures.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "QuantEngineTests", "Fixtures", "qat")


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def forward_backward(ws, bs, x, y):
    """Mean cross-entropy and its gradients; ws[l] is [out, in]."""
    acts = [x]
    pre = []
    for l, (w, b) in enumerate(zip(ws, bs)):
        z = acts[-1] @ w.T + b
        pre.append(z)
        acts.append(np.maximum(z, 0) if l < len(ws) - 1 else z)
    z = acts[-1]
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = float(np.mean(np.log(s[:, 0]) + m[:, 0] - z[np.arange(n), y]))
    dz = e / s
    dz[np.arange(n), y] -= 1
    dz /= n
    gw, gb = [None] * len(ws), [None] * len(ws)
    for l in range(len(ws) - 1, -1, -1):
        gw[l] = dz.T @ acts[l]
        gb[l] = dz.sum(axis=0)
        if l > 0:
            dz = (dz @ ws[l]) * (pre[l - 1] > 0)
    return loss, gw, gb, pre


def draw(rng, sizes, n):
    while True:
        ws = [rng.uniform(-1, 1, size=(sizes[l + 1], sizes[l])).astype(np.float32) for l in range(len(sizes) - 1)]
        bs = [rng.uniform(-0.2, 0.2, size=sizes[l + 1]).astype(np.float32) for l in range(len(sizes) - 1)]
        x = rng.uniform(-1, 1, size=(n, sizes[0])).astype(np.float32)
        y = rng.integers(0, sizes[-1], size=n)
        yield ws, bs, x, y


def kink_free(pre):
    return all(np.abs(z).min() > 1e-3 for z in pre[:-1])


def fake_quant(w, bits):
    """docs/contract.md §1 symmetric intB, one scale per row, in float32."""
    w = w.astype(np.float32)
    qmax = np.float32(2 ** (bits - 1) - 1)
    a = np.abs(w).max(axis=1, keepdims=True).astype(np.float32)
    s = (a / qmax).astype(np.float32)
    s = np.where((s > 0) & np.isfinite(s), s, np.float32(1)).astype(np.float32)
    q = np.clip(np.round(w / s), -qmax, qmax).astype(np.float32)
    return (s * q).astype(np.float32)


def model_json(sizes, ws, bs):
    return {"sizes": sizes, "weights": [f32list(w) for w in ws], "biases": [f32list(b) for b in bs]}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261206)

    sizes = [2, 5, 4, 3]
    for ws, bs, x, y in draw(rng, sizes, 6):
        loss, gw, gb, pre = forward_backward([w.astype(np.float64) for w in ws], [b.astype(np.float64) for b in bs],
                                             x.astype(np.float64), y)
        if kink_free(pre):
            break
    with open(os.path.join(OUT, "gradients.json"), "w") as f:
        json.dump({"model": model_json(sizes, ws, bs), "inputs": f32list(x), "labels": [int(v) for v in y],
                   "loss": loss, "grad_weights": [g.ravel().tolist() for g in gw],
                   "grad_biases": [g.tolist() for g in gb]}, f, indent=1)

    sizes = [2, 6, 5, 3]
    cases = []
    for bits in (2, 3, 4):
        for ws, bs, x, y in draw(rng, sizes, 8):
            wq = [fake_quant(w, bits) for w in ws]
            loss, gw, gb, pre = forward_backward([w.astype(np.float64) for w in wq],
                                                 [b.astype(np.float64) for b in bs], x.astype(np.float64), y)
            if kink_free(pre):
                break
        cases.append({"bits": bits, "model": model_json(sizes, ws, bs), "inputs": f32list(x),
                      "labels": [int(v) for v in y], "quantized_weights": [f32list(w) for w in wq],
                      "loss": loss, "ste_grad_weights": [g.ravel().tolist() for g in gw],
                      "ste_grad_biases": [g.tolist() for g in gb]})
    with open(os.path.join(OUT, "fake_quant.json"), "w") as f:
        json.dump(cases, f, indent=1)


if __name__ == "__main__":
    main()
