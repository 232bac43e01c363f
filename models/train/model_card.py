"""MODEL_CARD.md for an exported model, written from the measurements in results.json (and the
WebGPU check's webgpu.json and log, when they exist), so that every number in it was measured by
the run that made the files."""
from __future__ import annotations

import json
import re
from pathlib import Path

PLACED = re.compile(r"(Node\(s\)|All nodes) placed on \[(\w+)\]\. Number of nodes: (\d+)")
NODE = re.compile(r"VerifyEachNodeIsAssignedToAnEp\]\s{2,}(\S+) \((.*)\)")
# Ops that only ever touch the int64 inputs in the exported graph.
INT64_INPUT_OPS = {"Cast", "Unsqueeze", "Reshape"}
NOT_FOUND = re.compile(r"kernel not found in registries for Op type: (\w+) node name: (\S*)")


def parse_placement(log: str) -> dict:
    """Node placement of the WebGPU session, from onnxruntime's verbose log (the part between the
    check script's begin and end markers)."""
    if "=== begin webgpu session" in log:
        log = log.split("=== begin webgpu session", 1)[1].split("=== end webgpu session", 1)[0]
    eps: dict[str, dict] = {}
    current = None
    for line in log.splitlines():
        m = PLACED.search(line)
        if m:
            current = m.group(2)
            eps[current] = {"count": int(m.group(3)), "nodes": []}
            continue
        m = NODE.search(line)
        if m and current:
            eps[current]["nodes"].append(f"{m.group(1)} ({m.group(2)})")
    missing = sorted({f"{m.group(1)} ({m.group(2)})" for m in NOT_FOUND.finditer(log)})
    cpu = eps.get("CPUExecutionProvider", {"count": 0, "nodes": []})
    return {"found": bool(eps), "eps": {k: v["count"] for k, v in eps.items()},
            "cpu_nodes": cpu["nodes"], "cpu_count": cpu["count"], "kernel_not_found": missing}


def _table(rows: list[tuple], head: tuple) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _fmt(x: float) -> str:
    return f"{x:.2e}" if isinstance(x, float) else str(x)


def _webgpu_section(webgpu: dict | None) -> str:
    if webgpu is None:
        return "Not run: this export did not include the onnxruntime-node WebGPU check."
    parts = []
    if not webgpu.get("ok"):
        parts.append(f"The check did not complete: `{webgpu.get('error', 'unknown error')}`")
    place = webgpu.get("placement")
    if place and place["found"]:
        eps = ", ".join(f"{k}: {v} nodes" for k, v in place["eps"].items())
        parts.append(f"Node placement from onnxruntime's verbose log ({eps}).")
        if place["cpu_count"]:
            parts.append(f"Nodes on the CPU under `webgpu` ({place['cpu_count']}): "
                         + ", ".join(f"`{n}`" for n in place["cpu_nodes"]))
            if all(n.split(" ")[0] in INT64_INPUT_OPS for n in place["cpu_nodes"]):
                parts.append("The WebGPU provider registers no int64 kernels for these, so the ops that "
                             "take the graph's int64 inputs (valid_len cast to float: 1 element; "
                             "target_ids unsqueezed into GatherElements' indices: T elements) run on "
                             "the CPU; every float op runs on the GPU.")
        else:
            parts.append("No node falls back to the CPU.")
        if place["kernel_not_found"]:
            parts.append("WebGPU kernels missing for: "
                         + ", ".join(f"`{n}`" for n in place["kernel_not_found"]))
    elif webgpu.get("ok"):
        parts.append("The verbose log held no placement lines, so placement is unverified.")
    if webgpu.get("webgpu_vs_cpu"):
        diffs = ", ".join(f"{k} {_fmt(v)}" for k, v in webgpu["webgpu_vs_cpu"].items())
        parts.append(f"WebGPU against the CPU provider after two carried calls of "
                     f"{webgpu.get('T', '?')} tokens, max abs diff: {diffs}.")
    if webgpu.get("ms"):
        parts.append("Milliseconds per call, median of 3 (H200 through Vulkan; CPU = 16 cores; this "
                     "session logs verbosely, the variants below do not): "
                     + ", ".join(f"{k} {v}" for k, v in webgpu["ms"].items()) + ".")
    for name, ms in (webgpu.get("variants") or {}).items():
        parts.append(f"`{name}` under WebGPU, ms per call: " + ", ".join(f"{k} {v}" for k, v in ms.items()) + ".")
    return "\n\n".join(parts)


