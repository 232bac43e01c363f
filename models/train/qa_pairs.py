"""Question-like (query, passage) pairs cut from the corpus's own structure, for the passage-vector
head (issue 20 item 2). No evaluation question is read: the pairs come from the documents alone.

    python3 models/train/qa_pairs.py --root <unpacked ../shared/corpus> --out pairs.jsonl.xz

Kinds (each pair: the query, the passage it should find, and the text before the passage, which
the reader has read by then and which the training carries as state):
  heading     a heading (CHAPTER I. Down the Rabbit-Hole, 第一章 总则) → the text under it
  article     《law》第N条 → that article's text (Chinese laws)
  definition  "X means …", 本法所称X，是指… → the paragraph holding the definition, asked as
              "What does X mean?" / "什么是X？"
  ict         inverse cloze: one sentence → the sentences around it, without it (with it one time
              in ten, as a passage does hold its evidence)
  typed       a sentence whose date, sum, duration or number is blanked into its question word
              (when / how much / how long / how many; 什么时候 / 多少钱 / 多长时间 / 多少) with a
              few other words dropped → the sentences around it, with it

Documents held out: the corpus's validation documents (bits per byte is measured on them) and
every document the development questions are about or that shares their text (the Civil Code,
the Labour Contract Law, and the three novels), so that nothing here teaches the eval's documents.

One JSON line per document: {"doc", "lang", "pairs": [{"kind", "query", "passage", "before"}]}.
"""
from __future__ import annotations

import argparse
import json
import lzma
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PASSAGE_CHARS = {"en": 900, "zh": 360}
BEFORE_CHARS = {"en": 1200, "zh": 500}
MIN_PASSAGE_CHARS = {"en": 40, "zh": 16}
PER_KIND = {"heading": 40, "article": 15, "definition": 30, "ict": 60, "typed": 40}
ICT_KEEP_SHARE = 0.1

# The development set's documents (../shared/eval) or their sources: never a pair from these.
EVAL_NAMES = ("民法典", "劳动合同法", "pride_and_prejudice", "moby_dick", "middlemarch")

_EN_SENT = re.compile(r"(?<=[.!?;])[\"”’)]*\s+(?=[A-Z“\"(])")
_ZH_SENT = re.compile(r"(?<=[。！？；])")
_EN_HEADING = re.compile(r"^(?:CHAPTER|Chapter|BOOK|Book|PART|Part|SECTION|Section)\s+[\dIVXLCivxlc]+\b[.:]?\s*(.*)$")
_ZH_HEADING = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[编章节]\s*(.*)$")
_ZH_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇\d]+条)\s+(.+)$")
_EN_DEFINITION = re.compile(r"(?:^|[\s(“\"])[“\"]?([A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3})[”\"]?\s+(?:means|shall mean)\s+")
_ZH_DEFINITION = re.compile(r"(?:所称|所说的|所谓)(?:的)?“?([^，。：“”]{2,24}?)”?[，,]?(?:是指|系指|指)")

