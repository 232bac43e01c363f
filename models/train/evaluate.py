"""Held-out measurements: bits per byte by position, and the heads' accuracy.

    python3 models/train/evaluate.py --arch mamba2 --weights /tmp/lectern-train/mamba2-final.pt \
        --data /tmp/lectern-train/data --out out/eval-mamba2.json

Bits per byte: every validation document is read whole, [bos] first; the model predicts each of
its tokens (not <eos>); nats / ln 2 / the UTF-8 bytes of the predicted tokens, overall, per
language and per position bucket (the predicted token's index in the document: 0-2k, 2k-8k,
8k-32k, 32k-128k, 128k+). Mamba-2 reads each document in windows with the state carried (as the
reader does) and, as an ablation, with the state reset every 2,048 tokens; the Transformer reads
non-overlapping 2,048-token windows (its training context), each from scratch.
float32 throughout (TF32 off), as onnxruntime computes.
Every document fills 0-2k and only long ones reach 32k+, so the buckets are also given over the long
documents alone (token-weighted) and with each long document weighted once (the mean of its own
buckets). --min-tokens evaluates the long documents alone, which a CPU can afford.

Heads (Mamba-2 only), on windows of 1,024 tokens cut at seeded offsets from the validation stream:
  retrieval: the passage = tokens 768..960 of a window read from the zero state (so 768 tokens
    of context), mean-pooled; the query = 32 tokens from inside the passage, read alone from the
    zero state; recall@1 and MRR of each query among 64 passages (its own and 63 others).
  relevance: [query, sep, passage] read from the state after the window's first 768 tokens,
    query = a 28-token span of the 256-token passage with 4 tokens dropped (or, for half the rows,
    a span of another window's passage); AUC of the per-token logit on the source span against
    every other passage token, AUC of the logit at the span's last token against every passage
    position outside the span (the engine scores a sentence at its last token), and AUC of the
    passage's highest logit, positive rows against negative rows.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import heads  # noqa: E402
from data import load  # noqa: E402
from mamba2 import Mamba2Config, Mamba2LM  # noqa: E402
from train import lm_logits, mamba_forward, transformer_hidden  # noqa: E402
from transformer import TransformerConfig, TransformerLM  # noqa: E402

BUCKETS = [(0, 2048, "0-2k"), (2048, 8192, "2k-8k"), (8192, 32768, "8k-32k"),
           (32768, 131072, "32k-128k"), (131072, 1 << 62, "128k+")]
WINDOW = 2048
BATCH_TOKENS = 32 * WINDOW


def load_model(arch: str, weights: Path, device: str = "cuda") -> torch.nn.Module:
    blob = torch.load(weights, map_location="cpu")
    cls, model_cls = (Mamba2Config, Mamba2LM) if arch == "mamba2" else (TransformerConfig, TransformerLM)
    known = {f.name for f in dataclasses.fields(cls)}
    model = model_cls(cls(**{k: v for k, v in blob["config"].items() if k in known}))
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in blob["model"].items()})
    return model.to(device).eval()


def target_logprobs(model: torch.nn.Module, hidden: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    logits = lm_logits(model, hidden).float()
    return -F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")


@torch.no_grad()
def nll_mamba(model: Mamba2LM, docs: list[np.ndarray], reset_every: int = 0) -> list[np.ndarray]:
    """Per document, the nats of each predicted token (inputs doc[:-2], targets doc[1:-1])."""
    dev = next(model.parameters()).device
    blocks = list(model.layers)
    out: list[np.ndarray | None] = [None] * len(docs)
    order = sorted(range(len(docs)), key=lambda i: -len(docs[i]))
    pad = model.cfg.specials["pad"]
    i = 0
    while i < len(order):
        longest = len(docs[order[i]]) - 2
        group = order[i:i + max(1, BATCH_TOKENS // max(WINDOW, longest))]
        i += len(group)
        b = len(group)
        ids = np.full((b, longest + 1), pad, dtype=np.int64)
        for r, d in enumerate(group):
            ids[r, :len(docs[d]) - 1] = docs[d][:-1]
        ids_t = torch.from_numpy(ids).to(dev)
        nll = torch.zeros(b, longest, device=dev)
        state = model.empty_state(b, dev)
        for s in range(0, longest, WINDOW):
            if reset_every and s % reset_every == 0:
                state = model.empty_state(b, dev)
            e = min(longest, s + WINDOW)
            hidden, state = mamba_forward(model, blocks, ids_t[:, s:e], state)
            nll[:, s:e] = -target_logprobs(model, hidden, ids_t[:, s + 1:e + 1])
        nll_np = nll.cpu().numpy()
        for r, d in enumerate(group):
            out[d] = nll_np[r, :len(docs[d]) - 2]
    return out  # type: ignore[return-value]


@torch.no_grad()
def nll_transformer(model: TransformerLM, docs: list[np.ndarray]) -> list[np.ndarray]:
    """Non-overlapping windows of WINDOW tokens, each read from scratch."""
    dev = next(model.parameters()).device
    pieces = []  # (doc, start, inputs, targets)
    for d, doc in enumerate(docs):
        n = len(doc) - 2
        for s in range(0, n, WINDOW):
            e = min(n, s + WINDOW)
            pieces.append((d, s, doc[s:e], doc[s + 1:e + 1]))
    out = [np.zeros(len(doc) - 2, dtype=np.float32) for doc in docs]
    per = BATCH_TOKENS // WINDOW
    for k in range(0, len(pieces), per):
        chunk = pieces[k:k + per]
        T = max(len(p[2]) for p in chunk)
        x = np.zeros((len(chunk), T), dtype=np.int64)
        y = np.zeros((len(chunk), T), dtype=np.int64)
        for r, (_, _, inp, tgt) in enumerate(chunk):
            x[r, :len(inp)], y[r, :len(tgt)] = inp, tgt
        hidden = transformer_hidden(model, torch.from_numpy(x).to(dev))
        nll = -target_logprobs(model, hidden, torch.from_numpy(y).to(dev))
        nll_np = nll.cpu().numpy()
        for r, (d, s, inp, _) in enumerate(chunk):
            out[d][s:s + len(inp)] = nll_np[r, :len(inp)]
    return out


LONG_DOCUMENT = 32768  # tokens: a document this long reaches the 32k-128k bucket


def bits_per_byte(docs: list[np.ndarray], nll: list[np.ndarray], token_bytes: np.ndarray,
                  langs: list[str] | None, ids: list[int] | None = None) -> dict:
    """Overall, per language and per position bucket; and the buckets again over the long
    documents alone, because every document fills 0-2k but only long ones reach 32k+, so the
    all-document buckets compare different texts as much as different positions. ids: each
    document's index in the validation split (valid.txt.xz order), for the per-document list."""
    total = {"nats": 0.0, "bytes": 0, "tokens": 0}

    def empty_buckets() -> dict:
        return {name: {"nats": 0.0, "bytes": 0, "tokens": 0, "documents": 0} for _, _, name in BUCKETS}

    buckets, long_buckets = empty_buckets(), empty_buckets()
    by_lang: dict[str, dict] = {}
    per_document: list[dict] = []  # the long documents: index, language, tokens, own buckets
    for k, (doc, n) in enumerate(zip(docs, nll)):
        tb = token_bytes[doc[1:-1].astype(np.int64)]
        idx = np.arange(len(n))
        lang = langs[k] if langs else "all"
        by_lang.setdefault(lang, {"nats": 0.0, "bytes": 0, "tokens": 0})
        for acc in (total, by_lang[lang]):
            acc["nats"] += float(n.sum())
            acc["bytes"] += int(tb.sum())
            acc["tokens"] += len(n)
        long = len(n) > LONG_DOCUMENT
        own: dict[str, float] = {}
        for lo, hi, name in BUCKETS:
            m = (idx >= lo) & (idx < hi)
            if m.any():
                nats, nbytes = float(n[m].sum()), int(tb[m].sum())
                for group in (buckets, long_buckets) if long else (buckets,):
                    b = group[name]
                    b["nats"] += nats
                    b["bytes"] += nbytes
                    b["tokens"] += int(m.sum())
                    b["documents"] += 1
                own[name] = nats / math.log(2) / max(1, nbytes)
        if long:
            per_document.append({"document": ids[k] if ids else k, "lang": lang, "tokens": len(n), "bpb": own})

    def bpb(acc: dict) -> dict:
        out = {k: v for k, v in acc.items() if k != "nats"}
        out["bpb"] = round(acc["nats"] / math.log(2) / acc["bytes"], 4) if acc["bytes"] else None
        out["nats_per_token"] = round(acc["nats"] / acc["tokens"], 4) if acc["tokens"] else None
        return out

    return {"overall": bpb(total), "by_position": {k: bpb(v) for k, v in buckets.items()},
            "by_position_long_documents": {k: bpb(v) for k, v in long_buckets.items() if v["tokens"]},
            "long_documents_each_once": each_once(per_document),
            "by_lang": {k: bpb(v) for k, v in by_lang.items()}}


