"""Token streams for training and validation, made on the GPU machine from the corpus files.

    python3 models/train/data.py --tokenizer models/lectern-mamba2-7m-v6/tokenizer.json \
        --train corpus/train-mix.txt.xz --valid corpus/valid.txt.xz --out /tmp/lectern-train/data
    python3 models/train/data.py append --tokenizer models/lectern-mamba2-7m-v6/tokenizer.json \
        --train corpus2/train-mix-02.txt.xz --out /tmp/lectern-train/data   (more training text
        for a stream made earlier: a device call carries at most 64 MiB, so the shards of the
        mix arrive over back-to-back calls)
    python3 models/train/data.py fit /work/corpus-build .corpus 38000000   (here, before a run:
        the corpus cut to fit what a device call may carry; see fit_corpus)

The corpus files hold UTF-8 documents separated by a line holding only U+001E (models/train/
CORPUS.md). Training: every document as [bos] tokens [eos], all joined into one stream (uint16
when the vocabulary fits). Validation: the same per document, kept apart (ids + offsets), so
documents can be read whole with the state carried. `token_bytes[id]` is the number of UTF-8
bytes a token stands for (0 for specials): bits per byte divide by the bytes of the predicted
tokens, and the tokenization run checks that these add up to each document's length.

The HF `tokenizers` library splits the work over all cores (encode_batch). Long documents are cut
at paragraph breaks into pieces of about PIECE_CHARS for the training stream only, so that one
book does not keep one core busy while the others wait; validation documents are encoded whole,
as the reader encodes them.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEPARATOR = "\n\x1e\n"
PIECE_CHARS = 60_000
SPECIAL_NAMES = ("bos", "eos", "sep", "pad")


def read_documents(path: Path) -> list[str]:
    with lzma.open(path, "rt", encoding="utf-8") as f:
        text = f.read()
    return [d for d in text.split(SEPARATOR) if d.strip()]


def find_specials(tokenizer_json: dict) -> dict[str, int]:
    """bos/eos/sep/pad ids from the tokenizer's added tokens, by name ("<bos>", "<|bos|>", ...)."""
    found: dict[str, int] = {}
    for tok in tokenizer_json.get("added_tokens", []):
        content = tok["content"].lower().strip("<>|[] ")
        for name in SPECIAL_NAMES:
            if content == name or content in (f"{name}_token", f"{name}token"):
                found[name] = tok["id"]
    missing = [n for n in SPECIAL_NAMES if n not in found]
    if missing:
        raise ValueError(f"tokenizer lacks special tokens {missing}; added: "
                         f"{[t['content'] for t in tokenizer_json.get('added_tokens', [])]}")
    return found


def byte_level_alphabet() -> dict[str, int]:
    """GPT-2's byte <-> printable character map (what a ByteLevel pre-tokenizer writes)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    chars = keep[:]
    n = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(keep, chars)}


def token_byte_lengths(tokenizer_json: dict, vocab_size: int, specials: dict[str, int]) -> np.ndarray:
    """UTF-8 bytes per token id for a byte-level BPE (each character of a token is one byte)."""
    alphabet = byte_level_alphabet()
    lengths = np.zeros(vocab_size, dtype=np.int32)
    vocab: dict[str, int] = tokenizer_json["model"]["vocab"]
    for token, i in vocab.items():
        if i < vocab_size:
            lengths[i] = sum(1 for _ in token) if all(c in alphabet for c in token) \
                else len(token.encode("utf-8"))
    for i in specials.values():
        lengths[i] = 0
    for tok in tokenizer_json.get("added_tokens", []):
        if tok["id"] < vocab_size:
            lengths[tok["id"]] = 0 if tok.get("special", True) else len(tok["content"].encode())
    return lengths


def pieces_of(doc: str, size: int = PIECE_CHARS) -> list[str]:
    """A long document cut after paragraph breaks into pieces of about `size` characters."""
    if len(doc) <= size:
        return [doc]
    out, start = [], 0
    while start < len(doc):
        end = min(len(doc), start + size)
        if end < len(doc):
            cut = doc.rfind("\n\n", start + size // 2, end)
            end = cut + 2 if cut >= 0 else end
        out.append(doc[start:end])
        start = end
    return out


@dataclass
class Encoded:
    ids: list[np.ndarray]  # one array per document, [bos] ... [eos]


def encode_documents(tokenizer, docs: list[str], specials: dict[str, int], split: bool,  # noqa: ANN001
                     batch: int = 2048) -> Encoded:
    bos, eos = specials["bos"], specials["eos"]
    out: list[np.ndarray] = []
    parts: list[str] = []
    owner: list[int] = []
    for i, d in enumerate(docs):
        for p in (pieces_of(d) if split else [d]):
            parts.append(p)
            owner.append(i)
    per_doc: list[list[np.ndarray]] = [[] for _ in docs]
    for s in range(0, len(parts), batch):
        encs = tokenizer.encode_batch(parts[s:s + batch], add_special_tokens=False)
        for j, e in enumerate(encs):
            per_doc[owner[s + j]].append(np.asarray(e.ids, dtype=np.int32))
    for pieces in per_doc:
        out.append(np.concatenate([[bos], *pieces, [eos]]).astype(np.int32))
    return Encoded(out)


def check_bytes(docs: list[str], enc: Encoded, token_bytes: np.ndarray, limit: int = 200) -> dict:
    """Do the per-token byte counts add up to each document's UTF-8 length?"""
    bad = 0
    worst = 0
    for d, ids in list(zip(docs, enc.ids))[:limit]:
        diff = int(token_bytes[ids].sum()) - len(d.encode("utf-8"))
        bad += diff != 0
        worst = max(worst, abs(diff))
    return {"checked": min(limit, len(docs)), "mismatched": bad, "worst_diff_bytes": worst}


