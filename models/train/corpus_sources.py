"""One reader per corpus source: unpacked package tree → documents of plain text.

Each reader yields `RawDoc`s in a fixed (sorted) order so the corpus is deterministic. Markup is
stripped here with the converters in clean.py and markup.py; normalisation and de-duplication happen later.
"""
from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import clean
import markup


@dataclass
class RawDoc:
    id: str
    title: str
    text: str
    lang: str | None = None  # None: guessed from the text


Reader = Callable[[Path], Iterator[RawDoc]]

# Never read these, whatever a package ships: they are reserved for evaluation or are licences.
_FORBIDDEN_PARTS = ("common-licenses", "spdx", "bible-kjv", "texlive")
_FORBIDDEN_NAMES = frozenset("copyright license license.txt licence copying copying.txt notice "
                             "legalnotice.html license.rst.txt copyright.rst.txt".split())


def allowed(path: Path) -> bool:
    low = str(path).lower()
    return not any(p in low for p in _FORBIDDEN_PARTS) and path.name.lower() not in _FORBIDDEN_NAMES


def _files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if p.is_file() and allowed(p))


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix in (".gz", ".dz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# Archives in /work/shared/corpus

_GUTENBERG_END = re.compile(r"^\s*(\*+\s*)?end of (the )?project gutenberg.*$", re.I | re.M)


def read_gutenberg(root: Path) -> Iterator[RawDoc]:
    for path in _files(root, "gutenberg/**/*.txt"):
        text = _GUTENBERG_END.sub("", _read(path))
        title = next((l.strip() for l in text.split("\n") if l.strip()), path.stem)
        yield RawDoc(str(path.relative_to(root / "gutenberg")), title,
                     clean.unwrap_paragraphs(clean.normalise(text)))


def read_laws(root: Path) -> Iterator[RawDoc]:
    for path in _files(root, "laws-zh/**/*.md"):
        if path.name in ("README.md", "法律法规模版.md"):
            continue
        text = markup.markdown_to_text(_read(path))
        yield RawDoc(str(path.relative_to(root / "laws-zh")), path.stem, text, "zh")


# ---------------------------------------------------------------------------------------------
# npm packages

def read_sotu(root: Path) -> Iterator[RawDoc]:
    for path in _files(root, "data/*.txt"):
        title = path.stem.replace("_", " ")
        yield RawDoc(path.name, f"State of the Union {title}", _read(path), "en")


_BROWN_TOKEN = re.compile(r"(\S+)/[^\s/]+")
_BROWN_SPACING = [(re.compile(r" ([,.;:!?%)\]}]|'s\b|n't\b|'ll\b|'re\b|'ve\b|'d\b|'m\b)"), r"\1"),
                  (re.compile(r"([(\[{$]) "), r"\1"), (re.compile(r"`` ?"), "“"),
                  (re.compile(r" ?''"), "”"), (re.compile(r";;"), ";")]


def read_brown(root: Path) -> Iterator[RawDoc]:
    for path in _files(root, "c[a-r][0-9][0-9]"):
        paras = []
        for block in re.split(r"\n\s*\n", _read(path)):
            words = _BROWN_TOKEN.sub(r"\1", " ".join(block.split()))
            for pattern, repl in _BROWN_SPACING:
                words = pattern.sub(repl, words)
            if words.strip():
                paras.append(words.strip())
        yield RawDoc(path.name, f"Brown corpus {path.name}", "\n\n".join(paras), "en")


_POEM_HEAD_KEYS = ("title", "rhythmic", "chapter", "section", "subchapter", "name", "author")
_POEM_TEXT_KEYS = ("abstract", "preface", "prologue", "desc", "description", "biography",
                   "paragraphs", "para", "content", "comment", "notes")


def _poem_lines(item: object, out: list[str]) -> None:
    """Walk chinese-poetry's varied JSON shapes: headers first, then text, then nested items."""
    if isinstance(item, list):
        for x in item:
            _poem_lines(x, out)
            if isinstance(x, dict):
                out.append("")
        return
    if isinstance(item, str):
        out.append(item)
        return
    if not isinstance(item, dict):
        return
    out.extend(str(item[k]) for k in _POEM_HEAD_KEYS if isinstance(item.get(k), str) and item[k])
    for key in _POEM_TEXT_KEYS:
        value = item.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            _poem_lines(value, out)


def read_chinese_poetry(root: Path) -> Iterator[RawDoc]:
    for path in _files(root, "dist/**/*.json"):
        rel = path.relative_to(root / "dist")
        if rel.parts[0] in ("strains", "rank") or "error" in rel.parts or "表面结构字" in path.name:
            continue
        lines: list[str] = []
        _poem_lines(json.loads(_read(path)), lines)
        yield RawDoc(str(rel), str(rel.with_suffix("")), "\n".join(lines), "zh")


# ---------------------------------------------------------------------------------------------
# Debian packages

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_DICT_MARKERS = re.compile(r"\s*\[(?:1913 Webster|WordNet 1\.[57]|PJC|Webster 1913 Suppl\.|"
                           r"Century Dict\.|Chambers 1881|Jargon File[^\]]*|FOLDOC)\]")
_DICT_PRON = re.compile(r"\\[^\\\n]{1,80}\\")


def _b64(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + _B64[c]
    return n


def dictd_reader(name: str, entries_per_doc: int) -> Reader:
    """A dictd database as documents of `entries_per_doc` consecutive entries (its own order)."""
    def read(root: Path) -> Iterator[RawDoc]:
        index = root / f"usr/share/dictd/{name}.index"
        data = gzip.decompress((root / f"usr/share/dictd/{name}.dict.dz").read_bytes())
        spans = sorted({(_b64(off), _b64(size)) for word, off, size in
                        (l.split("\t")[:3] for l in index.read_text(errors="replace").split("\n")
                         if l.count("\t") >= 2 and not l.startswith(("00-database", "00database")))})
        batch: list[str] = []
        for i, (off, size) in enumerate(spans):
            entry = data[off:off + size].decode("utf-8", errors="replace")
            entry = _DICT_PRON.sub("", _DICT_MARKERS.sub("", entry)).replace("{", "").replace("}", "")
            batch.append(entry.strip("\n"))
            if len(batch) == entries_per_doc or i == len(spans) - 1:
                first = batch[0].split("\n", 1)[0].strip()
                yield RawDoc(f"{i // entries_per_doc:05d}", f"{name}: {first}…",
                             "\n\n".join(batch), "en")
                batch = []
    return read


def read_wordnet(root: Path) -> Iterator[RawDoc]:
    for pos in ("noun", "verb", "adj", "adv"):
        lines = []
        for line in (root / f"usr/share/wordnet/data.{pos}").read_text(errors="replace").split("\n"):
            if not line or line.startswith("  "):  # the licence header is indented
                continue
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * k].replace("_", " ") for k in range(count)]
            words = [re.sub(r"\([a-z]+\)$", "", w) for w in words]
            lines.append(f"{', '.join(words)} ({pos}): {gloss.strip()}")
        for k in range(0, len(lines), 2000):
            yield RawDoc(f"{pos}/{k // 2000:03d}", f"WordNet {pos} {k // 2000}",
                         "\n".join(lines[k:k + 2000]), "en")


