// Answering a question from a document with the document's own sentences: candidates (BM25F over
// sentences), features, the model's signals when its reading is done, the linear ranker, the
// decline rule, and citations that carry each quote's own offsets and place. Without a finished
// reading the answer comes from search and structure alone and says so (`partial`).
import type { Answer } from '../../../common/types.js';
import type { Model } from '../model/session.js';
import type { Db } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import { getReading } from '../store/readings.js';
import { searchPassages } from './search.js';
import { CANDIDATES, candidates as findCandidates } from './candidates.js';
import { citationsOf, DEFAULT_CITATIONS, type CitationRule } from './citations.js';
import { decide, DEFAULT_DECLINE, type DeclineRule } from './decline.js';
import { lexicalFeatures, searchPlaces, type ScoredCandidate } from './features.js';
import { addModelSignals, DEFAULT_SIGNALS, type GainEvidence, type ModelSignalOptions } from './model-signals.js';
import { analyseQuestion, checkQuestion, checkScript, type Question } from './question.js';
import { DEFAULT_WEIGHTS, rank, type Weights } from './ranker.js';
import { answerBySearch, ranksSentences, storedLanguage } from './search-answer.js';
import { sentenceIndex, type SentenceIndex } from './sentence-index.js';

export interface AnswerOptions {
  /** Citations to return (best first). */
  top?: number;
  /** An opened model; without one (or before its reading is done) the answer is partial. */
  model?: Model;
  signals?: ModelSignalOptions;
  weights?: Weights;
  decline?: DeclineRule;
  /** Which quotes are cited and in which order (citations.ts). */
  citing?: CitationRule;
  /** How many BM25F candidates go on to the features (candidates.ts's CANDIDATES by default). */
  candidates?: number;
  /** Sentences (units) left out of the candidates: the synthetic decline set's removed answers. */
  exclude?: ReadonlySet<number>;
  signal?: AbortSignal;
}

/** A question's candidates with every feature computed: the ranker and the decline rule run on it. */
export interface PreparedAnswer {
  documentId: number;
  sha256: string;
  index: SentenceIndex;
  question: Question;
  candidates: ScoredCandidate[];
  /** The likelihoods behind the gain, for the decline rule; null without the model's signals. */
  gains: GainEvidence | null;
  partial: boolean;
  timingsMs: Record<string, number>;
}

export async function prepareAnswer(db: Db, documentId: number, questionText: string, options: AnswerOptions = {}): Promise<PreparedAnswer> {
  const t0 = performance.now();
  const text = checkQuestion(questionText);
  const index = sentenceIndex(db, documentId);
  checkScript(text, index.language);
  const question = analyseQuestion(text, index);
  const exclude = options.exclude ?? new Set<number>();
  const limit = options.candidates ?? CANDIDATES;
  const found = findCandidates(index, question, limit + exclude.size).filter((c) => !exclude.has(c.unit)).slice(0, limit);
  const hits = searchPassages(db, documentId, text, 50);
  const candidates = lexicalFeatures(index, question, found, searchPlaces(hits));
  const t1 = performance.now();
  const { model } = options;
  const ready = model !== undefined && getReading(db, documentId, model.manifest.id)?.status === 'done';
  let modelMs = 0;
  let gains: GainEvidence | null = null;
  if (ready && candidates.length > 0) {
    options.signal?.throwIfAborted();
    // The costly signals go to the best candidates by the lexical features alone.
    const order = rank(candidates, { ...(options.weights ?? DEFAULT_WEIGHTS), vectors: 0, gain: 0, documentGain: 0, reread: 0 });
    const byUnit = new Map(candidates.map((c) => [c.unit, c]));
    const lexicalOrder = order.map((r) => byUnit.get(r.unit)!);
    gains = await addModelSignals(db, model, index, text, lexicalOrder, options.signals ?? DEFAULT_SIGNALS);
    modelMs = performance.now() - t1;
  }
  return {
    documentId,
    sha256: index.sha256,
    index,
    question,
    candidates,
    gains,
    partial: !ready,
    timingsMs: { lexical: Math.round(t1 - t0), model: Math.round(modelMs) },
  };
}

export function finishAnswer(p: PreparedAnswer, options: Pick<AnswerOptions, 'top' | 'weights' | 'decline' | 'citing'> = {}): Answer {
  const t0 = performance.now();
  const ranked = rank(p.candidates, options.weights ?? DEFAULT_WEIGHTS);
  const verdict = decide(p.question, ranked, options.decline ?? DEFAULT_DECLINE, p.index, p.gains);
  const citations = citationsOf(p.index, ranked, options.top ?? 5, options.citing ?? DEFAULT_CITATIONS, p.question.expects);
  return {
    question: p.question.text,
    found: verdict.found,
    answer: verdict.found && citations.length > 0 ? citations[0].quote : null,
    reason: verdict.reason,
    citations,
    partial: p.partial,
    basis: p.partial ? 'structure' : 'model',
    timingsMs: { ...p.timingsMs, rank: Math.round(performance.now() - t0) },
  };
}

export async function answerQuestion(db: Db, documentId: number, question: string, options: AnswerOptions = {}): Promise<Answer> {
  const t0 = performance.now();
  const answer = finishAnswer(await prepareAnswer(db, documentId, question, options), options);
  answer.timingsMs.total = Math.round(performance.now() - t0);
  return answer;
}

/**
 * Across every document of the library written in the question's script: each document answers
 * on its own, and the citations are merged by score (the features are shares and ranks, so the
 * scores compare across documents), each naming its document. A document too long to rank its
 * sentences answers from search (search-answer.ts); BM25's scores do not compare with the
 * ranker's, so its citations come after the ranked documents' and are ordered among themselves.
 */
export async function answerAcrossLibrary(db: Db, question: string, options: AnswerOptions = {}): Promise<Answer> {
  const t0 = performance.now();
  const text = checkQuestion(question);
  const top = options.top ?? 5;
  const answers: Array<{ sha256: string; answer: Answer }> = [];
  for (const row of listDocuments(db)) {
    options.signal?.throwIfAborted();
    const ranked = ranksSentences(db, row.id);
    const language = ranked ? sentenceIndex(db, row.id).language : storedLanguage(db, row.id);
    try {
      checkScript(text, language);
    } catch {
      continue;
    }
    const answer = ranked ? finishAnswer(await prepareAnswer(db, row.id, text, options), { ...options, top }) : answerBySearch(db, row.id, text, top);
    answers.push({ sha256: row.sha256, answer });
  }
  const found = answers.filter((a) => a.answer.found);
  const pool = found.length > 0 ? found : answers;
  const bySearch = (c: { basis: Answer['basis'] }): number => (c.basis === 'search' ? 1 : 0);
  const citations = pool
    .flatMap((a) => a.answer.citations.map((c) => ({ ...c, documentId: a.sha256, basis: a.answer.basis })))
    .sort((a, b) => bySearch(a) - bySearch(b) || b.score - a.score)
    .slice(0, top)
    .map(({ basis: _basis, ...c }) => c);
  const bases = new Set(answers.map((a) => a.answer.basis));
  return {
    question: text,
    found: found.length > 0,
    answer: found.length > 0 && citations.length > 0 ? citations[0].quote : null,
    reason: found.length > 0 ? null : answers.length === 0 ? 'no document in the library is written in the question\'s language' : 'no document answers it',
    citations,
    partial: answers.some((a) => a.answer.partial),
    // The weakest basis any document's answer rests on.
    basis: bases.has('search') ? 'search' : bases.has('structure') ? 'structure' : 'model',
    timingsMs: { total: Math.round(performance.now() - t0) },
  };
}
