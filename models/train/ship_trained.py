"""Ships a trained Mamba-2 checkpoint as a model directory, through export.py's `ship`.

    python3 models/train/ship_trained.py --ckpt /tmp/lectern-train/mamba2-final.pt \
        --tokenizer models/lectern-mamba2-7m-v6/tokenizer.json --id lectern-mamba2-12m \
        --out /tmp/lectern-train/ship/model --work /tmp/lectern-train/ship

What it adds to export.py (whose files it does not change):
  - float16 storage: every weight matrix is rounded to float16 first, the graph is exported as
    usual (float32), then every float32 initializer of >= MIN_ELEMENTS values that float16 holds
    exactly is stored as float16 with a Cast to float32 in front of it; an initializer that is the
    exact transpose of another (the tied embedding's MatMul copy) becomes a Transpose of it. The
    graph computes in float32 exactly what the rounded PyTorch model computes, at half the file
    size; the checks run again on the stored file. Vectors, norms, A, dt and D stay float32.
  - the BPE tokenizer (HF tokenizers JSON) as tokenizer.json, and `tokenizer.type: "bpe"`.
  - manifest `files` recomputed for the shipped bytes.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from manifest_files import file_entry  # noqa: E402

MIN_ELEMENTS = 1024


def store_float16(src: Path, dst: Path) -> dict:
    """Rewrites the graph with float16-stored weights; returns what changed."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    g = model.graph
    halves: dict[str, np.ndarray] = {}
    for t in g.initializer:
        arr = numpy_helper.to_array(t)
        if arr.dtype == np.float32 and arr.size >= MIN_ELEMENTS:
            h = arr.astype(np.float16)
            if np.array_equal(h.astype(np.float32), arr):
                halves[t.name] = h
    # Exact transposes of another kept matrix become a Transpose node.
    transposed: dict[str, str] = {}
    names = sorted(halves, key=lambda n: (-halves[n].size, n))
    for i, a in enumerate(names):
        if a in transposed or halves[a].ndim != 2:
            continue
        for b in names[i + 1:]:
            if b in transposed or halves[b].ndim != 2 or halves[b].shape != halves[a].shape[::-1]:
                continue
            if np.array_equal(halves[a].T, halves[b]):
                transposed[b] = a
    keep = [t for t in g.initializer if t.name not in halves]
    del g.initializer[:]
    g.initializer.extend(keep)
    front = []
    for name, h in halves.items():
        if name in transposed:
            continue
        g.initializer.append(numpy_helper.from_array(h, f"{name}__f16"))
        front.append(helper.make_node("Cast", [f"{name}__f16"], [name], to=TensorProto.FLOAT,
                                      name=f"{name}__cast"))
    for b, a in transposed.items():
        front.append(helper.make_node("Transpose", [a], [b], perm=[1, 0], name=f"{b}__transpose"))
    nodes = front + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return {"float16_initializers": len(halves) - len(transposed), "transposes_shared": len(transposed),
            "float16_values": int(sum(h.size for n, h in halves.items() if n not in transposed)),
            "bytes_before": src.stat().st_size, "bytes_after": dst.stat().st_size}


def round_to_float16(model) -> None:  # noqa: ANN001
    import torch
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.copy_(p.half().float())


def load_rounded(ckpt: Path, carry_group: int):  # noqa: ANN201 - a Mamba2LM (torch imported late)
    """A checkpoint's model, its matrices rounded to float16, in float32 and eval mode, set to
    export with `carry_group` (how the graph carries state between sub-chunks, not a weight)."""
    import torch

    from mamba2 import Mamba2Config, Mamba2LM

    blob = torch.load(ckpt, map_location="cpu")
    known = {f.name for f in dataclasses.fields(Mamba2Config)}
    cfg = Mamba2Config(**{k: v for k, v in blob["config"].items() if k in known})
    cfg.carry_group = carry_group
    model = Mamba2LM(cfg)
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in blob["model"].items()})
    round_to_float16(model)
    return model.float().eval()


def use_bpe_tokenizer(out: Path, tokenizer: Path, **overrides: object) -> dict:
    """Puts the BPE tokenizer in the model directory `out` and rewrites its manifest for it and for
    the files as they now are (plus any `overrides`); returns the manifest."""
    shutil.copyfile(tokenizer, out / "tokenizer.json")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest.update(overrides)
    manifest["tokenizer"] = {"type": "bpe", "file": "tokenizer.json"}
    manifest["files"] = {n: file_entry(out / n) for n in ("model.onnx", "tokenizer.json")}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def ship_trained(ckpt: Path, tokenizer: Path, model_id: str, out: Path, work: Path,
                 subchunks: list[int], carry_group: int) -> dict:
    import export
    from checks import audit_graph, ort_vs_torch, time_cpu

    model = load_rounded(ckpt, carry_group)
    cfg = model.cfg
    results = export.ship(model, model_id, True, out, work, subchunks,
                          {"checkpoint": str(ckpt), "weights": "matrices rounded to float16"})
    fp32 = work / "model_float32.onnx"
    shutil.copyfile(out / "model.onnx", fp32)
    results["float16_storage"] = store_float16(fp32, out / "model.onnx")
    results["graph"] = audit_graph(out / "model.onnx")
    results["ort_vs_torch"] = ort_vs_torch(model, out / "model.onnx", T=export.check_tokens(cfg))
    results["float16_storage"]["ms_T1024_2_threads"] = time_cpu(out / "model.onnx", model, 1024, 2)
    print("float16 storage:", json.dumps(results["float16_storage"]), "ort vs torch worst",
          results["ort_vs_torch"]["worst"], flush=True)

    results["manifest"] = use_bpe_tokenizer(out, tokenizer)
    (work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    from model_card import write_card
    write_card(out, results, None)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--tokenizer", type=Path, required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--subchunks", default="64,128")
    ap.add_argument("--carry-group", type=int, default=8,
                    help="sub-chunks per group of the graph's two-level state carry (1 = one level)")
    a = ap.parse_args()
    ship_trained(a.ckpt, a.tokenizer, a.id, a.out, a.work, [int(x) for x in a.subchunks.split(",")],
                 a.carry_group)


if __name__ == "__main__":
    main()
