# Sourced by the device commands (run_training.sh, run_continue.sh): package() packs what comes home
# from $WORK into $OUT, at most 8 files of < 16 MiB: everything small in results.tar.gz, the big
# files (model.onnx, the float16 weights) in 15 MiB parts (join with `cat`); append_shards() adds a
# folder's shards to the token stream in $WORK/data.
package() {
  rm -f "$OUT"/*.part-* "$OUT/results.tar.gz"
  cp "$WORK"/*.csv "$WORK"/*-summary.json "$WORK/out/" 2>/dev/null
  cp "$WORK/data/meta.json" "$WORK/out/data-meta.json" 2>/dev/null
  if [ -f "$WORK/ship/model/model.onnx" ]; then
    mkdir -p "$WORK/out/model"
    cp "$WORK"/ship/model/{manifest.json,MODEL_CARD.md} "$WORK/ship/results.json" "$WORK/out/model/" 2>/dev/null
    split -b 15M -d "$WORK/ship/model/model.onnx" "$OUT/model.onnx.part-"
  fi
  for arch in mamba2 transformer; do
    [ -f "$WORK/$arch-final-fp16.pt" ] && split -b 15M -d "$WORK/$arch-final-fp16.pt" "$OUT/$arch-fp16.pt.part-"
  done
  tar czf "$OUT/results.tar.gz" -C "$WORK" out
  ls -la "$OUT"
}

# $1's train-mix shards join the token stream (a call carries at most 64 MiB, so a mix may arrive in
# parts over back-to-back calls); nothing when $1 is empty. `data.py append` skips shards the stream
# already holds, so a later call may pass the same folder again.
append_shards() {
  [ -n "$1" ] || return 0
  python3 models/train/data.py append --tokenizer "$TOKENIZER" --train "$1"/train-mix*.txt.xz \
    --out "$WORK/data" 2>&1 | tail -n 30
}
