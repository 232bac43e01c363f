#!/usr/bin/env bash
# Train over the whole corpus mix with one schedule in back-to-back device calls (first, any middle
# ones, second): continuing a shipped model (INIT) or, without INIT, from scratch. Several calls
# because a call runs at most 10 minutes, and because the mix may arrive in two parts (a call
# carries at most 64 MiB; TRAINING.md):
#   bash models/train/run_continue.sh first    tokenize $FIRST (shards + valid), train until
#                                              about $FIRST_S s into the call, bring the weights home
#   bash models/train/run_continue.sh middle   append $SECOND's shards if it is set, resume until
#                                              about $MIDDLE_S s into the call, bring the weights
#                                              home (for a schedule longer than two calls hold)
#   bash models/train/run_continue.sh second   append $SECOND's shards (unless a middle call did),
#                                              resume to the end of the schedule ($BUDGET_S in
#                                              all), evaluate, ship, pack
# Each later call must start while the machine still holds /tmp (30 s); if it does not, start a
# new run from the float16 weights the previous call brought home.
# Inputs: FIRST (folder: train-mix-0N.txt.xz shards, valid.txt.xz, valid.langs.json, the weights
# named by INIT if any), SECOND (folder of further shards, if any), TOKENIZER, MODEL_ID, TRAIN_ARGS
# (sizes, window, batch, learning rate: the same in both calls).
set -uo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true
MODE=${1:?first, middle or second}
START=$(date +%s)
OUT=${OUT:-/tmp/lectern-out}
WORK=${WORK:-/tmp/lectern-train}
TOKENIZER=${TOKENIZER:-models/$(cat models/default.txt)/tokenizer.json}
BUDGET_S=${BUDGET_S:-700}          # training seconds over both calls (the schedule's length)
FIRST_S=${FIRST_S:-560}            # the first call ends about this many seconds after it starts
MIDDLE_S=${MIDDLE_S:-560}          # and a middle call this many
TRAIN_ARGS=${TRAIN_ARGS:-}
mkdir -p "$OUT" "$WORK/out"

train() {  # $@ = extra train.py arguments
  # shellcheck disable=SC2086
  python3 models/train/train.py --arch mamba2 --data "$WORK/data" --ckpt "$WORK/mamba2.pt" \
    --log "$WORK/mamba2-train.csv" --budget-s "$BUDGET_S" --compile $TRAIN_ARGS "$@" 2>&1 \
    | tee -a "$WORK/out/mamba2-train.log" | grep -v "^[0-9]"
}

# shellcheck source=models/train/package.sh
source models/train/package.sh

if [ "$MODE" = first ]; then
  python3 models/train/data.py --tokenizer "$TOKENIZER" --train "$FIRST"/train-mix*.txt.xz \
    --valid "$FIRST/valid.txt.xz" --out "$WORK/data" 2>&1 | tail -n 12
  left=$(( FIRST_S - ($(date +%s) - START) - 20 ))   # 20 s: model setup and the final save
  echo "=== tokenized in $(( $(date +%s) - START )) s; training for $left s"
  train ${INIT:+--init "$FIRST/$INIT"} --stop-after-s "$left"
else
  ls "$WORK/mamba2.pt" || { echo "no checkpoint in $WORK: the machine was released"; exit 3; }
fi
# $SECOND's shards join the stream in whichever later call carries them (a middle call, so that a
# three-call schedule trains on them for two calls; the second call may pass them again).
if [ "$MODE" = middle ]; then
  append_shards "${SECOND:-}"
  train --resume --stop-after-s "$(( MIDDLE_S - 15 - ($(date +%s) - START) ))"   # 15 s: loading the checkpoint, the final save
elif [ "$MODE" = second ]; then
  append_shards "${SECOND:-}"
  train --resume
  package  # the weights come home even if what follows overruns the call
  python3 models/train/evaluate.py --arch mamba2 --weights "$WORK/mamba2-final.pt" --data "$WORK/data" \
    --out "$WORK/out/eval-mamba2.json" 2>&1 | tail -c 2500
  python3 models/train/ship_trained.py --ckpt "$WORK/mamba2-final.pt" --tokenizer "$TOKENIZER" --id "$MODEL_ID" \
    --out "$WORK/ship/model" --work "$WORK/ship" --subchunks 64 2>&1 | tee "$WORK/out/ship.log" | grep -v "^ *$" | tail -n 30
fi
package
echo "=== $MODE done in $(( $(date +%s) - START )) s"
