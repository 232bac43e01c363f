#!/usr/bin/env bash
# The device command for training Lectern's Mamba-2 (see TRAINING.md). Run from the repo root:
#   bash models/train/run_training.sh smoke   every step for a few iterations (+ the full tokenization)
#   bash models/train/run_training.sh full    tokenize (unless done), train Mamba-2, evaluate, ship,
#                                             then the Transformer baseline and its evaluation
#   bash models/train/run_training.sh baseline  tokenize (unless done), the Transformer baseline for T_BUDGET s and its
#                                             evaluation, beside the Mamba-2 snapshot taken at
#                                             SNAPSHOT_AT s (a back-to-back call after `full`)
# Inputs: the corpus files in $CORPUS (train-mix.txt.xz or its shards, valid.txt.xz, valid.langs.json), the
# tokenizer JSON. Work (data, checkpoints) in $WORK, kept between back-to-back calls; what comes
# home goes to $OUT as at most 8 files of < 16 MiB: results.tar.gz and 15 MiB parts of model.onnx
# and of the float16 weights (join with `cat`). The run stops itself at $BUDGET_S seconds.
set -uo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true
MODE=${1:-full}
OUT=${OUT:-/tmp/lectern-out}
WORK=${WORK:-/tmp/lectern-train}
CORPUS=${CORPUS:-.corpus-train}
TOKENIZER=${TOKENIZER:-$(ls models/train/tokenizer-*.json | head -n 1)}
MODEL_ID=${MODEL_ID:-lectern-mamba2-small}
MAMBA_SIZE=${MAMBA_SIZE:---d-model 384 --n-layer 6}
TRANSFORMER_SIZE=${TRANSFORMER_SIZE:---d-model 384 --n-layer 3}
COMPILE=${COMPILE:-}                 # "--compile" to compile the Mamba-2 blocks
TRAIN_ARGS=${TRAIN_ARGS:-}           # more train.py arguments (both models)
EVAL_ARGS=${EVAL_ARGS:-}             # more evaluate.py arguments
SHIP_ARGS=${SHIP_ARGS:-}             # more ship_trained.py arguments (--subchunks 64: the shipped graph's)
M_BUDGET=${M_BUDGET:-240}            # seconds of Mamba-2 training
T_BUDGET=${T_BUDGET:-110}            # seconds of Transformer training (at most)
SNAPSHOT_AT=${SNAPSHOT_AT:-$T_BUDGET}  # the Mamba-2 snapshot the Transformer is compared with
CORPUS_MORE=${CORPUS_MORE:-}         # a folder of further train-mix shards to append to the stream
BUDGET_S=${BUDGET_S:-540}
DEADLINE=$(( $(date +%s) + BUDGET_S ))
left() { echo $(( DEADLINE - $(date +%s) )); }
mkdir -p "$OUT" "$WORK/out"
echo "mode $MODE, tokenizer $TOKENIZER, mamba [$MAMBA_SIZE], transformer [$TRANSFORMER_SIZE], budget ${BUDGET_S}s"
python3 -c 'import torch, tokenizers; print("torch", torch.__version__, torch.cuda.get_device_name(0), "tokenizers", tokenizers.__version__)'

tokenize() {  # $1 = out dir, rest = extra args
  local dir=$1; shift
  [ -f "$dir/meta.json" ] && { echo "tokens already in $dir"; return 0; }
  python3 models/train/data.py --tokenizer "$TOKENIZER" --train "$CORPUS"/train-mix*.txt.xz \
    --valid "$CORPUS/valid.txt.xz" --out "$dir" "$@"
}

# shellcheck source=models/train/package.sh
source models/train/package.sh

