"""Bits per byte of one document under a trained Mamba-2, by evaluate.py's own method, on the CPU.

    PYTHONPATH=<dir with HF tokenizers> /usr/bin/python3 models/train/document_bpb.py \
        --weights models/train/weights/lectern-mamba2-7m-fp16.pt \
        --model-dir models/lectern-mamba2-7m \
        --text test/fixtures/validation/spc-civil-procedure-interpretation-zh.txt \
        --out test/fixtures/validation/spc-civil-procedure-interpretation-zh.json

The document is encoded whole with the HF tokenizer (as data.py encodes validation documents),
framed [bos] ids [eos], and read by evaluate.nll_mamba (windows of 2,048 tokens, the state
carried, float32); evaluate.bits_per_byte divides the nats of the predicted tokens (every
document token, not <eos>) by their UTF-8 bytes. This is the stream `lectern score` reads:
bos then the document's tokens, each token predicted from everything before it.

The figure pins the TypeScript reader (test/integration/score-reproduces.test.ts), so the
text is read as bytes and never re-normalised here: the fixture must already be the corpus's
cleaned text, which the reader's ingestion leaves unchanged.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import find_specials, token_byte_lengths  # noqa: E402
from evaluate import bits_per_byte, load_model, nll_mamba  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", type=Path, required=True)
    p.add_argument("--model-dir", type=Path, required=True, help="the shipped model (manifest.json, tokenizer.json)")
    p.add_argument("--text", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    from tokenizers import Tokenizer  # only this script needs it; training machines have it

    if a.threads:
        torch.set_num_threads(a.threads)
    manifest = json.loads((a.model_dir / "manifest.json").read_text())
    tok_path = a.model_dir / manifest["tokenizer"]["file"]
    tok_json = json.loads(tok_path.read_text(encoding="utf-8"))
    specials = find_specials(tok_json)
    text = a.text.read_bytes().decode("utf-8")
    ids = Tokenizer.from_file(str(tok_path)).encode(text, add_special_tokens=False).ids
    doc = np.asarray([specials["bos"], *ids, specials["eos"]], dtype=np.int64)
    token_bytes = token_byte_lengths(tok_json, manifest["vocab_size"], specials)
    if int(token_bytes[doc[1:-1]].sum()) != len(text.encode("utf-8")):
        raise SystemExit("token bytes do not add up to the document's length")

    model = load_model("mamba2", a.weights, "cpu")
    nll = nll_mamba(model, [doc])
    result = bits_per_byte([doc], nll, token_bytes, None)
    nats = float(nll[0].astype(np.float64).sum())
    out = {
        "bits_per_byte": nats / np.log(2) / result["overall"]["bytes"],
        "tokens": result["overall"]["tokens"],
        "bytes": result["overall"]["bytes"],
        "model_id": manifest["id"],
        "computed_by": (f"models/train/document_bpb.py: evaluate.nll_mamba (windows of 2,048, state carried, "
                        f"float32, CPU, torch {torch.__version__}) over [bos] + the HF tokenizer's ids; "
                        f"weights {a.weights.name}"),
        "by_position": {k: v["bpb"] for k, v in result["by_position"].items() if v["tokens"]},
    }
    a.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
