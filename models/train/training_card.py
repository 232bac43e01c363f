"""MODEL_CARD.md for a trained model: export.py's card (graph, equivalence, timings) with the
training, evaluation and heads sections added, every number read from the run's own files.
Needs no torch; runs wherever the results were unpacked.

    python3 models/train/training_card.py --results DIR --model-dir models/lectern-mamba2-<size>
    python3 models/train/training_card.py --results models/train/runs/lectern-mamba2-7m-v6 \
        --model-dir models/lectern-mamba2-7m-v6 --corpus-manifest corpus-manifest-mix100mib.json
        (the shipped card again, from the files the tree keeps)
DIR holds what run_training.sh packs: model/{MODEL_CARD.md,results.json,manifest.json},
mamba2-train.csv, mamba2-summary.json, eval-mamba2.json, data-meta.json and, when the baseline
ran, transformer-train.csv, transformer-summary.json, eval-transformer.json,
eval-mamba2-snapshot.json. A Transformer trained in another call than the model (run_training.sh
baseline) brings that call's data-meta.json as transformer-data-meta.json; the card compares the two
and claims the equal-data comparison only when they match. Optional: eval-mamba2-equal-time.json with mamba2-equal-time-summary.json
(a Mamba-2 trained from scratch for the Transformer's time, its whole schedule), further Transformer
runs as eval-transformer-<name>.json with transformer-<name>-summary.json, summary.md (a reading of
the numbers, placed first) and extra.md (sections placed after the training sections).
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

BUCKETS = ("0-2k", "2k-8k", "8k-32k", "32k-128k", "128k+")


def _load(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def _table(head: tuple, rows: list[tuple]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join("" if c is None else str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def curve_rows(csv_path: Path, points: int = 10) -> list[tuple]:
    rows = list(csv.DictReader(csv_path.open()))
    if not rows:
        return []
    pick = sorted({round(i * (len(rows) - 1) / (points - 1)) for i in range(points)})
    return [(r["step"], r["elapsed_s"], f"{int(r['tokens']) / 1e6:.1f}M", r["lr"], r["loss"],
             r.get("vec_loss", ""), r.get("vec_acc", ""), r.get("rel_loss", ""), r["tok_per_s"])
            for r in (rows[i] for i in pick)]


def bpb_rows(label: str, ev: dict) -> list[tuple]:
    pos = ev["by_position"]
    return [(label, ev["overall"]["bpb"], *[pos[b]["bpb"] for b in BUCKETS],
             *[ev["by_lang"].get(lang, {}).get("bpb") for lang in ("en", "zh")])]


def continued(a: dict) -> str:
    if not a.get("init"):
        return ""
    return (f"\n\nThis stage continued from `{Path(a['init']).name}` (weights only, a fresh optimiser): "
            "see the summary for what those weights had been trained on.")


def long_documents(ev: dict, truns: list[tuple[dict, dict]]) -> str:
    """The same documents in every bucket: those that reach 32k tokens, token-weighted and then each
    document once, for both Mamba-2 readings and every Transformer run (its context stays 2,048 tokens
    at every position, so its change along a row is the text's, not memory's)."""
    if "by_position_long_documents" not in ev["carried"]:
        return ""
    measures = [("Mamba-2, carried", ev["carried"]), ("Mamba-2, reset every 2,048 tokens", ev["reset_every_2048"])]
    measures += [(f"Transformer, {t['train_s']:,.0f} s", tev["windows_2048"]) for t, tev in truns
                 if "by_position_long_documents" in tev["windows_2048"]]
    weighted = [(label, *[m["by_position_long_documents"][b]["bpb"] for b in BUCKETS]) for label, m in measures]
    docs = ev["carried"]["by_position_long_documents"]["32k-128k"]["documents"]
    text = f"""
Only the {docs} documents that reach 32k tokens, in every column (still token-weighted: a long document weighs
more in the later columns, one of 2k tokens as much as any other in 0–2k):

{_table(("model", *BUCKETS), weighted)}
"""
    # Evaluations older than the each-once measure have only the token-weighted one.
    if "long_documents_each_once" in ev["carried"]:
        once = []
        for label, m in [(label, m) for label, m in measures if "long_documents_each_once" in m]:
            pos = m["long_documents_each_once"]["by_position"]
            change = (pos["32k-128k"]["mean_bpb"] / pos["0-2k"]["mean_bpb"] - 1) * 100
            once.append((label, *[pos[b]["mean_bpb"] for b in BUCKETS], f"{change:+.1f}%",
                         f"{m['long_documents_each_once']['later_lower']} of {m['long_documents_each_once']['documents']}"))
        text += f"""
