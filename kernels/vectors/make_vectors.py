"""Writes ssd_cases.json: inputs and outputs of kernels/ssd.py's sequential SSD reference and of its
causal conv, in float64, that kernels/test_ssd.py and test/unit/ssd.test.ts must both reproduce.
Run once (on the GPU machine, where torch is) and commit the file; the seed makes it repeatable.

  python3 kernels/vectors/make_vectors.py kernels/vectors/ssd_cases.json

Arrays are flat, row-major, batch 1 dropped: x [T,H,P], dt [T,H], A [H], B and C [T,N], D [H],
state0 and state [H,P,N], y [T,H,P]; conv: x and y [T,C], weight [C,K], bias [C], state0 and
state [C,K-1]."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ssd import causal_conv, ssd_sequential  # noqa: E402

SEED = 20240607


def flat(t: torch.Tensor) -> list[float]:
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def ssd_case(g: torch.Generator, name: str, T: int, H: int, P: int, N: int, L: int,
             with_state: bool, dt_scale: float = 0.5, pad_from: int | None = None) -> dict:
    f64 = torch.float64
    x = torch.randn(1, T, H, P, generator=g, dtype=f64)
    dt = torch.nn.functional.softplus(torch.randn(1, T, H, generator=g, dtype=f64)) * dt_scale
    if pad_from is not None:
        dt[:, pad_from:] = 0.0  # padding: these positions must not move the state
    A = -torch.exp(torch.rand(H, generator=g, dtype=f64) * 2.7)   # decays in (-15, -1]
    B = torch.randn(1, T, N, generator=g, dtype=f64)
    C = torch.randn(1, T, N, generator=g, dtype=f64)
    D = torch.randn(H, generator=g, dtype=f64)
    state0 = torch.randn(1, H, P, N, generator=g, dtype=f64) if with_state else None
    y, state = ssd_sequential(x, dt, A, B, C, D, state0)
    return {"name": name, "T": T, "H": H, "P": P, "N": N, "L": L, "pad_from": pad_from,
            "x": flat(x), "dt": flat(dt), "A": flat(A), "B": flat(B), "C": flat(C), "D": flat(D),
            "state0": flat(state0) if state0 is not None else None, "y": flat(y), "state": flat(state)}


def conv_case(g: torch.Generator, name: str, T: int, C: int, K: int, valid_len: int | None) -> dict:
    f64 = torch.float64
    x = torch.randn(1, T, C, generator=g, dtype=f64)
    weight = torch.randn(C, K, generator=g, dtype=f64)
    bias = torch.randn(C, generator=g, dtype=f64)
    state0 = torch.randn(1, C, K - 1, generator=g, dtype=f64)
    vl = None if valid_len is None else torch.tensor([float(valid_len)], dtype=f64)
    y, state = causal_conv(x, weight, bias, state0, vl)
    return {"name": name, "T": T, "C": C, "K": K, "valid_len": valid_len, "x": flat(x),
            "weight": flat(weight), "bias": flat(bias), "state0": flat(state0), "y": flat(y),
            "state": flat(state)}


def main(path: str) -> None:
    g = torch.Generator().manual_seed(SEED)
    cases = {
        "generator": "kernels/vectors/make_vectors.py: kernels/ssd.py ssd_sequential and causal_conv, float64",
        "seed": SEED,
        "ssd": [
            ssd_case(g, "T37_zero_state", 37, 2, 4, 8, 16, with_state=False),
            ssd_case(g, "T64_with_state", 64, 2, 4, 8, 16, with_state=True),
            ssd_case(g, "T100_odd_sizes_fast_decay", 100, 3, 5, 7, 32, with_state=True, dt_scale=1.0),
            ssd_case(g, "T64_padded_from_50", 64, 2, 4, 8, 16, with_state=True, pad_from=50),
        ],
        "conv": [
            conv_case(g, "T37_with_state", 37, 6, 4, None),
            conv_case(g, "T37_valid_len_2", 37, 6, 4, 2),
            conv_case(g, "T37_valid_len_20", 37, 6, 4, 20),
        ],
    }
    Path(path).write_text(json.dumps(cases) + "\n")
    print(f"wrote {path}: {len(cases['ssd'])} ssd cases, {len(cases['conv'])} conv cases")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("ssd_cases.json")))
