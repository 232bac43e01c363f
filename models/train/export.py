"""Exports Lectern's Mamba-2 to ONNX with the graph contract of docs/ARCHITECTURE.md §2 and writes
the model directory (model.onnx, tokenizer.json, manifest.json, MODEL_CARD.md); also exports the
Transformer baseline. Runs on the GPU machine (torch, onnx, onnxruntime); see README.md.

  export.py random      --out DIR --work DIR   the seeded, untrained model (measures both sub-chunk
                                               lengths on the CPU provider and keeps the faster)
  export.py checkpoint  --ckpt FILE --id ID --out DIR --work DIR [--subchunk L]
                                               a trained model: torch.save({"config": {...},
                                               "model": state_dict}) from mamba2.Mamba2LM
  export.py transformer --out DIR --work DIR   models/baselines/transformer-random.{onnx,json}
  export.py card        --out DIR --work DIR   re-writes MODEL_CARD.md from WORK/results.json and,
                                               when present, WORK/webgpu.json + WORK/webgpu_log.txt
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from pathlib import Path

import torch
from torch import Tensor, nn

from checks import audit_graph, module_checks, ort_vs_torch, time_cpu, transformer_checks
from mamba2 import Mamba2Config, Mamba2LM, build_model
from manifest_files import file_entry
from model_card import parse_placement, write_card
from onnx_export import export_onnx
from transformer import TransformerConfig, build_transformer, export_transformer

OPSET = 17
CALL_TOKENS = {"cpu": 1024, "webgpu": 4096}  # first guesses; the engine measures the real ones
PER_TOKEN_OUTPUTS = ("logprobs", "embeddings", "relevance")


def contract_names(n_layer: int) -> tuple[list[str], list[str]]:
    inputs = ["input_ids", "target_ids", "valid_len"]
    outputs = list(PER_TOKEN_OUTPUTS)
    for i in range(n_layer):
        inputs += [f"past_conv.{i}", f"past_ssm.{i}"]
        outputs += [f"present_conv.{i}", f"present_ssm.{i}"]
    return inputs, outputs


class ReaderGraph(nn.Module):
    """The exported signature: flat tensors in the contract's order."""

    def __init__(self, model: Mamba2LM) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, target_ids: Tensor, valid_len: Tensor,
                *past: Tensor) -> tuple[Tensor, ...]:
        n = self.model.cfg.n_layer
        state = [(past[2 * i], past[2 * i + 1]) for i in range(n)]
        logprobs, embeddings, relevance, new = self.model.step(input_ids, target_ids, valid_len, state)
        return (logprobs, embeddings, relevance, *[t for pair in new for t in pair])


def export_reader(model: Mamba2LM, path: Path) -> str:
    """Writes the graph with T symbolic; returns which exporter made it."""
    cfg = model.cfg
    model = model.float().eval()
    inputs, outputs = contract_names(cfg.n_layer)
    # T is traced as a whole number of carry groups: the graph takes calls of call_multiple(cfg).
    T = 2 * call_multiple(cfg)
    ids = torch.randint(0, 256, (1, T))
    # target_ids int32 and valid_len float32: WebGPU has no int64 kernels (see Mamba2LM.step).
    args = (ids, ids.to(torch.int32), torch.tensor([float(T - 5)]),
            *[t for pair in model.empty_state() for t in pair])
    axes = {n: {1: "T"} for n in ("input_ids", "target_ids", *PER_TOKEN_OUTPUTS)}

    def shapes() -> tuple:
        tokens = {1: call_multiple(cfg) * torch.export.Dim("calls", min=1, max=4096)}
        return (tokens, tokens, None, *[None] * (2 * cfg.n_layer))

    return export_onnx(ReaderGraph(model), args, path, inputs, outputs, axes, shapes, OPSET)


def check_tokens(cfg: Mamba2Config) -> int:
    """Tokens per call in the ONNX-against-PyTorch checks: 256, or one whole call multiple."""
    return max(256, call_multiple(cfg))


def call_multiple(cfg: Mamba2Config) -> int:
    """Tokens a call of the exported graph must be a multiple of (manifest `call_multiple`)."""
    return cfg.subchunk * cfg.carry_group


def write_tokenizer(out: Path, cfg: Mamba2Config) -> None:
    spec = {"type": "bytes", "vocab_size": cfg.vocab_size, "specials": cfg.specials,
            "note": "ids 0-255 are the UTF-8 bytes; the specials follow them"}
    (out / "tokenizer.json").write_text(json.dumps(spec, indent=2) + "\n")


def write_manifest(out: Path, cfg: Mamba2Config, model_id: str, trained: bool, opset: int) -> dict:
    manifest = {
        "id": model_id, "architecture": "mamba2", "trained": trained,
        "d_model": cfg.d_model, "n_layer": cfg.n_layer, "d_state": cfg.d_state,
        "headdim": cfg.headdim, "nheads": cfg.nheads, "expand": cfg.expand,
        "d_inner": cfg.d_inner, "d_conv": cfg.d_conv, "conv_dim": cfg.conv_dim,
        "ngroups": cfg.ngroups, "vocab_size": cfg.vocab_size, "embedding_dim": cfg.embedding_dim,
        "subchunk": cfg.subchunk, "call_tokens": dict(CALL_TOKENS), "specials": dict(cfg.specials),
        "tokenizer": {"type": "bytes", "file": "tokenizer.json"},
        "files": {name: file_entry(out / name) for name in ("model.onnx", "tokenizer.json")},
        "opset": opset,
    }
    if cfg.carry_group > 1:
        manifest["call_multiple"] = call_multiple(cfg)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _save_results(work: Path, results: dict) -> None:
    (work / "results.json").write_text(json.dumps(results, indent=2) + "\n")


