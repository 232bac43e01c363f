#!/usr/bin/env python3
"""Train Lectern's byte-level BPE tokenizers and measure them (CPU only; HF tokenizers 0.23).

    python3 models/train/tokenizer.py --corpus /work/corpus-build --out /tmp/tok [--sizes 8192,16384,32768]

The GPU machine has tokenizers 0.23.2; so does a throwaway venv here (`pip install
tokenizers==0.23.2`), where the whole mix takes under 4 minutes on 2 cores and 5 GB of memory.

Reads the training mix (train-mix.txt.xz, or its shards train-mix-NN.txt.xz) and the validation
documents (valid.jsonl.xz) written by corpus.py. Trains ONE byte-level BPE at the largest size and
cuts it to the smaller ones: BPE merges are chosen greedily, one at a time, from counts that do
not depend on the target size, so the first N merges of a 32k run are exactly what a run asked
for fewer merges would learn (checked below on a sample). The vocabularies are therefore nested.

Layout of every tokenizer: ids 0-3 are the specials <bos> <eos> <sep> <pad>; 4-259 the 256 byte
symbols (GPT-2's bytes→unicode alphabet); then merges by rank. Pre-tokenizer: ByteLevel with the
GPT-2 regex, add_prefix_space false, trim_offsets false; no normaliser (the corpus is NFC and so
should the reader's text be); decoder ByteLevel.

Writes to --out: tokenizer-<N>k.json, reference-<N>k.jsonl.gz (10,000 seeded validation lines
and their ids/offsets, for the TypeScript parity test), report.json; prints bytes per token on the
validation split, English and Chinese apart.
"""
from __future__ import annotations

import argparse
import gzip
import json
import lzma
import os
import random
import sys
import time
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

SEPARATOR = "\n\x1e\n"
SPECIALS = ["<bos>", "<eos>", "<sep>", "<pad>"]
REFERENCE_LINES = 10_000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def read_training(corpus: Path, max_bytes: int) -> list[str]:
    whole = corpus / "train-mix.txt.xz"
    paths = [whole] if whole.exists() else sorted(corpus.glob("train-mix-*.txt.xz"))
    if not paths:
        sys.exit(f"no train-mix*.txt.xz in {corpus}")
    docs: list[str] = []
    size = 0
    for path in paths:
        with lzma.open(path, "rt", encoding="utf-8") as f:
            for doc in f.read().split(SEPARATOR):
                if doc.strip() and size < max_bytes:
                    docs.append(doc)
                    size += len(doc.encode())
    log(f"training text: {len(docs)} documents, {size / 2**20:.1f} MiB from {[p.name for p in paths]}")
    return docs


def read_validation(corpus: Path) -> list[dict[str, str]]:
    with lzma.open(corpus / "valid.jsonl.xz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def new_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=True)
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    return tok


def train(docs: list[str], vocab_size: int) -> Tokenizer:
    tok = new_tokenizer()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(docs, trainer=trainer, length=len(docs))
    return tok


def truncate(tok: Tokenizer, vocab_size: int) -> Tokenizer:
    """The same tokenizer with only the merges (and tokens) below `vocab_size`."""
    spec = json.loads(tok.to_str())
    vocab: dict[str, int] = spec["model"]["vocab"]
    spec["model"]["vocab"] = {t: i for t, i in vocab.items() if i < vocab_size}
    base = len(vocab) - len(spec["model"]["merges"])  # specials + alphabet
    spec["model"]["merges"] = spec["model"]["merges"][: vocab_size - base]
    return Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))


