"""Fine-tunes a shipped Mamba-2's passage-vector head on question-like pairs (qa_pairs.py), with the
language-model loss and heads.py's own head losses kept, so that bits per byte holds (GPU machine).

    python3 models/train/finetune_qa.py --init v6-fp16.pt --data /tmp/lectern-train/data \
        --pairs .qa/pairs.jsonl.xz --tokenizer models/lectern-mamba2-7m-v6/tokenizer.json \
        --train last2 --budget-s 240 --out /tmp/qa/last2.pt --report /tmp/qa/last2.json

A pair example is read as the reader reads a passage: CONTEXT tokens of the text before it (the
state the reader carries into it; left-padded when the document starts sooner), then the passage,
whose vector-head outputs are mean-pooled over its own tokens; the query is read alone from the
zero state and mean-pooled, as the engine's queryVector does. InfoNCE over a batch of DOCS
documents × PER_DOC pairs each: the other pairs of the same document are the hard negatives (the
engine ranks one document's passages), the other documents' the easy ones.

--train: `heads` (the vector and relevance heads alone; the language model cannot change),
`lastN` (also the last N blocks and the final norm), `all`. The LM loss runs every step unless only
the heads train. Held out: HELDOUT_DOCS documents' pairs, never trained on, give the within-document
recall@1 of query → passage before and after (the report).
"""
from __future__ import annotations

import argparse
import json
import lzma
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import heads  # noqa: E402
from data import load  # noqa: E402
from evaluate import load_model  # noqa: E402
from train import Streams, lm_loss, mamba_forward, perturb, save_weights  # noqa: E402

QUERY, CONTEXT, PASSAGE = 48, 128, 192
DOCS, PER_DOC = 16, 4
HELDOUT_DOCS = 64


