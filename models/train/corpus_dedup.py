"""De-duplication and exclusion: fixture overlap, repeated lines, boilerplate, duplicate documents.

All decisions depend only on the documents' text and order, never on Python's per-process hash
seed (hashes are used for counting only), so the output is the same on every run.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from clean import line_key, normalise

FIXTURE_FILES = ("novels/*.txt", "zh/*.md", "contracts/*.md")
MIN_FIXTURE_KEY = 20        # shorter paragraphs ("CHAPTER I", "第一章 总则") are not evidence
MIN_REPEAT_KEY = 32         # within a document, repeated lines at least this long are dropped
MIN_BOILERPLATE_KEY = 20    # lines at least this long that occur in many documents ...
BOILERPLATE_DOCS = 25       # ... in this many or more are navigation, footers and the like
FIXTURE_DROP_SHARE = 0.05   # a document whose text is ≥5% fixture paragraphs is dropped whole


def _para_keys(text: str) -> list[str]:
    # Paragraph keys do not depend on line wrapping: the same book wrapped at 70 or at 72
    # columns, or unwrapped, gives the same keys. Single lines count too (Chinese Markdown).
    keys = [line_key(p) for p in re.split(r"\n\s*\n", text)]
    keys += [line_key(l) for l in text.split("\n")]
    return [k for k in keys if len(k) >= MIN_FIXTURE_KEY]


def fixture_keys(fixtures: Path) -> tuple[set[str], list[str]]:
    """Paragraph and line keys of every text fixture (the novels and the Chinese laws among them)."""
    keys: set[str] = set()
    names: list[str] = []
    for pattern in FIXTURE_FILES:
        for path in sorted(fixtures.glob(pattern)):
            text = re.sub(r"<[^>]+>", "", path.read_text(errors="replace"))
            keys.update(_para_keys(normalise(text)))
            names.append(str(path.relative_to(fixtures)))
    return keys, names


def strip_fixture_overlap(text: str, keys: set[str]) -> tuple[str, float]:
    """(text without fixture paragraphs/lines, share of characters that overlapped)."""
    if not keys:
        return text, 0.0
    kept_paras: list[str] = []
    overlap = 0
    for para in text.split("\n\n"):
        if line_key(para) in keys:
            overlap += len(para)
            continue
        lines = para.split("\n")
        kept = [l for l in lines if line_key(l) not in keys or len(line_key(l)) < MIN_FIXTURE_KEY]
        overlap += sum(len(l) for l in lines) - sum(len(l) for l in kept)
        if kept:
            kept_paras.append("\n".join(kept))
    return "\n\n".join(kept_paras), overlap / max(1, len(text))


def drop_repeated_lines(text: str) -> str:
    seen: set[str] = set()
    out: list[str] = []
    for line in text.split("\n"):
        key = line_key(line)
        if len(key) >= MIN_REPEAT_KEY:
            if key in seen:
                continue
            seen.add(key)
        out.append(line)
    return normalise("\n".join(out))


def boilerplate_lines(texts: list[str]) -> set[int]:
    """Hashes of lines that occur in BOILERPLATE_DOCS or more documents."""
    df: Counter[int] = Counter()
    for text in texts:
        df.update({hash(k) for k in map(line_key, text.split("\n")) if len(k) >= MIN_BOILERPLATE_KEY})
    return {h for h, n in df.items() if n >= BOILERPLATE_DOCS}


def drop_boilerplate(text: str, common: set[int]) -> tuple[str, int]:
    lines = text.split("\n")
    kept = [l for l in lines if len(k := line_key(l)) < MIN_BOILERPLATE_KEY or hash(k) not in common]
    return normalise("\n".join(kept)), len(lines) - len(kept)


def text_digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


_LATIN_WORDS = {
    "en": ("the", "and", "of", "to", "is", "that", "with"),
    "es": ("el", "los", "las", "que", "y", "del", "por"),
    "fr": ("le", "les", "et", "des", "est", "une", "dans"),
    "tl": ("ang", "ng", "sa", "na", "mga", "ay", "si"),
    "de": ("der", "die", "und", "das", "nicht", "ist", "ein"),
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[a-záéíóúñàèçâêîôûëïü]+")


def guess_lang(text: str) -> str:
    sample = text[:20000] + text[len(text) // 2: len(text) // 2 + 20000]
    cjk = len(_CJK.findall(sample))
    if cjk > 0.2 * (cjk + len(_LATIN.findall(sample))):
        return "zh"
    counts = Counter(_WORD.findall(sample.lower()))
    scores = {lang: sum(counts[w] for w in words) for lang, words in _LATIN_WORDS.items()}
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    return best if scores[best] else "en"
