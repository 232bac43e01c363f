"""The passage-vector head re-fitted on question-like pairs (qa_pairs.py) on a CPU, without torch:
a linear map A on top of the shipped head, trained with InfoNCE in numpy, then folded into the
head's weight matrix of a copy of the model directory (weights.bin edited in place; the graphs,
the language model and the relevance head stay byte for byte).

    python3 models/train/head_remap.py --model-dir models/lectern-mamba2-7m-v6 --pairs .qa/pairs.jsonl.xz \
        --id lectern-mamba2-7m-v7 --out models/lectern-mamba2-7m-v7 --report runs/…/head-remap.json

Why a map on top is the head's own fine-tune: the head is embeddings = h @ M (M [d_model, E], no
bias), the reader mean-pools it over a passage and the engine over a question, and both are
L2-normalised before the cosine. So normalize(A · mean(h @ M)) = normalize(mean(h @ (M Aᵀ))): the
head M Aᵀ computes exactly what the map computes, and for a full-rank M every head is such a map.
What this cannot do is move the blocks below the head (the GPU fine-tune, finetune_qa.py, can).

Pairs are read by onnxruntime with the shipped reading graph: the query alone from the empty state,
the passage after CONTEXT tokens of the text before it; the pooled sums come from the graph's own
passage pooling. Held out: HELD_DOCS documents' pairs, never trained on, give the within-document
recall@1 of query → passage for the shipped head and the re-fitted one.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

QUERY, CONTEXT, PASSAGE = 48, 128, 192
TEMPERATURE = 0.05
HELD_DOCS, HELD_PER_DOC = 40, 15
DOCS, PER_DOC = 16, 4


class Reader:
    """The reading graph of a model directory: pooled vector-head sums of one span of a sequence."""

    def __init__(self, model_dir: Path, threads: int) -> None:
        import onnxruntime as ort

        self.manifest = json.loads((model_dir / "manifest.json").read_text())
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model_dir / "reader.onnx"), opts, providers=["CPUExecutionProvider"])
        m = self.manifest
        self.zeros = {}
        for i in range(m["n_layer"]):
            self.zeros[f"past_conv.{i}"] = np.zeros((1, m["conv_dim"], m["d_conv"] - 1), np.float32)
            self.zeros[f"past_ssm.{i}"] = np.zeros((1, m["nheads"], m["headdim"], m["d_state"]), np.float32)
        self.multiple = m["call_multiple"]

    def pooled(self, ids: list[int], start: int) -> np.ndarray:
        """Mean of the embeddings over ids[start:], the whole sequence read from the empty state."""
        n = len(ids)
        T = -(-n // self.multiple) * self.multiple
        x = np.full((1, T), self.manifest["specials"]["pad"], np.int64)
        x[0, :n] = ids
        seg = np.full((1, T), -1.0, np.float32)
        seg[0, start:n] = 0.0
        out = self.session.run(["passage_sums"], {"input_ids": x, "valid_len": np.array([n], np.float32),
                                                  "segment_of": seg, "segment_slots": np.zeros(1, np.float32),
                                                  **self.zeros})[0]
        return out[0] / max(1, n - start)


def load_pairs(path: Path, seed: int, n_train: int, kinds: frozenset[str] | None = None,
               per_source: int = 0) -> tuple[list[dict], list[dict]]:
    """(held-out documents, training documents), each {"doc", "pairs"}; training cut to about n_train
    pairs, of `kinds` only when given, at most `per_source` from each source (gutenberg, laws-zh)
    when given. The held-out pairs do not depend on either."""
    docs = [json.loads(line) for line in lzma.open(path, "rt", encoding="utf-8") if line.strip()]
    rng = random.Random(seed)
    docs = [d for d in docs if len(d["pairs"]) >= PER_DOC]
    rng.shuffle(docs)
    held = [{"doc": d["doc"], "pairs": rng.sample(d["pairs"], min(HELD_PER_DOC, len(d["pairs"])))} for d in docs[:HELD_DOCS]]
    train, count, by_source = [], 0, {}
    for d in docs[HELD_DOCS:]:
        if count >= n_train:
            break
        pairs = [p for p in d["pairs"] if kinds is None or p["kind"] in kinds]
        source = d["doc"].split("/")[0]
        k = min(len(pairs), 12)
        if k < PER_DOC or (per_source and by_source.get(source, 0) + k > per_source):
            continue
        train.append({"doc": d["doc"], "pairs": rng.sample(pairs, k)})
        count += k
        by_source[source] = by_source.get(source, 0) + k
    return held, train


def embed(reader: Reader, tok, docs: list[dict], log_every: int = 200) -> list[tuple[np.ndarray, np.ndarray]]:  # noqa: ANN001
    """Per document: (query means [n, E], passage means [n, E])."""
    out, done, t0 = [], 0, time.time()
    for d in docs:
        qs, ps = [], []
        for p in d["pairs"]:
            q = tok.encode(p["query"], add_special_tokens=False).ids[:QUERY] or [reader.manifest["specials"]["pad"]]
            before = tok.encode(p["before"], add_special_tokens=False).ids[-CONTEXT:]
            passage = tok.encode(p["passage"], add_special_tokens=False).ids[:PASSAGE]
            qs.append(reader.pooled(q, 0))
            ps.append(reader.pooled(before + passage, len(before)))
            done += 1
            if done % log_every == 0:
                print(f"  {done} pairs embedded, {time.time() - t0:.0f} s", flush=True)
        out.append((np.stack(qs), np.stack(ps)))
    return out


def normalise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = np.linalg.norm(x, axis=-1, keepdims=True) + 1e-8
    return x / n, n


def info_nce(A: np.ndarray, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and dL/dA of InfoNCE between queries X A^T and passages Y A^T (row i of each a pair)."""
    q, qn = normalise(X @ A.T)
    p, pn = normalise(Y @ A.T)
    S = q @ p.T / TEMPERATURE
    S -= S.max(1, keepdims=True)
    P = np.exp(S)
    P /= P.sum(1, keepdims=True)
    n = len(X)
    loss = float(-np.log(P[np.arange(n), np.arange(n)] + 1e-12).mean())
    G = P.copy()
    G[np.arange(n), np.arange(n)] -= 1.0
    G /= n * TEMPERATURE
    dq, dp = G @ p, G.T @ q
    dQ = (dq - q * (q * dq).sum(1, keepdims=True)) / qn
    dP = (dp - p * (p * dp).sum(1, keepdims=True)) / pn
    return loss, dQ.T @ X + dP.T @ Y