def write_card(out: Path, results: dict, webgpu: dict | None) -> None:
    cfg, m = results["config"], results["manifest"]
    ort = results["ort_vs_torch"]
    mod = results["module_checks"]
    graph = results["graph"]
    io_rows = [(v["name"], v["type"], "[" + ", ".join(str(d) for d in v["shape"]) + "]")
               for v in graph["inputs"] + graph["outputs"]]
    call_rows = [(name, *(_fmt(c.get(k, "")) for k in
                          ("logprobs", "embeddings", "relevance", "present_conv", "present_ssm")))
                 for name, c in ort["calls"].items() if "vs_unpadded_ssm" not in c
                 and name != "two_calls_vs_one_pass"]
    pad_rows = [(name.replace("padded_valid_len_", ""), _fmt(c["logprobs"]), _fmt(c["present_ssm"]),
                 _fmt(c["vs_unpadded_logprobs"]), _fmt(c["vs_unpadded_ssm"]), _fmt(c["vs_unpadded_conv"]))
                for name, c in ort["calls"].items() if "vs_unpadded_ssm" in c]
    two = ort["calls"]["two_calls_vs_one_pass"]
    timing_rows = [(L, t["ms_T1024_2_threads"], t["ms_T1024_all_threads"], t["nodes"],
                    _fmt(t["ort_vs_torch_worst"])) for L, t in results["subchunk_timing"].items()]
    trained = "trained" if results["trained"] else "**untrained: random weights (seed "
    trained += "" if results["trained"] else f"{results.get('seed', 0)})**. Its outputs carry no meaning; it exists so the engine can be built and measured"
    text = f"""# {results['id']}

Mamba-2 (SSD) language model for Lectern, {trained}.

- {results['params']:,} parameters; d_model {cfg['d_model']}, {cfg['n_layer']} layers, d_state {cfg['d_state']},
  headdim {cfg['headdim']} ({cfg['nheads']} heads), expand {cfg['expand']} (d_inner {cfg['d_inner']}), d_conv {cfg['d_conv']}
  (conv_dim {cfg['conv_dim']}), ngroups 1, tied embeddings, vocabulary {cfg['vocab_size']} (bytes + bos, eos, sep, pad).
- Heads: `logprobs` (log p(target_t | tokens ≤ t)), `embeddings` (a linear D→{cfg['embedding_dim']} per token),
  `relevance` (a linear D→1 per token).
- Sub-chunk length {m['subchunk']} (the SSD inside the graph is chunked: quadratic form inside a sub-chunk,
  the state carried between sub-chunks). T must be a multiple of it.
- Exported by `models/train/export.py` ({results['exporter']} exporter), opset {graph['opset']},
  {graph['nodes']} nodes, {graph['bytes']:,} bytes, float32.

## Graph I/O

{_table(io_rows, ("name", "type", "shape"))}

A declared dimension named after an operator (such as `Squeezelogprobs_dim_0`) is the batch, always 1.

State: zeros are the empty state. Positions ≥ `valid_len` are padding: dt is 0 there and the conv state
is taken at the last valid positions, so a padded call leaves the state where the real tokens leave it.

Operators: {", ".join(f"{k} {v}" for k, v in graph["ops"].items())}.
Banned operators found: {graph["banned_found"] or "none"}; non-finite constants: {graph["nonfinite_constants"]}.

## Equivalence: PyTorch against onnxruntime (CPU provider), T = {ort['T']}

Max abs diff per output (tolerance {ort['tolerance']:g}; {"PASS" if ort["pass"] else "FAIL"}, worst {_fmt(ort['worst'])}):

{_table(call_rows, ("call", "logprobs", "embeddings", "relevance", "present_conv", "present_ssm"))}

Two ONNX calls with the state carried against one PyTorch pass over both: logprobs {_fmt(two['logprobs'])},
present_ssm {_fmt(two['present_ssm'])}, present_conv {_fmt(two['present_conv'])}.

Padded calls (the first valid_len of {ort['T']} positions are real), from the carried state: ONNX against
PyTorch on the same padded input, and ONNX against PyTorch on the unpadded tokens alone:

{_table(pad_rows, ("valid_len", "logprobs", "present_ssm", "vs unpadded logprobs", "vs unpadded ssm", "vs unpadded conv"))}

Module self-checks in float64 ({"PASS" if mod["pass"] else "FAIL"}, worst {_fmt(mod['worst'])}): chunked scan against
the sequential reference {json.dumps(mod['chunked_vs_sequential'])}; one pass against two with the state carried
{json.dumps(mod['split_vs_one_pass'])}; padded against unpadded {json.dumps(mod['padded_vs_unpadded'])}.

## Sub-chunk length: onnxruntime CPU provider, one call of T = 1024 (milliseconds, median of 5)

{_table(timing_rows, ("subchunk", "2 threads", "all threads", "nodes", "ORT vs torch worst"))}

Measured on the GPU machine's CPU (16 cores); 2 threads stand in for a laptop. The manifest keeps the
faster on 2 threads. `call_tokens` {json.dumps(m['call_tokens'])} are first guesses for the engine to measure.

## WebGPU (onnxruntime-node, `executionProviders: ['webgpu']`)

{_webgpu_section(webgpu)}

## Reproduce

On the GPU machine (see `models/train/README.md`): `bash models/train/make_random_model.sh`.
"""
    (out / "MODEL_CARD.md").write_text(text)
