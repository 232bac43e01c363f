"""Lectern's Mamba-2 language model, written out by hand (docs/ARCHITECTURE.md §2).

Pre-RMSNorm residual blocks; each mixer: in_proj -> [z | xBC | dt], depthwise causal conv (k=4) on
xBC with SiLU, per-head scalar A = -exp(A_log), dt = softplus(dt_raw + dt_bias), the chunked SSD
(kernels/ssd.py), y = rmsnorm(ssd(x) * silu(z)) (the gated RMSNorm of Mamba-2), out_proj.
ngroups = 1, tied embeddings, a final RMSNorm, and three heads: next-token log-probabilities,
a per-token vector (pooled per passage by the reader) and a relevance logit.

State is explicit: every call takes the per-layer (conv, ssm) state and returns the new one, so a
document can be read in calls of any length and resumed from any checkpoint.

Two entry points share one code path:
  - forward(input_ids, state=None, valid_len=None): the hidden states and the new state; batched,
    any T (the SSD pads internally to a multiple of the sub-chunk). This is what training uses.
  - step(input_ids, target_ids, valid_len, state): the exported graph's contract, batch 1.

dt, A and the scan run in float32 even under autocast (the state drifts otherwise).
"""
from __future__ import annotations

import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernels"))
from ssd import causal_conv, causal_conv_taps, count_along, ssd_chunked, ssd_sequential, subchunk_masks  # noqa: E402

State = list[tuple[Tensor, Tensor]]  # per layer: conv [b, conv_dim, d_conv-1], ssm [b, H, P, N]


@dataclass
class Mamba2Config:
    vocab_size: int = 260
    d_model: int = 256
    n_layer: int = 4
    d_state: int = 64
    headdim: int = 64
    expand: int = 2
    d_conv: int = 4
    ngroups: int = 1
    subchunk: int = 128
    # Sub-chunks per group of the two-level state carry between sub-chunks (kernels/ssd.py); 1 =
    # one level. The exported graph then takes calls of a multiple of subchunk * carry_group.
    carry_group: int = 1
    embedding_dim: int = 256
    specials: dict[str, int] = field(
        default_factory=lambda: {"bos": 256, "eos": 257, "sep": 258, "pad": 259})
    rms_eps: float = 1e-5
    dt_min: float = 0.001
    dt_max: float = 0.1
    dt_floor: float = 1e-4
    a_init_min: float = 1.0
    a_init_max: float = 16.0

    def __post_init__(self) -> None:
        if self.ngroups != 1:
            raise ValueError("only ngroups = 1 is implemented")
        if self.d_inner % self.headdim:
            raise ValueError("d_model * expand must be a multiple of headdim")

    @property
    def d_inner(self) -> int:
        return self.expand * self.d_model

    @property
    def nheads(self) -> int:
        return self.d_inner // self.headdim

    @property
    def conv_dim(self) -> int:
        return self.d_inner + 2 * self.ngroups * self.d_state

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(d_inner=self.d_inner, nheads=self.nheads, conv_dim=self.conv_dim)
        return d


def softplus_safe(x: Tensor) -> Tensor:
    """softplus without the Softplus op (WebGPU lacks it) and without an exp that can overflow:
    relu(x) + log(1 + exp(-|x|))."""
    return F.relu(x) + torch.log(1.0 + torch.exp(-torch.abs(x)))


def widen(t: Tensor) -> Tensor:
    """At least float32: float16/bfloat16 go up, float64 (the tests' reference runs) stays."""
    return t if t.dtype == torch.float64 else t.float()


def rms_norm(x: Tensor, weight: Tensor, eps: float) -> Tensor:
    """Written as onnxruntime's SimplifiedLayerNormFusion expects it (Pow, ReduceMean, Add, Sqrt,
    Div, Mul), so that an exported graph runs each norm as one node rather than seven."""
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def stream_positions(like: Tensor, L: int) -> Tensor:
    """0, 1, ..., T-1 along like's dim 1, as float [b, T, 1]. When T is a multiple of L (every
    call of the reader is), from a count over the T / L sub-chunks and a constant 0..L-1: a
    cumulative sum over all T positions is, on onnxruntime's WebGPU provider, a pass in which each
    output reads every earlier input (2 ms a call at T = 65,536, growing as T squared)."""
    T = int(like.shape[1])  # concrete while tracing: the exported graph takes the aligned branch
    if T % L:
        return count_along(like[..., :1].float(), 1) - 1.0
    first = like[:, ::L, :1].float() * 0.0 + 1.0                          # [b, T / L, 1]
    within = torch.tensor(np.arange(L), dtype=torch.float32, device=like.device)
    return ((torch.cumsum(first, 1) - 1.0) * float(L) + within).reshape(int(like.shape[0]), -1, 1)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: Tensor) -> Tensor:
        return rms_norm(x, self.weight, self.eps)


