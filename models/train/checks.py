"""Checks that an exported graph means what the PyTorch module means.

  - audit_graph: the operators (none of those WebGPU lacks), no infinite constants, the I/O.
  - module_checks: in float64, the module's chunked scan against its sequential reference, one
    pass against a pass split in two with the state carried, and a padded call against the
    unpadded tokens.
  - ort_vs_torch: onnxruntime (CPU) against PyTorch on random tokens: a fresh call, a call with
    the state carried from it, and padded calls (valid_len 219, 2 and 0 of 256).
  - time_cpu: milliseconds per call on onnxruntime's CPU provider.
Each returns plain numbers for results.json and the model card.
"""
from __future__ import annotations

import copy
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from mamba2 import Mamba2LM, State
from transformer import TransformerGraph, TransformerLM, graph_names

if TYPE_CHECKING:
    import onnxruntime as ort


def _ort():  # noqa: ANN202 - the module; imported where a check runs, so exporting needs no onnxruntime
    import onnxruntime
    return onnxruntime

# Operators the WebGPU provider lacks or that the architecture rules out (docs/ARCHITECTURE.md §2).
BANNED_OPS = {"Softplus", "Trilu", "Loop", "Scan", "Max", "Min", "Einsum", "If", "SequenceConstruct"}
TOLERANCE = 1e-4


def audit_graph(path: Path) -> dict:
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    ops = Counter(n.op_type for n in model.graph.node)
    nonfinite = 0
    tensors = [numpy_helper.to_array(t) for t in model.graph.initializer]
    for node in model.graph.node:
        if node.op_type == "Constant":
            tensors += [numpy_helper.to_array(a.t) for a in node.attribute if a.name == "value"]
    for arr in tensors:
        if arr.dtype.kind == "f":
            nonfinite += int((~np.isfinite(arr)).sum())

    def io(values: list) -> list[dict]:
        out = []
        for v in values:
            dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            out.append({"name": v.name, "type": onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type).lower(),
                        "shape": dims})
        return out

    return {"opset": max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
            "nodes": sum(ops.values()), "ops": dict(sorted(ops.items())),
            "banned_found": sorted(set(ops) & BANNED_OPS), "nonfinite_constants": nonfinite,
            "inputs": io(model.graph.input), "outputs": io(model.graph.output),
            "bytes": path.stat().st_size}


def _max(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> float:
    a = a.detach().cpu().double().numpy() if isinstance(a, torch.Tensor) else np.asarray(a, np.float64)
    b = b.detach().cpu().double().numpy() if isinstance(b, torch.Tensor) else np.asarray(b, np.float64)
    return float(np.abs(a - b).max()) if a.size else 0.0


def _state_diff(s1: State, s2: State) -> tuple[float, float]:
    return (max(_max(a[0], b[0]) for a, b in zip(s1, s2)),
            max(_max(a[1], b[1]) for a, b in zip(s1, s2)))


@torch.no_grad()
def module_checks(model: Mamba2LM, seed: int = 7) -> dict:
    m = copy.deepcopy(model).double().eval()
    cfg = m.cfg
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, cfg.vocab_size, (1, 300), generator=g)
    warm = m(ids[:, :50])[1]  # a realistic, non-zero starting state
    out: dict = {"dtype": "float64"}

    h_chunk, s_chunk = m(ids[:, 50:150], warm)
    m.set_sequential(True)
    h_seq, s_seq = m(ids[:, 50:150], warm)
    m.set_sequential(False)
    out["chunked_vs_sequential"] = {"hidden": _max(h_chunk, h_seq),
                                    "conv_state": _state_diff(s_chunk, s_seq)[0],
                                    "ssm_state": _state_diff(s_chunk, s_seq)[1]}

    h_one, s_one = m(ids, warm)
    h_a, s_a = m(ids[:, :123], warm)
    h_b, s_b = m(ids[:, 123:], s_a)
    out["split_vs_one_pass"] = {"hidden": _max(h_one, torch.cat([h_a, h_b], 1)),
                                "conv_state": _state_diff(s_one, s_b)[0],
                                "ssm_state": _state_diff(s_one, s_b)[1]}

    T, v = 2 * cfg.subchunk, 77
    padded = ids[:, :T].clone()
    padded[:, v:] = cfg.specials["pad"]
    h_pad, s_pad = m(padded, warm, torch.tensor([v]))
    h_ref, s_ref = m(ids[:, :v], warm)
    out["padded_vs_unpadded"] = {"valid_len": v, "T": T, "hidden": _max(h_pad[:, :v], h_ref),
                                 "conv_state": _state_diff(s_pad, s_ref)[0],
                                 "ssm_state": _state_diff(s_pad, s_ref)[1]}
    worst = max(x for part in out.values() if isinstance(part, dict)
                for k, x in part.items() if k not in ("valid_len", "T"))
    out["worst"] = worst
    out["pass"] = worst < 1e-9
    return out