def recall(A: np.ndarray, held: list[tuple[np.ndarray, np.ndarray]], kinds: list[list[str]]) -> dict:
    """Within each held-out document, recall@1 and MRR of each query against all its passages."""
    hits, rr, n, by_kind = 0, 0.0, 0, {}
    for (X, Y), ks in zip(held, kinds):
        q, _ = normalise(X @ A.T)
        p, _ = normalise(Y @ A.T)
        sims = q @ p.T
        rank = (sims > np.diag(sims)[:, None]).sum(1)
        hits += int((rank == 0).sum())
        rr += float((1.0 / (rank + 1)).sum())
        n += len(X)
        for k, r in zip(ks, rank):
            by_kind.setdefault(k, []).append(int(r == 0))
    return {"pairs": n, "recall_at_1": round(hits / n, 4), "mrr": round(rr / n, 4),
            "recall_at_1_by_kind": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_kind.items())}}


def fit(train: list[tuple[np.ndarray, np.ndarray]], steps: int, lr: float, decay: float, seed: int) -> tuple[np.ndarray, list]:
    """Adam on A from the identity; batches of DOCS documents x PER_DOC pairs (same-document negatives);
    `decay` pulls A back toward the identity (the shipped head)."""
    E = train[0][0].shape[1]
    A = np.eye(E, dtype=np.float64)
    m, v = np.zeros_like(A), np.zeros_like(A)
    rng = np.random.default_rng(seed)
    curve = []
    for step in range(1, steps + 1):
        X, Y = [], []
        for i in rng.choice(len(train), DOCS, replace=False):
            idx = rng.choice(len(train[i][0]), PER_DOC, replace=False)
            X.append(train[i][0][idx])
            Y.append(train[i][1][idx])
        loss, g = info_nce(A, np.concatenate(X).astype(np.float64), np.concatenate(Y).astype(np.float64))
        g += decay * (A - np.eye(E))
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        A -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        if step % 200 == 0:
            curve.append({"step": step, "loss": round(loss, 4)})
    return A, curve


def head_initializer(model_dir: Path) -> tuple[int, int, tuple[int, int]]:
    """(offset, length, shape) in weights.bin of the vector head's float16 matrix M: the MatMul that
    feeds the passage pooling's embeddings, through its Cast from float16."""
    import onnx

    g = onnx.load(str(model_dir / "reader.onnx"), load_external_data=False).graph
    prod = {o: n for n in g.node for o in n.output}
    inits = {t.name: t for t in g.initializer}
    reshape = prod[prod["passage_sums"].input[1]]
    matmul = prod[reshape.input[0]]
    cast = prod[matmul.input[1]]
    t = inits[cast.input[0]]
    if matmul.op_type != "MatMul" or cast.op_type != "Cast" or t.data_type != onnx.TensorProto.FLOAT16:
        raise ValueError(f"unexpected head: {matmul.op_type} <- {cast.op_type} ({t.data_type})")
    ext = {e.key: e.value for e in t.external_data}
    if ext.get("location") != "weights.bin":
        raise ValueError(f"the head's matrix is not in weights.bin: {ext}")
    return int(ext["offset"]), int(ext["length"]), tuple(t.dims)