def valid_languages(valid_txt: Path, n: int) -> list[str] | None:
    """Each validation document's language (same order as valid.txt.xz): from valid.langs.json
    beside it (what fit_corpus writes, small enough to travel) or from valid.jsonl.xz."""
    small = valid_txt.with_name("valid.langs.json")
    if small.exists():
        langs = json.loads(small.read_text())
    else:
        path = valid_txt.with_name("valid.jsonl.xz")
        if not path.exists():
            return None
        with lzma.open(path, "rt", encoding="utf-8") as f:
            langs = [json.loads(line).get("lang") or "?" for line in f if line.strip()]
    return langs if len(langs) == n else None


def fit_corpus(src: Path, dst: Path, max_xz_bytes: int) -> dict:
    """Copies the corpus for a device run whose files must fit a size limit: the training mix cut
    to its first documents (the mix is in a seeded random order, so a prefix is a random subset)
    so that its xz file stays under max_xz_bytes; valid.txt.xz as it is; the validation languages
    as a small JSON list."""
    import shutil
    import subprocess

    dst.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "valid.txt.xz", dst / "valid.txt.xz")
    with lzma.open(src / "valid.jsonl.xz", "rt", encoding="utf-8") as f:
        langs = [json.loads(line).get("lang") or "?" for line in f if line.strip()]
    (dst / "valid.langs.json").write_text(json.dumps(langs))
    shards = sorted(src.glob("train-mix-*.txt.xz"))
    if shards and not (src / "train-mix.txt.xz").exists():  # whole shards, in order, while they fit
        kept, size = [], 0
        for p in shards:
            if size + p.stat().st_size > max_xz_bytes:
                break
            shutil.copyfile(p, dst / p.name)
            kept.append(p.name)
            size += p.stat().st_size
        return {"shards_kept": kept, "shards": len(shards), "xz_bytes": size}
    full = src / "train-mix.txt.xz"
    if full.stat().st_size <= max_xz_bytes:
        shutil.copyfile(full, dst / "train-mix.txt.xz")
        return {"documents_kept": "all", "xz_bytes": full.stat().st_size}
    docs = read_documents(full)
    raw_total = sum(len(d.encode()) for d in docs)
    keep_raw = raw_total * max_xz_bytes / full.stat().st_size * 0.98
    kept, size = [], 0
    for d in docs:
        size += len(d.encode()) + len(SEPARATOR)
        if size > keep_raw:
            break
        kept.append(d)
    data = SEPARATOR.join(kept).encode() + b"\n"
    out = subprocess.run(["xz", "-9", "-T2", "-c"], input=data, capture_output=True, check=True).stdout
    (dst / "train-mix.txt.xz").write_bytes(out)
    return {"documents_kept": len(kept), "documents": len(docs), "raw_bytes_kept": len(data),
            "raw_bytes": raw_total, "xz_bytes": len(out)}


