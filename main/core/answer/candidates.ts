// Candidate sentences: BM25F over three fields of each sentence — the sentence itself, its
// neighbours in the same section (the context a question's words often sit in), and its heading
// path — so that a sentence whose words are spread over itself, the next sentence and its
// heading still comes up. The first CANDIDATES go on to the features and the ranker: a re-rank
// of five can never beat search's hit@5.
import type { Question } from './question.js';
import type { SentenceIndex } from './sentence-index.js';

export const CANDIDATES = 50;

export interface FieldWeights {
  sentence: number;
  neighbours: number;
  heading: number;
}

const K1 = 1.2;
const WEIGHTS: FieldWeights = { sentence: 1, neighbours: 0.3, heading: 0.4 };
/** Length normalisation per field: headings are short and their length says little. */
const B = { sentence: 0.6, neighbours: 0.5, heading: 0.2 };

export interface Candidate {
  unit: number;
  bm25f: number;
}

/** The two sentences around a unit within its section (one or none at a section's edge). */
export function neighboursOf(index: SentenceIndex, unit: number): number[] {
  const out: number[] = [];
  const section = index.units[unit].section;
  if (unit > 0 && index.units[unit - 1].section === section) out.push(unit - 1);
  if (unit + 1 < index.units.length && index.units[unit + 1].section === section) out.push(unit + 1);
  return out;
}

export function candidates(index: SentenceIndex, question: Question, limit = CANDIDATES, weights: FieldWeights = WEIGHTS): Candidate[] {
  const terms = question.terms.filter((t) => index.postings.has(t));
  if (terms.length === 0) return [];
  // tf[unit][term] per field, filled from the postings; the heading field by section.
  const sentenceTf = new Map<number, Float64Array>();
  const row = (unit: number): Float64Array => {
    let r = sentenceTf.get(unit);
    if (r === undefined) sentenceTf.set(unit, (r = new Float64Array(terms.length)));
    return r;
  };
  terms.forEach((t, j) => {
    for (const [unit, n] of index.postings.get(t)!) row(unit)[j] += n;
  });
  const touched = new Set<number>();
  for (const unit of sentenceTf.keys()) {
    touched.add(unit);
    for (const n of neighboursOf(index, unit)) touched.add(n);
  }
  const headingTf = new Map<number, Float64Array>();
  index.sections.forEach((s, i) => {
    if (s.terms.length === 0) return;
    const tf = new Float64Array(terms.length);
    let any = false;
    for (const t of s.terms) {
      const j = terms.indexOf(t);
      if (j >= 0) {
        tf[j]++;
        any = true;
      }
    }
    if (any) headingTf.set(i, tf);
  });
  if (headingTf.size > 0) index.units.forEach((u, i) => headingTf.has(u.section) && touched.add(i));

  const avgHeading = Math.max(1, index.sections.reduce((s, x) => s + x.terms.length, 0) / Math.max(1, index.sections.length));
  const avg = index.averageLength;
  const idf = terms.map((t) => question.idf.get(t) ?? 0);
  const zero = new Float64Array(terms.length);
  const out: Candidate[] = [];
  for (const unit of touched) {
    const u = index.units[unit];
    const own = sentenceTf.get(unit) ?? zero;
    const around = neighboursOf(index, unit);
    const aroundLength = around.reduce((s, n) => s + index.units[n].terms.length, 0);
    const heading = headingTf.get(u.section) ?? zero;
    const headingLength = index.sections[u.section].terms.length;
    const normSentence = 1 - B.sentence + (B.sentence * u.terms.length) / avg;
    const normAround = 1 - B.neighbours + (B.neighbours * aroundLength) / (2 * avg);
    const normHeading = 1 - B.heading + (B.heading * headingLength) / avgHeading;
    let score = 0;
    for (let j = 0; j < terms.length; j++) {
      let aroundTf = 0;
      for (const n of around) aroundTf += sentenceTf.get(n)?.[j] ?? 0;
      const tf =
        (weights.sentence * own[j]) / normSentence + (weights.neighbours * aroundTf) / normAround + (weights.heading * heading[j]) / normHeading;
      if (tf > 0) score += (idf[j] * tf) / (K1 + tf);
    }
    if (score > 0) out.push({ unit, bm25f: score });
  }
  out.sort((a, b) => b.bm25f - a.bm25f || a.unit - b.unit);
  return out.slice(0, limit);
}