if [ "$MODE" = smoke ]; then
  tokenize "$WORK/smoke-data" --max-train-docs 300
  tokenize "$WORK/data" > "$WORK/out/data.log" 2>&1 &
  tok_pid=$!
  # shellcheck disable=SC2086
  python3 models/train/smoke.py --data "$WORK/smoke-data" --tokenizer "$TOKENIZER" --work "$WORK/smoke" \
    --out "$WORK/out/smoke.json" --transformer-size "$TRANSFORMER_SIZE" $MAMBA_SIZE 2>&1 | tee "$WORK/out/smoke.log"
  wait "$tok_pid"; echo "full tokenization exit $?"; tail -n 40 "$WORK/out/data.log"
  package
  exit 0
fi

baseline() {  # $1 = seconds of Transformer training
  # shellcheck disable=SC2086
  python3 models/train/train.py --arch transformer --data "$WORK/data" --budget-s "$1" --ckpt "$WORK/transformer.pt" \
    --log "$WORK/transformer-train.csv" $TRANSFORMER_SIZE $TRAIN_ARGS 2>&1 | tee -a "$WORK/out/transformer-train.log" | tail -n 8
  # A run split over calls (--stop-after-s, --resume) is evaluated once, by the call that ends its schedule.
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(s["train_s"] < float(sys.argv[2]) - 1)' \
    "$WORK/transformer-summary.json" "$1" || { echo "schedule not finished: evaluation left to the next call"; package; return; }
  python3 models/train/evaluate.py --arch transformer --weights "$WORK/transformer-final.pt" --data "$WORK/data" \
    --out "$WORK/out/eval-transformer.json" $EVAL_ARGS 2>&1 | tail -c 1500
  for snap in "$WORK"/transformer-at*s.pt; do  # --snapshot-at: the validation curve
    [ -f "$snap" ] || continue
    python3 models/train/evaluate.py --arch transformer --weights "$snap" --data "$WORK/data" \
      --out "$WORK/out/eval-$(basename "$snap" .pt).json" $EVAL_ARGS 2>&1 | tail -c 300
  done
  snap=$(ls "$WORK"/mamba2-at*s.pt 2>/dev/null | head -n 1)
  [ -n "$snap" ] && python3 models/train/evaluate.py --arch mamba2 --weights "$snap" --data "$WORK/data" --no-heads \
    --out "$WORK/out/eval-mamba2-snapshot.json" $EVAL_ARGS 2>&1 | tail -c 1500
  package
}

if [ "$MODE" = baseline ]; then
  tokenize "$WORK/data" 2>&1 | tail -n 40   # a no-op when an earlier call of this session left it
  append_shards "$CORPUS_MORE"
  baseline "$T_BUDGET"
  echo "=== done, $(left)s to spare"
  exit 0
fi

tokenize "$WORK/data" 2>&1 | tail -n 40
append_shards "$CORPUS_MORE"
# shellcheck disable=SC2086
python3 models/train/train.py --arch mamba2 --data "$WORK/data" --budget-s "$M_BUDGET" --ckpt "$WORK/mamba2.pt" \
  --log "$WORK/mamba2-train.csv" --snapshot-at "$SNAPSHOT_AT" $MAMBA_SIZE $COMPILE $TRAIN_ARGS 2>&1 | tee "$WORK/out/mamba2-train.log"
python3 models/train/evaluate.py --arch mamba2 --weights "$WORK/mamba2-final.pt" --data "$WORK/data" \
  --out "$WORK/out/eval-mamba2.json" $EVAL_ARGS 2>&1 | tail -c 3000
python3 models/train/ship_trained.py --ckpt "$WORK/mamba2-final.pt" --tokenizer "$TOKENIZER" --id "$MODEL_ID" \
  --out "$WORK/ship/model" --work "$WORK/ship" $SHIP_ARGS 2>&1 | tee "$WORK/out/ship.log" | grep -v "^ *$" | tail -n 30
package
echo "=== $(left)s left for the Transformer baseline"
tb=$(( $(left) - 50 ))
[ "$tb" -gt "$T_BUDGET" ] && tb=$T_BUDGET
if [ "$tb" -ge 30 ]; then
  baseline "$tb"
else
  echo "no time left for the Transformer baseline"
fi
echo "=== done, $(left)s to spare"
