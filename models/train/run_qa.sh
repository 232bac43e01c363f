#!/usr/bin/env bash
# The device command of the question-like fine-tune (finetune_qa.py; models/train/TRAINING.md):
# tokenize the carried LM shard and validation documents, measure the init model, fine-tune the
# heads alone and the heads with the last blocks, measure both, ship the better as MODEL_ID.
#   QA=.qa: pairs.jsonl.xz, train-gl.txt.xz, valid.txt.xz, v6-fp16.pt (qa_pairs.py writes the first three)
#   HEADS_S, LAST_S: seconds of training each; LAST: how many blocks train beside the heads
set -uo pipefail
QA=${QA:-.qa}
MODEL_ID=${MODEL_ID:-lectern-mamba2-7m-v7}
TOKENIZER=${TOKENIZER:-models/lectern-mamba2-7m-v6/tokenizer.json}
HEADS_S=${HEADS_S:-100}
LAST_S=${LAST_S:-220}
LAST=${LAST:-2}
W=/tmp/qa
mkdir -p $W
python3 -c "import torch, tokenizers, onnx; print('torch', torch.__version__, torch.cuda.get_device_name())" || exit 1
t0=$(date +%s)
[ -d $W/data ] || python3 models/train/data.py --tokenizer $TOKENIZER --train $QA/train-gl.txt.xz \
  --valid $QA/valid.txt.xz --out $W/data > $W/data.log || exit 1
echo "tokenized: $(( $(date +%s) - t0 )) s"
python3 models/train/evaluate.py --arch mamba2 --weights $QA/v6-fp16.pt --data $W/data --out $OUT/eval-init.json || exit 1
python3 -c "import json; print('init bpb', json.load(open('$OUT/eval-init.json'))['carried']['overall'])"
common="--init $QA/v6-fp16.pt --data $W/data --pairs $QA/pairs.jsonl.xz --tokenizer $TOKENIZER"
python3 models/train/finetune_qa.py $common --train heads --budget-s $HEADS_S --out $W/heads.pt --report $OUT/qa-heads.json || exit 1
python3 models/train/finetune_qa.py $common --train last$LAST --budget-s $LAST_S --out $W/last.pt --report $OUT/qa-last.json || exit 1
python3 models/train/evaluate.py --arch mamba2 --weights $W/last.pt --data $W/data --out $OUT/eval-last.json || exit 1
python3 -c "import json; print('last bpb', json.load(open('$OUT/eval-last.json'))['carried']['overall'])"
# The better on the held-out pairs' within-document recall@1, if its bits per byte stay within 0.01.
best=$(python3 - <<EOF
import json
h, l = json.load(open("$OUT/qa-heads.json")), json.load(open("$OUT/qa-last.json"))
bi, bl = json.load(open("$OUT/eval-init.json")), json.load(open("$OUT/eval-last.json"))
def bpb(r):
    return r["carried"]["overall"]["bpb"]
ok = bpb(bl) <= bpb(bi) + 0.01
print("last" if ok and l["after"]["recall_at_1"] > h["after"]["recall_at_1"] else "heads")
EOF
)
echo "shipping: $best"
cp $W/$best.pt $OUT/$MODEL_ID-fp16.pt
python3 models/train/ship_trained.py --ckpt $W/$best.pt --tokenizer $TOKENIZER --id $MODEL_ID \
  --out $W/ship/model --work $W/ship --subchunks 64 > $W/ship.log 2>&1 || { tail -30 $W/ship.log; exit 1; }
python3 models/train/reader_graph.py $W/ship/model > $W/reader.log 2>&1 || { tail -30 $W/reader.log; exit 1; }
cp $W/ship/model/model.onnx $W/ship/model/reader.onnx $W/ship/model/weights.bin $W/ship/model/manifest.json $OUT/
tar czf $OUT/logs.tar.gz -C $W data.log ship.log reader.log data/meta.json ship 2>/dev/null --exclude='*.onnx' --exclude='*.bin' --exclude='*.pt'
ls -la $OUT
echo "total: $(( $(date +%s) - t0 )) s"
