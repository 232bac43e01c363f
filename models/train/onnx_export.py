"""One way to write an ONNX file from a module, shared by the Mamba-2 and Transformer exports.

The TorchScript exporter is tried first: its graphs are plain and predictable, and it takes the
dynamic axes by name. If this torch no longer has it (or it fails), the dynamo exporter runs with
the equivalent dynamic shapes, and the axes are renamed afterwards so the names stay those of the
contract."""
from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from pathlib import Path

import onnx
import torch
from torch import nn


def _rename_axes(path: Path, dynamic_axes: dict[str, dict[int, str]]) -> None:
    model = onnx.load(str(path))
    for value in list(model.graph.input) + list(model.graph.output):
        for axis, name in dynamic_axes.get(value.name, {}).items():
            dim = value.type.tensor_type.shape.dim[axis]
            dim.Clear()
            dim.dim_param = name
    onnx.save(model, str(path))


def export_onnx(module: nn.Module, args: tuple, path: Path, inputs: list[str], outputs: list[str],
                dynamic_axes: dict[str, dict[int, str]], dynamic_shapes: Callable[[], tuple],
                opset: int) -> str:
    """Writes path; returns the exporter that made it ("torchscript" or "dynamo").
    dynamic_shapes makes the dynamo exporter's shapes; it is only called if that exporter runs."""
    module = module.eval()
    # torch before 2.5 has no `dynamo` argument and only the TorchScript exporter.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    try:
        with torch.no_grad():
            torch.onnx.export(module, args, str(path), input_names=inputs, output_names=outputs,
                              dynamic_axes=dynamic_axes, opset_version=opset,
                              do_constant_folding=True, **legacy)
        exporter = "torchscript"
    except Exception:  # noqa: BLE001 - say why, then try the other exporter
        traceback.print_exc()
        print(f"export {path.name}: the TorchScript exporter failed; trying dynamo", flush=True)
        with torch.no_grad():
            program = torch.onnx.export(module, args, input_names=inputs, output_names=outputs,
                                        dynamic_shapes=dynamic_shapes(), opset_version=max(opset, 18),
                                        dynamo=True)
        program.save(str(path))
        exporter = "dynamo"
    _rename_axes(path, dynamic_axes)
    return exporter
