// The development questions (test/eval/data, copied from ../shared/eval with its README, whose
// judging rule test/support/citation-judge.ts implements).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

export type Half = 'a' | 'b';

export interface EvalQuestion {
  id: string;
  doc: string;
  lang: 'en' | 'zh';
  question: string;
  answerable: boolean;
  answer: string | null;
  evidence: string | null;
  page: number | null;
  position: 'start' | 'middle' | 'end';
  kind: string;
  half: Half;
}

export const evalDataDir = join(repoRoot, 'test', 'eval', 'data');

export function loadQuestions(halves: Half[]): EvalQuestion[] {
  return halves.flatMap((half) =>
    readFileSync(join(evalDataDir, `dev-questions-${half}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .map((l) => ({ ...(JSON.parse(l) as Omit<EvalQuestion, 'half'>), half })),
  );
}
