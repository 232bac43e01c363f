"""Adds a reading graph to a model directory: the full graph without the vocabulary head, and with
the passage pooling inside it.

    /usr/bin/python3 models/train/reader_graph.py models/<id>

Why: onnxruntime computes every output of a graph whether it is fetched or not, and the
16k-vocabulary log-softmax behind `logprobs` is about a third of a CPU call (1.45x faster without
it at T = 512 on 2 threads) and of a WebGPU call. And reading needs no per-token vector, only
each passage's sum of them: on an H200 the [T, 256] embeddings of a 65,536-token call were 64 MB
to bring back and 73 ms of JavaScript to sum, against 146 ms for the call itself. So the
directory gets two graphs over one weights file:
  - model.onnx   the full contract (docs/ARCHITECTURE.md §2), used for scoring and re-reading;
  - reader.onnx  the state, and the sum of the embeddings over each passage segment of the call:
                 inputs input_ids, valid_len, segment_of [1, T] (float: the segment of each
                 position, 0..S-1, or -1 for none) and segment_slots [S] (its values unused: it
                 carries S); outputs passage_sums [S, embedding_dim] and the present state. The
                 sums are one Gemm over a one-hot [T, S] built in the graph.
  - weights.bin  every initializer of >= 1 KiB, once, referenced by both (ONNX external data).
The reader's state is the full graph's to the bit (same nodes, same weights); its sums are the
full graph's embeddings summed in float32.
manifest.json gains "reader_graph": "reader.onnx" and its `files` are recomputed. Run on a model
directory that already has reader.onnx, the reading graph is made again from model.onnx (whose
weights stay in weights.bin). Needs only the onnx package (no torch, no onnxruntime).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from manifest_files import file_entry

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


def reading_graph(full: onnx.ModelProto) -> onnx.ModelProto:
    """The reading graph of a full graph (see the module's docstring)."""
    reader = prune(full, {"logprobs", "relevance"})
    g = reader.graph
    out = next(o for o in g.output if o.name == "embeddings")
    state = [o for o in g.output if o.name.startswith("present_")]
    E = out.type.tensor_type.shape.dim[2].dim_value
    for node in g.node:  # the embeddings become an inner tensor
        node.output[:] = ["pool/embeddings" if o == "embeddings" else o for o in node.output]
    T, S = "T", "S"
    g.input.extend([helper.make_tensor_value_info("segment_of", TensorProto.FLOAT, [1, T]),
                    helper.make_tensor_value_info("segment_slots", TensorProto.FLOAT, [S])])
    g.initializer.extend([numpy_helper.from_array(np.array([-1, E], dtype=np.int64), "pool/rows_shape"),
                          numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), "pool/column_shape"),
                          numpy_helper.from_array(np.array(0, dtype=np.int64), "pool/axis0"),
                          numpy_helper.from_array(np.array(0.0, dtype=np.float32), "pool/zero"),
                          numpy_helper.from_array(np.array(1.0, dtype=np.float32), "pool/one")])
    node = helper.make_node
    g.node.extend([
        node("Reshape", ["pool/embeddings", "pool/rows_shape"], ["pool/rows"]),           # [T, E]
        node("Reshape", ["segment_of", "pool/column_shape"], ["pool/segment"]),           # [T, 1]
        # 0, 1, ..., S-1 from the slots' shape: a count, as kernels/ssd.py counts
        node("Mul", ["segment_slots", "pool/zero"], ["pool/zeros"]),
        node("Add", ["pool/zeros", "pool/one"], ["pool/ones"]),
        node("CumSum", ["pool/ones", "pool/axis0"], ["pool/count"]),
        node("Sub", ["pool/count", "pool/one"], ["pool/slot"]),                           # [S]
        node("Equal", ["pool/segment", "pool/slot"], ["pool/is_in"]),                     # [T, S]
        node("Cast", ["pool/is_in"], ["pool/one_hot"], to=TensorProto.FLOAT),
        node("Gemm", ["pool/one_hot", "pool/rows"], ["passage_sums"], transA=1),          # [S, E]
    ])
    del g.output[:]
    g.output.extend([helper.make_tensor_value_info("passage_sums", TensorProto.FLOAT, [S, E]), *state])
    return reader


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


def split(model_dir: Path) -> dict:
    full_path = model_dir / FULL
    if (model_dir / READER).exists():
        # Made again from model.onnx, whose initializers already live in weights.bin.
        full = onnx.load(str(full_path), load_external_data=False)
    else:
        model = onnx.load(str(full_path))
        # onnx appends external data to an existing file: start from none.
        (model_dir / WEIGHTS).unlink(missing_ok=True)
        compact_names(model)
        onnx.save_model(model, str(full_path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=WEIGHTS, size_threshold=1024)
        # Loaded without the data, the initializers keep their references into weights.bin.
        full = onnx.load(str(full_path), load_external_data=False)
    reader = reading_graph(full)
    onnx.save(reader, str(model_dir / READER))
    onnx.checker.check_model(str(full_path))
    onnx.checker.check_model(str(model_dir / READER))

    manifest_path = model_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["reader_graph"] = READER
    names = [FULL, READER, WEIGHTS, manifest["tokenizer"]["file"]]
    manifest["files"] = {name: file_entry(model_dir / name) for name in names}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return {"full_nodes": len(full.graph.node), "reader_nodes": len(reader.graph.node),
            "reader_inputs": [i.name for i in reader.graph.input if not i.name.startswith("past_")],
            "reader_outputs": [o.name for o in reader.graph.output if not o.name.startswith("present_")],
            "files": manifest["files"]}


if __name__ == "__main__":
    print(json.dumps(split(Path(sys.argv[1])), indent=1))