def check_nesting(docs: list[str]) -> bool:
    """On a sample: cutting a larger run equals a run trained at the smaller size."""
    sample = docs[: max(1, len(docs) // 50)]
    small, large = train(sample, 2048), train(sample, 4096)
    return json.loads(truncate(large, 2048).to_str())["model"] == json.loads(small.to_str())["model"]


def bytes_per_token(tok: Tokenizer, valid: list[dict[str, str]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    encodings = tok.encode_batch([d["text"] for d in valid])
    for lang in ("en", "zh", "all"):
        pick = [i for i, d in enumerate(valid) if lang == "all" or d["lang"] == lang]
        nbytes = sum(len(valid[i]["text"].encode()) for i in pick)
        ntok = sum(len(encodings[i].ids) for i in pick)
        out[lang] = {"bytes": nbytes, "tokens": ntok, "bytes_per_token": round(nbytes / max(1, ntok), 4)}
    return out


# ---------------------------------------------------------------------------------------------
# Reference lines for the TypeScript encoder's parity test

ODD = [
    "  ", "   ", "\t", "\t\t ", "\u00a0", "\u3000", "\u2003", "\u2028", "\u0085", "\r\n", "\n\n",
    " \n ", "\u200b", "\u200d", "\ufeff", "e\u0301", "n\u0303", "👍", "👨‍👩‍👧", "🇨🇳", "🏳️‍🌈", "😀😃",
    "𠀀𠀁", "𝐀𝐁𝐂", "٠١٢٣", "१२३", "¹²³", "½", "Ⅻ", "12345678901234567890", "3.14159", "1,000,000",
    "—", "…", "«»", "“”", "‘’", "'s", "'S", "'ll", "'re", "'ve", "'m", "'d", "'t", " 's", "it's",
    "IT'S", "don't", "<bos>", "<eos>", "<sep>", "<pad>", "<eos><bos>", " <sep> ", "<eos", "eos>",
    "Ελληνικά", "Русский текст", "العربية", "עברית", "हिन्दी", "ไทย", "한국어", "日本語のかな", "ｶﾀｶﾅ",
    "ﬁ", "Å", "ß", "İ", "ǅ", "\x00", "\x1b[0m", "\x7f", "©®™", "€$¥£", "#!@%^&*()", "a\u0300\u0301\u0302",
    "中文，标点。", "（括号）", "「引号」", "①②③", "\U0001F9D1\U0001F3FD\u200D\U0001F4BB", "x" * 300,
    "字" * 200, " " * 40, "\n" * 5, "\t\n \t\n", "ab  cd", "a \u00a0b", "end ", " start",
]


def reference_lines(valid: list[dict[str, str]], count: int, seed: int = 20261129) -> list[str]:
    """Seeded lines from the validation documents, half English, half Chinese, a third of them
    with odd Unicode, whitespace runs, digits, emoji or special-token strings spliced in."""
    rng = random.Random(seed)
    by_lang: dict[str, list[str]] = {"en": [], "zh": [], "other": []}
    for d in valid:
        lines = [l for l in d["text"].split("\n") if l.strip()]
        by_lang.get(d["lang"], by_lang["other"]).extend(lines)
    for pool in by_lang.values():
        pool.sort()
    out: list[str] = []
    while len(out) < count:
        r = rng.random()
        pool = by_lang["en"] if r < 0.45 else by_lang["zh"] if r < 0.9 else (by_lang["other"] or by_lang["en"])
        line = rng.choice(pool)
        shape = rng.random()
        if shape < 0.1:  # several lines, as paragraphs reach the encoder
            line = "\n".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        elif shape < 0.4:
            for _ in range(rng.randint(1, 4)):
                at = rng.randint(0, len(line))
                line = line[:at] + rng.choice(ODD) + line[at:]
        elif shape < 0.45:
            line = rng.choice(ODD) + line + rng.choice(ODD)
        elif shape < 0.5:
            line = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 8)))
        out.append(line[:6000])
    return out


def write_reference(tok: Tokenizer, lines: list[str], path: Path) -> int:
    """JSONL: text, ids, and start offsets (code-point indices, as Python reports them)."""
    mismatched = 0
    encodings = tok.encode_batch(lines)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for line, enc in zip(lines, encodings):
            if tok.decode(enc.ids, skip_special_tokens=False) != line:
                mismatched += 1
            f.write(json.dumps({"text": line, "ids": enc.ids, "starts": [s for s, _ in enc.offsets]},
                               ensure_ascii=False) + "\n")
    return mismatched


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sizes", default="8192,16384,32768")
    ap.add_argument("--max-bytes", type=int, default=10**12, help="train on at most this much text")
    ap.add_argument("--lines", type=int, default=REFERENCE_LINES)
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    args.out.mkdir(parents=True, exist_ok=True)
    log(f"cpus {os.cpu_count()}, sizes {sizes}")

    docs = read_training(args.corpus, args.max_bytes)
    valid = read_validation(args.corpus)
    t0 = time.time()
    nested = check_nesting(docs)
    log(f"nesting check (cut 4096 → 2048 equals a 2048 run): {nested} ({time.time() - t0:.0f}s)")
    t0 = time.time()
    largest = train(docs, sizes[-1])
    train_s = time.time() - t0
    log(f"trained {sizes[-1]} in {train_s:.0f}s")

    lines = reference_lines(valid, args.lines)
    report: dict[str, object] = {"training_bytes": sum(len(d.encode()) for d in docs),
                                 "training_documents": len(docs), "train_seconds": round(train_s, 1),
                                 "nested_truncation_matches_training": nested, "sizes": {}}
    for size in sizes:
        tok = largest if size == sizes[-1] else truncate(largest, size)
        assert tok.get_vocab_size() == size, (size, tok.get_vocab_size())
        name = f"{size // 1024}k"
        tok.save(str(args.out / f"tokenizer-{name}.json"))
        bpt = bytes_per_token(tok, valid)
        bad = write_reference(tok, lines, args.out / f"reference-{name}.jsonl.gz")
        report["sizes"][name] = {"vocab_size": size, "bytes_per_token": bpt,  # type: ignore[index]
                                 "decode_mismatches": bad,
                                 "embedding_params_d384": size * 384, "embedding_params_d512": size * 512}
        log(f"{name}: bytes/token en {bpt['en']['bytes_per_token']}, zh {bpt['zh']['bytes_per_token']}, "
            f"all {bpt['all']['bytes_per_token']}; decode mismatches {bad}")
    (args.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
