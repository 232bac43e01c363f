"""Adds a reading graph to a model directory: the same graph without the `logprobs` head.

    /usr/bin/python3 models/train/reader_graph.py models/<id>

Why: onnxruntime computes every output of a graph whether it is fetched or not, and the
16k-vocabulary log-softmax behind `logprobs` is about a third of a CPU call (1.45x faster without
it at T = 512 on 2 threads) and of a WebGPU call. Reading a document needs the state, the
embeddings and the relevance; surprisal only when bits per byte are asked for. So the directory
gets two graphs over one weights file:
  - model.onnx   the full contract (docs/ARCHITECTURE.md §2), used for scoring and re-reading;
  - reader.onnx  the nodes the other outputs need, without `target_ids` and `logprobs`;
  - weights.bin  every initializer of >= 1 KiB, once, referenced by both (ONNX external data).
The reader's remaining outputs are the full graph's to the bit (same nodes, same weights).
manifest.json gains "reader_graph": "reader.onnx" and its `files` are recomputed.
Needs only the onnx package (no torch, no onnxruntime).
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import onnx

WEIGHTS = "weights.bin"
READER = "reader.onnx"
FULL = "model.onnx"


def prune(model: onnx.ModelProto, drop_outputs: set[str]) -> onnx.ModelProto:
    """The model without some outputs and every node, initializer and input only they needed."""
    pruned = onnx.ModelProto()
    pruned.CopyFrom(model)
    g = pruned.graph
    outputs = [o for o in g.output if o.name not in drop_outputs]
    needed = {o.name for o in outputs}
    kept = []
    for node in reversed(list(g.node)):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(i for i in node.input if i)
    kept.reverse()
    for field, items in (("node", kept), ("output", outputs),
                         ("initializer", [i for i in g.initializer if i.name in needed]),
                         ("input", [i for i in g.input if i.name in needed])):
        del getattr(g, field)[:]
        getattr(g, field).extend(items)
    return pruned


def compact_names(model: onnx.ModelProto) -> None:
    """Drops node names and gives intermediate tensors short names (t0, t1, ...): every byte of the
    tree travels with each GPU-machine call (64 MiB in all), and the exporter's long names were
    ~140 KB a graph. Inputs, outputs and initializers keep their names."""
    g = model.graph
    fixed = {i.name for i in g.input} | {o.name for o in g.output} | {i.name for i in g.initializer}
    short: dict[str, str] = {}
    for node in g.node:
        node.name = ""
        for k, name in enumerate(node.output):
            if name and name not in fixed:
                node.output[k] = short.setdefault(name, f"t{len(short)}")
        for k, name in enumerate(node.input):
            node.input[k] = short.get(name, name)
    del g.value_info[:]


def entry(path: Path) -> dict:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def split(model_dir: Path) -> dict:
    full_path = model_dir / FULL
    model = onnx.load(str(full_path))
    if (model_dir / READER).exists():
        raise SystemExit(f"{model_dir} already has {READER}")
    # onnx appends external data to an existing file: start from none.
    (model_dir / WEIGHTS).unlink(missing_ok=True)
    compact_names(model)
    onnx.save_model(model, str(full_path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=WEIGHTS, size_threshold=1024)
    # Loaded without the data, the initializers keep their references into weights.bin.
    full = onnx.load(str(full_path), load_external_data=False)
    reader = prune(full, {"logprobs"})
    onnx.save(reader, str(model_dir / READER))
    onnx.checker.check_model(str(full_path))
    onnx.checker.check_model(str(model_dir / READER))

    manifest_path = model_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["reader_graph"] = READER
    names = [FULL, READER, WEIGHTS, manifest["tokenizer"]["file"]]
    manifest["files"] = {name: entry(model_dir / name) for name in names}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return {"full_nodes": len(full.graph.node), "reader_nodes": len(reader.graph.node),
            "reader_inputs_dropped": sorted({i.name for i in full.graph.input} - {i.name for i in reader.graph.input}),
            "files": manifest["files"]}


if __name__ == "__main__":
    print(json.dumps(split(Path(sys.argv[1])), indent=1))
