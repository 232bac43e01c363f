"""A causal Transformer of the random Mamba-2's width, depth and vocabulary: the baseline that the
engine benchmark reads the same documents with (Transformer versus Mamba-2, tokens per second and
memory as the context grows).

Pre-LayerNorm blocks, multi-head attention with rotary positions and a KV cache, a GELU MLP, tied
embeddings. The exported graph (export_transformer):
  inputs   input_ids int64 [1, T]; past_key.i, past_value.i float32 [1, heads, S, head_dim]
  outputs  logits float32 [1, vocab] (the last position only);
           present_key.i, present_value.i float32 [1, heads, S + T, head_dim]
S = 0 (empty tensors) starts a document. Positions continue from S, so calls can follow each other.
"""
from __future__ import annotations

import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernels"))
from ssd import MASKED_EXPONENT, count_along  # noqa: E402

KV = list[tuple[Tensor, Tensor]]


@dataclass
class TransformerConfig:
    vocab_size: int = 260
    d_model: int = 256
    n_layer: int = 4
    n_head: int = 4
    d_ff: int = 1024
    rope_base: float = 10000.0
    ln_eps: float = 1e-5

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_head

    def to_dict(self) -> dict:
        d = asdict(self)
        d["head_dim"] = self.head_dim
        return d


def rotate(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    half = int(x.shape[-1]) // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x: Tensor, past_k: Tensor, past_v: Tensor, cos: Tensor, sin: Tensor,
                query_pos: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        cfg = self.cfg
        b = int(x.shape[0])  # constants in the exported graph, not shape arithmetic
        q, k, v = self.qkv(x).split(cfg.d_model, dim=-1)
        heads = (b, -1, cfg.n_head, cfg.head_dim)
        q = rotate(q.reshape(heads).transpose(1, 2), cos, sin)             # [b, h, T, hd]
        k = rotate(k.reshape(heads).transpose(1, 2), cos, sin)
        v = v.reshape(heads).transpose(1, 2)
        k_all = torch.cat([past_k, k], dim=2)                               # [b, h, S+T, hd]
        v_all = torch.cat([past_v, v], dim=2)
        key_pos = (count_along(k_all[:, :1, :, :1], 2) - 1.0).transpose(2, 3)  # [b, 1, 1, S+T]
        future = (key_pos > query_pos).to(x.dtype)                          # [b, 1, T, S+T]
        scores = torch.matmul(q, k_all.transpose(-1, -2)) / math.sqrt(cfg.head_dim)
        att = torch.softmax(scores + future * MASKED_EXPONENT, dim=-1)
        y = torch.matmul(att, v_all).transpose(1, 2).reshape(b, -1, cfg.d_model)
        return self.out(y), k_all, v_all


class Block(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=cfg.ln_eps)
        self.attn = Attention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=cfg.ln_eps)
        self.fc = nn.Linear(cfg.d_model, cfg.d_ff)
        self.proj = nn.Linear(cfg.d_ff, cfg.d_model)

    def forward(self, h: Tensor, past_k: Tensor, past_v: Tensor, cos: Tensor, sin: Tensor,
                query_pos: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        a, k, v = self.attn(self.ln1(h), past_k, past_v, cos, sin, query_pos)
        h = h + a
        return h + self.proj(F.gelu(self.fc(self.ln2(h)))), k, v


class TransformerLM(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.d_model, eps=cfg.ln_eps)
        half = cfg.head_dim // 2
        inv_freq = 1.0 / cfg.rope_base ** (np.arange(half) / half)
        self.register_buffer("inv_freq", torch.tensor(inv_freq, dtype=torch.float32), persistent=False)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def empty_cache(self, batch: int = 1) -> KV:
        shape = (batch, self.cfg.n_head, 0, self.cfg.head_dim)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in range(self.cfg.n_layer)]

    def forward(self, input_ids: Tensor, past: KV) -> tuple[Tensor, KV]:
        """input_ids [b, T], past: per layer (key, value) [b, h, S, hd] -> (logits of the last
        position [b, vocab], the new cache)."""
        h = self.embedding(input_ids)
        # Positions S, S+1, ...: S counted from the cache itself, with no shape arithmetic and no
        # reduction over a possibly empty axis.
        q_count = count_along(h[:, None, :, :1], 2)                             # [b, 1, T, 1]
        marks = torch.cat([past[0][0][:, :1, :, :1], h[:, None, :, :1]], dim=2)
        all_count = count_along(marks, 2)                                       # [b, 1, S+T, 1]
        query_pos = all_count[:, :, -1:] - q_count[:, :, -1:] + q_count - 1.0
        angles = query_pos * self.inv_freq                                       # [b, 1, T, hd/2]
        cos, sin = torch.cos(angles), torch.sin(angles)
        cache: KV = []
        for block, (pk, pv) in zip(self.blocks, past):
            h, k, v = block(h, pk, pv, cos, sin, query_pos)
            cache.append((k, v))
        last = self.ln_f(h[:, -1])
        return F.linear(last, self.embedding.weight), cache


class TransformerGraph(nn.Module):
    """The exported signature: flat tensors in the graph's order."""

    def __init__(self, model: TransformerLM) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, *past: Tensor) -> tuple[Tensor, ...]:
        n = self.model.cfg.n_layer
        logits, cache = self.model(input_ids, [(past[2 * i], past[2 * i + 1]) for i in range(n)])
        return (logits, *[t for kv in cache for t in kv])


def graph_names(n_layer: int) -> tuple[list[str], list[str]]:
    inputs = ["input_ids"] + [f"past_{kind}.{i}" for i in range(n_layer) for kind in ("key", "value")]
    outputs = ["logits"] + [f"present_{kind}.{i}" for i in range(n_layer) for kind in ("key", "value")]
    return inputs, outputs


def export_transformer(model: TransformerLM, path: Path, opset: int = 17) -> str:
    from onnx_export import export_onnx  # needs onnx; the module itself does not

    cfg = model.cfg
    inputs, outputs = graph_names(cfg.n_layer)
    ids = torch.randint(0, cfg.vocab_size, (1, 16))
    past = [torch.randn(1, cfg.n_head, 8, cfg.head_dim) for _ in range(2 * cfg.n_layer)]
    axes = {"input_ids": {1: "T"}}
    axes.update({name: {2: "S"} for name in inputs[1:]})
    axes.update({name: {2: "S_plus_T"} for name in outputs[1:]})

    def shapes() -> tuple:
        T, S = torch.export.Dim("T", min=1, max=1 << 20), torch.export.Dim("S", min=1, max=1 << 20)
        return ({1: T}, *[{2: S}] * (2 * cfg.n_layer))

    return export_onnx(TransformerGraph(model), (ids, *past), path, inputs, outputs, axes, shapes, opset)


def build_transformer(cfg: TransformerConfig | None = None, seed: int = 0) -> TransformerLM:
    torch.manual_seed(seed)
    return TransformerLM(cfg or TransformerConfig()).eval()
