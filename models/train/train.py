"""Trains Lectern's Mamba-2 (or the Transformer baseline) on the GPU machine.

    python3 models/train/train.py --arch mamba2 --data /tmp/lectern-train/data \
        --budget-s 270 --ckpt /tmp/lectern-train/mamba2.pt --log out/mamba2-train.csv

Mamba-2: truncated BPTT over B parallel token streams (each a long run of documents joined by
<eos><bos>), windows of W tokens; the state is carried from one window of a stream to the next
(detached), so at a document start the model holds the previous document's state and must learn
to shed it at <bos>. Per window and stream, the state is reset to zeros with probability
--p-reset, and Gaussian noise (scaled to the state's RMS) is added with probability --p-noise.
The head losses of heads.py ride along with small weights.

Transformer: the same streams, independent windows of W tokens (its context), LM loss only.

Both: bf16 autocast (the scan, A and dt stay float32 inside mamba2.py; the carried state is kept
float32), AdamW, a linear warmup over --warmup-steps, then cosine decay on the fraction of the
wall-clock budget elapsed, grad clip 1.0. A checkpoint is written every --ckpt-every-s and at the
end (resume with --resume); the CSV log has loss and tokens/s.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import heads  # noqa: E402
from data import load  # noqa: E402
from mamba2 import Mamba2Config, Mamba2LM, build_model  # noqa: E402
from transformer import TransformerConfig, TransformerLM, build_transformer, rotate  # noqa: E402


# ---- forwards that training and evaluation share ----------------------------------------------

def mamba_forward(model: Mamba2LM, blocks: list[nn.Module], ids: Tensor,
                  state: list | None) -> tuple[Tensor, list]:
    """Mamba2LM.forward with a choice of block callables (compiled or not); no padding."""
    h = model.embedding(ids)
    new = []
    for i, block in enumerate(blocks):
        conv, ssm = (None, None) if state is None else state[i]
        h, conv, ssm = block(h, conv, ssm, None, None)
        new.append((conv.float(), ssm.float()))
    return model.norm_f(h), new


def transformer_hidden(model: TransformerLM, ids: Tensor) -> Tensor:
    """The training forward of transformer.TransformerLM: every position, causal, positions 0..T-1,
    flash attention. Same weights and arithmetic as its cached forward."""
    cfg = model.cfg
    b, T = ids.shape
    h = model.embedding(ids)
    pos = torch.arange(T, device=ids.device, dtype=torch.float32)[:, None]
    angles = pos * model.inv_freq                                           # [T, hd/2]
    cos, sin = torch.cos(angles), torch.sin(angles)
    for blk in model.blocks:
        x = blk.ln1(h)
        q, k, v = blk.attn.qkv(x).split(cfg.d_model, dim=-1)
        shape = (b, T, cfg.n_head, cfg.head_dim)
        q = rotate(q.reshape(shape).transpose(1, 2), cos, sin)
        k = rotate(k.reshape(shape).transpose(1, 2), cos, sin)
        v = v.reshape(shape).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        h = h + blk.attn.out(y.transpose(1, 2).reshape(b, T, cfg.d_model))
        h = h + blk.proj(F.gelu(blk.fc(blk.ln2(h))))
    return model.ln_f(h)


def lm_logits(model: nn.Module, hidden: Tensor) -> Tensor:
    return F.linear(hidden, model.embedding.weight)


def lm_loss(model: nn.Module, hidden: Tensor, targets: Tensor) -> Tensor:
    logits = lm_logits(model, hidden)
    return F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1))


def mamba_losses(model: Mamba2LM, forward: heads.Forward, heads_forward: heads.Forward | None,
                 x: Tensor, y: Tensor, state_in: list, sep: int, gen: torch.Generator,
                 vec_weight: float, rel_weight: float, vec_per_row: int = 1,
                 rel_same_row: bool = False) -> tuple[Tensor, Tensor, dict, list]:
    """One training window of Mamba-2 (train.py's step, and profile_train.py's): (the total to
    back-propagate, the LM loss, the heads' losses, the detached state to carry on).
    heads_forward None: the LM loss alone this step."""
    hidden, state = forward(x, state_in)
    state = [(c.detach(), s.detach()) for c, s in state]
    loss = lm_loss(model, hidden, y)
    if heads_forward is None:
        return loss, loss, {}, state
    parts = heads.head_losses(model, heads_forward, x, hidden, state_in, sep, gen, vec_per_row, rel_same_row)
    total = loss + vec_weight * parts["vec_loss"] + rel_weight * parts["rel_loss"]
    return total, loss, parts, state


def make_model(a: argparse.Namespace, meta: dict) -> nn.Module:
    V, specials = meta["vocab_size"], meta["specials"]
    if a.arch == "mamba2":
        cfg = Mamba2Config(vocab_size=V, d_model=a.d_model, n_layer=a.n_layer, d_state=a.d_state,
                           subchunk=a.subchunk, embedding_dim=a.embedding_dim, specials=dict(specials))
        return build_model(cfg, seed=a.seed)
    cfg = TransformerConfig(vocab_size=V, d_model=a.d_model, n_layer=a.n_layer,
                            n_head=a.d_model // 64, d_ff=4 * a.d_model)
    return build_transformer(cfg, seed=a.seed).train()


def config_dict(model: nn.Module) -> dict:
    return model.cfg.to_dict()


# ---- streams ------------------------------------------------------------------------------------

class Streams:
    """B streams over one token array on the GPU; each step every stream moves on by W tokens."""

    def __init__(self, tokens: np.ndarray, batch: int, window: int, device: str, seed: int) -> None:
        self.tokens = torch.from_numpy(tokens.astype(np.int32)).to(device)
        self.n = len(tokens)
        self.window = window
        rng = np.random.default_rng(seed)
        shard = self.n // batch
        self.pos = torch.tensor([i * shard + int(rng.integers(0, max(1, shard // 4)))
                                 for i in range(batch)], dtype=torch.int64, device=device)
        self.offsets = torch.arange(window + 1, device=device)

    def next(self) -> tuple[Tensor, Tensor]:
        idx = (self.pos[:, None] + self.offsets[None, :]) % self.n
        chunk = self.tokens[idx].long()
        self.pos = (self.pos + self.window) % self.n
        return chunk[:, :-1], chunk[:, 1:]


# ---- schedule, state noise, checkpoints --------------------------------------------------------

def lr_at(a: argparse.Namespace, step: int, frac: float) -> float:
    warm = min(1.0, (step + 1) / max(1, a.warmup_steps))
    cos = 0.5 * (1.0 + math.cos(math.pi * min(1.0, frac)))
    return a.lr * warm * (a.min_lr_frac + (1.0 - a.min_lr_frac) * cos)


def perturb(state: list, a: argparse.Namespace, gen: torch.Generator) -> tuple[list, int, int]:
    """Reset some rows to zeros, add noise to others; returns (state, resets, noised)."""
    b = state[0][1].shape[0]
    dev = state[0][1].device
    reset_cpu = torch.rand(b, generator=gen) < a.p_reset
    noisy_cpu = (torch.rand(b, generator=gen) < a.p_noise) & ~reset_cpu
    reset, noisy = reset_cpu.to(dev, non_blocking=True), noisy_cpu.to(dev, non_blocking=True)
    keep = (~reset).float()
    out = []
    for conv, ssm in state:
        new = []
        for t in (conv, ssm):
            shape = (-1,) + (1,) * (t.dim() - 1)
            rms = t.pow(2).mean(dim=tuple(range(1, t.dim())), keepdim=True).sqrt()
            noise = torch.randn_like(t) * rms * a.noise_scale * noisy.float().view(shape)
            new.append(((t + noise) * keep.view(shape)).detach())
        out.append(tuple(new))
    return out, int(reset_cpu.sum()), int(noisy_cpu.sum())


def save_checkpoint(path: Path, model: nn.Module, opt: torch.optim.Optimizer, extra: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"config": config_dict(model), "model": model.state_dict(),
                "opt": opt.state_dict(), **extra}, tmp)
    tmp.replace(path)


def save_weights(path: Path, model: nn.Module, dtype: torch.dtype = torch.float32) -> None:
    """What export.py reads: {"config", "model"} (float32) - or bf16 to bring home small."""
    sd = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    torch.save({"config": config_dict(model), "model": sd}, path)


def param_groups(model: nn.Module, wd: float) -> list[dict]:
    decay, plain = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "conv_weight" not in name else plain).append(p)
    return [{"params": decay, "weight_decay": wd}, {"params": plain, "weight_decay": 0.0}]


# ---- the loop -----------------------------------------------------------------------------------

@dataclass
class Progress:
    step: int = 0
    tokens: int = 0
    elapsed: float = 0.0


def train(a: argparse.Namespace) -> dict:
    t_start = time.time()
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    dev = a.device
    data = load(Path(a.data))
    meta = data.meta
    model = make_model(a, meta).to(dev)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(param_groups(model, a.wd), lr=a.lr, betas=(0.9, 0.95), eps=1e-8,
                            **({"fused": True} if dev == "cuda" else {}))
    prog = Progress()
    streams = Streams(data.train, a.batch, a.window, dev, a.seed)
    gen = torch.Generator().manual_seed(a.seed + 1)
    is_mamba = a.arch == "mamba2"
    state = model.empty_state(a.batch, dev) if is_mamba else None
    if a.init:  # weights only (e.g. the float16 weights a past session brought home)
        blob = torch.load(a.init, map_location="cpu")
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in blob["model"].items()})
        print(f"initialised from {a.init}", flush=True)
    if a.resume and Path(a.ckpt).exists():
        blob = torch.load(a.ckpt, map_location=dev)
        model.load_state_dict(blob["model"])
        opt.load_state_dict(blob["opt"])
        prog = Progress(blob["step"], blob["tokens"], blob.get("elapsed", 0.0))
        a.init = a.init or blob.get("init", "")  # the summary says where the run began
        # Shards appended since the checkpoint: the streams start again spread over the whole
        # stream (with a zero state), or most of them would reach the new text only much later.
        if blob.get("stream_tokens", streams.n) == streams.n:
            streams.pos = blob["stream_pos"].to(dev)
            if is_mamba and blob.get("state") is not None:
                state = [(c.to(dev), s.to(dev)) for c, s in blob["state"]]
        print(f"resumed from {a.ckpt}: step {prog.step}, {prog.tokens:,} tokens, {prog.elapsed:.0f} s", flush=True)

    if is_mamba:
        if a.compile:
            # The heads' forwards (queries from zeros, [query, sep, passage] from the state) are
            # shapes of their own: with the window's, 2 x 3 graphs per block class.
            torch._dynamo.config.recompile_limit = 32
        fast = [torch.compile(b, dynamic=False) for b in model.layers] if a.compile else list(model.layers)
        fwd_fast = lambda ids, st: mamba_forward(model, fast, ids, st)  # noqa: E731
        sep = meta["specials"]["sep"]
    else:
        body = torch.compile(transformer_hidden, dynamic=False) if a.compile else transformer_hidden

    log_path = Path(a.log)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    new_log = not (a.resume and log_path.exists())
    log_f = log_path.open("w" if new_log else "a", newline="")
    log = csv.writer(log_f)
    if new_log:
        log.writerow(["step", "elapsed_s", "tokens", "lr", "loss", "vec_loss", "vec_acc", "rel_loss",
                      "grad_norm", "tok_per_s", "resets", "noised"])
    # A resumed call must not take again (and overwrite with its own weights) the snapshots an
    # earlier call took.
    snapshots = sorted(x for x in (float(v) for v in a.snapshot_at.split(",") if v) if x > prog.elapsed)
    t0 = time.time()
    last_ckpt = t0
    acc = {"loss": 0.0, "vec_loss": 0.0, "vec_acc": 0.0, "rel_loss": 0.0, "n": 0, "heads": 0, "resets": 0, "noised": 0}
    window_t0, window_tokens = time.time(), 0
    first_step_s = None
    model.train()
    stop_at = a.budget_s - prog.elapsed
    if a.stop_after_s:
        stop_at = min(stop_at, a.stop_after_s)
    while True:
        if time.time() - t0 >= stop_at or (a.max_steps and prog.step >= a.max_steps):
            break
        elapsed = prog.elapsed + time.time() - t0  # over every call of a resumed run
        if snapshots and elapsed >= snapshots[0]:
            save_weights(Path(a.ckpt).with_name(f"{Path(a.ckpt).stem}-at{int(snapshots[0])}s.pt"), model)
            snapshots.pop(0)
        lr = lr_at(a, prog.step, elapsed / a.budget_s)
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = streams.next()
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=not a.no_autocast):
            if is_mamba:
                state_in, resets, noised = perturb(state, a, gen)
                with_heads = a.heads_every and prog.step % a.heads_every == 0
                total, loss, parts, state = mamba_losses(model, fwd_fast, fwd_fast if with_heads else None, x, y,
                                                         state_in, sep, gen, a.vec_weight, a.rel_weight,
                                                         a.vec_per_row, a.rel_same_row)
            else:
                resets = noised = 0
                loss = lm_loss(model, body(model, x), y)
                total, parts = loss, {}
        opt.zero_grad(set_to_none=True)
        total.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        prog.step += 1
        prog.tokens += x.numel()
        window_tokens += x.numel()
        acc["loss"] += loss.detach()  # summed on the GPU: no sync per step
        for k in ("vec_loss", "vec_acc", "rel_loss"):
            if k in parts:
                acc[k] += parts[k].detach()
        acc["heads"] += bool(parts)
        acc["n"] += 1
        acc["resets"] += resets
        acc["noised"] += noised
        if first_step_s is None:
            first_step_s = time.time() - t0
            print(f"first step (incl. compile) {first_step_s:.1f}s", flush=True)
            window_t0, window_tokens = time.time(), 0
        if prog.step % a.log_every == 0:
            now = time.time()
            tps = window_tokens / max(1e-9, now - window_t0)
            n_heads = max(1, acc["heads"])  # steps with the heads in this row (--heads-every)
            row = [prog.step, round(prog.elapsed + now - t0, 2), prog.tokens, f"{lr:.3e}", round(float(acc["loss"]) / acc["n"], 4),
                   round(float(acc["vec_loss"]) / n_heads, 4), round(float(acc["vec_acc"]) / n_heads, 4),
                   round(float(acc["rel_loss"]) / n_heads, 4), round(float(gnorm), 3), round(tps),
                   acc["resets"], acc["noised"]]
            log.writerow(row)
            log_f.flush()
            if prog.step % (5 * a.log_every) == 0:
                print(" ".join(str(v) for v in row), flush=True)
            acc = {k: 0 for k in acc}
            window_t0, window_tokens = now, 0
        if time.time() - last_ckpt >= a.ckpt_every_s:
            save_checkpoint(Path(a.ckpt), model, opt,
                            _extra(prog, prog.elapsed + time.time() - t0, streams, state, a.init))
            last_ckpt = time.time()
    prog.elapsed += time.time() - t0
    train_s = prog.elapsed
    save_checkpoint(Path(a.ckpt), model, opt, _extra(prog, prog.elapsed, streams, state, a.init))
    save_weights(Path(a.ckpt).with_name(Path(a.ckpt).stem + "-final.pt"), model)
    save_weights(Path(a.ckpt).with_name(Path(a.ckpt).stem + "-final-fp16.pt"), model, torch.float16)
    log_f.close()
    steady = [r for r in csv.DictReader(log_path.open()) if float(r["elapsed_s"]) > (first_step_s or 0) + 5]
    summary = {
        "arch": a.arch, "params": n_params, "config": config_dict(model), "steps": prog.step,
        "tokens": prog.tokens, "train_s": round(train_s, 1), "first_step_s": round(first_step_s or 0, 1),
        "tokens_per_s_steady": round(float(np.median([float(r["tok_per_s"]) for r in steady]))) if steady else None,
        "batch": a.batch, "window": a.window, "lr": a.lr, "compile": a.compile,
        "setup_s": round(t0 - t_start, 1),
        "gpu": torch.cuda.get_device_name(0) if dev == "cuda" else dev,
        "max_mem_gb": round(torch.cuda.max_memory_allocated() / 2**30, 1) if dev == "cuda" else None,
        "args": vars(a),
    }
    Path(a.ckpt).with_name(Path(a.ckpt).stem + "-summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "args"}), flush=True)
    return summary


def _extra(prog: Progress, elapsed: float, streams: Streams, state: list | None, init: str) -> dict:
    """What a checkpoint holds besides the weights and the optimiser; elapsed = training seconds
    over every call so far."""
    return {"step": prog.step, "init": init, "tokens": prog.tokens, "elapsed": elapsed,
            "stream_pos": streams.pos.cpu(), "stream_tokens": streams.n,
            "state": None if state is None else [(c.cpu(), s.cpu()) for c, s in state]}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=("mamba2", "transformer"), default="mamba2")
    p.add_argument("--data", required=True)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--budget-s", type=float, required=True,
                   help="seconds of training in all; the learning-rate schedule spans them")
    p.add_argument("--stop-after-s", type=float, default=0,
                   help="stop this call after these seconds (a run split over calls: --resume goes on)")
    p.add_argument("--max-steps", type=int, default=0)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--init", default="", help="start from these weights ({config, model}), fresh optimizer")
    p.add_argument("--snapshot-at", default="", help="seconds (comma list): extra weight snapshots")
    p.add_argument("--d-model", type=int, default=384)
    p.add_argument("--n-layer", type=int, default=6)
    p.add_argument("--d-state", type=int, default=64)
    p.add_argument("--subchunk", type=int, default=64)
    p.add_argument("--embedding-dim", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--window", type=int, default=2048)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--min-lr-frac", type=float, default=0.1)
    p.add_argument("--warmup-steps", type=int, default=100)
    p.add_argument("--wd", type=float, default=0.1)
    p.add_argument("--p-reset", type=float, default=0.02)
    p.add_argument("--p-noise", type=float, default=0.1)
    p.add_argument("--noise-scale", type=float, default=0.2)
    p.add_argument("--heads-every", type=int, default=1)
    p.add_argument("--vec-weight", type=float, default=0.1)
    p.add_argument("--vec-per-row", type=int, default=1,
                   help="passages a window gives the vector head: >1 adds negatives from the same document")
    p.add_argument("--rel-same-row", action="store_true",
                   help="the relevance head's negative queries from later in the same window (same document)")
    p.add_argument("--rel-weight", type=float, default=0.1)
    p.add_argument("--compile", action="store_true")
    p.add_argument("--ckpt-every-s", type=float, default=90)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cuda")
    p.add_argument("--no-autocast", action="store_true")
    return p


if __name__ == "__main__":
    train(parser().parse_args())
