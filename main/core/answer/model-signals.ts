// The model's say on the best candidates. Three signals, each measured in the eval's ablation:
// - vectors: the cosine between the question's vector (the vector head over the question read
//   alone from the empty state, as it was trained) and the stored vector of the candidate's passage;
// - gain: how much more likely the question becomes after the candidate's text,
//   log p(question | state after the text) − log p(question | state before it), per question
//   token. The raw likelihood mostly measures how likely the question is on its own; here both
//   states start from the empty state, so within one question the second term is a constant that
//   standardising removes (the document's own state before the text would differ per candidate,
//   and costs a replay from a checkpoint per candidate: not done yet);
// - reread: the relevance head re-reading the candidate's passage from its stored checkpoint
//   (the document read up to it), question first, as the head was trained.
// Each is standardised over the candidates it was computed for, so the ranker's weights need no
// per-document scale.
import { rereadFrom } from '../reading/rereader.js';
import type { Model } from '../model/session.js';
import type { Db } from '../store/db.js';
import { loadPassageSpans } from '../store/documents.js';
import { loadPassageOutputs, type PassageOutput } from '../store/readings.js';
import type { ScoredCandidate } from './features.js';
import type { SentenceIndex } from './sentence-index.js';
import { queryVector } from './passage-rankings.js';
import { firstIndexAtOrAfter, lastIndexAtOrBefore } from '../sorted.js';

export interface ModelSignalOptions {
  vectors: boolean;
  gain: boolean;
  reread: boolean;
  /** How many of the best candidates get the likelihood gain (two short reads each). */
  top: number;
  /** The gain from the document's own state before the text (two replays from a checkpoint each). */
  documentGain: boolean;
  /** How many get the re-read and the document-state gain (replays of up to 16k tokens each). */
  rereadTop: number;
  /**
   * Also log p(question | empty state), one more short read, so that the gain of each candidate
   * is known on its own scale (the decline rule's evidence), not only standardised over the six.
   */
  prior?: boolean;
}

/**
 * The likelihoods behind the gain, before standardising: what the decline rule reads. Standardised
 * over the best six, the gain says which candidate explains the question best, never whether any does.
 */
export interface GainEvidence {
  /** Mean log p(question token) after the empty state; null when not computed. */
  prior: number | null;
  /** Mean log p(question token) after each candidate's quote, by the candidate's unit. */
  byUnit: Map<number, number>;
  /**
   * With the prior: the mean gain over the question's tokens that the quote does not hold, by
   * unit (absent when the quote holds them all).
   */
  novel: Map<number, number>;
}

/**
 * What `ask` computes: the gain for the best six (about 1 s on a 2-core CPU for the book of the
 * bench); vectors and the re-read earned no weight on dev-questions-a (docs/EVAL.md), so they are
 * computed only by the eval's ablation.
 */
export const DEFAULT_SIGNALS: ModelSignalOptions = { vectors: false, gain: true, documentGain: false, reread: false, top: 6, rereadTop: 3 };

interface PassageMap {
  spans: Array<{ ordinal: number; start: number; end: number }>;
  outputs: PassageOutput[];
}

const passageMaps = new WeakMap<SentenceIndex, PassageMap>();

function passageMap(db: Db, model: Model, index: SentenceIndex): PassageMap {
  let map = passageMaps.get(index);
  if (map === undefined) {
    map = { spans: loadPassageSpans(db, index.documentId), outputs: loadPassageOutputs(db, index.documentId, model.manifest.id) };
    passageMaps.set(index, map);
  }
  return map;
}

/** The passage holding a text offset (the last one starting at or before it). */
function passageAt(map: PassageMap, offset: number): number {
  return Math.max(0, lastIndexAtOrBefore(map.spans.length, (i) => map.spans[i].start, offset));
}