def each_once(per_document: list[dict]) -> dict:
    """The long documents with each weighted once: per bucket, the mean of the documents' own bits
    per byte, and in how many of them 32k-128k reads lower than 0-2k. Position without the change
    of texts between buckets, though not without the change of text within a document (openings:
    title pages, contents); the carried-against-reset difference is the control for that. Each
    document's own figures are listed too (`document`: its index in valid.txt.xz, which is
    valid.jsonl.xz's order), so a later run can say which documents read worse later."""
    own = [d["bpb"] for d in per_document]
    means = {}
    for _, _, name in BUCKETS:
        values = [d[name] for d in own if name in d]
        if values:
            means[name] = {"documents": len(values), "mean_bpb": round(float(np.mean(values)), 4)}
    later_lower = sum(1 for d in own if d.get("32k-128k", math.inf) < d["0-2k"])
    return {"by_position": means, "later_lower": later_lower, "documents": len(per_document),
            "per_document": [{**d, "bpb": {name: round(v, 4) for name, v in d["bpb"].items()}}
                             for d in per_document]}


def eval_windows(valid: list[np.ndarray], n: int, length: int, seed: int) -> np.ndarray:
    """n windows of `length` tokens at seeded offsets of the concatenated validation stream."""
    stream = np.concatenate(valid).astype(np.int64)
    rng = np.random.default_rng(seed)
    starts = rng.choice(len(stream) - length, size=n, replace=False)
    return np.stack([stream[s:s + length] for s in starts])


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    scores = np.concatenate([pos, neg])
    ranks = np.empty(len(scores))
    ranks[np.argsort(scores, kind="mergesort")] = np.arange(1, len(scores) + 1)
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


