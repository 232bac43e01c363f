"""PyTorch CUDA reading the same model on the same chunks as the engine benchmark: the GPU's
reference for onnxruntime's WebGPU provider (issue: engine benchmark, GPU part).

The token stream is built like test/support/long-document.ts builds it: BOS, then the UTF-8
bytes of Pride and Prejudice's paragraphs (whitespace collapsed, joined by blank lines,
repeated). Each call carries the (conv, ssm) state to the next, batch 1, exactly as the reader
does; the heads the reader fetches (logprobs, embeddings) are computed too.

    python3 models/train/bench_torch.py --model-dir models/lectern-mamba2-random \
        --tokens 1000000 --calls 1024,4096,16384 [--ckpt ckpt.pt]
Prints one JSON object per measurement and a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mamba2 import Mamba2Config, Mamba2LM, build_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def stream_of(tokens: int, bos: int) -> torch.Tensor:
    text = (ROOT / "test/fixtures/novels/pride_and_prejudice.txt").read_text("utf-8")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    data = "\n\n".join(p for p in paragraphs if p).encode("utf-8")
    reps = tokens // len(data) + 1
    ids = torch.frombuffer(bytearray(data * reps), dtype=torch.uint8)[: tokens - 1].to(torch.int64)
    return torch.cat([torch.tensor([bos]), ids])


def load(model_dir: Path, ckpt: str | None, seed: int) -> Mamba2LM:
    m = json.loads((model_dir / "manifest.json").read_text())
    fields = Mamba2Config.__dataclass_fields__
    cfg = Mamba2Config(**{k: m[k] for k in fields if k in m})
    if ckpt:
        saved = torch.load(ckpt, map_location="cpu")
        model = Mamba2LM(Mamba2Config(**{k: v for k, v in saved["config"].items() if k in fields}))
        model.load_state_dict(saved["model"])
        return model
    return build_model(cfg, seed=seed)  # the random model was exported from this seed


@torch.inference_mode()
def read(model: Mamba2LM, stream: torch.Tensor, T: int, dtype: torch.dtype) -> float:
    dev = torch.device("cuda")
    ids = stream.to(dev)
    pad = model.cfg.specials["pad"]
    n = ids.numel()
    total = (n + T - 1) // T * T
    padded = torch.full((total + 1,), pad, dtype=torch.int64, device=dev)
    padded[:n] = ids
    state = model.empty_state(1, dev)
    ctx = torch.autocast("cuda", dtype=dtype) if dtype != torch.float32 else torch.autocast("cuda", enabled=False)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    with ctx:
        for pos in range(0, total, T):
            x = padded[pos:pos + T].unsqueeze(0)
            y = padded[pos + 1:pos + T + 1].unsqueeze(0)
            valid = torch.tensor([min(T, n - pos)], device=dev)
            hidden, state = model(x, state, valid)
            model.heads(hidden, y)
    torch.cuda.synchronize()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(ROOT / "models/lectern-mamba2-random"))
    ap.add_argument("--ckpt")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--calls", default="1024,4096,16384")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    model = load(Path(a.model_dir), a.ckpt, a.seed).cuda().eval()
    stream = stream_of(a.tokens, model.cfg.specials["bos"])
    rows = []
    for T in [int(t) for t in a.calls.split(",")]:
        for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
            read(model, stream[: 4 * T], T, dtype)  # warm-up: kernels, allocator
            times = sorted(read(model, stream, T, dtype) for _ in range(a.runs))
            sec = times[len(times) // 2]
            row = {"tokens": a.tokens, "call": T, "dtype": name, "seconds": round(sec, 3),
                   "tokens_per_second": round(a.tokens / sec), "runs": a.runs,
                   "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)}
            print(json.dumps(row), flush=True)
            rows.append(row)
    print(f"\n### PyTorch CUDA reference ({torch.cuda.get_device_name()}), same model, same chunks, batch 1\n")
    print("| tokens | tokens per call | dtype | seconds (median) | tokens/s | peak GPU MB |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['tokens']} | {r['call']} | {r['dtype']} | {r['seconds']} | {r['tokens_per_second']} | {r['peak_gpu_mb']} |")


if __name__ == "__main__":
    main()