export async function addModelSignals(
  db: Db,
  model: Model,
  index: SentenceIndex,
  question: string,
  ranked: ScoredCandidate[],
  options: ModelSignalOptions,
): Promise<GainEvidence | null> {
  if (ranked.length === 0) return null;
  const map = passageMap(db, model, index);
  const questionIds = model.tokenizer.encode(question).ids;
  if (options.vectors && map.outputs.length === map.spans.length) {
    const q = await queryVector(db, model, index.documentId, questionIds);
    const values = ranked.map((c) => {
      const e = map.outputs[passageAt(map, index.units[c.unit].start)].embedding;
      let dot = 0;
      for (let i = 0; i < e.length; i++) dot += e[i] * q[i];
      return dot;
    });
    standardise(values).forEach((z, i) => (ranked[i].features.vectors = z));
  }
  const best = ranked.slice(0, options.top);
  let evidence: GainEvidence | null = null;
  if (options.gain) {
    // log p(question | state before) is the same for every candidate of one question (the empty
    // state: the document's own state before each passage would need a replay of up to 16k tokens
    // from its checkpoint per candidate), so standardising cancels it and it is not computed.
    const asked = model.tokenizer.encode(`\n\n${question}`).ids;
    const values: number[] = [];
    const perToken: Float32Array[] = [];
    const windows: Int32Array[] = [];
    for (const c of best) {
      const first = index.units[c.quoteUnits[0]];
      const last = index.units[c.quoteUnits[c.quoteUnits.length - 1]];
      const window = model.tokenizer.encode(index.text.slice(first.start, last.end)).ids;
      const scored = await questionLogprobs(db, model, index.documentId, window, asked);
      values.push(mean(scored));
      perToken.push(scored);
      windows.push(window);
    }
    spread(ranked, best.length, standardise(values), 'gain');
    const priorTokens = options.prior === true ? await questionLogprobs(db, model, index.documentId, new Int32Array(0), asked) : null;
    evidence = { prior: priorTokens === null ? null : mean(priorTokens), byUnit: new Map(best.map((c, i) => [c.unit, values[i]])), novel: new Map() };
    if (priorTokens !== null) {
      // The gain on the question's tokens that the quote does not hold: what copying cannot explain.
      best.forEach((c, i) => {
        const held = new Set(windows[i]);
        const gains: number[] = [];
        for (let t = 0; t < priorTokens.length; t++) if (!held.has(asked[t + 1])) gains.push(perToken[i][t] - priorTokens[t]);
        if (gains.length > 0) evidence!.novel.set(c.unit, gains.reduce((a, b) => a + b, 0) / gains.length);
      });
    }
  }
  if (options.documentGain) {
    // log p(question | the document read up to the text's end) − log p(question | read up to its
    // start): what this text adds to what the reader already held.
    const asked = model.tokenizer.encode(`\n\n${question}`).ids;
    const offsets = streamOffsets(model, index);
    const values: number[] = [];
    for (const c of ranked.slice(0, options.rereadTop)) {
      const first = index.units[c.quoteUnits[0]];
      const last = index.units[c.quoteUnits[c.quoteUnits.length - 1]];
      const from = tokenAt(offsets, first.start);
      const to = Math.max(from, tokenAt(offsets, last.end));
      const before = await documentLogLikelihood(db, model, index.documentId, from, asked);
      const after = await documentLogLikelihood(db, model, index.documentId, to, asked);
      values.push(after - before);
    }
    spread(ranked, values.length, standardise(values), 'documentGain');
  }
  if (options.reread && map.outputs.length === map.spans.length) {
    const byPassage = new Map<number, number>();
    const values: number[] = [];
    for (const c of ranked.slice(0, options.rereadTop)) {
      const p = passageAt(map, index.units[c.unit].start);
      let v = byPassage.get(p);
      if (v === undefined) {
        v = await relevanceOf(db, model, index, map.outputs[p], questionIds, map.spans[p]);
        byPassage.set(p, v);
      }
      values.push(v);
    }
    spread(ranked, values.length, standardise(values), 'reread');
  }
  return evidence;
}

/** Candidates past the first `n` get the lowest value the first `n` got, so no signal lifts them. */
function spread(ranked: ScoredCandidate[], n: number, values: number[], name: 'gain' | 'documentGain' | 'reread'): void {
  const floor = values.length > 0 ? Math.min(...values) : 0;
  ranked.forEach((c, i) => (c.features[name] = i < n ? values[i] : floor));
}

function standardise(values: number[]): number[] {
  if (values.length < 2) return values.map(() => 0);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
  return values.map((v) => (v - mean) / sd);
}

/** Log p of each of the question's tokens after its first (the paragraph break), read after `context` from the empty state. */
async function questionLogprobs(db: Db, model: Model, documentId: number, context: Int32Array, asked: Int32Array): Promise<Float32Array> {
  const ids = new Int32Array(context.length + asked.length);
  ids.set(context);
  ids.set(asked, context.length);
  // logprobs[i] is log p(ids[i + 1]); the last one is for the padding.
  const { logprobs } = await rereadFrom(db, model, documentId, 0, ids);
  return logprobs.subarray(context.length, ids.length - 1);
}

function mean(xs: Float32Array): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

const streams = new WeakMap<SentenceIndex, Int32Array>();

/** Character offset of each stream position's token (position 0 is BOS, at 0). */
function streamOffsets(model: Model, index: SentenceIndex): Int32Array {
  let offsets = streams.get(index);
  if (offsets === undefined) {
    const enc = model.tokenizer.encode(index.text);
    offsets = new Int32Array(enc.offsets.length + 1);
    offsets.set(enc.offsets, 1);
    streams.set(index, offsets);
  }
  return offsets;
}

/** The stream position of the first token starting at or after a character offset. */
function tokenAt(offsets: Int32Array, offset: number): number {
  // Position 0 is the start token, which starts at no character.
  return 1 + firstIndexAtOrAfter(offsets.length - 1, (i) => offsets[i + 1], offset);
}

/** Mean log p over the question's tokens after its first, read after the document up to stream position `at`. */
async function documentLogLikelihood(db: Db, model: Model, documentId: number, at: number, asked: Int32Array): Promise<number> {
  const { logprobs } = await rereadFrom(db, model, documentId, at, asked);
  const scored = logprobs.subarray(0, asked.length - 1);
  return scored.reduce((a, b) => a + b, 0) / Math.max(1, scored.length);
}

/** The relevance head's highest logit over a passage re-read from its checkpoint as [question, sep, passage]. */
async function relevanceOf(
  db: Db,
  model: Model,
  index: SentenceIndex,
  output: PassageOutput,
  question: Int32Array,
  span: { start: number; end: number },
): Promise<number> {
  const passage = model.tokenizer.encode(index.text.slice(span.start, span.end)).ids;
  const ids = new Int32Array(question.length + 1 + passage.length);
  ids.set(question);
  ids[question.length] = model.manifest.specials.sep;
  ids.set(passage, question.length + 1);
  const { relevance } = await rereadFrom(db, model, index.documentId, output.tokenStart, ids);
  return Math.max(...relevance.subarray(question.length + 1));
}