class Mamba2Mixer(nn.Module):
    def __init__(self, cfg: Mamba2Config) -> None:
        super().__init__()
        self.cfg = cfg
        H, K = cfg.nheads, cfg.d_conv
        self.in_proj = nn.Linear(cfg.d_model, 2 * cfg.d_inner + 2 * cfg.d_state + H, bias=False)
        bound = 1.0 / math.sqrt(K)  # nn.Conv1d's default for a depthwise kernel of width K
        self.conv_weight = nn.Parameter(torch.empty(cfg.conv_dim, K).uniform_(-bound, bound))
        self.conv_bias = nn.Parameter(torch.empty(cfg.conv_dim).uniform_(-bound, bound))
        # dt log-uniform in [dt_min, dt_max]; dt_bias is its inverse softplus (as in Mamba-2).
        dt = torch.exp(torch.rand(H) * (math.log(cfg.dt_max) - math.log(cfg.dt_min))
                       + math.log(cfg.dt_min)).clamp(min=cfg.dt_floor)
        self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.empty(H).uniform_(cfg.a_init_min, cfg.a_init_max)))
        self.D = nn.Parameter(torch.ones(H))
        self.norm = RMSNorm(cfg.d_inner, cfg.rms_eps)
        self.out_proj = nn.Linear(cfg.d_inner, cfg.d_model, bias=False)
        self.sequential = False  # True: the step-by-step reference scan (tests only)
        self.set_subchunk(cfg.subchunk)

    def set_subchunk(self, L: int) -> None:
        keep, causal = subchunk_masks(L)
        self.subchunk = L
        self.register_buffer("mask_keep", keep, persistent=False)
        self.register_buffer("mask_causal", causal, persistent=False)

    def forward(self, u: Tensor, conv_state: Tensor | None, ssm_state: Tensor | None,
                valid: Tensor | None = None, valid_len: Tensor | None = None
                ) -> tuple[Tensor, Tensor, Tensor]:
        """u [b, T, d_model]; valid [b or 1, T, 1] (1 = real token, 0 = padding) and valid_len
        (float, [1] or [b, 1, 1]) go together; None = every position is real."""
        cfg = self.cfg
        b = int(u.shape[0])  # a constant in the exported graph (batch 1); T stays symbolic
        H, P, N = cfg.nheads, cfg.headdim, cfg.d_state
        z, xBC, dt_raw = torch.split(self.in_proj(u), [cfg.d_inner, cfg.conv_dim, H], dim=-1)
        # Training: the taps (fused by torch.compile); cuDNN's depthwise conv and its weight
        # gradient took 6% of a training step. Evaluation and export: one Conv node.
        conv = causal_conv_taps if self.training and valid_len is None else causal_conv
        xBC, new_conv = conv(xBC, self.conv_weight, self.conv_bias, conv_state, valid_len)
        xBC = F.silu(xBC)
        x, B, C = torch.split(xBC, [cfg.d_inner, N, N], dim=-1)

        with _float32_scan(u):
            dt = softplus_safe(widen(dt_raw) + widen(self.dt_bias))
            if valid is not None:
                dt = dt * valid  # padding: dt = 0 leaves the state exactly as it was
            A = -torch.exp(widen(self.A_log))
            xs, Bs, Cs = widen(x).reshape(b, -1, H, P), widen(B), widen(C)
            h0 = None if ssm_state is None else widen(ssm_state)
            if self.sequential:
                y, new_ssm = ssd_sequential(xs, dt, A, Bs, Cs, widen(self.D), h0)
            else:
                y, new_ssm = ssd_chunked(xs, dt, A, Bs, Cs, self.subchunk, widen(self.D), h0,
                                         masks=(self.mask_keep.to(xs.dtype), self.mask_causal),
                                         group=cfg.carry_group)
        y = y.reshape(b, -1, cfg.d_inner).to(u.dtype)
        y = self.norm(y * F.silu(z))
        return self.out_proj(y), new_conv, new_ssm


def _autocast_on(kind: str) -> bool:
    try:
        return torch.is_autocast_enabled(kind)
    except TypeError:  # torch < 2.4 (Debian's 1.13 on the CPU machines) asks about CUDA only
        return torch.is_autocast_enabled() if kind == "cuda" else torch.is_autocast_cpu_enabled()


class _float32_scan:
    """Turns autocast off around the scan when it is on (training); does nothing otherwise, so
    the exported graph is unchanged."""

    def __init__(self, like: Tensor) -> None:
        kind = like.device.type
        self.ctx = torch.autocast(kind, enabled=False) if _autocast_on(kind) else None

    def __enter__(self) -> None:
        if self.ctx is not None:
            self.ctx.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self.ctx is not None:
            self.ctx.__exit__(*exc)


