"""Bits per byte by position on long documents, as the app computes them: `lectern score --json`
(the reading graph, then the scoring pass; onnxruntime-node, CPU) on every validation document of
more than --min-tokens tokens and on the long texts given with --text. Needs no torch; run after
`npm run build`, with the model directory that models/default.txt names.

    python3 models/train/long_scores.py --valid /work/corpus-build/valid.jsonl.xz \
        --text ../shared/fixtures/novels/*.txt test/fixtures/zh/hongloumeng-ch001-010.md \
        --out models/train/runs/<id>/long-documents-lectern-score.json
Prints a Markdown table per group; the model card's long-document tables are these. Each row's
buckets are that one document's, so a bucket's change along a row is position, not composition.
"""
from __future__ import annotations

import argparse
import json
import lzma
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUCKETS = (0, 2048, 8192, 32768, 131072)
NAMES = ("0–2k", "2k–8k", "8k–32k", "32k–128k", "128k+")
# A document below this many UTF-8 bytes cannot reach --min-tokens (the tokenizer averages 3.6
# bytes a token and never fewer than 1), so it is not scored at all.
MIN_BYTES_PER_TOKEN = 1


def score(path: Path, db: Path) -> dict:
    out = subprocess.run(["node", str(ROOT / "bin/lectern.js"), "score", str(path), "--json", "--db", str(db)],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    return {"tokens": r["tokens"], "bytes": r["bytes"], "bits_per_byte": round(r["bits_per_byte"], 4),
            "by_position": {str(b["from"]): round(b["bits_per_byte"], 4) for b in r["by_position"]}}


def table(rows: dict[str, dict]) -> str:
    out = ["| document | tokens | overall | " + " | ".join(NAMES) + " |", "|---" * (3 + len(NAMES)) + "|"]
    for name, r in rows.items():
        cells = [str(r["by_position"].get(str(b), "")) for b in BUCKETS]
        out.append(f"| {name} | {r['tokens']:,} | {r['bits_per_byte']} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def paired(rows: dict[str, dict]) -> dict:
    """Each document weighted once: the mean of its own 0–2k and 32k–128k figures, and in how many
    documents the later bucket is the lower."""
    both = [r["by_position"] for r in rows.values() if "32768" in r["by_position"]]
    if not both:
        return {}
    return {"documents": len(both),
            "mean_0_2k": round(statistics.fmean(p["0"] for p in both), 4),
            "mean_32k_128k": round(statistics.fmean(p["32768"] for p in both), 4),
            "later_lower": sum(p["32768"] <= p["0"] for p in both)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--valid", type=Path, required=True, help="valid.jsonl.xz of the corpus build")
    ap.add_argument("--text", type=Path, nargs="*", default=[])
    ap.add_argument("--min-tokens", type=int, default=32768)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    model = (ROOT / "models/default.txt").read_text().strip()
    valid: dict[str, dict] = {}
    unseen: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "library.sqlite"
        with lzma.open(a.valid, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                if len(doc["text"].encode("utf-8")) < a.min_tokens * MIN_BYTES_PER_TOKEN:
                    continue
                path = Path(tmp) / "doc.txt"
                path.write_text(doc["text"], encoding="utf-8")
                r = score(path, db)
                if r["tokens"] > a.min_tokens:
                    valid[doc["id"]] = {"lang": doc["lang"], **r}
                    print(f"{doc['id']}: {r['tokens']:,} tokens", flush=True)
        for path in a.text:
            unseen[path.name] = score(path, db)
            print(f"{path.name}: {unseen[path.name]['tokens']:,} tokens", flush=True)
    result = {"how": f"lectern score --json (onnxruntime-node, CPU) with {model}: every validation document "
                     f"of more than {a.min_tokens:,} tokens, and texts never trained on",
              "model": model, "validation": valid, "validation_paired": paired(valid),
              "unseen": unseen, "unseen_paired": paired(unseen)}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print("\n" + table(valid) + "\n\n", json.dumps(result["validation_paired"]), "\n\n" + table(unseen) + "\n\n",
          json.dumps(result["unseen_paired"]))


if __name__ == "__main__":
    main()
