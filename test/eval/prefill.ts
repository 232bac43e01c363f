import { readFileSync } from 'node:fs';
import { openEvalLibrary } from './library.js';
const docs = [...new Set(['a', 'b'].flatMap((h) => readFileSync(`test/eval/data/dev-questions-${h}.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { doc: string }).doc)))];
const e = await openEvalLibrary(docs, (l) => console.error(l));
e.library.close();
