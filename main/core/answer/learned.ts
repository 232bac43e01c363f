// Written by `npm run train:ranker` (test/train/train-ranker.ts); do not edit by hand.
// 2026-12-05, model lectern-mamba2-7m-v6: the ranker fitted on 283 synthetic questions (a typed span
// blanked, a defined term, a heading) from 10 documents no development question is about:
// papers/resnet.pdf, papers/sparse_autoencoders.pdf, novels/sherlock_holmes.txt, contracts/common-paper-software-license-agreement.docx, contracts/bonterms-mutual-nda.docx, contracts/series-seed-term-sheet.md, contracts/yc-safe-discount.docx, licenses/MPL-2.0.txt, zh/hongloumeng-ch081-100.md, validation/spc-civil-procedure-interpretation-zh.txt.
// The ranker: listwise softmax over each question's candidates, the lexical features; the gain's
// weight set apart (0.3). The decline model: logistic over 283 answerable and 487 unanswerable
// synthetic questions (another document's, a rare word swapped for one the document never uses,
// a sentence's words asked for a type of answer it lacks), the threshold declining
// 5% of the answerable ones. Neither is what `ask` uses (ranker.ts, decline.ts: docs/EVAL.md).
// searchScore, quoteType, feedback and passage came after this fit (2026-12-05) and are 0 here; a new
// `npm run train:ranker` fits them with the other lexical features.
import type { DeclineModel } from './decline.js';
import type { Weights } from './ranker.js';

export const LEARNED_WEIGHTS: Weights = {"bm25f":5.3625,"overlap":5.3768,"windowOverlap":3.3432,"rareCoverage":2.7806,"proximity":0.557,"phrase":1.4534,"heading":1.0136,"answerType":2.8351,"definition":0.5022,"search":0.5704,"searchScore":0,"short":-1.3346,"quoteType":0,"feedback":0,"passage":0,"vectors":0,"gain":0.3,"documentGain":0,"reread":0};

export const LEARNED_DECLINE: DeclineModel = {"weights":{"rareCoverage":-5.9045,"windowOverlap":3.7866,"overlap":-9.0177,"bm25f":0.2662,"absent":-3.1083,"typeMissing":-0.2241,"typePresent":-0.6671,"score":0.9399,"gap":0.0114},"bias":-5.8686,"threshold":0.3773};