class Mamba2Block(nn.Module):
    def __init__(self, cfg: Mamba2Config) -> None:
        super().__init__()
        self.norm = RMSNorm(cfg.d_model, cfg.rms_eps)
        self.mixer = Mamba2Mixer(cfg)

    def forward(self, h: Tensor, conv_state: Tensor | None, ssm_state: Tensor | None,
                valid: Tensor | None, valid_len: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
        out, conv, ssm = self.mixer(self.norm(h), conv_state, ssm_state, valid, valid_len)
        return h + out, conv, ssm


class Mamba2LM(nn.Module):
    def __init__(self, cfg: Mamba2Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.layers = nn.ModuleList(Mamba2Block(cfg) for _ in range(cfg.n_layer))
        self.norm_f = RMSNorm(cfg.d_model, cfg.rms_eps)
        self.vector_head = nn.Linear(cfg.d_model, cfg.embedding_dim, bias=False)
        self.relevance_head = nn.Linear(cfg.d_model, 1)
        self._init_weights()

    def _init_weights(self) -> None:
        nn.init.normal_(self.embedding.weight, std=0.02)
        # Residual outputs scaled down with depth, as Mamba's reference init does (GPT-2 style).
        for layer in self.layers:
            with torch.no_grad():
                layer.mixer.out_proj.weight /= math.sqrt(self.cfg.n_layer)

    def set_subchunk(self, L: int) -> None:
        self.cfg.subchunk = L
        for layer in self.layers:
            layer.mixer.set_subchunk(L)

    def set_sequential(self, on: bool) -> None:
        for layer in self.layers:
            layer.mixer.sequential = on

    def empty_state(self, batch: int = 1, device: torch.device | str | None = None) -> State:
        cfg = self.cfg
        return [(torch.zeros(batch, cfg.conv_dim, cfg.d_conv - 1, device=device),
                 torch.zeros(batch, cfg.nheads, cfg.headdim, cfg.d_state, device=device))
                for _ in range(cfg.n_layer)]

    def forward(self, input_ids: Tensor, state: State | None = None,
                valid_len: Tensor | None = None) -> tuple[Tensor, State]:
        """input_ids [b, T] -> (hidden after the final norm [b, T, d_model], new state).
        valid_len: None, or an integer tensor of shape [1] or [b] (positions >= it are padding)."""
        h = self.embedding(input_ids)
        valid = vlen = None
        if valid_len is not None:
            vlen = valid_len.to(torch.float32).reshape(-1, 1, 1)
            position = stream_positions(h, self.cfg.subchunk)             # [b, T, 1]
            valid = (position < vlen).to(torch.float32)
        new_state: State = []
        for i, layer in enumerate(self.layers):
            conv, ssm = (None, None) if state is None else state[i]
            h, conv, ssm = layer(h, conv, ssm, valid, vlen)
            new_state.append((conv, ssm))
        return self.norm_f(h), new_state

    def logits(self, hidden: Tensor) -> Tensor:
        return F.linear(hidden, self.embedding.weight)  # tied embeddings

    def heads(self, hidden: Tensor, target_ids: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(logprobs [b, T], embeddings [b, T, E], relevance [b, T]). The log-softmax is written
        out (ReduceMax, Exp, ReduceSum, Log) and only the target's entry is picked. (One
        ReduceLogSumExp in place of Exp, ReduceSum and Log saves a pass over [T, vocab] but made
        a CPU call 1.4x slower: onnxruntime's CPU kernel for it is slow.)

        int64 targets are gathered (training, evaluation). int32 targets are the exported
        graph's (batch 1): onnxruntime's WebGPU provider has no int64 kernels, so an int64 input
        that the graph computes with puts a node on the CPU; the entry is picked from the
        flattened logits at t * vocab + target_t, int32 arithmetic (exact: T * vocab < 2^31 for
        calls up to 131,072 tokens of a 16k vocabulary)."""
        logits = self.logits(hidden)
        top = torch.amax(logits, dim=-1, keepdim=True)
        log_norm = top + torch.log(torch.exp(logits - top).sum(-1, keepdim=True))
        if target_ids.dtype == torch.int64:
            picked = torch.gather(logits, -1, target_ids.unsqueeze(-1))
            logprobs = (picked - log_norm).squeeze(-1)
        else:
            log_norm = log_norm.squeeze(-1)
            V = int(logits.shape[-1])
            rows = stream_positions(hidden, self.cfg.subchunk).reshape(1, -1).to(torch.int32)
            flat = rows * V + target_ids.to(torch.int32)                  # [1, T]
            logprobs = torch.index_select(logits.reshape(-1), 0, flat.reshape(-1)).reshape(1, -1) - log_norm
        return logprobs, self.vector_head(hidden), self.relevance_head(hidden).squeeze(-1)

    def step(self, input_ids: Tensor, target_ids: Tensor, valid_len: Tensor,
             state: State) -> tuple[Tensor, Tensor, Tensor, State]:
        """The graph contract: one call of the reader, batch 1. target_ids int32 and valid_len
        float32 (or the int64 of earlier exports; see heads)."""
        hidden, new_state = self(input_ids, state, valid_len)
        logprobs, embeddings, relevance = self.heads(hidden, target_ids)
        return logprobs, embeddings, relevance, new_state


def build_model(cfg: Mamba2Config | None = None, seed: int = 0) -> Mamba2LM:
    """A freshly initialised model; the same seed gives the same weights (on the CPU)."""
    torch.manual_seed(seed)
    return Mamba2LM(cfg or Mamba2Config())
