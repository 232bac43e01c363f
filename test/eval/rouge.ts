// ROUGE-1, ROUGE-2 and ROUGE-L (Lin, 2004), F1, for scoring an extractive overview against a
// reference abstract.
//
// Tokenisation (fixed, so figures compare across runs): Unicode NFKC, lower case; a token is a
// run of letters and digits (\p{L}\p{N}, with inner apostrophes and hyphens split off), and every
// CJK character is a token of its own. No stemming and no stop-word removal, as the original
// ROUGE-1.5.5 without its -m and -s options. ROUGE-L is the longest common subsequence of the
// two whole token sequences (the candidate's sentences joined in order), not the union-LCS
// "summary-level" variant.
import { CJK_SCRIPTS } from '../../main/core/text/cjk.js';

const TOKEN = new RegExp(`[${CJK_SCRIPTS}]|[\\p{L}\\p{N}]+`, 'gu');

export function rougeTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

function score(overlap: number, candidate: number, reference: number): RougeScore {
  const precision = candidate === 0 ? 0 : overlap / candidate;
  const recall = reference === 0 ? 0 : overlap / reference;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N: n-gram overlap with each n-gram counted at most as often as the other side has it. */
export function rougeN(candidate: string, reference: string, n: number): RougeScore {
  const c = ngramCounts(rougeTokens(candidate), n);
  const r = ngramCounts(rougeTokens(reference), n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  return score(overlap, total(c), total(r));
}

/** Length of the longest common subsequence (two rows of dynamic programming). */
export function lcsLength(a: string[], b: string[]): number {
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    [prev, row] = [row, prev];
    row.fill(0);
  }
  return prev[b.length];
}

export function rougeL(candidate: string, reference: string): RougeScore {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return score(lcsLength(c, r), c.length, r.length);
}

export interface Rouge {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** The three F1 scores. */
export function rouge(candidate: string, reference: string): Rouge {
  return { rouge1: rougeN(candidate, reference, 1).f1, rouge2: rougeN(candidate, reference, 2).f1, rougeL: rougeL(candidate, reference).f1 };
}