def write_model(src: Path, dst: Path, A: np.ndarray, model_id: str) -> dict:
    """dst: src's files with the head M replaced by M A^T (float16) and the manifest renamed."""
    from manifest_files import file_entry

    offset, length, shape = head_initializer(src)
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("model.onnx", "reader.onnx", "tokenizer.json", "weights.bin"):
        shutil.copyfile(src / name, dst / name)
    blob = bytearray((dst / "weights.bin").read_bytes())
    M = np.frombuffer(bytes(blob[offset:offset + length]), np.float16).reshape(shape).astype(np.float64)
    new = (M @ A.T).astype(np.float16)
    blob[offset:offset + length] = new.tobytes()
    (dst / "weights.bin").write_bytes(bytes(blob))
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["id"] = model_id
    manifest["files"] = {name: file_entry(dst / name) for name in manifest["files"]}
    (dst / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return {"offset": offset, "length": length, "shape": list(shape),
            "head_change_rms": float(np.sqrt(((new.astype(np.float64) - M) ** 2).mean())),
            "weights_sha256": hashlib.sha256(bytes(blob)).hexdigest()}


def main() -> None:
    from tokenizers import Tokenizer

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--report", type=Path, required=True)
    ap.add_argument("--cache", type=Path, help="embedded pairs (.npz): computed once, reused by a second fit")
    ap.add_argument("--n-train", type=int, default=5000)
    ap.add_argument("--kinds", help="comma list: train on these kinds of pair only")
    ap.add_argument("--per-source", type=int, default=0, help="at most this many training pairs from each source")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--decay", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    t0 = time.time()
    kinds = frozenset(a.kinds.split(",")) if a.kinds else None
    held_docs, train_docs = load_pairs(a.pairs, a.seed, a.n_train, kinds, a.per_source)
    if a.cache and a.cache.exists():
        z = np.load(a.cache, allow_pickle=True)
        held, train = list(z["held"]), list(z["train"])
    else:
        reader = Reader(a.model_dir, a.threads)
        tok = Tokenizer.from_file(str(a.model_dir / "tokenizer.json"))
        held = embed(reader, tok, held_docs)
        train = embed(reader, tok, train_docs)
        if a.cache:
            arr = np.empty(len(held), object)
            arr[:] = held
            arr2 = np.empty(len(train), object)
            arr2[:] = train
            np.savez(a.cache, held=arr, train=arr2)
    embed_s = time.time() - t0
    held_kinds = [[p["kind"] for p in d["pairs"]] for d in held_docs]
    E = held[0][0].shape[1]
    before = recall(np.eye(E), held, held_kinds)
    print("held-out, shipped head:", json.dumps(before), flush=True)
    A, curve = fit(train, a.steps, a.lr, a.decay, a.seed)
    after = recall(A, held, held_kinds)
    print("held-out, re-fitted head:", json.dumps(after), flush=True)
    written = write_model(a.model_dir, a.out, A, a.id)
    # The written head, read back through onnxruntime: the float16 rounding included.
    check = embed(Reader(a.out, a.threads), Tokenizer.from_file(str(a.out / "tokenizer.json")), held_docs[:8])
    exported = recall(np.eye(E), check, held_kinds[:8])
    planned = recall(A, held[:8], held_kinds[:8])
    report = {"date": time.strftime("%Y-%m-%d"), "init": a.model_dir.name, "id": a.id,
              "train_pairs": sum(len(x[0]) for x in train), "train_documents": len(train),
              "held_out_documents": len(held), "held_out": {"shipped_head": before, "refitted_head": after},
              "exported_check_first_8_documents": {"through_onnxruntime": exported, "from_the_map": planned},
              "args": {k: str(v) for k, v in vars(a).items()}, "curve": curve, "written": written,
              "embed_s": round(embed_s, 1), "total_s": round(time.time() - t0, 1)}
    a.report.parent.mkdir(parents=True, exist_ok=True)
    a.report.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("train_pairs", "held_out", "exported_check_first_8_documents", "total_s")}, indent=1))


if __name__ == "__main__":
    main()