def man_reader(pattern: str, lang: str, skip: Callable[[Path], bool] = lambda p: False) -> Reader:
    def read(root: Path) -> Iterator[RawDoc]:
        for path in _files(root, pattern):
            if skip(path):
                continue
            src = _read(path)
            if src.lstrip().startswith(".so "):  # a link to another page
                continue
            title, text = markup.roff_to_text(src)
            yield RawDoc(str(path.relative_to(root)), title or path.name, text, lang)
    return read


def html_reader(pattern: str, lang: str | None, skip: Callable[[Path], bool] = lambda p: False) -> Reader:
    def read(root: Path) -> Iterator[RawDoc]:
        for path in _files(root, pattern):
            if not skip(path):
                yield RawDoc(str(path.relative_to(root)), path.stem, clean.html_to_text(_read(path)), lang)
    return read


def handbook_reader(locale: str, lang: str | None) -> Reader:
    """The Debian Administrator's Handbook of one locale as ONE document, in reading order."""
    def read(root: Path) -> Iterator[RawDoc]:
        base = root / "usr/share/doc/debian-handbook/html" / locale
        order: list[str] = []
        for href in re.findall(r'href="([^"#]+\.html)', _read(base / "index.html")):
            if href not in order and (base / href).exists():
                order.append(href)
        parts = [clean.html_to_text(_read(base / name)) for name in order]
        yield RawDoc(locale, f"The Debian Administrator's Handbook ({locale})",
                     "\n\n".join(parts), lang)
    return read


def text_reader(pattern: str, lang: str | None, convert: Callable[[str], str] = lambda s: s,
                skip: Callable[[Path], bool] = lambda p: False) -> Reader:
    def read(root: Path) -> Iterator[RawDoc]:
        for path in _files(root, pattern):
            if not skip(path):
                name = path.name.removesuffix(".gz")
                yield RawDoc(str(path.relative_to(root)), name, convert(_read(path)), lang)
    return read


def fortune_reader(pattern: str, lang: str) -> Reader:
    def read(root: Path) -> Iterator[RawDoc]:
        for path in _files(root, pattern):
            if path.suffix in (".dat", ".u8") or path.is_symlink() or "/off/" in str(path):
                continue
            sayings = [s.strip("\n") for s in re.split(r"^%\s*$", _read(path), flags=re.M)]
            yield RawDoc(str(path.relative_to(root)), f"fortunes: {path.name}",
                         "\n\n".join(s for s in sayings if s.strip()), lang)
    return read


def perl_doc_skip(path: Path) -> bool:
    # Licences, the generated table of contents and the per-release change lists.
    return path.name in ("perlartistic.pod", "perlgpl.pod", "perltoc.pod") or "delta" in path.name


def python_doc_skip(path: Path) -> bool:
    return "whatsnew/changelog" in str(path) or path.name in ("license.rst.txt", "copyright.rst.txt")
