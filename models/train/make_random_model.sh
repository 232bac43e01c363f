#!/usr/bin/env bash
# Regenerates what models/train ships, on the GPU machine (torch, onnx, onnxruntime there; Node
# and onnxruntime-node carried in $DEVICE_PACK, see README.md): the SSD test vectors and their
# pytest, the random Mamba-2 model directory, the Transformer baseline, and the WebGPU placement
# check. Each step runs even if an earlier one failed; the exit status says whether all passed.
# Results land in $OUT: model/ (the model directory), baselines/, ssd_cases.json.
set -o pipefail
export PYTHONUNBUFFERED=1
OUT=${OUT:-/tmp/lectern-out}
WORK=${WORK:-/tmp/lectern-work}
PACK=${DEVICE_PACK:-.device-ort}
mkdir -p "$OUT/model" "$OUT/baselines" "$WORK"
failed=0
step() {
  local name=$1; shift
  echo "=== step $name"
  if "$@"; then echo "=== ok $name"; else echo "=== FAILED $name"; failed=1; fi
}
python3 -c 'import torch, onnx, onnxruntime; print("torch", torch.__version__, "onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)'
step vectors python3 kernels/vectors/make_vectors.py kernels/vectors/ssd_cases.json
step pytest python3 -m pytest -q -p no:cacheprovider kernels/test_ssd.py
step mamba python3 models/train/export.py random --out "$WORK/model" --work "$WORK"
step transformer python3 models/train/export.py transformer --out "$WORK/baselines" --work "$WORK"
if [ -f "$WORK/model/model.onnx" ] && [ -f "$PACK/remote.sh" ]; then
  webgpu() {
    # shellcheck disable=SC1090,SC1091
    DEVICE_PACK=$PACK source "$PACK/remote.sh" >/dev/null &&
      node models/train/webgpu_check.mjs "$WORK/model/model.onnx" "$WORK/webgpu.json" "$WORK"/model_L*.onnx \
        >"$WORK/webgpu_log.txt" 2>&1
    local rc=$?
    grep -E "placed on|kernel not found|=== |rror" "$WORK/webgpu_log.txt" | head -n 40
    return $rc
  }
  step webgpu webgpu
fi
[ -f "$WORK/results.json" ] && step card python3 models/train/export.py card --out "$WORK/model" --work "$WORK"
cp kernels/vectors/ssd_cases.json "$OUT/" 2>/dev/null
cp "$WORK"/model/{model.onnx,tokenizer.json,manifest.json,MODEL_CARD.md} "$OUT/model/" 2>/dev/null
cp "$WORK"/baselines/transformer-random.{onnx,json} "$OUT/baselines/" 2>/dev/null
[ -f "$WORK/results.json" ] && cat "$WORK/results.json"
ls -la "$OUT" "$OUT"/*
exit $failed
