"""A short pass through every step of run_training.sh on the real configuration, a few steps each,
so that a long device run does not die on its last step; also measures what the plan needs
(eager vs compiled tokens/s, the compile time, evaluation and export times).

    python3 models/train/smoke.py --data DIR --tokenizer FILE --work DIR --out FILE [size args]
Each step runs even when an earlier one failed; the JSON says which passed and how long each took.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from evaluate import evaluate  # noqa: E402
from ship_trained import ship_trained  # noqa: E402
from train import lm_logits, parser, train, transformer_hidden  # noqa: E402


def transformer_forward_check(weights: Path) -> dict:
    """My training forward against transformer.py's cached forward: the last position's logits."""
    from evaluate import load_model
    model = load_model("transformer", weights, "cpu").double()
    ids = torch.randint(0, model.cfg.vocab_size, (2, 40))
    with torch.no_grad():
        mine = lm_logits(model, transformer_hidden(model, ids))[:, -1]
        past = [(k.double(), v.double()) for k, v in model.empty_cache(2)]
        theirs, _ = model(ids, past)
    return {"max_abs_diff": float((mine - theirs).abs().max())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--transformer-size", default="", help='e.g. "--d-model 384 --n-layer 3"')
    a, size = ap.parse_known_args()
    w = a.work
    w.mkdir(parents=True, exist_ok=True)
    report: dict = {}

    def step(name: str, fn) -> None:  # noqa: ANN001
        t0 = time.time()
        print(f"=== {name}", flush=True)
        try:
            report[name] = {"ok": True, "result": fn()}
        except Exception:  # noqa: BLE001 - every step is reported, none stops the others
            report[name] = {"ok": False, "error": traceback.format_exc()[-4000:]}
            print(report[name]["error"], flush=True)
        report[name]["seconds"] = round(time.time() - t0, 1)
        a.out.write_text(json.dumps(report, indent=1, default=str) + "\n")

    def run_train(arch: str, tag: str, steps: int, *extra: str) -> dict:
        args = ["--arch", arch, "--data", a.data, "--ckpt", str(w / f"{tag}.pt"), "--log", str(w / f"{tag}.csv"),
                "--budget-s", "120", "--max-steps", str(steps), "--log-every", "2", "--warmup-steps", "4",
                "--device", a.device, *size, *extra]
        if a.device != "cuda":
            args.append("--no-autocast")
        summary = train(parser().parse_args(args))
        rows = (w / f"{tag}.csv").read_text().splitlines()
        return {k: v for k, v in summary.items() if k != "args"} | {"log_tail": rows[-3:]}

    step("mamba2_eager", lambda: run_train("mamba2", "mamba2", 8))
    if not a.no_compile:
        step("mamba2_compiled", lambda: run_train("mamba2", "mamba2c", 12, "--compile"))
    step("transformer_eager", lambda: run_train("transformer", "transformer", 6, *a.transformer_size.split()))
    step("transformer_forward_check", lambda: transformer_forward_check(w / "transformer-final.pt"))
    step("eval_mamba2", lambda: evaluate("mamba2", w / "mamba2-final.pt", Path(a.data), True, 12, 1, a.device))
    step("eval_transformer", lambda: evaluate("transformer", w / "transformer-final.pt", Path(a.data), False, 12,
                                              1, a.device))
    step("ship", lambda: {k: v for k, v in ship_trained(w / "mamba2-final.pt", Path(a.tokenizer), "lectern-mamba2-smoke",
                                                        w / "ship" / "model", w / "ship", [64], 8).items()
                          if k in ("float16_storage", "ort_vs_torch", "subchunk_timing", "params", "exporter")})
    print(json.dumps(report, indent=1, default=str)[-6000:], flush=True)


if __name__ == "__main__":
    main()