def encode_pairs(path: Path, tokenizer_path: Path, pad: int) -> list[dict]:
    """Per document: query [n, QUERY], query_len [n], seq [n, CONTEXT + PASSAGE], passage_len [n]."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    docs = [json.loads(line) for line in lzma.open(path, "rt", encoding="utf-8") if line.strip()]
    flat = [p for d in docs for p in d["pairs"]]
    enc = lambda texts: [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]  # noqa: E731
    q_ids, p_ids, b_ids = enc([p["query"] for p in flat]), enc([p["passage"] for p in flat]), enc([p["before"] for p in flat])
    out, k = [], 0
    for d in docs:
        n = len(d["pairs"])
        q = np.full((n, QUERY), pad, np.int64)
        seq = np.full((n, CONTEXT + PASSAGE), pad, np.int64)
        ql, pl = np.zeros(n, np.int64), np.zeros(n, np.int64)
        for i in range(n):
            qi, pi, bi = q_ids[k + i][:QUERY], p_ids[k + i][:PASSAGE], b_ids[k + i][-CONTEXT:]
            q[i, :len(qi)], ql[i] = qi, max(1, len(qi))
            seq[i, CONTEXT - len(bi):CONTEXT] = bi
            seq[i, CONTEXT:CONTEXT + len(pi)], pl[i] = pi, max(1, len(pi))
        k += n
        out.append({"doc": d["doc"], "lang": d["lang"], "kinds": [p["kind"] for p in d["pairs"]],
                    "query": torch.from_numpy(q), "query_len": torch.from_numpy(ql),
                    "seq": torch.from_numpy(seq), "passage_len": torch.from_numpy(pl)})
    return out


def masked_mean(values: Tensor, start: int, length: Tensor) -> Tensor:
    """Mean of values[b, start : start + length[b]] per row: [b, T, E] -> [b, E]."""
    pos = torch.arange(values.shape[1], device=values.device)[None, :]
    mask = ((pos >= start) & (pos < start + length[:, None])).to(values.dtype)
    return (values * mask[..., None]).sum(1) / length[:, None].to(values.dtype)


def pair_vectors(model, fwd, query: Tensor, query_len: Tensor, seq: Tensor, passage_len: Tensor) -> tuple[Tensor, Tensor]:  # noqa: ANN001
    hq, _ = fwd(query, None)
    q = F.normalize(masked_mean(model.vector_head(hq).float(), 0, query_len), dim=-1)
    hp, _ = fwd(seq, None)
    p = F.normalize(masked_mean(model.vector_head(hp).float(), CONTEXT, passage_len), dim=-1)
    return q, p


def sample_batch(docs: list[dict], rng: random.Random, dev: str) -> dict[str, Tensor]:
    chosen = rng.sample(docs, DOCS)
    parts: dict[str, list[Tensor]] = {k: [] for k in ("query", "query_len", "seq", "passage_len")}
    for d in chosen:
        idx = torch.tensor(rng.sample(range(len(d["kinds"])), PER_DOC))
        for k in parts:
            parts[k].append(d[k][idx])
    return {k: torch.cat(v).to(dev) for k, v in parts.items()}


@torch.no_grad()
def heldout_recall(model, fwd, docs: list[dict], dev: str) -> dict:  # noqa: ANN001
    """Within each held-out document: recall@1 and MRR of each query against all its passages."""
    model.eval()
    hits, rr, n = 0, 0.0, 0
    by_kind: dict[str, list[int]] = {}
    for d in docs:
        with torch.autocast(dev, dtype=torch.bfloat16):
            q, p = pair_vectors(model, fwd, d["query"].to(dev), d["query_len"].to(dev), d["seq"].to(dev),
                                d["passage_len"].to(dev))
        sims = q @ p.T
        rank = (sims > sims.diag()[:, None]).sum(1)
        for kind, r in zip(d["kinds"], rank.tolist()):
            by_kind.setdefault(kind, []).append(int(r == 0))
        hits += int((rank == 0).sum())
        rr += float((1.0 / (rank.float() + 1)).sum())
        n += len(d["kinds"])
    model.train()
    return {"pairs": n, "documents": len(docs), "recall_at_1": hits / n, "mrr": rr / n,
            "recall_at_1_by_kind": {k: sum(v) / len(v) for k, v in sorted(by_kind.items())},
            "mean_candidates": n / len(docs)}


def trainable(model, mode: str) -> list[torch.nn.Parameter]:  # noqa: ANN001
    for p in model.parameters():
        p.requires_grad_(mode == "all")
    if mode != "all":
        keep = [model.vector_head, model.relevance_head]
        if mode.startswith("last"):
            keep += list(model.layers[-int(mode[4:]):]) + [model.norm_f]
        for m in keep:
            for p in m.parameters():
                p.requires_grad_(True)
    return [p for p in model.parameters() if p.requires_grad]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True, help="data.py output: the LM stream")
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--tokenizer", type=Path, required=True)
    ap.add_argument("--train", default="last2", help="heads, lastN or all")
    ap.add_argument("--budget-s", type=float, required=True)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--warmup-steps", type=int, default=30)
    ap.add_argument("--pair-weight", type=float, default=1.0)
    ap.add_argument("--vec-weight", type=float, default=0.1)
    ap.add_argument("--rel-weight", type=float, default=0.1)
    ap.add_argument("--heads-every", type=int, default=4)
    ap.add_argument("--lm-batch", type=int, default=16)
    ap.add_argument("--lm-window", type=int, default=2048)
    ap.add_argument("--out", type=Path, required=True, help="float16 weights ({config, model})")
    ap.add_argument("--report", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    t_start = time.time()
    dev = "cuda"
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    model = load_model("mamba2", a.init, dev).train()
    specials = model.cfg.specials
    docs = [d for d in encode_pairs(a.pairs, a.tokenizer, specials["pad"]) if len(d["kinds"]) >= PER_DOC]
    rng.shuffle(docs)
    held, docs = docs[:HELDOUT_DOCS], docs[HELDOUT_DOCS:]
    print(f"{sum(len(d['kinds']) for d in docs)} training pairs in {len(docs)} documents; "
          f"{len(held)} held out ({time.time() - t_start:.0f} s)", flush=True)
    blocks = list(model.layers)
    fwd = lambda ids, st: mamba_forward(model, blocks, ids, st)  # noqa: E731
    report: dict = {"init": str(a.init), "train": a.train, "args": {k: str(v) for k, v in vars(a).items()},
                    "before": heldout_recall(model, fwd, held, dev)}
    print("held-out before:", json.dumps(report["before"]), flush=True)

    params = trainable(model, a.train)
    opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.95), weight_decay=0.01)
    lm_on = a.train != "heads"
    if lm_on:
        data = load(a.data)
        streams = Streams(data.train, a.lm_batch, a.lm_window, dev, a.seed)
        state = model.empty_state(a.lm_batch, dev)
        noise = argparse.Namespace(p_reset=0.02, p_noise=0.1, noise_scale=0.2)
    gen = torch.Generator().manual_seed(a.seed + 1)
    t0, step = time.time(), 0
    log = {"pair_loss": 0.0, "pair_acc": 0.0, "lm": 0.0, "n": 0}
    while time.time() - t0 < a.budget_s:
        frac = (time.time() - t0) / a.budget_s
        lr = a.lr * min(1.0, (step + 1) / a.warmup_steps) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        b = sample_batch(docs, rng, dev)
        with torch.autocast(dev, dtype=torch.bfloat16):
            q, p = pair_vectors(model, fwd, b["query"], b["query_len"], b["seq"], b["passage_len"])
            pair_loss, pair_acc = heads.info_nce(q, p)
            total = a.pair_weight * pair_loss
            if lm_on:
                x, y = streams.next()
                state_in, _, _ = perturb(state, noise, gen)
                hidden, state = fwd(x, state_in)
                state = [(c.detach(), s.detach()) for c, s in state]
                lm = lm_loss(model, hidden, y)
                total = total + lm
                log["lm"] += float(lm)
                if a.heads_every and step % a.heads_every == 0:
                    parts = heads.head_losses(model, fwd, x, hidden, state_in, specials["sep"], gen, 4, True)
                    total = total + a.vec_weight * parts["vec_loss"] + a.rel_weight * parts["rel_loss"]
        opt.zero_grad(set_to_none=True)
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        log["pair_loss"] += float(pair_loss)
        log["pair_acc"] += float(pair_acc)
        log["n"] += 1
        if step % 100 == 0:
            n = log["n"]
            print(f"step {step} {time.time() - t0:.0f}s lr {lr:.2e} pair_loss {log['pair_loss'] / n:.3f} "
                  f"pair_acc {log['pair_acc'] / n:.3f} lm {log['lm'] / n:.3f}", flush=True)
            log = {"pair_loss": 0.0, "pair_acc": 0.0, "lm": 0.0, "n": 0}
    report["steps"] = step
    report["train_s"] = round(time.time() - t0, 1)
    report["after"] = heldout_recall(model, fwd, held, dev)
    print("held-out after:", json.dumps(report["after"]), flush=True)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    save_weights(a.out, model, torch.float16)
    a.report.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