def build(tokenizer_path: Path, train: list[Path], valid: Path, out: Path,
          max_train_docs: int = 0) -> dict:
    from tokenizers import Tokenizer  # only on the machine that tokenizes

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    spec = json.loads(tokenizer_path.read_text())
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    vocab_size = tokenizer.get_vocab_size(with_added_tokens=True)
    specials = find_specials(spec)
    token_bytes = token_byte_lengths(spec, vocab_size, specials)
    dtype = np.uint16 if vocab_size <= 65536 else np.int32

    vdocs = read_documents(valid)
    venc = encode_documents(tokenizer, vdocs, specials, split=False)
    offsets = np.cumsum([0] + [len(a) for a in venc.ids]).astype(np.int64)
    np.concatenate(venc.ids).astype(dtype).tofile(out / "valid.bin")
    np.save(out / "valid_offsets.npy", offsets)
    vbytes = [len(d.encode("utf-8")) for d in vdocs]
    langs = valid_languages(valid, len(vdocs))
    t_valid = time.time() - t0

    tdocs = [d for path in train for d in read_documents(path)]
    if max_train_docs:
        tdocs = tdocs[:max_train_docs]
    t_read = time.time() - t0
    tenc = encode_documents(tokenizer, tdocs, specials, split=True)
    stream = np.concatenate(tenc.ids).astype(dtype)
    stream.tofile(out / "train.bin")
    train_bytes = sum(len(d.encode("utf-8")) for d in tdocs)
    np.save(out / "token_bytes.npy", token_bytes)
    meta = {
        "tokenizer": str(tokenizer_path), "vocab_size": vocab_size, "specials": specials,
        "train_files": [p.name for p in train],
        "dtype": np.dtype(dtype).name,
        "train": {"documents": len(tdocs), "tokens": int(len(stream)), "bytes": train_bytes,
                  "bytes_per_token": round(train_bytes / max(1, len(stream)), 3)},
        "valid": {"documents": len(vdocs), "tokens": int(offsets[-1]), "bytes": sum(vbytes),
                  "longest_tokens": int(max(len(a) for a in venc.ids)),
                  "byte_check": check_bytes(vdocs, venc, token_bytes, limit=len(vdocs)),
                  "langs": langs},
        "train_byte_check": check_bytes(tdocs, tenc, token_bytes),
        "seconds": {"valid": round(t_valid, 1), "read_train": round(t_read - t_valid, 1),
                    "total": round(time.time() - t0, 1)},
        "threads": os.cpu_count(),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def append(tokenizer_path: Path, train: list[Path], out: Path) -> dict:
    """Adds training documents to a stream `build` made (same tokenizer); validation is untouched.
    Files already in it are skipped, so a repeated call changes nothing."""
    from tokenizers import Tokenizer

    t0 = time.time()
    meta = json.loads((out / "meta.json").read_text())
    new = [p for p in train if p.name not in meta["train_files"]]
    if not new:
        return {"appended": [], "train": meta["train"]}
    spec = json.loads(tokenizer_path.read_text())
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    specials = find_specials(spec)
    if specials != meta["specials"]:
        raise ValueError(f"tokenizer specials {specials} differ from the stream's {meta['specials']}")
    token_bytes = np.load(out / "token_bytes.npy")
    dtype = np.dtype(meta["dtype"])
    docs = [d for path in new for d in read_documents(path)]
    enc = encode_documents(tokenizer, docs, specials, split=True)
    added = np.concatenate(enc.ids).astype(dtype)
    with open(out / "train.bin", "ab") as f:
        added.tofile(f)
    t = meta["train"]
    t["documents"] += len(docs)
    t["tokens"] += int(len(added))
    t["bytes"] += sum(len(d.encode("utf-8")) for d in docs)
    t["bytes_per_token"] = round(t["bytes"] / max(1, t["tokens"]), 3)
    meta["train_files"] += [p.name for p in new]
    meta.setdefault("appended", []).append({
        "files": [p.name for p in new], "documents": len(docs), "tokens": int(len(added)),
        "byte_check": check_bytes(docs, enc, token_bytes), "seconds": round(time.time() - t0, 1)})
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return {"appended": meta["appended"][-1], "train": t}


@dataclass
class Streams:
    """What train.py and evaluate.py read back."""
    train: np.ndarray          # [n] token ids
    valid: list[np.ndarray]    # per document, [bos] ... [eos]
    token_bytes: np.ndarray    # [vocab]
    meta: dict


def load(out: Path) -> Streams:
    meta = json.loads((out / "meta.json").read_text())
    dtype = np.dtype(meta["dtype"])
    train = np.fromfile(out / "train.bin", dtype=dtype)
    flat = np.fromfile(out / "valid.bin", dtype=dtype)
    offsets = np.load(out / "valid_offsets.npy")
    valid = [flat[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
    return Streams(train, valid, np.load(out / "token_bytes.npy"), meta)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "fit":
        # data.py fit SRC DST MAX_XZ_BYTES  (here, before a device run)
        print(json.dumps(fit_corpus(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "append":
        ap = argparse.ArgumentParser(description="append training shards to a token stream")
        ap.add_argument("--tokenizer", type=Path, required=True)
        ap.add_argument("--train", type=Path, nargs="+", required=True)
        ap.add_argument("--out", type=Path, required=True)
        a = ap.parse_args(sys.argv[2:])
        print(json.dumps(append(a.tokenizer, a.train, a.out), indent=1), flush=True)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokenizer", type=Path, required=True)
    ap.add_argument("--train", type=Path, nargs="+", required=True, help="train-mix.txt.xz or its shards")
    ap.add_argument("--valid", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-train-docs", type=int, default=0)
    a = ap.parse_args()
    meta = build(a.tokenizer, a.train, a.valid, a.out, a.max_train_docs)
    print(json.dumps(meta, indent=1), flush=True)


if __name__ == "__main__":
    main()
