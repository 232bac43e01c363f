"""The two head losses trained beside next-token prediction, and the examples they are built from.

Both are cut from the training window the language model is reading, so they cost one small extra
forward each and need no labelled data.

(a) Passage vectors (`embeddings` output, mean-pooled by the reader over a passage's tokens):
    the passage is a random span of PASSAGE_MIN..PASSAGE_MAX tokens of the window, pooled from
    the hidden states of the main forward (so it is read with the carried state, as the reader
    reads it); the query is a QUERY_LEN-token sub-span of it encoded on its own from the zero
    state. InfoNCE with in-batch negatives (each row's passage is the other rows' negative).
    With per_row > 1, each row gives that many passages, one in each equal part of its window:
    the others of the same row are negatives from the same document, a few hundred tokens
    away, which is what retrieval inside one document has to tell apart.
(b) Relevance (`relevance` output, a logit per token): a sequence [query, <sep>, passage] read from
    the state at the passage's start (as the engine re-reads a passage from its stored checkpoint,
    question first) or, for some rows, from the zero state. The passage is the first REL_PASSAGE
    tokens of the window; the query is a REL_SPAN-token span of it with REL_DROP tokens dropped
    (cloze-like), or for negative rows a span of another row's passage. Per-token BCE over the
    passage: 1 on the source span's tokens, 0 on every other passage token.
    With same-row negatives, a negative row's query is a span from later in its own window (the
    same document) instead of another row's.

Shapes are fixed per call so that a compiled model sees few distinct shapes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

PASSAGE_MIN, PASSAGE_MAX = 128, 256
QUERY_LEN = 32
TEMPERATURE = 0.05
REL_PASSAGE = 256
REL_SPAN = 28
REL_DROP = 4
REL_NEGATIVE_SHARE = 0.5
REL_ZERO_STATE_SHARE = 0.25

# forward(ids [b, T], state or None) -> (hidden [b, T, d], new state)
Forward = Callable[..., tuple[Tensor, list]]


def pool(values: Tensor, start: Tensor, length: int) -> Tensor:
    """Mean of values[b, s : s + length] for each row's start s: [b, T, E] -> [b, E] for start [b],
    [b * K, E] (row-major) for start [b, K]."""
    T = values.shape[1]
    # Several starts a row take one batched matmul; one start keeps the elementwise sum, so the
    # default training step and evaluate.py's figures stay what they were to the bit.
    if start.dim() == 2:
        pos = torch.arange(T, device=values.device)[None, None, :]
        mask = ((pos >= start[..., None]) & (pos < start[..., None] + length)).to(values.dtype)
        return torch.bmm(mask, values).flatten(0, 1) / length
    pos = torch.arange(T, device=values.device)[None, :]
    mask = ((pos >= start[:, None]) & (pos < start[:, None] + length)).to(values.dtype)
    return (values * mask[..., None]).sum(1) / length


def gather_spans(ids: Tensor, start: Tensor, length: int) -> Tensor:
    """ids[b, s : s + length] for each row's start s: [b, T] -> [b, length] for start [b],
    [b * K, length] (row-major) for start [b, K]."""
    idx = start.view(start.shape[0], -1, 1) + torch.arange(length, device=ids.device)
    return torch.gather(ids, 1, idx.flatten(1)).view(-1, length)


@dataclass
class VectorBatch:
    passage_start: Tensor   # [b], or [b, K] for K passages a row
    passage_len: int
    query_ids: Tensor       # [b * K, QUERY_LEN], row-major


def vector_batch(ids: Tensor, gen: torch.Generator, passage_from: int = 0, per_row: int = 1) -> VectorBatch:
    """A passage span per row of the window (at or after passage_from) and a query inside it; with
    per_row > 1, that many passages a row, one in each of as many equal parts of the window."""
    b, T = ids.shape
    L = int(torch.randint(PASSAGE_MIN, PASSAGE_MAX + 1, (1,), generator=gen))
    if per_row == 1:
        start = torch.randint(passage_from, T - L + 1, (b,), generator=gen).to(ids.device)
        offset = torch.randint(0, L - QUERY_LEN + 1, (b,), generator=gen).to(ids.device)
        return VectorBatch(start, L, gather_spans(ids, start + offset, QUERY_LEN))
    part = (T - passage_from) // per_row
    if part < PASSAGE_MAX:
        raise ValueError(f"{per_row} passages of up to {PASSAGE_MAX} tokens do not fit a window of {T}")
    first = passage_from + part * torch.arange(per_row)[None, :]
    start = (first + torch.randint(0, part - L + 1, (b, per_row), generator=gen)).to(ids.device)
    offset = torch.randint(0, L - QUERY_LEN + 1, (b, per_row), generator=gen).to(ids.device)
    return VectorBatch(start, L, gather_spans(ids, start + offset, QUERY_LEN))


def query_vectors(model, forward: Forward, query_ids: Tensor) -> Tensor:  # noqa: ANN001
    """A query read on its own from the zero state, mean-pooled and L2-normalised."""
    hidden, _ = forward(query_ids, None)
    return F.normalize(model.vector_head(hidden).float().mean(1), dim=-1)


def passage_vectors(model, hidden: Tensor, batch: VectorBatch) -> Tensor:  # noqa: ANN001
    emb = model.vector_head(hidden).float()
    return F.normalize(pool(emb, batch.passage_start, batch.passage_len), dim=-1)


def info_nce(q: Tensor, p: Tensor) -> tuple[Tensor, Tensor]:
    """(loss, top-1 accuracy) of each query against every passage of the batch."""
    logits = q @ p.T / TEMPERATURE
    target = torch.arange(q.shape[0], device=q.device)
    return F.cross_entropy(logits, target), (logits.argmax(-1) == target).float().mean()


@dataclass
class RelevanceBatch:
    seq: Tensor         # [b, Q + 1 + REL_PASSAGE]: query, sep, passage
    labels: Tensor      # [b, REL_PASSAGE]: 1 on the source span
    positive: Tensor    # [b] bool
    span_start: Tensor  # [b] source span's start in the passage (of the query's source row)
    query_len: int


def relevance_batch(ids: Tensor, sep: int, gen: torch.Generator, passage_from: int = 0,
                    negative_share: float = REL_NEGATIVE_SHARE, same_row_negatives: bool = False) -> RelevanceBatch:
    """Passage = ids[:, passage_from : passage_from + REL_PASSAGE]; a span of it (or, for negative
    rows, of another row's passage) with REL_DROP random tokens dropped is the query. With
    same_row_negatives, a negative row's span comes from its own window after the passage instead:
    the same document, which is what re-ranking one document's passages has to tell apart."""
    b = ids.shape[0]
    dev = ids.device
    passage = ids[:, passage_from:passage_from + REL_PASSAGE]
    span_start = torch.randint(0, REL_PASSAGE - REL_SPAN + 1, (b,), generator=gen).to(dev)
    span = gather_spans(passage, span_start, REL_SPAN)
    # Drop REL_DROP positions per row: keep the REL_SPAN - REL_DROP lowest of random keys, in order.
    keys = torch.rand(b, REL_SPAN, generator=gen).to(dev)
    keep = torch.sort(torch.topk(keys, REL_SPAN - REL_DROP, dim=1, largest=False).indices, 1).values
    query = torch.gather(span, 1, keep)
    positive = (torch.rand(b, generator=gen) >= negative_share).to(dev)
    if same_row_negatives:
        after = passage_from + REL_PASSAGE
        if ids.shape[1] - after < REL_SPAN:
            raise ValueError(f"no room after a {REL_PASSAGE}-token passage in a window of {ids.shape[1]}")
        elsewhere = torch.randint(after, ids.shape[1] - REL_SPAN + 1, (b,), generator=gen).to(dev)
        query = torch.where(positive[:, None], query, torch.gather(gather_spans(ids, elsewhere, REL_SPAN), 1, keep))
    elif b > 1:
        shift = torch.roll(torch.arange(b, device=dev), 1)
        query = torch.where(positive[:, None], query, query[shift])
    else:
        positive = torch.ones_like(positive)
    pos = torch.arange(REL_PASSAGE, device=dev)[None, :]
    in_span = (pos >= span_start[:, None]) & (pos < span_start[:, None] + REL_SPAN)
    labels = (in_span & positive[:, None]).float()
    sep_col = torch.full((b, 1), sep, dtype=ids.dtype, device=dev)
    return RelevanceBatch(torch.cat([query, sep_col, passage], 1), labels, positive, span_start,
                          query.shape[1])


def relevance_logits(model, forward: Forward, batch: RelevanceBatch,  # noqa: ANN001
                     state: list | None) -> Tensor:
    """[b, REL_PASSAGE]: the relevance head over the passage part of [query, sep, passage]."""
    hidden, _ = forward(batch.seq, state)
    return model.relevance_head(hidden[:, batch.query_len + 1:]).squeeze(-1).float()


def relevance_loss(logits: Tensor, labels: Tensor) -> Tensor:
    return F.binary_cross_entropy_with_logits(logits, labels)


def mix_states(state: list, zero_rows: Tensor) -> list:
    """The carried state with the rows in zero_rows [b] bool replaced by zeros."""
    keep = (~zero_rows).float()
    out = []
    for conv, ssm in state:
        out.append((conv * keep.view(-1, *[1] * (conv.dim() - 1)).to(conv.dtype),
                    ssm * keep.view(-1, *[1] * (ssm.dim() - 1)).to(ssm.dtype)))
    return out


def head_losses(model, forward: Forward, ids: Tensor, hidden: Tensor, state_in: list,  # noqa: ANN001
                sep: int, gen: torch.Generator, vec_per_row: int = 1,
                rel_same_row: bool = False) -> dict[str, Tensor]:
    """Both losses for one training window. ids [b, W] are the window's inputs, hidden the main
    forward's output, state_in the (detached) state the window started from."""
    vb = vector_batch(ids, gen, per_row=vec_per_row)
    q = query_vectors(model, forward, vb.query_ids)
    p = passage_vectors(model, hidden, vb)
    vec_loss, vec_acc = info_nce(q, p)

    rb = relevance_batch(ids, sep, gen, same_row_negatives=rel_same_row)
    zero_rows = (torch.rand(ids.shape[0], generator=gen) < REL_ZERO_STATE_SHARE).to(ids.device)
    logits = relevance_logits(model, forward, rb, mix_states(state_in, zero_rows))
    rel_loss = relevance_loss(logits, rb.labels)
    return {"vec_loss": vec_loss, "vec_acc": vec_acc.detach(), "rel_loss": rel_loss}
