"""pytest for heads.py's vector batches and evaluate.py's retrieval figures, on a small random
model (runs wherever torch is; this CPU has no pytest, so `python3 models/train/test_heads.py`
runs the same checks without it)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heads  # noqa: E402
from evaluate import heads_eval  # noqa: E402
from mamba2 import Mamba2Config, build_model  # noqa: E402
from train import mamba_forward  # noqa: E402


def small_model():  # noqa: ANN201
    torch.manual_seed(0)
    return build_model(Mamba2Config(vocab_size=300, d_model=64, n_layer=2, embedding_dim=32))


def test_pool_and_gather_take_one_or_several_starts_a_row() -> None:
    ids = torch.randint(4, 300, (3, 1024))
    values = torch.randn(3, 1024, 8)
    one = torch.tensor([5, 100, 700])
    assert torch.allclose(heads.pool(values, one, 64), heads.pool(values, one[:, None], 64), atol=1e-5)
    several = torch.tensor([[5, 300], [100, 600], [0, 768]])
    spans = heads.gather_spans(ids, several, 32)
    assert spans.shape == (6, 32)
    assert torch.equal(spans[3], ids[1, 600:632]) and torch.equal(spans[4], ids[2, 0:32])
    assert torch.allclose(heads.pool(values, several, 64)[5], values[2, 768:832].mean(0), atol=1e-5)


def test_several_passages_a_row_each_in_its_own_part_of_the_window() -> None:
    model = small_model()
    ids = torch.randint(4, 300, (3, 1024))
    gen = torch.Generator().manual_seed(1)
    vb = heads.vector_batch(ids, gen, per_row=4)
    assert vb.passage_start.shape == (3, 4) and vb.query_ids.shape == (12, heads.QUERY_LEN)
    assert torch.equal(vb.passage_start // 256, torch.arange(4).expand(3, 4))
    assert bool(((vb.passage_start % 256) + vb.passage_len <= 256).all())

    def fwd(x, state):  # noqa: ANN001, ANN202
        return mamba_forward(model, list(model.layers), x, state)

    hidden, state = fwd(ids, None)
    out = heads.head_losses(model, fwd, ids, hidden, [(c.detach(), s.detach()) for c, s in state], 2, gen,
                            vec_per_row=4)
    out["vec_loss"].backward()
    assert torch.isfinite(out["vec_loss"]) and model.vector_head.weight.grad is not None


def test_a_window_too_small_for_the_passages_is_refused() -> None:
    try:
        heads.vector_batch(torch.randint(4, 300, (2, 512)), torch.Generator().manual_seed(0), per_row=4)
    except ValueError:
        return
    raise AssertionError("4 passages of up to 256 tokens in a 512-token window were accepted")


def test_same_row_relevance_negatives_come_from_later_in_the_same_window() -> None:
    # Row r's tokens are r * 1000 + (0..199 inside the passage, 500.. after it), so a query's
    # tokens say where it was cut from.
    pos = torch.arange(1024)
    local = torch.where(pos < heads.REL_PASSAGE, pos % 200, 500 + pos % 400)
    ids = torch.stack([r * 1000 + local for r in range(6)])
    rb = heads.relevance_batch(ids, 2, torch.Generator().manual_seed(0), same_row_negatives=True)
    assert bool(rb.positive.any()) and bool((~rb.positive).any())
    query = rb.seq[:, :rb.query_len]
    row, rest = query // 1000, query % 1000
    assert torch.equal(row, torch.arange(6)[:, None].expand_as(row))
    assert bool((rest[rb.positive] < 200).all()) and bool((rest[~rb.positive] >= 500).all())
    assert float(rb.labels[~rb.positive].sum()) == 0.0


def test_retrieval_within_one_document_counts_the_long_documents() -> None:
    rng = np.random.default_rng(0)
    valid = [rng.integers(4, 300, 40_000).astype(np.uint16)] + [rng.integers(4, 300, 3_000).astype(np.uint16)
                                                                 for _ in range(3)]
    within = heads_eval(small_model(), valid, groups=1)["retrieval_within_document"]
    assert within["documents"] == 1 and within["candidates"] == 32
    assert 0.0 <= within["recall_at_1"] <= 1.0


if __name__ == "__main__":
    for name, test in list(globals().items()):
        if name.startswith("test_"):
            test()
            print("ok", name)
