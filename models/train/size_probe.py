"""Model directories of random Mamba-2 models of several sizes, exported as the shipped model is
(export.export_reader, float16 storage, reader_graph.py's split into model.onnx, reader.onnx and
weights.bin, the shipped model's tokenizer and call lengths), so that the engine benchmark can measure reading speed against
size on this machine. Needs torch and onnx, not onnxruntime (Debian's python3-torch will do).

    /usr/bin/python3 models/train/size_probe.py --sizes 256x6,384x8,512x10 --out /tmp/sizes
    npm run build && node --expose-gc -e "import('./dist/test/bench/engine.js').then(async (m) => { \
      const t = await import('./dist/test/bench/table.js'); for (const d of ['/tmp/sizes/256x6', ...]) \
      t.printTable((await m.benchEngine({ modelDir: d, sizes: [100000], lengths: [], runs: 3 }))[0]); })"
Prints each size's parameter count and files.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from export import OPSET, export_reader, write_manifest, write_tokenizer  # noqa: E402
from mamba2 import Mamba2Config, build_model  # noqa: E402
from ship_trained import round_to_float16, store_float16, use_bpe_tokenizer  # noqa: E402

ROOT = HERE.parents[1]


def probe(d_model: int, n_layer: int, tokenizer: Path, call_tokens: dict, out: Path) -> dict:
    cfg = Mamba2Config(vocab_size=16384, d_model=d_model, n_layer=n_layer, subchunk=64, carry_group=8)
    model = build_model(cfg)
    round_to_float16(model)
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "raw.onnx"
    export_reader(model, raw)
    store_float16(raw, out / "model.onnx")
    raw.unlink()
    write_tokenizer(out, cfg)  # as export.ship does; replaced by the BPE one below
    write_manifest(out, cfg, f"size-probe-{d_model}x{n_layer}", False, OPSET)
    # The shipped model's call lengths, not the export's first guesses: the probe compares sizes.
    use_bpe_tokenizer(out, tokenizer, call_tokens=call_tokens)
    subprocess.run([sys.executable, str(HERE / "reader_graph.py"), str(out)], check=True, capture_output=True)
    params = sum(p.numel() for p in model.parameters())
    return {"size": f"{d_model}x{n_layer}", "params": params,
            "bytes": sum(p.stat().st_size for p in out.iterdir() if p.name != "tokenizer.json")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="256x6,384x8,512x10", help="d_model x n_layer, comma-separated")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    shipped = ROOT / "models" / (ROOT / "models/default.txt").read_text().strip()
    manifest = json.loads((shipped / "manifest.json").read_text())
    for size in a.sizes.split(","):
        d, n = (int(v) for v in size.split("x"))
        print(json.dumps(probe(d, n, shipped / manifest["tokenizer"]["file"], manifest["call_tokens"],
                               a.out / size)), flush=True)


if __name__ == "__main__":
    main()
