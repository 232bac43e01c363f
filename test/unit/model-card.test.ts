// The shipped model's card quotes its validation figures from the run records that
// models/train/training_card.py read (models/train/runs/**): every row of its bits-per-byte tables
// and its heads' accuracy must be found there, so a figure edited by hand, or left behind by a
// later evaluation, fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelDir, packageRoot } from '../../main/core/model/default-model.js';

const BUCKETS = ['0-2k', '2k-8k', '8k-32k', '32k-128k', '128k+'] as const;

interface Bpb { bpb: number | null }
interface Measure {
  overall: Bpb;
  by_position: Record<string, Bpb>;
  by_position_long_documents?: Record<string, Bpb>;
  long_documents_each_once?: { by_position: Record<string, { mean_bpb: number }>; later_lower: number; documents: number };
  by_lang: Record<string, Bpb>;
}
interface Split { documents: number; tokens: number; bytes: number }
interface DataMeta { vocab_size: number; train_files: string[]; train: Split; valid: Split }
interface Heads {
  retrieval: { recall_at_1: number; mrr: number };
  relevance: Record<string, number>;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** Every measure (carried, reset, Transformer windows) of every evaluation file, as table cells. */
function recordedRows(): { full: Set<string>; long: Set<string>; once: Set<string> } {
  const full = new Set<string>();
  const long = new Set<string>();
  const once = new Set<string>();
  for (const path of jsonFiles(join(packageRoot(), 'models', 'train', 'runs'))) {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    for (const key of ['carried', 'reset_every_2048', 'windows_2048']) {
      const m = record[key] as Measure | undefined;
      if (!m?.by_position) continue;
      full.add([m.overall.bpb, ...BUCKETS.map((b) => m.by_position[b]?.bpb), m.by_lang.en?.bpb, m.by_lang.zh?.bpb].map(cell).join('|'));
      const l = m.by_position_long_documents;
      if (l) long.add(BUCKETS.map((b) => cell(l[b]?.bpb)).join('|'));
      const o = m.long_documents_each_once;
      if (o) once.add([...BUCKETS.map((b) => cell(o.by_position[b]?.mean_bpb)), `${o.later_lower} of ${o.documents}`].join('|'));
    }
  }
  return { full, long, once };
}

/** The rows of the first table after `heading`: [label, ...cells]. */
function tableAfter(card: string, heading: string): string[][] {
  const lines = card.slice(card.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

describe("the shipped model's card", () => {
  const card = readFileSync(join(defaultModelDir(), 'MODEL_CARD.md'), 'utf8');
  const recorded = recordedRows();

  it('quotes every validation row from an evaluation file in the run records', () => {
    const rows = tableAfter(card, '## Validation: bits per byte');
    expect(rows.length).toBeGreaterThanOrEqual(3); // carried, reset, and at least one Transformer baseline
    expect(rows.some(([label]) => label.startsWith('Transformer'))).toBe(true);
    for (const [label, ...cells] of rows) {
      expect(cells, label).toHaveLength(8);
      expect(recorded.full.has(cells.join('|')), `${label}: ${cells.join(' ')}`).toBe(true);
    }
    const long = tableAfter(card, 'documents that reach 32k tokens, in every column');
    expect(long.map(([label]) => label).slice(0, 2)).toEqual(['Mamba-2, carried', 'Mamba-2, reset every 2,048 tokens']);
    for (const [label, ...cells] of long) expect(recorded.long.has(cells.join('|')), label).toBe(true);
    // Each long document once: the buckets and the count from the record; the change is their ratio.
    const once = tableAfter(card, 'each weighted once');
    expect(once.length).toBe(long.length);
    for (const [label, ...cells] of once) {
      const [change, later] = cells.slice(5);
      expect(recorded.once.has([...cells.slice(0, 5), later].join('|')), label).toBe(true);
      const ratio = (Number(cells[3]) / Number(cells[0]) - 1) * 100;
      expect(change, label).toBe(`${ratio >= 0 ? '+' : ''}${ratio.toFixed(1)}%`);
    }
  });

  it("quotes the heads' accuracy from the shipped model's own evaluation", () => {
    const own = JSON.parse(readFileSync(join(packageRoot(), 'models', 'train', 'runs', basename(defaultModelDir()), 'eval-mamba2.json'), 'utf8')) as { heads: Heads };
    const { retrieval, relevance } = own.heads;
    const text = card.replace(/\s+/g, ' ');
    const quotes = [
      `recall@1 ${retrieval.recall_at_1}, MRR ${retrieval.mrr}`,
      `AUC source-span tokens vs all other passage tokens ${relevance.auc_span_tokens_vs_other_tokens};`,
      `outside the span ${relevance.auc_span_end_vs_positions_outside_span};`,
      `from this passage vs from another ${relevance.auc_passage_max_positive_vs_negative_rows}.`,
    ];
    for (const quote of quotes) expect(text.includes(quote), quote).toBe(true);
  });

  it('claims the equal-data comparison only when the Transformer read the same text', () => {
    const run = join(packageRoot(), 'models', 'train', 'runs', basename(defaultModelDir()));
    const identity = (name: string): unknown => {
      const meta = JSON.parse(readFileSync(join(run, name), 'utf8')) as DataMeta;
      return [meta.vocab_size, meta.train_files, ...(['train', 'valid'] as const).flatMap((split) => [meta[split].documents, meta[split].tokens, meta[split].bytes])];
    };
    const sameData = card.includes('the same data, streams and optimiser');
    expect(sameData || card.includes('not this model\'s, with the same streams')).toBe(true);
    // training_card.py writes the claim from this comparison; a card edited by hand, or a run
    // folder that lost the Transformer's record, fails here.
    if (sameData) expect(identity('transformer-data-meta.json')).toEqual(identity('data-meta.json'));
  });
});
