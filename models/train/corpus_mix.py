"""The validation split (whole documents) and the weighted training selection.

Both are seeded and depend only on document ids and sizes, so they are stable across rebuilds.
The training mix is written as UTF-8 text in which every document is followed by a line holding
only the ASCII record separator (U+001E); normalisation removed every control character from the
texts, so the separator cannot occur inside a document.
"""
from __future__ import annotations

import hashlib
import lzma
import subprocess
from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "\n\x1e\n"  # ends every document
LONG_DOC_BYTES = 500_000


@dataclass
class Doc:
    id: str
    source: str
    title: str
    lang: str
    text: str

    @property
    def nbytes(self) -> int:
        return len(self.text.encode("utf-8"))


def rank(seed: str, doc_id: str) -> int:
    """A stable pseudo-random order: sha256 of seed and id."""
    return int.from_bytes(hashlib.sha256(f"{seed}\0{doc_id}".encode()).digest()[:8], "big")


def choose_validation(docs: list[Doc], share: float = 0.01) -> set[str]:
    """Whole documents, about `share` of each source's bytes, plus one long English and one long
    Chinese document (≥ 500 KB) so bits per byte can be measured out to 128k tokens."""
    chosen: set[str] = set()
    for lang, sources, count in (("en", ("gutenberg",), 2),
                                 ("zh", ("laws-zh", "debian-reference-zh-cn", "manpages-zh"), 1)):
        long = sorted((d for d in docs if d.lang == lang and d.source in sources
                       and LONG_DOC_BYTES <= d.nbytes <= 4 * LONG_DOC_BYTES), key=lambda d: rank("long", d.id))
        chosen.update(d.id for d in long[:count])
    by_source: dict[str, list[Doc]] = {}
    for d in docs:
        by_source.setdefault(d.source, []).append(d)
    for source, items in by_source.items():
        total = sum(d.nbytes for d in items)
        if len(items) < 5:
            continue  # a source of one or two books cannot spare a whole one
        taken = sum(d.nbytes for d in items if d.id in chosen)
        for d in sorted(items, key=lambda d: rank("valid", d.id)):
            if taken >= share * total:
                break
            if d.id not in chosen and d.nbytes <= max(4 * share * total, 20_000):
                chosen.add(d.id)
                taken += d.nbytes
    return chosen


def select_training(docs: list[Doc], weights: dict[str, float], budget_bytes: dict[str, int] | None = None,
                    ) -> list[Doc]:
    """From each source, documents in seeded order until `weight` × its bytes are taken."""
    picked: list[Doc] = []
    by_source: dict[str, list[Doc]] = {}
    for d in docs:
        by_source.setdefault(d.source, []).append(d)
    for source, items in by_source.items():
        total = sum(d.nbytes for d in items)
        limit = weights.get(source, 0.0) * total if budget_bytes is None else budget_bytes[source]
        taken = 0
        for d in sorted(items, key=lambda d: rank("train", d.id)):
            if taken >= limit:
                break
            picked.append(d)
            taken += d.nbytes
    return sorted(picked, key=lambda d: rank("order", d.id))


def estimate_ratio(docs: list[Doc], sample_bytes: int = 2_000_000) -> float:
    """Raw/compressed ratio of a stable sample, at xz's preset 9 (close to what -9e reaches)."""
    sample: list[str] = []
    size = 0
    for d in sorted(docs, key=lambda d: rank("sample", d.id)):
        sample.append(d.text[:200_000])
        size += len(sample[-1].encode())
        if size >= sample_bytes:
            break
    raw = SEPARATOR.join(sample).encode()
    return len(raw) / max(1, len(lzma.compress(raw, preset=9)))


def write_xz(docs: list[Doc], path: Path, threads: int = 2) -> tuple[int, int]:
    """Write the documents, each followed by the separator line, through `xz -9e`.

    Every document (the last one too) ends with the separator, so shards can be concatenated:
    `cat a.xz b.xz` is itself a valid .xz file whose text is the two shards' texts in turn.
    Returns (raw bytes, compressed bytes).
    """
    raw = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        proc = subprocess.Popen(["xz", "-9e", f"-T{threads}", "--block-size=48MiB", "-c"],
                                stdin=subprocess.PIPE, stdout=out)
        assert proc.stdin is not None
        for d in docs:
            chunk = (d.text + SEPARATOR).encode()
            raw += len(chunk)
            proc.stdin.write(chunk)
        proc.stdin.close()
        if proc.wait() != 0:
            raise RuntimeError(f"xz failed writing {path}")
    tmp.rename(path)
    return raw, path.stat().st_size


def write_shards(docs: list[Doc], out: Path, stem: str, shards: int) -> list[tuple[Path, int, int]]:
    """Split the documents (in order) into `shards` parts of about equal size, write each as
    <stem>-NN.txt.xz, and the whole as <stem>.txt.xz (the shards' concatenation)."""
    total = sum(d.nbytes for d in docs)
    parts: list[list[Doc]] = [[] for _ in range(shards)]
    acc = 0
    for d in docs:
        parts[min(shards - 1, acc * shards // max(1, total))].append(d)
        acc += d.nbytes
    written = []
    for i, part in enumerate(parts):
        path = out / f"{stem}-{i:02d}.txt.xz"
        raw, size = write_xz(part, path)
        written.append((path, raw, size))
    with (out / f"{stem}.txt.xz").open("wb") as whole:
        for path, _, _ in written:
            whole.write(path.read_bytes())
    return written