# Retrieval inside one document, as the app retrieves: this many windows of each long validation
# document, spread over it, are each other's only candidates.
WITHIN_CANDIDATES = 32


def document_windows(doc: np.ndarray, n: int, length: int) -> np.ndarray | None:
    """n windows of `length` tokens spread evenly over one document; None when it is shorter than n."""
    if len(doc) < n * length:
        return None
    starts = np.linspace(0, len(doc) - length, n).astype(np.int64)
    return np.stack([doc[s:s + length] for s in starts]).astype(np.int64)


def retrieval(model: Mamba2LM, fwd: heads.Forward, ids: torch.Tensor, gen: torch.Generator) -> tuple[float, float]:
    """(recall@1, MRR) of each window's 32-token query, read alone, against every window's passage
    (its tokens 768..960, read after the 768 before them)."""
    n, dev = ids.shape[0], ids.device
    hidden, _ = fwd(ids, model.empty_state(n, dev))
    start = torch.full((n,), 768, device=dev)
    offset = torch.randint(0, 192 - heads.QUERY_LEN + 1, (n,), generator=gen).to(dev)
    vb = heads.VectorBatch(start, 192, heads.gather_spans(ids, start + offset, heads.QUERY_LEN))
    p = heads.passage_vectors(model, hidden, vb)
    q = heads.query_vectors(model, fwd, vb.query_ids)
    sim = q @ p.T
    rank = (sim > sim.diag()[:, None]).sum(1) + 1
    return float((rank == 1).float().mean()), float((1.0 / rank.float()).mean())