# Typed spans, most specific first: (pattern, question word).
_EN_TYPED = [
    (re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}\b|\b\d{4}\b(?=[\s,.;])"), "when"),
    (re.compile(r"(?:[$£€]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*\s+(?:dollars|pounds|shillings|francs|guineas|crowns)\b)"),
     "how much"),
    (re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred)"
                r"\s+(?:days?|weeks?|months?|years?|hours?|minutes?)\b", re.I), "how long"),
    (re.compile(r"\b\d[\d,]*\b"), "how many"),
]
_ZH_NUM = r"[\d一二三四五六七八九十百千万亿两零〇]+"
_ZH_TYPED = [
    (re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?"), "什么时候"),
    (re.compile(_ZH_NUM + r"(?:万|亿)?元"), "多少钱"),
    # not 下一年度 / 每年: a duration is a count of units, not a calendar reference
    (re.compile(r"(?<![下上本每当同])" + _ZH_NUM + r"(?:个月|个工作日|日|天|周|年|小时)(?!度)(?:内|以内|以上|以下)?"), "多长时间"),
    (re.compile(_ZH_NUM + r"(?:倍|人|次|名|项|%|％)"), "多少"),
]
_EN_STOP = frozenset("a an the of to in and or that is was be by for with as on at it his her he she they this "
                     "which from not have had has were are shall may any such".split())


def held_out(doc_id: str, validation: set[str]) -> bool:
    return doc_id in validation or any(n in doc_id for n in EVAL_NAMES)


def sentences(paragraph: str, lang: str) -> list[str]:
    parts = (_ZH_SENT if lang == "zh" else _EN_SENT).split(paragraph)
    return [p.strip() for p in parts if p and p.strip()]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each blank-line-separated paragraph."""
    out = []
    for m in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        p = m.group(0).strip()
        if p:
            out.append((m.start(), p))
    return out


def _window_after(paras: list[tuple[int, str]], i: int, limit: int, heading: re.Pattern[str]) -> str:
    """Paragraphs i, i+1, … joined until `limit` characters (the first is cut if longer) or the next
    heading."""
    out: list[str] = []
    size = 0
    for _, p in paras[i:]:
        if (size and size + len(p) > limit) or (out and heading.match(p.replace("\n", " "))):
            break
        out.append(p[:limit])
        size += len(p) + 2
    return "\n\n".join(out)


def _before(text: str, start: int, lang: str) -> str:
    return text[max(0, start - BEFORE_CHARS[lang]):start]


def heading_pairs(text: str, lang: str) -> Iterator[dict]:
    paras = paragraphs(text)
    for i, (start, p) in enumerate(paras):
        if "\n" in p or len(p) > 80 or i + 1 >= len(paras):
            # "CHAPTER I.\nDown the Rabbit-Hole": a heading and its title on two lines is one paragraph
            if not (p.count("\n") == 1 and len(p) <= 80):
                continue
        m = (_ZH_HEADING if lang == "zh" else _EN_HEADING).match(p.replace("\n", " "))
        if not m or not m.group(1).strip(" .:—-"):
            continue
        title = m.group(1).strip(" .:—-")
        body = _window_after(paras, i + 1, PASSAGE_CHARS[lang], _ZH_HEADING if lang == "zh" else _EN_HEADING)
        if len(body) < 80 or (lang == "zh" and _ZH_HEADING.match(body)) or (lang != "zh" and _EN_HEADING.match(body)):
            continue  # a heading straight after a heading: the section has no text of its own yet
        yield {"kind": "heading", "query": title, "passage": body,
               "before": _before(text, paras[i + 1][0], lang)}


def article_pairs(text: str, title: str, lang: str) -> Iterator[dict]:
    if lang != "zh":
        return
    law = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", title).replace("中华人民共和国", "")
    paras = paragraphs(text)
    for i, (start, p) in enumerate(paras):
        m = _ZH_ARTICLE.match(p)
        if not m or len(m.group(2)) < 20:
            continue
        # The article's own paragraphs: this one and those after it up to the next article.
        body = [m.group(2)]
        for _, q in paras[i + 1:]:
            if _ZH_ARTICLE.match(q) or _ZH_HEADING.match(q) or sum(map(len, body)) > PASSAGE_CHARS[lang]:
                break
            body.append(q)
        query = f"《{law}》{m.group(1)}" if len(law) <= 30 else m.group(1)
        yield {"kind": "article", "query": query, "passage": "\n\n".join(body)[:PASSAGE_CHARS[lang]],
               "before": _before(text, start, lang) + m.group(1) + " "}


def definition_pairs(text: str, lang: str) -> Iterator[dict]:
    pattern = _ZH_DEFINITION if lang == "zh" else _EN_DEFINITION
    for start, p in paragraphs(text):
        if len(p) > 4 * PASSAGE_CHARS[lang]:
            continue
        for m in pattern.finditer(p):
            term = m.group(1).strip()
            if lang != "zh" and term.split()[0].lower() in _EN_STOP | {"it", "this", "that", "which", "he", "she"}:
                continue
            query = f"什么是{term}？" if lang == "zh" else f"What does {term} mean?"
            yield {"kind": "definition", "query": query, "passage": p[:PASSAGE_CHARS[lang]],
                   "before": _before(text, start, lang)}
            break


def _context(sents: list[str], i: int, lang: str, keep: bool) -> str:
    """Sentences around sentence i (with it when `keep`), within PASSAGE_CHARS."""
    joiner = "" if lang == "zh" else " "
    lo, hi = i, i + 1
    limit = PASSAGE_CHARS[lang]
    size = len(sents[i])
    while True:
        grew = False
        for j in (lo - 1, hi):
            if 0 <= j < len(sents) and size + len(sents[j]) <= limit:
                size += len(sents[j])
                lo, hi = min(lo, j), max(hi, j + 1)
                grew = True
        if not grew:
            break
    chosen = sents[lo:hi] if keep else sents[lo:i] + sents[i + 1:hi]
    return joiner.join(chosen)


def _drop_words(query: str, lang: str, rng: random.Random, keep: str) -> str:
    """A few content words (English) or characters (Chinese) dropped, never the question word."""
    if lang == "zh":
        chars = list(query)
        free = [k for k, c in enumerate(chars) if re.match(r"[\u4e00-\u9fff]", c)
                and not (query.find(keep) <= k < query.find(keep) + len(keep))]
        for k in sorted(rng.sample(free, min(len(free) // 8, 3)), reverse=True):
            del chars[k]
        return "".join(chars)
    words = query.split()
    free = [k for k, w in enumerate(words) if w.lower().strip(",.;:") not in _EN_STOP and w not in keep.split()]
    for k in sorted(rng.sample(free, min(len(free) // 4, 3)), reverse=True):
        del words[k]
    return " ".join(words)


def sentence_pairs(text: str, lang: str, rng: random.Random) -> Iterator[dict]:
    typed = _ZH_TYPED if lang == "zh" else _EN_TYPED
    for start, p in paragraphs(text):
        sents = sentences(p, lang)
        if len(sents) < 3:
            continue
        for i, s in enumerate(sents):
            if not (12 if lang == "zh" else 40) <= len(s) <= (120 if lang == "zh" else 300):
                continue
            for pattern, word in typed:
                m = pattern.search(s)
                if m:
                    asked = s[:m.start()] + word + s[m.end():]
                    asked = _drop_words(asked.rstrip("。；.;!?！？"), lang, rng, word) + ("？" if lang == "zh" else "?")
                    yield {"kind": "typed", "query": asked, "passage": _context(sents, i, lang, True),
                           "before": _before(text, start, lang)}
                    break
            keep = rng.random() < ICT_KEEP_SHARE
            yield {"kind": "ict", "query": s, "passage": _context(sents, i, lang, keep),
                   "before": _before(text, start, lang)}


def document_pairs(text: str, title: str, lang: str, rng: random.Random) -> list[dict]:
    """At most PER_KIND pairs of each kind from one document, chosen at random."""
    by_kind: dict[str, list[dict]] = {k: [] for k in PER_KIND}
    for pair in [*heading_pairs(text, lang), *article_pairs(text, title, lang), *definition_pairs(text, lang),
                 *sentence_pairs(text, lang, rng)]:
        if pair["query"].strip() and len(pair["passage"]) >= MIN_PASSAGE_CHARS[lang]:
            by_kind[pair["kind"]].append(pair)
    out: list[dict] = []
    for kind, pairs in by_kind.items():
        out += rng.sample(pairs, min(len(pairs), PER_KIND[kind]))
    return out


def guess_lang(text: str) -> str:
    han = len(re.findall(r"[\u4e00-\u9fff]", text[:5000]))
    return "zh" if han > 0.2 * min(len(text), 5000) else "en"


def main() -> None:
    import corpus_sources as cs  # the corpus's own readers, so the text is what the model trained on

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, required=True, help="folder holding gutenberg/ and laws-zh/ unpacked")
    ap.add_argument("--out", type=Path, required=True, help="pairs, one document a line (.jsonl.xz)")
    ap.add_argument("--lm-out", type=Path, help="the same documents as a training shard (U+001E-separated .txt.xz)")
    ap.add_argument("--valid-out", type=Path, help="the held-out validation documents of these sources (.txt.xz)")
    ap.add_argument("--manifest", type=Path, default=Path(__file__).with_name("corpus-manifest-mix100mib.json"))
    ap.add_argument("--lm-chars", type=int, default=30_000_000,
                    help="the training shard's size: documents taken at random until this many characters")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    validation = set(json.loads(a.manifest.read_text())["validation"]["ids"])
    rng = random.Random(a.seed)
    counts: dict[str, int] = {}
    train_docs: list[str] = []
    valid_docs: list[str] = []
    with lzma.open(a.out, "wt", encoding="utf-8") as f:
        for source, reader in (("gutenberg", cs.read_gutenberg), ("laws-zh", cs.read_laws)):
            for doc in reader(a.root):
                doc_id = f"{source}/{doc.id}"
                if doc_id in validation:
                    valid_docs.append(doc.text)
                    continue
                if held_out(doc_id, validation):
                    continue
                lang = doc.lang or guess_lang(doc.text)
                pairs = document_pairs(doc.text, doc.title, lang, rng)
                train_docs.append(doc.text)
                if not pairs:
                    continue
                for p in pairs:
                    counts[p["kind"]] = counts.get(p["kind"], 0) + 1
                f.write(json.dumps({"doc": doc_id, "lang": lang, "pairs": pairs}, ensure_ascii=False) + "\n")
    # The LM loss only has to keep what the model knows: a random part of the text is enough, and
    # a device call carries at most 64 MiB.
    rng.shuffle(train_docs)
    size = 0
    for n, d in enumerate(train_docs):
        size += len(d)
        if size > a.lm_chars:
            train_docs = train_docs[:n]
            break
    for path, docs in ((a.lm_out, train_docs), (a.valid_out, valid_docs)):
        if path:
            with lzma.open(path, "wt", encoding="utf-8") as f:
                f.write("\n\x1e\n".join(docs))
    print(json.dumps({"pairs": counts, "train_documents": len(train_docs), "valid_documents": len(valid_docs)}))


if __name__ == "__main__":
    main()
