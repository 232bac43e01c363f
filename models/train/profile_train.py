"""Where a Mamba-2 training step's GPU time goes, and what the candidate speed-ups give, on random
tokens (no corpus needed): steady seconds per step for each variant, then torch.profiler's top CUDA
kernels for the first.

    python3 models/train/profile_train.py --variants base,no-heads,heads-uncompiled+conv-node \
        [--d-model 256 --n-layer 6 --batch 32 --window 2048 --steps 12]
A variant is "base" (train.py's step) or changes to it joined by "+": "no-heads" (the LM loss
alone), "heads-uncompiled" (the heads' extra forwards through the uncompiled blocks), "conv-node"
(the grouped conv1d in training too, not ssd.causal_conv_taps), "no-compile", "L<n>" (sub-chunk
length n), "heads-every<n>" (the heads in one step of n, as train.py --heads-every), "vec-per-row<n>"
and "rel-same-row" (the heads' same-document negatives, as train.py's flags), "reduce-overhead"
(the blocks compiled with CUDA graphs: torch.compile mode="reduce-overhead"). "heads-uncompiled+conv-node" is the trainer before 2026-11-29's the 2026-11-29 v3 work. Prints one JSON line per variant and the kernel table.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mamba2  # noqa: E402
from mamba2 import Mamba2Config, build_model  # noqa: E402
from ssd import causal_conv, causal_conv_taps  # noqa: E402
from train import mamba_forward, mamba_losses, parser  # noqa: E402

VOCAB = 16384
SEP = 2


def numbered(parts: set[str], prefix: str, default: int) -> int:
    """n of the variant part "<prefix><n>" (e.g. "L128", "heads-every4"), or default."""
    return next((int(m.group(1)) for p in parts if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", p))), default)


def one_variant(name: str, a: argparse.Namespace, profile: bool) -> dict:
    torch.manual_seed(0)
    # Each variant compiles afresh: compiled graphs kept from an earlier variant count toward
    # torch.compile's recompile limit, past which it silently falls back to eager.
    torch._dynamo.reset()
    torch._dynamo.config.recompile_limit = 32
    parts = set(name.split("+"))
    mamba2.causal_conv_taps = causal_conv if "conv-node" in parts else causal_conv_taps
    cfg = Mamba2Config(vocab_size=VOCAB, d_model=a.d_model, n_layer=a.n_layer,
                       subchunk=numbered(parts, "L", a.subchunk))
    model = build_model(cfg).cuda()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    compiled = "no-compile" not in parts
    mode = "reduce-overhead" if "reduce-overhead" in parts else "default"
    fast = [torch.compile(b, dynamic=False, mode=mode) for b in model.layers] if compiled else list(model.layers)
    head_blocks = list(model.layers) if "heads-uncompiled" in parts else fast
    forward = lambda ids, st: mamba_forward(model, fast, ids, st)  # noqa: E731
    heads_forward = lambda ids, st: mamba_forward(model, head_blocks, ids, st)  # noqa: E731
    weights = parser()  # train.py's own weights for the heads' losses
    vec_weight, rel_weight = weights.get_default("vec_weight"), weights.get_default("rel_weight")
    every = numbered(parts, "heads-every", 1)
    per_row = numbered(parts, "vec-per-row", 1)
    rel_same_row = "rel-same-row" in parts
    with_heads = "no-heads" not in parts
    n_step = 0
    gen = torch.Generator().manual_seed(1)
    state = model.empty_state(a.batch, "cuda")

    def step() -> None:
        nonlocal state, n_step
        x = torch.randint(4, VOCAB, (a.batch, a.window), device="cuda")
        y = torch.randint(4, VOCAB, (a.batch, a.window), device="cuda")
        heads_now = with_heads and n_step % every == 0
        n_step += 1
        if mode == "reduce-overhead":
            torch.compiler.cudagraph_mark_step_begin()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            total, _, _, state = mamba_losses(model, forward, heads_forward if heads_now else None, x, y,
                                              state, SEP, gen, vec_weight, rel_weight, per_row, rel_same_row)
        if mode == "reduce-overhead":  # CUDA graph outputs are overwritten by the next replay
            state = [(c.clone(), s.clone()) for c, s in state]
        opt.zero_grad(set_to_none=True)
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    t0 = time.time()
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    warm_s = time.time() - t0
    # Timed as train.py runs: no synchronisation between steps, so the host queues the next step
    # while the GPU finishes this one; the median over rounds of --steps steps.
    times = []
    for _ in range(3):
        t = time.time()
        for _ in range(a.steps):
            step()
        torch.cuda.synchronize()
        times.append((time.time() - t) / a.steps)
    med = sorted(times)[1]
    out = {"variant": name, "warmup_s": round(warm_s, 1), "step_ms": round(med * 1e3, 1),
           "tokens_per_s": round(a.batch * a.window / med), "max_mem_gb": round(torch.cuda.max_memory_allocated() / 1e9, 1)}
    print(json.dumps(out), flush=True)
    if profile:
        from torch.profiler import ProfilerActivity, profile as prof
        with prof(activities=[ProfilerActivity.CUDA]) as p:
            for _ in range(3):
                step()
            torch.cuda.synchronize()
        print(p.key_averages().table(sort_by="cuda_time_total", row_limit=a.rows, max_name_column_width=90))
    torch.cuda.reset_peak_memory_stats()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default="base,no-heads,heads-uncompiled+conv-node")
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--n-layer", type=int, default=6)
    ap.add_argument("--subchunk", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--window", type=int, default=2048)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--rows", type=int, default=30)
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    for i, name in enumerate(a.variants.split(",")):
        one_variant(name, a, profile=i == 0 and a.rows > 0)


if __name__ == "__main__":
    main()
