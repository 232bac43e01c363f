"""A library read by one model, re-keyed for a second model that differs from it only in the
vector head's matrix (head_remap.py's output): every reading, checkpoint and score is the same to
the bit, and each stored passage vector is the first model's mapped through both heads. This saves
the CPU reading the eval's documents again (16 documents, ~15 minutes on this machine).

    python3 models/train/remap_library.py --from-model models/lectern-mamba2-7m-v6 \
        --to-model models/lectern-mamba2-7m-v7 --library .cache/eval/library-lectern-mamba2-7m-v6.sqlite \
        --out .cache/eval/library-lectern-mamba2-7m-v7.sqlite [--check]

Why exact: the stored vector is normalize(mean(h) M) for the pooled hidden states h; the second
model's is normalize(mean(h) M2), so it is normalize(stored M^-1 M2). --check reads a few real
passages through both models' reading graphs and compares.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from head_remap import Reader, head_initializer  # noqa: E402

MODEL_TABLES = ("readings", "checkpoints", "passage_outputs", "score_buckets", "score_segments", "summaries",
                "read_leases")


def head(model_dir: Path) -> np.ndarray:
    offset, length, shape = head_initializer(model_dir)
    with open(model_dir / "weights.bin", "rb") as f:
        f.seek(offset)
        return np.frombuffer(f.read(length), np.float16).reshape(shape).astype(np.float64)


def check(a: Path, b: Path, B: np.ndarray) -> float:
    """Largest cosine distance between a real read with model b and the mapped read with model a."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(a / "tokenizer.json"))
    ra, rb = Reader(a, 2), Reader(b, 2)
    worst = 0.0
    for text in ("The tenant may terminate this lease on thirty days' written notice to the landlord.",
                 "第一条 为了规范示例活动的管理，保护当事人的合法权益，制定本条例。",
                 "It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife."):
        ids = tok.encode(text, add_special_tokens=False).ids
        va, vb = ra.pooled(ids, 0), rb.pooled(ids, 0)
        mapped = va @ B
        cos = float(mapped @ vb / np.linalg.norm(mapped) / np.linalg.norm(vb))
        worst = max(worst, 1.0 - cos)
    return worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from-model", type=Path, required=True)
    ap.add_argument("--to-model", type=Path, required=True)
    ap.add_argument("--library", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    old_id = json.loads((a.from_model / "manifest.json").read_text())["id"]
    new_id = json.loads((a.to_model / "manifest.json").read_text())["id"]
    B = np.linalg.solve(head(a.from_model), head(a.to_model))  # M^-1 M2, row vectors: v M^-1 M2
    result: dict = {"from": old_id, "to": new_id, "condition_number": float(np.linalg.cond(head(a.from_model)))}
    if a.check:
        result["check_worst_cosine_distance"] = check(a.from_model, a.to_model, B)
    src = sqlite3.connect(a.library)
    src.execute("PRAGMA wal_checkpoint(FULL)")
    src.close()
    shutil.copyfile(a.library, a.out)
    db = sqlite3.connect(a.out)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.execute("PRAGMA foreign_keys = OFF")
    for t in MODEL_TABLES:
        if t in tables:
            db.execute(f"DELETE FROM {t} WHERE model_id <> ?", (old_id,))
            db.execute(f"UPDATE {t} SET model_id = ? WHERE model_id = ?", (new_id, old_id))
    rows = db.execute("SELECT document_id, ordinal, embedding FROM passage_outputs WHERE model_id = ?", (new_id,)).fetchall()
    for doc, ordinal, blob in rows:
        v = np.frombuffer(blob, np.float32).astype(np.float64) @ B
        v = (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)
        db.execute("UPDATE passage_outputs SET embedding = ? WHERE document_id = ? AND model_id = ? AND ordinal = ?",
                   (v.tobytes(), doc, new_id, ordinal))
    # Summaries are computed per (document, model) from the model's outputs: made again on demand.
    if "summaries" in tables:
        db.execute("DELETE FROM summaries WHERE model_id = ?", (new_id,))
    db.commit()
    db.close()
    result["passages"] = len(rows)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