def ship(model: Mamba2LM, model_id: str, trained: bool, out: Path, work: Path,
         subchunks: list[int], results: dict) -> dict:
    """Exports, checks and writes the model directory; with several sub-chunk lengths, keeps
    the one fastest at cpu call_tokens on two CPU threads (a laptop's share)."""
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    cfg = model.cfg
    results.update(id=model_id, trained=trained, config=cfg.to_dict(),
                   params=sum(p.numel() for p in model.parameters()))
    results["module_checks"] = module_checks(model)
    print("module checks:", json.dumps(results["module_checks"]), flush=True)
    timing = {}
    for L in subchunks:
        model.set_subchunk(L)
        path = work / f"model_L{L}.onnx"
        exporter = export_reader(model, path)
        audit = audit_graph(path)
        timing[str(L)] = {"exporter": exporter, "nodes": audit["nodes"], "bytes": audit["bytes"],
                          "ms_T1024_2_threads": time_cpu(path, model, 1024, 2),
                          "ms_T1024_all_threads": time_cpu(path, model, 1024, 0)}
        timing[str(L)]["ort_vs_torch_worst"] = ort_vs_torch(model, path, T=check_tokens(cfg))["worst"]
        print(f"subchunk {L}:", json.dumps(timing[str(L)]), flush=True)
    results["subchunk_timing"] = timing
    best = min(subchunks, key=lambda L: timing[str(L)]["ms_T1024_2_threads"])
    model.set_subchunk(best)
    shutil.copyfile(work / f"model_L{best}.onnx", out / "model.onnx")
    results["exporter"] = timing[str(best)]["exporter"]
    results["graph"] = audit_graph(out / "model.onnx")
    results["ort_vs_torch"] = ort_vs_torch(model, out / "model.onnx", T=check_tokens(cfg))
    print("ort vs torch:", json.dumps(results["ort_vs_torch"]), flush=True)
    write_tokenizer(out, cfg)
    results["manifest"] = write_manifest(out, cfg, model_id, trained, results["graph"]["opset"])
    _save_results(work, results)
    write_card(out, results, None)
    return results


def cmd_random(a: argparse.Namespace) -> None:
    model = build_model(Mamba2Config(), seed=a.seed)
    ship(model, "lectern-mamba2-random", False, Path(a.out), Path(a.work), [64, 128],
         {"seed": a.seed})


def cmd_checkpoint(a: argparse.Namespace) -> None:
    blob = torch.load(a.ckpt, map_location="cpu")
    known = {f.name for f in dataclasses.fields(Mamba2Config)}
    cfg = Mamba2Config(**{k: v for k, v in blob["config"].items() if k in known})
    model = Mamba2LM(cfg)
    model.load_state_dict(blob["model"])
    subchunks = [a.subchunk] if a.subchunk else [64, 128]
    ship(model, a.id, True, Path(a.out), Path(a.work), subchunks, {"checkpoint": str(a.ckpt)})


def cmd_transformer(a: argparse.Namespace) -> None:
    out, work = Path(a.out), Path(a.work)
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    cfg = TransformerConfig()
    model = build_transformer(cfg, seed=a.seed)
    path = out / "transformer-random.onnx"
    export_transformer(model, path, OPSET)
    audit = audit_graph(path)
    checks = transformer_checks(model, path)
    print("transformer:", json.dumps(checks), flush=True)
    desc = {"id": "transformer-random", "architecture": "transformer", "trained": False,
            "seed": a.seed, "config": cfg.to_dict(),
            "params": sum(p.numel() for p in model.parameters()),
            "positions": "rotary, continuing from the cache length S",
            "inputs": audit["inputs"], "outputs": audit["outputs"], "opset": audit["opset"],
            "ops": audit["ops"], "banned_found": audit["banned_found"],
            "ort_vs_torch": checks, "files": {path.name: file_entry(path)},
            "purpose": "engine benchmark baseline (Transformer with a KV cache versus Mamba-2)"}
    (out / "transformer-random.json").write_text(json.dumps(desc, indent=2) + "\n")


def cmd_card(a: argparse.Namespace) -> None:
    out, work = Path(a.out), Path(a.work)
    results = json.loads((work / "results.json").read_text())
    webgpu = None
    if (work / "webgpu.json").exists():
        webgpu = json.loads((work / "webgpu.json").read_text())
        log = work / "webgpu_log.txt"
        webgpu["placement"] = parse_placement(log.read_text(errors="replace")) if log.exists() else None
        results["webgpu"] = webgpu
        _save_results(work, results)
        print("webgpu:", json.dumps(webgpu["placement"]), flush=True)
    write_card(out, results, webgpu)


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name, fn in (("random", cmd_random), ("checkpoint", cmd_checkpoint),
                     ("transformer", cmd_transformer), ("card", cmd_card)):
        s = sub.add_parser(name)
        s.set_defaults(fn=fn)
        s.add_argument("--out", required=True)
        s.add_argument("--work", required=True)
        s.add_argument("--seed", type=int, default=0)
        if name == "checkpoint":
            s.add_argument("--ckpt", required=True)
            s.add_argument("--id", required=True)
            s.add_argument("--subchunk", type=int, default=0)
    a = p.parse_args(argv)
    a.fn(a)


if __name__ == "__main__":
    main(sys.argv[1:])
