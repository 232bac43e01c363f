"""pytest for kernels/ssd.py (runs where torch is: the GPU machine).

The committed vectors (kernels/vectors/ssd_cases.json) are reproduced by both forms; the chunked
form equals the sequential one for any sub-chunk length; and cutting a sequence anywhere and
carrying the state gives what one pass gives, for the scan and for the causal conv. The conv is
also checked against its definition, tap by tap."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ssd import causal_conv, causal_conv_taps, ssd_chunked, ssd_sequential  # noqa: E402

VECTORS = Path(__file__).resolve().parent / "vectors" / "ssd_cases.json"
F64 = torch.float64


def load() -> dict:
    return json.loads(VECTORS.read_text())


def ssd_inputs(case: dict) -> tuple:
    T, H, P, N = case["T"], case["H"], case["P"], case["N"]
    t = lambda k, *shape: torch.tensor(case[k], dtype=F64).reshape(*shape)  # noqa: E731
    state0 = None if case["state0"] is None else t("state0", 1, H, P, N)
    return (t("x", 1, T, H, P), t("dt", 1, T, H), t("A", H), t("B", 1, T, N), t("C", 1, T, N),
            t("D", H), state0)


def random_inputs(T: int, H: int = 2, P: int = 4, N: int = 8, seed: int = 0, dtype=F64) -> tuple:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, T, H, P, generator=g, dtype=dtype)
    dt = torch.nn.functional.softplus(torch.randn(1, T, H, generator=g, dtype=dtype)) * 0.5
    A = -torch.exp(torch.rand(H, generator=g, dtype=dtype) * 2.7)
    B = torch.randn(1, T, N, generator=g, dtype=dtype)
    C = torch.randn(1, T, N, generator=g, dtype=dtype)
    D = torch.randn(H, generator=g, dtype=dtype)
    state0 = torch.randn(1, H, P, N, generator=g, dtype=dtype)
    return x, dt, A, B, C, D, state0


def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max()) if a.numel() else 0.0


@pytest.mark.parametrize("index", range(4))
def test_vectors_reproduced_by_both_forms(index: int) -> None:
    case = load()["ssd"][index]
    x, dt, A, B, C, D, s0 = ssd_inputs(case)
    y_ref = torch.tensor(case["y"], dtype=F64).reshape(x.shape)
    s_ref = torch.tensor(case["state"], dtype=F64).reshape(1, case["H"], case["P"], case["N"])
    y, s = ssd_sequential(x, dt, A, B, C, D, s0)
    assert max_diff(y, y_ref) < 1e-5 and max_diff(s, s_ref) < 1e-5
    for L in (case["L"], 1, 7, 64, 128):
        y, s = ssd_chunked(x, dt, A, B, C, L, D, s0)
        assert max_diff(y, y_ref) < 1e-5, L
        assert max_diff(s, s_ref) < 1e-5, L


def test_padded_vector_state_is_the_state_at_the_last_real_position() -> None:
    case = load()["ssd"][3]
    x, dt, A, B, C, D, s0 = ssd_inputs(case)
    cut = case["pad_from"]
    _, s_cut = ssd_sequential(x[:, :cut], dt[:, :cut], A, B[:, :cut], C[:, :cut], D, s0)
    s_ref = torch.tensor(case["state"], dtype=F64).reshape(s_cut.shape)
    assert max_diff(s_cut, s_ref) < 1e-12


@pytest.mark.parametrize("T,L", [(37, 16), (64, 16), (64, 64), (5, 16), (130, 32), (256, 64)])
def test_chunked_equals_sequential(T: int, L: int) -> None:
    x, dt, A, B, C, D, s0 = random_inputs(T, seed=T + L)
    for state in (None, s0):
        y1, h1 = ssd_sequential(x, dt, A, B, C, D, state)
        y2, h2 = ssd_chunked(x, dt, A, B, C, L, D, state)
        assert max_diff(y1, y2) < 1e-10 and max_diff(h1, h2) < 1e-10


@pytest.mark.parametrize("T,L,group", [(37, 4, 3), (64, 4, 4), (256, 16, 4), (130, 8, 2), (5, 4, 8),
                                       (512, 64, 8)])
def test_two_level_carry_equals_sequential(T: int, L: int, group: int) -> None:
    x, dt, A, B, C, D, s0 = random_inputs(T, seed=T + group)
    for state in (None, s0):
        y1, h1 = ssd_sequential(x, dt, A, B, C, D, state)
        y2, h2 = ssd_chunked(x, dt, A, B, C, L, D, state, group=group)
        assert max_diff(y1, y2) < 1e-10 and max_diff(h1, h2) < 1e-10


def test_two_level_carry_float32_matches_one_level() -> None:
    # The reader's GPU-sized case: 64 sub-chunks of 16 in groups of 8, float32 like the graph.
    x, dt, A, B, C, D, s0 = (t.float() for t in random_inputs(1024, seed=5))
    y1, h1 = ssd_chunked(x, dt, A, B, C, 16, D, s0)
    y2, h2 = ssd_chunked(x, dt, A, B, C, 16, D, s0, group=8)
    assert max_diff(y1, y2) / float(y1.abs().max()) < 1e-5
    assert max_diff(h1, h2) / float(h1.abs().max()) < 1e-5


def test_chunked_float32_stays_close_to_float64_reference() -> None:
    x, dt, A, B, C, D, s0 = random_inputs(256, seed=3)
    y64, h64 = ssd_sequential(x, dt, A, B, C, D, s0)
    f = lambda t: t.float()  # noqa: E731
    y32, h32 = ssd_chunked(f(x), f(dt), f(A), f(B), f(C), 64, f(D), f(s0))
    # float32 loses about ulp(cumsum of dt*A) in each decay exponent; the graph runs at this size.
    assert max_diff(y32.double(), y64) / float(y64.abs().max()) < 1e-4
    assert max_diff(h32.double(), h64) / float(h64.abs().max()) < 1e-4


@pytest.mark.parametrize("form", ["sequential", "chunked"])
def test_split_anywhere_and_carry_equals_one_pass(form: str) -> None:
    T = 37
    x, dt, A, B, C, D, s0 = random_inputs(T, seed=9)
    run = (lambda *a: ssd_sequential(*a[:5], a[6], a[7])) if form == "sequential" else \
        (lambda *a: ssd_chunked(*a[:5], a[5], a[6], a[7]))
    y_one, h_one = run(x, dt, A, B, C, 16, D, s0)
    for cut in range(T + 1):
        ya, ha = run(x[:, :cut], dt[:, :cut], A, B[:, :cut], C[:, :cut], 16, D, s0)
        yb, hb = run(x[:, cut:], dt[:, cut:], A, B[:, cut:], C[:, cut:], 16, D, ha)
        assert max_diff(torch.cat([ya, yb], 1), y_one) < 1e-10, cut
        assert max_diff(hb, h_one) < 1e-10, cut


def test_zero_dt_positions_leave_the_state_unchanged() -> None:
    x, dt, A, B, C, D, s0 = random_inputs(64, seed=4)
    dt[:, 40:] = 0.0
    _, h_all = ssd_chunked(x, dt, A, B, C, 16, D, s0)
    _, h_40 = ssd_sequential(x[:, :40], dt[:, :40], A, B[:, :40], C[:, :40], D, s0)
    assert max_diff(h_all, h_40) < 1e-12


def conv_inputs(case: dict) -> tuple:
    T, Cd, K = case["T"], case["C"], case["K"]
    t = lambda k, *shape: torch.tensor(case[k], dtype=F64).reshape(*shape)  # noqa: E731
    return t("x", 1, T, Cd), t("weight", Cd, K), t("bias", Cd), t("state0", 1, Cd, K - 1)


@pytest.mark.parametrize("index", range(3))
def test_conv_vectors(index: int) -> None:
    case = load()["conv"][index]
    x, w, b, s0 = conv_inputs(case)
    vl = None if case["valid_len"] is None else torch.tensor([float(case["valid_len"])], dtype=F64)
    y, s = causal_conv(x, w, b, s0, vl)
    assert max_diff(y, torch.tensor(case["y"], dtype=F64).reshape(y.shape)) < 1e-5
    assert max_diff(s, torch.tensor(case["state"], dtype=F64).reshape(s.shape)) < 1e-5


def test_conv_matches_the_definition_tap_by_tap() -> None:
    # y_t[c] = bias[c] + sum_k weight[c, k] * x_{t-K+1+k}[c], x before the call from the state.
    g = torch.Generator().manual_seed(2)
    x = torch.randn(1, 37, 6, generator=g, dtype=F64)
    w = torch.randn(6, 4, generator=g, dtype=F64)
    b = torch.randn(6, generator=g, dtype=F64)
    s0 = torch.randn(1, 6, 3, generator=g, dtype=F64)
    y, _ = causal_conv(x, w, b, s0)
    seq = torch.cat([s0[0].T, x[0]], dim=0)                              # [3 + T, C]
    ref = torch.stack([b + sum(w[:, k] * seq[t + k] for k in range(4)) for t in range(37)])
    assert max_diff(y[0], ref) < 1e-12


def test_conv_split_anywhere_and_valid_len() -> None:
    g = torch.Generator().manual_seed(8)
    x = torch.randn(1, 37, 6, generator=g, dtype=F64)
    w = torch.randn(6, 4, generator=g, dtype=F64)
    b = torch.randn(6, generator=g, dtype=F64)
    s0 = torch.randn(1, 6, 3, generator=g, dtype=F64)
    y_one, s_one = causal_conv(x, w, b, s0)
    for cut in range(38):
        ya, sa = causal_conv(x[:, :cut], w, b, s0)
        yb, sb = causal_conv(x[:, cut:], w, b, sa)
        assert max_diff(torch.cat([ya, yb], 1), y_one) < 1e-12 and max_diff(sb, s_one) < 1e-12
        # Padding after `cut`: the state is the one at cut, even when cut < K-1.
        _, s_pad = causal_conv(x, w, b, s0, torch.tensor([float(cut)], dtype=F64))
        assert max_diff(s_pad, sa) < 1e-12, cut


@pytest.mark.parametrize("T", [1, 2, 3, 5, 64])
def test_conv_taps_equal_the_conv_node_values_and_gradients(T: int) -> None:
    # Training's causal_conv_taps must be causal_conv exactly: outputs, state and gradients.
    g = torch.Generator().manual_seed(11 + T)
    w = torch.randn(6, 4, generator=g, dtype=F64, requires_grad=True)
    b = torch.randn(6, generator=g, dtype=F64, requires_grad=True)
    for s0 in (None, torch.randn(2, 6, 3, generator=g, dtype=F64)):
        x = torch.randn(2, T, 6, generator=g, dtype=F64, requires_grad=True)
        y1, s1 = causal_conv(x, w, b, s0)
        y2, s2 = causal_conv_taps(x, w, b, s0)
        assert max_diff(y1, y2) < 1e-12 and max_diff(s1, s2) == 0.0
        g1 = torch.autograd.grad((y1 * y1).sum(), (x, w, b))
        g2 = torch.autograd.grad((y2 * y2).sum(), (x, w, b))
        assert all(max_diff(p, q) < 1e-10 for p, q in zip(g1, g2))
