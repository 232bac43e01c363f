"""Re-exports a shipped model's two graphs from its float16 checkpoint with the current kernels,
keeping the model's weights.bin byte for byte.

    python3 models/train/regraph.py --ckpt <fp16 checkpoint> --model-dir models/<id> \
        --work /tmp/regraph [--carry-group 8]

Why: how the graph computes (kernels/ssd.py, the sub-chunk carry, the convolution) can improve
without retraining. The weights are the same numbers, so weights.bin keeps its hash and git does
not store 14 MB again; only model.onnx and reader.onnx (~0.2 MB each) change.

Steps: export (export.py's export_reader) -> float16 storage (ship_trained.store_float16) -> each
initializer whose bytes are found in weights.bin points there (the rest, < 1 KiB or of a new shape
such as the Conv kernel's [C, 1, K], stays inline) -> names compacted as reader_graph.py does ->
model.onnx, and reader.onnx (reader_graph.reading_graph: no vocabulary head, passage sums
inside) -> checks: onnxruntime (CPU) against PyTorch on
both files (checks.ort_vs_torch, tolerance 1e-4), skipped with a note where onnxruntime is not
installed -> manifest.json: files, call_multiple, and `call_tokens` multiples of it.
Writes WORK/regraph.json with what it measured.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import onnx
import torch
from onnx import TensorProto, numpy_helper

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from export import call_multiple, check_tokens, export_reader  # noqa: E402
from mamba2 import Mamba2LM  # noqa: E402
from reader_graph import FULL, READER, WEIGHTS, compact_names, entry, reading_graph  # noqa: E402
from ship_trained import load_rounded, store_float16  # noqa: E402


def weights_index(model_dir: Path) -> dict[tuple, list]:
    """(data type, dims, SHA-256 of the bytes) -> the external-data reference, for every
    initializer the current model.onnx keeps in weights.bin."""
    current = onnx.load(str(model_dir / FULL), load_external_data=False)
    data = (model_dir / WEIGHTS).read_bytes()
    index = {}
    for t in current.graph.initializer:
        if t.data_location != TensorProto.EXTERNAL:
            continue
        ref = {e.key: e.value for e in t.external_data}
        offset, length = int(ref.get("offset", 0)), int(ref["length"])
        key = (t.data_type, tuple(t.dims), hashlib.sha256(data[offset:offset + length]).hexdigest())
        index[key] = list(t.external_data)
    return index


def link_weights(model: onnx.ModelProto, index: dict[tuple, list]) -> dict:
    linked, inline_bytes = 0, 0
    for t in model.graph.initializer:
        raw = numpy_helper.to_array(t).tobytes()
        ref = index.get((t.data_type, tuple(t.dims), hashlib.sha256(raw).hexdigest()))
        if ref is None:
            inline_bytes += len(raw)
            continue
        t.ClearField("raw_data")
        for field in ("float_data", "int32_data", "int64_data", "double_data"):
            t.ClearField(field)
        t.data_location = TensorProto.EXTERNAL
        del t.external_data[:]
        t.external_data.extend(ref)
        linked += 1
    return {"linked": linked, "inline_bytes": inline_bytes}


def regraph(ckpt: Path, model_dir: Path, work: Path, carry_group: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    model = load_rounded(ckpt, carry_group)
    cfg = model.cfg
    fp32, f16 = work / "model_float32.onnx", work / "model_float16.onnx"
    result: dict = {"exporter": export_reader(model, fp32), "carry_group": carry_group,
                    "call_multiple": call_multiple(cfg)}
    result["float16_storage"] = store_float16(fp32, f16)
    full = onnx.load(str(f16))
    compact_names(full)
    result["weights"] = link_weights(full, weights_index(model_dir))
    if result["weights"]["inline_bytes"] > 256 * 1024:
        raise SystemExit(f"{result['weights']['inline_bytes']} bytes of weights are not in {WEIGHTS}: "
                         "not the checkpoint this model was shipped from?")
    onnx.save(full, str(model_dir / FULL))
    reader = reading_graph(full)
    onnx.save(reader, str(model_dir / READER))
    for name in (FULL, READER):
        onnx.checker.check_model(str(model_dir / name))
    result["nodes"] = {"full": len(full.graph.node), "reader": len(reader.graph.node)}

    if importlib.util.find_spec("onnxruntime") is not None:
        from checks import module_checks, ort_vs_torch
        result["module_checks"] = module_checks(model)
        result["ort_vs_torch"] = ort_vs_torch(model, model_dir / FULL, T=check_tokens(cfg))
        reader_check = ort_vs_torch_reader(model, model_dir / READER, check_tokens(cfg))
        result["reader_vs_torch_worst"] = reader_check
        print("ort vs torch worst:", result["ort_vs_torch"]["worst"], "reader:", reader_check, flush=True)
    else:
        result["ort_vs_torch"] = "not run: onnxruntime is not installed here"

    manifest_path = model_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    multiple = call_multiple(cfg)
    if multiple > cfg.subchunk:
        manifest["call_multiple"] = multiple
    else:
        manifest.pop("call_multiple", None)
    manifest["call_tokens"] = {ep: -(-t // multiple) * multiple for ep, t in manifest["call_tokens"].items()}
    names = [FULL, READER, WEIGHTS, manifest["tokenizer"]["file"]]
    manifest["files"] = {name: entry(model_dir / name) for name in names}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    result["manifest"] = {k: manifest[k] for k in ("call_tokens", "files") if k in manifest}
    (work / "regraph.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


@torch.no_grad()
def ort_vs_torch_reader(model: Mamba2LM, path: Path, T: int) -> float:
    """The reading graph against PyTorch: one padded call of T tokens from a non-zero state, its
    passage sums (three segments and a gap, summed from PyTorch's embeddings) and its state;
    worst absolute difference."""
    import numpy as np
    import onnxruntime as ort

    g = torch.Generator().manual_seed(13)
    ids = torch.randint(0, model.cfg.vocab_size, (1, 2 * T), generator=g)
    _, state = model(ids[:, :T])
    valid = T - 37
    chunk = ids[:, T:].clone()
    chunk[:, valid:] = model.cfg.specials["pad"]
    _, embeddings, _, new = model.step(chunk, chunk, torch.tensor([valid]), state)
    segment_of = np.full((1, T), -1.0, dtype=np.float32)
    cuts = [0, 5, T // 3, T // 2, valid]          # segments [0, 5), [5, T/3), [T/2, valid); a gap
    for k, (a, b) in enumerate([(cuts[0], cuts[1]), (cuts[1], cuts[2]), (cuts[3], cuts[4])]):
        segment_of[0, a:b] = k
    expected = np.stack([embeddings[0, a:b].sum(0).numpy() for a, b in
                         [(cuts[0], cuts[1]), (cuts[1], cuts[2]), (cuts[3], cuts[4])]])
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    valid_type = np.float32 if {i.name: i.type for i in session.get_inputs()}["valid_len"] == "tensor(float)" else np.int64
    feeds = {"input_ids": chunk.numpy(), "valid_len": np.array([valid], dtype=valid_type),
             "segment_of": segment_of, "segment_slots": np.zeros(4, dtype=np.float32)}
    for i, (conv, ssm) in enumerate(state):
        feeds[f"past_conv.{i}"], feeds[f"past_ssm.{i}"] = conv.numpy(), ssm.numpy()
    out = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
    sums = out["passage_sums"]
    # a sum of up to T/3 values: its own tolerance, relative to the sums' size
    worst = float(np.abs(sums[:3] - expected).max() / max(1.0, np.abs(expected).max()))
    worst = max(worst, float(np.abs(sums[3]).max()))  # the unused slot sums nothing
    for i, (conv, ssm) in enumerate(new):
        worst = max(worst, float(np.abs(out[f"present_conv.{i}"] - conv.numpy()).max()),
                    float(np.abs(out[f"present_ssm.{i}"] - ssm.numpy()).max()))
    return worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--carry-group", type=int, default=8)
    a = ap.parse_args()
    print(json.dumps(regraph(a.ckpt, a.model_dir, a.work, a.carry_group), indent=1), flush=True)


if __name__ == "__main__":
    main()