def _feeds(ids: torch.Tensor, targets: torch.Tensor, valid_len: int, state: State,
           session: ort.InferenceSession | None = None) -> dict:
    """The graph's inputs, in the types the graph declares (int32 targets and float32 valid_len
    since the 2026-11-29 v2 work's exports; int64 before)."""
    types = {i.name: i.type for i in session.get_inputs()} if session is not None else {}
    target_type = np.int32 if types.get("target_ids") == "tensor(int32)" else np.int64
    valid_type = np.float32 if types.get("valid_len") == "tensor(float)" else np.int64
    feeds = {"input_ids": ids.numpy(), "target_ids": targets.numpy().astype(target_type),
             "valid_len": np.array([valid_len], dtype=valid_type)}
    for i, (conv, ssm) in enumerate(state):
        feeds[f"past_conv.{i}"] = conv.numpy().astype(np.float32)
        feeds[f"past_ssm.{i}"] = ssm.numpy().astype(np.float32)
    return feeds


def _ort_call(session: ort.InferenceSession, feeds: dict) -> dict:
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


@torch.no_grad()
def _torch_call(model: Mamba2LM, ids: torch.Tensor, targets: torch.Tensor, valid_len: int,
                state: State) -> dict:
    logprobs, embeddings, relevance, new = model.step(ids, targets, torch.tensor([valid_len]), state)
    out = {"logprobs": logprobs, "embeddings": embeddings, "relevance": relevance}
    for i, (conv, ssm) in enumerate(new):
        out[f"present_conv.{i}"], out[f"present_ssm.{i}"] = conv, ssm
    return {k: v.numpy() for k, v in out.items()}


def _state_from(outputs: dict, n_layer: int) -> State:
    return [(torch.from_numpy(np.array(outputs[f"present_conv.{i}"])),
             torch.from_numpy(np.array(outputs[f"present_ssm.{i}"]))) for i in range(n_layer)]


def _compare(a: dict, b: dict, valid: int | None = None) -> dict:
    groups: dict[str, float] = {}
    for name in a:
        key = name.split(".")[0]
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if valid is not None and key in ("logprobs", "embeddings", "relevance"):
            x, y = x[:, :valid], y[:, :valid]
        groups[key] = max(groups.get(key, 0.0), _max(x, y))
    return groups