The same documents, each weighted once (the mean over documents of each one's own bucket):

{_table(("model", *BUCKETS, "32k–128k against 0–2k", "later lower in"), once)}
"""
    return text


def same_row(a: dict) -> str:
    """The vector head's negatives from the same window, when the run had them (--vec-per-row)."""
    k = a.get("vec_per_row", 1)
    return f"; {k} passages from each window, one in each of {k} equal parts of it, each the others' negative from the same document" if k > 1 else ""


def negative_source(a: dict) -> str:
    """Where the relevance head's negative queries came from (--rel-same-row)."""
    return "a span from later in the same window (the same document)" if a.get("rel_same_row") else "a span of another row's passage"


def within_document(heads: dict) -> str:
    """Retrieval inside one document, for evaluations that measured it."""
    w = heads.get("retrieval_within_document")
    if not w or w.get("recall_at_1") is None:
        return ""
    return (f"\n- The same inside one document: {w['candidates']} windows spread over each of the {w['documents']} validation"
            f"\n  documents that long are each other's only candidates: recall@1 {w['recall_at_1']}, MRR {w['mrr']}"
            f" (chance {w['chance_recall_at_1']}).")


def heads_steps(args: dict) -> str:
    n = args.get("heads_every", 1)
    return "every step" if n == 1 else f"one step in {n}"


def equal_time_note(summ: dict, snap: dict | None, equal: dict | None, equal_summ: dict,
                    transformer_seconds: list[float], other_data: str) -> str:
    own = summ.get("train_s", 0)
    same = ""
    if own in transformer_seconds:
        same = f"This model's own schedule, {own:,.0f} s, is the {own:,.0f} s Transformer's"
        same += (f", but that Transformer was trained on {other_data}: the two share the time, the tokenizer and the "
                 "validation split, not the training text, so this is not the comparison at equal GPU time on the same data. "
                 if other_data else ": the first row of the table above against that run's is the comparison at equal GPU time. ")
    if equal:
        return same + _from_scratch_note(equal_summ)
    if same and not snap:
        return same.rstrip()
    return same + _snapshot_note(summ, snap)


def _from_scratch_note(equal_summ: dict) -> str:
    ea = equal_summ.get("args", {})
    return (f"The Mamba-2 \"from scratch\" row is the same architecture trained for {equal_summ.get('train_s', 0):,.0f} s with "
            f"this model's trainer (windows of {ea.get('batch')}×{ea.get('window')}, the heads {heads_steps(ea)}; "
            f"{equal_summ.get('tokens', 0) / 1e6:.0f}M tokens at {equal_summ.get('tokens_per_s_steady', 0):,} "
            f"tokens/s; {equal_summ.get('first_step_s')} s of it compiling), its whole schedule: the comparison at equal GPU time with the Transformer run of the same seconds.")


def _snapshot_note(summ: dict, snap: dict | None) -> str:
    text = f"Mamba-2 had {summ.get('train_s')} s"
    if snap:
        text += ("; the snapshot row above is Mamba-2 at the Transformer's time, taken mid-schedule (learning rate "
                 "not yet decayed), so it understates Mamba-2 at equal time.")
    return text + "."


def transformer_runs(d: Path) -> list[tuple[dict, dict]]:
    """(summary, evaluation) of every Transformer run in DIR, shortest training first: the main one
    (transformer-summary.json, eval-transformer.json) and any named eval-transformer-<name>.json
    whose transformer-<name>-summary.json is there (mid-run snapshots have none)."""
    runs = []
    for ev_path in sorted(d.glob("eval-transformer*.json")):
        name = ev_path.stem.removeprefix("eval-transformer")
        summ = _load(d / f"transformer{name}-summary.json")
        if summ:
            runs.append((summ, json.loads(ev_path.read_text())))
    return sorted(runs, key=lambda r: r[0]["train_s"])


def _data_identity(meta: dict) -> tuple:
    # The tokenizer's path differs between runs of one tokenizer file; its ids and the token counts do not.
    return (meta.get("vocab_size"), meta.get("train_files"),
            *(meta.get(split, {}).get(k) for split in ("train", "valid") for k in ("documents", "tokens", "bytes")))


def transformer_other_data(meta: dict, t_meta: dict | None) -> str:
    """"" when the Transformer read this model's training and validation text, else what it read instead."""
    if t_meta is None or _data_identity(t_meta) == _data_identity(meta):
        return ""
    tr = t_meta.get("train", {})
    return f"other training text ({tr.get('documents', 0):,} documents, {tr.get('tokens', 0) / 1e6:.1f}M tokens)"


def transformer_section(runs: list[tuple[dict, dict]], note: str, train_tokens: int, other_data: str) -> str:
    cfg = runs[0][0]
    def passes(t: dict) -> str:  # over this model's training text, which another corpus's run did not read
        return "" if other_data else f" ({t['tokens'] / max(1, train_tokens):.1f} passes over the training text)"
    lines = [f"- {t['train_s']:,.0f} s: {t['steps']:,} steps, {t['tokens'] / 1e6:,.0f}M tokens"
             f"{passes(t)} at {t['tokens_per_s_steady']:,} tokens/s; "
             f"validation {ev['windows_2048']['overall']['bpb']}" for t, ev in runs]
    data = f"trained on {other_data}, not this model's, with the same streams and optimiser" if other_data \
        else "the same data, streams and optimiser"
    runs_text = "\n".join(lines)
    return f"""## Transformer baseline

`models/train/transformer.py` (pre-LayerNorm, rotary positions, GELU MLP, tied embeddings):
{cfg['params']:,} parameters (d_model {cfg['config']['d_model']}, {cfg['config']['n_layer']} layers, {cfg['config']['n_head']} heads),
{data}, windows of {cfg['batch']}×{cfg['window']} tokens (its context is the window),
LM loss only, torch.compile {'on' if cfg.get('compile') else 'off'}. Each run below is a whole schedule (warmup, cosine decay over its time):

{runs_text}

{note}
Weights not shipped.
"""


def training_sections(d: Path, run: str, corpus_manifest: str) -> str:
    summ = _load(d / "mamba2-summary.json") or {}
    ev = _load(d / "eval-mamba2.json") or {}
    meta = _load(d / "data-meta.json") or {}
    truns = transformer_runs(d)
    other_data = transformer_other_data(meta, _load(d / "transformer-data-meta.json"))
    snap = _load(d / "eval-mamba2-snapshot.json")
    equal = _load(d / "eval-mamba2-equal-time.json")
    equal_summ = _load(d / "mamba2-equal-time-summary.json") or {}
    a = summ.get("args", {})
    tr = meta.get("train", {})
    parts = [f"""## What it was trained on

The corpus of [models/train/CORPUS.md](../train/CORPUS.md) (manifest: `models/train/{corpus_manifest}`):
its training mix, {tr.get('documents', '?')} documents, {tr.get('bytes', 0) / 1e6:.1f} MB of UTF-8,
{tr.get('tokens', 0) / 1e6:.1f}M tokens with the BPE tokenizer `tokenizer.json` ({meta.get('vocab_size')} ids,
{tr.get('bytes_per_token')} bytes per token). Every document is [bos] text [eos]; the documents are joined
into one stream. Validation: the {meta.get('valid', {}).get('documents')} held-out whole documents of the corpus
(`valid.txt.xz`), never trained on.

Objectives, summed: next-token cross-entropy over every position; {a.get('vec_weight')} × passage-vector
InfoNCE and {a.get('rel_weight')} × relevance BCE (`models/train/heads.py`, {heads_steps(a)}):
- `embeddings`: a passage of 128–256 tokens of the training window, mean-pooled from the window's own
  forward (read with the carried state), against a 32-token query cut from inside it and read alone
  from the zero state; the other rows' passages are the negatives (batch {a.get('batch')}), temperature 0.05{same_row(a)}.
- `relevance`: [query, sep, passage] with the passage = the window's first 256 tokens, read from the
  state the window started from (75% of rows) or from zeros (25%); the query = a 28-token span of the
  passage with 4 tokens dropped, or for half the rows {negative_source(a)}; per-token BCE
  over the passage: 1 on the source span's tokens, 0 elsewhere.

## Training

Truncated BPTT: {a.get('batch')} parallel streams over the token stream, windows of {a.get('window')} tokens,
the state carried from window to window (detached), so a new document starts from the previous
document's state and the model must learn to let it go at <bos>; per window and stream the state is
reset to zeros with probability {a.get('p_reset')} and gets Gaussian noise ({a.get('noise_scale')} × its RMS) with
probability {a.get('p_noise')}. bf16 autocast (dt, A and the scan in float32; the carried state float32),
AdamW (β 0.9/0.95, weight decay {a.get('wd')} on matrices), peak learning rate {a.get('lr')}, linear warmup over
{a.get('warmup_steps')} steps, cosine decay to {a.get('min_lr_frac')} × peak on the fraction of the wall-clock budget
elapsed, gradient clip 1.0, torch.compile {'on' if a.get('compile') else 'off'}.{continued(a)}

- {summ.get('steps')} steps, {summ.get('tokens', 0) / 1e6:.0f}M tokens seen ({summ.get('tokens', 0) / max(1, tr.get('tokens', 1)):.1f} passes over the training text)
  in {summ.get('train_s')} s on one {summ.get('gpu')}.
- Throughput: {summ.get('tokens_per_s_steady'):,} training tokens per second (median over the run, heads' extra
  forwards not counted); first step {summ.get('first_step_s')} s{' (of the last, resumed call)' if a.get('resume') else ''}; peak memory {summ.get('max_mem_gb')} GB.

Training curve (the whole log, every 10 steps: `models/train/runs/{{run}}/mamba2-train.csv`; loss = LM
cross-entropy in nats per token averaged over the last 10 steps, on training windows):

{_table(("step", "s", "tokens", "lr", "loss", "vec loss", "vec acc (in batch)", "rel loss", "tok/s"),
        curve_rows(d / "mamba2-train.csv"))}
"""]
    if ev:
        rows = bpb_rows("Mamba-2, state carried through the document", ev["carried"])
        rows += bpb_rows("Mamba-2, state reset every 2,048 tokens", ev["reset_every_2048"])
        if snap:
            at = snap["weights"].rsplit("-at", 1)[-1].removesuffix(".pt")
            rows += bpb_rows(f"Mamba-2 after {at} (mid-schedule snapshot), carried", snap["carried"])
        if equal:
            rows += bpb_rows(f"Mamba-2 from scratch, {equal_summ.get('train_s', 0):,.0f} s (whole schedule), carried", equal["carried"])
        for tsum, tev in truns:
            on = f", on {other_data}" if other_data else ""
            rows += bpb_rows(f"Transformer, {tsum['train_s']:,.0f} s (whole schedule), 2,048-token windows{on}", tev["windows_2048"])
        tokens = [ev["carried"]["by_position"][b]["tokens"] for b in BUCKETS]
        docs = [ev["carried"]["by_position"][b]["documents"] for b in BUCKETS]
        parts.append(f"""## Validation: bits per byte

Every validation document read whole from [bos] (float32, as onnxruntime computes); nats of each predicted
token / ln 2 / the UTF-8 bytes of those tokens. Columns by the predicted token's position in its document.

{_table(("model", "overall", *BUCKETS, "en", "zh"), rows)}

Tokens per bucket: {", ".join(f"{b} {t:,} ({n} docs)" for b, t, n in zip(BUCKETS, tokens, docs))}. Only
{docs[3]} documents reach 32k tokens and {docs[4]} reach 128k, so the last buckets say more about those documents
(their language and kind) than about position; the position effect is the difference between the carried and
the reset rows within a column.
{long_documents(ev, truns)}""")
    if truns:
        note = equal_time_note(summ, snap, equal, equal_summ, [t['train_s'] for t, _ in truns], other_data)
        parts.append(transformer_section(truns, note, tr.get("tokens", 0), other_data))
    heads = ev.get("heads") if ev else None
    if heads:
        r, rel = heads["retrieval"], heads["relevance"]
        parts.append(f"""## Heads on held-out text

On {r['groups'] * r['candidates']} windows of 1,024 tokens cut from the validation documents (`models/train/evaluate.py`):
- Retrieval with `embeddings`: each 32-token query (read alone) against 64 candidate passages (192 tokens each,
  read after 768 tokens of context, mean-pooled): recall@1 {r['recall_at_1']}, MRR {r['mrr']} (chance {r['chance_recall_at_1']}).
  The query is copied from its passage, so this measures finding a quoted sentence, not paraphrase.{within_document(heads)}
- `relevance` after [query, sep, passage] from the passage's checkpoint state ({rel['positive_rows']} of {rel['rows']} rows positive):
  AUC source-span tokens vs all other passage tokens {rel['auc_span_tokens_vs_other_tokens']}; AUC at the span's last
  token vs every position outside the span {rel['auc_span_end_vs_positions_outside_span']}; AUC of the passage's highest
  logit, query from this passage vs from another {rel['auc_passage_max_positive_vs_negative_rows']}.
""")
    if (d / "extra.md").exists():
        parts.append((d / "extra.md").read_text().strip() + "\n")
    return "\n".join(parts)


def summary_section(d: Path) -> str:
    """A hand-written reading of the numbers (DIR/summary.md), placed before the graph's details."""
    return "## Summary\n\n" + (d / "summary.md").read_text().strip() + "\n"


def files_section(model_dir: Path) -> str:
    # The card itself is left out: a card written again would list its previous self.
    files = [p for p in sorted(model_dir.iterdir()) if p.is_file() and p.name != "MODEL_CARD.md"]
    rows = [(p.name, f"{p.stat().st_size:,}") for p in files]
    total = sum(p.stat().st_size for p in files)
    path = f"models/train/weights/{model_dir.name}-fp16.pt"
    return (f"## Files\n\n{_table(('file', 'bytes'), rows)}\n\nTotal {total / 1e6:.1f} MB besides this card. "
            f"The float16 weights as a PyTorch state dict (to continue training): `{path}`, kept in git history "
            f"only (`git log --diff-filter=A -- {path}` names the commit; `git checkout <commit> -- {path}` "
            "brings it back).\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", type=Path, required=True)
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--corpus-manifest", default="corpus-manifest.json",
                    help="the build's manifest under models/train/ (corpus.py --mix-mib writes its own)")
    a = ap.parse_args()
    # A device run's results hold the export under model/; a run folder in models/train/runs keeps the
    # same two files as export-card.md and export-results.json, so the card regenerates from the tree.
    exported = a.results / "model"
    base = (exported / "MODEL_CARD.md" if exported.exists() else a.results / "export-card.md").read_text()
    results = _load(exported / "results.json" if exported.exists() else a.results / "export-results.json") or {}
    fp16 = results.get("float16_storage", {})
    base = base.replace("(bytes + bos, eos, sep, pad)", "(byte-level BPE, `tokenizer.json`, with bos, eos, sep, pad)")
    base = base.replace(" bytes, float32.", f" bytes; weight matrices stored as float16 ({fp16.get('float16_values', 0):,} values) and cast to float32 inside the graph, which computes in float32.")
    base = base.split("## Reproduce")[0].rstrip() + "\n\n"
    shipped = _load(a.model_dir / "manifest.json") or {}
    guess = "are first guesses for the engine to measure."
    if shipped.get("call_tokens") and guess in base:
        base = base.replace(guess, f"were the export's first guesses; the shipped manifest has {json.dumps(shipped['call_tokens'])}.")
    if (a.results / "webgpu-check.json").exists():
        # ship_trained.py leaves the check out; the device call after run_continue.sh's last step runs it (TRAINING.md).
        base = base.replace("Not run: this export did not include the onnxruntime-node WebGPU check.",
                            "Not run by the export; `webgpu_check.mjs` ran on this export afterwards: see \"WebGPU\" below.")
    if (a.results / "summary.md").exists():
        head, rest = base.split("## Graph I/O", 1)
        base = head + summary_section(a.results) + "\n## Graph I/O" + rest
    if fp16:
        base += (f"Float16 storage: the float32 export was {fp16['bytes_before']:,} bytes; {fp16['float16_initializers']} "
                 f"initializers stored as float16, {fp16['transposes_shared']} transposed copies replaced by a Transpose; "
                 f"{fp16['ms_T1024_2_threads']} ms per 1,024-token call on 2 CPU threads. The equivalence table above is "
                 "for the stored file against PyTorch with the same (float16-rounded) weights.\n\n")
    card = base + training_sections(a.results, a.model_dir.name, a.corpus_manifest).replace("{run}", a.model_dir.name) \
        + "\n" + files_section(a.model_dir) + """
## Reproduce

See `models/train/TRAINING.md` (corpus → tokenizer → `run_training.sh full` on the GPU machine →
`training_card.py`).
"""
    (a.model_dir / "MODEL_CARD.md").write_text(card)
    print(f"wrote {a.model_dir / 'MODEL_CARD.md'} ({len(card):,} chars)")


if __name__ == "__main__":
    main()
