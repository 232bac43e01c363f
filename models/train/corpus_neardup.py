#!/usr/bin/env python3
"""Near-duplicate removal: the same text under another file name, punctuation width or numbering.

Exact de-duplication (corpus_dedup.py) misses a statute filed twice in the laws archive, once
with full-width parentheses and renumbered articles. Here documents are compared by shingles:
each line is cut at sentence ends, every piece is reduced to a matching key (NFKC, case folded,
article numbers and digits masked, spaces and punctuation gone) and hashed; a document's
weight is the UTF-8 length of its distinct keys, and containment of A in B is the weight of A's
keys also in B over A's whole weight. An inverted index over the hashes (sorted numpy arrays)
gives every pair's shared weight at once.

    python3 models/train/corpus_neardup.py --self-test
    python3 models/train/corpus_neardup.py --measure /work/corpus-build   # validation line overlap

Hashes are blake2b of the key, never Python's seeded hash, and ties break on document ids, so the
decisions are the same on every run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

VALID_SHARE = 0.30      # a training document sharing this much with a validation one goes
CLUSTER_SHARE = 0.50    # a training document this much contained in a longer kept one goes
MIN_KEY_BYTES = 24      # shorter pieces (headings, "第一章总则", "return 0") are not evidence
MAX_DF = 50             # keys in more documents than this are boilerplate, not a duplicate
SEPARATOR = "\n\x1e\n"

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s")
_CN_NUM = "零〇一二三四五六七八九十百千万两"
_ARTICLE = re.compile(rf"第[{_CN_NUM}\d]+([条章节款项编目部分卷篇])")
_LIST_NUM = re.compile(rf"[（(][{_CN_NUM}\d]+[)）]|^[{_CN_NUM}]+、")
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def match_key(piece: str) -> str:
    """The form of a piece of text used for matching only (the corpus text is not changed)."""
    # After casefold no upper case is left, so "N" marks a masked number unambiguously.
    s = unicodedata.normalize("NFKC", piece).casefold()
    s = _ARTICLE.sub(r"第N\1", s)
    s = _LIST_NUM.sub("N", s)
    s = _DIGITS.sub("N", s)
    return _NON_WORD.sub("", s)


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def shingles(text: str) -> dict[int, int]:
    """Distinct shingle hashes of a document → their weight (UTF-8 bytes of the key)."""
    out: dict[int, int] = {}
    for line in text.split("\n"):
        for piece in _SENTENCE_END.split(line):
            key = match_key(piece)
            n = len(key.encode())
            if n >= MIN_KEY_BYTES:
                out[_key_hash(key)] = n
    return out


@dataclass
class Overlaps:
    """Shared shingle weight of every pair of documents that share any non-boilerplate shingle."""
    totals: np.ndarray                  # per document: weight of its non-boilerplate shingles
    a: np.ndarray                       # pair: document index (a < b)
    b: np.ndarray
    shared: np.ndarray                  # pair: shared weight

    def containment(self) -> tuple[np.ndarray, np.ndarray]:
        """(share of a's weight found in b, share of b's weight found in a) for every pair."""
        ta = np.maximum(self.totals[self.a], 1)
        tb = np.maximum(self.totals[self.b], 1)
        return self.shared / ta, self.shared / tb


def overlaps(docs: list[dict[int, int]], max_df: int = MAX_DF) -> Overlaps:
    n_docs = len(docs)
    sizes = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
    h = np.fromiter((k for d in docs for k in d), dtype=np.uint64, count=int(sizes.sum()))
    w = np.fromiter((v for d in docs for v in d.values()), dtype=np.int64, count=int(sizes.sum()))
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), sizes)
    order = np.lexsort((doc, h))
    h, w, doc = h[order], w[order], doc[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    df = np.diff(np.r_[starts, len(h)])
    boiler = np.repeat(df > max_df, df)
    totals = np.bincount(doc[~boiler], weights=w[~boiler], minlength=n_docs)
    keys: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for k in range(2, max_df + 1):
        first = starts[df == k]
        if not len(first):
            continue
        members = doc[first[:, None] + np.arange(k)]          # (groups, k), ascending doc index
        gw = w[first]
        for i in range(k - 1):
            for j in range(i + 1, k):
                keys.append(members[:, i] * n_docs + members[:, j])
                weights.append(gw)
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return Overlaps(totals, empty, empty, np.zeros(0))
    pair, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    shared = np.bincount(inverse, weights=np.concatenate(weights))
    return Overlaps(totals, pair // n_docs, pair % n_docs, shared)


@dataclass
class Decision:
    drop: dict[int, tuple[str, int]] = field(default_factory=dict)   # index → (rule, matched index)


def near_duplicates(texts: list[str], ids: list[str], is_valid: list[bool]) -> Decision:
    """Which non-validation documents to drop, and why.

    Rule "valid": shares ≥ VALID_SHARE of a validation document's shingles, or has ≥ VALID_SHARE
    of its own shingles in one. Rule "cluster": of the remaining documents, longest first (ties by
    id), one whose shingles are ≥ CLUSTER_SHARE contained in a document already kept is dropped,
    so each near-duplicate cluster keeps its longest member.
    """
    ov = overlaps([shingles(t) for t in texts])
    c_ab, c_ba = ov.containment()
    out = Decision()
    valid = np.array(is_valid, dtype=bool)
    for x, y, cxy, cyx in zip(ov.a.tolist(), ov.b.tolist(), c_ab.tolist(), c_ba.tolist()):
        if valid[x] == valid[y] or max(cxy, cyx) < VALID_SHARE:
            continue
        t, v = (y, x) if valid[x] else (x, y)
        if t not in out.drop or ids[v] < ids[out.drop[t][1]]:
            out.drop[t] = ("valid", v)
    inside: dict[int, list[int]] = {}          # document → documents holding ≥ CLUSTER_SHARE of it
    for x, y, cxy, cyx in zip(ov.a.tolist(), ov.b.tolist(), c_ab.tolist(), c_ba.tolist()):
        if valid[x] or valid[y]:
            continue
        if cxy >= CLUSTER_SHARE:
            inside.setdefault(x, []).append(y)
        if cyx >= CLUSTER_SHARE:
            inside.setdefault(y, []).append(x)
    nbytes = [len(t.encode()) for t in texts]
    kept: set[int] = set()
    for i in sorted(range(len(texts)), key=lambda i: (-nbytes[i], ids[i])):
        if valid[i] or i in out.drop:
            continue
        holders = sorted((k for k in inside.get(i, ()) if k in kept), key=lambda k: ids[k])
        if holders:
            out.drop[i] = ("cluster", holders[0])
        else:
            kept.add(i)
    return out


def line_overlap(valid: list[str], train_lines: set[str]) -> list[float]:
    """Per validation document: share of its non-empty line bytes that occur verbatim as a line
    of the training text (the check that found the leak)."""
    shares = []
    for text in valid:
        lines = [l for l in text.split("\n") if l.strip()]
        total = sum(len(l.encode()) for l in lines)
        hit = sum(len(l.encode()) for l in lines if l in train_lines)
        shares.append(hit / max(1, total))
    return shares


def measure(build: Path) -> dict[str, object]:
    train_lines: set[str] = set()
    for shard in sorted(build.glob("train-mix-[0-9][0-9].txt.xz")):
        with lzma.open(shard, "rt") as f:
            train_lines.update(line for line in f.read().split("\n") if line.strip())
    with lzma.open(build / "valid.jsonl.xz", "rt") as f:
        valid = [json.loads(line) for line in f]
    shares = line_overlap([v["text"] for v in valid], train_lines)
    ranked = sorted(zip(shares, (v["id"] for v in valid)), reverse=True)
    return {"documents": len(valid), "mean": sum(shares) / len(shares),
            "worst": [{"id": i, "share": round(s, 4)} for s, i in ranked[:5]]}


def self_test() -> None:
    # A statute (validation) and a copy of its first four articles, renumbered, half-width.
    clauses = ("当事人在诉讼中提出请求的", "人民法院应当审查并作出裁定", "对方当事人可以在期间内提出异议",
               "第三人参加诉讼的权利义务", "证据应当在法庭上出示并由当事人互相质证",
               "调解书经双方当事人签收后即具有法律效力")
    law = "\n".join(f"第{n}条 {c}（见第{n}十条），期限为{k}日。"
                    for k, (n, c) in enumerate(zip("一二三四五六", clauses)))
    renum = "\n".join(f"第{n}条 {c}(见第{n}十一条),期限为{k}日."
                      for k, (n, c) in enumerate(zip("七八九十", clauses)))
    # A 34-line manual and a 20-line excerpt of it; digits would be masked alike, so names differ.
    names = [a + b for a in "bcdfgh" for b in "aeiou"]
    other = "\n".join([f"Line {w} of an unrelated manual: the quick brown fox jumps over dog {w}." for w in names]
                      + [f"{w} another line that is its own thing entirely"
                         for w in ("alpha", "beta", "gamma", "delta")])
    subset = "\n".join(other.split("\n")[:20]) + "\nand a closing sentence of its own that is new"
    assert match_key("第十二条（一）") == match_key("第3条(二)") == "第N条N", match_key("第十二条（一）")
    assert match_key("Ｈｅｌｌｏ， Ｗｏｒｌｄ！") == "helloworld"
    texts = [law, renum, other, subset, "completely different text " * 20]
    ids = ["v/law", "t/renum", "t/other", "t/subset", "t/unrelated"]
    ov = overlaps([shingles(t) for t in texts])
    _, c_ba = ov.containment()
    pairs = {(ids[b], ids[a]): round(c, 2) for a, b, c in zip(ov.a.tolist(), ov.b.tolist(), c_ba.tolist())}
    assert pairs == {("t/renum", "v/law"): 1.0, ("t/subset", "t/other"): 0.97}, pairs
    d = near_duplicates(texts, ids, [True, False, False, False, False])
    got = {ids[i]: (rule, ids[m]) for i, (rule, m) in d.drop.items()}
    assert got == {"t/renum": ("valid", "v/law"), "t/subset": ("cluster", "t/other")}, got
    assert near_duplicates(texts, ids, [True, False, False, False, False]).drop == d.drop
    assert line_overlap(["a line\nanother line\n\n"], {"a line"}) == [6 / 18]
    print("corpus_neardup self-test: ok")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--measure", type=Path, help="a corpus build: validation line overlap with its mix")
    args = ap.parse_args()
    if args.self_test:
        self_test()
    if args.measure:
        json.dump(measure(args.measure), sys.stdout, ensure_ascii=False, indent=1)
        print()


if __name__ == "__main__":
    main()