@torch.no_grad()
def heads_eval(model: Mamba2LM, valid: list[np.ndarray], groups: int = 8, seed: int = 3) -> dict:
    dev = next(model.parameters()).device
    blocks = list(model.layers)
    fwd = lambda ids, st: mamba_forward(model, blocks, ids, st)  # noqa: E731
    gen = torch.Generator().manual_seed(seed)
    n = 64
    win = torch.from_numpy(eval_windows(valid, groups * n, 1024, seed)).to(dev)
    r1, mrr = [], []
    for g in range(groups):
        g_r1, g_mrr = retrieval(model, fwd, win[g * n:(g + 1) * n], gen)
        r1.append(g_r1)
        mrr.append(g_mrr)

    span_tok, other_tok, end_pos, end_other, max_pos, max_neg = [], [], [], [], [], []
    sep = model.cfg.specials["sep"]
    for g in range(groups):
        ids = win[g * n:(g + 1) * n]
        _, state = fwd(ids[:, :768], model.empty_state(n, dev))
        rb = heads.relevance_batch(ids[:, 768:], sep, gen)
        logits = heads.relevance_logits(model, fwd, rb, state).cpu().numpy()
        labels = rb.labels.cpu().numpy().astype(bool)
        positive = rb.positive.cpu().numpy()
        for r in range(n):
            if positive[r]:
                s = int(rb.span_start[r])
                e = s + heads.REL_SPAN - 1
                span_tok.append(logits[r][labels[r]])
                other_tok.append(logits[r][~labels[r]])
                end_pos.append(logits[r][e:e + 1])
                end_other.append(logits[r][~labels[r]])
                max_pos.append(logits[r].max())
            else:
                other_tok.append(logits[r])
                max_neg.append(logits[r].max())
    # Last, with its own generator, so the figures above stay those of earlier evaluations.
    within_gen = torch.Generator().manual_seed(seed)
    within = [retrieval(model, fwd, torch.from_numpy(w).to(dev), within_gen)
              for w in (document_windows(doc, WITHIN_CANDIDATES, 1024) for doc in valid) if w is not None]
    cat = np.concatenate
    return {
        "retrieval": {"candidates": n, "groups": groups, "recall_at_1": round(float(np.mean(r1)), 4),
                      "mrr": round(float(np.mean(mrr)), 4), "chance_recall_at_1": round(1 / n, 4)},
        "retrieval_within_document": {
            "documents": len(within), "candidates": WITHIN_CANDIDATES,
            "recall_at_1": round(float(np.mean([w[0] for w in within])), 4) if within else None,
            "mrr": round(float(np.mean([w[1] for w in within])), 4) if within else None,
            "chance_recall_at_1": round(1 / WITHIN_CANDIDATES, 4)},
        "relevance": {"rows": groups * n, "positive_rows": len(max_pos),
                      "auc_span_tokens_vs_other_tokens": round(auc(cat(span_tok), cat(other_tok)), 4),
                      "auc_span_end_vs_positions_outside_span": round(auc(cat(end_pos), cat(end_other)), 4),
                      "auc_passage_max_positive_vs_negative_rows": round(auc(np.array(max_pos), np.array(max_neg)), 4)},
    }


def evaluate(arch: str, weights: Path, data_dir: Path, heads_too: bool = True, max_docs: int = 0,
             groups: int = 8, device: str = "cuda", min_tokens: int = 0) -> dict:
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    t0 = time.time()
    data = load(data_dir)
    langs = data.meta["valid"].get("langs")
    keep = list(range(len(data.valid)))
    if max_docs:  # a quick look: the shortest documents only
        keep = sorted(keep, key=lambda i: len(data.valid[i]))[:max_docs]
    if min_tokens:  # the long documents alone (a CPU can afford them)
        keep = [i for i in keep if len(data.valid[i]) >= min_tokens]
    if max_docs or min_tokens:
        data.valid = [data.valid[i] for i in keep]
        langs = [langs[i] for i in keep] if langs else None
    model = load_model(arch, weights, device)
    result: dict = {"arch": arch, "weights": str(weights), "window": WINDOW,
                    "validation": {k: v for k, v in data.meta["valid"].items() if k != "langs"}}
    if max_docs or min_tokens:
        result["validation"]["evaluated_documents"] = len(data.valid)
    if arch == "mamba2":
        result["carried"] = bits_per_byte(data.valid, nll_mamba(model, data.valid), data.token_bytes, langs, keep)
        result["reset_every_2048"] = bits_per_byte(data.valid, nll_mamba(model, data.valid, WINDOW),
                                                   data.token_bytes, langs, keep)
        if heads_too:
            result["heads"] = heads_eval(model, data.valid, groups)
    else:
        result["windows_2048"] = bits_per_byte(data.valid, nll_transformer(model, data.valid),
                                               data.token_bytes, langs, keep)
    result["seconds"] = round(time.time() - t0, 1)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=("mamba2", "transformer"), required=True)
    ap.add_argument("--weights", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--no-heads", action="store_true")
    ap.add_argument("--max-docs", type=int, default=0)
    ap.add_argument("--min-tokens", type=int, default=0, help="evaluate only documents this long")
    ap.add_argument("--device", default="cuda")
    a = ap.parse_args()
    result = evaluate(a.arch, a.weights, a.data, not a.no_heads, a.max_docs, device=a.device,
                      min_tokens=a.min_tokens)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