@torch.no_grad()
def ort_vs_torch(model: Mamba2LM, path: Path, T: int = 256, seed: int = 11) -> dict:
    model = model.float().eval()
    cfg = model.cfg
    session = _ort().InferenceSession(str(path), providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, 256, (1, 3 * T), generator=g)
    targets = torch.cat([ids[:, 1:], torch.full((1, 1), cfg.specials["pad"])], 1)
    calls: dict = {}

    zero = model.empty_state()
    t1, o1 = (_torch_call(model, ids[:, :T], targets[:, :T], T, zero),
              _ort_call(session, _feeds(ids[:, :T], targets[:, :T], T, zero, session)))
    calls["fresh"] = _compare(t1, o1)
    # Each side carries its own state into the second call.
    s_t, s_o = _state_from(t1, cfg.n_layer), _state_from(o1, cfg.n_layer)
    t2 = _torch_call(model, ids[:, T:2 * T], targets[:, T:2 * T], T, s_t)
    o2 = _ort_call(session, _feeds(ids[:, T:2 * T], targets[:, T:2 * T], T, s_o, session))
    calls["carried"] = _compare(t2, o2)
    # ... and the two calls equal one pass over both.
    hidden, state = model(ids[:, :2 * T])
    lp_one = model.heads(hidden, targets[:, :2 * T])[0]
    calls["two_calls_vs_one_pass"] = {
        "logprobs": _max(lp_one, np.concatenate([o1["logprobs"], o2["logprobs"]], 1)),
        "present_ssm": max(_max(state[i][1], o2[f"present_ssm.{i}"]) for i in range(cfg.n_layer)),
        "present_conv": max(_max(state[i][0], o2[f"present_conv.{i}"]) for i in range(cfg.n_layer))}

    for v in (T - 37, 2, 0):
        chunk, tgt = ids[:, 2 * T:].clone(), targets[:, 2 * T:].clone()
        chunk[:, v:], tgt[:, v:] = cfg.specials["pad"], cfg.specials["pad"]
        tp = _torch_call(model, chunk, tgt, v, s_t)
        op = _ort_call(session, _feeds(chunk, tgt, v, s_t, session))
        entry = _compare(tp, op, valid=v)
        # The padded call must leave the state where the unpadded tokens alone leave it.
        if v > 0:
            h_ref, s_ref = model(chunk[:, :v], s_t)
            lp_ref = model.heads(h_ref, tgt[:, :v])[0]
        else:
            s_ref, lp_ref = s_t, torch.zeros(1, 0)
        entry["vs_unpadded_logprobs"] = _max(lp_ref, op["logprobs"][:, :v])
        entry["vs_unpadded_ssm"] = max(_max(s_ref[i][1], op[f"present_ssm.{i}"]) for i in range(cfg.n_layer))
        entry["vs_unpadded_conv"] = max(_max(s_ref[i][0], op[f"present_conv.{i}"]) for i in range(cfg.n_layer))
        calls[f"padded_valid_len_{v}"] = entry

    worst = max(x for c in calls.values() for x in c.values())
    return {"T": T, "tolerance": TOLERANCE, "calls": calls, "worst": worst, "pass": worst < TOLERANCE}


def time_cpu(path: Path, model: Mamba2LM, T: int, threads: int, runs: int = 5) -> float:
    """Median milliseconds for one call of T tokens (threads 0 = onnxruntime's default)."""
    opts = _ort().SessionOptions()
    opts.intra_op_num_threads = threads
    session = _ort().InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    ids = torch.randint(0, 256, (1, T))
    feeds = _feeds(ids, ids, T, model.empty_state(), session)
    for _ in range(2):
        session.run(None, feeds)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


@torch.no_grad()
def transformer_checks(model: TransformerLM, path: Path, seed: int = 5) -> dict:
    cfg = model.cfg
    session = _ort().InferenceSession(str(path), providers=["CPUExecutionProvider"])
    inputs, outputs = graph_names(cfg.n_layer)
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, 256, (1, 96), generator=g)
    graph = TransformerGraph(model)

    def ort_run(x: torch.Tensor, past: list[np.ndarray]) -> list[np.ndarray]:
        return session.run(outputs, dict(zip(inputs, [x.numpy(), *past])))

    empty = [t.numpy() for kv in model.empty_cache() for t in kv]
    o1 = ort_run(ids[:, :64], empty)
    t1 = graph(ids[:, :64], *[torch.from_numpy(a) for a in empty])
    o2 = ort_run(ids[:, 64:], o1[1:])
    t2 = graph(ids[:, 64:], *t1[1:])
    one = graph(ids, *[torch.from_numpy(a) for a in empty])
    res = {"fresh_logits": _max(t1[0], o1[0]),
           "fresh_cache": max(_max(a, b) for a, b in zip(t1[1:], o1[1:])),
           "carried_logits": _max(t2[0], o2[0]),
           "carried_cache": max(_max(a, b) for a, b in zip(t2[1:], o2[1:])),
           "two_calls_vs_one_pass_logits": _max(one[0], o2[0]),
           "two_calls_vs_one_pass_cache": max(_max(a, b) for a, b in zip(one[1:], o2[1:]))}
    res["pass"] = max(v for v in res.values()) < TOLERANCE
    return res
